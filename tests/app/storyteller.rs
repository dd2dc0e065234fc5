//! The storyteller's whole path: landing → story → duiding → consent → thank-you → withdraw.

use crate::helpers::*;
use vertelpunt::domain::{Answer, Answers, SliderValue};
use vertelpunt::store::{changes, stories};

#[test]
fn home_leads_to_the_default_project_and_landing_shows_roles_help_and_privacy() {
    let app = spawn_app();
    let home = app.get("/");
    assert_eq!(home.status, 303);
    assert_eq!(home.header("location"), Some("/v/jeugdhulp"));

    let landing = app.get("/v/jeugdhulp");
    assert_eq!(landing.status, 200);
    landing.assert_contains("<html lang=\"nl\" dir=\"ltr\">");
    landing.assert_contains("Vertelpunt Jeugdhulp");
    for role in ["jongere", "ouder", "professional"] {
        landing.assert_contains(&format!("/v/jeugdhulp/vertel?rol={role}"));
    }
    for number in ["0800-0432", "113 of 0800-0113", "0800-2000", "112"] {
        landing.assert_contains(number);
    }
    landing.assert_contains("IP-adres");
    landing.assert_contains("/v/jeugdhulp/privacy");
}

#[test]
fn responses_carry_security_headers_and_assets_are_self_hosted() {
    let app = spawn_app();
    let landing = app.get("/v/jeugdhulp");
    let csp = landing.header("content-security-policy").expect("CSP");
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(landing.header("x-content-type-options"), Some("nosniff"));
    assert!(!landing.body.contains("http://") && !landing.body.contains("https://"));
    let css = app.get("/assets/app.css");
    assert_eq!(css.status, 200);
    assert!(css
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/css"));
    assert_eq!(app.get("/assets/bestaat-niet.js").status, 404);
}

#[test]
fn form_asks_the_questions_of_the_role_with_labelled_sliders() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    form.assert_contains("type=\"range\"");
    form.assert_contains("name=\"q_gehoord\"");
    form.assert_contains("name=\"stand_op_tijd\" value=\"na\"");
    form.assert_contains(&escape("Weet ik niet / past niet"));
    // Age of the child is only asked of parents; the jongere's own age group is asked.
    assert!(!form.body.contains("name=\"q_leeftijd_kind\""));
    form.assert_contains("name=\"q_leeftijd\"");
    assert!(form.header("set-cookie").unwrap_or("").contains("HttpOnly"));

    // Every form gets its own idempotency key, also when the page comes from the cache.
    let again = app.open_form("jongere");
    assert_ne!(again.hidden("sleutel"), form.hidden("sleutel"));
    assert!(!again.body.contains("__VP_"));

    let parent = app.open_form("ouder");
    parent.assert_contains("name=\"q_leeftijd_kind\"");
    // An unknown role goes back to the role choice.
    let unknown = app.get("/v/jeugdhulp/vertel?rol=oma");
    assert_eq!(unknown.status, 303);
}

#[test]
fn a_story_is_told_stored_and_withdrawn_with_its_code() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let fields = story_fields(&form, "jongere", "Eindelijk gehoord 🙂", LONG_STORY);
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    thanks.assert_contains("Dank je wel");
    let code = withdrawal_code(&thanks);
    assert_eq!(code.len(), 14, "{code}");

    let db = app.database();
    let mut conn = db.conn().unwrap();
    let stored = stories::list_shareable(&mut conn, "jeugdhulp").unwrap();
    assert_eq!(stored.len(), 1);
    let story = &stored[0];
    assert_eq!(story.record.title, "Eindelijk gehoord 🙂");
    assert_eq!(story.record.body, LONG_STORY);
    assert_eq!(story.record.role, "jongere");
    assert_eq!(story.record.channel, "online");
    assert_eq!(story.record.language, "nl");
    assert_eq!(story.record.questionnaire_version, 1);
    assert!(story.record.is_complete);
    assert!(story.record.consent_analysis);
    assert!(!story.record.consent_quotes);
    assert_eq!(story.answers.get("regie"), Some(&Answer::NotApplicable));
    assert_eq!(
        story.answers.get("gevoel"),
        Some(&Answer::Choice("gemengd".into()))
    );
    assert!(matches!(story.answers.get("gehoord"), Some(Answer::Slider(v)) if v.get() == 80));
    let id = story.record.id.clone();
    drop(conn);

    // Withdraw: the code, typed sloppily, finds the story; confirming erases it.
    let withdraw_form = app.get("/v/jeugdhulp/intrekken");
    assert_eq!(withdraw_form.status, 200);
    let sloppy = code.to_lowercase().replace('-', " ");
    let confirm = app.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &withdraw_form.hidden("csrf")), ("code", &sloppy)],
    );
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    confirm.assert_contains(&escape("Eindelijk gehoord 🙂"));
    let done = app.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[
            ("csrf", &confirm.hidden("csrf")),
            ("code", &confirm.hidden("code")),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    done.assert_contains("weggehaald");

    let mut conn = db.conn().unwrap();
    let tombstone = stories::find(&mut conn, &id)
        .unwrap()
        .expect("tombstone stays");
    assert!(tombstone.is_withdrawn());
    assert_eq!(tombstone.record.title, "");
    assert_eq!(tombstone.record.body, "");
    assert!(tombstone.answers.is_empty());
    assert!(stories::list_shareable(&mut conn, "jeugdhulp")
        .unwrap()
        .is_empty());
    let counts = stories::counts(&mut conn, "jeugdhulp").unwrap();
    assert_eq!((counts.total, counts.withdrawn), (1, 1));

    // The same code does not work twice.
    let again = app.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &withdraw_form.hidden("csrf")), ("code", &code)],
    );
    assert_eq!(again.status, 404);
    again.assert_contains("We vinden geen verhaal met deze code");
}

