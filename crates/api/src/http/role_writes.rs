//! Writing roles: create, replace, merge-patch and delete, each one
//! transaction through the role aggregate.

use super::{
    ApiError, PreconditionErrors, WriteErrors,
    auth::{Authorized, Write},
    body::{self, JSON, MERGE_PATCH_JSON},
    role_input::RoleInput,
    roles::TAG,
    writes::{
        self, Answer, Begun, ChangeHeaders, Outcome, RetryHeader, current_etag, role_write_error,
    },
};
use crate::storage::{
    StorageError,
    changes::Change,
    role_aggregate::{self, Author, Expected, Lookup},
    roles,
};
use crate::views::RoleWithChildren;
use actix_web::{HttpRequest, HttpResponse, delete, http::StatusCode, patch, post, put, web};
use deadpool_postgres::Pool;
use rolebase_domain::{RoleContent, RoleRef};
use tokio_postgres::Transaction;
use uuid::Uuid;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_role)
        .service(replace_role)
        .service(patch_role)
        .service(delete_role);
}

fn author<'a>(auth: &'a Authorized<Write>) -> Author<'a> {
    Author {
        actor: auth.actor(),
        seed_digest: None,
        notes: serde_json::json!({}),
    }
}

/// The live role a path names: 404 when there never was one, 410 when it was deleted.
pub(super) async fn live_role(pool: &Pool, raw_id: &str) -> Result<Uuid, ApiError> {
    let role = RoleRef::parse(raw_id)
        .map_err(|error| ApiError::invalid_field("path.id", error.code, error.message))?;
    let client = pool.get().await.map_err(StorageError::from)?;
    match role_aggregate::lookup(&*client, &role).await? {
        Lookup::Live { id } => Ok(id),
        Lookup::Deleted { id, slug } => Err(super::roles::gone(id, &slug)),
        Lookup::Missing => Err(ApiError::role_not_found(role)),
    }
}

/// The role as `GET /roles/{id}` shows it, read inside the write's
/// transaction, with its new ETag.
async fn answer_with_role(
    tx: &Transaction<'_>,
    status: StatusCode,
    id: Uuid,
    version: i32,
) -> Result<Answer, ApiError> {
    let detail = roles::find(tx, &RoleRef::Id(id))
        .await?
        .ok_or_else(|| ApiError::role_not_found(id))?;
    let etag = current_etag(tx, id, version).await?;
    let body = RoleWithChildren {
        role: detail,
        responsibilities: None,
        requirements: None,
        skills: None,
        salaries: None,
        imported_salaries: None,
        career: None,
    };
    Ok(Answer::json(status, &body)
        .header("etag", etag)
        .header("location", format!("/roles/{id}")))
}

/// Create a role
///
/// Creates a role with the children the document embeds (a role may start
/// with none). Needs an API key with the `write` scope. Send an
/// `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = TAG,
    request_body(content = RoleInput, content_type = "application/json"),
    params(RetryHeader),
    responses(
        (status = 201, description = "The role, as `GET /roles/{id}` shows it", body = RoleWithChildren,
         headers(("Location" = String, description = "The new role's address"), ("ETag" = String, description = "Send it in `If-Match` to change the role"))),
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[post("/roles")]
async fn create_role(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let sent = body::read_json(&request, payload, JSON).await?;
    let content = body::decode::<RoleInput>(sent.value.clone())?.into_content()?;
    let run = match writes::begin(&pool, &auth.holder, &request, &sent.bytes).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Run(run) => run,
    };
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let tx = writes::transaction(&mut client).await?;
    let outcome = async {
        let mut changes = Vec::new();
        let id = Uuid::new_v4();
        let written = role_aggregate::create(&tx, id, &content, &author(&auth), &mut changes).await;
        let written = match written {
            Ok(written) => written,
            Err(error) => return Err(role_write_error(&tx, id, error).await),
        };
        let answer = answer_with_role(&tx, StatusCode::CREATED, id, written.version).await?;
        Ok(Outcome { answer, changes })
    }
    .await;
    run.settle(&pool, tx, outcome).await
}

