//! Load test of a duidingssessie (issue 6, docs/performance.md):
//!
//!     cargo bench --bench sensemaking_load
//!
//! Starts a release build of Vertelpunt on a loopback port with a fresh SQLite database, plans
//! a session with `TABLES` (5) tables and lets `PARTICIPANTS` (30) join, spread evenly over
//! the tables, each with its own cookies. For `SECONDS` (600) every participant then behaves
//! like a browser with `assets/sensemaking.js`:
//!
//! - it posts a note every `INTERVAL_MS` (3000) ± 20 % (random, so nobody posts in lockstep),
//!   follows the 303 to the table page and then fetches the board, as the script does;
//! - meanwhile it polls `/tafel/stand` every 2 s and fetches `/tafel/bord` when the revision
//!   changed, noting when it first saw each note on a board.
//!
//! Meanwhile a begeleider keeps the session's cockpit open, signed in like a person, and
//! polls it like the script: `/cockpit/stand` every second, `/cockpit/bord` when it changed,
//! noting each table's note count (`data-notes`) at every fetch.
//!
//! After the run (and `DRAIN` (10) more seconds of polling) it checks that every note that got
//! its 303 is in the database exactly once, that the database holds no other notes, and that
//! every note was seen by every other member of its table (and by nobody at another table),
//! and prints the latency from the poster's 303 to each other member's first sight of the
//! note. Exits with status 1 when a note is lost, duplicated or unseen, or when the slowest
//! latency exceeds `LIMIT_MS` (5000), or when a note took longer than `COCKPIT_LIMIT_MS` (3000)
//! to be counted in the cockpit: from its 303 to the end of the first cockpit fetch that started
//! after it, which must count at least every note of that table acknowledged before the fetch
//! started. Set `DATABASE_URL=postgres://…/empty_db` to measure
//! PostgreSQL instead.

use diesel::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use vertelpunt::config::Config;
use vertelpunt::domain::accounts::{Access, NewPassword};
use vertelpunt::domain::sensemaking::SessionPlan;
use vertelpunt::security::passwords::{PasswordHasher, PasswordParams};
use vertelpunt::service::accounts::SignedIn;
use vertelpunt::service::sensemaking;
use vertelpunt::store::{Database, DatabaseUrl};

const KINDS: [&str; 4] = ["idee", "verbazing", "zorg", "kans"];
const POLL: Duration = Duration::from_millis(2000);
/// The cockpit asks every second (`data-poll` on `#cockpit`): one screen per session.
const COCKPIT_POLL: Duration = Duration::from_millis(1000);

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

/// The machine's load averages (1, 5, 15 minutes): other work on the two cores shows here.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The value at percentile `p` of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((p / 100.0) * (sorted.len() - 1) as f64).round() as usize]
}

/// "count, median, p95, p99, max" of some durations, in ms.
fn summary(mut durations: Vec<Duration>) -> String {
    durations.sort();
    format!(
        "{:>7} {:>10.1} {:>10.1} {:>10.1} {:>10.1}",
        durations.len(),
        ms(percentile(&durations, 50.0)),
        ms(percentile(&durations, 95.0)),
        ms(percentile(&durations, 99.0)),
        ms(durations.last().copied().unwrap_or_default())
    )
}

