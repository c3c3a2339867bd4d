//! One object's `columns` module: a typed [`Column`] per field, which carries
//! the object, the value's Rust type and whether it can be null, so that
//! conditions, sort keys and projections built from it are checked by rustc.
//!
//! [`Column`]: https://docs.rs/sfgen-runtime/latest/sfgen_runtime/query/struct.Column.html

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{braced, concat, ident, is_whole_number, plain, value};
use crate::model::{Field, FieldType, Object};

/// `pub mod columns { … }` for `object`.
pub fn columns_module(object: &Object) -> TokenStream {
    let record = ident(&object.record);
    let doc = format!(
        " Typed columns of [`{}`], for conditions, sort keys and projections \
         that rustc checks (see `sfgen_runtime::query`).",
        object.record.code
    );
    let mut imports = vec![quote!(Column)];
    if object.fields.iter().any(|f| f.nillable) {
        imports.push(quote!(Nillable));
    }
    if object
        .fields
        .iter()
        .any(|f| is_whole_number(f) && !f.nillable)
    {
        imports.push(quote!(NotNull));
    }
    if object.fields.iter().any(is_whole_number) {
        imports.push(quote!(Whole));
    }
    let uses = quote!(use ::sfgen_runtime::query::{#(#imports),*};);
    let consts = object.fields.iter().map(|f| column(object, f, &record));
    let consts = braced(concat(std::iter::once(uses).chain(consts)));
    quote! {
        #[doc = #doc]
        pub mod columns #consts
    }
}

fn column(object: &Object, field: &Field, record: &proc_macro2::Ident) -> TokenStream {
    let name = plain(&field.ident.constant());
    let api = &field.api_name;
    let value = column_value(object, field, record);
    // `Column<O, V, K = NotNull, D = Plain>`: only what differs from the defaults.
    let params = match (field.nillable, is_whole_number(field)) {
        (false, false) => quote!(super::#record, #value),
        (true, false) => quote!(super::#record, #value, Nillable),
        (false, true) => quote!(super::#record, #value, NotNull, Whole),
        (true, true) => quote!(super::#record, #value, Nillable, Whole),
    };
    let doc = format!(" `{api}`.");
    quote! {
        #[doc = #doc]
        pub const #name: Column<#params> = Column::new(#api);
    }
}

/// The value type as seen from inside `columns` (the object's own items are
/// one module up).
fn column_value(object: &Object, field: &Field, record: &proc_macro2::Ident) -> TokenStream {
    match &field.ty {
        FieldType::OwnId => quote!(::sfgen_runtime::Id<super::#record>),
        FieldType::Picklist(i) => {
            let e = ident(&object.picklists[*i].ident);
            quote!(super::#e)
        }
        FieldType::MultiPicklist(i) => {
            let e = ident(&object.picklists[*i].ident);
            quote!(::sfgen_runtime::MultiPicklist<super::#e>)
        }
        _ => value(object, field),
    }
}
