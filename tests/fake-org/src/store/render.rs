//! Turning a stored row back into the JSON Salesforce sends.

use serde_json::{json, Map, Value};

use super::cell::{self, format_datetime};
use super::table::{RowMeta, RowState};
use crate::ids::SfId;
use crate::schema::{FieldMeta, FieldType, ObjectSchema, SystemField};

/// The keys of an address value, in the order Salesforce sends them.
const ADDRESS_KEYS: [&str; 10] = [
    "city",
    "country",
    "countryCode",
    "geocodeAccuracy",
    "latitude",
    "longitude",
    "postalCode",
    "state",
    "stateCode",
    "street",
];

/// A record as the REST API returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The object's API name.
    pub object: String,
    /// The record id.
    pub id: SfId,
    /// Field values by API name, in describe order (nulls included).
    pub fields: Map<String, Value>,
}

impl Record {
    /// The record with its `attributes {type, url}` first, as `GET /sobjects/<X>/<id>` sends it.
    pub fn to_json(&self, api_version: &str) -> Value {
        let mut out = Map::with_capacity(self.fields.len() + 1);
        out.insert(
            "attributes".into(),
            attributes(&self.object, self.id, api_version),
        );
        out.extend(self.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        Value::Object(out)
    }
}

/// `{"type": object, "url": "/services/data/vNN.N/sobjects/<object>/<id>"}`.
pub fn attributes(object: &str, id: SfId, api_version: &str) -> Value {
    json!({
        "type": object,
        "url": format!("/services/data/v{api_version}/sobjects/{object}/{id}"),
    })
}

fn system_value(system: SystemField, meta: &RowMeta, users: &[SfId]) -> Value {
    let user = |i: u16| {
        users
            .get(usize::from(i))
            .map_or(Value::Null, |u| json!(u.as_str()))
    };
    match system {
        SystemField::Id => json!(meta.id.as_str()),
        SystemField::IsDeleted => json!(meta.state == RowState::Deleted),
        SystemField::CreatedDate => json!(format_datetime(meta.created_ms)),
        SystemField::LastModifiedDate | SystemField::SystemModstamp => {
            json!(format_datetime(meta.modified_ms))
        }
        SystemField::CreatedById => user(meta.created_by),
        SystemField::LastModifiedById => user(meta.modified_by),
    }
}

fn stored_value(field: &FieldMeta, index: usize, values: &[u8]) -> Value {
    let stored = u16::try_from(index)
        .ok()
        .and_then(|i| cell::lookup(values, i));
    match (stored, &field.field_type) {
        (Some(c), _) => c.to_json(),
        (None, FieldType::Boolean) => Value::Bool(false),
        (None, _) => Value::Null,
    }
}

/// The value of field `index` of a row, as Salesforce renders it.
pub fn field_value(
    object: &ObjectSchema,
    index: usize,
    meta: &RowMeta,
    values: &[u8],
    users: &[SfId],
) -> Value {
    let Some(field) = object.fields.get(index) else {
        return Value::Null;
    };
    if let Some(system) = field.system {
        return system_value(system, meta, users);
    }
    if field.field_type != FieldType::Compound || field.parts.is_empty() {
        return stored_value(field, index, values);
    }
    let parts: Map<String, Value> = field
        .parts
        .iter()
        .map(|(key, i)| (key.clone(), stored_value(&object.fields[*i], *i, values)))
        .collect();
    if parts.values().all(Value::is_null) {
        return Value::Null;
    }
    let is_address = field.type_name == "address";
    let keys: Vec<&str> = if is_address {
        ADDRESS_KEYS.to_vec()
    } else {
        parts.keys().map(String::as_str).collect()
    };
    Value::Object(
        keys.into_iter()
            .map(|k| (k.to_owned(), parts.get(k).cloned().unwrap_or(Value::Null)))
            .collect(),
    )
}

/// A row rendered with all fields (or only `only`, as field indexes), in describe order.
pub fn render(
    object: &ObjectSchema,
    meta: &RowMeta,
    values: &[u8],
    users: &[SfId],
    only: Option<&[usize]>,
) -> Record {
    let indexes: Vec<usize> = match only {
        Some(only) => only.to_vec(),
        None => (0..object.fields.len()).collect(),
    };
    let fields = indexes
        .into_iter()
        .map(|i| {
            (
                object.fields[i].name.clone(),
                field_value(object, i, meta, values, users),
            )
        })
        .collect();
    Record {
        object: object.name.clone(),
        id: meta.id,
        fields,
    }
}
