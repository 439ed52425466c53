//! PostgreSQL access, one module per aggregate. Functions take a client or a
//! transaction; the SQL stays readable in place.

pub mod catalogue;
pub mod children;
pub mod knowledge_base;
pub mod relations;
pub mod roles;
pub mod search;

use uuid::Uuid;

/// Ids of curated rows are derived from their keys, so the same knowledge base
/// gets the same ids on every machine.
const ID_NAMESPACE: Uuid = Uuid::from_u128(0x5c6a_7d0e_2b4f_4c1e_9a3d_8f7e_6b5a_4c3d);

pub fn curated_id(kind: &str, key: &str) -> Uuid {
    Uuid::new_v5(&ID_NAMESPACE, format!("{kind}:{key}").as_bytes())
}

/// Why a read or write could not be done.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No connection could be had: the database is down or overloaded.
    #[error("the database is unavailable: {0}")]
    Unavailable(#[from] deadpool_postgres::PoolError),
    #[error("database error: {0}")]
    Database(#[from] tokio_postgres::Error),
    #[error("the database holds a value Rolebase cannot read: {0}")]
    Corrupt(#[from] rolebase_domain::InvalidValue),
}

/// A page of a list ordered by a unique key: at most `limit` rows after `after`.
#[derive(Debug, Clone)]
pub struct Page {
    pub limit: i64,
    /// The key to resume after, as bytes (keys compare byte for byte).
    pub after: Option<Vec<u8>>,
}