#[test]
fn a_second_story_carries_context_and_participant_over() {
    let app = spawn_app();
    let form = app.open_form("ouder");
    let mut fields = story_fields(&form, "ouder", "Wachten", LONG_STORY);
    fields.push(("q_leeftijd_kind".into(), "kind_4_11".into()));
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);

    let next = app.post(
        "/v/jeugdhulp/vervolg",
        &[
            ("csrf", &thanks.hidden("csrf")),
            ("vervolg", &thanks.hidden("vervolg")),
        ],
    );
    assert_eq!(next.status, 200, "{}", next.body);
    // Context questions are not asked again; the story questions are.
    assert!(!next.body.contains("name=\"q_gemeente\""));
    next.assert_contains("name=\"q_gehoord\"");
    next.assert_contains("Wijchen");

    let second = vec![
        ("csrf".to_string(), next.hidden("csrf")),
        ("sleutel".to_string(), next.hidden("sleutel")),
        ("vervolg".to_string(), next.hidden("vervolg")),
        ("rol".to_string(), "ouder".to_string()),
        ("titel".to_string(), "Tweede keer".to_string()),
        (
            "verhaal".to_string(),
            "Dit keer ging het beter.".to_string(),
        ),
        ("q_gehoord".to_string(), "90".to_string()),
        ("q_juiste_hulp".to_string(), "90".to_string()),
        ("q_op_tijd".to_string(), "90".to_string()),
        // A forged context answer in the form is ignored: the carried one counts.
        ("q_gemeente".to_string(), "nijmegen".to_string()),
        ("toestemming_analyse".to_string(), "ja".to_string()),
    ];
    let thanks2 = app.post("/v/jeugdhulp/vertel", &as_refs(&second));
    assert_eq!(thanks2.status, 200, "{}", thanks2.body);
    assert_ne!(withdrawal_code(&thanks), withdrawal_code(&thanks2));

    let db = app.database();
    let mut conn = db.conn().unwrap();
    let all = stories::list_shareable(&mut conn, "jeugdhulp").unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].record.participant_id, all[1].record.participant_id);
    assert!(all[0].record.participant_id.is_some());
    for story in &all {
        assert_eq!(
            story.answers.get("gemeente"),
            Some(&Answer::Choice("wijchen".into()))
        );
        assert_eq!(
            story.answers.get("leeftijd_kind"),
            Some(&Answer::Choice("kind_4_11".into()))
        );
    }
    // Short second story: below the completeness rule's word count.
    assert!(
        !all.iter()
            .find(|s| s.record.title == "Tweede keer")
            .unwrap()
            .record
            .is_complete
    );
}

#[test]
fn a_double_submit_stores_one_story_and_shows_the_same_code() {
    let app = spawn_app();
    let form = app.open_form("professional");
    let fields = story_fields(&form, "professional", "Samen aan tafel", LONG_STORY);
    let first = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    let second = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!((first.status, second.status), (200, 200));
    assert_eq!(withdrawal_code(&first), withdrawal_code(&second));
    second.assert_contains("al bewaard");
    let db = app.database();
    let mut conn = db.conn().unwrap();
    assert_eq!(stories::counts(&mut conn, "jeugdhulp").unwrap().total, 1);
}

