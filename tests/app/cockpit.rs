//! The session cockpit: phases and the timer seen by every table, votes hidden on every
//! channel until the begeleider shows them, the plenary ranking, regrouping across tables
//! after the session, the room live on one page, and the room and a board as PDF.

use crate::helpers::*;
use crate::observations::pdf_text;
use crate::sensemaking::{join, note, plan, setup, Planned};

fn board(browser: &Browser, code: &str) -> Page {
    let page = browser.get(&format!("/s/{code}/tafel/bord"));
    assert_eq!(page.status, 200, "{}", page.body);
    page
}

fn stand(browser: &Browser, path: &str) -> String {
    let page = browser.get(path);
    assert_eq!(page.status, 200, "{}", page.body);
    let json: serde_json::Value = serde_json::from_str(&page.body).expect("json");
    json["revision"].to_string()
}

/// Posts to the cockpit's phase form.
fn phase(begeleider: &Browser, path: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = begeleider.csrf(&format!("{path}/cockpit"));
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    begeleider.post(&format!("{path}/cockpit/fase"), &form)
}

/// Shows (or hides) the votes from the cockpit.
pub(crate) fn show_votes(begeleider: &Browser, path: &str, shown: bool) {
    let csrf = begeleider.csrf(&format!("{path}/cockpit"));
    let posted = begeleider.post(
        &format!("{path}/cockpit/stemmen"),
        &[("csrf", &csrf), ("tonen", if shown { "ja" } else { "nee" })],
    );
    assert_eq!(posted.status, 303, "{}", posted.body);
}

/// Makes a cluster at the participant's table; returns its id.
fn cluster(browser: &Browser, code: &str, name: &str) -> String {
    let csrf = browser.csrf(&format!("/s/{code}/tafel"));
    let made = browser.post(
        &format!("/s/{code}/groepen"),
        &[("csrf", &csrf), ("naam", name)],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let page = board(browser, code);
    let marker = format!(">{name}</h3>");
    let at = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} on {}", page.body));
    let start = page.body[..at]
        .rfind("id=\"groep-kop-")
        .expect("cluster id")
        + 14;
    page.body[start..at - 1].to_string()
}

fn vote(browser: &Browser, code: &str, cluster: &str, times: usize) {
    for _ in 0..times {
        let csrf = browser.csrf(&format!("/s/{code}/tafel"));
        let voted = browser.post(
            &format!("/s/{code}/groepen/{cluster}/stem"),
            &[("csrf", &csrf), ("richting", "op")],
        );
        assert_eq!(voted.status, 303, "{}", voted.body);
    }
}

fn note_id(posted: &Page) -> String {
    assert_eq!(posted.status, 303, "{}", posted.body);
    posted
        .header("location")
        .and_then(|l| l.rsplit("#notitie-").next())
        .expect("note id")
        .to_string()
}

