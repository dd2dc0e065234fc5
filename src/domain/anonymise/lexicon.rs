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
const PLAATSEN: &str = data_file!("plaatsen.txt");
const WOORDEN_EXTRA: &str = data_file!("woorden-extra.txt");
const OOK_GEWOON_WOORD: &str = data_file!("namen/ook-gewoon-woord.txt");
/// The lower-case words of the OpenTaal word list (`opentaal/woorden.txt`).
const OPENTAAL_WOORDEN: &str = data_file!("opentaal/woorden.txt");
/// The capitalised words of the OpenTaal word list (`opentaal/eigennamen.txt`).
const OPENTAAL_EIGENNAMEN: &str = data_file!("opentaal/eigennamen.txt");
/// The first names derived from the OpenTaal word list (`opentaal/voornamen.txt`).
const OPENTAAL_VOORNAMEN: &str = data_file!("opentaal/voornamen.txt");

/// The name lists per community in `assets/anonymise/namen/`, each with a `[voornamen]` and an
/// `[achternamen]` section (see the README there).
const NAME_FILES: [(&str, &str); 13] = [
    ("nederlands", data_file!("namen/nederlands.txt")),
    ("turks", data_file!("namen/turks.txt")),
    ("marokkaans", data_file!("namen/marokkaans.txt")),
    ("surinaams", data_file!("namen/surinaams.txt")),
    ("antilliaans", data_file!("namen/antilliaans.txt")),
    ("kaapverdisch", data_file!("namen/kaapverdisch.txt")),
    ("pools", data_file!("namen/pools.txt")),
    ("oekraiens", data_file!("namen/oekraiens.txt")),
    ("syrisch", data_file!("namen/syrisch.txt")),
    ("eritrees", data_file!("namen/eritrees.txt")),
    ("somalisch", data_file!("namen/somalisch.txt")),
    ("afghaans", data_file!("namen/afghaans.txt")),
    ("chinees", data_file!("namen/chinees.txt")),
];

/// What the word lists say about a word, as bits.
pub(super) type Flags = u16;

/// A first name.
pub(super) const FIRST: Flags = 1;
/// A surname that counts on its own (`Jansen`).
pub(super) const SUR: Flags = 2;
/// The last word of a surname that counts only after a particle (`de Vries`, `van Dijk`).
pub(super) const SUR_PART: Flags = 4;
/// Also an ordinary word (`Roos`, `Bas`, `Bakker`, `Vos`): marked `*` in the old lists, in
/// `namen/ook-gewoon-woord.txt` or in `woorden-extra.txt`, or a place.
pub(super) const AMBIG: Flags = 8;
/// Never (part of) a name (`niet-namen.txt`).
pub(super) const STOP: Flags = 16;
/// A cue word before a name (`zoon`, `mevrouw`, `heet`).
pub(super) const CUE: Flags = 32;
/// A particle that opens a surname (`van`, `de`, `der`, `el`, `al`, `bin`).
pub(super) const PARTICLE: Flags = 64;
/// A particle that only counts before another one (`in 't Veld`, `op den Kamp`).
pub(super) const WEAK_PARTICLE: Flags = 128;
/// The first word of a word group in `niet-namen.txt` ("Veilig" of "Veilig Thuis").
pub(super) const PHRASE: Flags = 256;
/// An ordinary word in lower case: OpenTaal's word list or `woorden-extra.txt`.
pub(super) const DICT: Flags = 512;
/// A capitalised word in OpenTaal's list (a place, a brand, a language, a person …).
pub(super) const KNOWN: Flags = 1024;
/// A place, region, country, language or people (`plaatsen.txt`).
pub(super) const PLACE: Flags = 2048;
/// The first word of an organisation or a word around one (`organisaties.txt`): the
/// organisation detector only looks closer at words with this flag or in no list at all.
pub(super) const ORG: Flags = 4096;
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
    /// The keys point into the compiled-in data files where a word needs no folding, so that
    /// building the map allocates only for the few that do. Every word with a flag other than
    /// DICT and KNOWN (names, cue words, places …), with all its flags: small enough to stay
    /// in the processor's caches.
    words: HashMap<&'static str, Flags, FnvBuild>,
    /// The words that are only an ordinary word or a known proper noun (DICT, KNOWN): most of
    /// OpenTaal's list. Looked up for capitalised words and where a rule needs to know that a
    /// lower-case word is an ordinary one.
    plain: HashMap<&'static str, Flags, FnvBuild>,
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

