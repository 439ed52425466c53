//! `search-bench`: how fast `GET /search` answers with the BLS occupation
//! catalogue loaded (1,104 titles) beside the knowledge base.
//!
//! It starts a private PostgreSQL cluster in a temporary folder and the service
//! on a free port, loads the occupations, warms up, then sends the same mix of
//! queries people type (titles, misspellings, abbreviations, skills) and
//! prints latency percentiles as seen by the client.
//!
//!     cargo run --release --features bench --bin search-bench -- --requests 3000

use anyhow::Context;
use clap::Parser;
use rolebase_api::{
    database,
    embedded::{Durability, EmbeddedCluster},
    knowledge_base::{KnowledgeBase, KnowledgeBaseSource, read_files},
    settings::{HttpSettings, RateLimitSettings},
    startup::Application,
    storage,
};
use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

#[derive(Parser)]
#[command(about = "Measure GET /search latency with the BLS occupations loaded")]
struct Args {
    /// BLS OEWS national CSV whose occupation titles to load
    #[arg(long, default_value = "tests/fixtures/bls-oews/oews-2025-national.csv")]
    occupations: PathBuf,
    /// Requests to time, after the warm-up
    #[arg(long, default_value_t = 3000)]
    requests: usize,
    /// Requests in flight at once
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
}

/// What people type: titles, misspellings, abbreviations, plurals, skills,
/// occupation words, and words nothing matches.
const QUERIES: &[&str] = &[
    "technical lead",
    "tech lead",
    "techincal lead",
    "tl",
    "lead developer",
    "eng manager",
    "people manager",
    "engineering managers",
    "staff eng",
    "principle engineer",
    "software architect",
    "architects",
    "team leader",
    "sr dev",
    "senior software engineer",
    "technical director",
    "film technical director",
    "pm",
    "project managers",
    "tpm",
    "technical manager",
    "mentoring",
    "code review",
    "agile",
    "software developers",
    "registered nurse",
    "truck driver",
    "accountants and auditors",
    "data scientist",
    "electrician",
    "teachers",
    "retail salesperson",
    "chief executive",
    "financial analyst",
    "web developer",
    "cook",
    "mechanical engineer",
    "marketing manager",
    "xyzzy",
    "information security analyst",
];

/// Consecutive requests of one worker walk the query list with a stride
/// coprime to its length, so that the mix stays even.
const STRIDE: usize = 7;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let data_dir = std::env::temp_dir().join(format!("rolebase-bench-{}", std::process::id()));
    let outcome = run(&args, &data_dir).await;
    let _ = std::fs::remove_dir_all(&data_dir);
    outcome
}

async fn run(args: &Args, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let dir = data_dir.to_owned();
    let mut cluster = tokio::task::spawn_blocking(move || {
        EmbeddedCluster::start_or_attach(&dir, Durability::Safe)
    })
    .await??;
    database::create_database_if_missing(&cluster.config("postgres"), "rolebase").await?;
    let pool = database::pool(cluster.config("rolebase"));
    database::migrate(&pool).await?;
    let knowledge_base = KnowledgeBase::parse(&read_files(&KnowledgeBaseSource::BuiltIn)?)?;
    storage::knowledge_base::load(&mut *pool.get().await?, &knowledge_base).await?;
    let loaded = load_occupations(&pool, &args.occupations).await?;

    // The load comes from one address, far past a client's quota: the limit
    // is checked on every request (its cost is measured) but never reached.
    let settings = HttpSettings {
        rate_limits: RateLimitSettings {
            per_address: u32::MAX,
            per_key: u32::MAX,
        },
        ..HttpSettings::default()
    };
    let application = Application::build(
        "127.0.0.1:0",
        pool.clone(),
        rolebase_api::documents::RoleDocuments::disabled(),
        &settings,
    )?;
    let base = format!("http://127.0.0.1:{}", application.port());
    actix_web::rt::spawn(application.run_until_stopped());
    let urls: Vec<String> = QUERIES
        .iter()
        .map(|query| {
            let query = serde_urlencoded::to_string([
                ("q", *query),
                ("type", "role"),
                ("type", "skill"),
                ("type", "occupation"),
                ("limit", "10"),
            ])
            .unwrap_or_default();
            format!("{base}/search?{query}")
        })
        .collect();

    let client = reqwest::Client::new();
    for url in &urls {
        let status = client.get(url).send().await?.status();
        anyhow::ensure!(status.is_success(), "{url} answered {status}");
    }
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..args.concurrency.max(1) {
        let (client, urls) = (client.clone(), urls.clone());
        let share = args.requests / args.concurrency.max(1)
            + usize::from(worker < args.requests % args.concurrency.max(1));
        workers.push(actix_web::rt::spawn(async move {
            let mut timings = Vec::with_capacity(share);
            for index in 0..share {
                let url = &urls[(index * STRIDE + worker) % urls.len()];
                let sent = Instant::now();
                let response = client.get(url).send().await?;
                response.bytes().await?;
                timings.push(sent.elapsed());
            }
            anyhow::Ok(timings)
        }));
    }
    let mut timings = Vec::new();
    for worker in workers {
        timings.extend(worker.await??);
    }
    let elapsed = started.elapsed();
    timings.sort();
    let percentile = |p: f64| {
        timings[((timings.len() as f64 * p).ceil() as usize)
            .saturating_sub(1)
            .min(timings.len() - 1)]
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "GET /search (roles, skills, occupations), {loaded} occupations loaded, {} queries",
        QUERIES.len()
    );
    println!(
        "{} requests, concurrency {}, {:.0} requests/s",
        timings.len(),
        args.concurrency,
        timings.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency ms: p50 {:.2}  p95 {:.2}  p99 {:.2}  max {:.2}",
        ms(percentile(0.50)),
        ms(percentile(0.95)),
        ms(percentile(0.99)),
        ms(*timings.last().context("no request was timed")?)
    );
    pool.close();
    cluster.stop();
    Ok(())
}

async fn load_occupations(
    pool: &deadpool_postgres::Pool,
    path: &std::path::Path,
) -> anyhow::Result<usize> {
    let mut reader = csv::Reader::from_path(path)
        .with_context(|| format!("could not read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|header| header == name)
            .with_context(|| format!("{} has no {name} column", path.display()))
    };
    let (code, title) = (column("OCC_CODE")?, column("OCC_TITLE")?);
    let (mut codes, mut titles) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record?;
        codes.push(record[code].to_owned());
        titles.push(record[title].to_owned());
    }
    let client = pool.get().await?;
    client
        .execute(
            "INSERT INTO occupations (soc_code, title) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (soc_code) DO NOTHING",
            &[&codes, &titles],
        )
        .await?;
    Ok(codes.len())
}
