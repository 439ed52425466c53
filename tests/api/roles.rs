use crate::helpers::spawn_app;

const CURATED_SLUGS: [&str; 12] = [
    "technical-lead",
    "technical-director",
    "technical-director-film-tv",
    "engineering-manager",
    "software-architect",
    "team-lead",
    "senior-software-developer",
    "staff-engineer",
    "principal-engineer",
    "technical-project-manager",
    "technical-manager",
    "project-manager",
];

#[tokio::test]
async fn list_roles_returns_every_curated_role_with_its_summary() {
    let app = spawn_app().await;

    let body = app.get_json("/roles", 200).await;

    let items = body["items"].as_array().unwrap();
    assert!(items.len() >= 12, "{} roles", items.len());
    let slugs: Vec<&str> = items
        .iter()
        .map(|role| role["slug"].as_str().unwrap())
        .collect();
    for slug in CURATED_SLUGS {
        assert!(slugs.contains(&slug), "{slug} is missing from {slugs:?}");
    }
    let mut sorted = slugs.clone();
    sorted.sort();
    assert_eq!(slugs, sorted, "roles come in a stable order, by slug");
    for role in items {
        let summary = role["summary"].as_str().unwrap();
        assert!(
            (1..=280).contains(&summary.chars().count()),
            "{}",
            role["slug"]
        );
        assert!(role["title"].is_string() && role["id"].is_string());
        assert!(
            role.get("description").is_none(),
            "a list carries summaries, not descriptions"
        );
    }
    assert!(body["next_cursor"].is_null());
}

#[tokio::test]
async fn a_role_is_found_by_slug_and_by_uuid() {
    let app = spawn_app().await;

    let by_slug = app.get_json("/roles/technical-lead", 200).await;
    let id = by_slug["id"].as_str().unwrap();
    let by_id = app.get_json(&format!("/roles/{id}"), 200).await;

    assert_eq!(by_slug, by_id);
    assert_eq!(by_slug["title"], "Technical Lead");
    assert_eq!(by_slug["track"], "hybrid");
    assert_eq!(by_slug["soc_codes"], serde_json::json!(["15-1252"]));
    let alternative_titles = by_slug["alternative_titles"].as_array().unwrap();
    assert!(
        alternative_titles.iter().any(|title| title == "Tech Lead"),
        "{alternative_titles:?}"
    );
    assert!(by_slug["description"].as_str().unwrap().len() > 200);
    assert_eq!(by_slug["version"], 1);
}

#[tokio::test]
async fn a_role_names_its_sources() {
    let app = spawn_app().await;

    let role = app.get_json("/roles/technical-lead", 200).await;

    let sources = role["sources"].as_array().unwrap();
    let indeed = sources
        .iter()
        .find(|source| source["key"] == "indeed-what-does-a-technical-lead-do")
        .expect("the Indeed article is a source");
    assert_eq!(indeed["publisher"], "Indeed Editorial Team");
    assert_eq!(indeed["published"], "2022-09-20");
}

#[tokio::test]
async fn both_kinds_of_technical_director_are_described() {
    let app = spawn_app().await;

    let software = app.get_json("/roles/technical-director", 200).await;
    let film = app.get_json("/roles/technical-director-film-tv", 200).await;

    assert_eq!(film["family"], "media-production");
    assert_ne!(software["family"], "media-production");
}

#[tokio::test]
async fn get_role_returns_404_for_an_unknown_slug_or_uuid() {
    let app = spawn_app().await;

    for path in [
        "/roles/chief-wizard",
        "/roles/00000000-0000-4000-8000-000000000000",
    ] {
        let problem = app.get_problem(path, 404).await;
        assert_eq!(problem["code"], "not_found");
    }
}

#[tokio::test]
async fn get_role_returns_400_for_a_malformed_id() {
    let app = spawn_app().await;
    let too_long = "a".repeat(101);

    let cases = [
        ("Technical%20Lead", "spaces and capitals"),
        ("TECHNICAL-LEAD", "capitals"),
        ("technical_lead", "underscore"),
        ("-lead", "leading hyphen"),
        ("tech--lead", "double hyphen"),
        ("caf%C3%A9", "non-ASCII letter"),
        (too_long.as_str(), "longer than 100 characters"),
    ];
    for (id, why) in cases {
        let problem = app.get_problem(&format!("/roles/{id}"), 400).await;
        assert_eq!(problem["errors"][0]["field"], "path.id", "{why}");
        assert_eq!(problem["errors"][0]["code"], "invalid_role_id", "{why}");
    }
}
