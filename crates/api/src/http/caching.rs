//! Conditional GETs for every read: a short shared-cache lifetime, and 304
//! when the client's copy is current. Role reads tag themselves from the
//! role's version (and answer their own 304s before rendering); for the reads
//! that have no version (lists, search) the tag is a digest of the body, and
//! the whole response is kept in memory until the next change (see
//! `documents`).

use crate::documents::{CachedResponse, RoleDocuments};
use actix_web::web;
use actix_web::{
    Error, HttpResponse,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        Method, StatusCode,
        header::{self, HeaderMap, HeaderValue},
    },
    middleware::Next,
};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Job boards poll; a minute of shared caching spares the service most of it.
pub const CACHE_CONTROL: &str = "public, max-age=60";

/// The reads whose whole response is kept until the next change: lists,
/// search, comparisons and routes, the catalogue and the wage data. (Role
/// reads keep their own documents; the change feed, health and `/meta` are
/// never kept.)
fn kept_whole(path: &str) -> bool {
    matches!(
        path,
        "/roles" | "/search" | "/roles/compare" | "/career-paths" | "/families" | "/sources"
    ) || ["/skills", "/occupations", "/areas"]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}

pub async fn conditional_get(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let cacheable_method = matches!(*request.method(), Method::GET | Method::HEAD);
    let if_none_match = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let kept = (cacheable_method && kept_whole(request.path()))
        .then(|| request.app_data::<web::Data<RoleDocuments>>().cloned())
        .flatten()
        .map(|documents| (documents, request.uri().to_string()));
    if let Some((documents, uri)) = &kept
        && let Some(response) = documents.response(uri)
    {
        let answer = answer_kept(&response, if_none_match.as_deref());
        return Ok(request.into_response(answer));
    }
    let epoch = kept.as_ref().map(|(documents, _)| documents.epoch());
    let response = next.call(request).await?.map_into_boxed_body();
    // Responses that set their own cache policy (health checks) are left alone.
    if !cacheable_method
        || response.status() != StatusCode::OK
        || response.headers().contains_key(header::CACHE_CONTROL)
    {
        return Ok(response);
    }
    if response.headers().contains_key(header::ETAG) {
        let mut response = response;
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
        return Ok(response);
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.map_err(|_| {
        actix_web::error::ErrorInternalServerError("could not read the response body")
    })?;
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&bytes)[..16]));
    let headers = head.headers_mut();
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("hex digits are a valid header value"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    if let (Some((documents, uri)), Some(epoch)) = (&kept, epoch) {
        let headers = head
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        let response = CachedResponse {
            headers,
            body: bytes.clone(),
        };
        documents.keep_response(epoch, uri, Arc::new(response));
    }
    if if_none_match.is_some_and(|tags| matches_any(&tags, &etag)) {
        let mut not_modified = HttpResponse::NotModified();
        copy_validators(head.headers(), &mut not_modified);
        return Ok(ServiceResponse::new(request, not_modified.finish()));
    }
    Ok(ServiceResponse::new(
        request,
        head.set_body(BoxBody::new(bytes)),
    ))
}

/// A kept response, or its 304 when the client's copy is it.
fn answer_kept(kept: &CachedResponse, if_none_match: Option<&str>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    for (name, value) in &kept.headers {
        response.append_header((name.as_str(), value.as_str()));
    }
    let current = kept
        .headers
        .iter()
        .find(|(name, _)| name == "etag")
        .zip(if_none_match)
        .is_some_and(|((_, etag), tags)| matches_any(tags, etag));
    if current {
        let mut not_modified = HttpResponse::NotModified();
        for (name, value) in &kept.headers {
            if ["etag", "cache-control", "last-modified", "vary"].contains(&name.as_str()) {
                not_modified.append_header((name.as_str(), value.as_str()));
            }
        }
        return not_modified.finish();
    }
    response.body(kept.body.clone())
}

/// `If-None-Match` compares weakly (RFC 9110 §13.1.2): `W/"x"` matches `"x"`.
pub(crate) fn matches_any(if_none_match: &str, etag: &str) -> bool {
    if_none_match.trim() == "*"
        || if_none_match
            .split(',')
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == etag)
}

/// A 304 carries the headers a 200 would have for caches to refresh.
pub(crate) fn copy_validators(from: &HeaderMap, to: &mut actix_web::HttpResponseBuilder) {
    for name in [
        header::ETAG,
        header::CACHE_CONTROL,
        header::LAST_MODIFIED,
        header::VARY,
    ] {
        if let Some(value) = from.get(&name) {
            to.insert_header((name, value.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::matches_any;

    #[test]
    fn if_none_match_lists_are_compared_weakly() {
        assert!(matches_any("\"abc\"", "\"abc\""));
        assert!(matches_any("W/\"abc\"", "\"abc\""));
        assert!(matches_any("\"x\", \"abc\"", "\"abc\""));
        assert!(matches_any("*", "\"abc\""));
        assert!(!matches_any("\"abd\"", "\"abc\""));
        assert!(!matches_any("abc", "\"abc\""));
    }
}
