//! `GET /metrics`, as a Prometheus server scrapes it.

use crate::helpers::{TestApp, header, spawn_app};
use std::collections::HashMap;

/// The scrape's samples: series (name with labels) → value.
async fn scrape(app: &TestApp) -> HashMap<String, f64> {
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/plain; version=0.0.4")
    );
    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("no-store")
    );
    response
        .text()
        .await
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').unwrap();
            (series.to_owned(), value.parse().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn requests_are_counted_by_route_template_and_status() {
    let app = spawn_app().await;
    for path in [
        "/roles/technical-lead",
        "/roles/technical-lead",
        "/roles/engineering-manager",
        "/roles/chief-wizard",
    ] {
        app.get(path).await;
    }
    let samples = scrape(&app).await;
    let count = |status: &str| {
        samples
            .get(&format!(
                "rolebase_http_request_duration_seconds_count{{method=\"GET\",route=\"/roles/{{id}}\",status=\"{status}\"}}"
            ))
            .copied()
    };
    assert_eq!(count("200"), Some(3.0), "{samples:#?}");
    assert_eq!(count("404"), Some(1.0));
    assert!(
        samples
            .keys()
            .all(|series| !series.contains("technical-lead")),
        "slugs never become labels"
    );
    // The cache: the first reading of each role went to the database, the repeat did not.
    assert_eq!(samples["rolebase_document_cache_misses_total"], 3.0);
    assert_eq!(samples["rolebase_document_cache_hits_total"], 1.0);
}

#[tokio::test]
async fn the_database_and_its_pool_are_reported() {
    let app = spawn_app().await;
    let samples = scrape(&app).await;
    assert_eq!(samples["rolebase_database_up"], 1.0);
    assert_eq!(samples["rolebase_db_pool_max_connections"], 16.0);
    assert!(samples["rolebase_db_pool_connections"] >= 1.0);
    assert_eq!(samples["rolebase_db_pool_waiting_requests"], 0.0);

    app.pool.close();
    let samples = scrape(&app).await;
    assert_eq!(
        samples["rolebase_database_up"], 0.0,
        "a closed pool reaches no database"
    );
}

#[tokio::test]
async fn each_wage_import_reports_how_long_it_took_and_when() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    assert!(
        before
            .keys()
            .all(|series| !series.starts_with("rolebase_wage_import")),
        "nothing imported yet: {before:#?}"
    );
    let seconds_now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    };
    let started = seconds_now();
    crate::occupations::import(&app, "oews-2025-national.csv").await;
    let finished = seconds_now();
    let samples = scrape(&app).await;
    let took = samples["rolebase_wage_import_duration_seconds{release=\"2025A01\"}"];
    assert!(took > 0.0, "{took}");
    let at = samples["rolebase_wage_import_timestamp_seconds{release=\"2025A01\"}"];
    // The database's clock and this one may differ by rounding.
    assert!(
        (started.floor()..=finished.ceil()).contains(&at),
        "imported at {at}, between {started} and {finished}"
    );
}
