//! Behind a reverse proxy: where the client reached this service, so that
//! what the service tells it to follow (`Location`, `Link`, the OpenAPI
//! document's server, and through it Swagger UI's calls) carries the prefix
//! the proxy serves it under, and so that rate limits count the client, not
//! the proxy.
//!
//! `--public-url` says it once for all requests. Otherwise a proxy listed in
//! `--trusted-proxies` may say it per request with `X-Forwarded-Prefix`, and
//! name the client with `Forwarded` (RFC 7239) or `X-Forwarded-For`. From
//! anyone else those headers are ignored: a client could claim any address.
//!
//! Handlers write paths from the root (`/roles/…`); the prefix is added to
//! the answer on its way out, so none can forget it, and kept answers (see
//! `caching`) hold no prefix.

use super::ApiError;
use crate::settings::ProxySettings;
use actix_web::{
    Error, HttpMessage,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderMap, HeaderName, HeaderValue},
    middleware::Next,
    web,
};
use ipnet::IpNet;
use std::net::IpAddr;

const X_FORWARDED_PREFIX: HeaderName = HeaderName::from_static("x-forwarded-prefix");
const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const MAX_PREFIX: usize = 200;

pub struct Proxying {
    /// `--public-url`: its path, and the whole URL.
    public: Option<(String, String)>,
    trusted: Vec<IpNet>,
}

/// How the client reached this request, as the client sees it.
#[derive(Debug, Clone)]
pub struct Reached {
    /// The path the service is served under (`/rolebase`), or empty.
    pub prefix: String,
    /// The OpenAPI document's server: the public URL, or the prefix (`/` for none).
    pub server: String,
    /// The client's address: the connection's, or what a trusted proxy says.
    pub client: Option<IpAddr>,
}

impl Proxying {
    pub fn new(settings: &ProxySettings) -> Self {
        Self {
            public: settings.public_url.as_ref().map(|url| {
                let prefix = url.path().trim_end_matches('/').to_owned();
                (prefix, url.as_str().trim_end_matches('/').to_owned())
            }),
            trusted: settings.trusted_proxies.clone(),
        }
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.trusted
            .iter()
            .any(|network| network.contains(&address))
    }
}

/// An IPv4 client on an IPv6 socket shows as `::ffff:a.b.c.d`.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

/// `X-Forwarded-Prefix`, checked: a path such as `/rolebase`.
fn forwarded_prefix(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get(X_FORWARDED_PREFIX) else {
        return Ok(String::new());
    };
    let refuse = |why: &str| {
        ApiError::invalid_field(
            "header.X-Forwarded-Prefix",
            "invalid_prefix",
            format!("X-Forwarded-Prefix {why}; the proxy should send a path such as /rolebase"),
        )
    };
    let prefix = value
        .to_str()
        .map_err(|_| refuse("is not ASCII"))?
        .trim()
        .trim_end_matches('/');
    if prefix.is_empty() {
        return Ok(String::new());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%/".contains(c);
    if !prefix.starts_with('/')
        || prefix.starts_with("//")
        || prefix.len() > MAX_PREFIX
        || !prefix.chars().all(allowed)
        || prefix.split('/').any(|segment| segment == "..")
    {
        return Err(refuse(&format!(
            "must be a path of at most {MAX_PREFIX} characters beginning with /"
        )));
    }
    Ok(prefix.to_owned())
}

/// The addresses `Forwarded`'s `for=` items report, the client's first;
/// hidden or unknown ones are `None`.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all(header::FORWARDED)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                name.eq_ignore_ascii_case("for").then_some(value)
            })
        })
        .map(node_address)
        .collect()
}

/// The addresses `X-Forwarded-For` reports, the client's first.
fn x_forwarded_for_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all(X_FORWARDED_FOR)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(node_address)
        .collect()
}

/// `192.0.2.60`, `"192.0.2.60:4711"`, `"[2001:db8::1]:4711"` → the address.
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    node.parse()
        .ok()
        .or_else(|| node.rsplit_once(':')?.0.parse().ok())
}

/// The client behind a trusted proxy: the last address of a chain that is
/// not itself a trusted proxy (the ones before it could be made up).
///
/// A proxy appends to one of the two headers and passes the other on as the
/// client sent it, and which one depends on the proxy. So when both are
/// there they must name the same client; otherwise one of them is the
/// client's own invention, and no client is named (its answers count
/// against the proxy's address).
fn client_behind(proxying: &Proxying, headers: &HeaderMap) -> Option<IpAddr> {
    let forwarded = forwarded_chain(headers);
    let x_forwarded_for = x_forwarded_for_chain(headers);
    match (forwarded.is_empty(), x_forwarded_for.is_empty()) {
        (true, true) => None,
        (false, true) => client_in(proxying, &forwarded),
        (true, false) => client_in(proxying, &x_forwarded_for),
        (false, false) => {
            let client = client_in(proxying, &forwarded);
            (client == client_in(proxying, &x_forwarded_for))
                .then_some(client)
                .flatten()
        }
    }
}

