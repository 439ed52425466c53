//! `load-bench`: how many reads a second Rolebase serves, next to the ceiling
//! of the framework itself: a static actix-web handler, started by this
//! benchmark, that answers a body of the same size as a role document.
//!
//! Without `--url` it starts a private PostgreSQL cluster in a temporary folder,
//! loads the knowledge base and the national wages, and serves them as
//! `rolebase serve` does (document cache and change listener included). Each
//! target is loaded for `--seconds` by `--connections` keep-alive connections,
//! rotating over every role; it prints req/s, p50 and p99 per target and the
//! ratio of req/s to the ceiling's.
//!
//!     cargo run --release --features bench --bin load-bench -- --seconds 10
//!
//! `--uncached` starts the service without its cache, to measure the path
//! every first read takes.

use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use clap::Parser;
use rolebase_api::{
    database,
    documents::{self, RoleDocuments},
    embedded::{Durability, EmbeddedCluster},
    knowledge_base::{KnowledgeBase, KnowledgeBaseSource, read_files},
    oews,
    settings::{HttpSettings, RateLimitSettings},
    startup::Application,
    storage,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Measure Rolebase's read throughput against a static actix-web ceiling")]
struct Args {
    /// A running Rolebase to measure instead of one started here
    #[arg(long)]
    url: Option<String>,
    /// Connections kept open at once (search uses half, as its target says)
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Seconds of load per target, after one second of warm-up
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// The BLS OEWS national CSV to import when starting a service here
    #[arg(long, default_value = "tests/fixtures/bls-oews/oews-2025-national.csv")]
    wages: PathBuf,
    /// Start the service without its document cache: every read goes to the
    /// database, as the first read of each document does
    #[arg(long)]
    uncached: bool,
    /// Job titles to normalize, 500 a request (the `[[title]]` texts of a TOML file)
    #[arg(long, default_value = "tests/fixtures/titles.toml")]
    titles: PathBuf,
}

/// Titles normalized per request by the normalization target.
const TITLES_PER_BATCH: usize = 500;

/// One kind of request, as a rotation of prepared requests.
struct Target {
    name: &'static str,
    connections: usize,
    requests: Vec<(String, Option<String>)>,
    /// A JSON body to POST with each request, instead of a GET.
    body: Option<bytes::Bytes>,
}

struct Measured {
    requests_per_second: f64,
    p50: Duration,
    p99: Duration,
    failures: usize,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    // Logging as `rolebase serve` has it (`info` unless RUST_LOG says
    // otherwise): every request's span costs what it costs there.
    rolebase_api::telemetry::init(
        &std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
        rolebase_api::telemetry::LogFormat::Text,
    );
    let data_dir = std::env::temp_dir().join(format!("rolebase-load-{}", std::process::id()));
    let outcome = run(&args, &data_dir).await;
    let _ = std::fs::remove_dir_all(&data_dir);
    outcome
}

async fn run(args: &Args, data_dir: &Path) -> anyhow::Result<()> {
    let mut cluster = None;
    let base = match &args.url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let (started, base) = start_service(data_dir, &args.wages, args.uncached).await?;
            cluster = Some(started);
            base
        }
    };
    let client = reqwest::Client::new();
    let slugs = role_slugs(&client, &base).await?;
    let sample = client
        .get(format!("{base}/roles/{}", slugs[0]))
        .send()
        .await?
        .bytes()
        .await?;
    let ceiling = start_ceiling(sample.len())?;

    let mut etags = Vec::new();
    for slug in &slugs {
        let response = client.get(format!("{base}/roles/{slug}")).send().await?;
        let etag = response
            .headers()
            .get("etag")
            .and_then(|value| value.to_str().ok())
            .context("a role read carries an ETag")?
            .to_owned();
        etags.push((format!("{base}/roles/{slug}"), Some(etag)));
    }
    let all = |path: &dyn Fn(&str) -> String| -> Vec<(String, Option<String>)> {
        slugs
            .iter()
            .map(|slug| (format!("{base}{}", path(slug)), None))
            .collect()
    };
    let searches = [
        "tech lead",
        "engineering manager",
        "sre",
        "architect",
        "product manager",
        "cto",
        "qa lead",
        "data engineer",
    ];
    let targets = vec![
        Target {
            name: "static ceiling (same size)",
            connections: args.connections,
            requests: vec![(format!("{ceiling}/document"), None)],
            body: None,
        },
        Target {
            name: "GET /roles/{slug}",
            connections: args.connections,
            requests: all(&|slug| format!("/roles/{slug}")),
            body: None,
        },
        Target {
            name: "GET /roles/{slug}?include=all",
            connections: args.connections,
            requests: all(&|slug| {
                format!(
                    "/roles/{slug}?include=responsibilities,requirements,skills,salaries,career"
                )
            }),
            body: None,
        },
        Target {
            name: "GET /roles/{slug} → 304",
            connections: args.connections,
            requests: etags,
            body: None,
        },
        Target {
            name: "GET /roles?limit=20",
            connections: args.connections,
            requests: vec![(format!("{base}/roles?limit=20"), None)],
            body: None,
        },
        Target {
            name: "GET /search?q=…",
            connections: (args.connections / 2).max(1),
            requests: searches
                .iter()
                .map(|q| {
                    let query = serde_urlencoded::to_string([("q", *q)]).unwrap_or_default();
                    (format!("{base}/search?{query}"), None)
                })
                .collect(),
            body: None,
        },
        Target {
            name: "GET /roles/compare?roles=a,b",
            connections: args.connections,
            requests: slugs
                .windows(2)
                .map(|pair| {
                    (
                        format!("{base}/roles/compare?roles={},{}", pair[0], pair[1]),
                        None,
                    )
                })
                .collect(),
            body: None,
        },
        Target {
            name: "POST /normalize/titles (500 titles)",
            connections: (args.connections / 8).max(1),
            requests: vec![(format!("{base}/normalize/titles"), None)],
            body: Some(title_batch(&args.titles)?),
        },
    ];

    let seconds = args.seconds;
    // The load runs on a runtime of its own threads, apart from the servers;
    // this thread stays free to drive the database connections made on it.
    let measured =
        tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<(Target, Measured)>> {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut results = Vec::new();
                for target in targets {
                    let measured = load(&target, Duration::from_secs(seconds)).await?;
                    results.push((target, measured));
                }
                Ok(results)
            })
        })
        .await??;

    let ceiling_rate = measured[0].1.requests_per_second;
    println!(
        "\n{} connections ({} for search), {seconds} s per target, rotating over {} roles\n",
        args.connections,
        (args.connections / 2).max(1),
        slugs.len()
    );
    println!("| target | req/s | p50 | p99 | × ceiling | failures |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (target, result) in &measured {
        println!(
            "| {} | {:.0} | {:.1} ms | {:.1} ms | {:.2} | {} |",
            target.name,
            result.requests_per_second,
            result.p50.as_secs_f64() * 1000.0,
            result.p99.as_secs_f64() * 1000.0,
            result.requests_per_second / ceiling_rate,
            result.failures
        );
    }
    if let Some((_, normalized)) = measured.last() {
        println!(
            "\ntitle normalization: {:.0} titles/s ({} titles a request)",
            normalized.requests_per_second * TITLES_PER_BATCH as f64,
            TITLES_PER_BATCH
        );
    }
    if let Some(mut cluster) = cluster {
        cluster.stop();
    }
    Ok(())
}

