//! Behind a reverse proxy: the prefix it serves the API under reaches every
//! `Location` and `Link`, the `/swagger-ui` redirect and the document's
//! server (which Swagger UI calls), whether `--public-url` states it or a
//! trusted proxy sends `X-Forwarded-Prefix`; a trusted proxy also names the
//! client that rate limits count. Headers from anyone else are ignored.
//! (scripts/test also runs the browser suite through nginx.)

use crate::helpers::{
    TestApp, error_fields, expect_problem, expect_problem_in, header, new_role_document,
    spawn_app_with,
};
use rolebase_api::settings::{HttpSettings, ProxySettings, RateLimitSettings};
use serde_json::Value;

async fn behind(proxy: ProxySettings, per_address: u32) -> TestApp {
    spawn_app_with(HttpSettings {
        proxy,
        rate_limits: RateLimitSettings {
            per_address,
            ..RateLimitSettings::default()
        },
        ..HttpSettings::default()
    })
    .await
}

fn trusting(network: &str) -> ProxySettings {
    ProxySettings {
        public_url: None,
        trusted_proxies: vec![network.parse().unwrap()],
    }
}

/// `path` with `headers`, redirects not followed.
async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

async fn server_of(app: &TestApp, headers: &[(&str, &str)]) -> Value {
    let document: Value = get_with(app, "/openapi.json", headers)
        .await
        .json()
        .await
        .unwrap();
    document["servers"][0]["url"].clone()
}

const PREFIX: (&str, &str) = ("X-Forwarded-Prefix", "/rolebase");

#[tokio::test]
async fn a_trusted_proxys_prefix_reaches_links_locations_the_redirect_and_the_document() {
    let app = behind(trusting("127.0.0.1/32"), 0).await;

    let page = get_with(&app, "/roles?limit=2", &[PREFIX]).await;
    let link = header(&page, "link").expect("a next page");
    assert!(link.starts_with("</rolebase/roles?"), "{link}");
    assert!(link.ends_with(">; rel=\"next\""), "{link}");

    let redirect = get_with(&app, "/swagger-ui", &[PREFIX]).await;
    assert_eq!(redirect.status(), 308);
    assert_eq!(
        header(&redirect, "location").as_deref(),
        Some("/rolebase/swagger-ui/")
    );

    assert_eq!(server_of(&app, &[PREFIX]).await, "/rolebase");

    let key = app.writer().await;
    let created = app
        .request(reqwest::Method::POST, "/roles")
        .header(PREFIX.0, PREFIX.1)
        .bearer_auth(&key)
        .json(&new_role_document("proxied-lead"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let location = header(&created, "location").unwrap();
    assert!(location.starts_with("/rolebase/roles/"), "{location}");

    // The same service, reached directly: no prefix anywhere.
    let page = get_with(&app, "/roles?limit=2", &[]).await;
    assert!(header(&page, "link").unwrap().starts_with("</roles?"));
    assert_eq!(server_of(&app, &[]).await, "/");
    let redirect = get_with(&app, "/swagger-ui", &[]).await;
    assert_eq!(
        header(&redirect, "location").as_deref(),
        Some("/swagger-ui/")
    );
}

#[tokio::test]
async fn swagger_ui_finds_the_document_relative_to_its_page() {
    let app = behind(ProxySettings::default(), 0).await;
    let script = get_with(&app, "/swagger-ui/swagger-initializer.js", &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(script.contains("\"../openapi.json\""), "{script}");
    assert!(!script.contains("\"/openapi.json\""), "{script}");
}

#[tokio::test]
async fn a_malformed_prefix_from_a_trusted_proxy_is_refused_naming_the_header() {
    let app = behind(trusting("127.0.0.1/32"), 0).await;
    for prefix in ["rolebase", "//evil.example", "/a/../b", "/a b"] {
        let response = get_with(&app, "/roles", &[("X-Forwarded-Prefix", prefix)]).await;
        let problem = expect_problem(response, 400, "bad_request").await;
        assert_eq!(
            error_fields(&problem),
            ["header.X-Forwarded-Prefix"],
            "{prefix}"
        );
    }
}

#[tokio::test]
async fn anyone_else_cannot_claim_a_prefix_or_an_address() {
    // Only proxies on 10.0.0.0/8 are trusted; the test connects from 127.0.0.1.
    let app = behind(trusting("10.0.0.0/8"), 2).await;
    let page = get_with(&app, "/roles?limit=2", &[("X-Forwarded-Prefix", "/evil")]).await;
    assert!(header(&page, "link").unwrap().starts_with("</roles?"));
    assert_eq!(
        server_of(&app, &[("X-Forwarded-Prefix", "/evil")]).await,
        "/"
    );
    // Claiming another address each time does not escape the quota.
    let spoofed = get_with(&app, "/roles", &[("X-Forwarded-For", "203.0.113.77")]).await;
    expect_problem_in(
        "the third request of 127.0.0.1",
        spoofed,
        429,
        "rate_limited",
    )
    .await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_quota() {
    let app = behind(trusting("127.0.0.1/32"), 2).await;
    for _ in 0..2 {
        let response = get_with(&app, "/roles", &[("X-Forwarded-For", "203.0.113.1")]).await;
        assert_eq!(response.status(), 200);
    }
    let refused = get_with(&app, "/roles", &[("X-Forwarded-For", "203.0.113.1")]).await;
    expect_problem(refused, 429, "rate_limited").await;
    // Another client behind the same proxy, named the RFC 7239 way.
    let other = get_with(
        &app,
        "/roles",
        &[("Forwarded", "for=\"[2001:db8::5]:4711\";proto=https")],
    )
    .await;
    assert_eq!(other.status(), 200);
    assert_eq!(
        header(&other, "ratelimit").as_deref(),
        Some("\"address\";r=1;t=30")
    );
}

#[tokio::test]
async fn a_public_url_gives_every_answer_its_server_and_prefix() {
    let app = behind(
        ProxySettings {
            public_url: Some("https://api.example.com/rb".parse().unwrap()),
            trusted_proxies: Vec::new(),
        },
        0,
    )
    .await;
    assert_eq!(server_of(&app, &[]).await, "https://api.example.com/rb");
    let page = get_with(&app, "/roles?limit=2", &[]).await;
    assert!(header(&page, "link").unwrap().starts_with("</rb/roles?"));
    let redirect = get_with(&app, "/swagger-ui", &[]).await;
    assert_eq!(
        header(&redirect, "location").as_deref(),
        Some("/rb/swagger-ui/")
    );

    // Swagger UI, served there, may write from that origin.
    let preflight = app
        .request(reqwest::Method::OPTIONS, "/roles")
        .header("Origin", "https://api.example.com")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    assert_eq!(
        header(&preflight, "access-control-allow-origin").as_deref(),
        Some("https://api.example.com")
    );
}
