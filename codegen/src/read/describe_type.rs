//! A field's describe `type`, parsed once at read: the types sfgen knows by
//! name, and any other kept as written (a newer API version's type maps to
//! `serde_json::Value` with a warning, never an error).

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A describe `type`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DescribeType {
    /// `id`.
    Id,
    /// `reference`.
    Reference,
    /// `string`.
    String,
    /// `textarea`.
    Textarea,
    /// `url`.
    Url,
    /// `email`.
    Email,
    /// `phone`.
    Phone,
    /// `encryptedstring`.
    EncryptedString,
    /// `combobox`.
    Combobox,
    /// `base64`.
    Base64,
    /// `picklist`.
    Picklist,
    /// `multipicklist`.
    MultiPicklist,
    /// `boolean`.
    Boolean,
    /// `int`.
    Int,
    /// `long`.
    Long,
    /// `double`.
    Double,
    /// `percent`.
    Percent,
    /// `currency`.
    Currency,
    /// `date`.
    Date,
    /// `datetime`.
    DateTime,
    /// `time`.
    Time,
    /// `address`.
    Address,
    /// `location`.
    Location,
    /// `anyType`.
    AnyType,
    /// `complexvalue`.
    ComplexValue,
    /// `json`.
    Json,
    /// A type sfgen does not know, as the describe wrote it.
    Other(String),
}

/// Every known type and its spelling in describes: the one list both
/// directions of the conversion read.
const SPELLINGS: &[(DescribeType, &str)] = &[
    (DescribeType::Id, "id"),
    (DescribeType::Reference, "reference"),
    (DescribeType::String, "string"),
    (DescribeType::Textarea, "textarea"),
    (DescribeType::Url, "url"),
    (DescribeType::Email, "email"),
    (DescribeType::Phone, "phone"),
    (DescribeType::EncryptedString, "encryptedstring"),
    (DescribeType::Combobox, "combobox"),
    (DescribeType::Base64, "base64"),
    (DescribeType::Picklist, "picklist"),
    (DescribeType::MultiPicklist, "multipicklist"),
    (DescribeType::Boolean, "boolean"),
    (DescribeType::Int, "int"),
    (DescribeType::Long, "long"),
    (DescribeType::Double, "double"),
    (DescribeType::Percent, "percent"),
    (DescribeType::Currency, "currency"),
    (DescribeType::Date, "date"),
    (DescribeType::DateTime, "datetime"),
    (DescribeType::Time, "time"),
    (DescribeType::Address, "address"),
    (DescribeType::Location, "location"),
    (DescribeType::AnyType, "anyType"),
    (DescribeType::ComplexValue, "complexvalue"),
    (DescribeType::Json, "json"),
];

impl DescribeType {
    /// The type a describe spells `text`.
    pub fn parse(text: &str) -> DescribeType {
        SPELLINGS
            .iter()
            .find(|(_, spelling)| *spelling == text)
            .map_or_else(
                || DescribeType::Other(text.to_owned()),
                |(ty, _)| ty.clone(),
            )
    }

    /// The type as describes spell it.
    pub fn as_str(&self) -> &str {
        match self {
            DescribeType::Other(text) => text,
            known => SPELLINGS
                .iter()
                .find(|(ty, _)| ty == known)
                .map_or("", |(_, spelling)| spelling),
        }
    }

    /// Whether values are decimal numbers sized by `precision` and `scale`.
    pub fn is_decimal(&self) -> bool {
        matches!(
            self,
            DescribeType::Double | DescribeType::Percent | DescribeType::Currency
        )
    }

    /// Whether it is a picklist or a multi-select picklist.
    pub fn is_picklist(&self) -> bool {
        matches!(self, DescribeType::Picklist | DescribeType::MultiPicklist)
    }

    /// The type with its size, as docs, `sfgen requirements` and `sfgen diff`
    /// show it: `string(80)`, `currency(18, 2)`, `int(9)`; ids, references and
    /// picklists bare (their `length` is not a limit a user chooses values by).
    pub fn label(&self, length: u32, precision: u32, scale: u32, digits: u32) -> String {
        let ty = self.as_str();
        match self {
            _ if self.is_decimal() && precision > 0 => format!("{ty}({precision}, {scale})"),
            DescribeType::Int if digits > 0 => format!("{ty}({digits})"),
            DescribeType::Id | DescribeType::Reference => ty.to_owned(),
            _ if self.is_picklist() => ty.to_owned(),
            _ if length > 0 => format!("{ty}({length})"),
            _ => ty.to_owned(),
        }
    }
}

impl fmt::Display for DescribeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DescribeType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(DescribeType::parse(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_round_trips_and_unknown_types_are_kept() {
        for (ty, spelling) in SPELLINGS {
            assert_eq!(&DescribeType::parse(spelling), ty);
            assert_eq!(ty.as_str(), *spelling);
        }
        let newer = DescribeType::parse("vectorEmbedding");
        assert_eq!(newer, DescribeType::Other("vectorEmbedding".into()));
        assert_eq!(newer.to_string(), "vectorEmbedding");
    }

    #[test]
    fn labels_carry_the_size_that_limits_values() {
        assert_eq!(DescribeType::String.label(80, 0, 0, 0), "string(80)");
        assert_eq!(DescribeType::Currency.label(0, 18, 2, 0), "currency(18, 2)");
        assert_eq!(DescribeType::Double.label(0, 0, 0, 0), "double");
        assert_eq!(DescribeType::Int.label(0, 0, 0, 9), "int(9)");
        assert_eq!(DescribeType::Reference.label(18, 0, 0, 0), "reference");
        assert_eq!(DescribeType::Picklist.label(255, 0, 0, 0), "picklist");
        assert_eq!(DescribeType::Other("x".into()).label(10, 0, 0, 0), "x(10)");
    }
}
