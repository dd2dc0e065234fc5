//! Property tests of the parsers that take input from outside: the CSV import
//! (`exchange::csv_v1::parse`), the questionnaire JSON loader (`Questionnaire::from_json`),
//! the story form (`PostedForm::parse` → `submission` → `validate_submission`) and the
//! questionnaire's translation files (`domain::translation_file`).
//!
//! Properties: none of them panics on arbitrary input, and valid generated input survives a
//! round trip. The default number of cases is small so that `cargo test` stays fast; set
//! `PROPTEST_CASES` for a longer run (docs/reliability.md).

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use vertelpunt::domain::answer::{Answer, Answers, SliderValue};
use vertelpunt::domain::project::ProjectSettings;
use vertelpunt::domain::questionnaire::{default_questionnaire, QuestionType, Questionnaire};
use vertelpunt::domain::story::validate_submission;
use vertelpunt::domain::translation_file;
use vertelpunt::exchange::csv_v1::{self, AnswerColumn, StoryRow};
use vertelpunt::web::forms::PostedForm;

/// 64 cases per property unless `PROPTEST_CASES` asks for more.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config
}

fn questionnaire() -> Questionnaire {
    default_questionnaire().expect("the shipped questionnaire is valid")
}

/// Text as people (and copy-paste) produce it: any Unicode, with the characters that matter
/// to CSV and forms (quotes, separators, line breaks, BOM, NUL) more likely than by chance.
fn messy_text(max: usize) -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just("\"".to_string()),
        Just(",".to_string()),
        Just(";".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just("\0".to_string()),
        Just("&".to_string()),
        Just("=".to_string()),
        Just("%".to_string()),
        Just("+".to_string()),
        Just(" ".to_string()),
        Just("é🙂".to_string()),
    ];
    prop::collection::vec(
        prop_oneof![3 => any::<char>().prop_map(String::from), 2 => special],
        0..max,
    )
    .prop_map(|parts| parts.concat())
}

// ---------------------------------------------------------------------------------------
// CSV exchange format v1
// ---------------------------------------------------------------------------------------

/// An answer the exporter can write and the importer reads back identically, for every
/// question of the questionnaire (sliders always have a value or N/A: an empty cell *is* N/A).
fn answers_for(q: &Questionnaire) -> BoxedStrategy<Answers> {
    let per_question: Vec<BoxedStrategy<Option<(String, Answer)>>> = q
        .questions
        .iter()
        .map(|question| {
            let key = question.key.clone();
            let options: Vec<String> = question.options.iter().map(|o| o.key.clone()).collect();
            match question.kind {
                QuestionType::Slider => prop_oneof![
                    4 => (0i64..=100).prop_map(|v| Answer::Slider(SliderValue::new(v).expect("0-100"))),
                    1 => Just(Answer::NotApplicable),
                ]
                .prop_map(move |a| Some((key.clone(), a)))
                .boxed(),
                QuestionType::Choice => prop::option::of(prop::sample::select(options))
                    .prop_map(move |o| o.map(|o| (key.clone(), Answer::Choice(o))))
                    .boxed(),
                QuestionType::Multichoice => {
                    let n = options.len();
                    prop::collection::vec(any::<bool>(), n)
                        .prop_map(move |picked| {
                            let chosen: Vec<String> = options
                                .iter()
                                .zip(picked)
                                .filter(|(_, p)| *p)
                                .map(|(o, _)| o.clone())
                                .collect();
                            (!chosen.is_empty()).then(|| (key.clone(), Answer::Multichoice(chosen)))
                        })
                        .boxed()
                }
                QuestionType::Text => messy_text(40)
                    .prop_map(move |t| (!t.is_empty()).then(|| (key.clone(), Answer::Text(t))))
                    .boxed(),
            }
        })
        .collect();
    per_question
        .prop_map(|pairs| pairs.into_iter().flatten().collect::<BTreeMap<_, _>>())
        .boxed()
}

fn story_row(q: &Questionnaire) -> impl Strategy<Value = StoryRow> {
    let roles: Vec<String> = q.roles.iter().map(|r| r.key.clone()).collect();
    (
        "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
        // Year 1970 to 9999: what RFC 3339 can carry.
        0i64..=253_402_300_799,
        prop::sample::select(roles),
        messy_text(30),
        (messy_text(60), "[a-z]"),
        answers_for(q),
    )
        .prop_map(
            |(id, created_at, role, title, (text, letter), answers)| StoryRow {
                id,
                created_at,
                role,
                title,
                // The importer refuses an empty story; give every text one letter.
                text: format!("{text}{letter}"),
                answers,
            },
        )
}

