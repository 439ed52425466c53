//! Errors at the HTTP edge, rendered as `application/problem+json` (RFC 9457).
//! Each variant says its status; internals are logged, never shown.

use crate::storage::StorageError;
use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    error::{JsonPayloadError, PathError, QueryPayloadError},
    http::{StatusCode, header},
};
use serde::Serialize;
use utoipa::{IntoResponses, ToSchema};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem report (RFC 9457). Clients switch on `code`, never on the text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// A stable machine-readable code.
    pub code: String,
    /// For invalid input: each field that was refused, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One refused field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// Where the field is: `path.id`, `query.limit`, `body.title`.
    #[schema(example = "path.id")]
    pub field: String,
    #[schema(example = "invalid_role_id")]
    pub code: String,
    #[schema(example = "`Technical Lead!` is neither a role UUID nor a role slug")]
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (a path or query that does not parse).
    #[error("{detail}")]
    BadRequest {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// 422: the request is well-formed but a parameter's value is refused.
    #[error("{detail}")]
    Unprocessable {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// 404: nothing is at this address.
    #[error("{0}")]
    NotFound(String),
    /// 405: the path exists, but not for this method (the API only reads).
    #[error("{0}")]
    MethodNotAllowed(String),
    /// 503: the database cannot be reached; try again shortly.
    #[error("the database is unavailable")]
    Unavailable(#[source] StorageError),
    /// 500: a fault of ours; the detail goes to the log only.
    #[error("internal error")]
    Internal(#[source] StorageError),
}

impl ApiError {
    pub fn invalid_field(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::BadRequest {
            detail: message.clone(),
            errors: vec![FieldError {
                field: field.into(),
                code: code.to_owned(),
                message,
            }],
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } => "bad_request",
            Self::Unprocessable { .. } => "invalid_parameters",
            Self::NotFound(_) => "not_found",
            Self::MethodNotAllowed(_) => "method_not_allowed",
            Self::Unavailable(_) => "database_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } => "Bad request",
            Self::Unprocessable { .. } => "Invalid parameters",
            Self::NotFound(_) => "Not found",
            Self::MethodNotAllowed(_) => "Method not allowed",
            Self::Unavailable(_) => "Service unavailable",
            Self::Internal(_) => "Internal server error",
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::Unavailable(_) => Self::Unavailable(error),
            StorageError::Database(ref inner) if inner.is_closed() => Self::Unavailable(error),
            _ => Self::Internal(error),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let errors = match self {
            Self::BadRequest { errors, .. } | Self::Unprocessable { errors, .. } => errors.clone(),
            _ => vec![],
        };
        if let Self::Unavailable(source) | Self::Internal(source) = self {
            tracing::error!(error = %source, "request failed");
        }
        let problem = Problem {
            kind: format!("/problems/{}", self.code().replace('_', "-")),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.to_string(),
            code: self.code().to_owned(),
            errors,
        };
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_JSON);
        match self {
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            Self::MethodNotAllowed(_) => {
                response.insert_header((header::ALLOW, "GET, HEAD"));
            }
            _ => {}
        }
        response.json(problem)
    }
}

/// actix's own extractors answer bad input in plain text; these make them
/// speak problem+json like the rest of the API.
pub fn path_error(error: PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::invalid_field("path", "invalid_path", error.to_string()).into()
}

pub fn query_error(error: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    let message = error.to_string();
    // serde_urlencoded names the parameter in its message, not in a field.
    ApiError::invalid_field("query", "invalid_query", message).into()
}

pub fn json_error(error: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::invalid_field("body", "invalid_body", error.to_string()).into()
}

/// Anything no route matches: 405 (with `Allow`) for a known path asked
/// with a method it does not take, 404 otherwise.
pub async fn no_route(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    if super::is_known_path(request.path()) {
        return Err(ApiError::MethodNotAllowed(format!(
            "{} answers GET, not {}",
            request.path(),
            request.method()
        )));
    }
    Err(ApiError::NotFound(format!(
        "nothing is at {} {}",
        request.method(),
        request.path()
    )))
}

/// An example problem for each status the API documents.
pub fn example(status: u16) -> Option<serde_json::Value> {
    let (code, title, detail, errors) = match status {
        400 => (
            "bad_request",
            "Bad request",
            "`Technical Lead` is neither a role UUID nor a role slug (lowercase words joined by hyphens, like `technical-lead`)",
            Some(("path.id", "invalid_role_id")),
        ),
        404 => (
            "not_found",
            "Not found",
            "no role has the id or slug `chief-wizard`",
            None,
        ),
        422 => (
            "invalid_parameters",
            "Invalid parameters",
            "family: `wizardry` is not one of: software-engineering, engineering-management, architecture, project-management, media-production",
            Some(("query.family", "unknown_value")),
        ),
        503 => (
            "database_unavailable",
            "Service unavailable",
            "the database is unavailable",
            None,
        ),
        _ => return None,
    };
    let mut problem = serde_json::json!({
        "type": format!("/problems/{}", code.replace('_', "-")),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    });
    if let Some((field, code)) = errors {
        problem["errors"] =
            serde_json::json!([{ "field": field, "code": code, "message": detail }]);
    }
    Some(problem)
}

/// The error responses of an endpoint that reads a role by `{id}`.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum RoleErrors {
    /// The id is neither a UUID nor a slug, or the query is malformed (an unknown parameter).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No role has this id or slug.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// A query parameter's value is refused; `errors` names each one.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
    /// The database cannot be reached; retry after the `Retry-After` seconds.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// The error responses of an endpoint that takes query parameters.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum QueryErrors {
    /// The query is malformed (an unknown or repeated parameter).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// A query parameter's value is refused; `errors` names each one.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
    /// The database cannot be reached; retry after the `Retry-After` seconds.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// The error responses of an endpoint that reads one catalogue entry by slug.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum LookupErrors {
    /// The slug is malformed, or the query is.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// Nothing has this slug.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The database cannot be reached; retry after the `Retry-After` seconds.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// The error response every endpoint can give.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum ServiceErrors {
    /// The query is malformed (an unknown parameter).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// The database cannot be reached; retry after the `Retry-After` seconds.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}
