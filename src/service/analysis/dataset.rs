//! Stored stories as the analysis engine's dataset: one column per question (a multichoice
//! question gives one yes/no column per option), plus the storyteller's role and properties
//! derived from the story itself.
//!
//! Columns are filled story by story, answer by answer, through a key → column table: walking
//! each question over all stories instead would visit every story's answers once per question,
//! which on 100,000 stories is mostly waiting for memory.

use crate::analysis::{Codes, Dataset, OptionLabel, ScanUse, Variable};
use crate::domain::questionnaire::{Question, QuestionType};
use crate::domain::story::word_count;
use crate::domain::{Answer, Project, Questionnaire};
use crate::exchange::timestamp::format_utc;
use crate::store::stories::{AnswerRecord, Story, StoryRecord};
use crate::store::StoreResult;
use compact_str::CompactString;
use std::collections::HashMap;
use std::sync::Arc;

/// Keys of the properties derived from the story itself rather than asked.
pub const DERIVED: [&str; 7] = [
    "lengte",
    "maand",
    "kanaal",
    "taal",
    "versie",
    "kwartaal",
    "verteltafel",
];

/// What the dataset needs of one story besides its answers: never its texts. Role, language
/// and channel are shared strings, because a million stories have only a handful of each.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryFacts {
    pub id: CompactString,
    pub created_at: i64,
    pub version: i32,
    pub role: Arc<str>,
    pub language: Arc<str>,
    pub channel: Arc<str>,
    /// The name of the verteltafel the story was told at; `None` when it was not.
    pub table: Option<Arc<str>>,
    pub complete: bool,
    pub quotes_allowed: bool,
    pub words: u32,
    /// The number the search index knows the story by (`store::search_index::row_key`).
    pub row_key: i64,
}

impl StoryFacts {
    /// The facts of a record, with row key 0: a record does not carry it.
    pub fn of(record: &StoryRecord) -> Self {
        StoryFacts {
            row_key: 0,
            id: record.id.as_str().into(),
            created_at: record.created_at,
            version: record.questionnaire_version,
            role: record.role.as_str().into(),
            language: record.language.as_str().into(),
            channel: record.channel.as_str().into(),
            table: None,
            complete: record.is_complete,
            quotes_allowed: record.consent_quotes,
            words: record
                .word_count
                .and_then(|w| u32::try_from(w).ok())
                .unwrap_or_else(|| word_count(&record.body) as u32),
        }
    }
}

/// Where the answers to one question go.
enum Slot<'q> {
    Slider(usize),
    Choice(usize, &'q Question),
    /// The column of the question's first option; the others follow in option order.
    Multichoice(usize, &'q Question),
}

/// The dataset under construction.
struct Columns<'q> {
    variables: Vec<Variable>,
    slots: HashMap<&'q str, Slot<'q>>,
}

/// The two states of one multichoice option, labelled so that they read well on their own.
fn yes_no(option: &str) -> Vec<OptionLabel> {
    ["nee", "ja"]
        .iter()
        .map(|k| OptionLabel {
            key: k.to_string(),
            label: format!("{option}: {k}"),
        })
        .collect()
}

fn labels(question: &Question) -> Vec<OptionLabel> {
    question
        .options
        .iter()
        .map(|o| OptionLabel {
            key: o.key.clone(),
            label: o.label.clone(),
        })
        .collect()
}

impl<'q> Columns<'q> {
    /// Empty columns (no answer anywhere) for the role and every question of `q`.
    fn new(q: &'q Questionnaire, records: &[StoryFacts]) -> Self {
        let n = records.len();
        let mut variables = vec![Variable::Choice {
            key: "rol".into(),
            label: "Rol van de verteller".into(),
            options: q
                .roles
                .iter()
                .map(|r| OptionLabel {
                    key: r.key.clone(),
                    label: r.label.clone(),
                })
                .collect(),
            values: records
                .iter()
                .map(|r| {
                    q.roles
                        .iter()
                        .position(|x| *x.key == *r.role)
                        .map(|i| i as u16)
                })
                .collect(),
        }];
        let mut slots = HashMap::new();
        for question in &q.questions {
            let at = variables.len();
            match question.kind {
                QuestionType::Slider => {
                    slots.insert(question.key.as_str(), Slot::Slider(at));
                    variables.push(Variable::Slider {
                        key: question.key.clone(),
                        label: question.label.clone(),
                        left: question.left.clone().unwrap_or_default(),
                        right: question.right.clone().unwrap_or_default(),
                        values: vec![None; n],
                    });
                }
                QuestionType::Choice => {
                    slots.insert(question.key.as_str(), Slot::Choice(at, question));
                    variables.push(Variable::Choice {
                        key: question.key.clone(),
                        label: question.label.clone(),
                        options: labels(question),
                        values: Codes::unanswered(n),
                    });
                }
                QuestionType::Multichoice => {
                    slots.insert(question.key.as_str(), Slot::Multichoice(at, question));
                    for option in &question.options {
                        variables.push(Variable::Choice {
                            key: format!("{}__{}", question.key, option.key),
                            label: format!("{}: {}", question.label, option.label),
                            options: yes_no(&option.label),
                            // Not answered at all is "no answer", not "no".
                            values: Codes::unanswered(n),
                        });
                    }
                }
                QuestionType::Text => {}
            }
        }
        Columns { variables, slots }
    }

