//! The research API: personal tokens on the account page, paged anonymised stories, scopes,
//! revocation, refusals in the audit log, and the OpenAPI description.

use crate::helpers::*;
use serde_json::Value;
use vertelpunt::service::transfer;

/// Twelve generated stories, one of them with a name and a phone number in its text.
fn stories_csv() -> String {
    let mut csv = String::from("id,created_at,role,title,text,gehoord,gemeente\r\n");
    for i in 0..12 {
        csv.push_str(&format!(
            "s-{i:02},2026-02-{:02}T12:00:00Z,ouder,Verhaal {i},\"Juf Annemiek belde 0612345678 over ons.\",{},nijmegen\r\n",
            i + 1,
            i * 5
        ));
    }
    csv
}

/// An app with stories, and a signed-in onderzoeker of jeugdhulp.
pub fn setup() -> (TestApp, Browser) {
    let app = spawn_app().with_admin();
    transfer::import_csv(&app.database(), "jeugdhulp", stories_csv().as_bytes()).expect("import");
    let researcher = app.user_browser("onderzoek@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    (app, researcher)
}

/// Creates a token on the account page and returns it as shown there.
pub fn create_token(browser: &Browser, name: &str, projects: &[&str]) -> String {
    let csrf = browser.csrf("/beheer/account");
    let mut form = vec![("csrf", csrf.as_str()), ("naam", name)];
    form.extend(projects.iter().map(|p| ("project", *p)));
    let page = browser.post("/beheer/account/sleutels", &form);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("je ziet hem maar één keer");
    let at = page.body.find("value=\"vp_").expect("token on the page") + "value=\"".len();
    let end = page.body[at..].find('"').expect("end of token") + at;
    page.body[at..end].to_string()
}

/// A GET with a token; returns status and JSON body.
pub fn api(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = app.client.get(format!("{}{path}", app.base));
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response = request.call().expect("GET");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| {
            panic!(
                "JSON from {path} ({status}, token {token:?}): {}",
                &text[..80.min(text.len())]
            )
        }),
    )
}

#[test]
fn a_token_reads_anonymised_stories_page_by_page() {
    let (app, researcher) = setup();
    let token = create_token(&researcher, "analyse najaar", &["jeugdhulp"]);
    assert!(token.starts_with("vp_"));
    // The token is stored only as a hash.
    let page = researcher.get("/beheer/account");
    page.assert_contains("analyse najaar");
    page.assert_contains("nog niet");
    assert!(!page.body.contains(&token));

    let (status, projects) = api(&app, "/api/v1/projecten", Some(&token));
    assert_eq!(status, 200, "{projects}");
    assert_eq!(projects["projecten"][0]["slug"], "jeugdhulp");
    assert_eq!(projects["projecten"][0]["k"], 5);

    let (status, first) = api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?per_pagina=5",
        Some(&token),
    );
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["totaal"], 12);
    assert_eq!(first["paginas"], 3);
    let stories = first["verhalen"].as_array().expect("stories");
    assert_eq!(stories.len(), 5);
    // A pseudonym, not the story's own id (tests/app/small_selections.rs).
    let id = stories[0]["id"].as_str().expect("id");
    assert!(id.starts_with("v-") && id != "s-00", "{id}");
    assert_eq!(stories[0]["text"], "Juf [naam] belde [telefoon] over ons.");
    assert_eq!(stories[0]["answers"]["gemeente"], "nijmegen");

    let (_, last) = api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?per_pagina=5&pagina=3&a=gemeente:nijmegen",
        Some(&token),
    );
    let titles: Vec<&str> = last["verhalen"]
        .as_array()
        .expect("stories")
        .iter()
        .filter_map(|s| s["title"].as_str())
        .collect();
    assert_eq!(titles, vec!["Verhaal 10", "Verhaal 11"]);
    assert!(!last.to_string().contains("Annemiek"));

    // Every page is in the log, with the token's owner.
    let exports = audit_details(&app, "export");
    assert_eq!(exports.len(), 2, "{exports:?}");
    assert!(exports
        .iter()
        .any(|d| d.contains("JSON via de API, 12 verhalen, filter: gemeente=nijmegen, pagina 3")));
    researcher.get("/beheer/account").assert_contains(
        &vertelpunt::exchange::timestamp::format_utc(vertelpunt::exchange::timestamp::now_unix())
            [..10],
    );
}

