//! Verbetervoorstellen written at a table: the mail to the handschoenoppakker with the
//! personal link (new proposal, changed address, unchanged address, no address), and a
//! proposal that makes a new group in the same post.

use crate::helpers::*;
use crate::proposals::{planner, secret};
use vertelpunt::domain::sensemaking::SessionPlan;
use vertelpunt::exchange::timestamp::now_unix;
use vertelpunt::service::sensemaking;

const SUBJECT: &str = "Jij pakt de handschoen op: 'Wachttijd eerlijk melden'";

/// A session "Sessie Noord" in project jeugdhulp with one table, and Sam at it (over HTTP).
struct AtTable<'a> {
    app: &'a TestApp,
    code: String,
    table: String,
    sam: Browser,
}

fn at_table(app: &TestApp) -> AtTable<'_> {
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
    let secret = secret(app);
    let session =
        sensemaking::create(&db, &planner(), &secret, "jeugdhulp", &plan, now).expect("session");
    let detail = sensemaking::open(&db, &planner(), "jeugdhulp", &session).expect("open");
    let table = detail.tables[0].record.id.clone();
    let code = sensemaking::code_of(&secret, &detail.record);
    let sam = crate::sensemaking::join(app, &code, &table, "Sam");
    AtTable {
        app,
        code,
        table,
        sam,
    }
}

impl AtTable<'_> {
    fn page(&self) -> String {
        format!("/s/{}/tafel", self.code)
    }

    /// Posts the proposal form (a new one, or an edit of `editing`) with these fields on top
    /// of a valid proposal.
    fn post(&self, editing: Option<&str>, extra: &[(&str, &str)]) -> Page {
        let csrf = self.sam.csrf(&self.page());
        let mut fields: Vec<(&str, &str)> = vec![
            ("csrf", &csrf),
            ("titel", "Wachttijd eerlijk melden"),
            ("wat", "bij de aanmelding meteen de echte wachttijd noemen"),
            ("zodat", "jongeren en ouders weten waar ze aan toe zijn"),
            ("eerste_stap", "Navragen bij de aanbieders in december"),
            ("eigenaar", "Femke (gemeente)"),
            ("niveau", "regionaal"),
        ];
        for (k, v) in extra {
            fields.retain(|(f, _)| f != k);
            fields.push((k, v));
        }
        let path = match editing {
            Some(id) => format!("/s/{}/voorstellen/{id}", self.code),
            None => format!("/s/{}/voorstellen", self.code),
        };
        self.sam.post(&path, &fields)
    }

    fn propose(&self, extra: &[(&str, &str)]) -> String {
        let made = self.post(None, extra);
        assert_eq!(made.status, 303, "{}", made.body);
        made.header("location")
            .and_then(|l| l.rsplit("#voorstel-").next())
            .expect("proposal id")
            .to_string()
    }

    fn mails_to(&self, to: &str) -> usize {
        self.app
            .outbox()
            .iter()
            .filter(|m| m.recipient == to)
            .count()
    }
}

/// The path of the personal link in a mail's plain text.
pub(crate) fn owner_path(mail: &ReceivedMail) -> String {
    let start = mail
        .text
        .find("/voorstel/")
        .unwrap_or_else(|| panic!("no link in mail:\n{}", mail.text));
    let rest = &mail.text[start..];
    rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())].to_string()
}

