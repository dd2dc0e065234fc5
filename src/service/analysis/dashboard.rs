//! The dashboard of a project: how many stories, from whom, when, and how every question was
//! answered, for the stories a filter selects.
//!
//! Every question is one card: its chart, a line about the stories without an answer, and a
//! table with the numbers (the chart's text alternative). A multichoice question is one chart
//! of its options. Stories whose teller was never asked a question (another role, or an older
//! questionnaire) are counted as "niet gevraagd", apart from "geen antwoord", and not drawn.
//!
//! Charts are returned as data ([`Chart`]) and links to the stories of a row are made by the
//! caller ([`Narrowing`]): both are the web layer's business.

use super::{AnalysisError, ProjectData, Selection};
use crate::analysis::dataset::{Replies, Reply};
use crate::analysis::{descriptives, numbers, Codes, Dataset, Variable};
use crate::domain::accounts::ProjectAction;
use crate::domain::questionnaire::{Question, QuestionType, Questionnaire};
use crate::domain::{privacy, smallcell};
use crate::service::accounts::SignedIn;
use std::borrow::Cow;

/// The figures of the dashboard, as the page shows them.
#[derive(Debug, serde::Serialize)]
pub struct Dashboard {
    /// The selection, or what it leaves out of the project, holds fewer than k stories: no
    /// figures at all (the cards are empty).
    pub protected: bool,
    pub k: u32,
    /// The selected stories as they may be shown ("< 5" for a few).
    pub total: String,
    pub total_is_one: bool,
    /// The selected stories that were completed, as they may be shown.
    pub complete: String,
    /// Who, when and how: role, month, channel, language, version, completeness.
    pub overview: Vec<Card>,
    /// One card per question, in the questionnaire's order.
    pub questions: Vec<Card>,
}

/// A chart as data.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Horizontal bars of counts (label, count), each with its share of `of`.
    Counts {
        title: String,
        bars: Vec<(String, u64)>,
        of: u64,
    },
    /// A slider's answers per bin of the 0–100 scale, "weet ik niet" apart when it is shown,
    /// and the slider's two ends.
    Histogram {
        title: String,
        bins: Vec<u64>,
        not_applicable: Option<u64>,
        left: String,
        right: String,
    },
}

/// One more condition on the selected stories: the stories behind a row of a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Narrowing<'a> {
    /// A choice (or one option of a multichoice question).
    Answer { question: &'a str, option: &'a str },
    /// A slider between `low` and `high`, both included.
    Range {
        question: &'a str,
        low: u32,
        high: u32,
    },
}

/// One card of the dashboard.
#[derive(Debug, serde::Serialize)]
pub struct Card {
    /// For the card's anchor (`#vraag-…`).
    pub key: String,
    pub label: String,
    /// "Schuifvraag", "Keuzevraag", "Meer antwoorden mogelijk"; empty for the overview.
    pub kind: &'static str,
    /// "Alleen gevraagd aan: …" for a question of some roles only.
    pub asked_of: Option<String>,
    /// `None` when nobody in these stories was asked the question. Not serialised: the web
    /// layer draws it, so that this use case knows nothing of SVG.
    #[serde(skip)]
    pub chart: Option<Chart>,
    /// One line of figures under the chart (sliders: answers, mean, median).
    pub summary: Option<String>,
    /// Lines about the stories without an answer ("Geen antwoord: …", "Niet gevraagd …").
    pub notes: Vec<String>,
    /// The heading of the table's first column.
    pub row_heading: &'static str,
    /// What the share in the table is a part of.
    pub share_heading: &'static str,
    pub rows: Vec<Row>,
    /// More figures under the table (a slider's spread and shape).
    pub more: Option<String>,
}

/// One row of a card's table.
#[derive(Debug, serde::Serialize)]
pub struct Row {
    pub label: String,
    /// The count as it may be shown ("< 5" for a small one).
    pub count: String,
    pub share: String,
    /// The row's stories, when there are any.
    pub link: Option<String>,
    /// Not an answer ("geen antwoord", "niet gevraagd").
    pub apart: bool,
}

