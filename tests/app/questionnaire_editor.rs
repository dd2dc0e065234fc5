//! The questionnaire editor over HTTP: adding, editing, moving and removing questions and
//! options, the core module, versions, JSON download and import, and who may do what.

use crate::accounts::add_second_project;
use crate::helpers::*;
use vertelpunt::domain::{QuestionType, Questionnaire};
use vertelpunt::store::{self, audit, stories};

const LIST: &str = "/beheer/p/jeugdhulp/vragenlijst";

/// The current version number and questionnaire of the default project, from the database.
fn current(app: &TestApp) -> (i32, Questionnaire) {
    let mut conn = app.database().conn().unwrap();
    let project = store::projects::find(&mut conn, "jeugdhulp")
        .unwrap()
        .unwrap();
    (project.version, project.questionnaire)
}

fn keys(q: &Questionnaire) -> Vec<String> {
    q.questions.iter().map(|x| x.key.clone()).collect()
}

fn option_keys(q: &Questionnaire, key: &str) -> Vec<String> {
    q.question(key)
        .unwrap()
        .options
        .iter()
        .map(|o| o.key.clone())
        .collect()
}

/// Posts a question form (new or edit) with these fields plus the CSRF token.
fn post_form(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = browser.csrf(LIST);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    browser.post(path, &all)
}

const EVERYONE: [(&str, &str); 3] = [
    ("rol", "jongere"),
    ("rol", "ouder"),
    ("rol", "professional"),
];

fn add(browser: &Browser, kind: &str, fields: &[(&str, &str)]) -> Page {
    let form = browser.get(&format!("{LIST}/nieuw?soort={kind}"));
    assert_eq!(form.status, 200, "{}", form.body);
    let mut all = vec![("soort", kind)];
    all.extend_from_slice(fields);
    post_form(browser, &format!("{LIST}/nieuw"), &all)
}

fn assert_saved(page: &Page, what: &str) {
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.header("location").unwrap_or_default();
    assert!(
        location.starts_with(&format!("{LIST}?gedaan={what}")),
        "{location}"
    );
}

#[test]
fn each_type_of_question_is_added_and_the_public_form_asks_it_at_once() {
    let app = spawn_app().with_admin();
    // Fill the project cache first: the new questions must show up anyway.
    let before = app.open_form("jongere");
    assert!(!before.body.contains("q_hoe_vaak"));

    let mut slider = vec![
        ("label", "Hoe vaak zag je je hulpverlener?"),
        ("uitleg", "Denk aan de laatste maand."),
        ("links", "Bijna nooit"),
        ("rechts", "Heel vaak"),
        ("weet_niet", "1"),
        ("verplicht", "1"),
    ];
    slider.extend(EVERYONE);
    assert_saved(&add(&app, "slider", &slider), "opgeslagen");

    let mut choice = vec![
        ("label", "Was er een wachtlijst?"),
        ("opties", "Ja\nNee\n\nweet_niet|Weet ik niet"),
    ];
    choice.extend(EVERYONE);
    assert_saved(&add(&app, "choice", &choice), "opgeslagen");

    let mut multi = vec![
        ("label", "Waar zocht je hulp?"),
        ("opties", "Bij de huisarts\nOp school\nOp internet"),
    ];
    multi.extend(EVERYONE);
    assert_saved(&add(&app, "multichoice", &multi), "opgeslagen");

    let text = [
        ("label", "Wat is je postcode?"),
        ("over_verteller", "1"),
        ("rol", "ouder"),
        ("rol_tekst_ouder", "Wat is uw postcode?"),
    ];
    let saved = add(&app, "text", &text);
    assert_saved(&saved, "opgeslagen");
    assert!(saved
        .header("location")
        .unwrap_or_default()
        .ends_with("#vraag-wat_is_je_postcode"));

    let (version, q) = current(&app);
    assert_eq!(version, 1, "no stories yet: the version is replaced");
    let slider = q.question("hoe_vaak_zag_je_je_hulpverlener").unwrap();
    assert_eq!(slider.kind, QuestionType::Slider);
    assert_eq!(slider.right.as_deref(), Some("Heel vaak"));
    assert!(slider.allow_na && slider.required && slider.roles.is_empty());
    assert_eq!(
        option_keys(&q, "was_er_een_wachtlijst"),
        ["ja", "nee", "weet_niet"]
    );
    assert_eq!(
        q.question("waar_zocht_je_hulp").unwrap().kind,
        QuestionType::Multichoice
    );
    let text = q.question("wat_is_je_postcode").unwrap();
    assert!(text.context && text.roles == ["ouder"]);
    assert_eq!(text.role_labels["ouder"], "Wat is uw postcode?");

    // The list says it was saved and shows the questions.
    let list = app.get(&format!("{LIST}?gedaan=opgeslagen"));
    assert_eq!(list.status, 200);
    list.assert_contains("Opgeslagen.");
    list.assert_contains("Waar zocht je hulp?");
    list.assert_contains("Keuzevraag, meer antwoorden");

    let form = app.open_form("jongere");
    for name in [
        "q_hoe_vaak_zag_je_je_hulpverlener",
        "q_was_er_een_wachtlijst",
        "q_waar_zocht_je_hulp",
    ] {
        form.assert_contains(&format!("name=\"{name}\""));
    }
    assert!(!form.body.contains("q_wat_is_je_postcode"));
    let parent = app.open_form("ouder");
    parent.assert_contains("name=\"q_wat_is_je_postcode\"");
    parent.assert_contains(&escape("Wat is uw postcode?"));
}

