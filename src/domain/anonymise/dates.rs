//! Dates with a month name (`12 maart 2010`, `3 mrt. 2009`, `12 maart '10`), and the birth cues
//! (`geboren`, `geb.`, `jarig`) after which a day and month without a year count as a date too,
//! here and for the numeric dates of `numbers` (`geboren op 8-4`).

use std::sync::LazyLock;

use super::lexicon::{list_lines, WordList};
use super::tokens::{fold, Gap, T};
use super::{Cand, Ctx, Kind, PRIO_DATE};

/// Month names and their abbreviations, folded, with the month's number: `maanden.txt`, one
/// month per line as `3 maart mrt mar maa`.
static MONTHS: LazyLock<Vec<(Box<str>, u8)>> = LazyLock::new(|| {
    let mut months = Vec::new();
    for line in list_lines(data_file!("maanden.txt")) {
        let mut words = line.split_whitespace();
        // a line without a month number is skipped (`every_month_has_a_name` checks the file)
        let Some(number) = words.next().and_then(|n| n.parse::<u8>().ok()) else {
            continue;
        };
        months.extend(words.map(|w| (fold(w).into(), number)));
    }
    months
});

/// Month names and their abbreviations (folded) → month number.
pub(super) fn month(folded: &str) -> Option<u8> {
    MONTHS
        .iter()
        .find(|(name, _)| **name == *folded)
        .map(|&(_, number)| number)
}

/// Words that announce a date of birth: `geboortewoorden.txt`.
static BIRTH_CUES: WordList = WordList::new(data_file!("geboortewoorden.txt"));

fn is_birth_cue(folded: &str) -> bool {
    BIRTH_CUES.contains(folded)
}