#[test]
fn tokens_are_refused_when_missing_unknown_revoked_or_out_of_scope() {
    let (app, researcher) = setup();
    let (status, body) = api(&app, "/api/v1/projecten", None);
    assert_eq!(status, 401);
    assert!(body["fout"].as_str().unwrap_or("").contains("API-sleutel"));
    let (status, _) = api(&app, "/api/v1/projecten", Some("vp_bestaatniet_geheim"));
    assert_eq!(status, 401);

    let token = create_token(&researcher, "script", &["jeugdhulp"]);
    // A tampered secret is not the token.
    let (status, _) = api(&app, "/api/v1/projecten", Some(&format!("{token}x")));
    assert_eq!(status, 401);

    // Another project, even one that exists, is outside this token.
    crate::accounts::add_second_project(&app);
    let (status, body) = api(&app, "/api/v1/projecten/ander/verhalen", Some(&token));
    assert_eq!(status, 403, "{body}");
    assert!(audit_details(&app, "export.refused")
        .iter()
        .any(|d| d.contains("project valt buiten de API-sleutel")));

    // Wrong paging is a clear message.
    let (status, body) = api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?per_pagina=5000",
        Some(&token),
    );
    assert_eq!(status, 400);
    assert!(body["fout"].as_str().unwrap_or("").contains("per_pagina"));
    let (status, body) = api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?a=kapot",
        Some(&token),
    );
    assert_eq!(status, 400, "{body}");

    // Revoked: refused, and logged.
    let page = researcher.get("/beheer/account");
    let at = page
        .body
        .find("/beheer/account/sleutels/")
        .expect("revoke form")
        + "/beheer/account/sleutels/".len();
    let id = &page.body[at..at + page.body[at..].find('/').expect("id end")];
    let revoked = researcher.post(
        &format!("/beheer/account/sleutels/{id}/intrekken"),
        &[("csrf", &page.hidden("csrf"))],
    );
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    researcher
        .get("/beheer/account")
        .assert_contains("Ingetrokken op");
    let (status, body) = api(&app, "/api/v1/projecten/jeugdhulp/verhalen", Some(&token));
    assert_eq!(status, 401);
    assert_eq!(body["fout"], "deze API-sleutel is ingetrokken");
    assert!(audit_details(&app, "export.refused")
        .iter()
        .any(|d| d.contains("ingetrokken")));
    assert_eq!(audit_details(&app, "token.revoke").len(), 1);
}

#[test]
fn a_token_never_gives_more_than_its_owner_has_now() {
    let (app, researcher) = setup();
    // No right to export elsewhere: no token for it, and the typed name stays.
    crate::accounts::add_second_project(&app);
    let csrf = researcher.csrf("/beheer/account");
    let page = researcher.post(
        "/beheer/account/sleutels",
        &[("csrf", &csrf), ("naam", "te veel"), ("project", "ander")],
    );
    assert_eq!(page.status, 422);
    page.assert_contains("Je mag niet exporteren in project ander.");
    page.assert_contains("value=\"te veel\"");
    let page = researcher.post(
        "/beheer/account/sleutels",
        &[("csrf", &csrf), ("naam", ""), ("project", "jeugdhulp")],
    );
    assert_eq!(page.status, 422);
    page.assert_contains("Geef de sleutel een naam");

    let token = create_token(&researcher, "script", &["jeugdhulp"]);
    assert_eq!(
        api(&app, "/api/v1/projecten/jeugdhulp/verhalen", Some(&token)).0,
        200
    );
    // The owner loses the role: the token loses the project.
    let db = app.database();
    let user = {
        let mut conn = db.conn().expect("connection");
        vertelpunt::store::accounts::find_user_by_email(&mut conn, "onderzoek@voorbeeld.nl")
            .expect("query")
            .expect("user")
    };
    db.write_sync(|conn| {
        vertelpunt::store::accounts::replace_roles(conn, &user.id, &Default::default())
    })
    .expect("roles");
    assert_eq!(
        api(&app, "/api/v1/projecten/jeugdhulp/verhalen", Some(&token)).0,
        403
    );
    let (_, projects) = api(&app, "/api/v1/projecten", Some(&token));
    assert_eq!(projects["projecten"].as_array().map(Vec::len), Some(0));
}

#[test]
fn the_api_is_described_in_openapi_and_in_words() {
    let app = spawn_app();
    let (status, spec) = api(&app, "/api/v1/openapi.json", None);
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.0.3");
    for path in ["/projecten", "/projecten/{project}/verhalen"] {
        assert!(spec["paths"][path]["get"].is_object(), "{path} described");
    }
    let docs = app.get("/api/v1/docs");
    assert_eq!(docs.status, 200);
    docs.assert_contains("Authorization: Bearer vp_");
    docs.assert_contains("/api/v1/openapi.json");
}

