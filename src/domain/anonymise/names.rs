//! Person names. Runs of capitalised words, initials and particles (`J. van der Berg`, `M. El
//! Idrissi`) become a name when they follow a cue word (`mijn zoon`, `mevrouw`, `heet`), contain
//! a first name or surname from the lists, or contain a capitalised word that is in no list at
//! all (no Dutch word, no known proper noun, no place), unless they name an institution, a
//! street, a royal or a saint, or hold words that are never a name. Names in lower case count
//! when they are listed and no ordinary word (`met oksana en dawit`), or after a cue (`mijn zoon
//! daan`); a word in a list with a name (`yara, bilal en roos`) counts too (issue 18).

use super::addresses::street_suffix;
use super::lexicon::{
    is_particle, Flags, WordList, AMBIG, CUE, DICT, FIRST, KNOWN, NAME_FLAGS, PARTICLE, PHRASE,
    PLACE, STOP, SUR, SUR_PART, WEAK_PARTICLE,
};
use super::tokens::{fold_into, Gap, T};
use super::{Cand, Ctx, Kind, PRIO_NAME};

/// Words before a name that make it something else: a royal, a saint, an organisation
/// (`titels.txt`).
static TITLES: WordList = WordList::new(data_file!("titels.txt"));

fn is_title_before(folded: &str) -> bool {
    TITLES.contains(folded)
}

/// Endings of a word after a name that make the name part of an institution
/// (`Emma Kinderziekenhuis`, `Ronald McDonald Huis`): `instellingen.txt`.
static INSTITUTION_ENDINGS: WordList = WordList::new(data_file!("instellingen.txt"));

fn is_institution_word(folded: &str) -> bool {
    INSTITUTION_ENDINGS
        .words()
        .iter()
        .any(|e| folded.ends_with(&**e))
}

/// One member of a run of name words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    /// A capitalised word with its name flags (0 = not in the lists).
    Word(Flags),
    /// One or more particles (`van der`, `de`, `in 't`).
    Particle,
    /// An initial with its full stop (`J.`).
    Initial,
}

/// What the name detector knows about a capitalised word.
#[derive(Debug, Clone, Copy)]
struct WordInfo {
    flags: Flags,
    capable: bool,
    /// In no list at all: no ordinary word (nor a compound of two), no known proper noun, no
    /// place. Midway in a sentence such a capitalised word is a name.
    novel: bool,
    /// End of the name without a possessive `'s`.
    name_end: usize,
}

/// Flags that say a word is known as something: a word, a proper noun, a place, or a word
/// that is never a name.
const KNOWN_AS_WORD: Flags = DICT | KNOWN | PLACE | STOP | CUE | PARTICLE | WEAK_PARTICLE | PHRASE;

