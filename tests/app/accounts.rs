//! Accounts: first run, login and logout, sessions, throttling, roles.

use crate::helpers::*;

#[test]
fn the_setup_link_creates_the_first_admin_once() {
    let app = spawn_app();
    let link = app.setup_link.clone().expect("setup link printed");
    let path = link[link.find("/beheer").unwrap()..].to_string();
    // Admin pages send strangers to the login page.
    let page = app.get("/beheer");
    assert_eq!(page.status, 303);
    assert_eq!(
        page.header("location"),
        Some("/beheer/inloggen?terug=%2Fbeheer")
    );

    let app = app.with_admin();
    let home = app.get("/beheer");
    assert_eq!(home.status, 200, "{}", home.body);
    home.assert_contains("Beheerder Test");
    home.assert_contains("Vertelpunt Jeugdhulp");

    // The link is single use, and no other instance offers a new one now.
    let again = app.browser().get(&path);
    assert_eq!(again.status, 410);
    again.assert_contains("Deze link werkt niet meer");
    let second = spawn_app_on(app.db_url.clone(), tempfile::tempdir().unwrap(), |_| {});
    assert_eq!(second.setup_link, None);
}

#[test]
fn a_guessed_setup_link_does_nothing() {
    let app = spawn_app();
    let page = app.get("/beheer/installeren/geraden-token");
    assert_eq!(page.status, 410);
    let csrf = app.csrf("/beheer/inloggen");
    let post = app.post(
        "/beheer/installeren/geraden-token",
        &[
            ("csrf", &csrf),
            ("naam", "Indringer"),
            ("email", "x@voorbeeld.nl"),
            ("wachtwoord", PASSWORD),
            ("herhaal", PASSWORD),
        ],
    );
    assert_eq!(post.status, 410);
    let mut conn = app.database().conn().unwrap();
    assert!(vertelpunt::store::accounts::list_users(&mut conn)
        .unwrap()
        .is_empty());
}

