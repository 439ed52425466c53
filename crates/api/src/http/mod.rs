//! The HTTP API: one module per resource, each with its `configure`, and the
//! OpenAPI document they make together.

mod caching;
mod career;
mod catalogue;
mod health;
mod params;
mod problem;
mod roles;

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

/// What every cacheable read shares, added once rather than on each path: the
/// 304 answer to a current `If-None-Match`.
pub fn finish_document(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{RefOr, ResponseBuilder};
    for (path, item) in document.paths.paths.iter_mut() {
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