/// The first value of `name="{field}" value="…"` on a page.
fn hidden(page: &str, field: &str) -> Option<String> {
    let marker = format!("name=\"{field}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')? + start;
    Some(
        page[start..end]
            .replace("&#x2F;", "/")
            .replace("&#x3D;", "=")
            .replace("&#x2B;", "+")
            .replace("&amp;", "&"),
    )
}

/// The ids of the notes on a board.
fn note_ids(board: &str) -> Vec<&str> {
    const MARKER: &str = "id=\"notitie-";
    board
        .match_indices(MARKER)
        .filter_map(|(at, _)| {
            let rest = &board[at + MARKER.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The per-table note counts (`data-notes`) on a cockpit fragment, by table id.
fn cockpit_counts(room: &str) -> HashMap<String, usize> {
    const MARKER: &str = "id=\"cockpit-TA-";
    room.match_indices(MARKER)
        .filter_map(|(at, _)| {
            let rest = &room[at + "id=\"cockpit-".len()..];
            let id = &rest[..rest.find('"')?];
            let notes = rest.split("data-notes=\"").nth(1)?;
            let n = notes[..notes.find('"')?].parse().ok()?;
            Some((id.to_string(), n))
        })
        .collect()
}

/// One fetch of the cockpit's room: when it started and ended, and the counts it showed.
struct CockpitFetch {
    started: Instant,
    done: Instant,
    counts: HashMap<String, usize>,
}

/// The begeleider with the cockpit open: signs in through the login form.
fn sign_in(base: &str, email: &str, password: &str) -> ureq::Agent {
    let agent = agent();
    let form = agent
        .get(format!("{base}/beheer/inloggen"))
        .call()
        .expect("login page")
        .body_mut()
        .read_to_string()
        .expect("login page body");
    let csrf = hidden(&form, "csrf").expect("csrf on the login page");
    let done = agent
        .post(format!("{base}/beheer/inloggen"))
        .send_form([
            ("csrf", csrf.as_str()),
            ("terug", ""),
            ("email", email),
            ("wachtwoord", password),
        ])
        .expect("login");
    assert_eq!(done.status(), 303, "the begeleider signs in");
    agent
}

/// What one participant's client measured.
#[derive(Default)]
struct Record {
    /// Notes that got their 303: id, text, when the 303 arrived.
    posted: Vec<(String, String, Instant)>,
    /// The first moment each note id was on a board this participant fetched.
    seen: HashMap<String, Instant>,
    /// Responses that were not what a working server gives: (request, status) → count
    /// (status 0: no response at all).
    errors: BTreeMap<(&'static str, u16), u64>,
    /// Time per request kind, with when the request ended.
    timings: BTreeMap<&'static str, Vec<(Instant, Duration)>>,
    /// The size of the last board fetched.
    board_bytes: usize,
}

struct Participant {
    number: usize,
    table: usize,
    agent: ureq::Agent,
    csrf: String,
    record: Mutex<Record>,
}

impl Participant {
    fn record(&self) -> std::sync::MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn failed(&self, what: &'static str, status: u16) {
        *self.record().errors.entry((what, status)).or_default() += 1;
    }

    fn timed(&self, what: &'static str, took: Duration) {
        self.record()
            .timings
            .entry(what)
            .or_default()
            .push((Instant::now(), took));
    }

    /// A GET; the body when the status was 200.
    fn get(&self, base: &str, path: &str, what: &'static str) -> Option<String> {
        let start = Instant::now();
        let result = self.agent.get(format!("{base}{path}")).call();
        let body = match result {
            Ok(mut response) if response.status() == 200 => response
                .body_mut()
                .with_config()
                .limit(256 * 1024 * 1024)
                .read_to_string()
                .map_err(|_| 0),
            Ok(response) => Err(response.status().as_u16()),
            Err(_) => Err(0),
        };
        match body {
            Ok(body) => {
                self.timed(what, start.elapsed());
                Some(body)
            }
            Err(status) => {
                self.failed(what, status);
                None
            }
        }
    }

    /// Fetches the board and notes which notes are on it, and when they were first seen.
    fn fetch_board(&self, base: &str, code: &str) {
        if let Some(board) = self.get(base, &format!("/s/{code}/tafel/bord"), "GET bord") {
            let now = Instant::now();
            let mut record = self.record();
            record.board_bytes = board.len();
            for id in note_ids(&board) {
                record.seen.entry(id.to_string()).or_insert(now);
            }
        }
    }

    /// Posts one note; on its 303 follows the redirect and reloads the board like the script.
    fn post_note(&self, base: &str, code: &str, n: usize) {
        let kind = KINDS[n % KINDS.len()];
        let text = format!(
            "deelnemer {} schrijft notitie {n}: de wachttijd moet korter",
            self.number
        );
        let start = Instant::now();
        let result = self
            .agent
            .post(format!("{base}/s/{code}/notities"))
            .send_form([
                ("csrf", self.csrf.as_str()),
                ("soort", kind),
                ("tekst", text.as_str()),
                ("zodat", "jongeren weten waar ze aan toe zijn."),
                ("over", ""),
            ]);
        let location = match result {
            Ok(response) if response.status() == 303 => response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            Ok(response) => {
                self.failed("POST notitie", response.status().as_u16());
                return;
            }
            Err(_) => {
                self.failed("POST notitie", 0);
                return;
            }
        };
        let acked = Instant::now();
        let Some((path, id)) = location.as_deref().and_then(|l| l.split_once("#notitie-")) else {
            self.failed("POST notitie (no note in Location)", 303);
            return;
        };
        {
            let mut record = self.record();
            record.posted.push((id.to_string(), text, acked));
            record
                .timings
                .entry("POST notitie")
                .or_default()
                .push((acked, acked - start));
        }
        // fetch() follows the redirect to the table page, then the script reloads the board.
        self.get(base, path, "GET tafel (after a note)");
        self.fetch_board(base, code);
    }
}

fn sleep_until(when: Instant) {
    let now = Instant::now();
    if when > now {
        std::thread::sleep(when - now);
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// Joins the session at `table` like a person with the link: the form, then the post.
fn join(base: &str, code: &str, number: usize, table: usize, table_id: &str) -> Participant {
    let agent = agent();
    let form = agent
        .get(format!("{base}/s/{code}"))
        .call()
        .expect("join page")
        .body_mut()
        .read_to_string()
        .expect("join page body");
    let csrf = hidden(&form, "csrf").expect("csrf on the join page");
    let name = format!("Deelnemer {number}");
    let joined = agent
        .post(format!("{base}/s/{code}"))
        .send_form([
            ("csrf", csrf.as_str()),
            ("tafel", table_id),
            ("naam", name.as_str()),
            ("perspectief", "jongere"),
        ])
        .expect("join");
    assert_eq!(joined.status(), 303, "join of participant {number}");
    let page = agent
        .get(format!("{base}/s/{code}/tafel"))
        .call()
        .expect("table page")
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()
        .expect("table page body");
    let csrf = hidden(&page, "csrf").expect("csrf on the table page");
    Participant {
        number,
        table,
        agent,
        csrf,
        record: Mutex::new(Record::default()),
    }
}

/// The command as typed, with the settings that were given.
fn command() -> String {
    let mut parts = Vec::new();
    for name in [
        "DATABASE_URL",
        "TABLES",
        "PARTICIPANTS",
        "INTERVAL_MS",
        "SECONDS",
        "DRAIN",
        "LIMIT_MS",
        "COCKPIT_LIMIT_MS",
        "PREFILL",
    ] {
        if let Ok(value) = std::env::var(name) {
            let value = if name == "DATABASE_URL" {
                DatabaseUrl::parse(&value).map_or(value, |u| u.redacted())
            } else {
                value
            };
            parts.push(format!("{name}={value}"));
        }
    }
    parts.push("cargo bench --bench sensemaking_load".into());
    parts.join(" ")
}

fn main() {
    let tables: usize = env_or("TABLES", 5).max(1);
    let participants: usize = env_or("PARTICIPANTS", 30).max(1);
    let interval = Duration::from_millis(env_or("INTERVAL_MS", 3000));
    let seconds: u64 = env_or("SECONDS", 600);
    let drain = Duration::from_secs(env_or("DRAIN", 10));
    let limit = Duration::from_millis(env_or("LIMIT_MS", 5000));
    let prefill: usize = env_or("PREFILL", 0);
    println!("command: {}", command());

    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = match std::env::var("DATABASE_URL") {
        Ok(url) => DatabaseUrl::parse(&url).expect("DATABASE_URL"),
        Err(_) => DatabaseUrl::Sqlite(dir.path().join("bench.db")),
    };
    let config = Config {
        bind: "127.0.0.1:0".into(),
        ..Config::defaults(db_url.clone())
    };
    println!(
        "{participants} participants at {tables} tables, a note every {} ms ± 20 % each for \
         {seconds} s, polling every {} ms, {} s drain; {} (pool {}, workers: {})",
        interval.as_millis(),
        POLL.as_millis(),
        drain.as_secs(),
        db_url.redacted(),
        config.pool_size,
        config
            .workers
            .map_or("one per core".to_string(), |w| w.to_string()),
    );

    // An admin first (schema by `Database::open`), so the app announces no setup link.
    let password = "een lang wachtwoord voor de meting";
    let db = Database::open(&db_url, 2).expect("database");
    let now = vertelpunt::exchange::timestamp::now_unix();
    let admin = vertelpunt::service::accounts::create_user_cli(
        &db,
        &PasswordHasher::new(PasswordParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        })
        .expect("hasher"),
        "meting@voorbeeld.nl",
        None,
        true,
        Some(&NewPassword::parse(password, password).expect("password")),
        now,
    )
    .expect("admin")
    .user;

    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = vertelpunt::Application::build(config).expect("start");
            tx.send(app.port).ok();
            app.server.await.ok();
        })
    });
    let base = format!("http://127.0.0.1:{}", rx.recv().expect("server port"));

    // Plan the session with the services the planning page uses, as that admin (the app made
    // the default project when it started).
    let by = SignedIn {
        id: admin.id,
        email: admin.email,
        name: "Meting".into(),
        access: Access {
            is_admin: true,
            ..Access::default()
        },
    };
    let secret = vertelpunt::service::projects::load_secret(&mut db.conn().expect("conn"), None)
        .expect("secret");
    let plan = SessionPlan {
        title: "Meting: dertig deelnemers".into(),
        date: "2026-12-01".into(),
        time: "19:30".into(),
        ..SessionPlan::default()
    }
    .check()
    .expect("valid plan");
    let session = sensemaking::create(&db, &by, &secret, "jeugdhulp", &plan, now).expect("session");
    let colours = ["groen", "oranje", "paars", "rood", "geel", "grijs", "blauw"];
    for t in 1..tables {
        sensemaking::add_table(
            &db,
            &by,
            "jeugdhulp",
            &session,
            &format!("Tafel {}", t + 1),
            colours[(t - 1) % colours.len()],
            now,
        )
        .expect("table");
    }
    let detail = sensemaking::open(&db, &by, "jeugdhulp", &session).expect("session detail");
    let code = sensemaking::code_of(&secret, &detail.record);
    let table_ids: Vec<String> = detail.tables.iter().map(|t| t.record.id.clone()).collect();
    assert_eq!(table_ids.len(), tables);

    let joining = Instant::now();
    let people: Vec<Arc<Participant>> = (0..participants)
        .map(|p| {
            Arc::new(join(
                &base,
                &code,
                p + 1,
                p % tables,
                &table_ids[p % tables],
            ))
        })
        .collect();
    println!(
        "{participants} participants joined in {:.1} s",
        joining.elapsed().as_secs_f64()
    );
    // `PREFILL` notes per table before the run (for measuring full boards without waiting),
    // written with the service as the table's first participant; they are left out of the
    // checks below.
    let mut prefilled = std::collections::HashSet::new();
    if prefill > 0 {
        let detail = sensemaking::open(&db, &by, "jeugdhulp", &session).expect("session detail");
        for table in &table_ids {
            let first = detail
                .participants
                .iter()
                .find(|p| &p.table_id == table)
                .expect("a participant at every table");
            let seat = sensemaking::seat(&db, &detail.record, &first.id)
                .expect("seat")
                .expect("a seat");
            for n in 0..prefill {
                let note = vertelpunt::domain::sensemaking::NoteInput {
                    kind: KINDS[n % KINDS.len()].into(),
                    body: format!("vooraf geschreven notitie {n} aan deze tafel"),
                    so_that: "het bord al vol is.".into(),
                    about: String::new(),
                };
                prefilled.insert(sensemaking::add_note(&db, &seat, &note, now).expect("note"));
            }
        }
        println!("{prefill} notes written at each table beforehand");
    }
    println!("running for {seconds} s …");

    let start = Instant::now() + Duration::from_millis(200);
    let stop_posting = start + Duration::from_secs(seconds);
    let stop_polling = stop_posting + drain;
    let (base_url, join_code) = (base.clone(), code.clone());
    let mut threads = Vec::new();
    for person in &people {
        // The poster: a note every interval ± 20 %, starting at a random moment.
        let (me, base, code) = (person.clone(), base_url.clone(), join_code.clone());
        let poster = std::thread::Builder::new().name(format!("poster-{}", person.number));
        let poster = poster.spawn(move || {
            let mut next = start + interval.mul_f64(rand::random_range(0.0..1.0));
            let mut n = 0;
            while next < stop_posting {
                sleep_until(next);
                n += 1;
                me.post_note(&base, &code, n);
                next += interval.mul_f64(rand::random_range(0.8..1.2));
                next = next.max(Instant::now());
            }
        });
        threads.push(poster.expect("poster thread"));
        // The poller: `stand` every 2 s (a tick is skipped while a poll is still busy, like
        // the script's interval), the board when the revision changed.
        let (me, base, code) = (person.clone(), base_url.clone(), join_code.clone());
        let poller = std::thread::Builder::new().name(format!("poller-{}", person.number));
        let poller = poller.spawn(move || {
            let mut revision = None;
            let mut tick = start + POLL.mul_f64(rand::random_range(0.0..1.0));
            while tick < stop_polling {
                sleep_until(tick);
                if let Some(stand) = me.get(&base, &format!("/s/{code}/tafel/stand"), "GET stand") {
                    let now = serde_json::from_str::<serde_json::Value>(&stand)
                        .ok()
                        .and_then(|v| v["revision"].as_i64());
                    if now.is_none() {
                        me.failed("GET stand (no revision)", 200);
                    } else if now != revision {
                        revision = now;
                        me.fetch_board(&base, &code);
                    }
                }
                let now = Instant::now();
                while tick <= now {
                    tick += POLL;
                }
            }
        });
        threads.push(poller.expect("poller thread"));
    }
    // The cockpit: the same polling as the script, as the signed-in begeleider.
    let cockpit_fetches: Arc<Mutex<Vec<CockpitFetch>>> = Arc::default();
    let cockpit_errors: Arc<Mutex<u64>> = Arc::default();
    {
        let begeleider = sign_in(&base_url, "meting@voorbeeld.nl", password);
        let room = format!("{base_url}/beheer/p/jeugdhulp/sessies/{session}/cockpit");
        let (fetches, errors) = (cockpit_fetches.clone(), cockpit_errors.clone());
        let watcher = std::thread::Builder::new().name("cockpit".into());
        let watcher = watcher.spawn(move || {
            let read = |url: &str| -> Option<String> {
                let mut response = begeleider.get(url).call().ok()?;
                if response.status() != 200 {
                    return None;
                }
                response
                    .body_mut()
                    .with_config()
                    .limit(64 * 1024 * 1024)
                    .read_to_string()
                    .ok()
            };
            let mut revision = None;
            let mut tick = start;
            while tick < stop_polling {
                sleep_until(tick);
                match read(&format!("{room}/stand")) {
                    Some(stand) => {
                        let now = serde_json::from_str::<serde_json::Value>(&stand)
                            .ok()
                            .map(|v| v["revision"].to_string());
                        if now != revision {
                            revision = now;
                            let started = Instant::now();
                            match read(&format!("{room}/bord")) {
                                Some(body) => fetches
                                    .lock()
                                    .unwrap_or_else(|e| e.into_inner())
                                    .push(CockpitFetch {
                                        started,
                                        done: Instant::now(),
                                        counts: cockpit_counts(&body),
                                    }),
                                None => *errors.lock().unwrap_or_else(|e| e.into_inner()) += 1,
                            }
                        }
                    }
                    None => *errors.lock().unwrap_or_else(|e| e.into_inner()) += 1,
                }
                let now = Instant::now();
                while tick <= now {
                    tick += COCKPIT_POLL;
                }
            }
        });
        threads.push(watcher.expect("cockpit thread"));
    }
    let mut last_report = Instant::now();
    while threads.iter().any(|t| !t.is_finished()) {
        std::thread::sleep(Duration::from_millis(250));
        if last_report.elapsed() >= Duration::from_secs(60) {
            last_report = Instant::now();
            let notes: usize = people.iter().map(|p| p.record().posted.len()).sum();
            println!(
                "  {:>4.0} s: {notes} notes posted, peak memory {:.0} MiB, machine load {}",
                start.elapsed().as_secs_f64(),
                peak_memory_mib(),
                load_average()
            );
        }
    }
    for t in threads {
        t.join().expect("client thread");
    }
    let ran = start.elapsed();

    // --- checks -----------------------------------------------------------------------
    let mut failures = Vec::new();
    let mut acked: HashMap<String, (usize, String, Instant)> = HashMap::new();
    let mut acked_twice = 0;
    for person in &people {
        for (id, text, at) in &person.record().posted {
            if acked
                .insert(id.clone(), (person.number, text.clone(), *at))
                .is_some()
            {
                acked_twice += 1;
            }
        }
    }
    let stored: Vec<(String, String, String)> = {
        use vertelpunt::store::schema::sensemaking_notes as n;
        let mut conn = db.conn().expect("connection");
        let conn: &mut vertelpunt::store::AnyConnection = &mut conn;
        n::table
            .filter(n::table_id.eq_any(&table_ids))
            .select((n::id, n::table_id, n::body))
            .load(conn)
            .expect("stored notes")
    };
    let mut rows_per_id: HashMap<&str, usize> = HashMap::new();
    let mut rows_per_text: HashMap<&str, usize> = HashMap::new();
    let mut table_of: HashMap<&str, usize> = HashMap::new();
    for (id, table, body) in stored.iter().filter(|(id, _, _)| !prefilled.contains(id)) {
        *rows_per_id.entry(id).or_default() += 1;
        *rows_per_text.entry(body).or_default() += 1;
        table_of.insert(id, table_ids.iter().position(|t| t == table).unwrap_or(0));
    }
    let lost: Vec<&String> = acked
        .keys()
        .filter(|id| !rows_per_id.contains_key(id.as_str()))
        .collect();
    let duplicated = rows_per_id.values().filter(|&&n| n > 1).count()
        + rows_per_text.values().filter(|&&n| n > 1).count()
        + acked_twice;
    let unacknowledged = rows_per_id
        .keys()
        .filter(|id| !acked.contains_key(**id))
        .count();

    let mut latencies = Vec::new();
    let mut unseen = Vec::new();
    let mut wrong_table = 0;
    for (id, (author, _, acked_at)) in &acked {
        let Some(&table) = table_of.get(id.as_str()) else {
            continue; // lost, counted above
        };
        for other in people
            .iter()
            .filter(|p| p.table == table && p.number != *author)
        {
            match other.record().seen.get(id) {
                Some(seen) => latencies.push(seen.saturating_duration_since(*acked_at)),
                None => unseen.push((id.clone(), other.number)),
            }
        }
    }
    for person in &people {
        wrong_table += person
            .record()
            .seen
            .keys()
            .filter(|id| {
                table_of
                    .get(id.as_str())
                    .is_some_and(|&t| t != person.table)
            })
            .count();
    }
    let mut errors: BTreeMap<(&'static str, u16), u64> = BTreeMap::new();
    let mut timings: BTreeMap<&'static str, Vec<(Instant, Duration)>> = BTreeMap::new();
    for person in &people {
        let record = person.record();
        for (key, n) in &record.errors {
            *errors.entry(*key).or_default() += n;
        }
        for (key, list) in &record.timings {
            timings.entry(key).or_default().extend(list);
        }
    }
    let max_latency = latencies.iter().max().copied().unwrap_or_default();

    // The cockpit: each note, from its 303 to the end of the first fetch that started after
    // it; that fetch must count at least the table's notes acknowledged before it started.
    let fetches = std::mem::take(&mut *cockpit_fetches.lock().unwrap_or_else(|e| e.into_inner()));
    let prefilled_per_table = prefill;
    let mut acked_at_table: Vec<Vec<Instant>> = vec![Vec::new(); table_ids.len()];
    for (id, (_, _, at)) in &acked {
        if let Some(&t) = table_of.get(id.as_str()) {
            acked_at_table[t].push(*at);
        }
    }
    let mut cockpit_latencies = Vec::new();
    let mut cockpit_unseen = 0;
    let mut cockpit_short = 0;
    for (id, (_, _, at)) in &acked {
        let Some(&t) = table_of.get(id.as_str()) else {
            continue;
        };
        match fetches.iter().find(|f| f.started >= *at) {
            Some(f) => {
                let expected = prefilled_per_table
                    + acked_at_table[t]
                        .iter()
                        .filter(|a| **a <= f.started)
                        .count();
                if f.counts.get(&table_ids[t]).copied().unwrap_or(0) < expected {
                    cockpit_short += 1;
                }
                cockpit_latencies.push(f.done.saturating_duration_since(*at));
            }
            None => cockpit_unseen += 1,
        }
    }
    let cockpit_limit = Duration::from_millis(env_or("COCKPIT_LIMIT_MS", 3000));
    let max_cockpit = cockpit_latencies.iter().max().copied().unwrap_or_default();
    let cockpit_http_errors = *cockpit_errors.lock().unwrap_or_else(|e| e.into_inner());

    // --- report -----------------------------------------------------------------------
    println!();
    println!(
        "ran {:.1} s: {} notes got their 303 ({:.1} notes/s); {} notes in the database ({} \
         of them written beforehand)",
        ran.as_secs_f64(),
        acked.len(),
        acked.len() as f64 / (ran.as_secs_f64() - drain.as_secs_f64()).max(1.0),
        stored.len(),
        prefilled.len()
    );
    for (t, id) in table_ids.iter().enumerate() {
        let notes = stored.iter().filter(|(_, table, _)| table == id).count();
        let board = people
            .iter()
            .find(|p| p.table == t)
            .map_or(0, |p| p.record().board_bytes);
        println!(
            "  table {}: {notes} notes, last board {:.0} KiB",
            t + 1,
            board as f64 / 1024.0
        );
    }
    println!();
    println!("                                count  median ms     p95 ms     p99 ms     max ms");
    println!(
        "{:<28} {}",
        "note seen by the others",
        summary(latencies.clone())
    );
    // The last minute of posting, when the boards are fullest.
    let last_minute = stop_posting - Duration::from_secs(60).min(Duration::from_secs(seconds));
    let recent = |list: &[(Instant, Duration)]| {
        list.iter()
            .filter(|(at, _)| (last_minute..stop_posting).contains(at))
            .map(|(_, d)| *d)
            .collect::<Vec<_>>()
    };
    let late: Vec<Duration> = acked
        .iter()
        .filter(|(_, (_, _, at))| *at >= last_minute)
        .flat_map(|(id, (author, _, at))| {
            let table = table_of.get(id.as_str()).copied();
            people
                .iter()
                .filter(move |p| Some(p.table) == table && p.number != *author)
                .filter_map(|p| {
                    p.record()
                        .seen
                        .get(id)
                        .map(|s| s.saturating_duration_since(*at))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    println!("{:<28} {}", "  … in the last minute", summary(late));
    println!(
        "{:<28} {}",
        "note counted in the cockpit",
        summary(cockpit_latencies.clone())
    );
    println!(
        "{:<28} {}",
        "GET cockpit bord",
        summary(fetches.iter().map(|f| f.done - f.started).collect())
    );
    for (what, list) in &timings {
        println!(
            "{what:<28} {}",
            summary(list.iter().map(|(_, d)| *d).collect())
        );
        println!("{:<28} {}", "  … in the last minute", summary(recent(list)));
    }
    println!();
    println!("lost notes (303 but not stored):         {}", lost.len());
    println!("stored twice (by id or text):            {duplicated}");
    println!("stored without a 303:                    {unacknowledged}");
    println!("(note, other member) pairs never seen:   {}", unseen.len());
    println!("notes seen at another table:             {wrong_table}");
    println!("notes never counted in the cockpit:      {cockpit_unseen}");
    println!("cockpit fetches counting too few notes:  {cockpit_short}");
    println!("cockpit HTTP errors:                     {cockpit_http_errors}");
    if errors.is_empty() {
        println!("HTTP errors:                             none");
    } else {
        println!("HTTP errors (status 0: no response):");
        for ((what, status), n) in &errors {
            println!("  {what:<36} {status:>3}: {n}");
        }
    }
    println!(
        "peak memory of the process (server and clients): {:.0} MiB",
        peak_memory_mib()
    );

    if !lost.is_empty() {
        failures.push(format!(
            "{} notes got a 303 but are not in the database (e.g. {})",
            lost.len(),
            lost[0]
        ));
    }
    if duplicated > 0 {
        failures.push(format!("{duplicated} notes are stored more than once"));
    }
    if unacknowledged > 0 {
        failures.push(format!(
            "{unacknowledged} notes are in the database without anyone getting a 303 for them"
        ));
    }
    if !unseen.is_empty() {
        failures.push(format!(
            "{} times a note was never seen by another member of its table (e.g. {} by \
             participant {})",
            unseen.len(),
            unseen[0].0,
            unseen[0].1
        ));
    }
    if wrong_table > 0 {
        failures.push(format!("{wrong_table} notes were seen at another table"));
    }
    if max_latency > limit {
        failures.push(format!(
            "the slowest note took {:.1} s to reach another member of its table (limit {:.1} s)",
            max_latency.as_secs_f64(),
            limit.as_secs_f64()
        ));
    }
    if acked.is_empty() {
        failures.push("no note got a 303".into());
    }
    if cockpit_unseen > 0 || cockpit_short > 0 || cockpit_http_errors > 0 {
        failures.push(format!(
            "the cockpit never counted {cockpit_unseen} notes, counted too few {cockpit_short} \
             times and got {cockpit_http_errors} errors"
        ));
    }
    if max_cockpit > cockpit_limit {
        failures.push(format!(
            "the slowest note took {:.1} s to be counted in the cockpit (limit {:.1} s)",
            max_cockpit.as_secs_f64(),
            cockpit_limit.as_secs_f64()
        ));
    }
    println!();
    if failures.is_empty() {
        println!(
            "PASS: no note lost, every note seen by every other member of its table, \
             slowest after {:.2} s (limit {:.1} s); every note counted in the cockpit, \
             slowest after {:.2} s (limit {:.1} s)",
            max_latency.as_secs_f64(),
            limit.as_secs_f64(),
            max_cockpit.as_secs_f64(),
            cockpit_limit.as_secs_f64()
        );
    } else {
        for f in &failures {
            println!("FAIL: {f}");
        }
        std::process::exit(1);
    }
}
