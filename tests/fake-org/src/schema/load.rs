//! Reading describes from a schemas directory.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Error;

fn read_json(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Describe {
        origin: path.display().to_string(),
        reason: format!("not JSON: {e}"),
    })
}

/// The describe files a manifest lists (`{"objects": {"Account": {"file": "Account.json"}}}`).
fn manifest_files(dir: &Path, manifest: &Value) -> Result<Vec<PathBuf>, Error> {
    let objects = manifest
        .get("objects")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::Describe {
            origin: "manifest.json".into(),
            reason: "no `objects` map".into(),
        })?;
    objects
        .iter()
        .map(|(name, entry)| {
            let file =
                entry
                    .get("file")
                    .and_then(Value::as_str)
                    .ok_or_else(|| Error::Describe {
                        origin: "manifest.json".into(),
                        reason: format!("object {name} has no `file`"),
                    })?;
            Ok(dir.join(file))
        })
        .collect()
}

/// Every `*.json` file of `dir` except the manifest, sorted by name.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Read {
                path: dir.to_owned(),
                source,
            })?
            .path();
        let is_json = path.extension().is_some_and(|e| e == "json");
        let is_manifest = path.file_name().is_some_and(|n| n == "manifest.json");
        if is_json && !is_manifest {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads the describes of a schemas directory as `(file name, describe)` pairs.
pub fn load_dir(dir: &Path) -> Result<Vec<(String, Value)>, Error> {
    let manifest = dir.join("manifest.json");
    let files = if manifest.is_file() {
        manifest_files(dir, &read_json(&manifest)?)?
    } else {
        json_files(dir)?
    };
    if files.is_empty() {
        return Err(Error::NoDescribes(dir.to_owned()));
    }
    files
        .into_iter()
        .map(|path| {
            let describe = read_json(&path)?;
            Ok((path.display().to_string(), describe))
        })
        .collect()
}
