//! Where the knowledge-base files come from: the copy built into the binary,
//! or a folder on disk.

use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../data");

#[derive(Debug, Clone)]
pub enum KnowledgeBaseSource {
    BuiltIn,
    Folder(PathBuf),
}

impl KnowledgeBaseSource {
    pub fn from_setting(folder: Option<PathBuf>) -> Self {
        folder.map_or(Self::BuiltIn, Self::Folder)
    }
}

impl std::fmt::Display for KnowledgeBaseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BuiltIn => f.write_str("the built-in knowledge base"),
            Self::Folder(path) => write!(f, "the knowledge base in {}", path.display()),
        }
    }
}

/// The `.toml` files, as (path relative to the folder with `/` separators,
/// content), sorted by path.
pub fn read_files(source: &KnowledgeBaseSource) -> std::io::Result<Vec<(String, String)>> {
    let mut files = match source {
        KnowledgeBaseSource::BuiltIn => built_in(&BUILT_IN),
        KnowledgeBaseSource::Folder(root) => {
            let mut files = Vec::new();
            from_folder(root, root, &mut files)?;
            files
        }
    };
    files.sort();
    Ok(files)
}

fn is_toml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension == "toml")
}

fn built_in(dir: &Dir<'static>) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = dir
        .files()
        .filter(|file| is_toml(file.path()))
        .map(|file| {
            let path = file.path().to_string_lossy().replace('\\', "/");
            (path, String::from_utf8_lossy(file.contents()).into_owned())
        })
        .collect();
    for sub in dir.dirs() {
        files.extend(built_in(sub));
    }
    files
}

fn from_folder(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|error| with_path(error, dir))? {
        let path = entry?.path();
        if path.is_dir() {
            from_folder(root, &path, files)?;
        } else if is_toml(&path) {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).map_err(|error| with_path(error, &path))?;
            files.push((relative, text));
        }
    }
    Ok(())
}

fn with_path(error: std::io::Error, path: &Path) -> std::io::Error {
    std::io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}
