//! The export of the verbetervoorstellen for the stuurgroep (CSV, CSV for Dutch Excel, XLSX):
//! every column against what was made at a table and recorded afterwards, the history in
//! order, no owner's address or link, the rights of the proposals list, the audit log, and
//! the same export from the command line.

use crate::helpers::*;
use crate::sensemaking::{join, note, plan, setup, some_stories};
use diesel::prelude::*;
use vertelpunt::domain::accounts::Access;
use vertelpunt::domain::sensemaking::ProposalStatus;
use vertelpunt::exchange::timestamp::{dutch_day, now_unix};
use vertelpunt::service::accounts::SignedIn;
use vertelpunt::service::proposals;

const DAY: i64 = 86_400;
const EXPORT: &str = "/beheer/p/demo/voorstellen/export";
const TITLE: &str = "Wachttijd eerlijk melden";
const FORMULA_TITLE: &str = "=HYPERLINK(\"http://voorbeeld.nl\",\"klik\")";
const OWNER_EMAIL: &str = "femke@gemeente.nl";
const CARD_TITLE: &str = "Wachten duurt lang";
const PICKED_UP: &str = "Femke plant een gesprek met de wijkteams.";
const LAST: &str = "+ eerste gesprek gevoerd;\nvervolg in april";

/// The columns of the CSV and of the sheet "voorstellen", in order (docs/formats.md).
const COLUMNS: [&str; 15] = [
    "id",
    "titel",
    "project",
    "sessie",
    "sessiedatum",
    "tafel",
    "kaarten",
    "verhalen",
    "notities",
    "handschoenoppakker",
    "niveau",
    "stand",
    "laatste_update_op",
    "laatste_update",
    "verloop",
];

/// Someone who may change every project, to record updates with chosen dates.
fn planner() -> SignedIn {
    SignedIn {
        id: "u-planner".into(),
        email: "planner@voorbeeld.nl".into(),
        name: "Planner".into(),
        access: Access {
            is_admin: true,
            ..Default::default()
        },
    }
}

/// What the test made, to compare the files with.
struct Made {
    app: TestApp,
    begeleider: Browser,
    /// The proposal from a card, a story and a note, with four updates.
    full: String,
    /// The proposal from nothing, with a title that looks like a formula.
    bare: String,
    card: String,
    story: String,
}

/// The id after `#{anchor}-` in a redirect.
fn anchored(page: &Page, anchor: &str) -> String {
    let location = page.header("location").expect("location");
    location
        .rsplit(&format!("#{anchor}-"))
        .next()
        .expect("id")
        .to_string()
}

