//! Answers that mean what the teller meant (issue 16): three states for every slider, nothing
//! typed lost, Back + edit changes the one story, "Later verder", limits that fit a class.

use crate::helpers::*;
use vertelpunt::domain::answer::Answers;
use vertelpunt::domain::Answer;
use vertelpunt::store::stories;

/// The sliders of a rendered story form, in page order (their hidden "open" choice fields).
fn slider_keys(form: &Page) -> Vec<String> {
    let needle = "type=\"hidden\" name=\"stand_";
    form.body
        .match_indices(needle)
        .map(|(i, _)| {
            let rest = &form.body[i + needle.len()..];
            rest[..rest.find('"').expect("end of name")].to_string()
        })
        .collect()
}

/// What a browser sends for the story form when the teller touches no slider: every slider
/// at its start (50) with its hidden "open" choice, and the fields given in `more`.
fn untouched(form: &Page, title: &str, text: &str, more: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), form.hidden("csrf")),
        ("sleutel".into(), form.hidden("sleutel")),
        ("rol".into(), "jongere".into()),
        ("verhaal".into(), text.into()),
        ("titel".into(), title.into()),
    ];
    for key in slider_keys(form) {
        fields.push((format!("q_{key}"), "50".into()));
        fields.push((format!("stand_{key}"), "open".into()));
    }
    fields.push(("toestemming_analyse".into(), "ja".into()));
    fields.extend(more.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    fields
}

/// A form post: `(name, value)` pairs where a later value of the same slider position
/// replaces the earlier one (as moving a slider does).
fn with(mut fields: Vec<(String, String)>, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    for (name, value) in changes {
        if name.starts_with("q_") {
            fields.retain(|(k, _)| k != name);
        }
        fields.push((name.to_string(), value.to_string()));
    }
    fields
}

fn only_story(app: &TestApp) -> (String, Answers, String, String) {
    let db = app.database();
    let mut conn = db.conn().expect("conn");
    let all = stories::list_shareable(&mut conn, "jeugdhulp").expect("stories");
    assert_eq!(all.len(), 1, "exactly one story");
    let s = &all[0];
    (
        s.record.id.clone(),
        s.answers.clone(),
        s.record.title.clone(),
        s.record.body.clone(),
    )
}

fn slider(v: u8) -> Answer {
    Answer::Slider(vertelpunt::domain::SliderValue::new(v.into()).expect("0-100"))
}

#[test]
fn an_untouched_slider_is_not_answered_and_a_required_one_is_asked_for() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let sliders = slider_keys(&form);
    assert!(sliders.len() >= 8, "{sliders:?}");
    form.assert_contains("Ik sla deze vraag over");
    form.assert_contains("Mijn antwoord is de plek van het bolletje");

    // Nothing touched: the three required sliders are missing, with their own message, and
    // everything typed is still there.
    let fields = untouched(&form, "Mijn titel", LONG_STORY, &[]);
    let again = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(again.status, 422, "{}", again.body);
    assert_eq!(
        again
            .body
            .matches("Schuif het bolletje naar de plek")
            .count(),
        2 * 3
    );
    again.assert_contains(LONG_STORY);
    again.assert_contains("value=\"Mijn titel\"");
    assert_eq!(story_count(&app), 0);

    // The required ones chosen (one exactly in the middle, on purpose), the rest untouched.
    let fields = with(
        fields,
        &[
            ("q_gehoord", "80"),
            ("stand_gehoord", "schuif"),
            ("q_juiste_hulp", "50"),
            ("stand_juiste_hulp", "schuif"),
            ("q_op_tijd", "20"),
            ("stand_op_tijd", "schuif"),
        ],
    );
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let (_, answers, _, _) = only_story(&app);
    assert_eq!(answers.get("gehoord"), Some(&slider(80)));
    assert_eq!(answers.get("juiste_hulp"), Some(&slider(50)));
    assert_eq!(answers.get("op_tijd"), Some(&slider(20)));
    for key in ["regie", "duidelijk", "klik", "samenwerking", "gevolg"] {
        assert_eq!(answers.get(key), None, "{key} was not touched: no value");
    }
}

