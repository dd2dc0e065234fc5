//! Verteltafels: a begeleider opens a table for a project and gets its code once; a youth
//! worker's device types the code and takes stories from several tellers one after another.
//! Each story is the teller's own (own consent, own withdrawal code), stored with channel
//! `verteltafel` and a link to its table. Opening and closing are in the audit log.

use super::accounts::SignedIn;
use super::audit::{self, action};
use super::error::{require, Refusal, Refused, ServiceError};
use super::storytelling::{told_record, SubmitError};
use crate::domain::accounts::ProjectAction;
use crate::domain::codes::{base32, normalize_withdrawal_code, participant_id};
use crate::domain::story::{validate_submission, FieldError, Problem, ValidStory};
use crate::domain::story_table::{
    judge_finished_at, normalize_table_code, table_code, table_state, LateStory, TableState,
    TableTimes, ValidTablePlan, SEND_GRACE_SECONDS, TABLE_CODE_SECONDS,
};
use crate::domain::{Channel, Project, RawSubmission};
use crate::security::{random_bytes, sha256_hex, Secret};
use crate::store::stories;
pub use crate::store::story_tables::StoryTableRecord;
use crate::store::story_tables::{self as store, StoryTableLink};
use crate::store::Database;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The form field of the worker's confirmation that the consent text was read aloud.
pub const FIELD_CONSENT_READ: &str = "voorgelezen";

/// What the database keeps of a table code.
pub fn code_hash(normalized: &str) -> String {
    sha256_hex(normalized)
}

/// A table as the begeleider's list shows it.
#[derive(Debug, Clone)]
pub struct TableSummary {
    pub record: StoryTableRecord,
    pub state: TableState,
    pub stories: i64,
}

/// Opens a table; returns it with its code, which is shown once and never stored.
pub fn open(
    db: &Database,
    by: &SignedIn,
    project: &str,
    plan: &ValidTablePlan,
    now: i64,
) -> Result<(StoryTableRecord, String), ServiceError> {
    require(by, project, ProjectAction::Facilitate)?;
    let code = table_code(random_bytes());
    let record = StoryTableRecord {
        id: format!("VT-{}", base32(&random_bytes::<8>(), 10)),
        project_slug: project.to_string(),
        name: plan.name.clone(),
        place: plan.place.clone(),
        code_hash: code_hash(&code),
        opened_at: now,
        expires_at: now + TABLE_CODE_SECONDS,
        closed_at: None,
    };
    db.write_with(|conn| -> Result<(), ServiceError> {
        store::insert(conn, &record)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::STORY_TABLE_OPEN,
            Some(project),
            Some(&record.id),
            &record.name,
            now,
        )?;
        Ok(())
    })?;
    Ok((record, code))
}

/// Closes a table: its code stops working and stories sent to it are refused.
pub fn close(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    now: i64,
) -> Result<(), ServiceError> {
    require(by, project, ProjectAction::Facilitate)?;
    db.write_with(|conn| -> Result<(), ServiceError> {
        let table = store::find_in_project(conn, project, id)?.ok_or(ServiceError::NotFound)?;
        if store::set_closed(conn, &table.id, now)? > 0 {
            audit::log(
                conn,
                Some(&by.actor()),
                action::STORY_TABLE_CLOSE,
                Some(project),
                Some(&table.id),
                &table.name,
                now,
            )?;
        }
        Ok(())
    })
}

/// A project's tables, newest first, with their state and story counts.
pub fn list(
    db: &Database,
    by: &SignedIn,
    project: &str,
    now: i64,
) -> Result<Vec<TableSummary>, ServiceError> {
    require(by, project, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    let records = store::list(&mut conn, project)?;
    let counts: HashMap<String, i64> = store::story_counts(&mut conn, project)?
        .into_iter()
        .collect();
    Ok(records
        .into_iter()
        .map(|record| TableSummary {
            state: table_state(record.closed_at, record.expires_at, now),
            stories: counts.get(&record.id).copied().unwrap_or(0),
            record,
        })
        .collect())
}

/// Why a typed table code does not open a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnterRefusal {
    Wrong,
    Closed,
    Expired,
}

