//! Single-record CRUD: `/sobjects/<X>`, `/sobjects/<X>/<id>`, `/sobjects/<X>/<field>/<value>`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::body;
use crate::auth::{ApiVersion, Caller};
use crate::sferror::{ApiError, ErrorCode, SfError};
use crate::state::AppState;
use crate::store::{Journal, Writer};

/// The writer a request writes with: its caller, and the composite journal if any.
pub(crate) fn writer<'s>(
    state: &'s AppState,
    caller: Caller,
    journal: Option<Extension<Journal>>,
) -> Writer<'s> {
    let writer = state.store.writer().as_user(caller.user);
    match journal {
        Some(Extension(journal)) => writer.with_journal(journal),
        None => writer,
    }
}

fn known_object(state: &AppState, object: &str) -> Result<String, ApiError> {
    state
        .store
        .with_schema(|s| s.object(object).map(|o| o.name.clone()))
        .ok_or_else(|| ApiError::one(SfError::not_found()))
}

/// A `200` with a JSON body written as text (exact decimals keep their digits).
pub(crate) fn json_text(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The `fields` query parameter, split.
fn fields_param(params: &HashMap<String, String>) -> Option<Vec<String>> {
    params.get("fields").map(|f| {
        f.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

/// `POST /sobjects/<X>`: 201 `{id, success, errors}`.
pub async fn create(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    Path((_, object)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let object = known_object(&state, &object)?;
    let record = body::parse_object(&bytes, &object)?;
    let id = writer(&state, caller, journal).insert(&object, &record)?;
    let location = format!("/services/data/v{version}/sobjects/{object}/{id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(json!({ "id": id.as_str(), "success": true, "errors": [] })),
    )
        .into_response())
}

/// `POST /sobjects/<X>/Id`: an upsert on `Id` without a value, which
/// Salesforce (API 37.0+) answers by creating the record, as an upsert that
/// created (`"created": true`). Any other segment is not a resource that takes
/// `POST`.
pub async fn create_through_id(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    Path((_, object, field)): Path<(String, String, String)>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    if !field.eq_ignore_ascii_case("Id") {
        return Err(ApiError::one(SfError::new(
            ErrorCode::MethodNotAllowed,
            "HTTP Method 'POST' not allowed. Allowed are GET,HEAD,PATCH,DELETE",
        )));
    }
    let object = known_object(&state, &object)?;
    let record = body::parse_object(&bytes, &object)?;
    let id = writer(&state, caller, journal).insert(&object, &record)?;
    let location = format!("/services/data/v{version}/sobjects/{object}/{id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(json!({ "id": id.as_str(), "success": true, "errors": [], "created": true })),
    )
        .into_response())
}

/// `GET /sobjects/<X>/<id>[?fields=A,B]`.
pub async fn retrieve(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Path((_, object, id)): Path<(String, String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let object = known_object(&state, &object)?;
    if crate::ids::SfId::parse(&id).is_none() {
        // Salesforce reads a segment that is no id as an external-id field name.
        return Err(ApiError::one(SfError::new(
            ErrorCode::NotFound,
            format!("Provided external ID field does not exist or is not accessible: {id}"),
        )));
    }
    let record = state
        .store
        .get(&object, &id, fields_param(&params).as_deref())?;
    Ok(json_text(record.to_json_text(&version)))
}

/// `PATCH /sobjects/<X>/<id>`: 204.
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    Path((_, object, id)): Path<(String, String, String)>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let object = known_object(&state, &object)?;
    let record = body::parse_object(&bytes, &object)?;
    writer(&state, caller, journal).update(&object, &id, &record)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /sobjects/<X>/<id>`: 204.
pub async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    Path((_, object, id)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let object = known_object(&state, &object)?;
    writer(&state, caller, journal).delete(&object, &id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The one record an external id names, or the response Salesforce gives
/// instead (`404`, or `300` listing the matches).
fn single_match(
    state: &AppState,
    object: &str,
    field: &str,
    value: &str,
    version: &str,
) -> Result<String, Box<Response>> {
    let ids = state
        .store
        .find_by_external_id(object, field, value)
        .map_err(|e| Box::new(ApiError::one(e).into_response()))?;
    match ids.as_slice() {
        [] => Err(Box::new(
            ApiError::one(SfError::not_found()).into_response(),
        )),
        [id] => Ok(id.to_string()),
        many => Err(Box::new(multiple_choices(
            object,
            many.iter().map(|i| i.to_string()),
            version,
        ))),
    }
}

/// `300 Multiple Choices` with the URLs of the matching records.
fn multiple_choices(object: &str, ids: impl Iterator<Item = String>, version: &str) -> Response {
    let urls: Vec<String> = ids
        .map(|id| format!("/services/data/v{version}/sobjects/{object}/{id}"))
        .collect();
    (StatusCode::MULTIPLE_CHOICES, Json(json!(urls))).into_response()
}

/// `GET /sobjects/<X>/<ExternalIdField>/<value>`.
pub async fn retrieve_by_external_id(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Path((_, object, field, value)): Path<(String, String, String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let object = match known_object(&state, &object) {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let id = match single_match(&state, &object, &field, &value, &version) {
        Ok(id) => id,
        Err(response) => return *response,
    };
    match state
        .store
        .get(&object, &id, fields_param(&params).as_deref())
    {
        Ok(record) => json_text(record.to_json_text(&version)),
        Err(errors) => ApiError::from_errors(errors).into_response(),
    }
}

/// Whether this API version answers upserts with a body and `created` (46.0 and later).
fn reports_created(version: &str) -> bool {
    version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .is_some_and(|m| m >= 46)
}

/// `PATCH /sobjects/<X>/<ExternalIdField>/<value>`: 201 created, or 200 updated
/// (`{id, success, errors, created}`; before API 46.0: 201 without `created`, 204).
pub async fn upsert(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    Path((_, object, field, value)): Path<(String, String, String, String)>,
    bytes: Bytes,
) -> Response {
    let object = match known_object(&state, &object) {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let record = match body::parse_object(&bytes, &object) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match writer(&state, caller, journal).upsert(&object, &field, &value, &record) {
        Ok(done) => {
            let mut body = json!({ "id": done.id.as_str(), "success": true, "errors": [] });
            let modern = reports_created(&version);
            if modern {
                body["created"] = Value::Bool(done.created);
            }
            match (done.created, modern) {
                (true, _) => (StatusCode::CREATED, Json(body)).into_response(),
                (false, true) => (StatusCode::OK, Json(body)).into_response(),
                (false, false) => StatusCode::NO_CONTENT.into_response(),
            }
        }
        Err(errors)
            if errors
                .first()
                .is_some_and(|e| e.code == ErrorCode::DuplicateExternalId) =>
        {
            match state.store.find_by_external_id(&object, &field, &value) {
                Ok(ids) => multiple_choices(&object, ids.iter().map(|i| i.to_string()), &version),
                Err(e) => ApiError::one(e).into_response(),
            }
        }
        Err(errors) => ApiError::from_errors(errors).into_response(),
    }
}

/// `DELETE /sobjects/<X>/<ExternalIdField>/<value>`: 204.
pub async fn delete_by_external_id(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    Path((_, object, field, value)): Path<(String, String, String, String)>,
) -> Response {
    let object = match known_object(&state, &object) {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let id = match single_match(&state, &object, &field, &value, &version) {
        Ok(id) => id,
        Err(response) => return *response,
    };
    match writer(&state, caller, journal).delete(&object, &id) {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(errors) => ApiError::from_errors(errors).into_response(),
    }
}
