//! Rate limits: a quota a minute per client address, or per API key for a
//! client that sends a valid one; every answer says where the client stands
//! (`RateLimit-Policy`, `RateLimit`), and one past its quota gets 429 with
//! `Retry-After`. Health checks and metrics are never limited.

use crate::helpers::{TestApp, expect_problem, header, spawn_app_with};
use rolebase_api::settings::{HttpSettings, RateLimitSettings};
use rolebase_api::storage::api_keys::Scope;

async fn app_with(per_address: u32, per_key: u32) -> TestApp {
    spawn_app_with(HttpSettings {
        rate_limits: RateLimitSettings {
            per_address,
            per_key,
        },
        ..HttpSettings::default()
    })
    .await
}

/// `"address";r=4;t=12` → ("\"address\"", 4, 12)
fn standing(response: &reqwest::Response) -> (String, u32, u64) {
    let value = header(response, "ratelimit").expect("a RateLimit header");
    let mut parts = value.split(';');
    let policy = parts.next().unwrap().to_owned();
    let mut remaining = None;
    let mut reset = None;
    for part in parts {
        match part.split_once('=') {
            Some(("r", r)) => remaining = r.parse().ok(),
            Some(("t", t)) => reset = t.parse().ok(),
            _ => panic!("unexpected parameter in {value}"),
        }
    }
    (policy, remaining.unwrap(), reset.unwrap())
}

#[tokio::test]
async fn a_client_past_its_quota_is_refused_with_429_and_told_when_to_retry() {
    let app = app_with(5, 1_000).await;
    // Errors count too: a 404 costs the server as much as a 200.
    let paths = [
        "/roles/technical-lead",
        "/roles/chief-wizard",
        "/roles",
        "/search?q=lead",
        "/roles/technical-lead/requirements",
    ];
    let mut last_reset = 0;
    for (spent, path) in paths.iter().enumerate() {
        let response = app.get(path).await;
        assert_ne!(response.status(), 429, "{path}");
        assert_eq!(
            header(&response, "ratelimit-policy").as_deref(),
            Some("\"address\";q=5;w=60"),
            "{path}"
        );
        let (policy, remaining, reset) = standing(&response);
        assert_eq!(policy, "\"address\"");
        assert_eq!(remaining, 4 - spent as u32, "{path}");
        // Each request spent refills in 12 s (60 s / 5): never more than
        // that in all, and each spent request puts the refill further off.
        assert!(
            reset <= 12 * (spent as u64 + 1) && reset > last_reset,
            "{path}: whole again in {reset} s, after {last_reset} s"
        );
        last_reset = reset;
    }

    let refused = app.get("/roles/technical-lead").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(
        header(&refused, "content-type").as_deref(),
        Some("application/problem+json")
    );
    let retry_after: u64 = header(&refused, "retry-after").unwrap().parse().unwrap();
    assert!((1..=12).contains(&retry_after), "{retry_after}");
    let (_, remaining, reset) = standing(&refused);
    assert_eq!((remaining, reset), (0, retry_after));
    assert!(header(&refused, "x-request-id").is_some());
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "rate_limited");
    assert_eq!(problem["status"], 429);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("5 requests a minute for this client address"),
        "{problem}"
    );

    // Orchestrators and Prometheus always get through, and are not counted.
    for path in ["/health/live", "/health/ready", "/metrics"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(header(&response, "ratelimit").is_none(), "{path}");
    }
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics
            .lines()
            .any(|line| line == "rolebase_rate_limited_requests_total 1"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_valid_api_key_has_a_quota_of_its_own_and_an_invented_one_does_not() {
    let app = app_with(3, 4).await;
    let key = app.api_key("job-board", Scope::Write).await;
    let with_key = |key: String| {
        let http = app.http.clone();
        let url = format!("{}/roles/technical-lead", app.address);
        async move { http.get(url).bearer_auth(key).send().await.unwrap() }
    };

    // The key's quota, whatever the address has left.
    for spent in 0..4 {
        let response = with_key(key.clone()).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            header(&response, "ratelimit-policy").as_deref(),
            Some("\"key\";q=4;w=60")
        );
        assert_eq!(standing(&response).1, 3 - spent);
    }
    let refused = with_key(key.clone()).await;
    assert_eq!(refused.status(), 429);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("4 requests a minute for this API key"),
        "{problem}"
    );

    // The address still has its own three, which invented keys spend.
    let invented = format!("{}0", &key[..key.len() - 1]);
    let invented = if invented == key {
        format!("{}1", &key[..key.len() - 1])
    } else {
        invented
    };
    for (spent, presented) in [invented.clone(), "not-a-key".into(), invented.clone()]
        .into_iter()
        .enumerate()
    {
        let response = with_key(presented).await;
        assert_eq!(response.status(), 200, "reads need no key");
        assert_eq!(
            header(&response, "ratelimit-policy").as_deref(),
            Some("\"address\";q=3;w=60")
        );
        assert_eq!(standing(&response).1, 2 - spent as u32);
    }
    expect_problem(with_key(invented).await, 429, "rate_limited").await;
    expect_problem(app.get("/roles").await, 429, "rate_limited").await;
}

#[tokio::test]
async fn the_limits_are_settings_and_zero_turns_one_off() {
    let app = app_with(0, 0).await;
    for _ in 0..20 {
        let response = app.get("/roles/technical-lead").await;
        assert_eq!(response.status(), 200);
        assert!(header(&response, "ratelimit").is_none());
        assert!(header(&response, "ratelimit-policy").is_none());
    }
}

#[tokio::test]
async fn every_limited_operation_documents_its_429() {
    let app = app_with(5, 5).await;
    let document: serde_json::Value = app.get("/openapi.json").await.json().await.unwrap();
    let mut limited = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = &operation["responses"];
            let exempt = path.starts_with("/health/") || path == "/metrics";
            assert_eq!(responses.get("429").is_some(), !exempt, "{method} {path}");
            if !exempt {
                limited += 1;
                let headers = responses["429"]["headers"].as_object().unwrap();
                for name in ["Retry-After", "RateLimit", "RateLimit-Policy"] {
                    assert!(headers.contains_key(name), "{method} {path}: {name}");
                }
            }
        }
    }
    assert!(limited >= 30, "{limited} operations");
}
