//! Reading and moderating stories as staff: new → reviewed, hiding, redacting, rights, CSRF
//! and the audit log.

use crate::accounts::add_second_project;
use crate::helpers::*;
use std::process::Command;
use vertelpunt::service::audit::action;
use vertelpunt::store::audit::{self, AuditEntry, AuditFilter};
use vertelpunt::store::stories::{self, StaffFilter, StoryRecord};
use vertelpunt::store::{projects, Database, DatabaseUrl};

const BEGELEIDER: &str = "begeleider@voorbeeld.nl";
const STORIES: &str = "/beheer/p/jeugdhulp/verhalen";

/// Tells a story through the public form (in a browser of its own); returns its id.
fn tell(app: &TestApp, db: &Database, title: &str, text: &str) -> String {
    let teller = app.browser();
    let form = teller.open_form("jongere");
    let fields = story_fields(&form, "jongere", title, text);
    let thanks = teller.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let mut conn = db.conn().unwrap();
    stories::list_for_staff(&mut conn, "jeugdhulp", StaffFilter::All, None, 1000, 0)
        .unwrap()
        .into_iter()
        .find(|s| s.title == title)
        .expect("the story is stored")
        .id
}

fn record(db: &Database, id: &str) -> StoryRecord {
    let mut conn = db.conn().unwrap();
    stories::find(&mut conn, id).unwrap().expect("story").record
}

fn story_entries(db: &Database) -> Vec<AuditEntry> {
    let mut conn = db.conn().unwrap();
    let filter = AuditFilter {
        action: Some("story.".into()),
        ..Default::default()
    };
    audit::list(&mut conn, &filter, 100).unwrap()
}

/// The audit log holds who, what and which story, but none of these words.
fn assert_log_holds_no(db: &Database, words: &[&str]) {
    for entry in story_entries(db) {
        let all = format!("{entry:?}");
        for word in words {
            assert!(!all.contains(word), "{word:?} in the audit log: {all}");
        }
    }
}

fn path(id: &str) -> String {
    format!("{STORIES}/{id}")
}

/// Posts a moderation form with the CSRF token of the story page.
fn moderate(browser: &Browser, id: &str, what: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = browser.csrf(&path(id));
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser.post(&format!("{}/{what}", path(id)), &form)
}

fn exported_csv(db: &DatabaseUrl) -> String {
    let url = match db {
        DatabaseUrl::Sqlite(p) => p.display().to_string(),
        DatabaseUrl::Postgres(u) => u.clone(),
    };
    let out = Command::new(env!("CARGO_BIN_EXE_vertelpunt"))
        .args(["stories", "export", "--project", "jeugdhulp"])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run vertelpunt");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_new_story_shows_up_as_new_and_moves_when_marked_reviewed() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let begeleider = app.user_browser(BEGELEIDER, &[("jeugdhulp", "begeleider")]);
    let id = tell(&app, &db, "Drie maanden wachten", LONG_STORY);

    let list = begeleider.get(STORIES);
    assert_eq!(list.status, 200, "{}", list.body);
    list.assert_contains("Drie maanden wachten");
    list.assert_contains(&format!("href=\"{STORIES}/{id}\""));
    list.assert_contains("Nieuw <span class=\"tab-count\">(1)</span>");
    list.assert_contains("class=\"table-scroll\"");

    let page = begeleider.get(&path(&id));
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("Citeren mag niet");
    page.assert_contains("class=\"story-text\"");
    // Sliders with their value and poles, N/A, a choice, a context answer.
    page.assert_contains("<strong>80</strong> van 100");
    page.assert_contains("Er werd echt geluisterd");
    page.assert_contains("Weet ik niet / past niet");
    page.assert_contains("Over de verteller");
    page.assert_contains("Markeer als bekeken");

    let done = moderate(&begeleider, &id, "bekeken", &[]);
    assert_eq!(done.status, 303, "{}", done.body);
    let after = begeleider.get(done.header("location").unwrap());
    after.assert_contains("gemarkeerd als bekeken");
    assert!(!after.body.contains("Markeer als bekeken"));
    assert!(record(&db, &id).moderation.reviewed_at.is_some());

    let new = begeleider.get(&format!("{STORIES}?filter=nieuw"));
    assert!(!new.body.contains("Drie maanden wachten"), "{}", new.body);
    new.assert_contains("Er zijn geen nieuwe verhalen");
    let all = begeleider.get(&format!("{STORIES}?filter=alle"));
    all.assert_contains("Drie maanden wachten");
    all.assert_contains("Bekeken");

    // Marking again changes nothing and logs nothing new.
    assert_eq!(moderate(&begeleider, &id, "bekeken", &[]).status, 303);
    let log = story_entries(&db);
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].action, action::STORY_REVIEWED);
    assert_eq!(log[0].target.as_deref(), Some(id.as_str()));
    assert_eq!(log[0].actor_email.as_deref(), Some(BEGELEIDER));
    assert_eq!(log[0].project_slug.as_deref(), Some("jeugdhulp"));
}

