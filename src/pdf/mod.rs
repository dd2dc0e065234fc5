//! PDF documents drawn by the server (observation cards, decks, the stories booklet, the
//! verslag of a duidingssessie), with DejaVu Sans embedded (`assets/fonts`, Bitstream Vera
//! licence). A presentation layer like the templates: it gets plain data and returns bytes,
//! with no HTTP or SQL inside.
//!
//! Text flows: lines are broken at spaces by measured glyph widths, and whatever does not fit
//! goes on to a next page — nothing is cut off.

pub mod campaign;
pub mod card;
mod flow;
pub mod report;
pub mod room;

pub use card::{booklet, deck, Axis, Card, CardChart, CardFigures, CardStory, Poles, ShareRow};
pub use report::{
    session_report, ReportCluster, ReportNote, ReportProposal, ReportRank, ReportTable,
    SessionReport,
};
pub use room::room_overview;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}
