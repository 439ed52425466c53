//! The data directory's layout, and preparing it without giving the cluster's
//! user a way to redirect what this process does.
//!
//! Run as root, Rolebase runs PostgreSQL as the `postgres` user, which then
//! owns the cluster's files and could replace any of them with a symbolic
//! link. So the directory the user named is never re-owned or re-moded, and
//! every path inside it that this process touches is opened without
//! following symbolic links, then changed through the open handle.

use super::{EmbeddedError, Owner, PORT};
use nix::{sys::signal::kill, unistd::Pid};
use std::{
    fs::{self, File},
    io,
    os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
};

/// Unix socket paths are limited to 107 bytes on Linux.
const MAX_SOCKET_PATH: usize = 107;

/// Where things live inside the data directory.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    /// The directory the user named: theirs.
    pub root: PathBuf,
    /// PostgreSQL's data (`PGDATA`), owned by the cluster's user.
    pub pgdata: PathBuf,
    /// The cluster's Unix socket, owned by the cluster's user.
    pub socket_dir: PathBuf,
    /// PostgreSQL's output, written through a handle this process opens.
    pub log: PathBuf,
}

impl Layout {
    pub fn new(data_dir: &Path) -> Result<Self, EmbeddedError> {
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

    /// Creates what is missing. The root is created readable by all when
    /// PostgreSQL runs as another user (it must pass through), private
    /// otherwise; an existing root is left exactly as it is.
    pub fn prepare(&self, owner: &Owner) -> Result<(), EmbeddedError> {
        let failed = |path: &Path| {
            let path = path.to_owned();
            move |source| EmbeddedError::DataDir { path, source }
        };
        if !self.root.exists() {
            let mode = if owner.is_other() { 0o755 } else { 0o700 };
            fs::DirBuilder::new()
                .recursive(true)
                .mode(mode)
                .create(&self.root)
                .map_err(failed(&self.root))?;
        }
        owner
            .check_can_enter(&self.root)
            .map_err(failed(&self.root))?;
        for dir in [&self.pgdata, &self.socket_dir] {
            own_directory(dir, owner).map_err(failed(dir))?;
        }
        Ok(())
    }

    /// Opens the log for appending (creating it), refusing a symbolic link
    /// or a hard link to another file: PostgreSQL writes to the handle, so
    /// the file needs no other owner.
    pub fn open_log(&self) -> Result<File, EmbeddedError> {
        let failed = |source| EmbeddedError::DataDir {
            path: self.log.clone(),
            source,
        };
        let file = fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .custom_flags(nix::libc::O_NOFOLLOW)
            .open(&self.log)
            .map_err(|error| failed(explain_link(error)))?;
        let metadata = file.metadata().map_err(failed)?;
        if !metadata.is_file() || metadata.nlink() > 1 {
            return Err(failed(io::Error::other(
                "not a plain file of its own (a link to another file?); refusing to write to it",
            )));
        }
        Ok(file)
    }

    /// The pid in `postmaster.pid`, if that process is alive: the postmaster
    /// running on this data directory, whoever started it.
    pub fn live_postmaster(&self) -> Option<Pid> {
        self.postmaster_file().map(|file| file.pid)
    }

    /// The port of the postmaster running on this data directory, once it has
    /// said it is ready (line 8 of `postmaster.pid`), if its process is alive.
    pub fn running_port(&self) -> Option<u16> {
        self.postmaster_file()
            .filter(|file| file.ready)
            .and_then(|file| file.port)
    }

    /// What `postmaster.pid` says, if the process it names is alive. The
    /// file belongs to the cluster's user: a pid of 0 or below (which `kill`
    /// would take as a process group) names nothing.
    fn postmaster_file(&self) -> Option<PostmasterFile> {
        let content = fs::read_to_string(self.pgdata.join("postmaster.pid")).ok()?;
        let lines: Vec<&str> = content.lines().collect();
        let pid: i32 = lines.first()?.trim().parse().ok().filter(|pid| *pid > 0)?;
        let pid = Pid::from_raw(pid);
        kill(pid, None).ok()?;
        Some(PostmasterFile {
            pid,
            port: lines.get(3).and_then(|port| port.trim().parse().ok()),
            ready: lines.get(7).is_some_and(|status| status.trim() == "ready"),
        })
    }
}

/// The lines of `postmaster.pid` that tell who runs the cluster, and how.
struct PostmasterFile {
    pid: Pid,
    port: Option<u16>,
    ready: bool,
}

/// Makes `dir` a private directory of the cluster's user, creating it when
/// missing. The change goes through a handle opened with `O_NOFOLLOW`, so a
/// symbolic link put in its place is refused, never followed.
fn own_directory(dir: &Path, owner: &Owner) -> io::Result<()> {
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error),
    }
    // Said plainly here; the flags below keep a link swapped in meanwhile out.
    if fs::symlink_metadata(dir)?.file_type().is_symlink() {
        return Err(explain_link(io::Error::from_raw_os_error(nix::libc::ELOOP)));
    }
    let handle = fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_DIRECTORY)
        .open(dir)
        .map_err(explain_link)?;
    // PostgreSQL insists that its data directory be private.
    handle.set_permissions(fs::Permissions::from_mode(0o700))?;
    owner.take(&handle)
}

/// `O_NOFOLLOW` on a symbolic link fails with ELOOP, whose text ("too many
/// levels of symbolic links") would mislead.
fn explain_link(error: io::Error) -> io::Error {
    if error.raw_os_error() == Some(nix::libc::ELOOP) {
        io::Error::other("it is a symbolic link; refusing to follow it")
    } else {
        error
    }
}
