//! Snapshot tests: whole pages, a mail and documents compared with the reviewed copies in
//! `tests/app/snapshots/`, where matching a few fragments would say too little. Only stable
//! content: anything random or dated (form tokens, codes, ids, dates, the server's port) is
//! replaced by a placeholder first, so the same files hold on SQLite and PostgreSQL.
//!
//! After an intended change, `INSTA_UPDATE=always cargo test --test app snapshots` writes the
//! new copies (or `cargo insta review` with cargo-insta); review the diff before committing.
//! A mismatch fails the test, and in CI (`CI=true`) nothing is written.

use crate::helpers::*;
use serde_json::Value;

/// Placeholders for what differs between runs, as (regular expression, replacement).
const FILTERS: &[(&str, &str)] = &[
    // The server listens on a free port.
    (r"http://127\.0\.0\.1:\d+", "[server]"),
    // Form tokens, idempotency keys, the signed token for a next story and the response
    // monitor's signed measure (it holds the moment the form was opened).
    (
        r#"name="(csrf|sleutel|vervolg|meting)" value="[^"]*""#,
        r#"name="$1" value="[$1]""#,
    ),
    // Account ids. No `\b` after the id: it may end in `-`, and `-` before `<` is no word
    // boundary.
    (r"\bu-[A-Za-z0-9_-]{24}", "[user-id]"),
    // Story pseudonyms in research output: new in every export.
    (r"\bv-[0-9a-f]{16}\b", "[pseudoniem]"),
    // Dates and times, in the forms the pages, mails and documents use.
    (r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?Z?)?", "[date]"),
    (r"\b\d{1,2}-\d{1,2}-\d{4}( \d{2}:\d{2})?", "[date]"),
];

/// Runs `check` with [`FILTERS`] and the snapshots in `tests/app/snapshots/`.
fn with_filters(check: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    for (pattern, replacement) in FILTERS {
        settings.add_filter(pattern, *replacement);
    }
    settings.bind(check);
}

/// The content of the page's `<main>` element: what the page says, without the frame every
/// page shares.
fn main_of(page: &Page) -> String {
    let start = page.body.find("<main").expect("a <main> element");
    let open_end = page.body[start..].find('>').expect("end of <main>") + start + 1;
    let end = page.body.rfind("</main>").expect("</main>");
    page.body[open_end..end].trim().to_string()
}

#[test]
fn the_story_form() {
    let app = spawn_app();
    let form = app.open_form("jongere");
    with_filters(|| insta::assert_snapshot!("story_form", main_of(&form)));
}

#[test]
fn the_thank_you_page_after_a_story() {
    let app = spawn_app();
    let form = app.open_form("ouder");
    let fields = story_fields(&form, "ouder", "Eindelijk gehoord", LONG_STORY);
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let code = withdrawal_code(&thanks);
    let main = main_of(&thanks).replace(&code, "[intrekcode]");
    with_filters(|| insta::assert_snapshot!("thank_you", main));
}

#[test]
fn the_not_found_page() {
    let app = spawn_app();
    let page = app.get("/bestaat-niet");
    assert_eq!(page.status, 404);
    with_filters(|| insta::assert_snapshot!("not_found", main_of(&page)));
}

#[test]
fn the_audit_log_of_a_new_installation() {
    let app = spawn_app().with_admin();
    app.create_user("begeleider@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let page = app.get("/beheer/logboek");
    assert_eq!(page.status, 200, "{}", page.body);
    with_filters(|| insta::assert_snapshot!("audit_log", main_of(&page)));
}

#[test]
fn the_invitation_mail() {
    let app = spawn_app().with_admin();
    assert_eq!(
        app.invite(
            "Fatima",
            "fatima@voorbeeld.nl",
            &[("jeugdhulp", "begeleider")]
        )
        .status,
        303
    );
    let folder = app.config.mail.folder.clone();
    let file = wait_until("an .eml file", || {
        std::fs::read_dir(&folder)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "eml"))
    });
    // The file is complete once the row is marked sent.
    wait_until("the mail marked sent", || {
        app.outbox()
            .iter()
            .any(|m| m.recipient == "fatima@voorbeeld.nl" && m.sent_at.is_some())
            .then_some(())
    });
    let mail = ReceivedMail::parse(&std::fs::read(&file).expect("the .eml file"), vec![]);
    let link = mail.link_path();
    let token = link.rsplit('/').next().expect("the link's token");
    let shown = format!(
        "From: {}\nTo: {}\nSubject: {}\nContent-Type: {}\n\n--- text/plain ---\n{}\n--- text/html ---\n{}\n",
        mail.from,
        mail.to,
        mail.subject,
        mail.content_type,
        mail.text.trim_end(),
        mail.html.trim_end(),
    )
    .replace(token, "[token]");
    with_filters(|| insta::assert_snapshot!("invitation_mail", shown));
}

