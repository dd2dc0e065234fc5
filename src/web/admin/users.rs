//! Users administration, for admins only: the list (with mails that could not be sent),
//! inviting someone, roles per project, switching an account off or on, and sending an
//! invitation again. The rules themselves (nobody changes their own account, the last admin
//! stays) live in `service::accounts`; this module asks and explains refusals in plain Dutch.

use super::CurrentUser;
use crate::domain::accounts::{parse_display_name, EmailAddress, ProjectRole};
use crate::exchange::timestamp::{format_utc, now_unix};
use crate::mail::compose::accounts::{composer, MailKind};
use crate::service::accounts::{
    self, AccountError, Invitation, ProjectSummary, SignedIn, UserRecord,
};
use crate::service::projects;
use crate::web::errors::WebError;
use crate::web::forms::{csrf_ok, PostedForm};
use crate::web::http::{blocking, page, see_other};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Form fields named `rol_{project}` hold the role in that project.
const ROLE_PREFIX: &str = "rol_";
/// At most this many undelivered mails are listed.
const MAILS_SHOWN: i64 = 50;

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    melding: Option<String>,
}

/// A short notice after a redirect, chosen by key so that the URL cannot inject text.
fn notice(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "uitgenodigd" => Some("De uitnodiging staat klaar en wordt zo verstuurd."),
        "rollen" => Some("De rollen zijn opgeslagen."),
        "uitgezet" => Some("Het account staat uit. Deze persoon is meteen uitgelogd."),
        "aangezet" => Some("Het account staat weer aan."),
        "opnieuw" => {
            Some("Er gaat een nieuwe uitnodiging naar deze persoon. De oude link werkt niet meer.")
        }
        _ => None,
    }
}

/// A time for people: `2026-11-23 14:05 UTC`.
fn when(unix: i64) -> String {
    let iso = format_utc(unix);
    format!("{} UTC", iso.get(..16).unwrap_or(&iso).replace('T', " "))
}

#[derive(Serialize)]
struct RoleLine {
    project: String,
    role: &'static str,
}

/// One person as the pages show them.
#[derive(Serialize)]
struct Person {
    id: String,
    name: String,
    email: String,
    is_admin: bool,
    is_active: bool,
    /// Invited, but no password chosen yet.
    pending: bool,
    last_login: Option<String>,
    roles: Vec<RoleLine>,
}

fn person(
    user: &UserRecord,
    roles: &BTreeMap<String, ProjectRole>,
    projects: &[ProjectSummary],
) -> Person {
    Person {
        id: user.id.clone(),
        name: user.display_name.clone(),
        email: user.email.clone(),
        is_admin: user.is_admin,
        is_active: user.is_active,
        pending: user.password_hash.is_none(),
        last_login: user.last_login_at.map(when),
        roles: roles
            .iter()
            .map(|(slug, role)| RoleLine {
                project: projects
                    .iter()
                    .find(|p| &p.slug == slug)
                    .map_or_else(|| slug.clone(), |p| p.name.clone()),
                role: role.label(),
            })
            .collect(),
    }
}

/// A mail that did not go out (yet).
#[derive(Serialize)]
struct MailProblem {
    recipient: String,
    subject: String,
    created: String,
    attempts: i32,
    given_up: bool,
    next_attempt: String,
    last_error: String,
}

/// GET /beheer/gebruikers
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, WebError> {
    user.require_admin()?;
    let (db, me) = (state.db.clone(), user.me.clone());
    let directory = blocking(move || accounts::directory(&db, &me, MAILS_SHOWN)).await?;
    let people: Vec<_> = directory
        .users
        .iter()
        .map(|(u, roles)| person(u, roles, &directory.projects))
        .collect();
    let mails: Vec<MailProblem> = directory
        .troubled_mails
        .into_iter()
        .map(|m| MailProblem {
            recipient: m.recipient,
            subject: m.subject,
            created: when(m.created_at),
            attempts: m.attempts,
            given_up: m.failed_at.is_some(),
            next_attempt: when(m.next_attempt_at),
            last_error: m.last_error.unwrap_or_default(),
        })
        .collect();
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/users.html",
        |ctx| {
            ctx.insert("people", &people);
            ctx.insert("mails", &mails);
            ctx.insert("error", &None::<String>);
            ctx.insert("notice", &notice(query.melding.as_deref()));
        },
    )
}

