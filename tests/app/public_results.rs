//! The public page "Wat is er met de verhalen gedaan?" (issue 23, item 3): off until a
//! begeleider switches it on, it shows only what was published and nothing under k, every
//! change is in the audit log, and a withdrawal code shows the path of that story only.

use crate::helpers::*;
use vertelpunt::domain::sensemaking::{NoteInput, ProposalInput, SessionPlan};
use vertelpunt::exchange::timestamp::now_unix;
use vertelpunt::service::{proposals, sensemaking};

const PROJECT: &str = "jeugdhulp";
const PAGE: &str = "/v/jeugdhulp/resultaten";
const SETTINGS: &str = "/beheer/p/jeugdhulp/resultaten";
const STORY_A: &str = "Ik wachtte drie maanden op een gesprek met iemand van het wijkteam. \
Toen ik eindelijk iemand sprak, luisterde ze echt naar mij.";
const QUOTE_A: &str = "luisterde ze echt naar mij";
const STORY_B: &str =
    "Mijn moeder moest steeds opnieuw ons hele verhaal vertellen aan nieuwe mensen.";
const QUOTE_B: &str = "steeds opnieuw ons hele verhaal vertellen";
const PUBLISHED: &str = "Wachten duurt lang";
const UNPUBLISHED: &str = "Geheime kaart over opnieuw beginnen";
const OWNER: &str = "Femke Geheimnaam";
const OWNER_EMAIL: &str = "femke.geheim@voorbeeld.nl";

/// A teller shares a story on the default project; returns the withdrawal code.
fn tell(app: &TestApp, title: &str, text: &str, quotes: bool) -> String {
    let teller = app.browser();
    let form = teller.open_form("jongere");
    let mut fields = story_fields(&form, "jongere", title, text);
    if quotes {
        fields.push(("toestemming_citaten".into(), "ja".into()));
    }
    let thanks = teller.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    withdrawal_code(&thanks)
}

/// The id of the story with this title.
fn story_id(app: &TestApp, title: &str) -> String {
    use diesel::prelude::*;
    use vertelpunt::store::schema::stories;
    let db = app.database();
    let mut conn = db.conn().expect("conn");
    stories::table
        .filter(stories::title.eq(title))
        .select(stories::id)
        .first(&mut conn)
        .expect("story")
}

