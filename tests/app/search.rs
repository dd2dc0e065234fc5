//! Full-text search in stories (`store::search_index`), over HTTP on the begeleider's story
//! list and the analysis story browser: words are matched as words, every word must be there,
//! the last may be the start of a word; accents do not matter; nothing typed breaks the
//! search; and withdrawal, redaction and retention take a story's words out of the index.

use crate::explore::total;
use crate::helpers::*;
use diesel::prelude::*;
use vertelpunt::exchange::timestamp::now_unix;
use vertelpunt::service::retention;
use vertelpunt::store::{AnyConnection, Database};

const STORIES: &str = "/beheer/p/jeugdhulp/verhalen";
const BROWSER: &str = "/beheer/p/jeugdhulp/verkennen";

/// Tells a story through the public form; returns the thank-you page (with the withdrawal
/// code).
fn tell(app: &TestApp, title: &str, text: &str) -> Page {
    let teller = app.browser();
    let form = teller.open_form("jongere");
    let fields = story_fields(&form, "jongere", title, text);
    let thanks = teller.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    thanks
}

fn story_id(db: &Database, title: &str) -> String {
    use vertelpunt::store::stories::{self, StaffFilter};
    let mut conn = db.conn().unwrap();
    stories::list_for_staff(&mut conn, "jeugdhulp", StaffFilter::All, None, 1000, 0)
        .unwrap()
        .into_iter()
        .find(|s| s.title == title)
        .expect("the story is stored")
        .id
}

/// The titles among `titles` that the story list (tab "Alle") shows for `search`.
fn found(browser: &Browser, search: &str, titles: &[&str]) -> Vec<String> {
    let query = serde_urlencoded::to_string([("filter", "alle"), ("zoek", search)]).unwrap();
    let page = browser.get(&format!("{STORIES}?{query}"));
    assert_eq!(page.status, 200, "{search:?}: {}", page.body);
    titles
        .iter()
        .filter(|t| page.body.contains(&escape(t)))
        .map(|t| t.to_string())
        .collect()
}

const WAITING: &str = "Lang wachten op jeugdzorg";
const MENTOR: &str = "Fijne mentor";
const NEW: &str = "Een nieuwe hulpverlener";
const ALL: [&str; 3] = [WAITING, MENTOR, NEW];

fn three_stories(app: &TestApp) {
    tell(
        app,
        WAITING,
        "We stonden maanden op de wachtlijst voor jeugdzorg en niemand belde ons terug.",
    );
    tell(
        app,
        MENTOR,
        "Mijn mentor op school luisterde goed. We praatten in het café om de hoek, dat hielp.",
    );
    tell(
        app,
        NEW,
        "Steeds kwam er iemand anders.Telkens moest ik mijn verhaal opnieuw vertellen.",
    );
}

#[test]
fn words_are_found_as_words_and_the_last_one_as_the_start_of_a_word() {
    let app = spawn_app().with_admin();
    three_stories(&app);
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let b = &begeleider;
    assert_eq!(found(b, "wachtlijst", &ALL), [WAITING]);
    // Case, inflection (the Dutch stem), and a word in the title.
    assert_eq!(found(b, "WACHTLIJSTEN", &ALL), [WAITING]);
    assert_eq!(found(b, "mentor", &ALL), [MENTOR]);
    // The last word may be the start of a word ("jeugd" → "jeugdzorg") …
    assert_eq!(found(b, "jeugd", &ALL), [WAITING]);
    assert_eq!(found(b, "wachtlijst jeugd", &ALL), [WAITING]);
    // … but a piece from the middle of a word is not a word.
    assert_eq!(found(b, "ntor", &ALL), Vec::<String>::new());
    // Every word must be there.
    assert_eq!(found(b, "mentor wachtlijst", &ALL), Vec::<String>::new());
    assert_eq!(found(b, "mentor school", &ALL), [MENTOR]);
    // Accents do not matter, either way round.
    assert_eq!(found(b, "cafe", &ALL), [MENTOR]);
    assert_eq!(found(b, "café", &ALL), [MENTOR]);
    assert_eq!(found(b, "HULPVERLENER", &ALL), [NEW]);
    // A word glued to the one before by a full stop is still a word of its own.
    assert_eq!(found(b, "telkens", &ALL), [NEW]);
    // The counts in the tabs are of the stories found.
    let query = serde_urlencoded::to_string([("filter", "alle"), ("zoek", "mentor")]).unwrap();
    b.get(&format!("{STORIES}?{query}"))
        .assert_contains("Alle verhalen <span class=\"tab-count\">(1)</span>");

    // The analysis story browser searches the same way (an admin sees fewer than k).
    assert_eq!(total(&app.get(&format!("{BROWSER}?zoek=jeugd"))), 1);
    assert_eq!(total(&app.get(&format!("{BROWSER}?zoek=cafe"))), 1);
    assert_eq!(total(&app.get(&format!("{BROWSER}?zoek=ntor"))), 0);
    assert_eq!(total(&app.get(&format!("{BROWSER}?zoek=de"))), 3);
}

