//! Follow-up of verbetervoorstellen: the status of each proposal, dated progress updates by
//! begeleiders or by the owner (through a personal link, no account needed), reopening in a
//! later session, and reminder mails to owners of proposals that have gone quiet.

use super::accounts::SignedIn;
use super::audit::{self, action};
use crate::domain::accounts::ProjectAction;
use crate::domain::codes::base32;
use crate::domain::project_form::FieldProblem;
use crate::domain::sensemaking::{self as rules, Level, NoteKind, ProposalInput, ProposalStatus};
use crate::security::Secret;
use crate::service::error::{require, Refusal, Refused, ServiceError};
use crate::store::outbox::{self, OutgoingMail};
use crate::store::proposals;
pub use crate::store::proposals::{ProposalRecord, UpdateRecord};
use crate::store::sensemaking::{self, SessionRecord};
use crate::store::{AnyConnection, Database, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ProposalError {
    #[error("input")]
    Input(Vec<FieldProblem>),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(ProposalError);

impl Refused for ProposalError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Input(_) => Refusal::Invalid,
        }
    }
}

type Outcome<T> = Result<T, ProposalError>;

fn update_id() -> String {
    format!("VU-{}", base32(&rand::random::<[u8; 8]>(), 10))
}

/// A proposal with what the follow-up pages show of it.
#[derive(Debug, Clone)]
pub struct ProposalDetail {
    pub record: ProposalRecord,
    pub status: ProposalStatus,
    pub level: Level,
    pub session: Option<SessionRecord>,
    pub table_name: Option<String>,
    pub updates: Vec<UpdateRecord>,
    /// (kind, id) of what it grew from.
    pub sources: Vec<(String, String)>,
}

fn detail(conn: &mut AnyConnection, record: ProposalRecord) -> Outcome<ProposalDetail> {
    let session = match &record.session_id {
        Some(id) => sensemaking::find(conn, id)?,
        None => None,
    };
    let table_name = match (&session, &record.table_id) {
        (Some(s), Some(t)) => sensemaking::find_table(conn, &s.id, t)?.map(|t| t.name),
        _ => None,
    };
    Ok(ProposalDetail {
        status: ProposalStatus::parse(&record.status).unwrap_or(ProposalStatus::Nieuw),
        level: Level::parse(&record.level).unwrap_or(Level::Lokaal),
        updates: proposals::updates(conn, &record.id)?,
        sources: proposals::sources(conn, &record.id)?,
        session,
        table_name,
        record,
    })
}