#[test]
fn questions_and_options_are_edited_moved_and_removed() {
    let app = spawn_app().with_admin();
    let (_, before) = current(&app);
    let edit = app.get(&format!("{LIST}/vraag/duidelijk"));
    assert_eq!(edit.status, 200, "{}", edit.body);
    edit.assert_contains("Was het duidelijk wat er ging gebeuren?");
    edit.assert_contains("value=\"Heel onduidelijk\"");

    let saved = post_form(
        &app,
        &format!("{LIST}/vraag/duidelijk"),
        &[
            ("label", "Wist je wat er ging gebeuren?"),
            ("uitleg", ""),
            ("links", "Ik wist niets"),
            ("rechts", "Ik wist alles"),
            ("verplicht", "1"),
            ("rol", "jongere"),
            ("rol", "ouder"),
            ("rol_tekst_jongere", "Wist jij wat er ging gebeuren?"),
        ],
    );
    assert_saved(&saved, "opgeslagen");
    let (_, q) = current(&app);
    let duidelijk = q.question("duidelijk").unwrap();
    assert_eq!(duidelijk.label, "Wist je wat er ging gebeuren?");
    assert_eq!(duidelijk.help, None);
    assert_eq!(duidelijk.left.as_deref(), Some("Ik wist niets"));
    assert!(duidelijk.required && !duidelijk.allow_na);
    assert_eq!(duidelijk.roles, ["jongere", "ouder"]);
    assert_eq!(duidelijk.role_labels.len(), 1);
    assert_eq!(keys(&q), keys(&before), "editing keeps key and place");

    // Move up twice and down once.
    let at = |q: &Questionnaire, key: &str| keys(q).iter().position(|k| k == key).unwrap();
    let start = at(&q, "duidelijk");
    for (action, expected) in [
        ("omhoog", start - 1),
        ("omhoog", start - 2),
        ("omlaag", start - 1),
    ] {
        let moved = post_form(&app, &format!("{LIST}/vraag/duidelijk/{action}"), &[]);
        assert_saved(&moved, "opgeslagen");
        assert!(moved
            .header("location")
            .unwrap_or_default()
            .ends_with("#vraag-duidelijk"));
        assert_eq!(at(&current(&app).1, "duidelijk"), expected, "{action}");
    }

    // Options: change a label, drop two, add one, reorder.
    let saved = post_form(
        &app,
        &format!("{LIST}/vraag/gevoel"),
        &[
            ("label", "Wat voor verhaal is dit voor jou?"),
            (
                "opties",
                "negatief|Vooral een naar verhaal\npositief|Vooral een fijn verhaal\nVan allebei wat",
            ),
            ("rol", "jongere"),
            ("rol", "ouder"),
            ("rol", "professional"),
        ],
    );
    assert_saved(&saved, "opgeslagen");
    let (_, q) = current(&app);
    assert_eq!(
        option_keys(&q, "gevoel"),
        ["negatief", "positief", "van_allebei_wat"]
    );
    assert!(q.question("gevoel").unwrap().roles.is_empty());
    let form = app.open_form("professional");
    form.assert_contains("value=\"van_allebei_wat\"");
    assert!(!form.body.contains("value=\"gemengd\""));

    // Remove.
    let removed = post_form(&app, &format!("{LIST}/vraag/klik/verwijderen"), &[]);
    assert_saved(&removed, "opgeslagen");
    let (version, q) = current(&app);
    assert!(q.question("klik").is_none());
    assert_eq!(version, 1);
    assert!(!app.open_form("jongere").body.contains("name=\"q_klik\""));
    // Gone is gone: its edit page is 404, and removing again is refused.
    assert_eq!(app.get(&format!("{LIST}/vraag/klik")).status, 404);
    let again = post_form(&app, &format!("{LIST}/vraag/klik/verwijderen"), &[]);
    assert_eq!(again.status, 422);
    again.assert_contains("bestaat niet");

    // Each change is in the audit log, without story text.
    let mut conn = app.database().conn().unwrap();
    let log = audit::list(
        &mut conn,
        &audit::AuditFilter {
            action: Some("project.questionnaire".into()),
            ..Default::default()
        },
        50,
    )
    .unwrap();
    assert_eq!(log.len(), 6);
    assert_eq!(log[0].detail, "vraag klik weggehaald; versie 1 aangepast");
    assert_eq!(log[0].actor_email.as_deref(), Some(ADMIN_EMAIL));
    assert_eq!(log[0].project_slug.as_deref(), Some("jeugdhulp"));
}

