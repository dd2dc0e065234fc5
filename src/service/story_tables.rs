//! Verteltafels: a begeleider opens a table for a project and gets its code once; a youth
//! worker's device types the code and takes stories from several tellers one after another.
//! Each story is the teller's own (own consent, own withdrawal code), stored with channel
//! `verteltafel` and a link to its table. Opening and closing are in the audit log.

use super::accounts::SignedIn;
use super::audit::{self, action};
use super::error::{require, Refusal, Refused, ServiceError};
use super::storytelling::{told_record, SubmitError};
use crate::domain::accounts::ProjectAction;
use crate::domain::codes::{base32, participant_id};
use crate::domain::story::{validate_submission, FieldError, Problem};
use crate::domain::story_table::{
    normalize_table_code, table_code, table_state, TableState, ValidTablePlan, TABLE_CODE_SECONDS,
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
    pub fn open(secret: &Secret, sealed: &str, project: &str, now: i64) -> Option<Self> {
        secret
            .open::<TablePass>("verteltafel", sealed)
            .filter(|p| p.project == project && p.expires > now)
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
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(TableSubmitError);

impl Refused for TableSubmitError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Invalid(_) => Refusal::Invalid,
            Self::TableClosed => Refusal::Conflict,
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

/// Validates and stores a story told at a table: its own participant, consent, withdrawal
/// code and the worker's confirmation that the consent text was read aloud (required). A
/// table that closed or expired refuses it. The same form twice stores it once.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    db: &Database,
    secret: &Secret,
    project: &Project,
    table_id: &str,
    raw: RawSubmission,
    consent_read: bool,
    submission_key: &str,
    language: &str,
    now: i64,
) -> Result<TableSubmitted, TableSubmitError> {
    let table = find(db, project, table_id)
        .await?
        .ok_or(TableSubmitError::TableClosed)?;
    let validated = validate_submission(&project.questionnaire, &project.settings, &raw, None);
    let mut errors = match &validated {
        Ok(_) => Vec::new(),
        Err(errors) => errors.clone(),
    };
    if !consent_read {
        errors.push(FieldError {
            field: FIELD_CONSENT_READ.to_string(),
            problem: Problem::Required,
        });
    }
    let story = match validated {
        Ok(story) if errors.is_empty() => story,
        _ => return Err(TableSubmitError::Invalid(errors)),
    };
    let key_hash = sha256_hex(submission_key);
    let code = secret.withdrawal_code(submission_key);
    // A repeat of a form already stored (double click, refresh) gets its thank-you page
    // again, also when the table closed in between.
    let key = key_hash.clone();
    if let Some(earlier) = db
        .run(move |conn| stories::find_by_submission_key(conn, &key))
        .await?
        .filter(|s| s.record.project_slug == project.slug)
    {
        return Ok(done(earlier.record.id, code, true));
    }
    // A closed vertelpunt takes no stories, at a table neither.
    if !project.is_open || table_state(table.closed_at, table.expires_at, now) != TableState::Open {
        return Err(TableSubmitError::TableClosed);
    }
    let (mut record, safety_signal) = told_record(
        project,
        &story,
        participant_id(random_bytes()),
        language,
        Channel::Verteltafel,
        &code,
        &key_hash,
        now,
    );
    for _ in 0..2 {
        let link = StoryTableLink {
            story_id: record.id.clone(),
            table_id: table.id.clone(),
            consent_read_at: now,
        };
        let stored = store::insert_story(
            db,
            record.clone(),
            story.answers.clone(),
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
                let key = key_hash.clone();
                let earlier = db
                    .run(move |conn| stories::find_by_submission_key(conn, &key))
                    .await?;
                if let Some(earlier) = earlier.filter(|s| s.record.project_slug == project.slug) {
                    return Ok(done(earlier.record.id, code, true));
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
