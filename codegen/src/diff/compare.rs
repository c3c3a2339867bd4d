//! Comparing two snapshots, object by object and field by field.
//!
//! Each kind of change is a row of a table ([`FLAGS`], [`SIZES`]) or one of the
//! few comparisons that need more than a before and an after (types, picklist
//! values, reference targets).

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, ChangeKind, DiffReport, Severity};
use crate::model::required_on_create;
use crate::read::{Describe, DescribeType, FieldDescribe, RawField, Schemas};
use crate::types::{self, Mapped, Scalar};

/// Compares the `old` snapshot with the `new` one.
pub fn compare(old: &Schemas, new: &Schemas) -> DiffReport {
    let old_objects = by_name(old);
    let new_objects = by_name(new);
    let names: BTreeSet<&str> = old_objects
        .keys()
        .chain(new_objects.keys())
        .copied()
        .collect();
    let mut changes = Vec::new();
    for name in names {
        match (old_objects.get(name), new_objects.get(name)) {
            (Some(_), None) => changes.push(object_change(name, ChangeKind::ObjectRemoved)),
            (None, Some(_)) => changes.push(object_change(name, ChangeKind::ObjectAdded)),
            (Some(a), Some(b)) => compare_object(a, b, &mut changes),
            (None, None) => {}
        }
    }
    DiffReport { changes }
}

fn by_name(schemas: &Schemas) -> BTreeMap<&str, &Describe> {
    schemas
        .objects
        .iter()
        .map(|o| (o.describe.name.as_str(), &o.describe))
        .collect()
}

fn object_change(object: &str, change: ChangeKind) -> Change {
    let (severity, message) = match change {
        ChangeKind::ObjectRemoved => (
            Severity::Breaking,
            "the org no longer has it (or the user lost access): every call on it fails, and code that uses its \
             generated module stops compiling once you regenerate",
        ),
        _ => (Severity::Additive, "a new object: regenerate to get its module"),
    };
    Change {
        object: object.to_owned(),
        field: None,
        change,
        severity,
        before: None,
        after: None,
        message: message.to_owned(),
    }
}

/// Whether a create form cannot be built without the field, as the model decides it.
fn required(f: &FieldDescribe) -> bool {
    !types::is_read_only(&f.raw.field_type)
        && required_on_create(f.createable, f.nillable, f.defaulted_on_create)
}

/// Builds the changes of one field.
struct FieldChanges<'a> {
    object: &'a str,
    field: &'a str,
    out: &'a mut Vec<Change>,
}

impl FieldChanges<'_> {
    fn push(
        &mut self,
        change: ChangeKind,
        severity: Severity,
        before: Option<String>,
        after: Option<String>,
        message: impl Into<String>,
    ) {
        self.out.push(Change {
            object: self.object.to_owned(),
            field: Some(self.field.to_owned()),
            change,
            severity,
            before,
            after,
            message: message.into(),
        });
    }
}

/// The object's yes/no properties: losing one removes a form from the
/// regenerated module.
const OBJECT_FLAGS: &[FlagRule<Describe>] = &[
    FlagRule {
        kind: ChangeKind::CreateableChanged,
        get: |d| d.createable,
        applies: |_| true,
        became_true: (
            Severity::Additive,
            "the object can now be created: regenerate to get its create form",
        ),
        became_false: (
            Severity::Breaking,
            "the object can no longer be created: inserts fail, and the regenerated module has no \
             create form, so code that builds one stops compiling",
        ),
    },
    FlagRule {
        kind: ChangeKind::UpdateableChanged,
        get: |d| d.updateable,
        applies: |_| true,
        became_true: (
            Severity::Additive,
            "the object can now be updated: regenerate to get its update form",
        ),
        became_false: (
            Severity::Breaking,
            "the object can no longer be updated: updates fail, and the regenerated module has no \
             update form, so code that builds one stops compiling",
        ),
    },
];

