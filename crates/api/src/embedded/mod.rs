//! A private PostgreSQL cluster, started from the PostgreSQL binaries already on
//! the machine, for when no `DATABASE_URL` is given.
//!
//! The cluster lives in a data directory of its own (`<data-dir>/pg`) and listens
//! only on a Unix socket in `<data-dir>/run`, so nothing else on the machine can
//! reach it over the network. PostgreSQL refuses to run as root; started as root,
//! the cluster is run as the `postgres` system user instead. While `serve` runs,
//! a supervisor starts the cluster again whenever it stops (see `supervisor`).

mod binaries;
mod data_dir;
mod supervisor;

use data_dir::Layout;
use nix::{
    sys::signal::{Signal, kill},
    unistd::{Pid, User},
};
use std::{
    fs, io,
    os::unix::{
        fs::MetadataExt,
        process::{CommandExt, ExitStatusExt},
    },
    path::{Path, PathBuf},
    process::{Command, ExitStatus, Stdio},
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicU64, Ordering},
        mpsc,
    },
    time::{Duration, Instant},
};

pub use binaries::find_binaries;

/// The port number names the socket file; the socket directory is private, so
/// the default never clashes with another server.
const PORT: u16 = 5432;
/// The superuser `initdb` creates, whoever runs it.
pub const SUPERUSER: &str = "postgres";
const READY_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "no PostgreSQL server binaries were found (looked for `initdb` and `postgres` on PATH, \
         through `pg_config --bindir`, and under /usr/lib/postgresql/*/bin).\n\
         Either install PostgreSQL (for example `apt-get install postgresql` on Debian or Ubuntu, \
         `brew install postgresql` on macOS), or point Rolebase at a running server with \
         DATABASE_URL, for example the one `docker compose up db` starts: \
         DATABASE_URL=postgres://rolebase:rolebase@localhost:5432/rolebase"
    )]
    NoBinaries,
    #[error(
        "Rolebase was started as root, and PostgreSQL refuses to run as root, but there is no \
         `postgres` system user to run it as. Create one (installing PostgreSQL from your \
         distribution does), run Rolebase as a normal user, or set DATABASE_URL."
    )]
    NoPostgresUser,
    #[error(
        "the data directory {path} is too long for PostgreSQL's socket (at most 107 bytes): choose a shorter --data-dir"
    )]
    PathTooLong { path: PathBuf },
    #[error("could not prepare the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: io::Error },
    #[error("could not run {program}: {source}")]
    Spawn { program: PathBuf, source: io::Error },
    #[error("`initdb` failed for {path} ({status}):\n{output}")]
    Initdb {
        path: PathBuf,
        status: String,
        output: String,
    },
    #[error("PostgreSQL stopped while starting ({status}); its log is {log}:\n{tail}")]
    Exited {
        status: String,
        log: PathBuf,
        tail: String,
    },
    #[error("PostgreSQL was not ready after {seconds} s; its log is {log}")]
    NotReady { seconds: u64, log: PathBuf },
}

/// How much a cluster's data matters. Tests trade crash safety for speed; a
/// user's cluster never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Safe,
    Throwaway,
}

/// A running cluster. When this process started it, dropping the value (or
/// `stop`) shuts it down; when it attached to one another process runs, the
/// cluster is left running.
#[derive(Debug)]
pub struct EmbeddedCluster {
    socket_dir: PathBuf,
    port: u16,
    server: Arc<Server>,
    supervisor: Option<supervisor::Supervisor>,
}

/// What the cluster's handle and its supervisor share.
#[derive(Debug)]
struct Server {
    layout: Layout,
    durability: Durability,
    /// How to start PostgreSQL; `None` when this process attached to a
    /// cluster and finds no binaries to start one itself.
    starter: Option<Starter>,
    /// The postmaster this process started, if it did.
    postmaster: Mutex<Option<Postmaster>>,
    /// How many times the supervisor brought the cluster back.
    restarts: Arc<AtomicU64>,
}

#[derive(Debug)]
struct Starter {
    bin_dir: PathBuf,
    owner: Owner,
}

