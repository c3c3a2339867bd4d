//! Decimals read and written as their exact text, never through `f64`.
//!
//! A `currency(18, 2)` value such as `9999999999999999.99` has 18 significant
//! digits; an `f64` holds about 15, so a decimal that goes through a double on
//! the wire is not the value the org stored. This module is a serde `with`
//! module for `Decimal`, `Option<Decimal>` and `Field<Decimal>` fields:
//!
//! ```
//! use sfgen_runtime::rust_decimal::Decimal;
//! use sfgen_runtime::Field;
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Opportunity {
//!     #[serde(rename = "Amount", default, with = "sfgen_runtime::number::exact")]
//!     amount: Option<Decimal>,
//! }
//!
//! #[derive(serde::Serialize)]
//! struct OpportunityUpdate {
//!     #[serde(
//!         rename = "Amount",
//!         skip_serializing_if = "Field::is_unset",
//!         with = "sfgen_runtime::number::exact"
//!     )]
//!     amount: Field<Decimal>,
//! }
//!
//! let read: Opportunity = serde_json::from_str(r#"{"Amount":9999999999999999.99}"#).unwrap();
//! assert_eq!(read.amount.unwrap().to_string(), "9999999999999999.99");
//! assert_eq!(
//!     serde_json::to_string(&read).unwrap(),
//!     r#"{"Amount":9999999999999999.99}"#
//! );
//! let update = OpportunityUpdate { amount: Field::Value("0.01".parse().unwrap()) };
//! assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"Amount":0.01}"#);
//! ```
//!
//! Reading takes the JSON number's text (through [`serde_json::value::RawValue`])
//! and parses it as a decimal: `50000.0`, `-0.01`, exponent forms such as `1.0E7`
//! or `2.5e-3`, and a JSON string holding a number (`"12.50"`). A number with more
//! significant digits than a `Decimal` holds (28) is an error, not a rounded
//! value. Writing emits the decimal's text as a JSON number (`12.50` stays
//! `12.50`, no exponent).
//!
//! Reading needs `serde_json`'s own deserializer underneath: `serde_json::from_str`,
//! `from_slice`, `from_reader`, `from_value`, and `serde_path_to_error` over any of
//! them. Formats that buffer values first (`#[serde(flatten)]`, untagged enums)
//! do not carry a number's text and fail with an error saying so. Writing works
//! with any serializer, and is exact with `serde_json::to_string`, `to_vec` and
//! `to_writer` (`serde_json::to_value` builds a `Value`, whose numbers are `f64`).
//!
//! Use `#[serde(default)]` on `Option` and `Field` fields so that an absent key
//! is `None` / [`Field::Unset`], and `skip_serializing_if = "Field::is_unset"` on
//! `Field` fields as for every update-form field.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::Field;

/// Why a text is not an exact decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalTextError {
    /// The text is not a number (`abc`, `true`, `{}`, `1,5`, an empty string).
    #[error("`{text}` is not a decimal number")]
    NotANumber {
        /// The text, as given (at most 64 characters of it).
        text: String,
    },
    /// A number that a `Decimal` cannot hold exactly: more than 28 significant
    /// digits, or a magnitude beyond about 7.9 × 10^28.
    #[error("`{text}` does not fit a decimal exactly ({reason})")]
    OutOfRange {
        /// The text, as given (at most 64 characters of it).
        text: String,
        /// What `rust_decimal` said.
        reason: String,
    },
}

