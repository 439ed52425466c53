//! The HTTP API: one module per resource, each with its `configure`, and the
//! OpenAPI document they make together.

mod caching;
mod career;
mod catalogue;
mod health;
mod params;
mod problem;
mod roles;
pub(crate) mod search;

pub use caching::conditional_get;
pub use problem::{
    ApiError, FieldError, LookupErrors, PROBLEM_JSON, Problem, QueryErrors, RoleErrors,
    ServiceErrors,
};

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
- **Errors**: `application/problem+json` (RFC 9457) with a stable `code`; refused parameters are listed in `errors`, each by name (`query.limit`, `path.id`).",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    servers((url = "/", description = "This Rolebase service")),
    tags(
        (name = roles::TAG, description = "Roles: what each one is, does, requires, pays, and where it leads"),
        (name = career::TAG, description = "Routes from one role to another"),
        (name = search::TAG, description = "Finding the role a person means from what they typed"),
        (name = catalogue::TAG, description = "The shared catalogue: skills, job families, sources"),
        (name = health::TAG, description = "Liveness and readiness")
    ),
    components(schemas(Problem, FieldError))
)]
struct ApiDoc;

/// Registers every endpoint. Through `utoipa_actix_web`, each also lands in
/// the OpenAPI document.
pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    roles::configure(config);
    career::configure(config);
    catalogue::configure(config);
    search::configure(config);
    health::configure(config);
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
pub fn finish_document(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
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
        for operation in item.get.iter_mut() {
            for parameter in operation.parameters.iter_mut().flatten() {
                let shape = match (&parameter.parameter_in, parameter.name.as_str()) {
                    (ParameterIn::Path, "id") | (ParameterIn::Query, "from" | "to") => {
                        Some((params::ROLE_ID_PATTERN, Some(100)))
                    }
                    (ParameterIn::Path, "slug") | (ParameterIn::Query, "skill") => {
                        Some((params::SLUG_PATTERN, Some(100)))
                    }
                    (ParameterIn::Query, "cursor") => Some((params::CURSOR_PATTERN, Some(200))),
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
        }
        for operation in item.get.iter_mut() {
            for (status, response) in operation.responses.responses.iter_mut() {
                let (RefOr::T(response), Ok(status)) = (response, status.parse::<u16>()) else {
                    continue;
                };
                if let Some(content) = response.content.get_mut(PROBLEM_JSON) {
                    content.example = problem::example(status);
                }
            }
        }
        if path.starts_with("/health") {
            continue;
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
pub fn base_document() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    document
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

/// Whether a path is one the API serves (for any method), matching `{…}`
/// segments of the documented paths against any value.
pub fn is_known_path(path: &str) -> bool {
    static TEMPLATES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let templates = TEMPLATES.get_or_init(|| {
        let mut paths: Vec<String> = openapi().paths.paths.keys().cloned().collect();
        paths.push("/openapi.json".to_owned());
        paths
    });
    let segments: Vec<&str> = path.split('/').collect();
    templates.iter().any(|template| {
        let parts: Vec<&str> = template.split('/').collect();
        parts.len() == segments.len()
            && parts.iter().zip(&segments).all(|(part, segment)| {
                part == segment || (part.starts_with('{') && !segment.is_empty())
            })
    })
}
