//! The `Serialize` of a create or update form: its `FormBody` (each set
//! field's key and value, in order) and a `Serialize` impl through the
//! runtime's one form writer.

use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::DeriveInput;

use crate::serde_attrs::SerdeField;

/// When a field is left out of the body.
enum Presence {
    /// Always written (a required create field).
    Always,
    /// Written unless `None`.
    Option,
    /// Written unless `Field::Unset`.
    Field,
}

/// The form's `FormBody` and `Serialize` impls; `attribute` names the macro
/// in errors.
pub(crate) fn expand(input: &DeriveInput, attribute: &str) -> syn::Result<Tokens> {
    let named = crate::named_fields(input, attribute)?;
    let rt = quote!(::sfgen_runtime);
    let serde = quote!(#rt::__private::serde);
    let form = &input.ident;
    let name = form.to_string();
    let mut wrappers = Vec::new();
    let mut writes = Vec::new();
    for (index, field) in named.iter().enumerate() {
        let Some(ident) = &field.ident else {
            continue;
        };
        let attrs = SerdeField::read(field)?;
        let key = attrs.key(ident);
        let ty = &field.ty;
        let value = match attrs.encode_with() {
            None => quote!(&self.#ident),
            Some(function) => {
                let wrapper = format_ident!("__{name}Field{index}");
                wrappers.push(quote! {
                    struct #wrapper<'a>(&'a #ty);
                    impl #serde::Serialize for #wrapper<'_> {
                        fn serialize<S: #serde::Serializer>(
                            &self,
                            serializer: S,
                        ) -> ::core::result::Result<S::Ok, S::Error> {
                            #function(self.0, serializer)
                        }
                    }
                });
                quote!(&#wrapper(&self.#ident))
            }
        };
        let presence = if crate::option_inner(ty).is_some() {
            Presence::Option
        } else if crate::is_field(ty) {
            Presence::Field
        } else {
            Presence::Always
        };
        writes.push(match presence {
            Presence::Always => quote!(out.field(#key, #value)?;),
            Presence::Option => quote! {
                if self.#ident.is_some() {
                    out.field(#key, #value)?;
                }
            },
            Presence::Field => quote! {
                if !self.#ident.is_unset() {
                    out.field(#key, #value)?;
                }
            },
        });
    }
    Ok(quote! {
        const _: () = {
            #(#wrappers)*

            impl #rt::form::FormBody for #form {
                const NAME: &'static str = #name;

                fn write_fields<W: #rt::form::FieldWriter>(
                    &self,
                    out: &mut W,
                ) -> ::core::result::Result<(), W::Error> {
                    #(#writes)*
                    ::core::result::Result::Ok(())
                }
            }

            impl #serde::Serialize for #form {
                fn serialize<S: #serde::Serializer>(
                    &self,
                    serializer: S,
                ) -> ::core::result::Result<S::Ok, S::Error> {
                    #rt::form::serialize(self, serializer)
                }
            }
        };
    })
}
