//! Salesforce record ids: 15 or 18 characters, checksum-validated, typed.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::SObject;

/// Why a string is not a Salesforce record id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Ids have 15 (case-sensitive) or 18 (case-safe) characters.
    #[error("a Salesforce id has 15 or 18 characters, `{id}` has {len}")]
    Length { id: String, len: usize },
    /// Ids are ASCII letters and digits.
    #[error("a Salesforce id has only ASCII letters and digits, `{id}` does not")]
    Character { id: String },
    /// The last three characters of an 18-character id encode the case of the first 15.
    #[error("`{id}` is not a valid 18-character id: its checksum should be `{expected}`")]
    Checksum { id: String, expected: String },
    /// The id belongs to another object than the one asked for.
    #[error("`{id}` is not a {object} id: its key prefix is `{found}`, a {object} id starts with `{expected}`")]
    KeyPrefix {
        id: String,
        object: &'static str,
        expected: &'static str,
        found: String,
    },
}

/// A checksum-validated record id of any object, always held in its
/// 18-character case-safe form.
///
/// Polymorphic references (`WhoId`, `WhatId`, `OwnerId`, …) use this type: the
/// [key prefix](RecordId::key_prefix) tells which object the id points at, and
/// [`RecordId::typed`] turns it into an [`Id<T>`] once that is checked.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId {
    chars: [u8; 18],
}

const CHECKSUM_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// The three checksum characters of a 15-character id.
fn checksum(first15: &[u8]) -> [u8; 3] {
    let mut out = [0u8; 3];
    for (chunk, slot) in first15.chunks(5).zip(out.iter_mut()) {
        let bits = chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_uppercase())
            .fold(0usize, |acc, (i, _)| acc | (1 << i));
        *slot = CHECKSUM_ALPHABET[bits];
    }
    out
}

impl RecordId {
    /// Parses a 15- or 18-character id, validating the checksum of an 18-character one.
    pub fn parse(id: &str) -> Result<Self, IdError> {
        let bytes = id.as_bytes();
        if bytes.len() != 15 && bytes.len() != 18 {
            return Err(IdError::Length {
                id: id.to_owned(),
                len: id.chars().count(),
            });
        }
        if !bytes.iter().all(u8::is_ascii_alphanumeric) {
            return Err(IdError::Character { id: id.to_owned() });
        }
        let sum = checksum(&bytes[..15]);
        if bytes.len() == 18 && !bytes[15..].eq_ignore_ascii_case(&sum) {
            return Err(IdError::Checksum {
                id: id.to_owned(),
                expected: String::from_utf8_lossy(&sum).into_owned(),
            });
        }
        let mut chars = [0u8; 18];
        chars[..15].copy_from_slice(&bytes[..15]);
        chars[15..].copy_from_slice(&sum);
        Ok(RecordId { chars })
    }

    /// The 18-character, case-safe form (what the API returns).
    pub fn as_str(&self) -> &str {
        // Built only from validated ASCII alphanumerics.
        std::str::from_utf8(&self.chars).unwrap_or_default()
    }

    /// The 15-character, case-sensitive form (what the Salesforce UI shows).
    pub fn as_15(&self) -> &str {
        &self.as_str()[..15]
    }

    /// The first three characters, which name the object the id belongs to.
    pub fn key_prefix(&self) -> &str {
        &self.as_str()[..3]
    }

    /// This id as an id of `T`, if its key prefix is `T`'s.
    ///
    /// Objects whose describe has no key prefix accept any id.
    pub fn typed<T: SObject>(self) -> Result<Id<T>, IdError> {
        match T::KEY_PREFIX {
            Some(expected) if expected != self.key_prefix() => Err(IdError::KeyPrefix {
                id: self.as_str().to_owned(),
                object: T::API_NAME,
                expected,
                found: self.key_prefix().to_owned(),
            }),
            _ => Ok(Id {
                raw: self,
                object: PhantomData,
            }),
        }
    }

    /// Whether this id belongs to `T` by its key prefix.
    pub fn is<T: SObject>(&self) -> bool {
        T::KEY_PREFIX.is_none_or(|p| p == self.key_prefix())
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({})", self.as_str())
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RecordId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RecordId::parse(s)
    }
}

impl Serialize for RecordId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

struct IdVisitor;

impl de::Visitor<'_> for IdVisitor {
    type Value = RecordId;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a 15- or 18-character Salesforce id")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RecordId, E> {
        RecordId::parse(v).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for RecordId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(IdVisitor)
    }
}

