//! `GET /problems/{code}` explains every error code, and every problem's
//! `type` leads there.

use crate::helpers::{expect_problem_in, header, spawn_app};
use reqwest::Method;
use serde_json::json;

/// Every code of the contract, with its status.
const CODES: [(&str, u16); 24] = [
    ("bad_request", 400),
    ("invalid_parameters", 422),
    ("malformed_body", 400),
    ("invalid_field", 422),
    ("unknown_reference", 422),
    ("role_not_found", 404),
    ("skill_not_found", 404),
    ("revision_not_found", 404),
    ("route_not_found", 404),
    ("role_deleted", 410),
    ("method_not_allowed", 405),
    ("unsupported_media_type", 415),
    ("payload_too_large", 413),
    ("duplicate_slug", 409),
    ("precondition_required", 428),
    ("precondition_failed", 412),
    ("idempotency_key_reused", 422),
    ("idempotency_key_in_progress", 409),
    ("invalid_idempotency_key", 400),
    ("missing_api_key", 401),
    ("invalid_api_key", 401),
    ("insufficient_scope", 403),
    ("database_unavailable", 503),
    ("internal_error", 500),
];

#[tokio::test]
async fn every_code_is_explained_at_its_type() {
    let app = spawn_app().await;

    for (code, status) in CODES {
        let response = app.get(&format!("/problems/{code}")).await;

        assert_eq!(response.status().as_u16(), 200, "{code}");
        let content_type = header(&response, "content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "{code}: {content_type}"
        );
        let explanation: serde_json::Value = response.json().await.unwrap();
        assert_eq!(explanation["code"], code);
        assert_eq!(explanation["status"], status, "{code}");
        for field in ["title", "description"] {
            let text = explanation[field].as_str().unwrap_or_default();
            assert!(!text.trim().is_empty(), "{code}: {field} in {explanation}");
        }
    }
}

#[tokio::test]
async fn an_unknown_code_is_404() {
    let app = spawn_app().await;

    for path in [
        "/problems/nonsense",
        "/problems/NOT_FOUND",
        "/problems/role-not-found",
    ] {
        expect_problem_in(path, app.get(path).await, 404, "route_not_found").await;
    }
}

#[tokio::test]
async fn the_type_of_a_real_problem_explains_it() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let bearer = format!("Bearer {key}");

    let cases = [
        (
            "an unknown role",
            app.request(Method::GET, "/roles/chief-wizard"),
            404,
            "role_not_found",
        ),
        (
            "an unknown path",
            app.request(Method::GET, "/no/such/thing"),
            404,
            "route_not_found",
        ),
        (
            "a refused query parameter",
            app.request(Method::GET, "/roles?limit=0"),
            422,
            "invalid_parameters",
        ),
        (
            "a malformed role id",
            app.request(Method::GET, "/roles/Technical%20Lead"),
            400,
            "bad_request",
        ),
        (
            "a method the path does not take",
            app.request(Method::DELETE, "/families"),
            405,
            "method_not_allowed",
        ),
        (
            "a write without a key",
            app.request(Method::POST, "/roles").json(&json!({})),
            401,
            "missing_api_key",
        ),
        (
            "a change without If-Match",
            app.request(Method::DELETE, "/roles/technical-lead")
                .header("Authorization", &bearer),
            428,
            "precondition_required",
        ),
        (
            "a body as text/plain",
            app.request(Method::POST, "/roles")
                .header("Authorization", &bearer)
                .header("Content-Type", "text/plain")
                .body("slug: platform-lead"),
            415,
            "unsupported_media_type",
        ),
        (
            "a refused body",
            app.request(Method::POST, "/roles")
                .header("Authorization", &bearer)
                .json(&json!({"slug": "platform-lead"})),
            422,
            "invalid_field",
        ),
        (
            "a body that is not JSON",
            app.request(Method::POST, "/roles")
                .header("Authorization", &bearer)
                .header("Content-Type", "application/json")
                .body("{"),
            400,
            "malformed_body",
        ),
    ];
    for (why, request, status, code) in cases {
        let response = request.send().await.unwrap();
        let problem = expect_problem_in(why, response, status, code).await;
        let kind = problem["type"].as_str().expect("a type");

        let explanation = app.get_json(kind, 200).await;

        assert_eq!(explanation["status"], status, "{why}: {explanation}");
        assert_eq!(explanation["code"], code, "{why}");
        assert_eq!(explanation["title"], problem["title"], "{why}");
    }
}
