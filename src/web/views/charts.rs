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
    // Labels wrap over two lines (shortened with "…" beyond that); rows grow when one does.
    let labels: Vec<Vec<String>> = bars
        .iter()
        .map(|b| wrap_label(b.label, ((LABEL - 8.0) / CHART_CHAR) as usize, 2))
        .collect();
    let row = if labels.iter().any(|l| l.len() > 1) {
        ROW + 12.0
    } else {
        ROW
    };
    let half = ((plot / 2.0 - 8.0) / CHART_CHAR) as usize;
    let left_lines = wrap_label(&format!("0 · {left}"), half, 2);
    let right_lines = wrap_label(&format!("{right} · 100"), half, 2);
    let poles = 16.0 * left_lines.len().max(right_lines.len()) as f64;
    let height = row * bars.len() as f64 + 28.0 + poles;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = escape(title)
    );
    for (i, (bar, label)) in bars.iter().zip(&labels).enumerate() {
        let y = row * i as f64 + 8.0 + (row - ROW) / 2.0;
        let w = plot * bar.value.clamp(0.0, 100.0) / 100.0;
        let value = crate::analysis::numbers::decimal(bar.value, 0);
        let n = crate::analysis::numbers::count(bar.n);
        let _ = write!(
            svg,
            r#"<g><title>{full}: {value} (n = {n})</title>{label}<rect x="{LABEL}" y="{y}" width="{w:.1}" height="18" class="chart-bar"/><text x="{vx:.1}" y="{ty}" class="chart-value">{value} (n = {n})</text></g>"#,
            full = escape(bar.label),
            label = spaced_lines(
                LABEL - 8.0,
                y + 14.0 - 7.5 * label.len().saturating_sub(1) as f64,
                "end",
                "chart-label",
                label,
                15.0
            ),
            ty = y + 14.0,
            vx = LABEL + w + 6.0,
        );
    }
    let axis = row * bars.len() as f64 + 12.0;
    let _ = write!(
        svg,
        r#"<line x1="{LABEL}" y1="{axis}" x2="{end}" y2="{axis}" class="chart-axis"/><g><title>0: {left_full}</title>{l}</g><g><title>100: {right_full}</title>{r}</g></svg>"#,
        end = LABEL + plot,
        left_full = escape(left),
        right_full = escape(right),
        l = spaced_lines(LABEL, axis + 22.0, "start", "chart-pole", &left_lines, 16.0),
        r = spaced_lines(
            LABEL + plot,
            axis + 22.0,
            "end",
            "chart-pole",
            &right_lines,
            16.0
        ),
    );
    svg
}

/// One bar of [`count_bars`].
pub struct CountBar<'a> {
    pub label: &'a str,
    pub count: u64,
    /// What the bar's share is a part of (e.g. the stories that answered); `None`: no share.
    pub of: Option<u64>,
    /// Not an answer (e.g. "geen antwoord"): drawn as a dashed outline, its label in italics,
    /// so that it stands apart without relying on colour.
    pub apart: bool,
}

