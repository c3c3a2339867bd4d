//! The transforms generated mappers call between Salesforce values and unified ones.
//!
//! Mappers are generated from `schemas/unified.toml`; every transform the spec
//! can name (address split, date ↔ date-time, cents ↔ decimal, name joins,
//! e-mail and phone slots, polymorphic ids, `custom` values) is hand-written
//! and tested here, and the generated code only calls it.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::common::{Address, Custom, Email, EmailType, Phone, PhoneType};
use super::error::MappingError;
use super::pipeline::StageStatus;
use crate::{Field, Id, RecordId, SObject};

/// A date as the date-time at its start, in UTC.
pub fn date_to_datetime(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// The UTC date of a date-time (its time of day is dropped).
pub fn datetime_to_date(datetime: DateTime<Utc>) -> NaiveDate {
    datetime.date_naive()
}

/// A whole number of cents as a decimal amount (`1999` → `19.99`).
pub fn cents_to_decimal(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// A decimal amount as whole cents, rounding half away from zero (`19.995` → `2000`).
pub fn decimal_to_cents(field: &'static str, amount: Decimal) -> Result<i64, MappingError> {
    let cents = amount
        .checked_mul(Decimal::ONE_HUNDRED)
        .map(|c| c.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
        .and_then(|c| c.to_i64());
    cents.ok_or_else(|| MappingError::OutOfRange {
        field,
        value: amount.to_string(),
    })
}

/// A floating-point amount as whole cents, rounding half away from zero.
pub fn f64_to_cents(field: &'static str, amount: f64) -> Result<i64, MappingError> {
    Decimal::try_from(amount)
        .map_err(|_| MappingError::OutOfRange {
            field,
            value: amount.to_string(),
        })
        .and_then(|d| decimal_to_cents(field, d))
}

/// Whole cents as a floating-point amount.
pub fn cents_to_f64(cents: i64) -> f64 {
    cents_to_decimal(cents).to_f64().unwrap_or(f64::NAN)
}

/// Converts a whole number to the integer type of a Salesforce field.
pub fn narrow<T: TryFrom<i64>>(field: &'static str, value: i64) -> Result<T, MappingError> {
    T::try_from(value).map_err(|_| MappingError::OutOfRange {
        field,
        value: value.to_string(),
    })
}

/// Joins the parts that are set with `separator`; `None` when none is set.
pub fn join(parts: &[Option<&str>], separator: &str) -> Option<String> {
    let present: Vec<&str> = parts
        .iter()
        .flatten()
        .copied()
        .filter(|p| !p.is_empty())
        .collect();
    (!present.is_empty()).then(|| present.join(separator))
}

/// An address from its parts; `None` when no part is set.
pub fn address(
    street: Option<String>,
    city: Option<String>,
    state: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
) -> Option<Address> {
    let a = Address {
        street,
        city,
        state,
        postal_code,
        country,
    };
    (!a.is_empty()).then_some(a)
}

/// The e-mail addresses held in `slots` (one Salesforce field per type), in slot order.
pub fn read_emails(slots: Vec<(Option<String>, EmailType)>) -> Vec<Email> {
    slots
        .into_iter()
        .filter_map(|(value, kind)| {
            value.map(|address| Email {
                address,
                kind: Some(kind),
            })
        })
        .collect()
}

/// The phone numbers held in `slots` (one Salesforce field per type), in slot order.
pub fn read_phones(slots: Vec<(Option<String>, PhoneType)>) -> Vec<Phone> {
    slots
        .into_iter()
        .filter_map(|(value, kind)| {
            value.map(|number| Phone {
                number,
                kind: Some(kind),
            })
        })
        .collect()
}

/// Places list items into slots (one Salesforce field per type).
///
/// Items with a type take the first free slot of their type, then items without
/// one take the remaining free slots in order. Returns the value of each slot,
/// in slot order.
fn place<K: Copy + PartialEq>(
    field: &'static str,
    items: Vec<(String, Option<K>)>,
    slots: &[K],
    name: impl Fn(K) -> String,
) -> Result<Vec<Option<String>>, MappingError> {
    let mut out: Vec<Option<String>> = vec![None; slots.len()];
    let (typed, untyped): (Vec<_>, Vec<_>) =
        items.into_iter().partition(|(_, kind)| kind.is_some());
    for (value, kind) in typed.into_iter().chain(untyped) {
        let free =
            (0..slots.len()).find(|&i| out[i].is_none() && kind.is_none_or(|k| k == slots[i]));
        match free {
            Some(i) => out[i] = Some(value),
            None => {
                return Err(MappingError::NoRoom {
                    field,
                    item: kind.map_or_else(|| "an item without a type".to_owned(), &name),
                    slots: slots.iter().map(|s| name(*s)).collect(),
                })
            }
        }
    }
    Ok(out)
}

fn email_type_name(kind: EmailType) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn phone_type_name(kind: PhoneType) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Places e-mail addresses into the Salesforce fields of `slots`, in slot order.
pub fn write_emails(
    field: &'static str,
    emails: Vec<Email>,
    slots: &[EmailType],
) -> Result<Vec<Option<String>>, MappingError> {
    place(
        field,
        emails.into_iter().map(|e| (e.address, e.kind)).collect(),
        slots,
        email_type_name,
    )
}

/// Places phone numbers into the Salesforce fields of `slots`, in slot order.
pub fn write_phones(
    field: &'static str,
    phones: Vec<Phone>,
    slots: &[PhoneType],
) -> Result<Vec<Option<String>>, MappingError> {
    place(
        field,
        phones.into_iter().map(|p| (p.number, p.kind)).collect(),
        slots,
        phone_type_name,
    )
}

/// The slot values of a list update: a new list fills its slots and clears the
/// others, `null` clears them all, unset leaves them all alone.
pub fn update_slots<T>(
    update: Field<Vec<T>>,
    slots: usize,
    place: impl FnOnce(Vec<T>) -> Result<Vec<Option<String>>, MappingError>,
) -> Result<Vec<Field<String>>, MappingError> {
    Ok(match update {
        Field::Unset => (0..slots).map(|_| Field::Unset).collect(),
        Field::Null => (0..slots).map(|_| Field::Null).collect(),
        Field::Value(items) => place(items)?.into_iter().map(Field::from).collect(),
    })
}

/// The parts of an address update: a value sets every part (clearing the ones it
/// leaves empty), `null` clears them all, unset leaves them all alone.
pub fn update_address(update: Field<Address>) -> [Field<String>; 5] {
    match update {
        Field::Unset => [
            Field::Unset,
            Field::Unset,
            Field::Unset,
            Field::Unset,
            Field::Unset,
        ],
        Field::Null => [
            Field::Null,
            Field::Null,
            Field::Null,
            Field::Null,
            Field::Null,
        ],
        Field::Value(a) => [
            a.street.into(),
            a.city.into(),
            a.state.into(),
            a.postal_code.into(),
            a.country.into(),
        ],
    }
}

/// The parts of an address to create, in the order street, city, state, postal code, country.
pub fn split_address(address: Option<Address>) -> [Option<String>; 5] {
    let a = address.unwrap_or_default();
    [a.street, a.city, a.state, a.postal_code, a.country]
}

/// Parses a unified id as an id of `T`.
pub fn parse_id<T: SObject>(field: &'static str, id: &str) -> Result<Id<T>, MappingError> {
    Id::parse(id).map_err(|source| MappingError::InvalidId { field, source })
}

/// Parses a unified id as an id of any object.
pub fn parse_record_id(field: &'static str, id: &str) -> Result<RecordId, MappingError> {
    RecordId::parse(id).map_err(|source| MappingError::InvalidId { field, source })
}

/// Parses a unified id that must belong to the object with key prefix `prefix`
/// (used for polymorphic references such as `WhoId`).
pub fn parse_id_with_prefix(
    field: &'static str,
    id: &str,
    object: &'static str,
    prefix: &'static str,
) -> Result<RecordId, MappingError> {
    let parsed = parse_record_id(field, id)?;
    if parsed.key_prefix() == prefix {
        Ok(parsed)
    } else {
        Err(MappingError::InvalidId {
            field,
            source: crate::IdError::KeyPrefix {
                id: parsed.as_str().to_owned(),
                object,
                expected: prefix,
                found: parsed.key_prefix().to_owned(),
            },
        })
    }
}

/// The id as a unified id when it belongs to the object with key prefix `prefix`.
pub fn id_with_prefix(id: Option<RecordId>, prefix: &str) -> Option<String> {
    id.filter(|id| id.key_prefix() == prefix)
        .map(|id| id.to_string())
}

/// Checks that at most one of several unified fields that share one Salesforce
/// field is set.
pub fn at_most_one(
    sf_field: &'static str,
    set: &[(&'static str, bool)],
) -> Result<(), MappingError> {
    let fields: Vec<&'static str> = set
        .iter()
        .filter(|(_, is_set)| *is_set)
        .map(|(name, _)| *name)
        .collect();
    if fields.len() > 1 {
        Err(MappingError::Conflict { fields, sf_field })
    } else {
        Ok(())
    }
}

/// The update of a field Salesforce cannot clear: `null` is an error.
pub fn not_null<T>(
    field: &'static str,
    sf_field: &'static str,
    update: Field<T>,
) -> Result<Option<T>, MappingError> {
    match update {
        Field::Unset => Ok(None),
        Field::Null => Err(MappingError::NotNullable { field, sf_field }),
        Field::Value(v) => Ok(Some(v)),
    }
}

/// Applies a create form's `with_` setter when the unified form carried a value
/// and leaves the form as it is when it did not: `with_some(form, title, NewContact::with_title)`.
pub fn with_some<F, T>(form: F, value: Option<T>, setter: impl FnOnce(F, T) -> F) -> F {
    match value {
        Some(v) => setter(form, v),
        None => form,
    }
}

/// Maps the value of an update with a fallible conversion, keeping unset and null apart.
pub fn try_map<T, U>(
    update: Field<T>,
    f: impl FnOnce(T) -> Result<U, MappingError>,
) -> Result<Field<U>, MappingError> {
    Ok(match update {
        Field::Unset => Field::Unset,
        Field::Null => Field::Null,
        Field::Value(v) => Field::Value(f(v)?),
    })
}

/// A Salesforce value as a `custom` JSON value.
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    // The values generated records hold (strings, numbers, booleans, dates, ids,
    // picklists) always serialize; a failure would only lose this one value.
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Decodes a `custom` JSON value into the Rust type of its Salesforce field.
pub fn from_json<T: DeserializeOwned>(
    key: &str,
    sf_field: &'static str,
    value: serde_json::Value,
) -> Result<T, MappingError> {
    serde_json::from_value(value).map_err(|e| MappingError::CustomValue {
        key: key.to_owned(),
        sf_field,
        reason: e.to_string(),
    })
}

/// Decodes a `custom` update value: JSON `null` clears the field.
pub fn from_json_update<T: DeserializeOwned>(
    key: &str,
    sf_field: &'static str,
    value: serde_json::Value,
) -> Result<Field<T>, MappingError> {
    match value {
        serde_json::Value::Null => Ok(Field::Null),
        value => from_json(key, sf_field, value).map(Field::Value),
    }
}

/// Fails on the first `custom` key that is not in `known`.
pub fn check_custom_keys(
    custom: &Custom,
    known: &'static [&'static str],
) -> Result<(), MappingError> {
    match custom.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => Err(MappingError::UnknownCustom {
            key: key.clone(),
            known,
        }),
        None => Ok(()),
    }
}

/// Fails when a field the mapping leaves unmapped is given a value.
pub fn unmapped(
    field: &'static str,
    reason: &'static str,
    is_set: bool,
) -> Result<(), MappingError> {
    if is_set {
        Err(MappingError::Unmapped { field, reason })
    } else {
        Ok(())
    }
}

/// Fails when a field the mapping does not write in this operation is given a value.
pub fn not_writable(
    field: &'static str,
    operation: &'static str,
    access: &'static str,
    is_set: bool,
) -> Result<(), MappingError> {
    if is_set {
        Err(MappingError::NotWritable {
            field,
            operation,
            access,
        })
    } else {
        Ok(())
    }
}

/// Collects the unified fields a create form leaves empty although Salesforce
/// requires what they map to, so that one error can list them all.
///
/// Generated code passes every such value through [`Missing::require`] and then
/// destructures them all at once, returning [`Missing::into_error`] when one is
/// absent.
#[derive(Debug)]
pub struct Missing {
    resource: &'static str,
    fields: Vec<String>,
}

impl Missing {
    /// Starts the check for one resource.
    pub fn new(resource: &'static str) -> Self {
        Missing {
            resource,
            fields: Vec::new(),
        }
    }

    /// Passes `value` through, recording `name` as missing when it is `None`.
    pub fn require<T>(&mut self, name: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.fields.push(name.to_owned());
        }
        value
    }

    /// Passes `value` through, recording the group of alternatives `names` as
    /// missing when it is `None`.
    pub fn require_one_of<T>(&mut self, names: &[&str], value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.fields.push(format!("one of {}", names.join(", ")));
        }
        value
    }

    /// The error listing every missing field.
    pub fn into_error(self) -> MappingError {
        MappingError::Missing {
            resource: self.resource,
            fields: self.fields,
        }
    }
}

/// A whole number as a floating-point one (exact up to 2^53).
pub fn whole_to_f64(value: i64) -> f64 {
    // Salesforce numbers have at most 18 digits; beyond 2^53 the nearest double is the best answer.
    value as f64
}

/// A floating-point number as a whole one; fractions and out-of-range values are errors.
pub fn f64_to_whole(field: &'static str, value: f64) -> Result<i64, MappingError> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if value.fract() == 0.0 && value.abs() < LIMIT {
        // Whole and in range, so the conversion is exact.
        Ok(value as i64)
    } else {
        Err(MappingError::OutOfRange {
            field,
            value: value.to_string(),
        })
    }
}

