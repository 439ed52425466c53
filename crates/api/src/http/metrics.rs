//! `GET /metrics`: what operators graph and alert on, in Prometheus' text
//! format. Requests and their latency by route, method and status; the
//! connection pool (size, idle, waiting); whether the database answers; how
//! often role documents and kept responses are served from memory. Each
//! service has its own registry, so several in one process never mix.

use super::{DatabaseOutages, RateLimits};
use crate::documents::RoleDocuments;
use crate::storage;
use actix_web::{
    Error, HttpResponse,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    get,
    http::header,
    middleware::Next,
    web,
};
use deadpool_postgres::Pool;
use prometheus::{
    Encoder, GaugeVec, HistogramOpts, HistogramVec, IntCounter, IntGauge, Opts, Registry,
    TextEncoder,
};
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

pub const TAG: &str = "health";

/// Latency buckets, in seconds: from a cached read to a request at its deadline.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How long a scrape waits for the database to say it is up.
const DATABASE_PROBE: Duration = Duration::from_secs(1);

pub struct Metrics {
    registry: Registry,
    requests: HistogramVec,
    pool_size: IntGauge,
    pool_idle: IntGauge,
    pool_waiting: IntGauge,
    pool_max: IntGauge,
    database_up: IntGauge,
    document_hits: IntCounter,
    document_misses: IntCounter,
    response_hits: IntCounter,
    response_misses: IntCounter,
    refused: IntCounter,
    rate_limited: IntCounter,
    import_seconds: GaugeVec,
    imported_at: GaugeVec,
    /// The embedded cluster's restarts, as its supervisor counts them.
    cluster_restarts: Option<(IntCounter, Arc<AtomicU64>)>,
    /// Held while a scrape moves the counters up to the totals kept
    /// elsewhere: two scrapes at once would both add the same difference.
    catching_up: std::sync::Mutex<()>,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = HistogramVec::new(
            HistogramOpts::new(
                "rolebase_http_request_duration_seconds",
                "Time to answer a request, by route template, method and status",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["route", "method", "status"],
        )
        .expect("a valid histogram");
        let gauge = |name: &str, help: &str| IntGauge::new(name, help).expect("a valid gauge");
        let counter = |name: &str, help: &str| {
            IntCounter::with_opts(Opts::new(name, help)).expect("a valid counter")
        };
        let metrics = Self {
            requests,
            pool_size: gauge("rolebase_db_pool_connections", "Connections the pool holds"),
            pool_idle: gauge(
                "rolebase_db_pool_idle_connections",
                "Connections ready for a request",
            ),
            pool_waiting: gauge(
                "rolebase_db_pool_waiting_requests",
                "Requests waiting for a connection",
            ),
            pool_max: gauge(
                "rolebase_db_pool_max_connections",
                "Connections the pool may open",
            ),
            database_up: gauge(
                "rolebase_database_up",
                "1 when the database answered the scrape's query within 1 s",
            ),
            document_hits: counter(
                "rolebase_document_cache_hits_total",
                "Role reads answered from memory",
            ),
            document_misses: counter(
                "rolebase_document_cache_misses_total",
                "Role reads that went to the database",
            ),
            response_hits: counter(
                "rolebase_response_cache_hits_total",
                "Reads spanning roles answered from memory",
            ),
            response_misses: counter(
                "rolebase_response_cache_misses_total",
                "Reads spanning roles that went to the database",
            ),
            refused: counter(
                "rolebase_database_refused_requests_total",
                "Requests answered 503 because the database did not answer",
            ),
            rate_limited: counter(
                "rolebase_rate_limited_requests_total",
                "Requests answered 429 because their client's quota was used up",
            ),
            import_seconds: GaugeVec::new(
                Opts::new(
                    "rolebase_wage_import_duration_seconds",
                    "How long the import of each wage release took in the database",
                ),
                &["release"],
            )
            .expect("a valid gauge"),
            imported_at: GaugeVec::new(
                Opts::new(
                    "rolebase_wage_import_timestamp_seconds",
                    "When each wage release was last imported (Unix time)",
                ),
                &["release"],
            )
            .expect("a valid gauge"),
            cluster_restarts: None,
            catching_up: std::sync::Mutex::default(),
            registry,
        };
        for collector in [
            Box::new(metrics.requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(metrics.pool_size.clone()),
            Box::new(metrics.pool_idle.clone()),
            Box::new(metrics.pool_waiting.clone()),
            Box::new(metrics.pool_max.clone()),
            Box::new(metrics.database_up.clone()),
            Box::new(metrics.document_hits.clone()),
            Box::new(metrics.document_misses.clone()),
            Box::new(metrics.response_hits.clone()),
            Box::new(metrics.response_misses.clone()),
            Box::new(metrics.refused.clone()),
            Box::new(metrics.rate_limited.clone()),
            Box::new(metrics.import_seconds.clone()),
            Box::new(metrics.imported_at.clone()),
        ] {
            metrics
                .registry
                .register(collector)
                .expect("each metric is registered once");
        }
        metrics
    }

    /// Also reports how many times the embedded cluster was started again.
    pub fn with_cluster_restarts(mut self, restarts: Arc<AtomicU64>) -> Self {
        let counter = IntCounter::new(
            "rolebase_embedded_cluster_restarts_total",
            "Times the embedded PostgreSQL cluster stopped and was started again",
        )
        .expect("a valid counter");
        self.registry
            .register(Box::new(counter.clone()))
            .expect("registered once");
        self.cluster_restarts = Some((counter, restarts));
        self
    }

    fn observe(&self, route: &str, method: &str, status: &str, took: Duration) {
        self.requests
            .with_label_values(&[route, method, status])
            .observe(took.as_secs_f64());
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Times every request, labelled by its route's template (`/roles/{id}`,
/// never the slug, so that the series stay few).
pub async fn record_requests(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let metrics = request.app_data::<web::Data<Metrics>>().cloned();
    // Read before the call: a request answered by an error (past its
    // deadline) keeps its route.
    let route = request.match_pattern();
    let method = request.method().clone();
    let started = Instant::now();
    let outcome = next.call(request).await;
    if let Some(metrics) = metrics {
        let status = match &outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        metrics.observe(
            route.as_deref().unwrap_or("unmatched"),
            method.as_str(),
            status.as_str(),
            started.elapsed(),
        );
    }
    Ok(outcome?.map_into_boxed_body())
}

/// Metrics
///
/// The service's metrics in the Prometheus text format (version 0.0.4), for
/// a Prometheus server to scrape.
#[utoipa::path(
    tag = TAG,
    responses((status = 200, description = "The metrics", content_type = "text/plain; version=0.0.4", body = String))
)]
#[get("/metrics")]
pub async fn scrape_metrics(
    metrics: web::Data<Metrics>,
    pool: web::Data<Pool>,
    documents: web::Data<RoleDocuments>,
    outages: web::Data<DatabaseOutages>,
    rate_limits: web::Data<RateLimits>,
) -> HttpResponse {
    // One query answers both: whether the database is up, and what the
    // wage imports took.
    let imports = tokio::time::timeout(DATABASE_PROBE, async {
        let client = pool.get().await.ok()?;
        storage::oews::import_times(&client).await.ok()
    })
    .await
    .ok()
    .flatten();
    let up = imports.is_some();
    for (release, at, seconds) in imports.unwrap_or_default() {
        metrics
            .import_seconds
            .with_label_values(&[release.as_str()])
            .set(seconds);
        metrics
            .imported_at
            .with_label_values(&[release.as_str()])
            .set(at);
    }
    metrics.database_up.set(i64::from(up));
    // After the probe, which may have opened the first connection.
    let status = pool.status();
    metrics.pool_size.set(status.size as i64);
    metrics.pool_idle.set(status.available as i64);
    metrics.pool_waiting.set(status.waiting as i64);
    metrics.pool_max.set(status.max_size as i64);
    let counts = documents.counts();
    let _one_scrape = metrics
        .catching_up
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    catch_up(&metrics.document_hits, counts.document_hits);
    catch_up(&metrics.document_misses, counts.document_misses);
    catch_up(&metrics.response_hits, counts.response_hits);
    catch_up(&metrics.response_misses, counts.response_misses);
    catch_up(&metrics.refused, outages.refused_total());
    catch_up(&metrics.rate_limited, rate_limits.refused_total());
    if let Some((counter, restarts)) = &metrics.cluster_restarts {
        catch_up(counter, restarts.load(Ordering::Relaxed));
    }

    let mut body = Vec::new();
    let encoder = TextEncoder::new();
    if let Err(error) = encoder.encode(&metrics.registry.gather(), &mut body) {
        tracing::error!(%error, "the metrics did not encode");
    }
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, encoder.format_type()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

/// Moves `counter` up to `total`, a count kept elsewhere.
fn catch_up(counter: &IntCounter, total: u64) {
    counter.inc_by(total.saturating_sub(counter.get()));
}
