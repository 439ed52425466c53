use crate::helpers::{curated_role_count, header, spawn_app};

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

    let pages = app.all_pages("/roles?limit=100").await;

    let items: Vec<&serde_json::Value> = pages
        .iter()
        .flat_map(|page| page["items"].as_array().unwrap())
        .collect();
    assert!(items.len() >= 40, "{} roles", items.len());
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
    for role in &items {
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
    assert_eq!(
        pages.last().unwrap().get("next_cursor"),
        Some(&serde_json::Value::Null),
        "the last page says it is the last"
    );
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
    assert_eq!(indeed["published"], "2021-11-15");
    assert_eq!(
        indeed["updated"], "2022-09-20",
        "revised after it was first published"
    );
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
        assert_eq!(problem["code"], "role_not_found");
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

/// Follows `next_cursor` from `path` to the last page, returning every slug seen.
async fn all_pages(app: &crate::helpers::TestApp, path: &str) -> (Vec<String>, usize) {
    let mut slugs = Vec::new();
    let mut pages = 0;
    let mut next = Some(path.to_owned());
    while let Some(page_path) = next.take() {
        let response = app.get(&page_path).await;
        assert_eq!(response.status().as_u16(), 200, "{page_path}");
        let link = response
            .headers()
            .get("link")
            .map(|value| value.to_str().unwrap().to_owned());
        let body: serde_json::Value = response.json().await.unwrap();
        pages += 1;
        slugs.extend(
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|role| role["slug"].as_str().unwrap().to_owned()),
        );
        if let Some(cursor) = body["next_cursor"].as_str() {
            let link = link.expect("a page with a next cursor has a Link header");
            assert!(link.ends_with("; rel=\"next\""), "{link}");
            let target = link
                .trim_start_matches('<')
                .split('>')
                .next()
                .unwrap()
                .to_owned();
            assert!(target.contains(cursor), "{link} carries the cursor");
            next = Some(target);
        } else {
            assert!(link.is_none(), "the last page has no Link header");
        }
    }
    (slugs, pages)
}

#[tokio::test]
async fn pages_of_roles_cover_every_role_once_in_order() {
    let app = spawn_app().await;
    let everything: Vec<String> = app.get_json("/roles?limit=100", 200).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["slug"].as_str().unwrap().to_owned())
        .collect();

    for limit in [1, 5, 7, 12] {
        let (slugs, pages) = all_pages(&app, &format!("/roles?limit={limit}")).await;
        assert_eq!(
            slugs, everything,
            "limit {limit}: no duplicates, no gaps, same order"
        );
        assert_eq!(pages, everything.len().div_ceil(limit), "limit {limit}");
    }
}

#[tokio::test]
async fn the_default_page_holds_twenty_roles() {
    let app = spawn_app().await;
    assert!(
        curated_role_count() > 20,
        "the catalogue fills more than a page"
    );
    let response = app.get("/roles").await;
    let link = header(&response, "link").expect("a first page links to the next");
    let body: serde_json::Value = response.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let cursor = body
        .get("next_cursor")
        .and_then(|cursor| cursor.as_str())
        .expect("a first page has a next_cursor");
    assert!(link.contains(&format!("cursor={cursor}")), "{link}");
    assert!(
        link.contains("limit=20") || !link.contains("limit="),
        "{link}"
    );
}

#[tokio::test]
async fn filters_keep_the_cursor_across_pages() {
    let app = spawn_app().await;
    let (slugs, _) = all_pages(&app, "/roles?family=engineering-management&limit=1").await;
    let direct: Vec<String> = app
        .get_json("/roles?family=engineering-management", 200)
        .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["slug"].as_str().unwrap().to_owned())
        .collect();
    assert!(direct.len() >= 2);
    assert_eq!(slugs, direct);
}

