//! gzip for text bodies (JSON, JSON-LD, Markdown, HTML) large enough to gain from it, negotiated with
//! `Accept-Encoding`. A body is compressed once per entity tag: the same tag
//! names the same bytes, so repeated reads (cached documents above all) reuse
//! the compressed copy.

use actix_web::{
    Error,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        StatusCode,
        header::{self, HeaderValue},
    },
    middleware::Next,
    web::Bytes,
};
use flate2::{Compression, write::GzEncoder};
use moka::sync::Cache;
use std::io::Write;
use std::sync::OnceLock;

/// Below this a body gains too little (it fits in one packet either way) to
/// pay for the compression and the client's decompression.
pub const MIN_COMPRESSED_BYTES: usize = 1024;

/// The media types the service writes as text: JSON, and the documents job
/// boards publish.
const COMPRESSIBLE: [&str; 5] = [
    "application/json",
    "application/problem+json",
    "application/ld+json",
    "text/markdown",
    "text/html",
];

/// Compressed bodies kept by entity tag.
fn compressed_by_tag() -> &'static Cache<String, Bytes> {
    static CACHE: OnceLock<Cache<String, Bytes>> = OnceLock::new();
    CACHE.get_or_init(|| {
        Cache::builder()
            .max_capacity(8 * 1024 * 1024)
            .weigher(|tag: &String, body: &Bytes| {
                u32::try_from(tag.len() + body.len()).unwrap_or(u32::MAX)
            })
            .build()
    })
}

/// Whether the client takes gzip (`gzip` or `*`, with a weight above 0).
fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|parameter| {
            parameter
                .trim()
                .strip_prefix("q=")
                .and_then(|weight| weight.trim().parse::<f32>().ok())
                == Some(0.0)
        });
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
}

fn gzip(body: &[u8]) -> std::io::Result<Bytes> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 4), Compression::fast());
    encoder.write_all(body)?;
    Ok(encoder.finish()?.into())
}

pub async fn compress(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let wants_gzip = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .is_some_and(accepts_gzip);
    let mut response = next.call(request).await?.map_into_boxed_body();
    let compressible = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| COMPRESSIBLE.iter().any(|text| kind.starts_with(text)));
    if !compressible || response.headers().contains_key(header::CONTENT_ENCODING) {
        return Ok(response);
    }
    // Whether or not this answer is compressed, another could be.
    super::negotiation::add_vary(response.headers_mut(), "accept-encoding");
    if !wants_gzip || response.status() != StatusCode::OK {
        return Ok(response);
    }
    let tag = response
        .headers()
        .get(header::ETAG)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.map_err(|_| {
        actix_web::error::ErrorInternalServerError("could not read the response body")
    })?;
    if bytes.len() < MIN_COMPRESSED_BYTES {
        return Ok(ServiceResponse::new(
            request,
            head.set_body(BoxBody::new(bytes)),
        ));
    }
    let cached = tag.as_ref().and_then(|tag| compressed_by_tag().get(tag));
    let compressed = match cached {
        Some(compressed) => compressed,
        None => {
            let compressed = gzip(&bytes).map_err(actix_web::error::ErrorInternalServerError)?;
            if let Some(tag) = tag {
                compressed_by_tag().insert(tag, compressed.clone());
            }
            compressed
        }
    };
    head.headers_mut()
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    Ok(ServiceResponse::new(
        request,
        head.set_body(BoxBody::new(compressed)),
    ))
}

#[cfg(test)]
mod tests {
    use super::accepts_gzip;

    #[test]
    fn gzip_is_taken_unless_weighed_zero() {
        assert!(accepts_gzip("gzip"));
        assert!(accepts_gzip("br, gzip;q=0.8"));
        assert!(accepts_gzip("GZIP"));
        assert!(accepts_gzip("*"));
        assert!(!accepts_gzip("identity"));
        assert!(!accepts_gzip("gzip;q=0"));
        assert!(!accepts_gzip("gzip; q=0.000"));
        assert!(!accepts_gzip("br"));
    }
}
