//! `/query` and `/queryAll` with Salesforce's paging.
//!
//! A query runs once; its cursor keeps the matched ids (not the rows) and each
//! page is projected when asked for. Pages are `batchSize` records
//! (`Sforce-Query-Options: batchSize=N`, clamped to 200–2,000; default 2,000 or
//! the org's configured default), linked by
//! `nextRecordsUrl: /services/data/vXX.X/query/<locator>-<offset>`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use crate::auth::ApiVersion;
use crate::ids::SfId;
use crate::sferror::{ApiError, ErrorCode, SfError};
use crate::soql::{self, DataSource, Matched, Projection, SoqlError};
use crate::state::AppState;
use crate::store::StoreSource;

/// Open cursors kept at once; the least recently used goes first.
const MAX_CURSORS: usize = 64;
/// Salesforce's page-size bounds for `Sforce-Query-Options: batchSize`.
const BATCH_BOUNDS: (usize, usize) = (200, 2000);

#[derive(Debug, Clone)]
struct Cursor {
    query: soql::Query,
    ids: Vec<SfId>,
    batch: usize,
}

#[derive(Debug, Default)]
struct CursorsInner {
    next: u64,
    open: HashMap<String, Arc<Cursor>>,
    recent: VecDeque<String>,
}

/// The open query cursors.
#[derive(Debug, Default)]
pub struct Cursors {
    inner: Mutex<CursorsInner>,
}

impl Cursors {
    fn lock(&self) -> std::sync::MutexGuard<'_, CursorsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn open(&self, cursor: Cursor) -> String {
        let mut inner = self.lock();
        inner.next += 1;
        let locator = SfId::mint(*b"01g", inner.next).to_string();
        inner.open.insert(locator.clone(), Arc::new(cursor));
        inner.recent.push_back(locator.clone());
        while inner.recent.len() > MAX_CURSORS {
            if let Some(old) = inner.recent.pop_front() {
                inner.open.remove(&old);
            }
        }
        locator
    }

    fn get(&self, locator: &str) -> Option<Arc<Cursor>> {
        let mut inner = self.lock();
        let cursor = inner.open.get(locator).cloned()?;
        inner.recent.retain(|l| l != locator);
        inner.recent.push_back(locator.to_owned());
        Some(cursor)
    }

    /// Number of open cursors.
    pub fn open_count(&self) -> usize {
        self.lock().open.len()
    }
}

fn soql_error(e: SoqlError) -> ApiError {
    let code = match e.error_code {
        soql::INVALID_FIELD => ErrorCode::InvalidField,
        soql::INVALID_TYPE => ErrorCode::InvalidType,
        soql::INVALID_QUERY_FILTER_OPERATOR => ErrorCode::InvalidQueryFilterOperator,
        soql::NUMBER_OUTSIDE_VALID_RANGE => ErrorCode::NumberOutsideValidRange,
        _ => ErrorCode::MalformedQuery,
    };
    ApiError {
        status: StatusCode::BAD_REQUEST,
        errors: vec![SfError::new(code, e.message)],
    }
}

fn invalid_locator() -> ApiError {
    ApiError::one(SfError::new(
        ErrorCode::InvalidQueryLocator,
        "invalid query locator",
    ))
}

/// The page size a request asks for.
fn batch_size(headers: &HeaderMap, default: usize) -> usize {
    headers
        .get("sforce-query-options")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',').find_map(|part| {
                let (key, value) = part.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("batchSize")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
        })
        .map_or(default, |n| n.clamp(BATCH_BOUNDS.0, BATCH_BOUNDS.1))
}

/// One page: `totalSize`, `done`, `nextRecordsUrl` (when not done), `records`.
fn page(total: usize, records: Vec<Value>, next: Option<String>) -> Value {
    let mut out = Map::new();
    out.insert("totalSize".into(), json!(total));
    out.insert("done".into(), json!(next.is_none()));
    if let Some(next) = next {
        out.insert("nextRecordsUrl".into(), json!(next));
    }
    out.insert("records".into(), Value::Array(records));
    Value::Object(out)
}

