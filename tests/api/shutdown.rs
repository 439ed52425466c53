//! Stopping under load: after SIGTERM, `rolebase serve` stops accepting,
//! answers every request under way, each with `Connection: close`, closes its
//! idle keep-alive connections, and exits (the database last) well within
//! its grace period.

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Requests under way when the stop is asked.
const IN_FLIGHT: usize = 16;

/// The service process, killed however the test ends.
struct Service {
    child: Child,
    data_dir: std::path::PathBuf,
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn sigterm_answers_every_request_under_way_and_closes_keep_alive_connections() {
    let port = free_port();
    let data_dir = std::env::temp_dir().join(format!(
        "rolebase-shutdown-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let child = Command::new(env!("CARGO_BIN_EXE_rolebase"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--shutdown-grace-secs",
            "20",
            "--document-cache-mb",
            "0",
        ])
        .env("ROLEBASE_DATA_DIR", &data_dir)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut service = Service { child, data_dir };
    let base = format!("http://127.0.0.1:{port}");
    let idle = reqwest::Client::new();
    let started = Instant::now();
    while !idle
        .get(format!("{base}/health/ready"))
        .send()
        .await
        .is_ok_and(|response| response.status() == 200)
    {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "serve never became ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // `idle` now holds a keep-alive connection with nothing on it.

    // Hold every read of a role until released: the requests below stay under way.
    let mut config = tokio_postgres::Config::new();
    config
        .host_path(service.data_dir.join("run"))
        .user("postgres")
        .dbname("rolebase");
    let (mut holder, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
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

    kill(Pid::from_raw(service.child.id() as i32), Signal::SIGTERM).unwrap();
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
    let stop_asked = Instant::now();
    let status = loop {
        if let Some(status) = service.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            stop_asked.elapsed() < Duration::from_secs(15),
            "serve still runs: an idle keep-alive connection held it"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}");
    assert!(
        !service.data_dir.join("pg/postmaster.pid").exists(),
        "the embedded cluster stopped with the service"
    );
}
