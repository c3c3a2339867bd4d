//! Record bodies as a JSON tree whose numbers keep their text.
//!
//! Collections, Composite and Bulk add keys to a record's JSON (`attributes`,
//! `id`, references) or flatten it to CSV cells. `serde_json::Value` would hold
//! its numbers as `f64` and round a `currency(18, 2)` amount written through
//! [`crate::number::exact`]; this tree keeps every number as the text the
//! record's `Serialize` wrote.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A JSON value; numbers are their exact text.
#[derive(Debug, Clone)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// A number's text as written (`9999999999999999.99`, `1.0E21`).
    Number(Box<RawValue>),
    String(String),
    Array(Vec<Json>),
    Object(Object),
}

/// An object's entries, in the order they were written.
pub(crate) type Object = Vec<(String, Json)>;

/// Serializes `record` (with `serde_json`, so numbers are exact) and reads it
/// back as an object. `Err` holds what the record serialized to instead.
pub(crate) fn object_of<R: Serialize + ?Sized>(record: &R) -> Result<Object, serde_json::Error> {
    let text = serde_json::to_string(record)?;
    match serde_json::from_str::<Json>(&text)? {
        Json::Object(object) => Ok(object),
        _ => Err(de::Error::custom(format!(
            "a record must serialize to a JSON object, not {}",
            shorten(&text)
        ))),
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Removes `key` from an object, returning its value.
pub(crate) fn remove(object: &mut Object, key: &str) -> Option<Json> {
    let at = object.iter().position(|(k, _)| k == key)?;
    Some(object.remove(at).1)
}

/// Sets `key` (in place if present, else at the end).
pub(crate) fn insert(object: &mut Object, key: &str, value: Json) {
    match object.iter_mut().find(|(k, _)| k == key) {
        Some((_, slot)) => *slot = value,
        None => object.push((key.to_owned(), value)),
    }
}

impl Json {
    fn from_raw(raw: Box<RawValue>) -> Result<Json, serde_json::Error> {
        let text = raw.get();
        Ok(match text.as_bytes().first() {
            Some(b'{') => Json::Object(serde_json::from_str::<Entries>(text)?.0),
            Some(b'[') => Json::Array(serde_json::from_str(text)?),
            Some(b'"') => Json::String(serde_json::from_str(text)?),
            Some(b't') => Json::Bool(true),
            Some(b'f') => Json::Bool(false),
            Some(b'n') => Json::Null,
            _ => Json::Number(raw),
        })
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Json::from_raw(raw).map_err(de::Error::custom)
    }
}

/// An object read in order, each value as a [`Json`].
struct Entries(Object);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((key, value)) = map.next_entry::<String, Json>()? {
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(raw) => raw.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text_and_keys_their_order() {
        let text = r#"{"Z":9999999999999999.99,"A":[1.0E21,-0.01,"x"],"P":{"Ext__c":"e","N":12.50},"B":true,"C":null}"#;
        let json: Json = serde_json::from_str(text).expect("reads");
        assert_eq!(serde_json::to_string(&json).expect("writes"), text);
        let Json::Object(mut object) = json else {
            panic!("an object");
        };
        assert_eq!(
            object.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["Z", "A", "P", "B", "C"]
        );
        assert!(remove(&mut object, "A").is_some());
        insert(&mut object, "Z", Json::String("z".into()));
        insert(&mut object, "New", Json::Null);
        let again = object_of(&Json::Object(object)).expect("an object");
        assert_eq!(
            serde_json::to_string(&Json::Object(again)).expect("writes"),
            r#"{"Z":"z","P":{"Ext__c":"e","N":12.50},"B":true,"C":null,"New":null}"#
        );
    }

    #[test]
    fn a_record_must_be_an_object() {
        let err = object_of(&[1, 2]).expect_err("an array");
        assert!(err.to_string().contains("not [1,2]"), "{err}");
    }
}
