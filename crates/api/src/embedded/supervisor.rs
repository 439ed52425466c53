//! Keeps the embedded cluster running while `serve` runs: a thread looks at
//! the data directory four times a second and, when no postmaster runs
//! there, starts one, waiting longer after each failed attempt (a killed
//! postmaster's backends hold its shared memory for a moment). An outage is
//! logged twice, when it starts and when it ends, however long it lasts.
//!
//! What runs is read from the data directory (`postmaster.pid` and whether
//! its process is alive), never from a remembered pid, so a cluster another
//! process started and then lost is brought back too.

use super::{Postmaster, Server};
use std::{
    sync::{Arc, Condvar, Mutex, atomic::Ordering},
    thread::JoinHandle,
    time::{Duration, Instant},
};

const LOOK_EVERY: Duration = Duration::from_millis(250);
const FIRST_RETRY: Duration = Duration::from_millis(500);
const LAST_RETRY: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub(super) struct Supervisor {
    stopping: Arc<(Mutex<bool>, Condvar)>,
    thread: JoinHandle<()>,
}

impl Supervisor {
    pub fn spawn(server: Arc<Server>) -> Self {
        let stopping = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = stopping.clone();
        let thread = std::thread::Builder::new()
            .name("postgres-supervisor".into())
            .spawn(move || {
                let mut watch = Watch::default();
                let (lock, wake) = &*signal;
                let mut stop = lock.lock().unwrap_or_else(|e| e.into_inner());
                while !*stop {
                    stop = wake
                        .wait_timeout(stop, LOOK_EVERY)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                    if !*stop {
                        watch.look(&server);
                    }
                }
            })
            .expect("a thread can be spawned");
        Self { stopping, thread }
    }

    /// Returns once the supervisor has stopped: nothing starts the cluster after.
    pub fn stop(self) {
        let (lock, wake) = &*self.stopping;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        wake.notify_all();
        let _ = self.thread.join();
    }
}

#[derive(Debug)]
struct Watch {
    outage: Option<Outage>,
    retry: Duration,
    next_attempt: Instant,
}

#[derive(Debug)]
struct Outage {
    since: Instant,
    attempts: u32,
}

impl Default for Watch {
    fn default() -> Self {
        Self {
            outage: None,
            retry: FIRST_RETRY,
            next_attempt: Instant::now(),
        }
    }
}

impl Watch {
    fn look(&mut self, server: &Server) {
        if server.layout.running_port().is_some() {
            self.recovered(server);
            return;
        }
        let mut held = server.postmaster();
        // Ours and alive: starting, or recovering after a crash of a backend.
        if held.as_ref().is_some_and(|postmaster| !postmaster.exited()) {
            return;
        }
        let status = held.take().map(Postmaster::wait);
        // Another process's postmaster, on its way up.
        if server.layout.live_postmaster().is_some() {
            return;
        }
        let now = Instant::now();
        let outage = self.outage.get_or_insert_with(|| {
            let status = status.as_deref().unwrap_or("stopped by another process");
            let log = server.layout.log.display();
            if server.starter.is_some() {
                tracing::error!(status, %log, "the embedded PostgreSQL cluster stopped; starting it again");
            } else {
                tracing::error!(
                    status,
                    %log,
                    "the embedded PostgreSQL cluster stopped, and this process cannot start it (no PostgreSQL server binaries found): start the process that runs it"
                );
            }
            Outage {
                since: now,
                attempts: 0,
            }
        });
        let Some(starter) = &server.starter else {
            return;
        };
        if now < self.next_attempt {
            return;
        }
        outage.attempts += 1;
        match server.start(starter) {
            Ok(postmaster) => *held = Some(postmaster),
            // The first failure of an outage says why; the retries after it
            // would only repeat it.
            Err(error) if outage.attempts == 1 => {
                tracing::warn!(%error, "could not start the embedded cluster; retrying")
            }
            Err(error) => tracing::debug!(%error, "could not start the embedded cluster"),
        }
        self.next_attempt = now + self.retry;
        self.retry = (self.retry * 2).min(LAST_RETRY);
    }

    fn recovered(&mut self, server: &Server) {
        self.retry = FIRST_RETRY;
        let Some(outage) = self.outage.take() else {
            return;
        };
        if outage.attempts > 0 {
            server.restarts.fetch_add(1, Ordering::Relaxed);
        }
        tracing::info!(
            seconds = format!("{:.1}", outage.since.elapsed().as_secs_f64()),
            attempts = outage.attempts,
            "the embedded PostgreSQL cluster runs again"
        );
    }
}
