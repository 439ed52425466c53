//! Title normalization: the table of real-looking titles
//! (tests/fixtures/titles.toml) scored as a whole, and the endpoints'
//! contract: bad batches refused by index, one title as a cached read, no
//! role below the threshold, and a new role found as soon as it exists.

use crate::helpers::{TestApp, error_fields, expect_problem, header, new_role_document, spawn_app};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::PathBuf;

#[derive(Deserialize)]
struct Table {
    title: Vec<Row>,
}

#[derive(Deserialize)]
struct Row {
    text: String,
    role: Option<String>,
    seniority: Option<String>,
    occupation: Option<String>,
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

/// The service with its knowledge base and the national occupations, imported
/// as `rolebase import oews` does.
async fn app_with_occupations() -> TestApp {
    let app = spawn_app().await;
    crate::occupations::import(&app, "oews-2025-national.csv").await;
    app
}

async fn normalize(app: &TestApp, titles: &Value) -> reqwest::Response {
    app.http
        .post(format!("{}/normalize/titles", app.address))
        .json(titles)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_title_table_is_read_right_at_least_95_percent_of_the_time() {
    let table: Table =
        toml::from_str(&std::fs::read_to_string(fixture("titles.toml")).unwrap()).unwrap();
    assert!(table.title.len() >= 80, "{} titles", table.title.len());
    let app = app_with_occupations().await;
    let titles: Vec<&str> = table.title.iter().map(|row| row.text.as_str()).collect();
    let response = normalize(&app, &json!({ "titles": titles })).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), table.title.len());

    let mut misses = Vec::new();
    for (row, result) in table.title.iter().zip(results) {
        assert_eq!(result["input"], row.text);
        let role = result["role"]["slug"].as_str();
        let seniority = result["seniority"].as_str();
        let occupation = result["occupation"]["code"].as_str();
        if result["role"].is_null() {
            assert!(result["reason"].is_string(), "{result}");
        }
        if (role, seniority, occupation)
            != (
                row.role.as_deref(),
                row.seniority.as_deref(),
                row.occupation.as_deref(),
            )
        {
            misses.push(format!(
                "{:?}: expected {:?}/{:?}/{:?}, got {role:?}/{seniority:?}/{occupation:?} ({})",
                row.text, row.role, row.seniority, row.occupation, result["role"]["confidence"]
            ));
        }
    }
    let right = table.title.len() - misses.len();
    let share = right as f64 / table.title.len() as f64;
    println!(
        "title normalization: {right} of {} right ({:.1} %)",
        table.title.len(),
        share * 100.0
    );
    for miss in &misses {
        println!("  miss: {miss}");
    }
    assert!(
        share >= 0.95,
        "{:.1} % right, under 95 %:\n{}",
        share * 100.0,
        misses.join("\n")
    );
}

#[tokio::test]
async fn a_batch_is_refused_naming_each_bad_title_by_its_index() {
    let app = spawn_app().await;
    let long = "x".repeat(201);
    let cases = [
        (json!({ "titles": [] }), vec!["/titles"]),
        (json!({ "titles": vec!["Tech Lead"; 501] }), vec!["/titles"]),
        (
            json!({ "titles": ["Tech Lead", 3, "  ", long, null] }),
            vec!["/titles/1", "/titles/2", "/titles/3", "/titles/4"],
        ),
        (json!({ "titles": "Tech Lead" }), vec!["/titles"]),
        (json!({}), vec!["/titles"]),
        (
            json!({ "titles": ["Tech Lead"], "limit": 3 }),
            vec!["/limit"],
        ),
    ];
    for (body, fields) in cases {
        let problem = expect_problem(normalize(&app, &body).await, 422, "invalid_field").await;
        assert_eq!(error_fields(&problem), fields, "{body}");
    }
    let malformed = app
        .http
        .post(format!("{}/normalize/titles", app.address))
        .header("content-type", "application/json")
        .body("{\"titles\": [")
        .send()
        .await
        .unwrap();
    expect_problem(malformed, 400, "malformed_body").await;
    // As for every body the service reads: one JSON object, or a 400.
    let not_an_object = normalize(&app, &json!(["Tech Lead"])).await;
    let problem = expect_problem(not_an_object, 400, "malformed_body").await;
    assert_eq!(problem["detail"], "the body must be a JSON object");
    let as_text = app
        .http
        .post(format!("{}/normalize/titles", app.address))
        .header("content-type", "text/plain")
        .body("{\"titles\": [\"Tech Lead\"]}")
        .send()
        .await
        .unwrap();
    expect_problem(as_text, 415, "unsupported_media_type").await;
    let huge = json!({ "titles": vec!["x".repeat(200); 1_400] });
    expect_problem(normalize(&app, &huge).await, 413, "payload_too_large").await;

    // 500 is allowed, and each title comes back in its place.
    let many: Vec<String> = (0..500)
        .map(|n| format!("Tech Lead #{}", 10_000 + n))
        .collect();
    let response = normalize(&app, &json!({ "titles": many })).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["results"].as_array().unwrap().len(), 500);
    assert_eq!(body["results"][499]["input"], "Tech Lead #10499");
    assert_eq!(body["results"][499]["role"]["slug"], "technical-lead");
    assert_eq!(
        body["results"][499]["ignored"],
        json!([{ "text": "#10499", "why": "requisition" }])
    );
}