#[test]
fn hiding_needs_a_reason_and_keeps_the_story_out_of_exports_until_shown_again() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let begeleider = app.user_browser(BEGELEIDER, &[("jeugdhulp", "begeleider")]);
    let id = tell(&app, &db, "Over de wachtlijst", LONG_STORY);
    assert!(exported_csv(&app.db_url).contains("Over de wachtlijst"));

    let refused = moderate(&begeleider, &id, "verbergen", &[("reden", "   ")]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Schrijf kort op waarom");
    refused.assert_contains("aria-invalid=\"true\"");
    let too_long = "x".repeat(301);
    let refused = moderate(&begeleider, &id, "verbergen", &[("reden", &too_long)]);
    assert_eq!(refused.status, 422);
    refused.assert_contains(&format!("value=\"{too_long}\""));
    assert!(record(&db, &id).moderation.hidden_at.is_none());

    let reason = "Noemt de naam van een hulpverlener";
    let done = moderate(&begeleider, &id, "verbergen", &[("reden", reason)]);
    assert_eq!(done.status, 303, "{}", done.body);
    let stored = record(&db, &id);
    assert!(stored.moderation.hidden_at.is_some());
    assert_eq!(stored.moderation.hidden_reason.as_deref(), Some(reason));
    // Hiding means it was read.
    assert!(stored.moderation.reviewed_at.is_some());
    let mut conn = db.conn().unwrap();
    assert!(stories::list_shareable(&mut conn, "jeugdhulp")
        .unwrap()
        .is_empty());
    drop(conn);
    assert!(!exported_csv(&app.db_url).contains("Over de wachtlijst"));

    let hidden = begeleider.get(&format!("{STORIES}?filter=verborgen"));
    hidden.assert_contains("Over de wachtlijst");
    hidden.assert_contains("Verborgen <span class=\"tab-count\">(1)</span>");
    let page = begeleider.get(&path(&id));
    page.assert_contains(reason);
    page.assert_contains("Weer laten meetellen");

    let shown = moderate(&begeleider, &id, "tonen", &[]);
    assert_eq!(shown.status, 303, "{}", shown.body);
    assert!(record(&db, &id).moderation.hidden_at.is_none());
    assert!(exported_csv(&app.db_url).contains("Over de wachtlijst"));

    let actions: Vec<String> = story_entries(&db).into_iter().map(|e| e.action).collect();
    assert_eq!(actions, vec![action::STORY_SHOW, action::STORY_HIDE]);
    assert_log_holds_no(&db, &["hulpverlener", "wachtlijst", "veertien"]);
}

#[test]
fn redaction_replaces_every_occurrence_and_keeps_no_original_by_default() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let begeleider = app.user_browser(BEGELEIDER, &[("jeugdhulp", "begeleider")]);
    let text = "Jan van het wijkteam belde. Later kwam Jan nog een keer langs.\nDank je, Jan!";
    let id = tell(&app, &db, "Wat Jan deed", text);

    // Matching is exact: "jan" is not there, and nothing changes.
    let missing = moderate(&begeleider, &id, "weglakken", &[("stukje", "jan")]);
    assert_eq!(missing.status, 422, "{}", missing.body);
    missing.assert_contains("staat niet in de titel, de tekst of de open antwoorden");
    missing.assert_contains("value=\"jan\"");
    let blank = moderate(&begeleider, &id, "weglakken", &[("stukje", "  ")]);
    assert_eq!(blank.status, 422);
    blank.assert_contains("Typ het stukje");
    assert_eq!(record(&db, &id).title, "Wat Jan deed");

    let done = moderate(&begeleider, &id, "weglakken", &[("stukje", "Jan")]);
    assert_eq!(done.status, 303, "{}", done.body);
    let stored = record(&db, &id);
    assert_eq!(stored.title, "Wat [weggelaten] deed");
    assert_eq!(
        stored.body,
        "[weggelaten] van het wijkteam belde. Later kwam [weggelaten] nog een keer langs.\nDank je, [weggelaten]!"
    );
    assert!(stored.moderation.redacted_at.is_some());
    assert_eq!(stored.moderation.original_title, None);
    assert_eq!(stored.moderation.original_body, None);
    let page = begeleider.get(done.header("location").unwrap());
    page.assert_contains("4 keer vervangen");
    page.assert_contains("Wat [weggelaten] deed");
    assert!(!page.body.contains("Oorspronkelijke tekst"));
    assert!(!page.body.contains("Jan"));
    assert!(!exported_csv(&app.db_url).contains("Jan"));

    let log = story_entries(&db);
    assert_eq!(log[0].action, action::STORY_REDACT);
    assert_eq!(log[0].target.as_deref(), Some(id.as_str()));
    assert_log_holds_no(&db, &["Jan", "wijkteam"]);
}

