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
    refused.assert_contains("Schrijf twee duidingen");
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
    let (_, _, other_theme) =
        onderzoeker.get_bytes("/beheer/p/demo/observaties/kaarten.pdf?thema=Op%20tijd");
    if let Some(text) = pdf_text(&other_theme) {
        assert!(text.contains("nog geen kaarten klaar"), "{text}");
    }
    let (status, _, booklet) = onderzoeker.get_bytes("/beheer/p/demo/observaties/ervaringen.pdf");
    assert_eq!(status, 200);
    if let Some(text) = pdf_text(&booklet) {
        assert!(text.contains(proposed[0].as_str()), "{text}");
    }
    // Someone without a role in the project gets no PDF.
    let (status, _, _) = begeleider.get_bytes("/beheer/p/jeugdhulp/observaties/kaarten.pdf");
    assert_eq!(status, 403);
}
