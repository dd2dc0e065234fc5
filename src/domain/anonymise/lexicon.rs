//! The word lists, read once from the data files in `assets/anonymise/`. First names, surnames,
//! words that are never a name, cue words and particles go into one map from a folded word to
//! its flags, so that the name detector needs one lookup per word; the other detectors keep
//! their smaller lists as a [`WordList`] each.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{LazyLock, OnceLock};

use super::tokens::fold;

const VOORNAMEN: &str = data_file!("voornamen.txt");
const ACHTERNAMEN: &str = data_file!("achternamen.txt");
const NIET_NAMEN: &str = data_file!("niet-namen.txt");

/// What the word lists say about a word, as bits.
pub(super) type Flags = u16;

/// A first name.
pub(super) const FIRST: Flags = 1;
/// A surname that counts on its own (`Jansen`).
pub(super) const SUR: Flags = 2;
/// The last word of a surname that counts only after a particle (`de Vries`, `van Dijk`).
pub(super) const SUR_PART: Flags = 4;
/// Also an ordinary Dutch word (`Roos`, `Bas`, `Bakker`).
pub(super) const AMBIG: Flags = 8;
/// Never (part of) a name (`niet-namen.txt`).
pub(super) const STOP: Flags = 16;
/// A cue word before a name (`zoon`, `mevrouw`, `heet`).
pub(super) const CUE: Flags = 32;
/// A particle that opens a surname (`van`, `de`, `der`).
pub(super) const PARTICLE: Flags = 64;
/// A particle that only counts before another one (`in 't Veld`, `op den Kamp`).
pub(super) const WEAK_PARTICLE: Flags = 128;
/// The first word of a word group in `niet-namen.txt` ("Veilig" of "Veilig Thuis").
pub(super) const PHRASE: Flags = 256;
pub(super) const NAME_FLAGS: Flags = FIRST | SUR | SUR_PART | AMBIG;

/// FNV-1a: the keys are short words, for which SipHash is needlessly slow.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &x in bytes {
            h ^= u64::from(x);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvBuild = BuildHasherDefault<Fnv>;

/// The lists the name detector needs, built once ([`LEXICON`]).
pub(super) struct Lexicon {
    /// Folded word → FIRST | SUR | SUR_PART | AMBIG | STOP | CUE | PARTICLE | WEAK_PARTICLE:
    /// one lookup per word tells the name detector all it needs.
    words: HashMap<Box<str>, Flags, FnvBuild>,
    /// Lengths (index) and first letters (bits, a–z) of the cue words: most words are ruled
    /// out as a cue without a lookup.
    cue_shapes: [u32; 32],
    /// Word groups that are never (part of) a name, by their first folded word.
    phrases: HashMap<Box<str>, Vec<Vec<Box<str>>>, FnvBuild>,
}

pub(super) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::bundled);

/// The entries of a data file: trimmed lines, without empty lines and `#` comments.
pub(super) fn list_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A short fixed list from a data file, folded on first use. The lists have at most a few dozen
/// entries, so scanning one is as quick as hashing the word.
pub(super) struct WordList {
    text: &'static str,
    words: OnceLock<Box<[Box<str>]>>,
}

impl WordList {
    pub(super) const fn new(text: &'static str) -> Self {
        Self {
            text,
            words: OnceLock::new(),
        }
    }

    /// The entries in file order, folded.
    pub(super) fn words(&self) -> &[Box<str>] {
        self.words
            .get_or_init(|| list_lines(self.text).map(|l| fold(l).into()).collect())
    }

    /// Is this folded word in the list?
    pub(super) fn contains(&self, folded: &str) -> bool {
        self.words().iter().any(|w| **w == *folded)
    }
}

/// Dutch particles that open a surname (`van`, `de`, `van der`, `'t`): `tussenvoegsels.txt`.
static PARTICLES: WordList = WordList::new(data_file!("tussenvoegsels.txt"));

/// Particles that only count before another particle (`in 't Veld`, `op den Kamp`). Too short a
/// list for a data file, and tied to the rule in `names`.
const WEAK_PARTICLES: &[&str] = &["in", "op", "uit"];

/// Words after which a capitalised word (or a lower-case first name) is a person's name:
/// `aanwijzingen.txt`.
static CUES: WordList = WordList::new(data_file!("aanwijzingen.txt"));

pub(super) fn is_particle(folded: &str) -> bool {
    PARTICLES.contains(folded)
}

