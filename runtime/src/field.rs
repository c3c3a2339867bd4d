//! The tri-state value of a field in an update.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field in an update: left as it is, cleared, or set.
///
/// Salesforce's `PATCH` changes only the keys it is sent, and a `null` value clears
/// a field. `Option<T>` cannot tell "do not touch" from "clear", so update forms use
/// `Field<T>` and skip [`Field::Unset`] keys when serializing:
///
/// ```
/// # use sfgen_runtime::Field;
/// #[derive(serde::Serialize)]
/// struct Update {
///     #[serde(rename = "Title", skip_serializing_if = "Field::is_unset")]
///     title: Field<String>,
///     #[serde(rename = "Phone", skip_serializing_if = "Field::is_unset")]
///     phone: Field<String>,
/// }
/// let body = serde_json::to_string(&Update { title: Field::Null, phone: Field::Unset }).unwrap();
/// assert_eq!(body, r#"{"Title":null}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Field<T> {
    /// Not sent: the field keeps its current value.
    #[default]
    Unset,
    /// Sent as `null`: the field is cleared.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Field<T> {
    /// Whether the field is left as it is (and so must not be serialized).
    pub fn is_unset(&self) -> bool {
        matches!(self, Field::Unset)
    }

    /// The value, if one is set.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Unset | Field::Null => None,
        }
    }

    /// Maps the value, keeping unset and null apart.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Unset => Field::Unset,
            Field::Null => Field::Null,
            Field::Value(v) => Field::Value(f(v)),
        }
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Value(value)
    }
}

impl<T> From<Option<T>> for Field<T> {
    /// `Some` sets the value, `None` clears the field.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Field::Value(v),
            None => Field::Null,
        }
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Reached only without `skip_serializing_if = "Field::is_unset"`; null is
            // the closest JSON has, so generated code always adds the attribute.
            Field::Unset | Field::Null => serializer.serialize_none(),
            Field::Value(v) => serializer.serialize_some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    /// A present `null` is [`Field::Null`]; use `#[serde(default)]` so an absent key
    /// is [`Field::Unset`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Update {
        #[serde(default, rename = "A", skip_serializing_if = "Field::is_unset")]
        a: Field<i32>,
        #[serde(default, rename = "B", skip_serializing_if = "Field::is_unset")]
        b: Field<i32>,
        #[serde(default, rename = "C", skip_serializing_if = "Field::is_unset")]
        c: Field<i32>,
    }

    #[test]
    fn unset_null_and_value_stay_apart_on_the_wire() {
        let u = Update {
            a: Field::Unset,
            b: Field::Null,
            c: Field::Value(3),
        };
        let json = serde_json::to_string(&u).expect("serializes");
        assert_eq!(json, r#"{"B":null,"C":3}"#);
        let back: Update = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, u);
    }

    #[test]
    fn option_converts_to_null_or_value() {
        assert_eq!(Field::<i32>::from(None::<i32>), Field::Null);
        assert_eq!(Field::<i32>::from(Some(1)), Field::Value(1));
        assert_eq!(Field::Value(2).map(|v| v * 2), Field::Value(4));
        assert!(Field::<i32>::default().is_unset());
    }
}
