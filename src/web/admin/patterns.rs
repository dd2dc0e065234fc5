//! Patroonevaluatie: the ranked patterns of a project's duiding answers, each with its figures
//! and, where it helps, a chart.

use super::CurrentUser;
use crate::analysis::{Dataset, Pattern, PatternKind, ScanSettings, Variable};
use crate::domain::accounts::ProjectAction;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page};
use crate::web::views::filters::{self, Filtered};
use crate::web::views::pattern::{chart, kind_label, number, test_label, PatternRef};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use std::sync::Arc;

/// How many patterns one page shows.
const SHOWN: usize = 60;

#[derive(serde::Serialize)]
struct PatternView {
    description: String,
    kind: &'static str,
    test: &'static str,
    questions: String,
    statistic: String,
    p_value: String,
    q_value: String,
    effect: String,
    n: usize,
    strong: bool,
    chart: Option<String>,
    /// (group, stories, mean, link to its stories)
    groups: Vec<(String, u64, String, String)>,
    /// (answer, together with, observed, expected, link to its stories)
    cells: Vec<(String, String, u64, String, String)>,
    /// For two sliders: (part, stories, link) per quarter of the plane.
    quarters: Vec<(String, u64, String)>,
    /// Names the pattern for the "make an observation" form.
    reference: PatternRef,
}

fn view(p: &Pattern, dataset: &Dataset, f: &Filtered) -> PatternView {
    let chart = chart(p, dataset);
    let names = dataset.labels(&p.questions);
    PatternView {
        description: p.description.clone(),
        kind: kind_label(p.kind),
        test: test_label(p.test),
        questions: names.join(" × "),
        statistic: number(p.statistic),
        p_value: number(p.p_value),
        q_value: number(p.q_value),
        effect: number(p.effect_size),
        n: p.n,
        strong: p.strong,
        chart,
        groups: p
            .groups
            .iter()
            .take(12)
            .map(|g| {
                (
                    g.label.clone(),
                    g.n,
                    g.mean.map_or("–".into(), |m| format!("{m:.1}")),
                    f.stories_link(&group_filter(p, dataset, &g.option, f)),
                )
            })
            .collect(),
        cells: p
            .cells
            .iter()
            .map(|c| {
                let both = f
                    .form
                    .and_answer(&p.questions[0], &c.row)
                    .and_answer(&p.questions[1], &c.column);
                (
                    c.row_label.clone(),
                    c.column_label.clone(),
                    c.observed,
                    format!("{:.1}", c.expected),
                    f.stories_link(&both),
                )
            })
            .collect(),
        quarters: quarters(p, dataset, f),
        reference: PatternRef::of(p),
    }
}

/// The filters that select the stories behind one group of a slider × choice pattern (or one
/// cell of a three-way pattern): its option(s), and an answer on the slider.
fn group_filter(p: &Pattern, dataset: &Dataset, option: &str, f: &Filtered) -> filters::FilterForm {
    let mut form = match (p.kind, p.questions.as_slice()) {
        (PatternKind::SliderByChoicePair, [_, first, second]) => {
            let (a, b) = option.split_once('+').unwrap_or((option, ""));
            f.form.and_answer(first, a).and_answer(second, b)
        }
        (_, [_, choice, ..]) => f.form.and_answer(choice, option),
        _ => f.form.clone(),
    };
    if let Some(Variable::Slider { key, .. }) = dataset.variable(&p.questions[0]) {
        form = form.and_range(key, 0, 100);
    }
    form
}

/// For two sliders: how many stories lie in each quarter (low/high on each), with links.
fn quarters(p: &Pattern, dataset: &Dataset, f: &Filtered) -> Vec<(String, u64, String)> {
    let (Some(a @ Variable::Slider { .. }), Some(b @ Variable::Slider { .. })) = (
        dataset.variable(&p.questions[0]),
        dataset.variable(&p.questions[1]),
    ) else {
        return Vec::new();
    };
    let halves = [(0u32, 49u32, "laag"), (50, 100, "hoog")];
    let mut out = Vec::new();
    for (a_low, a_high, a_word) in halves {
        for (b_low, b_high, b_word) in halves {
            let n = (0..dataset.stories)
                .filter(|&i| {
                    let inside = |v: Option<f64>, low: u32, high: u32| {
                        v.is_some_and(|v| v >= f64::from(low) && v <= f64::from(high))
                    };
                    inside(a.number(i), a_low, a_high) && inside(b.number(i), b_low, b_high)
                })
                .count() as u64;
            let form = f
                .form
                .and_range(a.key(), a_low, a_high)
                .and_range(b.key(), b_low, b_high);
            out.push((
                format!(
                    "{a_word} op '{}' ({a_low}–{a_high}), {b_word} op '{}' ({b_low}–{b_high})",
                    a.label(),
                    b.label()
                ),
                n,
                f.stories_link(&form),
            ));
        }
    }
    out
}

/// GET /beheer/p/{project}/patronen
pub async fn patterns(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let show_all = query.iter().any(|(k, v)| k == "alles" && !v.is_empty());
    let f = Arc::new(filters::filtered(&state, &slug, &query).await?);
    let (shared, cache) = (f.clone(), state.analysis.clone());
    let (views, summary) = blocking(move || {
        let f = &*shared;
        let scan = cache.scan(&f.data, &f.filter, ScanSettings::default())?;
        let dataset = f.data.scan_dataset(&f.selection);
        let views: Vec<PatternView> = scan
            .patterns
            .iter()
            .filter(|p| show_all || p.strong)
            .take(SHOWN)
            .map(|p| view(p, &dataset, f))
            .collect();
        Ok::<_, WebError>((
            views,
            (scan.stories, scan.tests, scan.strong, scan.untested.len()),
        ))
    })
    .await?;
    let action = format!("/beheer/p/{slug}/patronen");
    page(
        &state,
        &req,
        Some(&user.me),
        http::status_for(&f.problems),
        "admin/patterns.html",
        |ctx| {
            f.context(ctx, &action);
            ctx.insert("all_toggle", &true);
            ctx.insert(
                "can_facilitate",
                &user.me.access.can(&slug, ProjectAction::Facilitate),
            );
            ctx.insert("show_all", &show_all);
            ctx.insert("slug", &slug);
            ctx.insert("name", &f.data.project.name);
            ctx.insert("patterns", &views);
            ctx.insert("stories", &summary.0);
            ctx.insert("tests", &summary.1);
            ctx.insert("strong", &summary.2);
            ctx.insert("untested", &summary.3);
            ctx.insert("shown", &SHOWN);
        },
    )
}
