//! Persistence: one diesel code path over SQLite and PostgreSQL.
//!
//! `AnyConnection` is diesel's `MultiConnection` over both backends; queries are written once.
//! The backend is chosen from the database URL, never guessed by trying to connect (so a
//! PostgreSQL URL whose server is down can never silently become a SQLite file).
//! SQLite gets WAL, foreign keys, a busy timeout and one in-process writer at a time;
//! PostgreSQL runs its migrations under an advisory lock so that instances starting together
//! do not race. Callers in async code use [`Database::run`] / [`Database::write`], which move
//! the work to a blocking thread so actix's workers never wait on the database.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Arbitrary but fixed key for `pg_advisory_lock` around migrations.
const MIGRATION_LOCK_KEY: i64 = 0x5645_5254_454C; // "VERTEL"

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Where the data lives, parsed from `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    /// `postgres://…`/`postgresql://…` is PostgreSQL; `sqlite://path`, `sqlite:path` or a plain
    /// file path is SQLite. Any other scheme is refused rather than guessed.
    pub fn parse(raw: &str) -> Result<Self, StoreError> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_string()));
        }
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(StoreError::BadUrl(raw.to_string()));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if raw.is_empty() || raw.contains("://") {
            return Err(StoreError::BadUrl(raw.to_string()));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(raw)))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite(_))
    }

    /// For logs: the PostgreSQL password is never printed.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(s), Some(at)) if at > s => {
                    let userinfo = &url[s + 3..at];
                    let user = userinfo.split(':').next().unwrap_or("");
                    format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
                }
                _ => url.clone(),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported DATABASE_URL {0:?}: use postgres://…, sqlite://… or a file path")]
    BadUrl(String),
    #[error("could not connect to the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("could not prepare the data folder {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    #[error("the database task was cancelled")]
    Cancelled,
    /// A write succeeded in its savepoint, but the transaction of its group could not be
    /// begun or committed (`group_commit`), so it was not stored.
    #[error("the write was not stored: {0}")]
    Group(String),
    /// An exclusive bulk load did not get its tables' locks in time (other work held them);
    /// nothing was changed.
    #[error("the tables {tables} were in use for longer than {waited}: {reason}")]
    Busy {
        tables: &'static str,
        waited: &'static str,
        reason: String,
    },
}

impl StoreError {
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StoreError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Multi-row INSERT. diesel's `MultiBackend` cannot express batch inserts (SQLite spells
/// them differently), so this is the one place that dispatches on the concrete backend.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::store::AnyConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
            $crate::store::AnyConnection::Postgresql(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
        }
    };
}
pub(crate) use insert_rows;

pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod campaign;
pub mod changes;
pub mod copy;
pub mod drafts;
mod group_commit;
pub mod observations;
pub mod outbox;
pub mod projects;
pub mod proposals;
pub mod public_results;
pub mod response;
pub mod schema;
pub mod search_index;
pub mod sensemaking;
pub mod settings;
pub mod staff_lines;
pub mod stories;
pub mod story_tables;
pub mod told;

/// Opens connections of the backend the URL names (see module docs for why not `establish`).
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
}

