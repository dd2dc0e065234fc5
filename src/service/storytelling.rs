//! Telling a story online and withdrawing it later.

use crate::domain::codes::{normalize_withdrawal_code, participant_id, story_id};
use crate::domain::story::{context_answers, validate_submission};
use crate::domain::triage;
use crate::domain::{Answer, Answers, Channel, FieldError, Project, RawSubmission};
use crate::exchange::timestamp::now_unix;
use crate::security::{random_bytes, sha256_hex, Secret};
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::stories::{self, Moderation, StoryRecord};
use crate::store::{Database, StoreError};
use serde::{Deserialize, Serialize};

/// How long a teller can go on to a next story with their context carried over.
pub const CONTINUATION_SECONDS: i64 = 4 * 60 * 60;

/// What carries over from one story to the teller's next one in the same visit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Continuation {
    pub participant: String,
    pub project: String,
    pub role: String,
    pub context: Answers,
    pub expires: i64,
}

impl Continuation {
    pub fn open(secret: &Secret, sealed: &str, project: &str, now: i64) -> Option<Self> {
        secret
            .open::<Continuation>("vervolg", sealed)
            .filter(|c| c.project == project && c.expires > now)
    }

    pub fn seal(&self, secret: &Secret) -> String {
        secret.seal("vervolg", self)
    }
}

#[derive(Debug)]
pub struct Submitted {
    pub story_id: String,
    pub withdrawal_code: String,
    pub continuation: Continuation,
    /// True when this form had already been stored (double click, refresh).
    pub was_duplicate: bool,
    /// True when the safety triage found signal words: the thank-you page then shows the
    /// help lines first. Only the teller's own response carries this.
    pub safety_signal: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the submission has field errors")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(SubmitError);

impl Refused for SubmitError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Invalid(_) => Refusal::Invalid,
        }
    }
}

