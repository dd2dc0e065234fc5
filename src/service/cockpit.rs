//! The session cockpit: what a begeleider runs the room of a duidingssessie with, on a
//! projector or a laptop.
//!
//! - every table at once, live ([`overview`], polled through [`revisions`]);
//! - the phase every table is in, with a timer ([`set_phase`], [`next_phase`],
//!   [`add_minutes`]), refused on a closed session;
//! - the votes, hidden until the begeleider shows them ([`show_votes`]), then a plenary
//!   ranking of the clusters of all tables;
//! - regrouping across tables, also after the session and before the report: rename any
//!   cluster, merge two clusters of different tables, put a note in a cluster of another table,
//!   or start a cluster at a table ([`rename_cluster`], [`merge_clusters`], [`move_note`],
//!   [`add_cluster`]).
//!
//! Every change is one transaction with an audit entry, and bumps the revision of every table
//! of the session, so that the tables' boards and the cockpit reload through the polling they
//! already do (see `assets/sensemaking.js`).

use super::accounts::SignedIn;
use super::audit::{self, action};
use super::error::{require, ServiceError};
use super::sensemaking::{self as session, Board, Outcome, SensemakingError};
use crate::domain::accounts::ProjectAction;
use crate::domain::project_form::FieldProblem;
use crate::domain::sensemaking::{self as rules, Phase, RankedCluster};
use crate::store::sensemaking::{self, ClusterRecord};
pub use crate::store::sensemaking::{ParticipantRecord, SessionRecord, TableRecord};
use crate::store::{AnyConnection, Database};

/// One table as the cockpit shows it.
#[derive(Debug, Clone)]
pub struct CockpitTable {
    pub table: TableRecord,
    pub participants: Vec<ParticipantRecord>,
    pub board: Board,
}

/// The whole room.
#[derive(Debug, Clone)]
pub struct Cockpit {
    pub session: SessionRecord,
    pub tables: Vec<CockpitTable>,
    /// The clusters of all tables by their votes; `None` while the votes are hidden.
    pub ranking: Option<Vec<RankedCluster>>,
    /// Votes given in the whole session, and how many could be given by those who joined.
    pub votes_cast: i64,
    pub votes_possible: i64,
    /// The tables' revisions, which [`revisions`] compares with.
    pub revisions: Vec<i64>,
}

/// Every table of a session with its board, as a begeleider may see it (`Read`).
pub fn overview(db: &Database, by: &SignedIn, project: &str, id: &str) -> Outcome<Cockpit> {
    require(by, project, ProjectAction::Read)?;
    let (record, tables, participants, revisions) = {
        let mut conn = db.conn()?;
        let record = found(&mut conn, project, id)?;
        (
            record.clone(),
            sensemaking::tables(&mut conn, &record.id)?,
            sensemaking::participants(&mut conn, &record.id)?,
            sensemaking::session_revisions(&mut conn, &record.id)?,
        )
    };
    let mut out = Vec::with_capacity(tables.len());
    for table in tables {
        let board = session::board(db, &record, &table.id, None)?;
        let at_table = participants
            .iter()
            .filter(|p| p.table_id == table.id)
            .cloned()
            .collect();
        out.push(CockpitTable {
            table,
            participants: at_table,
            board,
        });
    }
    let ranking = record.votes_revealed_at.is_some().then(|| {
        rules::rank_clusters(
            out.iter()
                .flat_map(|t| {
                    t.board.clusters.iter().map(|c| RankedCluster {
                        cluster: c.record.id.clone(),
                        name: c.record.name.clone(),
                        table: t.table.name.clone(),
                        votes: c.votes,
                        notes: c.notes.len(),
                        place: 0,
                    })
                })
                .collect(),
        )
    });
    Ok(Cockpit {
        votes_cast: out.iter().map(|t| t.board.votes_cast).sum(),
        votes_possible: i64::try_from(participants.len()).unwrap_or(i64::MAX)
            * i64::from(record.votes_per_person),
        session: record,
        tables: out,
        ranking,
        revisions,
    })
}

