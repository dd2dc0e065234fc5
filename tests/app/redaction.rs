//! Redaction reaches every copy of a story's text (quotes, cards, decks, booklets, session
//! tables, reports), and session tables show a story without names and numbers unless a
//! begeleider approved its own text (only when the teller allowed quotes).

use crate::helpers::*;
use vertelpunt::store::stories::{self, StaffFilter};

const NAME: &str = "Joris Verbruggen";
const QUOTE: &str = "Mijn mentor Joris Verbruggen belde het wijkteam";
const TEXT: &str = "Mijn mentor Joris Verbruggen belde het wijkteam toen het niet goed ging. \
Daarna ging het snel en voelde ik me eindelijk gehoord door de mensen om mij heen.";

/// A story told in "jeugdhulp"; returns its id.
fn tell(app: &TestApp, title: &str, text: &str, quotes: bool) -> String {
    let teller = app.browser();
    let form = teller.open_form("jongere");
    let mut fields = story_fields(&form, "jongere", title, text);
    if quotes {
        fields.push(("toestemming_citaten".into(), "ja".into()));
    }
    let thanks = teller.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let db = app.database();
    let mut conn = db.conn().expect("connection");
    stories::list_for_staff(&mut conn, "jeugdhulp", StaffFilter::All, None, 1000, 0)
        .expect("list")
        .into_iter()
        .find(|s| s.title == title)
        .expect("the story is stored")
        .id
}

