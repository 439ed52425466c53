//! Revisions: every change to a role, numbered like its versions, with the
//! document before and after and a JSON Patch between them.

use crate::helpers::{
    TestApp, assert_includes, curated_role_count, expect_problem_in, header, new_role_document,
    spawn_app,
};
use serde_json::{Value, json};

/// Creates `platform-lead` with the `editor` key, then replaces it, patches it
/// and deletes it: four revisions. Returns its id and the posted document.
async fn role_with_four_revisions(app: &TestApp) -> (String, Value) {
    let key = app.writer().await;
    let document = new_role_document("platform-lead");
    let (id, etag, _) = app.create_role(&key, &document).await;
    let mut replacement = new_role_document("platform-lead");
    replacement["title"] = json!("Head of Platform");
    replacement["skills"] = json!([
        {"skill": "mentoring", "importance": "essential"},
        {"skill": "code-review", "importance": "optional"}
    ]);
    let response = app.put_role(&key, &id, &etag, &replacement).await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = header(&response, "etag").unwrap();
    let response = app
        .patch_role(
            &key,
            &id,
            &etag,
            &json!({"summary": "Runs the platform team.", "isco_code": null}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = header(&response, "etag").unwrap();
    let response = app.delete_role(&key, &id, &etag).await;
    assert_eq!(response.status().as_u16(), 204);
    (id, document)
}

#[tokio::test]
async fn every_change_leaves_a_numbered_revision_naming_its_actor() {
    let app = spawn_app().await;
    let (id, _) = role_with_four_revisions(&app).await;

    let list = app.get_json(&format!("/roles/{id}/revisions"), 200).await;

    assert_eq!(list["role"]["id"], id.as_str());
    assert_eq!(list["role"]["slug"], "platform-lead");
    assert!(list["role"]["title"].is_string(), "{list}");
    let items = list["items"].as_array().unwrap();
    let numbers: Vec<&Value> = items.iter().map(|item| &item["number"]).collect();
    assert_eq!(numbers, [&json!(4), &json!(3), &json!(2), &json!(1)]);
    let operations: Vec<&Value> = items.iter().map(|item| &item["operation"]).collect();
    assert_eq!(
        operations,
        [
            &json!("delete"),
            &json!("update"),
            &json!("update"),
            &json!("create")
        ]
    );
    for item in items {
        assert_eq!(item["actor"], "editor", "{item}");
        assert!(item["changed_at"].is_string(), "{item}");
    }
    let by_slug = app.get_json("/roles/platform-lead/revisions", 200).await;
    assert_eq!(by_slug, list, "the slug of a deleted role still finds them");
}

#[tokio::test]
async fn the_first_revision_holds_the_posted_document() {
    let app = spawn_app().await;
    let (id, document) = role_with_four_revisions(&app).await;

    let first = app.get_json(&format!("/roles/{id}/revisions/1"), 200).await;

    assert_eq!(first["number"], 1);
    assert_eq!(first["operation"], "create");
    assert_eq!(first["actor"], "editor");
    assert!(first["changed_at"].is_string(), "{first}");
    assert_eq!(first["role"]["id"], id.as_str());
    assert_eq!(
        first.get("before"),
        Some(&Value::Null),
        "nothing before a create"
    );
    assert_includes(&first["after"], &document, "after");
    let last = app.get_json(&format!("/roles/{id}/revisions/4"), 200).await;
    assert_eq!(last["operation"], "delete");
    assert_eq!(
        last.get("after"),
        Some(&Value::Null),
        "nothing after a delete"
    );
    assert_eq!(last["before"]["summary"], "Runs the platform team.");
    assert_eq!(last["before"]["title"], "Head of Platform");
}

#[tokio::test]
async fn each_diff_turns_the_previous_revision_into_its_own() {
    let app = spawn_app().await;
    let (id, _) = role_with_four_revisions(&app).await;

    let mut previous = Value::Null;
    for number in 1..=4 {
        let revision = app
            .get_json(&format!("/roles/{id}/revisions/{number}"), 200)
            .await;
        let response = app
            .get(&format!("/roles/{id}/revisions/{number}/diff"))
            .await;
        assert_eq!(response.status().as_u16(), 200, "diff {number}");
        assert_eq!(
            header(&response, "content-type").as_deref(),
            Some("application/json-patch+json"),
            "diff {number}"
        );
        let operations: Value = response.json().await.unwrap();
        assert!(
            !operations.as_array().expect("an RFC 6902 array").is_empty(),
            "diff {number} changes something"
        );
        let patch: json_patch::Patch = serde_json::from_value(operations.clone())
            .unwrap_or_else(|error| panic!("diff {number} is a JSON Patch: {error}"));
        let mut document = previous.clone();

        json_patch::patch(&mut document, &patch)
            .unwrap_or_else(|error| panic!("diff {number} applies: {error}: {operations}"));

        let after = revision.get("after").expect("a revision has `after`");
        assert_eq!(&document, after, "diff {number}");
        assert_eq!(
            revision.get("before"),
            Some(&previous),
            "revision {number} starts where {} ended",
            number - 1
        );
        previous = after.clone();
    }
    assert_eq!(previous, Value::Null, "the last revision is the deletion");
}

#[tokio::test]
async fn an_unknown_revision_is_404() {
    let app = spawn_app().await;

    for path in [
        "/roles/technical-lead/revisions/99",
        "/roles/technical-lead/revisions/99/diff",
        "/roles/technical-lead/revisions/2",
    ] {
        expect_problem_in(path, app.get(path).await, 404, "revision_not_found").await;
    }
    expect_problem_in(
        "an unknown role",
        app.get("/roles/chief-wizard/revisions/1").await,
        404,
        "role_not_found",
    )
    .await;
}

#[tokio::test]
async fn the_seeded_roles_were_created_by_the_knowledge_base() {
    let app = spawn_app().await;
    let slugs = app.role_slugs().await;
    assert_eq!(slugs.len(), curated_role_count());

    for slug in &slugs {
        let list = app.get_json(&format!("/roles/{slug}/revisions"), 200).await;
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{slug}: {list}");
        assert_eq!(items[0]["number"], 1, "{slug}");
        assert_eq!(items[0]["operation"], "create", "{slug}");
        assert_eq!(items[0]["actor"], "knowledge-base", "{slug}");
    }
    let first = app.get_json("/roles/technical-lead/revisions/1", 200).await;
    assert_eq!(first.get("before"), Some(&Value::Null));
    assert_eq!(first["after"]["slug"], "technical-lead");
    assert_eq!(first["after"]["title"], "Technical Lead");
}

#[tokio::test]
async fn pages_of_revisions_walk_every_revision_once() {
    let app = spawn_app().await;
    let (id, _) = role_with_four_revisions(&app).await;

    let mut numbers = Vec::new();
    let mut path = format!("/roles/{id}/revisions?limit=1");
    loop {
        let page = app.get_json(&path, 200).await;
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{path}: {page}");
        numbers.push(items[0]["number"].as_i64().unwrap());
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!(
                    "/roles/{id}/revisions?limit=1&cursor={}",
                    crate::helpers::percent_encode(cursor)
                )
            }
            None => {
                assert_eq!(page.get("next_cursor"), Some(&Value::Null), "{page}");
                break;
            }
        }
        assert!(numbers.len() <= 4, "{numbers:?}");
    }

    assert_eq!(numbers, [4, 3, 2, 1]);
}

#[tokio::test]
async fn bad_revision_list_parameters_are_422() {
    let app = spawn_app().await;

    for (query, field) in [
        ("limit=0", "query.limit"),
        ("limit=101", "query.limit"),
        ("cursor=forged", "query.cursor"),
    ] {
        let problem = expect_problem_in(
            query,
            app.get(&format!("/roles/technical-lead/revisions?{query}"))
                .await,
            422,
            "invalid_parameters",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
}