/// The tables' revisions and whether the session is closed: what the open cockpit polls.
pub fn revisions(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
) -> Outcome<(Vec<i64>, bool)> {
    require(by, project, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    let record = found(&mut conn, project, id)?;
    Ok((
        sensemaking::session_revisions(&mut conn, &record.id)?,
        record.closed_at.is_some(),
    ))
}

fn refused(field: &'static str, message: &str) -> SensemakingError {
    SensemakingError::Input(vec![FieldProblem {
        field,
        message: message.to_string(),
    }])
}

fn found(conn: &mut AnyConnection, project: &str, id: &str) -> Outcome<SessionRecord> {
    sensemaking::find_in_project(conn, project, id)?
        .ok_or(SensemakingError::Core(ServiceError::NotFound))
}

/// Runs a begeleider's change to the room in one transaction with its audit entry (`detail`
/// says what changed), and makes every board of the session reload.
fn in_room<T>(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    what: &str,
    now: i64,
    f: impl FnOnce(&mut AnyConnection, &SessionRecord) -> Outcome<(T, String)>,
) -> Outcome<T> {
    require(by, project, ProjectAction::Facilitate)?;
    db.write_with(|conn| {
        let record = found(conn, project, id)?;
        let (value, detail) = f(conn, &record)?;
        sensemaking::bump_session(conn, &record.id)?;
        audit::log(
            conn,
            Some(&by.actor()),
            what,
            Some(project),
            Some(id),
            &detail,
            now,
        )?;
        Ok(value)
    })
}

/// Phases and the timer move only while the session is open.
fn open(record: &SessionRecord) -> Outcome<()> {
    match record.closed_at {
        Some(_) => Err(SensemakingError::Closed),
        None => Ok(()),
    }
}

fn save_phase(
    conn: &mut AnyConnection,
    record: &SessionRecord,
    phase: Phase,
    minutes: i64,
    now: i64,
) -> Outcome<()> {
    sensemaking::save(
        conn,
        &SessionRecord {
            phase: phase.key().to_string(),
            phase_started_at: Some(now),
            phase_ends_at: (minutes > 0).then_some(now + minutes * 60),
            updated_at: now,
            ..record.clone()
        },
    )?;
    Ok(())
}

/// Starts `phase` for every table, with a timer of the minutes typed (empty: the phase's
/// usual length; 0: no timer).
pub fn set_phase(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    phase: &str,
    minutes: &str,
    now: i64,
) -> Outcome<()> {
    let phase = Phase::parse(phase).ok_or_else(|| refused("fase", "Kies een van de fasen."))?;
    let minutes =
        rules::check_phase_minutes(minutes, phase).map_err(|p| SensemakingError::Input(vec![p]))?;
    in_room(
        db,
        by,
        project,
        id,
        action::SESSION_PHASE,
        now,
        |conn, r| {
            open(r)?;
            save_phase(conn, r, phase, minutes, now)?;
            Ok(((), format!("{} ({minutes} min)", phase.label())))
        },
    )
}

/// Moves every table on to the phase after the current one, with its usual length (the first
/// phase when none was started yet). Refused after the last phase.
pub fn next_phase(db: &Database, by: &SignedIn, project: &str, id: &str, now: i64) -> Outcome<()> {
    in_room(
        db,
        by,
        project,
        id,
        action::SESSION_PHASE,
        now,
        |conn, r| {
            open(r)?;
            let next = match Phase::parse(&r.phase) {
                None => Phase::Lezen,
                Some(current) => current.next().ok_or_else(|| {
                    refused(
                        "fase",
                        "Dit is de laatste fase. Sluit de sessie als iedereen klaar is.",
                    )
                })?,
            };
            save_phase(conn, r, next, next.default_minutes(), now)?;
            Ok(((), next.label().to_string()))
        },
    )
}

/// Gives the running phase more time (from now when its timer already ran out).
pub fn add_minutes(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    minutes: i64,
    now: i64,
) -> Outcome<()> {
    in_room(
        db,
        by,
        project,
        id,
        action::SESSION_PHASE,
        now,
        |conn, r| {
            open(r)?;
            if Phase::parse(&r.phase).is_none() {
                return Err(refused(
                    "fase",
                    "Start eerst een fase; daarna kun je er tijd bij geven.",
                ));
            }
            let from = r.phase_ends_at.unwrap_or(now).max(now);
            let until = (from + minutes * 60).min(now + rules::MAX_PHASE_MINUTES * 60);
            sensemaking::save(
                conn,
                &SessionRecord {
                    phase_ends_at: Some(until),
                    updated_at: now,
                    ..r.clone()
                },
            )?;
            Ok(((), format!("+{minutes} min")))
        },
    )
}

/// Shows (or hides again) the cluster votes on every board, the cockpit and the report.
/// Allowed after closing too: the report needs them.
pub fn show_votes(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    shown: bool,
    now: i64,
) -> Outcome<()> {
    in_room(
        db,
        by,
        project,
        id,
        action::SESSION_VOTES,
        now,
        |conn, r| {
            sensemaking::save(
                conn,
                &SessionRecord {
                    votes_revealed_at: shown.then_some(now),
                    updated_at: now,
                    ..r.clone()
                },
            )?;
            Ok(((), if shown { "getoond" } else { "verborgen" }.to_string()))
        },
    )
}

fn cluster_of(conn: &mut AnyConnection, session: &str, id: &str) -> Outcome<ClusterRecord> {
    sensemaking::find_cluster_in_session(conn, session, id)?
        .ok_or(SensemakingError::Core(ServiceError::NotFound))
}

/// Renames a cluster of any table of the session.
pub fn rename_cluster(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    cluster: &str,
    name: &str,
    now: i64,
) -> Outcome<()> {
    let name = rules::check_cluster_name(name).map_err(|p| SensemakingError::Input(vec![p]))?;
    in_room(
        db,
        by,
        project,
        id,
        action::SESSION_REGROUP,
        now,
        |conn, r| {
            let c = cluster_of(conn, &r.id, cluster)?;
            sensemaking::rename_cluster(conn, &c.id, &name)?;
            Ok(((), format!("{} → {name}", c.name)))
        },
    )
}

/// Puts cluster `from` into `into` (any tables of the session): notes, votes and proposals
/// move along, and `from` is gone.
pub fn merge_clusters(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    from: &str,
    into: &str,
    now: i64,
) -> Outcome<()> {
    if into.trim().is_empty() {
        return Err(refused("samen", "Kies de groep waar deze groep bij moet."));
    }
    if from == into {
        return Err(refused(
            "samen",
            "Kies een andere groep: een groep kan niet bij zichzelf.",
        ));
    }
    in_room(
        db,
        by,
        project,
        id,
        action::SESSION_REGROUP,
        now,
        |conn, r| {
            let a = cluster_of(conn, &r.id, from)?;
            let b = cluster_of(conn, &r.id, into)?;
            sensemaking::merge_cluster(conn, &a.id, &b.id)?;
            Ok(((), format!("{} + {}", a.name, b.name)))
        },
    )
}

/// Puts a note of any table in a cluster of any table of the session (`None`: in no cluster).
pub fn move_note(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    note: &str,
    cluster: Option<&str>,
    now: i64,
) -> Outcome<()> {
    in_room(
        db,
        by,
        project,
        id,
        action::SESSION_REGROUP,
        now,
        |conn, r| {
            sensemaking::find_note_in_session(conn, &r.id, note)?
                .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
            let target = match cluster {
                Some(c) => Some(cluster_of(conn, &r.id, c)?),
                None => None,
            };
            sensemaking::set_note_cluster(conn, note, target.as_ref().map(|c| c.id.as_str()))?;
            Ok(((), target.map_or_else(String::new, |c| c.name)))
        },
    )
}

/// Starts a cluster at a table of the session. Returns its id.
pub fn add_cluster(
    db: &Database,
    by: &SignedIn,
    project: &str,
    id: &str,
    table: &str,
    name: &str,
    now: i64,
) -> Outcome<String> {
    let name = rules::check_cluster_name(name).map_err(|p| SensemakingError::Input(vec![p]))?;
    in_room(
        db,
        by,
        project,
        id,
        action::SESSION_REGROUP,
        now,
        |conn, r| {
            sensemaking::find_table(conn, &r.id, table)?
                .ok_or(SensemakingError::Core(ServiceError::NotFound))?;
            let record = ClusterRecord {
                id: session::new_id("CL"),
                table_id: table.to_string(),
                name: name.clone(),
                created_at: now,
            };
            sensemaking::insert_cluster(conn, &record)?;
            Ok((record.id, format!("+ {name}")))
        },
    )
}