#[test]
fn the_owner_gets_one_mail_with_the_personal_link_and_a_new_one_for_a_new_address() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|c| sink.configure(c)).with_admin();
    let t = at_table(&app);

    // A proposal with an address: exactly one mail to it, which tells who, where and what.
    let id = t.propose(&[("eigenaar_email", "femke@voorbeeld.nl")]);
    assert_eq!(t.mails_to("femke@voorbeeld.nl"), 1, "{:?}", t.app.outbox());
    let mail = sink.wait_for_mail_to("femke@voorbeeld.nl");
    assert_eq!(mail.subject, SUBJECT);
    for expected in [
        "Hallo Femke (gemeente),",
        "Sam heeft jou genoemd als handschoenoppakker",
        "in de duidingssessie \"Sessie Noord\" op dinsdag 1 december 2026, 19:30, aan de tafel \"Tafel 1\"",
        "Het voorstel: Wachttijd eerlijk melden",
        "bij de aanmelding meteen de echte wachttijd noemen",
        "Navragen bij de aanbieders in december",
        "de stand veranderen",
        "Klopt dit niet?",
    ] {
        assert!(mail.text.contains(expected), "{expected}\n{}", mail.text);
    }
    assert!(mail.html.contains("Naar mijn voorstel"), "{}", mail.html);
    // The link opens the owner's page, without an account.
    let femke_link = owner_path(&mail);
    assert!(
        femke_link.starts_with(&format!("/voorstel/{id}/")),
        "{femke_link}"
    );
    let page = t.app.browser().get(&femke_link);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("<h1>Wachttijd eerlijk melden</h1>");
    page.assert_contains("Vertel hoe het gaat");

    // No address, no mail.
    let before = t.app.outbox().len();
    t.propose(&[("titel", "Zonder adres"), ("eigenaar_email", "")]);
    assert_eq!(t.app.outbox().len(), before);

    // The same address again (other capitals): no second mail, and the link still works.
    let same = t.post(
        Some(&id),
        &[
            ("eigenaar_email", "Femke@voorbeeld.nl"),
            ("eerste_stap", "Navragen in januari"),
        ],
    );
    assert_eq!(same.status, 303, "{}", same.body);
    assert_eq!(t.app.outbox().len(), before);
    assert_eq!(t.app.browser().get(&femke_link).status, 200);

    // Another address: a mail to it with a new link, and the old link is refused.
    let changed = t.post(
        Some(&id),
        &[
            ("eigenaar", "Ahmed"),
            ("eigenaar_email", "ahmed@voorbeeld.nl"),
        ],
    );
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(t.mails_to("ahmed@voorbeeld.nl"), 1);
    assert_eq!(t.mails_to("femke@voorbeeld.nl"), 1);
    let mail = sink.wait_for_mail_to("ahmed@voorbeeld.nl");
    assert!(mail.text.contains("Hallo Ahmed,"), "{}", mail.text);
    let ahmed_link = owner_path(&mail);
    assert_ne!(ahmed_link, femke_link);
    assert_eq!(t.app.browser().get(&femke_link).status, 404);
    assert_eq!(t.app.browser().get(&ahmed_link).status, 200);

    // A begeleider who names someone else: the same mail, from the follow-up page.
    let begeleider = t
        .app
        .user_browser("b@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let path = format!("/beheer/p/jeugdhulp/voorstellen/{id}");
    let csrf = begeleider.csrf(&path);
    let save = |email: &str| {
        begeleider.post(
            &path,
            &[
                ("csrf", &csrf),
                ("titel", "Wachttijd eerlijk melden"),
                ("wat", "de echte wachttijd noemen"),
                ("zodat", "mensen weten waar ze aan toe zijn"),
                ("eerste_stap", "Navragen"),
                ("eigenaar", "Kim"),
                ("eigenaar_email", email),
                ("niveau", "lokaal"),
                ("herinnering", "30"),
            ],
        )
    };
    assert_eq!(save("kim@voorbeeld.nl").status, 303);
    assert_eq!(t.mails_to("kim@voorbeeld.nl"), 1);
    let mail = sink.wait_for_mail_to("kim@voorbeeld.nl");
    let kim_link = owner_path(&mail);
    assert_eq!(t.app.browser().get(&kim_link).status, 200);
    assert_eq!(t.app.browser().get(&ahmed_link).status, 404);
    // Saved again unchanged: no second mail.
    assert_eq!(save("kim@voorbeeld.nl").status, 303);
    assert_eq!(t.mails_to("kim@voorbeeld.nl"), 1);
    assert_eq!(t.app.browser().get(&kim_link).status, 200);
}

/// Sam writes a proposal at a table of a new session, with this owner address. Returns its id.
pub(crate) fn proposal_with_owner(app: &TestApp, email: &str) -> String {
    let t = at_table(app);
    t.propose(&[("eigenaar_email", email)])
}

