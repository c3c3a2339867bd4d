//! `#[record]`: a record's decoding table (`sfgen_runtime::record::DecodeRecord`)
//! and its `Deserialize` impl, read off the struct's fields and their
//! `#[serde(...)]` attributes.

use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::DeriveInput;

use crate::serde_attrs::SerdeField;

/// One field as the decoder sees it.
struct Field<'a> {
    ident: &'a syn::Ident,
    ty: &'a syn::Type,
    /// The key the field is read from: `rename`, or the field's name.
    key: String,
    /// Whether a missing key gives the type's default instead of an error.
    defaulted: bool,
    /// The function a value is decoded with, instead of the type's own
    /// `Deserialize`.
    decode_with: Option<syn::Path>,
}

fn fields(input: &DeriveInput) -> syn::Result<Vec<Field<'_>>> {
    let named = crate::named_fields(input, "record")?;
    named
        .iter()
        .map(|field| {
            let ident = field
                .ident
                .as_ref()
                .ok_or_else(|| syn::Error::new_spanned(field, "a record field has a name"))?;
            let serde = SerdeField::read(field)?;
            let decode_with = serde.decode_with();
            // As serde's derive has it: an `Option` read by its own
            // `Deserialize` is `None` when its key is missing.
            let defaulted = serde.default
                || (decode_with.is_none() && crate::option_inner(&field.ty).is_some());
            Ok(Field {
                ident,
                ty: &field.ty,
                key: serde.key(ident),
                defaulted,
                decode_with,
            })
        })
        .collect()
}

/// The table and `Deserialize` impl of the record `input`.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let fields = fields(input)?;
    let rt = quote!(::sfgen_runtime);
    let serde = quote!(#rt::__private::serde);
    let record = &input.ident;
    let name = record.to_string();
    let draft = format_ident!("__{name}Draft");
    let draft_name = format!("{name}Draft");

    let keys = fields.iter().map(|f| &f.key);
    let slots = fields.iter().map(|f| {
        let (ident, ty) = (f.ident, f.ty);
        quote!(#ident: ::core::option::Option<#ty>,)
    });
    let empty = fields.iter().map(|f| {
        let ident = f.ident;
        quote!(#ident: ::core::option::Option::None,)
    });
    // A seed per field decoded with a function of its own.
    let mut seeds = Vec::new();
    let arms = fields.iter().enumerate().map(|(index, f)| {
        let (ident, key) = (f.ident, &f.key);
        match &f.decode_with {
            None => quote!(#index => #rt::record::slot(&mut draft.#ident, map, #key),),
            Some(function) => {
                let seed = format_ident!("__{name}Field{index}");
                let ty = f.ty;
                seeds.push(quote! {
                    struct #seed;
                    impl<'de> #serde::de::DeserializeSeed<'de> for #seed {
                        type Value = #ty;
                        fn deserialize<D: #serde::Deserializer<'de>>(
                            self,
                            deserializer: D,
                        ) -> ::core::result::Result<#ty, D::Error> {
                            #function(deserializer)
                        }
                    }
                });
                quote!(#index => #rt::record::slot_with(&mut draft.#ident, map, #key, #seed),)
            }
        }
    });
    let arms: Vec<Tokens> = arms.collect();
    let finished = fields.iter().map(|f| {
        let (ident, key) = (f.ident, &f.key);
        if f.defaulted {
            quote!(#ident: draft.#ident.unwrap_or_default(),)
        } else {
            quote!(#ident: #rt::record::required(draft.#ident, #key)?,)
        }
    });

    Ok(quote! {
        const _: () = {
            pub struct #draft {
                #(#slots)*
            }

            impl ::core::fmt::Debug for #draft {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(#draft_name).finish_non_exhaustive()
                }
            }

            #(#seeds)*

            impl #rt::record::DecodeRecord for #record {
                type Draft = #draft;
                const NAME: &'static str = #name;
                const KEYS: &'static [&'static str] = &[#(#keys),*];

                fn draft() -> #draft {
                    #draft { #(#empty)* }
                }

                fn decode_field<'de, A: #serde::de::MapAccess<'de>>(
                    draft: &mut #draft,
                    index: usize,
                    map: &mut A,
                ) -> ::core::result::Result<(), A::Error> {
                    match index {
                        #(#arms)*
                        _ => ::core::result::Result::Ok(()),
                    }
                }

                fn finish<E: #serde::de::Error>(draft: #draft) -> ::core::result::Result<Self, E> {
                    ::core::result::Result::Ok(#record { #(#finished)* })
                }
            }

            impl<'de> #serde::Deserialize<'de> for #record {
                fn deserialize<D: #serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::core::result::Result<Self, D::Error> {
                    #rt::record::deserialize(deserializer)
                }
            }
        };
    })
}