#[test]
fn redaction_keeps_the_first_original_for_begeleiders_when_the_project_says_so() {
    let app = spawn_app().with_admin();
    let db = app.database();
    db.write_sync(|conn| {
        let mut settings = projects::find(conn, "jeugdhulp")?.unwrap().settings;
        settings.keep_redacted_originals = true;
        projects::save_settings(conn, "jeugdhulp", &settings)
    })
    .unwrap();
    let begeleider = app.user_browser(BEGELEIDER, &[("jeugdhulp", "begeleider")]);
    let onderzoeker = app.user_browser("onderzoeker@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let text = "Mijn mentor Jan uit Gouda hielp mij. Jan luisterde echt.";
    let id = tell(&app, &db, "Jan uit Gouda", text);

    assert_eq!(
        moderate(&begeleider, &id, "weglakken", &[("stukje", "Jan")]).status,
        303
    );
    assert_eq!(
        moderate(&begeleider, &id, "weglakken", &[("stukje", "Gouda")]).status,
        303
    );
    let stored = record(&db, &id);
    assert_eq!(stored.title, "[weggelaten] uit [weggelaten]");
    assert_eq!(
        stored.body,
        "Mijn mentor [weggelaten] uit [weggelaten] hielp mij. [weggelaten] luisterde echt."
    );
    // The very first text is kept, not the one between the two redactions.
    assert_eq!(
        stored.moderation.original_title.as_deref(),
        Some("Jan uit Gouda")
    );
    assert_eq!(stored.moderation.original_body.as_deref(), Some(text));

    let page = begeleider.get(&path(&id));
    page.assert_contains("Oorspronkelijke tekst, van vóór het weglakken (alleen voor begeleiders)");
    page.assert_contains("Mijn mentor Jan uit Gouda");
    // Onderzoekers see neither the original nor the hide reason.
    let reason = "Bevat een plaatsnaam";
    assert_eq!(
        moderate(&begeleider, &id, "verbergen", &[("reden", reason)]).status,
        303
    );
    let page = onderzoeker.get(&path(&id));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("Gouda"), "{}", page.body);
    assert!(!page.body.contains("Oorspronkelijke"));
    assert!(!page.body.contains(reason));
    page.assert_contains("Verborgen");
    assert_log_holds_no(&db, &["Jan", "Gouda", "mentor", reason]);

    // Switching the setting off removes the originals kept so far.
    let settings_page = begeleider.get("/beheer/p/jeugdhulp/instellingen");
    let mut fields: Vec<(String, String)> = vec![("csrf".into(), settings_page.hidden("csrf"))];
    let current = projects::find(&mut db.conn().unwrap(), "jeugdhulp")
        .unwrap()
        .unwrap();
    let form = vertelpunt::domain::project_form::SettingsInput::from_settings(
        &current.name,
        &current.settings,
    );
    for (k, v) in [
        ("naam", form.name),
        ("hulplijnen", form.help_lines),
        ("min_woorden", form.min_words),
        ("eerste_vragen", form.first_questions),
        ("max_tekens", form.max_story_chars),
        ("max_titel", form.max_title_chars),
    ] {
        fields.push((k.into(), v));
    }
    let saved = begeleider.post("/beheer/p/jeugdhulp/instellingen", &as_refs(&fields));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let stored = record(&db, &id);
    assert_eq!(stored.moderation.original_title, None);
    assert_eq!(stored.moderation.original_body, None);
}