#[test]
fn story_text_is_escaped_wherever_it_is_shown() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let evil = "<script>alert('x')</script>";
    let mut fields = story_fields(&form, "jongere", evil, evil);
    fields.retain(|(k, _)| k != "q_gehoord");
    // A validation error shows the typed text again: escaped.
    let again = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(again.status, 422);
    assert!(!again.body.contains(evil));
    again.assert_contains("&lt;script&gt;");
}

#[test]
fn the_interface_is_available_in_english() {
    let app = spawn_app();
    let switch = app.get("/taal?naar=en&terug=/v/jeugdhulp");
    assert_eq!(switch.status, 303);
    assert_eq!(switch.header("location"), Some("/v/jeugdhulp"));
    let landing = app.get("/v/jeugdhulp");
    landing.assert_contains("<html lang=\"en\" dir=\"ltr\">");
    assert_ne!(landing.body, app.get("/v/jeugdhulp?taal=nl").body);
    // Never redirect off-site.
    let off_site = app.get("/taal?naar=en&terug=//evil.example");
    assert_eq!(off_site.header("location"), Some("/"));
}

/// The landing page as a browser with these languages (`Accept-Language`) first sees it: the
/// `lang` of its `<html>`.
fn first_visit_language(app: &TestApp, accept: &str, cookie: Option<&str>) -> String {
    let mut request = app
        .client
        .get(format!("{}/v/jeugdhulp", app.base))
        .header("Accept-Language", accept);
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    let mut response = request.call().expect("GET");
    assert_eq!(response.status().as_u16(), 200);
    let body = response.body_mut().read_to_string().expect("body");
    let at = body.find("<html lang=\"").expect("html lang") + 12;
    body[at..at + body[at..].find('"').expect("end")].to_string()
}

#[test]
fn the_first_page_is_in_the_browsers_language_when_we_have_it() {
    let app = spawn_app();
    assert_eq!(first_visit_language(&app, "en-GB,en;q=0.9", None), "en");
    assert_eq!(
        first_visit_language(&app, "tr-TR,tr;q=0.9,en;q=0.5", None),
        "tr"
    );
    assert_eq!(
        first_visit_language(&app, "de-DE,de;q=0.9,en;q=0.5", None),
        "en"
    );
    // A language the interface does not have: Dutch.
    assert_eq!(first_visit_language(&app, "de-DE,de;q=0.9", None), "nl");
    assert_eq!(first_visit_language(&app, "nl-BE", None), "nl");
    // A language chosen on the site wins over the browser's.
    assert_eq!(
        first_visit_language(&app, "en-GB", Some("vp_taal=nl")),
        "nl"
    );
}

