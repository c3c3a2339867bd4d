//! One object's `columns` module: a typed [`Column`] per field, which carries
//! the object, the value's Rust type and whether it can be null, so that
//! conditions, sort keys and projections built from it are checked by rustc.
//!
//! [`Column`]: https://docs.rs/sfgen-runtime/latest/sfgen_runtime/query/struct.Column.html

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{braced, codec, concat, ident, plain, value, Codec};
use crate::model::{Field, FieldType, Object};

/// `pub mod columns { … }` for `object`.
pub fn columns_module(object: &Object) -> TokenStream {
    let record = ident(&object.record);
    let doc = format!(
        " Typed columns of [`{}`], for conditions, sort keys and projections \
         that rustc checks (see `sfgen_runtime::query`).",
        object.record.code
    );
    let mut imports = vec![quote!(Column), quote!(NotNull), quote!(Plain)];
    if object.fields.iter().any(|f| f.nillable) {
        imports.push(quote!(Nillable));
    }
    if object.fields.iter().any(|f| codec(f) == Codec::Whole) {
        imports.push(quote!(Whole));
    }
    if object.fields.iter().any(|f| codec(f) == Codec::Exact) {
        imports.push(quote!(Exact));
    }
    let uses = quote!(use ::sfgen_runtime::query::{#(#imports),*};);
    let alias_doc = format!(
        " A column of [`{}`](super::{}): value type `V`, nullability `K`, decoder `D`.",
        object.record.code, object.record.code
    );
    let alias = quote! {
        #[doc = #alias_doc]
        pub type Of<V, K = NotNull, D = Plain> = Column<super::#record, V, K, D>;
    };
    let consts = object.fields.iter().map(|f| column(object, f, &record));
    let consts = braced(concat([uses, alias].into_iter().chain(consts)));
    quote! {
        #[doc = #doc]
        pub mod columns #consts
    }
}

fn column(object: &Object, field: &Field, record: &proc_macro2::Ident) -> TokenStream {
    let name = plain(&field.ident.constant());
    let api = &field.api_name;
    let value = column_value(object, field, record);
    // `Of<V, K = NotNull, D = Plain>`: only what differs from the defaults.
    let nullability = if field.nillable {
        quote!(Nillable)
    } else {
        quote!(NotNull)
    };
    let params = match codec(field) {
        Codec::Plain if field.nillable => quote!(#value, Nillable),
        Codec::Plain => quote!(#value),
        Codec::Whole => quote!(#value, #nullability, Whole),
        Codec::Exact => quote!(#value, #nullability, Exact),
    };
    let doc = format!(" `{api}`.");
    quote! {
        #[doc = #doc]
        pub const #name: Of<#params> = Column::new(#api);
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
