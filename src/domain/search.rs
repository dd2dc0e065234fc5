//! Search words typed by staff, reduced to the words a full-text index can look up.
//!
//! A search box is not a query language: quotes, `*`, `AND`, `NEAR(`, `-` or `'` typed by a
//! person are never operators. [`terms`] keeps only the words (runs of letters and digits),
//! lower-cased; the store quotes each of them for its index (`store::search_index`), so no
//! input can make a query fail. A story matches when it has every word; the last word may be
//! the start of a longer one, because people stop typing at "jeugd" and expect "jeugdzorg".
//!
//! Dutch words that occur in nearly every text ("de", "het", "niet" …) are left out: they would
//! find everything, and PostgreSQL's `dutch` configuration drops them from its index anyway, so
//! leaving them out here keeps both backends alike. How each backend matches inflections is in
//! docs/architecture.md ("Full-text search").

use rust_stemmers::{Algorithm, Stemmer};

/// At most this many words count; more only makes the query slower.
const MAX_TERMS: usize = 8;

/// PostgreSQL's Dutch stop words (`tsearch_data/dutch.stop`, from the Snowball project).
const STOP_WORDS: &[&str] = &[
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
    "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge",
    "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe",
    "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "kan", "kon", "kunnen", "maar", "me",
    "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu", "of",
    "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen",
    "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "werd", "wezen",
    "wie", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder",
    "zou",
];

/// The words to look for, lower-cased, in the order typed, without repeats. Words of one
/// letter, stop words and punctuation are left out, so the list may be empty.
pub fn terms(input: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
    {
        let word = word.to_lowercase();
        if STOP_WORDS.contains(&word.as_str()) || out.contains(&word) {
            continue;
        }
        out.push(word);
        if out.len() == MAX_TERMS {
            break;
        }
    }
    out
}

/// The Dutch Snowball stem of a lower-cased word ("wachtlijsten" → "wachtlijst"), or the word
/// itself when the stem would be shorter than two letters (it would match nearly everything).
/// The stemmer also drops accents ("café" → "caf").
pub fn stem(word: &str) -> String {
    let stem = Stemmer::create(Algorithm::Dutch).stem(word).into_owned();
    if stem.chars().count() >= 2 {
        stem
    } else {
        word.to_string()
    }
}

/// Tests texts for search words the way the SQLite index (FTS5, `unicode61
/// remove_diacritics 2`, see `store::search_index`) matches them: a text matches when, for
/// every word, one of its tokens starts with the word or with the word's stem, tokens being
/// runs of letters and digits, lower-cased and without accents.
///
/// Used to test a sample or a page of stories on SQLite: asking FTS5 whether one row matches
/// a prefix query costs as much as the whole query (every term with the prefix is merged), a
/// thousand times over.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Per word, the prefixes of which one must start a token.
    words: Vec<Vec<String>>,
}

impl Matcher {
    pub fn new(terms: &[String]) -> Self {
        let words = terms
            .iter()
            .map(|word| {
                let stem = stem(word);
                let mut prefixes = vec![fold(&stem)];
                if !word.starts_with(&stem) {
                    prefixes.push(fold(word));
                }
                prefixes
            })
            .collect();
        Self { words }
    }

    /// Whether the texts together have every word (no words: nothing matches, as in the
    /// index).
    pub fn matches(&self, texts: &[&str]) -> bool {
        if self.words.is_empty() {
            return false;
        }
        // A thousand stories are tested per search: stop at the first token that completes
        // the words, and fold (allocate) only tokens that are not plain ASCII.
        let mut found = vec![false; self.words.len()];
        let mut left = self.words.len();
        let tokens = texts
            .iter()
            .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
            .filter(|t| !t.is_empty());
        for token in tokens {
            let folded;
            let token = if token.is_ascii() {
                token
            } else {
                folded = fold(token);
                folded.as_str()
            };
            for (w, prefixes) in self.words.iter().enumerate() {
                if !found[w] && prefixes.iter().any(|p| starts_with_folded(token, p)) {
                    found[w] = true;
                    left -= 1;
                    if left == 0 {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// Whether `token` (ASCII in any case, or folded) starts with the folded `prefix`.
fn starts_with_folded(token: &str, prefix: &str) -> bool {
    token.len() >= prefix.len()
        && token.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Lower-cased, accents taken off (decomposed, combining marks dropped), as FTS5's
/// `remove_diacritics 2` does for Latin letters.
fn fold(text: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    text.to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matcher_finds_words_stems_and_prefixes_without_accents() {
        let m = Matcher::new(&terms("wachtlijsten café"));
        assert!(m.matches(&["Lange WACHTLIJST", "in het Cafe-terras"]));
        assert!(m.matches(&["", "wachtlijstje bij het cafétje"]));
        assert!(!m.matches(&["Lange wachtlijst", "geen koffie"]));
        assert!(
            !m.matches(&["ophetwachtlijst café"]),
            "a token must start with it"
        );
        let jeugd = Matcher::new(&terms("jeugd"));
        assert!(jeugd.matches(&["Jeugdzorg was fijn"]));
        assert!(!Matcher::new(&[]).matches(&["alles"]));
    }

    #[test]
    fn inflected_words_share_a_stem() {
        assert_eq!(stem("wachtlijsten"), stem("wachtlijst"));
        assert_eq!(stem("gesprekken"), stem("gesprek"));
        assert!("wachtlijst".starts_with(&stem("wachtlijsten")));
        assert_eq!(stem("café"), stem("cafe"));
    }

    #[test]
    fn only_words_remain_of_what_was_typed() {
        assert_eq!(terms("  , . ! "), Vec::<String>::new());
        assert_eq!(terms("a ik, ik"), Vec::<String>::new());
        assert_eq!(terms("Jeugd JEUGD jeugdzorg"), ["jeugd", "jeugdzorg"]);
        assert_eq!(
            terms("één twee drie vier vijf zes zeven acht negen tien").len(),
            8
        );
        assert_eq!(terms("100%"), ["100"]);
        // Query syntax of SQLite FTS5 and PostgreSQL tsquery is only separators here.
        assert_eq!(
            terms(r#""wacht*" AND NEAR(zorg -hulp) 'x' OR\ (a:* & !b | c)"#),
            ["wacht", "and", "near", "zorg", "hulp", "or"]
        );
        assert_eq!(
            terms("de jongeren en het wijkteam"),
            ["jongeren", "wijkteam"]
        );
    }

    #[test]
    fn every_stop_word_is_lower_case_and_listed_once() {
        for (i, w) in STOP_WORDS.iter().enumerate() {
            assert_eq!(*w, w.to_lowercase());
            assert!(!STOP_WORDS[..i].contains(w), "{w} twice");
        }
        assert_eq!(STOP_WORDS.len(), 101);
    }
}
