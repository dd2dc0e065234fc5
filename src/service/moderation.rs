//! Reading and moderating stories by staff: lists with filters, one story with its answers,
//! marking it reviewed, hiding it from analysis (and showing it again) and redacting a
//! fragment such as a name.
//!
//! Rights are checked here as well as in the web layer, and every change is written to the
//! audit log in the same transaction. The audit log gets ids and counts only: never the
//! fragment, the reason or any story text, because those may name people.

use super::audit::{self, action};
use crate::domain::accounts::ProjectAction;
use crate::domain::moderation::{
    parse_fragment, parse_hide_reason, redact as redact_text, ModerationInputError,
};
use crate::domain::triage;
use crate::domain::{Answer, Questionnaire};
use crate::service::accounts::SignedIn;
use crate::service::error::{require, Refusal, Refused, ServiceError};
use crate::service::staff_search::{self, StaffLinesCache};
use crate::store::stories::{self, Redacted, StaffCounts};
pub use crate::store::stories::{StaffFilter, Story, StoryLine};
use crate::store::{projects, search_index, staff_lines, AnyConnection, Database, StoreResult};

/// Stories per page in a staff list.
pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("the story was withdrawn")]
    Withdrawn,
    /// Someone else changed the story between reading and saving.
    #[error("the story changed meanwhile")]
    Changed,
    #[error("{0}")]
    Input(#[from] ModerationInputError),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(ModerationError);

impl Refused for ModerationError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Withdrawn | Self::Changed => Refusal::Conflict,
            Self::Input(_) => Refusal::Invalid,
        }
    }
}

type Outcome<T> = Result<T, ModerationError>;

/// One page of a staff list, with the counts for every filter.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryList {
    pub lines: Vec<StoryLine>,
    pub counts: StaffCounts,
    /// 1-based; clamped to the pages that exist.
    pub page: i64,
    pub pages: i64,
    /// The counts are estimates (a common word on PostgreSQL: `staff_search`); the pages
    /// known then are this one and the next.
    pub estimated: bool,
}

/// A page of the staff list of `filter`, with the counts of every tab; with `search`, of the
/// stories whose title or text has its words (through `lines`, see `staff_search`).
pub fn list(
    db: &Database,
    lines: &StaffLinesCache,
    by: &SignedIn,
    project: &str,
    filter: StaffFilter,
    search: Option<&str>,
    page: i64,
) -> Outcome<StoryList> {
    require(by, project, ProjectAction::Read)?;
    let terms = search.map(crate::domain::search::terms).unwrap_or_default();
    let searching = search.is_some_and(|s| !s.trim().is_empty());
    if searching && terms.is_empty() {
        // Only separators or operators typed: no word, so no story has it.
        return Ok(StoryList {
            lines: Vec::new(),
            counts: StaffCounts::default(),
            page: 1,
            pages: 1,
            estimated: false,
        });
    }
    if !terms.is_empty() {
        search_index::catch_up(db)?;
    }
    // Counts and page come from the instance's lines of the project (following the change
    // log), with or without a search: counting a million rows per tab took 3 s a request.
    let known = lines.lines(db, project)?;
    let mut conn = db.conn()?;
    let found = if terms.is_empty() {
        staff_search::unfiltered(&known, filter, page, PAGE_SIZE)
    } else {
        staff_search::search(&mut conn, project, &known, &terms, filter, page, PAGE_SIZE)?
    };
    Ok(StoryList {
        lines: staff_lines::lines(&mut conn, project, &found.ids)?,
        counts: found.counts,
        page: found.page,
        pages: found.pages,
        estimated: found.estimated,
    })
}

