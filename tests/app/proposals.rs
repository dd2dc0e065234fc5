//! Verbetervoorstellen after the session: the follow-up pages under /beheer, the owner's
//! personal page without an account, and the reminder mails.

use crate::helpers::*;
use vertelpunt::domain::accounts::Access;
use vertelpunt::domain::sensemaking::{NoteInput, ProposalInput, SessionPlan};
use vertelpunt::exchange::timestamp::now_unix;
use vertelpunt::security::Secret;
use vertelpunt::service::accounts::SignedIn;
use vertelpunt::service::{proposals, sensemaking};

const DAY: i64 = 86_400;
const TITLE: &str = "Eén vaste contactpersoon";
const FIRST_STEP: &str = "Overleg met de wijkteams in januari";

/// The application's own secret (tests leave `VERTELPUNT_SECRET` unset: it is in the database).
pub(crate) fn secret(app: &TestApp) -> Secret {
    let db = app.database();
    let mut conn = db.conn().expect("connection");
    vertelpunt::service::projects::load_secret(&mut conn, app.config.secret.as_deref())
        .expect("secret")
}

/// Someone who may plan sessions in every project, for making test data with the services.
pub(crate) fn planner() -> SignedIn {
    SignedIn {
        id: "u-planner".into(),
        email: "planner@voorbeeld.nl".into(),
        name: "Planner".into(),
        access: Access {
            is_admin: true,
            ..Default::default()
        },
    }
}

/// A session "Sessie Noord" on 1 December 2026 in `project`, where Sam writes a note and then
/// a proposal from it, with Femke as its owner. Returns the proposal's id.
fn seed(app: &TestApp, project: &str, title: &str, owner_email: &str) -> String {
    let db = app.database();
    let now = now_unix();
    let plan = SessionPlan {
        title: "Sessie Noord".into(),
        date: "2026-12-01".into(),
        time: "19:30".into(),
        place: "Buurthuis De Linde".into(),
        ..Default::default()
    }
    .check()
    .expect("valid plan");
    let session =
        sensemaking::create(&db, &planner(), &secret(app), project, &plan, now).expect("session");
    let detail = sensemaking::open(&db, &planner(), project, &session).expect("open");
    let table = detail.tables[0].record.id.clone();
    let participant =
        sensemaking::join(&db, &detail.record, &table, "Sam", "jongere", now).expect("join");
    let seat = sensemaking::seat(&db, &detail.record, &participant.id)
        .expect("seat")
        .expect("a seat");
    let note = sensemaking::add_note(
        &db,
        &seat,
        &NoteInput {
            kind: "idee".into(),
            body: "elke jongere één vaste persoon geven".into(),
            so_that: "niemand steeds opnieuw hoeft te beginnen.".into(),
            about: String::new(),
        },
        now,
    )
    .expect("note");
    let (secret, compose) = (secret(app), owner_composer());
    sensemaking::propose(
        &db,
        &seat,
        None,
        "",
        &ProposalInput {
            title: title.into(),
            action: "elke jongere één vaste contactpersoon geven".into(),
            so_that: "zij niet steeds opnieuw hun verhaal hoeven te doen".into(),
            first_step: FIRST_STEP.into(),
            owner_name: "Femke (gemeente)".into(),
            owner_email: owner_email.into(),
            level: "lokaal".into(),
        },
        &[format!("notitie:{note}")],
        &proposals::OwnerMail {
            secret: &secret,
            compose: &compose,
        },
        now,
    )
    .expect("proposal")
}

fn detail_path(id: &str) -> String {
    format!("/beheer/p/jeugdhulp/voorstellen/{id}")
}

/// The owner's personal link as the begeleider sees it on the proposal's page (its path).
fn owner_path(begeleider: &Browser, id: &str) -> String {
    let page = begeleider.get(&detail_path(id));
    assert_eq!(page.status, 200, "{}", page.body);
    let marker = "id=\"eigenaar-link\" type=\"text\" value=\"";
    let start = page.body.find(marker).expect("owner link on the page") + marker.len();
    let end = page.body[start..].find('"').expect("end of link") + start;
    let link = unescape(&page.body[start..end]);
    let path = &link[link.find("/voorstel/").expect("path in link")..];
    path.to_string()
}

fn begeleider_of(app: &TestApp) -> Browser {
    app.user_browser(
        "femke.begeleider@voorbeeld.nl",
        &[("jeugdhulp", "begeleider")],
    )
}

