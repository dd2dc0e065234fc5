//! The begeleider's path through a duidingssessie without breaks: the material form of a
//! table shows and keeps what was chosen, and the session report (page and PDF) says where
//! each verbetervoorstel grew from.

use crate::helpers::*;
use crate::sensemaking::{join, note, plan, ready_card, setup, some_stories, Planned};

/// One checkbox of a form: name, value, ticked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Box {
    name: String,
    value: String,
    checked: bool,
}

/// The value of `attr="…"` in one tag.
fn attribute(tag: &str, attr: &str) -> Option<String> {
    let marker = format!(" {attr}=\"");
    let at = tag.find(&marker)? + marker.len();
    let end = tag[at..].find('"')?;
    Some(unescape(&tag[at..at + end]))
}

/// The material form of `table` on the session page, as HTML.
fn material_form(page: &Page, planned: &Planned, table: &str) -> String {
    let action = format!("action=\"{}/tafels/{table}/materiaal\"", planned.path);
    let start = page
        .body
        .find(&action)
        .unwrap_or_else(|| panic!("no material form for {table}: {}", page.body));
    let end = page.body[start..].find("</form>").expect("end of form") + start;
    page.body[start..end].to_string()
}

/// Every checkbox of the material form of `table`, in page order.
fn boxes(page: &Page, planned: &Planned, table: &str) -> Vec<Box> {
    let form = material_form(page, planned, table);
    form.match_indices("<input ")
        .filter_map(|(at, _)| {
            let tag = &form[at..at + form[at..].find('>').expect("end of tag")];
            (attribute(tag, "type").as_deref() == Some("checkbox")).then(|| Box {
                name: attribute(tag, "name").expect("name"),
                value: attribute(tag, "value").expect("value"),
                checked: tag.contains(" checked"),
            })
        })
        .collect()
}

/// The ticked boxes as (name, value), sorted: what the form posts when it is saved unchanged.
fn ticked(boxes: &[Box]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = boxes
        .iter()
        .filter(|b| b.checked)
        .map(|b| (b.name.clone(), b.value.clone()))
        .collect();
    out.sort();
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    out.sort();
    out
}

