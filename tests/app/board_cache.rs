//! The board of a table is kept per table revision (`service::sensemaking::board`): every
//! change at the table shows on the next fetch, what belongs to one viewer (their votes, the
//! button to take back their own note) stays theirs, and a proposal changed from its own page,
//! which does not change the table's revision, shows too.

use crate::helpers::*;
use crate::sensemaking::{join, note, plan, setup, Planned};

fn board(browser: &Browser, code: &str) -> Page {
    let page = browser.get(&format!("/s/{code}/tafel/bord"));
    assert_eq!(page.status, 200, "{}", page.body);
    page
}

/// The id after `marker` in the 303's location (`#notitie-…`, `#groep-…`, `#voorstel-…`).
fn id_in_location(page: &Page, marker: &str) -> String {
    assert_eq!(page.status, 303, "{}", page.body);
    page.header("location")
        .and_then(|l| l.rsplit(marker).next())
        .expect("id in location")
        .to_string()
}

/// The HTML of one cluster section on a board.
fn cluster_section(board: &Page, cluster: &str) -> String {
    let start = board
        .body
        .find(&format!("id=\"groep-{cluster}\""))
        .unwrap_or_else(|| panic!("cluster {cluster}: {}", board.body));
    let end = board.body[start..].find("</section>").expect("end") + start;
    board.body[start..end].to_string()
}

#[test]
fn every_change_at_a_table_shows_on_the_next_board_fetch() {
    let (app, begeleider, card) = setup();
    let Planned { path, code, tables } = plan(&begeleider, &card);
    let sam = join(&app, &code, &tables[0], "Sam");
    let noor = join(&app, &code, &tables[0], "Noor");
    const TAKE_BACK: &str = "Haal mijn notitie weg";

    let first = id_in_location(
        &note(&sam, &code, "de wachttijd op de website zetten"),
        "#notitie-",
    );
    // Both read the board of this revision; only the writer may take the note back.
    let seen_by_noor = board(&noor, &code);
    seen_by_noor.assert_contains(&format!("id=\"notitie-{first}\""));
    assert!(!seen_by_noor.body.contains(TAKE_BACK));
    board(&sam, &code).assert_contains(TAKE_BACK);
    assert!(!board(&noor, &code).body.contains(TAKE_BACK));

    // A new note.
    let second = id_in_location(
        &note(&noor, &code, "een vast aanspreekpunt geven"),
        "#notitie-",
    );
    board(&sam, &code).assert_contains(&format!("id=\"notitie-{second}\""));

    // A cluster with the first note in it, then a new name.
    let csrf = sam.csrf(&format!("/s/{code}/tafel"));
    let cluster = id_in_location(
        &sam.post(
            &format!("/s/{code}/groepen"),
            &[
                ("csrf", &csrf),
                ("naam", "Duidelijkheid"),
                ("notitie", &first),
            ],
        ),
        "#groep-",
    );
    let section = cluster_section(&board(&noor, &code), &cluster);
    assert!(section.contains("Duidelijkheid"), "{section}");
    assert!(
        section.contains(&format!("id=\"notitie-{first}\"")),
        "{section}"
    );
    let renamed = sam.post(
        &format!("/s/{code}/groepen/{cluster}"),
        &[("csrf", &csrf), ("naam", "Eerlijk over wachten")],
    );
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    let section = cluster_section(&board(&noor, &code), &cluster);
    assert!(section.contains("Eerlijk over wachten"), "{section}");

    // A vote: once the begeleider shows the votes, everyone sees the count, only the voter
    // sees it as theirs (hidden votes: tests/app/cockpit.rs).
    crate::cockpit::show_votes(&begeleider, &path, true);
    let csrf_noor = noor.csrf(&format!("/s/{code}/tafel"));
    let voted = noor.post(
        &format!("/s/{code}/groepen/{cluster}/stem"),
        &[("csrf", &csrf_noor), ("richting", "op")],
    );
    assert_eq!(voted.status, 303, "{}", voted.body);
    let noors = cluster_section(&board(&noor, &code), &cluster);
    assert!(noors.contains("1 stem (van jou: 1)"), "{noors}");
    let sams = board(&sam, &code);
    let section = cluster_section(&sams, &cluster);
    assert!(
        section.contains("1 stem") && !section.contains("van jou"),
        "{section}"
    );
    sams.assert_contains("Je kunt nog 3 stemmen geven");
    board(&noor, &code).assert_contains("Je kunt nog 2 stemmen geven");

    // The begeleider takes a note away.
    let table_path = format!("{path}/tafels/{}", tables[0]);
    let removed = begeleider.post(
        &format!("{table_path}/notities/{second}/weg"),
        &[("csrf", &begeleider.csrf(&table_path))],
    );
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert!(!board(&sam, &code).body.contains(&second));

    // A proposal, changed afterwards on its own page (the table's revision stays).
    let proposal = id_in_location(
        &sam.post(
            &format!("/s/{code}/voorstellen"),
            &[
                ("csrf", &csrf),
                ("groep", &cluster),
                ("titel", "Wachttijd eerlijk melden"),
                ("wat", "bij de aanmelding meteen de echte wachttijd noemen"),
                ("zodat", "jongeren en ouders weten waar ze aan toe zijn"),
                ("eerste_stap", "Navragen bij de aanbieders in december"),
                ("eigenaar", "Femke (gemeente)"),
                ("eigenaar_email", ""),
                ("niveau", "regionaal"),
            ],
        ),
        "#voorstel-",
    );
    board(&noor, &code).assert_contains("Wachttijd eerlijk melden");
    let before = revision(&noor, &code);
    let page = format!("/beheer/p/demo/voorstellen/{proposal}");
    let saved = begeleider.post(
        &page,
        &[
            ("csrf", &begeleider.csrf(&page)),
            ("titel", "Wachttijd altijd eerlijk melden"),
            ("wat", "bij de aanmelding meteen de echte wachttijd noemen"),
            ("zodat", "jongeren en ouders weten waar ze aan toe zijn"),
            ("eerste_stap", "Navragen bij de aanbieders in december"),
            ("eigenaar", "Femke (gemeente)"),
            ("eigenaar_email", ""),
            ("niveau", "regionaal"),
            ("herinnering", "0"),
        ],
    );
    assert!(saved.status == 303 || saved.status == 200, "{}", saved.body);
    assert_eq!(revision(&noor, &code), before);
    board(&noor, &code).assert_contains("Wachttijd altijd eerlijk melden");
}

/// The table's revision, as the boards poll it.
fn revision(browser: &Browser, code: &str) -> i64 {
    let page = browser.get(&format!("/s/{code}/tafel/stand"));
    assert_eq!(page.status, 200, "{}", page.body);
    let json: serde_json::Value = serde_json::from_str(&page.body).expect("json");
    json["revision"].as_i64().expect("revision")
}