#[test]
fn nothing_typed_breaks_the_search() {
    let app = spawn_app().with_admin();
    three_stories(&app);
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let hostile = [
        "\"",
        "\"\"",
        "*",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "NEAR(mentor school, 2)",
        "-",
        "-mentor",
        "'",
        "''",
        "\\",
        "mentor\"",
        "\"mentor",
        "mentor*",
        "^mentor",
        "title:mentor",
        "{title body}: mentor",
        "mentor AND school",
        "mentor OR wachtlijst",
        "(",
        ")",
        "a & b | !c",
        "mentor:*",
        "mentor <-> school",
        "'; DROP TABLE stories; --",
        "%",
        "_",
        "²³",
        "e\u{301}",
        "🙂",
        "中文",
        "\u{0}",
        &"mentor ".repeat(100),
    ];
    for input in hostile {
        let query = serde_urlencoded::to_string([("filter", "alle"), ("zoek", input)]).unwrap();
        let list = begeleider.get(&format!("{STORIES}?{query}"));
        assert_eq!(list.status, 200, "{input:?}: {}", list.body);
        let query = serde_urlencoded::to_string([("zoek", input)]).unwrap();
        let browse = app.get(&format!("{BROWSER}?{query}"));
        assert_eq!(browse.status, 200, "{input:?}: {}", browse.body);
    }
    // Operators are only separators: the words around them still count.
    assert_eq!(found(&begeleider, "\"mentor*", &ALL), [MENTOR]);
    assert_eq!(found(&begeleider, "mentor -school", &ALL), [MENTOR]);
    assert_eq!(
        found(&begeleider, "NEAR(mentor", &ALL),
        Vec::<String>::new()
    );
    assert_eq!(found(&begeleider, "'", &ALL), Vec::<String>::new());
}

/// What the index itself holds for a word, apart from the story list: the FTS5 vocabulary on
/// SQLite, the stored tsvector on PostgreSQL.
fn indexed(db: &Database, word: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = db.conn().unwrap();
    let count = match &mut *conn {
        AnyConnection::Sqlite(c) => {
            diesel::sql_query(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, stories_fts, row)",
            )
            .execute(c)
            .unwrap();
            diesel::sql_query("SELECT COUNT(*) AS n FROM temp.vocab WHERE term = ?")
                .bind::<diesel::sql_types::Text, _>(word)
                .get_result::<Count>(c)
                .unwrap()
        }
        AnyConnection::Postgresql(c) => diesel::sql_query(
            "SELECT COUNT(*) AS n FROM stories WHERE search_vector @@ to_tsquery('dutch', $1)",
        )
        .bind::<diesel::sql_types::Text, _>(word)
        .get_result::<Count>(c)
        .unwrap(),
    };
    count.n
}

