//! Who may reach what, for every route in the route table (`web::routes::TABLE`): tried as a
//! stranger, as staff without a role, as an onderzoeker (reads and exports only) and as a
//! begeleider. The table says who may reach each route; this test holds every handler to it,
//! so a route cannot be added without its rights being checked here.

use crate::helpers::*;
use vertelpunt::domain::accounts::ProjectAction;
use vertelpunt::web::routes::{Access, Method, Route, TABLE};

const PROJECT: &str = "jeugdhulp";

/// A concrete URL for a route pattern: the project, the first of a set of verbs, a stylesheet
/// for the assets, and an id that exists nowhere for everything else.
fn concrete(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map(|e| start + e)
            .expect("closing brace");
        let inner = &rest[start + 1..end];
        let value = match inner.split_once(':') {
            Some((_, alternatives)) if alternatives.contains('|') => {
                alternatives.split('|').next().unwrap_or("").to_string()
            }
            Some(("path", _)) => "app.css".to_string(),
            _ if inner == "project" => PROJECT.to_string(),
            _ => "X-onbekend".to_string(),
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Sends the route's request; posts carry the browser's valid CSRF token when it has one, so
/// that what answers is the rights check and not the CSRF check.
fn request(browser: &Browser, route: &Route, csrf: Option<&str>) -> Page {
    let url = concrete(route.path);
    match route.method {
        Method::Get => browser.get(&url),
        Method::Post => match csrf {
            Some(token) => browser.post(&url, &[("csrf", token)]),
            None => browser.post(&url, &[]),
        },
    }
}

fn describe(route: &Route) -> String {
    format!("{:?} {} ({:?})", route.method, route.path, route.access)
}

fn is_login_redirect(page: &Page) -> bool {
    page.status == 303
        && page
            .header("location")
            .is_some_and(|l| l.starts_with("/beheer/inloggen"))
}

fn is_staff(access: Access) -> bool {
    matches!(
        access,
        Access::SignedIn | Access::Admin | Access::Project(_)
    )
}

#[test]
fn the_route_table_covers_every_kind_of_access() {
    // Each kind of access appears, so each branch below is exercised.
    for kind in [
        Access::Anyone,
        Access::Participant,
        Access::OwnerLink,
        Access::OneTimeLink,
        Access::ApiToken,
        Access::SignedIn,
        Access::Admin,
        Access::Project(ProjectAction::Read),
        Access::Project(ProjectAction::Moderate),
        Access::Project(ProjectAction::Edit),
        Access::Project(ProjectAction::Export),
        Access::Project(ProjectAction::Facilitate),
    ] {
        assert!(
            TABLE.iter().any(|r| r.access == kind),
            "no route with {kind:?}"
        );
    }
    assert_eq!(
        concrete("/beheer/p/{project}/{verb:openen|sluiten}"),
        "/beheer/p/jeugdhulp/openen"
    );
    assert_eq!(concrete("/assets/{path:.*}"), "/assets/app.css");
}

#[test]
fn strangers_reach_only_what_is_open_to_anyone() {
    let app = spawn_app();
    let stranger = app.browser();
    for route in TABLE {
        let page = request(&stranger, route, None);
        let what = describe(route);
        assert!(page.status < 500, "{what}: {}", page.status);
        match route.access {
            access if is_staff(access) => match route.method {
                Method::Get => assert!(is_login_redirect(&page), "{what}: {}", page.status),
                // A post without a session is refused before anything happens: to the login
                // page, or 403 because no form of ours was filled in.
                Method::Post => assert!(
                    is_login_redirect(&page) || page.status == 403,
                    "{what}: {}",
                    page.status
                ),
            },
            Access::ApiToken => assert_eq!(page.status, 401, "{what}"),
            Access::Participant | Access::OwnerLink | Access::OneTimeLink => {
                // An unknown code, link or token opens nothing.
                assert!(
                    (400..500).contains(&page.status) || page.status == 303,
                    "{what}: {}",
                    page.status
                );
                assert!(!is_login_redirect(&page), "{what}");
            }
            _ => assert!(!is_login_redirect(&page), "{what}: sent to the login page"),
        }
    }
}

#[test]
fn staff_reach_exactly_what_their_role_allows() {
    let app = spawn_app();
    let nobody = app.user_browser("zonder-rol@voorbeeld.nl", &[]);
    let researcher = app.user_browser("onderzoeker@voorbeeld.nl", &[(PROJECT, "onderzoeker")]);
    let facilitator = app.user_browser("begeleider@voorbeeld.nl", &[(PROJECT, "begeleider")]);
    let tokens = [
        nobody.csrf("/beheer/account"),
        researcher.csrf("/beheer/account"),
        facilitator.csrf("/beheer/account"),
    ];
    let people = [
        ("staff without a role", &nobody, &tokens[0], None),
        ("onderzoeker", &researcher, &tokens[1], Some("onderzoeker")),
        ("begeleider", &facilitator, &tokens[2], Some("begeleider")),
    ];
    let mut checked = 0;
    let mut wrong = Vec::new();
    for route in TABLE.iter().filter(|r| is_staff(r.access)) {
        for (who, browser, csrf, role) in &people {
            let allowed = match route.access {
                Access::SignedIn => true,
                Access::Admin => false,
                Access::Project(action) => match role {
                    None => false,
                    Some("onderzoeker") => {
                        matches!(action, ProjectAction::Read | ProjectAction::Export)
                    }
                    Some(_) => true,
                },
                _ => unreachable!(),
            };
            // Allowed posts would change things: only their pages are opened.
            if allowed && route.method == Method::Post {
                continue;
            }
            let page = request(browser, route, Some(csrf.as_str()));
            let what = format!("{} as {who}: {}", describe(route), page.status);
            let right =
                page.status < 500 && !is_login_redirect(&page) && (page.status == 403) != allowed;
            if !right {
                wrong.push(what);
            }
            checked += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers do not match the route table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(checked > 100, "only {checked} requests checked");
}
