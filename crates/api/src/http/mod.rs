//! The HTTP API: one module per resource, each with its `configure`, and the
//! OpenAPI document they make together.

mod auth;
mod body;
mod caching;
mod career;
mod catalogue;
mod catalogue_writes;
mod changes;
mod child_writes;
mod compression;
mod cors;
mod deadline;
mod health;
mod metrics;
mod negotiation;
mod normalize;
mod occupations;
mod outage;
mod params;
mod postings;
mod problem;
mod problems;
mod proxy;
mod query;
pub mod rate_limit;
mod relation_writes;
mod revisions;
mod role_input;
mod role_writes;
mod roles;
pub(crate) mod search;
mod security;
mod writes;

pub use caching::conditional_get;
pub use compression::compress;
pub use cors::{cors, cors_problems};
pub use deadline::{Deadline, deadline};
pub use metrics::{Metrics, record_requests};
pub use normalize::TitleCatalogue;
pub use outage::{DatabaseOutages, watch_database};
pub use problem::{
    ApiError, Code, FieldError, LookupErrors, PROBLEM_JSON, PreconditionErrors, Problem,
    QueryErrors, RoleErrors, ServiceErrors, WriteErrors,
};
pub use proxy::{Proxying, Reached, behind_proxy};
pub use query::normalize_query;
pub use rate_limit::{RateLimits, rate_limit};
pub use security::security_headers;

use actix_web::{App, HttpResponse, http::header, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rolebase",
        description = "A job-role knowledge base: what a role is, does, requires, pays, how it differs from its neighbours and where it leads.\n\n\
- **Ids**: wherever a path takes a role `{id}`, the role's UUID and its slug (`technical-lead`) both work.\n\
- **Pages**: lists are ordered by slug and come a page at a time; pass `next_cursor` back as `cursor` (or follow the `Link: <…>; rel=\"next\"` header) until it is `null`.\n\
- **Caching**: every read carries an `ETag` and `Cache-Control: public, max-age=60`; send the tag back in `If-None-Match` to get a bodiless 304 while the data is unchanged.\n\
- **Writes** need an API key (`Authorization: Bearer <key>`; an operator creates one with `rolebase api-key create`): the `write` scope changes roles, the `admin` scope also skills and sources. Changes to a role need `If-Match` with its current `ETag` (428 without, 412 when stale). Send an `Idempotency-Key` to make a retry safe. Bodies are at most 256 KiB.\n\
- **Following changes**: `GET /changes?since=` lists every committed change in commit order; each role change leaves a revision (`/roles/{id}/revisions`) with the document before and after.\n\
- **Errors**: `application/problem+json` (RFC 9457) with a stable `code`, and a `type` that `GET` explains (`/problems/{code}`); refused parameters and fields are listed in `errors`, each by name (`query.limit`, `path.id`) or by JSON pointer into the body (`/responsibilities/2/category`).",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    servers((url = "/", description = "This Rolebase service")),
    tags(
        (name = roles::TAG, description = "Roles: what each one is, does, requires, pays, and where it leads"),
        (name = career::TAG, description = "Routes from one role to another"),
        (name = search::TAG, description = "Finding the role a person means from what they typed"),
        (name = normalize::TAG, description = "Which role a job posting's title names, in bulk"),
        (name = catalogue::TAG, description = "The shared catalogue: skills, job families, sources"),
        (name = occupations::TAG, description = "Imported BLS OEWS wages by occupation and area, and what data the service holds"),
        (name = changes::TAG, description = "Every committed change, for mirrors"),
        (name = problems::TAG, description = "What each error code means, and what to do"),
        (name = health::TAG, description = "Liveness and readiness")
    ),
    components(schemas(Problem, FieldError, rolebase_domain::PostingSeniority)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// The `bearerAuth` security scheme that writes name.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, document: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = document.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API key from `rolebase api-key create`, sent as `Authorization: Bearer <key>`",
                    ))
                    .build(),
            ),
        );
    }
}

