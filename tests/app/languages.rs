//! The teller's pages in every language of the interface: the page says its language and
//! direction, lists every language by its own name, and shows the texts of that language.

use crate::helpers::*;
use serde_json::{Map, Value};

/// The six languages: code, own name, direction.
const LANGUAGES: [(&str, &str, &str); 6] = [
    ("nl", "Nederlands", "ltr"),
    ("en", "English", "ltr"),
    ("ar", "العربية", "rtl"),
    ("tr", "Türkçe", "ltr"),
    ("pl", "Polski", "ltr"),
    ("uk", "Українська", "ltr"),
];

/// The texts of `locales/{lang}.json`, read from the file as a translator writes it.
fn locale(lang: &str) -> Map<String, Value> {
    let path = format!("{}/locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match serde_json::from_str(&raw) {
        Ok(Value::Object(texts)) => texts,
        other => panic!("{path} is not an object of texts: {other:?}"),
    }
}

/// One text of a language as the page shows it: escaped as tera escapes it.
fn shown(texts: &Map<String, Value>, key: &str) -> String {
    escape(
        texts[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} is no text")),
    )
}

/// The page is in `lang`, in its direction, and offers every language by its own name: the
/// current one marked and not a link, the others with their `lang` and `hreflang`.
fn assert_language_frame(page: &Page, lang: &str, dir: &str) {
    assert_eq!(page.status, 200, "{lang}: {}", page.body);
    page.assert_contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">"));
    for (code, name, code_dir) in LANGUAGES {
        if code == lang {
            page.assert_contains(&format!(
                "aria-current=\"true\" lang=\"{code}\" dir=\"{code_dir}\">{name}</span>"
            ));
        } else {
            assert!(
                page.body.contains(&format!("lang=\"{code}\"")) && page.body.contains(name),
                "{lang}: the language list lacks {name}:\n{}",
                page.body
            );
        }
    }
    assert_eq!(
        page.body.matches("aria-current=\"true\"").count(),
        1,
        "{lang}: one current language"
    );
}

#[test]
fn the_landing_page_is_in_every_language() {
    let app = spawn_app();
    for (lang, _, dir) in LANGUAGES {
        let texts = locale(lang);
        let landing = app.get(&format!("/v/jeugdhulp?taal={lang}"));
        assert_language_frame(&landing, lang, dir);
        // Plain links: the list works without JavaScript.
        for (code, name, code_dir) in LANGUAGES.iter().filter(|l| l.0 != lang) {
            landing.assert_contains(&format!(
                "<a href=\"/taal?naar={code}\" lang=\"{code}\" hreflang=\"{code}\" dir=\"{code_dir}\">{name}</a>"
            ));
        }
        for key in [
            "landing.title",
            "landing.who",
            "privacy.short_title",
            "help.intro",
        ] {
            landing.assert_contains(&shown(&texts, key));
        }
    }
}

#[test]
fn the_story_form_is_in_every_language() {
    let app = spawn_app();
    for (lang, _, dir) in LANGUAGES {
        let texts = locale(lang);
        let form = app.get(&format!("/v/jeugdhulp/vertel?rol=jongere&taal={lang}"));
        assert_language_frame(&form, lang, dir);
        // On the form a language is a button that posts the form, so nothing typed is lost.
        for (code, name, _) in LANGUAGES.iter().filter(|l| l.0 != lang) {
            assert!(
                form.body.contains(&format!(
                    "name=\"naar_taal\" value=\"{code}\" lang=\"{code}\""
                )) && form.body.contains(name),
                "{lang}: no button for {name}"
            );
        }
        for key in [
            "form.heading",
            "form.step_story",
            "form.consent_legend",
            "form.submit",
        ] {
            form.assert_contains(&shown(&texts, key));
        }
        // The story and its title are the teller's own text, in whatever direction it runs.
        form.assert_contains("dir=\"auto\" required></textarea>");
        form.assert_contains("name=\"titel\" value=\"\" dir=\"auto\"");
    }
}

