//! Speed of the research export on a large project (docs/performance.md):
//!
//!     cargo bench --bench export
//!
//! Fills a fresh SQLite database with `STORIES` (100,000) fictitious demo stories, adds a
//! sentence full of personal data to every text (so that the anonymiser has work on each
//! story), and exports all of them anonymised and protected, in every format (CSV, CSV for
//! Dutch Excel, JSON, XLSX, SPSS, data package), to a sink: the whole path of `vertelpunt
//! stories export --anonymised` (reading the project, small-cell protection, reading the
//! stories in chunks, anonymising, writing). Then the same
//! CSV through the web: a release build of the server on a loopback port, streamed to a
//! client that counts the bytes. Prints stories per second and the peak memory of the process.
//! Set `DATABASE_URL=postgres://…/empty_db` to measure PostgreSQL instead.

use diesel::RunQueryDsl;
mod support;

use std::io::Read;
use std::time::Instant;
use support::{env_or, hidden, peak_memory_mib, serve_signed_in};
use vertelpunt::exchange::research::Format;
use vertelpunt::service::analysis::StoryFilter;
use vertelpunt::service::export;
use vertelpunt::store::{Database, DatabaseUrl};

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

    // Reading the project's analysis data happens once per data revision; the web serves it
    // from its cache afterwards, so it is timed apart from the export proper.
    let started = Instant::now();
    let data = vertelpunt::service::analysis::load_project(&db, "demo").expect("project data");
    let selection = data.select(&StoryFilter::default()).expect("selection");
    println!(
        "project data read in {:.2} s (once per data revision; the web keeps it in its cache)",
        started.elapsed().as_secs_f64()
    );
    for format in Format::ALL {
        let started = Instant::now();
        let mut out = Count(0);
        let who = export::Requester {
            user: None,
            via: "de meting",
        };
        let prepared = export::prepare(&db, &who, &data, &selection, "alle verhalen", format)
            .expect("prepare");
        let planned = started.elapsed().as_secs_f64();
        let summary = prepared.write(&db, &mut out).expect("export");
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{:>11}: {} stories in {seconds:.2} s (protection planned in {planned:.2} s) = {:.0} stories/s, {:.1} MiB written, {} redactions, {} values protected; peak memory so far {:.0} MiB",
            format.key(),
            summary.stories,
            summary.stories as f64 / seconds,
            out.0 as f64 / 1_048_576.0,
            summary.redactions,
            prepared.changes().total(),
            peak_memory_mib()
        );
    }
    // The command line's whole path, reading the project's data included.
    let started = Instant::now();
    let (summary, _) = export::export_from_command_line(
        &db,
        "demo",
        &StoryFilter::default(),
        Format::Csv,
        Default::default(),
        &mut Count(0),
    )
    .expect("export");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "command line csv, project data read included: {} stories in {seconds:.2} s = {:.0} stories/s",
        summary.stories,
        summary.stories as f64 / seconds
    );

    // The same CSV through the web, streamed.
    let (base, agent) = serve_signed_in(&db, &db_url);
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