/// Registers every endpoint. Through `utoipa_actix_web`, each also lands in
/// the OpenAPI document.
pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    roles::configure(config);
    postings::configure(config);
    role_writes::configure(config);
    child_writes::configure(config);
    relation_writes::configure(config);
    revisions::configure(config);
    career::configure(config);
    catalogue::configure(config);
    catalogue_writes::configure(config);
    changes::configure(config);
    search::configure(config);
    normalize::configure(config);
    occupations::configure(config);
    problems::configure(config);
    health::configure(config);
    config.service(metrics::scrape_metrics);
}

/// The OpenAPI document, as served at `/openapi.json` and committed as
/// `openapi/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let document = App::new()
        .into_utoipa_app()
        .openapi(base_document())
        .configure(configure)
        .split_for_parts()
        .1;
    finish_document(document)
}

/// What operations share, added once rather than on each path: the 304 answer
/// to a current `If-None-Match`, and the exact shape of the ids, slugs and
/// cursors that parameters take (the service accepts every value of that shape).
fn finish_document(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ObjectBuilder, RefOr, ResponseBuilder, path::ParameterIn, schema::Type};
    let shaped = |pattern: &str, max_length: Option<usize>| {
        RefOr::T(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(pattern))
                .max_length(max_length)
                .into(),
        )
    };
    for (path, item) in document.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                let shape = match (&parameter.parameter_in, parameter.name.as_str()) {
                    (ParameterIn::Path, "id" | "to" | "other")
                    | (ParameterIn::Query, "from" | "to") => {
                        Some((params::ROLE_ID_PATTERN, Some(100)))
                    }
                    (ParameterIn::Path, "slug" | "skill") | (ParameterIn::Query, "skill") => {
                        Some((params::SLUG_PATTERN, Some(100)))
                    }
                    (ParameterIn::Query, "cursor") if path.ends_with("/revisions") => {
                        Some((revisions::CURSOR_PATTERN, Some(18)))
                    }
                    (ParameterIn::Query, "cursor") => Some((params::CURSOR_PATTERN, Some(200))),
                    (ParameterIn::Header, "Idempotency-Key") => {
                        Some((body::IDEMPOTENCY_KEY_PATTERN, Some(200)))
                    }
                    // Trimming cannot be said with minLength/maxLength.
                    (ParameterIn::Query, "q") => {
                        Some((rolebase_domain::search::SearchQuery::PATTERN, None))
                    }
                    _ => None,
                };
                if let Some((pattern, max_length)) = shape {
                    parameter.schema = Some(shaped(pattern, max_length));
                }
                match (&parameter.parameter_in, parameter.name.as_str()) {
                    (ParameterIn::Query, "roles") => {
                        *parameter =
                            utoipa::openapi::path::ParameterBuilder::from(parameter.clone())
                                .schema(Some(params::role_list_schema()))
                                .example(Some(serde_json::json!([
                                    "technical-lead",
                                    "engineering-manager"
                                ])))
                                .build();
                    }
                    (ParameterIn::Query, "currency") => {
                        parameter.schema = Some(RefOr::T(params::currency_schema().into()))
                    }
                    _ => {}
                }
            }
            for (status, response) in operation.responses.responses.iter_mut() {
                let (RefOr::T(response), Ok(status)) = (response, status.parse::<u16>()) else {
                    continue;
                };
                if let Some(content) = response.content.get_mut(PROBLEM_JSON) {
                    content.example = None;
                    content.examples = problem::examples(status)
                        .into_iter()
                        .map(|(name, value)| {
                            let example = utoipa::openapi::example::ExampleBuilder::new()
                                .value(Some(value))
                                .build();
                            (name, RefOr::T(example))
                        })
                        .collect();
                }
            }
        }
        if rate_limit::is_exempt(path) {
            continue;
        }
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            operation
                .responses
                .responses
                .insert("429".to_owned(), RefOr::T(problem::too_many_requests()));
        }
        if let Some(operation) = item.get.as_mut() {
            let not_modified = ResponseBuilder::new()
                .description("Not modified: the `If-None-Match` tag is the current `ETag`; no body")
                .build();
            operation
                .responses
                .responses
                .insert("304".to_owned(), RefOr::T(not_modified));
        }
    }
    document
}

