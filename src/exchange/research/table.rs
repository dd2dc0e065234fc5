//! The columns of the tabular research formats (CSV, CSV for Dutch Excel, XLSX and the data
//! package's CSV), and the value of each for a row (docs/formats.md, "Columns").
//!
//! One coding per file, never mixed: every choice, role and merged group is written as its key
//! (a group as [`MergedGroup::code`]) or, when the export asks for it, as its label. A
//! multichoice question is one 0/1 column per option (or, on request, one column of keys joined
//! by `;`). Every question, and the role, is followed by a status column `<key>_ontbreekt` that
//! says why its value is empty: [`Missing::key`], or `samengevoegd` for a multichoice answer
//! merged into a group.

use super::{Cell, ExportHeader, MergedGroup, Missing, ResearchRow, EXTRA_COLUMNS};
use crate::domain::questionnaire::QuestionType;
use std::borrow::Cow;
use std::collections::HashMap;

/// Keys or labels in the cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Coding {
    /// Option and role keys (`nijmegen`), groups as their code (`heumen+mook`): stable across
    /// questionnaire versions and languages, for scripts.
    #[default]
    Keys,
    /// The questionnaire's labels (`Nijmegen`), groups as their label: for reading.
    Labels,
}

/// How a multichoice question is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MultichoiceForm {
    /// One 0/1 column per option, `<vraag>_<optie>`.
    #[default]
    Columns,
    /// One column with the chosen options joined by `;` (exchange format v1).
    Joined,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableOptions {
    pub coding: Coding,
    pub multichoice: MultichoiceForm,
}

impl TableOptions {
    /// Reads the export form's and the command line's words (`sleutels`/`labels`,
    /// `kolommen`/`samen`); `None` for words it does not know.
    pub fn parse(coding: Option<&str>, multichoice: Option<&str>) -> Option<TableOptions> {
        let coding = match coding.map(str::trim) {
            None | Some("") | Some("sleutels") | Some("keys") => Coding::Keys,
            Some("labels") => Coding::Labels,
            Some(_) => return None,
        };
        let multichoice = match multichoice.map(str::trim) {
            None | Some("") | Some("kolommen") | Some("columns") => MultichoiceForm::Columns,
            Some("samen") | Some("joined") => MultichoiceForm::Joined,
            Some(_) => return None,
        };
        Some(TableOptions {
            coding,
            multichoice,
        })
    }

    /// The options in words, for the audit log and the file's description.
    pub fn describe(&self) -> &'static str {
        match (self.coding, self.multichoice) {
            (Coding::Keys, MultichoiceForm::Columns) => "sleutels, meerkeuze als 0/1-kolommen",
            (Coding::Keys, MultichoiceForm::Joined) => "sleutels, meerkeuze in één kolom",
            (Coding::Labels, MultichoiceForm::Columns) => "labels, meerkeuze als 0/1-kolommen",
            (Coding::Labels, MultichoiceForm::Joined) => "labels, meerkeuze in één kolom",
        }
    }
}

/// The status of a multichoice answer merged into a group: its 0/1 columns stay empty.
pub const MERGED: &str = "samengevoegd";

/// The name of the status column of `key`.
pub fn status_name(key: &str) -> String {
    format!("{key}_ontbreekt")
}

/// One column of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Id,
    Day,
    Role,
    RoleStatus,
    Title,
    Text,
    /// Why the title and text are empty.
    TextStatus,
    /// The value of answer column `i`.
    Answer(usize),
    /// Whether option `key` of multichoice column `i` was chosen.
    Option(usize, String),
    /// Why answer column `i` is empty.
    Status(usize),
    /// One of [`EXTRA_COLUMNS`], by index.
    Extra(usize),
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Empty,
    Text(Cow<'a, str>),
    Whole(i64),
    Bool(bool),
    /// A day, as seconds since 1970 at midnight UTC.
    Day(i64),
}

/// The columns of an export and how to fill them.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub names: Vec<String>,
    coding: Coding,
    /// Per answer column: option key → label.
    option_labels: Vec<HashMap<String, String>>,
    role_labels: HashMap<String, String>,
    kinds: Vec<QuestionType>,
}