/// Rows with distinct ids (the importer refuses a repeated id).
fn story_rows(q: &Questionnaire) -> impl Strategy<Value = Vec<StoryRow>> {
    prop::collection::vec(story_row(q), 0..12).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                r.id = format!("{i}-{}", r.id).chars().take(64).collect();
                r
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_write_then_parse_round_trips(rows in story_rows(&questionnaire())) {
        let q = questionnaire();
        let columns = AnswerColumn::for_questionnaire(&q);
        let mut file = Vec::new();
        csv_v1::write(&mut file, &columns, &rows).expect("writing to memory");
        let parsed = csv_v1::parse(file.as_slice(), &q);
        prop_assert!(parsed.is_ok(), "parse refused its own export: {:?}\n{}", parsed.err(), String::from_utf8_lossy(&file));
        let parsed = parsed.expect("checked");
        prop_assert_eq!(&parsed, &rows);
        let mut again = Vec::new();
        csv_v1::write(&mut again, &columns, &parsed).expect("writing to memory");
        prop_assert_eq!(again, file);
    }

    #[test]
    fn csv_parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = csv_v1::parse(bytes.as_slice(), &questionnaire());
    }

    /// Nearly valid files: a real export with a few bytes changed, removed or inserted reach
    /// far deeper into the parser than random bytes do.
    #[test]
    fn csv_parse_never_panics_on_damaged_exports(
        rows in story_rows(&questionnaire()),
        edits in prop::collection::vec((any::<Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let q = questionnaire();
        let mut file = Vec::new();
        csv_v1::write(&mut file, &AnswerColumn::for_questionnaire(&q), &rows).expect("writing to memory");
        for (at, byte, kind) in edits {
            if file.is_empty() { break; }
            let i = at.index(file.len());
            match kind {
                0 => file[i] = byte,
                1 => { file.remove(i); }
                _ => file.insert(i, byte),
            }
        }
        if let Ok(parsed) = csv_v1::parse(file.as_slice(), &q) {
            // Whatever is accepted holds only valid values.
            for row in parsed {
                prop_assert!(q.role(&row.role).is_some());
                prop_assert!(!row.text.trim().is_empty());
                for (key, answer) in &row.answers {
                    let question = q.question(key);
                    prop_assert!(question.is_some(), "answer to unknown question {}", key);
                    if let Answer::Choice(o) = answer {
                        prop_assert!(question.is_some_and(|qq| qq.has_option(o)));
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Questionnaire JSON
// ---------------------------------------------------------------------------------------

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        messy_text(12).prop_map(Value::String),
        // Words the loader looks for, so that objects look like questionnaires more often.
        prop::sample::select(vec![
            "slider",
            "choice",
            "multichoice",
            "text",
            "kern",
            "jongere",
            "ouder",
            "gehoord",
            "",
            "a-b",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let key = prop::sample::select(vec![
            "slug",
            "title",
            "roles",
            "questions",
            "key",
            "label",
            "type",
            "left",
            "right",
            "options",
            "allow_na",
            "required",
            "context",
            "module",
            "translations",
            "role_labels",
            "prompt",
            "x",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.prop_map(String::from), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every path (object keys and array indices) in a JSON value.
fn paths(value: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                here.push(Value::String(k.clone()));
                paths(v, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                here.push(Value::from(i));
                paths(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at_path<'a>(value: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    let mut v = value;
    for step in path {
        v = match step {
            Value::String(k) => v.get_mut(k.as_str())?,
            Value::Number(n) => v.get_mut(usize::try_from(n.as_u64()?).ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// One change somewhere in the shipped questionnaire: replace a node, drop an object key or
/// an array element, or repeat an array element (duplicate keys, extra options …).
fn mutate(doc: &mut Value, at: Index, kind: u8, replacement: Value) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let path = &all[at.index(all.len())];
    match kind {
        0 => {
            if let Some(node) = at_path(doc, path) {
                *node = replacement;
            }
        }
        _ => {
            let Some((last, parent_path)) = path.split_last() else {
                return;
            };
            let Some(parent) = at_path(doc, parent_path) else {
                return;
            };
            match (parent, last) {
                (Value::Object(m), Value::String(k)) => {
                    m.remove(k);
                }
                (Value::Array(a), Value::Number(n)) => {
                    let i = n
                        .as_u64()
                        .and_then(|i| usize::try_from(i).ok())
                        .unwrap_or(0);
                    if i < a.len() {
                        if kind == 1 {
                            a.remove(i);
                        } else {
                            let copy = a[i].clone();
                            a.insert(i, copy);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn questionnaire_loader_never_panics_on_text(text in messy_text(400)) {
        let _ = Questionnaire::from_json(&text);
    }

    #[test]
    fn questionnaire_loader_never_panics_on_json(value in json_value()) {
        let _ = Questionnaire::from_json(&value.to_string());
    }

    /// Changed questionnaires: never a panic, and whatever is accepted saves and loads again
    /// unchanged (the project stores the questionnaire as this JSON).
    #[test]
    fn changed_questionnaires_are_refused_or_round_trip(
        changes in prop::collection::vec((any::<Index>(), 0u8..3, json_value()), 1..4),
    ) {
        let mut doc = serde_json::to_value(questionnaire()).expect("serialises");
        for (at, kind, replacement) in changes {
            mutate(&mut doc, at, kind, replacement);
        }
        if let Ok(q) = Questionnaire::from_json(&doc.to_string()) {
            let saved = serde_json::to_string(&q).expect("serialises");
            let loaded = Questionnaire::from_json(&saved);
            prop_assert_eq!(loaded, Ok(q));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Translation files (gettext PO)
// ---------------------------------------------------------------------------------------

/// Lines as PO files have them, so that random files reach deep into the reader.
fn po_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("msgctxt \"q.gehoord.label\"".to_string()),
        Just("msgid \"\"".to_string()),
        Just("msgid \"Werd er in dit verhaal naar je geluisterd?\"".to_string()),
        Just("msgid_plural \"x\"".to_string()),
        Just("msgstr \"\"".to_string()),
        Just("msgstr[0] \"a\"".to_string()),
        Just("\"Language: en\\n\"".to_string()),
        Just("#, fuzzy".to_string()),
        Just("#~ msgid \"oud\"".to_string()),
        Just("#. opmerking".to_string()),
        Just("\"".to_string()),
        Just("\"\\".to_string()),
        Just("\"\\777\"".to_string()),
        Just(String::new()),
        messy_text(40).prop_map(|t| format!("msgstr \"{t}\"")),
        messy_text(40),
    ];
    prop::collection::vec(line, 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_translation_file_reader_never_panics(text in po_text(), bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let q = questionnaire();
        let _ = translation_file::read_translations(&q, "en", text.as_bytes());
        let _ = translation_file::read_translations(&q, "en", &bytes);
    }

    /// Any translation of any text survives being written to a file and read back.
    #[test]
    fn translations_round_trip_through_a_file(texts in prop::collection::vec(messy_text(60), 121)) {
        let mut q = questionnaire();
        let ids: Vec<String> = q.source_texts().into_iter().map(|t| t.id).collect();
        let english: BTreeMap<String, String> = ids
            .into_iter()
            .zip(texts)
            .filter(|(_, t)| !t.trim().is_empty())
            .collect();
        q.translations.insert("en".into(), english.clone());
        let file = translation_file::write_translations(
            &q,
            &translation_file::FileInfo { project: "p", version: 1, lang: "en", language_name: "Engels" },
        );
        let read = translation_file::read_translations(&q, "en", file.as_bytes());
        prop_assert!(read.is_ok(), "{:?}\n{}", read.err(), file);
        prop_assert_eq!(read.map(|r| r.texts).unwrap_or_default(), english);
    }
}

#[test]
fn the_shipped_questionnaire_round_trips_through_json() {
    let q = questionnaire();
    let json = serde_json::to_string_pretty(&q).expect("serialises");
    assert_eq!(Questionnaire::from_json(&json), Ok(q));
}

// ---------------------------------------------------------------------------------------
// The story form
// ---------------------------------------------------------------------------------------

/// Form fields as the story form names them, with arbitrary values.
fn form_pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    let q = questionnaire();
    let mut names: Vec<String> = [
        "rol",
        "titel",
        "verhaal",
        "toestemming_analyse",
        "toestemming_citaten",
        "sleutel",
        "csrf",
        "vervolg",
        "q_",
        "na_",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for question in &q.questions {
        names.push(format!("q_{}", question.key));
        names.push(format!("na_{}", question.key));
    }
    let value = prop_oneof![
        messy_text(30),
        prop::sample::select(vec![
            "jongere",
            "ouder",
            "professional",
            "ja",
            "1",
            "50",
            "100",
            "101",
            "-1",
            "0",
            ""
        ])
        .prop_map(String::from),
        (0i64..=100).prop_map(|n| n.to_string()),
    ];
    prop::collection::vec((prop::sample::select(names), value), 0..40)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn story_form_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..1500)) {
        if let Some(form) = PostedForm::parse(&body) {
            let _ = validate_submission(&questionnaire(), &ProjectSettings::default(), &form.submission(), None);
        }
    }

    /// Realistic field names with arbitrary values: never a panic, and an accepted story
    /// holds only what the rules allow.
    #[test]
    fn story_form_accepts_only_valid_stories(pairs in form_pairs()) {
        let q = questionnaire();
        let settings = ProjectSettings::default();
        let body = serde_urlencoded::to_string(&pairs).expect("encodes");
        let form = PostedForm::parse(body.as_bytes());
        prop_assert!(form.is_some(), "a urlencoded body is always readable");
        let raw = form.expect("checked").submission();
        if let Ok(story) = validate_submission(&q, &settings, &raw, None) {
            prop_assert!(q.role(&story.role).is_some());
            prop_assert!(story.consent_analysis);
            prop_assert_eq!(story.title.trim(), story.title.as_str());
            prop_assert!(!story.title.is_empty() && story.title.chars().count() <= settings.max_title_chars as usize);
            prop_assert!(!story.text.is_empty() && story.text.chars().count() <= settings.max_story_chars as usize);
            let asked: Vec<&str> = q.questions_for(&story.role).map(|qq| qq.key.as_str()).collect();
            for (key, answer) in &story.answers {
                prop_assert!(asked.contains(&key.as_str()), "answer to a question not asked: {}", key);
                let question = q.question(key).expect("asked");
                match answer {
                    Answer::NotApplicable => prop_assert!(question.allow_na),
                    Answer::Choice(o) => prop_assert!(question.has_option(o)),
                    Answer::Multichoice(os) => prop_assert!(os.iter().all(|o| question.has_option(o))),
                    Answer::Slider(_) | Answer::Text(_) => {}
                }
            }
            for question in q.questions_for(&story.role).filter(|qq| qq.required) {
                prop_assert!(story.answers.contains_key(&question.key), "required {} missing", question.key);
            }
        }
    }

    /// A complete, valid form as a browser posts it is accepted, with exactly its answers.
    #[test]
    fn a_valid_posted_story_is_accepted_as_typed(
        role_at in any::<Index>(),
        title in "[^\\s\\p{C}][^\\p{C}]{0,40}",
        text in messy_text(200),
        answers in answers_for(&questionnaire()),
        quotes in any::<bool>(),
    ) {
        let q = questionnaire();
        let role = q.roles[role_at.index(q.roles.len())].key.clone();
        let text = format!("Verhaal {text} einde");
        let mut pairs: Vec<(String, String)> = vec![
            ("rol".into(), role.clone()),
            ("titel".into(), title.clone()),
            ("verhaal".into(), text.clone()),
            ("toestemming_analyse".into(), "ja".into()),
        ];
        if quotes {
            pairs.push(("toestemming_citaten".into(), "ja".into()));
        }
        let mut expected = Answers::new();
        for question in q.questions_for(&role) {
            let Some(answer) = answers.get(&question.key) else { continue };
            let key = &question.key;
            match answer {
                Answer::Slider(v) => pairs.push((format!("q_{key}"), v.get().to_string())),
                Answer::NotApplicable if question.allow_na => {
                    // The browser still sends the slider's position next to the ticked box.
                    pairs.push((format!("q_{key}"), "50".into()));
                    pairs.push((format!("na_{key}"), "1".into()));
                }
                Answer::NotApplicable => {
                    pairs.push((format!("q_{key}"), "50".into()));
                    expected.insert(key.clone(), Answer::Slider(SliderValue::new(50).expect("0-100")));
                    continue;
                }
                Answer::Choice(o) => pairs.push((format!("q_{key}"), o.clone())),
                Answer::Multichoice(os) => {
                    for o in os {
                        pairs.push((format!("q_{key}"), o.clone()));
                    }
                }
                Answer::Text(t) => {
                    // The form keeps a short answer without its surrounding blank space.
                    let t = t.trim();
                    if t.is_empty() || t.chars().count() > 500 {
                        continue;
                    }
                    pairs.push((format!("q_{key}"), t.to_string()));
                    expected.insert(key.clone(), Answer::Text(t.to_string()));
                    continue;
                }
            }
            expected.insert(key.clone(), answer.clone());
        }
        let body = serde_urlencoded::to_string(&pairs).expect("encodes");
        let raw = PostedForm::parse(body.as_bytes()).expect("readable").submission();
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in &pairs {
            if let Some(key) = k.strip_prefix("q_") {
                values.entry(key.to_string()).or_default().push(v.clone());
            }
        }
        prop_assert_eq!(&raw.values, &values, "the form parser keeps every value in order");
        let story = validate_submission(&q, &ProjectSettings::default(), &raw, None);
        prop_assert!(story.is_ok(), "refused: {:?}", story.err());
        let story = story.expect("checked");
        prop_assert_eq!(story.role, role);
        prop_assert_eq!(story.title, title.trim().to_string());
        prop_assert_eq!(story.text, text.trim().to_string());
        prop_assert_eq!(story.consent_quotes, quotes);
        prop_assert_eq!(story.answers, expected);
    }
}
