//! Typed records from Bulk query CSV rows.
//!
//! A CSV cell is text; the record type says what it should be, so the cell is
//! read the way the type asks (`deserialize_bool` parses `true`, `deserialize_f64`
//! parses a number, `deserialize_option` reads an empty cell as `None`). Dotted
//! headers (`Account.Name`) become nested maps, and compound fields are rebuilt
//! from their component columns.

use csv::StringRecord;
use serde::de::value::{Error as DeError, StrDeserializer};
use serde::de::{
    self, DeserializeSeed, Error as _, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::forward_to_deserialize_any;

use super::select::Compound;

/// Where each part of a record comes from: a tree built once per header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// A column.
    Cell(usize),
    /// A parent relationship (`Account.…`): nested fields.
    Map(Vec<(String, Node)>),
    /// A compound value rebuilt from component columns: `(key, column)`.
    Compound(Vec<(&'static str, usize)>),
}

/// The record shape for a header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape {
    fields: Vec<(String, Node)>,
}

impl Shape {
    /// The shape of rows under `headers`, with `compounds` rebuilt.
    pub(crate) fn new(headers: &StringRecord, compounds: &[Compound]) -> Self {
        let mut fields: Vec<(String, Node)> = Vec::new();
        for (column, header) in headers.iter().enumerate() {
            insert(&mut fields, &header.split('.').collect::<Vec<_>>(), column);
        }
        for compound in compounds {
            if fields.iter().any(|(name, _)| name == compound.name) {
                continue;
            }
            let parts: Vec<(&'static str, usize)> = compound
                .parts
                .iter()
                .filter_map(|(key, field)| {
                    headers.iter().position(|h| h == field).map(|c| (*key, c))
                })
                .collect();
            if !parts.is_empty() {
                fields.push((compound.name.to_owned(), Node::Compound(parts)));
            }
        }
        Shape { fields }
    }

    /// A deserializer for one row.
    pub(crate) fn row<'a>(&'a self, record: &'a StringRecord) -> MapDe<'a> {
        MapDe {
            entries: Entries::Fields(&self.fields),
            record,
        }
    }
}

fn insert(fields: &mut Vec<(String, Node)>, path: &[&str], column: usize) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let existing = fields.iter_mut().position(|(name, _)| name == first);
    match (existing, rest.is_empty()) {
        (None, true) => fields.push(((*first).to_owned(), Node::Cell(column))),
        (None, false) => {
            let mut nested = Vec::new();
            insert(&mut nested, rest, column);
            fields.push(((*first).to_owned(), Node::Map(nested)));
        }
        (Some(i), false) => {
            if let Node::Map(nested) = &mut fields[i].1 {
                insert(nested, rest, column);
            }
        }
        // A repeated column name: the first one wins.
        (Some(_), true) => {}
    }
}

#[derive(Debug, Clone, Copy)]
enum Entries<'a> {
    Fields(&'a [(String, Node)]),
    Parts(&'a [(&'static str, usize)]),
}

impl Entries<'_> {
    fn len(&self) -> usize {
        match self {
            Entries::Fields(f) => f.len(),
            Entries::Parts(p) => p.len(),
        }
    }
}

fn cell(record: &StringRecord, column: usize) -> &str {
    record.get(column).unwrap_or("")
}

/// Whether every cell under a node is empty (a null parent or compound).
fn all_empty(entries: Entries<'_>, record: &StringRecord) -> bool {
    match entries {
        Entries::Fields(fields) => fields.iter().all(|(_, node)| match node {
            Node::Cell(c) => cell(record, *c).is_empty(),
            Node::Map(nested) => all_empty(Entries::Fields(nested), record),
            Node::Compound(parts) => all_empty(Entries::Parts(parts), record),
        }),
        Entries::Parts(parts) => parts.iter().all(|(_, c)| cell(record, *c).is_empty()),
    }
}

/// A record, a parent or a compound value: a map of its entries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MapDe<'a> {
    entries: Entries<'a>,
    record: &'a StringRecord,
}

