//! The change feed: every committed change, once, in commit order.

use crate::helpers::{
    curated_role_count, expect_problem_in, header, new_role_document, percent_encode, spawn_app,
};
use serde_json::{Value, json};
use std::{
    collections::HashSet,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};
use tokio::task::JoinSet;

#[tokio::test]
async fn the_seeded_knowledge_base_is_in_the_change_feed() {
    let app = spawn_app().await;
    let ids: HashSet<String> = app
        .all_pages("/roles?limit=100")
        .await
        .iter()
        .flat_map(|page| page["items"].as_array().unwrap().iter())
        .map(|role| format!("/roles/{}", role["id"].as_str().unwrap()))
        .collect();
    assert_eq!(ids.len(), curated_role_count());

    let (changes, _) = app.changes_since(None).await;

    let created: Vec<&Value> = changes
        .iter()
        .filter(|change| change["kind"] == "role.created")
        .collect();
    assert_eq!(created.len(), curated_role_count(), "{changes:?}");
    for change in &created {
        assert_eq!(change["actor"], "knowledge-base", "{change}");
        assert_eq!(change["version"], 1, "{change}");
        assert!(change["etag"].is_string(), "{change}");
    }
    let resources: HashSet<String> = created
        .iter()
        .map(|change| change["resource"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(resources, ids, "one creation per role");
    let loaded: Vec<&Value> = changes
        .iter()
        .filter(|change| change["kind"] == "knowledge_base.loaded")
        .collect();
    assert_eq!(loaded.len(), 1, "{changes:?}");
    assert_eq!(loaded[0]["actor"], "knowledge-base");
    assert_eq!(loaded[0].get("version"), Some(&Value::Null), "not a role");
    assert_eq!(
        changes.len(),
        curated_role_count() + 1,
        "nothing else: {changes:?}"
    );
    for change in &changes {
        assert!(change["cursor"].is_string(), "{change}");
        assert!(change["changed_at"].is_string(), "{change}");
    }
}

#[tokio::test]
async fn each_write_appears_with_the_etag_its_role_answers() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (_, start) = app.changes_since(None).await;

    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;

    let (created, next) = app.changes_since(Some(&start)).await;
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["kind"], "role.created");
    assert_eq!(created[0]["resource"], format!("/roles/{id}"));
    assert_eq!(created[0]["version"], 1);
    assert_eq!(created[0]["actor"], "editor");
    assert_eq!(created[0]["etag"], app.role(&id).await.0.as_str());
    assert_eq!(created[0]["etag"], etag.as_str());

    let response = app
        .patch_role(&key, &id, &etag, &json!({"title": "Head of Platform"}))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = header(&response, "etag").unwrap();
    let (updated, next) = app.changes_since(Some(&next)).await;
    assert_eq!(updated.len(), 1, "{updated:?}");
    assert_eq!(updated[0]["kind"], "role.updated");
    assert_eq!(updated[0]["resource"], format!("/roles/{id}"));
    assert_eq!(updated[0]["version"], 2);
    assert_eq!(updated[0]["etag"], app.role(&id).await.0.as_str());

    let response = app.delete_role(&key, &id, &etag).await;
    assert_eq!(response.status().as_u16(), 204);
    let (deleted, _) = app.changes_since(Some(&next)).await;
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert_eq!(deleted[0]["kind"], "role.deleted");
    assert_eq!(deleted[0]["resource"], format!("/roles/{id}"));
    assert_eq!(deleted[0]["version"], 3);
    assert_eq!(
        deleted[0].get("etag"),
        Some(&Value::Null),
        "a deletion has no tag"
    );
}

#[tokio::test]
async fn pages_of_changes_visit_every_entry_once() {
    let app = spawn_app().await;
    let (everything, _) = app.changes_since(None).await;
    let all_cursors: Vec<&str> = everything
        .iter()
        .map(|change| change["cursor"].as_str().unwrap())
        .collect();
    assert!(all_cursors.len() > 10, "{everything:?}");

    let mut seen = Vec::new();
    let mut since: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &since {
            Some(cursor) => format!("/changes?limit=5&since={}", percent_encode(cursor)),
            None => "/changes?limit=5".to_owned(),
        };
        let page = app.get_json(&path, 200).await;
        let items = page["items"].as_array().unwrap();
        let next = page["next_cursor"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: next_cursor is always a string: {page}"))
            .to_owned();
        if items.is_empty() {
            assert_eq!(Some(next), since, "an empty page gives back its since");
            break;
        }
        assert!(items.len() <= 5, "{path}");
        seen.extend(
            items
                .iter()
                .map(|change| change["cursor"].as_str().unwrap().to_owned()),
        );
        since = Some(next);
        pages += 1;
        assert!(pages <= 100, "the pages never end");
    }

    assert_eq!(seen, all_cursors, "every entry once, in order");
    assert_eq!(pages, all_cursors.len().div_ceil(5));
    let distinct: HashSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), seen.len());
}

