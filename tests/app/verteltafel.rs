//! A verteltafel: a begeleider opens a table and gets its code once; a youth worker's device
//! types the code and takes stories from tellers one after another, each with its own consent
//! check and withdrawal code, and nothing of the previous teller on screen.

use crate::helpers::*;
use vertelpunt::analysis::Variable;
use vertelpunt::service::analysis::{load_project, AnalysisCache};
use vertelpunt::store::{stories, story_tables};

const PROJECT: &str = "jeugdhulp";

/// Opens a table as this begeleider; returns the page with the code, and the code.
fn open_table(begeleider: &Browser, name: &str, place: &str) -> (Page, String) {
    let csrf = begeleider.csrf("/beheer/p/jeugdhulp/verteltafels");
    let page = begeleider.post(
        "/beheer/p/jeugdhulp/verteltafels",
        &[("csrf", &csrf), ("naam", name), ("plaats", place)],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let code = between(&page.body, "id=\"tafelcode\">", "<");
    (page, code)
}

/// A device that typed the table code; returns the page it lands on.
fn enter(device: &Browser, code: &str) -> Page {
    let csrf = device.csrf("/v/jeugdhulp/tafel");
    device.post("/v/jeugdhulp/tafel", &[("csrf", &csrf), ("code", code)])
}

/// The table's story form for a role, on a device at the table.
fn table_form(device: &Browser, role: &str) -> Page {
    let form = device.get(&format!("/v/jeugdhulp/tafel/vertel?rol={role}"));
    assert_eq!(form.status, 200, "{}", form.body);
    form
}

/// A complete story at the table, with the worker's confirmation.
fn table_fields(form: &Page, title: &str, text: &str) -> Vec<(String, String)> {
    let mut fields = story_fields(form, "jongere", title, text);
    fields.push(("voorgelezen".into(), "ja".into()));
    fields
}

fn table_of(app: &TestApp, story_id: &str) -> Option<String> {
    let db = app.database();
    let mut conn = db.conn().unwrap();
    story_tables::link_of(&mut conn, story_id)
        .unwrap()
        .map(|l| l.table_id)
}

fn story_by_code(app: &TestApp, code: &str) -> stories::Story {
    let db = app.database();
    let mut conn = db.conn().unwrap();
    let hash = vertelpunt::security::sha256_hex(code);
    stories::list_shareable(&mut conn, PROJECT)
        .unwrap()
        .into_iter()
        .find(|s| s.record.withdrawal_code_hash.as_deref() == Some(hash.as_str()))
        .expect("the story of this code")
}

#[test]
fn a_table_takes_three_tellers_each_with_their_own_story_and_code() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let (opened, code) = open_table(&begeleider, "De Pit", "Jongerencentrum De Pit, 12 maart");
    opened.assert_contains(&escape("/v/jeugdhulp/tafel"));
    assert_eq!(code.len(), 14, "{code}");
    // The code is shown once: the list does not show it again, and only its hash is kept.
    let list = begeleider.get("/beheer/p/jeugdhulp/verteltafels");
    assert!(!list.body.contains(&code));
    list.assert_contains("De Pit");
    let db = app.database();
    let table = story_tables::list(&mut db.conn().unwrap(), PROJECT).unwrap()[0].clone();
    assert_ne!(table.code_hash, code);
    assert_eq!(audit_details(&app, "story_table.open"), ["De Pit"]);

    let device = app.browser();
    // Without the code the form is not there.
    assert_eq!(
        device.get("/v/jeugdhulp/tafel/vertel?rol=jongere").status,
        303
    );
    // Typed loosely (lower case, spaces): still the code.
    let entered = enter(&device, &code.to_lowercase().replace('-', " "));
    assert_eq!(entered.status, 303, "{}", entered.body);
    let start = device.get("/v/jeugdhulp/tafel");
    start.assert_contains("Wie vertelt er nu?");
    start.assert_contains("/v/jeugdhulp/tafel/vertel?rol=jongere");

    let texts = [
        "Eerste verteller: de hulp kwam pas na maanden, maar mijn mentor bleef naast me staan.",
        "Tweede verteller: bij het wijkteam luisterden ze echt naar wat ik zelf wilde.",
        "Derde verteller: ik moest mijn verhaal vijf keer opnieuw vertellen aan nieuwe mensen.",
    ];
    let mut codes = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let form = table_form(&device, "jongere");
        form.assert_contains("action=\"/v/jeugdhulp/tafel/vertel\"");
        form.assert_contains("Ik heb de toestemmingstekst voorgelezen en de verteller zei ja");
        form.assert_contains("De Pit");
        // Nothing of an earlier teller: no text, no draft, no "change the story just sent".
        for earlier in &texts[..i] {
            assert!(
                !form.body.contains(&escape(earlier)),
                "earlier story on the form"
            );
        }
        assert!(!form.body.contains("name=\"concept\""));
        assert!(!form.body.contains("name=\"aanpassen\""));
        assert!(!form.body.contains("name=\"vervolg\""));
        assert!(!form.body.contains("/vertel/later"));
        let title = format!("Verhaal {}", i + 1);
        let thanks = device.post(
            "/v/jeugdhulp/tafel/vertel",
            &as_refs(&table_fields(&form, &title, text)),
        );
        assert_eq!(thanks.status, 200, "{}", thanks.body);
        thanks.assert_contains("Volgende verteller");
        thanks.assert_contains("href=\"/v/jeugdhulp/tafel\"");
        assert!(!thanks.body.contains(&escape(text)));
        codes.push(withdrawal_code(&thanks));
        // The normal form on this device does not bring the story back either.
        let normal = device.get("/v/jeugdhulp/vertel?rol=jongere");
        assert!(!normal.body.contains(&escape(text)));
        assert!(!normal.body.contains("name=\"aanpassen\""));
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 3, "each teller their own code");

    let mut participants = Vec::new();
    for code in &codes {
        let story = story_by_code(&app, code);
        assert_eq!(story.record.channel, "verteltafel");
        assert_eq!(
            table_of(&app, &story.record.id).as_deref(),
            Some(table.id.as_str())
        );
        participants.push(story.record.participant_id.clone());
    }
    participants.sort();
    participants.dedup();
    assert_eq!(participants.len(), 3, "no teller linked to another");
    let list = begeleider.get("/beheer/p/jeugdhulp/verteltafels");
    list.assert_contains("<td class=\"number\">3</td>");

    // A teller withdraws with their own code: only their story goes.
    let csrf = app.csrf("/v/jeugdhulp/intrekken");
    let done = app.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[("csrf", &csrf), ("code", &codes[0])],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(story_count(&app), 3, "withdrawn, not gone");
}

