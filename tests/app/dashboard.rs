//! The dashboard (Cijfers): one card per question in a grid, a multichoice question as one
//! chart of its options, slider poles under every histogram, "niet gevraagd" apart from
//! "geen antwoord", full labels in tooltips and small counts hidden.

use crate::helpers::*;
use vertelpunt::service::transfer;

const PATH: &str = "/beheer/p/jeugdhulp/cijfers";

/// 60 generated stories, role by turn (20 each):
/// - `op_tijd` (a slider that offers "weet ik niet"): every tenth story "weet ik niet";
/// - `gevoel`: "weet ik niet" for stories 0 and 30 only (two: fewer than k), empty for 1, 2, 4;
/// - `wie_betrokken` (multichoice): wijkteam for all, school for every fourth, nothing for 59;
/// - `leeftijd` (asked of jongeren only): the jongeren 0, 3, … 42 answer, 45 … 57 leave it
///   empty (5 stories); ouders and professionals have no cell;
/// - `hulp_gehad` (asked of jongeren and ouders): the long option "hulp_ggz" for all of them.
fn stories_csv() -> String {
    let mut csv = String::from(
        "id,created_at,role,title,text,gehoord,op_tijd,gevoel,wie_betrokken,leeftijd,hulp_gehad\n",
    );
    let roles = ["jongere", "ouder", "professional"];
    for i in 0..60 {
        let role = roles[i % 3];
        let op_tijd = if i.is_multiple_of(10) {
            String::new()
        } else {
            ((i * 37) % 101).to_string()
        };
        let gevoel = match i {
            0 | 30 => "gevoel_weet_niet",
            1 | 2 | 4 => "",
            _ => ["positief", "negatief", "gemengd"][(i / 3) % 3],
        };
        let betrokken = match i {
            59 => "",
            _ if i.is_multiple_of(4) => "school;wijkteam",
            _ => "wijkteam",
        };
        let leeftijd = if role == "jongere" && i < 45 {
            "jaar_12_15"
        } else {
            ""
        };
        let hulp = if role == "professional" {
            ""
        } else {
            "hulp_ggz"
        };
        csv.push_str(&format!(
            "dash-{i:02},2026-0{}-01T10:00:00Z,{role},Verhaal {i},Een verzonnen verhaal nummer {i}.,{},{op_tijd},{gevoel},{betrokken},{leeftijd},{hulp}\n",
            1 + i % 6,
            20 + 30 * (i % 3),
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

/// The card of one question (its `<section>`).
fn card(page: &Page, key: &str) -> String {
    let start = format!("<section class=\"dash-card\" id=\"vraag-{key}\"");
    let at = page
        .body
        .find(&start)
        .unwrap_or_else(|| panic!("no card for {key}"));
    let rest = &page.body[at..];
    rest[..rest.find("</section>").expect("card closes")].to_string()
}

/// The texts of the elements `<text … class="{class}…">…</text>` in `svg`, in order.
fn texts(svg: &str, class: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .filter(|t| {
            let open = &t[..t.find('>').unwrap_or(0)];
            open.contains(&format!("class=\"{class}"))
        })
        .map(|t| {
            let from = t.find('>').unwrap_or(0) + 1;
            let to = t.find("</text>").unwrap_or(t.len());
            unescape(&t[from..to])
        })
        .collect()
}

/// The left and the right end under a slider chart, each line joined by a space.
fn poles(card: &str) -> (String, String) {
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for t in card.split("<text ").skip(1) {
        let open = &t[..t.find('>').unwrap_or(0)];
        if !open.contains("class=\"chart-pole\"") {
            continue;
        }
        let text = unescape(&t[open.len() + 1..t.find("</text>").unwrap_or(t.len())]);
        if open.contains("text-anchor=\"end\"") {
            right.push(text);
        } else {
            left.push(text);
        }
    }
    (left.join(" "), right.join(" "))
}

#[test]
fn the_dashboard_lays_out_cards_and_draws_a_multichoice_question_as_one_chart() {
    let (_app, reader) = setup();
    let page = reader.get(PATH);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("<div class=\"dashboard\">");
    page.assert_contains("<div class=\"dash-grid\">");
    let betrokken = card(&page, "wie_betrokken");
    assert_eq!(betrokken.matches("<svg").count(), 1, "{betrokken}");
    // Every option is a bar of this one chart, with the share of the 59 stories that answered.
    let labels = texts(&betrokken, "chart-label");
    for option in [
        "Het wijkteam of sociaal team",
        "Het loket of iemand anders van de gemeente",
        "Iemand van school, zoals een mentor of leraar",
        "De huisarts of de praktijkondersteuner",
        "Een hulpverlener van een zorgorganisatie",
        "Een jeugdbeschermer of gezinsvoogd",
        "Iemand van de jeugdreclassering",
        "Een pleeggezin of gezinshuis",
        "Een vrijwilliger of iemand uit de buurt",
        "Iemand anders",
    ] {
        assert!(labels.iter().any(|l| l == option), "{option} in {labels:?}");
    }
    let values = texts(&betrokken, "chart-value");
    assert_eq!(values.len(), 10, "{values:?}");
    // Wijkteam 59 of 59; school: stories 0, 4, … 56 = 15 of 59.
    assert_eq!(values[0], "59 · 100%");
    assert_eq!(values[2], "15 · 25%");
    // No yes/no chart per option any more.
    let questions = &page.body[page.body.find("<h2>De vragen</h2>").expect("questions")..];
    assert!(!questions.contains("Het wijkteam of sociaal team: ja"));
    assert!(!questions.contains("Het wijkteam of sociaal team: nee"));
    // The one story without an answer is a line and a table row, not a bar.
    assert!(
        betrokken.contains("<li>Geen antwoord: &lt; 5 verhalen</li>"),
        "{betrokken}"
    );
    assert!(betrokken.contains("59 verhalen met een antwoord"));
    // The table links each option to its stories.
    assert!(betrokken.contains(&escape(
        "/beheer/p/jeugdhulp/verkennen?a=wie_betrokken%3Aschool"
    )));
}

#[test]
fn a_question_for_one_role_counts_the_others_as_not_asked() {
    let (_app, reader) = setup();
    let page = reader.get(PATH);
    let leeftijd = card(&page, "leeftijd");
    assert!(
        leeftijd.contains("Alleen gevraagd aan ‘Ik ben een kind of jongere’"),
        "{leeftijd}"
    );
    // 40 ouders and professionals were not asked; 5 jongeren left it empty.
    assert!(leeftijd.contains(
        "<li>Niet gevraagd aan ‘Ik ben ouder of verzorger’ en ‘Ik werk in de jeugdhulp of het onderwijs’: 40 verhalen</li>"
    ), "{leeftijd}");
    assert!(
        leeftijd.contains("<li>Geen antwoord: 5 verhalen</li>"),
        "{leeftijd}"
    );
    assert!(leeftijd.contains("15 verhalen met een antwoord"));
    // Neither is drawn: the chart only has the answer options.
    let labels = texts(&leeftijd, "chart-label");
    assert_eq!(labels.len(), 6, "{labels:?}");
    assert!(!leeftijd.contains("geen antwoord</text>"));
    // The table names both apart, per role.
    assert!(leeftijd.contains(
        "<th scope=\"row\">Niet gevraagd aan ‘Ik ben ouder of verzorger’</th><td>20</td>"
    ));
    assert!(leeftijd.contains("<th scope=\"row\">Geen antwoord</th><td>5</td>"));

    // A question for two roles: only the professionals were not asked.
    let hulp = card(&page, "hulp_gehad");
    assert!(
        hulp.contains(
            "<li>Niet gevraagd aan ‘Ik werk in de jeugdhulp of het onderwijs’: 20 verhalen</li>"
        ),
        "{hulp}"
    );
    assert!(!hulp.contains("Geen antwoord"), "{hulp}");

    // Filtered to ouders only: nobody was asked "leeftijd", and the card says so.
    let parents = reader.get(&format!("{PATH}?rol=ouder"));
    let leeftijd = card(&parents, "leeftijd");
    assert!(!leeftijd.contains("<svg"), "{leeftijd}");
    assert!(leeftijd.contains("Deze vraag is aan geen van deze vertellers gesteld (20 verhalen)."));
}

#[test]
fn a_question_added_later_was_not_asked_in_older_stories() {
    let (app, reader) = setup();
    // A new slider after stories were told makes version 2 of the questionnaire.
    let list = "/beheer/p/jeugdhulp/vragenlijst";
    let csrf = app.csrf(list);
    let added = app.post(
        &format!("{list}/nieuw"),
        &[
            ("csrf", csrf.as_str()),
            ("soort", "slider"),
            ("label", "Was de hulp dichtbij?"),
            ("links", "Heel ver weg"),
            ("rechts", "Om de hoek"),
            ("rol", "jongere"),
            ("rol", "ouder"),
            ("rol", "professional"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let mut later = String::from("id,created_at,role,title,text,was_de_hulp_dichtbij\n");
    for i in 0..6 {
        later.push_str(&format!(
            "later-{i},2026-07-01T10:00:00Z,ouder,Later {i},Een later verhaal.,{}\n",
            10 * i
        ));
    }
    transfer::import_csv(&app.database(), "jeugdhulp", later.as_bytes()).unwrap();
    let page = reader.get(PATH);
    let new = card(&page, "was_de_hulp_dichtbij");
    assert!(
        new.contains(
            "<li>Niet gevraagd, omdat de vraag nog niet in hun vragenlijst stond: 60 verhalen</li>"
        ),
        "{new}"
    );
    assert!(!new.contains("Geen antwoord"), "{new}");
    assert!(new.contains("6 antwoorden · gemiddeld 25,0"), "{new}");
}

#[test]
fn slider_histograms_name_both_ends_and_weet_ik_niet_apart() {
    let (_app, reader) = setup();
    let page = reader.get(PATH);
    let op_tijd = card(&page, "op_tijd");
    assert_eq!(
        poles(&op_tijd),
        ("← Veel te laat".into(), "Precies op tijd →".into())
    );
    // The left end starts at the left of the axis, the right one ends at its right; each
    // keeps its full text in a tooltip.
    assert!(op_tijd.contains(
        "<g><title>Veel te laat</title><text x=\"6.0\" y=\"168.0\" text-anchor=\"start\" class=\"chart-pole\">← Veel te laat</text></g>"
    ), "{op_tijd}");
    assert!(op_tijd.contains("<title>Precies op tijd</title>"));
    // "Weet ik niet" (6 stories) is its own column, apart from the scale, and in the table.
    assert!(
        op_tijd.contains("<title>weet ik niet: 6</title>"),
        "{op_tijd}"
    );
    assert!(op_tijd.contains("<th scope=\"row\">Weet ik niet</th><td>6</td>"));
    assert!(op_tijd.contains("54 antwoorden · gemiddeld"), "{op_tijd}");
    // A slider without "weet ik niet" has no such column; its poles are there too.
    let gehoord = card(&page, "gehoord");
    assert!(!gehoord.contains("weet ik niet"));
    // A long end is wrapped between words on its own side, the arrow next to the scale.
    assert_eq!(
        texts(&gehoord, "chart-pole"),
        ["← Niemand luisterde", "Er werd echt", "geluisterd →"]
    );
    assert_eq!(
        poles(&gehoord),
        (
            "← Niemand luisterde".into(),
            "Er werd echt geluisterd →".into()
        )
    );
    let samenwerking = card(&page, "samenwerking");
    assert!(!samenwerking.contains("<svg"), "no answers, no chart");
    // A slider nobody answered yet has no empty chart, only a line that says so.
    let klik = card(&page, "klik");
    assert!(!klik.contains("<svg"), "{klik}");
    assert!(klik.contains("Nog geen antwoorden."), "{klik}");
}

#[test]
fn long_labels_wrap_between_words_and_keep_their_full_text_in_a_title() {
    let (_app, reader) = setup();
    let page = reader.get(PATH);
    let hulp = card(&page, "hulp_gehad");
    let long = "Hulp bij problemen met je gevoel of gedrag (jeugd-ggz)";
    // The full label is the row's tooltip and the table's row header …
    assert!(
        hulp.contains(&format!("<title>{}: 40 · 100%</title>", escape(long))),
        "{hulp}"
    );
    assert!(hulp.contains(&format!("<th scope=\"row\">{}</th>", escape(long))));
    // … and on the chart it is broken between words, not cut off.
    let labels = texts(&hulp, "chart-label");
    assert!(!labels.iter().any(|l| l == long), "{labels:?}");
    let at = labels
        .iter()
        .position(|l| long.starts_with(l.as_str()))
        .expect("first line");
    assert_eq!(format!("{} {}", labels[at], labels[at + 1]), long);
    for option in [
        "Gesprekken, bijvoorbeeld met het wijkteam of een coach",
        "Wonen in een groep of instelling",
    ] {
        assert!(
            hulp.contains(&format!("<title>{}: ", escape(option))),
            "{option}"
        );
    }
}

#[test]
fn small_counts_read_less_than_k_and_a_small_filter_shows_no_figures() {
    let (_app, reader) = setup();
    let page = reader.get(PATH);
    let gevoel = card(&page, "gevoel");
    // "Dat weet ik niet": 2 stories.
    assert!(
        gevoel.contains("<title>Dat weet ik niet: &lt; 5</title>"),
        "{gevoel}"
    );
    assert!(gevoel.contains("<th scope=\"row\">Dat weet ik niet</th><td>&lt; 5</td><td>–</td>"));
    // 3 stories without an answer: a small count too.
    assert!(
        gevoel.contains("<li>Geen antwoord: &lt; 5 verhalen</li>"),
        "{gevoel}"
    );
    assert!(!gevoel.contains(">2<") && !gevoel.contains(">3<"));
    // A filter that leaves fewer than k stories: no figures at all.
    let small = reader.get(&format!("{PATH}?a=gevoel:gevoel_weet_niet"));
    assert_eq!(small.status, 200);
    small.assert_contains("Om vertellers te beschermen tonen we geen cijfers");
    assert!(!small.body.contains("<svg"));
    assert!(!small.body.contains("dash-card"));
}