/// The table of this project whose code was typed, if it takes stories now.
pub async fn enter(
    db: &Database,
    project: &Project,
    typed: &str,
    now: i64,
) -> Result<Result<StoryTableRecord, EnterRefusal>, ServiceError> {
    let Some(code) = normalize_table_code(typed) else {
        return Ok(Err(EnterRefusal::Wrong));
    };
    let hash = code_hash(&code);
    let found = db
        .run(move |conn| store::find_by_code_hash(conn, &hash))
        .await?
        .filter(|t| t.project_slug == project.slug);
    Ok(match found {
        None => Err(EnterRefusal::Wrong),
        Some(_) if !project.is_open => Err(EnterRefusal::Closed),
        Some(t) => match table_state(t.closed_at, t.expires_at, now) {
            TableState::Open => Ok(t),
            TableState::Closed => Err(EnterRefusal::Closed),
            TableState::Expired => Err(EnterRefusal::Expired),
        },
    })
}

/// A table of this project by id, for a device that holds its pass.
pub async fn find(
    db: &Database,
    project: &Project,
    id: &str,
) -> Result<Option<StoryTableRecord>, ServiceError> {
    let (slug, id) = (project.slug.clone(), id.to_string());
    Ok(db
        .run(move |conn| store::find_in_project(conn, &slug, &id))
        .await?)
}

/// What a device at a table keeps in its signed cookie: which table, until when. Nothing
/// about a teller, no address.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TablePass {
    pub project: String,
    pub table: String,
    pub expires: i64,
}

impl TablePass {
    /// The pass, while it still opens the table's story form.
    pub fn open(secret: &Secret, sealed: &str, project: &str, now: i64) -> Option<Self> {
        Self::open_sealed(secret, sealed, project).filter(|p| p.expires > now)
    }

    /// The pass, while the stories the device kept without a connection may still be sent
    /// with it: up to [`SEND_GRACE_SECONDS`] after it stopped opening the form. Which stories
    /// are taken is decided by the moment each was finished, not by this.
    pub fn open_for_sending(
        secret: &Secret,
        sealed: &str,
        project: &str,
        now: i64,
    ) -> Option<Self> {
        Self::open_sealed(secret, sealed, project)
            .filter(|p| p.expires.saturating_add(SEND_GRACE_SECONDS) > now)
    }

    fn open_sealed(secret: &Secret, sealed: &str, project: &str) -> Option<Self> {
        secret
            .open::<TablePass>("verteltafel", sealed)
            .filter(|p| p.project == project)
    }

    pub fn seal(&self, secret: &Secret) -> String {
        secret.seal("verteltafel", self)
    }
}

/// Why a story at a table was not stored.
#[derive(Debug, thiserror::Error)]
pub enum TableSubmitError {
    #[error("the submission has field errors")]
    Invalid(Vec<FieldError>),
    #[error("the table is closed or its code expired")]
    TableClosed,
    /// A kept story arrived after the vertelpunt was closed.
    #[error("the vertelpunt is closed")]
    ProjectClosed,
    /// A kept story was not finished while its table took stories.
    #[error("the story was not finished while the table was open: {0:?}")]
    Late(LateStory),
    /// The withdrawal code the device drew is not one (no page of ours sends that).
    #[error("the device's withdrawal code is malformed")]
    BadWithdrawalCode,
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(TableSubmitError);

impl Refused for TableSubmitError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Invalid(_) | Self::BadWithdrawalCode => Refusal::Invalid,
            Self::Late(LateStory::InFuture | LateStory::BeforeOpened) => Refusal::Invalid,
            Self::TableClosed
            | Self::ProjectClosed
            | Self::Late(LateStory::AfterClosed | LateStory::AfterExpiry) => Refusal::Conflict,
        }
    }
}

impl From<SubmitError> for TableSubmitError {
    fn from(e: SubmitError) -> Self {
        match e {
            SubmitError::Invalid(errors) => Self::Invalid(errors),
            SubmitError::Core(core) => Self::Core(core),
        }
    }
}

