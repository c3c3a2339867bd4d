//! Decoding generated records: one visitor for every record, driven by the
//! record's table of keys.
//!
//! A generated record (`Account`, `Contact`, …) is declared with
//! [`#[sfgen_runtime::record]`](macro@crate::record), which implements
//! [`DecodeRecord`] for it (its keys, a draft of one `Option` per field, a
//! `match` from key index to field, and the step from draft to record) and
//! `Deserialize` through [`deserialize`]. The visitor, the key lookup and the
//! error handling are here, once, instead of a `serde` derive's visitor per
//! record: a crate of hundreds of records compiles in about half the time.
//!
//! Decoding behaves as `#[derive(Deserialize)]` does: keys the record does
//! not have (`attributes`, fields added to the org later) are skipped; a
//! missing `Option` field (or one marked `#[serde(default)]`) is its default,
//! any other missing field is a `missing field` error; a key given twice is a
//! `duplicate field` error; formats that write structs as sequences (one
//! value per field, in order) decode too.
//!
//! ```
//! #[sfgen_runtime::record]
//! #[derive(Debug, PartialEq, serde::Serialize)]
//! pub struct Thing {
//!     #[serde(rename = "Name")]
//!     pub name: String,
//!     #[serde(rename = "Amount__c", default, with = "sfgen_runtime::number::exact")]
//!     pub amount: Option<sfgen_runtime::rust_decimal::Decimal>,
//! }
//!
//! let thing: Thing = serde_json::from_str(
//!     r#"{"attributes":{"type":"Thing__c"},"Name":"Widget","Amount__c":12.50}"#,
//! )
//! .unwrap();
//! assert_eq!(thing.name, "Widget");
//! assert_eq!(thing.amount.unwrap().to_string(), "12.50");
//!
//! let missing = serde_json::from_str::<Thing>(r#"{"Amount__c":null}"#).unwrap_err();
//! assert!(missing.to_string().starts_with("missing field `Name`"), "{missing}");
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A record's decoding table, as [`#[record]`](macro@crate::record) writes it.
pub trait DecodeRecord: Sized {
    /// One `Option` per field, filled as the keys arrive.
    type Draft;
    /// The record's type name, for error messages (`expected struct Account`).
    const NAME: &'static str;
    /// The fields' keys, in declaration order; a key's index is its field's.
    const KEYS: &'static [&'static str];

    /// A draft with no field decoded yet.
    fn draft() -> Self::Draft;

    /// Decodes the next value of `map` into the field with key index `index`.
    ///
    /// # Errors
    /// The value's own decoding error, or `duplicate field` when the field
    /// already has a value.
    fn decode_field<'de, A: MapAccess<'de>>(
        draft: &mut Self::Draft,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// The record from a draft whose keys have all been read.
    ///
    /// # Errors
    /// `missing field` for the first field without a value or a default.
    fn finish<E: de::Error>(draft: Self::Draft) -> Result<Self, E>;
}

/// Decodes a record from a map (or, in formats that write structs as
/// sequences, from one value per field): the body of a generated record's
/// `Deserialize` impl.
///
/// # Errors
/// What the deserializer reports, and the errors of [`DecodeRecord`].
pub fn deserialize<'de, R: DecodeRecord, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<R, D::Error> {
    deserializer.deserialize_struct(R::NAME, R::KEYS, RecordVisitor(PhantomData))
}

/// Decodes the next value of `map` into `slot`, once.
///
/// # Errors
/// The value's decoding error, or `duplicate field` naming `key` when `slot`
/// is already filled.
pub fn slot<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    key: &'static str,
) -> Result<(), A::Error> {
    slot_with(slot, map, key, PhantomData)
}

/// [`slot`] with a value decoded by `seed` (a field's `with` or
/// `deserialize_with` function) instead of the type's own `Deserialize`.
///
/// # Errors
/// As for [`slot`].
pub fn slot_with<'de, S: DeserializeSeed<'de>, A: MapAccess<'de>>(
    slot: &mut Option<S::Value>,
    map: &mut A,
    key: &'static str,
    seed: S,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value_seed(seed)?);
    Ok(())
}

/// The value of a field that has no default.
///
/// # Errors
/// `missing field` naming `key` when the field was not given.
pub fn required<T, E: de::Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(key))
}

/// The visitor of every record.
struct RecordVisitor<R>(PhantomData<fn() -> R>);

