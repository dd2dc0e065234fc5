//! Installation-wide values kept in the database, so that every instance sharing the database
//! agrees on them (e.g. the server secret that signs form tokens).

use super::schema::app_settings::dsl;
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

pub fn get(conn: &mut AnyConnection, name: &str) -> StoreResult<Option<String>> {
    Ok(dsl::app_settings
        .filter(dsl::name.eq(name))
        .select(dsl::value)
        .first(conn)
        .optional()?)
}

/// Returns the stored value, storing `make()` first if there is none. When several instances
/// start together, the first insert wins and the others read that value.
pub fn get_or_insert(
    conn: &mut AnyConnection,
    name: &str,
    make: impl FnOnce() -> String,
) -> StoreResult<String> {
    if let Some(v) = get(conn, name)? {
        return Ok(v);
    }
    let inserted = diesel::insert_into(dsl::app_settings)
        .values((dsl::name.eq(name), dsl::value.eq(make())))
        .execute(conn);
    match inserted {
        Ok(_) => {}
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {}
        Err(e) => return Err(e.into()),
    }
    get(conn, name)?.ok_or_else(|| super::StoreError::Corrupt(format!("setting {name} vanished")))
}
