//! The dashboard of a project: how many stories, from whom, when, and how every question was
//! answered — with the same filters as the pattern page, kept in the URL.
//!
//! Every question is one card: its chart, a line about the stories without an answer, and a
//! table with the numbers (the chart's text alternative). A multichoice question is one chart
//! of its options. Stories whose teller was never asked a question (another role, or an older
//! questionnaire) are counted as "niet gevraagd", apart from "geen antwoord", and not drawn.

use super::CurrentUser;
use crate::analysis::dataset::{Replies, Reply};
use crate::analysis::{descriptives, numbers, Codes, Dataset, Variable};
use crate::domain::accounts::ProjectAction;
use crate::domain::questionnaire::{Question, QuestionType, Questionnaire};
use crate::domain::smallcell;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page};
use crate::web::views::charts::{self, CountBar};
use crate::web::views::filters::{self, Filtered};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use std::borrow::Cow;

/// One card of the dashboard.
#[derive(serde::Serialize)]
struct Card {
    /// For the card's anchor (`#vraag-…`).
    key: String,
    label: String,
    /// "Schuifvraag", "Keuzevraag", "Meer antwoorden mogelijk"; empty for the overview.
    kind: &'static str,
    /// "Alleen gevraagd aan: …" for a question of some roles only.
    asked_of: Option<String>,
    /// The SVG; `None` when nobody in these stories was asked the question.
    chart: Option<String>,
    /// One line of figures under the chart (sliders: answers, mean, median).
    summary: Option<String>,
    /// Lines about the stories without an answer ("Geen antwoord: …", "Niet gevraagd …").
    notes: Vec<String>,
    /// The heading of the table's first column.
    row_heading: &'static str,
    /// What the share in the table is a part of.
    share_heading: &'static str,
    rows: Vec<Row>,
    /// More figures under the table (a slider's spread and shape).
    more: Option<String>,
}

