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
//!   (`van der`) become a `[naam]` when they follow a cue word (`mijn zoon`, `mevrouw`, `juf`,
//!   `heet` …) or contain a first name or surname from the bundled lists
//!   (`assets/anonymise/`), with rules against common words that are also names.
//! - **Extra terms** per project (organisations, professionals' names), matched
//!   case-insensitively as whole words with one Aho-Corasick automaton.
//!
//! Everything runs in one pass per detector over the text; there are no regular expressions.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

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

    fn scan(&self, text: &str, out: &mut Vec<Cand>) {
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

/// Finds the personal data in `text`: sorted by start, never overlapping.
pub fn find(text: &str, extra: &ExtraTerms) -> Vec<Redaction> {
    let mut cands: Vec<Cand> = Vec::new();
    scan_emails(text, &mut cands);
    scan_urls(text, &mut cands);
    let toks = tokenize(text);
    let lex = &*LEXICON;
    let mut ctx = Ctx {
        text,
        toks: &toks,
        lex,
        key: String::new(),
        wf: Vec::new(),
    };
    ctx.numbers(&mut cands);
    ctx.month_dates(&mut cands);
    ctx.names(&mut cands);
    extra.scan(text, &mut cands);
    resolve(cands)
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
// Candidates and how overlaps are resolved
// ---------------------------------------------------------------------------------------------

const PRIO_EMAIL: u8 = 90;
const PRIO_URL: u8 = 80;
const PRIO_NUMBER: u8 = 70;
const PRIO_DATE: u8 = 60;
const PRIO_ADDRESS: u8 = 60;
const PRIO_POSTCODE: u8 = 50;
const PRIO_EXTRA: u8 = 40;
const PRIO_NAME: u8 = 20;

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

/// Higher priority first, then longer first. A candidate inside a kept span is dropped; one
/// that sticks out of kept spans is merged with them into one span (with the kind of the
/// higher priority), so that no part of it stays visible. Kept spans never overlap, so they
/// are held by start and only the neighbours of a candidate are looked at.
fn resolve(mut cands: Vec<Cand>) -> Vec<Redaction> {
    cands.retain(|c| c.end > c.start);
    cands.sort_by(|a, b| {
        b.prio
            .cmp(&a.prio)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    // start → (end, kind, prio)
    let mut kept: BTreeMap<usize, (usize, Kind, u8)> = BTreeMap::new();
    for c in cands {
        let overlapping: Vec<usize> = kept
            .range(..c.end)
            .rev()
            .take_while(|(_, (end, _, _))| *end > c.start)
            .map(|(start, _)| *start)
            .collect();
        if overlapping.is_empty() {
            kept.insert(c.start, (c.end, c.kind, c.prio));
            continue;
        }
        if let [only] = overlapping[..] {
            if only <= c.start && kept[&only].0 >= c.end {
                continue; // inside a kept span
            }
        }
        let (mut start, mut end, mut kind, mut prio) = (c.start, c.end, c.kind, c.prio);
        for s in overlapping {
            if let Some((e, k, p)) = kept.remove(&s) {
                start = start.min(s);
                end = end.max(e);
                if p >= prio {
                    kind = k;
                    prio = p;
                }
            }
        }
        kept.insert(start, (end, kind, prio));
    }
    kept.into_iter()
        .map(|(start, (end, kind, _))| Redaction { start, end, kind })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// E-mail and URLs (byte scans)
// ---------------------------------------------------------------------------------------------

fn is_email_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_host(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

/// E-mail addresses (`naam@domein.nl`), written-out ones (`naam (at) domein (dot) nl`,
/// `naam[at]domein.nl`) and social-media handles (`@sanne_2009`, tagged `[naam]`).
fn scan_emails(text: &str, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    for (at, _) in text.match_indices('@') {
        let mut s = at;
        while s > 0 && is_email_local(b[s - 1]) {
            s -= 1;
        }
        while s < at && matches!(b[s], b'.' | b'-') {
            s += 1;
        }
        if s == at {
            // no local part: a handle such as @sanne_2009, unless glued to a word
            if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] >= 0x80) {
                continue;
            }
            let mut e = at + 1;
            while e < b.len() && (b[e].is_ascii_alphanumeric() || matches!(b[e], b'_' | b'.')) {
                e += 1;
            }
            while e > at + 1 && b[e - 1] == b'.' {
                e -= 1;
            }
            let handle = &b[at + 1..e];
            if handle.len() >= 2
                && handle.iter().any(u8::is_ascii_alphabetic)
                && (e == b.len() || b[e] != b'@')
            {
                out.push(Cand::new(at, e, Kind::Naam, PRIO_URL));
            }
            continue;
        }
        let mut e = at + 1;
        while e < b.len() && is_host(b[e]) {
            e += 1;
        }
        while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        let domain = &text[at + 1..e];
        let Some(dot) = domain.rfind('.') else {
            continue;
        };
        let tld = &domain[dot + 1..];
        if dot > 0 && tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic()) {
            out.push(Cand::new(s, e, Kind::Email, PRIO_EMAIL));
        }
    }
    scan_written_out_emails(text, out);
}

/// `naam (at) domein (dot) nl`, `naam[at]domein.nl`, `naam(at)domein(punt)nl`.
fn scan_written_out_emails(text: &str, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let marker = |at: usize, word: &[u8]| -> Option<usize> {
        // (word) or [word] at byte `at`, any case; returns the end
        let open = *b.get(at)?;
        let close = match open {
            b'(' => b')',
            b'[' => b']',
            b'{' => b'}',
            _ => return None,
        };
        let inner = b.get(at + 1..at + 1 + word.len())?;
        (inner.eq_ignore_ascii_case(word) && b.get(at + 1 + word.len()) == Some(&close))
            .then_some(at + 2 + word.len())
    };
    let skip_spaces = |mut i: usize| {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        i
    };
    // one memchr pass per bracket is much faster than one pass for all three
    let opens = text
        .match_indices('(')
        .chain(text.match_indices('['))
        .chain(text.match_indices('{'))
        .map(|(o, _)| o);
    for o in opens {
        let Some(after_at) = marker(o, b"at") else {
            continue;
        };
        // the local part, left of the marker
        let mut e = o;
        while e > 0 && b[e - 1] == b' ' {
            e -= 1;
        }
        let mut s = e;
        while s > 0 && is_email_local(b[s - 1]) {
            s -= 1;
        }
        while s < e && matches!(b[s], b'.' | b'-') {
            s += 1;
        }
        if s == e {
            continue;
        }
        // the domain: labels joined by '.', (dot), [dot], (punt)
        let mut i = skip_spaces(after_at);
        let mut labels = 0;
        let mut last_label = (0, 0);
        let mut end = i;
        loop {
            let l = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
                i += 1;
            }
            if i == l {
                break;
            }
            labels += 1;
            last_label = (l, i);
            end = i;
            if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let j = skip_spaces(i);
            if let Some(k) = marker(j, b"dot").or_else(|| marker(j, b"punt")) {
                i = skip_spaces(k);
                continue;
            }
            break;
        }
        let tld = &b[last_label.0..last_label.1];
        if labels >= 2 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic) {
            out.push(Cand::new(s, end, Kind::Email, PRIO_EMAIL));
        }
    }
}

/// Top-level domains that make `word.tld` a web address without `www.` or `https://`. Left
/// out on purpose: those that are also Dutch words or common typos after a missing space
/// (`.de`, `.nu`, `.me`, `.in`, `.is`, `.op`, `.en`).
const TLDS: &[&str] = &[
    "nl",
    "com",
    "org",
    "net",
    "eu",
    "be",
    "info",
    "frl",
    "io",
    "app",
    "online",
    "amsterdam",
    "site",
    "uk",
    "fr",
    "es",
    "gov",
    "edu",
    "biz",
    "shop",
];

/// Where a URL that starts before `from` ends: up to whitespace or a character that cannot be
/// in a URL, without trailing punctuation.
fn url_end(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let mut e = from;
    while e < b.len() {
        let c = b[e];
        if c.is_ascii_whitespace() || c >= 0x80 || matches!(c, b'<' | b'>' | b'"' | b'\'') {
            break;
        }
        e += 1;
    }
    while e > from
        && matches!(
            b[e - 1],
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b']'
        )
    {
        e -= 1;
    }
    e
}

fn scan_urls(text: &str, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let mut scheme_end = 0;
    for (p, _) in text.match_indices(':') {
        if p < scheme_end || !text[p..].starts_with("://") {
            continue;
        }
        let mut s = p;
        while s > 0 && b[s - 1].is_ascii_alphabetic() && p - s < 10 {
            s -= 1;
        }
        if s == p {
            continue;
        }
        let e = url_end(text, p + 3);
        if e > p + 3 {
            out.push(Cand::new(s, e, Kind::Url, PRIO_URL));
            scheme_end = e;
        }
    }
    let scheme_spans: Vec<(usize, usize)> = out
        .iter()
        .filter(|c| c.kind == Kind::Url)
        .map(|c| (c.start, c.end))
        .collect();
    let mut last_end = 0;
    let mut next_scheme = 0;
    for (d, _) in text.match_indices('.') {
        while next_scheme < scheme_spans.len() && scheme_spans[next_scheme].1 <= d {
            next_scheme += 1;
        }
        if d < last_end
            || scheme_spans
                .get(next_scheme)
                .is_some_and(|&(s, e)| s <= d && d < e)
        {
            continue;
        }
        // www.…
        if d >= 3 && b[d - 3..d].eq_ignore_ascii_case(b"www") && (d == 3 || !is_host(b[d - 4])) {
            let e = url_end(text, d + 1);
            if e > d + 1 {
                out.push(Cand::new(d - 3, e, Kind::Url, PRIO_URL));
                last_end = e;
            }
            continue;
        }
        // name.tld
        if d == 0 || !b[d - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut t = d + 1;
        while t < b.len() && b[t].is_ascii_alphabetic() {
            t += 1;
        }
        if t == d + 1
            || (t < b.len() && (b[t].is_ascii_alphanumeric() || b[t] == b'-' || b[t] >= 0x80))
        {
            continue;
        }
        let tld = &text[d + 1..t];
        if !TLDS.iter().any(|x| x.eq_ignore_ascii_case(tld)) {
            continue;
        }
        let mut s = d;
        while s > last_end && is_host(b[s - 1]) {
            s -= 1;
        }
        while s < d && matches!(b[s], b'.' | b'-') {
            s += 1;
        }
        if d - s < 2 || (s > 0 && b[s - 1] == b'@') {
            continue;
        }
        if !b[s..d].iter().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let e = if t < b.len() && b[t] == b'/' {
            url_end(text, t)
        } else {
            t
        };
        out.push(Cand::new(s, e, Kind::Url, PRIO_URL));
        last_end = e;
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    /// Letters, with `-`, `'` or `’` inside (`Anne-Marie`, `z'n`, `Sanne's`).
    Word,
    /// ASCII digits.
    Num,
    /// Any other character that is not whitespace (one per token), emoji included.
    Punct(char),
}

/// The whitespace between a token and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    None,
    Space,
    Newline,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    t: T,
    gap: Gap,
    /// A word whose first letter is upper case.
    cap: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c)
}

fn tokenize(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 4 + 4);
    let mut gap = Gap::None;
    let mut i = 0;
    while i < b.len() {
        let c0 = b[i];
        let (c, len) = if c0 < 0x80 {
            (c0 as char, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        };
        if c.is_whitespace() {
            if c == '\n' || c == '\r' || c == '\u{2028}' {
                gap = Gap::Newline;
            } else if gap == Gap::None {
                gap = Gap::Space;
            }
            i += len;
            continue;
        }
        let start = i;
        if c0.is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            toks.push(Tok {
                start,
                end: i,
                t: T::Num,
                gap,
                cap: false,
            });
        } else if is_word_char(c) {
            let cap = c.is_uppercase();
            i += len;
            loop {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                if i >= b.len() || (b[i] < 0x80 && !matches!(b[i], b'-' | b'\'')) {
                    break;
                }
                let Some(n) = text[i..].chars().next() else {
                    break;
                };
                // a letter, or - ' ’ between letters (Anne-Marie, z'n)
                let joins = matches!(n, '-' | '\'' | '’')
                    && text[i + n.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(is_word_char);
                if !(is_word_char(n) || joins) {
                    break;
                }
                i += n.len_utf8();
            }
            toks.push(Tok {
                start,
                end: i,
                t: T::Word,
                gap,
                cap,
            });
        } else {
            i += len;
            toks.push(Tok {
                start,
                end: i,
                t: T::Punct(c),
                gap,
                cap: false,
            });
        }
        gap = Gap::None;
    }
    toks
}

/// Lower case without accents: `Zoë` → `zoe`, `Yılmaz` → `yilmaz`, `’` → `'`.
fn fold_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for l in c.to_lowercase() {
            let f = match l {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
                'ç' | 'ć' | 'č' => 'c',
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => 'e',
                'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => 'i',
                'ñ' | 'ń' => 'n',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
                'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
                'ý' | 'ÿ' => 'y',
                'ş' | 'ś' | 'š' => 's',
                'ğ' => 'g',
                'ł' => 'l',
                'ź' | 'ż' | 'ž' => 'z',
                '’' | '‘' => '\'',
                '\u{300}'..='\u{36f}' => continue,
                other => other,
            };
            out.push(f);
        }
    }
}

