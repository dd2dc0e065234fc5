//! The pattern scan over stored stories, through the `vertelpunt patterns` command.

use crate::helpers::*;
use vertelpunt::service::transfer;
use vertelpunt::store::DatabaseUrl;

/// 90 generated stories in which "gehoord" clearly depends on the role, and "juiste_hulp"
/// does not depend on anything.
fn planted_csv() -> String {
    let mut csv = String::from("id,created_at,role,title,text,gehoord,juiste_hulp,gevoel\n");
    let roles = ["jongere", "ouder", "professional"];
    for i in 0..90 {
        let role = roles[i % 3];
        let gehoord = 15 + 30 * (i % 3) + (i * 7) % 11;
        let juiste_hulp = (i * 37) % 101;
        let gevoel = ["positief", "negatief", "gemengd"][(i / 3) % 3];
        csv.push_str(&format!(
            "gen-{i},2026-0{}-01T10:00:00Z,{role},Verhaal {i},Een verzonnen verhaal nummer {i} voor de test.,{gehoord},{juiste_hulp},{gevoel}\n",
            1 + i % 9
        ));
    }
    csv
}

fn patterns(db: &DatabaseUrl, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["patterns"];
    all.extend_from_slice(args);
    let out = crate::cli::vertelpunt(db, &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn find<'a>(scan: &'a serde_json::Value, questions: &[&str]) -> Option<&'a serde_json::Value> {
    scan["patterns"].as_array().unwrap().iter().find(|p| {
        p["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q.as_str().unwrap())
            .eq(questions.iter().copied())
    })
}

#[test]
fn the_scan_finds_the_planted_pattern_and_respects_filters() {
    let app = spawn_app();
    transfer::import_csv(&app.database(), "jeugdhulp", planted_csv().as_bytes()).unwrap();
    let scan = patterns(&app.db_url, &["--project", "jeugdhulp", "--json"]);
    assert_eq!(scan["stories"], 90);
    let p = find(&scan, &["gehoord", "rol"]).expect("gehoord x rol tested");
    assert_eq!(p["kind"], "slider_by_choice");
    assert_eq!(p["test"], "kruskal_wallis");
    assert_eq!(p["strong"], true, "{p}");
    assert_eq!(p["groups"].as_array().unwrap().len(), 3);
    // Per-group descriptives keyed by option, as for the whole slider.
    let parents = &p["descriptives"]["ouder"];
    assert_eq!(parents["n"], 30);
    assert_eq!(parents["n_not_applicable"], 0);
    for field in ["mean", "sd", "median", "skewness", "kurtosis"] {
        assert!(parents[field].is_number(), "{field}: {parents}");
    }
    assert_eq!(parents["histogram"]["counts"].as_array().unwrap().len(), 10);
    assert!(p["description"]
        .as_str()
        .unwrap()
        .contains("Werd er in dit verhaal"));
    let independent = find(&scan, &["juiste_hulp", "rol"]).expect("juiste_hulp x rol tested");
    assert_eq!(independent["strong"], false, "{independent}");
    for field in ["statistic", "p_value", "q_value", "effect_size", "n"] {
        assert!(p[field].is_number(), "{field}");
    }

    // One role only: the role question no longer varies, so it is not tested.
    let parents = patterns(
        &app.db_url,
        &["--project", "jeugdhulp", "--json", "--filter", "rol=ouder"],
    );
    assert_eq!(parents["stories"], 30);
    assert!(find(&parents, &["gehoord", "rol"]).is_none());
}

#[test]
fn demo_data_are_marked_fictitious_and_show_their_planted_patterns() {
    let app = spawn_app();
    let out = crate::cli::vertelpunt(&app.db_url, &["demo", "--stories", "400"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let landing = app.get("/v/demo");
    assert_eq!(landing.status, 200);
    landing.assert_contains("verzonnen");
    let scan = patterns(
        &app.db_url,
        &["--project", "demo", "--json", "--no-three-way"],
    );
    assert_eq!(scan["stories"], 400);
    let top = &scan["patterns"][0];
    assert_eq!(top["strong"], true);
    assert_eq!(top["questions"], serde_json::json!(["gehoord", "rol"]));
    // Bad input: a filter without '=' and an unknown project get a clear message.
    let bad = crate::cli::vertelpunt(
        &app.db_url,
        &["patterns", "--project", "demo", "--filter", "rol"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("vraag=antwoord"));
    let unknown = crate::cli::vertelpunt(&app.db_url, &["patterns", "--project", "bestaat-niet"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("bestaat niet"));
}

#[test]
fn the_patterns_page_shows_strong_patterns_to_readers_of_the_project_only() {
    let app = spawn_app().with_admin();
    transfer::import_csv(&app.database(), "jeugdhulp", planted_csv().as_bytes()).unwrap();
    crate::accounts::add_second_project(&app);
    let onderzoeker = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let page = onderzoeker.get("/beheer/p/jeugdhulp/patronen");
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("90 verhalen");
    page.assert_contains("Werd er in dit verhaal naar je geluisterd?");
    // A slider across groups is drawn as box plots, with a text alternative.
    page.assert_contains("<svg class=\"chart chart-boxplot\"");
    page.assert_contains("<desc>");
    // All patterns: two choice questions as stacked bars, two sliders as a density grid.
    let all = onderzoeker.get("/beheer/p/jeugdhulp/patronen?alles=1");
    all.assert_contains("<svg class=\"chart chart-stacked\"");
    all.assert_contains("<svg class=\"chart chart-density\"");
    page.assert_contains("Kruskal-Wallis H");
    // A role filter narrows the stories.
    let parents = onderzoeker.get("/beheer/p/jeugdhulp/patronen?rol=ouder");
    parents.assert_contains("30 verhalen");
    let ander = app.user_browser("a@voorbeeld.nl", &[("ander", "begeleider")]);
    assert_eq!(ander.get("/beheer/p/jeugdhulp/patronen").status, 403);
    assert_eq!(
        app.browser().get("/beheer/p/jeugdhulp/patronen").status,
        303
    );
}

#[test]
fn the_dashboard_counts_and_draws_every_question_with_filters_in_the_url() {
    let app = spawn_app().with_admin();
    transfer::import_csv(&app.database(), "jeugdhulp", planted_csv().as_bytes()).unwrap();
    let onderzoeker = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let page = onderzoeker.get("/beheer/p/jeugdhulp/cijfers");
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("<strong>90</strong> verhalen");
    page.assert_contains("Verdeling van ‘Werd er in dit verhaal naar je geluisterd?’");
    page.assert_contains("Rol van de verteller");
    let parents =
        onderzoeker.get("/beheer/p/jeugdhulp/cijfers?rol=ouder&van=2026-01-01&tot=2026-03-31");
    assert_eq!(parents.status, 200);
    // Ouders are stories 1, 4, 7 …; months 1–3 hold i % 9 in 0..3.
    parents.assert_contains("<strong>10</strong> verhalen");
    let bad = onderzoeker.get("/beheer/p/jeugdhulp/cijfers?van=morgen");
    assert_eq!(bad.status, 422);
    bad.assert_contains("De datum bij");
    crate::accounts::add_second_project(&app);
    let ander = app.user_browser("a@voorbeeld.nl", &[("ander", "begeleider")]);
    assert_eq!(ander.get("/beheer/p/jeugdhulp/cijfers").status, 403);
}

/// The patterns listed on one page, as (kind, questions) from the hint under each heading.
fn listed(body: &str) -> Vec<String> {
    body.split("<li class=\"pattern\">")
        .skip(1)
        .filter_map(|item| {
            let hint = item.split("<p class=\"hint\">").nth(1)?;
            Some(hint.split("</p>").next()?.to_string())
        })
        .collect()
}

/// The planted stories with two more sliders and the gemeente: enough questions for more than
/// one page of patterns of every kind.
fn wider_csv() -> String {
    let towns = ["nijmegen", "wijchen", "druten"];
    planted_csv()
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("{line},op_tijd,regie,gemeente\n")
            } else {
                let town = towns[(i * 5 / 3) % 3];
                format!("{line},{},{},{town}\n", (i * 53) % 101, (i * 29) % 101)
            }
        })
        .collect()
}

#[test]
fn the_pattern_page_narrows_orders_and_pages_through_every_pattern() {
    let app = spawn_app().with_admin();
    transfer::import_csv(&app.database(), "jeugdhulp", wider_csv().as_bytes()).unwrap();
    let reader = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let base = "/beheer/p/jeugdhulp/patronen";

    // Every test of the scan can be reached, twenty per page.
    let scan = patterns(&app.db_url, &["--project", "jeugdhulp", "--json"]);
    let total = scan["tests"].as_u64().unwrap() as usize;
    assert!(total > 20, "{total} tests");
    let mut seen = Vec::new();
    for page in 1..=total.div_ceil(20) {
        let body = reader.get(&format!("{base}?alles=1&pagina={page}")).body;
        seen.extend(listed(&body));
        if page == 1 {
            assert!(
                body.contains(&format!("Patroon 1 tot en met 20 van {total}")),
                "{body}"
            );
            assert!(body.contains("rel=\"next\""));
            assert!(!body.contains("rel=\"prev\""));
        }
    }
    assert_eq!(seen.len(), total);
    for kind in [
        "schuifvraag × keuzevraag",
        "keuzevraag × keuzevraag",
        "schuifvraag × schuifvraag",
        "schuifvraag × twee keuzevragen",
    ] {
        assert!(seen.iter().any(|s| s.starts_with(kind)), "{kind} missing");
    }
    // Months are tested in pairs; in three-way tests quarters stand in for them.
    assert!(seen.iter().any(|s| s.contains("Maand van vertellen")));
    assert!(!seen
        .iter()
        .any(|s| s.starts_with("schuifvraag × twee") && s.contains("Maand van vertellen")));
    assert!(seen
        .iter()
        .filter(|s| s.contains("Kwartaal van vertellen"))
        .all(|s| s.starts_with("schuifvraag × twee keuzevragen")));

    // One kind, one question.
    let choices = reader
        .get(&format!("{base}?alles=1&soort=keuze-keuze"))
        .body;
    let only = listed(&choices);
    assert!(!only.is_empty());
    assert!(
        only.iter()
            .all(|s| s.starts_with("keuzevraag × keuzevraag")),
        "{only:?}"
    );
    let question = reader.get(&format!("{base}?alles=1&vraag=gevoel")).body;
    let with = listed(&question);
    assert!(!with.is_empty());
    assert!(
        with.iter()
            .all(|s| s.contains("Wat voor verhaal is dit voor jou")),
        "{with:?}"
    );
    // The list choices survive a change of story filter and the links to other pages.
    assert!(
        question.contains("name=\"vraag\" value=\"gevoel\""),
        "hidden field kept"
    );

    // The shown strength is what the list is ordered by; figures are written the Dutch way.
    let strengths: Vec<f64> = reader
        .get(&format!("{base}?alles=1"))
        .body
        .split("Sterkte ")
        .skip(1)
        .filter_map(|s| s.get(..4)?.replace(',', ".").parse().ok())
        .collect();
    assert_eq!(strengths.len(), 20);
    assert!(strengths.windows(2).all(|w| w[0] >= w[1]), "{strengths:?}");
    let page = reader.get(base).body;
    assert!(
        page.contains("q &lt; 0,001") || page.contains("q = 0,"),
        "q in Dutch"
    );
    assert!(!page.contains("q = &lt;"));
    let scientific = page
        .as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'e' && w[2] == b'-');
    assert!(!scientific, "no scientific notation");
    let strong = scan["strong"].as_u64().unwrap();
    let noun = if strong == 1 {
        "sterk patroon"
    } else {
        "sterke patronen"
    };
    assert!(
        page.contains(&format!("<strong>{strong} {noun}</strong>")),
        "{page}"
    );
    // Ordered by q: non-decreasing.
    let by_q = reader.get(&format!("{base}?alles=1&volgorde=q")).body;
    assert_eq!(listed(&by_q).len(), 20);
    // Pairs that could not be tested are listed with the reason.
    let untested = scan["untested"].as_array().unwrap().len();
    if untested > 0 {
        assert!(
            page.contains(&format!("Niet getoetst ({untested})")),
            "{page}"
        );
    }
}
