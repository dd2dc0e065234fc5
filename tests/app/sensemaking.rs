//! Duidingssessies: planning, joining, notes, live updates, clustering, voting, proposals,
//! the report and the access rules.

use crate::helpers::*;

/// A project "demo" with fictitious stories, a begeleider, and one ready observation card.
pub(crate) fn setup() -> (TestApp, Browser, String) {
    setup_with(|_| {})
}

fn setup_with(adjust: impl FnOnce(&mut vertelpunt::config::Config)) -> (TestApp, Browser, String) {
    let app = spawn_app_with(adjust).with_admin();
    let out = crate::cli::vertelpunt(&app.db_url, &["demo", "--stories", "60", "--seed", "5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("demo", "begeleider")]);
    let card = ready_card(&begeleider, "Wachten duurt lang");
    (app, begeleider, card)
}

/// Makes an observation from scratch and sets it ready; returns its id.
pub(crate) fn ready_card(begeleider: &Browser, title: &str) -> String {
    let csrf = begeleider.csrf("/beheer/p/demo/observaties");
    let made = begeleider.post(
        "/beheer/p/demo/observaties",
        &[("csrf", &csrf), ("titel", title)],
    );
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
            ("status", "klaar"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    path.rsplit('/').next().expect("id").to_string()
}

/// Every value of `name="{field}" value="…"` on a page, in order.
fn values(page: &Page, field: &str) -> Vec<String> {
    let marker = format!("name=\"{field}\" value=\"");
    page.body
        .match_indices(&marker)
        .map(|(at, _)| {
            let rest = &page.body[at + marker.len()..];
            unescape(&rest[..rest.find('"').expect("quote")])
        })
        .collect()
}

/// Some story ids of the demo project, from the story browser.
pub(crate) fn some_stories(begeleider: &Browser, n: usize) -> Vec<String> {
    let page = begeleider.get("/beheer/p/demo/verkennen");
    let mut ids: Vec<String> = page
        .body
        .match_indices("VP-")
        .map(|(at, _)| {
            page.body[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .filter(|id: &String| id.len() > 5)
        .collect();
    ids.dedup();
    let mut unique = Vec::new();
    for id in ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    assert!(unique.len() >= n, "only {} stories found", unique.len());
    unique.truncate(n);
    unique
}

pub(crate) struct Planned {
    pub path: String,
    pub code: String,
    pub tables: Vec<String>,
}

/// Plans a session with two tables; table 1 reads `card`.
pub(crate) fn plan(begeleider: &Browser, card: &str) -> Planned {
    let csrf = begeleider.csrf("/beheer/p/demo/sessies");
    let made = begeleider.post(
        "/beheer/p/demo/sessies",
        &[
            ("csrf", &csrf),
            ("titel", "Duidingssessie Noord"),
            ("datum", "2026-12-01"),
            ("tijd", "19:30"),
            ("plaats", "Buurthuis De Linde"),
            ("doel", "Samen kijken naar wachten op hulp."),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.header("location").expect("location").to_string();
    let added = begeleider.post(
        &format!("{path}/tafels"),
        &[("csrf", &csrf), ("naam", "Tafel 2"), ("kleur", "groen")],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let page = begeleider.get(&path);
    page.assert_contains("dinsdag 1 december 2026, 19:30");
    assert_eq!(page.status, 200, "{}", page.body);
    let body = unescape(&page.body);
    let link_at = body
        .find("/s/")
        .unwrap_or_else(|| panic!("no join link: {body}"));
    let code: String = body[link_at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    assert_eq!(code.len(), 20, "{code}");
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
    assert_eq!(tables.len(), 2, "{tables:?}");
    let set = begeleider.post(
        &format!("{path}/tafels/{}/materiaal", tables[0]),
        &[("csrf", &csrf), ("kaart", card)],
    );
    assert_eq!(set.status, 303, "{}", set.body);
    Planned { path, code, tables }
}

/// A participant joins `table` under `name`; returns their browser.
pub(crate) fn join(app: &TestApp, code: &str, table: &str, name: &str) -> Browser {
    let browser = app.browser();
    let form = browser.get(&format!("/s/{code}"));
    assert_eq!(form.status, 200, "{}", form.body);
    let joined = browser.post(
        &format!("/s/{code}"),
        &[
            ("csrf", &form.hidden("csrf")),
            ("tafel", table),
            ("naam", name),
            ("perspectief", "jongere"),
        ],
    );
    assert_eq!(joined.status, 303, "{}", joined.body);
    assert_eq!(
        joined.header("location"),
        Some(&*format!("/s/{code}/tafel"))
    );
    browser
}

pub(crate) fn note(browser: &Browser, code: &str, text: &str) -> Page {
    let csrf = browser.csrf(&format!("/s/{code}/tafel"));
    note_with(browser, code, text, &csrf)
}

fn note_with(browser: &Browser, code: &str, text: &str, csrf: &str) -> Page {
    browser.post(
        &format!("/s/{code}/notities"),
        &[
            ("csrf", csrf),
            ("soort", "idee"),
            ("tekst", text),
            ("zodat", "jongeren weten waar ze aan toe zijn."),
            ("over", ""),
        ],
    )
}

fn revision(browser: &Browser, code: &str) -> i64 {
    let page = browser.get(&format!("/s/{code}/tafel/stand"));
    assert_eq!(page.status, 200, "{}", page.body);
    let json: serde_json::Value = serde_json::from_str(&page.body).expect("json");
    json["revision"].as_i64().expect("revision")
}

#[test]
fn a_session_is_planned_and_warns_when_a_table_gets_too_much_to_read() {
    let (_app, begeleider, card) = setup();
    // A plan with problems comes back with every message and what was typed.
    let csrf = begeleider.csrf("/beheer/p/demo/sessies");
    let refused = begeleider.post(
        "/beheer/p/demo/sessies",
        &[
            ("csrf", &csrf),
            ("titel", ""),
            ("datum", "1 december"),
            ("tijd", "19:30"),
            ("plaats", "Buurthuis De Linde"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Vul de naam van de sessie in.");
    refused.assert_contains("Vul de datum in als jaar-maand-dag");
    refused.assert_contains("value=\"Buurthuis De Linde\"");

    let planned = plan(&begeleider, &card);
    let stories = some_stories(&begeleider, 11);
    let csrf = begeleider.csrf(&planned.path);
    let too_many = begeleider.post(
        &format!("{}/tafels/{}/materiaal", planned.path, planned.tables[1]),
        &[
            ("csrf", &csrf),
            ("kaart", &card),
            ("extra_verhalen", &stories.join(" ")),
        ],
    );
    assert_eq!(too_many.status, 303, "{}", too_many.body);
    let page = begeleider.get(&planned.path);
    page.assert_contains("Deze tafel heeft 11 verhalen.");
    // An unknown story is refused with its number, and nothing is changed.
    let unknown = begeleider.post(
        &format!("{}/tafels/{}/materiaal", planned.path, planned.tables[1]),
        &[("csrf", &csrf), ("extra_verhalen", "VP-BESTAATNIET")],
    );
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    unknown.assert_contains("Verhaal VP-BESTAATNIET bestaat niet in dit project");
    begeleider
        .get(&planned.path)
        .assert_contains("Deze tafel heeft 11 verhalen.");
}

#[test]
fn a_table_writes_notes_clusters_votes_and_a_proposal_and_others_see_it_live() {
    let (app, begeleider, card) = setup();
    let Planned { path, code, tables } = plan(&begeleider, &card);

    // Joining without a name keeps the choices and says what is missing.
    let stranger = app.browser();
    let form = stranger.get(&format!("/s/{code}"));
    let refused = stranger.post(
        &format!("/s/{code}"),
        &[
            ("csrf", &form.hidden("csrf")),
            ("tafel", &tables[0]),
            ("naam", " "),
            ("perspectief", "ouder"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Vul een naam in.");
    refused
        .assert_contains("id=\"perspectief-ouder\" name=\"perspectief\" value=\"ouder\" checked");

    let sam = join(&app, &code, &tables[0], "Sam");
    let noor = join(&app, &code, &tables[0], "Noor");
    let other = join(&app, &code, &tables[1], "Kim");
    let table = sam.get(&format!("/s/{code}/tafel"));
    table.assert_contains("Kaart: Wachten duurt lang");
    table.assert_contains("De wachtlijsten zijn te lang.");

    // A note appears on the board of the other member of the table, not at another table.
    let before = revision(&noor, &code);
    let posted = note(&sam, &code, "eerder laten weten hoe lang het wachten duurt");
    assert_eq!(posted.status, 303, "{}", posted.body);
    let location = posted.header("location").expect("location").to_string();
    let note_id = location
        .rsplit("#notitie-")
        .next()
        .expect("note id")
        .to_string();
    assert!(revision(&noor, &code) > before);
    let board = noor.get(&format!("/s/{code}/tafel/bord"));
    board.assert_contains(&format!("id=\"notitie-{note_id}\""));
    board.assert_contains(
        "We zouden eigenlijk eerder laten weten hoe lang het wachten duurt moeten doen, zodat jongeren weten waar ze aan toe zijn.",
    );
    assert!(!other
        .get(&format!("/s/{code}/tafel/bord"))
        .body
        .contains(&note_id));

    // Text is escaped; an empty or too long note gets a plain message and keeps the text.
    let xss = note(&noor, &code, "<script>alert(1)</script> beter luisteren");
    assert_eq!(xss.status, 303);
    let board = sam.get(&format!("/s/{code}/tafel/bord"));
    board.assert_contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;");
    assert!(!board.body.contains("<script>alert(1)"));
    // The begeleider sees the table's board and can take a note away.
    let xss_id = xss
        .header("location")
        .and_then(|l| l.rsplit("#notitie-").next())
        .expect("note id")
        .to_string();
    let table_path = format!("{path}/tafels/{}", tables[0]);
    let seen = begeleider.get(&table_path);
    seen.assert_contains(&format!("id=\"notitie-{xss_id}\""));
    let removed = begeleider.post(
        &format!("{table_path}/notities/{xss_id}/weg"),
        &[("csrf", &seen.hidden("csrf"))],
    );
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert!(!sam
        .get(&format!("/s/{code}/tafel/bord"))
        .body
        .contains(&xss_id));
    let empty = note(&sam, &code, "   ");
    assert_eq!(empty.status, 422, "{}", empty.body);
    empty.assert_contains("Vul wat we zouden moeten doen in.");
    let long_text = "heel lang ".repeat(500);
    let long = note(&sam, &code, &long_text);
    assert_eq!(long.status, 422);
    long.assert_contains("5000 tekens");
    long.assert_contains(&long_text);

    // Clustering: a named group with the first note in it.
    let csrf = sam.csrf(&format!("/s/{code}/tafel"));
    let clustered = sam.post(
        &format!("/s/{code}/groepen"),
        &[
            ("csrf", &csrf),
            ("naam", "Duidelijkheid"),
            ("notitie", &note_id),
        ],
    );
    assert_eq!(clustered.status, 303, "{}", clustered.body);
    let cluster = clustered
        .header("location")
        .and_then(|l| l.rsplit("#groep-").next())
        .expect("cluster id")
        .to_string();
    let board = noor.get(&format!("/s/{code}/tafel/bord"));
    let group_at = board
        .body
        .find(&format!("id=\"groep-{cluster}\""))
        .expect("group");
    let note_at = board
        .body
        .find(&format!("id=\"notitie-{note_id}\""))
        .expect("note");
    assert!(note_at > group_at, "the note is in the group");

    // Voting: three votes each, the fourth is refused.
    let csrf = noor.csrf(&format!("/s/{code}/tafel"));
    for _ in 0..3 {
        let voted = noor.post(
            &format!("/s/{code}/groepen/{cluster}/stem"),
            &[("csrf", &csrf), ("richting", "op")],
        );
        assert_eq!(voted.status, 303, "{}", voted.body);
    }
    let fourth = noor.post(
        &format!("/s/{code}/groepen/{cluster}/stem"),
        &[("csrf", &csrf), ("richting", "op")],
    );
    assert_eq!(fourth.status, 409);
    fourth.assert_contains("Je hebt al je 3 stemmen gegeven.");
    crate::cockpit::show_votes(&begeleider, &path, true);
    sam.get(&format!("/s/{code}/tafel/bord"))
        .assert_contains("3 stemmen");

    // Nobody changes another table's notes, nor deletes someone else's.
    let csrf = other.csrf(&format!("/s/{code}/tafel"));
    let moved = other.post(
        &format!("/s/{code}/notities/{note_id}/groep"),
        &[("csrf", &csrf), ("groep", "")],
    );
    assert_eq!(moved.status, 404);
    let csrf = noor.csrf(&format!("/s/{code}/tafel"));
    let deleted = noor.post(
        &format!("/s/{code}/notities/{note_id}/weg"),
        &[("csrf", &csrf)],
    );
    assert_eq!(deleted.status, 403);

    // A proposal from the cluster, with a refused first try that keeps what was typed.
    let csrf = sam.csrf(&format!("/s/{code}/tafel"));
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("groep", cluster.as_str()),
        ("titel", "Wachttijd eerlijk melden"),
        ("wat", "bij de aanmelding meteen de echte wachttijd noemen"),
        ("zodat", "jongeren en ouders weten waar ze aan toe zijn"),
        ("eerste_stap", "Navragen bij de aanbieders in december"),
        ("eigenaar", "Femke (gemeente)"),
        ("eigenaar_email", "femke@"),
        ("niveau", "regionaal"),
    ];
    let card_source = format!("kaart:{card}");
    fields.push(("bron", card_source.as_str()));
    let bad = sam.post(&format!("/s/{code}/voorstellen"), &fields);
    assert_eq!(bad.status, 422, "{}", bad.body);
    bad.assert_contains("Dit e-mailadres klopt niet.");
    bad.assert_contains("bij de aanmelding meteen de echte wachttijd noemen");
    bad.assert_contains(&format!("value=\"kaart:{card}\" checked"));
    fields[7] = ("eigenaar_email", "femke@voorbeeld.nl");
    let proposed = sam.post(&format!("/s/{code}/voorstellen"), &fields);
    assert_eq!(proposed.status, 303, "{}", proposed.body);
    noor.get(&format!("/s/{code}/tafel/bord"))
        .assert_contains("Wachttijd eerlijk melden");
    let proposal = proposed
        .header("location")
        .and_then(|l| l.rsplit("#voorstel-").next())
        .expect("proposal id")
        .to_string();
    // It grew from the cluster's note and the ticked card; the follow-up page says so.
    let followed = begeleider.get(&format!("/beheer/p/demo/voorstellen/{proposal}"));
    assert_eq!(followed.status, 200, "{}", followed.body);
    followed.assert_contains(&format!("Observatiekaart {card}"));
    followed.assert_contains("eerder laten weten hoe lang het wachten duurt");

    // The report, as a page and as a PDF.
    let report = begeleider.get(&format!("{path}/verslag"));
    assert_eq!(report.status, 200, "{}", report.body);
    report.assert_contains("Duidelijkheid");
    report.assert_contains("Wachttijd eerlijk melden");
    report.assert_contains("Femke (gemeente)");
    report.assert_contains("Kaart: Wachten duurt lang");
    let (status, content_type, pdf) = begeleider.get_bytes(&format!("{path}/verslag.pdf"));
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&pdf).trim_end().ends_with("%%EOF"));
    if let Some(text) = crate::observations::pdf_text(&pdf) {
        assert!(text.contains("Wachttijd eerlijk"), "{text}");
        assert!(text.contains("Duidelijkheid"), "{text}");
    }

    // Closing: the table can still be read, but not changed; the card counts as used.
    let sam_csrf = sam.csrf(&format!("/s/{code}/tafel"));
    let csrf = begeleider.csrf(&path);
    let closed = begeleider.post(&format!("{path}/sluiten"), &[("csrf", &csrf)]);
    assert_eq!(closed.status, 303, "{}", closed.body);
    let late = note_with(&sam, &code, "nog een idee", &sam_csrf);
    assert_eq!(late.status, 409, "{}", late.body);
    late.assert_contains("Deze sessie is gesloten.");
    // Nobody is invited to a closed session; the addresses typed stay in the form.
    let invited = begeleider.post(
        &format!("{path}/uitnodigen"),
        &[("csrf", &csrf), ("adressen", "later@voorbeeld.nl")],
    );
    assert_eq!(invited.status, 422, "{}", invited.body);
    invited.assert_contains("Deze duidingssessie is gesloten: meedoen kan niet meer.");
    invited.assert_contains("later@voorbeeld.nl");
    let read_only = sam.get(&format!("/s/{code}/tafel"));
    read_only.assert_contains("Je kunt alles nog lezen, maar niets meer veranderen.");
    assert!(!read_only.body.contains("action=\"/s/"));
    begeleider
        .get(&format!("/beheer/p/demo/observaties/{card}"))
        .assert_contains("Gebruikt in een sessie");
    sam.get(&format!("/s/{code}/verslag"))
        .assert_contains("Wachttijd eerlijk melden");
}

#[test]
fn a_closed_session_can_switch_its_link_off_and_a_new_link_replaces_the_old() {
    let (app, begeleider, card) = setup();
    let Planned { path, code, tables } = plan(&begeleider, &card);
    let sam = join(&app, &code, &tables[0], "Sam");
    let csrf = begeleider.csrf(&path);
    let saved = begeleider.post(
        &path,
        &[
            ("csrf", &csrf),
            ("titel", "Duidingssessie Noord"),
            ("datum", "2026-12-01"),
            ("tijd", "19:30"),
            ("na_sluiten", "uit"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    begeleider.post(&format!("{path}/sluiten"), &[("csrf", &csrf)]);
    assert_eq!(sam.get(&format!("/s/{code}/tafel")).status, 410);
    assert_eq!(app.browser().get(&format!("/s/{code}")).status, 410);
    // Open again, and renew the link: the old code no longer opens anything.
    begeleider.post(&format!("{path}/openen"), &[("csrf", &csrf)]);
    assert_eq!(sam.get(&format!("/s/{code}/tafel")).status, 200);
    let renewed = begeleider.post(&format!("{path}/nieuwe-link"), &[("csrf", &csrf)]);
    assert_eq!(renewed.status, 303);
    begeleider
        .get(&path)
        .assert_contains("Er is een nieuwe link. De oude link werkt niet meer.");
    assert!(!begeleider
        .get(&path)
        .body
        .contains("Er is een nieuwe link."));
    assert_eq!(app.browser().get(&format!("/s/{code}")).status, 404);
}

#[test]
fn unknown_codes_are_limited_and_only_begeleiders_change_sessions() {
    let (app, begeleider, card) = setup();
    let Planned { path, .. } = plan(&begeleider, &card);
    let guesser = app.browser();
    let statuses: Vec<u16> = (0..25)
        .map(|i| guesser.get(&format!("/s/RADEN{i:015}")).status)
        .collect();
    assert_eq!(statuses[0], 404);
    assert_eq!(*statuses.last().expect("some"), 429, "{statuses:?}");

    let onderzoeker = app.user_browser("o@voorbeeld.nl", &[("demo", "onderzoeker")]);
    let page = onderzoeker.get(&path);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("Bewaar het materiaal"));
    let csrf = page.hidden("csrf");
    let refused = onderzoeker.post(&format!("{path}/sluiten"), &[("csrf", &csrf)]);
    assert_eq!(refused.status, 403);
    let stranger = app.user_browser("x@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    assert_eq!(stranger.get(&path).status, 403);
    assert_eq!(stranger.get("/beheer/p/demo/sessies").status, 403);
}

#[test]
fn invitations_carry_the_join_link_and_proposals_can_be_reopened_later() {
    let sink = SmtpSink::start();
    let (app, begeleider, card) = setup_with(|config| sink.configure(config));
    let Planned { path, code, tables } = plan(&begeleider, &card);
    let csrf = begeleider.csrf(&path);
    let wrong = begeleider.post(
        &format!("{path}/uitnodigen"),
        &[("csrf", &csrf), ("adressen", "a@voorbeeld.nl\nniet-goed")],
    );
    assert_eq!(wrong.status, 422);
    wrong.assert_contains("Deze adressen kloppen niet: niet-goed.");
    wrong.assert_contains("a@voorbeeld.nl\nniet-goed");
    let sent = begeleider.post(
        &format!("{path}/uitnodigen"),
        &[
            ("csrf", &csrf),
            ("adressen", "a@voorbeeld.nl, b@voorbeeld.nl"),
        ],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    // The confirmation shows once: not again on a reload.
    let location = sent.header("location").expect("location").to_string();
    assert!(!location.contains('?'), "{location}");
    begeleider
        .get(&location)
        .assert_contains("De 2 uitnodigingen worden verstuurd.");
    let again = begeleider.get(&location);
    assert!(
        !again.body.contains("uitnodigingen worden verstuurd"),
        "{}",
        again.body
    );
    let mail = sink.wait_for_mail_to("b@voorbeeld.nl");
    assert_eq!(mail.subject, "Uitnodiging: Duidingssessie Noord");
    assert!(mail.text.contains(&format!("/s/{code}")), "{}", mail.text);
    assert!(mail.text.contains("dinsdag 1 december 2026, 19:30"));
    // The mail names who invited and the project.
    let inviter = app
        .database()
        .conn()
        .ok()
        .and_then(|mut c| {
            vertelpunt::store::accounts::find_user_by_email(&mut c, "b@voorbeeld.nl")
                .ok()
                .flatten()
        })
        .map(|u| u.display_name)
        .expect("the begeleider's account");
    assert!(
        mail.text
            .contains(&format!("{inviter} nodigt je uit voor de duidingssessie")),
        "{}",
        mail.text
    );
    assert!(mail.html.contains(&inviter), "{}", mail.html);
    assert!(mail.text.contains(" van Demo"), "{}", mail.text);
    sink.wait_for_mail_to("a@voorbeeld.nl");

    // A proposal of this session is put on a table of the next one.
    let sam = join(&app, &code, &tables[0], "Sam");
    let csrf_sam = sam.csrf(&format!("/s/{code}/tafel"));
    let proposed = sam.post(
        &format!("/s/{code}/voorstellen"),
        &[
            ("csrf", &csrf_sam),
            ("titel", "Wachttijd eerlijk melden"),
            ("wat", "de echte wachttijd noemen"),
            ("zodat", "mensen weten waar ze aan toe zijn"),
            ("eerste_stap", "Navragen"),
            ("eigenaar", "Femke"),
            ("niveau", "lokaal"),
        ],
    );
    assert_eq!(proposed.status, 303, "{}", proposed.body);
    let proposal = proposed
        .header("location")
        .and_then(|l| l.rsplit("#voorstel-").next())
        .expect("proposal")
        .to_string();
    let next = plan(&begeleider, &card);
    let reopened = begeleider.post(
        &format!("{}/tafels/{}/materiaal", next.path, next.tables[1]),
        &[("csrf", &csrf), ("voorstel", &proposal)],
    );
    assert_eq!(reopened.status, 303, "{}", reopened.body);
    let kim = join(&app, &next.code, &next.tables[1], "Kim");
    kim.get(&format!("/s/{}/tafel", next.code))
        .assert_contains("Eerder voorstel: Wachttijd eerlijk melden");
    let db = app.database();
    let updates = {
        let mut conn = db.conn().expect("conn");
        vertelpunt::store::proposals::updates(&mut conn, &proposal).expect("updates")
    };
    assert_eq!(updates.len(), 2, "{updates:?}");
    assert!(
        updates
            .iter()
            .any(|u| u.body.contains("Heropend in de sessie")),
        "{updates:?}"
    );
    assert!(values(&begeleider.get(&next.path), "voorstel").contains(&proposal));
}

#[test]
fn db_copy_takes_sessions_notes_votes_and_proposals_along() {
    let (app, begeleider, card) = setup();
    let Planned { code, tables, .. } = plan(&begeleider, &card);
    let sam = join(&app, &code, &tables[0], "Sam");
    let posted = note(&sam, &code, "vaker samen plannen");
    let note_id = posted
        .header("location")
        .and_then(|l| l.rsplit("#notitie-").next())
        .expect("note")
        .to_string();
    let csrf = sam.csrf(&format!("/s/{code}/tafel"));
    let clustered = sam.post(
        &format!("/s/{code}/groepen"),
        &[("csrf", &csrf), ("naam", "Samen"), ("notitie", &note_id)],
    );
    let cluster = clustered
        .header("location")
        .and_then(|l| l.rsplit("#groep-").next())
        .expect("cluster")
        .to_string();
    sam.post(
        &format!("/s/{code}/groepen/{cluster}/stem"),
        &[("csrf", &csrf), ("richting", "op")],
    );
    let proposed = sam.post(
        &format!("/s/{code}/voorstellen"),
        &[
            ("csrf", &csrf),
            ("groep", &cluster),
            ("titel", "Samen plannen"),
            ("wat", "plannen samen met de jongere maken"),
            ("zodat", "de jongere meebeslist"),
            ("eerste_stap", "Bespreken in het teamoverleg"),
            ("eigenaar", "Ali"),
            ("niveau", "lokaal"),
        ],
    );
    assert_eq!(proposed.status, 303, "{}", proposed.body);

    let (target, _dir) = new_database();
    let copied = vertelpunt::service::transfer::copy_database(&app.db_url, &target).expect("copy");
    // A session, 2 tables, 1 card, 1 participant, 1 cluster, 1 note, 1 vote, 1 proposal with
    // its note as source and its first update.
    assert_eq!(
        copied.sessions,
        1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1,
        "{copied:?}"
    );
    let on_copy = spawn_app_on(target, tempfile::tempdir().expect("dir"), |_| {});
    let board = on_copy.browser().get(&format!("/s/{code}"));
    assert_eq!(board.status, 200, "the join link works on the copy");
}

/// Takes a database back to the schema before the tables were renamed (staff logins in
/// `sessions`, duidingssessies in `duiding_sessions` …), as an installation that has not been
/// upgraded has it.
fn back_to_the_old_table_names(url: &vertelpunt::store::DatabaseUrl) {
    use diesel_migrations::MigrationHarness;
    use vertelpunt::store::{AnyConnection, Manager, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
    let mut conn = Manager::connect_once(url).expect("connect");
    loop {
        let reverted = match &mut conn {
            AnyConnection::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS),
            AnyConnection::Postgresql(c) => c.revert_last_migration(POSTGRES_MIGRATIONS),
        }
        .expect("revert a migration")
        .to_string();
        if reverted.starts_with("20261201000001") {
            break;
        }
    }
    use diesel::prelude::*;
    for old in [
        "sessions",
        "duiding_sessions",
        "session_tables",
        "session_notes",
    ] {
        diesel::sql_query(format!("SELECT 1 FROM {old} LIMIT 1"))
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("{old} is back: {e}"));
    }
}

#[test]
fn db_copy_moves_a_database_from_before_the_table_renames() {
    let (app, begeleider, card) = setup();
    let Planned { code, tables, .. } = plan(&begeleider, &card);
    let sam = join(&app, &code, &tables[0], "Sam");
    assert_eq!(note(&sam, &code, "vaker samen plannen").status, 303);
    back_to_the_old_table_names(&app.db_url);

    // Opening the old database brings it up to date first, then everything comes along.
    let (target, _dir) = new_database();
    let copied = vertelpunt::service::transfer::copy_database(&app.db_url, &target).expect("copy");
    // A session, 2 tables, 1 card, 1 participant, 1 note.
    assert_eq!(copied.sessions, 1 + 2 + 1 + 1 + 1, "{copied:?}");
    let on_copy = spawn_app_on(target, tempfile::tempdir().expect("dir"), |_| {});
    let board = on_copy.browser().get(&format!("/s/{code}"));
    assert_eq!(board.status, 200, "the join link works on the copy");
    // Staff accounts came along through the renamed login table's neighbours.
    assert_eq!(on_copy.login("b@voorbeeld.nl", PASSWORD).status, 303);
}
