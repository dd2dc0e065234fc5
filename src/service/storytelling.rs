//! Telling a story online and withdrawing it later.

use crate::domain::codes::{normalize_withdrawal_code, participant_id, story_id};
use crate::domain::story::{context_answers, validate_submission};
use crate::domain::triage;
use crate::domain::{Answer, Answers, Channel, FieldError, Project, RawSubmission};
use crate::exchange::timestamp::now_unix;
use crate::security::{random_bytes, sha256_hex, Secret};
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::drafts;
use crate::store::stories::{self, ChangedContent, Moderation, StoryRecord};
use crate::store::told;
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

/// How long the form offers to change the story just sent (Back, edit, send again).
pub const SENT_STORY_SECONDS: i64 = 15 * 60;

/// The story this browser sent a moment ago, kept (sealed) in a short-lived cookie so that
/// Back + edit + send changes that story instead of storing a second one with the first
/// text still in it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SentStory {
    pub project: String,
    pub story: String,
    /// The form key it was sent with: its hash ties the cookie to the story, and the
    /// withdrawal code is derived from it, so the code stays the same.
    pub key: String,
    pub expires: i64,
}

impl SentStory {
    pub fn open(secret: &Secret, sealed: &str, project: &str, now: i64) -> Option<Self> {
        secret
            .open::<SentStory>("verstuurd", sealed)
            .filter(|s| s.project == project && s.expires > now)
    }

    pub fn seal(&self, secret: &Secret) -> String {
        secret.seal("verstuurd", self)
    }
}

/// The story sent a moment ago as the form shows it again, when it can still be changed
/// (not withdrawn, not redacted by a begeleider).
pub async fn sent_for_change(
    db: &Database,
    project: &Project,
    sent: &SentStory,
) -> Result<Option<RawSubmission>, ServiceError> {
    let id = sent.story.clone();
    let story = db.run(move |conn| stories::find(conn, &id)).await?;
    let key_hash = sha256_hex(&sent.key);
    Ok(story
        .filter(|s| {
            s.record.project_slug == project.slug
                && s.record.submission_key.as_deref() == Some(key_hash.as_str())
                && !s.is_withdrawn()
                && s.record.moderation.redacted_at.is_none()
        })
        .map(|s| {
            RawSubmission::of_story(
                &project.questionnaire,
                &s.record.role,
                &s.record.title,
                &s.record.body,
                &s.answers,
                s.record.consent_analysis,
                s.record.consent_quotes,
            )
        }))
}

/// Whether a story was already stored with this form key (a double click or a refresh,
/// which must get its thank-you page again, also when the address has reached its limit).
pub async fn already_stored(db: &Database, submission_key: &str) -> Result<bool, ServiceError> {
    let key = sha256_hex(submission_key);
    Ok(db
        .run(move |conn| stories::find_by_submission_key(conn, &key))
        .await?
        .is_some())
}

/// What a story post continues: the teller's context from an earlier story in this visit,
/// the story sent a moment ago (to change it), or a draft saved with "Later verder" (erased
/// once the story is stored).
#[derive(Debug, Clone, Default)]
pub struct Earlier {
    pub carried: Option<Continuation>,
    pub sent: Option<SentStory>,
    pub draft: Option<super::drafts::DraftRef>,
}

