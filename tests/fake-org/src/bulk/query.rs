//! Query jobs: create, run in the background, and serve CSV result pages
//! (`maxRecords` rows each, `Sforce-Locator` naming the next, `null` after the last).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use super::{
    job_list, lock, new_meta, requested_state, BulkError, CsvFormat, JobMeta, JobState, Jobs,
    SharedJobs,
};
use crate::auth::{ApiVersion, Caller};
use crate::ids::SfId;
use crate::schema::{FieldType, Schema};
use crate::soql::{self, DataSource, Matched, Projection, SoqlError};
use crate::state::AppState;

/// Rows per result page when the request gives no `maxRecords`.
pub const DEFAULT_MAX_RECORDS: usize = 100_000;

/// Salesforce's refusal of compound fields in Bulk queries.
const COMPOUND_REFUSED: &str = "Selecting compound data not supported in Bulk Query";

/// One CSV column of the results: its header and the path to its value.
#[derive(Debug, Clone)]
struct OutColumn {
    header: String,
    path: Vec<String>,
}

/// A query job.
#[derive(Debug)]
pub(crate) struct QueryJob {
    meta: JobMeta,
    query: soql::Query,
    include_deleted: bool,
    columns: Vec<OutColumn>,
    ids: Arc<Vec<SfId>>,
    error: Option<String>,
    started_ms: Option<i64>,
    finished_ms: Option<i64>,
}

impl QueryJob {
    fn info(&self) -> Value {
        let mut out = self.meta.json();
        let time = match (self.started_ms, self.finished_ms) {
            (Some(start), Some(end)) => end.saturating_sub(start),
            _ => 0,
        };
        out.insert("jobType".into(), json!("V2Query"));
        out.insert("lineEnding".into(), json!(self.meta.format.line_ending.0));
        out.insert(
            "columnDelimiter".into(),
            json!(self.meta.format.delimiter.0),
        );
        out.insert("numberRecordsProcessed".into(), json!(self.ids.len()));
        out.insert("retries".into(), json!(0));
        out.insert("totalProcessingTime".into(), json!(time));
        if let Some(error) = &self.error {
            out.insert("errorMessage".into(), json!(error));
        }
        Value::Object(out)
    }

    fn short_info(&self) -> Value {
        let mut out = self.meta.json();
        out.insert("lineEnding".into(), json!(self.meta.format.line_ending.0));
        out.insert(
            "columnDelimiter".into(),
            json!(self.meta.format.delimiter.0),
        );
        Value::Object(out)
    }
}

fn find(jobs: &Jobs, id: &str) -> Result<Arc<Mutex<QueryJob>>, BulkError> {
    lock(&jobs.query)
        .get(id)
        .cloned()
        .ok_or_else(|| BulkError::no_job(id))
}

