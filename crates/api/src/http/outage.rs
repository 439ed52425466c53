//! An unavailable database, told once: the first refused request logs an
//! error, a probe then asks the database twice a second whether it answers,
//! and its return is logged with how long it took and how many requests were
//! refused meanwhile. Requests keep their 503 (see `problem`) in between.

use super::ApiError;
use actix_web::{
    Error,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
    web,
};
use deadpool_postgres::Pool;
use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

const PROBE_EVERY: Duration = Duration::from_millis(500);
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub struct DatabaseOutages {
    current: Mutex<Option<Outage>>,
    refused_total: AtomicU64,
}

#[derive(Debug)]
struct Outage {
    since: Instant,
    refused: u64,
}

impl DatabaseOutages {
    /// Requests refused because the database did not answer, ever.
    pub fn refused_total(&self) -> u64 {
        self.refused_total.load(Ordering::Relaxed)
    }

    fn current(&self) -> std::sync::MutexGuard<'_, Option<Outage>> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts a refused request; the first of an outage logs it and starts
    /// the probe that will see it end.
    fn refused(self: &Arc<Self>, cause: &str, pool: Option<Pool>) {
        self.refused_total.fetch_add(1, Ordering::Relaxed);
        let mut current = self.current();
        if let Some(outage) = current.as_mut() {
            outage.refused += 1;
            return;
        }
        tracing::error!(
            cause,
            "the database is unavailable: requests are answered 503 until it is back"
        );
        *current = Some(Outage {
            since: Instant::now(),
            refused: 1,
        });
        let outages = self.clone();
        actix_web::rt::spawn(async move {
            loop {
                tokio::time::sleep(PROBE_EVERY).await;
                if let Some(pool) = &pool
                    && !answers(pool).await
                {
                    continue;
                }
                outages.ended();
                break;
            }
        });
    }

    fn ended(&self) {
        if let Some(outage) = self.current().take() {
            tracing::info!(
                seconds = format!("{:.1}", outage.since.elapsed().as_secs_f64()),
                refused = outage.refused,
                "the database answers again"
            );
        }
    }
}

async fn answers(pool: &Pool) -> bool {
    tokio::time::timeout(PROBE_TIMEOUT, async {
        let client = pool.get().await.ok()?;
        client.simple_query("SELECT 1").await.ok()
    })
    .await
    .ok()
    .flatten()
    .is_some()
}

/// Notices the requests refused for want of a database, whether a handler
/// or the deadline refused them.
pub async fn watch_database(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let outages = request
        .app_data::<web::Data<DatabaseOutages>>()
        .map(|data| data.clone().into_inner());
    let pool = request
        .app_data::<web::Data<Pool>>()
        .map(|pool| pool.get_ref().clone());
    let outcome = next.call(request).await;
    if let Some(outages) = outages {
        let error = match &outcome {
            Ok(response) => response.response().error(),
            Err(error) => Some(error),
        };
        if let Some(refusal) = error
            .and_then(|error| error.as_error::<ApiError>())
            .filter(|error| error.is_database_unavailable())
        {
            outages.refused(&refusal.cause(), pool);
        }
    }
    Ok(outcome?.map_into_boxed_body())
}