/// One project's role select, with what is chosen.
#[derive(Serialize)]
struct RoleChoice {
    slug: String,
    name: String,
    chosen: String,
}

fn role_choices(projects: &[ProjectSummary], chosen: &BTreeMap<String, String>) -> Vec<RoleChoice> {
    projects
        .iter()
        .map(|p| RoleChoice {
            slug: p.slug.clone(),
            name: p.name.clone(),
            chosen: chosen.get(&p.slug).cloned().unwrap_or_default(),
        })
        .collect()
}

/// The `rol_{project}` fields as typed (to show them again), in posted order.
fn typed_roles(body: &[u8]) -> BTreeMap<String, String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix(ROLE_PREFIX).map(|p| (p.to_string(), v)))
        .collect()
}

/// The roles to store; "geen" or empty means no role. `Err` on a value that is no role.
fn parse_roles(typed: &BTreeMap<String, String>) -> Result<BTreeMap<String, ProjectRole>, ()> {
    let mut roles = BTreeMap::new();
    for (project, raw) in typed {
        match raw.trim() {
            "" | "geen" => {}
            value => {
                roles.insert(project.clone(), ProjectRole::parse(value).ok_or(())?);
            }
        }
    }
    Ok(roles)
}

const UNKNOWN_ROLE: &str =
    "Kies bij elk project een rol uit de lijst: geen rol, begeleider of onderzoeker.";
const FORM_EXPIRED: &str =
    "Het formulier was verlopen. Kijk of alles nog klopt en verstuur het opnieuw.";

fn unknown_project(slug: &str) -> String {
    format!(
        "Het project \u{201c}{slug}\u{201d} bestaat niet (meer). Laad de pagina opnieuw en kies de rollen nog een keer."
    )
}

// --- inviting -------------------------------------------------------------------------------

/// What was typed on the invitation form.
#[derive(Serialize, Default)]
struct InviteFields {
    name: String,
    email: String,
    is_admin: bool,
}

async fn load_projects(state: &AppState) -> Result<Vec<ProjectSummary>, WebError> {
    Ok(projects::list(&state.db).await?)
}

fn invite_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    status: StatusCode,
    fields: &InviteFields,
    roles: &[RoleChoice],
    errors: &[String],
) -> Result<HttpResponse, WebError> {
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/users_invite.html",
        |ctx| {
            ctx.insert("fields", fields);
            ctx.insert("projects", roles);
            ctx.insert("errors", errors);
        },
    )
}

/// GET /beheer/gebruikers/uitnodigen
pub async fn invite_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, WebError> {
    user.require_admin()?;
    let projects = load_projects(&state).await?;
    invite_page(
        &state,
        &req,
        &user,
        StatusCode::OK,
        &InviteFields::default(),
        &role_choices(&projects, &BTreeMap::new()),
        &[],
    )
}

