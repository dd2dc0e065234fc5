//! Duidingssessies: a begeleider plans a session with tables and the material each reads;
//! participants join without an account through the session's link, write notes at their
//! table, cluster and vote on them, and write verbetervoorstellen.
//!
//! Participants are identified by a [`Seat`] (their participant row, found from a signed
//! cookie); every change they make goes through [`at_table`], which refuses a closed session
//! and bumps the table's revision so that the other boards at the table reload.

use super::accounts::SignedIn;
use super::audit::{self, action};
use super::observations::{self as obs, ObservationDetail};
pub use super::proposals::{Source, SourceKind};
use crate::domain::accounts::ProjectAction;
use crate::domain::codes::base32;
use crate::domain::observation::ObservationStatus;
use crate::domain::project_form::FieldProblem;
use crate::domain::sensemaking::{
    self as rules, AfterClose, MaterialKind, MaterialLoad, NoteInput, Perspective, ProposalInput,
    ProposalStatus, TableColour, ValidPlan, DEFAULT_REMIND_DAYS,
};
use crate::domain::Questionnaire;
use crate::security::{sha256_hex, Secret};
use crate::service::error::{require, Refusal, Refused, ServiceError};
use crate::store::observations as obs_store;
use crate::store::outbox::{self, OutgoingMail};
use crate::store::proposals::{self, ProposalRecord, UpdateRecord};
use crate::store::sensemaking::{self, ClusterRecord, ParticipantRecord, TableRecord};
pub use crate::store::sensemaking::{NoteRecord, SessionRecord};
use crate::store::stories::{self, Story};
use crate::store::{AnyConnection, Database};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, thiserror::Error)]
pub enum SensemakingError {
    #[error("Deze sessie is gesloten. Je kunt niets meer veranderen.")]
    Closed,
    #[error("input")]
    Input(Vec<FieldProblem>),
    #[error("Je hebt al je {0} stemmen gegeven. Haal eerst een stem weg bij een andere groep.")]
    NoVotesLeft(i32),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(SensemakingError);

impl Refused for SensemakingError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Closed | Self::NoVotesLeft(_) => Refusal::Conflict,
            Self::Input(_) => Refusal::Invalid,
        }
    }
}

pub type Outcome<T> = Result<T, SensemakingError>;

fn input(field: &'static str, message: impl Into<String>) -> SensemakingError {
    SensemakingError::Input(vec![FieldProblem {
        field,
        message: message.into(),
    }])
}

pub(super) fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", base32(&rand::random::<[u8; 8]>(), 10))
}

/// The code in a session's join link: 20 base32 characters (100 bits) derived from the server
/// secret, the session and a salt, so it is unguessable and never stored; renewing the salt
/// makes a new link and switches the old one off.
pub fn join_code(secret: &Secret, session_id: &str, salt: &str) -> String {
    let sig = secret.sign("sessie-code", format!("{session_id}:{salt}").as_bytes());
    base32(&sig, 20)
}

/// What the database keeps of a join code (codes are compared case-insensitively).
pub fn code_hash(code: &str) -> String {
    sha256_hex(&code.trim().to_ascii_uppercase())
}

/// Runs a begeleider's change to a session of this project in one transaction, with its
/// audit entry.
fn change<T>(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    audit_action: &str,
    now: i64,
    f: impl FnOnce(&mut AnyConnection, &SessionRecord) -> Outcome<T>,
) -> Outcome<T> {
    require(by, project, ProjectAction::Facilitate)?;
    db.write_with(|conn| {
        let record = sensemaking::find_in_project(conn, project, id)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        let value = f(conn, &record)?;
        audit::log(
            conn,
            Some(&by.actor()),
            audit_action,
            Some(project),
            Some(id),
            "",
            now,
        )?;
        Ok(value)
    })
}

// --- planning ---------------------------------------------------------------------------

/// Plans a session with one first table. Returns its id.
pub fn create(
    db: &Database,
    by: &SignedIn,
    secret: &Secret,
    project: &str,
    plan: &ValidPlan,
    now: i64,
) -> Outcome<String> {
    require(by, project, ProjectAction::Facilitate)?;
    let id = new_id("SE");
    let salt = crate::security::random_token();
    let record = SessionRecord {
        id: id.clone(),
        project_slug: project.to_string(),
        title: plan.title.clone(),
        starts_at: plan.starts_at,
        duration_minutes: plan.duration_minutes,
        place: plan.place.clone(),
        is_online: plan.online,
        purpose: plan.purpose.clone(),
        code_hash: code_hash(&join_code(secret, &id, &salt)),
        code_salt: salt,
        closed_at: None,
        after_close: plan.after_close.key().to_string(),
        max_cards: plan.max_cards,
        max_stories: plan.max_stories,
        votes_per_person: plan.votes_per_person,
        created_by: Some(by.id.clone()),
        created_at: now,
        updated_at: now,
        phase: String::new(),
        phase_started_at: None,
        phase_ends_at: None,
        votes_revealed_at: None,
    };
    db.write_sync(|conn| {
        sensemaking::insert(conn, &record)?;
        sensemaking::insert_table(conn, &new_table(&id, "Tafel 1", TableColour::Blauw, 0))?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::SESSION_CREATE,
            Some(project),
            Some(&id),
            "",
            now,
        )
    })?;
    Ok(id)
}

fn new_table(session: &str, name: &str, colour: TableColour, position: i32) -> TableRecord {
    TableRecord {
        id: new_id("TA"),
        session_id: session.to_string(),
        name: name.to_string(),
        colour: colour.key().to_string(),
        position,
        revision: 0,
    }
}

/// Saves a changed plan.
pub fn save_plan(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    plan: &ValidPlan,
    now: i64,
) -> Outcome<()> {
    change(db, by, project, id, action::SESSION_SAVE, now, |conn, r| {
        sensemaking::save(
            conn,
            &SessionRecord {
                title: plan.title.clone(),
                starts_at: plan.starts_at,
                duration_minutes: plan.duration_minutes,
                place: plan.place.clone(),
                is_online: plan.online,
                purpose: plan.purpose.clone(),
                after_close: plan.after_close.key().to_string(),
                max_cards: plan.max_cards,
                max_stories: plan.max_stories,
                votes_per_person: plan.votes_per_person,
                updated_at: now,
                ..r.clone()
            },
        )?;
        Ok(())
    })
}

