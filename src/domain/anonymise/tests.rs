//! End-to-end tests of the whole pipeline: UTF-8 and hostile input, the kinds, and the quality
//! on the hand-made test set in `tests/fixtures/anonymisation/`. The helpers at the top are
//! shared with the tests of the parts.

use super::lexicon::list_lines;
use super::*;

pub(super) fn kinds(text: &str) -> Vec<(String, Kind)> {
    find(text, &ExtraTerms::none())
        .into_iter()
        .map(|r| (text[r.start..r.end].to_string(), r.kind))
        .collect()
}

pub(super) fn one(text: &str, expected: &str, kind: Kind) {
    let found = kinds(text);
    assert!(
        found.iter().any(|(s, k)| s == expected && *k == kind),
        "{text:?}: expected {expected:?} as {kind:?}, found {found:?}"
    );
}

pub(super) fn none_of(text: &str, kind: Kind) {
    let found = kinds(text);
    assert!(
        !found.iter().any(|(_, k)| *k == kind),
        "{text:?}: expected no {kind:?}, found {found:?}"
    );
}

pub(super) fn nothing(text: &str) {
    let found = kinds(text);
    assert!(
        found.is_empty(),
        "{text:?}: expected nothing, found {found:?}"
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
    let t =
        "Mijn dochter Zoë (06-12345678) 😊 woont op de Kerkstraat 12, 1234 AB. Ömer's mail: o@x.nl";
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
    let list = include_str!("../../../tests/fixtures/anonymisation/termen.tsv");
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
    let set = include_str!("../../../tests/fixtures/anonymisation/zinnen.tsv");
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
