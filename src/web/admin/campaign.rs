//! The campaign kit for begeleiders (`/beheer/p/{project}/campagne`): posters, flyers,
//! invitation texts and QR codes per role, language and place link, one by one or as a zip,
//! and the form to change the texts (`service::campaign`).

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::campaign::{self, Use, FORMATS};
use crate::exchange::timestamp::now_unix;
use crate::service::campaign::{self as kit, CampaignError, RoleTexts};
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page, see_other, Disposition};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn refused(e: CampaignError) -> WebError {
    WebError::refused(&e)
}

#[derive(Serialize)]
struct LanguageView {
    code: String,
    /// Its own name ("العربية"), and the Dutch one for the begeleider ("Arabisch").
    name: &'static str,
    dutch: &'static str,
    dir: &'static str,
}

fn language_view(code: &str) -> LanguageView {
    let own = crate::render::i18n::language(code);
    LanguageView {
        code: code.to_string(),
        name: own.map_or("", |l| l.name),
        dutch: crate::domain::translations::dutch_name(code).unwrap_or(""),
        dir: own.map_or("ltr", |l| l.dir),
    }
}

#[derive(Serialize)]
struct FormatView {
    key: &'static str,
    label: &'static str,
}

fn formats() -> Vec<FormatView> {
    FORMATS
        .iter()
        .map(|f| FormatView {
            key: f.key(),
            label: f.label(),
        })
        .collect()
}

#[derive(Serialize)]
struct PlaceView {
    code: String,
    name: String,
    link: String,
    qr: Option<String>,
}

/// Where a place query points: `?plek=CODE` on the PDF and zip downloads.
#[derive(Deserialize)]
pub struct PlaceQuery {
    plek: Option<String>,
}

impl PlaceQuery {
    /// The place asked for; a code that cannot be one becomes `onbekend`, which no place link
    /// has, so the service answers "not found".
    fn code(&self) -> Option<String> {
        use crate::domain::response::{clean_code, UNKNOWN_PLACE};
        self.plek
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| clean_code(p).unwrap_or_else(|| UNKNOWN_PLACE.into()))
    }
}

/// GET /beheer/p/{project}/campagne
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let overview = blocking(move || kit::kit(&db, &me, &key).map_err(refused)).await?;
    let base = state.config.base_url().trim_end_matches('/').to_string();
    let places: Vec<PlaceView> = overview
        .places
        .iter()
        .map(|p| {
            let link = campaign::link(&base, &slug, "nl", Some(&p.code));
            PlaceView {
                qr: crate::render::qr::svg(&link, &format!("QR-code van {}: {link}", p.name)).ok(),
                code: p.code.clone(),
                name: p.name.clone(),
                link,
            }
        })
        .collect();
    let links: Vec<(LanguageView, String)> = overview
        .languages
        .iter()
        .map(|l| (language_view(l), campaign::link(&base, &slug, l, None)))
        .collect();
    let roles: Vec<BTreeMap<&str, &str>> = overview
        .roles
        .iter()
        .map(|(k, l)| BTreeMap::from([("key", k.as_str()), ("label", l.as_str())]))
        .collect();
    let can_edit = user.me.access.can(&slug, ProjectAction::Facilitate);
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/campaign.html",
        |ctx| {
            ctx.insert("slug", &slug);
            ctx.insert("name", &overview.name);
            ctx.insert("links", &links);
            ctx.insert("roles", &roles);
            ctx.insert("formats", &formats());
            ctx.insert("places", &places);
            ctx.insert("results_on", &overview.results_on);
            ctx.insert("results_link", &format!("{base}/v/{slug}/resultaten"));
            ctx.insert("can_edit", &can_edit);
        },
    )
}

#[derive(Serialize)]
struct TextView {
    key: &'static str,
    label: &'static str,
    text: String,
    filled: String,
    default: String,
    changed: bool,
    multiline: bool,
    max: usize,
    print: bool,
    needs_link: bool,
    /// Why the text was refused, after a post of this role.
    error: Option<String>,
}

#[derive(Serialize)]
struct RoleView {
    role: String,
    label: String,
    texts: Vec<TextView>,
}

fn role_views(texts: Vec<RoleTexts>, shown: &Shown) -> Vec<RoleView> {
    texts
        .into_iter()
        .map(|r| RoleView {
            texts: r
                .texts
                .into_iter()
                .map(|t| TextView {
                    error: shown
                        .problems
                        .iter()
                        .find(|p| shown.role == r.role && p.field == t.field.key())
                        .map(|p| p.message.clone()),
                    key: t.field.key(),
                    label: t.field.label(),
                    multiline: t.field.multiline(),
                    max: t.field.max_chars(),
                    print: t.field.usage() == Use::Print,
                    needs_link: t.field.needs_link(),
                    text: t.text,
                    filled: t.filled,
                    default: t.default,
                    changed: t.changed,
                })
                .collect(),
            role: r.role,
            label: r.label,
        })
        .collect()
}

#[derive(Serialize)]
struct Problem {
    field: String,
    message: String,
}

