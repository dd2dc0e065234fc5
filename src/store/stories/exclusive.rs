//! A bulk load that has `stories` and `answers` to itself (`stories import --exclusive`):
//! on PostgreSQL the indexes and the foreign key that cost most per row are dropped before
//! the rows are written and made again from all of them at once, in the same transaction.
//!
//! Row by row, PostgreSQL checks the answers' foreign key and updates their primary key once
//! per answer, and every index of `stories` for every story; building an index from a
//! finished table sorts once instead, and one anti-join checks the foreign key for all
//! answers together (1,000,000 stories: docs/performance.md, "PostgreSQL import, exclusive
//! mode"). Dropping an index
//! needs the table's `ACCESS EXCLUSIVE` lock, held until the end of the transaction: other
//! instances wait, for reading as well as for storing, until the load commits or rolls back.
//! A rollback brings back every dropped index and constraint, so a failed load leaves the
//! schema as it was.
//!
//! [`SET_ASIDE`] is the one place where the statements for what is dropped live: the drop is
//! derived from each entry, the entry is what makes it again, and `tests/app/bulk_import.rs`
//! checks that the result equals what the migrations made. A new migration that changes or
//! drops one of these indexes or constraints changes this list too (that test fails until
//! it does). On SQLite nothing here does anything: an import there already is the one
//! writer of the database from start to end.

use crate::store::{AnyConnection, StoreError, StoreResult};
use diesel::prelude::*;

/// The tables an exclusive load locks, in this order.
pub const LOCKED_TABLES: &str = "stories, answers";

/// How long the load waits for its locks before it gives up. While it waits, every other
/// statement on the two tables queues behind it, so the wait is short: a long export or
/// analysis load that holds the tables makes the load fail ([`StoreError::Busy`]) rather
/// than stall the instances.
pub const LOCK_WAIT: &str = "10s";

/// Memory per index build (PostgreSQL's `maintenance_work_mem`, for this transaction only):
/// the full-text index is built much faster when its entries need not be merged in runs.
const BUILD_MEMORY: &str = "256MB";

/// An index or constraint that an exclusive load drops and makes again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetAside {
    /// An index; `create` is its whole `CREATE INDEX` statement, as in its migration.
    Index {
        name: &'static str,
        create: &'static str,
    },
    /// A table constraint: `ALTER TABLE {table} ADD CONSTRAINT {name} {definition}`.
    Constraint {
        table: &'static str,
        name: &'static str,
        definition: &'static str,
    },
}

impl SetAside {
    pub fn name(&self) -> &'static str {
        match self {
            SetAside::Index { name, .. } | SetAside::Constraint { name, .. } => name,
        }
    }

    /// The statement that drops it.
    pub fn drop_sql(&self) -> String {
        match self {
            SetAside::Index { name, .. } => format!("DROP INDEX {name}"),
            SetAside::Constraint { table, name, .. } => {
                format!("ALTER TABLE {table} DROP CONSTRAINT {name}")
            }
        }
    }

    /// The statement that makes it again.
    pub fn create_sql(&self) -> String {
        match self {
            SetAside::Index { create, .. } => (*create).to_string(),
            SetAside::Constraint {
                table,
                name,
                definition,
            } => format!("ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"),
        }
    }
}

/// Everything of `stories` and `answers` an exclusive load drops, in the order it is dropped;
/// it is made again in the reverse order (the indexes first, then the foreign key that is
/// checked with them). Names are PostgreSQL's own for the constraints of
/// `migrations/postgres/…_core`; the statements are those of the migrations that made them.
///
/// The answers' primary key is among them: filled row by row it took a third of the time of
/// a million stories (13.6 million entries in random order, an index ten times the size of
/// the server's default cache); built from the finished table it takes about 13 seconds,
/// and it still refuses an answer twice (then the import fails and nothing is kept). Kept are
/// the stories' primary key (the import looks up existing ids by it, and other tables'
/// foreign keys point at it) and the stories' foreign keys to `projects` and
/// `questionnaires`: two checks per story, about a tenth of the time of writing the
/// stories, but dropping them locks `projects`, which every page of every project reads.
pub const SET_ASIDE: &[SetAside] = &[
    // 2026-11-22-000001_core
    SetAside::Constraint {
        table: "answers",
        name: "answers_story_id_fkey",
        definition: "FOREIGN KEY (story_id) REFERENCES stories(id) ON DELETE CASCADE",
    },
    SetAside::Constraint {
        table: "answers",
        name: "answers_pkey",
        definition: "PRIMARY KEY (story_id, question_key)",
    },
    SetAside::Constraint {
        table: "stories",
        name: "stories_submission_key_key",
        definition: "UNIQUE (submission_key)",
    },
    SetAside::Index {
        name: "stories_by_project",
        create: "CREATE INDEX stories_by_project ON stories(project_slug, created_at)",
    },
    SetAside::Index {
        name: "stories_by_withdrawal_code",
        create: "CREATE INDEX stories_by_withdrawal_code ON stories(withdrawal_code_hash)",
    },
    // 2026-12-07-000002_search
    SetAside::Index {
        name: "stories_search",
        create: "CREATE INDEX stories_search ON stories USING GIN (search_vector)",
    },
    // 2026-12-07-000004_facts_index
    SetAside::Index {
        name: "stories_facts",
        create: "CREATE INDEX stories_facts ON stories (\
                 project_slug, created_at, id, questionnaire_version, role, language, channel, \
                 is_complete, consent_quotes, word_count, withdrawn_at, hidden_at, consent_analysis\
                 ) WHERE withdrawn_at IS NULL AND hidden_at IS NULL AND consent_analysis",
    },
];

