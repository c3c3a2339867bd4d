//! Checking a create or update body against the describe, with Salesforce's errors.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::{Map, Value};

use super::cell::Cell;
use super::decimal;
use super::table::RowState;
use super::StoreInner;
use crate::ids::SfId;
use crate::schema::{FieldMeta, FieldType, ObjectSchema};
use crate::sferror::{ErrorCode, SfError};

/// Whether a body creates or updates a record (which permission applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `createable` fields only; required fields must be present.
    Create,
    /// `updateable` fields only; non-nillable fields must not be cleared.
    Update,
}

/// Field changes: field index and new value (`None` clears it).
pub type Changes = Vec<(u16, Option<Cell>)>;

/// Jackson's token name for a JSON value, as Salesforce's parser errors quote it.
fn token(value: &Value) -> &'static str {
    match value {
        Value::Null => "VALUE_NULL",
        Value::Bool(true) => "VALUE_TRUE",
        Value::Bool(false) => "VALUE_FALSE",
        Value::Number(n) if n.is_f64() => "VALUE_NUMBER_FLOAT",
        Value::Number(_) => "VALUE_NUMBER_INT",
        Value::String(_) => "VALUE_STRING",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

/// `JSON_PARSER_ERROR` for a value of the wrong JSON type.
fn wrong_type(field: &FieldMeta, value: &Value) -> SfError {
    let message = match value {
        Value::Array(_) | Value::Object(_) => {
            format!("Cannot deserialize instance of {} from {} value", field.type_name, token(value))
        }
        Value::String(s) => format!(
            "Cannot deserialize instance of {} from {} value {s} or request may be missing a required field",
            field.type_name,
            token(value)
        ),
        other => format!(
            "Cannot deserialize instance of {} from {} value {other} or request may be missing a required field",
            field.type_name,
            token(value)
        ),
    };
    SfError::new(ErrorCode::JsonParserError, message)
}

fn field_error(code: ErrorCode, field: &FieldMeta, message: String) -> SfError {
    SfError::on_fields(code, message, vec![field.name.clone()])
}

/// A scalar as text, the way Salesforce coerces numbers and booleans into text fields.
fn as_text(field: &FieldMeta, value: &Value) -> Result<String, SfError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(wrong_type(field, value)),
    }
}

/// Whether `field` keeps exact decimals ([`Cell::Decimal`]): any `currency`
/// (Salesforce stores currency as a decimal, `currency(18, 0)` included), and a
/// `double` or `percent` with a declared scale.
pub fn is_decimal(field: &FieldMeta) -> bool {
    field.field_type == FieldType::Number
        && field.precision > 0
        && (field.scale > 0 || field.type_name == "currency")
}

/// The key under which [`crate::api::body`] passes the exact text of a record
/// body's JSON numbers (`{field: "9999999999999999.99"}`), since a `Value`
/// holds them as `f64`. No field is named so; [`validate`] skips it.
pub const NUMBER_TEXT_KEY: &str = "\u{0}number-text";

/// The exact text of the JSON number given for `key`, if the body carried it.
fn number_text<'b>(body: &'b Map<String, Value>, key: &str) -> Option<&'b str> {
    body.get(NUMBER_TEXT_KEY)?.get(key)?.as_str()
}

/// An exact decimal for `field` from a number (its text as written when
/// `text` has it) or a string holding one, its whole digits checked against
/// the precision. Extra fraction digits are kept: Salesforce rounds to the
/// scale only in its UI, never through the API (knowledge article 000385689).
fn to_decimal(field: &FieldMeta, value: &Value, text: Option<&str>) -> Result<Cell, SfError> {
    let written = match (value, text) {
        (Value::Number(_), Some(text)) => text.to_owned(),
        (Value::Number(n), None) => n.to_string(),
        (Value::String(s), _) => s.trim().to_owned(),
        _ => return Err(wrong_type(field, value)),
    };
    let digits = decimal::Digits::parse(&written).ok_or_else(|| match value {
        // A number token that is no decimal: an exponent too large to read.
        Value::Number(_) => out_of_range(field, &written),
        _ => wrong_type(field, value),
    })?;
    let whole_digits = field.precision.saturating_sub(field.scale) as usize;
    if digits.whole_digits() > whole_digits {
        return Err(out_of_range(field, &written));
    }
    Ok(Cell::Decimal(digits.canonical()))
}

fn as_f64(field: &FieldMeta, value: &Value) -> Result<f64, SfError> {
    match value {
        Value::Number(n) => n.as_f64().ok_or_else(|| wrong_type(field, value)),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| wrong_type(field, value)),
        _ => Err(wrong_type(field, value)),
    }
}

