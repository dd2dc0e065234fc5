//! The response monitor (issue 23, item 2): place links, the counters the teller's path adds
//! to, the begeleider's targets, and the figures of the monitor page.
//!
//! Counting never needs a right (every teller's form counts) and never fails a teller: the
//! handlers log a failed count and go on. Nothing counted is about one person: the form
//! carries a signed [`Measure`] (when it was opened, whether "started" was counted), and a
//! count only adds one to a row of its project, day, role, place and language.

use super::accounts::SignedIn;
use super::analysis::{AnalysisCache, AnalysisError, ProjectData};
use super::audit::{self, action};
use super::error::{require, Refusal, Refused, ServiceError};
use crate::analysis::dataset::Reply;
use crate::analysis::Variable;
use crate::domain::accounts::ProjectAction;
use crate::domain::response::{
    self as rules, duration_bucket, median_seconds, parse_expected_negative, parse_target,
    place_code, place_name, progress_percent, resolve_place, week_of_day, Funnel, Split, Stage,
    Warning, DEFAULT_EXPECTED_NEGATIVE_PERCENT, TONE_QUESTION, UNKNOWN_PLACE,
};
use crate::domain::smallcell::{count_is_safe, shown_count};
use crate::domain::Project;
use crate::exchange::timestamp::{dutch_day, dutch_time};
use crate::security::{random_bytes, Secret};
pub use crate::store::response::PlaceLinkRecord;
use crate::store::response::{self as store, TargetRecord};
use crate::store::Database;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The context question whose answers are gemeenten.
pub const GEMEENTE_QUESTION: &str = "gemeente";
/// The kinds of target rows.
const KIND_ROLE: &str = "rol";
const KIND_GEMEENTE: &str = "gemeente";
const KIND_NEGATIVE: &str = "negatief";
/// Days shown in the table per day (the newest with stories).
const DAYS_SHOWN: usize = 28;
/// Questions shown in "most often left unanswered".
const UNANSWERED_SHOWN: usize = 5;
const MEASURE_PURPOSE: &str = "respons";

#[derive(Debug, thiserror::Error)]
pub enum ResponseError {
    /// Input a begeleider can correct: (field, message).
    #[error("de invoer klopt niet")]
    Invalid(Vec<(String, String)>),
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(ResponseError);

impl Refused for ResponseError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Invalid(_) => Refusal::Invalid,
            Self::Analysis(e) => e.refusal(),
            Self::Core(e) => e.refusal(),
        }
    }
}

/// What a story form carries (sealed, in the hidden field `meting`): the project, when the
/// form was opened and whether its start was counted. Nothing about the teller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    #[serde(rename = "p")]
    pub project: String,
    #[serde(rename = "o")]
    pub opened_at: i64,
    #[serde(rename = "s")]
    pub started: bool,
}

impl Measure {
    pub fn new(project: &str, opened_at: i64) -> Self {
        Measure {
            project: project.to_string(),
            opened_at,
            started: false,
        }
    }

    pub fn seal(&self, secret: &Secret) -> String {
        secret.seal(MEASURE_PURPOSE, self)
    }

    /// The measure of a posted form of this project, if it is one of ours.
    pub fn open(secret: &Secret, sealed: &str, project: &str) -> Option<Self> {
        secret
            .open::<Measure>(MEASURE_PURPOSE, sealed)
            .filter(|m| m.project == project)
    }
}

/// One event on the teller's path.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub role: &'a str,
    /// The place code as the link or the form carried it (resolved against the project).
    pub place: &'a str,
    pub language: &'a str,
}

