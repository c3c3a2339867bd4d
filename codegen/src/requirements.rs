//! `sfgen requirements`: what a create of each object needs, from the snapshot:
//! the required fields, the restricted picklists and where references point.
//!
//! Required-ness and Rust names come from the [`model`], so this
//! report says exactly what the generated `New<Object>` demands.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{self, Field};
use crate::read::{DescribeType, FieldDescribe, Schemas};
use crate::Error;

/// What a create of one object needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRequirements {
    /// The object's API name.
    pub object: String,
    /// Whether the object can be created at all (the describe's `createable`).
    pub createable: bool,
    /// The generated create form, e.g. `NewContact`; `None` when not createable.
    pub create_type: Option<String>,
    /// The generated required-fields struct, e.g. `ContactRequired`, when something is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_type: Option<String>,
    /// Fields a create cannot omit.
    pub required: Vec<RequiredField>,
    /// Createable picklists that reject values they do not list.
    pub restricted_picklists: Vec<RestrictedPicklist>,
    /// Createable references and the objects they point at.
    pub references: Vec<Reference>,
}

/// A field a create cannot omit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequiredField {
    /// The API name.
    pub field: String,
    /// The Rust name in the generated required-fields struct.
    pub rust_name: String,
    /// The describe type with its size, e.g. `string(80)`.
    #[serde(rename = "type")]
    pub describe_type: String,
}

/// A createable picklist that rejects values it does not list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestrictedPicklist {
    /// The API name.
    pub field: String,
    /// Whether a create must set it.
    pub required: bool,
    /// The active values.
    pub values: Vec<String>,
    /// The value Salesforce fills in when a create leaves it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// A createable reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    /// The API name.
    pub field: String,
    /// Whether a create must set it.
    pub required: bool,
    /// The objects its id can belong to.
    pub targets: Vec<String>,
}

/// The requirements of `objects` (API names), or of every object in the snapshot.
pub fn requirements(
    schemas: &Schemas,
    objects: Option<&[String]>,
) -> Result<Vec<ObjectRequirements>, Error> {
    let known: Vec<&str> = schemas
        .objects
        .iter()
        .map(|o| o.describe.name.as_str())
        .collect();
    let picked = match objects {
        Some(wanted) => Some(crate::objects::pick(&known, wanted)?),
        None => None,
    };
    let model = model::build(schemas);
    let describes: HashMap<&str, &crate::read::Describe> = schemas
        .objects
        .iter()
        .map(|o| (o.describe.name.as_str(), &o.describe))
        .collect();
    let mut out = Vec::new();
    for object in &model.objects {
        if picked
            .as_ref()
            .is_some_and(|picked| !picked.contains(object.api_name.as_str()))
        {
            continue;
        }
        let Some(describe) = describes.get(object.api_name.as_str()) else {
            continue;
        };
        let raw: HashMap<&str, &FieldDescribe> = describe
            .fields
            .iter()
            .map(|f| (f.raw.name.as_str(), f))
            .collect();
        let mut reqs = ObjectRequirements {
            object: object.api_name.clone(),
            createable: object.create.is_some(),
            create_type: object.create.as_ref().map(|c| c.code.clone()),
            required_type: object.required.as_ref().map(|r| r.code.clone()),
            required: Vec::new(),
            restricted_picklists: Vec::new(),
            references: Vec::new(),
        };
        for field in object.fields.iter().filter(|f| f.in_create) {
            let Some(describe) = raw.get(field.api_name.as_str()) else {
                continue;
            };
            add_field(&mut reqs, field, describe);
        }
        out.push(reqs);
    }
    Ok(out)
}

fn add_field(reqs: &mut ObjectRequirements, field: &Field, describe: &FieldDescribe) {
    if field.required_on_create {
        reqs.required.push(RequiredField {
            field: field.api_name.clone(),
            rust_name: field.ident.code.clone(),
            describe_type: field.type_label.clone(),
        });
    }
    let raw = &describe.raw;
    if raw.restricted_picklist && raw.field_type.is_picklist() {
        reqs.restricted_picklists.push(RestrictedPicklist {
            field: field.api_name.clone(),
            required: field.required_on_create,
            values: raw
                .picklist_values
                .iter()
                .filter(|p| p.active)
                .map(|p| p.value.clone())
                .collect(),
            default: raw
                .picklist_values
                .iter()
                .find(|p| p.default_value)
                .map(|p| p.value.clone()),
        });
    }
    if raw.field_type == DescribeType::Reference && !raw.reference_to.is_empty() {
        reqs.references.push(Reference {
            field: field.api_name.clone(),
            required: field.required_on_create,
            targets: raw.reference_to.clone(),
        });
    }
}

/// The requirements for people, one block per object.
pub fn render_text(reqs: &[ObjectRequirements]) -> String {
    let mut out = String::new();
    for (i, r) in reqs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match (&r.create_type, &r.required_type) {
            (Some(create), Some(required)) => {
                let names: Vec<&str> = r.required.iter().map(|f| f.rust_name.as_str()).collect();
                out.push_str(&format!(
                    "{}: {create}::new({required} {{ {} }})\n",
                    r.object,
                    names.join(", ")
                ));
            }
            (Some(create), None) => out.push_str(&format!(
                "{}: {create}::new() (nothing is required)\n",
                r.object
            )),
            (None, _) => out.push_str(&format!(
                "{}: cannot be created (the describe says it is not createable)\n",
                r.object
            )),
        }
        if !r.required.is_empty() {
            out.push_str("  required on create:\n");
            let width = r.required.iter().map(|f| f.field.len()).max().unwrap_or(0);
            let type_width = r
                .required
                .iter()
                .map(|f| f.describe_type.len())
                .max()
                .unwrap_or(0);
            for f in &r.required {
                out.push_str(&format!(
                    "    {:<width$}  {:<type_width$}  ({})\n",
                    f.field, f.describe_type, f.rust_name
                ));
            }
        }
        if !r.restricted_picklists.is_empty() {
            out.push_str("  restricted picklists (other values are rejected):\n");
            for p in &r.restricted_picklists {
                let mut line = format!(
                    "    {}{}: {}",
                    p.field,
                    required_mark(p.required),
                    p.values.join(" | ")
                );
                if let Some(default) = &p.default {
                    line.push_str(&format!(" (default {default})"));
                }
                out.push_str(&line);
                out.push('\n');
            }
        }
        if !r.references.is_empty() {
            out.push_str("  references:\n");
            for reference in &r.references {
                out.push_str(&format!(
                    "    {}{} -> {}\n",
                    reference.field,
                    required_mark(reference.required),
                    reference.targets.join(" | ")
                ));
            }
        }
    }
    out
}

fn required_mark(required: bool) -> &'static str {
    if required {
        " (required)"
    } else {
        ""
    }
}

/// The requirements as pretty JSON with a trailing newline: an array of
/// `{"object", "createable", "createType", "requiredType", "required", "restrictedPicklists", "references"}`
/// (`createType` is `null` for an object that cannot be created).
pub fn render_json(reqs: &[ObjectRequirements]) -> String {
    // Plain structs of strings and booleans always serialize.
    let mut text = serde_json::to_string_pretty(reqs).unwrap_or_default();
    text.push('\n');
    text
}
