//! The `vertelpunt` command, run as a user would.

use crate::helpers::*;
use std::process::Command;
use vertelpunt::store::DatabaseUrl;

/// Runs the `vertelpunt` binary on this database, as a user would.
pub fn vertelpunt(db: &DatabaseUrl, args: &[&str]) -> std::process::Output {
    let url = match db {
        DatabaseUrl::Sqlite(p) => p.display().to_string(),
        DatabaseUrl::Postgres(u) => u.clone(),
    };
    Command::new(env!("CARGO_BIN_EXE_vertelpunt"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run vertelpunt")
}

#[test]
fn help_lists_every_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_vertelpunt"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["serve", "migrate", "project", "stories", "db"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn questionnaires_and_stories_round_trip_through_the_command_line() {
    let app = spawn_app();
    let dir = tempfile::tempdir().unwrap();

    let out = vertelpunt(&app.db_url, &["project", "export", "jeugdhulp"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(json.contains("\"slug\": \"jeugdhulp\""));
    let file = dir.path().join("vragenlijst.json");
    std::fs::write(&file, json.replace("\"jeugdhulp\"", "\"tweede-project\"")).unwrap();
    let out = vertelpunt(&app.db_url, &["project", "import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let csv = "id,created_at,role,title,text,gehoord,themas\n\
               c-1,2026-05-01T08:00:00Z,ouder,Titel,\"Een verhaal, met \"\"quotes\"\" en\nnieuwe regel\",42,thema_school;thema_wachten\n";
    let csv_file = dir.path().join("verhalen.csv");
    std::fs::write(&csv_file, csv).unwrap();
    let out = vertelpunt(
        &app.db_url,
        &[
            "stories",
            "import",
            "--project",
            "tweede-project",
            csv_file.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = vertelpunt(
        &app.db_url,
        &["stories", "export", "--project", "tweede-project"],
    );
    assert!(out.status.success());
    let exported = String::from_utf8(out.stdout).unwrap();
    assert!(exported.contains("c-1,2026-05-01T08:00:00Z,ouder,Titel,\"Een verhaal, met \"\"quotes\"\" en\nnieuwe regel\",42,"));
    assert!(exported.contains(",thema_school;thema_wachten,"));

    let out_file = dir.path().join("uit.csv");
    let out = vertelpunt(
        &app.db_url,
        &[
            "stories",
            "export",
            "--project",
            "tweede-project",
            "--output",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), exported);

    // A bad file: a clear Dutch message with line and column, and a failing exit code.
    std::fs::write(
        &csv_file,
        "id,created_at,role,title,text,gehoord\nc-2,gisteren,ouder,T,V,1\n",
    )
    .unwrap();
    let out = vertelpunt(
        &app.db_url,
        &[
            "stories",
            "import",
            "--project",
            "tweede-project",
            csv_file.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("regel 2") && err.contains("created_at"),
        "{err}"
    );

    let out = vertelpunt(&app.db_url, &["db", "check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 projecten"));

    // Both exports are in the audit log, with the project and the number of stories.
    let mut conn = app.database().conn().unwrap();
    let filter = vertelpunt::store::audit::AuditFilter {
        action: Some("export".into()),
        ..Default::default()
    };
    let exports = vertelpunt::store::audit::list(&mut conn, &filter, 10).unwrap();
    assert_eq!(exports.len(), 2);
    assert_eq!(exports[0].project_slug.as_deref(), Some("tweede-project"));
    assert!(exports[0].detail.contains("1 verhaal"), "{:?}", exports[0]);
}

#[test]
fn an_unknown_database_scheme_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_vertelpunt"))
        .args(["migrate"])
        .env("DATABASE_URL", "mysql://localhost/x")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported DATABASE_URL"));
}

#[test]
fn user_create_makes_the_first_admin_from_the_command_line() {
    let app = spawn_app();
    // Without a password: a one-time link to choose one.
    let out = vertelpunt(
        &app.db_url,
        &[
            "user",
            "create",
            "--admin",
            "Eerste@Voorbeeld.nl",
            "--name",
            "Eerste Beheerder",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let link = stdout
        .lines()
        .find(|l| l.contains("/beheer/wachtwoord/"))
        .expect("a link")
        .trim()
        .to_string();
    let path = &link[link.find("/beheer").unwrap()..];
    let form = app.get(path);
    assert_eq!(form.status, 200, "{}", form.body);
    form.assert_contains("Eerste Beheerder");
    let set = app.post(
        path,
        &[
            ("csrf", &form.hidden("csrf")),
            ("wachtwoord", PASSWORD),
            ("herhaal", PASSWORD),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.body);
    assert_eq!(app.login("eerste@voorbeeld.nl", PASSWORD).status, 303);
    assert_eq!(app.get("/beheer/logboek").status, 200);
    // The printed setup link stopped working once an admin existed.
    let setup = app.setup_link.clone().unwrap();
    assert_eq!(
        app.get(&setup[setup.find("/beheer").unwrap()..]).status,
        410
    );

    // With a password from standard input; an address that exists is refused.
    let mut child = Command::new(env!("CARGO_BIN_EXE_vertelpunt"))
        .args(["user", "create", "tweede@voorbeeld.nl", "--password-stdin"])
        .env(
            "DATABASE_URL",
            match &app.db_url {
                DatabaseUrl::Sqlite(p) => p.display().to_string(),
                DatabaseUrl::Postgres(u) => u.clone(),
            },
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("/beheer/wachtwoord/"));
    assert_eq!(
        app.browser().login("tweede@voorbeeld.nl", PASSWORD).status,
        303
    );
    let again = vertelpunt(&app.db_url, &["user", "create", "tweede@voorbeeld.nl"]);
    assert!(!again.status.success());
    let list = vertelpunt(&app.db_url, &["user", "list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(
        listed.contains("eerste@voorbeeld.nl") && listed.contains("beheerder"),
        "{listed}"
    );
}
