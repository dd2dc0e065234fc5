//! The dashboard of a project (`service::analysis::dashboard`), with the same filters as the
//! pattern page, kept in the URL. The service gives the figures and each chart as data; this
//! handler makes the links to the stories of a row and draws the charts.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::service::analysis::dashboard::{self, Card, Chart, Narrowing};
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page};
use crate::web::views::charts::{self, CountBar};
use crate::web::views::filters;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

/// A card as the template reads it: the service's card with its chart drawn.
#[derive(serde::Serialize)]
struct DrawnCard {
    #[serde(flatten)]
    card: Card,
    /// The SVG.
    chart: Option<String>,
}

fn drawn(cards: Vec<Card>, k: u32) -> Vec<DrawnCard> {
    cards
        .into_iter()
        .map(|card| DrawnCard {
            chart: card.chart.as_ref().map(|c| draw(c, k)),
            card,
        })
        .collect()
}

fn draw(chart: &Chart, k: u32) -> String {
    match chart {
        Chart::Counts { title, bars, of } => {
            let bars: Vec<CountBar<'_>> = bars
                .iter()
                .map(|(label, count)| CountBar {
                    label,
                    count: *count,
                    of: Some(*of),
                    apart: false,
                })
                .collect();
            charts::count_bars(title, &bars, k)
        }
        Chart::Histogram {
            title,
            bins,
            not_applicable,
            left,
            right,
        } => charts::slider_histogram(title, bins, *not_applicable, left, right, k),
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
    let (shared, me) = (f.clone(), user.me.clone());
    let (figures, overview, questions) = blocking(move || {
        let f = &*shared;
        let link = |more: Narrowing<'_>| {
            f.stories_link(&match more {
                Narrowing::Answer { question, option } => f.form.and_answer(question, option),
                Narrowing::Range {
                    question,
                    low,
                    high,
                } => f.form.and_range(question, low, high),
            })
        };
        let mut figures = dashboard::dashboard(&me, &f.data, &f.selection, link)?;
        // Drawn here too, off the async threads.
        let overview = drawn(std::mem::take(&mut figures.overview), figures.k);
        let questions = drawn(std::mem::take(&mut figures.questions), figures.k);
        Ok::<_, WebError>((figures, overview, questions))
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
            ctx.insert("protected", &figures.protected);
            ctx.insert("k", &figures.k);
            ctx.insert("total", &figures.total);
            ctx.insert("total_is_one", &figures.total_is_one);
            ctx.insert("complete", &figures.complete);
            ctx.insert("overview", &overview);
            ctx.insert("questions", &questions);
            ctx.insert("stories_link", &f.stories_link(&f.form));
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, count: u64) -> CountBar<'_> {
        CountBar {
            label,
            count,
            of: Some(200),
            apart: false,
        }
    }

    /// The visible texts of the chart's labels.
    fn labels(svg: &str) -> Vec<&str> {
        svg.split("class=\"chart-label")
            .skip(1)
            .map(|t| {
                let from = t.find('>').map_or(0, |i| i + 1);
                &t[from..t.find("</text>").unwrap_or(t.len())]
            })
            .collect()
    }

    #[test]
    fn a_label_too_long_for_two_lines_ends_in_an_ellipsis_between_words() {
        let long = "Een heel lang antwoord dat nergens past, ook niet op twee regels, omdat iemand er een hele zin van maakte";
        let svg = charts::count_bars("Titel", &[bar(long, 120), bar("Kort", 80)], 5);
        // The full text is the row's tooltip, with its figures.
        assert!(
            svg.contains(&format!("<title>{long}: 120 · 60%</title>")),
            "{svg}"
        );
        let shown = labels(&svg);
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[1].ends_with('…'), "{shown:?}");
        // Every line is whole words of the label: nothing is cut inside a word.
        let words: Vec<&str> = long.split(' ').collect();
        for line in &shown[..2] {
            for word in line.trim_end_matches('…').split(' ') {
                assert!(words.contains(&word), "{word:?} of {line:?}");
            }
        }
        assert_eq!(shown[2], "Kort");
    }

    #[test]
    fn short_labels_stand_beside_their_bars_and_small_counts_have_no_bar() {
        let svg = charts::count_bars("Titel", &[bar("ja", 120), bar("nee", 3)], 5);
        // Beside: anchored at the end of the label column.
        assert!(
            svg.contains("text-anchor=\"end\" class=\"chart-label\">ja<"),
            "{svg}"
        );
        assert!(svg.contains("<title>nee: &lt; 5</title>"));
        assert_eq!(svg.matches("<rect ").count(), 1, "{svg}");
        assert!(svg.contains(">120 · 60%<"));
        assert!(!svg.contains(">3<") && !svg.contains("1,5%"));
    }

    #[test]
    fn not_answered_bars_stand_apart_without_colour() {
        let apart = CountBar {
            label: "geen antwoord",
            count: 40,
            of: None,
            apart: true,
        };
        let svg = charts::count_bars("Titel", &[bar("ja", 120), apart], 5);
        assert!(svg.contains("class=\"chart-bar chart-dash-apart\""));
        assert!(svg.contains("class=\"chart-label chart-dash-apart\">geen antwoord<"));
        assert!(svg.contains(">40<"));
    }
}
