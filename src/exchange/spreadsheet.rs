//! What the XLSX writers (research export, proposals export) share: a cell's length limit and
//! rust_xlsxwriter's errors as ours.

use super::csv_v1::CsvError;
use rust_xlsxwriter::XlsxError;

/// The longest text a spreadsheet cell holds.
const MAX_CELL_CHARS: usize = 32_767;

pub(crate) fn xlsx_error(e: XlsxError) -> CsvError {
    CsvError::Io(std::io::Error::other(e.to_string()))
}

/// `text` cut to what a cell holds, at a character.
pub(crate) fn cell_text(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_cut_at_a_character() {
        let long = "é".repeat(MAX_CELL_CHARS + 5);
        assert_eq!(cell_text(&long).chars().count(), MAX_CELL_CHARS);
        assert_eq!(cell_text("kort"), "kort");
    }
}
