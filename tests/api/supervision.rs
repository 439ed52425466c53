//! The embedded cluster under `serve`'s supervision: killed, it is started
//! again while clients keep asking; they get 503s with `Retry-After` (never
//! a 500, never a hang), readiness says so, liveness does not, and the log
//! tells of the outage once, with how many requests it refused.

use crate::serve_process::ServeProcess;
use futures_util::future::join_all;
use nix::sys::signal::{Signal, kill};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// One round of clients: reads of several kinds, and readiness.
const ROUND: &[&str] = &[
    "/roles/technical-lead",
    "/roles/engineering-manager?include=responsibilities,requirements",
    "/roles",
    "/search?q=architect",
    "/roles/compare?roles=technical-lead,software-architect",
    "/health/ready",
];

#[tokio::test]
async fn a_killed_cluster_is_started_again_and_its_outage_logged_once() {
    // Clients hammer the service throughout: no quota gets in the way.
    let mut service =
        ServeProcess::start(&["--document-cache-mb", "0", "--rate-limit-per-address", "0"]).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let get = |path: &str| http.get(format!("{}{path}", service.base)).send();
    let first = service.postmaster().expect("a postmaster runs");

    kill(first, Signal::SIGKILL).unwrap();
    let killed = Instant::now();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut live_during_outage = Vec::new();
    loop {
        let answers = join_all(ROUND.iter().map(|path| get(path))).await;
        let mut all_fine = true;
        for (path, answer) in ROUND.iter().zip(answers) {
            let response = answer.expect("answered, not hung");
            let status = response.status().as_u16();
            *statuses.entry(status).or_default() += 1;
            if status == 503 {
                all_fine = false;
                assert!(response.headers().contains_key("retry-after"), "{path}");
                assert_eq!(
                    response.headers()["content-type"],
                    "application/problem+json",
                    "{path}"
                );
                let problem: serde_json::Value = response.json().await.unwrap();
                assert_eq!(problem["code"], "database_unavailable", "{path}");
            } else {
                assert_eq!(
                    status,
                    200,
                    "{path}: neither served nor refused: {}",
                    response.text().await.unwrap_or_default()
                );
            }
        }
        if !all_fine {
            live_during_outage.push(get("/health/live").await.unwrap().status());
        } else if statuses.contains_key(&503) {
            break;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(60),
            "the service did not recover: {statuses:?}"
        );
    }
    let refused = statuses[&503];
    assert!(
        live_during_outage.iter().all(|status| *status == 200) && !live_during_outage.is_empty(),
        "liveness stays 200 while the database is away: {live_during_outage:?}"
    );

    let second = service.postmaster().expect("a postmaster runs again");
    assert_ne!(second, first, "a new postmaster serves");
    assert_eq!(get("/roles/technical-lead").await.unwrap().status(), 200);

    // The outage, told once when it began and once when it ended.
    let waited = Instant::now();
    while service.logged("the database answers again").is_empty()
        || service
            .logged("the embedded PostgreSQL cluster runs again")
            .is_empty()
    {
        assert!(
            waited.elapsed() < Duration::from_secs(10),
            "no end of outage logged"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stopped = service.logged("the embedded PostgreSQL cluster stopped; starting it again");
    assert_eq!(stopped.len(), 1, "{stopped:?}");
    assert_eq!(stopped[0]["level"], "ERROR");
    assert_eq!(stopped[0]["status"], "signal 9");
    let unavailable =
        service.logged("the database is unavailable: requests are answered 503 until it is back");
    assert_eq!(unavailable.len(), 1, "{unavailable:?}");
    let back = service.logged("the database answers again");
    assert_eq!(back.len(), 1);
    assert_eq!(
        back[0]["refused"], refused as u64,
        "{back:?} after {statuses:?}"
    );
    assert_eq!(
        service
            .logged("the embedded PostgreSQL cluster runs again")
            .len(),
        1
    );
    let errors = service
        .log_lines()
        .into_iter()
        .filter(|line| line["level"] == "ERROR")
        .count();
    assert_eq!(errors, 2, "{refused} refusals, two error lines");

    let metrics = get("/metrics").await.unwrap().text().await.unwrap();
    assert!(
        metrics
            .lines()
            .any(|line| line == "rolebase_embedded_cluster_restarts_total 1"),
        "{metrics}"
    );
    assert!(
        metrics
            .lines()
            .any(|line| line == format!("rolebase_database_refused_requests_total {refused}")),
        "{metrics}"
    );

    // It stops the cluster it started again, and only that one.
    kill(service.pid(), Signal::SIGTERM).unwrap();
    assert!(service.exit_status().await.success());
    assert!(
        service.postmaster().is_none(),
        "the new cluster stopped too"
    );
    assert!(kill(second, None).is_err(), "its postmaster is gone");
}
