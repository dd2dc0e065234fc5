//! Small server-rendered SVG charts: readable without JavaScript, printable, and each with a
//! text alternative. Labels are XML-escaped here because the SVG is inserted as markup.

use crate::analysis::figures::{Crosstab, Density, FiveNumbers, GroupBox};
use std::fmt::Write;
use std::hash::{DefaultHasher, Hash, Hasher};

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// One bar: a label and a value on the 0–100 slider scale.
pub struct Bar<'a> {
    pub label: &'a str,
    pub value: f64,
    pub n: u64,
}

/// Horizontal bars of group means on the 0–100 scale, with the poles under the axis.
/// `title` names the chart for assistive technology (the page shows the same numbers as a
/// table as well).
pub fn mean_bars(title: &str, bars: &[Bar<'_>], left: &str, right: &str) -> String {
    const WIDTH: f64 = 640.0;
    const LABEL: f64 = 250.0;
    const ROW: f64 = 28.0;
    let plot = WIDTH - LABEL - 50.0;
    let height = ROW * bars.len() as f64 + 44.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = ROW * i as f64 + 8.0;
        let w = plot * bar.value.clamp(0.0, 100.0) / 100.0;
        let label: String = bar.label.chars().take(38).collect();
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{ty}" text-anchor="end" class="chart-label">{label}</text><rect x="{LABEL}" y="{y}" width="{w:.1}" height="18" class="chart-bar"/><text x="{vx:.1}" y="{ty}" class="chart-value">{value:.0} (n={n})</text>"#,
            x = LABEL - 8.0,
            ty = y + 14.0,
            label = escape(&label),
            vx = LABEL + w + 6.0,
            value = bar.value,
            n = bar.n
        );
    }
    let axis = ROW * bars.len() as f64 + 12.0;
    let _ = write!(
        svg,
        r#"<line x1="{LABEL}" y1="{axis}" x2="{end}" y2="{axis}" class="chart-axis"/><text x="{LABEL}" y="{t}" class="chart-pole">0 · {left}</text><text x="{end}" y="{t}" text-anchor="end" class="chart-pole">{right} · 100</text></svg>"#,
        end = LABEL + plot,
        t = axis + 22.0,
        left = escape(&left.chars().take(30).collect::<String>()),
        right = escape(&right.chars().take(30).collect::<String>()),
    );
    svg
}

