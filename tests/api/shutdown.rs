//! Stopping under load: after SIGTERM, `rolebase serve` stops accepting,
//! answers every request under way, each with `Connection: close`, closes its
//! idle keep-alive connections, and exits (the database last) well within
//! its grace period.

use crate::serve_process::ServeProcess;
use nix::sys::signal::{Signal, kill};
use std::time::Duration;

/// Requests under way when the stop is asked.
const IN_FLIGHT: usize = 16;

#[tokio::test]
async fn sigterm_answers_every_request_under_way_and_closes_keep_alive_connections() {
    let mut service =
        ServeProcess::start(&["--shutdown-grace-secs", "20", "--document-cache-mb", "0"]).await;
    let base = service.base.clone();
    let idle = reqwest::Client::new();
    assert_eq!(
        idle.get(format!("{base}/health/live"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // `idle` now holds a keep-alive connection with nothing on it.

    // Hold every read of a role until released: the requests below stay under way.
    let (mut holder, connection) = service
        .database()
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let lock = holder.transaction().await.unwrap();
    lock.batch_execute("LOCK TABLE roles IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let mut requests = Vec::new();
    for _ in 0..IN_FLIGHT {
        let url = format!("{base}/roles/technical-lead");
        requests.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap();
            http.get(url).send().await
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    kill(service.pid(), Signal::SIGTERM).unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        reqwest::Client::new()
            .get(format!("{base}/health/live"))
            .send()
            .await
            .is_err(),
        "no new connection is accepted once stopping"
    );
    lock.rollback().await.unwrap();

    for request in requests {
        let response = request.await.unwrap().expect("answered, not dropped");
        assert_eq!(response.status(), 200);
        assert_eq!(
            response
                .headers()
                .get("connection")
                .map(|value| value.to_str().unwrap().to_ascii_lowercase())
                .as_deref(),
            Some("close")
        );
    }
    let status = service.exit_status().await;
    assert!(status.success(), "{status}");
    assert!(
        !service.data_dir.join("pg/postmaster.pid").exists(),
        "the embedded cluster stopped with the service"
    );
}
