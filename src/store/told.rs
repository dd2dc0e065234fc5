//! Storing a story just told: the story, its answers, its entry in the change log and the
//! end of its drafts, all or nothing.
//!
//! This is the one write every teller waits for, so it is shaped for throughput. On SQLite it
//! joins the group commit (`Database::write`). On PostgreSQL it is one statement: data-modifying
//! `WITH` parts, atomic on their own, so there is no BEGIN and COMMIT around it, and a fixed
//! text with the answers as arrays, so the server parses and plans it once per connection.
//! Diesel's own inserts cannot be that statement: several tables in one statement is not in its
//! query builder, and its batch inserts and `DEFAULT`s make a new SQL text (and a new plan) for
//! every story.

use super::stories::{AnswerRecord, StoryRecord};
use super::{AnyConnection, Database, StoreResult};
use crate::domain::answer::Answers;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Integer, Nullable, Text};

/// Stores a told story with its answers, logs the change and deletes the drafts whose key
/// hashes are in `drafts_done`. A unique violation (the same form again, or an id that
/// exists) stores nothing and comes back as the store error it is.
pub async fn insert(
    db: &Database,
    record: StoryRecord,
    answers: Answers,
    drafts_done: Vec<String>,
) -> StoreResult<()> {
    if db.url().is_sqlite() {
        return db
            .write(move |conn| {
                super::stories::insert(conn, &record, &answers)?;
                for key in &drafts_done {
                    super::drafts::delete(conn, key)?;
                }
                Ok(())
            })
            .await;
    }
    db.run(move |conn| match conn {
        AnyConnection::Postgresql(pg) => {
            OneStatement::new(&record, &answers, &drafts_done).execute(pg)?;
            Ok(())
        }
        // `url()` said PostgreSQL; a pool hands out connections of its own kind only.
        AnyConnection::Sqlite(_) => Err(super::StoreError::Corrupt(
            "a SQLite connection in a PostgreSQL pool".into(),
        )),
    })
    .await
}

/// The PostgreSQL statement of [`insert`].
struct OneStatement<'a> {
    record: StoryRecord,
    keys: Vec<&'a str>,
    numbers: Vec<Option<i32>>,
    texts: Vec<Option<String>>,
    not_applicable: Vec<bool>,
    drafts_done: &'a [String],
}

impl<'a> OneStatement<'a> {
    fn new(record: &StoryRecord, answers: &'a Answers, drafts_done: &'a [String]) -> Self {
        let mut statement = OneStatement {
            record: record.counted(),
            keys: Vec::with_capacity(answers.len()),
            numbers: Vec::with_capacity(answers.len()),
            texts: Vec::with_capacity(answers.len()),
            not_applicable: Vec::with_capacity(answers.len()),
            drafts_done,
        };
        for (key, answer) in answers {
            let row = AnswerRecord::encode(&record.id, key, answer);
            statement.keys.push(key);
            statement.numbers.push(row.number_value);
            statement.texts.push(row.text_value);
            statement.not_applicable.push(row.is_na);
        }
        statement
    }
}

/// The columns of `stories` in the order [`OneStatement`] binds them.
const STORY_COLUMNS: &str = "id, project_slug, questionnaire_version, participant_id, role, \
    title, body, language, channel, created_at, is_complete, consent_analysis, consent_quotes, \
    withdrawal_code_hash, withdrawn_at, submission_key, reviewed_at, hidden_at, hidden_reason, \
    redacted_at, original_title, original_body, safety_flag, safety_handled_at, \
    text_deleted_at, word_count";

impl QueryFragment<Pg> for OneStatement<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let r = &self.record;
        let m = &r.moderation;
        out.push_sql("WITH story AS (INSERT INTO stories (");
        out.push_sql(STORY_COLUMNS);
        out.push_sql(") VALUES (");
        out.push_bind_param::<Text, _>(&r.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&r.project_slug)?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&r.questionnaire_version)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&r.participant_id)?;
        for text in [&r.role, &r.title, &r.body, &r.language, &r.channel] {
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(text)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&r.created_at)?;
        for flag in [&r.is_complete, &r.consent_analysis, &r.consent_quotes] {
            out.push_sql(", ");
            out.push_bind_param::<Bool, _>(flag)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&r.withdrawal_code_hash)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&r.withdrawn_at)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&r.submission_key)?;
        for at in [&m.reviewed_at, &m.hidden_at] {
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(at)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&m.hidden_reason)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&m.redacted_at)?;
        for text in [&m.original_title, &m.original_body, &m.safety_flag] {
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(text)?;
        }
        for at in [&m.safety_handled_at, &m.text_deleted_at] {
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(at)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Integer>, _>(&r.word_count)?;
        // The answers: one row per element of the arrays, all with this story's id.
        out.push_sql(
            ")), answer AS (INSERT INTO answers \
             (story_id, question_key, number_value, text_value, is_na) \
             SELECT $1, k, n, t, na FROM unnest(",
        );
        out.push_bind_param::<Array<Text>, _>(&self.keys)?;
        out.push_sql("::text[], ");
        out.push_bind_param::<Array<Nullable<Integer>>, _>(&self.numbers)?;
        out.push_sql("::int4[], ");
        out.push_bind_param::<Array<Nullable<Text>>, _>(&self.texts)?;
        out.push_sql("::text[], ");
        out.push_bind_param::<Array<Bool>, _>(&self.not_applicable)?;
        out.push_sql(
            "::bool[]) AS a(k, n, t, na)), \
             change AS (INSERT INTO data_changes (project_slug, story_id, created_at) \
             VALUES ($2, $1, $10)), \
             draft AS (DELETE FROM story_drafts WHERE key_hash = ANY(",
        );
        out.push_bind_param::<Array<Text>, _>(&self.drafts_done)?;
        out.push_sql(")) SELECT 1");
        Ok(())
    }
}

impl QueryId for OneStatement<'_> {
    type QueryId = ();
    // The text is the same for every story, so diesel keeps the prepared statement by its
    // text (a static id is not possible for a type with a lifetime).
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl RunQueryDsl<diesel::PgConnection> for OneStatement<'_> {}