/// The text an error shows: long inputs are cut so an error stays readable.
fn shown(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Whether `text` is a number as JSON writes it (`-`, digits, an optional
/// fraction, an optional exponent), allowing a leading `+` as Salesforce's
/// string values sometimes have it.
fn is_number_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    let whole = digits(&mut i);
    let mut fraction = false;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        fraction = digits(&mut i);
        if !fraction {
            return false;
        }
    }
    if !whole && !fraction {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == bytes.len()
}

/// Parses a decimal from the text of a number, exactly.
///
/// Accepts what JSON and Salesforce write: `50000.0`, `-0.01`, `1.0E7`,
/// `2.5e-3`, `+7`. Rounds nothing: a number with more digits than a `Decimal`
/// holds is [`DecimalTextError::OutOfRange`].
///
/// ```
/// use sfgen_runtime::number::exact::parse;
/// assert_eq!(parse("1.0E7").unwrap().to_string(), "10000000");
/// assert_eq!(parse("9999999999999999.99").unwrap().to_string(), "9999999999999999.99");
/// assert!(parse("1.5 million").is_err());
/// ```
pub fn parse(text: &str) -> Result<Decimal, DecimalTextError> {
    if !is_number_text(text) {
        return Err(DecimalTextError::NotANumber { text: shown(text) });
    }
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    let out_of_range = |e: rust_decimal::Error| DecimalTextError::OutOfRange {
        text: shown(text),
        reason: e.to_string(),
    };
    match unsigned.find(['e', 'E']) {
        None => Decimal::from_str_exact(unsigned).map_err(out_of_range),
        Some(at) => {
            // `from_scientific` reads its mantissa with the rounding `from_str`;
            // checking the mantissa exactly first keeps it from rounding.
            Decimal::from_str_exact(&unsigned[..at]).map_err(out_of_range)?;
            let exponent = &unsigned[at + 1..];
            let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
            let normal = format!("{}e{exponent}", &unsigned[..at]);
            Decimal::from_scientific(&normal).map_err(out_of_range)
        }
    }
}

/// Parses a JSON value's text: a number, or a string holding one.
fn parse_json(json: &str) -> Result<Decimal, DecimalTextError> {
    let json = json.trim();
    if json.starts_with('"') {
        return match serde_json::from_str::<String>(json) {
            Ok(inner) => parse(inner.trim()),
            Err(_) => Err(DecimalTextError::NotANumber { text: shown(json) }),
        };
    }
    parse(json)
}

/// A decimal as a JSON number: its text, with its scale (`12.50`), no exponent.
///
/// ```
/// # use sfgen_runtime::rust_decimal::Decimal;
/// let raw = sfgen_runtime::number::exact::to_json_number(&Decimal::new(-1, 2)).unwrap();
/// assert_eq!(raw.get(), "-0.01");
/// ```
pub fn to_json_number(value: &Decimal) -> Result<Box<RawValue>, serde_json::Error> {
    // A `Decimal` displays as `-?digits(.digits)?`, which is a JSON number;
    // `from_string` checks it all the same.
    RawValue::from_string(value.to_string())
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for rust_decimal::Decimal {}
    impl Sealed for Option<rust_decimal::Decimal> {}
    impl Sealed for crate::Field<rust_decimal::Decimal> {}
}

/// The field shapes [`serialize`] and [`deserialize`] handle: `Decimal`,
/// `Option<Decimal>` (`null` is `None`) and [`Field<Decimal>`] (`null` is
/// [`Field::Null`]). Sealed: implemented for these three only.
pub trait ExactDecimal: sealed::Sealed + Sized {
    #[doc(hidden)]
    fn to_json(&self) -> Option<&Decimal>;
    #[doc(hidden)]
    fn from_json(value: Option<Decimal>) -> Result<Self, DecimalTextError>;
}

impl ExactDecimal for Decimal {
    fn to_json(&self) -> Option<&Decimal> {
        Some(self)
    }

    fn from_json(value: Option<Decimal>) -> Result<Self, DecimalTextError> {
        value.ok_or_else(|| DecimalTextError::NotANumber {
            text: "null".to_owned(),
        })
    }
}

impl ExactDecimal for Option<Decimal> {
    fn to_json(&self) -> Option<&Decimal> {
        self.as_ref()
    }

    fn from_json(value: Option<Decimal>) -> Result<Self, DecimalTextError> {
        Ok(value)
    }
}

impl ExactDecimal for Field<Decimal> {
    fn to_json(&self) -> Option<&Decimal> {
        self.value()
    }

    fn from_json(value: Option<Decimal>) -> Result<Self, DecimalTextError> {
        Ok(value.into())
    }
}

/// Writes a decimal field as a JSON number with the decimal's exact text.
///
/// `None`, [`Field::Null`] and [`Field::Unset`] are written as `null` (skip
/// unset fields with `skip_serializing_if = "Field::is_unset"`).
pub fn serialize<T: ExactDecimal, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value.to_json() {
        Some(d) => to_json_number(d)
            .map_err(|e| S::Error::custom(format!("decimal `{d}` is not a JSON number: {e}")))?
            .serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Reads a decimal field from a JSON number's exact text (or a string holding a
/// number); `null` is `None` / [`Field::Null`], and an error for a `Decimal`.
pub fn deserialize<'de, T: ExactDecimal, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(deserializer)?;
    let value = match raw {
        None => None,
        Some(raw) => Some(parse_json(raw.get()).map_err(D::Error::custom)?),
    };
    T::from_json(value).map_err(|e| match e {
        DecimalTextError::NotANumber { text } if text == "null" => {
            D::Error::custom("expected a decimal number, found null")
        }
        other => D::Error::custom(other),
    })
}

/// A `Decimal` that serializes and deserializes through this module, for
/// places a `with` attribute cannot reach (`Vec<Exact>`, map values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Exact(pub Decimal);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize(deserializer).map(Exact)
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Exact {
    type Err = DecimalTextError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s).map(Exact)
    }
}