/// POST /beheer/gebruikers/uitnodigen
pub async fn invite(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    user.require_admin()?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let fields = InviteFields {
        name: form.text("naam"),
        email: form.text("email"),
        is_admin: form.checked("beheerder"),
    };
    let typed = typed_roles(&body);
    let projects = load_projects(&state).await?;
    let again = |status, errors: Vec<String>| {
        invite_page(
            &state,
            &req,
            &user,
            status,
            &fields,
            &role_choices(&projects, &typed),
            &errors,
        )
    };
    if !csrf_ok(&state, &req, &form) {
        return again(StatusCode::FORBIDDEN, vec![FORM_EXPIRED.into()]);
    }
    // Every problem at once, so that the form needs only one more try.
    let mut errors = Vec::new();
    if let Err(e) = parse_display_name(&fields.name) {
        errors.push(e.to_string());
    }
    if let Err(e) = EmailAddress::parse(&fields.email) {
        errors.push(e.to_string());
    }
    let roles = parse_roles(&typed).ok();
    if roles.is_none() {
        errors.push(UNKNOWN_ROLE.into());
    }
    let roles = match roles {
        Some(roles) if errors.is_empty() => roles,
        _ => return again(StatusCode::UNPROCESSABLE_ENTITY, errors),
    };
    let invitation = Invitation {
        email: fields.email.clone(),
        name: fields.name.clone(),
        is_admin: fields.is_admin,
        roles,
    };
    let compose = composer(&state.renderer, state.config.base_url(), MailKind::Invite);
    let (db, me) = (state.db.clone(), user.me.clone());
    let outcome = blocking(move || {
        Ok::<_, WebError>(accounts::invite(
            &db,
            &me,
            &invitation,
            &compose,
            now_unix(),
        ))
    })
    .await?;
    match outcome {
        Ok(_) => {
            state.mail_notify.notify_one();
            Ok(see_other("/beheer/gebruikers?melding=uitgenodigd"))
        }
        Err(AccountError::Input(e)) => again(StatusCode::UNPROCESSABLE_ENTITY, vec![e.to_string()]),
        Err(AccountError::EmailTaken) => again(
            StatusCode::CONFLICT,
            vec!["Er is al een account met dit e-mailadres. Je vindt die persoon in de lijst met gebruikers.".into()],
        ),
        Err(AccountError::ProjectNotFound(slug)) => {
            again(StatusCode::UNPROCESSABLE_ENTITY, vec![unknown_project(&slug)])
        }
        Err(e) => Err(e.into()),
    }
}

// --- one user -------------------------------------------------------------------------------

/// A user with their roles, and the projects to choose from.
struct Loaded {
    user: UserRecord,
    roles: BTreeMap<String, ProjectRole>,
    projects: Vec<ProjectSummary>,
}

async fn load_user(state: &AppState, me: &SignedIn, id: String) -> Result<Loaded, WebError> {
    let (db, me) = (state.db.clone(), me.clone());
    let ((user, roles), projects) =
        blocking(move || accounts::user_with_roles(&db, &me, &id)).await?;
    Ok(Loaded {
        user,
        roles,
        projects,
    })
}

/// A refusal or problem (`error`), or a notice after a change.
struct Messages {
    error: Option<String>,
    notice: Option<&'static str>,
}

fn edit_page(
    state: &AppState,
    req: &HttpRequest,
    me: &CurrentUser,
    status: StatusCode,
    loaded: &Loaded,
    chosen: &BTreeMap<String, String>,
    messages: Messages,
) -> Result<HttpResponse, WebError> {
    let person = person(&loaded.user, &loaded.roles, &loaded.projects);
    let roles = role_choices(&loaded.projects, chosen);
    page(
        state,
        req,
        Some(&me.me),
        status,
        "admin/users_edit.html",
        |ctx| {
            ctx.insert("person", &person);
            ctx.insert("projects", &roles);
            ctx.insert("is_self", &(me.me.id == loaded.user.id));
            ctx.insert("error", &messages.error);
            ctx.insert("notice", &messages.notice);
        },
    )
}

fn stored_roles(roles: &BTreeMap<String, ProjectRole>) -> BTreeMap<String, String> {
    roles
        .iter()
        .map(|(p, r)| (p.clone(), r.as_str().to_string()))
        .collect()
}

/// GET /beheer/gebruikers/{id}
pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, WebError> {
    user.require_admin()?;
    let loaded = load_user(&state, &user.me, path.into_inner()).await?;
    let chosen = stored_roles(&loaded.roles);
    edit_page(
        &state,
        &req,
        &user,
        StatusCode::OK,
        &loaded,
        &chosen,
        Messages {
            error: None,
            notice: notice(query.melding.as_deref()),
        },
    )
}

