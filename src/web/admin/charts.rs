//! Small server-rendered SVG charts: readable without JavaScript, printable, and each with a
//! text alternative. Labels are XML-escaped here because the SVG is inserted as markup.

use std::fmt::Write;

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
pub fn count_bars(title: &str, bars: &[(String, u64)]) -> String {
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
        let w = plot * *count as f64 / max;
        let label: String = label.chars().take(38).collect();
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{ty}" text-anchor="end" class="chart-label">{label}</text><rect x="{LABEL}" y="{y}" width="{w:.1}" height="16" class="chart-bar"/><text x="{vx:.1}" y="{ty}" class="chart-value">{count}</text>"#,
            x = LABEL - 8.0,
            ty = y + 13.0,
            label = escape(&label),
            vx = LABEL + w + 6.0,
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
}
