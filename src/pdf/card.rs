//! The observatiekaart as PDF: one A4 landscape page to lay on the table of a duidingssessie,
//! then the typical stories on the pages that follow. A deck is the cards one after another;
//! the booklet holds the stories alone, for the tables.
//!
//! The front of a card: kicker and title over the whole width; on the left the chart of the
//! pattern (the spread of the answers per group, with a slider's two ends named under it), on
//! the right "Wat we zien", the interpretations (two to five) and the quotes, set as large as
//! the room allows (never under 10 pt); at the foot one line with the test statistics, the
//! story numbers and the disclaimer. Chart text is at least 9 pt. A chart holds at most
//! [`MAX_ROWS`] bars: the web view that builds the card takes the rest together.
//!
//! When the texts do not fit beside the chart at a comfortable size (more interpretations,
//! or long ones), the chart gives up height and the texts reflow over the room under it and
//! the column beside it, in reading order; only what does not fit even at 10 pt goes on to
//! a next page. A deck of one theme starts with a cover that names the theme.

use super::flow::{
    full_width, Align, Column, Weight, Writer, ACCENT, GREY, HEIGHT, INK, LIGHT, MARGIN, WIDTH,
};
use super::PdfError;
use crate::analysis::numbers;

/// One story as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct CardStory {
    pub id: String,
    pub title: String,
    pub role: String,
    pub body: String,
}

/// The two ends of a slider (0 and 100).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Poles {
    pub left: String,
    pub right: String,
}

/// A slider as an axis: its question and its two ends.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Axis {
    pub question: String,
    pub poles: Poles,
}

/// One bar of a card's chart: a group and its stories per category (a band of the slider, or
/// an answer to the second question).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShareRow {
    pub label: String,
    pub counts: Vec<u64>,
    /// The group's mean on the slider (0–100), when the categories are a slider's bands.
    pub mean: Option<f64>,
}