impl<'de, R: DecodeRecord> Visitor<'de> for RecordVisitor<R> {
    type Value = R;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", R::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<R, A::Error> {
        let mut draft = R::draft();
        // Salesforce sends a record's fields in the order the query selected
        // them, which is the order of `KEYS`: the key after the last one
        // found is tried first.
        let mut next = 0;
        while let Some(key) = map.next_key_seed(KeySeed {
            keys: R::KEYS,
            next,
        })? {
            match key {
                Some(index) => {
                    R::decode_field(&mut draft, index, &mut map)?;
                    next = index + 1;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        R::finish(draft)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<R, A::Error> {
        let mut draft = R::draft();
        let mut values = SeqValues::<A, R> {
            seq,
            index: 0,
            record: PhantomData,
        };
        for index in 0..R::KEYS.len() {
            values.index = index;
            R::decode_field(&mut draft, index, &mut values)?;
        }
        R::finish(draft)
    }
}

/// Reads a key as the index of the record's field, or `None` for a key the
/// record does not have.
struct KeySeed {
    keys: &'static [&'static str],
    next: usize,
}

impl KeySeed {
    fn find(&self, key: &str) -> Option<usize> {
        if self.keys.get(self.next) == Some(&key) {
            return Some(self.next);
        }
        self.keys.iter().position(|k| *k == key)
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.find(key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(key).ok().and_then(|key| self.find(key)))
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(index)
            .ok()
            .filter(|index| *index < self.keys.len()))
    }
}

/// A sequence read as the values of a map whose keys are the fields in order,
/// so that [`DecodeRecord::decode_field`] serves both.
struct SeqValues<A, R> {
    seq: A,
    index: usize,
    record: PhantomData<fn() -> R>,
}

impl<'de, A: SeqAccess<'de>, R: DecodeRecord> MapAccess<'de> for SeqValues<A, R> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        // `decode_field` reads values only.
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.seq
            .next_element_seed(seed)?
            .ok_or_else(|| de::Error::invalid_length(self.index, &Fields::<R>(PhantomData)))
    }
}

/// What a sequence of a record's fields should hold.
struct Fields<R>(PhantomData<fn() -> R>);

impl<R: DecodeRecord> de::Expected for Fields<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {} with {} elements", R::NAME, R::KEYS.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record written as `#[record]` writes one.
    #[derive(Debug, PartialEq)]
    struct Thing {
        name: String,
        size: Option<i64>,
    }

    struct Draft {
        name: Option<String>,
        size: Option<Option<i64>>,
    }

    impl DecodeRecord for Thing {
        type Draft = Draft;
        const NAME: &'static str = "Thing";
        const KEYS: &'static [&'static str] = &["Name", "Size"];

        fn draft() -> Draft {
            Draft {
                name: None,
                size: None,
            }
        }

        fn decode_field<'de, A: MapAccess<'de>>(
            draft: &mut Draft,
            index: usize,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match index {
                0 => slot(&mut draft.name, map, "Name"),
                1 => slot(&mut draft.size, map, "Size"),
                _ => Ok(()),
            }
        }

        fn finish<E: de::Error>(draft: Draft) -> Result<Self, E> {
            Ok(Thing {
                name: required(draft.name, "Name")?,
                size: draft.size.unwrap_or_default(),
            })
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    fn thing(name: &str, size: Option<i64>) -> Thing {
        Thing {
            name: name.to_owned(),
            size,
        }
    }

    #[test]
    fn keys_in_any_order_unknown_keys_skipped() {
        let read: Thing =
            serde_json::from_str(r#"{"attributes":{"type":"Thing"},"Size":3,"x":[1],"Name":"a"}"#)
                .expect("decodes");
        assert_eq!(read, thing("a", Some(3)));
    }

    #[test]
    fn missing_option_is_none_missing_required_is_an_error() {
        let read: Thing = serde_json::from_str(r#"{"Name":"a"}"#).expect("decodes");
        assert_eq!(read, thing("a", None));
        let err = serde_json::from_str::<Thing>(r#"{"Size":null}"#).expect_err("does not decode");
        assert_eq!(err.to_string(), "missing field `Name` at line 1 column 13");
    }

    #[test]
    fn duplicate_key_is_an_error() {
        let err = serde_json::from_str::<Thing>(r#"{"Name":"a","Name":"b"}"#)
            .expect_err("does not decode");
        assert_eq!(
            err.to_string(),
            "duplicate field `Name` at line 1 column 18"
        );
    }

    #[test]
    fn wrong_value_type_names_the_field_through_path_to_error() {
        let json = r#"{"Name":"a","Size":"big"}"#;
        let de = &mut serde_json::Deserializer::from_str(json);
        let err = serde_path_to_error::deserialize::<_, Thing>(de).expect_err("does not decode");
        assert_eq!(err.path().to_string(), "Size");
    }

    #[test]
    fn not_an_object_says_which_record_was_expected() {
        let err = serde_json::from_str::<Thing>("7").expect_err("does not decode");
        assert_eq!(
            err.to_string(),
            "invalid type: integer `7`, expected struct Thing at line 1 column 1"
        );
    }

    #[test]
    fn sequences_decode_one_value_per_field() {
        let read: Thing = serde_json::from_str(r#"["a", 4]"#).expect("decodes");
        assert_eq!(read, thing("a", Some(4)));
        let err = serde_json::from_str::<Thing>(r#"["a"]"#).expect_err("does not decode");
        assert_eq!(
            err.to_string(),
            "invalid length 1, expected struct Thing with 2 elements at line 1 column 5"
        );
    }
}
