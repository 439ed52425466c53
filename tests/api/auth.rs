//! API keys: reads are public, writes need a live key of the right scope,
//! and the `rolebase api-key` command manages the keys.

use crate::helpers::{TestApp, expect_problem_in, header, new_role_document, spawn_app};
use reqwest::Method;
use rolebase_api::storage::api_keys::Scope;
use serde_json::{Value, json};

/// A write's content type and body, if it has one.
type Body = Option<(&'static str, Value)>;

/// Every kind of write, each complete but for its credentials: a body of the
/// right type and, on a change, `If-Match: *`, so that only the key can be refused.
fn writes() -> Vec<(Method, &'static str, Body)> {
    let skill = json!({
        "slug": "chaos-engineering",
        "name": "Chaos engineering",
        "kind": "technical",
        "description": "Breaking systems on purpose, in a controlled way, to learn how they fail."
    });
    vec![
        (
            Method::POST,
            "/roles",
            Some(("application/json", new_role_document("platform-lead"))),
        ),
        (
            Method::PUT,
            "/roles/technical-lead",
            Some(("application/json", new_role_document("technical-lead"))),
        ),
        (
            Method::PATCH,
            "/roles/technical-lead",
            Some((
                "application/merge-patch+json",
                json!({"title": "Technical Lead (edited)"}),
            )),
        ),
        (Method::DELETE, "/roles/technical-lead", None),
        (
            Method::POST,
            "/skills",
            Some(("application/json", skill.clone())),
        ),
        (
            Method::PUT,
            "/skills/mentoring",
            Some(("application/json", {
                let mut mentoring = skill.clone();
                mentoring["slug"] = json!("mentoring");
                mentoring
            })),
        ),
        (
            Method::POST,
            "/sources",
            Some((
                "application/json",
                json!({"key": "platform-notes", "title": "Platform notes"}),
            )),
        ),
    ]
}

/// Sends a write of [`writes`] with this `Authorization` header, if any.
async fn send(
    app: &TestApp,
    method: &Method,
    path: &str,
    body: &Option<(&'static str, Value)>,
    authorization: Option<&str>,
) -> reqwest::Response {
    let mut request = app.request(method.clone(), path);
    if method != Method::POST {
        request = request.header("If-Match", "*");
    }
    if let Some(authorization) = authorization {
        request = request.header("Authorization", authorization);
    }
    if let Some((content_type, body)) = body {
        request = request
            .header("Content-Type", *content_type)
            .body(body.to_string());
    }
    request
        .send()
        .await
        .expect("the request reaches the service")
}

/// Checks a 401 or 403 answer, including its `WWW-Authenticate` challenge.
async fn expect_refused(context: &str, response: reqwest::Response, status: u16, code: &str) {
    let challenge = header(&response, "www-authenticate");
    expect_problem_in(context, response, status, code).await;
    let challenge = challenge.unwrap_or_else(|| panic!("{context}: no WWW-Authenticate"));
    assert!(challenge.starts_with("Bearer"), "{context}: {challenge}");
}

#[tokio::test]
async fn reads_need_no_api_key() {
    let app = spawn_app().await;

    for path in [
        "/roles",
        "/roles/technical-lead",
        "/roles/technical-lead/requirements",
        "/roles/technical-lead/revisions",
        "/changes",
        "/skills",
        "/sources",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
    }
}

#[tokio::test]
async fn a_write_without_an_api_key_is_401_and_writes_nothing() {
    let app = spawn_app().await;
    let before = app.state().await;

    for (method, path, body) in writes() {
        let context = format!("{method} {path}");

        let response = send(&app, &method, path, &body, None).await;

        expect_refused(&context, response, 401, "missing_api_key").await;
        assert_eq!(app.state().await, before, "{context}: nothing is written");
    }
}

#[tokio::test]
async fn an_unknown_or_malformed_api_key_is_401_invalid_api_key() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let before = app.state().await;
    let (key_id, secret) = key.rsplit_once('_').expect("a key has an id and a secret");
    let mut wrong_secret = secret.to_owned();
    let last = wrong_secret.pop().expect("the secret is not empty");
    wrong_secret.push(if last == '0' { '1' } else { '0' });

    let cases = [
        (
            "Bearer rb_0000000000000000_0000000000000000000000000000000000000000000000000000000000000000".to_owned(),
            "a key nobody has",
        ),
        (format!("Bearer {key_id}_{wrong_secret}"), "a live key's id with a wrong secret"),
        (format!("Bearer {key}x"), "a live key with a character more"),
        ("Bearer not-a-key".to_owned(), "not shaped like a key"),
        (format!("Basic {key}"), "the Basic scheme"),
        ("Basic x".to_owned(), "Basic credentials"),
        ("Bearer ".to_owned(), "Bearer and nothing"),
        (key.clone(), "a key without a scheme"),
    ];
    for (authorization, why) in cases {
        let response = send(
            &app,
            &Method::POST,
            "/roles",
            &Some(("application/json", new_role_document("platform-lead"))),
            Some(authorization.as_str()),
        )
        .await;

        expect_refused(why, response, 401, "invalid_api_key").await;
        assert_eq!(app.state().await, before, "{why}: nothing is written");
    }
}

#[tokio::test]
async fn a_revoked_key_is_refused_from_the_very_next_request() {
    let app = spawn_app().await;
    let key = app.api_key("contractor", Scope::Write).await;
    app.create_role(&key, &new_role_document("platform-lead"))
        .await;

    app.revoke_api_key("contractor").await;
    let response = app
        .post_role(&key, &new_role_document("platform-director"))
        .await;

    expect_refused("revoked", response, 401, "invalid_api_key").await;
    expect_problem_in(
        "the refused role",
        app.get("/roles/platform-director").await,
        404,
        "role_not_found",
    )
    .await;
}

#[tokio::test]
async fn a_write_key_cannot_change_the_shared_catalogue() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let before = app.state().await;
    let bearer = format!("Bearer {key}");

    for (method, path, body) in writes() {
        if !path.starts_with("/skills") && !path.starts_with("/sources") {
            continue;
        }
        let context = format!("{method} {path}");

        let response = send(&app, &method, path, &body, Some(bearer.as_str())).await;

        expect_refused(&context, response, 403, "insufficient_scope").await;
        assert_eq!(app.state().await, before, "{context}: nothing is written");
    }
    assert_eq!(
        app.get("/skills/chaos-engineering").await.status().as_u16(),
        404
    );
}

