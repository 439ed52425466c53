//! Career steps and comparison notes, changed under their role: If-Match, a
//! new version, a revision that shows the relation before and after.

use crate::helpers::{TestApp, expect_problem, expect_problem_in, header, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    key: &str,
    if_match: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.request(method, path).bearer_auth(key);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// Why, method, path, If-Match, body, and the status, code and refused field expected.
type Case<'a> = (
    &'a str,
    Method,
    &'a str,
    Option<&'a str>,
    Option<Value>,
    u16,
    &'a str,
    Option<&'a str>,
);

fn step(note: &str) -> Value {
    json!({"kind": "promotion", "typical_years": 5, "note": note})
}

async fn version(app: &TestApp, slug: &str) -> i64 {
    app.role(slug).await.1["version"].as_i64().unwrap()
}

#[tokio::test]
async fn a_career_step_is_added_changed_and_removed_under_its_role() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let path = "/roles/technical-lead/career-paths/technical-director";
    expect_problem(app.get(path).await, 404, "child_not_found").await;
    let (etag, role) = app.role("technical-lead").await;
    let start = role["version"].as_i64().unwrap();

    let added = send(
        &app,
        Method::PUT,
        path,
        &key,
        Some(&etag),
        Some(step(
            "Some leads grow into running engineering for a whole product.",
        )),
    )
    .await;

    assert_eq!(added.status().as_u16(), 201);
    let location = header(&added, "location").unwrap();
    let etag = header(&added, "etag").unwrap();
    let view: Value = added.json().await.unwrap();
    assert_eq!(view["role"]["slug"], "technical-director");
    assert_eq!(view["typical_years"], 5);
    assert_eq!(app.get_json(&location, 200).await, view);
    let previous = app
        .get_json("/roles/technical-director/career-paths", 200)
        .await;
    let from: Vec<&str> = previous["previous"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["role"]["slug"].as_str().unwrap())
        .collect();
    assert!(from.contains(&"technical-lead"), "{previous}");
    assert_eq!(version(&app, "technical-lead").await, start + 1);
    let revision = app
        .get_json(
            &format!("/roles/technical-lead/revisions/{}", start + 1),
            200,
        )
        .await;
    let targets = |state: &Value| -> Vec<String> {
        state["career_steps"]
            .as_array()
            .expect("a revision shows the role's career steps")
            .iter()
            .map(|step| step["to"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(!targets(&revision["before"]).contains(&"technical-director".to_owned()));
    assert!(targets(&revision["after"]).contains(&"technical-director".to_owned()));
    let diff = app
        .get_json(
            &format!("/roles/technical-lead/revisions/{}/diff", start + 1),
            200,
        )
        .await;
    let mut patched = revision["before"].clone();
    let patch: json_patch::Patch = serde_json::from_value(diff).unwrap();
    json_patch::patch(&mut patched, &patch).unwrap();
    assert_eq!(patched, revision["after"]);

    let changed = send(
        &app,
        Method::PUT,
        path,
        &key,
        Some(&etag),
        Some(step("Reworded.")),
    )
    .await;
    assert_eq!(changed.status().as_u16(), 200);
    let etag = header(&changed, "etag").unwrap();
    assert_eq!(app.get_json(path, 200).await["note"], "Reworded.");

    let removed = send(&app, Method::DELETE, path, &key, Some(&etag), None).await;

    assert_eq!(removed.status().as_u16(), 204);
    let etag = header(&removed, "etag").unwrap();
    expect_problem(app.get(path).await, 404, "child_not_found").await;
    assert_eq!(version(&app, "technical-lead").await, start + 3);
    let again = send(&app, Method::DELETE, path, &key, Some(&etag), None).await;
    expect_problem(again, 404, "child_not_found").await;
}

#[tokio::test]
async fn comparison_notes_belong_to_both_roles() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let path = "/roles/team-lead/comparisons/engineering-manager";
    expect_problem(app.get(path).await, 404, "child_not_found").await;
    let (etag, _) = app.role("team-lead").await;
    let team_lead = version(&app, "team-lead").await;
    let manager = version(&app, "engineering-manager").await;

    let added = send(&app, Method::PUT, path, &key, Some(&etag), Some(json!({
        "notes": {"scope": "A team lead guides one team; an engineering manager answers for several.",
                  "duties": "Managers hire and run performance reviews; team leads mostly do not."}
    }))).await;

    assert_eq!(added.status().as_u16(), 201);
    let etag = header(&added, "etag").unwrap();
    assert_eq!(version(&app, "team-lead").await, team_lead + 1);
    assert_eq!(version(&app, "engineering-manager").await, manager + 1);
    let revisions = app
        .get_json("/roles/engineering-manager/revisions?limit=1", 200)
        .await;
    assert_eq!(revisions["items"][0]["actor"], "editor");
    let compared = app
        .get_json("/roles/compare?roles=team-lead,engineering-manager", 200)
        .await;
    let aspects: Vec<&str> = compared["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|note| note["aspect"].as_str().unwrap())
        .collect();
    assert_eq!(aspects.len(), 2, "{compared}");

    let replaced = send(
        &app,
        Method::PUT,
        path,
        &key,
        Some(&etag),
        Some(json!({"notes": {"focus": "People first, or delivery first."}})),
    )
    .await;
    assert_eq!(replaced.status().as_u16(), 200);
    let etag = header(&replaced, "etag").unwrap();
    let pair = app.get_json(path, 200).await;
    let items = pair["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        1,
        "the notes were replaced, not added to: {pair}"
    );
    assert_eq!(items[0]["aspect"], "focus");

    let removed = send(&app, Method::DELETE, path, &key, Some(&etag), None).await;

    assert_eq!(removed.status().as_u16(), 204);
    expect_problem(app.get(path).await, 404, "child_not_found").await;
    assert_eq!(version(&app, "engineering-manager").await, manager + 3);
}

#[tokio::test]
async fn refused_relation_writes_say_why_and_change_nothing() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (etag, _) = app.role("technical-lead").await;
    let step_path = "/roles/technical-lead/career-paths/technical-director";
    let notes_path = "/roles/technical-lead/comparisons/principal-engineer";
    let cases: Vec<Case> = vec![
        (
            "no If-Match",
            Method::PUT,
            step_path,
            None,
            Some(step("x")),
            428,
            "precondition_required",
            None,
        ),
        (
            "a stale If-Match",
            Method::PUT,
            step_path,
            Some("\"00000000000000000000000000000000-1-0-x\""),
            Some(step("x")),
            412,
            "precondition_failed",
            None,
        ),
        (
            "a step to itself",
            Method::PUT,
            "/roles/technical-lead/career-paths/technical-lead",
            Some(&etag),
            Some(step("x")),
            422,
            "invalid_field",
            Some("path.to"),
        ),
        (
            "a step to no role",
            Method::PUT,
            "/roles/technical-lead/career-paths/chief-wizard",
            Some(&etag),
            Some(step("x")),
            404,
            "role_not_found",
            None,
        ),
        (
            "a bad kind",
            Method::PUT,
            step_path,
            Some(&etag),
            Some(json!({"kind": "leap", "note": "x"})),
            422,
            "invalid_field",
            Some("/kind"),
        ),
        (
            "too many years",
            Method::PUT,
            step_path,
            Some(&etag),
            Some(json!({"kind": "promotion", "typical_years": 41, "note": "x"})),
            422,
            "invalid_field",
            Some("/typical_years"),
        ),
        (
            "a source that does not exist",
            Method::PUT,
            step_path,
            Some(&etag),
            Some(
                json!({"kind": "promotion", "note": "x", "source": "no-such-source", "locator": "Careers"}),
            ),
            422,
            "unknown_reference",
            Some("/source"),
        ),
        (
            "an unknown aspect",
            Method::PUT,
            notes_path,
            Some(&etag),
            Some(json!({"notes": {"vibes": "x"}})),
            422,
            "invalid_field",
            Some("/notes/vibes"),
        ),
        (
            "no notes",
            Method::PUT,
            notes_path,
            Some(&etag),
            Some(json!({"notes": {}})),
            422,
            "invalid_field",
            Some("/notes"),
        ),
        (
            "removing a step there is not",
            Method::DELETE,
            step_path,
            Some(&etag),
            None,
            404,
            "child_not_found",
            None,
        ),
    ];
    let state = app.state().await;

    for (why, method, path, if_match, body, status, code, field) in cases {
        let response = send(&app, method, path, &key, if_match, body).await;
        let problem = expect_problem_in(why, response, status, code).await;
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
async fn posting_a_step_or_notes_creates_them_once() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (etag, _) = app.role("technical-lead").await;
    let mut new_step = step("Some leads move on to run engineering for a product.");
    new_step["to"] = json!("technical-director");

    let added = send(
        &app,
        Method::POST,
        "/roles/technical-lead/career-paths",
        &key,
        Some(&etag),
        Some(new_step.clone()),
    )
    .await;

    assert_eq!(added.status().as_u16(), 201);
    let location = header(&added, "location").unwrap();
    let etag = header(&added, "etag").unwrap();
    assert_eq!(
        app.get_json(&location, 200).await["role"]["slug"],
        "technical-director"
    );
    let again = send(
        &app,
        Method::POST,
        "/roles/technical-lead/career-paths",
        &key,
        Some(&etag),
        Some(new_step),
    )
    .await;
    assert_eq!(
        header(&again, "location").as_deref(),
        Some(location.as_str())
    );
    expect_problem(again, 409, "child_exists").await;

    let notes = json!({"with": "principal-engineer", "notes": {"scope": "One team, or the whole organisation."}});
    let added = send(
        &app,
        Method::POST,
        "/roles/technical-lead/comparisons",
        &key,
        Some(&etag),
        Some(notes.clone()),
    )
    .await;
    assert_eq!(added.status().as_u16(), 201);
    let etag = header(&added, "etag").unwrap();
    let again = send(
        &app,
        Method::POST,
        "/roles/technical-lead/comparisons",
        &key,
        Some(&etag),
        Some(notes),
    )
    .await;
    expect_problem(again, 409, "child_exists").await;

    let to_nobody = json!({"to": "chief-wizard", "kind": "promotion", "note": "x"});
    let refused = send(
        &app,
        Method::POST,
        "/roles/technical-lead/career-paths",
        &key,
        Some(&etag),
        Some(to_nobody),
    )
    .await;
    let problem = expect_problem(refused, 422, "unknown_reference").await;
    assert_eq!(problem["errors"][0]["field"], "/to", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "role_not_found", "{problem}");
}
