//! Duidingssessies: sessions, their tables and material, participants, notes, clusters and
//! votes. Every change at a table bumps the table's `revision` (see [`bump_table`]), which
//! open boards poll to know when to reload.

use super::schema::{
    cluster_votes, note_clusters, sensemaking_notes, sensemaking_participants,
    sensemaking_sessions, sensemaking_tables, table_materials,
};
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = sensemaking_sessions)]
pub struct SessionRecord {
    pub id: String,
    pub project_slug: String,
    pub title: String,
    pub starts_at: i64,
    pub duration_minutes: i32,
    pub place: String,
    pub is_online: bool,
    pub purpose: String,
    pub code_hash: String,
    pub code_salt: String,
    pub closed_at: Option<i64>,
    pub after_close: String,
    pub max_cards: i32,
    pub max_stories: i32,
    pub votes_per_person: i32,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The phase every table sees (`domain::sensemaking::Phase` key; '' before the first).
    pub phase: String,
    pub phase_started_at: Option<i64>,
    /// When the phase's timer runs out (`None`: no timer).
    pub phase_ends_at: Option<i64>,
    /// Since when cluster votes are shown; `None`: hidden everywhere.
    pub votes_revealed_at: Option<i64>,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = sensemaking_tables)]
pub struct TableRecord {
    pub id: String,
    pub session_id: String,
    pub name: String,
    pub colour: String,
    pub position: i32,
    pub revision: i64,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = table_materials)]
pub struct MaterialRecord {
    pub table_id: String,
    pub kind: String,
    pub ref_id: String,
    pub position: i32,
    /// For a story: a begeleider approved its own text for this table (see
    /// `service::sensemaking::approve_original`); otherwise the table shows it anonymised.
    pub original_approved: bool,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = sensemaking_participants)]
pub struct ParticipantRecord {
    pub id: String,
    pub session_id: String,
    pub table_id: String,
    pub display_name: String,
    pub perspective: String,
    pub joined_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = note_clusters)]
pub struct ClusterRecord {
    pub id: String,
    pub table_id: String,
    pub name: String,
    pub created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = sensemaking_notes)]
pub struct NoteRecord {
    pub id: String,
    pub table_id: String,
    pub participant_id: Option<String>,
    pub author_name: String,
    pub perspective: String,
    pub kind: String,
    pub body: String,
    pub so_that: String,
    pub observation_id: Option<String>,
    pub story_id: Option<String>,
    pub cluster_id: Option<String>,
    pub created_at: i64,
}

// --- sessions ---------------------------------------------------------------------------