/// Horizontal bars of counts (scaled to the largest), e.g. stories per role or per option.
/// Counts from 1 to below `k` are drawn without a bar and labelled "< k" (small-cell
/// protection, `domain::smallcell`); `k` = 0 shows every count.
pub fn count_bars(title: &str, bars: &[(String, u64)], k: u32) -> String {
    const WIDTH: f64 = 640.0;
    const LABEL: f64 = 250.0;
    const ROW: f64 = 26.0;
    let plot = WIDTH - LABEL - 60.0;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let height = ROW * bars.len() as f64 + 8.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    for (i, (label, count)) in bars.iter().enumerate() {
        let y = ROW * i as f64 + 4.0;
        let safe = k == 0 || crate::domain::smallcell::count_is_safe(*count as usize, k);
        let w = if safe {
            plot * *count as f64 / max
        } else {
            0.0
        };
        let count = if safe {
            count.to_string()
        } else {
            crate::domain::smallcell::shown_count(*count as usize, k)
        };
        let label: String = label.chars().take(38).collect();
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{ty}" text-anchor="end" class="chart-label">{label}</text><rect x="{LABEL}" y="{y}" width="{w:.1}" height="16" class="chart-bar"/><text x="{vx:.1}" y="{ty}" class="chart-value">{count}</text>"#,
            x = LABEL - 8.0,
            ty = y + 13.0,
            label = escape(&label),
            count = escape(&count),
            vx = LABEL + w + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

// ---------- Figures of the pattern evaluation ----------
//
// The charts below share a layout: a `viewBox` of 640 units wide (CSS scales it to the page),
// a `<title>` and a `<desc>` that carry the chart's figures as text, and a white background
// so that they stay legible where the page is dark. Meaning never hangs on colour alone:
// values are printed as text, fills differ in lightness and carry hatch patterns, and every
// box, segment and cell has a `<title>` tooltip. Without data (or with only non-finite
// figures) a chart is a small SVG that says "Geen gegevens om te tonen" — never an empty
// string.

const WIDE: f64 = 640.0;
const NO_DATA: &str = "Geen gegevens om te tonen.";

/// The opening of a chart: `<svg>` with its accessible name, `<title>`, `<desc>` and a
/// background.
fn open(class: &str, height: f64, title: &str, desc: &str) -> String {
    let title = escape(title);
    format!(
        r#"<svg class="chart {class}" viewBox="0 0 {WIDE} {height:.0}" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title><desc>{desc}</desc><rect class="chart-bg" x="0" y="0" width="{WIDE}" height="{height:.0}"/>"#,
        desc = escape(desc),
    )
}

/// A small chart that says there is nothing to show.
fn no_data(title: &str) -> String {
    let mut svg = open("chart-empty", 40.0, title, NO_DATA);
    let _ = write!(
        svg,
        r#"<text x="10" y="25" class="chart-label">{NO_DATA}</text></svg>"#
    );
    svg
}

/// At most `max` characters, with "…" when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// A number for people: whole numbers without decimals, others with one; "–" if not finite.
fn short(v: f64) -> String {
    if !v.is_finite() {
        "–".to_string()
    } else if (v - v.round()).abs() < 0.05 {
        format!("{:.0}", v.round())
    } else {
        format!("{v:.1}")
    }
}

fn finite(f: &FiveNumbers) -> bool {
    [f.min, f.q1, f.median, f.q3, f.max, f.mean]
        .iter()
        .all(|v| v.is_finite())
}

fn box_summary(b: &GroupBox) -> String {
    let f = &b.five;
    format!(
        "{} (n={}): mediaan {}, middelste helft {} tot {}, laagste {}, hoogste {}, gemiddelde {}",
        b.label,
        f.n,
        short(f.median),
        short(f.q1),
        short(f.q3),
        short(f.min),
        short(f.max),
        short(f.mean),
    )
}

/// Horizontal box plots on the 0–100 slider scale, one per group (slider × choice, or slider
/// × the cells of two choice questions): a line from the lowest to the highest answer, a box
/// over the middle half (Q1–Q3), a thick stroke at the median and a circle at the mean. Each
/// group's label and n stand left of its box; ticks 0/25/50/75/100 and the poles under the
/// axis. Figures outside 0–100 are drawn at the edge; groups with non-finite figures are left
/// out. No groups: the "no data" chart.
pub fn box_plots(title: &str, boxes: &[GroupBox], left_pole: &str, right_pole: &str) -> String {
    const LABEL: f64 = 240.0;
    const PLOT: f64 = 370.0;
    const TOP: f64 = 10.0;
    const ROW: f64 = 36.0;
    let boxes: Vec<&GroupBox> = boxes.iter().filter(|b| finite(&b.five)).collect();
    if boxes.is_empty() {
        return no_data(title);
    }
    let x = |v: f64| LABEL + PLOT * v.clamp(0.0, 100.0) / 100.0;
    let axis = TOP + ROW * boxes.len() as f64 + 4.0;
    let height = axis + 70.0;
    let summaries: Vec<String> = boxes.iter().map(|b| box_summary(b)).collect();
    let desc = format!(
        "Spreiding per groep op de schaal van 0 ({left_pole}) tot 100 ({right_pole}). {}.",
        summaries.join("; ")
    );
    let mut svg = open("chart-boxplot", height, title, &desc);
    for tick in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let tx = x(tick);
        let _ = write!(
            svg,
            r#"<line x1="{tx:.1}" y1="{TOP}" x2="{tx:.1}" y2="{axis:.1}" class="chart-grid"/><line x1="{tx:.1}" y1="{axis:.1}" x2="{tx:.1}" y2="{t1:.1}" class="chart-axis"/><text x="{tx:.1}" y="{t2:.1}" text-anchor="middle" class="chart-tick">{tick}</text>"#,
            t1 = axis + 5.0,
            t2 = axis + 18.0,
        );
    }
    for (i, (b, summary)) in boxes.iter().zip(&summaries).enumerate() {
        let f = &b.five;
        let y = TOP + ROW * i as f64;
        let cy = y + 17.0;
        let (lo, hi) = (x(f.min), x(f.max));
        let (q1, q3) = (x(f.q1), x(f.q3));
        let _ = write!(
            svg,
            r#"<g><title>{summary}</title><text x="{lx}" y="{ly:.1}" text-anchor="end" class="chart-label">{label}</text><text x="{lx}" y="{ny:.1}" text-anchor="end" class="chart-n">n = {n}</text><line x1="{lo:.1}" y1="{cy:.1}" x2="{hi:.1}" y2="{cy:.1}" class="chart-whisker"/><line x1="{lo:.1}" y1="{c1:.1}" x2="{lo:.1}" y2="{c2:.1}" class="chart-whisker"/><line x1="{hi:.1}" y1="{c1:.1}" x2="{hi:.1}" y2="{c2:.1}" class="chart-whisker"/><rect x="{q1:.1}" y="{by:.1}" width="{bw:.1}" height="16" class="chart-box"/><line x1="{mx:.1}" y1="{m1:.1}" x2="{mx:.1}" y2="{m2:.1}" class="chart-median"/><circle cx="{ax:.1}" cy="{cy:.1}" r="4" class="chart-mean"/></g>"#,
            summary = escape(summary),
            lx = LABEL - 10.0,
            ly = y + 14.0,
            ny = y + 28.0,
            label = escape(&clip(&b.label, 34)),
            n = f.n,
            c1 = cy - 6.0,
            c2 = cy + 6.0,
            by = cy - 8.0,
            bw = (q3 - q1).max(1.0),
            mx = x(f.median),
            m1 = cy - 11.0,
            m2 = cy + 11.0,
            ax = x(f.mean),
        );
    }
    let key = axis + 58.0;
    let _ = write!(
        svg,
        r#"<line x1="{LABEL}" y1="{axis:.1}" x2="{end}" y2="{axis:.1}" class="chart-axis"/><text x="{LABEL}" y="{p:.1}" class="chart-pole">← {left}</text><text x="{end}" y="{p:.1}" text-anchor="end" class="chart-pole">{right} →</text><circle cx="14" cy="{kc:.1}" r="4" class="chart-mean"/><text x="24" y="{key:.1}" class="chart-key">gemiddelde · dikke streep: mediaan · doos: middelste helft van de antwoorden · lijn: laagste tot hoogste</text></svg>"#,
        end = LABEL + PLOT,
        p = axis + 36.0,
        left = escape(&clip(left_pole, 26)),
        right = escape(&clip(right_pole, 26)),
        kc = key - 4.0,
    );
    svg
}

/// The fill class (lightness) and hatch pattern of the `j`-th column: the eight fills cycle,
/// and from the ninth column on the hatch shifts, so the first 64 columns all differ.
fn fill_and_hatch(j: usize) -> (usize, usize) {
    (j % 8, (j + j / 8) % 8)
}

/// The `<pattern>` of one column; `None` for the plain hatch 0. Dark fills (even classes) get
/// light hatch lines.
fn hatch_pattern(id: &str, j: usize) -> Option<String> {
    let (fill, hatch) = fill_and_hatch(j);
    let (shape, turn) = match hatch {
        1 => (r#"<path d="M4 0V8""#, 45),
        2 => (r#"<circle cx="4" cy="4" r="1.2""#, 0),
        3 => (r#"<path d="M0 4H8""#, 0),
        4 => (r#"<path d="M4 0V8""#, -45),
        5 => (r#"<path d="M4 0V8M0 4H8""#, 45),
        6 => (r#"<path d="M4 0V8""#, 0),
        7 => (r#"<path d="M4 0V8M0 4H8""#, 0),
        _ => return None,
    };
    let class = if fill % 2 == 0 {
        "chart-hatch chart-hatch-on-dark"
    } else {
        "chart-hatch"
    };
    Some(format!(
        r#"<pattern id="{id}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate({turn})">{shape} class="{class}"/></pattern>"#
    ))
}

/// A prefix for the pattern ids of one chart, from its contents: ids stay unique when a page
/// shows several charts, and the output stays the same for the same input.
fn id_prefix(title: &str, crosstab: &Crosstab) -> String {
    let mut hasher = DefaultHasher::new();
    title.hash(&mut hasher);
    for o in crosstab.rows.iter().chain(&crosstab.columns) {
        o.key.hash(&mut hasher);
        o.label.hash(&mut hasher);
    }
    crosstab.counts.hash(&mut hasher);
    format!("chart-{:x}", hasher.finish())
}

/// One 100%-stacked horizontal bar per row of `crosstab`, a segment per column. Segments wide
/// enough show their percentage inside; each row shows its n; a legend names the columns with
/// swatches. Fills (`chart-fill-0`…`7`) differ in lightness and carry hatch patterns. Rows
/// without stories show only their label and "n = 0". No stories at all: the "no data" chart.
pub fn stacked_bars(title: &str, crosstab: &Crosstab) -> String {
    const LABEL: f64 = 200.0;
    const PLOT: f64 = 370.0;
    const TOP: f64 = 10.0;
    const ROW: f64 = 30.0;
    const BAR: f64 = 20.0;
    let columns = crosstab.columns.len();
    let count = |i: usize, j: usize| {
        crosstab
            .counts
            .get(i)
            .and_then(|row| row.get(j))
            .copied()
            .unwrap_or(0)
    };
    let totals: Vec<u64> = (0..crosstab.rows.len())
        .map(|i| (0..columns).map(|j| count(i, j)).sum())
        .collect();
    if totals.iter().all(|&t| t == 0) {
        return no_data(title);
    }
    // The legend flows over lines of at most the chart's width.
    let mut legend = Vec::new();
    let (mut lx, mut line) = (10.0, 0usize);
    for column in &crosstab.columns {
        let label = clip(&column.label, 30);
        let width = 20.0 + 7.0 * label.chars().count() as f64 + 18.0;
        if lx > 10.0 && lx + width > WIDE - 10.0 {
            lx = 10.0;
            line += 1;
        }
        legend.push((lx, line, label));
        lx += width;
    }
    let legend_top = TOP + ROW * crosstab.rows.len() as f64 + 10.0;
    let height = legend_top + 22.0 * (line + 1) as f64 + 6.0;
    let percent = |c: u64, total: u64| 100.0 * c as f64 / total as f64;
    let described: Vec<String> = crosstab
        .rows
        .iter()
        .zip(&totals)
        .enumerate()
        .map(|(i, (row, &total))| {
            let parts: Vec<String> = (0..columns)
                .filter(|&j| total > 0 && count(i, j) > 0)
                .map(|j| {
                    format!(
                        "{} {:.0}% ({})",
                        crosstab.columns[j].label,
                        percent(count(i, j), total),
                        count(i, j)
                    )
                })
                .collect();
            format!("{} (n={total}): {}", row.label, parts.join(", "))
        })
        .collect();
    let desc = format!(
        "Verdeling per rij in procenten van die rij. {}.",
        described.join("; ")
    );
    let mut svg = open("chart-stacked", height, title, &desc);
    let prefix = id_prefix(title, crosstab);
    let patterns: String = (0..columns)
        .filter_map(|j| hatch_pattern(&format!("{prefix}-{j}"), j))
        .collect();
    if !patterns.is_empty() {
        let _ = write!(svg, "<defs>{patterns}</defs>");
    }
    // One shape of column `j`: its fill, with its hatch on top.
    let shape = |svg: &mut String, j: usize, x: f64, y: f64, w: f64, h: f64| {
        let (fill, hatch) = fill_and_hatch(j);
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" class="chart-segment chart-fill-{fill}"/>"#
        );
        if hatch != 0 {
            let _ = write!(
                svg,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="url(#{prefix}-{j})" class="chart-hatch-area"/>"##
            );
        }
    };
    for (i, (row, &total)) in crosstab.rows.iter().zip(&totals).enumerate() {
        let y = TOP + ROW * i as f64;
        let _ = write!(
            svg,
            r#"<text x="{lx}" y="{ty:.1}" text-anchor="end" class="chart-label">{label}</text><text x="{nx}" y="{ty:.1}" class="chart-n">n = {total}</text>"#,
            lx = LABEL - 10.0,
            ty = y + 15.0,
            label = escape(&clip(&row.label, 28)),
            nx = LABEL + PLOT + 8.0,
        );
        if total == 0 {
            continue;
        }
        // Edges from running sums, so the segments fill the bar exactly.
        let mut before = 0u64;
        for j in 0..columns {
            let c = count(i, j);
            if c == 0 {
                continue;
            }
            let x0 = LABEL + PLOT * before as f64 / total as f64;
            before += c;
            let x1 = LABEL + PLOT * before as f64 / total as f64;
            let p = percent(c, total);
            let _ = write!(
                svg,
                "<g><title>{} · {}: {c} van {total} ({p:.0}%)</title>",
                escape(&row.label),
                escape(&crosstab.columns[j].label)
            );
            shape(&mut svg, j, x0, y, x1 - x0, BAR);
            // Twice: a white outline under the figure keeps it legible on any fill (drawn as
            // its own text, since not every renderer supports `paint-order`).
            if x1 - x0 >= 34.0 {
                let _ = write!(
                    svg,
                    r#"<text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" class="chart-segment-value chart-halo">{p:.0}%</text><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" class="chart-segment-value">{p:.0}%</text>"#,
                    cx = (x0 + x1) / 2.0,
                    ty = y + 15.0,
                );
            }
            svg.push_str("</g>");
        }
    }
    for (j, (x, line, label)) in legend.iter().enumerate() {
        let y = legend_top + 22.0 * *line as f64;
        shape(&mut svg, j, *x, y, 14.0, 14.0);
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="14" height="14" class="chart-swatch"/><text x="{tx:.1}" y="{ty:.1}" class="chart-legend">{label}</text>"#,
            tx = x + 20.0,
            ty = y + 12.0,
            label = escape(label),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The shade step 0–5 of a count: 0 for none, else ⌈5·count/max⌉ (5 = the fullest cells).
fn shade(count: u64, max: u64) -> u64 {
    if count == 0 || max == 0 {
        0
    } else {
        (count.saturating_mul(5).div_ceil(max)).clamp(1, 5)
    }
}

/// The counts of shade step `k` (1–5) for the largest count `max`, if any count falls in it.
fn shade_range(k: u64, max: u64) -> Option<(u64, u64)> {
    let low = (k - 1).saturating_mul(max) / 5 + 1;
    let high = k.saturating_mul(max) / 5;
    (low <= high).then_some((low, high))
}

/// A heat grid of two numeric questions: one cell per bin pair, shaded in five steps of the
/// count (darkest = most stories, white = none), with a legend of the counts per step. `x_label`
/// runs along the bottom, `y_label` up the left side (low values at the bottom), each with the
/// range of its axis. Counts are printed in the non-empty cells when the grid has at most 10
/// × 10 cells. An empty grid: the "no data" chart.
pub fn density_grid(title: &str, density: &Density, x_label: &str, y_label: &str) -> String {
    const GRID_X: f64 = 90.0;
    const GRID: f64 = 360.0;
    const TOP: f64 = 10.0;
    const LEGEND_X: f64 = 480.0;
    let rows = density.counts.len();
    let cols = density.counts.iter().map(Vec::len).max().unwrap_or(0);
    let max = density.max();
    if rows == 0 || cols == 0 || max == 0 {
        return no_data(title);
    }
    let (cw, ch) = (GRID / cols as f64, GRID / rows as f64);
    let count = |r: usize, c: usize| {
        density
            .counts
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(0)
    };
    let ((x0, x1), (y0, y1)) = (density.x_range, density.y_range);
    let edge =
        |low: f64, high: f64, bins: usize, i: usize| low + (high - low) * i as f64 / bins as f64;
    let x_bin = |c: usize| {
        format!(
            "{}–{}",
            short(edge(x0, x1, cols, c)),
            short(edge(x0, x1, cols, c + 1))
        )
    };
    let y_bin = |r: usize| {
        format!(
            "{}–{}",
            short(edge(y0, y1, rows, r)),
            short(edge(y0, y1, rows, r + 1))
        )
    };
    // The fullest cells, for the text alternative.
    let mut cells: Vec<(u64, usize, usize)> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| (count(r, c), r, c))
        .filter(|&(n, _, _)| n > 0)
        .collect();
    cells.sort_by_key(|cell| std::cmp::Reverse(cell.0));
    let fullest: Vec<String> = cells
        .iter()
        .take(5)
        .map(|&(n, r, c)| format!("{x_label} {} en {y_label} {}: {n}", x_bin(c), y_bin(r)))
        .collect();
    let desc = format!(
        "{} verhalen met beide antwoorden in {cols} × {rows} vakken; horizontaal {x_label} van {} tot {}, verticaal {y_label} van {} tot {}. Drukste vakken: {}.",
        density.n,
        short(x0),
        short(x1),
        short(y0),
        short(y1),
        fullest.join("; ")
    );
    let height = TOP + GRID + 56.0;
    let mut svg = open("chart-density", height, title, &desc);
    let numbers = rows <= 10 && cols <= 10;
    for r in 0..rows {
        // Row 0 holds the lowest y values: drawn at the bottom.
        let y = TOP + ch * (rows - 1 - r) as f64;
        for c in 0..cols {
            let n = count(r, c);
            let step = shade(n, max);
            let x = GRID_X + cw * c as f64;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{cw:.1}" height="{ch:.1}" class="chart-heat chart-heat-{step}"><title>{label}: {n}</title></rect>"#,
                label = escape(&format!("{x_label} {} en {y_label} {}", x_bin(c), y_bin(r))),
            );
            if numbers && n > 0 {
                let _ = write!(
                    svg,
                    r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle" class="chart-heat-value{dark}">{n}</text>"#,
                    tx = x + cw / 2.0,
                    ty = y + ch / 2.0 + 4.5,
                    dark = if step >= 4 {
                        " chart-heat-value-on-dark"
                    } else {
                        ""
                    },
                );
            }
        }
    }
    let bottom = TOP + GRID;
    let _ = write!(
        svg,
        r#"<rect x="{GRID_X}" y="{TOP}" width="{GRID}" height="{GRID}" class="chart-frame"/>"#
    );
    for (i, (xv, yv)) in [(x0, y0), ((x0 + x1) / 2.0, (y0 + y1) / 2.0), (x1, y1)]
        .into_iter()
        .enumerate()
    {
        let offset = GRID * i as f64 / 2.0;
        let _ = write!(
            svg,
            r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle" class="chart-tick">{xs}</text><text x="{lx:.1}" y="{ly:.1}" text-anchor="end" class="chart-tick">{ys}</text>"#,
            tx = GRID_X + offset,
            ty = bottom + 16.0,
            xs = short(xv),
            lx = GRID_X - 6.0,
            ly = bottom - offset + 4.0,
            ys = short(yv),
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" class="chart-label">{x} →</text><text transform="translate(20 {cy:.1}) rotate(-90)" text-anchor="middle" class="chart-label">{y} →</text><text x="{LEGEND_X}" y="{hy:.1}" class="chart-legend">Aantal verhalen</text>"#,
        cx = GRID_X + GRID / 2.0,
        ly = bottom + 40.0,
        x = escape(&clip(x_label, 50)),
        cy = TOP + GRID / 2.0,
        y = escape(&clip(y_label, 48)),
        hy = TOP + 12.0,
    );
    let mut steps = vec![(0, "0".to_string())];
    steps.extend((1..=5).filter_map(|k| {
        shade_range(k, max).map(|(lo, hi)| {
            (
                k,
                if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo}–{hi}")
                },
            )
        })
    }));
    for (i, (k, range)) in steps.iter().enumerate() {
        let y = TOP + 24.0 + 24.0 * i as f64;
        let _ = write!(
            svg,
            r#"<rect x="{LEGEND_X}" y="{y:.1}" width="16" height="16" class="chart-heat chart-heat-{k}"/><text x="{tx}" y="{ty:.1}" class="chart-legend">{range}</text>"#,
            tx = LEGEND_X + 24.0,
            ty = y + 13.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_scaled() {
        let svg = mean_bars(
            "Titel <x>",
            &[
                Bar {
                    label: "<script>",
                    value: 50.0,
                    n: 5,
                },
                Bar {
                    label: "b",
                    value: 100.0,
                    n: 7,
                },
            ],
            "links",
            "rechts",
        );
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains(r#"aria-label="Titel &lt;x&gt;""#));
        assert!(svg.contains(r#"width="170.0""#) && svg.contains(r#"width="340.0""#));
    }

    use crate::analysis::figures::five_numbers;
    use crate::analysis::OptionLabel;

    /// What every chart must have: an accessible name, a title and a description, no NaN or
    /// infinity, and balanced elements.
    fn well_formed(svg: &str) {
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
        assert!(svg.contains(r#"role="img""#) && svg.contains("aria-label="));
        assert!(svg.contains("<title>") && svg.contains("<desc>"));
        for bad in ["NaN", "inf"] {
            assert!(!svg.contains(bad), "{bad} in {svg}");
        }
        for tag in [
            "svg", "g", "text", "title", "desc", "defs", "pattern", "rect",
        ] {
            let opened =
                svg.matches(&format!("<{tag} ")).count() + svg.matches(&format!("<{tag}>")).count();
            let closed = svg.matches(&format!("</{tag}>")).count() + self_closed(svg, tag);
            assert_eq!(opened, closed, "<{tag}> unbalanced in {svg}");
        }
    }

    fn self_closed(svg: &str, tag: &str) -> usize {
        svg.split(&format!("<{tag} "))
            .skip(1)
            .filter(|rest| {
                let end = rest.find('>').unwrap_or(0);
                rest[..end].ends_with('/')
            })
            .count()
    }

    fn group(label: &str, values: &[f64]) -> GroupBox {
        GroupBox {
            options: vec![label.to_lowercase()],
            label: label.to_string(),
            five: five_numbers(values).unwrap_or_else(|| panic!("no values")),
        }
    }

    #[test]
    fn box_plots_place_quartiles_on_the_scale_and_escape_labels() {
        let boxes = [
            group("<b>Jeugd & \"zorg\"</b>", &[0.0, 25.0, 50.0, 75.0, 100.0]),
            group("Andere", &[40.0, 60.0]),
        ];
        let svg = box_plots("Titel <x>", &boxes, "<links>", "rechts & zo");
        well_formed(&svg);
        assert!(svg.contains("&lt;b&gt;Jeugd &amp; &quot;zorg&quot;&lt;/b&gt;"));
        assert!(!svg.contains("<b>") && !svg.contains("<x>") && !svg.contains("<links>"));
        assert!(svg.contains("&lt;links&gt;") && svg.contains("rechts &amp; zo"));
        assert!(svg.contains("<title>Titel &lt;x&gt;</title>"));
        // Plot 240–610: Q1 25 at 332.5, Q3 75 at 517.5, median 50 at 425.
        assert!(svg.contains(r#"<rect x="332.5" y="19.0" width="185.0" height="16""#));
        assert!(svg
            .contains(r#"<line x1="425.0" y1="16.0" x2="425.0" y2="38.0" class="chart-median"/>"#));
        assert!(svg.contains(r#"<circle cx="425.0" cy="27.0" r="4" class="chart-mean"/>"#));
        assert!(svg.contains("n = 5") && svg.contains("n = 2"));
        for tick in ["0", "25", "50", "75", "100"] {
            assert!(svg.contains(&format!(r#"class="chart-tick">{tick}</text>"#)));
        }
        // The text alternative carries the figures.
        assert!(svg.contains("Andere (n=2): mediaan 50, middelste helft 45 tot 55"));
    }

    #[test]
    fn box_plots_without_usable_groups_say_so() {
        let empty = box_plots("Leeg", &[], "l", "r");
        well_formed(&empty);
        assert!(empty.contains(NO_DATA));
        let mut broken = group("x", &[1.0]);
        broken.five.mean = f64::NAN;
        let svg = box_plots("Kapot", &[broken, group("goed", &[150.0, -3.0])], "l", "r");
        well_formed(&svg);
        assert!(!svg.contains(">x<"));
        // Out of range: drawn at the edges.
        assert!(svg.contains(r#"x1="240.0" y1="27.0" x2="610.0""#));
    }

    fn labels(prefix: &str, n: usize) -> Vec<OptionLabel> {
        (0..n)
            .map(|i| OptionLabel {
                key: format!("{prefix}{i}"),
                label: format!("{prefix} {i}"),
            })
            .collect()
    }

    #[test]
    fn stacked_bars_split_rows_by_proportion() {
        let mut columns = labels("kolom", 2);
        columns[1].label = "<Nee & zo>".into();
        let table = Crosstab {
            rows: labels("rij", 3),
            columns,
            counts: vec![vec![5, 5], vec![1, 3], vec![0, 0]],
        };
        let svg = stacked_bars("Rij × kolom", &table);
        well_formed(&svg);
        // A 50/50 row: two segments of 185 on a bar of 370.
        assert_eq!(
            svg.matches(r#"y="10.0" width="185.0" height="20.0" class="chart-segment"#)
                .count(),
            2
        );
        assert_eq!(
            svg.matches(r#"class="chart-segment-value">50%<"#).count(),
            2
        );
        // 1 : 3.
        assert!(svg.contains(r#"x="200.0" y="40.0" width="92.5""#));
        assert!(svg.contains(r#"x="292.5" y="40.0" width="277.5""#));
        assert!(svg.contains(">25%<") && svg.contains(">75%<"));
        // The empty row keeps its label, without segments.
        assert!(svg.contains("n = 0") && !svg.contains(r#"y="70.0" width"#));
        // Legend, escaped, and the hatch of the second column.
        assert!(svg.contains("&lt;Nee &amp; zo&gt;") && !svg.contains("<Nee"));
        assert!(svg.contains("<pattern id=\"chart-") && svg.contains("fill=\"url(#chart-"));
        assert!(svg.contains("rij 1 (n=4): kolom 0 25% (1), &lt;Nee &amp; zo&gt; 75% (3)"));
    }

    #[test]
    fn stacked_bars_get_distinct_fills_and_pattern_ids() {
        let table = |counts: u64| Crosstab {
            rows: labels("r", 1),
            columns: labels("c", 10),
            counts: vec![vec![counts; 10]],
        };
        let a = stacked_bars("A", &table(1));
        let b = stacked_bars("A", &table(2));
        well_formed(&a);
        let ids = |svg: &str| -> Vec<String> {
            svg.split("<pattern id=\"")
                .skip(1)
                .map(|rest| rest.split('"').next().unwrap_or("").to_string())
                .collect()
        };
        let (ia, ib) = (ids(&a), ids(&b));
        // Column 0 is plain; the others (including 8 and 9, whose fills repeat) are hatched.
        assert_eq!(ia.len(), 9);
        assert!(ia.iter().all(|id| !ib.contains(id)));
        assert_eq!(a, stacked_bars("A", &table(1)));
        let pairs: Vec<(usize, usize)> = (0..64).map(fill_and_hatch).collect();
        for (i, p) in pairs.iter().enumerate() {
            assert!(!pairs[..i].contains(p), "column {i} repeats {p:?}");
        }
    }

    #[test]
    fn stacked_bars_without_stories_say_so() {
        let empty = Crosstab {
            rows: Vec::new(),
            columns: Vec::new(),
            counts: Vec::new(),
        };
        let svg = stacked_bars("Leeg", &empty);
        well_formed(&svg);
        assert!(svg.contains(NO_DATA));
        let zeros = Crosstab {
            rows: labels("r", 2),
            columns: labels("c", 2),
            counts: vec![vec![0, 0]],
        };
        assert!(stacked_bars("Nul", &zeros).contains(NO_DATA));
    }

    fn grid(bins: usize, counts: Vec<Vec<u64>>) -> Density {
        Density {
            bins,
            n: counts.iter().flatten().sum(),
            counts,
            x_range: (0.0, 100.0),
            y_range: (0.0, 100.0),
        }
    }

    #[test]
    fn density_grid_shades_and_counts_cells() {
        let d = grid(2, vec![vec![10, 0], vec![3, 1]]);
        let svg = density_grid("Dichtheid", &d, "Veilig <thuis>", "Gehoord & gezien");
        well_formed(&svg);
        assert!(svg.contains("Veilig &lt;thuis&gt;") && svg.contains("Gehoord &amp; gezien"));
        assert!(!svg.contains("<thuis>"));
        // Row 0 (low y) at the bottom: the 10 is the bottom-left cell, darkest.
        assert!(svg.contains(
            r#"<rect x="90.0" y="190.0" width="180.0" height="180.0" class="chart-heat chart-heat-5">"#
        ));
        assert!(svg.contains(r#"class="chart-heat-value chart-heat-value-on-dark">10<"#));
        assert!(svg.contains(
            r#"y="190.0" width="180.0" height="180.0" class="chart-heat chart-heat-0">"#
        ));
        assert!(svg.contains(r#"class="chart-heat chart-heat-2">"#));
        assert!(svg.contains(r#"class="chart-heat chart-heat-1">"#));
        assert!(svg.contains(">3<") && svg.contains(">1<"));
        // Legend of the five steps for a maximum of 10.
        for range in ["1–2", "3–4", "5–6", "7–8", "9–10"] {
            assert!(svg.contains(&format!(">{range}<")), "{range}");
        }
        assert!(svg.contains(
            "Drukste vakken: Veilig &lt;thuis&gt; 0–50 en Gehoord &amp; gezien 0–50: 10"
        ));
    }

    #[test]
    fn density_grid_prints_counts_only_in_small_grids() {
        let big = grid(11, vec![vec![1; 11]; 11]);
        let svg = density_grid("Groot", &big, "x", "y");
        well_formed(&svg);
        assert!(!svg.contains("chart-heat-value"));
        assert_eq!(
            svg.matches("chart-heat chart-heat-5\"><title>").count(),
            121
        );
        let small = grid(10, vec![vec![1; 10]; 10]);
        assert_eq!(
            density_grid("Klein", &small, "x", "y")
                .matches("class=\"chart-heat-value chart-heat-value-on-dark\">1<")
                .count(),
            100
        );
    }

    #[test]
    fn density_grid_without_data_or_with_odd_ranges_is_safe() {
        for empty in [
            grid(3, Vec::new()),
            grid(3, vec![vec![0; 3]; 3]),
            grid(1, vec![vec![]]),
        ] {
            let svg = density_grid("Leeg", &empty, "x", "y");
            well_formed(&svg);
            assert!(svg.contains(NO_DATA));
        }
        let mut odd = grid(2, vec![vec![1, 2], vec![3]]);
        odd.x_range = (f64::NAN, f64::INFINITY);
        let svg = density_grid("Vreemd", &odd, "x", "y");
        well_formed(&svg);
        assert_eq!(
            (shade(0, 4), shade(1, 4), shade(4, 4), shade(3, 0)),
            (0, 2, 5, 0)
        );
        assert_eq!(shade_range(1, 3), None);
        assert_eq!(shade_range(2, 3), Some((1, 1)));
    }
}
