//! `rolebase`: serve the API, apply migrations, load, import and export the
//! knowledge base, import wages, manage API keys, print the OpenAPI document.

use anyhow::Context;
use clap::{Parser, Subcommand};
use rolebase_api::{
    database::{self, Database},
    documents::{self, RoleDocuments},
    http,
    knowledge_base::{KnowledgeBase, KnowledgeBaseSource, read_files},
    oews,
    settings::{CacheSettings, DatabaseSettings, HttpSettings, KnowledgeBaseSettings},
    startup::Application,
    storage, telemetry,
};

#[derive(Parser)]
#[command(
    name = "rolebase",
    version,
    about = "A job-role knowledge base, served as a REST/JSON API"
)]
struct Cli {
    /// Log filter, e.g. `info` or `rolebase_api=debug,info`
    #[arg(long, env = "RUST_LOG", default_value = "info", global = true)]
    log_level: String,
    /// How log lines are written: `text` for people, `json` (one object per
    /// line) for log collectors
    #[arg(long, env = "ROLEBASE_LOG_FORMAT", value_enum, default_value_t = telemetry::LogFormat::Text, global = true)]
    log_format: telemetry::LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API; migrates the database and loads the knowledge base into an empty one first
    Serve {
        /// Address to listen on, host:port
        #[arg(long, env = "ROLEBASE_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Port to listen on, replacing the port of --bind
        #[arg(long, env = "ROLEBASE_PORT")]
        port: Option<u16>,
        #[command(flatten)]
        database: DatabaseSettings,
        #[command(flatten)]
        knowledge_base: KnowledgeBaseSettings,
        #[command(flatten)]
        cache: CacheSettings,
        #[command(flatten)]
        http: HttpSettings,
    },
    /// Apply the database migrations that have not been applied yet
    Migrate {
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Load the knowledge base: all or nothing, unchanged entries left alone
    Seed {
        #[command(flatten)]
        database: DatabaseSettings,
        #[command(flatten)]
        knowledge_base: KnowledgeBaseSettings,
        /// Check the files and report problems without touching the database
        #[arg(long)]
        check: bool,
    },
    /// Import a dataset: all or nothing, the same file twice leaves the same data
    Import {
        #[command(flatten)]
        database: DatabaseSettings,
        #[command(subcommand)]
        dataset: Dataset,
    },
    /// Print the curated knowledge base as one JSON document (not the imported wages)
    Export {
        #[command(flatten)]
        database: DatabaseSettings,
        /// Write the document to this file instead of standard output
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
    },
    /// Create, list and revoke the API keys that writes need
    ApiKey {
        #[command(flatten)]
        database: DatabaseSettings,
        #[command(subcommand)]
        action: ApiKeyAction,
    },
    /// Print the OpenAPI document
    Openapi,
}

#[derive(Subcommand)]
enum Dataset {
    /// BLS OEWS wages: a CSV file (plain or gzip) in BLS's column layout
    Oews {
        /// The file, e.g. oews-2025-states.csv.gz
        file: std::path::PathBuf,
        /// The OEWS release the file holds, e.g. 2025A01
        #[arg(long)]
        release: String,
        /// The release's name; "May <year>" by default
        #[arg(long)]
        release_title: Option<String>,
    },
    /// A knowledge base that `rolebase export` wrote: checked as a whole, then
    /// loaded like `seed` (entries matched by slug and key)
    Kb {
        /// The JSON document, or `-` for standard input
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum ApiKeyAction {
    /// Create a key and print it: it is shown this once and never stored
    Create {
        /// The key's name: the actor its changes are recorded under
        #[arg(long)]
        name: String,
        /// `write` changes roles and their children; `admin` also skills and sources
        #[arg(long, value_parser = ["write", "admin"])]
        scope: String,
    },
    /// List the keys (never the keys themselves)
    List,
    /// Revoke the live key of this name, from the next request on
    Revoke {
        /// The key's name
        name: String,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    telemetry::init(&cli.log_level, cli.log_format);
    let outcome = match cli.command {
        Command::Openapi => http::openapi()
            .to_pretty_json()
            .map(|document| println!("{document}"))
            .map_err(anyhow::Error::from),
        command => actix_web::rt::System::new().block_on(run(command)),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The message and its causes, for the person who ran the command;
        // never a backtrace, even with RUST_BACKTRACE set for other programs.
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve {
            bind,
            port,
            database,
            knowledge_base,
            cache,
            http,
        } => {
            let address = match port {
                Some(port) => format!(
                    "{}:{port}",
                    bind.rsplit_once(':')
                        .map_or(bind.as_str(), |(host, _)| host)
                ),
                None => bind,
            };
            let database = Database::open_for_serving(&database, http.database_timeout()).await?;
            let outcome = serve(&address, &database, &knowledge_base, &cache, &http).await;
            database.close();
            outcome
        }
        Command::Migrate { database } => {
            let database = Database::open(&database).await?;
            let outcome = database::migrate(&database.pool).await;
            database.close();
            let applied = outcome?;
            match applied.len() {
                0 => println!("no migration to apply: the database is up to date"),
                1 => println!("applied 1 migration: {}", applied[0]),
                count => println!("applied {count} migrations: {}", applied.join(", ")),
            }
            Ok(())
        }
        Command::Seed {
            database,
            knowledge_base,
            check,
        } => {
            let knowledge_base = read_knowledge_base(&knowledge_base)?;
            if check {
                println!(
                    "the knowledge base is valid: {} roles, {} skills",
                    knowledge_base.roles.len(),
                    knowledge_base.skills.len()
                );
                return Ok(());
            }
            let database = Database::open(&database).await?;
            let outcome = seed(&database, &knowledge_base).await;
            database.close();
            println!("{}", outcome?);
            Ok(())
        }
        Command::Import {
            database,
            dataset: Dataset::Kb { file },
        } => {
            let knowledge_base = read_document(&file)?;
            let database = Database::open(&database).await?;
            let outcome = seed(&database, &knowledge_base).await;
            database.close();
            println!("{}", outcome?);
            Ok(())
        }
        Command::Import {
            database,
            dataset:
                Dataset::Oews {
                    file,
                    release,
                    release_title,
                },
        } => {
            let release = oews::Release::parse(&release, release_title.as_deref())?;
            // The whole file is read and checked before the database is opened.
            let reading = oews::Progress::for_stderr("reading");
            let rows = oews::read(&file, &reading)
                .with_context(|| format!("{} was refused; nothing was written", file.display()))?;
            reading.finish(&format!(
                "read {} rows in {:.2} s",
                rows.len(),
                reading.seconds()
            ));
            let database = Database::open(&database).await?;
            let outcome = import_oews(&database, &release, &rows).await;
            database.close();
            println!("{}", outcome?);
            Ok(())
        }
        Command::Export { database, output } => {
            let database = Database::open(&database).await?;
            let outcome = export(&database).await;
            database.close();
            let json = outcome?.to_json();
            match output {
                Some(path) => std::fs::write(&path, json)
                    .with_context(|| format!("could not write {}", path.display()))?,
                None => {
                    use std::io::Write;
                    std::io::stdout().lock().write_all(json.as_bytes())?;
                }
            }
            Ok(())
        }
        Command::ApiKey { database, action } => {
            let database = Database::open(&database).await?;
            let outcome = api_key(&database, action).await;
            database.close();
            outcome
        }
        Command::Openapi => unreachable!("handled before the runtime starts"),
    }
}

async fn serve(
    address: &str,
    database: &Database,
    settings: &KnowledgeBaseSettings,
    cache: &CacheSettings,
    http: &HttpSettings,
) -> anyhow::Result<()> {
    database::migrate(&database.pool).await?;
    let client = database.pool.get().await?;
    if storage::knowledge_base::count_roles(&**client).await? == 0 {
        drop(client);
        let report = seed(database, &read_knowledge_base(settings)?).await?;
        tracing::info!(%report, "loaded the knowledge base into the empty database");
    }
    let documents = match cache.document_cache_mb {
        0 => RoleDocuments::disabled(),
        megabytes => {
            let documents = RoleDocuments::new(megabytes * 1024 * 1024);
            documents::listen(database.config.clone(), documents.clone());
            documents
        }
    };
    let mut metrics = rolebase_api::http::Metrics::new();
    if let Some(cluster) = &database.cluster {
        metrics = metrics.with_cluster_restarts(cluster.restarts());
    }
    let application =
        Application::build_with_metrics(address, database.pool.clone(), documents, http, metrics)
            .with_context(|| format!("could not listen on {address}"))?;
    tracing::info!("Rolebase listens on http://{address} (Swagger UI at /swagger-ui/)");
    application.run_until_signalled().await?;
    Ok(())
}

async fn import_oews(
    database: &Database,
    release: &oews::Release,
    rows: &[oews::WageRow],
) -> anyhow::Result<storage::oews::ImportReport> {
    database::migrate(&database.pool).await?;
    let mut client = database.pool.get().await?;
    let writing = oews::Progress::for_stderr("writing");
    let report = storage::oews::import(&mut client, release, rows, &writing).await?;
    writing.finish(&format!(
        "wrote {} rows in {:.2} s",
        report.rows,
        writing.seconds()
    ));
    Ok(report)
}

async fn api_key(database: &Database, action: ApiKeyAction) -> anyhow::Result<()> {
    use storage::api_keys;
    database::migrate(&database.pool).await?;
    let client = database.pool.get().await?;
    match action {
        ApiKeyAction::Create { name, scope } => {
            let key = api_keys::create(&**client, &name, scope.parse()?).await?;
            eprintln!("created the {scope} key `{name}`; it is shown once, store it now:");
            println!("{key}");
        }
        ApiKeyAction::List => {
            for key in api_keys::list(&**client).await? {
                let state = match key.revoked_at {
                    Some(at) => format!("revoked {}", at.format("%Y-%m-%d %H:%M:%S UTC")),
                    None => "active".to_owned(),
                };
                println!(
                    "{}\t{}\tcreated {}\t{state}",
                    key.name,
                    key.scope.as_str(),
                    key.created_at.format("%Y-%m-%d %H:%M:%S UTC")
                );
            }
        }
        ApiKeyAction::Revoke { name } => {
            if !api_keys::revoke(&**client, &name).await? {
                anyhow::bail!("no live key is named `{name}`");
            }
            println!("revoked `{name}`: it is refused from the next request on");
        }
    }
    Ok(())
}

fn read_knowledge_base(settings: &KnowledgeBaseSettings) -> anyhow::Result<KnowledgeBase> {
    let source = KnowledgeBaseSource::from_setting(settings.knowledge_base.clone());
    let files = read_files(&source).with_context(|| format!("could not read {source}"))?;
    Ok(KnowledgeBase::parse(&files)?)
}

/// Reads and checks an exported document before the database is opened.
fn read_document(file: &std::path::Path) -> anyhow::Result<KnowledgeBase> {
    let (name, text) = if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("could not read standard input")?;
        ("standard input".to_owned(), text)
    } else {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("could not read {}", file.display()))?;
        (file.display().to_string(), text)
    };
    Ok(KnowledgeBase::from_document(&name, &text)?)
}

async fn export(database: &Database) -> anyhow::Result<rolebase_api::knowledge_base::Document> {
    database::migrate(&database.pool).await?;
    let mut client = database.pool.get().await?;
    Ok(storage::knowledge_base::export(&mut client).await?)
}

async fn seed(
    database: &Database,
    knowledge_base: &KnowledgeBase,
) -> anyhow::Result<storage::knowledge_base::LoadReport> {
    database::migrate(&database.pool).await?;
    let mut client = database.pool.get().await?;
    Ok(storage::knowledge_base::load(&mut client, knowledge_base).await?)
}
