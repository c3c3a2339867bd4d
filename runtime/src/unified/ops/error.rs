//! Why a unified operation failed.

use super::super::MappingError;
use crate::IdError;

/// Why a unified operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CrmError {
    /// The unified form could not become a Salesforce record.
    #[error(transparent)]
    Mapping(#[from] MappingError),
    /// Salesforce (or the connection to it) failed.
    #[error(transparent)]
    Salesforce(#[from] crate::Error),
    /// An id passed in is not an id of the resource's object.
    #[error("`{id}` is not a {resource} id: {source}")]
    InvalidId {
        /// The unified resource.
        resource: &'static str,
        /// The id as given.
        id: String,
        /// Why it was rejected.
        source: IdError,
    },
    /// A cursor passed to `list` is not one `list` returned.
    #[error("`{cursor}` is not a {resource} cursor (pass back a `nextCursor` from `list`)")]
    InvalidCursor {
        /// The unified resource.
        resource: &'static str,
        /// The cursor as given.
        cursor: String,
    },
    /// The page size is out of range.
    #[error("a page holds 1 to {max} records, not {requested}")]
    PageSize {
        /// The size asked for.
        requested: u32,
        /// The largest allowed.
        max: u32,
    },
    /// A record read from Salesforce does not decode into the mapped row.
    #[error("a {resource} record from Salesforce does not decode: {message}")]
    Decode {
        /// The unified resource.
        resource: &'static str,
        /// What decoding reported.
        message: String,
    },
    /// There is no such record.
    #[error("{resource} `{id}` does not exist")]
    NotFound {
        /// The unified resource.
        resource: &'static str,
        /// The id asked for.
        id: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_texts() {
        let cases = [
            (
                CrmError::InvalidId {
                    resource: "Contact",
                    id: "001000000000001AAA".into(),
                    source: IdError::KeyPrefix {
                        id: "001000000000001AAA".into(),
                        object: "Contact",
                        expected: "003",
                        found: "001".into(),
                    },
                },
                "`001000000000001AAA` is not a Contact id: `001000000000001AAA` is not a Contact id: its key prefix is `001`, a Contact id starts with `003`",
            ),
            (
                CrmError::InvalidCursor { resource: "Deal", cursor: "x".into() },
                "`x` is not a Deal cursor (pass back a `nextCursor` from `list`)",
            ),
            (CrmError::PageSize { requested: 0, max: 2000 }, "a page holds 1 to 2000 records, not 0"),
            (
                CrmError::Decode { resource: "Task", message: "bad".into() },
                "a Task record from Salesforce does not decode: bad",
            ),
            (CrmError::NotFound { resource: "Pipeline", id: "x".into() }, "Pipeline `x` does not exist"),
            (
                CrmError::Mapping(MappingError::Unmapped { field: "currency", reason: "no field" }),
                "`currency` cannot be saved to Salesforce: no field",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }
}