fn check_length(field: &FieldMeta, text: &str) -> Result<(), SfError> {
    if field.length > 0 && text.chars().count() > field.length as usize {
        return Err(field_error(
            ErrorCode::StringTooLong,
            field,
            format!(
                "{}: data value too large: {text} (max length={})",
                field.label, field.length
            ),
        ));
    }
    Ok(())
}

fn check_picklist(field: &FieldMeta, text: &str) -> Result<(), SfError> {
    if !field.restricted_picklist {
        return Ok(());
    }
    let values: Vec<&str> = if field.field_type == FieldType::MultiPicklist {
        text.split(';').collect()
    } else {
        vec![text]
    };
    match values
        .into_iter()
        .find(|v| !field.picklist_values.iter().any(|p| p == v))
    {
        None => Ok(()),
        Some(bad) => Err(field_error(
            ErrorCode::InvalidOrNullForRestrictedPicklist,
            field,
            format!(
                "{}: bad value for restricted picklist field: {bad}",
                field.label
            ),
        )),
    }
}

fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Parses the date-time forms Salesforce accepts, to ms since the epoch.
pub fn parse_datetime(text: &str) -> Option<i64> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.timestamp_millis());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%z"] {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(dt.timestamp_millis());
        }
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|dt| dt.and_utc().timestamp_millis())
}

fn parse_time(text: &str) -> Option<String> {
    let bare = text.strip_suffix('Z').unwrap_or(text);
    let time = NaiveTime::parse_from_str(bare, "%H:%M:%S%.f").ok()?;
    Some(time.format("%H:%M:%S%.3fZ").to_string())
}

fn out_of_range(field: &FieldMeta, shown: &str) -> SfError {
    field_error(
        ErrorCode::NumberOutsideValidRange,
        field,
        format!(
            "{}: value outside of valid range on numeric field: {shown}",
            field.label
        ),
    )
}

/// The key prefixes a reference field accepts, if the org knows any of its targets.
fn accepted_prefixes(inner: &StoreInner, field: &FieldMeta) -> Vec<[u8; 3]> {
    field
        .reference_to
        .iter()
        .filter_map(|t| inner.schema.object(t).and_then(|o| o.key_prefix))
        .collect()
}

fn convert_reference(
    inner: &StoreInner,
    field: &FieldMeta,
    value: &Value,
) -> Result<Cell, SfError> {
    let text = as_text(field, value)?;
    let malformed = || {
        field_error(
            ErrorCode::MalformedId,
            field,
            format!("{}: id value of incorrect type: {text}", field.label),
        )
    };
    let id = SfId::parse(&text).ok_or_else(malformed)?;
    let prefixes = accepted_prefixes(inner, field);
    if !prefixes.is_empty() && !prefixes.contains(&id.key_prefix()) {
        return Err(malformed());
    }
    if inner.row_state(id).is_some_and(|s| s != RowState::Live) {
        return Err(SfError::on_fields(
            ErrorCode::InvalidCrossReferenceKey,
            "invalid cross reference id",
            vec![field.name.clone()],
        ));
    }
    Ok(Cell::Id(id))
}

/// Converts one non-null JSON value for `field`.
pub fn convert(inner: &StoreInner, field: &FieldMeta, value: &Value) -> Result<Cell, SfError> {
    convert_exact(inner, field, value, None)
}

