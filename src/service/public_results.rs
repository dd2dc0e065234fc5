//! The public page "Wat is er met de verhalen gedaan?" of a project (issue 23, item 3):
//! a begeleider switches it on and chooses which ready observation cards it publishes (each
//! change audit-logged); anyone reads it while it is on; a teller with their withdrawal code
//! reads the path of their own story. What the page may show is decided here, not in the
//! template: only published cards that are ready or used, quotes only from tellers who allowed
//! quoting (as `observations::read` gives them), no typical stories, no owner of a proposal,
//! and the number of stories only as "fewer than k" when it is small (docs/privacy.md).

use super::accounts::SignedIn;
use super::audit::{self, action};
use super::observations::{self, ObservationDetail};
use super::storytelling::{self, WithdrawError};
use crate::domain::accounts::ProjectAction;
use crate::domain::observation::ObservationStatus;
use crate::domain::sensemaking::{Level, ProposalStatus};
use crate::service::error::{require, Refusal, Refused, ServiceError};
pub use crate::store::public_results::HeldSession;
use crate::store::{self, public_results, Database};

#[derive(Debug, thiserror::Error)]
pub enum PublicResultsError {
    /// Only a card that is ready or used can be published.
    #[error("Alleen een kaart die klaar is of gebruikt is, kan op de openbare pagina.")]
    NotPublishable,
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(PublicResultsError);

impl Refused for PublicResultsError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::NotPublishable => Refusal::Conflict,
            Self::Core(core) => core.refusal(),
        }
    }
}

type Outcome<T> = Result<T, PublicResultsError>;

/// Whether a card with this status may be on the public page.
pub fn publishable(status: ObservationStatus) -> bool {
    matches!(
        status,
        ObservationStatus::Klaar | ObservationStatus::Gebruikt
    )
}

/// One card as the begeleider chooses: may it be published, is it.
#[derive(Debug, Clone)]
pub struct CardChoice {
    pub id: String,
    pub title: String,
    pub status: ObservationStatus,
    pub published: bool,
}

/// The begeleider's view of the page's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub on: bool,
    pub cards: Vec<CardChoice>,
}

/// The settings of the public page (read right).
pub fn settings(db: &Database, by: &SignedIn, project: &str) -> Outcome<Settings> {
    require(by, project, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    let on = public_results::is_on(&mut conn, project)?;
    let published = public_results::published_ids(&mut conn, project)?;
    let cards = store::observations::list(&mut conn, project)?
        .into_iter()
        .map(|r| CardChoice {
            published: published.contains(&r.id),
            status: ObservationStatus::parse(&r.status).unwrap_or(ObservationStatus::Concept),
            id: r.id,
            title: r.title,
        })
        .collect();
    Ok(Settings { on, cards })
}

/// Switches the page on or off, with its audit entry (only when it changed).
pub fn switch(db: &Database, by: &SignedIn, project: &str, on: bool, now: i64) -> Outcome<()> {
    require(by, project, ProjectAction::Facilitate)?;
    db.write_with(|conn| {
        if public_results::switch(conn, project, on, now)? {
            let what = if on {
                action::RESULTS_ON
            } else {
                action::RESULTS_OFF
            };
            audit::log(conn, Some(&by.actor()), what, Some(project), None, "", now)?;
        }
        Ok(())
    })
}

/// Publishes a card of the project or takes it off the page, with its audit entry (only
/// when it changed). A card in concept is refused; taking one off is always allowed.
pub fn set_published(
    db: &Database,
    by: &SignedIn,
    project: &str,
    observation: &str,
    publish: bool,
    now: i64,
) -> Outcome<()> {
    require(by, project, ProjectAction::Facilitate)?;
    db.write_with(|conn| {
        let record = store::observations::find_in_project(conn, project, observation)?
            .ok_or(PublicResultsError::Core(ServiceError::NotFound))?;
        let changed = if publish {
            let status =
                ObservationStatus::parse(&record.status).unwrap_or(ObservationStatus::Concept);
            if !publishable(status) {
                return Err(PublicResultsError::NotPublishable);
            }
            public_results::publish(conn, project, observation, now)?
        } else {
            public_results::unpublish(conn, project, observation)?
        };
        if changed {
            let what = if publish {
                action::OBSERVATION_PUBLISH
            } else {
                action::OBSERVATION_UNPUBLISH
            };
            audit::log(
                conn,
                Some(&by.actor()),
                what,
                Some(project),
                Some(observation),
                "",
                now,
            )?;
        }
        Ok(())
    })
}

/// A verbetervoorstel as the public page shows it: what the table wrote, its level and
/// status, and when it was last updated. Never the owner's name or address, nor the texts
/// of updates (an owner writes those through a personal link, not for the public).
#[derive(Debug, Clone)]
pub struct PublicProposal {
    pub title: String,
    pub action: String,
    pub so_that: String,
    pub level: Level,
    pub status: ProposalStatus,
    /// The newest progress update, or when the proposal was made.
    pub updated_at: i64,
}

/// Everything the public page shows.
#[derive(Debug, Clone)]
pub struct PublicResults {
    pub k: u32,
    /// The stories told (not withdrawn, not hidden); `None` when fewer than k.
    pub stories: Option<usize>,
    pub sessions: Vec<HeldSession>,
    /// Published cards that are ready or used, with quotes that may be shown and without
    /// their typical stories.
    pub observations: Vec<ObservationDetail>,
    pub proposals: Vec<PublicProposal>,
}

/// The number of stories as the public may see it: `None` under k (but not for none at all).
pub fn shown_total(count: usize, k: u32) -> Option<usize> {
    crate::domain::smallcell::count_is_safe(count, k).then_some(count)
}

/// The public page of the project, or `None` when it is switched off (or the project does
/// not exist): the caller answers 404 either way.
pub fn page(db: &Database, project: &str, now: i64) -> Outcome<Option<PublicResults>> {
    let mut conn = db.conn()?;
    let conn = &mut *conn;
    let Some(p) = store::projects::find(conn, project)? else {
        return Ok(None);
    };
    if !public_results::is_on(conn, project)? {
        return Ok(None);
    }
    let k = p.settings.privacy.k();
    let told = usize::try_from(public_results::told_count(conn, project)?).unwrap_or(0);
    let sessions = public_results::held_sessions(conn, project, now)?;
    let mut cards = Vec::new();
    for id in public_results::published_ids(conn, project)? {
        let mut detail = match observations::read(conn, project, &id) {
            Ok(d) => d,
            Err(observations::ObservationError::Core(ServiceError::NotFound)) => continue,
            Err(observations::ObservationError::Core(e)) => return Err(e.into()),
            Err(e) => {
                tracing::warn!(observation = %id, "published card unreadable: {e}");
                continue;
            }
        };
        if !publishable(detail.status) {
            continue;
        }
        // The public sees figures and quotes, never the stories themselves.
        detail.stories.clear();
        cards.push(detail);
    }
    let mut proposals = Vec::new();
    for r in store::proposals::list(conn, project)? {
        let latest = store::proposals::updates(conn, &r.id)?
            .iter()
            .map(|u| u.at)
            .max()
            .unwrap_or(r.created_at);
        proposals.push(PublicProposal {
            level: Level::parse(&r.level).unwrap_or(Level::Lokaal),
            status: ProposalStatus::parse(&r.status).unwrap_or(ProposalStatus::Nieuw),
            title: r.title,
            action: r.action,
            so_that: r.so_that,
            updated_at: latest,
        });
    }
    Ok(Some(PublicResults {
        k,
        stories: shown_total(told, k),
        sessions,
        observations: cards,
        proposals,
    }))
}

/// Where one observation took the story up: its title when the card is on the public page,
/// otherwise nothing about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardMention {
    Published(String),
    Unpublished,
}

