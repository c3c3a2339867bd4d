//! The org's objects: describes read from a schemas directory, indexed for the store.
//!
//! A schemas directory holds one describe per object (`<Object>.json`) and
//! optionally a `manifest.json` whose `objects` map names each object's `file`.
//! Without a manifest every `*.json` file is a describe and the object name comes
//! from the describe's `name`.

mod field;
mod load;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

pub use field::{FieldMeta, FieldType, SystemField};
pub use load::load_dir;

use crate::ids::key_prefix_bytes;
use crate::Error;

/// One object: its describe, verbatim, and the field metadata the store uses.
#[derive(Debug, Clone)]
pub struct ObjectSchema {
    /// API name.
    pub name: String,
    /// The three-character id prefix, if the object has records.
    pub key_prefix: Option<[u8; 3]>,
    /// The describe as served by `/sobjects/<name>/describe`.
    pub describe: Arc<Value>,
    /// Fields in describe order.
    pub fields: Vec<FieldMeta>,
    by_name: HashMap<String, usize>,
    by_exact_name: HashMap<String, usize>,
    /// When the describe last changed (`Last-Modified`).
    pub last_modified: DateTime<Utc>,
    /// Object-level permissions from the describe.
    pub createable: bool,
    /// See `createable`.
    pub updateable: bool,
    /// See `createable`.
    pub deletable: bool,
    /// See `createable`.
    pub queryable: bool,
}

fn flag(describe: &Value, key: &str) -> bool {
    describe.get(key).and_then(Value::as_bool).unwrap_or(false)
}

impl ObjectSchema {
    /// Indexes a describe. `origin` names it in errors.
    pub fn from_describe(
        describe: Value,
        origin: &str,
        last_modified: DateTime<Utc>,
    ) -> Result<ObjectSchema, Error> {
        let invalid = |reason: String| Error::Describe {
            origin: origin.to_owned(),
            reason,
        };
        let name = describe
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("no `name`".into()))?
            .to_owned();
        let raw_fields = describe
            .get("fields")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("no `fields` array".into()))?;
        let mut fields = raw_fields
            .iter()
            .map(|f| FieldMeta::from_describe(f).map_err(|e| invalid(format!("field: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        link_compounds(&mut fields);
        if fields.len() > usize::from(u16::MAX) {
            return Err(invalid(format!(
                "{} fields is more than the org supports",
                fields.len()
            )));
        }
        let key_prefix = describe
            .get("keyPrefix")
            .and_then(Value::as_str)
            .and_then(key_prefix_bytes);
        let by_name = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.to_ascii_lowercase(), i))
            .collect();
        let by_exact_name = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), i))
            .collect();
        Ok(ObjectSchema {
            createable: flag(&describe, "createable"),
            updateable: flag(&describe, "updateable"),
            deletable: flag(&describe, "deletable"),
            queryable: flag(&describe, "queryable"),
            name,
            key_prefix,
            describe: Arc::new(describe),
            fields,
            by_name,
            by_exact_name,
            last_modified,
        })
    }

    /// The index of a field, by case-insensitive API name.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        if let Some(&i) = self.by_exact_name.get(name) {
            return Some(i);
        }
        self.by_name.get(&name.to_ascii_lowercase()).copied()
    }

    /// A field, by case-insensitive API name.
    pub fn field(&self, name: &str) -> Option<&FieldMeta> {
        self.field_index(name).map(|i| &self.fields[i])
    }

    /// The field whose `relationshipName` is `relationship` (case-insensitive).
    pub fn relationship(&self, relationship: &str) -> Option<&FieldMeta> {
        self.fields.iter().find(|f| {
            f.relationship_name
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(relationship))
        })
    }
}

/// The key of a compound component inside the compound value: `BillingCity` of
/// `BillingAddress` is `city`, `Location__Latitude__s` of `Location__c` is `latitude`.
fn component_key(compound: &str, component: &str) -> String {
    let lower = component.to_ascii_lowercase();
    if lower.contains("latitude") && !compound.ends_with("Address") {
        return "latitude".into();
    }
    if lower.contains("longitude") && !compound.ends_with("Address") {
        return "longitude".into();
    }
    let prefix = compound.strip_suffix("Address").unwrap_or(compound);
    let rest = component.strip_prefix(prefix).unwrap_or(component);
    let mut chars = rest.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => rest.to_owned(),
    }
}

