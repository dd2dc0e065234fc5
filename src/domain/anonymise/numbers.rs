//! Numbers written as digit groups: Dutch and foreign phone numbers, the BSN (11-proef) and
//! numeric dates (`12-03-2010`). Groups joined by at most three characters of space, `-`, `.`,
//! `/` or brackets form a chunk; within a chunk the longest run of groups that is one of these
//! is taken, leftmost first. Phone numbers are here, not with the e-mail addresses, because the
//! same grouping rules tell them apart from dates and BSNs.

use super::tokens::{Gap, T};
use super::{Cand, Ctx, Kind, PRIO_DATE, PRIO_NUMBER};

impl Ctx<'_> {
    /// Proposes phone numbers, BSNs and numeric dates.
    pub(super) fn numbers(&mut self, out: &mut Vec<Cand>) {
        let toks = self.toks;
        let mut i = 0;
        let mut chunk: Vec<usize> = Vec::new();
        while i < toks.len() {
            if toks[i].t != T::Num {
                i += 1;
                continue;
            }
            chunk.clear();
            chunk.push(i);
            let mut j = i;
            loop {
                // next Num token reachable through at most 3 separator characters
                let mut k = j + 1;
                while k < toks.len() && matches!(toks[k].t, T::Punct('-' | '.' | '/' | '(' | ')')) {
                    k += 1;
                }
                if k >= toks.len() || toks[k].t != T::Num || toks[k].gap == Gap::Newline {
                    break;
                }
                let sep = &self.text[toks[j].end..toks[k].start];
                if !is_number_separator(sep) {
                    break;
                }
                chunk.push(k);
                j = k;
            }
            self.classify_chunk(&chunk, out);
            i = j + 1;
        }
    }

    fn classify_chunk(&mut self, chunk: &[usize], out: &mut Vec<Cand>) {
        let mut a = 0;
        while a < chunk.len() {
            let mut found = None;
            // no number we look for has more than MAX_GROUPS groups (+31 (0)6 12 34 56 78)
            let mut b = chunk.len().min(a + MAX_GROUPS);
            while b > a {
                if let Some(kind) = self.classify_groups(&chunk[a..b]) {
                    found = Some((b, kind));
                    break;
                }
                b -= 1;
            }
            match found {
                Some((b, kind)) => {
                    let mut start = self.toks[chunk[a]].start;
                    if kind == Kind::Telefoon
                        && start > 0
                        && self.text.as_bytes()[start - 1] == b'+'
                    {
                        start -= 1;
                    }
                    let end = self.toks[chunk[b - 1]].end;
                    let prio = if kind == Kind::Datum {
                        PRIO_DATE
                    } else {
                        PRIO_NUMBER
                    };
                    out.push(Cand::new(start, end, kind, prio));
                    a = b;
                }
                None => a += 1,
            }
        }
    }

    /// Is this run of digit groups (token indices) a date, a phone number or a BSN?
    fn classify_groups(&mut self, g: &[usize]) -> Option<Kind> {
        let toks = self.toks;
        let text = self.text;
        let b = text.as_bytes();
        let first = toks[g[0]];
        let last = toks[g[g.len() - 1]];
        // Not glued to letters on either side (IBAN, codes such as AB123).
        if first.start > 0 {
            let prev = text[..first.start].chars().next_back().unwrap_or(' ');
            if prev.is_alphanumeric() {
                return None;
            }
        }
        if let Some(next) = text[last.end..].chars().next() {
            if next.is_alphanumeric() {
                // a house number such as 12a is handled by the address detector
                return None;
            }
            // 12.345,67 or 12,5: a decimal number
            if (next == ',' || next == '.')
                && text[last.end + 1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
            {
                return None;
            }
        }
        let mut digits = [0u8; 24];
        let mut n = 0;
        for &t in g {
            for &d in &b[toks[t].start..toks[t].end] {
                if n == digits.len() {
                    return None;
                }
                digits[n] = d - b'0';
                n += 1;
            }
        }
        let digits = &digits[..n];
        let seps: Vec<&str> = g
            .windows(2)
            .map(|w| text[toks[w[0]].end..toks[w[1]].start].trim())
            .collect();
        let lens: Vec<usize> = g.iter().map(|&t| toks[t].end - toks[t].start).collect();
        let value = |t: usize| -> u32 {
            text[toks[t].start..toks[t].end]
                .parse::<u32>()
                .unwrap_or(u32::MAX)
        };

        // Dates: d-m-yyyy, d/m/yy, d.m.yyyy, yyyy-mm-dd; d-m after a birth cue.
        let same_sep = seps.windows(2).all(|w| w[0] == w[1]);
        let date_sep = seps.first().is_some_and(|s| matches!(*s, "-" | "/" | "."));
        let no_space_seps = g
            .windows(2)
            .all(|w| !text[toks[w[0]].end..toks[w[1]].start].contains(char::is_whitespace));
        if g.len() == 3 && same_sep && date_sep && no_space_seps {
            let (x, y, z) = (value(g[0]), value(g[1]), value(g[2]));
            let dmy = lens[0] <= 2
                && lens[1] <= 2
                && (1..=31).contains(&x)
                && (1..=12).contains(&y)
                && ((lens[2] == 4 && (1900..=2099).contains(&z)) || lens[2] == 2);
            let ymd = lens[0] == 4
                && (1900..=2099).contains(&x)
                && lens[1] <= 2
                && lens[2] <= 2
                && (1..=12).contains(&y)
                && (1..=31).contains(&z);
            if dmy || ymd {
                return Some(Kind::Datum);
            }
        }
        if g.len() == 2 && date_sep && no_space_seps && matches!(seps[0], "-" | "/" | ".") {
            let (x, y) = (value(g[0]), value(g[1]));
            if lens[0] <= 2
                && lens[1] <= 2
                && (1..=31).contains(&x)
                && (1..=12).contains(&y)
                && self.birth_cue_before(g[0])
            {
                return Some(Kind::Datum);
            }
        }

        // Phone numbers.
        let plus = first.start > 0 && b[first.start - 1] == b'+';
        let national: Option<Vec<u8>> = if plus && digits.starts_with(&[3, 1]) {
            Some(international_rest(&digits[2..]))
        } else if !plus && digits.starts_with(&[0, 0, 3, 1]) {
            Some(international_rest(&digits[4..]))
        } else if !plus && digits.first() == Some(&0) && lens[0] >= 2 {
            Some(digits.to_vec())
        } else {
            None
        };
        if let Some(nat) = national {
            if is_dutch_phone(&nat) {
                return Some(Kind::Telefoon);
            }
        }
        // Other countries (+32 470 12 34 56, 0049 …): a country code and 9 to 15 digits
        // in all, as the international format allows.
        let foreign = (plus && !digits.starts_with(&[3, 1]) && (9..=15).contains(&n))
            || (!plus
                && digits.starts_with(&[0, 0])
                && !digits.starts_with(&[0, 0, 3, 1])
                && digits.get(2).is_some_and(|&d| d != 0)
                && (11..=17).contains(&n));
        if foreign && lens[0] <= 4 {
            return Some(Kind::Telefoon);
        }

        // BSN: 9 digits (or 8, read with a leading 0) that pass the 11-proef.
        if !plus {
            let grouping_ok = g.len() == 1
                || (same_sep
                    && matches!(seps[0], "." | "" | "-")
                    && (lens == [3, 3, 3] || lens == [4, 2, 3]))
                || (same_sep
                    && g.windows(2).all(|w| {
                        text[toks[w[0]].end..toks[w[1]].start]
                            .chars()
                            .all(char::is_whitespace)
                    })
                    && lens == [3, 3, 3]);
            if grouping_ok && (n == 9 || (n == 8 && g.len() == 1)) && elf_proef(digits) {
                return Some(Kind::Bsn);
            }
        }
        None
    }
}

