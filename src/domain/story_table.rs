//! A verteltafel as a begeleider plans it: a name and a place/date text, and the code the
//! youth worker's device types to open the table's story form.

use super::codes::{normalize_withdrawal_code, withdrawal_code};
use super::project_form::FieldProblem;
use serde::{Deserialize, Serialize};

/// How long a table code works after the table was opened: a long day of telling.
pub const TABLE_CODE_SECONDS: i64 = 24 * 60 * 60;
/// How long a device stays at the table once the code was typed.
pub const TABLE_PASS_SECONDS: i64 = 12 * 60 * 60;
const MAX_NAME: usize = 120;
const MAX_PLACE: usize = 200;

/// What a begeleider typed to open a table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TablePlan {
    pub name: String,
    pub place: String,
}

/// A plan that passed [`TablePlan::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTablePlan {
    pub name: String,
    pub place: String,
}

impl TablePlan {
    /// The plan with trimmed texts, or what is wrong with it (in Dutch, for the begeleider).
    pub fn check(&self) -> Result<ValidTablePlan, Vec<FieldProblem>> {
        let name = self.name.trim().to_string();
        let place = self.place.trim().to_string();
        let mut problems = Vec::new();
        if name.is_empty() {
            problems.push(FieldProblem {
                field: "naam",
                message: "Geef de verteltafel een naam.".into(),
            });
        } else if name.chars().count() > MAX_NAME {
            problems.push(FieldProblem {
                field: "naam",
                message: format!("De naam mag hoogstens {MAX_NAME} tekens lang zijn."),
            });
        }
        if place.chars().count() > MAX_PLACE {
            problems.push(FieldProblem {
                field: "plaats",
                message: format!("Plaats en datum mogen hoogstens {MAX_PLACE} tekens zijn."),
            });
        }
        if problems.is_empty() {
            Ok(ValidTablePlan { name, place })
        } else {
            Err(problems)
        }
    }
}

/// A new table code from 60 random bits, in three groups of four: `7K3M-9QX2-ABCD`
/// (Crockford base32, the same shape as a withdrawal code, so it is read and typed alike).
pub fn table_code(random: [u8; 8]) -> String {
    withdrawal_code(&random)
}

/// What a person typed as a table code, normalised (case, spaces, dashes, 0/O and 1/I/L),
/// or `None` when it cannot be one.
pub fn normalize_table_code(input: &str) -> Option<String> {
    normalize_withdrawal_code(input)
}

/// Why a table cannot take a story now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableState {
    Open,
    Closed,
    Expired,
}

/// The state of a table at `now`, from when it closed and when its code expires.
pub fn table_state(closed_at: Option<i64>, expires_at: i64, now: i64) -> TableState {
    match closed_at {
        Some(at) if at <= now => TableState::Closed,
        _ if now >= expires_at => TableState::Expired,
        _ => TableState::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_needs_a_name_and_short_texts() {
        let plan = TablePlan {
            name: "  De Pit ".into(),
            place: " Jongerencentrum De Pit, 12 maart ".into(),
        };
        let valid = plan.check().unwrap();
        assert_eq!(valid.name, "De Pit");
        assert_eq!(valid.place, "Jongerencentrum De Pit, 12 maart");
        let empty = TablePlan::default().check().unwrap_err();
        assert_eq!(empty[0].field, "naam");
        let long = TablePlan {
            name: "x".repeat(121),
            place: "y".repeat(201),
        };
        assert_eq!(long.check().unwrap_err().len(), 2);
    }

    #[test]
    fn codes_are_three_groups_of_four_and_typed_loosely() {
        let code = table_code([1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(normalize_table_code(&typed).as_deref(), Some(code.as_str()));
        assert_eq!(normalize_table_code("ABC"), None);
        assert_eq!(normalize_table_code("abcd-efgh-ijk!"), None);
    }

    #[test]
    fn a_table_is_open_until_closed_or_expired() {
        assert_eq!(table_state(None, 100, 50), TableState::Open);
        assert_eq!(table_state(Some(40), 100, 50), TableState::Closed);
        assert_eq!(table_state(Some(60), 100, 50), TableState::Open);
        assert_eq!(table_state(None, 100, 100), TableState::Expired);
    }
}