#[test]
fn a_change_after_stories_makes_a_new_version_and_stories_keep_theirs() {
    let app = spawn_app().with_admin();
    let form = app.open_form("jongere");
    let fields = story_fields(&form, "jongere", "Voor de wijziging", LONG_STORY);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
        200
    );
    let list = app.get(LIST);
    list.assert_contains("Dit is versie 1. Er is 1 verhaal met deze versie verteld.");

    let mut slider = vec![
        ("label", "Was de hulp dichtbij?"),
        ("links", "Heel ver weg"),
        ("rechts", "Om de hoek"),
    ];
    slider.extend(EVERYONE);
    let saved = add(&app, "slider", &slider);
    assert_saved(&saved, "versie&versie=2");
    let shown = app.get(&format!("{LIST}?gedaan=versie&versie=2"));
    shown.assert_contains("Nieuwe versie 2 gemaakt");
    shown.assert_contains("Eerdere verhalen houden hun versie.");
    shown.assert_contains("Dit is versie 2. Er zijn 0 verhalen");

    let (version, q) = current(&app);
    assert_eq!(version, 2);
    assert!(q.question("was_de_hulp_dichtbij").is_some());
    {
        let mut conn = app.database().conn().unwrap();
        let old = store::projects::questionnaire(&mut conn, "jeugdhulp", 1)
            .unwrap()
            .unwrap();
        assert!(old.question("was_de_hulp_dichtbij").is_none());
        let told = stories::list_shareable(&mut conn, "jeugdhulp").unwrap();
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].record.questionnaire_version, 1);
    }

    // The public form asks the new question at once, and a new story gets version 2.
    let form = app.open_form("jongere");
    form.assert_contains("name=\"q_was_de_hulp_dichtbij\"");
    let mut fields = story_fields(&form, "jongere", "Na de wijziging", LONG_STORY);
    fields.push(("q_was_de_hulp_dichtbij".into(), "90".into()));
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
        200
    );
    let mut conn = app.database().conn().unwrap();
    let mut versions: Vec<i32> = stories::list_shareable(&mut conn, "jeugdhulp")
        .unwrap()
        .iter()
        .map(|s| s.record.questionnaire_version)
        .collect();
    versions.sort();
    assert_eq!(versions, [1, 2]);

    drop(conn);

    // A change that changes nothing makes no version; the next real change makes version 3.
    let same = post_form(&app, &format!("{LIST}/vraag/gehoord/omhoog"), &[]);
    assert_saved(&same, "ongewijzigd");
    assert_eq!(current(&app).0, 2);
    let moved = post_form(&app, &format!("{LIST}/vraag/regie/omhoog"), &[]);
    assert_saved(&moved, "versie&versie=3");
    assert_eq!(current(&app).0, 3);
}

