//! Setting projects up from the admin pages: create, texts and rules, open/close, roles.
//! Each change is checked against the user's rights and written to the audit log in the same
//! transaction.

use super::accounts::SignedIn;
use super::audit::{self, action};
use crate::domain::accounts::ProjectAction;
use crate::domain::privacy::{PrivacySettings, ProjectTerm};
use crate::domain::project_form::FieldProblem;
use crate::domain::questionnaire::{default_questionnaire, Questionnaire, QuestionnaireError};
use crate::domain::{ProjectSettings, Role};
use crate::exchange::timestamp::now_unix;
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::projects::{self, SaveOutcome};
use crate::store::Database;

#[derive(Debug, thiserror::Error)]
pub enum ProjectAdminError {
    #[error("the web address is taken")]
    SlugTaken,
    #[error("invalid questionnaire: {0}")]
    Questionnaire(#[from] QuestionnaireError),
    #[error("invalid input")]
    Invalid(Vec<FieldProblem>),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(ProjectAdminError);

impl Refused for ProjectAdminError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::SlugTaken => Refusal::Conflict,
            Self::Questionnaire(_) | Self::Invalid(_) => Refusal::Invalid,
        }
    }
}

/// Where the questionnaire of a new project comes from.
pub enum QuestionnaireSource<'a> {
    /// The shipped default questionnaire.
    Default,
    /// A questionnaire JSON (e.g. exported from another project).
    Json(&'a str),
}

/// Creates a project (admins only). Its slug and name are the ones typed; an imported
/// questionnaire's own slug and title are replaced by them.
pub fn create(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    name: &str,
    source: QuestionnaireSource<'_>,
) -> Result<(), ProjectAdminError> {
    if !by.access.is_admin {
        return Err(ProjectAdminError::Core(ServiceError::NotAllowed));
    }
    let mut questionnaire = match source {
        QuestionnaireSource::Default => default_questionnaire()?,
        QuestionnaireSource::Json(json) => Questionnaire::from_json(json)?,
    };
    questionnaire.slug = slug.to_string();
    questionnaire.title = name.to_string();
    let questionnaire = questionnaire.parse()?;
    let now = now_unix();
    let result = db.write_sync(|conn| {
        if projects::find_summary(conn, slug)?.is_some() {
            return Ok(false);
        }
        projects::create(
            conn,
            &questionnaire,
            &ProjectSettings::shipped_defaults().for_questionnaire(&questionnaire),
            now,
        )?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::PROJECT_CREATE,
            Some(slug),
            None,
            "",
            now,
        )?;
        Ok(true)
    });
    match result {
        Ok(true) => Ok(()),
        Ok(false) => Err(ProjectAdminError::SlugTaken),
        Err(e) if e.is_unique_violation() => Err(ProjectAdminError::SlugTaken),
        Err(e) => Err(e.into()),
    }
}

/// Saves a project's name and settings (begeleider of the project or admin).
pub fn save_settings(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    name: &str,
    settings: &ProjectSettings,
) -> Result<(), ProjectAdminError> {
    if !by.access.can(slug, ProjectAction::Edit) {
        return Err(ProjectAdminError::Core(ServiceError::NotAllowed));
    }
    let now = now_unix();
    let found = db.write_sync(|conn| {
        crate::store::lock_for_transaction(conn, &format!("project:{slug}"))?;
        let Some(stored) = projects::find(conn, slug)? else {
            return Ok(false);
        };
        // The privacy settings and the questionnaire's languages have their own pages; this
        // form leaves them as they are.
        let settings = ProjectSettings {
            privacy: stored.settings.privacy,
            languages: stored.settings.languages,
            ..settings.clone()
        };
        if !projects::rename(conn, slug, name)? || !projects::save_settings(conn, slug, &settings)?
        {
            return Ok(false);
        }
        // Switching originals off removes the ones kept so far, as the setting promises.
        if !settings.keep_redacted_originals {
            crate::store::stories::forget_originals(conn, slug)?;
        }
        audit::log(
            conn,
            Some(&by.actor()),
            action::PROJECT_SETTINGS,
            Some(slug),
            None,
            "",
            now,
        )?;
        Ok(true)
    })?;
    found
        .then_some(())
        .ok_or(ProjectAdminError::Core(ServiceError::NotFound))
}

