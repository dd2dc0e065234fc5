//! GET /beheer/p/{project}/vergelijk: a part of the stories (one region's gemeenten, one role,
//! …) side by side with the rest or with the whole, question by question.
//!
//! The usual filters (`rol`, `a`, dates, …) choose the stories; `d=vraag:antwoord` (repeated)
//! chooses the part among them; `ref=rest|geheel` chooses the figures shown beside it. The
//! test is always part against rest (see `analysis::compare`).

use super::CurrentUser;
use crate::analysis::numbers::{self, counted};
use crate::analysis::{
    ChoiceComparison, CompareSettings, Comparison, Descriptives, NumberComparison, Reference,
};
use crate::domain::accounts::ProjectAction;
use crate::domain::smallcell;
use crate::exchange::timestamp::now_unix;
use crate::service::analysis::{self, StoryFilter};
use crate::service::comparison_cards;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page};
use crate::web::views::charts::{self, Bar};
use crate::web::views::comparison::{self, parse_part, Column};
use crate::web::views::filters::{self, Chip, FilterForm};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use std::sync::Arc;

#[derive(Serialize)]
struct NumberView {
    key: String,
    label: String,
    description: String,
    strong: bool,
    /// The two means as bars; none when a side has fewer than k answers.
    chart: Option<String>,
    /// (answers, mean, median) of the part and of the reference, as they may be shown
    part: (String, String, String),
    reference: (String, String, String),
    effect: String,
    q: String,
}

#[derive(Serialize)]
struct ChoiceView {
    key: String,
    label: String,
    description: String,
    strong: bool,
    /// The part's answers and the reference's, each as bars (counts under k without a bar).
    columns: Vec<Column>,
    /// (option, part count, part share, reference count, reference share, more/less/"")
    options: Vec<(String, String, String, String, String, &'static str)>,
    effect: String,
    q: String,
}

fn q_text(q: f64) -> String {
    numbers::named_probability("q", q)
}

/// The figures of one side of a slider or number: (answers, mean, median).
fn side_figures(d: &Descriptives, shown: bool, k: u32) -> (String, String, String) {
    (
        comparison::count_text(d.n as u64, shown, k),
        comparison::figure_text(d.mean, shown),
        comparison::figure_text(d.median, shown),
    )
}

fn number_view(n: &NumberComparison, names: [&str; 2], kind: Reference, k: u32) -> NumberView {
    let [part, reference] = names;
    let shown = n.shown(kind, k);
    let chart = match (&n.left, &n.right, n.subset.mean, n.reference.mean) {
        (Some(left), Some(right), Some(a), Some(b)) if shown == [true, true] => {
            Some(charts::mean_bars(
                &format!("Gemiddelde op '{}': {part} en {reference}", n.label),
                &[
                    Bar {
                        label: part,
                        value: a,
                        n: n.subset.n as u64,
                    },
                    Bar {
                        label: reference,
                        value: b,
                        n: n.reference.n as u64,
                    },
                ],
                left,
                right,
            ))
        }
        _ => None,
    };
    NumberView {
        key: n.key.clone(),
        label: n.label.clone(),
        description: n.description.clone(),
        strong: n.strong,
        chart,
        part: side_figures(&n.subset, shown[0], k),
        reference: side_figures(&n.reference, shown[1], k),
        effect: numbers::strength(n.strength),
        q: q_text(n.q_value),
    }
}

/// An adjusted residual beyond ±2 marks an option chosen clearly more (or less) in the part.
fn marker(residual: f64) -> &'static str {
    if residual >= 2.0 {
        "vaker"
    } else if residual <= -2.0 {
        "minder vaak"
    } else {
        ""
    }
}