impl<'de> de::Deserializer<'de> for MapDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(Entry {
            map: self,
            next: 0,
            value: None,
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if all_empty(self.entries, self.record) {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
        seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct Entry<'a> {
    map: MapDe<'a>,
    next: usize,
    value: Option<ValueDe<'a>>,
}

#[derive(Debug, Clone, Copy)]
enum ValueDe<'a> {
    Cell(CellDe<'a>),
    Map(MapDe<'a>),
}

impl<'de> MapAccess<'de> for Entry<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        if self.next >= self.map.entries.len() {
            return Ok(None);
        }
        let record = self.map.record;
        let (key, value) = match self.map.entries {
            Entries::Fields(fields) => {
                let (name, node) = &fields[self.next];
                let value = match node {
                    Node::Cell(c) => ValueDe::Cell(CellDe(cell(record, *c))),
                    Node::Map(nested) => ValueDe::Map(MapDe {
                        entries: Entries::Fields(nested),
                        record,
                    }),
                    Node::Compound(parts) => ValueDe::Map(MapDe {
                        entries: Entries::Parts(parts),
                        record,
                    }),
                };
                (name.as_str(), value)
            }
            Entries::Parts(parts) => {
                let (key, c) = parts[self.next];
                (key, ValueDe::Cell(CellDe(cell(record, c))))
            }
        };
        self.next += 1;
        self.value = Some(value);
        let key: StrDeserializer<'_, DeError> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(ValueDe::Cell(c)) => seed.deserialize(c),
            Some(ValueDe::Map(m)) => seed.deserialize(m),
            None => Err(DeError::custom("a value was read before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.map.entries.len() - self.next)
    }
}

/// One CSV cell, read as the target type asks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CellDe<'a>(&'a str);

impl CellDe<'_> {
    fn invalid(&self, expected: &str) -> DeError {
        DeError::custom(format!("`{}` is not {expected}", self.0))
    }

    fn int(&self) -> Result<i64, DeError> {
        let text = self.0.trim();
        if let Ok(n) = text.parse::<i64>() {
            return Ok(n);
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(f as i64),
            _ => Err(self.invalid("a whole number")),
        }
    }

    fn float(&self) -> Result<f64, DeError> {
        self.0
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| self.invalid("a number"))
    }

    /// The cell as JSON text, typed as [`de::Deserializer::deserialize_any`]
    /// types it: empty is `null`, numbers keep their digits, the rest is a string.
    fn as_json(&self) -> String {
        match self.0 {
            "" => "null".to_owned(),
            "true" | "false" => self.0.to_owned(),
            text if self.looks_numeric()
                && serde_json::from_str::<de::IgnoredAny>(text).is_ok() =>
            {
                text.to_owned()
            }
            text => serde_json::to_string(text).unwrap_or_else(|_| "null".to_owned()),
        }
    }

    /// Whether the cell reads as a number in the way Salesforce writes numbers.
    fn looks_numeric(&self) -> bool {
        let t = self.0;
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
            && t.bytes().any(|b| b.is_ascii_digit())
    }
}

impl<'de> de::Deserializer<'de> for CellDe<'de> {
    type Error = DeError;

    /// Without a type to follow (a `serde_json::Value`, a whole number read with
    /// `deserialize_any`): empty is null, `true`/`false` are booleans, numbers are
    /// numbers, the rest is text.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            "" => visitor.visit_unit(),
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            text if self.looks_numeric() => match (text.parse::<i64>(), text.parse::<f64>()) {
                (Ok(n), _) => visitor.visit_i64(n),
                (_, Ok(f)) => visitor.visit_f64(f),
                _ => visitor.visit_borrowed_str(text),
            },
            text => visitor.visit_borrowed_str(text),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.0.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.trim() {
            t if t.eq_ignore_ascii_case("true") => visitor.visit_bool(true),
            t if t.eq_ignore_ascii_case("false") || t.is_empty() => visitor.visit_bool(false),
            _ => Err(self.invalid("a boolean")),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_i64(self.int()?)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.trim().parse::<u64>() {
            Ok(n) => visitor.visit_u64(n),
            Err(_) => self.deserialize_i64(visitor),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.0.is_empty() {
            visitor.visit_unit()
        } else {
            Err(self.invalid("empty"))
        }
    }

    /// A `Box<RawValue>` (and so a decimal read exactly, `number::exact`) gets
    /// the cell as JSON text: its digits as they are for a number.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == RAW_VALUE_TOKEN {
            return visitor.visit_map(RawJson {
                text: Some(self.as_json()),
            });
        }
        visitor.visit_newtype_struct(self)
    }

    /// A sequence is a multipicklist: values joined with `;`.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let parts = if self.0.is_empty() {
            Vec::new()
        } else {
            self.0.split(';').collect()
        };
        visitor.visit_seq(Parts {
            parts: parts.into_iter(),
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let text: StrDeserializer<'_, DeError> = self.0.into_deserializer();
        visitor.visit_enum(text)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        i128 u128 bytes byte_buf unit_struct tuple tuple_struct map struct
    }
}

/// The name `serde_json` gives the newtype a `RawValue` deserializes as; a
/// deserializer that is not `serde_json` answers it with a one-entry map of
/// this key to the value's JSON text. (Tested below against `serde_json`.)
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The map a `RawValue` reads: `{RAW_VALUE_TOKEN: json_text}`.
struct RawJson {
    text: Option<String>,
}

impl<'de> MapAccess<'de> for RawJson {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        if self.text.is_none() {
            return Ok(None);
        }
        let key: StrDeserializer<'_, DeError> = RAW_VALUE_TOKEN.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let text = self
            .text
            .take()
            .ok_or_else(|| DeError::custom("a raw value was read twice"))?;
        seed.deserialize(text.into_deserializer())
    }
}

struct Parts<'a> {
    parts: std::vec::IntoIter<&'a str>,
}