fn respond(result: Result<Response, BulkError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

fn soql_error(e: SoqlError) -> BulkError {
    BulkError::bad(e.error_code, e.message)
}

/// Whether a selected path ends on a compound (address or location) field.
fn is_compound(schema: &Schema, object: &str, path: &[String]) -> bool {
    let mut current = schema.object(object);
    for (i, segment) in path.iter().enumerate() {
        let Some(described) = current else {
            return false;
        };
        if i + 1 == path.len() {
            return described
                .field(segment)
                .is_some_and(|f| f.field_type == FieldType::Compound);
        }
        match described.relationship(segment) {
            // Polymorphic relationships reach the `Name` entity, which has no compounds.
            Some(r) if r.reference_to.len() == 1 => current = schema.object(&r.reference_to[0]),
            _ => return false,
        }
    }
    false
}

/// The result columns of a query: each selected path, without a leading object
/// name or alias, as written.
fn out_columns(query: &soql::Query, object: &str) -> Vec<OutColumn> {
    let soql::Select::Fields(fields) = &query.select else {
        return Vec::new();
    };
    let alias = query.alias.as_ref().map(|a| a.text.as_str());
    fields
        .iter()
        .map(|f| {
            let mut path: Vec<String> = f.segments.iter().map(|s| s.text.clone()).collect();
            let first = path.first().map(String::as_str).unwrap_or_default();
            let prefixed = first.eq_ignore_ascii_case(object)
                || alias.is_some_and(|a| a.eq_ignore_ascii_case(first));
            if path.len() > 1 && prefixed {
                path.remove(0);
            }
            OutColumn {
                header: path.join("."),
                path,
            }
        })
        .collect()
}

/// `POST /jobs/query`.
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(jobs): SharedJobs,
    Extension(caller): Extension<Caller>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    body: Bytes,
) -> Response {
    respond((|| {
        let request = match crate::api::body::parse(&body).map_err(BulkError::from)? {
            Value::Object(map) => map,
            _ => {
                return Err(BulkError::bad(
                    "INVALIDJOB",
                    "The request body must be a JSON object",
                ))
            }
        };
        let operation = request
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let include_deleted = match operation.as_str() {
            "query" => false,
            "queryAll" => true,
            other => {
                return Err(BulkError::bad(
                    "INVALIDJOB",
                    format!("Invalid operation: {other}"),
                ))
            }
        };
        let text = request
            .get("query")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let format = CsvFormat::from_request(&request)?;
        let query = soql::parse(text).map_err(soql_error)?;
        if query.is_count() {
            return Err(BulkError::bad(
                "INVALIDJOB",
                "Aggregate queries (COUNT()) are not supported by Bulk API 2.0 query",
            ));
        }
        if query.offset.is_some() {
            return Err(BulkError::bad(
                "INVALIDJOB",
                "OFFSET is not supported by Bulk API 2.0 query",
            ));
        }
        let object = state.store.with_source(|source| {
            Projection::new(&query, source).map_err(soql_error)?;
            source
                .object_name(query.object())
                .map(str::to_owned)
                .ok_or_else(|| {
                    BulkError::bad(
                        "INVALID_TYPE",
                        format!("sObject type '{}' is not supported", query.object()),
                    )
                })
        })?;
        let columns = out_columns(&query, &object);
        if state.store.with_schema(|schema| {
            columns
                .iter()
                .any(|c| is_compound(schema, &object, &c.path))
        }) {
            return Err(BulkError::bad(
                "FUNCTIONALITY_NOT_ENABLED",
                COMPOUND_REFUSED,
            ));
        }
        let mut meta = new_meta(&jobs, &state, caller, &version, &operation, &object, format);
        meta.state = JobState::UploadComplete;
        let id = meta.id.clone();
        let job = QueryJob {
            meta,
            query,
            include_deleted,
            columns,
            ids: Arc::new(Vec::new()),
            error: None,
            started_ms: None,
            finished_ms: None,
        };
        let out = job.short_info();
        let shared = Arc::new(Mutex::new(job));
        lock(&jobs.query).insert(id, shared.clone());
        spawn_processing(state.clone(), shared);
        Ok(Json(out).into_response())
    })())
}

/// Runs the query in the background: `InProgress` after half the delay,
/// `JobComplete` (or `Failed`) after the other half.
fn spawn_processing(state: AppState, job: Arc<Mutex<QueryJob>>) {
    tokio::spawn(async move {
        let half = state.settings.bulk_processing_delay / 2;
        tokio::time::sleep(half).await;
        let (query, include_deleted) = {
            let mut job = lock(&job);
            if job.meta.state != JobState::UploadComplete {
                return;
            }
            let now = state.clock.now_ms();
            job.meta.set_state(JobState::InProgress, now);
            job.started_ms = Some(now);
            (job.query.clone(), job.include_deleted)
        };
        let store = state.store.clone();
        let matched = tokio::task::spawn_blocking(move || {
            store.with_source(
                |source| match soql::execute(&query, source, include_deleted) {
                    Ok(Matched::Records(records)) => {
                        Ok(records.iter().map(|r| r.id).collect::<Vec<SfId>>())
                    }
                    Ok(Matched::Count(_)) => Ok(Vec::new()),
                    Err(e) => Err(e.message),
                },
            )
        })
        .await
        .unwrap_or_else(|_| Err("internal error".into()));
        tokio::time::sleep(half).await;
        let mut job = lock(&job);
        let now = state.clock.now_ms();
        job.finished_ms = Some(now);
        let next = match matched {
            Ok(ids) => {
                job.ids = Arc::new(ids);
                JobState::JobComplete
            }
            Err(message) => {
                job.error = Some(message);
                JobState::Failed
            }
        };
        if job.meta.state == JobState::InProgress {
            job.meta.set_state(next, now);
        }
    });
}

