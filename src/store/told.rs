//! Storing a story just told: the story, its answers, its entry in the change log and the
//! end of its drafts, all or nothing.
//!
//! This is the one write every teller waits for, so it is shaped for throughput: every
//! statement has one fixed text with every column bound, so both databases parse and plan it
//! once per connection. Diesel's own inserts write `DEFAULT` (PostgreSQL) or leave out columns
//! (SQLite) for a `None` and batch rows into one text per row count, so their text changes
//! from story to story and nothing is kept prepared.
//!
//! On SQLite the statements join the group commit (`Database::write`). On PostgreSQL it is one
//! statement: data-modifying `WITH` parts, atomic on their own, so there is no BEGIN and
//! COMMIT around it either, with the answers as arrays. Several tables in one statement is not
//! in diesel's query builder, hence the SQL by hand.
//!
//! `stories::insert_many` (import, demo data, `db copy` into SQLite) uses the same prepared
//! rows on SQLite.

use super::stories::{AnswerRecord, StoryRecord};
use super::{AnyConnection, Database, StoreResult};
use crate::domain::answer::Answers;
use diesel::backend::Backend;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, BigInt, Bool, HasSqlType, Integer, Nullable, Text};
use diesel::sqlite::Sqlite;

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
                insert_in(conn, &record, &answers)?;
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

/// Inserts a story and its answers and logs the change, inside the caller's transaction.
pub fn insert_in(
    conn: &mut AnyConnection,
    record: &StoryRecord,
    answers: &Answers,
) -> StoreResult<()> {
    let record = record.counted();
    match conn {
        AnyConnection::Sqlite(c) => insert_each(c, &record, answers),
        AnyConnection::Postgresql(c) => insert_each(c, &record, answers),
    }
}

/// SQLite: stories and answer rows (of these stories) as prepared single-row inserts, for
/// `stories::insert_many`; the caller logs the changes.
pub(super) fn insert_rows_sqlite(
    conn: &mut diesel::SqliteConnection,
    records: &[StoryRecord],
    answer_rows: &[AnswerRecord],
) -> StoreResult<()> {
    for record in records {
        StoryRow(&record.counted()).execute(conn)?;
    }
    for row in answer_rows {
        AnswerRow(row).execute(conn)?;
    }
    Ok(())
}

/// The statements of [`insert_in`], for either backend.
fn insert_each<C>(conn: &mut C, record: &StoryRecord, answers: &Answers) -> StoreResult<()>
where
    C: Connection,
    for<'a> StoryRow<'a>: QueryFragment<C::Backend>,
    for<'a> AnswerRow<'a>: QueryFragment<C::Backend>,
    for<'a> ChangeRow<'a>: QueryFragment<C::Backend>,
{
    StoryRow(record).execute(conn)?;
    for (key, answer) in answers {
        AnswerRow(&AnswerRecord::encode(&record.id, key, answer)).execute(conn)?;
    }
    ChangeRow(record).execute(conn)?;
    Ok(())
}

/// The backends the statements here are written for (both bind the same kinds of values).
pub(super) trait Binds:
    Backend + HasSqlType<Text> + HasSqlType<Integer> + HasSqlType<BigInt> + HasSqlType<Bool>
{
}

impl Binds for Pg {}
impl Binds for Sqlite {}

/// The columns of `stories` in the order [`push_story`] binds them.
const STORY_COLUMNS: &str = "id, project_slug, questionnaire_version, participant_id, role, \
    title, body, language, channel, created_at, is_complete, consent_analysis, consent_quotes, \
    withdrawal_code_hash, withdrawn_at, submission_key, reviewed_at, hidden_at, hidden_reason, \
    redacted_at, original_title, original_body, safety_flag, safety_handled_at, \
    text_deleted_at, word_count";