fn fold(word: &str) -> String {
    let mut s = String::new();
    fold_into(word, &mut s);
    s
}

/// A folded word without allocating in the common cases: the word itself when it is ASCII
/// without capitals, a copy on the stack when it is short ASCII, a `String` otherwise.
enum Folded<'a> {
    Same(&'a str),
    Stack([u8; 24], usize),
    Heap(String),
}

impl<'a> Folded<'a> {
    fn of(word: &'a str) -> Self {
        let b = word.as_bytes();
        if b.iter().all(|c| c.is_ascii() && !c.is_ascii_uppercase()) {
            return Folded::Same(word);
        }
        if b.len() <= 24 && word.is_ascii() {
            let mut buf = [0u8; 24];
            for (d, c) in buf.iter_mut().zip(b) {
                *d = c.to_ascii_lowercase();
            }
            return Folded::Stack(buf, b.len());
        }
        Folded::Heap(fold(word))
    }

    fn as_str(&self) -> &str {
        match self {
            Folded::Same(s) => s,
            // only ASCII bytes were copied, so this cannot fail
            Folded::Stack(buf, len) => std::str::from_utf8(&buf[..*len]).unwrap_or(""),
            Folded::Heap(s) => s,
        }
    }
}

impl std::ops::Deref for Folded<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Folded<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Folded<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------------------------

