//! An observation card from a comparison: one compared question of the subset comparison
//! (`/vergelijk`) or of projects side by side (`/vergelijk/projecten`), kept as a snapshot
//! like a pattern's (`service::observations::PatternSnapshot`), so that its figures do not
//! change when stories arrive.
//!
//! The question is turned into a pattern over the question and the side a story is on
//! (`analysis::sides::as_pattern`), with the comparison's own test figures and q-value; the
//! card then draws it as any slider × choice or choice × choice card, and `analysis::typical`
//! proposes typical stories from both sides. Stories of the card's own project are added as
//! its stories (a begeleider can remove them as usual); stories of another project are kept
//! in the snapshot (`elsewhere`) and read again, like the others, each time the card is shown.

use super::accounts::SignedIn;
use super::analysis::side_by_side::{self, ProjectsComparison};
use super::analysis::{AnalysisError, ProjectData, StoryFilter};
use super::observations::{self, ObservationError, PatternSnapshot, CARD_BANDS};
use crate::analysis::figures::{self, GroupBands};
use crate::analysis::sides::{self, Figures};
use crate::analysis::{typical, CompareSettings, Comparison, Dataset, Pattern, PatternKind};
use crate::analysis::{Reference, Variable};
use crate::domain::accounts::ProjectAction;
use crate::domain::smallcell;
use crate::domain::Questionnaire;
use crate::service::error::require;
use crate::store::stories::{self, Story};
use crate::store::{Database, StoreResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Questions every card's dataset carries besides the compared one: typical stories need the
/// role (to spread over roles) and the length (at least 40 words).
const EXTRA: [&str; 2] = ["rol", "lengte"];

/// A card ready to be made: its snapshot and typical stories of its own project.
#[derive(Debug, Clone)]
pub struct CardPlan {
    pub title: String,
    pub snapshot: PatternSnapshot,
    /// Typical stories of the card's own project (ids), in the order proposed.
    pub stories: Vec<String>,
}

/// Why no card can be made of this question now (in Dutch, for the begeleider).
pub type NoCard = String;

/// The settings of the comparison a card was made from, kept in its snapshot, so that
/// "Cijfers vernieuwen" makes the same comparison again on the stories as they are then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A part of the stories beside the rest (`/vergelijk`).
    Subset {
        /// The filters as a URL query.
        filter: String,
        /// The part: (question, option) pairs.
        part: Vec<(String, String)>,
        question: String,
    },
    /// Projects side by side (`/vergelijk/projecten`).
    Projects {
        /// Every other project of the comparison (the q-values are of all of them together).
        others: Vec<String>,
        /// The project beside the card's own on this card.
        other: String,
        question: String,
    },
}

/// Whether a snapshot is of a compared question (a pattern over the side a story is on), also
/// one taken before snapshots kept their [`Source`].
pub fn is_comparison(snapshot: &PatternSnapshot) -> bool {
    snapshot.comparison.is_some() || snapshot.pattern.questions.iter().any(|q| q == sides::SIDE)
}

fn figures_of(c: &Comparison, key: &str) -> Option<(Figures, String, String)> {
    c.numbers
        .iter()
        .find(|n| n.key == key)
        .map(|n| (Figures::from(n), n.description.clone(), n.label.clone()))
        .or_else(|| {
            c.choices
                .iter()
                .find(|n| n.key == key)
                .map(|n| (Figures::from(n), n.description.clone(), n.label.clone()))
        })
}

/// What a card keeps of the pattern: bands per side for a slider, the whole table for a
/// choice question, and the slider's two ends.
fn snapshot(
    pattern: Pattern,
    data: &Dataset,
    filter: String,
    filter_text: Vec<String>,
    chart: Option<String>,
) -> PatternSnapshot {
    let labels = data.labels(&pattern.questions);
    let question = pattern.questions.first().and_then(|k| data.variable(k));
    let side = data.variable(sides::SIDE);
    let bands: Vec<GroupBands> = match (pattern.kind, question, side) {
        (PatternKind::SliderByChoice, Some(q), Some(s)) => {
            let found = figures::group_bands(q, s, None, 1, CARD_BANDS);
            pattern
                .groups
                .iter()
                .filter_map(|g| found.iter().find(|b| b.option == g.option).cloned())
                .collect()
        }
        _ => Vec::new(),
    };
    let table = match (pattern.kind, pattern.questions.as_slice()) {
        (PatternKind::ChoiceByChoice, [a, b]) => match (data.variable(a), data.variable(b)) {
            (Some(a), Some(b)) => figures::crosstab(a, b).map(|t| (&t).into()),
            _ => None,
        },
        _ => None,
    };
    let poles: BTreeMap<String, (String, String)> = match question {
        Some(Variable::Slider {
            key, left, right, ..
        }) => [(key.clone(), (left.clone(), right.clone()))].into(),
        _ => BTreeMap::new(),
    };
    PatternSnapshot {
        filter,
        filter_text,
        stories: data.stories,
        labels,
        chart,
        density: None,
        bands,
        table,
        poles,
        pattern,
        elsewhere: Vec::new(),
        comparison: None,
    }
}

