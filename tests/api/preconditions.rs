//! `If-Match` on every change to a role, `If-None-Match` on reads, and what
//! happens when editors race.

use crate::helpers::{TestApp, expect_problem_in, header, new_role_document, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::task::JoinSet;

/// `GET path` with `If-None-Match: tag`: the status.
async fn get_if_none_match(app: &TestApp, path: &str, tag: &str) -> u16 {
    app.request(Method::GET, path)
        .header("If-None-Match", tag)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_change_without_if_match_is_428_and_writes_nothing() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let before = app.state().await;

    let requests = [
        (
            "PUT",
            app.request(Method::PUT, "/roles/technical-lead")
                .json(&new_role_document("technical-lead")),
        ),
        (
            "PATCH",
            app.request(Method::PATCH, "/roles/technical-lead")
                .header("Content-Type", "application/merge-patch+json")
                .body(json!({"title": "Technical Lead (edited)"}).to_string()),
        ),
        (
            "DELETE",
            app.request(Method::DELETE, "/roles/technical-lead"),
        ),
    ];
    for (method, request) in requests {
        let response = request.bearer_auth(&key).send().await.unwrap();

        expect_problem_in(method, response, 428, "precondition_required").await;
        assert_eq!(app.state().await, before, "{method}: nothing is written");
    }
}

#[tokio::test]
async fn a_stale_if_match_is_412_with_the_current_etag_and_writes_nothing() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, stale, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;
    let mut edited = new_role_document("platform-lead");
    edited["title"] = json!("Head of Platform");
    let response = app.put_role(&key, &id, &stale, &edited).await;
    assert_eq!(response.status().as_u16(), 200);
    let (current, _) = app.role(&id).await;
    assert_ne!(current, stale);
    let before = app.state().await;

    let responses = [
        (
            "PUT",
            app.put_role(&key, &id, &stale, &new_role_document("platform-lead"))
                .await,
        ),
        (
            "PATCH",
            app.patch_role(&key, &id, &stale, &json!({"title": "Platform Boss"}))
                .await,
        ),
        ("DELETE", app.delete_role(&key, &id, &stale).await),
        (
            "a tag of another role",
            app.patch_role(
                &key,
                &id,
                &app.role("technical-lead").await.0,
                &json!({"title": "Platform Boss"}),
            )
            .await,
        ),
        (
            "a tag that is none of ours",
            app.patch_role(&key, &id, "\"made-up\"", &json!({"title": "Platform Boss"}))
                .await,
        ),
    ];
    for (why, response) in responses {
        let etag = header(&response, "etag");

        expect_problem_in(why, response, 412, "precondition_failed").await;
        assert_eq!(etag.as_deref(), Some(current.as_str()), "{why}");
        assert_eq!(app.state().await, before, "{why}: nothing is written");
    }
}

#[tokio::test]
async fn if_match_star_matches_whatever_the_version() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (_, before) = app.role("technical-lead").await;

    let response = app
        .patch_role(&key, "technical-lead", "*", &json!({"title": "Tech Lead"}))
        .await;

    assert_eq!(response.status().as_u16(), 200);
    let (_, after) = app.role("technical-lead").await;
    assert_eq!(after["title"], "Tech Lead");
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
}

#[tokio::test]
async fn the_etag_of_a_child_list_is_accepted_as_if_match() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let child_tag = header(&app.get("/roles/technical-lead/requirements").await, "etag")
        .expect("a child list carries an ETag");

    let response = app
        .patch_role(
            &key,
            "technical-lead",
            &child_tag,
            &json!({"title": "Tech Lead"}),
        )
        .await;

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(app.role("technical-lead").await.1["title"], "Tech Lead");
    let again = app
        .patch_role(
            &key,
            "technical-lead",
            &child_tag,
            &json!({"title": "Lead"}),
        )
        .await;
    expect_problem_in(
        "the child list's tag of the old version",
        again,
        412,
        "precondition_failed",
    )
    .await;
}

#[tokio::test]
async fn if_none_match_tells_a_changed_role_from_an_unchanged_one() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (old, _) = app.role("technical-lead").await;
    assert_eq!(
        get_if_none_match(&app, "/roles/technical-lead", &old).await,
        304
    );

    let response = app
        .patch_role(&key, "technical-lead", &old, &json!({"title": "Tech Lead"}))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let new = header(&response, "etag").expect("the new ETag");

    assert_eq!(
        get_if_none_match(&app, "/roles/technical-lead", &old).await,
        200
    );
    assert_eq!(
        get_if_none_match(&app, "/roles/technical-lead", &new).await,
        304
    );
}

