//! Search words typed by staff, reduced to the part that Dutch inflections share.
//!
//! Each word is lower-cased and stemmed with the Dutch Snowball stemmer, and a story matches
//! when its title or text contains every stem. Matching the stem as a substring finds
//! "wachtlijsten" for "wachtlijst" and "gesprekken" for "gesprek" without an index.

use rust_stemmers::{Algorithm, Stemmer};

/// At most this many words count; more only makes the query slower.
const MAX_TERMS: usize = 8;

/// The stems to look for, in the order typed, without repeats. Words of one letter and
/// punctuation are left out.
pub fn terms(input: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::Dutch);
    let mut out: Vec<String> = Vec::new();
    for word in input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
    {
        let lower = word.to_lowercase();
        let stem = stemmer.stem(&lower).into_owned();
        // A stem shorter than two letters would match nearly everything.
        let term = if stem.chars().count() >= 2 {
            stem
        } else {
            lower
        };
        if !out.contains(&term) {
            out.push(term);
        }
        if out.len() == MAX_TERMS {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_words_share_a_stem() {
        assert_eq!(terms("wachtlijsten"), terms("wachtlijst"));
        assert_eq!(terms("Gesprekken"), terms("gesprek"));
        let stem = &terms("wachtlijsten")[0];
        assert!("ik stond op de wachtlijst".contains(stem.as_str()));
    }

    #[test]
    fn punctuation_short_words_and_repeats_are_left_out() {
        assert_eq!(terms("  , . ! "), Vec::<String>::new());
        assert_eq!(terms("a ik, ik"), ["ik"]);
        assert_eq!(
            terms("één twee drie vier vijf zes zeven acht negen tien").len(),
            8
        );
        assert_eq!(terms("100%"), ["100"]);
    }
}
