//! Bulk API 2.0: ingest jobs (`/jobs/ingest`) and query jobs (`/jobs/query`).
//!
//! Jobs run asynchronously, as on Salesforce: a closed ingest job (or a new
//! query job) is `UploadComplete`, becomes `InProgress` after half the org's
//! Bulk processing delay ([`crate::FakeOrgBuilder::bulk_processing_delay`]),
//! and `JobComplete` after the other half, so clients must poll. Records go
//! through the [`crate::store::Store`] like every other write (same validation,
//! same errors) and queries through the [`crate::soql`] engine.
//!
//! What the org checks, as Salesforce does:
//! - one CSV upload per job: a second `PUT` is accepted, but closing the job
//!   then fails with `INVALIDJOB` "Found multipe contents for job" (Salesforce's
//!   own spelling);
//! - uploads over [`MAX_UPLOAD_BYTES`] are refused;
//! - an unknown CSV column fails the whole job (`InvalidBatch : Field name not
//!   found`), its rows left unprocessed;
//! - `#N/A` clears a field, an empty cell leaves it unset;
//! - Bulk queries refuse compound fields ("Selecting compound data not supported
//!   in Bulk Query"), `COUNT()` and `OFFSET`.
//!
//! `hardDelete` deletes like `delete` (the store has no recycle bin to bypass).
//! Jobs belong to the org's router: a job made through a Composite subrequest
//! is not visible to later requests.
//!
//! Not from a recording (Salesforce's exact text unknown): the codes and messages
//! for an oversized upload, a bad state change, an unknown job, results asked of
//! an unfinished job, and a `COUNT()`/`OFFSET` Bulk query.

mod ingest;
mod query;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde_json::{json, Map, Value};

use crate::api::DATA;
use crate::auth::Caller;
use crate::ids::SfId;
use crate::state::AppState;

/// The largest CSV upload accepted (100 MB; Salesforce's limit is 150 MB after
/// base64 encoding, which it tells clients to read as 100 MB of data).
pub const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;

/// The Bulk API 2.0 routes, under `/services/data/vXX.X/jobs/…`.
pub(crate) fn routes() -> Router<AppState> {
    let jobs = Arc::new(Jobs::default());
    let path = |p: &str| format!("{DATA}/jobs/{p}");
    // One route per resource: `crate::edge` drops trailing slashes first.
    let results = |resource: &str| path(&format!("ingest/{{job}}/{resource}"));
    Router::new()
        .route(&path("ingest"), post(ingest::create).get(ingest::list))
        .route(
            &path("ingest/{job}"),
            get(ingest::info)
                .patch(ingest::set_state)
                .delete(ingest::remove),
        )
        .route(
            &path("ingest/{job}/batches"),
            put(ingest::upload).layer(DefaultBodyLimit::disable()),
        )
        .route(&results("successfulResults"), get(ingest::successful))
        .route(&results("failedResults"), get(ingest::failed))
        .route(&results("unprocessedrecords"), get(ingest::unprocessed))
        .route(&path("query"), post(query::create).get(query::list))
        .route(
            &path("query/{job}"),
            get(query::info)
                .patch(query::set_state)
                .delete(query::remove),
        )
        .route(&path("query/{job}/results"), get(query::results))
        .layer(Extension(jobs))
}

/// A Bulk API error body: `[{"errorCode", "message"}]` with a status.
#[derive(Debug, Clone)]
pub(crate) struct BulkError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl BulkError {
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> BulkError {
        BulkError {
            status,
            code,
            message: message.into(),
        }
    }

    /// `400` with a code.
    pub(crate) fn bad(code: &'static str, message: impl Into<String>) -> BulkError {
        BulkError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// `400 INVALIDJOBSTATE`: job `id` cannot go from `current` to `wanted`.
    pub(crate) fn bad_transition(id: &str, current: JobState, wanted: &str) -> BulkError {
        BulkError::bad(
            "INVALIDJOBSTATE",
            format!(
                "Cannot change the state of job {id} from {} to {wanted}",
                current.as_str()
            ),
        )
    }

    pub(crate) fn no_job(id: &str) -> BulkError {
        BulkError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("Job with id {id} not found"),
        )
    }
}

