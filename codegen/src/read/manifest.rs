//! `schemas/manifest.json`: the snapshot's API version and where each describe came from.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::Error;

/// The manifest's file name inside a schemas directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The manifest. Unknown keys (org id, instance, user, …) are ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The API version the snapshot was taken with.
    #[serde(default)]
    pub api_version: Option<String>,
    /// One entry per object, keyed by API name.
    pub objects: BTreeMap<String, ManifestEntry>,
}

/// Where one object's describe is and came from.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestEntry {
    /// The describe file, relative to the schemas directory.
    pub file: String,
    /// The API version of this describe.
    #[serde(default)]
    pub api_version: Option<String>,
    /// `recording`, `hand-written`, `org`, …
    #[serde(default)]
    pub origin: Option<String>,
}

impl Manifest {
    /// Reads a manifest file.
    /// Reads a manifest file, refusing an object name that is not an API name
    /// and a `file` outside the schemas directory.
    pub fn read(path: &Path) -> Result<Manifest, Error> {
        let bytes = std::fs::read(path).map_err(Error::io("read", path))?;
        let manifest: Manifest = crate::read::parse_json(path, &bytes)?;
        for (object, entry) in &manifest.objects {
            check_entry(path, object, &entry.file)?;
        }
        Ok(manifest)
    }
}

/// Checks one manifest entry: its key is an API name and its `file` a path
/// inside the schemas directory. `path` is the manifest, for the error.
pub fn check_entry(path: &Path, object: &str, file: &str) -> Result<(), Error> {
    if let Some(problem) = super::api_name_problem(object) {
        return Err(Error::InvalidName {
            path: path.to_owned(),
            at: "the object name".to_owned(),
            name: object.to_owned(),
            problem,
        });
    }
    match super::manifest_file_problem(file) {
        None => Ok(()),
        Some(problem) => Err(Error::OutsideSchemas {
            path: path.to_owned(),
            object: object.to_owned(),
            file: file.to_owned(),
            problem,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_ignored() {
        let json = r#"{"apiVersion":"59.0","generatedBy":"x","orgId":"00D","instanceUrl":"https://x",
            "objects":{"Account":{"file":"Account.json","apiVersion":"46.0","origin":"recording",
            "source":"s","note":"n","sha256":"ab","fetchedAt":"later"}}}"#;
        let m: Manifest =
            crate::read::parse_json(Path::new("manifest.json"), json.as_bytes()).expect("valid");
        assert_eq!(m.api_version.as_deref(), Some("59.0"));
        assert_eq!(m.objects["Account"].file, "Account.json");
        assert_eq!(m.objects["Account"].origin.as_deref(), Some("recording"));
    }

    #[test]
    fn a_file_outside_the_schemas_directory_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(MANIFEST_FILE);
        for (file, problem) in [
            ("../../x.json", "has an empty, `.` or `..` part"),
            ("/abs/x.json", "is absolute"),
        ] {
            let json = format!(r#"{{"objects":{{"Account":{{"file":"{file}"}}}}}}"#);
            std::fs::write(&path, json).expect("writes");
            let err = Manifest::read(&path).expect_err("refused");
            assert_eq!(
                err.to_string(),
                format!(
                    "`{}`: the file of object \"Account\" is \"{file}\", which is not a path inside \
                     the schemas directory: it {problem}",
                    path.display()
                )
            );
        }
        std::fs::write(&path, r#"{"objects":{"../x":{"file":"x.json"}}}"#).expect("writes");
        let err = Manifest::read(&path).expect_err("refused");
        assert!(matches!(err, Error::InvalidName { .. }), "{err}");
    }

    #[test]
    fn a_missing_file_key_is_named() {
        let json = r#"{"objects":{"Account":{"apiVersion":"46.0"}}}"#;
        let err = crate::read::parse_json::<Manifest>(Path::new("manifest.json"), json.as_bytes())
            .expect_err("file is required");
        assert_eq!(
            err.to_string(),
            "`manifest.json` is malformed at `objects.Account`: missing field `file` at line 1 column 43"
        );
    }
}
