//! What every write shares: the `Idempotency-Key` claim, `If-Match`, and
//! committing the change with its feed entries and the kept response.
//!
//! A handler claims the key ([`begin`]), does its work in a transaction, and
//! hands the outcome to [`Run::settle`], which commits on success and gives
//! the key back on failure, so a refused request can be retried with it.

use super::{ApiError, Code, body};
use crate::documents::RoleDocuments;
use crate::etags::{PLAIN_ROLE, parse_role_etag, role_etag};
use crate::storage::Reads;
use crate::storage::{
    self, StorageError,
    api_keys::KeyHolder,
    changes::{self, Change},
    idempotency::{self, Claim, StoredResponse},
    role_aggregate::{Expected, WriteError},
};
use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use deadpool_postgres::Pool;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio_postgres::Transaction;
use uuid::Uuid;

/// The header every write takes, documented once.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct RetryHeader {
    /// Makes retries safe: a retry with the same key, method, path and body
    /// answers the first response again (1 to 200 visible ASCII characters;
    /// kept 24 hours per API key).
    #[param(rename = "Idempotency-Key", example = "create-platform-lead-1")]
    idempotency_key: Option<String>,
}

/// The headers of a change to an existing role, documented once.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct ChangeHeaders {
    /// The role's current ETag (from `GET /roles/{id}`, or any of its child
    /// lists), or `*`: 428 without it, 412 when the role has changed since.
    #[param(rename = "If-Match")]
    if_match: String,
    /// Makes retries safe (see `POST /roles`).
    #[param(rename = "Idempotency-Key")]
    idempotency_key: Option<String>,
}

/// A successful write's answer, kept whole for idempotent replays.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(status: StatusCode, body: &impl Serialize) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(body).expect("views serialize"),
        }
    }

    pub fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            headers: vec![],
            body: vec![],
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    fn into_response(self, replayed: bool) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            response.insert_header((name.as_str(), value.as_str()));
        }
        if replayed {
            response.insert_header(("idempotent-replayed", "true"));
        }
        if self.body.is_empty() {
            response.finish()
        } else {
            response.body(self.body)
        }
    }
}

/// What a write's transaction produced.
pub struct Outcome {
    pub answer: Answer,
    pub changes: Vec<Change>,
}

/// Either the kept response of an earlier identical request, or leave to run.
pub enum Begun {
    Replay(HttpResponse),
    Run(Run),
}

/// A write under way, holding its idempotency claim if it has one.
pub struct Run {
    claim: Option<(String, String)>,
    /// This process's cached role documents, dropped when the write commits:
    /// a client never reads, through the process it wrote through, what was
    /// there before (other processes follow the change notification).
    documents: Option<web::Data<RoleDocuments>>,
}

