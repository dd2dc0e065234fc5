//! The export of a project's verbetervoorstellen for begeleiders and the stuurgroep ("wat is
//! ermee gebeurd?"): every proposal with where it came from, its owner's name, level, status
//! and its whole history, as CSV or XLSX (`exchange::proposals`, docs/formats.md).
//!
//! Whoever may read the proposals list may export it ([`ProjectAction::Read`]); every export
//! is written to the audit log. The owner's e-mail address and personal link stay out.

use super::accounts::SignedIn;
use super::audit::{self, action};
use super::proposals::{describe_sources, SourceKind};
use crate::domain::accounts::ProjectAction;
use crate::domain::sensemaking::{Level, ProposalStatus};
use crate::exchange::csv_v1::CsvError;
use crate::exchange::proposals::{self as file, About, Origin, ProposalRow, Source, Update};
use crate::exchange::timestamp::dutch_day;
use crate::service::error::{require, Refusal, Refused, ServiceError};
use crate::store::{self, projects, proposals, sensemaking, AnyConnection, Database, StoreResult};

/// The formats of the export (`csv`, `csv-nl`, `xlsx`), for callers that choose one.
pub use crate::exchange::proposals::Format;

#[derive(Debug, thiserror::Error)]
pub enum ProposalsExportError {
    #[error(transparent)]
    Write(#[from] CsvError),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(ProposalsExportError);

impl Refused for ProposalsExportError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Write(_) => Refusal::Failure,
        }
    }
}

/// Who asks for the export, and how.
pub struct Requester<'a> {
    /// `None` for the command line, which is run by whoever runs the server.
    pub user: Option<&'a SignedIn>,
    /// "het web", "de opdrachtregel": for the audit log.
    pub via: &'a str,
}

/// A finished export.
#[derive(Debug)]
pub struct ProposalsExport {
    pub format: Format,
    /// Such as `jeugdhulp-voorstellen-2026-11-22.xlsx`.
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The number of proposals in it.
    pub count: usize,
}

/// The project's proposals as a file in `format`, most recent activity first (as the list
/// page shows them); the export is logged.
pub fn export(
    db: &Database,
    who: &Requester,
    project: &str,
    format: Format,
    now: i64,
) -> Result<ProposalsExport, ProposalsExportError> {
    if let Some(user) = who.user {
        require(user, project, ProjectAction::Read)?;
    }
    let loaded = {
        let mut conn = db.conn()?;
        // One state of the database for the whole file: an update that arrives meanwhile is
        // either in both the row and its history, or in neither.
        store::read_snapshot(&mut conn, |conn| load(conn, project, now))?
    };
    let (about, rows) = loaded.ok_or(ServiceError::NotFound)?;
    let mut bytes = Vec::new();
    file::write(format, &mut bytes, &about, &rows)?;
    let n = rows.len();
    let detail = format!(
        "Verbetervoorstellen als {} via {}, {} {}",
        format.key().to_uppercase(),
        who.via,
        n,
        if n == 1 { "voorstel" } else { "voorstellen" }
    );
    let actor = who.user.map(SignedIn::actor);
    db.write_sync(|conn| {
        audit::log(
            conn,
            actor.as_ref(),
            action::EXPORT,
            Some(project),
            None,
            &detail,
            now,
        )
    })?;
    Ok(ProposalsExport {
        format,
        file_name: format!(
            "{project}-voorstellen-{}.{}",
            dutch_day(now),
            format.extension()
        ),
        bytes,
        count: n,
    })
}

/// The project's description and its proposals as rows; `None` when there is no such project.
fn load(
    conn: &mut AnyConnection,
    slug: &str,
    now: i64,
) -> StoreResult<Option<(About, Vec<ProposalRow>)>> {
    let Some(project) = projects::find(conn, slug)? else {
        return Ok(None);
    };
    let sessions = sensemaking::list(conn, slug)?;
    let mut rows = Vec::new();
    for record in proposals::list(conn, slug)? {
        let session = record
            .session_id
            .as_ref()
            .and_then(|id| sessions.iter().find(|s| s.id == *id));
        let origin = match session {
            Some(s) => {
                let table = match &record.table_id {
                    Some(t) => sensemaking::find_table(conn, &s.id, t)?.map(|t| t.name),
                    None => None,
                };
                Some(Origin {
                    session: s.title.clone(),
                    starts_at: s.starts_at,
                    table,
                })
            }
            None => None,
        };
        let raw = proposals::sources(conn, &record.id)?;
        let mut cards = Vec::new();
        let mut stories = Vec::new();
        let mut notes = 0;
        for source in describe_sources(conn, slug, &record, &raw)? {
            let line = Source {
                id: source.id,
                title: source.label,
            };
            match source.kind {
                SourceKind::Card => cards.push(line),
                SourceKind::Story => stories.push(line),
                SourceKind::Note => notes += 1,
                SourceKind::Other => {}
            }
        }
        let history = proposals::updates(conn, &record.id)?
            .into_iter()
            .map(|u| Update {
                at: u.at,
                status: ProposalStatus::parse(&u.status_after).unwrap_or(ProposalStatus::Nieuw),
                text: u.body,
            })
            .collect();
        rows.push(ProposalRow {
            status: ProposalStatus::parse(&record.status).unwrap_or(ProposalStatus::Nieuw),
            level: Level::parse(&record.level).unwrap_or(Level::Lokaal),
            id: record.id,
            title: record.title,
            project: record.project_slug,
            origin,
            cards,
            stories,
            notes,
            owner_name: record.owner_name,
            history,
        });
    }
    let about = About {
        project_slug: project.slug,
        project_name: project.name,
        exported_at: now,
    };
    Ok(Some((about, rows)))
}
