//! The campaign kit on paper: a poster (A3, A4) or flyer (A5) that invites one role to tell a
//! story, portrait. One layout drawn at the page's scale (ISO sizes share a shape): a coloured
//! head with the title, the invitation, a call to action above a large QR code, the link to
//! type, the promise that no name is needed, and at the foot where to read what happened with
//! the stories. Everything is centred, so Arabic reads as naturally as Dutch, and every text is
//! measured: too long a text gets fewer lines and an ellipsis, never a line off the page.

use super::flow::{Align, Weight, Writer, ACCENT, GREY, INK};
use super::PdfError;

/// The width of A4 in points: sizes below are for A4 and scaled to the page.
const A4_WIDTH: f32 = 595.0;
const WHITE: (u8, u8, u8) = (255, 255, 255);
/// The pale tint of the head's project line on the accent colour (contrast above 4.5:1).
const HEAD_TINT: (u8, u8, u8) = (214, 232, 234);
/// Light modules the QR code keeps around it, as its standard asks.
const QUIET_MODULES: f32 = 4.0;

/// What one poster or flyer says. Texts are final (link filled in); `link` is the printed
/// form of the link the QR code holds.
pub struct Poster<'a> {
    /// The language of the texts (`nl`, `ar` …), for the PDF's metadata.
    pub language: &'a str,
    /// Above the title, small: the project's name.
    pub project: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    pub action: &'a str,
    /// The QR code's modules, rows of `true` for dark, without the quiet zone.
    pub qr: &'a [Vec<bool>],
    /// "Scan de code … of typ de link:"
    pub scan: &'a str,
    pub link: &'a str,
    /// "Je naam is niet nodig …"
    pub promise: &'a str,
    /// The sentence pointing to the public page, and its printed link, when the project
    /// shows what happened with the stories.
    pub results: Option<(&'a str, &'a str)>,
    /// The place this copy hangs (for whoever hangs it), or empty.
    pub place: &'a str,
}

/// Lines of `text` centred on the page from `y`, at most `max_lines`; returns the `y` below.
#[allow(clippy::too_many_arguments)]
fn centred(
    w: &mut Writer,
    text: &str,
    y: f32,
    size: f32,
    weight: Weight,
    colour: (u8, u8, u8),
    width: f32,
    max_lines: usize,
) -> f32 {
    let (page_width, _) = w.page_size();
    let mut y = y;
    for line in w.fit(text, size, weight, width, max_lines) {
        w.text_aligned(
            page_width / 2.0,
            y,
            Align::Centre,
            &line,
            size,
            weight,
            colour,
        );
        y += size * 1.3;
    }
    y
}

/// The size at which `text` fits on one line of `width`, at most `size` and at least half
/// of it: a link broken over two lines is easy to mistype.
fn one_line_size(w: &Writer, text: &str, size: f32, weight: Weight, width: f32) -> f32 {
    let natural = w.width_of(text, size, weight);
    if natural <= width {
        size
    } else {
        (size * width / natural * 0.98).max(size / 2.0)
    }
}

/// The QR code as squares, `side` points wide including its quiet zone, centred at `top`.
/// Runs of dark modules in a row are drawn as one rectangle.
fn qr_code(w: &mut Writer, qr: &[Vec<bool>], top: f32, side: f32) {
    let (page_width, _) = w.page_size();
    let modules = qr.len() as f32 + 2.0 * QUIET_MODULES;
    let unit = side / modules;
    let left = (page_width - side) / 2.0 + QUIET_MODULES * unit;
    let top = top + QUIET_MODULES * unit;
    for (y, row) in qr.iter().enumerate() {
        let mut x = 0;
        while x < row.len() {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] {
                x += 1;
            }
            // A hair wider and taller than the module, so that no seam shows between squares
            // when a viewer anti-aliases.
            w.rect(
                left + start as f32 * unit,
                top + y as f32 * unit,
                (x - start) as f32 * unit + 0.05,
                unit + 0.05,
                INK,
            );
        }
    }
}

