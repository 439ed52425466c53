//! Building the HTTP server on a pool, so that tests can run it on port 0.

use crate::documents::RoleDocuments;
use crate::http;
use crate::settings::HttpSettings;
use actix_web::{
    App, HttpMessage, HttpServer,
    dev::{Server, Service},
    http::{
        Method,
        header::{HeaderName, HeaderValue},
    },
    middleware, web,
};
use deadpool_postgres::Pool;
use std::net::TcpListener;
use std::sync::Arc;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub struct Application {
    server: Server,
    port: u16,
}

impl Application {
    /// Binds `address` (`host:port`; port 0 picks a free one) and prepares the
    /// server; nothing is served until `run_until_stopped`. Role documents are
    /// served from `documents` while it listens for changes (see `documents`).
    pub fn build(
        address: &str,
        pool: Pool,
        documents: Arc<RoleDocuments>,
        settings: &HttpSettings,
    ) -> std::io::Result<Self> {
        Self::build_with_metrics(address, pool, documents, settings, http::Metrics::new())
    }

    /// `build`, reporting on `metrics` (which may count more than requests:
    /// the restarts of the embedded cluster, for one).
    pub fn build_with_metrics(
        address: &str,
        pool: Pool,
        documents: Arc<RoleDocuments>,
        settings: &HttpSettings,
        metrics: http::Metrics,
    ) -> std::io::Result<Self> {
        let settings = settings.clone();
        let grace = settings.shutdown_grace_secs;
        let listener = TcpListener::bind(address)?;
        let port = listener.local_addr()?.port();
        let pool = web::Data::new(pool);
        let documents = web::Data::from(documents);
        let metrics = web::Data::new(metrics);
        let outages = web::Data::new(http::DatabaseOutages::default());
        let titles = web::Data::new(http::TitleCatalogue::default());
        let rate_limits = http::RateLimits::new(&settings.rate_limits);
        rate_limits.forget_idle_clients();
        let rate_limits = web::Data::from(rate_limits);
        let proxying = web::Data::new(http::Proxying::new(&settings.proxy));
        // Built and serialized once, not once per worker.
        let openapi = web::Data::new(http::OpenApiDocument::new(&http::openapi()));
        let server = HttpServer::new(move || {
            App::new()
                .wrap_fn(|mut request, service| {
                    // HEAD is GET without the body: the connection already knows
                    // not to send one, so the GET routes can answer it.
                    if request.method() == Method::HEAD {
                        request.head_mut().method = Method::GET;
                    }
                    service.call(request)
                })
                .wrap(middleware::from_fn(http::deadline))
                .wrap(middleware::from_fn(http::conditional_get))
                .wrap(middleware::from_fn(http::normalize_query))
                .wrap(middleware::from_fn(http::compress))
                .wrap(middleware::from_fn(http::rate_limit))
                .wrap(http::cors(
                    &settings.cors,
                    settings.proxy.public_url.as_ref(),
                ))
                .wrap(middleware::from_fn(http::cors_problems))
                .wrap(middleware::from_fn(http::security_headers))
                .wrap(middleware::from_fn(http::behind_proxy))
                .wrap(middleware::from_fn(http::watch_database))
                .wrap(middleware::from_fn(http::record_requests))
                .wrap_fn(|request, service| {
                    // TracingLogger gives every request an id; hand it to the client
                    // so that a report of a failure can be matched to its log line.
                    // Outside every other layer, so that their answers carry it too.
                    let id = request.extensions().get::<RequestId>().copied();
                    let response = service.call(request);
                    async move {
                        let mut response = response.await?;
                        if let Some(value) =
                            id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok())
                        {
                            response.headers_mut().insert(REQUEST_ID, value);
                        }
                        Ok(response)
                    }
                })
                .wrap(TracingLogger::<crate::telemetry::RequestSpan>::new())
                .app_data(pool.clone())
                .app_data(documents.clone())
                .app_data(metrics.clone())
                .app_data(outages.clone())
                .app_data(titles.clone())
                .app_data(rate_limits.clone())
                .app_data(http::Deadline::after(settings.database_timeout()))
                .app_data(proxying.clone())
                .configure(http::extractor_configs)
                .into_utoipa_app()
                .configure(http::configure)
                .into_app()
                .app_data(openapi.clone())
                .route("/openapi.json", web::get().to(http::openapi_document))
                // Relative to the page, so that it holds under a proxy's prefix too.
                .service(
                    SwaggerUi::new("/swagger-ui/{_:.*}")
                        .config(utoipa_swagger_ui::Config::new(["../openapi.json"])),
                )
                .route("/swagger-ui", web::get().to(http::swagger_ui_redirect))
                .default_service(web::to(http::no_route))
        })
        .listen(listener)?
        // Signals are the caller's: `serve` drains requests on SIGINT and SIGTERM alike.
        .disable_signals()
        .shutdown_timeout(grace)
        .run();
        Ok(Self { server, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped through `handle`.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT (Ctrl-C) or SIGTERM, then stops accepting,
    /// answers the requests under way, each with `Connection: close` (actix
    /// drains keep-alive connections so, closing idle ones at once), and
    /// returns once every connection is closed or the grace period is over.
    pub async fn run_until_signalled(self) -> std::io::Result<()> {
        let handle = self.handle();
        actix_web::rt::spawn(async move {
            wait_for_signal().await;
            tracing::info!("stopping: answering the requests under way, closing connections");
            handle.stop(true).await;
        });
        self.server.await
    }
}

async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
