//! The questionnaire editor under `/beheer/p/{project}/vragenlijst`: the list of questions,
//! a form per question, the core module, JSON download and import, and the questionnaire's
//! languages: per language what still lacks a translation, switching a language on or off for
//! tellers, and the translation files (gettext PO) to download and read in.
//!
//! Each change is one POST that goes through `service::questionnaire_editor::save` and then
//! redirects to the list with what happened ("opgeslagen" or a new version). Everything works
//! without JavaScript. Reading needs `Read` (the JSON download), changing needs `Edit`.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::modules::{self, KERN};
use crate::domain::questionnaire::Questionnaire;
use crate::domain::questionnaire_edit::{self as edit, EditError, Move};
use crate::domain::translation_file::{self, FileInfo};
use crate::exchange::timestamp::now_unix;
use crate::render::i18n::{self, LANGUAGES};
use crate::service::projects::SaveOutcome;
use crate::service::questionnaire_editor::{self as editor, Change, Current, EditorError, Saved};
use crate::service::translations::{self, TranslationError};
use crate::web::errors::WebError;
use crate::web::forms::PostedForm;
use crate::web::http::{
    blocking, blocking_outcome, page, posted_form, posted_upload, see_other, Disposition,
};
use crate::web::views::questionnaire_form::{self as qform, QuestionForm};
use crate::web::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

fn base(slug: &str) -> String {
    format!("/beheer/p/{slug}/vragenlijst")
}

async fn load(state: &AppState, slug: &str) -> Result<Current, WebError> {
    let (db, slug) = (state.db.clone(), slug.to_string());
    blocking(move || editor::current(&db, &slug).map_err(WebError::from)).await
}

/// Saves a change. `Ok(Err(_))` is a change that was refused, to show on the form.
async fn apply(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    change: Change,
) -> Result<Result<Saved, EditError>, WebError> {
    let (db, key, actor) = (state.db.clone(), slug.to_string(), user.me.actor());
    let result =
        blocking(move || Ok::<_, WebError>(editor::save(&db, &key, &actor, &change, now_unix())))
            .await?;
    match result {
        Ok(saved) => {
            state.projects.forget(slug);
            Ok(Ok(saved))
        }
        Err(EditorError::Edit(e)) => Ok(Err(e)),
        Err(e) => Err(WebError::from(e)),
    }
}

/// Back to the list, saying what happened, at the question that changed.
fn done(slug: &str, saved: &Saved, anchor: Option<&str>) -> HttpResponse {
    let what = match saved.outcome {
        SaveOutcome::Unchanged(_) => "ongewijzigd".to_string(),
        SaveOutcome::Replaced(_) => "opgeslagen".to_string(),
        SaveOutcome::NewVersion(v) => format!("versie&versie={v}"),
    };
    let anchor = anchor.map_or(String::new(), |k| format!("#vraag-{k}"));
    see_other(&format!("{}?gedaan={what}{anchor}", base(slug)))
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    gedaan: Option<String>,
    versie: Option<i32>,
    taal: Option<String>,
    aantal: Option<u32>,
}

/// The notice after a change, chosen by key so that the URL cannot put text on the page.
fn notice(q: &DoneQuery) -> Option<String> {
    let language = q.taal.as_deref().and_then(translation_language);
    let new_version = q.versie.map_or(String::new(), |v| {
        format!(" Nieuwe versie {v} gemaakt, want de vorige versie had al verhalen.")
    });
    match (q.gedaan.as_deref()?, q.versie) {
        ("opgeslagen", _) => Some("Opgeslagen.".into()),
        ("versie", Some(v)) => Some(format!(
            "Opgeslagen. Nieuwe versie {v} gemaakt, want de vorige versie had al verhalen. \
             Eerdere verhalen houden hun versie."
        )),
        ("ongewijzigd", _) => Some("Er was niets veranderd.".into()),
        ("vertaling", _) => {
            let (_, name) = language?;
            let n = q.aantal.unwrap_or(0);
            Some(match n {
                0 => format!("Het bestand is ingelezen. De vertaling in het {name} was al zo."),
                1 => format!(
                    "Het bestand is ingelezen. In het {name} is 1 tekst nieuw of anders.{new_version}"
                ),
                n => format!(
                    "Het bestand is ingelezen. In het {name} zijn {n} teksten nieuw of anders.{new_version}"
                ),
            })
        }
        ("aan", _) => {
            let (_, name) = language?;
            Some(format!(
                "Vertellers die {name} kiezen, krijgen de vragenlijst nu in het {name}."
            ))
        }
        ("uit", _) => {
            let (_, name) = language?;
            Some(format!(
                "Vertellers die {name} kiezen, krijgen de vragen nu in het Nederlands."
            ))
        }
        ("overgenomen", _) => Some(match q.aantal.unwrap_or(0) {
            0 => "Er was niets over te nemen.".to_string(),
            1 => format!("1 vertaling overgenomen van de standaardvragenlijst.{new_version}"),
            n => format!("{n} vertalingen overgenomen van de standaardvragenlijst.{new_version}"),
        }),
        _ => None,
    }
}