#[test]
fn the_worker_must_confirm_the_consent_was_read_aloud() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let (_, code) = open_table(&begeleider, "Buurthuis", "Buurthuis Oost, 3 april");
    let device = app.browser();
    enter(&device, &code);
    let form = table_form(&device, "jongere");
    // The consent text to read aloud is on the form.
    form.assert_contains("Lees deze tekst voor");
    form.assert_contains(&escape("mijn verhaal en antwoorden mogen zonder naam"));
    let mut fields = story_fields(&form, "jongere", "Zonder vinkje", LONG_STORY);
    fields.retain(|(k, _)| k != "voorgelezen");
    let refused = device.post("/v/jeugdhulp/tafel/vertel", &as_refs(&fields));
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("id=\"fout-voorgelezen\"");
    refused.assert_contains(&escape(LONG_STORY));
    assert_eq!(story_count(&app), 0);

    let fields = table_fields(&refused, "Met vinkje", LONG_STORY);
    let thanks = device.post("/v/jeugdhulp/tafel/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let story = story_by_code(&app, &withdrawal_code(&thanks));
    let db = app.database();
    let link = story_tables::link_of(&mut db.conn().unwrap(), &story.record.id)
        .unwrap()
        .expect("linked to its table");
    assert!(link.consent_read_at >= story.record.created_at);
    assert!(story.record.consent_analysis);
    // The same form again (double click): one story, the same code.
    let again = device.post("/v/jeugdhulp/tafel/vertel", &as_refs(&fields));
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(withdrawal_code(&again), withdrawal_code(&thanks));
    assert_eq!(story_count(&app), 1);
}

#[test]
fn wrong_codes_are_refused_and_throttled() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let (_, code) = open_table(&begeleider, "Bibliotheek", "");
    let device = app.browser();
    let wrong = enter(&device, "AAAA-BBBB-CCCC");
    assert_eq!(wrong.status, 404);
    wrong.assert_contains("Deze code kennen we niet");
    let malformed = enter(&device, "hallo");
    assert_eq!(malformed.status, 404);
    for _ in 0..10 {
        enter(&device, "ZZZZ-ZZZZ-ZZZZ");
    }
    // Blocked now, also for the right code, with a clear message and a Retry-After.
    let blocked = enter(&device, &code);
    assert_eq!(blocked.status, 429, "{}", blocked.body);
    blocked.assert_contains("te vaak een verkeerde code");
    assert!(blocked.header("retry-after").is_some());
}

