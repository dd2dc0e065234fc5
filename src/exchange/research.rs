//! Anonymised stories for research, written as they come (docs/formats.md, "Onderzoeksexport"):
//!
//! - **CSV** (and **CSV for Dutch Excel**): one column per coding, laid out by `table`: keys or
//!   labels (never mixed), multichoice as 0/1 columns or joined, a status column beside every
//!   question that says why a cell is empty, the day as a date; made safe to open in a
//!   spreadsheet ([`spreadsheet_safe`]: no text cell can start a formula);
//! - **JSON**: one object with the export's description, the stories as an array (answers by
//!   key, missing ones under `ontbreekt` with the reason) and a summary at the end (so that
//!   it can be written without holding the stories);
//! - **XLSX**: the CSV's columns on a sheet "verhalen" (dates as date cells), and a sheet
//!   "toelichting" describing the export. Written in rust_xlsxwriter's constant-memory mode.
//! - **SPSS** (`.sav`, [`super::sav`]): the same stories with variable and value labels,
//!   measurement levels and user-missing codes for every reason (`spss` below);
//! - **data package**: the CSV, its Table Schema and the codebook, zipped (`package`).
//!
//! The rows arrive anonymised and protected; this module only formats them.

mod package;
mod spss;
mod table;

pub use table::{Coding, MultichoiceForm, TableOptions};

use super::csv_v1::{AnswerColumn, CsvError};
use super::timestamp::format_utc;
use crate::domain::questionnaire::QuestionType;
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;

/// Columns after the questions in the CSV and XLSX formats.
pub const EXTRA_COLUMNS: [&str; 5] = [
    "questionnaire_version",
    "is_complete",
    "consent_quotes",
    "protected_values",
    "redactions",
];

/// The name of the JSON format and its version.
pub const JSON_FORMAT: &str = "vertelpunt-onderzoek-1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    /// The CSV as Dutch Excel opens it by a double click: `;` between fields, UTF-8 with a
    /// byte order mark, the day as a date.
    #[serde(rename = "csv-nl")]
    CsvNl,
    Json,
    Xlsx,
    Sav,
    /// A Frictionless data package: the CSV with its Table Schema and the codebook, zipped.
    #[serde(rename = "datapackage")]
    Package,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Csv,
        Format::CsvNl,
        Format::Json,
        Format::Xlsx,
        Format::Sav,
        Format::Package,
    ];

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "csv-nl" => Some(Format::CsvNl),
            "json" => Some(Format::Json),
            "xlsx" => Some(Format::Xlsx),
            "sav" | "spss" => Some(Format::Sav),
            "datapackage" => Some(Format::Package),
            _ => None,
        }
    }

    /// The name [`Format::parse`] reads.
    pub fn key(self) -> &'static str {
        match self {
            Format::CsvNl => "csv-nl",
            Format::Package => "datapackage",
            other => other.extension(),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvNl => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Sav => "sav",
            Format::Package => "zip",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvNl => "text/csv; charset=utf-8",
            Format::Json => "application/json",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Sav => "application/x-spss-sav",
            Format::Package => "application/zip",
        }
    }
}

/// One answer as exported: a slider's number, an option key, a multichoice's option keys, a
/// free text, a merged group (small-cell protection); or no answer and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Empty,
    /// No answer, and why (docs/formats.md, "Missing values").
    Missing(Missing),
    Number(i64),
    Text(String),
    List(Vec<String>),
    /// Options merged into a group by the small-cell protection: written as the group's
    /// [`MergedGroup::code`] (or its label, when the export is coded with labels).
    #[serde(serialize_with = "group_code")]
    Group(MergedGroup),
}

fn group_code<S: serde::Serializer>(group: &MergedGroup, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&group.code())
}

/// Options that the small-cell protection may show together (the project's value groups).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MergedGroup {
    pub label: String,
    /// Option keys, in the order the project's settings name them.
    pub options: Vec<String>,
}

impl MergedGroup {
    /// The group's code in keys-coded files: its option keys joined by `+`
    /// (`heumen+mook`), so that it says what it holds and can never equal an option key.
    pub fn code(&self) -> String {
        self.options.join("+")
    }
}

/// Why a question has no answer in a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Missing {
    /// Asked, and left open.
    #[serde(rename = "niet_beantwoord")]
    NotAnswered,
    /// "Weet ik niet / past niet" (a slider's own choice).
    #[serde(rename = "weet_ik_niet")]
    DontKnow,
    /// Not in the teller's role or questionnaire version.
    #[serde(rename = "niet_gevraagd")]
    NotAsked,
    /// Hidden by the small-cell protection (a value that would single out a small group).
    #[serde(rename = "afgeschermd")]
    Protected,
    /// A text deleted when the project's retention period was over (the story's title and
    /// text, and its free-text answers).
    #[serde(rename = "tekst_verwijderd")]
    TextDeleted,
}

