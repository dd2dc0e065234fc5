//! Small-cell protection: no combination of the answers that describe a teller (role,
//! gemeente, age group, …) may be shared by fewer than `k` stories in what leaves the system.
//!
//! A table of *identifying values* (one row per story, one column per identifying question) is
//! made safe in two steps, each applied only to the rows that are still in a combination of
//! fewer than `k` rows:
//!
//! 1. **Generalise**: a value that belongs to a group the project defined (a gemeente to its
//!    region, an age band to a wider band) is replaced by the group's label.
//! 2. **Suppress**: values are replaced by [`SUPPRESSED`], one column at a time, starting with
//!    the column that has the most distinct values (the most telling one), until every row's
//!    combination is shared by at least `k` rows. A row with every value suppressed says
//!    nothing about its teller, so it is safe whatever the size of its group.
//!
//! "No answer" is a value like any other here: it is known to the reader too.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Written in place of a suppressed value.
pub const SUPPRESSED: &str = "[afgeschermd]";

/// The smallest group size a project may set; below 2 the protection would be no protection.
pub const MIN_K: u32 = 2;
pub const DEFAULT_K: u32 = 5;

/// Options of one question that may be shown together under one label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueGroup {
    pub question: String,
    pub options: Vec<String>,
    pub label: String,
}

/// What the protection changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Values shown as their group's label.
    pub generalised: usize,
    /// Values shown as [`SUPPRESSED`].
    pub suppressed: usize,
}

impl Changes {
    pub fn total(&self) -> usize {
        self.generalised + self.suppressed
    }
}

/// The identifying values of the stories to protect: `rows[i][c]` is story `i`'s value for
/// `columns[c]` (`None` when it has no answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifyingTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// Indexes of the rows that fewer than `k` rows resemble: rows with the same value in every
/// column where this row still shows one. A suppressed value matches nothing, so a row that
/// shows only its role is resembled by every row with that role. Rows with every value
/// suppressed say nothing and are never small.
fn small_rows(rows: &[Vec<Option<String>>], k: usize) -> Vec<usize> {
    let shown = |row: &[Option<String>]| -> Vec<bool> {
        row.iter()
            .map(|v| v.as_deref() != Some(SUPPRESSED))
            .collect()
    };
    // Suppression goes column by column, so there are only a few patterns of shown columns.
    let mut patterns: HashMap<Vec<bool>, Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        patterns.entry(shown(row)).or_default().push(i);
    }
    let mut small = Vec::new();
    for (pattern, members) in patterns {
        if !pattern.iter().any(|s| *s) {
            continue;
        }
        let project = |row: &'_ [Option<String>]| -> Vec<Option<String>> {
            row.iter()
                .zip(&pattern)
                .filter(|(_, s)| **s)
                .map(|(v, _)| v.clone())
                .collect()
        };
        let mut sizes: HashMap<Vec<Option<String>>, usize> = HashMap::new();
        for row in rows {
            *sizes.entry(project(row)).or_default() += 1;
        }
        small.extend(
            members
                .into_iter()
                .filter(|&i| sizes.get(&project(&rows[i])).copied().unwrap_or(0) < k),
        );
    }
    small.sort_unstable();
    small
}

/// Makes every combination of identifying values shared by at least `k` rows (see the module
/// documentation), in place, and says how many values changed.
pub fn protect(table: &mut IdentifyingTable, k: u32, groups: &[ValueGroup]) -> Changes {
    let k = k.max(MIN_K) as usize;
    let small = small_rows(&table.rows, k);
    if small.is_empty() {
        return Changes::default();
    }
    let before = table.rows.clone();
    // 1. Generalise what may be generalised.
    let label_of = |column: &str, value: &str| {
        groups
            .iter()
            .find(|g| g.question == column && g.options.iter().any(|o| o == value))
            .map(|g| g.label.clone())
    };
    for &i in &small {
        for (c, column) in table.columns.iter().enumerate() {
            let cell = &mut table.rows[i][c];
            if let Some(label) = cell.as_deref().and_then(|v| label_of(column, v)) {
                *cell = Some(label);
            }
        }
    }
    // 2. Suppress, the most telling column first.
    let mut order: Vec<(usize, usize)> = (0..table.columns.len())
        .map(|c| {
            let mut distinct: Vec<&Option<String>> = table.rows.iter().map(|r| &r[c]).collect();
            distinct.sort();
            distinct.dedup();
            (c, distinct.len())
        })
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (c, _) in order {
        let small = small_rows(&table.rows, k);
        if small.is_empty() {
            break;
        }
        for i in small {
            table.rows[i][c] = Some(SUPPRESSED.to_string());
        }
    }
    // Counted on the result: a value first generalised and then suppressed is suppressed.
    let mut changes = Changes::default();
    for (now, was) in table.rows.iter().flatten().zip(before.iter().flatten()) {
        if now == was {
            continue;
        }
        if now.as_deref() == Some(SUPPRESSED) {
            changes.suppressed += 1;
        } else {
            changes.generalised += 1;
        }
    }
    changes
}

/// Whether a count may be shown as it is: zero, or at least `k`.
pub fn count_is_safe(count: usize, k: u32) -> bool {
    count == 0 || count >= k.max(MIN_K) as usize
}

