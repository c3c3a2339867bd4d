//! `/query` and `/queryAll` with Salesforce's paging.
//!
//! A query runs once; its cursor keeps the matched ids (not the rows), and a
//! later page only reads those records and writes their JSON, straight from the
//! store into the response bytes (no `serde_json::Value` per row). Pages are
//! `batchSize` records (`Sforce-Query-Options: batchSize=N`, clamped to
//! 200–2,000; default 2,000 or the org's configured default; at most 200 when
//! the query selects two or more long text fields, as Salesforce caps them),
//! linked by `nextRecordsUrl: /services/data/vXX.X/query/<locator>-<offset>`.
//!
//! Child subqueries (`SELECT Name, (SELECT Id FROM Contacts) FROM Account`)
//! show at most the org's subquery batch size (200 by default) of children per
//! parent; a longer list gets `done: false` and a `nextRecordsUrl` of its own
//! cursor (over the child ids), served by the same `/query/<locator>-<offset>`
//! route. Aggregate queries answer every `AggregateResult` row at once.
//!
//! Cursors follow [`QueryCursorLimits`]: by default one expires after 15
//! minutes without a page read (the org's clock, so tests move it with
//! `advance_clock`), and opening an 11th cursor for a user releases that
//! user's oldest. Expired, released and unknown locators answer
//! `400 [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}]`.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use crate::auth::{ApiVersion, Caller};
use crate::config::QueryCursorLimits;
use crate::ids::SfId;
use crate::schema::Schema;
use crate::sferror::{ApiError, ErrorCode, SfError};
use crate::soql::{
    self, ChildPages, ChildRelationshipMeta, DataSource, FieldMeta, Matched, Projection,
    RelationshipMeta, SoqlError,
};
use crate::state::AppState;
use crate::store::{RowMeta, StoreSource};

/// Open cursors the org keeps at most, whatever the limits say (the oldest go
/// first): a bound on memory, far above what a test opens.
const MAX_OPEN: usize = 10_000;
/// Salesforce's page-size bounds for `Sforce-Query-Options: batchSize`.
const BATCH_BOUNDS: (usize, usize) = (200, 2000);
/// The page size when two or more long text fields are selected.
const LONG_TEXT_BATCH: usize = 200;
/// Text areas longer than this are long text (or rich text) areas.
const LONG_TEXT_ABOVE: u32 = 255;

#[derive(Debug)]
struct Cursor {
    query: soql::Query,
    ids: Vec<SfId>,
    batch: usize,
    user: u16,
    opened_ms: i64,
    /// When a page was last read from it (ms, the org's clock).
    used_ms: AtomicI64,
}

impl Cursor {
    fn expired(&self, limits: &QueryCursorLimits, now_ms: i64) -> bool {
        let past = |since: i64, limit: Option<std::time::Duration>| {
            limit.is_some_and(|d| {
                now_ms.saturating_sub(since) > i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
            })
        };
        past(self.used_ms.load(Ordering::Relaxed), limits.idle)
            || past(self.opened_ms, limits.lifetime)
    }
}

#[derive(Debug, Default)]
struct CursorsInner {
    next: u64,
    open: HashMap<String, Arc<Cursor>>,
    /// Locators in the order their cursors opened.
    opened: VecDeque<String>,
}

impl CursorsInner {
    fn close(&mut self, locator: &str) {
        self.open.remove(locator);
        self.opened.retain(|l| l != locator);
    }
}

/// The open query cursors. The lock is held only to find, open or drop a
/// cursor, never while a page is read or written.
#[derive(Debug, Default)]
pub struct Cursors {
    inner: Mutex<CursorsInner>,
}

