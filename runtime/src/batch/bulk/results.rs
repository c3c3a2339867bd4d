//! Mapping Bulk API 2.0 result files back to the input rows.
//!
//! Salesforce does not promise that result rows come in upload order, but each
//! result row repeats the uploaded cells. A row is matched to its input by a
//! 128-bit hash of those cells; identical input rows are interchangeable and are
//! matched in input order.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};

use super::csv_out::Columns;
use crate::error::{ApiErrorDetail, Error, ErrorCode, Result};

/// A row's identity: a 128-bit hash of its cells.
pub(crate) type RowKey = u128;

/// The key of a row's cells.
pub(crate) fn row_key<S: AsRef<str>>(cells: &[S]) -> RowKey {
    let half = |salt: u8| {
        let mut hasher = DefaultHasher::new();
        salt.hash(&mut hasher);
        for c in cells {
            c.as_ref().hash(&mut hasher);
        }
        hasher.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// The input rows of one upload, by key.
#[derive(Debug, Default)]
pub(crate) struct RowIndex {
    rows: HashMap<RowKey, VecDeque<usize>>,
    len: usize,
}

impl RowIndex {
    pub(crate) fn insert(&mut self, key: RowKey, input: usize) {
        self.rows.entry(key).or_default().push_back(input);
        self.len += 1;
    }

    /// Takes the first unmatched input row with this key.
    pub(crate) fn take(&mut self, key: RowKey) -> Option<usize> {
        let rows = self.rows.get_mut(&key)?;
        let input = rows.pop_front();
        if rows.is_empty() {
            self.rows.remove(&key);
        }
        if input.is_some() {
            self.len -= 1;
        }
        input
    }

    /// Input rows not matched yet.
    pub(crate) fn remaining(self) -> impl Iterator<Item = usize> {
        self.rows.into_values().flatten()
    }

    /// How many rows the upload had (and are still unmatched).
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

/// One row of a result file: the `sf__` cells and the input row it matches.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ResultRow {
    pub(crate) input: Option<usize>,
    pub(crate) sf_id: Option<String>,
    pub(crate) created: Option<bool>,
    pub(crate) error: Option<String>,
}

/// Reads a result file (`successfulResults`, `failedResults` or
/// `unprocessedrecords`) and matches each row to an input row.
pub(crate) fn read(body: &[u8], columns: &Columns, index: &mut RowIndex) -> Result<Vec<ResultRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body);
    let headers = reader.headers().map_err(csv_error)?.clone();
    let position = |name: &str| headers.iter().position(|h| h == name);
    let (sf_id, created, error) = (
        position("sf__Id"),
        position("sf__Created"),
        position("sf__Error"),
    );
    // For each input column, where the result file has it.
    let sources: Vec<Option<usize>> = columns.names().iter().map(|n| position(n)).collect();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        let cells: Vec<&str> = sources
            .iter()
            .map(|s| s.and_then(|i| record.get(i)).unwrap_or(""))
            .collect();
        let input = index.take(row_key(&cells));
        let get = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        rows.push(ResultRow {
            input,
            sf_id: get(sf_id),
            created: get(created).map(|v| v.eq_ignore_ascii_case("true")),
            error: get(error),
        });
    }
    Ok(rows)
}

pub(crate) fn csv_error(e: csv::Error) -> Error {
    Error::Decode {
        path: String::new(),
        message: format!("a Bulk API 2.0 CSV result: {e}"),
        excerpt: None,
    }
}

/// Reads `sf__Error`: `CODE:message:Field1,Field2 --`. Text that does not start
/// with a code is kept whole as the message.
pub(crate) fn parse_error(text: &str) -> ApiErrorDetail {
    let trimmed = text.trim().trim_end_matches("--").trim_end();
    let (code, rest) = match trimmed.split_once(':') {
        Some((code, rest)) if is_code(code) => (code, rest),
        _ => {
            return ApiErrorDetail {
                code: ErrorCode::Other("BULK_ERROR".into()),
                message: trimmed.to_owned(),
                fields: Vec::new(),
            }
        }
    };
    let (message, fields) = match rest.rsplit_once(':') {
        Some((message, fields))
            if fields.split(',').all(|f| {
                f.trim()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            }) =>
        {
            (
                message,
                fields
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect(),
            )
        }
        _ => (rest, Vec::new()),
    };
    ApiErrorDetail {
        code: ErrorCode::parse(code),
        message: message.to_owned(),
        fields,
    }
}

fn is_code(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_rows_find_their_inputs_in_any_order() {
        let columns = Columns::starting_with(&["Name", "Phone"]);
        let mut index = RowIndex::default();
        index.insert(row_key(&["a", "1"]), 0);
        index.insert(row_key(&["b", "#N/A"]), 1);
        index.insert(row_key(&["a", "1"]), 2);
        let body = "\"sf__Id\",\"sf__Created\",Phone,Name\n001A,true,#N/A,b\n001B,true,1,a\n001C,false,1,a\n001D,true,9,zz\n";
        let rows = read(body.as_bytes(), &columns, &mut index).expect("valid CSV");
        let inputs: Vec<Option<usize>> = rows.iter().map(|r| r.input).collect();
        assert_eq!(inputs, [Some(1), Some(0), Some(2), None]);
        assert_eq!(rows[0].sf_id.as_deref(), Some("001A"));
        assert_eq!(rows[2].created, Some(false));
        assert_eq!(index.len(), 0);
    }

    #[test]
    fn sf_errors_split_into_code_message_and_fields() {
        let e = parse_error(
            "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --",
        );
        assert_eq!(e.code, ErrorCode::RequiredFieldMissing);
        assert_eq!(e.message, "Required fields are missing: [LastName]");
        assert_eq!(e.fields, ["LastName"]);
        let e =
            parse_error("STRING_TOO_LONG:Name: data value too large: xxx (max length=80):Name --");
        assert_eq!(e.message, "Name: data value too large: xxx (max length=80)");
        let e = parse_error("INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--");
        assert_eq!(
            (e.message.as_str(), e.fields.len()),
            ("invalid cross reference id", 0)
        );
        let e = parse_error("something odd happened");
        assert_eq!(e.code.as_str(), "BULK_ERROR");
    }
}