/// A count as it may be shown: `< k` for a small, non-zero count.
pub fn shown_count(count: usize, k: u32) -> String {
    if count_is_safe(count, k) {
        count.to_string()
    } else {
        format!("< {}", k.max(MIN_K))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[[&str; 2]]) -> IdentifyingTable {
        IdentifyingTable {
            columns: vec!["gemeente".into(), "leeftijd".into()],
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|v| (!v.is_empty()).then(|| v.to_string()))
                        .collect()
                })
                .collect(),
        }
    }

    /// The fewest rows resembling any row that still shows a value (brute force).
    fn smallest_group(t: &IdentifyingTable) -> usize {
        let resembles = |a: &[Option<String>], b: &[Option<String>]| {
            a.iter()
                .zip(b)
                .all(|(x, y)| x.as_deref() == Some(SUPPRESSED) || x == y)
        };
        t.rows
            .iter()
            .filter(|row| row.iter().any(|v| v.as_deref() != Some(SUPPRESSED)))
            .map(|row| t.rows.iter().filter(|other| resembles(row, other)).count())
            .min()
            .unwrap_or(usize::MAX)
    }

    fn region() -> Vec<ValueGroup> {
        vec![ValueGroup {
            question: "gemeente".into(),
            options: vec!["mook".into(), "heumen".into(), "druten".into()],
            label: "zuid".into(),
        }]
    }

    #[test]
    fn large_groups_are_left_alone() {
        let mut t = table(&[["nijmegen", "12-15"]; 6]);
        let before = t.clone();
        assert_eq!(protect(&mut t, 5, &region()), Changes::default());
        assert_eq!(t, before);
    }

    #[test]
    fn small_gemeenten_are_merged_into_their_region_first() {
        let mut rows = vec![["nijmegen", "12-15"]; 5];
        rows.extend([["mook", "12-15"], ["heumen", "12-15"], ["druten", "12-15"]]);
        rows.extend([["mook", "12-15"], ["heumen", "12-15"]]);
        let mut t = table(&rows);
        let changes = protect(&mut t, 5, &region());
        assert_eq!(changes.generalised, 5);
        assert_eq!(changes.suppressed, 0);
        assert_eq!(smallest_group(&t), 5);
        assert_eq!(t.rows[0][0].as_deref(), Some("nijmegen"));
        assert_eq!(t.rows[5][0].as_deref(), Some("zuid"));
    }

    #[test]
    fn what_cannot_be_generalised_is_suppressed_until_every_group_is_large() {
        let mut rows = vec![["nijmegen", "12-15"]; 5];
        rows.extend(vec![["wijchen", "16-17"]; 3]);
        rows.push(["mook", "23+"]);
        let mut t = table(&rows);
        let changes = protect(&mut t, 5, &region());
        assert!(changes.suppressed > 0);
        assert_eq!(smallest_group(&t), 5);
        // The large group keeps its values.
        assert!(t.rows[..5]
            .iter()
            .all(|r| r[0].as_deref() == Some("nijmegen")));
        assert_eq!(changes.total(), changes.generalised + changes.suppressed);
    }

    #[test]
    fn the_most_telling_column_goes_first() {
        // Gemeente has more distinct values than the age band, so it is suppressed and the age
        // band, shared by all, survives.
        let mut rows = vec![["a", "12-15"], ["b", "12-15"], ["c", "12-15"]];
        rows.extend([["d", "12-15"], ["e", "12-15"]]);
        let mut t = table(&rows);
        let changes = protect(&mut t, 5, &[]);
        assert_eq!(changes.suppressed, 5);
        assert!(t.rows.iter().all(|r| r[1].as_deref() == Some("12-15")));
        assert!(t.rows.iter().all(|r| r[0].as_deref() == Some(SUPPRESSED)));
    }

    #[test]
    fn a_dataset_smaller_than_k_ends_fully_suppressed() {
        let mut t = table(&[["a", "1"], ["a", "1"]]);
        let changes = protect(&mut t, 5, &[]);
        assert_eq!(changes.suppressed, 4);
        assert!(t
            .rows
            .iter()
            .flatten()
            .all(|v| v.as_deref() == Some(SUPPRESSED)));
    }

    #[test]
    fn a_value_shared_by_all_survives_when_the_rest_is_suppressed() {
        // One young person from Mook among six from Nijmegen: only the gemeente and age go.
        let mut rows = vec![["nijmegen", "12-15"]; 6];
        rows.push(["mook", "16-17"]);
        let mut t = IdentifyingTable {
            columns: vec!["rol".into(), "gemeente".into(), "leeftijd".into()],
            rows: rows
                .iter()
                .map(|r| {
                    std::iter::once(Some("jongere".to_string()))
                        .chain(r.iter().map(|v| Some(v.to_string())))
                        .collect()
                })
                .collect(),
        };
        let changes = protect(&mut t, 5, &[]);
        assert_eq!(changes.suppressed, 2);
        assert_eq!(t.rows[6][0].as_deref(), Some("jongere"));
        assert_eq!(smallest_group(&t), 6);
    }

    #[test]
    fn k_below_two_is_raised_to_two() {
        let mut t = table(&[["a", "1"], ["b", "1"]]);
        let changes = protect(&mut t, 0, &[]);
        assert_eq!(changes.suppressed, 2);
    }

    #[test]
    fn small_counts_are_shown_as_less_than_k() {
        assert_eq!(shown_count(0, 5), "0");
        assert_eq!(shown_count(3, 5), "< 5");
        assert_eq!(shown_count(5, 5), "5");
        assert!(!count_is_safe(1, 5));
    }
}