impl Cursors {
    fn lock(&self) -> std::sync::MutexGuard<'_, CursorsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn open(&self, cursor: Cursor, limits: &QueryCursorLimits) -> String {
        let now = cursor.opened_ms;
        let user = cursor.user;
        let mut inner = self.lock();
        let inner = &mut *inner;
        inner.open.retain(|_, c| !c.expired(limits, now));
        let open = &inner.open;
        inner.opened.retain(|l| open.contains_key(l));
        if let Some(max) = limits.per_user {
            let mine: Vec<String> = inner
                .opened
                .iter()
                .filter(|l| inner.open.get(*l).is_some_and(|c| c.user == user))
                .cloned()
                .collect();
            let excess = (mine.len() + 1).saturating_sub(max.max(1));
            for locator in mine.iter().take(excess) {
                inner.close(locator);
            }
        }
        while inner.opened.len() >= MAX_OPEN {
            if let Some(old) = inner.opened.pop_front() {
                inner.open.remove(&old);
            }
        }
        inner.next += 1;
        let locator = SfId::mint(*b"01g", inner.next).to_string();
        inner.open.insert(locator.clone(), Arc::new(cursor));
        inner.opened.push_back(locator.clone());
        locator
    }

    fn get(&self, locator: &str, limits: &QueryCursorLimits, now_ms: i64) -> Option<Arc<Cursor>> {
        let mut inner = self.lock();
        let cursor = inner.open.get(locator).cloned()?;
        if cursor.expired(limits, now_ms) {
            inner.close(locator);
            return None;
        }
        cursor.used_ms.store(now_ms, Ordering::Relaxed);
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
        soql::EXCEEDED_ID_LIMIT => ErrorCode::ExceededIdLimit,
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

/// Whether a describe field is a long text (or rich text) area.
fn is_long_text(field: &crate::schema::FieldMeta) -> bool {
    field.type_name.eq_ignore_ascii_case("textarea") && field.length > LONG_TEXT_ABOVE
}

/// How many long text fields a query selects (through parents too).
fn long_text_fields(schema: &Schema, query: &soql::Query) -> usize {
    let paths = query.select.field_paths();
    let Some(root) = schema.object(query.object()) else {
        return 0;
    };
    paths
        .iter()
        .filter(|path| {
            let mut segments: &[soql::Ident] = &path.segments;
            if segments.len() > 1 {
                let first = &segments[0].text;
                let prefix = query
                    .alias
                    .as_ref()
                    .is_some_and(|a| a.text.eq_ignore_ascii_case(first))
                    || first.eq_ignore_ascii_case(&root.name);
                if prefix {
                    segments = &segments[1..];
                }
            }
            let Some((last, hops)) = segments.split_last() else {
                return false;
            };
            let mut object = root;
            for hop in hops {
                let target = object
                    .relationship(&hop.text)
                    .and_then(|f| f.reference_to.first())
                    .and_then(|t| schema.object(t));
                match target {
                    Some(t) => object = t,
                    None => return false,
                }
            }
            object.field(&last.text).is_some_and(is_long_text)
        })
        .count()
}

/// The page size of a query: asked for, capped at 200 for two or more long text fields.
fn page_size(schema: &Schema, query: &soql::Query, asked: usize) -> usize {
    if long_text_fields(schema, query) >= 2 {
        asked.min(LONG_TEXT_BATCH)
    } else {
        asked
    }
}

/// Writes one page: `totalSize`, `done`, `nextRecordsUrl` (when not done), then
/// `records` (written by `records`).
fn write_page(
    out: &mut Vec<u8>,
    total: usize,
    next: Option<&str>,
    records: impl FnOnce(&mut Vec<u8>),
) {
    out.extend_from_slice(b"{\"totalSize\":");
    out.extend_from_slice(total.to_string().as_bytes());
    out.extend_from_slice(b",\"done\":");
    match next {
        Some(next) => {
            out.extend_from_slice(b"false,\"nextRecordsUrl\":");
            out.extend_from_slice(&serde_json::to_vec(next).unwrap_or_else(|_| b"null".to_vec()));
        }
        None => out.extend_from_slice(b"true"),
    }
    out.extend_from_slice(b",\"records\":");
    records(out);
    out.push(b'}');
}

/// The store as the SOQL engine sees it, with the describes' child
/// relationships for subqueries.
struct OrgSource<'s, 'a>(&'s StoreSource<'a>);

impl<'a> DataSource for OrgSource<'_, 'a> {
    type Record = RowMeta;

    fn object_name(&self, object: &str) -> Option<&str> {
        self.0.object_name(object)
    }

    fn field(&self, object: &str, field: &str) -> Option<FieldMeta> {
        self.0.field(object, field)
    }

    fn relationship(&self, object: &str, relationship_name: &str) -> Option<RelationshipMeta> {
        self.0.relationship(object, relationship_name)
    }

    fn child_relationship(
        &self,
        object: &str,
        relationship_name: &str,
    ) -> Option<ChildRelationshipMeta> {
        let schema = self.0.schema();
        let described = schema.object(object)?.describe.get("childRelationships")?;
        described.as_array()?.iter().find_map(|child| {
            let text = |key: &str| child.get(key).and_then(serde_json::Value::as_str);
            let name = text("relationshipName")?;
            if !name.eq_ignore_ascii_case(relationship_name) {
                return None;
            }
            let child_object = schema.object(text("childSObject")?)?;
            let field = child_object.field(text("field")?)?;
            Some(ChildRelationshipMeta {
                name: name.to_owned(),
                child_object: child_object.name.clone(),
                field: field.name.clone(),
            })
        })
    }

    fn records<'b>(
        &'b self,
        object: &str,
        include_deleted: bool,
    ) -> Box<dyn Iterator<Item = &'b RowMeta> + 'b> {
        self.0.records(object, include_deleted)
    }

    fn value<'b>(&'b self, record: &'b RowMeta, field: &str) -> Option<&'b serde_json::Value> {
        self.0.value(record, field)
    }

    fn by_id<'b>(&'b self, id: &str) -> Option<(&'b str, &'b RowMeta)> {
        self.0.by_id(id)
    }

    fn id<'b>(&'b self, record: &'b RowMeta) -> &'b str {
        self.0.id(record)
    }

    fn slot(&self, object: &str, field: &str) -> Option<usize> {
        self.0.slot(object, field)
    }

    fn write_slot(&self, record: &RowMeta, slot: usize, out: &mut Vec<u8>) -> bool {
        self.0.write_slot(record, slot, out)
    }
}

