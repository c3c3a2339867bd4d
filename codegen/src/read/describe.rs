//! Serde types for `GET /sobjects/<Object>/describe` responses, API v25 to v59.
//!
//! Unknown keys are ignored and keys that older API versions omit are defaulted,
//! except the ones required-ness depends on (`createable`, `nillable`,
//! `defaultedOnCreate`) and `updateable`: a field without them is rejected by
//! [`validate`](super::validate), never guessed.

use serde::{Deserialize, Deserializer};

/// An object's describe, as read (only what generation uses).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawDescribe {
    /// The object's API name, e.g. `Account` or `npsp__Batch__c`.
    pub name: String,
    /// The object's label.
    #[serde(default, deserialize_with = "null_as_default")]
    pub label: String,
    /// The three-character id prefix, when the object has one.
    #[serde(default)]
    pub key_prefix: Option<String>,
    /// Whether the object is custom.
    #[serde(default, deserialize_with = "null_as_default")]
    pub custom: bool,
    /// Whether records can be created (absent in trimmed describes: assumed yes,
    /// the fields' own `createable` still decide what a create form holds).
    #[serde(default = "yes", deserialize_with = "null_as_yes")]
    pub createable: bool,
    /// Whether records can be updated (absent: assumed yes).
    #[serde(default = "yes", deserialize_with = "null_as_yes")]
    pub updateable: bool,
    /// The fields.
    pub fields: Vec<RawField>,
    /// The relationships whose records point at this object (absent in trimmed
    /// describes).
    #[serde(default, deserialize_with = "null_as_default")]
    pub child_relationships: Vec<RawChildRelationship>,
}

/// One child relationship of a describe (`Account.Contacts`), as read.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawChildRelationship {
    /// The child object (`Contact`).
    #[serde(rename = "childSObject")]
    pub child_object: String,
    /// The child's reference field (`AccountId`).
    pub field: String,
    /// The name a subquery selects from (`Contacts`); none for relationships
    /// SOQL cannot traverse.
    #[serde(default)]
    pub relationship_name: Option<String>,
    /// Whether Salesforce hides the relationship.
    #[serde(default, deserialize_with = "null_as_default")]
    pub deprecated_and_hidden: bool,
}

/// A field's describe, as read.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawField {
    /// The field's API name.
    pub name: String,
    /// The describe type (`string`, `reference`, …).
    #[serde(rename = "type")]
    pub field_type: super::DescribeType,
    /// The field's label.
    #[serde(default, deserialize_with = "null_as_default")]
    pub label: String,
    /// Help text an admin wrote for the field.
    #[serde(default)]
    pub inline_help_text: Option<String>,
    /// Whether the field can be null (required key).
    #[serde(default)]
    pub nillable: Option<bool>,
    /// Whether the field can be set on create (required key).
    #[serde(default)]
    pub createable: Option<bool>,
    /// Whether the field can be set on update (required key).
    #[serde(default)]
    pub updateable: Option<bool>,
    /// Whether Salesforce fills the field on create when it is not sent (required key).
    #[serde(default)]
    pub defaulted_on_create: Option<bool>,
    /// Picklist values.
    #[serde(default, deserialize_with = "null_as_default")]
    pub picklist_values: Vec<PicklistEntry>,
    /// Whether the org rejects picklist values the describe does not list.
    #[serde(default, deserialize_with = "null_as_default")]
    pub restricted_picklist: bool,
    /// Objects a reference points at.
    #[serde(default, deserialize_with = "null_as_default")]
    pub reference_to: Vec<String>,
    /// The relationship name of a reference (`Account` for `AccountId`).
    #[serde(default)]
    pub relationship_name: Option<String>,
    /// Maximum length of text fields.
    #[serde(default, deserialize_with = "null_as_default")]
    pub length: u32,
    /// Total digits of number fields.
    #[serde(default, deserialize_with = "null_as_default")]
    pub precision: u32,
    /// Digits after the decimal point of number fields.
    #[serde(default, deserialize_with = "null_as_default")]
    pub scale: u32,
    /// Maximum digits of integer fields.
    #[serde(default, deserialize_with = "null_as_default")]
    pub digits: u32,
    /// Whether the field is a formula or roll-up.
    #[serde(default, deserialize_with = "null_as_default")]
    pub calculated: bool,
    /// Whether the field is an auto-number.
    #[serde(default, deserialize_with = "null_as_default")]
    pub auto_number: bool,
    /// Whether the field is custom.
    #[serde(default, deserialize_with = "null_as_default")]
    pub custom: bool,
    /// Whether the field is deprecated and hidden (then sfgen skips it).
    #[serde(default, deserialize_with = "null_as_default")]
    pub deprecated_and_hidden: bool,
    /// The compound field this field is a component of (`BillingAddress`).
    #[serde(default)]
    pub compound_field_name: Option<String>,
    /// Whether the field is an external id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_id: bool,
}

/// One picklist value.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PicklistEntry {
    /// The API value.
    pub value: String,
    /// The label shown to users.
    #[serde(default)]
    pub label: Option<String>,
    /// Whether the value can still be chosen.
    #[serde(default = "yes", deserialize_with = "null_as_yes")]
    pub active: bool,
    /// Whether it is the default value.
    #[serde(default, deserialize_with = "null_as_default")]
    pub default_value: bool,
}

fn yes() -> bool {
    true
}

/// `null` as the type's default, for keys some describes write as `null`.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn null_as_yes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(deserializer)?.unwrap_or(true))
}

/// A describe whose fields all carry the keys generation depends on.
#[derive(Debug, Clone)]
pub struct Describe {
    /// The object's API name.
    pub name: String,
    /// The object's label.
    pub label: String,
    /// The three-character id prefix, when the object has one.
    pub key_prefix: Option<String>,
    /// Whether the object is custom.
    pub custom: bool,
    /// Whether records can be created.
    pub createable: bool,
    /// Whether records can be updated.
    pub updateable: bool,
    /// The fields, in describe order.
    pub fields: Vec<FieldDescribe>,
    /// The child relationships a subquery can select from, in describe order.
    pub children: Vec<ChildRelationship>,
}

/// A child relationship a subquery can select from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRelationship {
    /// The relationship name (`Contacts`).
    pub name: String,
    /// The child object (`Contact`).
    pub child_object: String,
    /// The child's reference field (`AccountId`).
    pub field: String,
}

/// A field with its required keys checked.
#[derive(Debug, Clone)]
pub struct FieldDescribe {
    /// Everything else the describe says about the field.
    pub raw: RawField,
    /// Whether the field can be null.
    pub nillable: bool,
    /// Whether the field can be set on create.
    pub createable: bool,
    /// Whether the field can be set on update.
    pub updateable: bool,
    /// Whether Salesforce fills the field on create when it is not sent.
    pub defaulted_on_create: bool,
}

impl RawField {
    /// The describe type with its size: `string(80)`, `currency(18, 2)`.
    pub fn type_label(&self) -> String {
        self.field_type
            .label(self.length, self.precision, self.scale, self.digits)
    }
}