/// `INSERT INTO stories (…) VALUES (…)` with every column bound. On PostgreSQL the id is
/// `$1`, the project `$2` and the time `$10`, which [`OneStatement`] refers to again.
fn push_story<'b, DB: Binds>(r: &'b StoryRecord, out: &mut AstPass<'_, 'b, DB>) -> QueryResult<()>
where
    str: ToSql<Text, DB>,
    i32: ToSql<Integer, DB>,
    i64: ToSql<BigInt, DB>,
    bool: ToSql<Bool, DB>,
    Option<String>: ToSql<Nullable<Text>, DB>,
    Option<i32>: ToSql<Nullable<Integer>, DB>,
    Option<i64>: ToSql<Nullable<BigInt>, DB>,
{
    let m = &r.moderation;
    out.push_sql("INSERT INTO stories (");
    out.push_sql(STORY_COLUMNS);
    out.push_sql(") VALUES (");
    out.push_bind_param::<Text, str>(&r.id)?;
    out.push_sql(", ");
    out.push_bind_param::<Text, str>(&r.project_slug)?;
    out.push_sql(", ");
    out.push_bind_param::<Integer, _>(&r.questionnaire_version)?;
    out.push_sql(", ");
    out.push_bind_param::<Nullable<Text>, _>(&r.participant_id)?;
    for text in [&r.role, &r.title, &r.body, &r.language, &r.channel] {
        out.push_sql(", ");
        out.push_bind_param::<Text, str>(text)?;
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
    out.push_sql(")");
    Ok(())
}

/// One story row (see [`push_story`]).
struct StoryRow<'a>(&'a StoryRecord);

/// One answer row, every column bound.
struct AnswerRow<'a>(&'a AnswerRecord);

/// The change log's entry for a new story.
struct ChangeRow<'a>(&'a StoryRecord);

/// The row fragments for one backend. Written per backend, not generic, so that the list of
/// what a backend must bind stands once, on [`push_story`].
macro_rules! rows_for {
    ($db:ty) => {
        impl QueryFragment<$db> for StoryRow<'_> {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, $db>) -> QueryResult<()> {
                push_story(self.0, &mut out)
            }
        }

        impl QueryFragment<$db> for AnswerRow<'_> {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, $db>) -> QueryResult<()> {
                let a = self.0;
                out.push_sql(
                    "INSERT INTO answers (story_id, question_key, number_value, text_value, is_na) \
                     VALUES (",
                );
                out.push_bind_param::<Text, str>(&a.story_id)?;
                out.push_sql(", ");
                out.push_bind_param::<Text, str>(&a.question_key)?;
                out.push_sql(", ");
                out.push_bind_param::<Nullable<Integer>, _>(&a.number_value)?;
                out.push_sql(", ");
                out.push_bind_param::<Nullable<Text>, _>(&a.text_value)?;
                out.push_sql(", ");
                out.push_bind_param::<Bool, _>(&a.is_na)?;
                out.push_sql(")");
                Ok(())
            }
        }

        impl QueryFragment<$db> for ChangeRow<'_> {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, $db>) -> QueryResult<()> {
                out.push_sql(
                    "INSERT INTO data_changes (project_slug, story_id, created_at) VALUES (",
                );
                out.push_bind_param::<Text, str>(&self.0.project_slug)?;
                out.push_sql(", ");
                out.push_bind_param::<Text, str>(&self.0.id)?;
                out.push_sql(", ");
                out.push_bind_param::<BigInt, _>(&self.0.created_at)?;
                out.push_sql(")");
                Ok(())
            }
        }
    };
}
rows_for!(Pg);
rows_for!(Sqlite);

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

impl QueryFragment<Pg> for OneStatement<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("WITH story AS (");
        push_story(&self.record, &mut out)?;
        // The answers: one row per element of the arrays, all with this story's id.
        out.push_sql(
            "), answer AS (INSERT INTO answers \
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

/// Fragments whose text is the same for every row: diesel keeps their prepared statements by
/// that text (a static id is not possible for types with a lifetime).
macro_rules! fixed_text {
    ($($t:ident),*) => {$(
        impl QueryId for $t<'_> {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }
        impl<C: Connection> RunQueryDsl<C> for $t<'_> {}
    )*};
}
fixed_text!(StoryRow, AnswerRow, ChangeRow);