impl Ctx<'_> {
    /// The folded text of the word group starting at token `i` marks these tokens as never
    /// being a name ("Veilig Thuis", "Den Bosch"). Returns how many tokens, 0 for none.
    pub(super) fn stop_phrase_len(&mut self, i: usize) -> usize {
        let lex = self.lex;
        let f = self.folded(i);
        let Some(phrases) = lex.phrases_from(f.as_str()) else {
            return 0;
        };
        let mut best = 0;
        'phrases: for p in phrases {
            let mut k = i;
            for (n, w) in p.iter().enumerate() {
                if n > 0 {
                    k += 1;
                    if !self.is_word(k) || self.toks[k].gap != Gap::Space {
                        continue 'phrases;
                    }
                }
                if self.folded(k) != **w {
                    continue 'phrases;
                }
            }
            best = best.max(k + 1 - i);
        }
        best
    }

    /// Flags of a capitalised word for the name detector.
    fn word_info(&mut self, i: usize) -> WordInfo {
        let tok = self.toks[i];
        let s = self.s(i);
        let chars = s.chars().count();
        let all_upper = chars >= 2 && !s.chars().any(char::is_lowercase);
        // a possessive 's is not part of the name: Sanne's
        let name_end = if let Some(stem) = s.strip_suffix("'s").or_else(|| s.strip_suffix("’s")) {
            tok.start + stem.len()
        } else {
            tok.end
        };
        let lex = self.lex;
        let plain = !s.contains(['-', '\'', '’']);
        if plain && i < self.wf.len() {
            // the flags were looked up already
            let all = self.wf[i];
            // full month names are in niet-namen.txt; "Jan" is a name as well as "jan."
            let not_a_name = all & (STOP | CUE | PARTICLE) != 0;
            let flags = all & NAME_FLAGS;
            let capable = tok.cap
                && chars >= 2
                && !not_a_name
                && (!all_upper || (flags != 0 && flags & AMBIG == 0));
            let novel = capable
                && !all_upper
                && all & (KNOWN_AS_WORD | NAME_FLAGS) == 0
                && !self.is_compound(&self.folded(i));
            return WordInfo {
                flags,
                capable,
                novel,
                name_end,
            };
        }
        let stem = &self.text[tok.start..name_end];
        let mut key = std::mem::take(&mut self.key);
        fold_into(stem, &mut key);
        let mut flags = lex.name_flags(&key);
        if flags == 0 && key.contains('-') {
            // Anne-Marie, Jan-Willem, Jansen-de: all parts are names (particles allowed)
            let parts: Vec<Flags> = key
                .split('-')
                .filter(|p| !is_particle(p))
                .map(|p| lex.flags(p))
                .collect();
            // Jean-Claude: a part in no list counts with a name beside it
            let named = |f: &Flags| f & (FIRST | SUR | SUR_PART) != 0;
            let unknown = |f: &Flags| f & (KNOWN_AS_WORD | NAME_FLAGS) == 0 && *f & STOP == 0;
            let names: Vec<Flags> =
                if parts.iter().any(named) && parts.iter().all(|f| named(f) || unknown(f)) {
                    parts
                        .iter()
                        .map(|f| if unknown(f) { FIRST } else { f & NAME_FLAGS })
                        .collect()
                } else {
                    parts.iter().map(|f| f & NAME_FLAGS).collect()
                };
            if !names.is_empty() && names.iter().all(|f| f & (FIRST | SUR | SUR_PART) != 0) {
                flags = names.iter().fold(0, |a, f| a | f);
                if names.len() > 1 {
                    flags &= !AMBIG;
                }
                if flags & (FIRST | SUR) == 0 {
                    flags |= SUR;
                }
            }
        }
        let all = lex.flags(&key);
        let not_a_name = all & (STOP | CUE | PARTICLE) != 0;
        // a hyphenated word is novel when none of its parts is known as a word: Jean-Baptiste,
        // but not LVB-zorg or Rotterdam-Zuid
        let novel_word = all & KNOWN_AS_WORD == 0
            && key
                .split('-')
                .filter(|p| !p.is_empty())
                .all(|p| lex.flags(p) & KNOWN_AS_WORD & !PARTICLE == 0 || is_particle(p))
            && !self.is_compound(&key);
        self.key = key;
        let capable = tok.cap
            && chars >= 2
            && !not_a_name
            && (!all_upper || (flags != 0 && flags & AMBIG == 0));
        WordInfo {
            flags,
            capable,
            novel: capable && !all_upper && flags == 0 && novel_word,
            name_end,
        }
    }

    /// Particle tokens starting at `i` (`van der`, `de`, `in 't`, `'t`): the index after them
    /// and whether the sequence is a lone lower-case `van` (which is usually "from").
    fn particles_at(&self, i: usize) -> Option<(usize, bool)> {
        let wf = &self.wf;
        let toks = self.toks;
        let mut k = i;
        let mut count = 0;
        let mut weak_first = false;
        let mut lone_van = false;
        while k < toks.len() && count < 4 {
            if k > i && toks[k].gap != Gap::Space && !matches!(toks[k].t, T::Punct(_)) {
                break;
            }
            // 't as apostrophe + t
            if matches!(toks[k].t, T::Punct('\'' | '’'))
                && self.is_word(k + 1)
                && toks[k + 1].gap == Gap::None
                && self.s(k + 1).eq_ignore_ascii_case("t")
            {
                k += 2;
                count += 1;
                continue;
            }
            if !self.is_word(k) {
                break;
            }
            if wf[k] & PARTICLE != 0 {
                lone_van = count == 0 && self.s(k) == "van";
                k += 1;
                count += 1;
            } else if wf[k] & WEAK_PARTICLE != 0 && count == 0 {
                weak_first = true;
                k += 1;
                count += 1;
            } else {
                break;
            }
        }
        if count == 0 || (weak_first && count < 2) {
            return None;
        }
        Some((k, lone_van && count == 1))
    }

    /// Proposes names.
    pub(super) fn names(&mut self, out: &mut Vec<Cand>) {
        let toks = self.toks;
        let n = toks.len();
        // One lookup per word: the flags of all lists at once.
        let lex = self.lex;
        let mut buf = std::mem::take(&mut self.key);
        self.wf = (0..n)
            .map(|i| {
                let t = toks[i];
                if t.t != T::Word {
                    return 0;
                }
                let s = &self.text[t.start..t.end];
                // lower case: only what the small map knows; `full_flags` asks for the rest
                if s.bytes().all(|c| c.is_ascii_lowercase()) {
                    return lex.special_flags(s);
                }
                if !t.cap {
                    fold_into(s, &mut buf);
                    return lex.special_flags(&buf);
                }
                if s.is_ascii() {
                    buf.clear();
                    buf.push_str(s);
                    buf.make_ascii_lowercase();
                } else {
                    fold_into(s, &mut buf);
                }
                lex.flags(&buf)
            })
            .collect();
        self.key = buf;
        let first_cand = out.len();
        // words that belong to a stop phrase ("Veilig Thuis", "Den Bosch")
        let mut blocked = vec![false; n];
        for (i, t) in toks.iter().enumerate() {
            if t.t == T::Word && t.cap && self.wf[i] & PHRASE != 0 {
                let len = self.stop_phrase_len(i);
                for b in blocked.iter_mut().skip(i).take(len) {
                    *b = true;
                }
            }
        }
        let mut infos: Vec<Option<WordInfo>> = vec![None; n];
        let mut info = |ctx: &mut Self, i: usize| -> WordInfo {
            if let Some(x) = infos[i] {
                return x;
            }
            let mut x = ctx.word_info(i);
            if blocked[i] {
                x.capable = false;
                x.flags = 0;
            }
            infos[i] = Some(x);
            x
        };

        let mut i = 0;
        while i < n {
            let t = toks[i];
            if t.t == T::Word && !t.cap {
                // A name in lower case: "met oksana en dawit", "mijn zoon daan", "ik heet sanne".
                if self.lower_case_name(i) {
                    out.push(Cand::new(t.start, t.end, Kind::Naam, PRIO_NAME));
                    i += 1;
                    continue;
                }
                // otherwise only a particle can open a run
                if self.wf[i] & (PARTICLE | WEAK_PARTICLE) == 0 {
                    i += 1;
                    continue;
                }
            } else if !matches!(t.t, T::Word | T::Punct('\'' | '’')) {
                i += 1;
                continue;
            }
            // Build a run of name words from i: (first token, last token, member).
            let mut members: Vec<(usize, usize, Member)> = Vec::new();
            let mut k = i;
            while k < n {
                if !members.is_empty() {
                    let prev_initial = matches!(members.last(), Some((_, _, Member::Initial)));
                    match toks[k].gap {
                        Gap::Newline => break,
                        Gap::None if !prev_initial => break,
                        _ => {}
                    }
                }
                if toks[k].t == T::Word && toks[k].cap {
                    let x = info(self, k);
                    if x.capable {
                        members.push((k, k, Member::Word(x.flags)));
                        k += 1;
                        continue;
                    }
                    // an initial: J.
                    if self.s(k).chars().count() == 1
                        && self.is_punct(k + 1, '.')
                        && toks[k + 1].gap == Gap::None
                        && !blocked[k]
                    {
                        members.push((k, k + 1, Member::Initial));
                        k += 2;
                        continue;
                    }
                }
                // particles followed by a capable word: de Vries, van der Berg, in 't Veld
                if blocked[k] {
                    break;
                }
                if let Some((after, lone_van)) = self.particles_at(k) {
                    if after < n
                        && toks[after].t == T::Word
                        && toks[after].gap == Gap::Space
                        && toks[after].cap
                    {
                        let x = info(self, after);
                        // a lone "van" joins only a known surname: Sandra van Dijk, but not
                        // Sandra van Youké (an organisation)
                        if x.capable && (!lone_van || x.flags & (SUR | SUR_PART) != 0) {
                            members.push((k, after - 1, Member::Particle));
                            k = after;
                            continue;
                        }
                    }
                }
                break;
            }
            if members.is_empty() {
                i += 1;
                continue;
            }
            let run_end = members[members.len() - 1].1;
            if let Some((start, end)) = self.judge_run(&members, &mut info) {
                out.push(Cand::new(start, end, Kind::Naam, PRIO_NAME));
            }
            i = run_end + 1;
        }
        self.names_in_lists(first_cand, out);
    }

    /// Is the lower-case word `i` a name? A first name or surname from the lists that is no
    /// ordinary word (`oksana`, `dawit`, `mehmet`); after a cue (`mijn zoon`, `ik heet`, `ik
    /// ben`) also an unknown word (`mijn broertje xandro`).
    fn lower_case_name(&mut self, i: usize) -> bool {
        let s = self.s(i);
        // three letters at least
        if s.len() < 3 || s.chars().nth(2).is_none() {
            return false;
        }
        let mut flags = self.wf[i];
        if flags == 0 && s.contains('-') {
            // anne-sophie: every part a first name
            let lex = self.lex;
            let parts: Vec<Flags> = self.folded(i).split('-').map(|p| lex.flags(p)).collect();
            if parts
                .iter()
                .all(|f| f & (FIRST | SUR) != 0 && f & AMBIG == 0)
            {
                flags = FIRST;
            }
        }
        let blocked = flags & (STOP | CUE | PARTICLE | WEAK_PARTICLE | PLACE) != 0;
        let name = flags & (FIRST | SUR) != 0 && flags & AMBIG == 0 && !blocked;
        // without a cue only a name that is no ordinary word at all ("per", "nam" and "eren"
        // are names too)
        if name && flags & DICT == 0 {
            return true;
        }
        if self.cue_before(i).is_some() || self.after_ik_ben(i) {
            if name {
                return true;
            }
            let flags = self.full_flags(i);
            let novel = flags & (KNOWN_AS_WORD | NAME_FLAGS) == 0
                && s.chars().all(char::is_alphabetic)
                && !self.is_compound(&self.folded(i));
            return novel;
        }
        false
    }

    /// All flags of word `i`: for a lower-case word the name detector looked up only what the
    /// small map knows (`Lexicon::special_flags`).
    fn full_flags(&self, i: usize) -> Flags {
        match self.wf.get(i) {
            Some(&f) if self.toks[i].cap || f != 0 => f,
            _ => self.lex.flags(&self.folded(i)),
        }
    }

    /// Is this folded word a compound of two ordinary words (`jeugdzorgmedewerker`,
    /// `gezondheidscentrum`), with a linking `s` or `e(n)` allowed? Only asked for words that
    /// are in no list.
    fn is_compound(&self, folded: &str) -> bool {
        let lex = self.lex;
        let b = folded.as_bytes();
        if b.len() < 7 || !folded.is_ascii() {
            return false;
        }
        let is_word = |w: &str| lex.flags(w) & DICT != 0;
        (3..=b.len() - 3).any(|cut| {
            let (head, tail) = folded.split_at(cut);
            is_word(tail)
                && (is_word(head)
                    || head
                        .strip_suffix('s')
                        .is_some_and(|h| h.len() >= 3 && is_word(h))
                    || head
                        .strip_suffix("en")
                        .is_some_and(|h| h.len() >= 3 && is_word(h))
                    || head
                        .strip_suffix('e')
                        .is_some_and(|h| h.len() >= 3 && is_word(h)))
        })
    }

    /// Names in lists: a word joined to a name by a comma, `en`, `of` or `&` is a name too when
    /// it is a name from the lists (also one that is an ordinary word: `yara, bilal en roos`) or
    /// in no list at all (`oksana en dawit`). Looks both ways, until nothing changes.
    fn names_in_lists(&mut self, first_cand: usize, out: &mut Vec<Cand>) {
        let toks = self.toks;
        let n = toks.len();
        // token index → is part of a name found above
        let mut is_name = vec![false; n];
        let mut k = 0;
        for c in &out[first_cand..] {
            while k < n && toks[k].end <= c.start {
                k += 1;
            }
            let mut j = k;
            while j < n && toks[j].start < c.end {
                is_name[j] = true;
                j += 1;
            }
        }
        let mut queue: Vec<usize> = (0..n).filter(|&j| is_name[j]).collect();
        while let Some(j) = queue.pop() {
            // after: "Oksana, w" / "Oksana en w"; before: "w, Oksana" / "w en Oksana"
            for (w, link) in [(j + 2, j + 1), (j.wrapping_sub(2), j.wrapping_sub(1))] {
                if w >= n || link >= n || is_name[w] || !self.is_word(w) {
                    continue;
                }
                let joins = match toks[link].t {
                    T::Punct(',' | '&') => true,
                    T::Word => matches!(self.s(link), "en" | "of"),
                    _ => false,
                };
                if !joins || toks[w].gap == Gap::Newline || toks[link].gap == Gap::Newline {
                    continue;
                }
                let f = self.full_flags(w);
                let s = self.s(w);
                if s.chars().count() < 3 || f & (STOP | CUE | PARTICLE | WEAK_PARTICLE | PLACE) != 0
                {
                    continue;
                }
                // after a comma an ordinary word is more likely the next clause ("Angelica,
                // nam altijd de tijd"); after "en" a name that is also a word counts
                let comma = matches!(toks[link].t, T::Punct(_));
                let listed = f & (FIRST | SUR) != 0 && (f & DICT == 0 || !comma || toks[w].cap);
                let novel = f & (KNOWN_AS_WORD | NAME_FLAGS) == 0
                    && s.chars().all(char::is_alphabetic)
                    && !self.is_compound(&self.folded(w));
                if listed || novel {
                    is_name[w] = true;
                    out.push(Cand::new(toks[w].start, toks[w].end, Kind::Naam, PRIO_NAME));
                    queue.push(w);
                }
            }
        }
    }

    /// Decides whether a run of name words is a person's name; returns its byte span.
    fn judge_run(
        &mut self,
        members: &[(usize, usize, Member)],
        info: &mut impl FnMut(&mut Self, usize) -> WordInfo,
    ) -> Option<(usize, usize)> {
        let toks = self.toks;
        let words: Vec<(usize, Flags)> = members
            .iter()
            .filter_map(|m| match m.2 {
                Member::Word(f) => Some((m.0, f)),
                _ => None,
            })
            .collect();
        if words.is_empty() {
            return None;
        }
        // A street or an institution after a preposition ends the name before it: "Khadija op
        // de Insulindeweg 210" is a name and a street.
        if let Some(cut) = words.iter().skip(1).find_map(|&(tok, flags)| {
            (flags == 0 && self.street_or_institution(tok)).then_some(tok)
        }) {
            let mut keep = members.iter().take_while(|m| m.0 < cut).count();
            while keep > 0 && members[keep - 1].2 == Member::Particle {
                keep -= 1;
            }
            // only a preposition (op de, in de, uit de): "Willem de Zwijgerlaan" is a street
            if keep > 0
                && members[keep].2 == Member::Particle
                && self.wf[members[keep].0] & WEAK_PARTICLE != 0
            {
                return self.judge_run(&members[..keep], info);
            }
        }
        let first_tok = members[0].0;
        // a cue before a place is no name: "mijn vader Chinees", "mijn moeder Marokkaans"
        let cue = self.cue_before(first_tok).is_some()
            && !words.iter().all(|&(tok, _)| self.wf[tok] & PLACE != 0);
        let starts_sentence =
            matches!(members[0].2, Member::Word(_)) && self.sentence_start(first_tok);

        let mut trigger = cue;
        for &(tok, flags) in &words {
            let sentence_initial = starts_sentence && tok == first_tok;
            // a capitalised word in no list: a name, also at the start of a sentence (but
            // not a lone short word there, such as a typo or an interjection)
            if info(self, tok).novel && (!sentence_initial || self.s(tok).chars().count() >= 3) {
                trigger = true;
            }
            // a place that is also a name (Maas, Breda) needs a cue or another name word
            if flags & (FIRST | SUR) != 0
                && self.wf[tok] & PLACE == 0
                && (!sentence_initial || flags & AMBIG == 0 || words.len() > 1)
            {
                trigger = true;
            }
            if flags & SUR_PART != 0 && self.wf[tok] & PLACE == 0 {
                // the member before this word must be a particle
                let pos = members.iter().position(|m| m.0 == tok).unwrap_or(0);
                if pos > 0 && members[pos - 1].2 == Member::Particle {
                    trigger = true;
                }
            }
        }
        if !trigger {
            return None;
        }

        // An institution or a street, not a person: Emma Kinderziekenhuis, Anne Frankstraat.
        for &(tok, flags) in &words {
            if flags == 0 && self.street_or_institution(tok) {
                return None;
            }
        }
        let last_tok = members[members.len() - 1].1;
        if last_tok + 1 < toks.len()
            && toks[last_tok + 1].t == T::Word
            && toks[last_tok + 1].gap == Gap::Space
            && toks[last_tok + 1].cap
        {
            let f = self.folded(last_tok + 1);
            if is_institution_word(&f)
                || f == "huis"
                || street_suffix(&f, false).is_some_and(|s| f.len() > s.len())
            {
                return None;
            }
        }
        if first_tok > 0 && self.is_word(first_tok - 1) && toks[first_tok].gap == Gap::Space && !cue
        {
            let before = self.folded(first_tok - 1);
            // a royal, a saint, an organisation
            if is_title_before(&before) {
                return None;
            }
            // "in het Sophia", "naar het Emma": a hospital or a building, not a girl
            if before == "het"
                && first_tok >= 2
                && self.is_word(first_tok - 2)
                && matches!(
                    self.folded(first_tok - 2).as_str(),
                    "in" | "naar" | "bij" | "uit" | "van" | "op" | "aan" | "vanuit" | "voor"
                )
            {
                return None;
            }
        }

        // Trim: a sentence-initial word that is not a name before a first name
        // ("Dankzij Sanne"); a particle before a first name ("de Sanne").
        let mut from = 0;
        if !cue && members.len() >= 2 {
            if let (Member::Word(0), Member::Word(f2)) = (members[0].2, members[1].2) {
                if starts_sentence && f2 & FIRST != 0 && !info(self, members[0].0).novel {
                    from = 1;
                }
            }
        }
        while from < members.len() && members[from].2 == Member::Particle {
            let next_first = members.get(from + 1).is_some_and(
                |m| matches!(m.2, Member::Word(f) if f & FIRST != 0 && f & (SUR | SUR_PART) == 0),
            );
            if next_first && !cue {
                from += 1;
            } else {
                break;
            }
        }
        let start = toks[members[from].0].start;
        let last = members[members.len() - 1];
        let end = match last.2 {
            Member::Word(_) => info(self, last.1).name_end,
            _ => toks[last.1].end,
        };
        (end > start).then_some((start, end))
    }

    /// Does word `i` end like an institution or a street (`Kinderziekenhuis`, `Kerkstraat`)?
    fn street_or_institution(&self, i: usize) -> bool {
        let f = self.folded(i);
        is_institution_word(&f) || street_suffix(&f, false).is_some_and(|s| f.len() > s.len())
    }

    /// "ik ben sanne": only for a lower-case name from the lists.
    fn after_ik_ben(&self, i: usize) -> bool {
        i >= 2
            && self.toks[i].gap == Gap::Space
            && self.is_word(i - 1)
            && self.s(i - 1).eq_ignore_ascii_case("ben")
            && self.is_word(i - 2)
            && self.s(i - 2).eq_ignore_ascii_case("ik")
    }

    /// Is token `i` preceded by a cue word (`mijn zoon`, `mevrouw`, `dhr.`, `heet`), with at
    /// most a comma or colon in between? Returns the cue's token index.
    fn cue_before(&self, i: usize) -> Option<usize> {
        let toks = self.toks;
        if i == 0 || toks[i].gap == Gap::Newline {
            return None;
        }
        let mut k = i - 1;
        if matches!(toks[k].t, T::Punct(',' | ':')) {
            if k == 0 || toks[k].gap == Gap::Newline {
                return None;
            }
            k -= 1;
        } else if toks[i].gap == Gap::None {
            return None;
        }
        if toks[k].t == T::Punct('.') {
            // mevr. / dhr. / dr. / mw.
            if k == 0 || !self.is_word(k - 1) || toks[k].gap != Gap::None {
                return None;
            }
            let f = self.folded(k - 1);
            return matches!(
                f.as_str(),
                "mevr" | "dhr" | "mw" | "dr" | "hr" | "mr" | "drs" | "fam"
            )
            .then_some(k - 1);
        }
        if !self.is_word(k) {
            return None;
        }
        // self.wf holds the flags of every word that can be a cue
        if self.wf.get(k).is_some_and(|f| f & CUE != 0) {
            return Some(k);
        }
        // zijn naam is Daan
        if matches!(self.s(k), "is" | "was")
            && k > 0
            && self.is_word(k - 1)
            && self.folded(k - 1) == "naam"
        {
            return Some(k - 1);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::anonymise::tests::{kinds, none_of, nothing, one};
    use crate::domain::anonymise::Kind;

    #[test]
    fn names_after_cue_words() {
        one("Mijn zoon Daan is 12.", "Daan", Kind::Naam);
        one("mijn dochter, Lisa, is 14", "Lisa", Kind::Naam);
        one("mijn zoon daan is 12", "daan", Kind::Naam);
        one("ik heet sanne", "sanne", Kind::Naam);
        one("De voogd, mevrouw de Vries, belde", "de Vries", Kind::Naam);
        one("meneer Van Dijk zei", "Van Dijk", Kind::Naam);
        one("meneer van der Berg zei", "van der Berg", Kind::Naam);
        one("dhr. J. Jansen belde", "J. Jansen", Kind::Naam);
        one("mevr. Özdemir belde", "Özdemir", Kind::Naam);
        one("juf Xiomara was lief", "Xiomara", Kind::Naam);
        one("mijn tante Soraya woont daar", "Soraya", Kind::Naam);
        one("een jongen genaamd Tygo", "Tygo", Kind::Naam);
        one("met de naam Quirine", "Quirine", Kind::Naam);
        one("Zijn naam is Xander", "Xander", Kind::Naam);
        // a cue before an ambiguous name makes it a name
        one("Mijn dochter Roos is 9.", "Roos", Kind::Naam);
        // but not before ordinary words or organisations
        none_of("mijn moeder Zei het al", Kind::Naam);
        none_of("de mevrouw van Jeugdzorg belde", Kind::Naam);
        none_of("de mevrouw van de GGD belde", Kind::Naam);
        none_of("mijn voogd van Nidos kwam", Kind::Naam);
        none_of("mijn zoon wil niet", Kind::Naam);
        none_of("het water was heet. Daarna", Kind::Naam);
    }

    #[test]
    fn names_from_the_lists_and_the_sentence_start_rule() {
        one(
            "Gisteren heeft Sanne de Vries getekend.",
            "Sanne de Vries",
            Kind::Naam,
        );
        one(
            "Ik sprak met Fatima El Amrani.",
            "Fatima El Amrani",
            Kind::Naam,
        );
        one("Ik sprak met Anne-Marie.", "Anne-Marie", Kind::Naam);
        one("Sanne's moeder belde.", "Sanne", Kind::Naam);
        one("Toen zei Bas dat hij stopte.", "Bas", Kind::Naam);
        one("Mohammed werd 18.", "Mohammed", Kind::Naam);
        one("Jansen belde terug.", "Jansen", Kind::Naam);
        one("Aanwezig: A. Peters (arts).", "A. Peters", Kind::Naam);
        one("Roos Bakker kwam ook.", "Roos Bakker", Kind::Naam);
        one("Ik sprak met Jan de Vries.", "Jan de Vries", Kind::Naam);
        one("Mijn opa Jan is 80.", "Jan", Kind::Naam);
        one("Op 12 jan. 2010 begon het.", "12 jan. 2010", Kind::Datum);
        // at the start of a sentence a name that is also a word is left alone
        for text in [
            "Roos is mijn lievelingsbloem.",
            "Bas en drums speelde hij.",
            "Mark je afspraken in de agenda.",
            "Jan en alleman bemoeide zich ermee.",
            "Wil je meekomen?",
            "Ben je er al?",
            "Ik ging naar huis. Mark je agenda!",
        ] {
            none_of(text, Kind::Naam);
        }
        // a lower-case word that is a name is not a name without a cue
        none_of("de roos in de tuin", Kind::Naam);
        // surnames with a particle need the particle
        none_of("Ik liep over de dijk naar de berg.", Kind::Naam);
        none_of("Ik zag Dijk en Berg.", Kind::Naam);
        // "in het Sophia" is a hospital, "werd het Wouter" a person
        none_of("Ik ben geboren in het Sophia.", Kind::Naam);
        one("Eerst Sabine, later werd het Wouter.", "Wouter", Kind::Naam);
        one("Ik sprak met de heer van Dijk.", "van Dijk", Kind::Naam);
    }

    #[test]
    fn capitalised_words_that_are_no_names() {
        for text in [
            "Veilig Thuis kwam langs en de GGD ook.",
            "Jeugdzorg heeft ons geholpen.",
            "We gingen naar het Emma Kinderziekenhuis.",
            "De William Schrikker Groep is onze voogd.",
            "Ik woon in Den Bosch en werk in Den Haag.",
            "Bij de Albert Heijn werk ik.",
            "Op maandag en in Maart en met Kerst.",
            "Het Leger des Heils hielp.",
            "Ik woon aan de Willem de Zwijgerlaan.",
            "Koning Willem-Alexander kwam op bezoek.",
            "Op WhatsApp en TikTok.",
            "In Amsterdam, Rotterdam en Utrecht.",
            "Mijn moeder zei: Je moet het zelf weten.",
        ] {
            none_of(text, Kind::Naam);
        }
    }

    #[test]
    fn names_of_every_community_without_a_cue() {
        for (text, name) in [
            ("Ik sprak met Nouhaila over school.", "Nouhaila"),
            ("Toen belde Gülşen Karataş de politie.", "Gülşen Karataş"),
            ("Daarna kwam Tesfalem binnen.", "Tesfalem"),
            ("Ik speel met Wiktor na school.", "Wiktor"),
            ("Bij Hodan voelde ik me thuis.", "Hodan"),
            // in no list at all, midway in a sentence
            ("Ik speelde met Xandrovic in de tuin.", "Xandrovic"),
            // at the start of a sentence, in no list and no ordinary word
            ("Shurendy heeft een zoontje.", "Shurendy"),
            ("Jean-Claude komt uit Congo.", "Jean-Claude"),
        ] {
            one(text, name, Kind::Naam);
        }
    }

    #[test]
    fn names_in_lower_case_and_in_lists() {
        let found = kinds("ik ging met oksana en dawit naar de bieb");
        assert_eq!(found.len(), 2, "{found:?}");
        one("gister was mehmet er weer niet", "mehmet", Kind::Naam);
        one("mijn broertje xandro is acht", "xandro", Kind::Naam);
        one("ik heet anne-sophie", "anne-sophie", Kind::Naam);
        // a name that is also a word counts in a list of names
        one(
            "ik ging met yara, bilal en roos zwemmen",
            "roos",
            Kind::Naam,
        );
        one("Sem, Zeynep en Jayden kwamen.", "Sem", Kind::Naam);
        // but not a word after a comma that starts the next clause, nor ordinary words
        none_of("ik ging per bus en nam de trein", Kind::Naam);
        none_of("de roos en de tulp", Kind::Naam);
        let found = kinds("Angelica, nam altijd de tijd");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn names_with_particles_hyphens_and_initials() {
        one(
            "Mijn moeder, Fadoua El Khayari, kwam.",
            "Fadoua El Khayari",
            Kind::Naam,
        );
        one(
            "We kregen een brief van mr. Y. el Bouchtili.",
            "Y. el Bouchtili",
            Kind::Naam,
        );
        one(
            "Ik werd gebeld door Noor Al-Sayed.",
            "Noor Al-Sayed",
            Kind::Naam,
        );
        one(
            "Hij heet Ibrahim bin Salem.",
            "Ibrahim bin Salem",
            Kind::Naam,
        );
        one(
            "De brief was van J.P. de Wit-Hoekstra.",
            "J.P. de Wit-Hoekstra",
            Kind::Naam,
        );
        one(
            "Ik appte Zakaria Ait Ouaali.",
            "Zakaria Ait Ouaali",
            Kind::Naam,
        );
    }

    #[test]
    fn places_words_and_general_names_stay() {
        for text in [
            "Ik woon nu in Nieuwegein, dat is vlak bij Utrecht.",
            "Mijn moeder komt uit Marokko en mijn vader uit Turkije.",
            "We spreken thuis Pools, Oekraïens en een beetje Nederlands.",
            "We hebben een vos in de tuin gezien, met een bloem in zijn bek.",
            "Mijn opa was visser in Scheveningen.",
            "Ik keek elke avond naar Netflix en speelde Fortnite.",
            "Op de Basisschool ging het nog goed, met LVB-zorg.",
            "Anyway, ik ben nu 18 en woon op mezelf.",
            "Het Jeugdteam zat in het Gezondheidscentrum.",
        ] {
            nothing(text);
        }
    }
}
