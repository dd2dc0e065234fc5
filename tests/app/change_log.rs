//! The change log keeps every instance's cached analysis data equal to a fresh read: stories
//! added, hidden, shown, withdrawn or emptied through one instance show in another's figures,
//! and on PostgreSQL a change that commits after a later one is still taken in.

use crate::helpers::*;
use std::sync::mpsc;
use vertelpunt::exchange::timestamp::now_unix;
use vertelpunt::service::analysis::{load_project, AnalysisCache};
use vertelpunt::service::demo;
use vertelpunt::store::stories::{self, Story};
use vertelpunt::store::{changes, Database, DatabaseUrl};

const DEMO: &str = "demo";

/// The cached data is the data a fresh read gives, in the same story order.
fn assert_fresh(cache: &AnalysisCache, db: &Database) -> i64 {
    let cached = cache.project(db, DEMO).unwrap();
    let fresh = load_project(db, DEMO).unwrap();
    assert_eq!(cached.stories, fresh.stories);
    assert_eq!(cached.replies, fresh.replies);
    assert_eq!(cached.dataset, fresh.dataset);
    cached.revision
}

fn shareable(db: &Database) -> Vec<Story> {
    stories::list_shareable(&mut db.conn().unwrap(), DEMO).unwrap()
}

/// A new database with `stories` demo stories (from `seed`), opened with a pool of `pool`.
fn demo_database(
    stories: usize,
    seed: u64,
    pool: u32,
) -> (Database, DatabaseUrl, tempfile::TempDir) {
    let (url, dir) = new_database();
    let db = Database::open(&url, pool).unwrap();
    demo::generate(&db, stories, seed).unwrap();
    (db, url, dir)
}

#[test]
fn cached_data_follows_every_kind_of_change_on_two_instances() {
    let (db, _, _dir) = demo_database(400, 1, 4);
    // Two instances: each its own cache over the same database.
    let (one, two) = (AnalysisCache::new(), AnalysisCache::new());
    let first = assert_fresh(&one, &db);
    assert_fresh(&two, &db);
    assert_eq!(
        assert_fresh(&one, &db),
        first,
        "nothing changed: the same state"
    );

    // New stories, spread over the year (demo stories are not told in order).
    demo::generate(&db, 25, 2).unwrap();
    assert_ne!(assert_fresh(&one, &db), first, "a new state for the scans");
    assert_fresh(&two, &db);
    assert_eq!(one.reads(), (1, 1), "read once, then only the new stories");

    let told = shareable(&db);
    let now = now_unix();
    db.write_sync(|conn| {
        for story in told.iter().step_by(40) {
            stories::hide(conn, &story.record.id, "test", now)?;
        }
        for story in told.iter().skip(7).step_by(33) {
            stories::withdraw(conn, &story.record.id, now)?;
        }
        Ok(())
    })
    .unwrap();
    assert_fresh(&one, &db);
    assert_fresh(&two, &db);

    // Shown again: back in its place.
    db.write_sync(|conn| stories::show(conn, &told[40].record.id).map(|_| ()))
        .unwrap();
    assert_fresh(&two, &db);
    // Emptied after the retention period: the answers to questions without text stay.
    let keep = vec!["gehoord".to_string()];
    db.write_sync(|conn| stories::delete_texts(conn, &told[1].record.id, now + 1, &keep, now))
        .unwrap();
    assert_fresh(&one, &db);
    assert_fresh(&two, &db);

    // Removing every story of one month drops that month from the derived property.
    let first_month = told[0].record.created_at / (86_400 * 31);
    db.write_sync(|conn| {
        for story in told
            .iter()
            .filter(|s| s.record.created_at / (86_400 * 31) == first_month)
        {
            stories::withdraw(conn, &story.record.id, now)?;
        }
        Ok(())
    })
    .unwrap();
    assert_fresh(&one, &db);
    assert_eq!(one.reads().0, 1, "never read anew: {:?}", one.reads());
    assert_eq!(two.reads().0, 1, "never read anew: {:?}", two.reads());
}

