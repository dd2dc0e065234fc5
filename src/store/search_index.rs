//! Full-text search in the title and text of stories, with each backend's own index.
//!
//! - SQLite: `stories_fts`, an FTS5 table with external content (`stories`), tokenizer
//!   `unicode61 remove_diacritics 2`, kept in sync by triggers on `stories` and with FTS5's
//!   `secure-delete` on, so that a text removed from a story is removed from the index too.
//!   A new story is not indexed while the teller waits: the trigger notes it as pending, and
//!   [`catch_up`] indexes the pending stories in batches, before every search and in the
//!   background. Indexing took a third of the single writer's time per story.
//! - PostgreSQL: `stories.search_vector`, a generated `tsvector` column (configuration
//!   `dutch`) with a GIN index; PostgreSQL recomputes it whenever title or text change.
//!
//! Neither can be described in `schema.rs`, so a search is an SQL fragment with the query as
//! a bound parameter. The query is built here from the words of `domain::search::terms`, each
//! one quoted, so nothing a person types is read as an operator. Why two native indexes and
//! how their matching differs: docs/architecture.md, "Full-text search".

use super::schema::stories;
use super::{AnyConnection, Database, StoreResult};
use crate::domain::search;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::BoxableExpression;

type Backend = <AnyConnection as diesel::Connection>::Backend;

/// A condition on `stories` that a boxed query can filter on.
pub type Condition = Box<dyn BoxableExpression<stories::table, Backend, SqlType = Bool>>;

/// Which index the connection has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn of(conn: &AnyConnection) -> Self {
        match conn {
            AnyConnection::Sqlite(_) => Self::Sqlite,
            AnyConnection::Postgresql(_) => Self::Postgres,
        }
    }
}

/// Stories whose title or text has every one of `terms` (from `domain::search::terms`); the
/// last one may also be the start of a word. No terms: no story.
pub fn matching(dialect: Dialect, terms: &[String]) -> Condition {
    if terms.is_empty() {
        return Box::new(sql::<Bool>("1 = 0"));
    }
    match dialect {
        // The subquery gives the FTS5 rowids; `stories.rowid` is what the triggers index.
        Dialect::Sqlite => Box::new(
            sql::<Bool>("stories.rowid IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ")
                .bind::<Text, _>(fts5_query(terms))
                .sql(")"),
        ),
        Dialect::Postgres => Box::new(
            sql::<Bool>("stories.search_vector @@ to_tsquery('dutch', ")
                .bind::<Text, _>(tsquery(terms))
                .sql(")"),
        ),
    }
}

/// The stories of `project`, written so that no index on the project can serve it: with a
/// search, the matches must drive the query. Otherwise both databases walk the project's
/// index newest first and test every story for the words (PostgreSQL guesses that a prefix
/// query matches 2 % of the stories): quick for a word in half of them, but a pass over
/// every story of the project for a rare word or a typo. This way a search costs in
/// proportion to the stories it finds.
pub fn of_project(project: &str) -> Condition {
    Box::new(stories::project_slug.concat("").eq(project.to_string()))
}

/// The number by which the index knows a story, as a column to select with a story: SQLite's
/// `rowid` (the key of `stories_fts`); 0 on PostgreSQL, whose index gives back rows, not
/// numbers. [`matching_row_keys`] answers a search in these numbers.
pub fn row_key(dialect: Dialect) -> diesel::expression::SqlLiteral<BigInt> {
    match dialect {
        Dialect::Sqlite => sql::<BigInt>("stories.rowid"),
        Dialect::Postgres => sql::<BigInt>("CAST(0 AS BIGINT)"),
    }
}

