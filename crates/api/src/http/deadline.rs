//! A bound on every request's wait: the database answers within the
//! configured time or the client gets a 503 with `Retry-After`, never a
//! request that hangs as long as a stalled server does. PostgreSQL ends
//! statements that run too long itself (`statement_timeout`); this covers
//! what it cannot: a server that answers nothing at all.

use super::{ApiError, Code};
use actix_web::{
    Error,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};
use std::time::Duration;

/// How long a request may take; kept in the app's data.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Duration);

impl Deadline {
    /// The bound of requests whose statements PostgreSQL ends after
    /// `statement_timeout`: a second more, so that a slow statement ends
    /// cleanly on the server first and this only catches a server that
    /// answers nothing.
    pub fn after(statement_timeout: Duration) -> Self {
        Self(statement_timeout + Duration::from_secs(1))
    }
}

pub async fn deadline(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(Deadline(limit)) = request.app_data::<Deadline>().copied() else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    match tokio::time::timeout(limit, next.call(request)).await {
        Ok(response) => Ok(response?.map_into_boxed_body()),
        Err(_) => {
            // The outage it is part of is logged once (see `outage`).
            tracing::debug!("a request waited on the database past its deadline");
            // The request went down with the abandoned work: the answer goes
            // out as an error, which the outer layers still dress.
            Err(ApiError::new(
                Code::DatabaseUnavailable,
                format!(
                    "the database did not answer within {} ms",
                    limit.as_millis()
                ),
            )
            .into())
        }
    }
}
