//! Projects and their questionnaire versions.
//!
//! A questionnaire that already has stories is never changed in place: saving a different
//! definition then adds a new version, and stories keep the version they were answered with.

use super::schema::{projects, questionnaires, stories};
use super::{AnyConnection, StoreError, StoreResult};
use crate::domain::{Project, ProjectSettings, Questionnaire};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = projects)]
struct ProjectRow {
    slug: String,
    name: String,
    is_open: bool,
    settings: String,
    current_version: i32,
    sliders_unset_from: i32,
}

/// One line of a project list.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProjectSummary {
    pub slug: String,
    pub name: String,
    pub is_open: bool,
    pub version: i32,
}

impl ProjectRow {
    fn summary(self) -> ProjectSummary {
        ProjectSummary {
            slug: self.slug,
            name: self.name,
            is_open: self.is_open,
            version: self.current_version,
        }
    }
}

fn parse_definition(slug: &str, version: i32, json: &str) -> StoreResult<Questionnaire> {
    Questionnaire::from_json(json)
        .map_err(|e| StoreError::Corrupt(format!("questionnaire {slug} v{version}: {e}")))
}

/// Creates a project with version 1 of its questionnaire. Fails with a unique violation when
/// the slug is taken.
pub fn create(
    conn: &mut AnyConnection,
    questionnaire: &Questionnaire,
    settings: &ProjectSettings,
    now: i64,
) -> StoreResult<()> {
    diesel::insert_into(projects::table)
        .values((
            projects::slug.eq(&questionnaire.slug),
            projects::name.eq(&questionnaire.title),
            projects::is_open.eq(true),
            projects::settings.eq(settings.to_json()),
            projects::current_version.eq(1),
            projects::created_at.eq(now),
        ))
        .execute(conn)?;
    diesel::insert_into(questionnaires::table)
        .values((
            questionnaires::project_slug.eq(&questionnaire.slug),
            questionnaires::version.eq(1),
            questionnaires::definition.eq(questionnaire.to_json_pretty()),
            questionnaires::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut AnyConnection, slug: &str) -> StoreResult<Option<Project>> {
    let Some(row) = projects::table
        .filter(projects::slug.eq(slug))
        .select(ProjectRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let questionnaire = questionnaire(conn, slug, row.current_version)?.ok_or_else(|| {
        StoreError::Corrupt(format!(
            "project {slug} has no questionnaire v{}",
            row.current_version
        ))
    })?;
    let settings = ProjectSettings::from_json(&row.settings)
        .map_err(|e| StoreError::Corrupt(format!("settings of {slug}: {e}")))?;
    Ok(Some(Project {
        slug: row.slug,
        name: row.name,
        is_open: row.is_open,
        settings,
        version: row.current_version,
        sliders_unset_from: row.sliders_unset_from,
        questionnaire,
    }))
}

/// A project's name and state without its questionnaire (cheap existence check).
pub fn find_summary(conn: &mut AnyConnection, slug: &str) -> StoreResult<Option<ProjectSummary>> {
    Ok(projects::table
        .filter(projects::slug.eq(slug))
        .select(ProjectRow::as_select())
        .first(conn)
        .optional()?
        .map(ProjectRow::summary))
}

pub fn list(conn: &mut AnyConnection) -> StoreResult<Vec<ProjectSummary>> {
    let rows: Vec<ProjectRow> = projects::table
        .order(projects::name.asc())
        .select(ProjectRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(ProjectRow::summary).collect())
}

pub fn count(conn: &mut AnyConnection) -> StoreResult<i64> {
    Ok(projects::table.count().get_result(conn)?)
}

pub fn questionnaire(
    conn: &mut AnyConnection,
    slug: &str,
    version: i32,
) -> StoreResult<Option<Questionnaire>> {
    let json: Option<String> = questionnaires::table
        .filter(questionnaires::project_slug.eq(slug))
        .filter(questionnaires::version.eq(version))
        .select(questionnaires::definition)
        .first(conn)
        .optional()?;
    json.map(|j| parse_definition(slug, version, &j))
        .transpose()
}

/// Every version of a project's questionnaire, oldest first.
pub fn versions(conn: &mut AnyConnection, slug: &str) -> StoreResult<Vec<(i32, Questionnaire)>> {
    let rows: Vec<(i32, String)> = questionnaires::table
        .filter(questionnaires::project_slug.eq(slug))
        .order(questionnaires::version.asc())
        .select((questionnaires::version, questionnaires::definition))
        .load(conn)?;
    rows.into_iter()
        .map(|(v, json)| Ok((v, parse_definition(slug, v, &json)?)))
        .collect()
}

/// What saving a questionnaire did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Unchanged(i32),
    /// The current version had no stories yet and was replaced.
    Replaced(i32),
    /// The current version has stories; this is the new version.
    NewVersion(i32),
}

impl SaveOutcome {
    pub fn version(self) -> i32 {
        match self {
            SaveOutcome::Unchanged(v) | SaveOutcome::Replaced(v) | SaveOutcome::NewVersion(v) => v,
        }
    }
}

/// How many stories (withdrawn ones included) were told with this questionnaire version.
pub fn stories_with_version(
    conn: &mut AnyConnection,
    slug: &str,
    version: i32,
) -> StoreResult<i64> {
    Ok(stories::table
        .filter(stories::project_slug.eq(slug))
        .filter(stories::questionnaire_version.eq(version))
        .count()
        .get_result(conn)?)
}

/// Saves a new definition for an existing project (call inside a transaction).
pub fn save_questionnaire(
    conn: &mut AnyConnection,
    questionnaire: &Questionnaire,
    now: i64,
) -> StoreResult<SaveOutcome> {
    let slug = questionnaire.slug.as_str();
    let current: i32 = projects::table
        .filter(projects::slug.eq(slug))
        .select(projects::current_version)
        .first(conn)?;
    let existing = self::questionnaire(conn, slug, current)?;
    if existing.as_ref() == Some(questionnaire) {
        return Ok(SaveOutcome::Unchanged(current));
    }
    let outcome = if stories_with_version(conn, slug, current)? == 0 {
        diesel::update(
            questionnaires::table
                .filter(questionnaires::project_slug.eq(slug))
                .filter(questionnaires::version.eq(current)),
        )
        .set(questionnaires::definition.eq(questionnaire.to_json_pretty()))
        .execute(conn)?;
        SaveOutcome::Replaced(current)
    } else {
        let next = current + 1;
        diesel::insert_into(questionnaires::table)
            .values((
                questionnaires::project_slug.eq(slug),
                questionnaires::version.eq(next),
                questionnaires::definition.eq(questionnaire.to_json_pretty()),
                questionnaires::created_at.eq(now),
            ))
            .execute(conn)?;
        SaveOutcome::NewVersion(next)
    };
    diesel::update(projects::table.filter(projects::slug.eq(slug)))
        .set((
            projects::current_version.eq(outcome.version()),
            projects::name.eq(&questionnaire.title),
        ))
        .execute(conn)?;
    super::changes::record_project(conn, slug)?;
    Ok(outcome)
}

pub fn set_open(conn: &mut AnyConnection, slug: &str, open: bool) -> StoreResult<bool> {
    let n = diesel::update(projects::table.filter(projects::slug.eq(slug)))
        .set(projects::is_open.eq(open))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn save_settings(
    conn: &mut AnyConnection,
    slug: &str,
    settings: &ProjectSettings,
) -> StoreResult<bool> {
    let n = diesel::update(projects::table.filter(projects::slug.eq(slug)))
        .set(projects::settings.eq(settings.to_json()))
        .execute(conn)?;
    if n == 1 {
        // Role labels live in the settings and appear in analyses.
        super::changes::record_project(conn, slug)?;
    }
    Ok(n == 1)
}

/// Renames a project. The name is also the title in its current questionnaire; that title is
/// updated in place because no story answered it (a new version would be noise).
pub fn rename(conn: &mut AnyConnection, slug: &str, name: &str) -> StoreResult<bool> {
    let Some(project) = find(conn, slug)? else {
        return Ok(false);
    };
    let mut questionnaire = project.questionnaire;
    questionnaire.title = name.to_string();
    diesel::update(
        questionnaires::table
            .filter(questionnaires::project_slug.eq(slug))
            .filter(questionnaires::version.eq(project.version)),
    )
    .set(questionnaires::definition.eq(questionnaire.to_json_pretty()))
    .execute(conn)?;
    diesel::update(projects::table.filter(projects::slug.eq(slug)))
        .set(projects::name.eq(name))
        .execute(conn)?;
    super::changes::record_project(conn, slug)?;
    Ok(true)
}
