//! One object's `parents` module: a typed [`Parent`] per reference whose one
//! target is generated, so that a projection can read the record it points at
//! (`Contact` → `Account.Name`) into a nested row rustc checks.
//!
//! [`Parent`]: https://docs.rs/sfgen-runtime/latest/sfgen_runtime/query/struct.Parent.html

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::code;
use super::types::{concat, ident, path, plain};
use crate::model::{FieldType, Object};
use crate::naming::{self, Case, Namespace};

/// `pub mod parents { … }` for `object`, when it has such a reference.
pub fn parents_module(object: &Object) -> Option<TokenStream> {
    let record = ident(&object.record);
    let mut names = Namespace::new(Case::Snake);
    let parents: Vec<TokenStream> = object
        .fields
        .iter()
        .filter_map(|f| match (&f.ty, &f.relationship) {
            (FieldType::Id(target), Some(relationship)) => Some((f, target, relationship)),
            _ => None,
        })
        .map(|(f, target, relationship)| {
            let claimed = names.claim(
                naming::snake(relationship),
                &format!("relationship `{relationship}`"),
            );
            let name = plain(&claimed.ident.constant());
            let target_ty = path(target);
            let doc = format!(
                " {} (through {}): the [`{}`](crate::{}::{}) it points at.",
                code(relationship),
                code(&f.api_name),
                target.name.code,
                target.module.code,
                target.name.code,
            );
            quote! {
                #[doc = #doc]
                pub const #name: Parent<super::#record, #target_ty> = Parent::new(#relationship);
            }
        })
        .collect();
    if parents.is_empty() {
        return None;
    }
    let doc = format!(
        " Parent relationships of [`{}`], for projections that read the records \
         its references point at (see `sfgen_runtime::query::Parent`).",
        object.record.code
    );
    let body = super::types::braced(concat(
        std::iter::once(quote!(
            use ::sfgen_runtime::query::Parent;
        ))
        .chain(parents),
    ));
    Some(quote! {
        #[doc = #doc]
        pub mod parents #body
    })
}