pub fn list(db: &Database, by: &SignedIn, project: &str) -> Outcome<Vec<SessionRecord>> {
    require(by, project, ProjectAction::Read)?;
    Ok(sensemaking::list(&mut *db.conn()?, project)?)
}

/// A table with its material, as the planning page and the table itself show it.
#[derive(Debug, Clone)]
pub struct TableView {
    pub record: TableRecord,
    pub colour: TableColour,
    pub cards: Vec<ObservationDetail>,
    /// Observation ids chosen for the table that cannot be shown any more.
    pub cards_missing: usize,
    /// The stories as the table shows them: without names and numbers, unless the begeleider
    /// approved the story's own text ([`TableView::shows_original`]).
    pub stories: Vec<(Story, Option<Questionnaire>)>,
    pub stories_missing: usize,
    /// Story ids whose own text a begeleider approved for this table (their tellers allowed
    /// quotes); every other story is shown anonymised.
    pub originals: Vec<String>,
    pub reopened: Vec<ProposalRecord>,
    pub warnings: Vec<String>,
}

/// A session with its tables and participants.
#[derive(Debug, Clone)]
pub struct SessionDetail {
    pub record: SessionRecord,
    pub tables: Vec<TableView>,
    pub participants: Vec<ParticipantRecord>,
    /// Notes per table id.
    pub note_counts: HashMap<String, i64>,
}

impl TableView {
    /// Whether the table shows this story's own text (approved) rather than the text without
    /// names and numbers.
    pub fn shows_original(&self, story: &str) -> bool {
        self.originals.iter().any(|id| id == story)
    }
}

/// The text of a story as a table shows it when its own text was not approved: title, text
/// and free-text answers anonymised like the research export, with the project's own terms.
fn anonymise_story(story: &mut Story, terms: &crate::domain::anonymise::ExtraTerms) {
    use crate::domain::anonymise::anonymise;
    let record = &mut story.record;
    record.title = anonymise(&record.title, terms);
    record.body = anonymise(&record.body, terms);
    for answer in story.answers.values_mut() {
        if let crate::domain::Answer::Text(text) = answer {
            *text = anonymise(text, terms);
        }
    }
}

impl SessionDetail {
    pub fn is_closed(&self) -> bool {
        self.record.closed_at.is_some()
    }

    pub fn table(&self, id: &str) -> Option<&TableView> {
        self.tables.iter().find(|t| t.record.id == id)
    }
}

fn table_view(
    conn: &mut AnyConnection,
    session: &SessionRecord,
    record: TableRecord,
) -> Outcome<TableView> {
    let project = &session.project_slug;
    let materials = sensemaking::materials(conn, &record.id)?;
    let of = |kind: MaterialKind| -> Vec<String> {
        materials
            .iter()
            .filter(|m| m.kind == kind.key())
            .map(|m| m.ref_id.clone())
            .collect()
    };
    let terms = crate::store::projects::find(conn, project)?
        .map(|p| p.settings.privacy.extra_terms())
        .unwrap_or_default();
    let card_ids = of(MaterialKind::Kaart);
    let mut cards = Vec::new();
    for id in &card_ids {
        match obs::read(conn, project, id) {
            Ok(mut detail) => {
                // Quotes and typical stories at a table: without names and numbers too.
                for quote in &mut detail.quotes {
                    quote.text = crate::domain::anonymise::anonymise(&quote.text, &terms);
                }
                for (story, _) in &mut detail.stories {
                    anonymise_story(story, &terms);
                }
                cards.push(detail)
            }
            Err(obs::ObservationError::Core(ServiceError::NotFound)) => {}
            Err(obs::ObservationError::Core(ServiceError::Store(e))) => return Err(e.into()),
            Err(_) => {}
        }
    }
    let story_ids = of(MaterialKind::Verhaal);
    let mut found = stories::find_many_in_project(conn, project, &story_ids)?;
    found.retain(|(s, _)| obs::usable(s));
    // In the order the begeleider chose them.
    found.sort_by_key(|(s, _)| story_ids.iter().position(|id| *id == s.record.id));
    for (story, _) in &mut found {
        let m = &mut story.record.moderation;
        m.hidden_reason = None;
        m.original_title = None;
        m.original_body = None;
    }
    // Approved only while the teller's permission for quotes stands.
    let originals: Vec<String> = materials
        .iter()
        .filter(|m| m.kind == MaterialKind::Verhaal.key() && m.original_approved)
        .filter(|m| {
            found
                .iter()
                .any(|(s, _)| s.record.id == m.ref_id && s.record.consent_quotes)
        })
        .map(|m| m.ref_id.clone())
        .collect();
    for (story, _) in &mut found {
        if !originals.contains(&story.record.id) {
            anonymise_story(story, &terms);
        }
    }
    let mut reopened = Vec::new();
    for id in of(MaterialKind::Voorstel) {
        if let Some(p) = proposals::find_in_project(conn, project, &id)? {
            reopened.push(p);
        }
    }
    let load = MaterialLoad {
        cards: cards.len(),
        stories: found.len(),
    };
    Ok(TableView {
        colour: TableColour::parse(&record.colour).unwrap_or(TableColour::Grijs),
        record,
        cards_missing: card_ids.len() - cards.len(),
        stories_missing: story_ids.len() - found.len(),
        stories: found,
        originals,
        reopened,
        warnings: load.warnings(session.max_cards, session.max_stories),
        cards,
    })
}

fn detail(conn: &mut AnyConnection, record: SessionRecord) -> Outcome<SessionDetail> {
    let mut tables = Vec::new();
    for t in sensemaking::tables(conn, &record.id)? {
        tables.push(table_view(conn, &record, t)?);
    }
    Ok(SessionDetail {
        participants: sensemaking::participants(conn, &record.id)?,
        note_counts: sensemaking::note_counts(conn, &record.id)?
            .into_iter()
            .collect(),
        tables,
        record,
    })
}