    /// Sets the cell of story `story` in choice column `column`, if there is one.
    fn set_choice(&mut self, column: usize, story: usize, cell: Option<u16>) {
        if let Some(Variable::Choice { values, .. }) = self.variables.get_mut(column) {
            if story < values.len() {
                values.set(story, cell);
            }
        }
    }

    /// Puts one answer of story `story` in its column. Answers to questions the current
    /// questionnaire does not have, and answers of another type, stay "no answer".
    fn set(&mut self, story: usize, key: &str, answer: &Answer) {
        match (self.slots.get(key), answer) {
            (Some(&Slot::Slider(column)), Answer::Slider(v)) => {
                if let Some(Variable::Slider { values, .. }) = self.variables.get_mut(column) {
                    if let Some(cell) = values.get_mut(story) {
                        *cell = Some(v.get());
                    }
                }
            }
            (Some(&Slot::Choice(column, question)), Answer::Choice(c)) => {
                let index = question.options.iter().position(|o| &o.key == c);
                self.set_choice(column, story, index.map(|i| i as u16));
            }
            (Some(&Slot::Multichoice(first, question)), Answer::Multichoice(chosen)) => {
                for (i, option) in question.options.iter().enumerate() {
                    let yes = chosen.iter().any(|c| c == &option.key);
                    self.set_choice(first + i, story, Some(u16::from(yes)));
                }
            }
            _ => {}
        }
    }

    /// Adds the derived properties and returns the dataset.
    fn finish(mut self, records: &[StoryFacts]) -> Dataset {
        self.variables.push(Variable::Numeric {
            key: "lengte".into(),
            label: "Lengte van het verhaal (woorden)".into(),
            values: records.iter().map(|r| Some(f64::from(r.words))).collect(),
        });
        let derived: [DerivedQuestion; 6] = [
            ("maand", "Maand van vertellen", |r| {
                format_utc(r.created_at)[..7].to_string()
            }),
            ("kwartaal", "Kwartaal van vertellen", |r| {
                quarter(r.created_at)
            }),
            ("kanaal", "Kanaal", |r| r.channel.to_string()),
            // The table's name for a story told at a verteltafel, else its channel
            // ("online", or how an imported story came in).
            ("verteltafel", "Verteltafel", |r| {
                r.table
                    .as_deref()
                    .map_or_else(|| r.channel.to_string(), str::to_string)
            }),
            // The language the teller told in (the page's language when sending).
            ("taal", "Taal van het verhaal", |r| r.language.to_string()),
            ("versie", "Versie van de vragenlijst", |r| {
                format!("versie {}", r.version)
            }),
        ];
        for (key, label, value) in derived {
            self.variables.push(derived_choice(
                key,
                label,
                records.iter().map(value),
                option_label(key),
            ));
        }
        // Months would cut the three-way tests into thin cells; quarters stand in for them there.
        let scan_use = [
            ("maand".to_string(), ScanUse::PairsOnly),
            ("kwartaal".to_string(), ScanUse::ThreeWayOnly),
        ]
        .into();
        Dataset {
            stories: records.len(),
            variables: self.variables,
            scan_use,
        }
    }
}

/// The quarter of telling, e.g. "2026 K3" (sorts in time order).
fn quarter(created_at: i64) -> String {
    let day = format_utc(created_at);
    let month: u32 = day.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{} K{}", day.get(..4).unwrap_or(""), month.div_ceil(3))
}

/// Key, label and how to read a derived property off a story.
type DerivedQuestion = (&'static str, &'static str, fn(&StoryFacts) -> String);

