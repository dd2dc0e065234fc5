//! The `vertelpunt` command: serve the web application and manage its data.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use vertelpunt::analysis::numbers::{self, counted};
use vertelpunt::config::Config;
use vertelpunt::domain::accounts::NewPassword;
use vertelpunt::exchange::research::{Format, TableOptions};
use vertelpunt::exchange::timestamp::{now_unix, parse_date};
use vertelpunt::security::passwords::PasswordHasher;
use vertelpunt::service::{accounts, analysis, export, projects, retention, transfer};
use vertelpunt::store::{self, DatabaseUrl};

#[derive(Parser)]
#[command(
    name = "vertelpunt",
    version,
    about = "Vertelpunt: ervaringen met jeugdhulp delen en duiden"
)]
struct Cli {
    /// Database: a SQLite file path, sqlite://PATH or postgres://… (default data/vertelpunt.db)
    #[arg(long, global = true, env = "DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default when no command is given)
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080 (default 127.0.0.1:8080, or VERTELPUNT_BIND)
        #[arg(long)]
        bind: Option<String>,
    },
    /// Create or update the database schema, then exit
    Migrate,
    /// Projects and their questionnaires
    #[command(subcommand)]
    Project(ProjectCommand),
    /// Stories in and out (CSV exchange format v1)
    #[command(subcommand)]
    Stories(StoriesCommand),
    /// Database maintenance
    #[command(subcommand)]
    Db(DbCommand),
    /// Accounts of begeleiders, onderzoekers and admins
    #[command(subcommand)]
    User(UserCommand),
    /// Verbetervoorstellen from the duidingssessies
    #[command(subcommand)]
    Proposals(ProposalsCommand),
    /// Retention: deleting story texts after each project's period
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Add fictitious stories with planted patterns to the project "demo" (made if missing)
    Demo {
        #[arg(long, default_value_t = 500)]
        stories: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Scan a project's duiding answers for patterns (patroonevaluatie)
    Patterns {
        #[arg(long)]
        project: String,
        /// Only stories with this answer, e.g. --filter rol=ouder (repeatable)
        #[arg(long = "filter")]
        filters: Vec<String>,
        /// Leave groups with fewer stories out of a test
        #[arg(long, default_value_t = 5)]
        min_group: usize,
        /// Only complete stories
        #[arg(long)]
        complete: bool,
        /// Skip slider x (choice x choice) patterns
        #[arg(long)]
        no_three_way: bool,
        /// Print the whole scan as JSON (default: a readable list of strong patterns)
        #[arg(long)]
        json: bool,
    },
    /// Compare a part of a project's stories with the rest, or (--with) other projects with
    /// this one on the questions of the core module, question by question
    Compare {
        #[arg(long)]
        project: String,
        /// The part to compare, e.g. --subset gemeente=nijmegen (repeatable; the same question
        /// twice means either answer)
        #[arg(long = "subset", required_unless_present = "with")]
        subset: Vec<String>,
        /// Instead of a part: set this other project beside --project on the questions of the
        /// core module (repeatable; each is compared with --project, one correction over all)
        #[arg(long = "with", conflicts_with_all = ["subset", "filters", "complete"])]
        with: Vec<String>,
        /// Only stories with this answer, before splitting (repeatable)
        #[arg(long = "filter")]
        filters: Vec<String>,
        /// Figures shown next to the part's: of the rest, or of all stories (the test is
        /// always part against rest)
        #[arg(long, value_enum, default_value = "rest")]
        reference: ReferenceArg,
        /// Leave a question out when either side has fewer answers
        #[arg(long, default_value_t = 5)]
        min_group: usize,
        /// Only complete stories
        #[arg(long)]
        complete: bool,
        /// Print the whole comparison as JSON (default: a readable list of strong differences)
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReferenceArg {
    Rest,
    Whole,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; prints a one-time link to choose a password unless
    /// --password-stdin is given
    Create {
        email: String,
        /// Make this account an admin of the whole installation
        #[arg(long)]
        admin: bool,
        /// The name shown to colleagues (default: the part of the address before the @)
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// List all accounts
    List,
}

#[derive(Subcommand)]
enum ProposalsCommand {
    /// Queue a reminder mail for every owner whose open proposal had no update for its
    /// period (a running server does this every VERTELPUNT_REMINDER_INTERVAL_SECONDS too)
    Remind,
    /// Export a project's proposals with where they came from, their status and every update
    /// (for the stuurgroep; the owner's e-mail address is not in it; docs/formats.md)
    Export {
        #[arg(long)]
        project: String,
        /// csv, csv-nl (Dutch Excel) or xlsx
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write to this file instead of standard output
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Delete the texts of every story older than its project's retention period (a running
    /// server does this every VERTELPUNT_RETENTION_INTERVAL_SECONDS too)
    Run,
}

#[derive(Subcommand)]
enum ProjectCommand {
    /// Create a project from a questionnaire JSON, or save a new version of its questionnaire
    Import { file: PathBuf },
    /// Print a project's current questionnaire as JSON
    Export { slug: String },
    /// List all projects
    List,
}

#[derive(Subcommand)]
enum StoriesCommand {
    /// Import stories from a CSV file (all or nothing)
    Import {
        #[arg(long)]
        project: String,
        file: PathBuf,
        /// PostgreSQL: have the stories to this import alone, about twice as fast for a large
        /// file: other instances wait until it is done, also to read, and no story is lost
        /// (docs/reliability.md). SQLite: changes nothing, an import is the only writer there
        /// already
        #[arg(long)]
        exclusive: bool,
    },
    /// Export consented, not hidden, not withdrawn stories: as they are (CSV v1, to move them
    /// to another installation) or, with --anonymised, for research
    Export {
        #[arg(long)]
        project: String,
        /// Write to this file instead of standard output
        #[arg(long)]
        output: Option<PathBuf>,
        /// Anonymise the texts and protect small groups (docs/privacy.md); needed for research
        #[arg(long)]
        anonymised: bool,
        /// csv, csv-nl (Dutch Excel), json, xlsx, sav (SPSS) or datapackage (zip; with --anonymised)
        #[arg(long, default_value = "csv")]
        format: String,
        /// Only stories with this answer, e.g. --filter rol=ouder (repeatable; with --anonymised)
        #[arg(long = "filter")]
        filters: Vec<String>,
        /// Only stories told on or after this day (jjjj-mm-dd; with --anonymised)
        #[arg(long)]
        from: Option<String>,
        /// Only stories told on or before this day (jjjj-mm-dd; with --anonymised)
        #[arg(long)]
        until: Option<String>,
        /// Only complete stories (with --anonymised)
        #[arg(long)]
        complete: bool,
        /// Choices and roles as keys (`sleutels`, the default) or as labels (`labels`); CSV,
        /// XLSX and datapackage, with --anonymised
        #[arg(long)]
        coding: Option<String>,
        /// A multichoice question as one 0/1 column per option (`kolommen`, the default) or
        /// as one column of keys joined by `;` (`samen`); with --anonymised
        #[arg(long)]
        multichoice: Option<String>,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Copy every project, questionnaire and story into another, empty database and verify
    Copy {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Check the database and print row counts and the stories checksum
    Check,
    /// Write a consistent copy of the SQLite database into a new file, also while it serves,
    /// and check it (PostgreSQL: use pg_dump, see docs/reliability.md)
    Backup { file: PathBuf },
}

fn config(cli: &Cli) -> Result<Config> {
    let mut config = Config::from_env()?;
    if let Some(url) = &cli.database_url {
        config.database_url = DatabaseUrl::parse(url)?;
    }
    Ok(config)
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let mut config = config(&cli)?;
    match cli.command.unwrap_or(Command::Serve { bind: None }) {
        Command::Serve { bind } => {
            if let Some(bind) = bind {
                config.bind = bind;
            }
            serve(config)
        }
        Command::Migrate => {
            store::Database::open(&config.database_url, 1)?;
            eprintln!("database is up to date: {}", config.database_url.redacted());
            Ok(())
        }
        Command::Project(cmd) => {
            let db = vertelpunt::open_database(&config)?;
            match cmd {
                ProjectCommand::Import { file } => {
                    let json = std::fs::read_to_string(&file)
                        .with_context(|| format!("kan {} niet lezen", file.display()))?;
                    let outcome = projects::import_questionnaire(&db, &json)?;
                    eprintln!("{outcome:?}");
                }
                ProjectCommand::Export { slug } => {
                    println!("{}", projects::export_questionnaire(&db, &slug)?);
                }
                ProjectCommand::List => {
                    let mut conn = db.conn()?;
                    for p in store::projects::list(&mut conn)? {
                        let counts = store::stories::counts(&mut conn, &p.slug)?;
                        println!(
                            "{}\t{}\tversie {}\t{}\t{} verhalen ({} ingetrokken)",
                            p.slug,
                            p.name,
                            p.version,
                            if p.is_open { "open" } else { "gesloten" },
                            counts.total,
                            counts.withdrawn
                        );
                    }
                }
            }
            Ok(())
        }
        Command::Stories(cmd) => {
            let db = vertelpunt::open_database(&config)?;
            match cmd {
                StoriesCommand::Import {
                    project,
                    file,
                    exclusive,
                } => {
                    let input = std::fs::File::open(&file)
                        .with_context(|| format!("kan {} niet openen", file.display()))?;
                    let mode = if exclusive {
                        transfer::ImportMode::Exclusive
                    } else {
                        transfer::ImportMode::Online
                    };
                    let n = transfer::import_csv_with(
                        &db,
                        &project,
                        std::io::BufReader::new(input),
                        mode,
                    )?;
                    eprintln!("{n} verhalen geïmporteerd in {project}");
                }
                StoriesCommand::Export {
                    project,
                    output,
                    anonymised,
                    format,
                    filters,
                    from,
                    until,
                    complete,
                    coding,
                    multichoice,
                } => {
                    let mut out: Box<dyn Write> = match &output {
                        Some(path) => Box::new(std::io::BufWriter::new(
                            std::fs::File::create(path)
                                .with_context(|| format!("kan {} niet maken", path.display()))?,
                        )),
                        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
                    };
                    if anonymised {
                        let format = Format::parse(&format).with_context(|| {
                            format!(
                                "onbekend formaat {format:?}: kies csv, csv-nl, json, xlsx, sav of datapackage"
                            )
                        })?;
                        let table = TableOptions::parse(coding.as_deref(), multichoice.as_deref())
                            .context(
                                "--coding is sleutels of labels, --multichoice is kolommen of samen",
                            )?;
                        let day =
                            |raw: &Option<String>, what: &str| -> anyhow::Result<Option<i64>> {
                                raw.as_deref()
                                    .map(|d| {
                                        parse_date(d).with_context(|| {
                                            format!("--{what} {d:?} is geen datum (jjjj-mm-dd)")
                                        })
                                    })
                                    .transpose()
                            };
                        let filter = analysis::StoryFilter {
                            from: day(&from, "from")?,
                            until: day(&until, "until")?.map(|t| t + 86_400),
                            complete_only: complete,
                            ..Default::default()
                        }
                        .with_answers(&filters)?;
                        let (summary, changes) = export::export_from_command_line(
                            &db, &project, &filter, format, table, &mut out,
                        )?;
                        out.flush()?;
                        eprintln!(
                            "{} verhalen geanonimiseerd geëxporteerd uit {project}: {} persoonsgegevens vervangen, {} waarden samengevoegd en {} afgeschermd (k = kleinste groep)",
                            summary.stories,
                            summary.redactions,
                            changes.generalised,
                            changes.suppressed
                        );
                    } else {
                        if !filters.is_empty()
                            || from.is_some()
                            || until.is_some()
                            || complete
                            || coding.is_some()
                            || multichoice.is_some()
                            || format != "csv"
                        {
                            bail!("filters en andere formaten zijn er alleen bij --anonymised");
                        }
                        let n = transfer::export_csv(&db, &project, &mut out)?;
                        out.flush()?;
                        eprintln!("{n} verhalen geëxporteerd uit {project}");
                    }
                }
            }
            Ok(())
        }
        Command::Db(DbCommand::Copy { from, to }) => {
            let from = DatabaseUrl::parse(&from)?;
            let to = DatabaseUrl::parse(&to)?;
            if from == to {
                bail!("bron en doel zijn dezelfde database");
            }
            let f = transfer::copy_database(&from, &to)?;
            println!(
                "gekopieerd en gecontroleerd: {} projecten, {} vragenlijstversies, {} verhalen, {} antwoorden, {} gebruikers, {} logregels, controlegetal {}",
                f.projects, f.questionnaires, f.stories, f.answers, f.users, f.audit_entries, f.checksum
            );
            Ok(())
        }
        Command::User(cmd) => user_command(&config, cmd),
        Command::Proposals(ProposalsCommand::Remind) => remind(&config),
        Command::Proposals(ProposalsCommand::Export {
            project,
            format,
            output,
        }) => export_proposals(&config, &project, &format, output.as_deref()),
        Command::Retention(RetentionCommand::Run) => retention_run(&config),
        Command::Demo { stories, seed } => {
            let db = vertelpunt::open_database(&config)?;
            let total = vertelpunt::service::demo::generate(&db, stories, seed)?;
            eprintln!(
                "{stories} verzonnen verhalen toegevoegd aan project \"{}\" ({total} in totaal): /v/{}",
                vertelpunt::service::demo::DEMO_TITLE,
                vertelpunt::service::demo::DEMO_SLUG
            );
            Ok(())
        }
        Command::Patterns {
            project,
            filters,
            min_group,
            complete,
            no_three_way,
            json,
        } => {
            let db = vertelpunt::open_database(&config)?;
            let filter = analysis::StoryFilter {
                complete_only: complete,
                ..Default::default()
            }
            .with_answers(&filters)?;
            let settings = vertelpunt::analysis::ScanSettings {
                min_group: min_group.max(1),
                three_way: !no_three_way,
                ..Default::default()
            };
            let scan = analysis::scan_project(&db, &project, &filter, settings)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&scan)?);
            } else {
                println!(
                    "{}, {}, {}",
                    counted(scan.stories as u64, "verhaal", "verhalen"),
                    counted(scan.tests as u64, "toets", "toetsen"),
                    counted(scan.strong as u64, "sterk patroon", "sterke patronen")
                );
                for p in scan.patterns.iter().filter(|p| p.strong) {
                    println!(
                        "- {} (sterkte {}, {})",
                        p.description,
                        numbers::strength(p.strength),
                        numbers::named_probability("q", p.q_value)
                    );
                }
            }
            Ok(())
        }
        Command::Compare {
            project,
            with,
            subset,
            filters,
            reference,
            min_group,
            complete,
            json,
        } => {
            let db = vertelpunt::open_database(&config)?;
            if !with.is_empty() {
                let settings = vertelpunt::analysis::CompareSettings {
                    min_group: min_group.max(1),
                    ..Default::default()
                };
                let c =
                    analysis::side_by_side::compare_projects_once(&db, &project, &with, settings)?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&c)?);
                    return Ok(());
                }
                for side in std::iter::once(&c.reference).chain(c.others.iter().map(|b| &b.side)) {
                    let shown = if side.shown {
                        String::new()
                    } else {
                        format!(" (minder dan {}: niet getoond)", side.k)
                    };
                    println!(
                        "{}: {}{shown}; {} buiten de kernvragen weggelaten",
                        side.name,
                        counted(side.stories as u64, "verhaal", "verhalen"),
                        counted(side.left_out as u64, "vraag", "vragen"),
                    );
                }
                println!(
                    "{}, {}",
                    counted(c.tests as u64, "toets", "toetsen"),
                    counted(c.strong as u64, "sterk verschil", "sterke verschillen")
                );
                for compared in c.others.iter().filter_map(|b| b.comparison.as_ref()) {
                    let strong = compared
                        .numbers
                        .iter()
                        .filter(|n| n.strong)
                        .map(|n| (&n.description, n.strength, n.q_value))
                        .chain(
                            compared
                                .choices
                                .iter()
                                .filter(|n| n.strong)
                                .map(|n| (&n.description, n.strength, n.q_value)),
                        );
                    for (description, strength, q) in strong {
                        println!(
                            "- {description} (sterkte {}, {})",
                            numbers::strength(strength),
                            numbers::named_probability("q", q)
                        );
                    }
                }
                return Ok(());
            }
            let base = analysis::StoryFilter {
                complete_only: complete,
                ..Default::default()
            }
            .with_answers(&filters)?;
            let part = analysis::StoryFilter::default()
                .with_answers(&subset)?
                .answers;
            let settings = vertelpunt::analysis::CompareSettings {
                min_group: min_group.max(1),
                reference: match reference {
                    ReferenceArg::Rest => vertelpunt::analysis::Reference::Rest,
                    ReferenceArg::Whole => vertelpunt::analysis::Reference::Whole,
                },
                ..Default::default()
            };
            let c = analysis::compare_project(&db, &project, &base, &part, settings)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&c)?);
            } else {
                println!(
                    "{} in de groep, {} in {}; {}, {}",
                    counted(c.subset as u64, "verhaal", "verhalen"),
                    numbers::count(c.reference as u64),
                    c.reference_kind.dutch(),
                    counted(c.tests as u64, "toets", "toetsen"),
                    counted(c.strong as u64, "sterk verschil", "sterke verschillen")
                );
                let strong = c
                    .numbers
                    .iter()
                    .filter(|n| n.strong)
                    .map(|n| (&n.description, n.strength, n.q_value))
                    .chain(
                        c.choices
                            .iter()
                            .filter(|n| n.strong)
                            .map(|n| (&n.description, n.strength, n.q_value)),
                    );
                for (description, strength, q) in strong {
                    println!(
                        "- {description} (sterkte {}, {})",
                        numbers::strength(strength),
                        numbers::named_probability("q", q)
                    );
                }
            }
            Ok(())
        }
        Command::Db(DbCommand::Backup { file }) => {
            let backup = transfer::backup_database(&config.database_url, &file)?;
            let f = &backup.fingerprint;
            println!(
                "back-up gemaakt en gecontroleerd: {} ({} MB): {} projecten, {} verhalen, {} antwoorden, {} gebruikers, controlegetal {}",
                file.display(),
                numbers::count(backup.bytes.div_ceil(1_000_000)),
                f.projects, f.stories, f.answers, f.users, f.checksum
            );
            Ok(())
        }
        Command::Db(DbCommand::Check) => {
            let db = store::Database::open(&config.database_url, 1)?;
            let mut conn = db.conn()?;
            store::integrity_check(&mut conn)?;
            store::search_index::check(&mut conn)?;
            let f = store::copy::fingerprint(&mut conn)?;
            println!(
                "ok: {} projecten, {} vragenlijstversies, {} verhalen, {} antwoorden, {} gebruikers, {} logregels, {} observatieregels, {} sessie- en voorstelregels, controlegetal {}",
                f.projects, f.questionnaires, f.stories, f.answers, f.users, f.audit_entries, f.observations, f.sessions, f.checksum
            );
            Ok(())
        }
    }
}