/// Changes part of a project's stored settings in one locked transaction (so that two pages
/// saving at once cannot undo each other), with an audit entry. `change` edits the settings
/// and returns the entry's detail, or `None` when there is nothing to save. Returns whether
/// anything was saved.
fn change_settings(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    change: impl FnOnce(&mut ProjectSettings) -> Option<String>,
) -> Result<bool, ProjectAdminError> {
    if !by.access.can(slug, ProjectAction::Edit) {
        return Err(ProjectAdminError::Core(ServiceError::NotAllowed));
    }
    let now = now_unix();
    let saved = db.write_sync(|conn| {
        crate::store::lock_for_transaction(conn, &format!("project:{slug}"))?;
        let Some(stored) = projects::find(conn, slug)? else {
            return Ok(None);
        };
        let mut settings = stored.settings;
        let Some(detail) = change(&mut settings) else {
            return Ok(Some(false));
        };
        projects::save_settings(conn, slug, &settings)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::PROJECT_SETTINGS,
            Some(slug),
            None,
            &detail,
            now,
        )?;
        Ok(Some(true))
    })?;
    saved.ok_or(ProjectAdminError::Core(ServiceError::NotFound))
}

/// Saves a project's privacy settings (k, identifying questions, value groups, the
/// anonymiser's terms); the other settings stay as they are.
pub fn save_privacy(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    privacy: &PrivacySettings,
) -> Result<(), ProjectAdminError> {
    change_settings(db, by, slug, |settings| {
        settings.privacy = privacy.clone();
        Some(format!(
            "privacy: k = {}, {} groepen, {} termen",
            privacy.k,
            privacy.value_groups.len(),
            privacy.terms.len()
        ))
    })
    .map(|_| ())
}

/// Adds one term to the anonymiser's list of the project (from the export preview of a
/// story). Returns false when the list had it already.
pub fn add_privacy_term(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    term: &ProjectTerm,
) -> Result<bool, ProjectAdminError> {
    change_settings(db, by, slug, |settings| {
        let terms = &mut settings.privacy.terms;
        if terms.iter().any(|t| t.term == term.term) {
            return None;
        }
        terms.push(term.clone());
        Some(format!("privacy: term toegevoegd ({})", term.kind))
    })
}

/// Opens or closes the vertelpunt for new stories.
pub fn set_open(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    open: bool,
) -> Result<(), ProjectAdminError> {
    if !by.access.can(slug, ProjectAction::Edit) {
        return Err(ProjectAdminError::Core(ServiceError::NotAllowed));
    }
    let now = now_unix();
    let found = db.write_sync(|conn| {
        if !projects::set_open(conn, slug, open)? {
            return Ok(false);
        }
        audit::log(
            conn,
            Some(&by.actor()),
            if open {
                action::PROJECT_OPEN
            } else {
                action::PROJECT_CLOSE
            },
            Some(slug),
            None,
            "",
            now,
        )?;
        Ok(true)
    })?;
    found
        .then_some(())
        .ok_or(ProjectAdminError::Core(ServiceError::NotFound))
}

/// Saves the storyteller roles; part of the questionnaire, so a project with stories gets a
/// new questionnaire version.
pub fn save_roles(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    roles: Vec<Role>,
) -> Result<SaveOutcome, ProjectAdminError> {
    if !by.access.can(slug, ProjectAction::Edit) {
        return Err(ProjectAdminError::Core(ServiceError::NotAllowed));
    }
    let now = now_unix();
    let mut outcome = None;
    let result = db.write_sync(|conn| {
        // Read and save under one lock, so a parallel edit of the questionnaire is not undone.
        crate::store::lock_for_transaction(conn, &format!("project:{slug}"))?;
        let Some(project) = projects::find(conn, slug)? else {
            outcome = Some(Err(ProjectAdminError::Core(ServiceError::NotFound)));
            return Ok(());
        };
        let before = project.questionnaire;
        let mut questionnaire = before.clone();
        questionnaire.roles = roles;
        // Questions limited to a role that no longer exists fail validation: say so.
        let questionnaire = match questionnaire.parse() {
            // A translation of a role text that was just changed no longer fits it.
            Ok(q) => q.without_stale_translations(&before),
            Err(e) => {
                outcome = Some(Err(ProjectAdminError::Questionnaire(e)));
                return Ok(());
            }
        };
        let saved = projects::save_questionnaire(conn, &questionnaire, now)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::QUESTIONNAIRE,
            Some(slug),
            None,
            &format!("rollen; {}", describe(saved)),
            now,
        )?;
        outcome = Some(Ok(saved));
        Ok(())
    });
    result?;
    outcome.unwrap_or(Err(ProjectAdminError::Core(ServiceError::NotFound)))
}

/// A short Dutch description of what saving a questionnaire did.
pub fn describe(outcome: SaveOutcome) -> String {
    match outcome {
        SaveOutcome::Unchanged(v) => format!("niets veranderd (versie {v})"),
        SaveOutcome::Replaced(v) => format!("versie {v} aangepast"),
        SaveOutcome::NewVersion(v) => format!("nieuwe versie {v}"),
    }
}
