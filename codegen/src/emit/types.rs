//! Rust tokens for model types and names. Every path is fully qualified, so an
//! object named `Option`, `Result`, `String` or `Field` cannot shadow it.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::quote;

use crate::model::{Field, FieldType, Object, TypePath};
use crate::naming;
use crate::types::Scalar;

/// A `proc_macro2::Ident` for a model name (raw when it is `r#…`).
pub fn ident(name: &naming::Ident) -> proc_macro2::Ident {
    match name.code.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, Span::call_site()),
        None => proc_macro2::Ident::new(&name.code, Span::call_site()),
    }
}

/// A plain identifier made by the emitter (`with_last_name`, `LAST_NAME`).
pub fn plain(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, Span::call_site())
}

/// `crate::<module>::<Type>`.
pub fn path(p: &TypePath) -> TokenStream {
    let module = ident(&p.module);
    let name = ident(&p.name);
    quote!(crate::#module::#name)
}

/// The Rust type of a scalar.
pub fn scalar(s: Scalar) -> TokenStream {
    match s {
        Scalar::String => quote!(::std::string::String),
        Scalar::Bool => quote!(bool),
        Scalar::I32 => quote!(i32),
        Scalar::I64 | Scalar::WholeNumber => quote!(i64),
        Scalar::F64 => quote!(f64),
        Scalar::Decimal => quote!(::sfgen_runtime::rust_decimal::Decimal),
        Scalar::Date => quote!(::sfgen_runtime::chrono::NaiveDate),
        Scalar::DateTime => quote!(::sfgen_runtime::SfDateTime),
        Scalar::Time => quote!(::sfgen_runtime::SfTime),
        Scalar::Address => quote!(::sfgen_runtime::Address),
        Scalar::Location => quote!(::sfgen_runtime::Location),
        Scalar::Json => quote!(::sfgen_runtime::serde_json::Value),
    }
}

/// The type of a field's value (without `Option`).
pub fn value(object: &Object, field: &Field) -> TokenStream {
    match &field.ty {
        FieldType::Scalar(s) => scalar(*s),
        FieldType::OwnId => {
            let record = ident(&object.record);
            quote!(::sfgen_runtime::Id<#record>)
        }
        FieldType::Id(target) => {
            let target = path(target);
            quote!(::sfgen_runtime::Id<#target>)
        }
        FieldType::RecordId { .. } => quote!(::sfgen_runtime::RecordId),
        FieldType::Picklist(i) => {
            let e = ident(&object.picklists[*i].ident);
            quote!(#e)
        }
        FieldType::MultiPicklist(i) => {
            let e = ident(&object.picklists[*i].ident);
            quote!(::sfgen_runtime::MultiPicklist<#e>)
        }
    }
}

/// `::std::option::Option<T>`.
pub fn option(inner: TokenStream) -> TokenStream {
    quote!(::std::option::Option<#inner>)
}

/// How a field's value crosses the wire, when not by its type's own serde impls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// The type's own `Serialize` / `Deserialize`.
    Plain,
    /// A whole number Salesforce writes as a double: `sfgen_runtime::number::whole`.
    Whole,
    /// A decimal as its exact text: `sfgen_runtime::number::exact`.
    Exact,
}

/// The codec of a field's value: one table for records, forms and columns.
pub fn codec(field: &Field) -> Codec {
    match field.ty {
        FieldType::Scalar(Scalar::WholeNumber) => Codec::Whole,
        FieldType::Scalar(Scalar::Decimal) => Codec::Exact,
        _ => Codec::Plain,
    }
}

/// Concatenates token streams, moving their tokens (interpolating a stream
/// with `#( … )*` copies every token, which dominates generation time).
pub fn concat(items: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let mut out = TokenStream::new();
    out.extend(items);
    out
}

/// `{ … }` around tokens. A group shares its tokens when `quote!` clones it,
/// so large bodies are interpolated without copying.
pub fn braced(tokens: TokenStream) -> Group {
    Group::new(Delimiter::Brace, tokens)
}
