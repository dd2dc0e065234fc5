//! Stories and their answers.
//!
//! Answers live one row per question: a slider in `number_value`, N/A as `is_na`, choices,
//! multichoice keys (joined by `;`) and text in `text_value`. Reading them back needs the
//! questionnaire version the story was answered with, which tells each question's type.

use super::schema::{answers, stories};
use super::{AnyConnection, StoreError, StoreResult};
use crate::domain::answer::{Answer, Answers, SliderValue};
use crate::domain::questionnaire::{QuestionType, Questionnaire};
use diesel::prelude::*;
use std::collections::HashMap;

/// A stories row exactly as stored (also used to copy a database).
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = stories)]
pub struct StoryRecord {
    pub id: String,
    pub project_slug: String,
    pub questionnaire_version: i32,
    pub participant_id: Option<String>,
    pub role: String,
    pub title: String,
    pub body: String,
    pub language: String,
    pub channel: String,
    pub created_at: i64,
    pub is_complete: bool,
    pub consent_analysis: bool,
    pub consent_quotes: bool,
    pub withdrawal_code_hash: Option<String>,
    pub withdrawn_at: Option<i64>,
    pub submission_key: Option<String>,
    #[diesel(embed)]
    pub moderation: Moderation,
}

/// What begeleiders did with a story: looked at it, hid it from analysis, redacted it.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Default)]
#[diesel(table_name = stories)]
pub struct Moderation {
    pub reviewed_at: Option<i64>,
    pub hidden_at: Option<i64>,
    pub hidden_reason: Option<String>,
    pub redacted_at: Option<i64>,
    /// Kept only when the project's settings say so.
    pub original_title: Option<String>,
    pub original_body: Option<String>,
}

/// An answers row exactly as stored.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = answers)]
pub struct AnswerRecord {
    pub story_id: String,
    pub question_key: String,
    pub number_value: Option<i32>,
    pub text_value: Option<String>,
    pub is_na: bool,
}

impl AnswerRecord {
    pub fn encode(story_id: &str, key: &str, answer: &Answer) -> Self {
        let (number_value, text_value, is_na) = match answer {
            Answer::Slider(v) => (Some(v.get() as i32), None, false),
            Answer::NotApplicable => (None, None, true),
            Answer::Choice(k) => (None, Some(k.clone()), false),
            Answer::Multichoice(keys) => (None, Some(keys.join(";")), false),
            Answer::Text(t) => (None, Some(t.clone()), false),
        };
        Self {
            story_id: story_id.to_string(),
            question_key: key.to_string(),
            number_value,
            text_value,
            is_na,
        }
    }

    pub fn decode(&self, kind: Option<QuestionType>) -> StoreResult<Answer> {
        let corrupt = || {
            StoreError::Corrupt(format!(
                "answer {} of story {} does not fit its question",
                self.question_key, self.story_id
            ))
        };
        if self.is_na {
            return Ok(Answer::NotApplicable);
        }
        match (kind, self.number_value, self.text_value.as_deref()) {
            (Some(QuestionType::Slider), Some(n), _) => SliderValue::new(n as i64)
                .map(Answer::Slider)
                .ok_or_else(corrupt),
            (Some(QuestionType::Choice), _, Some(t)) => Ok(Answer::Choice(t.to_string())),
            (Some(QuestionType::Multichoice), _, Some(t)) => Ok(Answer::Multichoice(
                t.split(';')
                    .filter(|k| !k.is_empty())
                    .map(String::from)
                    .collect(),
            )),
            (Some(QuestionType::Text) | None, _, Some(t)) => Ok(Answer::Text(t.to_string())),
            _ => Err(corrupt()),
        }
    }
}

/// A story with its answers decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub record: StoryRecord,
    pub answers: Answers,
}

impl Story {
    pub fn is_withdrawn(&self) -> bool {
        self.record.withdrawn_at.is_some()
    }
}

/// Inserts a story and its answers (call inside a transaction).
pub fn insert(
    conn: &mut AnyConnection,
    record: &StoryRecord,
    answers: &Answers,
) -> StoreResult<()> {
    diesel::insert_into(stories::table)
        .values(record)
        .execute(conn)?;
    let rows: Vec<AnswerRecord> = answers
        .iter()
        .map(|(key, a)| AnswerRecord::encode(&record.id, key, a))
        .collect();
    if !rows.is_empty() {
        super::insert_rows!(conn, answers::table, &rows)?;
    }
    Ok(())
}

/// Inserts many stories at once (chunked to stay below bind-parameter limits).
pub fn insert_many(
    conn: &mut AnyConnection,
    records: &[StoryRecord],
    answer_rows: &[AnswerRecord],
) -> StoreResult<()> {
    for chunk in records.chunks(500) {
        super::insert_rows!(conn, stories::table, chunk)?;
    }
    for chunk in answer_rows.chunks(1000) {
        super::insert_rows!(conn, answers::table, chunk)?;
    }
    Ok(())
}

