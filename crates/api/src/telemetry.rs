//! Logging: `RUST_LOG` (or `--log-level`) filters, output goes to stderr,
//! as text or as JSON lines (`--log-format`).

use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
};
use std::io::IsTerminal;
use tracing::{Event, Level, Metadata, Span, Subscriber, field::Empty};
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};
use tracing_subscriber::{
    EnvFilter, Layer,
    layer::{Context, Filter, SubscriberExt},
    util::SubscriberInitExt,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

pub fn init(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|error| {
        eprintln!("ignoring the log filter `{filter}` ({error}); using `info`");
        EnvFilter::new("info")
    });
    let output = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let output = match format {
        // Colours for people at a terminal, plain lines for log files.
        LogFormat::Text => output
            .with_ansi(std::io::stderr().is_terminal())
            .with_filter(ClientStreamErrors)
            .boxed(),
        // One object per line: the event's fields flattened beside its
        // message, the request's span (method, path, request id) under `span`.
        LogFormat::Json => output
            .json()
            .flatten_event(true)
            .with_filter(ClientStreamErrors)
            .boxed(),
    };
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(output)
        .with(ClientStreamErrors)
        .try_init();
}

/// actix-http logs each malformed request a client sends, and each
/// connection a client drops mid-request, as `ERROR stream error: …`: the
/// client's fault, which at ERROR buries the service's own. This keeps those
/// lines out of the output (as a filter) and says the same at INFO (as a
/// layer).
struct ClientStreamErrors;

/// The text of an actix-http stream error a client caused, if `event` is one.
fn client_stream_error(event: &Event<'_>) -> Option<String> {
    let metadata = event.metadata();
    if *metadata.level() != Level::ERROR || !metadata.target().starts_with("actix_http::h1") {
        return None;
    }
    let mut message = Message(String::new());
    event.record(&mut message);
    let detail = message.0.strip_prefix("stream error: ")?;
    (detail.starts_with("request parse error") || detail.starts_with("I/O error"))
        .then(|| detail.to_owned())
}

struct Message(String);

impl tracing::field::Visit for Message {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S> Filter<S> for ClientStreamErrors {
    fn enabled(&self, _: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        true
    }

    fn event_enabled(&self, event: &Event<'_>, _: &Context<'_, S>) -> bool {
        client_stream_error(event).is_none()
    }
}

impl<S: Subscriber> Layer<S> for ClientStreamErrors {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if let Some(error) = client_stream_error(event) {
            tracing::info!(%error, "refused a malformed request, or lost its client mid-request");
        }
    }
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
