//! Finding the PostgreSQL server binaries already installed on the machine.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// The folder holding both `initdb` and `postgres`: from PATH, then from
/// `pg_config --bindir`, then the newest `/usr/lib/postgresql/*/bin` (Debian
/// and Ubuntu keep the server binaries off PATH).
pub fn find_binaries() -> Option<PathBuf> {
    from_path()
        .or_else(from_pg_config)
        .or_else(from_debian_layout)
}

fn is_server_dir(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("postgres").is_file()
}

fn from_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        // `initdb` on PATH is often a link into the real folder.
        let initdb = dir.join("initdb").canonicalize().ok()?;
        let real_dir = initdb.parent()?;
        is_server_dir(real_dir).then(|| real_dir.to_owned())
    })
}

fn from_pg_config() -> Option<PathBuf> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    let dir = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    (output.status.success() && is_server_dir(&dir)).then_some(dir)
}

fn from_debian_layout() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            is_server_dir(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}
