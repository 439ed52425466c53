//! The imported wages through the API: occupations, their wages by area,
//! areas, and what data the service holds.

use crate::helpers::{TestApp, curated_role_count, expect_problem, spawn_app};
use rolebase_api::{
    oews::{self, Progress, Release},
    storage,
};
use serde_json::Value;
use std::path::PathBuf;

pub async fn import(app: &TestApp, file: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/bls-oews")
        .join(file);
    let rows = oews::read(&path, &Progress::quiet()).expect("the file is read");
    let mut client = app.pool.get().await.unwrap();
    storage::oews::import(
        &mut client,
        &Release::parse("2025A01", None).unwrap(),
        &rows,
        &Progress::quiet(),
    )
    .await
    .expect("the import succeeds");
    app.caught_up().await;
}

#[tokio::test]
async fn an_occupation_shows_its_hierarchy_roles_and_national_pay() {
    let app = spawn_app().await;
    import(&app, "oews-2025-national.csv").await;

    let developers = app.get_json("/occupations/15-1252", 200).await;

    assert_eq!(developers["title"], "Software Developers");
    assert_eq!(developers["group"], "detailed");
    assert_eq!(developers["parent_occupation"]["code"], "15-1250");
    let roles: Vec<&str> = developers["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["slug"].as_str().unwrap())
        .collect();
    assert!(roles.contains(&"technical-lead"), "{roles:?}");
    let national = &developers["national_wages"][0];
    assert_eq!(national["area"]["code"], "0000000");
    assert_eq!(national["release"], "2025A01");
    assert_eq!(national["annual"]["median"], 135980.0);
    assert_eq!(national["annual"]["mean"], 148100.0);
    assert_eq!(national["absent"]["location_quotient"], "not_applicable");
    let broad = app.get_json("/occupations/15-1250", 200).await;
    let children: Vec<&str> = broad["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|child| child["code"].as_str().unwrap())
        .collect();
    assert!(children.contains(&"15-1252"), "{children:?}");
}

#[tokio::test]
async fn absent_figures_are_null_with_their_reason() {
    let app = spawn_app().await;
    import(&app, "oews-2025-national.csv").await;

    let teachers = app.get_json("/occupations/25-1000/wages", 200).await;

    let national = &teachers["items"][0];
    assert_eq!(national["hourly"].get("mean"), Some(&Value::Null));
    assert_eq!(national["absent"]["hourly_mean"], "annual_only");
    assert_eq!(national["annual"]["mean"], 103470.0);
}

#[tokio::test]
async fn which_states_pay_most_is_one_call() {
    let app = spawn_app().await;
    import(&app, "oews-2025-states.csv.gz").await;

    let ranked = app
        .get_json(
            "/occupations/15-1252/wages?area_kind=state&sort=median",
            200,
        )
        .await;

    let items = ranked["items"].as_array().unwrap();
    assert!(items.len() > 40, "{}", items.len());
    assert!(items.iter().all(|item| item["area"]["kind"] == "state"));
    let medians: Vec<f64> = items
        .iter()
        .filter_map(|item| item["annual"]["median"].as_f64())
        .collect();
    assert!(medians.len() > 40);
    assert!(
        medians.windows(2).all(|pair| pair[0] >= pair[1]),
        "{medians:?}"
    );
    let ascending = app
        .get_json(
            "/occupations/15-1252/wages?area_kind=state&sort=median&order=asc",
            200,
        )
        .await;
    assert_eq!(
        ascending["items"][0]["annual"]["median"].as_f64(),
        medians.last().copied()
    );
    let california = app
        .get_json("/occupations/15-1252/wages?area=0600000", 200)
        .await;
    assert_eq!(california["items"].as_array().unwrap().len(), 1);
    assert_eq!(california["items"][0]["area"]["title"], "California");
}

#[tokio::test]
async fn areas_and_meta_describe_the_imported_data() {
    let app = spawn_app().await;
    let before = app.get_json("/meta", 200).await;
    assert_eq!(before["oews"], serde_json::json!([]));
    assert_eq!(before["knowledge_base"]["roles"], curated_role_count());
    let ready = app.get_json("/health/ready", 200).await;
    assert_eq!(ready["oews_releases"], serde_json::json!([]));

    import(&app, "oews-2025-states.csv.gz").await;

    let states = app.get_json("/areas?kind=state&limit=100", 200).await;
    assert_eq!(states["items"].as_array().unwrap().len(), 54);
    assert_eq!(states.get("next_cursor"), Some(&Value::Null));
    assert_eq!(
        app.get_json("/areas/0600000", 200).await["title"],
        "California"
    );
    let meta = app.get_json("/meta", 200).await;
    assert_eq!(meta["oews"][0]["release"], "2025A01");
    assert_eq!(meta["oews"][0]["title"], "May 2025");
    assert_eq!(meta["oews"][0]["row_count"], 38512);
    assert_eq!(
        meta["oews"][0]["area_kinds"],
        serde_json::json!(["nation", "state"])
    );
    assert!(meta["schema_version"].as_i64().unwrap() >= 4);
    let ready = app.get_json("/health/ready", 200).await;
    assert_eq!(ready["oews_releases"], serde_json::json!(["2025A01"]));
}

#[tokio::test]
async fn occupations_are_listed_by_text_group_and_parent() {
    let app = spawn_app().await;
    import(&app, "oews-2025-national.csv").await;

    let codes = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let software = app.get_json("/occupations?q=software", 200).await;
    let found = codes(&software);
    assert!(found.contains(&"15-1252".to_owned()), "{found:?}");
    assert!(found.contains(&"15-1253".to_owned()), "{found:?}");
    assert!(
        found.windows(2).all(|pair| pair[0] < pair[1]),
        "code order: {found:?}"
    );
    assert!(
        software["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["title"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("software")),
        "{found:?}"
    );
    let detailed = app
        .get_json("/occupations?q=software&group=detailed", 200)
        .await;
    assert_eq!(codes(&detailed), ["15-1252", "15-1253"]);
    let children = app.get_json("/occupations?parent=15-1250", 200).await;
    assert_eq!(
        codes(&children),
        ["15-1251", "15-1252", "15-1253", "15-1254", "15-1255"]
    );
    let nothing = app.get_json("/occupations?q=xylophonist", 200).await;
    assert_eq!(nothing["items"], serde_json::json!([]));
    let page = app.get_json("/occupations?group=major&limit=5", 200).await;
    assert_eq!(codes(&page).len(), 5);
    let next = page["next_cursor"].as_str().expect("more major groups");
    let rest = app
        .get_json(
            &format!("/occupations?group=major&limit=5&cursor={next}"),
            200,
        )
        .await;
    assert!(codes(&rest)[0] > codes(&page)[4]);
}

#[tokio::test]
async fn unknown_and_malformed_codes_are_refused() {
    let app = spawn_app().await;
    import(&app, "oews-2025-national.csv").await;

    expect_problem(
        app.get("/occupations/99-9999").await,
        404,
        "occupation_not_found",
    )
    .await;
    expect_problem(app.get("/occupations/developers").await, 400, "bad_request").await;
    expect_problem(app.get("/areas/0000001").await, 404, "area_not_found").await;
    expect_problem(
        app.get("/occupations/15-1252/wages?sort=pay").await,
        422,
        "invalid_parameters",
    )
    .await;
    expect_problem(
        app.get("/occupations?group=tiny").await,
        422,
        "invalid_parameters",
    )
    .await;
    let blank = expect_problem(
        app.get("/occupations?q=%20%20").await,
        422,
        "invalid_parameters",
    )
    .await;
    assert_eq!(blank["errors"][0]["field"], "query.q");
}