impl<'de> SeqAccess<'de> for Parts<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        self.parts
            .next()
            .map(|p| seed.deserialize(CellDe(p)))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::{json, Value};

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Address {
        city: Option<String>,
        latitude: Option<f64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Parent {
        #[serde(rename = "Name")]
        name: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        #[serde(rename = "Id")]
        id: String,
        #[serde(rename = "Count__c")]
        count: Option<i64>,
        #[serde(rename = "Active__c")]
        active: bool,
        #[serde(rename = "Amount")]
        amount: Option<f64>,
        #[serde(rename = "Tags__c")]
        tags: Vec<String>,
        #[serde(rename = "Account")]
        account: Option<Parent>,
        #[serde(rename = "BillingAddress")]
        billing: Option<Address>,
        #[serde(rename = "Missing__c", default)]
        missing: Option<String>,
    }

    fn record(cells: &[&str]) -> StringRecord {
        StringRecord::from(cells.to_vec())
    }

    #[test]
    fn rows_decode_into_typed_records() {
        let headers = record(&[
            "Id",
            "Count__c",
            "Active__c",
            "Amount",
            "Tags__c",
            "Account.Name",
            "BillingCity",
            "BillingLatitude",
        ]);
        let billing = Compound {
            name: "BillingAddress",
            parts: vec![
                ("city", "BillingCity".into()),
                ("latitude", "BillingLatitude".into()),
            ],
        };
        let shape = Shape::new(&headers, &[billing]);
        let full = record(&[
            "001A", "3.0", "true", "12.5", "a;b", "Acme", "Paris", "48.85",
        ]);
        let row = Row::deserialize(shape.row(&full)).expect("decodes");
        assert_eq!(row.count, Some(3));
        assert!(row.active);
        assert_eq!(row.tags, ["a", "b"]);
        assert_eq!(
            row.account,
            Some(Parent {
                name: "Acme".into()
            })
        );
        assert_eq!(
            row.billing,
            Some(Address {
                city: Some("Paris".into()),
                latitude: Some(48.85)
            })
        );
        let empty = record(&["001B", "", "false", "", "", "", "", ""]);
        let row = Row::deserialize(shape.row(&empty)).expect("decodes");
        assert_eq!(
            (row.count, row.amount, row.account, row.billing, row.missing),
            (None, None, None, None, None)
        );
        assert!(row.tags.is_empty());
        let bad = record(&["001C", "x", "true", "", "", "", "", ""]);
        assert!(Row::deserialize(shape.row(&bad)).is_err());
    }

    #[test]
    fn exact_decimals_and_raw_values_read_the_cell_text() {
        use rust_decimal::Decimal;
        use serde_json::value::RawValue;

        #[derive(Debug, Deserialize)]
        struct Opp {
            #[serde(rename = "Amount", default, with = "crate::number::exact")]
            amount: Option<Decimal>,
            #[serde(rename = "Big__c", with = "crate::number::exact")]
            big: Decimal,
            #[serde(rename = "Raw__c")]
            raw: Box<RawValue>,
            #[serde(rename = "Text__c")]
            text: Option<Box<RawValue>>,
        }
        let headers = record(&["Amount", "Big__c", "Raw__c", "Text__c"]);
        let shape = Shape::new(&headers, &[]);
        let row = record(&[
            "-9999999999999999.99",
            "12345678901234567890.12345678",
            "1.0E7",
            "say \"hi\"",
        ]);
        let opp = Opp::deserialize(shape.row(&row)).expect("decodes");
        assert_eq!(
            opp.amount.map(|a| a.to_string()).as_deref(),
            Some("-9999999999999999.99")
        );
        assert_eq!(opp.big.to_string(), "12345678901234567890.12345678");
        assert_eq!(opp.raw.get(), "1.0E7");
        assert_eq!(
            opp.text.as_deref().map(RawValue::get),
            Some(r#""say \"hi\"""#)
        );
        let empty = record(&["", "0.01", "true", ""]);
        let opp = Opp::deserialize(shape.row(&empty)).expect("decodes");
        assert_eq!(opp.amount, None);
        assert_eq!(opp.raw.get(), "true");
        assert!(opp.text.is_none());
        let bad = record(&["abc", "1", "1", ""]);
        let err = Opp::deserialize(shape.row(&bad)).expect_err("not a number");
        assert!(
            err.to_string().contains("`abc` is not a decimal number"),
            "{err}"
        );
    }

    #[test]
    fn untyped_rows_guess_scalars() {
        let headers = record(&["Id", "N", "B", "Empty", "Phone", "Account.Name"]);
        let shape = Shape::new(&headers, &[]);
        let value =
            Value::deserialize(shape.row(&record(&["001A", "2.5", "true", "", "+33 1", "Acme"])))
                .expect("decodes");
        assert_eq!(
            value,
            json!({"Id": "001A", "N": 2.5, "B": true, "Empty": null, "Phone": "+33 1", "Account": {"Name": "Acme"}})
        );
    }
}
