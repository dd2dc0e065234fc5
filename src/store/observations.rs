//! Observations, their typical stories and their quotes.

use super::schema::{observation_quotes, observation_stories, observations};
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = observations)]
pub struct ObservationRecord {
    pub id: String,
    pub project_slug: String,
    pub title: String,
    pub description: String,
    pub interpretation_a: String,
    pub interpretation_b: String,
    pub notes: String,
    pub theme: String,
    pub status: String,
    pub pattern: Option<String>,
    pub figures_at: Option<i64>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The interpretations after the first two, as a JSON array of strings (`[]`: none).
    pub more_interpretations: String,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = observation_quotes)]
pub struct QuoteRecord {
    pub id: String,
    pub observation_id: String,
    pub story_id: String,
    pub text: String,
    pub created_at: i64,
}

pub fn insert(conn: &mut AnyConnection, record: &ObservationRecord) -> StoreResult<()> {
    diesel::insert_into(observations::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

/// An observation of this project; `None` for an id of another project.
pub fn find_in_project(
    conn: &mut AnyConnection,
    project: &str,
    id: &str,
) -> StoreResult<Option<ObservationRecord>> {
    Ok(observations::table
        .filter(observations::id.eq(id))
        .filter(observations::project_slug.eq(project))
        .select(ObservationRecord::as_select())
        .first(conn)
        .optional()?)
}

/// A project's observations, most recently changed first.
pub fn list(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<ObservationRecord>> {
    Ok(observations::table
        .filter(observations::project_slug.eq(project))
        .order((observations::updated_at.desc(), observations::id.asc()))
        .select(ObservationRecord::as_select())
        .load(conn)?)
}

/// Marks a ready observation as used in a session (other statuses stay as they are).
pub fn mark_used(conn: &mut AnyConnection, project: &str, id: &str, now: i64) -> StoreResult<()> {
    diesel::update(
        observations::table
            .filter(observations::id.eq(id))
            .filter(observations::project_slug.eq(project))
            .filter(observations::status.eq("klaar")),
    )
    .set((
        observations::status.eq("gebruikt"),
        observations::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(())
}

/// Saves the texts and the status.
pub fn save_text(conn: &mut AnyConnection, record: &ObservationRecord) -> StoreResult<bool> {
    let n = diesel::update(observations::table.filter(observations::id.eq(&record.id)))
        .set((
            observations::title.eq(&record.title),
            observations::description.eq(&record.description),
            observations::interpretation_a.eq(&record.interpretation_a),
            observations::interpretation_b.eq(&record.interpretation_b),
            observations::more_interpretations.eq(&record.more_interpretations),
            observations::notes.eq(&record.notes),
            observations::theme.eq(&record.theme),
            observations::status.eq(&record.status),
            observations::updated_at.eq(record.updated_at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Replaces the pattern snapshot (the figures) and when it was taken.
pub fn save_pattern(
    conn: &mut AnyConnection,
    id: &str,
    pattern: &str,
    at: i64,
) -> StoreResult<bool> {
    let n = diesel::update(observations::table.filter(observations::id.eq(id)))
        .set((
            observations::pattern.eq(Some(pattern)),
            observations::figures_at.eq(Some(at)),
            observations::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Replaces the stored snapshot without taking its figures again (`figures_at` stays), e.g.
/// when a typical story kept in it is taken away.
pub fn replace_pattern(
    conn: &mut AnyConnection,
    id: &str,
    pattern: &str,
    now: i64,
) -> StoreResult<bool> {
    let n = diesel::update(observations::table.filter(observations::id.eq(id)))
        .set((
            observations::pattern.eq(Some(pattern)),
            observations::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// The ids of an observation's typical stories, in their order.
pub fn story_ids(conn: &mut AnyConnection, observation: &str) -> StoreResult<Vec<String>> {
    Ok(observation_stories::table
        .filter(observation_stories::observation_id.eq(observation))
        .order(observation_stories::position.asc())
        .select(observation_stories::story_id)
        .load(conn)?)
}

/// Adds a story at the end; false when it was there already.
pub fn add_story(conn: &mut AnyConnection, observation: &str, story: &str) -> StoreResult<bool> {
    let present: i64 = observation_stories::table
        .filter(observation_stories::observation_id.eq(observation))
        .filter(observation_stories::story_id.eq(story))
        .count()
        .get_result(conn)?;
    if present > 0 {
        return Ok(false);
    }
    let last: Option<i32> = observation_stories::table
        .filter(observation_stories::observation_id.eq(observation))
        .select(diesel::dsl::max(observation_stories::position))
        .first(conn)?;
    diesel::insert_into(observation_stories::table)
        .values((
            observation_stories::observation_id.eq(observation),
            observation_stories::story_id.eq(story),
            observation_stories::position.eq(last.unwrap_or(0) + 1),
        ))
        .execute(conn)?;
    Ok(true)
}

pub fn remove_story(conn: &mut AnyConnection, observation: &str, story: &str) -> StoreResult<bool> {
    let n = diesel::delete(
        observation_stories::table
            .filter(observation_stories::observation_id.eq(observation))
            .filter(observation_stories::story_id.eq(story)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_quote(conn: &mut AnyConnection, quote: &QuoteRecord) -> StoreResult<()> {
    diesel::insert_into(observation_quotes::table)
        .values(quote)
        .execute(conn)?;
    Ok(())
}

/// An observation's quotes, oldest first.
pub fn quotes(conn: &mut AnyConnection, observation: &str) -> StoreResult<Vec<QuoteRecord>> {
    Ok(observation_quotes::table
        .filter(observation_quotes::observation_id.eq(observation))
        .order((
            observation_quotes::created_at.asc(),
            observation_quotes::id.asc(),
        ))
        .select(QuoteRecord::as_select())
        .load(conn)?)
}

pub fn remove_quote(conn: &mut AnyConnection, observation: &str, quote: &str) -> StoreResult<bool> {
    let n = diesel::delete(
        observation_quotes::table
            .filter(observation_quotes::observation_id.eq(observation))
            .filter(observation_quotes::id.eq(quote)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// Wipes the text of every quote taken from this story (on withdrawal). The rows stay, so a
/// card can still say that a quote was taken away; the words are gone.
pub fn blank_quotes_of_story(conn: &mut AnyConnection, story: &str) -> StoreResult<usize> {
    Ok(
        diesel::update(observation_quotes::table.filter(observation_quotes::story_id.eq(story)))
            .set(observation_quotes::text.eq(""))
            .execute(conn)?,
    )
}

/// Removes every quote taken from this story (its text is gone); returns how many.
pub fn remove_quotes_of_story(conn: &mut AnyConnection, story: &str) -> StoreResult<usize> {
    Ok(
        diesel::delete(observation_quotes::table.filter(observation_quotes::story_id.eq(story)))
            .execute(conn)?,
    )
}

/// Every quote taken from this story, of any observation.
pub fn quotes_of_story(conn: &mut AnyConnection, story: &str) -> StoreResult<Vec<QuoteRecord>> {
    Ok(observation_quotes::table
        .filter(observation_quotes::story_id.eq(story))
        .order(observation_quotes::id.asc())
        .select(QuoteRecord::as_select())
        .load(conn)?)
}

/// Replaces the words of one quote (after its story was redacted).
pub fn set_quote_text(conn: &mut AnyConnection, quote: &str, text: &str) -> StoreResult<bool> {
    let n = diesel::update(observation_quotes::table.filter(observation_quotes::id.eq(quote)))
        .set(observation_quotes::text.eq(text))
        .execute(conn)?;
    Ok(n == 1)
}
