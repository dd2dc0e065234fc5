//! The staff login against a determined outsider: wrong passwords slow an account down with
//! a growing wait instead of locking it (so nobody can lock the admin out), a burst from one
//! address is throttled, form tokens belong to one login and are replaced at login and
//! logout, cookies carry the `__Host-` prefix over https, and no staff download is stored.

use crate::helpers::*;
use std::time::Duration;

/// An installation that takes the client address from `X-Forwarded-For`, so that a test can
/// speak from several addresses.
fn app_behind_a_proxy() -> TestApp {
    spawn_app_with(|c| c.trust_forwarded_for = true).with_admin()
}

/// Logs in through the form from client address `ip`.
fn login_from(browser: &Browser, ip: &str, email: &str, password: &str) -> Page {
    let csrf = browser.csrf("/beheer/inloggen");
    let mut response = browser
        .client
        .post(format!("{}/beheer/inloggen", browser.base))
        .header("X-Forwarded-For", ip)
        .send_form([
            ("csrf", csrf.as_str()),
            ("terug", "/beheer"),
            ("email", email),
            ("wachtwoord", password),
        ])
        .expect("POST");
    Page {
        status: response.status().as_u16(),
        headers: response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

const STRANGER: &str = "203.0.113.7";
const ADMIN_AT: &str = "198.51.100.20";
const WRONG: &str = "fout wachtwoord!!";

#[test]
fn a_strangers_wrong_passwords_only_make_the_admin_wait_a_growing_while() {
    let app = app_behind_a_proxy();
    let stranger = app.browser();
    for i in 0..4 {
        let page = login_from(&stranger, STRANGER, ADMIN_EMAIL, WRONG);
        assert_eq!(page.status, 401, "attempt {i}: {}", page.body);
    }
    // The fifth wrong password: the next attempt waits 2 seconds, said in plain Dutch.
    let slowed = login_from(&stranger, STRANGER, ADMIN_EMAIL, WRONG);
    assert_eq!(slowed.status, 429, "{}", slowed.body);
    slowed.assert_contains("Wacht 2 seconden en probeer het dan opnieuw.");
    assert_eq!(slowed.header("retry-after"), Some("2"));
    std::thread::sleep(Duration::from_millis(2100));
    // After the wait an attempt is taken again; a sixth wrong one doubles the wait.
    let slowed = login_from(&stranger, STRANGER, ADMIN_EMAIL, WRONG);
    assert_eq!(slowed.status, 429, "{}", slowed.body);
    slowed.assert_contains("Wacht 4 seconden");

    // During the wait even the right password is refused (without being checked), and
    // attempts made during it do not count: the wait does not grow.
    let admin = app.browser();
    let early = login_from(&admin, ADMIN_AT, ADMIN_EMAIL, PASSWORD);
    assert_eq!(early.status, 429, "{}", early.body);
    early.assert_contains("Wacht ");
    let again = login_from(&stranger, STRANGER, ADMIN_EMAIL, WRONG);
    assert_eq!(again.status, 429);
    assert!(
        !again.body.contains("Wacht 8 seconden"),
        "a refused attempt made the wait longer"
    );
    assert_eq!(admin.get("/beheer").status, 303);

    // Once the wait is over, the admin is in with the right password.
    std::thread::sleep(Duration::from_millis(4100));
    let page = login_from(&admin, ADMIN_AT, ADMIN_EMAIL, PASSWORD);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(admin.get("/beheer").status, 200);
    // And a success forgets the failures: the next wrong password costs no wait.
    let page = login_from(&app.browser(), STRANGER, ADMIN_EMAIL, WRONG);
    assert_eq!(page.status, 401, "{}", page.body);
}

#[test]
fn a_burst_of_failures_from_one_address_is_throttled_while_others_log_in() {
    let app = app_behind_a_proxy();
    let burst = app.browser();
    for i in 0..20 {
        let page = login_from(&burst, STRANGER, &format!("iemand{i}@voorbeeld.nl"), WRONG);
        assert_eq!(page.status, 401, "attempt {i}: {}", page.body);
    }
    let throttled = login_from(&burst, STRANGER, "nog-iemand@voorbeeld.nl", WRONG);
    assert_eq!(throttled.status, 429, "{}", throttled.body);
    throttled.assert_contains("vanaf dit netwerk");
    throttled.assert_contains("Wacht 15 minuten");
    assert_eq!(throttled.header("retry-after"), Some("900"));
    // From that address even the right password waits now …
    assert_eq!(
        login_from(&app.browser(), STRANGER, ADMIN_EMAIL, PASSWORD).status,
        429
    );
    // … but not from another one.
    let admin = app.browser();
    assert_eq!(
        login_from(&admin, ADMIN_AT, ADMIN_EMAIL, PASSWORD).status,
        303
    );
    assert_eq!(admin.get("/beheer").status, 200);
}

/// The value of a cookie in a browser's jar.
fn cookie(browser: &Browser, name: &str) -> Option<String> {
    browser
        .client
        .cookie_jar_lock()
        .iter()
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

#[test]
fn a_form_token_from_before_login_or_before_logout_is_refused() {
    let app = spawn_app().with_admin();
    let browser = app.browser();
    let before_login = browser.csrf("/beheer/inloggen");
    let cookie_before = cookie(&browser, "vp_csrf").expect("csrf cookie");
    assert_eq!(browser.login(ADMIN_EMAIL, PASSWORD).status, 303);
    // Logging in replaced the CSRF cookie.
    let cookie_in = cookie(&browser, "vp_csrf").expect("csrf cookie");
    assert_ne!(cookie_before, cookie_in);

    // A token from before the login is refused by a signed-in form (and changes nothing).
    let refused = browser.post("/beheer/uitloggen", &[("csrf", &before_login)]);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(browser.get("/beheer").status, 200);

    // A token of this login works; logging out replaces the cookie again.
    let during = browser.csrf("/beheer");
    let out = browser.post("/beheer/uitloggen", &[("csrf", &during)]);
    assert_eq!(out.status, 303, "{}", out.body);
    assert_ne!(cookie(&browser, "vp_csrf"), Some(cookie_in));
    assert_eq!(browser.get("/beheer").status, 303);

    // After the logout neither old token is taken, not even by the login form.
    for old in [&during, &before_login] {
        let page = browser.post(
            "/beheer/inloggen",
            &[
                ("csrf", old),
                ("terug", "/beheer"),
                ("email", ADMIN_EMAIL),
                ("wachtwoord", PASSWORD),
            ],
        );
        assert_eq!(page.status, 403, "{}", page.body);
        page.assert_contains("formulier was verlopen");
        assert_eq!(browser.get("/beheer").status, 303);
    }
}

#[test]
fn a_form_token_belongs_to_one_login_not_only_to_the_csrf_cookie() {
    let app = spawn_app().with_admin();
    let (first, second) = (app.browser(), app.browser());
    assert_eq!(first.login(ADMIN_EMAIL, PASSWORD).status, 303);
    assert_eq!(second.login(ADMIN_EMAIL, PASSWORD).status, 303);
    let token = first.csrf("/beheer");
    let csrf_cookie = cookie(&first, "vp_csrf").expect("csrf cookie");
    let session = |b: &Browser| cookie(b, "vp_sessie").expect("session cookie");
    // The same CSRF cookie and token, with the session of another login or with none.
    let logout_with = |session: Option<String>| {
        let cookies = match session {
            Some(s) => format!("vp_csrf={csrf_cookie}; vp_sessie={s}"),
            None => format!("vp_csrf={csrf_cookie}"),
        };
        Browser::new(&app.base)
            .client
            .post(format!("{}/beheer/uitloggen", app.base))
            .header("Cookie", &cookies)
            .send_form([("csrf", token.as_str())])
            .expect("POST")
            .status()
            .as_u16()
    };
    assert_eq!(logout_with(Some(session(&second))), 403);
    assert_eq!(second.get("/beheer").status, 200, "the other login goes on");
    // The token of a login is not taken by the (public) forms of a browser without one.
    let page = Browser::new(&app.base)
        .client
        .post(format!("{}/beheer/inloggen", app.base))
        .header("Cookie", &format!("vp_csrf={csrf_cookie}"))
        .send_form([
            ("csrf", token.as_str()),
            ("email", ADMIN_EMAIL),
            ("wachtwoord", PASSWORD),
        ])
        .expect("POST");
    assert_eq!(page.status().as_u16(), 403);
    assert_eq!(logout_with(None), 303, "no session: to the login page");
    // With its own login the token is taken (so the refusals above were the binding).
    assert_eq!(logout_with(Some(session(&first))), 303);
    assert_eq!(first.get("/beheer").status, 303);
}

/// The `Set-Cookie` headers of a page.
fn set_cookies(page: &Page) -> Vec<&str> {
    page.headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn cookies_carry_the_host_prefix_over_https_only() {
    let app = spawn_app_with(|c| {
        c.public_url = "https://vertelpunt.example".into();
        c.secure_cookies = true;
    })
    .with_admin();
    let browser = app.browser();
    let form = browser.get("/beheer/inloggen");
    let csrf = set_cookies(&form);
    assert!(
        csrf.iter().any(|c| c.starts_with("__Host-vp_csrf=")
            && c.contains("Secure")
            && c.contains("Path=/")
            && !c.contains("Domain")),
        "{csrf:?}"
    );
    let login = browser.post(
        "/beheer/inloggen",
        &[
            ("csrf", &form.hidden("csrf")),
            ("terug", "/beheer"),
            ("email", ADMIN_EMAIL),
            ("wachtwoord", PASSWORD),
        ],
    );
    assert_eq!(login.status, 303, "{}", login.body);
    let cookies = set_cookies(&login);
    for name in ["__Host-vp_sessie=", "__Host-vp_csrf="] {
        let cookie = cookies
            .iter()
            .find(|c| c.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {cookies:?}"));
        for flag in ["Secure", "Path=/", "HttpOnly", "SameSite=Lax"] {
            assert!(cookie.contains(flag), "{flag} missing in {cookie}");
        }
        assert!(!cookie.contains("Domain"), "{cookie}");
    }
    assert!(
        !cookies
            .iter()
            .any(|c| c.starts_with("vp_sessie=") || c.starts_with("vp_csrf=")),
        "{cookies:?}"
    );
    assert_eq!(browser.get("/beheer").status, 200);
    // The same session under the name without the prefix is not taken over https.
    let session = cookie(&browser, "__Host-vp_sessie").expect("session cookie");
    let status = Browser::new(&app.base)
        .client
        .get(format!("{}/beheer", app.base))
        .header("Cookie", &format!("vp_sessie={session}"))
        .call()
        .expect("GET")
        .status()
        .as_u16();
    assert_eq!(status, 303);
    // Logging out removes the prefixed cookie with the attributes it needs to be accepted.
    let out = browser.post("/beheer/uitloggen", &[("csrf", &browser.csrf("/beheer"))]);
    assert_eq!(out.status, 303, "{}", out.body);
    assert!(
        set_cookies(&out)
            .iter()
            .any(|c| c.starts_with("__Host-vp_sessie=;") && c.contains("Secure")),
        "{:?}",
        set_cookies(&out)
    );
    assert_eq!(browser.get("/beheer").status, 303);

    // Over http the names stay plain (a browser refuses `__Host-` without https).
    let plain = spawn_app();
    let cookies = plain.get("/beheer/inloggen");
    assert!(
        set_cookies(&cookies)
            .iter()
            .any(|c| c.starts_with("vp_csrf=") && !c.contains("Secure")),
        "{:?}",
        set_cookies(&cookies)
    );
}

#[test]
fn no_staff_download_is_stored_by_the_browser() {
    let (app, begeleider, card) = crate::sensemaking::setup();
    let planned = crate::sensemaking::plan(&begeleider, &card);
    let (session, table) = (planned.path, planned.tables[0].clone());
    let base = "/beheer/p/demo";
    let monitor = format!("{base}/respons");
    let token = begeleider.csrf(&monitor);
    let made = begeleider.post(
        &format!("{monitor}/plekken"),
        &[("csrf", &token), ("naam", "Bibliotheek")],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let kit = begeleider.get(&format!("{base}/campagne"));
    let place = between(&kit.body, "/campagne/plekken/", "/qr.svg");
    let gets = [
        (
            "/beheer/p/{project}/observaties/{id}/kaart.pdf",
            format!("{base}/observaties/{card}/kaart.pdf"),
        ),
        (
            "/beheer/p/{project}/observaties/kaarten.pdf",
            format!("{base}/observaties/kaarten.pdf"),
        ),
        (
            "/beheer/p/{project}/observaties/ervaringen.pdf",
            format!("{base}/observaties/ervaringen.pdf"),
        ),
        (
            "/beheer/p/{project}/sessies/{id}/verslag.pdf",
            format!("{session}/verslag.pdf"),
        ),
        (
            "/beheer/p/{project}/sessies/{id}/cockpit.pdf",
            format!("{session}/cockpit.pdf"),
        ),
        (
            "/beheer/p/{project}/sessies/{id}/tafels/{table}/bord.pdf",
            format!("{session}/tafels/{table}/bord.pdf"),
        ),
        (
            "/beheer/p/{project}/vragenlijst.json",
            format!("{base}/vragenlijst.json"),
        ),
        ("/beheer/p/{project}/qr.svg", format!("{base}/qr.svg")),
        (
            "/beheer/p/{project}/export/codeboek.json",
            format!("{base}/export/codeboek.json"),
        ),
        (
            "/beheer/p/{project}/vragenlijst/vertaling/{taal}.po",
            format!("{base}/vragenlijst/vertaling/en.po"),
        ),
        (
            "/beheer/p/{project}/campagne/campagne.zip",
            format!("{base}/campagne/campagne.zip?plek={place}"),
        ),
        (
            "/beheer/p/{project}/campagne/plekken/{code}/qr.svg",
            format!("{base}/campagne/plekken/{place}/qr.svg"),
        ),
        (
            "/beheer/p/{project}/campagne/{lang}/{role}/{format:poster-a3|poster-a4|flyer-a5}.pdf",
            format!("{base}/campagne/nl/jongere/flyer-a5.pdf"),
        ),
    ];
    for (_, path) in &gets {
        let page = begeleider.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert_eq!(page.header("cache-control"), Some("no-store"), "{path}");
    }
    let csrf = app.csrf(&format!("{base}/export"));
    for format in ["csv", "csv-nl", "json", "xlsx", "sav", "datapackage"] {
        let response = app
            .client
            .post(format!("{}{base}/export", app.base))
            .send_form([("csrf", csrf.as_str()), ("formaat", format)])
            .expect("POST");
        assert_eq!(response.status().as_u16(), 200, "{format}");
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{format}"
        );
    }
    // Every staff route that serves a file is checked above: a new one must be added here.
    let files: Vec<&str> = vertelpunt::web::routes::TABLE
        .iter()
        .filter(|r| r.path.starts_with("/beheer"))
        .filter(|r| {
            r.path
                .rsplit('/')
                .next()
                .is_some_and(|last| last.contains('.'))
        })
        .map(|r| r.path)
        .collect();
    let checked: Vec<&str> = gets.iter().map(|(route, _)| *route).collect();
    for file in &files {
        assert!(checked.contains(file), "{file} is not checked for no-store");
    }
    assert_eq!(files.len(), checked.len(), "{files:?}");
}
