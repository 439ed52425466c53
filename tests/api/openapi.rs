use crate::helpers::spawn_app;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[tokio::test]
async fn the_served_document_is_openapi_3_with_the_role_endpoints() {
    let app = spawn_app().await;

    let document = app.get_json("/openapi.json", 200).await;

    assert!(
        document["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        document["openapi"]
    );
    for path in [
        "/roles",
        "/roles/{id}",
        "/roles/{id}/requirements",
        "/health/live",
        "/health/ready",
    ] {
        assert!(
            document["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }
    let id = &document["paths"]["/roles/{id}"]["get"]["parameters"][0];
    assert_eq!(id["schema"]["type"], "string");
    assert!(
        id["schema"].get("format").is_none(),
        "Swagger UI must accept a slug as the id"
    );
    let not_found = &document["paths"]["/roles/{id}"]["get"]["responses"]["404"]["content"];
    assert!(not_found["application/problem+json"].is_object());
}

#[test]
fn the_committed_document_matches_the_code() {
    let generated = rolebase_api::http::openapi().to_pretty_json().unwrap();
    assert!(
        generated.trim_end() == COMMITTED.trim_end(),
        "openapi/openapi.json is out of date: refresh it with `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[tokio::test]
async fn swagger_ui_is_served_and_its_bare_path_redirects() {
    let app = spawn_app().await;

    let page = app.get("/swagger-ui/").await;
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains("swagger-ui"));

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let bare = client
        .get(format!("{}/swagger-ui", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status().as_u16(), 308);
    assert_eq!(bare.headers()["location"], "/swagger-ui/");
}

#[test]
fn enums_are_documented_with_their_wire_values() {
    let document: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    let schemas = &document["components"]["schemas"];
    assert_eq!(schemas["Family"]["enum"][0], "software-engineering");
    assert_eq!(schemas["Track"]["enum"][0], "individual_contributor");
    assert_eq!(schemas["EducationLevel"]["enum"][0], "high_school");
    assert_eq!(schemas["CareerStepKind"]["enum"][2], "track_change");
}

#[test]
fn problem_examples_match_their_status() {
    let document: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    let mut checked = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let Some(content) = response["content"].get("application/problem+json") else {
                    continue;
                };
                let examples = content["examples"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{method} {path} {status}: problem examples"));
                assert!(!examples.is_empty(), "{method} {path} {status}");
                for (code, example) in examples {
                    let problem = &example["value"];
                    assert_eq!(
                        problem["status"].to_string(),
                        *status,
                        "{method} {path} {code}"
                    );
                    assert_eq!(problem["code"], code.as_str(), "{method} {path}");
                    assert_eq!(
                        problem["type"],
                        format!("/problems/{code}"),
                        "{method} {path}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} problem examples were checked"
    );
}
