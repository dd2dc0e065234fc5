//! Patroonevaluatie: the ranked patterns of a project's duiding answers, each with its figures
//! and, where it helps, a chart; narrowed by question and kind, ordered and paged.

use super::CurrentUser;
use crate::analysis::numbers::counted;
use crate::analysis::{Dataset, ScanSettings};
use crate::domain::accounts::ProjectAction;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page};
use crate::web::views::filters;
use crate::web::views::pattern::{kind_label, PatternView};
use crate::web::views::pattern_list::{ListQuery, Page};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The pairs the scan could not test, grouped by the reason.
#[derive(Serialize)]
struct UntestedGroup {
    reason: &'static str,
    /// "schuifvraag × keuzevraag: Vraag A × Vraag B"
    pairs: Vec<String>,
}

/// What the page shows besides the patterns.
#[derive(Serialize)]
struct Summary {
    /// "3.000 verhalen · 1.204 vergelijkingen · 12 sterke patronen"
    lead: Vec<String>,
    listed: usize,
    page: Page,
    untested: Vec<UntestedGroup>,
    untested_count: usize,
    /// (key, label) of every question in the scan, for the question filter.
    questions: Vec<(String, String)>,
}

fn untested_groups(
    untested: &[&crate::analysis::scan::Untested],
    data: &Dataset,
) -> Vec<UntestedGroup> {
    let mut groups: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for u in untested {
        groups.entry(u.reason).or_default().push(format!(
            "{}: {}",
            kind_label(u.kind),
            data.labels(&u.questions).join(" × ")
        ));
    }
    groups
        .into_iter()
        .map(|(reason, pairs)| UntestedGroup { reason, pairs })
        .collect()
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
    let list = ListQuery::parse(&query);
    let f = Arc::new(filters::filtered(&state, &slug, &query).await?);
    // Below k stories a selection shows no figures at all (as on every analysis page).
    let too_small = f.too_small();
    let (shared, cache, chosen) = (f.clone(), state.analysis.clone(), list.clone());
    let (views, summary) = blocking(move || {
        let f = &*shared;
        let scan = if too_small.is_some() {
            Arc::new(crate::analysis::scan(
                &Dataset::default(),
                ScanSettings::default(),
            ))
        } else {
            cache.scan(&f.data, &f.filter, ScanSettings::default())?
        };
        let dataset = f.data.scan_dataset(&f.selection);
        let selected = chosen.select(&scan.patterns);
        let page = Page::of(selected.len(), chosen.page);
        let views: Vec<PatternView> = page
            .slice(&selected)
            .iter()
            .map(|p| PatternView::of(p, &dataset, f))
            .collect();
        let untested = chosen.untested(&scan.untested);
        let summary = Summary {
            lead: vec![
                counted(scan.stories as u64, "verhaal", "verhalen"),
                counted(scan.tests as u64, "vergelijking", "vergelijkingen"),
                counted(scan.strong as u64, "sterk patroon", "sterke patronen"),
            ],
            listed: selected.len(),
            page,
            untested_count: untested.len(),
            untested: untested_groups(&untested, &dataset),
            questions: dataset
                .variables
                .iter()
                .map(|v| (v.key().to_string(), v.label().to_string()))
                .collect(),
        };
        Ok::<_, WebError>((views, summary))
    })
    .await?;
    let action = format!("/beheer/p/{slug}/patronen");
    // Links to other pages of the list keep the story filters and the list choices.
    let mut kept = list.pairs();
    kept.extend(f.form.pairs());
    let page_link = |number: usize| {
        let mut pairs = kept.clone();
        pairs.push(("pagina", number.to_string()));
        format!(
            "{action}?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    let previous = (summary.page.number > 1).then(|| page_link(summary.page.number - 1));
    let next =
        (summary.page.number < summary.page.pages).then(|| page_link(summary.page.number + 1));
    page(
        &state,
        &req,
        Some(&user.me),
        http::status_for(&f.problems),
        "admin/patterns.html",
        |ctx| {
            f.context(ctx, &action);
            // The story filter form keeps the list choices (except the page: new filters,
            // new list).
            ctx.insert("extra_hidden", &list.pairs());
            ctx.insert(
                "can_facilitate",
                &user.me.access.can(&slug, ProjectAction::Facilitate),
            );
            ctx.insert("list", &list);
            ctx.insert("too_small", &too_small);
            ctx.insert("filter_pairs", &f.form.pairs());
            ctx.insert("slug", &slug);
            ctx.insert("name", &f.data.project.name);
            ctx.insert("patterns", &views);
            ctx.insert("summary", &summary);
            ctx.insert("previous", &previous);
            ctx.insert("next", &next);
        },
    )
}