/// The path of one story, for its teller only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryPath {
    pub told_at: i64,
    /// When the sessions started at whose tables it lay.
    pub read_at: Vec<i64>,
    pub cards: Vec<CardMention>,
}

/// The path of the story whose withdrawal code this is, while the page is on. A code of no
/// story (or of a withdrawn one: withdrawal erases the code's hash) is
/// `WithdrawError::Core(NotFound)`, exactly as the withdrawal form has it.
pub async fn story_path(
    db: &Database,
    project: &str,
    typed_code: &str,
    now: i64,
) -> Result<StoryPath, WithdrawError> {
    let story = storytelling::find_for_withdrawal(db, project, typed_code).await?;
    let (slug, id) = (project.to_string(), story.id.clone());
    let (read_at, cards) = db
        .run(move |conn| {
            let read_at = public_results::sessions_of_story(conn, &slug, &id, now)?;
            let published = public_results::published_ids(conn, &slug)?;
            let mut cards = Vec::new();
            for oid in public_results::observations_of_story(conn, &id)? {
                let Some(r) = store::observations::find_in_project(conn, &slug, &oid)? else {
                    continue;
                };
                let status =
                    ObservationStatus::parse(&r.status).unwrap_or(ObservationStatus::Concept);
                cards.push(if published.contains(&oid) && publishable(status) {
                    CardMention::Published(r.title)
                } else {
                    CardMention::Unpublished
                });
            }
            Ok((read_at, cards))
        })
        .await?;
    Ok(StoryPath {
        told_at: story.created_at,
        read_at,
        cards,
    })
}

/// Whether the project's page is on (for the links on the teller's other pages).
pub async fn is_on(db: &Database, project: &str) -> Result<bool, ServiceError> {
    let slug = project.to_string();
    Ok(db
        .run(move |conn| public_results::is_on(conn, &slug))
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ready_or_used_cards_can_be_published() {
        assert!(!publishable(ObservationStatus::Concept));
        assert!(publishable(ObservationStatus::Klaar));
        assert!(publishable(ObservationStatus::Gebruikt));
    }

    #[test]
    fn a_small_total_is_not_shown() {
        assert_eq!(shown_total(0, 5), Some(0));
        assert_eq!(shown_total(1, 5), None);
        assert_eq!(shown_total(4, 5), None);
        assert_eq!(shown_total(5, 5), Some(5));
        assert_eq!(shown_total(120, 10), Some(120));
    }
}
