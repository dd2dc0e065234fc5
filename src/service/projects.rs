//! Projects: the ready default project, importing and exporting questionnaires, the cache
//! that every page reads projects through, and the lists the start pages show.

use crate::domain::accounts::ProjectAction;
use crate::domain::questionnaire::{default_questionnaire, Questionnaire, QuestionnaireError};
use crate::domain::Project;
use crate::domain::ProjectSettings;
use crate::exchange::timestamp::now_unix;
use crate::security::Secret;
use crate::service::accounts::SignedIn;
use crate::service::error::require;
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::projects;
pub use crate::store::projects::{ProjectSummary, SaveOutcome};
pub use crate::store::stories::StoryCounts;
use crate::store::{settings, AnyConnection, Database, StoreError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("de vragenlijst klopt niet: {0}")]
    Questionnaire(#[from] QuestionnaireError),
    #[error("project {0:?} bestaat niet")]
    NotFound(String),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(ProjectError);

impl Refused for ProjectError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Questionnaire(_) => Refusal::Invalid,
            Self::NotFound(_) => Refusal::NotFound,
        }
    }
}

/// Creates the project "Vertelpunt Jeugdhulp" from the shipped questionnaire when the
/// installation has no project at all. Safe when several instances start at once.
pub fn ensure_default_project(db: &Database) -> Result<bool, ProjectError> {
    let questionnaire = default_questionnaire()?;
    let created = db.write_sync(|conn| {
        if projects::count(conn)? > 0 {
            return Ok(false);
        }
        projects::create(
            conn,
            &questionnaire,
            &ProjectSettings::shipped_defaults().for_questionnaire(&questionnaire),
            now_unix(),
        )?;
        Ok(true)
    });
    match created {
        Ok(created) => Ok(created),
        // Another instance created it between our count and insert.
        Err(e) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// What `project import` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Created,
    Saved(SaveOutcome),
}

/// Creates the project the questionnaire names, or saves it as that project's questionnaire
/// (a new version when the current one already has stories).
pub fn import_questionnaire(db: &Database, json: &str) -> Result<ImportOutcome, ProjectError> {
    let questionnaire = Questionnaire::from_json(json)?;
    Ok(db.write_sync(|conn| {
        // The file is the whole questionnaire, its translations included, as it is.
        if projects::find_summary(conn, &questionnaire.slug)?.is_none() {
            projects::create(
                conn,
                &questionnaire,
                &ProjectSettings::shipped_defaults().for_questionnaire(&questionnaire),
                now_unix(),
            )?;
            return Ok(ImportOutcome::Created);
        }
        Ok(ImportOutcome::Saved(projects::save_questionnaire(
            conn,
            &questionnaire,
            now_unix(),
        )?))
    })?)
}

pub fn export_questionnaire(db: &Database, slug: &str) -> Result<String, ProjectError> {
    let mut conn = db.conn()?;
    let project =
        projects::find(&mut conn, slug)?.ok_or_else(|| ProjectError::NotFound(slug.into()))?;
    Ok(project.questionnaire.to_json_pretty())
}

const SECRET_SETTING: &str = "server_secret";

/// The configured secret, or the one kept in the database (made on first start).
pub fn load_secret(
    conn: &mut AnyConnection,
    configured: Option<&str>,
) -> Result<Secret, StoreError> {
    if let Some(hex) = configured {
        return Secret::from_hex(hex).ok_or_else(|| {
            StoreError::Corrupt("VERTELPUNT_SECRET must be at least 64 hex characters".into())
        });
    }
    let hex = settings::get_or_insert(conn, SECRET_SETTING, Secret::generate_hex)?;
    Secret::from_hex(&hex)
        .ok_or_else(|| StoreError::Corrupt("stored server secret is invalid".into()))
}

// --- reading projects ---------------------------------------------------------------------

/// When a project was read, and what was found (also "no such project").
type CachedProject = (Instant, Option<Arc<Project>>);

/// Projects change rarely and are read on every page: keep each for a few seconds.
/// Other instances' changes show up after at most that time.
pub struct ProjectCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, CachedProject>>,
    /// Counts [`ProjectCache::forget`] calls: a read that started before one is not cached.
    forgotten: AtomicU64,
}

impl ProjectCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
            forgotten: AtomicU64::new(0),
        }
    }

    pub async fn get(
        &self,
        db: &Database,
        slug: &str,
    ) -> Result<Option<Arc<Project>>, ServiceError> {
        if let Some((at, project)) = self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(slug)
        {
            if at.elapsed() < self.ttl {
                return Ok(project.clone());
            }
        }
        let generation = self.forgotten.load(Ordering::SeqCst);
        let key = slug.to_string();
        let project = db
            .run(move |conn| projects::find(conn, &key))
            .await?
            .map(Arc::new);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 1000 {
            entries.clear();
        }
        // A change saved meanwhile may be missing from what we read: do not keep it.
        if self.forgotten.load(Ordering::SeqCst) == generation {
            entries.insert(slug.to_string(), (Instant::now(), project.clone()));
        }
        Ok(project)
    }

    /// Drops a project after it was changed here, so that this instance shows the change at
    /// once (other instances follow within the time to live).
    pub fn forget(&self, slug: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.forgotten.fetch_add(1, Ordering::SeqCst);
        entries.remove(slug);
    }
}

/// Every project, by name (the public start page shows the open ones).
pub async fn list(db: &Database) -> Result<Vec<ProjectSummary>, ServiceError> {
    Ok(db.run(projects::list).await?)
}

/// Answers when the database does (the health check).
pub async fn health(db: &Database) -> Result<(), ServiceError> {
    db.run(projects::count).await?;
    Ok(())
}

/// One line of the start page after login.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProjectOverview {
    pub slug: String,
    pub name: String,
    pub is_open: bool,
    /// The person's role here ("Beheerder" for an admin without a role).
    pub role: &'static str,
    pub counts: StoryCounts,
}

/// The projects this person may open, with their story counts.
pub fn overview(db: &Database, by: &SignedIn) -> Result<Vec<ProjectOverview>, ServiceError> {
    let mut conn = db.conn()?;
    let mut lines = Vec::new();
    for p in projects::list(&mut conn)? {
        if !by.access.sees_project(&p.slug) {
            continue;
        }
        let role = by
            .access
            .roles
            .get(&p.slug)
            .map_or("Beheerder", |r| r.label());
        lines.push(ProjectOverview {
            counts: crate::store::stories::counts(&mut conn, &p.slug)?,
            slug: p.slug,
            name: p.name,
            is_open: p.is_open,
            role,
        });
    }
    Ok(lines)
}

/// How many stories a project has (all, withdrawn, complete …).
pub fn story_counts(db: &Database, by: &SignedIn, slug: &str) -> Result<StoryCounts, ServiceError> {
    require(by, slug, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    Ok(crate::store::stories::counts(&mut conn, slug)?)
}

/// The projects whose stories this person may export: (slug, name).
pub fn exportable(db: &Database, by: &SignedIn) -> Result<Vec<(String, String)>, ServiceError> {
    let mut conn = db.conn()?;
    Ok(projects::list(&mut conn)?
        .into_iter()
        .filter(|p| by.access.can(&p.slug, ProjectAction::Export))
        .map(|p| (p.slug, p.name))
        .collect())
}
