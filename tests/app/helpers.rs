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
    /// Stops the server, so that its database connections close with the test. Stopping the
    /// server (not only the System) lets `Server` finish, which drops the application state,
    /// its pool and the mail worker.
    fn drop(&mut self) {
        // The returned future only waits; the stop is already sent.
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

/// A fresh database for one test: a copy of a template that was migrated once per run of
/// the test binary (as crates.io's test-db crate does), instead of running every migration
/// for every test. The copy holds the schema only: the application still runs its migrations
/// at start (finding nothing to do) and creates its default project, secret and setup link
/// per test, as on a new installation.
fn fresh_database(dir: &tempfile::TempDir) -> DatabaseUrl {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => postgres_copy(&server),
        _ => {
            let path = dir.path().join("vertelpunt.db");
            std::fs::write(&path, sqlite_template()).expect("copy the template database");
            DatabaseUrl::Sqlite(path)
        }
    }
}

/// The bytes of a migrated SQLite database (journal mode DELETE, so the one file is the
/// whole database). Kept in memory: nothing is left in the temp folder after the run.
fn sqlite_template() -> &'static [u8] {
    static TEMPLATE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        use diesel::connection::SimpleConnection;
        let dir = tempfile::tempdir().expect("temp dir for the template");
        let path = dir.path().join("template.db");
        let url = DatabaseUrl::Sqlite(path.clone());
        let mut conn = vertelpunt::store::Manager::connect_once(&url).expect("template database");
        vertelpunt::store::run_migrations(&mut conn).expect("migrate the template");
        if let vertelpunt::store::AnyConnection::Sqlite(c) = &mut conn {
            // Everything from the write-ahead log into the main file, and no log any more.
            c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
                .expect("checkpoint the template");
        }
        drop(conn);
        std::fs::read(&path).expect("read the template")
    })
}

/// The PostgreSQL database `name` on the server of `server_url`.
fn postgres_url(server_url: &str, name: &str) -> String {
    let base = server_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(server_url);
    format!("{base}/{name}")
}

/// `vp_tmpl_<random>`: created and migrated once per run, with no connection left open to it
/// (a copy is refused while anyone is connected to the template). `.ci/run` drops it after
/// the run, with the test databases.
fn postgres_template(server: &str) -> &'static str {
    static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!(
            "vp_tmpl_{}",
            hex::encode(vertelpunt::security::random_bytes::<6>())
        );
        let mut admin =
            diesel::PgConnection::establish(server).expect("connect to TEST_DATABASE_URL");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create the template database");
        let url = DatabaseUrl::Postgres(postgres_url(server, &name));
        let mut conn = vertelpunt::store::Manager::connect_once(&url).expect("template database");
        vertelpunt::store::run_migrations(&mut conn).expect("migrate the template");
        drop(conn);
        // Nobody may connect to it from now on (a test that did would block every copy).
        diesel::sql_query(format!(
            "ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false"
        ))
        .execute(&mut admin)
        .expect("close the template");
        name
    })
}

/// `CREATE DATABASE vp_test_<random> TEMPLATE vp_tmpl_<random>`.
fn postgres_copy(server: &str) -> DatabaseUrl {
    let template = postgres_template(server);
    let name = format!(
        "vp_test_{}",
        hex::encode(vertelpunt::security::random_bytes::<6>())
    );
    let mut admin = diesel::PgConnection::establish(server).expect("connect to TEST_DATABASE_URL");
    let mut tries = 0;
    loop {
        match diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut admin)
        {
            Ok(_) => break,
            // The connection that migrated the template may take a moment to end (the
            // server already waits up to 5 seconds for it): try again briefly.
            Err(e) if tries < 20 && e.to_string().contains("being accessed by other users") => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            Err(e) => panic!("create test database from {template}: {e}"),
        }
    }
    DatabaseUrl::Postgres(postgres_url(server, &name))
}

