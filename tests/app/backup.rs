//! `vertelpunt db backup`: a copy of a SQLite database taken while the application serves,
//! and the two ways back (the file as the database, or `db copy` from it).

use crate::cli::vertelpunt;
use crate::helpers::*;
use vertelpunt::service::transfer;
use vertelpunt::store::{self, Database, DatabaseUrl};

/// Imported stories with answers, beside one told online.
fn csv(first: usize, count: usize) -> String {
    let mut csv = String::from("id,created_at,role,title,text,gehoord,gevoel,themas\r\n");
    for i in first..first + count {
        csv.push_str(&format!(
            "bk-{i},2026-03-01T10:00:00Z,ouder,Titel {i},\"Regel een\nRegel twee\",{},positief,thema_school\r\n",
            i % 101
        ));
    }
    csv
}

fn fingerprint(url: &DatabaseUrl) -> store::copy::Fingerprint {
    let db = Database::open(url, 1).unwrap();
    let mut conn = db.conn().unwrap();
    store::copy::fingerprint(&mut conn).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_backup_of_a_serving_database_restores_to_the_same_checksum() {
    let app = spawn_app().with_admin();
    let form = app.open_form("jongere");
    let fields = story_fields(&form, "jongere", "Online verteld", LONG_STORY);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
        200
    );
    let db = app.database();
    transfer::import_csv(&db, "jeugdhulp", csv(0, 40).as_bytes()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("back-up 'van' vandaag.db");
    let file_arg = file.to_str().unwrap();

    if let DatabaseUrl::Postgres(_) = app.db_url {
        let out = vertelpunt(&app.db_url, &["db", "backup", file_arg]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("pg_dump"), "{}", stderr(&out));
        assert!(!file.exists());
        return;
    }

    // The application is running with its connections open, and the last writes are still in
    // the write-ahead log: the backup must hold them.
    let source = {
        let mut conn = db.conn().unwrap();
        store::copy::fingerprint(&mut conn).unwrap()
    };
    assert_eq!(source.stories, 41);
    let out = vertelpunt(&app.db_url, &["db", "backup", file_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains(&source.checksum), "{printed}");
    assert!(!dir.path().join("back-up 'van' vandaag.db-wal").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "only the owner may read a backup: {mode:o}"
        );
    }

    // An existing file is never overwritten.
    let before = std::fs::read(&file).unwrap();
    let out = vertelpunt(&app.db_url, &["db", "backup", file_arg]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bestaat al"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // The application kept serving: a story told after the backup is not in it.
    let form = app.open_form("ouder");
    let fields = story_fields(&form, "ouder", "Na de back-up", LONG_STORY);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
        200
    );

    // Restore by replacing the file (here: starting on a copy of the backup).
    let restored = dir.path().join("hersteld.db");
    std::fs::copy(&file, &restored).unwrap();
    let restored = DatabaseUrl::Sqlite(restored);
    assert_eq!(fingerprint(&restored), source);
    let on_backup = spawn_app_on(restored, tempfile::tempdir().unwrap(), |_| {});
    assert_eq!(on_backup.setup_link, None);
    assert_eq!(on_backup.login(ADMIN_EMAIL, PASSWORD).status, 303);
    drop(on_backup);

    // Restore with `db copy` from the backup into an empty database.
    let copied = DatabaseUrl::Sqlite(dir.path().join("gekopieerd.db"));
    let moved = transfer::copy_database(&DatabaseUrl::Sqlite(file.clone()), &copied).unwrap();
    assert_eq!(moved.checksum, source.checksum);
    assert_eq!(moved.stories, source.stories);
}

#[test]
fn a_backup_taken_while_stories_are_imported_is_one_consistent_state() {
    let app = spawn_app();
    let DatabaseUrl::Sqlite(path) = app.db_url.clone() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    const BATCH: usize = 200;
    let writer = {
        let db = app.database();
        std::thread::spawn(move || {
            for batch in 0..15 {
                let rows = csv(batch * BATCH, BATCH);
                transfer::import_csv(&db, "jeugdhulp", rows.as_bytes()).unwrap();
            }
        })
    };
    // Backups one after another until the imports are done, and one after that.
    let mut counts = Vec::new();
    loop {
        let done = writer.is_finished();
        let file = dir.path().join(format!("{}.db", counts.len()));
        let backup = transfer::backup_database(&DatabaseUrl::Sqlite(path.clone()), &file).unwrap();
        // Each import is one transaction: a backup holds whole imports, answers included.
        let f = backup.fingerprint;
        assert_eq!(f.stories % BATCH, 0, "{f:?}");
        assert_eq!(f.answers, f.stories * 3, "{f:?}");
        counts.push(f.stories);
        if done {
            break;
        }
    }
    writer.join().unwrap();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert_eq!(counts.last(), Some(&(15 * BATCH)));
}