impl Missing {
    pub fn key(self) -> &'static str {
        match self {
            Missing::NotAnswered => "niet_beantwoord",
            Missing::DontKnow => "weet_ik_niet",
            Missing::NotAsked => "niet_gevraagd",
            Missing::Protected => "afgeschermd",
            Missing::TextDeleted => "tekst_verwijderd",
        }
    }

    pub const ALL: [Missing; 5] = [
        Missing::NotAnswered,
        Missing::DontKnow,
        Missing::NotAsked,
        Missing::Protected,
        Missing::TextDeleted,
    ];
}

impl Cell {
    /// The value in keys: as in exchange format v1 (multichoice keys joined by `;`), a group
    /// as its code; no answer is an empty text, whatever the reason.
    pub fn csv(&self) -> String {
        match self {
            Cell::Empty | Cell::Missing(_) => String::new(),
            Cell::Number(n) => n.to_string(),
            Cell::Text(t) => t.clone(),
            Cell::List(keys) => keys.join(";"),
            Cell::Group(group) => group.code(),
        }
    }

    /// Why there is no value, if there is none.
    pub fn missing(&self) -> Option<Missing> {
        match self {
            Cell::Missing(why) => Some(*why),
            _ => None,
        }
    }
}

/// What makes a spreadsheet read a typed cell as a formula (OWASP, "CSV Injection"): `=`, `+`,
/// `-`, `@`, and their full-width forms, which some spreadsheets read the same way.
const FORMULA_SIGNS: [char; 8] = [
    '=', '+', '-', '@', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// A text as the research CSV writes it, so that opening the file in Excel, LibreOffice or
/// Google Sheets never runs anything: a text that begins with a formula sign (also after
/// leading spaces or line breaks, which spreadsheets may skip), or with a tab or a carriage
/// return, gets a single quote in front (OWASP's advice), so a spreadsheet shows it as text.
/// The CSV writer quotes every such cell. Any other text is returned as it is.
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    let starts_with_control = text.starts_with(['\t', '\r']);
    let first_visible = text.trim_start().chars().next();
    if starts_with_control || first_visible.is_some_and(|c| FORMULA_SIGNS.contains(&c)) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// One story, anonymised and protected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResearchRow {
    pub id: String,
    /// The day of telling (midnight UTC): the exact time is not needed for research.
    pub created_at: i64,
    /// The role's key, its merged group, or protected.
    pub role: Cell,
    pub title: String,
    pub text: String,
    /// In the order of the export's columns.
    pub cells: Vec<Cell>,
    pub questionnaire_version: i32,
    pub is_complete: bool,
    pub consent_quotes: bool,
    /// Identifying values that were generalised or suppressed in this row.
    pub protected_values: usize,
    /// Spans of personal data replaced by a tag in this row's texts.
    pub redactions: usize,
    /// The title and text were deleted after the retention period (they are empty).
    pub text_deleted: bool,
}

/// What an export is, written at its start.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportHeader {
    pub project: String,
    pub exported_at: i64,
    /// The filter in words.
    pub filter: String,
    pub k: u32,
    pub columns: Vec<AnswerColumn>,
    /// What each of `columns` means (same order), for formats that carry labels (SPSS); a
    /// column without an entry is labelled with its key.
    pub labels: Vec<ColumnLabels>,
    /// The roles' keys and labels, in the questionnaire's order.
    pub roles: Vec<(String, String)>,
    /// The merged groups of roles (small-cell protection).
    pub role_groups: Vec<MergedGroup>,
    /// How the tabular formats (CSV, XLSX, data package) lay out and code the answers.
    pub table: TableOptions,
}

impl ExportHeader {
    /// Each answer column with what it means and its label (the key when it has none).
    pub fn labelled_columns(&self) -> impl Iterator<Item = (&AnswerColumn, &ColumnLabels, &str)> {
        static NO_LABELS: ColumnLabels = ColumnLabels {
            label: String::new(),
            options: Vec::new(),
            poles: None,
            groups: Vec::new(),
            wordings: Vec::new(),
        };
        self.columns.iter().enumerate().map(|(i, column)| {
            let about = self.labels.get(i).unwrap_or(&NO_LABELS);
            let label = if about.label.is_empty() {
                column.key.as_str()
            } else {
                about.label.as_str()
            };
            (column, about, label)
        })
    }
}

/// What a column means: the question, its options and slider poles, and the merged groups
/// (small-cell protection) that may stand in its cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColumnLabels {
    pub label: String,
    /// Option keys and labels, in the questionnaire's order.
    pub options: Vec<(String, String)>,
    /// A slider's texts at 0 and at 100.
    pub poles: Option<(String, String)>,
    pub groups: Vec<MergedGroup>,
    /// The question's wording in each questionnaire version that has it, oldest first, when
    /// it changed between versions (empty when it never did).
    pub wordings: Vec<(i32, String)>,
}

/// What the export changed, written at its end (JSON, XLSX).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    pub stories: usize,
    pub generalised_values: usize,
    pub suppressed_values: usize,
    pub redactions: usize,
}

