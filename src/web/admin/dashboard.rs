//! The dashboard of a project: how many stories, from whom, when, and how every question was
//! answered — with the same filters as the pattern page, kept in the URL.

use super::charts;
use super::{blocking, page, CurrentUser};
use crate::analysis::{Descriptives, Variable};
use crate::domain::accounts::ProjectAction;
use crate::service::analysis::{self, StoryFilter};
use crate::web::errors::WebError;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

#[derive(serde::Deserialize, serde::Serialize, Default, Clone)]
pub struct DashboardQuery {
    #[serde(default)]
    rol: String,
    #[serde(default)]
    volledig: String,
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
}

#[derive(serde::Serialize)]
struct QuestionView {
    label: String,
    chart: String,
    /// For sliders: n, mean, median, sd and the number without a value.
    summary: Option<String>,
}

fn fmt(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| format!("{v:.1}").replace('.', ","))
}

fn question_view(variable: &Variable) -> Option<QuestionView> {
    match variable {
        Variable::Slider { label, values, .. } => {
            let answered: Vec<f64> = values.iter().flatten().map(|&v| f64::from(v)).collect();
            let d = Descriptives::of(&answered, values.len() - answered.len(), 10);
            let bars: Vec<(String, u64)> = d
                .histogram
                .counts
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    let low = i * 10;
                    let high = if i == 9 { 100 } else { low + 9 };
                    (format!("{low}–{high}"), c)
                })
                .collect();
            Some(QuestionView {
                label: label.clone(),
                chart: charts::count_bars(&format!("Verdeling van '{label}'"), &bars),
                summary: Some(format!(
                    "{} antwoorden · gemiddeld {} · mediaan {} · standaardafwijking {} · {} zonder waarde (weet ik niet of leeg)",
                    d.n,
                    fmt(d.mean),
                    fmt(d.median),
                    fmt(d.sd),
                    d.n_not_applicable
                )),
            })
        }
        Variable::Choice {
            label,
            options,
            values,
            ..
        } => {
            let mut counts = vec![0u64; options.len()];
            let mut none = 0u64;
            for v in values {
                match v.map(usize::from) {
                    Some(i) if i < counts.len() => counts[i] += 1,
                    _ => none += 1,
                }
            }
            let mut bars: Vec<(String, u64)> = options
                .iter()
                .zip(&counts)
                .map(|(o, &c)| (o.label.clone(), c))
                .collect();
            bars.push(("geen antwoord".into(), none));
            Some(QuestionView {
                label: label.clone(),
                chart: charts::count_bars(&format!("Antwoorden op '{label}'"), &bars),
                summary: None,
            })
        }
        Variable::Numeric { .. } => None,
    }
}

/// GET /beheer/p/{project}/cijfers
pub async fn dashboard(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let query = query.into_inner();
    let (from, until, problems) = super::date_range(&query.van, &query.tot);
    let mut filter = StoryFilter {
        complete_only: !query.volledig.is_empty(),
        from,
        until,
        ..Default::default()
    };
    filter.add_role(&query.rol);
    let (project, stories) = super::patterns::load(&state, &slug, filter).await?;
    let roles: Vec<(String, String)> = project
        .questionnaire
        .roles
        .iter()
        .map(|r| (r.key.clone(), r.label.clone()))
        .collect();
    let (total, complete, overview, questions) = blocking(move || {
        let dataset = analysis::dataset(&project, &stories);
        let complete = stories.iter().filter(|s| s.record.is_complete).count();
        let overview: Vec<QuestionView> = ["rol", "maand", "kanaal"]
            .iter()
            .filter_map(|k| dataset.variable(k))
            .filter_map(question_view)
            .collect();
        let questions: Vec<QuestionView> = dataset
            .variables
            .iter()
            .filter(|v| !["rol", "maand", "kanaal", "taal", "versie"].contains(&v.key()))
            .filter_map(question_view)
            .collect();
        Ok::<_, WebError>((stories.len(), complete, overview, questions))
    })
    .await?;
    page(
        &state,
        &req,
        Some(&user.me),
        super::status_for(&problems),
        "admin/dashboard.html",
        |ctx| {
            ctx.insert("slug", &slug);
            ctx.insert("total", &total);
            ctx.insert("complete", &complete);
            ctx.insert("overview", &overview);
            ctx.insert("questions", &questions);
            ctx.insert("query", &query);
            ctx.insert("roles", &roles);
            ctx.insert("date_problems", &problems);
        },
    )
}