fn client_in(proxying: &Proxying, chain: &[Option<IpAddr>]) -> Option<IpAddr> {
    for node in chain.iter().rev() {
        match node {
            Some(address) if proxying.trusts(*address) => continue,
            Some(address) => return Some(canonical(*address)),
            None => return None,
        }
    }
    chain.first().copied().flatten().map(canonical)
}

/// `/roles/x` → `/rolebase/roles/x`; anything else is left alone.
fn prefixed(prefix: &str, value: &str) -> String {
    let mut out = String::with_capacity(value.len() + prefix.len());
    let mut rest = value;
    // In `Link`, every `<…>` target; in `Location`, the whole value.
    let is_link = value.starts_with('<');
    if !is_link {
        if value.starts_with('/') && !value.starts_with("//") {
            out.push_str(prefix);
        }
        out.push_str(value);
        return out;
    }
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        if rest.starts_with('/') && !rest.starts_with("//") {
            out.push_str(prefix);
        }
    }
    out.push_str(rest);
    out
}

pub async fn behind_proxy(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(proxying) = request.app_data::<web::Data<Proxying>>().cloned() else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    let peer = request.peer_addr().map(|address| canonical(address.ip()));
    let trusted = peer.is_some_and(|address| proxying.trusts(address));
    let prefix = match (&proxying.public, trusted) {
        (Some((prefix, _)), _) => prefix.clone(),
        (None, true) => match forwarded_prefix(request.headers()) {
            Ok(prefix) => prefix,
            Err(error) => return Ok(request.error_response(error)),
        },
        (None, false) => String::new(),
    };
    let server = match &proxying.public {
        Some((_, url)) => url.clone(),
        None if prefix.is_empty() => "/".to_owned(),
        None => prefix.clone(),
    };
    let client = if trusted {
        client_behind(&proxying, request.headers()).or(peer)
    } else {
        peer
    };
    request.extensions_mut().insert(Reached {
        prefix: prefix.clone(),
        server,
        client,
    });
    let mut response = next.call(request).await?.map_into_boxed_body();
    if !prefix.is_empty() {
        let headers = response.headers_mut();
        for name in [header::LOCATION, header::LINK, header::CONTENT_LOCATION] {
            let values: Vec<String> = headers
                .get_all(&name)
                .filter_map(|value| value.to_str().ok())
                .map(|value| prefixed(&prefix, value))
                .collect();
            if values.is_empty() {
                continue;
            }
            headers.remove(&name);
            for value in values {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    headers.append(name.clone(), value);
                }
            }
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_locations_from_the_root_get_the_prefix() {
        assert_eq!(
            prefixed("/rb", "</roles?cursor=x>; rel=\"next\""),
            "</rb/roles?cursor=x>; rel=\"next\""
        );
        assert_eq!(
            prefixed("/rb", "</a>; rel=\"next\", </b>; rel=\"prev\""),
            "</rb/a>; rel=\"next\", </rb/b>; rel=\"prev\""
        );
        assert_eq!(prefixed("/rb", "/roles/x"), "/rb/roles/x");
        assert_eq!(
            prefixed("/rb", "https://other.example/x"),
            "https://other.example/x"
        );
        assert_eq!(prefixed("/rb", "//other.example/x"), "//other.example/x");
    }

    #[test]
    fn the_client_is_the_last_untrusted_address_of_the_chain() {
        let proxying = Proxying {
            public: None,
            trusted: vec!["10.0.0.0/8".parse().unwrap()],
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            header::FORWARDED,
            HeaderValue::from_static(
                "for=198.51.100.7, for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.3",
            ),
        );
        assert_eq!(
            client_behind(&proxying, &headers),
            Some("2001:db8::1".parse().unwrap())
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            X_FORWARDED_FOR,
            HeaderValue::from_static("203.0.113.9, 10.1.2.3"),
        );
        assert_eq!(
            client_behind(&proxying, &headers),
            Some("203.0.113.9".parse().unwrap())
        );
        let mut headers = HeaderMap::new();
        headers.insert(header::FORWARDED, HeaderValue::from_static("for=_hidden"));
        assert_eq!(client_behind(&proxying, &headers), None);
    }

    #[test]
    fn a_header_the_proxy_passed_through_cannot_name_another_client() {
        let proxying = Proxying {
            public: None,
            trusted: vec!["10.0.0.0/8".parse().unwrap()],
        };
        // The proxy appended the client to X-Forwarded-For and passed the
        // client's own Forwarded on.
        let mut headers = HeaderMap::new();
        headers.insert(X_FORWARDED_FOR, HeaderValue::from_static("203.0.113.9"));
        headers.insert(
            header::FORWARDED,
            HeaderValue::from_static("for=198.51.100.1"),
        );
        assert_eq!(client_behind(&proxying, &headers), None);
        // Both written by proxies that agree.
        headers.insert(
            header::FORWARDED,
            HeaderValue::from_static("for=203.0.113.9"),
        );
        assert_eq!(
            client_behind(&proxying, &headers),
            Some("203.0.113.9".parse().unwrap())
        );
    }
}
