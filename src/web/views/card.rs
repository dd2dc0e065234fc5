//! How an observation's card shows its pattern. The figures kept with the observation are cut
//! to what one card holds — at most [`pdf::card::MAX_ROWS`] bars, the rest taken together
//! with a note — once, here, for both the web card (an SVG from `charts::card_chart` and a
//! table of the same figures) and the printed card (`pdf::card`), so that both show the same.

use super::charts;
use super::pattern::test_label;
use crate::analysis::figures::GroupBands;
use crate::analysis::numbers;
use crate::analysis::{PatternKind, TestKind};
use crate::pdf::card::{band_label, percent, MAX_ROWS};
use crate::pdf::{Axis, CardChart, CardFigures, Poles, ShareRow};
use crate::service::observations::{ObservationDetail, PatternSnapshot, CARD_BANDS};
use crate::web::views::story::{nl_date, StoryView};
use serde::Serialize;

/// The figures of a card from the pattern's snapshot; `figures_at` is when they were taken.
pub fn figures(snapshot: &PatternSnapshot, figures_at: Option<i64>) -> CardFigures {
    let p = &snapshot.pattern;
    let label = |i: usize| snapshot.labels.get(i).cloned().unwrap_or_default();
    let (chart_title, chart, note) = match p.kind {
        PatternKind::SliderByChoice | PatternKind::SliderByChoicePair => slider_groups(snapshot),
        PatternKind::ChoiceByChoice => choice_table(snapshot),
        PatternKind::SliderBySlider => (
            "Hoe de verhalen over beide schuiven verdeeld zijn".to_string(),
            snapshot.density.as_ref().map(|d| {
                let d = d.coarsened(CARD_BANDS);
                let axis = |i: usize, range: (f64, f64)| Axis {
                    question: label(i),
                    poles: poles_of(snapshot, i).unwrap_or_else(|| Poles {
                        left: numbers::decimal(range.0, 0),
                        right: numbers::decimal(range.1, 0),
                    }),
                };
                CardChart::Grid {
                    counts: d.counts.clone(),
                    x: axis(0, d.x_range),
                    y: axis(1, d.y_range),
                }
            }),
            String::new(),
        ),
    };
    let mut summary = format!(
        "{} = {} · {} · sterkte {}{} · {}",
        test_label(p.test),
        numbers::statistic(p.statistic),
        numbers::named_probability("q", p.q_value),
        numbers::strength(p.strength),
        if p.strong { " (sterk)" } else { "" },
        numbers::counted(p.n as u64, "verhaal", "verhalen"),
    );
    if p.test == TestKind::Spearman {
        summary = summary.replacen("Spearman rho = ", "Spearman ρ = ", 1);
    }
    let mut scope = if snapshot.filter_text.is_empty() {
        format!(
            "uit alle {}",
            numbers::counted(snapshot.stories as u64, "verhaal", "verhalen")
        )
    } else {
        format!(
            "uit {} met {}",
            numbers::counted(snapshot.stories as u64, "verhaal", "verhalen"),
            snapshot.filter_text.join(", ")
        )
    };
    if let Some(at) = figures_at {
        scope = format!("{scope} · cijfers van {}", nl_date(at));
    }
    CardFigures {
        questions: snapshot.labels.join(" × "),
        chart_title,
        chart,
        note,
        summary,
        scope,
    }
}

fn poles_of(snapshot: &PatternSnapshot, question: usize) -> Option<Poles> {
    let key = snapshot.pattern.questions.get(question)?;
    snapshot.poles.get(key).map(|(left, right)| Poles {
        left: left.clone(),
        right: right.clone(),
    })
}