impl ShareRow {
    /// Stories in the row.
    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// The most bars a card's chart holds.
pub const MAX_ROWS: usize = 8;

/// What the chart of a card shows. The web card draws the same kind of chart from the same
/// figures (`web::views::charts::card_chart`).
#[derive(Debug, Clone, PartialEq)]
pub enum CardChart {
    /// A slider per group: the share of each group's stories in each of the slider's equal
    /// bands, from its left end to its right.
    Bands { rows: Vec<ShareRow>, poles: Poles },
    /// Two choice questions: the share of each answer to the second question among the
    /// stories with each answer to the first.
    Shares {
        rows: Vec<ShareRow>,
        columns: Vec<String>,
        /// The second question, whose answers the legend names.
        question: String,
    },
    /// Two sliders: stories per cell of a grid, `counts[y][x]`, low values first.
    Grid {
        counts: Vec<Vec<u64>>,
        x: Axis,
        y: Axis,
    },
    /// Only each group's mean on the 0–100 scale: (label, n, mean). For figures kept before
    /// cards drew distributions.
    Means {
        rows: Vec<(String, u64, f64)>,
        poles: Poles,
    },
    /// The combinations of two answers that deviate most: (label, seen, expected). For
    /// figures kept before cards drew the whole table.
    Cells { rows: Vec<(String, u64, f64)> },
}

/// The figures of the pattern as they were taken.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CardFigures {
    /// The questions, e.g. "Gehoord × Rol".
    pub questions: String,
    /// What the chart shows, in a few words.
    pub chart_title: String,
    pub chart: Option<CardChart>,
    /// Under the chart, e.g. which groups are taken together.
    pub note: String,
    /// Test, statistic, q, strength and stories in one line, for the foot of the card.
    pub summary: String,
    /// Which stories and when: filters and the date of the figures.
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Card {
    pub title: String,
    pub theme: String,
    pub project: String,
    pub date: String,
    pub description: String,
    pub interpretation_a: String,
    pub interpretation_b: String,
    /// The interpretations after the first two (at most three more).
    pub more_interpretations: Vec<String>,
    pub figures: Option<CardFigures>,
    /// (quote, story id)
    pub quotes: Vec<(String, String)>,
    pub quotes_removed: usize,
    pub stories: Vec<CardStory>,
}

pub const DISCLAIMER: &str = "Deze cijfers komen van mensen die zelf kozen om hun ervaring te delen. Ze zijn niet representatief. Ze laten zien wat opvalt, niet waarom: dat bespreken we samen.";

/// Width of the chart column; the text column takes the rest.
const CHART_WIDTH: f32 = 430.0;
const GAP: f32 = 28.0;
/// The smallest text on a card: chart labels and the foot.
const SMALL: f32 = 9.0;
/// Chart labels.
const LABEL: f32 = 10.0;
/// Body sizes tried for the text, largest first: the largest that fits is used (up to 14 pt
/// beside a chart, 18 pt on a card without one).
const BODY_SIZES: [f32; 11] = [
    18.0, 16.0, 15.0, 14.0, 13.0, 12.5, 12.0, 11.5, 11.0, 10.5, 10.0,
];
const WHITE: (u8, u8, u8) = (255, 255, 255);
/// Beside a chart, texts that fit at this body size or larger keep the whole text column; at
/// a smaller size the chart gives up height for them.
const ROOMY: f32 = 12.0;
/// When the texts do not fit beside the chart: the chart's widths and shares of the column's
/// height tried, in this order (a chart takes more height when its bars need it). The first
/// at which the texts fit at [`ROOMY`] is taken, else the one with the largest text.
const GIVE_WAY: [(f32, f32); 4] = [
    (CHART_WIDTH, 0.55),
    (CHART_WIDTH, 0.4),
    (360.0, 0.55),
    (360.0, 0.4),
];

/// The fill of band `i` of `bands`, from the left end of a slider (warm) over grey to the
/// right end (the accent), and whether text on it is white.
pub fn band_colour(i: usize, bands: usize) -> ((u8, u8, u8), bool) {
    const FIVE: [((u8, u8, u8), bool); 5] = [
        ((140, 74, 11), true),
        ((230, 170, 110), false),
        ((224, 224, 224), false),
        ((133, 189, 196), false),
        ((11, 93, 102), true),
    ];
    FIVE[band_step(i, bands)]
}

/// Which of the five band fills band `i` of `bands` takes (the same in the web card's CSS).
pub fn band_step(i: usize, bands: usize) -> usize {
    if bands <= 1 {
        2
    } else {
        ((i.min(bands - 1) * 4 + (bands - 1) / 2) / (bands - 1)).min(4)
    }
}

/// The fill of answer `j` of a choice question: dark and light in turn, as the web charts'
/// `chart-fill-*`, and whether text on it is white.
pub fn answer_colour(j: usize) -> ((u8, u8, u8), bool) {
    const EIGHT: [(u8, u8, u8); 8] = [
        (8, 74, 81),
        (168, 213, 220),
        (138, 75, 8),
        (243, 210, 122),
        (74, 74, 140),
        (226, 180, 210),
        (86, 112, 42),
        (230, 230, 230),
    ];
    (EIGHT[j % 8], j.is_multiple_of(2))
}

/// The slider values band `i` of `bands` covers: "0–20".
pub fn band_label(i: usize, bands: usize) -> String {
    let bands = bands.max(1);
    let edge = |k: usize| numbers::decimal(100.0 * k as f64 / bands as f64, 0);
    format!("{}–{}", edge(i), edge(i + 1))
}

/// A share as a whole percentage.
pub fn percent(count: u64, total: u64) -> String {
    if total == 0 {
        return "0%".into();
    }
    format!(
        "{}%",
        numbers::decimal(100.0 * count as f64 / total as f64, 0)
    )
}

/// The line height of text at `size`, as the writer sets lines.
fn leading(size: f32) -> f32 {
    size * 1.35
}

/// Lines of text placed top-down from `y`; returns the y under them.
#[allow(clippy::too_many_arguments)]
fn lines_at(
    w: &mut Writer,
    x: f32,
    y: f32,
    align: Align,
    lines: &[String],
    size: f32,
    weight: Weight,
    colour: (u8, u8, u8),
) -> f32 {
    let mut y = y;
    for line in lines {
        w.text_aligned(x, y, align, line, size, weight, colour);
        y += leading(size);
    }
    y
}

/// A small thing of the chart column: a rectangle [x, x + width] from `top` down.
#[derive(Clone, Copy)]
struct Area {
    x: f32,
    top: f32,
    width: f32,
    height: f32,
}

/// Bars split into shares: a slider's bands (with its two ends under them) or the answers to
/// a second question (with a legend). Returns the height used.
fn share_bars(
    w: &mut Writer,
    rows: &[ShareRow],
    answers: Option<(&[String], &str)>,
    poles: Option<&Poles>,
    area: Area,
) -> f32 {
    let columns = answers.map(|(names, _)| names);
    let categories = rows.iter().map(|r| r.counts.len()).max().unwrap_or(0);
    if rows.is_empty() || categories == 0 {
        return 0.0;
    }
    // The labels get the room they need to be read whole, up to 170 pt.
    let label_width = [126.0, 150.0, 170.0]
        .into_iter()
        .find(|&width| {
            rows.iter()
                .all(|r| !label_lines(w, &r.label, width).concat().contains('…'))
        })
        .unwrap_or(170.0);
    let info_width = 52.0;
    let bar_x = area.x + label_width + 8.0;
    let bar_width = area.width - label_width - 8.0 - 8.0 - info_width;
    let colour = |j: usize| match columns {
        Some(_) => answer_colour(j),
        None => band_colour(j, categories),
    };
    // What comes under the bars: the legend, then a slider's ends.
    let legend: Vec<(usize, String)> = match columns {
        Some(names) => names.iter().cloned().enumerate().collect(),
        None => (0..categories)
            .map(|j| (j, band_label(j, categories)))
            .collect(),
    };
    let slot = bar_width / legend.len().max(1) as f32;
    let spread = columns.is_none()
        && legend
            .iter()
            .all(|(_, label)| 14.0 + w.width_of(label, SMALL, Weight::Regular) + 4.0 <= slot);
    let legend_lines = legend_layout(w, &legend, area.x, bar_x, bar_width, !spread);
    let legend_title = answers.map_or(Vec::new(), |(_, question)| {
        w.fit(&format!("{question}:"), SMALL, Weight::Bold, area.width, 1)
    });
    let legend_height = legend_title.len() as f32 * 16.0
        + legend_lines
            .iter()
            .map(|(_, _, line, _)| *line)
            .max()
            .map_or(0.0, |l| (l + 1) as f32 * 16.0);
    let pole_width = bar_width / 2.0 - 6.0;
    let pole_lines = poles.map(|p| {
        (
            w.fit(&format!("← {}", p.left), LABEL, Weight::Bold, pole_width, 3),
            w.fit(
                &format!("{} →", p.right),
                LABEL,
                Weight::Bold,
                pole_width,
                3,
            ),
        )
    });
    let poles_height = pole_lines.as_ref().map_or(0.0, |(l, r)| {
        l.len().max(r.len()) as f32 * leading(LABEL) + 4.0
    });
    let under = 8.0 + legend_height + poles_height;
    let pitch = ((area.height - under) / rows.len() as f32).clamp(30.0, 84.0);
    let bar = (pitch * 0.55).clamp(20.0, 40.0);
    let mut y = area.top;
    for row in rows {
        let n = row.n();
        let bar_top = y + (pitch - bar) / 2.0;
        let centre = bar_top + bar / 2.0;
        let label = label_lines(w, &row.label, label_width);
        let label_top = centre - label.len() as f32 * leading(LABEL) / 2.0 + 1.0;
        lines_at(
            w,
            bar_x - 8.0,
            label_top,
            Align::Right,
            &label,
            LABEL,
            Weight::Regular,
            INK,
        );
        w.rect(bar_x, bar_top, bar_width, bar, (245, 245, 245));
        let mut before = 0u64;
        for (j, &count) in row.counts.iter().enumerate() {
            if count == 0 || n == 0 {
                continue;
            }
            let x0 = bar_x + bar_width * before as f32 / n as f32;
            before += count;
            let x1 = bar_x + bar_width * before as f32 / n as f32;
            let (fill, white) = colour(j);
            // A hairline of white between segments.
            w.rect(x0, bar_top, (x1 - x0 - 0.8).max(0.5), bar, fill);
            let text = percent(count, n);
            if x1 - x0 >= w.width_of(&text, SMALL, Weight::Bold) + 4.0 {
                w.text_aligned(
                    (x0 + x1) / 2.0,
                    centre - SMALL * 0.62,
                    Align::Centre,
                    &text,
                    SMALL,
                    Weight::Bold,
                    if white { WHITE } else { INK },
                );
            }
        }
        let info_x = bar_x + bar_width + 8.0;
        let n_text = format!("n = {}", numbers::count(n));
        match row.mean {
            Some(mean) => {
                w.text_in(
                    info_x,
                    centre - SMALL * 1.2,
                    &n_text,
                    SMALL,
                    Weight::Regular,
                    INK,
                );
                w.text_in(
                    info_x,
                    centre + 0.5,
                    &format!("gem. {}", numbers::decimal(mean, 0)),
                    SMALL,
                    Weight::Regular,
                    GREY,
                );
            }
            None => w.text_in(
                info_x,
                centre - SMALL * 0.62,
                &n_text,
                SMALL,
                Weight::Regular,
                INK,
            ),
        }
        y += pitch;
    }
    y += 8.0;
    y = lines_at(
        w,
        area.x,
        y,
        Align::Left,
        &legend_title,
        SMALL,
        Weight::Bold,
        INK,
    );
    for (j, x, line, label) in &legend_lines {
        let top = y + *line as f32 * 16.0;
        let (fill, _) = colour(*j);
        w.rect(*x, top + 1.0, 10.0, 10.0, fill);
        w.text_in(x + 14.0, top, label, SMALL, Weight::Regular, INK);
    }
    y += legend_height;
    if let Some((left, right)) = &pole_lines {
        y += 4.0;
        lines_at(w, bar_x, y, Align::Left, left, LABEL, Weight::Bold, INK);
        lines_at(
            w,
            bar_x + bar_width,
            y,
            Align::Right,
            right,
            LABEL,
            Weight::Bold,
            INK,
        );
        y += poles_height - 4.0;
    }
    y - area.top
}

/// A group's label in at most two lines of chart text. A cell of two answers ("A · B") that
/// does not fit gets a line per answer, each shortened on its own, so both stay readable.
fn label_lines(w: &Writer, label: &str, width: f32) -> Vec<String> {
    let whole = w.wrap(label, LABEL, Weight::Regular, width);
    if whole.len() <= 2 {
        return whole;
    }
    match label.split_once(" · ") {
        Some((first, second)) => {
            let mut lines = w.fit(first, LABEL, Weight::Regular, width, 1);
            lines.extend(w.fit(&format!("· {second}"), LABEL, Weight::Regular, width, 1));
            lines
        }
        None => w.fit(label, LABEL, Weight::Regular, width, 2),
    }
}

/// Where each legend entry goes: (index, x, line, text). A slider's bands spread evenly under
/// the bar; answers flow from the left edge of the chart over as many lines as they need
/// (each label at most 26 characters wide, shortened with "…").
fn legend_layout(
    w: &Writer,
    entries: &[(usize, String)],
    left: f32,
    bar_x: f32,
    bar_width: f32,
    flowing: bool,
) -> Vec<(usize, f32, usize, String)> {
    if !flowing {
        let slot = bar_width / entries.len().max(1) as f32;
        return entries
            .iter()
            .enumerate()
            .map(|(k, (j, label))| (*j, bar_x + slot * k as f32, 0, label.clone()))
            .collect();
    }
    let right = bar_x + bar_width + 60.0;
    let (mut x, mut line) = (left, 0usize);
    let mut out = Vec::new();
    for (j, label) in entries {
        let text = w
            .fit(label, SMALL, Weight::Regular, 150.0, 1)
            .into_iter()
            .next()
            .unwrap_or_default();
        let width = 14.0 + w.width_of(&text, SMALL, Weight::Regular) + 12.0;
        if x > left && x + width > right {
            x = left;
            line += 1;
        }
        out.push((*j, x, line, text));
        x += width;
    }
    out
}

/// Stories per cell of two sliders, shaded (darker is more) and counted, with both sliders'
/// ends named at the ends of their axes. Returns the height used.
fn grid_chart(w: &mut Writer, counts: &[Vec<u64>], x: &Axis, y: &Axis, area: Area) -> f32 {
    let rows = counts.len();
    let columns = counts.iter().map(Vec::len).max().unwrap_or(0);
    let max = counts.iter().flatten().copied().max().unwrap_or(0);
    if rows == 0 || columns == 0 || max == 0 {
        return 0.0;
    }
    let side_width = 120.0;
    let y_title = w.fit(
        &format!("↑ {}", y.question),
        LABEL,
        Weight::Bold,
        area.width,
        2,
    );
    let x_title = w.fit(
        &format!("{} →", x.question),
        LABEL,
        Weight::Bold,
        area.width - side_width,
        2,
    );
    let top = area.top + y_title.len() as f32 * leading(LABEL) + 6.0;
    let under = 2.0 * leading(LABEL) + 6.0 + x_title.len() as f32 * leading(LABEL) + 22.0;
    let cell = ((area.width - side_width - 8.0) / columns as f32)
        .min((area.height - (top - area.top) - under) / rows as f32)
        .clamp(22.0, 60.0);
    let grid_x = area.x + side_width + 8.0;
    let grid_width = cell * columns as f32;
    let grid_height = cell * rows as f32;
    lines_at(
        w,
        area.x,
        area.top,
        Align::Left,
        &y_title,
        LABEL,
        Weight::Bold,
        INK,
    );
    for (r, row) in counts.iter().enumerate() {
        // The first row holds the lowest values: drawn at the bottom.
        let cy = top + (rows - 1 - r) as f32 * cell;
        for (c, &count) in row.iter().enumerate() {
            let share = count as f32 / max as f32;
            let shade = |light: u8, dark: u8| {
                (f32::from(light) + (f32::from(dark) - f32::from(light)) * share).round() as u8
            };
            let fill = if count == 0 {
                (247, 247, 247)
            } else {
                (
                    shade(LIGHT.0, ACCENT.0),
                    shade(LIGHT.1, ACCENT.1),
                    shade(LIGHT.2, ACCENT.2),
                )
            };
            let cx = grid_x + c as f32 * cell;
            w.rect(cx, cy, cell - 1.5, cell - 1.5, fill);
            if count > 0 {
                w.text_aligned(
                    cx + (cell - 1.5) / 2.0,
                    cy + (cell - 1.5) / 2.0 - LABEL * 0.62,
                    Align::Centre,
                    &numbers::count(count),
                    LABEL,
                    Weight::Regular,
                    if share > 0.55 { WHITE } else { INK },
                );
            }
        }
    }
    // The y slider's ends beside the top and the bottom row.
    let high = w.fit(&y.poles.right, LABEL, Weight::Bold, side_width, 3);
    let low = w.fit(&y.poles.left, LABEL, Weight::Bold, side_width, 3);
    lines_at(
        w,
        grid_x - 8.0,
        top + 2.0,
        Align::Right,
        &high,
        LABEL,
        Weight::Bold,
        INK,
    );
    lines_at(
        w,
        grid_x - 8.0,
        top + grid_height - low.len() as f32 * leading(LABEL),
        Align::Right,
        &low,
        LABEL,
        Weight::Bold,
        INK,
    );
    // The x slider's ends under the left and the right column, its question under them.
    let mut under_y = top + grid_height + 6.0;
    // Side by side under a grid wide enough; under a small grid (a card that gave way to
    // its texts) the right end goes under the left one, so that they never run into each
    // other.
    let side_by_side = grid_width * 0.48 >= 80.0;
    // Stacked, the left end may run on to the right of the grid and the right end to its
    // left: each keeps one or two lines.
    let (left_width, right_width) = if side_by_side {
        (grid_width * 0.48, grid_width * 0.48)
    } else {
        (area.x + area.width - grid_x, grid_x + grid_width - area.x)
    };
    let left = w.fit(
        &format!("← {}", x.poles.left),
        LABEL,
        Weight::Bold,
        left_width,
        2,
    );
    let right = w.fit(
        &format!("{} →", x.poles.right),
        LABEL,
        Weight::Bold,
        right_width,
        2,
    );
    let below_left = lines_at(
        w,
        grid_x,
        under_y,
        Align::Left,
        &left,
        LABEL,
        Weight::Bold,
        INK,
    );
    let right_y = if side_by_side { under_y } else { below_left };
    let below_right = lines_at(
        w,
        grid_x + grid_width,
        right_y,
        Align::Right,
        &right,
        LABEL,
        Weight::Bold,
        INK,
    );
    under_y = below_left.max(below_right) + 6.0;
    under_y = lines_at(
        w,
        grid_x,
        under_y,
        Align::Left,
        &x_title,
        LABEL,
        Weight::Bold,
        INK,
    );
    w.text_in(
        grid_x,
        under_y + 4.0,
        "Getal in een vak: aantal verhalen; donkerder is meer.",
        SMALL,
        Weight::Regular,
        GREY,
    );
    under_y + 4.0 + leading(SMALL) - area.top
}

/// Each group's mean as a dot on the 0–100 scale, with the slider's ends. Returns the height
/// used.
fn means_chart(w: &mut Writer, rows: &[(String, u64, f64)], poles: &Poles, area: Area) -> f32 {
    if rows.is_empty() {
        return 0.0;
    }
    let label_width = 126.0;
    let line_x = area.x + label_width + 8.0;
    let line_width = area.width - label_width - 8.0 - 60.0;
    let pitch = ((area.height - 50.0) / rows.len() as f32).clamp(28.0, 60.0);
    let mut y = area.top;
    for (label, n, mean) in rows {
        let centre = y + pitch / 2.0;
        let lines = label_lines(w, label, label_width);
        lines_at(
            w,
            line_x - 8.0,
            centre - lines.len() as f32 * leading(LABEL) / 2.0 + 1.0,
            Align::Right,
            &lines,
            LABEL,
            Weight::Regular,
            INK,
        );
        w.rect(line_x, centre - 1.0, line_width, 2.0, LIGHT);
        let dot = line_x + line_width * mean.clamp(0.0, 100.0) as f32 / 100.0;
        w.rect(dot - 5.0, centre - 5.0, 10.0, 10.0, ACCENT);
        w.text_in(
            line_x + line_width + 8.0,
            centre - SMALL * 0.62,
            &format!(
                "gem. {} (n = {})",
                numbers::decimal(*mean, 0),
                numbers::count(*n)
            ),
            SMALL,
            Weight::Regular,
            INK,
        );
        y += pitch;
    }
    y += 4.0;
    w.text_in(line_x, y, "0", SMALL, Weight::Regular, GREY);
    w.text_aligned(
        line_x + line_width,
        y,
        Align::Right,
        "100",
        SMALL,
        Weight::Regular,
        GREY,
    );
    y += leading(SMALL);
    let left = w.fit(
        &format!("← {}", poles.left),
        LABEL,
        Weight::Bold,
        line_width * 0.48,
        2,
    );
    let right = w.fit(
        &format!("{} →", poles.right),
        LABEL,
        Weight::Bold,
        line_width * 0.48,
        2,
    );
    lines_at(w, line_x, y, Align::Left, &left, LABEL, Weight::Bold, INK);
    lines_at(
        w,
        line_x + line_width,
        y,
        Align::Right,
        &right,
        LABEL,
        Weight::Bold,
        INK,
    );
    y += left.len().max(right.len()) as f32 * leading(LABEL);
    y - area.top
}

/// The combinations that deviate most: stories seen (dark) against expected (light). Returns
/// the height used.
fn cells_chart(w: &mut Writer, rows: &[(String, u64, f64)], area: Area) -> f32 {
    let max = rows
        .iter()
        .map(|(_, seen, expected)| (*seen as f64).max(*expected))
        .fold(0.0, f64::max);
    if rows.is_empty() || max <= 0.0 {
        return 0.0;
    }
    let bar_width = area.width - 140.0;
    let mut y = area.top;
    for (label, seen, expected) in rows {
        let lines = w.fit(label, LABEL, Weight::Regular, area.width, 2);
        y = lines_at(
            w,
            area.x,
            y,
            Align::Left,
            &lines,
            LABEL,
            Weight::Regular,
            INK,
        );
        let scale = bar_width / max as f32;
        w.rect(area.x, y + 1.0, *seen as f32 * scale, 9.0, ACCENT);
        w.rect(area.x, y + 11.0, *expected as f32 * scale, 9.0, LIGHT);
        w.text_in(
            area.x + bar_width + 8.0,
            y + 4.0,
            &format!(
                "gezien {}, verwacht {}",
                numbers::count(*seen),
                numbers::decimal(*expected, 1)
            ),
            SMALL,
            Weight::Regular,
            INK,
        );
        y += 30.0;
    }
    y - area.top
}

/// The chart column: what the chart shows, the chart filling the room, and its note. Returns
/// the y under the note.
fn chart_column(w: &mut Writer, figures: &CardFigures, column: Column) -> f32 {
    let mut y = column.top;
    let title = w.fit(&figures.chart_title, 12.0, Weight::Bold, column.width, 3);
    y = lines_at(w, column.x, y, Align::Left, &title, 12.0, Weight::Bold, INK);
    y += 8.0;
    let note = w.fit(&figures.note, SMALL, Weight::Regular, column.width, 3);
    let note_height = note.len() as f32 * leading(SMALL) + 6.0;
    let area = Area {
        x: column.x,
        top: y,
        width: column.width,
        height: (column.bottom - y - note_height).max(60.0),
    };
    let used = match &figures.chart {
        Some(CardChart::Bands { rows, poles }) => share_bars(w, rows, None, Some(poles), area),
        Some(CardChart::Shares {
            rows,
            columns,
            question,
        }) => share_bars(w, rows, Some((columns, question)), None, area),
        Some(CardChart::Grid { counts, x, y }) => grid_chart(w, counts, x, y, area),
        Some(CardChart::Means { rows, poles }) => means_chart(w, rows, poles, area),
        Some(CardChart::Cells { rows }) => cells_chart(w, rows, area),
        None => 0.0,
    };
    let note_y = if used > 0.0 {
        area.top + used + 6.0
    } else {
        let none = ["Geen cijfers om te tekenen.".to_string()];
        lines_at(
            w,
            column.x,
            area.top,
            Align::Left,
            &none,
            LABEL,
            Weight::Regular,
            GREY,
        ) + 4.0
    };
    lines_at(
        w,
        column.x,
        note_y,
        Align::Left,
        &note,
        SMALL,
        Weight::Regular,
        GREY,
    )
}

/// One piece of the text column.
enum Piece<'a> {
    Heading(&'a str),
    Text(String, (u8, u8, u8)),
    /// A heading and its text, with a bar in the accent colour beside them.
    Framed(String, &'a str),
    Small(String),
}

fn text_pieces(card: &Card) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    if !card.description.trim().is_empty() {
        pieces.push(Piece::Heading("Wat we zien"));
        pieces.push(Piece::Text(card.description.clone(), INK));
    }
    let interpretations = [&card.interpretation_a, &card.interpretation_b]
        .into_iter()
        .chain(
            card.more_interpretations
                .iter()
                .filter(|t| !t.trim().is_empty()),
        );
    for (i, text) in interpretations.enumerate() {
        pieces.push(Piece::Framed(format!("Duiding {}", i + 1), text));
    }
    if !card.quotes.is_empty() {
        pieces.push(Piece::Heading("Uit de verhalen"));
        for (quote, id) in &card.quotes {
            pieces.push(Piece::Text(format!("“{quote}” ({id})"), ACCENT));
        }
    }
    if card.quotes_removed > 0 {
        let n = card.quotes_removed;
        pieces.push(Piece::Small(format!(
            "{} weggehaald: het verhaal is ingetrokken of verborgen.",
            numbers::counted(n as u64, "citaat", "citaten")
        )));
    }
    pieces
}

/// The height of the text column's pieces at body size `size` and width `width`.
fn text_height(w: &Writer, pieces: &[Piece], size: f32, width: f32) -> f32 {
    let lines = |text: &str, size: f32, width: f32, weight: Weight| {
        w.wrap(text, size, weight, width).len().max(1) as f32 * leading(size)
    };
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Heading(text) => lines(text, size + 2.0, width, Weight::Bold) + 2.0,
            Piece::Text(text, _) => lines(text, size, width, Weight::Regular) + size * 0.6,
            Piece::Framed(head, text) => {
                lines(head, size + 1.0, width - 12.0, Weight::Bold)
                    + lines(text, size, width - 12.0, Weight::Regular)
                    + 10.0
                    + size * 0.5
            }
            Piece::Small(text) => lines(text, SMALL, width, Weight::Regular) + 4.0,
        })
        .sum()
}