/// A language the questionnaire can be translated into: one of the interface's languages
/// other than Dutch. Its code and its Dutch name ("Engels", for the begeleider's page).
fn translation_language(code: &str) -> Option<(&'static str, &'static str)> {
    let name = crate::domain::translations::dutch_name(code)?;
    LANGUAGES
        .iter()
        .find(|l| **l == code && **l != i18n::DEFAULT_LANG)
        .map(|l| (*l, name))
}

/// One text that still lacks a translation.
#[derive(Serialize)]
struct MissingText {
    id: String,
    place: String,
    dutch: String,
}

/// One language on the questionnaire page.
#[derive(Serialize)]
struct LanguageLine {
    code: &'static str,
    /// Its Dutch name, and its own name and direction (for `lang` and `dir`).
    name: &'static str,
    own_name: &'static str,
    dir: &'static str,
    translated: usize,
    total: usize,
    missing: Vec<MissingText>,
    /// Switched on by a begeleider.
    on: bool,
    /// Tellers get it: on and complete.
    offered: bool,
}

fn language_lines(current: &Current) -> Vec<LanguageLine> {
    let q = &current.questionnaire;
    let total = q.source_texts().len();
    LANGUAGES
        .iter()
        .filter_map(|code| translation_language(code))
        .map(|(code, name)| {
            let missing: Vec<MissingText> = q
                .missing_in(code)
                .into_iter()
                .map(|t| MissingText {
                    place: t.describe(),
                    dutch: t.dutch.to_string(),
                    id: t.id,
                })
                .collect();
            let on = current.languages.iter().any(|l| l == code);
            let own = i18n::language(code);
            LanguageLine {
                code,
                name,
                own_name: own.map_or(code, |l| l.name),
                dir: own.map_or("ltr", |l| l.dir),
                translated: total - missing.len(),
                total,
                offered: on && missing.is_empty(),
                missing,
                on,
            }
        })
        .collect()
}

/// One line in the list of questions.
#[derive(Serialize)]
struct QuestionLine {
    key: String,
    label: String,
    kind: &'static str,
    required: bool,
    context: bool,
    /// The module's title when the question comes from one.
    module: Option<String>,
    /// "iedereen" or the role labels it is asked of.
    roles: String,
    options: usize,
}

