//! Observaties: made from a pattern (or from scratch) by begeleiders, with typical stories and
//! quotes, read by everyone who may read the project.
//!
//! The pattern's figures are kept as they were when taken (a snapshot), so a card does not
//! change by itself when stories arrive; `refresh` takes them again. Stories that were
//! withdrawn or hidden since, and quotes from them, are left out when an observation is read.

use super::accounts::SignedIn;
use super::audit::{self, action};
use crate::analysis::{Pattern, PatternKind};
use crate::domain::accounts::ProjectAction;
use crate::domain::codes::base32;
use crate::domain::observation::{
    check_quote, group_by_theme, same_theme, ObservationStatus, ObservationText, QuoteError,
    MIN_INTERPRETATIONS,
};
use crate::domain::project_form::FieldProblem;
use crate::domain::Questionnaire;
use crate::service::error::{require, Refusal, Refused, ServiceError};
use crate::store::observations::{self, ObservationRecord, QuoteRecord};
use crate::store::stories::{self, Story};
use crate::store::{Database, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum ObservationError {
    #[error("input")]
    Input(Vec<FieldProblem>),
    #[error(transparent)]
    Quote(#[from] QuoteError),
    #[error("Dit verhaal bestaat niet in dit project, of het telt niet mee (ingetrokken, verborgen of zonder toestemming).")]
    StoryNotUsable,
    /// No observation of the project has this theme (the name as asked).
    #[error("Het thema ‘{0}’ bestaat niet in dit project. Kies een van de thema's in de lijst.")]
    UnknownTheme(String),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(ObservationError);

impl Refused for ObservationError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Input(_) | Self::Quote(_) | Self::StoryNotUsable => Refusal::Invalid,
            Self::UnknownTheme(_) => Refusal::NotFound,
        }
    }
}

type Outcome<T> = Result<T, ObservationError>;

/// The pattern an observation was made from, as it was when its figures were taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatternSnapshot {
    /// The URL query of the filters the pattern was found with (empty: all stories).
    pub filter: String,
    /// The filters in words.
    pub filter_text: Vec<String>,
    /// Stories in the scan it came from.
    pub stories: usize,
    /// The questions' labels, in the order of `pattern.questions`.
    pub labels: Vec<String>,
    pub pattern: Pattern,
    /// The chart (SVG drawn by the server) at that moment.
    pub chart: Option<String>,
    /// For two sliders: how the stories lie over both (for the printed card).
    #[serde(default)]
    pub density: Option<crate::analysis::figures::Density>,
    /// For a slider by one or two choice questions: how the stories of each group (or cell)
    /// spread over the slider in five bands, in the order of `pattern.groups` (for three-way
    /// patterns: the most deviating cells first). Empty in snapshots taken before cards drew
    /// distributions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<crate::analysis::figures::GroupBands>,
    /// For two choice questions: the whole table of answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<crate::analysis::figures::CountTable>,
    /// The two ends (left, right) of every slider of the pattern, by question key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub poles: BTreeMap<String, (String, String)>,
    /// A card made from a comparison of projects: typical stories of the other project, as
    /// (project, story id). They are read again each time, like the card's own stories, and
    /// left out once withdrawn or hidden (`service::comparison_cards`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elsewhere: Vec<(String, String)>,
    /// A card made from a comparison: the comparison's settings, to make it again when the
    /// figures are taken again. `None` for a pattern of the scan, and for cards made from a
    /// comparison before these were kept (`comparison_cards::is_comparison` tells those).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<super::comparison_cards::Source>,
}

/// Bands per group of a slider on a card.
pub const CARD_BANDS: usize = 5;

/// An observation with what is shown with it.
#[derive(Debug, Clone)]
pub struct ObservationDetail {
    pub record: ObservationRecord,
    pub status: ObservationStatus,
    /// Every interpretation in order ([`interpretations_of`]).
    pub interpretations: Vec<String>,
    pub snapshot: Option<PatternSnapshot>,
    /// The typical stories that still count, in order, with their questionnaire version.
    pub stories: Vec<(Story, Option<Questionnaire>)>,
    /// Stories left out because they were withdrawn or hidden since they were chosen.
    pub stories_removed: usize,
    pub quotes: Vec<QuoteRecord>,
    /// Quotes left out because their story was withdrawn or hidden, or quoting was refused.
    pub quotes_removed: usize,
}

fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", base32(&rand::random::<[u8; 6]>(), 8))
}

