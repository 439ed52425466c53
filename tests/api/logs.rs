//! The log as an operator reads it (`--log-format json`): one JSON object a
//! line, and clients' mistakes at INFO, never at ERROR.

use crate::serve_process::ServeProcess;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MALFORMED: &str = "refused a malformed request, or lost its client mid-request";

#[tokio::test]
async fn malformed_requests_are_refused_and_logged_at_info_not_error() {
    let service = ServeProcess::start(&[]).await;
    let address = service.base.trim_start_matches("http://").to_owned();
    let garbage: [&[u8]; 2] = [
        b"GET /roles HTTP/1.1\r\nHost: x\r\nno colon in this header\r\n\r\n",
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03 not HTTP at all\r\n\r\n",
    ];
    for request in garbage {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
            .await
            .expect("the connection is closed")
            .unwrap();
        assert!(
            answer.starts_with(b"HTTP/1.1 400 "),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    // A well-formed request after them, so that the log has caught up.
    reqwest::get(format!("{}/roles/technical-lead", service.base))
        .await
        .unwrap();

    let waited = Instant::now();
    while service.logged(MALFORMED).len() < 2 {
        assert!(
            waited.elapsed() < Duration::from_secs(10),
            "{:#?}",
            service.log_lines()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let refused = service.logged(MALFORMED);
    assert_eq!(refused.len(), 2, "{refused:#?}");
    for line in &refused {
        assert_eq!(line["level"], "INFO");
        assert!(
            line["error"].as_str().unwrap().contains("parse error"),
            "{line}"
        );
        assert!(line["timestamp"].is_string(), "{line}");
    }
    let errors: Vec<_> = service
        .log_lines()
        .into_iter()
        .filter(|line| line["level"] == "ERROR")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// A fault of the service (forced here by renaming a table under it) is a
/// 500 that says nothing of the database, and names the request id that
/// leads to the ERROR line where the cause is logged.
#[tokio::test]
async fn a_fault_is_a_500_that_hides_its_cause_and_leads_to_it_by_request_id() {
    let service = ServeProcess::start(&[]).await;
    let (client, connection) = service
        .database()
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .batch_execute("ALTER TABLE skills RENAME TO skills_hidden_by_the_test")
        .await
        .unwrap();

    let response = reqwest::get(format!("{}/skills?kind=soft", service.base))
        .await
        .unwrap();

    assert_eq!(response.status(), 500);
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "internal_error");
    assert_eq!(body["type"], "/problems/internal_error");
    assert_eq!(body["detail"], "internal error");
    let text = body.to_string();
    for internal in ["skills", "relation", "SELECT", "postgres", "42P01"] {
        assert!(!text.contains(internal), "{internal} leaked: {text}");
    }
    let waited = Instant::now();
    let logged = loop {
        let failures = service.logged("request failed");
        if !failures.is_empty() || waited.elapsed() > Duration::from_secs(10) {
            break failures;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(logged.len(), 1, "{logged:?}");
    let line = logged[0].to_string();
    assert_eq!(logged[0]["level"], "ERROR", "{line}");
    assert!(
        line.contains(&request_id),
        "the log names the request: {line}"
    );
    assert!(line.contains("skills"), "the log names the cause: {line}");
}