#[tokio::test]
async fn one_title_is_a_read_with_an_etag() {
    let app = app_with_occupations().await;
    let response = app
        .get("/normalize/title?q=Eng%20Mgr%20II%20(Hybrid)")
        .await;
    assert_eq!(response.status(), 200);
    let etag = header(&response, "etag").expect("an ETag");
    let body: Value = response.json().await.unwrap();
    // "Engineering Manager II" is one of its names in the knowledge base.
    assert_eq!(body["role"]["slug"], "senior-engineering-manager", "{body}");
    assert!(body["role"]["confidence"].as_f64().unwrap() >= 0.6);
    assert_eq!(body["seniority"], "mid");
    assert_eq!(body["occupation"]["code"], "11-3021");
    assert_eq!(
        body["occupation"]["title"],
        "Computer and Information Systems Managers"
    );
    assert_eq!(
        body["ignored"],
        json!([
            { "text": "II", "why": "level" },
            { "text": "Hybrid", "why": "work_arrangement" }
        ])
    );
    let again = app
        .http
        .get(format!(
            "{}/normalize/title?q=Eng%20Mgr%20II%20(Hybrid)",
            app.address
        ))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let problem = app.get_problem("/normalize/title", 422).await;
    assert_eq!(error_fields(&problem), ["query.q"]);
    let problem = app
        .get_problem(&format!("/normalize/title?q={}", "a".repeat(201)), 422)
        .await;
    assert_eq!(error_fields(&problem), ["query.q"]);
}

#[tokio::test]
async fn below_the_threshold_there_is_no_role_but_a_reason_and_maybe_an_occupation() {
    let app = app_with_occupations().await;
    let body: Value = app
        .get("/normalize/title?q=Registered%20Nurse%20-%20Night%20Shift")
        .await
        .json()
        .await
        .unwrap();
    assert!(body["role"].is_null(), "{body}");
    assert!(
        body["reason"].as_str().unwrap().contains("threshold")
            || body["reason"].as_str().unwrap().contains("no role"),
        "{body}"
    );
    assert_eq!(body["occupation"]["code"], "29-1141", "{body}");
    assert_eq!(body["occupation"]["title"], "Registered Nurses");

    let body = app
        .get_json("/normalize/title?q=Ninja%20Rockstar", 200)
        .await;
    assert_eq!(body.get("role"), Some(&Value::Null), "{body}");
    assert_eq!(body.get("occupation"), Some(&Value::Null), "{body}");
    assert_eq!(body.get("seniority"), Some(&Value::Null), "{body}");
    assert!(body["reason"].is_string(), "{body}");
}

#[tokio::test]
async fn a_new_role_is_found_by_its_titles_as_soon_as_it_exists() {
    let app = spawn_app().await;
    let before = app
        .get_json("/normalize/title?q=Platform%20Team%20Lead", 200)
        .await;
    assert_ne!(before["role"]["slug"], "quantum-platform-lead", "{before}");
    let key = app.writer().await;
    let mut document = new_role_document("quantum-platform-lead");
    document["title"] = json!("Quantum Platform Wrangler");
    document["alternative_titles"] = json!(["Qubit Wrangler"]);
    app.create_role(&key, &document).await;
    app.caught_up().await;
    let after: Value = app
        .get("/normalize/title?q=Senior%20Qubit%20Wrangler")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["role"]["slug"], "quantum-platform-lead", "{after}");
    assert_eq!(after["seniority"], "senior");
}

#[tokio::test]
async fn a_job_boards_page_on_another_origin_may_normalize() {
    // A read sent as POST: any origin may, as it may read.
    let app = spawn_app().await;
    let preflight = app
        .request(reqwest::Method::OPTIONS, "/normalize/titles")
        .header("Origin", "https://jobs.example.com")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    assert_eq!(
        header(&preflight, "access-control-allow-origin").as_deref(),
        Some("https://jobs.example.com")
    );
    let response = app
        .http
        .post(format!("{}/normalize/titles", app.address))
        .header("Origin", "https://jobs.example.com")
        .json(&json!({ "titles": ["Tech Lead"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // Other writes from that origin stay refused.
    let write = app
        .request(reqwest::Method::OPTIONS, "/roles")
        .header("Origin", "https://jobs.example.com")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    expect_problem(write, 403, "origin_not_allowed").await;
}
