//! One object's module: record, create and update forms, field names,
//! `impl SObject`, picklist enums and reference-target enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{self, attrs, code, inline, line_start, paragraphs, sanitize};
use super::picklist;
use super::types::{braced, codec, concat, ident, option, path, plain, value, Codec};
use crate::model::{Field, FieldType, Object, TargetEnum};
use crate::RecordDerives;

/// The tokens of `src/<module>.rs`.
pub fn object_file(object: &Object, derives: RecordDerives) -> TokenStream {
    let module_docs = docs::inner_attrs(&module_docs(object));
    let fields_mod = fields_module(object);
    let columns_mod = super::columns::columns_module(object);
    let parents_mod = super::relationships::parents_module(object).unwrap_or_default();
    let children_mod = super::relationships::children_module(object).unwrap_or_default();
    let record = record_struct(object, derives);
    let sobject = sobject_impl(object);
    let targets = target_enums(object);
    let create = create_form(object);
    let update = update_form(object);
    let picklists = object
        .picklists
        .iter()
        .map(|p| picklist::picklist_enum(object, p));
    concat(
        [
            module_docs,
            fields_mod,
            columns_mod,
            parents_mod,
            children_mod,
            record,
            sobject,
            targets,
            create,
            update,
        ]
        .into_iter()
        .chain(picklists),
    )
}