fn lines(q: &Questionnaire) -> Vec<QuestionLine> {
    q.questions
        .iter()
        .map(|x| QuestionLine {
            key: x.key.clone(),
            label: x.label.clone(),
            kind: qform::kind_name(x.kind),
            required: x.required,
            context: x.context,
            module: x.module.as_deref().map(|m| match m {
                KERN => "Kernvraag".to_string(),
                other => format!("Module {other}"),
            }),
            roles: if x.roles.is_empty() {
                "iedereen".into()
            } else {
                x.roles
                    .iter()
                    .map(|r| q.role(r).map_or(r.as_str(), |role| role.label.as_str()))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
            options: x.options.len(),
        })
        .collect()
}

/// What the list page says above the questions.
enum Feedback {
    Nothing,
    Notice(String),
    /// A change of the languages was made: said in the languages section, where the page
    /// opens after it.
    LanguagesNotice(String),
    /// A change was refused (422).
    Refused(String),
    /// A language cannot be switched on now (409): its translation is not complete.
    Conflict(String),
    /// A translation file was not read (422): every problem, for the language chosen.
    FileRefused {
        lang: String,
        problems: Vec<String>,
    },
}

fn overview_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    current: &Current,
    feedback: Feedback,
) -> Result<HttpResponse, WebError> {
    let kern = modules::find(KERN);
    let mut file_problems = Vec::new();
    let mut file_lang = None;
    let mut languages_notice = None;
    let (status, error, notice) = match feedback {
        Feedback::Nothing => (StatusCode::OK, None, None),
        Feedback::Notice(n) => (StatusCode::OK, None, Some(n)),
        Feedback::LanguagesNotice(n) => {
            languages_notice = Some(n);
            (StatusCode::OK, None, None)
        }
        Feedback::Refused(e) => (StatusCode::UNPROCESSABLE_ENTITY, Some(e), None),
        Feedback::Conflict(e) => (StatusCode::CONFLICT, Some(e), None),
        Feedback::FileRefused { lang, problems } => {
            file_problems = problems;
            file_lang = Some(lang);
            (StatusCode::UNPROCESSABLE_ENTITY, None, None)
        }
    };
    let adoptable = translations::adoptable(&current.questionnaire);
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/questionnaire.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", &current.name);
            ctx.insert("version", &current.version);
            ctx.insert("stories", &current.stories);
            ctx.insert("questions", &lines(&current.questionnaire));
            ctx.insert("kinds", &qform::kinds());
            ctx.insert("has_core", &edit::includes(&current.questionnaire, KERN));
            ctx.insert("core_description", &kern.map(|m| m.description.clone()));
            ctx.insert(
                "core_keys",
                &kern.map(|m| {
                    m.questions
                        .iter()
                        .map(|q| q.key.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
            );
            ctx.insert("error", &error);
            ctx.insert("notice", &notice);
            ctx.insert("languages", &language_lines(current));
            ctx.insert("languages_notice", &languages_notice);
            ctx.insert("file_problems", &file_problems);
            ctx.insert("file_lang", &file_lang);
            ctx.insert("adoptable", &adoptable);
        },
    )
}

/// GET /beheer/p/{project}/vragenlijst
pub async fn overview(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let current = load(&state, &slug).await?;
    let about_languages = matches!(
        query.gedaan.as_deref(),
        Some("vertaling" | "aan" | "uit" | "overgenomen")
    );
    let feedback = match notice(&query) {
        Some(n) if about_languages => Feedback::LanguagesNotice(n),
        Some(n) => Feedback::Notice(n),
        None => Feedback::Nothing,
    };
    overview_page(&state, &req, &user, &slug, &current, feedback)
}

/// Shows the list again with the reason a change was refused.
async fn refused(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    message: String,
) -> Result<HttpResponse, WebError> {
    let current = load(state, slug).await?;
    overview_page(state, req, user, slug, &current, Feedback::Refused(message))
}

/// POST …/vraag/{key}/{omhoog|omlaag|verwijderen}
pub async fn question_action(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, key, action) = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    posted_form(&state, &req, &body)?;
    let change = match action.as_str() {
        "omhoog" => Change::MoveQuestion(key.clone(), Move::Up),
        "omlaag" => Change::MoveQuestion(key.clone(), Move::Down),
        "verwijderen" => Change::RemoveQuestion(key.clone()),
        _ => return Err(WebError::NotFound),
    };
    let removed = matches!(change, Change::RemoveQuestion(_));
    match apply(&state, &user, &slug, change).await? {
        Ok(saved) => Ok(done(&slug, &saved, (!removed).then_some(key.as_str()))),
        Err(e) => refused(&state, &req, &user, &slug, e.to_string()).await,
    }
}

/// POST …/kernvragen with `actie=toevoegen|weghalen`
pub async fn core(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let form = posted_form(&state, &req, &body)?;
    let change = match form.get("actie") {
        Some("toevoegen") => Change::IncludeModule(KERN.into()),
        Some("weghalen") => Change::RemoveModule(KERN.into()),
        _ => return Err(WebError::BadRequest("actie")),
    };
    match apply(&state, &user, &slug, change).await? {
        Ok(saved) => Ok(done(&slug, &saved, None)),
        Err(e) => refused(&state, &req, &user, &slug, e.to_string()).await,
    }
}

/// What the question form is for: a new question of a type, or an existing one.
enum Target {
    New(crate::domain::QuestionType),
    Existing(String),
}

#[allow(clippy::too_many_arguments)]
fn question_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    current: &Current,
    target: &Target,
    form: &QuestionForm,
    status: StatusCode,
    error: Option<&EditError>,
) -> Result<HttpResponse, WebError> {
    let (kind, key) = match target {
        Target::New(kind) => (*kind, None),
        Target::Existing(key) => {
            let question = current
                .questionnaire
                .question(key)
                .ok_or(WebError::NotFound)?;
            (question.kind, Some(key.as_str()))
        }
    };
    let action = match key {
        Some(k) => format!("{}/vraag/{k}", base(slug)),
        None => format!("{}/nieuw", base(slug)),
    };
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/questionnaire_question.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", &current.name);
            ctx.insert("key", &key);
            ctx.insert("kind", qform::kind_code(kind));
            ctx.insert("kind_name", qform::kind_name(kind));
            ctx.insert("action", &action);
            ctx.insert("form", form);
            ctx.insert("error", &error.map(EditError::in_form));
            ctx.insert("error_field", &error.and_then(EditError::field));
        },
    )
}

