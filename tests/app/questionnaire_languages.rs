//! The questionnaire in the teller's language: the story form and the role choice in every
//! language the project offers, Dutch (marked `lang="nl"`, with a note) in a language it does
//! not offer, switching a language on only when its translation is complete, the translation
//! files (gettext PO) over HTTP, and the teller's language stored with the story.

use crate::helpers::*;
use serde_json::Value;
use vertelpunt::domain::questionnaire::{default_questionnaire, DEFAULT_QUESTIONNAIRE_JSON};
use vertelpunt::domain::Questionnaire;
use vertelpunt::store::{self, stories};

const LIST: &str = "/beheer/p/jeugdhulp/vragenlijst";
const ROLES: [&str; 3] = ["jongere", "ouder", "professional"];
const TRANSLATED: [&str; 5] = ["en", "ar", "tr", "pl", "uk"];

/// One text of `locales/{lang}.json`, as the page shows it (escaped).
fn locale_text(lang: &str, key: &str) -> String {
    let path = format!("{}/locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let texts: Value = serde_json::from_str(&raw).expect("locale JSON");
    escape(
        texts[key]
            .as_str()
            .unwrap_or_else(|| panic!("{lang}: no {key}")),
    )
}

/// The project and its questionnaire as stored now.
fn stored(app: &TestApp) -> vertelpunt::domain::Project {
    let mut conn = app.database().conn().unwrap();
    store::projects::find(&mut conn, "jeugdhulp")
        .unwrap()
        .expect("default project")
}

/// Switches a language on (`aan`) or off (`uit`) on the questionnaire page.
fn switch(app: &TestApp, lang: &str, action: &str) -> Page {
    let csrf = app.csrf(LIST);
    app.post(
        &format!("{LIST}/talen"),
        &[("csrf", &csrf), ("taal", lang), ("actie", action)],
    )
}

/// Sends a translation file for `lang` with the upload form of the questionnaire page.
fn upload(app: &TestApp, lang: &str, file: &str) -> Page {
    let csrf = app.csrf(LIST);
    app.post_file(
        &format!("{LIST}/vertaling"),
        &[("csrf", &csrf), ("taal", lang)],
        "bestand",
        &format!("{lang}.po"),
        file.as_bytes(),
    )
}

fn po_file(app: &TestApp, lang: &str) -> String {
    let (status, content_type, bytes) = app.get_bytes(&format!("{LIST}/vertaling/{lang}.po"));
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("text/x-gettext-translation"),
        "{content_type}"
    );
    String::from_utf8(bytes).expect("UTF-8")
}

/// The Dutch texts of the shipped questionnaire that must not be left on a translated page:
/// all of them except the names of the municipalities.
fn dutch_texts() -> Vec<(String, String)> {
    let q = default_questionnaire().unwrap();
    q.source_texts()
        .into_iter()
        .filter(|t| {
            !t.id.starts_with("o.gemeente.")
                || t.id.ends_with("andere_gemeente")
                || t.id.ends_with("liever_niet")
        })
        .map(|t| (t.id, t.dutch.to_string()))
        .collect()
}