/// A count as it may be shown: grouped thousands, or "< k".
fn shown(count: u64, k: u32) -> String {
    if smallcell::count_is_safe(count as usize, k) {
        numbers::count(count)
    } else {
        smallcell::shown_count(count as usize, k)
    }
}

/// "1.200 verhalen", "1 verhaal", "< 5 verhalen".
fn stories(count: u64, k: u32) -> String {
    if smallcell::count_is_safe(count as usize, k) {
        numbers::counted(count, "verhaal", "verhalen")
    } else {
        format!("{} verhalen", smallcell::shown_count(count as usize, k))
    }
}

fn share(part: u64, whole: u64, k: u32) -> String {
    if whole == 0 || !smallcell::count_is_safe(part as usize, k) {
        "–".into()
    } else {
        format!(
            "{}%",
            numbers::decimal(100.0 * part as f64 / whole as f64, 0)
        )
    }
}

fn one_decimal(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| numbers::decimal(v, 1))
}

fn two_decimals(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| numbers::decimal(v, 2))
}

/// "a", "a en b", "a, b en c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [first @ .., last] => format!("{} en {last}", first.join(", ")),
    }
}

/// Why the stories of one question have no answer.
#[derive(Default)]
struct Missing {
    /// Asked, left empty or skipped.
    unanswered: u64,
    /// "Weet ik niet" on a slider.
    not_applicable: u64,
    /// Not asked: the question is not for the teller's role, per role (index into the roles).
    other_role: Vec<u64>,
    /// Not asked: the questionnaire the story was told with did not have the question.
    older_version: u64,
}

impl Missing {
    /// Sorts the stories without a value (`has_value` false) by their reply to `question`.
    fn count(
        question: &Question,
        questionnaire: &Questionnaire,
        replies: Option<&[Reply]>,
        roles: &Codes,
        stories: usize,
        has_value: impl Fn(usize) -> bool,
    ) -> Self {
        let mut m = Missing {
            other_role: vec![0; questionnaire.roles.len()],
            ..Missing::default()
        };
        for story in (0..stories).filter(|&s| !has_value(s)) {
            match replies.and_then(|r| r.get(story)) {
                Some(Reply::NotAsked) => {
                    let role = roles
                        .get(story)
                        .map(usize::from)
                        .filter(|&r| r < questionnaire.roles.len());
                    match role {
                        Some(r) if !question.applies_to(&questionnaire.roles[r].key) => {
                            m.other_role[r] += 1
                        }
                        _ => m.older_version += 1,
                    }
                }
                Some(Reply::NotApplicable) => m.not_applicable += 1,
                _ => m.unanswered += 1,
            }
        }
        m
    }

    fn not_asked(&self) -> u64 {
        self.other_role.iter().sum::<u64>() + self.older_version
    }

    /// The lines under the chart (not "weet ik niet": a slider's chart shows that).
    fn notes(&self, questionnaire: &Questionnaire, k: u32) -> Vec<String> {
        let mut notes = Vec::new();
        if self.unanswered > 0 {
            notes.push(format!("Geen antwoord: {}", stories(self.unanswered, k)));
        }
        let roles: Vec<String> = self
            .other_role
            .iter()
            .zip(&questionnaire.roles)
            .filter(|(&n, _)| n > 0)
            .map(|(_, r)| format!("‘{}’", r.label))
            .collect();
        let other: u64 = self.other_role.iter().sum();
        if other > 0 {
            notes.push(format!(
                "Niet gevraagd aan {}: {}",
                and_list(&roles),
                stories(other, k)
            ));
        }
        if self.older_version > 0 {
            notes.push(format!(
                "Niet gevraagd, omdat de vraag nog niet in hun vragenlijst stond: {}",
                stories(self.older_version, k)
            ));
        }
        notes
    }