/// The default project offers its questionnaire in every language of the interface, so the
/// questionnaire's texts are in the page's language; the help lines stay Dutch and say so.
/// (A language a project does not offer: tests/app/questionnaire_languages.rs.)
#[test]
fn questionnaire_texts_are_in_the_pages_language_and_help_lines_stay_dutch() {
    let app = spawn_app();
    let role = "Ik ben een kind of jongere";
    let question = "Werd er in dit verhaal naar je geluisterd?";

    let dutch = app.get("/v/jeugdhulp/vertel?rol=jongere&taal=nl");
    dutch.assert_contains(&format!("<strong>{role}</strong>"));
    dutch.assert_contains(&format!("id=\"label-gehoord\">{question} <span"));
    dutch.assert_contains("<span>Niemand luisterde</span>");
    assert!(!dutch.body.contains("<span lang=\"nl\""));

    let polish = app.get("/v/jeugdhulp/vertel?rol=jongere&taal=pl");
    polish.assert_contains("<strong>Jestem dzieckiem albo młodą osobą</strong>");
    polish.assert_contains("id=\"label-gehoord\">Czy w tej historii ktoś cię słuchał? <span");
    polish.assert_contains("<span>Nikt nie słuchał</span>");
    assert!(!polish.body.contains(question));

    let arabic = app.get("/v/jeugdhulp/vertel?rol=jongere&taal=ar");
    arabic.assert_contains("<strong>أنا طفل أو شاب</strong>");
    assert!(!arabic.body.contains(role));

    // The roles on the landing page too; the help lines are Dutch and marked so.
    let landing = app.get("/v/jeugdhulp?taal=uk");
    landing.assert_contains("vertel?rol=jongere\">Я дитина або молода людина</a>");
    landing.assert_contains("<li><span lang=\"nl\"><strong>De Kindertelefoon</strong>: <a href=\"tel:08000432\">0800-0432</a>");
}

#[test]
fn a_new_language_can_be_chosen_and_comes_from_the_browser() {
    let app = spawn_app();
    let switch = app.get("/taal?naar=tr&terug=/v/jeugdhulp");
    assert_eq!(switch.status, 303);
    assert_eq!(switch.header("location"), Some("/v/jeugdhulp"));
    let landing = app.get("/v/jeugdhulp");
    assert_language_frame(&landing, "tr", "ltr");

    // A first visit from a browser that asks for Arabic.
    let fresh = app.browser();
    let mut response = fresh
        .client
        .get(format!("{}/v/jeugdhulp", fresh.base))
        .header("Accept-Language", "ar-SY,ar;q=0.9,en;q=0.5")
        .call()
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200);
    let body = response.body_mut().read_to_string().expect("body");
    assert!(body.contains("<html lang=\"ar\" dir=\"rtl\">"), "{body}");
}

/// A link with `?taal=` (on a poster, in a message) keeps its language for the whole visit,
/// as the language list does: the next pages, and the story sent from them.
#[test]
fn a_language_in_the_address_holds_for_the_visit() {
    let app = spawn_app();
    let teller = app.browser();
    let first = teller.get("/v/jeugdhulp?taal=pl");
    assert_language_frame(&first, "pl", "ltr");
    let cookie = language_cookie(&first).expect("a language cookie");
    assert!(cookie.starts_with("vp_taal=pl;"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    // Without `?taal=` the next page is Polish too, and the story sent is stored as Polish.
    let form = teller.open_form("jongere");
    assert_language_frame(&form, "pl", "ltr");
    let thanks = teller.post(
        "/v/jeugdhulp/vertel",
        &as_refs(&story_fields(&form, "jongere", "Po polsku", LONG_STORY)),
    );
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert_language_frame(&thanks, "pl", "ltr");
    assert_eq!(story_languages(&app), ["pl"]);

    // The same language again sets nothing; a language the interface does not have sets
    // nothing and the visit keeps its language; another one takes over.
    assert_eq!(language_cookie(&teller.get("/v/jeugdhulp?taal=pl")), None);
    let unknown = teller.get("/v/jeugdhulp?taal=xx");
    assert_eq!(language_cookie(&unknown), None);
    assert_language_frame(&unknown, "pl", "ltr");
    // An asset may be kept by shared caches: it never sets a cookie.
    let asset = teller.get("/assets/app.css?taal=tr");
    assert_eq!(asset.status, 200);
    assert_eq!(language_cookie(&asset), None);
    // An error page keeps the language asked for, like any page.
    let missing = teller.get("/bestaat-niet?taal=ar");
    assert_eq!(missing.status, 404);
    assert!(language_cookie(&missing).is_some_and(|c| c.starts_with("vp_taal=ar;")));
    assert_language_frame(&teller.get("/v/jeugdhulp"), "ar", "rtl");
}

/// The `vp_taal` cookie a response sets, if it sets one.
fn language_cookie(page: &Page) -> Option<&str> {
    page.headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, value)| value.as_str())
        .find(|value| value.starts_with("vp_taal="))
}

