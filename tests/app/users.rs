//! Users administration and mail delivery: invitations over a real SMTP server (started by the
//! test), the file fallback, outages and several instances, password resets, and who may
//! change whom.

use crate::accounts::add_second_project;
use crate::helpers::*;
use diesel::prelude::*;
use vertelpunt::exchange::timestamp::now_unix;
use vertelpunt::store::accounts::{find_user_by_email, list_users, project_roles, UserRecord};
use vertelpunt::store::{AnyConnection, Database, DatabaseUrl};

fn user(app: &TestApp, email: &str) -> Option<UserRecord> {
    let mut conn = app.database().conn().unwrap();
    find_user_by_email(&mut conn, email).unwrap()
}

fn roles_of(app: &TestApp, id: &str) -> Vec<(String, String)> {
    let mut conn = app.database().conn().unwrap();
    project_roles(&mut conn, id)
        .unwrap()
        .into_iter()
        .map(|(p, r)| (p, r.as_str().to_string()))
        .collect()
}

fn user_count(app: &TestApp) -> usize {
    let mut conn = app.database().conn().unwrap();
    list_users(&mut conn).unwrap().len()
}

/// Runs one statement on a test database (to make time pass).
fn execute(db_url: &DatabaseUrl, f: impl FnOnce(&mut AnyConnection) -> QueryResult<usize>) {
    let mut conn = Database::open(db_url, 1).unwrap().conn().unwrap();
    f(&mut conn).unwrap();
}

fn sent_to(app: &TestApp, email: &str) -> bool {
    app.outbox()
        .iter()
        .any(|m| m.recipient == email && m.sent_at.is_some())
}

/// Chooses a password with a link from a mail, in a fresh browser.
fn choose_password(app: &TestApp, link_path: &str, password: &str) -> Page {
    let browser = app.browser();
    let form = browser.get(link_path);
    assert_eq!(form.status, 200, "{}", form.body);
    browser.post(
        link_path,
        &[
            ("csrf", &form.hidden("csrf")),
            ("wachtwoord", password),
            ("herhaal", password),
        ],
    )
}

#[test]
fn an_invitation_travels_over_smtp_and_opens_the_account() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|c| sink.configure(c)).with_admin();
    let form = app.get("/beheer/gebruikers/uitnodigen");
    assert_eq!(form.status, 200, "{}", form.body);
    form.assert_contains("Vertelpunt Jeugdhulp");

    let done = app.invite(
        "Sanne de Vries",
        "Sanne@Voorbeeld.nl",
        &[("jeugdhulp", "onderzoeker")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.header("location"),
        Some("/beheer/gebruikers?melding=uitgenodigd")
    );
    let list = app.get("/beheer/gebruikers?melding=uitgenodigd");
    assert_eq!(list.status, 200, "{}", list.body);
    list.assert_contains("De uitnodiging staat klaar");
    list.assert_contains("Sanne de Vries");
    list.assert_contains("nog geen wachtwoord");
    list.assert_contains("Vertelpunt Jeugdhulp: Onderzoeker");

    let mail = sink.wait_for_mail_to("sanne@voorbeeld.nl");
    assert_eq!(mail.to, "sanne@voorbeeld.nl");
    assert_eq!(mail.from, "Vertelpunt <vertelpunt@localhost>");
    assert_eq!(mail.subject, "Je bent uitgenodigd voor Vertelpunt");
    assert_eq!(mail.content_type, "multipart/alternative");
    assert!(mail.text.contains("Hallo Sanne de Vries"), "{}", mail.text);
    assert!(mail.html.contains("Wachtwoord kiezen"), "{}", mail.html);
    // Who invited, to which project, in which role; not an admin.
    for body in [&mail.text, &mail.html] {
        assert!(body.contains("Beheerder Test nodigt je uit"), "{body}");
        assert!(
            body.contains("Vertelpunt Jeugdhulp, als onderzoeker"),
            "{body}"
        );
        assert!(!body.contains("Je wordt ook beheerder"), "{body}");
    }
    let link = mail.link_path();

    // Once sent, the stored bodies (with the link) are gone.
    wait_until("the mail marked sent", || {
        sent_to(&app, "sanne@voorbeeld.nl").then_some(())
    });
    let row = app.outbox().pop().unwrap();
    assert_eq!((row.body_text.as_str(), row.body_html.as_str()), ("", ""));
    assert_eq!(row.attempts, 1);

    let chosen = choose_password(&app, &link, "mijn eigen sterke zin");
    assert_eq!(chosen.status, 303, "{}", chosen.body);
    let sanne = app.browser();
    assert_eq!(
        sanne
            .login("sanne@voorbeeld.nl", "mijn eigen sterke zin")
            .status,
        303
    );
    let home = sanne.get("/beheer");
    home.assert_contains("Vertelpunt Jeugdhulp");
    home.assert_contains("Onderzoeker");
    assert!(!app
        .get("/beheer/gebruikers")
        .body
        .contains("nog geen wachtwoord"));
    // Exactly one mail went out.
    assert_eq!(sink.mails().len(), 1);
}

