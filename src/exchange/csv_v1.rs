//! Stories as CSV, exchange format v1 (docs/formats.md):
//! `id,created_at,role,title,text,<question key>…`. A slider is an integer 0–100 or empty
//! (N/A), a choice is the option key, a multichoice is option keys joined by `;`.
//!
//! Import is all or nothing: [`parse`] returns every row or the first problem with its line
//! and column; [`Rows`] reads the same one row at a time, for files of any size.

use crate::domain::answer::{parse_answer, Answer, AnswerProblem, Answers};
use crate::domain::questionnaire::{Question, QuestionType, Questionnaire};
use crate::exchange::timestamp::{format_utc, parse_rfc3339};
use std::collections::{HashSet, VecDeque};
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
    let mut writer = Writer::new(out, columns)?;
    for row in rows {
        writer.row(row)?;
    }
    writer.finish()
}

/// Writes a file a story at a time, so that a project of any size is written in constant
/// memory.
pub struct Writer<'c, W: Write> {
    writer: csv::Writer<W>,
    columns: &'c [AnswerColumn],
}

impl<'c, W: Write> Writer<'c, W> {
    /// Starts the file with its header.
    pub fn new(out: W, columns: &'c [AnswerColumn]) -> Result<Self, CsvError> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let header: Vec<&str> = FIXED_COLUMNS
            .iter()
            .copied()
            .chain(columns.iter().map(|c| c.key.as_str()))
            .collect();
        writer.write_record(&header)?;
        Ok(Writer { writer, columns })
    }

    pub fn row(&mut self, row: &StoryRow) -> Result<(), CsvError> {
        let created = format_utc(row.created_at);
        let answers: Vec<String> = self
            .columns
            .iter()
            .map(|c| format_answer(row.answers.get(&c.key)))
            .collect();
        let fixed = [
            row.id.as_str(),
            created.as_str(),
            row.role.as_str(),
            row.title.as_str(),
            row.text.as_str(),
        ];
        self.writer
            .write_record(fixed.into_iter().chain(answers.iter().map(String::as_str)))?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<(), CsvError> {
        self.writer.flush()?;
        Ok(())
    }
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
pub fn parse<R: Read>(input: R, questionnaire: &Questionnaire) -> Result<Vec<StoryRow>, CsvError> {
    Rows::new(input, questionnaire)?.collect()
}

/// The rows of a file, read one at a time so that a file of any size is read in constant
/// memory (apart from the ids seen, to refuse duplicates). The header is checked by
/// [`Rows::new`]; each row is checked as it is read, and a problem names the physical line
/// the row starts on.
pub struct Rows<'q, R: Read> {
    reader: csv::Reader<LineBreaks<R>>,
    questionnaire: &'q Questionnaire,
    questions: Vec<&'q Question>,
    ids: HashSet<String>,
    record: csv::StringRecord,
}

impl<'q, R: Read> Rows<'q, R> {
    pub fn new(input: R, questionnaire: &'q Questionnaire) -> Result<Self, CsvError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(LineBreaks::new(input));
        let header: Vec<String> = reader
            .headers()?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        if header.len() < FIXED_COLUMNS.len()
            || header.iter().zip(FIXED_COLUMNS).any(|(h, f)| h != f)
        {
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
        Ok(Self {
            reader,
            questionnaire,
            questions,
            ids: HashSet::new(),
            record: csv::StringRecord::new(),
        })
    }

    /// The next row, `Ok(None)` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<StoryRow>, CsvError> {
        let start = self.reader.position().clone();
        if !self.reader.read_record(&mut self.record)? {
            return Ok(None);
        }
        let line = self.reader.get_mut().first_line(&start);
        self.row(line).map(Some)
    }

    fn row(&mut self, line: u64) -> Result<StoryRow, CsvError> {
        let record = &self.record;
        let cell = |column: &str, problem: &str| CsvError::Cell {
            line,
            column: column.to_string(),
            problem: problem.to_string(),
        };
        let id = record[0].trim().to_string();
        if id.is_empty() || id.chars().count() > 64 {
            return Err(cell("id", "een id is nodig en is hoogstens 64 tekens"));
        }
        if !self.ids.insert(id.clone()) {
            return Err(cell("id", "dit id komt al eerder in het bestand voor"));
        }
        let created_at = parse_rfc3339(&record[1])
            .ok_or_else(|| cell("created_at", "gebruik een tijd zoals 2026-11-22T09:29:11Z"))?;
        let role = record[2].to_string();
        if self.questionnaire.role(&role).is_none() {
            return Err(cell("role", "deze rol bestaat niet in het project"));
        }
        let title = record[3].to_string();
        let text = record[4].to_string();
        if text.trim().is_empty() {
            return Err(cell("text", "het verhaal is leeg"));
        }
        let mut answers = Answers::new();
        for (question, raw) in self
            .questions
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
        Ok(StoryRow {
            id,
            created_at,
            role,
            title,
            text,
            answers,
        })
    }
}

impl<R: Read> Iterator for Rows<'_, R> {
    type Item = Result<StoryRow, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_row().transpose()
    }
}

