//! A verteltafel as a begeleider plans it: a name and a place/date text, and the code the
//! youth worker's device types to open the table's story form.

use super::codes::{normalize_withdrawal_code, withdrawal_code};
use super::project_form::FieldProblem;
use serde::{Deserialize, Serialize};

/// How long a table code works after the table was opened: a long day of telling.
pub const TABLE_CODE_SECONDS: i64 = 24 * 60 * 60;
/// How long a device stays at the table once the code was typed.
pub const TABLE_PASS_SECONDS: i64 = 12 * 60 * 60;
/// How long after its pass ran out a device may still send the stories it kept while it had
/// no connection: a week, so that a table on a camp or in a village without coverage is not
/// lost when the worker gets home late.
pub const SEND_GRACE_SECONDS: i64 = 7 * 24 * 60 * 60;
/// How far a device's clock may be off before the time it says a story was finished is not
/// believed (the device corrects its clock by the server's `Date` while it is online).
pub const CLOCK_SKEW_SECONDS: i64 = 5 * 60;
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

/// Why a story kept on a device while it had no connection is refused when it arrives:
/// the moment the device says it was finished does not fall in the time the table took
/// stories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateStory {
    /// Finished later than now (plus the clock's leeway): the device's clock is wrong.
    InFuture,
    /// Finished before the table was opened: the device's clock is wrong, or the story is
    /// not from this table.
    BeforeOpened,
    /// Finished after the begeleider closed the table.
    AfterClosed,
    /// Finished after the table's code or the device's pass had run out.
    AfterExpiry,
}

/// The times that decide whether a kept story belongs to its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableTimes {
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    /// The end of the code or of the device's pass, whichever came first.
    pub until: i64,
}

/// Whether a story finished at `finished_at` (the device's clock) is taken at `now`: only
/// when it was finished while the table was open. Closing a table stops new stories, not the
/// ones already told at it.
pub fn judge_finished_at(finished_at: i64, table: TableTimes, now: i64) -> Result<(), LateStory> {
    if finished_at > now.saturating_add(CLOCK_SKEW_SECONDS) {
        Err(LateStory::InFuture)
    } else if finished_at < table.opened_at.saturating_sub(CLOCK_SKEW_SECONDS) {
        Err(LateStory::BeforeOpened)
    } else if table.closed_at.is_some_and(|closed| finished_at >= closed) {
        Err(LateStory::AfterClosed)
    } else if finished_at >= table.until {
        Err(LateStory::AfterExpiry)
    } else {
        Ok(())
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

    #[test]
    fn a_kept_story_counts_when_it_was_finished_while_the_table_was_open() {
        let open = TableTimes {
            opened_at: 10_000,
            closed_at: None,
            until: 50_000,
        };
        let closed = TableTimes {
            closed_at: Some(20_000),
            ..open
        };
        // Finished before closing, sent long after: taken.
        assert_eq!(judge_finished_at(19_999, closed, 40_000), Ok(()));
        assert_eq!(
            judge_finished_at(20_000, closed, 40_000),
            Err(LateStory::AfterClosed)
        );
        assert_eq!(
            judge_finished_at(50_000, open, 50_100),
            Err(LateStory::AfterExpiry)
        );
        // A clock a little ahead is believed; further ahead it is not.
        assert_eq!(
            judge_finished_at(30_000 + CLOCK_SKEW_SECONDS, open, 30_000),
            Ok(())
        );
        assert_eq!(
            judge_finished_at(30_001 + CLOCK_SKEW_SECONDS, open, 30_000),
            Err(LateStory::InFuture)
        );
        assert_eq!(
            judge_finished_at(10_000 - CLOCK_SKEW_SECONDS - 1, open, 30_000),
            Err(LateStory::BeforeOpened)
        );
        assert_eq!(
            judge_finished_at(i64::MIN, open, 30_000),
            Err(LateStory::BeforeOpened)
        );
        assert_eq!(
            judge_finished_at(i64::MAX, open, 30_000),
            Err(LateStory::InFuture)
        );
    }
}