/// Moves a proposal's last activity `days` into the past, straight in the database.
fn backdate(app: &TestApp, id: &str, days: i64) {
    use diesel::prelude::*;
    use vertelpunt::store::schema::proposals;
    let db = app.database();
    db.write_sync(|conn| {
        diesel::update(proposals::table.find(id))
            .set(proposals::last_activity_at.eq(now_unix() - days * DAY))
            .execute(conn)?;
        Ok(())
    })
    .expect("backdate");
}

fn composer() -> impl Fn(
    &vertelpunt::store::proposals::ProposalRecord,
    &str,
) -> vertelpunt::store::outbox::OutgoingMail {
    let renderer = vertelpunt::render::Renderer::load(
        vertelpunt::render::i18n::Catalogs::load().expect("texts"),
    )
    .expect("templates");
    vertelpunt::mail::compose::reminders::reminder_composer(
        renderer,
        "http://127.0.0.1:8080".into(),
    )
}

/// The composer of the mail to a newly named owner, as the web layer builds it.
pub(crate) fn owner_composer(
) -> impl Fn(&proposals::OwnerNamed) -> vertelpunt::store::outbox::OutgoingMail {
    let renderer = vertelpunt::render::Renderer::load(
        vertelpunt::render::i18n::Catalogs::load().expect("texts"),
    )
    .expect("templates");
    vertelpunt::mail::compose::proposals::owner_named(&renderer, "http://127.0.0.1:8080")
}

