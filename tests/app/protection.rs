//! Protecting tellers (issue 7, points 4 and 5): the safety triage flags stories with signal
//! words for begeleiders and shows the teller the help lines again; the retention period
//! deletes old story texts (by the service, the command line and the server's loop) while
//! the other answers stay and withdrawal keeps working. All texts are made up.

use crate::helpers::*;
use diesel::prelude::*;
use std::process::Command;
use vertelpunt::domain::Answer;
use vertelpunt::service::audit::action;
use vertelpunt::service::retention;
use vertelpunt::store::audit::{self, AuditEntry, AuditFilter};
use vertelpunt::store::observations::{self, ObservationRecord, QuoteRecord};
use vertelpunt::store::stories::{self, StaffFilter, Story};
use vertelpunt::store::{changes, projects, Database, DatabaseUrl};

const BEGELEIDER: &str = "begeleider@voorbeeld.nl";
const ONDERZOEKER: &str = "onderzoeker@voorbeeld.nl";
const STORIES: &str = "/beheer/p/jeugdhulp/verhalen";
const SIGNAL: &str = "Mijn stiefvader slaat me als hij gedronken heeft.";
const HELP_AGAIN: &str = "Wil je met iemand praten?";
const DAY: i64 = 24 * 60 * 60;

/// Tells a story in a browser of its own: the thank-you page, the story id and its code.
fn tell(app: &TestApp, db: &Database, title: &str, text: &str) -> (Page, String, String) {
    let teller = app.browser();
    let form = teller.open_form("jongere");
    let mut fields = story_fields(&form, "jongere", title, text);
    fields.push(("toestemming_citaten".into(), "ja".into()));
    let thanks = teller.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let code = withdrawal_code(&thanks);
    let mut conn = db.conn().unwrap();
    let id = stories::list_for_staff(&mut conn, "jeugdhulp", StaffFilter::All, None, 1000, 0)
        .unwrap()
        .into_iter()
        .find(|s| s.title == title)
        .expect("the story is stored")
        .id;
    (thanks, id, code)
}

fn story(db: &Database, id: &str) -> Story {
    let mut conn = db.conn().unwrap();
    stories::find(&mut conn, id).unwrap().expect("story")
}

fn entries(db: &Database, name: &str) -> Vec<AuditEntry> {
    let mut conn = db.conn().unwrap();
    let filter = AuditFilter {
        action: Some(name.into()),
        ..Default::default()
    };
    audit::list(&mut conn, &filter, 100).unwrap()
}

#[test]
fn a_story_with_signal_words_is_flagged_for_begeleiders_and_the_teller_sees_help_again() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let begeleider = app.user_browser(BEGELEIDER, &[("jeugdhulp", "begeleider")]);
    let onderzoeker = app.user_browser(ONDERZOEKER, &[("jeugdhulp", "onderzoeker")]);

    let text = format!("{LONG_STORY} {SIGNAL}");
    let (thanks, flagged, _) = tell(&app, &db, "Thuis is het niet fijn", &text);
    // Never blocked: stored, with its code, and the help lines first.
    thanks.assert_contains(HELP_AGAIN);
    thanks.assert_contains("0800-0432");
    thanks.assert_contains("Bel dan 112");
    assert!(thanks.body.find(HELP_AGAIN) < thanks.body.find("id=\"intrekcode\""));
    let (calm, plain, _) = tell(&app, &db, "Drie maanden wachten", LONG_STORY);
    assert!(!calm.body.contains(HELP_AGAIN), "{}", calm.body);
    calm.assert_contains("0800-0432"); // the usual help box at the end stays

    let stored = story(&db, &flagged).record.moderation;
    assert_eq!(stored.safety_flag.as_deref(), Some("geweld"));
    assert_eq!(stored.safety_handled_at, None);
    assert_eq!(story(&db, &plain).record.moderation.safety_flag, None);

    // The list marks it in words, with a filter and its count.
    let list = begeleider.get(STORIES);
    assert_eq!(list.status, 200, "{}", list.body);
    list.assert_contains("Mogelijk onveilig <span class=\"tab-count\">(1)</span>");
    list.assert_contains("Mogelijk onveilig: geweld");
    let only = begeleider.get(&format!("{STORIES}?filter=onveilig"));
    only.assert_contains("Thuis is het niet fijn");
    assert!(!only.body.contains("Drie maanden wachten"), "{}", only.body);

    // The story page names the words, for begeleiders only.
    let page = begeleider.get(&format!("{STORIES}/{flagged}"));
    page.assert_contains("Gevonden woorden");
    page.assert_contains("slaat me");
    page.assert_contains("Markeer het signaal als afgehandeld");
    let read_only = onderzoeker.get(&format!("{STORIES}/{flagged}"));
    assert_eq!(read_only.status, 200);
    read_only.assert_contains("Mogelijk onveilig");
    assert!(!read_only.body.contains("Gevonden woorden"));
    assert!(!read_only.body.contains("signaal-afgehandeld"));
    let calm_page = begeleider.get(&format!("{STORIES}/{plain}"));
    assert!(!calm_page.body.contains("Mogelijk onveilig"));

    // An onderzoeker cannot mark it handled; a begeleider can, once, and it is logged.
    let url = format!("{STORIES}/{flagged}/signaal-afgehandeld");
    let csrf = onderzoeker.csrf(&format!("{STORIES}/{flagged}"));
    assert_eq!(onderzoeker.post(&url, &[("csrf", &csrf)]).status, 403);
    let csrf = begeleider.csrf(&format!("{STORIES}/{flagged}"));
    let done = begeleider.post(&url, &[("csrf", &csrf)]);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(begeleider.post(&url, &[("csrf", &csrf)]).status, 303);
    assert!(story(&db, &flagged)
        .record
        .moderation
        .safety_handled_at
        .is_some());
    let logged = entries(&db, action::STORY_SAFETY_HANDLED);
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].target.as_deref(), Some(flagged.as_str()));
    assert_eq!(logged[0].detail, "geweld");
    let list = begeleider.get(STORIES);
    list.assert_contains("Mogelijk onveilig <span class=\"tab-count\">(0)</span>");
    list.assert_contains("Signaal afgehandeld: geweld");
}

