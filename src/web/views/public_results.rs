//! What the public results page shows of an observation's figures: the card's own figures
//! (`views::card`), k-protected. A group of fewer than k stories loses its row; a grid of two
//! sliders with any cell of 1 to k − 1 stories is not drawn; a pattern of fewer than k
//! stories (or from fewer than k) shows no figures at all.

use crate::domain::smallcell::count_is_safe;
use crate::pdf::{CardChart, CardFigures};

/// The figures as the public may see them, and whether something was left out for k;
/// `None` when nothing may be shown.
pub fn protect(
    mut figures: CardFigures,
    from_stories: usize,
    pattern_n: usize,
    k: u32,
) -> Option<(CardFigures, bool)> {
    if !count_is_safe(from_stories, k) || !count_is_safe(pattern_n, k) || pattern_n == 0 {
        return None;
    }
    let safe = |n: u64| count_is_safe(usize::try_from(n).unwrap_or(usize::MAX), k);
    let mut removed = false;
    let chart = match figures.chart.take() {
        Some(CardChart::Bands { mut rows, poles }) => {
            let before = rows.len();
            rows.retain(|r| r.n() > 0 && safe(r.n()));
            removed = rows.len() != before;
            (!rows.is_empty()).then_some(CardChart::Bands { rows, poles })
        }
        Some(CardChart::Shares {
            mut rows,
            columns,
            question,
        }) => {
            let before = rows.len();
            rows.retain(|r| r.n() > 0 && safe(r.n()));
            removed = rows.len() != before;
            (!rows.is_empty()).then_some(CardChart::Shares {
                rows,
                columns,
                question,
            })
        }
        Some(CardChart::Means { mut rows, poles }) => {
            let before = rows.len();
            rows.retain(|(_, n, _)| *n > 0 && safe(*n));
            removed = rows.len() != before;
            (!rows.is_empty()).then_some(CardChart::Means { rows, poles })
        }
        Some(CardChart::Cells { mut rows }) => {
            let before = rows.len();
            rows.retain(|(_, seen, _)| safe(*seen));
            removed = rows.len() != before;
            (!rows.is_empty()).then_some(CardChart::Cells { rows })
        }
        Some(CardChart::Grid { counts, x, y }) => {
            if counts.iter().flatten().all(|&c| safe(c)) {
                Some(CardChart::Grid { counts, x, y })
            } else {
                removed = true;
                None
            }
        }
        None => None,
    };
    figures.chart = chart;
    Some((figures, removed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{Axis, Poles, ShareRow};

    fn row(label: &str, counts: &[u64]) -> ShareRow {
        ShareRow {
            label: label.into(),
            counts: counts.to_vec(),
            mean: None,
        }
    }

    fn poles() -> Poles {
        Poles {
            left: "links".into(),
            right: "rechts".into(),
        }
    }

    fn with(chart: CardChart) -> CardFigures {
        CardFigures {
            chart: Some(chart),
            ..CardFigures::default()
        }
    }

    #[test]
    fn groups_under_k_lose_their_row() {
        let figures = with(CardChart::Bands {
            rows: vec![row("ouder", &[3, 4, 5]), row("jongere", &[1, 1, 0])],
            poles: poles(),
        });
        let (shown, removed) = protect(figures, 100, 14, 5).expect("figures");
        assert!(removed);
        match shown.chart {
            Some(CardChart::Bands { rows, .. }) => {
                assert_eq!(rows.len(), 1);
                assert_eq!(rows[0].label, "ouder");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nothing_is_shown_for_a_small_pattern_or_a_small_scan() {
        let figures = with(CardChart::Means {
            rows: vec![("ouder".into(), 20, 40.0)],
            poles: poles(),
        });
        assert!(protect(figures.clone(), 100, 4, 5).is_none());
        assert!(protect(figures.clone(), 3, 20, 5).is_none());
        assert!(protect(figures, 100, 20, 5).is_some());
    }

    #[test]
    fn a_grid_with_a_small_cell_is_not_drawn_and_all_small_rows_leave_no_chart() {
        let axis = || Axis {
            question: "q".into(),
            poles: poles(),
        };
        let grid = with(CardChart::Grid {
            counts: vec![vec![0, 6], vec![2, 9]],
            x: axis(),
            y: axis(),
        });
        let (shown, removed) = protect(grid, 100, 17, 5).expect("figures");
        assert!(removed && shown.chart.is_none());
        let small = with(CardChart::Shares {
            rows: vec![row("a", &[1, 2]), row("b", &[2, 1])],
            columns: vec!["ja".into(), "nee".into()],
            question: "q".into(),
        });
        let (shown, removed) = protect(small, 100, 6, 5).expect("summary still shown");
        assert!(removed && shown.chart.is_none());
    }
}