#[derive(Debug)]
pub struct Submitted {
    pub story_id: String,
    pub withdrawal_code: String,
    pub continuation: Continuation,
    /// True when this form had already been stored (double click, refresh).
    pub was_duplicate: bool,
    /// True when the post changed the story sent a moment ago instead of adding one.
    pub was_changed: bool,
    /// For the cookie that lets Back + edit change this story.
    pub sent: SentStory,
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
    earlier: Earlier,
    language: &str,
) -> Result<Submitted, SubmitError> {
    let carried = earlier.carried.filter(|c| c.role == raw.role);
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

    let (mut record, safety_signal) = told_record(
        project,
        &story,
        participant,
        language,
        Channel::Online,
        &code,
        &key_hash,
        now,
    );
    let answers = story.answers;
    let sent_for = |story: &str, key: &str| SentStory {
        project: project.slug.clone(),
        story: story.to_string(),
        key: key.to_string(),
        expires: now + SENT_STORY_SECONDS,
    };
    let drafts_done: Vec<String> = std::iter::once(key_hash.clone())
        .chain(earlier.draft.as_ref().map(|d| d.key_hash.clone()))
        .collect();

    // Back + edit + send: change the story sent a moment ago from this browser.
    if let Some(sent) = earlier.sent.filter(|s| s.project == project.slug) {
        let content = changed_content(&record);
        let changed = change_story(
            db,
            &sent.story,
            &sha256_hex(&sent.key),
            content,
            answers.clone(),
            drafts_done.clone(),
        )
        .await?;
        if changed {
            let participant = db
                .run({
                    let id = sent.story.clone();
                    move |conn| stories::find(conn, &id)
                })
                .await?
                .and_then(|s| s.record.participant_id);
            let mut continuation = continuation;
            if let Some(p) = participant {
                continuation.participant = p;
            }
            return Ok(Submitted {
                story_id: sent.story.clone(),
                withdrawal_code: secret.withdrawal_code(&sent.key),
                continuation,
                was_duplicate: false,
                was_changed: true,
                safety_signal,
                sent: sent_for(&sent.story, &sent.key),
            });
        }
        // Withdrawn, redacted or gone meanwhile: this becomes a story of its own.
    }

    // Two tries: a unique violation is either this form stored before (answer with that
    // story) or, very rarely, a clash of random story ids (draw a new one).
    for _ in 0..2 {
        let (r, a, done) = (record.clone(), answers.clone(), drafts_done.clone());
        let stored = told::insert(db, r, a, done).await;
        match stored {
            Ok(()) => {
                return Ok(Submitted {
                    sent: sent_for(&record.id, submission_key),
                    story_id: record.id,
                    withdrawal_code: code,
                    continuation,
                    was_duplicate: false,
                    was_changed: false,
                    safety_signal,
                })
            }
            Err(e) if e.is_unique_violation() => {
                let key = key_hash.clone();
                let earlier = db
                    .run(move |conn| stories::find_by_submission_key(conn, &key))
                    .await?;
                if let Some(earlier) = earlier.filter(|s| s.record.project_slug == project.slug) {
                    // The same form again. Changed since (Back, edit, send without the
                    // cookie)? Then the change counts, within the same short time.
                    let edited = earlier.record.title != record.title
                        || earlier.record.body != record.body
                        || earlier.answers != answers;
                    let recent = earlier.record.created_at + SENT_STORY_SECONDS > now;
                    let was_changed = edited
                        && recent
                        && change_story(
                            db,
                            &earlier.record.id,
                            &key_hash,
                            changed_content(&record),
                            answers.clone(),
                            drafts_done.clone(),
                        )
                        .await?;
                    let mut continuation = continuation;
                    continuation.participant =
                        earlier.record.participant_id.clone().unwrap_or_default();
                    return Ok(Submitted {
                        sent: sent_for(&earlier.record.id, submission_key),
                        story_id: earlier.record.id,
                        withdrawal_code: code,
                        continuation,
                        was_duplicate: !was_changed,
                        was_changed,
                        safety_signal: safety_signal
                            || earlier.record.moderation.safety_flag.is_some(),
                    });
                }
                record.id = story_id(random_bytes());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Corrupt("could not find a free story id".into()).into())
}

/// The record of a story just told, with the safety triage's flag: a flag for begeleiders,
/// never a reason to refuse or delay the story. The second value says whether it flagged.
#[allow(clippy::too_many_arguments)]
pub(crate) fn told_record(
    project: &Project,
    story: &crate::domain::story::ValidStory,
    participant: String,
    language: &str,
    channel: Channel,
    code: &str,
    key_hash: &str,
    now: i64,
) -> (StoryRecord, bool) {
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
    let record = StoryRecord {
        id: story_id(random_bytes()),
        project_slug: project.slug.clone(),
        questionnaire_version: project.version,
        participant_id: Some(participant),
        role: story.role.clone(),
        title: story.title.clone(),
        body: story.text.clone(),
        language: language.to_string(),
        channel: channel.as_str().to_string(),
        created_at: now,
        is_complete: story.complete,
        consent_analysis: story.consent_analysis,
        consent_quotes: story.consent_quotes,
        withdrawal_code_hash: Some(sha256_hex(code)),
        withdrawn_at: None,
        submission_key: Some(key_hash.to_string()),
        moderation,
        word_count: None,
    };
    (record, safety_signal)
}

fn changed_content(record: &StoryRecord) -> ChangedContent {
    ChangedContent {
        title: record.title.clone(),
        body: record.body.clone(),
        language: record.language.clone(),
        is_complete: record.is_complete,
        consent_analysis: record.consent_analysis,
        consent_quotes: record.consent_quotes,
        safety_flag: record.moderation.safety_flag.clone(),
    }
}

/// Puts new content in the story sent with the form key hashing to `key_hash`, and erases
/// the drafts it finishes. False when that story cannot be changed (withdrawn, redacted).
async fn change_story(
    db: &Database,
    id: &str,
    key_hash: &str,
    content: ChangedContent,
    answers: Answers,
    drafts_done: Vec<String>,
) -> Result<bool, StoreError> {
    let (id, key_hash) = (id.to_string(), key_hash.to_string());
    db.write(move |conn| {
        let changed = stories::change_content(conn, &id, &key_hash, &content, &answers)?;
        if changed {
            for key in &drafts_done {
                drafts::delete(conn, key)?;
            }
        }
        Ok(changed)
    })
    .await
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
