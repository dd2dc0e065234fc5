//! Anonymisation of story text: find personal data in Dutch free text and replace every span
//! with a tag such as `[naam]` or `[telefoon]` (issue 7, point 2). Pure: no HTTP, no SQL.
//!
//! ```
//! use vertelpunt::domain::anonymise::{anonymise, ExtraTerms, Kind};
//!
//! let extra = ExtraTerms::new([("Het Baken", Kind::Organisatie)]);
//! let text = "Mijn zoon Daan (06-12345678) zit bij Het Baken.";
//! assert_eq!(anonymise(text, &extra), "Mijn zoon [naam] ([telefoon]) zit bij [organisatie].");
//! ```
//!
//! [`find`] returns the spans (byte offsets, sorted, never overlapping) so that a page can show
//! them before an export; [`anonymise`] replaces them. The rules of every detector, what each
//! one misses and the measured quality are in `docs/anonymisation.md`. In short:
//!
//! - **E-mail** and **URL** (`https://…`, `www.…`, bare domains on a known top-level domain
//!   such as `jeugdzorg-noord.nl/…`) by scanning the bytes around `@`, `://` and `.`.
//! - **Numbers**: digit groups joined by at most three characters of space, `-`, `.`, `/` or
//!   brackets form a chunk; within a chunk the longest run of groups that is a date, a Dutch
//!   phone number or a BSN (11-proef) is taken, leftmost first.
//! - **Postcode** (`1234 AB`, `1234AB`) and **address**: a street name (a word ending in a
//!   street suffix such as `straat` or `laan`, with the capitalised words and particles before
//!   it) followed by a house number, optionally followed by a postcode. A postcode followed by
//!   a house number, or following an address, becomes part of the `[adres]`; a postcode on its
//!   own is tagged `[postcode]`.
//! - **Dates** with a month name (`12 maart 2010`, `3 mrt. 2009`), and a day and month without
//!   a year only after a birth cue (`geboren op 12 maart`).
//! - **Names** by a hand tokenizer: runs of capitalised words, initials and particles
//!   (`van der`, `El`, `bin`) become a `[naam]` when they follow a cue word (`mijn zoon`,
//!   `mevrouw`, `juf`, `heet` …), contain a first name or surname from the bundled lists of
//!   many communities (`assets/anonymise/`), or contain a capitalised word that is no Dutch
//!   word, known proper noun or place; names in lower case and in lists too; with rules against
//!   common words that are also names.
//! - **Organisations** (schools, care providers, hospitals, clubs) by a list and by their form
//!   (`basisschool De Regenboog`, `Da Vinci College`, `Jeugdzorg Horizon`, `Regenboogschool`).
//! - **Extra terms** per project (organisations, professionals' names), matched
//!   case-insensitively as whole words with one Aho-Corasick automaton.
//! - **Other languages** of the interface: the same rules, with digits of the Arabic script
//!   read as digits (`digits`) and the month names of all six languages; names in Arabic
//!   script are not found (docs/anonymisation.md, "Stories in other languages").
//!
//! Everything runs in one pass per detector over the text; there are no regular expressions.
//!
//! ## Layout
//!
//! [`find`] is the whole pipeline. The byte scans of `contacts` run on the raw text; then the
//! text is split into tokens once (`tokens`) and the token detectors (`numbers`, `addresses`,
//! `dates`, `names`, `orgs`) walk them through one shared context that also holds the word
//! lists of `lexicon`; `terms` matches the project's own terms. A detector only proposes candidates (a
//! span, a kind and a priority) and knows nothing of the others: `overlap` decides between
//! them. The fixed word lists are data files in `assets/anonymise/`, compiled in with
//! `include_str!` (their sources and licences: `assets/anonymise/README.md`).

/// The text of a data file in `assets/anonymise/`, compiled in.
macro_rules! data_file {
    ($name:literal) => {
        include_str!(concat!("../../../assets/anonymise/", $name))
    };
}

mod addresses;
mod contacts;
mod dates;
mod digits;
mod lexicon;
mod names;
mod numbers;
mod orgs;
mod overlap;
mod terms;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_languages;
mod tokens;

pub use terms::ExtraTerms;

