//! Errors at the HTTP edge, rendered as `application/problem+json` (RFC 9457).
//! Every error has one [`Code`]: its status, title, the `type` URI that
//! `GET /problems/{code}` explains, and the OpenAPI examples all come from it.
//! Internals are logged, never shown.

use crate::storage::StorageError;
use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    error::{JsonPayloadError, PathError, QueryPayloadError},
    http::{
        StatusCode,
        header::{self, HeaderName, HeaderValue},
    },
};
use serde::Serialize;
use utoipa::{IntoResponses, ToSchema};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Declares the codes with, for each: the stable string, the status, a title,
/// what it means and what to do, and an example detail.
macro_rules! codes {
    ($($variant:ident => ($name:literal, $status:literal, $title:literal, $description:literal, $example:literal)),+ $(,)?) => {
        /// Why a request failed, one value per cause. Clients switch on
        /// [`Code::as_str`], never on the text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Code { $($variant),+ }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name),+ }
            }

            pub fn status(self) -> StatusCode {
                match self {
                    $(Code::$variant => StatusCode::from_u16($status).expect("a valid status")),+
                }
            }

            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title),+ }
            }

            /// What the problem means and what to do about it.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $description),+ }
            }

            /// A detail such as the service gives, for the documentation.
            fn example_detail(self) -> &'static str {
                match self { $(Code::$variant => $example),+ }
            }
        }
    };
}

