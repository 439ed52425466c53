//! PostgreSQL access, one module per aggregate. Functions take a client or a
//! transaction; the SQL stays readable in place.

pub mod api_keys;
pub mod catalogue;
pub mod catalogue_writes;
pub mod changes;
pub mod children;
pub mod idempotency;
pub mod knowledge_base;
pub mod occupations;
pub mod oews;
pub mod relation_writes;
pub mod relations;
pub mod revisions;
pub mod role_aggregate;
pub mod roles;
pub mod search;
pub mod titles;

use tokio_postgres::{Row, types::ToSql};
use uuid::Uuid;

/// Ids of curated rows are derived from their keys, so the same knowledge base
/// gets the same ids on every machine.
const ID_NAMESPACE: Uuid = Uuid::from_u128(0x5c6a_7d0e_2b4f_4c1e_9a3d_8f7e_6b5a_4c3d);

pub fn curated_id(kind: &str, key: &str) -> Uuid {
    Uuid::new_v5(&ID_NAMESPACE, format!("{kind}:{key}").as_bytes())
}

/// A pooled connection, for reads whose statements it keeps prepared.
pub type Pooled = deadpool_postgres::ClientWrapper;

/// The parameters of a statement.
pub type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// Where a read runs. A pooled connection keeps each distinct statement text
/// parsed and planned once, not on every call; a write's transaction prepares
/// its own (writes are rare, and its statements die with it).
///
/// Reads issued together on one connection (`tokio::try_join!`) are
/// pipelined: sent at once and answered in one round trip.
pub trait Reads: Sync {
    fn rows<'a>(
        &'a self,
        sql: &'a str,
        params: Params<'a>,
    ) -> impl Future<Output = Result<Vec<Row>, tokio_postgres::Error>> + Send + 'a;

    /// The first row, if any.
    fn row<'a>(
        &'a self,
        sql: &'a str,
        params: Params<'a>,
    ) -> impl Future<Output = Result<Option<Row>, tokio_postgres::Error>> + Send + 'a {
        async move { Ok(self.rows(sql, params).await?.into_iter().next()) }
    }
}

impl Reads for Pooled {
    async fn rows<'a>(
        &'a self,
        sql: &'a str,
        params: Params<'a>,
    ) -> Result<Vec<Row>, tokio_postgres::Error> {
        let statement = self.prepare_cached(sql).await?;
        self.query(&statement, params).await
    }
}

impl Reads for deadpool_postgres::Object {
    fn rows<'a>(
        &'a self,
        sql: &'a str,
        params: Params<'a>,
    ) -> impl Future<Output = Result<Vec<Row>, tokio_postgres::Error>> + Send + 'a {
        (**self).rows(sql, params)
    }
}

impl Reads for tokio_postgres::Transaction<'_> {
    fn rows<'a>(
        &'a self,
        sql: &'a str,
        params: Params<'a>,
    ) -> impl Future<Output = Result<Vec<Row>, tokio_postgres::Error>> + Send + 'a {
        self.query(sql, params)
    }
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

impl StorageError {
    /// Whether the database could not be reached or stopped answering (down,
    /// restarting, cut off, overloaded, a statement past its timeout), as
    /// opposed to a fault in what was asked: the first is a 503 to retry,
    /// the second a 500.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Unavailable(_) => true,
            Self::Database(error) => {
                let class = error.code().and_then(|code| code.code().get(..2));
                error.is_closed()
                    // Connection exceptions; insufficient resources (too many
                    // connections); operator intervention (shutdown, starting
                    // up, statement canceled by its timeout).
                    || matches!(class, Some("08" | "53" | "57"))
                    || std::error::Error::source(error)
                        .is_some_and(|source| source.is::<std::io::Error>())
            }
            Self::Corrupt(_) => false,
        }
    }
}

/// A page of a list ordered by a unique key: at most `limit` rows after `after`.
#[derive(Debug, Clone)]
pub struct Page {
    pub limit: i64,
    /// The key to resume after, as bytes (keys compare byte for byte).
    pub after: Option<Vec<u8>>,
}

/// The generation role ETags carry for what many roles show (see `etags`).
pub async fn shared_generation(client: &impl Reads) -> Result<i64, StorageError> {
    let row = client
        .row("SELECT generation FROM shared_generation", &[])
        .await?;
    Ok(row.map_or(0, |row| row.get(0)))
}

/// Marks a change that shows on roles other than the one changed.
pub async fn bump_shared_generation(
    client: &impl tokio_postgres::GenericClient,
) -> Result<(), StorageError> {
    client
        .execute(
            "UPDATE shared_generation SET generation = generation + 1",
            &[],
        )
        .await?;
    Ok(())
}

/// The name of the constraint a unique violation broke, if that is what the error is.
pub fn violated_unique_constraint(error: &tokio_postgres::Error) -> Option<&str> {
    let db = error.as_db_error()?;
    (*db.code() == tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
        .then(|| db.constraint())
        .flatten()
}
