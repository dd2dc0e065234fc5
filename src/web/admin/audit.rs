//! The audit log page (admins only): newest first, filterable by action, person, project and
//! period, paged backwards by id.

use super::CurrentUser;
use crate::exchange::timestamp::format_utc;
use crate::service::audit::action;
use crate::service::audit::{self, AuditFilter};
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

const PAGE_SIZE: i64 = 100;

#[derive(serde::Deserialize, serde::Serialize, Default, Clone)]
pub struct LogQuery {
    #[serde(default)]
    actie: String,
    #[serde(default)]
    wie: String,
    #[serde(default)]
    project: String,
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    voor: Option<i64>,
}

#[derive(serde::Serialize)]
struct Line {
    at: String,
    who: String,
    action: &'static str,
    action_key: String,
    project: String,
    target: String,
    detail: String,
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// GET /beheer/logboek
pub async fn log(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<LogQuery>,
) -> Result<HttpResponse, WebError> {
    user.require_admin()?;
    let query = query.into_inner();
    let (from, until, problems) = http::date_range(&query.van, &query.tot);
    let filter = AuditFilter {
        action: optional(&query.actie),
        actor_email: optional(&query.wie).map(|w| w.to_lowercase()),
        project: optional(&query.project),
        from,
        until,
        before_id: query.voor,
    };
    let (db, access) = (state.db.clone(), user.me.access.clone());
    let entries = blocking(move || audit::entries(&db, &access, &filter, PAGE_SIZE)).await?;
    let older = (entries.len() as i64 == PAGE_SIZE)
        .then(|| entries.last().map(|e| e.id))
        .flatten()
        .map(|id| {
            let mut next = query.clone();
            next.voor = Some(id);
            serde_urlencoded::to_string(&next).unwrap_or_default()
        });
    let lines: Vec<Line> = entries
        .into_iter()
        .map(|e| Line {
            at: format_utc(e.at).replace('T', " ").replace('Z', " UTC"),
            who: e.actor_email.unwrap_or_else(|| "—".into()),
            action: action::describe(&e.action),
            action_key: e.action,
            project: e.project_slug.unwrap_or_default(),
            target: e.target.unwrap_or_default(),
            detail: e.detail,
        })
        .collect();
    let actions: Vec<(&str, &str)> = action::ALL.to_vec();
    page(
        &state,
        &req,
        Some(&user.me),
        http::status_for(&problems),
        "admin/audit.html",
        |ctx| {
            ctx.insert("lines", &lines);
            ctx.insert("query", &query);
            ctx.insert("actions", &actions);
            ctx.insert("older", &older);
            ctx.insert("date_problems", &problems);
        },
    )
}