/// The largest body size (at most `largest`, at least 10 pt) at which each list of pieces
/// fits its column; `None` when they do not fit even at 10 pt.
fn fitting_size(w: &Writer, columns: &[(&[Piece], Column)], largest: f32) -> Option<f32> {
    BODY_SIZES
        .iter()
        .copied()
        .filter(|&s| s <= largest)
        .find(|&s| {
            columns.iter().all(|(pieces, column)| {
                text_height(w, pieces, s, column.width) <= column.bottom - column.top
            })
        })
}

/// Where the pieces split over two columns in reading order: the first `k` in `first`, the
/// rest in `second`, and at which body size. Of the splits that fit, the one with the largest
/// size; on a tie the one nearest to `preferred` (a heading never ends a column). `None` when
/// no split fits at 10 pt.
fn split_fitting(
    w: &Writer,
    pieces: &[Piece],
    first: Column,
    second: Column,
    largest: f32,
    preferred: usize,
) -> Option<(usize, f32)> {
    let splits: Vec<usize> = (1..=pieces.len())
        .filter(|&k| !matches!(pieces[k - 1], Piece::Heading(_)))
        .collect();
    let mut best: Option<(usize, f32)> = None;
    for &k in &splits {
        let (a, b) = pieces.split_at(k);
        if let Some(size) = fitting_size(w, &[(a, first), (b, second)], largest) {
            let better = match best {
                None => true,
                Some((bk, bs)) => {
                    size > bs || (size == bs && k.abs_diff(preferred) < bk.abs_diff(preferred))
                }
            };
            if better {
                best = Some((k, size));
            }
        }
    }
    best
}