#[test]
fn a_closed_table_refuses_new_stories_and_keeps_the_text() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let (_, code) = open_table(&begeleider, "De Pit", "12 maart");
    let device = app.browser();
    enter(&device, &code);
    let form = table_form(&device, "jongere");

    let db = app.database();
    let table = story_tables::list(&mut db.conn().unwrap(), PROJECT).unwrap()[0].clone();
    let csrf = begeleider.csrf("/beheer/p/jeugdhulp/verteltafels");
    let closed = begeleider.post(
        &format!("/beheer/p/jeugdhulp/verteltafels/{}/sluiten", table.id),
        &[("csrf", &csrf)],
    );
    assert_eq!(closed.status, 303, "{}", closed.body);
    assert_eq!(audit_details(&app, "story_table.close"), ["De Pit"]);
    begeleider
        .get("/beheer/p/jeugdhulp/verteltafels")
        .assert_contains("Gesloten");

    // The form posted after closing: refused, with everything typed shown again.
    let text = "Dit verhaal werd verstuurd nadat de tafel dicht ging, en mag niet verloren gaan.";
    let refused = device.post(
        "/v/jeugdhulp/tafel/vertel",
        &as_refs(&table_fields(&form, "Te laat", text)),
    );
    assert_eq!(refused.status, 409, "{}", refused.body);
    refused.assert_contains("Deze verteltafel is gesloten");
    refused.assert_contains(&escape(text));
    assert_eq!(story_count(&app), 0);
    // The code no longer opens the table.
    let again = enter(&app.browser(), &code);
    assert_eq!(again.status, 410);
    again.assert_contains("Deze verteltafel is gesloten");
}

#[test]
fn the_table_is_a_derived_question_in_the_analysis() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let db = app.database();
    // One online story, then a cached copy of the data that must follow the table's stories.
    let online = app.open_form("jongere");
    let thanks = app.post(
        "/v/jeugdhulp/vertel",
        &as_refs(&story_fields(&online, "jongere", "Online", LONG_STORY)),
    );
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let cache = AnalysisCache::new();
    cache.project(&db, PROJECT).unwrap();

    let (_, code) = open_table(&begeleider, "De Pit", "12 maart");
    let device = app.browser();
    enter(&device, &code);
    let form = table_form(&device, "jongere");
    let thanks = device.post(
        "/v/jeugdhulp/tafel/vertel",
        &as_refs(&table_fields(&form, "Aan tafel", LONG_STORY)),
    );
    assert_eq!(thanks.status, 200, "{}", thanks.body);

    let fresh = load_project(&db, PROJECT).unwrap();
    let cached = cache.project(&db, PROJECT).unwrap();
    assert_eq!(
        cached.dataset, fresh.dataset,
        "the cache follows the table's story"
    );
    match fresh.dataset.variable("verteltafel") {
        Some(Variable::Choice {
            label,
            options,
            values,
            ..
        }) => {
            assert_eq!(label, "Verteltafel");
            let keys: Vec<&str> = options.iter().map(|o| o.key.as_str()).collect();
            assert_eq!(keys, ["De Pit", "online"]);
            let mut seen: Vec<Option<u16>> = values.iter().collect();
            seen.sort();
            assert_eq!(seen, [Some(0), Some(1)]);
        }
        other => panic!("no verteltafel question: {other:?}"),
    }

    // `db copy` takes the table and its story along: the copy's analysis has the same
    // derived question.
    let (target, _dir) = new_database();
    vertelpunt::service::transfer::copy_database(&app.db_url, &target).expect("copy");
    let copy = vertelpunt::store::Database::open(&target, 2).expect("copy opens");
    let copied = load_project(&copy, PROJECT).unwrap();
    assert_eq!(
        copied.dataset.variable("verteltafel"),
        fresh.dataset.variable("verteltafel")
    );
}

#[test]
fn a_closed_vertelpunt_takes_no_stories_at_a_table_either() {
    let app = spawn_app().with_admin();
    let (_, code) = open_table(&app, "De Pit", "12 maart");
    let device = app.browser();
    enter(&device, &code);
    let form = table_form(&device, "jongere");
    let csrf = app.csrf("/beheer/p/jeugdhulp");
    let closed = app.post("/beheer/p/jeugdhulp/sluiten", &[("csrf", &csrf)]);
    assert_eq!(closed.status, 303, "{}", closed.body);
    let text = "Verteld terwijl het vertelpunt net dicht ging; de tekst blijft staan.";
    let refused = device.post(
        "/v/jeugdhulp/tafel/vertel",
        &as_refs(&table_fields(&form, "Dicht", text)),
    );
    assert_eq!(refused.status, 409, "{}", refused.body);
    refused.assert_contains(&escape(text));
    assert_eq!(story_count(&app), 0);
    assert_eq!(enter(&app.browser(), &code).status, 410);
}
