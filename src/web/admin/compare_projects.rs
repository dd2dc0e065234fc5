//! GET /beheer/p/{project}/vergelijk/projecten: this project beside other projects on the
//! questions of the core module, question by question, each side's whole distribution shown;
//! POST …/kaart makes an observation card of one compared question.
//!
//! `met=project` (repeated) names the other projects. Every project must be readable by the
//! user: one that is not, and one that does not exist, both give the same 403 without a word
//! about it. A project without the core module gives the page with a message (422).

use super::CurrentUser;
use crate::analysis::numbers::{self, counted};
use crate::analysis::CompareSettings;
use crate::domain::accounts::ProjectAction;
use crate::exchange::timestamp::now_unix;
use crate::service::analysis::side_by_side::{self, ProjectsComparison, Side};
use crate::service::analysis::AnalysisError;
use crate::service::comparison_cards;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page, see_other};
use crate::web::views::comparison::{self as shown, choice_column, number_column, Column};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

/// One other project against the reference on one question.
#[derive(Serialize)]
struct Test {
    slug: String,
    name: String,
    description: String,
    strong: bool,
    figures: String,
}

#[derive(Serialize)]
struct QuestionView {
    key: String,
    label: String,
    columns: Vec<Column>,
    tests: Vec<Test>,
    untested: Vec<String>,
}

fn figures_text(test: &str, statistic: f64, measure: &str, strength: f64, q: f64) -> String {
    format!(
        "{test} = {} · sterkte {} ({measure}) · {}",
        numbers::statistic(statistic),
        numbers::strength(strength),
        numbers::named_probability("q", q)
    )
}

/// Per core question: each shown project's distribution (the reference first) and the test of
/// every other project against the reference.
fn question_views(c: &ProjectsComparison) -> Vec<QuestionView> {
    let reference = &c.reference;
    let shown: Vec<(&Side, &crate::analysis::Comparison)> = c
        .others
        .iter()
        .filter_map(|b| Some((&b.side, b.comparison.as_ref()?)))
        .collect();
    let mut views = Vec::new();
    for key in &c.questions {
        let mut label = None;
        let mut reference_column = None;
        let mut columns = Vec::new();
        let mut tests = Vec::new();
        let mut untested = Vec::new();
        for (side, comparison) in &shown {
            if let Some(n) = comparison.numbers.iter().find(|n| &n.key == key) {
                label.get_or_insert_with(|| n.label.clone());
                reference_column.get_or_insert_with(|| {
                    number_column(n, &n.reference, &reference.name, reference.k)
                });
                columns.push(number_column(n, &n.subset, &side.name, side.k));
                tests.push(Test {
                    slug: side.slug.clone(),
                    name: side.name.clone(),
                    description: n.description.clone(),
                    strong: n.strong,
                    figures: figures_text(
                        "Mann-Whitney U",
                        n.statistic,
                        "|r|",
                        n.strength,
                        n.q_value,
                    ),
                });
            } else if let Some(ch) = comparison.choices.iter().find(|n| &n.key == key) {
                label.get_or_insert_with(|| ch.label.clone());
                reference_column
                    .get_or_insert_with(|| choice_column(ch, false, &reference.name, reference.k));
                columns.push(choice_column(ch, true, &side.name, side.k));
                tests.push(Test {
                    slug: side.slug.clone(),
                    name: side.name.clone(),
                    description: ch.description.clone(),
                    strong: ch.strong,
                    figures: figures_text(
                        "Chi-kwadraat",
                        ch.statistic,
                        "Cramérs V",
                        ch.strength,
                        ch.q_value,
                    ),
                });
            } else if let Some(u) = comparison.untested.iter().find(|u| &u.key == key) {
                label.get_or_insert_with(|| u.label.clone());
                untested.push(format!(
                    "{} naast {}: niet vergeleken, {}",
                    side.name, reference.name, u.reason
                ));
            }
        }
        let Some(label) = label else { continue };
        views.push(QuestionView {
            key: key.clone(),
            label,
            columns: reference_column.into_iter().chain(columns).collect(),
            tests,
            untested,
        });
    }
    views
}

/// Notes on the sides: questions left out, sides too small to show.
fn side_notes(c: &ProjectsComparison) -> Vec<String> {
    let mut notes = Vec::new();
    let all = std::iter::once(&c.reference).chain(c.others.iter().map(|b| &b.side));
    for side in all.filter(|s| s.shown) {
        if side.left_out > 0 {
            notes.push(format!(
                "Van {} {} weggelaten: {} niet bij de kernvragen.",
                side.name,
                if side.left_out == 1 {
                    "is 1 vraag".to_string()
                } else {
                    format!("zijn {} vragen", side.left_out)
                },
                if side.left_out == 1 {
                    "die hoort"
                } else {
                    "die horen"
                }
            ));
        }
    }
    notes
}

