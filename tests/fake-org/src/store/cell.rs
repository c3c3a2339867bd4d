//! Compact encoding of one record's non-null values.
//!
//! A row is a byte string of entries sorted by field index:
//! `[field: u16 LE][tag: u8][payload]`. Nulls are not stored. Payloads: none for
//! booleans, 8 bytes LE for integers, floats and date-times (ms since the epoch),
//! the first 15 characters of ids, and a LEB128 length plus UTF-8 bytes for text,
//! raw JSON and exact decimals. An Account with ten short text fields takes about 200 bytes.

use chrono::{DateTime, Utc};
use serde_json::{Number, Value};

use crate::ids::SfId;

const FALSE: u8 = 0;
const TRUE: u8 = 1;
const INT: u8 = 2;
const FLOAT: u8 = 3;
const TEXT: u8 = 4;
const ID: u8 = 5;
const DATETIME: u8 = 6;
const JSON: u8 = 7;
const DECIMAL: u8 = 8;

/// An owned value, ready to encode.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Checkbox.
    Bool(bool),
    /// `int` / `long`.
    Int(i64),
    /// `double` / `currency` / `percent` without a scale.
    Float(f64),
    /// `double` / `currency` / `percent` with a scale: the exact value, as
    /// canonical decimal text (see [`super::decimal`]).
    Decimal(String),
    /// Text, picklists, dates, times.
    Text(String),
    /// Ids and references.
    Id(SfId),
    /// Date-time as milliseconds since the epoch (UTC).
    DateTime(i64),
    /// Any other JSON value, as JSON text.
    Json(String),
}

/// A borrowed value, decoded from a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    /// See [`Cell::Bool`].
    Bool(bool),
    /// See [`Cell::Int`].
    Int(i64),
    /// See [`Cell::Float`].
    Float(f64),
    /// See [`Cell::Decimal`].
    Decimal(&'a str),
    /// See [`Cell::Text`].
    Text(&'a str),
    /// See [`Cell::Id`].
    Id(SfId),
    /// See [`Cell::DateTime`].
    DateTime(i64),
    /// See [`Cell::Json`].
    Json(&'a str),
}

/// Salesforce's date-time format: `2011-07-07T00:37:00.000+0000`.
pub fn format_datetime(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3f+0000")
        .to_string()
}

impl CellRef<'_> {
    /// The value as Salesforce renders it in JSON.
    ///
    /// A [`CellRef::Decimal`] becomes the nearest `f64` here (a `Value` holds no
    /// more); [`super::write::cell`] and [`CellRef::exact_json`] keep its digits.
    pub fn to_json(self) -> Value {
        match self {
            CellRef::Bool(b) => Value::Bool(b),
            CellRef::Int(i) => Value::Number(i.into()),
            CellRef::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
            CellRef::Decimal(text) => text
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map_or(Value::Null, Value::Number),
            CellRef::Text(s) => Value::String(s.to_owned()),
            CellRef::Id(id) => Value::String(id.as_str().to_owned()),
            CellRef::DateTime(ms) => Value::String(format_datetime(ms)),
            CellRef::Json(s) => serde_json::from_str(s).unwrap_or(Value::Null),
        }
    }

    /// An owned copy.
    pub fn to_owned_cell(self) -> Cell {
        match self {
            CellRef::Bool(b) => Cell::Bool(b),
            CellRef::Int(i) => Cell::Int(i),
            CellRef::Float(f) => Cell::Float(f),
            CellRef::Decimal(s) => Cell::Decimal(s.to_owned()),
            CellRef::Text(s) => Cell::Text(s.to_owned()),
            CellRef::Id(id) => Cell::Id(id),
            CellRef::DateTime(ms) => Cell::DateTime(ms),
            CellRef::Json(s) => Cell::Json(s.to_owned()),
        }
    }

    /// The value as text, for external-id matching (`None` for non-text values).
    pub fn as_key(self) -> Option<String> {
        match self {
            CellRef::Text(s) => Some(s.to_owned()),
            CellRef::Id(id) => Some(id.as_str().to_owned()),
            CellRef::Int(i) => Some(i.to_string()),
            CellRef::Float(f) => Some(f.to_string()),
            CellRef::Decimal(s) => Some(s.to_owned()),
            _ => None,
        }
    }

    /// The JSON text of an exact decimal (`50000.0`, `9999999999999999.99`);
    /// `None` for other cells.
    pub fn exact_json(self) -> Option<String> {
        match self {
            CellRef::Decimal(text) => Some(super::decimal::json_number(text)),
            _ => None,
        }
    }
}

impl Cell {
    /// A borrowed view.
    pub fn as_ref(&self) -> CellRef<'_> {
        match self {
            Cell::Bool(b) => CellRef::Bool(*b),
            Cell::Int(i) => CellRef::Int(*i),
            Cell::Float(f) => CellRef::Float(*f),
            Cell::Decimal(s) => CellRef::Decimal(s),
            Cell::Text(s) => CellRef::Text(s),
            Cell::Id(id) => CellRef::Id(*id),
            Cell::DateTime(ms) => CellRef::DateTime(*ms),
            Cell::Json(s) => CellRef::Json(s),
        }
    }
}

fn push_len(out: &mut Vec<u8>, mut n: usize) {
    loop {
        // The low seven bits fit a byte.
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_len(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut n = 0usize;
    for (i, b) in bytes.iter().enumerate().take(5) {
        n |= usize::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, i + 1));
        }
    }
    None
}

