//! Speed of the research export on a large project (docs/performance.md):
//!
//!     cargo bench --bench export
//!
//! Fills a fresh SQLite database with `STORIES` (100,000) fictitious demo stories, adds a
//! sentence full of personal data to every text (so that the anonymiser has work on each
//! story), and exports all of them anonymised and protected, as CSV, JSON and XLSX, to a
//! sink: the whole path of `vertelpunt stories export --anonymised` (reading the project,
//! small-cell protection, reading the stories in chunks, anonymising, writing). Then the same
//! CSV through the web: a release build of the server on a loopback port, streamed to a
//! client that counts the bytes. Prints stories per second and the peak memory of the process.
//! Set `DATABASE_URL=postgres://…/empty_db` to measure PostgreSQL instead.

use diesel::RunQueryDsl;
use std::io::Read;
use std::sync::mpsc;
use std::time::Instant;
use vertelpunt::config::Config;
use vertelpunt::exchange::research::Format;
use vertelpunt::security::passwords::{PasswordHasher, PasswordParams};
use vertelpunt::service::analysis::StoryFilter;
use vertelpunt::service::export;
use vertelpunt::store::{Database, DatabaseUrl};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
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

/// A writer that only counts.
struct Count(usize);

impl std::io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).expect("hidden field") + marker.len();
    let end = page[start..].find('"').expect("closing quote") + start;
    page[start..end].to_string()
}

fn main() {
    let stories: usize = env_or("STORIES", 100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = match std::env::var("DATABASE_URL") {
        Ok(url) => DatabaseUrl::parse(&url).expect("DATABASE_URL"),
        Err(_) => DatabaseUrl::Sqlite(dir.path().join("bench.db")),
    };
    let started = Instant::now();
    let db = Database::open(&db_url, 2).expect("database");
    vertelpunt::service::demo::generate(&db, stories, 11).expect("demo stories");
    db.write_sync(|conn| {
        diesel::sql_query(
            "UPDATE stories SET body = body || ' Mijn zoon Daan belde op 3 maart 2026 met mevrouw Jansen van het wijkteam, via 06-12345678 of daan.jansen@voorbeeld.nl.'",
        )
        .execute(conn)
        .map_err(vertelpunt::store::StoreError::from)
    })
    .expect("personal data in every story");
    println!(
        "{stories} demo stories written in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        db_url.redacted()
    );

    for format in [Format::Csv, Format::Json, Format::Xlsx] {
        let started = Instant::now();
        let mut out = Count(0);
        let (summary, changes) = export::export_from_command_line(
            &db,
            "demo",
            &StoryFilter::default(),
            format,
            &mut out,
        )
        .expect("export");
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{:>4}: {} stories in {seconds:.2} s = {:.0} stories/s, {:.1} MiB written, {} redactions, {} values protected; peak memory so far {:.0} MiB",
            format.extension(),
            summary.stories,
            summary.stories as f64 / seconds,
            out.0 as f64 / 1_048_576.0,
            summary.redactions,
            changes.total(),
            peak_memory_mib()
        );
    }

    // The same CSV through the web, streamed.
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
    let config = Config {
        bind: "127.0.0.1:0".into(),
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
    let base = format!("http://127.0.0.1:{}", rx.recv().expect("server port"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
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
    let page = agent
        .get(&format!("{base}/beheer/p/demo/export"))
        .call()
        .expect("export page")
        .body_mut()
        .read_to_string()
        .expect("body");
    let started = Instant::now();
    let mut response = agent
        .post(&format!("{base}/beheer/p/demo/export"))
        .send_form([("csrf", hidden(&page, "csrf").as_str()), ("formaat", "csv")])
        .expect("download");
    let first_byte = started.elapsed().as_secs_f64();
    let mut reader = response.body_mut().as_reader();
    let mut buffer = vec![0u8; 64 * 1024];
    let (mut bytes, mut lines) = (0usize, 0usize);
    loop {
        let n = reader.read(&mut buffer).expect("read");
        if n == 0 {
            break;
        }
        bytes += n;
        lines += buffer[..n].iter().filter(|b| **b == b'\n').count();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "web CSV: {:.1} MiB ({lines} lines) in {seconds:.2} s = {:.0} stories/s, first byte after {first_byte:.2} s; peak memory of the process {:.0} MiB",
        bytes as f64 / 1_048_576.0,
        stories as f64 / seconds,
        peak_memory_mib()
    );
}