/// [`convert`], with the text of the JSON number `value` was parsed from when
/// the body had one (exact decimals keep every digit of it).
fn convert_exact(
    inner: &StoreInner,
    field: &FieldMeta,
    value: &Value,
    number_text: Option<&str>,
) -> Result<Cell, SfError> {
    match field.field_type {
        FieldType::Text | FieldType::Email | FieldType::Picklist | FieldType::MultiPicklist => {
            let text = as_text(field, value)?;
            check_length(field, &text)?;
            if field.field_type == FieldType::Email && !is_email(&text) {
                return Err(field_error(
                    ErrorCode::InvalidEmailAddress,
                    field,
                    format!("{}: invalid email address: {text}", field.label),
                ));
            }
            check_picklist(field, &text)?;
            Ok(Cell::Text(text))
        }
        FieldType::Boolean => match value {
            Value::Bool(b) => Ok(Cell::Bool(*b)),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Cell::Bool(true)),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Cell::Bool(false)),
            _ => Err(wrong_type(field, value)),
        },
        FieldType::Integer => {
            let n = as_f64(field, value)?;
            if n.fract() != 0.0 || n.abs() >= 9.2e18 {
                return Err(wrong_type(field, value));
            }
            let digits = if field.digits > 0 { field.digits } else { 18 };
            if n.abs() >= 10f64.powi(digits.min(18) as i32) {
                return Err(out_of_range(field, &value.to_string()));
            }
            // Integral and in range, checked above.
            Ok(Cell::Int(n as i64))
        }
        FieldType::Number if is_decimal(field) => to_decimal(field, value, number_text),
        FieldType::Number => {
            let n = as_f64(field, value)?;
            let whole_digits = field.precision.saturating_sub(field.scale);
            if field.precision > 0 && n.abs() >= 10f64.powi(whole_digits as i32) {
                return Err(out_of_range(field, &value.to_string()));
            }
            Ok(Cell::Float(n))
        }
        FieldType::Date => {
            let text = as_text(field, value)?;
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map(|d| Cell::Text(d.format("%Y-%m-%d").to_string()))
                .map_err(|_| wrong_type(field, value))
        }
        FieldType::DateTime => {
            let text = as_text(field, value)?;
            parse_datetime(&text)
                .map(Cell::DateTime)
                .ok_or_else(|| wrong_type(field, value))
        }
        FieldType::Time => {
            let text = as_text(field, value)?;
            parse_time(&text)
                .map(Cell::Text)
                .ok_or_else(|| wrong_type(field, value))
        }
        FieldType::Id | FieldType::Reference => convert_reference(inner, field, value),
        FieldType::Compound | FieldType::Any => match value {
            Value::String(s) => Ok(Cell::Text(s.clone())),
            other => Ok(Cell::Json(other.to_string())),
        },
    }
}

/// `INVALID_FIELD` for a body key that is not a field.
pub fn no_such_column(object: &ObjectSchema, key: &str) -> SfError {
    SfError::new(
        ErrorCode::InvalidField,
        format!("No such column '{key}' on sobject of type {}", object.name),
    )
}

/// Checks a body and converts it to field changes, or lists what is wrong.
///
/// The first unknown field fails the whole body at once (as Salesforce's JSON
/// reader does); otherwise every problem is reported: fields that may not be
/// written, bad values, then missing required fields.
pub fn validate(
    inner: &StoreInner,
    object: &ObjectSchema,
    body: &Map<String, Value>,
    mode: Mode,
) -> Result<Changes, Vec<SfError>> {
    let mut changes: Changes = Vec::with_capacity(body.len());
    let mut given: Vec<usize> = Vec::with_capacity(body.len());
    let mut read_only = Vec::new();
    let mut errors = Vec::new();
    for (key, value) in body {
        if key == "attributes"
            || key == NUMBER_TEXT_KEY
            || (mode == Mode::Update && key.eq_ignore_ascii_case("Id"))
        {
            continue;
        }
        let Some(index) = object.field_index(key) else {
            return Err(vec![no_such_column(object, key)]);
        };
        let field = &object.fields[index];
        let writable = match mode {
            Mode::Create => field.createable,
            Mode::Update => field.updateable,
        };
        if !writable {
            read_only.push(field.name.clone());
            continue;
        }
        if !value.is_null() {
            given.push(index);
        }
        // Field counts are checked to fit u16 when the describe is read.
        let index = index as u16;
        match value {
            Value::Null if field.field_type == FieldType::Boolean => {
                changes.push((index, Some(Cell::Bool(false))))
            }
            Value::Null => changes.push((index, None)),
            value => match convert_exact(inner, field, value, number_text(body, key)) {
                Ok(cell) => changes.push((index, Some(cell))),
                // The JSON reader fails before any field is checked.
                Err(e) if e.code == ErrorCode::JsonParserError => return Err(vec![e]),
                Err(e) => errors.push(e),
            },
        }
    }
    if !read_only.is_empty() {
        let message = format!(
            "Unable to create/update fields: {}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
            read_only.join(", ")
        );
        errors.insert(
            0,
            SfError::on_fields(ErrorCode::InvalidFieldForInsertUpdate, message, read_only),
        );
    }
    let missing: Vec<String> = object
        .fields
        .iter()
        .enumerate()
        .filter(|(i, f)| match mode {
            Mode::Create => f.required_on_create() && !given.contains(i),
            Mode::Update => {
                !f.nillable
                    && changes
                        .iter()
                        .any(|(c, v)| usize::from(*c) == *i && v.is_none())
            }
        })
        .map(|(_, f)| f.name.clone())
        .collect();
    if !missing.is_empty() {
        errors.push(SfError::on_fields(
            ErrorCode::RequiredFieldMissing,
            format!("Required fields are missing: [{}]", missing.join(", ")),
            missing,
        ));
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}