/// A story counts for an observation (and a session table) while it is analysable and still
/// has its text (retention deletes texts; a card or table cannot show a story without one).
pub fn usable(story: &Story) -> bool {
    let r = &story.record;
    r.withdrawn_at.is_none()
        && r.moderation.hidden_at.is_none()
        && r.moderation.text_deleted_at.is_none()
        && r.consent_analysis
}

/// Every interpretation of an observation in its order: the two required ones (empty while
/// not written), then the extra ones. Extra ones that cannot be read are left out (and
/// logged); the stored text stays for repair.
pub fn interpretations_of(record: &ObservationRecord) -> Vec<String> {
    let mut all = vec![
        record.interpretation_a.clone(),
        record.interpretation_b.clone(),
    ];
    match serde_json::from_str::<Vec<String>>(&record.more_interpretations) {
        Ok(more) => all.extend(more.into_iter().filter(|t| !t.trim().is_empty())),
        Err(e) => tracing::warn!(observation = %record.id, "unreadable interpretations: {e}"),
    }
    all
}

/// The draft description of a pattern: its own sentence plus where the figures come from.
pub fn draft_description(snapshot: &PatternSnapshot) -> String {
    let p = &snapshot.pattern;
    let scope = if snapshot.filter_text.is_empty() {
        "alle verhalen".to_string()
    } else {
        format!("de verhalen met {}", snapshot.filter_text.join(", "))
    };
    format!(
        "{} Dit komt uit {} ({} verhalen; {} verhalen bij dit patroon).",
        p.description, scope, snapshot.stories, p.n
    )
}

/// Makes an observation, from a pattern when `snapshot` is given. Returns its id.
pub fn create(
    db: &Database,
    by: &SignedIn,
    project: &str,
    title: &str,
    snapshot: Option<&PatternSnapshot>,
    now: i64,
) -> Outcome<String> {
    require(by, project, ProjectAction::Facilitate)?;
    let text = ObservationText {
        title: title
            .chars()
            .take(crate::domain::observation::MAX_TITLE)
            .collect(),
        description: snapshot.map(draft_description).unwrap_or_default(),
        ..Default::default()
    }
    .trimmed();
    let problems = text.check(ObservationStatus::Concept);
    if !problems.is_empty() {
        return Err(ObservationError::Input(problems));
    }
    let pattern = snapshot
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let record = ObservationRecord {
        id: new_id("OB"),
        project_slug: project.to_string(),
        title: text.title,
        description: text.description,
        interpretation_a: String::new(),
        interpretation_b: String::new(),
        notes: String::new(),
        theme: String::new(),
        status: ObservationStatus::Concept.key().to_string(),
        figures_at: pattern.as_ref().map(|_| now),
        pattern,
        created_by: Some(by.id.clone()),
        created_at: now,
        updated_at: now,
        more_interpretations: "[]".to_string(),
    };
    db.write_sync(|conn| {
        observations::insert(conn, &record)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::OBSERVATION_CREATE,
            Some(project),
            Some(&record.id),
            "",
            now,
        )
    })?;
    Ok(record.id)
}

