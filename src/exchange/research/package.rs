//! The research export as a Frictionless data package: a zip with `verhalen.csv` (the research
//! CSV), `codeboek.json` and `datapackage.json`, whose Table Schema gives every column a type,
//! the allowed codes and the values that mean "missing", so that R (`frictionless`), Python
//! (`frictionless`, pandas) and `frictionless validate` read it without guessing.

use super::super::csv_v1::CsvError;
use super::table::{status_values, Coding, Column, Table};
use super::{CsvExport, ExportHeader, ExportSummary, ExportWriter, MergedGroup, Missing};
use super::{ResearchRow, EXTRA_COLUMNS, JSON_FORMAT};
use crate::domain::questionnaire::QuestionType;
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

/// The Table Schema of the research CSV of this export: one field per column of its
/// [`Table`].
fn schema(header: &ExportHeader, table: &Table) -> Value {
    let labelled: Vec<_> = header.labelled_columns().collect();
    let labels = header.table.coding == Coding::Labels;
    // The values a role or choice column may hold in this coding: keys or labels, then the
    // merged groups' codes or labels.
    let codes = |options: &[(String, String)], groups: &[MergedGroup]| -> Vec<String> {
        let mut codes: Vec<String> = options
            .iter()
            .map(|(k, l)| if labels { l.clone() } else { k.clone() })
            .chain(
                groups
                    .iter()
                    .map(|g| if labels { g.label.clone() } else { g.code() }),
            )
            .collect();
        codes.dedup();
        codes
    };
    let reasons = json!({"enum": status_values()});
    let fields: Vec<Value> = table
        .columns
        .iter()
        .zip(&table.names)
        .map(|(column, name)| match column {
            Column::Id => field(name, "string", "Verhaal (pseudoniem, alleen in deze export)"),
            Column::Day => json!({"name": name, "type": "date", "description": "Dag van vertellen"}),
            Column::Role => json!({"name": name, "type": "string",
                "description": "Rol van de verteller",
                "constraints": {"enum": codes(&header.roles, &header.role_groups)}}),
            Column::RoleStatus => json!({"name": name, "type": "string",
                "description": "Waarom de rol leeg is", "constraints": reasons}),
            Column::Title => field(name, "string", "Titel (geanonimiseerd)"),
            Column::Text => field(name, "string", "Verhaal (geanonimiseerd)"),
            Column::TextStatus => json!({"name": name, "type": "string",
                "description": "Waarom titel en verhaal leeg zijn",
                "constraints": {"enum": [Missing::TextDeleted.key()]}}),
            Column::Answer(i) => {
                let Some((column, about, label)) = labelled.get(*i) else {
                    return field(name, "string", "");
                };
                match column.kind {
                    QuestionType::Slider => json!({
                        "name": name, "type": "integer", "description": label,
                        "constraints": {"minimum": 0, "maximum": 100},
                    }),
                    QuestionType::Choice if !about.options.is_empty() => {
                        json!({"name": name, "type": "string", "description": label,
                               "constraints": {"enum": codes(&about.options, &about.groups)}})
                    }
                    QuestionType::Multichoice => json!({
                        "name": name, "type": "string",
                        "description": format!("{label} (gekozen opties, gescheiden door ;)"),
                    }),
                    _ => field(name, "string", label),
                }
            }
            Column::Option(i, key) => {
                let (question, option) = labelled
                    .get(*i)
                    .map(|(_, about, label)| {
                        let option = about
                            .options
                            .iter()
                            .find(|(k, _)| k == key)
                            .map_or(key.as_str(), |(_, l)| l.as_str());
                        (*label, option)
                    })
                    .unwrap_or(("", key.as_str()));
                json!({"name": name, "type": "integer",
                       "description": format!("{question}: {option} (1 = gekozen, 0 = niet gekozen)"),
                       "constraints": {"minimum": 0, "maximum": 1}})
            }
            Column::Status(i) => {
                let question = labelled.get(*i).map_or("", |(_, _, label)| *label);
                json!({"name": name, "type": "string",
                       "description": format!("Waarom {question:?} leeg is"),
                       "constraints": reasons})
            }
            Column::Extra(i) => match EXTRA_COLUMNS.get(*i).copied().unwrap_or_default() {
                "questionnaire_version" => {
                    field(name, "integer", "Versie van de vragenlijst")
                }
                "is_complete" => field(name, "boolean", "Volledig ingevuld"),
                "consent_quotes" => field(name, "boolean", "Toestemming om te citeren"),
                "protected_values" => field(
                    name,
                    "integer",
                    "Waarden in deze rij samengevoegd of afgeschermd",
                ),
                _ => field(name, "integer", "Stukken tekst vervangen door een label"),
            },
        })
        .collect();
    json!({
        "fields": fields,
        // An empty cell is a missing value; its status column says why (codeboek.json).
        "missingValues": [""],
    })
}

impl<W: Write + Seek> PackageExport<W> {
    pub fn start(out: W, header: &ExportHeader) -> Result<Self, CsvError> {
        let mut zip = ZipWriter::new(out);
        zip.start_file("verhalen.csv", SimpleFileOptions::default())
            .map_err(error)?;
        let csv = CsvExport::start(zip, header, b',')?;
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
                "schema": schema(header, &csv.table),
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