fn compare_object(old: &Describe, new: &Describe, out: &mut Vec<Change>) {
    for rule in OBJECT_FLAGS {
        if let Some(flip) = rule.flip(old, new) {
            out.push(Change {
                object: new.name.clone(),
                field: None,
                change: rule.kind,
                severity: flip.severity,
                before: Some(flip.before.to_string()),
                after: Some(flip.after.to_string()),
                message: flip.message.to_owned(),
            });
        }
    }
    let visible = |d: &'_ Describe| -> BTreeMap<String, FieldDescribe> {
        d.fields
            .iter()
            .filter(|f| !f.raw.deprecated_and_hidden)
            .map(|f| (f.raw.name.clone(), f.clone()))
            .collect()
    };
    let (old_fields, new_fields) = (visible(old), visible(new));
    let names: BTreeSet<&String> = old_fields.keys().chain(new_fields.keys()).collect();
    for name in names {
        let mut changes = FieldChanges {
            object: &new.name,
            field: name,
            out: &mut *out,
        };
        match (old_fields.get(name), new_fields.get(name)) {
            (Some(a), None) => changes.push(
                ChangeKind::FieldRemoved,
                Severity::Breaking,
                Some(a.raw.type_label()),
                None,
                "the generated field list still selects it, so reads fail with INVALID_FIELD until you \
                 regenerate; code that uses it stops compiling then",
            ),
            (None, Some(b)) if required(b) => changes.push(
                ChangeKind::FieldAdded,
                Severity::Breaking,
                None,
                Some(b.raw.type_label()),
                "required on create: creates without it fail with REQUIRED_FIELD_MISSING, and the regenerated \
                 create form cannot be built without it",
            ),
            (None, Some(b)) => changes.push(
                ChangeKind::FieldAdded,
                Severity::Additive,
                None,
                Some(b.raw.type_label()),
                "a new optional field: regenerate to read and write it",
            ),
            (Some(a), Some(b)) => compare_field(a, b, &mut changes),
            (None, None) => {}
        }
    }
}

fn compare_field(a: &FieldDescribe, b: &FieldDescribe, changes: &mut FieldChanges<'_>) {
    let type_changed = a.raw.field_type != b.raw.field_type;
    let (rust_a, rust_b) = (rust_type(&a.raw), rust_type(&b.raw));
    if type_changed || rust_a != rust_b {
        let (severity, message) = if rust_a == rust_b {
            (
                Severity::Additive,
                format!("the Rust type stays `{rust_b}`"),
            )
        } else {
            (
                Severity::Breaking,
                format!(
                    "the Rust type changes from `{rust_a}` to `{rust_b}`: records fail to decode into the old \
                     type, and code that uses the field stops compiling once you regenerate"
                ),
            )
        };
        changes.push(
            ChangeKind::TypeChanged,
            severity,
            Some(a.raw.type_label()),
            Some(b.raw.type_label()),
            message,
        );
    }
    for rule in FLAGS {
        if let Some(flip) = rule.flip(a, b) {
            changes.push(
                rule.kind,
                flip.severity,
                Some(flip.before.to_string()),
                Some(flip.after.to_string()),
                flip.message,
            );
        }
    }
    if type_changed {
        // Sizes, values and targets of different types do not compare.
        return;
    }
    for rule in SIZES {
        let (before, after) = ((rule.get)(&a.raw), (rule.get)(&b.raw));
        if before != after {
            let (severity, message) = if after < before {
                rule.smaller
            } else {
                rule.larger
            };
            changes.push(
                rule.kind,
                severity,
                Some(before.to_string()),
                Some(after.to_string()),
                message,
            );
        }
    }
    if is_picklist(&b.raw) {
        compare_picklist_values(&a.raw, &b.raw, changes);
    }
    if b.raw.field_type == DescribeType::Reference {
        compare_targets(&a.raw, &b.raw, changes);
    }
}

