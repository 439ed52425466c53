//! Reading a role's revisions: every change, with the role document before
//! and after it. Revisions outlive the role.

use super::{Reads, StorageError};
use chrono::{DateTime, Utc};
use tokio_postgres::Row;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Revision {
    /// The role's version after the change (create = 1; delete = last + 1).
    pub number: i32,
    /// `create`, `update` or `delete`.
    pub operation: String,
    pub actor: String,
    pub changed_at: DateTime<Utc>,
    pub role_slug: String,
    /// The role document before and after; absent for revisions recorded
    /// before documents were kept.
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

const COLUMNS: &str = "version, action, actor, changed_at, role_slug, before, after";

fn revision(row: &Row) -> Revision {
    Revision {
        number: row.get(0),
        operation: row.get(1),
        actor: row.get(2),
        changed_at: row.get(3),
        role_slug: row.get(4),
        before: row.get(5),
        after: row.get(6),
    }
}

/// Up to `limit` revisions numbered below `before` (all when `None`), newest
/// first, and whether more follow.
#[tracing::instrument(skip(client))]
pub async fn list(
    client: &impl Reads,
    role_id: Uuid,
    before: Option<i32>,
    limit: i64,
) -> Result<(Vec<Revision>, bool), StorageError> {
    let rows = client
        .rows(
            &format!(
                "SELECT {COLUMNS} FROM revisions
                 WHERE role_id = $1 AND ($2::integer IS NULL OR version < $2)
                 ORDER BY version DESC LIMIT $3"
            ),
            &[&role_id, &before, &(limit + 1)],
        )
        .await?;
    let more = rows.len() as i64 > limit;
    Ok((
        rows.iter().take(limit as usize).map(revision).collect(),
        more,
    ))
}

pub async fn get(
    client: &impl Reads,
    role_id: Uuid,
    number: i32,
) -> Result<Option<Revision>, StorageError> {
    Ok(client
        .row(
            &format!("SELECT {COLUMNS} FROM revisions WHERE role_id = $1 AND version = $2"),
            &[&role_id, &number],
        )
        .await?
        .as_ref()
        .map(revision))
}
