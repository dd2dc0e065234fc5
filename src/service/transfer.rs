//! Stories in and out as CSV (exchange format v1), and moving a database.

use crate::domain::story::is_complete;
use crate::domain::{triage, Answer, Channel, Project};
use crate::exchange::csv_v1::{self, AnswerColumn, CsvError, StoryRow};
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::copy::{self, Backup, BackupError, CopyError, Fingerprint};
use crate::store::stories::{self, AnswerRecord, Moderation, StoryRecord};
use crate::store::{projects, AnyConnection, Database, DatabaseUrl, StoreError};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

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
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(
        "andere instanties of opdrachten gebruikten de tabellen {tables} langer dan {waited}; \
         er is niets veranderd, probeer het later opnieuw ({reason})"
    )]
    Busy {
        tables: &'static str,
        waited: &'static str,
        reason: String,
    },
}

impl TransferError {
    /// The store's [`StoreError::Busy`] as a message for the person at the command line.
    fn busy_in_dutch(self) -> Self {
        match self {
            Self::Core(ServiceError::Store(StoreError::Busy {
                tables,
                waited,
                reason,
            })) => Self::Busy {
                tables,
                waited,
                reason,
            },
            other => other,
        }
    }
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
            Self::Busy { .. } => Refusal::Busy,
            Self::Backup(BackupError::NotSqlite) => Refusal::Invalid,
            Self::Backup(BackupError::TargetExists(_)) => Refusal::Conflict,
            Self::Backup(_) => Refusal::Failure,
        }
    }
}

/// Rows checked and stored at a time: enough to make the id lookups and inserts cheap per row,
/// few enough that memory stays flat whatever the size of the file.
const IMPORT_CHUNK: usize = 5_000;

/// Ids named in the refusal when a file holds stories that exist already; more would only make
/// the message unreadable (importing the same file twice names every row).
const TAKEN_IDS_SHOWN: usize = 20;

/// How an import shares the stories with the instances that serve meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMode {
    /// Other instances keep storing and reading stories during the import.
    #[default]
    Online,
    /// On PostgreSQL the import has `stories` and `answers` to itself: it locks them, drops
    /// their costliest indexes and the answers' foreign key, and makes them again before it
    /// commits (`store::stories::exclusive`); other instances wait until it is done, also to
    /// read. About twice as fast for a large file. On SQLite the same as `Online`: there an
    /// import is the only writer from start to end already.
    Exclusive,
}

/// Reads a CSV file and stores all its stories, or none when any row is wrong; other
/// instances keep working meanwhile ([`ImportMode::Online`]).
pub fn import_csv(
    db: &Database,
    slug: &str,
    input: impl Read + Send,
) -> Result<usize, TransferError> {
    import_csv_with(db, slug, input, ImportMode::Online)
}

/// Reads a CSV file and stores all its stories, or none when any row is wrong.
///
/// The file is read once, in chunks, inside one write transaction: each chunk is checked
/// against the stories that exist and inserted, and any problem rolls everything back. So
/// memory does not grow with the file, but on SQLite other writers wait until the import is
/// done (100,000 stories take a few seconds). With [`ImportMode::Exclusive`] the same
/// transaction also sets the tables' indexes aside and makes them again, so a failure leaves
/// the schema as it was too.
pub fn import_csv_with(
    db: &Database,
    slug: &str,
    input: impl Read + Send,
    mode: ImportMode,
) -> Result<usize, TransferError> {
    let project = {
        let mut conn = db.conn()?;
        projects::find(&mut conn, slug)?.ok_or_else(|| TransferError::NoProject(slug.into()))?
    };
    // A wrong header is refused before the write lock is taken.
    let rows = csv_v1::Rows::new(input, &project.questionnaire)?;
    let stored = db
        .write_with(|conn| {
            copy::with_bulk_cache(conn, |conn| match mode {
                ImportMode::Online => import_rows(conn, &project, rows),
                ImportMode::Exclusive => stories::exclusive::with_tables_to_itself(conn, |conn| {
                    import_rows(conn, &project, rows)
                }),
            })
        })
        .map_err(TransferError::busy_in_dutch)?;
    // The exclusive import analysed the tables before it committed.
    if mode == ImportMode::Online {
        stories::analyze_after_bulk(&mut *db.conn()?)?;
    }
    Ok(stored)
}

