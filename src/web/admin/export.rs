//! The research export: `GET /beheer/p/{project}/export` shows what an export with the URL's
//! filters would hold and what its protection changes; `POST` (same URL, with the CSRF token
//! and the format) sends it as a download, written while it is read (service::export).

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::exchange::research::{Format, TableOptions};
use crate::service::export::{self, Requester};
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page, posted_form};
use crate::web::stream;
use crate::web::views::filters::{self, Filtered};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

const VIA_WEB: &str = "het web";

/// 403 for a user without the export right, after logging the attempt.
async fn require_export(state: &AppState, user: &CurrentUser, slug: &str) -> Result<(), WebError> {
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.to_string());
    blocking(move || {
        let who = Requester {
            user: Some(&me),
            via: VIA_WEB,
        };
        export::require(&db, &who, &key)
    })
    .await
}

#[derive(serde::Serialize)]
struct FormatChoice {
    key: &'static str,
    label: &'static str,
}

const FORMATS: [FormatChoice; 6] = [
    FormatChoice {
        key: "csv",
        label: "CSV (komma's, UTF-8): voor R, Python en andere programma's",
    },
    FormatChoice {
        key: "csv-nl",
        label: "CSV voor Excel in het Nederlands (puntkomma's, opent met dubbelklikken)",
    },
    FormatChoice {
        key: "json",
        label: "JSON",
    },
    FormatChoice {
        key: "xlsx",
        label: "Excel (XLSX)",
    },
    FormatChoice {
        key: "sav",
        label: "SPSS (.sav), met labels bij vragen en antwoorden; teksten ingekort tot 255 tekens",
    },
    FormatChoice {
        key: "datapackage",
        label: "Datapakket (Frictionless, zip): de CSV met beschrijving van elke kolom en het codeboek, voor R en Python",
    },
];

/// What the form had chosen, shown again when the page comes back.
struct Chosen {
    format: &'static str,
    coding: &'static str,
    multichoice: &'static str,
    /// The format, coding or layout was not one the form offers.
    bad_table: bool,
}

impl Default for Chosen {
    fn default() -> Self {
        Chosen {
            format: "csv",
            coding: "sleutels",
            multichoice: "kolommen",
            bad_table: false,
        }
    }
}

async fn export_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    f: Filtered,
    status: StatusCode,
    chosen: &Chosen,
) -> Result<HttpResponse, WebError> {
    let slug = f.data.project.slug.clone();
    let (db, data, selection, words) = (
        state.db.clone(),
        f.data.clone(),
        f.selection.clone(),
        f.filter.describe(),
    );
    let planned = blocking(move || {
        export::plan(&db, &data, &selection, &words, Format::Csv).map_err(WebError::from)
    })
    .await?;
    let action = format!("/beheer/p/{slug}/export");
    let privacy = &f.data.project.settings.privacy;
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/export.html",
        |ctx| {
            f.context(ctx, &action);
            ctx.insert("slug", &slug);
            ctx.insert("name", &f.data.project.name);
            // Below k not even the count is shown.
            ctx.insert("too_small", &planned.too_small());
            ctx.insert("count", &planned.count());
            ctx.insert("changes", &planned.changes());
            ctx.insert("k", &privacy.k());
            ctx.insert("terms", &privacy.terms.len());
            ctx.insert("formats", &FORMATS);
            ctx.insert("chosen", chosen.format);
            ctx.insert("coding", chosen.coding);
            ctx.insert("multichoice", chosen.multichoice);
            ctx.insert("bad_table", &chosen.bad_table);
            ctx.insert("description", &f.filter.describe());
            ctx.insert("can_edit", &user.me.access.can(&slug, ProjectAction::Edit));
            ctx.insert("codebook", &planned.codebook());
        },
    )
}

/// GET /beheer/p/{project}/export/codeboek.json: the codebook of the export, for scripts.
pub async fn codebook(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    require_export(&state, &user, &slug).await?;
    let f = filters::filtered(&state, &slug, &[]).await?;
    let (db, data, selection) = (state.db.clone(), f.data.clone(), f.selection.clone());
    let entries = blocking(move || {
        export::plan(&db, &data, &selection, "alle verhalen", Format::Sav)
            .map(|planned| planned.codebook())
            .map_err(WebError::from)
    })
    .await?;
    let body = serde_json::to_string_pretty(&serde_json::json!({
        "project": slug,
        "variabelen": entries,
    }))
    .map_err(|e| WebError::Failed(e.to_string()))?;
    Ok(http::download(
        "application/json; charset=utf-8",
        http::Disposition::Attachment,
        &format!("{slug}-codeboek.json"),
        body,
    ))
}

/// GET /beheer/p/{project}/export?…filters…
pub async fn form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    require_export(&state, &user, &slug).await?;
    let f = filters::filtered(&state, &slug, &query).await?;
    let status = http::status_for(&f.problems);
    export_page(&state, &req, &user, f, status, &Chosen::default()).await
}

/// POST /beheer/p/{project}/export?…filters…: the download.
pub async fn download(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    require_export(&state, &user, &slug).await?;
    let form = posted_form(&state, &req, &body)?;
    let f = filters::filtered(&state, &slug, &query).await?;
    let typed = form.text("formaat");
    let (coding, multichoice) = (form.text("codering"), form.text("meerkeuze"));
    let table = TableOptions::parse(Some(&coding), Some(&multichoice));
    let chosen = Chosen {
        format: Format::parse(&typed).map_or("csv", Format::key),
        coding: if coding == "labels" {
            "labels"
        } else {
            "sleutels"
        },
        multichoice: if multichoice == "samen" {
            "samen"
        } else {
            "kolommen"
        },
        bad_table: table.is_none() || Format::parse(&typed).is_none(),
    };
    let (Some(format), Some(table)) = (Format::parse(&typed), table) else {
        return export_page(
            &state,
            &req,
            &user,
            f,
            StatusCode::UNPROCESSABLE_ENTITY,
            &chosen,
        )
        .await;
    };
    if !f.problems.is_empty() {
        // Never export a different selection than the one the page showed.
        return export_page(
            &state,
            &req,
            &user,
            f,
            StatusCode::UNPROCESSABLE_ENTITY,
            &chosen,
        )
        .await;
    }
    let (db, me, data, selection, words) = (
        state.db.clone(),
        user.me.clone(),
        f.data.clone(),
        f.selection.clone(),
        f.filter.describe(),
    );
    let prepared = blocking(move || {
        let who = Requester {
            user: Some(&me),
            via: VIA_WEB,
        };
        match export::prepare(&db, &who, &data, &selection, &words, format) {
            Ok(prepared) => Ok(Some(prepared.with_table(table))),
            Err(export::ExportError::TooFew { .. }) => Ok(None),
            Err(e) => Err(WebError::from(e)),
        }
    })
    .await?;
    let Some(prepared) = prepared else {
        // Fewer than k stories: the page says so, and nothing leaves.
        return export_page(
            &state,
            &req,
            &user,
            f,
            StatusCode::UNPROCESSABLE_ENTITY,
            &chosen,
        )
        .await;
    };
    let db = state.db.clone();
    let file_name = prepared.file_name();
    Ok(stream::download(
        format.content_type(),
        &file_name,
        move |out| prepared.write(&db, out).map(|_| ()),
    ))
}