/// As [`split_fitting`]; when no split fits, the one that puts the most into `first` while
/// it still fits there at 10 pt: only `second` then flows on to a next page. `first` is left
/// empty only when nothing fits in it.
fn split_pieces(
    w: &Writer,
    pieces: &[Piece],
    first: Column,
    second: Column,
    largest: f32,
    preferred: usize,
) -> (usize, f32) {
    split_fitting(w, pieces, first, second, largest, preferred).unwrap_or_else(|| {
        let room = first.bottom - first.top;
        let k = (0..=pieces.len())
            .filter(|&k| k == 0 || !matches!(pieces[k - 1], Piece::Heading(_)))
            .filter(|&k| text_height(w, &pieces[..k], 10.0, first.width) <= room)
            .max()
            .unwrap_or(0);
        (k, 10.0)
    })
}

/// How the front gives way to texts that do not fit beside the full chart: the chart's
/// column (narrower, shorter), the text under it and the column beside it, the split of the
/// pieces over them and the body size.
struct GiveWay {
    chart: Column,
    below: Column,
    beside: Column,
    split: usize,
    size: f32,
}

/// Tries the chart's widths and heights of [`GIVE_WAY`], drawing the chart on a scratch page
/// to know where it ends.
fn give_way(
    w: &Writer,
    figures: &CardFigures,
    pieces: &[Piece],
    top: f32,
    bottom: f32,
    preferred: usize,
) -> Option<GiveWay> {
    let mut best: Option<GiveWay> = None;
    let mut last: Option<GiveWay> = None;
    for (width, share) in GIVE_WAY {
        let chart = Column {
            x: MARGIN,
            top,
            width,
            bottom: top + (bottom - top) * share,
        };
        let mut scratch = Writer::new().ok()?;
        let under = chart_column(&mut scratch, figures, chart) + 16.0;
        let below = Column {
            top: under,
            bottom,
            ..chart
        };
        let x = MARGIN + width + GAP;
        let beside = Column {
            x,
            top,
            width: WIDTH - MARGIN - x,
            bottom,
        };
        let roomy = below.bottom - below.top >= 60.0;
        let fitting = if roomy {
            split_fitting(w, pieces, below, beside, 14.0, preferred)
        } else {
            fitting_size(w, &[(pieces, beside)], 14.0).map(|size| (0, size))
        };
        let (split, size) = match fitting {
            Some(found) => found,
            None => {
                let (split, size) = if roomy {
                    split_pieces(w, pieces, below, beside, 14.0, preferred)
                } else {
                    (0, 10.0)
                };
                last = Some(GiveWay {
                    chart,
                    below,
                    beside,
                    split,
                    size,
                });
                continue;
            }
        };
        let found = GiveWay {
            chart,
            below,
            beside,
            split,
            size,
        };
        if size >= ROOMY {
            return Some(found);
        }
        if best.as_ref().is_none_or(|b| size > b.size) {
            best = Some(found);
        }
    }
    best.or(last)
}

