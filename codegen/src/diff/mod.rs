//! `sfgen diff`: what changed between two describe snapshots, each change
//! marked breaking (existing code stops compiling or fails at run time) or
//! additive.
//!
//! Both sides are read with [`crate::read`]; [`compare`] walks objects and
//! fields in name order, so the report is deterministic. [`DiffReport::exit_code`]
//! is what CI gates on: 0 nothing changed, 1 additive changes only, 2 breaking.

mod compare;
pub mod live;
mod render;

use serde::Serialize;

pub use compare::compare;
pub use render::{render_json, render_text};

/// How a change affects code generated from the old snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Existing code keeps compiling and working.
    Additive,
    /// Existing code stops compiling, or fails at run time.
    Breaking,
}

impl Severity {
    /// `additive` or `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Additive => "additive",
            Severity::Breaking => "breaking",
        }
    }
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// The object is new.
    ObjectAdded,
    /// The object is gone.
    ObjectRemoved,
    /// The field is new.
    FieldAdded,
    /// The field is gone.
    FieldRemoved,
    /// The describe type, or the Rust type it maps to, changed.
    TypeChanged,
    /// The field became required on create, or stopped being.
    RequiredChanged,
    /// The field became nillable, or stopped being.
    NillableChanged,
    /// The field became createable, or stopped being.
    CreateableChanged,
    /// The field became updateable, or stopped being.
    UpdateableChanged,
    /// A picklist value is new.
    PicklistValueAdded,
    /// A picklist value is gone.
    PicklistValueRemoved,
    /// The picklist became restricted, or stopped being.
    PicklistRestrictedChanged,
    /// The objects a reference can point at changed.
    ReferenceTargetsChanged,
    /// The maximum length changed.
    LengthChanged,
    /// The precision (total digits) changed.
    PrecisionChanged,
    /// The scale (digits after the point) changed.
    ScaleChanged,
    /// The maximum digits of an integer changed.
    DigitsChanged,
}

impl ChangeKind {
    /// The name the JSON output uses, e.g. `fieldAdded`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ObjectAdded => "objectAdded",
            ChangeKind::ObjectRemoved => "objectRemoved",
            ChangeKind::FieldAdded => "fieldAdded",
            ChangeKind::FieldRemoved => "fieldRemoved",
            ChangeKind::TypeChanged => "typeChanged",
            ChangeKind::RequiredChanged => "requiredChanged",
            ChangeKind::NillableChanged => "nillableChanged",
            ChangeKind::CreateableChanged => "createableChanged",
            ChangeKind::UpdateableChanged => "updateableChanged",
            ChangeKind::PicklistValueAdded => "picklistValueAdded",
            ChangeKind::PicklistValueRemoved => "picklistValueRemoved",
            ChangeKind::PicklistRestrictedChanged => "picklistRestrictedChanged",
            ChangeKind::ReferenceTargetsChanged => "referenceTargetsChanged",
            ChangeKind::LengthChanged => "lengthChanged",
            ChangeKind::PrecisionChanged => "precisionChanged",
            ChangeKind::ScaleChanged => "scaleChanged",
            ChangeKind::DigitsChanged => "digitsChanged",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// The object's API name.
    pub object: String,
    /// The field's API name, for field changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What changed.
    pub change: ChangeKind,
    /// Breaking or additive.
    pub severity: Severity,
    /// The old value, when the change has one (a type, a length, a picklist value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The new value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// What it means for code generated from the old snapshot.
    pub message: String,
}

/// Every change between two snapshots, objects and fields in name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffReport {
    /// The changes.
    pub changes: Vec<Change>,
}

impl DiffReport {
    /// The most severe change, `None` when nothing changed.
    pub fn severity(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).max()
    }

    /// How many changes have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// 0 when nothing changed, 1 when every change is additive, 2 when one is breaking.
    pub fn exit_code(&self) -> u8 {
        match self.severity() {
            None => 0,
            Some(Severity::Additive) => 1,
            Some(Severity::Breaking) => 2,
        }
    }
}
