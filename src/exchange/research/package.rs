//! The research export as a Frictionless data package: a zip with `verhalen.csv` (the research
//! CSV), `codeboek.json` and `datapackage.json`, whose Table Schema gives every column a type,
//! the allowed codes and the values that mean "missing", so that R (`frictionless`), Python
//! (`frictionless`, pandas) and `frictionless validate` read it without guessing.

use super::super::csv_v1::{CsvError, FIXED_COLUMNS};
use super::{header_names, CsvExport, ExportHeader, ExportSummary, ExportWriter};
use super::{ResearchRow, EXTRA_COLUMNS, JSON_FORMAT};
use crate::domain::questionnaire::QuestionType;
use crate::domain::smallcell::SUPPRESSED;
use serde_json::{json, Value};
use std::io::{Seek, Write};
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

fn error(e: zip::result::ZipError) -> CsvError {
    CsvError::Io(std::io::Error::other(e.to_string()))
}

pub struct PackageExport<W: Write + Seek> {
    csv: CsvExport<ZipWriter<W>>,
    descriptor: Value,
    codebook: Value,
}

/// A Table Schema field.
fn field(name: &str, kind: &str, description: &str) -> Value {
    json!({"name": name, "type": kind, "description": description})
}

/// The Table Schema of the research CSV of this export.
fn schema(header: &ExportHeader) -> Value {
    let mut role_codes: Vec<String> = header.roles.iter().map(|(k, _)| k.clone()).collect();
    role_codes.dedup();
    let mut fields = vec![
        field(
            "id",
            "string",
            "Verhaal (pseudoniem, alleen in deze export)",
        ),
        json!({"name": "created_at", "type": "datetime", "format": "%Y-%m-%dT%H:%M:%SZ",
               "description": "Dag van vertellen (middernacht UTC)"}),
        json!({"name": "role", "type": "string", "description": "Rol van de verteller",
               "constraints": {"enum": role_codes}}),
        field("title", "string", "Titel (geanonimiseerd)"),
        field("text", "string", "Verhaal (geanonimiseerd)"),
    ];
    debug_assert_eq!(FIXED_COLUMNS.len(), 5);
    for (column, about, label) in header.labelled_columns() {
        fields.push(match column.kind {
            QuestionType::Slider => json!({
                "name": column.key, "type": "integer", "description": label,
                "constraints": {"minimum": 0, "maximum": 100},
            }),
            QuestionType::Choice if !about.options.is_empty() => {
                let codes: Vec<&str> = about
                    .options
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .chain(about.groups.iter().map(String::as_str))
                    .collect();
                json!({"name": column.key, "type": "string", "description": label,
                       "constraints": {"enum": codes}})
            }
            QuestionType::Multichoice => json!({
                "name": column.key, "type": "string",
                "description": format!("{label} (gekozen opties, gescheiden door ;)"),
            }),
            _ => field(&column.key, "string", label),
        });
    }
    fields.extend([
        field(
            "questionnaire_version",
            "integer",
            "Versie van de vragenlijst",
        ),
        json!({"name": "is_complete", "type": "boolean", "description": "Volledig ingevuld"}),
        json!({"name": "consent_quotes", "type": "boolean",
               "description": "Toestemming om te citeren"}),
        field(
            "protected_values",
            "integer",
            "Waarden in deze rij samengevoegd of afgeschermd",
        ),
        field(
            "redactions",
            "integer",
            "Stukken tekst vervangen door een label",
        ),
    ]);
    debug_assert_eq!(fields.len(), header_names(header).len());
    json!({
        "fields": fields,
        // An empty cell is a missing answer (why: codeboek.json and the JSON export); a value
        // hidden by the small-cell protection is missing too.
        "missingValues": ["", SUPPRESSED],
    })
}

impl<W: Write + Seek> PackageExport<W> {
    pub fn start(out: W, header: &ExportHeader) -> Result<Self, CsvError> {
        let mut zip = ZipWriter::new(out);
        zip.start_file("verhalen.csv", SimpleFileOptions::default())
            .map_err(error)?;
        let mut csv = CsvExport {
            out: std::io::BufWriter::with_capacity(64 * 1024, zip),
            separator: b',',
            day_only: false,
        };
        for (i, name) in header_names(header).iter().enumerate() {
            csv.text(name, i == 0)?;
        }
        csv.end()?;
        debug_assert_eq!(EXTRA_COLUMNS.len(), 5);
        let descriptor = json!({
            "profile": "tabular-data-package",
            "name": format!("vertelpunt-{}", header.project.to_lowercase()),
            "title": format!("Vertelpunt, project {}: verhalen voor onderzoek", header.project),
            "description": format!(
                "Geanonimiseerde verhalen en antwoorden ({}), kleinste groep k = {}. Formaat {JSON_FORMAT}; zie codeboek.json.",
                header.filter, header.k
            ),
            "created": super::format_utc(header.exported_at),
            "resources": [{
                "name": "verhalen",
                "path": "verhalen.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "quoteChar": "\"", "doubleQuote": true,
                            "lineTerminator": "\r\n", "header": true},
                "schema": schema(header),
            }],
        });
        let codebook = json!({"project": header.project, "variabelen": super::codebook(header)});
        Ok(PackageExport {
            csv,
            descriptor,
            codebook,
        })
    }
}

impl<W: Write + Seek + Send> ExportWriter for PackageExport<W> {
    fn row(&mut self, row: &ResearchRow) -> Result<(), CsvError> {
        self.csv.row(row)
    }

    fn finish(self: Box<Self>, _: &ExportSummary) -> Result<(), CsvError> {
        let this = *self;
        let mut zip = this
            .csv
            .out
            .into_inner()
            .map_err(|e| CsvError::Io(e.into_error()))?;
        for (name, value) in [
            ("datapackage.json", &this.descriptor),
            ("codeboek.json", &this.codebook),
        ] {
            zip.start_file(name, SimpleFileOptions::default())
                .map_err(error)?;
            serde_json::to_writer_pretty(&mut zip, value).map_err(std::io::Error::from)?;
        }
        let mut out = zip.finish().map_err(error)?;
        Ok(out.flush()?)
    }
}
