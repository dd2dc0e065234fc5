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

use std::sync::mpsc;
use std::time::{Duration, Instant};
use vertelpunt::config::Config;
use vertelpunt::security::passwords::{PasswordHasher, PasswordParams};
use vertelpunt::store::{Database, DatabaseUrl};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The value of the first hidden input `name` in a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).expect("hidden field") + marker.len();
    let end = page[start..].find('"').expect("closing quote") + start;
    page[start..end].to_string()
}

fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

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
    let config = Config {
        bind: "127.0.0.1:0".into(),
        ..Config::defaults(db_url.clone())
    };
    let started = Instant::now();
    let db = Database::open(&db_url, 2).expect("database");
    vertelpunt::service::demo::generate(&db, stories, 7).expect("demo stories");
    let password = "een lang wachtwoord voor de meting";
    vertelpunt::service::accounts::create_user_cli(
        &db,
        &PasswordHasher::new(PasswordParams::default()).expect("hasher"),
        "meting@voorbeeld.nl",
        None,
        true,
        Some(
            &vertelpunt::domain::accounts::NewPassword::parse(password, password)
                .expect("password"),
        ),
        vertelpunt::exchange::timestamp::now_unix(),
    )
    .expect("admin");
    println!(
        "{stories} demo stories written in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        db_url.redacted()
    );

    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = vertelpunt::Application::build(config).expect("start");
            tx.send(app.port).ok();
            app.server.await.ok();
        })
    });
    let base = format!("http://127.0.0.1:{}", rx.recv().expect("server port"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let login = agent
        .get(&format!("{base}/beheer/inloggen"))
        .call()
        .expect("login page")
        .body_mut()
        .read_to_string()
        .expect("body");
    agent
        .post(&format!("{base}/beheer/inloggen"))
        .send_form([
            ("csrf", hidden(&login, "csrf").as_str()),
            ("terug", "/beheer"),
            ("email", "meting@voorbeeld.nl"),
            ("wachtwoord", password),
        ])
        .expect("login");

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
