//! Search in the staff story list (`/beheer/p/{project}/verhalen?zoek=…`) at a million
//! stories: the counts of every tab and the newest page, in well under a second.
//!
//! Reading the matching stories' rows to learn which tab each is in took 0.6 s (SQLite) and
//! 1.1 s (PostgreSQL) for a word in half of a million stories. Each instance therefore keeps a
//! compact line per story of a project — its time, its number in the search index and its
//! tabs (`store::staff_lines`), about 50 bytes a story — and follows the change log to keep
//! it current, as the analysis data does. A search then works on those lines:
//!
//! - A word in at least one in twenty of a random sample of the project's stories is counted
//!   by estimate per tab (a tab with at most 2,000 stories is counted exactly), and the page
//!   is found by testing the tab's stories newest first, as in the story browser
//!   (`analysis::browse`): an exact count of a word in every story of a million takes the
//!   index itself 0.1–0.3 s on SQLite and more on PostgreSQL.
//! - Rarer words are counted exactly: on SQLite the index gives the numbers of the matching
//!   stories and the lines turn them into counts per tab and the newest page; on PostgreSQL
//!   the index gives their ids.

use super::analysis::browse::{
    by_row_keys, sample_of, sample_positions, walk, COMMON_SHARE, SAMPLE, WALK_LIMIT,
};
// A poisoned lock only means another request panicked while holding it; a slot's lines are
// replaced whole, so they are still valid.
use super::analysis::cache::{lock, touch};
use super::error::ServiceError;
use crate::store::changes::{self, Change, Cursor};
use crate::store::search_index::{self, Dialect};
use crate::store::staff_lines::{self, StaffLine, HIDDEN, NEW, UNSAFE, WITHDRAWN};
use crate::store::stories::{StaffCounts, StaffFilter};
use crate::store::{AnyConnection, Database, StoreResult};
use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex};

/// Projects whose lines are kept at once.
const PROJECTS: usize = 4;

/// Whether a story with these flags is in the tab of `filter`.
pub fn in_tab(filter: StaffFilter, flags: u8) -> bool {
    let withdrawn = flags & WITHDRAWN != 0;
    match filter {
        StaffFilter::Withdrawn => withdrawn,
        StaffFilter::All => !withdrawn,
        StaffFilter::New => !withdrawn && flags & NEW != 0,
        StaffFilter::Hidden => !withdrawn && flags & HIDDEN != 0,
        StaffFilter::Unsafe => !withdrawn && flags & UNSAFE != 0,
    }
}

const TABS: [StaffFilter; 5] = [
    StaffFilter::New,
    StaffFilter::All,
    StaffFilter::Hidden,
    StaffFilter::Withdrawn,
    StaffFilter::Unsafe,
];

fn set(counts: &mut StaffCounts, filter: StaffFilter, n: i64) {
    match filter {
        StaffFilter::New => counts.new = n,
        StaffFilter::All => counts.all = n,
        StaffFilter::Hidden => counts.hidden = n,
        StaffFilter::Withdrawn => counts.withdrawn = n,
        StaffFilter::Unsafe => counts.unsafe_signals = n,
    }
}

struct Kept {
    lines: Arc<Vec<StaffLine>>,
    cursor: Cursor,
}

struct Slot {
    slug: String,
    kept: Mutex<Option<Kept>>,
}

/// The lines of the projects searched lately, one read per project at a time.
#[derive(Default)]
pub struct StaffLinesCache {
    slots: Mutex<Vec<Arc<Slot>>>,
}

impl StaffLinesCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self, slug: &str) -> Arc<Slot> {
        let mut slots = lock(&self.slots);
        if let Some(i) = slots.iter().position(|s| s.slug == slug) {
            return touch(&mut slots, i);
        }
        let slot = Arc::new(Slot {
            slug: slug.to_string(),
            kept: Mutex::new(None),
        });
        slots.push(slot.clone());
        if slots.len() > PROJECTS {
            slots.remove(0);
        }
        slot
    }

    /// The project's lines as they are now in the database, oldest first.
    pub fn lines(&self, db: &Database, slug: &str) -> Result<Arc<Vec<StaffLine>>, ServiceError> {
        let slot = self.slot(slug);
        let mut kept = lock(&slot.kept);
        let mut conn = db.conn()?;
        if let Some(current) = kept.as_mut() {
            let (log, cursor) = changes::since(&mut conn, slug, Some(&current.cursor))?;
            let mut ids = BTreeSet::new();
            let mut reread = false;
            for change in log {
                match change {
                    // The project itself changed, or the log was pruned past this copy.
                    Change::Project => reread = true,
                    Change::Story(id) | Change::Workflow(id) => {
                        ids.insert(id);
                    }
                }
            }
            if !reread {
                if !ids.is_empty() {
                    let list: Vec<String> = ids.iter().cloned().collect();
                    let now = staff_lines::of_stories(&mut conn, slug, &list)?;
                    follow(Arc::make_mut(&mut current.lines), &ids, now);
                }
                current.cursor = cursor;
                return Ok(current.lines.clone());
            }
        }
        *kept = None;
        // The cursor before the read: a change during the read is read again next time.
        let cursor = changes::cursor(&mut conn, slug)?;
        let lines = Arc::new(staff_lines::of_project(&mut conn, slug)?);
        *kept = Some(Kept {
            lines: lines.clone(),
            cursor,
        });
        Ok(lines)
    }
}

