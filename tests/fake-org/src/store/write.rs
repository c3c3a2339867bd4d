//! Writing stored values straight to JSON bytes, for query pages: the same
//! bytes `serde_json` writes for the values [`super::render`] builds, without
//! building them.

use chrono::{DateTime, Datelike, Timelike};

use super::cell::CellRef;
use super::table::{RowMeta, RowState};
use crate::ids::SfId;
use crate::schema::SystemField;

/// Appends `text` as a JSON string, escaped as `serde_json` escapes it.
pub fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn digits(out: &mut Vec<u8>, value: u32, width: usize) {
    let mut buf = [b'0'; 10];
    let mut n = value;
    for slot in buf[..width].iter_mut().rev() {
        // A decimal digit fits a byte.
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&buf[..width]);
}

/// Appends a date-time in Salesforce's format, quoted:
/// `"2011-07-07T00:37:00.000+0000"` (as [`super::cell::format_datetime`]).
pub fn datetime(out: &mut Vec<u8>, ms: i64) {
    let t = DateTime::from_timestamp_millis(ms).unwrap_or_default();
    match u32::try_from(t.year()) {
        Ok(year) if year <= 9999 => {
            out.push(b'"');
            digits(out, year, 4);
            out.push(b'-');
            digits(out, t.month(), 2);
            out.push(b'-');
            digits(out, t.day(), 2);
            out.push(b'T');
            digits(out, t.hour(), 2);
            out.push(b':');
            digits(out, t.minute(), 2);
            out.push(b':');
            digits(out, t.second(), 2);
            out.push(b'.');
            digits(out, t.timestamp_subsec_millis().min(999), 3);
            out.extend_from_slice(b"+0000\"");
        }
        _ => string(out, &super::cell::format_datetime(ms)),
    }
}

fn number(out: &mut Vec<u8>, value: impl serde::Serialize) {
    if serde_json::to_writer(&mut *out, &value).is_err() {
        out.extend_from_slice(b"null");
    }
}

/// Appends a stored value as [`CellRef::to_json`] renders it.
pub fn cell(out: &mut Vec<u8>, cell: CellRef<'_>) {
    match cell {
        CellRef::Bool(true) => out.extend_from_slice(b"true"),
        CellRef::Bool(false) => out.extend_from_slice(b"false"),
        CellRef::Int(i) => number(out, i),
        CellRef::Float(f) if f.is_finite() => number(out, f),
        CellRef::Float(_) => out.extend_from_slice(b"null"),
        CellRef::Decimal(text) => {
            out.extend_from_slice(text.as_bytes());
            if !text.contains('.') {
                out.extend_from_slice(b".0");
            }
        }
        CellRef::Text(s) => string(out, s),
        CellRef::Id(id) => id_value(out, id),
        CellRef::DateTime(ms) => datetime(out, ms),
        CellRef::Json(s) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(value) => number(out, value),
            Err(_) => out.extend_from_slice(b"null"),
        },
    }
}

fn id_value(out: &mut Vec<u8>, id: SfId) {
    out.push(b'"');
    out.extend_from_slice(id.as_str().as_bytes());
    out.push(b'"');
}

/// Appends a system field's value (see `render::system_value`).
pub fn system(out: &mut Vec<u8>, system: SystemField, meta: &RowMeta, users: &[SfId]) {
    let user = |out: &mut Vec<u8>, i: u16| match users.get(usize::from(i)) {
        Some(id) => id_value(out, *id),
        None => out.extend_from_slice(b"null"),
    };
    match system {
        SystemField::Id => id_value(out, meta.id),
        SystemField::IsDeleted if meta.state == RowState::Deleted => {
            out.extend_from_slice(b"true");
        }
        SystemField::IsDeleted => out.extend_from_slice(b"false"),
        SystemField::CreatedDate => datetime(out, meta.created_ms),
        SystemField::LastModifiedDate | SystemField::SystemModstamp => {
            datetime(out, meta.modified_ms);
        }
        SystemField::CreatedById => user(out, meta.created_by),
        SystemField::LastModifiedById => user(out, meta.modified_by),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_as_serde_json_does() {
        for text in [
            "plain",
            "quote \" and \\",
            "line\nfeed\ttab\r",
            "\u{1}\u{1f}\u{8}\u{c}",
            "héllo ✓",
            "",
        ] {
            let mut out = Vec::new();
            string(&mut out, text);
            assert_eq!(out, serde_json::to_vec(text).expect("json"), "{text:?}");
        }
    }

    #[test]
    fn datetimes_match_the_stored_format() {
        for ms in [
            0,
            1_309_996_620_000,
            1_704_164_645_007,
            -86_400_001,
            253_402_300_799_999,
        ] {
            let mut out = Vec::new();
            datetime(&mut out, ms);
            let expected =
                serde_json::to_vec(&super::super::cell::format_datetime(ms)).expect("json");
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&expected),
                "{ms}"
            );
        }
    }

    #[test]
    fn decimals_are_written_digit_for_digit() {
        for (stored, written) in [
            ("9999999999999999.99", "9999999999999999.99"),
            ("-9999999999999999.99", "-9999999999999999.99"),
            ("99999999999999.99", "99999999999999.99"),
            ("0.01", "0.01"),
            ("50000", "50000.0"),
        ] {
            let mut out = Vec::new();
            cell(&mut out, CellRef::Decimal(stored));
            assert_eq!(String::from_utf8_lossy(&out), written);
            assert_eq!(
                CellRef::Decimal(stored).exact_json().as_deref(),
                Some(written)
            );
        }
    }

    #[test]
    fn cells_match_their_json() {
        let id = SfId::mint(*b"001", 3);
        for c in [
            CellRef::Bool(true),
            CellRef::Int(-7),
            CellRef::Float(50000.0),
            CellRef::Float(0.1),
            CellRef::Text("a\"b"),
            CellRef::Id(id),
            CellRef::DateTime(1_704_164_645_000),
            CellRef::Json("{\"b\":1,\"a\":[true,null]}"),
            CellRef::Decimal("50000"),
            CellRef::Decimal("-12.5"),
        ] {
            let mut out = Vec::new();
            cell(&mut out, c);
            assert_eq!(
                out,
                serde_json::to_vec(&c.to_json()).expect("json"),
                "{c:?}"
            );
        }
    }
}