/// Posts the material form of `table` with these boxes ticked and nothing typed; follows the
/// redirect back to the session page and returns it.
fn save_material(
    begeleider: &Browser,
    planned: &Planned,
    table: &str,
    ticks: &[(String, String)],
) -> Page {
    let csrf = begeleider.csrf(&planned.path);
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    form.extend(ticks.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    form.push(("extra_verhalen", ""));
    let saved = begeleider.post(&format!("{}/tafels/{table}/materiaal", planned.path), &form);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let location = saved.header("location").expect("location").to_string();
    assert!(
        location.ends_with(&format!("#tafel-{table}")),
        "back at the table: {location}"
    );
    let page = begeleider.get(&location);
    assert_eq!(page.status, 200, "{}", page.body);
    page
}

/// Links stories to an observation card as its typical stories.
fn add_stories(begeleider: &Browser, card: &str, stories: &[String]) {
    let path = format!("/beheer/p/demo/observaties/{card}");
    let csrf = begeleider.csrf(&path);
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    form.extend(stories.iter().map(|s| ("verhaal", s.as_str())));
    let added = begeleider.post(&format!("{path}/verhalen"), &form);
    assert!(
        added.status == 303 || added.status == 200,
        "{}: {}",
        added.status,
        added.body
    );
}

#[test]
fn the_material_form_shows_keeps_and_removes_what_was_chosen() {
    let (_app, begeleider, wait) = setup();
    let explain = ready_card(&begeleider, "Niemand legt uit wat er gebeurt");
    let s = some_stories(&begeleider, 7);
    // Typical stories: three for the first card, three for the second; s[5] belongs to none.
    add_stories(&begeleider, &wait, &s[0..3]);
    add_stories(
        &begeleider,
        &explain,
        &[s[3].clone(), s[4].clone(), s[6].clone()],
    );
    let planned = plan(&begeleider, &wait);
    let (one, two) = (planned.tables[0].clone(), planned.tables[1].clone());

    // Two cards, five of their stories and one other story, as the form posts them.
    let csrf = begeleider.csrf(&planned.path);
    let saved = begeleider.post(
        &format!("{}/tafels/{one}/materiaal", planned.path),
        &[
            ("csrf", &csrf),
            ("kaart", &wait),
            ("kaart", &explain),
            ("verhaal", &s[0]),
            ("verhaal", &s[1]),
            ("verhaal", &s[2]),
            ("verhaal", &s[3]),
            ("verhaal", &s[4]),
            ("extra_verhalen", &s[5].to_lowercase()),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = begeleider.get(saved.header("location").expect("location"));
    page.assert_contains("Het materiaal is bewaard: 2 kaarten en 6 verhalen op Tafel 1.");
    // The message is at this table only; the other table says what it reads.
    assert_eq!(page.body.matches("Het materiaal is bewaard").count(), 1);
    page.assert_contains("Materiaal: 0 kaarten en 0 verhalen.");

    // Opened again: exactly the chosen boxes are ticked, the typical stories under their card,
    // the other story ticked under "Andere verhalen" and the add field empty.
    let chosen = pairs(&[
        ("kaart", &wait),
        ("kaart", &explain),
        ("verhaal", &s[0]),
        ("verhaal", &s[1]),
        ("verhaal", &s[2]),
        ("verhaal", &s[3]),
        ("verhaal", &s[4]),
        ("verhaal", &s[5]),
    ]);
    let page = begeleider.get(&planned.path);
    page.assert_contains("Materiaal: 2 kaarten en 6 verhalen.");
    assert!(!page.body.contains("Het materiaal is bewaard"));
    let form = boxes(&page, &planned, &one);
    assert_eq!(ticked(&form), chosen, "{form:?}");
    let unticked: Vec<&Box> = form.iter().filter(|b| !b.checked).collect();
    assert_eq!(unticked.len(), 1, "{form:?}");
    assert_eq!(
        unticked[0].value, s[6],
        "the untaken story of a chosen card"
    );
    let at = |value: &str| {
        form.iter()
            .position(|b| b.value == value)
            .unwrap_or_else(|| panic!("no box for {value}: {form:?}"))
    };
    assert_eq!(form.len(), 9, "{form:?}");
    for (card, stories) in [
        (&wait, [&s[0], &s[1], &s[2]]),
        (&explain, [&s[3], &s[4], &s[6]]),
    ] {
        let card_at = at(card);
        for story in stories {
            assert!(
                (card_at + 1..card_at + 4).contains(&at(story)),
                "{story} right under its card {card}: {form:?}"
            );
        }
    }
    assert_eq!(at(&s[5]), 8, "the other story comes last: {form:?}");
    let html = material_form(&page, &planned, &one);
    let others_at = html
        .find("<legend>Andere verhalen</legend>")
        .expect("others");
    let other_at = html
        .find(&format!("value=\"{}\"", s[5]))
        .expect("other story");
    assert!(
        other_at > others_at,
        "the other story is under Andere verhalen"
    );
    assert!(
        html.contains("name=\"extra_verhalen\" value=\"\""),
        "the add field starts empty: {html}"
    );
    // The other table's form has nothing ticked.
    let other_table = boxes(&page, &planned, &two);
    assert!(!other_table.is_empty() && other_table.iter().all(|b| !b.checked));

    // Saved unchanged: the same material, and the message says so.
    let page = save_material(&begeleider, &planned, &one, &chosen);
    page.assert_contains("Het materiaal is bewaard: 2 kaarten en 6 verhalen op Tafel 1.");
    assert_eq!(ticked(&boxes(&page, &planned, &one)), chosen);

    // Unticking a card's story takes it off the table; it stays in the list, unticked.
    let without_story: Vec<(String, String)> =
        chosen.iter().filter(|(_, v)| *v != s[1]).cloned().collect();
    let page = save_material(&begeleider, &planned, &one, &without_story);
    page.assert_contains("Het materiaal is bewaard: 2 kaarten en 5 verhalen op Tafel 1.");
    let form = boxes(&page, &planned, &one);
    assert_eq!(ticked(&form), without_story);
    assert!(form.iter().any(|b| b.value == s[1] && !b.checked));

    // Unticking the other story takes it off the table and out of the form.
    let without_other: Vec<(String, String)> = without_story
        .iter()
        .filter(|(_, v)| *v != s[5])
        .cloned()
        .collect();
    let page = save_material(&begeleider, &planned, &one, &without_other);
    page.assert_contains("Het materiaal is bewaard: 2 kaarten en 4 verhalen op Tafel 1.");
    let form = boxes(&page, &planned, &one);
    assert_eq!(ticked(&form), without_other);
    assert!(!form.iter().any(|b| b.value == s[5]), "{form:?}");

    // Unticking a card takes the card off; its chosen stories stay until they are unticked.
    let one_card: Vec<(String, String)> = without_other
        .iter()
        .filter(|(_, v)| *v != explain)
        .cloned()
        .collect();
    let page = save_material(&begeleider, &planned, &one, &one_card);
    page.assert_contains("Het materiaal is bewaard: 1 kaart en 4 verhalen op Tafel 1.");
    let form = boxes(&page, &planned, &one);
    assert_eq!(ticked(&form), one_card);
    assert!(form.iter().any(|b| b.value == explain && !b.checked));

    // A refused post keeps what was ticked and typed, and changes nothing.
    let csrf = begeleider.csrf(&planned.path);
    let refused = begeleider.post(
        &format!("{}/tafels/{one}/materiaal", planned.path),
        &[
            ("csrf", &csrf),
            ("kaart", &explain),
            ("verhaal", &s[6]),
            ("extra_verhalen", "VP-BESTAATNIET"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Verhaal VP-BESTAATNIET bestaat niet in dit project");
    assert_eq!(
        ticked(&boxes(&refused, &planned, &one)),
        pairs(&[("kaart", &explain), ("verhaal", &s[6])])
    );
    assert!(material_form(&refused, &planned, &one)
        .contains("name=\"extra_verhalen\" value=\"VP-BESTAATNIET\""));
    let page = begeleider.get(&planned.path);
    page.assert_contains("Materiaal: 1 kaart en 4 verhalen.");
    assert_eq!(ticked(&boxes(&page, &planned, &one)), one_card);
}

/// The part of the report about the proposal titled `title`.
fn proposal_block(body: &str, title: &str) -> String {
    let blocks: Vec<&str> = body
        .split("<div class=\"proposal\">")
        .skip(1)
        .filter(|b| b.contains(&format!("<h4>{title}</h4>")))
        .collect();
    assert_eq!(blocks.len(), 1, "one proposal {title:?} in: {body}");
    let block = blocks[0];
    block[..block.find("</div>").expect("end of proposal")].to_string()
}

/// Whitespace folded to single spaces, so that wrapped lines compare as one text.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_report_says_where_each_proposal_grew_from() {
    let (app, begeleider, wait) = setup();
    let explain = ready_card(&begeleider, "Niemand legt uit wat er gebeurt");
    let s = some_stories(&begeleider, 1);
    let planned = plan(&begeleider, &wait);
    let table = planned.tables[0].clone();
    let csrf = begeleider.csrf(&planned.path);
    let set = begeleider.post(
        &format!("{}/tafels/{table}/materiaal", planned.path),
        &[
            ("csrf", &csrf),
            ("kaart", &wait),
            ("kaart", &explain),
            ("extra_verhalen", &s[0]),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.body);

    // Three notes; two go into a group, the third is ticked as a source of its own.
    let code = planned.code.clone();
    let sam = join(&app, &code, &table, "Sam");
    let mut notes = Vec::new();
    for text in [
        "eerder laten weten hoe lang het wachten duurt bij de jeugdhulp in de regio",
        "een vaste contactpersoon geven tijdens het wachten",
        "uitleggen wat er na de aanmelding gebeurt",
    ] {
        let posted = note(&sam, &code, text);
        assert_eq!(posted.status, 303, "{}", posted.body);
        let location = posted.header("location").expect("location");
        notes.push(location.rsplit("#notitie-").next().expect("id").to_string());
    }
    let csrf = sam.csrf(&format!("/s/{code}/tafel"));
    let grouped = sam.post(
        &format!("/s/{code}/groepen"),
        &[("csrf", &csrf), ("naam", "Wachten"), ("notitie", &notes[0])],
    );
    assert_eq!(grouped.status, 303, "{}", grouped.body);
    let cluster = grouped
        .header("location")
        .and_then(|l| l.rsplit("#groep-").next())
        .expect("cluster")
        .to_string();
    let moved = sam.post(
        &format!("/s/{code}/notities/{}/groep", notes[1]),
        &[("csrf", &csrf), ("groep", &cluster)],
    );
    assert_eq!(moved.status, 303, "{}", moved.body);
    let (kaart_wait, kaart_explain) = (format!("kaart:{wait}"), format!("kaart:{explain}"));
    let (verhaal, notitie) = (format!("verhaal:{}", s[0]), format!("notitie:{}", notes[2]));
    let proposed = sam.post(
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
            ("bron", &kaart_wait),
            ("bron", &kaart_explain),
            ("bron", &verhaal),
            ("bron", &notitie),
        ],
    );
    assert_eq!(proposed.status, 303, "{}", proposed.body);
    let proposal = proposed
        .header("location")
        .and_then(|l| l.rsplit("#voorstel-").next())
        .expect("proposal")
        .to_string();
    // A second proposal with nothing to grow from.
    let bare = sam.post(
        &format!("/s/{code}/voorstellen"),
        &[
            ("csrf", &csrf),
            ("groep", ""),
            ("titel", "Een kop koffie"),
            ("wat", "iedereen welkom heten met koffie"),
            ("zodat", "het gesprek makkelijker begint"),
            ("eerste_stap", "Koffie kopen"),
            ("eigenaar", "Noor"),
            ("eigenaar_email", ""),
            ("niveau", "lokaal"),
        ],
    );
    assert_eq!(bare.status, 303, "{}", bare.body);

    // The proposal's own page lists two cards, the story and three notes.
    let own = begeleider.get(&format!("/beheer/p/demo/voorstellen/{proposal}"));
    assert_eq!(own.status, 200, "{}", own.body);
    own.assert_contains(&format!("Observatiekaart {wait}"));
    own.assert_contains(&format!("Observatiekaart {explain}"));
    own.assert_contains(&format!("Verhaal {}", s[0]));
    for id in &notes {
        own.assert_contains(&format!("Notitie {id}"));
    }

    // The report page lists the same sources under the proposal, and the other one has none.
    let expected = [
        "Kaart: Wachten duurt lang".to_string(),
        "Kaart: Niemand legt uit wat er gebeurt".to_string(),
        format!("Verhaal {}:", s[0]),
        "Notitie: We zouden eigenlijk eerder laten weten hoe lang het wachten duurt bij de jeugdhulp …".to_string(),
        "Notitie: We zouden eigenlijk een vaste contactpersoon geven tijdens het wachten moeten doen, zodat jongeren …".to_string(),
        "Notitie: We zouden eigenlijk uitleggen wat er na de aanmelding gebeurt moeten doen, zodat jongeren …".to_string(),
    ];
    for page in [
        begeleider.get(&format!("{}/verslag", planned.path)),
        sam.get(&format!("/s/{code}/verslag")),
    ] {
        assert_eq!(page.status, 200, "{}", page.body);
        let body = unescape(&page.body);
        let first = proposal_block(&body, "Wachttijd eerlijk melden");
        assert!(first.contains("<dt>Gegroeid uit</dt>"), "{first}");
        for line in &expected {
            assert!(
                first.contains(&format!("<li>{line}")),
                "{line:?} not in {first}"
            );
        }
        let second = proposal_block(&body, "Een kop koffie");
        assert!(!second.contains("Gegroeid uit"), "{second}");
    }

    // The PDF says the same, and never "Gegroeid uit –".
    let (status, content_type, pdf) =
        begeleider.get_bytes(&format!("{}/verslag.pdf", planned.path));
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    if let Some(text) = crate::observations::pdf_text(&pdf) {
        let text = flat(&text);
        assert!(text.contains("Gegroeid uit"), "{text}");
        assert!(!text.contains("Gegroeid uit –"), "{text}");
        assert!(!text.contains("Gegroeid uit -"), "{text}");
        for line in &expected {
            assert!(text.contains(&flat(line)), "{line:?} not in {text}");
        }
        assert_eq!(text.matches("Gegroeid uit").count(), 1, "{text}");
    }
}
