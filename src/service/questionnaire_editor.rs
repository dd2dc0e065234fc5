//! The questionnaire editor's use cases: apply one change to a project's current
//! questionnaire and save it, with an audit entry in the same transaction.
//!
//! Saving goes through `store::projects::save_questionnaire`: a version that no story uses yet
//! is replaced, otherwise the change becomes a new version and stories keep theirs. The change
//! is applied to the questionnaire as it is in the database at that moment (by question key,
//! not by position), so two people editing at once do not undo each other's other changes.

use crate::domain::questionnaire::{QuestionType, Questionnaire, QuestionnaireError};
use crate::domain::questionnaire_edit::{self as edit, EditError, Move, QuestionDraft};
use crate::service::audit::{self, action, Actor};
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::projects::{self, SaveOutcome};
use crate::store::{Database, StoreResult};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("project {0:?} bestaat niet")]
    NotFound(String),
    /// The change is not possible; the message is for the person editing.
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(EditorError);

impl Refused for EditorError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::NotFound(_) => Refusal::NotFound,
            Self::Edit(_) => Refusal::Invalid,
        }
    }
}

/// One change, as the editor offers them.
#[derive(Debug, Clone)]
pub enum Change {
    AddQuestion(QuestionType, QuestionDraft),
    EditQuestion(String, QuestionDraft),
    MoveQuestion(String, Move),
    RemoveQuestion(String),
    IncludeModule(String),
    RemoveModule(String),
    /// A whole questionnaire as JSON; its `slug` is ignored (it goes into this project).
    Import(String),
}

/// What saving did, and the key of a question that was added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub outcome: SaveOutcome,
    pub key: Option<String>,
}

/// The editor's view of a project: its current questionnaire and how many stories use it.
#[derive(Debug, Clone)]
pub struct Current {
    pub name: String,
    pub version: i32,
    pub stories: i64,
    pub questionnaire: Questionnaire,
    /// The languages besides Dutch that the project has switched on for tellers.
    pub languages: Vec<String>,
}

pub fn current(db: &Database, slug: &str) -> Result<Current, EditorError> {
    let mut conn = db.conn()?;
    let project =
        projects::find(&mut conn, slug)?.ok_or_else(|| EditorError::NotFound(slug.into()))?;
    let stories = projects::stories_with_version(&mut conn, slug, project.version)?;
    Ok(Current {
        name: project.name,
        version: project.version,
        stories,
        questionnaire: project.questionnaire,
        languages: project.settings.languages,
    })
}

/// Reads a whole questionnaire for this project from JSON.
fn from_import(slug: &str, json: &str) -> Result<Questionnaire, QuestionnaireError> {
    let mut raw = Questionnaire::read_json(json)?;
    raw.slug = slug.to_string();
    raw.parse()
}

/// Keys that any version of the questionnaire used: a new question must not take them over.
fn used_keys(conn: &mut crate::store::AnyConnection, slug: &str) -> StoreResult<BTreeSet<String>> {
    Ok(projects::versions(conn, slug)?
        .into_iter()
        .flat_map(|(_, q)| q.questions.into_iter().map(|x| x.key))
        .collect())
}

fn what(change: &Change, key: Option<&str>) -> String {
    let key = key.unwrap_or_default();
    match change {
        Change::AddQuestion(..) => format!("vraag {key} toegevoegd"),
        Change::EditQuestion(k, _) => format!("vraag {k} gewijzigd"),
        Change::MoveQuestion(k, Move::Up) => format!("vraag {k} omhoog"),
        Change::MoveQuestion(k, Move::Down) => format!("vraag {k} omlaag"),
        Change::RemoveQuestion(k) => format!("vraag {k} weggehaald"),
        Change::IncludeModule(m) => format!("module {m} toegevoegd"),
        Change::RemoveModule(m) => format!("module {m} weggehaald"),
        Change::Import(_) => "vragenlijst geïmporteerd".into(),
    }
}

/// Applies `change` to the current questionnaire of `slug` and saves the result.
pub fn save(
    db: &Database,
    slug: &str,
    actor: &Actor,
    change: &Change,
    now: i64,
) -> Result<Saved, EditorError> {
    db.write_sync(|conn| {
        // One editor at a time per project, across instances: no lost updates.
        crate::store::lock_for_transaction(conn, &format!("project:{slug}"))?;
        let Some(project) = projects::find(conn, slug)? else {
            return Ok(Err(EditorError::NotFound(slug.into())));
        };
        let q = &project.questionnaire;
        let result = match change {
            Change::AddQuestion(kind, draft) => {
                let retired = used_keys(conn, slug)?;
                edit::add_question(q, *kind, draft, &retired).map(|(q, k)| (q, Some(k)))
            }
            Change::EditQuestion(key, draft) => {
                edit::edit_question(q, key, draft).map(|q| (q, None))
            }
            Change::MoveQuestion(key, dir) => edit::move_question(q, key, *dir).map(|q| (q, None)),
            Change::RemoveQuestion(key) => edit::remove_question(q, key).map(|q| (q, None)),
            Change::IncludeModule(m) => edit::include_module(q, m).map(|q| (q, None)),
            Change::RemoveModule(m) => edit::remove_module(q, m).map(|q| (q, None)),
            Change::Import(json) => from_import(slug, json)
                .map(|q| (q, None))
                .map_err(EditError::from),
        };
        let (next, key) = match result {
            Ok(done) => done,
            Err(e) => return Ok(Err(e.into())),
        };
        // A translation of a Dutch text that was just edited no longer fits it. A whole
        // questionnaire that is imported brings its translations as they are in the file.
        let next = match change {
            Change::Import(_) => next,
            _ => next.without_stale_translations(q),
        };
        let outcome = projects::save_questionnaire(conn, &next, now)?;
        let version = match outcome {
            SaveOutcome::Unchanged(_) => None,
            SaveOutcome::Replaced(v) => Some(format!("versie {v} aangepast")),
            SaveOutcome::NewVersion(v) => Some(format!("nieuwe versie {v}")),
        };
        if let Some(version) = version {
            let detail = format!("{}; {version}", what(change, key.as_deref()));
            audit::log(
                conn,
                Some(actor),
                action::QUESTIONNAIRE,
                Some(slug),
                None,
                &detail,
                now,
            )?;
        }
        Ok(Ok(Saved { outcome, key }))
    })?
}