/// Puts the changed stories' lines (`now`, as the database has them) in place of their old
/// ones; a story in `changed` that is not in `now` is gone.
fn follow(lines: &mut Vec<StaffLine>, changed: &BTreeSet<String>, now: Vec<StaffLine>) {
    lines.retain(|l| !changed.contains(l.id.as_str()));
    for line in now {
        let at = lines.partition_point(|l| (l.created_at, &l.id) < (line.created_at, &line.id));
        lines.insert(at, line);
    }
}

/// What a search found: the counts of every tab and the ids of the page asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub counts: StaffCounts,
    /// The counts are estimates from a sample (PostgreSQL, a common word).
    pub estimated: bool,
    /// The page's stories, newest first.
    pub ids: Vec<String>,
    /// 1-based, clamped to the pages there are.
    pub page: i64,
    pub pages: i64,
}

/// The stories of `lines` with every one of `terms`: the counts per tab and page `page` of
/// the tab of `filter`, `size` stories a page.
pub fn search(
    conn: &mut AnyConnection,
    slug: &str,
    lines: &[StaffLine],
    terms: &[String],
    filter: StaffFilter,
    page: i64,
    size: i64,
) -> StoreResult<Found> {
    let size = size.max(1) as usize;
    if lines.len() > 2 * SAMPLE {
        let sample = Sample::test(conn, lines, terms)?;
        if sample.hits() as f64 >= COMMON_SHARE * sample.positions.len() as f64 {
            return estimated(conn, lines, terms, &sample, filter, page, size);
        }
    }
    if Dialect::of(conn) == Dialect::Sqlite {
        let keys = search_index::matching_row_keys(conn, terms)?;
        let hit = by_row_keys(lines, |l| l.row_key, &keys);
        return Ok(exact(lines, |i| hit[i], filter, page, size));
    }
    let found: HashSet<String> = staff_lines::ids_matching(conn, slug, terms)?
        .into_iter()
        .collect();
    Ok(exact(
        lines,
        |i| found.contains(lines[i].id.as_str()),
        filter,
        page,
        size,
    ))
}

/// The counts of every tab and page `page` of the tab of `filter`, without a search.
pub fn unfiltered(lines: &[StaffLine], filter: StaffFilter, page: i64, size: i64) -> Found {
    exact(lines, |_| true, filter, page, size.max(1) as usize)
}

/// Counts and page from knowing, for every line, whether it matches.
fn exact(
    lines: &[StaffLine],
    matches: impl Fn(usize) -> bool,
    filter: StaffFilter,
    page: i64,
    size: usize,
) -> Found {
    let mut counts = StaffCounts::default();
    let mut in_filter: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate().rev() {
        if !matches(i) {
            continue;
        }
        for tab in TABS {
            if in_tab(tab, line.flags) {
                let n = counts.of(tab) + 1;
                set(&mut counts, tab, n);
            }
        }
        if in_tab(filter, line.flags) {
            in_filter.push(i);
        }
    }
    let pages = in_filter.len().div_ceil(size).max(1) as i64;
    let page = page.clamp(1, pages);
    let ids = in_filter
        .iter()
        .skip((page - 1) as usize * size)
        .take(size)
        .map(|&i| lines[i].id.to_string())
        .collect();
    Found {
        counts,
        estimated: false,
        ids,
        page,
        pages,
    }
}

/// A random sample of the project's lines (`sample_positions`), each tested for the words.
struct Sample {
    /// Positions in the lines, in order.
    positions: Vec<usize>,
    hit: Vec<bool>,
}

impl Sample {
    fn test(conn: &mut AnyConnection, lines: &[StaffLine], terms: &[String]) -> StoreResult<Self> {
        let positions = sample_positions(lines.len(), SAMPLE);
        let ids: Vec<&str> = positions.iter().map(|&i| lines[i].id.as_str()).collect();
        let found: HashSet<String> = search_index::which_match(conn, &ids, terms)?
            .into_iter()
            .collect();
        let hit = ids.iter().map(|id| found.contains(*id)).collect();
        Ok(Self { positions, hit })
    }

    fn hits(&self) -> usize {
        self.hit.iter().filter(|h| **h).count()
    }

    /// Of the sampled lines in `tab`: how many, and how many of those match.
    fn in_tab(&self, lines: &[StaffLine], tab: StaffFilter) -> (usize, usize) {
        self.positions
            .iter()
            .zip(&self.hit)
            .filter(|(&i, _)| in_tab(tab, lines[i].flags))
            .fold((0, 0), |(n, h), (_, hit)| (n + 1, h + usize::from(*hit)))
    }
}