    /// The rows of the table after the answers.
    fn rows(&self, questionnaire: &Questionnaire, k: u32) -> Vec<Row> {
        let row = |label: String, count: u64| Row {
            label,
            count: shown(count, k),
            share: "–".into(),
            link: None,
            apart: true,
        };
        let mut rows = Vec::new();
        if self.unanswered > 0 {
            rows.push(row("Geen antwoord".into(), self.unanswered));
        }
        for (&n, role) in self.other_role.iter().zip(&questionnaire.roles) {
            if n > 0 {
                rows.push(row(format!("Niet gevraagd aan ‘{}’", role.label), n));
            }
        }
        if self.older_version > 0 {
            rows.push(row(
                "Niet gevraagd (stond nog niet in de vragenlijst)".into(),
                self.older_version,
            ));
        }
        rows
    }
}

/// What every question card needs besides its own column.
struct Context<'a> {
    /// The link to the stories of a row.
    link: &'a dyn Fn(Narrowing<'_>) -> String,
    /// The selected stories' dataset.
    dataset: &'a Dataset,
    questionnaire: &'a Questionnaire,
    replies: &'a Replies,
    roles: &'a Codes,
    stories: usize,
    k: u32,
}

impl Context<'_> {
    fn asked_of(&self, question: &Question) -> Option<String> {
        if question.roles.is_empty() {
            return None;
        }
        let labels: Vec<String> = self
            .questionnaire
            .roles
            .iter()
            .filter(|r| question.applies_to(&r.key))
            .map(|r| format!("‘{}’", r.label))
            .collect();
        Some(format!("Alleen gevraagd aan {}", and_list(&labels)))
    }

    fn missing(&self, question: &Question, has_value: impl Fn(usize) -> bool) -> Missing {
        Missing::count(
            question,
            self.questionnaire,
            self.replies.of(&question.key),
            self.roles,
            self.stories,
            has_value,
        )
    }

    /// A card for a question that none of these stories' tellers was asked.
    fn not_asked_card(&self, question: &Question, kind: &'static str, m: &Missing) -> Card {
        Card {
            key: question.key.clone(),
            label: question.label.clone(),
            kind,
            asked_of: self.asked_of(question),
            chart: None,
            summary: Some(format!(
                "Deze vraag is aan geen van deze vertellers gesteld ({}).",
                stories(m.not_asked(), self.k)
            )),
            notes: Vec::new(),
            row_heading: "Antwoord",
            share_heading: "Deel",
            rows: Vec::new(),
            more: None,
        }
    }

    fn slider(&self, question: &Question, values: &[Option<u8>]) -> Card {
        let k = self.k;
        let m = self.missing(question, |s| values.get(s).copied().flatten().is_some());
        let mut counts = [0u32; 101];
        for v in values.iter().flatten() {
            if let Some(c) = counts.get_mut(usize::from(*v)) {
                *c += 1;
            }
        }
        let answered: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        if answered + m.not_applicable + m.unanswered == 0 {
            return self.not_asked_card(question, "Schuifvraag", &m);
        }
        let d = descriptives::of_counts(&counts, m.not_applicable as usize, 10);
        let left = question.left.clone().unwrap_or_default();
        let right = question.right.clone().unwrap_or_default();
        let na = (question.allow_na || m.not_applicable > 0).then_some(m.not_applicable);
        let chart = (answered + m.not_applicable > 0).then(|| Chart::Histogram {
            title: format!("Verdeling van ‘{}’", question.label),
            bins: d.histogram.counts.clone(),
            not_applicable: na,
            left: left.clone(),
            right: right.clone(),
        });
        let bins = d.histogram.counts.len().max(1);
        let mut rows: Vec<Row> = d
            .histogram
            .counts
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let low = (100 * i / bins) as u32;
                let high = if i + 1 == bins {
                    100
                } else {
                    (100 * (i + 1) / bins) as u32 - 1
                };
                let mut label = format!("{low}–{high}");
                if i == 0 && !left.is_empty() {
                    label.push_str(&format!(" (kant van ‘{left}’)"));
                } else if i + 1 == bins && !right.is_empty() {
                    label.push_str(&format!(" (kant van ‘{right}’)"));
                }
                Row {
                    label,
                    count: shown(c, k),
                    share: share(c, answered, k),
                    link: (c > 0).then(|| {
                        (self.link)(Narrowing::Range {
                            question: &question.key,
                            low,
                            high,
                        })
                    }),
                    apart: false,
                }
            })
            .collect();
        if let Some(na) = na {
            rows.push(Row {
                label: "Weet ik niet".into(),
                count: shown(na, k),
                share: "–".into(),
                link: None,
                apart: true,
            });
        }
        rows.extend(m.rows(self.questionnaire, k));
        let safe = smallcell::count_is_safe(answered as usize, k);
        let summary = if answered + m.not_applicable == 0 {
            "Nog geen antwoorden.".to_string()
        } else if answered == 0 {
            "Nog geen antwoorden op de schaal.".to_string()
        } else if safe {
            format!(
                "{} · gemiddeld {} · mediaan {}",
                numbers::counted(answered, "antwoord", "antwoorden"),
                one_decimal(d.mean),
                one_decimal(d.median)
            )
        } else {
            format!(
                "{} antwoorden: te weinig om een gemiddelde te tonen.",
                shown(answered, k)
            )
        };
        Card {
            key: question.key.clone(),
            label: question.label.clone(),
            kind: "Schuifvraag",
            asked_of: self.asked_of(question),
            chart,
            summary: Some(summary),
            notes: m.notes(self.questionnaire, k),
            row_heading: "Stand op de schaal (0–100)",
            share_heading: "Deel van de antwoorden",
            rows,
            more: (safe && answered > 1).then(|| {
                format!(
                    "Standaardafwijking {} · scheefheid {} · welving {}",
                    one_decimal(d.sd),
                    two_decimals(d.skewness),
                    two_decimals(d.kurtosis)
                )
            }),
        }
    }

    fn choice(&self, question: &Question, values: &Codes) -> Card {
        let options = &question.options;
        let mut counts = vec![0u64; options.len()];
        for i in values.iter().flatten().map(usize::from) {
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
        }
        let has_value = |s: usize| {
            values
                .get(s)
                .is_some_and(|v| usize::from(v) < options.len())
        };
        let m = self.missing(question, has_value);
        let answered: u64 = counts.iter().sum();
        if answered + m.unanswered == 0 {
            return self.not_asked_card(question, "Keuzevraag", &m);
        }
        let pairs: Vec<(String, String, u64)> = options
            .iter()
            .zip(&counts)
            .map(|(o, &c)| (o.key.clone(), o.label.clone(), c))
            .collect();
        self.options_card(question, "Keuzevraag", &pairs, answered, &m)
    }

    /// A multichoice question from its yes/no columns (`{key}__{option}`): one bar per option,
    /// the share of the stories that answered the question.
    fn multichoice(&self, question: &Question) -> Option<Card> {
        let columns: Vec<&Codes> = question
            .options
            .iter()
            .map(|o| {
                match self
                    .dataset
                    .variable(&format!("{}__{}", question.key, o.key))
                {
                    Some(Variable::Choice { values, .. }) => Some(values),
                    _ => None,
                }
            })
            .collect::<Option<_>>()?;
        // Answered: at least one option chosen.
        let has_value = |s: usize| columns.iter().any(|c| c.get(s) == Some(1));
        let m = self.missing(question, has_value);
        let answered = (0..self.stories).filter(|&s| has_value(s)).count() as u64;
        if answered + m.unanswered == 0 {
            return Some(self.not_asked_card(question, MULTI, &m));
        }
        let pairs: Vec<(String, String, u64)> = question
            .options
            .iter()
            .zip(&columns)
            .map(|(o, c)| {
                let chosen = c.iter().filter(|v| *v == Some(1)).count() as u64;
                (o.key.clone(), o.label.clone(), chosen)
            })
            .collect();
        Some(self.options_card(question, MULTI, &pairs, answered, &m))
    }

    /// The card of a choice or multichoice question: bars of the options (`pairs`: key,
    /// label, count), shares of the `answered` stories, and the stories without an answer.
    fn options_card(
        &self,
        question: &Question,
        kind: &'static str,
        pairs: &[(String, String, u64)],
        answered: u64,
        m: &Missing,
    ) -> Card {
        let k = self.k;
        let chart = Chart::Counts {
            title: format!("Antwoorden op ‘{}’", question.label),
            bars: pairs.iter().map(|(_, l, c)| (l.clone(), *c)).collect(),
            of: answered,
        };
        let mut rows: Vec<Row> = pairs
            .iter()
            .map(|(option, label, c)| Row {
                label: label.clone(),
                count: shown(*c, k),
                share: share(*c, answered, k),
                link: (*c > 0).then(|| {
                    (self.link)(Narrowing::Answer {
                        question: &question.key,
                        option,
                    })
                }),
                apart: false,
            })
            .collect();
        rows.extend(m.rows(self.questionnaire, k));
        let mut notes = vec![if answered == 0 {
            "Nog geen antwoorden.".to_string()
        } else if kind == MULTI {
            format!(
                "{} met een antwoord. Iemand kan meer antwoorden kiezen: samen is het meer dan 100%.",
                stories(answered, k)
            )
        } else {
            format!("{} met een antwoord", stories(answered, k))
        }];
        notes.extend(m.notes(self.questionnaire, k));
        Card {
            key: question.key.clone(),
            label: question.label.clone(),
            kind,
            asked_of: self.asked_of(question),
            chart: (answered > 0).then_some(chart),
            summary: None,
            notes,
            row_heading: "Antwoord",
            share_heading: if kind == MULTI {
                "Deel van wie antwoordde"
            } else {
                "Deel van de antwoorden"
            },
            rows,
            more: None,
        }
    }
}

