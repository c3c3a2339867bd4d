//! The unified CRM mappers: `schemas/unified.toml` → checked `plan` → `src/unified.rs`.
//!
//! 1. `spec`: the TOML file into serde types that keep every value's position;
//! 2. `validate`: the spec against the model (objects, fields, types,
//!    createable / updateable, required fields) into a plan, or every problem
//!    with its line and fix;
//! 3. `emit`: the plan into tokens. Like the object emitter it reads only the
//!    model (through the plan), never the describes.
//!
//! The unified model itself is hand-written in `sfgen_runtime::unified`;
//! `sfgen_runtime::unified::catalog` describes it for the generator.

mod emit;
mod error;
mod plan;
mod spec;
mod suggest;
mod validate;

use std::path::Path;

use proc_macro2::TokenStream;

pub use error::{Problem, UnifiedError};
pub(crate) use suggest::closest;

use crate::model::Model;
use crate::read::SpecFile;

/// The spec's file name in a schemas directory.
pub const SPEC_FILE: &str = "unified.toml";

/// The default spec, for the default objects (the same text as the sfgen
/// workspace's `schemas/unified.toml`, which a test keeps equal).
pub const DEFAULT_SPEC: &str = include_str!("default.toml");

/// Writes [`DEFAULT_SPEC`] to `path` unless a file is there; whether it wrote.
pub fn write_default_spec(path: &Path) -> Result<bool, UnifiedError> {
    let io = |source| {
        UnifiedError::Io(crate::error::IoError {
            action: "write",
            path: path.to_owned(),
            source,
        })
    };
    if path.exists() {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(io(e)),
    };
    use std::io::Write as _;
    file.write_all(DEFAULT_SPEC.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(true)
}

/// The generated module's path in the crate.
pub const OUTPUT_FILE: &str = "src/unified.rs";

pub use validate::Scope;

/// The unified module of a crate: its text and what was left out.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `src/unified.rs`.
    pub text: String,
    /// One line per resource left out, saying why.
    pub left_out: Vec<String>,
}

/// Checks a spec's text against the model; the emitted module's tokens and the
/// resources left out, or every problem in the spec's order.
pub fn render_source(
    source: &str,
    model: &Model,
    scope: &Scope<'_>,
) -> Result<(TokenStream, Vec<String>), Vec<Problem>> {
    let spec = spec::parse(source).map_err(|e| vec![e.locate(source)])?;
    let plan = validate::validate(&spec, model, scope).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| e.locate(source))
            .collect::<Vec<_>>()
    })?;
    Ok((emit::unified_file(&plan), plan.left_out))
}

/// Renders a spec read with the schemas (see [`render_source`]).
pub fn render(
    spec: &SpecFile,
    model: &Model,
    scope: &Scope<'_>,
) -> Result<(TokenStream, Vec<String>), UnifiedError> {
    render_source(&spec.text, model, scope).map_err(|problems| UnifiedError::Invalid {
        path: spec.path.clone(),
        problems,
    })
}

/// The unified module for the spec the schemas were read with, when there is
/// one and it maps at least one generated resource.
pub fn module(
    spec: Option<&SpecFile>,
    model: &Model,
    scope: &Scope<'_>,
) -> Result<Option<Rendered>, crate::Error> {
    let Some(spec) = spec else {
        return Ok(None);
    };
    let (tokens, left_out) = render(spec, model, scope)?;
    let text = pretty(OUTPUT_FILE, tokens, true)?;
    Ok(Some(Rendered { text, left_out }))
}

/// Pretty-prints tokens as a file, under the generated-file header when asked.
fn pretty(file: &str, tokens: TokenStream, header: bool) -> Result<String, crate::Error> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| crate::Error::InvalidOutput {
        file: file.to_owned(),
        reason: e.to_string(),
    })?;
    let text = prettyplease::unparse(&parsed);
    Ok(if header {
        format!("{}{text}", crate::emit::HEADER)
    } else {
        text
    })
}