#[tokio::test]
async fn each_representation_of_a_role_has_its_own_etag() {
    let app = spawn_app().await;

    let mut tags = Vec::new();
    for path in [
        "/roles/technical-lead",
        "/roles/technical-lead?include=skills",
        "/roles/technical-lead?include=skills,requirements",
        "/roles/technical-lead/requirements",
        "/roles/technical-lead/skills",
    ] {
        let tag = header(&app.get(path).await, "etag").unwrap_or_else(|| panic!("{path}"));
        assert!(!tags.contains(&tag), "{path} shares its ETag: {tags:?}");
        tags.push(tag);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_editors_racing_with_one_etag_exactly_one_wins() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;

    let mut editors = JoinSet::new();
    for editor in 0..20 {
        let mut document = new_role_document("platform-lead");
        document["title"] = json!(format!("Platform Lead {editor}"));
        let request = app
            .request(Method::PUT, &format!("/roles/{id}"))
            .bearer_auth(&key)
            .header("If-Match", &etag)
            .json(&document);
        editors.spawn(async move {
            let response = request
                .send()
                .await
                .expect("the request reaches the service");
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("a JSON body");
            (editor, status, body)
        });
    }
    let answers = editors.join_all().await;

    assert_eq!(answers.len(), 20);
    let winners: Vec<&(i32, u16, Value)> = answers
        .iter()
        .filter(|(_, status, _)| *status == 200)
        .collect();
    assert_eq!(winners.len(), 1, "{answers:?}");
    for (editor, status, body) in &answers {
        if *status != 200 {
            assert_eq!(*status, 412, "editor {editor}: {body}");
            assert_eq!(body["code"], "precondition_failed", "editor {editor}");
        }
    }
    let (winner, _, winning_body) = winners[0];
    let (_, current) = app.role(&id).await;
    assert_eq!(current["title"], format!("Platform Lead {winner}"));
    assert_eq!(&current, winning_body);
    assert_eq!(current["version"], 2);
    let revisions = app.get_json(&format!("/roles/{id}/revisions"), 200).await;
    let numbers: Vec<&Value> = revisions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|revision| &revision["number"])
        .collect();
    assert_eq!(numbers, [&json!(2), &json!(1)], "one new revision");
}

#[tokio::test]
async fn renaming_a_skill_refreshes_the_etags_of_the_roles_that_show_it() {
    let app = spawn_app().await;
    let admin = app
        .api_key("curator", rolebase_api::storage::api_keys::Scope::Admin)
        .await;
    let (role_tag, role) = app.role("technical-lead").await;
    let version = role["version"].clone();
    let skills_tag = header(&app.get("/roles/technical-lead/skills").await, "etag").unwrap();
    let mentoring = app.get_json("/skills/mentoring", 200).await;

    let renamed = app
        .request(Method::PUT, "/skills/mentoring")
        .bearer_auth(&admin)
        .json(&json!({
            "slug": "mentoring",
            "name": "Mentoring and coaching",
            "kind": mentoring["kind"],
            "description": mentoring["description"],
        }))
        .send()
        .await
        .unwrap();

    assert_eq!(renamed.status().as_u16(), 200);
    assert_eq!(
        get_if_none_match(&app, "/roles/technical-lead/skills", &skills_tag).await,
        200,
        "the skill list shows the new name, so the old tag is stale"
    );
    assert_eq!(
        get_if_none_match(&app, "/roles/technical-lead", &role_tag).await,
        200
    );
    let skills = app.get_json("/roles/technical-lead/skills", 200).await;
    let names: Vec<&str> = skills["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["name"].as_str())
        .collect();
    assert!(names.contains(&"Mentoring and coaching"), "{skills}");
    let (_, after) = app.role("technical-lead").await;
    assert_eq!(after["version"], version, "the role itself did not change");
    let unchanged = app
        .put_role(
            &admin,
            "technical-lead",
            &role_tag,
            &new_role_document("technical-lead"),
        )
        .await;
    assert_eq!(
        unchanged.status().as_u16(),
        200,
        "If-Match compares versions: a tag from before the rename still names the current version"
    );
}