impl IntoResponse for BulkError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!([{ "errorCode": self.code, "message": self.message }])),
        )
            .into_response()
    }
}

impl From<crate::sferror::ApiError> for BulkError {
    fn from(e: crate::sferror::ApiError) -> BulkError {
        let first = e.errors.first();
        BulkError {
            status: e.status,
            code: first.map_or("API_ERROR", |f| f.code.as_str()),
            message: first.map(|f| f.message.clone()).unwrap_or_default(),
        }
    }
}

/// Salesforce's date-time format, `2019-06-27T19:21:14.000+0000`.
pub(crate) fn format_datetime(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3f+0000")
        .to_string()
}

/// A job's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobState {
    Open,
    UploadComplete,
    InProgress,
    JobComplete,
    Failed,
    Aborted,
}

impl JobState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            JobState::Open => "Open",
            JobState::UploadComplete => "UploadComplete",
            JobState::InProgress => "InProgress",
            JobState::JobComplete => "JobComplete",
            JobState::Failed => "Failed",
            JobState::Aborted => "Aborted",
        }
    }

    pub(crate) fn is_final(self) -> bool {
        matches!(
            self,
            JobState::JobComplete | JobState::Failed | JobState::Aborted
        )
    }
}

/// `columnDelimiter` values and their bytes.
const DELIMITERS: &[(&str, u8)] = &[
    ("COMMA", b','),
    ("TAB", b'\t'),
    ("PIPE", b'|'),
    ("SEMICOLON", b';'),
    ("CARET", b'^'),
    ("BACKQUOTE", b'`'),
];

/// `lineEnding` values and their terminators.
const LINE_ENDINGS: &[(&str, &[u8])] = &[("LF", b"\n"), ("CRLF", b"\r\n")];

/// How a job's CSV is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CsvFormat {
    pub(crate) delimiter: (&'static str, u8),
    pub(crate) line_ending: (&'static str, &'static [u8]),
}

impl CsvFormat {
    /// Reads `columnDelimiter` and `lineEnding` from a job request (defaults
    /// `COMMA` and `LF`).
    pub(crate) fn from_request(body: &Map<String, Value>) -> Result<CsvFormat, BulkError> {
        let pick = |key: &str, default: &str| {
            body.get(key)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_owned()
        };
        let delimiter = pick("columnDelimiter", "COMMA");
        let line_ending = pick("lineEnding", "LF");
        let delimiter = DELIMITERS
            .iter()
            .find(|(name, _)| *name == delimiter)
            .copied()
            .ok_or_else(|| {
                BulkError::bad(
                    "INVALIDJOB",
                    format!("Invalid column delimiter: {delimiter}"),
                )
            })?;
        let line_ending = LINE_ENDINGS
            .iter()
            .find(|(name, _)| *name == line_ending)
            .copied()
            .ok_or_else(|| {
                BulkError::bad("INVALIDJOB", format!("Invalid line ending: {line_ending}"))
            })?;
        if let Some(content_type) = body.get("contentType").and_then(Value::as_str) {
            if content_type != "CSV" {
                return Err(BulkError::bad(
                    "INVALIDJOB",
                    format!("Invalid content type: {content_type}"),
                ));
            }
        }
        Ok(CsvFormat {
            delimiter,
            line_ending,
        })
    }

    /// A CSV writer in this format (every cell quoted, as Salesforce writes results).
    pub(crate) fn writer(&self) -> csv::Writer<Vec<u8>> {
        let terminator = match self.line_ending.1 {
            b"\r\n" => csv::Terminator::CRLF,
            _ => csv::Terminator::Any(b'\n'),
        };
        csv::WriterBuilder::new()
            .delimiter(self.delimiter.1)
            .terminator(terminator)
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(Vec::new())
    }