/// Opens a cursor for each child list longer than the org's subquery batch.
struct Pager<'s> {
    state: &'s AppState,
    version: &'s str,
    user: u16,
}

impl ChildPages for Pager<'_> {
    fn page_size(&self) -> Option<usize> {
        Some(self.state.settings.subquery_batch_size)
    }

    fn open(&self, query: &soql::Query, ids: Vec<String>, shown: usize) -> Option<String> {
        let ids: Vec<SfId> = ids.iter().filter_map(|id| SfId::parse(id)).collect();
        if shown >= ids.len() {
            return None;
        }
        let now = self.state.clock.now_ms();
        let cursor = Cursor {
            query: query.clone(),
            ids,
            batch: self.state.settings.subquery_batch_size,
            user: self.user,
            opened_ms: now,
            used_ms: AtomicI64::new(now),
        };
        let locator = self
            .state
            .cursors
            .open(cursor, &self.state.settings.query_cursors);
        Some(next_url(self.version, &locator, shown))
    }
}

/// Writes the rows of `ids` (skipping records gone since the query ran).
fn write_ids(
    source: &OrgSource<'_, '_>,
    projection: &Projection,
    ids: &[SfId],
    pager: &Pager<'_>,
    out: &mut Vec<u8>,
) {
    let records = ids
        .iter()
        .filter_map(|id| source.by_id(id.as_str()))
        .map(|(_, record)| record);
    projection.write_rows_paged(source, records, pager.version, pager, out);
}

/// Writes the page of an aggregate query: every row, `done: true`.
fn write_aggregate(out: &mut Vec<u8>, rows: &[serde_json::Value]) {
    write_page(out, rows.len(), None, |out| {
        if serde_json::to_writer(&mut *out, rows).is_err() {
            out.extend_from_slice(b"[]");
        }
    });
}

/// A locator's URL.
fn next_url(version: &str, locator: &str, offset: usize) -> String {
    format!("/services/data/v{version}/query/{locator}-{offset}")
}

