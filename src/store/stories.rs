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

pub mod exclusive;

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
    /// The text's length in words, so that analysis need not read texts. Set when a story is
    /// stored (`told::insert_in`, [`insert_many`]) and at every change of the text; `None`
    /// only in rows older than the column.
    pub word_count: Option<i32>,
}

/// The word count stored with a text (see `domain::story::word_count`).
fn words(body: &str) -> i32 {
    i32::try_from(crate::domain::story::word_count(body)).unwrap_or(i32::MAX)
}

impl StoryRecord {
    /// The record with its word count set from its text.
    pub(super) fn counted(&self) -> StoryRecord {
        StoryRecord {
            word_count: Some(words(&self.body)),
            ..self.clone()
        }
    }
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
    /// Safety triage: the categories of signal words found when the story was told,
    /// `;`-joined (see `domain::triage`). Never the words themselves.
    pub safety_flag: Option<String>,
    /// When a begeleider marked the safety signal as handled.
    pub safety_handled_at: Option<i64>,
    /// When the texts were deleted because the project's retention period was over.
    pub text_deleted_at: Option<i64>,
}

/// An answers row exactly as stored. A `None` is written as NULL, never as `DEFAULT`: binary
/// `COPY` needs a value in every column.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = answers, treat_none_as_default_value = false)]
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

/// Inserts many stories at once (chunked to stay below bind-parameter limits).
pub fn insert_many(
    conn: &mut AnyConnection,
    records: &[StoryRecord],
    answer_rows: &[AnswerRecord],
) -> StoreResult<()> {
    match conn {
        // SQLite: one prepared statement per row is quicker than diesel's batches, which
        // SQLite splits into a statement per row, parsed anew, when a row has a `None`.
        AnyConnection::Sqlite(c) => super::told::insert_rows_sqlite(c, records, answer_rows)?,
        // PostgreSQL: binary `COPY`, one stream per table. Multi-row `INSERT`s were a new
        // statement text for every batch size and took more than 15 minutes for a million.
        AnyConnection::Postgresql(c) => {
            let rows: Vec<StoryCopy> = records.iter().map(StoryCopy::of).collect();
            diesel::copy_from(stories::table)
                .from_insertable(rows)
                .execute(c)?;
            diesel::copy_from(answers::table)
                .from_insertable(answer_rows)
                .execute(c)?;
        }
    }
    let mut by_project: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for r in records {
        by_project
            .entry(r.project_slug.as_str())
            .or_default()
            .push(r.id.as_str());
    }
    for (slug, ids) in by_project {
        super::changes::record_stories(conn, slug, &ids)?;
    }
    Ok(())
}

/// A stories row for PostgreSQL's `COPY`, which needs the columns as one flat list (a
/// [`StoryRecord`] embeds its [`Moderation`]), with the word count set from the text.
#[derive(Insertable)]
#[diesel(table_name = stories, treat_none_as_default_value = false)]
struct StoryCopy<'a> {
    id: &'a str,
    project_slug: &'a str,
    questionnaire_version: i32,
    participant_id: Option<&'a str>,
    role: &'a str,
    title: &'a str,
    body: &'a str,
    language: &'a str,
    channel: &'a str,
    created_at: i64,
    is_complete: bool,
    consent_analysis: bool,
    consent_quotes: bool,
    withdrawal_code_hash: Option<&'a str>,
    withdrawn_at: Option<i64>,
    submission_key: Option<&'a str>,
    reviewed_at: Option<i64>,
    hidden_at: Option<i64>,
    hidden_reason: Option<&'a str>,
    redacted_at: Option<i64>,
    original_title: Option<&'a str>,
    original_body: Option<&'a str>,
    safety_flag: Option<&'a str>,
    safety_handled_at: Option<i64>,
    text_deleted_at: Option<i64>,
    word_count: Option<i32>,
}

