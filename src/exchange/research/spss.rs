//! The research export as an SPSS system file: every variable with its question as label,
//! codes with value labels, a measurement level, and protected values as a user-missing code.
//!
//! Coding (docs/formats.md, "SPSS"):
//! - `rol` and every choice question: the options numbered 1, 2, … in the questionnaire's
//!   order, then the labels of merged groups (small-cell protection) after them; nominal.
//! - a slider: its 0–100 value, with the pole texts as labels of 0 and 100; scale.
//! - a multichoice question: one 0/1 variable per option (`<vraag>_<optie>`); nominal.
//! - no answer, with its reason as a labelled user-missing code (every answer variable declares
//!   -9..-1 missing): -1 "weet ik niet / past niet", -2 not asked (not in the teller's role
//!   or questionnaire version), -3 protected (small-cell protection), -4
//!   not answered. System-missing only for a value the codebook does not know.
//! - texts: at most 255 bytes per variable (SPSS's short strings), cut at a character; the
//!   variable label says so. The full texts are in the CSV, JSON and XLSX exports.

use super::super::csv_v1::{CsvError, FIXED_COLUMNS};
use super::super::sav::{
    Kind, Measure, Missing, NameMaker, SavError, SavWriter, Value, Variable, MAX_TEXT_WIDTH,
};
use super::{
    Cell, ExportHeader, ExportSummary, ExportWriter, Missing as MissingReason, ResearchRow,
};
use crate::domain::questionnaire::QuestionType;
use std::borrow::Cow;
use std::io::{Seek, Write};

/// The code of a value hidden by the small-cell protection.
pub const PROTECTED: f64 = -3.0;

/// The user-missing code of each reason for no answer; with [`PROTECTED`] they fill the
/// range -4..-1 that every answer variable declares missing.
pub(super) fn missing_code(why: MissingReason) -> f64 {
    match why {
        MissingReason::DontKnow => -1.0,
        MissingReason::NotAsked => -2.0,
        MissingReason::Protected => PROTECTED,
        MissingReason::NotAnswered => -4.0,
        MissingReason::TextDeleted => -5.0,
    }
}

/// The declared missing range and the labels of its codes, for an answer variable.
fn answer_missing() -> (Missing, Vec<(f64, String)>) {
    (
        Missing::Range {
            low: -9.0,
            high: -1.0,
            also: None,
        },
        vec![
            (-4.0, "niet beantwoord".into()),
            (PROTECTED, "afgeschermd (kleine groep)".into()),
            (-2.0, "niet gevraagd".into()),
            (-1.0, "weet ik niet / past niet".into()),
        ],
    )
}

fn error(e: SavError) -> CsvError {
    match e {
        SavError::Io(e) => CsvError::Io(e),
        other => CsvError::Io(std::io::Error::other(other.to_string())),
    }
}

/// How one export column becomes SPSS variables.
enum Coding {
    Number,
    /// Text cells looked up in these keys (option keys, then group codes): code = index + 1.
    Codes(Vec<String>),
    /// One 0/1 variable per option key.
    Flags(Vec<String>),
    Text,
}

pub struct SavExport<W: Write + Seek> {
    writer: SavWriter<W>,
    role_keys: Vec<String>,
    codings: Vec<Coding>,
}

fn protected_code() -> (Missing, (f64, String)) {
    (
        Missing::Codes(vec![PROTECTED]),
        (PROTECTED, "afgeschermd (kleine groep)".to_string()),
    )
}

fn numbered(labels: &[String]) -> Vec<(f64, String)> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| ((i + 1) as f64, l.clone()))
        .collect()
}

fn text(name: &str, label: &str) -> Variable {
    Variable {
        name: name.into(),
        label: label.into(),
        kind: Kind::Text {
            width: MAX_TEXT_WIDTH,
        },
        measure: Measure::Nominal,
        value_labels: Vec::new(),
        missing: Missing::None,
    }
}

fn number(name: &str, label: &str, measure: Measure, value_labels: Vec<(f64, String)>) -> Variable {
    Variable {
        name: name.into(),
        label: label.into(),
        kind: Kind::Numeric { decimals: 0 },
        measure,
        value_labels,
        missing: Missing::None,
    }
}

fn yes_no() -> Vec<(f64, String)> {
    vec![(0.0, "nee".into()), (1.0, "ja".into())]
}

impl<W: Write + Seek> SavExport<W> {
    pub fn start(out: W, header: &ExportHeader) -> Result<Self, CsvError> {
        let (variables, codings, _) = dictionary(header);
        let file_label = format!("Vertelpunt {}, k = {}", header.project, header.k);
        let writer = SavWriter::new(out, &file_label, &variables).map_err(error)?;
        Ok(SavExport {
            writer,
            role_keys: role_keys(header),
            codings,
        })
    }
}

