//! Observaties: from a pattern to a card with interpretations, typical stories and quotes.

use crate::helpers::*;

/// A project "demo" with 300 fictitious stories ("gehoord" depends on the role), a
/// begeleider and an onderzoeker.
pub fn setup() -> (TestApp, Browser, Browser) {
    let app = spawn_app().with_admin();
    let out = crate::cli::vertelpunt(&app.db_url, &["demo", "--stories", "300", "--seed", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let begeleider = app.user_browser("b@voorbeeld.nl", &[("demo", "begeleider")]);
    let onderzoeker = app.user_browser("o@voorbeeld.nl", &[("demo", "onderzoeker")]);
    (app, begeleider, onderzoeker)
}

/// Makes an observation of the planted pattern and returns its path.
pub fn from_pattern(begeleider: &Browser) -> String {
    let patterns = begeleider.get("/beheer/p/demo/patronen");
    patterns.assert_contains("Maak hier een observatie van");
    let made = begeleider.post(
        "/beheer/p/demo/observaties",
        &[
            ("csrf", &patterns.hidden("csrf")),
            ("soort", "slider_by_choice"),
            ("vragen", "gehoord,rol"),
            ("filter", ""),
        ],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let location = made.header("location").expect("location").to_string();
    assert!(
        location.starts_with("/beheer/p/demo/observaties/OB-"),
        "{location}"
    );
    location
}

fn story_ids(page: &Page, marker: &str) -> Vec<String> {
    page.body
        .match_indices(marker)
        .map(|(at, _)| {
            let rest = &page.body[at + marker.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn a_pattern_becomes_an_observation_with_a_draft_and_its_figures() {
    let (_app, begeleider, _) = setup();
    let path = from_pattern(&begeleider);
    let page = begeleider.get(&path);
    assert_eq!(page.status, 200, "{}", page.body);
    // The draft describes the figures; the chart and the figures' date are kept.
    page.assert_contains("Werd er in dit verhaal naar je geluisterd?");
    page.assert_contains("Dit komt uit alle verhalen (300 verhalen");
    page.assert_contains("<svg class=\"chart chart-boxplot\"");
    page.assert_contains("Cijfers vernieuwen");
    let refreshed = begeleider.post(
        &format!("{path}/cijfers"),
        &[("csrf", &page.hidden("csrf"))],
    );
    assert_eq!(refreshed.status, 303, "{}", refreshed.body);

    // Ready needs two different interpretations; what was typed comes back.
    let refused = begeleider.post(
        &path,
        &[
            ("csrf", &page.hidden("csrf")),
            ("titel", "Gehoord <worden> per rol"),
            ("beschrijving", "Jongeren voelen zich minder gehoord."),
            ("duiding_a", "Hulpverleners praten vooral met ouders."),
            ("duiding_b", ""),
            ("status", "klaar"),
        ],
    );
    assert_eq!(refused.status, 422);
    refused.assert_contains("Schrijf minstens twee duidingen");
    refused.assert_contains("Hulpverleners praten vooral met ouders.");
    let saved = begeleider.post(
        &path,
        &[
            ("csrf", &page.hidden("csrf")),
            ("titel", "Gehoord <worden> per rol"),
            ("beschrijving", "Jongeren voelen zich minder gehoord."),
            ("duiding_a", "Hulpverleners praten vooral met ouders."),
            ("duiding_b", "Jongeren verwachten meer dan er kan."),
            ("thema", "Regie"),
            ("status", "klaar"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let card = begeleider.get(&format!("{path}/kaart"));
    assert_eq!(card.status, 200);
    card.assert_contains("Gehoord &lt;worden&gt; per rol");
    card.assert_contains("Jongeren verwachten meer dan er kan.");
    card.assert_contains("niet representatief");
    // The spread per group, the slider's two ends named.
    card.assert_contains("chart-card-band-0");
    card.assert_contains("Niemand luisterde");
    card.assert_contains("Er werd echt geluisterd");
    let list = begeleider.get("/beheer/p/demo/observaties");
    list.assert_contains("Klaar voor een sessie");
}

#[test]
fn typical_stories_are_proposed_and_quotes_disappear_with_their_story() {
    let (app, begeleider, onderzoeker) = setup();
    let path = from_pattern(&begeleider);
    let page = begeleider.get(&path);
    page.assert_contains("Voorstel");
    let proposed = story_ids(&page, "name=\"verhaal\" value=\"");
    assert!(proposed.len() >= 2, "{}", page.body);
    let mut form: Vec<(&str, &str)> = vec![("csrf", "")];
    let csrf = page.hidden("csrf");
    form[0].1 = &csrf;
    for id in &proposed {
        form.push(("verhaal", id));
    }
    let added = begeleider.post(&format!("{path}/verhalen"), &form);
    assert_eq!(added.status, 303, "{}", added.body);
    let page = begeleider.get(&path);
    let first = &proposed[0];
    page.assert_contains(&format!("/verhalen/{first}/weg"));

    // A story that does not exist is refused with a message.
    let unknown = begeleider.post(
        &format!("{path}/verhalen"),
        &[("csrf", &csrf), ("verhaal", "VP-BESTAATNIET")],
    );
    assert_eq!(unknown.status, 422);
    unknown.assert_contains("bestaat niet in dit project");

    // A quote must be a literal fragment of the story.
    let refused = begeleider.post(
        &format!("{path}/citaten"),
        &[
            ("csrf", &csrf),
            ("verhaal", first),
            ("citaat", "Dit staat nergens in het verhaal."),
        ],
    );
    assert_eq!(refused.status, 422);
    refused.assert_contains("staat niet letterlijk in het verhaal");
    let quote = "Dit verhaal is verzonnen voor de demo van Vertelpunt.";
    let quoted = begeleider.post(
        &format!("{path}/citaten"),
        &[("csrf", &csrf), ("verhaal", first), ("citaat", quote)],
    );
    assert_eq!(quoted.status, 303, "{}", quoted.body);
    let card = onderzoeker.get(&format!("{path}/kaart"));
    assert_eq!(card.status, 200);
    // (Every demo story starts with this sentence; the quote is the one in quotation marks.)
    card.assert_contains(&format!("&ldquo;{quote}&rdquo;"));
    card.assert_contains(first);

    // The teller withdraws the story: it and its quote leave the card, which says so.
    let mut conn = app.database().conn().unwrap();
    assert!(vertelpunt::store::stories::withdraw(&mut conn, first, 1_800_000_000).unwrap());
    let card = onderzoeker.get(&format!("{path}/kaart"));
    assert!(!card.body.contains(&format!("&ldquo;{quote}&rdquo;")));
    assert!(!card.body.contains(first.as_str()));
    card.assert_contains("1 citaat is weggehaald");
    // The quote's words are gone from the database too, not only from the card.
    let observation = path.rsplit('/').next().unwrap();
    let quotes = vertelpunt::store::observations::quotes(&mut conn, observation).unwrap();
    assert!(!quotes.is_empty());
    assert!(quotes.iter().all(|q| q.text.is_empty()), "{quotes:?}");
}

#[test]
fn onderzoekers_read_cards_and_only_begeleiders_change_them() {
    let (app, begeleider, onderzoeker) = setup();
    let path = from_pattern(&begeleider);
    assert_eq!(onderzoeker.get(&path).status, 200);
    assert_eq!(onderzoeker.get("/beheer/p/demo/observaties").status, 200);
    let csrf = onderzoeker.csrf("/beheer/p/demo/observaties");
    let refused = onderzoeker.post(
        "/beheer/p/demo/observaties",
        &[("csrf", &csrf), ("titel", "Mag niet")],
    );
    assert_eq!(refused.status, 403);
    assert_eq!(
        onderzoeker
            .post(&path, &[("csrf", &csrf), ("titel", "Mag niet")])
            .status,
        403
    );
    crate::accounts::add_second_project(&app);
    let other = app.user_browser("a@voorbeeld.nl", &[("ander", "begeleider")]);
    assert_eq!(other.get(&path).status, 403);
    // An id of another project is not found.
    assert_eq!(
        begeleider
            .get("/beheer/p/demo/observaties/OB-ONBEKEND")
            .status,
        404
    );
    // From scratch: a title is needed.
    let csrf = begeleider.csrf("/beheer/p/demo/observaties");
    let empty = begeleider.post(
        "/beheer/p/demo/observaties",
        &[("csrf", &csrf), ("titel", " ")],
    );
    assert_eq!(empty.status, 422);
    empty.assert_contains("Geef de observatie een titel");
}

/// The text of a PDF by `pdftotext`, after checking that `pdftoppm` renders its first page.
/// Without poppler-utils installed only the PDF's frame is checked, except in CI, where that
/// fails (`.ci/run` installs them).
pub fn pdf_text(bytes: &[u8]) -> Option<String> {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(64)..]).to_string();
    assert!(tail.contains("%%EOF"), "PDF not finished: {tail}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kaart.pdf");
    std::fs::write(&file, bytes).unwrap();
    let render = poppler(
        std::process::Command::new("pdftoppm")
            .args(["-r", "30", "-png", "-f", "1", "-l", "1"])
            .arg(&file)
            .arg(dir.path().join("pagina")),
    )?;
    assert!(
        render.status.success(),
        "{}",
        String::from_utf8_lossy(&render.stderr)
    );
    let text = poppler(std::process::Command::new("pdftotext").arg(&file).arg("-"))?;
    assert!(text.status.success());
    Some(String::from_utf8_lossy(&text.stdout).to_string())
}

/// The quote [`with_stories_and_quote`] adds.
pub const DEMO_QUOTE: &str = "Dit verhaal is verzonnen voor de demo van Vertelpunt.";

/// Adds (at most `limit` of) the typical stories the observation at `path` proposes, and a
/// quote ([`DEMO_QUOTE`]) from the first of them; returns the stories added.
pub fn with_stories_and_quote(begeleider: &Browser, path: &str, limit: usize) -> Vec<String> {
    let page = begeleider.get(path);
    let csrf = page.hidden("csrf");
    let proposed: Vec<String> = story_ids(&page, "name=\"verhaal\" value=\"")
        .into_iter()
        .take(limit)
        .collect();
    assert!(!proposed.is_empty(), "no stories proposed");
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    form.extend(proposed.iter().map(|id| ("verhaal", id.as_str())));
    assert_eq!(
        begeleider.post(&format!("{path}/verhalen"), &form).status,
        303
    );
    let quoted = begeleider.post(
        &format!("{path}/citaten"),
        &[
            ("csrf", &csrf),
            ("verhaal", &proposed[0]),
            ("citaat", DEMO_QUOTE),
        ],
    );
    assert_eq!(quoted.status, 303, "{}", quoted.body);
    proposed
}

#[test]
fn cards_decks_and_the_booklet_download_as_pdf() {
    let (_app, begeleider, onderzoeker) = setup();
    let path = from_pattern(&begeleider);
    let csrf = begeleider.get(&path).hidden("csrf");
    let proposed = with_stories_and_quote(&begeleider, &path, usize::MAX);
    let quote = DEMO_QUOTE;
    let saved = begeleider.post(
        &path,
        &[
            ("csrf", &csrf),
            ("titel", "Jongeren voelen zich minder gehoord"),
            (
                "beschrijving",
                "Jongeren schuiven de schuif vaker naar links dan ouders.",
            ),
            ("duiding_a", "Hulpverleners praten vooral met ouders."),
            ("duiding_b", "Jongeren verwachten meer dan er kan."),
            ("thema", "Regie"),
            ("status", "klaar"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);

    let (status, content_type, card) = onderzoeker.get_bytes(&format!("{path}/kaart.pdf"));
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    if let Some(text) = pdf_text(&card) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Jongeren voelen zich minder gehoord",
            "Hulpverleners praten vooral met ouders.",
            "Jongeren verwachten meer dan er kan.",
            quote,
            "niet representatief",
            proposed[0].as_str(),
        ] {
            assert!(
                flat.contains(expected),
                "{expected:?} not in the card: {flat}"
            );
        }
    }
    let (status, _, deck) =
        onderzoeker.get_bytes("/beheer/p/demo/observaties/kaarten.pdf?thema=regie");
    assert_eq!(status, 200);
    if let Some(text) = pdf_text(&deck) {
        assert!(text.contains("Jongeren voelen zich minder gehoord"));
    }
    // A theme no observation has: a message, not an empty deck.
    let (status, _, other_theme) =
        onderzoeker.get_bytes("/beheer/p/demo/observaties/kaarten.pdf?thema=Op%20tijd");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&other_theme).contains("Het thema ‘Op tijd’ bestaat niet"));
    let (status, _, booklet) = onderzoeker.get_bytes("/beheer/p/demo/observaties/ervaringen.pdf");
    assert_eq!(status, 200);
    if let Some(text) = pdf_text(&booklet) {
        assert!(text.contains(proposed[0].as_str()), "{text}");
    }
    // Someone without a role in the project gets no PDF.
    let (status, _, _) = begeleider.get_bytes("/beheer/p/jeugdhulp/observaties/kaarten.pdf");
    assert_eq!(status, 403);
}

/// The card's texts as a form: title, description, theme, status and `interpretations` in
/// the boxes duiding_a, duiding_b, …
fn card_form<'a>(
    csrf: &'a str,
    title: &'a str,
    theme: &'a str,
    status: &'a str,
    interpretations: &[&'a str],
) -> Vec<(&'a str, &'a str)> {
    const FIELDS: [&str; 5] = [
        "duiding_a",
        "duiding_b",
        "duiding_c",
        "duiding_d",
        "duiding_e",
    ];
    let mut form = vec![
        ("csrf", csrf),
        ("titel", title),
        ("beschrijving", "Jongeren voelen zich minder gehoord."),
        ("thema", theme),
        ("status", status),
    ];
    form.extend(FIELDS.iter().copied().zip(interpretations.iter().copied()));
    form
}

const FIVE: [&str; 5] = [
    "Hulpverleners praten vooral met ouders.",
    "Jongeren verwachten meer dan er kan.",
    "Jongeren durven niet te zeggen wat ze willen.",
    "Gesprekken zijn te kort om iedereen te horen.",
    "Ouders vertellen hun verhaal eerder dan jongeren.",
];

/// The card's PDF as flat text (`None` without poppler-utils).
fn card_pdf_text(browser: &Browser, path: &str) -> Option<String> {
    let (status, content_type, pdf) = browser.get_bytes(&format!("{path}/kaart.pdf"));
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    let text = pdf_text(&pdf)?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn three_and_five_interpretations_are_saved_and_shown_on_the_page_the_card_and_the_pdf() {
    let (_app, begeleider, onderzoeker) = setup();
    let path = from_pattern(&begeleider);
    let page = begeleider.get(&path);
    let csrf = page.hidden("csrf");
    // Two boxes to begin with, and a button for one more (no JavaScript needed).
    page.assert_contains("id=\"duiding_b\"");
    assert!(!page.body.contains("id=\"duiding_c\""));
    page.assert_contains("Nog een duiding toevoegen");

    // "Nog een duiding toevoegen" shows the form again with a third box and all that was
    // typed; nothing is saved yet.
    let mut form = card_form(&csrf, "Gehoord per rol", "Regie", "klaar", &FIVE[..2]);
    form.push(("actie", "duiding-erbij"));
    let more = begeleider.post(&path, &form);
    assert_eq!(more.status, 200, "{}", more.body);
    more.assert_contains("<textarea id=\"duiding_c\" name=\"duiding_c\"");
    more.assert_contains("Duiding 3");
    more.assert_contains("Haal duiding 3 weg");
    more.assert_contains(FIVE[0]);
    more.assert_contains(FIVE[1]);
    more.assert_contains("value=\"Gehoord per rol\"");
    more.assert_contains("Klik op Opslaan");
    assert!(
        !begeleider.get(&path).body.contains(FIVE[0]),
        "saved too early"
    );

    // Three, saved.
    let saved = begeleider.post(
        &path,
        &card_form(&csrf, "Gehoord per rol", "Regie", "klaar", &FIVE[..3]),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = begeleider.get(&path);
    for text in &FIVE[..3] {
        page.assert_contains(text);
    }
    page.assert_contains("<textarea id=\"duiding_c\" name=\"duiding_c\" rows=\"3\">");
    let read = onderzoeker.get(&path);
    read.assert_contains("<h3>Duiding 3</h3>");
    read.assert_contains(FIVE[2]);
    let card = onderzoeker.get(&format!("{path}/kaart"));
    card.assert_contains("<h2>Duiding 3</h2>");
    card.assert_contains(FIVE[2]);
    if let Some(text) = card_pdf_text(&onderzoeker, &path) {
        for (i, interpretation) in FIVE[..3].iter().enumerate() {
            assert!(text.contains(&format!("Duiding {}", i + 1)), "{text}");
            assert!(
                text.contains(interpretation),
                "{interpretation:?} not in {text}"
            );
        }
        assert!(!text.contains("Duiding 4"), "{text}");
    }

    // Five, the most: no button for a sixth.
    let saved = begeleider.post(
        &path,
        &card_form(&csrf, "Gehoord per rol", "Regie", "klaar", &FIVE),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = begeleider.get(&path);
    for text in FIVE {
        page.assert_contains(text);
    }
    assert!(!page.body.contains("Nog een duiding toevoegen"));
    page.assert_contains("Dit is het hoogste aantal: 5 duidingen.");
    let mut form = card_form(&csrf, "Gehoord per rol", "Regie", "klaar", &FIVE);
    form.push(("actie", "duiding-erbij"));
    let sixth = begeleider.post(&path, &form);
    assert_eq!(sixth.status, 200);
    sixth.assert_contains("ten hoogste 5 duidingen");
    assert!(!sixth.body.contains("duiding_f"));
    let card = onderzoeker.get(&format!("{path}/kaart"));
    card.assert_contains("<h2>Duiding 5</h2>");
    card.assert_contains(FIVE[4]);
    if let Some(text) = card_pdf_text(&onderzoeker, &path) {
        for (i, interpretation) in FIVE.iter().enumerate() {
            assert!(text.contains(&format!("Duiding {}", i + 1)), "{text}");
            assert!(
                text.contains(interpretation),
                "{interpretation:?} not in {text}"
            );
        }
    }

    // Removing the fourth shows the form with four (the fifth moved up), not saved yet; an
    // extra box left empty is not saved either.
    let mut form = card_form(&csrf, "Gehoord per rol", "Regie", "klaar", &FIVE);
    form.push(("weg", "duiding_d"));
    let fewer = begeleider.post(&path, &form);
    assert_eq!(fewer.status, 200, "{}", fewer.body);
    fewer.assert_contains("Duiding 4 is weggehaald");
    assert!(!fewer.body.contains(FIVE[3]));
    fewer.assert_contains(&format!(
        "<textarea id=\"duiding_d\" name=\"duiding_d\" rows=\"3\">{}</textarea>",
        FIVE[4]
    ));
    assert!(!fewer.body.contains("id=\"duiding_e\""));
    let kept = [FIVE[0], FIVE[1], FIVE[2], FIVE[4], " "];
    let saved = begeleider.post(
        &path,
        &card_form(&csrf, "Gehoord per rol", "Regie", "klaar", &kept),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let card = onderzoeker.get(&format!("{path}/kaart"));
    assert!(!card.body.contains(FIVE[3]));
    card.assert_contains("<h2>Duiding 4</h2>");
    assert!(!card.body.contains("<h2>Duiding 5</h2>"));
}

#[test]
fn a_repeated_interpretation_or_fewer_than_two_are_refused_with_what_was_typed() {
    let (_app, begeleider, _) = setup();
    let path = from_pattern(&begeleider);
    let csrf = begeleider.get(&path).hidden("csrf");
    // The third says what the first says (other case and spaces): refused, all kept.
    let again = "  hulpverleners praten   vooral met ouders. ";
    let refused = begeleider.post(
        &path,
        &card_form(
            &csrf,
            "Gehoord per rol",
            "Regie",
            "klaar",
            &[FIVE[0], FIVE[1], again, FIVE[3]],
        ),
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Duiding 3 is hetzelfde als duiding 1");
    refused.assert_contains("href=\"#duiding_c\"");
    refused.assert_contains(again);
    refused.assert_contains(FIVE[3]);
    refused.assert_contains("value=\"Gehoord per rol\"");
    refused.assert_contains("Jongeren voelen zich minder gehoord.");
    // Also in a concept.
    let concept = begeleider.post(
        &path,
        &card_form(&csrf, "Gehoord per rol", "", "concept", &[FIVE[0], FIVE[0]]),
    );
    assert_eq!(concept.status, 422);
    concept.assert_contains("Duiding 2 is hetzelfde als duiding 1");

    // Ready with fewer than two: the second box empty, a third one written. Refused, and
    // the third comes back in its box.
    let refused = begeleider.post(
        &path,
        &card_form(
            &csrf,
            "Gehoord per rol",
            "Regie",
            "klaar",
            &[FIVE[0], "", FIVE[2]],
        ),
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Schrijf minstens twee duidingen");
    refused.assert_contains("href=\"#duiding_b\"");
    refused.assert_contains(FIVE[0]);
    refused.assert_contains(&format!(
        "<textarea id=\"duiding_c\" name=\"duiding_c\" rows=\"3\">{}</textarea>",
        FIVE[2]
    ));
    // Nothing was saved.
    let page = begeleider.get(&path);
    assert!(!page.body.contains(FIVE[0]));
}

/// Makes an observation without a pattern with its texts, and returns its path.
pub fn scratch(begeleider: &Browser, title: &str, theme: &str, status: &str) -> String {
    let csrf = begeleider.csrf("/beheer/p/demo/observaties");
    let made = begeleider.post(
        "/beheer/p/demo/observaties",
        &[("csrf", &csrf), ("titel", title)],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.header("location").expect("location").to_string();
    let saved = begeleider.post(&path, &card_form(&csrf, title, theme, status, &FIVE[..3]));
    assert_eq!(saved.status, 303, "{}", saved.body);
    path
}

#[test]
fn observations_are_grouped_by_theme_and_each_theme_has_its_own_deck() {
    let (_app, begeleider, onderzoeker) = setup();
    scratch(&begeleider, "Op school luistert niemand", "School", "klaar");
    scratch(&begeleider, "De mentor belt niet terug", "school ", "klaar");
    scratch(&begeleider, "Nog niet af over school", "School", "concept");
    scratch(&begeleider, "Lang op de wachtlijst", "Wachten", "klaar");
    let loose = scratch(&begeleider, "Zomaar een kaart", "", "klaar");

    let list = onderzoeker.get("/beheer/p/demo/observaties");
    assert_eq!(list.status, 200);
    // One theme "School" for both spellings, named as most spell it; the cards without a
    // theme last.
    let school = list.body.find("Thema: School").expect("theme School");
    let waiting = list.body.find("Thema: Wachten").expect("theme Wachten");
    let none = list.body.find("Zonder thema</h2>").expect("no theme");
    assert!(school < waiting && waiting < none);
    assert_eq!(
        list.body.matches("Thema: School").count(),
        1,
        "{}",
        list.body
    );
    assert!(!list.body.contains("Thema: school"));
    let school_part = &list.body[school..waiting];
    for title in [
        "Op school luistert niemand",
        "De mentor belt niet terug",
        "Nog niet af over school",
    ] {
        assert!(school_part.contains(title), "{title} not under School");
    }
    assert!(school_part.contains("3 observaties, waarvan 2 kaarten klaar"));
    let deck = "/beheer/p/demo/observaties/kaarten.pdf?thema=School";
    assert!(school_part.contains(&format!(
        "<a href=\"{}\">Download de kaarten van dit thema (PDF)</a>",
        escape(deck)
    )));
    assert!(list.body[waiting..none].contains("1 observatie, waarvan 1 kaart klaar"));
    assert!(list.body[none..].contains("Zomaar een kaart"));

    // The deck of a theme: a cover with its name, and only its ready cards.
    let (status, content_type, pdf) = onderzoeker.get_bytes(deck);
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/pdf");
    if let Some(text) = pdf_text(&pdf) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let cover = text.split('\u{c}').next().unwrap_or("");
        assert!(cover.contains("Thema: School"), "{cover}");
        assert!(flat.contains("Op school luistert niemand"));
        assert!(flat.contains("De mentor belt niet terug"));
        for other in [
            "Nog niet af over school",
            "Lang op de wachtlijst",
            "Zomaar een kaart",
        ] {
            assert!(!flat.contains(other), "{other} in the School deck");
        }
    }
    // Case and spaces in the link do not matter.
    let (status, _, pdf) =
        onderzoeker.get_bytes("/beheer/p/demo/observaties/kaarten.pdf?thema=%20sCHOOL%20");
    assert_eq!(status, 200);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("De mentor belt niet terug"), "{text}");
    }
    // A theme nobody used: the list again with a message, no empty PDF.
    let (status, content_type, body) =
        onderzoeker.get_bytes("/beheer/p/demo/observaties/kaarten.pdf?thema=Vakantie");
    assert_eq!(status, 404);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let body = String::from_utf8_lossy(&body);
    assert!(
        body.contains("Het thema ‘Vakantie’ bestaat niet in dit project."),
        "{body}"
    );
    // The deck of all ready cards, as before.
    let (status, _, pdf) = onderzoeker.get_bytes("/beheer/p/demo/observaties/kaarten.pdf");
    assert_eq!(status, 200);
    if let Some(text) = pdf_text(&pdf) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for title in [
            "Op school luistert niemand",
            "De mentor belt niet terug",
            "Lang op de wachtlijst",
            "Zomaar een kaart",
        ] {
            assert!(flat.contains(title), "{title} not in the deck");
        }
        assert!(!flat.contains("Nog niet af over school"));
    }

    // On the form: the themes already used to choose from, a new one still possible.
    let page = begeleider.get(&loose);
    page.assert_contains("list=\"thema-lijst\"");
    page.assert_contains("<option value=\"School\"></option>");
    page.assert_contains("<option value=\"Wachten\"></option>");
    assert_eq!(page.body.matches("<option value=\"School\">").count(), 1);
    let csrf = page.hidden("csrf");
    let saved = begeleider.post(
        &loose,
        &card_form(&csrf, "Zomaar een kaart", "Vakantie", "klaar", &FIVE[..2]),
    );
    assert_eq!(saved.status, 303);
    onderzoeker
        .get("/beheer/p/demo/observaties")
        .assert_contains("Thema: Vakantie");
}
