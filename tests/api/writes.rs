//! Creating, replacing, patching and deleting roles, and the bodies that are
//! refused without anything being written.

use crate::helpers::{
    ALL_CHILDREN, TestApp, assert_includes, bare_role_document, curated_role_count, error_fields,
    expect_problem, expect_problem_in, header, new_role_document, spawn_app,
};
use reqwest::Method;
use serde_json::{Value, json};

/// The item lists of a role's four child endpoints, in order.
async fn child_items(app: &TestApp, id: &str) -> Vec<Value> {
    let mut lists = Vec::new();
    for child in ["responsibilities", "requirements", "skills", "salaries"] {
        let list = app.get_json(&format!("/roles/{id}/{child}"), 200).await;
        lists.push(list["items"].clone());
    }
    lists
}

#[tokio::test]
async fn posting_a_role_creates_it_with_every_child() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let document = new_role_document("platform-lead");

    let response = app.post_role(&key, &document).await;

    assert_eq!(response.status().as_u16(), 201);
    let location = header(&response, "location").expect("a Location header");
    let etag = header(&response, "etag").expect("an ETag header");
    let body: Value = response.json().await.unwrap();
    let id = body["id"].as_str().expect("the role has an id").to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id} is a UUID");
    assert_eq!(location, format!("/roles/{id}"));
    let (current_etag, current) = app.role(&id).await;
    assert_eq!(body, current, "the body is what GET /roles/{{id}} answers");
    assert_eq!(etag, current_etag);
    let (_, by_slug) = app.role("platform-lead").await;
    assert_eq!(by_slug, current);
    assert_eq!(body["slug"], "platform-lead");
    assert_eq!(body["title"], "Platform Lead");
    assert_eq!(body["version"], 1);
    assert_eq!(body["isco_code"], "2512");
    assert_eq!(body["track"], "hybrid");
    assert_eq!(body["alternative_titles"], json!(["Platform Team Lead"]));
    assert_eq!(body["soc_codes"], json!(["15-1252"]));
    assert_eq!(body["description"], document["description"]);
    let sources: Vec<&Value> = body["sources"]
        .as_array()
        .expect("sources are a list")
        .iter()
        .map(|source| &source["key"])
        .collect();
    assert_eq!(sources, [&json!("bls-soc-2018")]);

    let responsibilities = app
        .get_json("/roles/platform-lead/responsibilities", 200)
        .await;
    assert_eq!(responsibilities["role"]["id"], id.as_str());
    assert_includes(
        &responsibilities["items"],
        &document["responsibilities"],
        "responsibilities",
    );
    let requirements = app.get_json("/roles/platform-lead/requirements", 200).await;
    assert_includes(
        &requirements["items"],
        &document["requirements"],
        "requirements",
    );
    let skills = app.get_json("/roles/platform-lead/skills", 200).await;
    let skills = skills["items"].as_array().unwrap();
    assert_eq!(skills.len(), 1, "{skills:?}");
    assert_eq!(skills[0]["slug"], "mentoring");
    assert_eq!(skills[0]["importance"], "essential");
    let salaries = app.get_json("/roles/platform-lead/salaries", 200).await;
    let salaries = salaries["items"].as_array().unwrap();
    assert_eq!(salaries.len(), 1, "{salaries:?}");
    assert_includes(&salaries[0], &document["salaries"][0], "salaries/0");
    assert_eq!(
        salaries[0].get("source"),
        Some(&Value::Null),
        "editorial: no source"
    );
    let full = app
        .get_json(&format!("/roles/{id}?include={ALL_CHILDREN}"), 200)
        .await;
    assert_eq!(full["responsibilities"], responsibilities["items"]);
    assert_eq!(full["requirements"], requirements["items"]);

    let slugs = app.role_slugs().await;
    assert!(slugs.contains(&"platform-lead".to_owned()), "{slugs:?}");
    assert_eq!(
        slugs.len(),
        curated_role_count() + 1,
        "the curated roles and the new one"
    );
}