#[test]
fn project_terms_and_the_retention_period_round_trip_through_the_settings_form() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let page = app.get("/beheer/p/jeugdhulp/instellingen");
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("Eigen signaalwoorden");
    page.assert_contains("value=\"730\""); // new projects start with two years

    let current = projects::find(&mut db.conn().unwrap(), "jeugdhulp")
        .unwrap()
        .unwrap();
    let form = vertelpunt::domain::project_form::SettingsInput::from_settings(
        &current.name,
        &current.settings,
    );
    let post = |terms: &str, days: &str| {
        let mut fields: Vec<(String, String)> = vec![("csrf".into(), page.hidden("csrf"))];
        for (k, v) in [
            ("naam", form.name.clone()),
            ("hulplijnen", form.help_lines.clone()),
            ("min_woorden", form.min_words.clone()),
            ("eerste_vragen", form.first_questions.clone()),
            ("max_tekens", form.max_story_chars.clone()),
            ("max_titel", form.max_title_chars.clone()),
            ("signaalwoorden", terms.to_string()),
            ("bewaartermijn", days.to_string()),
        ] {
            fields.push((k.into(), v));
        }
        app.post("/beheer/p/jeugdhulp/instellingen", &as_refs(&fields))
    };
    let refused = post("x", "5");
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("te weinig letters");
    refused.assert_contains("Vul een aantal dagen in van 30 tot en met 3650");
    let saved = post("de kelder\r\n\r\nstraf*", "365");
    assert_eq!(saved.status, 303, "{}", saved.body);
    let settings = projects::find(&mut db.conn().unwrap(), "jeugdhulp")
        .unwrap()
        .unwrap()
        .settings;
    assert_eq!(settings.triage_terms, vec!["de kelder", "straf*"]);
    assert_eq!(settings.retention_days, Some(365));
    let again = app.get("/beheer/p/jeugdhulp/instellingen");
    again.assert_contains("de kelder\nstraf*</textarea>");
    again.assert_contains("value=\"365\"");

    // The project's own words flag new stories.
    let text = format!("{LONG_STORY} Als straf moest ik in de kelder zitten.");
    let (thanks, id, _) = tell(&app, &db, "De kelder", &text);
    thanks.assert_contains(HELP_AGAIN);
    assert_eq!(
        story(&db, &id).record.moderation.safety_flag.as_deref(),
        Some("project")
    );

    // Empty: texts are kept.
    assert_eq!(post("", "").status, 303);
    let settings = projects::find(&mut db.conn().unwrap(), "jeugdhulp")
        .unwrap()
        .unwrap()
        .settings;
    assert_eq!(settings.retention_days, None);
    assert!(settings.triage_terms.is_empty());
}