#[derive(Deserialize)]
pub struct KindQuery {
    soort: Option<String>,
}

/// GET …/nieuw?soort=slider
pub async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<KindQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let current = load(&state, &slug).await?;
    let Some(kind) = query.soort.as_deref().and_then(qform::parse_kind) else {
        let message = "Kies eerst welke soort vraag je wilt toevoegen.".to_string();
        return refused(&state, &req, &user, &slug, message).await;
    };
    let form = QuestionForm::empty(&current.questionnaire);
    question_page(
        &state,
        &req,
        &user,
        &slug,
        &current,
        &Target::New(kind),
        &form,
        StatusCode::OK,
        None,
    )
}

/// POST …/nieuw
pub async fn add(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let form = posted_form(&state, &req, &body)?;
    let kind = qform::parse_kind(&form.text("soort")).ok_or(WebError::BadRequest("soort"))?;
    submit_question(&state, &req, &user, &slug, Target::New(kind), &form).await
}

/// GET …/vraag/{key}
pub async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, key) = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let current = load(&state, &slug).await?;
    let question = current
        .questionnaire
        .question(&key)
        .ok_or(WebError::NotFound)?;
    if question.module.is_some() {
        let message = EditError::ModuleQuestion(key).to_string();
        return refused(&state, &req, &user, &slug, message).await;
    }
    let form = QuestionForm::of(&current.questionnaire, question);
    question_page(
        &state,
        &req,
        &user,
        &slug,
        &current,
        &Target::Existing(key),
        &form,
        StatusCode::OK,
        None,
    )
}

/// POST …/vraag/{key}
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, key) = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let form = posted_form(&state, &req, &body)?;
    submit_question(&state, &req, &user, &slug, Target::Existing(key), &form).await
}

/// Saves a new or edited question, or shows the form again with the problem (422).
async fn submit_question(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    target: Target,
    form: &PostedForm,
) -> Result<HttpResponse, WebError> {
    let current = load(state, slug).await?;
    let draft = qform::draft(&current.questionnaire, form);
    let change = match &target {
        Target::New(kind) => Change::AddQuestion(*kind, draft),
        Target::Existing(key) => Change::EditQuestion(key.clone(), draft),
    };
    match apply(state, user, slug, change).await? {
        Ok(saved) => {
            let key = match &target {
                Target::Existing(k) => Some(k.as_str()),
                Target::New(_) => saved.key.as_deref(),
            };
            Ok(done(slug, &saved, key))
        }
        Err(EditError::NoSuchQuestion(_)) => Err(WebError::NotFound),
        Err(e) => {
            let typed = QuestionForm::typed(&current.questionnaire, form);
            question_page(
                state,
                req,
                user,
                slug,
                &current,
                &target,
                &typed,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&e),
            )
        }
    }
}

/// GET …/vragenlijst.json: the current version, as a file.
pub async fn download(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let current = load(&state, &slug).await?;
    let file = format!(
        "attachment; filename=\"{}-vragenlijst-v{}.json\"",
        current.questionnaire.slug, current.version
    );
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, file))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(current.questionnaire.to_json_pretty()))
}

/// The import form; with an error it comes back as 422 with the typed JSON.
fn import_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    name: &str,
    json: &str,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/questionnaire_import.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", name);
            ctx.insert("json", json);
            ctx.insert("error", &error);
        },
    )
}

/// GET …/importeren
pub async fn import_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let current = load(&state, &slug).await?;
    import_page(&state, &req, &user, &slug, &current.name, "", None)
}

/// POST …/importeren with the whole questionnaire in `json`.
pub async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let form = posted_form(&state, &req, &body)?;
    let json = form.text("json");
    match apply(&state, &user, &slug, Change::Import(json.clone())).await? {
        Ok(saved) => Ok(done(&slug, &saved, None)),
        Err(e) => {
            let current = load(&state, &slug).await?;
            import_page(
                &state,
                &req,
                &user,
                &slug,
                &current.name,
                &json,
                Some(e.to_string()),
            )
        }
    }
}

/// Back to the languages on the list page, saying what happened.
fn languages_done(
    slug: &str,
    what: &str,
    lang: Option<&str>,
    count: Option<usize>,
    outcome: Option<SaveOutcome>,
) -> HttpResponse {
    let mut query = format!("gedaan={what}");
    if let Some(lang) = lang {
        query.push_str(&format!("&taal={lang}"));
    }
    if let Some(count) = count {
        query.push_str(&format!("&aantal={count}"));
    }
    if let Some(SaveOutcome::NewVersion(v)) = outcome {
        query.push_str(&format!("&versie={v}"));
    }
    see_other(&format!("{}?{query}#talen", base(slug)))
}

