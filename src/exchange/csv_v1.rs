//! Stories as CSV, exchange format v1 (docs/formats.md):
//! `id,created_at,role,title,text,<question key>…`. A slider is an integer 0–100 or empty
//! (N/A), a choice is the option key, a multichoice is option keys joined by `;`.
//!
//! Import is all or nothing: [`parse`] returns every row or the first problem with its line
//! and column.

use crate::domain::answer::{parse_answer, Answer, AnswerProblem, Answers};
use crate::domain::questionnaire::{QuestionType, Questionnaire};
use crate::exchange::timestamp::{format_utc, parse_rfc3339};
use std::collections::HashSet;
use std::io::{Read, Write};

pub const FIXED_COLUMNS: [&str; 5] = ["id", "created_at", "role", "title", "text"];

/// One story as the exchange format carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    pub id: String,
    pub created_at: i64,
    pub role: String,
    pub title: String,
    pub text: String,
    pub answers: Answers,
}

/// A column of answers in an export: its key and how to print it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerColumn {
    pub key: String,
    pub kind: QuestionType,
}

impl AnswerColumn {
    pub fn for_questionnaire(q: &Questionnaire) -> Vec<AnswerColumn> {
        q.questions
            .iter()
            .map(|q| AnswerColumn {
                key: q.key.clone(),
                kind: q.kind,
            })
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("regel {line}, kolom {column:?}: {problem}")]
    Cell {
        line: u64,
        column: String,
        problem: String,
    },
    #[error("regel {line}: {problem}")]
    Row { line: u64, problem: String },
    #[error("het bestand is geen geldige CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("lezen of schrijven mislukt: {0}")]
    Io(#[from] std::io::Error),
}

pub fn format_answer(answer: Option<&Answer>) -> String {
    match answer {
        None | Some(Answer::NotApplicable) => String::new(),
        Some(Answer::Slider(v)) => v.get().to_string(),
        Some(Answer::Choice(key)) => key.clone(),
        Some(Answer::Multichoice(keys)) => keys.join(";"),
        Some(Answer::Text(t)) => t.clone(),
    }
}

/// Writes the header and one line per story.
pub fn write<W: Write>(
    out: W,
    columns: &[AnswerColumn],
    rows: &[StoryRow],
) -> Result<(), CsvError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let header: Vec<&str> = FIXED_COLUMNS
        .iter()
        .copied()
        .chain(columns.iter().map(|c| c.key.as_str()))
        .collect();
    writer.write_record(&header)?;
    for row in rows {
        let mut record = vec![
            row.id.clone(),
            format_utc(row.created_at),
            row.role.clone(),
            row.title.clone(),
            row.text.clone(),
        ];
        record.extend(
            columns
                .iter()
                .map(|c| format_answer(row.answers.get(&c.key))),
        );
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

fn problem_text(problem: AnswerProblem) -> &'static str {
    match problem {
        AnswerProblem::SliderNotANumber => "een schuifje moet een heel getal van 0 tot 100 zijn",
        AnswerProblem::SliderOutOfRange => "een schuifje moet tussen 0 en 100 liggen",
        AnswerProblem::NotApplicableNotAllowed => "'niet van toepassing' mag hier niet",
        AnswerProblem::UnknownOption => "deze antwoordkeuze bestaat niet bij deze vraag",
        AnswerProblem::TooManyChoices => "bij deze vraag mag maar één keuze",
        AnswerProblem::TextTooLong => "dit antwoord is te lang",
    }
}

/// Reads a whole file against a questionnaire. Nothing is returned unless every row is valid.
pub fn parse<R: Read>(
    mut input: R,
    questionnaire: &Questionnaire,
) -> Result<Vec<StoryRow>, CsvError> {
    // Read whole so that problems can name the physical line, also after quoted newlines.
    let mut data = Vec::new();
    input.read_to_end(&mut data)?;
    // csv reports a record's position at the terminator before it; count that one too.
    let physical_line = |byte: u64| {
        let byte = byte as usize;
        let end = if data.get(byte) == Some(&b'\n') {
            byte + 1
        } else {
            byte.min(data.len())
        };
        data[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(data.as_slice());
    let header: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    if header.len() < FIXED_COLUMNS.len() || header.iter().zip(FIXED_COLUMNS).any(|(h, f)| h != f) {
        return Err(CsvError::Row {
            line: 1,
            problem: format!("de kop moet beginnen met {}", FIXED_COLUMNS.join(",")),
        });
    }
    let mut questions = Vec::new();
    let mut seen = HashSet::new();
    for key in &header[FIXED_COLUMNS.len()..] {
        let question = questionnaire.question(key).ok_or_else(|| CsvError::Cell {
            line: 1,
            column: key.clone(),
            problem: "deze vraag staat niet in de vragenlijst van het project".into(),
        })?;
        if !seen.insert(key.clone()) {
            return Err(CsvError::Cell {
                line: 1,
                column: key.clone(),
                problem: "deze kolom staat er twee keer in".into(),
            });
        }
        questions.push(question);
    }

    let mut rows = Vec::new();
    let mut ids = HashSet::new();
    for record in reader.records() {
        let record = record?;
        let line = record
            .position()
            .map(|p| physical_line(p.byte()))
            .unwrap_or(0);
        let cell = |column: &str, problem: &str| CsvError::Cell {
            line,
            column: column.to_string(),
            problem: problem.to_string(),
        };
        let id = record[0].trim().to_string();
        if id.is_empty() || id.chars().count() > 64 {
            return Err(cell("id", "een id is nodig en is hoogstens 64 tekens"));
        }
        if !ids.insert(id.clone()) {
            return Err(cell("id", "dit id komt al eerder in het bestand voor"));
        }
        let created_at = parse_rfc3339(&record[1])
            .ok_or_else(|| cell("created_at", "gebruik een tijd zoals 2026-11-22T09:29:11Z"))?;
        let role = record[2].to_string();
        if questionnaire.role(&role).is_none() {
            return Err(cell("role", "deze rol bestaat niet in het project"));
        }
        let title = record[3].to_string();
        let text = record[4].to_string();
        if text.trim().is_empty() {
            return Err(cell("text", "het verhaal is leeg"));
        }
        let mut answers = Answers::new();
        for (question, raw) in questions
            .iter()
            .zip(record.iter().skip(FIXED_COLUMNS.len()))
        {
            let answer = match question.kind {
                // An empty slider cell is "niet van toepassing" by definition of the format.
                QuestionType::Slider if raw.trim().is_empty() => Some(Answer::NotApplicable),
                QuestionType::Slider if raw.trim() != raw => {
                    return Err(cell(&question.key, "een getal zonder spaties"));
                }
                QuestionType::Multichoice => {
                    let keys: Vec<&str> = raw.split(';').filter(|k| !k.is_empty()).collect();
                    parse_answer(question, &keys, false)
                        .map_err(|p| cell(&question.key, problem_text(p)))?
                }
                QuestionType::Text if !raw.is_empty() => Some(Answer::Text(raw.to_string())),
                _ => parse_answer(question, &[raw], false)
                    .map_err(|p| cell(&question.key, problem_text(p)))?,
            };
            if let Some(answer) = answer {
                answers.insert(question.key.clone(), answer);
            }
        }
        rows.push(StoryRow {
            id,
            created_at,
            role,
            title,
            text,
            answers,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::tests::sample;
    use crate::domain::SliderValue;

    fn rows() -> Vec<StoryRow> {
        let mut a = Answers::new();
        a.insert(
            "gehoord".into(),
            Answer::Slider(SliderValue::new(0).unwrap()),
        );
        a.insert("op_tijd".into(), Answer::NotApplicable);
        a.insert(
            "hulp".into(),
            Answer::Multichoice(vec!["wijkteam".into(), "school".into()]),
        );
        a.insert(
            "leeftijd_kind".into(),
            Answer::Text("12, \"bijna\" 13".into()),
        );
        let mut b = Answers::new();
        b.insert(
            "gehoord".into(),
            Answer::Slider(SliderValue::new(100).unwrap()),
        );
        b.insert("op_tijd".into(), Answer::NotApplicable);
        b.insert("gevoel".into(), Answer::Choice("goed".into()));
        vec![
            StoryRow {
                id: "VP-1".into(),
                created_at: 1_700_000_000,
                role: "ouder".into(),
                title: "Met \"aanhalingstekens\", komma's".into(),
                text: "Regel één\nRegel twee 🙂\r\n\"citaat\"; puntkomma".into(),
                answers: a,
            },
            StoryRow {
                id: "oud-42".into(),
                created_at: 1_600_000_000,
                role: "jongere".into(),
                title: String::new(),
                text: "Kort.".into(),
                answers: b,
            },
        ]
    }

    #[test]
    fn export_then_import_round_trips_exactly() {
        let q = sample();
        let columns = AnswerColumn::for_questionnaire(&q);
        let mut first = Vec::new();
        write(&mut first, &columns, &rows()).unwrap();
        let parsed = parse(first.as_slice(), &q).unwrap();
        assert_eq!(parsed, rows());
        let mut second = Vec::new();
        write(&mut second, &columns, &parsed).unwrap();
        assert_eq!(first, second);
        let text = String::from_utf8(first).unwrap();
        assert!(text.starts_with("id,created_at,role,title,text,gehoord,op_tijd,gevoel,hulp,"));
        assert!(text.contains(",wijkteam;school,"));
    }

    #[test]
    fn bad_cell_names_line_and_column() {
        let q = sample();
        for newline in ["\n", "\r\n"] {
            let csv = format!(
                "id,created_at,role,title,text,gehoord{newline}\
                 a,2026-01-01T00:00:00Z,jongere,t,\"twee{newline}regels\",50{newline}\
                 b,2026-01-01T00:00:00Z,jongere,t,verhaal,150{newline}"
            );
            let err = parse(csv.as_bytes(), &q).unwrap_err();
            match err {
                CsvError::Cell { line, column, .. } => {
                    assert_eq!(line, 4, "physical line, newline {newline:?}");
                    assert_eq!(column, "gehoord");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn bad_header_unknown_question_and_duplicate_id_are_refused() {
        let q = sample();
        assert!(matches!(
            parse("id,title\n".as_bytes(), &q),
            Err(CsvError::Row { line: 1, .. })
        ));
        assert!(matches!(
            parse(
                "id,created_at,role,title,text,bestaat_niet\n".as_bytes(),
                &q
            ),
            Err(CsvError::Cell { line: 1, .. })
        ));
        let dup = "id,created_at,role,title,text\na,2026-01-01T00:00:00Z,jongere,t,x\na,2026-01-01T00:00:00Z,jongere,t,y\n";
        assert!(matches!(
            parse(dup.as_bytes(), &q),
            Err(CsvError::Cell { line: 3, .. })
        ));
        let ragged = "id,created_at,role,title,text\na,2026-01-01T00:00:00Z,jongere\n";
        assert!(matches!(
            parse(ragged.as_bytes(), &q),
            Err(CsvError::Csv(_))
        ));
    }

    #[test]
    fn unknown_option_and_role_are_refused() {
        let q = sample();
        let csv = "id,created_at,role,title,text,hulp\na,2026-01-01T00:00:00Z,jongere,t,x,wijkteam;zwembad\n";
        assert!(
            matches!(parse(csv.as_bytes(), &q), Err(CsvError::Cell { ref column, .. }) if column == "hulp")
        );
        let csv = "id,created_at,role,title,text\na,2026-01-01T00:00:00Z,opa,t,x\n";
        assert!(
            matches!(parse(csv.as_bytes(), &q), Err(CsvError::Cell { ref column, .. }) if column == "role")
        );
    }
}
