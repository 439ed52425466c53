//! Responses kept for `Idempotency-Key` retries.
//!
//! A request with a key first claims it ([`claim`], committed at once). Its
//! response is stored inside the request's own transaction ([`complete`]), so
//! a kept response always belongs to a committed change. A request that fails
//! releases its claim ([`release`]) so the client can retry with the same key.

use super::StorageError;
use tokio_postgres::{GenericClient, Transaction};

/// How long a key is remembered.
pub const KEPT_HOURS: i32 = 24;
/// A claim older than this whose request never finished (the process died)
/// may be taken over.
const ABANDONED_SECONDS: i32 = 60;

/// A response to replay.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Debug)]
pub enum Claim {
    /// The key is ours: run the request.
    Claimed,
    /// The same request already ran: here is its response.
    Replay(StoredResponse),
    /// The key was used for another request.
    Reused,
    /// A request with this key is still running.
    InProgress,
}

pub async fn claim(
    client: &impl GenericClient,
    api_key_id: &str,
    key: &str,
    request_hash: &[u8],
) -> Result<Claim, StorageError> {
    // Expired keys go, whoever's they are: the table holds a day of writes.
    client
        .execute(
            "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)",
            &[&KEPT_HOURS],
        )
        .await?;
    let claimed = client
        .execute(
            "INSERT INTO idempotency_keys (api_key_id, key, request_hash) VALUES ($1, $2, $3)
             ON CONFLICT (api_key_id, key) DO UPDATE
                 SET request_hash = EXCLUDED.request_hash, created_at = now()
                 WHERE idempotency_keys.status IS NULL
                   AND idempotency_keys.created_at < now() - make_interval(secs => $4)",
            &[
                &api_key_id,
                &key,
                &request_hash,
                &f64::from(ABANDONED_SECONDS),
            ],
        )
        .await?;
    if claimed == 1 {
        return Ok(Claim::Claimed);
    }
    let row = client
        .query_opt(
            "SELECT request_hash, status, headers, body FROM idempotency_keys
             WHERE api_key_id = $1 AND key = $2",
            &[&api_key_id, &key],
        )
        .await?;
    // Gone between the two statements (expired, or released by a failed
    // request): the client may simply retry.
    let Some(row) = row else {
        return Ok(Claim::InProgress);
    };
    if row.get::<_, &[u8]>(0) != request_hash {
        return Ok(Claim::Reused);
    }
    let Some(status) = row.get::<_, Option<i16>>(1) else {
        return Ok(Claim::InProgress);
    };
    let headers: serde_json::Value = row.get(2);
    Ok(Claim::Replay(StoredResponse {
        status: status as u16,
        headers: serde_json::from_value(headers).unwrap_or_default(),
        body: row.get(3),
    }))
}

/// Stores the response, in the transaction that made the change.
pub async fn complete(
    tx: &Transaction<'_>,
    api_key_id: &str,
    key: &str,
    response: &StoredResponse,
) -> Result<(), StorageError> {
    let headers = serde_json::to_value(&response.headers).expect("pairs of strings serialize");
    tx.execute(
        "UPDATE idempotency_keys SET status = $3, headers = $4, body = $5
         WHERE api_key_id = $1 AND key = $2",
        &[
            &api_key_id,
            &key,
            &(response.status as i16),
            &headers,
            &response.body,
        ],
    )
    .await?;
    Ok(())
}

/// Gives the key up after a request that changed nothing.
pub async fn release(
    client: &impl GenericClient,
    api_key_id: &str,
    key: &str,
) -> Result<(), StorageError> {
    client
        .execute(
            "DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND status IS NULL",
            &[&api_key_id, &key],
        )
        .await?;
    Ok(())
}