const MULTI: &str = "Meer antwoorden mogelijk";

/// A card for a property of the stories (role, month, channel …): every story has one.
fn overview_card(
    variable: &Variable,
    link: &dyn Fn(Narrowing<'_>) -> String,
    total: u64,
    k: u32,
) -> Option<Card> {
    let Variable::Choice {
        key,
        label,
        options,
        values,
    } = variable
    else {
        return None;
    };
    let mut counts = vec![0u64; options.len()];
    let mut none = 0u64;
    for v in values {
        match v.map(usize::from).and_then(|i| counts.get_mut(i)) {
            Some(c) => *c += 1,
            None => none += 1,
        }
    }
    let rows = options
        .iter()
        .zip(&counts)
        .map(|(o, &c)| Row {
            label: o.label.clone(),
            count: shown(c, k),
            share: share(c, total, k),
            link: (c > 0).then(|| {
                link(Narrowing::Answer {
                    question: key,
                    option: &o.key,
                })
            }),
            apart: false,
        })
        .collect();
    Some(Card {
        key: format!("overzicht-{key}"),
        label: label.clone(),
        kind: "",
        asked_of: None,
        chart: Some(Chart::Counts {
            title: label.clone(),
            bars: options
                .iter()
                .zip(&counts)
                .map(|(o, &c)| (o.label.clone(), c))
                .collect(),
            of: total,
        }),
        summary: None,
        notes: if none > 0 {
            vec![format!("Onbekend: {}", stories(none, k))]
        } else {
            Vec::new()
        },
        row_heading: "",
        share_heading: "Deel van de verhalen",
        rows,
        more: None,
    })
}

/// The dashboard of the `selection` of `data`; `link` makes the link to the stories of a row.
pub fn dashboard(
    by: &SignedIn,
    data: &ProjectData,
    selection: &Selection,
    link: impl Fn(Narrowing<'_>) -> String,
) -> Result<Dashboard, AnalysisError> {
    if !by.access.can(&data.project.slug, ProjectAction::Read) {
        return Err(AnalysisError::NotAllowed);
    }
    let k = data.project.settings.privacy.k();
    let protected = privacy::small_selection(selection.count(), selection.universe(), k).is_some();
    // Without a filter every story is kept: read the cached data as it is, so that ten
    // begeleiders opening a million-story dashboard at once do not make ten copies of it.
    let everything = selection.keep.iter().all(|k| *k);
    let dataset = if everything {
        Cow::Borrowed(&data.dataset)
    } else {
        Cow::Owned(data.dataset.select(&selection.keep))
    };
    let dashboard = |total: usize, complete: usize, overview, questions| Dashboard {
        protected,
        k,
        total: shown(total as u64, k),
        total_is_one: total == 1,
        complete: shown(complete as u64, k),
        overview,
        questions,
    };
    if protected {
        // Too few stories to show anything about them without risk.
        return Ok(dashboard(dataset.stories, 0, Vec::new(), Vec::new()));
    }
    let total = dataset.stories as u64;
    let complete = data
        .stories
        .iter()
        .zip(&selection.keep)
        .filter(|(s, k)| **k && s.complete)
        .count();
    let mut overview: Vec<Card> = ["rol", "maand", "kanaal", "taal", "versie"]
        .iter()
        .filter_map(|key| dataset.variable(key))
        .filter_map(|v| overview_card(v, &link, total, k))
        .collect();
    let label = "Volledig ingevuld";
    let complete_bars = [
        ("volledig", complete as u64),
        ("niet volledig", total - complete as u64),
    ];
    overview.push(Card {
        key: "overzicht-volledig".into(),
        label: label.into(),
        kind: "",
        asked_of: None,
        chart: Some(Chart::Counts {
            title: label.into(),
            bars: complete_bars
                .iter()
                .map(|&(l, c)| (l.to_string(), c))
                .collect(),
            of: total,
        }),
        summary: None,
        notes: Vec::new(),
        row_heading: "",
        share_heading: "Deel van de verhalen",
        rows: complete_bars
            .iter()
            .map(|&(label, count)| Row {
                label: label.into(),
                count: shown(count, k),
                share: share(count, total, k),
                link: None,
                apart: false,
            })
            .collect(),
        more: None,
    });
    let replies = if everything {
        Cow::Borrowed(&data.replies)
    } else {
        Cow::Owned(data.replies.select(&selection.keep))
    };
    let no_roles = Codes::new();
    let roles: &Codes = match dataset.variable("rol") {
        Some(Variable::Choice { values, .. }) => values,
        _ => &no_roles,
    };
    let context = Context {
        link: &link,
        dataset: &dataset,
        questionnaire: &data.project.questionnaire,
        replies: &replies,
        roles,
        stories: dataset.stories,
        k,
    };
    let questions: Vec<Card> = data
        .project
        .questionnaire
        .questions
        .iter()
        .filter_map(|q| match (q.kind, dataset.variable(&q.key)) {
            (QuestionType::Slider, Some(Variable::Slider { values, .. })) => {
                Some(context.slider(q, values))
            }
            (QuestionType::Choice, Some(Variable::Choice { values, .. })) => {
                Some(context.choice(q, values))
            }
            (QuestionType::Multichoice, _) => context.multichoice(q),
            _ => None,
        })
        .collect();
    Ok(dashboard(dataset.stories, complete, overview, questions))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_figures_and_lists() {
        assert_eq!(stories(1, 5), "< 5 verhalen");
        assert_eq!(stories(1200, 5), "1.200 verhalen");
        assert_eq!(stories(0, 5), "0 verhalen");
        assert_eq!(share(1, 3, 5), "–");
        assert_eq!(share(50, 200, 5), "25%");
        assert_eq!(and_list(&["a".into(), "b".into(), "c".into()]), "a, b en c");
    }
}