/// The document's header, before the endpoints add themselves.
fn base_document() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    document
}

/// The finished OpenAPI document, serialized once.
pub struct OpenApiDocument {
    value: serde_json::Value,
    bytes: bytes::Bytes,
}

impl OpenApiDocument {
    pub fn new(document: &utoipa::openapi::OpenApi) -> Self {
        let value = serde_json::to_value(document).expect("the document serializes");
        let bytes = serde_json::to_vec(&value)
            .expect("a JSON value serializes")
            .into();
        Self { value, bytes }
    }
}

/// `GET /openapi.json`, its server set to where the client reached the
/// service: behind a proxy, Swagger UI's calls then carry the prefix.
pub async fn openapi_document(
    document: web::Data<OpenApiDocument>,
    request: actix_web::HttpRequest,
) -> HttpResponse {
    use actix_web::HttpMessage;
    let server = request
        .extensions()
        .get::<Reached>()
        .map(|reached| reached.server.clone())
        .filter(|server| server != "/");
    let body = match server {
        None => document.bytes.clone(),
        Some(server) => {
            let mut value = document.value.clone();
            value["servers"][0]["url"] = serde_json::Value::String(server);
            serde_json::to_vec(&value)
                .expect("a JSON value serializes")
                .into()
        }
    };
    HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body)
}

/// `/swagger-ui` without the slash would be a 404.
pub async fn swagger_ui_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/swagger-ui/"))
        .finish()
}

pub fn extractor_configs(config: &mut web::ServiceConfig) {
    config
        .app_data(web::PathConfig::default().error_handler(problem::path_error))
        .app_data(web::QueryConfig::default().error_handler(problem::query_error))
        .app_data(web::JsonConfig::default().error_handler(problem::json_error));
}

pub use problem::no_route;

/// A 200 JSON answer, with `Last-Modified` when the data has a date.
/// (`ETag` and `Cache-Control` are added by [`conditional_get`].)
pub fn respond<T: Serialize>(body: &T, last_modified: Option<DateTime<Utc>>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if let Some(at) = last_modified {
        response.insert_header((
            header::LAST_MODIFIED,
            header::HttpDate::from(std::time::SystemTime::from(at)),
        ));
    }
    response.json(body)
}

/// The methods a path answers (`GET, HEAD, POST`), if the API serves it,
/// matching `{…}` segments of the documented paths against any value. A
/// fixed segment wins over a `{…}` one, as in routing (`/roles/compare`).
pub fn allowed_methods(path: &str) -> Option<String> {
    static TEMPLATES: std::sync::OnceLock<Vec<(String, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    let templates = TEMPLATES.get_or_init(|| {
        let mut paths: Vec<(String, Vec<&'static str>)> = openapi()
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let mut methods = vec![];
                if item.get.is_some() {
                    methods.extend(["GET", "HEAD"]);
                }
                for (operation, name) in [
                    (&item.post, "POST"),
                    (&item.put, "PUT"),
                    (&item.patch, "PATCH"),
                    (&item.delete, "DELETE"),
                ] {
                    if operation.is_some() {
                        methods.push(name);
                    }
                }
                (template.clone(), methods)
            })
            .collect();
        paths.push(("/openapi.json".to_owned(), vec!["GET", "HEAD"]));
        paths
    });
    let segments: Vec<&str> = path.split('/').collect();
    let matches = |template: &str, exact_only: bool| {
        let parts: Vec<&str> = template.split('/').collect();
        parts.len() == segments.len()
            && parts.iter().zip(&segments).all(|(part, segment)| {
                part == segment || (!exact_only && part.starts_with('{') && !segment.is_empty())
            })
    };
    let exact = templates
        .iter()
        .find(|(template, _)| matches(template, true));
    exact
        .or_else(|| {
            templates
                .iter()
                .find(|(template, _)| matches(template, false))
        })
        .map(|(_, methods)| methods.join(", "))
        .or_else(|| {
            // Served, but not API operations: Swagger UI's files and the scrape.
            let read_only = path == "/metrics" || path.starts_with("/swagger-ui/");
            read_only.then(|| "GET, HEAD".to_owned())
        })
}
