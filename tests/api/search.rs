use crate::helpers::{TestApp, error_fields, spawn_app};
use crate::knowledge_base::{copy_of_knowledge_base, edit, reload};
use rolebase_api::storage::api_keys::Scope;
use serde_json::Value;

async fn search(app: &TestApp, query: &[(&str, &str)]) -> Value {
    let response = app.get(&search_path(query)).await;
    assert_eq!(response.status().as_u16(), 200, "{query:?}");
    response.json().await.unwrap()
}

fn search_path(query: &[(&str, &str)]) -> String {
    format!("/search?{}", serde_urlencoded::to_string(query).unwrap())
}

fn keys(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            hit["slug"]
                .as_str()
                .or(hit["code"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// What people type, and the role (or skill) they mean: it must come first,
/// or within the top 3 where the query is ambiguous.
const RELEVANCE: &[(&str, Option<&str>, &str, usize)] = &[
    // Exact titles, any case, any spacing
    ("technical lead", Some("role"), "technical-lead", 1),
    ("TECH LEAD", Some("role"), "technical-lead", 1),
    ("  tech   lead  ", Some("role"), "technical-lead", 1),
    (
        "Engineering Manager",
        Some("role"),
        "engineering-manager",
        1,
    ),
    ("software architect", Some("role"), "software-architect", 1),
    ("team lead", Some("role"), "team-lead", 1),
    (
        "technical project manager",
        Some("role"),
        "technical-project-manager",
        1,
    ),
    ("technical manager", Some("role"), "technical-manager", 1),
    // Alternative titles
    ("tech lead", Some("role"), "technical-lead", 1),
    ("lead developer", Some("role"), "technical-lead", 1),
    (
        "development manager",
        Some("role"),
        "engineering-manager",
        1,
    ),
    ("team leader", Some("role"), "team-lead", 1),
    ("solution architect", Some("role"), "solutions-architect", 1),
    ("broadcast", Some("role"), "technical-director-film-tv", 1),
    // Misspellings
    ("techincal lead", Some("role"), "technical-lead", 1),
    ("technical laed", Some("role"), "technical-lead", 1),
    ("tecnical lead", Some("role"), "technical-lead", 1),
    ("principle engineer", Some("role"), "principal-engineer", 3),
    ("software architekt", Some("role"), "software-architect", 1),
    // Abbreviations
    ("tl", Some("role"), "technical-lead", 1),
    ("eng manager", Some("role"), "engineering-manager", 1),
    ("engineering mgr", Some("role"), "engineering-manager", 1),
    ("em", Some("role"), "engineering-manager", 1),
    ("staff eng", Some("role"), "staff-engineer", 1),
    ("sr dev", Some("role"), "senior-software-developer", 1),
    ("dev lead", Some("role"), "technical-lead", 1),
    ("pm", Some("role"), "project-manager", 1),
    ("tpm", Some("role"), "technical-project-manager", 1),
    ("td", Some("role"), "technical-director", 3),
    // Plurals and partial words
    (
        "engineering managers",
        Some("role"),
        "engineering-manager",
        1,
    ),
    ("staff engineers", Some("role"), "staff-engineer", 1),
    ("software architects", Some("role"), "software-architect", 1),
    ("project managers", Some("role"), "project-manager", 1),
    ("principal", Some("role"), "principal-engineer", 1),
    (
        "senior develop",
        Some("role"),
        "senior-software-developer",
        1,
    ),
    // Ambiguous: either kind of technical director will do first
    (
        "technical director",
        Some("role"),
        "technical-director-film-tv",
        3,
    ),
    (
        "film technical director",
        Some("role"),
        "technical-director-film-tv",
        3,
    ),
    // The wider catalogue: ladders, architecture, specialisms, product and delivery
    (
        "junior developer",
        Some("role"),
        "junior-software-developer",
        1,
    ),
    ("software developer", Some("role"), "software-developer", 3),
    (
        "distinguished engineer",
        Some("role"),
        "distinguished-engineer",
        1,
    ),
    (
        "senior engineering manager",
        Some("role"),
        "senior-engineering-manager",
        1,
    ),
    (
        "director of engineering",
        Some("role"),
        "director-of-engineering",
        1,
    ),
    ("vp of engineering", Some("role"), "vp-of-engineering", 1),
    (
        "head of engineering",
        Some("role"),
        "head-of-engineering",
        1,
    ),
    ("cto", Some("role"), "chief-technology-officer", 1),
    ("vpe", Some("role"), "vp-of-engineering", 1),
    (
        "solutions architect",
        Some("role"),
        "solutions-architect",
        1,
    ),
    (
        "enterprise architect",
        Some("role"),
        "enterprise-architect",
        1,
    ),
    ("data architect", Some("role"), "data-architect", 1),
    ("cloud architect", Some("role"), "cloud-architect", 1),
    ("security architect", Some("role"), "security-architect", 1),
    ("security engineer", Some("role"), "security-engineer", 1),
    ("appsec lead", Some("role"), "security-lead", 3),
    (
        "site reliability engineer",
        Some("role"),
        "site-reliability-engineer",
        1,
    ),
    ("sre lead", Some("role"), "sre-lead", 1),
    ("sre", Some("role"), "site-reliability-engineer", 3),
    ("devops engineer", Some("role"), "devops-engineer", 1),
    (
        "platform engineering lead",
        Some("role"),
        "platform-engineering-lead",
        1,
    ),
    ("qa engineer", Some("role"), "qa-engineer", 1),
    ("test lead", Some("role"), "qa-lead", 3),
    ("sdet", Some("role"), "qa-engineer", 3),
    ("data engineer", Some("role"), "data-engineer", 1),
    (
        "data engineering lead",
        Some("role"),
        "data-engineering-lead",
        1,
    ),
    ("ml engineer", Some("role"), "machine-learning-engineer", 1),
    (
        "machine learning lead",
        Some("role"),
        "machine-learning-lead",
        1,
    ),
    ("product manager", Some("role"), "product-manager", 1),
    (
        "technical product manager",
        Some("role"),
        "technical-product-manager",
        1,
    ),
    (
        "technical program manager",
        Some("role"),
        "technical-program-manager",
        1,
    ),
    ("scrum master", Some("role"), "scrum-master", 1),
    ("delivery manager", Some("role"), "delivery-manager", 1),
    (
        "lead mechanical engineer",
        Some("role"),
        "engineering-lead",
        3,
    ),
    // Skills, with roles in the results too
    ("mentoring", None, "mentoring", 1),
    ("code review", None, "code-review", 1),
    ("agile", Some("skill"), "agile-methodologies", 1),
];

#[tokio::test]
async fn the_relevance_table_finds_what_people_mean() {
    let app = spawn_app().await;
    let mut misses = Vec::new();

    for (query, kind, expected, within) in RELEVANCE {
        let mut parameters = vec![("q", *query), ("limit", "10")];
        if let Some(kind) = kind {
            parameters.push(("type", kind));
        }
        let body = search(&app, &parameters).await;
        let scores: Vec<f64> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["score"].as_f64().expect("every hit has a score"))
            .collect();
        if scores.windows(2).any(|pair| pair[0] < pair[1]) {
            misses.push(format!("{query:?}: scores out of order: {scores:?}"));
        }
        let found = keys(&body);
        let position = found.iter().position(|key| key == expected);
        if position.is_none_or(|position| position >= *within) {
            misses.push(format!(
                "{query:?}: expected {expected} within the top {within}, got {found:?}"
            ));
        }
    }

    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// Queries that could mean either Technical Director (or a neighbour): the
/// first three roles, in order.
const TOP_THREE: &[(&str, [&str; 3])] = &[
    (
        "technical director",
        [
            "technical-director",
            "technical-director-film-tv",
            "technical-lead",
        ],
    ),
    (
        "technical director film",
        [
            "technical-director-film-tv",
            "technical-director",
            "technical-lead",
        ],
    ),
    (
        "td broadcast",
        [
            "technical-director-film-tv",
            "technical-director",
            "technical-lead",
        ],
    ),
    (
        "technical director software",
        [
            "technical-director",
            "director-of-engineering",
            "technical-director-film-tv",
        ],
    ),
    (
        "engineering manager",
        [
            "engineering-manager",
            "senior-engineering-manager",
            "technical-program-manager",
        ],
    ),
];

/// What a query must not bring up: the role, within the first so many.
const MUST_NOT_RANK: &[(&str, &str, usize)] = &[
    (
        "technical director software",
        "technical-director-film-tv",
        1,
    ),
    ("technical director film", "technical-director", 1),
    ("broadcast technical director", "technical-director", 1),
    ("engineering manager", "technical-director-film-tv", 10),
    ("software architect", "technical-director-film-tv", 10),
    ("broadcast engineer", "software-architect", 10),
    ("data engineer", "engineering-manager", 10),
    ("tech lead", "technical-director-film-tv", 5),
];

#[tokio::test]
async fn ambiguous_queries_rank_in_order_and_nothing_unrelated_rises() {
    let app = spawn_app().await;
    let mut misses = Vec::new();
    for (query, expected) in TOP_THREE {
        let found = keys(&search(&app, &[("q", query), ("type", "role")]).await);
        if found.len() < 3 || found[..3] != expected[..] {
            misses.push(format!(
                "{query:?}: expected {expected:?} first, got {found:?}"
            ));
        }
    }
    for (query, unwanted, within) in MUST_NOT_RANK {
        let found = keys(&search(&app, &[("q", query), ("type", "role"), ("limit", "10")]).await);
        assert!(!found.is_empty(), "{query:?} finds roles");
        if found.iter().take(*within).any(|key| key == unwanted) {
            misses.push(format!(
                "{query:?}: {unwanted} must not be within the top {within}, got {found:?}"
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[tokio::test]
async fn queries_about_nothing_in_the_catalogue_find_nothing() {
    let app = spawn_app().await;
    for query in ["xyzzy", "qwertyuiop", "zzzz zzzz", "!!!", "saxophonist"] {
        let body = search(
            &app,
            &[
                ("q", query),
                ("type", "role"),
                ("type", "skill"),
                ("type", "occupation"),
            ],
        )
        .await;
        assert_eq!(body["items"], serde_json::json!([]), "{query}");
    }
}

#[tokio::test]
async fn a_hit_names_the_field_that_matched_and_marks_the_words() {
    let app = spawn_app().await;

    let body = search(&app, &[("q", "lead developer"), ("type", "role")]).await;

    let hit = &body["items"][0];
    assert_eq!(hit["kind"], "role");
    assert_eq!(hit["slug"], "technical-lead");
    assert_eq!(hit["title"], "Technical Lead");
    assert_eq!(hit["matched_field"], "alternative_title");
    assert_eq!(hit["snippet"], "<mark>Lead</mark> <mark>Developer</mark>");
    assert!(hit["id"].is_string() && hit["code"].is_null());
    let scores: Vec<f64> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "best first: {scores:?}"
    );
    assert_eq!(body["query"], "lead developer");
}

#[tokio::test]
async fn snippets_escape_html_around_the_marks() {
    let app = spawn_app().await;
    let admin = app.api_key("curator", Scope::Admin).await;
    let created = app
        .request(reqwest::Method::POST, "/skills")
        .bearer_auth(&admin)
        .json(&serde_json::json!({
            "slug": "rust-and-cpp",
            "name": "C++ & <Rust>",
            "kind": "technical",
            "description": "Systems languages: \"safe\" <b>and</b> fast."
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    app.caught_up().await;

    let body = search(&app, &[("q", "rust"), ("type", "skill")]).await;

    assert_eq!(body["items"][0]["slug"], "rust-and-cpp");
    assert_eq!(
        body["items"][0]["snippet"],
        "C++ &amp; &lt;<mark>Rust</mark>&gt;"
    );
}

#[tokio::test]
async fn type_chooses_the_kinds_of_hit() {
    let app = spawn_app().await;
    let kinds = |body: &Value| {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["kind"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };

    let skills = search(&app, &[("q", "management"), ("type", "skill")]).await;
    assert!(!kinds(&skills).is_empty() && kinds(&skills).iter().all(|kind| kind == "skill"));
    let roles = search(&app, &[("q", "management"), ("type", "role")]).await;
    assert!(!kinds(&roles).is_empty() && kinds(&roles).iter().all(|kind| kind == "role"));
    let both = search(&app, &[("q", "management"), ("limit", "50")]).await;
    assert!(
        kinds(&both).contains(&"role".to_owned()) && kinds(&both).contains(&"skill".to_owned()),
        "roles and skills by default"
    );
    let repeated = search(
        &app,
        &[
            ("q", "mentoring"),
            ("type", "skill"),
            ("type", "role"),
            ("type", "skill"),
        ],
    )
    .await;
    let mut keys_seen = keys(&repeated);
    let count = keys_seen.len();
    keys_seen.sort();
    keys_seen.dedup();
    assert_eq!(
        keys_seen.len(),
        count,
        "a repeated type gives no duplicate hits: {repeated}"
    );
    let limited = search(&app, &[("q", "management"), ("limit", "2")]).await;
    assert_eq!(limited["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn occupations_are_found_by_title_and_link_to_their_wages() {
    let app = spawn_app().await;
    crate::occupations::import(&app, "oews-2025-national.csv").await;

    let body = search(&app, &[("q", "software developer"), ("type", "occupation")]).await;
    let best = &body["items"][0];
    assert_eq!(best["code"], "15-1252");
    assert_eq!(best["kind"], "occupation");
    assert_eq!(best.get("slug"), Some(&Value::Null));
    assert_eq!(best.get("id"), Some(&Value::Null));
    assert_eq!(best["href"], "/occupations/15-1252");
    let linked = app.get_json(best["href"].as_str().unwrap(), 200).await;
    assert_eq!(linked["national_wages"][0]["annual"]["median"], 135980.0);
    let misspelt = search(
        &app,
        &[("q", "informaton systems manager"), ("type", "occupation")],
    )
    .await;
    assert_eq!(misspelt["items"][0]["code"], "11-3021");
    let defaults = search(&app, &[("q", "software developers")]).await;
    assert!(
        !defaults["items"].as_array().unwrap().is_empty(),
        "roles and skills are found"
    );
    assert!(
        defaults["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|hit| hit["kind"] != "occupation"),
        "occupations only when asked"
    );
}

#[tokio::test]
async fn bad_search_parameters_are_422_naming_the_parameter() {
    let app = spawn_app().await;
    let too_long = "a".repeat(201);

    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![], "query.q"),
        (vec![("q", "")], "query.q"),
        (vec![("q", "    ")], "query.q"),
        (vec![("q", too_long.as_str())], "query.q"),
        (vec![("q", "lead"), ("type", "person")], "query.type"),
        (vec![("q", "lead"), ("limit", "0")], "query.limit"),
        (vec![("q", "lead"), ("limit", "51")], "query.limit"),
    ];
    for (query, field) in cases {
        let response = app.get(&search_path(&query)).await;
        assert_eq!(response.status().as_u16(), 422, "{query:?}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "invalid_parameters", "{query:?}");
        assert_eq!(problem["type"], "/problems/invalid_parameters", "{query:?}");
        assert_eq!(error_fields(&problem), [field], "{query:?}");
    }
    let padded = format!("  {}  ", "a".repeat(200));
    search(&app, &[("q", padded.as_str())]).await;
    for query in ["q=lead&q=team", "q=lead&colour=blue"] {
        app.get_problem(&format!("/search?{query}"), 400).await;
    }
}

#[tokio::test]
async fn the_role_list_filters_by_search() {
    let app = spawn_app().await;

    let body = app.get_json("/roles?q=tech%20lead", 200).await;
    let slugs: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["slug"].as_str().unwrap())
        .collect();
    assert!(slugs.contains(&"technical-lead"), "{slugs:?}");
    assert!(!slugs.contains(&"project-manager"), "{slugs:?}");
    let mut sorted = slugs.clone();
    sorted.sort();
    assert_eq!(slugs, sorted, "the list keeps its order");

    let misspelt = app
        .get_json("/roles?q=techincal%20lead&track=hybrid", 200)
        .await;
    assert!(
        misspelt["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|role| role["slug"] == "technical-lead")
    );
    assert!(
        misspelt["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|role| role["track"] == "hybrid")
    );
    let nothing = app.get_json("/roles?q=xyzzy", 200).await;
    assert_eq!(nothing["items"], serde_json::json!([]));
    let problem = app.get_problem("/roles?q=%20%20", 422).await;
    assert_eq!(problem["errors"][0]["field"], "query.q");
}

#[tokio::test]
async fn abbreviations_come_from_the_knowledge_base() {
    let app = spawn_app().await;
    let copy = copy_of_knowledge_base();
    edit(
        copy.path(),
        "synonyms.toml",
        "[synonyms]\n",
        "[synonyms]\ngaffer = \"technical director\"\n",
    );
    reload(&app, copy.path()).await;

    let body = search(&app, &[("q", "gaffer"), ("type", "role")]).await;

    assert!(
        keys(&body)
            .iter()
            .take(2)
            .any(|slug| slug.starts_with("technical-director")),
        "{body}"
    );
}

#[tokio::test]
async fn type_may_also_list_kinds_separated_by_commas() {
    let app = spawn_app().await;
    let kinds = |body: &Value| {
        let mut kinds: Vec<String> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["kind"].as_str().unwrap().to_owned())
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    };
    let listed = search(
        &app,
        &[("q", "management"), ("type", "skill,role"), ("limit", "50")],
    )
    .await;
    assert_eq!(kinds(&listed), ["role", "skill"]);
    let repeated = search(
        &app,
        &[
            ("q", "management"),
            ("type", "skill"),
            ("type", "role"),
            ("limit", "50"),
        ],
    )
    .await;
    assert_eq!(listed, repeated);
}

#[tokio::test]
async fn text_that_is_not_utf8_is_refused_naming_the_parameter() {
    let app = spawn_app().await;
    for path in ["/search?q=%FF", "/roles?q=caf%E9", "/occupations?q=%C3"] {
        let problem = app.get_problem(path, 400).await;
        assert_eq!(problem["errors"][0]["field"], "query.q", "{path}");
        assert_eq!(problem["errors"][0]["code"], "invalid_utf8", "{path}");
    }
}
