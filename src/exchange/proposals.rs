//! The follow-up of a project's verbetervoorstellen as a file for begeleiders and the
//! stuurgroep: "wat is ermee gebeurd?" (docs/formats.md, "Verbetervoorstellen (CSV, XLSX)").
//!
//! - **CSV** (and **CSV for Dutch Excel**: `;`, UTF-8 with a byte order mark): one row per
//!   proposal, [`PROPOSAL_COLUMNS`], its whole history in one compact column; every text made
//!   [`spreadsheet_safe`] and every field quoted, so no cell can start a formula;
//! - **XLSX**: the same rows on a sheet "voorstellen", one row per update on a sheet
//!   "verloop" ([`HISTORY_COLUMNS`]) and a sheet "toelichting" that says what is in the file.
//!   Texts are written as text cells, dates as dates.
//!
//! Days are Dutch calendar days (`jjjj-mm-dd`). The owner's e-mail address and personal link
//! never reach this module. The rows arrive complete; this module only formats them.

use super::csv_v1::CsvError;
use super::research::spreadsheet_safe;
use super::timestamp::{dutch_day, dutch_time, format_utc};
use crate::domain::sensemaking::{Level, ProposalStatus};
use serde::Serialize;
use std::io::Write;

/// The columns of the CSV and of the sheet "voorstellen", each with what it holds.
pub const PROPOSAL_COLUMNS: [(&str, &str); 15] = [
    ("id", "De code van het voorstel (VV-…)."),
    ("titel", "De titel van het voorstel."),
    ("project", "De korte naam van het project."),
    ("sessie", "De duidingssessie waarin het voorstel is geschreven."),
    ("sessiedatum", "De dag van die sessie (jjjj-mm-dd)."),
    ("tafel", "De tafel waaraan het voorstel is geschreven."),
    (
        "kaarten",
        "De observatiekaarten waar het voorstel uit voortkomt: code en titel, gescheiden door ' | '.",
    ),
    (
        "verhalen",
        "De verhalen waar het voorstel uit voortkomt: code en titel (zoals in de export voor onderzoek), gescheiden door ' | '.",
    ),
    (
        "notities",
        "Het aantal notities van de tafel waar het voorstel uit voortkomt.",
    ),
    (
        "handschoenoppakker",
        "Wie de handschoen oppakt (alleen de naam; het e-mailadres staat niet in dit bestand).",
    ),
    ("niveau", "Waar het voorstel hoort: Lokaal, Regionaal of Landelijk."),
    (
        "stand",
        "Hoe het er nu mee staat: Nieuw, Opgepakt, In uitvoering, Gerealiseerd of Gestopt.",
    ),
    (
        "laatste_update_op",
        "De dag van de laatste update (jjjj-mm-dd).",
    ),
    ("laatste_update", "De tekst van de laatste update."),
    (
        "verloop",
        "Alle updates, de oudste eerst: 'jjjj-mm-dd stand: tekst', gescheiden door ' | '.",
    ),
];

/// The columns of the sheet "verloop": one row per update.
pub const HISTORY_COLUMNS: [(&str, &str); 5] = [
    ("voorstel_id", "De code van het voorstel."),
    ("titel", "De titel van het voorstel."),
    ("datum", "De dag van de update (jjjj-mm-dd)."),
    ("stand", "De stand na deze update."),
    (
        "tekst",
        "Wat er in de update staat (leeg als alleen de stand veranderde).",
    ),
];

/// Between the entries of a list in one cell.
pub const LIST_SEPARATOR: &str = " | ";

/// What a source shows when the card or story no longer counts (withdrawn, hidden, deleted).
pub const GONE: &str = "niet meer te tonen";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    Csv,
    /// `;` between fields and a byte order mark, as Dutch Excel opens it by a double click.
    #[serde(rename = "csv-nl")]
    CsvNl,
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::CsvNl, Format::Xlsx];

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "csv-nl" => Some(Format::CsvNl),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The name [`Format::parse`] reads.
    pub fn key(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::CsvNl => "csv-nl",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvNl => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvNl => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A card or story a proposal grew from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    /// Its title; `None` when it is no longer shown ([`GONE`]).
    pub title: Option<String>,
}

impl Source {
    fn line(&self) -> String {
        match &self.title {
            Some(title) => format!("{}: {}", self.id, one_line(title)),
            None => format!("{} ({GONE})", self.id),
        }
    }
}

/// One dated update of a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub at: i64,
    /// The status after this update.
    pub status: ProposalStatus,
    pub text: String,
}