/// The id of a record of object `T`, e.g. `Id<Contact>`.
///
/// Parsing checks the length, the characters, the checksum of an 18-character
/// id and that the key prefix is `T`'s. Ids are stored inline (no allocation) in
/// their 18-character form, so a 15-character and an 18-character spelling of one
/// record compare equal.
pub struct Id<T> {
    raw: RecordId,
    object: PhantomData<fn() -> T>,
}

impl<T: SObject> Id<T> {
    /// Parses an id of `T`.
    pub fn parse(id: &str) -> Result<Self, IdError> {
        RecordId::parse(id)?.typed()
    }
}

impl<T> Id<T> {
    /// The untyped id.
    pub fn untyped(self) -> RecordId {
        self.raw
    }

    /// The 18-character, case-safe form.
    pub fn as_str(&self) -> &str {
        self.raw.as_str()
    }

    /// The 15-character, case-sensitive form.
    pub fn as_15(&self) -> &str {
        self.raw.as_15()
    }

    /// The first three characters.
    pub fn key_prefix(&self) -> &str {
        self.raw.key_prefix()
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl<T> Eq for Id<T> {}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.raw.cmp(&other.raw)
    }
}
impl<T> Hash for Id<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.raw.as_str())
    }
}
impl<T> fmt::Display for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.raw.as_str())
    }
}
impl<T> From<Id<T>> for RecordId {
    fn from(id: Id<T>) -> Self {
        id.raw
    }
}
impl<T: SObject> FromStr for Id<T> {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Id::parse(s)
    }
}
impl<T: SObject> TryFrom<RecordId> for Id<T> {
    type Error = IdError;
    fn try_from(id: RecordId) -> Result<Self, Self::Error> {
        id.typed()
    }
}
impl<T> Serialize for Id<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}
impl<'de, T: SObject> Deserialize<'de> for Id<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RecordId::deserialize(deserializer)?
            .typed()
            .map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Contact;
    impl SObject for Contact {
        const API_NAME: &'static str = "Contact";
        const KEY_PREFIX: Option<&'static str> = Some("003");
        const FIELDS: &'static [&'static str] = &["Id"];
    }

    #[test]
    fn fifteen_converts_to_eighteen() {
        // Ids as recorded from real orgs, with their 18-character forms.
        let cases = [
            ("0013600000Ta4aQ", "0013600000Ta4aQAAR"),
            ("00536000000Xmw3", "00536000000Xmw3AAC"),
            ("001000000000000", "001000000000000AAA"),
            ("AAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAA555"),
        ];
        for (short, long) in cases {
            let id = RecordId::parse(short).expect("valid 15-character id");
            assert_eq!(id.as_str(), long, "{short}");
            assert_eq!(id.as_15(), short);
            assert_eq!(RecordId::parse(long).expect("valid 18"), id);
        }
    }

    #[test]
    fn checksum_is_validated_case_insensitively() {
        assert!(RecordId::parse("0013600000Ta4aQaar").is_ok());
        let err = RecordId::parse("0013600000Ta4aQAAA").expect_err("bad checksum");
        assert_eq!(
            err.to_string(),
            "`0013600000Ta4aQAAA` is not a valid 18-character id: its checksum should be `AAR`"
        );
    }

    #[test]
    fn bad_lengths_and_characters_are_rejected() {
        assert!(matches!(
            RecordId::parse("001"),
            Err(IdError::Length { len: 3, .. })
        ));
        assert!(matches!(
            RecordId::parse("0013600000Ta4a-"),
            Err(IdError::Character { .. })
        ));
        assert!(matches!(
            RecordId::parse("0013600000Ta4aé"),
            Err(IdError::Length { .. }) | Err(IdError::Character { .. })
        ));
    }

    #[test]
    fn typed_ids_check_the_key_prefix() {
        let ok: Id<Contact> = Id::parse("0033600000Ta4aQ").expect("a contact id");
        assert_eq!(ok.key_prefix(), "003");
        let err = Id::<Contact>::parse("0013600000Ta4aQ").expect_err("an account id");
        assert!(err.to_string().contains("is not a Contact id"), "{err}");
        let json: Result<Id<Contact>, _> = serde_json::from_str("\"0013600000Ta4aQAAR\"");
        assert!(json.is_err());
        let json: Id<Contact> = serde_json::from_str("\"0033600000Ta4aQ\"").expect("decodes");
        assert_eq!(
            serde_json::to_string(&json).expect("encodes"),
            format!("\"{}\"", json.as_str())
        );
    }
}