codes! {
    BadRequest => ("bad_request", 400, "Bad request",
        "A path segment or the query string is malformed, names a parameter the operation does not take, or repeats one. `errors` names each. Fix the request as the operation's documentation describes.",
        "`Technical Lead` is neither a role UUID nor a role slug (lowercase words joined by hyphens, like `technical-lead`)"),
    InvalidParameters => ("invalid_parameters", 422, "Invalid parameters",
        "The query is well formed, but a parameter's value is refused (an unknown family, a limit out of range). `errors` names each parameter and why.",
        "family: `wizardry` is not one of: software-engineering, engineering-management, architecture, project-management, media-production"),
    MalformedBody => ("malformed_body", 400, "Malformed body",
        "The body is not a JSON document, or not the JSON object the operation takes. Send one JSON object, encoded as UTF-8.",
        "the body is not valid JSON: expected `,` or `}` at line 1 column 17"),
    InvalidField => ("invalid_field", 422, "Invalid fields",
        "The body is JSON, but fields are refused: missing, of the wrong type, out of range, unknown, or against a rule that spans fields. `errors` lists every refused field by its JSON pointer (`/responsibilities/2/category`). Nothing was written.",
        "2 fields of the body are refused"),
    UnknownReference => ("unknown_reference", 422, "Unknown reference",
        "The body names a skill, source or role that does not exist. `errors` gives the pointer of each such name. Create the skill (`POST /skills`) or source (`POST /sources`) first, or correct the name.",
        "the body names 1 skill or source that does not exist"),
    RoleNotFound => ("role_not_found", 404, "Role not found",
        "No role has this UUID or slug. `GET /roles` lists the roles; `GET /search?q=` finds one by name.",
        "no role has the id or slug `chief-wizard`"),
    SkillNotFound => ("skill_not_found", 404, "Skill not found",
        "No skill has this slug. `GET /skills` lists the skills.",
        "no skill has the slug `wizardry`"),
    OccupationNotFound => ("occupation_not_found", 404, "Occupation not found",
        "No occupation has this SOC code in the data the service holds. `GET /occupations` lists them; `GET /search?type=occupation&q=` finds one by name.",
        "no occupation has the SOC code `99-9999`"),
    AreaNotFound => ("area_not_found", 404, "Area not found",
        "No area has this BLS code in the imported wage data. `GET /areas` lists them.",
        "no area has the code `0000001`"),
    ChildNotFound => ("child_not_found", 404, "Child not found",
        "The role has no responsibility, requirement or salary range with this id, or does not link this skill. The role's lists (`/roles/{id}/responsibilities`, …) give the ids.",
        "the role has no responsibility 3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"),
    RevisionNotFound => ("revision_not_found", 404, "Revision not found",
        "The role has no revision with this number. `GET /roles/{id}/revisions` lists them.",
        "role `technical-lead` has no revision 99"),
    RouteNotFound => ("route_not_found", 404, "Not found",
        "Nothing is at this address. The OpenAPI document at `/openapi.json` lists every path.",
        "nothing is at GET /rolez"),
    RoleDeleted => ("role_deleted", 410, "Role deleted",
        "The role was deleted. Its revisions stay readable: follow the `Link` header (rel=\"version-history\") to `/roles/{id}/revisions`.",
        "role `platform-lead` was deleted"),
    MethodNotAllowed => ("method_not_allowed", 405, "Method not allowed",
        "The path exists, but does not take this method. The `Allow` header lists the methods it takes.",
        "/roles answers GET, HEAD, POST, not PATCH"),
    UnsupportedMediaType => ("unsupported_media_type", 415, "Unsupported media type",
        "The body's `Content-Type` is not one the operation takes: `application/json` for POST and PUT, `application/merge-patch+json` for PATCH.",
        "send the body as application/json, not text/plain"),
    PayloadTooLarge => ("payload_too_large", 413, "Payload too large",
        "The body is larger than the 262,144 bytes (256 KiB) a request may carry. A role's document is far smaller: check what is being sent.",
        "the body is larger than 262144 bytes"),
    DuplicateSlug => ("duplicate_slug", 409, "Slug already taken",
        "Another role, skill or source already has this slug or key. Choose another, or change the existing entry instead.",
        "the slug `technical-lead` is taken by another role"),
    ChildExists => ("child_exists", 409, "Already there",
        "The role already links this skill, already has a career step to that role, or already has comparison notes with it. Change it with PUT at its address (the `Location` header), or remove it first.",
        "the role already has a career step to `engineering-manager`"),
    PreconditionRequired => ("precondition_required", 428, "Precondition required",
        "Changes to a role need `If-Match` with the role's current `ETag` (from `GET /roles/{id}`), so that no editor overwrites a change they have not seen.",
        "send If-Match with the role's current ETag; GET /roles/technical-lead gives it"),
    PreconditionFailed => ("precondition_failed", 412, "Precondition failed",
        "The role changed since the `ETag` in `If-Match` was read. The response's `ETag` header is the current one: read the role again, reapply the edit, and send it with that tag.",
        "role `technical-lead` is at version 4; If-Match names another version"),
    IdempotencyKeyReused => ("idempotency_key_reused", 422, "Idempotency key reused",
        "This `Idempotency-Key` was already used with another method, path or body. Use a new key for a new request; reuse a key only to retry the very same request.",
        "the Idempotency-Key `create-platform-lead` was used for another request"),
    IdempotencyKeyInProgress => ("idempotency_key_in_progress", 409, "Request in progress",
        "A request with this `Idempotency-Key` is still running. Retry in a moment to get its result.",
        "a request with the Idempotency-Key `create-platform-lead` is still running"),
    InvalidIdempotencyKey => ("invalid_idempotency_key", 400, "Invalid idempotency key",
        "`Idempotency-Key` must be 1 to 200 visible ASCII characters, such as a UUID.",
        "the Idempotency-Key must be 1 to 200 visible ASCII characters"),
    MissingApiKey => ("missing_api_key", 401, "API key required",
        "Writes need an API key: send `Authorization: Bearer <key>`. An operator creates keys with `rolebase api-key create`.",
        "this operation needs an API key: send Authorization: Bearer <key>"),
    InvalidApiKey => ("invalid_api_key", 401, "Invalid API key",
        "The API key is malformed, unknown or revoked. Ask an operator for a valid key (`rolebase api-key list` shows which are live).",
        "the API key is unknown or revoked"),
    InsufficientScope => ("insufficient_scope", 403, "Insufficient scope",
        "The API key is valid but its scope does not allow this operation: `write` keys change roles and their children, `admin` keys also the shared catalogue (skills and sources).",
        "this operation needs an API key with the admin scope; `editor` has write"),
    OriginNotAllowed => ("origin_not_allowed", 403, "Origin not allowed",
        "A browser asked (a CORS preflight) whether a page on another origin may send this request, and it may not. Pages on any origin may read; only the origins the operator lists (`--cors-write-origins`) may write.",
        "pages on https://jobs.example.com may read, not send PATCH requests"),
    RateLimited => ("rate_limited", 429, "Too many requests",
        "This client used up its quota of requests: a number a minute per client address, or per API key when it sends one (`RateLimit-Policy` says which and how many). Nothing was done. Retry after the `Retry-After` seconds; `RateLimit` on every answer tells what remains.",
        "the quota of 3000 requests a minute for this client address is used up; retry in 2 s"),
    DatabaseUnavailable => ("database_unavailable", 503, "Service unavailable",
        "The database cannot be reached or is overloaded. Nothing was written. Retry after the `Retry-After` seconds.",
        "the database is unavailable"),
    InternalError => ("internal_error", 500, "Internal server error",
        "A fault of the service. Nothing was written. Report it with the `X-Request-Id` of the response, which the service's log names.",
        "internal error"),
}