#[test]
fn each_slider_state_is_stored_as_chosen() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let fields = with(
        untouched(&form, "Staten", LONG_STORY, &[]),
        &[
            ("q_gehoord", "80"),
            ("stand_gehoord", "schuif"),
            ("q_juiste_hulp", "65"),
            ("stand_juiste_hulp", "schuif"),
            ("q_op_tijd", "20"),
            ("stand_op_tijd", "schuif"),
            // "Weet ik niet", then the slider moved: with JavaScript the choice follows the
            // slider, so the post says "schuif" last.
            ("q_regie", "70"),
            ("stand_regie", "na"),
            ("stand_regie", "schuif"),
            // "Weet ik niet" chosen and left.
            ("stand_duidelijk", "na"),
            // Moved without JavaScript and no choice made: the moved position counts.
            ("q_klik", "30"),
            // Moved, then "Ik sla deze vraag over".
            ("q_samenwerking", "90"),
            ("stand_samenwerking", "leeg"),
        ],
    );
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let (_, answers, _, _) = only_story(&app);
    assert_eq!(answers.get("regie"), Some(&slider(70)));
    assert_eq!(answers.get("duidelijk"), Some(&Answer::NotApplicable));
    assert_eq!(answers.get("klik"), Some(&slider(30)));
    assert_eq!(answers.get("samenwerking"), None);
    assert_eq!(answers.get("gevolg"), None);
}

#[test]
fn a_form_shown_again_keeps_each_slider_state() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    // No consent: the form comes back, and each slider must come back as it was left.
    let mut fields = with(
        untouched(&form, "Terug", LONG_STORY, &[]),
        &[
            ("q_gehoord", "80"),
            ("stand_gehoord", "schuif"),
            ("stand_regie", "na"),
            ("q_klik", "30"),
            ("stand_samenwerking", "leeg"),
        ],
    );
    fields.retain(|(k, _)| k != "toestemming_analyse");
    let again = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(again.status, 422);
    again.assert_contains(
        "id=\"stand-gehoord-schuif\" name=\"stand_gehoord\" value=\"schuif\" checked",
    );
    again.assert_contains("value=\"80\"");
    again.assert_contains("id=\"na-regie\" name=\"stand_regie\" value=\"na\" checked");
    again.assert_contains("id=\"stand-klik-schuif\" name=\"stand_klik\" value=\"schuif\" checked");
    again.assert_contains(
        "id=\"stand-samenwerking-leeg\" name=\"stand_samenwerking\" value=\"leeg\" checked",
    );
    assert!(
        !again
            .body
            .contains("name=\"stand_gevolg\" value=\"schuif\" checked"),
        "an untouched slider stays unanswered"
    );
}

#[test]
fn a_story_over_the_limit_is_refused_with_every_character_kept() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    form.assert_contains("data-max=\"20000\"");
    assert!(
        !form.body.contains("maxlength=\"20000\""),
        "no silent cut in the browser"
    );
    let long = "abcdefghij".repeat(2_500);
    let fields = with(
        untouched(&form, "Lang", &long, &[]),
        &[
            ("stand_gehoord", "schuif"),
            ("stand_juiste_hulp", "schuif"),
            ("stand_op_tijd", "schuif"),
        ],
    );
    let again = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(again.status, 422);
    again.assert_contains(&long);
    again.assert_contains("Je verhaal is 25.000 tekens lang. Dat zijn er 5.000 te veel");
    assert_eq!(story_count(&app), 0);
}

