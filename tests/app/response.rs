//! The response monitor (issue 23, item 2): place links lead to the normal form and are carried
//! through it; the counters move as a teller goes from opening the form to sending; the
//! monitor's figures equal counts taken straight from the database; targets are saved and
//! refused input comes back; k applies; and nothing per person is stored.

use crate::helpers::*;
use diesel::prelude::*;
use std::collections::BTreeSet;
use vertelpunt::store::schema::{answers, place_links, response_counts, response_durations};
use vertelpunt::store::schema::{response_targets, stories};
use vertelpunt::store::AnyConnection;

const PROJECT: &str = "jeugdhulp";

/// (role, place, stage) → count, summed over days and languages.
fn counter(app: &TestApp, role: &str, place: &str, stage: &str) -> i64 {
    let db = app.database();
    let mut conn = db.conn().unwrap();
    let rows: Vec<i64> = response_counts::table
        .filter(response_counts::project_slug.eq(PROJECT))
        .filter(response_counts::role.eq(role))
        .filter(response_counts::place.eq(place))
        .filter(response_counts::stage.eq(stage))
        .select(response_counts::count)
        .load(&mut conn)
        .unwrap();
    rows.iter().sum()
}

fn stage_total(app: &TestApp, stage: &str) -> i64 {
    let db = app.database();
    let mut conn = db.conn().unwrap();
    let rows: Vec<i64> = response_counts::table
        .filter(response_counts::project_slug.eq(PROJECT))
        .filter(response_counts::stage.eq(stage))
        .select(response_counts::count)
        .load(&mut conn)
        .unwrap();
    rows.iter().sum()
}

fn durations_measured(app: &TestApp) -> i64 {
    let db = app.database();
    let mut conn = db.conn().unwrap();
    let rows: Vec<i64> = response_durations::table
        .filter(response_durations::project_slug.eq(PROJECT))
        .select(response_durations::count)
        .load(&mut conn)
        .unwrap();
    rows.iter().sum()
}

