//! Spins up the real application per test: a fresh database (a SQLite file, or a new
//! PostgreSQL database when `TEST_DATABASE_URL` names a server), port 0, and an HTTP client
//! that keeps cookies like a browser.

use diesel::prelude::*;
use std::sync::mpsc;
use vertelpunt::config::Config;
use vertelpunt::store::{Database, DatabaseUrl};

pub struct TestApp {
    pub base: String,
    pub db_url: DatabaseUrl,
    /// The one-time link to create the first admin, as printed at start.
    pub setup_link: Option<String>,
    /// The default browser; [`TestApp::browser`] gives more, each with its own cookies.
    pub browser: Browser,
    #[allow(dead_code)] // read by some test modules only
    pub config: Config,
    system: actix_web::rt::System,
    server: actix_web::dev::ServerHandle,
    _dir: tempfile::TempDir,
}

/// One browser: an HTTP client with its own cookie jar.
pub struct Browser {
    pub base: String,
    pub client: ureq::Agent,
}

impl std::ops::Deref for TestApp {
    type Target = Browser;
    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl Drop for TestApp {
    /// Stops the server, so that its database connections close with the test.
    fn drop(&mut self) {
        // Stopping the server ends its future, so the application (and its pool) is dropped
        // and its connections close; stopping only the system left them open until the
        // process ended. The returned future only waits; the stop is already sent.
        drop(self.server.stop(false));
        self.system.stop();
    }
}

pub struct Page {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of a hidden form field.
    pub fn hidden(&self, name: &str) -> String {
        let needle = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&needle)
            .unwrap_or_else(|| panic!("no field {name} in page:\n{}", self.body))
            + needle.len();
        let end = self.body[start..].find('"').expect("closing quote") + start;
        unescape(&self.body[start..end])
    }

    pub fn assert_contains(&self, text: &str) {
        assert!(
            self.body.contains(text),
            "page ({}) does not contain {text:?}:\n{}",
            self.status,
            self.body
        );
    }
}

pub fn unescape(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

fn fresh_database(dir: &tempfile::TempDir) -> DatabaseUrl {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            let name = format!(
                "vp_test_{}",
                hex::encode(vertelpunt::security::random_bytes::<6>())
            );
            let mut admin =
                diesel::PgConnection::establish(&server).expect("connect to TEST_DATABASE_URL");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .expect("create test database");
            let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
            DatabaseUrl::Postgres(format!("{base}/{name}"))
        }
        _ => DatabaseUrl::Sqlite(dir.path().join("vertelpunt.db")),
    }
}

pub fn config(db_url: DatabaseUrl) -> Config {
    Config {
        bind: "127.0.0.1:0".into(),
        pool_size: 4,
        post_limit_per_minute: 0,
        workers: Some(2),
        // Cheap hashing keeps the suite fast; the real defaults are tested in unit tests.
        password_params: vertelpunt::security::passwords::PasswordParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        },
        ..Config::defaults(db_url)
    }
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(|_| {})
}

pub fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = fresh_database(&dir);
    spawn_app_on(db_url, dir, adjust)
}

/// A fresh, empty database of the configured backend, kept alive by the returned folder.
pub fn new_database() -> (DatabaseUrl, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    (fresh_database(&dir), dir)
}

/// Another application instance on an existing database.
pub fn spawn_app_on(
    db_url: DatabaseUrl,
    dir: tempfile::TempDir,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    // Errors the server logs show up in the failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let mut config = config(db_url.clone());
    config.mail.folder = dir.path().join("mail");
    adjust(&mut config);
    let kept_config = config.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match vertelpunt::Application::build(config) {
                Ok(app) => {
                    tx.send(Ok((
                        app.port,
                        app.setup_link,
                        actix_web::rt::System::current(),
                        app.server.handle(),
                    )))
                    .ok();
                    app.server.await.ok();
                }
                Err(e) => {
                    tx.send(Err(e.to_string())).ok();
                }
            }
        })
    });
    let (port, setup_link, system, server) = rx
        .recv()
        .expect("server thread")
        .expect("application starts");
    let base = format!("http://127.0.0.1:{port}");
    TestApp {
        browser: Browser::new(&base),
        base,
        db_url,
        setup_link,
        config: kept_config,
        system,
        server,
        _dir: dir,
    }
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let client: ureq::Agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            base: base.to_string(),
            client,
        }
    }
}

fn page(mut response: ureq::http::Response<ureq::Body>) -> Page {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(10 * 1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    Page {
        status,
        body,
        headers,
    }
}

impl TestApp {
    /// Another browser with an empty cookie jar.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    pub fn database(&self) -> Database {
        Database::open(&self.db_url, 2).expect("open test database")
    }
}

