//! A private PostgreSQL cluster, started from the PostgreSQL binaries already on
//! the machine, for when no `DATABASE_URL` is given.
//!
//! The cluster lives in a data directory of its own (`<data-dir>/pg`) and listens
//! only on a Unix socket in `<data-dir>/run`, so nothing else on the machine can
//! reach it over the network. PostgreSQL refuses to run as root; started as root,
//! the cluster is run as the `postgres` system user instead.

mod binaries;

use nix::{
    sys::signal::{Signal, kill},
    unistd::{Pid, User, chown},
};
use std::{
    fs, io,
    os::unix::{
        fs::PermissionsExt,
        process::{CommandExt, ExitStatusExt},
    },
    path::{Path, PathBuf},
    process::{Command, ExitStatus, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

pub use binaries::find_binaries;

/// The port number names the socket file; the socket directory is private, so
/// the default never clashes with another server.
const PORT: u16 = 5432;
/// The superuser `initdb` creates, whoever runs it.
pub const SUPERUSER: &str = "postgres";
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// Unix socket paths are limited to 107 bytes on Linux.
const MAX_SOCKET_PATH: usize = 107;

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
        "the data directory {path} is too long for PostgreSQL's socket (at most {MAX_SOCKET_PATH} bytes): choose a shorter --data-dir"
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
    /// The postmaster this process started, if it did.
    postmaster: Option<Postmaster>,
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
            return Ok(Self {
                socket_dir: layout.socket_dir,
                port,
                postmaster: None,
            });
        }
        let bin_dir = find_binaries().ok_or(EmbeddedError::NoBinaries)?;
        let owner = Owner::for_current_user()?;
        layout.prepare(&owner)?;
        if !layout.pgdata.join("PG_VERSION").exists() {
            initdb(&bin_dir, &layout, &owner, durability)?;
        }
        let postmaster = start_postgres(&bin_dir, &layout, &owner, durability)?;
        let mut cluster = Self {
            socket_dir: layout.socket_dir.clone(),
            port: PORT,
            postmaster: Some(postmaster),
        };
        cluster.wait_until_ready(&layout)?;
        tracing::info!(data_dir = %data_dir.display(), "started the embedded PostgreSQL cluster");
        Ok(cluster)
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

    /// Asks PostgreSQL for a fast shutdown (SIGINT: roll back open transactions,
    /// write a checkpoint) and waits for it.
    pub fn stop(&mut self) {
        if let Some(postmaster) = self.postmaster.take()
            && kill(postmaster.pid, Signal::SIGINT).is_ok()
        {
            postmaster.wait();
            tracing::info!("stopped the embedded PostgreSQL cluster");
        }
    }

    fn wait_until_ready(&mut self, layout: &Layout) -> Result<(), EmbeddedError> {
        let started = Instant::now();
        loop {
            if self.postmaster.as_ref().is_some_and(Postmaster::exited) {
                let status = self
                    .postmaster
                    .take()
                    .map(Postmaster::wait)
                    .unwrap_or_default();
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
                self.stop();
                return Err(EmbeddedError::NotReady {
                    seconds: READY_TIMEOUT.as_secs(),
                    log: layout.log.clone(),
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

/// Where things live inside the data directory.
struct Layout {
    root: PathBuf,
    pgdata: PathBuf,
    socket_dir: PathBuf,
    log: PathBuf,
}

impl Layout {
    fn new(data_dir: &Path) -> Result<Self, EmbeddedError> {
        let root = std::path::absolute(data_dir).map_err(|source| EmbeddedError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let socket_dir = root.join("run");
        if socket_dir
            .join(format!(".s.PGSQL.{PORT}"))
            .as_os_str()
            .len()
            > MAX_SOCKET_PATH
        {
            return Err(EmbeddedError::PathTooLong { path: root });
        }
        Ok(Self {
            pgdata: root.join("pg"),
            log: root.join("postgres.log"),
            socket_dir,
            root,
        })
    }

    fn prepare(&self, owner: &Owner) -> Result<(), EmbeddedError> {
        for dir in [&self.root, &self.pgdata, &self.socket_dir] {
            let failed = |source| EmbeddedError::DataDir {
                path: dir.to_owned(),
                source,
            };
            fs::create_dir_all(dir).map_err(failed)?;
            // PostgreSQL insists that its data directory be private.
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(failed)?;
            owner.take(dir).map_err(failed)?;
        }
        if !self.log.exists() {
            fs::write(&self.log, b"").map_err(|source| EmbeddedError::DataDir {
                path: self.log.clone(),
                source,
            })?;
        }
        owner
            .take(&self.log)
            .map_err(|source| EmbeddedError::DataDir {
                path: self.log.clone(),
                source,
            })
    }

    /// The port of the postmaster running on this data directory, once it has
    /// said it is ready (line 8 of `postmaster.pid`), if its process is alive.
    fn running_port(&self) -> Option<u16> {
        let content = fs::read_to_string(self.pgdata.join("postmaster.pid")).ok()?;
        let lines: Vec<&str> = content.lines().collect();
        let pid: i32 = lines.first()?.trim().parse().ok()?;
        let port: u16 = lines.get(3)?.trim().parse().ok()?;
        let ready = lines.get(7).is_some_and(|status| status.trim() == "ready");
        let alive = kill(Pid::from_raw(pid), None).is_ok();
        (ready && alive).then_some(port)
    }
}

/// The user the cluster's processes and files belong to.
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

    fn take(&self, path: &Path) -> io::Result<()> {
        match &self.other {
            Some(user) => chown(path, Some(user.uid), Some(user.gid)).map_err(io::Error::from),
            None => Ok(()),
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

fn initdb(
    bin_dir: &Path,
    layout: &Layout,
    owner: &Owner,
    durability: Durability,
) -> Result<(), EmbeddedError> {
    let program = bin_dir.join("initdb");
    let mut command = owner.command(&program, &layout.root);
    command.arg("--pgdata").arg(&layout.pgdata).args([
        "--username",
        SUPERUSER,
        "--auth",
        "trust",
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
    bin_dir: &Path,
    layout: &Layout,
    owner: &Owner,
    durability: Durability,
) -> Result<Postmaster, EmbeddedError> {
    let program = bin_dir.join("postgres");
    let log = fs::OpenOptions::new()
        .append(true)
        .open(&layout.log)
        .map_err(|source| EmbeddedError::DataDir {
            path: layout.log.clone(),
            source,
        })?;
    let log_err = log.try_clone().map_err(|source| EmbeddedError::DataDir {
        path: layout.log.clone(),
        source,
    })?;
    let mut command = owner.command(&program, &layout.root);
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
