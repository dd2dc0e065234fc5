//! Stories in and out as CSV (exchange format v1), and moving a database.

use crate::domain::story::is_complete;
use crate::domain::Channel;
use crate::domain::{triage, Answer};
use crate::exchange::csv_v1::{self, AnswerColumn, CsvError, StoryRow};
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::copy::{self, CopyError, Fingerprint};
use crate::store::stories::{self, AnswerRecord, Moderation, StoryRecord};
use crate::store::{projects, Database, DatabaseUrl};
use std::io::{Read, Write};

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("project {0:?} bestaat niet")]
    NoProject(String),
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("deze id's bestaan al, er is niets opgeslagen: {0}")]
    IdsTaken(String),
    #[error(transparent)]
    Core(#[from] ServiceError),
    #[error(transparent)]
    Copy(#[from] CopyError),
}

crate::core_error!(TransferError);

impl Refused for TransferError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::NoProject(_) => Refusal::NotFound,
            Self::Csv(_) => Refusal::Invalid,
            Self::IdsTaken(_) => Refusal::Conflict,
            Self::Copy(_) => Refusal::Failure,
        }
    }
}

/// Reads a CSV file and stores all its stories, or none when any row is wrong.
pub fn import_csv(db: &Database, slug: &str, input: impl Read) -> Result<usize, TransferError> {
    let project = {
        let mut conn = db.conn()?;
        projects::find(&mut conn, slug)?.ok_or_else(|| TransferError::NoProject(slug.into()))?
    };
    let rows = csv_v1::parse(input, &project.questionnaire)?;
    let mut records = Vec::with_capacity(rows.len());
    let mut answer_rows = Vec::new();
    for row in &rows {
        let complete = is_complete(
            project.settings.completeness,
            &project.questionnaire,
            &row.role,
            &row.text,
            &row.answers,
        );
        records.push(StoryRecord {
            id: row.id.clone(),
            project_slug: project.slug.clone(),
            questionnaire_version: project.version,
            participant_id: None,
            role: row.role.clone(),
            title: row.title.clone(),
            body: row.text.clone(),
            language: "nl".into(),
            channel: Channel::Import.as_str().into(),
            created_at: row.created_at,
            is_complete: complete,
            // Imported stories come from an earlier collection whose tellers consented.
            consent_analysis: true,
            consent_quotes: false,
            withdrawal_code_hash: None,
            withdrawn_at: None,
            submission_key: None,
            // Imported stories get the same safety triage as stories told online.
            moderation: Moderation {
                safety_flag: triage::scan(
                    [row.title.as_str(), row.text.as_str()].into_iter().chain(
                        row.answers.values().filter_map(|a| match a {
                            Answer::Text(t) => Some(t.as_str()),
                            _ => None,
                        }),
                    ),
                    &project.settings.triage_terms,
                )
                .flag(),
                ..Default::default()
            },
        });
        answer_rows.extend(
            row.answers
                .iter()
                .map(|(key, a)| AnswerRecord::encode(&row.id, key, a)),
        );
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    db.write_sync(|conn| {
        let taken = stories::existing_ids(conn, &ids)?;
        if !taken.is_empty() {
            return Ok(Err(TransferError::IdsTaken(taken.join(", "))));
        }
        stories::insert_many(conn, &records, &answer_rows)?;
        Ok(Ok(rows.len()))
    })?
}

/// Writes the project's shareable stories (consented, not withdrawn) as CSV v1.
pub fn export_csv(db: &Database, slug: &str, out: impl Write) -> Result<usize, TransferError> {
    let mut conn = db.conn()?;
    let project =
        projects::find(&mut conn, slug)?.ok_or_else(|| TransferError::NoProject(slug.into()))?;
    // Columns: the current questionnaire first, then questions only older versions had.
    let mut columns = AnswerColumn::for_questionnaire(&project.questionnaire);
    for (_, older) in projects::versions(&mut conn, slug)? {
        for column in AnswerColumn::for_questionnaire(&older) {
            if !columns.iter().any(|c| c.key == column.key) {
                columns.push(column);
            }
        }
    }
    let rows: Vec<StoryRow> = stories::list_shareable(&mut conn, slug)?
        .into_iter()
        .map(|s| StoryRow {
            id: s.record.id,
            created_at: s.record.created_at,
            role: s.record.role,
            title: s.record.title,
            text: s.record.body,
            answers: s.answers,
        })
        .collect();
    csv_v1::write(out, &columns, &rows)?;
    drop(conn);
    let detail = format!(
        "CSV via de opdrachtregel, {} {}",
        rows.len(),
        if rows.len() == 1 {
            "verhaal"
        } else {
            "verhalen"
        }
    );
    db.write_sync(|conn| {
        super::audit::log(
            conn,
            None,
            super::audit::action::EXPORT,
            Some(slug),
            None,
            &detail,
            crate::exchange::timestamp::now_unix(),
        )
    })?;
    Ok(rows.len())
}

/// Copies everything from one database to another, empty one, and verifies the result.
pub fn copy_database(from: &DatabaseUrl, to: &DatabaseUrl) -> Result<Fingerprint, TransferError> {
    // Opening runs the migrations, so the target gets the schema first.
    let source = Database::open(from, 1)?;
    let target = Database::open(to, 1)?;
    let mut from_conn = source.conn()?;
    let mut to_conn = target.conn()?;
    Ok(copy::copy_all(&mut from_conn, &mut to_conn)?)
}