#[test]
fn switching_language_or_role_keeps_everything_typed() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let typed = with(
        untouched(&form, "Half af", "Eerst ging het zo, en toen", &[]),
        &[
            ("q_gehoord", "80"),
            ("stand_gehoord", "schuif"),
            ("stand_regie", "na"),
        ],
    );

    // English: the same form, in English, with everything still there.
    let english = app.post(
        "/v/jeugdhulp/vertel/wissel",
        &as_refs(&with(typed.clone(), &[("naar_taal", "en")])),
    );
    assert_eq!(english.status, 200, "{}", english.body);
    english.assert_contains("<html lang=\"en\" dir=\"ltr\">");
    english.assert_contains("Eerst ging het zo, en toen");
    english.assert_contains("value=\"Half af\"");
    english.assert_contains("id=\"na-regie\" name=\"stand_regie\" value=\"na\" checked");
    assert!(english
        .header("set-cookie")
        .is_some_and(|c| c.starts_with("vp_taal=en")));
    assert_eq!(
        english.hidden("sleutel"),
        form.hidden("sleutel"),
        "same form key"
    );

    // "Iets anders kiezen": the roles, with every field carried along as hidden fields …
    let roles = app.post(
        "/v/jeugdhulp/vertel/wissel",
        &as_refs(&with(typed.clone(), &[("naar_rol", "")])),
    );
    assert_eq!(roles.status, 200);
    roles.assert_contains("name=\"naar_rol\" value=\"ouder\"");
    assert_eq!(roles.hidden("verhaal"), "Eerst ging het zo, en toen");
    // … and choosing one gives that role's form with the text kept.
    let mut carried: Vec<(String, String)> =
        typed.iter().filter(|(k, _)| k != "rol").cloned().collect();
    carried.push(("rol".into(), "jongere".into()));
    carried.push(("naar_rol".into(), "ouder".into()));
    let ouder = app.post("/v/jeugdhulp/vertel/wissel", &as_refs(&carried));
    assert_eq!(ouder.status, 200, "{}", ouder.body);
    assert_eq!(ouder.hidden("rol"), "ouder");
    ouder.assert_contains("Eerst ging het zo, en toen");
    assert_eq!(story_count(&app), 0, "switching stores nothing");
}

#[test]
fn back_edit_and_send_leaves_one_story_with_the_edit() {
    let app = spawn_app();
    let form = app.open_form("ouder");
    let mut fields = story_fields(
        &form,
        "ouder",
        "Met naam",
        "Juf Annemarie van de Berg hielp ons heel goed, echt waar.",
    );
    fields.push(("q_gehoord".into(), "80".into()));
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let code = withdrawal_code(&thanks);
    thanks.assert_contains("Wil je nog iets veranderen?");
    let (id, _, _, _) = only_story(&app);

    // Back: the form shows the story just sent and says that sending changes it.
    let back = app.open_form("ouder");
    back.assert_contains("Hieronder staat het verhaal dat je net hebt gestuurd");
    back.assert_contains("Juf Annemarie van de Berg");
    let change = back.hidden("aanpassen");
    let mut edited = story_fields(
        &back,
        "ouder",
        "Zonder naam",
        "De juf hielp ons heel goed, echt waar.",
    );
    edited.push(("aanpassen".into(), change));
    let changed = app.post("/v/jeugdhulp/vertel", &as_refs(&edited));
    assert_eq!(changed.status, 200, "{}", changed.body);
    changed.assert_contains("Je verhaal is aangepast");
    assert_eq!(withdrawal_code(&changed), code, "the code stays the same");
    let (same_id, answers, title, body) = only_story(&app);
    assert_eq!(same_id, id);
    assert_eq!(title, "Zonder naam");
    assert!(!body.contains("Annemarie"), "{body}");
    assert_eq!(answers.get("regie"), Some(&Answer::NotApplicable));

    // The withdrawal code still finds it.
    let withdraw = app.get("/v/jeugdhulp/intrekken");
    let found = app.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &withdraw.hidden("csrf")), ("code", &code)],
    );
    assert_eq!(found.status, 200);
    found.assert_contains("Zonder naam");

    // A new start on the landing page: the next form is empty and makes a new story.
    assert_eq!(app.get("/v/jeugdhulp").status, 200);
    let fresh = app.open_form("ouder");
    assert!(
        !fresh.body.contains("name=\"aanpassen\""),
        "no change offered after a new start"
    );
    let second = story_fields(&fresh, "ouder", "Tweede", LONG_STORY);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&second)).status,
        200
    );
    assert_eq!(story_count(&app), 2);
}