    /// A CSV reader in this format.
    pub(crate) fn reader<'a>(&self, data: &'a [u8]) -> csv::Reader<&'a [u8]> {
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter.1)
            .flexible(true)
            .from_reader(data)
    }
}

/// What every job has.
#[derive(Debug, Clone)]
pub(crate) struct JobMeta {
    pub(crate) id: String,
    pub(crate) operation: String,
    pub(crate) object: String,
    pub(crate) created_by: String,
    pub(crate) created_ms: i64,
    pub(crate) modified_ms: i64,
    pub(crate) state: JobState,
    pub(crate) api_version: String,
    pub(crate) format: CsvFormat,
}

impl JobMeta {
    /// The fields every job description starts with, in Salesforce's order.
    pub(crate) fn json(&self) -> Map<String, Value> {
        let version: Value = self
            .api_version
            .parse::<f64>()
            .map_or_else(|_| json!(self.api_version), |v| json!(v));
        let mut out = Map::new();
        out.insert("id".into(), json!(self.id));
        out.insert("operation".into(), json!(self.operation));
        out.insert("object".into(), json!(self.object));
        out.insert("createdById".into(), json!(self.created_by));
        out.insert(
            "createdDate".into(),
            json!(format_datetime(self.created_ms)),
        );
        out.insert(
            "systemModstamp".into(),
            json!(format_datetime(self.modified_ms)),
        );
        out.insert("state".into(), json!(self.state.as_str()));
        out.insert("concurrencyMode".into(), json!("Parallel"));
        out.insert("contentType".into(), json!("CSV"));
        out.insert("apiVersion".into(), version);
        out
    }

    pub(crate) fn set_state(&mut self, state: JobState, now_ms: i64) {
        self.state = state;
        self.modified_ms = now_ms;
    }
}

/// The jobs of one org, shared by the Bulk routes.
#[derive(Debug, Default)]
pub(crate) struct Jobs {
    seq: AtomicU64,
    ingest: Mutex<HashMap<String, Arc<Mutex<ingest::IngestJob>>>>,
    query: Mutex<HashMap<String, Arc<Mutex<query::QueryJob>>>>,
}

impl Jobs {
    /// A new job id (key prefix `750`).
    fn next_id(&self) -> String {
        SfId::mint(*b"750", self.seq.fetch_add(1, Ordering::Relaxed)).to_string()
    }
}

pub(crate) type SharedJobs = Extension<Arc<Jobs>>;

/// Locks a mutex, ignoring poisoning (a panicked handler leaves consistent data here).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A new job's common fields.
pub(crate) fn new_meta(
    jobs: &Jobs,
    state: &AppState,
    caller: Caller,
    version: &str,
    operation: &str,
    object: &str,
    format: CsvFormat,
) -> JobMeta {
    let now = state.clock.now_ms();
    let created_by = state
        .identity
        .users
        .get(usize::from(caller.user))
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    JobMeta {
        id: jobs.next_id(),
        operation: operation.to_owned(),
        object: object.to_owned(),
        created_by,
        created_ms: now,
        modified_ms: now,
        state: JobState::Open,
        api_version: version.to_owned(),
        format,
    }
}

/// The state a `PATCH /jobs/…/<id>` asks for.
pub(crate) fn requested_state(body: &[u8]) -> Result<String, BulkError> {
    let body = crate::api::body::parse(body).map_err(BulkError::from)?;
    body.get("state")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| BulkError::bad("INVALIDJOBSTATE", "The request must set the job's state"))
}

/// The response listing jobs (`GET /jobs/ingest`, `GET /jobs/query`).
pub(crate) fn job_list(records: Vec<Value>) -> Response {
    Json(json!({ "done": true, "records": records, "nextRecordsUrl": null })).into_response()
}