/// How staff read an option of a derived property: a language by its Dutch name ("pl" is
/// "Pools"; a code the interface does not have stays as stored), the others as they are.
/// The key stays the stored value, so that filters in URLs and exports keep their meaning.
fn option_label(key: &str) -> fn(&str) -> String {
    match key {
        "taal" => |code| {
            crate::domain::translations::dutch_name(code)
                .map_or_else(|| code.to_string(), str::to_string)
        },
        _ => str::to_string,
    }
}

/// Options seen in the data for a derived property, in sorted order. Each story's value is
/// turned into a number as it is made, so that a million stories never hold a million strings
/// (a few hundred MB for a moment).
fn derived_choice(
    key: &str,
    label: &str,
    values: impl Iterator<Item = String>,
    option_label: fn(&str) -> String,
) -> Variable {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let in_order_seen: Vec<u32> = values
        .map(|v| {
            let next = seen.len() as u32;
            *seen.entry(v).or_insert(next)
        })
        .collect();
    let mut distinct: Vec<(String, u32)> = seen.into_iter().collect();
    distinct.sort();
    let mut position = vec![0u32; distinct.len()];
    for (sorted, (_, first)) in distinct.iter().enumerate() {
        position[*first as usize] = sorted as u32;
    }
    Variable::Choice {
        key: key.into(),
        label: label.into(),
        options: distinct
            .into_iter()
            .map(|(d, _)| OptionLabel {
                label: option_label(&d),
                key: d,
            })
            .collect(),
        // A derived property has a handful of values (months, channels, versions), far from
        // the 65,535 an option index can hold.
        values: in_order_seen
            .iter()
            .map(|&i| u16::try_from(position[i as usize]).ok())
            .collect(),
    }
}

/// The dataset of these stories under the project's current questionnaire, plus derived
/// questions: story length in words, month of telling, channel, language and version.
/// Questions are matched across questionnaire versions by key.
pub fn dataset(project: &Project, stories: &[Story]) -> Dataset {
    let records: Vec<StoryFacts> = stories.iter().map(|s| StoryFacts::of(&s.record)).collect();
    let mut columns = Columns::new(&project.questionnaire, &records);
    for (i, story) in stories.iter().enumerate() {
        for (key, answer) in &story.answers {
            columns.set(i, key, answer);
        }
    }
    columns.finish(&records)
}

/// The dataset and replies of stories built straight from stored answer rows, fed in chunks
/// of any size and order, without building each story's answer map first.
pub struct Builder<'a> {
    facts: &'a [StoryFacts],
    versions: &'a HashMap<i32, Questionnaire>,
    columns: Columns<'a>,
    replies: ReplyColumns<'a>,
}

impl<'a> Builder<'a> {
    /// `facts` in story order.
    pub fn new(
        project: &'a Project,
        facts: &'a [StoryFacts],
        versions: &'a HashMap<i32, Questionnaire>,
    ) -> Self {
        Builder {
            facts,
            versions,
            columns: Columns::new(&project.questionnaire, facts),
            replies: empty_replies(project, facts, Some(versions)),
        }
    }

    /// Takes in answer rows of any story; rows of other stories are ignored.
    pub fn add(&mut self, rows: &[AnswerRecord]) -> StoreResult<()> {
        self.add_for(0..self.facts.len(), rows)
    }

    /// Takes in answer rows of the stories at `stories` (positions in `facts`); rows of other
    /// stories are ignored. Reading a project a chunk of stories at a time, the ids are looked
    /// up among that chunk only: no map of a million ids.
    pub fn add_for(
        &mut self,
        stories: std::ops::Range<usize>,
        rows: &[AnswerRecord],
    ) -> StoreResult<()> {
        let first = stories.start;
        let index: HashMap<&str, usize> = self.facts[stories]
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), first + i))
            .collect();
        for row in rows {
            let Some(&story) = index.get(row.story_id.as_str()) else {
                continue;
            };
            // Decoded against the story's own questionnaire version, as everywhere else.
            let kind = self
                .versions
                .get(&self.facts[story].version)
                .and_then(|q| q.question(&row.question_key))
                .map(|q| q.kind);
            self.columns
                .set(story, &row.question_key, &row.decode(kind)?);
            add_reply(&mut self.replies, story, row);
        }
        Ok(())
    }

    pub fn finish(self) -> (Dataset, Replies) {
        (
            self.columns.finish(self.facts),
            Replies {
                questions: self.replies.0,
            },
        )
    }
}

// ---------- Replies: asked or not, answered or not ----------

use crate::analysis::dataset::{Replies, Reply};