/// Particles of Arabic, Amazigh and other surnames: a prefix before the core (`El Amrani`,
/// `Ait Said`, `bin Salem`). The core of such a surname counts on its own.
const PREFIXES: &[&str] = &[
    "el", "al", "ben", "bin", "ibn", "ait", "abu", "abou", "bou", "ould", "oulad", "aoulad", "da",
    "dos", "das", "di", "del", "la", "le", "du",
];

/// A word of a data file, folded: the word itself when it needs no folding (lower-case ASCII),
/// otherwise its folded form, allocated once and kept for the life of the process (the lexicon
/// is built once and never dropped).
fn folded_static(w: &'static str) -> &'static str {
    if w.bytes().all(|c| c.is_ascii() && !c.is_ascii_uppercase()) {
        w
    } else {
        Box::leak(fold(w).into_boxed_str())
    }
}

/// Entries of a list file: whitespace-separated words on lines that are no comment.
fn list_words(text: &str) -> impl Iterator<Item = &str> {
    list_lines(text).flat_map(str::split_whitespace)
}

impl Lexicon {
    fn bundled() -> Self {
        let mut words: HashMap<&'static str, Flags, FnvBuild> = HashMap::default();
        words.reserve(420_000);
        let mut phrases: HashMap<Box<str>, Vec<Vec<Box<str>>>, FnvBuild> = HashMap::default();
        for line in list_lines(NIET_NAMEN) {
            let group: Vec<Box<str>> = line.split_whitespace().map(|w| fold(w).into()).collect();
            if group.len() == 1 {
                *words.entry(folded_static(line)).or_default() |= STOP;
            } else if let Some(first) = group.first() {
                let head = line.split_whitespace().next().unwrap_or(line);
                *words.entry(folded_static(head)).or_default() |= PHRASE;
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
            *words.entry(folded_static(w)).or_default() |= flag;
        }
        let add = |words: &mut HashMap<&'static str, Flags, FnvBuild>, w: &'static str, flag| {
            *words.entry(folded_static(w)).or_default() |= flag;
        };
        for w in list_lines(OPENTAAL_WOORDEN) {
            add(&mut words, w, DICT);
        }
        for w in list_lines(OPENTAAL_EIGENNAMEN) {
            add(&mut words, w, KNOWN);
        }
        for w in list_words(PLAATSEN) {
            add(&mut words, w, PLACE);
        }
        // Names. A word that is never a name, a cue or a particle is left out of the name
        // lists (`Frans` is a language here, `Van` a particle).
        let blocked = |words: &HashMap<&'static str, Flags, FnvBuild>, f: &str| {
            words
                .get(f)
                .is_some_and(|x| x & (STOP | CUE | PARTICLE | WEAK_PARTICLE) != 0)
        };
        let mut name =
            |words: &mut HashMap<&'static str, Flags, FnvBuild>, w: &'static str, flag: Flags| {
                let f = folded_static(w);
                if f.chars().count() < 2 || blocked(words, f) {
                    return;
                }
                *words.entry(f).or_default() |= flag;
            };
        for line in list_lines(VOORNAMEN) {
            let (n, ambig) = match line.strip_suffix('*') {
                Some(n) => (n.trim(), AMBIG),
                None => (line, 0),
            };
            name(&mut words, n, FIRST | ambig);
        }
        for line in list_lines(ACHTERNAMEN) {
            let (n, ambig) = match line.strip_suffix('*') {
                Some(n) => (n.trim(), AMBIG),
                None => (line, 0),
            };
            surname(&mut words, n.split_whitespace(), ambig, &mut name);
        }
        for (_, text) in NAME_FILES {
            let mut section = "";
            for line in list_lines(text) {
                if line.starts_with('[') {
                    section = line;
                    continue;
                }
                match section {
                    "[voornamen]" => {
                        for w in line.split_whitespace() {
                            name(&mut words, w, FIRST);
                        }
                    }
                    "[achternamen]" => surname(&mut words, line.split_whitespace(), 0, &mut name),
                    _ => {}
                }
            }
        }
        for w in list_lines(OPENTAAL_VOORNAMEN) {
            let f = fold(w);
            if words.get(f.as_str()).is_some_and(|x| x & PLACE != 0) {
                continue;
            }
            name(&mut words, w, FIRST);
        }
        // Names that are also ordinary words.
        for w in list_words(OOK_GEWOON_WOORD) {
            if let Some(x) = words.get_mut(fold(w).as_str()) {
                if *x & (FIRST | SUR | SUR_PART) != 0 {
                    *x |= AMBIG;
                }
            }
        }
        for w in list_words(WOORDEN_EXTRA) {
            match w.strip_suffix('*') {
                Some(n) => {
                    add(&mut words, n, DICT);
                    name(&mut words, n, FIRST | AMBIG);
                }
                None => {
                    add(&mut words, w, DICT);
                    if let Some(x) = words.get_mut(fold(w).as_str()) {
                        if *x & (FIRST | SUR | SUR_PART) != 0 {
                            *x |= AMBIG;
                        }
                    }
                }
            }
        }
        for w in super::orgs::trigger_words() {
            *words.entry(w).or_default() |= ORG;
        }
        for x in words.values_mut() {
            if *x & PLACE != 0 && *x & (FIRST | SUR | SUR_PART) != 0 {
                *x |= AMBIG;
            }
        }
        // split off the words with flags of their own: the rest stays where it is
        let mut special: HashMap<&'static str, Flags, FnvBuild> = HashMap::default();
        words.retain(|w, f| {
            let plain = *f & !(DICT | KNOWN) == 0;
            if !plain {
                special.insert(*w, *f);
            }
            plain
        });
        Lexicon {
            words: special,
            plain: words,
            phrases,
        }
    }

    /// All flags of a folded word.
    pub(super) fn flags(&self, folded: &str) -> Flags {
        match self.words.get(folded) {
            Some(&f) => f,
            None => self.plain.get(folded).copied().unwrap_or(0),
        }
    }

    /// The flags of a folded word, but DICT and KNOWN only for words with other flags too
    /// (names, cue words …): enough for most lower-case words, and much cheaper.
    pub(super) fn special_flags(&self, folded: &str) -> Flags {
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
}

/// Adds one surname, written with its particles (`van der Berg`, `El Amrani`, `Ben Ali`): the
/// last word gets SUR_PART after Dutch particles, SUR otherwise (also after an Arabic prefix:
/// `Amrani` is a name on its own); every word before it that is no particle is a surname too
/// (`Lopes Furtado`).
fn surname(
    words: &mut HashMap<&'static str, Flags, FnvBuild>,
    parts: impl Iterator<Item = &'static str>,
    ambig: Flags,
    name: &mut impl FnMut(&mut HashMap<&'static str, Flags, FnvBuild>, &'static str, Flags),
) {
    let parts: Vec<&'static str> = parts.map(folded_static).collect();
    let mut dutch_particle = false;
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if !last && (is_particle(p) || is_weak_particle(p) || *p == "'t") {
            dutch_particle = !PREFIXES.contains(p);
            continue;
        }
        if !last && PREFIXES.contains(p) {
            dutch_particle = false;
            continue;
        }
        let flag = if dutch_particle { SUR_PART } else { SUR };
        name(words, p, flag | ambig);
        dutch_particle = false;
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
        let count = |flag: Flags| {
            (lex.words.values().chain(lex.plain.values()))
                .filter(|f| **f & flag != 0)
                .count()
        };
        assert!(count(FIRST) >= 7_000, "{} first names in all", count(FIRST));
        assert!(
            count(SUR | SUR_PART) >= 2_000,
            "{} surnames in all",
            count(SUR | SUR_PART)
        );
        assert!(count(DICT) >= 300_000, "{} ordinary words", count(DICT));
        for (community, text) in NAME_FILES {
            let sections = list_lines(text).filter(|l| l.starts_with('[')).count();
            let names = list_words(text).count();
            assert!(
                sections == 2 && names >= 200,
                "namen/{community}.txt: {names} names"
            );
        }
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
        assert!(lex.name_flags("vries") & SUR_PART != 0 && lex.name_flags("vries") & SUR == 0);
        // names of every community, with and without their own letters
        for name in [
            "oksana",
            "dawit",
            "yilmaz",
            "çakır",
            "cakir",
            "nouhaila",
            "wiśniewska",
        ] {
            assert!(lex.name_flags(&fold(name)) & (FIRST | SUR) != 0, "{name}");
        }
        // a name that is also a word is marked so, a place is no name
        for word in ["vos", "bloem", "koning", "visser", "per"] {
            assert!(lex.flags(word) & (AMBIG | DICT) != 0, "{word}");
        }
        assert!(lex.flags("zwolle") & PLACE != 0 && lex.name_flags("zwolle") == 0);
        assert!(lex.name_flags("yilmaz") & SUR != 0);
        assert!(lex.phrases.contains_key("veilig"));
    }
}