#[tokio::test]
async fn a_role_may_be_created_without_children() {
    let app = spawn_app().await;
    let key = app.writer().await;

    let (id, _, body) = app
        .create_role(&key, &bare_role_document("bare-role"))
        .await;

    assert_eq!(body["slug"], "bare-role");
    assert_eq!(body["version"], 1);
    assert_eq!(body.get("isco_code"), Some(&Value::Null));
    assert_eq!(body["sources"], json!([]));
    assert_eq!(body["alternative_titles"], json!([]));
    assert_eq!(body["soc_codes"], json!([]));
    for items in child_items(&app, &id).await {
        assert_eq!(items, json!([]));
    }
    let career = app
        .get_json(&format!("/roles/{id}/career-paths"), 200)
        .await;
    assert_eq!(career["next"], json!([]));
    assert_eq!(career["previous"], json!([]));
}

#[tokio::test]
async fn a_json_content_type_with_a_charset_is_accepted() {
    let app = spawn_app().await;
    let key = app.writer().await;

    let response = app
        .request(Method::POST, "/roles")
        .bearer_auth(&key)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(new_role_document("platform-lead").to_string())
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 201);
    app.role("platform-lead").await;
}

#[tokio::test]
async fn put_replaces_the_role_and_all_its_children() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;
    let mut replacement = new_role_document("platform-lead");
    replacement["title"] = json!("Head of Platform");
    replacement["responsibilities"] = json!([
        {"title": "Hire the platform team", "category": "people", "description": "Interview, hire and onboard platform engineers."},
        {"title": "Keep the platform secure", "category": "security", "description": "Patch, audit and review the platform's services."}
    ]);
    replacement["requirements"] = json!([]);
    replacement["skills"] = json!([{"skill": "code-review", "importance": "optional"}]);
    replacement["salaries"] = json!([]);
    replacement.as_object_mut().unwrap().remove("isco_code");

    let response = app.put_role(&key, &id, &etag, &replacement).await;

    assert_eq!(response.status().as_u16(), 200);
    let new_etag = header(&response, "etag").expect("an ETag header");
    let body: Value = response.json().await.unwrap();
    assert_ne!(new_etag, etag);
    let (current_etag, current) = app.role(&id).await;
    assert_eq!(body, current, "the body is what GET answers");
    assert_eq!(new_etag, current_etag);
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["version"], 2);
    assert_eq!(body["title"], "Head of Platform");
    assert_eq!(
        body.get("isco_code"),
        Some(&Value::Null),
        "a field left out of a PUT is gone"
    );
    let [responsibilities, requirements, skills, salaries]: [Value; 4] =
        child_items(&app, &id).await.try_into().unwrap();
    let titles: Vec<&Value> = responsibilities
        .as_array()
        .unwrap()
        .iter()
        .map(|item| &item["title"])
        .collect();
    assert_eq!(
        titles,
        [
            &json!("Hire the platform team"),
            &json!("Keep the platform secure")
        ]
    );
    assert_eq!(requirements, json!([]));
    let skill_slugs: Vec<&Value> = skills
        .as_array()
        .unwrap()
        .iter()
        .map(|skill| &skill["slug"])
        .collect();
    assert_eq!(skill_slugs, [&json!("code-review")]);
    assert_eq!(salaries, json!([]));
}

#[tokio::test]
async fn put_with_another_slug_renames_the_role_and_the_old_slug_is_unknown() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;

    let response = app
        .put_role(
            &key,
            "platform-lead",
            &etag,
            &new_role_document("platform-director"),
        )
        .await;

    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["slug"], "platform-director");
    let (_, renamed) = app.role("platform-director").await;
    assert_eq!(renamed["id"], id.as_str());
    let (_, by_id) = app.role(&id).await;
    assert_eq!(by_id["slug"], "platform-director");
    let problem =
        expect_problem(app.get("/roles/platform-lead").await, 404, "role_not_found").await;
    assert!(problem["detail"].is_string());
    let slugs = app.role_slugs().await;
    assert!(slugs.contains(&"platform-director".to_owned()), "{slugs:?}");
    assert!(!slugs.contains(&"platform-lead".to_owned()), "{slugs:?}");
}