impl<'a> StoryCopy<'a> {
    fn of(r: &'a StoryRecord) -> Self {
        let m = &r.moderation;
        StoryCopy {
            id: &r.id,
            project_slug: &r.project_slug,
            questionnaire_version: r.questionnaire_version,
            participant_id: r.participant_id.as_deref(),
            role: &r.role,
            title: &r.title,
            body: &r.body,
            language: &r.language,
            channel: &r.channel,
            created_at: r.created_at,
            is_complete: r.is_complete,
            consent_analysis: r.consent_analysis,
            consent_quotes: r.consent_quotes,
            withdrawal_code_hash: r.withdrawal_code_hash.as_deref(),
            withdrawn_at: r.withdrawn_at,
            submission_key: r.submission_key.as_deref(),
            reviewed_at: m.reviewed_at,
            hidden_at: m.hidden_at,
            hidden_reason: m.hidden_reason.as_deref(),
            redacted_at: m.redacted_at,
            original_title: m.original_title.as_deref(),
            original_body: m.original_body.as_deref(),
            safety_flag: m.safety_flag.as_deref(),
            safety_handled_at: m.safety_handled_at,
            text_deleted_at: m.text_deleted_at,
            word_count: Some(words(&r.body)),
        }
    }
}

/// After a bulk load (import, demo data, `db copy`) on PostgreSQL: fresh statistics for the
/// tables it filled. Until autovacuum gets to them, plans are made from statistics that may
/// say the tables are empty, and every read by id then scans whole tables (the export of
/// 100,000 freshly loaded stories ran twelve times slower). SQLite plans without them.
pub fn analyze_after_bulk(conn: &mut AnyConnection) -> StoreResult<()> {
    if let AnyConnection::Postgresql(c) = conn {
        diesel::sql_query("ANALYZE stories, answers, data_changes").execute(c)?;
    }
    Ok(())
}

/// The ids among `ids` that already exist.
pub fn existing_ids(conn: &mut AnyConnection, ids: &[String]) -> StoreResult<Vec<String>> {
    // PostgreSQL plans with the table's statistics from before an import, which may say it is
    // empty: it then reads the whole table for every chunk, also the rows this import has
    // written so far (100,000 stories took 94 s). The primary key is the way to look up ids,
    // so the check says so, for its own statements only: the setting is local to the
    // transaction and put back as it was right after.
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }
    let before = match conn {
        AnyConnection::Postgresql(_) => Some(
            diesel::sql_query(
                "SELECT current_setting('enable_seqscan') AS value, \
                 set_config('enable_seqscan', 'off', true)",
            )
            .get_result::<Setting>(conn)?
            .value,
        ),
        AnyConnection::Sqlite(_) => None,
    };
    // PostgreSQL gets all ids as one array (`= ANY($1)`); SQLite one parameter each, below
    // its limit.
    let per_statement = match conn {
        AnyConnection::Postgresql(_) => ids.len().max(1),
        AnyConnection::Sqlite(_) => 500,
    };
    let mut found = Vec::new();
    for chunk in ids.chunks(per_statement) {
        let mut part: Vec<String> = stories::table
            .filter(stories::id.eq_any(chunk))
            .select(stories::id)
            .load(conn)?;
        found.append(&mut part);
    }
    if let Some(value) = before {
        diesel::sql_query("SELECT set_config('enable_seqscan', $1, true)")
            .bind::<diesel::sql_types::Text, _>(value)
            .execute(conn)?;
    }
    Ok(found)
}

fn load_answers(
    conn: &mut AnyConnection,
    records: Vec<StoryRecord>,
    questionnaires: &HashMap<i32, Questionnaire>,
) -> StoreResult<Vec<Story>> {
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    let mut rows = Vec::new();
    for chunk in ids.chunks(500) {
        let mut part: Vec<AnswerRecord> = answers::table
            .filter(answers::story_id.eq_any(chunk))
            .select(AnswerRecord::as_select())
            .load(conn)?;
        rows.append(&mut part);
    }
    decode_stories(records, rows, questionnaires)
}

