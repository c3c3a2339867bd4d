//! The error a query fails with, in Salesforce's shape: an `errorCode` and a
//! `message`, the message carrying Salesforce's position header
//! (`ERROR at Row:r:Column:c`) when the error points at a place in the query.

/// `MALFORMED_QUERY`: a syntax error, or a feature outside the supported subset.
pub const MALFORMED_QUERY: &str = "MALFORMED_QUERY";
/// `INVALID_FIELD`: an unknown field or relationship, or a literal of the wrong type.
pub const INVALID_FIELD: &str = "INVALID_FIELD";
/// `INVALID_TYPE`: an unknown sObject type.
pub const INVALID_TYPE: &str = "INVALID_TYPE";
/// `INVALID_QUERY_FILTER_OPERATOR`: an operator the field's type does not take, or a malformed id.
pub const INVALID_QUERY_FILTER_OPERATOR: &str = "INVALID_QUERY_FILTER_OPERATOR";
/// `EXCEEDED_ID_LIMIT`: an aggregate query with more rows than one batch.
pub const EXCEEDED_ID_LIMIT: &str = "EXCEEDED_ID_LIMIT";
/// `NUMBER_OUTSIDE_VALID_RANGE`: `OFFSET` above 2,000.
pub const NUMBER_OUTSIDE_VALID_RANGE: &str = "NUMBER_OUTSIDE_VALID_RANGE";

/// A failed query, as Salesforce reports it: `[{"message": ..., "errorCode": ...}]`
/// with HTTP status 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error_code}: {message}")]
pub struct SoqlError {
    /// Salesforce's `errorCode`, one of the constants of this module.
    pub error_code: &'static str,
    /// Salesforce's `message`.
    pub message: String,
}

impl SoqlError {
    /// An error without a position in the query.
    pub fn new(error_code: &'static str, message: impl Into<String>) -> Self {
        Self {
            error_code,
            message: message.into(),
        }
    }

    /// An error at byte offset `pos` of `query`, with Salesforce's header: the
    /// line of the query, a caret under the column, and
    /// `ERROR at Row:r:Column:c` (both 1-based), then `detail`.
    pub fn at(error_code: &'static str, query: &str, pos: usize, detail: &str) -> Self {
        let pos = floor_char_boundary(query, pos.min(query.len()));
        let line_start = query[..pos].rfind('\n').map_or(0, |i| i + 1);
        let line_end = query[pos..].find('\n').map_or(query.len(), |i| pos + i);
        let row = query[..pos].matches('\n').count() + 1;
        let column = query[line_start..pos].chars().count() + 1;
        let caret = format!("{}^", " ".repeat(column - 1));
        let line = &query[line_start..line_end];
        Self::new(
            error_code,
            format!("\n{line}\n{caret}\nERROR at Row:{row}:Column:{column}\n{detail}"),
        )
    }

    /// `MALFORMED_QUERY` for a feature outside the subset the fake org implements.
    pub fn unsupported(query: &str, pos: usize, feature: &str) -> Self {
        Self::at(
            MALFORMED_QUERY,
            query,
            pos,
            &format!("{feature} is outside the SOQL subset this fake org supports"),
        )
    }
}

/// The largest char boundary at or below `pos`.
fn floor_char_boundary(s: &str, mut pos: usize) -> usize {
    while !s.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_matches_salesforce_recording() {
        // responses/snowfakery/query_error_400_bad_query_v50.json
        let query = "SELECT Xyzzy FROM Xyzzy";
        let err = SoqlError::at(
            INVALID_TYPE,
            query,
            18,
            "sObject type 'Xyzzy' is not supported.",
        );
        assert_eq!(
            err.message,
            "\nSELECT Xyzzy FROM Xyzzy\n                  ^\nERROR at Row:1:Column:19\nsObject type 'Xyzzy' is not supported."
        );
        assert_eq!(err.error_code, "INVALID_TYPE");
    }

    #[test]
    fn header_counts_rows_and_columns_on_later_lines() {
        let query = "SELECT Id\nFROM Account\nWHERE Name = 'a' AND x OR y";
        let pos = query.find("OR").expect("OR is in the query");
        let err = SoqlError::at(MALFORMED_QUERY, query, pos, "unexpected token: OR");
        assert!(err.message.starts_with("\nWHERE Name = 'a' AND x OR y\n"));
        assert!(err
            .message
            .contains("ERROR at Row:3:Column:24\nunexpected token: OR"));
    }

    #[test]
    fn display_is_code_then_message() {
        let err = SoqlError::new(
            NUMBER_OUTSIDE_VALID_RANGE,
            "Maximum SOQL offset allowed is 2000",
        );
        assert_eq!(
            err.to_string(),
            "NUMBER_OUTSIDE_VALID_RANGE: Maximum SOQL offset allowed is 2000"
        );
    }
}