/// A project's proposals (optionally of one status), most recent activity first.
pub fn list(
    db: &Database,
    by: &SignedIn,
    project: &str,
    status: Option<ProposalStatus>,
) -> Outcome<Vec<ProposalDetail>> {
    require(by, project, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    let records = proposals::list(&mut conn, project)?;
    let sessions: Vec<SessionRecord> = sensemaking::list(&mut conn, project)?;
    let mut out = Vec::new();
    for r in records
        .into_iter()
        .filter(|r| status.is_none_or(|s| r.status == s.key()))
    {
        let session = r
            .session_id
            .as_ref()
            .and_then(|id| sessions.iter().position(|s| s.id == *id));
        out.push(ProposalDetail {
            status: ProposalStatus::parse(&r.status).unwrap_or(ProposalStatus::Nieuw),
            level: Level::parse(&r.level).unwrap_or(Level::Lokaal),
            session: session.map(|i| sessions[i].clone()),
            table_name: None,
            updates: Vec::new(),
            sources: Vec::new(),
            record: r,
        });
    }
    Ok(out)
}

pub fn open(db: &Database, by: &SignedIn, project: &str, id: &str) -> Outcome<ProposalDetail> {
    require(by, project, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    let record = proposals::find_in_project(&mut conn, project, id)?
        .ok_or(ProposalError::Core(ServiceError::NotFound))?;
    detail(&mut conn, record)
}

/// Records a dated update (and maybe a new status) in the same transaction as `log`.
fn record_update(
    conn: &mut AnyConnection,
    p: &ProposalRecord,
    author: &str,
    status: ProposalStatus,
    text: &str,
    session: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    proposals::insert_update(
        conn,
        &UpdateRecord {
            id: update_id(),
            proposal_id: p.id.clone(),
            at: now,
            author: author.to_string(),
            status_before: p.status.clone(),
            status_after: status.key().to_string(),
            body: text.to_string(),
            session_id: session.map(String::from),
        },
    )?;
    proposals::save(
        conn,
        &ProposalRecord {
            status: status.key().to_string(),
            last_activity_at: now,
            updated_at: now,
            ..p.clone()
        },
    )
}

fn checked_update(p: &ProposalRecord, status: ProposalStatus, text: &str) -> Outcome<String> {
    rules::check_update(text, p.status != status.key())
        .map_err(|problem| ProposalError::Input(vec![problem]))
}

/// A begeleider's progress update, with an optional new status.
pub fn add_update(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    status: ProposalStatus,
    text: &str,
    now: i64,
) -> Outcome<()> {
    require(by, project, ProjectAction::Facilitate)?;
    write(db, |conn| {
        let p = proposals::find_in_project(conn, project, id)?
            .ok_or(ProposalError::Core(ServiceError::NotFound))?;
        let text = checked_update(&p, status, text)?;
        record_update(conn, &p, &by.name, status, &text, None, now)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::PROPOSAL_UPDATE,
            Some(project),
            Some(id),
            status.key(),
            now,
        )?;
        Ok(())
    })
}

/// Changes the texts, owner, level and reminder period of a proposal. A new owner address
/// gets the mail with the personal link (`mail`), in the same transaction.
#[allow(clippy::too_many_arguments)]
pub fn save(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    text: &ProposalInput,
    remind_after_days: &str,
    mail: &OwnerMail<'_>,
    now: i64,
) -> Outcome<()> {
    require(by, project, ProjectAction::Facilitate)?;
    let mut problems = Vec::new();
    let valid = text.check().map_err(|p| problems.extend(p));
    let days = match remind_after_days.trim().parse::<i32>() {
        Ok(d) if (0..=365).contains(&d) => Some(d),
        _ => {
            problems.push(FieldProblem {
                field: "herinnering",
                message: "Vul een aantal dagen in van 0 tot en met 365 (0 is: geen herinnering)."
                    .into(),
            });
            None
        }
    };
    let (Ok(valid), Some(days), true) = (valid, days, problems.is_empty()) else {
        return Err(ProposalError::Input(problems));
    };
    write(db, |conn| {
        let p = proposals::find_in_project(conn, project, id)?
            .ok_or(ProposalError::Core(ServiceError::NotFound))?;
        let before = p.owner_email.clone();
        let saved = ProposalRecord {
            owner_salt: owner_salt_after(&p, &valid.owner_email),
            title: valid.title,
            action: valid.action,
            so_that: valid.so_that,
            first_step: valid.first_step,
            owner_name: valid.owner_name,
            owner_email: valid.owner_email,
            level: valid.level.key().to_string(),
            remind_after_days: days,
            updated_at: now,
            ..p
        };
        proposals::save(conn, &saved)?;
        mail_owner(conn, mail, &saved, &before, &by.name, now)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::PROPOSAL_SAVE,
            Some(project),
            Some(id),
            "",
            now,
        )?;
        Ok(())
    })
}

/// Puts a proposal on a table of a later session: an update says so, and a finished proposal
/// is opened again ("opgepakt"). Runs inside the caller's transaction.
pub(super) fn reopen(
    conn: &mut AnyConnection,
    p: &ProposalRecord,
    session: &SessionRecord,
    author: &str,
    now: i64,
) -> Result<(), StoreError> {
    let status = ProposalStatus::parse(&p.status).unwrap_or(ProposalStatus::Nieuw);
    let after = if status.is_open() {
        status
    } else {
        ProposalStatus::Opgepakt
    };
    record_update(
        conn,
        p,
        author,
        after,
        &format!("Heropend in de sessie '{}'.", session.title),
        Some(&session.id),
        now,
    )
}

/// Runs `f` in one transaction; its error rolls everything back.
fn write<T>(db: &Database, f: impl FnOnce(&mut AnyConnection) -> Outcome<T>) -> Outcome<T> {
    db.write_with(f)
}

// --- the owner's link -------------------------------------------------------------------