fn pdf(begeleider: &Browser, path: &str) -> Option<String> {
    let (status, kind, bytes) = begeleider.get_bytes(path);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(kind, "application/pdf");
    pdf_text(&bytes).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn phases_and_the_timer_reach_every_table_and_a_closed_session_refuses_them() {
    let (app, begeleider, card) = setup();
    let Planned { path, code, tables } = plan(&begeleider, &card);
    let sam = join(&app, &code, &tables[0], "Sam");
    let kim = join(&app, &code, &tables[1], "Kim");
    assert!(!board(&sam, &code).body.contains("phase-banner"));

    let cockpit = begeleider.get(&format!("{path}/cockpit"));
    assert_eq!(cockpit.status, 200, "{}", cockpit.body);
    cockpit.assert_contains("Er is nog geen fase gestart.");
    let before = stand(&kim, &format!("/s/{code}/tafel/stand"));

    // "Start met lezen": every table sees the phase, its instruction and its clock.
    let started = phase(&begeleider, &path, &[("actie", "volgende")]);
    assert_eq!(started.status, 303, "{}", started.body);
    assert_ne!(stand(&kim, &format!("/s/{code}/tafel/stand")), before);
    for browser in [&sam, &kim] {
        let seen = board(browser, &code);
        seen.assert_contains("data-fase=\"lezen\"");
        seen.assert_contains("Lees de kaarten en verhalen van jullie tafel.");
        seen.assert_contains("nog 15 minuten");
        seen.assert_contains("aria-current=\"step\">Lezen</li>");
    }
    // The table page shows the same banner.
    sam.get(&format!("/s/{code}/tafel"))
        .assert_contains("data-fase=\"lezen\"");

    // A chosen phase with wrong minutes keeps what was typed.
    let refused = phase(
        &begeleider,
        &path,
        &[
            ("actie", "start"),
            ("fase", "stemmen"),
            ("minuten", "twintig"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Vul een aantal minuten in van 0 tot 180");
    refused.assert_contains("value=\"twintig\"");
    refused.assert_contains("<option value=\"stemmen\" selected>");
    let unknown = phase(
        &begeleider,
        &path,
        &[("actie", "start"), ("fase", "dansen")],
    );
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    unknown.assert_contains("Kies een van de fasen.");
    assert!(board(&sam, &code).body.contains("data-fase=\"lezen\""));

    // Without a clock, then with one that gets five more minutes.
    let no_clock = phase(
        &begeleider,
        &path,
        &[("actie", "start"), ("fase", "stemmen"), ("minuten", "0")],
    );
    assert_eq!(no_clock.status, 303, "{}", no_clock.body);
    let seen = board(&kim, &code);
    seen.assert_contains("data-fase=\"stemmen\"");
    assert!(!seen.body.contains("phase-clock"), "{}", seen.body);
    phase(
        &begeleider,
        &path,
        &[("actie", "start"), ("fase", "groeperen"), ("minuten", "10")],
    );
    let more = phase(&begeleider, &path, &[("actie", "erbij")]);
    assert_eq!(more.status, 303, "{}", more.body);
    board(&sam, &code).assert_contains("nog 15 minuten");
    assert_eq!(
        audit_details(&app, "session.phase").len(),
        4,
        "{:?}",
        audit_details(&app, "session.phase")
    );

    // After the last phase there is no next one.
    phase(
        &begeleider,
        &path,
        &[("actie", "start"), ("fase", "voorstellen")],
    );
    let last = phase(&begeleider, &path, &[("actie", "volgende")]);
    assert_eq!(last.status, 422, "{}", last.body);
    last.assert_contains("Dit is de laatste fase.");

    // A closed session keeps its phase and refuses every change of it.
    let csrf = begeleider.csrf(&path);
    let closed = begeleider.post(&format!("{path}/sluiten"), &[("csrf", &csrf)]);
    assert_eq!(closed.status, 303, "{}", closed.body);
    for fields in [
        vec![("actie", "volgende")],
        vec![("actie", "erbij")],
        vec![("actie", "start"), ("fase", "lezen"), ("minuten", "5")],
    ] {
        let refused = phase(&begeleider, &path, &fields);
        assert_eq!(refused.status, 409, "{fields:?}: {}", refused.body);
        refused.assert_contains("Deze sessie is gesloten.");
    }
    assert!(board(&sam, &code)
        .body
        .contains("data-fase=\"voorstellen\""));

    // A participant's cookies do not open the cockpit (every route's access: tests/app/access.rs).
    assert_ne!(sam.get(&format!("{path}/cockpit")).status, 200);
}

#[test]
fn votes_stay_hidden_everywhere_until_the_begeleider_shows_them() {
    let (app, begeleider, card) = setup();
    let Planned { path, code, tables } = plan(&begeleider, &card);
    let sam = join(&app, &code, &tables[0], "Sam");
    let noor = join(&app, &code, &tables[0], "Noor");
    let _kim = join(&app, &code, &tables[1], "Kim");
    // Made first, voted least: while hidden it must stay first.
    let uitleg = cluster(&sam, &code, "Uitleg");
    // "As made" is by the second a groep was made in (then by id).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let wachten = cluster(&sam, &code, "Wachten");
    vote(&sam, &code, &wachten, 2);
    vote(&noor, &code, &wachten, 1);
    vote(&noor, &code, &uitleg, 1);

    let order = |page: &Page| {
        let a = page.body.find(">Uitleg</h3>").expect("Uitleg");
        let b = page.body.find(">Wachten</h3>").expect("Wachten");
        a < b
    };
    // The boards: own votes only, clusters as made, no totals.
    let sams = board(&sam, &code);
    sams.assert_contains("De stemmen blijven geheim tot de begeleider ze laat zien.");
    sams.assert_contains("Jij gaf deze groep 2 stemmen.");
    sams.assert_contains("Je kunt nog 1 stem geven");
    assert!(order(&sams), "hidden votes must not order the clusters");
    for page in [&sams, &board(&noor, &code)] {
        assert!(!page.body.contains("3 stemmen"), "{}", page.body);
        assert!(!page.body.contains("(van jou"), "{}", page.body);
    }
    let form = sam.get(&format!("/s/{code}/tafel"));
    assert!(!form.body.contains("Wachten (3 stemmen)"), "{}", form.body);
    // The JSON a table polls tells nothing but the revision.
    let json: serde_json::Value =
        serde_json::from_str(&sam.get(&format!("/s/{code}/tafel/stand")).body).expect("json");
    let mut keys: Vec<&String> = json.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(keys, ["closed", "revision"]);
    // The cockpit: how many votes were given, not where.
    let cockpit = begeleider.get(&format!("{path}/cockpit"));
    cockpit.assert_contains("4 van de 9 stemmen gegeven (nog geheim)");
    assert!(!cockpit.body.contains("cockpit-votes"), "{}", cockpit.body);
    assert!(!cockpit.body.contains("Alle groepen op volgorde"));
    let fragment = begeleider.get(&format!("{path}/cockpit/bord"));
    assert!(!fragment.body.contains("3 stemmen"), "{}", fragment.body);
    // The begeleider's view of the table and the reports, on the web and on paper.
    let table = begeleider.get(&format!("{path}/tafels/{}", tables[0]));
    assert!(!table.body.contains("3 stemmen"), "{}", table.body);
    let report = begeleider.get(&format!("{path}/verslag"));
    report.assert_contains("De begeleider heeft de stemmen nog niet laten zien.");
    assert!(!report.body.contains("3 stemmen"), "{}", report.body);
    assert!(!sam
        .get(&format!("/s/{code}/verslag"))
        .body
        .contains("3 stemmen"));
    if let Some(text) = pdf(&begeleider, &format!("{path}/verslag.pdf")) {
        assert!(text.contains("De stemmen zijn nog niet getoond."), "{text}");
        assert!(!text.contains("3 stemmen"), "{text}");
    }
    if let Some(text) = pdf(&begeleider, &format!("{path}/cockpit.pdf")) {
        assert!(text.contains("De stemmen zijn nog niet getoond."), "{text}");
        assert!(!text.contains("3 stemmen"), "{text}");
    }

    // Shown: totals everywhere, most votes first, and the ranking across tables.
    show_votes(&begeleider, &path, true);
    let sams = board(&sam, &code);
    sams.assert_contains("3 stemmen (van jou: 2)");
    assert!(!order(&sams), "shown votes order the clusters");
    let cockpit = begeleider.get(&format!("{path}/cockpit"));
    cockpit.assert_contains("Alle groepen op volgorde van stemmen");
    let ranking = between(&cockpit.body, "<ol class=\"ranking\">", "</ol>");
    let wachten_at = ranking.find("Wachten").expect("Wachten ranked");
    let uitleg_at = ranking.find("Uitleg").expect("Uitleg ranked");
    assert!(wachten_at < uitleg_at, "{ranking}");
    assert!(
        ranking.contains("<li value=\"1\"><strong>Wachten</strong>"),
        "{ranking}"
    );
    begeleider
        .get(&format!("{path}/verslag"))
        .assert_contains("3 stemmen");
    if let Some(text) = pdf(&begeleider, &format!("{path}/verslag.pdf")) {
        assert!(text.contains("Wachten · 3 stemmen"), "{text}");
        assert!(
            text.contains("Alle groepjes op volgorde van stemmen"),
            "{text}"
        );
    }

    // Hidden again: gone again.
    show_votes(&begeleider, &path, false);
    assert!(!board(&noor, &code).body.contains("3 stemmen"));
    assert_eq!(
        audit_details(&app, "session.votes"),
        ["verborgen", "getoond"]
    );
}

#[test]
fn the_begeleider_merges_renames_and_moves_across_tables_after_the_session() {
    let (app, begeleider, card) = setup();
    let Planned { path, code, tables } = plan(&begeleider, &card);
    let sam = join(&app, &code, &tables[0], "Sam");
    let kim = join(&app, &code, &tables[1], "Kim");
    let n1 = note_id(&note(&sam, &code, "sneller een eerste gesprek plannen"));
    let n3 = note_id(&note(&kim, &code, "een vaste contactpersoon geven"));
    let a = cluster(&sam, &code, "Wachten");
    let csrf = sam.csrf(&format!("/s/{code}/tafel"));
    let moved = sam.post(
        &format!("/s/{code}/notities/{n1}/groep"),
        &[("csrf", &csrf), ("groep", &a)],
    );
    assert_eq!(moved.status, 303, "{}", moved.body);
    let b = cluster(&kim, &code, "Lang wachten");
    vote(&sam, &code, &a, 1);
    vote(&kim, &code, &b, 2);
    let csrf = begeleider.csrf(&path);
    let closed = begeleider.post(&format!("{path}/sluiten"), &[("csrf", &csrf)]);
    assert_eq!(closed.status, 303, "{}", closed.body);

    let regroup = format!("{path}/cockpit/groepen");
    let page = begeleider.get(&regroup);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("Wachten (Tafel 1)");
    page.assert_contains("Lang wachten (Tafel 2)");
    let csrf = page.hidden("csrf");

    // Wrong merges are refused with a message by the form.
    let to_self = begeleider.post(
        &format!("{regroup}/{a}/samenvoegen"),
        &[("csrf", &csrf), ("met", &a)],
    );
    assert_eq!(to_self.status, 422, "{}", to_self.body);
    to_self.assert_contains("een groep kan niet bij zichzelf");
    let nothing = begeleider.post(
        &format!("{regroup}/{a}/samenvoegen"),
        &[("csrf", &csrf), ("met", "")],
    );
    assert_eq!(nothing.status, 422, "{}", nothing.body);
    let unknown = begeleider.post(
        &format!("{regroup}/{a}/samenvoegen"),
        &[("csrf", &csrf), ("met", "CL-BESTAATNIET")],
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);

    // Merged across tables: the note stays Sam's, in Tafel 2's cluster, with its votes.
    let merged = begeleider.post(
        &format!("{regroup}/{a}/samenvoegen"),
        &[("csrf", &csrf), ("met", &b)],
    );
    assert_eq!(merged.status, 303, "{}", merged.body);
    let t2 = begeleider.get(&format!("{path}/tafels/{}", tables[1]));
    let section = between(&t2.body, &format!("id=\"groep-{b}\""), "</section>");
    assert!(
        section.contains("sneller een eerste gesprek plannen"),
        "{section}"
    );
    assert!(section.contains("Sam · Jongere · van Tafel 1"), "{section}");
    let sams = board(&sam, &code);
    sams.assert_contains("Door de begeleider bij een groep van een andere tafel gezet");
    sams.assert_contains("nu in \"Lang wachten\" van Tafel 2");
    assert!(!sams.body.contains(&format!("id=\"groep-{a}\"")));

    // Renamed and a loose note moved in; the report tells it so.
    let renamed = begeleider.post(
        &format!("{regroup}/{b}"),
        &[("csrf", &csrf), ("naam", "Wachttijd")],
    );
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    let empty = begeleider.post(
        &format!("{regroup}/{b}"),
        &[("csrf", &csrf), ("naam", "  ")],
    );
    assert_eq!(empty.status, 422, "{}", empty.body);
    let into = begeleider.post(
        &format!("{path}/cockpit/notities/{n3}/groep"),
        &[("csrf", &csrf), ("groep", &b)],
    );
    assert_eq!(into.status, 303, "{}", into.body);
    let fresh = begeleider.post(
        &regroup,
        &[("csrf", &csrf), ("tafel", &tables[0]), ("naam", "Contact")],
    );
    assert_eq!(fresh.status, 303, "{}", fresh.body);

    show_votes(&begeleider, &path, true);
    let cockpit = begeleider.get(&format!("{path}/cockpit"));
    let ranking = between(&cockpit.body, "<ol class=\"ranking\">", "</ol>");
    assert!(
        ranking.contains("<li value=\"1\"><strong>Wachttijd</strong> <span class=\"muted\">(Tafel 2)</span> · 3 stemmen · 2 notities"),
        "{ranking}"
    );
    assert!(ranking.contains("<strong>Contact</strong>"), "{ranking}");
    let report = begeleider.get(&format!("{path}/verslag"));
    report.assert_contains("Wachttijd");
    assert!(!report.body.contains(">Wachten"), "{}", report.body);
    assert_eq!(audit_details(&app, "session.regroup").len(), 4);

    // Opened again: Sam takes back the note that now sits at Tafel 2, and Tafel 2's board
    // (read through the board cache) follows at once.
    let csrf = begeleider.csrf(&path);
    let opened = begeleider.post(&format!("{path}/openen"), &[("csrf", &csrf)]);
    assert_eq!(opened.status, 303, "{}", opened.body);
    let t2_path = format!("{path}/tafels/{}", tables[1]);
    begeleider
        .get(&t2_path)
        .assert_contains("sneller een eerste gesprek plannen");
    let csrf = sam.csrf(&format!("/s/{code}/tafel"));
    let removed = sam.post(&format!("/s/{code}/notities/{n1}/weg"), &[("csrf", &csrf)]);
    assert_eq!(removed.status, 303, "{}", removed.body);
    let t2 = begeleider.get(&t2_path);
    assert!(
        !t2.body.contains("sneller een eerste gesprek plannen"),
        "{}",
        t2.body
    );
    // And the begeleider removes Sam's other note from the board of Tafel 2, where it sits.
    let n4 = note_id(&note(&sam, &code, "vaker bellen hoe het gaat"));
    let into = begeleider.post(
        &format!("{path}/cockpit/notities/{n4}/groep"),
        &[("csrf", &t2.hidden("csrf")), ("groep", &b)],
    );
    assert_eq!(into.status, 303, "{}", into.body);
    let gone = begeleider.post(
        &format!("{t2_path}/notities/{n4}/weg"),
        &[("csrf", &t2.hidden("csrf"))],
    );
    assert_eq!(gone.status, 303, "{}", gone.body);
    assert!(!board(&sam, &code)
        .body
        .contains("vaker bellen hoe het gaat"));
}

#[test]
fn the_cockpit_shows_every_table_live_and_exports_the_room_and_a_board() {
    let (app, begeleider, card) = setup();
    let Planned { path, code, tables } = plan(&begeleider, &card);
    let csrf = begeleider.csrf(&path);
    let added = begeleider.post(
        &format!("{path}/tafels"),
        &[("csrf", &csrf), ("naam", "Tafel 3"), ("kleur", "oranje")],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let page = begeleider.get(&path);
    let third: String = page
        .body
        .match_indices("id=\"tafel-TA-")
        .nth(2)
        .map(|(at, _)| {
            page.body[at + 10..]
                .chars()
                .take_while(|c| *c != '"')
                .collect()
        })
        .expect("third table");
    let people = [
        join(&app, &code, &tables[0], "Sam"),
        join(&app, &code, &tables[1], "Kim"),
        join(&app, &code, &third, "Noor"),
    ];
    for (i, browser) in people.iter().enumerate() {
        note_id(&note(
            browser,
            &code,
            &format!("aan tafel {} iets beters doen", i + 1),
        ));
    }

    let cockpit = begeleider.get(&format!("{path}/cockpit"));
    assert_eq!(cockpit.status, 200, "{}", cockpit.body);
    for (table, name) in [
        (&tables[0], "Tafel 1"),
        (&tables[1], "Tafel 2"),
        (&third, "Tafel 3"),
    ] {
        cockpit.assert_contains(&format!("id=\"cockpit-{table}\" data-notes=\"1\""));
        cockpit.assert_contains(&format!("{name}</h3>"));
    }
    cockpit.assert_contains("3 deelnemers · 3 notities");
    cockpit.assert_contains("aan tafel 2 iets beters doen");
    cockpit.assert_contains("data-stand=");

    // A new note changes the room's revision, and the fragment shows it.
    let stand_path = format!("{path}/cockpit/stand");
    let before = stand(&begeleider, &stand_path);
    let posted = note_id(&note(&people[1], &code, "de wachttijd op de site zetten"));
    assert_ne!(stand(&begeleider, &stand_path), before);
    let fragment = begeleider.get(&format!("{path}/cockpit/bord"));
    assert_eq!(fragment.status, 200, "{}", fragment.body);
    fragment.assert_contains(&format!("id=\"cockpit-{}\" data-notes=\"2\"", tables[1]));
    fragment.assert_contains(&format!("id=\"cockpit-notitie-{posted}\""));
    assert!(!fragment.body.contains("<html"), "a fragment, not a page");

    // The room and one board on paper.
    if let Some(text) = pdf(&begeleider, &format!("{path}/cockpit.pdf")) {
        for expected in [
            "COCKPIT DUIDINGSSESSIE",
            "Tafel 1 (Blauw)",
            "Tafel 3 (Oranje)",
            "de wachttijd op de site zetten",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
    }
    if let Some(text) = pdf(
        &begeleider,
        &format!("{path}/tafels/{}/bord.pdf", tables[1]),
    ) {
        assert!(text.contains("Bord van Tafel 2"), "{text}");
        assert!(text.contains("de wachttijd op de site zetten"), "{text}");
        assert!(!text.contains("aan tafel 1 iets beters doen"), "{text}");
    }
    let (status, _, _) = begeleider.get_bytes(&format!("{path}/tafels/TA-ONBEKEND/bord.pdf"));
    assert_eq!(status, 404);
}