fn user_command(config: &Config, cmd: UserCommand) -> Result<()> {
    let db = vertelpunt::open_database(config)?;
    match cmd {
        UserCommand::Create {
            email,
            admin,
            name,
            password_stdin,
        } => {
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                let line = line.trim_end_matches(['\r', '\n']);
                Some(NewPassword::parse(line, line)?)
            } else {
                None
            };
            let hasher = PasswordHasher::new(config.password_params)?;
            let created = accounts::create_user_cli(
                &db,
                &hasher,
                &email,
                name.as_deref(),
                admin,
                password.as_ref(),
                now_unix(),
            )?;
            eprintln!(
                "account gemaakt: {} ({}){}",
                created.user.email,
                created.user.display_name,
                if admin { ", beheerder" } else { "" }
            );
            if let Some(token) = created.password_token {
                println!(
                    "Kies een wachtwoord met deze eenmalige link (7 dagen geldig):\n{}/beheer/wachtwoord/{token}",
                    config.base_url()
                );
            }
        }
        UserCommand::List => {
            let mut conn = db.conn()?;
            for user in store::accounts::list_users(&mut conn)? {
                let access = store::accounts::access(&mut conn, &user)?;
                let mut roles: Vec<String> = access
                    .roles
                    .iter()
                    .map(|(p, r)| format!("{p}:{}", r.as_str()))
                    .collect();
                if user.is_admin {
                    roles.insert(0, "beheerder".into());
                }
                println!(
                    "{}\t{}\t{}\t{}",
                    user.email,
                    user.display_name,
                    if user.is_active { "actief" } else { "uitgezet" },
                    roles.join(",")
                );
            }
        }
    }
    Ok(())
}