#[test]
fn wrong_passwords_are_refused_without_telling_whether_the_address_exists() {
    let app = spawn_app().with_admin();
    let other = app.browser();
    let wrong = other.login(ADMIN_EMAIL, "niet het goede wachtwoord");
    let unknown = other.login("niemand@voorbeeld.nl", "niet het goede wachtwoord");
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    wrong.assert_contains("horen niet bij elkaar");
    // The typed address comes back; the password does not.
    wrong.assert_contains(&format!("value=\"{ADMIN_EMAIL}\""));
    assert!(!wrong.body.contains("niet het goede wachtwoord"));
    let strip = |p: &Page| {
        p.body
            .replace(ADMIN_EMAIL, "")
            .replace("niemand@voorbeeld.nl", "")
    };
    let without_tokens = |s: String| {
        s.lines()
            .filter(|l| !l.contains("name=\"csrf\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        without_tokens(strip(&wrong)),
        without_tokens(strip(&unknown))
    );
    assert_eq!(other.get("/beheer").status, 303);
}

#[test]
fn repeated_failures_block_the_account_for_a_while() {
    let app = spawn_app().with_admin();
    let attacker = app.browser();
    for _ in 0..4 {
        assert_eq!(attacker.login(ADMIN_EMAIL, "fout wachtwoord!!").status, 401);
    }
    let blocked = attacker.login(ADMIN_EMAIL, "fout wachtwoord!!");
    assert_eq!(blocked.status, 429);
    // A short wait that grows, not a lockout (the owner's side: login_security.rs).
    blocked.assert_contains("Wacht 2 seconden");
    // An unknown address is blocked the same way (no difference to see).
    for _ in 0..4 {
        attacker.login("niemand@voorbeeld.nl", "fout wachtwoord!!");
    }
    assert_eq!(
        attacker
            .login("niemand@voorbeeld.nl", "fout wachtwoord!!")
            .status,
        429
    );
}

#[test]
fn logout_ends_the_session_and_sessions_survive_a_restart() {
    let app = spawn_app().with_admin();
    // Another instance on the same database knows the session (it lives in the database).
    let second = spawn_app_on(app.db_url.clone(), tempfile::tempdir().unwrap(), |_| {});
    let cookie = app
        .client
        .cookie_jar_lock()
        .iter()
        .find(|c| c.name() == "vp_sessie")
        .map(|c| c.value().to_string())
        .expect("session cookie");
    let page = second
        .client
        .get(format!("{}/beheer", second.base))
        .header("Cookie", &format!("vp_sessie={cookie}"))
        .call()
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);

    let csrf = app.csrf("/beheer");
    let out = app.post("/beheer/uitloggen", &[("csrf", &csrf)]);
    assert_eq!(out.status, 303);
    assert_eq!(app.get("/beheer").status, 303);
    let page = second
        .client
        .get(format!("{}/beheer", second.base))
        .header("Cookie", &format!("vp_sessie={cookie}"))
        .call()
        .unwrap();
    assert_eq!(page.status().as_u16(), 303);
}

#[test]
fn idle_sessions_expire() {
    let app = spawn_app_with(|c| c.staff_session.idle = 1).with_admin();
    assert_eq!(app.get("/beheer").status, 200);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(app.get("/beheer").status, 303);
}

#[test]
fn old_password_hashes_are_upgraded_at_login() {
    let app = spawn_app().with_admin();
    let stored = |app: &TestApp| {
        let mut conn = app.database().conn().unwrap();
        vertelpunt::store::accounts::find_user_by_email(&mut conn, ADMIN_EMAIL)
            .unwrap()
            .unwrap()
            .password_hash
            .unwrap()
    };
    assert!(stored(&app).contains("m=1024,t=1,p=1"));
    let stronger = spawn_app_on(app.db_url.clone(), tempfile::tempdir().unwrap(), |c| {
        c.password_params.memory_kib = 2048;
        c.password_params.iterations = 2;
    });
    assert_eq!(stronger.login(ADMIN_EMAIL, PASSWORD).status, 303);
    assert!(stored(&app).contains("m=2048,t=2,p=1"));
    // And the upgraded hash still works.
    assert_eq!(stronger.browser().login(ADMIN_EMAIL, PASSWORD).status, 303);
}

#[test]
fn a_login_form_without_valid_csrf_is_refused_and_keeps_the_address() {
    let app = spawn_app().with_admin();
    let other = app.browser();
    other.get("/beheer/inloggen");
    let page = other.post(
        "/beheer/inloggen",
        &[
            ("csrf", "vals"),
            ("email", ADMIN_EMAIL),
            ("wachtwoord", PASSWORD),
        ],
    );
    assert_eq!(page.status, 403);
    page.assert_contains("formulier was verlopen");
    page.assert_contains(&format!("value=\"{ADMIN_EMAIL}\""));
    assert_eq!(other.get("/beheer").status, 303);
}

/// A second project "ander" next to the default "jeugdhulp".
pub fn add_second_project(app: &TestApp) {
    let mut questionnaire =
        vertelpunt::domain::questionnaire::default_questionnaire().expect("default");
    questionnaire.slug = "ander".into();
    questionnaire.title = "Ander Vertelpunt".into();
    vertelpunt::service::projects::import_questionnaire(
        &app.database(),
        &questionnaire.to_json_pretty(),
    )
    .expect("import");
}

#[test]
fn project_pages_are_only_for_people_with_a_role_there() {
    let app = spawn_app().with_admin();
    add_second_project(&app);
    let begeleider = app.user_browser("begeleider@voorbeeld.nl", &[("jeugdhulp", "begeleider")]);
    let home = begeleider.get("/beheer");
    home.assert_contains("Vertelpunt Jeugdhulp");
    assert!(!home.body.contains("Ander Vertelpunt"), "{}", home.body);
    assert_eq!(begeleider.get("/beheer/p/jeugdhulp").status, 200);
    let refused = begeleider.get("/beheer/p/ander");
    assert_eq!(refused.status, 403);
    refused.assert_contains("Dit mag niet");
    // A project that does not exist looks the same to someone without rights there.
    assert_eq!(begeleider.get("/beheer/p/bestaat-niet").status, 403);
    // The admin sees both projects and gets 404 for a project that does not exist.
    assert_eq!(app.get("/beheer/p/ander").status, 200);
    assert_eq!(app.get("/beheer/p/bestaat-niet").status, 404);
}

#[test]
fn sessions_end_after_their_absolute_lifetime_even_when_active() {
    let app = spawn_app_with(|c| c.staff_session.absolute = 3).with_admin();
    assert_eq!(app.get("/beheer").status, 200);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(app.get("/beheer").status, 200);
    std::thread::sleep(std::time::Duration::from_millis(3000));
    assert_eq!(app.get("/beheer").status, 303);
}

#[test]
fn the_session_cookie_is_http_only_same_site_and_secure_behind_https() {
    let app = spawn_app_with(|c| {
        c.public_url = "https://vertelpunt.example".into();
        c.secure_cookies = true;
    });
    let app = app.with_admin();
    let form = app.browser().get("/beheer/inloggen");
    let page = app.browser();
    page.get("/beheer/inloggen");
    drop(form);
    let response = page
        .client
        .post(format!("{}/beheer/inloggen", app.base))
        .send_form([
            ("csrf", page.csrf("/beheer/inloggen").as_str()),
            ("email", ADMIN_EMAIL),
            ("wachtwoord", PASSWORD),
        ])
        .unwrap();
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-vp_sessie="))
        .expect("session cookie")
        .to_string();
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing in {cookie}");
    }
}