fn kind_name(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Slider => "slider",
        QuestionType::Choice => "choice",
        QuestionType::Multichoice => "multichoice",
        QuestionType::Text => "text",
    }
}

/// Writes an export one row at a time.
pub trait ExportWriter {
    fn row(&mut self, row: &ResearchRow) -> Result<(), CsvError>;
    fn finish(self: Box<Self>, summary: &ExportSummary) -> Result<(), CsvError>;
}

/// The research CSV, written field by field: RFC 4180 quoting as in exchange format v1
/// (a field with `,` `"` or a line break is quoted, `"` doubled), and every text made
/// [`spreadsheet_safe`]; a text that needed it is always quoted (OWASP). Numbers, dates and
/// `true`/`false` are written as they are, so a spreadsheet reads them as values.
struct CsvOut<W: Write> {
    out: std::io::BufWriter<W>,
    separator: u8,
}

struct CsvExport<W: Write> {
    csv: CsvOut<W>,
    table: table::Table,
}

impl<W: Write> CsvOut<W> {
    /// One field, after `first` or a comma.
    fn field(&mut self, text: &str, first: bool, quoted: bool) -> std::io::Result<()> {
        if !first {
            self.out.write_all(&[self.separator])?;
        }
        let separator = char::from(self.separator);
        if quoted || text.contains([separator, '"', '\r', '\n']) {
            self.out.write_all(b"\"")?;
            for (i, part) in text.split('"').enumerate() {
                if i > 0 {
                    self.out.write_all(b"\"\"")?;
                }
                self.out.write_all(part.as_bytes())?;
            }
            self.out.write_all(b"\"")
        } else {
            self.out.write_all(text.as_bytes())
        }
    }

    /// A text field: neutralised and quoted when a spreadsheet would run it.
    fn text(&mut self, text: &str, first: bool) -> std::io::Result<()> {
        match spreadsheet_safe(text) {
            Cow::Owned(safe) => self.field(&safe, first, true),
            Cow::Borrowed(text) => self.field(text, first, false),
        }
    }

    fn end(&mut self) -> std::io::Result<()> {
        self.out.write_all(b"\r\n")
    }
}

impl<W: Write> CsvExport<W> {
    fn start(out: W, header: &ExportHeader, separator: u8) -> std::io::Result<Self> {
        let mut csv = CsvOut {
            out: std::io::BufWriter::with_capacity(64 * 1024, out),
            separator,
        };
        let table = table::Table::new(header);
        for (i, name) in table.names.iter().enumerate() {
            csv.text(name, i == 0)?;
        }
        csv.end()?;
        Ok(CsvExport { csv, table })
    }
}

/// The day as ISO 8601 (`2026-03-01`), which spreadsheets, pandas and R read as a date.
fn day(at: i64) -> String {
    format_utc(at)[..10].to_string()
}

impl<W: Write> ExportWriter for CsvExport<W> {
    fn row(&mut self, row: &ResearchRow) -> Result<(), CsvError> {
        let csv = &mut self.csv;
        for (i, value) in self.table.values(row).enumerate() {
            let first = i == 0;
            match value {
                table::Value::Empty => csv.field("", first, false)?,
                table::Value::Text(t) => csv.text(&t, first)?,
                // A number stays a number, also a negative one: `-5` is a value to a
                // spreadsheet, not a formula.
                table::Value::Whole(n) => csv.field(&n.to_string(), first, false)?,
                table::Value::Bool(b) => csv.field(&b.to_string(), first, false)?,
                table::Value::Day(at) => csv.field(&day(at), first, false)?,
            }
        }
        Ok(csv.end()?)
    }

    fn finish(mut self: Box<Self>, _: &ExportSummary) -> Result<(), CsvError> {
        Ok(self.csv.out.flush()?)
    }
}

struct JsonExport<W: Write> {
    out: W,
    keys: Vec<String>,
    first: bool,
}

#[derive(Serialize)]
struct JsonStory<'a> {
    id: &'a str,
    /// The day, `2026-03-01`.
    created_at: String,
    /// The role's key or its group's code; `null` when protected (see `ontbreekt`).
    role: Option<String>,
    title: &'a str,
    text: &'a str,
    answers: serde_json::Map<String, serde_json::Value>,
    /// Questions without an answer, and why.
    ontbreekt: serde_json::Map<String, serde_json::Value>,
    questionnaire_version: i32,
    is_complete: bool,
    consent_quotes: bool,
    protected_values: usize,
    redactions: usize,
}