/// Writes the pieces of text into `column` of the current page at body size `size`.
fn text_column(w: &mut Writer, pieces: &[Piece], column: Column, size: f32) {
    let page = w.page();
    w.go_to(page, column);
    for piece in pieces {
        match piece {
            Piece::Heading(text) => {
                w.paragraph(text, size + 2.0, Weight::Bold, INK);
                w.y -= (size + 2.0) * 0.5 - 2.0;
            }
            Piece::Text(text, colour) => {
                w.paragraph(text, size, Weight::Regular, *colour);
                w.y += size * 0.1;
            }
            Piece::Framed(head, text) => {
                let head = head.as_str();
                let outer = w.column;
                let first_lines = w
                    .wrap(text, size, Weight::Regular, outer.width - 12.0)
                    .len()
                    .clamp(1, 3);
                w.y += 4.0;
                // The heading never stands alone at the foot of a column.
                w.need(leading(size + 1.0) + first_lines as f32 * leading(size));
                let (start, top) = (w.page(), w.y);
                w.column = Column {
                    x: outer.x + 12.0,
                    width: outer.width - 12.0,
                    ..outer
                };
                w.line(head, size + 1.0, Weight::Bold, INK);
                w.paragraph(text, size, Weight::Regular, INK);
                w.column = outer;
                if w.page() == start {
                    let bottom = w.y - size * 0.5;
                    w.rect(
                        outer.x,
                        top + 2.0,
                        4.0,
                        (bottom - top - 2.0).max(4.0),
                        ACCENT,
                    );
                }
                w.y += 6.0;
            }
            Piece::Small(text) => w.paragraph(text, SMALL, Weight::Regular, GREY),
        }
    }
}