/// Replace a role
///
/// Replaces the role and all its children with the document; the slug may
/// change. Needs `If-Match` with the role's current ETag.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ChangeHeaders
    ),
    request_body(content = RoleInput, content_type = "application/json"),
    responses(
        (status = 200, description = "The role as it is now", body = RoleWithChildren,
         headers(("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[put("/roles/{id}")]
async fn replace_role(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = live_role(&pool, &id).await?;
    let expected = writes::expected_version(&request, id)?;
    let sent = body::read_json(&request, payload, JSON).await?;
    let content = body::decode::<RoleInput>(sent.value.clone())?.into_content()?;
    let run = match writes::begin(&pool, &auth.holder, &request, &sent.bytes).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Run(run) => run,
    };
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let tx = writes::transaction(&mut client).await?;
    let outcome = replace_in(&tx, id, expected, &content, &auth).await;
    run.settle(&pool, tx, outcome).await
}

async fn replace_in(
    tx: &Transaction<'_>,
    id: Uuid,
    expected: Expected,
    content: &RoleContent,
    auth: &Authorized<Write>,
) -> Result<Outcome, ApiError> {
    let mut changes: Vec<Change> = Vec::new();
    let written =
        role_aggregate::replace(tx, id, expected, content, None, &author(auth), &mut changes).await;
    let written = match written {
        Ok(written) => written,
        Err(error) => return Err(role_write_error(tx, id, error).await),
    };
    let answer = answer_with_role(tx, StatusCode::OK, id, written.version).await?;
    Ok(Outcome { answer, changes })
}

/// Change part of a role
///
/// Applies a JSON Merge Patch (RFC 7396) to the role's document (the shape
/// `PUT` takes): fields given replace the current ones, `null` removes one,
/// lists are replaced whole. Needs `If-Match` with the role's current ETag.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ChangeHeaders
    ),
    request_body(content = Object, content_type = "application/merge-patch+json",
                 example = json!({"title": "Platform Engineering Lead", "isco_code": null})),
    responses(
        (status = 200, description = "The role as it is now", body = RoleWithChildren,
         headers(("ETag" = String, description = "The role's new ETag"))),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[patch("/roles/{id}")]
async fn patch_role(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = live_role(&pool, &id).await?;
    let expected = writes::expected_version(&request, id)?;
    let sent = body::read_json(&request, payload, MERGE_PATCH_JSON).await?;
    let run = match writes::begin(&pool, &auth.holder, &request, &sent.bytes).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Run(run) => run,
    };
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let tx = writes::transaction(&mut client).await?;
    let outcome = async {
        // The patch applies to the document as it stands; the version check
        // under the row lock in `replace` makes sure it still stands then.
        let current = role_aggregate::document(&tx, id)
            .await?
            .ok_or_else(|| ApiError::role_not_found(id))?;
        let mut document = serde_json::to_value(&current).expect("a role document serializes");
        json_patch::merge(&mut document, &sent.value);
        let content = body::decode::<RoleInput>(document)?.into_content()?;
        replace_in(&tx, id, expected, &content, &auth).await
    }
    .await;
    run.settle(&pool, tx, outcome).await
}

/// Delete a role
///
/// Deletes the role, its children, and the career steps and comparison notes
/// that name it. Its revisions stay readable; the role's address then
/// answers 410. Needs `If-Match` with the role's current ETag.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ChangeHeaders
    ),
    responses(
        (status = 204, description = "Deleted"),
        PreconditionErrors,
        WriteErrors
    ),
    security(("bearerAuth" = []))
)]
#[delete("/roles/{id}")]
async fn delete_role(
    auth: Authorized<Write>,
    pool: web::Data<Pool>,
    id: web::Path<String>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = live_role(&pool, &id).await?;
    let expected = writes::expected_version(&request, id)?;
    let run = match writes::begin(&pool, &auth.holder, &request, b"").await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Run(run) => run,
    };
    let mut client = pool.get().await.map_err(StorageError::from)?;
    let tx = writes::transaction(&mut client).await?;
    let outcome = async {
        let mut changes = Vec::new();
        match role_aggregate::delete(&tx, id, expected, &author(&auth), &mut changes).await {
            Ok(_) => Ok(Outcome {
                answer: Answer::no_content(),
                changes,
            }),
            Err(error) => Err(role_write_error(&tx, id, error).await),
        }
    }
    .await;
    run.settle(&pool, tx, outcome).await
}