impl Table {
    pub fn new(header: &ExportHeader) -> Table {
        let options = header.table;
        let mut columns = vec![
            Column::Id,
            Column::Day,
            Column::Role,
            Column::RoleStatus,
            Column::Title,
            Column::Text,
            Column::TextStatus,
        ];
        let mut names: Vec<String> = ["id", "created_at", "role", "role_ontbreekt"]
            .into_iter()
            .chain(["title", "text", "text_ontbreekt"])
            .map(String::from)
            .collect();
        for (i, (column, about, _)) in header.labelled_columns().enumerate() {
            let split = column.kind == QuestionType::Multichoice
                && options.multichoice == MultichoiceForm::Columns;
            if split {
                for (key, _) in &about.options {
                    columns.push(Column::Option(i, key.clone()));
                    names.push(format!("{}_{key}", column.key));
                }
            } else {
                columns.push(Column::Answer(i));
                names.push(column.key.clone());
            }
            columns.push(Column::Status(i));
            names.push(status_name(&column.key));
        }
        for (i, name) in EXTRA_COLUMNS.iter().enumerate() {
            columns.push(Column::Extra(i));
            names.push((*name).to_string());
        }
        Table {
            columns,
            names,
            coding: options.coding,
            option_labels: header
                .labelled_columns()
                .map(|(_, about, _)| about.options.iter().cloned().collect())
                .collect(),
            role_labels: header.roles.iter().cloned().collect(),
            kinds: header.columns.iter().map(|c| c.kind).collect(),
        }
    }

    /// A key as this file codes it: the key, or its label when coded with labels.
    fn coded<'a>(&self, key: &'a str, labels: &'a HashMap<String, String>) -> &'a str {
        match self.coding {
            Coding::Keys => key,
            Coding::Labels => labels.get(key).map_or(key, String::as_str),
        }
    }

    fn group<'a>(&self, group: &'a MergedGroup) -> Value<'a> {
        match self.coding {
            Coding::Keys => Value::Text(Cow::Owned(group.code())),
            Coding::Labels => Value::Text(Cow::Borrowed(&group.label)),
        }
    }

    fn status(cell: &Cell, split: bool) -> Value<'static> {
        match cell {
            Cell::Missing(why) => Value::Text(Cow::Borrowed(why.key())),
            Cell::Group(_) if split => Value::Text(Cow::Borrowed(MERGED)),
            _ => Value::Empty,
        }
    }

    fn answer<'a>(&'a self, i: usize, cell: &'a Cell) -> Value<'a> {
        let no_labels = HashMap::new();
        let labels = self.option_labels.get(i).unwrap_or(&no_labels);
        match cell {
            Cell::Empty | Cell::Missing(_) => Value::Empty,
            Cell::Number(n) => Value::Whole(*n),
            Cell::Group(group) => self.group(group),
            Cell::Text(t) if self.kinds.get(i) == Some(&QuestionType::Choice) => {
                Value::Text(Cow::Owned(self.coded(t, labels).to_string()))
            }
            Cell::Text(t) => Value::Text(Cow::Borrowed(t)),
            Cell::List(keys) => {
                let coded: Vec<&str> = keys.iter().map(|k| self.coded(k, labels)).collect();
                Value::Text(Cow::Owned(coded.join(";")))
            }
        }
    }

    /// The values of `row`, in the order of [`Table::columns`].
    pub fn values<'a>(&'a self, row: &'a ResearchRow) -> impl Iterator<Item = Value<'a>> + 'a {
        self.columns.iter().map(move |column| match column {
            Column::Id => Value::Text(Cow::Borrowed(&row.id)),
            Column::Day => Value::Day(row.created_at),
            Column::Role => match &row.role {
                Cell::Text(key) => Value::Text(Cow::Borrowed(self.coded(key, &self.role_labels))),
                Cell::Group(group) => self.group(group),
                _ => Value::Empty,
            },
            Column::RoleStatus => Self::status(&row.role, false),
            Column::Title => Value::Text(Cow::Borrowed(&row.title)),
            Column::Text => Value::Text(Cow::Borrowed(&row.text)),
            Column::TextStatus if row.text_deleted => {
                Value::Text(Cow::Borrowed(Missing::TextDeleted.key()))
            }
            Column::TextStatus => Value::Empty,
            Column::Answer(i) => row
                .cells
                .get(*i)
                .map_or(Value::Empty, |cell| self.answer(*i, cell)),
            Column::Option(i, key) => match row.cells.get(*i) {
                Some(Cell::List(chosen)) => Value::Whole(i64::from(chosen.contains(key))),
                _ => Value::Empty,
            },
            Column::Status(i) => row.cells.get(*i).map_or(Value::Empty, |cell| {
                Self::status(cell, self.kinds.get(*i) == Some(&QuestionType::Multichoice))
            }),
            Column::Extra(i) => match i {
                0 => Value::Whole(i64::from(row.questionnaire_version)),
                1 => Value::Bool(row.is_complete),
                2 => Value::Bool(row.consent_quotes),
                3 => Value::Whole(row.protected_values as i64),
                _ => Value::Whole(row.redactions as i64),
            },
        })
    }
}

