//! Build-script mode: bindings generated into `OUT_DIR` on every build, from
//! committed describes, the second way (beside a committed crate) that prost
//! and progenitor offer.
//!
//! ```no_run
//! // build.rs, in `fn main() -> Result<(), sfgen::Error>`
//! # fn main() -> Result<(), sfgen::Error> {
//! sfgen::Builder::new()
//!     .schemas("schemas")
//!     .objects(["Account", "Contact"])
//!     .generate_to_out_dir()?;
//! # Ok(())
//! # }
//! ```
//!
//! ```ignore
//! // src/lib.rs (or any module, with `Builder::module_path` naming it)
//! include!(concat!(env!("OUT_DIR"), "/sfgen.rs"));
//! ```
//!
//! The crate depends on `sfgen-runtime` (`default-features = false` is
//! enough for the types; add `features = ["client"]` to call an org, and
//! `"unified"` when the schemas hold a `unified.toml`) and on `serde` with
//! `derive`; `sfgen` itself is a build dependency with `default-features =
//! false`, which leaves out the command line and every HTTP, TLS and async crate.

use std::path::{Path, PathBuf};

use crate::{bundle, render_with_hint, Error, Options, RecordDerives, UnifiedSelection};

/// The file [`Builder::generate_to_out_dir`] writes unless told otherwise.
pub const DEFAULT_FILE: &str = "sfgen.rs";

/// Generates the bindings as one file for `include!`; see the module docs.
#[derive(Debug, Clone)]
pub struct Builder {
    options: Options,
    module_path: String,
    file_name: String,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// Every object in `schemas/` (relative to the crate being built), included
    /// at the crate root, written to `sfgen.rs`.
    pub fn new() -> Self {
        Builder {
            options: Options::default(),
            module_path: "crate".to_owned(),
            file_name: DEFAULT_FILE.to_owned(),
        }
    }

    /// The schemas directory: describes plus `manifest.json`, or describes alone.
    pub fn schemas(mut self, dir: impl Into<PathBuf>) -> Self {
        self.options.schemas = dir.into();
        self
    }

    /// Only these objects: API names or globs (`*__c`), matched ignoring case.
    pub fn objects<I, S>(mut self, objects: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.objects = Some(objects.into_iter().map(Into::into).collect());
        self
    }

    /// Which unified CRM mappers to generate (all that apply, by default).
    pub fn unified(mut self, unified: UnifiedSelection) -> Self {
        self.options.unified = unified;
        self
    }

    /// What read records derive beyond `Debug` and `Deserialize`.
    pub fn derives(mut self, derives: RecordDerives) -> Self {
        self.options.derives = derives;
        self
    }

    /// The module the file is included in, from the crate root: `crate` (the
    /// default) or e.g. `crate::salesforce` for
    /// `pub mod salesforce { include!(…); }`. The bindings' paths to each other
    /// start there.
    pub fn module_path(mut self, path: impl Into<String>) -> Self {
        self.module_path = path.into();
        self
    }

    /// The file name in the output directory (default `sfgen.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// The bindings as one file's text, without writing anything.
    pub fn render(&self) -> Result<String, Error> {
        let root: syn::Path =
            syn::parse_str(&self.module_path).map_err(|e| Error::InvalidModulePath {
                path: self.module_path.clone(),
                reason: e.to_string(),
            })?;
        if root.leading_colon.is_some() || root.segments.first().is_none_or(|s| s.ident != "crate")
        {
            return Err(Error::InvalidModulePath {
                path: self.module_path.clone(),
                reason: "it must start with `crate`".into(),
            });
        }
        let hint = format!(
            "sfgen fetch --schemas {} and build again (the build script regenerates the bindings)",
            self.options.schemas.display()
        );
        let rendered = render_with_hint(&self.options, hint)?;
        bundle::bundle(&rendered.files, &root)
    }

    /// Writes the file into `OUT_DIR` and tells Cargo to run the build script
    /// again when the schemas change. Returns the file's path.
    pub fn generate_to_out_dir(self) -> Result<PathBuf, Error> {
        let out = std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?;
        println!("cargo:rerun-if-changed={}", self.options.schemas.display());
        self.generate_to(Path::new(&out))
    }

    /// Writes the file into `dir` (only when its bytes change, atomically).
    /// Returns the file's path.
    pub fn generate_to(self, dir: &Path) -> Result<PathBuf, Error> {
        let text = self.render()?;
        let path = dir.join(&self.file_name);
        crate::output::write_if_changed(&path, text.as_bytes())?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
    }

    #[test]
    fn a_module_path_must_start_at_the_crate_root() {
        for bad in ["salesforce", "::crate", "crate::", "self::x"] {
            let err = Builder::new()
                .schemas(schemas())
                .module_path(bad)
                .render()
                .expect_err(bad);
            assert!(
                matches!(err, Error::InvalidModulePath { .. }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn outside_a_build_script_out_dir_is_missing() {
        if std::env::var_os("OUT_DIR").is_none() {
            let err = Builder::new()
                .schemas(schemas())
                .generate_to_out_dir()
                .expect_err("no OUT_DIR");
            assert!(matches!(err, Error::NoOutDir), "{err}");
        }
    }

    #[test]
    fn the_file_is_written_once_and_left_alone_when_unchanged() {
        let dir = std::env::temp_dir().join(format!("sfgen-builder-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let builder = Builder::new().schemas(schemas()).objects(["Account"]);
        let path = builder.clone().generate_to(&dir).expect("writes");
        let first = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime");
        let text = std::fs::read_to_string(&path).expect("reads");
        assert!(text.contains("pub mod account {"), "{}", &text[..200]);
        builder.generate_to(&dir).expect("writes again");
        let second = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(first, second, "unchanged bytes are not rewritten");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