#[test]
fn the_same_form_sent_again_with_an_edit_changes_its_story() {
    // Without the cookie (another browser profile, cookies blocked) the form key still ties
    // the edit to the story it belongs to.
    let app = spawn_app();
    let form = app.open_form("jongere");
    let first = story_fields(&form, "jongere", "Eerst", LONG_STORY);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&first)).status,
        200
    );
    let other = app.browser();
    let csrf_page = other.get("/v/jeugdhulp/vertel?rol=jongere");
    let mut again = story_fields(&form, "jongere", "Daarna", LONG_STORY);
    again.retain(|(k, _)| k != "csrf");
    again.push(("csrf".into(), csrf_page.hidden("csrf")));
    let page = other.post("/v/jeugdhulp/vertel", &as_refs(&again));
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("Je verhaal is aangepast");
    let (_, _, title, _) = only_story(&app);
    assert_eq!(title, "Daarna");
}

#[test]
fn a_draft_is_kept_under_a_code_and_comes_back_exactly() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let typed = with(
        untouched(&form, "Nog niet af", "Dit schrijf ik later verder", &[]),
        &[
            ("q_gehoord", "80"),
            ("stand_gehoord", "schuif"),
            ("stand_regie", "na"),
        ],
    );
    let saved = app.post("/v/jeugdhulp/vertel/later", &as_refs(&typed));
    assert_eq!(saved.status, 200, "{}", saved.body);
    saved.assert_contains("Je verhaal is bewaard");
    let code = between(&saved.body, "id=\"verdercode\">", "<");
    assert_eq!(code.len(), 14, "{code}");
    assert_eq!(story_count(&app), 0, "a draft is no story");
    // Saving the same form again (a double click) keeps one draft and one code.
    let twice = app.post("/v/jeugdhulp/vertel/later", &as_refs(&typed));
    assert_eq!(between(&twice.body, "id=\"verdercode\">", "<"), code);
    assert_eq!(draft_count(&app), 1);

    // Later, in another browser: the code brings the form back as it was.
    let later = app.browser();
    let resume = later.get("/v/jeugdhulp/verder");
    assert_eq!(resume.status, 200);
    let back = later.post(
        "/v/jeugdhulp/verder",
        &[
            ("csrf", &resume.hidden("csrf")),
            ("code", &code.to_lowercase()),
        ],
    );
    assert_eq!(back.status, 200, "{}", back.body);
    back.assert_contains("Welkom terug");
    back.assert_contains("Dit schrijf ik later verder");
    back.assert_contains("value=\"Nog niet af\"");
    back.assert_contains(
        "id=\"stand-gehoord-schuif\" name=\"stand_gehoord\" value=\"schuif\" checked",
    );
    back.assert_contains("id=\"na-regie\" name=\"stand_regie\" value=\"na\" checked");
    let draft = back.hidden("concept");

    // Finishing it stores the story and erases the draft; the code then finds nothing.
    let mut done = untouched(
        &back,
        "Nu af",
        "Dit schrijf ik later verder, en nu is het af.",
        &[],
    );
    done = with(
        done,
        &[
            ("stand_gehoord", "schuif"),
            ("stand_juiste_hulp", "schuif"),
            ("stand_op_tijd", "schuif"),
            ("concept", &draft),
        ],
    );
    let thanks = later.post("/v/jeugdhulp/vertel", &as_refs(&done));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert_eq!(story_count(&app), 1);
    assert_eq!(draft_count(&app), 0);
    let gone = later.post(
        "/v/jeugdhulp/verder",
        &[("csrf", &resume.hidden("csrf")), ("code", &code)],
    );
    assert_eq!(gone.status, 404);
    gone.assert_contains("We vinden geen bewaard verhaal met deze code");
}