/// Queues the reminders that are due now; a running server's mail worker sends them.
fn remind(config: &Config) -> Result<()> {
    let db = vertelpunt::open_database(config)?;
    let secret = {
        let mut conn = db.conn()?;
        projects::load_secret(&mut conn, config.secret.as_deref())?
    };
    let renderer = vertelpunt::render::Renderer::load(vertelpunt::render::i18n::Catalogs::load()?)?;
    let compose = vertelpunt::mail::compose::reminders::reminder_composer(
        renderer,
        config.base_url().to_string(),
    );
    let n = vertelpunt::service::proposals::send_reminders(&db, &secret, &compose, now_unix())?;
    println!("{n} herinnering(en) klaargezet; een draaiende server verstuurt ze");
    Ok(())
}

/// Writes a project's proposals to `output` or standard output; the export is logged.
fn export_proposals(
    config: &Config,
    project: &str,
    format: &str,
    output: Option<&std::path::Path>,
) -> Result<()> {
    use vertelpunt::service::proposals_export::{self, Requester};
    let format = proposals_export::Format::parse(format)
        .with_context(|| format!("onbekend formaat {format:?}: kies csv, csv-nl of xlsx"))?;
    let db = vertelpunt::open_database(config)?;
    let who = Requester {
        user: None,
        via: "de opdrachtregel",
    };
    let file = match proposals_export::export(&db, &who, project, format, now_unix()) {
        Ok(file) => file,
        Err(proposals_export::ProposalsExportError::Core(
            vertelpunt::service::error::ServiceError::NotFound,
        )) => bail!("project {project:?} bestaat niet"),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("kan de voorstellen van {project:?} niet exporteren"))
        }
    };
    match output {
        Some(path) => std::fs::write(path, &file.bytes)
            .with_context(|| format!("kan {} niet maken", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&file.bytes)?;
            out.flush()?;
        }
    }
    eprintln!(
        "{} geëxporteerd uit {project}",
        counted(file.count as u64, "verbetervoorstel", "verbetervoorstellen")
    );
    Ok(())
}

