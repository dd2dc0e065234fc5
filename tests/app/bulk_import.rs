//! `stories import --exclusive`: on PostgreSQL the import locks `stories` and `answers`, sets
//! their indexes and the answers' foreign key aside and makes them again in its one
//! transaction (`store::stories::exclusive`); on SQLite it is the ordinary import. Either way
//! it stores everything or nothing, and the schema afterwards is the migrated one.

use crate::cli::vertelpunt;
use crate::helpers::*;
use diesel::prelude::*;
use std::io::Read;
use std::sync::mpsc;
use vertelpunt::service::transfer::{self, ImportMode, TransferError};
use vertelpunt::store::stories::exclusive::SET_ASIDE;
use vertelpunt::store::{AnyConnection, DatabaseUrl, Manager};

/// `count` stories from number `first` on, each with three answers.
fn csv(first: usize, count: usize) -> String {
    let mut csv = String::from("id,created_at,role,title,text,gehoord,gevoel,themas\r\n");
    csv.push_str(&rows(first, count));
    csv
}

fn rows(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| {
            format!(
                "bulk-{i},2026-03-01T10:00:00Z,ouder,Titel {i},\"Wachten op hulp, {i}\",{},positief,thema_school\r\n",
                i % 101
            )
        })
        .collect()
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// Every index and constraint of `stories` and `answers` (and the foreign keys that point at
/// them), as the database describes them, sorted.
fn schema(url: &DatabaseUrl) -> Vec<String> {
    let mut conn = Manager::connect_once(url).expect("connect");
    let query = match conn {
        AnyConnection::Postgresql(_) => {
            "SELECT 'index ' || tablename || '.' || indexname || ': ' || indexdef AS line
             FROM pg_indexes
             WHERE schemaname = current_schema() AND tablename IN ('stories', 'answers')
             UNION ALL
             SELECT 'constraint ' || conrelid::regclass || '.' || conname || ': '
                 || pg_get_constraintdef(oid)
                 || CASE WHEN convalidated THEN '' ELSE ' NOT VALIDATED' END
                 || CASE WHEN condeferrable THEN ' DEFERRABLE' ELSE '' END AS line
             FROM pg_constraint
             WHERE conrelid IN ('stories'::regclass, 'answers'::regclass)
                OR confrelid IN ('stories'::regclass, 'answers'::regclass)
             ORDER BY 1"
        }
        AnyConnection::Sqlite(_) => {
            "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') AS line
             FROM sqlite_master WHERE tbl_name IN ('stories', 'answers') ORDER BY 1"
        }
    };
    diesel::sql_query(query)
        .load::<Line>(&mut conn)
        .expect("schema")
        .into_iter()
        .map(|l| l.line)
        .collect()
}

/// Stories and answer rows in the database.
fn counts(url: &DatabaseUrl) -> (i64, i64) {
    use vertelpunt::store::schema::{answers, stories};
    let mut conn = Manager::connect_once(url).expect("connect");
    (
        stories::table
            .count()
            .get_result(&mut conn)
            .expect("stories"),
        answers::table
            .count()
            .get_result(&mut conn)
            .expect("answers"),
    )
}