impl Ctx<'_> {
    /// Does a birth cue (`geboren`, `geboortedatum`, `jarig`) stand at most four words before
    /// token `i`, in the same sentence?
    pub(super) fn birth_cue_before(&self, i: usize) -> bool {
        let mut words = 0;
        let mut k = i;
        while k > 0 && words < 4 && i - k < 12 {
            k -= 1;
            match self.toks[k].t {
                T::Word => {
                    words += 1;
                    if is_birth_cue(&self.folded(k)) {
                        return true;
                    }
                }
                T::Punct('.') => {
                    // "geb." is an abbreviation, a full stop after anything else ends it
                    if k > 0 && self.is_word(k - 1) && self.folded(k - 1) == "geb" {
                        continue;
                    }
                    return false;
                }
                T::Punct('!' | '?') => return false,
                _ => {}
            }
        }
        false
    }

    /// Is token `i` (or the one after it) `jarig` or `geboren`: "op 8 augustus jarig"?
    fn birth_cue_right_after(&self, i: usize) -> bool {
        (i..i + 2).take_while(|&k| self.is_word(k)).any(|k| {
            let f = self.folded(k);
            matches!(f.as_str(), "jarig" | "geboren" | "verjaart")
        })
    }

    /// Proposes dates with a month name.
    pub(super) fn month_dates(&mut self, out: &mut Vec<Cand>) {
        let toks = self.toks;
        for m in 1..toks.len() {
            // The longest month name is "października" (13 bytes) or, in Cyrillic and Arabic
            // letters of two bytes each, "листопада" (18 bytes).
            if toks[m].t != T::Word
                || toks[m].end - toks[m].start > 26
                || toks[m].gap == Gap::Newline
            {
                continue;
            }
            // the day before: 12 maart, 12maart, 12e maart, 1ste mei
            let d = match toks[m - 1].t {
                T::Num => m - 1,
                T::Word
                    if m >= 2
                        && toks[m - 2].t == T::Num
                        && toks[m - 1].gap == Gap::None
                        && matches!(self.s(m - 1), "e" | "de" | "ste" | "ste." | "e.") =>
                {
                    m - 2
                }
                _ => continue,
            };
            let f = self.folded(m);
            if month(&f).is_none() {
                continue;
            }
            let day = self.s(d).parse::<u32>().unwrap_or(0);
            if !(1..=31).contains(&day) || self.s(d).len() > 2 {
                continue;
            }
            if d > 0 {
                // not part of a larger number: 1.12 maart
                let p = toks[d - 1];
                if toks[d].gap == Gap::None
                    && matches!(p.t, T::Num | T::Punct('.' | ',' | '-' | '/'))
                {
                    continue;
                }
            }
            let mut end = toks[m].end;
            let mut after = m + 1;
            if self.is_punct(after, '.') && toks[after].gap == Gap::None {
                after += 1;
                if f.len() <= 4 {
                    end = toks[m + 1].end;
                }
            }
            // the year: 12 maart 2010, 12 maart '10
            let year_end = match toks.get(after) {
                Some(y)
                    if y.t == T::Num
                        && y.gap == Gap::Space
                        && y.end - y.start == 4
                        && self.text[y.start..y.end]
                            .parse::<u32>()
                            .is_ok_and(|v| (1900..=2099).contains(&v))
                        // a year glued to more digits is not one: 12 maart 2010,5
                        && !toks
                            .get(after + 2)
                            .is_some_and(|t| t.t == T::Num && t.gap == Gap::None) =>
                {
                    Some(y.end)
                }
                Some(q)
                    if matches!(q.t, T::Punct('\'' | '’'))
                        && q.gap == Gap::Space
                        && toks.get(after + 1).is_some_and(|y| {
                            y.t == T::Num && y.gap == Gap::None && y.end - y.start == 2
                        }) =>
                {
                    Some(toks[after + 1].end)
                }
                _ => None,
            };
            if let Some(year_end) = year_end {
                out.push(Cand::new(toks[d].start, year_end, Kind::Datum, PRIO_DATE));
            } else if self.birth_cue_before(d) || self.birth_cue_right_after(after) {
                out.push(Cand::new(toks[d].start, end, Kind::Datum, PRIO_DATE));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::anonymise::tests::{none_of, one};

    #[test]
    fn dates_and_years() {
        one("op 12-03-2010 was het", "12-03-2010", Kind::Datum);
        one("op 12/3/2010 was het", "12/3/2010", Kind::Datum);
        one("op 12.03.2010 was het", "12.03.2010", Kind::Datum);
        one("op 2010-03-12 was het", "2010-03-12", Kind::Datum);
        one("op 12 maart 2010 was het", "12 maart 2010", Kind::Datum);
        one("op 3 mrt. 2009 was het", "3 mrt. 2009", Kind::Datum);
        one("op 3 Mrt 2009 was het", "3 Mrt 2009", Kind::Datum);
        one(
            "Hij is geboren op 12 maart, net als",
            "12 maart",
            Kind::Datum,
        );
        one("geb. 3 mrt. in Zwolle", "3 mrt.", Kind::Datum);
        one("jarig op 8 juni", "8 juni", Kind::Datum);
        one("geboren op 8-4 in Leiden", "8-4", Kind::Datum);
        one("geboren op 12 maart '10 in", "12 maart '10", Kind::Datum);
        one("op 12e maart 2010 kwam", "12e maart 2010", Kind::Datum);
        one("op 1ste mei 2020 kwam", "1ste mei 2020", Kind::Datum);
        for text in [
            "In 2019 zijn we verhuisd.",
            "In maart begon de hulp.",
            "In maart 2022 mocht ik terug.",
            "Op 12 maart moest ik weer naar school.",
            "Na 3 maanden en 2 weken kwam er hulp.",
            "van 2016 tot 2019",
            "het protocol 2018-2020",
            "een 12-jarige jongen",
            "de wachttijd was 12-16 weken",
            "om 12.30 uur",
            "€ 1.250,00",
        ] {
            none_of(text, Kind::Datum);
        }
    }

    #[test]
    fn every_month_has_a_name() {
        for (number, name) in [
            (1, "januari"),
            (2, "februari"),
            (3, "maart"),
            (4, "april"),
            (5, "mei"),
            (6, "juni"),
            (7, "juli"),
            (8, "augustus"),
            (9, "september"),
            (10, "oktober"),
            (11, "november"),
            (12, "december"),
        ] {
            assert_eq!(month(name), Some(number), "{name}");
        }
        assert_eq!(month("mrt"), Some(3));
        assert_eq!(month("sept"), Some(9));
        assert_eq!(month("maandag"), None);
        // The other languages of the interface, folded as the text is.
        for (name, number) in [
            ("march", 3),
            ("subat", 2),
            ("aralik", 12),
            ("marca", 3),
            ("pazdziernika", 10),
            ("березня", 3),
            ("листопада", 11),
            ("مارس", 3),
            ("آذار", 3),
            ("ديسمبر", 12),
        ] {
            assert_eq!(month(name), Some(number), "{name}");
        }
        assert!(MONTHS.iter().all(|(_, n)| (1..=12).contains(n)));
    }
}