/// Puts answer rows with their stories, decoding each against the story's questionnaire
/// version. Rows of stories not in `records` are ignored.
fn decode_stories(
    records: Vec<StoryRecord>,
    rows: Vec<AnswerRecord>,
    questionnaires: &HashMap<i32, Questionnaire>,
) -> StoreResult<Vec<Story>> {
    let mut by_story: HashMap<String, Vec<AnswerRecord>> = HashMap::with_capacity(records.len());
    for row in rows {
        by_story.entry(row.story_id.clone()).or_default().push(row);
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

pub fn versions_map(
    conn: &mut AnyConnection,
    slug: &str,
) -> StoreResult<HashMap<i32, Questionnaire>> {
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

/// What a teller may change in a story they sent a moment ago (Back, edit, send again).
#[derive(Debug, Clone, PartialEq)]
pub struct ChangedContent {
    pub title: String,
    pub body: String,
    pub language: String,
    pub is_complete: bool,
    pub consent_analysis: bool,
    pub consent_quotes: bool,
    /// The safety triage of the new text; a flag found earlier is never cleared by it.
    pub safety_flag: Option<String>,
}

/// Puts the teller's changed text and answers in place of the story's, keeping its id,
/// withdrawal code and time. Only a story that is not withdrawn, not yet redacted and whose
/// form key hashes to `key_hash`; returns false otherwise.
pub fn change_content(
    conn: &mut AnyConnection,
    id: &str,
    key_hash: &str,
    content: &ChangedContent,
    answers_now: &Answers,
) -> StoreResult<bool> {
    let target = stories::table
        .filter(stories::id.eq(id))
        .filter(stories::submission_key.eq(key_hash))
        .filter(stories::withdrawn_at.is_null())
        .filter(stories::redacted_at.is_null());
    let earlier_flag: Option<Option<String>> =
        target.select(stories::safety_flag).first(conn).optional()?;
    let Some(earlier_flag) = earlier_flag else {
        return Ok(false);
    };
    let n = diesel::update(target)
        .set((
            stories::title.eq(&content.title),
            stories::body.eq(&content.body),
            stories::word_count.eq(Some(words(&content.body))),
            stories::language.eq(&content.language),
            stories::is_complete.eq(content.is_complete),
            stories::consent_analysis.eq(content.consent_analysis),
            stories::consent_quotes.eq(content.consent_quotes),
            stories::safety_flag.eq(earlier_flag.or_else(|| content.safety_flag.clone())),
        ))
        .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    diesel::delete(answers::table.filter(answers::story_id.eq(id))).execute(conn)?;
    let rows: Vec<AnswerRecord> = answers_now
        .iter()
        .map(|(key, a)| AnswerRecord::encode(id, key, a))
        .collect();
    if !rows.is_empty() {
        super::insert_rows!(conn, answers::table, &rows)?;
    }
    super::changes::record_story(conn, id)?;
    Ok(true)
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
        stories::word_count.eq(Some(0)),
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
        stories::safety_flag.eq(None::<String>),
        stories::safety_handled_at.eq(None::<i64>),
    ))
    .execute(conn)?;
    if n == 1 {
        diesel::delete(answers::table.filter(answers::story_id.eq(id))).execute(conn)?;
        super::observations::blank_quotes_of_story(conn, id)?;
        super::changes::record_story(conn, id)?;
    }
    Ok(n == 1)
}

/// The project's stories that may leave the system: consented, not withdrawn and not hidden
/// by a begeleider, oldest first.
pub fn list_shareable(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<Story>> {
    let records = shareable_records(conn, project)?;
    let rows = shareable_answer_rows(conn, project)?;
    let versions = versions_map(conn, project)?;
    decode_stories(records, rows, &versions)
}

/// The stories among `ids` that may leave the system (as [`list_shareable`]), with their
/// answers decoded against `questionnaires` (from [`versions_map`]); in no particular order.
pub fn shareable_by_ids(
    conn: &mut AnyConnection,
    project: &str,
    ids: &[String],
    questionnaires: &HashMap<i32, Questionnaire>,
) -> StoreResult<Vec<Story>> {
    let mut records = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut part: Vec<StoryRecord> = stories::table
            .filter(stories::id.eq_any(chunk))
            .filter(stories::withdrawn_at.is_null())
            .filter(stories::hidden_at.is_null())
            .filter(stories::consent_analysis.eq(true))
            .select(StoryRecord::as_select())
            .load(conn)?;
        part.retain(|r| r.project_slug == project);
        records.append(&mut part);
    }
    load_answers(conn, records, questionnaires)
}

/// The records of [`list_shareable`] without their answers, oldest first.
pub fn shareable_records(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<StoryRecord>> {
    Ok(stories::table
        .filter(stories::project_slug.eq(project))
        .filter(stories::withdrawn_at.is_null())
        .filter(stories::hidden_at.is_null())
        .filter(stories::consent_analysis.eq(true))
        .order((stories::created_at.asc(), stories::id.asc()))
        .select(StoryRecord::as_select())
        .load(conn)?)
}

/// The stored answers of the stories of [`list_shareable`], in no particular order. One join:
/// a whole project is read at once (the analysis pages), and thousands of `IN (…)` lists would
/// cost far more than the rows themselves.
pub fn shareable_answer_rows(
    conn: &mut AnyConnection,
    project: &str,
) -> StoreResult<Vec<AnswerRecord>> {
    Ok(answers::table
        .inner_join(stories::table)
        .filter(stories::project_slug.eq(project))
        .filter(stories::withdrawn_at.is_null())
        .filter(stories::hidden_at.is_null())
        .filter(stories::consent_analysis.eq(true))
        .select(AnswerRecord::as_select())
        .load(conn)?)
}

/// What analysis needs of a story: never its texts.
#[derive(Queryable, Debug, Clone, PartialEq)]
pub struct FactsRecord {
    pub id: String,
    pub created_at: i64,
    pub questionnaire_version: i32,
    pub role: String,
    pub language: String,
    pub channel: String,
    pub is_complete: bool,
    pub consent_quotes: bool,
    pub word_count: Option<i32>,
    /// The number the search index knows the story by (`search_index::row_key`).
    pub row_key: i64,
}

/// Up to `limit` of the stories of [`shareable_records`] after `after` (time and id) in story
/// order: a project is read a chunk at a time, in bounded memory.
pub fn shareable_facts(
    conn: &mut AnyConnection,
    project: &str,
    after: Option<(i64, &str)>,
    limit: i64,
) -> StoreResult<Vec<FactsRecord>> {
    // The conditions are written as in the partial index `stories_facts` (a bare
    // `consent_analysis`, not `= $1`), so that both databases can prove it applies and read
    // the facts from the index alone.
    let mut query = stories::table
        .filter(stories::project_slug.eq(project))
        .filter(stories::withdrawn_at.is_null())
        .filter(stories::hidden_at.is_null())
        .filter(stories::consent_analysis)
        .into_boxed::<Backend>();
    if let Some((created_at, id)) = after {
        // A row comparison, so that the index is entered at the position instead of read
        // from the project's first story for every chunk.
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(stories.created_at, stories.id) > (")
                .bind::<diesel::sql_types::BigInt, _>(created_at)
                .sql(", ")
                .bind::<diesel::sql_types::Text, _>(id.to_string())
                .sql(")"),
        );
    }
    Ok(query
        .order((stories::created_at.asc(), stories::id.asc()))
        .limit(limit)
        .select((
            stories::id,
            stories::created_at,
            stories::questionnaire_version,
            stories::role,
            stories::language,
            stories::channel,
            stories::is_complete,
            stories::consent_quotes,
            stories::word_count,
            super::search_index::row_key(super::search_index::Dialect::of(conn)),
        ))
        .load(conn)?)
}

/// The answers of these stories (found by the answers' primary key, which starts with the
/// story id: no join, no sort).
pub fn answers_of(conn: &mut AnyConnection, ids: &[&str]) -> StoreResult<Vec<AnswerRecord>> {
    let mut rows = Vec::new();
    // Well below both backends' limits on bound parameters.
    for chunk in ids.chunks(5000) {
        rows.extend(
            answers::table
                .filter(answers::story_id.eq_any(chunk))
                .select(AnswerRecord::as_select())
                .load(conn)?,
        );
    }
    Ok(rows)
}

/// The word counts of these stories, counted from their texts: for rows written before the
/// column existed.
pub fn count_words(conn: &mut AnyConnection, ids: &[String]) -> StoreResult<Vec<(String, i32)>> {
    let mut counted = Vec::new();
    for chunk in ids.chunks(500) {
        let bodies: Vec<(String, String)> = stories::table
            .filter(stories::id.eq_any(chunk))
            .select((stories::id, stories::body))
            .load(conn)?;
        counted.extend(bodies.into_iter().map(|(id, body)| {
            let n = words(&body);
            (id, n)
        }));
    }
    Ok(counted)
}

/// Stores the word counts of rows written before the column existed, a chunk at a time (run
/// when the application opens the database). Returns how many were filled.
pub fn fill_word_counts(conn: &mut AnyConnection) -> StoreResult<usize> {
    let mut filled = 0;
    loop {
        let missing: Vec<String> = stories::table
            .filter(stories::word_count.is_null())
            .select(stories::id)
            .limit(2000)
            .load(conn)?;
        if missing.is_empty() {
            return Ok(filled);
        }
        let counted = count_words(conn, &missing)?;
        conn.transaction(|conn| {
            for (id, n) in &counted {
                diesel::update(stories::table.filter(stories::id.eq(id)))
                    .set(stories::word_count.eq(Some(*n)))
                    .execute(conn)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        filled += counted.len();
    }
}

/// Changed stories as a cache of the analysable data needs them: where each that still exists
/// sits in story order (id and time), and the records and answers of those that may now be
/// analysed (as [`shareable_records`], in no particular order).
pub struct Changed {
    /// Id, time and row key (`search_index::row_key`).
    pub positions: Vec<(String, i64, i64)>,
    pub records: Vec<StoryRecord>,
    pub rows: Vec<AnswerRecord>,
}

/// When each of these stories of `project` was told (stories that are gone are left out).
///
/// Looked up by id alone and the project checked here: given both, SQLite's planner may walk
/// the project's index (a million entries) instead of finding the ids (see `staff_lines`).
pub fn told_at(
    conn: &mut AnyConnection,
    project: &str,
    ids: &[String],
) -> StoreResult<Vec<(String, i64)>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        found.extend(
            stories::table
                .filter(stories::id.eq_any(chunk))
                .select((stories::id, stories::project_slug, stories::created_at))
                .load::<(String, String, i64)>(conn)?
                .into_iter()
                .filter(|(_, slug, _)| slug == project)
                .map(|(id, _, at)| (id, at)),
        );
    }
    Ok(found)
}

pub fn changed(conn: &mut AnyConnection, project: &str, ids: &[String]) -> StoreResult<Changed> {
    let mut found = Changed {
        positions: Vec::new(),
        records: Vec::new(),
        rows: Vec::new(),
    };
    for chunk in ids.chunks(500) {
        // By id alone, the project checked here (as in `told_at`).
        let of_chunk = || stories::table.filter(stories::id.eq_any(chunk));
        let row_key = super::search_index::row_key(super::search_index::Dialect::of(conn));
        found.positions.extend(
            of_chunk()
                .select((
                    stories::id,
                    stories::project_slug,
                    stories::created_at,
                    row_key,
                ))
                .load::<(String, String, i64, i64)>(conn)?
                .into_iter()
                .filter(|(_, slug, _, _)| slug == project)
                .map(|(id, _, at, key)| (id, at, key)),
        );
        found.records.extend(
            of_chunk()
                .filter(stories::withdrawn_at.is_null())
                .filter(stories::hidden_at.is_null())
                .filter(stories::consent_analysis.eq(true))
                .select(StoryRecord::as_select())
                .load::<StoryRecord>(conn)?
                .into_iter()
                .filter(|r| r.project_slug == project),
        );
    }
    let shareable: Vec<String> = found.records.iter().map(|r| r.id.clone()).collect();
    for chunk in shareable.chunks(500) {
        found.rows.extend(
            answers::table
                .filter(answers::story_id.eq_any(chunk))
                .select(AnswerRecord::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
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

// ---- Reading and moderating by staff (begeleiders, onderzoekers, admins) ----

type Backend = <AnyConnection as Connection>::Backend;

/// Which of a project's stories a staff list shows. Withdrawn stories are left out of the
/// other lists and appear only under [`StaffFilter::Withdrawn`], as tombstones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffFilter {
    /// Not yet marked as reviewed.
    New,
    All,
    Hidden,
    Withdrawn,
    /// "Mogelijk onveilig": a safety signal that no begeleider has marked as handled yet.
    Unsafe,
}

/// One line of a staff list: no story text beyond the title.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq, serde::Serialize)]
#[diesel(table_name = stories)]
pub struct StoryLine {
    pub id: String,
    pub role: String,
    pub title: String,
    pub created_at: i64,
    pub is_complete: bool,
    pub consent_quotes: bool,
    pub withdrawn_at: Option<i64>,
    pub reviewed_at: Option<i64>,
    pub hidden_at: Option<i64>,
    pub redacted_at: Option<i64>,
    pub safety_flag: Option<String>,
    pub safety_handled_at: Option<i64>,
    pub text_deleted_at: Option<i64>,
}

/// How many stories each staff filter shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct StaffCounts {
    pub new: i64,
    pub all: i64,
    pub hidden: i64,
    pub withdrawn: i64,
    pub unsafe_signals: i64,
}

impl StaffCounts {
    pub fn of(&self, filter: StaffFilter) -> i64 {
        match filter {
            StaffFilter::New => self.new,
            StaffFilter::All => self.all,
            StaffFilter::Hidden => self.hidden,
            StaffFilter::Withdrawn => self.withdrawn,
            StaffFilter::Unsafe => self.unsafe_signals,
        }
    }
}

/// A condition on the stories of a staff list.
type StaffCondition =
    Box<dyn diesel::BoxableExpression<stories::table, Backend, SqlType = diesel::sql_types::Bool>>;

/// Which stories a staff filter shows, as one condition: [`list_for_staff`] filters on it and
/// [`staff_counts`] counts every filter in one query with it.
fn staff_condition(filter: StaffFilter) -> StaffCondition {
    match filter {
        StaffFilter::New => Box::new(
            stories::withdrawn_at
                .is_null()
                .and(stories::reviewed_at.is_null()),
        ),
        StaffFilter::All => Box::new(stories::withdrawn_at.is_null()),
        StaffFilter::Hidden => Box::new(
            stories::withdrawn_at
                .is_null()
                .and(stories::hidden_at.is_not_null()),
        ),
        StaffFilter::Withdrawn => Box::new(stories::withdrawn_at.is_not_null()),
        StaffFilter::Unsafe => Box::new(
            stories::withdrawn_at
                .is_null()
                .and(stories::safety_flag.is_not_null())
                .and(stories::safety_handled_at.is_null()),
        ),
    }
}

/// The project's stories, narrowed to those with every word of `search` (full text, see
/// `search_index`); a search without a word to look for finds nothing.
fn staff_searched<'a>(
    conn: &AnyConnection,
    project: &'a str,
    search: Option<&str>,
) -> stories::BoxedQuery<'a, Backend> {
    use super::search_index::{matching, of_project, Dialect};
    match search.map(str::trim).filter(|w| !w.is_empty()) {
        Some(words) => stories::table
            .filter(of_project(project))
            .filter(matching(
                Dialect::of(conn),
                &crate::domain::search::terms(words),
            ))
            .into_boxed(),
        None => stories::table
            .filter(stories::project_slug.eq(project))
            .into_boxed(),
    }
}

/// A page of a project's stories, newest first; with `search`, only stories whose title or
/// text has those words.
pub fn list_for_staff(
    conn: &mut AnyConnection,
    project: &str,
    filter: StaffFilter,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<StoryLine>> {
    Ok(staff_searched(conn, project, search)
        .filter(staff_condition(filter))
        .order((stories::created_at.desc(), stories::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(StoryLine::as_select())
        .load(conn)?)
}

/// How many stories each filter shows, in one pass over the project's (found) stories.
pub fn staff_counts(
    conn: &mut AnyConnection,
    project: &str,
    search: Option<&str>,
) -> StoreResult<StaffCounts> {
    use diesel::dsl::{case_when, sum};
    use diesel::sql_types::Integer;
    let count = |filter| {
        sum(case_when(staff_condition(filter), 1.into_sql::<Integer>())
            .otherwise(0.into_sql::<Integer>()))
    };
    /// The sums in the order of the select; SUM over no rows is NULL.
    #[derive(Queryable)]
    struct Sums {
        new: Option<i64>,
        all: Option<i64>,
        hidden: Option<i64>,
        withdrawn: Option<i64>,
        unsafe_signals: Option<i64>,
    }
    let sums: Sums = staff_searched(conn, project, search)
        .select((
            count(StaffFilter::New),
            count(StaffFilter::All),
            count(StaffFilter::Hidden),
            count(StaffFilter::Withdrawn),
            count(StaffFilter::Unsafe),
        ))
        .get_result(conn)?;
    Ok(StaffCounts {
        new: sums.new.unwrap_or(0),
        all: sums.all.unwrap_or(0),
        hidden: sums.hidden.unwrap_or(0),
        withdrawn: sums.withdrawn.unwrap_or(0),
        unsafe_signals: sums.unsafe_signals.unwrap_or(0),
    })
}

/// Ids of the project's stories (not withdrawn) whose title or text has every one of `terms`
/// (from `domain::search::terms`; the last may be the start of a word). No terms: all.
pub fn ids_containing(
    conn: &mut AnyConnection,
    project: &str,
    terms: &[String],
) -> StoreResult<std::collections::HashSet<String>> {
    use super::search_index::{matching, of_project, Dialect};
    let query = if terms.is_empty() {
        stories::table
            .filter(stories::project_slug.eq(project))
            .into_boxed::<Backend>()
    } else {
        stories::table
            .filter(of_project(project))
            .filter(matching(Dialect::of(conn), terms))
            .into_boxed()
    };
    Ok(query
        .filter(stories::withdrawn_at.is_null())
        .select(stories::id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// These stories of the project with their answers, in the order of `ids`; ids of other
/// projects are left out. Each comes with its questionnaire version, to label the answers.
pub fn find_many_in_project(
    conn: &mut AnyConnection,
    project: &str,
    ids: &[String],
) -> StoreResult<Vec<(Story, Option<Questionnaire>)>> {
    // By primary key only: with the project in the WHERE clause SQLite may walk the
    // project's index through every story instead.
    let records: Vec<StoryRecord> = stories::table
        .filter(stories::id.eq_any(ids))
        .select(StoryRecord::as_select())
        .load::<StoryRecord>(conn)?
        .into_iter()
        .filter(|r| r.project_slug == project)
        .collect();
    let versions = versions_map(conn, project)?;
    let mut found = load_answers(conn, records, &versions)?;
    found.sort_by_key(|s| ids.iter().position(|id| *id == s.record.id));
    Ok(found
        .into_iter()
        .map(|s| {
            let q = versions.get(&s.record.questionnaire_version).cloned();
            (s, q)
        })
        .collect())
}

/// A story of this project with its answers decoded against its own questionnaire version,
/// which is returned too (to label the answers). `None` for an id of another project.
pub fn find_in_project(
    conn: &mut AnyConnection,
    project: &str,
    id: &str,
) -> StoreResult<Option<(Story, Option<Questionnaire>)>> {
    let Some(record) = stories::table
        .filter(stories::id.eq(id))
        .filter(stories::project_slug.eq(project))
        .select(StoryRecord::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let version = record.questionnaire_version;
    let questionnaire = super::projects::questionnaire(conn, project, version)?;
    let versions: HashMap<i32, Questionnaire> =
        questionnaire.iter().map(|q| (version, q.clone())).collect();
    let story = load_answers(conn, vec![record], &versions)?.pop();
    Ok(story.map(|s| (s, questionnaire)))
}

/// Marks a story as reviewed, unless it already was (the first time counts) or is withdrawn.
pub fn mark_reviewed(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<bool> {
    let n = diesel::update(
        stories::table
            .filter(stories::id.eq(id))
            .filter(stories::withdrawn_at.is_null())
            .filter(stories::reviewed_at.is_null()),
    )
    .set(stories::reviewed_at.eq(Some(now)))
    .execute(conn)?;
    if n == 1 {
        super::changes::record_workflow(conn, id)?;
    }
    Ok(n == 1)
}

/// Marks a story's safety signal as handled; false when it has none, was handled already or
/// the story is withdrawn.
pub fn mark_safety_handled(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<bool> {
    let n = diesel::update(
        stories::table
            .filter(stories::id.eq(id))
            .filter(stories::withdrawn_at.is_null())
            .filter(stories::safety_flag.is_not_null())
            .filter(stories::safety_handled_at.is_null()),
    )
    .set(stories::safety_handled_at.eq(Some(now)))
    .execute(conn)?;
    if n == 1 {
        super::changes::record_workflow(conn, id)?;
    }
    Ok(n == 1)
}

/// Hides a story from analysis and exports ([`list_shareable`] leaves it out).
pub fn hide(conn: &mut AnyConnection, id: &str, reason: &str, now: i64) -> StoreResult<bool> {
    let n = diesel::update(
        stories::table
            .filter(stories::id.eq(id))
            .filter(stories::withdrawn_at.is_null()),
    )
    .set((
        stories::hidden_at.eq(Some(now)),
        stories::hidden_reason.eq(Some(reason)),
    ))
    .execute(conn)?;
    if n == 1 {
        super::changes::record_story(conn, id)?;
    }
    Ok(n == 1)
}

/// Takes a hidden story back into analysis; false when it was not hidden.
pub fn show(conn: &mut AnyConnection, id: &str) -> StoreResult<bool> {
    let n = diesel::update(
        stories::table
            .filter(stories::id.eq(id))
            .filter(stories::withdrawn_at.is_null())
            .filter(stories::hidden_at.is_not_null()),
    )
    .set((
        stories::hidden_at.eq(None::<i64>),
        stories::hidden_reason.eq(None::<String>),
    ))
    .execute(conn)?;
    if n == 1 {
        super::changes::record_story(conn, id)?;
    }
    Ok(n == 1)
}

/// The story's texts after a redaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Redacted {
    pub title: String,
    pub body: String,
    /// The title and text before the first redaction, or `None` to keep no original.
    pub originals: Option<(String, String)>,
    /// Free-text answers that changed: question key and new text.
    pub answers: Vec<(String, String)>,
    pub at: i64,
}

/// Saves a redaction of `current`. Returns false (and changes nothing) when the story was
/// withdrawn or its title or text changed since `current` was read.
pub fn save_redaction(
    conn: &mut AnyConnection,
    current: &StoryRecord,
    redacted: &Redacted,
) -> StoreResult<bool> {
    let (original_title, original_body) = match &redacted.originals {
        Some((t, b)) => (Some(t.as_str()), Some(b.as_str())),
        None => (None, None),
    };
    let n = diesel::update(
        stories::table
            .filter(stories::id.eq(&current.id))
            .filter(stories::withdrawn_at.is_null())
            .filter(stories::title.eq(&current.title))
            .filter(stories::body.eq(&current.body)),
    )
    .set((
        stories::title.eq(&redacted.title),
        stories::body.eq(&redacted.body),
        stories::word_count.eq(Some(words(&redacted.body))),
        stories::original_title.eq(original_title),
        stories::original_body.eq(original_body),
        stories::redacted_at.eq(Some(redacted.at)),
    ))
    .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    for (key, text) in &redacted.answers {
        diesel::update(
            answers::table
                .filter(answers::story_id.eq(&current.id))
                .filter(answers::question_key.eq(key)),
        )
        .set(answers::text_value.eq(Some(text)))
        .execute(conn)?;
    }
    super::changes::record_story(conn, &current.id)?;
    Ok(true)
}

/// Drops every kept pre-redaction original of a project's stories.
pub fn forget_originals(conn: &mut AnyConnection, project: &str) -> StoreResult<usize> {
    Ok(diesel::update(
        stories::table
            .filter(stories::project_slug.eq(project))
            .filter(
                stories::original_title
                    .is_not_null()
                    .or(stories::original_body.is_not_null()),
            ),
    )
    .set((
        stories::original_title.eq(None::<String>),
        stories::original_body.eq(None::<String>),
    ))
    .execute(conn)?)
}

// ---- Retention: deleting the texts of old stories ----

/// Ids of the project's stories told before `before` whose texts are still there (not
/// withdrawn, not deleted yet), oldest first, at most `limit`.
pub fn due_for_text_deletion(
    conn: &mut AnyConnection,
    project: &str,
    before: i64,
    limit: i64,
) -> StoreResult<Vec<(String, i32)>> {
    Ok(stories::table
        .filter(stories::project_slug.eq(project))
        .filter(stories::created_at.lt(before))
        .filter(stories::withdrawn_at.is_null())
        .filter(stories::text_deleted_at.is_null())
        .order((stories::created_at.asc(), stories::id.asc()))
        .limit(limit)
        .select((stories::id, stories::questionnaire_version))
        .load(conn)?)
}

/// Deletes a story's texts after the retention period: title and text emptied, kept
/// originals and the links to the visit and the form cleared, and every answer removed
/// except those to the questions in `keep` (sliders and choices: no text). The withdrawal
/// code keeps working. Only one caller wins (a conditional UPDATE): false when the story was
/// withdrawn, already done, or not older than `before`. Quotes are removed separately
/// ([`super::observations::remove_quotes_of_story`]).
pub fn delete_texts(
    conn: &mut AnyConnection,
    id: &str,
    before: i64,
    keep: &[String],
    now: i64,
) -> StoreResult<bool> {
    let n = diesel::update(
        stories::table
            .filter(stories::id.eq(id))
            .filter(stories::created_at.lt(before))
            .filter(stories::withdrawn_at.is_null())
            .filter(stories::text_deleted_at.is_null()),
    )
    .set((
        stories::title.eq(""),
        stories::body.eq(""),
        stories::word_count.eq(Some(0)),
        stories::original_title.eq(None::<String>),
        stories::original_body.eq(None::<String>),
        stories::participant_id.eq(None::<String>),
        stories::submission_key.eq(None::<String>),
        stories::text_deleted_at.eq(Some(now)),
    ))
    .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    diesel::delete(
        answers::table
            .filter(answers::story_id.eq(id))
            .filter(answers::question_key.ne_all(keep)),
    )
    .execute(conn)?;
    super::changes::record_story(conn, id)?;
    Ok(true)
}