/// Two told stories, the first made `age_days` old, with a free-text answer added to it and a
/// quote taken from each on an observation card. Returns (old id, its code, recent id).
fn old_and_recent(app: &TestApp, db: &Database, age_days: i64) -> (String, String, String) {
    let (_, old, code) = tell(app, db, "Lang geleden", LONG_STORY);
    let (_, recent, _) = tell(app, db, "Vorige week", LONG_STORY);
    let now = vertelpunt::exchange::timestamp::now_unix();
    db.write_sync(|conn| {
        use vertelpunt::store::schema::{answers, stories as s};
        diesel::update(s::table.filter(s::id.eq(&old)))
            .set(s::created_at.eq(now - age_days * DAY))
            .execute(conn)?;
        diesel::insert_into(answers::table)
            .values((
                answers::story_id.eq(&old),
                answers::question_key.eq("toelichting"),
                answers::text_value.eq(Some("Een open antwoord met een verzonnen naam.")),
                answers::is_na.eq(false),
            ))
            .execute(conn)?;
        observations::insert(
            conn,
            &ObservationRecord {
                id: "OB-TEST0001".into(),
                project_slug: "jeugdhulp".into(),
                title: "Wachten".into(),
                description: String::new(),
                interpretation_a: String::new(),
                interpretation_b: String::new(),
                notes: String::new(),
                theme: String::new(),
                status: "concept".into(),
                pattern: None,
                figures_at: None,
                created_by: None,
                created_at: now,
                updated_at: now,
                more_interpretations: "[]".into(),
            },
        )?;
        for (n, story) in [&old, &recent].into_iter().enumerate() {
            observations::insert_quote(
                conn,
                &QuoteRecord {
                    id: format!("CI-TEST000{n}"),
                    observation_id: "OB-TEST0001".into(),
                    story_id: story.clone(),
                    text: "moest ik drie maanden wachten op hulp".into(),
                    created_at: now,
                },
            )?;
        }
        Ok(())
    })
    .unwrap();
    db.write_sync(|conn| {
        let mut settings = projects::find(conn, "jeugdhulp")?.unwrap().settings;
        settings.retention_days = Some(30);
        projects::save_settings(conn, "jeugdhulp", &settings)
    })
    .unwrap();
    (old, code, recent)
}

fn quoted_stories(db: &Database) -> Vec<String> {
    let mut conn = db.conn().unwrap();
    observations::quotes(&mut conn, "OB-TEST0001")
        .unwrap()
        .into_iter()
        .map(|q| q.story_id)
        .collect()
}

fn assert_texts_deleted(db: &Database, old: &str, recent: &str) {
    let gone = story(db, old);
    let r = &gone.record;
    assert_eq!((r.title.as_str(), r.body.as_str()), ("", ""));
    assert!(r.moderation.text_deleted_at.is_some());
    assert_eq!(r.participant_id, None);
    assert_eq!(r.submission_key, None);
    assert!(r.withdrawal_code_hash.is_some(), "withdrawal keeps working");
    assert!(r.withdrawn_at.is_none());
    // The other answers stay; the free-text answer is gone.
    assert!(matches!(gone.answers.get("gehoord"), Some(Answer::Slider(v)) if v.get() == 80));
    assert_eq!(
        gone.answers.get("gevoel"),
        Some(&Answer::Choice("gemengd".into()))
    );
    assert!(!gone.answers.contains_key("toelichting"));
    let kept = story(db, recent);
    assert_eq!(kept.record.title, "Vorige week");
    assert_eq!(kept.record.body, LONG_STORY);
    assert!(kept.record.moderation.text_deleted_at.is_none());
    assert!(kept.record.participant_id.is_some());
    assert_eq!(quoted_stories(db), vec![recent.to_string()]);
}