/// Why the service said no, for people.
fn refusal(reason: &str) -> &'static str {
    match reason {
        "own roles" => "Je kunt je eigen rollen niet wijzigen. Vraag dit aan een andere beheerder.",
        "own account" => "Je kunt je eigen account niet uitzetten. Vraag dit aan een andere beheerder.",
        "last admin" => "Dit is de laatste beheerder. Maak eerst iemand anders beheerder.",
        "user already has a password" => {
            "Deze persoon heeft al een wachtwoord, of het account staat uit. Een nieuwe uitnodiging is niet nodig."
        }
        _ => "Dit mag niet.",
    }
}

/// POST /beheer/gebruikers/{id} — `actie` is `rollen`, `uitzetten`, `aanzetten` or
/// `uitnodigen` (each a separate form on the page).
pub async fn edit(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    user.require_admin()?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let loaded = load_user(&state, &user.me, path.into_inner()).await?;
    let id = loaded.user.id.clone();
    let action = form.text("actie");
    let typed = if action == "rollen" {
        typed_roles(&body)
    } else {
        stored_roles(&loaded.roles)
    };
    let again = |status, error: &str| {
        edit_page(
            &state,
            &req,
            &user,
            status,
            &loaded,
            &typed,
            Messages {
                error: Some(error.to_string()),
                notice: None,
            },
        )
    };
    if !csrf_ok(&state, &req, &form) {
        return again(StatusCode::FORBIDDEN, FORM_EXPIRED);
    }
    let (db, me, now) = (state.db.clone(), user.me.clone(), now_unix());
    let target = id.clone();
    let (outcome, done) = match action.as_str() {
        "rollen" => {
            let Ok(roles) = parse_roles(&typed) else {
                return again(StatusCode::UNPROCESSABLE_ENTITY, UNKNOWN_ROLE);
            };
            let is_admin = form.checked("beheerder");
            let outcome = blocking(move || {
                Ok::<_, WebError>(accounts::set_roles(
                    &db, &me, &target, is_admin, &roles, now,
                ))
            })
            .await?;
            (outcome, "rollen")
        }
        "uitzetten" | "aanzetten" => {
            let active = action == "aanzetten";
            let outcome = blocking(move || {
                Ok::<_, WebError>(accounts::set_active(&db, &me, &target, active, now))
            })
            .await?;
            (outcome, if active { "aangezet" } else { "uitgezet" })
        }
        "uitnodigen" => {
            let compose = composer(&state.renderer, state.config.base_url(), MailKind::Invite);
            let outcome = blocking(move || {
                Ok::<_, WebError>(accounts::reinvite(&db, &me, &target, &compose, now))
            })
            .await?;
            if outcome.is_ok() {
                state.mail_notify.notify_one();
            }
            (outcome, "opnieuw")
        }
        _ => return Err(WebError::BadRequest("unknown action")),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/gebruikers/{id}?melding={done}"
        ))),
        Err(AccountError::NotAllowed(reason)) => again(StatusCode::FORBIDDEN, refusal(reason)),
        Err(AccountError::ProjectNotFound(slug)) => {
            again(StatusCode::UNPROCESSABLE_ENTITY, &unknown_project(&slug))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_come_from_the_role_fields() {
        let typed =
            typed_roles(b"csrf=x&naam=Jan&rol_jeugdhulp=begeleider&rol_ander=geen&rol_derde=");
        assert_eq!(typed.len(), 3);
        let roles = parse_roles(&typed).unwrap();
        assert_eq!(roles.len(), 1);
        assert_eq!(roles["jeugdhulp"], ProjectRole::Begeleider);
        let bad = typed_roles(b"rol_jeugdhulp=baas");
        assert!(parse_roles(&bad).is_err());
    }

    #[test]
    fn times_are_shown_to_the_minute() {
        assert_eq!(when(0), "1970-01-01 00:00 UTC");
    }

    #[test]
    fn unknown_notice_keys_show_nothing() {
        assert_eq!(notice(Some("<script>")), None);
        assert!(notice(Some("uitgenodigd")).is_some());
    }
}
