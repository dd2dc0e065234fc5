//! Bad input gets a clear Dutch message, and the storyteller's typed text is still there.

use crate::helpers::*;

#[test]
fn every_problem_is_named_and_everything_typed_is_kept() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let typed = "Mijn verhaal met \"aanhalingstekens\" & een nieuwe\nregel";
    let fields = vec![
        ("csrf".to_string(), form.hidden("csrf")),
        ("sleutel".to_string(), form.hidden("sleutel")),
        ("rol".to_string(), "jongere".to_string()),
        ("titel".to_string(), "   ".to_string()),
        ("verhaal".to_string(), typed.to_string()),
        ("q_gehoord".to_string(), "150".to_string()),
        ("q_op_tijd".to_string(), "35".to_string()),
        ("q_gevoel".to_string(), "bestaat_niet".to_string()),
        ("q_themas".to_string(), "thema_school".to_string()),
        ("q_gemeente".to_string(), "druten".to_string()),
    ];
    let page = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(page.status, 422);
    page.assert_contains("Geef je verhaal een titel");
    page.assert_contains("Kies een plek op de lijn tussen 0 en 100");
    page.assert_contains("Schuif het bolletje naar de plek die bij je verhaal past"); // juiste_hulp is required
    page.assert_contains("Dit antwoord kennen we niet");
    page.assert_contains("Zonder toestemming");
    page.assert_contains("Alles wat je hebt ingevuld staat er nog");
    // Kept: the story text, the other answers, the chosen options.
    page.assert_contains(&escape(typed).replace("&#x2F;", "/"));
    page.assert_contains("value=\"35\"");
    page.assert_contains("value=\"thema_school\" checked");
    page.assert_contains("value=\"druten\" checked");
    page.assert_contains("aria-invalid=\"true\"");
    assert_eq!(page.hidden("sleutel"), form.hidden("sleutel"));
    assert_eq!(story_count(&app), 0);

    // Fixing the problems on the same form stores the story.
    let mut fixed = fields.clone();
    fixed.retain(|(k, _)| !matches!(k.as_str(), "titel" | "q_gehoord" | "q_gevoel" | "csrf"));
    fixed.extend([
        ("csrf".to_string(), page.hidden("csrf")),
        ("titel".to_string(), "Nu goed".to_string()),
        ("q_gehoord".to_string(), "100".to_string()),
        ("q_juiste_hulp".to_string(), "0".to_string()),
        ("toestemming_analyse".to_string(), "ja".to_string()),
    ]);
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fixed));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert_eq!(story_count(&app), 1);
}

#[test]
fn a_story_over_the_limit_is_refused_and_kept() {
    let app = spawn_app();
    let form = app.open_form("ouder");
    let long = "woord ".repeat(4_000); // 24,000 characters, limit is 20,000
    let fields = story_fields(&form, "ouder", "Te lang", &long);
    let page = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(page.status, 422);
    page.assert_contains("Je verhaal is 23.999 tekens lang. Dat zijn er 3.999 te veel");
    page.assert_contains(long.trim());
    assert_eq!(story_count(&app), 0);
}

#[test]
fn a_missing_or_wrong_csrf_token_is_refused_and_the_text_kept() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let mut fields = story_fields(&form, "jongere", "Zonder token", LONG_STORY);
    fields.retain(|(k, _)| k != "csrf");
    fields.push(("csrf".into(), "vervalst".into()));
    let page = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(page.status, 403);
    page.assert_contains("Dit formulier was verlopen");
    page.assert_contains("Zonder token");
    assert_eq!(story_count(&app), 0);

    // The page came with a fresh, valid token: sending again works.
    fields.retain(|(k, _)| k != "csrf");
    fields.push(("csrf".into(), page.hidden("csrf")));
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
        200
    );
    assert_eq!(story_count(&app), 1);
}

#[test]
fn a_missing_idempotency_key_gets_a_new_one_and_nothing_is_stored() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let mut fields = story_fields(&form, "jongere", "Sleutel weg", LONG_STORY);
    fields.retain(|(k, _)| k != "sleutel");
    let page = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(page.status, 403);
    assert!(page.hidden("sleutel").len() >= 16);
    page.assert_contains("Sleutel weg");
    assert_eq!(story_count(&app), 0);
}

#[test]
fn wrong_and_malformed_withdrawal_codes_get_clear_messages() {
    let app = spawn_app();
    let form = app.get("/v/jeugdhulp/intrekken");
    let csrf = form.hidden("csrf");
    let malformed = app.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &csrf), ("code", "hallo")],
    );
    assert_eq!(malformed.status, 422);
    malformed.assert_contains("Dit lijkt geen code");
    malformed.assert_contains("value=\"hallo\"");
    let unknown = app.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &csrf), ("code", "ABCD-EFGH-JKMN")],
    );
    assert_eq!(unknown.status, 404);
    unknown.assert_contains("We vinden geen verhaal met deze code");
    let no_csrf = app.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[("code", "ABCD-EFGH-JKMN")],
    );
    assert_eq!(no_csrf.status, 403);
}

#[test]
fn unknown_pages_and_oversized_requests_get_dutch_error_pages() {
    let app = spawn_app();
    let missing = app.get("/v/bestaat-niet");
    assert_eq!(missing.status, 404);
    missing.assert_contains("Deze pagina bestaat niet");
    let no_route = app.get("/nergens/heen");
    assert_eq!(no_route.status, 404);
    no_route.assert_contains("Deze pagina bestaat niet");

    let huge = vec![b'a'; 600 * 1024];
    let too_big = app.post_raw("/v/jeugdhulp/vertel", huge);
    assert_eq!(too_big.status, 413);
    too_big.assert_contains("te groot");
    too_big.assert_contains("Terug");
}

#[test]
fn a_closed_vertelpunt_shows_a_friendly_page_and_stores_nothing() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let db = app.database();
    {
        let mut conn = db.conn().unwrap();
        assert!(vertelpunt::store::projects::set_open(&mut conn, "jeugdhulp", false).unwrap());
    }
    // The project cache keeps projects for a few seconds.
    std::thread::sleep(std::time::Duration::from_millis(5_200));
    let landing = app.get("/v/jeugdhulp");
    assert_eq!(landing.status, 200);
    landing.assert_contains("gesloten");
    let fields = story_fields(&form, "jongere", "Te laat", LONG_STORY);
    let page = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    page.assert_contains("gesloten");
    assert_eq!(story_count(&app), 0);
}

#[test]
fn many_posts_from_one_address_are_slowed_down_without_losing_text() {
    let app = spawn_app_with(|c| c.stories_per_address = 2);
    let form = app.open_form("jongere");
    let mut statuses = Vec::new();
    let mut last = None;
    for i in 0..3 {
        let mut fields = story_fields(&form, "jongere", &format!("Verhaal {i}"), LONG_STORY);
        fields.retain(|(k, _)| k != "sleutel");
        fields.push(("sleutel".into(), format!("sleutel-nummer-{i:08}")));
        let page = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
        statuses.push(page.status);
        last = Some(page);
    }
    assert_eq!(statuses, vec![200, 200, 429]);
    let last = last.unwrap();
    last.assert_contains("Wacht een paar minuten");
    last.assert_contains("Verhaal 2");
    let wait: i64 = last
        .header("retry-after")
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    assert_eq!(story_count(&app), 2);
}
