//! Projects side by side on the core questions (`/vergelijk/projecten`, `compare --with`), and
//! observation cards made from a comparison (of a part with the rest, or of two projects).
//!
//! The stories come from `tests/fixtures/compare_projects.json`, generated with a fixed seed by
//! `scripts/compare_projects_fixtures.py`, which also holds scipy's figures for them.
//! Set `VERTELPUNT_CARD_DIR` to keep the cards made here (PDF and HTML).

use crate::helpers::*;
use crate::observations::pdf_text;
use serde_json::Value;
use vertelpunt::analysis::numbers;
use vertelpunt::domain::questionnaire::default_questionnaire;
use vertelpunt::service::{projects, transfer};

const FIXTURE: &str = include_str!("../fixtures/compare_projects.json");
const REFERENCE: &str = "Vertelpunt Jeugdhulp";
const REGION: &str = "Regio Rivierenland";

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("fixture JSON")
}

/// A project with the default questionnaire (which has the core module) under another name;
/// `core: false` leaves the core questions out.
fn add_project(app: &TestApp, slug: &str, title: &str, core: bool) {
    let mut q = default_questionnaire().expect("default");
    q.slug = slug.into();
    q.title = title.into();
    if !core {
        q.questions.retain(|question| question.module.is_none());
    }
    projects::import_questionnaire(&app.database(), &q.to_json_pretty()).expect("import");
}

