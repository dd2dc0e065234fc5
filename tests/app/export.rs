//! The research export: formats, anonymisation, small-cell protection, rights and the audit
//! log, on the page, from the command line and in the figures onderzoekers see.

use crate::cli::vertelpunt;
use crate::helpers::*;
use std::collections::HashMap;
use vertelpunt::service::transfer;

/// Generated stories: six young people from Nijmegen aged 12–15, five parents from Wijchen,
/// and one young person from Mook, 16–17 — the one who could be recognised.
fn fixture_csv() -> String {
    let mut csv = String::from("id,created_at,role,title,text,gehoord,gemeente,leeftijd\r\n");
    for i in 0..6 {
        csv.push_str(&format!(
            "j-{i},2026-03-0{}T10:15:00Z,jongere,Wachten {i},\"Mijn zoon Daan belde 06-12345678 en mailde jan{i}@voorbeeld.nl, daarna werd het beter.\",{},nijmegen,jaar_12_15\r\n",
            i + 1,
            40 + i
        ));
    }
    for i in 0..5 {
        csv.push_str(&format!(
            "o-{i},2026-04-0{}T09:00:00Z,ouder,Gesprek {i},Het wijkteam luisterde naar ons.,{},wijchen,\r\n",
            i + 1,
            60 + i
        ));
    }
    csv.push_str(
        "m-1,2026-05-01T08:00:00Z,jongere,Alleen,Ik was de enige op mijn school met hulp.,10,mook_en_middelaar,jaar_16_17\r\n",
    );
    csv
}

pub fn app_with_stories() -> TestApp {
    let app = spawn_app().with_admin();
    let n = transfer::import_csv(&app.database(), "jeugdhulp", fixture_csv().as_bytes())
        .expect("import fixture");
    assert_eq!(n, 12);
    app
}

/// Posts the export form and returns status, headers and body bytes.
pub fn download(
    browser: &Browser,
    query: &str,
    format: &str,
) -> (u16, HashMap<String, String>, Vec<u8>) {
    download_from(browser, "jeugdhulp", query, format)
}

/// Posts the export form of `project` and returns status, headers and body bytes.
pub fn download_from(
    browser: &Browser,
    project: &str,
    query: &str,
    format: &str,
) -> (u16, HashMap<String, String>, Vec<u8>) {
    download_with(browser, project, query, &[("formaat", format)])
}

/// Posts the export form of `project` with these fields (besides the CSRF token).
fn download_with(
    browser: &Browser,
    project: &str,
    query: &str,
    fields: &[(&str, &str)],
) -> (u16, HashMap<String, String>, Vec<u8>) {
    let csrf = browser.csrf(&format!("/beheer/p/{project}/export"));
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let mut response = browser
        .client
        .post(format!("{}/beheer/p/{project}/export{query}", browser.base))
        .send_form(form)
        .expect("POST");
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(50 * 1024 * 1024)
        .read_to_vec()
        .unwrap_or_default();
    (response.status().as_u16(), headers, bytes)
}

pub fn rows(csv_bytes: &[u8]) -> Vec<HashMap<String, String>> {
    rows_split_by(csv_bytes, b',')
}

/// [`rows`] of a CSV with another separator.
fn rows_split_by(csv_bytes: &[u8], separator: u8) -> Vec<HashMap<String, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .from_reader(csv_bytes);
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Every row that still shows identifying answers is resembled by at least `k` rows: rows with
/// the same value in each column where it shows one (a suppressed value, empty with the status
/// `afgeschermd`, hides the column).
fn assert_k_anonymous(rows: &[HashMap<String, String>], k: usize) {
    const COLUMNS: [&str; 5] = ["role", "gemeente", "leeftijd", "leeftijd_kind", "werk"];
    let value = |row: &HashMap<String, String>, c: &str| row.get(c).cloned().unwrap_or_default();
    for row in rows {
        let shown: Vec<&str> = COLUMNS
            .iter()
            .copied()
            .filter(|c| value(row, &format!("{c}_ontbreekt")) != "afgeschermd")
            .collect();
        if shown.is_empty() {
            continue;
        }
        let alike = rows
            .iter()
            .filter(|other| shown.iter().all(|c| value(other, c) == value(row, c)))
            .count();
        assert!(alike >= k, "row {} is like only {alike} rows", row["id"]);
    }
}

#[test]
fn the_export_page_says_what_protection_will_change() {
    let app = app_with_stories();
    let page = app.get("/beheer/p/jeugdhulp/export");
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("<strong>12</strong> verhalen");
    page.assert_contains("samengevoegd tot een groep");
    page.assert_contains("Download 12 verhalen");
    // The filters of the dashboard work here too.
    let page = app.get("/beheer/p/jeugdhulp/export?rol=ouder");
    page.assert_contains("<strong>5</strong> verhalen");
    page.assert_contains("Er hoeven geen antwoorden over de verteller aangepast te worden.");
}