/// SQLite: the row keys (see [`row_key`]) of the stories of every project whose title or text
/// has every one of `terms`, read from the index alone: half a million in about 60 ms, where
/// reading the stories' ids with them took ten times as long. Call [`catch_up`] first.
/// PostgreSQL: none (its stories have no row key).
pub fn matching_row_keys(conn: &mut AnyConnection, terms: &[String]) -> StoreResult<Vec<i64>> {
    // The FTS5 table as far as this query needs it (not in `schema.rs`, which describes
    // both databases): rows read by position, not looked up by column name.
    diesel::table! {
        stories_fts (rowid) {
            rowid -> BigInt,
        }
    }
    let AnyConnection::Sqlite(c) = conn else {
        return Ok(Vec::new());
    };
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    Ok(stories_fts::table
        .filter(sql::<Bool>("stories_fts MATCH ").bind::<Text, _>(fts5_query(terms)))
        .select(stories_fts::rowid)
        .load::<i64>(c)?)
}

/// Of the stories `ids`, those whose title or text has every one of `terms`, found by primary
/// key and tested one by one: for a sample or a page of stories when a word is so common
/// that the index would hand back a large part of the project. On PostgreSQL the condition
/// is written so that the GIN index is not used (building its bitmap for a word in half of a
/// million stories alone takes 60–120 ms); each row's stored `tsvector` is compared instead.
/// On SQLite the texts are read and tested in Rust by [`search::Matcher`], which matches as
/// the index does: FTS5 answers "does this row match `wacht*`" only by merging every term
/// with the prefix, about 0.1 s a row at a million stories.
pub fn which_match(
    conn: &mut AnyConnection,
    ids: &[&str],
    terms: &[String],
) -> StoreResult<Vec<String>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let dialect = Dialect::of(conn);
    let mut found = Vec::new();
    if dialect == Dialect::Sqlite {
        let matcher = search::Matcher::new(terms);
        for chunk in ids.chunks(500) {
            let texts: Vec<(String, String, String)> = stories::table
                .filter(stories::id.eq_any(chunk))
                .select((stories::id, stories::title, stories::body))
                .load(conn)?;
            found.extend(
                texts
                    .into_iter()
                    .filter(|(_, title, body)| matcher.matches(&[title, body]))
                    .map(|(id, _, _)| id),
            );
        }
        return Ok(found);
    }
    for chunk in ids.chunks(500) {
        found.extend(
            stories::table
                .filter(stories::id.eq_any(chunk))
                .filter(row_by_row(dialect, terms))
                .select(stories::id)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// [`which_match`]'s condition: on PostgreSQL an expression of the column, which its GIN
/// index cannot serve, so the rows found by primary key are tested one by one.
fn row_by_row(dialect: Dialect, terms: &[String]) -> Condition {
    match dialect {
        Dialect::Sqlite => matching(Dialect::Sqlite, terms),
        Dialect::Postgres => Box::new(
            sql::<Bool>("coalesce(stories.search_vector, ''::tsvector) @@ to_tsquery('dutch', ")
                .bind::<Text, _>(tsquery(terms))
                .sql(")"),
        ),
    }
}

/// Stories indexed per transaction by [`catch_up`]: the writer waits at most this long
/// (about 0.2 s for 2,000 stories) before a teller's story is stored.
const CATCH_UP_BATCH: i64 = 2_000;

/// SQLite: indexes the stories told since the last catch-up, a batch per transaction, so
/// that a search made after it sees every story. Returns how many it indexed. PostgreSQL
/// indexes a story with its row: nothing to do.
pub fn catch_up(db: &Database) -> StoreResult<usize> {
    if !db.url().is_sqlite() {
        return Ok(0);
    }
    let mut indexed = 0;
    // A read first: mostly nothing is pending, and then the writer is not disturbed.
    while pending(&mut *db.conn()?)? {
        match db.write_sync(|conn| index_pending(conn, CATCH_UP_BATCH))? {
            0 => break,
            n => indexed += n,
        }
    }
    Ok(indexed)
}

/// Whether stories wait to be indexed (SQLite).
fn pending(conn: &mut AnyConnection) -> StoreResult<bool> {
    #[derive(QueryableByName)]
    struct Pending {
        #[diesel(sql_type = Bool)]
        any: bool,
    }
    let AnyConnection::Sqlite(c) = conn else {
        return Ok(false);
    };
    let row: Pending =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM stories_fts_pending) AS any")
            .get_result(c)?;
    Ok(row.any)
}

/// Indexes up to `limit` pending stories with their texts as they are now, and takes them off
/// the pending list (SQLite; call inside a write transaction). Returns how many.
fn index_pending(conn: &mut AnyConnection, limit: i64) -> StoreResult<usize> {
    let AnyConnection::Sqlite(c) = conn else {
        return Ok(0);
    };
    diesel::sql_query(
        "INSERT INTO stories_fts(rowid, title, body) \
         SELECT s.rowid, s.title, s.body FROM stories s JOIN \
         (SELECT story_rowid FROM stories_fts_pending ORDER BY story_rowid LIMIT ?) p \
         ON s.rowid = p.story_rowid",
    )
    .bind::<BigInt, _>(limit)
    .execute(c)?;
    Ok(diesel::sql_query(
        "DELETE FROM stories_fts_pending WHERE story_rowid IN \
         (SELECT story_rowid FROM stories_fts_pending ORDER BY story_rowid LIMIT ?)",
    )
    .bind::<BigInt, _>(limit)
    .execute(c)?)
}

/// Checks that the index holds exactly the words of the stories, after indexing what is
/// pending. SQLite's `PRAGMA integrity_check` only checks the FTS5 index's own structure;
/// this also compares it with `stories` (by tokenizing every story again: about 8 s for a
/// million). PostgreSQL computes the column from the row, so there is nothing to compare.
pub fn check(conn: &mut AnyConnection) -> StoreResult<()> {
    if let AnyConnection::Sqlite(_) = conn {
        while conn.transaction(|conn| index_pending(conn, CATCH_UP_BATCH))? > 0 {}
    }
    if let AnyConnection::Sqlite(c) = conn {
        diesel::sql_query(
            "INSERT INTO stories_fts(stories_fts, rank) VALUES ('integrity-check', 1)",
        )
        .execute(c)?;
    }
    Ok(())
}

/// An FTS5 string: `"…"` with `"` doubled, so it is one phrase whatever it holds.
fn fts5_string(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// An FTS5 query: every word must match. unicode61 has no stemmer, so each word is looked up
/// as the start of a word with the Dutch stem taken off ("wachtlijsten" → `"wachtlijst"*`,
/// which finds "wachtlijst" and "wachtlijsten"). When the stemmer changed the word itself
/// ("brood" → "brod"), the word as typed is looked for too.
fn fts5_query(terms: &[String]) -> String {
    terms
        .iter()
        .map(|word| {
            let stem = search::stem(word);
            if word.starts_with(&stem) {
                format!("{}*", fts5_string(&stem))
            } else {
                format!("({}* OR {}*)", fts5_string(word), fts5_string(&stem))
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// A tsquery for `to_tsquery('dutch', …)`: every word as a quoted lexeme (`'` doubled, `\`
/// escaped), which PostgreSQL stems itself; the last one with `:*` (a prefix).
fn tsquery(terms: &[String]) -> String {
    let last = terms.len().saturating_sub(1);
    terms
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let quoted = format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"));
            if i == last {
                format!("{quoted}:*")
            } else {
                quoted
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn fts5_looks_up_stems_as_prefixes() {
        assert_eq!(fts5_query(&words(&["wachtlijsten"])), r#""wachtlijst"*"#);
        assert_eq!(
            fts5_query(&words(&["jeugd", "brood"])),
            r#""jeugd"* AND ("brood"* OR "brod"*)"#
        );
        // Words never hold a quote, but a quote would still be text, not syntax.
        assert_eq!(fts5_string(r#"a"b"#), r#""a""b""#);
    }

    #[test]
    fn tsquery_quotes_every_word_and_ends_with_a_prefix() {
        assert_eq!(tsquery(&words(&["jeugd", "zorg"])), "'jeugd' & 'zorg':*");
        assert_eq!(tsquery(&words(&[r"o'k\"])), r"'o''k\\':*");
    }
}