impl Browser {
    pub fn get(&self, path: &str) -> Page {
        page(
            self.client
                .get(format!("{}{path}", self.base))
                .call()
                .expect("GET"),
        )
    }

    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let pairs: Vec<(&str, &str)> = form.to_vec();
        page(
            self.client
                .post(format!("{}{path}", self.base))
                .send_form(pairs)
                .expect("POST"),
        )
    }

    pub fn post_raw(&self, path: &str, body: Vec<u8>) -> Page {
        page(
            self.client
                .post(format!("{}{path}", self.base))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .send(&body[..])
                .expect("POST"),
        )
    }

    /// Opens the story form for a role and returns it with its hidden fields.
    pub fn open_form(&self, role: &str) -> Page {
        let page = self.get(&format!("/v/jeugdhulp/vertel?rol={role}"));
        assert_eq!(page.status, 200, "{}", page.body);
        page
    }
}

/// A complete, valid story for the default questionnaire, as form fields.
pub fn story_fields(form: &Page, role: &str, title: &str, text: &str) -> Vec<(String, String)> {
    vec![
        ("csrf".into(), form.hidden("csrf")),
        ("sleutel".into(), form.hidden("sleutel")),
        ("rol".into(), role.into()),
        ("titel".into(), title.into()),
        ("verhaal".into(), text.into()),
        ("q_gehoord".into(), "80".into()),
        ("q_juiste_hulp".into(), "65".into()),
        ("q_op_tijd".into(), "20".into()),
        ("na_regie".into(), "1".into()),
        ("q_regie".into(), "50".into()),
        ("q_gevoel".into(), "gemengd".into()),
        ("q_gemeente".into(), "wijchen".into()),
        ("toestemming_analyse".into(), "ja".into()),
    ]
}

pub fn as_refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

pub const LONG_STORY: &str = "Toen ik veertien was moest ik drie maanden wachten op hulp. \
Mijn mentor op school merkte dat het niet goed ging en belde het wijkteam. \
Daarna ging het snel en voelde ik me eindelijk gehoord door de mensen om mij heen.";

/// The code on a thank-you page.
pub fn withdrawal_code(page: &Page) -> String {
    let start =
        page.body.find("id=\"intrekcode\">").expect("code on page") + "id=\"intrekcode\">".len();
    let end = page.body[start..].find('<').expect("end of code") + start;
    page.body[start..end].trim().to_string()
}

pub const ADMIN_EMAIL: &str = "beheer@voorbeeld.nl";
/// The password every test account gets.
pub const PASSWORD: &str = "zeven zonnige zeilboten";

impl Browser {
    /// Logs in through the login form; returns the response to the POST.
    pub fn login(&self, email: &str, password: &str) -> Page {
        let form = self.get("/beheer/inloggen");
        assert_eq!(form.status, 200, "{}", form.body);
        self.post(
            "/beheer/inloggen",
            &[
                ("csrf", &form.hidden("csrf")),
                ("terug", "/beheer"),
                ("email", email),
                ("wachtwoord", password),
            ],
        )
    }

    /// A form's CSRF token, read from any page of ours that has one.
    pub fn csrf(&self, path: &str) -> String {
        self.get(path).hidden("csrf")
    }
}

impl TestApp {
    /// Creates the first admin with the setup link and logs the default browser in.
    pub fn with_admin(self) -> Self {
        let link = self
            .setup_link
            .clone()
            .expect("a setup link on a new installation");
        let path = &link[link.find("/beheer").expect("path in link")..];
        let form = self.get(path);
        assert_eq!(form.status, 200, "{}", form.body);
        let done = self.post(
            path,
            &[
                ("csrf", &form.hidden("csrf")),
                ("naam", "Beheerder Test"),
                ("email", ADMIN_EMAIL),
                ("wachtwoord", PASSWORD),
                ("herhaal", PASSWORD),
            ],
        );
        assert_eq!(done.status, 303, "{}", done.body);
        let login = self.login(ADMIN_EMAIL, PASSWORD);
        assert_eq!(login.status, 303, "{}", login.body);
        self
    }

    /// Creates an account with [`PASSWORD`] and these project roles, straight in the database.
    pub fn create_user(&self, email: &str, roles: &[(&str, &str)]) -> String {
        use vertelpunt::domain::accounts::{NewPassword, ProjectRole};
        let db = self.database();
        let hasher =
            vertelpunt::security::passwords::PasswordHasher::new(self.config.password_params)
                .unwrap();
        let password = NewPassword::parse(PASSWORD, PASSWORD).unwrap();
        let created = vertelpunt::service::accounts::create_user_cli(
            &db,
            &hasher,
            email,
            None,
            false,
            Some(&password),
            vertelpunt::exchange::timestamp::now_unix(),
        )
        .expect("create user");
        let roles = roles
            .iter()
            .map(|(p, r)| (p.to_string(), ProjectRole::parse(r).expect("role")))
            .collect();
        db.write_sync(|conn| {
            vertelpunt::store::accounts::replace_roles(conn, &created.user.id, &roles)
        })
        .expect("roles");
        created.user.id
    }

    /// A browser logged in as a new user with these roles.
    pub fn user_browser(&self, email: &str, roles: &[(&str, &str)]) -> Browser {
        self.create_user(email, roles);
        let browser = self.browser();
        let page = browser.login(email, PASSWORD);
        assert_eq!(page.status, 303, "{}", page.body);
        browser
    }
}
