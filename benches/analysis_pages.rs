//! Timing of the analysis pages on a large project (docs/performance.md):
//!
//!     cargo bench --bench analysis_pages
//!
//! Fills a fresh SQLite database with `STORIES` (100,000) fictitious demo stories, starts a
//! release build of Vertelpunt on a loopback port, signs in as an admin and requests the
//! dashboard, the pattern page and the story browser: once cold (the project's data is read
//! from the database) and then `REPEAT` (20) times warm (from the analysis cache), one request
//! at a time. Prints the median and the slowest warm time, and the process's peak memory.
//! Then it writes one new story straight into the database (as another instance would) and
//! times the dashboard until it shows it, and does that again with ten dashboard requests at
//! once. Set `DATABASE_URL=postgres://…/empty_db` to measure PostgreSQL instead; a database
//! that already holds the demo project's stories is used as it is (no stories are generated),
//! so that the peak memory is the server's own.

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
    // Only the pages whose path holds this text (all pages when unset).
    let only: String = env_or("PAGES", String::new());
    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = match std::env::var("DATABASE_URL") {
        Ok(url) => DatabaseUrl::parse(&url).expect("DATABASE_URL"),
        Err(_) => DatabaseUrl::Sqlite(dir.path().join("bench.db")),
    };
    let started = Instant::now();
    let db = Database::open(&db_url, 2).expect("database");
    let present = vertelpunt::store::stories::counts(&mut db.conn().expect("conn"), "demo")
        .expect("count")
        .total;
    if present == 0 {
        vertelpunt::service::demo::generate(&db, stories, 7).expect("demo stories");
        println!(
            "{stories} demo stories written in {:.1} s ({})",
            started.elapsed().as_secs_f64(),
            db_url.redacted()
        );
    } else {
        println!("{present} demo stories already in {}", db_url.redacted());
    }
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
        "/beheer/p/demo/verkennen?zoek=wachten+school",
        "/beheer/p/demo/verkennen?zoek=verzonnen",
        "/beheer/p/demo/verkennen?rol=ouder&zoek=wachten",
        "/beheer/p/demo/verhalen?filter=alle&zoek=wachten",
    ]
    .into_iter()
    .filter(|path| path.contains(only.as_str()))
    {
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

    // A new story, written by "another instance", and the dashboard until it shows it.
    let dashboard = "/beheer/p/demo/cijfers";
    let total = |agent: &ureq::Agent| {
        let mut response = agent
            .get(&format!("{base}{dashboard}"))
            .call()
            .expect("dashboard");
        let body = response.body_mut().read_to_string().expect("body");
        let start = body.find("<p class=\"lead\"><strong>").expect("total") + 26;
        body[start..start + body[start..].find('<').expect("end")]
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    let before: u64 = total(&agent).parse().expect("number");
    for round in 1..=2u64 {
        new_story(&db, round);
        let concurrent = if round == 1 { 1 } else { 10 };
        let start = Instant::now();
        let mut times = Vec::new();
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..concurrent)
                .map(|_| {
                    let agent = agent.clone();
                    let total = &total;
                    scope.spawn(move || {
                        let t = Instant::now();
                        let shown: u64 = total(&agent).parse().expect("number");
                        (shown, t.elapsed())
                    })
                })
                .collect();
            for thread in threads {
                let (shown, took) = thread.join().expect("request");
                assert_eq!(shown, before + round, "the new story is counted");
                times.push(took);
            }
        });
        times.sort();
        println!(
            "new story on the dashboard, {concurrent} request(s) at once: all done in {:.1} ms, slowest {:.1} ms, median {:.1} ms; peak memory {:.0} MiB",
            ms(start.elapsed()),
            ms(times[times.len() - 1]),
            ms(times[times.len() / 2]),
            peak_memory_mib()
        );
    }
}

/// Writes a copy of the newest demo story under a new id, as a teller on another instance.
fn new_story(db: &Database, round: u64) {
    use vertelpunt::store::stories;
    let mut conn = db.conn().expect("conn");
    let newest = stories::shareable_facts(&mut conn, "demo", None, 1).expect("a story");
    let model = stories::find(&mut conn, &newest[0].id)
        .expect("find")
        .expect("story");
    let mut record = model.record.clone();
    record.id = format!("nieuw-{}-{round}", std::process::id());
    record.created_at = vertelpunt::exchange::timestamp::now_unix();
    record.submission_key = None;
    record.withdrawal_code_hash = None;
    drop(conn);
    db.write_sync(|conn| vertelpunt::store::told::insert_in(conn, &record, &model.answers))
        .expect("insert");
}