/// Adds one to `stage` and returns the place it was counted under. For `Sent` also adds one
/// to `Started` when the form carries a measure whose start was not counted yet (a form
/// without one, such as a resumed draft, was started before), and the time since opening to
/// the duration histogram. One write, one UPSERT per event.
pub fn record(
    db: &Database,
    project: &str,
    event: &Event<'_>,
    stage: Stage,
    measure: Option<&Measure>,
    now: i64,
) -> Result<String, ServiceError> {
    let day = dutch_day(now);
    let (project, role, raw_place, language) = (
        project.to_string(),
        event.role.to_string(),
        event.place.to_string(),
        event.language.to_string(),
    );
    let count_start = measure.is_some_and(|m| !m.started);
    let duration = measure.and_then(|m| duration_bucket(now - m.opened_at));
    db.write_sync(move |conn| {
        let codes = if raw_place.trim().is_empty() {
            Vec::new()
        } else {
            store::place_codes(conn, &project)?
        };
        let place = resolve_place(&raw_place, codes.iter().map(String::as_str));
        let mut count = |stage: Stage| {
            store::count(
                conn,
                &project,
                &day,
                &role,
                &place,
                &language,
                stage.as_str(),
            )
        };
        if stage == Stage::Sent && count_start {
            count(Stage::Started)?;
        }
        count(stage)?;
        if stage == Stage::Sent {
            if let Some(bucket) = duration {
                store::count_duration(conn, &project, &day, bucket)?;
            }
        }
        Ok(place)
    })
    .map_err(ServiceError::from)
}

/// A project's place links (read right).
pub fn places(
    db: &Database,
    by: &SignedIn,
    project: &str,
) -> Result<Vec<PlaceLinkRecord>, ServiceError> {
    require(by, project, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    Ok(store::places(&mut conn, project)?)
}

/// Makes a place link with a new code (facilitate right).
pub fn add_place(
    db: &Database,
    by: &SignedIn,
    project: &str,
    name: &str,
    now: i64,
) -> Result<PlaceLinkRecord, ResponseError> {
    require(by, project, ProjectAction::Facilitate)?;
    let name = place_name(name)
        .map_err(|m| ResponseError::Invalid(vec![("naam".into(), m.to_string())]))?;
    db.write_with(|conn| -> Result<PlaceLinkRecord, ResponseError> {
        let taken = store::place_codes(conn, project)?;
        // Six random characters: a clash is rare; try a few times.
        let code = (0..8)
            .map(|_| place_code(random_bytes()))
            .find(|c| !taken.contains(c) && c != UNKNOWN_PLACE)
            .ok_or(ServiceError::Store(crate::store::StoreError::Query(
                diesel::result::Error::RollbackTransaction,
            )))?;
        let record = PlaceLinkRecord {
            project_slug: project.to_string(),
            code,
            name: name.clone(),
            created_at: now,
        };
        store::insert_place(conn, &record)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::PLACE_LINK_ADD,
            Some(project),
            Some(&record.code),
            &record.name,
            now,
        )?;
        Ok(record)
    })
}

/// Gives a place link another name (facilitate right): its code, and so every printed link
/// and count, stays. An unknown code is not found; the old and new name go into the audit log.
pub fn rename_place(
    db: &Database,
    by: &SignedIn,
    project: &str,
    code: &str,
    name: &str,
    now: i64,
) -> Result<(), ResponseError> {
    require(by, project, ProjectAction::Facilitate)?;
    let field = format!("naam-{code}");
    let name =
        place_name(name).map_err(|m| ResponseError::Invalid(vec![(field, m.to_string())]))?;
    db.write_with(|conn| -> Result<(), ResponseError> {
        let old = store::places(conn, project)?
            .into_iter()
            .find(|p| p.code == code)
            .ok_or(ServiceError::NotFound)?;
        if old.name == name {
            return Ok(());
        }
        store::rename_place(conn, project, code, &name)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::PLACE_LINK_RENAME,
            Some(project),
            Some(code),
            &format!("{} → {name}", old.name),
            now,
        )?;
        Ok(())
    })
}