pub fn open(db: &Database, by: &SignedIn, project: &str, id: &str) -> Outcome<SessionDetail> {
    require(by, project, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    let record = sensemaking::find_in_project(&mut conn, project, id)?
        .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
    detail(&mut conn, record)
}

/// The session behind a join code, if any (closed ones too: the caller decides).
pub fn by_code(db: &Database, code: &str) -> Outcome<Option<SessionDetail>> {
    let mut conn = db.conn()?;
    match sensemaking::find_by_code_hash(&mut conn, &code_hash(code))? {
        Some(record) => Ok(Some(detail(&mut conn, record)?)),
        None => Ok(None),
    }
}

/// The link code of a session the begeleider may read.
pub fn code_of(secret: &Secret, session: &SessionRecord) -> String {
    join_code(secret, &session.id, &session.code_salt)
}

/// Adds a table (at most [`rules::MAX_TABLES`]).
pub fn add_table(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    name: &str,
    colour: &str,
    now: i64,
) -> Outcome<String> {
    let (name, colour) = check_table(name, colour)?;
    change(db, by, project, id, action::SESSION_SAVE, now, |conn, r| {
        let tables = sensemaking::tables(conn, &r.id)?;
        if tables.len() >= rules::MAX_TABLES {
            return Err(input(
                "tafel",
                format!(
                    "Een sessie kan hoogstens {} tafels hebben.",
                    rules::MAX_TABLES
                ),
            ));
        }
        let position = tables.iter().map(|t| t.position + 1).max().unwrap_or(0);
        let table = new_table(&r.id, &name, colour, position);
        sensemaking::insert_table(conn, &table)?;
        Ok(table.id)
    })
}

fn check_table(name: &str, colour: &str) -> Outcome<(String, TableColour)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > rules::MAX_TABLE_NAME {
        return Err(input(
            "tafel_naam",
            format!(
                "Geef de tafel een naam van hoogstens {} tekens.",
                rules::MAX_TABLE_NAME
            ),
        ));
    }
    let colour = TableColour::parse(colour).ok_or_else(|| input("kleur", "Kies een kleur."))?;
    Ok((name.to_string(), colour))
}

#[allow(clippy::too_many_arguments)]
pub fn save_table(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    table: &str,
    name: &str,
    colour: &str,
    now: i64,
) -> Outcome<()> {
    let (name, colour) = check_table(name, colour)?;
    change(db, by, project, id, action::SESSION_SAVE, now, |conn, r| {
        sensemaking::find_table(conn, &r.id, table)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        sensemaking::rename_table(conn, table, &name, colour.key())?;
        Ok(())
    })
}

/// Removes a table with its notes; its proposals stay (they belong to the project).
pub fn remove_table(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    table: &str,
    now: i64,
) -> Outcome<()> {
    change(db, by, project, id, action::SESSION_SAVE, now, |conn, r| {
        sensemaking::find_table(conn, &r.id, table)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        sensemaking::delete_table(conn, table)?;
        Ok(())
    })
}

/// The material chosen for a table, as ids typed or ticked.
#[derive(Debug, Clone, Default)]
pub struct MaterialChoice {
    pub cards: Vec<String>,
    pub stories: Vec<String>,
    pub proposals: Vec<String>,
    /// Stories of `stories` whose own text the table may read instead of the text without
    /// names and numbers; only for stories whose teller allowed quotes.
    pub originals: Vec<String>,
}

/// Sets what a table reads. Cards must be ready (klaar or gebruikt), stories must count
/// (consented, not hidden, not withdrawn); proposals of this project that are new here are
/// reopened: they get an update saying so, and a finished one is opened again.
pub fn set_material(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    table: &str,
    choice: &MaterialChoice,
    now: i64,
) -> Outcome<()> {
    let clean = |ids: &[String]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !out.iter().any(|o| o == id) {
                out.push(id.to_string());
            }
        }
        out
    };
    let (cards, story_ids, proposal_ids) = (
        clean(&choice.cards),
        clean(&choice.stories),
        clean(&choice.proposals),
    );
    let originals = clean(&choice.originals);
    change(db, by, project, id, action::SESSION_SAVE, now, |conn, r| {
        sensemaking::find_table(conn, &r.id, table)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        let mut problems = Vec::new();
        for card in &cards {
            let ok = obs_store::find_in_project(conn, project, card)?.is_some_and(|o| {
                o.status == ObservationStatus::Klaar.key()
                    || o.status == ObservationStatus::Gebruikt.key()
            });
            if !ok {
                problems.push(FieldProblem {
                    field: "kaarten",
                    message: format!(
                        "Observatie {card} bestaat niet in dit project of is nog niet klaar."
                    ),
                });
            }
        }
        let found = stories::find_many_in_project(conn, project, &story_ids)?;
        for story in &originals {
            let allowed = found
                .iter()
                .any(|(s, _)| s.record.id == *story && s.record.consent_quotes);
            if story_ids.contains(story) && !allowed {
                problems.push(FieldProblem {
                    field: "verhalen",
                    message: format!(
                        "Verhaal {story} kan niet met de eigen tekst aan tafel: de verteller gaf \
                         geen toestemming voor citaten. De tafel leest de tekst zonder namen en \
                         nummers."
                    ),
                });
            }
        }
        for story in &story_ids {
            if !found
                .iter()
                .any(|(s, _)| s.record.id == *story && obs::usable(s))
            {
                problems.push(FieldProblem {
                    field: "verhalen",
                    message: format!(
                        "Verhaal {story} bestaat niet in dit project, of het telt niet mee (ingetrokken, verborgen of zonder toestemming)."
                    ),
                });
            }
        }
        let before: Vec<String> = sensemaking::materials(conn, table)?
            .into_iter()
            .filter(|m| m.kind == MaterialKind::Voorstel.key())
            .map(|m| m.ref_id)
            .collect();
        let mut reopen = Vec::new();
        for pid in &proposal_ids {
            match proposals::find_in_project(conn, project, pid)? {
                Some(p) if !before.contains(pid) => reopen.push(p),
                Some(_) => {}
                None => problems.push(FieldProblem {
                    field: "voorstellen",
                    message: format!("Voorstel {pid} bestaat niet in dit project."),
                }),
            }
        }
        if !problems.is_empty() {
            return Err(SensemakingError::Input(problems));
        }
        sensemaking::set_materials(conn, table, MaterialKind::Kaart.key(), &cards)?;
        sensemaking::set_materials(conn, table, MaterialKind::Verhaal.key(), &story_ids)?;
        for story in &story_ids {
            let approved = originals.contains(story);
            sensemaking::set_original_approved(conn, table, story, approved)?;
        }
        sensemaking::set_materials(conn, table, MaterialKind::Voorstel.key(), &proposal_ids)?;
        for p in reopen {
            super::proposals::reopen(conn, &p, r, &by.name, now)?;
        }
        sensemaking::bump_table(conn, table)?;
        Ok(())
    })
}

