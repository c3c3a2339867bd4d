//! The attribute macro behind [`sfgen_runtime::picklist`]: generated picklist
//! enums are written as their variants and API values, and this macro adds
//! the rest (see the runtime's documentation of `picklist` for what).
//!
//! [`sfgen_runtime::picklist`]: https://docs.rs/sfgen-runtime/latest/sfgen_runtime/attr.picklist.html

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{quote, ToTokens};
use syn::{parse_macro_input, Data, DeriveInput, Expr, ExprLit, Fields, Lit};

/// Turns `enum E { A = "a", B = "b" }` (each discriminant the value's API
/// string) into a picklist enum: the variants documented with their values,
/// an `Unlisted` fallback, `as_str`/`from_api`, and the picklist trait impls.
#[proc_macro_attribute]
pub fn picklist(args: TokenStream, item: TokenStream) -> TokenStream {
    if !args.is_empty() {
        return syn::Error::new(
            Tokens::from(args)
                .into_iter()
                .next()
                .map_or_else(proc_macro2::Span::call_site, |t| t.span()),
            "`picklist` takes no arguments",
        )
        .to_compile_error()
        .into();
    }
    let input = parse_macro_input!(item as DeriveInput);
    match expand(input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// One listed value.
struct Value {
    attrs: Vec<syn::Attribute>,
    ident: syn::Ident,
    value: syn::LitStr,
}

fn expand(input: DeriveInput) -> syn::Result<Tokens> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`picklist` applies to an enum",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "a picklist enum has no generic parameters",
        ));
    }
    let mut values = Vec::with_capacity(data.variants.len());
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(syn::Error::new_spanned(
                variant,
                "a picklist variant has no fields; `Unlisted` is added by the macro",
            ));
        }
        let value = match &variant.discriminant {
            Some((
                _,
                Expr::Lit(ExprLit {
                    lit: Lit::Str(value),
                    ..
                }),
            )) => value.clone(),
            _ => {
                return Err(syn::Error::new_spanned(
                    variant,
                    "a picklist variant is `Name = \"API value\"`",
                ))
            }
        };
        if let Some(earlier) = values
            .iter()
            .find(|v: &&Value| v.value.value() == value.value())
        {
            return Err(syn::Error::new_spanned(
                &value,
                format!("the value is listed twice (also as `{}`)", earlier.ident),
            ));
        }
        values.push(Value {
            attrs: variant.attrs.clone(),
            ident: variant.ident.clone(),
            value,
        });
    }

    let DeriveInput {
        attrs, vis, ident, ..
    } = &input;
    let unlisted_doc = format!(
        " A value this enum does not list (added to the org later) is kept in [`{ident}::Unlisted`]."
    );
    let variants = values.iter().map(|v| {
        let (attrs, name) = (&v.attrs, &v.ident);
        // A variant without docs is documented by its value; the generator
        // writes docs itself where the value needs care (backticks, control
        // characters) or has notes (label, default, inactive).
        let doc = (!attrs.iter().any(|a| a.path().is_ident("doc"))).then(|| {
            let doc = format!(" `{}`", v.value.value());
            quote!(#[doc = #doc])
        });
        let attrs = attrs.iter().map(|a| a.to_token_stream());
        quote! {
            #doc
            #(#attrs)*
            #name,
        }
    });
    let as_str = values.iter().map(|v| {
        let (name, value) = (&v.ident, &v.value);
        quote!(Self::#name => #value,)
    });
    let rt = quote!(::sfgen_runtime);
    let unlisted =
        |value: Tokens| quote!(Self::Unlisted(#rt::picklist::UnlistedValue::__from_api(#value)));
    // With no listed values, a `match` would have only its catch-all arm.
    let from_api = if values.is_empty() {
        unlisted(quote!(value))
    } else {
        let arms = values.iter().map(|v| {
            let (name, value) = (&v.ident, &v.value);
            quote!(#value => Self::#name,)
        });
        let fallback = unlisted(quote!(other));
        quote! {
            match value {
                #(#arms)*
                other => #fallback,
            }
        }
    };
    Ok(quote! {
        #(#attrs)*
        #[doc = ""]
        #[doc = #unlisted_doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        #vis enum #ident {
            #(#variants)*
            /// A value the describe did not list, as Salesforce sent it (only
            /// `from_api` and deserialization build it, never for a listed value).
            Unlisted(#rt::picklist::UnlistedValue),
        }

        impl #ident {
            /// The API value, as Salesforce sends and expects it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unlisted(value) => value.as_str(),
                }
            }

            /// The variant for an API value; values not listed become `Unlisted`.
            pub fn from_api(value: &str) -> Self {
                #from_api
            }
        }

        #rt::__picklist_impls!(#ident);
    })
}