/// Chunks parsed ahead of the one being stored: the file is read and checked on a thread of
/// its own while the database stores the chunk before (on two cores PostgreSQL's `COPY` and
/// the parsing each keep one busy). Memory: a few chunks at a time (one being read, one
/// waiting, one being stored, and stored ones not yet freed).
const CHUNKS_AHEAD: usize = 1;

/// A chunk of the file, checked and in its stored form.
struct Chunk {
    ids: Vec<String>,
    records: Vec<StoryRecord>,
    answer_rows: Vec<AnswerRecord>,
}

/// Stores the file's rows chunk by chunk inside the caller's transaction; refuses the whole
/// file when any of its ids exists already. The first problem in the file wins over ids
/// that exist, as when it was read in one go.
fn import_rows<R: Read + Send>(
    conn: &mut AnyConnection,
    project: &Project,
    rows: csv_v1::Rows<'_, R>,
) -> Result<usize, TransferError> {
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel(CHUNKS_AHEAD);
        let (give_back, stored_chunks) = std::sync::mpsc::channel();
        scope.spawn(move || read_chunks(rows, project, send, stored_chunks));
        store_chunks(conn, receive, give_back)
    })
}

/// Reads the file into chunks until its end, its first problem, or until nobody stores them
/// any more (the import failed). Chunks that were stored come back to be freed here: memory
/// is freed fastest by the thread that allocated it, and this thread has time to spare,
/// while the storing thread is the one the database waits for (freeing them there took 0.6 s
/// of every 100,000 stories).
fn read_chunks<R: Read>(
    mut rows: csv_v1::Rows<'_, R>,
    project: &Project,
    send: std::sync::mpsc::SyncSender<Result<Chunk, CsvError>>,
    stored_chunks: std::sync::mpsc::Receiver<Chunk>,
) {
    let mut chunk = Vec::with_capacity(IMPORT_CHUNK);
    loop {
        let row = match rows.next_row() {
            Ok(row) => row,
            Err(e) => {
                // The receiver may be gone already; then nobody needs the error.
                let _ = send.send(Err(e));
                return;
            }
        };
        let done = row.is_none();
        chunk.extend(row);
        if chunk.len() == IMPORT_CHUNK || (done && !chunk.is_empty()) {
            let ids = chunk.iter().map(|r| r.id.clone()).collect();
            let (records, answer_rows) = story_records(
                project,
                std::mem::replace(&mut chunk, Vec::with_capacity(IMPORT_CHUNK)),
            );
            let ready = Chunk {
                ids,
                records,
                answer_rows,
            };
            if send.send(Ok(ready)).is_err() {
                return;
            }
            stored_chunks.try_iter().for_each(drop);
        }
        if done {
            return;
        }
    }
}

/// Stores the chunks as they come, checking their ids first, and gives each back when done.
fn store_chunks(
    conn: &mut AnyConnection,
    receive: std::sync::mpsc::Receiver<Result<Chunk, CsvError>>,
    give_back: std::sync::mpsc::Sender<Chunk>,
) -> Result<usize, TransferError> {
    let mut stored = 0;
    let mut taken = TakenIds::default();
    // Ends when the reading thread is done and has dropped its sender.
    for chunk in receive {
        let chunk = chunk?;
        // Ids repeated within the file are refused by the parser, so whatever is found
        // existed before this import.
        taken.add(stories::existing_ids(conn, &chunk.ids)?);
        // Once an id is taken nothing will be kept; the rest is still read so that a problem
        // further on in the file is reported first, as with a valid file.
        if taken.count == 0 {
            stories::insert_many(conn, &chunk.records, &chunk.answer_rows)?;
            stored += chunk.records.len();
        }
        // When the reading thread has finished, the last chunks are freed here.
        let _ = give_back.send(chunk);
    }
    match taken.refusal() {
        Some(refusal) => Err(refusal),
        None => Ok(stored),
    }
}

/// The ids of a file that exist already: the first few, and how many.
#[derive(Default)]
struct TakenIds {
    shown: Vec<String>,
    count: usize,
}

impl TakenIds {
    fn add(&mut self, ids: Vec<String>) {
        self.count += ids.len();
        let room = TAKEN_IDS_SHOWN.saturating_sub(self.shown.len());
        self.shown.extend(ids.into_iter().take(room));
    }