/// Applies every project's retention period now.
fn retention_run(config: &Config) -> Result<()> {
    let db = vertelpunt::open_database(config)?;
    let report = retention::run(&db, now_unix())?;
    println!(
        "{} met een verlopen code gewist",
        retention::count(
            report.expired_drafts,
            "bewaard concept",
            "bewaarde concepten"
        )
    );
    println!(
        "{} ouder dan {} dagen opgeruimd",
        retention::count(
            report.pruned_changes,
            "regel van het wijzigingslogboek",
            "regels van het wijzigingslogboek"
        ),
        retention::CHANGE_LOG_DAYS
    );
    if report.projects.is_empty() {
        println!("geen project heeft een bewaartermijn; er is niets gewist");
    }
    for p in &report.projects {
        println!(
            "{}\tbewaartermijn {} dagen\tteksten van {} gewist\t{} weggehaald",
            p.project,
            p.retention_days,
            retention::count(p.stories, "verhaal", "verhalen"),
            retention::count(p.quotes, "citaat", "citaten")
        );
    }
    Ok(())
}

fn serve(config: Config) -> Result<()> {
    let bind = config.bind.clone();
    let database = config.database_url.redacted();
    actix_web::rt::System::new().block_on(async move {
        let app = vertelpunt::Application::build(config)?;
        tracing::info!(database, "Vertelpunt serves on http://{bind}/");
        app.server.await?;
        Ok(())
    })
}
