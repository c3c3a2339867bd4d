//! Writing the generated crate: only files whose bytes change, removing stale
//! modules; and comparing it with what is on disk for `--check`.

use std::path::Path;

use crate::emit::Files;
use crate::Error;

/// How the files on disk differ from the generated ones (paths relative to the crate).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// On disk with other bytes.
    pub changed: Vec<String>,
    /// Generated but not on disk.
    pub missing: Vec<String>,
    /// `src/*.rs` on disk that the generator no longer produces.
    pub stale: Vec<String>,
}

impl Diff {
    /// Whether disk and generator agree.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.stale.is_empty()
    }
}

/// What [`write`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or rewritten.
    pub written: Vec<String>,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Stale modules removed.
    pub removed: Vec<String>,
}

/// The generator owns `Cargo.toml` and every `src/*.rs` of the crate.
fn owned_on_disk(out: &Path) -> Result<Vec<String>, Error> {
    let src = out.join("src");
    if !src.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&src).map_err(Error::io("list", &src))? {
        let path = entry.map_err(Error::io("list", &src))?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                found.push(format!("src/{name}"));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Io {
            action: "read",
            path: path.to_owned(),
            source: e,
        }),
    }
}

/// Compares generated files with the crate at `out`.
pub fn diff(out: &Path, files: &Files) -> Result<Diff, Error> {
    let mut d = Diff::default();
    for (rel, text) in files {
        match read_if_exists(&out.join(rel))? {
            None => d.missing.push(rel.clone()),
            Some(bytes) if bytes != text.as_bytes() => d.changed.push(rel.clone()),
            Some(_) => {}
        }
    }
    d.stale = owned_on_disk(out)?
        .into_iter()
        .filter(|rel| !files.contains_key(rel))
        .collect();
    Ok(d)
}

/// Writes files whose bytes differ and removes stale modules.
pub fn write(out: &Path, files: &Files) -> Result<Written, Error> {
    let src = out.join("src");
    std::fs::create_dir_all(&src).map_err(Error::io("create", &src))?;
    let mut w = Written::default();
    for (rel, text) in files {
        let path = out.join(rel);
        if read_if_exists(&path)?.as_deref() == Some(text.as_bytes()) {
            w.unchanged += 1;
        } else {
            std::fs::write(&path, text).map_err(Error::io("write", &path))?;
            w.written.push(rel.clone());
        }
    }
    for rel in owned_on_disk(out)? {
        if !files.contains_key(&rel) {
            let path = out.join(&rel);
            std::fs::remove_file(&path).map_err(Error::io("remove", &path))?;
            w.removed.push(rel);
        }
    }
    Ok(w)
}
