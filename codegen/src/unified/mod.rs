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
//! `catalog` describes it for the generator.

mod catalog;
mod emit;
mod error;
mod plan;
mod spec;
mod suggest;
mod validate;

use std::path::Path;

use proc_macro2::TokenStream;

pub use error::{Problem, UnifiedError};

use crate::model::Model;

/// The spec's file name in a schemas directory.
pub const SPEC_FILE: &str = "unified.toml";

/// The generated module's path in the crate.
pub const OUTPUT_FILE: &str = "src/unified.rs";

/// Checks a spec's text against the model; the emitted module's tokens, or every
/// problem in the spec's order.
pub fn render_source(source: &str, model: &Model) -> Result<TokenStream, Vec<Problem>> {
    let spec = spec::parse(source).map_err(|e| vec![e.locate(source)])?;
    let plan = validate::validate(&spec, model).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| e.locate(source))
            .collect::<Vec<_>>()
    })?;
    Ok(emit::unified_file(&plan))
}

/// Reads the spec at `path` and renders it (see [`render_source`]).
pub fn render(path: &Path, model: &Model) -> Result<TokenStream, UnifiedError> {
    let source = std::fs::read_to_string(path).map_err(|source| UnifiedError::Io {
        path: path.to_owned(),
        source,
    })?;
    render_source(&source, model).map_err(|problems| UnifiedError::Invalid {
        path: path.to_owned(),
        problems,
    })
}

/// Adds the unified mappers to a rendered crate when the schemas directory has
/// a spec: `src/unified.rs`, and its declaration at the end of `src/lib.rs`.
///
/// The mappers need every object the spec names, so callers skip this when
/// generating a subset of the objects.
pub fn add_to(files: &mut crate::Files, schemas: &Path, model: &Model) -> Result<(), crate::Error> {
    let path = schemas.join(SPEC_FILE);
    if !path.is_file() {
        return Ok(());
    }
    let tokens = render(&path, model)?;
    files.insert(OUTPUT_FILE.to_owned(), pretty(OUTPUT_FILE, tokens, true)?);
    let declaration = quote::quote! {
        /// Mappers between the unified CRM model and these objects (see `unified.toml`).
        #[rustfmt::skip]
        pub mod unified;
    };
    if let Some(lib) = files.get_mut("src/lib.rs") {
        lib.push('\n');
        lib.push_str(&pretty("src/lib.rs", declaration, false)?);
    }
    Ok(())
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