/// A project's observations, most recently changed first.
pub fn list(db: &Database, by: &SignedIn, project: &str) -> Outcome<Vec<ObservationRecord>> {
    require(by, project, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    Ok(observations::list(&mut conn, project)?)
}

/// The observations of one theme (or without one), as the list shows them.
#[derive(Debug, Clone)]
pub struct ThemeGroup {
    /// The theme as most of its observations spell it; empty for those without a theme.
    pub name: String,
    /// Most recently changed first.
    pub observations: Vec<ObservationRecord>,
    /// How many of them are ready for a session (and go into the theme's deck).
    pub ready: usize,
}

/// A project's observations grouped by theme: themes by name (case and spaces do not make
/// another theme), observations without a theme last.
pub fn by_theme(db: &Database, by: &SignedIn, project: &str) -> Outcome<Vec<ThemeGroup>> {
    let records = list(db, by, project)?;
    Ok(group_by_theme(records, |r| r.theme.as_str())
        .into_iter()
        .map(|(name, observations)| ThemeGroup {
            ready: observations
                .iter()
                .filter(|r| r.status == ObservationStatus::Klaar.key())
                .count(),
            name,
            observations,
        })
        .collect())
}

/// The themes the project's observations have, each once (by its most used spelling), by
/// name: for choosing a theme on the observation form.
pub fn theme_names(db: &Database, by: &SignedIn, project: &str) -> Outcome<Vec<String>> {
    Ok(by_theme(db, by, project)?
        .into_iter()
        .map(|g| g.name)
        .filter(|name| !name.is_empty())
        .collect())
}

/// Every observation of the project that is ready for a session (optionally of one theme,
/// compared without regard to case and spaces), opened, in list order. A theme that no
/// observation of the project has is refused ([`ObservationError::UnknownTheme`]), so that
/// a mistyped theme does not give an empty deck.
pub fn ready(
    db: &Database,
    by: &SignedIn,
    project: &str,
    theme: Option<&str>,
) -> Outcome<Vec<ObservationDetail>> {
    let records = list(db, by, project)?;
    if let Some(theme) = theme {
        if !records.iter().any(|r| same_theme(&r.theme, theme)) {
            return Err(ObservationError::UnknownTheme(theme.trim().to_string()));
        }
    }
    records
        .into_iter()
        .filter(|r| r.status == ObservationStatus::Klaar.key())
        .filter(|r| theme.is_none_or(|t| same_theme(&r.theme, t)))
        .map(|r| open(db, by, project, &r.id))
        .collect()
}

/// One observation with its stories and quotes, as they may be shown now.
pub fn open(db: &Database, by: &SignedIn, project: &str, id: &str) -> Outcome<ObservationDetail> {
    require(by, project, ProjectAction::Read)?;
    read(&mut *db.conn()?, project, id)
}

/// One observation as [`open`] gives it, without an access check: for callers that decided
/// access themselves (a session table shows the cards chosen for it to its participants).
pub fn read(
    conn: &mut crate::store::AnyConnection,
    project: &str,
    id: &str,
) -> Outcome<ObservationDetail> {
    let conn = &mut *conn;
    let record = observations::find_in_project(conn, project, id)?
        .ok_or(ObservationError::Core(ServiceError::NotFound))?;
    let snapshot = match record
        .pattern
        .as_deref()
        .map(serde_json::from_str::<PatternSnapshot>)
    {
        Some(Ok(snapshot)) => Some(snapshot),
        Some(Err(e)) => {
            // Shown as an observation without figures; the stored text stays for repair.
            tracing::warn!(observation = %record.id, "unreadable pattern snapshot: {e}");
            None
        }
        None => None,
    };
    let snapshot = match snapshot {
        Some(mut s) if s.poles.is_empty() && s.pattern.kind != PatternKind::ChoiceByChoice => {
            // Taken before snapshots kept the sliders' ends: the questionnaire names them.
            if let Some(p) = crate::store::projects::find(conn, project)? {
                s.poles = poles_in(&p.questionnaire, &s.pattern.questions);
            }
            Some(s)
        }
        other => other,
    };
    let ids = observations::story_ids(conn, id)?;
    let found = stories::find_many_in_project(conn, project, &ids)?;
    let total = found.len();
    let mut kept: Vec<(Story, Option<Questionnaire>)> =
        found.into_iter().filter(|(s, _)| usable(s)).collect();
    for (story, _) in &mut kept {
        let m = &mut story.record.moderation;
        m.hidden_reason = None;
        m.original_title = None;
        m.original_body = None;
    }
    let mut stories_removed = total - kept.len() + (ids.len() - total);
    if let Some(s) = &snapshot {
        let (found, removed) = super::comparison_cards::stories_elsewhere(conn, &s.elsewhere)?;
        kept.extend(found);
        stories_removed += removed;
    }
    let all_quotes = observations::quotes(conn, id)?;
    let quoted: Vec<String> = all_quotes.iter().map(|q| q.story_id.clone()).collect();
    let sources = stories::find_many_in_project(conn, project, &quoted)?;
    let quotable = |story_id: &str| {
        sources
            .iter()
            .any(|(s, _)| s.record.id == story_id && usable(s) && s.record.consent_quotes)
    };
    let quotes: Vec<QuoteRecord> = all_quotes
        .iter()
        .filter(|q| quotable(&q.story_id))
        .cloned()
        .collect();
    Ok(ObservationDetail {
        status: ObservationStatus::parse(&record.status).unwrap_or(ObservationStatus::Concept),
        interpretations: interpretations_of(&record),
        record,
        snapshot,
        stories: kept,
        stories_removed,
        quotes_removed: all_quotes.len() - quotes.len(),
        quotes,
    })
}

/// The two ends of every slider among `questions`, as the questionnaire names them.
fn poles_in(
    questionnaire: &Questionnaire,
    questions: &[String],
) -> BTreeMap<String, (String, String)> {
    questions
        .iter()
        .filter_map(|key| {
            let q = questionnaire.questions.iter().find(|q| &q.key == key)?;
            Some((key.clone(), (q.left.clone()?, q.right.clone()?)))
        })
        .collect()
}

/// Runs a change to an observation of this project in one transaction, with its audit entry.
fn change<T>(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    audit_action: &str,
    now: i64,
    f: impl FnOnce(&mut crate::store::AnyConnection, &ObservationRecord) -> Outcome<T>,
) -> Outcome<T> {
    require(by, project, ProjectAction::Facilitate)?;
    // An error from `f` rolls back whatever it did before it refused.
    db.write_with(|conn| {
        let record = observations::find_in_project(conn, project, id)?
            .ok_or(ObservationError::Core(ServiceError::NotFound))?;
        let value = f(conn, &record)?;
        audit::log(
            conn,
            Some(&by.actor()),
            audit_action,
            Some(project),
            Some(id),
            "",
            now,
        )?;
        Ok(value)
    })
}

/// Saves the texts and the status.
pub fn save(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    text: ObservationText,
    status: ObservationStatus,
    now: i64,
) -> Outcome<()> {
    let text = text.trimmed();
    let problems = text.check(status);
    if !problems.is_empty() {
        return Err(ObservationError::Input(problems));
    }
    let more = serde_json::to_string(
        text.interpretations
            .get(MIN_INTERPRETATIONS..)
            .unwrap_or(&[]),
    )
    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    change(
        db,
        by,
        project,
        id,
        action::OBSERVATION_SAVE,
        now,
        |conn, record| {
            let mut interpretations = text.interpretations.into_iter();
            let updated = ObservationRecord {
                title: text.title,
                description: text.description,
                interpretation_a: interpretations.next().unwrap_or_default(),
                interpretation_b: interpretations.next().unwrap_or_default(),
                more_interpretations: more,
                notes: text.notes,
                theme: text.theme,
                status: status.key().to_string(),
                updated_at: now,
                ..record.clone()
            };
            observations::save_text(conn, &updated)?;
            Ok(())
        },
    )
}

/// The stored snapshot of an observation, when it has one that can be read.
fn stored_snapshot(record: &ObservationRecord) -> Option<PatternSnapshot> {
    serde_json::from_str(record.pattern.as_deref()?).ok()
}

fn snapshot_json(snapshot: &PatternSnapshot) -> Outcome<String> {
    Ok(serde_json::to_string(snapshot).map_err(|e| StoreError::Corrupt(e.to_string()))?)
}

/// Takes the pattern's figures again. The typical stories of another project chosen for a
/// card from a comparison stay chosen, as the card's own stories do.
pub fn refresh(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    snapshot: &PatternSnapshot,
    now: i64,
) -> Outcome<()> {
    let mut snapshot = snapshot.clone();
    change(
        db,
        by,
        project,
        id,
        action::OBSERVATION_FIGURES,
        now,
        move |conn, record| {
            if let Some(old) = stored_snapshot(record) {
                snapshot.elsewhere = old.elsewhere;
            }
            observations::save_pattern(conn, id, &snapshot_json(&snapshot)?, now)?;
            Ok(())
        },
    )
}

fn usable_story(
    conn: &mut crate::store::AnyConnection,
    project: &str,
    story_id: &str,
) -> Outcome<Story> {
    stories::find_many_in_project(conn, project, &[story_id.to_string()])?
        .into_iter()
        .map(|(s, _)| s)
        .find(usable)
        .ok_or(ObservationError::StoryNotUsable)
}

/// Adds typical stories (by id); returns how many were new.
pub fn add_stories(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    story_ids: &[String],
    now: i64,
) -> Outcome<usize> {
    change(
        db,
        by,
        project,
        id,
        action::OBSERVATION_SAVE,
        now,
        |conn, _| {
            let mut added = 0;
            for story in story_ids {
                let story = usable_story(conn, project, story.trim())?;
                if observations::add_story(conn, id, &story.record.id)? {
                    added += 1;
                }
            }
            Ok(added)
        },
    )
}

/// Takes a typical story away: one of the project, or one of another project kept in the
/// snapshot of a card from a comparison of projects.
pub fn remove_story(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    story_id: &str,
    now: i64,
) -> Outcome<()> {
    change(
        db,
        by,
        project,
        id,
        action::OBSERVATION_SAVE,
        now,
        |conn, record| {
            if observations::remove_story(conn, id, story_id)? {
                return Ok(());
            }
            // A typical story of another project (a card from a comparison of projects) is
            // kept in the snapshot; taking it away leaves the figures as they were.
            if let Some(mut snapshot) = stored_snapshot(record) {
                let before = snapshot.elsewhere.len();
                snapshot.elsewhere.retain(|(_, story)| story != story_id);
                if snapshot.elsewhere.len() < before {
                    observations::replace_pattern(conn, id, &snapshot_json(&snapshot)?, now)?;
                }
            }
            Ok(())
        },
    )
}

/// Takes a quote from a story whose teller allowed quoting.
pub fn add_quote(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    story_id: &str,
    fragment: &str,
    now: i64,
) -> Outcome<()> {
    change(
        db,
        by,
        project,
        id,
        action::OBSERVATION_SAVE,
        now,
        |conn, _| {
            let story = usable_story(conn, project, story_id.trim())?;
            let text = check_quote(fragment, &story.record.body, story.record.consent_quotes)?;
            observations::insert_quote(
                conn,
                &QuoteRecord {
                    id: new_id("CI"),
                    observation_id: id.to_string(),
                    story_id: story.record.id.clone(),
                    text,
                    created_at: now,
                },
            )?;
            Ok(())
        },
    )
}

pub fn remove_quote(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    quote: &str,
    now: i64,
) -> Outcome<()> {
    change(
        db,
        by,
        project,
        id,
        action::OBSERVATION_SAVE,
        now,
        |conn, _| {
            observations::remove_quote(conn, id, quote)?;
            Ok(())
        },
    )
}

// --- patterns and typical stories -----------------------------------------------------------

/// Where a pattern's figures are taken from: the project's data as the filters select it.
pub struct PatternSource<'a> {
    pub cache: &'a crate::service::analysis::AnalysisCache,
    pub data: &'a crate::service::analysis::ProjectData,
    pub filter: &'a crate::service::analysis::StoryFilter,
    pub selection: &'a crate::service::analysis::Selection,
    /// The filters as a URL query and in words, kept with the snapshot.
    pub filter_query: String,
    pub filter_text: Vec<String>,
}

