//! The query string before any handler reads it. A value that does not
//! decode to UTF-8 is refused, naming its parameter, rather than read with
//! replacement characters. A list parameter given as repeats (`roles=a&roles=b`,
//! what many generated clients send whatever the document says) is joined
//! into the documented comma form (`roles=a,b`), so both forms mean the same
//! and are cached as one.

use super::ApiError;
use actix_web::{
    Error,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::Uri,
    middleware::Next,
};
use percent_encoding::percent_decode_str;
use std::borrow::Cow;

/// The parameters documented as comma-separated lists.
pub const COMMA_LISTS: &[&str] = &["roles", "include"];

pub async fn normalize_query(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    match normalized(request.query_string()) {
        Err(error) => {
            let (request, _) = request.into_parts();
            return Ok(ServiceResponse::from_err(error, request).map_into_boxed_body());
        }
        Ok(Some(query)) => {
            let path = request.path().to_owned();
            if let Ok(uri) = format!("{path}?{query}").parse::<Uri>() {
                request.head_mut().uri = uri;
            }
        }
        Ok(None) => {}
    }
    Ok(next.call(request).await?.map_into_boxed_body())
}

/// The query string to use instead of `query`, when it must change; the
/// parameter whose name or value is not UTF-8, when one is not.
fn normalized(query: &str) -> Result<Option<String>, ApiError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut joined = false;
    for piece in query.split('&').filter(|piece| !piece.is_empty()) {
        let (raw_name, raw_value) = piece.split_once('=').unwrap_or((piece, ""));
        let name = decode(raw_name).map_err(|_| {
            ApiError::invalid_field(
                "query",
                "invalid_utf8",
                "a parameter name is not UTF-8 once percent-decoded",
            )
        })?;
        let value = decode(raw_value).map_err(|_| {
            ApiError::invalid_field(
                format!("query.{name}"),
                "invalid_utf8",
                format!("{name} is not UTF-8 once percent-decoded: encode text as UTF-8"),
            )
        })?;
        let repeated_list =
            COMMA_LISTS.contains(&name.as_ref()) && pairs.iter().any(|(seen, _)| *seen == name);
        if repeated_list {
            if let Some((_, values)) = pairs.iter_mut().find(|(seen, _)| *seen == name) {
                values.push(',');
                values.push_str(&value);
            }
            joined = true;
        } else {
            pairs.push((name.into_owned(), value.into_owned()));
        }
    }
    Ok(joined.then(|| serde_urlencoded::to_string(&pairs).unwrap_or_default()))
}

/// `application/x-www-form-urlencoded` decoding that refuses what is not UTF-8.
fn decode(raw: &str) -> Result<Cow<'_, str>, std::str::Utf8Error> {
    if raw.contains('+') {
        let spaced = raw.replace('+', " ");
        let decoded = percent_decode_str(&spaced).decode_utf8()?;
        Ok(Cow::Owned(decoded.into_owned()))
    } else {
        percent_decode_str(raw).decode_utf8()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_lists_join_into_the_comma_form() {
        assert_eq!(
            normalized("roles=a&roles=b&roles=c").unwrap().as_deref(),
            Some("roles=a%2Cb%2Cc")
        );
        assert_eq!(
            normalized("include=skills&limit=3&include=career")
                .unwrap()
                .as_deref(),
            Some("include=skills%2Ccareer&limit=3")
        );
    }

    #[test]
    fn other_queries_are_left_as_they_are() {
        for query in ["", "roles=a,b", "q=tech+lead&limit=5", "limit=5&limit=6"] {
            assert_eq!(normalized(query).unwrap(), None, "{query}");
        }
    }

    #[test]
    fn text_that_is_not_utf8_names_its_parameter() {
        let error = normalized("limit=5&q=%FF").unwrap_err();
        assert_eq!(error.errors[0].field, "query.q");
        assert_eq!(error.errors[0].code, "invalid_utf8");
        assert!(normalized("%C3=1").is_err());
    }
}
