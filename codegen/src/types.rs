//! The one table that maps describe types to Rust types.
//!
//! [`TABLE`] lists every describe type sfgen knows; [`map`] applies it to a
//! field, letting `digits`, `precision` and `scale` decide between integer and
//! floating-point types. A type missing from the table maps to
//! `serde_json::Value` with a warning.

use crate::read::{DescribeType, RawField};

/// A Rust type a field value can have, before references and picklists are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `i64` read from a JSON double with no fraction (`23.0`), through
    /// `sfgen_runtime::number::whole`.
    WholeNumber,
    /// `f64`.
    F64,
    /// `rust_decimal::Decimal`.
    Decimal,
    /// `chrono::NaiveDate`.
    Date,
    /// `sfgen_runtime::SfDateTime`.
    DateTime,
    /// `sfgen_runtime::SfTime`.
    Time,
    /// `sfgen_runtime::Address` (read-only compound).
    Address,
    /// `sfgen_runtime::Location` (read-only compound).
    Location,
    /// `serde_json::Value`.
    Json,
}

/// What a describe type becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Always this type.
    Fixed(Scalar),
    /// `int`: `i32`, or `i64` when `digits` > 9.
    Int,
    /// `double`, `percent`: `i64` when `scale` is 0 and `precision` is 1..=18, else `f64`.
    Number,
    /// The record's own id: `Id<Object>`.
    Id,
    /// An id of another record: `Id<Target>` or `RecordId`.
    Reference,
    /// A generated picklist enum.
    Picklist,
    /// `MultiPicklist` of a generated picklist enum.
    MultiPicklist,
}

/// One row of the mapping.
#[derive(Debug, Clone)]
pub struct Row {
    /// The describe `type`.
    pub describe: DescribeType,
    /// What it becomes.
    pub kind: Kind,
    /// The Rust type as the README shows it.
    pub rust: &'static str,
    /// Compound values: never in create or update forms.
    pub read_only: bool,
}

const fn row(describe: DescribeType, kind: Kind, rust: &'static str) -> Row {
    Row {
        describe,
        kind,
        rust,
        read_only: false,
    }
}

/// Every describe type sfgen knows, and its Rust type.
pub const TABLE: &[Row] = &[
    row(DescribeType::Id, Kind::Id, "`sfgen_runtime::Id<Object>`"),
    row(
        DescribeType::Reference,
        Kind::Reference,
        "`Id<Target>` if one generated target, else `RecordId` (see references)",
    ),
    row(
        DescribeType::String,
        Kind::Fixed(Scalar::String),
        "`String`",
    ),
    row(
        DescribeType::Textarea,
        Kind::Fixed(Scalar::String),
        "`String`",
    ),
    row(DescribeType::Url, Kind::Fixed(Scalar::String), "`String`"),
    row(DescribeType::Email, Kind::Fixed(Scalar::String), "`String`"),
    row(DescribeType::Phone, Kind::Fixed(Scalar::String), "`String`"),
    row(
        DescribeType::EncryptedString,
        Kind::Fixed(Scalar::String),
        "`String`",
    ),
    row(
        DescribeType::Combobox,
        Kind::Fixed(Scalar::String),
        "`String` (free text; the suggested values are in the docs)",
    ),
    row(
        DescribeType::Base64,
        Kind::Fixed(Scalar::String),
        "`String` (records carry the blob's URL)",
    ),
    row(
        DescribeType::Picklist,
        Kind::Picklist,
        "generated enum with `Unlisted(UnlistedValue)` for values the describe did not list",
    ),
    row(
        DescribeType::MultiPicklist,
        Kind::MultiPicklist,
        "`sfgen_runtime::MultiPicklist<generated enum>`",
    ),
    row(DescribeType::Boolean, Kind::Fixed(Scalar::Bool), "`bool`"),
    row(
        DescribeType::Int,
        Kind::Int,
        "`i32`; `i64` when `digits` > 9",
    ),
    row(DescribeType::Long, Kind::Fixed(Scalar::I64), "`i64`"),
    row(
        DescribeType::Double,
        Kind::Number,
        "`i64` when `scale` = 0 and `precision` is 1 to 18, else `f64`",
    ),
    row(
        DescribeType::Percent,
        Kind::Number,
        "`i64` when `scale` = 0 and `precision` is 1 to 18, else `f64`",
    ),
    row(
        DescribeType::Currency,
        Kind::Fixed(Scalar::Decimal),
        "`rust_decimal::Decimal`",
    ),
    row(
        DescribeType::Date,
        Kind::Fixed(Scalar::Date),
        "`chrono::NaiveDate`",
    ),
    row(
        DescribeType::DateTime,
        Kind::Fixed(Scalar::DateTime),
        "`sfgen_runtime::SfDateTime`",
    ),
    row(
        DescribeType::Time,
        Kind::Fixed(Scalar::Time),
        "`sfgen_runtime::SfTime`",
    ),
    Row {
        describe: DescribeType::Address,
        kind: Kind::Fixed(Scalar::Address),
        rust: "`sfgen_runtime::Address` (read-only)",
        read_only: true,
    },
    Row {
        describe: DescribeType::Location,
        kind: Kind::Fixed(Scalar::Location),
        rust: "`sfgen_runtime::Location` (read-only)",
        read_only: true,
    },
    row(
        DescribeType::AnyType,
        Kind::Fixed(Scalar::Json),
        "`serde_json::Value`",
    ),
    row(
        DescribeType::ComplexValue,
        Kind::Fixed(Scalar::Json),
        "`serde_json::Value`",
    ),
    row(
        DescribeType::Json,
        Kind::Fixed(Scalar::Json),
        "`serde_json::Value`",
    ),
];