#[tokio::test]
async fn patch_merges_into_the_role_and_keeps_what_it_does_not_name() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;
    let children_before = child_items(&app, &id).await;

    let response = app
        .patch_role(
            &key,
            &id,
            &etag,
            &json!({"title": "Platform Engineering Lead"}),
        )
        .await;

    assert_eq!(response.status().as_u16(), 200);
    let retitled_etag = header(&response, "etag").expect("an ETag header");
    assert_ne!(retitled_etag, etag);
    let body: Value = response.json().await.unwrap();
    let (current_etag, current) = app.role(&id).await;
    assert_eq!(body, current);
    assert_eq!(retitled_etag, current_etag);
    assert_eq!(body["title"], "Platform Engineering Lead");
    assert_eq!(body["version"], 2);
    assert_eq!(body["isco_code"], "2512");
    assert_eq!(body["summary"], new_role_document("x")["summary"]);
    assert_eq!(
        child_items(&app, &id).await,
        children_before,
        "children the patch does not name are kept"
    );

    let response = app
        .patch_role(&key, &id, &retitled_etag, &json!({"isco_code": null}))
        .await;

    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body.get("isco_code"), Some(&Value::Null), "null removes");
    assert_eq!(body["version"], 3);
    assert_eq!(body["title"], "Platform Engineering Lead");
    assert_eq!(app.role(&id).await.1, body);
}

#[tokio::test]
async fn patch_takes_only_a_merge_patch() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;
    let before = app.state().await;

    for (content_type, why) in [
        (Some("application/json"), "plain JSON"),
        (Some("application/json-patch+json"), "a JSON Patch"),
        (Some("text/plain"), "text"),
        (None, "no content type"),
    ] {
        let mut request = app
            .request(Method::PATCH, &format!("/roles/{id}"))
            .bearer_auth(&key)
            .header("If-Match", &etag)
            .body(r#"{"title": "Renamed"}"#);
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }

        let response = request.send().await.unwrap();

        expect_problem(response, 415, "unsupported_media_type").await;
        assert_eq!(app.state().await, before, "{why}: nothing is written");
    }
}

#[tokio::test]
async fn delete_removes_the_role_and_leaves_a_410_pointing_at_its_history() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;

    let response = app.delete_role(&key, &id, &etag).await;

    assert_eq!(response.status().as_u16(), 204);
    assert!(response.bytes().await.unwrap().is_empty(), "no body");
    for path in [format!("/roles/{id}"), "/roles/platform-lead".to_owned()] {
        let response = app.get(&path).await;
        let link = header(&response, "link");
        expect_problem(response, 410, "role_deleted").await;
        assert_eq!(
            link.as_deref(),
            Some(format!("</roles/{id}/revisions>; rel=\"version-history\"").as_str()),
            "{path}"
        );
    }
    let slugs = app.role_slugs().await;
    assert!(!slugs.contains(&"platform-lead".to_owned()), "{slugs:?}");
    assert_eq!(slugs.len(), curated_role_count());
    app.get_json(&format!("/roles/{id}/revisions"), 200).await;
}