#[test]
fn accessibility_statement_and_privacy_pages_exist() {
    let app = spawn_app();
    let a11y = app.get("/toegankelijkheid");
    assert_eq!(a11y.status, 200);
    // Which standard, how and when it was tested, known limits, how to report a problem.
    a11y.assert_contains("WCAG 2.1 op niveau AA");
    a11y.assert_contains("axe-core");
    a11y.assert_contains("320 pixels breed en bij 200% inzoomen");
    a11y.assert_contains("voor het laatst bekeken op 22 november 2026");
    a11y.assert_contains("Wat nog niet goed is");
    // Without a configured contact the page points to the organisation, without a dead link.
    a11y.assert_contains("Laat het weten aan de organisatie die dit vertelpunt beheert.");
    assert!(!a11y.body.contains("mailto:"));
    // Every page links to the statement from its footer.
    for path in [
        "/toegankelijkheid",
        "/v/jeugdhulp/intrekken",
        "/v/jeugdhulp",
        "/v/jeugdhulp/vertel?rol=ouder",
        "/beheer/inloggen",
    ] {
        let page = app.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(
            page.body.contains(r#"<footer class="site-footer">"#)
                && page
                    .body
                    .contains(r#"<a href="/toegankelijkheid">Toegankelijkheid</a>"#),
            "{path} links to the accessibility statement"
        );
    }
    let privacy = app.get("/v/jeugdhulp/privacy");
    assert_eq!(privacy.status, 200);
    privacy.assert_contains("code");
}

#[test]
fn accessibility_statement_names_the_configured_contact() {
    let app = spawn_app_with(|c| {
        c.accessibility_contact = Some("toegankelijkheid@gemeente.example".into());
    });
    let a11y = app.get("/toegankelijkheid");
    assert_eq!(a11y.status, 200);
    a11y.assert_contains(
        r#"Stuur een bericht naar <a href="mailto:toegankelijkheid@gemeente.example">toegankelijkheid@gemeente.example</a>."#,
    );
    assert!(!a11y.body.contains("Laat het weten aan de organisatie"));

    let web = spawn_app_with(|c| {
        c.accessibility_contact = Some("https://gemeente.example/melden?x=1&y=2".into());
    });
    web.get("/toegankelijkheid").assert_contains(
        r#"<a href="https:&#x2F;&#x2F;gemeente.example&#x2F;melden?x=1&amp;y=2">"#,
    );
}

#[test]
fn several_instances_share_one_database() {
    let (db_url, dir) = new_database();
    // On PostgreSQL the instances start at the same moment (migrations under an advisory
    // lock, one default project); SQLite is for a single instance, so they start in turn.
    let apps: Vec<TestApp> = if matches!(db_url, vertelpunt::store::DatabaseUrl::Postgres(_)) {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let url = db_url.clone();
                std::thread::spawn(move || spawn_app_on(url, tempfile::tempdir().unwrap(), |_| {}))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("instance starts"))
            .collect()
    } else {
        (0..3)
            .map(|_| spawn_app_on(db_url.clone(), tempfile::tempdir().unwrap(), |_| {}))
            .collect()
    };
    let (a, b) = (&apps[0], &apps[1]);
    // The form comes from instance A, the post goes to B (same cookies, shared secret).
    let form = a.open_form("jongere");
    let mut fields = story_fields(&form, "jongere", "Twee servers", LONG_STORY);
    fields.retain(|(k, _)| k != "csrf");
    fields.push(("csrf".into(), form.hidden("csrf")));
    let path = "/v/jeugdhulp/vertel";
    let thanks = {
        let url = format!("{}{path}", b.base);
        let mut response = a
            .client
            .post(url)
            .send_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        response.body_mut().read_to_string().unwrap()
    };
    assert!(thanks.contains("intrekcode"));
    let db = apps[2].database();
    let mut conn = db.conn().unwrap();
    assert_eq!(vertelpunt::store::projects::count(&mut conn).unwrap(), 1);
    assert_eq!(stories::counts(&mut conn, "jeugdhulp").unwrap().total, 1);
    drop(dir);
}

#[test]
fn every_kind_of_answer_is_stored_as_given_and_logged_as_a_change() {
    let app = spawn_app();
    let db = app.database();
    let mut conn = db.conn().unwrap();
    let cursor = changes::cursor(&mut conn, "jeugdhulp").unwrap();
    drop(conn);

    let form = app.open_form("jongere");
    let mut fields = story_fields(&form, "jongere", "Alles ingevuld", LONG_STORY);
    for (name, value) in [
        ("q_wie_betrokken", "wijkteam"),
        ("q_wie_betrokken", "school"),
        ("q_themas", "thema_wachten"),
    ] {
        fields.push((name.into(), value.into()));
    }
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);

    let mut conn = db.conn().unwrap();
    let stored = stories::list_shareable(&mut conn, "jeugdhulp").unwrap();
    assert_eq!(stored.len(), 1);
    let story = &stored[0];
    let slider = |v: u8| Answer::Slider(SliderValue::new(v.into()).unwrap());
    let keys = |k: &[&str]| Answer::Multichoice(k.iter().map(|s| s.to_string()).collect());
    let expected: Answers = [
        ("gehoord", slider(80)),
        ("juiste_hulp", slider(65)),
        ("op_tijd", slider(20)),
        ("regie", Answer::NotApplicable),
        ("gevoel", Answer::Choice("gemengd".into())),
        ("wie_betrokken", keys(&["wijkteam", "school"])),
        ("themas", keys(&["thema_wachten"])),
        ("gemeente", Answer::Choice("wijchen".into())),
    ]
    .into_iter()
    .map(|(k, a)| (k.to_string(), a))
    .collect();
    assert_eq!(story.answers, expected);
    assert_eq!(
        story.record.word_count,
        Some(LONG_STORY.split_whitespace().count() as i32)
    );
    assert!(story.record.submission_key.is_some());
    assert!(story.record.withdrawal_code_hash.is_some());

    // The change log names the new story, so every instance's cached data takes it in.
    let (seen, _) = changes::since(&mut conn, "jeugdhulp", Some(&cursor)).unwrap();
    assert_eq!(seen, vec![changes::Change::Story(story.record.id.clone())]);
}
