//! `/roles/{id}/revisions`: every change to a role, with the document before
//! and after it and the JSON Patch between them. Readable after a deletion.

use super::{
    ApiError, Code, RoleErrors,
    params::{Params, next_page},
    roles::TAG,
};
use crate::storage::Reads;
use crate::storage::{
    self, StorageError,
    revisions::Revision as StoredRevision,
    role_aggregate::{self, Lookup},
};
use crate::views::{Revision, RevisionList, RevisionOperation, RevisionSummary, RoleLink};
use actix_web::{HttpRequest, HttpResponse, get, web};
use deadpool_postgres::Pool;
use rolebase_domain::RoleRef;
use serde::Deserialize;
use utoipa::IntoParams;

/// A revisions cursor is the hex of the last number shown, as decimal digits
/// (so `33` is revision 3).
pub const CURSOR_PATTERN: &str = "^(3[0-9]){1,9}$";

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_revisions)
        .service(get_revision)
        .service(get_revision_diff);
}

/// The role a revision path names, live or deleted.
async fn role_with_history(client: &impl Reads, raw_id: &str) -> Result<RoleLink, ApiError> {
    let role = RoleRef::parse(raw_id)
        .map_err(|error| ApiError::invalid_field("path.id", error.code, error.message))?;
    if let Some(state) = storage::roles::state(client, &role).await? {
        return Ok(state.link);
    }
    match role_aggregate::lookup(client, &role).await? {
        Lookup::Deleted { id, slug } => {
            let last = storage::revisions::list(client, id, None, 1).await?.0;
            let title = last
                .first()
                .and_then(|revision| revision.before.as_ref())
                .and_then(|document| document["title"].as_str())
                .unwrap_or(&slug)
                .to_owned();
            Ok(RoleLink { id, slug, title })
        }
        _ => Err(ApiError::role_not_found(role)),
    }
}

fn summary(revision: &StoredRevision) -> RevisionSummary {
    RevisionSummary {
        number: revision.number,
        operation: match revision.operation.as_str() {
            "create" => RevisionOperation::Create,
            "delete" => RevisionOperation::Delete,
            _ => RevisionOperation::Update,
        },
        actor: revision.actor.clone(),
        changed_at: revision.changed_at,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RevisionsQuery {
    /// Revisions per page, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20, example = 20)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page, as it was given.
    cursor: Option<String>,
}

/// List a role's revisions
///
/// Every change to the role, newest first: who made it, when, and what kind
/// of change it was. A deleted role's revisions stay readable.
#[utoipa::path(
    tag = TAG,
    params(("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"), RevisionsQuery),
    responses((status = 200, description = "The role's revisions", body = RevisionList), RoleErrors)
)]
#[get("/roles/{id}/revisions")]
async fn list_revisions(
    pool: web::Data<Pool>,
    id: web::Path<String>,
    query: web::Query<RevisionsQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let page = params.page(query.limit.as_deref(), query.cursor.as_deref());
    // The cursor holds the number of the last revision shown.
    let before = match &page.after {
        None => None,
        Some(bytes) => match std::str::from_utf8(bytes).ok().and_then(|n| n.parse().ok()) {
            Some(number) => Some(number),
            None => {
                params.refuse(
                    "cursor",
                    "invalid_cursor",
                    "cursor: not a cursor this list gave",
                );
                None
            }
        },
    };
    params.finish()?;
    let limit = page.limit;
    let client = pool.get().await.map_err(StorageError::from)?;
    let role = role_with_history(&*client, &id).await?;
    let (revisions, more) = storage::revisions::list(&*client, role.id, before, limit).await?;
    let last = revisions.last().map(|revision| revision.number.to_string());
    let (next_cursor, mut response) = next_page(&request, more, last.as_deref());
    Ok(response.json(RevisionList {
        role,
        items: revisions.iter().map(summary).collect(),
        next_cursor,
    }))
}

async fn stored_revision(
    pool: &Pool,
    raw_id: &str,
    number: &str,
) -> Result<(RoleLink, StoredRevision), ApiError> {
    let client = pool.get().await.map_err(StorageError::from)?;
    let role = role_with_history(&*client, raw_id).await?;
    let missing = || {
        ApiError::new(
            Code::RevisionNotFound,
            format!("role `{}` has no revision {number}", role.slug),
        )
    };
    let number: i32 = number.parse().map_err(|_| missing())?;
    let revision = storage::revisions::get(&*client, role.id, number)
        .await?
        .ok_or_else(missing)?;
    Ok((role, revision))
}

/// Get one revision of a role
///
/// The change with the role's document before and after it.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("n" = String, Path, description = "The revision's number", example = "1", pattern = "^[0-9]{1,9}$")
    ),
    responses((status = 200, description = "The revision", body = Revision), RoleErrors)
)]
#[get("/roles/{id}/revisions/{n}")]
async fn get_revision(
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (role, revision) = stored_revision(&pool, &path.0, &path.1).await?;
    Ok(super::respond(
        &Revision {
            summary: summary(&revision),
            role,
            before: revision.before,
            after: revision.after,
        },
        Some(revision.changed_at),
    ))
}

/// What a revision changed, as a JSON Patch
///
/// An RFC 6902 JSON Patch that turns the role's document after revision
/// `n − 1` (nothing, for the first) into its document after revision `n`.
#[utoipa::path(
    tag = TAG,
    params(
        ("id" = String, Path, description = "The role's UUID or slug", example = "technical-lead"),
        ("n" = String, Path, description = "The revision's number", example = "1", pattern = "^[0-9]{1,9}$")
    ),
    responses(
        (status = 200, description = "The patch", content_type = "application/json-patch+json",
         body = Vec<Object>, example = json!([{"op": "replace", "path": "/title", "value": "Tech Lead"}])),
        RoleErrors
    )
)]
#[get("/roles/{id}/revisions/{n}/diff")]
async fn get_revision_diff(
    pool: web::Data<Pool>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (_, revision) = stored_revision(&pool, &path.0, &path.1).await?;
    let null = serde_json::Value::Null;
    let patch = json_patch::diff(
        revision.before.as_ref().unwrap_or(&null),
        revision.after.as_ref().unwrap_or(&null),
    );
    Ok(HttpResponse::Ok()
        .content_type("application/json-patch+json")
        .insert_header((
            actix_web::http::header::LAST_MODIFIED,
            actix_web::http::header::HttpDate::from(std::time::SystemTime::from(
                revision.changed_at,
            )),
        ))
        .json(patch))
}
