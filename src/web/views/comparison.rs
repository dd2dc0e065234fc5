//! What the two comparison pages (`/vergelijk`, a part of the stories beside the rest, and
//! `/vergelijk/projecten`, projects side by side) show of a compared question under
//! small-cell protection (docs/privacy.md), and the plan of an observation card made from
//! either — also when a card's figures are taken again ("Cijfers vernieuwen").
//!
//! The protection, the same on both pages: a count from 1 to k − 1 reads "< k" and gets no
//! bar; a side with fewer than k answers to a question shows no chart, mean or median; a
//! share is shown only with its count; with all stories as the reference, a figure of the
//! whole is not shown when the rest (the whole minus the part) would be such a small count by
//! subtraction ("–"). The sentences are protected where they are made
//! (`analysis::compare::protect_sentences`).

use crate::analysis::describe::dutch;
use crate::analysis::numbers::{self, counted};
use crate::analysis::CompareSettings;
use crate::analysis::{ChoiceComparison, Descriptives, NumberComparison};
use crate::domain::smallcell;
use crate::service::accounts::SignedIn;
use crate::service::analysis::side_by_side;
use crate::service::analysis::StoryFilter;
use crate::service::comparison_cards::{self, CardPlan, NoCard, Scope};
use crate::web::errors::WebError;
use crate::web::http::blocking;
use crate::web::views::charts::{self, CountBar};
use crate::web::views::filters;
use crate::web::AppState;
use serde::Serialize;
use std::sync::Arc;

/// One side's answers to one question.
#[derive(Serialize)]
pub struct Column {
    pub name: String,
    /// The distribution (SVG), counts under k drawn without a bar.
    pub chart: Option<String>,
    pub summary: String,
}

/// A count as a table shows it: the count, "< k" for a small one, or "–" when it is not shown
/// because a small count could be found from it by subtraction.
pub fn count_text(count: u64, shown: bool, k: u32) -> String {
    if shown {
        numbers::count(count)
    } else if smallcell::count_is_safe(count as usize, k) {
        "–".into()
    } else {
        smallcell::shown_count(count as usize, k)
    }
}

/// A share (0–1) as a whole percentage, or "–" when its count is not shown.
pub fn share_text(share: f64, shown: bool) -> String {
    if shown {
        format!("{}%", numbers::decimal(share * 100.0, 0))
    } else {
        "–".into()
    }
}

/// A mean or median with one decimal, or "–" (none, or not shown).
pub fn figure_text(value: Option<f64>, shown: bool) -> String {
    match value {
        Some(v) if shown => dutch(v, 1),
        _ => "–".into(),
    }
}

/// "62 antwoorden · gemiddeld 61,2 · mediaan 60", or only "< 5 antwoorden" under k.
pub fn number_summary(d: &Descriptives, k: u32) -> String {
    if !smallcell::count_is_safe(d.n, k) {
        return format!(
            "{} antwoorden: te weinig om meer te tonen",
            smallcell::shown_count(d.n, k)
        );
    }
    format!(
        "{} · gemiddeld {} · mediaan {}",
        counted(d.n as u64, "antwoord", "antwoorden"),
        figure_text(d.mean, true),
        figure_text(d.median, true)
    )
}

/// One side of a slider or number: its histogram and summary.
pub fn number_column(n: &NumberComparison, d: &Descriptives, name: &str, k: u32) -> Column {
    let chart = match (&n.left, &n.right) {
        (Some(left), Some(right)) if smallcell::count_is_safe(d.n, k) => {
            Some(charts::slider_histogram(
                &format!("'{}' in {name}", n.label),
                &d.histogram.counts,
                None,
                left,
                right,
                k,
            ))
        }
        _ => None,
    };
    Column {
        name: name.to_string(),
        chart,
        summary: number_summary(d, k),
    }
}