#[test]
fn the_story_form_is_in_every_offered_language() {
    let app = spawn_app();
    let q = default_questionnaire().unwrap();
    let dutch = dutch_texts();
    for lang in TRANSLATED {
        let note = locale_text(lang, "questionnaire.dutch_only");
        let landing = app.get(&format!("/v/jeugdhulp?taal={lang}"));
        assert_eq!(landing.status, 200);
        assert!(
            !landing.body.contains(&note),
            "{lang}: the landing page has the note"
        );
        for role in ROLES {
            let label = escape(q.translation(lang, &format!("role.{role}.label")).unwrap());
            landing.assert_contains(&format!("vertel?rol={role}\">{label}</a>"));

            let form = app.get(&format!("/v/jeugdhulp/vertel?rol={role}&taal={lang}"));
            assert_eq!(form.status, 200, "{lang} {role}: {}", form.body);
            assert!(
                !form.body.contains(&note),
                "{lang} {role}: the form has the note"
            );
            form.assert_contains(&format!("<strong>{label}</strong>"));
            // Every question asked of this role, in the page's language and without lang="nl".
            for question in q.questions_for(role) {
                let id = match question.role_labels.get(role) {
                    Some(_) => format!("q.{}.label.{role}", question.key),
                    None => format!("q.{}.label", question.key),
                };
                let text = escape(q.translation(lang, &id).unwrap());
                assert!(
                    form.body.contains(&format!(">{text} <span"))
                        || form.body.contains(&format!(">{text}</legend>"))
                        || form.body.contains(&format!(">{text}</p>")),
                    "{lang} {role}: no {id} ({text})"
                );
                for option in &question.options {
                    let text = escape(
                        q.translation(lang, &format!("o.{}.{}", question.key, option.key))
                            .unwrap(),
                    );
                    form.assert_contains(&format!(
                        "for=\"keuze-{}-{}\">{text}</label>",
                        question.key, option.key
                    ));
                }
            }
            // No Dutch text of the questionnaire is left (names of places aside).
            let left: Vec<&String> = dutch
                .iter()
                .filter(|(_, text)| form.body.contains(&escape(text)))
                .map(|(id, _)| id)
                .collect();
            assert!(left.is_empty(), "{lang} {role}: still Dutch: {left:?}");
            // The only Dutch left on the page are the help lines, marked as such.
            for marked in form.body.match_indices("lang=\"nl\"") {
                let after = &form.body[marked.0..(marked.0 + 80).min(form.body.len())];
                assert!(
                    after.contains("De Kindertelefoon")
                        || after.contains("113 Zelfmoordpreventie")
                        || after.contains("Veilig Thuis")
                        || after.contains("Alarmnummer")
                        || after.contains("Nederlands"),
                    "{lang} {role}: unexpected Dutch: {after}"
                );
            }
        }
    }
}

#[test]
fn a_language_that_is_not_offered_shows_dutch_with_lang_nl_and_a_note() {
    let app = spawn_app().with_admin();
    for lang in ["pl", "ar"] {
        let done = switch(&app, lang, "uit");
        assert_eq!(done.status, 303, "{}", done.body);
    }
    assert_eq!(stored(&app).settings.languages, ["en", "tr", "uk"]);
    let teller = app.browser();
    let role = "Ik ben een kind of jongere";
    let question = "Werd er in dit verhaal naar je geluisterd?";

    // The interface is Polish; the questions are Dutch, say so, and a short note explains.
    let polish = teller.get("/v/jeugdhulp/vertel?rol=jongere&taal=pl");
    assert_eq!(polish.status, 200);
    polish.assert_contains("<html lang=\"pl\" dir=\"ltr\">");
    polish.assert_contains(&locale_text("pl", "form.heading"));
    polish.assert_contains(&locale_text("pl", "questionnaire.dutch_only"));
    polish.assert_contains(&format!("<strong lang=\"nl\">{role}</strong>"));
    polish.assert_contains(&format!("<span lang=\"nl\">{question}</span>"));
    polish.assert_contains("<span lang=\"nl\">Niemand luisterde</span>");
    polish.assert_contains(
        "for=\"keuze-gevoel-gemengd\" lang=\"nl\">Een beetje fijn en een beetje naar</label>",
    );
    let landing = teller.get("/v/jeugdhulp?taal=pl");
    landing.assert_contains(&locale_text("pl", "questionnaire.dutch_only"));
    landing.assert_contains(&format!("<span lang=\"nl\">{role}</span>"));

    // On a right-to-left page the Dutch texts keep their own direction.
    let arabic = teller.get("/v/jeugdhulp/vertel?rol=jongere&taal=ar");
    arabic.assert_contains("<html lang=\"ar\" dir=\"rtl\">");
    arabic.assert_contains(&locale_text("ar", "questionnaire.dutch_only"));
    arabic.assert_contains(&format!("<strong lang=\"nl\" dir=\"ltr\">{role}</strong>"));
    arabic.assert_contains(&format!("<span lang=\"nl\" dir=\"ltr\">{question}</span>"));

    // A language still offered is not affected, and Dutch never shows the note.
    let english = teller.get("/v/jeugdhulp/vertel?rol=jongere&taal=en");
    english.assert_contains("<strong>I am a child or young person</strong>");
    assert!(!english
        .body
        .contains(&locale_text("en", "questionnaire.dutch_only")));
    let dutch = teller.get("/v/jeugdhulp/vertel?rol=jongere&taal=nl");
    assert!(!dutch
        .body
        .contains(&locale_text("nl", "questionnaire.dutch_only")));
    assert!(!dutch.body.contains("lang=\"nl\">"));

    // A language switched on again is offered again (its translation is complete).
    assert_eq!(switch(&app, "pl", "aan").status, 303);
    teller
        .get("/v/jeugdhulp/vertel?rol=jongere&taal=pl")
        .assert_contains("<strong>Jestem dzieckiem albo młodą osobą</strong>");
}