#[test]
fn a_new_invitation_replaces_the_old_link() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|c| sink.configure(c)).with_admin();
    assert_eq!(
        app.invite("Piet", "piet@voorbeeld.nl", &[("jeugdhulp", "begeleider")])
            .status,
        303
    );
    let first = sink.wait_for(1)[0].link_path();
    let id = user(&app, "piet@voorbeeld.nl").unwrap().id;
    let page = app.get(&format!("/beheer/gebruikers/{id}"));
    page.assert_contains("Uitnodiging opnieuw versturen");
    let again = app.post(
        &format!("/beheer/gebruikers/{id}"),
        &[("csrf", &page.hidden("csrf")), ("actie", "uitnodigen")],
    );
    assert_eq!(again.status, 303, "{}", again.body);
    let mails = sink.wait_for(2);
    let second = mails[1].link_path();
    // The new mail names the role as it is now, and who sent it.
    assert!(
        mails[1]
            .text
            .contains("Vertelpunt Jeugdhulp, als begeleider"),
        "{}",
        mails[1].text
    );
    assert!(mails[1].text.contains("Beheerder Test nodigt je uit"));
    assert_ne!(first, second);
    assert_eq!(app.browser().get(&first).status, 410);
    assert_eq!(
        choose_password(&app, &second, "een nieuwe lange zin").status,
        303
    );
    // With a password, there is nothing to resend.
    let page = app.get(&format!("/beheer/gebruikers/{id}"));
    assert!(!page.body.contains("Uitnodiging opnieuw versturen"));
    let refused = app.post(
        &format!("/beheer/gebruikers/{id}"),
        &[("csrf", &page.hidden("csrf")), ("actie", "uitnodigen")],
    );
    assert_eq!(refused.status, 403);
    refused.assert_contains("heeft al een wachtwoord");
}

#[test]
fn mails_wait_out_an_smtp_outage_and_are_delivered_once() {
    let (db_url, _db_dir) = new_database();
    let down = dead_port();
    let first = spawn_app_on(db_url.clone(), tempfile::tempdir().unwrap(), |c| {
        c.mail.smtp = Some(smtp_on(down))
    })
    .with_admin();
    assert_eq!(first.invite("Kees", "kees@voorbeeld.nl", &[]).status, 303);
    let failed = wait_until("a failed attempt", || {
        first
            .outbox()
            .into_iter()
            .find(|m| m.attempts > 0 && m.claimed_until.is_none())
    });
    assert!(failed.sent_at.is_none() && failed.failed_at.is_none());
    assert!(failed.last_error.as_deref().unwrap_or("").contains("SMTP"));
    assert!(failed.next_attempt_at > now_unix());
    // The body waits in the table, and the admin sees that the mail did not go out.
    assert!(failed.body_text.contains("/beheer/wachtwoord/"));
    let list = first.get("/beheer/gebruikers");
    list.assert_contains("Niet alle e-mails zijn aangekomen");
    list.assert_contains("kees@voorbeeld.nl");
    list.assert_contains("Nieuwe poging");
    drop(first);

    // The retry is due (as if the wait had passed); a new instance with a working server
    // sends it, once.
    execute(&db_url, |conn| {
        use vertelpunt::store::schema::mail_outbox;
        diesel::update(mail_outbox::table)
            .set(mail_outbox::next_attempt_at.eq(now_unix() - 1))
            .execute(conn)
    });
    let sink = SmtpSink::start();
    let second = spawn_app_on(db_url, tempfile::tempdir().unwrap(), |c| sink.configure(c));
    let mail = sink.wait_for_mail_to("kees@voorbeeld.nl");
    wait_until("the mail marked sent", || {
        sent_to(&second, "kees@voorbeeld.nl").then_some(())
    });
    let row = second.outbox().pop().unwrap();
    assert_eq!(row.attempts, 2);
    assert_eq!(row.last_error, None);
    assert_eq!(sink.mails().len(), 1);
    assert_eq!(
        choose_password(&second, &mail.link_path(), "de storing is voorbij").status,
        303
    );
    assert!(!second
        .get("/beheer/gebruikers")
        .body
        .contains("Niet alle e-mails zijn aangekomen"));
}

