//! A small page writer: A4 pages (landscape for the cards, portrait for text such as the
//! session report), text in columns that flows on to the next page, filled rectangles for
//! simple charts.

use super::PdfError;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use std::sync::Arc;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 landscape in points.
pub const WIDTH: f32 = 842.0;
pub const HEIGHT: f32 = 595.0;
pub const MARGIN: f32 = 36.0;

/// Where a piece of text stands against its `x`.
#[derive(Clone, Copy, PartialEq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Weight {
    Regular,
    Bold,
}

/// A font for krilla plus its metrics for line breaking.
struct Face {
    font: Font,
    face: ttf_parser::Face<'static>,
    /// The same font for shaping, to measure right-to-left text as it is drawn.
    shaper: rustybuzz::Face<'static>,
}

/// Whether a text holds right-to-left letters (Hebrew, Arabic and their presentation forms).
/// Such text is shaped to be measured and drawn run by run in visual order; the rest keeps
/// the plain per-glyph measure, which is exact for it and much cheaper.
pub fn has_rtl(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF))
}

/// The runs of one line in visual order (left to right on the page), each with whether it
/// is right-to-left, by the Unicode bidi algorithm: a number or a link inside Arabic stays
/// in reading order.
fn visual_runs(text: &str) -> Vec<(&str, bool)> {
    let info = unicode_bidi::BidiInfo::new(text, None);
    let Some(paragraph) = info.paragraphs.first() else {
        return Vec::new();
    };
    let (levels, runs) = info.visual_runs(paragraph, paragraph.range.clone());
    runs.into_iter()
        .map(|run| (&text[run.clone()], levels[run.start].is_rtl()))
        .collect()
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Face, PdfError> {
        Ok(Face {
            font: Font::new(Arc::new(data.to_vec()).into(), 0).ok_or(PdfError::Font)?,
            face: ttf_parser::Face::parse(data, 0).map_err(|_| PdfError::Font)?,
            shaper: rustybuzz::Face::from_slice(data, 0).ok_or(PdfError::Font)?,
        })
    }

    /// Width of one run as the shaper lays it out.
    fn shaped_width(&self, run: &str, size: f32, rtl: bool) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(run);
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        buffer.guess_segment_properties();
        let glyphs = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = glyphs.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / f32::from(self.face.units_per_em())
    }

    /// Width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        if has_rtl(text) {
            return visual_runs(text)
                .into_iter()
                .map(|(run, rtl)| self.shaped_width(run, size, rtl))
                .sum();
        }
        let per_unit = size / f32::from(self.face.units_per_em());
        text.chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .map_or(size * 0.6, |a| f32::from(a) * per_unit)
            })
            .sum()
    }
}

/// Colours as RGB.
pub const INK: (u8, u8, u8) = (26, 26, 26);
pub const ACCENT: (u8, u8, u8) = (11, 93, 102);
pub const LIGHT: (u8, u8, u8) = (214, 232, 234);
pub const GREY: (u8, u8, u8) = (90, 90, 90);

fn fill(colour: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// One drawing instruction on a page (collected first, drawn when the document is written,
/// because krilla borrows the document while a page is open).
enum Mark {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        weight: Weight,
        colour: (u8, u8, u8),
        text: String,
        /// `Some(true)` for a right-to-left run, `Some(false)` for a left-to-right run of a
        /// line with both; `None` for a line without right-to-left letters.
        rtl: Option<bool>,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: (u8, u8, u8),
    },
}

/// A rectangle on the page where text flows; when full, text continues in the same box on a
/// new page.
#[derive(Clone, Copy)]
pub struct Column {
    pub x: f32,
    pub top: f32,
    pub width: f32,
    pub bottom: f32,
}

pub struct Writer {
    regular: Face,
    bold: Face,
    /// The page size in points: `WIDTH` × `HEIGHT` (landscape) or turned (portrait).
    width: f32,
    height: f32,
    pages: Vec<Vec<Mark>>,
    /// The page being written and the vertical position in the current column.
    page: usize,
    pub y: f32,
    pub column: Column,
    /// Drawn at the top of every page after the first page of a piece (e.g. the card's title).
    pub running_head: Option<String>,
}

impl Writer {
    /// A4 landscape pages (the cards).
    pub fn new() -> Result<Writer, PdfError> {
        Writer::with_page(WIDTH, HEIGHT)
    }

    /// A4 portrait pages (running text, such as the session report).
    pub fn portrait() -> Result<Writer, PdfError> {
        Writer::with_page(HEIGHT, WIDTH)
    }

    /// Pages of any size in points (posters and flyers).
    pub fn sized(width: f32, height: f32) -> Result<Writer, PdfError> {
        Writer::with_page(width, height)
    }

    /// The page's width and height in points.
    pub fn page_size(&self) -> (f32, f32) {
        (self.width, self.height)
    }

