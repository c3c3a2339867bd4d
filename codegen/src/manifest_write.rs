//! Writing `schemas/manifest.json` and describe files deterministically:
//! keys sorted at every level, two-space indentation, a trailing newline, and
//! files rewritten only when their bytes change (through a synced temporary
//! file and a rename).
//!
//! The manifest keeps every key it already had (hand-written notes, sources)
//! except where a fetch replaces an object's entry; [`crate::read`] ignores the
//! keys it does not use.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::read::MANIFEST_FILE;

/// What can go wrong reading or writing snapshot files.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file or directory could not be read or written.
    #[error(transparent)]
    Io(#[from] crate::error::IoError),
    /// A manifest entry names no API name, or a file outside the schemas directory.
    #[error(transparent)]
    Entry(Box<crate::Error>),
    /// The manifest is not a JSON object with an `objects` object.
    #[error("`{}` is not a schemas manifest: {reason}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// `value` with the keys of every object sorted (whatever map serde_json was built with).
pub fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// `value` pretty-printed with sorted keys and a trailing newline.
pub fn pretty(value: Value) -> String {
    // A `Value` always serializes.
    let mut text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
    text.push('\n');
    text
}

/// The SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes `bytes` to `path` unless the file already holds exactly them,
/// atomically (a synced temporary file renamed into place). Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
    Ok(crate::output::write_if_changed(path, bytes)?)
}

/// A schemas manifest as JSON, edited in place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManifestDoc {
    /// Every top-level key but `objects`.
    root: Map<String, Value>,
    /// The `objects` map.
    objects: Map<String, Value>,
}

/// One object's entry as a fetch writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedEntry {
    /// The describe file, relative to the schemas directory.
    pub file: String,
    /// The API version it was fetched with.
    pub api_version: String,
    /// The URL it was fetched from.
    pub source: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// The `Last-Modified` the org sent, for `If-Modified-Since` next time.
    pub last_modified: Option<String>,
}

/// Who and where a snapshot was fetched from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchedFrom {
    /// The API version.
    pub api_version: String,
    /// The instance URL.
    pub instance_url: String,
    /// The org id.
    pub org_id: Option<String>,
    /// The user whose permissions shaped the describes.
    pub username: Option<String>,
    /// That user's id.
    pub user_id: Option<String>,
}

impl ManifestDoc {
    /// The manifest in `dir`, or `None` when there is none.
    pub fn load(dir: &Path) -> Result<Option<ManifestDoc>, WriteError> {
        let path = dir.join(MANIFEST_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(WriteError::Io(crate::error::IoError {
                    action: "read",
                    path,
                    source,
                }))
            }
        };
        let malformed = |reason: String| WriteError::Malformed {
            path: path.clone(),
            reason,
        };
        let mut root =
            match serde_json::from_slice::<Value>(&bytes).map_err(|e| malformed(e.to_string()))? {
                Value::Object(root) => root,
                _ => return Err(malformed("not a JSON object".into())),
            };
        let objects = match root.remove("objects") {
            Some(Value::Object(objects)) => objects,
            _ => return Err(malformed("no `objects` object".into())),
        };
        for (object, entry) in &objects {
            // Without a `file`, a fetch writes `<object>.json`: the name alone is checked.
            let default = format!("{object}.json");
            let file = entry
                .get("file")
                .and_then(Value::as_str)
                .unwrap_or(&default);
            crate::read::check_entry(&path, object, file)
                .map_err(|e| WriteError::Entry(Box::new(e)))?;
        }
        Ok(Some(ManifestDoc { root, objects }))
    }

    /// The object names, sorted.
    pub fn object_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.objects.keys().cloned().collect();
        names.sort();
        names
    }

    /// A string key of an object's entry (`file`, `apiVersion`, `sha256`, `lastModified`).
    pub fn object_key(&self, object: &str, key: &str) -> Option<&str> {
        self.objects.get(object)?.get(key)?.as_str()
    }

    /// A top-level string key (`apiVersion`, `orgId`, `fetchedBy`, …).
    pub fn key(&self, key: &str) -> Option<&str> {
        self.root.get(key)?.as_str()
    }

    /// Replaces an object's entry with what a fetch knows.
    pub fn set_fetched(&mut self, object: &str, entry: &FetchedEntry) {
        let mut map = Map::new();
        map.insert("apiVersion".into(), entry.api_version.clone().into());
        map.insert("file".into(), entry.file.clone().into());
        if let Some(last_modified) = &entry.last_modified {
            map.insert("lastModified".into(), last_modified.clone().into());
        }
        map.insert("origin".into(), "org".into());
        map.insert("sha256".into(), entry.sha256.clone().into());
        map.insert("source".into(), entry.source.clone().into());
        self.objects.insert(object.to_owned(), Value::Object(map));
    }

    /// Removes an object's entry.
    pub fn remove(&mut self, object: &str) {
        self.objects.remove(object);
    }

    /// Records the API version, org, instance and user of a fetch.
    pub fn set_fetched_from(&mut self, from: &FetchedFrom) {
        let optional =
            |value: &Option<String>| value.clone().map(Value::from).unwrap_or(Value::Null);
        self.root
            .insert("apiVersion".into(), from.api_version.clone().into());
        self.root.insert("generatedBy".into(), "sfgen fetch".into());
        self.root
            .insert("instanceUrl".into(), from.instance_url.clone().into());
        self.root.insert("orgId".into(), optional(&from.org_id));
        self.root
            .insert("fetchedBy".into(), optional(&from.username));
        self.root
            .insert("fetchedByUserId".into(), optional(&from.user_id));
    }

    /// The manifest's text: sorted keys, pretty, trailing newline.
    pub fn render(&self) -> String {
        let mut root = self.root.clone();
        root.insert("objects".into(), Value::Object(self.objects.clone()));
        pretty(Value::Object(root))
    }

    /// Writes `manifest.json` into `dir` unless it already holds these bytes.
    pub fn write(&self, dir: &Path) -> Result<bool, WriteError> {
        write_if_changed(&dir.join(MANIFEST_FILE), self.render().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_at_every_level_and_unknown_keys_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join(MANIFEST_FILE),
            r#"{"objects":{"B":{"file":"B.json","note":"kept"}},"apiVersion":"59.0","zeta":1}"#,
        )
        .expect("write");
        let mut doc = ManifestDoc::load(dir.path())
            .expect("reads")
            .expect("present");
        doc.set_fetched(
            "A",
            &FetchedEntry {
                file: "A.json".into(),
                api_version: "62.0".into(),
                source: "https://x/services/data/v62.0/sobjects/A/describe".into(),
                sha256: "ab".into(),
                last_modified: Some("Tue, 01 Jan 2030 00:00:00 GMT".into()),
            },
        );
        let text = doc.render();
        assert!(text.ends_with("}\n"));
        let a = text.find("\"A\"").expect("A");
        let b = text.find("\"B\"").expect("B");
        assert!(a < b, "{text}");
        assert!(text.find("\"apiVersion\"").expect("k") < text.find("\"objects\"").expect("k"));
        assert!(text.contains("\"note\": \"kept\""));
        assert!(doc.write(dir.path()).expect("writes"));
        assert!(
            !doc.write(dir.path()).expect("writes"),
            "the same bytes are not written again"
        );
        let again = ManifestDoc::load(dir.path())
            .expect("reads")
            .expect("present");
        assert_eq!(
            again.object_key("A", "lastModified"),
            Some("Tue, 01 Jan 2030 00:00:00 GMT")
        );
        assert_eq!(again.object_names(), ["A", "B"]);
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