/// What the mail to a newly named handschoenoppakker tells (composed by
/// `mail::compose::proposals`): the proposal, where it was written and by whom, and the token
/// of the owner's personal link.
#[derive(Debug, Clone)]
pub struct OwnerNamed {
    pub proposal: ProposalRecord,
    /// The session it was written in, and the table's name, as far as they still exist.
    pub session: Option<SessionRecord>,
    pub table_name: Option<String>,
    /// Who named the owner: the participant at the table, or the begeleider who changed it.
    pub named_by: String,
    pub token: String,
}

/// What a service needs to mail a newly named owner: the server secret (for the personal
/// link) and the composer of the mail.
pub struct OwnerMail<'a> {
    pub secret: &'a Secret,
    pub compose: &'a dyn Fn(&OwnerNamed) -> OutgoingMail,
}

/// The owner's salt after the address changes to `after`: a new address gets a new personal
/// link, so the old owner's link stops working.
pub(super) fn owner_salt_after(p: &ProposalRecord, after: &str) -> String {
    if rules::owner_address_changed(&p.owner_email, after) {
        crate::security::random_token()
    } else {
        p.owner_salt.clone()
    }
}

/// Queues the mail with the personal link when `p` (as just saved) names an owner address
/// that `before` did not (`""` for a new proposal). Runs inside the caller's transaction, so
/// the proposal is never saved without its mail, nor the mail queued without the proposal.
pub(super) fn mail_owner(
    conn: &mut AnyConnection,
    mail: &OwnerMail<'_>,
    p: &ProposalRecord,
    before: &str,
    named_by: &str,
    now: i64,
) -> Result<(), StoreError> {
    if !rules::owner_mail_due(before, &p.owner_email) {
        return Ok(());
    }
    let session = match &p.session_id {
        Some(id) => sensemaking::find(conn, id)?,
        None => None,
    };
    let table_name = match (&session, &p.table_id) {
        (Some(s), Some(t)) => sensemaking::find_table(conn, &s.id, t)?.map(|t| t.name),
        _ => None,
    };
    let named = OwnerNamed {
        token: owner_token(mail.secret, p),
        proposal: p.clone(),
        session,
        table_name,
        named_by: named_by.to_string(),
    };
    outbox::enqueue(conn, &(mail.compose)(&named), now)?;
    Ok(())
}

/// The token in the owner's personal link: derived from the secret, the proposal and a salt
/// that changes with the owner's address (so it is never stored).
pub fn owner_token(secret: &Secret, p: &ProposalRecord) -> String {
    let sig = secret.sign(
        "voorstel-eigenaar",
        format!("{}:{}", p.id, p.owner_salt).as_bytes(),
    );
    base32(&sig, 26)
}

/// The proposal behind an owner's link, when the token is right.
pub fn for_owner(db: &Database, secret: &Secret, id: &str, token: &str) -> Outcome<ProposalDetail> {
    let mut conn = db.conn()?;
    let record =
        proposals::find(&mut conn, id)?.ok_or(ProposalError::Core(ServiceError::NotFound))?;
    if !token_matches(secret, &record, token) {
        return Err(ProposalError::Core(ServiceError::NotFound));
    }
    detail(&mut conn, record)
}

