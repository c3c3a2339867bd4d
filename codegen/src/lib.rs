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

mod build_script;
mod bundle;
pub mod emit;
mod error;
pub mod model;
pub mod naming;
mod objects;
pub mod output;
pub mod project;
pub mod read;
pub mod types;
pub mod unified;

// The command line's library half: what `sfgen login`, `fetch`, `diff` and
// `requirements` call (feature `cli`, on by default).
#[cfg(feature = "cli")]
pub mod connect;
#[cfg(feature = "cli")]
pub mod diff;
#[cfg(feature = "cli")]
pub mod fetch;
#[cfg(feature = "cli")]
pub mod login;
#[cfg(feature = "cli")]
pub mod manifest_write;
#[cfg(feature = "cli")]
pub mod requirements;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use build_script::Builder;
pub use emit::{Files, RuntimeDependency};
pub use error::{Error, IoError, Warning};
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
    /// Only these objects: API names or globs (`*__c`), matched ignoring case;
    /// all when `None`.
    pub objects: Option<Vec<String>>,
    /// How the generated crate reaches `sfgen-runtime`. When `None`: `../runtime`
    /// if `out/../runtime` is the `sfgen-runtime` crate, else a registry version.
    pub runtime: Option<RuntimeDependency>,
    /// The generated package's name.
    pub crate_name: String,
    /// The project file these options came from, if any: the regenerate hints
    /// name it instead of repeating every flag.
    pub project: Option<PathBuf>,
    /// Which unified CRM mappers to generate.
    pub unified: UnifiedSelection,
    /// What read records derive.
    pub derives: RecordDerives,
    /// Write into a directory that sfgen does not own (it still removes
    /// nothing it did not write).
    pub force: bool,
}

impl Default for Options {
    /// `--schemas schemas --out generated`, run from the sfgen workspace root.
    fn default() -> Self {
        Options {
            schemas: PathBuf::from("schemas"),
            out: PathBuf::from("generated"),
            objects: None,
            runtime: None,
            crate_name: "sfgen-generated".to_owned(),
            project: None,
            unified: UnifiedSelection::default(),
            derives: RecordDerives::default(),
            force: false,
        }
    }
}

impl Options {
    /// How the generated crate depends on `sfgen-runtime`.
    pub fn runtime_dependency(&self) -> RuntimeDependency {
        if let Some(runtime) = &self.runtime {
            return runtime.clone();
        }
        let sibling = self.out.join("..").join("runtime").join("Cargo.toml");
        if is_runtime_manifest(&sibling) {
            RuntimeDependency::Path("../runtime".to_owned())
        } else {
            RuntimeDependency::Version(RUNTIME_VERSION.to_owned())
        }
    }

    /// The `sfgen generate` command line that reproduces these options: the
    /// project file when there is one, else every flag that differs from the default.
    pub fn command_line(&self) -> String {
        if let Some(project) = &self.project {
            return format!("sfgen generate --project {}", project.display());
        }
        let mut cmd = format!(
            "sfgen generate --schemas {} --out {}",
            self.schemas.display(),
            self.out.display()
        );
        if let Some(objects) = &self.objects {
            cmd.push_str(&format!(" --objects {}", objects.join(",")));
        }
        if let Some(RuntimeDependency::Path(path)) = &self.runtime {
            cmd.push_str(&format!(" --runtime-path {path}"));
        }
        if self.crate_name != Options::default().crate_name {
            cmd.push_str(&format!(" --crate-name {}", self.crate_name));
        }
        cmd
    }
}

impl Options {
    /// What the generated crate tells a user to run when the org's schema has
    /// drifted: fetch and generate as this repository does it.
    pub fn regenerate_hint(&self) -> String {
        match &self.project {
            Some(project) => {
                let dir = project.parent().filter(|p| !p.as_os_str().is_empty());
                let dir = project::relative_to(dir.unwrap_or(Path::new(".")), &self.out);
                format!(
                    "sfgen fetch && sfgen generate, run where `{}` is (`{dir}` from the bindings crate `{}`)",
                    project.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                    self.crate_name
                )
            }
            None => format!(
                "sfgen fetch --schemas {} && {}",
                self.schemas.display(),
                self.command_line()
            ),
        }
    }
}

/// Which unified CRM mappers a crate gets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum UnifiedSelection {
    /// Every resource whose objects are generated (when the schemas hold a `unified.toml`).
    #[default]
    Auto,
    /// None.
    Off,
    /// Only these resources (`contact`, `deal`, …).
    Only(Vec<String>),
}

