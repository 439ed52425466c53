//! Skills and sources written through the API: refusals name the field and
//! write nothing.

use crate::helpers::{expect_problem_in, spawn_app};
use reqwest::Method;
use rolebase_api::storage::api_keys::Scope;
use serde_json::{Value, json};

/// Why, method, path, body, and the status, code and refused field expected.
type Case = (
    &'static str,
    Method,
    &'static str,
    Value,
    u16,
    &'static str,
    Option<&'static str>,
);

#[tokio::test]
async fn refused_skills_and_sources_name_the_field_and_write_nothing() {
    let app = spawn_app().await;
    let admin = app.api_key("curator", Scope::Admin).await;
    let source = |extra: Value| {
        let mut body = json!({"key": "new-source", "title": "A new source"});
        json_patch::merge(&mut body, &extra);
        body
    };
    let cases: Vec<Case> = vec![
        (
            "a URL with no address",
            Method::POST,
            "/sources",
            source(json!({"url": "https://"})),
            422,
            "invalid_field",
            Some("/url"),
        ),
        (
            "a URL that is not the web",
            Method::POST,
            "/sources",
            source(json!({"url": "ftp://example.org"})),
            422,
            "invalid_field",
            Some("/url"),
        ),
        (
            "a date before 1900",
            Method::POST,
            "/sources",
            source(json!({"published": "-9999-01-01"})),
            422,
            "invalid_field",
            Some("/published"),
        ),
        (
            "a date after 2100",
            Method::POST,
            "/sources",
            source(json!({"retrieved": "+200000-01-01"})),
            422,
            "invalid_field",
            Some("/retrieved"),
        ),
        (
            "a key already taken",
            Method::POST,
            "/sources",
            source(json!({"key": "bls-soc-2018"})),
            409,
            "duplicate_slug",
            Some("/key"),
        ),
        (
            "an unknown kind of skill",
            Method::POST,
            "/skills",
            json!({"slug": "juggling", "name": "Juggling", "kind": "circus", "description": "d"}),
            422,
            "invalid_field",
            Some("/kind"),
        ),
        (
            "a slug another skill has",
            Method::POST,
            "/skills",
            json!({"slug": "mentoring", "name": "M", "kind": "soft", "description": "d"}),
            409,
            "duplicate_slug",
            Some("/slug"),
        ),
        (
            "a body for another skill",
            Method::PUT,
            "/skills/mentoring",
            json!({"slug": "coaching", "name": "C", "kind": "soft", "description": "d"}),
            422,
            "invalid_field",
            Some("/slug"),
        ),
    ];
    let state = app.state().await;

    for (why, method, path, body, status, code, field) in cases {
        let response = app
            .request(method, path)
            .bearer_auth(&admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = expect_problem_in(why, response, status, code).await;
        if let Some(field) = field {
            let fields: Vec<&str> = problem["errors"]
                .as_array()
                .unwrap_or_else(|| panic!("{why}: errors are listed: {problem}"))
                .iter()
                .map(|error| error["field"].as_str().unwrap())
                .collect();
            assert_eq!(fields, [field], "{why}: {problem}");
        }
        assert_eq!(app.state().await, state, "{why}: nothing was written");
    }
}
