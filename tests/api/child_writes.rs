//! A role's children one at a time: each change is a change of the role
//! (If-Match, a new version, a revision), and children keep their ids.

use crate::helpers::{TestApp, expect_problem, expect_problem_in, header, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

/// The ids of a role's list, in order.
async fn ids(app: &TestApp, list: &str) -> Vec<String> {
    let body = app
        .get_json(&format!("/roles/technical-lead/{list}"), 200)
        .await;
    let items = body["items"].as_array().expect("a list of items");
    assert!(!items.is_empty(), "technical-lead has {list}");
    items
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_owned())
        .collect()
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    key: &str,
    if_match: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app
        .request(method, path)
        .bearer_auth(key)
        .header("If-Match", if_match);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// Why, method, path, If-Match (empty for none), body, and the status, code
/// and refused field expected.
type Case = (
    &'static str,
    Method,
    String,
    String,
    Option<Value>,
    u16,
    &'static str,
    Option<&'static str>,
);

fn responsibility(title: &str) -> Value {
    json!({"title": title, "category": "people", "description": "Runs the team's weekly design review."})
}

#[tokio::test]
async fn adding_a_child_is_a_change_of_the_role_and_its_address_answers() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (etag, before) = app.role("technical-lead").await;
    let ids_before = ids(&app, "responsibilities").await;

    let response = send(
        &app,
        Method::POST,
        "/roles/technical-lead/responsibilities",
        &key,
        &etag,
        Some(responsibility("Run design reviews")),
    )
    .await;

    assert_eq!(response.status().as_u16(), 201);
    let location = header(&response, "location").expect("a Location");
    let new_etag = header(&response, "etag").expect("the role's new ETag");
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["title"], "Run design reviews");
    assert_eq!(app.get_json(&location, 200).await, created);
    let (current_etag, after) = app.role("technical-lead").await;
    assert_eq!(new_etag, current_etag);
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
    let ids_after = ids(&app, "responsibilities").await;
    assert_eq!(
        ids_after[..ids_before.len()],
        ids_before[..],
        "the others keep their ids"
    );
    assert_eq!(ids_after.last().unwrap(), created["id"].as_str().unwrap());
    let number = after["version"].as_i64().unwrap();
    let diff = app
        .get_json(
            &format!("/roles/technical-lead/revisions/{number}/diff"),
            200,
        )
        .await;
    assert_eq!(diff[0]["op"], "add", "{diff}");
    assert_eq!(
        diff[0]["path"],
        format!("/responsibilities/{}", ids_before.len()),
        "{diff}"
    );
}

#[tokio::test]
async fn replacing_and_removing_a_child_keep_every_other_id() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let before = ids(&app, "requirements").await;
    assert!(before.len() >= 3, "{before:?}");
    let (etag, _) = app.role("technical-lead").await;

    let replaced = send(
        &app,
        Method::PUT,
        &format!("/roles/technical-lead/requirements/{}", before[1]),
        &key,
        &etag,
        Some(json!({"kind": "experience", "level": "required", "description": "Seven years of shipping software.", "min_years": 7})),
    )
    .await;
    assert_eq!(replaced.status().as_u16(), 200);
    let replaced_etag = header(&replaced, "etag").unwrap();
    let body: Value = replaced.json().await.unwrap();
    assert_eq!(body["id"], before[1].as_str());
    assert_eq!(body["min_years"], 7);
    assert_eq!(ids(&app, "requirements").await, before);

    let removed = send(
        &app,
        Method::DELETE,
        &format!("/roles/technical-lead/requirements/{}", before[0]),
        &key,
        &replaced_etag,
        None,
    )
    .await;

    assert_eq!(removed.status().as_u16(), 204);
    assert_eq!(ids(&app, "requirements").await, before[1..]);
    let gone = app
        .get(&format!("/roles/technical-lead/requirements/{}", before[0]))
        .await;
    expect_problem(gone, 404, "child_not_found").await;
}

#[tokio::test]
async fn a_skill_link_is_added_then_changed_then_removed() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let path = "/roles/technical-lead/skills/technical-writing";
    let linked = app.get(path).await.status().as_u16();
    assert_eq!(linked, 404, "the seeded role does not link it yet");

    let (etag, _) = app.role("technical-lead").await;
    let added = send(
        &app,
        Method::PUT,
        path,
        &key,
        &etag,
        Some(json!({"skill": "technical-writing", "importance": "optional"})),
    )
    .await;
    assert_eq!(added.status().as_u16(), 201);
    let etag = header(&added, "etag").unwrap();
    let changed = send(
        &app,
        Method::PUT,
        path,
        &key,
        &etag,
        Some(json!({"skill": "technical-writing", "importance": "essential"})),
    )
    .await;
    assert_eq!(changed.status().as_u16(), 200);
    let etag = header(&changed, "etag").unwrap();
    assert_eq!(app.get_json(path, 200).await["importance"], "essential");

    let removed = send(&app, Method::DELETE, path, &key, &etag, None).await;

    assert_eq!(removed.status().as_u16(), 204);
    let etag = header(&removed, "etag").unwrap();
    expect_problem(app.get(path).await, 404, "child_not_found").await;
    let again = send(&app, Method::DELETE, path, &key, &etag, None).await;
    expect_problem(again, 404, "child_not_found").await;
}

