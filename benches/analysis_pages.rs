//! Timing of the analysis pages on a large project (docs/performance.md):
//!
//!     cargo bench --bench analysis_pages
//!
//! Fills a fresh SQLite database with `STORIES` (100,000) fictitious demo stories, starts a
//! release build of Vertelpunt on a loopback port, signs in as an admin and requests the
//! dashboard, the pattern page and the story browser: once cold (the project's data is read
//! from the database) and then `REPEAT` (20) times warm (from the analysis cache), one request
//! at a time. Prints the median and the slowest warm time, and the process's peak memory.
//! Set `DATABASE_URL=postgres://…/empty_db` to measure PostgreSQL instead.

mod support;

use std::time::{Duration, Instant};
use support::{env_or, peak_memory_mib, serve_signed_in};
use vertelpunt::store::{Database, DatabaseUrl};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let stories: usize = env_or("STORIES", 100_000);
    let repeat: usize = env_or("REPEAT", 20);
    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = match std::env::var("DATABASE_URL") {
        Ok(url) => DatabaseUrl::parse(&url).expect("DATABASE_URL"),
        Err(_) => DatabaseUrl::Sqlite(dir.path().join("bench.db")),
    };
    let started = Instant::now();
    let db = Database::open(&db_url, 2).expect("database");
    vertelpunt::service::demo::generate(&db, stories, 7).expect("demo stories");
    println!(
        "{stories} demo stories written in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        db_url.redacted()
    );
    let (base, agent) = serve_signed_in(&db, &db_url);

    let get = |path: &str| {
        let start = Instant::now();
        let mut response = agent.get(&format!("{base}{path}")).call().expect("page");
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().expect("body");
        assert_eq!(status, 200, "{path}: {body}");
        start.elapsed()
    };
    println!("page                          cold ms   warm median ms   warm max ms");
    for path in [
        "/beheer/p/demo/cijfers",
        "/beheer/p/demo/cijfers?rol=ouder&a=gevoel:negatief",
        "/beheer/p/demo/patronen",
        "/beheer/p/demo/patronen?rol=jongere",
        "/beheer/p/demo/verkennen?a=gemeente:nijmegen",
        "/beheer/p/demo/verkennen?zoek=wachten",
    ] {
        let cold = get(path);
        let mut warm: Vec<Duration> = (0..repeat).map(|_| get(path)).collect();
        warm.sort();
        println!(
            "{path:<50} {:>8.1} {:>12.1} {:>12.1}",
            ms(cold),
            ms(warm[warm.len() / 2]),
            ms(warm[warm.len() - 1])
        );
    }
    println!("peak memory of the process: {:.0} MiB", peak_memory_mib());
}
