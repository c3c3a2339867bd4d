//! The intermediate representation: plain structs built from the describes,
//! with every name, type and required-ness decided. Emit reads only this.

mod build;
mod shared;

pub use shared::MODULE as SHARED_PICKLISTS_MODULE;

pub use build::{build, required_on_create};

use crate::naming::Ident;
use crate::read::DescribeType;
use crate::types::Scalar;
use crate::Warning;

/// Everything to generate.
#[derive(Debug, Clone)]
pub struct Model {
    /// The API version of the snapshot.
    pub api_version: String,
    /// The objects, sorted by API name.
    pub objects: Vec<Object>,
    /// What the generator worked around.
    pub warnings: Vec<Warning>,
    /// Picklist enums several fields share (module `picklists`), by name.
    pub shared_picklists: Vec<SharedPicklist>,
}

/// A picklist enum whose values several fields list identically.
#[derive(Debug, Clone)]
pub struct SharedPicklist {
    /// The enum (named for the shortest of its fields' names), its variants
    /// and labels from the first field.
    pub picklist: PicklistEnum,
    /// The fields that use it, `Object.Field`, in model order.
    pub used_by: Vec<String>,
}

/// One object and the names of everything generated for it.
#[derive(Debug, Clone)]
pub struct Object {
    /// The API name, e.g. `Account`.
    pub api_name: String,
    /// The label, e.g. `Account`.
    pub label: String,
    /// The three-character id prefix, when the describe gives one.
    pub key_prefix: Option<String>,
    /// Where the describe came from.
    pub source: Source,
    /// The module, e.g. `account`.
    pub module: Ident,
    /// The record type, e.g. `Account`.
    pub record: Ident,
    /// The create form, e.g. `NewAccount`; `None` when the describe says the
    /// object is not `createable` (Salesforce refuses every insert).
    pub create: Option<Ident>,
    /// The update form, e.g. `AccountUpdate`; `None` when the object is not `updateable`.
    pub update: Option<Ident>,
    /// The required-fields struct, e.g. `AccountRequired`, when the object has a
    /// create form and something is required.
    pub required: Option<Ident>,
    /// Why a name got a collision suffix, for the record's docs.
    pub name_notes: Vec<String>,
    /// The fields: `Id` first, then by API name (case-insensitively).
    pub fields: Vec<Field>,
    /// The picklist enums, in field order.
    pub picklists: Vec<PicklistEnum>,
    /// The enums that tell a polymorphic reference's target, in field order.
    pub targets: Vec<TargetEnum>,
    /// The child relationships whose child object is generated, in describe
    /// order.
    pub children: Vec<ChildLink>,
}

/// A child relationship to a generated object (`Account.Contacts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildLink {
    /// The relationship name a subquery selects from (`Contacts`).
    pub relationship: String,
    /// The child's reference field (`AccountId`).
    pub field: String,
    /// The child's record type.
    pub child: TypePath,
}

impl Object {
    /// The fields required on create, in field order.
    pub fn required_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.required_on_create)
    }
}

/// Where a describe came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The describe's file name.
    pub file_name: String,
    /// The API version of the describe, when known.
    pub api_version: Option<String>,
    /// `recording`, `hand-written`, … when the manifest says.
    pub origin: Option<String>,
}

/// One field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The API name, e.g. `LastName`.
    pub api_name: String,
    /// The Rust name, e.g. `last_name`.
    pub ident: Ident,
    /// Why the name got a collision suffix, if it did.
    pub name_note: Option<String>,
    /// The describe type, e.g. `string`.
    pub describe_type: DescribeType,
    /// The describe type with its size, e.g. `string(80)`, `currency(18, 2)`.
    pub type_label: String,
    /// The value's Rust type.
    pub ty: FieldType,
    /// Whether the field can be null (then the record holds an `Option`).
    pub nillable: bool,
    /// Whether the field can be set on create.
    pub createable: bool,
    /// Whether the field can be set on update.
    pub updateable: bool,
    /// Whether the create form cannot be built without it.
    pub required_on_create: bool,
    /// Whether the create form has it (createable and not a compound).
    pub in_create: bool,
    /// Whether the update form has it (updateable and not a compound).
    pub in_update: bool,
    /// Length of text fields.
    pub length: u32,
    /// Total digits of number fields.
    pub precision: u32,
    /// Digits after the point of number fields.
    pub scale: u32,
    /// The label.
    pub label: String,
    /// The inline help text.
    pub help: Option<String>,
    /// Whether it is a formula or roll-up.
    pub calculated: bool,
    /// The suggested values of a combobox.
    pub suggestions: Vec<String>,
    /// The relationship name of a reference (`Account` for `AccountId`).
    pub relationship: Option<String>,
}

/// The Rust type of a field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A plain type.
    Scalar(Scalar),
    /// The record's own id: `Id<Object>`.
    OwnId,
    /// A reference to one generated object: `Id<Target>`.
    Id(TypePath),
    /// An untyped id: a polymorphic reference or one whose target is not generated.
    RecordId {
        /// The objects the describe says it can point at.
        targets: Vec<String>,
        /// The index in [`Object::targets`] of the enum that tells them apart.
        target_enum: Option<usize>,
    },
    /// A picklist: the index of its enum in [`Object::picklists`].
    Picklist(usize),
    /// A multi-select picklist: the index of its enum in [`Object::picklists`].
    MultiPicklist(usize),
}

/// A generated type's path from the crate root: `crate::<module>::<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypePath {
    /// The module.
    pub module: Ident,
    /// The type.
    pub name: Ident,
}

/// A generated picklist enum.
#[derive(Debug, Clone)]
pub struct PicklistEnum {
    /// The enum's name, e.g. `AccountType`.
    pub ident: Ident,
    /// Why the name got a collision suffix, if it did.
    pub name_note: Option<String>,
    /// The field it was generated for.
    pub field_api_name: String,
    /// The field's label.
    pub field_label: String,
    /// One variant per value, in describe order.
    pub variants: Vec<PicklistVariant>,
    /// The shared enum this one is an alias of, when other fields list the same values.
    pub shared: Option<TypePath>,
}

/// One picklist value.
#[derive(Debug, Clone)]
pub struct PicklistVariant {
    /// The variant, e.g. `CustomerDirect`.
    pub ident: Ident,
    /// Why the name got a collision suffix, if it did.
    pub name_note: Option<String>,
    /// The API value, e.g. `Customer - Direct`.
    pub value: String,
    /// The label, when it differs from the value.
    pub label: Option<String>,
    /// Whether the value can still be chosen.
    pub active: bool,
    /// Whether it is the default.
    pub default: bool,
}

/// An enum telling which generated object a polymorphic reference points at.
#[derive(Debug, Clone)]
pub struct TargetEnum {
    /// The enum, e.g. `EventWhoTarget`.
    pub ident: Ident,
    /// The method on the record that returns it, e.g. `who_target`.
    pub method: Ident,
    /// The index of the reference in [`Object::fields`].
    pub field: usize,
    /// One variant per generated target with a key prefix.
    pub variants: Vec<TargetVariant>,
}

/// One possible target of a polymorphic reference.
#[derive(Debug, Clone)]
pub struct TargetVariant {
    /// The variant, e.g. `Contact`.
    pub ident: Ident,
    /// The target's API name.
    pub api_name: String,
    /// The target's key prefix.
    pub key_prefix: String,
    /// The target's record type.
    pub path: TypePath,
}