/// A request body as sent.
enum Body {
    /// Serialized, with `Content-Type: application/json`.
    Json(Value),
    /// These bytes, with this content type (none when `None`).
    Raw(Option<&'static str>, Vec<u8>),
}

/// A write that must be refused.
struct Refused {
    why: &'static str,
    method: Method,
    path: String,
    body: Body,
    status: u16,
    code: &'static str,
    /// The `errors[].field` pointers; `None` where the contract names none.
    fields: Option<Vec<&'static str>>,
}

/// The new-role document for `slug`, edited.
fn edited(slug: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut document = new_role_document(slug);
    edit(&mut document);
    document
}

/// Sends each case (with `If-Match: if_match` unless it is a POST) and
/// checks its answer, and that the API shows exactly what it did before.
async fn check_refused(app: &TestApp, key: &str, if_match: &str, cases: Vec<Refused>) {
    assert!(!cases.is_empty());
    let before = app.state().await;
    for case in cases {
        let mut request = app
            .request(case.method.clone(), &case.path)
            .bearer_auth(key);
        if case.method != Method::POST {
            request = request.header("If-Match", if_match);
        }
        request = match &case.body {
            Body::Json(value) => request.json(value),
            Body::Raw(content_type, bytes) => {
                let request = request.body(bytes.clone());
                match content_type {
                    Some(content_type) => request.header("Content-Type", *content_type),
                    None => request,
                }
            }
        };

        let response = request
            .send()
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", case.why));

        let problem = expect_problem_in(case.why, response, case.status, case.code).await;
        if let Some(mut fields) = case.fields {
            fields.sort();
            assert_eq!(error_fields(&problem), fields, "{}: {problem}", case.why);
        }
        assert_eq!(
            app.state().await,
            before,
            "{}: a refused write changes nothing",
            case.why
        );
    }
}

#[tokio::test]
async fn refused_new_roles_name_every_bad_field_and_write_nothing() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let valid = new_role_document("platform-lead").to_string().into_bytes();
    let post = |why, body, status, code, fields: Option<Vec<&'static str>>| Refused {
        why,
        method: Method::POST,
        path: "/roles".to_owned(),
        body,
        status,
        code,
        fields,
    };
    let invalid = |why, document: Value, fields: Vec<&'static str>| {
        post(
            why,
            Body::Json(document),
            422,
            "invalid_field",
            Some(fields),
        )
    };
    let unknown = |why, document: Value, fields: Vec<&'static str>| {
        post(
            why,
            Body::Json(document),
            422,
            "unknown_reference",
            Some(fields),
        )
    };
    let oversized = edited("platform-lead", |d| {
        d["description"] = json!("x".repeat(262_144));
    });
    let cases = vec![
        invalid(
            "no title",
            edited("platform-lead", |d| {
                d.as_object_mut().unwrap().remove("title");
            }),
            vec!["/title"],
        ),
        invalid(
            "a title that is not a string",
            edited("platform-lead", |d| d["title"] = json!(42)),
            vec!["/title"],
        ),
        invalid(
            "an unknown responsibility category",
            edited("platform-lead", |d| {
                d["responsibilities"][0]["category"] = json!("wizardry")
            }),
            vec!["/responsibilities/0/category"],
        ),
        invalid(
            "four bad fields at once",
            edited("platform-lead", |d| {
                d["title"] = json!("");
                d["track"] = json!("wizardry");
                d["responsibilities"][0]["category"] = json!("wizardry");
                d["skills"][0]["importance"] = json!("sometimes");
            }),
            vec![
                "/title",
                "/track",
                "/responsibilities/0/category",
                "/skills/0/importance",
            ],
        ),
        invalid(
            "an unknown field at the top",
            edited("platform-lead", |d| d["bonus"] = json!(5)),
            vec!["/bonus"],
        ),
        invalid(
            "an unknown field in a responsibility",
            edited("platform-lead", |d| {
                d["responsibilities"][0]["priority"] = json!("high")
            }),
            vec!["/responsibilities/0/priority"],
        ),
        invalid(
            "an unknown field in a salary's area",
            edited("platform-lead", |d| {
                d["salaries"][0]["area"]["population"] = json!(330_000_000)
            }),
            vec!["/salaries/0/area/population"],
        ),
        invalid(
            "a p10 above the p90",
            edited("platform-lead", |d| {
                d["salaries"][0]["p10"] = json!(250000.0)
            }),
            vec!["/salaries/0"],
        ),
        invalid(
            "more minimum years than maximum",
            edited("platform-lead", |d| {
                d["requirements"][0]["min_years"] = json!(9)
            }),
            vec!["/requirements/0"],
        ),
        unknown(
            "a skill that does not exist",
            edited("platform-lead", |d| {
                d["skills"][0]["skill"] = json!("telepathy")
            }),
            vec!["/skills/0/skill"],
        ),
        unknown(
            "a source that does not exist",
            edited("platform-lead", |d| {
                d["sources"] = json!(["no-such-source"])
            }),
            vec!["/sources/0"],
        ),
        unknown(
            "a salary from a source that does not exist",
            edited("platform-lead", |d| {
                d["salaries"][0]["basis"] = json!("stated");
                d["salaries"][0]["source"] = json!("no-such-source");
                d["salaries"][0]["locator"] = json!("Table 1");
            }),
            vec!["/salaries/0/source"],
        ),
        post(
            "JSON cut short",
            Body::Raw(
                Some("application/json"),
                br#"{"slug": "platform-lead","#.to_vec(),
            ),
            400,
            "malformed_body",
            None,
        ),
        post(
            "a JSON array",
            Body::Json(json!([new_role_document("platform-lead")])),
            400,
            "malformed_body",
            None,
        ),
        post(
            "a JSON string",
            Body::Json(json!("platform-lead")),
            400,
            "malformed_body",
            None,
        ),
        post(
            "no body and no content type",
            Body::Raw(None, vec![]),
            415,
            "unsupported_media_type",
            None,
        ),
        post(
            "a document without a content type",
            Body::Raw(None, valid.clone()),
            415,
            "unsupported_media_type",
            None,
        ),
        post(
            "a document sent as text/plain",
            Body::Raw(Some("text/plain"), valid.clone()),
            415,
            "unsupported_media_type",
            None,
        ),
        post(
            "a document sent as a merge patch",
            Body::Raw(Some("application/merge-patch+json"), valid),
            415,
            "unsupported_media_type",
            None,
        ),
        post(
            "a body over 256 KiB",
            Body::Json(oversized),
            413,
            "payload_too_large",
            None,
        ),
        post(
            "a slug another role has",
            Body::Json(new_role_document("technical-lead")),
            409,
            "duplicate_slug",
            None,
        ),
    ];

    check_refused(&app, &key, "", cases).await;
}