/// Passes the input through and notes where its line breaks (`\r` and `\n`) are, so that a
/// record's physical line is known without keeping or rescanning the file.
///
/// csv counts the `\n`s it has consumed (`Position::line`), but a record's position is taken
/// *before* the line breaks that the parser skips at its start: the `\n` of a CRLF (csv stops
/// a record at the `\r`) and blank lines. Those are exactly the breaks from the record's
/// position on, so only offsets the parser has not passed yet are kept: memory stays within
/// one record plus the read buffer.
struct LineBreaks<R> {
    inner: R,
    /// Bytes read from `inner` so far.
    read: u64,
    /// Offsets of `\r` and `\n` not yet passed, and whether each is a `\n`.
    breaks: VecDeque<(u64, bool)>,
}

impl<R> LineBreaks<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            read: 0,
            breaks: VecDeque::new(),
        }
    }

    /// The physical line of the first byte of the record that csv started at `start`, and
    /// forgets the breaks before it (records are asked for in order).
    fn first_line(&mut self, start: &csv::Position) -> u64 {
        let mut at = start.byte();
        let mut line = start.line();
        while let Some(&(offset, is_newline)) = self.breaks.front() {
            if offset > at {
                break;
            }
            if offset == at {
                // A break the parser skipped before the record's first byte.
                line += u64::from(is_newline);
                at += 1;
            }
            self.breaks.pop_front();
        }
        line
    }
}

impl<R: Read> Read for LineBreaks<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = self.read;
        self.breaks.extend(
            buf.iter()
                .take(n)
                .enumerate()
                .filter(|(_, &b)| b == b'\n' || b == b'\r')
                .map(|(i, &b)| (read + i as u64, b == b'\n')),
        );
        self.read += n as u64;
        Ok(n)
    }
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

    fn bad_cell_line(csv: &str) -> u64 {
        match parse(csv.as_bytes(), &sample()) {
            Err(CsvError::Cell { line, column, .. }) if column == "gehoord" => line,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn an_error_deep_in_a_large_file_names_its_physical_line() {
        // 30,000 rows of three physical lines each (a quoted text over two lines), LF and
        // CRLF mixed, some blank lines: the file is read once, without counting from its start
        // for every row.
        let mut csv = String::from("id,created_at,role,title,text,gehoord\r\n");
        let mut lines = 1;
        for i in 0..30_000 {
            let newline = if i % 3 == 0 { "\r\n" } else { "\n" };
            csv.push_str(&format!(
                "r{i},2026-01-01T00:00:00Z,jongere,t,\"een{newline}twee\r\ndrie\",50{newline}"
            ));
            lines += 3;
            if i % 1000 == 999 {
                csv.push_str("\r\n\n");
                lines += 2;
            }
        }
        csv.push_str("fout,2026-01-01T00:00:00Z,jongere,t,\"x\ny\",101\r\n");
        assert_eq!(bad_cell_line(&csv), lines + 1);
    }

    #[test]
    fn the_line_is_where_the_row_starts_after_any_line_endings_and_blank_lines() {
        let row = |id: usize, text: &str, slider: u32, end: &str| {
            format!("r{id},2026-01-01T00:00:00Z,jongere,t,{text},{slider}{end}")
        };
        let texts = [
            "kort",
            "\"twee\nregels\"",
            "\"drie\r\n\r\nregels\"",
            "\"\nx\"",
        ];
        let ends = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n\r\n\n"];
        for bad in 0..6 {
            let mut csv = String::from("id,created_at,role,title,text,gehoord\n");
            let mut start = 0;
            for i in 0..6 {
                if i == bad {
                    start = csv.len();
                }
                let slider = if i == bad { 101 } else { 7 };
                csv.push_str(&row(
                    i,
                    texts[(i + bad) % 4],
                    slider,
                    ends[(i * 5 + bad) % 6],
                ));
            }
            let expected = csv[..start].matches('\n').count() as u64 + 1;
            assert_eq!(bad_cell_line(&csv), expected, "{csv:?}");
            // Without a line break at the end of the file too.
            let trimmed = csv.trim_end_matches(['\r', '\n']);
            assert_eq!(bad_cell_line(trimmed), expected, "{trimmed:?}");
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