/// Closes a session (participants can then only read, or nothing: `after_close`), or opens it
/// again. Closing marks the cards used at its tables as "gebruikt".
pub fn set_closed(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    closed: bool,
    now: i64,
) -> Outcome<()> {
    let what = if closed {
        action::SESSION_CLOSE
    } else {
        action::SESSION_OPEN
    };
    change(db, by, project, id, what, now, |conn, r| {
        sensemaking::save(
            conn,
            &SessionRecord {
                closed_at: closed.then_some(now),
                updated_at: now,
                ..r.clone()
            },
        )?;
        if closed {
            for card in sensemaking::cards_of_session(conn, &r.id)? {
                obs_store::mark_used(conn, project, &card, now)?;
            }
        }
        for t in sensemaking::tables(conn, &r.id)? {
            sensemaking::bump_table(conn, &t.id)?;
        }
        Ok(())
    })
}

/// Makes a new join link; the old one stops working at once.
pub fn renew_code(
    db: &Database,
    by: &SignedIn,
    secret: &Secret,
    project: &str,
    id: &str,
    now: i64,
) -> Outcome<()> {
    change(db, by, project, id, action::SESSION_SAVE, now, |conn, r| {
        let salt = crate::security::random_token();
        sensemaking::save(
            conn,
            &SessionRecord {
                code_hash: code_hash(&join_code(secret, &r.id, &salt)),
                code_salt: salt,
                updated_at: now,
                ..r.clone()
            },
        )?;
        Ok(())
    })
}

/// Queues the invitation mail for each address. Returns how many were queued; nothing is
/// queued when one address is wrong (the page names it).
pub fn invite(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    addresses: &str,
    compose: &dyn Fn(&SessionRecord, &str) -> OutgoingMail,
    now: i64,
) -> Outcome<usize> {
    let list: Vec<&str> = addresses
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    let wrong: Vec<&str> = list
        .iter()
        .copied()
        .filter(|a| !rules::plausible_email(a))
        .collect();
    if list.is_empty() {
        return Err(input(
            "adressen",
            "Vul een of meer e-mailadressen in, elk op een eigen regel.",
        ));
    }
    if !wrong.is_empty() {
        return Err(input(
            "adressen",
            format!(
                "Deze adressen kloppen niet: {}. Er is nog niets verstuurd.",
                wrong.join(", ")
            ),
        ));
    }
    if list.len() > 200 {
        return Err(input(
            "adressen",
            "Stuur hoogstens 200 uitnodigingen tegelijk.",
        ));
    }
    change(
        db,
        by,
        project,
        id,
        action::SESSION_INVITE,
        now,
        |conn, r| {
            // Nobody can join a closed session: a link to it would only disappoint.
            if r.closed_at.is_some() {
                return Err(input(
                    "adressen",
                    "Deze duidingssessie is gesloten: meedoen kan niet meer. Er is niets verstuurd.",
                ));
            }
            for address in &list {
                outbox::enqueue(conn, &compose(r, address), now)?;
            }
            Ok(list.len())
        },
    )
}

/// Removes a note at a table (a begeleider keeps the board clean, e.g. of personal details).
#[allow(clippy::too_many_arguments)]
pub fn remove_note(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    table: &str,
    note: &str,
    now: i64,
) -> Outcome<()> {
    change(db, by, project, id, action::SESSION_SAVE, now, |conn, r| {
        sensemaking::find_table(conn, &r.id, table)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        // A table's board can hold notes of other tables that a begeleider put in its
        // groepen, so the note is looked up in the whole session; every board reloads.
        sensemaking::find_note_in_session(conn, &r.id, note)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        sensemaking::delete_note(conn, note)?;
        sensemaking::bump_session(conn, &r.id)?;
        Ok(())
    })
}

// --- participants -----------------------------------------------------------------------

/// A participant at their table.
#[derive(Debug, Clone)]
pub struct Seat {
    pub session: SessionRecord,
    pub participant: ParticipantRecord,
}

/// Joins a session at a table. Returns the new participant.
pub fn join(
    db: &Database,
    session: &SessionRecord,
    table: &str,
    name: &str,
    perspective: &str,
    now: i64,
) -> Outcome<ParticipantRecord> {
    if session.closed_at.is_some() {
        return Err(SensemakingError::Closed);
    }
    let mut problems = Vec::new();
    let name = rules::check_display_name(name).map_err(|p| problems.push(p));
    let perspective = if perspective.trim().is_empty() {
        Ok(Perspective::Anders)
    } else {
        Perspective::parse(perspective).ok_or(())
    };
    if perspective.is_err() {
        problems.push(FieldProblem {
            field: "perspectief",
            message: "Kies een van de mogelijkheden.".into(),
        });
    }
    let mut conn = db.conn()?;
    if sensemaking::find_table(&mut conn, &session.id, table)?.is_none() {
        problems.push(FieldProblem {
            field: "tafel",
            message: "Kies aan welke tafel je zit.".into(),
        });
    }
    drop(conn);
    let (Ok(name), Ok(perspective), true) = (name, perspective, problems.is_empty()) else {
        return Err(SensemakingError::Input(problems));
    };
    let record = ParticipantRecord {
        id: new_id("DN"),
        session_id: session.id.clone(),
        table_id: table.to_string(),
        display_name: name,
        perspective: perspective.key().to_string(),
        joined_at: now,
    };
    db.write_sync(|conn| {
        sensemaking::insert_participant(conn, &record)?;
        sensemaking::bump_table(conn, table)
    })?;
    Ok(record)
}

/// The seat of a participant of this session, if the participant (still) exists.
pub fn seat(db: &Database, session: &SessionRecord, participant: &str) -> Outcome<Option<Seat>> {
    let mut conn = db.conn()?;
    Ok(
        sensemaking::find_participant(&mut conn, &session.id, participant)?.map(|participant| {
            Seat {
                session: session.clone(),
                participant,
            }
        }),
    )
}