/// A story as the device at a table sends it.
#[derive(Debug, Clone)]
pub struct TableStory {
    pub raw: RawSubmission,
    /// The worker ticked that the consent text was read aloud and the teller said yes.
    pub consent_read: bool,
    /// The form's idempotency key.
    pub submission_key: String,
    /// The withdrawal code the device drew itself (with JavaScript), so that the teller has
    /// the same code whether the server's answer arrives or the story is kept and sent later;
    /// `None`: the code is derived from the key, as for every online story.
    pub device_code: Option<String>,
    pub language: String,
}

/// When a story at a table was told: now (posted with a connection), or earlier on a device
/// that had none, which kept it and sends it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    Now,
    Earlier {
        /// The device's clock when the worker finished the story.
        finished_at: i64,
        /// Until when the device's pass opened the table's form.
        pass_expires: i64,
    },
}

/// Validates and stores a story told at a table: its own participant, consent, withdrawal
/// code and the worker's confirmation that the consent text was read aloud (required). A
/// story told now needs the table open now; a story kept on a device needs to have been
/// finished while the table was open, even if the table closed since. The same form twice
/// stores it once, also when the table closed in between.
pub async fn submit(
    db: &Database,
    secret: &Secret,
    project: &Project,
    table_id: &str,
    story: TableStory,
    told: Told,
    now: i64,
) -> Result<TableSubmitted, TableSubmitError> {
    let table = find(db, project, table_id)
        .await?
        .ok_or(TableSubmitError::TableClosed)?;
    let valid = validate(project, &story)?;
    let code = match &story.device_code {
        Some(drawn) => {
            normalize_withdrawal_code(drawn).ok_or(TableSubmitError::BadWithdrawalCode)?
        }
        None => secret.withdrawal_code(&story.submission_key),
    };
    let key_hash = sha256_hex(&story.submission_key);
    // A repeat of a form already stored (double click, refresh, a kept story sent twice)
    // gets its answer again.
    if let Some(earlier) = stored_with_key(db, project, &key_hash).await? {
        let shown = repeat_code(secret, &story.submission_key, code, &earlier);
        return Ok(done(earlier.record.id, shown, true));
    }
    let told_at = match told {
        Told::Now => {
            // A closed vertelpunt takes no stories, at a table neither.
            if !project.is_open
                || table_state(table.closed_at, table.expires_at, now) != TableState::Open
            {
                return Err(TableSubmitError::TableClosed);
            }
            now
        }
        Told::Earlier {
            finished_at,
            pass_expires,
        } => {
            if !project.is_open {
                return Err(TableSubmitError::ProjectClosed);
            }
            let times = TableTimes {
                opened_at: table.opened_at,
                closed_at: table.closed_at,
                until: table.expires_at.min(pass_expires),
            };
            judge_finished_at(finished_at, times, now).map_err(TableSubmitError::Late)?;
            finished_at
        }
    };
    let (mut record, safety_signal) = told_record(
        project,
        &valid,
        participant_id(random_bytes()),
        &story.language,
        Channel::Verteltafel,
        &code,
        &key_hash,
        told_at,
    );
    for _ in 0..2 {
        let link = StoryTableLink {
            story_id: record.id.clone(),
            table_id: table.id.clone(),
            consent_read_at: told_at,
        };
        let stored = store::insert_story(
            db,
            record.clone(),
            valid.answers.clone(),
            link,
            vec![key_hash.clone()],
        )
        .await;
        match stored {
            Ok(()) => {
                let mut submitted = done(record.id, code, false);
                submitted.safety_signal = safety_signal;
                return Ok(submitted);
            }
            Err(e) if e.is_unique_violation() => {
                // Sent twice at once: the other request stored it.
                if let Some(earlier) = stored_with_key(db, project, &key_hash).await? {
                    let shown = repeat_code(secret, &story.submission_key, code, &earlier);
                    return Ok(done(earlier.record.id, shown, true));
                }
                record.id = crate::domain::codes::story_id(random_bytes());
            }
            Err(e) => return Err(ServiceError::Store(e).into()),
        }
    }
    Err(ServiceError::Store(crate::store::StoreError::Corrupt(
        "could not find a free story id".into(),
    ))
    .into())
}