#[test]
fn csv_export_is_anonymised_protected_and_logged() {
    let app = app_with_stories();
    let (status, headers, body) = download(&app, "", "csv");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(headers["content-type"].starts_with("text/csv"));
    assert!(headers["content-disposition"].contains("jeugdhulp-verhalen-"));
    let text = String::from_utf8(body.clone()).expect("utf-8");
    assert!(
        text.starts_with("id,created_at,role,role_ontbreekt,title,text,text_ontbreekt,gehoord,")
    );
    assert!(text.contains(
        ",questionnaire_version,is_complete,consent_quotes,protected_values,redactions\r\n"
    ));
    for personal in ["Daan", "06-12345678", "@voorbeeld.nl"] {
        assert!(!text.contains(personal), "{personal} leaked");
    }
    let rows = rows(&body);
    assert_eq!(rows.len(), 12);
    let first = rows
        .iter()
        .find(|r| r["title"] == "Wachten 0")
        .expect("j-0");
    assert_eq!(
        first["text"],
        "Mijn zoon [naam] belde [telefoon] en mailde [e-mail], daarna werd het beter."
    );
    assert_eq!(first["redactions"], "3");
    // Only the day of telling, as a date.
    assert_eq!(first["created_at"], "2026-03-01");
    // A parent was not asked the young people's age group; the young person answered it.
    let parent = rows
        .iter()
        .find(|r| r["role"] == "ouder")
        .expect("a parent");
    assert_eq!(parent["leeftijd"], "");
    assert_eq!(parent["leeftijd_ontbreekt"], "niet_gevraagd");
    assert_eq!(first["leeftijd_ontbreekt"], "");
    // The one young person from Mook is no longer recognisable; the others keep their values.
    let alone = rows.iter().find(|r| r["title"] == "Alleen").expect("m-1");
    assert_ne!(alone["gemeente"], "mook_en_middelaar");
    assert_ne!(alone["protected_values"], "0");
    assert_eq!(first["gemeente"], "nijmegen");
    assert_k_anonymous(&rows, 5);

    let logged = audit_details(&app, "export");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(logged[0].contains("CSV via het web, 12 verhalen, filter: alle verhalen"));
}

#[test]
fn json_and_xlsx_exports_carry_the_same_stories() {
    let app = app_with_stories();
    let (status, headers, body) = download(&app, "?rol=jongere", "json");
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/json");
    let value: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
    assert_eq!(value["format"], "vertelpunt-onderzoek-1");
    assert_eq!(value["filter"], "rol=jongere");
    let stories = value["stories"].as_array().expect("stories");
    assert_eq!(stories.len(), 7);
    assert_eq!(value["summary"]["stories"], 7);
    assert!(stories.iter().all(|s| s["role"] == "jongere"));
    assert_eq!(
        stories[0]["answers"]["gehoord"].as_i64(),
        Some(40),
        "{}",
        stories[0]
    );
    assert!(!String::from_utf8_lossy(&body).contains("Daan"));
    // Questions without an answer are listed with the reason, never as an answer.
    let missing = &stories[0]["ontbreekt"];
    assert_eq!(missing["gevoel"], "niet_beantwoord", "{missing}");
    assert_eq!(missing["werk"], "niet_gevraagd", "{missing}");
    assert!(missing.get("gehoord").is_none());
    assert!(stories[0]["answers"].get("gevoel").is_none());

    let (status, headers, body) = download(&app, "", "xlsx");
    assert_eq!(status, 200);
    assert!(headers["content-type"].contains("spreadsheetml"));
    assert_eq!(&body[..2], b"PK", "a zip file");
    assert!(body.len() > 4000);

    let logged = audit_details(&app, "export");
    assert_eq!(logged.len(), 2);
    assert!(logged
        .iter()
        .any(|d| d.contains("JSON via het web, 7 verhalen, filter: rol=jongere")));
    assert!(logged
        .iter()
        .any(|d| d.contains("XLSX via het web, 12 verhalen")));
}

#[test]
fn export_is_refused_and_logged_without_the_right() {
    let app = app_with_stories();
    let other = app.user_browser("ander@voorbeeld.nl", &[]);
    assert_eq!(other.get("/beheer/p/jeugdhulp/export").status, 403);
    let refused = audit_details(&app, "export.refused");
    assert_eq!(refused.len(), 1);
    assert!(refused[0].contains("geweigerd via het web"));

    // An onderzoeker may export.
    let researcher = app.user_browser("onderzoek@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    assert_eq!(researcher.get("/beheer/p/jeugdhulp/export").status, 200);
    let (status, _, body) = download(&researcher, "", "csv");
    assert_eq!(status, 200);
    assert_eq!(rows(&body).len(), 12);

    // Without the form's token nothing is exported.
    let page = researcher.post("/beheer/p/jeugdhulp/export", &[("formaat", "csv")]);
    assert_ne!(page.status, 200);
    // An unknown format keeps the page, with its filters.
    let (status, _, body) = download(&researcher, "?rol=ouder", "pdf");
    assert_eq!(status, 422);
    assert!(String::from_utf8_lossy(&body).contains("<strong>5</strong> verhalen"));
    assert_eq!(audit_details(&app, "export").len(), 1);
}

#[test]
fn withdrawn_and_hidden_stories_never_leave() {
    let app = app_with_stories();
    // A story told online, then withdrawn.
    let form = app.open_form("ouder");
    let fields = story_fields(&form, "ouder", "Ingetrokken verhaal", LONG_STORY);
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let code = withdrawal_code(&thanks);
    let (_, _, body) = download(&app, "", "csv");
    assert_eq!(rows(&body).len(), 13);
    assert!(String::from_utf8_lossy(&body).contains("Ingetrokken verhaal"));

    let withdraw = app.browser();
    let form = withdraw.get("/v/jeugdhulp/intrekken");
    let confirm = withdraw.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &form.hidden("csrf")), ("code", &code)],
    );
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let done = withdraw.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[
            ("csrf", &confirm.hidden("csrf")),
            ("code", &confirm.hidden("code")),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);

    // A story a begeleider hid.
    let db = app.database();
    db.write_sync(|conn| vertelpunt::store::stories::hide(conn, "o-0", "test", 1))
        .expect("hide");

    let (_, _, body) = download(&app, "", "csv");
    let text = String::from_utf8_lossy(&body).to_string();
    assert!(
        !text.contains("Ingetrokken verhaal"),
        "withdrawn story exported"
    );
    let rows = rows(&body);
    assert_eq!(rows.len(), 11);
    assert!(
        !rows.iter().any(|r| r["title"] == "Gesprek 0"),
        "hidden story exported"
    );
}

