//! Project administration: a new project (admins), and a project's texts, rules, roles and
//! open/closed state (begeleiders of the project and admins).

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::project_form::{
    apply_roles, FieldProblem, NewProjectInput, RoleInput, SettingsInput,
};
use crate::service::project_admin::{self, ProjectAdminError, QuestionnaireSource};
use crate::web::errors::WebError;
use crate::web::forms::PostedForm;
use crate::web::http::{blocking, page, posted_form, see_other};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

fn one_problem(field: &'static str, message: impl Into<String>) -> Vec<FieldProblem> {
    vec![FieldProblem {
        field,
        message: message.into(),
    }]
}

// --- new project ------------------------------------------------------------------------

#[derive(serde::Serialize, Default)]
struct NewProjectForm {
    slug: String,
    name: String,
    source: String,
    json: String,
}

fn new_project_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    status: StatusCode,
    form: &NewProjectForm,
    problems: &[FieldProblem],
) -> Result<HttpResponse, WebError> {
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/project_new.html",
        |ctx| {
            ctx.insert("form", form);
            ctx.insert("problems", problems);
        },
    )
}

/// GET /beheer/projecten/nieuw
pub async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, WebError> {
    user.require_admin()?;
    let form = NewProjectForm {
        source: "standaard".into(),
        ..Default::default()
    };
    new_project_page(&state, &req, &user, StatusCode::OK, &form, &[])
}

/// POST /beheer/projecten/nieuw
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    user.require_admin()?;
    let posted = posted_form(&state, &req, &body)?;
    let form = NewProjectForm {
        slug: posted.text("slug"),
        name: posted.text("naam"),
        source: posted.text("bron"),
        json: posted.text("json"),
    };
    let again = |status, problems: Vec<FieldProblem>| {
        new_project_page(&state, &req, &user, status, &form, &problems)
    };
    let input = NewProjectInput {
        slug: form.slug.clone(),
        name: form.name.clone(),
    };
    let (slug, name) = match input.parse() {
        Ok(v) => v,
        Err(problems) => return again(StatusCode::UNPROCESSABLE_ENTITY, problems),
    };
    let json = form.json.clone();
    let use_json = form.source == "import";
    if use_json && json.trim().is_empty() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            one_problem(
                "json",
                "Plak hier de vragenlijst (JSON) die je wilt gebruiken.",
            ),
        );
    }
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let outcome = blocking(move || {
        let source = if use_json {
            QuestionnaireSource::Json(&json)
        } else {
            QuestionnaireSource::Default
        };
        Ok::<_, WebError>(project_admin::create(&db, &me, &key, &name, source))
    })
    .await?;
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/p/{slug}/instellingen?melding=nieuw"
        ))),
        Err(ProjectAdminError::SlugTaken) => again(
            StatusCode::CONFLICT,
            one_problem("slug", "Dit webadres is al in gebruik. Kies een ander."),
        ),
        Err(ProjectAdminError::Questionnaire(e)) => again(
            StatusCode::UNPROCESSABLE_ENTITY,
            one_problem(
                "json",
                format!("De vragenlijst klopt niet, er is niets opgeslagen. Wat er mis is: {e}"),
            ),
        ),
        Err(e) => Err(e.into()),
    }
}

// --- settings ---------------------------------------------------------------------------

#[derive(serde::Deserialize, Default)]
pub struct SettingsQuery {
    melding: Option<String>,
}

fn notice(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "nieuw" => Some("Het project is gemaakt. Pas hier de teksten aan en geef mensen een rol."),
        "opgeslagen" => Some("De instellingen zijn opgeslagen."),
        "geopend" => Some("Het vertelpunt is open: er kunnen nieuwe verhalen binnenkomen."),
        "gesloten" => Some("Het vertelpunt is gesloten. Bezoekers zien een vriendelijke melding."),
        "rollen" => Some("De rollen zijn opgeslagen."),
        "rollen-versie" => Some("De rollen zijn opgeslagen in een nieuwe versie van de vragenlijst. Verhalen die er al waren houden hun eigen versie."),
        _ => None,
    }
}

struct SettingsView<'a> {
    settings: &'a SettingsInput,
    roles: &'a [RoleInput],
    problems: &'a [FieldProblem],
    notice: Option<&'static str>,
}

async fn settings_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    status: StatusCode,
    view: SettingsView<'_>,
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/project_settings.html",
        |ctx| {
            ctx.insert("slug", &project.slug);
            ctx.insert("name", &project.name);
            ctx.insert("is_open", &project.is_open);
            ctx.insert("version", &project.version);
            ctx.insert("form", view.settings);
            ctx.insert("roles", view.roles);
            ctx.insert("problems", view.problems);
            ctx.insert("notice", &view.notice);
        },
    )
}

/// GET /beheer/p/{project}/instellingen
pub async fn settings_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<SettingsQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    state.projects.forget(&slug);
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let settings = SettingsInput::from_settings(&project.name, &project.settings);
    let roles: Vec<RoleInput> = project
        .questionnaire
        .roles
        .iter()
        .map(RoleInput::from_role)
        .collect();
    settings_page(
        &state,
        &req,
        &user,
        &slug,
        StatusCode::OK,
        SettingsView {
            settings: &settings,
            roles: &roles,
            problems: &[],
            notice: notice(query.melding.as_deref()),
        },
    )
    .await
}