    fn refusal(&self) -> Option<TransferError> {
        if self.count == 0 {
            return None;
        }
        let mut list = self.shown.join(", ");
        if self.count > self.shown.len() {
            list.push_str(&format!(
                " en nog {} (samen {})",
                crate::analysis::numbers::count((self.count - self.shown.len()) as u64),
                crate::analysis::numbers::count(self.count as u64)
            ));
        }
        Some(TransferError::IdsTaken(list))
    }
}

/// The stored form of imported rows: story records and answer rows.
fn story_records(project: &Project, rows: Vec<StoryRow>) -> (Vec<StoryRecord>, Vec<AnswerRecord>) {
    let mut records = Vec::with_capacity(rows.len());
    let mut answer_rows = Vec::new();
    for row in rows {
        let complete = is_complete(
            project.settings.completeness,
            &project.questionnaire,
            &row.role,
            &row.text,
            &row.answers,
        );
        // Imported stories get the same safety triage as stories told online.
        let safety_flag = triage::scan(
            [row.title.as_str(), row.text.as_str()].into_iter().chain(
                row.answers.values().filter_map(|a| match a {
                    Answer::Text(t) => Some(t.as_str()),
                    _ => None,
                }),
            ),
            &project.settings.triage_terms,
        )
        .flag();
        answer_rows.extend(
            row.answers
                .iter()
                .map(|(key, a)| AnswerRecord::encode(&row.id, key, a)),
        );
        records.push(StoryRecord {
            id: row.id,
            project_slug: project.slug.clone(),
            questionnaire_version: project.version,
            participant_id: None,
            role: row.role,
            title: row.title,
            body: row.text,
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
            moderation: Moderation {
                safety_flag,
                ..Default::default()
            },
            word_count: None,
        });
    }
    (records, answer_rows)
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
    let written = write_stories(&mut conn, slug, &columns, out)?;
    drop(conn);
    let detail = format!(
        "CSV via de opdrachtregel, {} {}",
        written,
        if written == 1 { "verhaal" } else { "verhalen" }
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
    Ok(written)
}

/// Stories read and written at a time by [`export_csv`].
const EXPORT_CHUNK: i64 = 5_000;

/// Writes the shareable stories oldest first, a chunk at a time in one consistent state of
/// the database: a million stories in the memory of five thousand.
fn write_stories(
    conn: &mut AnyConnection,
    slug: &str,
    columns: &[csv_v1::AnswerColumn],
    out: impl Write,
) -> Result<usize, TransferError> {
    let mut writer = csv_v1::Writer::new(out, columns)?;
    let mut written = 0;
    let mut failed: Option<TransferError> = None;
    crate::store::read_snapshot(conn, |conn| {
        let versions = stories::versions_map(conn, slug)?;
        let mut after: Option<(i64, String)> = None;
        loop {
            let facts = stories::shareable_facts(
                conn,
                slug,
                after.as_ref().map(|(at, id)| (*at, id.as_str())),
                EXPORT_CHUNK,
            )?;
            let ids: Vec<String> = facts.iter().map(|f| f.id.clone()).collect();
            // The database's order, which its collation decides on PostgreSQL.
            let order: HashMap<&str, usize> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| (id.as_str(), i))
                .collect();
            let mut chunk = stories::shareable_by_ids(conn, slug, &ids, &versions)?;
            chunk.sort_by_key(|s| order.get(s.record.id.as_str()).copied());
            for story in chunk {
                let row = StoryRow {
                    id: story.record.id,
                    created_at: story.record.created_at,
                    role: story.record.role,
                    title: story.record.title,
                    text: story.record.body,
                    answers: story.answers,
                };
                if let Err(e) = writer.row(&row) {
                    failed = Some(e.into());
                    return Ok(());
                }
                written += 1;
            }
            match facts.last() {
                Some(last) if (facts.len() as i64) == EXPORT_CHUNK => {
                    after = Some((last.created_at, last.id.clone()));
                }
                _ => return Ok(()),
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    writer.finish()?;
    Ok(written)
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

/// Writes a consistent copy of a SQLite database into the new file `target`, also while the
/// application serves, and checks it. PostgreSQL is backed up with its own tools (pg_dump).
pub fn backup_database(from: &DatabaseUrl, target: &Path) -> Result<Backup, TransferError> {
    match from {
        DatabaseUrl::Sqlite(path) => Ok(copy::backup_sqlite(path, target)?),
        DatabaseUrl::Postgres(_) => Err(BackupError::NotSqlite.into()),
    }
}
