//! Patroonevaluatie: the ranked patterns of a project's duiding answers, each with its figures
//! and, where it helps, a chart.

use super::charts::{self, Bar};
use super::{blocking, page, CurrentUser};
use crate::analysis::{Pattern, PatternKind, ScanSettings, TestKind, Variable};
use crate::domain::accounts::ProjectAction;
use crate::service::analysis::{self, StoryFilter};
use crate::web::errors::WebError;
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

/// How many patterns one page shows.
const SHOWN: usize = 60;

#[derive(serde::Deserialize, serde::Serialize, Default, Clone)]
pub struct PatternQuery {
    #[serde(default)]
    rol: String,
    #[serde(default)]
    volledig: String,
    #[serde(default)]
    alles: String,
}

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
    groups: Vec<(String, u64, String)>,
    cells: Vec<(String, String, u64, String)>,
}

fn kind_label(kind: PatternKind) -> &'static str {
    match kind {
        PatternKind::SliderByChoice => "schuifvraag × keuzevraag",
        PatternKind::ChoiceByChoice => "keuzevraag × keuzevraag",
        PatternKind::SliderBySlider => "schuifvraag × schuifvraag",
        PatternKind::SliderByChoicePair => "schuifvraag × twee keuzevragen",
    }
}

fn test_label(test: TestKind) -> &'static str {
    match test {
        TestKind::KruskalWallis => "Kruskal-Wallis H",
        TestKind::MannWhitneyU => "Mann-Whitney U",
        TestKind::ChiSquare => "chi-kwadraat",
        TestKind::Spearman => "Spearman rho",
    }
}

fn number(value: f64) -> String {
    if value != 0.0 && value.abs() < 0.001 {
        format!("{value:.2e}")
    } else {
        format!("{value:.3}")
    }
}

fn view(p: &Pattern, dataset: &crate::analysis::Dataset) -> PatternView {
    let slider = dataset.variable(&p.questions[0]);
    let chart = match (p.kind, slider) {
        (
            PatternKind::SliderByChoice | PatternKind::SliderByChoicePair,
            Some(Variable::Slider {
                label, left, right, ..
            }),
        ) => {
            let bars: Vec<Bar<'_>> = p
                .groups
                .iter()
                .take(12)
                .filter_map(|g| {
                    g.mean.map(|m| Bar {
                        label: &g.label,
                        value: m,
                        n: g.n,
                    })
                })
                .collect();
            Some(charts::mean_bars(
                &format!("Gemiddelde per groep op '{label}'"),
                &bars,
                left,
                right,
            ))
        }
        _ => None,
    };
    let names: Vec<String> = p
        .questions
        .iter()
        .map(|k| {
            dataset
                .variable(k)
                .map_or(k.clone(), |v| v.label().to_string())
        })
        .collect();
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
                )
            })
            .collect(),
        cells: p
            .cells
            .iter()
            .map(|c| {
                (
                    c.row_label.clone(),
                    c.column_label.clone(),
                    c.observed,
                    format!("{:.1}", c.expected),
                )
            })
            .collect(),
    }
}

/// The project and its analysable stories that match `filter`, read off the async workers.
pub async fn load(
    state: &AppState,
    slug: &str,
    filter: StoryFilter,
) -> Result<(crate::domain::Project, Vec<crate::store::stories::Story>), WebError> {
    let (db, key) = (state.db.clone(), slug.to_string());
    blocking(move || {
        analysis::load(&db, &key, &filter).map_err(|e| match e {
            analysis::AnalysisError::NoProject(_) => WebError::NotFound,
            analysis::AnalysisError::Store(s) => WebError::Store(s),
            analysis::AnalysisError::BadFilter(_) => WebError::BadRequest("filter"),
        })
    })
    .await
}

/// GET /beheer/p/{project}/patronen
pub async fn patterns(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<PatternQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let query = query.into_inner();
    let mut filter = StoryFilter {
        complete_only: !query.volledig.is_empty(),
        ..Default::default()
    };
    filter.add_role(&query.rol);
    let loaded = load(&state, &slug, filter).await?;
    let show_all = !query.alles.is_empty();
    let (project, stories) = loaded;
    let roles: Vec<(String, String)> = project
        .questionnaire
        .roles
        .iter()
        .map(|r| (r.key.clone(), r.label.clone()))
        .collect();
    let (views, summary) = blocking(move || {
        let dataset = analysis::dataset(&project, &stories);
        let scan = crate::analysis::scan(&dataset, ScanSettings::default());
        let views: Vec<PatternView> = scan
            .patterns
            .iter()
            .filter(|p| show_all || p.strong)
            .take(SHOWN)
            .map(|p| view(p, &dataset))
            .collect();
        Ok::<_, WebError>((
            views,
            (scan.stories, scan.tests, scan.strong, scan.untested.len()),
        ))
    })
    .await?;
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/patterns.html",
        |ctx| {
            ctx.insert("slug", &slug);
            ctx.insert("patterns", &views);
            ctx.insert("stories", &summary.0);
            ctx.insert("tests", &summary.1);
            ctx.insert("strong", &summary.2);
            ctx.insert("untested", &summary.3);
            ctx.insert("query", &query);
            ctx.insert("roles", &roles);
            ctx.insert("shown", &SHOWN);
        },
    )
}
