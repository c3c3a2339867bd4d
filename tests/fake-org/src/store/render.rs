//! Turning a stored row back into the JSON Salesforce sends.

use std::collections::HashMap;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
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
    /// Field values by API name, in describe order (nulls included). Exact
    /// decimals are the nearest `f64` here; [`Record::to_json_text`] writes
    /// their digits.
    pub fields: Map<String, Value>,
    /// The JSON text of fields that hold exact decimals, by API name.
    exact: HashMap<String, String>,
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

    /// [`Record::to_json`] as JSON text, with exact decimals digit for digit
    /// (`9999999999999999.99`, which a `Value` would round).
    pub fn to_json_text(&self, api_version: &str) -> String {
        let exact = ExactRecord {
            record: self,
            attributes: attributes(&self.object, self.id, api_version),
        };
        serde_json::to_string(&exact).unwrap_or_else(|_| self.to_json(api_version).to_string())
    }

    /// The JSON text of this record's exact decimal `field`, if it holds one.
    pub fn exact_number(&self, field: &str) -> Option<&str> {
        self.exact.get(field).map(String::as_str)
    }
}

/// A record written with its exact decimals as raw JSON numbers.
struct ExactRecord<'a> {
    record: &'a Record,
    attributes: Value,
}

impl Serialize for ExactRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.record.fields.len() + 1))?;
        map.serialize_entry("attributes", &self.attributes)?;
        for (key, value) in &self.record.fields {
            let raw = self
                .record
                .exact
                .get(key)
                .and_then(|text| RawValue::from_string(text.clone()).ok());
            match raw {
                Some(raw) => map.serialize_entry(key, &raw)?,
                None => map.serialize_entry(key, value)?,
            }
        }
        map.end()
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
    let mut exact = HashMap::new();
    let fields = indexes
        .into_iter()
        .map(|i| {
            let field = &object.fields[i];
            let stored = u16::try_from(i).ok().and_then(|i| cell::lookup(values, i));
            if let Some(text) = stored
                .filter(|_| field.system.is_none())
                .and_then(|c| c.exact_json())
            {
                exact.insert(field.name.clone(), text);
            }
            (
                field.name.clone(),
                field_value(object, i, meta, values, users),
            )
        })
        .collect();
    Record {
        object: object.name.clone(),
        id: meta.id,
        fields,
        exact,
    }
}
