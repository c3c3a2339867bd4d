//! One object's `parents` and `children` modules: a typed [`Parent`] per
//! reference (to its one generated target, or to Salesforce's `Name` entity
//! when the reference is polymorphic) and a typed [`Children`] per child
//! relationship whose child object is generated, so that a projection can read
//! the records around a row (`Contact` → `Account.Name`, `Task` → `What.Name`,
//! `Account` → its `Contacts`) into nested rows rustc checks.
//!
//! [`Parent`]: https://docs.rs/sfgen-runtime/latest/sfgen_runtime/query/struct.Parent.html
//! [`Children`]: https://docs.rs/sfgen-runtime/latest/sfgen_runtime/query/struct.Children.html

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::code;
use super::types::{braced, concat, ident, path, plain};
use crate::model::{FieldType, Object, TypePath};
use crate::naming::{self, Case, Namespace};

/// What a parent relationship points at.
enum ParentKind<'a> {
    /// The one generated object the reference points at.
    Object(&'a TypePath),
    /// The `Name` entity of a polymorphic reference.
    Name,
}

/// `pub mod parents { … }` for `object`, when it has such a reference.
pub fn parents_module(object: &Object) -> Option<TokenStream> {
    let record = ident(&object.record);
    let mut names = Namespace::new(Case::Snake);
    let parents: Vec<TokenStream> = object
        .fields
        .iter()
        .filter_map(|f| {
            let relationship = f.relationship.as_ref()?;
            let kind = match &f.ty {
                FieldType::Id(target) => ParentKind::Object(target),
                FieldType::RecordId { targets, .. } if targets.len() > 1 => ParentKind::Name,
                _ => return None,
            };
            Some((f, kind, relationship))
        })
        .map(|(f, kind, relationship)| {
            let claimed = names.claim(
                naming::snake(relationship),
                &format!("relationship `{relationship}`"),
            );
            let name = plain(&claimed.ident.constant());
            let (target_ty, doc) = match kind {
                ParentKind::Object(target) => (
                    path(target),
                    format!(
                        " {} (through {}): the [`{}`](crate::{}::{}) it points at.",
                        code(relationship),
                        code(&f.api_name),
                        target.name.code,
                        target.module.code,
                        target.name.code,
                    ),
                ),
                ParentKind::Name => (
                    quote!(::sfgen_runtime::query::name::Name),
                    format!(
                        " {} (through {}, polymorphic): the `Name` entity of the record \
                         it points at (see `sfgen_runtime::query::name`).",
                        code(relationship),
                        code(&f.api_name),
                    ),
                ),
            };
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
    let body = braced(concat(
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

/// `pub mod children { … }` for `object`, when a generated object points at it.
pub fn children_module(object: &Object) -> Option<TokenStream> {
    if object.children.is_empty() {
        return None;
    }
    let record = ident(&object.record);
    let mut names = Namespace::new(Case::Snake);
    let children = object.children.iter().map(|c| {
        let claimed = names.claim(
            naming::snake(&c.relationship),
            &format!("child relationship `{}`", c.relationship),
        );
        let name = plain(&claimed.ident.constant());
        let child_ty = path(&c.child);
        let relationship = &c.relationship;
        let doc = format!(
            " {}: the [`{}`](crate::{}::{})s whose {} points here.",
            code(relationship),
            c.child.name.code,
            c.child.module.code,
            c.child.name.code,
            code(&c.field),
        );
        quote! {
            #[doc = #doc]
            pub const #name: Children<super::#record, #child_ty> = Children::new(#relationship);
        }
    });
    let doc = format!(
        " Child relationships of [`{}`], for projections that read the records \
         pointing at it through a subquery (see `sfgen_runtime::query::Children`).",
        object.record.code
    );
    let body = braced(concat(
        std::iter::once(quote!(
            use ::sfgen_runtime::query::Children;
        ))
        .chain(children),
    ));
    Some(quote! {
        #[doc = #doc]
        pub mod children #body
    })
}