impl Code {
    /// The problem's `type`: a path on this service that explains the code.
    pub fn type_uri(self) -> String {
        format!("/problems/{}", self.as_str())
    }

    pub fn parse(raw: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == raw)
    }
}

/// A problem report (RFC 9457). Clients switch on `code`, never on the text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// Where the kind of problem is explained: `GET` it for what it means and what to do.
    #[serde(rename = "type")]
    #[schema(example = "/problems/role_not_found")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// A stable machine-readable code.
    #[schema(example = "role_not_found")]
    pub code: String,
    /// For refused input: each field that was refused, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Where the field is: `path.id` or `query.limit` for parameters, a JSON
    /// pointer such as `/responsibilities/2/category` for the body.
    #[schema(example = "/responsibilities/2/category")]
    pub field: String,
    #[schema(example = "unknown_value")]
    pub code: String,
    #[schema(example = "`wizardry` is not one of: delivery, quality, architecture, people")]
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// An error answer: a code, what went wrong this time, and the fields and
/// headers that go with it.
#[derive(Debug)]
pub struct ApiError {
    pub code: Code,
    pub detail: String,
    pub errors: Vec<FieldError>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The fault behind a 500 or 503, for the log.
    source: Option<StorageError>,
}

impl ApiError {
    /// Whether this refuses a request because the database did not answer.
    pub fn is_database_unavailable(&self) -> bool {
        self.code == Code::DatabaseUnavailable
    }

    /// What went wrong, for the log: the fault behind it, or the detail.
    pub fn cause(&self) -> String {
        match &self.source {
            Some(source) => source.to_string(),
            None => self.detail.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

impl ApiError {
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            errors: vec![],
            headers: vec![],
            source: None,
        }
    }

    pub fn with_errors(code: Code, detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(code, detail)
        }
    }

    /// A 400 for one malformed parameter.
    pub fn invalid_field(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::with_errors(
            Code::BadRequest,
            message.clone(),
            vec![FieldError::new(field, code, message)],
        )
    }

    /// Adds a header to the answer (`ETag` on a 412, `WWW-Authenticate` on a 401).
    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.push((name, value));
        }
        self
    }

    pub fn role_not_found(role: impl std::fmt::Display) -> Self {
        Self::new(
            Code::RoleNotFound,
            format!("no role has the id or slug `{role}`"),
        )
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        let code = if error.is_unavailable() {
            Code::DatabaseUnavailable
        } else {
            Code::InternalError
        };
        Self {
            source: Some(error),
            ..Self::new(code, code.example_detail())
        }
    }
}

/// The most characters of a detail, message or field name an answer carries:
/// they may quote what the client sent, which can be megabytes.
const MAX_ECHOED_CHARS: usize = 300;

/// `text`, cut to `MAX_ECHOED_CHARS` with an ellipsis when longer.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHOED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        // An unavailable database is logged once per outage (`outage`), not
        // once per request: at a few thousand requests a second that was
        // gigabytes of one repeated line.
        if let Some(source) = &self.source
            && self.code != Code::DatabaseUnavailable
        {
            tracing::error!(error = %source, "request failed");
        }
        let problem = Problem {
            kind: self.code.type_uri(),
            title: self.code.title().to_owned(),
            status: self.code.status().as_u16(),
            detail: shortened(&self.detail),
            code: self.code.as_str().to_owned(),
            errors: self
                .errors
                .iter()
                .map(|error| FieldError {
                    field: shortened(&error.field),
                    code: error.code.clone(),
                    message: shortened(&error.message),
                })
                .collect(),
        };
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_JSON);
        match self.code {
            Code::DatabaseUnavailable => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            // The rest of an oversized body is never read, so the connection
            // cannot carry another request: tell the client not to reuse it.
            Code::PayloadTooLarge => {
                response.force_close();
            }
            _ => {}
        }
        for (name, value) in &self.headers {
            response.insert_header((name.clone(), value.clone()));
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
    ApiError::new(Code::MalformedBody, error.to_string()).into()
}

