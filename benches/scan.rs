//! Full pattern scan of generated stories (issue 4's target: 100,000 stories, 12 sliders,
//! 6 choices, 2 multichoices, all pairs and the three-way patterns, under one second).
//!
//!     cargo bench --bench scan                 # 100,000 stories
//!     STORIES=20000 RUNS=5 cargo bench --bench scan
//!
//! Prints the time of each run and the median; the data are generated before timing starts.
//! With `EXPORT_CSV=path` the generated answers are also written as CSV (one column per
//! question, empty = no answer) for `scripts/scan_reference.py`, the pandas + scipy peer.

use std::time::Instant;
use vertelpunt::analysis::synthetic::{generate, Shape, Structure};
use vertelpunt::analysis::{scan, ScanSettings};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn export_csv(data: &vertelpunt::analysis::Dataset, path: &str) -> std::io::Result<()> {
    use std::io::Write;
    use vertelpunt::analysis::Variable;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let kinds: Vec<String> = data
        .variables
        .iter()
        .map(|v| {
            let kind = if matches!(v, Variable::Choice { .. }) {
                "c"
            } else {
                "s"
            };
            format!("{kind}:{}", v.key())
        })
        .collect();
    writeln!(out, "{}", kinds.join(","))?;
    for story in 0..data.stories {
        let row: Vec<String> = data
            .variables
            .iter()
            .map(|v| match v {
                Variable::Choice { values, .. } => {
                    values.get(story).map_or(String::new(), |x| x.to_string())
                }
                other => other.number(story).map_or(String::new(), |x| x.to_string()),
            })
            .collect();
        writeln!(out, "{}", row.join(","))?;
    }
    out.flush()
}

fn main() {
    let stories = env_or("STORIES", 100_000);
    let runs = env_or("RUNS", 3).max(1);
    let data = generate(Shape::benchmark(stories), Structure::Planted, 42);
    if let Ok(path) = std::env::var("EXPORT_CSV") {
        export_csv(&data, &path).expect("write CSV");
        println!("answers written to {path}");
    }
    println!(
        "scan of {stories} stories, {} questions (multichoice options counted one by one)",
        data.variables.len()
    );
    let mut times = Vec::new();
    let mut last = None;
    for run in 1..=runs {
        let start = Instant::now();
        let result = scan(&data, ScanSettings::default());
        let elapsed = start.elapsed();
        println!(
            "run {run}: {:.3} s, {} tests, {} strong, {} untested",
            elapsed.as_secs_f64(),
            result.tests,
            result.strong,
            result.untested.len()
        );
        times.push(elapsed.as_secs_f64());
        last = Some(result);
    }
    times.sort_by(f64::total_cmp);
    println!("median: {:.3} s", times[times.len() / 2]);
    if let Some(result) = last {
        for p in result.patterns.iter().take(5) {
            println!(
                "  {:?} {:?} strength {:.3} q {:.2e}",
                p.kind, p.questions, p.strength, p.q_value
            );
        }
    }
}