#[tokio::test]
async fn refused_child_writes_name_the_field_in_the_childs_body_and_change_nothing() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (etag, role) = app.role("technical-lead").await;
    let responsibility_id = ids(&app, "responsibilities").await[0].clone();
    let salary = json!({"currency": "USD", "period": "annual", "median": 120000,
        "area": {"code": "US", "name": "United States", "kind": "nation"},
        "as_of": "2025-05-01", "source": "no-such-source", "locator": "Table 1"});
    let cases: Vec<Case> = vec![
        (
            "no If-Match",
            Method::POST,
            "/roles/technical-lead/responsibilities".into(),
            String::new(),
            Some(responsibility("x")),
            428,
            "precondition_required",
            None,
        ),
        (
            "a stale If-Match",
            Method::POST,
            "/roles/technical-lead/responsibilities".into(),
            format!(
                "\"{}-0-0-x\"",
                role["id"].as_str().unwrap().replace('-', "")
            ),
            Some(responsibility("x")),
            412,
            "precondition_failed",
            None,
        ),
        (
            "a bad category",
            Method::POST,
            "/roles/technical-lead/responsibilities".into(),
            etag.clone(),
            Some(json!({"title": "x", "category": "vibes", "description": "d"})),
            422,
            "invalid_field",
            Some("/category"),
        ),
        (
            "an unknown field",
            Method::POST,
            "/roles/technical-lead/responsibilities".into(),
            etag.clone(),
            Some(json!({"title": "x", "category": "people", "description": "d", "weight": 3})),
            422,
            "invalid_field",
            Some("/weight"),
        ),
        (
            "a source that does not exist",
            Method::POST,
            "/roles/technical-lead/salaries".into(),
            etag.clone(),
            Some(salary),
            422,
            "unknown_reference",
            Some("/source"),
        ),
        (
            "a skill that does not exist",
            Method::PUT,
            "/roles/technical-lead/skills/levitation".into(),
            etag.clone(),
            Some(json!({"skill": "levitation", "importance": "optional"})),
            422,
            "unknown_reference",
            Some("/skill"),
        ),
        (
            "a body naming another skill",
            Method::PUT,
            "/roles/technical-lead/skills/mentoring".into(),
            etag.clone(),
            Some(json!({"skill": "code-review", "importance": "optional"})),
            422,
            "invalid_field",
            Some("/skill"),
        ),
        (
            "a salary beyond what can be stored",
            Method::POST,
            "/roles/technical-lead/salaries".into(),
            etag.clone(),
            Some(
                json!({"currency": "USD", "period": "annual", "median": 10_000_000_000_000_i64,
                "area": {"code": "US", "name": "United States", "kind": "nation"},
                "as_of": "2025-05-01", "basis": "editorial"}),
            ),
            422,
            "invalid_field",
            Some(""),
        ),
        (
            "an unknown child",
            Method::PUT,
            "/roles/technical-lead/responsibilities/00000000-0000-4000-8000-000000000000".into(),
            etag.clone(),
            Some(responsibility("x")),
            404,
            "child_not_found",
            None,
        ),
        (
            "a child id that is not a UUID",
            Method::DELETE,
            "/roles/technical-lead/responsibilities/first".into(),
            etag.clone(),
            None,
            400,
            "bad_request",
            None,
        ),
        (
            "a role that does not exist",
            Method::DELETE,
            format!("/roles/chief-wizard/responsibilities/{responsibility_id}"),
            etag.clone(),
            None,
            404,
            "role_not_found",
            None,
        ),
    ];
    let state = app.state().await;

    for (why, method, path, if_match, body, status, code, field) in cases {
        let mut request = app.request(method, &path).bearer_auth(&key);
        if !if_match.is_empty() {
            request = request.header("If-Match", if_match);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let problem = expect_problem_in(why, request.send().await.unwrap(), status, code).await;
        if let Some(field) = field {
            let fields: Vec<&str> = problem["errors"]
                .as_array()
                .unwrap_or_else(|| panic!("{why}: errors are listed: {problem}"))
                .iter()
                .map(|error| error["field"].as_str().unwrap())
                .collect();
            assert_eq!(fields, [field], "{why}: {problem}");
        }
        assert_eq!(app.state().await, state, "{why}: nothing was written");
    }
}

#[tokio::test]
async fn child_writes_need_a_key() {
    let app = spawn_app().await;
    let (etag, _) = app.role("technical-lead").await;

    let response = app
        .request(Method::POST, "/roles/technical-lead/responsibilities")
        .header("If-Match", etag)
        .json(&responsibility("x"))
        .send()
        .await
        .unwrap();

    expect_problem(response, 401, "missing_api_key").await;
}

#[tokio::test]
async fn posting_a_skill_link_links_it_once() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (etag, _) = app.role("technical-lead").await;
    let link = json!({"skill": "technical-writing", "importance": "optional"});

    let added = send(
        &app,
        Method::POST,
        "/roles/technical-lead/skills",
        &key,
        &etag,
        Some(link.clone()),
    )
    .await;

    assert_eq!(added.status().as_u16(), 201);
    let location = header(&added, "location").unwrap();
    assert!(
        location.ends_with("/skills/technical-writing"),
        "{location}"
    );
    assert_eq!(app.get_json(&location, 200).await["importance"], "optional");
    let etag = header(&added, "etag").unwrap();
    let again = send(
        &app,
        Method::POST,
        "/roles/technical-lead/skills",
        &key,
        &etag,
        Some(link),
    )
    .await;
    expect_problem(again, 409, "child_exists").await;
}
