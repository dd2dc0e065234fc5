//! Writing to the audit log. Every change a signed-in person makes goes through [`log`], in the
//! same transaction as the change itself, so that the log and the data never disagree.

use crate::store::audit::{self, NewAuditEntry};
pub use crate::store::audit::{AuditEntry, AuditFilter};
use crate::store::{AnyConnection, Database, StoreResult};

/// The names of logged actions, one place for all of them (the admin filter lists these).
pub mod action {
    pub const LOGIN_OK: &str = "login.ok";
    pub const LOGIN_FAILED: &str = "login.failed";
    pub const LOGIN_BLOCKED: &str = "login.blocked";
    pub const LOGOUT: &str = "logout";
    pub const SETUP: &str = "account.setup";
    pub const INVITE: &str = "account.invite";
    pub const PASSWORD_SET: &str = "account.password";
    pub const RESET_REQUESTED: &str = "account.reset";
    pub const ROLES: &str = "account.roles";
    pub const DEACTIVATE: &str = "account.deactivate";
    pub const ACTIVATE: &str = "account.activate";
    pub const PROJECT_CREATE: &str = "project.create";
    pub const PROJECT_SETTINGS: &str = "project.settings";
    pub const PROJECT_OPEN: &str = "project.open";
    pub const PROJECT_CLOSE: &str = "project.close";
    pub const QUESTIONNAIRE: &str = "project.questionnaire";
    pub const STORY_REVIEWED: &str = "story.reviewed";
    pub const STORY_HIDE: &str = "story.hide";
    pub const STORY_SHOW: &str = "story.show";
    pub const STORY_REDACT: &str = "story.redact";
    pub const STORY_WITHDRAWN: &str = "story.withdrawn";
    pub const STORY_SAFETY_HANDLED: &str = "story.safety_handled";
    pub const RETENTION: &str = "retention.run";
    pub const EXPORT: &str = "export";
    pub const EXPORT_REFUSED: &str = "export.refused";
    pub const TOKEN_CREATE: &str = "token.create";
    pub const TOKEN_REVOKE: &str = "token.revoke";
    pub const OBSERVATION_CREATE: &str = "observation.create";
    pub const OBSERVATION_SAVE: &str = "observation.save";
    pub const OBSERVATION_FIGURES: &str = "observation.figures";
    pub const SESSION_CREATE: &str = "session.create";
    pub const SESSION_SAVE: &str = "session.save";
    pub const SESSION_CLOSE: &str = "session.close";
    pub const SESSION_OPEN: &str = "session.open";
    pub const SESSION_INVITE: &str = "session.invite";
    pub const SESSION_PHASE: &str = "session.phase";
    pub const SESSION_VOTES: &str = "session.votes";
    pub const SESSION_REGROUP: &str = "session.regroup";
    pub const PROPOSAL_SAVE: &str = "proposal.save";
    pub const PROPOSAL_UPDATE: &str = "proposal.update";
    pub const STORY_TABLE_OPEN: &str = "story_table.open";
    pub const STORY_TABLE_CLOSE: &str = "story_table.close";
    // The response monitor (issue 23, item 2).
    pub const PLACE_LINK_ADD: &str = "place_link.add";
    pub const PLACE_LINK_RENAME: &str = "place_link.rename";
    pub const RESPONSE_TARGETS_SAVE: &str = "response_targets.save";
    // The public results page (issue 23, item 3).
    pub const RESULTS_ON: &str = "results.on";
    pub const RESULTS_OFF: &str = "results.off";
    pub const OBSERVATION_PUBLISH: &str = "observation.publish";
    pub const OBSERVATION_UNPUBLISH: &str = "observation.unpublish";
    // The campaign kit (issue 23, item 1).
    pub const CAMPAIGN_TEXTS_SAVE: &str = "campaign_texts.save";