    fn with_page(width: f32, height: f32) -> Result<Writer, PdfError> {
        let mut writer = Writer {
            regular: Face::load(REGULAR)?,
            bold: Face::load(BOLD)?,
            width,
            height,
            pages: vec![Vec::new()],
            page: 0,
            y: MARGIN,
            column: full_width(),
            running_head: None,
        };
        writer.column = writer.whole_page();
        Ok(writer)
    }

    /// The whole width of this writer's page between the margins (for landscape the same
    /// as `full_width()`).
    pub fn whole_page(&self) -> Column {
        Column {
            x: MARGIN,
            top: MARGIN,
            width: self.width - 2.0 * MARGIN,
            bottom: self.height - MARGIN,
        }
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub fn width_of(&self, text: &str, size: f32, weight: Weight) -> f32 {
        self.face(weight).width(text, size)
    }

    /// Whether both weights of the font have a glyph for `c` (most emoji they do not: drawn,
    /// those would be empty boxes).
    pub fn can_draw(&self, c: char) -> bool {
        self.regular.face.glyph_index(c).is_some() && self.bold.face.glyph_index(c).is_some()
    }

    /// Starts a new page and puts the cursor at the top of `column` there.
    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.page = self.pages.len() - 1;
        self.y = self.column.top;
        if let Some(head) = self.running_head.clone() {
            let column = self.column;
            self.column = self.whole_page();
            self.y = MARGIN;
            self.line(&format!("{head} (vervolg)"), 9.0, Weight::Bold, GREY);
            self.y += 6.0;
            self.column = Column {
                top: self.y.max(column.top),
                ..column
            };
            self.y = self.column.top;
        }
    }

    /// Moves to a page: the next one if it exists, a new one otherwise.
    fn next_page(&mut self) {
        if self.page + 1 < self.pages.len() {
            self.page += 1;
            self.y = self.column.top;
        } else {
            self.new_page();
        }
    }

    /// Makes sure `height` more points fit in the column, else moves to the next page.
    pub fn need(&mut self, height: f32) {
        if self.y + height > self.column.bottom && self.y > self.column.top {
            self.next_page();
        }
    }

    /// The page currently written on (0-based), to come back to it for another column.
    pub fn page(&self) -> usize {
        self.page
    }

    /// Continues writing at `column` on page `page` (which must exist).
    pub fn go_to(&mut self, page: usize, column: Column) {
        self.page = page.min(self.pages.len() - 1);
        self.column = column;
        self.y = column.top;
    }

    /// One line of text, no wrapping (cut with "…" when too wide).
    pub fn line(&mut self, text: &str, size: f32, weight: Weight, colour: (u8, u8, u8)) {
        let leading = size * 1.35;
        self.need(leading);
        let mut shown = text.to_string();
        while self.width_of(&shown, size, weight) > self.column.width && shown.chars().count() > 1 {
            shown.pop();
            shown = format!("{}…", shown.trim_end_matches('…'));
        }
        self.push_text(self.column.x, self.y + size, size, weight, colour, &shown);
        self.y += leading;
    }

    /// A paragraph broken into lines that fit the column (a word longer than the column is
    /// broken inside), flowing on to the next page when needed.
    pub fn paragraph(&mut self, text: &str, size: f32, weight: Weight, colour: (u8, u8, u8)) {
        for line in self.wrap(text, size, weight, self.column.width) {
            self.line(&line, size, weight, colour);
        }
        self.y += size * 0.5;
    }

