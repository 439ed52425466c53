//! gzip, when the client asks for it and the body is worth it.

use crate::helpers::{TestApp, header, spawn_app};
use std::io::Read;

async fn get(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
    let mut request = app.request(reqwest::Method::GET, path);
    if let Some(accept_encoding) = accept_encoding {
        request = request.header("accept-encoding", accept_encoding);
    }
    request.send().await.unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut plain)
        .expect("a gzip body");
    plain
}

#[tokio::test]
async fn json_bodies_are_gzipped_for_clients_that_take_it() {
    let app = spawn_app().await;
    for path in [
        "/roles/technical-lead?include=responsibilities,requirements",
        "/roles?limit=100",
        "/search?q=tech%20lead",
    ] {
        let plain = get(&app, path, None).await;
        assert_eq!(header(&plain, "content-encoding"), None, "{path}");
        assert!(
            header(&plain, "vary").is_some_and(|vary| vary.contains("accept-encoding")),
            "{path}"
        );
        let plain = plain.bytes().await.unwrap();

        let zipped = get(&app, path, Some("br;q=1.0, gzip;q=0.8")).await;
        assert_eq!(zipped.status(), 200);
        assert_eq!(
            header(&zipped, "content-encoding").as_deref(),
            Some("gzip"),
            "{path}"
        );
        assert!(header(&zipped, "vary").is_some_and(|vary| vary.contains("accept-encoding")));
        let zipped = zipped.bytes().await.unwrap();
        assert!(
            zipped.len() < plain.len() / 2,
            "{path}: {} of {}",
            zipped.len(),
            plain.len()
        );
        assert_eq!(gunzip(&zipped), plain, "{path}");

        let again = get(&app, path, Some("gzip")).await.bytes().await.unwrap();
        assert_eq!(gunzip(&again), plain, "{path}: the kept copy");
    }
}

#[tokio::test]
async fn refused_small_and_unchanged_answers_are_not_gzipped() {
    let app = spawn_app().await;
    let refused = get(&app, "/roles/technical-lead", Some("gzip;q=0, identity")).await;
    assert_eq!(header(&refused, "content-encoding"), None);
    let small = get(
        &app,
        "/roles/technical-lead/career-paths/engineering-manager",
        Some("gzip"),
    )
    .await;
    assert_eq!(small.status(), 200);
    let small_body = small.headers().get("content-encoding").cloned();
    let length = small.bytes().await.unwrap().len();
    assert!(length < 1024, "{length}");
    assert_eq!(small_body, None, "{length} bytes gain nothing");
    let etag = header(&get(&app, "/roles/technical-lead", None).await, "etag").unwrap();
    let unchanged = app
        .request(reqwest::Method::GET, "/roles/technical-lead")
        .header("accept-encoding", "gzip")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);
    assert_eq!(header(&unchanged, "content-encoding"), None);
}
