//! sfgen: typed Rust bindings for a Salesforce org, generated from its
//! describe metadata.
//!
//! The generator runs in stages joined by types:
//!
//! 1. [`read`]: describe JSON and the schemas manifest into serde types, with
//!    the keys required-ness depends on checked;
//! 2. [`model`]: plain structs with every Rust name ([`naming`]), Rust type
//!    ([`types`]) and required-ness decided;
//! 3. [`emit`]: the model into `quote!` tokens, `syn::File`s and prettyplease text;
//! 4. writing: only files whose bytes change, stale modules removed.
//!
//! [`generate`] runs them all and writes the crate; [`check`] compares it with
//! what is on disk; [`render`] returns the files without touching the disk.

pub mod connect;
pub mod diff;
pub mod emit;
mod error;
pub mod fetch;
pub mod login;
pub mod manifest_write;
pub mod model;
pub mod naming;
mod output;
pub mod read;
pub mod requirements;
pub mod types;
pub mod unified;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use emit::{Files, RuntimeDependency};
pub use error::{Error, Warning};
pub use output::{Diff, Written};

/// The runtime version a generated crate asks for when it does not use a local checkout.
pub const RUNTIME_VERSION: &str = "0.1";

/// What to generate and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The schemas directory: describes plus `manifest.json`, or describes alone.
    pub schemas: PathBuf,
    /// The generated crate's directory.
    pub out: PathBuf,
    /// Only these objects (API names); all when `None`.
    pub objects: Option<Vec<String>>,
    /// The path of `sfgen-runtime` as written in the generated `Cargo.toml`
    /// (relative to `out`, as Cargo reads it). When `None`: `../runtime` if
    /// `out/../runtime` is the `sfgen-runtime` crate, else a registry version.
    pub runtime_path: Option<String>,
    /// The generated package's name.
    pub crate_name: String,
}

impl Default for Options {
    /// `--schemas schemas --out generated`, run from the sfgen workspace root.
    fn default() -> Self {
        Options {
            schemas: PathBuf::from("schemas"),
            out: PathBuf::from("generated"),
            objects: None,
            runtime_path: None,
            crate_name: "sfgen-generated".to_owned(),
        }
    }
}

impl Options {
    /// How the generated crate depends on `sfgen-runtime`.
    pub fn runtime_dependency(&self) -> RuntimeDependency {
        if let Some(path) = &self.runtime_path {
            return RuntimeDependency::Path(path.clone());
        }
        let sibling = self.out.join("..").join("runtime").join("Cargo.toml");
        if is_runtime_manifest(&sibling) {
            RuntimeDependency::Path("../runtime".to_owned())
        } else {
            RuntimeDependency::Version(RUNTIME_VERSION.to_owned())
        }
    }

    /// The `sfgen generate` command line for these options.
    pub fn command_line(&self) -> String {
        let mut cmd = format!(
            "sfgen generate --schemas {} --out {}",
            self.schemas.display(),
            self.out.display()
        );
        if let Some(objects) = &self.objects {
            cmd.push_str(&format!(" --objects {}", objects.join(",")));
        }
        if let Some(path) = &self.runtime_path {
            cmd.push_str(&format!(" --runtime-path {path}"));
        }
        if self.crate_name != Options::default().crate_name {
            cmd.push_str(&format!(" --crate-name {}", self.crate_name));
        }
        cmd
    }
}

fn is_runtime_manifest(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| {
        text.lines()
            .any(|l| l.replace(' ', "") == "name=\"sfgen-runtime\"")
    })
}

/// The generated files, before anything is written.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Files by path relative to the crate directory.
    pub files: Files,
    /// How many objects were generated.
    pub objects: usize,
    /// What the generator worked around.
    pub warnings: Vec<Warning>,
}

