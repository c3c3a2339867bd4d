//! Whole numbers that Salesforce writes as JSON doubles.
//!
//! A `double` (or `percent`) field with scale 0, such as `Number(18, 0)`, holds
//! whole numbers, but the REST API writes them as doubles: `23.0`, `1.0E17`.
//! Generated code reads such fields as `i64` through these functions, which accept
//! `23`, `23.0` and `2.3E1` and reject `23.5`.
//!
//! Fields with a scale (`currency(18, 2)`, `percent(5, 2)`) are `Decimal`s, read
//! and written exactly through [`exact`].

use std::fmt;

use serde::{de, Deserializer};

pub mod exact;

/// The largest magnitude (2^63) an `f64` may have to convert to an `i64`.
const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0;

struct Whole;

impl de::Visitor<'_> for Whole {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < I64_LIMIT {
            // Whole and in range, so the conversion is exact.
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

/// Deserializes a whole number written as an integer or a double with no fraction.
pub fn whole<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(Whole)
}

/// [`whole`] for a nillable field: `null` is `None`.
///
/// Use it with `#[serde(default)]` so that an absent key is `None` too.
pub fn whole_option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    struct WholeOption;
    impl<'de> de::Visitor<'de> for WholeOption {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            whole(deserializer).map(Some)
        }
    }
    deserializer.deserialize_option(WholeOption)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Counts {
        #[serde(rename = "N", deserialize_with = "whole")]
        n: i64,
        #[serde(rename = "M", default, deserialize_with = "whole_option")]
        m: Option<i64>,
    }

    fn decode(json: &str) -> Result<Counts, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn integers_and_whole_doubles_are_accepted() {
        assert_eq!(
            decode(r#"{"N":23,"M":23.0}"#).expect("decodes"),
            Counts { n: 23, m: Some(23) }
        );
        assert_eq!(
            decode(r#"{"N":1.0E17,"M":null}"#).expect("decodes"),
            Counts {
                n: 100_000_000_000_000_000,
                m: None
            }
        );
        assert_eq!(
            decode(r#"{"N":-4.0}"#).expect("decodes"),
            Counts { n: -4, m: None }
        );
    }

    #[test]
    fn fractions_and_out_of_range_values_are_rejected() {
        let err = decode(r#"{"N":23.5}"#).expect_err("23.5 is not whole");
        assert_eq!(
            err.to_string(),
            "invalid value: floating point `23.5`, expected a whole number at line 1 column 9"
        );
        assert!(decode(r#"{"N":1.0E19}"#).is_err());
        assert!(decode(r#"{"N":18446744073709551615}"#).is_err());
        assert!(decode(r#"{"N":"3"}"#).is_err());
        assert!(decode(r#"{"N":1,"M":2.5}"#).is_err());
    }
}
