//! The tokenizer the token detectors share and how they compare words. A text becomes words,
//! digit runs and single other characters, each with the whitespace before it; words are
//! compared folded (lower case, without accents). Where a sentence starts is here too, because
//! both the name and the street detector need it.

use super::lexicon::WordList;
use super::Ctx;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum T {
    /// Letters, with `-`, `'` or `’` inside (`Anne-Marie`, `z'n`, `Sanne's`).
    Word,
    /// ASCII digits.
    Num,
    /// Any other character that is not whitespace (one per token), emoji included.
    Punct(char),
}

/// The whitespace between a token and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gap {
    None,
    Space,
    Newline,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) t: T,
    pub(super) gap: Gap,
    /// A word whose first letter is upper case.
    pub(super) cap: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c)
}

pub(super) fn tokenize(text: &str) -> Vec<Tok> {
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
pub(super) fn fold_into(word: &str, out: &mut String) {
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

pub(super) fn fold(word: &str) -> String {
    let mut s = String::new();
    fold_into(word, &mut s);
    s
}

/// A folded word without allocating in the common cases: the word itself when it is ASCII
/// without capitals, a copy on the stack when it is short ASCII, a `String` otherwise.
pub(super) enum Folded<'a> {
    Same(&'a str),
    Stack([u8; 24], usize),
    Heap(String),
}

impl<'a> Folded<'a> {
    pub(super) fn of(word: &'a str) -> Self {
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

    pub(super) fn as_str(&self) -> &str {
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

/// Abbreviations that end with a full stop but not a sentence (`afkortingen.txt`).
static ABBREVIATIONS: WordList = WordList::new(data_file!("afkortingen.txt"));

fn is_abbreviation(folded: &str) -> bool {
    folded.chars().count() == 1 || ABBREVIATIONS.contains(folded)
}

impl Ctx<'_> {
    /// Is word token `i` the first word of a sentence?
    pub(super) fn sentence_start(&self, i: usize) -> bool {
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
}
