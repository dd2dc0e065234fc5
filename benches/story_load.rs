//! Load benchmark over HTTP (docs/performance.md):
//!
//!     cargo bench --bench story_load
//!
//! Starts a release build of Vertelpunt on a fresh SQLite database on a loopback port, then
//! `CLIENTS` (64) concurrent clients post complete stories for `DURATION` (30) seconds. Every
//! client finishes its request in flight before stopping, so afterwards the number of stored
//! stories must equal the number of successful responses exactly. Also measures the landing
//! and form pages. Set `DATABASE_URL=postgres://…/empty_db` to measure PostgreSQL instead, and
//! `INSTANCES=2` to run two instances on that one database, the clients taking turns between
//! them (each instance's pool is as large as in production).

use std::sync::mpsc;
use std::time::{Duration, Instant};
use vertelpunt::config::Config;
use vertelpunt::store::{stories, Database, DatabaseUrl};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Outcome {
    ok: u64,
    failed: u64,
    /// Why requests failed (status code or transport error), so that a run where the server
    /// refused the requests cannot pass for a measurement.
    reasons: std::collections::BTreeMap<String, u64>,
    latencies_us: Vec<u32>,
}

impl Outcome {
    fn new() -> Self {
        Outcome {
            ok: 0,
            failed: 0,
            reasons: Default::default(),
            latencies_us: Vec::new(),
        }
    }
}

/// 200 with a readable body, or why not.
fn answered(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<(), String> {
    match response {
        Ok(mut r) if r.status() == 200 => r
            .body_mut()
            .read_to_string()
            .map(|_| ())
            .map_err(|e| format!("body: {e}")),
        Ok(r) => Err(format!("status {}", r.status().as_u16())),
        Err(e) => Err(format!("error: {e}")),
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[index] as f64 / 1000.0
}

/// Runs `clients` threads that each repeat `request` until the deadline.
fn hammer(
    clients: usize,
    duration: Duration,
    request: impl Fn(&ureq::Agent, usize, u64) -> Result<(), String> + Send + Sync + Clone + 'static,
) -> (Outcome, Duration) {
    let start = Instant::now();
    let deadline = start + duration;
    let handles: Vec<_> = (0..clients)
        .map(|client| {
            let request = request.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .max_redirects(0)
                    .build()
                    .into();
                let mut outcome = Outcome::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    let t = Instant::now();
                    let result = request(&agent, client, n);
                    outcome.latencies_us.push(t.elapsed().as_micros() as u32);
                    match result {
                        Ok(()) => outcome.ok += 1,
                        Err(reason) => {
                            outcome.failed += 1;
                            *outcome.reasons.entry(reason).or_default() += 1;
                        }
                    }
                }
                outcome
            })
        })
        .collect();
    let mut total = Outcome::new();
    for handle in handles {
        let o = handle.join().expect("client thread");
        total.ok += o.ok;
        total.failed += o.failed;
        for (reason, n) in o.reasons {
            *total.reasons.entry(reason).or_default() += n;
        }
        total.latencies_us.extend(o.latencies_us);
    }
    total.latencies_us.sort_unstable();
    (total, start.elapsed())
}

fn report(name: &str, outcome: &Outcome, elapsed: Duration) {
    let l = &outcome.latencies_us;
    println!(
        "{name}: {} ok, {} failed in {:.1}s = {:.0}/s; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        outcome.ok,
        outcome.failed,
        elapsed.as_secs_f64(),
        outcome.ok as f64 / elapsed.as_secs_f64(),
        percentile(l, 50.0),
        percentile(l, 90.0),
        percentile(l, 99.0),
        percentile(l, 100.0),
    );
    for (reason, n) in &outcome.reasons {
        println!("  failed: {n} × {reason}");
    }
}

