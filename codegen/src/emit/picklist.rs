//! Picklist enums: one `Variant = "API value"` per value under the runtime's
//! `#[sfgen_runtime::picklist]` attribute, which adds `Unlisted(UnlistedValue)`
//! for values the describe did not list, `as_str`, `from_api`, `Display`,
//! infallible `FromStr`, serde, and equality by API value.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, inline};
use super::types::{braced, concat, ident, path};
use crate::model::{Object, PicklistEnum, PicklistVariant, SharedPicklist};

/// The field's label, or its API name when it has none.
fn field_title(p: &PicklistEnum) -> String {
    if p.field_label.trim().is_empty() {
        code(&p.field_api_name)
    } else {
        inline(&p.field_label)
    }
}

/// A field's picklist: the enum and its impls, or an alias of the shared enum
/// when other fields list the same values.
pub fn picklist_enum(object: &Object, p: &PicklistEnum) -> TokenStream {
    let field = code(&format!("{}.{}", object.api_name, p.field_api_name));
    if let Some(shared) = &p.shared {
        let name = ident(&p.ident);
        let target = path(shared);
        let doc = format!(
            " Values of {} ({field}): the enum [`{}`](crate::{}::{}), which the fields listing the same values share.",
            field_title(p),
            shared.name.code,
            shared.module.code,
            shared.name.code,
        );
        return quote! {
            #[doc = #doc]
            pub type #name = #target;
        };
    }
    enum_and_impls(p, vec![format!(" Values of {} ({field}).", field_title(p))])
}

/// An enum several fields share, for the `picklists` module.
pub fn shared_enum(s: &SharedPicklist) -> TokenStream {
    let used_by: Vec<String> = s.used_by.iter().map(|f| code(f)).collect();
    let doc = vec![format!(
        " The values {} list identically.",
        used_by.join(", ")
    )];
    enum_and_impls(&s.picklist, doc)
}

/// The tokens of `src/picklists.rs`: every shared enum, in model order.
pub fn shared_module(shared: &[SharedPicklist]) -> TokenStream {
    let docs = super::docs::inner_attrs(&[
        "Picklist enums that several fields share: fields whose describes list the same".to_owned(),
        "API values in the same order. Each field's own name (`AccountBillingGeocodeAccuracy`)"
            .to_owned(),
        "is an alias of the enum here.".to_owned(),
    ]);
    concat(std::iter::once(docs).chain(shared.iter().map(shared_enum)))
}

/// The enum, documented with `doc` first, through the runtime's `picklist`
/// attribute (which adds `Unlisted`, `as_str`, `from_api` and the trait impls).
fn enum_and_impls(p: &PicklistEnum, mut doc: Vec<String>) -> TokenStream {
    let name = ident(&p.ident);
    if let Some(note) = &p.name_note {
        doc.push(String::new());
        doc.push(format!(" {note}"));
    }
    let variants = p.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = &v.value;
        // The attribute documents a variant by its value; a doc is written
        // here only when that would not do (notes, or a value needing care).
        let doc = variant_doc(v);
        let doc = (doc != format!(" `{value}`")).then(|| quote!(#[doc = #doc]));
        quote! {
            #doc
            #variant = #value,
        }
    });
    let variants = braced(concat(variants));
    let allow = needs_variant_name_allow(p).then(|| {
        quote!(#[allow(clippy::enum_variant_names, reason = "variant names are Salesforce's picklist values")])
    });
    quote! {
        #( #[doc = #doc] )*
        #[::sfgen_runtime::picklist]
        #allow
        pub enum #name #variants
    }
}

fn variant_doc(v: &PicklistVariant) -> String {
    let mut doc = format!(" {}", code(&v.value));
    let mut notes = Vec::new();
    if let Some(label) = &v.label {
        notes.push(format!("label “{}”", inline(label)));
    }
    if v.default {
        notes.push("the default".to_owned());
    }
    if !v.active {
        notes.push("inactive".to_owned());
    }
    if let Some(note) = &v.name_note {
        notes.push(note.trim_end_matches('.').to_owned());
    }
    if !notes.is_empty() {
        doc.push_str(&format!(" ({})", notes.join("; ")));
    }
    doc
}

/// Whether clippy's `enum_variant_names` could fire: a variant starts or ends
/// with the enum's name, or every variant starts or ends with the same word
/// (which, with `Unlisted` among them, can only be `Other`). Over-approximated: an
/// unneeded allow is harmless, a missing one fails `-D warnings`.
fn needs_variant_name_allow(p: &PicklistEnum) -> bool {
    let name = p.ident.bare.as_str();
    let values = || {
        p.variants
            .iter()
            .map(|v| v.ident.bare.trim_start_matches('_'))
    };
    values().any(|v| v.starts_with(name) || v.ends_with(name))
        || (!p.variants.is_empty()
            && (values().all(|v| v.starts_with("Unlisted"))
                || values().all(|v| v.ends_with("Unlisted"))))
}