/// Tells a story through the form as a parent and returns its withdrawal code.
fn tell(app: &TestApp, title: &str) -> String {
    let form = app.open_form("ouder");
    let fields = story_fields(&form, "ouder", title, LONG_STORY);
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    withdrawal_code(&thanks)
}

fn ids(page: &Value) -> Vec<String> {
    page["verhalen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

/// The pages of one query hold the stories as at its first page: stories told in between do
/// not shift them; a withdrawal ends the snapshot with the reason; a token from another query
/// is refused.
#[test]
fn a_snapshot_keeps_the_pages_of_one_query_still() {
    let (app, researcher) = setup();
    let token = create_token(&researcher, "momentopname", &["jeugdhulp"]);
    let code = tell(&app, "Later ingetrokken");
    let (status, all) = api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?per_pagina=500",
        Some(&token),
    );
    assert_eq!(status, 200, "{all}");
    let everything = ids(&all);
    assert_eq!(everything.len(), 13);

    let (status, first) = api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?per_pagina=5",
        Some(&token),
    );
    assert_eq!(status, 200, "{first}");
    let snapshot = first["momentopname"].as_str().unwrap().to_string();
    assert!(first["momentopname_van"].as_str().unwrap().ends_with('Z'));
    // New stories arrive in a later second than the first page.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for i in 0..3 {
        tell(&app, &format!("Tussendoor {i}"));
    }
    // A begeleider marks a story of the snapshot as reviewed: the staff workflow changed, the
    // data the API gives did not, so the snapshot goes on.
    let reviewed_one = everything[7].clone();
    app.database()
        .write_sync(|conn| {
            vertelpunt::store::stories::mark_reviewed(
                conn,
                &reviewed_one,
                vertelpunt::exchange::timestamp::now_unix(),
            )
        })
        .unwrap();
    let mut paged = ids(&first);
    for page in [2, 3] {
        let (status, next) = api(
            &app,
            &format!("/api/v1/projecten/jeugdhulp/verhalen?per_pagina=5&pagina={page}&momentopname={snapshot}"),
            Some(&token),
        );
        assert_eq!(status, 200, "{next}");
        assert_eq!(next["totaal"], 13);
        assert_eq!(next["paginas"], 3);
        assert_eq!(next["momentopname"], snapshot.as_str());
        assert_eq!(next["beschermd"], first["beschermd"]);
        paged.extend(ids(&next));
    }
    // The three pages are the stories of the first page's moment, each once, in order.
    assert_eq!(paged, everything);
    // Without the snapshot the new stories are there, and the pages shift.
    let (_, fresh) = api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?per_pagina=5&pagina=2",
        Some(&token),
    );
    assert_eq!(fresh["totaal"], 16);

    // A token belongs to its query: another filter is refused.
    let (status, refused) = api(
        &app,
        &format!("/api/v1/projecten/jeugdhulp/verhalen?rol=ouder&pagina=2&momentopname={snapshot}"),
        Some(&token),
    );
    assert_eq!(status, 400, "{refused}");
    assert!(refused["fout"].as_str().unwrap().contains("andere vraag"));
    let (status, _) = api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?pagina=2&momentopname=vals.teken",
        Some(&token),
    );
    assert_eq!(status, 400);

    // A withdrawal takes effect at once: the snapshot ends, with the reason.
    let form = app.get("/v/jeugdhulp/intrekken");
    let confirm = app.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &form.hidden("csrf")), ("code", &code)],
    );
    let done = app.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[
            ("csrf", &confirm.hidden("csrf")),
            ("code", &confirm.hidden("code")),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    let (status, ended) = api(
        &app,
        &format!(
            "/api/v1/projecten/jeugdhulp/verhalen?per_pagina=5&pagina=3&momentopname={snapshot}"
        ),
        Some(&token),
    );
    assert_eq!(status, 409, "{ended}");
    assert!(ended["fout"]
        .as_str()
        .unwrap()
        .contains("begin opnieuw bij pagina 1"));
    // Starting again gives the stories as they are now.
    let (status, again) = api(
        &app,
        "/api/v1/projecten/jeugdhulp/verhalen?per_pagina=5",
        Some(&token),
    );
    assert_eq!(status, 200);
    assert_eq!(again["totaal"], 15);
}