/// Runs a query and writes its first page (opening a cursor when there are more).
fn first_page(
    state: &AppState,
    text: &str,
    version: &str,
    asked: usize,
    include_deleted: bool,
    user: u16,
) -> Result<Vec<u8>, ApiError> {
    let query = soql::parse(text).map_err(soql_error)?;
    let mut out = Vec::new();
    state.store.with_source(|source| {
        let source = &OrgSource(source);
        if query.is_aggregate() {
            let rows = soql::aggregate(&query, source, include_deleted).map_err(soql_error)?;
            write_aggregate(&mut out, &rows);
            return Ok(());
        }
        let ids: Vec<SfId> =
            match soql::execute(&query, source, include_deleted).map_err(soql_error)? {
                Matched::Count(n) => {
                    write_page(&mut out, n, None, |out| out.extend_from_slice(b"[]"));
                    return Ok::<(), ApiError>(());
                }
                Matched::Records(records) => records.iter().map(|r| r.id).collect(),
            };
        let batch = page_size(source.0.schema(), &query, asked);
        let projection = Projection::new(&query, source).map_err(soql_error)?;
        let total = ids.len();
        let (first, next) = if total > batch {
            let first = ids[..batch].to_vec();
            let now = state.clock.now_ms();
            let cursor = Cursor {
                query: query.clone(),
                ids,
                batch,
                user,
                opened_ms: now,
                used_ms: AtomicI64::new(now),
            };
            let locator = state.cursors.open(cursor, &state.settings.query_cursors);
            (first, Some(next_url(version, &locator, batch)))
        } else {
            (ids, None)
        };
        out.reserve(first.len() * 512);
        let pager = Pager {
            state,
            version,
            user,
        };
        write_page(&mut out, total, next.as_deref(), |out| {
            write_ids(source, &projection, &first, &pager, out);
        });
        Ok(())
    })?;
    Ok(out)
}

fn json_bytes(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn failed() -> Response {
    ApiError::one(SfError::new(
        ErrorCode::UnknownException,
        "query execution failed",
    ))
    .into_response()
}

async fn run(
    state: AppState,
    version: String,
    user: u16,
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
        tokio::task::spawn_blocking(move || first_page(&state, &text, &version, batch, all, user))
            .await;
    match result {
        Ok(Ok(body)) => json_bytes(body),
        Ok(Err(e)) => e.into_response(),
        Err(_) => failed(),
    }
}

/// `GET /query?q=`.
pub async fn query(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    caller: Option<Extension<Caller>>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let user = caller.map_or(0, |Extension(c)| c.user);
    run(state, version, user, params, headers, false).await
}

/// `GET /queryAll?q=` (deleted records included).
pub async fn query_all(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    caller: Option<Extension<Caller>>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let user = caller.map_or(0, |Extension(c)| c.user);
    run(state, version, user, params, headers, true).await
}

fn later_page(
    state: &AppState,
    locator: &str,
    version: &str,
    headers: &HeaderMap,
) -> Result<Vec<u8>, ApiError> {
    let (id, offset) = locator.rsplit_once('-').ok_or_else(invalid_locator)?;
    let offset: usize = offset.parse().map_err(|_| invalid_locator())?;
    let now = state.clock.now_ms();
    let cursor = state
        .cursors
        .get(id, &state.settings.query_cursors, now)
        .ok_or_else(invalid_locator)?;
    if offset >= cursor.ids.len() {
        return Err(invalid_locator());
    }
    let total = cursor.ids.len();
    let mut out = Vec::new();
    state.store.with_source(|source| {
        let source = &OrgSource(source);
        let batch = page_size(
            source.0.schema(),
            &cursor.query,
            batch_size(headers, cursor.batch),
        );
        let end = (offset + batch).min(total);
        let projection = Projection::new(&cursor.query, source).map_err(soql_error)?;
        let next = (end < total).then(|| next_url(version, id, end));
        out.reserve((end - offset) * 512);
        let pager = Pager {
            state,
            version,
            user: cursor.user,
        };
        write_page(&mut out, total, next.as_deref(), |out| {
            write_ids(source, &projection, &cursor.ids[offset..end], &pager, out);
        });
        Ok::<_, ApiError>(())
    })?;
    Ok(out)
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
        Ok(Ok(body)) => json_bytes(body),
        Ok(Err(e)) => e.into_response(),
        Err(_) => failed(),
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
