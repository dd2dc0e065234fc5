//! Observation cards as PDF (docs/performance.md):
//!
//!     cargo bench --bench pdf
//!
//! Times one card (with its typical stories) and a deck of 20 cards, each `RUNS` (5) times,
//! with fictitious texts of realistic length. Writes the first card to
//! `target/kaart-voorbeeld.pdf` (the picture in docs/ is made from it with
//! `pdftoppm -r 80 -png -singlefile -f 1 -l 1 target/kaart-voorbeeld.pdf docs/kaart-voorbeeld`).

use std::time::Instant;
use vertelpunt::pdf::{deck, Card, CardFigures, CardStory, GroupFigures};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn group(label: &str, n: u64, mean: f64, sd: f64, skewness: f64, kurtosis: f64) -> GroupFigures {
    GroupFigures {
        label: label.into(),
        n,
        mean: Some(mean),
        sd: Some(sd),
        skewness: Some(skewness),
        kurtosis: Some(kurtosis),
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
        figures: Some(CardFigures {
            questions: "Werd er in dit verhaal naar je geluisterd? × Rol van de verteller".into(),
            summary: "Kruskal-Wallis H = 61,20 · q < 0,001 · 300 verhalen bij dit patroon, 300 in de analyse".into(),
            scope: "Alle verhalen · cijfers van 22-11-2026".into(),
            groups: vec![
                group("Jongere", 102, 34.2, 18.1, 0.42, -0.31),
                group("Ouder of verzorger", 97, 61.0, 16.4, -0.2, -0.55),
                group("Professional", 101, 52.8, 15.0, 0.05, -0.12),
            ],
            cells: Vec::new(),
            density: None,
        }),
        quotes: vec![
            ("Ze praatten over mij, niet met mij.".into(), format!("VP-DEMO{i:02}1")),
            ("Na een paar gesprekken ging het beter thuis.".into(), format!("VP-DEMO{i:02}2")),
        ],
        quotes_removed: 0,
        stories: (0..4).map(story).collect(),
    }
}

fn main() {
    let runs: usize = env_or("RUNS", 5);
    let one = [card(0)];
    let twenty: Vec<Card> = (0..20).map(card).collect();
    if let Ok(bytes) = deck(&one, "Kaart") {
        let _ = std::fs::write("target/kaart-voorbeeld.pdf", bytes);
    }
    for (name, cards) in [("one card", &one[..]), ("deck of 20 cards", &twenty[..])] {
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let bytes = deck(cards, "Kaarten").expect("PDF");
                assert!(bytes.starts_with(b"%PDF-"));
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{name}: median {:.1} ms, slowest {:.1} ms ({runs} runs)",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
}