/// What the texts page shows after a post.
#[derive(Default)]
struct Shown {
    /// The role whose form was posted, with its problems and what was typed.
    role: String,
    problems: Vec<Problem>,
    typed: BTreeMap<String, String>,
    saved: bool,
}

async fn texts_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    lang: &str,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let (db, catalogs, me, key, language) = (
        state.db.clone(),
        state.renderer.catalogs.clone(),
        user.me.clone(),
        slug.to_string(),
        lang.to_string(),
    );
    let base = state.config.base_url().trim_end_matches('/').to_string();
    let mut texts =
        blocking(move || kit::texts(&db, &catalogs, &me, &key, &language, &base).map_err(refused))
            .await?;
    kit::typed_over(&mut texts, &shown.role, &shown.typed);
    let can_edit = user.me.access.can(slug, ProjectAction::Facilitate);
    let language = language_view(lang);
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/campaign_texts.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", &project.name);
            ctx.insert("language", &language);
            ctx.insert("roles", &role_views(texts, &shown));
            ctx.insert("formats", &formats());
            ctx.insert("can_edit", &can_edit);
            ctx.insert("posted_role", &shown.role);
            ctx.insert("problems", &shown.problems);
            ctx.insert("saved", &shown.saved);
        },
    )
}

/// GET /beheer/p/{project}/campagne/{lang}: the texts of every role in one language.
pub async fn texts(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, lang) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let saved_role = req
        .query_string()
        .strip_prefix("opgeslagen=")
        .map(str::to_string);
    let shown = Shown {
        saved: saved_role.is_some(),
        role: saved_role.unwrap_or_default(),
        ..Shown::default()
    };
    texts_page(&state, &req, &user, &slug, &lang, StatusCode::OK, shown).await
}

/// POST /beheer/p/{project}/campagne/{lang}/{role}: the texts of one role in one language.
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, lang, role) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let typed: Vec<(String, String)> = campaign::FIELDS
        .iter()
        .map(|f| (f.key().to_string(), form.text(f.key())))
        .collect();
    let (db, catalogs, me, key, language, who, fields) = (
        state.db.clone(),
        state.renderer.catalogs.clone(),
        user.me.clone(),
        slug.clone(),
        lang.clone(),
        role.clone(),
        typed.clone(),
    );
    let saved = blocking(move || {
        Ok::<_, WebError>(kit::save_texts(
            &db,
            &catalogs,
            &me,
            &key,
            &language,
            &who,
            &fields,
            now_unix(),
        ))
    })
    .await?;
    match saved {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/p/{slug}/campagne/{lang}?opgeslagen={role}#rol-{role}"
        ))),
        Err(CampaignError::Invalid(list)) => {
            let shown = Shown {
                role,
                problems: list
                    .into_iter()
                    .map(|(field, message)| Problem { field, message })
                    .collect(),
                typed: typed.into_iter().collect(),
                saved: false,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            texts_page(&state, &req, &user, &slug, &lang, status, shown).await
        }
        Err(e) => Err(refused(e)),
    }
}

/// GET /beheer/p/{project}/campagne/{lang}/{role}/{format}.pdf[?plek=CODE]
pub async fn print(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String, String, String)>,
    query: web::Query<PlaceQuery>,
) -> Result<HttpResponse, WebError> {
    let (slug, lang, role, format) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let format = campaign::Format::parse(&format).ok_or(WebError::NotFound)?;
    let place = query.code();
    let (db, catalogs, me) = (
        state.db.clone(),
        state.renderer.catalogs.clone(),
        user.me.clone(),
    );
    let base = state.config.base_url().to_string();
    let file = blocking(move || {
        kit::print(
            &db,
            &catalogs,
            &me,
            &slug,
            &lang,
            &role,
            format,
            place.as_deref(),
            &base,
        )
        .map_err(refused)
    })
    .await?;
    Ok(http::download(
        "application/pdf",
        Disposition::Inline,
        &file.path,
        file.bytes,
    ))
}

/// GET /beheer/p/{project}/campagne/campagne.zip[?plek=CODE]: the whole kit.
pub async fn bundle(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<PlaceQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let place = query.code();
    let (db, catalogs, me) = (
        state.db.clone(),
        state.renderer.catalogs.clone(),
        user.me.clone(),
    );
    let base = state.config.base_url().to_string();
    let file = blocking(move || {
        kit::bundle(&db, &catalogs, &me, &slug, place.as_deref(), &base).map_err(refused)
    })
    .await?;
    Ok(http::download(
        "application/zip",
        Disposition::Attachment,
        &file.path,
        file.bytes,
    ))
}

/// GET /beheer/p/{project}/campagne/plekken/{code}/qr.svg
pub async fn place_qr(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, code) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let base = state.config.base_url().to_string();
    let (place, _, svg) =
        blocking(move || kit::place_qr(&db, &me, &key, &code, &base).map_err(refused)).await?;
    Ok(http::download(
        "image/svg+xml; charset=utf-8",
        Disposition::Attachment,
        &format!(
            "{slug}-{}-{}-qr.svg",
            place.code,
            campaign::file_part(&place.name)
        ),
        svg,
    ))
}