/// Counts per tab by estimate (a small tab exactly), and the page by testing the tab's
/// stories newest first. A tab of which the project's sample holds at least half a sample's
/// worth is estimated from that sample (one test of 1,000 stories serves "Alle" and "Nieuw"
/// alike); a smaller share gets a sample of its own.
fn estimated(
    conn: &mut AnyConnection,
    lines: &[StaffLine],
    terms: &[String],
    sample: &Sample,
    filter: StaffFilter,
    page: i64,
    size: usize,
) -> StoreResult<Found> {
    let mut counts = StaffCounts::default();
    let newest_first = |tab: StaffFilter| {
        lines
            .iter()
            .rev()
            .filter(move |l| in_tab(tab, l.flags))
            .map(|l| l.id.as_str())
    };
    for tab in TABS {
        let (sampled, sampled_hits) = sample.in_tab(lines, tab);
        let size_of_tab = newest_first(tab).count();
        let n = if sampled >= SAMPLE / 2 && size_of_tab > 2 * SAMPLE {
            (sampled_hits as f64 / sampled as f64 * size_of_tab as f64).round() as i64
        } else if size_of_tab <= 2 * SAMPLE {
            let ids: Vec<&str> = newest_first(tab).collect();
            let mut n = 0;
            for chunk in ids.chunks(1000) {
                n += search_index::which_match(conn, chunk, terms)?.len();
            }
            n as i64
        } else {
            let ids: Vec<&str> = newest_first(tab).collect();
            let own = sample_of(&ids, SAMPLE);
            let hits = search_index::which_match(conn, &own, terms)?.len();
            (hits as f64 / own.len() as f64 * ids.len() as f64).round() as i64
        };
        set(&mut counts, tab, n);
    }
    let wanted = page.max(1) as usize * size + 1;
    // The walk looks at no more than `WALK_LIMIT` stories.
    let candidates: Vec<&str> = newest_first(filter).take(WALK_LIMIT).collect();
    let found = walk(conn, &candidates, terms, wanted)?;
    // The walk stopped after this page's stories and one more, if there was one.
    let known = found.len().div_ceil(size).max(1) as i64;
    let page = page.clamp(1, known);
    let ids = found
        .iter()
        .skip((page - 1) as usize * size)
        .take(size)
        .map(|id| id.to_string())
        .collect();
    Ok(Found {
        counts,
        estimated: true,
        ids,
        page,
        pages: known.min(page + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, created_at: i64, flags: u8) -> StaffLine {
        StaffLine {
            id: id.into(),
            created_at,
            row_key: created_at,
            flags,
        }
    }

    #[test]
    fn every_story_is_in_the_tabs_its_flags_say() {
        assert!(in_tab(StaffFilter::All, 0));
        assert!(!in_tab(StaffFilter::New, 0));
        assert!(in_tab(StaffFilter::New, NEW | HIDDEN));
        assert!(in_tab(StaffFilter::Hidden, NEW | HIDDEN));
        // A withdrawn story is only under "Ingetrokken".
        for tab in TABS {
            assert_eq!(
                in_tab(tab, WITHDRAWN | NEW | HIDDEN | UNSAFE),
                tab == StaffFilter::Withdrawn
            );
        }
    }

    #[test]
    fn exact_counts_every_tab_and_pages_newest_first() {
        let lines: Vec<StaffLine> = (0..7)
            .map(|i| line(&format!("s{i}"), i, if i == 3 { WITHDRAWN } else { NEW }))
            .collect();
        // s0, s2, s3 (withdrawn), s4, s6 match.
        let found = exact(
            &lines,
            |i| [0, 2, 3, 4, 6].contains(&i),
            StaffFilter::All,
            2,
            2,
        );
        assert_eq!(found.counts.all, 4);
        assert_eq!(found.counts.new, 4);
        assert_eq!(found.counts.withdrawn, 1);
        assert_eq!(found.pages, 2);
        assert_eq!(found.page, 2);
        assert_eq!(found.ids, ["s2", "s0"]);
        let first = exact(&lines, |_| true, StaffFilter::Withdrawn, 9, 2);
        assert_eq!((first.page, first.pages), (1, 1));
        assert_eq!(first.ids, ["s3"]);
    }

    #[test]
    fn following_a_change_equals_reading_anew() {
        let mut lines = vec![line("a", 1, NEW), line("b", 2, NEW), line("c", 3, NEW)];
        let changed: BTreeSet<String> = ["a", "b", "d"].iter().map(|s| s.to_string()).collect();
        // b reviewed, a gone, d new (told between a and c).
        follow(
            &mut lines,
            &changed,
            vec![line("b", 2, 0), line("d", 2, HIDDEN)],
        );
        assert_eq!(
            lines,
            vec![line("b", 2, 0), line("d", 2, HIDDEN), line("c", 3, NEW)]
        );
    }
}
