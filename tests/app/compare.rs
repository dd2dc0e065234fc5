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

/// 40 stories: 20 young people (the part) and 20 parents. Two young people feel "negatief",
/// no parent does: a cell of 2 stories, 10% against 0%. Only six young people answered
/// "juiste_hulp".
fn small_cells_csv() -> String {
    let mut csv =
        String::from("id,created_at,role,title,text,gehoord,juiste_hulp,gevoel,wie_betrokken\n");
    for i in 0..40 {
        let young = i < 20;
        let role = if young { "jongere" } else { "ouder" };
        let gevoel = match i {
            0 | 1 => "negatief",
            2..=10 | 20..=29 => "positief",
            _ => "gemengd",
        };
        let gehoord = if young {
            20 + (i % 5) * 10
        } else {
            50 + (i % 5) * 10
        };
        let juiste_hulp = if !young || i < 6 {
            (30 + (i * 7) % 60).to_string()
        } else {
            String::new()
        };
        csv.push_str(&format!(
            "klein-{i:02},2026-0{}-01T10:00:00Z,{role},Verhaal {i},Een verzonnen verhaal nummer {i}.,{gehoord},{juiste_hulp},{gevoel},wijkteam\n",
            1 + i % 6,
        ));
    }
    csv
}

/// No count from 1 to k − 1, nor a share or mean of one, in the page: not in a table cell, a
/// bar's value, a chart's text alternative or a sentence.
fn assert_no_small_counts(page: &Page, k: usize, what: &str) {
    for n in 1..k {
        for shown in [
            format!("<td>{n}</td>"),
            format!(">{n} · "),
            format!(": {n} · "),
            format!("(n = {n})"),
            format!(">{n}<"),
        ] {
            assert!(
                !page.body.contains(&shown),
                "{what}: {shown} in {}",
                page.body
            );
        }
    }
}

#[test]
fn a_part_with_a_cell_under_k_shows_no_count_or_share_of_it() {
    let app = spawn_app().with_admin();
    transfer::import_csv(&app.database(), "jeugdhulp", small_cells_csv().as_bytes()).unwrap();
    let reader = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    for reference in ["", "&ref=geheel"] {
        let page = reader.get(&format!(
            "/beheer/p/jeugdhulp/vergelijk?d=rol:jongere{reference}"
        ));
        assert_eq!(page.status, 200, "{}", page.body);
        keep(&format!("vergelijk-k5{reference}.html"), &page);
        page.assert_contains("<strong>20 verhalen</strong> in deze groep");
        // The sentence names no share of the two; the cell reads "< 5", without a bar.
        page.assert_contains("is door minder dan 5 vertellers gekozen: die cijfers tonen we niet");
        assert!(!page.body.contains("10%"), "a share of 2 stories");
        assert!(!page.body.contains("tegen 0%"));
        page.assert_contains("<td>&lt; 5</td><td>–</td>");
        page.assert_contains("Vooral een naar verhaal: &lt; 5");
        page.assert_contains("tonen we geen aantal van minder dan 5 verhalen");
        assert_no_small_counts(&page, 5, reference);
        // Six answers are enough with k = 5: their mean is shown.
        page.assert_contains("<td>6</td>");
    }

    // With k = 8 the six answers to "juiste_hulp" are too few: no mean, median or bars.
    let csrf = app.csrf("/beheer/p/jeugdhulp/privacy");
    let saved = app.post(
        "/beheer/p/jeugdhulp/privacy",
        &[("csrf", &csrf), ("k", "8"), ("groepen", ""), ("termen", "")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    for reference in ["", "&ref=geheel"] {
        let page = reader.get(&format!(
            "/beheer/p/jeugdhulp/vergelijk?d=rol:jongere{reference}"
        ));
        assert_eq!(page.status, 200, "{}", page.body);
        keep(&format!("vergelijk-k8{reference}.html"), &page);
        page.assert_contains("<td>&lt; 8</td><td>–</td><td>–</td>");
        page.assert_contains(
            "minder dan 8 vertellers een antwoord. Daarom tonen we hier geen gemiddelden.",
        );
        assert_no_small_counts(&page, 8, reference);
    }
}

/// Keeps a page when `VERTELPUNT_CARD_DIR` is set, to look at.
fn keep(name: &str, page: &Page) {
    if let Ok(dir) = std::env::var("VERTELPUNT_CARD_DIR") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(std::path::Path::new(&dir).join(name), &page.body);
    }
}
