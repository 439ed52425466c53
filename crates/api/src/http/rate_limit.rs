//! Rate limits: a quota of requests a minute per client address, or per API
//! key for a client that sends a valid one, kept by governor (GCRA: the quota
//! refills steadily, and a client may spend it all at once). Every answer
//! says where the client stands in the IETF draft's header fields,
//! `RateLimit-Policy: "address";q=3000;w=60` and `RateLimit: "address";r=2999;t=1`;
//! a client past its quota gets 429 `rate_limited` with `Retry-After`.
//! Health checks and metrics are never limited: orchestrators and
//! Prometheus must always get through.
//!
//! A key has its own quota once it is known to be valid: it is looked up on
//! its first request and then trusted for 30 s (a key that is not valid is
//! remembered as such as long), and requests with a key that is not valid
//! are charged to the client's address, so that inventing keys does not
//! escape the address's quota.

use super::{ApiError, Code, Reached};
use crate::settings::RateLimitSettings;
use crate::storage::api_keys;
use actix_web::{
    Error, HttpMessage,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderName, HeaderValue},
    middleware::Next,
    web,
};
use deadpool_postgres::Pool;
use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};
use sha2::{Digest, Sha256};
use std::{
    hash::Hash,
    net::IpAddr,
    num::NonZeroU32,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

pub const RATE_LIMIT: HeaderName = HeaderName::from_static("ratelimit");
pub const RATE_LIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");

/// The window quotas are stated in.
const WINDOW: Duration = Duration::from_secs(60);
/// How long a key's validity is trusted before it is looked up again.
const KEY_TTL: Duration = Duration::from_secs(30);
/// How long a request waits to know whether its key is valid, before it
/// counts as having none (this runs outside the request's deadline).
const KEY_LOOKUP_TIMEOUT: Duration = Duration::from_secs(1);
/// Keys remembered at most (valid or not).
const KEYS_KEPT: u64 = 10_000;
/// How often the limiters forget clients whose quota is whole again.
const FORGET_EVERY: Duration = Duration::from_secs(60);

/// Paths never limited.
pub fn is_exempt(path: &str) -> bool {
    path.starts_with("/health/") || path == "/metrics"
}

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// One quota, kept per client of some kind.
struct Limiter<K: Hash + Eq + Clone> {
    /// The policy's name in the headers: `address` or `key`.
    name: &'static str,
    per_minute: u32,
    limiter: Keyed<K>,
}

/// Where a client stands after a request, under which policy.
struct Verdict {
    policy: &'static str,
    per_minute: u32,
    standing: Standing,
}

enum Standing {
    Within { remaining: u32, full_in: Duration },
    Over { retry_in: Duration },
}

impl Verdict {
    /// `RateLimit-Policy`: the quota, `q` requests in `w` seconds.
    fn policy_header(&self) -> String {
        format!(
            "\"{}\";q={};w={}",
            self.policy,
            self.per_minute,
            WINDOW.as_secs()
        )
    }

    /// `RateLimit`: `r` requests remain, and the quota is whole again in `t` seconds.
    fn standing_header(&self) -> String {
        let (remaining, seconds) = match self.standing {
            Standing::Within { remaining, full_in } => (remaining, whole_seconds(full_in)),
            Standing::Over { retry_in } => (0, whole_seconds(retry_in)),
        };
        format!("\"{}\";r={remaining};t={seconds}", self.policy)
    }
}

/// Seconds, rounded up: a client told 0 would retry too early.
fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    fn new(name: &'static str, per_minute: u32) -> Option<Self> {
        let burst = NonZeroU32::new(per_minute)?;
        let quota = Quota::with_period(WINDOW / per_minute)?.allow_burst(burst);
        Some(Self {
            name,
            per_minute,
            limiter: RateLimiter::dashmap(quota).with_middleware::<StateInformationMiddleware>(),
        })
    }

    fn check(&self, client: &K) -> Verdict {
        let standing = match self.limiter.check_key(client) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                Standing::Within {
                    remaining,
                    full_in: (WINDOW / self.per_minute) * (self.per_minute - remaining),
                }
            }
            Err(not_until) => Standing::Over {
                retry_in: not_until.wait_time_from(DefaultClock::default().now()),
            },
        };
        Verdict {
            policy: self.name,
            per_minute: self.per_minute,
            standing,
        }
    }

    fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

pub struct RateLimits {
    per_address: Option<Limiter<IpAddr>>,
    per_key: Option<Limiter<String>>,
    /// The SHA-256 of a presented key → the key's id, when it is valid.
    keys: moka::sync::Cache<[u8; 32], Option<String>>,
    refused: AtomicU64,
}