fn token_matches(secret: &Secret, p: &ProposalRecord, token: &str) -> bool {
    let expected = owner_token(secret, p);
    let given = token.trim().to_ascii_uppercase();
    // Compared without stopping at the first difference, so timing tells nothing.
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The owner's update through their link.
pub fn owner_update(
    db: &Database,
    secret: &Secret,
    id: &str,
    token: &str,
    status: ProposalStatus,
    text: &str,
    now: i64,
) -> Outcome<()> {
    write(db, |conn| {
        let p = proposals::find(conn, id)?.ok_or(ProposalError::Core(ServiceError::NotFound))?;
        if !token_matches(secret, &p, token) {
            return Err(ProposalError::Core(ServiceError::NotFound));
        }
        let text = checked_update(&p, status, text)?;
        let author = format!("{} (handschoenoppakker)", p.owner_name);
        record_update(conn, &p, &author, status, &text, None, now)?;
        audit::log(
            conn,
            None,
            action::PROPOSAL_UPDATE,
            Some(&p.project_slug),
            Some(id),
            status.key(),
            now,
        )?;
        Ok(())
    })
}

/// Queues a reminder for every owner whose open proposal had no update for its period. Safe
/// to run in several instances at once: each reminder is claimed by exactly one. Returns how
/// many were queued.
pub fn send_reminders(
    db: &Database,
    secret: &Secret,
    compose: &dyn Fn(&ProposalRecord, &str) -> OutgoingMail,
    now: i64,
) -> Outcome<usize> {
    let candidates = proposals::with_owner_email(&mut *db.conn()?)?;
    let mut sent = 0;
    for p in candidates {
        let status = ProposalStatus::parse(&p.status).unwrap_or(ProposalStatus::Nieuw);
        if !rules::reminder_due(
            status,
            !p.owner_email.is_empty(),
            p.remind_after_days,
            p.last_activity_at,
            p.reminded_at,
            now,
        ) {
            continue;
        }
        let token = owner_token(secret, &p);
        let queued = db.write_sync(|conn| {
            if !proposals::claim_reminder(conn, &p.id, p.reminded_at, now)? {
                return Ok(false);
            }
            outbox::enqueue(conn, &compose(&p, &token), now)?;
            Ok(true)
        })?;
        if queued {
            sent += 1;
        }
    }
    Ok(sent)
}

/// What kind of thing a proposal grew from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Card,
    Story,
    Note,
    Other,
}

/// One thing a proposal grew from, as far as it still exists.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: SourceKind,
    pub id: String,
    /// A card's or story's title, a note's sentence and author; `None` when it is gone.
    pub label: Option<String>,
    /// The card or story still exists and counts (not withdrawn, hidden or without
    /// consent), so staff may be sent to it.
    pub linkable: bool,
}

/// A proposal with what each of its sources is now.
pub fn open_with_sources(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
) -> Outcome<(ProposalDetail, Vec<Source>)> {
    let detail = open(db, by, project, id)?;
    let mut conn = db.conn()?;
    let sources = describe_sources(&mut conn, project, &detail.record, &detail.sources)?;
    Ok((detail, sources))
}

/// What each of a proposal's sources (`(kind, id)`, as stored) is now: the one description
/// the proposal's page and the session report share.
pub(crate) fn describe_sources(
    conn: &mut AnyConnection,
    project: &str,
    record: &ProposalRecord,
    raw: &[(String, String)],
) -> Result<Vec<Source>, StoreError> {
    let mut sources = Vec::new();
    // A story's title goes out as the export has it (report PDFs and pages reach tables and
    // owners); read the project's terms only when a story is among the sources.
    let mut terms = None;
    for (kind, id) in raw {
        let (kind, label, linkable) = match kind.as_str() {
            "kaart" => {
                let card = crate::store::observations::find_in_project(conn, project, id)?;
                let found = card.is_some();
                (SourceKind::Card, card.map(|o| o.title), found)
            }
            "verhaal" => {
                let found = crate::store::stories::find_many_in_project(
                    conn,
                    project,
                    std::slice::from_ref(id),
                )?;
                let story = found
                    .into_iter()
                    .map(|(s, _)| s)
                    .find(crate::service::observations::usable);
                let linkable = story.is_some();
                if terms.is_none() {
                    terms = Some(
                        crate::store::projects::find(conn, project)?
                            .map(|p| p.settings.privacy.extra_terms())
                            .unwrap_or_default(),
                    );
                }
                let title = story.map(|s| match &terms {
                    Some(terms) => crate::domain::anonymise::anonymise(&s.record.title, terms),
                    None => s.record.title,
                });
                (SourceKind::Story, title, linkable)
            }
            "notitie" => {
                let note = match &record.table_id {
                    Some(table) => sensemaking::find_note(conn, table, id)?,
                    None => None,
                };
                let label = note.map(|n| {
                    let kind = NoteKind::parse(&n.kind).unwrap_or(NoteKind::Kans);
                    format!(
                        "{} ({})",
                        rules::note_sentence(kind, &n.body, &n.so_that),
                        n.author_name
                    )
                });
                (SourceKind::Note, label, false)
            }
            _ => (SourceKind::Other, None, false),
        };
        sources.push(Source {
            kind,
            id: id.clone(),
            label,
            linkable,
        });
    }
    Ok(sources)
}