/// Runs a participant's change at their own table: refused when the session closed
/// meanwhile; the table's revision is bumped in the same transaction.
fn at_table<T>(
    db: &Database,
    seat: &Seat,
    f: impl FnOnce(&mut AnyConnection, &SessionRecord) -> Outcome<T>,
) -> Outcome<T> {
    db.write_with(|conn| {
        let session = sensemaking::find(conn, &seat.session.id)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        if session.closed_at.is_some() {
            return Err(SensemakingError::Closed);
        }
        // After a begeleider regrouped across tables, a change here can show at other tables
        // (a note in their groep, their groep's name on our board): those reload too, as
        // they are related before the change or after it.
        let table = &seat.participant.table_id;
        let mut related = sensemaking::related_tables(conn, table)?;
        let value = f(conn, &session)?;
        related.extend(sensemaking::related_tables(conn, table)?);
        related.sort();
        related.dedup();
        sensemaking::bump_table(conn, table)?;
        for other in related {
            sensemaking::bump_table(conn, &other)?;
        }
        Ok(value)
    })
}

/// Splits "kaart:ID" / "verhaal:ID" into what a note is about, checked against the table.
fn about(view: &TableView, raw: &str) -> Outcome<(Option<String>, Option<String>)> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok((None, None));
    }
    match raw.split_once(':') {
        Some(("kaart", id)) if view.cards.iter().any(|c| c.record.id == id) => {
            Ok((Some(id.to_string()), None))
        }
        Some(("verhaal", id)) if view.stories.iter().any(|(s, _)| s.record.id == id) => {
            Ok((None, Some(id.to_string())))
        }
        _ => Err(input(
            "over",
            "Kies een kaart of verhaal van deze tafel, of niets.",
        )),
    }
}

/// Adds a note at the participant's table. Returns its id.
pub fn add_note(db: &Database, seat: &Seat, note: &NoteInput, now: i64) -> Outcome<String> {
    let valid = note.check().map_err(SensemakingError::Input)?;
    let view = {
        let mut conn = db.conn()?;
        let table =
            sensemaking::find_table(&mut conn, &seat.session.id, &seat.participant.table_id)?
                .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        table_view(&mut conn, &seat.session, table)?
    };
    let (observation_id, story_id) = about(&view, &note.about)?;
    let record = NoteRecord {
        id: new_id("NT"),
        table_id: seat.participant.table_id.clone(),
        participant_id: Some(seat.participant.id.clone()),
        author_name: seat.participant.display_name.clone(),
        perspective: seat.participant.perspective.clone(),
        kind: valid.kind.key().to_string(),
        body: valid.body,
        so_that: valid.so_that,
        observation_id,
        story_id,
        cluster_id: None,
        created_at: now,
    };
    at_table(db, seat, |conn, _| {
        sensemaking::insert_note(conn, &record)?;
        Ok(())
    })?;
    Ok(record.id)
}

/// Removes one of the participant's own notes.
pub fn delete_note(db: &Database, seat: &Seat, note: &str) -> Outcome<()> {
    at_table(db, seat, |conn, _| {
        let n = sensemaking::find_note(conn, &seat.participant.table_id, note)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        if n.participant_id.as_deref() != Some(seat.participant.id.as_str()) {
            return Err(SensemakingError::Core(ServiceError::NotAllowed));
        }
        sensemaking::delete_note(conn, note)?;
        Ok(())
    })
}

/// Puts a note of the table in a cluster of the table (`None`: out of any cluster).
pub fn move_note(db: &Database, seat: &Seat, note: &str, cluster: Option<&str>) -> Outcome<()> {
    let table = &seat.participant.table_id;
    at_table(db, seat, |conn, _| {
        sensemaking::find_note(conn, table, note)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        if let Some(c) = cluster {
            sensemaking::find_cluster(conn, table, c)?
                .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        }
        sensemaking::set_note_cluster(conn, note, cluster)?;
        Ok(())
    })
}

/// Makes a named cluster at the table, optionally with a first note in it. Returns its id.
pub fn add_cluster(
    db: &Database,
    seat: &Seat,
    name: &str,
    first_note: Option<&str>,
    now: i64,
) -> Outcome<String> {
    let name = rules::check_cluster_name(name).map_err(|p| SensemakingError::Input(vec![p]))?;
    let table = seat.participant.table_id.clone();
    at_table(db, seat, |conn, _| {
        let record = ClusterRecord {
            id: new_id("CL"),
            table_id: table.clone(),
            name,
            created_at: now,
        };
        sensemaking::insert_cluster(conn, &record)?;
        if let Some(note) = first_note.filter(|n| !n.is_empty()) {
            sensemaking::find_note(conn, &table, note)?
                .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
            sensemaking::set_note_cluster(conn, note, Some(&record.id))?;
        }
        Ok(record.id)
    })
}

pub fn rename_cluster(db: &Database, seat: &Seat, cluster: &str, name: &str) -> Outcome<()> {
    let name = rules::check_cluster_name(name).map_err(|p| SensemakingError::Input(vec![p]))?;
    at_table(db, seat, |conn, _| {
        sensemaking::find_cluster(conn, &seat.participant.table_id, cluster)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        sensemaking::rename_cluster(conn, cluster, &name)?;
        Ok(())
    })
}

/// Removes a cluster; its notes stay on the table.
pub fn delete_cluster(db: &Database, seat: &Seat, cluster: &str) -> Outcome<()> {
    at_table(db, seat, |conn, _| {
        sensemaking::find_cluster(conn, &seat.participant.table_id, cluster)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        sensemaking::delete_cluster(conn, cluster)?;
        Ok(())
    })
}

/// Gives (`up`) or takes back a vote on a cluster of the participant's table, within the
/// session's number of votes per person.
pub fn vote(db: &Database, seat: &Seat, cluster: &str, up: bool) -> Outcome<()> {
    at_table(db, seat, |conn, session| {
        sensemaking::find_cluster(conn, &seat.participant.table_id, cluster)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        let me = &seat.participant.id;
        let mine = sensemaking::votes(conn, &seat.participant.table_id)?
            .into_iter()
            .find(|(c, p, _)| c == cluster && p == me)
            .map_or(0, |(_, _, v)| v);
        let given = sensemaking::votes_given(conn, me)?;
        let wanted = if up {
            if given >= i64::from(session.votes_per_person) {
                return Err(SensemakingError::NoVotesLeft(session.votes_per_person));
            }
            mine + 1
        } else {
            (mine - 1).max(0)
        };
        sensemaking::set_votes(conn, cluster, me, wanted)?;
        Ok(())
    })
}