/// The role keys and then the codes of the merged groups of roles, in code order.
fn role_keys(header: &ExportHeader) -> Vec<String> {
    header
        .roles
        .iter()
        .map(|(k, _)| k.clone())
        .chain(header.role_groups.iter().map(|g| g.code()))
        .collect()
}

/// What the SPSS dictionary does not hold but the codebook tells: the name of a variable's
/// column in the CSV and XLSX files, and the key each numeric code stands for there.
#[derive(Debug, Clone, Default)]
pub struct InOtherFormats {
    pub column: String,
    pub keys: Vec<(f64, String)>,
}

/// The variables of the SPSS file of an export with this header, with their names and keys
/// in the other formats: also the export's codebook (`super::codebook`), so that the two
/// cannot disagree.
pub fn variables(header: &ExportHeader) -> Vec<(Variable, InOtherFormats)> {
    let (variables, _, other) = dictionary(header);
    variables.into_iter().zip(other).collect()
}

fn keyed(keys: &[String]) -> Vec<(f64, String)> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| ((i + 1) as f64, k.clone()))
        .collect()
}

/// The variables, how each export column is coded into them, and what the codebook adds.
fn dictionary(header: &ExportHeader) -> (Vec<Variable>, Vec<Coding>, Vec<InOtherFormats>) {
    let mut names = NameMaker::new();
    for fixed in FIXED_COLUMNS
        .iter()
        .chain(&["text_ontbreekt"])
        .chain(super::EXTRA_COLUMNS.iter())
    {
        names.reserve(fixed);
    }
    let role_labels: Vec<String> = header
        .roles
        .iter()
        .map(|(_, l)| l.clone())
        .chain(
            header
                .role_groups
                .iter()
                .map(|g| format!("{} (samengevoegd)", g.label)),
        )
        .collect();
    let mut other: Vec<InOtherFormats> = FIXED_COLUMNS
        .iter()
        .chain(&["text_ontbreekt"])
        .map(|c| InOtherFormats {
            column: c.to_string(),
            keys: if *c == "role" {
                keyed(&role_keys(header))
            } else {
                Vec::new()
            },
        })
        .collect();
    let mut variables = vec![
        text("id", "Verhaal (pseudoniem, alleen in deze export)"),
        Variable {
            kind: Kind::Date,
            measure: Measure::Scale,
            ..number(
                "created_at",
                "Dag van vertellen",
                Measure::Scale,
                Vec::new(),
            )
        },
        {
            let (missing, protected) = protected_code();
            let mut labels = numbered(&role_labels);
            labels.push(protected);
            Variable {
                missing,
                ..number("role", "Rol van de verteller", Measure::Nominal, labels)
            }
        },
        text("title", "Titel (eerste 255 bytes)"),
        text(
            "text",
            "Verhaal (eerste 255 bytes; de volledige tekst staat in de CSV)",
        ),
        Variable {
            missing: Missing::Range {
                low: -9.0,
                high: -1.0,
                also: None,
            },
            ..number(
                "text_ontbreekt",
                "Titel en verhaal verwijderd?",
                Measure::Nominal,
                vec![
                    (
                        missing_code(MissingReason::TextDeleted),
                        "tekst verwijderd (bewaartermijn voorbij)".into(),
                    ),
                    (0.0, "tekst aanwezig".into()),
                ],
            )
        },
    ];
    let mut codings = Vec::new();
    for (column, about, label) in header.labelled_columns() {
        let (missing, reasons) = answer_missing();
        match column.kind {
            QuestionType::Slider => {
                let mut labels = reasons;
                if let Some((left, right)) = &about.poles {
                    labels.push((0.0, left.clone()));
                    labels.push((100.0, right.clone()));
                }
                variables.push(Variable {
                    missing,
                    ..number(&names.make(&column.key), label, Measure::Scale, labels)
                });
                other.push(InOtherFormats {
                    column: column.key.clone(),
                    keys: Vec::new(),
                });
                codings.push(Coding::Number);
            }
            QuestionType::Choice => {
                let mut keys: Vec<String> = about.options.iter().map(|(k, _)| k.clone()).collect();
                let mut shown: Vec<String> = about.options.iter().map(|(_, l)| l.clone()).collect();
                keys.extend(about.groups.iter().map(|g| g.code()));
                shown.extend(
                    about
                        .groups
                        .iter()
                        .map(|g| format!("{} (samengevoegd)", g.label)),
                );
                let mut labels = numbered(&shown);
                labels.extend(reasons);
                variables.push(Variable {
                    missing,
                    ..number(&names.make(&column.key), label, Measure::Nominal, labels)
                });
                other.push(InOtherFormats {
                    column: column.key.clone(),
                    keys: keyed(&keys),
                });
                codings.push(Coding::Codes(keys));
            }
            QuestionType::Multichoice => {
                for (key, option) in &about.options {
                    let mut labels = vec![(0.0, "niet gekozen".into()), (1.0, "gekozen".into())];
                    labels.extend(reasons.iter().cloned());
                    let column_name = format!("{}_{key}", column.key);
                    variables.push(Variable {
                        missing: missing.clone(),
                        ..number(
                            &names.make(&column_name),
                            &format!("{label}: {option}"),
                            Measure::Nominal,
                            labels,
                        )
                    });
                    other.push(InOtherFormats {
                        column: column_name,
                        keys: Vec::new(),
                    });
                }
                codings.push(Coding::Flags(
                    about.options.iter().map(|(k, _)| k.clone()).collect(),
                ));
            }
            QuestionType::Text => {
                variables.push(text(&names.make(&column.key), label));
                other.push(InOtherFormats {
                    column: column.key.clone(),
                    keys: Vec::new(),
                });
                codings.push(Coding::Text);
            }
        }
    }
    variables.extend([
        number(
            "questionnaire_version",
            "Versie van de vragenlijst",
            Measure::Nominal,
            Vec::new(),
        ),
        number(
            "is_complete",
            "Volledig ingevuld",
            Measure::Nominal,
            yes_no(),
        ),
        number(
            "consent_quotes",
            "Toestemming om te citeren",
            Measure::Nominal,
            yes_no(),
        ),
        number(
            "protected_values",
            "Waarden in deze rij samengevoegd of afgeschermd",
            Measure::Scale,
            Vec::new(),
        ),
        number(
            "redactions",
            "Stukken tekst vervangen door een label",
            Measure::Scale,
            Vec::new(),
        ),
    ]);
    other.extend(super::EXTRA_COLUMNS.iter().map(|c| InOtherFormats {
        column: c.to_string(),
        keys: Vec::new(),
    }));
    (variables, codings, other)
}

