//! `/problems/{code}`: what each error code means and what to do, so that
//! every problem's `type` URI resolves.

use super::{ApiError, Code, ServiceErrors};
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

pub const TAG: &str = "problems";

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(list_problem_types).service(get_problem_type);
}

/// A kind of problem the API reports.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemType {
    #[schema(example = "precondition_failed")]
    pub code: String,
    #[schema(example = 412)]
    pub status: u16,
    #[schema(example = "Precondition failed")]
    pub title: String,
    /// What the problem means and what to do about it.
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemTypeList {
    pub items: Vec<ProblemType>,
}

fn problem_type(code: Code) -> ProblemType {
    ProblemType {
        code: code.as_str().to_owned(),
        status: code.status().as_u16(),
        title: code.title().to_owned(),
        description: code.description().to_owned(),
    }
}

/// List the kinds of problem
///
/// Every `code` an error can carry, with its status and what to do.
#[utoipa::path(
    tag = TAG,
    responses((status = 200, description = "Every kind of problem", body = ProblemTypeList), ServiceErrors)
)]
#[get("/problems")]
async fn list_problem_types() -> HttpResponse {
    let items = Code::ALL.iter().copied().map(problem_type).collect();
    super::respond(&ProblemTypeList { items }, None)
}

/// Explain a kind of problem
///
/// What an error's `type` points to: the meaning of its `code`, and what to do.
#[utoipa::path(
    tag = TAG,
    params(("code" = String, Path, description = "An error's `code`", example = "precondition_failed", pattern = "^[a-z_]{1,40}$")),
    responses(
        (status = 200, description = "The kind of problem", body = ProblemType),
        (status = 404, description = "No problem has this code", body = super::Problem, content_type = "application/problem+json"),
        ServiceErrors
    )
)]
#[get("/problems/{code}")]
async fn get_problem_type(code: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let found = Code::parse(&code).ok_or_else(|| {
        ApiError::new(
            Code::RouteNotFound,
            format!("no problem has the code `{code}`; GET /problems lists them"),
        )
    })?;
    Ok(super::respond(&problem_type(found), None))
}