impl Manager {
    pub fn connect_once(url: &DatabaseUrl) -> StoreResult<AnyConnection> {
        match url {
            DatabaseUrl::Postgres(u) => Ok(AnyConnection::Postgresql(
                diesel::PgConnection::establish(u)?,
            )),
            DatabaseUrl::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
                // WAL lets readers work while one writer writes; NORMAL is durable in WAL mode
                // except for the last transactions on power loss (see docs/reliability.md).
                // temp_store: the group commit's savepoint journals stay in memory.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;
                     PRAGMA temp_store = MEMORY;",
                )
                .map_err(StoreError::Query)?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = StoreError;

    fn connect(&self) -> Result<AnyConnection, StoreError> {
        Self::connect_once(&self.url)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        conn.ping().map_err(StoreError::Query)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// The application's handle on its database. Cheap to clone.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    url: DatabaseUrl,
    /// SQLite allows one writer; queuing writers here avoids busy-waiting inside SQLite.
    sqlite_writer: Option<Arc<Mutex<()>>>,
    /// SQLite: writes waiting to be committed together (`group_commit`).
    sqlite_queue: Option<Arc<group_commit::Queue>>,
}

impl Database {
    /// Creates the SQLite file's folder if needed, runs pending migrations and opens the pool.
    pub fn open(url: &DatabaseUrl, pool_size: u32) -> StoreResult<Self> {
        if let DatabaseUrl::Sqlite(path) = url {
            ensure_parent_dir(path)?;
        }
        let mut conn = Manager::connect_once(url)?;
        run_migrations(&mut conn)?;
        // Once, after the upgrade that added the column: analysis reads no texts.
        stories::fill_word_counts(&mut conn)?;
        drop(conn);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            // Open connections as they are needed, not all at start (PostgreSQL counts them).
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(Manager { url: url.clone() })?;
        Ok(Self {
            pool,
            url: url.clone(),
            sqlite_writer: url.is_sqlite().then(|| Arc::new(Mutex::new(()))),
            sqlite_queue: url.is_sqlite().then(Default::default),
        })
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    pub fn conn(&self) -> StoreResult<PooledConnection> {
        Ok(self.pool.get()?)
    }

    /// Runs `f` in one transaction, as the only writer of this process on SQLite.
    pub fn write_sync<T>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut conn = self.conn()?;
        // A poisoned lock only means another writer panicked; the database is still sound.
        let _guard = self
            .sqlite_writer
            .as_ref()
            .map(|lock| lock.lock().unwrap_or_else(|e| e.into_inner()));
        let conn: &mut AnyConnection = &mut conn;
        conn.transaction(|conn| {
            take_write_lock(conn)?;
            f(conn)
        })
    }

    /// Runs `f` in one write transaction (as [`Database::write_sync`]) for callers with their
    /// own error type: an `Err` from `f` rolls back everything `f` did and is returned as it
    /// is; a failure to commit after `f` succeeded is returned as a store error.
    pub fn write_with<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut outcome: Option<Result<T, E>> = None;
        let stored = self.write_sync(|conn| match f(conn) {
            Ok(v) => {
                outcome = Some(Ok(v));
                Ok(())
            }
            Err(e) => {
                outcome = Some(Err(e));
                Err(StoreError::Query(
                    diesel::result::Error::RollbackTransaction,
                ))
            }
        });
        match (stored, outcome) {
            (Ok(()), Some(result)) => result,
            (Err(_), Some(Err(e))) => Err(e),
            (Err(e), _) => Err(e.into()),
            (Ok(()), None) => Err(StoreError::Cancelled.into()),
        }
    }

    /// Reads on a blocking thread.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await
        .map_err(|_| StoreError::Cancelled)?
    }

    /// Writes in a transaction on a blocking thread. On SQLite, writes that arrive together
    /// share one transaction, each in a savepoint of its own (`group_commit`): `f` fails or
    /// succeeds alone, as in a transaction of its own.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let db = self.clone();
        let Some(queue) = &self.sqlite_queue else {
            return tokio::task::spawn_blocking(move || db.write_sync(f))
                .await
                .map_err(|_| StoreError::Cancelled)?;
        };
        let (job, outcome) = group_commit::job(f);
        queue.push(job);
        tokio::task::spawn_blocking(move || db.write_queued())
            .await
            .map_err(|_| StoreError::Cancelled)?;
        outcome.await.map_err(|_| StoreError::Cancelled)?
    }

    /// Writes the queued SQLite writes as one group, if another task has not done so already.
    fn write_queued(&self) {
        let (Some(writer), Some(queue)) = (&self.sqlite_writer, &self.sqlite_queue) else {
            return;
        };
        let _guard = writer.lock().unwrap_or_else(|e| e.into_inner());
        // Most tasks find their write done by an earlier group: no connection needed then.
        if queue.is_empty() {
            return;
        }
        let mut conn = self.conn();
        group_commit::write_group(
            queue,
            conn.as_mut()
                .map(|c| &mut **c)
                .map_err(|e| StoreError::Group(e.to_string())),
            take_write_lock,
        );
    }
}

