//! PDF documents drawn by the server (observation cards, decks, the stories booklet), with
//! DejaVu Sans embedded (`assets/fonts`, Bitstream Vera licence). A presentation layer like
//! the templates: it gets plain data and returns bytes, with no HTTP or SQL inside.
//!
//! Text flows: lines are broken at spaces by measured glyph widths, and whatever does not fit
//! goes on to a next page — nothing is cut off.

pub mod card;
mod flow;

pub use card::{booklet, deck, Card, CardDensity, CardFigures, CardStory, GroupFigures};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}