#[test]
fn a_refused_proposal_queues_no_mail() {
    let app = spawn_app().with_admin();
    let t = at_table(&app);
    let refused = t.post(
        None,
        &[("eigenaar_email", "femke@voorbeeld.nl"), ("titel", "")],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(t.app.outbox().is_empty());
}

#[test]
fn a_proposal_makes_a_new_group_in_the_same_post() {
    let app = spawn_app().with_admin();
    let t = at_table(&app);
    let noted = crate::sensemaking::note(&t.sam, &t.code, "de wachttijd eerlijk noemen");
    assert_eq!(noted.status, 303, "{}", noted.body);
    let csrf = t.sam.csrf(&t.page());
    let made = t.sam.post(
        &format!("/s/{}/groepen", t.code),
        &[("csrf", &csrf), ("naam", "Bestaand")],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let existing = made
        .header("location")
        .and_then(|l| l.rsplit("#groep-").next())
        .expect("cluster id")
        .to_string();
    let form = t.sam.get(&t.page());
    form.assert_contains("Of maak een nieuwe groep");
    form.assert_contains("name=\"nieuwe_groep\"");

    // A group chosen and a new name typed: refused, with everything typed kept.
    let both = t.post(
        None,
        &[("groep", &existing), ("nieuwe_groep", "Duidelijkheid")],
    );
    assert_eq!(both.status, 422, "{}", both.body);
    both.assert_contains("Allebei kan niet.");
    both.assert_contains("value=\"Duidelijkheid\"");
    both.assert_contains(&format!("<option value=\"{existing}\" selected>"));
    both.assert_contains("value=\"Wachttijd eerlijk melden\"");
    both.assert_contains("Navragen bij de aanbieders in december</textarea>");

    // A name that is too long: refused, the typed text kept (escaped).
    let long = format!("<b>Wachten</b> {}", "x".repeat(90));
    let bad = t.post(None, &[("nieuwe_groep", &long)]);
    assert_eq!(bad.status, 422, "{}", bad.body);
    bad.assert_contains("te lang");
    bad.assert_contains(&format!("value=\"{}\"", escape(&long)));
    bad.assert_contains("value=\"Wachttijd eerlijk melden\"");
    assert!(!bad.body.contains("<b>Wachten</b>"));

    let db = t.app.database();
    let clusters = |conn: &mut vertelpunt::store::AnyConnection| {
        vertelpunt::store::sensemaking::clusters(conn, &t.table).expect("clusters")
    };
    {
        let mut conn = db.conn().expect("conn");
        assert_eq!(
            clusters(&mut conn).len(),
            1,
            "nothing made by a refused post"
        );
        assert!(vertelpunt::store::proposals::of_table(&mut conn, &t.table)
            .expect("proposals")
            .is_empty());
    }

    // A new name only: the group and the proposal from it, in one post.
    let id = t.propose(&[("nieuwe_groep", "  Duidelijkheid ")]);
    let mut conn = db.conn().expect("conn");
    let made = clusters(&mut conn)
        .into_iter()
        .find(|c| c.name == "Duidelijkheid")
        .expect("the new group");
    let proposal = vertelpunt::store::proposals::find(&mut conn, &id)
        .expect("find")
        .expect("the proposal");
    assert_eq!(proposal.cluster_id.as_deref(), Some(made.id.as_str()));
    // The new group has no notes yet, so the proposal grew from none.
    let notes = vertelpunt::store::sensemaking::notes(&mut conn, &t.table).expect("notes");
    assert!(notes
        .iter()
        .all(|n| n.cluster_id.as_deref() != Some(made.id.as_str())));
    assert!(vertelpunt::store::proposals::sources(&mut conn, &id)
        .expect("sources")
        .is_empty());
    drop(conn);
    let board = t.sam.get(&format!("/s/{}/tafel/bord", t.code));
    board.assert_contains("Duidelijkheid");
    board.assert_contains("Wachttijd eerlijk melden");
}