impl RateLimits {
    /// The limits `settings` ask for; call `forget_idle_clients` on the result
    /// to keep its memory bounded.
    pub fn new(settings: &RateLimitSettings) -> Arc<Self> {
        Arc::new(Self {
            per_address: Limiter::new("address", settings.per_address),
            per_key: Limiter::new("key", settings.per_key),
            keys: moka::sync::Cache::builder()
                .max_capacity(KEYS_KEPT)
                .time_to_live(KEY_TTL)
                .build(),
            refused: AtomicU64::new(0),
        })
    }

    /// Requests refused with 429, ever.
    pub fn refused_total(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Every minute, drops the clients whose quota is whole again (they
    /// would start afresh anyway), so that many clients passing by do not
    /// add up in memory.
    pub fn forget_idle_clients(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let limits = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(FORGET_EVERY).await;
                let Some(limits) = limits.upgrade() else {
                    break;
                };
                if let Some(limiter) = &limits.per_address {
                    limiter.forget_idle();
                }
                if let Some(limiter) = &limits.per_key {
                    limiter.forget_idle();
                }
            }
        })
    }

    /// The id of the key `presented`, if it is valid: remembered, or looked
    /// up (a database that does not answer makes it count as no key).
    async fn valid_key(&self, presented: &str, pool: Option<&Pool>) -> Option<String> {
        let hash: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        if let Some(known) = self.keys.get(&hash) {
            return known;
        }
        let lookup = async {
            let client = pool?.get().await.ok()?;
            api_keys::authenticate(&*client, presented).await.ok()
        };
        let holder = tokio::time::timeout(KEY_LOOKUP_TIMEOUT, lookup)
            .await
            .ok()
            .flatten()?;
        let key_id = holder.map(|holder| holder.key_id);
        self.keys.insert(hash, key_id.clone());
        key_id
    }
}

/// The client's address as the limit counts it (behind a trusted proxy, the
/// one it names: see `proxy`): an IPv6 client usually holds a whole /64, so
/// that is one client.
fn client_address(request: &ServiceRequest) -> Option<IpAddr> {
    let reached = request.extensions().get::<Reached>().map(|r| r.client);
    let address = match reached {
        Some(client) => client?,
        None => request.peer_addr()?.ip(),
    };
    Some(match address {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(bits.into())
            }
        },
        v4 => v4,
    })
}

fn bearer_key(request: &ServiceRequest) -> Option<String> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, key) = value.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty()).then(|| key.to_owned())
}

pub async fn rate_limit(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let limits = request.app_data::<web::Data<RateLimits>>().cloned();
    let Some(limits) = limits.filter(|_| !is_exempt(request.path())) else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    let key_id = match (&limits.per_key, bearer_key(&request)) {
        (Some(_), Some(presented)) => {
            let pool = request.app_data::<web::Data<Pool>>();
            limits
                .valid_key(&presented, pool.map(|pool| pool.get_ref()))
                .await
        }
        _ => None,
    };
    let verdict = match (&limits.per_key, key_id) {
        (Some(limiter), Some(key_id)) => Some(limiter.check(&key_id)),
        _ => match (&limits.per_address, client_address(&request)) {
            (Some(limiter), Some(address)) => Some(limiter.check(&address)),
            _ => None,
        },
    };
    let Some(verdict) = verdict else {
        return Ok(next.call(request).await?.map_into_boxed_body());
    };
    if let Standing::Over { retry_in } = verdict.standing {
        limits.refused.fetch_add(1, Ordering::Relaxed);
        let whose = match verdict.policy {
            "key" => "this API key",
            _ => "this client address",
        };
        let seconds = whole_seconds(retry_in);
        let error = ApiError::new(
            Code::RateLimited,
            format!(
                "the quota of {} requests a minute for {whose} is used up; retry in {seconds} s",
                verdict.per_minute
            ),
        )
        .with_header(header::RETRY_AFTER, &seconds.to_string())
        .with_header(RATE_LIMIT_POLICY, &verdict.policy_header())
        .with_header(RATE_LIMIT, &verdict.standing_header());
        return Ok(request.error_response(error));
    }
    let mut response = next.call(request).await?.map_into_boxed_body();
    let headers = response.headers_mut();
    for (name, value) in [
        (RATE_LIMIT_POLICY, verdict.policy_header()),
        (RATE_LIMIT, verdict.standing_header()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    Ok(response)
}