/// The most digit groups a date, phone number or BSN is written in.
const MAX_GROUPS: usize = 8;

fn is_number_separator(sep: &str) -> bool {
    if sep.is_empty() || sep.len() > 3 {
        return false;
    }
    let mut marks = 0;
    for c in sep.chars() {
        match c {
            ' ' | '\u{a0}' | '(' | ')' => {}
            '-' | '.' | '/' => marks += 1,
            _ => return false,
        }
    }
    marks <= 1 || sep == ")-" || sep == ") -"
}

/// After the country code 31: drop "(0)" and return the national number with its leading 0.
fn international_rest(rest: &[u8]) -> Vec<u8> {
    if rest.first() == Some(&0) {
        rest.to_vec()
    } else {
        let mut v = Vec::with_capacity(rest.len() + 1);
        v.push(0);
        v.extend_from_slice(rest);
        v
    }
}

/// A Dutch phone number in national form: 10 digits starting with 0 (not 00), or a service
/// number 0800/0900/0906/0909 with 4 or 7 more digits.
fn is_dutch_phone(nat: &[u8]) -> bool {
    if nat.first() != Some(&0) {
        return false;
    }
    let service = nat.len() >= 4 && nat[1] == 8 && nat[2] == 0 && nat[3] == 0
        || nat.len() >= 4 && nat[1] == 9 && nat[2] == 0 && matches!(nat[3], 0 | 6 | 9);
    if service && (nat.len() == 8 || nat.len() == 11) {
        return true;
    }
    nat.len() == 10 && nat[1] != 0
}