#[test]
fn the_core_module_is_removed_and_included_whole_and_its_questions_are_locked() {
    let app = spawn_app().with_admin();
    let list = app.get(LIST);
    list.assert_contains("Deze vragenlijst heeft de kernvragen.");
    list.assert_contains("<span class=\"tag\">Kernvraag</span>");
    // Core questions have no edit link or delete button, but can move.
    assert!(!list.body.contains(&format!("{LIST}/vraag/gehoord\"")));
    assert!(!list
        .body
        .contains(&format!("{LIST}/vraag/gehoord/verwijderen")));
    list.assert_contains(&format!("{LIST}/vraag/gehoord/omlaag"));
    let moved = post_form(&app, &format!("{LIST}/vraag/gehoord/omlaag"), &[]);
    assert_saved(&moved, "opgeslagen");
    assert_eq!(keys(&current(&app).1)[1], "gehoord");

    // One core question cannot be edited, removed or opened for editing.
    let (_, before) = current(&app);
    let edit = post_form(
        &app,
        &format!("{LIST}/vraag/gehoord"),
        &[
            ("label", "Anders gevraagd"),
            ("links", "a"),
            ("rechts", "b"),
            ("rol", "jongere"),
        ],
    );
    assert_eq!(edit.status, 422);
    edit.assert_contains("is een kernvraag");
    edit.assert_contains("value=\"Anders gevraagd\"");
    let remove = post_form(&app, &format!("{LIST}/vraag/regie/verwijderen"), &[]);
    assert_eq!(remove.status, 422);
    remove.assert_contains("is een kernvraag");
    assert_eq!(app.get(&format!("{LIST}/vraag/gehoord")).status, 422);
    assert_eq!(current(&app).1, before);

    // Remove the module: all its questions go, the form no longer asks them.
    let removed = post_form(
        &app,
        &format!("{LIST}/kernvragen"),
        &[("actie", "weghalen")],
    );
    assert_saved(&removed, "opgeslagen");
    let (_, q) = current(&app);
    for key in [
        "gehoord",
        "juiste_hulp",
        "op_tijd",
        "regie",
        "leeftijd",
        "leeftijd_kind",
    ] {
        assert!(q.question(key).is_none(), "{key}");
    }
    assert!(q.question("duidelijk").is_some());
    assert!(!app.open_form("jongere").body.contains("name=\"q_gehoord\""));
    app.get(LIST)
        .assert_contains("Deze vragenlijst heeft de kernvragen nog niet.");

    // Include it again: the same questions, with the same keys, at the top.
    let included = post_form(
        &app,
        &format!("{LIST}/kernvragen"),
        &[("actie", "toevoegen")],
    );
    assert_saved(&included, "opgeslagen");
    let (_, q) = current(&app);
    let kern = vertelpunt::domain::modules::find("kern").unwrap();
    assert_eq!(&q.questions[..kern.questions.len()], &kern.questions[..]);
    app.open_form("jongere")
        .assert_contains("name=\"q_gehoord\"");
    let twice = post_form(
        &app,
        &format!("{LIST}/kernvragen"),
        &[("actie", "toevoegen")],
    );
    assert_eq!(twice.status, 422);
    twice.assert_contains("staan al in deze vragenlijst");
}