/// One story as this reader may see it, with the questionnaire version it was answered with.
/// Only people who may moderate see the hide reason and the kept originals.
pub fn open(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
) -> Outcome<(Story, Option<Questionnaire>)> {
    require(by, project, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    let (mut story, questionnaire) = stories::find_in_project(&mut conn, project, id)?
        .ok_or(ModerationError::Core(ServiceError::NotFound))?;
    if !by.access.can(project, ProjectAction::Moderate) {
        let m = &mut story.record.moderation;
        m.hidden_reason = None;
        m.original_title = None;
        m.original_body = None;
    }
    Ok((story, questionnaire))
}

/// Runs a moderation change in one transaction: finds the story (of this project, not
/// withdrawn), lets `change` do its work and returns what it returned.
fn moderate<T>(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    change: impl FnOnce(&mut AnyConnection, Story) -> StoreResult<Outcome<T>>,
) -> Outcome<T> {
    require(by, project, ProjectAction::Moderate)?;
    db.write_sync(|conn| {
        let Some((story, _)) = stories::find_in_project(conn, project, id)? else {
            return Ok(Err(ModerationError::Core(ServiceError::NotFound)));
        };
        if story.is_withdrawn() {
            return Ok(Err(ModerationError::Withdrawn));
        }
        change(conn, story)
    })?
}

/// Marks a story as reviewed. Already reviewed: nothing changes (the first time counts).
pub fn mark_reviewed(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    now: i64,
) -> Outcome<()> {
    moderate(db, by, project, id, |conn, story| {
        if stories::mark_reviewed(conn, &story.record.id, now)? {
            audit::log(
                conn,
                Some(&by.actor()),
                action::STORY_REVIEWED,
                Some(project),
                Some(&story.record.id),
                "",
                now,
            )?;
        }
        Ok(Ok(()))
    })
}

/// Hides a story from analysis and exports, with a reason for colleagues. Hiding also marks
/// the story as reviewed: whoever hides it has read it.
pub fn hide(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    raw_reason: &str,
    now: i64,
) -> Outcome<()> {
    let reason = parse_hide_reason(raw_reason)?;
    moderate(db, by, project, id, |conn, story| {
        stories::hide(conn, &story.record.id, &reason, now)?;
        stories::mark_reviewed(conn, &story.record.id, now)?;
        // The reason stays out of the log: it may name people.
        audit::log(
            conn,
            Some(&by.actor()),
            action::STORY_HIDE,
            Some(project),
            Some(&story.record.id),
            "",
            now,
        )?;
        Ok(Ok(()))
    })
}

/// Takes a hidden story back into analysis. Not hidden: nothing changes.
pub fn show(db: &Database, by: &SignedIn, project: &str, id: &str, now: i64) -> Outcome<()> {
    moderate(db, by, project, id, |conn, story| {
        if stories::show(conn, &story.record.id)? {
            audit::log(
                conn,
                Some(&by.actor()),
                action::STORY_SHOW,
                Some(project),
                Some(&story.record.id),
                "",
                now,
            )?;
        }
        Ok(Ok(()))
    })
}

/// Replaces every occurrence of a typed fragment in the title, the text and the free-text
/// answers by "[weggelaten]". Returns how many were replaced.
///
/// When the project keeps originals, the title and text from before the first redaction are
/// kept (for begeleiders only); otherwise any kept original is dropped and the text is gone.
/// Free-text answers never keep an original.
pub fn redact(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    raw_fragment: &str,
    now: i64,
) -> Outcome<usize> {
    let fragment = parse_fragment(raw_fragment)?;
    moderate(db, by, project, id, |conn, story| {
        let Some(settings) = projects::find(conn, project)?.map(|p| p.settings) else {
            return Ok(Err(ModerationError::Core(ServiceError::NotFound)));
        };
        let record = &story.record;
        let (title, in_title) = redact_text(&record.title, &fragment);
        let (body, in_body) = redact_text(&record.body, &fragment);
        let mut count = in_title + in_body;
        let mut answers = Vec::new();
        for (key, answer) in &story.answers {
            if let Answer::Text(text) = answer {
                let (new_text, n) = redact_text(text, &fragment);
                if n > 0 {
                    count += n;
                    answers.push((key.clone(), new_text));
                }
            }
        }
        if count == 0 {
            return Ok(Err(ModerationInputError::FragmentNotFound.into()));
        }
        let m = &record.moderation;
        let originals = settings.keep_redacted_originals.then(|| {
            (
                m.original_title
                    .clone()
                    .unwrap_or_else(|| record.title.clone()),
                m.original_body
                    .clone()
                    .unwrap_or_else(|| record.body.clone()),
            )
        });
        let kept = originals.is_some();
        let redacted = Redacted {
            title,
            body,
            originals,
            answers,
            at: now,
        };
        if !stories::save_redaction(conn, record, &redacted)? {
            return Ok(Err(ModerationError::Changed));
        }
        // Every quote of the story follows, in this transaction.
        let (quotes_changed, quotes_removed) = crate::service::observations::follow_redaction(
            conn,
            &record.id,
            &fragment,
            &redacted.body,
        )?;
        stories::mark_reviewed(conn, &record.id, now)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::STORY_REDACT,
            Some(project),
            Some(&record.id),
            &format!(
                "{count} keer vervangen; origineel {}; citaten: {quotes_changed} aangepast, \
                 {quotes_removed} weggehaald",
                if kept { "bewaard" } else { "niet bewaard" }
            ),
            now,
        )?;
        Ok(Ok(count))
    })
}

/// Marks a story's safety signal as handled: a begeleider read it and did what was needed.
/// No signal, or already handled: nothing changes.
pub fn mark_safety_handled(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    now: i64,
) -> Outcome<()> {
    moderate(db, by, project, id, |conn, story| {
        if stories::mark_safety_handled(conn, &story.record.id, now)? {
            // Categories only: the matched words stay out of the log.
            audit::log(
                conn,
                Some(&by.actor()),
                action::STORY_SAFETY_HANDLED,
                Some(project),
                Some(&story.record.id),
                story.record.moderation.safety_flag.as_deref().unwrap_or(""),
                now,
            )?;
        }
        Ok(Ok(()))
    })
}

/// The signal words in a story as it is now (title, text, free-text answers), with the
/// shipped list and the project's own terms. For begeleiders only: the words are story text.
pub fn signal_words(story: &Story, extra_terms: &[String]) -> triage::Signals {
    let record = &story.record;
    triage::scan(
        [record.title.as_str(), record.body.as_str()]
            .into_iter()
            .chain(story.answers.values().filter_map(|a| match a {
                Answer::Text(t) => Some(t.as_str()),
                _ => None,
            })),
        extra_terms,
    )
}
