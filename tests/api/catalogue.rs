use crate::helpers::{curated_role_count, spawn_app};

#[tokio::test]
async fn skills_are_paginated_and_filtered_by_kind() {
    let app = spawn_app().await;

    let mut slugs = Vec::new();
    let mut path = "/skills?limit=10".to_owned();
    loop {
        let body = app.get_json(&path, 200).await;
        slugs.extend(
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|skill| skill["slug"].as_str().unwrap().to_owned()),
        );
        match body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/skills?limit=10&cursor={cursor}"),
            None => break,
        }
    }
    let mut sorted = slugs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(slugs, sorted, "in slug order, each once");
    assert!(slugs.len() >= 30);

    let soft = app.get_json("/skills?kind=soft&limit=100", 200).await;
    let soft = soft["items"].as_array().unwrap();
    assert!(!soft.is_empty() && soft.iter().all(|skill| skill["kind"] == "soft"));
    app.get_problem("/skills?kind=magic", 422).await;
    app.get_problem("/skills?limit=0", 422).await;
}

#[tokio::test]
async fn a_skill_lists_the_roles_that_need_it_essential_first() {
    let app = spawn_app().await;

    let body = app.get_json("/skills/mentoring", 200).await;

    assert_eq!(body["name"], "Mentoring");
    let roles = body["roles"].as_array().unwrap();
    assert_eq!(body["role_count"], roles.len());
    assert!(
        roles
            .iter()
            .any(|role| role["role"]["slug"] == "technical-lead")
    );
    let first_optional = roles
        .iter()
        .position(|role| role["importance"] == "optional")
        .unwrap_or(roles.len());
    assert!(
        roles[first_optional..]
            .iter()
            .all(|role| role["importance"] == "optional"),
        "essential first: {roles:?}"
    );

    app.get_problem("/skills/telepathy", 404).await;
    app.get_problem("/skills/Tele%20Pathy", 400).await;
}

#[tokio::test]
async fn families_count_their_roles() {
    let app = spawn_app().await;

    let body = app.get_json("/families", 200).await;

    let items = body["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        rolebase_domain::Family::ALL.len(),
        "every family has roles"
    );
    let total: i64 = items
        .iter()
        .map(|family| family["role_count"].as_i64().unwrap())
        .sum();
    assert_eq!(total as usize, curated_role_count());
    let media = items
        .iter()
        .find(|family| family["family"] == "media-production")
        .unwrap();
    assert_eq!(media["role_count"], 1);
    assert_eq!(media["name"], "Media production");
}

#[tokio::test]
async fn sources_list_the_articles() {
    let app = spawn_app().await;

    let body = app.get_json("/sources", 200).await;

    let items = body["items"].as_array().unwrap();
    assert!(items.len() >= 5);
    assert!(
        items
            .iter()
            .any(|source| source["publisher"] == "Indeed Editorial Team")
    );
}
