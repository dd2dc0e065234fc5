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

// ---- quality on the hand-made test sets -------------------------------------------------

/// One sentence of a test set in `tests/fixtures/anonymisation/`: the plain text and the gold
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

const STRUCTURED: [Kind; 7] = [
    Kind::Email,
    Kind::Telefoon,
    Kind::Url,
    Kind::Bsn,
    Kind::Adres,
    Kind::Postcode,
    Kind::Datum,
];

/// The outcome of [`evaluate`]: counts per kind, per group, per sentence category.
struct Quality {
    sentences: usize,
    per_kind: Vec<(Kind, Counts)>,
    structured: Counts,
    names: Counts,
    /// Per category of sentence (the letters of the id: `tr`, `lc`, `n` …), name spans only
    /// (naam and organisatie).
    per_category: Vec<(String, Counts)>,
    /// Sentences without personal data, and how many of them came out unchanged.
    clean: usize,
    clean_kept: usize,
    exact: usize,
    misses: Vec<String>,
}

/// The letters an id starts with: its category (`tr12` → `tr`).
fn category(id: &str) -> String {
    id.chars().take_while(|c| c.is_ascii_alphabetic()).collect()
}

/// Recall and precision on a test set, per kind and per group (structured kinds: e-mail,
/// telefoon, url, bsn, adres/postcode, datum; names: naam and organisatie).
///
/// How a match is counted: a gold span is *found* when some predicted span of the same
/// kind overlaps it by at least one byte; a predicted span is *correct* when it overlaps a
/// gold span of the same kind. Postcode and adres count as one kind, and so do naam and
/// organisatie (either way the text is gone). Recall = found / gold spans; precision =
/// correct / predicted spans.
fn evaluate(set: &str, extra: &ExtraTerms) -> Quality {
    let gold: Vec<Gold> = list_lines(set).map(parse_gold).collect();
    let mut per_kind: Vec<(Kind, Counts)> =
        Kind::ALL.iter().map(|&k| (k, Counts::default())).collect();
    let slot = |k: Kind| -> usize { Kind::ALL.iter().position(|&x| x == k).unwrap_or(0) };
    let mut per_category: Vec<(String, Counts)> = Vec::new();
    let mut misses: Vec<String> = Vec::new();
    let (mut exact, mut clean, mut clean_kept) = (0, 0, 0);
    for g in &gold {
        let predicted = find(&g.text, extra);
        let cat = category(&g.id);
        let ci = match per_category.iter().position(|(c, _)| *c == cat) {
            Some(i) => i,
            None => {
                per_category.push((cat, Counts::default()));
                per_category.len() - 1
            }
        };
        if g.spans.is_empty() {
            clean += 1;
            if predicted.is_empty() {
                clean_kept += 1;
            }
        }
        for s in &g.spans {
            let c = &mut per_kind[slot(s.kind)].1;
            c.gold += 1;
            let found = predicted
                .iter()
                .any(|p| overlaps(p, s) && same_kind(p.kind, s.kind));
            if !STRUCTURED.contains(&s.kind) {
                per_category[ci].1.gold += 1;
                per_category[ci].1.found += usize::from(found);
            }
            if found {
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
            let correct = g
                .spans
                .iter()
                .any(|s| overlaps(p, s) && same_kind(p.kind, s.kind));
            if !STRUCTURED.contains(&p.kind) {
                per_category[ci].1.predicted += 1;
                per_category[ci].1.correct += usize::from(correct);
            }
            if correct {
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
    let mut structured = Counts::default();
    let mut names = Counts::default();
    for (k, c) in &per_kind {
        if STRUCTURED.contains(k) {
            structured.add(*c);
        } else {
            names.add(*c);
        }
    }
    Quality {
        sentences: gold.len(),
        per_kind,
        structured,
        names,
        per_category,
        clean,
        clean_kept,
        exact,
        misses,
    }
}

/// Prints the table of [`evaluate`] as markdown (run the tests with `--nocapture`).
fn print_quality(title: &str, q: &Quality) {
    println!("\n{title}: {} sentences", q.sentences);
    println!("| kind | gold | found | recall | predicted | correct | precision |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let row = |name: &str, c: &Counts, bold: bool| {
        let b = if bold { "**" } else { "" };
        println!(
            "| {b}{name}{b} | {} | {} | {b}{:.3}{b} | {} | {} | {b}{:.3}{b} |",
            c.gold,
            c.found,
            c.recall(),
            c.predicted,
            c.correct,
            c.precision()
        );
    };
    for (k, c) in &q.per_kind {
        row(k.code(), c, false);
    }
    row("structured", &q.structured, true);
    row("names", &q.names, true);
    println!("\nNames and organisations per category of sentence:");
    println!("| category | gold | found | recall | predicted | correct | precision |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (cat, c) in &q.per_category {
        row(cat, c, false);
    }
    println!(
        "sentences without personal data left unchanged: {} of {}",
        q.clean_kept, q.clean
    );
    let all_found = q.structured.found + q.names.found;
    println!("exact boundaries: {} of {all_found} found spans", q.exact);
    for m in &q.misses {
        println!("{m}");
    }
}

/// The first test set (issue 7): 357 sentences, with the project's terms of `termen.tsv`.
#[test]
fn quality_on_the_test_set() {
    let set = include_str!("../../../tests/fixtures/anonymisation/zinnen.tsv");
    let q = evaluate(set, &extra_terms_of_the_test_set());
    print_quality("Anonymisation on zinnen.tsv", &q);
    assert!(q.sentences >= 120, "{} sentences", q.sentences);
    let (s, n) = (q.structured, q.names);
    assert!(s.recall() >= 0.95, "structured recall {:.3}", s.recall());
    assert!(n.recall() >= 0.85, "names recall {:.3}", n.recall());
    assert!(
        s.precision() >= 0.95,
        "structured precision {:.3}",
        s.precision()
    );
    assert!(
        n.precision() >= 0.90,
        "names precision {:.3}",
        n.precision()
    );
}

const SET_V2: &str = include_str!("../../../tests/fixtures/anonymisation/sentences_v2.tsv");
const SET_V2_HELDOUT: &str =
    include_str!("../../../tests/fixtures/anonymisation/sentences_v2_heldout.tsv");

/// The second test set (issue 18): names of every community, lower case, lists, particles,
/// organisations; no project terms. The targets of issue 18: name recall ≥ 0.92 and
/// structured recall ≥ 0.97 at precision ≥ 0.95.
#[test]
fn quality_on_the_v2_set() {
    let q = evaluate(SET_V2, &ExtraTerms::none());
    print_quality("Anonymisation on sentences_v2.tsv", &q);
    assert!(q.sentences >= 300, "{} sentences", q.sentences);
    let (s, n) = (q.structured, q.names);
    assert!(s.recall() >= 0.97, "structured recall {:.3}", s.recall());
    assert!(n.recall() >= 0.92, "names recall {:.3}", n.recall());
    assert!(
        s.precision() >= 0.95,
        "structured precision {:.3}",
        s.precision()
    );
    assert!(
        n.precision() >= 0.95,
        "names precision {:.3}",
        n.precision()
    );
}

/// The held-out part of the second set: written before the rules of issue 18 and run only
/// once they were done (docs/anonymisation.md has the figures of that first run). Asserts the
/// same targets.
#[test]
fn quality_on_the_v2_heldout_set() {
    let q = evaluate(SET_V2_HELDOUT, &ExtraTerms::none());
    print_quality("Anonymisation on sentences_v2_heldout.tsv", &q);
    assert!(q.sentences >= 200, "{} sentences", q.sentences);
    let (s, n) = (q.structured, q.names);
    assert!(s.recall() >= 0.97, "structured recall {:.3}", s.recall());
    assert!(n.recall() >= 0.92, "names recall {:.3}", n.recall());
    assert!(
        s.precision() >= 0.95,
        "structured precision {:.3}",
        s.precision()
    );
    assert!(
        n.precision() >= 0.95,
        "names precision {:.3}",
        n.precision()
    );
}

/// Writes every sentence of the v2 sets with the spans `find` reports as JSON, for
/// `scripts/anonymise_vs_deduce.py` (which runs it):
///
/// ```sh
/// VERTELPUNT_ANON_JSON=/tmp/vp.json cargo test --lib anonymise::tests::write_predictions -- --ignored
/// ```
#[test]
#[ignore = "writes a file for scripts/anonymise_vs_deduce.py"]
fn write_predictions() {
    let path = std::env::var("VERTELPUNT_ANON_JSON")
        .unwrap_or_else(|_| "target/anonymise_v2_predictions.json".to_string());
    let mut out = String::from("[\n");
    let mut first = true;
    for (set, name) in [(SET_V2, "dev"), (SET_V2_HELDOUT, "heldout")] {
        for g in list_lines(set).map(parse_gold) {
            let spans: Vec<String> = find(&g.text, &ExtraTerms::none())
                .iter()
                .map(|r| format!("[{}, {}, \"{}\"]", r.start, r.end, r.kind.code()))
                .collect();
            if !first {
                out.push_str(",\n");
            }
            first = false;
            out.push_str(&format!(
                "{{\"set\": \"{name}\", \"id\": {}, \"text\": {}, \"spans\": [{}]}}",
                json_string(&g.id),
                json_string(&g.text),
                spans.join(", ")
            ));
        }
    }
    out.push_str("\n]\n");
    std::fs::write(&path, out).expect("write the predictions");
    println!("predictions written to {path}");
}

fn json_string(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}
