//! Choosing what to send from a request's `Accept` header.

use actix_web::{
    HttpRequest,
    http::header::{self, Accept, Header, HeaderMap, HeaderValue, Quality},
};

/// Adds `name` to the response's `Vary`, kept as one header: middleware
/// further out (CORS) reads and rewrites only the first.
pub fn add_vary(headers: &mut HeaderMap, name: &'static str) {
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static(name));
        return;
    }
    let mut names: Vec<String> = headers
        .get_all(header::VARY)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect();
    if !names.iter().any(|known| known.eq_ignore_ascii_case(name)) {
        names.push(name.to_owned());
    }
    if let Ok(value) = HeaderValue::from_str(&names.join(", ")) {
        headers.insert(header::VARY, value);
    }
}

/// Whether the request's `Accept` names `media` at all (`ld+json`): a cheap
/// test before [`preferred`] parses the header, for reads where only a media
/// type named outright can change the answer.
pub fn names(request: &HttpRequest, media: &str) -> bool {
    request.headers().get(header::ACCEPT).is_some_and(|accept| {
        accept
            .as_bytes()
            .windows(media.len())
            .any(|window| window.eq_ignore_ascii_case(media.as_bytes()))
    })
}

/// Which of `offered` (media types such as `text/html`, the default first)
/// the client prefers: the highest weight, where an exact range outweighs
/// `type/*` and that outweighs `*/*`; the default when nothing offered is
/// acceptable, or the header is absent or unreadable (a client that cannot
/// use the answer still learns what it is from `Content-Type`).
pub fn preferred(request: &HttpRequest, offered: &[&'static str]) -> &'static str {
    let default = offered[0];
    let Ok(accept) = Accept::parse(request) else {
        return default;
    };
    let mut best = (default, Quality::ZERO);
    for &media in offered {
        let weight = weight_of(&accept, media);
        if weight > best.1 {
            best = (media, weight);
        }
    }
    best.0
}

/// The weight `accept` gives `media`: that of its most specific range.
fn weight_of(accept: &Accept, media: &str) -> Quality {
    let (kind, subtype) = media.split_once('/').unwrap_or((media, ""));
    let mut best: Option<(u8, Quality)> = None;
    for item in accept.iter() {
        let range = &item.item;
        let specificity = if range.type_() == "*" {
            0
        } else if range.type_() != kind {
            continue;
        } else if range.subtype() == "*" {
            1
        } else if range.subtype() == subtype
            // `ld+json` parses as the subtype `ld` with the suffix `json`.
            || subtype
                .strip_prefix(range.subtype().as_str())
                .and_then(|rest| rest.strip_prefix('+'))
                .is_some_and(|suffix| range.suffix().is_some_and(|known| known == suffix))
        {
            2
        } else {
            continue;
        };
        if best.is_none_or(|(known, _)| specificity > known) {
            best = Some((specificity, item.quality));
        }
    }
    best.map_or(Quality::ZERO, |(_, quality)| quality)
}

#[cfg(test)]
mod tests {
    use super::{add_vary, preferred};
    use actix_web::http::header::{HeaderMap, HeaderValue, VARY};

    #[test]
    fn vary_stays_one_header() {
        let mut headers = HeaderMap::new();
        add_vary(&mut headers, "accept");
        add_vary(&mut headers, "accept-encoding");
        add_vary(&mut headers, "Accept");
        assert_eq!(headers.get_all(VARY).count(), 1);
        assert_eq!(headers.get(VARY).unwrap(), "accept, accept-encoding");
        headers.append(VARY, HeaderValue::from_static("origin"));
        add_vary(&mut headers, "accept");
        assert_eq!(
            headers.get(VARY).unwrap(),
            "accept, accept-encoding, origin"
        );
    }
    use actix_web::test::TestRequest;

    const JSON: [&str; 2] = ["application/json", "application/ld+json"];
    const PAGES: [&str; 2] = ["text/markdown", "text/html"];

    fn choose(accept: Option<&str>, offered: &[&'static str]) -> &'static str {
        let mut request = TestRequest::default();
        if let Some(accept) = accept {
            request = request.insert_header(("Accept", accept));
        }
        preferred(&request.to_http_request(), offered)
    }

    #[test]
    fn the_default_unless_another_is_preferred() {
        assert_eq!(choose(None, &JSON), "application/json");
        assert_eq!(choose(Some("*/*"), &JSON), "application/json");
        assert_eq!(
            choose(Some("application/ld+json"), &JSON),
            "application/ld+json"
        );
        assert_eq!(
            choose(Some("application/ld+json, application/json;q=0.5"), &JSON),
            "application/ld+json"
        );
        assert_eq!(
            choose(Some("application/ld+json;q=0.5, application/json"), &JSON),
            "application/json"
        );
        assert_eq!(choose(Some("image/png"), &JSON), "application/json");
        assert_eq!(choose(Some("not a media type"), &JSON), "application/json");
    }

    #[test]
    fn a_browser_gets_html() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(choose(Some(browser), &PAGES), "text/html");
        assert_eq!(choose(Some(browser), &JSON), "application/json");
        assert_eq!(choose(Some("text/*"), &PAGES), "text/markdown");
        assert_eq!(choose(Some("text/markdown"), &PAGES), "text/markdown");
        assert_eq!(
            choose(Some("text/html;q=0, */*"), &PAGES),
            "text/markdown",
            "a refused type is never chosen"
        );
        assert_eq!(
            choose(Some("text/markdown;q=0, text/html;q=0.1"), &PAGES),
            "text/html"
        );
    }
}
