//! A small version of the session load test (`benches/sensemaking_load.rs`, docs/performance.md):
//! two tables of three participants each write notes at the same time, each while polling
//! its board like `assets/sensemaking.js`. No note may be lost or stored twice, and every note must
//! reach every other member of its table and nobody at another table. Timing is measured by
//! the benchmark only; here the boards are merely waited for.

use crate::helpers::*;
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const TABLES: usize = 2;
const PER_TABLE: usize = 3;
const RUN: Duration = Duration::from_secs(8);
const INTERVAL_MS: u64 = 300;

/// Plans a session in the default project with two tables; returns the code and table ids.
fn plan(admin: &Browser) -> (String, Vec<String>) {
    let csrf = admin.csrf("/beheer/p/jeugdhulp/sessies");
    let made = admin.post(
        "/beheer/p/jeugdhulp/sessies",
        &[
            ("csrf", &csrf),
            ("titel", "Drukke sessie"),
            ("datum", "2026-12-01"),
            ("tijd", "19:30"),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.header("location").expect("location").to_string();
    let added = admin.post(
        &format!("{path}/tafels"),
        &[("csrf", &csrf), ("naam", "Tafel 2"), ("kleur", "groen")],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let page = admin.get(&path);
    assert_eq!(page.status, 200, "{}", page.body);
    let body = unescape(&page.body);
    let link_at = body
        .find("/s/")
        .unwrap_or_else(|| panic!("no join link: {body}"));
    let code: String = body[link_at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let tables: Vec<String> = page
        .body
        .match_indices("id=\"tafel-TA-")
        .map(|(at, _)| {
            page.body[at + 10..]
                .chars()
                .take_while(|c| *c != '"')
                .collect()
        })
        .collect();
    assert_eq!(tables.len(), TABLES, "{tables:?}");
    (code, tables)
}

fn join(app: &TestApp, code: &str, table: &str, name: &str) -> Browser {
    let browser = app.browser();
    let form = browser.get(&format!("/s/{code}"));
    assert_eq!(form.status, 200, "{}", form.body);
    let joined = browser.post(
        &format!("/s/{code}"),
        &[
            ("csrf", &form.hidden("csrf")),
            ("tafel", table),
            ("naam", name),
            ("perspectief", "ouder"),
        ],
    );
    assert_eq!(joined.status, 303, "{}", joined.body);
    browser
}

/// The note ids on a board.
fn note_ids(board: &Page) -> HashSet<String> {
    assert_eq!(board.status, 200, "{}", board.body);
    board
        .body
        .match_indices("id=\"notitie-")
        .map(|(at, _)| {
            let rest = &board.body[at + "id=\"notitie-".len()..];
            rest[..rest.find('"').expect("quote")].to_string()
        })
        .collect()
}

/// What one participant did: the notes that got their 303 (id, text) and every note id it
/// ever saw on its board.
struct Run {
    table: usize,
    browser: Browser,
    posted: Vec<(String, String)>,
    seen: HashSet<String>,
}

/// Posts a note every ~300 ms for the run's length while polling the board in between, then
/// (once everyone stopped) keeps polling until every note of the table reached the board.
fn participate(browser: Browser, table: usize, who: usize, code: &str, everyone: &Everyone) -> Run {
    let csrf = browser.csrf(&format!("/s/{code}/tafel"));
    let mut run = Run {
        table,
        browser,
        posted: Vec::new(),
        seen: HashSet::new(),
    };
    let start = Instant::now();
    // Participants start at different moments so they do not post in lockstep.
    let mut next = start + Duration::from_millis(who as u64 * INTERVAL_MS / 6);
    let mut revision = None;
    let kinds = ["idee", "verbazing", "zorg", "kans"];
    let mut n = 0;
    let poll = |run: &mut Run, revision: &mut Option<i64>| {
        let stand = run.browser.get(&format!("/s/{code}/tafel/stand"));
        assert_eq!(stand.status, 200, "{}", stand.body);
        let json: serde_json::Value = serde_json::from_str(&stand.body).expect("json");
        let now = json["revision"].as_i64();
        assert!(now.is_some(), "{}", stand.body);
        if now != *revision {
            *revision = now;
            run.seen
                .extend(note_ids(&run.browser.get(&format!("/s/{code}/tafel/bord"))));
        }
    };
    while start.elapsed() < RUN {
        if Instant::now() >= next {
            n += 1;
            let text = format!("deelnemer {who} notitie {n}");
            let posted = run.browser.post(
                &format!("/s/{code}/notities"),
                &[
                    ("csrf", &csrf),
                    ("soort", kinds[n % kinds.len()]),
                    ("tekst", &text),
                    ("zodat", "iedereen het ziet."),
                    ("over", ""),
                ],
            );
            assert_eq!(posted.status, 303, "{}", posted.body);
            let location = posted.header("location").expect("location");
            let id = location
                .split_once("#notitie-")
                .unwrap_or_else(|| panic!("no note in {location}"))
                .1;
            run.posted.push((id.to_string(), text));
            next += Duration::from_millis(INTERVAL_MS + (who as u64 * 37 + n as u64 * 53) % 120);
        }
        poll(&mut run, &mut revision);
        std::thread::sleep(Duration::from_millis(100));
    }
    everyone
        .posted
        .lock()
        .expect("lock")
        .extend(run.posted.iter().map(|(id, _)| (table, id.clone())));
    everyone.stopped.fetch_add(1, Ordering::SeqCst);
    wait_until("every participant to stop posting", || {
        (everyone.stopped.load(Ordering::SeqCst) == everyone.count).then_some(())
    });
    // Everyone stopped posting: polling alone must now bring every note of the table.
    let expected: HashSet<String> = everyone
        .posted
        .lock()
        .expect("lock")
        .iter()
        .filter(|(t, _)| *t == table)
        .map(|(_, id)| id.clone())
        .collect();
    wait_until("every note of the table through polling", || {
        poll(&mut run, &mut revision);
        if run.seen.is_superset(&expected) {
            Some(())
        } else {
            std::thread::sleep(Duration::from_millis(100));
            None
        }
    });
    run
}

/// What the participants share: the notes that got their 303 (table, id), filled in when a
/// participant stops posting, and how many stopped. (Not a `Barrier`: a participant whose
/// assertion failed must not leave the others waiting forever.)
struct Everyone {
    posted: std::sync::Mutex<Vec<(usize, String)>>,
    stopped: AtomicUsize,
    count: usize,
}

#[test]
fn busy_tables_lose_no_note_and_every_member_sees_every_note_of_their_table() {
    let app = spawn_app().with_admin();
    let (code, tables) = plan(&app);
    let mut browsers = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        for p in 0..PER_TABLE {
            let who = t * PER_TABLE + p;
            browsers.push((
                t,
                who,
                join(&app, &code, table, &format!("Deelnemer {who}")),
            ));
        }
    }
    let everyone = Everyone {
        posted: std::sync::Mutex::new(Vec::new()),
        stopped: AtomicUsize::new(0),
        count: browsers.len(),
    };
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = browsers
            .into_iter()
            .map(|(t, who, browser)| {
                let (code, everyone) = (&code, &everyone);
                scope.spawn(move || participate(browser, t, who, code, everyone))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("participant thread"))
            .collect()
    });

    // Every acknowledged note is stored exactly once, at the poster's table, and nothing else.
    let mut acknowledged: HashMap<String, (usize, String)> = HashMap::new();
    for run in &runs {
        for (id, text) in &run.posted {
            let before = acknowledged.insert(id.clone(), (run.table, text.clone()));
            assert!(before.is_none(), "note id {id} was given out twice");
        }
    }
    assert!(
        acknowledged.len() >= TABLES * PER_TABLE * 5,
        "only {} notes were posted",
        acknowledged.len()
    );
    let stored: Vec<(String, String, String)> = {
        use vertelpunt::store::schema::sensemaking_notes as n;
        let mut conn = app.database().conn().expect("connection");
        let conn: &mut vertelpunt::store::AnyConnection = &mut conn;
        n::table
            .filter(n::table_id.eq_any(&tables))
            .select((n::id, n::table_id, n::body))
            .load(conn)
            .expect("notes")
    };
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "stored notes against notes that got their 303"
    );
    let mut texts = HashSet::new();
    for (id, table, body) in &stored {
        let (t, text) = acknowledged
            .get(id)
            .unwrap_or_else(|| panic!("note {id} is stored but nobody got a 303 for it"));
        assert_eq!(&tables[*t], table, "note {id} at the wrong table");
        assert_eq!(text, body, "note {id}");
        assert!(texts.insert(body.clone()), "{body:?} is stored twice");
    }

    // Every member eventually sees every note of their table, and none of another table.
    for run in &runs {
        let expected: HashSet<String> = acknowledged
            .iter()
            .filter(|(_, (t, _))| *t == run.table)
            .map(|(id, _)| id.clone())
            .collect();
        let foreign: Vec<&String> = run.seen.difference(&expected).collect();
        assert!(
            foreign.is_empty(),
            "notes of another table seen: {foreign:?}"
        );
        let board = wait_until("every note of the table on the board", || {
            let ids = note_ids(&run.browser.get(&format!("/s/{code}/tafel/bord")));
            ids.is_superset(&expected).then_some(ids)
        });
        assert_eq!(board, expected, "the board shows exactly the table's notes");
    }
}
