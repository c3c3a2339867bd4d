//! Builds the [`Model`] from validated describes.

use std::collections::HashMap;

use super::{
    ChildLink, Field, FieldType, Model, Object, PicklistEnum, PicklistVariant, Source, TargetEnum,
    TargetVariant, TypePath,
};
use crate::naming::{self, Case, Claimed, Namespace};
use crate::read::{DescribeType, FieldDescribe, SchemaFile, Schemas};
use crate::types::{self, Mapped, Scalar};
use crate::Warning;

/// Whether a create form cannot be built without the field: the one rule.
///
/// A field is required on create when it can be set on create, cannot be null
/// and Salesforce does not fill it in when it is not sent.
pub fn required_on_create(createable: bool, nillable: bool, defaulted_on_create: bool) -> bool {
    createable && !nillable && !defaulted_on_create
}

fn field_required(f: &FieldDescribe) -> bool {
    !types::is_read_only(&f.raw.field_type)
        && required_on_create(f.createable, f.nillable, f.defaulted_on_create)
}

/// The names decided for one object before its fields are looked at.
struct ObjectNames {
    module: Claimed,
    record: Claimed,
    create: Claimed,
    update: Claimed,
    required: Option<Claimed>,
}

/// What a reference needs to know about a generated object.
struct Target {
    path: TypePath,
    key_prefix: Option<String>,
}

/// Builds the model of every object in `schemas`.
pub fn build(schemas: &Schemas) -> Model {
    let names = object_names(&schemas.objects);
    let targets: HashMap<&str, Target> = schemas
        .objects
        .iter()
        .zip(&names)
        .map(|(s, n)| {
            let path = TypePath {
                module: n.module.ident.clone(),
                name: n.record.ident.clone(),
            };
            (
                s.describe.name.as_str(),
                Target {
                    path,
                    key_prefix: s.describe.key_prefix.clone(),
                },
            )
        })
        .collect();
    let mut warnings = Vec::new();
    let objects = schemas
        .objects
        .iter()
        .zip(names)
        .map(|(schema, names)| build_object(schema, names, &targets, &mut warnings))
        .collect();
    let mut model = Model {
        api_version: schemas.api_version.clone(),
        objects,
        warnings,
        shared_picklists: Vec::new(),
    };
    super::shared::share(&mut model);
    model
}

/// Names every object's module and types. Record types are claimed first, then
/// each object's create, update and required types, all in API-name order, in
/// one crate-wide namespace (the crate root re-exports them).
fn object_names(objects: &[SchemaFile]) -> Vec<ObjectNames> {
    let mut modules = Namespace::with_reserved(Case::Snake, naming::RESERVED_MODULES);
    let mut types = Namespace::new(Case::Camel);
    let firsts: Vec<(Claimed, Claimed)> = objects
        .iter()
        .map(|s| {
            let holder = format!("object `{}`", s.describe.name);
            let module = modules.claim(naming::snake(&s.describe.name), &holder);
            let record = types.claim(naming::camel(&s.describe.name), &holder);
            (module, record)
        })
        .collect();
    objects
        .iter()
        .zip(firsts)
        .map(|(s, (module, record))| {
            let base = record.ident.stem();
            let holder = format!("a type of object `{}`", s.describe.name);
            let create = types.claim(format!("New{base}"), &holder);
            let update = types.claim(format!("{base}Update"), &holder);
            let required = s
                .describe
                .fields
                .iter()
                .any(field_required)
                .then(|| types.claim(format!("{base}Required"), &holder));
            ObjectNames {
                module,
                record,
                create,
                update,
                required,
            }
        })
        .collect()
}

/// The order fields are named and emitted in: `Id` first, then by API name,
/// case-insensitively (ties broken by the exact name).
fn field_order(a: &FieldDescribe, b: &FieldDescribe) -> std::cmp::Ordering {
    let key = |f: &FieldDescribe| (f.raw.name != "Id", f.raw.name.to_ascii_lowercase());
    key(a)
        .cmp(&key(b))
        .then_with(|| a.raw.name.cmp(&b.raw.name))
}

