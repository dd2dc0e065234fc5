//! Organisations that point to a child or a family: schools, care providers, clubs, hospitals
//! (issue 18). Found by a list of names (`Pluryn`, `Da Vinci College`), by a word before a name
//! (`basisschool De Regenboog`, `Stichting Kompas`, `Jeugdzorg Horizon`), by a word after one
//! (`Stedelijk Gymnasium`, `Kenter Jeugdhulp`) and by the ending of a word that is no ordinary
//! word (`Regenboogschool`). General and national names (Jeugdzorg, Veilig Thuis, de GGD) are in
//! `niet-namen.txt` and stay, and so do places after a care word (`Jeugdbescherming Brabant`).
//! All lists are in `assets/anonymise/organisaties.txt`.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::lexicon::{list_lines, Flags, DICT, KNOWN, ORG, PHRASE, PLACE, STOP};
use super::tokens::{fold, Gap, T};
use super::{Cand, Ctx, Kind, PRIO_ORG};

const ORGANISATIES: &str = data_file!("organisaties.txt");

/// The lists of `organisaties.txt`, folded.
struct Orgs {
    /// Names by their first word: the words of each name.
    names: HashMap<String, Vec<Vec<String>>>,
    /// Words before a name, and whether they need an article or a capital (`school*`).
    before: Vec<(Vec<String>, bool)>,
    /// Care words: before or after a name that is no place.
    care: Vec<String>,
    /// Words after a name.
    after: Vec<String>,
    /// Endings of a word that is no ordinary word.
    endings: Vec<String>,
}

static ORGS: LazyLock<Orgs> = LazyLock::new(|| {
    let mut orgs = Orgs {
        names: HashMap::new(),
        before: Vec::new(),
        care: Vec::new(),
        after: Vec::new(),
        endings: Vec::new(),
    };
    let mut section = "";
    for line in list_lines(ORGANISATIES) {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let mut words: Vec<String> = line
            .trim_end_matches('*')
            .split_whitespace()
            .map(fold)
            .collect();
        // a name is matched from its first word after an article ("De Bascule" from
        // "Bascule"), so that every "de" in a text is not looked at
        if section == "[namen]"
            && words.len() > 1
            && matches!(words[0].as_str(), "de" | "het" | "'t" | "'s")
        {
            words.remove(0);
        }
        let Some(first) = words.first().cloned() else {
            continue;
        };
        match section {
            "[namen]" => orgs.names.entry(first).or_default().push(words),
            "[ervoor]" => orgs.before.push((words, line.ends_with('*'))),
            "[zorg]" => orgs.care.push(first),
            "[erna]" => orgs.after.push(first),
            "[uitgangen]" => orgs.endings.push(first),
            _ => {}
        }
    }
    orgs
});

/// The folded words the lexicon marks with `ORG`: the first word of every name and every word
/// before, around or after a name.
pub(super) fn trigger_words() -> impl Iterator<Item = &'static str> {
    let orgs: &'static Orgs = &ORGS;
    orgs.names
        .keys()
        .chain(orgs.before.iter().map(|(words, _)| &words[0]))
        .chain(&orgs.care)
        .chain(&orgs.after)
        .map(String::as_str)
}

/// Articles that may stand between a word like `basisschool` and the name.
fn is_article(folded: &str) -> bool {
    matches!(folded, "de" | "het" | "'t" | "t")
}

/// Directions and regions after a care word: `Jeugdhulp West`, `GGZ Noord-Holland`.
fn is_region(folded: &str) -> bool {
    let base = folded.split('-').next().unwrap_or(folded);
    matches!(
        base,
        "noord" | "oost" | "zuid" | "west" | "midden" | "regio" | "nederland" | "centraal"
    )
}