/// A body of 500 titles, cycling through those of `file`.
fn title_batch(file: &Path) -> anyhow::Result<bytes::Bytes> {
    #[derive(serde::Deserialize)]
    struct Titles {
        title: Vec<Row>,
    }
    #[derive(serde::Deserialize)]
    struct Row {
        text: String,
    }
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let titles: Titles = toml::from_str(&text)?;
    anyhow::ensure!(!titles.title.is_empty(), "{} has no titles", file.display());
    let batch: Vec<&str> = titles
        .title
        .iter()
        .map(|row| row.text.as_str())
        .cycle()
        .take(TITLES_PER_BATCH)
        .collect();
    Ok(serde_json::to_vec(&serde_json::json!({ "titles": batch }))?.into())
}

/// Keeps `target.connections` requests in flight for `duration` (after a
/// second of warm-up) and times each.
async fn load(target: &Target, duration: Duration) -> anyhow::Result<Measured> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(target.connections)
        .build()?;
    let requests = Arc::new(target.requests.clone());
    let body = target.body.clone();
    let warm_up = Instant::now() + Duration::from_secs(1);
    let end = warm_up + duration;
    let mut workers = Vec::new();
    for worker in 0..target.connections {
        let (client, requests, body) = (client.clone(), requests.clone(), body.clone());
        workers.push(tokio::spawn(async move {
            let mut timings = Vec::new();
            let mut failures = 0;
            let mut next = worker;
            loop {
                let started = Instant::now();
                if started >= end {
                    break;
                }
                let (url, etag) = &requests[next % requests.len()];
                next += 7;
                let mut request = match &body {
                    Some(body) => client
                        .post(url)
                        .header("content-type", "application/json")
                        .body(body.clone()),
                    None => client.get(url),
                };
                if let Some(etag) = etag {
                    request = request.header("if-none-match", etag);
                }
                let ok = match request.send().await {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        response.bytes().await.is_ok() && matches!(status, 200 | 304)
                    }
                    Err(_) => false,
                };
                if started >= warm_up {
                    if ok {
                        timings.push(started.elapsed());
                    } else {
                        failures += 1;
                    }
                }
            }
            (timings, failures)
        }));
    }
    let mut timings = Vec::new();
    let mut failures = 0;
    for worker in workers {
        let (mut worker_timings, worker_failures) = worker.await?;
        timings.append(&mut worker_timings);
        failures += worker_failures;
    }
    timings.sort();
    let percentile = |p: f64| {
        timings
            .get(((timings.len() as f64 * p) as usize).min(timings.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Measured {
        requests_per_second: timings.len() as f64 / duration.as_secs_f64(),
        p50: percentile(0.50),
        p99: percentile(0.99),
        failures,
    })
}

/// The framework's ceiling: a handler with nothing to do but answer bytes.
fn start_ceiling(size: usize) -> anyhow::Result<String> {
    let body = web::Bytes::from(
        std::iter::once(b'"')
            .chain(std::iter::repeat_n(b'x', size.saturating_sub(2)))
            .chain(std::iter::once(b'"'))
            .collect::<Vec<u8>>(),
    );
    let server = HttpServer::new(move || {
        let body = body.clone();
        App::new().route(
            "/document",
            web::get().to(move || {
                let body = body.clone();
                async move {
                    HttpResponse::Ok()
                        .content_type("application/json")
                        .body(body)
                }
            }),
        )
    })
    .bind("127.0.0.1:0")?;
    let address = server.addrs()[0];
    actix_web::rt::spawn(server.disable_signals().run());
    Ok(format!("http://{address}"))
}

async fn role_slugs(client: &reqwest::Client, base: &str) -> anyhow::Result<Vec<String>> {
    let mut slugs = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(cursor) => format!("{base}/roles?limit=100&cursor={cursor}"),
            None => format!("{base}/roles?limit=100"),
        };
        let page: serde_json::Value = client.get(url).send().await?.json().await?;
        for role in page["items"].as_array().context("a page of roles")? {
            slugs.push(role["slug"].as_str().context("a slug")?.to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    anyhow::ensure!(!slugs.is_empty(), "the service has no roles");
    Ok(slugs)
}

/// A service on a private cluster, loaded like a fresh `rolebase serve` plus
/// the national wages.
async fn start_service(
    data_dir: &Path,
    wages: &Path,
    uncached: bool,
) -> anyhow::Result<(EmbeddedCluster, String)> {
    let dir = data_dir.to_owned();
    let cluster = tokio::task::spawn_blocking(move || {
        EmbeddedCluster::start_or_attach(&dir, Durability::Safe)
    })
    .await??;
    database::create_database_if_missing(&cluster.config("postgres"), "rolebase").await?;
    let config = cluster.config("rolebase");
    let pool = database::pool(config.clone());
    database::migrate(&pool).await?;
    let knowledge_base = KnowledgeBase::parse(&read_files(&KnowledgeBaseSource::BuiltIn)?)?;
    storage::knowledge_base::load(&mut *pool.get().await?, &knowledge_base).await?;
    let rows = oews::read(wages, &oews::Progress::quiet())
        .with_context(|| format!("could not read {}", wages.display()))?;
    storage::oews::import(
        &mut *pool.get().await?,
        &oews::Release::parse("2025A01", None)?,
        &rows,
        &oews::Progress::quiet(),
    )
    .await?;
    let documents = if uncached {
        RoleDocuments::disabled()
    } else {
        let documents = RoleDocuments::new(documents::DEFAULT_CAPACITY_BYTES);
        documents::listen(config, documents.clone());
        while !documents.is_live() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        documents
    };
    // The load comes from one address, far past a client's quota: the limit
    // is checked on every request (its cost is measured) but never reached.
    let settings = HttpSettings {
        rate_limits: RateLimitSettings {
            per_address: u32::MAX,
            per_key: u32::MAX,
        },
        ..HttpSettings::default()
    };
    let application = Application::build("127.0.0.1:0", pool, documents, &settings)?;
    let base = format!("http://127.0.0.1:{}", application.port());
    actix_web::rt::spawn(application.run_until_stopped());
    Ok((cluster, base))
}
