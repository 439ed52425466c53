use crate::helpers::{expect_problem_in, raw_request, spawn_app};

#[tokio::test]
async fn an_unknown_path_is_a_404_problem() {
    let app = spawn_app().await;

    let problem = app.get_problem("/no/such/thing", 404).await;

    assert_eq!(problem["type"], "/problems/route_not_found");
    assert_eq!(problem["code"], "route_not_found");
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

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = spawn_app().await;
    for path in [
        "/roles/technical-lead",
        "/roles/technical-lead/requirements",
        "/roles?limit=5",
        "/search?q=tech%20lead",
    ] {
        let get = raw_request(&app, "GET", path, &[]).await;
        let head = raw_request(&app, "HEAD", path, &[]).await;

        assert_eq!((get.status, head.status), (200, 200), "{path}");
        assert!(!get.body.is_empty(), "{path}");
        assert_eq!(head.body.len(), 0, "{path}: HEAD sent body bytes");
        assert!(head.header("etag").is_some(), "{path}");
        assert_eq!(head.header("etag"), get.header("etag"), "{path}");
        assert_eq!(
            head.header("content-length"),
            Some(get.body.len().to_string().as_str()),
            "{path}: HEAD states the length GET sends"
        );
        assert_eq!(head.header("content-type"), get.header("content-type"));
    }
}

#[tokio::test]
async fn a_huge_refused_value_is_not_echoed_back_whole() {
    let app = spawn_app().await;
    let huge = "x".repeat(60_000);
    for path in [
        format!("/roles?family={huge}"),
        format!("/roles/compare?roles=technical-lead,{huge}"),
        format!("/roles?{huge}=1"),
    ] {
        let response = app.get(&path).await;
        assert!(response.status().is_client_error(), "{}", response.status());
        let body = response.text().await.unwrap();
        assert!(body.len() < 2_000, "{} bytes answered", body.len());
        let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.chars().count() <= 301, "{message}");
        assert!(
            message.contains("xxxx"),
            "still says what was refused: {message}"
        );
    }
}

/// A documented path's `{…}` segments filled with values that exist.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|segment| match segment {
            "{id}" => "technical-lead",
            "{slug}" | "{skill}" => "mentoring",
            "{to}" | "{other}" => "engineering-manager",
            "{n}" => "1",
            "{soc}" => "15-1252",
            "{code}" => "0000000",
            "{child}" => "0193b0a4-0000-7000-8000-000000000001",
            other if other.starts_with('{') => panic!("no value for {other} in {template}"),
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_path_answers_a_method_it_lacks_with_405_and_allow() {
    let app = spawn_app().await;
    let document: serde_json::Value =
        serde_json::from_str(include_str!("../../openapi/openapi.json")).unwrap();
    let mut paths: Vec<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(template, item)| {
            let mut allowed = vec![];
            if item.get("get").is_some() {
                allowed.extend(["GET", "HEAD"]);
            }
            for method in ["post", "put", "patch", "delete"] {
                if item.get(method).is_some() {
                    allowed.push(method);
                }
            }
            let allowed = allowed
                .iter()
                .map(|method| method.to_uppercase())
                .collect::<Vec<_>>()
                .join(", ");
            (concrete(template), allowed)
        })
        .collect();
    assert!(paths.len() >= 40, "every documented path: {}", paths.len());
    for served in [
        "/openapi.json",
        "/metrics",
        "/swagger-ui/",
        "/swagger-ui/index.html",
    ] {
        paths.push((served.to_owned(), "GET, HEAD".to_owned()));
    }

    for (path, allowed) in paths {
        let method = ["POST", "PATCH", "PUT", "DELETE"]
            .into_iter()
            .find(|method| !allowed.split(", ").any(|known| known == *method))
            .unwrap_or_else(|| panic!("{path} takes every method"));
        let response = app
            .http
            .request(method.parse().unwrap(), format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        let allow = crate::helpers::header(&response, "allow");
        let problem = expect_problem_in(
            &format!("{method} {path}"),
            response,
            405,
            "method_not_allowed",
        )
        .await;
        assert_eq!(allow.as_deref(), Some(allowed.as_str()), "{method} {path}");
        assert!(
            problem["detail"].as_str().unwrap().contains(method),
            "{method} {path}: {problem}"
        );
    }
}