impl Starter {
    fn find() -> Result<Self, EmbeddedError> {
        Ok(Self {
            bin_dir: find_binaries().ok_or(EmbeddedError::NoBinaries)?,
            owner: Owner::for_current_user()?,
        })
    }
}

impl Server {
    fn postmaster(&self) -> MutexGuard<'_, Option<Postmaster>> {
        self.postmaster
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn start(&self, starter: &Starter) -> Result<Postmaster, EmbeddedError> {
        start_postgres(starter, &self.layout, self.durability)
    }

    /// Stops the postmaster this process started, if it still runs. It is
    /// signalled only while unreaped (its pid cannot have been reused) and
    /// while the data directory names it as the cluster's postmaster.
    fn stop_postmaster(&self) {
        let Some(postmaster) = self.postmaster().take() else {
            return;
        };
        if postmaster.exited() {
            postmaster.wait();
            return;
        }
        match self.layout.live_postmaster() {
            Some(pid) if pid != postmaster.pid => {
                tracing::warn!(
                    %pid,
                    "the data directory names a postmaster this process did not start; leaving it running"
                );
            }
            // Its own, or one that has not written its pid file yet.
            _ => {
                if kill(postmaster.pid, Signal::SIGINT).is_ok() {
                    postmaster.wait();
                    tracing::info!("stopped the embedded PostgreSQL cluster");
                }
            }
        }
    }
}

/// A PostgreSQL server process, spawned and waited on by a thread of its own.
/// The kernel's parent-death signal follows the *thread* that spawned a child,
/// so the spawning thread must live exactly as long as the server: a pooled
/// thread (tokio's blocking pool retires idle threads after 10 s) would take
/// the server down with it.
#[derive(Debug)]
struct Postmaster {
    pid: Pid,
    keeper: std::thread::JoinHandle<io::Result<ExitStatus>>,
}
impl Postmaster {
    fn spawn(mut command: Command, program: PathBuf) -> Result<Self, EmbeddedError> {
        let (sender, receiver) = mpsc::channel();
        let keeper = std::thread::Builder::new()
            .name("postgres-keeper".into())
            .spawn(move || {
                let mut child = match command.spawn() {
                    Ok(child) => child,
                    Err(error) => {
                        let kind = error.kind();
                        let _ = sender.send(Err(error));
                        return Err(io::Error::from(kind));
                    }
                };
                let _ = sender.send(Ok(child.id()));
                child.wait()
            })
            .map_err(|source| EmbeddedError::Spawn {
                program: program.clone(),
                source,
            })?;
        match receiver.recv() {
            Ok(Ok(pid)) => Ok(Self {
                pid: Pid::from_raw(pid as i32),
                keeper,
            }),
            Ok(Err(source)) => Err(EmbeddedError::Spawn { program, source }),
            Err(_) => Err(EmbeddedError::Spawn {
                program,
                source: io::Error::other("the keeper thread ended"),
            }),
        }
    }

    /// Whether the server has exited.
    fn exited(&self) -> bool {
        self.keeper.is_finished()
    }

    fn wait(self) -> String {
        match self.keeper.join() {
            Ok(Ok(status)) => describe(status),
            Ok(Err(error)) => error.to_string(),
            Err(_) => "the keeper thread panicked".to_owned(),
        }
    }
}

impl EmbeddedCluster {
    /// Connects to the cluster in `data_dir` if another process runs it, and
    /// starts it (creating it first when the folder is new) otherwise.
    pub fn start_or_attach(data_dir: &Path, durability: Durability) -> Result<Self, EmbeddedError> {
        let layout = Layout::new(data_dir)?;
        if let Some(port) = layout.running_port() {
            tracing::info!(data_dir = %data_dir.display(), "using the PostgreSQL cluster another process runs");
            return Ok(Self::new(
                layout,
                port,
                durability,
                Starter::find().ok(),
                None,
            ));
        }
        let starter = Starter::find()?;
        layout.prepare(&starter.owner)?;
        if !layout.pgdata.join("PG_VERSION").exists() {
            initdb(&starter, &layout, durability)?;
        }
        let postmaster = start_postgres(&starter, &layout, durability)?;
        let mut cluster = Self::new(layout, PORT, durability, Some(starter), Some(postmaster));
        cluster.wait_until_ready()?;
        tracing::info!(data_dir = %data_dir.display(), "started the embedded PostgreSQL cluster");
        Ok(cluster)
    }