/// Runs `f` with `stories` and `answers` locked and [`SET_ASIDE`] dropped, then makes
/// everything again and analyses the tables. Call it inside the transaction that writes:
/// an error from `f` or from making a key again (an answer twice) is returned
/// and the caller's rollback restores the schema. Only `f` runs on SQLite.
pub fn with_tables_to_itself<T, E: From<StoreError>>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E> {
    if let AnyConnection::Sqlite(_) = conn {
        return f(conn);
    }
    lock_tables(conn)?;
    set_aside(conn)?;
    let value = f(conn)?;
    put_back(conn)?;
    Ok(value)
}

/// Takes both tables' `ACCESS EXCLUSIVE` locks, waiting at most [`LOCK_WAIT`].
fn lock_tables(conn: &mut AnyConnection) -> StoreResult<()> {
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }
    let before = diesel::sql_query(
        "SELECT current_setting('lock_timeout') AS value, set_config('lock_timeout', $1, true)",
    )
    .bind::<diesel::sql_types::Text, _>(LOCK_WAIT)
    .get_result::<Setting>(conn)?
    .value;
    diesel::sql_query(format!(
        "LOCK TABLE {LOCKED_TABLES} IN ACCESS EXCLUSIVE MODE"
    ))
    .execute(conn)
    .map_err(|e| match e {
        // A lock timeout or a deadlock: other work has the tables now.
        diesel::result::Error::DatabaseError(_, info) => StoreError::Busy {
            tables: LOCKED_TABLES,
            waited: LOCK_WAIT,
            reason: info.message().to_string(),
        },
        other => StoreError::Query(other),
    })?;
    diesel::sql_query("SELECT set_config('lock_timeout', $1, true)")
        .bind::<diesel::sql_types::Text, _>(before)
        .execute(conn)?;
    Ok(())
}

fn set_aside(conn: &mut AnyConnection) -> StoreResult<()> {
    for item in SET_ASIDE {
        diesel::sql_query(item.drop_sql()).execute(conn)?;
    }
    Ok(())
}

fn put_back(conn: &mut AnyConnection) -> StoreResult<()> {
    // Local to the transaction, like the lock timeout: the connection goes back to the pool
    // as it was.
    diesel::sql_query("SELECT set_config('maintenance_work_mem', $1, true)")
        .bind::<diesel::sql_types::Text, _>(BUILD_MEMORY)
        .execute(conn)?;
    for item in SET_ASIDE.iter().rev() {
        diesel::sql_query(item.create_sql()).execute(conn)?;
    }
    // Fresh statistics before anyone else plans a query on the tables again.
    super::analyze_after_bulk(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_statement_names_what_it_drops() {
        for item in SET_ASIDE {
            let name = item.name();
            assert!(item.drop_sql().ends_with(&format!(" {name}")), "{item:?}");
            assert!(
                item.create_sql().contains(&format!(" {name} ")),
                "{item:?} makes something else"
            );
        }
        let mut names: Vec<&str> = SET_ASIDE.iter().map(SetAside::name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SET_ASIDE.len(), "a name twice");
    }

    #[test]
    fn the_stories_primary_key_stays() {
        // Existing ids are looked up by it during the import.
        assert!(SET_ASIDE.iter().all(|item| item.name() != "stories_pkey"));
        assert!(SET_ASIDE.iter().all(|item| match item {
            SetAside::Index { create, .. } => !create.contains("UNIQUE"),
            SetAside::Constraint {
                table, definition, ..
            } => *table == "answers" || !definition.contains("PRIMARY KEY"),
        }));
    }

    #[test]
    fn the_foreign_key_comes_back_after_the_indexes() {
        let order: Vec<&str> = SET_ASIDE.iter().rev().map(SetAside::name).collect();
        assert_eq!(order.last(), Some(&"answers_story_id_fkey"));
        assert_eq!(
            SET_ASIDE[0].drop_sql(),
            "ALTER TABLE answers DROP CONSTRAINT answers_story_id_fkey"
        );
    }
}