/// The story as it would be stored, or every problem with it (the worker's confirmation
/// that the consent was read aloud among them).
fn validate(project: &Project, story: &TableStory) -> Result<ValidStory, TableSubmitError> {
    let validated =
        validate_submission(&project.questionnaire, &project.settings, &story.raw, None);
    let mut errors = match &validated {
        Ok(_) => Vec::new(),
        Err(errors) => errors.clone(),
    };
    if !story.consent_read {
        errors.push(FieldError {
            field: FIELD_CONSENT_READ.to_string(),
            problem: Problem::Required,
        });
    }
    match validated {
        Ok(valid) if errors.is_empty() => Ok(valid),
        _ => Err(TableSubmitError::Invalid(errors)),
    }
}

/// The story of this project stored with the form key hashing to `key_hash`.
async fn stored_with_key(
    db: &Database,
    project: &Project,
    key_hash: &str,
) -> Result<Option<stories::Story>, ServiceError> {
    let key = key_hash.to_string();
    Ok(db
        .run(move |conn| stories::find_by_submission_key(conn, &key))
        .await?
        .filter(|s| s.record.project_slug == project.slug))
}

/// The code a repeat shows: the one the story was stored with, the device's own or the one
/// derived from the key (only its hash is kept, so both are tried).
fn repeat_code(secret: &Secret, key: &str, sent: String, earlier: &stories::Story) -> String {
    let derived = secret.withdrawal_code(key);
    let stored = earlier.record.withdrawal_code_hash.as_deref();
    if stored != Some(sha256_hex(&sent).as_str()) && stored == Some(sha256_hex(&derived).as_str()) {
        derived
    } else {
        sent
    }
}

/// A story stored at a table. Unlike an online story, no continuation and no change of the
/// story just sent is offered: the next teller at the device must not see it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSubmitted {
    pub story_id: String,
    pub withdrawal_code: String,
    /// True when this form had already been stored (double click, refresh).
    pub was_duplicate: bool,
    /// True when the safety triage found signal words: the thank-you page shows the help
    /// lines first.
    pub safety_signal: bool,
}

fn done(story_id: String, code: String, was_duplicate: bool) -> TableSubmitted {
    TableSubmitted {
        story_id,
        withdrawal_code: code,
        was_duplicate,
        safety_signal: false,
    }
}

/// The table name of each story of a project told at a table, for the analysis.
pub fn table_names(
    conn: &mut crate::store::AnyConnection,
    project: &str,
) -> crate::store::StoreResult<HashMap<String, String>> {
    Ok(store::story_table_names(conn, project)?
        .into_iter()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_sends_kept_stories_for_a_week_after_it_stops_opening_the_form() {
        let secret = Secret::from_hex(&"ab".repeat(32)).unwrap();
        let pass = TablePass {
            project: "jeugdhulp".into(),
            table: "VT-1".into(),
            expires: 1_000,
        };
        let sealed = pass.seal(&secret);
        assert_eq!(
            TablePass::open(&secret, &sealed, "jeugdhulp", 999),
            Some(pass.clone())
        );
        assert_eq!(TablePass::open(&secret, &sealed, "jeugdhulp", 1_000), None);
        let last = 1_000 + SEND_GRACE_SECONDS - 1;
        assert_eq!(
            TablePass::open_for_sending(&secret, &sealed, "jeugdhulp", last),
            Some(pass)
        );
        assert_eq!(
            TablePass::open_for_sending(&secret, &sealed, "jeugdhulp", last + 1),
            None
        );
        assert_eq!(
            TablePass::open_for_sending(&secret, &sealed, "elders", 999),
            None
        );
        assert_eq!(
            TablePass::open_for_sending(&secret, "nagemaakt", "jeugdhulp", 999),
            None
        );
    }
}