fn choice_view(c: &ChoiceComparison, names: [&str; 2], kind: Reference, k: u32) -> ChoiceView {
    let [part, reference] = names;
    let mut reference_column = comparison::choice_column(c, false, reference, k);
    // Beside all stories, the whole's bars less the part's give the rest's: not when one of
    // those is a small count.
    let small =
        |whole: u64, part: u64| !smallcell::count_is_safe(whole.saturating_sub(part) as usize, k);
    let rest_small = kind == Reference::Whole
        && (c.options.iter().any(|o| small(o.reference, o.subset))
            || small(c.reference_n, c.subset_n));
    if rest_small {
        reference_column.chart = None;
        reference_column.summary =
            "Te weinig antwoorden buiten deze groep om hier meer te tonen.".to_string();
    }
    ChoiceView {
        key: c.key.clone(),
        label: c.label.clone(),
        description: c.description.clone(),
        strong: c.strong,
        columns: vec![
            comparison::choice_column(c, true, part, k),
            reference_column,
        ],
        options: c
            .options
            .iter()
            .map(|o| {
                let [ours, theirs] = o.shown(kind, k);
                (
                    o.label.clone(),
                    comparison::count_text(o.subset, ours, k),
                    comparison::share_text(o.subset_share, ours),
                    comparison::count_text(o.reference, theirs, k),
                    comparison::share_text(o.reference_share, theirs),
                    if ours && theirs {
                        marker(o.residual)
                    } else {
                        ""
                    },
                )
            })
            .collect(),
        effect: numbers::strength(c.strength),
        q: q_text(c.q_value),
    }
}

/// The role and every choice question, to choose the part from.
fn part_groups(data: &analysis::ProjectData) -> Vec<filters::ChoiceGroup> {
    let mut groups = vec![filters::ChoiceGroup {
        label: "Rol van de verteller".into(),
        options: data
            .project
            .questionnaire
            .roles
            .iter()
            .map(|r| (format!("rol:{}", r.key), r.label.clone()))
            .collect(),
    }];
    groups.extend(filters::choice_groups(data));
    groups
}