#[test]
fn retention_deletes_the_texts_of_old_stories_only_and_withdrawal_still_works() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let (old, code, recent) = old_and_recent(&app, &db, 31);
    let before = changes::cursor(&mut db.conn().unwrap(), "jeugdhulp").unwrap();

    let report = retention::run(&db, vertelpunt::exchange::timestamp::now_unix()).unwrap();
    assert_eq!(report.stories(), 1);
    assert_eq!(report.projects.len(), 1);
    assert_eq!(report.projects[0].quotes, 1);
    assert_texts_deleted(&db, &old, &recent);
    let (logged_changes, _) =
        changes::since(&mut db.conn().unwrap(), "jeugdhulp", Some(&before)).unwrap();
    assert_eq!(
        logged_changes,
        [changes::Change::Story(old.to_string())],
        "analysis caches must take the deleted texts in"
    );
    let logged = entries(&db, action::RETENTION);
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].project_slug.as_deref(), Some("jeugdhulp"));
    assert!(
        logged[0].detail.contains("teksten van 1 verhaal gewist"),
        "{}",
        logged[0].detail
    );
    assert!(logged[0].actor_id.is_none());

    // Idempotent: nothing more to do, nothing more logged.
    let again = retention::run(&db, vertelpunt::exchange::timestamp::now_unix()).unwrap();
    assert_eq!(again.stories(), 0);
    assert_eq!(entries(&db, action::RETENTION).len(), 1);

    // Staff see what happened, in the list, on the story and in the story browser.
    let list = app.get(STORIES);
    list.assert_contains("Tekst verwijderd na bewaartermijn");
    let page = app.get(&format!("{STORIES}/{old}"));
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("omdat de bewaartermijn van dit project voorbij was");
    assert!(!page.body.contains("/weglakken"), "nothing left to redact");
    let browser = app.get("/beheer/p/jeugdhulp/verkennen");
    assert_eq!(browser.status, 200, "{}", browser.body);
    browser.assert_contains("Tekst verwijderd na bewaartermijn");
    // The answers still count in the figures.
    let shareable = stories::list_shareable(&mut db.conn().unwrap(), "jeugdhulp").unwrap();
    assert_eq!(shareable.len(), 2);

    // The teller can still withdraw: the remaining answers go too.
    let form = app.get("/v/jeugdhulp/intrekken");
    let confirm = app.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &form.hidden("csrf")), ("code", &code)],
    );
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    confirm.assert_contains("De tekst is al gewist");
    let done = app.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[
            ("csrf", &confirm.hidden("csrf")),
            ("code", &confirm.hidden("code")),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    let withdrawn = story(&db, &old);
    assert!(withdrawn.is_withdrawn());
    assert!(withdrawn.answers.is_empty());
    // A withdrawn story is not touched by retention any more.
    assert_eq!(
        retention::run(&db, vertelpunt::exchange::timestamp::now_unix())
            .unwrap()
            .stories(),
        0
    );
}

#[test]
fn projects_without_a_period_keep_their_texts() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let (old, _, _) = old_and_recent(&app, &db, 4000);
    db.write_sync(|conn| {
        let mut settings = projects::find(conn, "jeugdhulp")?.unwrap().settings;
        settings.retention_days = None;
        projects::save_settings(conn, "jeugdhulp", &settings)
    })
    .unwrap();
    let report = retention::run(&db, vertelpunt::exchange::timestamp::now_unix()).unwrap();
    assert!(report.projects.is_empty());
    assert_eq!(story(&db, &old).record.title, "Lang geleden");
    assert!(entries(&db, action::RETENTION).is_empty());
}

#[test]
fn retention_runs_from_the_command_line() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let (old, _, recent) = old_and_recent(&app, &db, 45);
    let url = match &app.db_url {
        DatabaseUrl::Sqlite(p) => p.display().to_string(),
        DatabaseUrl::Postgres(u) => u.clone(),
    };
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_vertelpunt"))
            .args(["retention", "run"])
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            // A small pool: the whole suite shares one PostgreSQL server's connections.
            .env("VERTELPUNT_POOL_SIZE", "2")
            .output()
            .expect("run vertelpunt");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let first = run();
    assert!(
        first.contains(
            "jeugdhulp\tbewaartermijn 30 dagen\tteksten van 1 verhaal gewist\t1 citaat weggehaald"
        ),
        "{first}"
    );
    assert_texts_deleted(&db, &old, &recent);
    let second = run();
    assert!(second.contains("teksten van 0 verhalen gewist"), "{second}");
    assert_eq!(entries(&db, action::RETENTION).len(), 1);
}

#[test]
fn the_server_applies_the_retention_period_by_itself() {
    let app =
        spawn_app_with(|c| c.retention_interval = std::time::Duration::from_secs(1)).with_admin();
    let db = app.database();
    let (old, _, recent) = old_and_recent(&app, &db, 40);
    wait_until("the loop deleted the old text", || {
        story(&db, &old).record.moderation.text_deleted_at
    });
    assert_texts_deleted(&db, &old, &recent);
}

#[test]
fn imported_stories_get_the_same_safety_triage() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let csv = format!(
        "id,created_at,role,title,text,gehoord\r\n\
         imp-veilig,2026-03-01T10:00:00Z,jongere,Gewoon,Het wijkteam luisterde goed.,70\r\n\
         imp-signaal,2026-03-02T10:00:00Z,jongere,Thuis,{SIGNAL},20\r\n"
    );
    vertelpunt::service::transfer::import_csv(&db, "jeugdhulp", csv.as_bytes()).expect("import");
    assert_eq!(
        story(&db, "imp-signaal")
            .record
            .moderation
            .safety_flag
            .as_deref(),
        Some("geweld")
    );
    assert_eq!(story(&db, "imp-veilig").record.moderation.safety_flag, None);
    let list = app.get(&format!("{STORIES}?filter=onveilig"));
    list.assert_contains("Mogelijk onveilig <span class=\"tab-count\">(1)</span>");
    list.assert_contains("imp-signaal");
}