/// The targets as a begeleider typed them: (form field, value). Fields `doel_rol_{key}`,
/// `doel_gemeente_{key}` and `verwacht_negatief`.
pub fn save_targets(
    db: &Database,
    by: &SignedIn,
    project: &Project,
    typed: &[(String, String)],
    now: i64,
) -> Result<(), ResponseError> {
    require(by, &project.slug, ProjectAction::Facilitate)?;
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let roles: Vec<&str> = project
        .questionnaire
        .roles
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    let gemeenten = gemeente_options(project);
    for (field, value) in typed {
        let (kind, key) = if let Some(role) = field.strip_prefix("doel_rol_") {
            (KIND_ROLE, role)
        } else if let Some(g) = field.strip_prefix("doel_gemeente_") {
            (KIND_GEMEENTE, g)
        } else if field == "verwacht_negatief" {
            match parse_expected_negative(value) {
                Ok(Some(n)) => records.push(target(project, KIND_NEGATIVE, "", u64::from(n))),
                Ok(None) => {}
                Err(m) => problems.push((field.clone(), m.to_string())),
            }
            continue;
        } else {
            continue;
        };
        let known = match kind {
            KIND_ROLE => roles.contains(&key),
            _ => gemeenten.iter().any(|(k, _)| k == key),
        };
        if !known {
            continue;
        }
        match parse_target(value) {
            Ok(Some(n)) => records.push(target(project, kind, key, n)),
            Ok(None) => {}
            Err(m) => problems.push((field.clone(), m.to_string())),
        }
    }
    if !problems.is_empty() {
        return Err(ResponseError::Invalid(problems));
    }
    db.write_with(|conn| -> Result<(), ResponseError> {
        store::replace_targets(conn, &project.slug, &records)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::RESPONSE_TARGETS_SAVE,
            Some(&project.slug),
            None,
            &format!("{} doelen", records.len()),
            now,
        )?;
        Ok(())
    })
}

fn target(project: &Project, kind: &str, value: &str, n: u64) -> TargetRecord {
    TargetRecord {
        project_slug: project.slug.clone(),
        kind: kind.to_string(),
        value: value.to_string(),
        target: i64::try_from(n).unwrap_or(i64::MAX),
    }
}

