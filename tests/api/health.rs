use crate::helpers::{serve, server_config, spawn_app};

#[tokio::test]
async fn liveness_and_readiness_answer_ok_with_a_database() {
    let app = spawn_app().await;

    assert_eq!(app.get_json("/health/live", 200).await["status"], "ok");
    assert_eq!(app.get_json("/health/ready", 200).await["status"], "ok");
}

#[tokio::test]
async fn without_a_database_the_service_is_live_but_not_ready() {
    let missing = rolebase_api::database::pool(server_config("no_such_database"));
    let app = serve(missing);

    assert_eq!(app.get_json("/health/live", 200).await["status"], "ok");
    let response = app.get("/health/ready").await;
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "database_unavailable");
    assert_eq!(problem["type"], "/problems/database_unavailable");
    assert_eq!(problem["status"], 503);
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        !detail.contains("no_such_database"),
        "internals stay out of responses: {detail}"
    );
}

#[tokio::test]
async fn reads_answer_503_rather_than_500_when_the_database_is_gone() {
    let app = serve(rolebase_api::database::pool(server_config(
        "no_such_database",
    )));

    app.get_problem("/roles", 503).await;
    app.get_problem("/roles/technical-lead/requirements", 503)
        .await;
}