/// `GET /jobs/query/<id>`.
pub(crate) async fn info(
    Extension(jobs): SharedJobs,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(find(&jobs, &id).map(|job| Json(lock(&job).info()).into_response()))
}

/// `GET /jobs/query`.
pub(crate) async fn list(Extension(jobs): SharedJobs) -> Response {
    let all: Vec<Arc<Mutex<QueryJob>>> = lock(&jobs.query).values().cloned().collect();
    job_list(all.iter().map(|j| lock(j).short_info()).collect())
}

/// `PATCH /jobs/query/<id>`: abort.
pub(crate) async fn set_state(
    State(state): State<AppState>,
    Extension(jobs): SharedJobs,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    respond((|| {
        let wanted = requested_state(&body)?;
        let job = find(&jobs, &id)?;
        let mut job = lock(&job);
        match (wanted.as_str(), job.meta.state) {
            ("Aborted", current) if !current.is_final() => {
                job.meta.set_state(JobState::Aborted, state.clock.now_ms())
            }
            (wanted, current) => return Err(BulkError::bad_transition(&id, current, wanted)),
        }
        Ok(Json(job.short_info()).into_response())
    })())
}

/// `DELETE /jobs/query/<id>`.
pub(crate) async fn remove(
    Extension(jobs): SharedJobs,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond((|| {
        let job = find(&jobs, &id)?;
        let state = lock(&job).meta.state;
        if !state.is_final() {
            return Err(BulkError::bad(
                "INVALIDJOBSTATE",
                format!("Job {id} is {}: it cannot be deleted yet", state.as_str()),
            ));
        }
        lock(&jobs.query).remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}

/// A locator: the offset of the next page, base64-encoded as Salesforce's are.
fn locator(offset: usize) -> String {
    STANDARD_NO_PAD.encode(offset.to_string())
}

fn offset_of(locator: &str) -> Option<usize> {
    let bytes = STANDARD_NO_PAD.decode(locator.trim_end_matches('=')).ok()?;
    String::from_utf8(bytes).ok()?.parse().ok()
}

/// A JSON value as a Bulk query CSV cell (null is empty).
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    }
}

/// The value at a path in a projected row, names matched exactly or else
/// case-insensitively (the query may spell them differently).
fn at<'a>(row: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(row, |value, segment| {
        let object = value.as_object()?;
        object.get(segment).or_else(|| {
            object
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(segment))
                .map(|(_, v)| v)
        })
    })
}

/// One page of results as CSV.
fn page_csv(
    state: &AppState,
    query: &soql::Query,
    columns: &[OutColumn],
    ids: &[SfId],
    format: CsvFormat,
    version: &str,
) -> Result<Vec<u8>, BulkError> {
    let mut writer = format.writer();
    let csv_error = |e: csv::Error| BulkError::bad("API_ERROR", e.to_string());
    writer
        .write_record(columns.iter().map(|c| c.header.as_str()))
        .map_err(csv_error)?;
    state.store.with_source(|source| {
        let projection = Projection::new(query, source).map_err(soql_error)?;
        for id in ids {
            let Some((_, record)) = source.by_id(id.as_str()) else {
                continue;
            };
            let row = projection.row(source, record, version);
            writer
                .write_record(columns.iter().map(|c| {
                    let value = at(&row, &c.path);
                    // The row holds exact decimals as f64s: a field of the
                    // record itself is written from its stored digits.
                    let exact = match (value, c.path.as_slice()) {
                        (Some(Value::Number(_)), [field]) => source.exact_number(record, field),
                        _ => None,
                    };
                    exact.unwrap_or_else(|| cell(value))
                }))
                .map_err(csv_error)?;
        }
        Ok::<(), BulkError>(())
    })?;
    writer
        .into_inner()
        .map_err(|e| BulkError::bad("API_ERROR", e.to_string()))
}

