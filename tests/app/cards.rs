//! Observation cards of every kind of pattern, on the web and as PDF: each renders, shows the
//! chart and its table, names a slider's two ends, and fits the card on one page — also for
//! figures kept in the shape of older versions.
//!
//! Set `VERTELPUNT_CARD_DIR` to a folder to keep the PDFs and pages made here, for looking at
//! them (`pdftoppm -r 60 -png kaart-….pdf …`).

use crate::helpers::*;
use crate::observations::{pdf_text, setup};
use serde_json::Value;
use vertelpunt::domain::questionnaire::default_questionnaire;
use vertelpunt::store::DatabaseUrl;

/// The kinds of pattern, as the scan names them.
const KINDS: [&str; 4] = [
    "slider_by_choice",
    "choice_by_choice",
    "slider_by_slider",
    "slider_by_choice_pair",
];

/// A tested pattern of each kind in the demo project: its questions. For two choice
/// questions and for three-way patterns the one with the most groups, so that a card must
/// take groups together.
fn patterns_of_each_kind(db: &DatabaseUrl) -> Vec<(&'static str, Vec<String>)> {
    let out = crate::cli::vertelpunt(db, &["patterns", "--project", "demo", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scan: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let patterns = scan["patterns"].as_array().expect("patterns");
    KINDS
        .iter()
        .map(|&kind| {
            let size = |p: &Value| {
                p["groups"].as_array().map_or(0, Vec::len)
                    + p["cells"].as_array().map_or(0, Vec::len)
            };
            let chosen = patterns
                .iter()
                .filter(|p| p["kind"] == kind)
                // Not the derived questions (month, length …): a card is about what tellers said.
                .filter(|p| {
                    p["questions"].as_array().is_some_and(|q| {
                        q.iter().all(|k| {
                            !["maand", "kwartaal", "lengte", "kanaal", "taal", "versie"]
                                .contains(&k.as_str().unwrap_or(""))
                        })
                    })
                })
                .max_by_key(|p| size(p))
                .unwrap_or_else(|| panic!("no {kind} pattern in the demo"));
            let questions = chosen["questions"]
                .as_array()
                .expect("questions")
                .iter()
                .map(|q| q.as_str().expect("key").to_string())
                .collect();
            (kind, questions)
        })
        .collect()
}

/// The two ends of the demo questionnaire's slider `key`, if it is one.
fn poles(key: &str) -> Option<(String, String)> {
    let q = default_questionnaire().expect("questionnaire");
    let question = q.questions.iter().find(|x| x.key == key)?;
    Some((question.left.clone()?, question.right.clone()?))
}

/// Makes an observation of a pattern (or from scratch when `kind` is empty), gives it its
/// texts and returns its path.
fn observation(begeleider: &Browser, kind: &str, questions: &[String], title: &str) -> String {
    let csrf = begeleider.csrf("/beheer/p/demo/observaties");
    let joined = questions.join(",");
    let made = begeleider.post(
        "/beheer/p/demo/observaties",
        &[
            ("csrf", &csrf),
            ("soort", kind),
            ("vragen", &joined),
            ("filter", ""),
            ("titel", title),
        ],
    );
    assert_eq!(made.status, 303, "{kind} {joined}: {}", made.body);
    let path = made.header("location").expect("location").to_string();
    let saved = begeleider.post(
        &path,
        &[
            ("csrf", &csrf),
            ("titel", title),
            (
                "beschrijving",
                "Wat opvalt in deze verzonnen verhalen, in gewone woorden beschreven.",
            ),
            ("duiding_a", "De eerste manier om dit te lezen."),
            (
                "duiding_b",
                "Een andere manier, die tegen de eerste in gaat.",
            ),
            ("thema", "Kaarten"),
            ("status", "klaar"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    path
}

/// Keeps what was made when `VERTELPUNT_CARD_DIR` is set.
fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("VERTELPUNT_CARD_DIR") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(std::path::Path::new(&dir).join(name), bytes);
    }
}

/// The number of pages of a PDF, by `pdfinfo` (`None` without poppler-utils).
fn page_count(pdf: &[u8]) -> Option<usize> {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("kaart.pdf");
    std::fs::write(&file, pdf).expect("write");
    let out = poppler(std::process::Command::new("pdfinfo").arg(&file))?;
    assert!(out.status.success());
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok());
    Some(pages.unwrap_or_else(|| panic!("no page count in {info}")))
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks the web card and the PDF card of one observation of `kind` over `questions`.
fn check_card(browser: &Browser, path: &str, kind: &str, questions: &[String], title: &str) {
    let page = browser.get(&format!("{path}/kaart"));
    assert_eq!(page.status, 200, "{kind}: {}", page.body);
    keep(&format!("kaart-{kind}.html"), page.body.as_bytes());
    page.assert_contains(&escape(title));
    page.assert_contains("De eerste manier om dit te lezen.");
    // The chart of the card and the same figures as a table.
    page.assert_contains("<svg class=\"chart chart-card");
    page.assert_contains("<table class=\"data-table card-table\">");
    // The test statistics at the foot, in Dutch.
    page.assert_contains("sterkte 0,");
    let stats = between(&page.body, "<p class=\"card-stats\">", "</p>");
    assert!(
        stats.contains(" · q < 0,001 · ")
            || stats.contains(" · q = 0,")
            || stats.contains(" · q = 1,000 · "),
        "{kind}: no q-value in {stats}"
    );
    assert!(!page.body.contains("NaN") && !page.body.contains("q = &lt;"));
    let sliders: Vec<(String, String)> = questions.iter().filter_map(|q| poles(q)).collect();
    for (left, right) in &sliders {
        // Both ends of every slider of the pattern, in the chart.
        page.assert_contains(&escape(left));
        page.assert_contains(&escape(right));
    }

    let (status, content_type, pdf) = browser.get_bytes(&format!("{path}/kaart.pdf"));
    assert_eq!(status, 200, "{kind}");
    assert_eq!(content_type, "application/pdf");
    keep(&format!("kaart-{kind}.pdf"), &pdf);
    let Some(text) = pdf_text(&pdf) else {
        return;
    };
    let text = flat(&text);
    for expected in [
        title,
        "Duiding 1",
        "Duiding 2",
        "niet representatief",
        "sterkte",
    ] {
        assert!(
            text.contains(expected),
            "{kind}: {expected:?} not in {text}"
        );
    }
    for (left, right) in &sliders {
        assert!(text.contains(&flat(left)), "{kind}: {left:?} not in {text}");
        assert!(
            text.contains(&flat(right)),
            "{kind}: {right:?} not in {text}"
        );
    }
    assert!(!text.contains("0.0") && !text.contains("NaN"), "{text}");
    // Without stories, the card is exactly one page.
    if let Some(pages) = page_count(&pdf) {
        assert_eq!(pages, 1, "{kind}: {pages} pages");
    }
}

#[test]
fn every_kind_of_card_renders_on_the_web_and_as_one_page_of_pdf() {
    let (app, begeleider, onderzoeker) = setup();
    let patterns = patterns_of_each_kind(&app.db_url);
    for (kind, questions) in &patterns {
        let title = format!("Kaart van {kind}");
        let path = observation(&begeleider, kind, questions, &title);
        check_card(&onderzoeker, &path, kind, questions, &title);
    }
    // The planted pattern (gehoord depends on the role) is strong, and its card says so.
    let planted = ["gehoord".to_string(), "rol".to_string()];
    let path = observation(&begeleider, "slider_by_choice", &planted, "Gehoord per rol");
    check_card(
        &onderzoeker,
        &path,
        "gehoord-rol",
        &planted,
        "Gehoord per rol",
    );
    onderzoeker
        .get(&format!("{path}/kaart"))
        .assert_contains("(sterk) · 300 verhalen");
    // With typical stories and a quote: the card stays on its first page, the stories follow.
    let proposed = crate::observations::with_stories_and_quote(&begeleider, &path, 3);
    let quote = crate::observations::DEMO_QUOTE;
    let (_, _, pdf) = onderzoeker.get_bytes(&format!("{path}/kaart.pdf"));
    keep("kaart-met-verhalen.pdf", &pdf);
    if let (Some(pages), Some(text)) = (page_count(&pdf), pdf_text(&pdf)) {
        assert!(pages >= 2, "{pages} pages");
        let front = flat(text.split('\u{c}').next().unwrap_or(""));
        assert!(
            front.contains(quote) && front.contains(&proposed[0]),
            "{front}"
        );
        assert!(!front.contains("Typische verhalen"), "{front}");
        assert!(flat(&text).contains("Typische verhalen bij ‘Gehoord per rol’"));
    }

    // The three-way card takes what does not fit together and says so.
    let (_, three_way) = &patterns[3];
    let path = observation(&begeleider, "slider_by_choice_pair", three_way, "Drie");
    let card = begeleider.get(&format!("{path}/kaart"));
    card.assert_contains("Andere combinaties (");
    card.assert_contains("combinaties die het meest afwijken");
    let rows = between(&card.body, "<tbody>", "</tbody>")
        .matches("<tr>")
        .count();
    assert!((2..=8).contains(&rows), "{rows} rows");

    // A card without a pattern: no figures, the texts over the whole width.
    let path = observation(&begeleider, "", &[], "Zonder patroon");
    let page = onderzoeker.get(&format!("{path}/kaart"));
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("Zonder patroon begonnen");
    assert!(!page.body.contains("<svg class=\"chart chart-card"));
    let (status, _, pdf) = onderzoeker.get_bytes(&format!("{path}/kaart.pdf"));
    assert_eq!(status, 200);
    keep("kaart-zonder-patroon.pdf", &pdf);
    if let Some(text) = pdf_text(&pdf) {
        assert!(flat(&text).contains("Zonder patroon begonnen"), "{text}");
    }
}

#[test]
fn cards_of_figures_kept_in_an_older_shape_still_render() {
    let (app, begeleider, onderzoeker) = setup();
    let patterns = patterns_of_each_kind(&app.db_url);
    let mut conn = app.database().conn().expect("connection");
    for (kind, questions) in &patterns {
        let title = format!("Oude cijfers van {kind}");
        let path = observation(&begeleider, kind, questions, &title);
        let id = path.rsplit('/').next().expect("id");
        // The figures as observations made before cards drew distributions kept them: no
        // bands, table or poles, and a pattern without groups or cells where it had none.
        let record = vertelpunt::store::observations::find_in_project(&mut conn, "demo", id)
            .expect("read")
            .expect("observation");
        let mut snapshot: Value =
            serde_json::from_str(record.pattern.as_deref().expect("pattern")).expect("JSON");
        let old = snapshot.as_object_mut().expect("object");
        for field in ["bands", "table", "poles"] {
            old.remove(field);
        }
        let json = serde_json::to_string(&snapshot).expect("JSON");
        vertelpunt::store::observations::save_pattern(&mut conn, id, &json, 1_800_000_000)
            .expect("save");
        let page = onderzoeker.get(&format!("{path}/kaart"));
        assert_eq!(page.status, 200, "{kind}: {}", page.body);
        page.assert_contains(&escape(&title));
        page.assert_contains("sterkte 0,");
        // A slider's ends come from the questionnaire when the figures did not keep them.
        for (left, right) in questions.iter().filter_map(|q| poles(q)) {
            page.assert_contains(&escape(&left));
            page.assert_contains(&escape(&right));
        }
        let (status, _, pdf) = onderzoeker.get_bytes(&format!("{path}/kaart.pdf"));
        assert_eq!(status, 200, "{kind}");
        keep(&format!("oude-kaart-{kind}.pdf"), &pdf);
        if let Some(text) = pdf_text(&pdf) {
            assert!(flat(&text).contains(&title), "{kind}: {text}");
        }
        if let Some(pages) = page_count(&pdf) {
            assert_eq!(pages, 1, "{kind}: {pages} pages");
        }
    }
}