#[tokio::test]
async fn an_admin_key_changes_the_catalogue_and_roles() {
    let app = spawn_app().await;
    let admin = app.api_key("librarian", Scope::Admin).await;
    let skill = json!({
        "slug": "chaos-engineering",
        "name": "Chaos engineering",
        "kind": "technical",
        "description": "Breaking systems on purpose, in a controlled way, to learn how they fail."
    });

    let response = app
        .request(Method::POST, "/skills")
        .bearer_auth(&admin)
        .json(&skill)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(
        header(&response, "location").as_deref(),
        Some("/skills/chaos-engineering")
    );
    let created = app.get_json("/skills/chaos-engineering", 200).await;
    assert_eq!(created["name"], "Chaos engineering");
    assert_eq!(created["kind"], "technical");
    let mut document = new_role_document("platform-lead");
    document["skills"] = json!([{"skill": "chaos-engineering", "importance": "essential"}]);
    let (id, _, _) = app.create_role(&admin, &document).await;
    let skills = app.get_json(&format!("/roles/{id}/skills"), 200).await;
    assert_eq!(skills["items"][0]["slug"], "chaos-engineering");
    let revisions = app.get_json(&format!("/roles/{id}/revisions"), 200).await;
    assert_eq!(revisions["items"][0]["actor"], "librarian");
}

/// Runs the `rolebase` binary on the app's database; its exit status, stdout
/// and stderr.
async fn rolebase(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let url = app.database_url().await;
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_rolebase"))
            .args(&args)
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("the rolebase binary runs")
    })
    .await
    .unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[tokio::test]
async fn the_command_creates_lists_and_revokes_api_keys() {
    let app = spawn_app().await;

    let (ok, stdout, stderr) = rolebase(
        &app,
        &[
            "api-key",
            "create",
            "--name",
            "cli-editor",
            "--scope",
            "write",
        ],
    )
    .await;

    assert!(ok, "{stdout}\n{stderr}");
    let key = stdout
        .lines()
        .last()
        .expect("the key is printed")
        .trim()
        .to_owned();
    assert!(!key.is_empty() && !key.contains(' '), "{key:?}");
    let (id, _, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;
    let revisions = app.get_json(&format!("/roles/{id}/revisions"), 200).await;
    assert_eq!(revisions["items"][0]["actor"], "cli-editor");

    let (ok, listed, stderr) = rolebase(&app, &["api-key", "list"]).await;
    assert!(ok, "{listed}\n{stderr}");
    let line = listed
        .lines()
        .find(|line| line.contains("cli-editor"))
        .unwrap_or_else(|| panic!("cli-editor is listed: {listed}"));
    assert!(line.contains("write"), "{line}");
    assert!(line.contains("active"), "{line}");
    let secret = key.rsplit('_').next().unwrap();
    assert!(
        !listed.contains(&key) && !listed.contains(secret),
        "the key is never shown again: {listed}"
    );

    let (ok, stdout, stderr) = rolebase(&app, &["api-key", "revoke", "cli-editor"]).await;
    assert!(ok, "{stdout}\n{stderr}");
    let response = app
        .post_role(&key, &new_role_document("platform-director"))
        .await;
    expect_refused("after revoke", response, 401, "invalid_api_key").await;
    let (ok, listed, stderr) = rolebase(&app, &["api-key", "list"]).await;
    assert!(ok, "{listed}\n{stderr}");
    let line = listed
        .lines()
        .find(|line| line.contains("cli-editor"))
        .unwrap_or_else(|| panic!("a revoked key is still listed: {listed}"));
    assert!(!line.contains("active"), "{line}");

    let (ok, stdout, stderr) = rolebase(&app, &["api-key", "revoke", "nobody"]).await;
    assert!(!ok, "revoking a name no live key has fails: {stdout}");
    assert!(!stderr.trim().is_empty(), "and says why");
    let (ok, stdout, stderr) = rolebase(&app, &["api-key", "revoke", "cli-editor"]).await;
    assert!(!ok, "a key is revoked once: {stdout}\n{stderr}");
}

#[tokio::test]
async fn a_second_live_key_cannot_take_a_name() {
    let app = spawn_app().await;
    app.writer().await;
    let client = app.pool.get().await.unwrap();

    let second = rolebase_api::storage::api_keys::create(&**client, "editor", Scope::Admin).await;

    assert!(second.is_err(), "two live keys named editor");
    app.revoke_api_key("editor").await;
    let again = rolebase_api::storage::api_keys::create(&**client, "editor", Scope::Write).await;
    assert!(again.is_ok(), "the name is free once its key is revoked");
}