fn slugs_of(body: &serde_json::Value) -> Vec<&str> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["slug"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn each_filter_returns_only_matching_roles() {
    let app = spawn_app().await;

    let cases = [
        ("family=media-production", "family", "media-production"),
        ("track=management", "track", "management"),
        (
            "track=individual_contributor",
            "track",
            "individual_contributor",
        ),
        ("seniority=principal", "seniority", "principal"),
    ];
    for (query, field, value) in cases {
        let body = app.get_json(&format!("/roles?{query}"), 200).await;
        let items = body["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{query} matches something");
        assert!(
            items.iter().all(|role| role[field] == value),
            "{query}: {items:?}"
        );
    }
    let media = app.get_json("/roles?family=media-production", 200).await;
    assert_eq!(slugs_of(&media), ["technical-director-film-tv"]);

    let soc = app.get_json("/roles?soc=15-1252", 200).await;
    assert!(slugs_of(&soc).contains(&"technical-lead"));
    for role in soc["items"].as_array().unwrap() {
        assert!(
            role["soc_codes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|code| code == "15-1252")
        );
    }
    assert!(
        slugs_of(&app.get_json("/roles?soc=99-9999", 200).await).is_empty(),
        "a well-formed code nobody has"
    );
}

#[tokio::test]
async fn the_skill_filter_finds_the_roles_that_link_the_skill() {
    let app = spawn_app().await;

    let body = app.get_json("/roles?skill=code-review", 200).await;

    let slugs = slugs_of(&body);
    assert!(slugs.contains(&"technical-lead"), "{slugs:?}");
    for slug in &slugs {
        let skills = app.get_json(&format!("/roles/{slug}/skills"), 200).await;
        assert!(
            skills["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|skill| skill["slug"] == "code-review"),
            "{slug}"
        );
    }
    // Both filters hold: the list is the intersection of the two lists.
    for (skill, track) in [
        ("mentoring", "management"),
        ("code-review", "management"),
        ("code-review", "individual_contributor"),
    ] {
        let with_skill = slugs_of(
            &app.get_json(&format!("/roles?skill={skill}&limit=100"), 200)
                .await,
        )
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
        let on_track = app
            .get_json(&format!("/roles?track={track}&limit=100"), 200)
            .await;
        let on_track = slugs_of(&on_track);
        let expected: Vec<&str> = with_skill
            .iter()
            .map(String::as_str)
            .filter(|slug| on_track.contains(slug))
            .collect();
        let combined = app
            .get_json(
                &format!("/roles?skill={skill}&track={track}&limit=100"),
                200,
            )
            .await;
        assert_eq!(slugs_of(&combined), expected, "skill={skill}&track={track}");
    }
    let managers = app
        .get_json("/roles?skill=mentoring&track=management", 200)
        .await;
    assert_eq!(
        slugs_of(&managers),
        ["engineering-manager", "senior-engineering-manager"]
    );
}

#[tokio::test]
async fn bad_list_parameters_are_422_naming_each_parameter() {
    let app = spawn_app().await;

    let cases = [
        ("family=wizardry", "query.family"),
        ("track=Management", "query.track"),
        ("seniority=boss", "query.seniority"),
        ("skill=Not%20A%20Slug", "query.skill"),
        ("soc=151252", "query.soc"),
        ("limit=0", "query.limit"),
        ("limit=101", "query.limit"),
        ("limit=ten", "query.limit"),
        ("cursor=forged", "query.cursor"),
    ];
    for (query, field) in cases {
        let problem = app.get_problem(&format!("/roles?{query}"), 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
    let problem = app.get_problem("/roles?family=x&limit=500", 422).await;
    assert_eq!(
        problem["errors"].as_array().unwrap().len(),
        2,
        "every refused parameter is reported"
    );
}

#[tokio::test]
async fn a_skill_no_role_needs_filters_to_nothing() {
    let app = spawn_app().await;
    let body = app.get_json("/roles?skill=telepathy", 200).await;
    assert!(slugs_of(&body).is_empty());
}

#[tokio::test]
async fn any_well_formed_cursor_is_a_position_in_the_list() {
    let app = spawn_app().await;

    // The hex of "s": the page starts at the first slug after it.
    let body = app.get_json("/roles?cursor=73&limit=100", 200).await;

    let slugs = slugs_of(&body);
    assert!(!slugs.is_empty());
    assert!(slugs.iter().all(|slug| *slug > "s"), "{slugs:?}");
    assert!(slugs.contains(&"senior-software-developer"));
}

#[tokio::test]
async fn unknown_or_repeated_query_parameters_are_400() {
    let app = spawn_app().await;
    for query in ["colour=blue", "limit=5&limit=6"] {
        app.get_problem(&format!("/roles?{query}"), 400).await;
    }
}

#[tokio::test]
async fn include_embeds_the_children_asked_for_and_only_those() {
    let app = spawn_app().await;

    let plain = app.get_json("/roles/technical-lead", 200).await;
    for child in [
        "responsibilities",
        "requirements",
        "skills",
        "salaries",
        "career",
    ] {
        assert!(
            plain.get(child).is_none(),
            "{child} is not embedded unasked"
        );
    }
    let full = app
        .get_json(
            "/roles/technical-lead?include=responsibilities,requirements,skills,salaries,career",
            200,
        )
        .await;
    let requirements = app
        .get_json("/roles/technical-lead/requirements", 200)
        .await;
    assert_eq!(full["requirements"], requirements["items"]);
    let responsibilities = app
        .get_json("/roles/technical-lead/responsibilities", 200)
        .await;
    assert_eq!(full["responsibilities"], responsibilities["items"]);
    assert!(full["skills"].as_array().unwrap().len() >= 6);
    assert_eq!(full["salaries"][0]["mean"], 118295.0);
    assert!(full["career"]["next"].as_array().unwrap().len() >= 2);

    let some = app
        .get_json("/roles/technical-lead?include=skills", 200)
        .await;
    assert!(some.get("skills").is_some() && some.get("requirements").is_none());
    assert_eq!(some["title"], "Technical Lead");
}

#[tokio::test]
async fn unknown_include_values_are_422() {
    let app = spawn_app().await;
    for include in ["everything", "skills,,career", "skills,wages"] {
        let problem = app
            .get_problem(&format!("/roles/technical-lead?include={include}"), 422)
            .await;
        assert_eq!(problem["errors"][0]["field"], "query.include", "{include}");
    }
}

#[tokio::test]
async fn include_may_be_repeated_and_means_the_same() {
    let app = spawn_app().await;
    let documented = app
        .get_json("/roles/technical-lead?include=skills,career", 200)
        .await;
    let repeated = app
        .get_json("/roles/technical-lead?include=skills&include=career", 200)
        .await;
    assert_eq!(repeated, documented);
    assert!(repeated["skills"].is_array() && repeated["career"].is_object());
}
