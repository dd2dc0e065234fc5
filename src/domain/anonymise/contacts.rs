//! E-mail addresses (also written out: `naam (at) domein (dot) nl`), social-media handles and
//! web addresses. They are found by scanning the bytes around `@`, brackets, `://` and `.` in
//! the raw text, before tokenizing, which would cut them into pieces. (Phone numbers are digit
//! groups and live in `numbers`.)

use super::lexicon::WordList;
use super::{Cand, Kind, PRIO_EMAIL, PRIO_URL};

fn is_email_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_host(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

/// E-mail addresses (`naam@domein.nl`), written-out ones (`naam (at) domein (dot) nl`,
/// `naam[at]domein.nl`) and social-media handles (`@sanne_2009`, tagged `[naam]`).
pub(super) fn scan_emails(text: &str, out: &mut Vec<Cand>) {
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

/// Top-level domains that make `word.tld` a web address without `www.` or `https://`.
/// `topdomeinen.txt` also says which ones are left out on purpose: Dutch words and typos after a
/// missing space (`klaar.de volgende dag`).
static TLDS: WordList = WordList::new(data_file!("topdomeinen.txt"));

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

pub(super) fn scan_urls(text: &str, out: &mut Vec<Cand>) {
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
        if !TLDS.words().iter().any(|x| x.eq_ignore_ascii_case(tld)) {
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

#[cfg(test)]
mod tests {
    use crate::domain::anonymise::tests::{kinds, none_of, one};
    use crate::domain::anonymise::Kind;

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
}