const VOORNAMEN: &str = include_str!("../../assets/anonymise/voornamen.txt");
const ACHTERNAMEN: &str = include_str!("../../assets/anonymise/achternamen.txt");
const NIET_NAMEN: &str = include_str!("../../assets/anonymise/niet-namen.txt");

/// What the word lists say about a word, as bits.
type Flags = u16;

/// A first name.
const FIRST: Flags = 1;
/// A surname that counts on its own (`Jansen`).
const SUR: Flags = 2;
/// The last word of a surname that counts only after a particle (`de Vries`, `van Dijk`).
const SUR_PART: Flags = 4;
/// Also an ordinary Dutch word (`Roos`, `Bas`, `Bakker`).
const AMBIG: Flags = 8;
/// Never (part of) a name (`niet-namen.txt`).
const STOP: Flags = 16;
/// A cue word before a name (`zoon`, `mevrouw`, `heet`).
const CUE: Flags = 32;
/// A particle that opens a surname (`van`, `de`, `der`).
const PARTICLE: Flags = 64;
/// A particle that only counts before another one (`in 't Veld`, `op den Kamp`).
const WEAK_PARTICLE: Flags = 128;
/// The first word of a word group in `niet-namen.txt` ("Veilig" of "Veilig Thuis").
const PHRASE: Flags = 256;
const NAME_FLAGS: Flags = FIRST | SUR | SUR_PART | AMBIG;

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

struct Lexicon {
    /// Folded word → FIRST | SUR | SUR_PART | AMBIG | STOP | CUE | PARTICLE | WEAK_PARTICLE:
    /// one lookup per word tells the name detector all it needs.
    words: HashMap<Box<str>, Flags, FnvBuild>,
    /// Lengths (index) and first letters (bits, a–z) of the cue words: most words are ruled
    /// out as a cue without a lookup.
    cue_shapes: [u32; 32],
    /// Word groups that are never (part of) a name, by their first folded word.
    phrases: HashMap<Box<str>, Vec<Vec<Box<str>>>, FnvBuild>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::bundled);

fn list_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Dutch particles that open a surname (`van`, `de`, `van der`, `'t`).
const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "ter", "ten", "te", "vd", "von", "'t", "la", "le", "du", "da", "di",
    "del", "dos", "das",
];

/// Particles that only count before another particle (`in 't Veld`, `op den Kamp`).
const WEAK_PARTICLES: &[&str] = &["in", "op", "uit"];

fn is_particle(folded: &str) -> bool {
    PARTICLES.contains(&folded)
}

