//! Return paths: `terug` on the language switch and on the login form (and the Referer the
//! language switch falls back to) are only followed to a path of this site. Anything else —
//! another host, a scheme, a tab or line break that browsers drop or that would break the
//! header — lands on a safe default, and never on a 500.

use crate::helpers::*;

/// Return paths as they are written in a URL's query (percent-encoded), each one that a
/// browser would follow to another site or that would break the `Location` header.
const BAD_IN_QUERY: [&str; 14] = [
    "/%09/evil.example/x",
    "//evil.example/x",
    "/%5Cevil.example/x",
    "%5C%5Cevil.example/x",
    "https://evil.example/x",
    "https:evil.example",
    "javascript:alert(1)",
    "/x%0A/evil.example",
    "/x%0D%0ASet-Cookie:%20vp_taal=xx",
    "%20/evil.example",
    "/%2509/evil.example",
    "/%252F/evil.example",
    "evil.example",
    "/%00",
];

/// The same kind of return paths as a form posts them (decoded).
const BAD_IN_FORM: [&str; 10] = [
    "/\t/evil.example/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "https://evil.example/x",
    "/beheer\n/x",
    "/beheer\r\nSet-Cookie: vp_sessie=x",
    " /beheer",
    "/beheer/%0A/evil",
    "/beheerder.evil.example",
    "/v/jeugdhulp",
];

#[test]
fn the_language_switch_only_returns_to_paths_of_this_site() {
    let app = spawn_app();
    for bad in BAD_IN_QUERY {
        let page = app.get(&format!("/taal?naar=en&terug={bad}"));
        assert_eq!(page.status, 303, "{bad}: {}", page.body);
        assert_eq!(page.header("location"), Some("/"), "{bad}");
        // The language is switched all the same.
        assert!(
            page.headers
                .iter()
                .any(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("vp_taal=en")),
            "{bad}: {:?}",
            page.headers
        );
    }
    // A path of this site is followed, with its query.
    let page = app.get("/taal?naar=en&terug=%2Fv%2Fjeugdhulp%3Frol%3Douder%23vraag");
    assert_eq!(
        page.header("location"),
        Some("/v/jeugdhulp?rol=ouder#vraag")
    );
}

#[test]
fn without_terug_the_language_switch_returns_to_the_referring_path_of_this_site_only() {
    let app = spawn_app();
    let with_referer = |referer: &str| {
        let response = app
            .client
            .get(format!("{}/taal?naar=nl", app.base))
            .header("Referer", referer)
            .call()
            .expect("GET");
        (
            response.status().as_u16(),
            response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(String::from),
        )
    };
    let ours = format!("{}/v/jeugdhulp/vertel?rol=ouder", app.base);
    assert_eq!(
        with_referer(&ours),
        (303, Some("/v/jeugdhulp/vertel?rol=ouder".into()))
    );
    for bad in [
        format!("{}//evil.example/x", app.base),
        format!("{}/%5Cevil.example", app.base),
        format!("{}/%09/evil.example", app.base),
        "https://evil.example".to_string(),
        "geen adres".to_string(),
    ] {
        assert_eq!(with_referer(&bad), (303, Some("/".into())), "{bad}");
    }
}

/// Logs in through the form with this return path; the response to the POST.
fn login_returning_to(browser: &Browser, back: &str, password: &str) -> Page {
    let csrf = browser.csrf("/beheer/inloggen");
    browser.post(
        "/beheer/inloggen",
        &[
            ("csrf", &csrf),
            ("terug", back),
            ("email", ADMIN_EMAIL),
            ("wachtwoord", password),
        ],
    )
}

#[test]
fn the_login_form_only_returns_to_staff_paths_of_this_site() {
    let app = spawn_app().with_admin();
    // The form itself carries a safe return path, whatever the link said.
    for bad in BAD_IN_QUERY {
        let page = app.browser().get(&format!("/beheer/inloggen?terug={bad}"));
        assert_eq!(page.status, 200, "{bad}: {}", page.body);
        assert_eq!(page.hidden("terug"), "/beheer", "{bad}");
    }
    let page = app
        .browser()
        .get("/beheer/inloggen?terug=%2Fbeheer%2Fgebruikers%3Fx%3D1");
    assert_eq!(page.hidden("terug"), "/beheer/gebruikers?x=1");

    // A posted return path that is not a staff path of this site lands on /beheer, signed in.
    for bad in BAD_IN_FORM {
        let browser = app.browser();
        let page = login_returning_to(&browser, bad, PASSWORD);
        assert_eq!(page.status, 303, "{bad:?}: {}", page.body);
        assert_eq!(page.header("location"), Some("/beheer"), "{bad:?}");
        assert_eq!(browser.get("/beheer").status, 200, "{bad:?}");
    }
    // A wrong password with a line break in the return path: the form again, no 500.
    let page = login_returning_to(&app.browser(), "/beheer\n/x", "fout wachtwoord!!");
    assert_eq!(page.status, 401, "{}", page.body);
    assert_eq!(page.hidden("terug"), "/beheer");

    // The way it is meant: a staff page sends a stranger to the login form and back again.
    let browser = app.browser();
    let sent = browser.get("/beheer/gebruikers?pagina=2");
    assert_eq!(sent.status, 303);
    let form_path = sent
        .header("location")
        .expect("to the login form")
        .to_string();
    let form = browser.get(&form_path);
    assert_eq!(form.hidden("terug"), "/beheer/gebruikers?pagina=2");
    let page = login_returning_to(&browser, &form.hidden("terug"), PASSWORD);
    assert_eq!(page.header("location"), Some("/beheer/gebruikers?pagina=2"));
}