use lexicon::{Flags, Lexicon, LEXICON};
use tokens::{Folded, Tok, T};

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// What kind of personal data a span holds; decides the tag it is replaced with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Naam,
    Telefoon,
    Email,
    /// A street address with house number, including a postcode written with it.
    Adres,
    /// A postcode without a house number.
    Postcode,
    Bsn,
    Datum,
    Organisatie,
    Url,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Naam,
        Kind::Telefoon,
        Kind::Email,
        Kind::Adres,
        Kind::Postcode,
        Kind::Bsn,
        Kind::Datum,
        Kind::Organisatie,
        Kind::Url,
    ];

    /// The short code: `naam`, `telefoon`, `e-mail`, `adres`, `postcode`, `bsn`, `datum`,
    /// `organisatie`, `url`. Also what [`Kind::parse`] reads.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Naam => "naam",
            Kind::Telefoon => "telefoon",
            Kind::Email => "e-mail",
            Kind::Adres => "adres",
            Kind::Postcode => "postcode",
            Kind::Bsn => "bsn",
            Kind::Datum => "datum",
            Kind::Organisatie => "organisatie",
            Kind::Url => "url",
        }
    }

    /// The tag that replaces the span in the text: `[naam]`, `[telefoon]`, `[e-mail]` ….
    pub fn tag(self) -> &'static str {
        match self {
            Kind::Naam => "[naam]",
            Kind::Telefoon => "[telefoon]",
            Kind::Email => "[e-mail]",
            Kind::Adres => "[adres]",
            Kind::Postcode => "[postcode]",
            Kind::Bsn => "[bsn]",
            Kind::Datum => "[datum]",
            Kind::Organisatie => "[organisatie]",
            Kind::Url => "[url]",
        }
    }

    /// A Dutch label for people (pages, the project's term list).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Naam => "naam",
            Kind::Telefoon => "telefoonnummer",
            Kind::Email => "e-mailadres",
            Kind::Adres => "adres",
            Kind::Postcode => "postcode",
            Kind::Bsn => "burgerservicenummer",
            Kind::Datum => "datum",
            Kind::Organisatie => "organisatie",
            Kind::Url => "webadres",
        }
    }

    /// Reads a code (`naam`, `organisatie`, …), with or without brackets, any case; also
    /// `email`.
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim().trim_start_matches('[').trim_end_matches(']');
        let s = s.to_ascii_lowercase();
        if s == "email" {
            return Some(Kind::Email);
        }
        Kind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// One span of personal data: `text[start..end]` (byte offsets, on character boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redaction {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// Finds the personal data in `text`: sorted by start, never overlapping.
pub fn find(text: &str, extra: &ExtraTerms) -> Vec<Redaction> {
    match digits::ascii_digits(text) {
        None => find_in(text, extra),
        // Digits typed on an Arabic or Persian keyboard are found like ASCII digits.
        Some(rewritten) => rewritten.map_back(find_in(&rewritten.text, extra)),
    }
}

fn find_in(text: &str, extra: &ExtraTerms) -> Vec<Redaction> {
    let mut cands: Vec<Cand> = Vec::new();
    contacts::scan_emails(text, &mut cands);
    contacts::scan_urls(text, &mut cands);
    let toks = tokens::tokenize(text);
    let lex = &*LEXICON;
    let mut ctx = Ctx {
        text,
        toks: &toks,
        lex,
        key: String::new(),
        wf: Vec::new(),
    };
    ctx.numbers(&mut cands);
    ctx.postcodes_and_addresses(&mut cands);
    ctx.month_dates(&mut cands);
    ctx.names(&mut cands);
    ctx.organisations(&mut cands);
    extra.scan(text, &mut cands);
    overlap::resolve(cands)
}

/// Replaces every span [`find`] reports with its tag.
pub fn anonymise(text: &str, extra: &ExtraTerms) -> String {
    redact(text, &find(text, extra))
}

/// Replaces the given spans (sorted, not overlapping, as [`find`] returns them) with their tags.
pub fn redact(text: &str, spans: &[Redaction]) -> String {
    let mut out = String::with_capacity(text.len() + 8 * spans.len());
    let mut at = 0;
    for r in spans {
        if r.start < at || r.end > text.len() || r.start > r.end {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(r.kind.tag());
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

// ---------------------------------------------------------------------------------------------
// Candidates: what the detectors propose and `overlap::resolve` decides between
// ---------------------------------------------------------------------------------------------

// Which candidate wins where two overlap: the more reliable detector first.
const PRIO_EMAIL: u8 = 90;
const PRIO_URL: u8 = 80;
const PRIO_NUMBER: u8 = 70;
const PRIO_DATE: u8 = 60;
const PRIO_ADDRESS: u8 = 60;
const PRIO_POSTCODE: u8 = 50;
const PRIO_EXTRA: u8 = 40;
const PRIO_ORG: u8 = 30;
const PRIO_NAME: u8 = 20;

/// A span one detector proposes, with its priority against overlapping ones.
#[derive(Debug, Clone, Copy)]
struct Cand {
    start: usize,
    end: usize,
    kind: Kind,
    prio: u8,
}

impl Cand {
    fn new(start: usize, end: usize, kind: Kind, prio: u8) -> Self {
        Self {
            start,
            end,
            kind,
            prio,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the token detectors share
// ---------------------------------------------------------------------------------------------

/// The tokens of one text with the word lists and the buffers reused across words. Each
/// token detector adds its own methods to it in its own module.
struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Tok],
    lex: &'a Lexicon,
    /// Reused buffer for folded words.
    key: String,
    /// Per token: the word-list flags of the words the name detector looks at (0 otherwise).
    wf: Vec<Flags>,
}

impl<'a> Ctx<'a> {
    /// The text of token `i`.
    fn s(&self, i: usize) -> &'a str {
        &self.text[self.toks[i].start..self.toks[i].end]
    }

    /// Is token `i` a word?
    fn is_word(&self, i: usize) -> bool {
        i < self.toks.len() && self.toks[i].t == T::Word
    }

    /// Is token `i` the punctuation character `c`?
    fn is_punct(&self, i: usize, c: char) -> bool {
        i < self.toks.len() && self.toks[i].t == T::Punct(c)
    }

    /// Word `i`, folded.
    fn folded(&self, i: usize) -> Folded<'a> {
        Folded::of(self.s(i))
    }
}
