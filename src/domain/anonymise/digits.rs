//! Digits of the Arabic script read as ASCII digits: a phone number, BSN or date typed on an
//! Arabic or Persian keyboard ("٠٦١٢٣٤٥٦٧٨", "۰۶۱۲۳۴۵۶۷۸") is found like "0612345678". The
//! detectors read ASCII digits only, so such a text is rewritten once and every span is mapped
//! back to the original. The direction marks that phones put around numbers in right-to-left
//! text (LRM, RLM, ALM) are left out of the rewritten text, so that they do not split a number.

use super::Redaction;

/// A text with its digits as ASCII, and where each of its bytes came from.
pub(super) struct AsciiDigits {
    pub(super) text: String,
    /// Per byte of `text`: where the character it belongs to starts and ends in the original
    /// (so that a span never takes in a left-out mark beside it).
    starts: Vec<usize>,
    ends: Vec<usize>,
    /// The length of the original.
    len: usize,
}

/// What a character becomes: `Some(digit)` for a digit of the Arabic script, `Some(None)` for
/// a direction mark (left out), `None` for anything else (kept).
fn rewrite(c: char) -> Option<Option<char>> {
    let digit = |zero: char| char::from(b'0' + (c as u32 - zero as u32) as u8);
    match c {
        '\u{660}'..='\u{669}' => Some(Some(digit('\u{660}'))),
        '\u{6f0}'..='\u{6f9}' => Some(Some(digit('\u{6f0}'))),
        '\u{200e}' | '\u{200f}' | '\u{61c}' => Some(None),
        _ => None,
    }
}

/// The text rewritten, or `None` when it has nothing to rewrite (almost every text). The
/// characters above are found by their UTF-8 bytes in one pass: U+0660–0669 are `D9 A0`–`D9
/// A9`, U+06F0–06F9 `DB B0`–`DB B9`, ALM `D8 9C`, LRM and RLM `E2 80 8E` and `E2 80 8F`.
pub(super) fn ascii_digits(text: &str) -> Option<AsciiDigits> {
    let b = text.as_bytes();
    let found = (0..b.len().saturating_sub(1)).any(|i| match (b[i], b[i + 1]) {
        (0xd9, 0xa0..=0xa9) | (0xdb, 0xb0..=0xb9) | (0xd8, 0x9c) => true,
        (0xe2, 0x80) => matches!(b.get(i + 2), Some(0x8e | 0x8f)),
        _ => false,
    });
    if !found {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut starts = Vec::with_capacity(text.len());
    let mut ends = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        match rewrite(c) {
            Some(Some(digit)) => {
                out.push(digit);
                starts.push(at);
                ends.push(end);
            }
            Some(None) => {}
            None => {
                out.push(c);
                starts.extend(at..end);
                ends.extend(at + 1..=end);
            }
        }
    }
    Some(AsciiDigits {
        text: out,
        starts,
        ends,
        len: text.len(),
    })
}

impl AsciiDigits {
    /// The spans found in the rewritten text, as spans of the original.
    pub(super) fn map_back(&self, spans: Vec<Redaction>) -> Vec<Redaction> {
        let start = |i: usize| self.starts.get(i).copied().unwrap_or(self.len);
        let end = |i: usize| match i.checked_sub(1) {
            Some(last) => self.ends.get(last).copied().unwrap_or(self.len),
            None => 0,
        };
        spans
            .into_iter()
            .map(|r| Redaction {
                start: start(r.start),
                end: end(r.end),
                kind: r.kind,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::anonymise::{anonymise, find, ExtraTerms, Kind};

    #[test]
    fn texts_without_such_characters_are_left_alone() {
        assert!(ascii_digits("Bel 06-12345678 – of mail “mij”.").is_none());
        assert!(ascii_digits("رقمي 0612345678").is_none());
    }

    #[test]
    fn arabic_and_persian_digits_become_ascii() {
        let folded = ascii_digits("رقمي ٠٦١٢٣٤٥٦٧٨ و۰۶").expect("rewritten");
        assert_eq!(folded.text, "رقمي 0612345678 و06");
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "رقمي \u{200e}٠٦-١٢٣٤٥٦٧٨\u{200f} شكرا";
        let spans = find(text, &ExtraTerms::none());
        assert_eq!(spans.len(), 1, "{spans:?}");
        assert_eq!(spans[0].kind, Kind::Telefoon);
        assert_eq!(&text[spans[0].start..spans[0].end], "٠٦-١٢٣٤٥٦٧٨");
        assert_eq!(
            anonymise(text, &ExtraTerms::none()),
            "رقمي \u{200e}[telefoon]\u{200f} شكرا"
        );
    }
}