/// `GET /jobs/query/<id>/results?locator=&maxRecords=`.
pub(crate) async fn results(
    State(state): State<AppState>,
    Extension(jobs): SharedJobs,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Path((_, id)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let prepared = (|| {
        let job = find(&jobs, &id)?;
        let job = lock(&job);
        if job.meta.state != JobState::JobComplete {
            return Err(BulkError::bad(
                "INVALIDJOBSTATE",
                format!(
                    "Job {id} is {}: results are ready once it is JobComplete",
                    job.meta.state.as_str()
                ),
            ));
        }
        let offset = match params.get("locator").map(String::as_str) {
            None | Some("") => 0,
            Some(l) => offset_of(l)
                .filter(|o| *o <= job.ids.len())
                .ok_or_else(|| {
                    BulkError::bad("INVALID_QUERY_LOCATOR", format!("Invalid locator: {l}"))
                })?,
        };
        let max =
            match params.get("maxRecords") {
                None => DEFAULT_MAX_RECORDS,
                Some(m) => m.parse::<usize>().ok().filter(|m| *m > 0).ok_or_else(|| {
                    BulkError::bad("INVALIDJOB", format!("Invalid maxRecords: {m}"))
                })?,
            };
        let end = offset.saturating_add(max).min(job.ids.len());
        let next = if end < job.ids.len() {
            locator(end)
        } else {
            "null".to_owned()
        };
        Ok((
            job.query.clone(),
            job.columns.clone(),
            job.ids.clone(),
            offset,
            end,
            next,
            job.meta.format,
        ))
    })();
    let (query, columns, ids, offset, end, next, format) = match prepared {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let rendered = tokio::task::spawn_blocking(move || {
        page_csv(
            &state,
            &query,
            &columns,
            &ids[offset..end],
            format,
            &version,
        )
    })
    .await
    .unwrap_or_else(|_| Err(BulkError::bad("API_ERROR", "internal error")));
    match rendered {
        Ok(csv) => {
            let mut response = csv.into_response();
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/csv"));
            if let Ok(v) = HeaderValue::from_str(&next) {
                headers.insert(HeaderName::from_static("sforce-locator"), v);
            }
            headers.insert(
                HeaderName::from_static("sforce-numberofrecords"),
                HeaderValue::from(end - offset),
            );
            response
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locators_are_base64_offsets() {
        assert_eq!(locator(10000), "MTAwMDA");
        assert_eq!(offset_of("MTAwMDA"), Some(10000));
        assert_eq!(offset_of("not a locator!"), None);
    }

    #[test]
    fn cells_follow_paths_case_insensitively() {
        let row = json!({"attributes": {}, "Name": "Acme", "Owner": {"Email": "a@b.c"}, "N": 2.5, "B": true, "X": null});
        let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(cell(at(&row, &path(&["name"]))), "Acme");
        assert_eq!(cell(at(&row, &path(&["Owner", "email"]))), "a@b.c");
        assert_eq!(cell(at(&row, &path(&["N"]))), "2.5");
        assert_eq!(cell(at(&row, &path(&["B"]))), "true");
        assert_eq!(cell(at(&row, &path(&["X"]))), "");
        assert_eq!(cell(at(&row, &path(&["Missing", "Name"]))), "");
    }
}