#[tokio::test]
async fn bad_change_feed_parameters_are_422() {
    let app = spawn_app().await;

    for (query, field) in [
        ("since=not%20a%20cursor", "query.since"),
        ("since=%E2%9C%93", "query.since"),
        ("limit=0", "query.limit"),
        ("limit=1001", "query.limit"),
        ("limit=many", "query.limit"),
    ] {
        let problem = expect_problem_in(
            query,
            app.get(&format!("/changes?{query}")).await,
            422,
            "invalid_parameters",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_paging_during_writes_sees_each_acknowledged_write_exactly_once() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (_, start) = app.changes_since(None).await;
    let writers_done = Arc::new(AtomicBool::new(false));

    let reader = {
        let http = app.http.clone();
        let address = app.address.clone();
        let writers_done = writers_done.clone();
        tokio::spawn(async move {
            let mut entries: Vec<Value> = Vec::new();
            let mut since = start;
            loop {
                // Read before the request: once it is set, every write was
                // acknowledged before this page was asked for.
                let last_round = writers_done.load(Ordering::SeqCst);
                let response = http
                    .get(format!(
                        "{address}/changes?limit=7&since={}",
                        percent_encode(&since)
                    ))
                    .send()
                    .await
                    .expect("the reader reaches the service");
                assert_eq!(response.status().as_u16(), 200);
                let page: Value = response.json().await.unwrap();
                let items = page["items"].as_array().unwrap().clone();
                since = page["next_cursor"]
                    .as_str()
                    .expect("next_cursor is always a string")
                    .to_owned();
                if items.is_empty() {
                    if last_round {
                        return entries;
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                entries.extend(items);
            }
        })
    };
    let mut writers = JoinSet::new();
    for writer in 0..8 {
        let http = app.http.clone();
        let address = app.address.clone();
        let key = key.clone();
        writers.spawn(async move {
            // (resource, version) of every write the service acknowledged.
            let mut acknowledged: Vec<(String, i64)> = Vec::new();
            let mut created = Vec::new();
            for number in 0..3 {
                let document = new_role_document(&format!("concurrent-{writer}-{number}"));
                let response = http
                    .post(format!("{address}/roles"))
                    .bearer_auth(&key)
                    .json(&document)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 201, "writer {writer}");
                let etag = header(&response, "etag").expect("an ETag");
                let body: Value = response.json().await.unwrap();
                let id = body["id"].as_str().unwrap().to_owned();
                acknowledged.push((format!("/roles/{id}"), body["version"].as_i64().unwrap()));
                created.push((id, etag, document));
            }
            for (id, etag, mut document) in created {
                document["title"] = json!(format!("Platform Lead {writer}, revised"));
                let response = http
                    .put(format!("{address}/roles/{id}"))
                    .bearer_auth(&key)
                    .header("If-Match", etag)
                    .json(&document)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 200, "writer {writer}");
                let body: Value = response.json().await.unwrap();
                acknowledged.push((format!("/roles/{id}"), body["version"].as_i64().unwrap()));
            }
            acknowledged
        });
    }
    let acknowledged: Vec<(String, i64)> = writers.join_all().await.into_iter().flatten().collect();
    writers_done.store(true, Ordering::SeqCst);
    let entries = reader.await.expect("the reader finishes");

    assert_eq!(acknowledged.len(), 48);
    let cursors: HashSet<&str> = entries
        .iter()
        .map(|entry| entry["cursor"].as_str().expect("a cursor"))
        .collect();
    assert_eq!(cursors.len(), entries.len(), "no entry is seen twice");
    let role_writes: Vec<(String, i64)> = entries
        .iter()
        .filter(|entry| entry["kind"] == "role.created" || entry["kind"] == "role.updated")
        .map(|entry| {
            let version = entry["version"]
                .as_i64()
                .expect("a role change has a version");
            let expected_kind = if version == 1 {
                "role.created"
            } else {
                "role.updated"
            };
            assert_eq!(entry["kind"], expected_kind, "{entry}");
            (entry["resource"].as_str().unwrap().to_owned(), version)
        })
        .collect();
    assert_eq!(role_writes.len(), 48, "{entries:?}");
    let seen: HashSet<(String, i64)> = role_writes.into_iter().collect();
    let expected: HashSet<(String, i64)> = acknowledged.into_iter().collect();
    assert_eq!(expected.len(), 48);
    assert_eq!(seen, expected, "exactly the acknowledged writes");
    assert_eq!(entries.len(), 48, "and nothing else: {entries:?}");
}