/// The languages the stored stories were told in, sorted.
fn story_languages(app: &TestApp) -> Vec<String> {
    let db = app.database();
    let mut conn = db.conn().expect("conn");
    let mut languages: Vec<String> =
        vertelpunt::store::stories::list_shareable(&mut conn, "jeugdhulp")
            .expect("stories")
            .into_iter()
            .map(|s| s.record.language)
            .collect();
    languages.sort();
    languages
}

/// Tells `count` stories, each from a browser of its own that arrived with `?taal={lang}`.
fn tell_in(app: &TestApp, lang: &str, count: usize) {
    for i in 0..count {
        let teller = app.browser();
        teller.get(&format!("/v/jeugdhulp?taal={lang}"));
        let form = teller.open_form("jongere");
        let title = format!("Verhaal {lang} {i}");
        let thanks = teller.post(
            "/v/jeugdhulp/vertel",
            &as_refs(&story_fields(&form, "jongere", &title, LONG_STORY)),
        );
        assert_eq!(thanks.status, 200, "{}", thanks.body);
    }
}

/// The story's language is a derived question of the analysis: the story browser filters on
/// it, the figures count it and the comparison sets one language beside the rest, with the
/// languages named in Dutch and groups smaller than k (5) kept back as everywhere.
#[test]
fn the_story_browser_filters_by_the_storys_language() {
    let app = spawn_app().with_admin();
    tell_in(&app, "pl", 6);
    tell_in(&app, "nl", 5);
    tell_in(&app, "ar", 2);
    let reader = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);

    let all = reader.get("/beheer/p/jeugdhulp/verkennen");
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(crate::explore::total(&all), 13);
    // The filter list offers the language like any other question, by its Dutch name.
    all.assert_contains("<optgroup label=\"Taal van het verhaal\">");
    all.assert_contains("<option value=\"taal:pl\">Pools</option>");
    all.assert_contains("<option value=\"taal:ar\">Arabisch</option>");
    all.assert_contains("<option value=\"taal:nl\">Nederlands</option>");

    let polish = reader.get("/beheer/p/jeugdhulp/verkennen?a=taal:pl");
    assert_eq!(polish.status, 200, "{}", polish.body);
    assert_eq!(crate::explore::total(&polish), 6);
    polish.assert_contains("Taal van het verhaal: Pools");
    polish.assert_contains("Verhaal pl 5");
    assert!(!polish.body.contains("Verhaal nl 0"));
    let dutch = reader.get("/beheer/p/jeugdhulp/verkennen?a=taal:nl");
    assert_eq!(crate::explore::total(&dutch), 5);

    // Two Arabic stories: fewer than k, so neither their stories nor their number is shown.
    let arabic = reader.get("/beheer/p/jeugdhulp/verkennen?a=taal:ar");
    assert_eq!(arabic.status, 200, "{}", arabic.body);
    arabic.assert_contains("Minder dan 5 verhalen");
    assert!(!arabic.body.contains("Verhaal ar 0") && !arabic.body.contains("Verhaal ar 1"));
    let figures = reader.get("/beheer/p/jeugdhulp/cijfers?a=taal:ar");
    figures.assert_contains("Minder dan 5 verhalen");

    // The figures count the languages, named in Dutch.
    let dashboard = reader.get("/beheer/p/jeugdhulp/cijfers");
    assert_eq!(dashboard.status, 200, "{}", dashboard.body);
    dashboard.assert_contains("Taal van het verhaal");
    dashboard.assert_contains("Pools");

    // One language beside the rest.
    let compare = reader.get("/beheer/p/jeugdhulp/vergelijk?d=taal:pl");
    assert_eq!(compare.status, 200, "{}", compare.body);
    compare.assert_contains("<strong>6 verhalen</strong> in deze groep");
    compare.assert_contains("<strong>7</strong> in de rest");
    let link = escape("/beheer/p/jeugdhulp/verkennen?a=taal%3Apl");
    compare.assert_contains(&link);

    // A language no story was told in is not a filter of this project.
    let none = reader.get("/beheer/p/jeugdhulp/verkennen?a=taal:tr");
    assert_eq!(none.status, 422);
    none.assert_contains("past niet bij de vragen van dit project");
}
