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

/// Ready, and with which wage data: how fresh the figures are.
#[derive(Serialize, ToSchema)]
pub struct Readiness {
    #[schema(example = "ok")]
    pub status: &'static str,
    /// The imported OEWS releases, newest first (`GET /meta` says more).
    #[schema(example = json!(["2025A01"]))]
    pub oews_releases: Vec<String>,
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
/// Checks that the database answers a query, and names the wage releases it
/// holds.
#[utoipa::path(tag = TAG, responses((status = 200, description = "The database answers", body = Readiness), ServiceErrors))]
#[get("/health/ready")]
async fn ready(pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    let client = pool
        .get()
        .await
        .map_err(crate::storage::StorageError::from)?;
    let oews_releases = client
        .query("SELECT code FROM oews_releases ORDER BY code DESC", &[])
        .await
        .map_err(crate::storage::StorageError::from)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    Ok(HttpResponse::Ok().insert_header(NO_STORE).json(Readiness {
        status: "ok",
        oews_releases,
    }))
}