/// A cluster with its notes and votes.
#[derive(Debug, Clone)]
pub struct ClusterView {
    pub record: ClusterRecord,
    pub notes: Vec<NoteRecord>,
    pub votes: i64,
    /// The viewer's own votes on it.
    pub mine: i32,
}

/// A note of this table that a begeleider put in a cluster of another table.
#[derive(Debug, Clone)]
pub struct MovedNote {
    pub note: NoteRecord,
    pub cluster: String,
    pub table: String,
}

/// Everything written at one table.
#[derive(Debug, Clone)]
pub struct Board {
    pub revision: i64,
    /// Most votes first once the votes are shown; as made while they are hidden.
    pub clusters: Vec<ClusterView>,
    /// Notes in no cluster, oldest first.
    pub loose: Vec<NoteRecord>,
    /// Notes of this table in a cluster of another table.
    pub elsewhere: Vec<MovedNote>,
    /// The names of the session's tables by id (notes of other tables say where they are from).
    pub table_names: Arc<HashMap<String, String>>,
    /// Votes are hidden until the begeleider shows them: then every cluster's `votes` is 0
    /// and only the viewer's own (`mine`) are known.
    pub votes_hidden: bool,
    /// Votes given at the table in all (shown while the totals are hidden, so a begeleider
    /// sees when voting is done).
    pub votes_cast: i64,
    pub proposals: Vec<ProposalRecord>,
    /// Votes the viewer may still give (0 for a begeleider).
    pub votes_left: i64,
    pub note_count: usize,
}

/// The part of a board that is the same for every viewer, as it was at one revision of the
/// table: notes, clusters and votes only change through changes that bump the revision.
#[derive(Debug)]
struct TableBoard {
    table: String,
    revision: i64,
    /// Most votes first, with `mine` 0.
    clusters: Vec<ClusterView>,
    loose: Vec<NoteRecord>,
    elsewhere: Vec<MovedNote>,
    table_names: Arc<HashMap<String, String>>,
    note_count: usize,
    /// Every vote at the table: cluster, participant, votes.
    votes: Vec<(String, String, i32)>,
}

/// Tables whose board is kept at once.
const BOARD_TABLES: usize = 32;

/// The boards of the last [`BOARD_TABLES`] tables asked for, each at the revision it was read
/// at, least recently used first. Every participant polls the revision and fetches the board
/// when it changed, so without this a table of six reads all its notes six times per change
/// (a board of 1,200 notes is 1,200 rows and their clusters and votes).
struct BoardCache {
    boards: Mutex<Vec<Arc<TableBoard>>>,
}

/// One per process. The key is the table's id (random, 50 bits) and its revision from the
/// database, so the entries are right for every `Database` the process opens and every
/// instance notices changes made by another one.
static BOARDS: BoardCache = BoardCache::new();

impl BoardCache {
    const fn new() -> Self {
        Self {
            boards: Mutex::new(Vec::new()),
        }
    }

    /// A poisoned lock only means a panic elsewhere while holding it; each change is a single
    /// push or remove, so the list is still valid.
    fn lock(&self) -> MutexGuard<'_, Vec<Arc<TableBoard>>> {
        self.boards
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn get(&self, table: &str, revision: i64) -> Option<Arc<TableBoard>> {
        let mut boards = self.lock();
        let at = boards
            .iter()
            .position(|b| b.table == table && b.revision == revision)?;
        let board = boards.remove(at);
        boards.push(board.clone());
        Some(board)
    }

    fn put(&self, board: Arc<TableBoard>) {
        let mut boards = self.lock();
        // Another revision of the table will not be asked for again (revisions only grow).
        boards.retain(|b| b.table != board.table);
        boards.push(board);
        if boards.len() > BOARD_TABLES {
            boards.remove(0);
        }
    }
}

fn read_table_board(
    conn: &mut AnyConnection,
    session: &str,
    table: &str,
    revision: i64,
) -> Outcome<TableBoard> {
    let notes = sensemaking::board_notes(conn, table)?;
    let votes = sensemaking::votes(conn, table)?;
    let own = sensemaking::clusters(conn, table)?;
    let table_names: HashMap<String, String> = sensemaking::tables(conn, session)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let is_own = |cluster: &str| own.iter().any(|c| c.id == cluster);
    // Notes of this table that a begeleider put in a cluster of another table.
    let mut foreign_ids: Vec<String> = notes
        .iter()
        .filter(|n| n.table_id == table)
        .filter_map(|n| n.cluster_id.clone())
        .filter(|c| !is_own(c))
        .collect();
    foreign_ids.sort();
    foreign_ids.dedup();
    let foreign = sensemaking::clusters_by_id(conn, &foreign_ids)?;
    let mut clusters: Vec<ClusterView> = own
        .iter()
        .map(|c| ClusterView {
            notes: notes
                .iter()
                .filter(|n| n.cluster_id.as_deref() == Some(c.id.as_str()))
                .cloned()
                .collect(),
            votes: votes
                .iter()
                .filter(|(cl, _, _)| *cl == c.id)
                .map(|(_, _, v)| i64::from(*v))
                .sum(),
            mine: 0,
            record: c.clone(),
        })
        .collect();
    // Most votes first; equal votes keep the order they were made in.
    clusters.sort_by_key(|c| std::cmp::Reverse(c.votes));
    let mut loose = Vec::new();
    let mut elsewhere = Vec::new();
    for n in notes.iter().filter(|n| n.table_id == table) {
        match n.cluster_id.as_deref() {
            Some(c) if is_own(c) => {}
            Some(c) => match foreign.iter().find(|f| f.id == c) {
                Some(f) => elsewhere.push(MovedNote {
                    note: n.clone(),
                    cluster: f.name.clone(),
                    table: table_names.get(&f.table_id).cloned().unwrap_or_default(),
                }),
                None => loose.push(n.clone()),
            },
            None => loose.push(n.clone()),
        }
    }
    Ok(TableBoard {
        table: table.to_string(),
        revision,
        note_count: notes.iter().filter(|n| n.table_id == table).count(),
        loose,
        elsewhere,
        table_names: Arc::new(table_names),
        clusters,
        votes,
    })
}