#[test]
fn withdrawn_redacted_and_deleted_texts_leave_the_index() {
    let app = spawn_app().with_admin();
    let db = app.database();
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let b = &begeleider;

    // Withdrawal by the teller.
    let thanks = tell(
        &app,
        "Over het zebrapad",
        "Bij het zebrapad voor school wachtte de jeugdarts op mij, dat was fijn geregeld.",
    );
    let titles = ["Over het zebrapad"];
    assert_eq!(found(b, "zebrapad", &titles), titles);
    assert_eq!(indexed(&db, "zebrapad"), 1);
    let code = withdrawal_code(&thanks);
    let form = app.get("/v/jeugdhulp/intrekken");
    let confirm = app.post(
        "/v/jeugdhulp/intrekken",
        &[("csrf", &form.hidden("csrf")), ("code", &code)],
    );
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let done = app.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[
            ("csrf", &confirm.hidden("csrf")),
            ("code", &confirm.hidden("code")),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(found(b, "zebrapad", &titles), Vec::<String>::new());
    let query =
        serde_urlencoded::to_string([("filter", "ingetrokken"), ("zoek", "zebrapad")]).unwrap();
    b.get(&format!("{STORIES}?{query}"))
        .assert_contains("Ingetrokken <span class=\"tab-count\">(0)</span>");
    assert_eq!(indexed(&db, "zebrapad"), 0);
    assert_eq!(indexed(&db, "jeugdarts"), 0);

    // Redaction of a name: the name is gone from the index, the rest is still found.
    let title = "Hulp van de buurvrouw";
    tell(
        &app,
        title,
        "Mevrouw Pietersen van hiernaast hielp ons toen de wachtlijst maar niet korter werd.",
    );
    let id = story_id(&db, title);
    assert_eq!(found(b, "pietersen", &[title]), [title]);
    let path = format!("{STORIES}/{id}");
    let redacted = b.post(
        &format!("{path}/weglakken"),
        &[("csrf", &b.csrf(&path)), ("stukje", "Pietersen")],
    );
    assert_eq!(redacted.status, 303, "{}", redacted.body);
    assert_eq!(found(b, "pietersen", &[title]), Vec::<String>::new());
    assert_eq!(indexed(&db, "pietersen"), 0);
    assert_eq!(found(b, "buurvrouw wachtlijst", &[title]), [title]);

    // Retention: after the period, title and text are deleted, and so are their words.
    retention::run_project(&db, "jeugdhulp", 1, now_unix() + 2 * 86_400).unwrap();
    assert_eq!(found(b, "buurvrouw", &[title]), Vec::<String>::new());
    assert_eq!(indexed(&db, "buurvrouw"), 0);
    assert_eq!(indexed(&db, "wachtlijst"), 0);
}

/// SQLite's index is keyed by the rowids of `stories` (external content): a deleted story
/// leaves the index by the delete trigger, and `VACUUM` must not renumber the rowids (it
/// keeps them for tables with indexes). `search_index::check` compares the index with the
/// stories.
#[test]
fn the_sqlite_index_stays_right_after_a_delete_and_vacuum() {
    let app = spawn_app().with_admin();
    let db = app.database();
    if !matches!(&mut *db.conn().unwrap(), AnyConnection::Sqlite(_)) {
        return;
    }
    three_stories(&app);
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    // The first story told goes, leaving a gap before the others' rowids.
    let first = story_id(&db, WAITING);
    db.write_sync(|conn| {
        diesel::sql_query("DELETE FROM stories WHERE id = ?")
            .bind::<diesel::sql_types::Text, _>(&first)
            .execute(conn)?;
        Ok(())
    })
    .unwrap();
    {
        let mut conn = db.conn().unwrap();
        diesel::sql_query("VACUUM").execute(&mut *conn).unwrap();
        vertelpunt::store::integrity_check(&mut conn).unwrap();
        vertelpunt::store::search_index::check(&mut conn).unwrap();
    }
    assert_eq!(found(&begeleider, "wachtlijst", &ALL), Vec::<String>::new());
    assert_eq!(found(&begeleider, "mentor", &ALL), [MENTOR]);
    assert_eq!(found(&begeleider, "vertellen", &ALL), [NEW]);
    assert_eq!(indexed(&db, "wachtlijst"), 0);
}

/// A story in the SQLite index, made here without the form, so that it can be changed or
/// deleted in the transaction that stores it.
fn pending_story(id: &str, title: &str, body: &str) -> vertelpunt::store::stories::StoryRecord {
    vertelpunt::store::stories::StoryRecord {
        id: id.into(),
        project_slug: "jeugdhulp".into(),
        questionnaire_version: 1,
        participant_id: None,
        role: "jongere".into(),
        title: title.into(),
        body: body.into(),
        language: "nl".into(),
        channel: "online".into(),
        created_at: now_unix(),
        is_complete: true,
        consent_analysis: true,
        consent_quotes: false,
        withdrawal_code_hash: None,
        withdrawn_at: None,
        submission_key: None,
        moderation: Default::default(),
        word_count: None,
    }
}

fn change_body(conn: &mut AnyConnection, id: &str, body: &str) -> diesel::QueryResult<usize> {
    use vertelpunt::store::schema::stories;
    diesel::update(stories::table.filter(stories::id.eq(id)))
        .set(stories::body.eq(body))
        .execute(conn)
}

fn delete_story(conn: &mut AnyConnection, id: &str) -> diesel::QueryResult<usize> {
    use vertelpunt::store::schema::stories;
    diesel::delete(stories::table.filter(stories::id.eq(id))).execute(conn)
}

/// SQLite indexes a new story after it is stored, before the next search or within seconds
/// (`search_index::catch_up`). A story changed or deleted before its turn is indexed as it is
/// then, or not at all; one changed or deleted after it leaves the index by the triggers. The
/// index stays equal to the stories throughout.
#[test]
fn stories_changed_or_deleted_before_they_are_indexed_leave_the_index_right() {
    use vertelpunt::domain::Answers;
    use vertelpunt::store::{search_index, told};
    let app = spawn_app().with_admin();
    let db = app.database();
    if !matches!(&mut *db.conn().unwrap(), AnyConnection::Sqlite(_)) {
        return;
    }
    let b = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let (first, second, third) = ("Verhaal een", "Verhaal twee", "Verhaal drie");
    let titles = [first, second, third];
    // One transaction: the indexing in the background cannot come in between.
    db.write_sync(|conn| {
        let none = Answers::new();
        told::insert_in(
            conn,
            &pending_story("v-pending-1", first, "appelboom"),
            &none,
        )?;
        told::insert_in(
            conn,
            &pending_story("v-pending-2", second, "fietsenmaker"),
            &none,
        )?;
        told::insert_in(
            conn,
            &pending_story("v-pending-3", third, "zeilboot"),
            &none,
        )?;
        change_body(conn, "v-pending-1", "vuurtoren")?;
        delete_story(conn, "v-pending-2")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(found(&b, "appelboom", &titles), Vec::<String>::new());
    assert_eq!(found(&b, "vuurtoren", &titles), [first]);
    assert_eq!(found(&b, "fietsenmaker", &titles), Vec::<String>::new());
    assert_eq!(found(&b, "zeilboot", &titles), [third]);
    assert_eq!(indexed(&db, "appelboom"), 0);
    assert_eq!(indexed(&db, "vuurtoren"), 1);
    assert_eq!(indexed(&db, "fietsenmaker"), 0);
    search_index::check(&mut db.conn().unwrap()).unwrap();

    // Indexed now: a change and a delete go through the triggers.
    assert_eq!(search_index::catch_up(&db).unwrap(), 0);
    db.write_sync(|conn| {
        change_body(conn, "v-pending-1", "molen")?;
        delete_story(conn, "v-pending-3")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(found(&b, "vuurtoren", &titles), Vec::<String>::new());
    assert_eq!(found(&b, "molen", &titles), [first]);
    assert_eq!(found(&b, "zeilboot", &titles), Vec::<String>::new());
    assert_eq!(indexed(&db, "vuurtoren"), 0);
    assert_eq!(indexed(&db, "zeilboot"), 0);
    search_index::check(&mut db.conn().unwrap()).unwrap();
}

/// 2,400 stories, newest last in `created_at`: every third speaks of the waiting list, three
/// of a rare word. A word in that many stories is counted from a sample on both backends (an
/// estimate with its interval) and the page is found newest first; the rare word is counted
/// exactly through the index.
#[test]
fn a_word_in_many_stories_is_estimated_from_a_sample_and_a_rare_one_counted() {
    use vertelpunt::analysis::numbers::count;
    use vertelpunt::store::stories;
    let app = spawn_app().with_admin();
    let db = app.database();
    let start = now_unix() - 10_000;
    let records: Vec<_> = (0..2400)
        .map(|i| {
            let body = match (i % 3, i) {
                (_, 5 | 600 | 2399) => format!("Verhaal {i} over een zeldzaamwoord."),
                (0, _) => format!("Verhaal {i}: we stonden lang op de wachtlijst."),
                _ => format!("Verhaal {i}: de hulp kwam snel."),
            };
            stories::StoryRecord {
                created_at: start + i,
                ..pending_story(&format!("veel-{i:04}"), &format!("Verhaal {i}"), &body)
            }
        })
        .collect();
    db.write_sync(|conn| stories::insert_many(conn, &records, &[]))
        .unwrap();

    let page = app.get(&format!("{BROWSER}?zoek=wachtlijst"));
    assert_eq!(page.status, 200, "{}", page.body);
    // Newest first: the page holds the 20 newest stories with the word, and nothing else.
    let newest: Vec<String> = (0..2400)
        .rev()
        .filter(|i| i % 3 == 0 && ![5, 600, 2399].contains(i))
        .map(|i| format!("Verhaal {i}: we stonden lang op de wachtlijst."))
        .collect();
    for (n, text) in newest.iter().enumerate() {
        assert_eq!(page.body.contains(text.as_str()), n < 20, "{n}: {text}");
    }
    assert!(!page.body.contains("de hulp kwam snel"));
    assert!(page.body.contains("pagina=2"), "a next page");
    let exactly = newest.len();
    // "Ongeveer <strong>N</strong> … tussen LOW en HIGH": the interval holds the count.
    let about = dutch_number_after(&page.body, "Ongeveer <strong>");
    let low = dutch_number_after(&page.body, "ligt vrijwel zeker tussen ");
    let high = dutch_number_after(&page.body, &format!(" tussen {} en ", count(low as u64)));
    assert!(low <= exactly && exactly <= high, "{low} {exactly} {high}");
    assert!(low <= about && about <= high, "{low} {about} {high}");
    assert!(high - low < 300, "a useful interval: {low}–{high}");
    // Page 3 goes on where page 2 stopped.
    let third = app.get(&format!("{BROWSER}?zoek=wachtlijst&pagina=3"));
    for (n, text) in newest.iter().enumerate() {
        assert_eq!(
            third.body.contains(text.as_str()),
            (40..60).contains(&n),
            "{n}"
        );
    }
    // A rare word is counted exactly on both backends.
    let rare = app.get(&format!("{BROWSER}?zoek=zeldzaamwoord"));
    assert_eq!(total(&rare), 3);
    assert!(rare.body.contains("Verhaal 2399 over een zeldzaamwoord."));
}

/// The number written the Dutch way ("1.250") right after `after` in `text`.
fn dutch_number_after(text: &str, after: &str) -> usize {
    let at = text
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} in {text}"))
        + after.len();
    let digits: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

/// The tab counts of the staff list, as `(new, all, hidden)` from "Nieuw (N)", "Alle (N)"
/// and "Verborgen (N)"; `about` tells whether they were shown as estimates.
fn staff_counts(body: &str) -> (usize, usize, usize, bool) {
    let count = |label: &str| {
        let after = format!("{label} <span class=\"tab-count\">(");
        let at = body
            .find(&after)
            .unwrap_or_else(|| panic!("{after} in {body}"))
            + after.len();
        let rest = body[at..].trim_start_matches("ongeveer ");
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<usize>().unwrap()
    };
    (
        count("Nieuw"),
        count("Alle verhalen"),
        count("Verborgen"),
        body.contains("(ongeveer "),
    )
}

/// The staff list at many stories: the tabs count the stories with a common word by estimate,
/// the page shows the newest of them, a rare word is
/// counted exactly; and a story hidden, reviewed or withdrawn after a search is counted in its
/// new tab by the next search (the kept lines follow the change log).
#[test]
fn the_staff_list_counts_a_common_word_per_tab_and_follows_changes() {
    use vertelpunt::store::stories::{self, Moderation};
    let app = spawn_app().with_admin();
    let db = app.database();
    let start = now_unix() - 10_000;
    let records: Vec<_> = (0..2400)
        .map(|i| {
            let body = match (i % 3, i) {
                (_, 5 | 600 | 2399) => format!("Verhaal {i} over een zeldzaamwoord."),
                (0, _) => format!("Verhaal {i}: we stonden lang op de wachtlijst."),
                _ => format!("Verhaal {i}: de hulp kwam snel."),
            };
            stories::StoryRecord {
                created_at: start + i,
                moderation: Moderation {
                    reviewed_at: (i % 2 == 0).then_some(start),
                    hidden_at: (i % 10 == 0).then_some(start),
                    ..Default::default()
                },
                ..pending_story(&format!("veel-{i:04}"), &format!("Verhaal {i}"), &body)
            }
        })
        .collect();
    db.write_sync(|conn| stories::insert_many(conn, &records, &[]))
        .unwrap();
    let waiting: Vec<usize> = (0..2400)
        .filter(|i| i % 3 == 0 && ![5, 600, 2399].contains(i))
        .collect();
    let exact = (
        waiting.iter().filter(|i| *i % 2 == 1).count(),
        waiting.len(),
        waiting.iter().filter(|i| *i % 10 == 0).count(),
    );

    let page = app.get(&format!("{STORIES}?filter=alle&zoek=wachtlijst"));
    assert_eq!(page.status, 200, "{}", page.body);
    // The 50 newest stories with the word, and nothing else.
    for (n, i) in waiting.iter().rev().enumerate() {
        let title = format!(">Verhaal {i}<");
        assert_eq!(page.body.contains(&title), n < 50, "{n}: {title}");
    }
    assert!(page.body.contains("pagina=2"), "a next page");
    let (new, all, hidden, about) = staff_counts(&page.body);
    // From samples of 1,000: well within a tenth of the true counts.
    assert!(about, "estimates are marked");
    page.assert_contains("geschat uit een steekproef");
    for (estimated, true_count) in [(new, exact.0), (all, exact.1), (hidden, exact.2)] {
        assert!(
            estimated.abs_diff(true_count) * 10 <= true_count,
            "{estimated} vs {true_count}"
        );
    }
    // Page 2 of the tab "Nieuw" goes on where page 1 stopped.
    let unreviewed: Vec<&usize> = waiting.iter().rev().filter(|i| *i % 2 == 1).collect();
    let second = app.get(&format!("{STORIES}?filter=nieuw&zoek=wachtlijst&pagina=2"));
    for (n, i) in unreviewed.iter().enumerate() {
        let title = format!(">Verhaal {i}<");
        assert_eq!(second.body.contains(&title), (50..100).contains(&n), "{n}");
    }
    let rare = app.get(&format!("{STORIES}?filter=alle&zoek=zeldzaamwoord"));
    // 5 and 2399 are new, 600 is reviewed and hidden.
    assert_eq!(staff_counts(&rare.body), (2, 3, 1, false));

    // Changes after the search: the newest waiting story is withdrawn, another hidden and
    // reviewed. The rare word's counts show it exactly on both backends.
    let now = now_unix();
    db.write_sync(|conn| {
        stories::withdraw(conn, "veel-2399", now)?;
        stories::hide(conn, "veel-0005", "proef", now)?;
        stories::mark_reviewed(conn, "veel-0005", now)
    })
    .unwrap();
    let rare = app.get(&format!("{STORIES}?filter=alle&zoek=zeldzaamwoord"));
    // veel-2399's text is gone with the withdrawal; veel-0005 is hidden and no longer new.
    assert_eq!(staff_counts(&rare.body), (0, 2, 2, false));
    assert!(!rare.body.contains(">Verhaal 2399<"));
    assert!(rare.body.contains(">Verhaal 5<"));
}

/// Testing a sample or a page of stories one by one (`which_match`: in Rust on SQLite, the
/// stored tsvector on PostgreSQL) finds exactly what the index finds for the same words:
/// inflections, prefixes, accents, capitals, words glued to punctuation, title or text.
#[test]
fn testing_stories_one_by_one_agrees_with_the_index() {
    use vertelpunt::domain::search::terms;
    use vertelpunt::store::{search_index, stories};
    let app = spawn_app().with_admin();
    let db = app.database();
    let texts = [
        ("Wachtlijsten", "Drie maanden op de wachtlijst."),
        ("Café", "We spraken af in het café, bij de jeugdzorg."),
        ("Cafe zonder accent", "Een gesprek in een cafe."),
        ("School", "Mijn mentor op school (en de WACHTTIJD) hielp."),
        ("Geen", "Niets van dit alles: een fijne hulpverlener."),
        (
            "Gesprekken",
            "Veel gesprekken; jeugdhulpverlening-gesprek ook.",
        ),
        ("Leeg", ""),
    ];
    let records: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, (title, body))| pending_story(&format!("een-{i}"), title, body))
        .collect();
    db.write_sync(|conn| stories::insert_many(conn, &records, &[]))
        .unwrap();
    search_index::catch_up(&db).unwrap();
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let queries = [
        "wachtlijsten",
        "wacht",
        "café",
        "cafe",
        "jeugd",
        "gesprekken",
        "gesprek mentor",
        "school wachttijd",
        "hulpverlener",
        "zzz",
    ];
    let mut conn = db.conn().unwrap();
    for query in queries {
        let words = terms(query);
        let mut by_index: Vec<String> = stories::ids_containing(&mut conn, "jeugdhulp", &words)
            .unwrap()
            .into_iter()
            .collect();
        let mut one_by_one = search_index::which_match(&mut conn, &id_refs, &words).unwrap();
        by_index.sort();
        one_by_one.sort();
        assert_eq!(one_by_one, by_index, "{query:?}");
    }
    // The queries are not all trivially empty or full.
    let words = terms("wacht");
    assert_eq!(
        search_index::which_match(&mut conn, &id_refs, &words)
            .unwrap()
            .len(),
        2
    );
}