#[test]
fn the_log_names_what_changed_and_a_project_change_reads_the_project_anew() {
    let (db, _, _dir) = demo_database(30, 3, 4);
    let cursor = changes::cursor(&mut db.conn().unwrap(), DEMO).unwrap();
    let id = shareable(&db)[0].record.id.clone();
    db.write_sync(|conn| stories::hide(conn, &id, "test", now_unix()).map(|_| ()))
        .unwrap();
    let (seen, after) = changes::since(&mut db.conn().unwrap(), DEMO, Some(&cursor)).unwrap();
    assert_eq!(seen, [changes::Change::Story(id.clone())]);
    let (again, _) = changes::since(&mut db.conn().unwrap(), DEMO, Some(&after)).unwrap();
    assert!(again.is_empty(), "read once: {again:?}");

    let cache = AnalysisCache::new();
    assert_fresh(&cache, &db);
    let mut conn = db.conn().unwrap();
    let mut settings = vertelpunt::store::projects::find(&mut conn, DEMO)
        .unwrap()
        .unwrap()
        .settings;
    drop(conn);
    settings.intro = Some("Een andere uitleg".into());
    db.write_sync(|conn| vertelpunt::store::projects::save_settings(conn, DEMO, &settings))
        .unwrap();
    let (seen, _) = changes::since(&mut db.conn().unwrap(), DEMO, Some(&after)).unwrap();
    assert_eq!(seen, [changes::Change::Project]);
    assert_fresh(&cache, &db);
    assert_eq!(cache.reads().0, 2, "the project was read anew");
}

/// The retention run prunes the log; a cache that had not read as far as the pruned entries
/// reads its project in full, one that had keeps following.
#[test]
fn a_cache_behind_the_pruned_log_reads_its_project_again() {
    let (db, url, _dir) = demo_database(60, 7, 4);
    let (current, behind) = (AnalysisCache::new(), AnalysisCache::new());
    assert_fresh(&current, &db);
    assert_fresh(&behind, &db);
    let told = shareable(&db);
    let hide = |id: &str| {
        db.write_sync(|conn| stories::hide(conn, id, "test", now_unix()).map(|_| ()))
            .unwrap()
    };
    hide(&told[0].record.id);
    assert_fresh(&current, &db);
    assert_eq!(current.reads(), (1, 1));

    // Everything written so far is old enough to go (the log's times are in seconds).
    let later = now_unix() + 60;
    let pruned = db
        .write_sync(|conn| changes::prune(conn, later, 10_000))
        .unwrap();
    assert!(pruned >= 61, "the demo's stories and the hide: {pruned}");
    assert_eq!(
        db.write_sync(|conn| changes::prune(conn, later, 10_000))
            .unwrap(),
        0
    );
    hide(&told[1].record.id);

    // The hidden story is not in the log any more; only a full read can know it.
    assert_fresh(&behind, &db);
    assert_eq!(behind.reads().0, 2, "read anew: {:?}", behind.reads());
    assert_fresh(&current, &db);
    if url.is_sqlite() {
        // On PostgreSQL another transaction of the cluster that was running while `current`
        // followed may also put it behind the horizon: then it reads anew, which is as right.
        assert_eq!(current.reads(), (1, 2), "kept following");
    }
}

#[test]
fn requests_that_arrive_together_share_one_read() {
    let (db, _, _dir) = demo_database(200, 5, 12);
    let cache = std::sync::Arc::new(AnalysisCache::new());
    let together = |cache: &std::sync::Arc<AnalysisCache>| {
        let threads: Vec<_> = (0..10)
            .map(|_| {
                let (cache, db) = (cache.clone(), db.clone());
                std::thread::spawn(move || cache.project(&db, DEMO).unwrap().stories.len())
            })
            .collect();
        let counts: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(counts.windows(2).all(|w| w[0] == w[1]), "{counts:?}");
        counts[0]
    };
    let n = together(&cache);
    assert_eq!(cache.reads(), (1, 0), "ten requests, one read");
    demo::generate(&db, 3, 6).unwrap();
    assert_eq!(together(&cache), n + 3);
    assert_eq!(cache.reads(), (1, 1), "ten requests, one update");
}