/// Records, on each compound field, which fields are its components.
fn link_compounds(fields: &mut [FieldMeta]) {
    let compounds: Vec<(usize, String)> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.field_type == FieldType::Compound)
        .map(|(i, f)| (i, f.name.clone()))
        .collect();
    for (index, name) in compounds {
        let parts: Vec<(String, usize)> = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.compound_field_name.as_deref() == Some(name.as_str()))
            .map(|(i, f)| (component_key(&name, &f.name), i))
            .collect();
        fields[index].parts = parts;
    }
}

/// Every object of the org.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    objects: Vec<ObjectSchema>,
    by_name: HashMap<String, usize>,
    by_prefix: HashMap<[u8; 3], usize>,
}

impl Schema {
    /// Builds a schema from `(origin, describe)` pairs; two describes of one object
    /// are an error naming both origins.
    pub fn from_describes(
        describes: Vec<(String, Value)>,
        now: DateTime<Utc>,
    ) -> Result<Schema, Error> {
        let mut schema = Schema::default();
        let mut origins: HashMap<String, String> = HashMap::new();
        for (origin, describe) in describes {
            let object = ObjectSchema::from_describe(describe, &origin, now)?;
            let key = object.name.to_ascii_lowercase();
            if let Some(first) = origins.get(&key) {
                return Err(Error::DuplicateObject {
                    name: object.name,
                    first: first.clone(),
                    second: origin,
                });
            }
            origins.insert(key, origin);
            schema.put(object);
        }
        Ok(schema)
    }

    /// Adds `object`, or replaces the object of the same name; returns its index.
    pub fn put(&mut self, object: ObjectSchema) -> usize {
        let key = object.name.to_ascii_lowercase();
        let index = match self.by_name.get(&key) {
            Some(&i) => {
                if let Some(old) = self.objects[i].key_prefix {
                    self.by_prefix.remove(&old);
                }
                self.objects[i] = object;
                i
            }
            None => {
                self.objects.push(object);
                self.by_name.insert(key, self.objects.len() - 1);
                self.objects.len() - 1
            }
        };
        if let Some(prefix) = self.objects[index].key_prefix {
            // The first object to claim a prefix keeps it.
            self.by_prefix.entry(prefix).or_insert(index);
        }
        index
    }

    /// All objects, in load order.
    pub fn objects(&self) -> &[ObjectSchema] {
        &self.objects
    }

    /// The index of an object, by case-insensitive API name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(&name.to_ascii_lowercase()).copied()
    }

    /// An object, by case-insensitive API name.
    pub fn object(&self, name: &str) -> Option<&ObjectSchema> {
        self.index_of(name).map(|i| &self.objects[i])
    }

    /// An object by index.
    pub fn get(&self, index: usize) -> Option<&ObjectSchema> {
        self.objects.get(index)
    }

    /// The object whose ids start with `prefix`.
    pub fn index_of_prefix(&self, prefix: [u8; 3]) -> Option<usize> {
        self.by_prefix.get(&prefix).copied()
    }

    /// Appends a field to an object's describe; returns the object's index.
    pub fn add_field(
        &mut self,
        object: &str,
        field: Value,
        now: DateTime<Utc>,
    ) -> Result<usize, Error> {
        let index = self
            .index_of(object)
            .ok_or_else(|| Error::UnknownObject(object.to_owned()))?;
        let current = &self.objects[index];
        let name = field
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if current.field_index(name).is_some() {
            return Err(Error::Describe {
                origin: current.name.clone(),
                reason: format!("field {name} already exists"),
            });
        }
        let mut describe = (*current.describe).clone();
        let Some(fields) = describe.get_mut("fields").and_then(Value::as_array_mut) else {
            return Err(Error::Describe {
                origin: current.name.clone(),
                reason: "no fields".into(),
            });
        };
        fields.push(field);
        let origin = current.name.clone();
        let updated = ObjectSchema::from_describe(describe, &origin, now)?;
        self.objects[index] = updated;
        Ok(index)
    }
}