/// Scans the selected stories again and takes the figures of the pattern of `kind` over
/// `questions`. `Ok(Err(reason))` when that pattern has no result now (the reason in Dutch,
/// for the begeleider). `draw` makes the chart kept with the snapshot.
pub fn take_snapshot(
    source: &PatternSource,
    kind: crate::analysis::PatternKind,
    questions: &[String],
    draw: impl Fn(&Pattern, &crate::analysis::Dataset) -> Option<String>,
) -> Result<Result<PatternSnapshot, String>, crate::service::analysis::AnalysisError> {
    use crate::analysis::ScanSettings;
    let scan = source
        .cache
        .scan(source.data, source.filter, ScanSettings::default())?;
    let same = |k: PatternKind, q: &[String]| k == kind && q == questions;
    let Some(pattern) = scan.patterns.iter().find(|p| same(p.kind, &p.questions)) else {
        let why = scan
            .untested
            .iter()
            .find(|u| same(u.kind, &u.questions))
            .map_or("het patroon is niet meer te vinden in de verhalen", |u| {
                u.reason
            });
        return Ok(Err(format!(
            "De cijfers van dit patroon zijn er nu niet: {why}. De oude cijfers blijven op de kaart."
        )));
    };
    let dataset = source.data.scan_dataset(source.selection);
    let labels = dataset.labels(&pattern.questions);
    let density = match (pattern.kind, pattern.questions.as_slice()) {
        (PatternKind::SliderBySlider, [x, y]) => match (dataset.variable(x), dataset.variable(y)) {
            (Some(x), Some(y)) => crate::analysis::figures::density(x, y, 10),
            _ => None,
        },
        _ => None,
    };
    let table = match (pattern.kind, pattern.questions.as_slice()) {
        (PatternKind::ChoiceByChoice, [a, b]) => match (dataset.variable(a), dataset.variable(b)) {
            (Some(a), Some(b)) => crate::analysis::figures::crosstab(a, b).map(|t| (&t).into()),
            _ => None,
        },
        _ => None,
    };
    let poles = pattern
        .questions
        .iter()
        .filter_map(|key| match dataset.variable(key) {
            Some(crate::analysis::Variable::Slider { left, right, .. }) => {
                Some((key.clone(), (left.clone(), right.clone())))
            }
            _ => None,
        })
        .collect();
    Ok(Ok(PatternSnapshot {
        filter: source.filter_query.clone(),
        filter_text: source.filter_text.clone(),
        stories: scan.stories,
        labels,
        chart: draw(pattern, &dataset),
        density,
        bands: bands_of(pattern, &dataset, scan.settings.min_group),
        table,
        poles,
        pattern: pattern.clone(),
        elsewhere: Vec::new(),
        comparison: None,
    }))
}

