//! The cache of rendered role documents: hits and 304s need no database, and
//! every process drops what a committed change makes stale, through the
//! database's change notifications, even after losing them for a while.

use crate::helpers::{TestApp, admin_execute, header, spawn_app, spawn_two_processes};
use std::time::{Duration, Instant};

const ROLE: &str =
    "/roles/technical-lead?include=responsibilities,requirements,skills,salaries,career";

async fn title(app: &TestApp, path: &str) -> String {
    app.get_json(path, 200).await["title"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Reads `path` through `app` until its title is `expected`; how long it took.
async fn until_title(app: &TestApp, path: &str, expected: &str) -> Duration {
    let start = Instant::now();
    while title(app, path).await != expected {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{path} still shows the old title after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    start.elapsed()
}

async fn database_name(app: &TestApp) -> String {
    let client = app.pool.get().await.unwrap();
    client
        .query_one("SELECT current_database()", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn a_cached_document_and_its_304_need_no_database() {
    let app = spawn_app().await;
    let first = app.get(ROLE).await;
    assert_eq!(first.status(), 200);
    let etag = header(&first, "etag").unwrap();
    let body = first.text().await.unwrap();

    app.pool.close();

    let again = app.get(ROLE).await;
    assert_eq!(again.status(), 200, "served from memory");
    assert_eq!(header(&again, "etag").as_deref(), Some(etag.as_str()));
    assert_eq!(
        header(&again, "content-type").as_deref(),
        Some("application/json")
    );
    assert!(header(&again, "last-modified").is_some());
    assert_eq!(again.text().await.unwrap(), body);
    let current = app
        .request(reqwest::Method::GET, ROLE)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(current.status(), 304);
    assert_eq!(
        app.get("/roles/team-lead").await.status(),
        503,
        "a document never read does need the database"
    );
}

#[tokio::test]
async fn a_change_through_one_process_is_read_through_the_other() {
    let (writer, reader) = spawn_two_processes().await;
    let (etag, _) = writer.role("technical-lead").await;
    let before = reader.get(ROLE).await;
    let cached_tag = header(&before, "etag").unwrap();
    assert_eq!(reader.get(ROLE).await.status(), 200);
    let key = writer.writer().await;

    let patched = writer
        .patch_role(
            &key,
            "technical-lead",
            &etag,
            &serde_json::json!({"title": "Tech Lead"}),
        )
        .await;
    assert_eq!(patched.status(), 200);

    // The writer's own process never shows the old document.
    assert_eq!(title(&writer, ROLE).await, "Tech Lead");
    let delay = until_title(&reader, ROLE, "Tech Lead").await;
    assert!(delay < Duration::from_secs(5), "{delay:?}");
    let after = reader
        .request(reqwest::Method::GET, ROLE)
        .header("if-none-match", &cached_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200, "the old tag is not current any more");
}

#[tokio::test]
async fn a_skill_renamed_through_one_process_reaches_every_role_read_through_the_other() {
    let (writer, reader) = spawn_two_processes().await;
    let skill_names = |body: serde_json::Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|skill| skill["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let path = "/roles/engineering-manager/skills";
    let before = skill_names(reader.get_json(path, 200).await);
    assert!(before.contains(&"Mentoring".to_owned()), "{before:?}");
    let admin = writer
        .api_key("curator", rolebase_api::storage::api_keys::Scope::Admin)
        .await;
    let mentoring = writer.get_json("/skills/mentoring", 200).await;

    let renamed = writer
        .request(reqwest::Method::PUT, "/skills/mentoring")
        .bearer_auth(&admin)
        .json(&serde_json::json!({
            "slug": "mentoring",
            "name": "Mentoring and coaching",
            "kind": mentoring["kind"],
            "description": mentoring["description"],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);

    let start = Instant::now();
    while !skill_names(reader.get_json(path, 200).await)
        .contains(&"Mentoring and coaching".to_owned())
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the reader still shows the old name"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_lost_listener_clears_the_cache_and_subscribes_again() {
    let app = spawn_app().await;
    assert_eq!(title(&app, ROLE).await, "Technical Lead");
    let name = database_name(&app).await;

    admin_execute(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = '{name}' AND application_name = '{}'",
        rolebase_api::documents::APPLICATION_NAME
    ))
    .await;
    let start = Instant::now();
    while app.documents.is_live() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the loss went unnoticed"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Changed behind the service's back, straight in the database.
    let client = app.pool.get().await.unwrap();
    client
        .execute(
            "UPDATE roles SET title = 'Lead Engineer', version = version + 1 WHERE slug = 'technical-lead'",
            &[],
        )
        .await
        .unwrap();

    until_title(&app, ROLE, "Lead Engineer").await;
    let start = Instant::now();
    while !app.documents.is_live() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "never subscribed again"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(title(&app, ROLE).await, "Lead Engineer");
    client
        .execute(
            "UPDATE roles SET title = 'Team Technical Lead', version = version + 1 WHERE slug = 'technical-lead'",
            &[],
        )
        .await
        .unwrap();
    until_title(&app, ROLE, "Team Technical Lead").await;
}

#[tokio::test]
async fn lists_and_searches_are_kept_whole_until_a_change() {
    let app = spawn_app().await;
    let search = "/search?q=tech%20lead";
    let first = app.get(search).await;
    let etag = header(&first, "etag").unwrap();
    let body = first.text().await.unwrap();
    let list = app.get_json("/roles?limit=100", 200).await;

    app.pool.close();

    let again = app.get(search).await;
    assert_eq!(again.status(), 200, "kept in memory");
    assert_eq!(header(&again, "etag").as_deref(), Some(etag.as_str()));
    assert_eq!(again.text().await.unwrap(), body);
    let current = app
        .request(reqwest::Method::GET, search)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(current.status(), 304);
    assert_eq!(app.get_json("/roles?limit=100", 200).await, list);
    assert_eq!(
        app.get("/search?q=architect").await.status(),
        503,
        "a search never made does need the database"
    );
}

#[tokio::test]
async fn a_role_created_through_one_process_is_listed_and_found_through_both() {
    let (writer, reader) = spawn_two_processes().await;
    let count = |body: serde_json::Value| body["items"].as_array().unwrap().len();
    let before = count(reader.get_json("/roles?limit=100", 200).await);
    assert_eq!(
        count(writer.get_json("/roles?limit=100", 200).await),
        before
    );
    let found = |body: serde_json::Value| {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|hit| hit["slug"] == "platform-lead")
    };
    assert!(!found(
        reader.get_json("/search?q=platform%20lead", 200).await
    ));
    let key = writer.writer().await;

    let created = writer
        .post_role(&key, &crate::helpers::new_role_document("platform-lead"))
        .await;
    assert_eq!(created.status(), 201);

    assert_eq!(
        count(writer.get_json("/roles?limit=100", 200).await),
        before + 1,
        "the writing process lists it at once"
    );
    let start = Instant::now();
    while count(reader.get_json("/roles?limit=100", 200).await) != before + 1
        || !found(reader.get_json("/search?q=platform%20lead", 200).await)
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the reader's kept answers are stale"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_synonym_added_in_the_database_reaches_search_through_the_kept_ones() {
    let app = spawn_app().await;
    let first_role = |body: serde_json::Value| body["items"][0]["slug"].as_str().map(str::to_owned);
    // Reads the synonyms into memory.
    assert_eq!(
        first_role(app.get_json("/search?q=tl&type=role", 200).await).as_deref(),
        Some("technical-lead")
    );
    let search = "/search?q=xyzzy&type=role";
    assert_eq!(first_role(app.get_json(search, 200).await), None);

    // Straight in the database: no write path of the service tells anyone.
    let client = app.pool.get().await.unwrap();
    client
        .execute(
            "INSERT INTO search_synonyms (term, expansion) VALUES ('xyzzy', 'technical lead')",
            &[],
        )
        .await
        .unwrap();

    let start = Instant::now();
    while first_role(app.get_json(search, 200).await).as_deref() != Some("technical-lead") {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "search still expands with the synonyms read before the change"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
