//! The research export opens safely in a spreadsheet: a story whose texts begin like a
//! formula comes out as text (OWASP's CSV-injection advice), over HTTP, as an onderzoeker
//! downloads it.

use crate::helpers::*;
use std::collections::HashMap;
use vertelpunt::service::transfer;

/// Texts a spreadsheet would run as a formula (or start one with a tab). The anonymiser
/// already takes `@SUM` for a social-media handle (`[naam](A1:A9)`); `@1+A1` gets through it.
const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"https://evil.example/x\";\"klik hier\")",
    "+1",
    "@SUM(A1:A9)",
    "-2+3",
    "\t=1",
    "@1+A1",
];
/// The one of [`FORMULAS`] the anonymiser changes before the export is written.
const HANDLE: &str = "@SUM(A1:A9)";

/// A project "formules" (the default questionnaire plus a free-text question `toelichting`)
/// with seven stories: six whose title, text and text answer begin with a formula, one plain.
fn app_with_formula_stories() -> TestApp {
    let app = spawn_app().with_admin();
    let mut questionnaire: serde_json::Value = serde_json::from_str(
        &vertelpunt::domain::questionnaire::default_questionnaire()
            .expect("default")
            .to_json_pretty(),
    )
    .expect("questionnaire JSON");
    questionnaire["slug"] = "formules".into();
    questionnaire["title"] = "Formules".into();
    questionnaire["questions"]
        .as_array_mut()
        .expect("questions")
        .push(serde_json::json!({
            "key": "toelichting", "type": "text", "label": "Wil je nog iets kwijt?"
        }));
    vertelpunt::service::projects::import_questionnaire(
        &app.database(),
        &questionnaire.to_string(),
    )
    .expect("import questionnaire");
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(["id", "created_at", "role", "title", "text", "toelichting"])
        .expect("header");
    for (i, formula) in FORMULAS.iter().enumerate() {
        let title = FORMULAS[(i + 1) % FORMULAS.len()];
        let answer = FORMULAS[(i + 2) % FORMULAS.len()];
        writer
            .write_record([
                &format!("f-{i}"),
                &format!("2026-03-0{}T10:00:00Z", i + 1),
                "ouder",
                title,
                formula,
                answer,
            ])
            .expect("row");
    }
    writer
        .write_record([
            "f-9",
            "2026-03-09T10:00:00Z",
            "ouder",
            "Gewoon",
            "Het wijkteam luisterde naar ons.",
            "Niets meer.",
        ])
        .expect("row");
    let csv = writer.into_inner().expect("csv");
    let n = transfer::import_csv(&app.database(), "formules", &csv[..]).expect("import stories");
    assert_eq!(n, 7);
    app
}

/// Posts the export form of "formules": status, headers and the file.
fn export(browser: &Browser, format: &str) -> (u16, HashMap<String, String>, Vec<u8>) {
    crate::export::download_from(browser, "formules", "", format)
}

/// Whether a spreadsheet would read this cell as a formula (OWASP's list, after the
/// whitespace some spreadsheets skip).
fn runs_in_a_spreadsheet(cell: &str) -> bool {
    cell.starts_with(['\t', '\r']) || cell.trim_start().starts_with(['=', '+', '-', '@'])
}

#[test]
fn formula_texts_come_out_of_the_research_csv_as_text() {
    let app = app_with_formula_stories();
    let onderzoeker = app.user_browser("o@voorbeeld.nl", &[("formules", "onderzoeker")]);
    let (status, headers, body) = export(&onderzoeker, "csv");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    assert!(header("content-type").is_some_and(|t| t.starts_with("text/csv")));
    let text = String::from_utf8(body).expect("utf-8");

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let columns: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let at = |name: &str| {
        columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("column {name} in {columns:?}"))
    };
    let (title, story, answer, gehoord) =
        (at("title"), at("text"), at("toelichting"), at("gehoord"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 7);

    // Every story's title, text and text answer that began with a formula now begins with a
    // quote and then the formula, so a spreadsheet shows it as text.
    let mut neutralised = 0;
    for row in &rows {
        for column in [title, story, answer] {
            let cell = &row[column];
            let after_quote = cell.strip_prefix('\'').unwrap_or(cell);
            if let Some(formula) = FORMULAS.iter().find(|f| after_quote.starts_with(&f[..2])) {
                assert!(cell.starts_with('\''), "{cell:?} (from {formula:?})");
                neutralised += 1;
            }
        }
    }
    // Each formula is in three cells; the anonymiser already changed the handle's three.
    assert_eq!(neutralised, 15, "{text}");
    for formula in FORMULAS.iter().filter(|f| **f != HANDLE) {
        // In the file itself: quoted, and the quote in front.
        let raw = format!("\"'{}", &formula[..2]);
        assert!(text.contains(&raw), "{raw:?} in\n{text}");
    }
    // No cell anywhere in the file would run.
    for row in &rows {
        for cell in row {
            assert!(!runs_in_a_spreadsheet(cell), "{cell:?} in\n{text}");
        }
    }
    // The plain story and the numbers are untouched.
    let plain = rows
        .iter()
        .find(|r| &r[title] == "Gewoon")
        .expect("the plain story");
    assert_eq!(&plain[story], "Het wijkteam luisterde naar ons.");
    assert_eq!(&plain[answer], "Niets meer.");
    assert!(rows
        .iter()
        .all(|r| r[gehoord].is_empty() || r[gehoord].parse::<i64>().is_ok()));
}

#[test]
fn the_spreadsheet_export_writes_formula_texts_as_text_cells() {
    let app = app_with_formula_stories();
    let (status, _, body) = export(&app, "xlsx");
    assert_eq!(status, 200);
    assert_eq!(&body[..2], b"PK", "a zip file");
    // The parts of the file are deflated XML; read them all.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("an XLSX archive");
    let mut xml = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("a part");
        std::io::Read::read_to_string(&mut part, &mut xml).expect("XML text");
    }
    // Stored as the text it is (no quote in front: a text cell never runs) and never as a
    // formula (`<f>`).
    assert!(xml.contains(">=HYPERLINK("), "{xml}");
    assert!(xml.contains(">@1+A1<"), "{xml}");
    assert!(xml.contains(">-2+3<"), "{xml}");
    assert!(!xml.contains("<f>") && !xml.contains("<f "), "{xml}");
    assert!(!xml.contains(">'="), "{xml}");
}
