//! A verteltafel without a connection, over HTTP: the device keeps finished stories and sends
//! them later to `/v/{project}/tafel/nasturen` with their form keys, the moment each was
//! finished and the withdrawal code the device drew. Stored once however often it is sent;
//! taken when finished before the table closed, refused otherwise; only from a page of this
//! site with the table pass. Also the JSON answer to the code and the manifest and worker.

use crate::helpers::*;
use serde_json::Value;
use vertelpunt::exchange::timestamp::now_unix;
use vertelpunt::security::sha256_hex;
use vertelpunt::store::{stories, story_tables};

const PROJECT: &str = "jeugdhulp";
const SEND: &str = "/v/jeugdhulp/tafel/nasturen";

/// Opens a table as this begeleider; returns its code.
fn open_table(begeleider: &Browser, name: &str) -> String {
    let csrf = begeleider.csrf("/beheer/p/jeugdhulp/verteltafels");
    let page = begeleider.post(
        "/beheer/p/jeugdhulp/verteltafels",
        &[
            ("csrf", &csrf),
            ("naam", name),
            ("plaats", "Buurthuis, 12 maart"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    between(&page.body, "id=\"tafelcode\">", "<")
}

/// A device at the table of this code.
fn device_at(app: &TestApp, code: &str) -> Browser {
    let device = app.browser();
    let csrf = device.csrf("/v/jeugdhulp/tafel");
    let entered = device.post("/v/jeugdhulp/tafel", &[("csrf", &csrf), ("code", code)]);
    assert_eq!(entered.status, 303, "{}", entered.body);
    device
}

fn the_table(app: &TestApp) -> story_tables::StoryTableRecord {
    let db = app.database();
    let mut conn = db.conn().unwrap();
    story_tables::list(&mut conn, PROJECT).unwrap()[0].clone()
}

/// A posted form: its fields in order.
type Fields = Vec<(String, String)>;

/// A story as the device's script keeps it: the form's fields (without the CSRF token), the
/// worker's confirmation, the drawn withdrawal code, when it was finished and its language.
fn kept(key: &str, code: &str, finished_at: i64, text: &str) -> Fields {
    [
        ("sleutel", key),
        ("rol", "jongere"),
        ("titel", "Zonder internet"),
        ("verhaal", text),
        ("q_gehoord", "80"),
        ("stand_gehoord", "schuif"),
        ("q_juiste_hulp", "65"),
        ("q_op_tijd", "20"),
        ("q_gevoel", "gemengd"),
        ("toestemming_analyse", "ja"),
        ("voorgelezen", "ja"),
        ("intrekcode", code),
        ("afgerond", &finished_at.to_string()),
        ("taal", "en"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The answer to a post, with its JSON.
struct Answer {
    status: u16,
    json: Value,
}

impl Answer {
    fn outcome(&self) -> &str {
        self.json["uitkomst"].as_str().unwrap_or("")
    }

    fn reason(&self) -> &str {
        self.json["reden"].as_str().unwrap_or("")
    }
}

/// Posts a kept story as the device's script does (`fetch`, so with an `Origin`), with the
/// headers given.
fn send_with(device: &Browser, fields: &[(String, String)], headers: &[(&str, &str)]) -> Answer {
    let mut request = device.client.post(format!("{}{SEND}", device.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.send_form(as_refs(fields)).expect("POST");
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    let json = serde_json::from_str(&body).unwrap_or_else(|_| panic!("JSON: {body}"));
    Answer { status, json }
}

fn send(device: &Browser, fields: &[(String, String)]) -> Answer {
    let origin = device.base.clone();
    send_with(
        device,
        fields,
        &[
            ("Origin", origin.as_str()),
            ("Sec-Fetch-Site", "same-origin"),
        ],
    )
}

fn stored_with_key(app: &TestApp, key: &str) -> Option<stories::Story> {
    let db = app.database();
    let mut conn = db.conn().unwrap();
    stories::find_by_submission_key(&mut conn, &sha256_hex(key)).unwrap()
}

const KEY: &str = "offline-sleutel-0000000001";
const CODE: &str = "7K3M-9QX2-ABCD";

#[test]
fn a_kept_story_is_stored_once_however_often_it_is_sent() {
    let app = spawn_app().with_admin();
    let code = open_table(&app, "De Pit");
    let device = device_at(&app, &code);
    let finished = now_unix() - 60;
    let fields = kept(KEY, CODE, finished, LONG_STORY);

    let first = send(&device, &fields);
    assert_eq!(
        (first.status, first.outcome()),
        (200, "opgeslagen"),
        "{}",
        first.json
    );
    let again = send(&device, &fields);
    assert_eq!(
        (again.status, again.outcome()),
        (200, "al_opgeslagen"),
        "{}",
        again.json
    );
    assert_eq!(story_count(&app), 1, "a repeat stores nothing twice");

    // Told when it was finished, at its table, in its language, with the device's code.
    let story = stored_with_key(&app, KEY).expect("stored");
    assert_eq!(story.record.created_at, finished);
    assert_eq!(story.record.channel, "verteltafel");
    assert_eq!(story.record.language, "en");
    assert_eq!(
        story.record.withdrawal_code_hash.as_deref(),
        Some(sha256_hex(CODE).as_str())
    );
    let db = app.database();
    let link = story_tables::link_of(&mut db.conn().unwrap(), &story.record.id)
        .unwrap()
        .expect("linked to its table");
    assert_eq!(link.table_id, the_table(&app).id);
    assert_eq!(link.consent_read_at, finished);

    // The teller withdraws with the code the device showed them (typed loosely).
    let csrf = app.csrf("/v/jeugdhulp/intrekken");
    let done = app.post(
        "/v/jeugdhulp/intrekken/bevestig",
        &[("csrf", &csrf), ("code", "7k3m 9qx2 abcd")],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    let db = app.database();
    let shareable = stories::list_shareable(&mut db.conn().unwrap(), PROJECT).unwrap();
    assert!(shareable.is_empty(), "withdrawn with the device's code");
    assert_eq!(story_count(&app), 1, "withdrawn, not gone");
}

#[test]
fn stories_finished_before_the_table_closed_are_taken_and_later_ones_refused() {
    let app = spawn_app().with_admin();
    let code = open_table(&app, "Kamp");
    let device = device_at(&app, &code);
    let table = the_table(&app);
    let csrf = app.csrf("/beheer/p/jeugdhulp/verteltafels");
    let closing = app.post(
        &format!("/beheer/p/jeugdhulp/verteltafels/{}/sluiten", table.id),
        &[("csrf", &csrf)],
    );
    assert_eq!(closing.status, 303, "{}", closing.body);
    let closed_at = the_table(&app).closed_at.expect("closed");

    // Finished a little before the table closed, sent afterwards: taken, with its own time.
    let before = kept(KEY, CODE, closed_at - 30, LONG_STORY);
    let taken = send(&device, &before);
    assert_eq!(
        (taken.status, taken.outcome()),
        (200, "opgeslagen"),
        "{}",
        taken.json
    );
    assert_eq!(
        stored_with_key(&app, KEY).unwrap().record.created_at,
        closed_at - 30
    );

    // Finished at or after the moment it closed: refused, and the device is told why.
    let after_key = "offline-sleutel-0000000002";
    let after = kept(after_key, "ABCD-EFGH-JKMN", closed_at, LONG_STORY);
    let refused = send(&device, &after);
    assert_eq!(refused.status, 409, "{}", refused.json);
    assert_eq!(
        (refused.outcome(), refused.reason()),
        ("geweigerd", "na_sluiten")
    );
    assert!(refused.json["bericht"]
        .as_str()
        .is_some_and(|m| m.contains("gesloten")));
    assert!(stored_with_key(&app, after_key).is_none());
    assert_eq!(story_count(&app), 1);

    // The story finished in time, sent once more: still the one story.
    assert_eq!(send(&device, &before).outcome(), "al_opgeslagen");
    assert_eq!(story_count(&app), 1);
}

#[test]
fn times_and_stories_that_cannot_be_right_are_refused() {
    let app = spawn_app().with_admin();
    let code = open_table(&app, "Bibliotheek");
    let device = device_at(&app, &code);
    let opened = the_table(&app).opened_at;
    let now = now_unix();
    let cases: Vec<(&str, Fields, u16, &str)> = vec![
        (
            "in the future",
            kept(KEY, CODE, now + 3600, LONG_STORY),
            422,
            "toekomst",
        ),
        (
            "before the table opened",
            kept(KEY, CODE, opened - 3600, LONG_STORY),
            422,
            "voor_opening",
        ),
        (
            "an empty story",
            kept(KEY, CODE, now, "  "),
            422,
            "onvolledig",
        ),
        (
            "no time",
            replaced(&kept(KEY, CODE, now, LONG_STORY), "afgerond", "gisteren"),
            422,
            "onleesbaar",
        ),
        (
            "no withdrawal code of ours",
            replaced(&kept(KEY, CODE, now, LONG_STORY), "intrekcode", "ABC"),
            422,
            "onleesbaar",
        ),
        (
            "no form key of ours",
            replaced(&kept(KEY, CODE, now, LONG_STORY), "sleutel", "kort"),
            422,
            "onleesbaar",
        ),
        (
            "no confirmation that the consent was read aloud",
            without(&kept(KEY, CODE, now, LONG_STORY), "voorgelezen"),
            422,
            "onvolledig",
        ),
    ];
    for (what, fields, status, reason) in cases {
        let answer = send(&device, &fields);
        assert_eq!(answer.status, status, "{what}: {}", answer.json);
        assert_eq!(
            (answer.outcome(), answer.reason()),
            ("geweigerd", reason),
            "{what}"
        );
    }
    let incomplete = send(&device, &kept(KEY, CODE, now, "  "));
    assert_eq!(incomplete.json["velden"][0], "verhaal");
    assert_eq!(story_count(&app), 0);
}

#[test]
fn a_kept_story_needs_the_table_pass_and_a_page_of_this_site() {
    let app = spawn_app().with_admin();
    let code = open_table(&app, "De Pit");
    let device = device_at(&app, &code);
    let fields = kept(KEY, CODE, now_unix(), LONG_STORY);
    let origin = device.base.clone();
    let not_now = |answer: Answer, reason: &str, what: &str| {
        assert_eq!(answer.status, 403, "{what}: {}", answer.json);
        assert_eq!(
            (answer.outcome(), answer.reason()),
            ("niet_nu", reason),
            "{what}"
        );
    };

    // No pass: another browser, or a pass that was tampered with.
    let stranger = app.browser();
    not_now(send(&stranger, &fields), "geen_pas", "no pass");
    not_now(
        send_with(
            &stranger,
            &fields,
            &[
                ("Origin", origin.as_str()),
                ("Cookie", "vp_tafel=nagemaakt"),
            ],
        ),
        "geen_pas",
        "a forged pass",
    );

    // A page elsewhere cannot send one with the device's cookies (CSRF).
    not_now(
        send_with(
            &device,
            &fields,
            &[("Origin", "https://elders.example.org")],
        ),
        "herkomst",
        "another origin",
    );
    not_now(
        send_with(
            &device,
            &fields,
            &[
                ("Origin", origin.as_str()),
                ("Sec-Fetch-Site", "cross-site"),
            ],
        ),
        "herkomst",
        "a cross-site fetch",
    );
    not_now(
        send_with(&device, &fields, &[]),
        "herkomst",
        "neither header",
    );
    // Kept at another table than the device is at now: it waits.
    let mut elsewhere = fields.clone();
    elsewhere.push(("tafel".into(), "VT-ANDERETAFEL".into()));
    not_now(send(&device, &elsewhere), "andere_tafel", "another table");
    assert_eq!(story_count(&app), 0, "nothing stored on the way");

    // A browser's own same-origin fetch, with or without Origin, is fine.
    let answer = send_with(&device, &fields, &[("Sec-Fetch-Site", "same-origin")]);
    assert_eq!(answer.outcome(), "opgeslagen", "{}", answer.json);
    assert_eq!(story_count(&app), 1);
}

#[test]
fn the_device_code_is_the_same_online_and_when_the_answer_got_lost() {
    let app = spawn_app().with_admin();
    let code = open_table(&app, "De Pit");
    let device = device_at(&app, &code);
    let form = device.get("/v/jeugdhulp/tafel/vertel?rol=jongere");
    let key = form.hidden("sleutel");
    let mut fields = story_fields(&form, "jongere", "Online", LONG_STORY);
    fields.push(("voorgelezen".into(), "ja".into()));
    fields.push(("intrekcode".into(), "MNPQ-RSTV-WXYZ".into()));
    // Online with JavaScript: the thank-you page shows the code the device drew.
    let thanks = device.post("/v/jeugdhulp/tafel/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert_eq!(withdrawal_code(&thanks), "MNPQ-RSTV-WXYZ");
    // The answer never reached the device, so it kept the story and sends it later: the
    // same story, and the teller's code works.
    let later = kept(&key, "MNPQ-RSTV-WXYZ", now_unix(), LONG_STORY);
    assert_eq!(send(&device, &later).outcome(), "al_opgeslagen");
    assert_eq!(story_count(&app), 1);
    // A code that is not one is not taken (no page of ours sends it).
    let form = device.get("/v/jeugdhulp/tafel/vertel?rol=jongere");
    let mut fields = story_fields(&form, "jongere", "Online", LONG_STORY);
    fields.push(("voorgelezen".into(), "ja".into()));
    fields.push(("intrekcode".into(), "niet-een-code".into()));
    assert_eq!(
        device
            .post("/v/jeugdhulp/tafel/vertel", &as_refs(&fields))
            .status,
        400
    );
    assert_eq!(story_count(&app), 1);
}

#[test]
fn the_code_answers_the_devices_script_in_json() {
    let app = spawn_app().with_admin();
    let code = open_table(&app, "De Pit");
    let device = app.browser();
    let csrf = device.csrf("/v/jeugdhulp/tafel");
    let post = |code: &str| {
        let mut response = device
            .client
            .post(format!("{}/v/jeugdhulp/tafel", device.base))
            .header("Accept", "application/json")
            .send_form([("csrf", csrf.as_str()), ("code", code)])
            .expect("POST");
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str::<Value>(&body).expect("JSON"))
    };
    let (status, wrong) = post("AAAA-BBBB-CCCC");
    assert_eq!(status, 404);
    assert!(wrong["fout"]
        .as_str()
        .is_some_and(|t| t.contains("Deze code kennen we niet")));
    let (status, right) = post(&code);
    assert_eq!(status, 200, "{right}");
    assert_eq!(right["tafel"], the_table(&app).id.as_str());
    assert_eq!(right["naar"], "/v/jeugdhulp/tafel");
    // The pass is set: the device is at the table.
    device
        .get("/v/jeugdhulp/tafel")
        .assert_contains("Wie vertelt er nu?");
}

#[test]
fn the_table_is_installable_and_its_worker_covers_the_table_pages() {
    let app = spawn_app().with_admin();
    let manifest = app.get("/v/jeugdhulp/tafel.webmanifest");
    assert_eq!(manifest.status, 200);
    assert_eq!(
        manifest.header("content-type"),
        Some("application/manifest+json")
    );
    let json: Value = serde_json::from_str(&manifest.body).unwrap();
    assert_eq!(json["scope"], "/v/jeugdhulp/tafel");
    assert_eq!(json["start_url"], "/v/jeugdhulp/tafel");
    assert_eq!(json["display"], "standalone");
    for icon in json["icons"].as_array().unwrap() {
        let (status, kind, bytes) = app.get_bytes(icon["src"].as_str().unwrap());
        assert_eq!((status, kind.as_str()), (200, "image/png"));
        assert!(bytes.starts_with(b"\x89PNG"));
    }

    let worker = app.get("/v/jeugdhulp/tafel-sw.js");
    assert_eq!(worker.status, 200);
    assert!(worker
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/javascript")));
    // Its own path's folder already covers /v/jeugdhulp/tafel: no widening header.
    assert!(worker.header("service-worker-allowed").is_none());
    assert!(!worker.body.contains("__VERSION__") && !worker.body.contains("__ASSETS__"));
    assert!(worker.body.contains("\"/assets/verteltafel.js\""));
    assert_eq!(app.get("/v/bestaat-niet/tafel-sw.js").status, 404);

    // Every table page links the manifest and loads the script; the normal form does not.
    let code = open_table(&app, "De Pit");
    let device = device_at(&app, &code);
    for page in [
        "/v/jeugdhulp/tafel",
        "/v/jeugdhulp/tafel/vertel?rol=jongere",
    ] {
        let body = device.get(page).body;
        assert!(
            body.contains("rel=\"manifest\" href=\"/v/jeugdhulp/tafel.webmanifest\""),
            "{page}"
        );
        assert!(body.contains("/assets/verteltafel.js"), "{page}");
        assert!(
            body.contains(&format!("data-table=\"{}\"", the_table(&app).id)),
            "{page}"
        );
    }
    assert!(!app.open_form("jongere").body.contains("verteltafel.js"));
}

fn replaced(fields: &[(String, String)], name: &str, value: &str) -> Fields {
    fields
        .iter()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_string()
            } else {
                v.clone()
            };
            (k.clone(), v)
        })
        .collect()
}

fn without(fields: &[(String, String)], name: &str) -> Fields {
    fields.iter().filter(|(k, _)| k != name).cloned().collect()
}