/// Sides that are not shown because they (or the reference) have fewer than k stories.
fn too_small(c: &ProjectsComparison) -> Vec<String> {
    let mut small = Vec::new();
    if !c.reference.shown {
        small.push(format!(
            "{} heeft minder dan {} verhalen. Om vertellers te beschermen tonen we dan geen cijfers.",
            c.reference.name, c.reference.k
        ));
        return small;
    }
    for b in c.others.iter().filter(|b| !b.side.shown) {
        small.push(format!(
            "{} heeft minder dan {} verhalen. Om vertellers te beschermen tonen we daarvan geen cijfers.",
            b.side.name, b.side.k
        ));
    }
    small
}

fn asked(query: &[(String, String)]) -> Vec<String> {
    query
        .iter()
        .filter(|(k, _)| k == "met")
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// GET /beheer/p/{project}/vergelijk/projecten
pub async fn compare(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let others = side_by_side::others_asked(&slug, &asked(&query));
    // Before anything is read: a project without rights looks like one that does not exist.
    for other in &others {
        user.require(other, ProjectAction::Read)?;
    }
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let choices =
        blocking(move || side_by_side::choices(&db, &me, &key).map_err(WebError::from)).await?;
    let (cache, db, me, key, chosen) = (
        state.analysis.clone(),
        state.db.clone(),
        user.me.clone(),
        slug.clone(),
        others.clone(),
    );
    let outcome = blocking(move || {
        Ok::<_, WebError>(if chosen.is_empty() {
            side_by_side::load_for(&cache, &db, &me, &key, &[]).map(|(data, _)| {
                (
                    data.project.name.clone(),
                    side_by_side::has_core(&data.project),
                    None,
                )
            })
        } else {
            side_by_side::compare_projects(
                &cache,
                &db,
                &me,
                &key,
                &chosen,
                CompareSettings::default(),
            )
            .map(|c| (c.reference.name.clone(), true, Some(c)))
        })
    })
    .await?;
    let (name, has_core, comparison, problem) = match outcome {
        Ok((name, has_core, comparison)) => (name, has_core, comparison, None),
        Err(AnalysisError::NoCore(project)) => {
            let message = AnalysisError::NoCore(project).to_string();
            let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
            (project.name.clone(), true, None, Some(message))
        }
        Err(e) => return Err(e.into()),
    };
    let problem =
        problem.or_else(|| (!has_core).then(|| AnalysisError::NoCore(name.clone()).to_string()));
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let can_card = user.me.access.can(&slug, ProjectAction::Facilitate);
    page(
        &state,
        &req,
        Some(&user.me),
        status,
        "admin/compare_projects.html",
        |ctx| {
            ctx.insert("slug", &slug);
            ctx.insert("name", &name);
            ctx.insert("choices", &choices);
            ctx.insert("chosen", &others);
            ctx.insert("problem", &problem);
            ctx.insert("can_card", &can_card);
            if let Some(c) = &comparison {
                ctx.insert("questions", &question_views(c));
                ctx.insert("notes", &side_notes(c));
                ctx.insert("too_small", &too_small(c));
                ctx.insert(
                    "lead",
                    &(
                        counted(c.tests as u64, "vergelijking", "vergelijkingen"),
                        counted(c.strong as u64, "sterk verschil", "sterke verschillen"),
                    ),
                );
                ctx.insert(
                    "sides",
                    &std::iter::once(&c.reference)
                        .chain(c.others.iter().map(|b| &b.side))
                        .filter(|s| s.shown)
                        .map(|s| {
                            (
                                s.name.clone(),
                                counted(s.stories as u64, "verhaal", "verhalen"),
                            )
                        })
                        .collect::<Vec<_>>(),
                );
            }
            ctx.insert("compared", &comparison.is_some());
        },
    )
}

/// POST /beheer/p/{project}/vergelijk/projecten/kaart (`met` repeated: the comparison's other
/// projects; `kaart_met`: the project of the card; `vraag`: the question)
pub async fn card(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let asked: Vec<String> = form.all("met").iter().map(|s| s.to_string()).collect();
    let others = side_by_side::others_asked(&slug, &asked);
    for other in &others {
        user.require(other, ProjectAction::Read)?;
    }
    let (other, question) = (form.text("kaart_met"), form.text("vraag"));
    let plan = shown::projects_card_plan(&state, &user.me, &slug, &others, &other, &question)
        .await?
        .map_err(WebError::Conflict)?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let id = blocking(move || {
        comparison_cards::make(&db, &me, &key, &plan, now_unix()).map_err(WebError::from)
    })
    .await?;
    Ok(see_other(&format!("/beheer/p/{slug}/observaties/{id}")))
}