#[test]
fn two_instances_on_one_database_send_each_mail_once() {
    let (db_url, _db_dir) = new_database();
    let sink = SmtpSink::start();
    let a = spawn_app_on(db_url.clone(), tempfile::tempdir().unwrap(), |c| {
        sink.configure(c)
    })
    .with_admin();
    let b = spawn_app_on(db_url, tempfile::tempdir().unwrap(), |c| sink.configure(c));
    assert_eq!(b.login(ADMIN_EMAIL, PASSWORD).status, 303);
    // Invitations queued on both instances wake both workers, which race for the same rows.
    let addresses: Vec<String> = (0..8).map(|i| format!("persoon{i}@voorbeeld.nl")).collect();
    for (i, email) in addresses.iter().enumerate() {
        let via = if i % 2 == 0 { &a.browser } else { &b.browser };
        let page = invite_with(via, &format!("Persoon {i}"), email, &[]);
        assert_eq!(page.status, 303, "{}", page.body);
    }
    wait_until("every mail marked sent", || {
        a.outbox().iter().all(|m| m.sent_at.is_some()).then_some(())
    });
    // Once every row is marked sent, nothing is in flight any more: count what arrived.
    let mails = sink.mails();
    assert_eq!(mails.len(), addresses.len());
    for email in &addresses {
        assert_eq!(
            mails.iter().filter(|m| &m.to == email).count(),
            1,
            "{email}"
        );
    }
    assert!(a.outbox().iter().all(|m| m.attempts == 1));
}

#[test]
fn without_smtp_the_invitation_is_written_to_a_file() {
    let app = spawn_app().with_admin();
    assert!(app.config.mail.smtp.is_none());
    assert_eq!(app.invite("Fatima", "fatima@voorbeeld.nl", &[]).status, 303);
    let folder = app.config.mail.folder.clone();
    let file = wait_until("an .eml file", || {
        std::fs::read_dir(&folder)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "eml"))
    });
    // The file is complete once the row is marked sent.
    wait_until("the mail marked sent", || {
        sent_to(&app, "fatima@voorbeeld.nl").then_some(())
    });
    let mail = ReceivedMail::parse(&std::fs::read(&file).unwrap(), vec![]);
    assert_eq!(mail.to, "fatima@voorbeeld.nl");
    assert_eq!(mail.subject, "Je bent uitgenodigd voor Vertelpunt");
    let link = mail.link_path();
    assert_eq!(app.browser().get(&link).status, 200);
}