    /// Every action with a Dutch description, for the filter on the log page.
    pub const ALL: &[(&str, &str)] = &[
        (LOGIN_OK, "Ingelogd"),
        (LOGIN_FAILED, "Inloggen mislukt"),
        (LOGIN_BLOCKED, "Inloggen tijdelijk geblokkeerd"),
        (LOGOUT, "Uitgelogd"),
        (SETUP, "Eerste beheerder aangemaakt"),
        (INVITE, "Uitgenodigd"),
        (PASSWORD_SET, "Wachtwoord ingesteld"),
        (RESET_REQUESTED, "Nieuw wachtwoord aangevraagd"),
        (ROLES, "Rollen gewijzigd"),
        (DEACTIVATE, "Account uitgezet"),
        (ACTIVATE, "Account aangezet"),
        (PROJECT_CREATE, "Project aangemaakt"),
        (PROJECT_SETTINGS, "Projectinstellingen gewijzigd"),
        (PROJECT_OPEN, "Vertelpunt geopend"),
        (PROJECT_CLOSE, "Vertelpunt gesloten"),
        (QUESTIONNAIRE, "Vragenlijst gewijzigd"),
        (STORY_REVIEWED, "Verhaal bekeken"),
        (STORY_HIDE, "Verhaal verborgen"),
        (STORY_SHOW, "Verhaal weer zichtbaar"),
        (STORY_REDACT, "Tekst weggelakt"),
        (STORY_WITHDRAWN, "Verhaal ingetrokken door verteller"),
        (STORY_SAFETY_HANDLED, "Veiligheidssignaal afgehandeld"),
        (RETENTION, "Teksten gewist na de bewaartermijn"),
        (EXPORT, "Gegevens geëxporteerd"),
        (EXPORT_REFUSED, "Export geweigerd"),
        (TOKEN_CREATE, "API-sleutel gemaakt"),
        (TOKEN_REVOKE, "API-sleutel ingetrokken"),
        (OBSERVATION_CREATE, "Observatie gemaakt"),
        (OBSERVATION_SAVE, "Observatie gewijzigd"),
        (OBSERVATION_FIGURES, "Cijfers van een observatie vernieuwd"),
        (SESSION_CREATE, "Duidingssessie gepland"),
        (SESSION_SAVE, "Duidingssessie gewijzigd"),
        (SESSION_CLOSE, "Duidingssessie gesloten"),
        (SESSION_OPEN, "Duidingssessie weer geopend"),
        (SESSION_INVITE, "Uitnodigingen voor een sessie verstuurd"),
        (SESSION_PHASE, "Fase of klok van een sessie gezet"),
        (SESSION_VOTES, "Stemmen van een sessie getoond of verborgen"),
        (
            SESSION_REGROUP,
            "Groepen van een sessie aangepast door de begeleider",
        ),
        (PROPOSAL_SAVE, "Verbetervoorstel gewijzigd"),
        (PROPOSAL_UPDATE, "Voortgang van een voorstel bijgewerkt"),
        (STORY_TABLE_OPEN, "Verteltafel geopend"),
        (STORY_TABLE_CLOSE, "Verteltafel gesloten"),
        (PLACE_LINK_ADD, "Plek-link gemaakt"),
        (PLACE_LINK_RENAME, "Plek-link hernoemd"),
        (RESPONSE_TARGETS_SAVE, "Doelen voor de respons opgeslagen"),
        (RESULTS_ON, "Openbare pagina met resultaten aangezet"),
        (RESULTS_OFF, "Openbare pagina met resultaten uitgezet"),
        (
            OBSERVATION_PUBLISH,
            "Observatie op de openbare pagina gezet",
        ),
        (
            OBSERVATION_UNPUBLISH,
            "Observatie van de openbare pagina gehaald",
        ),
        (
            CAMPAIGN_TEXTS_SAVE,
            "Teksten van het campagnemateriaal gewijzigd",
        ),
    ];

    pub fn describe(name: &str) -> &'static str {
        ALL.iter()
            .find(|(n, _)| *n == name)
            .map_or("Onbekende handeling", |(_, d)| d)
    }
}

/// Who did it: a signed-in user, or nobody (a storyteller, the system).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    pub email: String,
}

/// One entry; `detail` must never contain story text or secrets.
pub fn log(
    conn: &mut AnyConnection,
    actor: Option<&Actor>,
    action: &str,
    project: Option<&str>,
    target: Option<&str>,
    detail: &str,
    now: i64,
) -> StoreResult<()> {
    audit::record(
        conn,
        &NewAuditEntry {
            at: now,
            actor_id: actor.map(|a| a.id.clone()),
            actor_email: actor.map(|a| a.email.clone()),
            action: action.to_string(),
            project_slug: project.map(String::from),
            target: target.map(String::from),
            detail: detail.to_string(),
        },
    )
}

/// The audit log for admins: newest first, at most `limit` entries matching `filter`.
pub fn entries(
    db: &Database,
    by: &crate::domain::accounts::Access,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEntry>, crate::service::error::ServiceError> {
    crate::service::error::require_admin(by)?;
    let mut conn = db.conn()?;
    Ok(audit::list(&mut conn, filter, limit)?)
}