/// The fixture's stories of one project as CSV (exchange format v1).
fn csv_of(fixture: &Value, project: &str) -> String {
    let columns: Vec<&str> = fixture["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let mut csv = columns.join(",") + "\n";
    for row in fixture["projects"][project].as_array().unwrap() {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match &row[*c] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv
}

/// The reference project with its stories, a region, a project under k and one without the
/// core module.
fn setup() -> TestApp {
    let app = spawn_app().with_admin();
    add_project(&app, "regio", REGION, true);
    add_project(&app, "klein", "Klein Vertelpunt", true);
    add_project(&app, "zonder", "Zonder Kern", false);
    let f = fixture();
    for project in ["jeugdhulp", "regio", "klein"] {
        transfer::import_csv(&app.database(), project, csv_of(&f, project).as_bytes())
            .expect("import");
    }
    app
}

/// Agreement to 6 significant digits.
fn close(actual: &Value, expected: &Value, what: &str) {
    let (a, e) = (actual.as_f64().unwrap(), expected.as_f64().unwrap());
    assert!(
        (a - e).abs() <= 1e-6 * e.abs().max(1e-9),
        "{what}: {a} vs scipy {e}"
    );
}

fn left_out() -> usize {
    default_questionnaire()
        .unwrap()
        .questions
        .iter()
        .filter(|q| q.module.as_deref() != Some("kern"))
        .count()
}

#[test]
fn projects_side_by_side_agree_with_scipy_and_protect_small_sides() {
    let app = setup();
    let begeleider = app.user_browser(
        "b@voorbeeld.nl",
        &[
            ("jeugdhulp", "begeleider"),
            ("regio", "onderzoeker"),
            ("klein", "onderzoeker"),
        ],
    );
    // Found from the project page and from the subset comparison.
    for from in ["/beheer/p/jeugdhulp", "/beheer/p/jeugdhulp/vergelijk"] {
        begeleider
            .get(from)
            .assert_contains("/beheer/p/jeugdhulp/vergelijk/projecten");
    }
    let empty = begeleider.get("/beheer/p/jeugdhulp/vergelijk/projecten");
    assert_eq!(empty.status, 200, "{}", empty.body);
    empty.assert_contains("Kies hierboven een of meer projecten");
    empty.assert_contains(REGION);
    assert!(!empty.body.contains("Zonder Kern"), "no rights there");

    let page = begeleider.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=regio&met=klein");
    assert_eq!(page.status, 200, "{}", page.body);
    keep("projecten.html", page.body.as_bytes());
    page.assert_contains("<strong>Vertelpunt Jeugdhulp</strong>: 90 verhalen");
    page.assert_contains("<strong>Regio Rivierenland</strong>: 60 verhalen");
    // The project under k: not shown, and said why.
    page.assert_contains("Klein Vertelpunt heeft minder dan 5 verhalen");
    assert!(!page.body.contains("<strong>Klein Vertelpunt</strong>"));
    // The questions outside the core module: left out, with how many.
    let n = left_out();
    page.assert_contains(&format!(
        "Van {REGION} zijn {n} vragen weggelaten: die horen niet bij de kernvragen."
    ));
    page.assert_contains(&format!("Van {REFERENCE} zijn {n} vragen weggelaten"));
    page.assert_contains("6 vergelijkingen");
    page.assert_contains("sterk verschil met Regio Rivierenland");
    // The figures of every test, as the page writes them (the full precision is checked on the
    // command line below).
    let f = fixture();
    for t in f["tests"].as_array().unwrap() {
        let statistic = t["u"].as_f64().or(t["chi2"].as_f64()).unwrap();
        page.assert_contains(&escape(&format!(
            "= {} · sterkte {}",
            numbers::statistic(statistic),
            numbers::strength(t["r"].as_f64().or(t["cramers_v"].as_f64()).unwrap().abs())
        )));
        page.assert_contains(&escape(&numbers::named_probability(
            "q",
            t["q"].as_f64().unwrap(),
        )));
    }
    // Whole distributions, side by side: a histogram per project for every slider.
    assert!(page.body.matches("<svg").count() >= 12, "{}", page.body);
    // Two young people under 12 in the region: a count under k, drawn without a bar, and the
    // sentence does not give it away as a share.
    page.assert_contains("&lt; 5");
    page.assert_contains("is door minder dan 5 vertellers gekozen");
    assert!(!page.body.contains("10% tegen 0%"), "a share of 2 stories");
    // No note about the questions of a project that is not shown.
    assert!(!page.body.contains("Van Klein Vertelpunt"));

    // The command line: the same comparison, all figures against scipy.
    let out = crate::cli::vertelpunt(
        &app.db_url,
        &[
            "compare",
            "--project",
            "jeugdhulp",
            "--with",
            "regio",
            "--with",
            "klein",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(c["tests"], 6);
    assert_eq!(c["reference"]["stories"], 90);
    assert_eq!(c["reference"]["left_out"], n);
    assert_eq!(c["others"][1]["side"]["shown"], false);
    assert!(c["others"][1]["comparison"].is_null());
    let compared = &c["others"][0]["comparison"];
    assert_eq!(compared["subset"], 60);
    assert_eq!(compared["reference"], 90);
    for t in f["tests"].as_array().unwrap() {
        let key = t["key"].as_str().unwrap();
        let list = if t["kind"] == "number" {
            "numbers"
        } else {
            "choices"
        };
        let got = compared[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["key"] == key)
            .unwrap_or_else(|| panic!("{key} not compared: {compared}"));
        close(&got["p_value"], &t["p"], &format!("{key} p"));
        close(&got["q_value"], &t["q"], &format!("{key} q"));
        if t["kind"] == "number" {
            close(&got["statistic"], &t["u"], &format!("{key} U"));
            close(&got["effect_size"], &t["r"], &format!("{key} r"));
            assert_eq!(got["subset"]["n"], t["n"][0], "{key}");
            assert_eq!(got["reference"]["n"], t["n"][1], "{key}");
        } else {
            close(&got["statistic"], &t["chi2"], &format!("{key} chi2"));
            close(&got["effect_size"], &t["cramers_v"], &format!("{key} V"));
            assert_eq!(got["dof"], t["dof"], "{key}");
            let counts: Vec<Value> = got["options"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["subset"].clone())
                .collect();
            assert_eq!(Value::from(counts), t["table"][0], "{key}");
        }
    }
    // The readable form names the sides and what was left out.
    let text = crate::cli::vertelpunt(
        &app.db_url,
        &["compare", "--project", "jeugdhulp", "--with", "regio"],
    );
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(text.contains(&format!("{REGION}: 60 verhalen;")), "{text}");
    assert!(text.contains("6 toetsen"), "{text}");
    // A project without the core module: a clear refusal.
    let bad = crate::cli::vertelpunt(
        &app.db_url,
        &["compare", "--project", "jeugdhulp", "--with", "zonder"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("heeft de kernvragen niet"));
}

#[test]
fn another_project_without_rights_looks_like_one_that_does_not_exist() {
    let app = setup();
    let begeleider = app.user_browser(
        "b@voorbeeld.nl",
        &[("jeugdhulp", "begeleider"), ("zonder", "begeleider")],
    );
    let forbidden = begeleider.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=regio");
    let unknown = begeleider.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=bestaat-niet");
    assert_eq!((forbidden.status, unknown.status), (403, 403));
    assert_eq!(forbidden.body, unknown.body);
    for secret in [REGION, "Rivierenland", "regio"] {
        assert!(!forbidden.body.contains(secret), "{secret} leaks");
    }
    // Nor with a project beside it that may be read, nor through the card.
    let mixed = begeleider.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=zonder&met=regio");
    assert_eq!(mixed.status, 403);
    let csrf = begeleider.csrf("/beheer/account");
    for other in ["regio", "bestaat-niet"] {
        let card = begeleider.post(
            "/beheer/p/jeugdhulp/vergelijk/projecten/kaart",
            &[
                ("csrf", &csrf),
                ("met", other),
                ("kaart_met", other),
                ("vraag", "gehoord"),
            ],
        );
        assert_eq!(card.status, 403, "{other}");
        assert!(!card.body.contains(REGION));
    }
    // A project without the core module: the page says so (422).
    let without = begeleider.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=zonder");
    assert_eq!(without.status, 422, "{}", without.body);
    without.assert_contains("Het project &#x27;Zonder Kern&#x27; heeft de kernvragen niet.");
    let own = begeleider.get("/beheer/p/zonder/vergelijk/projecten");
    assert_eq!(own.status, 422);
    own.assert_contains("heeft de kernvragen niet");
    // The admin may read every project; one that does not exist is simply not found.
    assert_eq!(
        app.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=regio")
            .status,
        200
    );
    assert_eq!(
        app.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=bestaat-niet")
            .status,
        404
    );
    // An onderzoeker may look, but not make a card.
    let reader = app.user_browser(
        "o@voorbeeld.nl",
        &[("jeugdhulp", "onderzoeker"), ("regio", "onderzoeker")],
    );
    let page = reader.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=regio");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Maak hier een observatie van"));
}

/// Keeps what was made when `VERTELPUNT_CARD_DIR` is set.
fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("VERTELPUNT_CARD_DIR") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(std::path::Path::new(&dir).join(name), bytes);
    }
}

/// Checks the card page and the PDF of the observation at `path`; returns the PDF's text
/// (`None` without poppler-utils).
fn check_card(browser: &Browser, path: &str, name: &str, sides: [&str; 2]) -> Option<String> {
    let page = browser.get(&format!("{path}/kaart"));
    assert_eq!(page.status, 200, "{}", page.body);
    keep(&format!("{name}.html"), page.body.as_bytes());
    page.assert_contains("<svg class=\"chart chart-card");
    for side in sides {
        page.assert_contains(&escape(side));
    }
    page.assert_contains("Niemand luisterde");
    page.assert_contains("Er werd echt geluisterd");
    assert!(!page.body.contains("NaN"));
    let (status, content_type, pdf) = browser.get_bytes(&format!("{path}/kaart.pdf"));
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    keep(&format!("{name}.pdf"), &pdf);
    let text = pdf_text(&pdf)?;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for side in sides {
        assert!(flat.contains(side), "{side} not in {flat}");
    }
    assert!(flat.contains("sterkte"), "{flat}");
    Some(flat)
}

#[test]
fn cards_from_a_subset_and_from_projects_keep_their_figures() {
    let app = setup();
    let begeleider = app.user_browser(
        "b@voorbeeld.nl",
        &[("jeugdhulp", "begeleider"), ("regio", "onderzoeker")],
    );
    let csrf = begeleider.csrf("/beheer/account");

    // From the subset comparison: the button beside each compared question.
    let page = begeleider.get("/beheer/p/jeugdhulp/vergelijk?d=rol:professional");
    assert_eq!(page.status, 200);
    page.assert_contains("Maak hier een observatie van");
    page.assert_contains("name=\"vraag\" value=\"gehoord\"");
    let made = begeleider.post(
        "/beheer/p/jeugdhulp/vergelijk/kaart",
        &[
            ("csrf", &csrf),
            ("filter", ""),
            ("d", "rol:professional"),
            ("vraag", "gehoord"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let subset_card = made.header("location").expect("location").to_string();
    let observation = begeleider.get(&subset_card);
    assert_eq!(observation.status, 200);
    // Typical stories of both sides were chosen.
    observation.assert_contains("Verhaal ref");
    let before = check_card(
        &begeleider,
        &subset_card,
        "kaart-deel",
        ["Deze groep", "De rest"],
    );

    // From projects side by side.
    let page = begeleider.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=regio");
    page.assert_contains("name=\"kaart_met\" value=\"regio\"");
    let made = begeleider.post(
        "/beheer/p/jeugdhulp/vergelijk/projecten/kaart",
        &[
            ("csrf", &csrf),
            ("met", "regio"),
            ("kaart_met", "regio"),
            ("vraag", "gehoord"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let projects_card = made.header("location").expect("location").to_string();
    let observation = begeleider.get(&projects_card);
    assert_eq!(observation.status, 200);
    // Typical stories from each project.
    observation.assert_contains("Verhaal ref");
    observation.assert_contains("Verhaal reg");
    let gehoord = &fixture()["tests"][0];
    let q = numbers::named_probability("q", gehoord["q"].as_f64().unwrap());
    let card = begeleider.get(&format!("{projects_card}/kaart"));
    card.assert_contains(&escape(&q));
    let before_projects = check_card(
        &begeleider,
        &projects_card,
        "kaart-projecten",
        [REGION, REFERENCE],
    );

    // New stories arrive in both projects: the cards keep their figures.
    let f = fixture();
    let more = csv_of(&f, "regio").replace("reg-", "nieuw-reg-");
    transfer::import_csv(&app.database(), "regio", more.as_bytes()).expect("import");
    let more = csv_of(&f, "jeugdhulp").replace("ref-", "nieuw-ref-");
    transfer::import_csv(&app.database(), "jeugdhulp", more.as_bytes()).expect("import");
    let again = begeleider.get("/beheer/p/jeugdhulp/vergelijk/projecten?met=regio");
    again.assert_contains("<strong>Regio Rivierenland</strong>: 120 verhalen");
    let after = check_card(
        &begeleider,
        &subset_card,
        "kaart-deel",
        ["Deze groep", "De rest"],
    );
    assert_eq!(before, after);
    let after_projects = check_card(
        &begeleider,
        &projects_card,
        "kaart-projecten",
        [REGION, REFERENCE],
    );
    assert_eq!(before_projects, after_projects);
    begeleider
        .get(&format!("{projects_card}/kaart"))
        .assert_contains(&escape(&q));

    // A question that is not compared makes no card.
    let none = begeleider.post(
        "/beheer/p/jeugdhulp/vergelijk/projecten/kaart",
        &[
            ("csrf", &csrf),
            ("met", "regio"),
            ("kaart_met", "regio"),
            ("vraag", "gemeente"),
        ],
    );
    assert_eq!(none.status, 409);
}

/// The ids of the typical stories of `project` on an observation page (their links).
fn stories_of(page: &Page, project: &str) -> Vec<String> {
    let marker = format!("<a href=\"/beheer/p/{project}/verhalen/");
    page.body
        .match_indices(&marker)
        .filter_map(|(at, _)| {
            let rest = &page.body[at + marker.len()..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}

#[test]
fn a_story_of_the_other_project_can_be_taken_off_a_card() {
    let app = setup();
    let begeleider = app.user_browser(
        "b@voorbeeld.nl",
        &[("jeugdhulp", "begeleider"), ("regio", "onderzoeker")],
    );
    let csrf = begeleider.csrf("/beheer/account");
    let made = begeleider.post(
        "/beheer/p/jeugdhulp/vergelijk/projecten/kaart",
        &[
            ("csrf", &csrf),
            ("met", "regio"),
            ("kaart_met", "regio"),
            ("vraag", "gehoord"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let card = made.header("location").expect("location").to_string();
    let page = begeleider.get(&card);
    keep("kaart-projecten-pagina.html", page.body.as_bytes());
    let own = stories_of(&page, "jeugdhulp");
    let theirs = stories_of(&page, "regio");
    assert!(!own.is_empty() && theirs.len() >= 2, "{own:?} {theirs:?}");
    page.assert_contains("Uit een ander project (regio)");
    // The chart, its table and the line with the test and the date the figures were taken.
    let figures = |body: &str| -> String {
        let chart = body.find("card-figures").zip(body.find("card-text"));
        let stats = body
            .find("card-stats")
            .and_then(|c| Some((c, c + body[c..].find("</p>")?)));
        match (chart, stats) {
            (Some((a, b)), Some((c, d))) => format!("{}{}", &body[a..b], &body[c..d]),
            _ => panic!("no figures in {body}"),
        }
    };
    let before = figures(&begeleider.get(&format!("{card}/kaart")).body);

    // Its button takes it off the card; the other stories and the figures stay.
    let gone = &theirs[0];
    let removed = begeleider.post(
        &format!("{card}/verhalen/{gone}/weg"),
        &[("csrf", &page.hidden("csrf"))],
    );
    assert_eq!(removed.status, 303, "{}", removed.body);
    let page = begeleider.get(&card);
    assert!(
        !page.body.contains(gone.as_str()),
        "{gone} still on the card"
    );
    assert_eq!(stories_of(&page, "regio"), theirs[1..]);
    assert_eq!(stories_of(&page, "jeugdhulp"), own);
    assert!(!page.body.contains("weggelaten: ingetrokken of verborgen"));
    let shown = begeleider.get(&format!("{card}/kaart")).body;
    assert_eq!(figures(&shown), before);
    assert!(
        !shown.contains(gone.as_str()),
        "{gone} still on the printed card"
    );
    // A story of the card's own project still goes the usual way.
    let removed = begeleider.post(
        &format!("{card}/verhalen/{}/weg", own[0]),
        &[("csrf", &page.hidden("csrf"))],
    );
    assert_eq!(removed.status, 303);
    assert_eq!(
        stories_of(&begeleider.get(&card), "jeugdhulp"),
        own[1..],
        "own story not removed"
    );
}

#[test]
fn cards_from_a_comparison_take_their_figures_again_from_the_same_comparison() {
    let app = setup();
    let begeleider = app.user_browser(
        "b@voorbeeld.nl",
        &[("jeugdhulp", "begeleider"), ("regio", "onderzoeker")],
    );
    let csrf = begeleider.csrf("/beheer/account");
    let subset = begeleider.post(
        "/beheer/p/jeugdhulp/vergelijk/kaart",
        &[
            ("csrf", &csrf),
            ("filter", ""),
            ("d", "rol:professional"),
            ("vraag", "gehoord"),
        ],
    );
    assert_eq!(subset.status, 303, "{}", subset.body);
    let subset = subset.header("location").expect("location").to_string();
    let projects = begeleider.post(
        "/beheer/p/jeugdhulp/vergelijk/projecten/kaart",
        &[
            ("csrf", &csrf),
            ("met", "regio"),
            ("kaart_met", "regio"),
            ("vraag", "gehoord"),
        ],
    );
    assert_eq!(projects.status, 303, "{}", projects.body);
    let projects = projects.header("location").expect("location").to_string();
    for (card, stories) in [(&subset, 90), (&projects, 150)] {
        let page = begeleider.get(card);
        page.assert_contains(&format!("uit {stories} verhalen"));
        page.assert_contains("Deze kaart komt uit een vergelijking. Cijfers vernieuwen maakt dezelfde vergelijking opnieuw");
        page.assert_contains("Cijfers vernieuwen</button>");
    }
    let page = begeleider.get(&projects);
    let theirs = stories_of(&page, "regio");
    // One story of the other project taken off before: it stays off after a refresh.
    let removed = begeleider.post(
        &format!("{projects}/verhalen/{}/weg", theirs[0]),
        &[("csrf", &page.hidden("csrf"))],
    );
    assert_eq!(removed.status, 303);

    // More stories in both projects; the figures are taken again with the same settings.
    let f = fixture();
    let more = csv_of(&f, "regio").replace("reg-", "nieuw-reg-");
    transfer::import_csv(&app.database(), "regio", more.as_bytes()).expect("import");
    let more = csv_of(&f, "jeugdhulp").replace("ref-", "nieuw-ref-");
    transfer::import_csv(&app.database(), "jeugdhulp", more.as_bytes()).expect("import");
    for (card, stories) in [(&subset, 180), (&projects, 300)] {
        let csrf = begeleider.get(card).hidden("csrf");
        let refreshed = begeleider.post(&format!("{card}/cijfers"), &[("csrf", &csrf)]);
        assert_eq!(refreshed.status, 303, "{card}: {}", refreshed.body);
        let page = begeleider.get(card);
        assert!(!page.body.contains("niet meer te vinden"), "{}", page.body);
        page.assert_contains(&format!("uit {stories} verhalen"));
        page.assert_contains("Cijfers vernieuwen</button>");
        // Still the comparison's own sides on the card.
        let shown = begeleider.get(&format!("{card}/kaart"));
        assert_eq!(shown.status, 200);
        assert!(!shown.body.contains("NaN"));
    }
    begeleider
        .get(&format!("{subset}/kaart"))
        .assert_contains("Deze groep");
    begeleider
        .get(&format!("{projects}/kaart"))
        .assert_contains(REGION);
    let page = begeleider.get(&projects);
    assert_eq!(
        stories_of(&page, "regio"),
        theirs[1..],
        "chosen stories kept"
    );
    assert_eq!(
        audit_details(&app, "observation.figures").len(),
        2,
        "each refresh is logged"
    );

    // Without the right to read the other project any more: refused, the figures stay.
    let reader_only = app.user_browser("b2@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let csrf = reader_only.csrf("/beheer/account");
    let refused = reader_only.post(&format!("{projects}/cijfers"), &[("csrf", &csrf)]);
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains(REGION));
}

#[test]
fn a_card_from_a_comparison_without_its_settings_says_how_to_get_new_figures() {
    let app = setup();
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let csrf = begeleider.csrf("/beheer/account");
    let made = begeleider.post(
        "/beheer/p/jeugdhulp/vergelijk/kaart",
        &[
            ("csrf", &csrf),
            ("filter", ""),
            ("d", "rol:professional"),
            ("vraag", "gehoord"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let card = made.header("location").expect("location").to_string();
    let id = card.rsplit('/').next().expect("id").to_string();
    // As a card made before the comparison's settings were kept in its snapshot.
    {
        use vertelpunt::store::observations;
        let db = app.database();
        let mut conn = db.conn().expect("conn");
        let record = observations::find_in_project(&mut conn, "jeugdhulp", &id)
            .expect("read")
            .expect("the card");
        let mut pattern: Value =
            serde_json::from_str(record.pattern.as_deref().expect("snapshot")).expect("JSON");
        assert!(pattern["comparison"].is_object(), "{pattern}");
        pattern
            .as_object_mut()
            .expect("object")
            .remove("comparison");
        observations::replace_pattern(&mut conn, &id, &pattern.to_string(), 0).expect("write");
    }
    let page = begeleider.get(&card);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Cijfers vernieuwen</button>"));
    page.assert_contains("Deze kaart komt uit een vergelijking, maar we weten niet meer met welke keuzes die is gemaakt.");
    page.assert_contains(
        "Wil je nieuwe cijfers? Maak dan een nieuwe kaart op de pagina Vergelijken.",
    );
    page.assert_contains("href=\"/beheer/p/jeugdhulp/vergelijk\"");
    // A post anyway: refused with the same words, the figures kept.
    let refused = begeleider.post(
        &format!("{card}/cijfers"),
        &[("csrf", &page.hidden("csrf"))],
    );
    assert_eq!(refused.status, 409);
    refused.assert_contains("Maak dan een nieuwe kaart op de pagina Vergelijken.");
    assert!(!refused.body.contains("niet meer te vinden"));
    page.assert_contains("uit 90 verhalen");
}