    fn new(
        layout: Layout,
        port: u16,
        durability: Durability,
        starter: Option<Starter>,
        postmaster: Option<Postmaster>,
    ) -> Self {
        Self {
            socket_dir: layout.socket_dir.clone(),
            port,
            server: Arc::new(Server {
                layout,
                durability,
                starter,
                postmaster: Mutex::new(postmaster),
                restarts: Arc::new(AtomicU64::new(0)),
            }),
            supervisor: None,
        }
    }

    /// From now until `stop`, starts the cluster again whenever it stops,
    /// whether this process or another one started it.
    pub fn supervise(&mut self) {
        if self.supervisor.is_none() {
            self.supervisor = Some(supervisor::Supervisor::spawn(self.server.clone()));
        }
    }

    /// How many times the supervisor brought the cluster back, counted as it happens.
    pub fn restarts(&self) -> Arc<AtomicU64> {
        self.server.restarts.clone()
    }

    /// The same count, now.
    pub fn restart_count(&self) -> u64 {
        self.server.restarts.load(Ordering::Relaxed)
    }

    /// Connection settings for a database of this cluster.
    pub fn config(&self, dbname: &str) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host_path(&self.socket_dir)
            .port(self.port)
            .user(SUPERUSER)
            .dbname(dbname)
            .application_name("rolebase");
        config
    }

    /// Ends supervision, then asks the postmaster this process started for a
    /// fast shutdown (SIGINT: roll back open transactions, write a
    /// checkpoint) and waits for it.
    pub fn stop(&mut self) {
        if let Some(supervisor) = self.supervisor.take() {
            supervisor.stop();
        }
        self.server.stop_postmaster();
    }

    fn wait_until_ready(&mut self) -> Result<(), EmbeddedError> {
        let layout = &self.server.layout;
        let started = Instant::now();
        loop {
            let exited = {
                let mut postmaster = self.server.postmaster();
                match postmaster.as_ref() {
                    Some(running) if running.exited() => postmaster.take().map(Postmaster::wait),
                    _ => None,
                }
            };
            if let Some(status) = exited {
                return Err(EmbeddedError::Exited {
                    status,
                    log: layout.log.clone(),
                    tail: tail_of(&layout.log),
                });
            }
            if layout.running_port().is_some() {
                return Ok(());
            }
            if started.elapsed() > READY_TIMEOUT {
                let log = layout.log.clone();
                self.stop();
                return Err(EmbeddedError::NotReady {
                    seconds: READY_TIMEOUT.as_secs(),
                    log,
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for EmbeddedCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The user the cluster's processes and files belong to.
#[derive(Debug)]
struct Owner {
    /// `None` when that is the current user.
    other: Option<User>,
}

impl Owner {
    fn for_current_user() -> Result<Self, EmbeddedError> {
        if !nix::unistd::geteuid().is_root() {
            return Ok(Self { other: None });
        }
        match User::from_name(SUPERUSER) {
            Ok(Some(user)) => Ok(Self { other: Some(user) }),
            _ => Err(EmbeddedError::NoPostgresUser),
        }
    }

    fn is_other(&self) -> bool {
        self.other.is_some()
    }

    /// Gives an open file or directory to the cluster's user.
    fn take(&self, handle: &fs::File) -> io::Result<()> {
        match &self.other {
            Some(user) => {
                std::os::unix::fs::fchown(handle, Some(user.uid.as_raw()), Some(user.gid.as_raw()))
            }
            None => Ok(()),
        }
    }

    /// Whether the cluster's user may pass through `dir`, which Rolebase
    /// never re-owns or re-modes: it is the user's.
    fn check_can_enter(&self, dir: &Path) -> io::Result<()> {
        let Some(user) = &self.other else {
            return Ok(());
        };
        let metadata = fs::metadata(dir)?;
        let mode = metadata.mode();
        let can_enter = if metadata.uid() == user.uid.as_raw() {
            mode & 0o100 != 0
        } else if metadata.gid() == user.gid.as_raw() {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        if can_enter {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "PostgreSQL runs as the `{SUPERUSER}` user, which may not enter it (mode {:o}). \
                 Rolebase leaves a directory you name as it is: allow that user through \
                 (for example `chmod o+x`), or name a directory that does not exist yet \
                 and Rolebase creates it",
                mode & 0o7777
            )))
        }
    }

    fn command(&self, program: &Path, cwd: &Path) -> Command {
        let mut command = Command::new(program);
        // A cwd the cluster's user can read: root's home, for one, is private.
        command
            .current_dir(cwd)
            .env("LC_ALL", "C")
            .stdin(Stdio::null());
        if let Some(user) = &self.other {
            command
                .uid(user.uid.as_raw())
                .gid(user.gid.as_raw())
                .env("HOME", &user.dir);
        }
        command
    }
}

fn initdb(starter: &Starter, layout: &Layout, durability: Durability) -> Result<(), EmbeddedError> {
    let program = starter.bin_dir.join("initdb");
    let mut command = starter.owner.command(&program, &layout.pgdata);
    command.arg("--pgdata").arg(&layout.pgdata).args([
        "--username",
        SUPERUSER,
        // Only the private socket lets anyone in; TCP is refused outright,
        // should it ever be turned on.
        "--auth-local",
        "trust",
        "--auth-host",
        "reject",
        "--encoding",
        "UTF8",
        "--no-locale",
    ]);
    if durability == Durability::Throwaway {
        command.arg("--no-sync");
    }
    let output = command.output().map_err(|source| EmbeddedError::Spawn {
        program: program.clone(),
        source,
    })?;
    if !output.status.success() {
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        return Err(EmbeddedError::Initdb {
            path: layout.pgdata.clone(),
            status: describe(output.status),
            output: text,
        });
    }
    Ok(())
}

fn start_postgres(
    starter: &Starter,
    layout: &Layout,
    durability: Durability,
) -> Result<Postmaster, EmbeddedError> {
    let program = starter.bin_dir.join("postgres");
    let log = layout.open_log()?;
    let log_err = log.try_clone().map_err(|source| EmbeddedError::DataDir {
        path: layout.log.clone(),
        source,
    })?;
    let mut command = starter.owner.command(&program, &layout.pgdata);
    command
        .arg("-D")
        .arg(&layout.pgdata)
        .arg("-k")
        .arg(&layout.socket_dir)
        .args(["-p", &PORT.to_string(), "-c", "listen_addresses="])
        .stdout(log)
        .stderr(log_err)
        // Its own process group: Ctrl-C in a terminal reaches Rolebase, which
        // drains its requests before stopping the cluster.
        .process_group(0);
    if durability == Durability::Throwaway {
        command.args([
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ]);
    }
    // Should this process die without stopping the cluster, the kernel tells
    // PostgreSQL to shut down. It runs after the switch of user, which would
    // otherwise clear the setting.
    unsafe {
        command
            .pre_exec(|| nix::sys::prctl::set_pdeathsig(Signal::SIGINT).map_err(io::Error::from));
    }
    Postmaster::spawn(command, program)
}

fn describe(status: std::process::ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("signal {signal}"),
        _ => status.to_string(),
    }
}

/// The last lines of PostgreSQL's log, to show why it stopped.
fn tail_of(log: &Path) -> String {
    let content = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = content.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::EmbeddedError;

    #[test]
    fn without_binaries_the_error_names_both_ways_on() {
        let message = EmbeddedError::NoBinaries.to_string();
        assert!(message.contains("install PostgreSQL"), "{message}");
        assert!(message.contains("DATABASE_URL"), "{message}");
        assert!(message.contains("docker compose up db"), "{message}");
    }
}
