//! The campaign kit's texts a begeleider changed (`campaign_texts`). Only changes are kept: a
//! text without a row is the default from the interface's language files, so a better default
//! in a new release reaches every project that did not change it.

use super::schema::campaign_texts;
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = campaign_texts)]
pub struct CampaignTextRecord {
    pub project_slug: String,
    pub language: String,
    pub role: String,
    pub field: String,
    pub text: String,
    pub updated_at: i64,
}

/// Every changed text of a project.
pub fn texts(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<CampaignTextRecord>> {
    Ok(campaign_texts::table
        .filter(campaign_texts::project_slug.eq(project))
        .order((
            campaign_texts::language,
            campaign_texts::role,
            campaign_texts::field,
        ))
        .select(CampaignTextRecord::as_select())
        .load(conn)?)
}

/// Replaces the changed texts of one language and role with `records` (call inside a
/// transaction).
pub fn replace(
    conn: &mut AnyConnection,
    project: &str,
    language: &str,
    role: &str,
    records: &[CampaignTextRecord],
) -> StoreResult<()> {
    diesel::delete(
        campaign_texts::table
            .filter(campaign_texts::project_slug.eq(project))
            .filter(campaign_texts::language.eq(language))
            .filter(campaign_texts::role.eq(role)),
    )
    .execute(conn)?;
    for record in records {
        diesel::insert_into(campaign_texts::table)
            .values(record)
            .execute(conn)?;
    }
    Ok(())
}

/// Copies every changed text (`vertelpunt db copy`; inside its transaction).
pub fn copy(from: &mut AnyConnection, to: &mut AnyConnection) -> QueryResult<()> {
    let rows: Vec<CampaignTextRecord> = campaign_texts::table
        .select(CampaignTextRecord::as_select())
        .load(from)?;
    for record in &rows {
        diesel::insert_into(campaign_texts::table)
            .values(record)
            .execute(to)?;
    }
    Ok(())
}
