//! The `vertelpunt` command: serve the web application and manage its data.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use vertelpunt::config::Config;
use vertelpunt::service::{projects, transfer};
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
    },
    /// Export consented, not withdrawn stories as CSV
    Export {
        #[arg(long)]
        project: String,
        /// Write to this file instead of standard output
        #[arg(long)]
        output: Option<PathBuf>,
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
                StoriesCommand::Import { project, file } => {
                    let input = std::fs::File::open(&file)
                        .with_context(|| format!("kan {} niet openen", file.display()))?;
                    let n = transfer::import_csv(&db, &project, std::io::BufReader::new(input))?;
                    eprintln!("{n} verhalen geïmporteerd in {project}");
                }
                StoriesCommand::Export { project, output } => {
                    let n = match output {
                        Some(path) => {
                            let file = std::fs::File::create(&path)
                                .with_context(|| format!("kan {} niet maken", path.display()))?;
                            let mut out = std::io::BufWriter::new(file);
                            let n = transfer::export_csv(&db, &project, &mut out)?;
                            out.flush()?;
                            n
                        }
                        None => transfer::export_csv(&db, &project, std::io::stdout().lock())?,
                    };
                    eprintln!("{n} verhalen geëxporteerd uit {project}");
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
                "gekopieerd en gecontroleerd: {} projecten, {} vragenlijstversies, {} verhalen, {} antwoorden, controlegetal {}",
                f.projects, f.questionnaires, f.stories, f.answers, f.checksum
            );
            Ok(())
        }
        Command::Db(DbCommand::Check) => {
            let db = store::Database::open(&config.database_url, 1)?;
            let mut conn = db.conn()?;
            store::integrity_check(&mut conn)?;
            let f = store::copy::fingerprint(&mut conn)?;
            println!(
                "ok: {} projecten, {} vragenlijstversies, {} verhalen, {} antwoorden, controlegetal {}",
                f.projects, f.questionnaires, f.stories, f.answers, f.checksum
            );
            Ok(())
        }
    }
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