/// In the demo project: a session whose first table reads a card and a story; Sam writes a
/// note there and two proposals. The first one's history is spread over a month: written 30
/// days ago, picked up 20 days ago, in progress (no text) 10 days ago, and an update by the
/// begeleider now.
fn made() -> Made {
    let (app, begeleider, card) = setup();
    let story = some_stories(&begeleider, 1).remove(0);
    let planned = plan(&begeleider, &card);
    let table = planned.tables[0].clone();
    let csrf = begeleider.csrf(&planned.path);
    let set = begeleider.post(
        &format!("{}/tafels/{table}/materiaal", planned.path),
        &[
            ("csrf", &csrf),
            ("kaart", &card),
            ("extra_verhalen", &story),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.body);

    let code = planned.code.clone();
    let sam = join(&app, &code, &table, "Sam");
    let posted = note(
        &sam,
        &code,
        "een vaste contactpersoon geven tijdens het wachten",
    );
    assert_eq!(posted.status, 303, "{}", posted.body);
    let note_id = anchored(&posted, "notitie");
    let csrf = sam.csrf(&format!("/s/{code}/tafel"));
    let (kaart, verhaal, notitie) = (
        format!("kaart:{card}"),
        format!("verhaal:{story}"),
        format!("notitie:{note_id}"),
    );
    let proposed = sam.post(
        &format!("/s/{code}/voorstellen"),
        &[
            ("csrf", &csrf),
            ("groep", ""),
            ("titel", TITLE),
            ("wat", "bij de aanmelding meteen de echte wachttijd noemen"),
            ("zodat", "jongeren en ouders weten waar ze aan toe zijn"),
            ("eerste_stap", "Navragen bij de aanbieders in december"),
            ("eigenaar", "Femke (gemeente)"),
            ("eigenaar_email", OWNER_EMAIL),
            ("niveau", "regionaal"),
            ("bron", &kaart),
            ("bron", &verhaal),
            ("bron", &notitie),
        ],
    );
    assert_eq!(proposed.status, 303, "{}", proposed.body);
    let full = anchored(&proposed, "voorstel");
    let bare = sam.post(
        &format!("/s/{code}/voorstellen"),
        &[
            ("csrf", &csrf),
            ("groep", ""),
            ("titel", FORMULA_TITLE),
            ("wat", "iedereen welkom heten met koffie"),
            ("zodat", "het gesprek makkelijker begint"),
            ("eerste_stap", "Koffie kopen"),
            ("eigenaar", "@Noor"),
            ("eigenaar_email", ""),
            ("niveau", "lokaal"),
        ],
    );
    assert_eq!(bare.status, 303, "{}", bare.body);
    let bare = anchored(&bare, "voorstel");

    // The history of the first proposal, each step on a day of its own.
    let now = now_unix();
    let db = app.database();
    db.write_sync(|conn| {
        use vertelpunt::store::schema::proposal_updates;
        diesel::update(proposal_updates::table.filter(proposal_updates::proposal_id.eq(&full)))
            .set(proposal_updates::at.eq(now - 30 * DAY))
            .execute(conn)?;
        Ok(())
    })
    .expect("backdate the first entry");
    for (status, text, at) in [
        (ProposalStatus::Opgepakt, PICKED_UP, now - 20 * DAY),
        (ProposalStatus::InUitvoering, "", now - 10 * DAY),
    ] {
        proposals::add_update(&db, &planner(), "demo", &full, status, text, at).expect("update");
    }
    let path = format!("/beheer/p/demo/voorstellen/{full}");
    let csrf = begeleider.csrf(&path);
    let updated = begeleider.post(
        &format!("{path}/voortgang"),
        &[
            ("csrf", &csrf),
            ("status", "in_uitvoering"),
            ("voortgang", LAST),
        ],
    );
    assert_eq!(updated.status, 303, "{}", updated.body);
    Made {
        app,
        begeleider,
        full,
        bare,
        card,
        story,
    }
}

fn read_csv(bytes: &[u8], separator: u8) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.expect("a CSV record"))
        .collect()
}

/// The row of proposal `id`, as column → value.
fn row_of<'r>(records: &'r [csv::StringRecord], id: &str) -> Vec<(&'static str, &'r str)> {
    let record = records
        .iter()
        .find(|r| r.get(0) == Some(id))
        .unwrap_or_else(|| panic!("no row for {id} in {records:?}"));
    COLUMNS.iter().copied().zip(record.iter()).collect()
}

fn cell<'r>(row: &[(&'static str, &'r str)], column: &str) -> &'r str {
    row.iter()
        .find(|(c, _)| *c == column)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no column {column}"))
}