/// One story as a JSON object (the JSON export and the research API): only answered
/// questions appear under `answers`, keyed by question; the others under `ontbreekt`, with
/// the reason.
pub fn json_story(row: &ResearchRow, keys: &[String]) -> serde_json::Value {
    let answers = keys
        .iter()
        .zip(&row.cells)
        .filter(|(_, cell)| !matches!(cell, Cell::Empty | Cell::Missing(_)))
        .map(|(key, cell)| {
            (
                key.clone(),
                serde_json::to_value(cell).unwrap_or(serde_json::Value::Null),
            )
        })
        .collect();
    let deleted = Cell::Missing(Missing::TextDeleted);
    let text = if row.text_deleted {
        &deleted
    } else {
        &Cell::Empty
    };
    let missing = [("role", &row.role), ("text", text)]
        .into_iter()
        .chain(keys.iter().map(String::as_str).zip(&row.cells))
        .filter_map(|(key, cell)| {
            let why = cell.missing()?;
            Some((key.to_string(), serde_json::Value::from(why.key())))
        })
        .collect();
    let story = JsonStory {
        id: &row.id,
        created_at: day(row.created_at),
        role: match &row.role {
            Cell::Missing(_) | Cell::Empty => None,
            cell => Some(cell.csv()),
        },
        title: &row.title,
        text: &row.text,
        answers,
        ontbreekt: missing,
        questionnaire_version: row.questionnaire_version,
        is_complete: row.is_complete,
        consent_quotes: row.consent_quotes,
        protected_values: row.protected_values,
        redactions: row.redactions,
    };
    serde_json::to_value(story).unwrap_or(serde_json::Value::Null)
}

impl<W: Write> ExportWriter for JsonExport<W> {
    fn row(&mut self, row: &ResearchRow) -> Result<(), CsvError> {
        let story = json_story(row, &self.keys);
        if !self.first {
            self.out.write_all(b",\n")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.out, &story).map_err(std::io::Error::from)?;
        Ok(())
    }

    fn finish(mut self: Box<Self>, summary: &ExportSummary) -> Result<(), CsvError> {
        self.out.write_all(b"\n],\n\"summary\": ")?;
        serde_json::to_writer(&mut self.out, summary).map_err(std::io::Error::from)?;
        self.out.write_all(b"\n}\n")?;
        Ok(self.out.flush()?)
    }
}

/// A CSV export to `out`; the header line is written at once.
pub fn csv<'w, W: Write + 'w>(
    out: W,
    header: &ExportHeader,
) -> Result<Box<dyn ExportWriter + 'w>, CsvError> {
    csv_with(out, header, b',', false)
}

/// The CSV for Dutch Excel (see [`Format::CsvNl`]). The numbers in the export are whole
/// numbers, so the decimal comma of Dutch settings never comes up.
pub fn csv_nl<'w, W: Write + 'w>(
    out: W,
    header: &ExportHeader,
) -> Result<Box<dyn ExportWriter + 'w>, CsvError> {
    csv_with(out, header, b';', true)
}

fn csv_with<'w, W: Write + 'w>(
    mut out: W,
    header: &ExportHeader,
    separator: u8,
    excel: bool,
) -> Result<Box<dyn ExportWriter + 'w>, CsvError> {
    if excel {
        // Without the byte order mark Excel reads UTF-8 as the old Windows code page.
        out.write_all("\u{FEFF}".as_bytes())?;
    }
    Ok(Box::new(CsvExport::start(out, header, separator)?))
}

/// A JSON export to `out`; the description is written at once.
pub fn json<'w, W: Write + 'w>(
    mut out: W,
    header: &ExportHeader,
) -> Result<Box<dyn ExportWriter + 'w>, CsvError> {
    #[derive(Serialize)]
    struct Column<'a> {
        key: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
    }
    let columns: Vec<Column> = header
        .columns
        .iter()
        .map(|c| Column {
            key: &c.key,
            kind: kind_name(c.kind),
        })
        .collect();
    let head = serde_json::json!({
        "format": JSON_FORMAT,
        "project": header.project,
        "exported_at": format_utc(header.exported_at),
        "filter": header.filter,
        "k": header.k,
        "columns": columns,
    });
    // The description's closing brace is dropped so that the stories can follow in it.
    let head = serde_json::to_string_pretty(&head).map_err(std::io::Error::from)?;
    let head = head.trim_end().trim_end_matches('}').trim_end();
    out.write_all(head.as_bytes())?;
    out.write_all(b",\n\"stories\": [\n")?;
    Ok(Box::new(JsonExport {
        out,
        keys: header.columns.iter().map(|c| c.key.clone()).collect(),
        first: true,
    }))
}

/// One variable of an export's codebook: the SPSS file's dictionary, in words, for every
/// format (the other formats use the same question keys and option keys; docs/formats.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodebookEntry {
    /// The SPSS name.
    pub name: String,
    /// The column in the CSV and XLSX files (keys as in the questionnaire, which SPSS may
    /// have had to shorten or change).
    pub column: String,
    /// The column that says why this one is empty, in the CSV and XLSX files.
    pub status: Option<String>,
    /// The question's wording per questionnaire version, when it changed between versions
    /// (`label` is the newest).
    pub versions: Vec<CodebookWording>,
    pub label: String,
    /// `getal`, `datum` or `tekst`.
    pub kind: &'static str,
    /// `nominaal`, `ordinaal` or `schaal`.
    pub measure: &'static str,
    pub values: Vec<CodebookValue>,
    /// The user-missing codes in words, e.g. `-9 t/m -1`.
    pub missing: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodebookWording {
    pub version: i32,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodebookValue {
    pub code: i64,
    /// What stands in the CSV, XLSX and JSON files for this code: an option or role key, a
    /// group's code, or a reason for no answer (in the status column).
    pub key: Option<String>,
    pub label: String,
    /// A reason for no answer, left out of analyses.
    pub missing: bool,
}

/// The reason a user-missing SPSS code stands for, as the status columns write it.
fn missing_key(code: f64) -> Option<&'static str> {
    Missing::ALL
        .into_iter()
        .find(|m| spss::missing_code(*m) == code)
        .map(Missing::key)
}