/// Every reason a status column may hold.
pub fn status_values() -> Vec<&'static str> {
    Missing::ALL
        .iter()
        .map(|m| m.key())
        .chain([MERGED])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{AnswerColumn, ColumnLabels};
    use super::*;

    fn header(table: TableOptions) -> ExportHeader {
        ExportHeader {
            project: "proef".into(),
            exported_at: 0,
            filter: String::new(),
            k: 5,
            columns: vec![
                AnswerColumn {
                    key: "gemeente".into(),
                    kind: QuestionType::Choice,
                },
                AnswerColumn {
                    key: "hulp".into(),
                    kind: QuestionType::Multichoice,
                },
            ],
            labels: vec![
                ColumnLabels {
                    label: "Gemeente".into(),
                    options: vec![
                        ("nijmegen".into(), "Nijmegen".into()),
                        ("heumen".into(), "Heumen".into()),
                        ("mook".into(), "Mook".into()),
                    ],
                    poles: None,
                    wordings: Vec::new(),
                    groups: vec![MergedGroup {
                        label: "Heumen en Mook".into(),
                        options: vec!["heumen".into(), "mook".into()],
                    }],
                },
                ColumnLabels {
                    label: "Hulp".into(),
                    options: vec![("a".into(), "Thuis".into()), ("b".into(), "School".into())],
                    poles: None,
                    groups: Vec::new(),
                    wordings: Vec::new(),
                },
            ],
            roles: vec![("ouder".into(), "Ouder of verzorger".into())],
            role_groups: Vec::new(),
            table,
        }
    }

    fn row(gemeente: Cell, hulp: Cell) -> ResearchRow {
        ResearchRow {
            id: "v-1".into(),
            created_at: 86_400,
            role: Cell::Text("ouder".into()),
            title: "t".into(),
            text: "x".into(),
            cells: vec![gemeente, hulp],
            questionnaire_version: 1,
            is_complete: true,
            consent_quotes: false,
            protected_values: 0,
            redactions: 0,
            text_deleted: false,
        }
    }

    fn texts(table: &Table, row: &ResearchRow) -> Vec<String> {
        table
            .values(row)
            .map(|v| match v {
                Value::Empty => String::new(),
                Value::Text(t) => t.into_owned(),
                Value::Whole(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Day(d) => format!("dag {d}"),
            })
            .collect()
    }

    #[test]
    fn keys_split_multichoice_and_say_why_a_value_is_missing() {
        let table = Table::new(&header(TableOptions::default()));
        assert_eq!(
            table.names.join(","),
            "id,created_at,role,role_ontbreekt,title,text,text_ontbreekt,gemeente,gemeente_ontbreekt,hulp_a,hulp_b,hulp_ontbreekt,questionnaire_version,is_complete,consent_quotes,protected_values,redactions"
        );
        let group = MergedGroup {
            label: "Heumen en Mook".into(),
            options: vec!["heumen".into(), "mook".into()],
        };
        let r = row(Cell::Group(group), Cell::List(vec!["b".into()]));
        assert_eq!(
            texts(&table, &r)[..12].join(","),
            "v-1,dag 86400,ouder,,t,x,,heumen+mook,,0,1,"
        );
        let r = row(
            Cell::Missing(Missing::Protected),
            Cell::Missing(Missing::NotAsked),
        );
        assert_eq!(
            texts(&table, &r)[7..12].join(","),
            ",afgeschermd,,,niet_gevraagd"
        );
    }

    #[test]
    fn labels_never_mix_with_keys() {
        let table = Table::new(&header(TableOptions {
            coding: Coding::Labels,
            multichoice: MultichoiceForm::Joined,
        }));
        assert!(table.names.contains(&"hulp".to_string()));
        let r = row(
            Cell::Text("nijmegen".into()),
            Cell::List(vec!["a".into(), "b".into()]),
        );
        let values = texts(&table, &r);
        assert_eq!(values[2], "Ouder of verzorger");
        assert_eq!(values[7], "Nijmegen");
        assert_eq!(values[9], "Thuis;School");
        let group = MergedGroup {
            label: "Heumen en Mook".into(),
            options: vec!["heumen".into(), "mook".into()],
        };
        let r = row(Cell::Group(group), Cell::Missing(Missing::DontKnow));
        let values = texts(&table, &r);
        assert_eq!(values[7], "Heumen en Mook");
        assert_eq!(values[9], "");
        assert_eq!(values[10], "weet_ik_niet");
    }

    #[test]
    fn options_are_read_from_words() {
        assert_eq!(
            TableOptions::parse(None, None),
            Some(TableOptions::default())
        );
        assert_eq!(
            TableOptions::parse(Some("labels"), Some("samen")),
            Some(TableOptions {
                coding: Coding::Labels,
                multichoice: MultichoiceForm::Joined
            })
        );
        assert_eq!(TableOptions::parse(Some("codes"), None), None);
        assert_eq!(TableOptions::parse(None, Some("x")), None);
    }
}
