//! The subset comparison: page and command line.

use crate::explore::{stories_csv, total};
use crate::helpers::*;
use vertelpunt::service::transfer;

#[test]
fn a_part_of_the_stories_is_set_beside_the_rest_or_the_whole() {
    let app = spawn_app().with_admin();
    transfer::import_csv(&app.database(), "jeugdhulp", stories_csv().as_bytes()).unwrap();
    let reader = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let empty = reader.get("/beheer/p/jeugdhulp/vergelijk");
    assert_eq!(empty.status, 200, "{}", empty.body);
    empty.assert_contains("Kies hierboven een antwoord");

    // Professionals (every third story) score 80 on "gehoord", the others 20 or 50.
    let page = reader.get("/beheer/p/jeugdhulp/vergelijk?d=rol:professional");
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("<strong>20 verhalen</strong> in deze groep");
    page.assert_contains("<strong>40</strong> in de rest");
    page.assert_contains("sterk verschil");
    page.assert_contains("Werd er in dit verhaal naar je geluisterd?");
    // The question that defines the part is not compared with itself.
    assert!(!page.body.contains("Cijfers bij &#x27;Rol van de verteller"));
    // The part's stories are one click away, with the same selection.
    let link = "/beheer/p/jeugdhulp/verkennen?a=rol%3Aprofessional";
    page.assert_contains(&escape(link));
    assert_eq!(total(&reader.get(link)), 20);

    let whole = reader.get("/beheer/p/jeugdhulp/vergelijk?d=rol:professional&ref=geheel");
    whole.assert_contains("<strong>60</strong> verhalen in totaal");
    whole.assert_contains("Alle verhalen");

    // With a filter: professionals among the stories of months 1–3 only.
    let early = reader.get("/beheer/p/jeugdhulp/vergelijk?d=rol:professional&tot=2026-03-31");
    early.assert_contains("<strong>10 verhalen</strong> in deze groep");

    let unknown = reader.get("/beheer/p/jeugdhulp/vergelijk?d=gemeente:atlantis");
    assert_eq!(unknown.status, 422);
    unknown.assert_contains("past niet bij de vragen van dit project");

    crate::accounts::add_second_project(&app);
    let other = app.user_browser("a@voorbeeld.nl", &[("ander", "begeleider")]);
    assert_eq!(other.get("/beheer/p/jeugdhulp/vergelijk").status, 403);
}

#[test]
fn the_command_line_prints_the_comparison_as_json() {
    let app = spawn_app();
    transfer::import_csv(&app.database(), "jeugdhulp", stories_csv().as_bytes()).unwrap();
    let out = crate::cli::vertelpunt(
        &app.db_url,
        &[
            "compare",
            "--project",
            "jeugdhulp",
            "--subset",
            "rol=professional",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["subset"], 20);
    assert_eq!(c["reference"], 40);
    assert_eq!(c["reference_kind"], "rest");
    let gehoord = c["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["key"] == "gehoord")
        .expect("gehoord compared");
    assert_eq!(gehoord["strong"], true, "{gehoord}");
    assert!(gehoord["effect_size"].as_f64().unwrap() > 0.5);
    assert!(c["choices"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["key"] != "rol"));
    // A part that names no option of the project is refused with a clear message.
    let bad = crate::cli::vertelpunt(
        &app.db_url,
        &[
            "compare",
            "--project",
            "jeugdhulp",
            "--subset",
            "rol=kapitein",
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("rol=kapitein"));
}
