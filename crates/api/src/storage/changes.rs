//! The change feed: every committed change, in commit order.
//!
//! Every writing transaction starts with [`begin_writing`], which takes the
//! row lock on `change_clock` and holds it until the transaction ends; it
//! appends its changes last, through [`append`]. Writers therefore commit one
//! after another, positions are handed out in commit order, and a reader that
//! pages by position can never skip a change that commits late. Taking the
//! one lock first also gives every writer the same lock order (no deadlocks
//! between role rows and shared counters); a knowledge base's write rate is
//! far below what one writer at a time can do.

use super::{Reads, StorageError};
use crate::etags::{PLAIN_ROLE, role_etag};
use chrono::{DateTime, Utc};
use tokio_postgres::Transaction;
use uuid::Uuid;

/// One change, before it has a position.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: ChangeKind,
    /// The changed resource's path, e.g. `/roles/{uuid}`.
    pub resource: String,
    pub role: Option<(Uuid, i32)>,
    pub actor: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    RoleCreated,
    RoleUpdated,
    RoleDeleted,
    SkillCreated,
    SkillUpdated,
    SourceCreated,
    KnowledgeBaseLoaded,
    DatasetImported,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RoleCreated => "role.created",
            Self::RoleUpdated => "role.updated",
            Self::RoleDeleted => "role.deleted",
            Self::SkillCreated => "skill.created",
            Self::SkillUpdated => "skill.updated",
            Self::SourceCreated => "source.created",
            Self::KnowledgeBaseLoaded => "knowledge_base.loaded",
            Self::DatasetImported => "dataset.imported",
        }
    }
}

/// A committed change.
#[derive(Debug, Clone)]
pub struct ChangeEntry {
    pub position: i64,
    pub kind: String,
    pub resource: String,
    pub etag: Option<String>,
    pub version: Option<i32>,
    pub actor: String,
    pub changed_at: DateTime<Utc>,
}

/// Makes the transaction the one writer: call it before anything else it writes.
pub async fn begin_writing(tx: &Transaction<'_>) -> Result<(), StorageError> {
    tx.execute("SELECT position FROM change_clock FOR UPDATE", &[])
        .await?;
    Ok(())
}

/// Appends the transaction's changes, as its last write.
pub async fn append(tx: &Transaction<'_>, changes: &[Change]) -> Result<(), StorageError> {
    if changes.is_empty() {
        return Ok(());
    }
    let count = changes.len() as i64;
    let last: i64 = tx
        .query_one(
            "UPDATE change_clock SET position = position + $1 RETURNING position",
            &[&count],
        )
        .await?
        .get(0);
    let generation = super::shared_generation(tx).await?;
    let statement = tx
        .prepare(
            "INSERT INTO changes (position, kind, resource, role_id, version, etag, actor)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .await?;
    for (offset, change) in changes.iter().enumerate() {
        let etag = match (change.kind, change.role) {
            (ChangeKind::RoleDeleted, _) | (_, None) => None,
            (_, Some((id, version))) => Some(role_etag(id, version, generation, PLAIN_ROLE)),
        };
        tx.execute(
            &statement,
            &[
                &(last - count + 1 + offset as i64),
                &change.kind.as_str(),
                &change.resource,
                &change.role.map(|(id, _)| id),
                &change.role.map(|(_, version)| version),
                &etag,
                &change.actor,
            ],
        )
        .await?;
    }
    Ok(())
}

/// Up to `limit` changes after `since`, oldest first.
#[tracing::instrument(skip(client))]
pub async fn list(
    client: &impl Reads,
    since: i64,
    limit: i64,
) -> Result<Vec<ChangeEntry>, StorageError> {
    let rows = client
        .rows(
            "SELECT position, kind, resource, etag, version, actor, changed_at
             FROM changes WHERE position > $1 ORDER BY position LIMIT $2",
            &[&since, &limit],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| ChangeEntry {
            position: row.get(0),
            kind: row.get(1),
            resource: row.get(2),
            etag: row.get(3),
            version: row.get(4),
            actor: row.get(5),
            changed_at: row.get(6),
        })
        .collect())
}