/// An observation from scratch with `status`; returns its id.
fn card(begeleider: &Browser, title: &str, status: &str) -> String {
    let list = "/beheer/p/jeugdhulp/observaties";
    let csrf = begeleider.csrf(list);
    let made = begeleider.post(list, &[("csrf", &csrf), ("titel", title)]);
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.header("location").expect("location").to_string();
    let saved = begeleider.post(
        &path,
        &[
            ("csrf", &csrf),
            ("titel", title),
            ("beschrijving", "Veel verhalen gaan over wachten."),
            ("duiding_a", "De wachtlijsten zijn te lang."),
            (
                "duiding_b",
                "Mensen weten niet wat er in de tussentijd kan.",
            ),
            ("thema", "Toegang"),
            ("notities", ""),
            ("status", status),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    path.rsplit('/').next().expect("id").to_string()
}

fn add_story(begeleider: &Browser, card: &str, story: &str, quote: Option<&str>) {
    let path = format!("/beheer/p/jeugdhulp/observaties/{card}");
    let csrf = begeleider.csrf(&path);
    let added = begeleider.post(
        &format!("{path}/verhalen"),
        &[("csrf", &csrf), ("verhaal", story)],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    if let Some(quote) = quote {
        let quoted = begeleider.post(
            &format!("{path}/citaten"),
            &[("csrf", &csrf), ("verhaal", story), ("citaat", quote)],
        );
        assert_eq!(quoted.status, 303, "{}", quoted.body);
    }
}

/// A quote that the service would refuse (its teller did not allow quoting), written
/// straight into the database: the page must still never show it.
fn sneak_quote(app: &TestApp, card: &str, story: &str, text: &str) {
    let db = app.database();
    let mut conn = db.conn().expect("conn");
    vertelpunt::store::observations::insert_quote(
        &mut conn,
        &vertelpunt::store::observations::QuoteRecord {
            id: "QU-ZONDERTOESTEMMING".into(),
            observation_id: card.into(),
            story_id: story.into(),
            text: text.into(),
            created_at: now_unix(),
        },
    )
    .expect("quote");
}

/// A session on 1 December 2026 with two tables; `story` lies on the first; Sam joins it and
/// writes a proposal with an owner. Returns nothing: the page shows what happened.
fn hold_session(app: &TestApp, begeleider: &Browser, card: &str, story: &str) {
    let db = app.database();
    let now = now_unix();
    let planner = crate::proposals::planner();
    let secret = crate::proposals::secret(app);
    let plan = SessionPlan {
        title: "Sessie Noord".into(),
        date: "2026-12-01".into(),
        time: "19:30".into(),
        place: "Buurthuis De Linde".into(),
        ..Default::default()
    }
    .check()
    .expect("valid plan");
    let session =
        sensemaking::create(&db, &planner, &secret, PROJECT, &plan, now).expect("session");
    let path = format!("/beheer/p/jeugdhulp/sessies/{session}");
    let csrf = begeleider.csrf(&path);
    let added = begeleider.post(
        &format!("{path}/tafels"),
        &[("csrf", &csrf), ("naam", "Tafel 2"), ("kleur", "groen")],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let detail = sensemaking::open(&db, &planner, PROJECT, &session).expect("open");
    assert_eq!(detail.tables.len(), 2);
    let table = detail.tables[0].record.id.clone();
    let set = begeleider.post(
        &format!("{path}/tafels/{table}/materiaal"),
        &[("csrf", &csrf), ("kaart", card), ("extra_verhalen", story)],
    );
    assert_eq!(set.status, 303, "{}", set.body);
    let participant =
        sensemaking::join(&db, &detail.record, &table, "Sam", "jongere", now).expect("join");
    let seat = sensemaking::seat(&db, &detail.record, &participant.id)
        .expect("seat")
        .expect("a seat");
    let note = sensemaking::add_note(
        &db,
        &seat,
        &NoteInput {
            kind: "idee".into(),
            body: "elke jongere één vaste persoon geven".into(),
            so_that: "niemand steeds opnieuw hoeft te beginnen.".into(),
            about: String::new(),
        },
        now,
    )
    .expect("note");
    let compose = crate::proposals::owner_composer();
    sensemaking::propose(
        &db,
        &seat,
        None,
        "",
        &ProposalInput {
            title: "Eén vaste contactpersoon".into(),
            action: "elke jongere één vaste contactpersoon geven".into(),
            so_that: "zij niet steeds opnieuw hun verhaal hoeven te doen".into(),
            first_step: "Overleg met de wijkteams".into(),
            owner_name: OWNER.into(),
            owner_email: OWNER_EMAIL.into(),
            level: "lokaal".into(),
        },
        &[format!("notitie:{note}")],
        &proposals::OwnerMail {
            secret: &secret,
            compose: &compose,
        },
        now,
    )
    .expect("proposal");
}

fn switch(begeleider: &Browser, verb: &str) {
    let csrf = begeleider.csrf(SETTINGS);
    let done = begeleider.post(&format!("{SETTINGS}/{verb}"), &[("csrf", &csrf)]);
    assert_eq!(done.status, 303, "{}", done.body);
}

fn publish(begeleider: &Browser, card: &str, verb: &str) -> Page {
    let csrf = begeleider.csrf(SETTINGS);
    begeleider.post(
        &format!("{SETTINGS}/observaties/{card}/{verb}"),
        &[("csrf", &csrf)],
    )
}

/// Posts a code on the public page and returns the answer.
fn look_up(browser: &Browser, code: &str) -> Page {
    let page = browser.get(PAGE);
    assert_eq!(page.status, 200, "{}", page.body);
    browser.post(PAGE, &[("csrf", &page.hidden("csrf")), ("code", code)])
}

struct World {
    app: TestApp,
    begeleider: Browser,
    code_a: String,
    code_b: String,
    published: String,
    unpublished: String,
}

/// Two tellers (A allows quotes, B does not), a published card with A's story and quote, an
/// unpublished ready card with B's story, a concept card, a session where A's story lay on a
/// table, and a proposal with a named owner. The page is switched on.
fn world() -> World {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("b@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let code_a = tell(&app, "Wachten op het wijkteam", STORY_A, true);
    let code_b = tell(&app, "Steeds opnieuw vertellen", STORY_B, false);
    let (a, b) = (
        story_id(&app, "Wachten op het wijkteam"),
        story_id(&app, "Steeds opnieuw vertellen"),
    );
    let published = card(&begeleider, PUBLISHED, "klaar");
    add_story(&begeleider, &published, &a, Some(QUOTE_A));
    sneak_quote(&app, &published, &b, QUOTE_B);
    let unpublished = card(&begeleider, UNPUBLISHED, "klaar");
    add_story(&begeleider, &unpublished, &b, None);
    hold_session(&app, &begeleider, &published, &a);
    World {
        app,
        begeleider,
        code_a,
        code_b,
        published,
        unpublished,
    }
}

#[test]
fn the_page_is_off_until_switched_on_and_shows_only_what_was_published() {
    let w = world();
    // Off: a plain 404, no hint of what would be there, and no link to it.
    let off = w.app.get(PAGE);
    assert_eq!(off.status, 404);
    assert!(!off.body.contains(PUBLISHED) && !off.body.contains("resultaten"));
    assert!(!w.app.get("/v/jeugdhulp").body.contains("/resultaten"));
    let code_post = w.app.post(PAGE, &[("code", &w.code_a)]);
    assert_eq!(code_post.status, 404);

    // A concept card cannot be published; a ready one can.
    let concept = card(&w.begeleider, "Nog niet af", "concept");
    assert_eq!(publish(&w.begeleider, &concept, "publiceren").status, 409);
    assert_eq!(
        publish(&w.begeleider, &w.published, "publiceren").status,
        303
    );
    switch(&w.begeleider, "aanzetten");

    let page = w.app.get(PAGE);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains(PUBLISHED);
    page.assert_contains("De wachtlijsten zijn te lang.");
    page.assert_contains(QUOTE_A);
    // Not published, not allowed to quote, never the stories themselves.
    for hidden in [
        UNPUBLISHED,
        "Nog niet af",
        QUOTE_B,
        "Wachten op het wijkteam",
        STORY_A,
    ] {
        assert!(!page.body.contains(hidden), "{hidden} on the public page");
    }
    // Two stories, under k = 5: no number.
    page.assert_contains("Er zijn minder dan 5 verhalen verteld.");
    assert!(!page.body.contains("Er zijn 2 verhalen"));
    // The session without names, the proposal without its owner.
    page.assert_contains("1 december 2026. Aantal tafels: 2. Aantal deelnemers: 1.");
    assert!(!page.body.contains("Sam"));
    page.assert_contains("Eén vaste contactpersoon");
    page.assert_contains("Nieuw");
    assert!(!page.body.contains(OWNER) && !page.body.contains(OWNER_EMAIL));
    assert!(!page.body.contains("/voorstel/"));
    // The teller's pages link to it now.
    w.app
        .get("/v/jeugdhulp")
        .assert_contains("href=\"/v/jeugdhulp/resultaten\"");
    w.app
        .get("/v/jeugdhulp/intrekken")
        .assert_contains("href=\"/v/jeugdhulp/resultaten\"");

    // Taken off again, the card leaves the page; switched off, the page is gone.
    assert_eq!(
        publish(&w.begeleider, &w.published, "terugtrekken").status,
        303
    );
    assert!(!w.app.get(PAGE).body.contains(PUBLISHED));
    switch(&w.begeleider, "uitzetten");
    assert_eq!(w.app.get(PAGE).status, 404);

    // Every change is in the audit log; a refused one is not.
    assert_eq!(audit_details(&w.app, "observation.publish").len(), 1);
    assert_eq!(audit_details(&w.app, "observation.unpublish").len(), 1);
    assert_eq!(audit_details(&w.app, "results.on").len(), 1);
    assert_eq!(audit_details(&w.app, "results.off").len(), 1);
}

#[test]
fn a_count_of_at_least_k_is_shown() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("b@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    for i in 0..5 {
        tell(&app, &format!("Verhaal {i}"), LONG_STORY, false);
    }
    switch(&begeleider, "aanzetten");
    // The thank-you page links to it now.
    let teller = app.browser();
    let form = teller.open_form("ouder");
    let thanks = teller.post(
        "/v/jeugdhulp/vertel",
        &as_refs(&story_fields(&form, "ouder", "Nog een", LONG_STORY)),
    );
    thanks.assert_contains("href=\"/v/jeugdhulp/resultaten\"");
    let page = app.get(PAGE);
    page.assert_contains("Er zijn 6 verhalen verteld.");
    page.assert_contains("Er is nog geen duidingssessie geweest.");
}

#[test]
fn a_withdrawal_code_shows_the_path_of_that_story_and_nothing_else() {
    let w = world();
    assert_eq!(
        publish(&w.begeleider, &w.published, "publiceren").status,
        303
    );
    switch(&w.begeleider, "aanzetten");

    let teller = w.app.browser();
    let a = look_up(&teller, &w.code_a);
    assert_eq!(a.status, 200, "{}", a.body);
    let path = between(&a.body, "id=\"mijn-verhaal\"", "</div>");
    assert!(
        path.contains("Je verhaal is gelezen in een duidingssessie op 1 december 2026."),
        "{path}"
    );
    assert!(path.contains(PUBLISHED), "{path}");
    assert!(path.contains("Je verhaal is niet weggehaald."), "{path}");
    assert!(!path.contains(UNPUBLISHED) && !path.contains("Steeds opnieuw"));
    assert_eq!(a.header("cache-control"), Some("no-store"));

    // B's story lies on an unpublished card only: "in een observatie", no title, no session.
    let b = look_up(&teller, &w.code_b);
    assert_eq!(b.status, 200, "{}", b.body);
    let path = between(&b.body, "id=\"mijn-verhaal\"", "</div>");
    assert!(
        path.contains("Je verhaal is gebruikt in een observatie."),
        "{path}"
    );
    assert!(path.contains("nog) niet gelezen"), "{path}");
    // (The quote sneaked onto the published card names it; the quote itself stays off.)
    assert!(
        !path.contains(UNPUBLISHED) && !path.contains(QUOTE_A) && !path.contains("Wachten op"),
        "{path}"
    );
    assert!(!b.body.contains(&w.unpublished));

    // A wrong code: the withdrawal form's own message, no path.
    let wrong = look_up(&teller, "ABCD-EFGH-JKMN");
    assert_eq!(wrong.status, 404);
    wrong.assert_contains("We vinden geen verhaal met deze code.");
    assert!(!wrong.body.contains("id=\"mijn-verhaal\""));
    let malformed = look_up(&teller, "hallo");
    assert_eq!(malformed.status, 422);

    // Withdrawn, the code finds nothing any more.
    let form = teller.get("/v/jeugdhulp/intrekken");
    let gone = teller.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[("csrf", &form.hidden("csrf")), ("code", &w.code_a)],
    );
    assert_eq!(gone.status, 200, "{}", gone.body);
    gone.assert_contains("href=\"/v/jeugdhulp/resultaten\"");
    assert_eq!(look_up(&teller, &w.code_a).status, 404);
    // …and its quote left the page with it.
    assert!(!teller.get(PAGE).body.contains(QUOTE_A));

    // `db copy` takes the switch and the published card along.
    let (target, _dir) = new_database();
    vertelpunt::service::transfer::copy_database(&w.app.db_url, &target).expect("copy");
    let copy = vertelpunt::store::Database::open(&target, 2).expect("copy opens");
    let page = vertelpunt::service::public_results::page(&copy, PROJECT, now_unix())
        .expect("page")
        .expect("switched on in the copy");
    let titles: Vec<&str> = page
        .observations
        .iter()
        .map(|o| o.record.title.as_str())
        .collect();
    assert_eq!(titles, [PUBLISHED]);
}

#[test]
fn the_page_and_the_path_render_in_every_language() {
    let w = world();
    assert_eq!(
        publish(&w.begeleider, &w.published, "publiceren").status,
        303
    );
    switch(&w.begeleider, "aanzetten");
    let nl: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/locales/nl.json", env!("CARGO_MANIFEST_DIR")))
            .expect("nl"),
    )
    .expect("json");
    for (lang, dir) in [
        ("nl", "ltr"),
        ("en", "ltr"),
        ("ar", "rtl"),
        ("tr", "ltr"),
        ("pl", "ltr"),
        ("uk", "ltr"),
    ] {
        let browser = w.app.browser();
        let page = browser.get(&format!("{PAGE}?taal={lang}"));
        assert_eq!(page.status, 200, "{lang}: {}", page.body);
        page.assert_contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">"));
        let texts: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!(
                "{}/locales/{lang}.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .expect("locale"),
        )
        .expect("json");
        page.assert_contains(&escape(texts["results.title"].as_str().expect("title")));
        let path = look_up(&browser, &w.code_a);
        assert_eq!(path.status, 200, "{lang}: {}", path.body);
        if lang == "nl" {
            continue;
        }
        // No Dutch text of this page outside a part marked lang="nl".
        for (key, value) in nl.as_object().expect("texts") {
            if !key.starts_with("results.") {
                continue;
            }
            let dutch = escape(value.as_str().expect("text"));
            let dutch = dutch.split('{').next().unwrap_or_default().trim();
            if dutch.len() < 8 || texts[key].as_str() == value.as_str() {
                continue;
            }
            for body in [&page.body, &path.body] {
                assert!(!body.contains(dutch), "{lang}: Dutch {key} on the page");
            }
        }
        // The project's own Dutch texts carry lang="nl".
        let nl_attr = if dir == "rtl" {
            " lang=\"nl\" dir=\"ltr\">"
        } else {
            " lang=\"nl\">"
        };
        for body in [&page.body, &path.body] {
            assert!(
                body.contains(&format!("{nl_attr}{PUBLISHED}</h3>")),
                "{lang}: the card's title is marked Dutch"
            );
        }
        assert!(
            path.body
                .contains(&format!("<span{nl_attr}“{PUBLISHED}”</span>")),
            "{lang}: {}",
            path.body
        );
    }
}

