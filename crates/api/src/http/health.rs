//! Liveness and readiness, for orchestrators and load balancers.

use super::{ApiError, ServiceErrors};
use actix_web::{HttpResponse, get, web};
use deadpool_postgres::Pool;
use serde::Serialize;
use utoipa::ToSchema;

pub const TAG: &str = "health";

/// A health answer is about this moment: never cached.
const NO_STORE: (actix_web::http::header::HeaderName, &str) =
    (actix_web::http::header::CACHE_CONTROL, "no-store");

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(live).service(ready);
}

/// Is the process up?
///
/// Answers 200 as long as the service runs, whatever the state of the database.
#[utoipa::path(tag = TAG, responses((status = 200, description = "The service runs", body = Health)))]
#[get("/health/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(NO_STORE)
        .json(Health { status: "ok" })
}

/// Can the service answer requests?
///
/// Checks that the database answers a query.
#[utoipa::path(tag = TAG, responses((status = 200, description = "The database answers", body = Health), ServiceErrors))]
#[get("/health/ready")]
async fn ready(pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    let client = pool
        .get()
        .await
        .map_err(crate::storage::StorageError::from)?;
    client
        .execute("SELECT 1", &[])
        .await
        .map_err(crate::storage::StorageError::from)?;
    Ok(HttpResponse::Ok()
        .insert_header(NO_STORE)
        .json(Health { status: "ok" }))
}