/// "Question: sides", or only the question when that is longer than a card's heading of its
/// stories shows (the card names the sides elsewhere too).
fn short_title(label: &str, sides: &str) -> String {
    let full = format!("{label}: {sides}");
    if full.chars().count() <= 80 {
        full
    } else {
        label.to_string()
    }
}

/// Typical stories of the pattern among the card's dataset: their indexes in it.
fn typical_of(data: &Dataset, pattern: &Pattern, complete: &[bool], quotes: &[bool]) -> Vec<usize> {
    let facts = typical::StoryFacts {
        complete,
        quotes_allowed: quotes,
    };
    typical::propose(data, pattern, &facts, typical::TypicalSettings::default())
        .into_iter()
        .map(|p| p.story)
        .collect()
}

/// What the card says about where its figures come from.
pub struct Scope {
    /// The filters as a URL query (kept with the card).
    pub filter_query: String,
    /// The filters and the part in words.
    pub filter_text: Vec<String>,
}

/// A card of question `key` of the subset comparison of `data` (the stories `base` selects,
/// the part `subset` among them). `Ok(Err(why))` when the question has no figures now, or a
/// side is smaller than k.
pub fn from_subset(
    data: &ProjectData,
    base: &StoryFilter,
    subset: &[(String, String)],
    settings: CompareSettings,
    key: &str,
    scope: Scope,
    draw: impl Fn(&Pattern, &Dataset) -> Option<String>,
) -> Result<Result<CardPlan, NoCard>, AnalysisError> {
    let selection = data.select(base)?;
    let mut narrowed = base.clone();
    narrowed.answers.extend(subset.iter().cloned());
    let part = data.select(&narrowed)?;
    let in_part: Vec<bool> = selection
        .keep
        .iter()
        .zip(&part.keep)
        .filter(|(k, _)| **k)
        .map(|(_, p)| *p)
        .collect();
    let k = data.project.settings.privacy.k();
    let (size, rest) = (part.count(), selection.count() - part.count());
    if subset.is_empty() {
        return Ok(Err("Kies eerst een groep om te vergelijken.".to_string()));
    }
    if !smallcell::count_is_safe(size, k) || !smallcell::count_is_safe(rest, k) {
        return Ok(Err(format!(
            "Minder dan {k} verhalen in deze groep of in de rest: daar maken we geen kaart van."
        )));
    }
    let settings = CompareSettings {
        reference: Reference::Rest,
        ..settings
    };
    let comparison = super::analysis::compare_subset(data, base, subset, settings)?;
    let Some((figures, description, label)) = figures_of(&comparison, key) else {
        return Ok(Err("Deze vraag is niet vergeleken.".to_string()));
    };
    let dataset = data.scan_dataset(&selection);
    let Some((pattern, set)) = sides::as_pattern(
        &dataset,
        &in_part,
        key,
        ["Deze groep", "De rest"],
        "Groep",
        figures,
        &description,
        &EXTRA,
    ) else {
        return Ok(Err("Van deze vraag is geen kaart te maken.".to_string()));
    };
    let metas: Vec<&super::analysis::StoryMeta> = data
        .stories
        .iter()
        .zip(&selection.keep)
        .filter(|(_, k)| **k)
        .map(|(m, _)| m)
        .collect();
    let complete: Vec<bool> = metas.iter().map(|m| m.complete).collect();
    let quotes: Vec<bool> = metas.iter().map(|m| m.quotes_allowed).collect();
    let stories = typical_of(&set, &pattern, &complete, &quotes)
        .into_iter()
        .filter_map(|i| Some(metas.get(i)?.id.to_string()))
        .collect();
    let chart = draw(&pattern, &set);
    let source = Source::Subset {
        filter: scope.filter_query.clone(),
        part: subset.to_vec(),
        question: key.to_string(),
    };
    let mut snapshot = snapshot(pattern, &set, scope.filter_query, scope.filter_text, chart);
    snapshot.comparison = Some(source);
    Ok(Ok(CardPlan {
        title: short_title(&label, "deze groep naast de rest"),
        snapshot,
        stories,
    }))
}

