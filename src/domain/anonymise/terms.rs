//! The project's own terms (local organisations, professionals' names): [`ExtraTerms`] compiles
//! a project's list once into one Aho-Corasick automaton, so that a story is scanned for all of
//! them in one pass, and proposes every whole-word match with the kind the project gave it.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{Cand, Kind, PRIO_EXTRA};

/// A project's own list of terms to replace, such as local organisations (`[organisatie]`) or
/// professionals' names (`[naam]`), compiled once into one automaton.
///
/// Terms match case-insensitively (ASCII letters in any case; for other letters the term as
/// written, all lowercase, all uppercase and with capitalised words) and only as whole words or
/// phrases: the characters on either side of a match must not be letters or digits. Where terms
/// overlap the longest one starting leftmost wins. Runs of whitespace in a term are read as one
/// space (the text must then have a single space there too). Terms shorter than two characters
/// are ignored.
#[derive(Debug, Clone, Default)]
pub struct ExtraTerms {
    automaton: Option<AhoCorasick>,
    /// The kind of each pattern in the automaton, by pattern id.
    kinds: Vec<Kind>,
    terms: usize,
}

impl ExtraTerms {
    /// No extra terms.
    pub fn none() -> Self {
        Self::default()
    }

    /// Compiles a project's list of `(term, kind)` pairs.
    pub fn new<I, S>(terms: I) -> Self
    where
        I: IntoIterator<Item = (S, Kind)>,
        S: AsRef<str>,
    {
        let mut patterns: Vec<String> = Vec::new();
        let mut kinds: Vec<Kind> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut count = 0;
        for (term, kind) in terms {
            let term = term
                .as_ref()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if term.chars().count() < 2 {
                continue;
            }
            count += 1;
            let capitalised = term
                .split(' ')
                .map(|w| {
                    let mut cs = w.chars();
                    match cs.next() {
                        Some(c) => c.to_uppercase().chain(cs).collect::<String>(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            // the automaton ignores the case of ASCII letters; the variants are for the others
            let variants = if term.is_ascii() {
                vec![term.clone()]
            } else {
                vec![
                    term.clone(),
                    term.to_lowercase(),
                    term.to_uppercase(),
                    capitalised,
                ]
            };
            for variant in variants {
                if seen.insert(variant.clone()) {
                    patterns.push(variant);
                    kinds.push(kind);
                }
            }
        }
        if patterns.is_empty() {
            return Self::default();
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("extra terms compile");
        Self {
            automaton: Some(automaton),
            kinds,
            terms: count,
        }
    }

    /// How many terms the list holds (after dropping empty and one-character terms).
    pub fn len(&self) -> usize {
        self.terms
    }

    pub fn is_empty(&self) -> bool {
        self.terms == 0
    }

    /// Proposes every whole-word match in `text`.
    pub(super) fn scan(&self, text: &str, out: &mut Vec<Cand>) {
        let Some(ac) = &self.automaton else { return };
        for m in ac.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let before_ok = text[..s]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = text[e..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok {
                out.push(Cand::new(
                    s,
                    e,
                    self.kinds[m.pattern().as_usize()],
                    PRIO_EXTRA,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::anonymise::anonymise;

    #[test]
    fn extra_terms() {
        let extra = ExtraTerms::new([
            ("Het Baken", Kind::Organisatie),
            ("Jorien Hagenaars", Kind::Naam),
            ("Élan", Kind::Organisatie),
            ("x", Kind::Naam),
        ]);
        assert_eq!(extra.len(), 3);
        let a = |t: &str| anonymise(t, &extra);
        assert_eq!(
            a("Bij Het Baken was het fijn."),
            "Bij [organisatie] was het fijn."
        );
        assert_eq!(
            a("bij het baken was het fijn"),
            "bij [organisatie] was het fijn"
        );
        assert_eq!(a("BIJ HET BAKEN"), "BIJ [organisatie]");
        assert_eq!(a("jorien hagenaars zei"), "[naam] zei");
        // whitespace in the text must be a single space
        assert_eq!(a("Het  Baken"), "Het  Baken");
        assert_eq!(a("bij élan en ÉLAN"), "bij [organisatie] en [organisatie]");
        // whole words only
        assert_eq!(a("Het Bakenhuis"), "Het Bakenhuis");
        // the one-letter term is ignored
        assert_eq!(a("x y z"), "x y z");
        // inside an e-mail address or URL the address wins
        assert_eq!(
            a("www.hetbaken.nl en info@het-baken.nl"),
            "[url] en [e-mail]"
        );
        assert!(ExtraTerms::none().is_empty());
        assert_eq!(
            ExtraTerms::new(Vec::<(String, Kind)>::new()).len(),
            0,
            "an empty list compiles to nothing"
        );
    }
}
