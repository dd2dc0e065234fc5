//! "Later verder": a teller saves an unfinished story without an account and comes back to it
//! with a resume code. The code is shown once; only its hash is stored. A draft lives
//! `Config::draft_days` days and is then erased by the retention run. Drafts are never
//! counted, analysed, exported or shown to staff: nothing but this module reads them.

use crate::domain::answer::SliderChoice;
use crate::domain::codes::normalize_withdrawal_code;
use crate::domain::{Project, RawSubmission};
use crate::security::{sha256_hex, Secret};
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::drafts::{self, DraftRecord};
use crate::store::{Database, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 24 * 60 * 60;

/// The form as typed, as the draft keeps it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftContent {
    pub role: String,
    pub title: String,
    pub text: String,
    pub values: BTreeMap<String, Vec<String>>,
    pub not_applicable: BTreeSet<String>,
    /// Slider choices as the form writes them (`schuif`, `na`, `leeg`, `open`).
    pub slider_choices: BTreeMap<String, String>,
    pub consent_analysis: bool,
    pub consent_quotes: bool,
}

impl DraftContent {
    pub fn of(raw: &RawSubmission) -> Self {
        Self {
            role: raw.role.clone(),
            title: raw.title.clone(),
            text: raw.text.clone(),
            values: raw
                .values
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            not_applicable: raw.not_applicable.iter().cloned().collect(),
            slider_choices: raw
                .slider_choices
                .iter()
                .map(|(k, c)| (k.clone(), c.as_form().to_string()))
                .collect(),
            consent_analysis: raw.consent_analysis,
            consent_quotes: raw.consent_quotes,
        }
    }

    pub fn submission(&self) -> RawSubmission {
        RawSubmission {
            role: self.role.clone(),
            title: self.title.clone(),
            text: self.text.clone(),
            values: self
                .values
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            not_applicable: self.not_applicable.iter().cloned().collect(),
            slider_choices: self
                .slider_choices
                .iter()
                .map(|(k, c)| (k.clone(), SliderChoice::from_form(c)))
                .collect(),
            consent_analysis: self.consent_analysis,
            consent_quotes: self.consent_quotes,
        }
    }
}

/// Which draft a resumed form belongs to, carried (sealed) in that form so that saving again
/// keeps the same code and sending the story erases the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftRef {
    pub project: String,
    pub key_hash: String,
    pub code: String,
}

impl DraftRef {
    pub fn seal(&self, secret: &Secret) -> String {
        secret.seal("concept", self)
    }

    pub fn open(secret: &Secret, sealed: &str, project: &str) -> Option<Self> {
        secret
            .open::<DraftRef>("concept", sealed)
            .filter(|d| d.project == project)
    }
}

#[derive(Debug)]
pub struct SavedDraft {
    /// The resume code, to show once.
    pub code: String,
    pub expires_at: i64,
    pub draft: DraftRef,
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("this is not a resume code")]
    Malformed,
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(DraftError);

impl Refused for DraftError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Malformed => Refusal::Invalid,
        }
    }
}

/// When a draft saved now expires: after `days` days (at least one).
pub fn expiry(now: i64, days: u32) -> i64 {
    now + i64::from(days.max(1)) * DAY
}

/// Saves the form as typed (nothing is checked: a draft may be half done). Saving the same
/// form again, or a resumed one, keeps one draft and one code.
pub async fn save(
    db: &Database,
    secret: &Secret,
    project: &Project,
    raw: &RawSubmission,
    form_key: &str,
    resumed: Option<DraftRef>,
    expires_at: i64,
) -> Result<SavedDraft, DraftError> {
    let now = crate::exchange::timestamp::now_unix();
    let draft = resumed
        .filter(|d| d.project == project.slug)
        .unwrap_or_else(|| DraftRef {
            project: project.slug.clone(),
            key_hash: sha256_hex(form_key),
            code: secret.resume_code(form_key),
        });
    let content = serde_json::to_string(&DraftContent::of(raw))
        .map_err(|e| StoreError::Corrupt(format!("draft: {e}")))?;
    let record = DraftRecord {
        key_hash: draft.key_hash.clone(),
        resume_hash: sha256_hex(&draft.code),
        project_slug: project.slug.clone(),
        content,
        created_at: now,
        updated_at: now,
        expires_at,
    };
    db.write(move |conn| drafts::save(conn, &record)).await?;
    Ok(SavedDraft {
        code: draft.code.clone(),
        expires_at,
        draft,
    })
}

/// The draft a typed resume code belongs to, with the form as it was saved.
pub async fn resume(
    db: &Database,
    project: &Project,
    typed_code: &str,
    now: i64,
) -> Result<(RawSubmission, DraftRef, i64), DraftError> {
    let code = normalize_withdrawal_code(typed_code).ok_or(DraftError::Malformed)?;
    let (slug, hash) = (project.slug.clone(), sha256_hex(&code));
    let record = db
        .run(move |conn| drafts::find_by_resume_hash(conn, &slug, &hash, now))
        .await?
        .ok_or(DraftError::Core(ServiceError::NotFound))?;
    let content: DraftContent = serde_json::from_str(&record.content)
        .map_err(|e| StoreError::Corrupt(format!("draft content: {e}")))?;
    let draft = DraftRef {
        project: project.slug.clone(),
        key_hash: record.key_hash,
        code,
    };
    Ok((content.submission(), draft, record.expires_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn a_draft_gives_back_the_form_as_typed() {
        let raw = RawSubmission {
            role: "ouder".into(),
            title: "Half af".into(),
            text: "Eerst <b>dit</b>, dan…".into(),
            values: HashMap::from([
                ("gehoord".into(), vec!["70".into()]),
                ("hulp".into(), vec!["ggz".into(), "school".into()]),
            ]),
            not_applicable: HashSet::from(["regie".into()]),
            slider_choices: HashMap::from([
                ("gehoord".into(), SliderChoice::Position),
                ("regie".into(), SliderChoice::NotApplicable),
                ("klik".into(), SliderChoice::Skipped),
            ]),
            consent_analysis: true,
            consent_quotes: false,
        };
        let json = serde_json::to_string(&DraftContent::of(&raw)).unwrap();
        let back: DraftContent = serde_json::from_str(&json).unwrap();
        let again = back.submission();
        assert_eq!(again.role, raw.role);
        assert_eq!(again.text, raw.text);
        assert_eq!(again.values, raw.values);
        assert_eq!(again.not_applicable, raw.not_applicable);
        assert_eq!(again.slider_choices, raw.slider_choices);
        assert!(again.consent_analysis && !again.consent_quotes);
    }

    #[test]
    fn a_draft_reference_belongs_to_its_project() {
        let secret = Secret::from_hex(&"34".repeat(32)).unwrap();
        let draft = DraftRef {
            project: "jeugdhulp".into(),
            key_hash: "abc".into(),
            code: "ABCD-EFGH-JKMN".into(),
        };
        let sealed = draft.seal(&secret);
        assert_eq!(DraftRef::open(&secret, &sealed, "jeugdhulp"), Some(draft));
        assert_eq!(DraftRef::open(&secret, &sealed, "ander"), None);
        assert_eq!(DraftRef::open(&secret, "kapot.zegel", "jeugdhulp"), None);
    }
}
