//! The dashboard of a project: how many stories, from whom, when, and how every question was
//! answered — with the same filters as the pattern page, kept in the URL.

use super::CurrentUser;
use crate::analysis::{descriptives, Variable};
use crate::domain::accounts::ProjectAction;
use crate::domain::smallcell;
use crate::service::analysis::DERIVED;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page};
use crate::web::views::charts;
use crate::web::views::filters::{self, Filtered};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

#[derive(serde::Serialize)]
struct QuestionView {
    label: String,
    chart: String,
    /// For sliders: n, mean, median, sd and the number without a value.
    summary: Option<String>,
    /// For choices: one row per option.
    options: Vec<OptionRow>,
}

#[derive(serde::Serialize)]
struct OptionRow {
    label: String,
    /// The count as it may be shown ("< 5" for a small one).
    count: String,
    share: String,
    /// The option's stories, when there are any.
    link: Option<String>,
}

fn fmt(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| format!("{v:.1}").replace('.', ","))
}

fn fmt2(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| format!("{v:.2}").replace('.', ","))
}

fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        "–".into()
    } else {
        format!("{}%", (100.0 * part as f64 / whole as f64).round())
    }
}

fn question_view(variable: &Variable, f: &Filtered, k: u32) -> Option<QuestionView> {
    match variable {
        Variable::Slider { label, values, .. } => {
            let mut counts = [0u32; 101];
            for v in values.iter().flatten() {
                if let Some(c) = counts.get_mut(usize::from(*v)) {
                    *c += 1;
                }
            }
            let answered = counts.iter().map(|&c| c as usize).sum::<usize>();
            let d = descriptives::of_counts(&counts, values.len() - answered, 10);
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
                chart: charts::count_bars(&format!("Verdeling van '{label}'"), &bars, k),
                summary: Some(format!(
                    "{} antwoorden · gemiddeld {} · mediaan {} · standaardafwijking {} · scheefheid {} · welving {} · {} zonder waarde (weet ik niet of leeg)",
                    d.n,
                    fmt(d.mean),
                    fmt(d.median),
                    fmt(d.sd),
                    fmt2(d.skewness),
                    fmt2(d.kurtosis),
                    d.n_not_applicable
                )),
                options: Vec::new(),
            })
        }
        Variable::Choice {
            key,
            label,
            options,
            values,
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
            let answered: u64 = counts.iter().sum();
            let links = options
                .iter()
                .zip(&counts)
                .map(|(o, &c)| {
                    let safe = smallcell::count_is_safe(c as usize, k);
                    OptionRow {
                        label: o.label.clone(),
                        count: smallcell::shown_count(c as usize, k),
                        share: if safe {
                            share(c, answered)
                        } else {
                            "–".into()
                        },
                        link: (c > 0).then(|| f.stories_link(&f.form.and_answer(key, &o.key))),
                    }
                })
                .collect();
            Some(QuestionView {
                label: label.clone(),
                chart: charts::count_bars(&format!("Antwoorden op '{label}'"), &bars, k),
                summary: None,
                options: links,
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
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let f = filters::filtered(&state, &slug, &query).await?;
    let f = std::sync::Arc::new(f);
    let shared = f.clone();
    let k = f.data.project.settings.privacy.k();
    let (total, complete, overview, questions) = blocking(move || {
        let f = &*shared;
        let dataset = f.data.dataset.select(&f.selection.keep);
        if !smallcell::count_is_safe(dataset.stories, k) {
            // Too few stories to show anything about them without risk.
            return Ok::<_, WebError>((dataset.stories, 0, Vec::new(), Vec::new()));
        }
        let complete = f
            .data
            .stories
            .iter()
            .zip(&f.selection.keep)
            .filter(|(s, k)| **k && s.complete)
            .count();
        let mut overview: Vec<QuestionView> = ["rol", "maand", "kanaal", "taal", "versie"]
            .iter()
            .filter_map(|k| dataset.variable(k))
            .filter_map(|v| question_view(v, f, k))
            .collect();
        let label = "Volledig ingevuld";
        let bars = [
            ("volledig".to_string(), complete as u64),
            (
                "niet volledig".to_string(),
                (dataset.stories - complete) as u64,
            ),
        ];
        overview.push(QuestionView {
            label: label.into(),
            chart: charts::count_bars(label, &bars, k),
            summary: None,
            options: Vec::new(),
        });
        let questions: Vec<QuestionView> = dataset
            .variables
            .iter()
            .filter(|v| v.key() != "rol" && !DERIVED[1..].contains(&v.key()))
            .filter_map(|v| question_view(v, f, k))
            .collect();
        Ok::<_, WebError>((dataset.stories, complete, overview, questions))
    })
    .await?;
    let action = format!("/beheer/p/{slug}/cijfers");
    page(
        &state,
        &req,
        Some(&user.me),
        http::status_for(&f.problems),
        "admin/dashboard.html",
        |ctx| {
            f.context(ctx, &action);
            ctx.insert("slug", &slug);
            ctx.insert("name", &f.data.project.name);
            ctx.insert("protected", &!smallcell::count_is_safe(total, k));
            ctx.insert("k", &k);
            ctx.insert("total", &smallcell::shown_count(total, k));
            ctx.insert("complete", &smallcell::shown_count(complete, k));
            ctx.insert("overview", &overview);
            ctx.insert("questions", &questions);
            ctx.insert("stories_link", &f.stories_link(&f.form));
        },
    )
}
