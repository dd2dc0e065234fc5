//! Project administration over HTTP: creating projects, texts and rules, open/closed, roles,
//! and who may do which of these.

use crate::accounts::add_second_project;
use crate::helpers::*;
use vertelpunt::store::projects;

fn project(app: &TestApp, slug: &str) -> vertelpunt::domain::Project {
    let mut conn = app.database().conn().unwrap();
    projects::find(&mut conn, slug).unwrap().expect("project")
}

fn settings_fields(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_string()),
        ("naam", "Vertelpunt Jeugdhulp Noord".into()),
        ("intro", "Welkom bij het vertelpunt van regio Noord.".into()),
        ("privacy", String::new()),
        ("gesloten_tekst", "We zijn even dicht.".into()),
        (
            "hulplijnen",
            "De Kindertelefoon | 0800-0432 | gratis\nAlarmnummer | 112".into(),
        ),
        ("min_woorden", "10".into()),
        ("eerste_vragen", "2".into()),
        ("max_tekens", "5000".into()),
        ("max_titel", "100".into()),
        ("originelen_bewaren", "ja".into()),
    ]
}

fn post_fields(browser: &Browser, path: &str, fields: &[(&'static str, String)]) -> Page {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(path, &refs)
}

#[test]
fn an_admin_creates_projects_from_the_default_or_from_json() {
    let app = spawn_app().with_admin();
    let form = app.get("/beheer/projecten/nieuw");
    assert_eq!(form.status, 200);
    let csrf = form.hidden("csrf");
    let created = app.post(
        "/beheer/projecten/nieuw",
        &[
            ("csrf", &csrf),
            ("naam", "Regio Noord"),
            ("slug", "regio-noord"),
            ("bron", "standaard"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(project(&app, "regio-noord").name, "Regio Noord");
    assert_eq!(app.get("/v/regio-noord").status, 200);

    // The same address again: refused, typed values kept.
    let taken = app.post(
        "/beheer/projecten/nieuw",
        &[
            ("csrf", &csrf),
            ("naam", "Nog een"),
            ("slug", "regio-noord"),
            ("bron", "standaard"),
        ],
    );
    assert_eq!(taken.status, 409);
    taken.assert_contains("al in gebruik");
    taken.assert_contains("value=\"Nog een\"");

    // From JSON: the questionnaire of another project.
    let json =
        vertelpunt::service::projects::export_questionnaire(&app.database(), "jeugdhulp").unwrap();
    let imported = app.post(
        "/beheer/projecten/nieuw",
        &[
            ("csrf", &csrf),
            ("naam", "Regio Zuid"),
            ("slug", "regio-zuid"),
            ("bron", "import"),
            ("json", &json),
        ],
    );
    assert_eq!(imported.status, 303, "{}", imported.body);
    assert_eq!(
        project(&app, "regio-zuid").questionnaire.questions,
        project(&app, "jeugdhulp").questionnaire.questions
    );

    // Broken JSON and a bad address: clear messages, nothing stored, text kept.
    let broken = app.post(
        "/beheer/projecten/nieuw",
        &[
            ("csrf", &csrf),
            ("naam", "Regio West"),
            ("slug", "regio-west"),
            ("bron", "import"),
            ("json", "{\"slug\": "),
        ],
    );
    assert_eq!(broken.status, 422);
    broken.assert_contains("De vragenlijst klopt niet");
    broken.assert_contains("{&quot;slug&quot;: ");
    let bad_slug = app.post(
        "/beheer/projecten/nieuw",
        &[
            ("csrf", &csrf),
            ("naam", "Regio West"),
            ("slug", "Regio West!"),
            ("bron", "standaard"),
        ],
    );
    assert_eq!(bad_slug.status, 422);
    bad_slug.assert_contains("kleine letters");
    let mut conn = app.database().conn().unwrap();
    assert!(projects::find(&mut conn, "regio-west").unwrap().is_none());

    // Only admins create projects.
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    assert_eq!(begeleider.get("/beheer/projecten/nieuw").status, 403);
    let csrf = begeleider.csrf("/beheer");
    let refused = begeleider.post(
        "/beheer/projecten/nieuw",
        &[
            ("csrf", &csrf),
            ("naam", "Stiekem"),
            ("slug", "stiekem"),
            ("bron", "standaard"),
        ],
    );
    assert_eq!(refused.status, 403);
    assert!(projects::find(&mut conn, "stiekem").unwrap().is_none());
}

#[test]
fn a_begeleider_edits_texts_and_rules_and_the_vertelpunt_shows_them() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let form = begeleider.get("/beheer/p/jeugdhulp/instellingen");
    assert_eq!(form.status, 200, "{}", form.body);
    let saved = post_fields(
        &begeleider,
        "/beheer/p/jeugdhulp/instellingen",
        &settings_fields(&form.hidden("csrf")),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let p = project(&app, "jeugdhulp");
    assert_eq!(p.name, "Vertelpunt Jeugdhulp Noord");
    assert_eq!(p.settings.completeness.min_words, 10);
    assert_eq!(p.settings.completeness.first_questions, 2);
    assert_eq!(p.settings.help_lines.len(), 2);
    assert!(p.settings.keep_redacted_originals);
    // Same instance shows it at once (its cache is refreshed).
    let landing = app.browser().get("/v/jeugdhulp");
    landing.assert_contains("Welkom bij het vertelpunt van regio Noord.");
    landing.assert_contains("Vertelpunt Jeugdhulp Noord");

    // Close: the public page says so with the project's own text; open again.
    let csrf = form.hidden("csrf");
    assert_eq!(
        begeleider
            .post("/beheer/p/jeugdhulp/sluiten", &[("csrf", &csrf)])
            .status,
        303
    );
    assert!(!project(&app, "jeugdhulp").is_open);
    let closed = app.browser().get("/v/jeugdhulp/vertel?rol=ouder");
    closed.assert_contains("We zijn even dicht.");
    assert_eq!(
        begeleider
            .post("/beheer/p/jeugdhulp/openen", &[("csrf", &csrf)])
            .status,
        303
    );
    assert!(project(&app, "jeugdhulp").is_open);
}

#[test]
fn invalid_settings_are_refused_with_every_message_and_the_typed_values() {
    let app = spawn_app().with_admin();
    let csrf = app.csrf("/beheer/p/jeugdhulp/instellingen");
    let mut fields = settings_fields(&csrf);
    for (k, v) in fields.iter_mut() {
        match *k {
            "min_woorden" => *v = "heel veel".into(),
            "hulplijnen" => *v = "Kindertelefoon zonder streep".into(),
            "intro" => *v = "Mijn <b>nieuwe</b> intro".into(),
            _ => {}
        }
    }
    let before = project(&app, "jeugdhulp");
    let page = post_fields(&app, "/beheer/p/jeugdhulp/instellingen", &fields);
    assert_eq!(page.status, 422);
    page.assert_contains("Vul een heel getal in van 0 tot en met 1000.");
    page.assert_contains("Regel 1 klopt niet");
    page.assert_contains("value=\"heel veel\"");
    page.assert_contains("Mijn &lt;b&gt;nieuwe&lt;&#x2F;b&gt; intro");
    assert_eq!(project(&app, "jeugdhulp"), before);
}

#[test]
fn roles_can_be_edited_and_a_project_with_stories_gets_a_new_version() {
    let app = spawn_app().with_admin();
    // A story on version 1.
    let form = app.browser().open_form("ouder");
    let fields = story_fields(&form, "ouder", "Een titel", LONG_STORY);
    let teller = app.browser();
    teller.get("/v/jeugdhulp/vertel?rol=ouder");
    let form = teller.open_form("ouder");
    let fields2 = story_fields(&form, "ouder", "Een titel", LONG_STORY);
    assert_eq!(
        teller
            .post("/v/jeugdhulp/vertel", &as_refs(&fields2))
            .status,
        200
    );
    drop(fields);

    let page = app.get("/beheer/p/jeugdhulp/instellingen");
    let csrf = page.hidden("csrf");
    let p = project(&app, "jeugdhulp");
    let mut posted: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
    for (i, role) in p.questionnaire.roles.iter().enumerate() {
        posted.push((format!("rol_key_{i}"), role.key.clone()));
        let label = if role.key == "ouder" {
            "Ik ben ouder, verzorger of pleegouder".to_string()
        } else {
            role.label.clone()
        };
        posted.push((format!("rol_label_{i}"), label));
        posted.push((
            format!("rol_prompt_{i}"),
            role.prompt.clone().unwrap_or_default(),
        ));
        posted.push((
            format!("rol_hint_{i}"),
            role.title_hint.clone().unwrap_or_default(),
        ));
    }
    posted.push(("nieuw_label".into(), "Ik ben grootouder".into()));
    let saved = app.post("/beheer/p/jeugdhulp/rollen", &as_refs(&posted));
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(saved.header("location").unwrap().contains("rollen-versie"));
    let p2 = project(&app, "jeugdhulp");
    assert_eq!(p2.version, p.version + 1);
    assert_eq!(
        p2.questionnaire.roles.len(),
        p.questionnaire.roles.len() + 1
    );
    let landing = app.browser().get("/v/jeugdhulp");
    landing.assert_contains("Ik ben grootouder");
    landing.assert_contains("Ik ben ouder, verzorger of pleegouder");

    // Removing every role is refused and changes nothing.
    let mut none: Vec<(String, String)> = vec![("csrf".into(), csrf)];
    for (i, role) in p2.questionnaire.roles.iter().enumerate() {
        none.push((format!("rol_key_{i}"), role.key.clone()));
        none.push((format!("rol_label_{i}"), role.label.clone()));
        none.push((format!("rol_weg_{i}"), "ja".into()));
    }
    let refused = app.post("/beheer/p/jeugdhulp/rollen", &as_refs(&none));
    assert_eq!(refused.status, 422);
    refused.assert_contains("minstens één rol");
    assert_eq!(project(&app, "jeugdhulp"), p2);
}

#[test]
fn researchers_and_other_projects_cannot_change_settings() {
    let app = spawn_app().with_admin();
    add_second_project(&app);
    let onderzoeker = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let ander = app.user_browser("a@voorbeeld.nl", &[("ander", "begeleider")]);
    let before = project(&app, "jeugdhulp");
    for browser in [&onderzoeker, &ander] {
        assert_eq!(browser.get("/beheer/p/jeugdhulp/instellingen").status, 403);
        let csrf = browser.csrf("/beheer");
        let fields = settings_fields(&csrf);
        let page = post_fields(browser, "/beheer/p/jeugdhulp/instellingen", &fields);
        assert_eq!(page.status, 403);
        page.assert_contains("Dit mag niet");
        assert_eq!(
            browser
                .post("/beheer/p/jeugdhulp/sluiten", &[("csrf", &csrf)])
                .status,
            403
        );
    }
    // The researcher may read the project overview, but is offered no edit links.
    let overview = onderzoeker.get("/beheer/p/jeugdhulp");
    assert_eq!(overview.status, 200);
    assert!(!overview.body.contains("/instellingen"));
    assert_eq!(project(&app, "jeugdhulp"), before);
}

#[test]
fn a_post_without_a_valid_csrf_token_changes_nothing() {
    let app = spawn_app().with_admin();
    let before = project(&app, "jeugdhulp");
    let page = post_fields(
        &app,
        "/beheer/p/jeugdhulp/instellingen",
        &settings_fields("vals"),
    );
    assert_eq!(page.status, 403);
    page.assert_contains("Het formulier is verlopen");
    assert_eq!(app.post("/beheer/p/jeugdhulp/sluiten", &[]).status, 403);
    assert_eq!(project(&app, "jeugdhulp"), before);
}

#[test]
fn the_audit_log_shows_who_did_what_and_filters() {
    let app = spawn_app().with_admin();
    app.browser().login(ADMIN_EMAIL, "verkeerd wachtwoord");
    let csrf = app.csrf("/beheer/p/jeugdhulp/instellingen");
    app.post("/beheer/p/jeugdhulp/sluiten", &[("csrf", &csrf)]);
    let log = app.get("/beheer/logboek");
    assert_eq!(log.status, 200, "{}", log.body);
    for text in [
        "Eerste beheerder aangemaakt",
        "Ingelogd",
        "Inloggen mislukt",
        "Vertelpunt gesloten",
    ] {
        log.assert_contains(text);
    }
    // Rows carry their action key (the filter's options list every description).
    let closed = app.get("/beheer/logboek?actie=project.close");
    closed.assert_contains("title=\"project.close\"");
    assert!(!closed.body.contains("title=\"login.failed\""));
    let logins = app.get("/beheer/logboek?actie=login.");
    logins.assert_contains("title=\"login.failed\"");
    assert!(!logins.body.contains("title=\"project.close\""));
    let future = app.get("/beheer/logboek?van=2999-01-01");
    future.assert_contains("Geen regels gevonden");
    let bad = app.get("/beheer/logboek?van=gisteren");
    assert_eq!(bad.status, 422);
    bad.assert_contains("De datum bij");
    // The log never holds passwords.
    assert!(!log.body.contains("verkeerd wachtwoord"));
    assert!(!log.body.contains(PASSWORD));
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    assert_eq!(begeleider.get("/beheer/logboek").status, 403);
}

#[test]
fn every_response_carries_the_security_headers_and_hsts_behind_https() {
    let app = spawn_app();
    for path in ["/", "/beheer/inloggen", "/bestaat-niet"] {
        let page = app.get(path);
        let csp = page.header("content-security-policy").expect("csp");
        assert!(csp.contains("default-src 'self'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(page.header("referrer-policy"), Some("same-origin"));
        assert_eq!(page.header("strict-transport-security"), None);
    }
    let https = spawn_app_with(|c| {
        c.public_url = "https://vertelpunt.example".into();
        c.secure_cookies = true;
    });
    let page = https.get("/beheer/inloggen");
    assert!(page
        .header("strict-transport-security")
        .unwrap()
        .contains("max-age="));
    let cookie = page
        .headers
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("__Host-vp_csrf="))
        .map(|(_, v)| v.clone())
        .unwrap();
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
}

/// The project page shows the vertelpunt's link with a QR code, and offers the code as a file
/// to print; only to people with rights in the project.
#[test]
fn the_project_page_shows_the_link_and_its_qr_code_to_print() {
    let app = spawn_app().with_admin();
    add_second_project(&app);
    let begeleider = app.user_browser("q@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let page = begeleider.get("/beheer/p/jeugdhulp");
    assert_eq!(page.status, 200);
    let link = format!("{}/v/jeugdhulp", app.config.base_url());
    let shown = escape(&link);
    page.assert_contains(&format!("<a href=\"{shown}\">{shown}</a>"));
    page.assert_contains("role=\"img\" aria-labelledby=\"qr-title\"");
    page.assert_contains(&format!("QR-code met de link {link}</title>"));

    let file = begeleider.get("/beheer/p/jeugdhulp/qr.svg");
    assert_eq!(file.status, 200);
    assert_eq!(
        file.header("content-type"),
        Some("image/svg+xml; charset=utf-8")
    );
    assert_eq!(
        file.header("content-disposition"),
        Some("attachment; filename=\"vertelpunt-jeugdhulp-qr.svg\"")
    );
    assert_eq!(file.header("cache-control"), Some("no-store"));
    // The same drawing as on the page.
    let drawing = &file.body[file.body.find(" d=\"").expect("path")..];
    assert!(
        page.body.contains(drawing),
        "the page shows the file's code"
    );

    // No rights in the other project: nothing about it.
    let other = begeleider.get("/beheer/p/ander/qr.svg");
    assert_eq!(other.status, 403);
    assert!(!other.body.contains("/v/ander"));
    assert_eq!(begeleider.get("/beheer/p/bestaat-niet/qr.svg").status, 403);
}
