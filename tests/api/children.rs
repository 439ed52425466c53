use crate::helpers::spawn_app;
use serde_json::Value;

fn items(body: &Value) -> &Vec<Value> {
    body["items"].as_array().unwrap()
}

#[tokio::test]
async fn a_technical_lead_has_responsibilities_in_several_categories() {
    let app = spawn_app().await;

    let body = app
        .get_json("/roles/technical-lead/responsibilities", 200)
        .await;

    assert_eq!(body["role"]["slug"], "technical-lead");
    assert!(items(&body).len() >= 5);
    let quality = app
        .get_json(
            "/roles/technical-lead/responsibilities?category=quality",
            200,
        )
        .await;
    assert!(!items(&quality).is_empty());
    assert!(
        items(&quality)
            .iter()
            .all(|item| item["category"] == "quality")
    );
    assert!(items(&quality).len() < items(&body).len());
}

#[tokio::test]
async fn requirements_filter_by_kind_and_level() {
    let app = spawn_app().await;

    let required = app
        .get_json("/roles/technical-lead/requirements?level=required", 200)
        .await;
    let all = app
        .get_json("/roles/technical-lead/requirements", 200)
        .await;
    let expected: Vec<&serde_json::Value> = items(&all)
        .iter()
        .filter(|item| item["level"] == "required")
        .collect();
    assert_eq!(expected.len(), 3, "technical-lead has three required");
    assert_eq!(items(&required).iter().collect::<Vec<_>>(), expected);
    assert!(
        items(&required)
            .iter()
            .all(|item| item["level"] == "required")
    );
    let education = app
        .get_json(
            "/roles/technical-lead/requirements?kind=education&level=preferred",
            200,
        )
        .await;
    assert_eq!(items(&education).len(), 1);
    assert_eq!(items(&education)[0]["education_level"], "master");
}

#[tokio::test]
async fn skills_filter_by_importance() {
    let app = spawn_app().await;

    let all = app.get_json("/roles/technical-lead/skills", 200).await;
    let essential = app
        .get_json("/roles/technical-lead/skills?importance=essential", 200)
        .await;
    let optional = app
        .get_json("/roles/technical-lead/skills?importance=optional", 200)
        .await;

    assert!(items(&all).len() >= 6);
    assert_eq!(
        items(&essential).len() + items(&optional).len(),
        items(&all).len()
    );
    assert!(!items(&essential).is_empty() && !items(&optional).is_empty());
    assert!(
        items(&essential)
            .iter()
            .all(|skill| skill["importance"] == "essential")
    );
    let mentoring = items(&all)
        .iter()
        .find(|skill| skill["slug"] == "mentoring")
        .unwrap();
    assert_eq!(mentoring["kind"], "soft");
}

#[tokio::test]
async fn salaries_name_their_basis_leave_out_what_the_source_does_not_say_and_filter() {
    let app = spawn_app().await;

    let lead = app.get_json("/roles/technical-lead/salaries", 200).await;
    let figure = &items(&lead)[0];
    assert_eq!(figure["mean"], 118295.0);
    assert_eq!(figure["currency"], "USD");
    assert_eq!(figure["period"], "annual");
    assert_eq!(figure["basis"], "stated");
    assert_eq!(
        figure["source"]["key"],
        "technical-director-vs-technical-lead"
    );
    assert!(figure["locator"].as_str().is_some_and(|at| !at.is_empty()));
    // The article gives neither a date nor an area: none is made up.
    assert_eq!(figure.get("area"), Some(&serde_json::Value::Null));
    assert_eq!(figure.get("as_of"), Some(&serde_json::Value::Null));
    assert_eq!(
        figure["absent"],
        serde_json::json!({"area": "area_not_stated", "as_of": "undated"})
    );
    // One figure for the title, whose article describes both directors.
    for director in ["technical-director", "technical-director-film-tv"] {
        let body = app
            .get_json(&format!("/roles/{director}/salaries"), 200)
            .await;
        assert_eq!(items(&body)[0]["mean"], 110015.0, "{director}");
    }

    for query in [
        "currency=USD",
        "period=annual",
        "currency=USD&period=annual",
    ] {
        let body = app
            .get_json(&format!("/roles/technical-lead/salaries?{query}"), 200)
            .await;
        assert_eq!(items(&body).len(), 1, "{query}");
    }
    for query in ["area=US", "area=GB", "currency=EUR", "period=hourly"] {
        let body = app
            .get_json(&format!("/roles/technical-lead/salaries?{query}"), 200)
            .await;
        assert!(items(&body).is_empty(), "{query}");
    }
}

#[tokio::test]
async fn career_paths_list_next_and_previous_steps() {
    let app = spawn_app().await;

    let body = app
        .get_json("/roles/technical-lead/career-paths", 200)
        .await;

    let next: Vec<&str> = body["next"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["role"]["slug"].as_str().unwrap())
        .collect();
    let previous: Vec<&str> = body["previous"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["role"]["slug"].as_str().unwrap())
        .collect();
    assert!(next.contains(&"engineering-manager"), "{next:?}");
    assert!(next.contains(&"staff-engineer"), "{next:?}");
    assert!(
        previous.contains(&"senior-software-developer"),
        "{previous:?}"
    );
    let to_manager = body["next"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["role"]["slug"] == "engineering-manager")
        .unwrap();
    assert_eq!(to_manager["kind"], "track_change");
}

#[tokio::test]
async fn child_endpoints_answer_404_400_and_422() {
    let app = spawn_app().await;

    for child in [
        "responsibilities",
        "requirements",
        "skills",
        "salaries",
        "career-paths",
    ] {
        app.get_problem(&format!("/roles/chief-wizard/{child}"), 404)
            .await;
        app.get_problem(&format!("/roles/Chief%20Wizard/{child}"), 400)
            .await;
    }
    let cases = [
        ("responsibilities?category=cooking", "query.category"),
        ("requirements?kind=degree", "query.kind"),
        ("requirements?level=mandatory", "query.level"),
        ("skills?importance=vital", "query.importance"),
        ("salaries?currency=usd", "query.currency"),
        ("salaries?currency=XYZ", "query.currency"),
        ("salaries?period=weekly", "query.period"),
        ("salaries?area=", "query.area"),
    ];
    for (path, field) in cases {
        let problem = app
            .get_problem(&format!("/roles/technical-lead/{path}"), 422)
            .await;
        assert_eq!(problem["errors"][0]["field"], field, "{path}");
    }
}
