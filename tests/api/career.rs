use crate::helpers::spawn_app;

fn route_slugs(route: &serde_json::Value) -> Vec<String> {
    let steps = route["steps"].as_array().unwrap();
    let mut slugs = vec![steps[0]["from"]["slug"].as_str().unwrap().to_owned()];
    slugs.extend(
        steps
            .iter()
            .map(|step| step["to"]["slug"].as_str().unwrap().to_owned()),
    );
    slugs
}

#[tokio::test]
async fn the_shortest_route_from_senior_developer_to_engineering_manager() {
    let app = spawn_app().await;

    let body = app
        .get_json(
            "/career-paths?from=senior-software-developer&to=engineering-manager",
            200,
        )
        .await;

    let routes = body["routes"].as_array().unwrap();
    assert!(!routes.is_empty());
    let shortest = routes[0]["steps"].as_array().unwrap().len();
    for route in routes {
        assert_eq!(
            route["steps"].as_array().unwrap().len(),
            shortest,
            "only routes tied for shortest"
        );
        let slugs = route_slugs(route);
        assert_eq!(slugs.first().unwrap(), "senior-software-developer");
        assert_eq!(slugs.last().unwrap(), "engineering-manager");
    }
    assert_eq!(shortest, 2, "two promotions, through a lead role");
    let mut found: Vec<Vec<String>> = routes.iter().map(route_slugs).collect();
    found.sort();
    assert_eq!(
        found,
        [
            [
                "senior-software-developer",
                "team-lead",
                "engineering-manager"
            ],
            [
                "senior-software-developer",
                "technical-lead",
                "engineering-manager"
            ],
        ]
    );
}

#[tokio::test]
async fn max_steps_bounds_the_search() {
    let app = spawn_app().await;

    let near = app
        .get_json(
            "/career-paths?from=senior-software-developer&to=principal-engineer&max_steps=1",
            200,
        )
        .await;
    assert!(
        near["routes"].as_array().unwrap().is_empty(),
        "no direct step"
    );
    let far = app
        .get_json(
            "/career-paths?from=senior-software-developer&to=principal-engineer&max_steps=10",
            200,
        )
        .await;
    let routes: Vec<Vec<String>> = far["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(route_slugs)
        .collect();
    assert_eq!(
        routes,
        [[
            "senior-software-developer",
            "staff-engineer",
            "principal-engineer"
        ]],
        "the shortest route, once a bound of 10 allows it"
    );
}

#[tokio::test]
async fn an_unreachable_role_has_no_route() {
    let app = spawn_app().await;

    let body = app
        .get_json(
            "/career-paths?from=technical-director-film-tv&to=senior-software-developer",
            200,
        )
        .await;

    assert_eq!(body["routes"], serde_json::json!([]));
    assert_eq!(body["from"]["slug"], "technical-director-film-tv");
}

#[tokio::test]
async fn bad_route_queries_are_422_naming_the_parameter() {
    let app = spawn_app().await;

    let cases = [
        ("to=technical-lead", "query.from"),
        ("from=technical-lead", "query.to"),
        ("from=technical-lead&to=Chief%20Wizard", "query.to"),
        (
            "from=technical-lead&to=team-lead&max_steps=0",
            "query.max_steps",
        ),
        (
            "from=technical-lead&to=team-lead&max_steps=11",
            "query.max_steps",
        ),
    ];
    for (query, field) in cases {
        let problem = app
            .get_problem(&format!("/career-paths?{query}"), 422)
            .await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
}

#[tokio::test]
async fn routes_from_or_to_an_unknown_role_are_404() {
    let app = spawn_app().await;
    for query in [
        "from=chief-wizard&to=technical-lead",
        "from=technical-lead&to=chief-wizard",
    ] {
        let problem = app
            .get_problem(&format!("/career-paths?{query}"), 404)
            .await;
        assert!(
            problem["detail"].as_str().unwrap().contains("chief-wizard"),
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_role_has_no_route_to_itself() {
    let app = spawn_app().await;
    let body = app
        .get_json("/career-paths?from=technical-lead&to=technical-lead", 200)
        .await;
    assert_eq!(body["routes"], serde_json::json!([]));
}
