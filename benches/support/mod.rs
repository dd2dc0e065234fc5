//! What the benchmarks that drive a real server share: settings from the environment, the
//! process's peak memory, and a release server on a loopback port with a signed-in admin.

use std::sync::mpsc;
use vertelpunt::config::Config;
use vertelpunt::security::passwords::{PasswordHasher, PasswordParams};
use vertelpunt::store::{Database, DatabaseUrl};

pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The process's peak resident memory (VmHWM), in MiB.
pub fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// The value of the first hidden input `name` in a page.
pub fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).expect("hidden field") + marker.len();
    let end = page[start..].find('"').expect("closing quote") + start;
    page[start..end].to_string()
}

/// Creates an admin in `db`, starts the server on `db_url` on a free loopback port and signs
/// in; returns the server's base URL and the signed-in client.
pub fn serve_signed_in(db: &Database, db_url: &DatabaseUrl) -> (String, ureq::Agent) {
    let email = "meting@voorbeeld.nl";
    let password = "een lang wachtwoord voor de meting";
    vertelpunt::service::accounts::create_user_cli(
        db,
        &PasswordHasher::new(PasswordParams::default()).expect("hasher"),
        email,
        None,
        true,
        Some(
            &vertelpunt::domain::accounts::NewPassword::parse(password, password)
                .expect("password"),
        ),
        vertelpunt::exchange::timestamp::now_unix(),
    )
    // A database kept from an earlier run has the account already.
    .ok();
    let config = Config {
        bind: "127.0.0.1:0".into(),
        ..Config::defaults(db_url.clone())
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = vertelpunt::Application::build(config).expect("start");
            tx.send(app.port).ok();
            app.server.await.ok();
        })
    });
    let base = format!("http://127.0.0.1:{}", rx.recv().expect("server port"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let login = agent
        .get(&format!("{base}/beheer/inloggen"))
        .call()
        .expect("login page")
        .body_mut()
        .read_to_string()
        .expect("body");
    agent
        .post(&format!("{base}/beheer/inloggen"))
        .send_form([
            ("csrf", hidden(&login, "csrf").as_str()),
            ("terug", "/beheer"),
            ("email", email),
            ("wachtwoord", password),
        ])
        .expect("login");
    (base, agent)
}
