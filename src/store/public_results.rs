//! The public results page of a project: whether it is switched on, which observation cards
//! it publishes, and the few counts and dates it shows (stories told, sessions held, where one
//! story went). Nothing here reads a story's text.

use super::schema::{
    observation_quotes, observation_stories, public_results, published_observations,
    sensemaking_participants, sensemaking_sessions, sensemaking_tables, stories, table_materials,
};
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

/// Whether the project shows its public results page.
pub fn is_on(conn: &mut AnyConnection, project: &str) -> StoreResult<bool> {
    Ok(public_results::table
        .filter(public_results::project_slug.eq(project))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// Switches the page on or off; true when this changed something.
pub fn switch(conn: &mut AnyConnection, project: &str, on: bool, now: i64) -> StoreResult<bool> {
    let was_on = is_on(conn, project)?;
    if was_on == on {
        return Ok(false);
    }
    if on {
        diesel::insert_into(public_results::table)
            .values((
                public_results::project_slug.eq(project),
                public_results::switched_on_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        diesel::delete(public_results::table.filter(public_results::project_slug.eq(project)))
            .execute(conn)?;
    }
    Ok(true)
}

/// The ids of the project's published observations.
pub fn published_ids(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<String>> {
    Ok(published_observations::table
        .filter(published_observations::project_slug.eq(project))
        .order(published_observations::published_at.asc())
        .select(published_observations::observation_id)
        .load(conn)?)
}

/// Publishes an observation; true when it was not published yet.
pub fn publish(
    conn: &mut AnyConnection,
    project: &str,
    observation: &str,
    now: i64,
) -> StoreResult<bool> {
    let there = published_observations::table
        .filter(published_observations::observation_id.eq(observation))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if there {
        return Ok(false);
    }
    diesel::insert_into(published_observations::table)
        .values((
            published_observations::observation_id.eq(observation),
            published_observations::project_slug.eq(project),
            published_observations::published_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Takes an observation off the page; true when it was published.
pub fn unpublish(conn: &mut AnyConnection, project: &str, observation: &str) -> StoreResult<bool> {
    let n = diesel::delete(
        published_observations::table
            .filter(published_observations::project_slug.eq(project))
            .filter(published_observations::observation_id.eq(observation)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

/// Stories of the project that count on a public page: not withdrawn, not hidden.
pub fn told_count(conn: &mut AnyConnection, project: &str) -> StoreResult<i64> {
    Ok(stories::table
        .filter(stories::project_slug.eq(project))
        .filter(stories::withdrawn_at.is_null())
        .filter(stories::hidden_at.is_null())
        .count()
        .get_result(conn)?)
}

/// A duidingssessie that has started, counted without names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldSession {
    pub id: String,
    pub starts_at: i64,
    pub tables: i64,
    pub participants: i64,
}

/// The project's sessions that started at or before `now`, oldest first.
pub fn held_sessions(
    conn: &mut AnyConnection,
    project: &str,
    now: i64,
) -> StoreResult<Vec<HeldSession>> {
    let sessions: Vec<(String, i64)> = sensemaking_sessions::table
        .filter(sensemaking_sessions::project_slug.eq(project))
        .filter(sensemaking_sessions::starts_at.le(now))
        .order((
            sensemaking_sessions::starts_at.asc(),
            sensemaking_sessions::id.asc(),
        ))
        .select((sensemaking_sessions::id, sensemaking_sessions::starts_at))
        .load(conn)?;
    let mut held = Vec::with_capacity(sessions.len());
    for (id, starts_at) in sessions {
        let tables = sensemaking_tables::table
            .filter(sensemaking_tables::session_id.eq(&id))
            .count()
            .get_result(conn)?;
        let participants = sensemaking_participants::table
            .filter(sensemaking_participants::session_id.eq(&id))
            .count()
            .get_result(conn)?;
        held.push(HeldSession {
            id,
            starts_at,
            tables,
            participants,
        });
    }
    Ok(held)
}

/// When the sessions of `project` started at whose tables `story` was material, for the
/// sessions that started at or before `now`; oldest first, each session once.
pub fn sessions_of_story(
    conn: &mut AnyConnection,
    project: &str,
    story: &str,
    now: i64,
) -> StoreResult<Vec<i64>> {
    let tables: Vec<String> = table_materials::table
        .filter(table_materials::kind.eq("verhaal"))
        .filter(table_materials::ref_id.eq(story))
        .select(table_materials::table_id)
        .load(conn)?;
    if tables.is_empty() {
        return Ok(Vec::new());
    }
    let sessions: Vec<String> = sensemaking_tables::table
        .filter(sensemaking_tables::id.eq_any(&tables))
        .select(sensemaking_tables::session_id)
        .load(conn)?;
    let mut starts: Vec<(String, i64)> = sensemaking_sessions::table
        .filter(sensemaking_sessions::id.eq_any(&sessions))
        .filter(sensemaking_sessions::project_slug.eq(project))
        .filter(sensemaking_sessions::starts_at.le(now))
        .select((sensemaking_sessions::id, sensemaking_sessions::starts_at))
        .load(conn)?;
    starts.sort_by_key(|(id, at)| (*at, id.clone()));
    starts.dedup_by(|a, b| a.0 == b.0);
    Ok(starts.into_iter().map(|(_, at)| at).collect())
}

/// The observations that took `story` up, as a typical story or with a quote from it.
pub fn observations_of_story(conn: &mut AnyConnection, story: &str) -> StoreResult<Vec<String>> {
    let mut ids: Vec<String> = observation_stories::table
        .filter(observation_stories::story_id.eq(story))
        .select(observation_stories::observation_id)
        .load(conn)?;
    ids.extend(
        observation_quotes::table
            .filter(observation_quotes::story_id.eq(story))
            .select(observation_quotes::observation_id)
            .load::<String>(conn)?,
    );
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// Copies the page switches and the published cards to another database (`vertelpunt db
/// copy`), after the projects and observations are there. Few rows: one insert each.
pub fn copy(from: &mut AnyConnection, to: &mut AnyConnection) -> QueryResult<()> {
    let switches: Vec<(String, i64)> = public_results::table
        .select((public_results::project_slug, public_results::switched_on_at))
        .load(from)?;
    for (project, at) in switches {
        diesel::insert_into(public_results::table)
            .values((
                public_results::project_slug.eq(project),
                public_results::switched_on_at.eq(at),
            ))
            .execute(to)?;
    }
    let published: Vec<(String, String, i64)> = published_observations::table
        .select((
            published_observations::observation_id,
            published_observations::project_slug,
            published_observations::published_at,
        ))
        .load(from)?;
    for (observation, project, at) in published {
        diesel::insert_into(published_observations::table)
            .values((
                published_observations::observation_id.eq(observation),
                published_observations::project_slug.eq(project),
                published_observations::published_at.eq(at),
            ))
            .execute(to)?;
    }
    Ok(())
}