#[test]
fn only_people_who_may_edit_this_project_can_change_its_questionnaire() {
    let app = spawn_app().with_admin();
    add_second_project(&app);
    let (_, before) = current(&app);
    let onderzoeker = app.user_browser("onderzoeker@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let other = app.user_browser("ander@voorbeeld.nl", &[("ander", "begeleider")]);
    for browser in [&onderzoeker, &other] {
        assert_eq!(browser.get(LIST).status, 403);
        assert_eq!(browser.get(&format!("{LIST}/vraag/duidelijk")).status, 403);
        // A valid token from a page they may see: the right is what is missing.
        let csrf = browser.csrf("/beheer");
        for (path, fields) in [
            (format!("{LIST}/vraag/duidelijk/verwijderen"), vec![]),
            (format!("{LIST}/kernvragen"), vec![("actie", "weghalen")]),
            (
                format!("{LIST}/vraag/duidelijk"),
                vec![
                    ("label", "Gekaapt"),
                    ("links", "a"),
                    ("rechts", "b"),
                    ("rol", "ouder"),
                ],
            ),
            (
                format!("{LIST}/nieuw"),
                vec![("soort", "text"), ("label", "Gekaapt"), ("rol", "ouder")],
            ),
            (format!("{LIST}/importeren"), vec![("json", "{}")]),
        ] {
            let mut all = vec![("csrf", csrf.as_str())];
            all.extend(fields);
            let page = browser.post(&path, &all);
            assert_eq!(page.status, 403, "{path}: {}", page.body);
        }
    }
    assert_eq!(current(&app).1, before);
    // The onderzoeker may read the JSON; the other project's begeleider may not.
    assert_eq!(onderzoeker.get(&format!("{LIST}.json")).status, 200);
    assert_eq!(other.get(&format!("{LIST}.json")).status, 403);

    // A begeleider of this project may edit it.
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    assert_eq!(begeleider.get(LIST).status, 200);
    let removed = post_form(
        &begeleider,
        &format!("{LIST}/vraag/duidelijk/verwijderen"),
        &[],
    );
    assert_saved(&removed, "opgeslagen");
    assert!(current(&app).1.question("duidelijk").is_none());
}

#[test]
fn a_post_without_a_valid_csrf_token_changes_nothing() {
    let app = spawn_app().with_admin();
    let (_, before) = current(&app);
    app.get(LIST);
    for token in [None, Some("vals")] {
        let mut fields = vec![("actie", "weghalen")];
        if let Some(t) = token {
            fields.push(("csrf", t));
        }
        let page = app.post(&format!("{LIST}/kernvragen"), &fields);
        assert_eq!(page.status, 403);
        let page = app.post(&format!("{LIST}/vraag/klik/verwijderen"), &fields);
        assert_eq!(page.status, 403);
        let mut add = vec![
            ("soort", "text"),
            ("label", "Zonder token"),
            ("rol", "ouder"),
        ];
        add.extend(token.map(|t| ("csrf", t)));
        assert_eq!(app.post(&format!("{LIST}/nieuw"), &add).status, 403);
    }
    assert_eq!(current(&app).1, before);
}

#[test]
fn invalid_input_comes_back_with_a_message_and_what_was_typed() {
    let app = spawn_app().with_admin();
    let (_, before) = current(&app);

    let mut slider = vec![
        ("label", "Voelde je je <veilig> & welkom?"),
        ("links", "Helemaal niet"),
        ("rechts", ""),
    ];
    slider.extend(EVERYONE);
    let page = add(&app, "slider", &slider);
    assert_eq!(page.status, 422);
    page.assert_contains("error-summary");
    page.assert_contains("Een schuifvraag heeft twee uitersten nodig");
    page.assert_contains("href=\"#links\"");
    page.assert_contains(&format!(
        "value=\"{}\"",
        escape("Voelde je je <veilig> & welkom?")
    ));
    page.assert_contains("value=\"Helemaal niet\"");
    page.assert_contains("name=\"soort\" value=\"slider\"");

    let mut choice = vec![("label", "Eén keuze"), ("opties", "Alleen dit")];
    choice.extend(EVERYONE);
    let page = add(&app, "choice", &choice);
    assert_eq!(page.status, 422);
    page.assert_contains("minstens twee antwoorden");
    page.assert_contains(">Alleen dit</textarea>");

    let page = add(&app, "text", &[("label", "Voor niemand")]);
    assert_eq!(page.status, 422);
    page.assert_contains("Kies voor wie de vraag is");
    assert!(!page.body.contains("name=\"rol\" value=\"ouder\" checked"));

    let page = post_form(
        &app,
        &format!("{LIST}/vraag/gevoel"),
        &[
            ("label", "Wat voor verhaal?"),
            ("opties", "Goed|Fijn\nnaar|Naar"),
            ("rol", "ouder"),
        ],
    );
    assert_eq!(page.status, 422);
    page.assert_contains("De sleutel “Goed” kan niet");
    page.assert_contains("Goed|Fijn\nnaar|Naar</textarea>");
    page.assert_contains("id=\"rol-ouder\" name=\"rol\" value=\"ouder\" checked");

    let page = post_form(&app, &format!("{LIST}/nieuw"), &[("label", "Welke soort?")]);
    assert_eq!(page.status, 400);
    let unknown = app.get(&format!("{LIST}/nieuw?soort=tekening"));
    assert_eq!(unknown.status, 422);
    unknown.assert_contains("Kies eerst welke soort vraag");
    assert_eq!(current(&app).1, before);
}

#[test]
fn the_questionnaire_is_downloaded_and_imported_as_json() {
    let app = spawn_app().with_admin();
    let download = app.get(&format!("{LIST}.json"));
    assert_eq!(download.status, 200);
    assert!(download
        .header("content-type")
        .unwrap_or_default()
        .starts_with("application/json"));
    assert!(download
        .header("content-disposition")
        .unwrap_or_default()
        .contains("jeugdhulp-vragenlijst-v1.json"));
    let (_, q) = current(&app);
    assert_eq!(Questionnaire::from_json(&download.body).unwrap(), q);

    let import = |json: &str| {
        let form = app.get(&format!("{LIST}/importeren"));
        assert_eq!(form.status, 200);
        app.post(
            &format!("{LIST}/importeren"),
            &[("csrf", &form.hidden("csrf")), ("json", json)],
        )
    };

    // Broken JSON and a changed core question are refused; the text comes back.
    let page = import("{\"slug\": \"jeugdhulp\",");
    assert_eq!(page.status, 422);
    page.assert_contains("Dit is geen goede vragenlijst in JSON");
    page.assert_contains(&format!(
        "{}</textarea>",
        escape("{\"slug\": \"jeugdhulp\",")
    ));
    let changed_core = download
        .body
        .replace("Niemand luisterde", "Niemand hoorde mij");
    let page = import(&changed_core);
    assert_eq!(page.status, 422);
    page.assert_contains("precies gelijk blijven");
    assert_eq!(current(&app).1, q);

    // A valid questionnaire, even with another slug, goes into this project.
    let mut other = q.clone();
    other.slug = "iets-anders".into();
    other.title = "Vertelpunt Jeugdhulp Oost".into();
    other.questions.retain(|x| x.key != "themas");
    let saved = import(&other.to_json_pretty());
    assert_saved(&saved, "opgeslagen");
    let (_, now) = current(&app);
    assert_eq!(now.slug, "jeugdhulp");
    assert!(now.question("themas").is_none());
    app.get("/beheer/p/jeugdhulp")
        .assert_contains("Vertelpunt Jeugdhulp Oost");
}