/// A slider by one choice question (its groups) or by two (the cells that deviate most).
fn slider_groups(snapshot: &PatternSnapshot) -> (String, Option<CardChart>, String) {
    let p = &snapshot.pattern;
    let three_way = p.kind == PatternKind::SliderByChoicePair;
    let title = if three_way {
        "Waar de schuif stond, per combinatie van antwoorden (in % van de verhalen)"
    } else {
        "Waar de schuif stond, per groep (in % van de verhalen)"
    }
    .to_string();
    let mut bands: Vec<GroupBands> = snapshot.bands.clone();
    if bands.is_empty() && !three_way {
        // Taken before snapshots kept the bands: the groups' histograms give them.
        bands = p
            .groups
            .iter()
            .filter_map(|g| {
                let d = p.descriptives.get(&g.option)?;
                Some(GroupBands {
                    option: g.option.clone(),
                    label: g.label.clone(),
                    counts: crate::analysis::figures::bands_of_histogram(
                        &d.histogram.counts,
                        CARD_BANDS,
                    )?,
                    mean: g.mean,
                    median: d.median,
                })
            })
            .collect();
        // Only a slider's histogram runs over 0–100 (not, say, a story's length).
        if snapshot.poles.is_empty() {
            bands.clear();
        }
    }
    let poles = poles_of(snapshot, 0);
    if let (false, Some(poles)) = (bands.is_empty(), poles.clone()) {
        let (kept, note) = if three_way {
            fold_first(bands, "Andere combinaties")
        } else {
            fold_smallest(bands, "Andere groepen")
        };
        let rows = kept
            .into_iter()
            .map(|g| ShareRow {
                label: g.label,
                counts: g.counts,
                mean: g.mean,
            })
            .collect();
        return (title, Some(CardChart::Bands { rows, poles }), note);
    }
    // Only the means are known (older figures, or a number that is not a slider).
    let means: Vec<(String, u64, f64)> = p
        .groups
        .iter()
        .filter_map(|g| Some((g.label.clone(), g.n, g.mean?)))
        .collect();
    let Some(poles) = poles.filter(|_| !means.is_empty()) else {
        // A number that is not a slider (such as a story's length) has no 0–100 scale.
        return (
            "Gemiddelde per groep".into(),
            None,
            "Geen grafiek: deze cijfers staan niet op de schaal van 0 tot 100 van een schuifvraag."
                .into(),
        );
    };
    let hidden = means.len().saturating_sub(MAX_ROWS);
    let note = if hidden > 0 {
        format!(
            "{} {MAX_ROWS} {}; {} niet getekend.",
            if three_way { "De" } else { "De eerste" },
            if three_way {
                "combinaties die het meest afwijken van het geheel"
            } else {
                "groepen"
            },
            numbers::counted(hidden as u64, "andere", "andere")
        )
    } else {
        String::new()
    };
    (
        "Gemiddelde per groep (0–100)".into(),
        Some(CardChart::Means {
            rows: means.into_iter().take(MAX_ROWS).collect(),
            poles,
        }),
        note,
    )
}

