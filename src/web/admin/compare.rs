//! GET /beheer/p/{project}/vergelijk: a part of the stories (one region's gemeenten, one role,
//! …) side by side with the rest or with the whole, question by question.
//!
//! The usual filters (`rol`, `a`, dates, …) choose the stories; `d=vraag:antwoord` (repeated)
//! chooses the part among them; `ref=rest|geheel` chooses the figures shown beside it. The
//! test is always part against rest (see `analysis::compare`).

use super::CurrentUser;
use crate::analysis::describe::dutch;
use crate::analysis::figures::Crosstab;
use crate::analysis::numbers::{self, counted};
use crate::analysis::{
    ChoiceComparison, CompareSettings, Comparison, NumberComparison, OptionLabel, Reference,
};
use crate::domain::accounts::ProjectAction;
use crate::exchange::timestamp::now_unix;
use crate::service::analysis::{self, StoryFilter};
use crate::service::comparison_cards;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page};
use crate::web::views::charts::{self, Bar};
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
    chart: Option<String>,
    /// (n, mean, median) of the part and of the reference
    part: (u64, String, String),
    reference: (u64, String, String),
    effect: String,
    q: String,
}

#[derive(Serialize)]
struct ChoiceView {
    key: String,
    label: String,
    description: String,
    strong: bool,
    chart: String,
    /// (option, part count, part share, reference count, reference share, more/less/"")
    options: Vec<(String, u64, String, u64, String, &'static str)>,
    effect: String,
    q: String,
}

fn number(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| dutch(v, 1))
}

fn q_text(q: f64) -> String {
    numbers::named_probability("q", q)
}

fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round())
}

fn number_view(n: &NumberComparison, part: &str, reference: &str) -> NumberView {
    let chart = match (&n.left, &n.right, n.subset.mean, n.reference.mean) {
        (Some(left), Some(right), Some(a), Some(b)) => Some(charts::mean_bars(
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
        )),
        _ => None,
    };
    NumberView {
        key: n.key.clone(),
        label: n.label.clone(),
        description: n.description.clone(),
        strong: n.strong,
        chart,
        part: (
            n.subset.n as u64,
            number(n.subset.mean),
            number(n.subset.median),
        ),
        reference: (
            n.reference.n as u64,
            number(n.reference.mean),
            number(n.reference.median),
        ),
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

fn choice_view(c: &ChoiceComparison, part: &str, reference: &str) -> ChoiceView {
    let table = Crosstab {
        rows: [part, reference]
            .iter()
            .map(|l| OptionLabel {
                key: l.to_string(),
                label: l.to_string(),
            })
            .collect(),
        columns: c
            .options
            .iter()
            .map(|o| OptionLabel {
                key: o.option.clone(),
                label: o.label.clone(),
            })
            .collect(),
        counts: vec![
            c.options.iter().map(|o| o.subset).collect(),
            c.options.iter().map(|o| o.reference).collect(),
        ],
    };
    ChoiceView {
        key: c.key.clone(),
        label: c.label.clone(),
        description: c.description.clone(),
        strong: c.strong,
        chart: charts::stacked_bars(&format!("Antwoorden op '{}'", c.label), &table),
        options: c
            .options
            .iter()
            .map(|o| {
                (
                    o.label.clone(),
                    o.subset,
                    percent(o.subset_share),
                    o.reference,
                    percent(o.reference_share),
                    marker(o.residual),
                )
            })
            .collect(),
        effect: numbers::strength(c.strength),
        q: q_text(c.q_value),
    }
}

/// The part as typed: `d=vraag:antwoord` pairs, without repeats.
fn parse_part(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut part: Vec<(String, String)> = Vec::new();
    for (name, value) in pairs {
        if name != "d" {
            continue;
        }
        if let Some((k, o)) = value.trim().split_once(':') {
            let answer = (k.trim().to_string(), o.trim().to_string());
            if !answer.0.is_empty() && !answer.1.is_empty() && !part.contains(&answer) {
                part.push(answer);
            }
        }
    }
    part.truncate(20);
    part
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
    let numbers: Vec<NumberView> = comparison
        .iter()
        .flat_map(|c| &c.numbers)
        .map(|n| number_view(n, part_name, reference_name))
        .collect();
    let choices: Vec<ChoiceView> = comparison
        .iter()
        .flat_map(|c| &c.choices)
        .map(|c| choice_view(c, part_name, reference_name))
        .collect();
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
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&form.text("filter"))
        .map_err(|_| WebError::BadRequest("filter"))?;
    let f = Arc::new(filters::filtered(&state, &slug, &pairs).await?);
    let typed: Vec<(String, String)> = form
        .all("d")
        .iter()
        .map(|v| ("d".to_string(), v.to_string()))
        .collect();
    let mut part_filter = StoryFilter {
        answers: parse_part(&typed),
        ..Default::default()
    };
    part_filter.drop_unknown(&f.data);
    let part = part_filter.answers;
    let mut filter_text: Vec<String> = f
        .form
        .chips(&f.data, "")
        .into_iter()
        .map(|c| c.text)
        .collect();
    let part_text: Vec<String> = part
        .iter()
        .map(|(k, o)| filters::answer_text(&f.data, k, o))
        .collect();
    filter_text.push(format!("de groep {} naast de rest", part_text.join(" of ")));
    let scope = comparison_cards::Scope {
        filter_query: f.form.query(),
        filter_text,
    };
    let question = form.text("vraag");
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let made = blocking(move || {
        let plan = comparison_cards::from_subset(
            &f.data,
            &f.filter,
            &part,
            CompareSettings::default(),
            &question,
            scope,
            crate::web::views::pattern::chart,
        )?;
        match plan {
            Ok(plan) => Ok::<_, WebError>(Ok(comparison_cards::make(
                &db,
                &me,
                &key,
                &plan,
                now_unix(),
            )?)),
            Err(why) => Ok(Err(why)),
        }
    })
    .await?;
    match made {
        Ok(id) => Ok(http::see_other(&format!(
            "/beheer/p/{slug}/observaties/{id}"
        ))),
        Err(why) => Err(WebError::Conflict(why)),
    }
}
