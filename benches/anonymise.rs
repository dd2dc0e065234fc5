//! Anonymisation of generated stories (issue 7: the export must stream ≥ 20,000 anonymised
//! stories/s on the 2-core machine).
//!
//!     cargo bench --bench anonymise                  # 100,000 stories, 3 runs
//!     STORIES=20000 RUNS=5 cargo bench --bench anonymise
//!
//! Each story has 100–300 words: plain sentences in the register of youth-care stories with,
//! now and then, a fictitious name, phone number, e-mail address, address, date, BSN or one of
//! the project's extra terms inserted. The stories are generated before timing starts; each run
//! anonymises all of them once on one thread and once split over two threads, and prints
//! stories/s (wall clock) and stories per CPU-second: the on-CPU time of the working threads
//! from /proc/thread-self/schedstat (Linux), which other processes on the machine do not
//! inflate.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::time::Instant;
use vertelpunt::domain::anonymise::{anonymise, ExtraTerms, Kind};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const PLAIN: &[&str] = &[
    "Ik vond het moeilijk om te vertellen wat er thuis gebeurde.",
    "De wachtlijst was lang en niemand kon zeggen wanneer de hulp zou beginnen.",
    "Op school merkten ze wel dat het niet goed ging, maar ze deden er niks mee.",
    "Toen ik 14 was ben ik voor het eerst uit huis geplaatst.",
    "Het wijkteam kwam een paar keer langs, maar daarna hoorden we niks meer.",
    "Ik had het gevoel dat niemand echt naar me luisterde.",
    "Na 3 maanden kregen we eindelijk een gesprek bij de GGZ.",
    "Veilig Thuis heeft een onderzoek gedaan en dat was best eng.",
    "Mijn moeder werkte heel veel en ik moest voor mijn broertjes zorgen.",
    "In de groep waren de regels streng, maar de begeleiders waren aardig.",
    "Het hielp dat ik zelf mocht meebeslissen over mijn plan.",
    "Soms was ik zo boos dat ik dingen kapot maakte.",
    "We hebben in 2019 een nieuwe hulpverlener gekregen en dat ging beter.",
    "Ik snap nog steeds niet waarom het zo lang moest duren.",
    "De rechter besloot dat ik bij mijn oma mocht wonen.",
    "Elke week hadden we een gesprek, soms twee keer als het slecht ging.",
    "Ik wil dat andere jongeren weten dat je hulp mag vragen.",
    "Jeugdzorg heeft ons uiteindelijk echt geholpen, maar het was een lange weg.",
    "In maart begon ik op een nieuwe school en dat was spannend.",
    "Ik kreeg 250 euro per maand en daar moest ik alles van betalen.",
    "Het duurde 2 jaar voordat er een diagnose was.",
    "Mijn vader wilde niet meewerken en dat maakte alles moeilijker.",
    "Op de groep had ik een eigen kamer, dat was fijn.",
    "De Raad voor de Kinderbescherming deed onderzoek naar ons gezin.",
    "Ik heb veel gehad aan de gesprekken met andere jongeren.",
    "Het was in Den Haag, bij de rechtbank, en ik was heel zenuwachtig.",
    "We moesten steeds opnieuw ons verhaal vertellen aan een nieuwe hulpverlener.",
    "Soms denk ik dat het beter was geweest als ze eerder hadden ingegrepen.",
];

const FIRST: &[&str] = &[
    "Sanne", "Daan", "Fatima", "Mohammed", "Emre", "Lisa", "Yusuf", "Anouk", "Kevin", "Noah",
    "Priya", "Ilias", "Tess", "Jeroen", "Marieke",
];
const SUR: &[&str] = &[
    "de Vries",
    "Jansen",
    "Yılmaz",
    "El Amrani",
    "van den Berg",
    "Bakker",
    "Ramdin",
];
const CUES: &[&str] = &[
    "Mijn zoon",
    "Mijn begeleider",
    "Mijn mentor",
    "Onze gezinsvoogd, mevrouw",
    "Juf",
    "Mijn broertje",
];
const ORGS: &[&str] = &["Het Baken", "Stichting Kompas", "De Schakel"];