/// Whether the teller of `record` was asked `question` (of the current questionnaire): the
/// questionnaire version the story was told with must have a question of that key for the
/// teller's role. When that version is not known, the current question decides.
fn was_asked(
    question: &Question,
    record: &StoryFacts,
    versions: Option<&HashMap<i32, Questionnaire>>,
) -> bool {
    match versions.and_then(|v| v.get(&record.version)) {
        Some(told_with) => told_with
            .question(&question.key)
            .is_some_and(|q| q.applies_to(&record.role)),
        None => question.applies_to(&record.role),
    }
}

/// The replies per question under construction, and where each question key's column is.
type ReplyColumns<'q> = (Vec<(String, Vec<Reply>)>, HashMap<&'q str, usize>);

/// Every story "not asked" or "not answered" for every question of the current questionnaire
/// but its text questions; the answers then fill in the rest.
fn empty_replies<'q>(
    project: &'q Project,
    records: &[StoryFacts],
    versions: Option<&HashMap<i32, Questionnaire>>,
) -> ReplyColumns<'q> {
    let questions: Vec<&Question> = project
        .questionnaire
        .questions
        .iter()
        .filter(|q| q.kind != QuestionType::Text)
        .collect();
    let column = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.key.as_str(), i))
        .collect();
    let replies = questions
        .iter()
        .map(|q| {
            let replies = records
                .iter()
                .map(|r| {
                    if was_asked(q, r, versions) {
                        Reply::Unanswered
                    } else {
                        Reply::NotAsked
                    }
                })
                .collect();
            (q.key.clone(), replies)
        })
        .collect();
    (replies, column)
}

/// A stored answer over what the questionnaire says. A value always counts (an imported story
/// may answer what its teller's role was not asked); "weet ik niet" only where the question was
/// asked, because an empty slider cell of an import reads as "weet ik niet" for every row.
fn fill(asked: Reply, stored: Reply) -> Reply {
    match (asked, stored) {
        (Reply::NotAsked, Reply::NotApplicable) => Reply::NotAsked,
        (_, stored) => stored,
    }
}

/// How each of these stories met each question (see [`Reply`]). Without the questionnaire
/// versions, whether a question was asked follows the current questionnaire.
pub fn replies(project: &Project, stories: &[Story]) -> Replies {
    let records: Vec<StoryFacts> = stories.iter().map(|s| StoryFacts::of(&s.record)).collect();
    let (mut replies, column) = empty_replies(project, &records, None);
    for (i, story) in stories.iter().enumerate() {
        for (key, answer) in &story.answers {
            let reply = match answer {
                Answer::NotApplicable => Reply::NotApplicable,
                a if a.has_value() => Reply::Answered,
                _ => continue,
            };
            if let Some(cell) = column
                .get(key.as_str())
                .and_then(|&c| replies.get_mut(c))
                .and_then(|(_, r)| r.get_mut(i))
            {
                *cell = fill(*cell, reply);
            }
        }
    }
    Replies { questions: replies }
}

