//! Postcodes (`1234 AB`) and street addresses (`Kerkstraat 12a`). A street name is a word with a
//! street suffix and the capitalised words and particles before it, or any capitalised name
//! after a word about living there (`ik woon op Rozengaarde 14`); a house number must follow. A
//! postcode written with a house number or after an address becomes part of the `[adres]`.

use std::sync::LazyLock;

use super::dates::month;
use super::lexicon::{is_particle, list_lines, WordList, CUE, STOP};
use super::tokens::{fold, Folded, Gap, T};
use super::{Cand, Ctx, Kind, PRIO_ADDRESS, PRIO_POSTCODE};

/// Street suffixes with whether they are strong: a strong one also counts on a compound in lower
/// case (`kerkstraat 12`). From `straatuitgangen.txt`, where `*` marks the strong ones.
static STREET_SUFFIXES: LazyLock<Vec<(Box<str>, bool)>> = LazyLock::new(|| {
    list_lines(data_file!("straatuitgangen.txt"))
        .map(|l| match l.strip_suffix('*') {
            Some(s) => (fold(s.trim_end()).into(), true),
            None => (fold(l).into(), false),
        })
        .collect()
});

/// The street suffix `folded` ends with, if any; with `strong_only` only a strong one.
pub(super) fn street_suffix(folded: &str, strong_only: bool) -> Option<&'static str> {
    let (s, _) = STREET_SUFFIXES
        .iter()
        .find(|(s, strong)| (*strong || !strong_only) && folded.ends_with(&**s))?;
    let s: &'static str = s;
    // -ring: ervaring, verandering, opvoering are not streets (Zuiderring is).
    if s == "ring"
        && (folded.ends_with("aring") || folded.ends_with("ering") || folded.ends_with("uring"))
        && !folded.ends_with("erring")
    {
        return None;
    }
    // -erf: bederf, zwerf; -wal: onwal; -pad: levenspad; keep it simple: the word is longer
    // than the suffix or capitalised, which the caller checks.
    Some(s)
}

/// Words that may stand in a street name before the part with the suffix
/// (`Burgemeester de Withstraat`, `Oude Gracht`, `Prins Hendrikkade`): `straatwoorden.txt`.
static STREET_PREFIXES: WordList = WordList::new(data_file!("straatwoorden.txt"));

fn is_street_prefix(folded: &str) -> bool {
    STREET_PREFIXES.contains(folded)
}

/// Words after a number that make it a quantity, not a house number: `eenheden.txt`.
static UNITS: WordList = WordList::new(data_file!("eenheden.txt"));

fn is_unit(folded: &str) -> bool {
    UNITS.contains(folded)
}

/// Words about where someone lives, before "op Rozengaarde 14": `woonwoorden.txt`.
static RESIDENCE_CUES: WordList = WordList::new(data_file!("woonwoorden.txt"));

fn is_residence_cue(folded: &str) -> bool {
    RESIDENCE_CUES.contains(folded)
}