pub fn insert(conn: &mut AnyConnection, record: &SessionRecord) -> StoreResult<()> {
    diesel::insert_into(sensemaking_sessions::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

pub fn find_in_project(
    conn: &mut AnyConnection,
    project: &str,
    id: &str,
) -> StoreResult<Option<SessionRecord>> {
    Ok(sensemaking_sessions::table
        .filter(sensemaking_sessions::id.eq(id))
        .filter(sensemaking_sessions::project_slug.eq(project))
        .select(SessionRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<SessionRecord>> {
    Ok(sensemaking_sessions::table
        .find(id)
        .select(SessionRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_code_hash(
    conn: &mut AnyConnection,
    code_hash: &str,
) -> StoreResult<Option<SessionRecord>> {
    Ok(sensemaking_sessions::table
        .filter(sensemaking_sessions::code_hash.eq(code_hash))
        .select(SessionRecord::as_select())
        .first(conn)
        .optional()?)
}

/// A project's sessions, the latest start first.
pub fn list(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<SessionRecord>> {
    Ok(sensemaking_sessions::table
        .filter(sensemaking_sessions::project_slug.eq(project))
        .order((
            sensemaking_sessions::starts_at.desc(),
            sensemaking_sessions::id.asc(),
        ))
        .select(SessionRecord::as_select())
        .load(conn)?)
}

/// Saves everything but the id, the project, the creator and the creation time.
pub fn save(conn: &mut AnyConnection, r: &SessionRecord) -> StoreResult<()> {
    diesel::update(sensemaking_sessions::table.find(&r.id))
        .set((
            sensemaking_sessions::title.eq(&r.title),
            sensemaking_sessions::starts_at.eq(r.starts_at),
            sensemaking_sessions::duration_minutes.eq(r.duration_minutes),
            sensemaking_sessions::place.eq(&r.place),
            sensemaking_sessions::is_online.eq(r.is_online),
            sensemaking_sessions::purpose.eq(&r.purpose),
            sensemaking_sessions::code_hash.eq(&r.code_hash),
            sensemaking_sessions::code_salt.eq(&r.code_salt),
            sensemaking_sessions::closed_at.eq(r.closed_at),
            sensemaking_sessions::after_close.eq(&r.after_close),
            sensemaking_sessions::max_cards.eq(r.max_cards),
            sensemaking_sessions::max_stories.eq(r.max_stories),
            sensemaking_sessions::votes_per_person.eq(r.votes_per_person),
            sensemaking_sessions::updated_at.eq(r.updated_at),
            sensemaking_sessions::phase.eq(&r.phase),
            sensemaking_sessions::phase_started_at.eq(r.phase_started_at),
            sensemaking_sessions::phase_ends_at.eq(r.phase_ends_at),
            sensemaking_sessions::votes_revealed_at.eq(r.votes_revealed_at),
        ))
        .execute(conn)?;
    Ok(())
}

// --- tables and material ----------------------------------------------------------------

pub fn insert_table(conn: &mut AnyConnection, record: &TableRecord) -> StoreResult<()> {
    diesel::insert_into(sensemaking_tables::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

pub fn tables(conn: &mut AnyConnection, session: &str) -> StoreResult<Vec<TableRecord>> {
    Ok(sensemaking_tables::table
        .filter(sensemaking_tables::session_id.eq(session))
        .order((
            sensemaking_tables::position.asc(),
            sensemaking_tables::id.asc(),
        ))
        .select(TableRecord::as_select())
        .load(conn)?)
}

pub fn find_table(
    conn: &mut AnyConnection,
    session: &str,
    id: &str,
) -> StoreResult<Option<TableRecord>> {
    Ok(sensemaking_tables::table
        .filter(sensemaking_tables::id.eq(id))
        .filter(sensemaking_tables::session_id.eq(session))
        .select(TableRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn rename_table(
    conn: &mut AnyConnection,
    id: &str,
    name: &str,
    colour: &str,
) -> StoreResult<()> {
    diesel::update(sensemaking_tables::table.find(id))
        .set((
            sensemaking_tables::name.eq(name),
            sensemaking_tables::colour.eq(colour),
            sensemaking_tables::revision.eq(sensemaking_tables::revision + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes a table with everything written at it.
pub fn delete_table(conn: &mut AnyConnection, id: &str) -> StoreResult<()> {
    // Explicit, in dependency order: SQLite enforces ON DELETE only with foreign keys on.
    let clusters = note_clusters::table
        .filter(note_clusters::table_id.eq(id))
        .select(note_clusters::id);
    diesel::delete(cluster_votes::table.filter(cluster_votes::cluster_id.eq_any(clusters)))
        .execute(conn)?;
    let participants = sensemaking_participants::table
        .filter(sensemaking_participants::table_id.eq(id))
        .select(sensemaking_participants::id);
    diesel::delete(cluster_votes::table.filter(cluster_votes::participant_id.eq_any(participants)))
        .execute(conn)?;
    diesel::delete(sensemaking_notes::table.filter(sensemaking_notes::table_id.eq(id)))
        .execute(conn)?;
    diesel::delete(note_clusters::table.filter(note_clusters::table_id.eq(id))).execute(conn)?;
    diesel::delete(
        sensemaking_participants::table.filter(sensemaking_participants::table_id.eq(id)),
    )
    .execute(conn)?;
    diesel::delete(table_materials::table.filter(table_materials::table_id.eq(id)))
        .execute(conn)?;
    diesel::delete(sensemaking_tables::table.find(id)).execute(conn)?;
    Ok(())
}

/// Marks a change at a table, so that open boards reload.
pub fn bump_table(conn: &mut AnyConnection, id: &str) -> StoreResult<()> {
    diesel::update(sensemaking_tables::table.find(id))
        .set(sensemaking_tables::revision.eq(sensemaking_tables::revision + 1))
        .execute(conn)?;
    Ok(())
}

/// The table's revision (`None` when the table is gone).
pub fn table_revision(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<i64>> {
    Ok(sensemaking_tables::table
        .find(id)
        .select(sensemaking_tables::revision)
        .first(conn)
        .optional()?)
}

pub fn materials(conn: &mut AnyConnection, table: &str) -> StoreResult<Vec<MaterialRecord>> {
    Ok(table_materials::table
        .filter(table_materials::table_id.eq(table))
        .order((
            table_materials::position.asc(),
            table_materials::ref_id.asc(),
        ))
        .select(MaterialRecord::as_select())
        .load(conn)?)
}

/// Replaces a table's material of one kind.
pub fn set_materials(
    conn: &mut AnyConnection,
    table: &str,
    kind: &str,
    ids: &[String],
) -> StoreResult<()> {
    // An approval of a story's own text stays with the story while it stays at the table.
    let approved: Vec<String> = table_materials::table
        .filter(table_materials::table_id.eq(table))
        .filter(table_materials::kind.eq(kind))
        .filter(table_materials::original_approved.eq(true))
        .select(table_materials::ref_id)
        .load(conn)?;
    diesel::delete(
        table_materials::table
            .filter(table_materials::table_id.eq(table))
            .filter(table_materials::kind.eq(kind)),
    )
    .execute(conn)?;
    let rows: Vec<MaterialRecord> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| MaterialRecord {
            table_id: table.to_string(),
            kind: kind.to_string(),
            ref_id: id.clone(),
            position: i32::try_from(i).unwrap_or(i32::MAX),
            original_approved: approved.contains(id),
        })
        .collect();
    for row in &rows {
        diesel::insert_into(table_materials::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Approves (or takes back) the own text of a story at a table; false when the story is not
/// at that table.
pub fn set_original_approved(
    conn: &mut AnyConnection,
    table: &str,
    story: &str,
    approved: bool,
) -> StoreResult<bool> {
    let n = diesel::update(
        table_materials::table
            .filter(table_materials::table_id.eq(table))
            .filter(table_materials::kind.eq("verhaal"))
            .filter(table_materials::ref_id.eq(story)),
    )
    .set(table_materials::original_approved.eq(approved))
    .execute(conn)?;
    Ok(n == 1)
}

/// The observation ids used at any table of a session.
pub fn cards_of_session(conn: &mut AnyConnection, session: &str) -> StoreResult<Vec<String>> {
    let tables = sensemaking_tables::table
        .filter(sensemaking_tables::session_id.eq(session))
        .select(sensemaking_tables::id);
    Ok(table_materials::table
        .filter(table_materials::table_id.eq_any(tables))
        .filter(table_materials::kind.eq("kaart"))
        .select(table_materials::ref_id)
        .distinct()
        .load(conn)?)
}

// --- participants -----------------------------------------------------------------------

pub fn insert_participant(conn: &mut AnyConnection, record: &ParticipantRecord) -> StoreResult<()> {
    diesel::insert_into(sensemaking_participants::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

pub fn find_participant(
    conn: &mut AnyConnection,
    session: &str,
    id: &str,
) -> StoreResult<Option<ParticipantRecord>> {
    Ok(sensemaking_participants::table
        .filter(sensemaking_participants::id.eq(id))
        .filter(sensemaking_participants::session_id.eq(session))
        .select(ParticipantRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn participants(
    conn: &mut AnyConnection,
    session: &str,
) -> StoreResult<Vec<ParticipantRecord>> {
    Ok(sensemaking_participants::table
        .filter(sensemaking_participants::session_id.eq(session))
        .order((
            sensemaking_participants::joined_at.asc(),
            sensemaking_participants::id.asc(),
        ))
        .select(ParticipantRecord::as_select())
        .load(conn)?)
}

// --- notes, clusters, votes -------------------------------------------------------------

pub fn insert_note(conn: &mut AnyConnection, record: &NoteRecord) -> StoreResult<()> {
    diesel::insert_into(sensemaking_notes::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

/// A table's notes, oldest first.
pub fn notes(conn: &mut AnyConnection, table: &str) -> StoreResult<Vec<NoteRecord>> {
    Ok(sensemaking_notes::table
        .filter(sensemaking_notes::table_id.eq(table))
        .order((
            sensemaking_notes::created_at.asc(),
            sensemaking_notes::id.asc(),
        ))
        .select(NoteRecord::as_select())
        .load(conn)?)
}

pub fn find_note(
    conn: &mut AnyConnection,
    table: &str,
    id: &str,
) -> StoreResult<Option<NoteRecord>> {
    Ok(sensemaking_notes::table
        .filter(sensemaking_notes::id.eq(id))
        .filter(sensemaking_notes::table_id.eq(table))
        .select(NoteRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn delete_note(conn: &mut AnyConnection, id: &str) -> StoreResult<()> {
    diesel::delete(sensemaking_notes::table.find(id)).execute(conn)?;
    Ok(())
}

pub fn set_note_cluster(
    conn: &mut AnyConnection,
    id: &str,
    cluster: Option<&str>,
) -> StoreResult<()> {
    diesel::update(sensemaking_notes::table.find(id))
        .set(sensemaking_notes::cluster_id.eq(cluster))
        .execute(conn)?;
    Ok(())
}

pub fn insert_cluster(conn: &mut AnyConnection, record: &ClusterRecord) -> StoreResult<()> {
    diesel::insert_into(note_clusters::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

pub fn clusters(conn: &mut AnyConnection, table: &str) -> StoreResult<Vec<ClusterRecord>> {
    Ok(note_clusters::table
        .filter(note_clusters::table_id.eq(table))
        .order((note_clusters::created_at.asc(), note_clusters::id.asc()))
        .select(ClusterRecord::as_select())
        .load(conn)?)
}

pub fn find_cluster(
    conn: &mut AnyConnection,
    table: &str,
    id: &str,
) -> StoreResult<Option<ClusterRecord>> {
    Ok(note_clusters::table
        .filter(note_clusters::id.eq(id))
        .filter(note_clusters::table_id.eq(table))
        .select(ClusterRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn rename_cluster(conn: &mut AnyConnection, id: &str, name: &str) -> StoreResult<()> {
    diesel::update(note_clusters::table.find(id))
        .set(note_clusters::name.eq(name))
        .execute(conn)?;
    Ok(())
}

/// Removes a cluster: its notes stay on the table, outside any cluster; its votes go.
pub fn delete_cluster(conn: &mut AnyConnection, id: &str) -> StoreResult<()> {
    diesel::update(sensemaking_notes::table.filter(sensemaking_notes::cluster_id.eq(id)))
        .set(sensemaking_notes::cluster_id.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(cluster_votes::table.filter(cluster_votes::cluster_id.eq(id))).execute(conn)?;
    diesel::delete(note_clusters::table.find(id)).execute(conn)?;
    Ok(())
}

/// Votes on a table's clusters: (cluster, participant, votes).
pub fn votes(conn: &mut AnyConnection, table: &str) -> StoreResult<Vec<(String, String, i32)>> {
    let clusters = note_clusters::table
        .filter(note_clusters::table_id.eq(table))
        .select(note_clusters::id);
    Ok(cluster_votes::table
        .filter(cluster_votes::cluster_id.eq_any(clusters))
        .select((
            cluster_votes::cluster_id,
            cluster_votes::participant_id,
            cluster_votes::votes,
        ))
        .load(conn)?)
}

/// All votes a participant has given in the session.
pub fn votes_given(conn: &mut AnyConnection, participant: &str) -> StoreResult<i64> {
    let n: Option<i64> = cluster_votes::table
        .filter(cluster_votes::participant_id.eq(participant))
        .select(diesel::dsl::sum(cluster_votes::votes))
        .first(conn)?;
    Ok(n.unwrap_or(0))
}

/// Sets a participant's votes on one cluster (0 removes the row).
pub fn set_votes(
    conn: &mut AnyConnection,
    cluster: &str,
    participant: &str,
    votes: i32,
) -> StoreResult<()> {
    diesel::delete(
        cluster_votes::table
            .filter(cluster_votes::cluster_id.eq(cluster))
            .filter(cluster_votes::participant_id.eq(participant)),
    )
    .execute(conn)?;
    if votes > 0 {
        diesel::insert_into(cluster_votes::table)
            .values((
                cluster_votes::cluster_id.eq(cluster),
                cluster_votes::participant_id.eq(participant),
                cluster_votes::votes.eq(votes),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The number of notes at one table.
pub fn note_count(conn: &mut AnyConnection, table: &str) -> StoreResult<i64> {
    Ok(sensemaking_notes::table
        .filter(sensemaking_notes::table_id.eq(table))
        .count()
        .get_result(conn)?)
}

/// Notes per table of a session: (table id, count).
pub fn note_counts(conn: &mut AnyConnection, session: &str) -> StoreResult<Vec<(String, i64)>> {
    let tables = sensemaking_tables::table
        .filter(sensemaking_tables::session_id.eq(session))
        .select(sensemaking_tables::id);
    Ok(sensemaking_notes::table
        .filter(sensemaking_notes::table_id.eq_any(tables))
        .group_by(sensemaking_notes::table_id)
        .select((sensemaking_notes::table_id, diesel::dsl::count_star()))
        .load(conn)?)
}

// --- the cockpit: the whole session at once ---------------------------------------------

/// Marks a change for every table of the session (a phase, the votes shown, a begeleider's
/// regrouping), so every open board reloads.
pub fn bump_session(conn: &mut AnyConnection, session: &str) -> StoreResult<()> {
    diesel::update(sensemaking_tables::table.filter(sensemaking_tables::session_id.eq(session)))
        .set(sensemaking_tables::revision.eq(sensemaking_tables::revision + 1))
        .execute(conn)?;
    Ok(())
}

/// The revisions of the session's tables, in table order: the cockpit polls these and
/// reloads when any of them changed (a table added or removed changes the list too).
pub fn session_revisions(conn: &mut AnyConnection, session: &str) -> StoreResult<Vec<i64>> {
    Ok(sensemaking_tables::table
        .filter(sensemaking_tables::session_id.eq(session))
        .order((
            sensemaking_tables::position.asc(),
            sensemaking_tables::id.asc(),
        ))
        .select(sensemaking_tables::revision)
        .load(conn)?)
}

/// A cluster of any table of the session.
pub fn find_cluster_in_session(
    conn: &mut AnyConnection,
    session: &str,
    id: &str,
) -> StoreResult<Option<ClusterRecord>> {
    let tables = sensemaking_tables::table
        .filter(sensemaking_tables::session_id.eq(session))
        .select(sensemaking_tables::id);
    Ok(note_clusters::table
        .filter(note_clusters::id.eq(id))
        .filter(note_clusters::table_id.eq_any(tables))
        .select(ClusterRecord::as_select())
        .first(conn)
        .optional()?)
}

/// A note written at any table of the session.
pub fn find_note_in_session(
    conn: &mut AnyConnection,
    session: &str,
    id: &str,
) -> StoreResult<Option<NoteRecord>> {
    let tables = sensemaking_tables::table
        .filter(sensemaking_tables::session_id.eq(session))
        .select(sensemaking_tables::id);
    Ok(sensemaking_notes::table
        .filter(sensemaking_notes::id.eq(id))
        .filter(sensemaking_notes::table_id.eq_any(tables))
        .select(NoteRecord::as_select())
        .first(conn)
        .optional()?)
}

/// What a table's board holds: the notes written at the table, and the notes of other
/// tables that a begeleider put in one of its clusters; oldest first.
pub fn board_notes(conn: &mut AnyConnection, table: &str) -> StoreResult<Vec<NoteRecord>> {
    let clusters = note_clusters::table
        .filter(note_clusters::table_id.eq(table))
        .select(note_clusters::id.nullable());
    Ok(sensemaking_notes::table
        .filter(
            sensemaking_notes::table_id
                .eq(table)
                .or(sensemaking_notes::cluster_id.eq_any(clusters)),
        )
        .order((
            sensemaking_notes::created_at.asc(),
            sensemaking_notes::id.asc(),
        ))
        .select(NoteRecord::as_select())
        .load(conn)?)
}

/// The other tables whose boards show something of this one, after a begeleider regrouped
/// across tables: tables whose notes sit in this table's clusters, and tables with a cluster
/// that holds one of this table's notes. Empty in a session nobody regrouped.
pub fn related_tables(conn: &mut AnyConnection, table: &str) -> StoreResult<Vec<String>> {
    let own_clusters = note_clusters::table
        .filter(note_clusters::table_id.eq(table))
        .select(note_clusters::id.nullable());
    let mut related: Vec<String> = sensemaking_notes::table
        .filter(sensemaking_notes::cluster_id.eq_any(own_clusters))
        .filter(sensemaking_notes::table_id.ne(table))
        .select(sensemaking_notes::table_id)
        .distinct()
        .load(conn)?;
    let own_notes_clusters = sensemaking_notes::table
        .filter(sensemaking_notes::table_id.eq(table))
        .filter(sensemaking_notes::cluster_id.is_not_null())
        .select(sensemaking_notes::cluster_id);
    let holding: Vec<String> = note_clusters::table
        .filter(note_clusters::id.nullable().eq_any(own_notes_clusters))
        .filter(note_clusters::table_id.ne(table))
        .select(note_clusters::table_id)
        .distinct()
        .load(conn)?;
    related.extend(holding);
    related.sort();
    related.dedup();
    Ok(related)
}

/// Clusters by id, with any table they are at.
pub fn clusters_by_id(conn: &mut AnyConnection, ids: &[String]) -> StoreResult<Vec<ClusterRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(note_clusters::table
        .filter(note_clusters::id.eq_any(ids))
        .select(ClusterRecord::as_select())
        .load(conn)?)
}

/// Puts cluster `from` into cluster `into` (both of one session): its notes and its votes
/// move (a participant who voted on both keeps the sum), proposals made from it point to
/// `into`, and `from` is removed.
pub fn merge_cluster(conn: &mut AnyConnection, from: &str, into: &str) -> StoreResult<()> {
    use super::schema::proposals;
    diesel::update(sensemaking_notes::table.filter(sensemaking_notes::cluster_id.eq(from)))
        .set(sensemaking_notes::cluster_id.eq(into))
        .execute(conn)?;
    let moving: Vec<(String, i32)> = cluster_votes::table
        .filter(cluster_votes::cluster_id.eq(from))
        .select((cluster_votes::participant_id, cluster_votes::votes))
        .load(conn)?;
    for (participant, votes) in moving {
        let there: Option<i32> = cluster_votes::table
            .filter(cluster_votes::cluster_id.eq(into))
            .filter(cluster_votes::participant_id.eq(&participant))
            .select(cluster_votes::votes)
            .first(conn)
            .optional()?;
        set_votes(conn, into, &participant, there.unwrap_or(0) + votes)?;
    }
    diesel::update(proposals::table.filter(proposals::cluster_id.eq(from)))
        .set(proposals::cluster_id.eq(into))
        .execute(conn)?;
    delete_cluster(conn, from)
}