/// The query of this page: the filters, the part and the reference.
fn page_query(form: &FilterForm, part: &[(String, String)], whole: bool) -> String {
    let mut pairs = form.pairs();
    pairs.extend(part.iter().map(|(k, o)| ("d", format!("{k}:{o}"))));
    if whole {
        pairs.push(("ref", "geheel".into()));
    }
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// GET /beheer/p/{project}/vergelijk
pub async fn compare(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let whole = query.iter().any(|(k, v)| k == "ref" && v == "geheel");
    let f = filters::filtered(&state, &slug, &query).await?;
    let mut part_filter = StoryFilter {
        answers: parse_part(&query),
        ..Default::default()
    };
    let mut problems = f.problems.clone();
    for dropped in part_filter.drop_unknown(&f.data) {
        problems.push(format!(
            "De groep '{dropped}' past niet bij de vragen van dit project. Die is weggelaten."
        ));
    }
    let part = part_filter.answers;
    let f = Arc::new(f);
    let (shared, chosen) = (f.clone(), part.clone());
    let settings = CompareSettings {
        reference: if whole {
            Reference::Whole
        } else {
            Reference::Rest
        },
        ..Default::default()
    };
    let comparison: Option<Comparison> = if part.is_empty() {
        None
    } else {
        Some(
            blocking(move || {
                analysis::compare_subset(&shared.data, &shared.filter, &chosen, settings)
                    .map_err(WebError::from)
            })
            .await?,
        )
    };
    // A part or a rest below k would single out its tellers, the rest by difference with the
    // whole: then no figures at all.
    let k = f.data.project.settings.privacy.k() as usize;
    let too_small = comparison.as_ref().is_some_and(|c| {
        let rest = if whole {
            c.reference.saturating_sub(c.subset)
        } else {
            c.reference
        };
        (1..k).contains(&c.subset) || (1..k).contains(&rest)
    });
    let comparison = if too_small { None } else { comparison };
    let (part_name, reference_name) = (
        "Deze groep",
        if whole { "Alle verhalen" } else { "De rest" },
    );
    // Within a side, counts under k: "< k", no bar, no mean (docs/privacy.md).
    let kind = settings.reference;
    let names = [part_name, reference_name];
    let numbers: Vec<NumberView> = comparison
        .iter()
        .flat_map(|c| &c.numbers)
        .map(|n| number_view(n, names, kind, k as u32))
        .collect();
    let choices: Vec<ChoiceView> = comparison
        .iter()
        .flat_map(|c| &c.choices)
        .map(|c| choice_view(c, names, kind, k as u32))
        .collect();
    let hidden = |text: &String| text.starts_with('<') || text == "–";
    let protected = numbers
        .iter()
        .any(|n| hidden(&n.part.0) || hidden(&n.reference.0))
        || choices
            .iter()
            .flat_map(|c| &c.options)
            .any(|o| hidden(&o.1) || hidden(&o.3));
    let action = format!("/beheer/p/{slug}/vergelijk");
    let part_chips: Vec<Chip> = part
        .iter()
        .enumerate()
        .map(|(i, (k, o))| {
            let mut rest = part.clone();
            rest.remove(i);
            Chip {
                text: filters::answer_text(&f.data, k, o),
                remove: format!("{action}?{}", page_query(&f.form, &rest, whole)),
            }
        })
        .collect();
    let mut part_form = f.form.clone();
    for (k, o) in &part {
        part_form = part_form.and_answer(k, o);
    }
    let mut kept: Vec<(&str, String)> = part
        .iter()
        .map(|(k, o)| ("d", format!("{k}:{o}")))
        .collect();
    if whole {
        kept.push(("ref", "geheel".into()));
    }
    let status = http::status_for(&problems);
    page(
        &state,
        &req,
        Some(&user.me),
        status,
        "admin/compare.html",
        |ctx| {
            f.context(ctx, &action);
            ctx.insert("filter_problems", &problems);
            ctx.insert("extra_hidden", &kept);
            ctx.insert("base_hidden", &f.form.pairs());
            ctx.insert("slug", &slug);
            ctx.insert("name", &f.data.project.name);
            ctx.insert("part_chips", &part_chips);
            ctx.insert("part_groups", &part_groups(&f.data));
            ctx.insert(
                "part_keys",
                &part
                    .iter()
                    .map(|(k, o)| format!("{k}:{o}"))
                    .collect::<Vec<_>>(),
            );
            ctx.insert("whole", &whole);
            ctx.insert("comparison", &comparison);
            ctx.insert("too_small", &too_small.then_some(k));
            ctx.insert("k", &k);
            ctx.insert("protected", &protected);
            ctx.insert(
                "lead",
                &comparison.as_ref().map(|c| {
                    (
                        counted(c.subset as u64, "verhaal", "verhalen"),
                        numbers::count(c.reference as u64),
                        counted(c.tests as u64, "vergelijking", "vergelijkingen"),
                        counted(c.strong as u64, "sterk verschil", "sterke verschillen"),
                    )
                }),
            );
            ctx.insert("numbers", &numbers);
            ctx.insert("choices", &choices);
            ctx.insert("part_stories", &f.stories_link(&part_form));
            ctx.insert("reference_name", reference_name);
            ctx.insert("filter_query", &f.form.query());
            ctx.insert(
                "can_card",
                &user.me.access.can(&slug, ProjectAction::Facilitate),
            );
        },
    )
}

/// POST /beheer/p/{project}/vergelijk/kaart: an observation card of one compared question
/// (`filter`: the filters as a URL query, `d` repeated: the part, `vraag`: the question). The
/// comparison is made again here from the current stories; the card keeps its figures.
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
    let typed: Vec<(String, String)> = form
        .all("d")
        .iter()
        .map(|v| ("d".to_string(), v.to_string()))
        .collect();
    let plan = comparison::subset_card_plan(
        &state,
        &slug,
        &form.text("filter"),
        &parse_part(&typed),
        &form.text("vraag"),
    )
    .await?
    .map_err(WebError::Conflict)?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let id = blocking(move || {
        comparison_cards::make(&db, &me, &key, &plan, now_unix()).map_err(WebError::from)
    })
    .await?;
    Ok(http::see_other(&format!(
        "/beheer/p/{slug}/observaties/{id}"
    )))
}