#[test]
fn drafts_expire_and_wrong_codes_are_slowed_down() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    let typed = untouched(&form, "Weg", "Dit verloopt", &[]);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel/later", &as_refs(&typed))
            .status,
        200
    );
    assert_eq!(draft_count(&app), 1);
    // The retention run erases it once its 14 days are over, not before.
    let now = vertelpunt::exchange::timestamp::now_unix();
    let db = app.database();
    let report = vertelpunt::service::retention::run(&db, now + 13 * 86_400).expect("run");
    assert_eq!(report.expired_drafts, 0);
    let report = vertelpunt::service::retention::run(&db, now + 14 * 86_400 + 1).expect("run");
    assert_eq!(report.expired_drafts, 1);
    assert_eq!(draft_count(&app), 0);

    let guesser = app.browser();
    let resume = guesser.get("/v/jeugdhulp/verder");
    let csrf = resume.hidden("csrf");
    let malformed = guesser.post("/v/jeugdhulp/verder", &[("csrf", &csrf), ("code", "hallo")]);
    assert_eq!(malformed.status, 422);
    malformed.assert_contains("Dit lijkt geen code van ons");
    let mut statuses = Vec::new();
    for i in 0..10 {
        let code = format!("ABCD-EFGH-{:04}", 2000 + i);
        statuses.push(
            guesser
                .post("/v/jeugdhulp/verder", &[("csrf", &csrf), ("code", &code)])
                .status,
        );
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 404).count(),
        9,
        "{statuses:?}"
    );
    let blocked = guesser.post(
        "/v/jeugdhulp/verder",
        &[("csrf", &csrf), ("code", "ABCD-EFGH-2999")],
    );
    assert_eq!(blocked.status, 429);
    blocked.assert_contains("Je bewaarde verhaal is veilig");
    assert!(blocked
        .header("retry-after")
        .and_then(|s| s.parse::<i64>().ok())
        .is_some_and(|s| s > 0));
    // Withdrawal codes count against the same address, and the page says it in its words.
    let withdraw = guesser.get("/v/jeugdhulp/intrekken");
    let refused = guesser.post(
        "/v/jeugdhulp/intrekken",
        &[
            ("csrf", &withdraw.hidden("csrf")),
            ("code", "ABCD-EFGH-3000"),
        ],
    );
    assert_eq!(refused.status, 429);
    refused.assert_contains("Er is nog geen verhaal weggehaald");
    assert!(refused.header("retry-after").is_some());
}

#[test]
fn the_story_limit_counts_stored_stories_not_mistakes() {
    let app = spawn_app_with(|c| c.stories_per_address = 2);
    let mut statuses = Vec::new();
    // Five refused forms (no consent) cost nothing …
    for i in 0..5 {
        let form = app.open_form("jongere");
        let mut fields = story_fields(&form, "jongere", &format!("Fout {i}"), LONG_STORY);
        fields.retain(|(k, _)| k != "toestemming_analyse");
        statuses.push(app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status);
    }
    // … two stories are stored, and a double click on the second is no third.
    let mut last = None;
    for i in 0..2 {
        let form = app.open_form("jongere");
        let fields = story_fields(&form, "jongere", &format!("Verhaal {i}"), LONG_STORY);
        statuses.push(app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status);
        last = Some(fields);
    }
    let again = app.post("/v/jeugdhulp/vertel", &as_refs(&last.expect("sent")));
    statuses.push(again.status);
    assert_eq!(statuses, vec![422, 422, 422, 422, 422, 200, 200, 200]);
    // The third new story waits, with its text kept and the time to wait.
    let form = app.open_form("jongere");
    let fields = story_fields(&form, "jongere", "Verhaal 3", LONG_STORY);
    let refused = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(refused.status, 429);
    refused.assert_contains("heel veel verhalen vanaf dit netwerk");
    refused.assert_contains("value=\"Verhaal 3\"");
    let wait: i64 = refused
        .header("retry-after")
        .and_then(|s| s.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=600).contains(&wait), "{wait}");
    assert_eq!(story_count(&app), 2);
}

