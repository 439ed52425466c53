use crate::helpers::{expect_problem, raw_request, spawn_app};
use rolebase_api::storage::knowledge_base::load;

#[tokio::test]
async fn reads_carry_an_etag_and_cache_control_and_roles_a_last_modified() {
    let app = spawn_app().await;

    for path in [
        "/roles",
        "/roles/technical-lead",
        "/roles/technical-lead/requirements",
        "/skills",
        "/families",
        "/sources",
        "/roles/compare?roles=technical-lead,team-lead",
        "/openapi.json",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let etag = response.headers()["etag"].to_str().unwrap();
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
            "{path}: {etag}"
        );
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=60",
            "{path}"
        );
    }
    let role = app.get("/roles/technical-lead").await;
    assert!(role.headers().contains_key("last-modified"));
    let live = app.get("/health/live").await;
    assert_eq!(live.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn a_current_etag_answers_304_without_a_body() {
    let app = spawn_app().await;
    let first = app.get("/roles/technical-lead/requirements").await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let full_length = first.bytes().await.unwrap().len().to_string();

    for if_none_match in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"stale\", {etag}"),
        "*".to_owned(),
    ] {
        let response = raw_request(
            &app,
            "GET",
            "/roles/technical-lead/requirements",
            &[("If-None-Match", &if_none_match)],
        )
        .await;
        assert_eq!(response.status, 304, "{if_none_match}");
        assert_eq!(response.header("etag"), Some(etag.as_str()));
        assert_eq!(
            response.body.len(),
            0,
            "{if_none_match}: a 304 sent body bytes"
        );
        assert!(
            response
                .header("content-length")
                .is_none_or(|length| length == full_length),
            "a 304 may only state the length of the 200's body: {:?}",
            response.header("content-length")
        );
    }
    let stale = app
        .http
        .get(format!("{}/roles/technical-lead/requirements", app.address))
        .header("If-None-Match", "\"stale\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 200);
}

#[tokio::test]
async fn the_etag_changes_when_the_data_does() {
    let app = spawn_app().await;
    let before = app.get("/roles/technical-lead").await.headers()["etag"].clone();
    let mut knowledge_base = crate::helpers::built_in_knowledge_base();
    let lead = knowledge_base
        .roles
        .iter_mut()
        .find(|role| role.content.slug.as_str() == "technical-lead")
        .unwrap();
    lead.content.title = rolebase_domain::Title::parse("Technical Lead (renamed)").unwrap();
    lead.digest.push_str("-edited");
    let mut client = app.pool.get().await.unwrap();
    load(&mut client, &knowledge_base).await.unwrap();
    app.caught_up().await;

    let after = app.get("/roles/technical-lead").await;

    assert_ne!(after.headers()["etag"], before);
    let stale = app
        .http
        .get(format!("{}/roles/technical-lead", app.address))
        .header("If-None-Match", before)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 200);
}

#[tokio::test]
async fn errors_are_not_cached() {
    let app = spawn_app().await;
    let response = app.get("/roles/chief-wizard").await;
    assert!(response.headers().get("etag").is_none());
    assert!(response.headers().get("cache-control").is_none());
    expect_problem(response, 404, "role_not_found").await;
}
