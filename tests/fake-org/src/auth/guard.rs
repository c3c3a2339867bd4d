//! What every data route checks first: the API version, the session, the allocation.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::sferror::{ApiError, ErrorCode, SfError};
use crate::state::AppState;

/// The API version of a data request, without the `v` (`"59.0"`), as a request
/// extension set by the guards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersion(pub String);

/// The version segment of `/services/data/vXX.X/...`.
fn version_of(path: &str) -> Option<&str> {
    path.strip_prefix("/services/data/v")?.split('/').next()
}

/// The token of `Authorization: Bearer <token>` (or Salesforce's older `OAuth <token>`).
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth"))
        .then(|| token.trim())
}

/// Sets [`ApiVersion`] on a request for a served version; otherwise returns the
/// `404 NOT_FOUND` to answer with.
fn check_version(state: &AppState, request: &mut Request) -> Option<Response> {
    let version = version_of(request.uri().path()).map(str::to_owned);
    match version {
        Some(v) if state.settings.api_versions.contains(&v) => {
            request.extensions_mut().insert(ApiVersion(v));
            None
        }
        _ => Some(ApiError::one(SfError::not_found()).into_response()),
    }
}

/// Checks only the API version (composite subrequests, already authenticated).
pub async fn version_guard(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(response) = check_version(&state, &mut request) {
        return response;
    }
    next.run(request).await
}

/// `401 INVALID_SESSION_ID`, as Salesforce answers a missing, unknown, revoked
/// or expired token.
pub(crate) fn invalid_session() -> Response {
    let mut response = ApiError::one(SfError::invalid_session()).into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Token"));
    response
}

/// Checks the API version, the session (`Authorization: Bearer`) and the daily
/// allocation, then counts the request against it.
pub async fn data_guard(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(response) = check_version(&state, &mut request) {
        return response;
    }
    let now = state.clock.now_ms();
    let caller = match bearer(request.headers()).map(|t| state.sessions.check(t, now)) {
        Some(Ok(caller)) => caller,
        _ => return invalid_session(),
    };
    if !state.usage.try_consume() {
        return ApiError::one(SfError::new(
            ErrorCode::RequestLimitExceeded,
            "TotalRequests Limit exceeded.",
        ))
        .into_response();
    }
    state.observer.count_api_call();
    request.extensions_mut().insert(caller);
    next.run(request).await
}
