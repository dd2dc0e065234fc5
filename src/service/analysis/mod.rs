//! From stored stories to the analysis engine's dataset, and the analyses of a project.
//!
//! Only stories that may be analysed take part: consented, not hidden, not withdrawn (the same
//! selection as an export). Questions are matched across questionnaire versions by key, so a
//! question that stayed the same keeps all its answers.
//!
//! A project's data is read once into a [`ProjectData`] (the dataset of all its analysable
//! stories plus what filters need), and every filter is a selection of it. [`cache`] keeps that
//! data and the scans made of it, and brings the data up to date from the change log
//! (`store::changes`).

pub mod browse;
pub mod cache;
pub mod dashboard;
mod dataset;
mod filter;
mod follow;
pub mod side_by_side;

pub use cache::AnalysisCache;
pub use filter::StoryFilter;

use crate::analysis::dataset::Replies;
use crate::analysis::{self, CompareSettings, Comparison, Dataset, Scan, ScanSettings, Variable};
use crate::domain::Project;
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::stories::{self, Story};
use crate::store::{changes, projects, Database, StoreResult};
use compact_str::CompactString;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};

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
    /// A project in a comparison of projects without the core module (its name: whoever
    /// asked may read it).
    #[error("Het project '{0}' heeft de kernvragen niet. Alleen projecten met de kernvragen kun je naast elkaar zetten.")]
    NoCore(String),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(AnalysisError);

impl Refused for AnalysisError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::NoProject(_) => Refusal::NotFound,
            Self::BadFilter(_) | Self::UnknownFilter(_) | Self::NoCore(_) => Refusal::Invalid,
            Self::NotAllowed => Refusal::NotAllowed,
        }
    }
}

pub use dataset::{dataset, StoryFacts, DERIVED};

/// What the analysis pages need to know of one story besides its answers.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryMeta {
    pub id: CompactString,
    pub created_at: i64,
    pub version: i32,
    pub complete: bool,
    /// The teller allowed quotes from the story.
    pub quotes_allowed: bool,
    /// The number the search index knows the story by (`store::search_index::row_key`).
    pub row_key: i64,
}

impl From<StoryFacts> for StoryMeta {
    fn from(facts: StoryFacts) -> Self {
        StoryMeta {
            id: facts.id,
            created_at: facts.created_at,
            version: facts.version,
            complete: facts.complete,
            quotes_allowed: facts.quotes_allowed,
            row_key: facts.row_key,
        }
    }
}

