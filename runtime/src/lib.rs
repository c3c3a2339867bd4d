//! The runtime that `sfgen`-generated Salesforce bindings call.
//!
//! This crate holds the small contract generated code is written against:
//!
//! - [`SObject`], [`CreateRecord`] and [`UpdateRecord`]: what a generated object,
//!   its create form and its update form promise (API name, key prefix, field list);
//! - [`Id`] and [`RecordId`]: 15/18-character record ids, checksum-validated, typed by
//!   the object they point at, and untyped for polymorphic references;
//! - [`Field`]: the tri-state (unset / null / value) used by update forms;
//! - [`SfDateTime`] and [`SfTime`]: Salesforce's wire formats for date-times and times;
//! - [`Address`] and [`Location`]: compound, read-only field values;
//! - [`Picklist`] and [`MultiPicklist`]: picklist values that survive values the
//!   bindings do not know.

mod compound;
mod datetime;
mod field;
mod id;
pub mod picklist;
mod sobject;

pub use compound::{Address, Location};
pub use datetime::{SfDateTime, SfTime};
pub use field::Field;
pub use id::{Id, IdError, RecordId};
pub use picklist::{MultiPicklist, Picklist};
pub use sobject::{CreateRecord, SObject, UpdateRecord};

/// Re-exports that generated code names by path, so a generated crate needs no
/// direct dependency on them.
pub mod __private {
    pub use chrono;
    pub use rust_decimal;
    pub use serde;
    pub use serde_json;
}
