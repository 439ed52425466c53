//! What happens when the database fails, on a cluster of the test's own (the
//! shared one serves every other test): a stalled server turns into 503s
//! with `Retry-After` within the configured bound, readiness says so, and
//! the service recovers by itself once the server answers again.

use crate::helpers::{built_in_knowledge_base, header};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use rolebase_api::{
    database,
    documents::RoleDocuments,
    embedded::{Durability, EmbeddedCluster},
    settings::HttpSettings,
    startup::Application,
    storage,
};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A cluster of its own, thawed and stopped however the test ends.
struct PrivateCluster {
    cluster: EmbeddedCluster,
    dir: PathBuf,
}

impl PrivateCluster {
    async fn start() -> Self {
        let dir =
            std::env::temp_dir().join(format!("rolebase-fault-{}", uuid::Uuid::new_v4().simple()));
        let at = dir.clone();
        let cluster = tokio::task::spawn_blocking(move || {
            EmbeddedCluster::start_or_attach(&at, Durability::Throwaway)
        })
        .await
        .unwrap()
        .expect("a private cluster starts");
        Self { cluster, dir }
    }

    /// The postmaster and every process it started.
    fn processes(&self) -> Vec<Pid> {
        let pid_file = std::fs::read_to_string(self.dir.join("pg/postmaster.pid")).unwrap();
        let postmaster: i32 = pid_file.lines().next().unwrap().trim().parse().unwrap();
        let mut pids = vec![Pid::from_raw(postmaster)];
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // `pid (name) state ppid …`: the name may hold spaces, not `)`.
            let Some((_, after_name)) = stat.rsplit_once(')') else {
                continue;
            };
            let parent: Option<i32> = after_name
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse().ok());
            if parent == Some(postmaster) {
                pids.push(Pid::from_raw(
                    entry.file_name().to_string_lossy().parse().unwrap(),
                ));
            }
        }
        pids
    }

    /// Every process of the cluster receives `signal`.
    fn signal(&self, signal: Signal) {
        for pid in self.processes() {
            let _ = kill(pid, signal);
        }
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        self.signal(Signal::SIGCONT);
        self.cluster.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn a_stalled_database_is_a_503_within_the_bound_and_the_service_recovers() {
    let private = PrivateCluster::start().await;
    database::create_database_if_missing(&private.cluster.config("postgres"), "rolebase")
        .await
        .unwrap();
    let timeout = Duration::from_millis(1_000);
    let mut config = private.cluster.config("rolebase");
    database::bound(&mut config, timeout);
    let pool = database::pool(config);
    database::migrate(&pool).await.unwrap();
    storage::knowledge_base::load(&mut pool.get().await.unwrap(), &built_in_knowledge_base())
        .await
        .unwrap();
    let settings = HttpSettings {
        database_timeout_ms: timeout.as_millis() as u64,
        ..HttpSettings::default()
    };
    let application =
        Application::build("127.0.0.1:0", pool, RoleDocuments::disabled(), &settings).unwrap();
    let base = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    // Far above the bound: a request that hangs fails the test, not CI.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let get = |path: &str| http.get(format!("{base}{path}")).send();
    assert_eq!(get("/roles/technical-lead").await.unwrap().status(), 200);

    private.signal(Signal::SIGSTOP);
    for path in [
        "/roles/software-architect",
        "/search?q=architect",
        "/health/ready",
    ] {
        let response = get(path).await.expect("answered, not hung");
        assert_eq!(response.status(), 503, "{path}");
        assert!(header(&response, "retry-after").is_some(), "{path}");
        assert_eq!(
            header(&response, "x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            header(&response, "content-type").as_deref(),
            Some("application/problem+json"),
            "{path}"
        );
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "database_unavailable", "{path}");
    }
    assert_eq!(
        get("/health/live").await.unwrap().status(),
        200,
        "the process itself is fine"
    );

    private.signal(Signal::SIGCONT);
    let start = Instant::now();
    loop {
        let status = get("/roles/software-architect").await.unwrap().status();
        if status == 200 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "still {status} 30 s after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(get("/health/ready").await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_statement_held_up_past_the_timeout_is_ended_and_answered_503() {
    let app = crate::helpers::spawn_app_with(HttpSettings {
        database_timeout_ms: 500,
        ..HttpSettings::default()
    })
    .await;
    // Another session holds the roles table: every read of it waits.
    let mut holder = app.pool.get().await.unwrap();
    let lock = holder.transaction().await.unwrap();
    lock.batch_execute("LOCK TABLE roles IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();

    let response = app.get("/roles/technical-lead").await;
    assert_eq!(response.status(), 503);
    assert!(header(&response, "retry-after").is_some());
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "database_unavailable");
    assert_eq!(
        problem["detail"], "the database is unavailable",
        "PostgreSQL ended the statement, before the service's own deadline"
    );

    lock.rollback().await.unwrap();
    assert_eq!(app.get("/roles/technical-lead").await.status(), 200);
}

/// Fifty requests at once while every connection of the pool is taken: each
/// waits its bounded time and is answered 503 with `Retry-After`, none 500;
/// once a connection is free they are served again.
#[tokio::test]
async fn an_exhausted_pool_answers_503_with_retry_after_never_500() {
    let app = crate::helpers::spawn_on_one_connection().await;
    let held = app.pool.get().await.unwrap();
    let paths = [
        "/skills?kind=soft",
        "/search?q=lead",
        "/roles?limit=5",
        "/roles/technical-lead",
    ];

    let requests = (0..50).map(|index| {
        let url = format!("{}{}", app.address, paths[index % paths.len()]);
        let http = app.http.clone();
        async move { http.get(url).send().await.unwrap() }
    });
    let answers = futures_util::future::join_all(requests).await;

    for answer in answers {
        let retry_after = header(&answer, "retry-after");
        let status = answer.status().as_u16();
        let body: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(status, 503, "{body}");
        assert_eq!(body["code"], "database_unavailable");
        assert!(
            retry_after.is_some_and(|seconds| seconds.parse::<u32>().is_ok_and(|s| s > 0)),
            "{body}"
        );
    }
    drop(held);
    for path in paths {
        assert_eq!(app.get(path).await.status().as_u16(), 200, "{path}");
    }
}