/// The row for a describe type, if sfgen knows it.
pub fn lookup(describe_type: &DescribeType) -> Option<&'static Row> {
    TABLE.iter().find(|r| &r.describe == describe_type)
}

/// What a field's value becomes, before references and picklists are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapped {
    /// A plain type.
    Scalar(Scalar),
    /// The record's own id.
    Id,
    /// An id of another record.
    Reference,
    /// A picklist enum.
    Picklist,
    /// A multi-select picklist.
    MultiPicklist,
    /// A type missing from [`TABLE`]: `serde_json::Value`, with a warning.
    Unknown,
}

/// Maps a field by its describe type, with digits/precision/scale deciding numbers.
pub fn map(field: &RawField) -> Mapped {
    let Some(row) = lookup(&field.field_type) else {
        return Mapped::Unknown;
    };
    match row.kind {
        Kind::Fixed(scalar) => Mapped::Scalar(scalar),
        Kind::Int if field.digits > 9 => Mapped::Scalar(Scalar::I64),
        Kind::Int => Mapped::Scalar(Scalar::I32),
        Kind::Number if field.scale == 0 && (1..=18).contains(&field.precision) => {
            Mapped::Scalar(Scalar::WholeNumber)
        }
        Kind::Number => Mapped::Scalar(Scalar::F64),
        Kind::Id => Mapped::Id,
        Kind::Reference => Mapped::Reference,
        Kind::Picklist => Mapped::Picklist,
        Kind::MultiPicklist => Mapped::MultiPicklist,
    }
}

/// Whether fields of this describe type are read-only compounds.
pub fn is_read_only(describe_type: &DescribeType) -> bool {
    lookup(describe_type).is_some_and(|r| r.read_only)
}

/// The README's type table, generated from [`TABLE`] (a test keeps them equal).
pub fn markdown_table() -> String {
    let mut out = String::from("| describe type | Rust type |\n|---|---|\n");
    for r in TABLE {
        out.push_str(&format!("| `{}` | {} |\n", r.describe, r.rust));
    }
    out.push_str("| anything else | `serde_json::Value`, with a warning |\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(ty: &str, digits: u32, precision: u32, scale: u32) -> RawField {
        let json = format!(
            r#"{{"name":"F","type":"{ty}","digits":{digits},"precision":{precision},"scale":{scale}}}"#
        );
        serde_json::from_str(&json).expect("a valid field")
    }

    #[test]
    fn numbers_are_decided_by_digits_precision_and_scale() {
        assert_eq!(map(&field("int", 8, 0, 0)), Mapped::Scalar(Scalar::I32));
        assert_eq!(map(&field("int", 9, 0, 0)), Mapped::Scalar(Scalar::I32));
        assert_eq!(map(&field("int", 10, 0, 0)), Mapped::Scalar(Scalar::I64));
        assert_eq!(
            map(&field("double", 0, 18, 0)),
            Mapped::Scalar(Scalar::WholeNumber)
        );
        assert_eq!(map(&field("double", 0, 18, 2)), Mapped::Scalar(Scalar::F64));
        assert_eq!(map(&field("double", 0, 0, 0)), Mapped::Scalar(Scalar::F64));
        assert_eq!(
            map(&field("percent", 0, 3, 0)),
            Mapped::Scalar(Scalar::WholeNumber)
        );
        assert_eq!(map(&field("percent", 0, 5, 2)), Mapped::Scalar(Scalar::F64));
        assert_eq!(
            map(&field("currency", 0, 18, 0)),
            Mapped::Scalar(Scalar::Decimal)
        );
    }

    #[test]
    fn every_type_the_issue_names_is_in_the_table() {
        for ty in [
            "id",
            "reference",
            "string",
            "textarea",
            "url",
            "email",
            "phone",
            "encryptedstring",
            "combobox",
            "picklist",
            "multipicklist",
            "boolean",
            "int",
            "long",
            "double",
            "percent",
            "currency",
            "date",
            "datetime",
            "time",
            "base64",
            "address",
            "location",
            "anyType",
            "complexvalue",
            "json",
        ] {
            assert!(lookup(&DescribeType::parse(ty)).is_some(), "{ty} is mapped");
        }
        assert_eq!(map(&field("polygon", 0, 0, 0)), Mapped::Unknown);
        assert!(
            is_read_only(&DescribeType::Address)
                && is_read_only(&DescribeType::Location)
                && !is_read_only(&DescribeType::String)
        );
    }
}
