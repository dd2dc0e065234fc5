//! From stored stories to the analysis engine's dataset, and the analyses of a project.
//!
//! Only stories that may be analysed take part: consented, not hidden, not withdrawn (the same
//! selection as an export). Questions are matched across questionnaire versions by key, so a
//! question that stayed the same keeps all its answers.
//!
//! A project's data is read once into a [`ProjectData`] (the dataset of all its analysable
//! stories plus what filters need), and every filter is a selection of it. [`cache`] keeps that
//! data and the scans made of it until the project's data revision changes.

pub mod browse;
pub mod cache;
mod dataset;
mod filter;

pub use cache::AnalysisCache;
pub use filter::StoryFilter;

use crate::analysis::dataset::Replies;
use crate::analysis::{self, CompareSettings, Comparison, Dataset, Scan, ScanSettings, Variable};
use crate::domain::Project;
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::stories::{self, Story};
use crate::store::{projects, Database};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("project {0:?} bestaat niet")]
    NoProject(String),
    #[error("filter {0:?} klopt niet: gebruik vraag=antwoord, bijvoorbeeld rol=ouder")]
    BadFilter(String),
    #[error("dit project heeft geen vraag of antwoord {0:?}")]
    UnknownFilter(String),
    #[error("je mag de verhalen van dit project niet lezen")]
    NotAllowed,
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(AnalysisError);

impl Refused for AnalysisError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::NoProject(_) => Refusal::NotFound,
            Self::BadFilter(_) | Self::UnknownFilter(_) => Refusal::Invalid,
            Self::NotAllowed => Refusal::NotAllowed,
        }
    }
}

pub use dataset::{dataset, DERIVED};

/// What the analysis pages need to know of one story besides its answers.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryMeta {
    pub id: String,
    pub created_at: i64,
    pub version: i32,
    pub complete: bool,
    /// The teller allowed quotes from the story.
    pub quotes_allowed: bool,
}

impl StoryMeta {
    fn of(record: &stories::StoryRecord) -> Self {
        StoryMeta {
            id: record.id.clone(),
            created_at: record.created_at,
            version: record.questionnaire_version,
            complete: record.is_complete,
            quotes_allowed: record.consent_quotes,
        }
    }
}

/// All analysable stories of one project at one data revision: the dataset (story order is
/// oldest first) and, in the same order, what filters need that is not an answer.
#[derive(Debug, Clone)]
pub struct ProjectData {
    pub project: Project,
    pub revision: i64,
    pub stories: Vec<StoryMeta>,
    pub dataset: Dataset,
    /// Per question, which stories were not asked it, left it empty or said "weet ik niet".
    pub replies: Replies,
}

impl ProjectData {
    pub fn from_stories(project: Project, revision: i64, stories: &[Story]) -> Self {
        ProjectData {
            dataset: dataset(&project, stories),
            replies: dataset::replies(&project, stories),
            stories: stories.iter().map(|s| StoryMeta::of(&s.record)).collect(),
            project,
            revision,
        }
    }

    /// The stories that `filter` selects.
    pub fn select(&self, filter: &StoryFilter) -> Result<Selection, AnalysisError> {
        filter.select(self).map(|keep| Selection { keep })
    }

    /// The dataset of a selection as the scan should see it: derived properties with a single
    /// value among these stories are left out, because they cannot show a pattern.
    pub fn scan_dataset(&self, selection: &Selection) -> Dataset {
        let mut data = self.dataset.select(&selection.keep);
        data.variables.retain(|v| match v {
            Variable::Choice { key, values, .. } if DERIVED.contains(&key.as_str()) => {
                values.iter().flatten().collect::<BTreeSet<_>>().len() > 1
            }
            _ => true,
        });
        data
    }

    /// Ids of the selected stories, newest first.
    pub fn story_ids(&self, selection: &Selection) -> Vec<&str> {
        self.stories
            .iter()
            .zip(&selection.keep)
            .rev()
            .filter(|(_, k)| **k)
            .map(|(s, _)| s.id.as_str())
            .collect()
    }
}

/// Which stories of a [`ProjectData`] a filter keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub keep: Vec<bool>,
}

impl Selection {
    pub fn count(&self) -> usize {
        self.keep.iter().filter(|k| **k).count()
    }
}

/// Reads a project's analysable data. The revision is read first, so the data is at least as
/// new as the revision it is filed under.
pub fn load_project(db: &Database, slug: &str) -> Result<ProjectData, AnalysisError> {
    let mut conn = db.conn()?;
    let revision = projects::data_revision(&mut conn, slug)?
        .ok_or_else(|| AnalysisError::NoProject(slug.into()))?;
    let project =
        projects::find(&mut conn, slug)?.ok_or_else(|| AnalysisError::NoProject(slug.into()))?;
    let records = stories::shareable_records(&mut conn, slug)?;
    let rows = stories::shareable_answer_rows(&mut conn, slug)?;
    let versions = stories::versions_map(&mut conn, slug)?;
    let replies = dataset::replies_from_rows(&project, &records, &rows, &versions);
    let dataset = dataset::from_rows(&project, &records, rows, &versions)?;
    Ok(ProjectData {
        stories: records.iter().map(StoryMeta::of).collect(),
        dataset,
        replies,
        project,
        revision,
    })
}

/// Loads, selects and scans (without a cache: for the command line).
pub fn scan_project(
    db: &Database,
    slug: &str,
    filter: &StoryFilter,
    settings: ScanSettings,
) -> Result<Scan, AnalysisError> {
    let data = load_project(db, slug)?;
    let selection = data.select(filter)?;
    Ok(analysis::scan(&data.scan_dataset(&selection), settings))
}

/// A subset of a selection compared with the rest (or the whole) of that selection: `base`
/// selects the stories (e.g. the whole national project), `subset` picks the part among them
/// (e.g. one region's gemeenten: `gemeente=nijmegen`, `gemeente=beuningen`). The questions that
/// define the subset are not compared: they differ by construction.
pub fn compare_subset(
    data: &ProjectData,
    base: &StoryFilter,
    subset: &[(String, String)],
    settings: CompareSettings,
) -> Result<Comparison, AnalysisError> {
    let selection = data.select(base)?;
    let mut narrowed = base.clone();
    narrowed.answers.extend(subset.iter().cloned());
    let part = data.select(&narrowed)?;
    let in_subset: Vec<bool> = selection
        .keep
        .iter()
        .zip(&part.keep)
        .filter(|(k, _)| **k)
        .map(|(_, p)| *p)
        .collect();
    let mut skip: Vec<String> = Vec::new();
    for (key, option) in subset {
        skip.push(key.clone());
        skip.push(format!("{key}__{option}"));
    }
    let skip: Vec<&str> = skip.iter().map(String::as_str).collect();
    Ok(analysis::compare(
        &data.scan_dataset(&selection),
        &in_subset,
        &skip,
        settings,
    ))
}

/// Loads and compares (for the command line).
pub fn compare_project(
    db: &Database,
    slug: &str,
    base: &StoryFilter,
    subset: &[(String, String)],
    settings: CompareSettings,
) -> Result<Comparison, AnalysisError> {
    let data = load_project(db, slug)?;
    compare_subset(&data, base, subset, settings)
}
