//! From stored stories to the analysis engine's dataset, and the scan of a project.
//!
//! Only stories that may be analysed take part: consented, not hidden, not withdrawn (the same
//! selection as an export). Questions are matched across questionnaire versions by key, so a
//! question that stayed the same keeps all its answers.

use crate::analysis::{self, Dataset, OptionLabel, Scan, ScanSettings, Variable};
use crate::domain::questionnaire::QuestionType;
use crate::domain::story::word_count;
use crate::domain::{Answer, Project};
use crate::exchange::timestamp::format_utc;
use crate::store::stories::{self, Story};
use crate::store::{projects, Database, StoreError};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("project {0:?} bestaat niet")]
    NoProject(String),
    #[error("filter {0:?} klopt niet: gebruik vraag=antwoord, bijvoorbeeld rol=ouder")]
    BadFilter(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which stories to analyse. Filters on the same question are alternatives (OR); filters on
/// different questions must all hold (AND).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryFilter {
    /// (question key or `rol`, option key)
    pub answers: Vec<(String, String)>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub version: Option<i32>,
    pub complete_only: bool,
}

impl StoryFilter {
    /// Narrows to one storyteller role (nothing when `role` is empty).
    pub fn add_role(&mut self, role: &str) {
        let role = role.trim();
        if !role.is_empty() {
            self.answers.push(("rol".into(), role.to_string()));
        }
    }

    /// Parses `key=option` arguments.
    pub fn with_answers(mut self, pairs: &[String]) -> Result<Self, AnalysisError> {
        for pair in pairs {
            match pair.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => self
                    .answers
                    .push((k.trim().to_string(), v.trim().to_string())),
                _ => return Err(AnalysisError::BadFilter(pair.clone())),
            }
        }
        Ok(self)
    }

    pub fn matches(&self, story: &Story) -> bool {
        let r = &story.record;
        if self.complete_only && !r.is_complete {
            return false;
        }
        if self.from.is_some_and(|f| r.created_at < f)
            || self.until.is_some_and(|u| r.created_at >= u)
            || self.version.is_some_and(|v| r.questionnaire_version != v)
        {
            return false;
        }
        let keys: BTreeSet<&str> = self.answers.iter().map(|(k, _)| k.as_str()).collect();
        keys.into_iter().all(|key| {
            self.answers
                .iter()
                .filter(|(k, _)| k == key)
                .any(|(_, option)| answer_is(story, key, option))
        })
    }
}

fn answer_is(story: &Story, key: &str, option: &str) -> bool {
    if key == "rol" {
        return story.record.role == option;
    }
    match story.answers.get(key) {
        Some(Answer::Choice(c)) => c == option,
        Some(Answer::Multichoice(cs)) => cs.iter().any(|c| c == option),
        _ => false,
    }
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

/// Options seen in the data for a derived property, in sorted order.
fn derived_choice(key: &str, label: &str, values: Vec<String>) -> Variable {
    let distinct: Vec<String> = values
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index = |v: &String| distinct.iter().position(|d| d == v).map(|i| i as u16);
    Variable::Choice {
        key: key.into(),
        label: label.into(),
        options: distinct
            .iter()
            .map(|d| OptionLabel {
                key: d.clone(),
                label: d.clone(),
            })
            .collect(),
        values: values.iter().map(index).collect(),
    }
}

/// Key, label and how to read a derived property off a story.
type DerivedQuestion = (&'static str, &'static str, fn(&Story) -> String);

/// The dataset of these stories under the project's current questionnaire, plus derived
/// questions: story length in words, month of telling, channel, language and version.
pub fn dataset(project: &Project, stories: &[Story]) -> Dataset {
    let q = &project.questionnaire;
    let mut variables = Vec::new();
    variables.push(Variable::Choice {
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
        values: stories
            .iter()
            .map(|s| {
                q.roles
                    .iter()
                    .position(|r| r.key == s.record.role)
                    .map(|i| i as u16)
            })
            .collect(),
    });
    for question in &q.questions {
        match question.kind {
            QuestionType::Slider => variables.push(Variable::Slider {
                key: question.key.clone(),
                label: question.label.clone(),
                left: question.left.clone().unwrap_or_default(),
                right: question.right.clone().unwrap_or_default(),
                values: stories
                    .iter()
                    .map(|s| match s.answers.get(&question.key) {
                        Some(Answer::Slider(v)) => Some(v.get()),
                        _ => None,
                    })
                    .collect(),
            }),
            QuestionType::Choice => variables.push(Variable::Choice {
                key: question.key.clone(),
                label: question.label.clone(),
                options: question
                    .options
                    .iter()
                    .map(|o| OptionLabel {
                        key: o.key.clone(),
                        label: o.label.clone(),
                    })
                    .collect(),
                values: stories
                    .iter()
                    .map(|s| match s.answers.get(&question.key) {
                        Some(Answer::Choice(c)) => question
                            .options
                            .iter()
                            .position(|o| &o.key == c)
                            .map(|i| i as u16),
                        _ => None,
                    })
                    .collect(),
            }),
            QuestionType::Multichoice => {
                for option in &question.options {
                    variables.push(Variable::Choice {
                        key: format!("{}__{}", question.key, option.key),
                        label: format!("{}: {}", question.label, option.label),
                        options: yes_no(&option.label),
                        // Not answered at all is "no answer", not "no".
                        values: stories
                            .iter()
                            .map(|s| match s.answers.get(&question.key) {
                                Some(Answer::Multichoice(cs)) => {
                                    Some(u16::from(cs.iter().any(|c| c == &option.key)))
                                }
                                _ => None,
                            })
                            .collect(),
                    });
                }
            }
            QuestionType::Text => {}
        }
    }
    variables.push(Variable::Numeric {
        key: "lengte".into(),
        label: "Lengte van het verhaal (woorden)".into(),
        values: stories
            .iter()
            .map(|s| Some(word_count(&s.record.body) as f64))
            .collect(),
    });
    let derived: [DerivedQuestion; 4] = [
        ("maand", "Maand van vertellen", |s| {
            format_utc(s.record.created_at)[..7].to_string()
        }),
        ("kanaal", "Kanaal", |s| s.record.channel.clone()),
        ("taal", "Taal", |s| s.record.language.clone()),
        ("versie", "Versie van de vragenlijst", |s| {
            format!("versie {}", s.record.questionnaire_version)
        }),
    ];
    for (key, label, value) in derived {
        let values: Vec<String> = stories.iter().map(value).collect();
        // A property with one value everywhere cannot show a pattern; leave it out.
        if values.iter().collect::<BTreeSet<_>>().len() > 1 {
            variables.push(derived_choice(key, label, values));
        }
    }
    Dataset {
        stories: stories.len(),
        variables,
    }
}

/// Loads a project's analysable stories that match `filter`.
pub fn load(
    db: &Database,
    slug: &str,
    filter: &StoryFilter,
) -> Result<(Project, Vec<Story>), AnalysisError> {
    let mut conn = db.conn()?;
    let project =
        projects::find(&mut conn, slug)?.ok_or_else(|| AnalysisError::NoProject(slug.into()))?;
    let stories = stories::list_shareable(&mut conn, slug)?
        .into_iter()
        .filter(|s| filter.matches(s))
        .collect();
    Ok((project, stories))
}

/// Loads, builds the dataset and scans.
pub fn scan_project(
    db: &Database,
    slug: &str,
    filter: &StoryFilter,
    settings: ScanSettings,
) -> Result<Scan, AnalysisError> {
    let (project, stories) = load(db, slug, filter)?;
    Ok(analysis::scan(&dataset(&project, &stories), settings))
}