#[test]
fn a_half_translated_language_cannot_be_switched_on_and_is_not_offered() {
    let app = spawn_app().with_admin();
    // A questionnaire whose English lacks one text (the import keeps everything else).
    let mut json: Value = serde_json::from_str(DEFAULT_QUESTIONNAIRE_JSON).unwrap();
    json["translations"]["en"]
        .as_object_mut()
        .unwrap()
        .remove("q.klik.label");
    let form = app.get(&format!("{LIST}/importeren"));
    let saved = app.post(
        &format!("{LIST}/importeren"),
        &[("csrf", &form.hidden("csrf")), ("json", &json.to_string())],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let project = stored(&app);
    assert!(!project.questionnaire.is_complete_in("en"));
    assert!(project.settings.languages.contains(&"en".to_string()));

    // Still switched on, but half translated: a teller who reads English gets Dutch.
    let teller = app.browser();
    let page = teller.get("/v/jeugdhulp/vertel?rol=jongere&taal=en");
    page.assert_contains(&locale_text("en", "questionnaire.dutch_only"));
    page.assert_contains("<span lang=\"nl\">Was er een goede klik met de hulpverlener?</span>");
    assert!(!page.body.contains("I am a child or young person"));

    // The begeleider sees what is missing, and that tellers get Dutch now.
    let list = app.get(LIST);
    assert_eq!(list.status, 200);
    let english = between(&list.body, "id=\"taal-en\"", "</tr>");
    assert!(english.contains("120 van 121 teksten"), "{english}");
    assert!(
        english.contains("vraag klik: de vraag: “Was er een goede klik met de hulpverlener?”"),
        "{english}"
    );
    assert!(english.contains("maar is niet af"), "{english}");
    assert!(!english.contains("value=\"aan\""), "{english}");

    // Off, and then not on again until it is complete.
    assert_eq!(switch(&app, "en", "uit").status, 303);
    let refused = switch(&app, "en", "aan");
    assert_eq!(refused.status, 409, "{}", refused.body);
    refused.assert_contains("De vertaling is nog niet af: er ontbreekt nog 1 tekst.");
    assert!(!stored(&app).settings.languages.contains(&"en".to_string()));

    // The missing text comes in with a translation file; then English can be switched on.
    let file = po_file(&app, "en").replace(
        "msgid \"Was er een goede klik met de hulpverlener?\"\nmsgstr \"\"",
        "msgid \"Was er een goede klik met de hulpverlener?\"\nmsgstr \"Did you get on well with the care worker?\"",
    );
    let done = upload(&app, "en", &file);
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(stored(&app).questionnaire.is_complete_in("en"));
    assert_eq!(switch(&app, "en", "aan").status, 303);
    teller
        .get("/v/jeugdhulp/vertel?rol=jongere&taal=en")
        .assert_contains("id=\"label-klik\">Did you get on well with the care worker?</p>");

    // Changing a Dutch text drops its translations: every language is half translated again.
    let edit = app.get(&format!("{LIST}/vraag/duidelijk"));
    assert_eq!(edit.status, 200, "{}", edit.body);
    let fields = [
        ("csrf", edit.hidden("csrf")),
        ("label", "Wist je wat er ging gebeuren?".to_string()),
        (
            "uitleg",
            "Bijvoorbeeld: wie er ging helpen, wat het plan was en hoe lang het zou duren."
                .to_string(),
        ),
        ("links", "Heel onduidelijk".to_string()),
        ("rechts", "Heel duidelijk".to_string()),
        ("weet_niet", "ja".to_string()),
        ("rol", "jongere".to_string()),
        ("rol", "ouder".to_string()),
        ("rol", "professional".to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = app.post(&format!("{LIST}/vraag/duidelijk"), &fields);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let q = stored(&app).questionnaire;
    for lang in TRANSLATED {
        let missing: Vec<String> = q.missing_in(lang).into_iter().map(|t| t.id).collect();
        assert_eq!(missing, ["q.duidelijk.label"], "{lang}");
    }
    teller
        .get("/v/jeugdhulp/vertel?rol=jongere&taal=tr")
        .assert_contains(&locale_text("tr", "questionnaire.dutch_only"));
}

#[test]
fn translation_files_go_out_and_come_back_over_http() {
    let app = spawn_app().with_admin();
    let before = stored(&app);
    let file = po_file(&app, "tr");
    assert!(file.contains("\"Language: tr\\n\""), "{file}");
    assert!(file.contains("msgctxt \"q.gehoord.label\"\nmsgid \"Werd er in dit verhaal naar je geluisterd?\"\nmsgstr \"Bu hikâyede seni dinlediler mi?\""), "{file}");
    assert_eq!(file.matches("\nmsgctxt ").count(), 121);

    // Export → import: the same translations, nothing saved, no new version.
    let same = upload(&app, "tr", &file);
    assert_eq!(same.status, 303, "{}", same.body);
    assert_eq!(
        same.header("location"),
        Some("/beheer/p/jeugdhulp/vragenlijst?gedaan=vertaling&taal=tr&aantal=0#talen")
    );
    assert_eq!(stored(&app).questionnaire, before.questionnaire);
    app.get(same.header("location").unwrap())
        .assert_contains("De vertaling in het Turks was al zo.");

    // A changed translation comes in (after a story, so as a new version).
    let form = app.open_form("jongere");
    let fields = story_fields(&form, "jongere", "Een titel", LONG_STORY);
    assert_eq!(
        app.post("/v/jeugdhulp/vertel", &as_refs(&fields)).status,
        200
    );
    let better = file.replace(
        "msgstr \"Bu hikâyede seni dinlediler mi?\"",
        "msgstr \"Bu hikâyede seni gerçekten dinlediler mi?\"",
    );
    let done = upload(&app, "tr", &better);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some("/beheer/p/jeugdhulp/vragenlijst?gedaan=vertaling&taal=tr&aantal=1&versie=2#talen")
    );
    let after = stored(&app);
    assert_eq!(after.version, 2);
    assert_eq!(
        after.questionnaire.translation("tr", "q.gehoord.label"),
        Some("Bu hikâyede seni gerçekten dinlediler mi?")
    );
    app.browser()
        .get("/v/jeugdhulp/vertel?rol=jongere&taal=tr")
        .assert_contains(">Bu hikâyede seni gerçekten dinlediler mi? <span");
    // Exported again, the file is what was read in.
    assert_eq!(
        po_file(&app, "tr")
            .replace("(versie 2)", "(versie 1)")
            .replace(" v2\\n", " v1\\n"),
        better
    );

    // An unknown text id and a changed Dutch text: a clear Dutch message per line, and
    // nothing of the file is taken (not even its good line).
    let broken = better
        .replace(
            "msgstr \"Bu hikâyede seni gerçekten dinlediler mi?\"",
            "msgstr \"Bu hikâye\"",
        )
        .replace(
            "msgctxt \"q.klik.label\"",
            "msgctxt \"q.bestaat_niet.label\"",
        )
        .replace(
            "msgid \"Kwam de hulp op tijd?\"",
            "msgid \"Kwam de hulp snel?\"",
        );
    let refused = upload(&app, "tr", &broken);
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Het bestand is niet ingelezen");
    refused.assert_contains(&escape(
        "de tekst-id “q.bestaat_niet.label” bestaat niet in deze vragenlijst",
    ));
    refused.assert_contains(&escape(
        "de Nederlandse tekst van “q.op_tijd.label” is veranderd sinds het bestand is gemaakt",
    ));
    assert_eq!(stored(&app).questionnaire, after.questionnaire);

    // The file must be for the language chosen, and there must be a file.
    let wrong = upload(&app, "pl", &better);
    assert_eq!(wrong.status, 422);
    wrong.assert_contains(&escape("Het bestand is voor de taal “tr”, niet voor “pl”."));
    let csrf = app.csrf(LIST);
    let none = app.post_file(
        &format!("{LIST}/vertaling"),
        &[("csrf", &csrf), ("taal", "tr")],
        "bestand",
        "",
        b"",
    );
    assert_eq!(none.status, 422);
    none.assert_contains("Kies eerst een bestand om in te lezen.");
    // Without a valid form token nothing is read.
    let forged = app.post_file(
        &format!("{LIST}/vertaling"),
        &[("csrf", "nep"), ("taal", "tr")],
        "bestand",
        "tr.po",
        broken.as_bytes(),
    );
    assert_eq!(forged.status, 403);
    assert_eq!(stored(&app).questionnaire, after.questionnaire);
}

#[test]
fn the_story_is_stored_in_the_tellers_language() {
    let app = spawn_app();
    let chosen = app.get("/taal?naar=uk&terug=/v/jeugdhulp");
    assert_eq!(chosen.status, 303);
    let form = app.open_form("ouder");
    form.assert_contains("<html lang=\"uk\"");
    form.assert_contains("<strong>Я батько, мати або опікун</strong>");
    let fields = story_fields(&form, "ouder", "Три місяці", LONG_STORY);
    let thanks = app.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    thanks.assert_contains("<html lang=\"uk\"");

    let db = app.database();
    let mut conn = db.conn().unwrap();
    let told = stories::list_shareable(&mut conn, "jeugdhulp").unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].record.language, "uk");
    // The answers are stored by key, as in Dutch.
    assert_eq!(
        told[0].answers.get("gevoel"),
        Some(&vertelpunt::domain::Answer::Choice("gemengd".into()))
    );
}

/// A project whose questionnaire has no translations (an older installation) takes over
/// the shipped ones for texts that are worded the same.
#[test]
fn the_shipped_translations_can_be_taken_over() {
    let app = spawn_app().with_admin();
    let mut bare: Questionnaire = default_questionnaire().unwrap();
    bare.translations.clear();
    let form = app.get(&format!("{LIST}/importeren"));
    let saved = app.post(
        &format!("{LIST}/importeren"),
        &[
            ("csrf", &form.hidden("csrf")),
            ("json", &bare.to_json_pretty()),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(stored(&app).questionnaire.translations.is_empty());
    let list = app.get(LIST);
    list.assert_contains("Vertalingen overnemen");
    let csrf = list.hidden("csrf");
    let done = app.post(&format!("{LIST}/vertalingen-overnemen"), &[("csrf", &csrf)]);
    assert_eq!(done.status, 303, "{}", done.body);
    let q = stored(&app).questionnaire;
    let texts = q.source_texts().len();
    for lang in TRANSLATED {
        assert_eq!(q.translations[lang].len(), texts, "{lang}");
        assert!(q.is_complete_in(lang));
    }
    app.get(done.header("location").unwrap())
        .assert_contains(&format!("{} vertalingen overgenomen", texts * 5));
}