/// Notes one stored answer row of story `story` in the replies.
fn add_reply(replies: &mut ReplyColumns<'_>, story: usize, row: &AnswerRecord) {
    let reply = if row.is_na {
        Reply::NotApplicable
    } else if row.number_value.is_some()
        || row
            .text_value
            .as_deref()
            .is_some_and(|t| t.split(';').any(|part| !part.trim().is_empty()))
    {
        Reply::Answered
    } else {
        return;
    };
    let (questions, column) = replies;
    let Some(&c) = column.get(row.question_key.as_str()) else {
        return;
    };
    if let Some(cell) = questions.get_mut(c).and_then(|(_, r)| r.get_mut(story)) {
        *cell = fill(*cell, reply);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::answer::SliderValue;
    use crate::domain::questionnaire::default_questionnaire;
    use crate::domain::ProjectSettings;
    use crate::store::stories::Moderation;

    fn project() -> Project {
        let questionnaire = default_questionnaire().unwrap().parse().unwrap();
        Project {
            slug: "jeugdhulp".into(),
            name: "Test".into(),
            is_open: true,
            settings: ProjectSettings::shipped_defaults(),
            version: 1,
            sliders_unset_from: 1,
            questionnaire,
        }
    }

    fn story(i: usize) -> Story {
        let mut answers = crate::domain::answer::Answers::new();
        if !i.is_multiple_of(4) {
            let v = SliderValue::new((i * 13 % 101) as i64).unwrap();
            answers.insert("gehoord".into(), Answer::Slider(v));
        } else {
            answers.insert("gehoord".into(), Answer::NotApplicable);
        }
        answers.insert(
            "gevoel".into(),
            Answer::Choice(["positief", "negatief"][i % 2].into()),
        );
        if i.is_multiple_of(3) {
            answers.insert(
                "wie_betrokken".into(),
                Answer::Multichoice(vec!["school".into(), "wijkteam".into()]),
            );
        }
        // An answer to a question the questionnaire no longer has is ignored.
        answers.insert("oud".into(), Answer::Text("weg".into()));
        Story {
            record: StoryRecord {
                id: format!("s{i}"),
                project_slug: "jeugdhulp".into(),
                questionnaire_version: 1,
                participant_id: None,
                role: ["jongere", "ouder"][i % 2].into(),
                title: "Verzonnen".into(),
                body: "een twee drie ".repeat(i + 1),
                language: "nl".into(),
                channel: "online".into(),
                created_at: 1_790_000_000 + i as i64 * 86_400 * 20,
                is_complete: i.is_multiple_of(2),
                consent_analysis: true,
                consent_quotes: false,
                withdrawal_code_hash: None,
                withdrawn_at: None,
                submission_key: None,
                moderation: Moderation::default(),
                word_count: None,
            },
            answers,
        }
    }

    #[test]
    fn stored_rows_give_the_same_dataset_as_decoded_stories() {
        let project = project();
        let stories: Vec<Story> = (0..12).map(story).collect();
        let records: Vec<StoryFacts> = stories.iter().map(|s| StoryFacts::of(&s.record)).collect();
        let mut rows: Vec<AnswerRecord> = stories
            .iter()
            .flat_map(|s| {
                s.answers
                    .iter()
                    .map(|(k, a)| AnswerRecord::encode(&s.record.id, k, a))
            })
            .collect();
        rows.reverse();
        let versions = HashMap::from([(1, project.questionnaire.clone())]);
        let mut builder = Builder::new(&project, &records, &versions);
        let (half, rest) = rows.split_at(rows.len() / 2);
        builder.add(rest).unwrap();
        builder.add(half).unwrap();
        let (from_rows, replies) = builder.finish();
        assert_eq!(replies, super::replies(&project, &stories));
        // A chunk of stories at a time, each given all rows: the same.
        let mut chunked = Builder::new(&project, &records, &versions);
        let middle = records.len() / 3;
        chunked.add_for(middle..records.len(), &rows).unwrap();
        chunked.add_for(0..middle, &rows).unwrap();
        assert_eq!(chunked.finish(), (from_rows.clone(), replies.clone()));
        let from_stories = dataset(&project, &stories);
        assert_eq!(from_rows, from_stories);

        let gehoord = from_rows.variable("gehoord").unwrap();
        assert_eq!(gehoord.number(0), None, "N/A is no value");
        assert_eq!(gehoord.number(1), Some(13.0));
        match from_rows.variable("wie_betrokken__school").unwrap() {
            Variable::Choice { values, .. } => {
                let first: Vec<Option<u16>> = values.iter().take(4).collect();
                assert_eq!(first, [Some(1), None, None, Some(1)])
            }
            _ => unreachable!(),
        }
        assert_eq!(from_rows.variable("lengte").unwrap().number(2), Some(9.0));
        assert!(from_rows.variable("oud").is_none());
        assert!(from_rows.variable("maand").is_some());
    }

    #[test]
    fn the_language_is_a_derived_question_with_dutch_names() {
        let project = project();
        let stories: Vec<Story> = (0..6)
            .map(|i| {
                let mut s = story(i);
                s.record.language = ["pl", "ar", "nl", "pl", "xx", "uk"][i].into();
                s
            })
            .collect();
        match dataset(&project, &stories).variable("taal") {
            Some(Variable::Choice {
                label,
                options,
                values,
                ..
            }) => {
                assert_eq!(label, "Taal van het verhaal");
                // Keys as stored (in key order, as every derived property), names in Dutch;
                // a code the interface does not have is shown as it is.
                let shown: Vec<(&str, &str)> = options
                    .iter()
                    .map(|o| (o.key.as_str(), o.label.as_str()))
                    .collect();
                assert_eq!(
                    shown,
                    [
                        ("ar", "Arabisch"),
                        ("nl", "Nederlands"),
                        ("pl", "Pools"),
                        ("uk", "Oekraïens"),
                        ("xx", "xx")
                    ]
                );
                let seen: Vec<Option<u16>> = values.iter().collect();
                assert_eq!(seen, [Some(2), Some(0), Some(1), Some(2), Some(4), Some(3)]);
            }
            other => panic!("no language question: {other:?}"),
        }
    }
}