/// The 11-proef of a BSN: 9·d1 + 8·d2 + … + 2·d8 − d9 is divisible by 11. Eight digits are
/// read with a leading 0 (older numbers were issued with eight digits). All zeros fail.
fn elf_proef(digits: &[u8]) -> bool {
    let padded: Vec<u8> = match digits.len() {
        9 => digits.to_vec(),
        8 => std::iter::once(0).chain(digits.iter().copied()).collect(),
        _ => return false,
    };
    if padded.iter().all(|&d| d == 0) {
        return false;
    }
    let mut sum: i64 = 0;
    for (idx, &d) in padded[..8].iter().enumerate() {
        sum += (9 - idx as i64) * i64::from(d);
    }
    sum -= i64::from(padded[8]);
    sum % 11 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::anonymise::tests::{kinds, none_of, nothing, one};

    #[test]
    fn elf_proef_rules() {
        let d = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<u8>>();
        assert!(elf_proef(&d("123456782")));
        assert!(elf_proef(&d("628194821")));
        assert!(!elf_proef(&d("123456789")));
        assert!(!elf_proef(&d("000000000")));
        // eight digits are read with a leading zero
        assert!(elf_proef(&d("90931002")));
        assert!(elf_proef(&d("090931002")));
        assert!(!elf_proef(&d("12345678")));
        assert!(!elf_proef(&d("1234567")));
    }

    #[test]
    fn bsn_forms() {
        one("Mijn bsn is 123456782.", "123456782", Kind::Bsn);
        one("BSN: 123.456.782", "123.456.782", Kind::Bsn);
        one("bsn 123 456 782 klopt", "123 456 782", Kind::Bsn);
        one("nummer 1234.56.782", "1234.56.782", Kind::Bsn);
        one("oud nummer 90931002 uit 1995", "90931002", Kind::Bsn);
        // fails the 11-proef: not a BSN (and not a phone either)
        nothing("Het dossiernummer is 123456789.");
        nothing("klantnummer 12345678");
        // glued to letters: a code, not a BSN
        nothing("code AB123456782");
    }

    #[test]
    fn phone_forms() {
        for (text, phone) in [
            ("bel 06-12345678 nu", "06-12345678"),
            ("bel 06 12 34 56 78 nu", "06 12 34 56 78"),
            ("bel 0612345678 nu", "0612345678"),
            ("bel +31 6 12345678 nu", "+31 6 12345678"),
            ("bel +31612345678 nu", "+31612345678"),
            ("bel +31(0)6-1234 5678 nu", "+31(0)6-1234 5678"),
            ("bel +31 (0)6 12345678 nu", "+31 (0)6 12345678"),
            ("bel 0031 6 12345678 nu", "0031 6 12345678"),
            ("bel 020-1234567 nu", "020-1234567"),
            ("bel 010 123 45 67 nu", "010 123 45 67"),
            ("bel 0800-1234 nu", "0800-1234"),
            ("bel 0900-1234567 nu", "0900-1234567"),
            ("bel 088 123 4567 nu", "088 123 4567"),
            ("bel 06.12.34.56.78 nu", "06.12.34.56.78"),
            ("bel 06 - 123 456 78 nu", "06 - 123 456 78"),
            ("bel (06) 12345678 nu", "06) 12345678"),
            ("bel 06/12345678 nu", "06/12345678"),
            ("bel +32 470 12 34 56 nu", "+32 470 12 34 56"),
            ("bel 0049 30 1234567 nu", "0049 30 1234567"),
        ] {
            one(text, phone, Kind::Telefoon);
        }
        // two numbers side by side are two phones
        let found = kinds("tel 06-12345678 / 020-1234567");
        assert_eq!(
            found,
            vec![
                ("06-12345678".to_string(), Kind::Telefoon),
                ("020-1234567".to_string(), Kind::Telefoon)
            ]
        );
        // a phone number after an unrelated number
        one("kamer 12 0612345678", "0612345678", Kind::Telefoon);
        for text in [
            "Ik heb 112 gebeld.",
            "van 2019 2020 tot nu",
            "in maand 06-2021",
            "om 06.00 uur",
            "0 tot 10",
            "06-1234567",
            "IBAN NL91ABNA0417164300",
        ] {
            none_of(text, Kind::Telefoon);
        }
    }
}