fn is_weak_particle(folded: &str) -> bool {
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
        for (list, flag) in [
            (CUES, CUE),
            (PARTICLES, PARTICLE),
            (WEAK_PARTICLES, WEAK_PARTICLE),
        ] {
            for w in list {
                *words.entry((*w).into()).or_default() |= flag;
            }
        }
        let mut cue_shapes = [0u32; 32];
        for w in CUES {
            let first = w.as_bytes()[0];
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
    fn flags(&self, folded: &str) -> Flags {
        self.words.get(folded).copied().unwrap_or(0)
    }

    /// The name flags of a folded word (FIRST | SUR | SUR_PART | AMBIG).
    fn name_flags(&self, folded: &str) -> Flags {
        self.flags(folded) & NAME_FLAGS
    }

    /// False when a lower-case word cannot be a cue word (by its length and first letter).
    fn maybe_cue(&self, word: &str) -> bool {
        let b = word.as_bytes();
        b.len() < 32
            && b[0].is_ascii_lowercase()
            && self.cue_shapes[b.len()] & (1 << (b[0] - b'a')) != 0
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed word sets
// ---------------------------------------------------------------------------------------------

/// Words after which a capitalised word (or a lower-case first name) is a person's name.
const CUES: &[&str] = &[
    // family and people around the teller
    "zoon",
    "zoontje",
    "dochter",
    "dochtertje",
    "broer",
    "broertje",
    "zus",
    "zusje",
    "moeder",
    "vader",
    "mama",
    "papa",
    "mam",
    "pap",
    "stiefvader",
    "stiefmoeder",
    "stiefzoon",
    "stiefdochter",
    "pleegmoeder",
    "pleegvader",
    "pleegzoon",
    "pleegdochter",
    "pleegkind",
    "pleegbroer",
    "pleegzus",
    "opa",
    "oma",
    "oom",
    "tante",
    "neef",
    "neefje",
    "nicht",
    "nichtje",
    "kind",
    "kindje",
    "baby",
    "man",
    "vrouw",
    "ex",
    "partner",
    "vriend",
    "vriendin",
    "vriendje",
    "vriendinnetje",
    "buurman",
    "buurvrouw",
    "klasgenoot",
    "collega",
    "familie",
    "gezin",
    "fam",
    "heer",
    // professionals
    "mevrouw",
    "meneer",
    "mevr",
    "dhr",
    "mw",
    "juf",
    "juffrouw",
    "meester",
    "dokter",
    "dr",
    "docent",
    "docente",
    "leraar",
    "lerares",
    "mentor",
    "voogd",
    "gezinsvoogd",
    "hulpverlener",
    "hulpverleenster",
    "begeleider",
    "begeleidster",
    "coach",
    "gezinscoach",
    "jeugdbeschermer",
    "casemanager",
    "consulent",
    "consulente",
    "behandelaar",
    "behandelaarster",
    "therapeut",
    "therapeute",
    "psycholoog",
    "psychologe",
    "psychiater",
    "huisarts",
    "wijkagent",
    "agent",
    "advocaat",
    "advocate",
    "directeur",
    "directrice",
    "verpleegkundige",
    "jongerenwerker",
    "ambtenaar",
    "orthopedagoog",
    "werker",
    "trajectbegeleider",
    "pedagoog",
    "logopedist",
    "tandarts",
    "verloskundige",
    "kinderarts",
    "ib'er",
    "zorgcoordinator",
    // naming
    "heet",
    "heette",
    "genaamd",
    "naam",
    "noemde",
    "noemen",
];

/// Abbreviations that end with a full stop but not a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mevr", "dhr", "dr", "drs", "mw", "hr", "mr", "ir", "ing", "prof", "st", "nr", "bijv", "ca",
    "evt", "vs", "jr", "sr", "geb", "fam", "tel", "burg", "mrt", "jan", "feb", "febr", "apr",
    "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec",
];

fn is_abbreviation(folded: &str) -> bool {
    folded.chars().count() == 1 || ABBREVIATIONS.contains(&folded)
}

/// Words before a name that make it something else: a royal, a saint, an organisation.
const TITLES: &[&str] = &[
    "koning",
    "koningin",
    "prins",
    "prinses",
    "sint",
    "st",
    "heilige",
    "stichting",
    "basisschool",
    "kindcentrum",
    "school",
    "college",
];

fn is_title_before(folded: &str) -> bool {
    TITLES.contains(&folded)
}

/// Endings of a word after a name that make the name part of an institution
/// (`Emma Kinderziekenhuis`, `Ronald McDonald Huis`).
const INSTITUTION_ENDINGS: &[&str] = &[
    "ziekenhuis",
    "kliniek",
    "school",
    "college",
    "lyceum",
    "gymnasium",
    "centrum",
    "instituut",
    "academie",
    "stichting",
    "fonds",
    "groep",
    "huis",
    "hospitaal",
    "zorg",
    "stad",
    "dorp",
    "park",
    "prijs",
    "dag",
];

fn is_institution_word(folded: &str) -> bool {
    INSTITUTION_ENDINGS.iter().any(|e| folded.ends_with(e))
}

/// Street suffixes; `STRONG` ones also count on a word in lower case (`kerkstraat 12`).
const STREET_SUFFIXES: &[&str] = &[
    "straat",
    "laan",
    "weg",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dijk",
    "pad",
    "hof",
    "steeg",
    "dreef",
    "park",
    "ring",
    "baan",
    "erf",
    "markt",
    "wal",
    "plantsoen",
    "boulevard",
    "allee",
    "hage",
    "veld",
    "haven",
    "burcht",
    "wijk",
    "kamp",
];
const STRONG_STREET_SUFFIXES: &[&str] = &[
    "straat",
    "laan",
    "plein",
    "gracht",
    "kade",
    "singel",
    "steeg",
    "dreef",
    "plantsoen",
    "weg",
    "dijk",
    "markt",
];

fn street_suffix(folded: &str, strong_only: bool) -> Option<&'static str> {
    let list = if strong_only {
        STRONG_STREET_SUFFIXES
    } else {
        STREET_SUFFIXES
    };
    let s = list.iter().find(|s| folded.ends_with(**s))?;
    // -ring: ervaring, verandering, opvoering are not streets (Zuiderring is).
    if *s == "ring"
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
/// (`Burgemeester de Withstraat`, `Oude Gracht`, `Prins Hendrikkade`).
const STREET_PREFIXES: &[&str] = &[
    "oude",
    "nieuwe",
    "lange",
    "korte",
    "hoge",
    "lage",
    "grote",
    "kleine",
    "burgemeester",
    "burg",
    "prins",
    "prinses",
    "koning",
    "koningin",
    "sint",
    "st",
    "dokter",
    "dr",
    "professor",
    "prof",
    "graaf",
    "gravin",
    "hertog",
    "kapitein",
    "generaal",
    "pastoor",
    "kardinaal",
    "president",
    "jonkheer",
    "mr",
    "noord",
    "zuid",
    "oost",
    "west",
    "achter",
    "voor",
    "binnen",
    "buiten",
];

fn is_street_prefix(folded: &str) -> bool {
    STREET_PREFIXES.contains(&folded)
}

/// Words after a number that make it a quantity, not a house number.
const UNITS: &[&str] = &[
    "uur",
    "uurtje",
    "keer",
    "jaar",
    "jaren",
    "maand",
    "maanden",
    "week",
    "weken",
    "dag",
    "dagen",
    "minuut",
    "minuten",
    "min",
    "seconden",
    "euro",
    "km",
    "kilometer",
    "meter",
    "m",
    "kg",
    "kilo",
    "procent",
    "x",
    "kinderen",
    "kids",
    "mensen",
    "huizen",
    "deuren",
    "stappen",
    "keren",
];

fn is_unit(folded: &str) -> bool {
    UNITS.contains(&folded)
}

/// Month names and their abbreviations (folded) → month number.
fn month(folded: &str) -> Option<u8> {
    Some(match folded {
        "januari" | "jan" => 1,
        "februari" | "feb" | "febr" => 2,
        "maart" | "mrt" | "mar" | "maa" => 3,
        "april" | "apr" => 4,
        "mei" => 5,
        "juni" | "jun" => 6,
        "juli" | "jul" => 7,
        "augustus" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Words about where someone lives, before "op Rozengaarde 14".
const RESIDENCE_CUES: &[&str] = &[
    "woon",
    "woont",
    "wonen",
    "woonde",
    "woonden",
    "gewoond",
    "verhuisd",
    "verhuisde",
    "verhuisden",
    "verhuizen",
    "adres",
    "logeer",
    "logeerde",
    "logeerden",
];

fn is_residence_cue(folded: &str) -> bool {
    RESIDENCE_CUES.contains(&folded)
}

/// Words that announce a date of birth.
const BIRTH_CUES: &[&str] = &[
    "geboren",
    "geb",
    "geboortedatum",
    "geboortedag",
    "jarig",
    "verjaardag",
    "verjaart",
];

fn is_birth_cue(folded: &str) -> bool {
    BIRTH_CUES.contains(&folded)
}

// ---------------------------------------------------------------------------------------------
// The token detectors
// ---------------------------------------------------------------------------------------------

struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Tok],
    lex: &'a Lexicon,
    /// Reused buffer for folded words.
    key: String,
    /// Per token: the word-list flags of the words the name detector looks at (0 otherwise).
    wf: Vec<Flags>,
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

impl<'a> Ctx<'a> {
    fn s(&self, i: usize) -> &'a str {
        &self.text[self.toks[i].start..self.toks[i].end]
    }

    fn is_word(&self, i: usize) -> bool {
        i < self.toks.len() && self.toks[i].t == T::Word
    }

    fn is_punct(&self, i: usize, c: char) -> bool {
        i < self.toks.len() && self.toks[i].t == T::Punct(c)
    }

    /// Word `i`, folded.
    fn folded(&self, i: usize) -> Folded<'a> {
        Folded::of(self.s(i))
    }

    // ---- numbers: phones, BSN, numeric dates ----------------------------------------------

    fn numbers(&mut self, out: &mut Vec<Cand>) {
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
        self.postcodes_and_addresses(out);
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

    /// Does a birth cue (`geboren`, `geboortedatum`, `jarig`) stand at most four words before
    /// token `i`, in the same sentence?
    fn birth_cue_before(&self, i: usize) -> bool {
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

    // ---- postcodes and addresses -------------------------------------------------------------

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

    fn postcodes_and_addresses(&mut self, out: &mut Vec<Cand>) {
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

    // ---- dates with a month name -----------------------------------------------------------

    fn month_dates(&mut self, out: &mut Vec<Cand>) {
        let toks = self.toks;
        for m in 1..toks.len() {
            if toks[m].t != T::Word
                || toks[m].end - toks[m].start > 9
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
            } else if self.birth_cue_before(d) {
                out.push(Cand::new(toks[d].start, end, Kind::Datum, PRIO_DATE));
            }
        }
    }

    // ---- names -------------------------------------------------------------------------------

    /// Is word token `i` the first word of a sentence?
    fn sentence_start(&self, i: usize) -> bool {
        let toks = self.toks;
        let mut j = i;
        loop {
            if toks[j].gap == Gap::Newline || j == 0 {
                return true;
            }
            let p = toks[j - 1];
            match p.t {
                T::Punct(
                    '"' | '\'' | '(' | '[' | '“' | '”' | '‘' | '’' | '«' | '»' | '„' | '-' | '–'
                    | '—' | '*' | '•' | '·' | '>',
                ) => j -= 1,
                T::Punct('.') => {
                    if j >= 2 && self.is_word(j - 2) && toks[j - 1].gap == Gap::None {
                        return !is_abbreviation(&self.folded(j - 2));
                    }
                    return true;
                }
                T::Punct('!' | '?' | '…') => return true,
                _ => return false,
            }
        }
    }

    /// The folded text of the word group starting at token `i` marks these tokens as never
    /// being a name ("Veilig Thuis", "Den Bosch"). Returns how many tokens, 0 for none.
    fn stop_phrase_len(&mut self, i: usize) -> usize {
        let lex = self.lex;
        let f = self.folded(i);
        let Some(phrases) = lex.phrases.get(f.as_str()) else {
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
            return WordInfo {
                flags,
                capable,
                name_end,
            };
        }
        let stem = &self.text[tok.start..name_end];
        let mut key = std::mem::take(&mut self.key);
        fold_into(stem, &mut key);
        let mut flags = lex.name_flags(&key);
        if flags == 0 && key.contains('-') {
            // Anne-Marie, Jan-Willem, Jansen-de: all parts are names (particles allowed)
            let names: Vec<Flags> = key
                .split('-')
                .filter(|p| !is_particle(p))
                .map(|p| lex.name_flags(p))
                .collect();
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
        let not_a_name = lex.flags(&key) & (STOP | CUE | PARTICLE) != 0;
        self.key = key;
        let capable = tok.cap
            && chars >= 2
            && !not_a_name
            && (!all_upper || (flags != 0 && flags & AMBIG == 0));
        WordInfo {
            flags,
            capable,
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

    fn names(&mut self, out: &mut Vec<Cand>) {
        let toks = self.toks;
        let n = toks.len();
        // One lookup per word that can matter: capitalised words, short words (particles) and
        // words shaped like a cue word. Lower-case words after a cue are looked up when met.
        let lex = self.lex;
        self.wf = (0..n)
            .map(|i| {
                let t = toks[i];
                if t.t != T::Word {
                    return 0;
                }
                let s = &self.text[t.start..t.end];
                if t.cap || s.len() <= 3 || lex.maybe_cue(s) {
                    lex.flags(&Folded::of(s))
                } else {
                    0
                }
            })
            .collect();
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
                // A lower-case name right after a cue: "mijn zoon daan", "ik heet sanne".
                if self.cue_before(i).is_some() || self.after_ik_ben(i) {
                    let flags = lex.flags(&self.folded(i));
                    if flags & (FIRST | SUR) != 0 && flags & AMBIG == 0 {
                        out.push(Cand::new(t.start, t.end, Kind::Naam, PRIO_NAME));
                        i += 1;
                        continue;
                    }
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
        let first_tok = members[0].0;
        let cue = self.cue_before(first_tok).is_some();
        let starts_sentence =
            matches!(members[0].2, Member::Word(_)) && self.sentence_start(first_tok);

        let mut trigger = cue;
        for &(tok, flags) in &words {
            let sentence_initial = starts_sentence && tok == first_tok;
            if flags & (FIRST | SUR) != 0
                && (!sentence_initial || flags & AMBIG == 0 || words.len() > 1)
            {
                trigger = true;
            }
            if flags & SUR_PART != 0 {
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
            if flags != 0 {
                continue;
            }
            let f = self.folded(tok);
            if is_institution_word(&f)
                || street_suffix(&f, false).is_some_and(|s| f.len() > s.len())
            {
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
                if starts_sentence && f2 & FIRST != 0 {
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

#[derive(Debug, Clone, Copy)]
struct WordInfo {
    flags: Flags,
    capable: bool,
    /// End of the name without a possessive `'s`.
    name_end: usize,
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

    fn kinds(text: &str) -> Vec<(String, Kind)> {
        find(text, &ExtraTerms::none())
            .into_iter()
            .map(|r| (text[r.start..r.end].to_string(), r.kind))
            .collect()
    }

    fn one(text: &str, expected: &str, kind: Kind) {
        let found = kinds(text);
        assert!(
            found.iter().any(|(s, k)| s == expected && *k == kind),
            "{text:?}: expected {expected:?} as {kind:?}, found {found:?}"
        );
    }

    fn none_of(text: &str, kind: Kind) {
        let found = kinds(text);
        assert!(
            !found.iter().any(|(_, k)| *k == kind),
            "{text:?}: expected no {kind:?}, found {found:?}"
        );
    }

    fn nothing(text: &str) {
        let found = kinds(text);
        assert!(
            found.is_empty(),
            "{text:?}: expected nothing, found {found:?}"
        );
    }

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
    fn emails_and_urls() {
        one(
            "mail j.bakker@jeugdhulp.nl!",
            "j.bakker@jeugdhulp.nl",
            Kind::Email,
        );
        one(
            "mail: sanne_2009+vp@gmail.com.",
            "sanne_2009+vp@gmail.com",
            Kind::Email,
        );
        // written out
        one(
            "mail sanne (at) gmail (dot) com nu",
            "sanne (at) gmail (dot) com",
            Kind::Email,
        );
        one(
            "mail sanne[at]gmail.com nu",
            "sanne[at]gmail.com",
            Kind::Email,
        );
        one(
            "mail s.de.vries(AT)ziggo(punt)nl",
            "s.de.vries(AT)ziggo(punt)nl",
            Kind::Email,
        );
        none_of("ik was (at) home", Kind::Email);
        // a handle is a name
        none_of("@sanne op insta", Kind::Email);
        one("volg @sanne_2009 op insta", "@sanne_2009", Kind::Naam);
        none_of("wij @ school", Kind::Naam);
        none_of("wij @ school", Kind::Email);
        one(
            "zie https://www.x.nl/a?b=1.",
            "https://www.x.nl/a?b=1",
            Kind::Url,
        );
        one(
            "zie www.jeugdzorg-noord.nl/wachtlijst.",
            "www.jeugdzorg-noord.nl/wachtlijst",
            Kind::Url,
        );
        one(
            "zie jeugdzorg-noord.nl/ervaringen,",
            "jeugdzorg-noord.nl/ervaringen",
            Kind::Url,
        );
        one("zie WWW.Voorbeeld.NL", "WWW.Voorbeeld.NL", Kind::Url);
        one("op bbc.co.uk stond het", "bbc.co.uk", Kind::Url);
        // sentence ends without a space, abbreviations, Dutch-word "domains"
        for text in [
            "Het ging goed.Daarna niet.",
            "o.a. de school",
            "klaar.de volgende dag",
            "het was fijn.nu niet meer",
            "versie 2.0 van het plan",
        ] {
            none_of(text, Kind::Url);
        }
        // an e-mail address is not also a URL
        assert_eq!(
            kinds("info@voorbeeld.nl"),
            vec![("info@voorbeeld.nl".to_string(), Kind::Email)]
        );
    }

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

    #[test]
    fn overlaps_are_resolved() {
        // a name inside an e-mail address: one span
        assert_eq!(
            anonymise("mail Sanne.Jansen@gmail.com", &ExtraTerms::none()),
            "mail [e-mail]"
        );
        // a phone number inside a URL
        assert_eq!(
            anonymise("zie voorbeeld.nl/0612345678 nu", &ExtraTerms::none()),
            "zie [url] nu"
        );
        // partial overlap widens the kept span
        let r = resolve(vec![
            Cand::new(0, 10, Kind::Adres, PRIO_ADDRESS),
            Cand::new(5, 15, Kind::Naam, PRIO_NAME),
            Cand::new(20, 25, Kind::Naam, PRIO_NAME),
            Cand::new(21, 23, Kind::Datum, PRIO_DATE),
        ]);
        assert_eq!(
            r,
            vec![
                Redaction {
                    start: 0,
                    end: 15,
                    kind: Kind::Adres
                },
                Redaction {
                    start: 20,
                    end: 25,
                    kind: Kind::Datum
                },
            ]
        );
        // spans are sorted and never overlap
        let text = "Mijn zoon Daan (06-12345678), Kerkstraat 12, 1234 AB, geboren 1-2-2010.";
        let spans = find(text, &ExtraTerms::none());
        for w in spans.windows(2) {
            assert!(w[0].end <= w[1].start, "{spans:?}");
        }
        assert_eq!(
            redact(text, &spans),
            "Mijn zoon [naam] ([telefoon]), [adres], geboren [datum]."
        );
    }

    #[test]
    fn utf8_is_safe() {
        let extra = ExtraTerms::new([("Café Één", Kind::Organisatie)]);
        let texts = [
            "Zoë en Chloé gingen naar café Één 😊 met Ömer.",
            "😀😀 Daan 😀 06-12345678 😀",
            "Ëën ïs gëen nàam, maar Anouk wél.",
            "naïef 👨‍👩‍👧 gezin aan de Kerkstraat 12 🏠",
            "é",
            "",
            "😊",
            "mevrouw 😊",
            "mijn zoon\u{301} Daan",
            "Straße 12 in Köln, Müller-Lüdenscheid",
        ];
        for t in texts {
            let spans = find(t, &extra);
            for r in &spans {
                assert!(
                    t.is_char_boundary(r.start) && t.is_char_boundary(r.end),
                    "{t:?} {r:?}"
                );
            }
            let _ = anonymise(t, &extra);
        }
        assert_eq!(
            anonymise("Zoë 😊 en Ömer", &ExtraTerms::none()),
            "[naam] 😊 en [naam]"
        );
        assert_eq!(anonymise("bij café één", &extra), "bij [organisatie]");
        // every prefix of a mixed text is handled without panics
        let t = "Mijn dochter Zoë (06-12345678) 😊 woont op de Kerkstraat 12, 1234 AB. Ömer's mail: o@x.nl";
        for (i, _) in t.char_indices() {
            let _ = anonymise(&t[..i], &extra);
            let _ = anonymise(&t[i..], &extra);
        }
    }

    /// Every detector is linear in the text: long, hostile inputs finish (quadratic work on
    /// these would take minutes).
    #[test]
    fn long_hostile_inputs_stay_linear() {
        let extra = ExtraTerms::new([("Het Baken", Kind::Organisatie)]);
        let inputs = [
            "1 ".repeat(60_000),
            "06 ".repeat(60_000),
            "a://".repeat(30_000),
            "nl.".repeat(40_000),
            "www.".repeat(30_000),
            "a@".repeat(50_000),
            "\"".repeat(50_000) + "Sanne",
            "Sanne ".repeat(30_000),
            "van de ".repeat(30_000) + "Vries",
            "geboren , ".repeat(20_000) + "1-2",
            "Kerkstraat 1 ".repeat(20_000),
            "12 maart ".repeat(20_000),
            "😊".repeat(50_000),
        ];
        for text in &inputs {
            let spans = find(text, &extra);
            for w in spans.windows(2) {
                assert!(w[0].end <= w[1].start);
            }
        }
    }

    #[test]
    fn kinds_have_tags_and_parse() {
        for k in Kind::ALL {
            assert_eq!(k.tag(), format!("[{}]", k.code()));
            assert_eq!(Kind::parse(k.code()), Some(k));
            assert_eq!(Kind::parse(k.tag()), Some(k));
            assert!(!k.label().is_empty());
        }
        assert_eq!(Kind::parse(" Organisatie "), Some(Kind::Organisatie));
        assert_eq!(Kind::parse("email"), Some(Kind::Email));
        assert_eq!(Kind::parse("iets"), None);
    }

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

    // ---- quality on the hand-made test set ---------------------------------------------------

    /// One sentence of `tests/fixtures/anonymisation/zinnen.tsv`: the plain text and the gold
    /// spans written in it as `{kind:text}`.
    struct Gold {
        id: String,
        text: String,
        spans: Vec<Redaction>,
    }

    fn parse_gold(line: &str) -> Gold {
        let (id, marked) = line.split_once('\t').expect("id<TAB>sentence");
        let mut text = String::new();
        let mut spans = Vec::new();
        let mut rest = marked;
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let close = rest[open..].find('}').expect("closing brace") + open;
            let (kind, inner) = rest[open + 1..close].split_once(':').expect("{kind:text}");
            let kind = Kind::parse(kind).unwrap_or_else(|| panic!("{id}: unknown kind {kind}"));
            spans.push(Redaction {
                start: text.len(),
                end: text.len() + inner.len(),
                kind,
            });
            text.push_str(inner);
            rest = &rest[close + 1..];
        }
        text.push_str(rest);
        Gold {
            id: id.to_string(),
            text,
            spans,
        }
    }

    /// Kinds that count as the same when matching: a postcode found inside an address and an
    /// organisation found as a name are still caught.
    fn same_kind(a: Kind, b: Kind) -> bool {
        let norm = |k: Kind| match k {
            Kind::Postcode => Kind::Adres,
            Kind::Organisatie => Kind::Naam,
            k => k,
        };
        norm(a) == norm(b)
    }

    fn overlaps(a: &Redaction, b: &Redaction) -> bool {
        a.start < b.end && b.start < a.end
    }

    #[derive(Default, Clone, Copy)]
    struct Counts {
        gold: usize,
        found: usize,
        predicted: usize,
        correct: usize,
    }

    impl Counts {
        fn recall(&self) -> f64 {
            if self.gold == 0 {
                1.0
            } else {
                self.found as f64 / self.gold as f64
            }
        }
        fn precision(&self) -> f64 {
            if self.predicted == 0 {
                1.0
            } else {
                self.correct as f64 / self.predicted as f64
            }
        }
        fn add(&mut self, o: Counts) {
            self.gold += o.gold;
            self.found += o.found;
            self.predicted += o.predicted;
            self.correct += o.correct;
        }
    }

    fn extra_terms_of_the_test_set() -> ExtraTerms {
        let list = include_str!("../../tests/fixtures/anonymisation/termen.tsv");
        ExtraTerms::new(
            list_lines(list)
                .map(|l| l.split_once('\t').expect("term<TAB>kind"))
                .map(|(t, k)| (t.to_string(), Kind::parse(k).expect("kind"))),
        )
    }

    /// Recall and precision on the test set, per kind and per group (structured kinds: e-mail,
    /// telefoon, url, bsn, adres/postcode, datum; names: naam and organisatie).
    ///
    /// How a match is counted: a gold span is *found* when some predicted span of the same
    /// kind overlaps it by at least one byte; a predicted span is *correct* when it overlaps a
    /// gold span of the same kind. Postcode and adres count as one kind, and so do naam and
    /// organisatie (either way the text is gone). Recall = found / gold spans; precision =
    /// correct / predicted spans. Run with `--nocapture` to see the table and the misses.
    #[test]
    fn quality_on_the_test_set() {
        let extra = extra_terms_of_the_test_set();
        let set = include_str!("../../tests/fixtures/anonymisation/zinnen.tsv");
        let gold: Vec<Gold> = list_lines(set).map(parse_gold).collect();
        assert!(gold.len() >= 120, "{} sentences", gold.len());
        let mut per_kind: Vec<(Kind, Counts)> =
            Kind::ALL.iter().map(|&k| (k, Counts::default())).collect();
        let slot = |k: Kind| -> usize { Kind::ALL.iter().position(|&x| x == k).expect("kind") };
        let mut misses: Vec<String> = Vec::new();
        let mut exact = 0;
        for g in &gold {
            let predicted = find(&g.text, &extra);
            for s in &g.spans {
                let c = &mut per_kind[slot(s.kind)].1;
                c.gold += 1;
                if predicted
                    .iter()
                    .any(|p| overlaps(p, s) && same_kind(p.kind, s.kind))
                {
                    c.found += 1;
                    if predicted
                        .iter()
                        .any(|p| p.start == s.start && p.end == s.end)
                    {
                        exact += 1;
                    }
                } else {
                    misses.push(format!(
                        "  missed  {} {:?} {:?}",
                        g.id,
                        s.kind,
                        &g.text[s.start..s.end]
                    ));
                }
            }
            for p in &predicted {
                let c = &mut per_kind[slot(p.kind)].1;
                c.predicted += 1;
                if g.spans
                    .iter()
                    .any(|s| overlaps(p, s) && same_kind(p.kind, s.kind))
                {
                    c.correct += 1;
                } else {
                    misses.push(format!(
                        "  wrong   {} {:?} {:?}",
                        g.id,
                        p.kind,
                        &g.text[p.start..p.end]
                    ));
                }
            }
        }
        let structured = [
            Kind::Email,
            Kind::Telefoon,
            Kind::Url,
            Kind::Bsn,
            Kind::Adres,
            Kind::Postcode,
            Kind::Datum,
        ];
        let mut s_total = Counts::default();
        let mut n_total = Counts::default();
        println!("\nAnonymisation on {} sentences:", gold.len());
        println!("| kind | gold | found | recall | predicted | correct | precision |");
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for (k, c) in &per_kind {
            if structured.contains(k) {
                s_total.add(*c);
            } else {
                n_total.add(*c);
            }
            println!(
                "| {} | {} | {} | {:.3} | {} | {} | {:.3} |",
                k.code(),
                c.gold,
                c.found,
                c.recall(),
                c.predicted,
                c.correct,
                c.precision()
            );
        }
        for (name, c) in [("structured", s_total), ("names", n_total)] {
            println!(
                "| **{name}** | {} | {} | **{:.3}** | {} | {} | **{:.3}** |",
                c.gold,
                c.found,
                c.recall(),
                c.predicted,
                c.correct,
                c.precision()
            );
        }
        let all_found = s_total.found + n_total.found;
        println!("exact boundaries: {exact} of {all_found} found spans");
        for m in &misses {
            println!("{m}");
        }
        assert!(
            s_total.recall() >= 0.95,
            "structured recall {:.3}",
            s_total.recall()
        );
        assert!(
            n_total.recall() >= 0.85,
            "names recall {:.3}",
            n_total.recall()
        );
        assert!(
            s_total.precision() >= 0.95,
            "structured precision {:.3}",
            s_total.precision()
        );
        assert!(
            n_total.precision() >= 0.90,
            "names precision {:.3}",
            n_total.precision()
        );
    }
}