fn settings_input(form: &PostedForm) -> SettingsInput {
    SettingsInput {
        name: form.text("naam"),
        intro: form.text("intro"),
        privacy_statement: form.text("privacy"),
        closed_message: form.text("gesloten_tekst"),
        help_lines: form.text("hulplijnen"),
        min_words: form.text("min_woorden"),
        first_questions: form.text("eerste_vragen"),
        max_story_chars: form.text("max_tekens"),
        max_title_chars: form.text("max_titel"),
        keep_redacted_originals: form.checked("originelen_bewaren"),
        triage_terms: form.text("signaalwoorden"),
        retention_days: form.text("bewaartermijn"),
    }
}

/// The roles as stored, for pages that only change the settings (and the other way round).
async fn current_forms(
    state: &AppState,
    slug: &str,
) -> Result<(SettingsInput, Vec<RoleInput>), WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    Ok((
        SettingsInput::from_settings(&project.name, &project.settings),
        project
            .questionnaire
            .roles
            .iter()
            .map(RoleInput::from_role)
            .collect(),
    ))
}

/// POST /beheer/p/{project}/instellingen
pub async fn save_settings(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let form = posted_form(&state, &req, &body)?;
    let typed = settings_input(&form);
    let (name, settings) = match typed.parse() {
        Ok(v) => v,
        Err(problems) => {
            let (_, roles) = current_forms(&state, &slug).await?;
            return settings_page(
                &state,
                &req,
                &user,
                &slug,
                StatusCode::UNPROCESSABLE_ENTITY,
                SettingsView {
                    settings: &typed,
                    roles: &roles,
                    problems: &problems,
                    notice: None,
                },
            )
            .await;
        }
    };
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    blocking(move || {
        project_admin::save_settings(&db, &me, &key, &name, &settings).map_err(WebError::from)
    })
    .await?;
    state.projects.forget(&slug);
    Ok(see_other(&format!(
        "/beheer/p/{slug}/instellingen?melding=opgeslagen"
    )))
}

/// POST /beheer/p/{project}/openen and …/sluiten
pub async fn set_open(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, verb) = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    posted_form(&state, &req, &body)?;
    let open = match verb.as_str() {
        "openen" => true,
        "sluiten" => false,
        _ => return Err(WebError::NotFound),
    };
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    blocking(move || project_admin::set_open(&db, &me, &key, open).map_err(WebError::from)).await?;
    state.projects.forget(&slug);
    Ok(see_other(&format!(
        "/beheer/p/{slug}/instellingen?melding={}",
        if open { "geopend" } else { "gesloten" }
    )))
}

/// The roles as posted: `rol_key_N`, `rol_label_N`, `rol_prompt_N`, `rol_hint_N` for the
/// existing rows (a row without label is removed), and `nieuw_label` etc. for one new role.
fn roles_input(form: &PostedForm) -> Vec<RoleInput> {
    let mut roles = Vec::new();
    for n in 0..50 {
        let Some(key) = form.get(&format!("rol_key_{n}")) else {
            break;
        };
        if form.checked(&format!("rol_weg_{n}")) {
            continue;
        }
        roles.push(RoleInput {
            key: key.to_string(),
            label: form.text(&format!("rol_label_{n}")),
            prompt: form.text(&format!("rol_prompt_{n}")),
            title_hint: form.text(&format!("rol_hint_{n}")),
        });
    }
    let new_label = form.text("nieuw_label");
    if !new_label.trim().is_empty() {
        roles.push(RoleInput {
            key: String::new(),
            label: new_label,
            prompt: form.text("nieuw_prompt"),
            title_hint: form.text("nieuw_hint"),
        });
    }
    roles
}

/// POST /beheer/p/{project}/rollen
pub async fn save_roles(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let form = posted_form(&state, &req, &body)?;
    let typed = roles_input(&form);
    state.projects.forget(&slug);
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let problems = match apply_roles(&typed) {
        Ok(roles) => {
            let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
            let outcome = blocking(move || {
                Ok::<_, WebError>(project_admin::save_roles(&db, &me, &key, roles))
            })
            .await?;
            match outcome {
                Ok(saved) => {
                    state.projects.forget(&slug);
                    let key = match saved {
                        crate::service::projects::SaveOutcome::NewVersion(_) => "rollen-versie",
                        _ => "rollen",
                    };
                    return Ok(see_other(&format!(
                        "/beheer/p/{slug}/instellingen?melding={key}"
                    )));
                }
                Err(ProjectAdminError::Questionnaire(e)) => one_problem(
                    "roles",
                    format!("Deze rollen passen niet bij de vragenlijst, er is niets opgeslagen. Wat er mis is: {e}"),
                ),
                Err(e) => return Err(e.into()),
            }
        }
        Err(problems) => problems,
    };
    let settings = SettingsInput::from_settings(&project.name, &project.settings);
    settings_page(
        &state,
        &req,
        &user,
        &slug,
        StatusCode::UNPROCESSABLE_ENTITY,
        SettingsView {
            settings: &settings,
            roles: &typed,
            problems: &problems,
            notice: None,
        },
    )
    .await
}