/// Takes SQLite's write lock at the start of a transaction (waiting in the busy handler if
/// needed). A transaction that reads first and writes later cannot wait: it fails at once when
/// another connection (the CLI, a test, a second pool) committed in between.
fn take_write_lock(conn: &mut AnyConnection) -> StoreResult<()> {
    if let AnyConnection::Sqlite(c) = conn {
        diesel::sql_query("UPDATE app_settings SET value = value WHERE 0").execute(c)?;
    }
    Ok(())
}

fn ensure_parent_dir(path: &Path) -> StoreResult<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::DataDir(dir.to_path_buf(), e))
        }
        _ => Ok(()),
    }
}

/// Brings the schema up to date. On PostgreSQL this holds an advisory lock meanwhile.
pub fn run_migrations(conn: &mut AnyConnection) -> StoreResult<()> {
    match conn {
        AnyConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|_| ())
            .map_err(|e| StoreError::Migration(e.to_string())),
        AnyConnection::Postgresql(c) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                .execute(c)?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|_| ())
                .map_err(|e| StoreError::Migration(e.to_string()));
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                .execute(c)?;
            result
        }
    }
}

/// Runs `f` in one read-only transaction that sees one state of the database throughout, for
/// reads made of several queries (a project read in chunks).
pub fn read_snapshot<T>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> StoreResult<T>,
) -> StoreResult<T> {
    conn.transaction(|conn| {
        // SQLite's read transaction is a snapshot already; PostgreSQL's default (read
        // committed) sees each query's own.
        if let AnyConnection::Postgresql(c) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(c)?;
        }
        f(conn)
    })
}

/// Serialises writers of one named thing across instances until the end of the current
/// transaction: a PostgreSQL transaction-level advisory lock on a hash of `name`. On SQLite
/// there is one instance and `Database::write` already runs one writer at a time.
pub fn lock_for_transaction(conn: &mut AnyConnection, name: &str) -> StoreResult<()> {
    if let AnyConnection::Postgresql(c) = conn {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(name.as_bytes());
        let mut key = [0u8; 8];
        key.copy_from_slice(&digest[..8]);
        diesel::sql_query(format!(
            "SELECT pg_advisory_xact_lock({})",
            i64::from_le_bytes(key)
        ))
        .execute(c)?;
    }
    Ok(())
}

/// SQLite's own integrity check; `Ok(())` on PostgreSQL, which has no equivalent.
pub fn integrity_check(conn: &mut AnyConnection) -> StoreResult<()> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    if let AnyConnection::Sqlite(c) = conn {
        let rows: Vec<Row> = diesel::sql_query("PRAGMA integrity_check").load(c)?;
        if rows.len() != 1 || rows[0].integrity_check != "ok" {
            return Err(StoreError::Corrupt(
                rows.into_iter()
                    .map(|r| r.integrity_check)
                    .collect::<Vec<_>>()
                    .join("; "),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@h/db").unwrap(),
            DatabaseUrl::Postgres("postgres://u:p@h/db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/x.db").unwrap(),
            DatabaseUrl::Sqlite("data/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("./a.db").unwrap(),
            DatabaseUrl::Sqlite("./a.db".into())
        );
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("").is_err());
    }

    #[test]
    fn redacts_passwords() {
        let url = DatabaseUrl::parse("postgres://anna:geheim@db.local:5432/vp").unwrap();
        assert_eq!(url.redacted(), "postgres://anna:***@db.local:5432/vp");
    }
}
