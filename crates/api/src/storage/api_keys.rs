//! API keys: created, listed and revoked by `rolebase api-key`, checked on
//! every write.
//!
//! A key reads `rb_<id>_<secret>`. Only the secret's SHA-256 is stored; the id
//! finds the row and the hashes are compared in constant time. The secret has
//! 256 random bits, so a plain hash is enough: nothing can be guessed from it.

use super::{Reads, StorageError};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio_postgres::GenericClient;

/// What a key may do. `Admin` can do everything `Write` can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Roles and their children.
    Write,
    /// Also the shared catalogue: skills and sources, which every role shows.
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Write => "write",
            Self::Admin => "admin",
        }
    }

    pub fn allows(self, needed: Scope) -> bool {
        self >= needed
    }
}

impl std::str::FromStr for Scope {
    type Err = ApiKeyError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "write" => Ok(Self::Write),
            "admin" => Ok(Self::Admin),
            other => Err(ApiKeyError::UnknownScope(other.to_owned())),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiKeyError {
    #[error("`{0}` is not a scope: choose write or admin")]
    UnknownScope(String),
    #[error(
        "`{0}` is not a key name: 1 to 100 letters, digits, dots, hyphens or underscores, starting with a letter or digit"
    )]
    InvalidName(String),
    #[error("a live key is already named `{0}`: revoke it first, or choose another name")]
    NameTaken(String),
    #[error("could not draw random bytes for the key: {0}")]
    Random(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A key as `api-key list` shows it: never the key itself.
#[derive(Debug, Clone)]
pub struct ApiKeyInfo {
    pub name: String,
    pub scope: Scope,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Who a valid key belongs to.
#[derive(Debug, Clone)]
pub struct KeyHolder {
    /// The key's public id: idempotency keys are kept per API key.
    pub key_id: String,
    /// The key's name: the actor its changes are recorded under.
    pub name: String,
    pub scope: Scope,
}

const PREFIX: &str = "rb_";

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= 100
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Creates a key and returns it: the only time it is ever shown.
pub async fn create(
    client: &impl GenericClient,
    name: &str,
    scope: Scope,
) -> Result<String, ApiKeyError> {
    if !valid_name(name) {
        return Err(ApiKeyError::InvalidName(name.to_owned()));
    }
    let mut id = [0u8; 8];
    let mut secret = [0u8; 32];
    getrandom::fill(&mut id).map_err(|error| ApiKeyError::Random(error.to_string()))?;
    getrandom::fill(&mut secret).map_err(|error| ApiKeyError::Random(error.to_string()))?;
    let (id, secret) = (hex::encode(id), hex::encode(secret));
    let hash = Sha256::digest(secret.as_bytes()).to_vec();
    let inserted = client
        .execute(
            "INSERT INTO api_keys (id, name, scope, secret_hash) VALUES ($1, $2, $3, $4)",
            &[&id, &name, &scope.as_str(), &hash],
        )
        .await;
    match inserted {
        Ok(_) => Ok(format!("{PREFIX}{id}_{secret}")),
        Err(error) if super::violated_unique_constraint(&error).is_some() => {
            Err(ApiKeyError::NameTaken(name.to_owned()))
        }
        Err(error) => Err(StorageError::from(error).into()),
    }
}

/// Every key, live and revoked, oldest first.
pub async fn list(client: &impl GenericClient) -> Result<Vec<ApiKeyInfo>, StorageError> {
    let rows = client
        .query(
            "SELECT name, scope, created_at, revoked_at FROM api_keys ORDER BY created_at, id",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| ApiKeyInfo {
            name: row.get(0),
            // The schema allows only the two scopes.
            scope: row.get::<_, &str>(1).parse().unwrap_or(Scope::Write),
            created_at: row.get(2),
            revoked_at: row.get(3),
        })
        .collect())
}

/// Revokes the live key of that name; false when there is none.
pub async fn revoke(client: &impl GenericClient, name: &str) -> Result<bool, StorageError> {
    let revoked = client
        .execute(
            "UPDATE api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL",
            &[&name],
        )
        .await?;
    Ok(revoked > 0)
}

/// The holder of a presented key, if it is live. Read on every request, so a
/// revocation holds from the next request on.
pub async fn authenticate(
    client: &impl Reads,
    presented: &str,
) -> Result<Option<KeyHolder>, StorageError> {
    let Some((id, secret)) = presented
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('_'))
    else {
        return Ok(None);
    };
    if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let row = client
        .row(
            "SELECT name, scope, secret_hash FROM api_keys WHERE id = $1 AND revoked_at IS NULL",
            &[&id],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let stored: &[u8] = row.get(2);
    let presented_hash = Sha256::digest(secret.as_bytes());
    if !bool::from(presented_hash.as_slice().ct_eq(stored)) {
        return Ok(None);
    }
    Ok(Some(KeyHolder {
        key_id: id.to_owned(),
        name: row.get(0),
        scope: row.get::<_, &str>(1).parse().unwrap_or(Scope::Write),
    }))
}
