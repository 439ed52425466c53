//! Roles get real pay: the imported wages of their occupations beside their
//! curated ranges, in `include=salaries`, and in a comparison's diff.

use crate::helpers::{expect_problem, header, spawn_app};
use crate::occupations::import;
use serde_json::Value;

fn imported_for<'a>(list: &'a Value, soc: &str, area: &str) -> Option<&'a Value> {
    list.as_array()?
        .iter()
        .find(|item| item["occupation"]["code"] == soc && item["area"]["code"] == area)
}

#[tokio::test]
async fn a_roles_salaries_show_its_occupations_national_wages_beside_the_curated_range() {
    let app = spawn_app().await;
    import(&app, "oews-2025-states.csv.gz").await;

    let salaries = app
        .get_json("/roles/software-architect/salaries", 200)
        .await;

    let imported = salaries["imported"].as_array().unwrap();
    let codes: Vec<(&str, &str)> = imported
        .iter()
        .map(|item| {
            (
                item["occupation"]["code"].as_str().unwrap(),
                item["area"]["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [("15-1299", "0000000"), ("15-1252", "0000000")],
        "each of the role's occupations, in the role's order, for the nation only"
    );
    let developers = imported_for(&salaries["imported"], "15-1252", "0000000").unwrap();
    assert_eq!(developers["occupation"]["title"], "Software Developers");
    assert_eq!(developers["annual"]["median"], 135980.0);
    assert_eq!(developers["annual"]["mean"], 148100.0);
    assert_eq!(developers["source"]["dataset"], "bls_oews");
    assert_eq!(developers["release"], "2025A01");
    assert_eq!(developers["release_title"], "May 2025");
    assert_eq!(developers["absent"]["location_quotient"], "not_applicable");
    assert!(developers["flags"].is_array());

    let lead = app.get_json("/roles/technical-lead/salaries", 200).await;
    let curated = lead["items"].as_array().unwrap();
    assert_eq!(
        curated.len(),
        1,
        "the curated range stays beside the imported ones"
    );
    assert_eq!(curated[0]["mean"], 118295.0);
    assert_eq!(lead["imported"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_bls_area_adds_that_areas_wages_to_the_nations() {
    let app = spawn_app().await;
    import(&app, "oews-2025-states.csv.gz").await;

    let california = app
        .get_json("/roles/technical-lead/salaries?area=0600000", 200)
        .await;

    let areas: Vec<&str> = california["imported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["area"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(areas, ["National", "California"]);
    assert_eq!(
        california["items"],
        serde_json::json!([]),
        "no curated range is for California"
    );
    let in_euros = app
        .get_json("/roles/technical-lead/salaries?currency=EUR", 200)
        .await;
    assert_eq!(
        in_euros["imported"],
        serde_json::json!([]),
        "BLS pays in dollars"
    );
    let problem = expect_problem(
        app.get("/roles/technical-lead/salaries?area=9999999").await,
        404,
        "area_not_found",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("9999999"));
}

#[tokio::test]
async fn include_salaries_embeds_the_imported_wages() {
    let app = spawn_app().await;
    let before = app
        .get_json("/roles/technical-lead?include=salaries", 200)
        .await;
    assert_eq!(before["imported_salaries"], serde_json::json!([]));
    let plain = app.get_json("/roles/technical-lead", 200).await;
    assert_eq!(plain.get("imported_salaries"), None, "only when asked for");

    import(&app, "oews-2025-national.csv").await;

    let after = app
        .get_json("/roles/technical-lead?include=salaries", 200)
        .await;
    let national = imported_for(&after["imported_salaries"], "15-1252", "0000000")
        .expect("the national wages of 15-1252");
    assert_eq!(national["annual"]["median"], 135980.0);
    assert_eq!(after["salaries"][0]["mean"], 118295.0);
}

#[tokio::test]
async fn an_import_moves_the_etag_of_a_roles_salaries() {
    let app = spawn_app().await;
    let before = app.get("/roles/technical-lead/salaries").await;
    let etag = header(&before, "etag").unwrap();

    import(&app, "oews-2025-national.csv").await;
    app.caught_up().await;

    let after = app
        .request(reqwest::Method::GET, "/roles/technical-lead/salaries")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200, "the cached copy has no imported wages");
    assert_ne!(header(&after, "etag").unwrap(), etag);
    let body: Value = after.json().await.unwrap();
    assert_eq!(body["imported"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn compare_uses_the_national_median_when_imported() {
    let app = spawn_app().await;
    let path = "/roles/compare?roles=technical-lead,engineering-manager";
    let curated = app.get_json(path, 200).await;
    let usd = &curated["diff"]["salaries"][0];
    assert_eq!(usd["by_role"][0]["amount"], 118295.0);
    assert_eq!(usd["by_role"][0]["basis"], "curated");
    assert_eq!(usd["by_role"][0]["statistic"], "mean");

    import(&app, "oews-2025-national.csv").await;

    let compared = app.get_json(path, 200).await;
    let salaries = compared["diff"]["salaries"].as_array().unwrap();
    assert_eq!(salaries.len(), 1, "{salaries:?}");
    let usd = &salaries[0];
    assert_eq!(
        (usd["currency"].as_str(), usd["period"].as_str()),
        (Some("USD"), Some("annual"))
    );
    let lead = &usd["by_role"][0];
    assert_eq!(lead["role"], "technical-lead");
    assert_eq!(lead["amount"], 135980.0, "Software Developers, 15-1252");
    assert_eq!(lead["statistic"], "median");
    assert_eq!(lead["basis"], "oews");
    assert_eq!(lead["release"], "2025A01");
    let manager = &usd["by_role"][1];
    assert_eq!(
        manager["amount"], 175140.0,
        "Computer and Information Systems Managers, 11-3021"
    );
    assert_eq!(usd["difference"], 39160.0);
}
