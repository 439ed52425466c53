//! `rolebase serve` as a process of its own, on a data directory of its own:
//! for what only the whole program does (signals, its embedded cluster's
//! supervision, its log).

use nix::unistd::Pid;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The service, killed (and its directory removed) however the test ends.
pub struct ServeProcess {
    pub child: Child,
    pub data_dir: PathBuf,
    /// Where its JSON log lines go.
    pub log: PathBuf,
    /// `http://127.0.0.1:<port>`
    pub base: String,
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
        let _ = std::fs::remove_file(&self.log);
    }
}

impl ServeProcess {
    /// Starts `rolebase serve` with `args` on a free port and returns once it is ready.
    pub async fn start(args: &[&str]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let data_dir =
            std::env::temp_dir().join(format!("rolebase-serve-{}", uuid::Uuid::new_v4().simple()));
        let log = data_dir.with_extension("log");
        let child = Command::new(env!("CARGO_BIN_EXE_rolebase"))
            .args(["--log-format", "json", "serve", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .args(args)
            .env("ROLEBASE_DATA_DIR", &data_dir)
            .env("RUST_LOG", "info")
            .env_remove("DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let service = Self {
            child,
            data_dir,
            log,
            base: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        let started = Instant::now();
        while !http
            .get(format!("{}/health/ready", service.base))
            .send()
            .await
            .is_ok_and(|response| response.status() == 200)
        {
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "serve never became ready; its log:\n{}",
                std::fs::read_to_string(&service.log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        service
    }

    pub fn pid(&self) -> Pid {
        Pid::from_raw(self.child.id() as i32)
    }

    /// The postmaster `postmaster.pid` names, if the file is there.
    pub fn postmaster(&self) -> Option<Pid> {
        let content = std::fs::read_to_string(self.data_dir.join("pg/postmaster.pid")).ok()?;
        Some(Pid::from_raw(content.lines().next()?.trim().parse().ok()?))
    }

    /// Connection settings for the service's database, through its socket.
    pub fn database(&self) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host_path(self.data_dir.join("run"))
            .user("postgres")
            .dbname("rolebase");
        config
    }

    /// The log so far, one JSON object per line.
    pub fn log_lines(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
            .collect()
    }

    /// The log lines whose message is `message`.
    pub fn logged(&self, message: &str) -> Vec<serde_json::Value> {
        self.log_lines()
            .into_iter()
            .filter(|line| line["message"] == message)
            .collect()
    }

    /// Waits (up to 20 s) for the process to exit, and says how.
    pub async fn exit_status(&mut self) -> std::process::ExitStatus {
        let asked = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                asked.elapsed() < Duration::from_secs(20),
                "serve still runs"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
