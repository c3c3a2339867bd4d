//! What can stop `sfgen generate`, and the warnings it collects on the way.

use std::fmt;
use std::path::PathBuf;

/// Why reading describes or writing the generated crate failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error(transparent)]
    Io(#[from] IoError),
    /// A describe or manifest is not the JSON sfgen expects.
    #[error("`{}` is malformed at `{at}`: {reason}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The JSON path of the problem (`fields[3].type`), `.` for the whole document.
        at: String,
        /// What serde reported.
        reason: String,
    },
    /// A field lacks a key that required-ness depends on (as in trimmed describes).
    #[error(
        "`{}`: field `{field}` has no `{key}` key; sfgen needs it to decide required-ness \
         and will not guess (is this a trimmed describe? fetch the full \
         `/sobjects/<Object>/describe` response)",
        path.display()
    )]
    MissingKey {
        /// The describe file.
        path: PathBuf,
        /// The field's API name.
        field: String,
        /// The missing key, e.g. `createable`.
        key: &'static str,
    },
    /// A manifest entry names one object but its file describes another.
    #[error("manifest entry `{entry}` points at `{}`, which describes `{found}`", path.display())]
    NameMismatch {
        /// The manifest's key for the object.
        entry: String,
        /// The describe file.
        path: PathBuf,
        /// The describe's `name`.
        found: String,
    },
    /// Two describe files describe the same object.
    #[error("object `{object}` is described twice: in `{}` and in `{}`", first.display(), second.display())]
    DuplicateObject {
        /// The object's API name.
        object: String,
        /// The first file that describes it.
        first: PathBuf,
        /// The second file that describes it.
        second: PathBuf,
    },
    /// A name in a describe is not a Salesforce API name (it would go into a
    /// file name, Rust names and SOQL).
    #[error(
        "`{}`: {at} {} is not a Salesforce API name: it {problem}",
        path.display(),
        crate::read::shown(name)
    )]
    InvalidName {
        /// The describe file.
        path: PathBuf,
        /// Which name: "the object name", "object `Account`: the field name", …
        at: String,
        /// The name as read.
        name: String,
        /// Why it is refused.
        problem: String,
    },
    /// A manifest entry's `file` points outside the schemas directory.
    #[error(
        "`{}`: the file of object {} is {}, which is not a path inside the schemas directory: it {problem}",
        path.display(),
        crate::read::shown(object),
        crate::read::shown(file)
    )]
    OutsideSchemas {
        /// The manifest.
        path: PathBuf,
        /// The manifest's key for the object.
        object: String,
        /// The `file` entry.
        file: String,
        /// Why it is refused.
        problem: &'static str,
    },
    /// Two fields of one describe have the same API name, or names that differ
    /// only in case (Salesforce API names are case-insensitive).
    #[error(
        "`{}`: object `{object}` {}, and Salesforce API names are case-insensitive: they \
         are one field, which sfgen will not generate twice (remove one from the describe)",
        path.display(),
        same_names("field", first, second)
    )]
    DuplicateField {
        /// The describe file.
        path: PathBuf,
        /// The object's API name.
        object: String,
        /// The first field's API name.
        first: String,
        /// The second field's API name.
        second: String,
    },
    /// Two describes name objects that differ only in case.
    #[error(
        "objects `{first}` (in `{}`) and `{second}` (in `{}`) differ only in case; Salesforce \
         API names are case-insensitive, so they are one object (remove one of the describes)",
        first_path.display(),
        second_path.display()
    )]
    CaseCollision {
        /// The first object's API name.
        first: String,
        /// Its describe file.
        first_path: PathBuf,
        /// The second object's API name.
        second: String,
        /// Its describe file.
        second_path: PathBuf,
    },
    /// The generated package's name is not one Cargo accepts.
    #[error(
        "the crate name {} (`--crate-name`, or `crate-name` in the project file) is not a \
         package name Cargo accepts: it {problem}",
        crate::read::shown(name)
    )]
    InvalidCrateName {
        /// The name given.
        name: String,
        /// Why it is refused.
        problem: String,
    },
    /// The schemas directory holds no describe.
    #[error("`{}` holds no describe (`*.json` files or a `manifest.json`)", path.display())]
    NoDescribes {
        /// The schemas directory.
        path: PathBuf,
    },
    /// `--objects` names an object the schemas do not describe.
    #[error("`--objects` names `{object}`, which the schemas do not describe: {hint} (they describe: {available})")]
    UnknownObject {
        /// The requested API name or glob.
        object: String,
        /// What comes closest, or why it matches nothing.
        hint: String,
        /// The API names the schemas describe, comma-separated.
        available: String,
    },
    /// The output directory holds files sfgen did not write.
    #[error(
        "will not write the crate into `{}`: {reason} (found: {}); choose an empty \
         directory or one sfgen generated, or pass `--force` to write sfgen's files \
         there (sfgen then removes nothing it did not write)",
        dir.display(),
        list_some(found)
    )]
    ForeignOutput {
        /// The output directory.
        dir: PathBuf,
        /// What is there that sfgen did not write, relative to `dir`.
        found: Vec<String>,
        /// Why that stops the write.
        reason: &'static str,
    },
    /// The unified mapping spec (`unified.toml`) does not fit the describes.
    #[error(transparent)]
    Unified(#[from] crate::unified::UnifiedError),
    /// `Builder::generate_to_out_dir` ran outside a build script.
    #[error("`OUT_DIR` is not set: `generate_to_out_dir` runs in a build script (`build.rs`); elsewhere call `Builder::generate_to` with a directory")]
    NoOutDir,
    /// `Builder::module_path` is not a path from the crate root.
    #[error("`{path}` is not a module path from the crate root (`crate` or `crate::salesforce`): {reason}")]
    InvalidModulePath {
        /// What was given.
        path: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The generator produced code that does not parse: a bug in sfgen.
    #[error(
        "sfgen produced invalid Rust for `{file}` (a bug in sfgen, please report it): {reason}"
    )]
    InvalidOutput {
        /// The output file.
        file: String,
        /// What the parser reported.
        reason: String,
    },
}

