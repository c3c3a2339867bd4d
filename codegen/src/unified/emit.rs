//! Emits `src/unified.rs` from a checked [`Plan`]: per resource a mapper type,
//! a row of the mapped fields, `From`/`TryFrom` conversions and the
//! `sfgen_runtime::unified` mapping traits; and one `Salesforce` type naming
//! every mapper. Reads only the plan (model fields and the catalogue).

use proc_macro2::{Ident, Span, TokenStream};
use std::collections::BTreeMap;

use quote::{format_ident, quote, ToTokens as _};

use super::plan::{Access, Conv, Direct, FieldPlan, Mapping, Plan, ResourcePlan};
use crate::emit::types::{self, codec, Codec};
use crate::model::{Field, FieldType, Object};
use crate::types::Scalar;
use sfgen_runtime::unified::catalog::{Create, Helper, Kind, UnifiedField};

/// The tokens of `src/unified.rs`.
pub fn unified_file(plan: &Plan<'_>) -> TokenStream {
    let mut table = vec![
        " Mappers between the unified CRM model ([`sfgen_runtime::unified`]) and this org's objects,".to_owned(),
        " generated from the mapping spec `unified.toml` next to the describes.".to_owned(),
        String::new(),
        " [`Salesforce`](crate::unified::Salesforce) names every mapper; pass it to the unified operations".to_owned(),
        " (`client.crm::<Salesforce>()`). Each module holds one".to_owned(),
        " resource's mapper, the row its queries decode, and `From` / `TryFrom` conversions between the".to_owned(),
        " unified forms and the generated records.".to_owned(),
        String::new(),
        " | Resource | Object | Module | Writable |".to_owned(),
        " |---|---|---|---|".to_owned(),
    ];
    for r in &plan.resources {
        table.push(format!(
            " | {} | [`{}`](crate::{}) | [`{}`](crate::unified::{}) | {} |",
            r.def.name,
            r.object.api_name,
            r.object.module.bare,
            r.def.key,
            r.def.key,
            if r.def.is_writable() {
                "yes"
            } else {
                "no (read-only)"
            }
        ));
    }
    let slots = plan.resources.iter().map(|r| {
        let slot = ident(r.def.slot);
        let maps = ident(&format!("Maps{}", r.def.slot));
        let module = ident(r.def.key);
        let mapping = mapping_ident(r);
        quote! {
            impl unified::#maps for Salesforce {
                type #slot = #module::#mapping;
            }
        }
    });
    let modules = plan.resources.iter().map(resource_module);
    quote! {
        #( #![doc = #table] )*

        use ::sfgen_runtime::unified;

        /// Every mapper of the spec: the type parameter of the unified operations.
        /// It implements one `Maps<Resource>` trait per resource generated here.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Salesforce;

        impl unified::Mappings for Salesforce {}

        #( #slots )*

        #( #modules )*
    }
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A model name as a token (raw when needed).
fn mapping_ident(r: &ResourcePlan<'_>) -> Ident {
    format_ident!("{}Mapping", r.def.name)
}

fn row_ident(r: &ResourcePlan<'_>) -> Ident {
    format_ident!("{}Row", r.def.name)
}