impl Update {
    /// `2026-03-01 Opgepakt: the text on one line`.
    fn compact(&self) -> String {
        let day = dutch_day(self.at);
        let text = one_line(&self.text);
        if text.is_empty() {
            format!("{day} {}", self.status.label())
        } else {
            format!("{day} {}: {text}", self.status.label())
        }
    }
}

/// The session a proposal was written in.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub session: String,
    /// The session's start as planned (wall-clock time stored as if UTC).
    pub starts_at: i64,
    pub table: Option<String>,
}

/// One proposal as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalRow {
    pub id: String,
    pub title: String,
    pub project: String,
    pub origin: Option<Origin>,
    pub cards: Vec<Source>,
    pub stories: Vec<Source>,
    pub notes: usize,
    pub owner_name: String,
    pub level: Level,
    pub status: ProposalStatus,
    /// Every update, oldest first.
    pub history: Vec<Update>,
}

impl ProposalRow {
    fn session_day(&self) -> Option<String> {
        self.origin
            .as_ref()
            .map(|o| format_utc(o.starts_at)[..10].to_string())
    }

    fn last(&self) -> Option<&Update> {
        self.history.last()
    }

    /// The row's cells in the order of [`PROPOSAL_COLUMNS`], as text.
    fn cells(&self) -> [String; 15] {
        let origin = self.origin.as_ref();
        let join = |sources: &[Source]| {
            sources
                .iter()
                .map(Source::line)
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR)
        };
        [
            self.id.clone(),
            self.title.clone(),
            self.project.clone(),
            origin.map(|o| o.session.clone()).unwrap_or_default(),
            self.session_day().unwrap_or_default(),
            origin.and_then(|o| o.table.clone()).unwrap_or_default(),
            join(&self.cards),
            join(&self.stories),
            self.notes.to_string(),
            self.owner_name.clone(),
            self.level.label().to_string(),
            self.status.label().to_string(),
            self.last().map(|u| dutch_day(u.at)).unwrap_or_default(),
            self.last().map(|u| u.text.clone()).unwrap_or_default(),
            self.history
                .iter()
                .map(Update::compact)
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
        ]
    }
}

/// What the sheet "toelichting" says about the file.
#[derive(Debug, Clone, PartialEq)]
pub struct About {
    pub project_slug: String,
    pub project_name: String,
    pub exported_at: i64,
}

/// Line breaks and runs of spaces as one space, for a text inside a list in one cell.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the export in `format`.
pub fn write(
    format: Format,
    out: impl Write,
    about: &About,
    rows: &[ProposalRow],
) -> Result<(), CsvError> {
    match format {
        Format::Csv => csv(out, rows, b',', false),
        Format::CsvNl => csv(out, rows, b';', true),
        Format::Xlsx => {
            let bytes = xlsx::workbook(about, rows)?;
            let mut out = out;
            out.write_all(&bytes)?;
            Ok(out.flush()?)
        }
    }
}

/// The CSV: every field quoted, every text [`spreadsheet_safe`]. The one number (`notities`)
/// is a count and never starts with a sign.
fn csv(out: impl Write, rows: &[ProposalRow], separator: u8, excel: bool) -> Result<(), CsvError> {
    let mut out = std::io::BufWriter::new(out);
    if excel {
        // Without the byte order mark Excel reads UTF-8 as the old Windows code page.
        out.write_all("\u{FEFF}".as_bytes())?;
    }
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(separator)
        .quote_style(::csv::QuoteStyle::Always)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(PROPOSAL_COLUMNS.iter().map(|(name, _)| *name))?;
    for row in rows {
        let cells = row.cells();
        writer.write_record(cells.iter().map(|cell| spreadsheet_safe(cell).into_owned()))?;
    }
    writer.flush()?;
    Ok(())
}