/// On PostgreSQL ids are handed out when a row is written, not when it commits: a story whose
/// transaction commits after a later one's must still reach the cache.
#[test]
fn a_story_that_commits_late_is_not_skipped() {
    let (url, _dir) = new_database();
    if url.is_sqlite() {
        // SQLite has one writer at a time: commits come in id order.
        return;
    }
    let db = Database::open(&url, 4).unwrap();
    demo::generate(&db, 30, 4).unwrap();
    let cache = AnalysisCache::new();
    assert_fresh(&cache, &db);
    let model = shareable(&db).remove(0);
    let copy = |id: &str| {
        let mut record = model.record.clone();
        record.id = id.to_string();
        record.submission_key = None;
        record.withdrawal_code_hash = None;
        (record, model.answers.clone())
    };

    let (written, go_on) = (mpsc::channel(), mpsc::channel::<()>());
    let slow = {
        let db = db.clone();
        let (record, answers) = copy("laat-verteld");
        std::thread::spawn(move || {
            db.write_sync(|conn| {
                vertelpunt::store::told::insert_in(conn, &record, &answers)?;
                written.0.send(()).ok();
                go_on.1.recv().ok();
                Ok(())
            })
        })
    };
    written.1.recv().unwrap();
    let (record, answers) = copy("vroeg-klaar");
    db.write_sync(|conn| vertelpunt::store::told::insert_in(conn, &record, &answers))
        .unwrap();
    let cached = cache.project(&db, DEMO).unwrap();
    assert!(cached.stories.iter().any(|s| s.id == "vroeg-klaar"));
    assert!(!cached.stories.iter().any(|s| s.id == "laat-verteld"));

    go_on.0.send(()).unwrap();
    slow.join().unwrap().unwrap();
    let cached = cache.project(&db, DEMO).unwrap();
    assert!(cached.stories.iter().any(|s| s.id == "laat-verteld"));
    assert_fresh(&cache, &db);
}

fn total_on_dashboard(browser: &Browser) -> String {
    let page = browser.get("/beheer/p/jeugdhulp/cijfers");
    assert_eq!(page.status, 200, "{}", page.body);
    between(&page.body, "<p class=\"lead\"><strong>", "</strong>")
}

#[test]
fn a_story_told_on_one_instance_shows_on_the_dashboard_of_the_other() {
    let one = spawn_app().with_admin();
    let two = spawn_app_on(one.db_url.clone(), tempfile::tempdir().unwrap(), |_| {});
    let login = two.login(ADMIN_EMAIL, PASSWORD);
    assert_eq!(login.status, 303, "{}", login.body);
    let tell = || {
        let teller = one.browser();
        let form = teller.open_form("ouder");
        let fields = story_fields(&form, "ouder", "Lang gewacht", LONG_STORY);
        let thanks = teller.post("/v/jeugdhulp/vertel", &as_refs(&fields));
        assert_eq!(thanks.status, 200, "{}", thanks.body);
        withdrawal_code(&thanks)
    };
    for _ in 0..11 {
        tell();
    }
    assert_eq!(total_on_dashboard(&two), "11");
    assert_eq!(total_on_dashboard(&one), "11");

    let code = tell();
    assert_eq!(total_on_dashboard(&two), "12");

    let form = one.get("/v/jeugdhulp/intrekken");
    let confirm = one.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &form.hidden("csrf")), ("code", &code)],
    );
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let done = one.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[
            ("csrf", &confirm.hidden("csrf")),
            ("code", &confirm.hidden("code")),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(total_on_dashboard(&two), "11");
}

/// A project whose changes were all pruned gets a cursor at the end of the log, not behind
/// it: the next request follows (nothing to do) instead of reading the project anew, on every
/// request, as it did when the cursor was the project's own last change.
#[test]
fn a_project_whose_changes_were_all_pruned_is_not_read_again_and_again() {
    let (db, url, _dir) = demo_database(60, 7, 4);
    let later = now_unix() + 60;
    db.write_sync(|conn| changes::prune(conn, later, 10_000))
        .unwrap();
    let cache = AnalysisCache::new();
    assert_fresh(&cache, &db);
    assert_fresh(&cache, &db);
    assert_fresh(&cache, &db);
    if url.is_sqlite() {
        // On PostgreSQL a transaction of another test still running from before the prune
        // puts a cursor behind the horizon too (see above); then reading anew is right.
        assert_eq!(cache.reads().0, 1, "one full read: {:?}", cache.reads());
    }
    if !url.is_sqlite() {
        return;
    }
    let cursor = changes::cursor(&mut db.conn().unwrap(), DEMO).unwrap();
    let (seen, _) = changes::since(&mut db.conn().unwrap(), DEMO, Some(&cursor)).unwrap();
    assert!(seen.is_empty(), "{seen:?}");
}