/// Appends one entry to an encoded row.
pub fn encode(out: &mut Vec<u8>, field: u16, cell: CellRef<'_>) {
    out.extend_from_slice(&field.to_le_bytes());
    match cell {
        CellRef::Bool(b) => out.push(if b { TRUE } else { FALSE }),
        CellRef::Int(i) => {
            out.push(INT);
            out.extend_from_slice(&i.to_le_bytes());
        }
        CellRef::Float(f) => {
            out.push(FLOAT);
            out.extend_from_slice(&f.to_le_bytes());
        }
        CellRef::Text(s) | CellRef::Json(s) | CellRef::Decimal(s) => {
            out.push(match cell {
                CellRef::Text(_) => TEXT,
                CellRef::Json(_) => JSON,
                _ => DECIMAL,
            });
            push_len(out, s.len());
            out.extend_from_slice(s.as_bytes());
        }
        CellRef::Id(id) => {
            out.push(ID);
            out.extend_from_slice(&id.as_str().as_bytes()[..15]);
        }
        CellRef::DateTime(ms) => {
            out.push(DATETIME);
            out.extend_from_slice(&ms.to_le_bytes());
        }
    }
}

/// The entries of an encoded row, in field order.
#[derive(Debug, Clone)]
pub struct Entries<'a> {
    rest: &'a [u8],
}

/// Iterates an encoded row.
pub fn entries(row: &[u8]) -> Entries<'_> {
    Entries { rest: row }
}

fn eight(bytes: &[u8]) -> Option<[u8; 8]> {
    bytes.get(..8)?.try_into().ok()
}

impl<'a> Iterator for Entries<'a> {
    type Item = (u16, CellRef<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        let field = u16::from_le_bytes([*rest.first()?, *rest.get(1)?]);
        let tag = *rest.get(2)?;
        let body = rest.get(3..)?;
        let (cell, used) = match tag {
            FALSE => (CellRef::Bool(false), 0),
            TRUE => (CellRef::Bool(true), 0),
            INT => (CellRef::Int(i64::from_le_bytes(eight(body)?)), 8),
            FLOAT => (CellRef::Float(f64::from_le_bytes(eight(body)?)), 8),
            DATETIME => (CellRef::DateTime(i64::from_le_bytes(eight(body)?)), 8),
            ID => {
                let text = std::str::from_utf8(body.get(..15)?).ok()?;
                (CellRef::Id(SfId::parse(text)?), 15)
            }
            TEXT | JSON | DECIMAL => {
                let (len, n) = read_len(body)?;
                let text = std::str::from_utf8(body.get(n..n + len)?).ok()?;
                let cell = match tag {
                    TEXT => CellRef::Text(text),
                    JSON => CellRef::Json(text),
                    _ => CellRef::Decimal(text),
                };
                (cell, n + len)
            }
            _ => return None,
        };
        self.rest = body.get(used..)?;
        Some((field, cell))
    }
}

/// The value of `field` in an encoded row.
pub fn lookup(row: &[u8], field: u16) -> Option<CellRef<'_>> {
    entries(row)
        .take_while(|(f, _)| *f <= field)
        .find(|(f, _)| *f == field)
        .map(|(_, c)| c)
}

/// A row with `changes` applied (`None` clears a field), re-encoded.
pub fn apply(row: &[u8], changes: &[(u16, Option<Cell>)]) -> Vec<u8> {
    let mut merged: Vec<(u16, CellRef<'_>)> = entries(row)
        .filter(|(f, _)| !changes.iter().any(|(c, _)| c == f))
        .collect();
    merged.extend(
        changes
            .iter()
            .filter_map(|(f, c)| c.as_ref().map(|c| (*f, c.as_ref()))),
    );
    merged.sort_by_key(|(f, _)| *f);
    let mut out = Vec::with_capacity(row.len() + 16);
    for (f, c) in merged {
        encode(&mut out, f, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_cell_round_trips() {
        let id = SfId::mint(*b"001", 7);
        let cells = [
            Cell::Bool(true),
            Cell::Bool(false),
            Cell::Int(-42),
            Cell::Float(1.5),
            Cell::Text("héllo".repeat(50)),
            Cell::Id(id),
            Cell::DateTime(1_700_000_000_123),
            Cell::Json("{\"a\":1}".into()),
            Cell::Decimal("-9999999999999999.99".into()),
        ];
        let changes: Vec<_> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u16, Some(c.clone())))
            .collect();
        let row = apply(&[], &changes);
        let decoded: Vec<_> = entries(&row).map(|(_, c)| c.to_owned_cell()).collect();
        assert_eq!(decoded, cells);
        assert_eq!(lookup(&row, 5), Some(CellRef::Id(id)));
        assert_eq!(lookup(&row, 99), None);
    }

    #[test]
    fn apply_replaces_and_clears() {
        let row = apply(
            &[],
            &[(3, Some(Cell::Int(1))), (1, Some(Cell::Text("a".into())))],
        );
        let row = apply(&row, &[(3, None), (2, Some(Cell::Bool(true)))]);
        let fields: Vec<_> = entries(&row).map(|(f, _)| f).collect();
        assert_eq!(fields, [1, 2]);
    }

    #[test]
    fn datetimes_use_salesforce_format() {
        assert_eq!(
            format_datetime(1_309_996_620_000),
            "2011-07-06T23:57:00.000+0000"
        );
    }
}