/// One side of a choice question: a bar per option and the number of answers. `subset`: the
/// comparison's part (the other project beside a reference), otherwise its reference.
pub fn choice_column(c: &ChoiceComparison, subset: bool, name: &str, k: u32) -> Column {
    let total = if subset { c.subset_n } else { c.reference_n };
    let bars: Vec<CountBar> = c
        .options
        .iter()
        .map(|o| CountBar {
            label: &o.label,
            count: if subset { o.subset } else { o.reference },
            of: Some(total),
            apart: false,
        })
        .collect();
    let safe = smallcell::count_is_safe(total as usize, k);
    Column {
        name: name.to_string(),
        chart: safe.then(|| charts::count_bars(&format!("'{}' in {name}", c.label), &bars, k)),
        summary: if safe {
            counted(total, "antwoord", "antwoorden")
        } else {
            format!(
                "{} antwoorden: te weinig om meer te tonen",
                smallcell::shown_count(total as usize, k)
            )
        },
    }
}

/// The part of a subset comparison as typed: `d=vraag:antwoord` pairs, without repeats.
pub fn parse_part(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut part: Vec<(String, String)> = Vec::new();
    for (name, value) in pairs {
        if name != "d" {
            continue;
        }
        if let Some((k, o)) = value.trim().split_once(':') {
            let answer = (k.trim().to_string(), o.trim().to_string());
            if !answer.0.is_empty() && !answer.1.is_empty() && !part.contains(&answer) {
                part.push(answer);
            }
        }
    }
    part.truncate(20);
    part
}

/// The plan of a card of question `question` of the subset comparison: the stories the
/// filters `filter_query` (a URL query) select, the part `part` among them. The comparison is
/// made here, on the stories as they are now.
pub async fn subset_card_plan(
    state: &AppState,
    slug: &str,
    filter_query: &str,
    part: &[(String, String)],
    question: &str,
) -> Result<Result<CardPlan, NoCard>, WebError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(filter_query).map_err(|_| WebError::BadRequest("filter"))?;
    let f = Arc::new(filters::filtered(state, slug, &pairs).await?);
    let mut part_filter = StoryFilter {
        answers: part.to_vec(),
        ..Default::default()
    };
    part_filter.drop_unknown(&f.data);
    let part = part_filter.answers;
    let mut filter_text: Vec<String> = f
        .form
        .chips(&f.data, "")
        .into_iter()
        .map(|c| c.text)
        .collect();
    let part_text: Vec<String> = part
        .iter()
        .map(|(k, o)| filters::answer_text(&f.data, k, o))
        .collect();
    filter_text.push(format!("de groep {} naast de rest", part_text.join(" of ")));
    let scope = Scope {
        filter_query: f.form.query(),
        filter_text,
    };
    let question = question.to_string();
    blocking(move || {
        comparison_cards::from_subset(
            &f.data,
            &f.filter,
            &part,
            CompareSettings::default(),
            &question,
            scope,
            crate::web::views::pattern::chart,
        )
        .map_err(WebError::from)
    })
    .await
}

/// The plan of a card of question `question` for project `other` beside `slug`, from the
/// comparison of `slug` with `others` (read with the rights of `by`, each checked first).
pub async fn projects_card_plan(
    state: &AppState,
    by: &SignedIn,
    slug: &str,
    others: &[String],
    other: &str,
    question: &str,
) -> Result<Result<CardPlan, NoCard>, WebError> {
    let (cache, db, me, key) = (
        state.analysis.clone(),
        state.db.clone(),
        by.clone(),
        slug.to_string(),
    );
    let (others, other, question) = (others.to_vec(), other.to_string(), question.to_string());
    blocking(move || {
        let (reference, loaded) = side_by_side::load_for(&cache, &db, &me, &key, &others)?;
        comparison_cards::from_projects(
            &reference,
            &loaded,
            &other,
            &question,
            CompareSettings::default(),
            crate::web::views::pattern::chart,
        )
        .map_err(WebError::from)
    })
    .await
}
