//! Every paginated list, walked a page at a time, gives the unpaged list
//! exactly once and in order: following only the `Link` header, and
//! separately following only `next_cursor`; for every filter, and limits
//! from 1 to beyond the total.

use crate::helpers::{TestApp, header, new_role_document, percent_encode, spawn_app};
use crate::occupations::import;
use serde_json::{Value, json};

/// What a list shows of an item: enough to tell items apart.
fn key(item: &Value) -> Value {
    for name in ["slug", "code", "number"] {
        if let Some(value) = item.get(name) {
            return value.clone();
        }
    }
    panic!("an item without a key: {item}")
}

/// Every item of `path`'s pages, following only `Link: <…>; rel="next"`,
/// and how many pages it took.
async fn by_links(app: &TestApp, path: &str) -> (Vec<Value>, usize) {
    let (mut items, mut pages) = (Vec::new(), 0);
    let mut next = Some(path.to_owned());
    while let Some(page_path) = next.take() {
        let response = app.get(&page_path).await;
        assert_eq!(response.status().as_u16(), 200, "{page_path}");
        let link = header(&response, "link");
        let body: Value = response.json().await.unwrap();
        items.extend(body["items"].as_array().unwrap().iter().map(key));
        pages += 1;
        assert!(pages <= 1000, "{path} never ends");
        if let Some(link) = link {
            assert!(link.ends_with(">; rel=\"next\""), "{link}");
            next = Some(
                link.trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    (items, pages)
}

/// Every item of `path`'s pages (a path with a query), following only
/// `next_cursor`; a page without the key fails.
async fn by_cursors(app: &TestApp, path: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut page_path = path.to_owned();
    loop {
        let body = app.get_json(&page_path, 200).await;
        items.extend(body["items"].as_array().unwrap().iter().map(key));
        assert!(items.len() <= 5000, "{path} never ends");
        let cursor = body
            .get("next_cursor")
            .unwrap_or_else(|| panic!("{page_path}: a page always has next_cursor"));
        match cursor.as_str() {
            Some(cursor) => page_path = format!("{path}&cursor={}", percent_encode(cursor)),
            None => {
                assert!(cursor.is_null(), "{page_path}: {cursor}");
                return items;
            }
        }
    }
}

/// The limits worth trying for a list of `total` items.
fn limits(total: usize) -> Vec<usize> {
    let mut limits: Vec<usize> = if total <= 25 {
        (1..=total + 1).collect()
    } else {
        vec![1, 2, 3, 7, 10, 19, 20, 21, total - 1, total, total + 1]
    };
    limits.retain(|limit| *limit <= 100);
    limits.push(100);
    limits.dedup();
    limits
}

/// `list` (a path with a query, without `limit`) walked every way.
async fn check_list(app: &TestApp, list: &str) -> usize {
    let everything = app.get_json(&format!("{list}&limit=100"), 200).await;
    assert!(
        everything.get("next_cursor").is_some_and(Value::is_null),
        "{list}: one page of 100 holds it all"
    );
    let everything: Vec<Value> = everything["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    for limit in limits(everything.len()) {
        let path = format!("{list}&limit={limit}");
        let (linked, pages) = by_links(app, &path).await;
        assert_eq!(linked, everything, "{path} by Link: each once, in order");
        assert_eq!(pages, everything.len().div_ceil(limit).max(1), "{path}");
        assert_eq!(
            by_cursors(app, &path).await,
            everything,
            "{path} by next_cursor"
        );
    }
    everything.len()
}

#[tokio::test]
async fn role_and_skill_lists_page_the_same_whatever_the_filter() {
    let app = spawn_app().await;
    let mut sizes = Vec::new();
    for list in [
        "/roles?",
        "/roles?family=software-engineering",
        "/roles?track=management",
        "/roles?seniority=senior",
        "/roles?skill=mentoring",
        "/roles?soc=15-1252",
        "/roles?q=lead",
        "/roles?family=engineering-management&track=management",
        "/skills?",
        "/skills?kind=soft",
    ] {
        sizes.push((list, check_list(&app, list).await));
    }
    assert!(
        sizes.iter().all(|(_, size)| *size >= 2),
        "every filter keeps several items, so paging is exercised: {sizes:?}"
    );

    // Without `limit`, pages of 20.
    let (all_roles, pages) = by_links(&app, "/roles").await;
    assert!(all_roles.len() > 40);
    assert_eq!(pages, all_roles.len().div_ceil(20));
}

#[tokio::test]
async fn occupation_and_area_lists_page_the_same() {
    let app = spawn_app().await;
    import(&app, "oews-2025-states.csv.gz").await;
    let mut sizes = Vec::new();
    for list in [
        "/occupations?group=major",
        "/occupations?parent=15-1250",
        "/occupations?q=software",
        "/areas?",
        "/areas?kind=state",
    ] {
        sizes.push((list, check_list(&app, list).await));
    }
    assert!(sizes.iter().all(|(_, size)| *size >= 2), "{sizes:?}");
}

#[tokio::test]
async fn a_roles_revisions_page_the_same() {
    let app = spawn_app().await;
    let key = app.writer().await;
    let (id, mut etag, _) = app
        .create_role(&key, &new_role_document("platform-lead"))
        .await;
    for round in 1..=6 {
        let response = app
            .patch_role(
                &key,
                &id,
                &etag,
                &json!({"summary": format!("Summary, take {round}.")}),
            )
            .await;
        assert_eq!(response.status().as_u16(), 200);
        etag = header(&response, "etag").unwrap();
    }

    let size = check_list(&app, "/roles/platform-lead/revisions?").await;

    assert_eq!(size, 7, "the creation and six changes");
}
