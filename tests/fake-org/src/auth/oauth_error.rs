//! OAuth errors in Salesforce's shape: `{"error": ..., "error_description": ...}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An OAuth endpoint's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// HTTP status (400, or 401 for `invalid_client`).
    pub status: StatusCode,
    /// The `error` code.
    pub error: &'static str,
    /// The `error_description`.
    pub description: String,
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<String>) -> OAuthError {
        let status = if error == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        OAuthError {
            status,
            error,
            description: description.into(),
        }
    }

    /// `invalid_grant` with a description.
    pub fn invalid_grant(description: &str) -> OAuthError {
        OAuthError::new("invalid_grant", description)
    }

    /// `invalid_client_id`: "client identifier invalid".
    pub fn invalid_client_id() -> OAuthError {
        OAuthError::new("invalid_client_id", "client identifier invalid")
    }

    /// `invalid_client`: "invalid client credentials" (HTTP 401).
    pub fn invalid_client() -> OAuthError {
        OAuthError::new("invalid_client", "invalid client credentials")
    }

    /// `redirect_uri_mismatch`: "redirect_uri must match configuration".
    pub fn redirect_uri_mismatch() -> OAuthError {
        OAuthError::new(
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        )
    }

    /// `unsupported_grant_type`: "grant type not supported".
    pub fn unsupported_grant_type() -> OAuthError {
        OAuthError::new("unsupported_grant_type", "grant type not supported")
    }

    /// `invalid_request` with a description.
    pub fn invalid_request(description: &str) -> OAuthError {
        OAuthError::new("invalid_request", description)
    }

    /// `unsupported_response_type`: "response type not supported".
    pub fn unsupported_response_type() -> OAuthError {
        OAuthError::new("unsupported_response_type", "response type not supported")
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "error_description": self.description });
        (self.status, axum::Json(body)).into_response()
    }
}