/// A yes/no property of a field or an object and what each direction of change means.
struct FlagRule<T> {
    kind: ChangeKind,
    get: fn(&T) -> bool,
    /// Whether the property means anything for this field or object.
    applies: fn(&T) -> bool,
    became_true: (Severity, &'static str),
    became_false: (Severity, &'static str),
}

/// A property that changed, and what that means.
struct Flip {
    before: bool,
    after: bool,
    severity: Severity,
    message: &'static str,
}

impl<T> FlagRule<T> {
    /// The change from `a` to `b`, when the property applies to both and differs.
    fn flip(&self, a: &T, b: &T) -> Option<Flip> {
        if !(self.applies)(a) || !(self.applies)(b) {
            return None;
        }
        let (before, after) = ((self.get)(a), (self.get)(b));
        let (severity, message) = match (before, after) {
            (false, true) => self.became_true,
            (true, false) => self.became_false,
            _ => return None,
        };
        Some(Flip {
            before,
            after,
            severity,
            message,
        })
    }
}

const FLAGS: &[FlagRule<FieldDescribe>] = &[
    FlagRule {
        kind: ChangeKind::RequiredChanged,
        get: required,
        applies: |_| true,
        became_true: (
            Severity::Breaking,
            "now required on create: creates without it fail with REQUIRED_FIELD_MISSING, and the regenerated \
             create form cannot be built without it",
        ),
        became_false: (
            Severity::Breaking,
            "no longer required on create: the regenerated required-fields struct drops it, so code that sets it \
             there stops compiling (set it with its setter instead)",
        ),
    },
    FlagRule {
        kind: ChangeKind::NillableChanged,
        get: |f| f.nillable,
        applies: |_| true,
        became_true: (
            Severity::Breaking,
            "can now be null: records holding null fail to decode into the old type, and the regenerated \
             field becomes an `Option`",
        ),
        became_false: (
            Severity::Breaking,
            "can no longer be null: the regenerated field stops being an `Option`, so code that matches on it \
             stops compiling",
        ),
    },
    FlagRule {
        kind: ChangeKind::CreateableChanged,
        get: |f| f.createable,
        applies: |_| true,
        became_true: (Severity::Additive, "now createable: the regenerated create form gains a setter"),
        became_false: (
            Severity::Breaking,
            "no longer createable: creates that set it fail with INVALID_FIELD_FOR_INSERT_UPDATE, and the \
             regenerated create form drops its setter",
        ),
    },
    FlagRule {
        kind: ChangeKind::UpdateableChanged,
        get: |f| f.updateable,
        applies: |_| true,
        became_true: (Severity::Additive, "now updateable: the regenerated update form gains it"),
        became_false: (
            Severity::Breaking,
            "no longer updateable: updates that set it fail with INVALID_FIELD_FOR_INSERT_UPDATE, and the \
             regenerated update form drops it",
        ),
    },
    FlagRule {
        kind: ChangeKind::PicklistRestrictedChanged,
        get: |f| f.raw.restricted_picklist,
        applies: |f| is_picklist(&f.raw),
        became_true: (
            Severity::Breaking,
            "now a restricted picklist: values it does not list (`Other(..)`) are rejected with \
             INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        ),
        became_false: (Severity::Additive, "no longer restricted: values it does not list are accepted"),
    },
];

/// A size of a field and what growing or shrinking means.
struct SizeRule {
    kind: ChangeKind,
    get: fn(&RawField) -> u32,
    smaller: (Severity, &'static str),
    larger: (Severity, &'static str),
}

const SIZES: &[SizeRule] = &[
    SizeRule {
        kind: ChangeKind::LengthChanged,
        get: |f| f.length,
        smaller: (
            Severity::Breaking,
            "shorter: values that fit before can fail with STRING_TOO_LONG",
        ),
        larger: (Severity::Additive, "longer values are accepted"),
    },
    SizeRule {
        kind: ChangeKind::PrecisionChanged,
        get: |f| f.precision,
        smaller: (
            Severity::Breaking,
            "fewer digits: numbers that fit before can be rejected",
        ),
        larger: (Severity::Additive, "more digits are accepted"),
    },
    SizeRule {
        kind: ChangeKind::ScaleChanged,
        get: |f| f.scale,
        smaller: (
            Severity::Breaking,
            "fewer decimal places: values are rounded or rejected",
        ),
        larger: (Severity::Additive, "more decimal places are kept"),
    },
    SizeRule {
        kind: ChangeKind::DigitsChanged,
        get: |f| f.digits,
        smaller: (
            Severity::Breaking,
            "fewer digits: integers that fit before can be rejected",
        ),
        larger: (Severity::Additive, "more digits are accepted"),
    },
];

fn is_picklist(f: &RawField) -> bool {
    f.field_type.is_picklist()
}

fn compare_picklist_values(a: &RawField, b: &RawField, changes: &mut FieldChanges<'_>) {
    let values = |f: &RawField| -> Vec<String> {
        let mut seen = BTreeSet::new();
        f.picklist_values
            .iter()
            .filter(|p| seen.insert(p.value.clone()))
            .map(|p| p.value.clone())
            .collect()
    };
    let (old, new) = (values(a), values(b));
    for value in old.iter().filter(|v| !new.contains(v)) {
        changes.push(
            ChangeKind::PicklistValueRemoved,
            Severity::Breaking,
            Some(value.clone()),
            None,
            "the regenerated enum drops the variant, so code that names it stops compiling; writes of it fail \
             when the picklist is restricted",
        );
    }
    for value in new.iter().filter(|v| !old.contains(v)) {
        changes.push(
            ChangeKind::PicklistValueAdded,
            Severity::Additive,
            None,
            Some(value.clone()),
            "the enum is non-exhaustive: until you regenerate, the value reads as `Other(..)`",
        );
    }
}

fn compare_targets(a: &RawField, b: &RawField, changes: &mut FieldChanges<'_>) {
    let (old, new) = (&a.reference_to, &b.reference_to);
    let old_set: BTreeSet<&String> = old.iter().collect();
    let new_set: BTreeSet<&String> = new.iter().collect();
    if old_set == new_set {
        return;
    }
    let lost = old_set.difference(&new_set).next().is_some();
    let polymorphism_changed = (old.len() > 1) != (new.len() > 1);
    let (severity, message) = if lost {
        (
            Severity::Breaking,
            "it can no longer point at some objects: writes of such ids fail",
        )
    } else if polymorphism_changed {
        (
            Severity::Breaking,
            "it now points at several objects: the regenerated field becomes an untyped `RecordId`",
        )
    } else {
        (Severity::Additive, "it can point at more objects")
    };
    changes.push(
        ChangeKind::ReferenceTargetsChanged,
        severity,
        Some(old.join(", ")),
        Some(new.join(", ")),
        message,
    );
}

/// The Rust type a field's value gets, for telling whether a type change
/// matters to generated code (reference targets are compared on their own).
fn rust_type(f: &RawField) -> &'static str {
    match types::map(f) {
        Mapped::Scalar(scalar) => scalar_name(scalar),
        Mapped::Id => "Id<Self>",
        Mapped::Reference => "Id",
        Mapped::Picklist => "picklist enum",
        Mapped::MultiPicklist => "MultiPicklist",
        Mapped::Unknown => "serde_json::Value",
    }
}

fn scalar_name(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String => "String",
        Scalar::Bool => "bool",
        Scalar::I32 => "i32",
        Scalar::I64 | Scalar::WholeNumber => "i64",
        Scalar::F64 => "f64",
        Scalar::Decimal => "Decimal",
        Scalar::Date => "NaiveDate",
        Scalar::DateTime => "SfDateTime",
        Scalar::Time => "SfTime",
        Scalar::Address => "Address",
        Scalar::Location => "Location",
        Scalar::Json => "serde_json::Value",
    }
}