#[test]
fn a_published_cards_figures_leave_out_groups_under_k() {
    let (app, begeleider, _) = crate::observations::setup();
    let path = crate::observations::from_pattern(&begeleider);
    let id = path.rsplit('/').next().expect("id").to_string();
    let csrf = begeleider.csrf(&path);
    let saved = begeleider.post(
        &path,
        &[
            ("csrf", &csrf),
            ("titel", "Gehoord worden per rol"),
            (
                "beschrijving",
                "Niet iedereen voelt zich even goed gehoord.",
            ),
            ("duiding_a", "Ouders worden minder vaak gehoord."),
            ("duiding_b", "Jongeren durven minder te zeggen."),
            ("thema", "Gehoord"),
            ("notities", ""),
            ("status", "klaar"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    // The card's groups and their sizes, as the card draws them.
    let db = app.database();
    let detail =
        vertelpunt::service::observations::read(&mut db.conn().expect("conn"), "demo", &id)
            .expect("card");
    let snapshot = detail.snapshot.expect("figures");
    let rows: Vec<(String, u64)> =
        match vertelpunt::web::views::card::figures(&snapshot, None).chart {
            Some(vertelpunt::pdf::CardChart::Bands { rows, .. }) => {
                rows.iter().map(|r| (r.label.clone(), r.n())).collect()
            }
            other => panic!("a slider by role draws bands: {other:?}"),
        };
    let smallest = rows.iter().map(|r| r.1).min().expect("rows");
    // A k above the smallest group (at most 100, the highest k a project can set).
    let k = rows
        .iter()
        .map(|r| r.1)
        .filter(|&n| n > smallest && n <= 100)
        .max()
        .expect("groups of different sizes");
    let csrf = begeleider.csrf("/beheer/p/demo/privacy");
    let set = begeleider.post(
        "/beheer/p/demo/privacy",
        &[
            ("csrf", &csrf),
            ("k", &k.to_string()),
            ("groepen", ""),
            ("termen", ""),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.body);
    let settings = "/beheer/p/demo/resultaten";
    let csrf = begeleider.csrf(settings);
    for action in [format!("observaties/{id}/publiceren"), "aanzetten".into()] {
        let done = begeleider.post(&format!("{settings}/{action}"), &[("csrf", &csrf)]);
        assert_eq!(done.status, 303, "{}", done.body);
    }
    let page = app.get("/v/demo/resultaten");
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("Gehoord worden per rol");
    page.assert_contains(&format!(
        "Groepen met minder dan {k} verhalen laten we niet zien."
    ));
    for (label, n) in &rows {
        let row = format!("<th scope=\"row\">{}</th>", escape(label));
        if *n < k {
            assert!(
                !page.body.contains(&row),
                "{label} ({n} < {k}) is on the page"
            );
        } else {
            page.assert_contains(&row);
        }
    }
}
