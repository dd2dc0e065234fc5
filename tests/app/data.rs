//! Data in and out: CSV round trip, questionnaire versions, moving a database.

use crate::helpers::*;
use vertelpunt::domain::questionnaire::default_questionnaire;
use vertelpunt::service::{projects, transfer};
use vertelpunt::store::projects::SaveOutcome;
use vertelpunt::store::{self, stories, DatabaseUrl};

const CSV: &str = "id,created_at,role,title,text,gehoord,juiste_hulp,op_tijd,gevoel,themas,gemeente\r\n\
imp-1,2026-03-01T10:00:00Z,jongere,\"Met \"\"quotes\"\", komma\",\"Regel 1\nRegel 2 🙂\",0,100,,positief,thema_school;thema_wachten,nijmegen\r\n\
imp-2,2026-03-02T11:30:00Z,ouder,Tweede,Kort verhaal,55,,,,,\r\n";

#[test]
fn stories_round_trip_through_csv_exactly() {
    let app = spawn_app();
    let db = app.database();
    assert_eq!(
        transfer::import_csv(&db, "jeugdhulp", CSV.as_bytes()).unwrap(),
        2
    );

    let mut out = Vec::new();
    assert_eq!(transfer::export_csv(&db, "jeugdhulp", &mut out).unwrap(), 2);
    let exported = String::from_utf8(out).unwrap();
    // Every question is a column; the rows carry exactly the imported values.
    assert!(
        exported.starts_with("id,created_at,role,title,text,gehoord,juiste_hulp,op_tijd,regie,")
    );
    assert!(exported.contains("\"Met \"\"quotes\"\", komma\",\"Regel 1\nRegel 2 🙂\",0,100,,"));

    // Import the export into a fresh installation and export again: identical.
    let other = spawn_app();
    let other_db = other.database();
    transfer::import_csv(&other_db, "jeugdhulp", exported.as_bytes()).unwrap();
    let mut again = Vec::new();
    transfer::export_csv(&other_db, "jeugdhulp", &mut again).unwrap();
    assert_eq!(exported, String::from_utf8(again).unwrap());
}

#[test]
fn a_malformed_csv_names_line_and_column_and_stores_nothing() {
    let app = spawn_app();
    let db = app.database();
    let bad = CSV.replace("55,,,,,", "55,,,,thema_zwemmen,");
    let err = transfer::import_csv(&db, "jeugdhulp", bad.as_bytes()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("regel 4") && message.contains("themas"),
        "{message}"
    );
    let mut conn = db.conn().unwrap();
    assert_eq!(stories::counts(&mut conn, "jeugdhulp").unwrap().total, 0);
    drop(conn);

    // Ids that exist already: all or nothing again.
    transfer::import_csv(&db, "jeugdhulp", CSV.as_bytes()).unwrap();
    let err = transfer::import_csv(&db, "jeugdhulp", CSV.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("imp-1"), "{err}");
    let mut conn = db.conn().unwrap();
    assert_eq!(stories::counts(&mut conn, "jeugdhulp").unwrap().total, 2);
}

#[test]
fn changing_a_questionnaire_with_stories_makes_a_new_version() {
    let app = spawn_app();
    let db = app.database();
    let mut changed = default_questionnaire().unwrap();
    // Core questions may not change, so change two of the project's own questions.
    let own = |q: &vertelpunt::domain::Questionnaire, key: &str| {
        q.questions.iter().position(|x| x.key == key).unwrap()
    };
    let (first, second) = (own(&changed, "duidelijk"), own(&changed, "klik"));
    changed.questions[first].label = "Wist je wat er ging gebeuren?".into();
    let json = changed.to_json_pretty();

    // No stories yet: the current version is replaced.
    assert_eq!(
        projects::import_questionnaire(&db, &json).unwrap(),
        projects::ImportOutcome::Saved(SaveOutcome::Replaced(1))
    );
    assert_eq!(
        projects::import_questionnaire(&db, &json).unwrap(),
        projects::ImportOutcome::Saved(SaveOutcome::Unchanged(1))
    );
    transfer::import_csv(&db, "jeugdhulp", CSV.as_bytes()).unwrap();
    changed.questions[second].required = true;
    assert_eq!(
        projects::import_questionnaire(&db, &changed.to_json_pretty()).unwrap(),
        projects::ImportOutcome::Saved(SaveOutcome::NewVersion(2))
    );
    let mut conn = db.conn().unwrap();
    let stories = stories::list_shareable(&mut conn, "jeugdhulp").unwrap();
    assert!(stories.iter().all(|s| s.record.questionnaire_version == 1));
    let project = store::projects::find(&mut conn, "jeugdhulp")
        .unwrap()
        .unwrap();
    assert_eq!(project.version, 2);
    assert!(project.questionnaire.questions[second].required);
    assert_eq!(
        store::projects::versions(&mut conn, "jeugdhulp")
            .unwrap()
            .len(),
        2
    );

    // A new project from JSON, and an invalid one refused.
    let mut other = default_questionnaire().unwrap();
    other.slug = "regio-oost".into();
    other.title = "Vertelpunt Regio Oost".into();
    assert_eq!(
        projects::import_questionnaire(&db, &other.to_json_pretty()).unwrap(),
        projects::ImportOutcome::Created
    );
    assert!(projects::import_questionnaire(&db, "{\"slug\": \"x\"}").is_err());
    let exported = projects::export_questionnaire(&db, "regio-oost").unwrap();
    assert!(exported.contains("Vertelpunt Regio Oost"));
}