/// Horizontal bars of counts (scaled to the largest shown), e.g. stories per role or per
/// option, each with its count and share. Labels never break off mid-word: when every label is
/// short they stand beside the bars, otherwise above them on up to two lines, ending in "…"
/// when even that is too short; every row carries its full label in a `<title>`.
/// Counts from 1 to below `k` are drawn without a bar and read "< k" (small-cell protection,
/// `domain::smallcell`); `k` = 0 shows every count.
pub fn count_bars(title: &str, bars: &[CountBar<'_>], k: u32) -> String {
    const BESIDE_CHARS: usize = 14;
    const ROW_BESIDE: f64 = 24.0;
    let shown = |count: u64| k == 0 || crate::domain::smallcell::count_is_safe(count as usize, k);
    let max = bars
        .iter()
        .filter(|b| shown(b.count))
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let values: Vec<String> = bars
        .iter()
        .map(|b| dash_value(b.count, b.of, k, shown(b.count)))
        .collect();
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let beside = longest <= BESIDE_CHARS;
    // Where each row starts, its label lines, and where its bar goes.
    let (label_x, plot_x) = if beside {
        let x = DASH_PAD + DASH_CHAR * longest.max(3) as f64;
        (x, x + 8.0)
    } else {
        (DASH_PAD, DASH_PAD)
    };
    let plot = DASH_WIDTH - plot_x - DASH_VALUE - DASH_PAD;
    let per_line = ((DASH_WIDTH - 2.0 * DASH_PAD) / DASH_CHAR) as usize;
    let mut rows = Vec::with_capacity(bars.len());
    let mut y = 6.0;
    for bar in bars {
        let lines = if beside {
            vec![bar.label.to_string()]
        } else {
            wrap_label(bar.label, per_line, 2)
        };
        let bar_y = if beside {
            y + 2.0
        } else {
            y + DASH_LINE * lines.len() as f64 + 2.0
        };
        rows.push((y, lines, bar_y));
        y = if beside {
            y + ROW_BESIDE
        } else {
            bar_y + DASH_BAR + 12.0
        };
    }
    let height = y + 2.0;
    let desc: Vec<String> = bars
        .iter()
        .zip(&values)
        .map(|(b, v)| format!("{}: {v}", b.label))
        .collect();
    let mut svg = dash_open(title, &format!("{}.", desc.join("; ")), height);
    for ((bar, value), (y, lines, bar_y)) in bars.iter().zip(&values).zip(&rows) {
        let w = if shown(bar.count) {
            plot * bar.count as f64 / max
        } else {
            0.0
        };
        let apart = if bar.apart { " chart-dash-apart" } else { "" };
        let _ = write!(
            svg,
            "<g><title>{}: {}</title>",
            escape(bar.label),
            escape(value)
        );
        for (i, line) in lines.iter().enumerate() {
            let (x, ty, anchor) = if beside {
                (label_x, bar_y + 13.0, "end")
            } else {
                (label_x, y + 12.0 + DASH_LINE * i as f64, "start")
            };
            let _ = write!(
                svg,
                r#"<text x="{x:.1}" y="{ty:.1}" text-anchor="{anchor}" class="chart-label{apart}">{}</text>"#,
                escape(line)
            );
        }
        if w > 0.0 {
            let _ = write!(
                svg,
                r#"<rect x="{plot_x:.1}" y="{bar_y:.1}" width="{w:.1}" height="{DASH_BAR}" class="chart-bar{apart}"/>"#
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{vx:.1}" y="{vy:.1}" class="chart-value">{}</text></g>"#,
            escape(value),
            vx = plot_x + w + 6.0,
            vy = bar_y + 12.5,
        );
    }
    svg.push_str("</svg>");
    svg
}

// ---------- Charts of the dashboard: helpers and the slider histogram ----------
//
// The dashboard shows its charts in cards of about 20–30rem, so they are drawn 360 units wide:
// 13-unit labels then show at about 12px on a phone and 15px in a card on a wide screen.
// Widths of text are estimated generously from the number of characters.

const DASH_WIDTH: f64 = 360.0;
const DASH_PAD: f64 = 6.0;
/// Room right of the longest bar for its count and share ("12.345 · 100%").
const DASH_VALUE: f64 = 100.0;
/// Estimated width of one character of a label.
const DASH_CHAR: f64 = 7.4;
/// The same for a slider's ends: fewer capitals and wide letters than in answer labels.
const DASH_POLE_CHAR: f64 = 6.8;
const DASH_LINE: f64 = 16.0;
const DASH_BAR: f64 = 16.0;

/// The opening of a dashboard chart: `<svg>` with its accessible name, `<title>` and `<desc>`.
fn dash_open(title: &str, desc: &str, height: f64) -> String {
    let title = escape(title);
    format!(
        r#"<svg class="chart chart-dash" viewBox="0 0 {DASH_WIDTH} {height:.0}" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title><desc>{desc}</desc>"#,
        desc = escape(desc),
    )
}

/// A count as a bar shows it: "1.234 · 45%" (the share when `of` is given), or "< k".
fn dash_value(count: u64, of: Option<u64>, k: u32, shown: bool) -> String {
    use crate::analysis::numbers;
    if !shown {
        return crate::domain::smallcell::shown_count(count as usize, k);
    }
    match of.filter(|&of| of > 0) {
        Some(of) => format!(
            "{} · {}%",
            numbers::count(count),
            numbers::decimal(100.0 * count as f64 / of as f64, 0)
        ),
        None => numbers::count(count),
    }
}

/// A histogram of a slider's answers: one column per bin of the 0–100 scale (`bins` in order,
/// usually ten), an optional column apart for "weet ik niet", and under the axis the slider's
/// two ends, each on its own side and wrapped so that they never meet. Counts from 1 to below
/// `k` get no column and read "< k"; every column has a `<title>` with its figures.
pub fn slider_histogram(
    title: &str,
    bins: &[u64],
    not_applicable: Option<u64>,
    left: &str,
    right: &str,
    k: u32,
) -> String {
    use crate::analysis::numbers;
    const TOP: f64 = 20.0;
    const PLOT_H: f64 = 110.0;
    const NA_GAP: f64 = 18.0;
    const NA_W: f64 = 44.0;
    let shown = |count: u64| k == 0 || crate::domain::smallcell::count_is_safe(count as usize, k);
    let n = bins.len().max(1);
    let x0 = DASH_PAD;
    let plot = DASH_WIDTH
        - 2.0 * DASH_PAD
        - if not_applicable.is_some() {
            NA_GAP + NA_W
        } else {
            0.0
        };
    let bw = plot / n as f64;
    let axis = TOP + PLOT_H;
    let max = bins
        .iter()
        .chain(not_applicable.iter())
        .filter(|&&c| shown(c))
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let bin_label = |i: usize| {
        let low = 100 * i / n;
        let high = if i + 1 == n {
            100
        } else {
            100 * (i + 1) / n - 1
        };
        format!("{low}–{high}")
    };
    let value = |c: u64| {
        if shown(c) {
            numbers::count(c)
        } else {
            crate::domain::smallcell::shown_count(c as usize, k)
        }
    };
    // Counts above the columns only when the widest fits its column.
    let counts_fit = bins
        .iter()
        .chain(not_applicable.iter())
        .all(|&c| value(c).chars().count() as f64 * 6.2 <= bw.min(NA_W) - 2.0);
    let mut desc: Vec<String> = (0..bins.len())
        .map(|i| format!("{}: {}", bin_label(i), value(bins[i])))
        .collect();
    if let Some(na) = not_applicable {
        desc.push(format!("weet ik niet: {}", value(na)));
    }
    // Each end on its own half of the axis; the arrows stay on the line next to the scale's end.
    let pole_chars = ((plot / 2.0 - 12.0) / DASH_POLE_CHAR) as usize - 2;
    let mut left_lines = wrap_label(left, pole_chars, 3);
    if let Some(first) = left_lines.first_mut() {
        first.insert_str(0, "← ");
    }
    let mut right_lines = wrap_label(right, pole_chars, 3);
    if let Some(last) = right_lines.last_mut() {
        last.push_str(" →");
    }
    let pole_top = axis + 38.0;
    let height = pole_top + DASH_LINE * left_lines.len().max(right_lines.len()) as f64;
    let mut svg = dash_open(
        title,
        &format!(
            "Aantal antwoorden per stuk van de schaal van 0 ({left}) tot 100 ({right}). {}.",
            desc.join("; ")
        ),
        height,
    );
    let column = |svg: &mut String, x: f64, w: f64, count: u64, name: &str, apart: &str| {
        let h = if shown(count) {
            PLOT_H * count as f64 / max
        } else {
            0.0
        };
        let _ = write!(
            svg,
            "<g><title>{}: {}</title>",
            escape(name),
            escape(&value(count))
        );
        if h > 0.0 {
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" class="chart-bar{apart}"/>"#,
                x = x + 1.5,
                y = axis - h,
                w = w - 3.0,
            );
        }
        if counts_fit || !shown(count) {
            let _ = write!(
                svg,
                r#"<text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" class="chart-value chart-dash-small">{}</text>"#,
                escape(&value(count)),
                cx = x + w / 2.0,
                ty = axis - h - 4.0,
            );
        }
        svg.push_str("</g>");
    };
    for (i, &count) in bins.iter().enumerate() {
        column(&mut svg, x0 + bw * i as f64, bw, count, &bin_label(i), "");
    }
    let end = x0 + plot;
    let _ = write!(
        svg,
        r#"<line x1="{x0}" y1="{axis}" x2="{end:.1}" y2="{axis}" class="chart-axis"/><text x="{x0}" y="{t:.1}" class="chart-tick">0</text><text x="{mid:.1}" y="{t:.1}" text-anchor="middle" class="chart-tick">50</text><text x="{end:.1}" y="{t:.1}" text-anchor="end" class="chart-tick">100</text>"#,
        t = axis + 15.0,
        mid = x0 + plot / 2.0,
    );
    if let Some(na) = not_applicable {
        let x = end + NA_GAP;
        column(&mut svg, x, NA_W, na, "weet ik niet", " chart-dash-apart");
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" y1="{axis}" x2="{e:.1}" y2="{axis}" class="chart-axis"/><text x="{cx:.1}" y="{t1:.1}" text-anchor="middle" class="chart-tick chart-dash-apart">weet ik</text><text x="{cx:.1}" y="{t2:.1}" text-anchor="middle" class="chart-tick chart-dash-apart">niet</text>"#,
            e = x + NA_W,
            cx = x + NA_W / 2.0,
            t1 = axis + 15.0,
            t2 = axis + 28.0,
        );
    }
    for (pole, lines, x, anchor) in [
        (left, &left_lines, x0, "start"),
        (right, &right_lines, end, "end"),
    ] {
        let _ = write!(svg, "<g><title>{}</title>", escape(pole));
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" class="chart-pole">{}</text>"#,
                escape(line),
                y = pole_top + DASH_LINE * i as f64,
            );
        }
        svg.push_str("</g>");
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
/// A generous estimate of the width of one character of 13-unit chart text, in units.
const CHART_CHAR: f64 = 7.4;
/// Characters of a group's label per line, left of the plot of a box plot.
const CHART_LABEL_CHARS: usize = 30;

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
        crate::analysis::numbers::decimal(v.round(), 0)
    } else {
        crate::analysis::numbers::decimal(v, 1)
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
    // Labels wrap over two lines (shortened with "…" beyond that); rows grow when one does.
    let labels: Vec<Vec<String>> = boxes
        .iter()
        .map(|b| wrap_label(&b.label, CHART_LABEL_CHARS, 2))
        .collect();
    let row = if labels.iter().any(|l| l.len() > 1) {
        ROW + 12.0
    } else {
        ROW
    };
    let axis = TOP + row * boxes.len() as f64 + 4.0;
    let half = ((PLOT / 2.0 - 8.0) / CHART_CHAR) as usize;
    let left_lines = wrap_label(&format!("← {left_pole}"), half, 2);
    let right_lines = wrap_label(&format!("{right_pole} →"), half, 2);
    let pole_extra = 16.0 * left_lines.len().max(right_lines.len()).saturating_sub(1) as f64;
    let height = axis + 70.0 + pole_extra;
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
    for (i, ((b, summary), label)) in boxes.iter().zip(&summaries).zip(&labels).enumerate() {
        let f = &b.five;
        let y = TOP + row * i as f64;
        let cy = y + row / 2.0 - 1.0;
        let (lo, hi) = (x(f.min), x(f.max));
        let (q1, q3) = (x(f.q1), x(f.q3));
        let ly = if label.len() > 1 { y + 13.0 } else { y + 14.0 };
        let _ = write!(
            svg,
            r#"<g><title>{summary}</title>{label}<text x="{lx}" y="{ny:.1}" text-anchor="end" class="chart-n">n = {n}</text><line x1="{lo:.1}" y1="{cy:.1}" x2="{hi:.1}" y2="{cy:.1}" class="chart-whisker"/><line x1="{lo:.1}" y1="{c1:.1}" x2="{lo:.1}" y2="{c2:.1}" class="chart-whisker"/><line x1="{hi:.1}" y1="{c1:.1}" x2="{hi:.1}" y2="{c2:.1}" class="chart-whisker"/><rect x="{q1:.1}" y="{by:.1}" width="{bw:.1}" height="16" class="chart-box"/><line x1="{mx:.1}" y1="{m1:.1}" x2="{mx:.1}" y2="{m2:.1}" class="chart-median"/><circle cx="{ax:.1}" cy="{cy:.1}" r="4" class="chart-mean"/></g>"#,
            summary = escape(summary),
            label = spaced_lines(LABEL - 10.0, ly, "end", "chart-label", label, 15.0),
            lx = LABEL - 10.0,
            ny = ly + 15.0 * label.len() as f64,
            n = crate::analysis::numbers::count(f.n as u64),
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
    let key = axis + 58.0 + pole_extra;
    let _ = write!(
        svg,
        r#"<line x1="{LABEL}" y1="{axis:.1}" x2="{end}" y2="{axis:.1}" class="chart-axis"/><g><title>0: {left_full}</title>{left}</g><g><title>100: {right_full}</title>{right}</g><circle cx="14" cy="{kc:.1}" r="4" class="chart-mean"/><text x="24" y="{key:.1}" class="chart-key">gemiddelde · dikke streep: mediaan · doos: middelste helft van de antwoorden · lijn: laagste tot hoogste</text></svg>"#,
        end = LABEL + PLOT,
        left = spaced_lines(LABEL, axis + 36.0, "start", "chart-pole", &left_lines, 16.0),
        right = spaced_lines(
            LABEL + PLOT,
            axis + 36.0,
            "end",
            "chart-pole",
            &right_lines,
            16.0
        ),
        left_full = escape(left_pole),
        right_full = escape(right_pole),
        kc = key - 4.0,
    );
    svg
}

// ---------- The observation card's chart ----------
//
// The same figures as the printed card (`pdf::card`), drawn for the web card: 560 units wide
// with text of 13.5–15 units, so that printed in half of an A4 page its text stays at about
// 9–10 pt. Labels wrap over at most two lines and are shortened with "…" after a whole word
// where needed; every bar, cell and label carries its full text in a `<title>`, and the page
// shows the same figures as a table. A slider's two ends stand at the two ends of its axis,
// each wrapped within its own half, so they never overlap.

const CARD_W: f64 = 560.0;
/// A generous estimate of the width of one character of 15-unit card text, in units.
const CARD_CHAR: f64 = 8.6;
/// The same for the 13.5-unit small text.
const CARD_SMALL_CHAR: f64 = 7.8;
const CARD_LINE: f64 = 18.0;

/// `text` in lines of at most `max_chars` characters, at most `max_lines` of them. When it
/// needs more, the last line ends in "…" after the last whole word that fits; a word longer
/// than a line is cut and marked with "…".
pub fn wrap_label(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let max_chars = max_chars.max(2);
    let max_lines = max_lines.max(1);
    let mut lines: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut length = 0;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if !current.is_empty() && length + 1 + w > max_chars {
            lines.push(std::mem::take(&mut current));
            length = 0;
        }
        length += if current.is_empty() { w } else { w + 1 };
        current.push(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i + 1 == max_lines && lines.len() > max_lines {
            let rest: Vec<&str> = lines[i..].iter().flatten().copied().collect();
            let fitting = (1..=rest.len())
                .rev()
                .map(|k| format!("{}…", rest[..k].join(" ")))
                .find(|c| c.chars().count() <= max_chars);
            // Not even the first word fits with its mark: cut it, and mark the cut.
            out.push(fitting.unwrap_or_else(|| {
                let mut cut: String = rest[0].chars().take(max_chars - 1).collect();
                cut.push('…');
                cut
            }));
            break;
        }
        out.push(clip(&line.join(" "), max_chars));
    }
    out
}

/// A group's label in at most two lines. A cell of two answers ("A · B") that does not fit
/// gets a line per answer, each shortened on its own, so both stay readable.
fn card_label(label: &str, max_chars: usize) -> Vec<String> {
    let whole = wrap_label(label, max_chars, 3);
    if whole.len() <= 2 {
        return whole;
    }
    match label.split_once(" · ") {
        Some((first, second)) => {
            let mut lines = wrap_label(first, max_chars, 1);
            lines.extend(wrap_label(&format!("· {second}"), max_chars, 1));
            lines
        }
        None => wrap_label(label, max_chars, 2),
    }
}

/// Lines of card text as one `<text>` with a `<tspan>` per line; `y` is the first baseline.
fn text_lines(x: f64, y: f64, anchor: &str, class: &str, lines: &[String]) -> String {
    spaced_lines(x, y, anchor, class, lines, CARD_LINE)
}

/// Lines of text as one `<text>` with a `<tspan>` per line, `line` units apart; `y` is the
/// first baseline.
fn spaced_lines(x: f64, y: f64, anchor: &str, class: &str, lines: &[String], line: f64) -> String {
    let mut svg = format!(r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" class="{class}">"#);
    for (i, text) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { line };
        let _ = write!(
            svg,
            r#"<tspan x="{x:.1}" dy="{dy}">{}</tspan>"#,
            escape(text)
        );
    }
    svg.push_str("</text>");
    svg
}

/// The chart of an observation card, of the kind the printed card draws.
pub fn card_chart(title: &str, chart: &crate::pdf::CardChart) -> String {
    use crate::pdf::CardChart;
    match chart {
        CardChart::Bands { rows, poles } => card_share_bars(title, rows, None, Some(poles)),
        CardChart::Shares {
            rows,
            columns,
            question,
        } => card_share_bars(title, rows, Some((columns, question)), None),
        CardChart::Grid { counts, x, y } => card_grid(title, counts, x, y),
        CardChart::Means { rows, poles } => card_means(title, rows, poles),
        CardChart::Cells { rows } => card_cells(title, rows),
    }
}

/// The ends of a slider under its axis from `x` to `x + width`: the left end from the left,
/// the right end from the right, each within its own half. Returns the SVG and its height.
fn card_poles(poles: &crate::pdf::Poles, x: f64, width: f64, top: f64) -> (String, f64) {
    let chars = ((width / 2.0 - 8.0) / CARD_CHAR) as usize;
    let left = wrap_label(&format!("← {}", poles.left), chars, 3);
    let right = wrap_label(&format!("{} →", poles.right), chars, 3);
    let baseline = top + 14.0;
    let svg = format!(
        "<g><title>0: {}</title>{}</g><g><title>100: {}</title>{}</g>",
        escape(&poles.left),
        text_lines(x, baseline, "start", "chart-card-pole", &left),
        escape(&poles.right),
        text_lines(x + width, baseline, "end", "chart-card-pole", &right)
    );
    (svg, left.len().max(right.len()) as f64 * CARD_LINE + 4.0)
}

/// Bars split into shares: a slider's bands (legend of the bands, the slider's ends under
/// them) or the answers to a second question (a legend of the answers).
fn card_share_bars(
    title: &str,
    rows: &[crate::pdf::ShareRow],
    answers: Option<(&[String], &str)>,
    poles: Option<&crate::pdf::Poles>,
) -> String {
    use crate::pdf::card::{band_label, band_step, percent};
    const INFO_W: f64 = 78.0;
    const TOP: f64 = 8.0;
    let categories = rows.iter().map(|r| r.counts.len()).max().unwrap_or(0);
    // Closer together when there are many, so that a printed card keeps to one page.
    let (pitch, bar) = if rows.len() > 5 {
        (40.0, 26.0)
    } else {
        (50.0, 30.0)
    };
    if categories == 0 || rows.iter().all(|r| r.n() == 0) {
        return no_data(title);
    }
    let columns = answers.map(|(names, _)| names);
    // The labels get the room they need to be read whole, up to 200 units.
    let label_w = [156.0, 180.0, 200.0]
        .into_iter()
        .find(|&width| {
            rows.iter().all(|r| {
                !card_label(&r.label, (width / CARD_CHAR) as usize)
                    .concat()
                    .contains('…')
            })
        })
        .unwrap_or(200.0);
    let bar_x = label_w + 10.0;
    let bar_w = CARD_W - bar_x - 10.0 - INFO_W;
    let name = |j: usize| match columns {
        Some(names) => names.get(j).cloned().unwrap_or_default(),
        None => band_label(j, categories),
    };
    let fill = |j: usize| match columns {
        Some(_) => (format!("chart-fill-{}", j % 8), j.is_multiple_of(2)),
        None => {
            let step = band_step(j, categories);
            (format!("chart-card-band-{step}"), step == 0 || step == 4)
        }
    };
    // The legend: a slider's bands spread under the bars (when they fit there), answers
    // flowing over lines.
    let slot = bar_w / categories as f64;
    let spread = columns.is_none()
        && (0..categories)
            .all(|j| 20.0 + CARD_SMALL_CHAR * name(j).chars().count() as f64 + 4.0 <= slot);
    let mut legend = Vec::new();
    let (mut lx, mut line) = (10.0, 0usize);
    for j in 0..categories {
        match spread {
            true => legend.push((j, bar_x + slot * j as f64, 0, name(j))),
            false => {
                let label = clip(&name(j), 26);
                let width = 20.0 + CARD_SMALL_CHAR * label.chars().count() as f64 + 14.0;
                if lx > 10.0 && lx + width > CARD_W - 10.0 {
                    lx = 10.0;
                    line += 1;
                }
                legend.push((j, lx, line, label));
                lx += width;
            }
        }
    }
    let legend_title = answers.map_or(Vec::new(), |(_, question)| {
        wrap_label(
            &format!("{question}:"),
            ((CARD_W - 20.0) / CARD_SMALL_CHAR) as usize,
            1,
        )
    });
    let legend_title_top = TOP + pitch * rows.len() as f64 + 8.0;
    let legend_top = legend_title_top + 20.0 * legend_title.len() as f64;
    let legend_h = 22.0 * (line + 1) as f64;
    let (poles_svg, poles_h) = poles.map_or((String::new(), 0.0), |p| {
        card_poles(p, bar_x, bar_w, legend_top + legend_h)
    });
    let height = legend_top + legend_h + poles_h + 8.0;
    let described: Vec<String> = rows
        .iter()
        .map(|r| {
            let parts: Vec<String> = r
                .counts
                .iter()
                .enumerate()
                .map(|(j, &c)| format!("{} {}", name(j), percent(c, r.n())))
                .collect();
            format!(
                "{} ({}): {}",
                r.label,
                crate::analysis::numbers::counted(r.n(), "verhaal", "verhalen"),
                parts.join(", ")
            )
        })
        .collect();
    let desc = match poles {
        Some(p) => format!(
            "Per groep het deel van de verhalen in elk stuk van de schuif, van 0 ({}) tot 100 ({}). {}.",
            p.left,
            p.right,
            described.join("; ")
        ),
        None => format!(
            "Per groep het deel van de verhalen met elk antwoord. {}.",
            described.join("; ")
        ),
    };
    let mut svg = open("chart-card chart-card-bars", height, title, &desc);
    let label_chars = (label_w / CARD_CHAR) as usize;
    for (i, (row, summary)) in rows.iter().zip(&described).enumerate() {
        let n = row.n();
        let top = TOP + pitch * i as f64;
        let bar_top = top + (pitch - bar) / 2.0;
        let centre = bar_top + bar / 2.0;
        let label = card_label(&row.label, label_chars);
        let first = centre + 5.0 - label.len().saturating_sub(1) as f64 * CARD_LINE / 2.0;
        let _ = write!(
            svg,
            r#"<g><title>{}</title>{}<rect x="{bar_x:.1}" y="{bar_top:.1}" width="{bar_w:.1}" height="{bar}" class="chart-card-track"/>"#,
            escape(summary),
            text_lines(bar_x - 10.0, first, "end", "chart-card-label", &label),
        );
        let mut before = 0u64;
        for (j, &count) in row.counts.iter().enumerate() {
            if count == 0 || n == 0 {
                continue;
            }
            let x0 = bar_x + bar_w * before as f64 / n as f64;
            before += count;
            let x1 = bar_x + bar_w * before as f64 / n as f64;
            let (class, dark) = fill(j);
            let _ = write!(
                svg,
                r#"<rect x="{x0:.1}" y="{bar_top:.1}" width="{w:.1}" height="{bar}" class="chart-segment {class}"/>"#,
                w = x1 - x0,
            );
            let share = percent(count, n);
            if x1 - x0 >= share.chars().count() as f64 * CARD_SMALL_CHAR + 6.0 {
                let _ = write!(
                    svg,
                    r#"<text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" class="chart-card-value{on_dark}">{share}</text>"#,
                    cx = (x0 + x1) / 2.0,
                    ty = centre + 5.0,
                    on_dark = if dark {
                        " chart-card-value-on-dark"
                    } else {
                        ""
                    },
                );
            }
        }
        let info_x = bar_x + bar_w + 10.0;
        let n_text = format!("n = {}", crate::analysis::numbers::count(n));
        match row.mean {
            Some(mean) => {
                let _ = write!(
                    svg,
                    r#"<text x="{info_x:.1}" y="{a:.1}" class="chart-card-small">{n_text}</text><text x="{info_x:.1}" y="{b:.1}" class="chart-card-small chart-card-muted">gem. {m}</text>"#,
                    a = centre - 2.0,
                    b = centre + 14.0,
                    m = crate::analysis::numbers::decimal(mean, 0),
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r#"<text x="{info_x:.1}" y="{y:.1}" class="chart-card-small">{n_text}</text>"#,
                    y = centre + 5.0,
                );
            }
        }
        svg.push_str("</g>");
    }
    if !legend_title.is_empty() {
        svg.push_str(&text_lines(
            10.0,
            legend_title_top + 12.0,
            "start",
            "chart-card-small chart-card-pole",
            &legend_title,
        ));
    }
    for (j, x, line, label) in &legend {
        let y = legend_top + 22.0 * *line as f64;
        let (class, _) = fill(*j);
        let _ = write!(
            svg,
            r#"<g><title>{full}</title><rect x="{x:.1}" y="{y:.1}" width="14" height="14" class="chart-segment {class}"/><rect x="{x:.1}" y="{y:.1}" width="14" height="14" class="chart-swatch"/><text x="{tx:.1}" y="{ty:.1}" class="chart-card-small">{label}</text></g>"#,
            full = escape(&name(*j)),
            tx = x + 20.0,
            ty = y + 12.0,
            label = escape(label),
        );
    }
    svg.push_str(&poles_svg);
    svg.push_str("</svg>");
    svg
}

/// Two sliders: stories per cell of the grid, shaded in five steps, with both sliders' ends
/// at the ends of their axes.
fn card_grid(
    title: &str,
    counts: &[Vec<u64>],
    x: &crate::pdf::Axis,
    y: &crate::pdf::Axis,
) -> String {
    use crate::pdf::card::band_label;
    const SIDE: f64 = 150.0;
    let rows = counts.len();
    let cols = counts.iter().map(Vec::len).max().unwrap_or(0);
    let max = counts.iter().flatten().copied().max().unwrap_or(0);
    if rows == 0 || cols == 0 || max == 0 {
        return no_data(title);
    }
    let count = |r: usize, c: usize| {
        counts
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(0)
    };
    let grid_x = SIDE + 10.0;
    let cell = ((CARD_W - grid_x - 10.0) / cols as f64).min(64.0);
    let (grid_w, grid_h) = (cell * cols as f64, cell * rows as f64);
    let y_title = wrap_label(
        &format!("↑ {}", y.question),
        ((CARD_W - 20.0) / CARD_CHAR) as usize,
        2,
    );
    let top = 8.0 + CARD_LINE * y_title.len() as f64 + 8.0;
    let bottom = top + grid_h;
    // The x slider's ends under the grid (under a narrow grid, over the width of the chart).
    let (x_poles, poles_h) = card_poles(
        &x.poles,
        grid_x,
        grid_w.max(CARD_W - grid_x - 10.0).min(grid_w.max(240.0)),
        bottom + 6.0,
    );
    let x_title = wrap_label(
        &format!("{} →", x.question),
        ((CARD_W - grid_x - 10.0) / CARD_CHAR) as usize,
        2,
    );
    let x_title_top = bottom + 6.0 + poles_h;
    let key_y = x_title_top + 14.0 + CARD_LINE * x_title.len().saturating_sub(1) as f64 + 22.0;
    let height = key_y + 12.0;
    let mut fullest: Vec<(u64, usize, usize)> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| (count(r, c), r, c))
        .filter(|cell| cell.0 > 0)
        .collect();
    fullest.sort_by_key(|cell| std::cmp::Reverse(cell.0));
    let place = |r: usize, c: usize| {
        format!(
            "{} {} en {} {}",
            x.question,
            band_label(c, cols),
            y.question,
            band_label(r, rows)
        )
    };
    let desc = format!(
        "Aantal verhalen per vak. Van links naar rechts: {} (van {} tot {}); van onder naar boven: {} (van {} tot {}). Drukste vakken: {}.",
        x.question,
        x.poles.left,
        x.poles.right,
        y.question,
        y.poles.left,
        y.poles.right,
        fullest
            .iter()
            .take(5)
            .map(|&(n, r, c)| format!("{}: {n}", place(r, c)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let mut svg = open("chart-card chart-card-grid", height, title, &desc);
    svg.push_str(&text_lines(
        10.0,
        8.0 + 14.0,
        "start",
        "chart-card-pole",
        &y_title,
    ));
    for r in 0..rows {
        let cy = top + cell * (rows - 1 - r) as f64;
        for c in 0..cols {
            let n = count(r, c);
            let step = shade(n, max);
            let cx = grid_x + cell * c as f64;
            let _ = write!(
                svg,
                r#"<g><title>{label}: {n}</title><rect x="{cx:.1}" y="{cy:.1}" width="{cell:.1}" height="{cell:.1}" class="chart-heat chart-heat-{step}"/>"#,
                label = escape(&place(r, c)),
            );
            if n > 0 {
                let _ = write!(
                    svg,
                    r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle" class="chart-card-label{dark}">{n}</text>"#,
                    tx = cx + cell / 2.0,
                    ty = cy + cell / 2.0 + 5.0,
                    dark = if step >= 4 {
                        " chart-card-value-on-dark"
                    } else {
                        ""
                    },
                );
            }
            svg.push_str("</g>");
        }
    }
    let side_chars = ((SIDE - 8.0) / CARD_CHAR) as usize;
    let high = wrap_label(&y.poles.right, side_chars, 3);
    let low = wrap_label(&y.poles.left, side_chars, 3);
    let _ = write!(
        svg,
        r#"<rect x="{grid_x:.1}" y="{top:.1}" width="{grid_w:.1}" height="{grid_h:.1}" class="chart-frame"/>{}{}{}{}<text x="{grid_x:.1}" y="{key_y:.1}" class="chart-card-small chart-card-muted">Getal in een vak: aantal verhalen; donkerder is meer.</text></svg>"#,
        text_lines(grid_x - 8.0, top + 14.0, "end", "chart-card-pole", &high),
        text_lines(
            grid_x - 8.0,
            bottom - 4.0 - CARD_LINE * low.len().saturating_sub(1) as f64,
            "end",
            "chart-card-pole",
            &low
        ),
        x_poles,
        text_lines(
            grid_x,
            x_title_top + 14.0,
            "start",
            "chart-card-pole",
            &x_title
        ),
    );
    svg
}

/// Each group's mean as a dot on the 0–100 scale (figures kept before cards drew
/// distributions).
fn card_means(title: &str, rows: &[(String, u64, f64)], poles: &crate::pdf::Poles) -> String {
    const LABEL_W: f64 = 156.0;
    const PITCH: f64 = 44.0;
    let rows: Vec<&(String, u64, f64)> = rows.iter().filter(|r| r.2.is_finite()).collect();
    if rows.is_empty() {
        return no_data(title);
    }
    let line_x = LABEL_W + 10.0;
    let line_w = CARD_W - line_x - 10.0 - 140.0;
    let axis = 8.0 + PITCH * rows.len() as f64;
    let (poles_svg, poles_h) = card_poles(poles, line_x, line_w, axis + 18.0);
    let height = axis + 18.0 + poles_h + 8.0;
    let described: Vec<String> = rows
        .iter()
        .map(|(label, n, mean)| {
            format!(
                "{label} ({}): gemiddeld {}",
                crate::analysis::numbers::counted(*n, "verhaal", "verhalen"),
                crate::analysis::numbers::decimal(*mean, 1)
            )
        })
        .collect();
    let desc = format!(
        "Gemiddelde per groep op de schaal van 0 ({}) tot 100 ({}). {}.",
        poles.left,
        poles.right,
        described.join("; ")
    );
    let mut svg = open("chart-card chart-card-means", height, title, &desc);
    let label_chars = (LABEL_W / CARD_CHAR) as usize;
    for (i, ((label, n, mean), summary)) in rows.iter().zip(&described).enumerate() {
        let centre = 8.0 + PITCH * i as f64 + PITCH / 2.0;
        let lines = card_label(label, label_chars);
        let _ = write!(
            svg,
            r#"<g><title>{}</title>{}<line x1="{line_x:.1}" y1="{centre:.1}" x2="{end:.1}" y2="{centre:.1}" class="chart-grid"/><circle cx="{dot:.1}" cy="{centre:.1}" r="7" class="chart-card-dot"/><text x="{tx:.1}" y="{ty:.1}" class="chart-card-small">gem. {m} (n = {n})</text></g>"#,
            escape(summary),
            text_lines(
                line_x - 10.0,
                centre + 5.0 - lines.len().saturating_sub(1) as f64 * CARD_LINE / 2.0,
                "end",
                "chart-card-label",
                &lines
            ),
            end = line_x + line_w,
            dot = line_x + line_w * mean.clamp(0.0, 100.0) / 100.0,
            tx = line_x + line_w + 12.0,
            ty = centre + 5.0,
            m = crate::analysis::numbers::decimal(*mean, 0),
            n = crate::analysis::numbers::count(*n),
        );
    }
    let _ = write!(
        svg,
        r#"<line x1="{line_x:.1}" y1="{axis:.1}" x2="{end:.1}" y2="{axis:.1}" class="chart-axis"/><text x="{line_x:.1}" y="{t:.1}" class="chart-card-small chart-card-muted">0</text><text x="{end:.1}" y="{t:.1}" text-anchor="end" class="chart-card-small chart-card-muted">100</text>{poles_svg}</svg>"#,
        end = line_x + line_w,
        t = axis + 15.0,
    );
    svg
}

/// The combinations that deviate most: stories seen against expected (figures kept before
/// cards drew the whole table).
fn card_cells(title: &str, rows: &[(String, u64, f64)]) -> String {
    const PITCH: f64 = 58.0;
    let max = rows
        .iter()
        .map(|(_, seen, expected)| (*seen as f64).max(*expected))
        .fold(0.0, f64::max);
    if rows.is_empty() || max <= 0.0 || !max.is_finite() {
        return no_data(title);
    }
    let bar_w = CARD_W - 20.0 - 200.0;
    let height = 8.0 + PITCH * rows.len() as f64 + 8.0;
    let described: Vec<String> = rows
        .iter()
        .map(|(label, seen, expected)| {
            format!(
                "{label}: {} gezien, {} verwacht",
                crate::analysis::numbers::count(*seen),
                crate::analysis::numbers::decimal(*expected, 1)
            )
        })
        .collect();
    let mut svg = open(
        "chart-card chart-card-cells",
        height,
        title,
        &format!("{}.", described.join("; ")),
    );
    for (i, ((label, seen, expected), summary)) in rows.iter().zip(&described).enumerate() {
        let top = 8.0 + PITCH * i as f64;
        let scale = bar_w / max;
        let _ = write!(
            svg,
            r#"<g><title>{}</title>{}<rect x="10" y="{a:.1}" width="{ws:.1}" height="12" class="chart-card-seen"/><rect x="10" y="{b:.1}" width="{we:.1}" height="12" class="chart-card-expected"/><text x="{tx:.1}" y="{ty:.1}" class="chart-card-small">{s} gezien, {e} verwacht</text></g>"#,
            escape(summary),
            text_lines(
                10.0,
                top + 14.0,
                "start",
                "chart-card-label",
                &wrap_label(label, ((CARD_W - 20.0) / CARD_CHAR) as usize, 1)
            ),
            a = top + 22.0,
            b = top + 36.0,
            ws = *seen as f64 * scale,
            we = expected.max(0.0) * scale,
            tx = 20.0 + bar_w,
            ty = top + 38.0,
            s = crate::analysis::numbers::count(*seen),
            e = crate::analysis::numbers::decimal(*expected, 1),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod card_tests {
    use super::*;
    use crate::pdf::{Axis, CardChart, Poles, ShareRow};

    /// Balanced elements, an accessible name and a text alternative, no NaN.
    fn sound(svg: &str) {
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
        assert!(svg.contains(r#"role="img""#) && svg.contains("<desc>"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        for tag in ["svg", "g", "text", "tspan", "title", "desc"] {
            let opened =
                svg.matches(&format!("<{tag} ")).count() + svg.matches(&format!("<{tag}>")).count();
            assert_eq!(opened, svg.matches(&format!("</{tag}>")).count(), "<{tag}>");
        }
    }

    /// The texts of the `<tspan>`s of the `<text>`s of `class`.
    fn lines_of(svg: &str, class: &str) -> Vec<String> {
        svg.split(&format!(r#"class="{class}">"#))
            .skip(1)
            .flat_map(|rest| {
                let text = &rest[..rest.find("</text>").unwrap_or(0)];
                text.split("\">")
                    .skip(1)
                    .map(|t| t.split("</tspan>").next().unwrap_or("").to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn poles() -> Poles {
        Poles {
            left: "Niemand luisterde naar wat ik te zeggen had, helemaal niemand".into(),
            right: "Er werd echt <goed> & lang naar me geluisterd door iedereen".into(),
        }
    }

    #[test]
    fn labels_wrap_on_whole_words_and_mark_what_is_left_out() {
        assert_eq!(wrap_label("Jongere", 18, 2), ["Jongere"]);
        assert_eq!(
            wrap_label("Dat zeg ik liever niet en gemengd", 18, 2),
            ["Dat zeg ik liever", "niet en gemengd"]
        );
        let cut = wrap_label("Dat zeg ik liever niet en een heel lang verhaal", 18, 2);
        assert_eq!(cut, ["Dat zeg ik liever", "niet en een heel…"]);
        // A first word that does not fit with its mark is cut, and marked.
        assert_eq!(
            wrap_label("Iemand van de jeugdreclassering: nee", 18, 2),
            ["Iemand van de", "jeugdreclassering…"]
        );
        assert_eq!(
            wrap_label(&"x".repeat(30), 10, 1),
            [format!("{}…", "x".repeat(9))]
        );
        for lines in [cut, wrap_label(&"woord ".repeat(40), 12, 3)] {
            assert!(lines.iter().all(|l| l.chars().count() <= 18));
        }
        // Two answers of a cell keep a line each.
        assert_eq!(
            card_label(
                "Een beetje fijn en een beetje naar · Zeg ik liever niet",
                20
            ),
            ["Een beetje fijn en…", "· Zeg ik liever niet"]
        );
    }

    #[test]
    fn band_charts_name_both_ends_apart_and_keep_full_labels_in_titles() {
        let long = "Een beetje fijn en een beetje naar · Dat zeg ik liever niet";
        let chart = CardChart::Bands {
            rows: vec![
                ShareRow {
                    label: long.into(),
                    counts: vec![1, 2, 3, 4, 10],
                    mean: Some(71.5),
                },
                ShareRow {
                    label: "Ouder".into(),
                    counts: vec![10, 0, 0, 0, 0],
                    mean: Some(5.0),
                },
            ],
            poles: poles(),
        };
        let svg = card_chart("Waar de schuif stond", &chart);
        sound(&svg);
        // Each end stands in its own half of the axis: left-aligned from its start, right-aligned
        // from its end, at most as wide as half of it.
        let bar_w = svg
            .split(r#"class="chart-card-track""#)
            .next()
            .and_then(|head| head.rsplit("width=\"").next())
            .and_then(|w| w.split('"').next())
            .and_then(|w| w.parse::<f64>().ok())
            .unwrap_or(0.0);
        assert!(bar_w > 200.0, "{bar_w}");
        let ends = lines_of(&svg, "chart-card-pole");
        assert!(ends.len() >= 4, "{ends:?}");
        for line in &ends {
            let line = line
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            assert!(
                line.chars().count() as f64 * CARD_CHAR <= bar_w / 2.0,
                "{line} overlaps the other end"
            );
        }
        assert!(ends[0].starts_with("← Niemand"));
        assert!(svg.contains(
            "<title>0: Niemand luisterde naar wat ik te zeggen had, helemaal niemand</title>"
        ));
        assert!(svg.contains("<title>100: Er werd echt &lt;goed&gt; &amp; lang"));
        // The full label in the row's title; shares and figures in Dutch.
        assert!(svg.contains(&format!("<title>{}", escape(long))));
        assert!(svg.contains(">50%<") && svg.contains(">100%<") && svg.contains("gem. 72"));
        assert!(svg.contains("chart-card-band-0") && svg.contains("chart-card-band-4"));
        for band in ["0–20", "80–100"] {
            assert!(svg.contains(&format!(">{band}<")), "{band}");
        }
    }

    #[test]
    fn answer_charts_have_a_legend_under_their_question() {
        let chart = CardChart::Shares {
            rows: vec![ShareRow {
                label: "Jongere".into(),
                counts: vec![3, 1],
                mean: None,
            }],
            columns: vec!["ja".into(), "nee".into()],
            question: "Ging het over school?".into(),
        };
        let svg = card_chart("Antwoorden", &chart);
        sound(&svg);
        assert!(svg.contains("Ging het over school?:"));
        assert!(svg.contains(">75%<") && svg.contains(">25%<"));
        assert!(svg.contains("chart-fill-0") && svg.contains("chart-fill-1"));
        assert!(svg.contains(">ja<") && svg.contains(">nee<") && svg.contains("n = 4"));
        let empty = CardChart::Shares {
            rows: Vec::new(),
            columns: Vec::new(),
            question: String::new(),
        };
        assert!(card_chart("Leeg", &empty).contains(NO_DATA));
    }

    #[test]
    fn grids_name_the_ends_of_both_sliders() {
        let axis = |question: &str, left: &str, right: &str| Axis {
            question: question.into(),
            poles: Poles {
                left: left.into(),
                right: right.into(),
            },
        };
        let chart = CardChart::Grid {
            counts: vec![vec![5, 0], vec![1, 1200]],
            x: axis("Gehoord", "Niemand luisterde", "Er werd echt geluisterd"),
            y: axis("Regie", "Anderen beslisten alles", "We beslisten samen"),
        };
        let svg = card_chart("Samen", &chart);
        sound(&svg);
        let named = lines_of(&svg, "chart-card-pole").join(" ");
        for end in [
            "← Niemand luisterde",
            "Er werd echt geluisterd →",
            "Anderen beslisten alles",
            "We beslisten samen",
            "↑ Regie",
            "Gehoord →",
        ] {
            assert!(named.contains(end), "{end} not in {named}");
        }
        assert!(svg.contains(">1200<") && svg.contains("chart-heat-5"));
        assert!(svg.contains("<title>Gehoord 50–100 en Regie 50–100: 1200</title>"));
    }

    #[test]
    fn pattern_charts_wrap_long_labels_and_keep_both_ends_apart() {
        let label = "Dat zeg ik liever niet · Een beetje fijn en een beetje naar";
        let five = crate::analysis::figures::five_numbers(&[10.0, 50.5, 90.0])
            .unwrap_or_else(|| panic!("no figures"));
        let boxes = [GroupBox {
            options: vec!["a".into()],
            label: label.into(),
            five,
        }];
        let p = poles();
        let svg = box_plots("Spreiding", &boxes, &p.left, &p.right);
        // The label over two lines, whole words; the full text in the group's title.
        let lines = lines_of(&svg, "chart-label");
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= CHART_LABEL_CHARS));
        assert!(svg.contains(&format!("<title>{}", escape(label))));
        // Each end within its half of the axis (370 wide), over two lines at most.
        let ends = lines_of(&svg, "chart-pole");
        assert!((2..=4).contains(&ends.len()), "{ends:?}");
        for end in &ends {
            let end = end
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            assert!(end.chars().count() as f64 * CHART_CHAR <= 185.0, "{end}");
        }
        assert!(svg.contains("<title>0: Niemand luisterde") && svg.contains("<title>100: Er werd"));
        // Dutch figures in the text alternative.
        assert!(svg.contains("mediaan 50,5"), "{svg}");

        let bars = mean_bars(
            "Gemiddeld",
            &[Bar {
                label,
                value: 40.4,
                n: 1234,
            }],
            &p.left,
            &p.right,
        );
        assert_eq!(lines_of(&bars, "chart-label").len(), 2);
        assert!(
            bars.contains("40 (n = 1.234)") && bars.contains(&format!("<title>{}", escape(label)))
        );
        for end in lines_of(&bars, "chart-pole") {
            let end = end
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            assert!(end.chars().count() as f64 * CHART_CHAR <= 170.0, "{end}");
        }

        let density = Density {
            bins: 2,
            counts: vec![vec![1, 2], vec![3, 4]],
            n: 10,
            x_range: (0.0, 100.0),
            y_range: (0.0, 100.0),
        };
        let grid = density_grid_with_ends(
            "Samen",
            &density,
            (
                "Gehoord",
                Some(("Niemand luisterde", "Er werd echt geluisterd")),
            ),
            (
                "Regie",
                Some(("Anderen beslisten alles", "We beslisten samen")),
            ),
        );
        let named = lines_of(&grid, "chart-pole").join(" ");
        for end in ["← Niemand luisterde", "Er werd echt geluisterd →"] {
            assert!(named.contains(end), "{end} not in {named}");
        }
        for end in ["← Anderen beslisten alles", "We beslisten samen →"] {
            assert!(named.contains(end), "{end} not in {named}");
        }
        // Without ends it is the grid as before.
        assert_eq!(
            density_grid("Samen", &density, "Gehoord", "Regie"),
            density_grid_with_ends("Samen", &density, ("Gehoord", None), ("Regie", None))
        );
    }

    #[test]
    fn empty_labels_and_ends_are_drawn_without_failing() {
        let empty = Poles::default();
        let row = ShareRow {
            label: String::new(),
            counts: vec![1, 0, 2],
            mean: None,
        };
        for chart in [
            CardChart::Bands {
                rows: vec![row.clone()],
                poles: empty.clone(),
            },
            CardChart::Shares {
                rows: vec![row],
                columns: vec![String::new(); 3],
                question: String::new(),
            },
            CardChart::Grid {
                counts: vec![vec![1]],
                x: Axis::default(),
                y: Axis::default(),
            },
            CardChart::Means {
                rows: vec![(String::new(), 1, 50.0)],
                poles: empty,
            },
        ] {
            sound(&card_chart("", &chart));
        }
        let five = crate::analysis::figures::five_numbers(&[1.0]).unwrap_or_else(|| panic!("none"));
        let boxes = [GroupBox {
            options: Vec::new(),
            label: String::new(),
            five,
        }];
        assert!(box_plots("", &boxes, "", "").ends_with("</svg>"));
        let bar = Bar {
            label: "",
            value: 1.0,
            n: 1,
        };
        assert!(mean_bars("", &[bar], "", "").ends_with("</svg>"));
    }

    #[test]
    fn means_and_cells_of_older_figures_are_drawn_in_dutch() {
        let means = card_chart(
            "Gemiddelde",
            &CardChart::Means {
                rows: vec![("Jongere".into(), 1500, 33.25), ("Nan".into(), 3, f64::NAN)],
                poles: poles(),
            },
        );
        sound(&means);
        assert!(means.contains("gem. 33 (n = 1.500)") && means.contains("← Niemand"));
        let cells = card_chart(
            "Cellen",
            &CardChart::Cells {
                rows: vec![("Ouder · Wachtlijst".into(), 40, 22.5)],
            },
        );
        sound(&cells);
        assert!(cells.contains("40 gezien, 22,5 verwacht"));
    }
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
    // Row labels wrap over two lines (shortened with "…" beyond that); rows grow when one does.
    let labels: Vec<Vec<String>> = crosstab
        .rows
        .iter()
        .map(|r| wrap_label(&r.label, ((LABEL - 10.0) / CHART_CHAR) as usize, 2))
        .collect();
    let row_height = if labels.iter().any(|l| l.len() > 1) {
        ROW + 10.0
    } else {
        ROW
    };
    let legend_top = TOP + row_height * crosstab.rows.len() as f64 + 10.0;
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
    for (i, ((row, &total), label)) in crosstab.rows.iter().zip(&totals).zip(&labels).enumerate() {
        let y = TOP + row_height * i as f64 + (row_height - ROW) / 2.0;
        let _ = write!(
            svg,
            r#"<g><title>{full} (n = {n})</title>{label}<text x="{nx}" y="{ty:.1}" class="chart-n">n = {n}</text></g>"#,
            full = escape(&row.label),
            label = spaced_lines(
                LABEL - 10.0,
                y + 15.0 - 7.5 * label.len().saturating_sub(1) as f64,
                "end",
                "chart-label",
                label,
                15.0
            ),
            n = crate::analysis::numbers::count(total),
            ty = y + 15.0,
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
            let share = crate::analysis::numbers::decimal(p, 0);
            let _ = write!(
                svg,
                "<g><title>{} · {}: {} van {} ({share}%)</title>",
                escape(&row.label),
                escape(&crosstab.columns[j].label),
                crate::analysis::numbers::count(c),
                crate::analysis::numbers::count(total),
            );
            shape(&mut svg, j, x0, y, x1 - x0, BAR);
            // Twice: a white outline under the figure keeps it legible on any fill (drawn as
            // its own text, since not every renderer supports `paint-order`).
            if x1 - x0 >= 34.0 {
                let _ = write!(
                    svg,
                    r#"<text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" class="chart-segment-value chart-halo">{share}%</text><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" class="chart-segment-value">{share}%</text>"#,
                    cx = (x0 + x1) / 2.0,
                    ty = y + 15.0,
                );
            }
            svg.push_str("</g>");
        }
    }
    for (j, (x, line, label)) in legend.iter().enumerate() {
        let y = legend_top + 22.0 * *line as f64;
        let _ = write!(
            svg,
            "<g><title>{}</title>",
            escape(&crosstab.columns[j].label)
        );
        shape(&mut svg, j, *x, y, 14.0, 14.0);
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="14" height="14" class="chart-swatch"/><text x="{tx:.1}" y="{ty:.1}" class="chart-legend">{label}</text></g>"#,
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
    density_grid_with_ends(title, density, (x_label, None), (y_label, None))
}

/// The two ends (left, right) of a slider, to name them at the ends of its axis.
pub type Ends<'a> = Option<(&'a str, &'a str)>;

/// [`density_grid`] with the two ends of each slider named at the ends of its axis: the
/// x slider's under the grid (its left end from the left, its right end from the right, each
/// within its own half, wrapped over at most two lines), the y slider's along the left side
/// (its low end from the bottom, its high end from the top, shortened with "…" if long). The
/// full texts are in `<title>`s.
pub fn density_grid_with_ends(
    title: &str,
    density: &Density,
    (x_label, x_ends): (&str, Ends<'_>),
    (y_label, y_ends): (&str, Ends<'_>),
) -> String {
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
    let half = ((GRID / 2.0 - 8.0) / CHART_CHAR) as usize;
    let x_poles = x_ends.map(|(left, right)| {
        (
            wrap_label(&format!("← {left}"), half, 2),
            wrap_label(&format!("{right} →"), half, 2),
        )
    });
    let poles_height = x_poles
        .as_ref()
        .map_or(0.0, |(l, r)| 16.0 * l.len().max(r.len()) as f64 + 4.0);
    let height = TOP + GRID + 56.0 + poles_height;
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
    if let (Some((left, right)), Some((full_left, full_right))) = (&x_poles, x_ends) {
        let _ = write!(
            svg,
            "<g><title>0: {}</title>{}</g><g><title>100: {}</title>{}</g>",
            escape(full_left),
            spaced_lines(GRID_X, bottom + 34.0, "start", "chart-pole", left, 16.0),
            escape(full_right),
            spaced_lines(
                GRID_X + GRID,
                bottom + 34.0,
                "end",
                "chart-pole",
                right,
                16.0
            ),
        );
    }
    if let Some((low, high)) = y_ends {
        // Turned along the left side, low end from the bottom, high end from the top.
        let turned = |anchor: &str, at: f64, text: &str| {
            let lines = wrap_label(text, half, 2);
            let mut out = format!(
                r#"<text transform="translate(30 {at:.1}) rotate(-90)" text-anchor="{anchor}" class="chart-pole">"#
            );
            for (i, line) in lines.iter().enumerate() {
                let dy = if i == 0 { 0.0 } else { 15.0 };
                let _ = write!(out, r#"<tspan x="0" dy="{dy}">{}</tspan>"#, escape(line));
            }
            out.push_str("</text>");
            out
        };
        let _ = write!(
            svg,
            "<g><title>0: {}</title>{}</g><g><title>100: {}</title>{}</g>",
            escape(low),
            turned("start", bottom, &format!("← {low}")),
            escape(high),
            turned("end", TOP, &format!("{high} →")),
        );
    }
    let _ = write!(
        svg,
        r#"<g><title>{x_full}</title><text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" class="chart-label">{x} →</text></g><g><title>{y_full}</title><text transform="translate({yx} {cy:.1}) rotate(-90)" text-anchor="middle" class="chart-label">{y} →</text></g><text x="{LEGEND_X}" y="{hy:.1}" class="chart-legend">Aantal verhalen</text>"#,
        cx = GRID_X + GRID / 2.0,
        ly = bottom + 40.0 + poles_height,
        x = escape(&clip(x_label, 50)),
        x_full = escape(x_label),
        cy = TOP + GRID / 2.0,
        y = escape(&clip(y_label, 48)),
        y_full = escape(y_label),
        yx = if y_ends.is_some() { 14 } else { 20 },
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