fn project_ids(
    source: &StoreSource<'_>,
    query: &soql::Query,
    ids: &[SfId],
    version: &str,
) -> Result<Vec<Value>, ApiError> {
    let projection = Projection::new(query, source).map_err(soql_error)?;
    Ok(ids
        .iter()
        .filter_map(|id| source.by_id(id.as_str()))
        .map(|(_, record)| projection.row(source, record, version))
        .collect())
}

/// Runs a query and returns its first page.
fn first_page(
    state: &AppState,
    text: &str,
    version: &str,
    batch: usize,
    include_deleted: bool,
) -> Result<Value, ApiError> {
    let query = soql::parse(text).map_err(soql_error)?;
    let matched: Result<(usize, Vec<SfId>), ApiError> = state.store.with_source(|source| {
        match soql::execute(&query, source, include_deleted).map_err(soql_error)? {
            Matched::Count(n) => Ok((n, Vec::new())),
            Matched::Records(records) => {
                Ok((records.len(), records.iter().map(|r| r.id).collect()))
            }
        }
    });
    let (total, ids) = matched?;
    if query.is_count() {
        return Ok(page(total, Vec::new(), None));
    }
    let first: Vec<SfId> = ids.iter().take(batch).copied().collect();
    let records = state
        .store
        .with_source(|source| project_ids(source, &query, &first, version))?;
    let next = (total > batch).then(|| {
        let locator = state.cursors.open(Cursor { query, ids, batch });
        format!("/services/data/v{version}/query/{locator}-{batch}")
    });
    Ok(page(total, records, next))
}

async fn run(
    state: AppState,
    version: String,
    params: HashMap<String, String>,
    headers: HeaderMap,
    all: bool,
) -> Response {
    let Some(text) = params.get("q").cloned() else {
        return ApiError::one(SfError::new(
            ErrorCode::MalformedQuery,
            "A query string has to be specified",
        ))
        .into_response();
    };
    let batch = batch_size(&headers, state.settings.default_batch_size);
    let result =
        tokio::task::spawn_blocking(move || first_page(&state, &text, &version, batch, all)).await;
    match result {
        Ok(Ok(body)) => Json(body).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ApiError::one(SfError::new(
            ErrorCode::UnknownException,
            "query execution failed",
        ))
        .into_response(),
    }
}

/// `GET /query?q=`.
pub async fn query(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    run(state, version, params, headers, false).await
}

/// `GET /queryAll?q=` (deleted records included).
pub async fn query_all(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    run(state, version, params, headers, true).await
}

fn later_page(
    state: &AppState,
    locator: &str,
    version: &str,
    headers: &HeaderMap,
) -> Result<Value, ApiError> {
    let (id, offset) = locator.rsplit_once('-').ok_or_else(invalid_locator)?;
    let offset: usize = offset.parse().map_err(|_| invalid_locator())?;
    let cursor = state.cursors.get(id).ok_or_else(invalid_locator)?;
    if offset >= cursor.ids.len() {
        return Err(invalid_locator());
    }
    let batch = batch_size(headers, cursor.batch);
    let end = (offset + batch).min(cursor.ids.len());
    let records = state.store.with_source(|source| {
        project_ids(source, &cursor.query, &cursor.ids[offset..end], version)
    })?;
    let next =
        (end < cursor.ids.len()).then(|| format!("/services/data/v{version}/query/{id}-{end}"));
    Ok(page(cursor.ids.len(), records, next))
}

/// `GET /query/<locator>-<offset>`: a later page.
pub async fn next_page(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Path((_, locator)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let result =
        tokio::task::spawn_blocking(move || later_page(&state, &locator, &version, &headers)).await;
    match result {
        Ok(Ok(body)) => Json(body).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ApiError::one(SfError::new(
            ErrorCode::UnknownException,
            "query execution failed",
        ))
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn batch_size_clamps_like_salesforce() {
        let mut headers = HeaderMap::new();
        assert_eq!(batch_size(&headers, 2000), 2000);
        for (asked, got) in [
            ("batchSize=500", 500),
            ("batchSize=5", 200),
            ("batchSize=99999", 2000),
        ] {
            headers.insert("sforce-query-options", HeaderValue::from_static(asked));
            assert_eq!(batch_size(&headers, 2000), got, "{asked}");
        }
    }
}
