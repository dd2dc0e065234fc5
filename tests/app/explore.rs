//! The story browser and the links from the figures to the stories behind them, the shared
//! filters in the URL, and the cache that must notice every change to the stories.

use crate::helpers::*;
use vertelpunt::service::transfer;

/// 60 generated stories: role by turn, "gevoel" by blocks of three, "wie_betrokken" school
/// for every fourth. One story has markup in its text; one speaks of "wachtlijsten".
pub fn stories_csv() -> String {
    let mut csv =
        String::from("id,created_at,role,title,text,gehoord,juiste_hulp,gevoel,wie_betrokken\n");
    let roles = ["jongere", "ouder", "professional"];
    for i in 0..60 {
        let role = roles[i % 3];
        let gevoel = ["positief", "negatief", "gemengd"][(i / 3) % 3];
        let betrokken = if i % 4 == 0 {
            "school;wijkteam"
        } else {
            "wijkteam"
        };
        let text = match i {
            7 => "Ik schreef <script>alert(1)</script> in mijn verhaal.".to_string(),
            8 => "We stonden maanden op wachtlijsten voor hulp.".to_string(),
            _ => format!("Een verzonnen verhaal nummer {i} voor de test."),
        };
        csv.push_str(&format!(
            "gen-{i:02},2026-0{}-01T10:00:00Z,{role},Verhaal {i},{text},{},{},{gevoel},{betrokken}\n",
            1 + i % 6,
            20 + 30 * (i % 3),
            (i * 37) % 101
        ));
    }
    csv
}

fn setup() -> (TestApp, Browser) {
    let app = spawn_app().with_admin();
    transfer::import_csv(&app.database(), "jeugdhulp", stories_csv().as_bytes()).unwrap();
    let reader = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    (app, reader)
}

/// The number in "<strong>N</strong> verhalen" (or "verhaal") of the browser's status line.
pub fn total(page: &Page) -> usize {
    let at = page
        .body
        .find("<p role=\"status\"><strong>")
        .expect("status line");
    let rest = &page.body[at + "<p role=\"status\"><strong>".len()..];
    rest[..rest.find('<').unwrap()].parse().unwrap()
}

#[test]
fn the_browser_filters_on_answers_and_finds_inflected_words() {
    let (app, reader) = setup();
    let all = reader.get("/beheer/p/jeugdhulp/verkennen");
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(total(&all), 60);
    // Newest first, 20 per page, with a link to the next page that keeps the filters.
    all.assert_contains("pagina 1 van 3");
    let parents = reader.get("/beheer/p/jeugdhulp/verkennen?rol=ouder&a=gevoel:positief");
    // Ouders: i % 3 == 1; positief: (i / 3) % 3 == 0 → i in {1, 10, 19, 28, 37, 46, 55}.
    assert_eq!(total(&parents), 7);
    parents.assert_contains("Wat voor verhaal is dit voor jou?: Vooral een fijn verhaal");
    // Two answers of one question are alternatives; a multichoice option is one answer.
    let either = reader.get("/beheer/p/jeugdhulp/verkennen?a=gevoel:positief&a=gevoel:negatief");
    assert_eq!(total(&either), 42);
    let school = reader.get("/beheer/p/jeugdhulp/verkennen?a=wie_betrokken:school");
    assert_eq!(total(&school), 15);
    // A slider range.
    let high = reader.get("/beheer/p/jeugdhulp/verkennen?s=gehoord:70-100");
    assert_eq!(total(&high), 20);
    // Dates: months 1–2 hold i % 6 in {0, 1}.
    let early = reader.get("/beheer/p/jeugdhulp/verkennen?van=2026-01-01&tot=2026-02-28");
    assert_eq!(total(&early), 20);
    // Search: a stem finds the inflected word, and markup in a story stays text. (One story
    // is fewer than k: an onderzoeker does not get to read it, a begeleider or admin does.)
    let protected = reader.get("/beheer/p/jeugdhulp/verkennen?zoek=wachtlijst");
    protected.assert_contains("<strong>&lt; 5</strong> verhalen");
    assert!(!protected.body.contains("op wachtlijsten voor hulp"));
    let waiting = app.get("/beheer/p/jeugdhulp/verkennen?zoek=wachtlijst");
    assert_eq!(total(&waiting), 1);
    waiting.assert_contains("op wachtlijsten voor hulp");
    let markup = app.get("/beheer/p/jeugdhulp/verkennen?zoek=script");
    assert_eq!(total(&markup), 1);
    markup.assert_contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;");
    assert!(!markup.body.contains("<script>alert(1)"));
}