fn build_object(
    schema: &SchemaFile,
    names: ObjectNames,
    targets: &HashMap<&str, Target>,
    warnings: &mut Vec<Warning>,
) -> Object {
    let describe = &schema.describe;
    let mut sorted: Vec<&FieldDescribe> = describe
        .fields
        .iter()
        .filter(|f| !f.raw.deprecated_and_hidden)
        .collect();
    sorted.sort_by(|a, b| field_order(a, b));

    // Types generated in this module: the object's own first.
    let mut module_types = Namespace::new(Case::Camel);
    let own = [
        Some(&names.record),
        Some(&names.create),
        Some(&names.update),
        names.required.as_ref(),
    ];
    for claimed in own.into_iter().flatten() {
        module_types.reserve(
            &claimed.ident.bare,
            &format!("a type of object `{}`", describe.name),
        );
    }
    let mut field_names = Namespace::new(Case::Snake);
    let mut methods = Namespace::new(Case::Snake);
    let record_base = names.record.ident.stem().to_owned();

    let mut fields = Vec::with_capacity(sorted.len());
    let mut picklists = Vec::new();
    let mut target_enums = Vec::new();
    for f in sorted {
        let raw = &f.raw;
        let claimed = field_names.claim(naming::snake(&raw.name), &format!("`{}`", raw.name));
        let mapped = types::map(raw);
        let ty = match mapped {
            Mapped::Scalar(scalar) => FieldType::Scalar(scalar),
            Mapped::Unknown => {
                warnings.push(Warning {
                    path: schema.path.clone(),
                    object: describe.name.clone(),
                    field: raw.name.clone(),
                    message: format!(
                        "unknown describe type `{}`, generated as serde_json::Value",
                        raw.field_type
                    ),
                });
                FieldType::Scalar(Scalar::Json)
            }
            Mapped::Id => FieldType::OwnId,
            Mapped::Reference => reference_type(raw.reference_to.as_slice(), targets),
            Mapped::Picklist | Mapped::MultiPicklist => {
                let ident = module_types.claim(
                    format!("{record_base}{}", naming::camel(&raw.name)),
                    &format!("picklist `{}`", raw.name),
                );
                picklists.push(picklist_enum(ident, f));
                let index = picklists.len() - 1;
                if mapped == Mapped::Picklist {
                    FieldType::Picklist(index)
                } else {
                    FieldType::MultiPicklist(index)
                }
            }
        };
        let ty = match ty {
            FieldType::RecordId { targets: to, .. } if to.len() > 1 => {
                let target_enum = target_enum(
                    f,
                    fields.len(),
                    &record_base,
                    targets,
                    &mut module_types,
                    &mut methods,
                );
                let index = target_enum.map(|t| {
                    target_enums.push(t);
                    target_enums.len() - 1
                });
                FieldType::RecordId {
                    targets: to,
                    target_enum: index,
                }
            }
            other => other,
        };
        let read_only = types::is_read_only(&raw.field_type);
        let suggestions = if raw.field_type == DescribeType::Combobox {
            raw.picklist_values
                .iter()
                .map(|p| p.value.clone())
                .collect()
        } else {
            Vec::new()
        };
        fields.push(Field {
            api_name: raw.name.clone(),
            name_note: claimed.note(),
            ident: claimed.ident,
            describe_type: raw.field_type.clone(),
            type_label: raw.type_label(),
            ty,
            nillable: f.nillable,
            createable: f.createable,
            updateable: f.updateable,
            required_on_create: describe.createable && field_required(f),
            in_create: describe.createable && f.createable && !read_only,
            in_update: describe.updateable && f.updateable && !read_only,
            length: raw.length,
            precision: raw.precision,
            scale: raw.scale,
            label: raw.label.clone(),
            help: raw
                .inline_help_text
                .clone()
                .filter(|h| !h.trim().is_empty()),
            calculated: raw.calculated,
            suggestions,
            relationship: raw
                .relationship_name
                .clone()
                .filter(|name| crate::read::is_api_name(name)),
        });
    }

    let name_notes = [&names.module, &names.record, &names.create, &names.update]
        .into_iter()
        .chain(names.required.as_ref())
        .filter_map(Claimed::note)
        .collect();
    Object {
        api_name: describe.name.clone(),
        label: describe.label.clone(),
        key_prefix: describe.key_prefix.clone().filter(|p| !p.is_empty()),
        source: Source {
            file_name: schema.file_name.clone(),
            api_version: schema.api_version.clone(),
            origin: schema.origin.clone(),
        },
        module: names.module.ident,
        record: names.record.ident,
        create: describe.createable.then_some(names.create.ident),
        update: describe.updateable.then_some(names.update.ident),
        required: names
            .required
            .filter(|_| describe.createable)
            .map(|c| c.ident),
        name_notes,
        fields,
        picklists,
        targets: target_enums,
        children: describe
            .children
            .iter()
            .filter_map(|c| {
                Some(ChildLink {
                    relationship: c.name.clone(),
                    field: c.field.clone(),
                    child: targets.get(c.child_object.as_str())?.path.clone(),
                })
            })
            .collect(),
    }
}