/// A ready observation in "jeugdhulp" with `story` and a quote from it; returns its path.
fn card_with_quote(begeleider: &Browser, story: &str, quote: &str) -> String {
    let csrf = begeleider.csrf("/beheer/p/jeugdhulp/observaties");
    let made = begeleider.post(
        "/beheer/p/jeugdhulp/observaties",
        &[("csrf", &csrf), ("titel", "Snel geholpen")],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.header("location").expect("location").to_string();
    let saved = begeleider.post(
        &path,
        &[
            ("csrf", &csrf),
            ("titel", "Snel geholpen"),
            ("beschrijving", "Een mentor maakt het verschil."),
            ("duiding_a", "Scholen zien het eerst."),
            ("duiding_b", "Het wijkteam is goed bereikbaar."),
            ("thema", "Toegang"),
            ("notities", ""),
            ("status", "klaar"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let added = begeleider.post(
        &format!("{path}/verhalen"),
        &[("csrf", &csrf), ("verhaal", story)],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let quoted = begeleider.post(
        &format!("{path}/citaten"),
        &[("csrf", &csrf), ("verhaal", story), ("citaat", quote)],
    );
    assert_eq!(quoted.status, 303, "{}", quoted.body);
    path
}

struct Session {
    path: String,
    code: String,
    table: String,
}

/// A session in "jeugdhulp" with one table reading `card` and `story`, with the story's own
/// text approved for the table when `original`.
fn session(begeleider: &Browser, card: Option<&str>, story: &str, original: bool) -> Session {
    let csrf = begeleider.csrf("/beheer/p/jeugdhulp/sessies");
    let made = begeleider.post(
        "/beheer/p/jeugdhulp/sessies",
        &[
            ("csrf", &csrf),
            ("titel", "Duidingssessie Zuid"),
            ("datum", "2026-12-01"),
            ("tijd", "19:30"),
            ("plaats", "Buurthuis De Linde"),
            ("doel", "Samen kijken naar hulp op tijd."),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.header("location").expect("location").to_string();
    let added = begeleider.post(
        &format!("{path}/tafels"),
        &[("csrf", &csrf), ("naam", "Tafel 1"), ("kleur", "groen")],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let page = begeleider.get(&path);
    let body = unescape(&page.body);
    let at = body.find("/s/").expect("join link");
    let code: String = body[at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let at = page.body.find("id=\"tafel-TA-").expect("a table") + 10;
    let table: String = page.body[at..].chars().take_while(|c| *c != '"').collect();
    let mut form = vec![("csrf", csrf.as_str()), ("verhaal", story)];
    if let Some(card) = card {
        form.push(("kaart", card));
    }
    if original {
        form.push(("eigen_tekst", story));
    }
    let set = begeleider.post(&format!("{path}/tafels/{table}/materiaal"), &form);
    assert_eq!(set.status, 303, "{}", set.body);
    Session { path, code, table }
}

fn pdf(browser: &Browser, path: &str) -> Option<String> {
    let mut response = browser
        .client
        .get(format!("{}{path}", browser.base))
        .call()
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let bytes = response.body_mut().read_to_vec().expect("body");
    crate::observations::pdf_text(&bytes)
}

/// Every view of the name, as `(where, text)`.
fn views(app: &TestApp, begeleider: &Browser, card: &str, s: &Session) -> Vec<(String, String)> {
    let card_id = card.rsplit('/').next().expect("id");
    let mut out = Vec::new();
    for page in [
        card.to_string(),
        format!("{card}/kaart"),
        s.path.clone(),
        format!("{}/verslag", s.path),
        format!("{}/tafels/{}", s.path, s.table),
    ] {
        let got = begeleider.get(&page);
        assert_eq!(got.status, 200, "{page}: {}", got.body);
        out.push((page, got.body));
    }
    for page in [
        format!("/beheer/p/jeugdhulp/observaties/{card_id}/kaart.pdf"),
        "/beheer/p/jeugdhulp/observaties/kaarten.pdf".to_string(),
        "/beheer/p/jeugdhulp/observaties/ervaringen.pdf".to_string(),
        format!("{}/verslag.pdf", s.path),
    ] {
        if let Some(text) = pdf(begeleider, &page) {
            // pdftotext may break a line between the two words.
            out.push((page, text.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
    }
    let participant = crate::sensemaking::join(app, &s.code, &s.table, "Sam");
    for page in [
        format!("/s/{}/tafel", s.code),
        format!("/s/{}/verslag", s.code),
    ] {
        let got = participant.get(&page);
        assert_eq!(got.status, 200, "{page}: {}", got.body);
        out.push((page, got.body));
    }
    out
}

#[test]
fn a_redacted_name_leaves_every_copy_of_the_story() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let story = tell(&app, "Hulp via school", TEXT, true);
    let card = card_with_quote(&begeleider, &story, QUOTE);
    let card_id = card.rsplit('/').next().expect("id").to_string();
    // The table reads the story's own text (the teller allowed quotes), so the name is there.
    let s = session(&begeleider, Some(&card_id), &story, true);

    // Before: the name is on the card, in its PDF and at the table.
    let before = views(&app, &begeleider, &card, &s);
    for page in [
        card.clone(),
        format!("{card}/kaart"),
        format!("/beheer/p/jeugdhulp/observaties/{card_id}/kaart.pdf"),
        format!("/s/{}/tafel", s.code),
    ] {
        let (_, text) = before
            .iter()
            .find(|(p, _)| *p == page)
            .unwrap_or_else(|| panic!("{page} not read"));
        assert!(text.contains(NAME), "{page} does not show the name before");
    }

    let csrf = begeleider.csrf(&format!("/beheer/p/jeugdhulp/verhalen/{story}"));
    let done = begeleider.post(
        &format!("/beheer/p/jeugdhulp/verhalen/{story}/weglakken"),
        &[("csrf", &csrf), ("stukje", NAME)],
    );
    assert_eq!(done.status, 303, "{}", done.body);

    // After: the name is nowhere, and the quote stays, redacted like its story.
    for (page, text) in views(&app, &begeleider, &card, &s) {
        assert!(!text.contains(NAME), "{page} still shows the name");
        assert!(!text.contains("Verbruggen"), "{page} still shows the name");
    }
    begeleider
        .get(&card)
        .assert_contains("Mijn mentor [weggelaten] belde het wijkteam");
    // And nothing of it is left in the database's quotes.
    let db = app.database();
    let mut conn = db.conn().expect("connection");
    let quotes = vertelpunt::store::observations::quotes(&mut conn, &card_id).expect("quotes");
    assert_eq!(quotes.len(), 1);
    assert!(!quotes[0].text.contains(NAME));
}

#[test]
fn a_quote_cut_through_the_redacted_fragment_is_removed() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let story = tell(&app, "Hulp via school", TEXT, true);
    // The quote starts inside the fragment that is redacted next.
    let card = card_with_quote(&begeleider, &story, "Verbruggen belde het wijkteam toen");
    let card_id = card.rsplit('/').next().expect("id").to_string();
    let csrf = begeleider.csrf(&format!("/beheer/p/jeugdhulp/verhalen/{story}"));
    let done = begeleider.post(
        &format!("/beheer/p/jeugdhulp/verhalen/{story}/weglakken"),
        &[("csrf", &csrf), ("stukje", "mentor Joris Verbruggen")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let page = begeleider.get(&card);
    assert!(!page.body.contains("Verbruggen"), "{}", page.body);
    let db = app.database();
    let mut conn = db.conn().expect("connection");
    let quotes = vertelpunt::store::observations::quotes(&mut conn, &card_id).expect("quotes");
    assert!(quotes.is_empty(), "{quotes:?}");
}

const PERSONAL: &str = "Mijn zoon Daan Hoekstra belde vaak met 06-12345678 en mailde naar \
daan.hoekstra@voorbeeld.nl. Zijn BSN 111222333 stond op elke brief van de gemeente.";

#[test]
fn a_table_reads_a_story_without_names_and_numbers_unless_its_own_text_is_approved() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let story = tell(&app, "Wachten op Daan Hoekstra", PERSONAL, true);
    let s = session(&begeleider, None, &story, false);

    // The planning page says which text the table reads.
    let planning = begeleider.get(&s.path);
    planning.assert_contains("Aan tafel: tekst zonder namen en nummers");
    planning.assert_contains("name=\"eigen_tekst\"");
    assert!(!planning
        .body
        .contains("Aan tafel: de eigen tekst (toegestaan)"));

    let participant = crate::sensemaking::join(&app, &s.code, &s.table, "Sam");
    let table = participant.get(&format!("/s/{}/tafel", s.code));
    for tag in ["[naam]", "[telefoon]", "[e-mail]", "[bsn]"] {
        assert!(table.body.contains(tag), "{tag} missing: {}", table.body);
    }
    for raw in [
        "Hoekstra",
        "06-12345678",
        "daan.hoekstra@voorbeeld.nl",
        "111222333",
    ] {
        assert!(!table.body.contains(raw), "{raw} shown at the table");
    }
    let report = participant.get(&format!("/s/{}/verslag", s.code));
    assert!(!report.body.contains("Hoekstra"), "{}", report.body);

    // Approved (the teller allowed quotes): the table reads the own text.
    let approved = session_material(&begeleider, &s, &story, true);
    assert_eq!(approved.status, 303, "{}", approved.body);
    begeleider
        .get(&s.path)
        .assert_contains("Aan tafel: de eigen tekst (toegestaan)");
    let table = participant.get(&format!("/s/{}/tafel", s.code));
    table.assert_contains("06-12345678");
    table.assert_contains("Daan Hoekstra");

    // Saving the material without the box takes the approval back.
    let back = session_material(&begeleider, &s, &story, false);
    assert_eq!(back.status, 303, "{}", back.body);
    let table = participant.get(&format!("/s/{}/tafel", s.code));
    assert!(!table.body.contains("06-12345678"));
}

#[test]
fn the_own_text_is_refused_for_a_story_without_permission_for_quotes() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let story = tell(&app, "Wachten op Daan Hoekstra", PERSONAL, false);
    let s = session(&begeleider, None, &story, false);
    let planning = begeleider.get(&s.path);
    planning.assert_contains("geen toestemming voor citaten");
    assert!(!planning.body.contains("name=\"eigen_tekst\""));

    let refused = session_material(&begeleider, &s, &story, true);
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("geen toestemming voor citaten");
    let participant = crate::sensemaking::join(&app, &s.code, &s.table, "Sam");
    let table = participant.get(&format!("/s/{}/tafel", s.code));
    assert!(!table.body.contains("06-12345678"), "{}", table.body);
    table.assert_contains("[telefoon]");
}

/// Posts the table's material: `story`, with its own text approved when `original`.
fn session_material(begeleider: &Browser, s: &Session, story: &str, original: bool) -> Page {
    let csrf = begeleider.csrf(&s.path);
    let mut form = vec![("csrf", csrf.as_str()), ("verhaal", story)];
    if original {
        form.push(("eigen_tekst", story));
    }
    begeleider.post(&format!("{}/tafels/{}/materiaal", s.path, s.table), &form)
}