#[test]
fn the_mail_to_a_new_owner_of_a_proposal() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|c| sink.configure(c)).with_admin();
    let id = crate::sensemaking_proposals::proposal_with_owner(&app, "femke@voorbeeld.nl");
    let mail = sink.wait_for_mail_to("femke@voorbeeld.nl");
    let link = crate::sensemaking_proposals::owner_path(&mail);
    let token = link.rsplit('/').next().expect("the link's token");
    let shown = format!(
        "From: {}\nTo: {}\nSubject: {}\nContent-Type: {}\n\n--- text/plain ---\n{}\n--- text/html ---\n{}\n",
        mail.from,
        mail.to,
        mail.subject,
        mail.content_type,
        mail.text.trim_end(),
        mail.html.trim_end(),
    )
    .replace(token, "[token]")
    .replace(&id, "[voorstel]");
    with_filters(|| insta::assert_snapshot!("owner_named_mail", shown));
}

#[test]
fn the_openapi_document() {
    let app = spawn_app();
    let page = app.get("/api/v1/openapi.json");
    assert_eq!(page.status, 200, "{}", page.body);
    let spec: Value = serde_json::from_str(&page.body).expect("JSON");
    with_filters(|| insta::assert_json_snapshot!("openapi", spec));
}

#[test]
fn a_page_of_stories_from_the_api() {
    let (app, researcher) = crate::api::setup();
    let token = crate::api::create_token(&researcher, "snapshot", &["jeugdhulp"]);
    let (status, page) = crate::api::api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?per_pagina=2",
        Some(&token),
    );
    assert_eq!(status, 200, "{page}");
    // The snapshot token and its moment change with every run.
    let mut page = page;
    assert!(page["momentopname"]
        .as_str()
        .is_some_and(|t| t.contains('.')));
    page["momentopname"] = Value::from("[momentopname]");
    page["momentopname_van"] = Value::from("[tijd]");
    with_filters(|| insta::assert_json_snapshot!("api_stories", page));
}

#[test]
fn the_research_export_as_json() {
    let app = crate::export::app_with_stories();
    let (status, _, body) = crate::export::download(&app, "", "json");
    assert_eq!(status, 200);
    let export: Value = serde_json::from_slice(&body).expect("valid JSON");
    with_filters(|| insta::assert_json_snapshot!("research_export", export));
}

#[test]
fn the_text_of_an_observation_card() {
    let (_app, begeleider, onderzoeker) = crate::observations::setup();
    let path = crate::observations::from_pattern(&begeleider);
    let csrf = begeleider.csrf(&path);
    let saved = begeleider.post(
        &path,
        &[
            ("csrf", &csrf),
            ("titel", "Jongeren voelen zich minder gehoord"),
            (
                "beschrijving",
                "Jongeren schuiven de schuif vaker naar links dan ouders.",
            ),
            ("duiding_a", "Hulpverleners praten vooral met ouders."),
            ("duiding_b", "Jongeren verwachten meer dan er kan."),
            ("thema", "Regie"),
            ("status", "klaar"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (status, _, card) = onderzoeker.get_bytes(&format!("{path}/kaart.pdf"));
    assert_eq!(status, 200);
    let Some(text) = crate::observations::pdf_text(&card) else {
        return;
    };
    let id = path.rsplit('/').next().expect("the card's id");
    let text = text.replace(id, "[OB-id]");
    with_filters(|| insta::assert_snapshot!("observation_card", text));
}