/// A number for each state of a project's data in this process, so that scans made of one
/// state are never served for another.
fn next_revision() -> i64 {
    static NEXT: AtomicI64 = AtomicI64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// All analysable stories of one project in one state: the dataset (story order is oldest
/// first, then by id) and, in the same order, what filters need that is not an answer.
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
    /// The data of these stories (`facts` in any order, `rows` their answers).
    fn build(
        project: Project,
        mut facts: Vec<StoryFacts>,
        rows: Vec<stories::AnswerRecord>,
        versions: &HashMap<i32, crate::domain::Questionnaire>,
    ) -> StoreResult<Self> {
        in_story_order(&mut facts);
        let mut builder = dataset::Builder::new(&project, &facts, versions);
        builder.add(&rows)?;
        let (dataset, replies) = builder.finish();
        Ok(Self::assemble(project, facts, dataset, replies))
    }

    fn assemble(
        project: Project,
        facts: Vec<StoryFacts>,
        dataset: Dataset,
        replies: Replies,
    ) -> Self {
        ProjectData {
            stories: facts.into_iter().map(StoryMeta::from).collect(),
            dataset,
            replies,
            project,
            revision: next_revision(),
        }
    }

    pub fn from_stories(project: Project, revision: i64, stories: &[Story]) -> Self {
        ProjectData {
            dataset: dataset(&project, stories),
            replies: dataset::replies(&project, stories),
            stories: stories
                .iter()
                .map(|s| StoryMeta::from(StoryFacts::of(&s.record)))
                .collect(),
            project,
            revision,
        }
    }

    /// The stories that `filter` selects.
    pub fn select(&self, filter: &StoryFilter) -> Result<Selection, AnalysisError> {
        filter
            .select(self)
            .map(|keep| Selection { keep, absent: 0 })
    }

    /// The dataset of a selection as the scan should see it: derived properties with a single
    /// value among these stories are left out, because they cannot show a pattern.
    pub fn scan_dataset(&self, selection: &Selection) -> Dataset {
        let mut data = self.dataset.select(&selection.keep);
        drop_single_valued(&mut data);
        data
    }

    /// [`ProjectData::scan_dataset`] made from this data in place, when it is not needed
    /// afterwards (the command line): one copy of the answers in memory instead of two.
    pub fn into_scan_dataset(self, selection: &Selection) -> Dataset {
        let mut data = self.dataset;
        drop(self.stories);
        drop(self.replies);
        data.retain_stories(&selection.keep);
        drop_single_valued(&mut data);
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

/// Derived properties with a single value among the selected stories cannot show a pattern.
fn drop_single_valued(data: &mut Dataset) {
    data.variables.retain(|v| match v {
        Variable::Choice { key, values, .. } if DERIVED.contains(&key.as_str()) => {
            values.iter().flatten().collect::<BTreeSet<_>>().len() > 1
        }
        _ => true,
    });
}

/// Which stories of a [`ProjectData`] a filter keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub keep: Vec<bool>,
    /// Stories of the data that were not there at the moment this selection is of (the
    /// research API's snapshot): neither selected nor counted among the project's stories.
    absent: usize,
}

impl Selection {
    pub fn count(&self) -> usize {
        self.keep.iter().filter(|k| **k).count()
    }

    /// The project's stories this selection is taken from: all of the data's, but those
    /// [`Selection::as_before`] took out.
    pub fn universe(&self) -> usize {
        self.keep.len() - self.absent
    }

    /// The selection as it was before the stories `ids` of `data` were told: they are taken
    /// out of the selection and of the project it is taken from.
    pub fn as_before(&mut self, data: &ProjectData, ids: &std::collections::HashSet<String>) {
        if ids.is_empty() {
            return;
        }
        for (keep, story) in self.keep.iter_mut().zip(&data.stories) {
            if ids.contains(story.id.as_str()) {
                *keep = false;
                self.absent += 1;
            }
        }
    }
}

/// Reads a project's analysable data.
pub fn load_project(db: &Database, slug: &str) -> Result<ProjectData, AnalysisError> {
    Ok(load_with_cursor(db, slug)?.0)
}

/// Story order: oldest first, then by the bytes of the id (not the database's collation), so
/// that cached data finds a changed story by binary search (see `follow`).
fn in_story_order(facts: &mut [StoryFacts]) {
    // Unstable: no two stories share an id, and a stable sort would allocate half the
    // facts again (48 MB for a million stories) although they come from the database in
    // nearly this order.
    facts.sort_unstable_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
}

/// Stories are read this many at a time, and then their answers, so that memory holds the
/// dataset and one chunk of rows, never a whole project's rows.
const CHUNK: i64 = 20_000;

/// Stories whose answer rows are read at a time: a row is a story id, a question key and a
/// value, about 130 bytes in memory, so 5,000 stories of 14 answers are 9 MB.
const ANSWER_CHUNK: usize = 5_000;

/// Reads a project's analysable data and where the change log stood before: reading the log
/// from that cursor on tells what changed since (see `store::changes`).
pub(crate) fn load_with_cursor(
    db: &Database,
    slug: &str,
) -> Result<(ProjectData, changes::Cursor), AnalysisError> {
    let mut conn = db.conn()?;
    let cursor = changes::cursor(&mut conn, slug)?;
    let project =
        projects::find(&mut conn, slug)?.ok_or_else(|| AnalysisError::NoProject(slug.into()))?;
    // One state of the database throughout, although it is read in chunks.
    let data = crate::store::read_snapshot(&mut conn, |conn| read_project(conn, project))?;
    Ok((data, cursor))
}

/// Shared copies of the few distinct roles, languages and channels.
#[derive(Default)]
struct Shared(HashMap<String, std::sync::Arc<str>>);

impl Shared {
    fn get(&mut self, s: String) -> std::sync::Arc<str> {
        if let Some(shared) = self.0.get(&s) {
            return shared.clone();
        }
        let shared: std::sync::Arc<str> = s.as_str().into();
        self.0.insert(s, shared.clone());
        shared
    }
}

fn read_project(
    conn: &mut crate::store::AnyConnection,
    project: Project,
) -> StoreResult<ProjectData> {
    let slug = project.slug.clone();
    let versions = stories::versions_map(conn, &slug)?;
    let mut facts: Vec<StoryFacts> = Vec::new();
    let mut shared = Shared::default();
    let mut uncounted: Vec<usize> = Vec::new();
    loop {
        let after = facts.last().map(|f| (f.created_at, f.id.clone()));
        let chunk = stories::shareable_facts(
            conn,
            &slug,
            after.as_ref().map(|(at, id)| (*at, id.as_str())),
            CHUNK,
        )?;
        let done = (chunk.len() as i64) < CHUNK;
        for row in chunk {
            if row.word_count.is_none() {
                uncounted.push(facts.len());
            }
            facts.push(StoryFacts {
                id: row.id.into(),
                created_at: row.created_at,
                version: row.questionnaire_version,
                role: shared.get(row.role),
                language: shared.get(row.language),
                channel: shared.get(row.channel),
                table: None,
                complete: row.is_complete,
                quotes_allowed: row.consent_quotes,
                words: row
                    .word_count
                    .and_then(|w| u32::try_from(w).ok())
                    .unwrap_or(0),
                row_key: row.row_key,
            });
        }
        if done {
            break;
        }
    }
    // Rows written by an older version while this one started: count from the text.
    if !uncounted.is_empty() {
        let ids: Vec<String> = uncounted.iter().map(|&i| facts[i].id.to_string()).collect();
        let counted: HashMap<String, i32> = stories::count_words(conn, &ids)?.into_iter().collect();
        for &i in &uncounted {
            if let Some(&n) = counted.get(facts[i].id.as_str()) {
                facts[i].words = u32::try_from(n).unwrap_or(0);
            }
        }
    }
    // The verteltafel of each story told at one (a derived question of the analysis).
    let tables = crate::store::story_tables::story_table_names(conn, &slug)?;
    if !tables.is_empty() {
        let at: HashMap<String, String> = tables.into_iter().collect();
        for fact in &mut facts {
            if let Some(name) = at.get(fact.id.as_str()) {
                fact.table = Some(shared.get(name.clone()));
            }
        }
    }
    in_story_order(&mut facts);
    let (dataset, replies) = {
        let mut builder = dataset::Builder::new(&project, &facts, &versions);
        for (n, chunk) in facts.chunks(ANSWER_CHUNK).enumerate() {
            let ids: Vec<&str> = chunk.iter().map(|f| f.id.as_str()).collect();
            let first = n * ANSWER_CHUNK;
            builder.add_for(
                first..first + chunk.len(),
                &stories::answers_of(conn, &ids)?,
            )?;
        }
        builder.finish()
    };
    Ok(ProjectData::assemble(project, facts, dataset, replies))
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
    let dataset = data.into_scan_dataset(&selection);
    Ok(analysis::scan(&dataset, settings))
}

/// A subset of a selection compared with the rest (or the whole) of that selection: `base`
/// selects the stories (e.g. the whole national project), `subset` picks the part among them
/// (e.g. one region's gemeenten: `gemeente=nijmegen`, `gemeente=beuningen`). The questions that
/// define the subset are not compared: they differ by construction. A sentence that would give
/// away a count under the project's k says less (`analysis::compare::protect_sentences`).
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
    let mut compared =
        analysis::compare(&data.scan_dataset(&selection), &in_subset, &skip, settings);
    // The sentences go on the page and on cards: none gives away a count under k.
    let k = data.project.settings.privacy.k();
    let them = settings.reference.dutch();
    analysis::compare::protect_sentences(&mut compared, "deze groep", them, k);
    Ok(compared)
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