/// The derives on read records beyond `Debug` and `Deserialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordDerives {
    /// `Clone`.
    pub clone: bool,
    /// `PartialEq`.
    pub partial_eq: bool,
    /// `Serialize`, with the API names on the wire.
    pub serialize: bool,
}

impl Default for RecordDerives {
    /// All of them.
    fn default() -> Self {
        RecordDerives {
            clone: true,
            partial_eq: true,
            serialize: true,
        }
    }
}

impl RecordDerives {
    /// The derives a project file names: any of `Clone`, `PartialEq`, `Serialize`.
    pub fn from_names(names: &[String]) -> Result<Self, String> {
        let mut d = RecordDerives {
            clone: false,
            partial_eq: false,
            serialize: false,
        };
        for name in names {
            match name.as_str() {
                "Clone" => d.clone = true,
                "PartialEq" => d.partial_eq = true,
                "Serialize" => d.serialize = true,
                other => {
                    return Err(format!(
                        "`{other}` is not a derive sfgen offers on records; use any of `Clone`, `PartialEq`, `Serialize`"
                    ))
                }
            }
        }
        Ok(d)
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
    /// What the generator left out on purpose (unified resources whose objects
    /// are not generated), one line each.
    pub notes: Vec<String>,
}

/// Keeps only the objects `wanted` selects (names and globs, any case); fails
/// with [`Error::UnknownObject`] naming the closest object when one matches nothing.
pub(crate) fn select_objects(schemas: &mut read::Schemas, wanted: &[String]) -> Result<(), Error> {
    let known: Vec<String> = schemas
        .objects
        .iter()
        .map(|o| o.describe.name.clone())
        .collect();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let picked: HashSet<String> = objects::pick(&known, wanted)?
        .into_iter()
        .map(str::to_owned)
        .collect();
    schemas
        .objects
        .retain(|o| picked.contains(&o.describe.name));
    Ok(())
}

/// Reads the schemas and emits the crate in memory.
pub fn render(options: &Options) -> Result<Rendered, Error> {
    render_with_hint(options, options.regenerate_hint())
}

/// [`render`], with `regenerate` as what the schema-drift error tells a user to run.
pub(crate) fn render_with_hint(options: &Options, regenerate: String) -> Result<Rendered, Error> {
    naming::check_crate_name(&options.crate_name)?;
    let mut schemas = read::read_schemas(&options.schemas)?;
    let described: Vec<String> = schemas
        .objects
        .iter()
        .map(|o| o.describe.name.clone())
        .collect();
    if let Some(wanted) = &options.objects {
        select_objects(&mut schemas, wanted)?;
    }
    let model = model::build(&schemas);
    let only = match &options.unified {
        UnifiedSelection::Only(resources) => Some(resources.as_slice()),
        _ => None,
    };
    let unified = match options.unified {
        UnifiedSelection::Off => None,
        _ => {
            let scope = unified::Scope {
                described: described.iter().map(String::as_str).collect(),
                only,
            };
            unified::module(schemas.unified_spec.as_ref(), &model, &scope)?
        }
    };
    let spec = emit::CrateSpec {
        name: &options.crate_name,
        runtime: options.runtime_dependency(),
        derives: options.derives,
        unified: unified.is_some(),
        regenerate,
    };
    let mut files = emit::emit(&model, &spec)?;
    let mut notes = Vec::new();
    if let Some(unified) = unified {
        files.insert(unified::OUTPUT_FILE.to_owned(), unified.text);
        notes.extend(unified.left_out);
    }
    files.insert(output::OWNED_LIST.to_owned(), output::owned_list(&files));
    Ok(Rendered {
        files,
        objects: model.objects.len(),
        warnings: model.warnings,
        notes,
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
    /// What the generator left out on purpose, one line each.
    pub notes: Vec<String>,
}

/// Generates the crate into `options.out`, writing only files whose bytes
/// change and removing stale modules.
pub fn generate(options: &Options) -> Result<Report, Error> {
    let rendered = render(options)?;
    let written = output::write(&options.out, &rendered.files, options.force)?;
    Ok(Report {
        objects: rendered.objects,
        written,
        warnings: rendered.warnings,
        notes: rendered.notes,
    })
}

/// What [`check`] found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// How the crate on disk differs from what the schemas produce.
    pub diff: Diff,
    /// What the generator worked around.
    pub warnings: Vec<Warning>,
    /// What the generator left out on purpose, one line each.
    pub notes: Vec<String>,
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
        notes: rendered.notes,
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
            runtime: Some(RuntimeDependency::Path("../rt".into())),
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
            runtime: Some(RuntimeDependency::Path("/opt/rt".into())),
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