/// Claims the request's `Idempotency-Key`, if it sent one.
pub async fn begin(
    pool: &Pool,
    holder: &KeyHolder,
    request: &HttpRequest,
    body: &[u8],
) -> Result<Begun, ApiError> {
    let documents = request.app_data::<web::Data<RoleDocuments>>().cloned();
    let Some(key) = body::idempotency_key(request)? else {
        return Ok(Begun::Run(Run {
            claim: None,
            documents,
        }));
    };
    let mut hasher = Sha256::new();
    hasher.update(request.method().as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(request.uri().to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    let hash = hasher.finalize();
    let client = pool.get().await.map_err(StorageError::from)?;
    match idempotency::claim(&**client, &holder.key_id, &key, &hash).await? {
        Claim::Claimed => Ok(Begun::Run(Run {
            claim: Some((holder.key_id.clone(), key)),
            documents,
        })),
        Claim::Replay(stored) => Ok(Begun::Replay(
            Answer {
                status: StatusCode::from_u16(stored.status)
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                headers: stored.headers,
                body: stored.body,
            }
            .into_response(true),
        )),
        Claim::Reused => Err(ApiError::new(
            Code::IdempotencyKeyReused,
            format!("the Idempotency-Key `{key}` was used for another request"),
        )),
        Claim::InProgress => Err(ApiError::new(
            Code::IdempotencyKeyInProgress,
            format!("a request with the Idempotency-Key `{key}` is still running"),
        )
        .with_header(header::RETRY_AFTER, "1")),
    }
}

impl Run {
    /// Commits a successful outcome with its change-feed entries and kept
    /// response; on failure the transaction is dropped (rolled back) and the
    /// idempotency key given back.
    pub async fn settle(
        self,
        pool: &Pool,
        tx: Transaction<'_>,
        outcome: Result<Outcome, ApiError>,
    ) -> Result<HttpResponse, ApiError> {
        let committed = match outcome {
            Ok(outcome) => self.commit(tx, outcome).await,
            Err(error) => Err(error),
        };
        match committed {
            Ok(answer) => Ok(answer.into_response(false)),
            Err(error) => {
                if let Some((api_key_id, key)) = &self.claim {
                    // Best effort: an unreleased claim lapses after a minute.
                    if let Ok(client) = pool.get().await {
                        let _ = idempotency::release(&**client, api_key_id, key).await;
                    }
                }
                Err(error)
            }
        }
    }

    async fn commit(&self, tx: Transaction<'_>, outcome: Outcome) -> Result<Answer, ApiError> {
        if let Some((api_key_id, key)) = &self.claim {
            let stored = StoredResponse {
                status: outcome.answer.status.as_u16(),
                headers: outcome.answer.headers.clone(),
                body: outcome.answer.body.clone(),
            };
            idempotency::complete(&tx, api_key_id, key, &stored).await?;
        }
        changes::append(&tx, &outcome.changes).await?;
        tx.commit().await.map_err(StorageError::from)?;
        if let Some(documents) = &self.documents {
            documents.clear();
        }
        Ok(outcome.answer)
    }
}

/// A writing transaction on a pooled connection: writers take turns (see
/// `storage::changes`).
pub async fn transaction(
    client: &mut deadpool_postgres::Object,
) -> Result<Transaction<'_>, ApiError> {
    let client: &mut tokio_postgres::Client = client;
    let tx = client.transaction().await.map_err(StorageError::from)?;
    changes::begin_writing(&tx).await?;
    Ok(tx)
}

/// The version `If-Match` expects of role `id`: 428 without the header. A
/// tag that is not one of this role's can never match: the write answers 412.
pub fn expected_version(request: &HttpRequest, id: Uuid) -> Result<Expected, ApiError> {
    let Some(value) = request.headers().get(header::IF_MATCH) else {
        return Err(ApiError::new(
            Code::PreconditionRequired,
            format!("send If-Match with the role's current ETag; GET /roles/{id} gives it"),
        ));
    };
    let value = value.to_str().unwrap_or("").trim();
    if value == "*" {
        return Ok(Expected::Any);
    }
    let version = value
        .split(',')
        .filter_map(parse_role_etag)
        .find(|(tag_id, _)| *tag_id == id)
        .map_or(0, |(_, version)| version);
    Ok(Expected::Version(version))
}

/// The current ETag of `GET /roles/{id}`.
pub async fn current_etag(
    client: &impl Reads,
    id: Uuid,
    version: i32,
) -> Result<String, StorageError> {
    let generation = storage::shared_generation(client).await?;
    Ok(role_etag(id, version, generation, PLAIN_ROLE))
}

/// A refused role write as the problem it is.
pub async fn role_write_error(client: &impl Reads, id: Uuid, error: WriteError) -> ApiError {
    match error {
        WriteError::NotFound => ApiError::role_not_found(id),
        WriteError::StaleVersion { current } => {
            let detail = format!(
                "role {id} is at version {current}; If-Match names another version: read it again and reapply the change"
            );
            match current_etag(client, id, current).await {
                Ok(etag) => {
                    ApiError::new(Code::PreconditionFailed, detail).with_header(header::ETAG, &etag)
                }
                Err(error) => error.into(),
            }
        }
        WriteError::DuplicateSlug(slug) => ApiError::with_errors(
            Code::DuplicateSlug,
            format!("the slug `{slug}` is taken by another role"),
            vec![super::FieldError::new(
                "/slug",
                "duplicate_slug",
                format!("`{slug}` is taken"),
            )],
        ),
        WriteError::UnknownReferences(unknown) => ApiError::with_errors(
            Code::UnknownReference,
            format!(
                "the body names {} skill(s) or source(s) that do not exist",
                unknown.len()
            ),
            unknown
                .into_iter()
                .map(|reference| {
                    super::FieldError::new(reference.pointer, reference.code, reference.message)
                })
                .collect(),
        ),
        WriteError::Storage(error) => error.into(),
    }
}
