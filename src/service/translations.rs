//! Translating a project's questionnaire: reading a translation file (gettext PO) into the
//! current version, switching a language on or off for tellers, and taking over the
//! translations of the shipped questionnaire for texts that are worded the same.
//!
//! Translations are part of the questionnaire, so saving them goes through
//! `store::projects::save_questionnaire` like any other change: a version that stories already
//! use is not changed, the translations then come in a new version. Which languages tellers
//! get is a project setting; a language is only switched on while its translation is
//! complete. Each change is checked against the person's rights and written to the audit log
//! in the same transaction.

use super::accounts::SignedIn;
use super::audit::{self, action};
use crate::domain::accounts::ProjectAction;
use crate::domain::questionnaire::{default_questionnaire, QuestionnaireError};
use crate::domain::translation_file::{self, PoProblem};
use crate::domain::translations::valid_language;
use crate::service::error::{require, Refusal, Refused, ServiceError};
use crate::store::projects::{self, SaveOutcome};
use crate::store::{AnyConnection, Database, StoreResult};

#[derive(Debug, thiserror::Error)]
pub enum TranslationError {
    #[error("Vertalingen in de taal “{0}” kan Vertelpunt niet maken.")]
    UnknownLanguage(String),
    /// The file cannot be taken; every problem, in plain Dutch, with its line.
    #[error("Het bestand is niet ingelezen. {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))]
    File(Vec<PoProblem>),
    #[error("De vertaling is nog niet af: er {} nog {missing} {}. Vertellers krijgen een taal pas als alles vertaald is.", if *.missing == 1 { "ontbreekt" } else { "ontbreken" }, if *.missing == 1 { "tekst" } else { "teksten" })]
    Incomplete { lang: String, missing: usize },
    #[error("De vragenlijst klopt niet meer met deze vertalingen: {0}")]
    Questionnaire(#[from] QuestionnaireError),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(TranslationError);

impl Refused for TranslationError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::UnknownLanguage(_) | Self::File(_) | Self::Questionnaire(_) => Refusal::Invalid,
            Self::Incomplete { .. } => Refusal::Conflict,
        }
    }
}

/// What reading a translation file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Texts whose translation is new or different.
    pub changed: usize,
    /// Entries left as they were: empty or marked fuzzy.
    pub skipped: usize,
    pub outcome: SaveOutcome,
}

fn checked_language(lang: &str) -> Result<(), TranslationError> {
    if valid_language(lang) {
        Ok(())
    } else {
        Err(TranslationError::UnknownLanguage(lang.to_string()))
    }
}

/// Runs `change` on the project under its lock; `Ok(Err(_))` is a refusal to report.
fn with_project<T>(
    db: &Database,
    slug: &str,
    change: impl FnOnce(
        &mut AnyConnection,
        crate::domain::Project,
    ) -> StoreResult<Result<T, TranslationError>>,
) -> Result<T, TranslationError> {
    db.write_sync(|conn| {
        // One change at a time per project, across instances: no lost updates.
        crate::store::lock_for_transaction(conn, &format!("project:{slug}"))?;
        match projects::find(conn, slug)? {
            Some(project) => change(conn, project),
            None => Ok(Err(TranslationError::Core(ServiceError::NotFound))),
        }
    })?
}

/// Reads a PO file for `lang` into the current questionnaire: all of it, or nothing when the
/// file has any problem (an unknown text id, a Dutch text that changed, a broken line).
pub fn import_file(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    lang: &str,
    file: &[u8],
    now: i64,
) -> Result<Imported, TranslationError> {
    require(by, slug, ProjectAction::Edit)?;
    checked_language(lang)?;
    with_project(db, slug, |conn, project| {
        let read = match translation_file::read_translations(&project.questionnaire, lang, file) {
            Ok(read) => read,
            Err(problems) => return Ok(Err(TranslationError::File(problems))),
        };
        let mut questionnaire = project.questionnaire;
        let changed = questionnaire.merge_translations(lang, read.texts);
        let questionnaire = match questionnaire.parse() {
            Ok(q) => q,
            Err(e) => return Ok(Err(e.into())),
        };
        let outcome = projects::save_questionnaire(conn, &questionnaire, now)?;
        if changed > 0 {
            audit::log(
                conn,
                Some(&by.actor()),
                action::QUESTIONNAIRE,
                Some(slug),
                None,
                &format!(
                    "vertaling {lang} ingelezen: {changed} teksten; {}",
                    super::project_admin::describe(outcome)
                ),
                now,
            )?;
        }
        Ok(Ok(Imported {
            changed,
            skipped: read.skipped,
            outcome,
        }))
    })
}

/// Switches the questionnaire in `lang` on or off for the project's tellers. On only when
/// every text of the current version has a translation. Returns whether anything changed.
pub fn set_offered(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    lang: &str,
    on: bool,
    now: i64,
) -> Result<bool, TranslationError> {
    require(by, slug, ProjectAction::Edit)?;
    checked_language(lang)?;
    with_project(db, slug, |conn, project| {
        let mut settings = project.settings;
        let is_on = settings.languages.iter().any(|l| l == lang);
        if on == is_on {
            return Ok(Ok(false));
        }
        if on {
            let missing = project.questionnaire.missing_in(lang).len();
            if missing > 0 {
                return Ok(Err(TranslationError::Incomplete {
                    lang: lang.to_string(),
                    missing,
                }));
            }
            settings.languages.push(lang.to_string());
        } else {
            settings.languages.retain(|l| l != lang);
        }
        projects::save_settings(conn, slug, &settings)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::PROJECT_SETTINGS,
            Some(slug),
            None,
            &format!(
                "vragenlijst in taal {lang} {}",
                if on { "aangezet" } else { "uitgezet" }
            ),
            now,
        )?;
        Ok(Ok(true))
    })
}

/// Takes over the translations of the shipped questionnaire for every text that is worded
/// exactly the same here and has no translation yet (useful for a project that started
/// before the shipped translations existed, or that uses the core questions). Returns how
/// many translations came in.
pub fn adopt_shipped(
    db: &Database,
    by: &SignedIn,
    slug: &str,
    now: i64,
) -> Result<(usize, SaveOutcome), TranslationError> {
    require(by, slug, ProjectAction::Edit)?;
    let shipped = default_questionnaire()?;
    with_project(db, slug, |conn, project| {
        let mut questionnaire = project.questionnaire;
        let adopted = questionnaire.adopt_translations(&shipped);
        let questionnaire = match questionnaire.parse() {
            Ok(q) => q,
            Err(e) => return Ok(Err(e.into())),
        };
        let outcome = projects::save_questionnaire(conn, &questionnaire, now)?;
        if adopted > 0 {
            audit::log(
                conn,
                Some(&by.actor()),
                action::QUESTIONNAIRE,
                Some(slug),
                None,
                &format!(
                    "vertalingen van de standaardvragenlijst overgenomen: {adopted} teksten; {}",
                    super::project_admin::describe(outcome)
                ),
                now,
            )?;
        }
        Ok(Ok((adopted, outcome)))
    })
}

/// How many translations [`adopt_shipped`] would take over, to offer the button only when it
/// does something.
pub fn adoptable(questionnaire: &crate::domain::Questionnaire) -> usize {
    match default_questionnaire() {
        Ok(shipped) => questionnaire.clone().adopt_translations(&shipped),
        Err(_) => 0,
    }
}