/// GET …/vragenlijst/vertaling/{taal}.po: the current version's texts and their translations
/// in one language, as a gettext PO file for a translator.
pub async fn translation_file(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, lang) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let (code, name) = translation_language(&lang).ok_or(WebError::NotFound)?;
    let current = load(&state, &slug).await?;
    let file = translation_file::write_translations(
        &current.questionnaire,
        &FileInfo {
            project: &slug,
            version: current.version,
            lang: code,
            language_name: name,
        },
    );
    Ok(crate::web::http::download(
        "text/x-gettext-translation; charset=utf-8",
        Disposition::Attachment,
        &format!("{slug}-vragenlijst-v{}-{code}.po", current.version),
        file,
    ))
}

/// A refused translation change shown on the list page, or the error page for the others.
async fn translation_refused(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    lang: &str,
    error: TranslationError,
) -> Result<HttpResponse, WebError> {
    let feedback = match error {
        TranslationError::File(problems) => Feedback::FileRefused {
            lang: lang.to_string(),
            problems: problems.iter().map(ToString::to_string).collect(),
        },
        e @ TranslationError::Incomplete { .. } => Feedback::Conflict(e.to_string()),
        e @ (TranslationError::UnknownLanguage(_) | TranslationError::Questionnaire(_)) => {
            Feedback::Refused(e.to_string())
        }
        other => return Err(WebError::from(other)),
    };
    let current = load(state, slug).await?;
    overview_page(state, req, user, slug, &current, feedback)
}

/// POST …/vragenlijst/vertaling: a translation file (`bestand`) for a language (`taal`),
/// sent as `multipart/form-data` by a plain form (no JavaScript needed).
pub async fn upload_translation(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let (form, files) = posted_upload(&state, &req, body).await?;
    let lang = form.text("taal");
    let Some((code, _)) = translation_language(&lang) else {
        let message = "Kies de taal van het bestand.".to_string();
        return refused(&state, &req, &user, &slug, message).await;
    };
    let Some(file) = files
        .into_iter()
        .find(|f| f.field == "bestand" && !f.bytes.is_empty())
    else {
        let nothing = TranslationError::File(vec![translation_file::PoProblem::NoFile]);
        return translation_refused(&state, &req, &user, &slug, code, nothing).await;
    };
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let result = blocking_outcome(move || {
        translations::import_file(&db, &me, &key, code, &file.bytes, now_unix())
    })
    .await?;
    match result {
        Ok(imported) => {
            state.projects.forget(&slug);
            Ok(languages_done(
                &slug,
                "vertaling",
                Some(code),
                Some(imported.changed),
                Some(imported.outcome),
            ))
        }
        Err(e) => translation_refused(&state, &req, &user, &slug, code, e).await,
    }
}

/// POST …/vragenlijst/talen with `taal` and `actie=aan|uit`: a language on or off for tellers.
pub async fn set_language(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let form = posted_form(&state, &req, &body)?;
    let (code, _) = translation_language(&form.text("taal")).ok_or(WebError::BadRequest("taal"))?;
    let on = match form.get("actie") {
        Some("aan") => true,
        Some("uit") => false,
        _ => return Err(WebError::BadRequest("actie")),
    };
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let result =
        blocking_outcome(move || translations::set_offered(&db, &me, &key, code, on, now_unix()))
            .await?;
    match result {
        Ok(_) => {
            state.projects.forget(&slug);
            let what = if on { "aan" } else { "uit" };
            Ok(languages_done(&slug, what, Some(code), None, None))
        }
        Err(e) => translation_refused(&state, &req, &user, &slug, code, e).await,
    }
}

/// POST …/vragenlijst/vertalingen-overnemen: the shipped questionnaire's translations for
/// every text that is worded the same here.
pub async fn adopt_translations(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    posted_form(&state, &req, &body)?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let result =
        blocking_outcome(move || translations::adopt_shipped(&db, &me, &key, now_unix())).await?;
    match result {
        Ok((adopted, outcome)) => {
            state.projects.forget(&slug);
            Ok(languages_done(
                &slug,
                "overgenomen",
                None,
                Some(adopted),
                Some(outcome),
            ))
        }
        Err(e) => translation_refused(&state, &req, &user, &slug, "", e).await,
    }
}