/// The code of a role or choice cell among `keys` (1-based), the code of its reason when it
/// has no value, or system-missing for a value the codebook does not know.
fn code(keys: &[String], cell: &Cell) -> Value<'static> {
    let key = match cell {
        Cell::Missing(why) => return Value::Number(missing_code(*why)),
        Cell::Text(key) => Cow::Borrowed(key.as_str()),
        Cell::Group(group) => Cow::Owned(group.code()),
        _ => return Value::SystemMissing,
    };
    keys.iter()
        .position(|k| *k == key)
        .map_or(Value::SystemMissing, |i| Value::Number((i + 1) as f64))
}

impl<W: Write + Seek + Send> ExportWriter for SavExport<W> {
    fn row(&mut self, row: &ResearchRow) -> Result<(), CsvError> {
        let day = time::OffsetDateTime::from_unix_timestamp(row.created_at)
            .map(|t| Value::Date(t.date()))
            .unwrap_or(Value::SystemMissing);
        let mut values: Vec<Value> = vec![
            Value::text(row.id.as_str()),
            day,
            code(&self.role_keys, &row.role),
            Value::text(row.title.as_str()),
            Value::text(row.text.as_str()),
            Value::Number(if row.text_deleted {
                missing_code(MissingReason::TextDeleted)
            } else {
                0.0
            }),
        ];
        for (coding, cell) in self.codings.iter().zip(&row.cells) {
            match (coding, cell) {
                (Coding::Number, Cell::Number(n)) => values.push(Value::Number(*n as f64)),
                (Coding::Codes(keys), cell) => values.push(code(keys, cell)),
                (Coding::Flags(keys), Cell::List(chosen)) => values.extend(
                    keys.iter()
                        .map(|k| Value::Number(if chosen.contains(k) { 1.0 } else { 0.0 })),
                ),
                (Coding::Flags(keys), Cell::Missing(why)) => {
                    values.extend(keys.iter().map(|_| Value::Number(missing_code(*why))))
                }
                (Coding::Flags(keys), _) => {
                    values.extend(keys.iter().map(|_| Value::SystemMissing))
                }
                (Coding::Number, Cell::Missing(why)) => {
                    values.push(Value::Number(missing_code(*why)))
                }
                (Coding::Text, Cell::Text(t)) => values.push(Value::text(t.as_str())),
                (Coding::Text, _) => values.push(Value::text("")),
                (_, _) => values.push(Value::SystemMissing),
            }
        }
        let flag = |b: bool| Value::Number(if b { 1.0 } else { 0.0 });
        values.extend([
            Value::Number(f64::from(row.questionnaire_version)),
            flag(row.is_complete),
            flag(row.consent_quotes),
            Value::Number(row.protected_values as f64),
            Value::Number(row.redactions as f64),
        ]);
        self.writer.write_row(&values).map_err(error)
    }

    fn finish(self: Box<Self>, _: &ExportSummary) -> Result<(), CsvError> {
        let mut out = self.writer.finish_seekable().map_err(error)?;
        Ok(out.flush()?)
    }
}