/// A begeleider makes a place link; returns its code (read from the database).
fn make_place(app: &TestApp, begeleider: &Browser, name: &str) -> String {
    let csrf = begeleider.csrf("/beheer/p/jeugdhulp/respons");
    let made = begeleider.post(
        "/beheer/p/jeugdhulp/respons/plekken",
        &[("csrf", &csrf), ("naam", name)],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let db = app.database();
    let mut conn = db.conn().unwrap();
    place_links::table
        .filter(place_links::project_slug.eq(PROJECT))
        .filter(place_links::name.eq(name))
        .select(place_links::code)
        .first(&mut conn)
        .unwrap()
}

/// A teller opens the form from a link and sends a whole story; returns the form page.
fn tell(app: &TestApp, role: &str, place: Option<&str>, gemeente: &str) -> Page {
    let teller = app.browser();
    let query = place.map(|p| format!("&plek={p}")).unwrap_or_default();
    let form = teller.get(&format!("/v/jeugdhulp/vertel?rol={role}{query}"));
    assert_eq!(form.status, 200, "{}", form.body);
    let mut fields = story_fields(&form, role, "Via de plek", LONG_STORY);
    fields.retain(|(k, _)| k != "q_gemeente");
    fields.push(("q_gemeente".into(), gemeente.into()));
    for name in ["plek", "meting"] {
        if form.body.contains(&format!("name=\"{name}\"")) {
            fields.push((name.into(), form.hidden(name)));
        }
    }
    let thanks = teller.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    form
}

#[test]
fn the_counters_move_as_a_teller_walks_through_the_form_from_a_place_link() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let code = make_place(&app, &begeleider, "Wachtkamer huisarts Beek");

    // The link leads to the landing page, whose role buttons carry the place.
    let teller = app.browser();
    let landing = teller.get(&format!("/v/jeugdhulp?plek={code}"));
    assert_eq!(landing.status, 200);
    landing.assert_contains(&format!("vertel?rol=ouder&amp;plek={code}"));

    // Opened: counted once, per role and place; the form carries the place and a measure.
    let form = teller.get(&format!("/v/jeugdhulp/vertel?rol=ouder&plek={code}"));
    assert_eq!(form.status, 200);
    assert_eq!(form.hidden("plek"), code);
    let measure = form.hidden("meting");
    assert!(!measure.is_empty());
    assert_eq!(counter(&app, "ouder", &code, "geopend"), 1);
    assert_eq!(counter(&app, "ouder", &code, "begonnen"), 0);

    // A post without text does not count as started.
    let mut empty = story_fields(&form, "ouder", "", "");
    empty.push(("plek".into(), code.clone()));
    empty.push(("meting".into(), measure.clone()));
    let again = teller.post("/v/jeugdhulp/vertel", &as_refs(&empty));
    assert_eq!(again.status, 422);
    assert_eq!(counter(&app, "ouder", &code, "begonnen"), 0);
    assert_eq!(again.hidden("plek"), code, "the place stays with the form");

    // The first post with text (consent forgotten): started, once.
    let mut fields = story_fields(&again, "ouder", "Lang gewacht", LONG_STORY);
    fields.retain(|(k, _)| k != "toestemming_analyse");
    fields.push(("plek".into(), again.hidden("plek")));
    fields.push(("meting".into(), again.hidden("meting")));
    let refused = teller.post("/v/jeugdhulp/vertel", &as_refs(&fields));
    assert_eq!(refused.status, 422);
    assert_eq!(counter(&app, "ouder", &code, "begonnen"), 1);
    let started_measure = refused.hidden("meting");
    assert_ne!(started_measure, measure, "the form now says it was counted");
    // Another language keeps the place and the counted start.
    let mut switch = fields.clone();
    switch.retain(|(k, _)| k != "meting");
    switch.push(("meting".into(), started_measure.clone()));
    switch.push(("naar_taal".into(), "en".into()));
    let switched = teller.post("/v/jeugdhulp/vertel/wissel", &as_refs(&switch));
    assert_eq!(switched.status, 200);
    assert_eq!(switched.hidden("plek"), code);
    assert_eq!(counter(&app, "ouder", &code, "begonnen"), 1);

    // Sent: counted, not started a second time; the time it took goes into the histogram.
    let mut whole = story_fields(&refused, "ouder", "Lang gewacht", LONG_STORY);
    whole.push(("plek".into(), code.clone()));
    whole.push(("meting".into(), switched.hidden("meting")));
    let thanks = teller.post("/v/jeugdhulp/vertel", &as_refs(&whole));
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert_eq!(counter(&app, "ouder", &code, "verstuurd"), 1);
    assert_eq!(counter(&app, "ouder", &code, "begonnen"), 1);
    assert_eq!(durations_measured(&app), 1);
    // A double click stores nothing new and counts nothing new.
    let twice = teller.post("/v/jeugdhulp/vertel", &as_refs(&whole));
    assert_eq!(twice.status, 200);
    assert_eq!(counter(&app, "ouder", &code, "verstuurd"), 1);

    // An unknown code still leads to the form, and counts as "onbekend".
    let unknown = app.get("/v/jeugdhulp/vertel?rol=jongere&plek=bestaat-niet");
    assert_eq!(unknown.status, 200);
    assert_eq!(unknown.hidden("plek"), "onbekend");
    let odd = app.get("/v/jeugdhulp?plek=%3Cscript%3E");
    assert_eq!(odd.status, 200);
    odd.assert_contains("plek=onbekend");
    assert_eq!(counter(&app, "jongere", "onbekend", "geopend"), 1);
    // A whole story from an unknown code is counted under "onbekend" all the way.
    tell(&app, "jongere", Some("verzonnen"), "wijchen");
    assert_eq!(counter(&app, "jongere", "onbekend", "verstuurd"), 1);

    // Two tellers' events only add up: one row per project, day, role, place, language, stage.
    let before = counter(&app, "ouder", &code, "geopend");
    app.browser()
        .get(&format!("/v/jeugdhulp/vertel?rol=ouder&plek={code}"));
    app.browser()
        .get(&format!("/v/jeugdhulp/vertel?rol=ouder&plek={code}"));
    assert_eq!(counter(&app, "ouder", &code, "geopend"), before + 2);
    let db = app.database();
    let mut conn = db.conn().unwrap();
    let rows: i64 = response_counts::table
        .filter(response_counts::role.eq("ouder"))
        .filter(response_counts::place.eq(&code))
        .filter(response_counts::stage.eq("geopend"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(rows, 1, "one counter row, not a row per teller");
}

#[test]
fn the_monitor_equals_the_database_and_applies_k() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let school = make_place(&app, &begeleider, "School De Klimop");
    let wachtkamer = make_place(&app, &begeleider, "Wachtkamer");
    // Seven parents via the school, five young people via the waiting room, one without a
    // link; two forms opened and left.
    for i in 0..7 {
        let g = if i < 5 { "wijchen" } else { "beuningen" };
        tell(&app, "ouder", Some(&school), g);
    }
    for _ in 0..5 {
        tell(&app, "jongere", Some(&wachtkamer), "wijchen");
    }
    tell(&app, "professional", None, "wijchen");
    app.get(&format!("/v/jeugdhulp/vertel?rol=ouder&plek={school}"));
    app.get(&format!("/v/jeugdhulp/vertel?rol=ouder&plek={school}"));

    let page = begeleider.get("/beheer/p/jeugdhulp/respons");
    assert_eq!(page.status, 200, "{}", page.body);

    // Counts straight from the database.
    let db = app.database();
    let mut conn = db.conn().unwrap();
    let of_role = |conn: &mut AnyConnection, role: &str| -> i64 {
        stories::table
            .filter(stories::project_slug.eq(PROJECT))
            .filter(stories::role.eq(role))
            .filter(stories::withdrawn_at.is_null())
            .count()
            .get_result(conn)
            .unwrap()
    };
    let total: i64 = stories::table
        .filter(stories::project_slug.eq(PROJECT))
        .filter(stories::withdrawn_at.is_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(total, 13);
    page.assert_contains(&format!("<strong>{total}</strong> verhalen"));
    let parents = of_role(&mut conn, "ouder");
    let young = of_role(&mut conn, "jongere");
    let pros = of_role(&mut conn, "professional");
    assert_eq!((parents, young, pros), (7, 5, 1));
    let wijchen: i64 = answers::table
        .inner_join(stories::table)
        .filter(stories::project_slug.eq(PROJECT))
        .filter(answers::question_key.eq("gemeente"))
        .filter(answers::text_value.eq("wijchen"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(wijchen, 11);

    // Per role, in the targets and the chart tables (the professional's 1 is under k = 5).
    let targets = between(&page.body, "id=\"doelen-kop\"", "</section>");
    assert!(
        targets.contains(&format!("{parents} verhalen · geen doel")),
        "{targets}"
    );
    assert!(
        targets.contains(&format!("{young} verhalen · geen doel")),
        "{targets}"
    );
    assert!(targets.contains("< 5 verhalen · geen doel"), "{targets}");
    assert!(
        targets.contains(&format!("{wijchen} verhalen · geen doel")),
        "{targets}"
    );
    assert!(!targets.contains(">1 verhalen") && !targets.contains("2 verhalen"));

    // The funnel per role equals the counters.
    let funnel = between(&page.body, "id=\"afhaken-rol\"", "</table>");
    let opened = counter(&app, "ouder", &school, "geopend");
    let sent = counter(&app, "ouder", &school, "verstuurd");
    assert_eq!((opened, sent), (9, 7));
    assert!(
        funnel.contains(&format!(
            "Ik ben ouder of verzorger</th><td>{opened}</td><td>{sent}</td><td>{sent}</td><td>78 %</td>"
        )),
        "{funnel}"
    );
    assert_eq!(stage_total(&app, "verstuurd"), total);
    assert!(funnel.contains(&format!(
        "Alle rollen</th><td>{}</td><td>{}</td><td>{}</td>",
        stage_total(&app, "geopend"),
        stage_total(&app, "begonnen"),
        total
    )));
    // The professional's row is all under k.
    assert!(
        funnel.contains(
            "Ik werk in de jeugdhulp of het onderwijs</th><td>< 5</td><td>< 5</td><td>< 5</td><td></td>"
        ),
        "{funnel}"
    );

    // Places: the school's counters, the unlinked story under k.
    let places = between(&page.body, "id=\"plek-tabel\"", "</table>");
    assert!(
        places.contains("School De Klimop</th><td><code>"),
        "{places}"
    );
    assert!(
        places.contains(&format!(
            "/p/{school}</code></td><td>{opened}</td><td>{sent}</td><td>{sent}</td>"
        )),
        "{places}"
    );
    assert!(
        places.contains(
            "Zonder plek-link</th><td></td><td>< 5</td><td>< 5</td><td>< 5</td><td></td>"
        ),
        "{places}"
    );

    // Every form was timed: the median is shown, with how often it was measured.
    assert_eq!(durations_measured(&app), total);
    page.assert_contains(&format!("({total} keer gemeten)"));
    // Questionnaire length per role.
    page.assert_contains("Ik ben ouder of verzorger: ");
    // More than 60 % … no: 7 of 13 is 54 %, no warning about roles.
    assert!(!page.body.contains("Dat is veel."));

    // The tables per day and week split by place link (from the counters of forms sent) and
    // by gemeente (from the answers); everything was told this week.
    let week = |page: &Page| between(&page.body, "id=\"verhalen-per-week\"", "</table>");
    let by_place = begeleider.get("/beheer/p/jeugdhulp/respons?per=plek");
    let table = week(&by_place);
    // Places made in the same second come in the order of their codes.
    let (school_first, waiting) = (school < wachtkamer, 5);
    let (first, second, first_count, second_count) = if school_first {
        ("School De Klimop", "Wachtkamer", sent, waiting)
    } else {
        ("Wachtkamer", "School De Klimop", waiting, sent)
    };
    assert!(
        table.contains(&format!(
            "<th scope=\"col\">{first}</th><th scope=\"col\">{second}</th>\
             <th scope=\"col\">Onbekende code</th><th scope=\"col\">Zonder plek-link</th>"
        )),
        "{table}"
    );
    assert_eq!(
        (sent, counter(&app, "jongere", &wachtkamer, "verstuurd")),
        (7, waiting)
    );
    assert!(
        table.contains(&format!(
            "</th><td>{first_count}</td><td>{second_count}</td><td>0</td><td>< 5</td>\
             <td>{total}</td></tr>"
        )),
        "{table}"
    );
    let by_gemeente = begeleider.get("/beheer/p/jeugdhulp/respons?per=gemeente");
    let table = week(&by_gemeente);
    let beuningen = 7 - 5;
    assert_eq!(wijchen + beuningen, total);
    assert!(table.contains(&format!("<td>{wijchen}</td>")), "{table}");
    assert!(!table.contains(&format!("<td>{beuningen}</td>")), "{table}");
    assert!(table.contains(&format!("<td>{total}</td></tr>")), "{table}");
    by_gemeente.assert_contains("<option value=\"gemeente\" selected>");
    // An odd split is the split by role.
    let odd = begeleider.get("/beheer/p/jeugdhulp/respons?per=%3Cx%3E");
    assert_eq!(odd.status, 200);
    assert!(week(&odd).contains("<th scope=\"col\">Ik ben ouder of verzorger</th>"));
}

#[test]
fn one_role_that_dominates_gets_a_warning_with_whom_to_reach() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    for _ in 0..9 {
        tell(&app, "ouder", None, "wijchen");
    }
    for _ in 0..2 {
        tell(&app, "jongere", None, "wijchen");
    }
    let page = begeleider.get("/beheer/p/jeugdhulp/respons");
    assert_eq!(page.status, 200);
    // 9 of 11 = 82 %.
    page.assert_contains(
        "82 % van de verhalen komt van <strong>Ik ben ouder of verzorger</strong>",
    );
    page.assert_contains("Zoek nu vooral <strong>Ik werk in de jeugdhulp of het onderwijs</strong> en <strong>Ik ben een kind of jongere</strong>");
}

#[test]
fn targets_are_saved_and_refused_input_is_kept() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    for _ in 0..5 {
        tell(&app, "ouder", None, "wijchen");
    }
    let csrf = begeleider.csrf("/beheer/p/jeugdhulp/respons");
    let saved = begeleider.post(
        "/beheer/p/jeugdhulp/respons/doelen",
        &[
            ("csrf", &csrf),
            ("doel_rol_ouder", "20"),
            ("doel_rol_jongere", ""),
            ("doel_gemeente_wijchen", "10"),
            ("verwacht_negatief", "30"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let db = app.database();
    let mut conn = db.conn().unwrap();
    let stored: BTreeSet<(String, String, i64)> = response_targets::table
        .filter(response_targets::project_slug.eq(PROJECT))
        .select((
            response_targets::kind,
            response_targets::value,
            response_targets::target,
        ))
        .load::<(String, String, i64)>(&mut conn)
        .unwrap()
        .into_iter()
        .collect();
    let expected: BTreeSet<(String, String, i64)> = [
        ("gemeente", "wijchen", 10),
        ("negatief", "", 30),
        ("rol", "ouder", 20),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
    .collect();
    assert_eq!(stored, expected);
    let page = begeleider.get("/beheer/p/jeugdhulp/respons");
    page.assert_contains("5 van 20 verhalen (25 %)");
    page.assert_contains("<progress max=\"100\" value=\"25\"");
    page.assert_contains("5 van 10 verhalen (50 %)");
    page.assert_contains("Je verwacht ongeveer 30 %.");

    // Refused: the page again with what was typed and the message; nothing changed.
    let refused = begeleider.post(
        "/beheer/p/jeugdhulp/respons/doelen",
        &[
            ("csrf", &csrf),
            ("doel_rol_ouder", "veel"),
            ("doel_gemeente_wijchen", "12"),
            ("verwacht_negatief", "130"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("value=\"veel\"");
    refused.assert_contains("value=\"12\"");
    refused.assert_contains("value=\"130\"");
    refused.assert_contains("Vul een heel getal in");
    refused.assert_contains("Vul een percentage in");
    let count: i64 = response_targets::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(count, 3);

    // An empty place name is refused, the name field comes back.
    let no_name = begeleider.post(
        "/beheer/p/jeugdhulp/respons/plekken",
        &[("csrf", &csrf), ("naam", "  ")],
    );
    assert_eq!(no_name.status, 422);
    no_name.assert_contains("Geef de plek een naam");

    // An onderzoeker may look, not set targets.
    let onderzoeker = app.user_browser("onderzoeker@voorbeeld.nl", &[(PROJECT, "onderzoeker")]);
    assert_eq!(onderzoeker.get("/beheer/p/jeugdhulp/respons").status, 200);
    let csrf = onderzoeker.csrf("/beheer/p/jeugdhulp/respons");
    let denied = onderzoeker.post(
        "/beheer/p/jeugdhulp/respons/doelen",
        &[("csrf", &csrf), ("doel_rol_ouder", "1")],
    );
    assert_eq!(denied.status, 403);
}

/// The columns of a table as the database has them.
fn columns(conn: &mut AnyConnection, table: &str) -> BTreeSet<String> {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let rows: Vec<Column> = match conn {
        AnyConnection::Sqlite(c) => {
            diesel::sql_query(format!("SELECT name FROM pragma_table_info('{table}')"))
                .load(c)
                .unwrap()
        }
        AnyConnection::Postgresql(c) => diesel::sql_query(format!(
            "SELECT column_name::TEXT AS name FROM information_schema.columns \
             WHERE table_name = '{table}' AND table_schema = current_schema()"
        ))
        .load(c)
        .unwrap(),
    };
    rows.into_iter().map(|c| c.name).collect()
}

#[test]
fn nothing_per_person_is_stored() {
    let app = spawn_app().with_admin();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let code = make_place(&app, &begeleider, "Jongerencentrum");
    tell(&app, "jongere", Some(&code), "wijchen");
    let db = app.database();
    let mut conn = db.conn().unwrap();
    let set = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    // Exactly these columns: nothing that could hold an address, a cookie, a user agent, a
    // story or a moment finer than a day.
    assert_eq!(
        columns(&mut conn, "response_counts"),
        set(&[
            "project_slug",
            "day",
            "role",
            "place",
            "language",
            "stage",
            "count"
        ])
    );
    assert_eq!(
        columns(&mut conn, "response_durations"),
        set(&["project_slug", "day", "bucket", "count"])
    );
    // The place is not stored with the story.
    let story_columns = columns(&mut conn, "stories");
    assert!(story_columns.contains("role"));
    for c in &story_columns {
        assert!(!c.contains("place") && !c.contains("plek"), "{c}");
    }
    // Every counter value is a count of events, and the form sent no cookie of ours besides
    // the CSRF and language cookies.
    let form = app
        .browser()
        .get(&format!("/v/jeugdhulp/vertel?rol=jongere&plek={code}"));
    let cookies = form.header("set-cookie").unwrap_or("");
    assert!(
        !cookies.contains("plek") && !cookies.contains("meting"),
        "{cookies}"
    );
}

#[test]
fn a_place_link_gets_another_name_and_keeps_its_link_and_counts() {
    let app = spawn_app();
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let code = make_place(&app, &begeleider, "Wachtkamr Beek");
    tell(&app, "ouder", Some(&code), "wijchen");
    let monitor = "/beheer/p/jeugdhulp/respons";
    let csrf = begeleider.csrf(monitor);
    let rename = format!("{monitor}/plekken/{code}");

    // An empty name is refused; the form comes back open with what was typed.
    let refused = begeleider.post(&rename, &[("csrf", &csrf), ("naam", "   ")]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Geef de plek een naam");
    refused.assert_contains(&format!("id=\"naam-{code}-fout\""));
    refused.assert_contains("<details class=\"place-rename\" open>");
    let name_of = || -> String {
        let db = app.database();
        let mut conn = db.conn().unwrap();
        place_links::table
            .filter(place_links::code.eq(&code))
            .select(place_links::name)
            .first(&mut conn)
            .unwrap()
    };
    assert_eq!(name_of(), "Wachtkamr Beek");

    let renamed = begeleider.post(&rename, &[("csrf", &csrf), ("naam", " Wachtkamer  Beek ")]);
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    assert_eq!(name_of(), "Wachtkamer Beek");
    assert!(audit_details(&app, "place_link.rename")
        .iter()
        .any(|d| d == "Wachtkamr Beek → Wachtkamer Beek"));
    let page = begeleider.get(renamed.header("location").unwrap());
    page.assert_contains("De naam van de plek-link is gewijzigd");
    // The same code: the count made before the new name is still the place's.
    assert_eq!(counter(&app, "ouder", &code, "verstuurd"), 1);
    page.assert_contains(&format!(
        "id=\"plek-{code}\"><th scope=\"row\">Wachtkamer Beek</th>"
    ));

    // A code the project does not have is not found; an onderzoeker may not rename.
    let unknown = begeleider.post(
        &format!("{monitor}/plekken/bestaat"),
        &[("csrf", &csrf), ("naam", "Iets")],
    );
    assert_eq!(unknown.status, 404);
    let onderzoeker = app.user_browser("onderzoeker@voorbeeld.nl", &[(PROJECT, "onderzoeker")]);
    let token = onderzoeker.csrf(monitor);
    let denied = onderzoeker.post(&rename, &[("csrf", &token), ("naam", "Anders")]);
    assert_eq!(denied.status, 403);
    assert_eq!(name_of(), "Wachtkamer Beek");
}