/// The compact history as the export writes it: `jjjj-mm-dd Stand: text | …`.
fn compact(updates: &[proposals::UpdateRecord]) -> String {
    updates
        .iter()
        .map(|u| {
            let label = ProposalStatus::parse(&u.status_after)
                .expect("a known status")
                .label();
            let text = u.body.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() {
                format!("{} {label}", dutch_day(u.at))
            } else {
                format!("{} {label}: {text}", dutch_day(u.at))
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Reads an XLSX file with openpyxl (`scripts/xlsx_check.py`); `None` (after a note) when
/// openpyxl is not installed outside CI.
fn read_xlsx(bytes: &[u8]) -> Option<serde_json::Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("voorstellen.xlsx");
    std::fs::write(&file, bytes).expect("write the file");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/xlsx_check.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3");
    if output.status.code() == Some(3) {
        assert!(!in_ci(), "openpyxl is required in CI");
        eprintln!("openpyxl not installed: the XLSX was only checked as a zip");
        return None;
    }
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("JSON"))
}

/// One part of a zip (an XLSX file), as text.
fn zip_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut part = archive.by_name(name).expect("part in the zip");
    let mut text = String::new();
    part.read_to_string(&mut text).expect("text");
    text
}

#[test]
fn the_export_holds_every_proposal_with_its_origin_owner_and_history() {
    let m = made();
    let db = m.app.database();
    let full = proposals::open(&db, &planner(), "demo", &m.full).expect("the first proposal");
    let (_, sources) =
        proposals::open_with_sources(&db, &planner(), "demo", &m.full).expect("its sources");
    let bare = proposals::open(&db, &planner(), "demo", &m.bare).expect("the second proposal");
    let secret = {
        let mut conn = db.conn().expect("connection");
        vertelpunt::service::projects::load_secret(&mut conn, m.app.config.secret.as_deref())
            .expect("secret")
    };
    let token = proposals::owner_token(&secret, &full.record);

    // The list page offers the downloads.
    let list = m.begeleider.get("/beheer/p/demo/voorstellen");
    assert_eq!(list.status, 200, "{}", list.body);
    list.assert_contains("Overzicht downloaden");
    for format in ["xlsx", "csv-nl", "csv"] {
        list.assert_contains(&format!("href=\"{EXPORT}?formaat={format}\""));
    }

    // --- CSV ---------------------------------------------------------------------------
    let page = m.begeleider.get(EXPORT);
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/csv; charset=utf-8"));
    let disposition = page.header("content-disposition").expect("a file name");
    assert!(
        disposition.starts_with("attachment; filename=\"demo-voorstellen-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let (status, _, csv_bytes) = m.begeleider.get_bytes(&format!("{EXPORT}?formaat=csv"));
    assert_eq!(status, 200);
    let records = read_csv(&csv_bytes, b',');
    assert_eq!(records.len(), 3, "a header and two proposals: {records:?}");
    assert_eq!(records[0].iter().collect::<Vec<_>>(), COLUMNS);

    let row = row_of(&records, &m.full);
    let updates = &full.updates;
    assert_eq!(updates.len(), 4, "{updates:?}");
    let last = updates.last().expect("a last update");
    assert_eq!(last.body, LAST.trim());
    let story_title = sources
        .iter()
        .find(|s| s.id == m.story)
        .and_then(|s| s.label.clone())
        .expect("the story's title");
    let expected = [
        ("id", m.full.clone()),
        ("titel", TITLE.to_string()),
        ("project", "demo".to_string()),
        ("sessie", "Duidingssessie Noord".to_string()),
        ("sessiedatum", "2026-12-01".to_string()),
        ("tafel", full.table_name.clone().expect("a table")),
        ("kaarten", format!("{}: {CARD_TITLE}", m.card)),
        ("verhalen", format!("{}: {story_title}", m.story)),
        ("notities", "1".to_string()),
        ("handschoenoppakker", "Femke (gemeente)".to_string()),
        ("niveau", "Regionaal".to_string()),
        ("stand", "In uitvoering".to_string()),
        ("laatste_update_op", dutch_day(last.at)),
        // A text that starts with a formula sign gets a quote in front.
        ("laatste_update", format!("'{}", last.body)),
        ("verloop", compact(updates)),
    ];
    for (column, value) in &expected {
        assert_eq!(cell(&row, column), value, "column {column}");
    }
    // The history in order, each entry with its own day, status and text.
    let days: Vec<String> = [30, 20, 10]
        .iter()
        .map(|d| dutch_day(last.at - d * DAY))
        .collect();
    assert_eq!(
        cell(&row, "verloop"),
        format!(
            "{} Nieuw: Geschreven in de sessie 'Duidingssessie Noord'. | {} Opgepakt: {PICKED_UP} | \
             {} In uitvoering | {} In uitvoering: + eerste gesprek gevoerd; vervolg in april",
            days[0],
            days[1],
            days[2],
            dutch_day(last.at)
        )
    );

    let row = row_of(&records, &m.bare);
    assert_eq!(cell(&row, "titel"), format!("'{FORMULA_TITLE}"));
    assert_eq!(cell(&row, "handschoenoppakker"), "'@Noor");
    assert_eq!(cell(&row, "kaarten"), "");
    assert_eq!(cell(&row, "verhalen"), "");
    assert_eq!(cell(&row, "notities"), "0");
    assert_eq!(cell(&row, "niveau"), "Lokaal");
    assert_eq!(cell(&row, "stand"), "Nieuw");
    assert_eq!(
        cell(&row, "laatste_update_op"),
        dutch_day(bare.updates[0].at)
    );
    assert_eq!(cell(&row, "verloop"), compact(&bare.updates));
    // No cell would start a formula in a spreadsheet.
    for record in &records {
        for value in record {
            let first = value.trim_start().chars().next();
            assert!(
                !first.is_some_and(|c| "=+-@".contains(c)),
                "{value:?} in {record:?}"
            );
        }
    }
    // Neither the owner's address nor the personal link is in the file.
    let text = String::from_utf8(csv_bytes.clone()).expect("UTF-8");
    assert!(!text.contains(OWNER_EMAIL), "{text}");
    assert!(!text.contains(&token), "{text}");

    // --- CSV for Dutch Excel: the same rows with `;` after a byte order mark -------------
    let (status, content_type, nl_bytes) =
        m.begeleider.get_bytes(&format!("{EXPORT}?formaat=csv-nl"));
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    assert!(nl_bytes.starts_with("\u{FEFF}".as_bytes()));
    assert!(nl_bytes.starts_with("\u{FEFF}\"id\";\"titel\";".as_bytes()));
    assert_eq!(read_csv(&nl_bytes[3..], b';'), records);

    // --- XLSX --------------------------------------------------------------------------
    let (status, content_type, xlsx) = m.begeleider.get_bytes(&format!("{EXPORT}?formaat=xlsx"));
    assert_eq!(status, 200);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    assert_eq!(&xlsx[..2], b"PK", "a zip file");
    let workbook = zip_part(&xlsx, "xl/workbook.xml");
    for sheet in ["voorstellen", "verloop", "toelichting"] {
        assert!(
            workbook.contains(&format!("name=\"{sheet}\"")),
            "{workbook}"
        );
    }
    let strings = zip_part(&xlsx, "xl/sharedStrings.xml");
    assert!(!strings.contains(OWNER_EMAIL) && !strings.contains(&token));
    assert!(!zip_part(&xlsx, "xl/worksheets/sheet1.xml").contains("<f>"));

    if let Some(book) = read_xlsx(&xlsx) {
        assert_eq!(
            book["sheets"],
            serde_json::json!(["voorstellen", "verloop", "toelichting"])
        );
        let sheet = |name: &str| -> Vec<Vec<serde_json::Value>> {
            serde_json::from_value(book["cells"][name].clone()).expect("rows")
        };
        let value = |cell: &serde_json::Value| cell[1].clone();
        let text = |cell: &serde_json::Value| -> String {
            assert_eq!(cell[0], "s", "a text cell: {cell}");
            cell[1].as_str().expect("text").to_string()
        };

        // Sheet "voorstellen": the CSV's rows, texts as they are (no quote in front), days
        // as dates and the number of notes as a number.
        let rows = sheet("voorstellen");
        assert_eq!(rows.len(), 3);
        let header: Vec<String> = rows[0].iter().map(text).collect();
        assert_eq!(header, COLUMNS);
        let row = rows
            .iter()
            .find(|r| r[0][1] == m.full.as_str())
            .expect("the first proposal's row");
        for (c, (column, expected)) in expected.iter().enumerate() {
            match *column {
                "sessiedatum" | "laatste_update_op" => {
                    assert_eq!(row[c][0], "d", "{column} is a date");
                    assert_eq!(value(&row[c]), expected.as_str(), "{column}");
                }
                "notities" => assert_eq!(value(&row[c]), 1, "{column}"),
                "laatste_update" => assert_eq!(text(&row[c]), last.body, "{column}"),
                _ => assert_eq!(&text(&row[c]), expected, "{column}"),
            }
        }
        let row = rows
            .iter()
            .find(|r| r[0][1] == m.bare.as_str())
            .expect("the second proposal's row");
        // Written as text, not as a formula, and unchanged.
        assert_eq!(text(&row[1]), FORMULA_TITLE);
        assert_eq!(text(&row[9]), "@Noor");

        // Sheet "verloop": one row per update, oldest first per proposal.
        let history = sheet("verloop");
        assert_eq!(
            history[0].iter().map(text).collect::<Vec<_>>(),
            ["voorstel_id", "titel", "datum", "stand", "tekst"]
        );
        let of_full: Vec<(String, String, String)> = history[1..]
            .iter()
            .filter(|r| r[0][1] == m.full.as_str())
            .map(|r| {
                assert_eq!(text(&r[1]), TITLE);
                assert_eq!(r[2][0], "d", "a date");
                let body = if r[4][1].is_null() {
                    String::new()
                } else {
                    text(&r[4])
                };
                (
                    value(&r[2]).as_str().expect("day").to_string(),
                    text(&r[3]),
                    body,
                )
            })
            .collect();
        let wanted: Vec<(String, String, String)> = updates
            .iter()
            .map(|u| {
                (
                    dutch_day(u.at),
                    ProposalStatus::parse(&u.status_after)
                        .expect("status")
                        .label()
                        .to_string(),
                    u.body.clone(),
                )
            })
            .collect();
        assert_eq!(of_full, wanted);
        assert_eq!(history.len(), 1 + updates.len() + bare.updates.len());

        // Sheet "toelichting": what is in the file.
        let about: Vec<String> = sheet("toelichting")
            .iter()
            .flatten()
            .filter_map(|c| c[1].as_str().map(String::from))
            .collect();
        assert!(
            about.contains(&"Demo: verzonnen verhalen (demo)".to_string()),
            "{about:?}"
        );
        assert!(about.iter().any(|t| t.contains("niet het e-mailadres")));
        for column in COLUMNS {
            assert!(about.iter().any(|t| t == column), "{column} explained");
        }
        let everything = book.to_string();
        assert!(!everything.contains(OWNER_EMAIL) && !everything.contains(&token));
    }

    // --- the audit log: one entry per download, with who and what -----------------------
    let entries = {
        let mut conn = db.conn().expect("connection");
        vertelpunt::store::audit::list(
            &mut conn,
            &vertelpunt::store::audit::AuditFilter {
                action: Some("export".into()),
                ..Default::default()
            },
            100,
        )
        .expect("audit log")
    };
    let details: Vec<&str> = entries.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(entries.len(), 4, "{details:?}");
    for wanted in [
        "Verbetervoorstellen als CSV via het web, 2 voorstellen",
        "Verbetervoorstellen als CSV-NL via het web, 2 voorstellen",
        "Verbetervoorstellen als XLSX via het web, 2 voorstellen",
    ] {
        assert!(details.contains(&wanted), "{wanted:?} in {details:?}");
    }
    assert!(entries
        .iter()
        .all(|e| e.actor_email.as_deref() == Some("b@voorbeeld.nl")
            && e.project_slug.as_deref() == Some("demo")));

    // --- the command line writes the same file, and logs it too -------------------------
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("voorstellen.csv");
    let out = crate::cli::vertelpunt(
        &m.app.db_url,
        &[
            "proposals",
            "export",
            "--project",
            "demo",
            "--format",
            "csv",
            "--output",
            file.to_str().expect("path"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 verbetervoorstellen"));
    let from_cli = std::fs::read(&file).expect("the file");
    assert_eq!(read_csv(&from_cli, b','), records);
    let logged = audit_details(&m.app, "export");
    assert!(
        logged
            .iter()
            .any(|d| d == "Verbetervoorstellen als CSV via de opdrachtregel, 2 voorstellen"),
        "{logged:?}"
    );
    let wrong = crate::cli::vertelpunt(
        &m.app.db_url,
        &[
            "proposals",
            "export",
            "--project",
            "demo",
            "--format",
            "pdf",
        ],
    );
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("onbekend formaat"));
    let unknown = crate::cli::vertelpunt(
        &m.app.db_url,
        &["proposals", "export", "--project", "bestaat-niet"],
    );
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("bestaat niet"));
}

#[test]
fn only_those_who_may_read_the_proposals_may_export_them() {
    let app = spawn_app().with_admin();
    let list = "/beheer/p/jeugdhulp/voorstellen";
    let export = "/beheer/p/jeugdhulp/voorstellen/export";

    // Not signed in: to the login page, as for the list.
    let stranger = app.browser();
    for path in [list, export] {
        let page = stranger.get(path);
        assert_eq!(page.status, 303, "{path}");
        assert!(page
            .header("location")
            .is_some_and(|l| l.starts_with("/beheer/inloggen")));
    }
    // Staff without a role here, or with a role in another project only: 403, as for the list.
    let demo = crate::cli::vertelpunt(&app.db_url, &["demo", "--stories", "1"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let nobody = app.user_browser("zonder-rol@voorbeeld.nl", &[]);
    let elsewhere = app.user_browser("elders@voorbeeld.nl", &[("demo", "begeleider")]);
    for browser in [&nobody, &elsewhere] {
        assert_eq!(browser.get(list).status, 403);
        for format in ["", "?formaat=csv", "?formaat=xlsx", "?formaat=csv-nl"] {
            let (status, _, body) = browser.get_bytes(&format!("{export}{format}"));
            assert_eq!(status, 403, "{format}");
            assert!(!String::from_utf8_lossy(&body).contains("handschoenoppakker"));
        }
    }
    // An onderzoeker may read the list, and so export it.
    let researcher = app.user_browser("onderzoek@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    assert_eq!(researcher.get(list).status, 200);
    let (status, _, body) = researcher.get_bytes(export);
    assert_eq!(status, 200);
    assert_eq!(
        read_csv(&body, b',').len(),
        1,
        "only the header: no proposals yet"
    );
    // An unknown format or project is not there.
    assert_eq!(researcher.get(&format!("{export}?formaat=pdf")).status, 404);
    assert_eq!(
        app.get("/beheer/p/bestaat-niet/voorstellen/export").status,
        404
    );
    // Only the one download was logged; the refusals exported nothing.
    let logged = audit_details(&app, "export");
    assert_eq!(
        logged,
        ["Verbetervoorstellen als CSV via het web, 0 voorstellen"]
    );
}