    /// The lines of `text` at this width; line breaks in the text are kept.
    pub fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for source in text.lines() {
            let mut current = String::new();
            for word in source.split_whitespace() {
                let candidate = if current.is_empty() {
                    word.to_string()
                } else {
                    format!("{current} {word}")
                };
                if self.width_of(&candidate, size, weight) <= width {
                    current = candidate;
                    continue;
                }
                if !current.is_empty() {
                    lines.push(std::mem::take(&mut current));
                }
                // A word wider than the column is broken where it must be.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width_of(&piece, size, weight) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                current = piece;
            }
            if !current.is_empty() {
                lines.push(current);
            }
        }
        lines
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: (u8, u8, u8)) {
        if w > 0.0 && h > 0.0 {
            self.pages[self.page].push(Mark::Rect { x, y, w, h, colour });
        }
    }

    /// Text at a fixed place on the current page (labels of charts, footers).
    pub fn text_at(&mut self, x: f32, y: f32, text: &str, size: f32, weight: Weight) {
        self.text_in(x, y, text, size, weight, INK);
    }

    /// Text at a fixed place in a colour; `y` is the top of the line.
    pub fn text_in(
        &mut self,
        x: f32,
        y: f32,
        text: &str,
        size: f32,
        weight: Weight,
        colour: (u8, u8, u8),
    ) {
        if text.is_empty() {
            return;
        }
        self.push_text(x, y + size, size, weight, colour, text);
    }

    /// Text from `x` on a baseline; a line with right-to-left letters is laid out run by
    /// run in visual order, each run shaped in its own direction.
    fn push_text(
        &mut self,
        x: f32,
        baseline: f32,
        size: f32,
        weight: Weight,
        colour: (u8, u8, u8),
        text: &str,
    ) {
        if !has_rtl(text) {
            self.pages[self.page].push(Mark::Text {
                x,
                baseline,
                size,
                weight,
                colour,
                text: text.to_string(),
                rtl: None,
            });
            return;
        }
        let mut x = x;
        let runs: Vec<(String, bool, f32)> = visual_runs(text)
            .into_iter()
            .map(|(run, rtl)| {
                let width = self.face(weight).shaped_width(run, size, rtl);
                (run.to_string(), rtl, width)
            })
            .collect();
        for (run, rtl, width) in runs {
            self.pages[self.page].push(Mark::Text {
                x,
                baseline,
                size,
                weight,
                colour,
                text: run,
                rtl: Some(rtl),
            });
            x += width;
        }
    }

    /// Text placed by `align`: `x` is its left edge, centre or right edge.
    #[allow(clippy::too_many_arguments)]
    pub fn text_aligned(
        &mut self,
        x: f32,
        y: f32,
        align: Align,
        text: &str,
        size: f32,
        weight: Weight,
        colour: (u8, u8, u8),
    ) {
        let width = self.width_of(text, size, weight);
        let left = match align {
            Align::Left => x,
            Align::Centre => x - width / 2.0,
            Align::Right => x - width,
        };
        self.text_in(left, y, text, size, weight, colour);
    }

    /// At most `max_lines` lines of `text` at this width. When it needs more, the last line
    /// ends in "…" after the last whole word that fits (a single word too long for the line
    /// is cut, and marked with "…" too). Never empty for a text with a letter in it.
    pub fn fit(
        &self,
        text: &str,
        size: f32,
        weight: Weight,
        width: f32,
        max_lines: usize,
    ) -> Vec<String> {
        let max_lines = max_lines.max(1);
        let lines = self.wrap(text, size, weight, width);
        if lines.len() <= max_lines {
            return lines;
        }
        let mut kept: Vec<String> = lines[..max_lines - 1].to_vec();
        let rest: Vec<&str> = lines[max_lines - 1..]
            .iter()
            .flat_map(|l| l.split_whitespace())
            .collect();
        let mut words = rest.len();
        let last = loop {
            let candidate = format!("{}…", rest[..words].join(" "));
            if words <= 1 || self.width_of(&candidate, size, weight) <= width {
                break candidate;
            }
            words -= 1;
        };
        let mut last = last;
        while self.width_of(&last, size, weight) > width && last.chars().count() > 1 {
            let mut base = last.trim_end_matches('…').to_string();
            base.pop();
            last = format!("{}…", base.trim_end());
        }
        kept.push(last);
        kept
    }

    /// Writes the PDF (in Dutch).
    pub fn finish(self, title: &str) -> Result<Vec<u8>, PdfError> {
        self.finish_in(title, "nl")
    }

    /// Writes the PDF, saying in its metadata which language it is in (screen readers and
    /// text extraction use it).
    pub fn finish_in(self, title: &str, language: &str) -> Result<Vec<u8>, PdfError> {
        let mut document = Document::new();
        document.set_metadata(
            krilla::metadata::Metadata::new()
                .title(title.to_string())
                .language(language.to_string()),
        );
        let settings = PageSettings::from_wh(self.width, self.height)
            .ok_or_else(|| PdfError::Write("page size".into()))?;
        for marks in &self.pages {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            for mark in marks {
                match mark {
                    Mark::Text {
                        x,
                        baseline,
                        size,
                        weight,
                        colour,
                        text,
                        rtl,
                    } => {
                        surface.set_fill(Some(fill(*colour)));
                        let direction = match rtl {
                            None => TextDirection::Auto,
                            Some(true) => TextDirection::RightToLeft,
                            Some(false) => TextDirection::LeftToRight,
                        };
                        surface.draw_text(
                            Point::from_xy(*x, *baseline),
                            self.face(*weight).font.clone(),
                            *size,
                            text,
                            false,
                            direction,
                        );
                    }
                    Mark::Rect { x, y, w, h, colour } => {
                        let mut path = PathBuilder::new();
                        if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                            path.push_rect(rect);
                        }
                        if let Some(path) = path.finish() {
                            surface.set_fill(Some(fill(*colour)));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        document
            .finish()
            .map_err(|e| PdfError::Write(format!("{e:?}")))
    }
}

/// The whole width of a landscape page between the margins.
pub fn full_width() -> Column {
    Column {
        x: MARGIN,
        top: MARGIN,
        width: WIDTH - 2.0 * MARGIN,
        bottom: HEIGHT - MARGIN,
    }
}
