//! The part of a describe's field entry the org acts on.

use serde::Deserialize;
use serde_json::Value;

/// A describe field `type`, as the store validates and renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// `id`: the record's own id.
    Id,
    /// `reference`: an id of one of `referenceTo`.
    Reference,
    /// Text of every flavour (`string`, `textarea`, `url`, `phone`, `combobox`, …).
    Text,
    /// `email`: text with an `@`.
    Email,
    /// `picklist`.
    Picklist,
    /// `multipicklist`: values joined with `;`.
    MultiPicklist,
    /// `boolean`.
    Boolean,
    /// `int` and `long`.
    Integer,
    /// `double`, `percent`, `currency`.
    Number,
    /// `date`: `YYYY-MM-DD`.
    Date,
    /// `datetime`.
    DateTime,
    /// `time`: `HH:MM:SS.sssZ`.
    Time,
    /// `address` and `location`: read-only compounds of other fields.
    Compound,
    /// `anyType`, `base64`, `complexvalue`, `json` and types the org does not know:
    /// stored as given.
    Any,
}

impl FieldType {
    /// The type for a describe `type` string.
    pub fn from_describe(t: &str) -> FieldType {
        match t {
            "id" => FieldType::Id,
            "reference" => FieldType::Reference,
            "string" | "textarea" | "url" | "phone" | "combobox" | "encryptedstring" => {
                FieldType::Text
            }
            "email" => FieldType::Email,
            "picklist" => FieldType::Picklist,
            "multipicklist" => FieldType::MultiPicklist,
            "boolean" => FieldType::Boolean,
            "int" | "long" => FieldType::Integer,
            "double" | "percent" | "currency" => FieldType::Number,
            "date" => FieldType::Date,
            "datetime" => FieldType::DateTime,
            "time" => FieldType::Time,
            "address" | "location" => FieldType::Compound,
            _ => FieldType::Any,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPicklistValue {
    value: String,
    #[serde(default = "yes")]
    active: bool,
    #[serde(default)]
    default_value: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawField {
    name: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(rename = "type")]
    field_type: String,
    #[serde(default)]
    length: u32,
    #[serde(default)]
    precision: u32,
    #[serde(default)]
    scale: u32,
    #[serde(default)]
    digits: u32,
    #[serde(default = "yes")]
    nillable: bool,
    #[serde(default)]
    createable: bool,
    #[serde(default)]
    updateable: bool,
    #[serde(default)]
    defaulted_on_create: bool,
    #[serde(default)]
    default_value: Value,
    #[serde(default)]
    restricted_picklist: bool,
    #[serde(default)]
    picklist_values: Vec<RawPicklistValue>,
    #[serde(default)]
    external_id: bool,
    #[serde(default)]
    id_lookup: bool,
    #[serde(default)]
    case_sensitive: bool,
    #[serde(default)]
    reference_to: Vec<String>,
    #[serde(default)]
    relationship_name: Option<String>,
    #[serde(default)]
    compound_field_name: Option<String>,
    #[serde(default)]
    auto_number: bool,
    #[serde(default)]
    calculated: bool,
}

/// A field whose value the org keeps in a record's header, not with its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemField {
    /// `Id`.
    Id,
    /// `IsDeleted`.
    IsDeleted,
    /// `CreatedDate`.
    CreatedDate,
    /// `CreatedById`.
    CreatedById,
    /// `LastModifiedDate`.
    LastModifiedDate,
    /// `LastModifiedById`.
    LastModifiedById,
    /// `SystemModstamp`.
    SystemModstamp,
}

impl SystemField {
    /// The system field called `name`, if any.
    pub fn from_name(name: &str) -> Option<SystemField> {
        Some(match name {
            "Id" => SystemField::Id,
            "IsDeleted" => SystemField::IsDeleted,
            "CreatedDate" => SystemField::CreatedDate,
            "CreatedById" => SystemField::CreatedById,
            "LastModifiedDate" => SystemField::LastModifiedDate,
            "LastModifiedById" => SystemField::LastModifiedById,
            "SystemModstamp" => SystemField::SystemModstamp,
            _ => return None,
        })
    }
}

/// One field of an object, as the store validates, defaults and renders it.
#[derive(Debug, Clone)]
pub struct FieldMeta {
    /// API name, as the describe spells it.
    pub name: String,
    /// Label (Salesforce names fields by label in some error messages).
    pub label: String,
    /// Describe `type`, classified.
    pub field_type: FieldType,
    /// Describe `type`, verbatim (used in `JSON_PARSER_ERROR` messages).
    pub type_name: String,
    /// Maximum length of text values (0: unlimited).
    pub length: u32,
    /// Total digits of numbers.
    pub precision: u32,
    /// Digits after the decimal point.
    pub scale: u32,
    /// Digits of integers.
    pub digits: u32,
    /// Whether the value may be null.
    pub nillable: bool,
    /// Whether a create may set it.
    pub createable: bool,
    /// Whether an update may set it.
    pub updateable: bool,
    /// Whether Salesforce fills it in on create.
    pub defaulted_on_create: bool,
    /// The value set on create when the request gives none.
    pub default_value: Option<Value>,
    /// Whether only `picklist_values` are accepted.
    pub restricted_picklist: bool,
    /// Active picklist values.
    pub picklist_values: Vec<String>,
    /// Usable as an upsert key.
    pub external_id: bool,
    /// Usable to find records (`Id`, `Name`, external ids).
    pub id_lookup: bool,
    /// Whether values compare case-sensitively.
    pub case_sensitive: bool,
    /// Objects a reference may point at.
    pub reference_to: Vec<String>,
    /// Name of the parent relationship of a reference field (`Account` for `AccountId`).
    pub relationship_name: Option<String>,
    /// The compound field this one is part of (`BillingAddress` for `BillingCity`).
    pub compound_field_name: Option<String>,
    /// Whether Salesforce numbers it on create.
    pub auto_number: bool,
    /// Whether it is a formula.
    pub calculated: bool,
    /// Set for fields kept in the record header.
    pub system: Option<SystemField>,
    /// For compound fields: each component's key in the compound value
    /// (`city`) and the component field's index.
    pub parts: Vec<(String, usize)>,
}

impl FieldMeta {
    /// Reads a describe field entry.
    pub fn from_describe(field: &Value) -> Result<FieldMeta, serde_json::Error> {
        let raw = RawField::deserialize(field)?;
        let field_type = FieldType::from_describe(&raw.field_type);
        let picklist_default = raw
            .picklist_values
            .iter()
            .find(|p| p.active && p.default_value)
            .map(|p| Value::String(p.value.clone()));
        let default_value = match raw.default_value {
            Value::Null => picklist_default,
            v => Some(v),
        };
        Ok(FieldMeta {
            system: SystemField::from_name(&raw.name),
            parts: Vec::new(),
            label: raw.label.unwrap_or_else(|| raw.name.clone()),
            name: raw.name,
            field_type,
            type_name: raw.field_type,
            length: raw.length,
            precision: raw.precision,
            scale: raw.scale,
            digits: raw.digits,
            nillable: raw.nillable,
            createable: raw.createable,
            updateable: raw.updateable,
            defaulted_on_create: raw.defaulted_on_create,
            default_value,
            restricted_picklist: raw.restricted_picklist,
            picklist_values: raw
                .picklist_values
                .into_iter()
                .filter(|p| p.active)
                .map(|p| p.value)
                .collect(),
            external_id: raw.external_id,
            id_lookup: raw.id_lookup,
            case_sensitive: raw.case_sensitive,
            reference_to: raw.reference_to,
            relationship_name: raw.relationship_name,
            compound_field_name: raw.compound_field_name,
            auto_number: raw.auto_number,
            calculated: raw.calculated,
        })
    }

    /// Required on create: `createable && !nillable && !defaultedOnCreate`.
    pub fn required_on_create(&self) -> bool {
        self.createable && !self.nillable && !self.defaulted_on_create
    }
}
