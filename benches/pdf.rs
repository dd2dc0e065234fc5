//! Observation cards as PDF (docs/performance.md):
//!
//!     cargo bench --bench pdf
//!
//! Times one card (with its typical stories), a deck of 20 cards and the verslag of a
//! duidingssessie (5 tables, 40 notes and 3 proposals each), each `RUNS` (5) times, with
//! fictitious texts of realistic length. Writes the first card to
//! `target/kaart-voorbeeld.pdf` (the picture in docs/ is made from it with
//! `pdftoppm -r 80 -png -singlefile -f 1 -l 1 target/kaart-voorbeeld.pdf docs/kaart-voorbeeld`)
//! and the report to `target/verslag-voorbeeld.pdf`. Also times a campaign poster (A3) in Dutch
//! and in Arabic (shaped, in bidi order), the kind the campaign kit's zip holds 18 of per
//! language.

use std::time::Instant;
use vertelpunt::pdf::{
    deck, session_report, Card, CardChart, CardFigures, CardStory, Poles, ReportCluster,
    ReportNote, ReportProposal, ReportTable, SessionReport, ShareRow,
};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn group(label: &str, counts: [u64; 5], mean: f64) -> ShareRow {
    ShareRow {
        label: label.into(),
        counts: counts.to_vec(),
        mean: Some(mean),
    }
}

fn card(i: usize) -> Card {
    let story = |n: usize| {
        CardStory {
        id: format!("VP-DEMO{i:02}{n}"),
        title: "Lang wachten, daarna goede hulp (verzonnen)".into(),
        role: ["Jongere", "Ouder of verzorger", "Professional"][n % 3].into(),
        body: "We moesten lang wachten voordat er iemand kwam. Op school wisten ze niet goed wat ze moesten doen. Na een paar gesprekken ging het beter thuis. ".repeat(6),
    }
    };
    Card {
        title: format!("Jongeren voelen zich minder gehoord dan ouders ({})", i + 1),
        theme: "Regie".into(),
        project: "Demo: verzonnen verhalen".into(),
        date: "22-11-2026".into(),
        description: "Bij 'Werd er in dit verhaal naar je geluisterd?' zitten jongeren gemiddeld het dichtst bij 'Niemand luisterde naar mij' (34), en ouders het dichtst bij 'Ik werd echt gehoord' (61). Dit komt uit alle verhalen (300 verhalen; 300 verhalen bij dit patroon).".into(),
        interpretation_a: "Hulpverleners praten vooral met ouders; jongeren zitten er wel bij maar worden weinig gevraagd wat zij willen.".into(),
        interpretation_b: "Jongeren verwachten meer inspraak dan er in een korte hulpvraag kan; ouders zijn al blij dat er iemand is.".into(),
        more_interpretations: Vec::new(),
        figures: Some(CardFigures {
            questions: "Werd er in dit verhaal naar je geluisterd? × Rol van de verteller".into(),
            chart_title: "Waar de schuif stond, per groep (in % van de verhalen)".into(),
            chart: Some(CardChart::Bands {
                rows: vec![
                    group("Jongere", [30, 35, 22, 10, 5], 34.2),
                    group("Ouder of verzorger", [5, 12, 25, 33, 22], 61.0),
                    group("Professional", [8, 20, 35, 26, 12], 52.8),
                ],
                poles: Poles {
                    left: "Niemand luisterde naar mij".into(),
                    right: "Ik werd echt gehoord".into(),
                },
            }),
            note: String::new(),
            summary: "Kruskal-Wallis H = 61,20 · q < 0,001 · sterkte 0,45 (sterk) · 300 verhalen".into(),
            scope: "uit alle 300 verhalen · cijfers van 22-11-2026".into(),
        }),
        quotes: vec![
            ("Ze praatten over mij, niet met mij.".into(), format!("VP-DEMO{i:02}1")),
            ("Na een paar gesprekken ging het beter thuis.".into(), format!("VP-DEMO{i:02}2")),
        ],
        quotes_removed: 0,
        stories: (0..4).map(story).collect(),
    }
}