/// A form's idempotency key: random, from our own form, so short and plain.
pub fn valid_submission_key(key: &str) -> bool {
    (16..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Validates and stores a story told online. Submitting the same form twice stores it once
/// and answers both times with the same story and code.
pub async fn submit(
    db: &Database,
    secret: &Secret,
    project: &Project,
    raw: RawSubmission,
    submission_key: &str,
    carried: Option<Continuation>,
    language: &str,
) -> Result<Submitted, SubmitError> {
    let carried = carried.filter(|c| c.role == raw.role);
    let story = validate_submission(
        &project.questionnaire,
        &project.settings,
        &raw,
        carried.as_ref().map(|c| &c.context),
    )
    .map_err(SubmitError::Invalid)?;

    let key_hash = sha256_hex(submission_key);
    let code = secret.withdrawal_code(submission_key);
    let now = now_unix();
    let participant = carried
        .map(|c| c.participant)
        .unwrap_or_else(|| participant_id(random_bytes()));
    let continuation = Continuation {
        participant: participant.clone(),
        project: project.slug.clone(),
        role: story.role.clone(),
        context: context_answers(&project.questionnaire, &story.answers),
        expires: now + CONTINUATION_SECONDS,
    };

    // Safety triage: a flag for begeleiders, never a reason to refuse or delay the story.
    let signals = triage::scan(
        [story.title.as_str(), story.text.as_str()]
            .into_iter()
            .chain(story.answers.values().filter_map(|a| match a {
                Answer::Text(t) => Some(t.as_str()),
                _ => None,
            })),
        &project.settings.triage_terms,
    );
    let moderation = Moderation {
        safety_flag: signals.flag(),
        ..Default::default()
    };
    let safety_signal = moderation.safety_flag.is_some();

    let mut record = StoryRecord {
        id: story_id(random_bytes()),
        project_slug: project.slug.clone(),
        questionnaire_version: project.version,
        participant_id: Some(participant),
        role: story.role,
        title: story.title,
        body: story.text,
        language: language.to_string(),
        channel: Channel::Online.as_str().to_string(),
        created_at: now,
        is_complete: story.complete,
        consent_analysis: story.consent_analysis,
        consent_quotes: story.consent_quotes,
        withdrawal_code_hash: Some(sha256_hex(&code)),
        withdrawn_at: None,
        submission_key: Some(key_hash.clone()),
        moderation,
    };
    let answers = story.answers;

    // Two tries: a unique violation is either this form stored before (answer with that
    // story) or, very rarely, a clash of random story ids (draw a new one).
    for _ in 0..2 {
        let (r, a) = (record.clone(), answers.clone());
        match db.write(move |conn| stories::insert(conn, &r, &a)).await {
            Ok(()) => {
                return Ok(Submitted {
                    story_id: record.id,
                    withdrawal_code: code,
                    continuation,
                    was_duplicate: false,
                    safety_signal,
                })
            }
            Err(e) if e.is_unique_violation() => {
                let key = key_hash.clone();
                let earlier = db
                    .run(move |conn| stories::find_by_submission_key(conn, &key))
                    .await?;
                if let Some(earlier) = earlier.filter(|s| s.record.project_slug == project.slug) {
                    let mut continuation = continuation;
                    continuation.participant =
                        earlier.record.participant_id.clone().unwrap_or_default();
                    return Ok(Submitted {
                        story_id: earlier.record.id,
                        withdrawal_code: code,
                        continuation,
                        was_duplicate: true,
                        safety_signal: earlier.record.moderation.safety_flag.is_some(),
                    });
                }
                record.id = story_id(random_bytes());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Corrupt("could not find a free story id".into()).into())
}

#[derive(Debug, thiserror::Error)]
pub enum WithdrawError {
    #[error("this is not a withdrawal code")]
    Malformed,
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(WithdrawError);

impl Refused for WithdrawError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Malformed => Refusal::Invalid,
        }
    }
}

/// The story (of this project, not yet withdrawn) that a typed code belongs to.
pub async fn find_for_withdrawal(
    db: &Database,
    project: &str,
    typed_code: &str,
) -> Result<StoryRecord, WithdrawError> {
    let code = normalize_withdrawal_code(typed_code).ok_or(WithdrawError::Malformed)?;
    let hash = sha256_hex(&code);
    let project = project.to_string();
    db.run(move |conn| stories::find_by_withdrawal_hash(conn, &project, &hash))
        .await?
        .ok_or(WithdrawError::Core(ServiceError::NotFound))
}

/// Erases the story's text and answers; a tombstone remains for honest counts.
pub async fn withdraw(
    db: &Database,
    project: &str,
    typed_code: &str,
) -> Result<String, WithdrawError> {
    let story = find_for_withdrawal(db, project, typed_code).await?;
    let (id, slug) = (story.id.clone(), project.to_string());
    let done = db
        .write(move |conn| {
            let now = now_unix();
            let done = stories::withdraw(conn, &id, now)?;
            if done {
                // No actor: the teller is anonymous.
                super::audit::log(
                    conn,
                    None,
                    super::audit::action::STORY_WITHDRAWN,
                    Some(&slug),
                    Some(&id),
                    "",
                    now,
                )?;
            }
            Ok(done)
        })
        .await?;
    if done {
        tracing::info!(story = %story.id, project, "story withdrawn by its teller");
        Ok(story.id)
    } else {
        Err(WithdrawError::Core(ServiceError::NotFound))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submission_keys_are_checked() {
        assert!(valid_submission_key("abcdefghijklmnopQRST-_12"));
        assert!(!valid_submission_key("kort"));
        assert!(!valid_submission_key("met spatie en meer tekens erbij"));
        assert!(!valid_submission_key(&"a".repeat(65)));
    }

    #[test]
    fn continuation_is_bound_to_project_and_time() {
        let secret = Secret::from_hex(&"12".repeat(32)).unwrap();
        let c = Continuation {
            participant: "P-1".into(),
            project: "jeugdhulp".into(),
            role: "ouder".into(),
            context: Answers::new(),
            expires: 1000,
        };
        let sealed = c.seal(&secret);
        assert_eq!(
            Continuation::open(&secret, &sealed, "jeugdhulp", 999),
            Some(c)
        );
        assert_eq!(
            Continuation::open(&secret, &sealed, "jeugdhulp", 1000),
            None
        );
        assert_eq!(Continuation::open(&secret, &sealed, "ander", 999), None);
    }
}