pub fn config(db_url: DatabaseUrl) -> Config {
    Config {
        bind: "127.0.0.1:0".into(),
        pool_size: 4,
        post_limit_per_minute: 0,
        stories_per_address: 0,
        draft_days: 14,
        workers: Some(2),
        // Projects start with a retention period: a loop at start could delete the texts of
        // old imported fixtures under a test. Tests that want it switch it on.
        retention_interval: std::time::Duration::ZERO,
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

    /// A download: status, content type and the bytes.
    pub fn get_bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let mut response = self
            .client
            .get(format!("{}{path}", self.base))
            .call()
            .expect("GET");
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(50 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_default();
        (response.status().as_u16(), content_type, bytes)
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

    /// A HEAD request: the status and the length of the body that came back.
    pub fn head(&self, path: &str) -> (u16, usize) {
        let mut response = self
            .client
            .head(format!("{}{path}", self.base))
            .call()
            .expect("HEAD");
        let body = response.body_mut().read_to_vec().unwrap_or_default();
        (response.status().as_u16(), body.len())
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

    /// A form with a file (`multipart/form-data`), as a browser sends an `<input type=file>`:
    /// the text fields, then the file under `file_field`.
    #[allow(dead_code)] // used by some test modules only
    pub fn post_file(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file_field: &str,
        file_name: &str,
        file: &[u8],
    ) -> Page {
        let boundary = "----vertelpunt-test-grens-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        page(
            self.client
                .post(format!("{}{path}", self.base))
                .header(
                    "Content-Type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
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

// --- tools ---------------------------------------------------------------------------------

/// Whether this runs in CI: `CI` set, non-empty and not "false" (`.ci/run` sets `CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

/// Runs a poppler-utils command (`pdftotext`, `pdftoppm`). When the tool is not installed,
/// fails in CI and elsewhere gives `None` after a note, so the caller skips its check.
pub fn poppler(command: &mut std::process::Command) -> Option<std::process::Output> {
    let tool = command.get_program().to_string_lossy().into_owned();
    match command.output() {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(!in_ci(), "{tool} (poppler-utils) is required in CI");
            eprintln!("{tool} not installed (poppler-utils): this PDF check was skipped");
            None
        }
        Err(e) => panic!("{tool}: {e}"),
    }
}

// --- mail ---------------------------------------------------------------------------------

/// Polls `check` until it gives a value; fails the test after 30 seconds. For things that
/// happen in the background (the mail worker), so no test depends on how fast that is.
pub fn wait_until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "gave up waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A mail as a person would read it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// Envelope recipients (RCPT TO).
    pub envelope_to: Vec<String>,
    pub to: String,
    pub from: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub content_type: String,
}

impl ReceivedMail {
    pub fn parse(raw: &[u8], envelope_to: Vec<String>) -> Self {
        use mailparse::MailHeaderMap;
        let parsed = mailparse::parse_mail(raw).expect("a parsable mail");
        let header = |name: &str| parsed.headers.get_first_value(name).unwrap_or_default();
        let mut text = String::new();
        let mut html = String::new();
        let mut parts = vec![&parsed];
        while let Some(part) = parts.pop() {
            match part.ctype.mimetype.as_str() {
                "text/plain" => text = part.get_body().expect("text body"),
                "text/html" => html = part.get_body().expect("html body"),
                _ => parts.extend(part.subparts.iter()),
            }
        }
        Self {
            envelope_to,
            to: header("To"),
            from: header("From"),
            subject: header("Subject"),
            text,
            html,
            content_type: parsed.ctype.mimetype.clone(),
        }
    }

    /// The path of the first one-time link in the plain text (`/beheer/wachtwoord/…`).
    pub fn link_path(&self) -> String {
        let start = self
            .text
            .find("/beheer/wachtwoord/")
            .unwrap_or_else(|| panic!("no link in mail:\n{}", self.text));
        let rest = &self.text[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest[..end].to_string()
    }
}

#[derive(Clone, Default)]
struct SinkHandler {
    received: std::sync::Arc<std::sync::Mutex<Vec<ReceivedMail>>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl mailin_embedded::Handler for SinkHandler {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.to = to.to_vec();
        self.data.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let mail = ReceivedMail::parse(&self.data, std::mem::take(&mut self.to));
        self.received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(mail);
        mailin_embedded::response::OK
    }
}

/// A real SMTP server on a loopback port that keeps what it receives. It runs (on its own
/// threads) until the test process ends.
pub struct SmtpSink {
    pub port: u16,
    received: std::sync::Arc<std::sync::Mutex<Vec<ReceivedMail>>>,
}

impl SmtpSink {
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind SMTP sink");
        let port = listener.local_addr().expect("sink address").port();
        let handler = SinkHandler::default();
        let received = handler.received.clone();
        let mut server = mailin_embedded::Server::new(handler);
        server.with_name("sink.test").with_tcp_listener(listener);
        std::thread::spawn(move || {
            if let Err(e) = server.serve() {
                panic!("SMTP sink stopped: {e}");
            }
        });
        Self { port, received }
    }

    /// Points an application's config at this server (plain SMTP on loopback).
    pub fn configure(&self, config: &mut Config) {
        config.mail.smtp = Some(smtp_on(self.port));
    }

    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Waits until `count` mails have arrived and returns them all.
    pub fn wait_for(&self, count: usize) -> Vec<ReceivedMail> {
        wait_until(&format!("{count} mail(s) at the SMTP sink"), || {
            let mails = self.mails();
            (mails.len() >= count).then_some(mails)
        })
    }

    /// Waits for a mail to `to`.
    pub fn wait_for_mail_to(&self, to: &str) -> ReceivedMail {
        wait_until(&format!("a mail to {to}"), || {
            self.mails()
                .into_iter()
                .find(|m| m.envelope_to.iter().any(|t| t == to))
        })
    }
}

pub fn smtp_on(port: u16) -> vertelpunt::mail::SmtpConfig {
    vertelpunt::mail::SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: vertelpunt::mail::SmtpTls::None,
        username: None,
        password: None,
    }
}

/// A loopback port where nothing listens (an SMTP server that is down).
pub fn dead_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    port
}

impl TestApp {
    /// Every row of the mail outbox.
    pub fn outbox(&self) -> Vec<vertelpunt::store::outbox::OutboxRecord> {
        use vertelpunt::store::outbox::OutboxRecord;
        use vertelpunt::store::schema::mail_outbox;
        let mut conn = self.database().conn().expect("connection");
        let conn: &mut vertelpunt::store::AnyConnection = &mut conn;
        mail_outbox::table
            .order(mail_outbox::created_at.asc())
            .select(OutboxRecord::as_select())
            .load(conn)
            .expect("outbox")
    }

    /// Invites someone through the form as the default (admin) browser.
    pub fn invite(&self, name: &str, email: &str, roles: &[(&str, &str)]) -> Page {
        invite_with(&self.browser, name, email, roles)
    }
}

/// Invites someone through the form with this (admin) browser.
pub fn invite_with(browser: &Browser, name: &str, email: &str, roles: &[(&str, &str)]) -> Page {
    let csrf = browser.csrf("/beheer/gebruikers/uitnodigen");
    let role_fields: Vec<(String, String)> = roles
        .iter()
        .map(|(p, r)| (format!("rol_{p}"), r.to_string()))
        .collect();
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf), ("naam", name), ("email", email)];
    form.extend(as_refs(&role_fields));
    browser.post("/beheer/gebruikers/uitnodigen", &form)
}

