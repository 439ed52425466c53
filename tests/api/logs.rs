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