/// The five bands of the slider per group of a slider × choice pattern, or per cell of a
/// three-way one, for exactly the groups the pattern lists and in its order.
fn bands_of(
    pattern: &Pattern,
    dataset: &crate::analysis::Dataset,
    min_group: usize,
) -> Vec<crate::analysis::figures::GroupBands> {
    let question = |i: usize| pattern.questions.get(i).and_then(|k| dataset.variable(k));
    let found = match (pattern.kind, question(0), question(1)) {
        (PatternKind::SliderByChoice, Some(slider), Some(choice)) => {
            crate::analysis::figures::group_bands(slider, choice, None, min_group, CARD_BANDS)
        }
        (PatternKind::SliderByChoicePair, Some(slider), Some(first)) => match question(2) {
            Some(second) => crate::analysis::figures::group_bands(
                slider,
                first,
                Some(second),
                min_group,
                CARD_BANDS,
            ),
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    pattern
        .groups
        .iter()
        .filter_map(|g| found.iter().find(|b| b.option == g.option).cloned())
        .collect()
}

/// A typical story proposed for an observation.
#[derive(Debug, Clone)]
pub struct TypicalStory {
    pub id: String,
    pub title: String,
    pub group: String,
    pub reason: String,
}

/// Typical stories for `pattern` among the selected stories, leaving out those already
/// `chosen` and any that no longer exist in the project.
pub fn typical_stories(
    db: &Database,
    by: &SignedIn,
    project: &str,
    source: &PatternSource,
    pattern: &Pattern,
    chosen: &[String],
) -> Outcome<Vec<TypicalStory>> {
    use crate::analysis::typical;
    require(by, project, ProjectAction::Facilitate)?;
    let dataset = source.data.scan_dataset(source.selection);
    let metas: Vec<&crate::service::analysis::StoryMeta> = source
        .data
        .stories
        .iter()
        .zip(&source.selection.keep)
        .filter(|(_, k)| **k)
        .map(|(m, _)| m)
        .collect();
    let complete: Vec<bool> = metas.iter().map(|m| m.complete).collect();
    let quotes_allowed: Vec<bool> = metas.iter().map(|m| m.quotes_allowed).collect();
    let facts = typical::StoryFacts {
        complete: &complete,
        quotes_allowed: &quotes_allowed,
    };
    let proposed: Vec<(String, typical::Proposal)> = typical::propose(
        &dataset,
        pattern,
        &facts,
        typical::TypicalSettings::default(),
    )
    .into_iter()
    .filter_map(|p| Some((metas.get(p.story)?.id.to_string(), p)))
    .filter(|(id, _)| !chosen.contains(id))
    .collect();
    let ids: Vec<String> = proposed.iter().map(|(id, _)| id.clone()).collect();
    let mut conn = db.conn()?;
    let found = stories::find_many_in_project(&mut conn, project, &ids)?;
    Ok(proposed
        .into_iter()
        .filter_map(|(id, p)| {
            let (story, _) = found.iter().find(|(s, _)| s.record.id == id)?;
            Some(TypicalStory {
                title: story.record.title.clone(),
                id,
                group: p.group,
                reason: p.reason,
            })
        })
        .collect())
}

/// After `fragment` was redacted in a story (whose text is now `new_body`), every quote taken
/// from it follows: the same redaction is applied to the quote, and a quote that can then no
/// longer be found in the story is removed. Runs in the moderation's transaction. Returns how
/// many quotes were changed and how many removed.
pub(crate) fn follow_redaction(
    conn: &mut crate::store::AnyConnection,
    story: &str,
    fragment: &str,
    new_body: &str,
) -> crate::store::StoreResult<(usize, usize)> {
    let (mut changed, mut removed) = (0, 0);
    for quote in observations::quotes_of_story(conn, story)? {
        match crate::domain::moderation::redact_quote(&quote.text, fragment, new_body) {
            Some(text) if text == quote.text => {}
            Some(text) => {
                observations::set_quote_text(conn, &quote.id, &text)?;
                changed += 1;
            }
            None => {
                observations::remove_quote(conn, &quote.observation_id, &quote.id)?;
                removed += 1;
            }
        }
    }
    Ok((changed, removed))
}