#[test]
fn a_password_reset_mail_works_once_and_ends_old_sessions() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|c| sink.configure(c)).with_admin();
    let old_session = app.user_browser("lid@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    assert_eq!(old_session.get("/beheer").status, 200);

    let ask = |email: &str| {
        let browser = app.browser();
        let form = browser.get("/beheer/wachtwoord-vergeten");
        assert_eq!(form.status, 200);
        let page = browser.post(
            "/beheer/wachtwoord-vergeten",
            &[("csrf", &form.hidden("csrf")), ("email", email)],
        );
        assert_eq!(page.status, 200, "{}", page.body);
        page
    };
    let known = ask("lid@voorbeeld.nl");
    let unknown = ask("onbekend@voorbeeld.nl");
    known.assert_contains("Kijk in je e-mail");
    let neutral = |p: &Page, email: &str| {
        p.body
            .replace(email, "")
            .lines()
            .filter(|l| !l.contains("name=\"csrf\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        neutral(&known, "lid@voorbeeld.nl"),
        neutral(&unknown, "onbekend@voorbeeld.nl")
    );

    let mail = sink.wait_for_mail_to("lid@voorbeeld.nl");
    assert_eq!(mail.subject, "Een nieuw wachtwoord voor Vertelpunt");
    assert!(!mail.html.is_empty());
    // Nothing was queued for the unknown address.
    assert!(app
        .outbox()
        .iter()
        .all(|m| m.recipient != "onbekend@voorbeeld.nl"));

    let link = mail.link_path();
    assert_eq!(
        choose_password(&app, &link, "een gloednieuwe zin").status,
        303
    );
    // Single use.
    let again = app.browser().get(&link);
    assert_eq!(again.status, 410);
    again.assert_contains("Deze link werkt niet meer");
    // The old session ended; the new password works, the old one does not.
    assert_eq!(old_session.get("/beheer").status, 303);
    assert_eq!(
        app.browser()
            .login("lid@voorbeeld.nl", "een gloednieuwe zin")
            .status,
        303
    );
    assert_eq!(
        app.browser().login("lid@voorbeeld.nl", PASSWORD).status,
        401
    );

    // A link past its time is refused.
    ask("lid@voorbeeld.nl");
    let late = sink.wait_for(2)[1].link_path();
    execute(&app.db_url, |conn| {
        use vertelpunt::store::schema::account_tokens;
        diesel::update(account_tokens::table.filter(account_tokens::purpose.eq("reset")))
            .set(account_tokens::expires_at.eq(now_unix() - 1))
            .execute(conn)
    });
    assert_eq!(app.browser().get(&late).status, 410);
    assert_eq!(
        choose_password_status(&app, &late, "te laat gekozen zin"),
        410
    );
    assert_eq!(sink.mails().len(), 2);
}

/// Posts a new password to a link without opening the form first.
fn choose_password_status(app: &TestApp, link_path: &str, password: &str) -> u16 {
    let browser = app.browser();
    let csrf = browser.csrf("/beheer/inloggen");
    browser
        .post(
            link_path,
            &[
                ("csrf", &csrf),
                ("wachtwoord", password),
                ("herhaal", password),
            ],
        )
        .status
}

#[test]
fn only_admins_reach_the_users_pages() {
    let app = spawn_app().with_admin();
    let target = app.create_user("doel@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let users_before = user_count(&app);
    let mails_before = app.outbox().len();
    for path in [
        "/beheer/gebruikers".to_string(),
        "/beheer/gebruikers/uitnodigen".to_string(),
        format!("/beheer/gebruikers/{target}"),
    ] {
        let page = begeleider.get(&path);
        assert_eq!(page.status, 403, "{path}");
        page.assert_contains("Dit mag niet");
        // Strangers are sent to the login page.
        assert_eq!(app.browser().get(&path).status, 303, "{path}");
    }
    let csrf = begeleider.csrf("/beheer");
    let edit = format!("/beheer/gebruikers/{target}");
    let posts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/beheer/gebruikers/uitnodigen",
            vec![
                ("csrf", &csrf),
                ("naam", "Stiekem"),
                ("email", "stiekem@voorbeeld.nl"),
                ("beheerder", "1"),
            ],
        ),
        (
            &edit,
            vec![
                ("csrf", &csrf),
                ("actie", "rollen"),
                ("beheerder", "1"),
                ("rol_jeugdhulp", "begeleider"),
            ],
        ),
        (&edit, vec![("csrf", &csrf), ("actie", "uitzetten")]),
        (&edit, vec![("csrf", &csrf), ("actie", "uitnodigen")]),
    ];
    for (path, form) in &posts {
        assert_eq!(begeleider.post(path, form).status, 403, "{path} {form:?}");
    }
    // Nor can they lift themselves up.
    let own = user(&app, "begeleider@voorbeeld.nl").unwrap().id;
    let lift = begeleider.post(
        &format!("/beheer/gebruikers/{own}"),
        &[("csrf", &csrf), ("actie", "rollen"), ("beheerder", "1")],
    );
    assert_eq!(lift.status, 403);
    assert_eq!(user_count(&app), users_before);
    assert_eq!(app.outbox().len(), mails_before);
    let doel = user(&app, "doel@voorbeeld.nl").unwrap();
    assert!(doel.is_active && !doel.is_admin);
    assert_eq!(
        roles_of(&app, &target),
        [("jeugdhulp".into(), "onderzoeker".into())]
    );
    assert!(!user(&app, "begeleider@voorbeeld.nl").unwrap().is_admin);
}

#[test]
fn admins_cannot_change_their_own_roles_or_switch_themselves_off() {
    let app = spawn_app().with_admin();
    let me = user(&app, ADMIN_EMAIL).unwrap().id;
    let path = format!("/beheer/gebruikers/{me}");
    let page = app.get(&path);
    assert_eq!(page.status, 200);
    page.assert_contains("Dit ben jij");
    let csrf = page.hidden("csrf");
    let roles = app.post(
        &path,
        &[
            ("csrf", &csrf),
            ("actie", "rollen"),
            ("rol_jeugdhulp", "onderzoeker"),
        ],
    );
    assert_eq!(roles.status, 403);
    roles.assert_contains("eigen rollen");
    let off = app.post(&path, &[("csrf", &csrf), ("actie", "uitzetten")]);
    assert_eq!(off.status, 403);
    off.assert_contains("eigen account");
    let admin = user(&app, ADMIN_EMAIL).unwrap();
    assert!(admin.is_admin && admin.is_active);
    assert!(roles_of(&app, &me).is_empty());
    assert_eq!(app.get("/beheer").status, 200);
    // Unknown users.
    assert_eq!(app.get("/beheer/gebruikers/u-bestaat-niet").status, 404);
    assert_eq!(
        app.post(
            "/beheer/gebruikers/u-bestaat-niet",
            &[("csrf", &csrf), ("actie", "uitzetten")]
        )
        .status,
        404
    );
}

#[test]
fn roles_change_and_a_deactivated_user_is_out_at_once() {
    let app = spawn_app().with_admin();
    add_second_project(&app);
    let other = app.user_browser("collega@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let id = user(&app, "collega@voorbeeld.nl").unwrap().id;
    let path = format!("/beheer/gebruikers/{id}");
    assert_eq!(other.get("/beheer/p/ander").status, 403);

    let page = app.get(&path);
    page.assert_contains("Ander Vertelpunt");
    let changed = app.post(
        &path,
        &[
            ("csrf", &page.hidden("csrf")),
            ("actie", "rollen"),
            ("rol_jeugdhulp", "geen"),
            ("rol_ander", "onderzoeker"),
        ],
    );
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(
        roles_of(&app, &id),
        [("ander".into(), "onderzoeker".into())]
    );
    assert_eq!(other.get("/beheer/p/ander").status, 200);
    assert_eq!(other.get("/beheer/p/jeugdhulp").status, 403);
    // An unknown role value changes nothing.
    let bad = app.post(
        &path,
        &[
            ("csrf", &page.hidden("csrf")),
            ("actie", "rollen"),
            ("rol_ander", "baas"),
        ],
    );
    assert_eq!(bad.status, 422);
    bad.assert_contains("Kies bij elk project een rol");
    assert_eq!(
        roles_of(&app, &id),
        [("ander".into(), "onderzoeker".into())]
    );

    let off = app.post(
        &path,
        &[("csrf", &page.hidden("csrf")), ("actie", "uitzetten")],
    );
    assert_eq!(off.status, 303, "{}", off.body);
    assert_eq!(other.get("/beheer").status, 303);
    assert_eq!(
        app.browser().login("collega@voorbeeld.nl", PASSWORD).status,
        401
    );
    app.get("/beheer/gebruikers").assert_contains("uitgezet");

    let on = app.post(
        &path,
        &[("csrf", &page.hidden("csrf")), ("actie", "aanzetten")],
    );
    assert_eq!(on.status, 303);
    assert_eq!(
        app.browser().login("collega@voorbeeld.nl", PASSWORD).status,
        303
    );
}

#[test]
fn users_posts_without_a_valid_csrf_token_change_nothing() {
    let app = spawn_app().with_admin();
    let target = app.create_user("doel@voorbeeld.nl", &[("jeugdhulp", "onderzoeker")]);
    // A pending invitation, so that "send again" would do something.
    assert_eq!(app.invite("Wacht", "wacht@voorbeeld.nl", &[]).status, 303);
    let pending = user(&app, "wacht@voorbeeld.nl").unwrap().id;
    let users_before = user_count(&app);
    let mails_before = app.outbox().len();
    let edit = format!("/beheer/gebruikers/{target}");
    let resend = format!("/beheer/gebruikers/{pending}");
    for token in [None, Some("vals")] {
        let with = |fields: &[(&'static str, &'static str)]| {
            let mut form: Vec<(&str, &str)> = fields.to_vec();
            if let Some(t) = token {
                form.push(("csrf", t));
            }
            form
        };
        let cases = [
            (
                "/beheer/gebruikers/uitnodigen",
                with(&[("naam", "Nieuw"), ("email", "nieuw@voorbeeld.nl")]),
            ),
            (
                edit.as_str(),
                with(&[("actie", "rollen"), ("beheerder", "1")]),
            ),
            (edit.as_str(), with(&[("actie", "uitzetten")])),
            (resend.as_str(), with(&[("actie", "uitnodigen")])),
        ];
        for (path, form) in &cases {
            let page = app.post(path, form);
            assert_eq!(page.status, 403, "{path} {form:?}");
            page.assert_contains("formulier was verlopen");
        }
    }
    assert_eq!(user_count(&app), users_before);
    assert_eq!(app.outbox().len(), mails_before);
    let doel = user(&app, "doel@voorbeeld.nl").unwrap();
    assert!(doel.is_active && !doel.is_admin);
    assert_eq!(
        roles_of(&app, &target),
        [("jeugdhulp".into(), "onderzoeker".into())]
    );
}

#[test]
fn bad_invitations_come_back_with_what_was_typed() {
    let app = spawn_app().with_admin();
    let users_before = user_count(&app);
    let bad_email = app.invite(
        "Anna Bakker",
        "anna-at-voorbeeld",
        &[("jeugdhulp", "begeleider")],
    );
    assert_eq!(bad_email.status, 422);
    bad_email.assert_contains("Vul een geldig e-mailadres in");
    bad_email.assert_contains("value=\"Anna Bakker\"");
    bad_email.assert_contains("value=\"anna-at-voorbeeld\"");
    bad_email.assert_contains("<option value=\"begeleider\" selected>");

    let no_name = app.invite("  ", "anna@voorbeeld.nl", &[]);
    assert_eq!(no_name.status, 422);
    no_name.assert_contains("Vul een naam in");
    no_name.assert_contains("value=\"anna@voorbeeld.nl\"");

    let taken = app.invite("Nog een beheerder", ADMIN_EMAIL, &[]);
    assert_eq!(taken.status, 409);
    taken.assert_contains("Er is al een account met dit e-mailadres");
    taken.assert_contains("value=\"Nog een beheerder\"");

    let project = app.invite(
        "Anna",
        "anna@voorbeeld.nl",
        &[("bestaat-niet", "begeleider")],
    );
    assert_eq!(project.status, 422);
    project.assert_contains("bestaat niet");

    let role = app.invite("Anna", "anna@voorbeeld.nl", &[("jeugdhulp", "baas")]);
    assert_eq!(role.status, 422);
    role.assert_contains("Kies bij elk project een rol");

    assert_eq!(user_count(&app), users_before);
    assert!(app.outbox().is_empty());
}

#[test]
fn finished_mails_are_forgotten_after_a_month() {
    use vertelpunt::store::outbox::{enqueue, OutgoingMail};
    use vertelpunt::store::schema::mail_outbox;
    let (db_url, _db_dir) = new_database();
    let db = Database::open(&db_url, 1).unwrap();
    let now = now_unix();
    let mail = |to: &str| OutgoingMail {
        to: to.into(),
        subject: "Test".into(),
        text: String::new(),
        html: String::new(),
    };
    db.write_sync(|conn| {
        let old = enqueue(conn, &mail("oud@voorbeeld.nl"), now - 40 * 24 * 3600)?;
        let recent = enqueue(conn, &mail("recent@voorbeeld.nl"), now - 24 * 3600)?;
        for (id, at) in [(old, now - 31 * 24 * 3600), (recent, now - 3600)] {
            diesel::update(mail_outbox::table.filter(mail_outbox::id.eq(id)))
                .set(mail_outbox::sent_at.eq(Some(at)))
                .execute(conn)?;
        }
        Ok(())
    })
    .unwrap();
    let app = spawn_app_on(db_url, tempfile::tempdir().unwrap(), |_| {});
    let left = wait_until("the old mail removed", || {
        let rows = app.outbox();
        (rows.len() == 1).then_some(rows)
    });
    assert_eq!(left[0].recipient, "recent@voorbeeld.nl");
}
