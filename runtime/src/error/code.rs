//! Salesforce's REST `errorCode` / `statusCode` values as an open enum.

use std::fmt;

/// Defines [`ErrorCode`] and its string table from one list, so the two cannot drift.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $wire:literal,)*) => {
        /// A Salesforce API error code (`errorCode` at the top level of an error
        /// body, `statusCode` inside a per-record result).
        ///
        /// The codes the runtime reacts to, or that are common enough to match on,
        /// have variants; every other code is kept verbatim in [`ErrorCode::Other`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code without a variant of its own, kept as sent.
            Other(String),
        }

        impl ErrorCode {
            /// The code as Salesforce spells it, e.g. `"INVALID_SESSION_ID"`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                    ErrorCode::Other(code) => code,
                }
            }

            /// The code for a wire string; unknown codes become [`ErrorCode::Other`].
            pub fn parse(code: &str) -> Self {
                match code {
                    $($wire => ErrorCode::$variant,)*
                    other => ErrorCode::Other(other.to_owned()),
                }
            }
        }
    };
}

error_codes! {
    /// The session (access token) expired or was revoked: the runtime refreshes once.
    InvalidSessionId => "INVALID_SESSION_ID",
    /// The org's daily allocation, or a concurrency limit, is spent.
    RequestLimitExceeded => "REQUEST_LIMIT_EXCEEDED",
    /// Another transaction holds a lock on the record: safe to retry later.
    UnableToLockRow => "UNABLE_TO_LOCK_ROW",
    /// Salesforce is temporarily unavailable (HTTP 503).
    ServerUnavailable => "SERVER_UNAVAILABLE",
    /// A field required on create was not sent.
    RequiredFieldMissing => "REQUIRED_FIELD_MISSING",
    /// A field does not exist or is not visible to the user.
    InvalidField => "INVALID_FIELD",
    /// A field cannot be written by this operation (not createable or not updateable).
    InvalidFieldForInsertUpdate => "INVALID_FIELD_FOR_INSERT_UPDATE",
    /// A text value is longer than the field allows.
    StringTooLong => "STRING_TOO_LONG",
    /// A value is not in a restricted picklist.
    InvalidOrNullForRestrictedPicklist => "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
    /// A record id is malformed.
    MalformedId => "MALFORMED_ID",
    /// A SOQL query does not parse.
    MalformedQuery => "MALFORMED_QUERY",
    /// A SOSL search does not parse.
    MalformedSearch => "MALFORMED_SEARCH",
    /// The resource or record does not exist.
    NotFound => "NOT_FOUND",
    /// The record was deleted.
    EntityIsDeleted => "ENTITY_IS_DELETED",
    /// The object does not exist or is not visible.
    InvalidType => "INVALID_TYPE",
    /// The request body is not valid JSON for the resource.
    JsonParserError => "JSON_PARSER_ERROR",
    /// A unique field already holds this value.
    DuplicateValue => "DUPLICATE_VALUE",
    /// A validation rule rejected the record.
    FieldCustomValidationException => "FIELD_CUSTOM_VALIDATION_EXCEPTION",
    /// A reference points at a record that does not exist or is not visible.
    InvalidCrossReferenceKey => "INVALID_CROSS_REFERENCE_KEY",
    /// The user lacks access to the record or the operation.
    InsufficientAccessOrReadonly => "INSUFFICIENT_ACCESS_OR_READONLY",
    /// The query locator expired or is not valid.
    InvalidQueryLocator => "INVALID_QUERY_LOCATOR",
    /// A query ran longer than Salesforce allows.
    QueryTimeout => "QUERY_TIMEOUT",
    /// Too many ids, or an aggregate query that cannot page.
    ExceededIdLimit => "EXCEEDED_ID_LIMIT",
    /// The API is not enabled for the org or the user.
    ApiDisabledForOrg => "API_DISABLED_FOR_ORG",
    /// Salesforce failed internally; the message carries an ErrorId for support.
    UnknownException => "UNKNOWN_EXCEPTION",
    /// An upsert's external id matched several records (HTTP 300).
    MultipleChoices => "MULTIPLE_CHOICES",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for ErrorCode {
    fn from(code: &str) -> Self {
        ErrorCode::parse(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_round_trip_and_unknown_codes_are_kept() {
        for code in [
            "INVALID_SESSION_ID",
            "UNABLE_TO_LOCK_ROW",
            "REQUIRED_FIELD_MISSING",
        ] {
            let parsed = ErrorCode::parse(code);
            assert!(!matches!(parsed, ErrorCode::Other(_)), "{code}");
            assert_eq!(parsed.as_str(), code);
        }
        let other = ErrorCode::parse("SOME_NEW_CODE");
        assert_eq!(other, ErrorCode::Other("SOME_NEW_CODE".into()));
        assert_eq!(other.to_string(), "SOME_NEW_CODE");
    }
}