#[tokio::test]
async fn unknown_references_say_what_kind_of_thing_is_missing() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let document = edited("platform-lead", |d| {
        d["skills"][0]["skill"] = json!("telepathy");
        d["sources"] = json!(["bls-soc-2018", "no-such-source"]);
    });

    let response = app.post_role(&key, &document).await;

    let problem = expect_problem(response, 422, "unknown_reference").await;
    let mut errors: Vec<(String, String)> = problem["errors"]
        .as_array()
        .expect("errors are listed")
        .iter()
        .map(|error| {
            (
                error["field"].as_str().unwrap().to_owned(),
                error["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("/skills/0/skill".to_owned(), "skill_not_found".to_owned()),
            ("/sources/1".to_owned(), "source_not_found".to_owned()),
        ]
    );
}

#[tokio::test]
async fn refused_changes_to_a_role_write_nothing() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;
    let path = format!("/roles/{id}");
    let put = |why, body, status, code, fields: Option<Vec<&'static str>>| Refused {
        why,
        method: Method::PUT,
        path: path.clone(),
        body,
        status,
        code,
        fields,
    };
    let patch =
        |why, merge_patch: Value, status, code, fields: Option<Vec<&'static str>>| Refused {
            why,
            method: Method::PATCH,
            path: path.clone(),
            body: Body::Raw(
                Some("application/merge-patch+json"),
                merge_patch.to_string().into_bytes(),
            ),
            status,
            code,
            fields,
        };
    let cases = vec![
        put(
            "PUT: an unknown responsibility category",
            Body::Json(edited("platform-lead", |d| {
                d["responsibilities"][0]["category"] = json!("wizardry")
            })),
            422,
            "invalid_field",
            Some(vec!["/responsibilities/0/category"]),
        ),
        put(
            "PUT: an unknown field",
            Body::Json(edited("platform-lead", |d| d["bonus"] = json!(5))),
            422,
            "invalid_field",
            Some(vec!["/bonus"]),
        ),
        put(
            "PUT: a skill that does not exist",
            Body::Json(edited("platform-lead", |d| {
                d["skills"][0]["skill"] = json!("telepathy")
            })),
            422,
            "unknown_reference",
            Some(vec!["/skills/0/skill"]),
        ),
        put(
            "PUT: a rename to a slug another role has",
            Body::Json(new_role_document("technical-lead")),
            409,
            "duplicate_slug",
            None,
        ),
        put(
            "PUT: JSON cut short",
            Body::Raw(Some("application/json"), b"{\"slug\":".to_vec()),
            400,
            "malformed_body",
            None,
        ),
        put(
            "PUT: text/plain",
            Body::Raw(
                Some("text/plain"),
                new_role_document("platform-lead").to_string().into_bytes(),
            ),
            415,
            "unsupported_media_type",
            None,
        ),
        Refused {
            why: "PUT: a role that does not exist",
            method: Method::PUT,
            path: "/roles/chief-wizard".to_owned(),
            body: Body::Json(new_role_document("chief-wizard")),
            status: 404,
            code: "role_not_found",
            fields: None,
        },
        patch(
            "PATCH: null for a required field",
            json!({"title": null}),
            422,
            "invalid_field",
            Some(vec!["/title"]),
        ),
        patch(
            "PATCH: an unknown track",
            json!({"track": "wizardry"}),
            422,
            "invalid_field",
            Some(vec!["/track"]),
        ),
        patch(
            "PATCH: an unknown field",
            json!({"bonus": 5}),
            422,
            "invalid_field",
            Some(vec!["/bonus"]),
        ),
        patch(
            "PATCH: a skill that does not exist",
            json!({"skills": [{"skill": "telepathy", "importance": "optional"}]}),
            422,
            "unknown_reference",
            Some(vec!["/skills/0/skill"]),
        ),
        patch(
            "PATCH: a rename to a slug another role has",
            json!({"slug": "technical-lead"}),
            409,
            "duplicate_slug",
            None,
        ),
        Refused {
            why: "PATCH: JSON cut short",
            method: Method::PATCH,
            path: path.clone(),
            body: Body::Raw(Some("application/merge-patch+json"), b"{\"title\"".to_vec()),
            status: 400,
            code: "malformed_body",
            fields: None,
        },
    ];

    check_refused(&app, &key, &etag, cases).await;
}