/// `crate::<module>::<Name>` of an object's generated item.
fn object_item(object: &Object, name: &crate::naming::Ident) -> TokenStream {
    let module = types::ident(&object.module);
    let name = types::ident(name);
    quote!(crate::#module::#name)
}

/// A field's value type, with generated types fully qualified.
fn value_type(object: &Object, field: &Field) -> TokenStream {
    match &field.ty {
        FieldType::Scalar(s) => types::scalar(*s),
        FieldType::OwnId => {
            let record = object_item(object, &object.record);
            quote!(::sfgen_runtime::Id<#record>)
        }
        FieldType::Id(target) => {
            let target = types::path(target);
            quote!(::sfgen_runtime::Id<#target>)
        }
        FieldType::RecordId { .. } => quote!(::sfgen_runtime::RecordId),
        FieldType::Picklist(i) => object_item(object, &object.picklists[*i].ident),
        FieldType::MultiPicklist(i) => {
            let e = object_item(object, &object.picklists[*i].ident);
            quote!(::sfgen_runtime::MultiPicklist<#e>)
        }
    }
}

/// Whether values of the field's type are `Copy` (then reading twice needs no clone).
fn is_copy(field: &Field) -> bool {
    match &field.ty {
        FieldType::Scalar(s) => !matches!(s, Scalar::String | Scalar::Json | Scalar::Address),
        FieldType::OwnId | FieldType::Id(_) | FieldType::RecordId { .. } => true,
        FieldType::Picklist(_) | FieldType::MultiPicklist(_) => false,
    }
}

/// The field's name in the generated record and in the row.
fn field_ident(field: &Field) -> Ident {
    types::ident(&field.ident)
}

/// The local holding the value written to a field.
fn local(field: &Field) -> Ident {
    format_ident!("v_{}", field.ident.bare)
}

/// Whether a write sends the form's value as it is: no conversion, nothing to fail.
fn passes_through(expr: &Expr, fallible: bool) -> bool {
    matches!(expr, Expr::Same) && !fallible
}

/// What a write reads for a field: the form's own value when it needs no
/// conversion (kept in `sources`), else the field's local.
fn source(sources: &BTreeMap<&str, TokenStream>, field: &Field) -> TokenStream {
    match sources.get(field.api_name.as_str()) {
        Some(value) => value.clone(),
        None => local(field).into_token_stream(),
    }
}

/// `convert::<function>`: a module that calls one imports `::sfgen_runtime::unified::convert`.
fn convert(helper: Helper) -> TokenStream {
    let function = ident(helper.name());
    quote!(convert::#function)
}

fn unified_type(name: &str) -> TokenStream {
    let name = ident(name);
    quote!(unified::#name)
}

fn resource_module(r: &ResourcePlan<'_>) -> TokenStream {
    let module = ident(r.def.key);
    let docs = module_docs(r);
    let mapping = mapping_ident(r);
    let mapping_doc = format!(
        " Maps unified [`{}`](::sfgen_runtime::unified::{}) to and from [`{}`](crate::{}::{}).",
        r.def.read, r.def.read, r.object.api_name, r.object.module.bare, r.object.record.bare
    );
    let row = row_struct(r);
    let read = read_impls(r);
    // Validation refuses a writable resource on an object without both forms.
    let forms = r.object.create.as_ref().zip(r.object.update.as_ref());
    let write = r
        .def
        .write
        .zip(forms)
        .map(|((create, update), (new_form, update_form))| {
            let new_record = object_item(r.object, new_form);
            let record_update = object_item(r.object, update_form);
            let create_impl = create_impl(r, create, &new_record);
            let update_impl = update_impl(r, update, &record_update);
            let create_ty = unified_type(create);
            let update_ty = unified_type(update);
            quote! {
                #create_impl
                #update_impl

                impl unified::WriteMapping for #mapping {
                    type Create = #create_ty;
                    type Update = #update_ty;
                    type NewRecord = #new_record;
                    type RecordUpdate = #record_update;
                }
            }
        });
    let timeline = r.timeline.as_ref().map(|t| {
        let date = &t.date.api_name;
        let related = t.related.iter().map(|f| &f.api_name);
        quote! {
            impl unified::TimelineMapping for #mapping {
                const DATE_FIELD: &'static str = #date;
                const RELATED_FIELDS: &'static [&'static str] = &[ #( #related ),* ];
            }
        }
    });
    let body = quote! {
        #row
        #read
        #write
        #timeline
    };
    // Import what the module calls, so an unused import cannot warn.
    let imports = if mentions(&body, "convert") {
        quote!(
            use ::sfgen_runtime::unified::{self, convert};
        )
    } else {
        quote!(
            use ::sfgen_runtime::unified;
        )
    };
    quote! {
        pub mod #module {
            #( #![doc = #docs] )*

            #imports

            #[doc = #mapping_doc]
            #[derive(Debug, Clone, Copy, Default)]
            pub struct #mapping;

            #body
        }
    }
}

/// Whether `tokens` name `ident` anywhere, groups included.
fn mentions(tokens: &TokenStream, ident: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(i) => i == ident,
        proc_macro2::TokenTree::Group(g) => mentions(&g.stream(), ident),
        _ => false,
    })
}

/// The module's docs: which Salesforce fields each unified field maps to.
fn module_docs(r: &ResourcePlan<'_>) -> Vec<String> {
    let mut docs = vec![
        format!(" {} ↔ `{}`.", r.def.name, r.object.api_name),
        String::new(),
        " | Unified field | Salesforce | Access |".to_owned(),
        " |---|---|---|".to_owned(),
    ];
    for f in &r.fields {
        let sf = match &f.mapping {
            Mapping::Direct(d) => {
                let mut s = format!("`{}`", d.field.api_name);
                if let Some(t) = &d.target {
                    s.push_str(&format!(" ({} ids)", t.object));
                }
                match d.conv {
                    Conv::DateTimeFromDate | Conv::DateFromDateTime => {
                        s.push_str(", date ↔ date-time")
                    }
                    Conv::CentsI32 | Conv::CentsI64 => s.push_str(", in cents"),
                    Conv::Enum(_) | Conv::Picklist if !d.values.is_empty() => {
                        s.push_str(", values translated")
                    }
                    _ => {}
                }
                s
            }
            Mapping::Join { parts, .. } => {
                format!(
                    "{} joined",
                    parts
                        .iter()
                        .map(|p| format!("`{}`", p.api_name))
                        .collect::<Vec<_>>()
                        .join(" + ")
                )
            }
            Mapping::Address { .. } | Mapping::List { .. } | Mapping::Flags { .. } => f
                .mapping
                .fields()
                .iter()
                .map(|p| format!("`{}`", p.api_name))
                .collect::<Vec<_>>()
                .join(", "),
            Mapping::Unmapped { reason } => format!("none: {}", sanitize(reason)),
        };
        docs.push(format!(
            " | `{}` | {} | {} |",
            f.def.name,
            sf,
            f.access.name()
        ));
    }
    for c in &r.custom {
        docs.push(format!(
            " | `custom.{}` | `{}` | {} |",
            sanitize(&c.key),
            c.field.api_name,
            c.access.name()
        ));
    }
    docs
}

/// Makes spec text safe inside a doc table cell.
fn sanitize(text: &str) -> String {
    text.replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('`', "'")
}

fn row_struct(r: &ResourcePlan<'_>) -> TokenStream {
    let row = row_ident(r);
    let record = object_item(r.object, &r.object.record);
    let fields = r.read_fields();
    let declared = fields.iter().map(|f| {
        let name = field_ident(f);
        let api = &f.api_name;
        let ty = value_type(r.object, f);
        if f.ty == FieldType::OwnId {
            return quote! {
                #[serde(rename = #api)]
                pub #name: #ty,
            };
        }
        let serde = match codec(f) {
            Codec::Plain => quote!(#[serde(rename = #api, default)]),
            Codec::Whole => quote!(#[serde(rename = #api, default, deserialize_with = "::sfgen_runtime::number::whole_option")]),
            Codec::Exact => quote!(#[serde(rename = #api, default, with = "::sfgen_runtime::number::exact")]),
        };
        quote! {
            #serde
            pub #name: Option<#ty>,
        }
    });
    let moves = fields.iter().map(|f| {
        let name = field_ident(f);
        if f.ty == FieldType::OwnId || f.nillable {
            quote!(#name: record.#name,)
        } else {
            quote!(#name: Some(record.#name),)
        }
    });
    let doc = format!(
        " The fields of [`{}`](crate::{}::{}) the mapping reads: what its queries select and decode.",
        r.object.api_name, r.object.module.bare, r.object.record.bare
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, ::serde::Deserialize)]
        pub struct #row {
            #( #declared )*
        }

        impl From<#record> for #row {
            fn from(record: #record) -> Self {
                Self { #( #moves )* }
            }
        }
    }
}

/// A conversion applied to one input value.
enum Expr {
    /// The input itself.
    Same,
    /// `path(input)`: emitted as `.map(path)` on containers.
    Call(TokenStream),
    /// `path(input)` returning an `Option`: emitted as `.and_then(path)` on an `Option`.
    Flat(TokenStream),
    /// Any expression of `v`.
    Of(TokenStream),
}

impl Expr {
    /// Applies the conversion to `input` (an expression of the inner value).
    fn apply(&self, input: TokenStream) -> TokenStream {
        match self {
            Expr::Same => input,
            Expr::Call(path) | Expr::Flat(path) => quote!(#path(#input)),
            Expr::Of(body) => quote!({ let v = #input; #body }),
        }
    }

    /// The conversion as an expression of `v`.
    fn of_v(&self) -> TokenStream {
        match self {
            Expr::Same => quote!(v),
            Expr::Call(path) | Expr::Flat(path) => quote!(#path(v)),
            Expr::Of(body) => body.clone(),
        }
    }

    /// Applies it inside an `Option` or `Field` with `map` (`and_then` for [`Expr::Flat`]).
    fn map(&self, container: TokenStream) -> TokenStream {
        match self {
            Expr::Same => container,
            Expr::Call(path) => quote!(#container.map(#path)),
            Expr::Flat(path) => quote!(#container.and_then(#path)),
            Expr::Of(body) => quote!(#container.map(|v| #body)),
        }
    }
}

/// Salesforce value `v` → unified value (infallible).
fn read_conv(d: &Direct<'_>) -> Expr {
    match d.conv {
        Conv::Same => Expr::Same,
        Conv::Picklist if d.values.is_empty() => Expr::Of(quote!(ToString::to_string(v.as_str()))),
        Conv::Picklist => {
            let arms = d
                .values
                .iter()
                .map(|(sf, unified)| quote!(#sf => #unified,));
            Expr::Of(quote!(ToString::to_string(match v.as_str() { #( #arms )* other => other })))
        }
        Conv::Enum(def) => {
            let ty = unified_type(def.rust);
            let arms = d.values.iter().filter_map(|(sf, unified)| {
                let variant = ident(def.variant(unified)?);
                Some(quote!(#sf => #ty::#variant,))
            });
            Expr::Of(
                quote!(match v.as_str() { #( #arms )* other => #ty::Other(ToString::to_string(other)) }),
            )
        }
        Conv::Id => Expr::Of(quote!(ToString::to_string(&v))),
        Conv::I32 => Expr::Call(quote!(i64::from)),
        Conv::FloatWhole => Expr::Call(convert(Helper::WholeToF64)),
        Conv::FloatI32 => Expr::Call(quote!(f64::from)),
        Conv::FloatDecimal => Expr::Flat(convert(Helper::DecimalToF64)),
        Conv::DateTime => Expr::Of(quote!(v.0)),
        Conv::DateTimeFromDate => Expr::Call(convert(Helper::DateToDatetime)),
        Conv::DateFromDateTime => Expr::Of({
            let f = convert(Helper::DatetimeToDate);
            quote!(#f(v.0))
        }),
        Conv::CentsI64 => Expr::Call(convert(Helper::CentsToDecimal)),
        Conv::CentsI32 => Expr::Of({
            let f = convert(Helper::CentsToDecimal);
            quote!(#f(i64::from(v)))
        }),
    }
}

/// Unified value `v` → Salesforce value; `(expression, fallible)` where a
/// fallible expression is a `Result<_, MappingError>`.
fn write_conv(object: &Object, f: &UnifiedField, d: &Direct<'_>) -> (Expr, bool) {
    let name = f.name;
    match d.conv {
        Conv::Same => (Expr::Same, false),
        Conv::Picklist => {
            let FieldType::Picklist(i) = &d.field.ty else {
                return (Expr::Same, false);
            };
            let e = object_item(object, &object.picklists[*i].ident);
            if d.values.is_empty() {
                (Expr::Of(quote!(#e::from_api(&v))), false)
            } else {
                let mut seen: Vec<&str> = Vec::new();
                let arms: Vec<TokenStream> = d
                    .values
                    .iter()
                    .filter(|(_, unified)| {
                        let first = !seen.contains(&unified.as_str());
                        seen.push(unified);
                        first
                    })
                    .map(|(sf, unified)| quote!(#unified => #sf,))
                    .collect();
                (
                    Expr::Of(quote!(#e::from_api(match v.as_str() { #( #arms )* other => other }))),
                    false,
                )
            }
        }
        Conv::Enum(def) => {
            let FieldType::Picklist(i) = &d.field.ty else {
                return (Expr::Same, false);
            };
            let e = object_item(object, &object.picklists[*i].ident);
            let ty = unified_type(def.rust);
            let known: Vec<&str> = {
                let mut k: Vec<&str> = Vec::new();
                for (_, unified) in &d.values {
                    if !k.contains(&unified.as_str()) {
                        k.push(unified);
                    }
                }
                k
            };
            let arms = def.variants.iter().map(|(value, variant)| {
                let variant_ident = ident(variant);
                match d.values.iter().find(|(_, unified)| unified == value) {
                    Some((sf, _)) => quote!(#ty::#variant_ident => Ok(#e::from_api(#sf)),),
                    None => quote! {
                        #ty::#variant_ident => Err(unified::MappingError::UnmappedValue {
                            field: #name,
                            value: ToString::to_string(#value),
                            known: &[ #( #known ),* ],
                        }),
                    },
                }
            });
            (
                Expr::Of(
                    quote!(match v { #( #arms )* #ty::Other(other) => Ok(#e::from_api(&other)), }),
                ),
                true,
            )
        }
        Conv::Id => {
            let body = match (&d.target, &d.field.ty) {
                (Some(t), _) => {
                    let (target, prefix) = (&t.object, &t.key_prefix);
                    let f = convert(Helper::ParseIdWithPrefix);
                    quote!(#f(#name, &v, #target, #prefix))
                }
                (None, FieldType::Id(target)) => {
                    let module = types::ident(&target.module);
                    let record = types::ident(&target.name);
                    let f = convert(Helper::ParseId);
                    quote!(#f::<crate::#module::#record>(#name, &v))
                }
                (None, FieldType::OwnId) => {
                    let record = object_item(object, &object.record);
                    let f = convert(Helper::ParseId);
                    quote!(#f::<#record>(#name, &v))
                }
                _ => {
                    let f = convert(Helper::ParseRecordId);
                    quote!(#f(#name, &v))
                }
            };
            (Expr::Of(body), true)
        }
        Conv::I32 => {
            let f = convert(Helper::Narrow);
            (Expr::Of(quote!(#f::<i32>(#name, v))), true)
        }
        Conv::FloatWhole => {
            let f = convert(Helper::F64ToWhole);
            (Expr::Of(quote!(#f(#name, v))), true)
        }
        Conv::FloatI32 => {
            let (narrow, whole) = (convert(Helper::Narrow), convert(Helper::F64ToWhole));
            (
                Expr::Of(quote!(#narrow::<i32>(#name, #whole(#name, v)?))),
                true,
            )
        }
        Conv::FloatDecimal => {
            let f = convert(Helper::F64ToDecimal);
            (Expr::Of(quote!(#f(#name, v))), true)
        }
        Conv::DateTime => (Expr::Call(quote!(::sfgen_runtime::SfDateTime)), false),
        Conv::DateTimeFromDate => (Expr::Call(convert(Helper::DatetimeToDate)), false),
        Conv::DateFromDateTime => {
            let f = convert(Helper::DateToDatetime);
            (Expr::Of(quote!(::sfgen_runtime::SfDateTime(#f(v)))), false)
        }
        Conv::CentsI64 => {
            let f = convert(Helper::DecimalToCents);
            (Expr::Of(quote!(#f(#name, v))), true)
        }
        Conv::CentsI32 => {
            let (narrow, cents) = (convert(Helper::Narrow), convert(Helper::DecimalToCents));
            (
                Expr::Of(quote!(#narrow::<i32>(#name, #cents(#name, v)?))),
                true,
            )
        }
    }
}

/// Reads of one row field, in order, so all but the last consuming one clone.
struct Uses {
    remaining: Vec<(String, usize)>,
}

impl Uses {
    fn new(r: &ResourcePlan<'_>) -> Self {
        let mut remaining: Vec<(String, usize)> = Vec::new();
        for f in r.fields.iter().filter(|f| f.access.read) {
            if let Mapping::Join { .. } = f.mapping {
                continue;
            }
            for field in f.mapping.fields() {
                match remaining.iter_mut().find(|(n, _)| *n == field.api_name) {
                    Some((_, count)) => *count += 1,
                    None => remaining.push((field.api_name.clone(), 1)),
                }
            }
        }
        Uses { remaining }
    }

    /// `row.x`, or `row.x.clone()` when a later use still needs it.
    fn take(&mut self, field: &Field) -> TokenStream {
        let name = field_ident(field);
        let entry = self
            .remaining
            .iter_mut()
            .find(|(n, _)| *n == field.api_name);
        let later = match entry {
            Some((_, count)) => {
                *count -= 1;
                *count > 0
            }
            None => false,
        };
        if later && !is_copy(field) {
            quote!(Clone::clone(&row.#name))
        } else {
            quote!(row.#name)
        }
    }
}

/// The empty value of an unmapped unified field in the read form.
fn empty(f: &UnifiedField) -> TokenStream {
    match f.kind {
        Kind::Emails | Kind::Phones | Kind::IdList => quote!(Vec::new()),
        _ => quote!(None),
    }
}

fn read_impls(r: &ResourcePlan<'_>) -> TokenStream {
    let row = row_ident(r);
    let mapping = mapping_ident(r);
    let record = object_item(r.object, &r.object.record);
    let read_ty = unified_type(r.def.read);
    let (resource, object) = (r.def.name, &r.object.api_name);
    let prefix = match &r.object.key_prefix {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    let select = r.read_fields().into_iter().map(|f| f.api_name.clone());
    let id = r
        .object
        .fields
        .iter()
        .find(|f| f.ty == FieldType::OwnId)
        .map_or_else(|| ident("id"), field_ident);
    // Borrowing reads first (joins and `custom`), then the moves.
    let mut lets = Vec::new();
    for f in r.fields.iter().filter(|f| f.access.read) {
        if let Mapping::Join { parts, separator } = &f.mapping {
            let local = format_ident!("joined_{}", f.def.rust);
            let parts = parts.iter().map(|p| {
                let name = field_ident(p);
                quote!(row.#name.as_deref())
            });
            let join = convert(Helper::Join);
            lets.push(quote!(let #local = #join(&[ #( #parts ),* ], #separator);));
        }
    }
    let custom_reads: Vec<TokenStream> = r
        .custom
        .iter()
        .filter(|c| c.access.read)
        .map(|c| {
            let key = &c.key;
            let name = field_ident(c.field);
            let to_json = convert(Helper::ToJson);
            quote!(custom.insert(ToString::to_string(#key), #to_json(&row.#name));)
        })
        .collect();
    let (custom_init, custom) = if custom_reads.is_empty() {
        (quote!(), quote!(custom: unified::Custom::new(),))
    } else {
        let init = quote! {
            let mut custom = unified::Custom::new();
            #( #custom_reads )*
        };
        (init, quote!(custom,))
    };
    let mut uses = Uses::new(r);
    let values: Vec<TokenStream> = r.fields.iter().map(|f| read_field(f, &mut uses)).collect();
    quote! {
        impl From<#row> for #read_ty {
            fn from(row: #row) -> Self {
                #( #lets )*
                #custom_init
                Self {
                    #( #values )*
                    #custom
                }
            }
        }

        impl From<#record> for #read_ty {
            fn from(record: #record) -> Self {
                From::from(#row::from(record))
            }
        }

        impl unified::ReadMapping for #mapping {
            const RESOURCE: &'static str = #resource;
            const OBJECT: &'static str = #object;
            const KEY_PREFIX: Option<&'static str> = #prefix;
            const FIELDS: &'static [&'static str] = &[ #( #select ),* ];
            type Row = #row;
            type Read = #read_ty;

            fn row_id(row: &#row) -> ::sfgen_runtime::RecordId {
                row.#id.untyped()
            }
        }
    }
}

fn read_field(f: &FieldPlan<'_>, uses: &mut Uses) -> TokenStream {
    let name = ident(f.def.rust);
    if !f.access.read {
        let empty = empty(f.def);
        return quote!(#name: #empty,);
    }
    let value = match &f.mapping {
        Mapping::Direct(d) if f.def.is_key() => {
            let input = uses.take(d.field);
            quote!(ToString::to_string(&#input))
        }
        Mapping::Direct(d) => {
            let input = uses.take(d.field);
            match (&d.target, d.conv) {
                (Some(t), _) => {
                    let prefix = &t.key_prefix;
                    let f = convert(Helper::IdWithPrefix);
                    quote!(#f(#input, #prefix))
                }
                _ => read_conv(d).map(input),
            }
        }
        Mapping::Join { .. } => {
            let local = format_ident!("joined_{}", f.def.rust);
            quote!(#local)
        }
        Mapping::Address { parts } => {
            let parts = parts.iter().map(|p| uses.take(p));
            let address = convert(Helper::Address);
            quote!(#address( #( #parts ),* ))
        }
        Mapping::List { slots } => {
            let (read, ty) = match f.def.kind {
                Kind::Emails => (convert(Helper::ReadEmails), quote!(unified::EmailType)),
                _ => (convert(Helper::ReadPhones), quote!(unified::PhoneType)),
            };
            let pairs = slots.iter().map(|(field, variant)| {
                let input = uses.take(field);
                let variant = ident(variant);
                quote!((#input, #ty::#variant))
            });
            quote!(#read(vec![ #( #pairs ),* ]))
        }
        Mapping::Flags { closed, won } => {
            let (closed, won) = (uses.take(closed), uses.take(won));
            let status = convert(Helper::StageStatus);
            quote!(#status(#closed, #won))
        }
        Mapping::Unmapped { .. } => empty(f.def),
    };
    quote!(#name: #value,)
}

/// Whether a unified form field holds a value (`Option`, list or update `Field`).
fn is_set(f: &UnifiedField, update: bool) -> TokenStream {
    let name = ident(f.rust);
    match (update, f.kind) {
        (true, _) => quote!(!form.#name.is_unset()),
        (false, Kind::Emails | Kind::Phones | Kind::IdList) => quote!(!form.#name.is_empty()),
        (false, _) => quote!(form.#name.is_some()),
    }
}

/// Refusals of values that cannot be written: unmapped fields and fields whose
/// mapping is not used in this operation.
fn refusals(r: &ResourcePlan<'_>, update: bool) -> Vec<TokenStream> {
    let (operation, in_form): (&str, fn(&UnifiedField) -> bool) = if update {
        ("updated", |f| f.update)
    } else {
        ("created", |f| f.create != Create::No)
    };
    r.fields
        .iter()
        .filter(|f| in_form(f.def))
        .filter_map(|f| {
            let name = f.def.name;
            let set = is_set(f.def, update);
            match &f.mapping {
                Mapping::Unmapped { reason } => {
                    let unmapped = convert(Helper::Unmapped);
                    Some(quote!(#unmapped(#name, #reason, #set)?;))
                }
                _ if (update && !f.access.update) || (!update && !f.access.create) => {
                    let access = f.access.name();
                    let not_writable = convert(Helper::NotWritable);
                    Some(quote!(#not_writable(#name, #operation, #access, #set)?;))
                }
                _ => None,
            }
        })
        .collect()
}

/// One Salesforce field a write sets, and how its value is computed.
struct Write<'p, 'm> {
    field: &'m Field,
    /// The unified names that write it (several for a narrowed polymorphic reference).
    writers: Vec<(&'p FieldPlan<'m>, &'p Direct<'m>)>,
}

/// Direct writers grouped by Salesforce field, in model field order.
fn direct_writes<'p, 'm>(r: &'p ResourcePlan<'m>, is: fn(Access) -> bool) -> Vec<Write<'p, 'm>> {
    let mut out: Vec<Write<'p, 'm>> = Vec::new();
    for f in r.fields.iter().filter(|f| is(f.access)) {
        if let Mapping::Direct(d) = &f.mapping {
            match out
                .iter_mut()
                .find(|w| w.field.api_name == d.field.api_name)
            {
                Some(w) => w.writers.push((f, d)),
                None => out.push(Write {
                    field: d.field,
                    writers: vec![(f, d)],
                }),
            }
        }
    }
    out.sort_by_key(|w| {
        r.object
            .fields
            .iter()
            .position(|f| f.api_name == w.field.api_name)
    });
    out
}

/// What a create computes for one Salesforce field.
enum Value {
    /// A plain value (a required unified field): always present.
    Plain,
    /// An `Option`.
    Optional {
        /// The unified name(s) to report when Salesforce requires it and it is absent.
        names: Vec<String>,
    },
}

fn create_impl(r: &ResourcePlan<'_>, create: &str, new_record: &TokenStream) -> TokenStream {
    let form_ty = unified_type(create);
    let refusals = refusals(r, false);
    let custom_keys: Vec<&str> = r
        .custom
        .iter()
        .filter(|c| c.access.create)
        .map(|c| c.key.as_str())
        .collect();
    let mut body = vec![refusals_and_keys(&refusals, &custom_keys)];
    // Every Salesforce field written, with its local and kind of value.
    let mut values: Vec<(&Field, Value)> = Vec::new();
    // Values read straight from the form, used where they are needed instead of through a local.
    let mut sources: BTreeMap<&str, TokenStream> = BTreeMap::new();

    for w in direct_writes(r, |a| a.create) {
        let local = local(w.field);
        if let [(f, d)] = w.writers.as_slice() {
            let name = ident(f.def.rust);
            let (expr, fallible) = write_conv(r.object, f.def, d);
            let unchanged = passes_through(&expr, fallible);
            if f.def.create == Create::Required {
                let value = expr.apply(quote!(form.#name));
                let value = if fallible { quote!(#value?) } else { value };
                if unchanged {
                    sources.insert(&w.field.api_name, value);
                } else {
                    body.push(quote!(let #local = #value;));
                }
                values.push((w.field, Value::Plain));
            } else {
                let value = if fallible {
                    let mapped = expr.map(quote!(form.#name));
                    quote!(#mapped.transpose()?)
                } else {
                    expr.map(quote!(form.#name))
                };
                // A required-on-create field keeps its local: the gap check below rebinds it.
                if unchanged && !w.field.required_on_create {
                    sources.insert(&w.field.api_name, value);
                } else {
                    body.push(quote!(let #local = #value;));
                }
                values.push((
                    w.field,
                    Value::Optional {
                        names: vec![f.def.name.to_owned()],
                    },
                ));
            }
        } else {
            let api = &w.field.api_name;
            let flags = w.writers.iter().map(|(f, _)| {
                let (name, set) = (f.def.name, is_set(f.def, false));
                quote!((#name, #set))
            });
            let at_most_one = convert(Helper::AtMostOne);
            body.push(quote!(#at_most_one(#api, &[ #( #flags ),* ])?;));
            let branches = w.writers.iter().map(|(f, d)| {
                let name = ident(f.def.rust);
                let (expr, fallible) = write_conv(r.object, f.def, d);
                let value = expr.of_v();
                let value = if fallible { quote!(#value?) } else { value };
                quote! {
                    if let Some(v) = form.#name {
                        Some(#value)
                    }
                }
            });
            body.push(quote!(let #local = #( #branches )else* else { None };));
            values.push((
                w.field,
                Value::Optional {
                    names: w
                        .writers
                        .iter()
                        .map(|(f, _)| f.def.name.to_owned())
                        .collect(),
                },
            ));
        }
    }
    for f in r.fields.iter().filter(|f| f.access.create) {
        let name = ident(f.def.rust);
        match &f.mapping {
            Mapping::Address { parts } => {
                let locals = parts.iter().map(|p| local(p));
                let split = convert(Helper::SplitAddress);
                body.push(quote!(let [ #( #locals ),* ] = #split(form.#name);));
                values.extend(parts.iter().map(|p| {
                    (
                        *p,
                        Value::Optional {
                            names: vec![f.def.name.to_owned()],
                        },
                    )
                }));
            }
            Mapping::List { slots } => {
                let (write, ty) = list_writer(f.def);
                let types = slots.iter().map(|(_, variant)| {
                    let variant = ident(variant);
                    quote!(#ty::#variant)
                });
                let iter = format_ident!("{}_slots", f.def.rust);
                let label = f.def.name;
                body.push(quote!(let mut #iter = #write(#label, form.#name, &[ #( #types ),* ])?.into_iter();));
                for (field, _) in slots {
                    let local = local(field);
                    body.push(quote!(let #local = #iter.next().flatten();));
                    values.push((
                        field,
                        Value::Optional {
                            names: vec![f.def.name.to_owned()],
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    for c in r.custom.iter().filter(|c| c.access.create) {
        let local = local(c.field);
        let (key, api) = (&c.key, &c.field.api_name);
        let ty = value_type(r.object, c.field);
        let from_json = convert(Helper::FromJson);
        body.push(quote! {
            let #local = custom.remove(#key).map(|v| #from_json::<#ty>(#key, #api, v)).transpose()?;
        });
        values.push((
            c.field,
            Value::Optional {
                names: vec![format!("custom.{key}")],
            },
        ));
    }
    // Salesforce-required fields that come from optional values: one check listing every gap.
    let required: Vec<&Field> = r.object.required_fields().collect();
    let gaps: Vec<(&Field, &Vec<String>)> = required
        .iter()
        .filter_map(|rf| {
            values
                .iter()
                .find(|(f, _)| f.api_name == rf.api_name)
                .and_then(|(f, v)| match v {
                    Value::Optional { names } => Some((*f, names)),
                    Value::Plain => None,
                })
        })
        .collect();
    if !gaps.is_empty() {
        let resource = r.def.name;
        let requires = gaps.iter().map(|(f, names)| {
            let local = local(f);
            if let [one] = names.as_slice() {
                quote!(let #local = missing.require(#one, #local);)
            } else {
                quote!(let #local = missing.require_one_of(&[ #( #names ),* ], #local);)
            }
        });
        let patterns = gaps.iter().map(|(f, _)| {
            let local = local(f);
            quote!(Some(#local))
        });
        let locals = gaps.iter().map(|(f, _)| local(f));
        let missing = quote!(convert::Missing);
        body.push(quote! {
            let mut missing = #missing::new(#resource);
            #( #requires )*
            let ( #( #patterns, )* ) = ( #( #locals, )* ) else {
                return Err(missing.into_error());
            };
        });
    }
    let constructor = match &r.object.required {
        Some(required_ident) => {
            let required_ty = object_item(r.object, required_ident);
            let inits = required.iter().map(|f| {
                let (name, value) = (field_ident(f), source(&sources, f));
                quote!(#name: #value,)
            });
            quote!(#new_record::new(#required_ty { #( #inits )* }))
        }
        None => quote!(#new_record::new()),
    };
    let setters: Vec<TokenStream> = values
        .iter()
        .filter(|(f, _)| !f.required_on_create)
        .map(|(f, v)| {
            let local = source(&sources, f);
            let setter = format_ident!("with_{}", f.ident.bare);
            match v {
                Value::Plain => quote!(let record = record.#setter(#local);),
                Value::Optional { .. } => {
                    quote!(let record = convert::with_some(record, #local, Self::#setter);)
                }
            }
        })
        .collect();
    quote! {
        impl TryFrom<#form_ty> for #new_record {
            type Error = unified::MappingError;

            fn try_from(form: #form_ty) -> Result<Self, Self::Error> {
                #( #body )*
                let record = #constructor;
                #( #setters )*
                Ok(record)
            }
        }
    }
}

/// The refusals, then the `custom` map taken from the form and its keys checked.
fn refusals_and_keys(refusals: &[TokenStream], keys: &[&str]) -> TokenStream {
    let check_keys = convert(Helper::CheckCustomKeys);
    if keys.is_empty() {
        return quote! {
            #( #refusals )*
            #check_keys(&form.custom, &[])?;
        };
    }
    quote! {
        #( #refusals )*
        let mut custom = form.custom;
        #check_keys(&custom, &[ #( #keys ),* ])?;
    }
}

fn list_writer(f: &UnifiedField) -> (TokenStream, TokenStream) {
    match f.kind {
        Kind::Emails => (convert(Helper::WriteEmails), quote!(unified::EmailType)),
        _ => (convert(Helper::WritePhones), quote!(unified::PhoneType)),
    }
}

fn update_impl(r: &ResourcePlan<'_>, update: &str, record_update: &TokenStream) -> TokenStream {
    let form_ty = unified_type(update);
    let refusals = refusals(r, true);
    let custom_keys: Vec<&str> = r
        .custom
        .iter()
        .filter(|c| c.access.update)
        .map(|c| c.key.as_str())
        .collect();
    let try_map = convert(Helper::TryMap);
    let mut body = vec![refusals_and_keys(&refusals, &custom_keys)];
    // (field, unified name for errors) of every Salesforce field set, each in a local `Field`.
    let mut values: Vec<(&Field, String)> = Vec::new();
    // Values read straight from the form, used in the update instead of through a local.
    let mut sources: BTreeMap<&str, TokenStream> = BTreeMap::new();
    for w in direct_writes(r, |a| a.update) {
        let local = local(w.field);
        // The written value, and whether it is the form's own value unconverted.
        let convert_one = |f: &FieldPlan<'_>, d: &Direct<'_>| {
            let name = ident(f.def.rust);
            let (expr, fallible) = write_conv(r.object, f.def, d);
            let value = if fallible {
                let body = expr.of_v();
                quote!(#try_map(form.#name, |v| #body)?)
            } else {
                expr.map(quote!(form.#name))
            };
            (value, passes_through(&expr, fallible))
        };
        if let [(f, d)] = w.writers.as_slice() {
            let (value, unchanged) = convert_one(f, d);
            if unchanged {
                sources.insert(&w.field.api_name, value);
            } else {
                body.push(quote!(let #local = #value;));
            }
        } else {
            let api = &w.field.api_name;
            let flags = w.writers.iter().map(|(f, _)| {
                let (name, set) = (f.def.name, is_set(f.def, true));
                quote!((#name, #set))
            });
            let at_most_one = convert(Helper::AtMostOne);
            body.push(quote!(#at_most_one(#api, &[ #( #flags ),* ])?;));
            let branches = w.writers.iter().map(|(f, d)| {
                let set = is_set(f.def, true);
                let (value, _) = convert_one(f, d);
                quote!(if #set { #value })
            });
            body.push(
                quote!(let #local = #( #branches )else* else { ::sfgen_runtime::Field::Unset };),
            );
        }
        let names: Vec<&str> = w.writers.iter().map(|(f, _)| f.def.name).collect();
        values.push((w.field, names.join("/")));
    }
    for f in r.fields.iter().filter(|f| f.access.update) {
        let name = ident(f.def.rust);
        match &f.mapping {
            Mapping::Address { parts } => {
                let locals = parts.iter().map(|p| local(p));
                let update_address = convert(Helper::UpdateAddress);
                body.push(quote!(let [ #( #locals ),* ] = #update_address(form.#name);));
                values.extend(parts.iter().map(|p| (*p, f.def.name.to_owned())));
            }
            Mapping::List { slots } => {
                let (write, ty) = list_writer(f.def);
                let types = slots.iter().map(|(_, variant)| {
                    let variant = ident(variant);
                    quote!(#ty::#variant)
                });
                let iter = format_ident!("{}_slots", f.def.rust);
                let (label, count) = (f.def.name, slots.len());
                let update_slots = convert(Helper::UpdateSlots);
                body.push(quote! {
                    let mut #iter = #update_slots(form.#name, #count, |items| #write(#label, items, &[ #( #types ),* ]))?.into_iter();
                });
                for (field, _) in slots {
                    let local = local(field);
                    body.push(quote!(let #local = #iter.next().unwrap_or_default();));
                    values.push((field, f.def.name.to_owned()));
                }
            }
            _ => {}
        }
    }
    for c in r.custom.iter().filter(|c| c.access.update) {
        let local = local(c.field);
        let (key, api) = (&c.key, &c.field.api_name);
        let ty = value_type(r.object, c.field);
        let from_json_update = convert(Helper::FromJsonUpdate);
        body.push(quote! {
            let #local = match custom.remove(#key) {
                Some(v) => #from_json_update::<#ty>(#key, #api, v)?,
                None => ::sfgen_runtime::Field::Unset,
            };
        });
        values.push((c.field, format!("custom.{key}")));
    }
    let complete = values.len() == r.object.fields.iter().filter(|f| f.in_update).count();
    let rest = (!complete).then(|| quote!(..Default::default()));
    let inits = values.iter().map(|(f, unified)| {
        let (name, api) = (field_ident(f), &f.api_name);
        let local = source(&sources, f);
        if f.nillable {
            quote!(#name: #local,)
        } else {
            let not_null = convert(Helper::NotNull);
            quote!(#name: #not_null(#unified, #api, #local)?,)
        }
    });
    quote! {
        impl TryFrom<#form_ty> for #record_update {
            type Error = unified::MappingError;

            fn try_from(form: #form_ty) -> Result<Self, Self::Error> {
                #( #body )*
                Ok(Self {
                    #( #inits )*
                    #rest
                })
            }
        }
    }
}