#[test]
fn privacy_settings_change_k_and_add_terms() {
    let app = app_with_stories();
    let csrf = app.csrf("/beheer/p/jeugdhulp/privacy");
    // Mistakes keep what was typed and say what to do.
    let page = app.post(
        "/beheer/p/jeugdhulp/privacy",
        &[
            ("csrf", &csrf),
            ("k", "1"),
            ("groepen", "gemeente: heumen, atlantis = zuid"),
            ("termen", "organisatie: Het Wijkteam"),
        ],
    );
    assert_eq!(page.status, 422);
    page.assert_contains("Vul een heel getal in van 2 tot en met 100.");
    page.assert_contains("geen optie &#x27;atlantis&#x27;");
    page.assert_contains("organisatie: Het Wijkteam");

    let page = app.post(
        "/beheer/p/jeugdhulp/privacy",
        &[
            ("csrf", &csrf),
            ("k", "3"),
            ("groepen", ""),
            ("termen", "organisatie: wijkteam"),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let page = app.get("/beheer/p/jeugdhulp/privacy?melding=opgeslagen");
    page.assert_contains("De privacy-instellingen zijn opgeslagen.");
    page.assert_contains("organisatie: wijkteam");

    let (_, _, body) = download(&app, "", "csv");
    let rows = rows(&body);
    let parent = rows
        .iter()
        .find(|r| r["title"] == "Gesprek 0")
        .expect("o-0");
    assert_eq!(parent["text"], "Het [organisatie] luisterde naar ons.");
    // Without groups the lone story from Mook is suppressed, not merged.
    let alone = rows.iter().find(|r| r["title"] == "Alleen").expect("m-1");
    assert_eq!(alone["gemeente"], "");
    assert_eq!(alone["gemeente_ontbreekt"], "afgeschermd");
    assert_k_anonymous(&rows, 3);

    // The general settings page leaves the privacy settings alone.
    let form = app.get("/beheer/p/jeugdhulp/instellingen");
    let saved = app.post(
        "/beheer/p/jeugdhulp/instellingen",
        &[
            ("csrf", &form.hidden("csrf")),
            ("naam", "Vertelpunt Jeugdhulp"),
            ("min_woorden", "25"),
            ("eerste_vragen", "3"),
            ("max_tekens", "20000"),
            ("max_titel", "150"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    app.get("/beheer/p/jeugdhulp/privacy")
        .assert_contains("organisatie: wijkteam");
}

#[test]
fn the_command_line_exports_anonymised_with_filters() {
    let app = app_with_stories();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("uit.json");
    let out = vertelpunt(
        &app.db_url,
        &[
            "stories",
            "export",
            "--project",
            "jeugdhulp",
            "--anonymised",
            "--format",
            "json",
            "--filter",
            "gemeente=nijmegen",
            "--output",
            file.to_str().expect("path"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("file")).expect("JSON");
    assert_eq!(value["stories"].as_array().map(Vec::len), Some(6));
    assert!(!value.to_string().contains("Daan"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("6 verhalen geanonimiseerd"));
    let logged = audit_details(&app, "export");
    assert!(logged[0].contains("JSON via de opdrachtregel, 6 verhalen, filter: gemeente=nijmegen"));

    // An unknown filter is refused with a message, and nothing is written.
    let out = vertelpunt(
        &app.db_url,
        &[
            "stories",
            "export",
            "--project",
            "jeugdhulp",
            "--anonymised",
            "--filter",
            "gemeente=atlantis",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("gemeente=atlantis"));
    assert!(out.stdout.is_empty());

    // The coding and the multichoice layout, as on the export form.
    let base = [
        "stories",
        "export",
        "--project",
        "jeugdhulp",
        "--anonymised",
        "--format",
        "csv",
    ];
    let mut args = base.to_vec();
    args.extend(["--coding", "labels", "--multichoice", "samen"]);
    let out = vertelpunt(&app.db_url, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = rows(&out.stdout);
    assert!(rows.iter().any(|r| r["gemeente"] == "Nijmegen"));
    assert!(rows[0].contains_key("wie_betrokken"));
    let mut args = base.to_vec();
    args.extend(["--coding", "codes"]);
    let out = vertelpunt(&app.db_url, &args);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--coding is sleutels of labels"));
    assert!(out.stdout.is_empty());
}

#[test]
fn the_story_page_previews_the_export_and_takes_new_terms() {
    let app = app_with_stories();
    let page = app.get("/beheer/p/jeugdhulp/verhalen/j-0");
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("Zo gaat dit verhaal de export in");
    page.assert_contains("Mijn zoon <mark>[naam]</mark> belde <mark>[telefoon]</mark>");
    page.assert_contains("Daan</span> → [naam]");

    let path = "/beheer/p/jeugdhulp/verhalen/o-0";
    let csrf = app.csrf(path);
    // A term too short is refused and stays typed.
    let refused = app.post(
        &format!("{path}/term"),
        &[("csrf", &csrf), ("term", "W"), ("soort", "organisatie")],
    );
    assert_eq!(refused.status, 422);
    refused.assert_contains("Een term heeft 2 tot 200 tekens.");
    refused.assert_contains("value=\"W\"");
    let added = app.post(
        &format!("{path}/term"),
        &[
            ("csrf", &csrf),
            ("term", "wijkteam"),
            ("soort", "organisatie"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let page = app.get(&format!("{path}?gedaan=term"));
    page.assert_contains("De term is toegevoegd.");
    page.assert_contains("Het <mark>[organisatie]</mark> luisterde naar ons.");
    let (_, _, body) = download(&app, "", "csv");
    assert!(String::from_utf8_lossy(&body).contains("Het [organisatie] luisterde naar ons."));

    // An onderzoeker sees the preview but cannot change the list.
    let researcher = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let page = researcher.get(path);
    page.assert_contains("Zo gaat dit verhaal de export in");
    assert!(!page.body.contains("Voeg term toe"));
    let csrf = researcher.csrf(path);
    let denied = researcher.post(
        &format!("{path}/term"),
        &[("csrf", &csrf), ("term", "Jansen"), ("soort", "naam")],
    );
    assert_eq!(denied.status, 403);
}

#[test]
fn a_withdrawn_story_leaves_every_view() {
    let app = app_with_stories();
    let title = "Mijn verhaal over de wachtlijst";
    let form = app.open_form("ouder");
    let fields = story_fields(&form, "ouder", title, LONG_STORY);
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let code = withdrawal_code(&thanks);
    let researcher = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let token = crate::api::create_token(&researcher, "script", &["jeugdhulp"]);
    let api_text = || {
        let mut response = app
            .client
            .get(format!(
                "{}/api/v1/projecten/jeugdhulp/verhalen?per_pagina=500",
                app.base
            ))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .expect("GET");
        response.body_mut().read_to_string().unwrap_or_default()
    };
    let escaped = escape(title);

    // Before: everywhere.
    assert!(app
        .get("/beheer/p/jeugdhulp/verkennen")
        .body
        .contains(&escaped));
    app.get("/beheer/p/jeugdhulp/cijfers")
        .assert_contains("<strong>13</strong> verhalen");
    app.get("/beheer/p/jeugdhulp/patronen")
        .assert_contains("13 verhalen");
    assert!(String::from_utf8_lossy(&download(&app, "", "csv").2).contains(title));
    assert!(api_text().contains(title));

    let withdraw = app.browser();
    let form = withdraw.get("/v/jeugdhulp/intrekken");
    let confirm = withdraw.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &form.hidden("csrf")), ("code", &code)],
    );
    let done = withdraw.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[
            ("csrf", &confirm.hidden("csrf")),
            ("code", &confirm.hidden("code")),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);

    // After: nowhere, for staff, researchers and scripts alike.
    for page in [
        "/beheer/p/jeugdhulp/verkennen",
        "/beheer/p/jeugdhulp/verhalen",
        "/beheer/p/jeugdhulp/verhalen?filter=alle",
    ] {
        let body = app.get(page).body;
        assert!(!body.contains(&escaped), "{page} still shows the story");
    }
    app.get("/beheer/p/jeugdhulp/cijfers")
        .assert_contains("<strong>12</strong> verhalen");
    app.get("/beheer/p/jeugdhulp/patronen")
        .assert_contains("12 verhalen");
    assert!(!String::from_utf8_lossy(&download(&app, "", "csv").2).contains(title));
    assert!(!api_text().contains(title));
    // And in the database nothing of the text is left.
    let db = app.database();
    let mut conn = db.conn().expect("connection");
    let counts = vertelpunt::store::stories::counts(&mut conn, "jeugdhulp").expect("counts");
    assert_eq!(counts.withdrawn, 1);
}

/// The export as an SPSS file, read back with pyreadstat (`scripts/sav_check.py`): the same
/// stories, the questions as variable labels, the answers as codes with value labels, a
/// multichoice question as 0/1 variables, and protected values as user-missing -3.
#[test]
fn the_spss_export_carries_labels_codes_and_protected_values() {
    use serde_json::Value;
    let app = app_with_stories();
    let (status, headers, body) = download(&app, "", "sav");
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/x-spss-sav");
    assert!(headers["content-disposition"].contains(".sav\""));
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(&body[..4], b"$FL2");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.sav");
    std::fs::write(&file, &body).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/sav_check.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3 (with pyreadstat: python3 -m pip install pyreadstat)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(read["number_rows"], 12);
    let variables = read["variables"].as_array().unwrap();
    let at = |name: &str| {
        variables
            .iter()
            .position(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {variables:?}"))
    };
    let variable = |name: &str| &variables[at(name)];
    let rows = read["rows"].as_array().unwrap();
    let column = |name: &str| -> Vec<Value> { rows.iter().map(|r| r[at(name)].clone()).collect() };
    let label_of = |name: &str, code: f64| -> Option<String> {
        variable(name)["value_labels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|pair| pair[0].as_f64() == Some(code))
            .map(|pair| pair[1].as_str().unwrap().to_string())
    };

    // The question as label, the poles on 0 and 100, and the values themselves.
    let gehoord = variable("gehoord");
    assert!(gehoord["label"].as_str().unwrap().len() > 10, "{gehoord}");
    assert_eq!(gehoord["measure"], "scale");
    assert!(label_of("gehoord", 0.0).is_some() && label_of("gehoord", 100.0).is_some());
    let mut heard: Vec<i64> = column("gehoord")
        .iter()
        .map(|v| v.as_f64().unwrap() as i64)
        .collect();
    heard.sort_unstable();
    assert_eq!(heard, [10, 40, 41, 42, 43, 44, 45, 60, 61, 62, 63, 64]);

    // Roles as codes with their labels: seven young people, five parents.
    let roles: Vec<String> = column("role")
        .iter()
        .map(|v| label_of("role", v.as_f64().unwrap()).unwrap())
        .collect();
    assert_eq!(roles.iter().filter(|r| **r == roles[0]).count(), 7);
    assert_eq!(variable("role")["measure"], "nominal");

    // The one teller from Mook is protected: -3, declared missing and labelled; the others
    // are coded options with labels.
    let gemeente = column("gemeente");
    let protected = gemeente.iter().filter(|v| v.as_f64() == Some(-3.0)).count();
    let coded = gemeente
        .iter()
        .filter(|v| {
            v.as_f64()
                .is_some_and(|c| c >= 1.0 && label_of("gemeente", c).is_some())
        })
        .count();
    assert_eq!(protected + coded, 12, "{gemeente:?}");
    assert!(protected >= 1, "{gemeente:?}");
    assert_eq!(
        variable("gemeente")["missing_ranges"][0],
        serde_json::json!([-9.0, -1.0])
    );
    assert!(label_of("gemeente", -3.0).unwrap().contains("afgeschermd"));

    // No answer says why: the parents were not asked the young people's age group: -2 "niet
    // gevraagd", a labelled code in the declared missing range.
    let ages = column("leeftijd");
    let not_asked = ages.iter().filter(|v| v.as_f64() == Some(-2.0)).count();
    assert_eq!(not_asked, 5, "{ages:?}");
    assert_eq!(label_of("leeftijd", -2.0).as_deref(), Some("niet gevraagd"));
    assert_eq!(
        label_of("leeftijd", -1.0).as_deref(),
        Some("weet ik niet / past niet")
    );
    assert_eq!(
        label_of("leeftijd", -4.0).as_deref(),
        Some("niet beantwoord")
    );

    // A multichoice question: one 0/1 variable per option, labelled "question: option".
    let flags: Vec<&Value> = variables
        .iter()
        .filter(|v| v["name"].as_str().unwrap().starts_with("wie_betrokken_"))
        .collect();
    assert!(flags.len() >= 2, "{variables:?}");
    assert!(flags
        .iter()
        .all(|v| v["label"].as_str().unwrap().contains(": ")));

    // Texts anonymised as in every export, dates as days.
    assert!(!String::from_utf8_lossy(&output.stdout).contains("Daan"));
    assert!(column("created_at")
        .iter()
        .all(|d| d.as_str().is_some_and(|d| d.starts_with("2026-0"))));
    assert!(audit_details(&app, "export")
        .iter()
        .any(|d| d.contains("SAV via het web, 12 verhalen")));
}

/// The CSV for Dutch Excel holds what the standard CSV holds, with `;` between fields, a byte
/// order mark so that Excel reads UTF-8, and the day as a date.
#[test]
fn the_dutch_excel_csv_has_the_same_stories_with_semicolons_a_bom_and_days() {
    let app = app_with_stories();
    let (status, headers, standard) = download(&app, "", "csv");
    assert_eq!(status, 200);
    let (status, nl_headers, dutch) = download(&app, "", "csv-nl");
    assert_eq!(status, 200);
    assert_eq!(nl_headers["content-type"], headers["content-type"]);
    assert!(dutch.starts_with("\u{FEFF}id;created_at;role;".as_bytes()));
    let dutch_rows = rows_split_by(&dutch[3..], b';');
    let standard_rows = rows(&standard);
    assert_eq!(dutch_rows.len(), 12);
    // Pseudonyms differ per file: compare the rows without them, in order.
    for (nl, en) in dutch_rows.iter().zip(&standard_rows) {
        for (column, value) in en {
            match column.as_str() {
                "id" => assert!(nl["id"].starts_with("v-")),
                "created_at" => {
                    assert_eq!(nl[column].len(), 10);
                    assert_eq!(&nl[column], value);
                }
                _ => assert_eq!(&nl[column], value, "{column}"),
            }
        }
    }
    assert!(!String::from_utf8_lossy(&dutch).contains("Daan"));
    assert!(audit_details(&app, "export")
        .iter()
        .any(|d| d.contains("CSV-NL via het web, 12 verhalen")));
}

/// The codebook on the export page and as JSON: the SPSS file's variables in words, with the
/// codes and the reasons for a missing answer; only for people who may export.
#[test]
fn the_codebook_says_what_every_variable_and_code_means() {
    let app = app_with_stories();
    let page = app.get("/beheer/p/jeugdhulp/export");
    assert_eq!(page.status, 200);
    page.assert_contains("<h2 id=\"kop-codeboek\">Codeboek</h2>");
    page.assert_contains("<th scope=\"row\"><code>gehoord</code><span class=\"hint codebook-columns\">CSV: <code>gehoord</code>, <code>gehoord_<wbr>ontbreekt</code></span></th>");
    page.assert_contains(
        "<code>-2</code> = <code>niet_<wbr>gevraagd</code> niet gevraagd <em>(ontbreekt)</em>",
    );
    page.assert_contains("<code>gemeente_<wbr>ontbreekt</code>");

    let file = app.get("/beheer/p/jeugdhulp/export/codeboek.json");
    assert_eq!(file.status, 200);
    assert_eq!(file.header("cache-control"), Some("no-store"));
    let book: serde_json::Value = serde_json::from_str(&file.body).unwrap();
    let variables = book["variabelen"].as_array().unwrap();
    let named = |name: &str| {
        variables
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(named("created_at")["kind"], "datum");
    let gehoord = named("gehoord");
    assert_eq!(gehoord["measure"], "schaal");
    assert_eq!(gehoord["missing"], "-9 t/m -1");
    let codes: Vec<i64> = gehoord["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [-4, -3, -2, -1, 0, 100]);
    // The options of a choice question, numbered in the questionnaire's order, with the key
    // that stands for each code in the other formats, and the column that says why a value
    // is missing.
    let gemeente = named("gemeente");
    assert_eq!(gemeente["values"][0]["code"], 1);
    assert_eq!(gemeente["values"][0]["missing"], false);
    assert_eq!(gemeente["column"], "gemeente");
    assert_eq!(gemeente["status"], "gemeente_ontbreekt");
    let keys: Vec<&str> = gemeente["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["key"].as_str())
        .collect();
    assert!(
        keys.contains(&"nijmegen") && keys.contains(&"afgeschermd"),
        "{keys:?}"
    );
    let flag = variables
        .iter()
        .find(|v| v["name"].as_str().unwrap().starts_with("wie_betrokken_"))
        .unwrap();
    assert_eq!(flag["column"], flag["name"]);
    assert_eq!(flag["status"], "wie_betrokken_ontbreekt");
    // The same variables as the SPSS file has.
    let (_, _, sav) = download(&app, "", "sav");
    for v in variables {
        let name = v["name"].as_str().unwrap();
        assert!(
            sav.windows(name.len()).any(|w| w == name.as_bytes()),
            "{name} in the SPSS file"
        );
    }

    let other = app.user_browser("ander@voorbeeld.nl", &[]);
    assert_eq!(
        other.get("/beheer/p/jeugdhulp/export/codeboek.json").status,
        403
    );
}

/// The data package: a zip with the CSV, its Table Schema and the codebook, which the
/// Frictionless validator accepts (`python3 -m pip install frictionless`).
#[test]
fn the_data_package_is_valid_for_frictionless() {
    let app = app_with_stories();
    let (status, headers, body) = download(&app, "", "datapackage");
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/zip");
    assert!(headers["content-disposition"].contains(".zip\""));
    let fields = valid_package(body, 12);
    let gehoord = fields.iter().find(|f| f["name"] == "gehoord").unwrap();
    assert_eq!(gehoord["type"], "integer");
    let gemeente = fields.iter().find(|f| f["name"] == "gemeente").unwrap();
    assert!(gemeente["constraints"]["enum"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("nijmegen")));
    let status = fields
        .iter()
        .find(|f| f["name"] == "gemeente_ontbreekt")
        .unwrap();
    assert!(status["constraints"]["enum"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("afgeschermd")));
    let day = fields.iter().find(|f| f["name"] == "created_at").unwrap();
    assert_eq!(day["type"], "date");

    // Labels, a merged group and a multichoice question in one column validate too.
    let app = app_with_a_merged_group();
    let (status, _, body) = download_with(
        &app,
        "jeugdhulp",
        "",
        &[
            ("formaat", "datapackage"),
            ("codering", "labels"),
            ("meerkeuze", "samen"),
        ],
    );
    assert_eq!(status, 200);
    let fields = valid_package(body, 14);
    let gemeente = fields.iter().find(|f| f["name"] == "gemeente").unwrap();
    let allowed = gemeente["constraints"]["enum"].as_array().unwrap();
    assert!(allowed.contains(&serde_json::json!("zuid")));
    assert!(allowed.contains(&serde_json::json!("Nijmegen")));
}

/// Unpacks a data package, checks it with `frictionless validate` and returns its fields.
fn valid_package(body: Vec<u8>, stories: usize) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a zip");
    archive.extract(dir.path()).expect("extract");
    for file in ["datapackage.json", "verhalen.csv", "codeboek.json"] {
        assert!(dir.path().join(file).exists(), "{file}");
    }
    let csv = std::fs::read(dir.path().join("verhalen.csv")).unwrap();
    assert_eq!(rows(&csv).len(), stories);
    let output = std::process::Command::new("frictionless")
        .args(["validate", "--json", "datapackage.json"])
        .current_dir(dir.path())
        .output()
        .expect("frictionless (python3 -m pip install frictionless)");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(report["valid"], true, "{report:#}");
    let descriptor: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("datapackage.json")).unwrap())
            .unwrap();
    descriptor["resources"][0]["schema"]["fields"]
        .as_array()
        .unwrap()
        .clone()
}

/// [`app_with_stories`] with two more young people aged 16–17, from Heumen, and k = 3 with
/// Heumen and Mook as one group "zuid": the three tellers of 16–17 are merged into it.
fn app_with_a_merged_group() -> TestApp {
    let app = app_with_stories();
    let more = "id,created_at,role,title,text,gehoord,gemeente,leeftijd\r\n\
        h-1,2026-05-02T08:00:00Z,jongere,Heumen 1,Wij woonden ver van alles.,20,heumen,jaar_16_17\r\n\
        h-2,2026-05-03T08:00:00Z,jongere,Heumen 2,Ook hier was het ver.,30,heumen,jaar_16_17\r\n";
    transfer::import_csv(&app.database(), "jeugdhulp", more.as_bytes()).expect("import");
    let csrf = app.csrf("/beheer/p/jeugdhulp/privacy");
    let saved = app.post(
        "/beheer/p/jeugdhulp/privacy",
        &[
            ("csrf", &csrf),
            ("k", "3"),
            ("groepen", "gemeente: heumen, mook_en_middelaar = zuid"),
            ("termen", ""),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    app
}

/// What `scripts/research_check.py` makes of an export file: pandas for the CSVs, openpyxl for
/// the workbook, as an onderzoeker's script would read them.
fn read_back(kind: &str, body: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("export.{kind}"));
    std::fs::write(&file, body).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/research_check.py");
    let output = std::process::Command::new("python3")
        .args([script, kind])
        .arg(&file)
        .output()
        .expect("python3 (with pandas and openpyxl)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Both CSVs through pandas and the workbook through openpyxl: the day is a date, sliders are
/// numbers, a multichoice question is 0/1 columns, every empty answer says why beside it, and
/// the values are the database's.
#[test]
fn the_tabular_files_read_back_with_pandas_and_openpyxl() {
    use serde_json::Value;
    let app = app_with_a_merged_group();
    let csv = read_back("csv", &download(&app, "", "csv").2);
    let dutch = read_back("csv-nl", &download(&app, "", "csv-nl").2);
    let book = read_back("xlsx", &download(&app, "", "xlsx").2);
    assert_eq!(csv["columns"], dutch["columns"]);
    assert_eq!(csv["columns"], book["columns"]);
    assert!(csv["dtypes"]["created_at"]
        .as_str()
        .unwrap()
        .starts_with("datetime64"));
    assert!(dutch["dtypes"]["created_at"]
        .as_str()
        .unwrap()
        .starts_with("datetime64"));
    assert_eq!(csv["dtypes"]["gehoord"], "int64");
    assert_eq!(dutch["dtypes"]["gehoord"], "int64");
    assert_eq!(csv["dtypes"]["is_complete"], "bool");
    assert_eq!(
        book["sheets"],
        serde_json::json!(["verhalen", "toelichting", "codeboek"])
    );
    // The codebook sheet: the same variables as codeboek.json, with the CSV's column names.
    let codebook = book["codebook"].as_array().unwrap();
    assert_eq!(codebook[0][0], "naam (SPSS)");
    let gemeente = codebook.iter().find(|r| r[0] == "gemeente").unwrap();
    assert_eq!(gemeente[1], "gemeente");
    assert_eq!(gemeente[2], "gemeente_ontbreekt");
    assert!(
        gemeente[5]
            .as_str()
            .unwrap()
            .contains("= heumen+mook_en_middelaar: zuid (samengevoegd)"),
        "{gemeente:?}"
    );
    assert_eq!(
        book["dtypes"]["created_at"],
        serde_json::json!(["datetime"])
    );
    assert_eq!(book["dtypes"]["gehoord"], serde_json::json!(["int"]));
    assert_eq!(book["dtypes"]["is_complete"], serde_json::json!(["bool"]));
    assert!(book["about"]["Codering"]
        .as_str()
        .unwrap()
        .starts_with("sleutels"));

    for read in [&csv, &dutch, &book] {
        let rows = read["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 14);
        let of = |column: &str| -> Vec<&Value> { rows.iter().map(|r| &r[column]).collect() };
        // The sliders of the generated stories, as numbers.
        let mut heard: Vec<i64> = of("gehoord").iter().map(|v| v.as_i64().unwrap()).collect();
        heard.sort_unstable();
        assert_eq!(
            heard,
            [10, 20, 30, 40, 41, 42, 43, 44, 45, 60, 61, 62, 63, 64]
        );
        let mut days: Vec<&str> = of("created_at")
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        days.sort_unstable();
        assert_eq!(days[0], "2026-03-01");
        assert_eq!(days[13], "2026-05-03");
        // Seven young people and five parents; the parents were not asked the age group.
        let parents: Vec<&Value> = rows.iter().filter(|r| r["role"] == "ouder").collect();
        assert_eq!(parents.len(), 5);
        assert!(parents
            .iter()
            .all(|r| r["leeftijd"].is_null() && r["leeftijd_ontbreekt"] == "niet_gevraagd"));
        // Nobody answered who was involved: the 0/1 columns are empty, and the status says
        // whether it was asked.
        let flags: Vec<&String> = read["columns"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c.as_str())
            .filter(|c| c.starts_with("wie_betrokken_") && !c.ends_with("_ontbreekt"))
            .map(|c| {
                rows[0]
                    .as_object()
                    .unwrap()
                    .keys()
                    .find(|k| *k == c)
                    .unwrap()
            })
            .collect();
        assert!(flags.len() >= 2);
        for row in rows {
            assert!(flags.iter().all(|f| row[f.as_str()].is_null()));
            assert!(["niet_beantwoord", "niet_gevraagd"]
                .contains(&row["wie_betrokken_ontbreekt"].as_str().unwrap()));
        }
        // The teller from Mook and the two from Heumen: merged into their group, written as
        // its code; the others keep their keys.
        for title in ["Alleen", "Heumen 1", "Heumen 2"] {
            let merged = rows.iter().find(|r| r["title"] == title).unwrap();
            assert_eq!(merged["gemeente"], "heumen+mook_en_middelaar", "{merged}");
            assert!(merged["gemeente_ontbreekt"].is_null());
        }
        assert_eq!(
            rows.iter().filter(|r| r["gemeente"] == "nijmegen").count(),
            6
        );
    }
}

/// Labels instead of keys, and a multichoice question in one column: chosen in the form,
/// never mixed; a coding the form does not offer is refused with the reason.
#[test]
fn the_export_form_chooses_labels_or_keys_and_the_multichoice_layout() {
    let app = app_with_a_merged_group();
    let (status, _, body) = download_with(
        &app,
        "jeugdhulp",
        "",
        &[
            ("formaat", "csv"),
            ("codering", "labels"),
            ("meerkeuze", "samen"),
        ],
    );
    assert_eq!(status, 200);
    let rows = rows(&body);
    assert_eq!(rows.len(), 14);
    let young = rows.iter().find(|r| r["title"] == "Wachten 0").unwrap();
    assert_eq!(young["gemeente"], "Nijmegen");
    assert_ne!(young["role"], "jongere");
    assert!(!young["role"].is_empty());
    let alone = rows.iter().find(|r| r["title"] == "Alleen").unwrap();
    assert_eq!(alone["gemeente"], "zuid", "{alone:?}");
    assert!(young.contains_key("wie_betrokken"));
    assert!(!young
        .keys()
        .any(|k| k.starts_with("wie_betrokken_") && k != "wie_betrokken_ontbreekt"));
    // No key is left among the labels.
    for row in &rows {
        assert!(!["nijmegen", "wijchen", "jongere", "ouder"].contains(&row["gemeente"].as_str()));
        assert!(!["jongere", "ouder"].contains(&row["role"].as_str()));
    }

    let (status, _, body) = download_with(
        &app,
        "jeugdhulp",
        "",
        &[("formaat", "csv"), ("codering", "codes")],
    );
    assert_eq!(status, 422);
    let page = String::from_utf8_lossy(&body);
    assert!(
        page.contains("Kies hieronder een bestandsformaat, sleutels of labels"),
        "{page}"
    );
    let (status, _, body) = download(&app, "", "pdf");
    assert_eq!(status, 422);
    assert!(String::from_utf8_lossy(&body).contains("Kies hieronder een bestandsformaat"));
}

/// A story whose texts the retention period removed says so in every format, and a question
/// whose wording changed between questionnaire versions carries every wording in the
/// codebook.
#[test]
fn deleted_texts_and_changed_wordings_are_in_the_files_and_the_codebook() {
    use vertelpunt::exchange::timestamp::now_unix;
    use vertelpunt::service::{projects, retention};
    let app = app_with_stories();
    let db = app.database();
    // A new version in which "duidelijk" is asked in other words.
    let json = projects::export_questionnaire(&db, "jeugdhulp").expect("questionnaire");
    let mut questionnaire: serde_json::Value = serde_json::from_str(&json).unwrap();
    let questions = questionnaire["questions"].as_array_mut().unwrap();
    let duidelijk = questions
        .iter_mut()
        .find(|q| q["key"] == "duidelijk")
        .unwrap();
    let old = duidelijk["label"].as_str().unwrap().to_string();
    duidelijk["label"] = serde_json::Value::from("Wist je wat er ging gebeuren?");
    projects::import_questionnaire(&db, &questionnaire.to_string()).expect("new version");
    // Every story of the fixture is older than the retention period.
    retention::run_project(&db, "jeugdhulp", 1, now_unix() + 2 * 86_400).expect("retention");

    let (_, _, body) = download(&app, "", "csv");
    let rows = rows(&body);
    assert_eq!(rows.len(), 12);
    for row in &rows {
        assert_eq!(row["title"], "");
        assert_eq!(row["text"], "");
        assert_eq!(row["text_ontbreekt"], "tekst_verwijderd");
        // Sliders and choices stay.
        assert!(!row["gehoord"].is_empty());
    }
    let (_, _, body) = download(&app, "", "json");
    let export: serde_json::Value = serde_json::from_slice(&body).unwrap();
    for story in export["stories"].as_array().unwrap() {
        assert_eq!(story["ontbreekt"]["text"], "tekst_verwijderd", "{story}");
    }

    let file = app.get("/beheer/p/jeugdhulp/export/codeboek.json");
    let book: serde_json::Value = serde_json::from_str(&file.body).unwrap();
    let variables = book["variabelen"].as_array().unwrap();
    let named = |name: &str| variables.iter().find(|v| v["name"] == name).unwrap();
    let duidelijk = named("duidelijk");
    assert_eq!(duidelijk["label"], "Wist je wat er ging gebeuren?");
    assert_eq!(
        duidelijk["versions"],
        serde_json::json!([
            {"version": 1, "label": old},
            {"version": 2, "label": "Wist je wat er ging gebeuren?"}
        ])
    );
    assert_eq!(named("juiste_hulp")["versions"], serde_json::json!([]));
    let deleted = named("text_ontbreekt");
    assert!(deleted["values"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["code"] == -5 && v["key"] == "tekst_verwijderd" && v["missing"] == true));
    assert_eq!(named("text")["status"], "text_ontbreekt");
    let page = app.get("/beheer/p/jeugdhulp/export");
    page.assert_contains("versie 1: ");
    page.assert_contains("versie 2: Wist je wat er ging gebeuren?");
}