#[tokio::test]
async fn a_fact_says_how_it_is_known_and_a_stated_one_says_where() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let mut document = new_role_document("platform-lead");
    document["summary_basis"] = json!("editorial");
    document["responsibilities"][0]["source"] = json!("bls-soc-2018");
    document["responsibilities"][0]["locator"] = json!("Major group 15");

    let created = app.post_role(&key, &document).await;

    assert_eq!(created.status(), 201);
    let role = app
        .get_json("/roles/platform-lead?include=responsibilities,skills", 200)
        .await;
    let responsibility = &role["responsibilities"][0];
    assert_eq!(
        responsibility["basis"], "stated",
        "a named source states it by default"
    );
    assert_eq!(responsibility["source"]["key"], "bls-soc-2018");
    assert_eq!(responsibility["locator"], "Major group 15");
    assert_eq!(role["skills"][0]["basis"], "editorial");
    assert_eq!(role["skills"][0].get("source"), Some(&Value::Null));
    assert_eq!(role["summary_attribution"]["basis"], "editorial");

    let refused = [
        (
            "stated",
            Some("bls-soc-2018"),
            None,
            "/responsibilities/0/locator",
        ),
        (
            "stated",
            None,
            Some("Major group 15"),
            "/responsibilities/0/source",
        ),
        (
            "editorial",
            Some("bls-soc-2018"),
            None,
            "/responsibilities/0/source",
        ),
        (
            "editorial",
            None,
            Some("Major group 15"),
            "/responsibilities/0/locator",
        ),
        ("dataset", None, None, "/responsibilities/0/source"),
        ("rumour", None, None, "/responsibilities/0/basis"),
    ];
    for (basis, source, locator, field) in refused {
        let mut document = new_role_document("another-lead");
        let fact = &mut document["responsibilities"][0];
        fact["basis"] = json!(basis);
        fact["source"] = json!(source);
        fact["locator"] = json!(locator);
        let problem =
            expect_problem(app.post_role(&key, &document).await, 422, "invalid_field").await;
        assert_eq!(
            error_fields(&problem),
            [field],
            "{basis} {source:?} {locator:?}"
        );
    }
    assert_eq!(
        app.get("/roles/another-lead").await.status(),
        404,
        "nothing written"
    );
}

#[tokio::test]
async fn a_slug_that_names_a_path_of_the_api_is_refused() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let created = app.post_role(&key, &new_role_document("compare")).await;
    let problem = expect_problem(created, 422, "invalid_field").await;
    assert_eq!(error_fields(&problem), ["/slug"]);
    assert_eq!(problem["errors"][0]["code"], "reserved_slug");

    let (id, etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;
    let renamed = app
        .patch_role(&key, &id, &etag, &json!({"slug": "compare"}))
        .await;
    let problem = expect_problem(renamed, 422, "invalid_field").await;
    assert_eq!(error_fields(&problem), ["/slug"]);
    let comparison = app
        .get_json(
            "/roles/compare?roles=technical-lead,engineering-manager",
            200,
        )
        .await;
    assert_eq!(comparison["roles"].as_array().unwrap().len(), 2);
    assert!(
        app.get_json("/roles/platform-lead", 200).await["slug"] == "platform-lead",
        "the role kept its slug"
    );
}