fn main() {
    let duration = Duration::from_secs(env_or("DURATION", 30));
    let page_duration = Duration::from_secs(env_or("PAGE_DURATION", 10));
    let clients: usize = env_or("CLIENTS", 64);
    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = match std::env::var("DATABASE_URL") {
        Ok(url) => DatabaseUrl::parse(&url).expect("DATABASE_URL"),
        Err(_) => DatabaseUrl::Sqlite(dir.path().join("bench.db")),
    };
    let instances: usize = env_or("INSTANCES", 1);
    let bases: Vec<String> = (0..instances.max(1))
        .map(|_| {
            let config = Config {
                bind: "127.0.0.1:0".into(),
                post_limit_per_minute: 0,
                // Every client is 127.0.0.1: the per-address story limit would refuse all but
                // the first 200 stories.
                stories_per_address: 0,
                ..Config::defaults(db_url.clone())
            };
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    let app = vertelpunt::Application::build(config).expect("start");
                    tx.send(app.port).ok();
                    app.server.await.ok();
                })
            });
            let port = rx.recv().expect("server port");
            format!("http://127.0.0.1:{port}")
        })
        .collect();
    let base = bases[0].clone();
    println!(
        "Vertelpunt on {}, database {}, {clients} clients",
        bases.join(" and "),
        db_url.redacted()
    );

    for (name, path) in [
        ("GET landing", "/v/jeugdhulp"),
        ("GET form", "/v/jeugdhulp/vertel?rol=jongere"),
    ] {
        let url = format!("{base}{path}");
        let (outcome, elapsed) = hammer(clients, page_duration, move |agent, _, _| {
            answered(agent.get(&url).call())
        });
        report(name, &outcome, elapsed);
    }

    // One CSRF cookie and its form token, shared by every client.
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let mut form = agent
        .get(format!("{base}/v/jeugdhulp/vertel?rol=jongere"))
        .call()
        .expect("form");
    let cookie = form
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("csrf cookie")
        .to_string();
    let html = form.body_mut().read_to_string().expect("form html");
    let needle = "name=\"csrf\" value=\"";
    let start = html.find(needle).expect("csrf field") + needle.len();
    let csrf = html[start..start + html[start..].find('"').expect("quote")].to_string();

    let before = count_stories(&db_url);
    // The CSRF cookie and token hold on every instance: they share the secret in the database.
    let urls: Vec<String> = bases
        .iter()
        .map(|b| format!("{b}/v/jeugdhulp/vertel"))
        .collect();
    let story = "Toen ik veertien was moest ik drie maanden wachten op hulp. Mijn mentor op school \
                 merkte dat het niet goed ging en belde het wijkteam. Daarna ging het snel en voelde \
                 ik me eindelijk gehoord.";
    let (outcome, elapsed) = hammer(clients, duration, move |agent, client, n| {
        let key = format!("bench-{client:03}-{n:012}-{}", std::process::id());
        let fields = [
            ("csrf", csrf.as_str()),
            ("sleutel", key.as_str()),
            ("rol", "jongere"),
            ("titel", "Wachten op hulp"),
            ("verhaal", story),
            ("q_gehoord", "80"),
            ("q_juiste_hulp", "65"),
            ("q_op_tijd", "20"),
            ("na_regie", "1"),
            ("q_duidelijk", "40"),
            ("q_gevoel", "gemengd"),
            ("q_themas", "thema_school"),
            ("q_themas", "thema_wachten"),
            ("q_gemeente", "wijchen"),
            ("q_leeftijd", "jaar_12_15"),
            ("toestemming_analyse", "ja"),
            ("toestemming_citaten", "ja"),
        ];
        answered(
            agent
                .post(&urls[client % urls.len()])
                .header("Cookie", &cookie)
                .send_form(fields),
        )
    });
    report("POST story", &outcome, elapsed);
    let stored = count_stories(&db_url) - before;
    println!(
        "stored stories: {stored}, successful responses: {}, stored stories/s: {:.0}",
        outcome.ok,
        stored as f64 / elapsed.as_secs_f64()
    );
    if stored != outcome.ok as i64 {
        eprintln!(
            "MISMATCH: stored {stored} stories but {} successful responses",
            outcome.ok
        );
        std::process::exit(1);
    }
    if outcome.failed > 0 {
        eprintln!(
            "FAILED: {} story posts were not answered with a thank-you page (reasons above)",
            outcome.failed
        );
        std::process::exit(1);
    }
    println!("OK: every successful response is exactly one stored story");
}

fn count_stories(url: &DatabaseUrl) -> i64 {
    let db = Database::open(url, 1).expect("open database");
    let mut conn = db.conn().expect("connection");
    stories::counts(&mut conn, "jeugdhulp")
        .expect("count")
        .total
}