/// "has the field `X` twice" or "has the fields `X` and `x`, whose names differ only in case".
fn same_names(what: &str, first: &str, second: &str) -> String {
    if first == second {
        format!("has the {what} `{first}` twice")
    } else {
        format!("has the {what}s `{first}` and `{second}`, whose names differ only in case")
    }
}

/// The first few names of a list, and how many more there are.
fn list_some(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// A file or directory could not be read or written: what was being done,
/// where, and (as its source) the operating system's reason. Every error type
/// of the generator and the CLI carries this one.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} `{}`", path.display())]
pub struct IoError {
    /// What was being done: "read", "write", "list", "remove", "create".
    pub action: &'static str,
    /// The file or directory.
    pub path: PathBuf,
    /// The operating system's reason.
    #[source]
    pub source: std::io::Error,
}

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| {
            Error::Io(crate::error::IoError {
                action,
                path,
                source,
            })
        }
    }
}

/// Something the generator worked around; generation still succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The describe file it concerns.
    pub path: PathBuf,
    /// The object's API name.
    pub object: String,
    /// The field's API name.
    pub field: String,
    /// What was done.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: {}.{}: {}",
            self.path.display(),
            self.object,
            self.field,
            self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io_error() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")
    }

    #[test]
    fn display_texts() {
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::Io(crate::error::IoError { action: "read", path: "schemas/A.json".into(), source: io_error() }),
                "cannot read `schemas/A.json`",
            ),
            (
                Error::Malformed {
                    path: "schemas/A.json".into(),
                    at: "fields[2].nillable".into(),
                    reason: "invalid type: string \"yes\", expected a boolean".into(),
                },
                "`schemas/A.json` is malformed at `fields[2].nillable`: invalid type: string \"yes\", expected a boolean",
            ),
            (
                Error::MissingKey { path: "t/Task.json".into(), field: "Id".into(), key: "createable" },
                "`t/Task.json`: field `Id` has no `createable` key; sfgen needs it to decide required-ness \
                 and will not guess (is this a trimmed describe? fetch the full `/sobjects/<Object>/describe` response)",
            ),
            (
                Error::NameMismatch { entry: "Account".into(), path: "s/Account.json".into(), found: "Contact".into() },
                "manifest entry `Account` points at `s/Account.json`, which describes `Contact`",
            ),
            (
                Error::DuplicateObject { object: "Account".into(), first: "a.json".into(), second: "b.json".into() },
                "object `Account` is described twice: in `a.json` and in `b.json`",
            ),
            (
                Error::NoDescribes { path: "empty".into() },
                "`empty` holds no describe (`*.json` files or a `manifest.json`)",
            ),
            (
                Error::UnknownObject { object: "Acount".into(), hint: "did you mean `Account`?".into(), available: "Account, Contact".into() },
                "`--objects` names `Acount`, which the schemas do not describe: did you mean `Account`? (they describe: Account, Contact)",
            ),
            (
                Error::InvalidOutput { file: "src/a.rs".into(), reason: "expected `;`".into() },
                "sfgen produced invalid Rust for `src/a.rs` (a bug in sfgen, please report it): expected `;`",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }

    #[test]
    fn warning_display() {
        let w = Warning {
            path: "s/X.json".into(),
            object: "X".into(),
            field: "Shape__c".into(),
            message: "unknown type `polygon`, generated as serde_json::Value".into(),
        };
        assert_eq!(
            w.to_string(),
            "`s/X.json`: X.Shape__c: unknown type `polygon`, generated as serde_json::Value"
        );
    }
}
