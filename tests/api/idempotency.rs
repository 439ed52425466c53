//! `Idempotency-Key`: a retried write gets the first answer again, and
//! nothing is written twice.

use crate::helpers::{
    TestApp, curated_role_count, expect_problem_in, header, new_role_document, spawn_app,
};
use reqwest::Method;
use rolebase_api::storage::api_keys::Scope;
use serde_json::{Value, json};
use tokio::task::JoinSet;

/// What a test needs of an answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    location: Option<String>,
    etag: Option<String>,
    replayed: Option<String>,
    body: Vec<u8>,
}

async fn answer(response: reqwest::Response) -> Answer {
    Answer {
        status: response.status().as_u16(),
        location: header(&response, "location"),
        etag: header(&response, "etag"),
        replayed: header(&response, "idempotent-replayed"),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// `POST /roles` with an `Idempotency-Key`.
fn post(
    app: &TestApp,
    key: &str,
    idempotency_key: &str,
    document: &Value,
) -> reqwest::RequestBuilder {
    app.request(Method::POST, "/roles")
        .bearer_auth(key)
        .header("Idempotency-Key", idempotency_key)
        .json(document)
}

/// The role.created entries of the change feed for `/roles/{id}`.
async fn creations_of(app: &TestApp, id: &str) -> usize {
    let (changes, _) = app.changes_since(None).await;
    changes
        .iter()
        .filter(|change| {
            change["kind"] == "role.created" && change["resource"] == format!("/roles/{id}")
        })
        .count()
}

#[tokio::test]
async fn a_retried_post_gets_the_first_answer_again_and_writes_once() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let document = new_role_document("platform-lead");

    let first = answer(
        post(&app, &key, "create-platform-lead", &document)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let second = answer(
        post(&app, &key, "create-platform-lead", &document)
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(first.status, 201, "{first:?}");
    assert_eq!(first.replayed, None, "the first answer is no replay");
    assert_eq!(second.status, 201);
    assert_eq!(second.replayed.as_deref(), Some("true"));
    assert_eq!(second.body, first.body, "the very same bytes");
    assert!(first.location.is_some());
    assert_eq!(second.location, first.location);
    assert!(first.etag.is_some());
    assert_eq!(second.etag, first.etag);
    let slugs = app.role_slugs().await;
    assert_eq!(
        slugs.iter().filter(|slug| *slug == "platform-lead").count(),
        1
    );
    assert_eq!(slugs.len(), curated_role_count() + 1);
    let id = first.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(app.role(&id).await.1["version"], 1);
    assert_eq!(creations_of(&app, &id).await, 1);
}

#[tokio::test]
async fn a_retried_patch_is_applied_once() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (etag, _) = app.role("technical-lead").await;
    let patch = || {
        app.request(Method::PATCH, "/roles/technical-lead")
            .bearer_auth(&key)
            .header("If-Match", &etag)
            .header("Idempotency-Key", "retitle-technical-lead")
            .header("Content-Type", "application/merge-patch+json")
            .body(json!({"title": "Tech Lead"}).to_string())
    };

    let first = answer(patch().send().await.unwrap()).await;
    let second = answer(patch().send().await.unwrap()).await;

    assert_eq!(first.status, 200, "{first:?}");
    assert_eq!(
        second.status, 200,
        "not a 412: the first answer is replayed"
    );
    assert_eq!(second.replayed.as_deref(), Some("true"));
    assert_eq!(second.body, first.body);
    assert_eq!(second.etag, first.etag);
    assert_eq!(app.role("technical-lead").await.1["version"], 2);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_422_and_writes_nothing() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let first = post(&app, &key, "k-1", &new_role_document("platform-lead"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status().as_u16(), 201);
    let before = app.state().await;

    let response = post(&app, &key, "k-1", &new_role_document("platform-director"))
        .send()
        .await
        .unwrap();

    expect_problem_in("another body", response, 422, "idempotency_key_reused").await;
    assert_eq!(app.state().await, before);
}

#[tokio::test]
async fn idempotency_keys_belong_to_one_api_key() {
    let app = spawn_app().await;
    let alice = app.api_key("alice", Scope::Write).await;
    let bob = app.api_key("bob", Scope::Write).await;
    let first = answer(
        post(
            &app,
            &alice,
            "shared-key",
            &new_role_document("platform-lead"),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(first.status, 201);

    let other = answer(
        post(
            &app,
            &bob,
            "shared-key",
            &new_role_document("platform-director"),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;

    assert_eq!(other.status, 201, "{other:?}");
    assert_eq!(other.replayed, None);
    assert_ne!(other.json()["id"], first.json()["id"]);
    let (_, director) = app.role("platform-director").await;
    assert_eq!(director["id"], other.json()["id"]);
    app.role("platform-lead").await;
}

#[tokio::test]
async fn a_refused_request_may_be_retried_with_its_key() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let mut broken = new_role_document("platform-lead");
    broken["skills"][0]["skill"] = json!("telepathy");
    let refused = post(&app, &key, "retry-me", &broken).send().await.unwrap();
    expect_problem_in("the broken document", refused, 422, "unknown_reference").await;

    let fixed = answer(
        post(&app, &key, "retry-me", &new_role_document("platform-lead"))
            .send()
            .await
            .unwrap(),
    )
    .await;

    assert_eq!(fixed.status, 201, "{fixed:?}");
    assert_eq!(fixed.replayed, None);
    app.role("platform-lead").await;
}

#[tokio::test]
async fn a_malformed_idempotency_key_is_400_and_writes_nothing() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let before = app.state().await;
    let too_long = "k".repeat(201);

    for (idempotency_key, why) in [
        ("", "empty"),
        ("two words", "a space"),
        (too_long.as_str(), "201 characters"),
    ] {
        let response = post(
            &app,
            &key,
            idempotency_key,
            &new_role_document("platform-lead"),
        )
        .send()
        .await
        .unwrap();

        expect_problem_in(why, response, 400, "invalid_idempotency_key").await;
        assert_eq!(app.state().await, before, "{why}: nothing is written");
    }
    let longest = "k".repeat(200);
    let response = post(&app, &key, &longest, &new_role_document("platform-lead"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201, "200 characters are fine");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_with_one_key_create_one_role() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let document = new_role_document("platform-lead");

    let mut requests = JoinSet::new();
    for _ in 0..10 {
        let request = post(&app, &key, "one-at-a-time", &document);
        requests.spawn(async move { answer(request.send().await.unwrap()).await });
    }
    let answers = requests.join_all().await;

    assert_eq!(answers.len(), 10);
    for answer in &answers {
        match answer.status {
            201 => {}
            409 => assert_eq!(
                answer.json()["code"],
                "idempotency_key_in_progress",
                "{answer:?}"
            ),
            _ => panic!("{answer:?}"),
        }
    }
    let originals: Vec<&Answer> = answers
        .iter()
        .filter(|answer| answer.status == 201 && answer.replayed.is_none())
        .collect();
    assert_eq!(originals.len(), 1, "{answers:?}");
    for replay in answers
        .iter()
        .filter(|answer| answer.status == 201 && answer.replayed.is_some())
    {
        assert_eq!(replay.replayed.as_deref(), Some("true"));
        assert_eq!(replay.body, originals[0].body);
    }
    let slugs = app.role_slugs().await;
    assert_eq!(
        slugs.len(),
        curated_role_count() + 1,
        "exactly one role was created: {slugs:?}"
    );
    let id = originals[0].json()["id"].as_str().unwrap().to_owned();
    assert_eq!(creations_of(&app, &id).await, 1);
}