#[test]
fn one_address_is_blocked_after_many_failures_across_accounts() {
    let app = spawn_app().with_admin();
    let attacker = app.browser();
    for i in 0..20 {
        let page = attacker.login(&format!("iemand{i}@voorbeeld.nl"), "fout wachtwoord!!");
        assert_eq!(page.status, 401, "attempt {i}");
    }
    let blocked = attacker.login("nog-iemand@voorbeeld.nl", "fout wachtwoord!!");
    assert_eq!(blocked.status, 429);
    blocked.assert_contains("Wacht 15 minuten");
    // From this (test) address even the right password waits now.
    assert_eq!(app.browser().login(ADMIN_EMAIL, PASSWORD).status, 429);
}

#[test]
fn a_password_typed_as_address_never_reaches_the_log() {
    let app = spawn_app().with_admin();
    app.browser().login("mijn geheime zin", "iets");
    let mut conn = app.database().conn().unwrap();
    let entries = vertelpunt::store::audit::list(&mut conn, &Default::default(), 100).unwrap();
    assert!(entries.iter().any(|e| e.action == "login.failed"));
    assert!(entries.iter().all(|e| !e.detail.contains("geheime")));
}

#[test]
fn parallel_guesses_are_all_counted() {
    let app = spawn_app().with_admin();
    let browsers: Vec<Browser> = (0..8).map(|_| app.browser()).collect();
    let tokens: Vec<String> = browsers
        .iter()
        .map(|b| b.csrf("/beheer/inloggen"))
        .collect();
    std::thread::scope(|scope| {
        for (b, t) in browsers.iter().zip(&tokens) {
            scope.spawn(move || {
                b.post(
                    "/beheer/inloggen",
                    &[
                        ("csrf", t),
                        ("email", ADMIN_EMAIL),
                        ("wachtwoord", "fout wachtwoord!!"),
                    ],
                )
            });
        }
    });
    let mut conn = app.database().conn().unwrap();
    let key = format!("account:{}", vertelpunt::security::sha256_hex(ADMIN_EMAIL));
    let counter = vertelpunt::store::accounts::find_throttle(&mut conn, &key)
        .unwrap()
        .expect("counter");
    // Five count towards the block; the rest were refused as blocked.
    assert!(counter.failures >= 5, "{counter:?}");
    assert!(counter.blocked_until.is_some());
}