/// Anything no route matches: 405 (with `Allow`) for a known path asked
/// with a method it does not take, 404 otherwise.
pub async fn no_route(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    if let Some(allowed) = super::allowed_methods(request.path()) {
        return Err(ApiError::new(
            Code::MethodNotAllowed,
            format!(
                "{} answers {allowed}, not {}",
                request.path(),
                request.method()
            ),
        )
        .with_header(header::ALLOW, &allowed));
    }
    Err(ApiError::new(
        Code::RouteNotFound,
        format!("nothing is at {} {}", request.method(), request.path()),
    ))
}

/// The example problems of a documented status: one per code that answers with it.
pub fn examples(status: u16) -> Vec<(String, serde_json::Value)> {
    Code::ALL
        .iter()
        .filter(|code| code.status().as_u16() == status)
        .map(|code| {
            let mut problem = serde_json::json!({
                "type": code.type_uri(),
                "title": code.title(),
                "status": status,
                "detail": code.example_detail(),
                "code": code.as_str(),
            });
            let field = match code {
                Code::BadRequest => Some(("path.id", "invalid_role_id")),
                Code::InvalidParameters => Some(("query.family", "unknown_value")),
                Code::InvalidField => Some(("/responsibilities/2/category", "unknown_value")),
                Code::UnknownReference => Some(("/skills/0/skill", "skill_not_found")),
                _ => None,
            };
            if let Some((field, field_code)) = field {
                problem["errors"] = serde_json::json!([{
                    "field": field, "code": field_code, "message": code.example_detail()
                }]);
            }
            (code.as_str().to_owned(), problem)
        })
        .collect()
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
    /// The role was deleted; `Link` points to its revisions.
    #[response(status = 410, content_type = "application/problem+json")]
    Gone(Problem),
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

/// The error responses every write can give, besides those of its resource.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum WriteErrors {
    /// The body is not a JSON object, the path or query is malformed, or the `Idempotency-Key` is.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No API key (`missing_api_key`), or one that is unknown or revoked (`invalid_api_key`); see `WWW-Authenticate`.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The API key's scope does not allow this operation.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// The slug is taken (`duplicate_slug`), or a request with the same `Idempotency-Key` is still running.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The body is larger than 256 KiB.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body's `Content-Type` is not the one the operation takes.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// Fields of the body are refused (`invalid_field`), name what does not exist (`unknown_reference`), or the `Idempotency-Key` was used for another request.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
    /// The database cannot be reached; nothing was written.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// The errors of a change to an existing role, besides [`WriteErrors`].
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum PreconditionErrors {
    /// No role has this id or slug.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The role was deleted.
    #[response(status = 410, content_type = "application/problem+json")]
    Gone(Problem),
    /// `If-Match` names a version that is no longer current; `ETag` has the current one.
    #[response(status = 412, content_type = "application/problem+json",
               headers(("ETag" = String, description = "The role's current ETag")))]
    Stale(Problem),
    /// `If-Match` is missing.
    #[response(status = 428, content_type = "application/problem+json")]
    Required(Problem),
}

/// The 429 every limited operation may answer (see `rate_limit`).
pub fn too_many_requests() -> utoipa::openapi::Response {
    use utoipa::openapi::{
        ContentBuilder, Ref, RefOr, ResponseBuilder, example::ExampleBuilder,
        header::HeaderBuilder, schema::Type,
    };
    let text = |description: &str| {
        HeaderBuilder::new()
            .schema(utoipa::openapi::ObjectBuilder::new().schema_type(Type::String))
            .description(Some(description))
            .build()
    };
    let mut content =
        ContentBuilder::new().schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))));
    for (name, value) in examples(429) {
        content =
            content.examples_from_iter([(name, ExampleBuilder::new().value(Some(value)).build())]);
    }
    ResponseBuilder::new()
        .description(
            "Too many requests: the client's quota (per address, or per API key) is used up; \
             retry after the `Retry-After` seconds",
        )
        .content(PROBLEM_JSON, content.build())
        .header(
            "Retry-After",
            text("Seconds until a request will be let through"),
        )
        .header(
            "RateLimit-Policy",
            text("The quota, e.g. `\"address\";q=3000;w=60`: 3000 requests a minute"),
        )
        .header(
            "RateLimit",
            text("What remains, e.g. `\"address\";r=0;t=2`: none, whole again in 2 s"),
        )
        .build()
}
