//! Salesforce's error bodies: `[{"message", "errorCode", "fields"}]`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// The error codes the org returns, spelled as Salesforce spells them.
///
/// Each variant is the Salesforce code of the same name in `SCREAMING_SNAKE_CASE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    RequiredFieldMissing,
    InvalidField,
    InvalidFieldForInsertUpdate,
    StringTooLong,
    InvalidOrNullForRestrictedPicklist,
    MalformedId,
    NotFound,
    EntityIsDeleted,
    InvalidType,
    JsonParserError,
    InvalidEmailAddress,
    NumberOutsideValidRange,
    InvalidCrossReferenceKey,
    DuplicateValue,
    DuplicateExternalId,
    InvalidSessionId,
    RequestLimitExceeded,
    ServerUnavailable,
    UnableToLockRow,
    ExceededIdLimit,
    AllOrNoneOperationRolledBack,
    ProcessingHalted,
    BatchProcessingHalted,
    LimitExceeded,
    MalformedQuery,
    InvalidQueryLocator,
    InvalidQueryFilterOperator,
    MethodNotAllowed,
    MissingArgument,
    CannotInsertUpdateActivateEntity,
    InsufficientAccessOnCrossReferenceEntity,
    UnknownException,
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            RequiredFieldMissing => "REQUIRED_FIELD_MISSING",
            InvalidField => "INVALID_FIELD",
            InvalidFieldForInsertUpdate => "INVALID_FIELD_FOR_INSERT_UPDATE",
            StringTooLong => "STRING_TOO_LONG",
            InvalidOrNullForRestrictedPicklist => "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            MalformedId => "MALFORMED_ID",
            NotFound => "NOT_FOUND",
            EntityIsDeleted => "ENTITY_IS_DELETED",
            InvalidType => "INVALID_TYPE",
            JsonParserError => "JSON_PARSER_ERROR",
            InvalidEmailAddress => "INVALID_EMAIL_ADDRESS",
            NumberOutsideValidRange => "NUMBER_OUTSIDE_VALID_RANGE",
            InvalidCrossReferenceKey => "INVALID_CROSS_REFERENCE_KEY",
            DuplicateValue => "DUPLICATE_VALUE",
            DuplicateExternalId => "DUPLICATE_EXTERNAL_ID",
            InvalidSessionId => "INVALID_SESSION_ID",
            RequestLimitExceeded => "REQUEST_LIMIT_EXCEEDED",
            ServerUnavailable => "SERVER_UNAVAILABLE",
            UnableToLockRow => "UNABLE_TO_LOCK_ROW",
            ExceededIdLimit => "EXCEEDED_ID_LIMIT",
            AllOrNoneOperationRolledBack => "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            ProcessingHalted => "PROCESSING_HALTED",
            BatchProcessingHalted => "BATCH_PROCESSING_HALTED",
            LimitExceeded => "LIMIT_EXCEEDED",
            MalformedQuery => "MALFORMED_QUERY",
            InvalidQueryLocator => "INVALID_QUERY_LOCATOR",
            InvalidQueryFilterOperator => "INVALID_QUERY_FILTER_OPERATOR",
            MethodNotAllowed => "METHOD_NOT_ALLOWED",
            MissingArgument => "MISSING_ARGUMENT",
            CannotInsertUpdateActivateEntity => "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
            InsufficientAccessOnCrossReferenceEntity => {
                "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY"
            }
            UnknownException => "UNKNOWN_EXCEPTION",
        }
    }

    /// The HTTP status Salesforce answers a request that fails with this code alone.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::NotFound | ErrorCode::EntityIsDeleted => StatusCode::NOT_FOUND,
            ErrorCode::InvalidSessionId => StatusCode::UNAUTHORIZED,
            ErrorCode::RequestLimitExceeded => StatusCode::FORBIDDEN,
            ErrorCode::ServerUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::DuplicateExternalId => StatusCode::MULTIPLE_CHOICES,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// One Salesforce error.
///
/// `fields` is `Some` for errors about record values (Salesforce then always sends
/// the `fields` key, possibly empty) and `None` for request-level errors, whose
/// bodies carry only `message` and `errorCode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SfError {
    /// The error code.
    pub code: ErrorCode,
    /// The human-readable message.
    pub message: String,
    /// The fields the error is about, when it is about fields.
    pub fields: Option<Vec<String>>,
}

impl SfError {
    /// A request-level error (no `fields` key).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> SfError {
        SfError {
            code,
            message: message.into(),
            fields: None,
        }
    }

    /// An error about record fields (a `fields` key, possibly empty).
    pub fn on_fields(code: ErrorCode, message: impl Into<String>, fields: Vec<String>) -> SfError {
        SfError {
            code,
            message: message.into(),
            fields: Some(fields),
        }
    }

    /// `NOT_FOUND`, "The requested resource does not exist".
    pub fn not_found() -> SfError {
        SfError::new(ErrorCode::NotFound, "The requested resource does not exist")
    }

    /// `ENTITY_IS_DELETED`, as Salesforce sends it (with an empty `fields`).
    pub fn entity_is_deleted() -> SfError {
        SfError::on_fields(ErrorCode::EntityIsDeleted, "entity is deleted", Vec::new())
    }

    /// `INVALID_SESSION_ID`, "Session expired or invalid".
    pub fn invalid_session() -> SfError {
        SfError::new(ErrorCode::InvalidSessionId, "Session expired or invalid")
    }

    /// The error as an element of a REST error body (`errorCode`).
    pub fn to_json(&self) -> Value {
        let mut body = json!({ "message": self.message, "errorCode": self.code.as_str() });
        if let (Some(fields), Some(map)) = (&self.fields, body.as_object_mut()) {
            map.insert("fields".into(), json!(fields));
        }
        body
    }

    /// The error as an element of a per-record result's `errors` (`statusCode`,
    /// always with `fields`), as sObject Collections send it.
    pub fn to_record_json(&self) -> Value {
        json!({
            "statusCode": self.code.as_str(),
            "message": self.message,
            "fields": self.fields.clone().unwrap_or_default(),
        })
    }
}

/// A failed REST call: a status and a Salesforce error list.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The errors, in the order Salesforce would list them.
    pub errors: Vec<SfError>,
}

impl ApiError {
    /// A single error with the status its code implies.
    pub fn one(error: SfError) -> ApiError {
        ApiError {
            status: error.code.status(),
            errors: vec![error],
        }
    }

    /// Store errors, with the status of the first one's code.
    pub fn from_errors(errors: Vec<SfError>) -> ApiError {
        let status = errors
            .first()
            .map_or(StatusCode::BAD_REQUEST, |e| e.code.status());
        ApiError { status, errors }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        Value::Array(self.errors.iter().map(SfError::to_json).collect())
    }
}

impl From<SfError> for ApiError {
    fn from(error: SfError) -> ApiError {
        ApiError::one(error)
    }
}

impl From<Vec<SfError>> for ApiError {
    fn from(errors: Vec<SfError>) -> ApiError {
        ApiError::from_errors(errors)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}