#[test]
fn story_text_is_escaped_on_the_staff_pages() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let title = "<script>alert('titel')</script>";
    let text = format!("{LONG_STORY}\n<script>alert('tekst')</script> & <b>vet</b>");
    let id = tell(&app, &db, title, &text);
    for page in [
        app.get(STORIES),
        app.get(&format!("{STORIES}?filter=alle")),
        app.get(&path(&id)),
    ] {
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(!page.body.contains("<script>alert"), "{}", page.body);
        assert!(!page.body.contains("<b>vet"));
        page.assert_contains(&escape(title));
    }
    let page = app.get(&path(&id));
    page.assert_contains(&escape("<script>alert('tekst')</script> & <b>vet</b>"));
    // The macro's own markup is not escaped.
    page.assert_contains("<dl class=\"answer-list\">");
    // Line breaks are kept as they are, shown by CSS.
    page.assert_contains("heen.\n&lt;script&gt;");
}

#[test]
fn staff_of_another_project_are_refused_and_ids_of_other_projects_are_not_found() {
    let app = spawn_app().with_admin();
    let db = app.database();
    add_second_project(&app);
    let id = tell(&app, &db, "Een verhaal uit Wijchen", LONG_STORY);
    let other = app.user_browser("ander@voorbeeld.nl", &[("ander", "begeleider")]);

    assert_eq!(other.get(STORIES).status, 403);
    assert_eq!(other.get(&path(&id)).status, 403);
    let csrf = other.csrf("/beheer");
    let post = other.post(
        &format!("{}/verbergen", path(&id)),
        &[("csrf", &csrf), ("reden", "Weg ermee")],
    );
    assert_eq!(post.status, 403);
    // Under their own project's URL the story does not exist.
    let elsewhere = format!("/beheer/p/ander/verhalen/{id}");
    let page = other.get(&elsewhere);
    assert_eq!(page.status, 404);
    assert!(!page.body.contains("Wijchen"));
    let post = other.post(
        &format!("{elsewhere}/weglakken"),
        &[("csrf", &csrf), ("stukje", "Wijchen")],
    );
    assert_eq!(post.status, 404);
    // Also for an admin.
    assert_eq!(app.get(&elsewhere).status, 404);
    assert_eq!(other.get("/beheer/p/ander/verhalen").status, 200);

    let stored = record(&db, &id);
    assert_eq!(stored.title, "Een verhaal uit Wijchen");
    assert!(stored.moderation.hidden_at.is_none());
    assert!(story_entries(&db).is_empty());
}

#[test]
fn onderzoekers_read_but_cannot_moderate() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let onderzoeker = app.user_browser("onderzoeker@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let id = tell(&app, &db, "Wachten op Jan", LONG_STORY);

    let list = onderzoeker.get(STORIES);
    assert_eq!(list.status, 200, "{}", list.body);
    list.assert_contains("Wachten op Jan");
    let page = onderzoeker.get(&path(&id));
    assert_eq!(page.status, 200);
    page.assert_contains("Wachten op Jan");
    assert!(!page.body.contains("Markeer als bekeken"));
    assert!(!page.body.contains("name=\"stukje\""));

    for (what, field) in [
        ("bekeken", ("x", "")),
        ("verbergen", ("reden", "Mag weg")),
        ("tonen", ("x", "")),
        ("weglakken", ("stukje", "Jan")),
    ] {
        let post = moderate(&onderzoeker, &id, what, &[field]);
        assert_eq!(post.status, 403, "{what}: {}", post.body);
    }
    let stored = record(&db, &id);
    assert_eq!(stored.title, "Wachten op Jan");
    assert_eq!(stored.moderation, Default::default());
    assert!(story_entries(&db).is_empty());
}

#[test]
fn posts_without_a_valid_csrf_token_change_nothing() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let begeleider = app.user_browser(BEGELEIDER, &[("jeugdhulp", "begeleider")]);
    let id = tell(&app, &db, "Hulp van Jan", LONG_STORY);
    begeleider.get(&path(&id));
    for (what, field) in [
        ("bekeken", ("x", "")),
        ("verbergen", ("reden", "Mag weg")),
        ("weglakken", ("stukje", "Jan")),
    ] {
        let missing = begeleider.post(&format!("{}/{what}", path(&id)), &[field]);
        assert_eq!(missing.status, 403, "{what}");
        missing.assert_contains("Het formulier is verlopen");
        let wrong = begeleider.post(&format!("{}/{what}", path(&id)), &[("csrf", "vals"), field]);
        assert_eq!(wrong.status, 403, "{what}");
    }
    let stored = record(&db, &id);
    assert_eq!(stored.title, "Hulp van Jan");
    assert_eq!(stored.moderation, Default::default());
    assert!(story_entries(&db).is_empty());
}

