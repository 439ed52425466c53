use crate::helpers::spawn_app;

#[tokio::test]
async fn comparing_a_technical_lead_and_an_engineering_manager() {
    let app = spawn_app().await;

    let body = app
        .get_json(
            "/roles/compare?roles=technical-lead,engineering-manager",
            200,
        )
        .await;

    let roles: Vec<&str> = body["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["slug"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["technical-lead", "engineering-manager"],
        "in the order asked"
    );
    let notes = body["notes"].as_array().unwrap();
    assert!(notes.len() >= 3, "curated notes per aspect: {notes:?}");
    assert!(
        notes
            .iter()
            .all(|note| note["note"].as_str().unwrap().len() > 20)
    );
    let diff = &body["diff"];
    assert_eq!(diff["positions"]["same_track"], false);
    assert_eq!(diff["experience"]["by_role"][0]["min_years"], 3);
    assert_eq!(diff["education"]["by_role"][0]["minimum_level"], "bachelor");
    let shared = diff["skills"]["shared"].as_array().unwrap();
    assert!(
        shared.iter().any(|skill| skill == "mentoring"),
        "{shared:?}"
    );
    let lead_only = diff["skills"]["unique"][0]["skills"].as_array().unwrap();
    assert!(
        lead_only.iter().any(|skill| skill == "code-review"),
        "{lead_only:?}"
    );
    assert!(!diff["responsibilities"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_salary_difference_between_the_two_articles_figures() {
    let app = spawn_app().await;

    let body = app
        .get_json(
            "/roles/compare?roles=technical-lead,technical-director-film-tv",
            200,
        )
        .await;

    let usd = &body["diff"]["salaries"][0];
    assert_eq!(usd["currency"], "USD");
    assert_eq!(usd["difference"], 8280.0, "118,295 - 110,015");
    let salary_note = body["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|note| note["aspect"] == "salary");
    assert!(
        salary_note.is_some(),
        "the article's salary comparison is a curated note"
    );
}

#[tokio::test]
async fn up_to_four_roles_compare_by_slug_or_uuid() {
    let app = spawn_app().await;
    let architect = app.get_json("/roles/software-architect", 200).await;
    let id = architect["id"].as_str().unwrap();

    let body = app
        .get_json(
            &format!("/roles/compare?roles=technical-lead,{id},team-lead,engineering-manager"),
            200,
        )
        .await;

    assert_eq!(body["roles"].as_array().unwrap().len(), 4);
    assert_eq!(body["roles"][1]["slug"], "software-architect");
    assert_eq!(
        body["diff"]["positions"]["by_role"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn bad_comparisons_are_422_naming_roles() {
    let app = spawn_app().await;

    for query in [
        "",
        "?roles=technical-lead",
        "?roles=a,b,c,d,e",
        "?roles=technical-lead,",
        "?roles=technical-lead,Chief%20Wizard",
        "?roles=technical-lead,technical-lead",
    ] {
        let problem = app
            .get_problem(&format!("/roles/compare{query}"), 422)
            .await;
        assert_eq!(
            problem["errors"][0]["field"], "query.roles",
            "{query}: {problem}"
        );
    }
}

#[tokio::test]
async fn comparing_with_a_role_that_does_not_exist_is_404() {
    let app = spawn_app().await;
    let problem = app
        .get_problem("/roles/compare?roles=technical-lead,chief-wizard", 404)
        .await;
    assert!(problem["detail"].as_str().unwrap().contains("chief-wizard"));
}

#[tokio::test]
async fn roles_may_be_repeated_as_generated_clients_send_them() {
    let app = spawn_app().await;
    let documented = app
        .get("/roles/compare?roles=technical-lead,engineering-manager,software-architect")
        .await;
    let etag = crate::helpers::header(&documented, "etag");
    let documented: serde_json::Value = documented.json().await.unwrap();

    for query in [
        "roles=technical-lead&roles=engineering-manager&roles=software-architect",
        "roles=technical-lead,engineering-manager&roles=software-architect",
    ] {
        let repeated = app.get(&format!("/roles/compare?{query}")).await;
        assert_eq!(repeated.status(), 200, "{query}");
        assert_eq!(crate::helpers::header(&repeated, "etag"), etag, "{query}");
        assert_eq!(
            repeated.json::<serde_json::Value>().await.unwrap(),
            documented
        );
    }
    // The rules hold whichever the form: five roles are too many.
    let problem = app
        .get_problem(
            "/roles/compare?roles=a&roles=b&roles=c&roles=d&roles=e",
            422,
        )
        .await;
    assert_eq!(problem["errors"][0]["field"], "query.roles");
}
