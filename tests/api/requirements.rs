use crate::helpers::spawn_app;
use serde_json::Value;

fn of_kind<'a>(items: &'a [Value], kind: &str, level: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|item| item["kind"] == kind && item["level"] == level)
        .collect()
}

#[tokio::test]
async fn a_technical_lead_requires_a_bachelors_degree_and_three_to_five_years() {
    let app = spawn_app().await;

    let body = app
        .get_json("/roles/technical-lead/requirements", 200)
        .await;

    assert_eq!(body["role"]["slug"], "technical-lead");
    let items = body["items"].as_array().unwrap();
    let degrees = of_kind(items, "education", "required");
    assert_eq!(degrees.len(), 1, "{degrees:?}");
    assert_eq!(degrees[0]["education_level"], "bachelor");
    let fields = degrees[0]["fields_of_study"].as_array().unwrap();
    assert!(
        fields.iter().any(|field| field == "computer science"),
        "{fields:?}"
    );
    let experience = of_kind(items, "experience", "required");
    assert_eq!(experience.len(), 1, "{experience:?}");
    assert_eq!(experience[0]["min_years"], 3);
    assert_eq!(experience[0]["max_years"], 5);
}

#[tokio::test]
async fn certifications_are_named_and_marked_preferred_for_a_technical_lead() {
    let app = spawn_app().await;

    let body = app
        .get_json("/roles/technical-lead/requirements", 200)
        .await;

    let items = body["items"].as_array().unwrap();
    let certifications = of_kind(items, "certification", "preferred");
    assert!(!certifications.is_empty());
    assert!(
        certifications[0]["certifications"]
            .as_array()
            .unwrap()
            .len()
            >= 2
    );
    assert!(of_kind(items, "certification", "required").is_empty());
}

#[tokio::test]
async fn only_the_fields_of_its_kind_are_set_on_a_requirement() {
    let app = spawn_app().await;

    for slug in ["technical-lead", "engineering-manager", "project-manager"] {
        let body = app
            .get_json(&format!("/roles/{slug}/requirements"), 200)
            .await;
        for item in body["items"].as_array().unwrap() {
            let kind = item["kind"].as_str().unwrap();
            assert_eq!(
                item.get("education_level")
                    .expect("always present")
                    .is_null(),
                kind != "education",
                "{slug}: {item}"
            );
            assert_eq!(
                item.get("min_years").expect("always present").is_null(),
                kind != "experience",
                "{slug}: {item}"
            );
            let certifications = item["certifications"].as_array().unwrap();
            assert_eq!(
                certifications.is_empty(),
                kind != "certification",
                "{slug}: {item}"
            );
        }
    }
}

#[tokio::test]
async fn requirements_are_found_by_uuid_too() {
    let app = spawn_app().await;
    let role = app.get_json("/roles/engineering-manager", 200).await;

    let body = app
        .get_json(
            &format!("/roles/{}/requirements", role["id"].as_str().unwrap()),
            200,
        )
        .await;

    assert_eq!(body["role"]["slug"], "engineering-manager");
    assert!(!body["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn requirements_return_404_for_an_unknown_role_and_400_for_a_malformed_id() {
    let app = spawn_app().await;

    app.get_problem("/roles/chief-wizard/requirements", 404)
        .await;
    let problem = app
        .get_problem("/roles/Chief%20Wizard/requirements", 400)
        .await;
    assert_eq!(problem["errors"][0]["field"], "path.id");
}