/// The board of a table, as seen by `viewer` (a participant id, for "my votes").
pub fn board(
    db: &Database,
    session: &SessionRecord,
    table: &str,
    viewer: Option<&str>,
) -> Outcome<Board> {
    let mut conn = db.conn()?;
    // The revision is read before the notes: a change committed in between can only make
    // the cached board newer than its revision (read again at the next one), never older.
    let t = sensemaking::find_table(&mut conn, &session.id, table)?
        .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
    let shared = match BOARDS.get(table, t.revision) {
        Some(board) => board,
        None => {
            let board = Arc::new(read_table_board(&mut conn, &session.id, table, t.revision)?);
            BOARDS.put(board.clone());
            board
        }
    };
    let mine = |cluster: Option<&str>| -> i64 {
        shared
            .votes
            .iter()
            .filter(|(c, p, _)| Some(p.as_str()) == viewer && cluster.is_none_or(|id| c == id))
            .map(|(_, _, v)| i64::from(*v))
            .sum()
    };
    // Read from the votes themselves, not this board: after a begeleider merged clusters
    // across tables, a participant's votes can sit on another table's cluster.
    let given = match viewer {
        Some(participant) => sensemaking::votes_given(&mut conn, participant)?,
        None => i64::from(session.votes_per_person),
    };
    let votes_hidden = session.votes_revealed_at.is_none();
    let mut clusters: Vec<ClusterView> = shared
        .clusters
        .iter()
        .map(|c| ClusterView {
            mine: i32::try_from(mine(Some(&c.record.id))).unwrap_or(i32::MAX),
            votes: if votes_hidden { 0 } else { c.votes },
            ..c.clone()
        })
        .collect();
    if votes_hidden {
        // The order would tell the totals: show them as they were made.
        clusters.sort_by(|a, b| {
            (a.record.created_at, &a.record.id).cmp(&(b.record.created_at, &b.record.id))
        });
    }
    Ok(Board {
        revision: shared.revision,
        clusters,
        loose: shared.loose.clone(),
        elsewhere: shared.elsewhere.clone(),
        table_names: shared.table_names.clone(),
        votes_hidden,
        votes_cast: shared.votes.iter().map(|(_, _, v)| i64::from(*v)).sum(),
        note_count: shared.note_count,
        // Read every time: a proposal's texts and status also change from its own page and
        // the owner's link, which do not bump the table's revision.
        proposals: proposals::of_table(&mut conn, table)?,
        votes_left: (i64::from(session.votes_per_person) - given).max(0),
    })
}

/// Where each verbetervoorstel written at the session's tables grew from, by proposal id: the
/// cards, stories and notes its own page lists, described as they are now.
pub fn proposal_origins(
    db: &Database,
    session: &SessionRecord,
) -> Outcome<HashMap<String, Vec<Source>>> {
    let mut conn = db.conn()?;
    let mut origins = HashMap::new();
    for table in sensemaking::tables(&mut conn, &session.id)? {
        for proposal in proposals::of_table(&mut conn, &table.id)? {
            let raw = proposals::sources(&mut conn, &proposal.id)?;
            let described = super::proposals::describe_sources(
                &mut conn,
                &session.project_slug,
                &proposal,
                &raw,
            )?;
            origins.insert(proposal.id, described);
        }
    }
    Ok(origins)
}

/// The table's revision, for polling boards (`None` when it is gone).
pub fn revision(db: &Database, table: &str) -> Outcome<Option<i64>> {
    Ok(sensemaking::table_revision(&mut *db.conn()?, table)?)
}

/// The session behind a join code without its tables (closed ones too: the caller decides).
/// A participant's every request starts here; the revision poll needs nothing more.
pub fn record_by_code(db: &Database, code: &str) -> Outcome<Option<SessionRecord>> {
    Ok(sensemaking::find_by_code_hash(
        &mut *db.conn()?,
        &code_hash(code),
    )?)
}

/// The session with only `table` in it (its material, members and number of notes): what a
/// participant's table page and board show. [`by_code`] reads the material of every table,
/// anonymising each story, which is too much for requests that come every few seconds from
/// every participant.
pub fn for_table(db: &Database, session: &SessionRecord, table: &str) -> Outcome<SessionDetail> {
    let mut conn = db.conn()?;
    let t = sensemaking::find_table(&mut conn, &session.id, table)?
        .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
    let view = table_view(&mut conn, session, t)?;
    Ok(SessionDetail {
        participants: sensemaking::participants(&mut conn, &session.id)?,
        note_counts: HashMap::from([(
            table.to_string(),
            sensemaking::note_count(&mut conn, table)?,
        )]),
        tables: vec![view],
        record: session.clone(),
    })
}

