//! `/roles`: what each role is, and what it requires.

use super::{ApiError, RoleErrors, ServiceErrors};
use crate::storage::{self, StorageError};
use crate::views::{RequirementList, RoleDetail, RoleList};
use actix_web::{get, web};
use deadpool_postgres::Pool;
use rolebase_domain::RoleRef;

pub const TAG: &str = "roles";

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_roles)
        .service(get_role)
        .service(get_requirements);
}

/// Reads the `{id}` of a path: a role's UUID or its slug.
fn role_ref(raw: &str) -> Result<RoleRef, ApiError> {
    RoleRef::parse(raw)
        .map_err(|error| ApiError::invalid_field("path.id", error.code, error.message))
}

fn not_found(role: &RoleRef) -> ApiError {
    ApiError::NotFound(format!("no role has the id or slug `{role}`"))
}

/// List roles
///
/// Every role with its summary, ordered by slug.
#[utoipa::path(tag = TAG, responses((status = 200, description = "The roles", body = RoleList), ServiceErrors))]
#[get("/roles")]
async fn list_roles(pool: web::Data<Pool>) -> Result<web::Json<RoleList>, ApiError> {
    let client = pool.get().await.map_err(StorageError::from)?;
    Ok(web::Json(storage::roles::list(&**client).await?))
}

/// Get a role
///
/// The role in full: description, alternative titles, occupation codes, sources.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead")),
    responses((status = 200, description = "The role", body = RoleDetail), RoleErrors)
)]
#[get("/roles/{id}")]
async fn get_role(
    pool: web::Data<Pool>,
    id: web::Path<String>,
) -> Result<web::Json<RoleDetail>, ApiError> {
    let role = role_ref(&id)?;
    let client = pool.get().await.map_err(StorageError::from)?;
    storage::roles::find(&**client, &role)
        .await?
        .map(web::Json)
        .ok_or_else(|| not_found(&role))
}

/// List a role's requirements
///
/// Education, experience, certifications, training: structured by kind, each
/// marked required or preferred, in the role's order.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead")),
    responses((status = 200, description = "The role's requirements", body = RequirementList), RoleErrors)
)]
#[get("/roles/{id}/requirements")]
async fn get_requirements(
    pool: web::Data<Pool>,
    id: web::Path<String>,
) -> Result<web::Json<RequirementList>, ApiError> {
    let role = role_ref(&id)?;
    let client = pool.get().await.map_err(StorageError::from)?;
    storage::roles::requirements(&**client, &role)
        .await?
        .map(web::Json)
        .ok_or_else(|| not_found(&role))
}