/// Fails with [`Error::UnknownObject`] (listing the objects there are) when
/// `wanted` names an object the schemas do not describe. Sets, so that picking
/// k of n objects costs O(n + k), not O(n × k).
pub(crate) fn check_known_objects(schemas: &read::Schemas, wanted: &[String]) -> Result<(), Error> {
    let known: HashSet<&str> = schemas
        .objects
        .iter()
        .map(|o| o.describe.name.as_str())
        .collect();
    match wanted.iter().find(|name| !known.contains(name.as_str())) {
        Some(name) => {
            let available: Vec<&str> = schemas
                .objects
                .iter()
                .map(|o| o.describe.name.as_str())
                .collect();
            Err(Error::UnknownObject {
                object: name.clone(),
                available: available.join(", "),
            })
        }
        None => Ok(()),
    }
}

/// Reads the schemas and emits the crate in memory.
pub fn render(options: &Options) -> Result<Rendered, Error> {
    let mut schemas = read::read_schemas(&options.schemas)?;
    if let Some(wanted) = &options.objects {
        check_known_objects(&schemas, wanted)?;
        let wanted: HashSet<&str> = wanted.iter().map(String::as_str).collect();
        schemas
            .objects
            .retain(|o| wanted.contains(o.describe.name.as_str()));
    }
    let model = model::build(&schemas);
    let mut files = emit::emit(&model, &options.crate_name, &options.runtime_dependency())?;
    if options.objects.is_none() {
        unified::add_to(&mut files, &options.schemas, &model)?;
    }
    Ok(Rendered {
        files,
        objects: model.objects.len(),
        warnings: model.warnings,
    })
}

/// What [`generate`] did.
#[derive(Debug, Clone)]
pub struct Report {
    /// How many objects were generated.
    pub objects: usize,
    /// The files written, removed or left alone.
    pub written: Written,
    /// What the generator worked around.
    pub warnings: Vec<Warning>,
}

/// Generates the crate into `options.out`, writing only files whose bytes
/// change and removing stale modules.
pub fn generate(options: &Options) -> Result<Report, Error> {
    let rendered = render(options)?;
    let written = output::write(&options.out, &rendered.files)?;
    Ok(Report {
        objects: rendered.objects,
        written,
        warnings: rendered.warnings,
    })
}

/// What [`check`] found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// How the crate on disk differs from what the schemas produce.
    pub diff: Diff,
    /// What the generator worked around.
    pub warnings: Vec<Warning>,
    /// The command that brings the crate up to date.
    pub fix_command: String,
}

impl CheckReport {
    /// Whether the crate on disk is what the schemas produce.
    pub fn is_clean(&self) -> bool {
        self.diff.is_empty()
    }
}

/// Compares the crate in `options.out` with what the schemas produce, writing nothing.
pub fn check(options: &Options) -> Result<CheckReport, Error> {
    let rendered = render(options)?;
    let diff = output::diff(&options.out, &rendered.files)?;
    Ok(CheckReport {
        diff,
        warnings: rendered.warnings,
        fix_command: options.command_line(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_reproduces_the_options() {
        assert_eq!(
            Options::default().command_line(),
            "sfgen generate --schemas schemas --out generated"
        );
        let options = Options {
            objects: Some(vec!["Account".into(), "Contact".into()]),
            runtime_path: Some("../rt".into()),
            crate_name: "my-org".into(),
            ..Options::default()
        };
        assert_eq!(
            options.command_line(),
            "sfgen generate --schemas schemas --out generated --objects Account,Contact --runtime-path ../rt --crate-name my-org"
        );
    }

    #[test]
    fn runtime_dependency_defaults() {
        let explicit = Options {
            runtime_path: Some("/opt/rt".into()),
            ..Options::default()
        };
        assert_eq!(
            explicit.runtime_dependency(),
            RuntimeDependency::Path("/opt/rt".into())
        );
        let nowhere = Options {
            out: PathBuf::from("/nonexistent/out"),
            ..Options::default()
        };
        assert_eq!(
            nowhere.runtime_dependency(),
            RuntimeDependency::Version(RUNTIME_VERSION.into())
        );
        // This crate's sibling `generated/` sits next to `runtime/`.
        let here = Options {
            out: Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated"),
            ..Options::default()
        };
        assert_eq!(
            here.runtime_dependency(),
            RuntimeDependency::Path("../runtime".into())
        );
    }
}