#[test]
fn filters_that_do_not_fit_the_project_are_named_and_left_out() {
    let (_app, reader) = setup();
    let page = reader.get("/beheer/p/jeugdhulp/verkennen?a=gevoel:blij&a=kapot&versie=x");
    assert_eq!(page.status, 422);
    page.assert_contains("gevoel=blij");
    page.assert_contains("past niet bij de vragen van dit project");
    page.assert_contains("begrijpen we niet");
    // The rest of the page still works: all stories are shown.
    assert_eq!(total(&page), 60);
    let dashboard = reader.get("/beheer/p/jeugdhulp/cijfers?s=gevoel:0-10");
    assert_eq!(dashboard.status, 422);
}

#[test]
fn a_group_of_a_pattern_links_to_exactly_the_stories_it_counts() {
    let (_app, reader) = setup();
    let page = reader.get("/beheer/p/jeugdhulp/patronen");
    assert_eq!(page.status, 200, "{}", page.body);
    // The role × gehoord pattern is planted; its groups link to the browser.
    let link = "/beheer/p/jeugdhulp/verkennen?a=rol%3Aouder&s=gehoord%3A0-100";
    page.assert_contains(&escape(link));
    let parents = reader.get(link);
    assert_eq!(total(&parents), 20);
    // The dashboard's answer tables link there too, with its own filters kept.
    let dashboard = reader.get("/beheer/p/jeugdhulp/cijfers?rol=ouder");
    dashboard.assert_contains(&escape(
        "/beheer/p/jeugdhulp/verkennen?rol=ouder&a=gevoel%3Apositief",
    ));
}

#[test]
fn figures_follow_every_change_to_the_stories() {
    let (app, reader) = setup();
    let before = reader.get("/beheer/p/jeugdhulp/cijfers");
    before.assert_contains("<strong>60</strong> verhalen");
    reader
        .get("/beheer/p/jeugdhulp/patronen")
        .assert_contains("60 verhalen");
    // Stories written by another instance (here: straight into the database) are seen.
    let more = "id,created_at,role,title,text,gehoord\nlater-1,2026-07-01T10:00:00Z,ouder,Later,Een later verhaal.,50\n";
    transfer::import_csv(&app.database(), "jeugdhulp", more.as_bytes()).unwrap();
    reader
        .get("/beheer/p/jeugdhulp/cijfers")
        .assert_contains("<strong>61</strong> verhalen");
    reader
        .get("/beheer/p/jeugdhulp/patronen")
        .assert_contains("61 verhalen");
    // A hidden story no longer counts.
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let path = "/beheer/p/jeugdhulp/verhalen/later-1";
    let hidden = begeleider.post(
        &format!("{path}/verbergen"),
        &[
            ("csrf", &begeleider.csrf(path)),
            ("reden", "Dubbel verteld"),
        ],
    );
    assert_eq!(hidden.status, 303, "{}", hidden.body);
    assert_eq!(total(&reader.get("/beheer/p/jeugdhulp/verkennen")), 60);
    reader
        .get("/beheer/p/jeugdhulp/patronen")
        .assert_contains("60 verhalen");
}

#[test]
fn only_readers_of_the_project_may_browse() {
    let (app, _reader) = setup();
    crate::accounts::add_second_project(&app);
    let other = app.user_browser("a@voorbeeld.nl", &[("ander", "begeleider")]);
    assert_eq!(other.get("/beheer/p/jeugdhulp/verkennen").status, 403);
    assert_eq!(
        app.browser().get("/beheer/p/jeugdhulp/verkennen").status,
        303
    );
    assert_eq!(other.get("/beheer/p/bestaat-niet/verkennen").status, 403);
}