#[test]
fn the_list_shows_every_proposal_with_counts_and_filters_by_status() {
    let app = spawn_app().with_admin();
    let id = seed(&app, "jeugdhulp", TITLE, "");
    let other = seed(&app, "jeugdhulp", "Spreekuur op school", "");
    let begeleider = begeleider_of(&app);

    let project = begeleider.get("/beheer/p/jeugdhulp");
    project.assert_contains("href=\"/beheer/p/jeugdhulp/voorstellen\"");

    let list = begeleider.get("/beheer/p/jeugdhulp/voorstellen");
    assert_eq!(list.status, 200, "{}", list.body);
    list.assert_contains(&escape(TITLE));
    list.assert_contains("Spreekuur op school");
    list.assert_contains("<td>Nieuw</td>");
    list.assert_contains("<td>Lokaal</td>");
    list.assert_contains("Femke (gemeente)");
    list.assert_contains("Sessie Noord");
    list.assert_contains("01-12-2026");
    list.assert_contains("<strong>2</strong> voorstellen");
    list.assert_contains("<strong>2</strong> nieuw");
    list.assert_contains("<strong>0</strong> opgepakt");
    list.assert_contains(&format!("href=\"/beheer/p/jeugdhulp/voorstellen/{id}\""));

    // One is picked up: the filter shows only that one, and the counts follow.
    let csrf = begeleider.csrf(&detail_path(&other));
    let done = begeleider.post(
        &format!("{}/voortgang", detail_path(&other)),
        &[("csrf", &csrf), ("status", "opgepakt"), ("voortgang", "")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let picked = begeleider.get("/beheer/p/jeugdhulp/voorstellen?status=opgepakt");
    assert_eq!(picked.status, 200);
    picked.assert_contains("Spreekuur op school");
    assert!(!picked.body.contains(&escape(TITLE)), "{}", picked.body);
    picked.assert_contains("<option value=\"opgepakt\" selected>");
    picked.assert_contains("<strong>1</strong> opgepakt");
    let new = begeleider.get("/beheer/p/jeugdhulp/voorstellen?status=nieuw");
    new.assert_contains(&escape(TITLE));
    assert!(!new.body.contains("Spreekuur op school"));
    let none = begeleider.get("/beheer/p/jeugdhulp/voorstellen?status=gestopt");
    none.assert_contains("Er zijn geen voorstellen met de stand");
    let unknown = begeleider.get("/beheer/p/jeugdhulp/voorstellen?status=%3Cx%3E");
    assert_eq!(unknown.status, 200);
    unknown.assert_contains("Die stand bestaat niet");
    unknown.assert_contains("Spreekuur op school");
}

#[test]
fn a_begeleider_records_progress_in_a_dated_timeline() {
    let app = spawn_app().with_admin();
    let id = seed(&app, "jeugdhulp", TITLE, "");
    let begeleider = begeleider_of(&app);
    let path = detail_path(&id);

    let page = begeleider.get(&path);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains(&escape(FIRST_STEP));
    page.assert_contains("zij niet steeds opnieuw hun verhaal hoeven te doen");
    page.assert_contains("Femke (gemeente)");
    page.assert_contains("Sessie Noord</a> (01-12-2026), Tafel 1");
    // What it grew from: Sam's note, as one sentence.
    page.assert_contains("Notitie NT-");
    page.assert_contains(&escape(
        "We zouden eigenlijk elke jongere één vaste persoon geven moeten doen, zodat niemand steeds opnieuw hoeft te beginnen. (Sam)",
    ));
    page.assert_contains("stand: Nieuw");
    page.assert_contains("Voortgang bijwerken");

    // Nothing typed and the status unchanged: refused, with the message at the field.
    let csrf = page.hidden("csrf");
    let refused = begeleider.post(
        &format!("{path}/voortgang"),
        &[("csrf", &csrf), ("status", "nieuw"), ("voortgang", "  ")],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Vul wat er is gebeurd in.");
    refused.assert_contains("href=\"#voortgang\"");
    refused.assert_contains("aria-invalid=\"true\"");
    // The rest of the page is all there.
    refused.assert_contains(&escape(FIRST_STEP));
    refused.assert_contains("stand: Nieuw");

    // Too long: refused, and the typed text (with its markup escaped) comes back.
    let long = format!("<b>Gesprek</b> {}", "x".repeat(3000));
    let refused = begeleider.post(
        &format!("{path}/voortgang"),
        &[
            ("csrf", &csrf),
            ("status", "opgepakt"),
            ("voortgang", &long),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("te lang");
    refused.assert_contains(&escape(&long));
    refused.assert_contains("<option value=\"opgepakt\" selected>");
    assert!(!refused.body.contains("<b>Gesprek</b>"));

    // A status change with a text: in the timeline with date, author and "van … naar …".
    let done = begeleider.post(
        &format!("{path}/voortgang"),
        &[
            ("csrf", &csrf),
            ("status", "opgepakt"),
            ("voortgang", "Eerste overleg met het wijkteam gepland."),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(done
        .header("location")
        .is_some_and(|l| l.starts_with(&path)));
    let page = begeleider.get(&path);
    page.assert_contains("van Nieuw naar Opgepakt");
    page.assert_contains("Eerste overleg met het wijkteam gepland.");
    page.assert_contains("femke.begeleider");
    let today = vertelpunt::web::views::story::nl_date(now_unix());
    page.assert_contains(&format!("<strong>{today}"));
    // A text without a status change is fine too.
    let done = begeleider.post(
        &format!("{path}/voortgang"),
        &[
            ("csrf", &csrf),
            ("status", "opgepakt"),
            ("voortgang", "Wijkteam Noord doet mee."),
        ],
    );
    assert_eq!(done.status, 303);
    let page = begeleider.get(&path);
    page.assert_contains("Wijkteam Noord doet mee.");
    // Unknown statuses are named.
    let refused = begeleider.post(
        &format!("{path}/voortgang"),
        &[("csrf", &csrf), ("status", "klaar"), ("voortgang", "x")],
    );
    assert_eq!(refused.status, 422);
    refused.assert_contains("Kies hoe het ervoor staat.");
}

#[test]
fn editing_keeps_what_was_typed_when_something_is_wrong() {
    let app = spawn_app().with_admin();
    let id = seed(&app, "jeugdhulp", TITLE, "femke@voorbeeld.nl");
    let begeleider = begeleider_of(&app);
    let path = detail_path(&id);
    let old_owner_path = owner_path(&begeleider, &id);
    let csrf = begeleider.csrf(&path);
    let form = |title: &'static str, email: &'static str, days: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("titel", title.to_string()),
            ("wat", "elke jongere een vaste coach geven".to_string()),
            ("zodat", "er één aanspreekpunt is".to_string()),
            ("eerste_stap", "Voorstel in het MT van februari".to_string()),
            ("eigenaar", "Ahmed (wijkteam)".to_string()),
            ("eigenaar_email", email.to_string()),
            ("niveau", "regionaal".to_string()),
            ("herinnering", days.to_string()),
        ]
    };
    let post = |fields: Vec<(&str, String)>| {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        begeleider.post(&path, &refs)
    };

    let refused = post(form("Een <vaste> coach", "ahmed@", "400"));
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Dit e-mailadres klopt niet.");
    refused.assert_contains("href=\"#eigenaar_email\"");
    refused.assert_contains("Vul een aantal dagen in van 0 tot en met 365");
    // Everything typed is still there, escaped.
    refused.assert_contains("value=\"Een &lt;vaste&gt; coach\"");
    refused.assert_contains("value=\"ahmed@\"");
    refused.assert_contains("value=\"400\"");
    refused.assert_contains("elke jongere een vaste coach geven</textarea>");
    refused.assert_contains("Voorstel in het MT van februari</textarea>");
    refused.assert_contains("value=\"regionaal\" checked");
    // The proposal itself did not change.
    refused.assert_contains(&format!("<h1>{}</h1>", escape(TITLE)));

    let saved = post(form("Een <vaste> coach", "ahmed@voorbeeld.nl", "14"));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = begeleider.get(&path);
    page.assert_contains("<h1>Een &lt;vaste&gt; coach</h1>");
    page.assert_contains("Ahmed (wijkteam)");
    page.assert_contains("ahmed@voorbeeld.nl");
    page.assert_contains("Regionaal");
    page.assert_contains("Een mail na 14 dagen zonder nieuws.");
    assert!(!page.body.contains("<vaste>"));

    // A new address means a new personal link: the old one stops working.
    let new_owner_path = owner_path(&begeleider, &id);
    assert_ne!(new_owner_path, old_owner_path);
    assert_eq!(app.browser().get(&old_owner_path).status, 404);
    assert_eq!(app.browser().get(&new_owner_path).status, 200);
}

#[test]
fn readers_may_read_but_not_write_and_other_projects_stay_closed() {
    let app = spawn_app().with_admin();
    crate::accounts::add_second_project(&app);
    let id = seed(&app, "jeugdhulp", TITLE, "femke@voorbeeld.nl");
    let elsewhere = seed(&app, "ander", "Voorstel van een ander project", "");
    let onderzoeker = app.user_browser("o@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let path = detail_path(&id);

    let list = onderzoeker.get("/beheer/p/jeugdhulp/voorstellen");
    assert_eq!(list.status, 200, "{}", list.body);
    list.assert_contains(&escape(TITLE));
    let page = onderzoeker.get(&path);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("stand: Nieuw");
    // No forms, and not the owner's link (it would let them write).
    assert!(!page.body.contains("Voortgang bijwerken"));
    assert!(!page.body.contains("Voorstel wijzigen"));
    assert!(!page.body.contains("eigenaar-link"));
    assert!(!page.body.contains("&#x2F;voorstel&#x2F;"));
    let csrf = page.hidden("csrf");
    let update = onderzoeker.post(
        &format!("{path}/voortgang"),
        &[("csrf", &csrf), ("status", "opgepakt"), ("voortgang", "x")],
    );
    assert_eq!(update.status, 403);
    let save = onderzoeker.post(&path, &[("csrf", &csrf), ("titel", "Anders")]);
    assert_eq!(save.status, 403);

    // Another project: refused before anything is looked up; its ids are unknown here.
    let begeleider = begeleider_of(&app);
    assert_eq!(begeleider.get("/beheer/p/ander/voorstellen").status, 403);
    assert_eq!(
        begeleider
            .get(&format!("/beheer/p/ander/voorstellen/{elsewhere}"))
            .status,
        403
    );
    assert_eq!(begeleider.get(&detail_path(&elsewhere)).status, 404);
    assert_eq!(app.get(&detail_path(&elsewhere)).status, 404);
    let csrf = begeleider.csrf(&path);
    let post = begeleider.post(
        &format!("{}/voortgang", detail_path(&elsewhere)),
        &[("csrf", &csrf), ("status", "opgepakt"), ("voortgang", "x")],
    );
    assert_eq!(post.status, 404);
    assert!(!app
        .get("/beheer/p/jeugdhulp/voorstellen")
        .body
        .contains("Voorstel van een ander project"));
    // Without a login: to the login page.
    assert_eq!(app.browser().get(&path).status, 303);
    // Without a valid form token nothing is saved.
    let expired = begeleider.post(
        &format!("{path}/voortgang"),
        &[("csrf", "fout"), ("status", "opgepakt"), ("voortgang", "x")],
    );
    assert_eq!(expired.status, 403);
    assert!(!begeleider
        .get(&path)
        .body
        .contains("van Nieuw naar Opgepakt"));
}

#[test]
fn the_owner_keeps_track_through_the_personal_link() {
    let app = spawn_app().with_admin();
    let id = seed(&app, "jeugdhulp", TITLE, "femke@voorbeeld.nl");
    let begeleider = begeleider_of(&app);
    let link = owner_path(&begeleider, &id);
    let owner = app.browser();

    let page = owner.get(&link);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains(&format!("<h1>{}</h1>", escape(TITLE)));
    page.assert_contains(&escape(FIRST_STEP));
    page.assert_contains("Vertel hoe het gaat");
    page.assert_contains("stand: Nieuw");
    assert_eq!(page.header("x-robots-tag"), Some("noindex, nofollow"));
    // Nothing of the project's stories or the owner's address is shown here.
    assert!(!page.body.contains("Notitie"));
    assert!(!page.body.contains("femke@voorbeeld.nl"));

    // A wrong token, or one of another proposal, is simply not found.
    let (base, token) = link.rsplit_once('/').expect("token");
    let mut wrong = token.to_string();
    wrong.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    assert_eq!(owner.get(&format!("{base}/{wrong}")).status, 404);
    assert_eq!(owner.get(&format!("{base}/kort")).status, 404);
    assert_eq!(
        owner.get(&format!("/voorstel/VV-NIETS/{token}")).status,
        404
    );
    let csrf = page.hidden("csrf");
    let forged = owner.post(
        &format!("{base}/{wrong}"),
        &[("csrf", &csrf), ("status", "gestopt"), ("voortgang", "x")],
    );
    assert_eq!(forged.status, 404);

    // Nothing typed and nothing changed: the message, at the field.
    let refused = owner.post(
        &link,
        &[("csrf", &csrf), ("status", "nieuw"), ("voortgang", "")],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_contains("Vul wat er is gebeurd in.");
    refused.assert_contains("href=\"#voortgang\"");
    // An expired form keeps what was typed.
    let expired = owner.post(
        &link,
        &[
            ("csrf", "verlopen"),
            ("status", "in_uitvoering"),
            ("voortgang", "Bijna <klaar>"),
        ],
    );
    assert_eq!(expired.status, 403);
    expired.assert_contains("Deze pagina stond te lang open.");
    expired.assert_contains("Bijna &lt;klaar&gt;</textarea>");
    expired.assert_contains("value=\"in_uitvoering\" checked");

    let done = owner.post(
        &link,
        &[
            ("csrf", &csrf),
            ("status", "in_uitvoering"),
            ("voortgang", "Het wijkteam begint in maart."),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let back = done.header("location").expect("location").to_string();
    assert!(back.starts_with(&link), "{back}");
    let page = owner.get(back.split('#').next().unwrap_or(&back));
    page.assert_contains("Dank je wel!");
    page.assert_contains("Het wijkteam begint in maart.");
    page.assert_contains("van Nieuw naar In uitvoering");
    page.assert_contains("Femke (gemeente) (handschoenoppakker)");

    // The begeleider sees it in the same timeline.
    let detail = begeleider.get(&detail_path(&id));
    detail.assert_contains("Het wijkteam begint in maart.");
    detail.assert_contains("Femke (gemeente) (handschoenoppakker)");
    detail.assert_contains("In uitvoering");
}

#[test]
fn reminders_go_once_per_quiet_period_and_not_for_finished_proposals() {
    let app = spawn_app().with_admin();
    let quiet = seed(&app, "jeugdhulp", TITLE, "femke@voorbeeld.nl");
    let finished = seed(&app, "jeugdhulp", "Klaar", "klaar@voorbeeld.nl");
    let no_reminders = seed(&app, "jeugdhulp", "Zonder", "zonder@voorbeeld.nl");
    let begeleider = begeleider_of(&app);
    let csrf = begeleider.csrf(&detail_path(&finished));
    let done = begeleider.post(
        &format!("{}/voortgang", detail_path(&finished)),
        &[
            ("csrf", &csrf),
            ("status", "gerealiseerd"),
            ("voortgang", ""),
        ],
    );
    assert_eq!(done.status, 303);
    let off = begeleider.post(
        &detail_path(&no_reminders),
        &[
            ("csrf", &csrf),
            ("titel", "Zonder"),
            ("wat", "iets doen"),
            ("zodat", "het beter wordt"),
            ("eerste_stap", "Bellen"),
            ("eigenaar", "Zonder"),
            ("eigenaar_email", "zonder@voorbeeld.nl"),
            ("niveau", "lokaal"),
            ("herinnering", "0"),
        ],
    );
    assert_eq!(off.status, 303, "{}", off.body);

    let db = app.database();
    let secret = secret(&app);
    let compose = composer();
    let now = now_unix();
    // Not yet: the default period is 30 days.
    assert_eq!(
        proposals::send_reminders(&db, &secret, &compose, now + 29 * DAY).expect("run"),
        0
    );
    let later = now + 31 * DAY;
    assert_eq!(
        proposals::send_reminders(&db, &secret, &compose, later).expect("run"),
        1
    );
    // A second run at the same moment (another instance, a retry) queues nothing.
    assert_eq!(
        proposals::send_reminders(&db, &secret, &compose, later).expect("run"),
        0
    );
    let outbox = app.outbox();
    let reminders: Vec<_> = outbox
        .iter()
        .filter(|m| m.subject.starts_with("Hoe gaat het met"))
        .collect();
    assert_eq!(reminders.len(), 1, "{outbox:?}");
    // Queued "31 days from now", the mail is not due for the worker yet, so the outbox still
    // holds its text (it forgets it once the mail is sent).
    let mail = reminders[0];
    assert_eq!(mail.recipient, "femke@voorbeeld.nl");
    assert_eq!(mail.subject, format!("Hoe gaat het met '{TITLE}'?"));
    assert!(mail.body_text.contains(FIRST_STEP), "{}", mail.body_text);
    assert!(mail.body_text.contains("Femke (gemeente)"));
    assert!(mail.body_text.contains("Gerealiseerd"));
    assert!(mail.body_text.contains("Vraag het de begeleider"));
    assert!(mail.body_html.contains(FIRST_STEP), "{}", mail.body_html);
    // The link in the mail is the owner's page.
    let start = mail.body_text.find("/voorstel/").expect("link in mail");
    let rest = &mail.body_text[start..];
    let path = &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())];
    assert_eq!(path, owner_path(&begeleider, &quiet));
    assert_eq!(app.browser().get(path).status, 200);

    // A period later the next one; finished and switched-off proposals never get one.
    assert_eq!(
        proposals::send_reminders(&db, &secret, &compose, later + 31 * DAY).expect("run"),
        1
    );
    let reminders: Vec<_> = app
        .outbox()
        .into_iter()
        .filter(|m| m.subject.starts_with("Hoe gaat het met"))
        .collect();
    assert!(reminders
        .iter()
        .all(|m| m.recipient != "klaar@voorbeeld.nl" && m.recipient != "zonder@voorbeeld.nl"));
    assert_eq!(
        reminders
            .iter()
            .filter(|m| m.recipient == "femke@voorbeeld.nl")
            .count(),
        2
    );
}

#[test]
fn the_command_line_and_the_background_loop_queue_due_reminders() {
    let app = spawn_app();
    let id = seed(&app, "jeugdhulp", TITLE, "femke@voorbeeld.nl");
    let out = crate::cli::vertelpunt(&app.db_url, &["proposals", "remind"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 "));
    backdate(&app, &id, 40);
    let out = crate::cli::vertelpunt(&app.db_url, &["proposals", "remind"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.starts_with("1 herinnering"), "{printed}");
    let out = crate::cli::vertelpunt(&app.db_url, &["proposals", "remind"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 "));
    // The mail to the new owner, and one reminder.
    assert_eq!(app.outbox().len(), 2);

    // A running instance looks by itself (here every second) and hands the mail to the
    // mail worker, which writes it to the mail folder when there is no SMTP server.
    let second = spawn_app_with(|c| c.reminder_interval = std::time::Duration::from_secs(1));
    let id = seed(&second, "jeugdhulp", TITLE, "ahmed@voorbeeld.nl");
    backdate(&second, &id, 40);
    let sent = wait_until("the reminder sent by the background loop", || {
        second.outbox().into_iter().find(|m| {
            m.recipient == "ahmed@voorbeeld.nl"
                && m.subject.starts_with("Hoe gaat het met")
                && m.sent_at.is_some()
        })
    });
    assert_eq!(sent.subject, format!("Hoe gaat het met '{TITLE}'?"));
    assert_eq!(second.outbox().len(), 2);
}