/// `Id<Target>` for a reference to exactly one generated object, `RecordId` otherwise.
fn reference_type(reference_to: &[String], targets: &HashMap<&str, Target>) -> FieldType {
    match reference_to {
        [one] => match targets.get(one.as_str()) {
            Some(t) => FieldType::Id(t.path.clone()),
            None => FieldType::RecordId {
                targets: reference_to.to_vec(),
                target_enum: None,
            },
        },
        _ => FieldType::RecordId {
            targets: reference_to.to_vec(),
            target_enum: None,
        },
    }
}

/// The enum for a polymorphic reference: one variant per generated target with
/// a key prefix (the prefix is what tells them apart). `None` when there is none.
fn target_enum(
    f: &FieldDescribe,
    field_index: usize,
    record_base: &str,
    targets: &HashMap<&str, Target>,
    module_types: &mut Namespace,
    methods: &mut Namespace,
) -> Option<TargetEnum> {
    let mut variant_names = Namespace::with_reserved(Case::Camel, naming::RESERVED_VARIANTS);
    let variants: Vec<TargetVariant> = f
        .raw
        .reference_to
        .iter()
        .filter_map(|api| {
            let target = targets.get(api.as_str())?;
            let key_prefix = target.key_prefix.clone().filter(|p| !p.is_empty())?;
            let ident = variant_names
                .claim(target.path.name.bare.clone(), &format!("object `{api}`"))
                .ident;
            Some(TargetVariant {
                ident,
                api_name: api.clone(),
                key_prefix,
                path: target.path.clone(),
            })
        })
        .collect();
    if variants.is_empty() {
        return None;
    }
    let relationship = f.raw.relationship_name.clone().unwrap_or_else(|| {
        let name = naming::snake(&f.raw.name);
        name.strip_suffix("_id").map(str::to_owned).unwrap_or(name)
    });
    let holder = format!("reference `{}`", f.raw.name);
    let ident = module_types
        .claim(
            format!("{record_base}{}Target", naming::camel(&relationship)),
            &holder,
        )
        .ident;
    let method = methods
        .claim(format!("{}_target", naming::snake(&relationship)), &holder)
        .ident;
    Some(TargetEnum {
        ident,
        method,
        field: field_index,
        variants,
    })
}

/// A picklist's enum: one variant per distinct value, in describe order, with
/// `Other` reserved for the fallback.
fn picklist_enum(claimed: Claimed, f: &FieldDescribe) -> PicklistEnum {
    let mut variant_names = Namespace::with_reserved(Case::Camel, naming::RESERVED_VARIANTS);
    let mut seen = std::collections::HashSet::new();
    let variants = f
        .raw
        .picklist_values
        .iter()
        .filter(|p| seen.insert(p.value.as_str()))
        .map(|p| {
            let claimed = variant_names.claim(
                naming::variant(&p.value),
                &format!("value {}", crate::emit::docs::code(&p.value)),
            );
            PicklistVariant {
                name_note: claimed.note(),
                ident: claimed.ident,
                value: p.value.clone(),
                label: p.label.clone().filter(|l| l != &p.value),
                active: p.active,
                default: p.default_value,
            }
        })
        .collect();
    PicklistEnum {
        name_note: claimed.note(),
        ident: claimed.ident,
        field_api_name: f.raw.name.clone(),
        field_label: f.raw.label.clone(),
        variants,
        shared: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_required_on_create_rule() {
        assert!(required_on_create(true, false, false));
        assert!(!required_on_create(false, false, false), "not createable");
        assert!(!required_on_create(true, true, false), "nillable");
        assert!(
            !required_on_create(true, false, true),
            "defaulted on create"
        );
    }
}
