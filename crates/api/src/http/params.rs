//! Reading query parameters into domain values. Every refused parameter is
//! reported (422, each by name), not just the first.

use super::{ApiError, Code, FieldError};
use crate::storage::Page;
use actix_web::HttpRequest;
use rolebase_domain::InvalidValue;
use std::str::FromStr;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;
/// The documented shape of a cursor. Any value of this shape is a valid
/// position (the list resumes after it), so a client can never hold a cursor
/// that parses but fails.
pub const CURSOR_PATTERN: &str = "^([0-9a-f]{2}){1,100}$";
/// A role's UUID or its slug.
pub const ROLE_ID_PATTERN: &str = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-z0-9]+(-[a-z0-9]+)*)$";
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

#[derive(Default)]
pub struct Params {
    errors: Vec<FieldError>,
}

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn refuse(&mut self, name: &str, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: format!("query.{name}"),
            code: code.to_owned(),
            message: message.into(),
        });
    }

    /// Reads an optional parameter with `read`, recording a refusal under `name`.
    pub fn read<T>(
        &mut self,
        name: &str,
        raw: Option<&str>,
        read: impl FnOnce(&str) -> Result<T, InvalidValue>,
    ) -> Option<T> {
        match read(raw?) {
            Ok(value) => Some(value),
            Err(error) => {
                self.refuse(name, error.code, format!("{name}: {}", error.message));
                None
            }
        }
    }

    /// Reads an optional parameter from one of the model's vocabularies.
    pub fn choice<T: FromStr<Err = InvalidValue>>(
        &mut self,
        name: &str,
        raw: Option<&str>,
    ) -> Option<T> {
        self.read(name, raw, str::parse)
    }

    /// A required parameter.
    pub fn required<T>(
        &mut self,
        name: &str,
        raw: Option<&str>,
        read: impl FnOnce(&str) -> Result<T, InvalidValue>,
    ) -> Option<T> {
        if raw.is_none() {
            self.refuse(name, "missing", format!("{name} is required"));
        }
        self.read(name, raw, read)
    }

    /// A whole number from `lowest` to `highest`, `default` when absent.
    pub fn whole_number(
        &mut self,
        name: &str,
        raw: Option<&str>,
        lowest: i64,
        highest: i64,
        default: i64,
    ) -> i64 {
        self.read(name, raw, |raw| {
            raw.parse::<i64>()
                .ok()
                .filter(|number| (lowest..=highest).contains(number))
                .ok_or_else(|| {
                    InvalidValue::new(
                        "out_of_range",
                        format!("must be a whole number from {lowest} to {highest}, got `{raw}`"),
                    )
                })
        })
        .unwrap_or(default)
    }

    /// `limit` (1–100, default 20) and `cursor` (a `next_cursor` this service gave).
    pub fn page(&mut self, limit: Option<&str>, cursor: Option<&str>) -> Page {
        let limit = self.whole_number("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
        let after = self.read("cursor", cursor, decode_cursor);
        Page { limit, after }
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            let detail = self
                .errors
                .iter()
                .map(|error| error.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            Err(ApiError::with_errors(
                Code::InvalidParameters,
                detail,
                self.errors,
            ))
        }
    }
}

/// A cursor is the hex of the last key shown: opaque to clients, and
/// comparable byte for byte with the keys the list is ordered by.
pub fn encode_cursor(last_key: &str) -> String {
    hex::encode(last_key)
}

fn decode_cursor(raw: &str) -> Result<Vec<u8>, InvalidValue> {
    let well_formed = raw.len() <= 200
        && raw
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    well_formed
        .then(|| hex::decode(raw).ok())
        .flatten()
        .filter(|bytes| !bytes.is_empty())
        .ok_or_else(|| {
            InvalidValue::new(
                "invalid_cursor",
                "is not a cursor: pass the `next_cursor` of the previous page as it is",
            )
        })
}

/// The cursor of the next page, when more follow the one whose last key is
/// `last_key`, and a 200 response that links to it.
pub fn next_page(
    request: &HttpRequest,
    more: bool,
    last_key: Option<&str>,
) -> (Option<String>, actix_web::HttpResponseBuilder) {
    let cursor = last_key.filter(|_| more).map(encode_cursor);
    let mut response = actix_web::HttpResponse::Ok();
    if let Some(cursor) = &cursor {
        response.insert_header(("Link", next_link(request, cursor)));
    }
    (cursor, response)
}

/// `Link: <…>; rel="next"` (RFC 8288): this request's address with the next cursor.
pub fn next_link(request: &HttpRequest, cursor: &str) -> String {
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(request.query_string()).unwrap_or_default();
    pairs.retain(|(name, _)| name != "cursor");
    pairs.push(("cursor".to_owned(), cursor.to_owned()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("<{}?{query}>; rel=\"next\"", request.path())
}

/// A comma-separated list parameter, trimmed, empty items refused.
pub fn split_list(raw: &str) -> Result<Vec<&str>, InvalidValue> {
    let items: Vec<&str> = raw.split(',').map(str::trim).collect();
    if items.iter().any(|item| item.is_empty()) {
        return Err(InvalidValue::new(
            "empty_item",
            format!("`{raw}` has an empty item: separate values with single commas"),
        ));
    }
    Ok(items)
}

/// `currency` documented as what the service accepts: an active ISO 4217 code.
pub fn currency_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(rolebase_domain::CurrencyCode::all()))
        .build()
}

/// `roles=a,b[,c,d]`: two to four different role ids or slugs.
pub fn role_list_schema() -> utoipa::openapi::schema::Array {
    let item = utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(ROLE_ID_PATTERN))
        .max_length(Some(100));
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(item)
        .min_items(Some(2))
        .max_items(Some(4))
        .unique_items(true)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_malformed_ones_are_refused() {
        assert_eq!(
            decode_cursor(&encode_cursor("team-lead")).unwrap(),
            b"team-lead"
        );
        for malformed in ["team-lead", "!!!", "abc", "ABCD", "", &"ab".repeat(101)] {
            assert_eq!(
                decode_cursor(malformed).unwrap_err().code,
                "invalid_cursor",
                "{malformed}"
            );
        }
    }

    #[test]
    fn limits_outside_1_to_100_are_refused_by_name() {
        for bad in ["0", "101", "-1", "ten", "1.5", ""] {
            let mut params = Params::new();
            params.page(Some(bad), None);
            let Err(error) = params.finish() else {
                panic!("{bad} should be refused")
            };
            assert_eq!(error.code, Code::InvalidParameters, "{bad}");
            assert_eq!(error.errors[0].field, "query.limit", "{bad}");
        }
        let mut params = Params::new();
        assert_eq!(params.page(None, None).limit, DEFAULT_LIMIT);
        assert_eq!(params.page(Some("100"), None).limit, 100);
        assert!(params.finish().is_ok());
    }
}