impl From<Decimal> for Exact {
    fn from(value: Decimal) -> Self {
        Exact(value)
    }
}

impl From<Exact> for Decimal {
    fn from(value: Exact) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Read {
        #[serde(rename = "A", with = "super")]
        a: Decimal,
        #[serde(rename = "B", default, with = "super")]
        b: Option<Decimal>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Update {
        #[serde(
            rename = "C",
            default,
            skip_serializing_if = "Field::is_unset",
            with = "super"
        )]
        c: Field<Decimal>,
    }

    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).expect("a decimal")
    }

    fn read(json: &str) -> Result<Read, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn number_text_is_kept_exactly_in_and_out() {
        for text in [
            "9999999999999999.99",
            "-9999999999999999.99",
            "0.01",
            "99999999999999.99",
            "50000.0",
            "12.50",
            "0",
            "-0.5",
        ] {
            let json = format!(r#"{{"A":{text},"B":{text}}}"#);
            let r = read(&json).expect("decodes");
            assert_eq!(r.a.to_string(), text);
            assert_eq!(r.b.map(|b| b.to_string()).as_deref(), Some(text));
            assert_eq!(serde_json::to_string(&r).expect("encodes"), json);
            let bytes = serde_json::to_vec(&r).expect("encodes");
            let back: Read = serde_json::from_slice(&bytes).expect("decodes");
            assert_eq!(back, r);
        }
    }

    #[test]
    fn twenty_plus_significant_digits_are_not_rounded() {
        let text = "12345678901234567890.12345678";
        let r = read(&format!(r#"{{"A":{text}}}"#)).expect("decodes");
        assert_eq!(r.a.to_string(), text);
        // An f64 would have kept about 17 of those 28 digits.
        let through_f64: f64 = text.parse().expect("float");
        assert_ne!(through_f64.to_string(), text);
        assert_eq!(
            serde_json::to_string(&r).expect("encodes"),
            format!(r#"{{"A":{text},"B":null}}"#)
        );
        // 29 significant digits do not fit a Decimal: an error, not a rounding.
        let err = read(r#"{"A":1.23456789012345678901234567891}"#).expect_err("too precise");
        assert!(
            err.to_string()
                .contains("`1.23456789012345678901234567891` does not fit a decimal exactly"),
            "{err}"
        );
        assert!(read(r#"{"A":1.23456789012345678901234567891E2}"#).is_err());
        assert!(read(r#"{"A":99999999999999999999999999999}"#).is_err());
    }

    #[test]
    fn exponent_forms_as_salesforce_writes_them() {
        assert_eq!(read(r#"{"A":1.0E7}"#).expect("decodes").a, d("10000000"));
        assert_eq!(read(r#"{"A":1.0E+7}"#).expect("decodes").a, d("10000000"));
        assert_eq!(read(r#"{"A":2.5e-3}"#).expect("decodes").a, d("0.0025"));
        assert_eq!(
            read(r#"{"A":9.99999999999999999E15}"#).expect("decodes").a,
            d("9999999999999999.99")
        );
        assert_eq!(read(r#"{"A":-1E2}"#).expect("decodes").a, d("-100"));
        assert!(read(r#"{"A":1E40}"#).is_err());
    }

    #[test]
    fn strings_holding_numbers_are_read() {
        let r = read(r#"{"A":"12.50","B":" -1.0E2 "}"#).expect("decodes");
        assert_eq!(r.a.to_string(), "12.50");
        assert_eq!(r.b, Some(d("-100")));
        assert_eq!(read(r#"{"A":"+7"}"#).expect("decodes").a, d("7"));
    }

    #[test]
    fn null_and_absent_keys() {
        let r = read(r#"{"A":1,"B":null}"#).expect("decodes");
        assert_eq!(r.b, None);
        assert_eq!(read(r#"{"A":1}"#).expect("decodes").b, None);
        let err = read(r#"{"A":null}"#).expect_err("A is not nillable");
        assert!(
            err.to_string()
                .contains("expected a decimal number, found null"),
            "{err}"
        );

        let u: Update = serde_json::from_str(r#"{"C":null}"#).expect("decodes");
        assert_eq!(u.c, Field::Null);
        let u: Update = serde_json::from_str(r#"{}"#).expect("decodes");
        assert_eq!(u.c, Field::Unset);
        let u: Update = serde_json::from_str(r#"{"C":1.0E1}"#).expect("decodes");
        assert_eq!(u.c, Field::Value(d("10")));
    }

    #[test]
    fn field_writes_unset_null_and_value() {
        let json = |c| serde_json::to_string(&Update { c }).expect("encodes");
        assert_eq!(json(Field::Unset), "{}");
        assert_eq!(json(Field::Null), r#"{"C":null}"#);
        assert_eq!(
            json(Field::Value(d("-9999999999999999.99"))),
            r#"{"C":-9999999999999999.99}"#
        );
    }

    #[test]
    fn non_numbers_are_errors_that_name_the_text() {
        for (json, shows) in [
            (r#"{"A":"abc"}"#, "`abc` is not a decimal number"),
            (r#"{"A":""}"#, "`` is not a decimal number"),
            (r#"{"A":"1,5"}"#, "`1,5` is not a decimal number"),
            (r#"{"A":"1_000"}"#, "`1_000` is not a decimal number"),
            (r#"{"A":"0x10"}"#, "`0x10` is not a decimal number"),
            (r#"{"A":"."}"#, "`.` is not a decimal number"),
            (r#"{"A":"1e"}"#, "`1e` is not a decimal number"),
            (r#"{"A":true}"#, "`true` is not a decimal number"),
            (r#"{"A":[1]}"#, "`[1]` is not a decimal number"),
            (r#"{"A":{"x":1}}"#, r#"`{"x":1}` is not a decimal number"#),
        ] {
            let err = read(json).expect_err(json);
            assert!(err.to_string().contains(shows), "{json}: {err}");
        }
    }

    #[test]
    fn path_to_error_over_serde_json_reads_exactly_and_names_the_path() {
        let json = br#"{"A":9999999999999999.99,"B":-0.01}"#;
        let de = &mut serde_json::Deserializer::from_slice(json);
        let r: Read = serde_path_to_error::deserialize(de).expect("decodes");
        assert_eq!(r.a, d("9999999999999999.99"));
        assert_eq!(r.b, Some(d("-0.01")));

        let de = &mut serde_json::Deserializer::from_str(r#"{"A":1,"B":"many"}"#);
        let err = serde_path_to_error::deserialize::<_, Read>(de).expect_err("not a number");
        assert_eq!(err.path().to_string(), "B");
        assert!(
            err.inner()
                .to_string()
                .contains("`many` is not a decimal number"),
            "{err}"
        );

        let rows = br#"[{"C":12345678901234567.89},{"C":null},{}]"#;
        let de = &mut serde_json::Deserializer::from_slice(rows);
        let updates: Vec<Update> = serde_path_to_error::deserialize(de).expect("decodes");
        assert_eq!(
            updates.iter().map(|u| u.c.clone()).collect::<Vec<_>>(),
            [
                Field::Value(d("12345678901234567.89")),
                Field::Null,
                Field::Unset
            ]
        );
    }

    #[test]
    fn reader_and_value_deserializers_work_too() {
        let r: Read = serde_json::from_reader(&br#"{"A":9999999999999999.99}"#[..])
            .expect("decodes from a reader");
        assert_eq!(r.a, d("9999999999999999.99"));
        // A `Value` holds f64 numbers; a short decimal survives it.
        let r: Read =
            serde_json::from_value(serde_json::json!({"A": 12.5, "B": "3.25"})).expect("decodes");
        assert_eq!((r.a, r.b), (d("12.5"), Some(d("3.25"))));
    }

    #[test]
    fn the_newtype_works_in_collections() {
        let values: Vec<Exact> =
            serde_json::from_str("[0.01, 9999999999999999.99, \"1.0E2\"]").expect("decodes");
        assert_eq!(
            serde_json::to_string(&values).expect("encodes"),
            "[0.01,9999999999999999.99,100]"
        );
        assert_eq!("1.5".parse::<Exact>(), Ok(Exact(d("1.5"))));
    }

    #[test]
    fn parse_accepts_json_number_forms_only() {
        assert_eq!(parse("0"), Ok(Decimal::ZERO));
        assert_eq!(parse("-0").map(|z| z.is_zero()), Ok(true));
        assert_eq!(parse(".5"), Ok(d("0.5")));
        assert!(parse("1.").is_err());
        assert!(parse("- 1").is_err());
        assert!(parse("1e5x").is_err());
        assert!(parse("NaN").is_err());
        assert!(parse("inf").is_err());
    }
}