/// At most [`MAX_ROWS`] groups: when there are more, the largest stay (in their order) and
/// the others become one group "`name` (N)". The note says which.
fn fold_smallest(groups: Vec<GroupBands>, name: &str) -> (Vec<GroupBands>, String) {
    if groups.len() <= MAX_ROWS {
        return (groups, String::new());
    }
    let mut by_size: Vec<usize> = (0..groups.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(groups[i].n()));
    let keep: Vec<usize> = by_size[..MAX_ROWS - 1].to_vec();
    let mut kept = Vec::new();
    let mut rest = Vec::new();
    for (i, g) in groups.into_iter().enumerate() {
        if keep.contains(&i) {
            kept.push(g);
        } else {
            rest.push(g);
        }
    }
    let label = format!("{name} ({})", rest.len());
    let note = format!(
        "‘{label}’: de {} kleinste groepen samen ({}).",
        rest.len(),
        rest.iter()
            .map(|g| g.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    kept.push(GroupBands::merged(&rest, "", &label));
    (kept, note)
}

/// At most [`MAX_ROWS`] groups: the first ones stay (for a three-way pattern the cells that
/// deviate most), the others become one group "`name` (N)".
fn fold_first(groups: Vec<GroupBands>, name: &str) -> (Vec<GroupBands>, String) {
    if groups.len() <= MAX_ROWS {
        return (groups, String::new());
    }
    let mut kept = groups;
    let rest = kept.split_off(MAX_ROWS - 1);
    let label = format!("{name} ({})", rest.len());
    let note = format!(
        "De {} combinaties die het meest afwijken van het geheel; ‘{label}’: alle {} andere samen.",
        MAX_ROWS - 1,
        rest.len()
    );
    kept.push(GroupBands::merged(&rest, "", &label));
    (kept, note)
}

/// Two choice questions: the answers to the second per answer to the first.
fn choice_table(snapshot: &PatternSnapshot) -> (String, Option<CardChart>, String) {
    let p = &snapshot.pattern;
    let label = |i: usize| snapshot.labels.get(i).cloned().unwrap_or_default();
    let Some(table) = &snapshot.table else {
        // Taken before snapshots kept the whole table: the cells that deviate most.
        let rows = p
            .cells
            .iter()
            .map(|c| {
                (
                    format!("{} · {}", c.row_label, c.column_label),
                    c.observed,
                    c.expected,
                )
            })
            .collect::<Vec<_>>();
        let chart = (!rows.is_empty()).then_some(CardChart::Cells { rows });
        return (
            "Combinaties die het meest afwijken: gezien en verwacht".into(),
            chart,
            "Donker: zoveel verhalen zijn er; licht: zoveel zou je verwachten als de antwoorden los van elkaar stonden.".into(),
        );
    };
    let count = |r: usize, c: usize| {
        table
            .counts
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(0)
    };
    // The columns: at most MAX_ROWS, the smallest together.
    let columns = table.columns.len();
    let totals: Vec<u64> = (0..columns)
        .map(|c| (0..table.rows.len()).map(|r| count(r, c)).sum())
        .collect();
    let mut by_size: Vec<usize> = (0..columns).collect();
    by_size.sort_by_key(|&c| std::cmp::Reverse(totals[c]));
    let kept_columns: Vec<usize> = if columns > MAX_ROWS {
        let mut keep = by_size[..MAX_ROWS - 1].to_vec();
        keep.sort_unstable();
        keep
    } else {
        (0..columns).collect()
    };
    let other_columns: Vec<usize> = (0..columns).filter(|c| !kept_columns.contains(c)).collect();
    let column_names = without_common_part(&table.columns);
    let mut names: Vec<String> = kept_columns
        .iter()
        .map(|&c| column_names[c].clone())
        .collect();
    let mut notes = Vec::new();
    if !other_columns.is_empty() {
        let name = format!("Andere antwoorden ({})", other_columns.len());
        notes.push(format!(
            "‘{name}’: {}.",
            other_columns
                .iter()
                .map(|&c| table.columns[c].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        names.push(name);
    }
    let groups: Vec<GroupBands> = without_common_part(&table.rows)
        .iter()
        .enumerate()
        .map(|(r, name)| {
            let mut counts: Vec<u64> = kept_columns.iter().map(|&c| count(r, c)).collect();
            if !other_columns.is_empty() {
                counts.push(other_columns.iter().map(|&c| count(r, c)).sum());
            }
            GroupBands {
                option: String::new(),
                label: name.clone(),
                counts,
                mean: None,
                median: None,
            }
        })
        .filter(|g| g.n() > 0)
        .collect();
    let (groups, note) = fold_smallest(groups, "Andere groepen");
    if !note.is_empty() {
        notes.insert(0, note);
    }
    let rows = groups
        .into_iter()
        .map(|g| ShareRow {
            label: g.label,
            counts: g.counts,
            mean: None,
        })
        .collect();
    (
        format!(
            "Per antwoord op ‘{}’: hoe vaak elk antwoord (in %)",
            label(0)
        ),
        Some(CardChart::Shares {
            rows,
            columns: names,
            question: label(1),
        }),
        notes.join(" "),
    )
}

/// Labels without the part they all begin with, when that part ends in ": " — the answers to
/// a multiple-choice option read "Regels en papieren: ja" and "…: nee", and on a card only
/// "ja" and "nee" tell the bars apart (the question is named above them).
fn without_common_part(labels: &[String]) -> Vec<String> {
    let Some(first) = labels.first() else {
        return Vec::new();
    };
    let common = first
        .match_indices(": ")
        .map(|(at, _)| &first[..at + 2])
        .filter(|prefix| {
            labels
                .iter()
                .all(|l| l.starts_with(prefix) && l.len() > prefix.len())
        })
        .last();
    match (common, labels.len() > 1) {
        (Some(prefix), true) => labels
            .iter()
            .map(|l| l[prefix.len()..].to_string())
            .collect(),
        _ => labels.to_vec(),
    }
}

/// The printed card of an observation as it may be shown now.
pub fn card_of(detail: &ObservationDetail, project: &str, today: i64) -> crate::pdf::Card {
    let r = &detail.record;
    crate::pdf::Card {
        title: r.title.clone(),
        theme: r.theme.clone(),
        project: project.to_string(),
        date: nl_date(today),
        description: r.description.clone(),
        interpretation_a: r.interpretation_a.clone(),
        interpretation_b: r.interpretation_b.clone(),
        more_interpretations: detail
            .interpretations
            .iter()
            .skip(crate::domain::observation::MIN_INTERPRETATIONS)
            .cloned()
            .collect(),
        figures: detail.snapshot.as_ref().map(|s| figures(s, r.figures_at)),
        quotes: detail
            .quotes
            .iter()
            .map(|q| (q.text.clone(), q.story_id.clone()))
            .collect(),
        quotes_removed: detail.quotes_removed,
        stories: detail
            .stories
            .iter()
            .map(|(story, questionnaire)| {
                let view = StoryView::new(story.clone(), questionnaire.as_ref());
                crate::pdf::CardStory {
                    id: view.id,
                    title: view.title,
                    role: view.role,
                    body: view.body,
                }
            })
            .collect(),
    }
}

/// The figures of the web card: the chart, the same figures as a table, and the lines under
/// them.
#[derive(Debug, Serialize)]
pub struct CardView {
    pub questions: String,
    pub chart_title: String,
    /// The chart as SVG (drawn here, escaped where it holds text).
    pub chart: Option<String>,
    pub table: Option<TableView>,
    pub note: String,
    pub summary: String,
    pub scope: String,
}

/// A table of figures: a caption, the column heads and rows of (head of the row, cells).
#[derive(Debug, Serialize)]
pub struct TableView {
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

impl CardView {
    pub fn of(figures: &CardFigures) -> CardView {
        CardView {
            questions: figures.questions.clone(),
            chart_title: figures.chart_title.clone(),
            chart: figures
                .chart
                .as_ref()
                .map(|c| charts::card_chart(&figures.chart_title, c)),
            table: figures.chart.as_ref().map(table_of),
            note: figures.note.clone(),
            summary: figures.summary.clone(),
            scope: figures.scope.clone(),
        }
    }
}

fn table_of(chart: &CardChart) -> TableView {
    match chart {
        CardChart::Bands { rows, poles } => {
            let bands = rows.iter().map(|r| r.counts.len()).max().unwrap_or(0);
            let mut head = vec!["Groep".to_string(), "Verhalen".into(), "Gemiddeld".into()];
            head.extend((0..bands).map(|i| {
                let end = match i {
                    0 => format!(" ({})", poles.left),
                    _ if i + 1 == bands => format!(" ({})", poles.right),
                    _ => String::new(),
                };
                format!("{}{end}", band_label(i, bands))
            }));
            TableView {
                caption: "Per groep: aantal verhalen, gemiddelde op de schaal van 0 tot 100, en welk deel van de verhalen in elk stuk van de schaal valt".into(),
                head,
                rows: rows
                    .iter()
                    .map(|r| {
                        let mut cells = vec![
                            numbers::count(r.n()),
                            r.mean.map_or("–".into(), |m| numbers::decimal(m, 1)),
                        ];
                        cells.extend(r.counts.iter().map(|&c| percent(c, r.n())));
                        (r.label.clone(), cells)
                    })
                    .collect(),
            }
        }
        CardChart::Shares { rows, columns, .. } => {
            let mut head = vec!["Groep".to_string()];
            head.extend(columns.iter().cloned());
            head.push("Verhalen".into());
            TableView {
                caption: "Per groep: welk deel van de verhalen elk antwoord gaf".into(),
                head,
                rows: rows
                    .iter()
                    .map(|r| {
                        let mut cells: Vec<String> =
                            r.counts.iter().map(|&c| percent(c, r.n())).collect();
                        cells.push(numbers::count(r.n()));
                        (r.label.clone(), cells)
                    })
                    .collect(),
            }
        }
        CardChart::Grid { counts, x, y } => {
            let columns = counts.iter().map(Vec::len).max().unwrap_or(0);
            let rows = counts.len();
            let mut head = vec![format!("{} ↓ · {} →", y.question, x.question)];
            head.extend((0..columns).map(|i| band_label(i, columns)));
            TableView {
                caption: format!(
                    "Aantal verhalen per vak. Van links naar rechts: {} ({} tot {}); van boven naar beneden: {} ({} tot {}).",
                    x.question, x.poles.left, x.poles.right, y.question, y.poles.right, y.poles.left
                ),
                head,
                rows: (0..rows)
                    .rev()
                    .map(|r| {
                        (
                            band_label(r, rows),
                            counts[r].iter().map(|&c| numbers::count(c)).collect(),
                        )
                    })
                    .collect(),
            }
        }
        CardChart::Means { rows, .. } => TableView {
            caption: "Per groep: aantal verhalen en gemiddelde".into(),
            head: vec!["Groep".into(), "Verhalen".into(), "Gemiddeld".into()],
            rows: rows
                .iter()
                .map(|(label, n, mean)| {
                    (
                        label.clone(),
                        vec![numbers::count(*n), numbers::decimal(*mean, 1)],
                    )
                })
                .collect(),
        },
        CardChart::Cells { rows } => TableView {
            caption: "Combinaties die het meest afwijken".into(),
            head: vec!["Combinatie".into(), "Gezien".into(), "Verwacht".into()],
            rows: rows
                .iter()
                .map(|(label, seen, expected)| {
                    (
                        label.clone(),
                        vec![numbers::count(*seen), numbers::decimal(*expected, 1)],
                    )
                })
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(i: usize, n: u64) -> GroupBands {
        GroupBands {
            option: format!("o{i}"),
            label: format!("Groep {i}"),
            counts: vec![n, 0, 0, 0, 0],
            mean: Some(10.0),
            median: Some(10.0),
        }
    }

    #[test]
    fn answers_of_one_option_keep_only_what_tells_them_apart() {
        let labels = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            without_common_part(&labels(&[
                "Iemand van de jeugdreclassering: nee",
                "Iemand van de jeugdreclassering: ja"
            ])),
            ["nee", "ja"]
        );
        // Without a shared part before ": " (or with one label only) nothing changes.
        let other = labels(&["Jongere: ik", "Ouder: zij"]);
        assert_eq!(without_common_part(&other), other);
        assert_eq!(without_common_part(&labels(&["Vraag: ja"])), ["Vraag: ja"]);
        let same = labels(&["Vraag: ", "Vraag: ja"]);
        assert_eq!(without_common_part(&same), same);
    }

    #[test]
    fn more_than_eight_groups_keep_the_largest_and_take_the_rest_together() {
        let groups: Vec<GroupBands> = (0..11).map(|i| group(i, 10 + i as u64)).collect();
        let (kept, note) = fold_smallest(groups.clone(), "Andere groepen");
        assert_eq!(kept.len(), MAX_ROWS);
        // The 7 largest (4–10) in their order, then the 4 smallest together.
        let labels: Vec<&str> = kept.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Groep 4",
                "Groep 5",
                "Groep 6",
                "Groep 7",
                "Groep 8",
                "Groep 9",
                "Groep 10",
                "Andere groepen (4)"
            ]
        );
        assert_eq!(kept[7].n(), 10 + 11 + 12 + 13);
        assert!(
            note.contains("Groep 0, Groep 1, Groep 2, Groep 3"),
            "{note}"
        );
        // Up to eight stay as they are.
        let (same, none) = fold_smallest(groups[..8].to_vec(), "Andere groepen");
        assert_eq!((same.len(), none.as_str()), (8, ""));
        // The first ones stay when the order means something (three-way: most deviating).
        let (first, note) = fold_first(groups, "Andere combinaties");
        assert_eq!(first[0].label, "Groep 0");
        assert_eq!(first[7].label, "Andere combinaties (4)");
        assert!(note.contains("alle 4 andere samen"), "{note}");
    }
}