fn sentence_with_data(rng: &mut StdRng) -> String {
    let first = FIRST.choose(rng).unwrap();
    let sur = SUR.choose(rng).unwrap();
    match rng.random_range(0..9) {
        0 => format!("{} {first} vond het ook lastig.", CUES.choose(rng).unwrap()),
        1 => format!("Ik sprak vaak met {first} {sur} over wat er gebeurd was."),
        2 => format!(
            "Je kunt me bellen op 06-{:08} als je meer wilt weten.",
            rng.random_range(10_000_000..99_999_999)
        ),
        3 => format!(
            "Mail gerust naar {}.{}@voorbeeld.nl, dan vertel ik meer.",
            first.to_lowercase(),
            rng.random_range(1..99)
        ),
        4 => format!(
            "We woonden toen op de Kerkstraat {}, {} AB in Utrecht.",
            rng.random_range(1..200),
            rng.random_range(1000..9999)
        ),
        5 => format!(
            "Ik ben geboren op {} maart {} in het ziekenhuis.",
            rng.random_range(1..29),
            rng.random_range(2005..2015)
        ),
        6 => "Mijn bsn is 123456782 en dat stond op elke brief.".to_string(),
        7 => format!(
            "Bij {} voelde ik me eindelijk gehoord.",
            ORGS.choose(rng).unwrap()
        ),
        _ => format!(
            "Kijk maar op www.jeugdzorg-{}.nl/ervaringen.",
            first.to_lowercase()
        ),
    }
}

fn story(rng: &mut StdRng) -> String {
    let target = rng.random_range(100..=300);
    let mut words = 0;
    let mut out = String::new();
    while words < target {
        let s = if rng.random_bool(0.15) {
            sentence_with_data(rng)
        } else {
            PLAIN.choose(rng).unwrap().to_string()
        };
        words += s.split_whitespace().count();
        if !out.is_empty() {
            out.push(if rng.random_bool(0.1) { '\n' } else { ' ' });
        }
        out.push_str(&s);
    }
    out
}

/// Nanoseconds this thread has run on a CPU, if the kernel tells.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Wall seconds, CPU seconds of the working threads (0 if unknown), tags written.
fn run(stories: &[String], extra: &ExtraTerms, threads: usize) -> (f64, f64, usize) {
    let start = Instant::now();
    let chunk = stories.len().div_ceil(threads);
    let (cpu_ns, tags) = std::thread::scope(|s| {
        let handles: Vec<_> = stories
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let before = thread_cpu_ns();
                    let tags = part
                        .iter()
                        .map(|t| anonymise(t, extra).matches('[').count())
                        .sum::<usize>();
                    let cpu = match (before, thread_cpu_ns()) {
                        (Some(a), Some(b)) => b - a,
                        _ => 0,
                    };
                    (cpu, tags)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .fold((0u64, 0usize), |(c, t), (c2, t2)| (c + c2, t + t2))
    });
    (start.elapsed().as_secs_f64(), cpu_ns as f64 / 1e9, tags)
}

fn main() {
    let count = env_or("STORIES", 100_000);
    let runs = env_or("RUNS", 3).max(1);
    let mut rng = StdRng::seed_from_u64(7);
    let stories: Vec<String> = (0..count).map(|_| story(&mut rng)).collect();
    let bytes: usize = stories.iter().map(String::len).sum();
    let words: usize = stories.iter().map(|s| s.split_whitespace().count()).sum();
    let extra = ExtraTerms::new(
        ORGS.iter()
            .map(|o| (o.to_string(), Kind::Organisatie))
            .chain(
                [
                    "Jorien Hagenaars",
                    "Pelgrim",
                    "Wijkteam Oost",
                    "Zorgboerderij De Klaver",
                ]
                .iter()
                .map(|t| (t.to_string(), Kind::Naam)),
            ),
    );
    // Warm up (the word lists are parsed on first use).
    let _ = anonymise(&stories[0], &extra);
    println!(
        "{count} stories, {:.0} words and {:.0} bytes on average",
        words as f64 / count as f64,
        bytes as f64 / count as f64
    );
    for threads in [1, 2] {
        let mut rates = Vec::new();
        let mut cpu_rates = Vec::new();
        for r in 0..runs {
            let (secs, cpu, tags) = run(&stories, &extra, threads);
            let rate = count as f64 / secs;
            let cpu_rate = if cpu > 0.0 { count as f64 / cpu } else { 0.0 };
            println!(
                "threads {threads} run {r}: {secs:.3} s, {rate:.0} stories/s, {:.1} MB/s, \
                 {cpu:.3} CPU-s ({cpu_rate:.0} stories per CPU-second), {tags} tags",
                bytes as f64 / secs / 1e6
            );
            rates.push(rate);
            cpu_rates.push(cpu_rate);
        }
        rates.sort_by(f64::total_cmp);
        cpu_rates.sort_by(f64::total_cmp);
        println!(
            "threads {threads}: median {:.0} stories/s, best {:.0}; median {:.0} stories per CPU-second",
            rates[rates.len() / 2],
            rates[rates.len() - 1],
            cpu_rates[cpu_rates.len() / 2]
        );
    }
}
