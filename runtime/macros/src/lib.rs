//! The attribute macros behind `sfgen_runtime::picklist`, `record`,
//! `create_form` and `update_form`: generated picklist enums are written as
//! their variants and API values, records and forms as their fields, and these
//! macros add the glue every one of them shares (the runtime documents what
//! each adds).

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

/// Turns a create form (a struct whose optional fields are `Option<T>`) into
/// one that serializes as its body, leaving unset fields out, and has a
/// `with_<field>` setter per optional field, documented by the field's own
/// docs.
#[proc_macro_attribute]
pub fn create_form(args: TokenStream, item: TokenStream) -> TokenStream {
    if let Some(error) = no_arguments("create_form", args) {
        return error;
    }
    let input = parse_macro_input!(item as DeriveInput);
    match expand_create_form(input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// The error for arguments given to an attribute that takes none.
fn no_arguments(attribute: &str, args: TokenStream) -> Option<TokenStream> {
    let first = Tokens::from(args).into_iter().next()?;
    Some(
        syn::Error::new(first.span(), format!("`{attribute}` takes no arguments"))
            .to_compile_error()
            .into(),
    )
}

fn expand_create_form(mut input: DeriveInput) -> syn::Result<Tokens> {
    let body = form::expand(&input, "create_form")?;
    let mut setters = Vec::new();
    for field in named_fields(&input, "create_form")? {
        let (Some(inner), Some(name)) = (option_inner(&field.ty), &field.ident) else {
            continue;
        };
        let docs: Vec<&syn::Attribute> = field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .collect();
        let setter = syn::Ident::new(&format!("with_{}", name_text(name)), name.span());
        setters.push(quote! {
            #[doc = " Sets"]
            #(#docs)*
            pub fn #setter(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
                self.#name = ::core::option::Option::Some(value.into());
                self
            }
        });
    }
    serde_attrs::strip(&mut input);
    let ident = &input.ident;
    Ok(quote! {
        #input

        impl #ident {
            #(#setters)*
        }

        #body
    })
}

/// The fields of a struct with named fields and no generic parameters, the
/// shape the record and form attributes apply to.
fn named_fields<'a>(
    input: &'a DeriveInput,
    attribute: &str,
) -> syn::Result<&'a syn::punctuated::Punctuated<syn::Field, syn::Token![,]>> {
    let Data::Struct(syn::DataStruct {
        fields: Fields::Named(named),
        ..
    }) = &input.data
    else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            format!("`{attribute}` applies to a struct with named fields"),
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            format!("`{attribute}` applies to a struct without generic parameters"),
        ));
    }
    Ok(&named.named)
}

/// A field name without its raw prefix (`r#type` → `type`).
fn name_text(name: &syn::Ident) -> String {
    let text = name.to_string();
    text.strip_prefix("r#").map_or(text.clone(), str::to_owned)
}

/// `T` of a field typed `Option<T>` (`::std::option::Option<T>`,
/// `::core::option::Option<T>` or `Option<T>`).
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let is_option = match segments.as_slice() {
        [only] => only == "Option" && path.path.leading_colon.is_none(),
        [root, module, name] => {
            (root == "std" || root == "core") && module == "option" && name == "Option"
        }
        _ => false,
    };
    if !is_option {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Turns an update form (a struct of `sfgen_runtime::Field<T>` and
/// `Option<T>` fields) into one that serializes as its body, leaving unset
/// fields (`Field::Unset`, `None`) out.
#[proc_macro_attribute]
pub fn update_form(args: TokenStream, item: TokenStream) -> TokenStream {
    if let Some(error) = no_arguments("update_form", args) {
        return error;
    }
    let mut input = parse_macro_input!(item as DeriveInput);
    match form::expand(&input, "update_form") {
        Ok(body) => {
            serde_attrs::strip(&mut input);
            quote!(#input #body).into()
        }
        Err(error) => error.to_compile_error().into(),
    }
}

/// Whether a type is `sfgen_runtime::Field<T>` (`::sfgen_runtime::Field<T>`,
/// `sfgen_runtime::Field<T>` or `Field<T>`).
fn is_field(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    path.qself.is_none()
        && match segments.as_slice() {
            [only] => only == "Field" && path.path.leading_colon.is_none(),
            [root, name] => root == "sfgen_runtime" && name == "Field",
            _ => false,
        }
}

/// Implements `Deserialize` for a generated record (a struct with named
/// fields and `#[serde(rename = "…")]` keys) through the runtime's one record
/// visitor: the attribute writes the record's table (`DecodeRecord`), not a
/// visitor of its own. Without a `Serialize` derive to own them, the
/// `#[serde]` field attributes are removed once read.
#[proc_macro_attribute]
pub fn record(args: TokenStream, item: TokenStream) -> TokenStream {
    if let Some(error) = no_arguments("record", args) {
        return error;
    }
    let mut input = parse_macro_input!(item as DeriveInput);
    match record::expand(&input) {
        Ok(table) => {
            serde_attrs::strip_unowned_serde_attributes(&mut input);
            quote!(#input #table).into()
        }
        Err(error) => {
            let error = error.to_compile_error();
            quote!(#input #error).into()
        }
    }
}

mod form;
mod record;
mod serde_attrs;
