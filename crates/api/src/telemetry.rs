//! Logging: `RUST_LOG` (or `--log-level`) filters, output goes to stderr.

use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
};
use std::io::IsTerminal;
use tracing::{Span, field::Empty};
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|error| {
        eprintln!("ignoring the log filter `{filter}` ({error}); using `info`");
        EnvFilter::new("info")
    });
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours for people at a terminal, plain lines for log files.
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// The span every request runs in: what a log line about it needs (method,
/// path, request id, outcome) and nothing more. The span's fields are
/// formatted for every request whether or not anything is logged in it, so
/// the default's dozen (user agent, host, client address, …) cost every read.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request.extensions().get::<RequestId>().copied();
        tracing::info_span!(
            "request",
            method = %request.method(),
            path = %request.path(),
            request_id = request_id.map(tracing::field::display),
            // Filled in when the request ends (see `on_request_end`).
            http.status_code = Empty,
            otel.status_code = Empty,
            exception.message = Empty,
            exception.details = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
