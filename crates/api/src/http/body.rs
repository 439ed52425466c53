//! Reading a write's body: its media type, its size, its JSON, and the input
//! shape it must have, each refused with the problem that names the cause.

use super::{ApiError, Code, FieldError};
use actix_web::{HttpRequest, http::header, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

/// The largest body a write may carry. A role's document is a few KiB.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub const JSON: &str = "application/json";
pub const MERGE_PATCH_JSON: &str = "application/merge-patch+json";

/// The body as it arrived: its bytes (idempotency keys compare them) and its JSON.
pub struct JsonBody {
    pub bytes: web::Bytes,
    pub value: serde_json::Value,
}

/// Reads the body, refusing another media type (415), more than
/// [`MAX_BODY_BYTES`] (413), and anything but one JSON object (400).
pub async fn read_json(
    request: &HttpRequest,
    mut payload: web::Payload,
    media_type: &str,
) -> Result<JsonBody, ApiError> {
    let sent = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let essence = sent.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case(media_type) {
        let sent = if sent.is_empty() {
            "no Content-Type"
        } else {
            sent
        };
        let mut error = ApiError::new(
            Code::UnsupportedMediaType,
            format!("send the body as {media_type}, not {sent}"),
        );
        if media_type == MERGE_PATCH_JSON {
            error = error.with_header(header::HeaderName::from_static("accept-patch"), media_type);
        }
        return Err(error);
    }
    let too_large = || {
        ApiError::new(
            Code::PayloadTooLarge,
            format!("the body is larger than {MAX_BODY_BYTES} bytes"),
        )
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|error| {
            ApiError::new(
                Code::MalformedBody,
                format!("the body could not be read: {error}"),
            )
        })?;
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|error| {
        ApiError::new(
            Code::MalformedBody,
            format!("the body is not valid JSON: {error}"),
        )
    })?;
    if !value.is_object() {
        return Err(ApiError::new(
            Code::MalformedBody,
            "the body must be a JSON object",
        ));
    }
    Ok(JsonBody {
        bytes: bytes.freeze(),
        value,
    })
}

/// Reads JSON into an input shape. A field of the wrong type or an unknown
/// field is refused with its JSON pointer.
pub fn decode<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let mut pointer = pointer_of(error.path());
        let message = error.inner().to_string();
        let code = if message.starts_with("unknown field") {
            "unknown_field"
        } else if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            // serde points at the object that lacks the field: name the field.
            pointer.push('/');
            pointer.push_str(field);
            "missing"
        } else {
            "invalid_type"
        };
        invalid_body(vec![FieldError::new(pointer, code, message)])
    })
}

/// The 422 for refused fields.
pub fn invalid_body(errors: Vec<FieldError>) -> ApiError {
    let detail = match errors.as_slice() {
        [only] => format!("{}: {}", display_pointer(&only.field), only.message),
        _ => format!("{} fields of the body are refused", errors.len()),
    };
    ApiError::with_errors(Code::InvalidField, detail, errors)
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the body"
    } else {
        pointer
    }
}

/// serde_path_to_error's path as an RFC 6901 JSON pointer.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => {}
        }
    }
    pointer
}

/// 1 to 200 visible ASCII characters.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,200}$";

/// The key of an `Idempotency-Key` header, if one was sent.
pub fn idempotency_key(request: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = request.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("");
    let visible_ascii = key.bytes().all(|b| b.is_ascii_graphic());
    if key.is_empty() || key.len() > 200 || !visible_ascii {
        return Err(ApiError::new(
            Code::InvalidIdempotencyKey,
            "the Idempotency-Key must be 1 to 200 visible ASCII characters",
        ));
    }
    Ok(Some(key.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shape {
        items: Vec<Item>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        years: u8,
    }

    #[test]
    fn a_wrong_type_is_named_by_its_json_pointer() {
        let error = decode::<Shape>(serde_json::json!({"items": [{"years": 1}, {"years": "x"}]}))
            .unwrap_err();
        assert_eq!(error.code, Code::InvalidField);
        assert_eq!(error.errors[0].field, "/items/1/years");
        let unknown =
            decode::<Shape>(serde_json::json!({"items": [{"years": 1, "yeers": 2}]})).unwrap_err();
        assert_eq!(unknown.errors[0].code, "unknown_field");
        assert_eq!(unknown.errors[0].field, "/items/0/yeers");
        let missing = decode::<Shape>(serde_json::json!({"items": [{}]})).unwrap_err();
        assert_eq!(missing.errors[0].code, "missing");
        assert_eq!(missing.errors[0].field, "/items/0/years");
    }
}