/// A session of 5 tables, each with 40 notes (36 in 6 clusters, 4 loose) and 3 proposals.
fn report() -> SessionReport {
    let notes = [
        ("Idee", "We zouden eigenlijk vaker met de jongere zelf moeten praten in plaats van over haar, zodat ze weet wat er gebeurt en zelf kan meebeslissen."),
        ("Verbazing", "Dat ouders zich beter gehoord voelen dan jongeren, terwijl het om de hulp van de jongere gaat."),
        ("Zorg", "Als je maanden moet wachten, wordt het thuis in die tijd vaak erger. Niemand houdt dan contact."),
        ("Kans", "Op school zien ze het vaak het eerst. Daar kan een gesprek beginnen, als iemand weet waar je terecht kunt."),
    ];
    let authors = [
        "Sam (jongere)",
        "Noor (ouder)",
        "Ahmed (professional)",
        "Els (beleidsmaker)",
    ];
    let note = |n: usize| ReportNote {
        kind: notes[n % 4].0.into(),
        text: notes[n % 4].1.into(),
        author: authors[(n / 4) % 4].into(),
    };
    let proposal = |t: usize, p: usize| {
        ReportProposal {
        title: format!("Een vast aanspreekpunt voor elke jongere ({}.{})", t + 1, p + 1),
        action: "Elke jongere die op de wachtlijst staat krijgt één vaste persoon die belt, uitlegt wat er gebeurt en vraagt hoe het gaat.".into(),
        so_that: "Jongeren en ouders niet maanden zonder contact zitten en het thuis niet verder misgaat.".into(),
        first_step: "In januari bespreken met het wijkteam wie dat kan doen en hoe vaak er gebeld wordt.".into(),
        owner: authors[(t + p) % 4].into(),
        level: ["Lokaal", "Regionaal", "Landelijk"][p % 3].into(),
        status: "Nieuw".into(),
        sources: vec![
            "Kaart: Jongeren voelen zich minder gehoord dan ouders".into(),
            format!("Verhaal VP-DEMO{t:02}{p}"),
        ],
    }
    };
    let table = |t: usize| ReportTable {
        name: format!("Tafel {}", t + 1),
        colour: ["Blauw", "Groen", "Geel", "Rood", "Paars"][t % 5].into(),
        perspectives: vec![
            ("Jongere".into(), 2),
            ("Ouder of verzorger".into(), 1),
            ("Professional".into(), 1),
            ("Beleidsmaker".into(), 1),
        ],
        cards: vec![
            "Jongeren voelen zich minder gehoord dan ouders".into(),
            "Lang wachten, daarna vaak goede hulp".into(),
        ],
        stories: (0..4)
            .map(|s| {
                (
                    format!("VP-DEMO{t:02}{s}"),
                    "Lang wachten, daarna goede hulp (verzonnen)".into(),
                )
            })
            .collect(),
        reopened: vec!["Wachtlijst: iemand belt elke maand (sessie van september)".into()],
        clusters: (0..6)
            .map(|c| ReportCluster {
                name: [
                    "Wachten",
                    "Gehoord worden",
                    "School",
                    "Thuis",
                    "Geld",
                    "Na de hulp",
                ][c]
                    .into(),
                votes: (c as i64 * 3) % 7,
                notes: (0..6).map(|n| note(c * 6 + n)).collect(),
            })
            .collect(),
        loose_notes: (36..40).map(note).collect(),
        proposals: (0..3).map(|p| proposal(t, p)).collect(),
    };
    SessionReport {
        project: "Demo: verzonnen verhalen".into(),
        title: "Duidingssessie jeugdhulp in de wijk".into(),
        when: "dinsdag 24 november 2026, 19:30".into(),
        place: "Buurthuis De Linde".into(),
        purpose: "Samen kijken wat opvalt in de verhalen over wachten op hulp, en wat we daaraan kunnen doen.".into(),
        participants: 25,
        generated: "25 november 2026".into(),
        tables: (0..5).map(table).collect(),
        ..SessionReport::default()
    }
}

fn main() {
    let runs: usize = env_or("RUNS", 5);
    let one = [card(0)];
    let twenty: Vec<Card> = (0..20).map(card).collect();
    // `target/` here even when CARGO_TARGET_DIR puts the build elsewhere.
    let _ = std::fs::create_dir_all("target");
    if let Ok(bytes) = deck(&one, "Kaart") {
        let _ = std::fs::write("target/kaart-voorbeeld.pdf", bytes);
    }
    for (name, cards) in [("one card", &one[..]), ("deck of 20 cards", &twenty[..])] {
        let times: Vec<f64> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let bytes = deck(cards, "Kaarten").expect("PDF");
                assert!(bytes.starts_with(b"%PDF-"));
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        print_times(name, runs, times);
    }
    let session = report();
    if let Ok(bytes) = session_report(&session) {
        let _ = std::fs::write("target/verslag-voorbeeld.pdf", bytes);
    }
    let times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let bytes = session_report(&session).expect("PDF");
            assert!(bytes.starts_with(b"%PDF-"));
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    print_times(
        "session report (5 tables, 40 notes, 3 proposals each)",
        runs,
        times,
    );
    for (lang, title, text) in [
        (
            "nl",
            "Hoe was jouw jeugdhulp?",
            "Vertel ons één ervaring. Iets wat goed ging, of iets wat niet goed ging.",
        ),
        (
            "ar",
            "كيف كانت رعاية الأطفال والشباب لطفلك؟",
            "احكِ لنا تجربة واحدة. يستغرق ذلك حوالي 10 دقائق.",
        ),
    ] {
        let link = "https://vertelpunt.example.nl/v/jeugdhulp/p/k3x9ab?taal=ar";
        let qr = vertelpunt::render::qr::grid(link).expect("QR");
        let poster = vertelpunt::pdf::campaign::Poster {
            language: lang,
            project: "Vertelpunt Jeugdhulp",
            title,
            text,
            action: "Vertel het hier",
            qr: &qr,
            scan: "Scan de code met je telefoon, of typ de link:",
            link: "vertelpunt.example.nl/v/jeugdhulp/p/k3x9ab?taal=ar",
            promise: "Je naam is niet nodig.",
            results: Some((
                "Wat is er met de verhalen gedaan?",
                "vertelpunt.example.nl/v/jeugdhulp/resultaten",
            )),
            place: "Wachtkamer huisarts Beek",
        };
        let times: Vec<f64> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let bytes =
                    vertelpunt::pdf::campaign::poster(&poster, (842.0, 1191.0)).expect("PDF");
                assert!(bytes.starts_with(b"%PDF-"));
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        print_times(&format!("campaign poster A3 ({lang})"), runs, times);
    }
}

fn print_times(name: &str, runs: usize, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    println!(
        "{name}: median {:.1} ms, slowest {:.1} ms ({runs} runs)",
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
