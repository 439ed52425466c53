//! Cross-origin reads and writes (CORS), for job boards' browser front-ends:
//! every origin may read; only the origins an operator lists may write.
//! Preflights are answered before routing, and a refused one is a problem
//! like any other error.

use super::{ApiError, Code};
use crate::settings::CorsSettings;
use actix_cors::Cors;
use actix_web::{
    Error, ResponseError,
    body::{BoxBody, MessageBody},
    dev::{RequestHead, ServiceRequest, ServiceResponse},
    http::{Method, StatusCode, header},
    middleware::Next,
};
use std::collections::HashSet;

/// How long a browser may keep a preflight's answer.
const PREFLIGHT_MAX_AGE_SECONDS: usize = 3600;

/// `public_url`, when set, is where Swagger UI is served to browsers (see
/// `proxy`): its origin writes as the service's own pages do.
pub fn cors(settings: &CorsSettings, public_url: Option<&url::Url>) -> Cors {
    let writers: HashSet<String> = settings
        .write_origins
        .iter()
        .map(|origin| origin.trim().trim_end_matches('/').to_owned())
        .chain(public_url.map(|url| url.origin().ascii_serialization()))
        .filter(|origin| !origin.is_empty())
        .collect();
    Cors::default()
        .allowed_origin_fn(move |origin, head| {
            let Ok(origin) = origin.to_str() else {
                return false;
            };
            reads_only(head) || same_origin(origin, head) || writers.contains(origin)
        })
        .allowed_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allowed_headers([
            header::ACCEPT,
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::LAST_MODIFIED,
            header::LINK,
            header::LOCATION,
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
            header::HeaderName::from_static("ratelimit"),
            header::HeaderName::from_static("ratelimit-policy"),
        ])
        .max_age(PREFLIGHT_MAX_AGE_SECONDS)
        // A write from a page on an unlisted origin is refused, not just
        // left unreadable; a client that sends no `Origin` is no browser.
        .block_on_origin_mismatch(true)
}

/// Whether a page of this service sent it (Swagger UI: browsers send `Origin`
/// with every write, same-origin ones included).
fn same_origin(origin: &str, head: &RequestHead) -> bool {
    let host = head
        .headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, host)| host);
    host.is_some() && origin_host == host
}

/// Whether the request (or, for a preflight, the request it announces) only
/// reads. Normalizing titles is a read sent as POST (its batch is a body).
fn reads_only(head: &RequestHead) -> bool {
    let method = if head.method == Method::OPTIONS {
        head.headers
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<Method>().ok())
    } else {
        Some(head.method.clone())
    };
    match method {
        Some(Method::GET | Method::HEAD) => true,
        Some(Method::POST) => head.uri.path() == "/normalize/titles",
        _ => false,
    }
}

/// Wraps `cors`: its refusals, plain text, become problems.
pub async fn cors_problems(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let cross_origin = request.headers().contains_key(header::ORIGIN);
    let response = next.call(request).await?.map_into_boxed_body();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|kind| !kind.as_bytes().starts_with(b"application/"));
    if !cross_origin || response.status() != StatusCode::BAD_REQUEST || !plain {
        return Ok(response);
    }
    let (request, response) = response.into_parts();
    let reason = actix_web::body::to_bytes(response.into_body())
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    let error = if reason.starts_with("Origin is not allowed") {
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("this origin");
        let method = match request.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD) {
            Some(announced) => announced.to_str().unwrap_or("these").to_owned(),
            None => request.method().to_string(),
        };
        ApiError::new(
            Code::OriginNotAllowed,
            format!("pages on {origin} may read, not send {method} requests"),
        )
    } else {
        ApiError::new(
            Code::BadRequest,
            format!("cross-origin request refused: {reason}"),
        )
    };
    Ok(ServiceResponse::new(request, error.error_response()))
}
