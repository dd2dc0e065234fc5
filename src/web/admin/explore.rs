//! GET /beheer/p/{project}/verkennen: the stories behind the figures, filtered like the
//! analysis pages, each shown whole with its answers. The pattern and dashboard pages link
//! here with the filters of a group or cell, so a reader sees exactly the stories counted.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::service::analysis::browse;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page};
use crate::web::views::filters;
use crate::web::views::story::StoryView;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use std::sync::Arc;

/// GET /beheer/p/{project}/verkennen?…filters…&zoek=woorden&pagina=N
pub async fn explore(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let value = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let search: String = value("zoek").chars().take(200).collect();
    let wanted_page = value("pagina").parse::<usize>().unwrap_or(1);
    let f = Arc::new(filters::filtered(&state, &slug, &query).await?);
    let (shared, db, me, words) = (f.clone(), state.db.clone(), user.me.clone(), search.clone());
    let found = blocking(move || {
        browse::browse(
            &db,
            &me,
            &shared.data,
            &shared.selection,
            &words,
            wanted_page,
        )
        .map_err(WebError::from)
    })
    .await?;
    let stories: Vec<StoryView> = found
        .stories
        .into_iter()
        .map(|(story, q)| StoryView::new(story, q.as_ref()))
        .collect();
    let action = format!("/beheer/p/{slug}/verkennen");
    // Links to other pages keep the filters and the search.
    let mut keep = f.form.query();
    if !search.is_empty() {
        let words = serde_urlencoded::to_string([("zoek", search.as_str())]).unwrap_or_default();
        keep = if keep.is_empty() {
            words
        } else {
            format!("{keep}&{words}")
        };
    }
    page(
        &state,
        &req,
        Some(&user.me),
        http::status_for(&f.problems),
        "admin/explore.html",
        |ctx| {
            f.context(ctx, &action);
            ctx.insert("show_search", &true);
            ctx.insert("search", &search);
            ctx.insert("slug", &slug);
            ctx.insert("name", &f.data.project.name);
            ctx.insert("stories", &stories);
            ctx.insert("total", &found.total);
            if let Some(e) = found.estimate {
                use crate::analysis::numbers::count;
                ctx.insert(
                    "estimate",
                    &serde_json::json!({
                        "total": count(found.total as u64),
                        "low": count(e.low as u64),
                        "high": count(e.high as u64),
                        "sample": count(e.sample as u64),
                    }),
                );
            }
            ctx.insert("protected_below", &found.protected_below);
            ctx.insert("page", &found.page);
            ctx.insert("pages", &found.pages);
            ctx.insert("keep", &keep);
            ctx.insert("selected", &f.selection.count());
        },
    )
}
