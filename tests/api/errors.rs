use crate::helpers::spawn_app;

#[tokio::test]
async fn an_unknown_path_is_a_404_problem() {
    let app = spawn_app().await;

    let problem = app.get_problem("/no/such/thing", 404).await;

    assert_eq!(problem["type"], "/problems/not-found");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;

    for path in ["/roles", "/roles/chief-wizard", "/health/live"] {
        let response = app.get(path).await;
        let id = response
            .headers()
            .get("x-request-id")
            .unwrap_or_else(|| panic!("{path}"));
        assert!(!id.is_empty());
    }
}
