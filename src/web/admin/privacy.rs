//! `GET`/`POST /beheer/p/{project}/privacy`: the project's privacy settings for what leaves
//! the system — the group size k, the questions that describe the teller, the groups answers
//! may be merged into, and the anonymiser's own terms of the project.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::privacy::PrivacyInput;
use crate::domain::project_form::FieldProblem;
use crate::domain::questionnaire::QuestionType;
use crate::domain::Project;
use crate::service::project_admin;
use crate::web::errors::WebError;
use crate::web::http::{blocking, page, posted_form, see_other};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

#[derive(serde::Serialize)]
struct QuestionChoice {
    key: String,
    label: String,
    /// Context questions with one answer always count as identifying.
    always: bool,
    checked: bool,
}

fn questions(project: &Project, form: &PrivacyInput) -> Vec<QuestionChoice> {
    project
        .questionnaire
        .questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionType::Choice | QuestionType::Multichoice))
        .map(|q| {
            let always = q.context && q.kind == QuestionType::Choice;
            QuestionChoice {
                key: q.key.clone(),
                label: q.label.clone(),
                always,
                checked: always || form.identifying_questions.contains(&q.key),
            }
        })
        .collect()
}

/// What the page shows besides the project: the form as typed and what to say about it.
struct Shown<'a> {
    form: &'a PrivacyInput,
    problems: &'a [FieldProblem],
    notice: Option<&'a str>,
}

async fn privacy_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    project: &Project,
    status: StatusCode,
    shown: Shown<'_>,
) -> Result<HttpResponse, WebError> {
    let Shown {
        form,
        problems,
        notice,
    } = shown;
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/privacy_settings.html",
        |ctx| {
            ctx.insert("slug", &project.slug);
            ctx.insert("name", &project.name);
            ctx.insert("form", form);
            ctx.insert("questions", &questions(project, form));
            ctx.insert("problems", problems);
            ctx.insert("notice", &notice);
        },
    )
}

/// GET /beheer/p/{project}/privacy
pub async fn form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    state.projects.forget(&slug);
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let form = PrivacyInput::from_settings(&project.settings.privacy);
    let saved = query
        .iter()
        .any(|(k, v)| k == "melding" && v == "opgeslagen");
    privacy_page(
        &state,
        &req,
        &user,
        &project,
        StatusCode::OK,
        Shown {
            form: &form,
            problems: &[],
            notice: saved.then_some("De privacy-instellingen zijn opgeslagen."),
        },
    )
    .await
}

/// POST /beheer/p/{project}/privacy
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let posted = posted_form(&state, &req, &body)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let typed = PrivacyInput {
        k: posted.text("k"),
        identifying_questions: posted
            .all("identificerend")
            .into_iter()
            .map(String::from)
            .collect(),
        value_groups: posted.text("groepen"),
        terms: posted.text("termen"),
    };
    let settings = match typed.parse(&project.questionnaire) {
        Ok(s) => s,
        Err(problems) => {
            return privacy_page(
                &state,
                &req,
                &user,
                &project,
                StatusCode::UNPROCESSABLE_ENTITY,
                Shown {
                    form: &typed,
                    problems: &problems,
                    notice: None,
                },
            )
            .await
        }
    };
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    blocking(move || {
        project_admin::save_privacy(&db, &me, &key, &settings).map_err(WebError::from)
    })
    .await?;
    state.projects.forget(&slug);
    Ok(see_other(&format!(
        "/beheer/p/{slug}/privacy?melding=opgeslagen"
    )))
}
