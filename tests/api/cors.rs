//! Browser front-ends on other origins: every origin may read, only the
//! configured ones may write, and each refusal is a problem.

use crate::helpers::{
    TestApp, expect_problem, header, new_role_document, spawn_app, spawn_app_with,
};
use reqwest::Method;
use rolebase_api::settings::{CorsSettings, HttpSettings};

const BOARD: &str = "https://jobs.example.com";
const ADMIN: &str = "https://admin.example.com";

async fn preflight(app: &TestApp, path: &str, origin: &str, method: &str) -> reqwest::Response {
    app.request(Method::OPTIONS, path)
        .header("origin", origin)
        .header("access-control-request-method", method)
        .header(
            "access-control-request-headers",
            "authorization, content-type, if-match",
        )
        .send()
        .await
        .unwrap()
}

fn listed(response: &reqwest::Response, name: &str) -> Vec<String> {
    header(response, name)
        .unwrap_or_default()
        .split(',')
        .map(|item| item.trim().to_ascii_lowercase())
        .filter(|item| !item.is_empty())
        .collect()
}

#[tokio::test]
async fn any_origin_reads_and_sees_the_headers_clients_need() {
    let app = spawn_app().await;
    let response = app
        .request(Method::GET, "/roles?limit=2")
        .header("origin", BOARD)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(BOARD)
    );
    let exposed = listed(&response, "access-control-expose-headers");
    for name in [
        "etag",
        "link",
        "retry-after",
        "x-request-id",
        "ratelimit",
        "ratelimit-policy",
    ] {
        assert!(exposed.contains(&name.to_owned()), "{name} in {exposed:?}");
    }

    let answer = preflight(&app, "/roles/technical-lead", BOARD, "GET").await;
    assert_eq!(answer.status(), 200, "a preflight is answered, not 405");
    assert_eq!(
        header(&answer, "access-control-allow-origin").as_deref(),
        Some(BOARD)
    );
    assert!(listed(&answer, "access-control-allow-methods").contains(&"get".to_owned()));
    assert_eq!(
        header(&answer, "access-control-max-age").as_deref(),
        Some("3600")
    );
}

#[tokio::test]
async fn an_unlisted_origin_may_not_write() {
    let app = spawn_app().await;
    let answer = preflight(&app, "/roles", BOARD, "POST").await;
    assert_eq!(header(&answer, "access-control-allow-origin"), None);
    let problem = expect_problem(answer, 403, "origin_not_allowed").await;
    assert!(
        problem["detail"].as_str().unwrap().contains(BOARD),
        "{problem}"
    );

    // Sent anyway, without asking first: refused before it is read.
    let key = app.writer().await;
    let before = app.role_slugs().await.len();
    let sent = app
        .request(Method::POST, "/roles")
        .header("origin", BOARD)
        .bearer_auth(&key)
        .json(&new_role_document("platform-lead"))
        .send()
        .await
        .unwrap();
    expect_problem(sent, 403, "origin_not_allowed").await;
    assert_eq!(app.role_slugs().await.len(), before, "nothing was written");
}

#[tokio::test]
async fn a_configured_origin_writes() {
    let app = spawn_app_with(HttpSettings {
        cors: CorsSettings {
            write_origins: vec![format!("{ADMIN}/")],
        },
        ..HttpSettings::default()
    })
    .await;
    let answer = preflight(&app, "/roles", ADMIN, "POST").await;
    assert_eq!(answer.status(), 200);
    assert_eq!(
        header(&answer, "access-control-allow-origin").as_deref(),
        Some(ADMIN)
    );
    let allowed = listed(&answer, "access-control-allow-headers");
    for name in ["authorization", "content-type", "if-match"] {
        assert!(allowed.contains(&name.to_owned()), "{name} in {allowed:?}");
    }

    let key = app.writer().await;
    let created = app
        .request(Method::POST, "/roles")
        .header("origin", ADMIN)
        .bearer_auth(&key)
        .json(&new_role_document("platform-lead"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(
        header(&created, "access-control-allow-origin").as_deref(),
        Some(ADMIN)
    );
    // Others still only read.
    expect_problem(
        preflight(&app, "/roles", BOARD, "POST").await,
        403,
        "origin_not_allowed",
    )
    .await;
}

#[tokio::test]
async fn pages_of_the_service_itself_write_as_swagger_ui_does() {
    let app = spawn_app().await;
    // The browser names the page's origin on every write, its own included.
    let own = app.address.clone();
    let key = app.writer().await;
    let created = app
        .request(Method::POST, "/roles")
        .header("origin", &own)
        .bearer_auth(&key)
        .json(&new_role_document("platform-lead"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}
