//! Reading JSON request bodies, failing as Salesforce's parser does.

use std::collections::HashMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::sferror::{ApiError, ErrorCode, SfError};
use crate::store::NUMBER_TEXT_KEY;

fn parser_error(message: String) -> ApiError {
    ApiError::one(SfError::new(ErrorCode::JsonParserError, message))
}

/// The character at 1-based `line` and `column` of `text`.
fn char_at(text: &str, line: usize, column: usize) -> Option<char> {
    let line_text = text.lines().nth(line.checked_sub(1)?)?;
    line_text.chars().nth(column.checked_sub(1)?)
}

/// Parses a body as JSON; failures are `400 JSON_PARSER_ERROR` with Jackson-style
/// messages (`Unexpected character ('x' (code 120)): ... at [line:1, column:2]`).
pub fn parse(bytes: &[u8]) -> Result<Value, ApiError> {
    let text = String::from_utf8_lossy(bytes);
    if text.trim().is_empty() {
        return Err(parser_error(
            "The HTTP entity body is required, but this request has no entity body.".into(),
        ));
    }
    serde_json::from_str(&text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let message = match e.classify() {
            serde_json::error::Category::Eof => {
                format!("Unexpected end-of-input at [line:{line}, column:{column}]")
            }
            _ => match char_at(&text, line, column) {
                Some(c) => format!(
                    "Unexpected character ('{c}' (code {})): expected a valid value (number, String, array, object, 'true', 'false' or 'null') at [line:{line}, column:{column}]",
                    u32::from(c)
                ),
                None => format!("{e}"),
            },
        };
        parser_error(message)
    })
}

/// Keeps the text of `record`'s JSON numbers, which its `Value`s hold as `f64`:
/// `raw` is the record's own JSON text. The store reads them for fields that
/// keep exact decimals (`currency(18, 2)` holds more digits than an `f64`).
pub fn keep_number_text(record: &mut Map<String, Value>, raw: &str) {
    // A key a client sent under this name is not believed.
    record.shift_remove(NUMBER_TEXT_KEY);
    let Ok(fields) = serde_json::from_str::<HashMap<String, &RawValue>>(raw) else {
        return;
    };
    let numbers: Map<String, Value> = fields
        .into_iter()
        .filter(|(_, v)| {
            v.get()
                .starts_with(|c: char| c == '-' || c.is_ascii_digit())
        })
        .map(|(k, v)| (k, Value::String(v.get().to_owned())))
        .collect();
    if !numbers.is_empty() {
        record.insert(NUMBER_TEXT_KEY.to_owned(), Value::Object(numbers));
    }
}

/// Parses a body that must be a JSON object (a record).
pub fn parse_object(bytes: &[u8], object: &str) -> Result<Map<String, Value>, ApiError> {
    match parse(bytes)? {
        Value::Object(mut map) => {
            keep_number_text(&mut map, &String::from_utf8_lossy(bytes));
            Ok(map)
        }
        other => {
            let token = if other.is_array() {
                "START_ARRAY"
            } else {
                "VALUE_STRING"
            };
            Err(parser_error(format!(
                "Cannot deserialize instance of {object} from {token} value [line:1, column:1]"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_names_the_character_and_position() {
        let err = parse(b"{x").expect_err("malformed");
        let body = err.body();
        let message = body[0]["message"].as_str().expect("message");
        assert_eq!(body[0]["errorCode"], "JSON_PARSER_ERROR");
        assert!(
            message.starts_with("Unexpected character ('x' (code 120))"),
            "{message}"
        );
        assert!(message.ends_with("at [line:1, column:2]"), "{message}");
    }
}