/// The codebook of an export with this header.
pub fn codebook(header: &ExportHeader) -> Vec<CodebookEntry> {
    use super::sav::{Kind, Measure, Missing};
    let answers: std::collections::HashSet<&str> =
        header.columns.iter().map(|c| c.key.as_str()).collect();
    let wordings: std::collections::HashMap<&str, &Vec<(i32, String)>> = header
        .labelled_columns()
        .map(|(c, about, _)| (c.key.as_str(), &about.wordings))
        .collect();
    let multichoice: Vec<(String, String)> = header
        .labelled_columns()
        .filter(|(c, _, _)| c.kind == QuestionType::Multichoice)
        .flat_map(|(c, about, _)| {
            about
                .options
                .iter()
                .map(move |(k, _)| (format!("{}_{k}", c.key), c.key.clone()))
        })
        .collect();
    spss::variables(header)
        .into_iter()
        .map(|(v, other)| {
            let status_of = if other.column == "role" || answers.contains(other.column.as_str()) {
                Some(other.column.clone())
            } else if other.column == "title" || other.column == "text" {
                Some("text".to_string())
            } else {
                multichoice
                    .iter()
                    .find(|(column, _)| *column == other.column)
                    .map(|(_, key)| key.clone())
            };
            let is_missing = |code: f64| match &v.missing {
                Missing::None => false,
                Missing::Codes(codes) => codes.contains(&code),
                Missing::Range { low, high, also } => {
                    (*low..=*high).contains(&code) || *also == Some(code)
                }
            };
            let values = v
                .value_labels
                .iter()
                .map(|(code, label)| CodebookValue {
                    // Every code is a whole number (options, poles, reasons).
                    code: *code as i64,
                    key: other
                        .keys
                        .iter()
                        .find(|(c, _)| c == code)
                        .map(|(_, k)| k.clone())
                        .or_else(|| missing_key(*code).map(String::from)),
                    label: label.clone(),
                    missing: is_missing(*code),
                })
                .collect();
            let number = |x: f64| format!("{x}");
            CodebookEntry {
                kind: match v.kind {
                    Kind::Numeric { .. } => "getal",
                    Kind::Date => "datum",
                    Kind::Text { .. } => "tekst",
                },
                measure: match v.measure {
                    Measure::Nominal => "nominaal",
                    Measure::Ordinal => "ordinaal",
                    Measure::Scale => "schaal",
                },
                missing: match &v.missing {
                    Missing::None => None,
                    Missing::Codes(codes) => Some(
                        codes
                            .iter()
                            .map(|c| number(*c))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Missing::Range { low, high, also } => Some(match also {
                        Some(x) => {
                            format!("{} t/m {} en {}", number(*low), number(*high), number(*x))
                        }
                        None => format!("{} t/m {}", number(*low), number(*high)),
                    }),
                },
                values,
                name: v.name,
                column: other.column,
                versions: status_of
                    .as_ref()
                    .and_then(|key| wordings.get(key.as_str()))
                    .map(|w| {
                        w.iter()
                            .map(|(version, label)| CodebookWording {
                                version: *version,
                                label: label.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                status: status_of.map(|key| table::status_name(&key)),
                label: v.label,
            }
        })
        .collect()
}

/// A data package export (zip), written to `out` as the rows come; the descriptor and the
/// codebook are added at the end.
pub fn package<'w, W: Write + std::io::Seek + Send + 'w>(
    out: W,
    header: &ExportHeader,
) -> Result<Box<dyn ExportWriter + 'w>, CsvError> {
    package::PackageExport::start(out, header).map(|x| Box::new(x) as Box<dyn ExportWriter + 'w>)
}

/// An SPSS export (`.sav`), written to `out` as the rows come; the number of stories is put
/// in its header at the end (hence `Seek`).
pub fn sav<'w, W: Write + std::io::Seek + Send + 'w>(
    out: W,
    header: &ExportHeader,
) -> Result<Box<dyn ExportWriter + 'w>, CsvError> {
    spss::SavExport::start(out, header).map(|x| Box::new(x) as Box<dyn ExportWriter + 'w>)
}

/// An XLSX export, written to `out` when finished (the file format needs its parts complete).
pub fn xlsx<'w, W: Write + std::io::Seek + Send + 'w>(
    out: W,
    header: &ExportHeader,
) -> Result<Box<dyn ExportWriter + 'w>, CsvError> {
    xlsx::XlsxExport::start(out, header).map(|x| Box::new(x) as Box<dyn ExportWriter + 'w>)
}

mod xlsx {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
    use std::io::Seek;

    use crate::exchange::spreadsheet::{cell_text, xlsx_error as error};

    pub struct XlsxExport<W: Write + Seek + Send> {
        out: W,
        workbook: Workbook,
        header: ExportHeader,
        table: table::Table,
        day: CellFormat,
        next_row: u32,
    }

    impl<W: Write + Seek + Send> XlsxExport<W> {
        pub fn start(out: W, header: &ExportHeader) -> Result<Self, CsvError> {
            let mut workbook = Workbook::new();
            let bold = CellFormat::new().set_bold();
            let sheet = workbook
                .add_worksheet_with_constant_memory()
                .map_err(error)?;
            sheet.set_name("verhalen").map_err(error)?;
            let table = table::Table::new(header);
            for (c, name) in table.names.iter().enumerate() {
                sheet
                    .write_string_with_format(0, c as u16, name, &bold)
                    .map_err(error)?;
            }
            Ok(Self {
                out,
                workbook,
                header: header.clone(),
                table,
                day: CellFormat::new().set_num_format("yyyy-mm-dd"),
                next_row: 1,
            })
        }
    }

    /// A day as a spreadsheet date (`None` outside the years a spreadsheet knows).
    fn excel_day(at: i64) -> Option<ExcelDateTime> {
        let date = time::OffsetDateTime::from_unix_timestamp(at).ok()?.date();
        let year = u16::try_from(date.year()).ok()?;
        ExcelDateTime::from_ymd(year, u8::from(date.month()), date.day()).ok()
    }

    impl<W: Write + Seek + Send> ExportWriter for XlsxExport<W> {
        fn row(&mut self, row: &ResearchRow) -> Result<(), CsvError> {
            let sheet = self.workbook.worksheet_from_index(0).map_err(error)?;
            let r = self.next_row;
            for (c, value) in self.table.values(row).enumerate() {
                let c = c as u16;
                match value {
                    table::Value::Empty => {}
                    table::Value::Text(t) => {
                        sheet.write_string(r, c, cell_text(&t)).map_err(error)?;
                    }
                    table::Value::Whole(n) => {
                        sheet.write_number(r, c, n as f64).map_err(error)?;
                    }
                    table::Value::Bool(b) => {
                        sheet.write_boolean(r, c, b).map_err(error)?;
                    }
                    table::Value::Day(at) => match excel_day(at) {
                        Some(day) => {
                            sheet
                                .write_datetime_with_format(r, c, day, &self.day)
                                .map_err(error)?;
                        }
                        None => {
                            sheet.write_string(r, c, super::day(at)).map_err(error)?;
                        }
                    },
                }
            }
            self.next_row += 1;
            Ok(())
        }

        fn finish(mut self: Box<Self>, summary: &ExportSummary) -> Result<(), CsvError> {
            let about = self.workbook.add_worksheet();
            about.set_name("toelichting").map_err(error)?;
            let lines: [(&str, String); 9] = [
                ("Project", self.header.project.clone()),
                ("Gemaakt op", format_utc(self.header.exported_at)),
                ("Filter", self.header.filter.clone()),
                ("Codering", self.header.table.describe().to_string()),
                ("Kleinste groep (k)", self.header.k.to_string()),
                ("Verhalen", summary.stories.to_string()),
                (
                    "Waarden samengevoegd tot een groep",
                    summary.generalised_values.to_string(),
                ),
                ("Waarden afgeschermd", summary.suppressed_values.to_string()),
                (
                    "Persoonsgegevens vervangen door een label",
                    summary.redactions.to_string(),
                ),
            ];
            for (r, (label, value)) in lines.iter().enumerate() {
                about.write_string(r as u32, 0, *label).map_err(error)?;
                about.write_string(r as u32, 1, value).map_err(error)?;
            }
            // The codebook in words, so that the file explains itself (the same entries as
            // codeboek.json and the export page).
            let book = self.workbook.add_worksheet();
            book.set_name("codeboek").map_err(error)?;
            let bold = CellFormat::new().set_bold();
            let heads = [
                "naam (SPSS)",
                "kolom",
                "waarom leeg",
                "betekenis",
                "soort",
                "codes",
            ];
            for (c, head) in heads.iter().enumerate() {
                book.write_string_with_format(0, c as u16, *head, &bold)
                    .map_err(error)?;
            }
            for (r, entry) in codebook(&self.header).iter().enumerate() {
                let r = r as u32 + 1;
                let codes: Vec<String> = entry
                    .values
                    .iter()
                    .map(|v| match &v.key {
                        Some(key) => format!("{} = {key}: {}", v.code, v.label),
                        None => format!("{}: {}", v.code, v.label),
                    })
                    .collect();
                let cells = [
                    entry.name.as_str(),
                    entry.column.as_str(),
                    entry.status.as_deref().unwrap_or(""),
                    entry.label.as_str(),
                    &format!("{}, {}", entry.kind, entry.measure),
                    &codes.join("\n"),
                ];
                for (c, text) in cells.iter().enumerate() {
                    book.write_string(r, c as u16, cell_text(text))
                        .map_err(error)?;
                }
            }
            let mut this = *self;
            this.workbook.save_to_writer(&mut this.out).map_err(error)?;
            Ok(this.out.flush()?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> ExportHeader {
        ExportHeader {
            project: "proef".into(),
            exported_at: 1_790_000_000,
            filter: "alle verhalen".into(),
            k: 5,
            columns: vec![
                AnswerColumn {
                    key: "gehoord".into(),
                    kind: QuestionType::Slider,
                },
                AnswerColumn {
                    key: "hulp".into(),
                    kind: QuestionType::Multichoice,
                },
            ],
            labels: vec![
                ColumnLabels::default(),
                ColumnLabels {
                    options: vec![("a".into(), "A".into()), ("b".into(), "B".into())],
                    ..Default::default()
                },
            ],
            roles: Vec::new(),
            role_groups: Vec::new(),
            table: TableOptions {
                multichoice: MultichoiceForm::Joined,
                ..Default::default()
            },
        }
    }

    fn row(id: &str) -> ResearchRow {
        ResearchRow {
            id: id.into(),
            created_at: 1_789_948_800,
            role: Cell::Text("ouder".into()),
            title: "Wachten, \"lang\"".into(),
            text: "Ik belde [naam].\nNiemand nam op.".into(),
            cells: vec![Cell::Number(40), Cell::List(vec!["a".into(), "b".into()])],
            questionnaire_version: 1,
            is_complete: true,
            consent_quotes: false,
            protected_values: 1,
            redactions: 1,
            text_deleted: false,
        }
    }

    fn write(format: Format) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut w = match format {
                Format::Csv => csv(&mut out, &header()),
                Format::CsvNl => csv_nl(&mut out, &header()),
                Format::Json => json(&mut out, &header()),
                Format::Xlsx => xlsx(&mut out, &header()),
                Format::Sav => sav(&mut out, &header()),
                Format::Package => package(&mut out, &header()),
            }
            .expect("start");
            w.row(&row("v1")).expect("row");
            w.row(&row("v2")).expect("row");
            w.finish(&ExportSummary {
                stories: 2,
                ..Default::default()
            })
            .expect("finish");
        }
        out.into_inner()
    }

    #[test]
    fn csv_has_the_v1_columns_then_the_extra_columns() {
        let text = String::from_utf8(write(Format::Csv)).expect("utf-8");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(
            headers,
            "id,created_at,role,role_ontbreekt,title,text,text_ontbreekt,gehoord,gehoord_ontbreekt,hulp,hulp_ontbreekt,questionnaire_version,is_complete,consent_quotes,protected_values,redactions"
                .split(',')
                .collect::<Vec<_>>()
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][4], "Wachten, \"lang\"");
        assert_eq!(&rows[0][9], "a;b");
        assert_eq!(&rows[1][1], "2026-09-21");
    }

    #[test]
    fn json_is_one_valid_document_with_a_summary() {
        let value: serde_json::Value =
            serde_json::from_slice(&write(Format::Json)).expect("valid JSON");
        assert_eq!(value["format"], JSON_FORMAT);
        assert_eq!(value["stories"].as_array().map(Vec::len), Some(2));
        assert_eq!(value["stories"][0]["answers"]["gehoord"], 40);
        assert_eq!(value["stories"][0]["answers"]["hulp"][1], "b");
        assert_eq!(value["summary"]["stories"], 2);
        assert_eq!(value["columns"][1]["type"], "multichoice");
    }

    #[test]
    fn xlsx_is_a_zip_with_both_sheets() {
        let bytes = write(Format::Xlsx);
        assert_eq!(&bytes[..2], b"PK");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet1.xml"));
        assert!(text.contains("xl/worksheets/sheet2.xml"));
    }

    /// What a spreadsheet makes of a typed cell: a formula when it starts with one of these
    /// (after the spaces and line breaks it may skip), or with a tab or carriage return.
    fn spreadsheet_would_run(cell: &str) -> bool {
        cell.starts_with(['\t', '\r'])
            || cell.trim_start().starts_with([
                '=', '+', '-', '@', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
            ])
    }

    #[test]
    fn texts_that_a_spreadsheet_would_run_get_a_quote_in_front() {
        for dangerous in [
            "=HYPERLINK(\"https://evil.example/x\";\"klik\")",
            "+1",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1",
            "\tgewoon",
            "\r=1",
            "  =1+1",
            "\n=cmd|' /C calc'!A0",
            "\u{FF1D}1+1",
            "-",
        ] {
            let safe = spreadsheet_safe(dangerous);
            assert_eq!(safe, format!("'{dangerous}"), "{dangerous:?}");
            assert!(!spreadsheet_would_run(&safe), "{dangerous:?}");
        }
        for harmless in [
            "",
            "   ",
            "Ik belde [naam].",
            "1+1",
            "'al tekst",
            "a=b",
            "[afgeschermd]",
        ] {
            assert!(
                matches!(spreadsheet_safe(harmless), Cow::Borrowed(_)),
                "{harmless:?}"
            );
            assert_eq!(spreadsheet_safe(harmless), harmless);
        }
    }

    #[test]
    fn no_csv_cell_starts_a_formula_and_numbers_stay_numbers() {
        let mut dangerous = row("=1+1");
        dangerous.title = "=HYPERLINK(\"https://evil.example/x\";\"klik\")".into();
        dangerous.text = "\t=1".into();
        dangerous.role = Cell::Text("@rol".into());
        dangerous.cells = vec![
            Cell::Number(-5),
            Cell::List(vec!["-2+3".into(), "b".into()]),
        ];
        let mut header = header();
        header.columns.push(AnswerColumn {
            key: "toelichting".into(),
            kind: QuestionType::Text,
        });
        dangerous.cells.push(Cell::Text("+1".into()));
        let mut out = Vec::new();
        {
            let mut w = csv(&mut out, &header).expect("start");
            w.row(&dangerous).expect("row");
            let mut harmless = row("v2");
            harmless.cells.push(Cell::Empty);
            w.row(&harmless).expect("row");
            w.finish(&ExportSummary::default()).expect("finish");
        }
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with(
            "id,created_at,role,role_ontbreekt,title,text,text_ontbreekt,gehoord,gehoord_ontbreekt,hulp,hulp_ontbreekt,toelichting,"
        ));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        let first: Vec<&str> = rows[0].iter().collect();
        assert_eq!(first[0], "'=1+1");
        assert_eq!(first[2], "'@rol");
        assert_eq!(first[4], "'=HYPERLINK(\"https://evil.example/x\";\"klik\")");
        assert_eq!(first[5], "'\t=1");
        assert_eq!(first[7], "-5");
        assert_eq!(first[9], "'-2+3;b");
        assert_eq!(first[11], "'+1");
        for record in &rows {
            for cell in record {
                assert!(!spreadsheet_would_run(cell) || cell == "-5", "{cell:?}");
            }
        }
        // Neutralised cells are quoted; the negative number is written bare, as a number.
        assert!(text.contains(",\"'=HYPERLINK(\"\"https://"), "{text}");
        assert!(text.contains(",\"'\t=1\","), "{text}");
        assert!(text.contains(",-5,"), "{text}");
        // The harmless row reads as before.
        assert_eq!(&rows[1][4], "Wachten, \"lang\"");
        assert_eq!(&rows[1][7], "40");
    }

    #[test]
    fn rows_without_formulas_are_written_as_the_csv_crate_writes_them() {
        let mut plain = row("v1");
        plain
            .cells
            .push(Cell::Text("Met \"quotes\", komma's\r\nen regels".into()));
        plain.cells.push(Cell::Empty);
        let mut header = header();
        for key in ["toelichting", "leeg"] {
            header.columns.push(AnswerColumn {
                key: key.into(),
                kind: QuestionType::Text,
            });
        }
        let mut ours = Vec::new();
        {
            let mut w = csv(&mut ours, &header).expect("start");
            w.row(&plain).expect("row");
            w.finish(&ExportSummary::default()).expect("finish");
        }
        let mut theirs = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        theirs
            .write_record(&table::Table::new(&header).names)
            .expect("header");
        let values: Vec<String> = [
            plain.id.clone(),
            day(plain.created_at),
            plain.role.csv(),
            String::new(),
            plain.title.clone(),
            plain.text.clone(),
            String::new(),
        ]
        .into_iter()
        .chain(
            plain
                .cells
                .iter()
                .flat_map(|cell| [cell.csv(), String::new()]),
        )
        .chain(["1", "true", "false", "1", "1"].map(String::from))
        .collect();
        theirs.write_record(&values).expect("row");
        let theirs = theirs.into_inner().expect("bytes");
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }

    #[test]
    fn the_dutch_excel_csv_quotes_what_holds_a_semicolon() {
        let bytes = write(Format::CsvNl);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with(
            "\u{FEFF}id;created_at;role;role_ontbreekt;title;text;text_ontbreekt;gehoord;gehoord_ontbreekt;hulp;"
        ));
        // The multichoice keys `a;b` stay one cell; the day is a date.
        assert!(
            text.contains("\r\nv1;2026-09-21;ouder;;\"Wachten, \"\"lang\"\"\";"),
            "{text}"
        );
        assert!(
            text.contains(";40;;\"a;b\";;1;true;false;1;1\r\n"),
            "{text}"
        );
    }

    #[test]
    fn formats_are_read_from_their_names() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.key()), Some(f));
        }
        assert_eq!(Format::parse("SPSS"), Some(Format::Sav));
        assert_eq!(Format::parse("pdf"), None);
    }
}
