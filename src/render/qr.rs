//! A QR code for a project's link, drawn on the server as SVG: for posters, flyers and the
//! screen of a verteltafel, without a third-party service or script.
//!
//! The `qrcode` crate encodes; the SVG is written here, because its own renderer draws one
//! rectangle per module and has no way to give the picture a text alternative: ours is one
//! path (a few kilobytes for a link) with `role="img"` and a `<title>` that says the link.

use qrcode::{EcLevel, QrCode};
use std::fmt::Write;

/// Light modules around the code, as the standard asks, so that a scanner finds its edges on
/// any background.
const QUIET_ZONE: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("the link is too long for a QR code: {0}")]
    TooLong(#[from] qrcode::types::QrError),
}

/// The QR code of `url` as an SVG document that scales to any size; `title` is its text
/// alternative (escaped here). Error correction level M: a printed code still scans with a
/// smudge or a fold.
pub fn svg(url: &str, title: &str) -> Result<String, QrError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (i, colour) in code.to_colors().iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            // A unit square: move, then three relative lines and close.
            let _ = write!(path, "M{x} {y}h1v1h-1z");
        }
    }
    Ok(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" "#,
            r#"role="img" aria-labelledby="qr-title" shape-rendering="crispEdges">"#,
            r#"<title id="qr-title">{title}</title>"#,
            r##"<rect width="{size}" height="{size}" fill="#fff"/>"##,
            r##"<path fill="#000" d="{path}"/></svg>"##
        ),
        size = size,
        title = escape(title),
        path = path,
    ))
}

/// The QR code of `url` as rows of modules (`true` is dark), without the quiet zone: for a
/// PDF that draws the squares itself. Same encoding as [`svg`].
pub fn grid(url: &str) -> Result<Vec<Vec<bool>>, QrError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    let width = code.width();
    Ok(code
        .to_colors()
        .chunks(width)
        .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
        .collect())
}

/// Text for an XML element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules the path draws, read back from the SVG.
    fn drawn(svg: &str) -> Vec<(usize, usize)> {
        let d = &svg[svg.find(" d=\"").expect("path") + 4..];
        let d = &d[..d.find('"').expect("end")];
        d.split('M')
            .filter(|s| !s.is_empty())
            .map(|square| {
                let xy = square.trim_end_matches("h1v1h-1z");
                let (x, y) = xy.split_once(' ').expect("x y");
                (x.parse().expect("x"), y.parse().expect("y"))
            })
            .collect()
    }

    #[test]
    fn the_svg_draws_exactly_the_dark_modules_inside_a_quiet_zone() {
        let url = "https://vertelpunt.example/v/jeugdhulp";
        let svg = svg(url, "QR-code voor https://vertelpunt.example/v/jeugdhulp").unwrap();
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        let expected: Vec<(usize, usize)> = code
            .to_colors()
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == qrcode::Color::Dark)
            .map(|(i, _)| (i % width + QUIET_ZONE, i / width + QUIET_ZONE))
            .collect();
        assert_eq!(drawn(&svg), expected);
        let size = width + 2 * QUIET_ZONE;
        assert!(svg.contains(&format!("viewBox=\"0 0 {size} {size}\"")));
        // The finder pattern's corner (top left) is dark, the quiet zone before it light.
        assert!(expected.contains(&(QUIET_ZONE, QUIET_ZONE)));
        assert!(expected
            .iter()
            .all(|&(x, y)| x >= QUIET_ZONE && y >= QUIET_ZONE));
        assert!(expected
            .iter()
            .all(|&(x, y)| x < size - QUIET_ZONE && y < size - QUIET_ZONE));
    }

    /// What a phone's camera would read: the SVG's squares drawn as pixels (4 per module,
    /// white around) and decoded by an independent QR decoder.
    #[test]
    fn a_decoder_reads_the_link_back_from_the_svg() {
        for url in [
            "http://127.0.0.1:8080/v/demo",
            "https://vertelpunt.example.nl/v/jeugdhulp-rijk-van-nijmegen",
        ] {
            let svg = svg(url, "QR").unwrap();
            let view = &svg[svg.find("viewBox=\"0 0 ").unwrap() + 13..];
            let size: usize = view[..view.find(' ').unwrap()].parse().unwrap();
            let dark: std::collections::HashSet<(usize, usize)> = drawn(&svg).into_iter().collect();
            let scale = 4;
            let mut image =
                rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
                    if dark.contains(&(x / scale, y / scale)) {
                        0
                    } else {
                        255
                    }
                });
            let grids = image.detect_grids();
            assert_eq!(grids.len(), 1, "{url}");
            let (_, content) = grids[0].decode().expect("decodes");
            assert_eq!(content, url);
        }
    }

    #[test]
    fn the_grid_has_the_same_modules_as_the_svg() {
        let url = "https://vertelpunt.example/v/jeugdhulp/p/k3x9ab?taal=ar";
        let rows = grid(url).unwrap();
        let dark: Vec<(usize, usize)> = rows
            .iter()
            .enumerate()
            .flat_map(|(y, row)| {
                row.iter()
                    .enumerate()
                    .filter(|(_, d)| **d)
                    .map(move |(x, _)| (x + QUIET_ZONE, y + QUIET_ZONE))
            })
            .collect();
        assert!(rows.iter().all(|r| r.len() == rows.len()));
        assert_eq!(drawn(&svg(url, "QR").unwrap()), dark);
    }

    #[test]
    fn the_title_is_text_and_too_much_data_is_an_error() {
        let svg = svg("https://x.example/v/a", "<b>\"&</b>").unwrap();
        assert!(svg.contains("<title id=\"qr-title\">&lt;b&gt;&quot;&amp;&lt;/b&gt;</title>"));
        assert!(super::svg(&"x".repeat(5000), "te lang").is_err());
    }
}