/// A card of question `key` for project `other` beside `reference`, from the comparison of
/// `reference` with all of `others` (so that the card has the q-value of that comparison).
pub fn from_projects(
    reference: &ProjectData,
    others: &[std::sync::Arc<ProjectData>],
    other: &str,
    key: &str,
    settings: CompareSettings,
    draw: impl Fn(&Pattern, &Dataset) -> Option<String>,
) -> Result<Result<CardPlan, NoCard>, AnalysisError> {
    let compared: ProjectsComparison = side_by_side::compare_loaded(reference, others, settings)?;
    let found = compared
        .others
        .iter()
        .zip(others)
        .find(|(b, _)| b.side.slug == other);
    let Some((beside, other_data)) = found else {
        return Ok(Err("Dit project staat niet in de vergelijking.".to_string()));
    };
    let Some(comparison) = &beside.comparison else {
        return Ok(Err(format!(
            "Minder dan {} verhalen in een van beide projecten: daar maken we geen kaart van.",
            beside.side.k
        )));
    };
    let Some((figures, description, label)) = figures_of(comparison, key) else {
        return Ok(Err("Deze vraag is niet vergeleken.".to_string()));
    };
    let parts = [reference, other_data.as_ref()];
    let (data, side) = side_by_side::core_dataset(&parts, &EXTRA);
    let in_other: Vec<bool> = side.iter().map(|s| *s == Some(1)).collect();
    let (reference_name, other_name) = (&reference.project.name, &other_data.project.name);
    let Some((pattern, set)) = sides::as_pattern(
        &data,
        &in_other,
        key,
        [other_name, reference_name],
        "Project",
        figures,
        &description,
        &EXTRA,
    ) else {
        return Ok(Err("Van deze vraag is geen kaart te maken.".to_string()));
    };
    let metas: Vec<(&str, &super::analysis::StoryMeta)> = parts
        .iter()
        .flat_map(|p| p.stories.iter().map(move |m| (p.project.slug.as_str(), m)))
        .collect();
    let complete: Vec<bool> = metas.iter().map(|(_, m)| m.complete).collect();
    let quotes: Vec<bool> = metas.iter().map(|(_, m)| m.quotes_allowed).collect();
    let mut own = Vec::new();
    let mut elsewhere = Vec::new();
    for i in typical_of(&set, &pattern, &complete, &quotes) {
        if let Some((slug, m)) = metas.get(i) {
            if *slug == reference.project.slug {
                own.push(m.id.to_string());
            } else {
                elsewhere.push((slug.to_string(), m.id.to_string()));
            }
        }
    }
    let chart = draw(&pattern, &set);
    let text = vec![format!(
        "de kernvragen van {other_name} naast {reference_name}"
    )];
    let mut snapshot = snapshot(pattern, &set, String::new(), text, chart);
    snapshot.elsewhere = elsewhere;
    snapshot.comparison = Some(Source::Projects {
        others: others.iter().map(|o| o.project.slug.clone()).collect(),
        other: other.to_string(),
        question: key.to_string(),
    });
    Ok(Ok(CardPlan {
        title: short_title(&label, &format!("{other_name} naast {reference_name}")),
        snapshot,
        stories: own,
    }))
}

/// Makes the observation of a planned card in `project`, with its typical stories. Returns
/// its id.
pub fn make(
    db: &Database,
    by: &SignedIn,
    project: &str,
    plan: &CardPlan,
    now: i64,
) -> Result<String, ObservationError> {
    require(by, project, ProjectAction::Facilitate)?;
    for (slug, _) in &plan.snapshot.elsewhere {
        require(by, slug, ProjectAction::Read)?;
    }
    let id = observations::create(db, by, project, &plan.title, Some(&plan.snapshot), now)?;
    if !plan.stories.is_empty() {
        observations::add_stories(db, by, project, &id, &plan.stories, now)?;
    }
    Ok(id)
}

/// A story with the questionnaire version it was told with.
type StoryWithVersion = (Story, Option<Questionnaire>);

/// The stories `refs` (project, id) that still count, with their questionnaire version, and
/// how many no longer do (withdrawn, hidden, text deleted, or gone).
pub(crate) fn stories_elsewhere(
    conn: &mut crate::store::AnyConnection,
    refs: &[(String, String)],
) -> StoreResult<(Vec<StoryWithVersion>, usize)> {
    let mut kept = Vec::new();
    let mut by_project: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (slug, id) in refs {
        by_project.entry(slug).or_default().push(id.clone());
    }
    for (slug, ids) in by_project {
        for (mut story, q) in stories::find_many_in_project(conn, slug, &ids)? {
            if observations::usable(&story) {
                let m = &mut story.record.moderation;
                m.hidden_reason = None;
                m.original_title = None;
                m.original_body = None;
                kept.push((story, q));
            }
        }
    }
    let removed = refs.len() - kept.len();
    Ok((kept, removed))
}