/// The ids among `ids` that already exist.
pub fn existing_ids(conn: &mut AnyConnection, ids: &[String]) -> StoreResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        let mut part: Vec<String> = stories::table
            .filter(stories::id.eq_any(chunk))
            .select(stories::id)
            .load(conn)?;
        found.append(&mut part);
    }
    Ok(found)
}

fn load_answers(
    conn: &mut AnyConnection,
    records: Vec<StoryRecord>,
    questionnaires: &HashMap<i32, Questionnaire>,
) -> StoreResult<Vec<Story>> {
    let mut by_story: HashMap<String, Vec<AnswerRecord>> = HashMap::new();
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    for chunk in ids.chunks(500) {
        let rows: Vec<AnswerRecord> = answers::table
            .filter(answers::story_id.eq_any(chunk))
            .select(AnswerRecord::as_select())
            .load(conn)?;
        for row in rows {
            by_story.entry(row.story_id.clone()).or_default().push(row);
        }
    }
    records
        .into_iter()
        .map(|record| {
            let questionnaire = questionnaires.get(&record.questionnaire_version);
            let mut decoded = Answers::new();
            for row in by_story.remove(&record.id).unwrap_or_default() {
                let kind = questionnaire
                    .and_then(|q| q.question(&row.question_key))
                    .map(|q| q.kind);
                decoded.insert(row.question_key.clone(), row.decode(kind)?);
            }
            Ok(Story {
                record,
                answers: decoded,
            })
        })
        .collect()
}

fn versions_map(conn: &mut AnyConnection, slug: &str) -> StoreResult<HashMap<i32, Questionnaire>> {
    Ok(super::projects::versions(conn, slug)?.into_iter().collect())
}

pub fn find(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<Story>> {
    let Some(record) = stories::table
        .filter(stories::id.eq(id))
        .select(StoryRecord::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let versions = versions_map(conn, &record.project_slug)?;
    Ok(load_answers(conn, vec![record], &versions)?.pop())
}

pub fn find_by_submission_key(conn: &mut AnyConnection, key: &str) -> StoreResult<Option<Story>> {
    let id: Option<String> = stories::table
        .filter(stories::submission_key.eq(key))
        .select(stories::id)
        .first(conn)
        .optional()?;
    match id {
        Some(id) => find(conn, &id),
        None => Ok(None),
    }
}

/// The story of this project whose withdrawal code hashes to `hash`, if not yet withdrawn.
pub fn find_by_withdrawal_hash(
    conn: &mut AnyConnection,
    project: &str,
    hash: &str,
) -> StoreResult<Option<StoryRecord>> {
    Ok(stories::table
        .filter(stories::project_slug.eq(project))
        .filter(stories::withdrawal_code_hash.eq(hash))
        .filter(stories::withdrawn_at.is_null())
        .select(StoryRecord::as_select())
        .first(conn)
        .optional()?)
}

/// Erases a story's text and answers; the row stays as a tombstone so that counts stay honest.
/// Returns false when there was nothing to withdraw.
pub fn withdraw(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<bool> {
    let n = diesel::update(
        stories::table
            .filter(stories::id.eq(id))
            .filter(stories::withdrawn_at.is_null()),
    )
    .set((
        stories::title.eq(""),
        stories::body.eq(""),
        stories::withdrawn_at.eq(Some(now)),
        stories::withdrawal_code_hash.eq(None::<String>),
        stories::submission_key.eq(None::<String>),
        stories::participant_id.eq(None::<String>),
        stories::consent_analysis.eq(false),
        stories::consent_quotes.eq(false),
        stories::is_complete.eq(false),
        stories::original_title.eq(None::<String>),
        stories::original_body.eq(None::<String>),
        stories::hidden_reason.eq(None::<String>),
    ))
    .execute(conn)?;
    if n == 1 {
        diesel::delete(answers::table.filter(answers::story_id.eq(id))).execute(conn)?;
    }
    Ok(n == 1)
}

/// The project's stories that may leave the system: consented, not withdrawn and not hidden
/// by a begeleider, oldest first.
pub fn list_shareable(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<Story>> {
    let records: Vec<StoryRecord> = stories::table
        .filter(stories::project_slug.eq(project))
        .filter(stories::withdrawn_at.is_null())
        .filter(stories::hidden_at.is_null())
        .filter(stories::consent_analysis.eq(true))
        .order((stories::created_at.asc(), stories::id.asc()))
        .select(StoryRecord::as_select())
        .load(conn)?;
    let versions = versions_map(conn, project)?;
    load_answers(conn, records, &versions)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct StoryCounts {
    pub total: i64,
    pub withdrawn: i64,
    pub complete: i64,
}

pub fn counts(conn: &mut AnyConnection, project: &str) -> StoreResult<StoryCounts> {
    let of_project = || stories::table.filter(stories::project_slug.eq(project));
    Ok(StoryCounts {
        total: of_project().count().get_result(conn)?,
        withdrawn: of_project()
            .filter(stories::withdrawn_at.is_not_null())
            .count()
            .get_result(conn)?,
        complete: of_project()
            .filter(stories::is_complete.eq(true))
            .count()
            .get_result(conn)?,
    })
}