mod xlsx {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook, Worksheet};

    use crate::exchange::spreadsheet::{cell_text, xlsx_error as error};

    /// A `jjjj-mm-dd` day as a spreadsheet date.
    fn date(day: &str) -> Option<ExcelDateTime> {
        let mut parts = day.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        ExcelDateTime::from_ymd(year, month, day).ok()
    }

    struct Styles {
        bold: CellFormat,
        day: CellFormat,
    }

    fn header(
        sheet: &mut Worksheet,
        columns: &[(&str, &str)],
        widths: &[f64],
        styles: &Styles,
    ) -> Result<(), CsvError> {
        for (c, ((name, _), width)) in columns.iter().zip(widths).enumerate() {
            let c = c as u16;
            sheet
                .write_string_with_format(0, c, *name, &styles.bold)
                .map_err(error)?;
            sheet.set_column_width(c, *width).map_err(error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(error)?;
        Ok(())
    }

    /// A day cell: a date when it is one, nothing when it is empty.
    fn write_day(
        sheet: &mut Worksheet,
        r: u32,
        c: u16,
        day: &str,
        styles: &Styles,
    ) -> Result<(), CsvError> {
        match date(day) {
            Some(d) => {
                sheet
                    .write_datetime_with_format(r, c, d, &styles.day)
                    .map_err(error)?;
            }
            None if day.is_empty() => {}
            None => {
                sheet.write_string(r, c, day).map_err(error)?;
            }
        }
        Ok(())
    }

    fn proposals(
        sheet: &mut Worksheet,
        rows: &[ProposalRow],
        styles: &Styles,
    ) -> Result<(), CsvError> {
        sheet.set_name("voorstellen").map_err(error)?;
        let widths = [
            12.0, 40.0, 14.0, 30.0, 12.0, 14.0, 40.0, 40.0, 9.0, 24.0, 11.0, 14.0, 12.0, 50.0, 80.0,
        ];
        header(sheet, &PROPOSAL_COLUMNS, &widths, styles)?;
        for (i, row) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (c, cell) in row.cells().iter().enumerate() {
                let c = c as u16;
                match PROPOSAL_COLUMNS[usize::from(c)].0 {
                    "sessiedatum" | "laatste_update_op" => write_day(sheet, r, c, cell, styles)?,
                    "notities" => {
                        sheet.write_number(r, c, row.notes as f64).map_err(error)?;
                    }
                    _ => {
                        sheet.write_string(r, c, cell_text(cell)).map_err(error)?;
                    }
                }
            }
        }
        let last_row = rows.len() as u32;
        sheet
            .autofilter(0, 0, last_row, PROPOSAL_COLUMNS.len() as u16 - 1)
            .map_err(error)?;
        Ok(())
    }

    fn history(
        sheet: &mut Worksheet,
        rows: &[ProposalRow],
        styles: &Styles,
    ) -> Result<(), CsvError> {
        sheet.set_name("verloop").map_err(error)?;
        header(
            sheet,
            &HISTORY_COLUMNS,
            &[12.0, 40.0, 12.0, 14.0, 80.0],
            styles,
        )?;
        let mut r = 0u32;
        for row in rows {
            for update in &row.history {
                r += 1;
                sheet
                    .write_string(r, 0, cell_text(&row.id))
                    .map_err(error)?;
                sheet
                    .write_string(r, 1, cell_text(&row.title))
                    .map_err(error)?;
                write_day(sheet, r, 2, &dutch_day(update.at), styles)?;
                sheet
                    .write_string(r, 3, update.status.label())
                    .map_err(error)?;
                sheet
                    .write_string(r, 4, cell_text(&update.text))
                    .map_err(error)?;
            }
        }
        sheet
            .autofilter(0, 0, r, HISTORY_COLUMNS.len() as u16 - 1)
            .map_err(error)?;
        Ok(())
    }

    fn about(
        sheet: &mut Worksheet,
        about: &About,
        rows: &[ProposalRow],
        styles: &Styles,
    ) -> Result<(), CsvError> {
        sheet.set_name("toelichting").map_err(error)?;
        sheet.set_column_width(0, 24).map_err(error)?;
        sheet.set_column_width(1, 100).map_err(error)?;
        let made = dutch_time(about.exported_at);
        let updates: usize = rows.iter().map(|r| r.history.len()).sum();
        let mut lines: Vec<(String, String)> = vec![
            (
                "Project".into(),
                format!("{} ({})", about.project_name, about.project_slug),
            ),
            (
                "Gemaakt op".into(),
                format!(
                    "{} {:02}:{:02} (Nederlandse tijd)",
                    dutch_day(about.exported_at),
                    made.hour(),
                    made.minute()
                ),
            ),
            ("Voorstellen".into(), rows.len().to_string()),
            ("Updates".into(), updates.to_string()),
            (
                "Privacy".into(),
                "Van de handschoenoppakker staat alleen de naam in dit bestand, niet het e-mailadres en niet de persoonlijke link."
                    .into(),
            ),
            (
                "Datums".into(),
                "Alle datums zijn dagen in Nederlandse tijd (jjjj-mm-dd).".into(),
            ),
            (String::new(), String::new()),
            (
                "Blad 'voorstellen'".into(),
                "Eén regel per voorstel, het laatst bijgewerkte eerst.".into(),
            ),
        ];
        lines.extend(
            PROPOSAL_COLUMNS
                .iter()
                .map(|(name, what)| (name.to_string(), what.to_string())),
        );
        lines.push((String::new(), String::new()));
        lines.push((
            "Blad 'verloop'".into(),
            "Eén regel per update, per voorstel de oudste eerst.".into(),
        ));
        lines.extend(
            HISTORY_COLUMNS
                .iter()
                .map(|(name, what)| (name.to_string(), what.to_string())),
        );
        for (r, (label, text)) in lines.iter().enumerate() {
            let r = r as u32;
            if label.starts_with("Blad ") {
                sheet
                    .write_string_with_format(r, 0, label, &styles.bold)
                    .map_err(error)?;
            } else if !label.is_empty() {
                sheet.write_string(r, 0, label).map_err(error)?;
            }
            if !text.is_empty() {
                sheet.write_string(r, 1, text).map_err(error)?;
            }
        }
        Ok(())
    }

    /// The whole workbook. Proposals are few (tens, hundreds), so it is made in memory.
    pub fn workbook(info: &About, rows: &[ProposalRow]) -> Result<Vec<u8>, CsvError> {
        let mut workbook = Workbook::new();
        let styles = Styles {
            bold: CellFormat::new().set_bold(),
            day: CellFormat::new().set_num_format("yyyy-mm-dd"),
        };
        proposals(workbook.add_worksheet(), rows, &styles)?;
        history(workbook.add_worksheet(), rows, &styles)?;
        about(workbook.add_worksheet(), info, rows, &styles)?;
        workbook.save_to_buffer().map_err(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// 2026-03-01T10:00:00Z and a few days later.
    const MARCH_1: i64 = 1_772_359_200;
    const DAY: i64 = 86_400;

    fn rows() -> Vec<ProposalRow> {
        vec![
            ProposalRow {
                id: "VV-EEN".into(),
                title: "Eén vaste contactpersoon".into(),
                project: "jeugdhulp".into(),
                origin: Some(Origin {
                    session: "Sessie Noord".into(),
                    // 1 December 2026, 19:30 as typed.
                    starts_at: 1_796_153_400,
                    table: Some("Tafel 1".into()),
                }),
                cards: vec![
                    Source {
                        id: "OB-1".into(),
                        title: Some("Wachten duurt lang".into()),
                    },
                    Source {
                        id: "OB-2".into(),
                        title: None,
                    },
                ],
                stories: vec![Source {
                    id: "VP-1".into(),
                    title: Some("Drie maanden\nwachten".into()),
                }],
                notes: 2,
                owner_name: "Femke (gemeente)".into(),
                level: Level::Regionaal,
                status: ProposalStatus::InUitvoering,
                history: vec![
                    Update {
                        at: MARCH_1,
                        status: ProposalStatus::Nieuw,
                        text: "Geschreven in de sessie 'Sessie Noord'.".into(),
                    },
                    Update {
                        at: MARCH_1 + 3 * DAY,
                        status: ProposalStatus::Opgepakt,
                        text: String::new(),
                    },
                    Update {
                        at: MARCH_1 + 10 * DAY,
                        status: ProposalStatus::InUitvoering,
                        text: "Eerste gesprek gevoerd;\nvolgende week verder.".into(),
                    },
                ],
            },
            ProposalRow {
                id: "VV-TWEE".into(),
                title: "=HYPERLINK(\"http://x\")".into(),
                project: "jeugdhulp".into(),
                origin: None,
                cards: Vec::new(),
                stories: Vec::new(),
                notes: 0,
                owner_name: "@noor".into(),
                level: Level::Lokaal,
                status: ProposalStatus::Nieuw,
                history: Vec::new(),
            },
        ]
    }

    fn about() -> About {
        About {
            project_slug: "jeugdhulp".into(),
            project_name: "Jeugdhulp regio Noord".into(),
            exported_at: MARCH_1 + 20 * DAY,
        }
    }

    fn written(format: Format) -> Vec<u8> {
        let mut out = Vec::new();
        write(format, &mut out, &about(), &rows()).expect("written");
        out
    }

    fn read_csv(bytes: &[u8], separator: u8) -> Vec<Vec<String>> {
        ::csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(false)
            .from_reader(bytes)
            .records()
            .map(|r| r.expect("a record").iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn the_csv_has_one_row_per_proposal_with_its_history_in_one_column() {
        let bytes = written(Format::Csv);
        let records = read_csv(&bytes, b',');
        assert_eq!(records.len(), 3);
        let names: Vec<&str> = PROPOSAL_COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(records[0], names);
        let first = &records[1];
        let expected = [
            "VV-EEN",
            "Eén vaste contactpersoon",
            "jeugdhulp",
            "Sessie Noord",
            "2026-12-01",
            "Tafel 1",
            "OB-1: Wachten duurt lang | OB-2 (niet meer te tonen)",
            "VP-1: Drie maanden wachten",
            "2",
            "Femke (gemeente)",
            "Regionaal",
            "In uitvoering",
            "2026-03-11",
            "Eerste gesprek gevoerd;\nvolgende week verder.",
            "2026-03-01 Nieuw: Geschreven in de sessie 'Sessie Noord'. | 2026-03-04 Opgepakt | \
             2026-03-11 In uitvoering: Eerste gesprek gevoerd; volgende week verder.",
        ];
        assert_eq!(first, &expected);
        // A proposal without a session or updates has empty cells there.
        let second = &records[2];
        assert_eq!(second[3], "");
        assert_eq!(second[12], "");
        assert_eq!(second[14], "");
        // Every field is quoted, and lines end in CRLF.
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(text.starts_with("\"id\",\"titel\","), "{text}");
        assert!(text.contains("\"2\",\"Femke (gemeente)\""), "{text}");
        assert!(text.ends_with("\r\n"));
    }

    #[test]
    fn no_csv_cell_can_start_a_formula() {
        let records = read_csv(&written(Format::Csv), b',');
        let second = &records[2];
        assert_eq!(second[1], "'=HYPERLINK(\"http://x\")");
        assert_eq!(second[9], "'@noor");
        for record in &records {
            for cell in record {
                let first = cell.trim_start().chars().next();
                assert!(
                    !first.is_some_and(|c| "=+-@\t\r".contains(c)),
                    "{cell:?} would start a formula"
                );
            }
        }
    }

    #[test]
    fn the_dutch_excel_csv_has_a_bom_and_semicolons() {
        let bytes = written(Format::CsvNl);
        assert!(bytes.starts_with("\u{FEFF}".as_bytes()));
        let records = read_csv(&bytes[3..], b';');
        assert_eq!(records.len(), 3);
        assert_eq!(records[0][0], "id");
        // The text with a semicolon stays one field.
        assert_eq!(
            records[1][13],
            "Eerste gesprek gevoerd;\nvolgende week verder."
        );
        assert_eq!(records[1], read_csv(&written(Format::Csv), b',')[1]);
    }

    fn zip_part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut part = archive.by_name(name).expect("part in the zip");
        let mut text = String::new();
        part.read_to_string(&mut text).expect("XML");
        text
    }

    #[test]
    fn the_workbook_has_the_three_sheets_and_texts_stay_text() {
        let bytes = written(Format::Xlsx);
        assert_eq!(&bytes[..2], b"PK");
        let workbook = zip_part(&bytes, "xl/workbook.xml");
        let sheets: Vec<&str> = ["voorstellen", "verloop", "toelichting"]
            .into_iter()
            .filter(|name| workbook.contains(&format!("name=\"{name}\"")))
            .collect();
        assert_eq!(sheets, ["voorstellen", "verloop", "toelichting"]);
        // The title that looks like a formula is a string, not a formula, and unchanged.
        let first = zip_part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(!first.contains("<f>"), "{first}");
        let strings = zip_part(&bytes, "xl/sharedStrings.xml");
        assert!(
            strings.contains("<t>=HYPERLINK(\"http://x\")</t>"),
            "{strings}"
        );
        assert!(!strings.contains("'=HYPERLINK"), "{strings}");
        // Three updates on the sheet "verloop": a header and three rows.
        let history = zip_part(&bytes, "xl/worksheets/sheet2.xml");
        assert_eq!(history.matches("<row ").count(), 4, "{history}");
        let about = zip_part(&bytes, "xl/worksheets/sheet3.xml");
        assert!(about.contains("<row "), "{about}");
        assert!(strings.contains("Jeugdhulp regio Noord (jeugdhulp)"));
    }

    #[test]
    fn formats_are_read_from_their_names() {
        for format in Format::ALL {
            assert_eq!(Format::parse(format.key()), Some(format));
        }
        assert_eq!(Format::parse(" XLSX "), Some(Format::Xlsx));
        assert_eq!(Format::parse("pdf"), None);
        assert_eq!(Format::CsvNl.extension(), "csv");
    }
}
