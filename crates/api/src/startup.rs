//! Building the HTTP server on a pool, so that tests can run it on port 0.

use crate::http;
use actix_web::{
    App, HttpMessage, HttpServer,
    dev::{Server, Service},
    http::header::{HeaderName, HeaderValue},
    middleware, web,
};
use deadpool_postgres::Pool;
use std::net::TcpListener;
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
    /// server; nothing is served until `run_until_stopped`.
    pub fn build(address: &str, pool: Pool) -> std::io::Result<Self> {
        let listener = TcpListener::bind(address)?;
        let port = listener.local_addr()?.port();
        let pool = web::Data::new(pool);
        let server = HttpServer::new(move || {
            App::new()
                .wrap_fn(|request, service| {
                    // TracingLogger gives every request an id; hand it to the client
                    // so that a report of a failure can be matched to its log line.
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
                .wrap(middleware::from_fn(http::conditional_get))
                .wrap(TracingLogger::default())
                .app_data(pool.clone())
                .configure(http::extractor_configs)
                .into_utoipa_app()
                .openapi(http::base_document())
                .configure(http::configure)
                .openapi_service(|document| {
                    SwaggerUi::new("/swagger-ui/{_:.*}")
                        .url("/openapi.json", http::finish_document(document))
                })
                .into_app()
                .route("/swagger-ui", web::get().to(http::swagger_ui_redirect))
                .default_service(web::to(http::no_route))
        })
        .listen(listener)?
        .run();
        Ok(Self { server, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT, SIGTERM or SIGQUIT, then drains open requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