impl Ctx<'_> {
    /// Flags of word `i`: from the name detector's lookup, or looked up now.
    fn org_flags(&self, i: usize) -> Flags {
        match self.wf.get(i) {
            Some(&f) if self.wf.len() == self.toks.len() => f,
            _ => self.lex.flags(&self.folded(i)),
        }
    }

    /// Is token `i` a capitalised word that can be (part of) the name of an organisation?
    fn org_word(&self, i: usize) -> bool {
        self.is_word(i)
            && self.toks[i].cap
            && self.toks[i].gap != Gap::Newline
            && self.org_flags(i) & STOP == 0
    }

    /// The capitalised words (with `van`, `de`, `'t` and `-` between them) that start at `i`:
    /// the index after the last one, or `i` when there are none.
    fn org_name_from(&self, i: usize) -> usize {
        let mut k = i;
        let mut end = i;
        while k < self.toks.len() {
            if k > i && self.toks[k].gap == Gap::Newline {
                break;
            }
            if self.org_word(k) {
                k += 1;
                end = k;
                continue;
            }
            // "Hogeschool van Amsterdam", "Kompaan en De Bocht"
            if k > i && self.is_word(k) && !self.toks[k].cap {
                let f = self.folded(k);
                if matches!(f.as_str(), "van" | "de" | "der" | "voor" | "en")
                    && self.org_word(k + 1)
                {
                    k += 1;
                    continue;
                }
            }
            break;
        }
        end
    }

    /// Proposes organisations.
    pub(super) fn organisations(&mut self, out: &mut Vec<Cand>) {
        let orgs = &*ORGS;
        let toks = self.toks;
        let n = toks.len();
        let mut i = 0;
        while i < n {
            if toks[i].t != T::Word {
                i += 1;
                continue;
            }
            let flags = self.org_flags(i);
            // most words are neither part of an organisation's name nor in no list at all
            if flags & ORG == 0 && (!toks[i].cap || flags & (DICT | PHRASE | STOP | KNOWN) != 0) {
                i += 1;
                continue;
            }
            let folded = self.folded(i);
            let f = folded.as_str();
            // 1. a name from the list
            if let Some(names) = orgs.names.get(f) {
                let mut best = 0;
                for words in names {
                    let mut k = i;
                    let mut ok = true;
                    for (m, w) in words.iter().enumerate() {
                        if m > 0 {
                            k += 1;
                            if !self.is_word(k) || toks[k].gap != Gap::Space {
                                ok = false;
                                break;
                            }
                        }
                        if self.folded(k) != **w {
                            ok = false;
                            break;
                        }
                    }
                    // a name that is also an ordinary word counts only with its capital
                    if ok && (toks[i].cap || flags & DICT == 0) {
                        best = best.max(k + 1);
                    }
                }
                if best > i {
                    out.push(Cand::new(
                        toks[i].start,
                        toks[best - 1].end,
                        Kind::Organisatie,
                        PRIO_ORG,
                    ));
                    i = best;
                    continue;
                }
            }
            // 2. a word before the name: basisschool De Regenboog, Stichting Kompas
            if let Some(end) = self.org_after_head(i, orgs) {
                out.push(Cand::new(
                    toks[i].start,
                    toks[end - 1].end,
                    Kind::Organisatie,
                    PRIO_ORG,
                ));
                i = end;
                continue;
            }
            // 3. a capitalised word that is no ordinary word, ending like a school: Regenboogschool
            if toks[i].cap && flags & (DICT | PHRASE | STOP) == 0 {
                let base = f.rsplit('-').next().unwrap_or(f);
                let ends = orgs.endings.iter().any(|e| {
                    (f.len() >= e.len() + 3 && f.ends_with(e.as_str()))
                        || (f.contains('-') && base == e)
                });
                if ends && !self.org_run_blocked(self.org_run_before(i), i) {
                    let start = self.org_run_before(i);
                    out.push(Cand::new(
                        toks[start].start,
                        toks[i].end,
                        Kind::Organisatie,
                        PRIO_ORG,
                    ));
                    i += 1;
                    continue;
                }
            }
            // 4. a word after the name: Da Vinci College, Kenter Jeugdhulp
            if toks[i].cap && i > 0 {
                let care = orgs.care.iter().any(|c| c == f);
                let after = orgs.after.iter().any(|c| c == f);
                if care || after {
                    let start = self.org_run_before(i);
                    if start < i && !self.org_run_blocked(start, i) {
                        let words: Vec<Flags> = (start..i)
                            .filter(|&k| self.is_word(k))
                            .map(|k| self.org_flags(k))
                            .collect();
                        let all_places = words.iter().all(|w| w & PLACE != 0);
                        let place_before_care = care && words.iter().any(|w| w & PLACE != 0);
                        if !all_places && !place_before_care {
                            out.push(Cand::new(
                                toks[start].start,
                                toks[i].end,
                                Kind::Organisatie,
                                PRIO_ORG,
                            ));
                            i += 1;
                            continue;
                        }
                    }
                }
            }
            i += 1;
        }
    }

    /// Where the organisation name that `head` (a word like `basisschool`, `Stichting`,
    /// `Jeugdzorg`) starts at token `i` ends; `None` when `i` is no such word or no name follows.
    fn org_after_head(&self, i: usize, orgs: &Orgs) -> Option<usize> {
        let toks = self.toks;
        let folded = self.folded(i);
        let f = folded.as_str();
        // the head, possibly of two words (integraal kindcentrum)
        let mut head_end = None;
        let mut weak = false;
        for (words, needs) in &orgs.before {
            if words[0] != f {
                continue;
            }
            let mut k = i;
            let mut ok = true;
            for w in &words[1..] {
                k += 1;
                if !self.is_word(k) || self.folded(k) != **w {
                    ok = false;
                    break;
                }
            }
            if ok {
                head_end = Some(k + 1);
                weak = *needs;
            }
        }
        let care = head_end.is_none() && orgs.care.iter().any(|c| c == f);
        let after_head = if care { i + 1 } else { head_end? };
        if after_head >= toks.len() || toks[after_head].gap != Gap::Space {
            return None;
        }
        // an article: basisschool De Regenboog, school 't Palet, Stichting Het Kinderhuis
        let mut k = after_head;
        let mut article = false;
        if self.is_word(k) && is_article(&self.folded(k)) {
            article = true;
            k += 1;
        } else if self.is_punct(k, '\'')
            && self.is_word(k + 1)
            && self.s(k + 1).eq_ignore_ascii_case("t")
        {
            article = true;
            k += 2;
        }
        if weak && !article && !toks[i].cap {
            return None;
        }
        let end = self.org_name_from(k);
        if end == k {
            return None;
        }
        if care {
            // Jeugdzorg Horizon, but not Jeugdbescherming Brabant or Jeugdhulp West
            let flags = self.org_flags(k);
            if flags & PLACE != 0
                || (flags & KNOWN != 0 && flags & DICT == 0)
                || is_region(&self.folded(k))
            {
                return None;
            }
        }
        Some(end)
    }

    /// The first token of the capitalised words right before token `i` (with `van`, `de`,
    /// `da` between them); `i` when there are none.
    fn org_run_before(&self, i: usize) -> usize {
        let toks = self.toks;
        let mut start = i;
        let mut k = i;
        while k > 0 && toks[k].gap == Gap::Space {
            let p = k - 1;
            if self.org_word(p) {
                start = p;
                k = p;
                continue;
            }
            // Da Vinci, Jeroen Bosch: particles between capitalised words
            if self.is_word(p) && p > 0 && self.org_word(p - 1) {
                let f = self.folded(p);
                if matches!(f.as_str(), "van" | "de" | "der" | "da" | "di" | "del") {
                    k = p;
                    continue;
                }
            }
            break;
        }
        // an article that opens the sentence is no part of the name: "De Calvijn College"
        if start < i && self.sentence_start(start) && is_article(&self.folded(start)) {
            start += 1;
            while start < i && !self.org_word(start) {
                start += 1;
            }
        }
        start
    }

    /// Does a word group of `niet-namen.txt` (a general institution such as the William
    /// Schrikker Groep) start in tokens `start..end`?
    fn org_run_blocked(&mut self, start: usize, end: usize) -> bool {
        (start..end).any(|k| {
            self.is_word(k) && self.org_flags(k) & PHRASE != 0 && self.stop_phrase_len(k) > 0
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::anonymise::tests::{none_of, one};
    use crate::domain::anonymise::Kind;

    #[test]
    fn organisations_by_list_by_word_and_by_ending() {
        for (text, org) in [
            (
                "Ik zat op basisschool De Regenboog in Almere.",
                "basisschool De Regenboog",
            ),
            (
                "Stichting Thuiskracht gaf ons een coach.",
                "Stichting Thuiskracht",
            ),
            (
                "We zijn aangemeld bij Jeugdzorg Horizon.",
                "Jeugdzorg Horizon",
            ),
            (
                "Na de zomer ga ik naar het Da Vinci College.",
                "Da Vinci College",
            ),
            ("Ze zit nu op de Regenboogschool.", "Regenboogschool"),
            (
                "Mijn zoon zit op het Alfa-college in Groningen.",
                "Alfa-college",
            ),
            ("Mijn zoon krijgt behandeling bij Pluryn.", "Pluryn"),
            ("Hij voetbalt bij vv De Zwaluwen.", "vv De Zwaluwen"),
            (
                "De Hogeschool van Amsterdam heeft een regeling.",
                "Hogeschool van Amsterdam",
            ),
            ("Kenter Jeugdhulp had een wachtlijst.", "Kenter Jeugdhulp"),
            ("Bij Karakter hadden ze geen plek.", "Karakter"),
        ] {
            one(text, org, Kind::Organisatie);
        }
    }

    #[test]
    fn general_institutions_places_and_words_stay() {
        for text in [
            "Veilig Thuis kwam langs en de GGD ook.",
            "De William Schrikker Groep heeft de voogdij.",
            "Jeugdbescherming Brabant en Jeugdhulp West belden.",
            "Ik zat drie jaar op de basisschool en daarna op het vmbo.",
            "Zonder hulp van de gemeente Zwolle hadden we geen huis.",
            "Dat karakter van mij is soms lastig.",
            "Bas en gitaar leerde ik op de muziekschool.",
            "De school belde de politie.",
        ] {
            none_of(text, Kind::Organisatie);
        }
    }
}