#[test]
fn a_database_is_copied_completely_and_verified() {
    let app = spawn_app().with_admin();
    app.create_user("begeleider@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let form = app.open_form("jongere");
    let fields = story_fields(&form, "jongere", "Online verteld", LONG_STORY);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
        200
    );
    let db = app.database();
    transfer::import_csv(&db, "jeugdhulp", CSV.as_bytes()).unwrap();

    // The target is another backend when one is configured: PostgreSQL ⇄ SQLite.
    let dir = tempfile::tempdir().unwrap();
    let target = match &app.db_url {
        DatabaseUrl::Postgres(_) => DatabaseUrl::Sqlite(dir.path().join("kopie.db")),
        DatabaseUrl::Sqlite(_) => spawn_app_database_url(&dir),
    };
    let fingerprint = transfer::copy_database(&app.db_url, &target).unwrap();
    assert_eq!(fingerprint.stories, 3);
    assert_eq!(fingerprint.projects, 1);
    assert_eq!(fingerprint.users, 2);
    assert!(fingerprint.audit_entries >= 2);
    let source_print = {
        let mut conn = db.conn().unwrap();
        store::copy::fingerprint(&mut conn).unwrap()
    };
    assert_eq!(fingerprint, source_print);

    // The copy refuses a target that already holds data.
    assert!(transfer::copy_database(&app.db_url, &target).is_err());

    // Accounts and roles came along: the begeleider logs in on the copy and sees the project.
    let on_copy = spawn_app_on(target.clone(), tempfile::tempdir().unwrap(), |_| {});
    assert_eq!(on_copy.setup_link, None);
    assert_eq!(
        on_copy.login("begeleider@voorbeeld.nl", PASSWORD).status,
        303
    );
    assert_eq!(on_copy.get("/beheer/p/jeugdhulp").status, 200);
    drop(on_copy);

    // On PostgreSQL runs, also the way users outgrow SQLite: from the SQLite copy into a
    // fresh PostgreSQL database.
    if let DatabaseUrl::Sqlite(_) = target {
        if matches!(app.db_url, DatabaseUrl::Postgres(_)) {
            let postgres = spawn_app_database_url(&dir);
            let moved = transfer::copy_database(&target, &postgres).unwrap();
            // The login on the copy added to its audit log; the stories are unchanged.
            let copy_print = {
                let db = vertelpunt::store::Database::open(&target, 1).unwrap();
                let mut conn = db.conn().unwrap();
                store::copy::fingerprint(&mut conn).unwrap()
            };
            assert_eq!(moved, copy_print);
            assert_eq!(moved.checksum, source_print.checksum);
        }
    }
}

/// A second, empty database of the configured kind (PostgreSQL when configured).
fn spawn_app_database_url(dir: &tempfile::TempDir) -> DatabaseUrl {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            use diesel::prelude::*;
            let name = format!(
                "vp_copy_{}",
                hex::encode(vertelpunt::security::random_bytes::<6>())
            );
            let mut admin = diesel::PgConnection::establish(&url).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .unwrap();
            let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
            DatabaseUrl::Postgres(format!("{base}/{name}"))
        }
        _ => DatabaseUrl::Sqlite(dir.path().join("kopie.db")),
    }
}
