//! The checked mapping: what [`validate`](super::validate) makes of the spec and
//! the model, and all that [`emit`](super::emit) reads. Every Salesforce field
//! here is a model field, so names and types come from the model only.

use crate::model::{Field, Object};
use sfgen_runtime::unified::catalog::{EnumDef, Resource, UnifiedField};

/// Every resource's checked mapping, in catalogue order.
#[derive(Debug)]
pub struct Plan<'m> {
    /// One per mapped resource.
    pub resources: Vec<ResourcePlan<'m>>,
    /// The resources left out, each with why (its object is not generated, or
    /// the spec has no section for it).
    pub left_out: Vec<String>,
}

/// One resource's checked mapping.
#[derive(Debug)]
pub struct ResourcePlan<'m> {
    /// The unified resource.
    pub def: &'static Resource,
    /// The Salesforce object it maps to.
    pub object: &'m Object,
    /// One per unified field, in catalogue order.
    pub fields: Vec<FieldPlan<'m>>,
    /// The `custom` entries, by key.
    pub custom: Vec<CustomPlan<'m>>,
    /// For timeline resources: the field to order by and the fields that point
    /// at the record a timeline is about.
    pub timeline: Option<Timeline<'m>>,
}

/// Which directions a mapping is used in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// Read into the read form.
    pub read: bool,
    /// Written from the create form.
    pub create: bool,
    /// Written from the update form.
    pub update: bool,
}

impl Access {
    /// Read only.
    pub const READ: Access = Access {
        read: true,
        create: false,
        update: false,
    };

    /// The spec's name for this access.
    pub fn name(self) -> &'static str {
        match (self.read, self.create, self.update) {
            (_, true, true) => "read-write",
            (_, true, false) => "read-create",
            (_, false, true) => "read-update",
            (true, false, false) => "read-only",
            (false, false, false) => "unmapped",
        }
    }
}

/// One unified field's mapping.
#[derive(Debug)]
pub struct FieldPlan<'m> {
    /// The unified field.
    pub def: &'static UnifiedField,
    /// The directions it is used in (already narrowed to the forms that hold it).
    pub access: Access,
    /// How its value is made.
    pub mapping: Mapping<'m>,
}

/// How a unified value is made from Salesforce fields and back.
#[derive(Debug)]
pub enum Mapping<'m> {
    /// One field, possibly converted.
    Direct(Direct<'m>),
    /// Text fields joined (read-only).
    Join {
        /// The parts, in order.
        parts: Vec<&'m Field>,
        /// What goes between them.
        separator: String,
    },
    /// An address from five text fields: street, city, state, postal code, country.
    Address {
        /// The parts, in that order.
        parts: [&'m Field; 5],
    },
    /// E-mail addresses or phone numbers, one field per type.
    List {
        /// `(field, variant of the runtime's type enum)`, in slot order.
        slots: Vec<(&'m Field, &'static str)>,
    },
    /// A stage status from the closed and won flags.
    Flags {
        /// True when the stage closes deals.
        closed: &'m Field,
        /// True when the stage wins deals.
        won: &'m Field,
    },
    /// No Salesforce counterpart.
    Unmapped {
        /// Why, as the spec says.
        reason: String,
    },
}

/// A mapping to one field.
#[derive(Debug)]
pub struct Direct<'m> {
    /// The Salesforce field.
    pub field: &'m Field,
    /// How values convert.
    pub conv: Conv,
    /// For a polymorphic reference: the one object whose ids this unified field holds.
    pub target: Option<Target>,
    /// Picklist value translations `(Salesforce value, unified value)`, in the
    /// spec's order (writes use the first Salesforce value of a unified value).
    pub values: Vec<(String, String)>,
}

/// The one object a polymorphic reference is narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Its API name.
    pub object: String,
    /// Its key prefix.
    pub key_prefix: String,
}

/// How a unified value converts to and from a Salesforce field's Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conv {
    /// The same Rust type on both sides.
    Same,
    /// Text ↔ a picklist enum.
    Picklist,
    /// A unified enum ↔ a picklist enum, through the value table.
    Enum(&'static EnumDef),
    /// A string ↔ `Id<T>` or `RecordId`.
    Id,
    /// `i64` ↔ `i32`.
    I32,
    /// `f64` ↔ a whole-number `i64`.
    FloatWhole,
    /// `f64` ↔ `i32`.
    FloatI32,
    /// `f64` ↔ `Decimal`.
    FloatDecimal,
    /// `DateTime<Utc>` ↔ `SfDateTime`.
    DateTime,
    /// Unified date-time ↔ Salesforce date (`date-datetime`).
    DateTimeFromDate,
    /// Unified date ↔ Salesforce date-time (`date-datetime`).
    DateFromDateTime,
    /// Unified decimal amount ↔ Salesforce whole cents in an `i64` (`cents`).
    CentsI64,
    /// Unified decimal amount ↔ Salesforce whole cents in an `i32` (`cents`).
    CentsI32,
}

/// One `custom` entry.
#[derive(Debug)]
pub struct CustomPlan<'m> {
    /// The key in the `custom` map.
    pub key: String,
    /// The Salesforce field.
    pub field: &'m Field,
    /// The directions it is used in.
    pub access: Access,
}

/// What an activity timeline needs from a resource.
#[derive(Debug)]
pub struct Timeline<'m> {
    /// The field timelines order by.
    pub date: &'m Field,
    /// The fields pointing at the record a timeline is about, without repeats.
    pub related: Vec<&'m Field>,
}

impl<'m> ResourcePlan<'m> {
    /// Every Salesforce field read by some mapping, `Id` first, in model order,
    /// without repeats: the query's select list and the row's fields.
    pub fn read_fields(&self) -> Vec<&'m Field> {
        let mut used: Vec<&str> = Vec::new();
        for f in &self.fields {
            if f.access.read {
                used.extend(f.mapping.fields().iter().map(|f| f.api_name.as_str()));
            }
        }
        used.extend(
            self.custom
                .iter()
                .filter(|c| c.access.read)
                .map(|c| c.field.api_name.as_str()),
        );
        self.object
            .fields
            .iter()
            .filter(|f| f.api_name == "Id" || used.contains(&f.api_name.as_str()))
            .collect()
    }
}

impl<'m> Mapping<'m> {
    /// The Salesforce fields the mapping uses.
    pub fn fields(&self) -> Vec<&'m Field> {
        match self {
            Mapping::Direct(d) => vec![d.field],
            Mapping::Join { parts, .. } => parts.clone(),
            Mapping::Address { parts } => parts.to_vec(),
            Mapping::List { slots } => slots.iter().map(|(f, _)| *f).collect(),
            Mapping::Flags { closed, won } => vec![*closed, *won],
            Mapping::Unmapped { .. } => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_names() {
        let a = |read, create, update| Access {
            read,
            create,
            update,
        };
        assert_eq!(a(true, true, true).name(), "read-write");
        assert_eq!(a(true, true, false).name(), "read-create");
        assert_eq!(a(true, false, true).name(), "read-update");
        assert_eq!(Access::READ.name(), "read-only");
        assert_eq!(a(false, false, false).name(), "unmapped");
    }
}
