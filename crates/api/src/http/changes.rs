//! `/changes`: every committed change in commit order, for mirrors that
//! follow the knowledge base without re-reading it.

use super::{ApiError, QueryErrors, params::Params};
use crate::storage::{self, StorageError};
use crate::views::{ChangeList, ChangeView};
use actix_web::{HttpResponse, get, web};
use deadpool_postgres::Pool;
use rolebase_domain::InvalidValue;
use serde::Deserialize;
use utoipa::IntoParams;

pub const TAG: &str = "changes";

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(list_changes);
}

/// A cursor is a feed position, as 16 hex digits: opaque to clients.
fn encode(position: i64) -> String {
    format!("{position:016x}")
}

/// Any 16 hex digits are a position: one past the end just has nothing after it yet.
fn decode(raw: &str) -> Result<i64, InvalidValue> {
    let hex = raw.len() == 16 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    hex.then(|| u64::from_str_radix(raw, 16).ok())
        .flatten()
        .map(|position| i64::try_from(position).unwrap_or(i64::MAX))
        .ok_or_else(|| {
            InvalidValue::new(
                "invalid_cursor",
                format!("`{raw}` is not a cursor the change feed gave"),
            )
        })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ChangesQuery {
    /// The `next_cursor` (or an entry's `cursor`) of an earlier page: only
    /// changes after it. Without it, the feed from its beginning.
    #[param(pattern = "^[0-9a-f]{16}$", example = "0000000000000000")]
    since: Option<String>,
    /// Changes per page, 1 to 1000.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000, default = 100, example = 100)]
    limit: Option<String>,
}

/// Follow every change
///
/// Every committed change — roles created, updated and deleted, skills and
/// sources, knowledge-base loads — in commit order, each with the changed
/// resource's address and its new `ETag`. Store `next_cursor` and pass it as
/// `since` next time: nothing is missed and nothing is seen twice, however
/// many editors write at once.
#[utoipa::path(
    tag = TAG,
    params(ChangesQuery),
    responses((status = 200, description = "Changes after `since`, oldest first", body = ChangeList), QueryErrors)
)]
#[get("/changes")]
async fn list_changes(
    pool: web::Data<Pool>,
    query: web::Query<ChangesQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut params = Params::new();
    let since = params
        .read("since", query.since.as_deref(), decode)
        .unwrap_or(0);
    let limit = params.whole_number("limit", query.limit.as_deref(), 1, 1000, 100);
    params.finish()?;
    let client = pool.get().await.map_err(StorageError::from)?;
    let entries = storage::changes::list(&*client, since, limit).await?;
    let next_cursor = encode(entries.last().map_or(since, |entry| entry.position));
    let items = entries
        .into_iter()
        .map(|entry| ChangeView {
            cursor: encode(entry.position),
            kind: entry.kind,
            resource: entry.resource,
            etag: entry.etag,
            version: entry.version,
            actor: entry.actor,
            changed_at: entry.changed_at,
        })
        .collect();
    // A feed is polled for what is new: a cached page would hide it.
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-cache"))
        .json(ChangeList { items, next_cursor }))
}