/// A decimal as the nearest floating-point number.
pub fn decimal_to_f64(value: Decimal) -> Option<f64> {
    value.to_f64()
}

/// A floating-point number as a decimal; NaN and infinities are errors.
pub fn f64_to_decimal(field: &'static str, value: f64) -> Result<Decimal, MappingError> {
    Decimal::try_from(value).map_err(|_| MappingError::OutOfRange {
        field,
        value: value.to_string(),
    })
}

/// A pipeline stage's status from its closed and won flags; `None` when the
/// closed flag is unknown.
pub fn stage_status(is_closed: Option<bool>, is_won: Option<bool>) -> Option<StageStatus> {
    is_closed.map(|closed| StageStatus::from_flags(closed, is_won.unwrap_or(false)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn with_some_sets_only_a_present_value() {
        let push = |mut list: Vec<u8>, v: u8| {
            list.push(v);
            list
        };
        assert_eq!(with_some(vec![1], Some(2), push), vec![1, 2]);
        assert_eq!(with_some(vec![1], None, push), vec![1]);
    }

    #[test]
    fn dates_and_datetimes() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 30).expect("valid date");
        let dt = date_to_datetime(d);
        assert_eq!(dt.to_rfc3339(), "2026-06-30T00:00:00+00:00");
        assert_eq!(datetime_to_date(dt), d);
        let late = DateTime::parse_from_rfc3339("2026-06-30T23:59:00-05:00")
            .expect("valid")
            .with_timezone(&Utc);
        assert_eq!(
            datetime_to_date(late),
            NaiveDate::from_ymd_opt(2026, 7, 1).expect("valid date")
        );
    }

    #[test]
    fn cents() {
        assert_eq!(
            cents_to_decimal(1999),
            Decimal::from_str("19.99").expect("decimal")
        );
        assert_eq!(
            decimal_to_cents("amount", Decimal::from_str("19.995").expect("decimal")),
            Ok(2000)
        );
        assert_eq!(
            decimal_to_cents("amount", Decimal::from_str("-0.005").expect("decimal")),
            Ok(-1)
        );
        assert!(matches!(
            decimal_to_cents("amount", Decimal::MAX),
            Err(MappingError::OutOfRange {
                field: "amount",
                ..
            })
        ));
        assert_eq!(f64_to_cents("amount", 12.5), Ok(1250));
        assert_eq!(cents_to_f64(1250), 12.5);
        assert!(f64_to_cents("amount", f64::NAN).is_err());
    }

    #[test]
    fn cents_are_exact_at_the_bounds_of_currency_fields() {
        // currency(18, 2) and currency(16, 2) extremes, and the smallest amount:
        // each is 18 or 16 significant digits, past what an f64 holds.
        for (amount, cents) in [
            ("9999999999999999.99", 999_999_999_999_999_999_i64),
            ("-9999999999999999.99", -999_999_999_999_999_999),
            ("99999999999999.99", 9_999_999_999_999_999),
            ("-99999999999999.99", -9_999_999_999_999_999),
            ("0.01", 1),
            ("-0.01", -1),
        ] {
            let decimal = Decimal::from_str(amount).expect("decimal");
            assert_eq!(decimal_to_cents("amount", decimal), Ok(cents), "{amount}");
            assert_eq!(cents_to_decimal(cents), decimal, "{cents}");
            assert_eq!(cents_to_decimal(cents).to_string(), amount);
            // An f64 does not hold the 18-digit ones: the exact path matters.
            if amount.len() > 17 {
                assert_ne!(
                    f64_to_cents("amount", amount.parse().expect("float")),
                    Ok(cents),
                    "{amount} through f64"
                );
            }
        }
        // i64 cents end at 92233720368547758.07: one cent past is out of range.
        let max = cents_to_decimal(i64::MAX);
        assert_eq!(max.to_string(), "92233720368547758.07");
        assert_eq!(decimal_to_cents("amount", max), Ok(i64::MAX));
        assert!(decimal_to_cents("amount", max + Decimal::new(1, 2)).is_err());
        assert_eq!(
            decimal_to_cents("amount", cents_to_decimal(i64::MIN)),
            Ok(i64::MIN)
        );
    }

    #[test]
    fn narrowing() {
        assert_eq!(narrow::<i32>("employees", 12), Ok(12));
        assert_eq!(
            narrow::<i32>("employees", 1 << 40),
            Err(MappingError::OutOfRange {
                field: "employees",
                value: (1_i64 << 40).to_string()
            })
        );
    }

    #[test]
    fn joins_skip_empty_parts() {
        assert_eq!(
            join(&[Some("Ada"), Some("Lovelace")], " ").as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(
            join(&[None, Some("Lovelace")], " ").as_deref(),
            Some("Lovelace")
        );
        assert_eq!(join(&[Some(""), None], " "), None);
    }

    #[test]
    fn addresses_split_and_join() {
        assert_eq!(address(None, None, None, None, None), None);
        let a = address(
            Some("1 Main St".into()),
            Some("Springfield".into()),
            None,
            None,
            Some("US".into()),
        )
        .expect("some part set");
        let parts = split_address(Some(a.clone()));
        assert_eq!(
            parts,
            [
                Some("1 Main St".into()),
                Some("Springfield".into()),
                None,
                None,
                Some("US".into())
            ]
        );
        assert_eq!(split_address(None), [None, None, None, None, None]);
        let update = update_address(Field::Value(a));
        assert_eq!(update[0], Field::Value("1 Main St".into()));
        assert_eq!(
            update[2],
            Field::Null,
            "parts a new address leaves empty are cleared"
        );
        assert!(update_address(Field::Unset).iter().all(Field::is_unset));
        assert!(update_address(Field::Null)
            .iter()
            .all(|f| *f == Field::Null));
    }

    const PHONE_SLOTS: &[PhoneType] = &[PhoneType::Work, PhoneType::Mobile, PhoneType::Home];

    #[test]
    fn list_slots_by_type_then_first_free() {
        let phones = vec![
            Phone {
                number: "x".into(),
                kind: None,
            },
            Phone {
                number: "m".into(),
                kind: Some(PhoneType::Mobile),
            },
            Phone {
                number: "w".into(),
                kind: Some(PhoneType::Work),
            },
        ];
        // Typed items are placed first, so `x` gets the slot they leave free.
        let slots = write_phones("phones", phones, PHONE_SLOTS).expect("fits");
        assert_eq!(
            slots,
            [Some("w".into()), Some("m".into()), Some("x".into())]
        );
        let two_work = vec![
            Phone::new("w1", PhoneType::Work),
            Phone::new("w2", PhoneType::Work),
        ];
        let err = write_phones("phones", two_work, PHONE_SLOTS).expect_err("one work slot");
        assert_eq!(
            err,
            MappingError::NoRoom {
                field: "phones",
                item: "work".into(),
                slots: vec!["work".into(), "mobile".into(), "home".into()]
            }
        );
        let four = vec![
            Phone {
                number: "a".into(),
                kind: None
            };
            4
        ];
        let err = write_phones("phones", four, PHONE_SLOTS).expect_err("three slots");
        assert!(
            matches!(err, MappingError::NoRoom { ref item, .. } if item == "an item without a type")
        );
        let read = read_phones(
            PHONE_SLOTS
                .iter()
                .copied()
                .zip(slots)
                .map(|(k, v)| (v, k))
                .collect(),
        );
        assert_eq!(read.len(), 3);
        assert_eq!(read[2], Phone::new("x", PhoneType::Home));
        let err = write_emails(
            "emails",
            vec![Email::new("a@b.c", EmailType::Personal)],
            &[EmailType::Work],
        )
        .expect_err("no personal slot");
        assert_eq!(
            err.to_string(),
            "`emails`: no Salesforce field is left for `personal` (the mapping has room for: work)"
        );
    }

    #[test]
    fn list_updates_replace_every_slot() {
        let set = update_slots(
            Field::Value(vec![Phone::new("m", PhoneType::Mobile)]),
            3,
            |p| write_phones("phones", p, PHONE_SLOTS),
        )
        .expect("fits");
        assert_eq!(set, [Field::Null, Field::Value("m".into()), Field::Null]);
        let cleared =
            update_slots(Field::<Vec<Phone>>::Null, 3, |_| unreachable_place()).expect("null");
        assert_eq!(cleared, [Field::Null, Field::Null, Field::Null]);
        let untouched =
            update_slots(Field::<Vec<Phone>>::Unset, 3, |_| unreachable_place()).expect("unset");
        assert!(untouched.iter().all(Field::is_unset));
    }

    fn unreachable_place() -> Result<Vec<Option<String>>, MappingError> {
        Err(MappingError::Unmapped {
            field: "phones",
            reason: "place must not run for null or unset",
        })
    }

    #[test]
    fn ids_by_prefix() {
        let contact = "003000000000001AAA";
        let parsed =
            parse_id_with_prefix("contactId", contact, "Contact", "003").expect("a contact id");
        assert_eq!(
            id_with_prefix(Some(parsed), "003").as_deref(),
            Some(contact)
        );
        assert_eq!(id_with_prefix(Some(parsed), "00Q"), None);
        assert_eq!(id_with_prefix(None, "003"), None);
        let err =
            parse_id_with_prefix("leadId", contact, "Lead", "00Q").expect_err("not a lead id");
        assert_eq!(
            err.to_string(),
            "`leadId` is not a valid id: `003000000000001AAA` is not a Lead id: its key prefix is `003`, a Lead id starts with `00Q`"
        );
        assert!(matches!(
            parse_record_id("ownerId", "nope"),
            Err(MappingError::InvalidId {
                field: "ownerId",
                ..
            })
        ));
    }

    #[test]
    fn conflicts_and_missing() {
        assert_eq!(
            at_most_one("WhoId", &[("contactId", true), ("leadId", false)]),
            Ok(())
        );
        assert_eq!(
            at_most_one("WhoId", &[("contactId", true), ("leadId", true)]),
            Err(MappingError::Conflict {
                fields: vec!["contactId", "leadId"],
                sf_field: "WhoId"
            })
        );
        let mut missing = Missing::new("Note");
        assert_eq!(missing.require("title", Some(1)), Some(1));
        assert_eq!(
            missing.require_one_of::<i32>(&["contactId", "companyId", "dealId"], None),
            None
        );
        assert_eq!(missing.require::<i32>("custom.region", None), None);
        assert_eq!(
            missing.into_error(),
            MappingError::Missing {
                resource: "Note",
                fields: vec![
                    "one of contactId, companyId, dealId".into(),
                    "custom.region".into()
                ]
            }
        );
    }

    #[test]
    fn numbers_between_kinds() {
        assert_eq!(whole_to_f64(42), 42.0);
        assert_eq!(f64_to_whole("order", 42.0), Ok(42));
        assert_eq!(
            f64_to_whole("order", 42.5),
            Err(MappingError::OutOfRange {
                field: "order",
                value: "42.5".into()
            })
        );
        assert!(f64_to_whole("order", f64::INFINITY).is_err());
        assert_eq!(
            decimal_to_f64(Decimal::from_str("12.5").expect("decimal")),
            Some(12.5)
        );
        assert_eq!(
            f64_to_decimal("p", 12.5),
            Ok(Decimal::from_str("12.5").expect("decimal"))
        );
        assert!(f64_to_decimal("p", f64::NAN).is_err());
        assert_eq!(stage_status(Some(true), Some(true)), Some(StageStatus::Won));
        assert_eq!(stage_status(Some(true), None), Some(StageStatus::Lost));
        assert_eq!(stage_status(None, Some(true)), None);
    }

    #[test]
    fn update_helpers() {
        assert_eq!(
            not_null("lastName", "LastName", Field::Value(1)),
            Ok(Some(1))
        );
        assert_eq!(
            not_null::<i32>("lastName", "LastName", Field::Unset),
            Ok(None)
        );
        assert_eq!(
            not_null::<i32>("lastName", "LastName", Field::Null),
            Err(MappingError::NotNullable {
                field: "lastName",
                sf_field: "LastName"
            })
        );
        assert_eq!(try_map(Field::Value(2), |v| Ok(v * 2)), Ok(Field::Value(4)));
        assert_eq!(try_map(Field::<i32>::Null, |v| Ok(v * 2)), Ok(Field::Null));
        assert_eq!(unmapped("currency", "no field", false), Ok(()));
        assert!(unmapped("currency", "no field", true).is_err());
        assert!(not_writable("contactId", "updated", "create-only", true).is_err());
    }

    #[test]
    fn custom_values() {
        assert_eq!(to_json(&Some("EMEA")), serde_json::json!("EMEA"));
        assert_eq!(
            to_json(&NaiveDate::from_ymd_opt(2024, 1, 2)),
            serde_json::json!("2024-01-02")
        );
        let v: Option<String> =
            from_json("region", "Region__c", serde_json::json!("EMEA")).expect("a string");
        assert_eq!(v.as_deref(), Some("EMEA"));
        let err = from_json::<f64>("size", "Size__c", serde_json::json!("big"))
            .expect_err("not a number");
        assert!(matches!(
            err,
            MappingError::CustomValue {
                sf_field: "Size__c",
                ..
            }
        ));
        assert_eq!(
            from_json_update::<String>("region", "Region__c", serde_json::Value::Null),
            Ok(Field::Null)
        );
        let mut custom = Custom::new();
        custom.insert("region".into(), serde_json::json!("EMEA"));
        assert_eq!(check_custom_keys(&custom, &["region"]), Ok(()));
        assert_eq!(
            check_custom_keys(&custom, &["size"]),
            Err(MappingError::UnknownCustom {
                key: "region".into(),
                known: &["size"]
            })
        );
    }
}