/// One row of a card's table.
#[derive(serde::Serialize)]
struct Row {
    label: String,
    /// The count as it may be shown ("< 5" for a small one).
    count: String,
    share: String,
    /// The row's stories, when there are any.
    link: Option<String>,
    /// Not an answer ("geen antwoord", "niet gevraagd").
    apart: bool,
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
    f: &'a Filtered,
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
        let chart = (answered + m.not_applicable > 0).then(|| {
            charts::slider_histogram(
                &format!("Verdeling van ‘{}’", question.label),
                &d.histogram.counts,
                na,
                &left,
                &right,
                k,
            )
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
                        self.f
                            .stories_link(&self.f.form.and_range(&question.key, low, high))
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
        let bars: Vec<CountBar<'_>> = pairs
            .iter()
            .map(|(_, label, c)| CountBar {
                label,
                count: *c,
                of: Some(answered),
                apart: false,
            })
            .collect();
        let chart = charts::count_bars(&format!("Antwoorden op ‘{}’", question.label), &bars, k);
        let mut rows: Vec<Row> = pairs
            .iter()
            .map(|(option, label, c)| Row {
                label: label.clone(),
                count: shown(*c, k),
                share: share(*c, answered, k),
                link: (*c > 0).then(|| {
                    self.f
                        .stories_link(&self.f.form.and_answer(&question.key, option))
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
fn overview_card(variable: &Variable, f: &Filtered, total: u64, k: u32) -> Option<Card> {
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
    let bars: Vec<CountBar<'_>> = options
        .iter()
        .zip(&counts)
        .map(|(o, &c)| CountBar {
            label: &o.label,
            count: c,
            of: Some(total),
            apart: false,
        })
        .collect();
    let rows = options
        .iter()
        .zip(&counts)
        .map(|(o, &c)| Row {
            label: o.label.clone(),
            count: shown(c, k),
            share: share(c, total, k),
            link: (c > 0).then(|| f.stories_link(&f.form.and_answer(key, &o.key))),
            apart: false,
        })
        .collect();
    Some(Card {
        key: format!("overzicht-{key}"),
        label: label.clone(),
        kind: "",
        asked_of: None,
        chart: Some(charts::count_bars(label, &bars, k)),
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

/// GET /beheer/p/{project}/cijfers
pub async fn dashboard(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let f = filters::filtered(&state, &slug, &query).await?;
    let f = std::sync::Arc::new(f);
    let shared = f.clone();
    let k = f.data.project.settings.privacy.k();
    // The selection, or what it leaves out of the project, below k: no figures at all.
    let too_small = f.too_small().is_some();
    let (total, complete, overview, questions) = blocking(move || {
        let f = &*shared;
        // Without a filter every story is kept: read the cached data as it is, so that ten
        // begeleiders opening a million-story dashboard at once do not make ten copies of it.
        let everything = f.selection.keep.iter().all(|k| *k);
        let dataset = if everything {
            Cow::Borrowed(&f.data.dataset)
        } else {
            Cow::Owned(f.data.dataset.select(&f.selection.keep))
        };
        if too_small {
            // Too few stories to show anything about them without risk.
            return Ok::<_, WebError>((dataset.stories, 0, Vec::new(), Vec::new()));
        }
        let total = dataset.stories as u64;
        let complete = f
            .data
            .stories
            .iter()
            .zip(&f.selection.keep)
            .filter(|(s, k)| **k && s.complete)
            .count();
        let mut overview: Vec<Card> = ["rol", "maand", "kanaal", "taal", "versie"]
            .iter()
            .filter_map(|key| dataset.variable(key))
            .filter_map(|v| overview_card(v, f, total, k))
            .collect();
        let label = "Volledig ingevuld";
        let complete_bars = [
            CountBar {
                label: "volledig",
                count: complete as u64,
                of: Some(total),
                apart: false,
            },
            CountBar {
                label: "niet volledig",
                count: total - complete as u64,
                of: Some(total),
                apart: false,
            },
        ];
        overview.push(Card {
            key: "overzicht-volledig".into(),
            label: label.into(),
            kind: "",
            asked_of: None,
            chart: Some(charts::count_bars(label, &complete_bars, k)),
            summary: None,
            notes: Vec::new(),
            row_heading: "",
            share_heading: "Deel van de verhalen",
            rows: complete_bars
                .iter()
                .map(|b| Row {
                    label: b.label.into(),
                    count: shown(b.count, k),
                    share: share(b.count, total, k),
                    link: None,
                    apart: false,
                })
                .collect(),
            more: None,
        });
        let replies = if everything {
            Cow::Borrowed(&f.data.replies)
        } else {
            Cow::Owned(f.data.replies.select(&f.selection.keep))
        };
        let no_roles = Codes::new();
        let roles: &Codes = match dataset.variable("rol") {
            Some(Variable::Choice { values, .. }) => values,
            _ => &no_roles,
        };
        let context = Context {
            f,
            dataset: &dataset,
            questionnaire: &f.data.project.questionnaire,
            replies: &replies,
            roles,
            stories: dataset.stories,
            k,
        };
        let questions: Vec<Card> = f
            .data
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
        Ok::<_, WebError>((dataset.stories, complete, overview, questions))
    })
    .await?;
    let action = format!("/beheer/p/{slug}/cijfers");
    page(
        &state,
        &req,
        Some(&user.me),
        http::status_for(&f.problems),
        "admin/dashboard.html",
        |ctx| {
            f.context(ctx, &action);
            ctx.insert("slug", &slug);
            ctx.insert("name", &f.data.project.name);
            ctx.insert("protected", &too_small);
            ctx.insert("k", &k);
            ctx.insert("total", &shown(total as u64, k));
            ctx.insert("total_is_one", &(total == 1));
            ctx.insert("complete", &shown(complete as u64, k));
            ctx.insert("overview", &overview);
            ctx.insert("questions", &questions);
            ctx.insert("stories_link", &f.stories_link(&f.form));
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, count: u64) -> CountBar<'_> {
        CountBar {
            label,
            count,
            of: Some(200),
            apart: false,
        }
    }

    /// The visible texts of the chart's labels.
    fn labels(svg: &str) -> Vec<&str> {
        svg.split("class=\"chart-label")
            .skip(1)
            .map(|t| {
                let from = t.find('>').map_or(0, |i| i + 1);
                &t[from..t.find("</text>").unwrap_or(t.len())]
            })
            .collect()
    }

    #[test]
    fn a_label_too_long_for_two_lines_ends_in_an_ellipsis_between_words() {
        let long = "Een heel lang antwoord dat nergens past, ook niet op twee regels, omdat iemand er een hele zin van maakte";
        let svg = charts::count_bars("Titel", &[bar(long, 120), bar("Kort", 80)], 5);
        // The full text is the row's tooltip, with its figures.
        assert!(
            svg.contains(&format!("<title>{long}: 120 · 60%</title>")),
            "{svg}"
        );
        let shown = labels(&svg);
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[1].ends_with('…'), "{shown:?}");
        // Every line is whole words of the label: nothing is cut inside a word.
        let words: Vec<&str> = long.split(' ').collect();
        for line in &shown[..2] {
            for word in line.trim_end_matches('…').split(' ') {
                assert!(words.contains(&word), "{word:?} of {line:?}");
            }
        }
        assert_eq!(shown[2], "Kort");
    }

    #[test]
    fn short_labels_stand_beside_their_bars_and_small_counts_have_no_bar() {
        let svg = charts::count_bars("Titel", &[bar("ja", 120), bar("nee", 3)], 5);
        // Beside: anchored at the end of the label column.
        assert!(
            svg.contains("text-anchor=\"end\" class=\"chart-label\">ja<"),
            "{svg}"
        );
        assert!(svg.contains("<title>nee: &lt; 5</title>"));
        assert_eq!(svg.matches("<rect ").count(), 1, "{svg}");
        assert!(svg.contains(">120 · 60%<"));
        assert!(!svg.contains(">3<") && !svg.contains("1,5%"));
    }

    #[test]
    fn not_answered_bars_stand_apart_without_colour() {
        let apart = CountBar {
            label: "geen antwoord",
            count: 40,
            of: None,
            apart: true,
        };
        let svg = charts::count_bars("Titel", &[bar("ja", 120), apart], 5);
        assert!(svg.contains("class=\"chart-bar chart-dash-apart\""));
        assert!(svg.contains("class=\"chart-label chart-dash-apart\">geen antwoord<"));
        assert!(svg.contains(">40<"));
    }

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