#[test]
fn head_is_answered_like_get_on_public_pages() {
    let app = spawn_app();
    for path in [
        "/v/jeugdhulp",
        "/v/jeugdhulp/vertel?rol=jongere",
        "/v/jeugdhulp/privacy",
        "/v/jeugdhulp/intrekken",
        "/v/jeugdhulp/verder",
        "/toegankelijkheid",
    ] {
        let (status, length) = app.head(path);
        assert_eq!(status, 200, "HEAD {path}");
        assert_eq!(length, 0, "HEAD {path} has no body");
    }
    assert_eq!(app.head("/").0, 303);
    assert_eq!(app.head("/bestaat-niet").0, 404);
}

#[test]
fn stories_from_before_the_change_keep_their_values_and_version() {
    // A database from before this change: a story whose untouched sliders hold 50.
    let app = spawn_app();
    let form = app.open_form("jongere");
    let fields = story_fields(&form, "jongere", "Oud", LONG_STORY);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
        200
    );
    revert_last_migration(&app.db_url, "20261202000001");

    // Opening it runs the migration: a new questionnaire version marks the new rule.
    let db = app.database();
    let mut conn = db.conn().expect("conn");
    let project = vertelpunt::store::projects::find(&mut conn, "jeugdhulp")
        .expect("read")
        .expect("project");
    assert_eq!((project.version, project.sliders_unset_from), (2, 2));
    let old = stories::list_shareable(&mut conn, "jeugdhulp").expect("stories");
    assert_eq!(old[0].record.questionnaire_version, 1);
    assert_eq!(old[0].answers.get("gehoord"), Some(&slider(80)));
}

#[test]
fn the_pattern_page_can_leave_out_the_stories_from_before_the_change() {
    // 60 stories from before (version 1), then the migration, then 6 told since (version 2).
    let app = spawn_app().with_admin();
    vertelpunt::service::transfer::import_csv(
        &app.database(),
        "jeugdhulp",
        crate::explore::stories_csv().as_bytes(),
    )
    .expect("import");
    revert_last_migration(&app.db_url, "20261202000001");
    drop(app.database()); // opening it migrates: version 2 from here on
    let project = {
        let db = app.database();
        let mut conn = db.conn().expect("conn");
        vertelpunt::store::projects::find(&mut conn, "jeugdhulp")
            .expect("read")
            .expect("project")
    };
    assert_eq!(project.sliders_unset_from, 2);
    // The server keeps a project for 5 s (ProjectCache); let it see version 2.
    std::thread::sleep(std::time::Duration::from_secs(6));
    let later = app.browser();
    for i in 0..6 {
        let form = later.get("/v/jeugdhulp");
        assert_eq!(form.status, 200);
        let form = later.open_form("ouder");
        let fields = story_fields(&form, "ouder", &format!("Nieuw {i}"), LONG_STORY);
        assert_eq!(
            later.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
            200
        );
    }
    let reader = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    reader
        .get("/beheer/p/jeugdhulp/patronen")
        .assert_contains("66 verhalen");
    let newer = reader.get("/beheer/p/jeugdhulp/patronen?versie=vanaf-2");
    newer.assert_contains("6 verhalen");
    newer.assert_contains("Vanaf versie 2: schuif niet aangeraakt = geen antwoord");
    assert!(!newer.body.contains("66 verhalen"));
}
