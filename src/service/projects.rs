//! Setting up projects: the ready default project, importing and exporting questionnaires.

use crate::domain::questionnaire::{default_questionnaire, Questionnaire, QuestionnaireError};
use crate::domain::ProjectSettings;
use crate::exchange::timestamp::now_unix;
use crate::security::Secret;
use crate::store::projects::{self, SaveOutcome};
use crate::store::{settings, AnyConnection, Database, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("de vragenlijst klopt niet: {0}")]
    Questionnaire(#[from] QuestionnaireError),
    #[error("project {0:?} bestaat niet")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
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
            &ProjectSettings::shipped_defaults(),
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
        if projects::find(conn, &questionnaire.slug)?.is_none() {
            projects::create(
                conn,
                &questionnaire,
                &ProjectSettings::shipped_defaults(),
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
