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
    port: u16,
    args: Vec<String>,
}

/// `rolebase serve` on `port` and `data_dir`, its JSON log appended to `log`.
fn spawn(data_dir: &std::path::Path, log: &std::path::Path, port: u16, args: &[String]) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_rolebase"))
        .args(["--log-format", "json", "serve", "--bind"])
        .arg(format!("127.0.0.1:{port}"))
        .args(args)
        .env("ROLEBASE_DATA_DIR", data_dir)
        .env("RUST_LOG", "info")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap()
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
        let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        let service = Self {
            child: spawn(&data_dir, &log, port, &args),
            data_dir,
            log,
            base: format!("http://127.0.0.1:{port}"),
            port,
            args,
        };
        service.ready().await;
        service
    }

    /// Stops the service with SIGTERM, and starts it again on the same data
    /// directory and port, with the same arguments; its log goes on.
    pub async fn restart(&mut self) {
        nix::sys::signal::kill(self.pid(), nix::sys::signal::Signal::SIGTERM).unwrap();
        let status = self.exit_status().await;
        assert!(status.success(), "serve stopped cleanly: {status}");
        self.child = spawn(&self.data_dir, &self.log, self.port, &self.args);
        self.ready().await;
    }

    async fn ready(&self) {
        let http = reqwest::Client::new();
        let started = Instant::now();
        while !http
            .get(format!("{}/health/ready", self.base))
            .send()
            .await
            .is_ok_and(|response| response.status() == 200)
        {
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "serve never became ready; its log:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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