/// The gemeenten the questionnaire offers: (option key, label).
fn gemeente_options(project: &Project) -> Vec<(String, String)> {
    project
        .questionnaire
        .question(GEMEENTE_QUESTION)
        .map(|q| {
            q.options
                .iter()
                .map(|o| (o.key.clone(), o.label.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// A label with a count as it may be shown.
#[derive(Debug, Clone, Serialize)]
pub struct CountRow {
    pub key: String,
    pub label: String,
    /// "12" or "< 5".
    pub shown: String,
    /// The count itself, for a chart that applies k (never written into a page).
    #[serde(skip)]
    pub count: u64,
}

/// A day or week with its stories per role.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodRow {
    pub label: String,
    pub cells: Vec<String>,
    pub total: String,
}

/// A target with its progress.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    pub key: String,
    pub label: String,
    pub shown: String,
    /// The target as typed ("" for none).
    pub typed: String,
    pub target: Option<u64>,
    /// The bar's value; `None` when the count is under k (the bar would give it away).
    pub percent: Option<u64>,
}

/// A row of the funnel.
#[derive(Debug, Clone, Serialize)]
pub struct FunnelRow {
    pub label: String,
    pub opened: String,
    pub started: String,
    pub sent: String,
    /// "30 %" or "" (not shown when a count is under k or nothing was opened).
    pub sent_percent: String,
}

/// A place link with its counts.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceRow {
    pub code: String,
    pub name: String,
    pub link: String,
    pub opened: String,
    pub started: String,
    pub sent: String,
}

/// A question most often left unanswered.
#[derive(Debug, Clone, Serialize)]
pub struct UnansweredRow {
    pub label: String,
    pub unanswered: String,
    pub asked: String,
    pub percent: String,
}

/// How many questions a teller of a role sees.
#[derive(Debug, Clone, Serialize)]
pub struct LengthRow {
    pub role: String,
    pub questions: usize,
    pub sensemaking: usize,
}

/// A warning as the page shows it: its kind and the numbers in it.
#[derive(Debug, Clone, Serialize)]
pub struct WarningView {
    /// `rol`, `negatiever` or `positiever`.
    pub kind: &'static str,
    pub role: String,
    pub percent: u64,
    pub expected: u32,
    /// Whom to reach next (role labels).
    pub reach: Vec<String>,
}

/// Everything the monitor page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Monitor {
    pub k: u32,
    pub total: String,
    pub roles: Vec<String>,
    /// What the tables per day and week are split by (`Split::key`), and their columns.
    pub split: &'static str,
    pub split_columns: Vec<String>,
    pub days: Vec<PeriodRow>,
    pub weeks: Vec<PeriodRow>,
    pub by_role: Vec<CountRow>,
    pub by_channel: Vec<CountRow>,
    pub by_place: Vec<CountRow>,
    pub by_gemeente: Vec<CountRow>,
    pub by_language: Vec<CountRow>,
    pub by_completeness: Vec<CountRow>,
    pub role_targets: Vec<TargetRow>,
    pub gemeente_targets: Vec<TargetRow>,
    pub expected_negative: u32,
    pub expected_negative_typed: String,
    pub negative: Option<String>,
    pub warnings: Vec<WarningView>,
    pub funnel_total: FunnelRow,
    pub funnel_roles: Vec<FunnelRow>,
    pub funnel_days: Vec<FunnelRow>,
    pub lengths: Vec<LengthRow>,
    /// "4 min 30 s", "< 5 keer gemeten" or "" when nothing was measured.
    pub median: String,
    pub durations: String,
    pub median_days: Vec<(String, String, String)>,
    pub unanswered: Vec<UnansweredRow>,
    pub places: Vec<PlaceRow>,
}

/// Counts per day and per ISO week, one cell per column of the split.
#[derive(Default)]
struct Periods {
    days: BTreeMap<String, Vec<u64>>,
    weeks: BTreeMap<String, Vec<u64>>,
}

impl Periods {
    fn add(&mut self, day: &str, week: &str, column: usize, columns: usize, count: u64) {
        for (map, key) in [(&mut self.days, day), (&mut self.weeks, week)] {
            let cells = map
                .entry(key.to_string())
                .or_insert_with(|| vec![0; columns]);
            if let Some(cell) = cells.get_mut(column) {
                *cell += count;
            }
        }
    }
}

/// A count as it may be shown, and whether it may be.
fn shown(n: u64, k: u32) -> String {
    shown_count(usize::try_from(n).unwrap_or(usize::MAX), k)
}

fn safe(n: u64, k: u32) -> bool {
    count_is_safe(usize::try_from(n).unwrap_or(usize::MAX), k)
}

fn count_rows(counts: Vec<(String, String, u64)>, k: u32) -> Vec<CountRow> {
    counts
        .into_iter()
        .map(|(key, label, n)| CountRow {
            key,
            label,
            shown: shown(n, k),
            count: n,
        })
        .collect()
}

/// Minutes and seconds: "4 min 30 s".
fn minutes(seconds: f64) -> String {
    let s = seconds.round().max(0.0) as u64;
    if s >= 60 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

/// The ISO week of a Dutch day: "2026-W49".
fn week_of(unix: i64) -> String {
    let (year, week, _) = dutch_time(unix).to_iso_week_date();
    format!("{year}-W{week:02}")
}

/// The per-story choice of a variable: the option's (key, label).
fn choice_of(var: Option<&Variable>, story: usize) -> Option<(&str, &str)> {
    match var {
        Some(Variable::Choice {
            options, values, ..
        }) => values
            .get(story)
            .and_then(|i| options.get(usize::from(i)))
            .map(|o| (o.key.as_str(), o.label.as_str())),
        _ => None,
    }
}

/// The monitor of a project (read right). `base_url` makes the place links.
pub fn monitor(
    db: &Database,
    cache: &AnalysisCache,
    by: &SignedIn,
    slug: &str,
    base_url: &str,
    split: Split,
) -> Result<Monitor, ResponseError> {
    require(by, slug, ProjectAction::Read)?;
    let data = cache.project(db, slug)?;
    let (counts, durations, targets, places) = {
        let mut conn = db.conn()?;
        (
            store::counts(&mut conn, slug)?,
            store::durations(&mut conn, slug)?,
            store::targets(&mut conn, slug)?,
            store::places(&mut conn, slug)?,
        )
    };
    Ok(build(
        &data, &counts, &durations, &targets, &places, base_url, split,
    ))
}

fn build(
    data: &ProjectData,
    counts: &[store::CountRecord],
    durations: &[(String, i64, i64)],
    targets: &[TargetRecord],
    places: &[PlaceLinkRecord],
    base_url: &str,
    split: Split,
) -> Monitor {
    let project = &data.project;
    let q = &project.questionnaire;
    let k = project.settings.privacy.k();
    let n = data.dataset.stories;
    let role_var = data.dataset.variable("rol");
    let roles: Vec<(String, String)> = q
        .roles
        .iter()
        .map(|r| (r.key.clone(), r.label.clone()))
        .collect();
    let role_index = |story: usize| -> Option<usize> {
        choice_of(role_var, story).and_then(|(key, _)| roles.iter().position(|(r, _)| r == key))
    };

    let mut per_role = vec![0u64; roles.len()];
    for i in 0..data.stories.len() {
        if let Some(r) = role_index(i) {
            per_role[r] += 1;
        }
    }

    // By channel, gemeente, language: the dataset's own choices.
    let by_choice = |key: &str| -> Vec<(String, String, u64)> {
        match data.dataset.variable(key) {
            Some(Variable::Choice {
                options, values, ..
            }) => {
                let mut tally = vec![0u64; options.len()];
                for v in values.iter().flatten() {
                    if let Some(t) = tally.get_mut(usize::from(v)) {
                        *t += 1;
                    }
                }
                options
                    .iter()
                    .zip(tally)
                    .map(|(o, c)| (o.key.clone(), o.label.clone(), c))
                    .collect()
            }
            _ => Vec::new(),
        }
    };

    // Completeness: how many of the duidingsvragen asked were answered.
    let sensemaking: Vec<&str> = q
        .questions
        .iter()
        .filter(|qq| qq.is_sensemaking_question())
        .map(|qq| qq.key.as_str())
        .collect();
    let mut asked = vec![0u32; n];
    let mut answered = vec![0u32; n];
    for key in &sensemaking {
        if let Some(replies) = data.replies.of(key) {
            for (i, r) in replies.iter().enumerate().take(n) {
                if *r != Reply::NotAsked {
                    asked[i] += 1;
                }
                if *r == Reply::Answered {
                    answered[i] += 1;
                }
            }
        }
    }
    let mut completeness = [0u64; 4];
    let mut story_completeness = Vec::with_capacity(n);
    for (a, b) in asked.iter().zip(&answered) {
        let group = if *b == 0 {
            3
        } else if b == a {
            0
        } else if b * 2 > *a {
            1
        } else {
            2
        };
        completeness[group] += 1;
        story_completeness.push(group);
    }
    let completeness_labels = [
        ("alle", "Alle duidingsvragen beantwoord"),
        ("meeste", "Meer dan de helft beantwoord"),
        ("helft", "De helft of minder beantwoord"),
        ("geen", "Geen duidingsvraag beantwoord"),
    ];

    // Tone: negative answers to the kern slider.
    let (mut negative, mut tone_answered) = (0u64, 0u64);
    if let Some(Variable::Slider { values, .. }) = data.dataset.variable(TONE_QUESTION) {
        for v in values.iter().flatten() {
            tone_answered += 1;
            if rules::is_negative(*v) {
                negative += 1;
            }
        }
    }

    // Targets.
    let target_of = |kind: &str, value: &str| {
        targets
            .iter()
            .find(|t| t.kind == kind && t.value == value)
            .and_then(|t| u64::try_from(t.target).ok())
    };
    let target_row = |key: &str, label: &str, count: u64, target: Option<u64>| TargetRow {
        key: key.to_string(),
        label: label.to_string(),
        shown: shown(count, k),
        typed: target.map(|t| t.to_string()).unwrap_or_default(),
        target,
        percent: target
            .filter(|_| safe(count, k))
            .map(|t| progress_percent(count, t)),
    };
    let role_targets = roles
        .iter()
        .zip(&per_role)
        .map(|((key, label), c)| target_row(key, label, *c, target_of(KIND_ROLE, key)))
        .collect();
    let gemeente_counts = by_choice(GEMEENTE_QUESTION);
    let gemeente_targets = gemeente_options(project)
        .iter()
        .map(|(key, label)| {
            let c = gemeente_counts
                .iter()
                .find(|(g, _, _)| g == key)
                .map_or(0, |(_, _, c)| *c);
            target_row(key, label, c, target_of(KIND_GEMEENTE, key))
        })
        .collect();
    let expected_set = target_of(KIND_NEGATIVE, "").and_then(|t| u32::try_from(t).ok());
    let expected = expected_set.unwrap_or(DEFAULT_EXPECTED_NEGATIVE_PERCENT);

    // Warnings: only over counts that may be shown.
    let label_of = |key: &str| {
        roles
            .iter()
            .find(|(r, _)| r == key)
            .map_or(key.to_string(), |(_, l)| l.clone())
    };
    let mut warnings = Vec::new();
    let role_counts: Vec<(String, u64)> = roles
        .iter()
        .zip(&per_role)
        .map(|((key, _), c)| (key.clone(), *c))
        .collect();
    if safe(n as u64, k) {
        if let Some(Warning::RoleDominates {
            role,
            percent,
            reach,
        }) = rules::role_warning(&role_counts)
        {
            warnings.push(WarningView {
                kind: "rol",
                role: label_of(&role),
                percent,
                expected: 0,
                reach: reach.iter().map(|r| label_of(r)).collect(),
            });
        }
    }
    if safe(negative, k) && safe(tone_answered - negative, k) {
        match rules::tone_warning(negative, tone_answered, expected) {
            Some(Warning::MoreNegative { percent, expected }) => warnings.push(WarningView {
                kind: "negatiever",
                role: String::new(),
                percent,
                expected,
                reach: Vec::new(),
            }),
            Some(Warning::LessNegative { percent, expected }) => warnings.push(WarningView {
                kind: "positiever",
                role: String::new(),
                percent,
                expected,
                reach: Vec::new(),
            }),
            _ => {}
        }
    }

    // Stories per day and week, split as asked: by a choice of the story, or (places) by
    // the counters of forms sent online.
    let choice_split = |key: &str| -> (Vec<String>, Vec<Option<usize>>) {
        let var = data.dataset.variable(key);
        let columns = match var {
            Some(Variable::Choice { options, .. }) => {
                options.iter().map(|o| o.label.clone()).collect()
            }
            _ => Vec::new(),
        };
        let groups = (0..data.stories.len())
            .map(|i| match var {
                Some(Variable::Choice { values, .. }) => values.get(i).map(usize::from),
                _ => None,
            })
            .collect();
        (columns, groups)
    };
    let mut periods = Periods::default();
    let split_columns: Vec<String> = match split {
        Split::Place => {
            let mut columns: Vec<String> = places.iter().map(|p| p.name.clone()).collect();
            columns.push("Onbekende code".into());
            columns.push("Zonder plek-link".into());
            for c in counts.iter().filter(|c| c.stage == Stage::Sent.as_str()) {
                let column = match c.place.as_str() {
                    "" => places.len() + 1,
                    UNKNOWN_PLACE => places.len(),
                    code => match places.iter().position(|p| p.code == code) {
                        Some(i) => i,
                        None => continue,
                    },
                };
                let count = u64::try_from(c.count).unwrap_or(0);
                if let Some(week) = week_of_day(&c.day) {
                    periods.add(&c.day, &week, column, columns.len(), count);
                }
            }
            columns
        }
        _ => {
            let (columns, groups): (Vec<String>, Vec<Option<usize>>) = match split {
                Split::Channel => choice_split("kanaal"),
                Split::Gemeente => choice_split(GEMEENTE_QUESTION),
                Split::Language => choice_split("taal"),
                Split::Completeness => (
                    completeness_labels
                        .iter()
                        .map(|(_, l)| l.to_string())
                        .collect(),
                    story_completeness.iter().map(|g| Some(*g)).collect(),
                ),
                Split::Role | Split::Place => (
                    roles.iter().map(|(_, l)| l.clone()).collect(),
                    (0..data.stories.len()).map(role_index).collect(),
                ),
            };
            for (meta, group) in data.stories.iter().zip(&groups) {
                if let Some(column) = group {
                    periods.add(
                        &dutch_day(meta.created_at),
                        &week_of(meta.created_at),
                        *column,
                        columns.len(),
                        1,
                    );
                }
            }
            columns
        }
    };
    let period_rows = |map: BTreeMap<String, Vec<u64>>, limit: usize| -> Vec<PeriodRow> {
        map.into_iter()
            .rev()
            .take(limit)
            .map(|(label, cells)| PeriodRow {
                total: shown(cells.iter().sum(), k),
                cells: cells.iter().map(|c| shown(*c, k)).collect(),
                label,
            })
            .collect()
    };
    let (per_day, per_week) = (periods.days, periods.weeks);

    // The funnel and places, from the counters.
    let mut funnel_total = Funnel::default();
    let mut funnel_roles: BTreeMap<String, Funnel> = BTreeMap::new();
    let mut funnel_days: BTreeMap<String, Funnel> = BTreeMap::new();
    let mut funnel_places: HashMap<String, Funnel> = HashMap::new();
    for c in counts {
        let Some(stage) = Stage::parse(&c.stage) else {
            continue;
        };
        let count = u64::try_from(c.count).unwrap_or(0);
        funnel_total.add(stage, count);
        funnel_roles
            .entry(c.role.clone())
            .or_default()
            .add(stage, count);
        funnel_days
            .entry(c.day.clone())
            .or_default()
            .add(stage, count);
        funnel_places
            .entry(c.place.clone())
            .or_default()
            .add(stage, count);
    }
    let funnel_row = |label: String, f: &Funnel| FunnelRow {
        label,
        opened: shown(f.opened, k),
        started: shown(f.started, k),
        sent: shown(f.sent, k),
        sent_percent: match f.sent_percent() {
            Some(p) if safe(f.opened, k) && safe(f.sent, k) => format!("{p} %"),
            _ => String::new(),
        },
    };
    let mut place_rows: Vec<PlaceRow> = places
        .iter()
        .map(|p| {
            let f = funnel_places.get(&p.code).copied().unwrap_or_default();
            PlaceRow {
                code: p.code.clone(),
                name: p.name.clone(),
                link: crate::domain::campaign::link(
                    base_url.trim_end_matches('/'),
                    &project.slug,
                    crate::domain::translations::SOURCE_LANGUAGE,
                    Some(&p.code),
                ),
                opened: shown(f.opened, k),
                started: shown(f.started, k),
                sent: shown(f.sent, k),
            }
        })
        .collect();
    for (code, name) in [(UNKNOWN_PLACE, "Onbekende code"), ("", "Zonder plek-link")] {
        let f = funnel_places.get(code).copied().unwrap_or_default();
        place_rows.push(PlaceRow {
            code: code.to_string(),
            name: name.to_string(),
            link: String::new(),
            opened: shown(f.opened, k),
            started: shown(f.started, k),
            sent: shown(f.sent, k),
        });
    }
    let by_place = place_rows
        .iter()
        .map(|p| {
            let f = funnel_places.get(&p.code).copied().unwrap_or_default();
            (p.code.clone(), p.name.clone(), f.sent)
        })
        .collect();

    // Duration: the histogram of all days, and per day.
    let mut all: BTreeMap<i64, u64> = BTreeMap::new();
    let mut per_day_hist: BTreeMap<String, BTreeMap<i64, u64>> = BTreeMap::new();
    for (day, bucket, count) in durations {
        let count = u64::try_from(*count).unwrap_or(0);
        *all.entry(*bucket).or_default() += count;
        *per_day_hist
            .entry(day.clone())
            .or_default()
            .entry(*bucket)
            .or_default() += count;
    }
    let median_text = |hist: &BTreeMap<i64, u64>| -> String {
        let measured: u64 = hist.values().sum();
        if !safe(measured, k) {
            return format!("< {k} keer gemeten");
        }
        median_seconds(hist).map(minutes).unwrap_or_default()
    };
    let measured: u64 = all.values().sum();
    let median_days = per_day_hist
        .iter()
        .rev()
        .take(DAYS_SHOWN)
        .map(|(day, hist)| {
            (
                day.clone(),
                median_text(hist),
                shown(hist.values().sum(), k),
            )
        })
        .collect();

    // Questions most often left unanswered (skipped or empty; "weet ik niet" is an answer).
    let mut unanswered: Vec<(String, u64, u64)> = q
        .questions
        .iter()
        .filter_map(|qq| {
            let replies = data.replies.of(&qq.key)?;
            let asked = replies.iter().filter(|r| **r != Reply::NotAsked).count() as u64;
            let empty = replies.iter().filter(|r| **r == Reply::Unanswered).count() as u64;
            (empty > 0).then(|| (qq.label.clone(), empty, asked))
        })
        .collect();
    unanswered.sort_by(|a, b| (b.1 * a.2).cmp(&(a.1 * b.2)).then(b.1.cmp(&a.1)));
    let unanswered = unanswered
        .into_iter()
        .take(UNANSWERED_SHOWN)
        .map(|(label, empty, asked)| UnansweredRow {
            label,
            unanswered: shown(empty, k),
            asked: shown(asked, k),
            percent: if safe(empty, k) && asked > 0 {
                format!("{} %", (empty * 100 + asked / 2) / asked)
            } else {
                String::new()
            },
        })
        .collect();

    let lengths = q
        .roles
        .iter()
        .map(|r| {
            let questions: Vec<_> = q.questions_for(&r.key).collect();
            LengthRow {
                role: r.label.clone(),
                questions: questions.len(),
                sensemaking: questions
                    .iter()
                    .filter(|qq| qq.is_sensemaking_question())
                    .count(),
            }
        })
        .collect();

    Monitor {
        k,
        total: shown(n as u64, k),
        roles: roles.iter().map(|(_, l)| l.clone()).collect(),
        split: split.key(),
        split_columns,
        days: period_rows(per_day, DAYS_SHOWN),
        weeks: period_rows(per_week, usize::MAX),
        by_role: count_rows(
            roles
                .iter()
                .zip(&per_role)
                .map(|((key, label), c)| (key.clone(), label.clone(), *c))
                .collect(),
            k,
        ),
        by_channel: count_rows(by_choice("kanaal"), k),
        by_place: count_rows(by_place, k),
        by_gemeente: count_rows(gemeente_counts, k),
        by_language: count_rows(by_choice("taal"), k),
        by_completeness: count_rows(
            completeness_labels
                .iter()
                .zip(completeness)
                .map(|((key, label), c)| (key.to_string(), label.to_string(), c))
                .collect(),
            k,
        ),
        role_targets,
        gemeente_targets,
        expected_negative: expected,
        expected_negative_typed: expected_set.map(|e| e.to_string()).unwrap_or_default(),
        negative: (tone_answered > 0).then(|| {
            if safe(negative, k) && safe(tone_answered, k) {
                format!(
                    "{} van {} ({} %)",
                    negative,
                    tone_answered,
                    (negative * 100 + tone_answered / 2) / tone_answered
                )
            } else {
                format!("{} van {}", shown(negative, k), shown(tone_answered, k))
            }
        }),
        warnings,
        funnel_total: funnel_row("Alle rollen".into(), &funnel_total),
        funnel_roles: funnel_roles
            .iter()
            .map(|(role, f)| funnel_row(label_of(role), f))
            .collect(),
        funnel_days: funnel_days
            .iter()
            .rev()
            .take(DAYS_SHOWN)
            .map(|(day, f)| funnel_row(day.clone(), f))
            .collect(),
        lengths,
        median: if measured == 0 {
            String::new()
        } else {
            median_text(&all)
        },
        durations: shown(measured, k),
        median_days,
        unanswered,
        places: place_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_read_plainly() {
        assert_eq!(minutes(105.0), "1 min 45 s");
        assert_eq!(minutes(42.4), "42 s");
    }

    #[test]
    fn weeks_are_iso_weeks() {
        // 2026-12-07 is a Monday of ISO week 50.
        assert_eq!(week_of(1_765_100_000 + 365 * 86_400), "2026-W50");
    }
}