/// The migrated schema: a database just made for the suite, never written to.
fn migrated_schema() -> Vec<String> {
    let (url, _dir) = new_database();
    schema(&url)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_exclusive_import_stores_every_story_and_leaves_the_migrated_schema() {
    let app = spawn_app();
    let migrated = migrated_schema();
    assert_eq!(schema(&app.db_url), migrated);
    if let DatabaseUrl::Postgres(_) = app.db_url {
        // Each statement in the store's list names something the migrations made.
        for item in SET_ASIDE {
            assert!(
                migrated
                    .iter()
                    .any(|l| l.contains(&format!(".{}: ", item.name()))),
                "{} is not in the migrated schema:\n{migrated:#?}",
                item.name()
            );
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verhalen.csv");
    std::fs::write(&file, csv(0, 1_200)).unwrap();
    let out = vertelpunt(
        &app.db_url,
        &[
            "stories",
            "import",
            "--exclusive",
            "--project",
            "jeugdhulp",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1200 verhalen geïmporteerd"),
        "{}",
        stderr(&out)
    );
    // A second import into a table that has stories: its ids are checked against them.
    let db = app.database();
    assert_eq!(
        transfer::import_csv_with(
            &db,
            "jeugdhulp",
            csv(1_200, 300).as_bytes(),
            ImportMode::Exclusive
        )
        .unwrap(),
        300
    );
    assert_eq!(counts(&app.db_url), (1_500, 4_500));
    assert_eq!(schema(&app.db_url), migrated);

    let out = vertelpunt(&app.db_url, &["db", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1500 verhalen, 4500 antwoorden"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    if let DatabaseUrl::Postgres(_) = app.db_url {
        // Analysed before it committed: plans see the new rows at once.
        #[derive(QueryableByName)]
        struct Estimate {
            #[diesel(sql_type = diesel::sql_types::Float)]
            reltuples: f32,
        }
        let mut conn = Manager::connect_once(&app.db_url).unwrap();
        let estimate: Estimate =
            diesel::sql_query("SELECT reltuples FROM pg_class WHERE relname = 'answers'")
                .get_result(&mut conn)
                .unwrap();
        assert_eq!(estimate.reltuples, 4_500.0);
    }

    // The stories are there as imported, and the application works on them.
    let mut exported = Vec::new();
    transfer::export_csv(&db, "jeugdhulp", &mut exported).unwrap();
    let exported = String::from_utf8(exported).unwrap();
    assert!(exported.contains("bulk-1499,2026-03-01T10:00:00Z,ouder,Titel 1499,"));
    let form = app.open_form("jongere");
    let fields = story_fields(&form, "jongere", "Na de import", LONG_STORY);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
        200
    );
    assert_eq!(story_count(&app), 1_501);
}

#[test]
fn a_failing_exclusive_import_stores_nothing_and_keeps_the_schema() {
    let app = spawn_app();
    let migrated = migrated_schema();
    let db = app.database();
    let exclusive = |csv: String| {
        transfer::import_csv_with(&db, "jeugdhulp", csv.as_bytes(), ImportMode::Exclusive)
    };
    assert_eq!(exclusive(csv(0, 50)).unwrap(), 50);

    // A bad row at the end of a file whose other rows were stored already (chunks of 5,000).
    let mut bad = csv(50, 6_000);
    bad.push_str("bulk-laatste,2026-03-01T10:00:00Z,ouder,Titel,Tekst,101,positief,\r\n");
    let err = exclusive(bad).unwrap_err();
    assert!(matches!(err, TransferError::Csv(_)), "{err}");
    assert!(
        err.to_string().contains("regel 6002") && err.to_string().contains("gehoord"),
        "{err}"
    );
    assert_eq!(counts(&app.db_url), (50, 150));
    assert_eq!(schema(&app.db_url), migrated);

    // An id that exists, in the second chunk.
    let mut taken = csv(50, 5_500);
    taken.push_str(&rows(10, 1));
    let err = exclusive(taken).unwrap_err();
    assert!(matches!(err, TransferError::IdsTaken(_)), "{err}");
    assert!(err.to_string().contains("bulk-10"), "{err}");
    assert_eq!(counts(&app.db_url), (50, 150));
    assert_eq!(schema(&app.db_url), migrated);

    // The same through the command line: a failing exit code, and still nothing stored.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dubbel.csv");
    std::fs::write(&file, csv(0, 10)).unwrap();
    let out = vertelpunt(
        &app.db_url,
        &[
            "stories",
            "import",
            "--project",
            "jeugdhulp",
            "--exclusive",
            file.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bestaan al"), "{}", stderr(&out));
    assert_eq!(counts(&app.db_url), (50, 150));
    assert_eq!(schema(&app.db_url), migrated);
    let out = vertelpunt(&app.db_url, &["db", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A file that arrives while the test sends it: the import runs as long as the test wants.
struct Pipe {
    receive: mpsc::Receiver<Vec<u8>>,
    buffer: Vec<u8>,
    at: usize,
}

impl Read for Pipe {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.buffer.len() {
            match self.receive.recv() {
                Ok(bytes) => {
                    self.buffer = bytes;
                    self.at = 0;
                }
                // The sender is gone: the end of the file.
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Locks of this database in `mode` on `table`, granted or waiting.
fn locks(conn: &mut AnyConnection, table: &str, granted: bool) -> i64 {
    diesel::sql_query(
        "SELECT count(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND c.relname = $1 AND l.granted = $2
           AND (NOT $2 OR l.mode = 'AccessExclusiveLock')",
    )
    .bind::<diesel::sql_types::Text, _>(table)
    .bind::<diesel::sql_types::Bool, _>(granted)
    .get_result::<Count>(conn)
    .expect("pg_locks")
    .n
}

#[test]
fn a_story_told_during_an_exclusive_import_waits_and_is_stored() {
    let app = spawn_app();
    if app.db_url.is_sqlite() {
        // One writer at a time, whatever the flag (docs/reliability.md).
        return;
    }
    let migrated = schema(&app.db_url);
    let db = app.database();
    let (send, receive) = mpsc::channel();
    send.send(csv(0, 10).into_bytes()).unwrap();
    let import = std::thread::spawn(move || {
        let pipe = Pipe {
            receive,
            buffer: Vec::new(),
            at: 0,
        };
        transfer::import_csv_with(&db, "jeugdhulp", pipe, ImportMode::Exclusive)
    });
    let mut watch = Manager::connect_once(&app.db_url).unwrap();
    wait_until("the import's lock on stories", || {
        (locks(&mut watch, "stories", true) > 0).then_some(())
    });

    // A teller sends a story meanwhile: the request waits for the lock.
    let form = app.open_form("ouder");
    let fields = story_fields(&form, "ouder", "Tijdens de import", LONG_STORY);
    let base = app.base.clone();
    let client = app.client.clone();
    let post = std::thread::spawn(move || {
        let mut response = client
            .post(format!("{base}/v/jeugdhulp/vertel"))
            .send_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .unwrap();
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_string().unwrap())
    });
    wait_until("the story waiting for the import", || {
        (locks(&mut watch, "stories", false) + locks(&mut watch, "answers", false) > 0)
            .then_some(())
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!post.is_finished(), "the story did not wait for the import");

    // The rest of the file, then its end.
    send.send(rows(10, 2_000).into_bytes()).unwrap();
    drop(send);
    assert_eq!(import.join().unwrap().unwrap(), 2_010);
    let (status, body) = post.join().unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("intrekcode"), "{body}");
    assert_eq!(story_count(&app), 2_011);
    assert_eq!(counts(&app.db_url).0, 2_011);
    assert_eq!(schema(&app.db_url), migrated);
}

#[test]
fn an_exclusive_import_gives_up_when_the_tables_stay_busy() {
    let app = spawn_app();
    if app.db_url.is_sqlite() {
        return;
    }
    // Another session holds the stories (a long export or analysis load would).
    let mut other = Manager::connect_once(&app.db_url).unwrap();
    diesel::sql_query("BEGIN").execute(&mut other).unwrap();
    diesel::sql_query("LOCK TABLE stories IN ACCESS SHARE MODE")
        .execute(&mut other)
        .unwrap();
    let started = std::time::Instant::now();
    let err = transfer::import_csv_with(
        &app.database(),
        "jeugdhulp",
        csv(0, 10).as_bytes(),
        ImportMode::Exclusive,
    )
    .unwrap_err();
    assert!(matches!(err, TransferError::Busy { .. }), "{err}");
    assert!(
        err.to_string().contains("probeer het later opnieuw"),
        "{err}"
    );
    assert!(started.elapsed() >= std::time::Duration::from_secs(9));
    diesel::sql_query("ROLLBACK").execute(&mut other).unwrap();
    assert_eq!(counts(&app.db_url), (0, 0));
    assert_eq!(schema(&app.db_url), migrated_schema());
}