fn module_docs(object: &Object) -> Vec<String> {
    let record = &object.record.code;
    let mut head = format!("{} ({})", inline(&object.label), code(&object.api_name));
    if let Some(prefix) = &object.key_prefix {
        head.push_str(&format!(", key prefix {}", code(prefix)));
    }
    head.push('.');
    let mut source = format!("Generated from {}", code(&object.source.file_name));
    let details: Vec<String> = [
        object.source.origin.as_deref().map(inline),
        object
            .source
            .api_version
            .as_deref()
            .map(|v| format!("API v{}", inline(v))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !details.is_empty() {
        source.push_str(&format!(" ({})", details.join(", ")));
    }
    source.push('.');
    let create_line = match (&object.create, &object.required) {
        (Some(create), Some(required)) => format!(
            "- [`{create}`]: the create form, built by [`{create}::new`] from [`{}`] (required: {});",
            required.code,
            object.required_fields().map(|f| format!("`{}`", f.ident.bare)).collect::<Vec<_>>().join(", "),
            create = create.code,
        ),
        (Some(create), None) => format!("- [`{}`]: the create form (nothing is required);", create.code),
        (None, _) => "- no create form: the describe says the object is not `createable`;".to_owned(),
    };
    let update_line = match &object.update {
        Some(update) => format!("- [`{}`]: the update form;", update.code),
        None => "- no update form: the describe says the object is not `updateable`;".to_owned(),
    };
    let items = vec![
        format!("- [`{record}`]: a record as read;"),
        create_line,
        update_line,
        "- [`fields`]: the fields' API names, for SOQL.".to_owned(),
    ];
    paragraphs(vec![
        vec![line_start(head)],
        vec![source],
        items,
        object.name_notes.clone(),
    ])
}

/// `Label (`ApiName`)`.
fn title(field: &Field) -> String {
    if field.label.trim().is_empty() {
        code(&field.api_name)
    } else {
        line_start(format!(
            "{} ({})",
            inline(&field.label),
            code(&field.api_name)
        ))
    }
}

/// What can be done with the field.
fn access(field: &Field) -> &'static str {
    match (field.required_on_create, field.createable, field.updateable) {
        (true, _, true) => "required on create, updateable",
        (true, _, false) => "required on create, not updateable",
        (false, true, true) => "createable, updateable",
        (false, true, false) => "createable, not updateable",
        (false, false, true) => "updateable, not createable",
        (false, false, false) => "read-only",
    }
}

/// Type, access, picklist and reference facts, as one sentence (one doc line
/// per field keeps the generated code lean).
fn facts(object: &Object, field: &Field) -> String {
    let mut facts = code(&field.type_label);
    if field.calculated {
        facts.push_str(" (formula)");
    }
    facts.push_str(", ");
    facts.push_str(access(field));
    match &field.ty {
        FieldType::Picklist(i) | FieldType::MultiPicklist(i) => {
            facts.push_str(&format!(
                "; values: [`{}`]",
                object.picklists[*i].ident.code
            ));
        }
        FieldType::Id(target) if target.module == object.module => {
            facts.push_str(&format!("; refers to [`{}`]", target.name.code));
        }
        FieldType::Id(target) => {
            let (module, name) = (&target.module.code, &target.name.code);
            facts.push_str(&format!("; refers to [`{name}`](crate::{module}::{name})"));
        }
        FieldType::RecordId {
            targets,
            target_enum,
        } if !targets.is_empty() => {
            let names: Vec<String> = targets.iter().map(|t| code(t)).collect();
            facts.push_str(&format!("; refers to {}", names.join(", ")));
            if let Some(t) = target_enum {
                let method = &object.targets[*t].method.code;
                facts.push_str(&format!(
                    " ([`{}::{method}`] tells which)",
                    object.record.code
                ));
            }
        }
        _ => {}
    }
    if !field.suggestions.is_empty() {
        let values: Vec<String> = field.suggestions.iter().map(|s| code(s)).collect();
        facts.push_str(&format!("; suggested values: {}", values.join(", ")));
    }
    facts.push('.');
    if let Some(note) = &field.name_note {
        facts.push(' ');
        facts.push_str(note);
    }
    facts
}

/// A link to the record's field, whose doc says everything about it (the
/// create and update forms point there).
fn field_link(object: &Object, field: &Field) -> String {
    format!(
        "[`{}`]({}#structfield.{})",
        field.ident.bare, object.record.code, field.ident.bare
    )
}

/// The record's doc for one field: title and facts, then the help text.
fn field_docs(object: &Object, field: &Field) -> Vec<String> {
    paragraphs(vec![
        vec![format!("{}: {}", title(field), facts(object, field))],
        field.help.as_deref().map(sanitize).unwrap_or_default(),
    ])
}

fn fields_module(object: &Object) -> TokenStream {
    let doc = format!(
        " API names of [`{}`]'s fields, for SOQL.",
        object.record.code
    );
    let consts = object.fields.iter().map(|f| {
        let name = plain(&f.ident.constant());
        let api = &f.api_name;
        let doc = format!(" {}", title(f));
        quote! {
            #[doc = #doc]
            pub const #name: &str = #api;
        }
    });
    let consts = braced(concat(consts));
    quote! {
        #[doc = #doc]
        pub mod fields #consts
    }
}

fn record_struct(object: &Object, derives: RecordDerives) -> TokenStream {
    let record = ident(&object.record);
    let doc = attrs(&paragraphs(vec![
        vec![line_start(format!("{} ({}): a record as read.", inline(&object.label), code(&object.api_name)))],
        vec![
            "Nillable fields are `Option`s. Decodes a record from `GET /sobjects/…/{id}` or from a query that"
                .to_owned(),
            "selected [`SObject::FIELDS`](::sfgen_runtime::SObject::FIELDS).".to_owned(),
        ],
    ]));
    let fields = object.fields.iter().map(|f| {
        let name = ident(&f.ident);
        let api = &f.api_name;
        let doc = attrs(&field_docs(object, f));
        let ty = value(object, f);
        let (ty, serde) = match (f.nillable, codec(f)) {
            (false, Codec::Plain) => (ty, quote!(#[serde(rename = #api)])),
            (true, Codec::Plain) => (option(ty), quote!(#[serde(rename = #api)])),
            (false, Codec::Whole) => (ty, quote!(#[serde(rename = #api, deserialize_with = "::sfgen_runtime::number::whole")])),
            (true, Codec::Whole) => (
                option(ty),
                quote!(#[serde(rename = #api, default, deserialize_with = "::sfgen_runtime::number::whole_option")]),
            ),
            (false, Codec::Exact) => (ty, quote!(#[serde(rename = #api, with = "::sfgen_runtime::number::exact")])),
            (true, Codec::Exact) => (
                option(ty),
                quote!(#[serde(rename = #api, default, with = "::sfgen_runtime::number::exact")]),
            ),
        };
        quote! {
            #doc
            #serde
            pub #name: #ty,
        }
    });
    let fields = braced(concat(fields));
    let derives = record_derives(derives);
    quote! {
        #doc
        #[::sfgen_runtime::record]
        #[derive(Debug #( , #derives )*)]
        pub struct #record #fields
    }
}

/// The derives a project asks for on read records, beyond `Debug` (`Deserialize` is
/// `#[sfgen_runtime::record]`'s).
fn record_derives(derives: RecordDerives) -> Vec<TokenStream> {
    [
        (derives.clone, quote!(Clone)),
        (derives.partial_eq, quote!(PartialEq)),
        (derives.serialize, quote!(::serde::Serialize)),
    ]
    .into_iter()
    .filter_map(|(on, tokens)| on.then_some(tokens))
    .collect()
}

fn sobject_impl(object: &Object) -> TokenStream {
    let record = ident(&object.record);
    let api = &object.api_name;
    let prefix = match &object.key_prefix {
        Some(p) => quote!(::std::option::Option::Some(#p)),
        None => quote!(::std::option::Option::None),
    };
    let fields = object.fields.iter().map(|f| plain(&f.ident.constant()));
    quote! {
        impl ::sfgen_runtime::SObject for #record {
            const API_NAME: &'static str = #api;
            const KEY_PREFIX: ::std::option::Option<&'static str> = #prefix;
            const FIELDS: &'static [&'static str] = &[ #( fields::#fields ),* ];
            const REGENERATE: &'static str = crate::REGENERATE;
        }
    }
}

fn target_enums(object: &Object) -> TokenStream {
    if object.targets.is_empty() {
        return TokenStream::new();
    }
    let record = ident(&object.record);
    let methods = object.targets.iter().map(|t| target_method(object, t));
    let enums = object.targets.iter().map(|t| target_enum(object, t));
    quote! {
        impl #record {
            #( #methods )*
        }
        #( #enums )*
    }
}

fn target_method(object: &Object, t: &TargetEnum) -> TokenStream {
    let field = &object.fields[t.field];
    let name = ident(&field.ident);
    let method = ident(&t.method);
    let target = ident(&t.ident);
    let doc = format!(
        " Which object {} points at, told by its key prefix.",
        code(&field.api_name)
    );
    if field.nillable {
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> ::std::option::Option<#target> {
                self.#name.map(#target::from_id)
            }
        }
    } else {
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> #target {
                #target::from_id(self.#name)
            }
        }
    }
}

fn target_enum(object: &Object, t: &TargetEnum) -> TokenStream {
    let field = &object.fields[t.field];
    let name = ident(&t.ident);
    let doc = format!(
        " The object {} ({}) points at, told by the key prefix of its id.",
        inline(&field.label),
        code(&field.api_name)
    );
    let variants = t.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let target = path(&v.path);
        let doc = format!(
            " A {} id (key prefix {}).",
            code(&v.api_name),
            code(&v.key_prefix)
        );
        quote! {
            #[doc = #doc]
            #variant(::sfgen_runtime::Id<#target>),
        }
    });
    let tries = t.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let target = path(&v.path);
        quote! {
            if let ::std::result::Result::Ok(id) = id.typed::<#target>() {
                return Self::#variant(id);
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum #name {
            #( #variants )*
            /// An id of an object without a variant here (not generated, or with no key prefix).
            Other(::sfgen_runtime::RecordId),
        }

        impl #name {
            /// Tells the target by the id's key prefix.
            pub fn from_id(id: ::sfgen_runtime::RecordId) -> Self {
                #( #tries )*
                Self::Other(id)
            }
        }
    }
}

/// The create form, or nothing when the object cannot be created.
fn create_form(object: &Object) -> TokenStream {
    let Some(create_form) = &object.create else {
        return TokenStream::new();
    };
    let record = ident(&object.record);
    let create = ident(create_form);
    let in_create: Vec<&Field> = object.fields.iter().filter(|f| f.in_create).collect();
    let declared = in_create.iter().map(|f| {
        let name = ident(&f.ident);
        let api = &f.api_name;
        let ty = value(object, f);
        let with = exact_with(f);
        if f.required_on_create {
            quote! {
                #[serde(rename = #api #with)]
                #name: #ty,
            }
        } else {
            // `create_form` leaves it out of the body while unset and writes
            // its `with_` setter, documented "Sets" and this doc.
            let ty = option(ty);
            let doc = format!(" {} (see {}).", code(&f.api_name), field_link(object, f));
            quote! {
                #[doc = #doc]
                #[serde(rename = #api #with)]
                #name: #ty,
            }
        }
    });
    let form_doc = format!(
        " The create form of [`{}`]: the fields that can be set on create, sent as a `POST` body.",
        object.record.code
    );
    let (constructor, derives, required_struct) = match &object.required {
        Some(required) => {
            let required = ident(required);
            let moves = in_create.iter().map(|f| {
                let name = ident(&f.ident);
                if f.required_on_create {
                    quote!(#name: required.#name,)
                } else {
                    quote!(#name: ::std::option::Option::None,)
                }
            });
            let required_fields = object.required_fields().map(|f| {
                let name = ident(&f.ident);
                let ty = value(object, f);
                let doc = attrs(&paragraphs(vec![
                    vec![title(f)],
                    f.help.as_deref().map(sanitize).unwrap_or_default(),
                ]));
                quote! {
                    #doc
                    pub #name: #ty,
                }
            });
            let required_doc = format!(
                " The fields a [`{}`] cannot be created without; pass them to [`{}::new`].",
                object.record.code, create_form.code
            );
            let moves = braced(concat(moves));
            let constructor = quote! {
                /// A create form with the required fields set and every other field unset.
                pub fn new(required: #required) -> Self {
                    Self #moves
                }
            };
            let required_fields = braced(concat(required_fields));
            let required_struct = quote! {
                #[doc = #required_doc]
                #[derive(Debug)]
                pub struct #required #required_fields
            };
            (constructor, quote!(#[derive(Debug)]), required_struct)
        }
        None => {
            let constructor = quote! {
                /// An empty create form: nothing is required.
                pub fn new() -> Self {
                    ::std::default::Default::default()
                }
            };
            (
                constructor,
                quote!(#[derive(Debug, Default)]),
                TokenStream::new(),
            )
        }
    };
    let declared = braced(concat(declared));
    quote! {
        #required_struct

        #[doc = #form_doc]
        #[::sfgen_runtime::create_form]
        #derives
        pub struct #create #declared

        impl #create {
            #constructor
        }

        impl ::sfgen_runtime::CreateRecord for #create {
            type Object = #record;
        }
    }
}

/// The update form, or nothing when the object cannot be updated.
fn update_form(object: &Object) -> TokenStream {
    let Some(update_form) = &object.update else {
        return TokenStream::new();
    };
    let record = ident(&object.record);
    let update = ident(update_form);
    let fields = object.fields.iter().filter(|f| f.in_update).map(|f| {
        let name = ident(&f.ident);
        let api = &f.api_name;
        let ty = value(object, f);
        let clears = if f.nillable {
            "; `Field::Null` clears it"
        } else {
            ""
        };
        let doc = format!(
            " {} (see {}){clears}.",
            code(&f.api_name),
            field_link(object, f)
        );
        let with = exact_with(f);
        // `update_form` leaves an unset `Field` or a `None` out of the body.
        let ty = if f.nillable {
            quote!(::sfgen_runtime::Field<#ty>)
        } else {
            option(ty)
        };
        quote! {
            #[doc = #doc]
            #[serde(rename = #api #with)]
            pub #name: #ty,
        }
    });
    let doc = attrs(&[
        format!("The update form of [`{}`]: only the fields set here are sent in the `PATCH` body.", object.record.code),
        String::new(),
        "Nillable fields are `sfgen_runtime::Field`s (unset, null or a value); the others are `Option`s".to_owned(),
        "(unset or a value). Start from `Default::default()`.".to_owned(),
    ]);
    let fields = braced(concat(fields));
    quote! {
        #doc
        #[::sfgen_runtime::update_form]
        #[derive(Debug, Default)]
        pub struct #update #fields

        impl ::sfgen_runtime::UpdateRecord for #update {
            type Object = #record;
        }
    }
}

/// `, with = "::sfgen_runtime::number::exact"` for a form field whose value is
/// a decimal (written as its exact text, never through `f64`).
fn exact_with(field: &Field) -> Option<TokenStream> {
    (codec(field) == Codec::Exact).then(|| quote!(, with = "::sfgen_runtime::number::exact"))
}