/// The poster or flyer on a page of `size` (width, height in points, portrait).
pub fn poster(p: &Poster<'_>, size: (f32, f32)) -> Result<Vec<u8>, PdfError> {
    let (width, height) = size;
    let mut w = Writer::sized(width, height)?;
    let s = width / A4_WIDTH;
    let margin = 44.0 * s;
    let text_width = width - 2.0 * margin;

    // The head: project, title, on the accent colour.
    let title_size = 36.0 * s;
    let title_lines = w
        .fit(p.title, title_size, Weight::Bold, text_width, 3)
        .len();
    let head =
        34.0 * s + 14.0 * s * 1.3 + 10.0 * s + title_lines as f32 * title_size * 1.3 + 22.0 * s;
    w.rect(0.0, 0.0, width, head, ACCENT);
    let mut y = 34.0 * s;
    y = centred(
        &mut w,
        p.project,
        y,
        14.0 * s,
        Weight::Regular,
        HEAD_TINT,
        text_width,
        1,
    );
    y += 10.0 * s;
    centred(
        &mut w,
        p.title,
        y,
        title_size,
        Weight::Bold,
        WHITE,
        text_width,
        3,
    );

    // The invitation and the call to action.
    y = head + 26.0 * s;
    y = centred(
        &mut w,
        p.text,
        y,
        17.0 * s,
        Weight::Regular,
        INK,
        text_width,
        7,
    );
    y += 14.0 * s;
    y = centred(
        &mut w,
        p.action,
        y,
        24.0 * s,
        Weight::Bold,
        ACCENT,
        text_width,
        1,
    );

    // What comes below the code, measured first so that the code takes the space left.
    let foot_size = 10.5 * s;
    let mut below = 4.0 * s + 12.0 * s * 1.3 + 19.0 * s * 1.3 * 2.0 + 8.0 * s;
    below += w
        .fit(p.promise, 12.0 * s, Weight::Regular, text_width, 3)
        .len() as f32
        * 12.0
        * s
        * 1.3;
    if let Some((sentence, link)) = p.results {
        let lines = w
            .fit(sentence, foot_size, Weight::Regular, text_width, 2)
            .len()
            + w.fit(link, foot_size, Weight::Bold, text_width, 2).len();
        below += 12.0 * s + lines as f32 * foot_size * 1.3;
    }
    if !p.place.is_empty() {
        below += 9.0 * s * 1.3;
    }
    // The code as large as the page allows (up to 56 % of its width): a poster is scanned
    // from a few steps away.
    let room = height - margin - y - below;
    let side = room.min(width * 0.56).max(120.0 * s);
    qr_code(&mut w, p.qr, y, side);
    y += side + 4.0 * s;

    y = centred(
        &mut w,
        p.scan,
        y,
        12.0 * s,
        Weight::Regular,
        GREY,
        text_width,
        2,
    );
    let link_size = one_line_size(&w, p.link, 19.0 * s, Weight::Bold, text_width);
    y = centred(
        &mut w,
        p.link,
        y,
        link_size,
        Weight::Bold,
        INK,
        text_width,
        2,
    );
    y += 8.0 * s;
    y = centred(
        &mut w,
        p.promise,
        y,
        12.0 * s,
        Weight::Regular,
        INK,
        text_width,
        3,
    );

    // The foot, at the bottom of the page: where to read what happened, and the place this
    // copy is for.
    if let Some((sentence, link)) = p.results {
        let lines = w
            .fit(sentence, foot_size, Weight::Regular, text_width, 2)
            .len()
            + w.fit(link, foot_size, Weight::Bold, text_width, 2).len();
        let place_line = if p.place.is_empty() {
            0.0
        } else {
            9.0 * s * 1.3
        };
        let foot = lines as f32 * foot_size * 1.3 + place_line;
        y = (y + 12.0 * s).max(height - margin * 0.6 - foot);
        w.rect(margin, y - 6.0 * s, text_width, 0.8 * s, GREY);
        y = centred(
            &mut w,
            sentence,
            y,
            foot_size,
            Weight::Regular,
            INK,
            text_width,
            2,
        );
        let link_size = one_line_size(&w, link, foot_size, Weight::Bold, text_width);
        y = centred(&mut w, link, y, link_size, Weight::Bold, INK, text_width, 2);
    }
    if !p.place.is_empty() {
        let bottom = (height - margin * 0.6).max(y);
        centred(
            &mut w,
            p.place,
            bottom - 9.0 * s,
            9.0 * s,
            Weight::Regular,
            GREY,
            text_width,
            1,
        );
    }
    w.finish_in(p.title, p.language)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        [
            "/Type /Page\n",
            "/Type /Page ",
            "/Type /Page/",
            "/Type /Page>",
        ]
        .iter()
        .map(|m| text.matches(m).count())
        .sum()
    }

    fn sample<'a>(qr: &'a [Vec<bool>], title: &'a str) -> Poster<'a> {
        Poster {
            language: "nl",
            project: "Jeugdhulp Regio Noord",
            title,
            text: "Vertel ons één ervaring. Iets wat goed ging, of iets wat niet goed ging.",
            action: "Vertel het hier",
            qr,
            scan: "Scan de code met je telefoon, of typ de link:",
            link: "vertelpunt.example.nl/v/noord",
            promise: "Je naam is niet nodig.",
            results: Some((
                "Wat is er met de verhalen gedaan? Lees het op",
                "vertelpunt.example.nl/v/noord/resultaten",
            )),
            place: "Wachtkamer huisarts Beek",
        }
    }

    #[test]
    fn every_format_is_one_page_of_its_size() {
        let qr = crate::render::qr::grid("https://vertelpunt.example.nl/v/noord").unwrap();
        for (size, media) in [
            ((842.0, 1191.0), "/MediaBox [0 0 842 1191]"),
            ((595.0, 842.0), "/MediaBox [0 0 595 842]"),
            ((420.0, 595.0), "/MediaBox [0 0 420 595]"),
        ] {
            let pdf = poster(&sample(&qr, "Hoe was jouw jeugdhulp?"), size).unwrap();
            assert!(pdf.starts_with(b"%PDF-"));
            let raw = String::from_utf8_lossy(&pdf);
            assert!(raw.contains(media), "{media}");
            assert_eq!(pages(&pdf), 1);
        }
    }

    #[test]
    fn a_title_too_long_for_three_lines_still_makes_one_page() {
        let qr = crate::render::qr::grid("https://vertelpunt.example.nl/v/noord").unwrap();
        let long = "Een heel lange kop ".repeat(12);
        let pdf = poster(&sample(&qr, &long), (420.0, 595.0)).unwrap();
        assert_eq!(pages(&pdf), 1);
    }
}