#[test]
fn withdrawn_stories_are_tombstones_that_cannot_be_moderated() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let begeleider = app.user_browser(BEGELEIDER, &[("jeugdhulp", "begeleider")]);
    let id = tell(&app, &db, "Later ingetrokken", LONG_STORY);
    assert!(db
        .write_sync(|conn| stories::withdraw(conn, &id, 1_800_000_000))
        .unwrap());

    let all = begeleider.get(&format!("{STORIES}?filter=alle"));
    assert!(!all.body.contains(&id));
    let withdrawn = begeleider.get(&format!("{STORIES}?filter=ingetrokken"));
    withdrawn.assert_contains("Ingetrokken <span class=\"tab-count\">(1)</span>");
    withdrawn.assert_contains(&id);
    let page = begeleider.get(&path(&id));
    assert_eq!(page.status, 200);
    page.assert_contains("De verteller heeft dit verhaal ingetrokken");
    assert!(!page.body.contains("name=\"stukje\""));

    let refused = moderate(&begeleider, &id, "weglakken", &[("stukje", "veertien")]);
    assert_eq!(refused.status, 409, "{}", refused.body);
    refused.assert_contains("ingetrokken door de verteller");
    let refused = moderate(&begeleider, &id, "verbergen", &[("reden", "Mag weg")]);
    assert_eq!(refused.status, 409);
    let stored = record(&db, &id);
    assert_eq!(stored.moderation.redacted_at, None);
    assert_eq!(stored.moderation.hidden_at, None);
    assert!(story_entries(&db).is_empty());
}

#[test]
fn long_lists_come_in_pages_of_fifty_newest_first() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let template = {
        tell(&app, &db, "Sjabloon", LONG_STORY);
        let mut conn = db.conn().unwrap();
        let line = &stories::list_for_staff(&mut conn, "jeugdhulp", StaffFilter::All, None, 1, 0)
            .unwrap()[0];
        stories::find(&mut conn, &line.id).unwrap().unwrap().record
    };
    let records: Vec<StoryRecord> = (0..60)
        .map(|i| StoryRecord {
            id: format!("VP-PAGE{i:04}"),
            title: format!("Verhaal nummer {i:02}"),
            created_at: 1_700_000_000 + i,
            submission_key: None,
            withdrawal_code_hash: None,
            ..template.clone()
        })
        .collect();
    db.write_sync(|conn| stories::insert_many(conn, &records, &[]))
        .unwrap();

    let first = app.get(&format!("{STORIES}?filter=alle"));
    first.assert_contains("Alle verhalen <span class=\"tab-count\">(61)</span>");
    first.assert_contains("pagina 1 van 2");
    // The template story is the newest; then 59, 58 …
    first.assert_contains("Verhaal nummer 59");
    assert!(!first.body.contains("Verhaal nummer 10"));
    let second = app.get(&format!("{STORIES}?filter=alle&pagina=2"));
    second.assert_contains("Verhaal nummer 10");
    second.assert_contains("Verhaal nummer 00");
    assert!(!second.body.contains("Verhaal nummer 11"));
    second.assert_contains("Vorige pagina");
    // A page past the end shows the last page.
    app.get(&format!("{STORIES}?filter=alle&pagina=99"))
        .assert_contains("Verhaal nummer 00");
}

#[test]
fn the_story_list_searches_title_and_text_ignoring_case() {
    let app = spawn_app().with_admin();
    let db = app.database();
    tell(&app, &db, "Wachten op de wachtlijst", "We wachtten drie maanden op de eerste afspraak met het wijkteam en dat was veel te lang voor ons.");
    tell(&app, &db, "Fijne mentor", "Mijn mentor op school regelde 100% van de hulp en luisterde altijd goed naar wat ik nodig had.");
    let onderzoeker = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let found = onderzoeker.get("/beheer/p/jeugdhulp/verhalen?filter=alle&zoek=WIJKTEAM");
    assert_eq!(found.status, 200, "{}", found.body);
    found.assert_contains("Wachten op de wachtlijst");
    assert!(!found.body.contains("Fijne mentor"));
    found.assert_contains("Alle verhalen <span class=\"tab-count\">(1)</span>");
    // Wildcards are taken literally: '%' finds only the story that has one.
    let percent = onderzoeker.get("/beheer/p/jeugdhulp/verhalen?filter=alle&zoek=100%25");
    percent.assert_contains("Fijne mentor");
    assert!(!percent.body.contains("Wachten op de wachtlijst"));
    let none = onderzoeker.get("/beheer/p/jeugdhulp/verhalen?filter=alle&zoek=_");
    assert!(!none.body.contains("Fijne mentor") && !none.body.contains("Wachten op"));
    // The search is kept in the tab links.
    found.assert_contains("zoek=WIJKTEAM");
}