pub(super) fn is_weak_particle(folded: &str) -> bool {
    WEAK_PARTICLES.contains(&folded)
}

impl Lexicon {
    fn bundled() -> Self {
        let mut words: HashMap<Box<str>, Flags, FnvBuild> = HashMap::default();
        let names = &mut words;
        for line in list_lines(VOORNAMEN) {
            let (name, ambig) = match line.strip_suffix('*') {
                Some(n) => (n.trim(), AMBIG),
                None => (line, 0),
            };
            *names.entry(fold(name).into()).or_default() |= FIRST | ambig;
        }
        for line in list_lines(ACHTERNAMEN) {
            let (name, ambig) = match line.strip_suffix('*') {
                Some(n) => (n.trim(), AMBIG),
                None => (line, 0),
            };
            let words: Vec<String> = name.split_whitespace().map(fold).collect();
            let Some((core, before)) = words.split_last() else {
                continue;
            };
            let flag = if !before.is_empty()
                && before.iter().all(|w| is_particle(w) || is_weak_particle(w))
            {
                SUR_PART
            } else {
                SUR
            };
            *names.entry(core.as_str().into()).or_default() |= flag | ambig;
        }
        let mut phrases: HashMap<Box<str>, Vec<Vec<Box<str>>>, FnvBuild> = HashMap::default();
        for line in list_lines(NIET_NAMEN) {
            let group: Vec<Box<str>> = line.split_whitespace().map(|w| fold(w).into()).collect();
            if group.len() == 1 {
                *words.entry(group[0].clone()).or_default() |= STOP;
            } else if let Some(first) = group.first() {
                *words.entry(first.clone()).or_default() |= PHRASE;
                phrases.entry(first.clone()).or_default().push(group);
            }
        }
        let marked = CUES
            .words()
            .iter()
            .map(|w| (&**w, CUE))
            .chain(PARTICLES.words().iter().map(|w| (&**w, PARTICLE)))
            .chain(WEAK_PARTICLES.iter().map(|w| (*w, WEAK_PARTICLE)));
        for (w, flag) in marked {
            *words.entry(w.into()).or_default() |= flag;
        }
        let mut cue_shapes = [0u32; 32];
        for w in CUES.words() {
            let Some(&first) = w.as_bytes().first() else {
                continue;
            };
            if w.len() < 32 && first.is_ascii_lowercase() {
                cue_shapes[w.len()] |= 1 << (first - b'a');
            }
        }
        Lexicon {
            words,
            phrases,
            cue_shapes,
        }
    }

    /// All flags of a folded word.
    pub(super) fn flags(&self, folded: &str) -> Flags {
        self.words.get(folded).copied().unwrap_or(0)
    }

    /// The word groups of `niet-namen.txt` that start with this folded word.
    pub(super) fn phrases_from(&self, folded: &str) -> Option<&[Vec<Box<str>>]> {
        self.phrases.get(folded).map(Vec::as_slice)
    }

    /// The name flags of a folded word (FIRST | SUR | SUR_PART | AMBIG).
    pub(super) fn name_flags(&self, folded: &str) -> Flags {
        self.flags(folded) & NAME_FLAGS
    }

    /// False when a lower-case word cannot be a cue word (by its length and first letter).
    pub(super) fn maybe_cue(&self, word: &str) -> bool {
        let b = word.as_bytes();
        b.len() < 32
            && b[0].is_ascii_lowercase()
            && self.cue_shapes[b.len()] & (1 << (b[0] - b'a')) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sane() {
        let firsts = list_lines(VOORNAMEN).count();
        let surnames = list_lines(ACHTERNAMEN).count();
        assert!(firsts >= 400, "{firsts} first names");
        assert!(surnames >= 300, "{surnames} surnames");
        let lex = &*LEXICON;
        let clash: Vec<&str> = lex
            .words
            .iter()
            .filter(|(_, f)| **f & STOP != 0 && **f & NAME_FLAGS != 0)
            .map(|(w, _)| &**w)
            .collect();
        assert!(clash.is_empty(), "names in niet-namen.txt: {clash:?}");
        assert!(lex.name_flags("roos") & AMBIG != 0);
        assert!(lex.name_flags("sanne") == FIRST);
        assert!(lex.name_flags("vries") == SUR_PART);
        assert!(lex.name_flags("yilmaz") == SUR);
        assert!(lex.phrases.contains_key("veilig"));
    }
}