impl Ctx<'_> {
    /// Is token `i` the start of a postcode (`1234 AB`, `1234AB`)? Returns the index of the
    /// letters token.
    fn postcode_at(&self, i: usize) -> Option<usize> {
        let toks = self.toks;
        let t = toks.get(i)?;
        if t.t != T::Num || t.end - t.start != 4 || self.text.as_bytes()[t.start] == b'0' {
            return None;
        }
        if t.start > 0 {
            let prev = self.text[..t.start].chars().next_back().unwrap_or(' ');
            if prev.is_alphanumeric() {
                return None;
            }
        }
        let l = i + 1;
        if !self.is_word(l) {
            return None;
        }
        let letters = self.s(l);
        if letters.len() != 2 || !letters.bytes().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        match toks[l].gap {
            Gap::None => {}
            Gap::Space => {
                let between = &self.text[t.end..toks[l].start];
                if between != " " && between != "\u{a0}" {
                    return None;
                }
                if !letters.bytes().all(|c| c.is_ascii_uppercase()) {
                    return None;
                }
            }
            Gap::Newline => return None,
        }
        // not followed directly by digits (1234AB12 is a code, not a postcode)
        if toks
            .get(l + 1)
            .is_some_and(|n| n.gap == Gap::None && n.t == T::Num)
        {
            return None;
        }
        Some(l)
    }

    /// A house number at token `i` (`12`, `12a`, `12-3`, `12 bis`): returns the end byte, or
    /// None when the number is a quantity (`12 jaar`), a time or a decimal.
    fn house_number_at(&self, i: usize) -> Option<(usize, usize)> {
        let toks = self.toks;
        let t = toks.get(i)?;
        if t.t != T::Num || t.end - t.start > 4 || self.text.as_bytes()[t.start] == b'0' {
            return None;
        }
        let mut last = i;
        let mut end = t.end;
        // 12a, 12A, 12bis, 12hs (but 2x is "twice")
        if self.is_word(last + 1) && toks[last + 1].gap == Gap::None {
            let w = self.s(last + 1);
            if w.len() <= 3
                && w.bytes().all(|c| c.is_ascii_alphabetic())
                && !w.eq_ignore_ascii_case("x")
            {
                last += 1;
                end = toks[last].end;
            } else {
                return None;
            }
        }
        // 12-3, 12-II, 12-hs
        if self.is_punct(last + 1, '-')
            && toks[last + 1].gap == Gap::None
            && toks.get(last + 2).is_some_and(|n| n.gap == Gap::None)
        {
            let n = last + 2;
            let ok = match toks[n].t {
                T::Num => toks[n].end - toks[n].start <= 4,
                T::Word => self.s(n).len() <= 3,
                _ => false,
            };
            if ok {
                last = n;
                end = toks[n].end;
            }
        }
        // a time or a decimal: 12:30, 12.30, 12,5
        if let Some(n) = toks.get(last + 1) {
            if n.gap == Gap::None
                && matches!(n.t, T::Punct(':' | '.' | ','))
                && toks
                    .get(last + 2)
                    .is_some_and(|m| m.gap == Gap::None && m.t == T::Num)
            {
                return None;
            }
            if n.gap == Gap::None && matches!(n.t, T::Punct('%' | '€')) {
                return None;
            }
        }
        // 12 bis, 12 hs, 12 A
        if self.is_word(last + 1) && toks[last + 1].gap == Gap::Space {
            let w = self.s(last + 1);
            let f = Folded::of(w);
            if matches!(f.as_str(), "bis" | "hs" | "bg")
                || (w.len() == 1
                    && w.bytes().all(|c| c.is_ascii_uppercase())
                    && !self.is_punct(last + 2, '.'))
            {
                last += 1;
                end = toks[last].end;
            } else if is_unit(&f) || month(&f).is_some() {
                return None;
            } else if matches!(f.as_str(), "en" | "of" | "tot" | "a" | "à") {
                // a range of quantities: 2 of 3 keer, 2 tot 3 uur
                let n = last + 2;
                if toks.get(n).is_some_and(|t| t.t == T::Num)
                    && self.is_word(n + 1)
                    && is_unit(&self.folded(n + 1))
                {
                    return None;
                }
            }
        }
        Some((last, end))
    }

    /// Proposes postcodes and addresses.
    pub(super) fn postcodes_and_addresses(&mut self, out: &mut Vec<Cand>) {
        let toks = self.toks;
        for i in 0..toks.len() {
            if toks[i].t != T::Num {
                continue;
            }
            // Postcode, possibly followed by a house number: 1234 AB 12.
            if let Some(l) = self.postcode_at(i) {
                let mut k = l + 1;
                if self.is_punct(k, ',') {
                    k += 1;
                }
                match self.house_number_at(k) {
                    Some((_, end)) if toks[k].gap == Gap::Space => {
                        out.push(Cand::new(toks[i].start, end, Kind::Adres, PRIO_ADDRESS));
                    }
                    _ => out.push(Cand::new(
                        toks[i].start,
                        toks[l].end,
                        Kind::Postcode,
                        PRIO_POSTCODE,
                    )),
                }
            }
            // Street and house number.
            if toks[i].gap != Gap::Space || i == 0 {
                continue;
            }
            let street = self
                .street_before(i - 1)
                .or_else(|| self.residence_before(i - 1));
            if let Some(start) = street {
                let Some((last, mut end)) = self.house_number_at(i) else {
                    continue;
                };
                // a postcode written after the number: Kerkstraat 12, 1234 AB
                let mut k = last + 1;
                if self.is_punct(k, ',') {
                    k += 1;
                }
                let mut with_postcode = false;
                if toks.get(k).is_some_and(|t| t.gap == Gap::Space) {
                    if let Some(l) = self.postcode_at(k) {
                        end = toks[l].end;
                        with_postcode = true;
                    }
                }
                // "zomerkamp 2019": a year, unless a postcode follows
                let number = self.s(i);
                let year_like = number.len() == 4
                    && number
                        .parse::<u32>()
                        .is_ok_and(|v| (1900..=2099).contains(&v));
                if year_like && !with_postcode {
                    continue;
                }
                out.push(Cand::new(start, end, Kind::Adres, PRIO_ADDRESS));
            }
        }
    }

    /// A street name without a street suffix, recognised by what stands before it: "ik woon op
    /// Rozengaarde 14", "we verhuisden naar de Zwanenvecht 12". Token `w` is the word before
    /// the house number; returns the byte where the name starts.
    fn residence_before(&self, w: usize) -> Option<usize> {
        let toks = self.toks;
        // the name: up to four capitalised words, with particles between them
        let mut k = w;
        let mut start = None;
        let mut words = 0;
        loop {
            if !self.is_word(k) || words >= 4 {
                break;
            }
            let f = self.folded(k);
            if toks[k].cap && self.lex.flags(&f) & (STOP | CUE) == 0 {
                start = Some(k);
            } else if !(is_particle(&f) && start.is_some()) {
                break;
            }
            words += 1;
            if k == 0 || toks[k].gap != Gap::Space {
                break;
            }
            k -= 1;
        }
        let first = start?;
        // before it: op/aan/naar, maybe with de/het
        let mut p = first.checked_sub(1)?;
        if !self.is_word(p) || toks[first].gap != Gap::Space {
            return None;
        }
        if matches!(&*self.folded(p), "de" | "het") {
            p = p.checked_sub(1)?;
            if !self.is_word(p) {
                return None;
            }
        }
        if !matches!(&*self.folded(p), "op" | "aan" | "naar") {
            return None;
        }
        // and a word about living there, earlier in the same sentence
        let mut q = p;
        for _ in 0..8 {
            if q == 0 || toks[q].gap == Gap::Newline {
                return None;
            }
            q -= 1;
            match toks[q].t {
                T::Word if is_residence_cue(&self.folded(q)) => return Some(toks[first].start),
                T::Punct('.' | '!' | '?') => return None,
                _ => {}
            }
        }
        None
    }

    /// If word token `w` ends a street name, the byte where that name starts.
    fn street_before(&mut self, w: usize) -> Option<usize> {
        let toks = self.toks;
        if !self.is_word(w) {
            return None;
        }
        let last = self.folded(w);
        let last_cap = toks[w].cap;
        if !last_cap {
            // lower case: only a compound with a strong suffix, kerkstraat 12
            let s = street_suffix(&last, true)?;
            if last.len() <= s.len() + 1 {
                return None;
            }
            return Some(toks[w].start);
        }
        let mut has_suffix = false;
        let mut start = toks[w].start;
        let mut k = w;
        let mut words = 0;
        loop {
            let f = self.folded(k);
            let cap = toks[k].cap;
            let part = if cap {
                if let Some(s) = street_suffix(&f, false) {
                    if f.len() > s.len() || f == s {
                        has_suffix = true;
                    }
                    true
                } else {
                    is_street_prefix(&f) || self.lex.flags(&f) & (STOP | CUE) == 0
                }
            } else {
                is_particle(&f)
            };
            if !part {
                break;
            }
            if cap {
                start = toks[k].start;
            }
            words += 1;
            if words >= 6 || toks[k].gap == Gap::Newline || k == 0 {
                break;
            }
            // the word before must be separated by a space only (or be the 't of in 't)
            if toks[k].gap != Gap::Space || !self.is_word(k - 1) {
                break;
            }
            if cap && self.sentence_start(k) {
                break;
            }
            k -= 1;
        }
        has_suffix.then_some(start)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::anonymise::tests::{none_of, one};
    use crate::domain::anonymise::Kind;

    #[test]
    fn postcodes_and_addresses() {
        one("Kerkstraat 12 in Utrecht", "Kerkstraat 12", Kind::Adres);
        one(
            "op de kerkstraat 12a woon ik",
            "kerkstraat 12a",
            Kind::Adres,
        );
        one("Hoofdweg 12-3 is het", "Hoofdweg 12-3", Kind::Adres);
        one(
            "Vondelstraat 7 bis in Amsterdam",
            "Vondelstraat 7 bis",
            Kind::Adres,
        );
        one(
            "aan de Burgemeester de Withstraat 14a, 3512 JK Utrecht",
            "Burgemeester de Withstraat 14a, 3512 JK",
            Kind::Adres,
        );
        one(
            "Laan van Meerdervoort 123 in Den Haag",
            "Laan van Meerdervoort 123",
            Kind::Adres,
        );
        one("aan de Oude Gracht 112", "Oude Gracht 112", Kind::Adres);
        one("postcode 1234AB 12", "1234AB 12", Kind::Adres);
        one("postcode 2511 CV, Den Haag", "2511 CV", Kind::Postcode);
        one("postcode 2511cv", "2511cv", Kind::Postcode);
        // a street without a suffix after a word about living there
        one(
            "Wij wonen sinds kort op Rozengaarde 14.",
            "Rozengaarde 14",
            Kind::Adres,
        );
        one(
            "We verhuisden naar de Zwanenvecht 12a.",
            "Zwanenvecht 12a",
            Kind::Adres,
        );
        none_of("Het huis op Rozengaarde 14 was klein.", Kind::Adres);
        none_of("Ik woon in Utrecht 3 jaar.", Kind::Adres);
        one(
            "op de Kerkstraat 12 en mijn oma op nummer 14",
            "Kerkstraat 12",
            Kind::Adres,
        );
        for text in [
            "Ik stond op de Kerkstraat 2 uur te wachten.",
            "Ik liep 2 of 3 keer over de Hoofdweg 2 of 3 keer per dag.",
            "Op de Hoofdweg 3 keer per dag.",
            "Ik heb 2 jaar op de Kerkstraat gewoond.",
            "De ervaring 3 jaar lang",
            "Ervaring 3: de wachtlijst",
            "in 2019 en 2020",
            "we woonden op nummer 12",
            "het snelweg 2 uur",
        ] {
            none_of(text, Kind::Adres);
        }
        none_of("in 2019 EN 2020", Kind::Postcode);
        none_of("in 2019 en 2020", Kind::Postcode);
    }
}