/// The details of the audit log's entries with this action, newest first.
pub fn audit_details(app: &TestApp, action: &str) -> Vec<String> {
    let db = app.database();
    let mut conn = db.conn().expect("connection");
    vertelpunt::store::audit::list(
        &mut conn,
        &vertelpunt::store::audit::AuditFilter {
            action: Some(action.into()),
            ..Default::default()
        },
        100,
    )
    .expect("audit log")
    .into_iter()
    .map(|e| e.detail)
    .collect()
}

/// Stories of the default project, withdrawn ones included.
pub fn story_count(app: &TestApp) -> i64 {
    let db = app.database();
    let mut conn = db.conn().expect("conn");
    vertelpunt::store::stories::counts(&mut conn, "jeugdhulp")
        .expect("counts")
        .total
}

/// Saved drafts ("Later verder") of every project.
pub fn draft_count(app: &TestApp) -> i64 {
    use vertelpunt::store::schema::story_drafts;
    let db = app.database();
    let mut conn = db.conn().expect("conn");
    story_drafts::table
        .count()
        .get_result(&mut conn)
        .expect("count drafts")
}

/// The text between two markers.
pub fn between(body: &str, start: &str, end: &str) -> String {
    let from = body
        .find(start)
        .unwrap_or_else(|| panic!("{start} in page"))
        + start.len();
    let to = body[from..].find(end).expect("end marker") + from;
    unescape(body[from..to].trim())
}

/// Takes the database back to before the migration named `version` (and the ones after it).
pub fn revert_last_migration(url: &DatabaseUrl, version: &str) {
    use diesel_migrations::MigrationHarness;
    use vertelpunt::store::{AnyConnection, Manager, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
    let mut conn = Manager::connect_once(url).expect("connect");
    loop {
        let reverted = match &mut conn {
            AnyConnection::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS),
            AnyConnection::Postgresql(c) => c.revert_last_migration(POSTGRES_MIGRATIONS),
        }
        .expect("revert a migration")
        .to_string();
        if reverted.starts_with(version) {
            break;
        }
    }
}