/// Writes a verbetervoorstel at the participant's table, from a cluster (whose notes become
/// its sources), from a new cluster named `new_cluster` (made in the same transaction, with
/// no notes yet) or from nothing. `sources` are extra "kaart:ID" / "verhaal:ID" /
/// "notitie:ID" of this table. An owner address gets the mail with the personal link
/// (`mail`), queued in the same transaction. Returns its id.
#[allow(clippy::too_many_arguments)]
pub fn propose(
    db: &Database,
    seat: &Seat,
    cluster: Option<&str>,
    new_cluster: &str,
    text: &ProposalInput,
    sources: &[String],
    mail: &super::proposals::OwnerMail<'_>,
    now: i64,
) -> Outcome<String> {
    let (valid, group) = match (
        text.check(),
        rules::check_proposal_group(cluster.unwrap_or(""), new_cluster),
    ) {
        (Ok(valid), Ok(group)) => (valid, group),
        (valid, group) => {
            let mut problems = valid.err().unwrap_or_default();
            problems.extend(group.err());
            return Err(SensemakingError::Input(problems));
        }
    };
    let table = seat.participant.table_id.clone();
    let view = {
        let mut conn = db.conn()?;
        let t = sensemaking::find_table(&mut conn, &seat.session.id, &table)?
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        table_view(&mut conn, &seat.session, t)?
    };
    at_table(db, seat, |conn, session| {
        let notes = sensemaking::notes(conn, &table)?;
        let mut links: Vec<(String, String)> = Vec::new();
        let mut link = |kind: &str, id: &str| {
            let entry = (kind.to_string(), id.to_string());
            if !links.contains(&entry) {
                links.push(entry);
            }
        };
        let cluster = match group {
            rules::ProposalGroup::None => None,
            rules::ProposalGroup::Existing(c) => {
                sensemaking::find_cluster(conn, &table, &c)?
                    .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
                Some(c)
            }
            rules::ProposalGroup::New(name) => {
                let record = ClusterRecord {
                    id: new_id("CL"),
                    table_id: table.clone(),
                    name,
                    created_at: now,
                };
                sensemaking::insert_cluster(conn, &record)?;
                Some(record.id)
            }
        };
        if let Some(c) = cluster.as_deref() {
            for n in notes.iter().filter(|n| n.cluster_id.as_deref() == Some(c)) {
                link("notitie", &n.id);
                if let Some(o) = &n.observation_id {
                    link("kaart", o);
                }
                if let Some(s) = &n.story_id {
                    link("verhaal", s);
                }
            }
        }
        for raw in sources.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let ok = match raw.split_once(':') {
                Some(("kaart", id)) => view.cards.iter().any(|c| c.record.id == id),
                Some(("verhaal", id)) => view.stories.iter().any(|(s, _)| s.record.id == id),
                Some(("notitie", id)) => notes.iter().any(|n| n.id == id),
                _ => false,
            };
            match (ok, raw.split_once(':')) {
                (true, Some((kind, id))) => link(kind, id),
                _ => {
                    return Err(input(
                        "bronnen",
                        "Kies alleen kaarten, verhalen en notities van deze tafel.",
                    ))
                }
            }
        }
        let record = ProposalRecord {
            id: new_id("VV"),
            project_slug: session.project_slug.clone(),
            session_id: Some(session.id.clone()),
            table_id: Some(table.clone()),
            cluster_id: cluster,
            title: valid.title,
            action: valid.action,
            so_that: valid.so_that,
            first_step: valid.first_step,
            owner_name: valid.owner_name,
            owner_email: valid.owner_email,
            level: valid.level.key().to_string(),
            status: ProposalStatus::Nieuw.key().to_string(),
            remind_after_days: DEFAULT_REMIND_DAYS,
            reminded_at: None,
            owner_salt: crate::security::random_token(),
            last_activity_at: now,
            created_at: now,
            updated_at: now,
        };
        proposals::insert(conn, &record)?;
        proposals::add_sources(conn, &record.id, &links)?;
        proposals::insert_update(
            conn,
            &UpdateRecord {
                id: new_id("VU"),
                proposal_id: record.id.clone(),
                at: now,
                author: format!(
                    "{} (tafel {})",
                    seat.participant.display_name, view.record.name
                ),
                status_before: String::new(),
                status_after: record.status.clone(),
                body: format!("Geschreven in de sessie '{}'.", session.title),
                session_id: Some(session.id.clone()),
            },
        )?;
        super::proposals::mail_owner(conn, mail, &record, "", &seat.participant.display_name, now)?;
        Ok(record.id)
    })
}

/// Changes a proposal written at the participant's own table (while the session is open). A
/// new owner address gets a new personal link and the mail with it (`mail`), in the same
/// transaction; the old link stops working.
pub fn edit_proposal(
    db: &Database,
    seat: &Seat,
    id: &str,
    text: &ProposalInput,
    mail: &super::proposals::OwnerMail<'_>,
    now: i64,
) -> Outcome<()> {
    let valid = text.check().map_err(SensemakingError::Input)?;
    at_table(db, seat, |conn, _| {
        let p = proposals::find(conn, id)?
            .filter(|p| p.table_id.as_deref() == Some(seat.participant.table_id.as_str()))
            .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
        let before = p.owner_email.clone();
        let saved = ProposalRecord {
            owner_salt: super::proposals::owner_salt_after(&p, &valid.owner_email),
            title: valid.title,
            action: valid.action,
            so_that: valid.so_that,
            first_step: valid.first_step,
            owner_name: valid.owner_name,
            owner_email: valid.owner_email,
            level: valid.level.key().to_string(),
            updated_at: now,
            last_activity_at: now,
            ..p
        };
        proposals::save(conn, &saved)?;
        super::proposals::mail_owner(
            conn,
            mail,
            &saved,
            &before,
            &seat.participant.display_name,
            now,
        )?;
        Ok(())
    })
}

/// Whether the join link still opens the session (read-only after closing, or not at all).
pub fn link_works(session: &SessionRecord) -> bool {
    session.closed_at.is_none() || AfterClose::parse(&session.after_close) != Some(AfterClose::Uit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board(table: &str, revision: i64) -> Arc<TableBoard> {
        Arc::new(TableBoard {
            table: table.into(),
            revision,
            clusters: Vec::new(),
            loose: Vec::new(),
            elsewhere: Vec::new(),
            table_names: Arc::default(),
            note_count: 0,
            votes: Vec::new(),
        })
    }

    #[test]
    fn the_board_cache_serves_only_the_current_revision_and_drops_the_least_recently_used() {
        let cache = BoardCache::new();
        cache.put(board("TA-1", 1));
        assert!(cache.get("TA-1", 1).is_some());
        // A newer revision replaces the board; the old one is never served again.
        cache.put(board("TA-1", 2));
        assert!(cache.get("TA-1", 1).is_none());
        assert!(cache.get("TA-1", 2).is_some());
        for i in 2..=BOARD_TABLES {
            cache.put(board(&format!("TA-{i}"), 1));
        }
        // Full: reading TA-1 keeps it, so one more table pushes out TA-2.
        assert!(cache.get("TA-1", 2).is_some());
        cache.put(board("TA-new", 1));
        assert_eq!(cache.lock().len(), BOARD_TABLES);
        assert!(cache.get("TA-1", 2).is_some());
        assert!(cache.get("TA-2", 1).is_none());
        assert!(cache.get("TA-new", 1).is_some());
    }
}
