//! The response monitor's tables: place links, the counters of the form's stages, the
//! histogram of how long sending took, and the begeleider's targets. Counters only ever add
//! one, with one UPSERT (`INSERT … ON CONFLICT … DO UPDATE SET count = count + 1`), which both
//! backends run atomically: several instances on one PostgreSQL database add up, nothing is
//! counted in memory.

use super::schema::{place_links, response_counts, response_durations, response_targets};
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = place_links)]
pub struct PlaceLinkRecord {
    pub project_slug: String,
    pub code: String,
    pub name: String,
    pub created_at: i64,
}

/// One counter row.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = response_counts)]
pub struct CountRecord {
    pub day: String,
    pub role: String,
    pub place: String,
    pub language: String,
    pub stage: String,
    pub count: i64,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = response_targets)]
pub struct TargetRecord {
    pub project_slug: String,
    pub kind: String,
    pub value: String,
    pub target: i64,
}

pub fn insert_place(conn: &mut AnyConnection, record: &PlaceLinkRecord) -> StoreResult<()> {
    diesel::insert_into(place_links::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

/// A project's place links, oldest first.
pub fn places(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<PlaceLinkRecord>> {
    Ok(place_links::table
        .filter(place_links::project_slug.eq(project))
        .order((place_links::created_at, place_links::code))
        .select(PlaceLinkRecord::as_select())
        .load(conn)?)
}

/// Gives a place link another name; false when the project has no such link.
pub fn rename_place(
    conn: &mut AnyConnection,
    project: &str,
    code: &str,
    name: &str,
) -> StoreResult<bool> {
    let changed = diesel::update(
        place_links::table
            .filter(place_links::project_slug.eq(project))
            .filter(place_links::code.eq(code)),
    )
    .set(place_links::name.eq(name))
    .execute(conn)?;
    Ok(changed > 0)
}

/// The codes of a project's place links.
pub fn place_codes(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<String>> {
    Ok(place_links::table
        .filter(place_links::project_slug.eq(project))
        .select(place_links::code)
        .load(conn)?)
}

/// Adds one to the counter of this project, day, role, place, language and stage.
pub fn count(
    conn: &mut AnyConnection,
    project: &str,
    day: &str,
    role: &str,
    place: &str,
    language: &str,
    stage: &str,
) -> StoreResult<()> {
    const UPDATE: &str = " ON CONFLICT (project_slug, day, role, place, language, stage) \
                          DO UPDATE SET count = response_counts.count + 1";
    macro_rules! run {
        ($c:expr, $values:literal) => {
            diesel::sql_query(format!(
                "INSERT INTO response_counts \
                 (project_slug, day, role, place, language, stage, count) VALUES {}{UPDATE}",
                $values
            ))
            .bind::<Text, _>(project)
            .bind::<Text, _>(day)
            .bind::<Text, _>(role)
            .bind::<Text, _>(place)
            .bind::<Text, _>(language)
            .bind::<Text, _>(stage)
            .execute($c)?
        };
    }
    match conn {
        AnyConnection::Sqlite(c) => run!(c, "(?, ?, ?, ?, ?, ?, 1)"),
        AnyConnection::Postgresql(c) => run!(c, "($1, $2, $3, $4, $5, $6, 1)"),
    };
    Ok(())
}

/// Adds one to the duration bucket of this project and day.
pub fn count_duration(
    conn: &mut AnyConnection,
    project: &str,
    day: &str,
    bucket: i64,
) -> StoreResult<()> {
    const UPDATE: &str = " ON CONFLICT (project_slug, day, bucket) \
                          DO UPDATE SET count = response_durations.count + 1";
    macro_rules! run {
        ($c:expr, $values:literal) => {
            diesel::sql_query(format!(
                "INSERT INTO response_durations (project_slug, day, bucket, count) VALUES {}{UPDATE}",
                $values
            ))
            .bind::<Text, _>(project)
            .bind::<Text, _>(day)
            .bind::<BigInt, _>(bucket)
            .execute($c)?
        };
    }
    match conn {
        AnyConnection::Sqlite(c) => run!(c, "(?, ?, ?, 1)"),
        AnyConnection::Postgresql(c) => run!(c, "($1, $2, $3, 1)"),
    };
    Ok(())
}

/// Every counter of a project.
pub fn counts(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<CountRecord>> {
    Ok(response_counts::table
        .filter(response_counts::project_slug.eq(project))
        .order((response_counts::day, response_counts::role))
        .select(CountRecord::as_select())
        .load(conn)?)
}

/// The duration histogram of a project: (day, bucket, count).
pub fn durations(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<(String, i64, i64)>> {
    Ok(response_durations::table
        .filter(response_durations::project_slug.eq(project))
        .order((response_durations::day, response_durations::bucket))
        .select((
            response_durations::day,
            response_durations::bucket,
            response_durations::count,
        ))
        .load(conn)?)
}

pub fn targets(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<TargetRecord>> {
    Ok(response_targets::table
        .filter(response_targets::project_slug.eq(project))
        .select(TargetRecord::as_select())
        .load(conn)?)
}

/// Replaces all targets of a project (call inside a transaction).
pub fn replace_targets(
    conn: &mut AnyConnection,
    project: &str,
    records: &[TargetRecord],
) -> StoreResult<()> {
    diesel::delete(response_targets::table.filter(response_targets::project_slug.eq(project)))
        .execute(conn)?;
    for record in records {
        diesel::insert_into(response_targets::table)
            .values(record)
            .execute(conn)?;
    }
    Ok(())
}

/// Copies every place link, counter and target (`vertelpunt db copy`; inside its transaction).
pub fn copy(from: &mut AnyConnection, to: &mut AnyConnection) -> QueryResult<()> {
    let places: Vec<PlaceLinkRecord> = place_links::table
        .select(PlaceLinkRecord::as_select())
        .load(from)?;
    for record in &places {
        diesel::insert_into(place_links::table)
            .values(record)
            .execute(to)?;
    }
    type CountRow = (String, String, String, String, String, String, i64);
    let counts: Vec<CountRow> = response_counts::table
        .select((
            response_counts::project_slug,
            response_counts::day,
            response_counts::role,
            response_counts::place,
            response_counts::language,
            response_counts::stage,
            response_counts::count,
        ))
        .load(from)?;
    for (project, day, role, place, language, stage, count) in counts {
        diesel::insert_into(response_counts::table)
            .values((
                response_counts::project_slug.eq(project),
                response_counts::day.eq(day),
                response_counts::role.eq(role),
                response_counts::place.eq(place),
                response_counts::language.eq(language),
                response_counts::stage.eq(stage),
                response_counts::count.eq(count),
            ))
            .execute(to)?;
    }
    let durations: Vec<(String, String, i64, i64)> = response_durations::table
        .select((
            response_durations::project_slug,
            response_durations::day,
            response_durations::bucket,
            response_durations::count,
        ))
        .load(from)?;
    for (project, day, bucket, count) in durations {
        diesel::insert_into(response_durations::table)
            .values((
                response_durations::project_slug.eq(project),
                response_durations::day.eq(day),
                response_durations::bucket.eq(bucket),
                response_durations::count.eq(count),
            ))
            .execute(to)?;
    }
    let targets: Vec<TargetRecord> = response_targets::table
        .select(TargetRecord::as_select())
        .load(from)?;
    for record in &targets {
        diesel::insert_into(response_targets::table)
            .values(record)
            .execute(to)?;
    }
    Ok(())
}