/// The foot of the card: test statistics, story numbers, project and date, the disclaimer.
/// Returns where it begins (its rule).
fn foot(w: &mut Writer, card: &Card) -> f32 {
    let width = WIDTH - 2.0 * MARGIN;
    let mut lines: Vec<(String, Weight, (u8, u8, u8))> = Vec::new();
    if let Some(f) = &card.figures {
        let stats = [f.summary.as_str(), f.scope.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ");
        for line in w.wrap(&stats, SMALL, Weight::Regular, width) {
            lines.push((line, Weight::Regular, INK));
        }
    }
    let ids: Vec<&str> = card.stories.iter().map(|s| s.id.as_str()).collect();
    let ids = if ids.is_empty() {
        "nog geen".to_string()
    } else {
        ids.join(", ")
    };
    let mut stories = format!("Verhalen: {ids} · {} · {}", card.project, card.date);
    if w.width_of(&stories, SMALL, Weight::Regular) > width {
        // Too many to name here: each is named with its story on the pages that follow.
        stories = format!(
            "{}, met hun nummer op de volgende bladzijden · {} · {}",
            numbers::counted(card.stories.len() as u64, "verhaal", "verhalen"),
            card.project,
            card.date
        );
    }
    for line in w.wrap(&stories, SMALL, Weight::Regular, width) {
        lines.push((line, Weight::Regular, INK));
    }
    for line in w.wrap(DISCLAIMER, SMALL, Weight::Regular, width) {
        lines.push((line, Weight::Regular, GREY));
    }
    let top = HEIGHT - MARGIN - lines.len() as f32 * leading(SMALL) - 6.0;
    w.rect(MARGIN, top, width, 0.8, INK);
    let mut y = top + 6.0;
    for (line, weight, colour) in &lines {
        w.text_in(MARGIN, y, line, SMALL, *weight, *colour);
        y += leading(SMALL);
    }
    top
}

/// Writes one card starting on the current page.
fn write_card(w: &mut Writer, card: &Card) {
    w.running_head = None;
    w.column = full_width();
    w.y = MARGIN;
    let kicker = if card.theme.is_empty() {
        "OBSERVATIE".to_string()
    } else {
        format!("OBSERVATIE · {}", card.theme.to_uppercase())
    };
    w.line(&kicker, SMALL, Weight::Bold, ACCENT);
    w.y += 2.0;
    let width = WIDTH - 2.0 * MARGIN;
    let title_size = if w.wrap(&card.title, 24.0, Weight::Bold, width).len() <= 2 {
        24.0
    } else {
        19.0
    };
    w.paragraph(&card.title, title_size, Weight::Bold, INK);
    if let Some(f) = &card.figures {
        w.y -= 4.0;
        let questions = w.fit(&f.questions, 11.0, Weight::Regular, width, 2);
        w.y = lines_at(
            w,
            MARGIN,
            w.y,
            Align::Left,
            &questions,
            11.0,
            Weight::Regular,
            GREY,
        );
    }
    let first_page = w.page();
    let top = w.y + 12.0;
    let bottom = foot(w, card) - 14.0;
    w.running_head = Some(card.title.chars().take(80).collect());

    let left = Column {
        x: MARGIN,
        top,
        width: CHART_WIDTH,
        bottom,
    };
    let right_x = MARGIN + CHART_WIDTH + GAP;
    let right = Column {
        x: right_x,
        top,
        width: WIDTH - MARGIN - right_x,
        bottom,
    };
    let pieces = text_pieces(card);
    // "Wat we zien" (when there is a description) ends before the first interpretation.
    let description_end = pieces
        .iter()
        .position(|p| matches!(p, Piece::Framed(..)))
        .unwrap_or(0);
    match &card.figures {
        Some(figures) => {
            let beside = fitting_size(w, &[(&pieces, right)], 14.0);
            if beside.is_some_and(|s| s >= ROOMY) {
                chart_column(w, figures, left);
                w.go_to(first_page, right);
                text_column(w, &pieces, right, beside.unwrap_or(10.0));
            } else if let Some(way) = give_way(w, figures, &pieces, top, bottom, description_end) {
                // Too much text beside the chart: the chart gives up height (and width) and
                // the texts flow from under it to the column beside it.
                chart_column(w, figures, way.chart);
                let (first, second) = pieces.split_at(way.split.min(pieces.len()));
                if !first.is_empty() {
                    text_column(w, first, way.below, way.size);
                }
                w.go_to(first_page, way.beside);
                text_column(w, second, way.beside, way.size);
            } else {
                chart_column(w, figures, left);
                w.go_to(first_page, right);
                text_column(w, &pieces, right, 10.0);
            }
        }
        None => {
            // No chart: what we see and the quotes on the left, the interpretations beside;
            // when they do not fit so, the texts flow from the left column to the right.
            w.go_to(first_page, left);
            w.line(
                "Zonder patroon begonnen: geen cijfers.",
                SMALL,
                Weight::Regular,
                GREY,
            );
            let left = Column {
                top: w.y + 6.0,
                ..left
            };
            let (framed, other): (Vec<Piece>, Vec<Piece>) = pieces
                .into_iter()
                .partition(|p| matches!(p, Piece::Framed(..)));
            let apart = fitting_size(w, &[(&other, left), (&framed, right)], 18.0);
            if apart.is_some_and(|s| s >= ROOMY) {
                let size = apart.unwrap_or(10.0);
                text_column(w, &other, left, size);
                w.go_to(first_page, right);
                text_column(w, &framed, right, size);
            } else {
                let pieces = text_pieces(card);
                let (k, size) = split_pieces(w, &pieces, left, right, 18.0, description_end);
                let (first, second) = pieces.split_at(k);
                text_column(w, first, left, size);
                w.go_to(first_page, right);
                text_column(w, second, right, size);
            }
        }
    }

    // The typical stories on the following pages, in two columns.
    if !card.stories.is_empty() {
        let last = w.page().max(first_page);
        w.go_to(last, full_width());
        w.new_page();
        w.column = full_width();
        w.line(
            &format!(
                "Typische verhalen bij ‘{}’",
                card.title.chars().take(80).collect::<String>()
            ),
            13.0,
            Weight::Bold,
            INK,
        );
        w.y += 4.0;
        let mut columns = TwoColumns::start(w);
        write_stories(w, &mut columns, &card.stories);
    }
}

/// Text in two columns over landscape pages (lines of about 70 characters read well): a full
/// left column goes on at the top of the right one, a full right column on a new page.
struct TwoColumns {
    /// Where the columns begin on this page (under a heading over the whole width).
    top: f32,
    right: bool,
}

impl TwoColumns {
    const WIDTH: f32 = (WIDTH - 2.0 * MARGIN - GAP) / 2.0;

    /// Two columns from the writer's place down, starting in the left one.
    fn start(w: &mut Writer) -> TwoColumns {
        let columns = TwoColumns {
            top: w.y,
            right: false,
        };
        let page = w.page();
        w.go_to(page, columns.column());
        columns
    }

    fn column(&self) -> Column {
        Column {
            x: MARGIN + if self.right { Self::WIDTH + GAP } else { 0.0 },
            top: self.top,
            width: Self::WIDTH,
            bottom: HEIGHT - MARGIN,
        }
    }

    fn next(&mut self, w: &mut Writer) {
        if self.right {
            self.right = false;
            w.column = Column {
                top: MARGIN,
                ..self.column()
            };
            w.new_page();
            self.top = w.y;
            w.column = self.column();
        } else {
            self.right = true;
            let page = w.page();
            w.go_to(page, self.column());
        }
    }

    /// Makes room for `height` more, in the next column if this one is too full.
    fn room(&mut self, w: &mut Writer, height: f32) {
        if w.y + height > HEIGHT - MARGIN && w.y > self.top + 1.0 {
            self.next(w);
        }
    }

    fn lines(
        &mut self,
        w: &mut Writer,
        lines: &[String],
        size: f32,
        weight: Weight,
        colour: (u8, u8, u8),
    ) {
        for line in lines {
            self.room(w, leading(size));
            w.text_in(self.column().x, w.y, line, size, weight, colour);
            w.y += leading(size);
        }
    }
}

fn write_stories(w: &mut Writer, columns: &mut TwoColumns, stories: &[CardStory]) {
    let width = TwoColumns::WIDTH;
    for story in stories {
        let title = w.wrap(
            &format!("{} ({})", story.title, story.id),
            11.5,
            Weight::Bold,
            width,
        );
        let body = w.wrap(&story.body, 10.5, Weight::Regular, width);
        // A story's head never stands alone at the foot of a column.
        columns.room(
            w,
            title.len() as f32 * leading(11.5) + leading(SMALL) + 2.0 * leading(10.5),
        );
        columns.lines(w, &title, 11.5, Weight::Bold, INK);
        columns.lines(
            w,
            std::slice::from_ref(&story.role),
            SMALL,
            Weight::Regular,
            GREY,
        );
        columns.lines(w, &body, 10.5, Weight::Regular, INK);
        w.y += 10.0;
    }
}

/// One card, or several one after another (a deck), as one PDF.
pub fn deck(cards: &[Card], title: &str) -> Result<Vec<u8>, PdfError> {
    let mut w = Writer::new()?;
    for (i, card) in cards.iter().enumerate() {
        if i > 0 {
            w.running_head = None;
            let last = w.page();
            w.go_to(last, full_width());
            w.new_page();
        }
        write_card(&mut w, card);
    }
    if cards.is_empty() {
        w.paragraph(
            "Er zijn nog geen kaarten klaar.",
            12.0,
            Weight::Regular,
            INK,
        );
    }
    w.finish(title)
}

/// The ready cards of one theme as one deck, after a cover that names the theme, the project,
/// the date and the cards in it.
pub fn theme_deck(
    theme: &str,
    project: &str,
    date: &str,
    cards: &[Card],
) -> Result<Vec<u8>, PdfError> {
    let mut w = Writer::new()?;
    w.line("OBSERVATIEKAARTEN", SMALL, Weight::Bold, ACCENT);
    w.y += 2.0;
    w.paragraph(&format!("Thema: {theme}"), 24.0, Weight::Bold, INK);
    w.paragraph(&format!("{project} · {date}"), 12.0, Weight::Regular, GREY);
    w.y += 6.0;
    if cards.is_empty() {
        w.paragraph(
            "In dit thema zijn nog geen kaarten klaar.",
            12.0,
            Weight::Regular,
            INK,
        );
    } else {
        w.paragraph(
            &format!(
                "In dit thema: {} klaar voor een sessie.",
                numbers::counted(cards.len() as u64, "kaart", "kaarten")
            ),
            12.0,
            Weight::Bold,
            INK,
        );
        for (i, card) in cards.iter().enumerate() {
            w.paragraph(
                &format!("{}. {}", i + 1, card.title),
                12.0,
                Weight::Regular,
                INK,
            );
        }
    }
    w.y += 6.0;
    w.paragraph(DISCLAIMER, 10.0, Weight::Regular, GREY);
    for card in cards {
        w.running_head = None;
        let last = w.page();
        w.go_to(last, full_width());
        w.new_page();
        write_card(&mut w, card);
    }
    w.finish(&format!("Observatiekaarten · {theme} · {project}"))
}

/// The typical stories of these cards, for reading at the tables ("ervaringen").
pub fn booklet(project: &str, date: &str, cards: &[Card]) -> Result<Vec<u8>, PdfError> {
    let mut w = Writer::new()?;
    w.paragraph(&format!("Ervaringen · {project}"), 18.0, Weight::Bold, INK);
    w.paragraph(
        &format!("Verhalen bij de observaties, {date}. {DISCLAIMER}"),
        10.0,
        Weight::Regular,
        GREY,
    );
    let mut any = false;
    w.running_head = Some(format!("Ervaringen · {project}"));
    w.y += 4.0;
    let mut columns = TwoColumns::start(&mut w);
    for card in cards.iter().filter(|c| !c.stories.is_empty()) {
        any = true;
        let title = w.wrap(&card.title, 13.0, Weight::Bold, TwoColumns::WIDTH);
        columns.room(&mut w, title.len() as f32 * leading(13.0) + 60.0);
        columns.lines(&mut w, &title, 13.0, Weight::Bold, ACCENT);
        w.y += 4.0;
        write_stories(&mut w, &mut columns, &card.stories);
    }
    if !any {
        w.paragraph(
            "Er zijn nog geen verhalen gekozen.",
            11.0,
            Weight::Regular,
            INK,
        );
    }
    w.finish(&format!("Ervaringen · {project}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        text.matches("/Type /Page\n").count()
            + text.matches("/Type /Page ").count()
            + text.matches("/Type /Page/").count()
            + text.matches("/Type /Page>").count()
    }

    fn row(label: &str, counts: &[u64], mean: Option<f64>) -> ShareRow {
        ShareRow {
            label: label.into(),
            counts: counts.to_vec(),
            mean,
        }
    }

    fn poles() -> Poles {
        Poles {
            left: "Niemand luisterde naar wat ik te zeggen had".into(),
            right: "Er werd echt goed en lang naar me geluisterd".into(),
        }
    }

    fn card(words: usize, chart: Option<CardChart>) -> Card {
        Card {
            title: "Jongeren voelen zich minder gehoord".into(),
            theme: "Regie".into(),
            project: "Demo".into(),
            date: "22-11-2026".into(),
            description: "Wat we zien. ".repeat(words),
            interpretation_a: "Hulpverleners praten vooral met ouders.".into(),
            interpretation_b: "Jongeren verwachten meer dan er kan.".into(),
            more_interpretations: Vec::new(),
            figures: chart.map(|chart| CardFigures {
                questions: "Gehoord × Rol".into(),
                chart_title: "Waar de schuif stond, per groep".into(),
                chart: Some(chart),
                note: String::new(),
                summary: "Kruskal-Wallis H = 61,20 · q < 0,001 · sterkte 0,31 · 300 verhalen"
                    .into(),
                scope: "Alle verhalen · cijfers van 22-11-2026".into(),
            }),
            quotes: vec![("We wachtten maanden.".into(), "VP-1".into())],
            quotes_removed: 1,
            stories: vec![CardStory {
                id: "VP-1".into(),
                title: "Wachten".into(),
                role: "Ouder".into(),
                body: "We wachtten maanden op hulp. ".repeat(words),
            }],
        }
    }

    fn bands(rows: usize) -> CardChart {
        CardChart::Bands {
            rows: (0..rows)
                .map(|i| {
                    row(
                        &format!("Dat zeg ik liever niet en een heel lange groep {i}"),
                        &[3, 5 + i as u64, 9, 4, 2],
                        Some(45.0),
                    )
                })
                .collect(),
            poles: poles(),
        }
    }

    #[test]
    fn every_kind_of_card_is_a_pdf_of_one_page_before_its_stories() {
        let kinds = vec![
            bands(3),
            bands(MAX_ROWS),
            CardChart::Shares {
                rows: vec![
                    row("Jongere", &[5, 3, 2], None),
                    row("Ouder", &[1, 1, 8], None),
                ],
                columns: vec!["Positief".into(), "Negatief".into(), "Gemengd".into()],
                question: "Wat voor verhaal is dit voor jou?".into(),
            },
            CardChart::Grid {
                counts: (0..5)
                    .map(|y| (0..5).map(|x| (x * y) as u64).collect())
                    .collect(),
                x: Axis {
                    question: "Gehoord".into(),
                    poles: poles(),
                },
                y: Axis {
                    question: "Regie".into(),
                    poles: poles(),
                },
            },
            CardChart::Means {
                rows: vec![("Jongere".into(), 100, 30.0), ("Ouder".into(), 90, 55.5)],
                poles: poles(),
            },
            CardChart::Cells {
                rows: vec![("Ouder · Wachtlijst".into(), 40, 22.5)],
            },
        ];
        for chart in kinds {
            let mut one = card(12, Some(chart.clone()));
            one.stories.clear();
            let pdf = deck(&[one], "Kaart").unwrap();
            assert!(pdf.starts_with(b"%PDF-"));
            assert_eq!(pages(&pdf), 1, "{chart:?}");
        }
        let bare = deck(&[card(1, None)], "Zonder").unwrap();
        assert_eq!(pages(&bare), 2, "the front and the page of stories");
    }

    /// A card with the texts a facilitator writes, for every kind of chart: the front is one
    /// page. With `VERTELPUNT_CARD_DIR` set the PDFs are kept there, to look at.
    #[test]
    fn cards_with_real_texts_fit_their_front_page() {
        let mut real = card(0, None);
        real.title = "Jongeren voelen zich minder gehoord dan ouders".into();
        real.description = "Bij ‘Werd er in dit verhaal naar je geluisterd?’ zetten jongeren de schuif vaker links, bij ‘Niemand luisterde’, dan ouders en professionals. Bijna de helft van de jongeren zet hem in het linker stuk.".into();
        real.interpretation_a = "Hulpverleners praten vooral met ouders; jongeren zitten er wel bij, maar worden weinig gevraagd wat zij willen.".into();
        real.interpretation_b = "Jongeren verwachten meer inspraak dan er in een korte hulpvraag kan; ouders zijn al blij dat er iemand is.".into();
        real.quotes = vec![
            (
                "Ze praatten over mij, niet met mij.".into(),
                "VP-7K2M9Q".into(),
            ),
            (
                "Na een paar gesprekken ging het beter thuis.".into(),
                "VP-3HX8TR".into(),
            ),
        ];
        real.quotes_removed = 0;
        real.stories.clear();
        let cell = |i: usize| {
            row(
                &format!("Dat zeg ik liever niet · Vooral een naar verhaal {i}"),
                &[2 + i as u64, 6, 9, 4, 1 + i as u64],
                Some(40.0 + i as f64),
            )
        };
        let charts = [
            ("banden", bands(3)),
            (
                "drieweg",
                CardChart::Bands {
                    rows: (0..MAX_ROWS).map(cell).collect(),
                    poles: poles(),
                },
            ),
            (
                "keuzes",
                CardChart::Shares {
                    rows: (0..5)
                        .map(|i| row(&format!("Gemeente {i}"), &[5, 3 + i as u64, 2, 4, 1], None))
                        .collect(),
                    columns: ["Positief", "Negatief", "Gemengd", "Weet ik niet", "Anders"]
                        .map(String::from)
                        .to_vec(),
                    question: "Wat voor verhaal is dit voor jou?".into(),
                },
            ),
        ];
        for (name, chart) in charts {
            let mut one = real.clone();
            one.figures = card(0, Some(chart)).figures;
            let pdf = deck(&[one], "Kaart").unwrap();
            assert_eq!(pages(&pdf), 1, "{name}");
            if let Ok(dir) = std::env::var("VERTELPUNT_CARD_DIR") {
                let _ = std::fs::write(format!("{dir}/echt-{name}.pdf"), &pdf);
            }
        }
        let pdf = deck(std::slice::from_ref(&real), "Zonder").unwrap();
        assert_eq!(pages(&pdf), 1);
        if let Ok(dir) = std::env::var("VERTELPUNT_CARD_DIR") {
            let _ = std::fs::write(format!("{dir}/echt-zonder.pdf"), &pdf);
        }
        // Stories in two columns: six of them fill the first page of the booklet, not six.
        real.stories = (0..6)
            .map(|i| CardStory {
                id: format!("VP-{i}"),
                title: "Lang wachten, daarna goede hulp".into(),
                role: "Ouder of verzorger".into(),
                body: "We moesten lang wachten voordat er iemand kwam. ".repeat(5),
            })
            .collect();
        let pdf = booklet("Demo", "22-11-2026", &[real.clone(), real]).unwrap();
        assert_eq!(pages(&pdf), 2);
        if let Ok(dir) = std::env::var("VERTELPUNT_CARD_DIR") {
            let _ = std::fs::write(format!("{dir}/echt-boekje.pdf"), &pdf);
        }
    }

    /// The texts of the PDF's pages, by `pdftotext` (`None` without poppler-utils).
    fn page_texts(pdf: &[u8]) -> Option<Vec<String>> {
        let dir = tempfile::tempdir().ok()?;
        let file = dir.path().join("kaart.pdf");
        std::fs::write(&file, pdf).ok()?;
        let out = std::process::Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        Some(
            text.split('\u{c}')
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect(),
        )
    }

    /// A card with `n` interpretations of about `chars` characters each.
    fn with_interpretations(n: usize, chars: usize, chart: Option<CardChart>) -> Card {
        let text = |i: usize| {
            let mut t = format!("Duidingtekst {i}: ");
            while t.chars().count() < chars {
                t.push_str("jongeren worden weinig gevraagd wat zij zelf willen. ");
            }
            t.trim().to_string()
        };
        let mut one = card(0, chart);
        one.description = "Bij ‘Werd er in dit verhaal naar je geluisterd?’ zetten jongeren de schuif vaker links dan ouders en professionals.".into();
        one.interpretation_a = text(1);
        one.interpretation_b = text(2);
        one.more_interpretations = (3..=n).map(text).collect();
        one.quotes = vec![
            (
                "Ze praatten over mij, niet met mij.".into(),
                "VP-7K2M9Q".into(),
            ),
            (
                "Na een paar gesprekken ging het beter thuis.".into(),
                "VP-3HX8TR".into(),
            ),
        ];
        one.quotes_removed = 0;
        one.stories.clear();
        one
    }

    /// Two, three and five interpretations, short and long, beside every kind of chart and
    /// without one, with a description and two quotes: the front stays one page and holds
    /// every interpretation whole. With
    /// `VERTELPUNT_CARD_DIR` set the PDFs are kept there, to look at.
    #[test]
    fn cards_with_two_to_five_interpretations_fit_their_front_page() {
        let charts = [
            ("banden", Some(bands(3))),
            ("acht", Some(bands(MAX_ROWS))),
            (
                "raster",
                Some(CardChart::Grid {
                    counts: (0..5)
                        .map(|y| (0..5).map(|x| (x * y) as u64).collect())
                        .collect(),
                    x: Axis {
                        question: "Gehoord".into(),
                        poles: poles(),
                    },
                    y: Axis {
                        question: "Regie".into(),
                        poles: poles(),
                    },
                }),
            ),
            ("zonder", None),
        ];
        for (name, chart) in charts {
            // Long ones: three of about 260 characters (three sentences each), five of about
            // 150. Beside the largest chart (eight bars) five fit only when short; longer
            // texts go on to a next page (the test below).
            let cases: &[(usize, usize)] = if name == "acht" {
                &[(2, 120), (2, 300), (3, 120), (3, 260), (4, 150)]
            } else {
                &[(2, 120), (2, 300), (3, 120), (3, 260), (5, 120), (5, 150)]
            };
            for &(n, chars) in cases {
                {
                    let one = with_interpretations(n, chars, chart.clone());
                    let pdf = deck(std::slice::from_ref(&one), "Kaart").unwrap();
                    if let Ok(dir) = std::env::var("VERTELPUNT_CARD_DIR") {
                        let _ =
                            std::fs::write(format!("{dir}/duidingen-{name}-{n}-{chars}.pdf"), &pdf);
                    }
                    assert_eq!(pages(&pdf), 1, "{name}: {n} × {chars}");
                    let Some(texts) = page_texts(&pdf) else {
                        continue;
                    };
                    for i in 1..=n {
                        assert!(
                            texts[0].contains(&format!("Duiding {i}")),
                            "{name}: {n} × {chars}: no Duiding {i} in {}",
                            texts[0]
                        );
                        assert!(texts[0].contains(&format!("Duidingtekst {i}:")));
                    }
                    assert!(!texts[0].contains(&format!("Duiding {}", n + 1)));
                    assert!(texts[0].contains("Ze praatten over mij, niet met mij."));
                }
            }
        }
    }

    /// At the most (five interpretations of the longest length beside the largest chart) the
    /// texts go on to a next page instead of running over the chart or the foot.
    #[test]
    fn the_longest_interpretations_go_on_to_a_next_page() {
        use crate::domain::observation::MAX_INTERPRETATION;
        let one = with_interpretations(5, MAX_INTERPRETATION - 60, Some(bands(MAX_ROWS)));
        let pdf = deck(std::slice::from_ref(&one), "Kaart").unwrap();
        assert!(pages(&pdf) >= 2);
        if let Ok(dir) = std::env::var("VERTELPUNT_CARD_DIR") {
            let _ = std::fs::write(format!("{dir}/duidingen-langst.pdf"), &pdf);
        }
        if let Some(texts) = page_texts(&pdf) {
            let all = texts.join(" ");
            for i in 1..=5 {
                assert!(all.contains(&format!("Duidingtekst {i}:")), "{all}");
            }
            // The foot is on the front only, once.
            assert_eq!(all.matches("niet representatief").count(), 1);
        }
    }

    #[test]
    fn a_deck_of_one_theme_starts_with_a_cover_that_names_it() {
        let cards = [card(2, Some(bands(3))), card(2, None)];
        let pdf = theme_deck("School", "Demo", "22-11-2026", &cards).unwrap();
        // The cover, each card's front and each card's page of stories.
        assert_eq!(pages(&pdf), 5);
        if let Some(texts) = page_texts(&pdf) {
            assert!(texts[0].contains("Thema: School"), "{}", texts[0]);
            assert!(texts[0].contains("2 kaarten klaar"), "{}", texts[0]);
            assert!(texts[0].contains("Jongeren voelen zich minder gehoord"));
        }
        let empty = theme_deck("School", "Demo", "22-11-2026", &[]).unwrap();
        assert_eq!(pages(&empty), 1);
    }

    #[test]
    fn long_texts_flow_onto_more_pages_and_decks_and_booklets_are_pdfs() {
        let short = deck(&[card(3, Some(bands(2)))], "Kaart").unwrap();
        let long = deck(
            &[card(3, Some(bands(2))), card(900, Some(bands(2)))],
            "Deck",
        )
        .unwrap();
        assert!(pages(&long) > pages(&short) + 2);
        assert!(booklet("Demo", "22-11-2026", &[card(2, None)])
            .unwrap()
            .starts_with(b"%PDF-"));
        assert!(deck(&[], "Leeg").unwrap().starts_with(b"%PDF-"));
    }

    #[test]
    fn bands_and_answers_have_their_fills_and_labels() {
        assert_eq!(band_label(0, 5), "0–20");
        assert_eq!(band_label(4, 5), "80–100");
        assert_eq!(band_label(1, 3), "33–67");
        assert_eq!(
            (0..5).map(|i| band_step(i, 5)).collect::<Vec<_>>(),
            [0, 1, 2, 3, 4]
        );
        assert_eq!(band_step(0, 3), 0);
        assert_eq!(band_step(1, 3), 2);
        assert_eq!(band_step(2, 3), 4);
        assert_eq!(band_step(0, 1), 2);
        assert_ne!(answer_colour(0).0, answer_colour(1).0);
        assert_eq!(answer_colour(8), answer_colour(0));
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(0, 0), "0%");
    }

    #[test]
    fn lines_are_broken_to_fit_and_long_words_are_split() {
        let w = Writer::new().unwrap();
        let lines = w.wrap(&"woord ".repeat(100), 10.0, Weight::Regular, 200.0);
        assert!(lines.len() > 5);
        assert!(lines
            .iter()
            .all(|l| w.width_of(l, 10.0, Weight::Regular) <= 200.0));
        let long = w.wrap(&"x".repeat(300), 10.0, Weight::Regular, 100.0);
        assert!(long.len() > 2);
        assert_eq!(long.concat(), "x".repeat(300));
    }

    #[test]
    fn fitted_labels_keep_whole_words_and_mark_what_was_left_out() {
        let w = Writer::new().unwrap();
        let label = "Dat zeg ik liever niet en een heel lange groep met meer woorden";
        let lines = w.fit(label, 10.0, Weight::Regular, 120.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines
            .iter()
            .all(|l| w.width_of(l, 10.0, Weight::Regular) <= 120.0));
        // Every word shown is a whole word of the label.
        let words: Vec<&str> = label.split(' ').collect();
        for word in lines.iter().flat_map(|l| l.split(' ')) {
            assert!(words.contains(&word.trim_end_matches('…')), "{word}");
        }
        // What fits stays as it is; one long word is cut and marked.
        assert_eq!(
            w.fit("Jongere", 10.0, Weight::Regular, 120.0, 2),
            ["Jongere"]
        );
        let cut = w.fit(&"x".repeat(80), 10.0, Weight::Regular, 60.0, 1);
        assert!(cut[0].ends_with('…') && w.width_of(&cut[0], 10.0, Weight::Regular) <= 60.0);
    }
}
