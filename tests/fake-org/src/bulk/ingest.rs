//! Ingest jobs: create, upload CSV, close or abort, process in the background,
//! and serve successful, failed and unprocessed results.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use super::{
    job_list, lock, new_meta, requested_state, BulkError, CsvFormat, JobMeta, JobState, Jobs,
    SharedJobs, MAX_UPLOAD_BYTES,
};
use crate::auth::{ApiVersion, Caller};
use crate::schema::Schema;
use crate::sferror::SfError;
use crate::state::AppState;
use crate::store::Store;

/// The ingest operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Insert,
    Update,
    Upsert,
    Delete,
    HardDelete,
}

/// Operation names as Bulk API 2.0 spells them.
const OPERATIONS: &[(&str, Operation)] = &[
    ("insert", Operation::Insert),
    ("update", Operation::Update),
    ("upsert", Operation::Upsert),
    ("delete", Operation::Delete),
    ("hardDelete", Operation::HardDelete),
];

/// What happened to one row.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Success { id: String, created: bool },
    Failed { id: String, error: String },
    Unprocessed,
}

/// An uploaded row and its outcome.
#[derive(Debug, Clone)]
struct Row {
    cells: Vec<String>,
    outcome: Outcome,
}

/// The rows of a job once read.
#[derive(Debug, Clone, Default)]
struct Processed {
    header: Vec<String>,
    rows: Vec<Row>,
    /// Why the whole job failed, if it did.
    error: Option<String>,
}

impl Processed {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> u64 {
        self.rows.iter().filter(|r| f(&r.outcome)).count() as u64
    }
}

/// An ingest job.
#[derive(Debug)]
pub(crate) struct IngestJob {
    meta: JobMeta,
    operation: Operation,
    external_id: Option<String>,
    uploads: Vec<Bytes>,
    processed: Option<Processed>,
    started_ms: Option<i64>,
    finished_ms: Option<i64>,
    aborted: Arc<AtomicBool>,
}

impl IngestJob {
    /// The job as `GET /jobs/ingest/<id>` describes it.
    fn info(&self) -> Value {
        let mut out = self.header();
        let (processed, failed) = self.processed.as_ref().map_or((0, 0), |p| {
            (
                p.count(|o| !matches!(o, Outcome::Unprocessed)),
                p.count(|o| matches!(o, Outcome::Failed { .. })),
            )
        });
        let time = match (self.started_ms, self.finished_ms) {
            (Some(start), Some(end)) => end.saturating_sub(start),
            _ => 0,
        };
        out.insert("jobType".into(), json!("V2Ingest"));
        out.insert("lineEnding".into(), json!(self.meta.format.line_ending.0));
        out.insert(
            "columnDelimiter".into(),
            json!(self.meta.format.delimiter.0),
        );
        out.insert("numberRecordsProcessed".into(), json!(processed));
        out.insert("numberRecordsFailed".into(), json!(failed));
        out.insert("retries".into(), json!(0));
        out.insert("totalProcessingTime".into(), json!(time));
        out.insert("apiActiveProcessingTime".into(), json!(time));
        out.insert("apexProcessingTime".into(), json!(0));
        if let Some(error) = self.processed.as_ref().and_then(|p| p.error.as_ref()) {
            out.insert("errorMessage".into(), json!(error));
        }
        Value::Object(out)
    }

    /// The fields of the create and state-change responses.
    fn header(&self) -> Map<String, Value> {
        let mut out = self.meta.json();
        if let Some(field) = &self.external_id {
            out.insert("externalIdFieldName".into(), json!(field));
        }
        out
    }

    fn short_info(&self) -> Value {
        let mut out = self.header();
        out.insert("lineEnding".into(), json!(self.meta.format.line_ending.0));
        out.insert(
            "columnDelimiter".into(),
            json!(self.meta.format.delimiter.0),
        );
        Value::Object(out)
    }
}

fn find(jobs: &Jobs, id: &str) -> Result<Arc<Mutex<IngestJob>>, BulkError> {
    lock(&jobs.ingest)
        .get(id)
        .cloned()
        .ok_or_else(|| BulkError::no_job(id))
}

fn respond(result: Result<Response, BulkError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /jobs/ingest`.
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
        let text = |key: &str| {
            request
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let (object_name, operation_name) = (text("object"), text("operation"));
        let operation = OPERATIONS
            .iter()
            .find(|(name, _)| *name == operation_name)
            .map(|(_, op)| *op)
            .ok_or_else(|| {
                BulkError::bad("INVALIDJOB", format!("Invalid operation: {operation_name}"))
            })?;
        let format = CsvFormat::from_request(&request)?;
        let (object, external_id) = state.store.with_schema(|schema| {
            check_target(
                schema,
                &object_name,
                operation,
                &text("externalIdFieldName"),
            )
        })?;
        let meta = new_meta(
            &jobs,
            &state,
            caller,
            &version,
            operation_name.as_str(),
            &object,
            format,
        );
        let id = meta.id.clone();
        let job = IngestJob {
            meta,
            operation,
            external_id,
            uploads: Vec::new(),
            processed: None,
            started_ms: None,
            finished_ms: None,
            aborted: Arc::new(AtomicBool::new(false)),
        };
        let mut out = job.header();
        out.insert(
            "contentUrl".into(),
            json!(format!("services/data/v{version}/jobs/ingest/{id}/batches")),
        );
        out.insert("lineEnding".into(), json!(format.line_ending.0));
        out.insert("columnDelimiter".into(), json!(format.delimiter.0));
        lock(&jobs.ingest).insert(id, Arc::new(Mutex::new(job)));
        Ok(Json(Value::Object(out)).into_response())
    })())
}

/// The object's canonical name and the upsert key, checked against the describe.
fn check_target(
    schema: &Schema,
    object: &str,
    operation: Operation,
    external_id: &str,
) -> Result<(String, Option<String>), BulkError> {
    let described = schema
        .object(object)
        .ok_or_else(|| BulkError::bad("INVALIDJOB", format!("Unable to find object: {object}")))?;
    if operation != Operation::Upsert {
        return Ok((described.name.clone(), None));
    }
    if external_id.is_empty() {
        return Err(BulkError::bad(
            "INVALIDJOB",
            format!(
                "External ID was blank for {}. An External ID must be specified for upsert.",
                described.name
            ),
        ));
    }
    match described.field(external_id) {
        Some(f) if f.external_id || f.id_lookup => {
            Ok((described.name.clone(), Some(f.name.clone())))
        }
        _ => Err(BulkError::bad(
            "INVALIDJOB",
            format!(
                "Field name provided, {external_id} is not an External ID or indexed field for {}",
                described.name
            ),
        )),
    }
}

/// `PUT /jobs/ingest/<id>/batches`: the job's CSV.
pub(crate) async fn upload(
    Extension(jobs): SharedJobs,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let is_csv = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    let job = match find(&jobs, &id) {
        Ok(job) => job,
        Err(e) => return e.into_response(),
    };
    if !is_csv {
        return BulkError::bad(
            "INVALIDJOB",
            "Unsupported content type: the upload must be text/csv",
        )
        .into_response();
    }
    let data = match axum::body::to_bytes(body, MAX_UPLOAD_BYTES).await {
        Ok(data) => data,
        Err(_) => {
            return BulkError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "INVALIDJOB",
                format!(
                    "The upload exceeds {MAX_UPLOAD_BYTES} bytes (100 MB), the most a job accepts once base64-encoded \
                     within 150 MB: split the data into several jobs"
                ),
            )
            .into_response()
        }
    };
    let mut job = lock(&job);
    if job.meta.state != JobState::Open {
        return BulkError::bad(
            "INVALIDJOBSTATE",
            format!("Job {id} is not Open: data can only be uploaded to an Open job"),
        )
        .into_response();
    }
    job.uploads.push(data);
    StatusCode::CREATED.into_response()
}

/// `PATCH /jobs/ingest/<id>`: close (`UploadComplete`) or abort (`Aborted`).
pub(crate) async fn set_state(
    State(state): State<AppState>,
    Extension(jobs): SharedJobs,
    Extension(caller): Extension<Caller>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    respond((|| {
        let wanted = requested_state(&body)?;
        let shared = find(&jobs, &id)?;
        let mut job = lock(&shared);
        let now = state.clock.now_ms();
        match (wanted.as_str(), job.meta.state) {
            ("UploadComplete", JobState::Open) => {
                if job.uploads.len() > 1 {
                    // Salesforce's own message, misspelling included.
                    return Err(BulkError::bad(
                        "INVALIDJOB",
                        format!(
                            "Found multipe contents for job: <{id}>, please 'Close' / 'Abort' / 'Delete' the current \
                             Job then create a new Job and make sure you only do 'PUT' once on a given Job."
                        ),
                    ));
                }
                job.meta.set_state(JobState::UploadComplete, now);
                spawn_processing(state.clone(), shared.clone(), caller.user);
            }
            ("Aborted", current) if !current.is_final() => {
                job.meta.set_state(JobState::Aborted, now);
                job.aborted.store(true, Ordering::Relaxed);
                if job.processed.is_none() {
                    job.processed = Some(all_unprocessed(job.uploads.first(), job.meta.format));
                }
            }
            (wanted, current) => return Err(BulkError::bad_transition(&id, current, wanted)),
        }
        Ok(Json(job.short_info()).into_response())
    })())
}

/// `GET /jobs/ingest/<id>`.
pub(crate) async fn info(
    Extension(jobs): SharedJobs,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(find(&jobs, &id).map(|job| Json(lock(&job).info()).into_response()))
}

/// `GET /jobs/ingest`.
pub(crate) async fn list(Extension(jobs): SharedJobs) -> Response {
    let all: Vec<Arc<Mutex<IngestJob>>> = lock(&jobs.ingest).values().cloned().collect();
    job_list(all.iter().map(|j| lock(j).short_info()).collect())
}

/// `DELETE /jobs/ingest/<id>`.
pub(crate) async fn remove(
    Extension(jobs): SharedJobs,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond((|| {
        let job = find(&jobs, &id)?;
        let state = lock(&job).meta.state;
        if !(state.is_final() || state == JobState::Open) {
            return Err(BulkError::bad(
                "INVALIDJOBSTATE",
                format!("Job {id} is {}: it cannot be deleted yet", state.as_str()),
            ));
        }
        lock(&jobs.ingest).remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}

/// Which result file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResultKind {
    Successful,
    Failed,
    Unprocessed,
}

async fn results(jobs: &Jobs, id: &str, kind: ResultKind) -> Response {
    respond((|| {
        let job = find(jobs, id)?;
        let job = lock(&job);
        if !job.meta.state.is_final() {
            return Err(BulkError::bad(
                "INVALIDJOBSTATE",
                format!(
                    "Job {id} is {}: results are ready once it is JobComplete, Failed or Aborted",
                    job.meta.state.as_str()
                ),
            ));
        }
        let processed = job.processed.clone().unwrap_or_default();
        let csv = result_csv(&processed, kind, job.meta.format)
            .map_err(|e| BulkError::bad("API_ERROR", e))?;
        Ok(([(CONTENT_TYPE, "text/csv")], csv).into_response())
    })())
}

/// `GET /jobs/ingest/<id>/successfulResults/`.
pub(crate) async fn successful(
    Extension(jobs): SharedJobs,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    results(&jobs, &id, ResultKind::Successful).await
}

/// `GET /jobs/ingest/<id>/failedResults/`.
pub(crate) async fn failed(
    Extension(jobs): SharedJobs,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    results(&jobs, &id, ResultKind::Failed).await
}

/// `GET /jobs/ingest/<id>/unprocessedrecords/`.
pub(crate) async fn unprocessed(
    Extension(jobs): SharedJobs,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    results(&jobs, &id, ResultKind::Unprocessed).await
}

/// A result file: `sf__` columns, then the uploaded cells.
fn result_csv(
    processed: &Processed,
    kind: ResultKind,
    format: CsvFormat,
) -> Result<Vec<u8>, String> {
    let mut writer = format.writer();
    let lead: &[&str] = match kind {
        ResultKind::Successful => &["sf__Id", "sf__Created"],
        ResultKind::Failed => &["sf__Id", "sf__Error"],
        ResultKind::Unprocessed => &[],
    };
    let header = lead
        .iter()
        .map(|s| (*s).to_owned())
        .chain(processed.header.iter().cloned());
    writer.write_record(header).map_err(|e| e.to_string())?;
    for row in &processed.rows {
        let lead: Vec<String> = match (&row.outcome, kind) {
            (Outcome::Success { id, created }, ResultKind::Successful) => {
                vec![id.clone(), created.to_string()]
            }
            (Outcome::Failed { id, error }, ResultKind::Failed) => vec![id.clone(), error.clone()],
            (Outcome::Unprocessed, ResultKind::Unprocessed) => Vec::new(),
            _ => continue,
        };
        writer
            .write_record(lead.iter().chain(row.cells.iter()))
            .map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// The uploaded rows, none processed (an aborted or failed job).
fn all_unprocessed(data: Option<&Bytes>, format: CsvFormat) -> Processed {
    let Some(data) = data else {
        return Processed::default();
    };
    let mut reader = format.reader(data);
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    let rows = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| Row {
            cells: r.iter().map(str::to_owned).collect(),
            outcome: Outcome::Unprocessed,
        })
        .collect();
    Processed {
        header,
        rows,
        error: None,
    }
}

/// Runs a closed job in the background: `InProgress` after half the delay,
/// rows processed, `JobComplete` (or `Failed`) after the other half.
fn spawn_processing(state: AppState, job: Arc<Mutex<IngestJob>>, user: u16) {
    tokio::spawn(async move {
        let half = state.settings.bulk_processing_delay / 2;
        tokio::time::sleep(half).await;
        let work = {
            let mut job = lock(&job);
            if job.meta.state != JobState::UploadComplete {
                return;
            }
            let now = state.clock.now_ms();
            job.meta.set_state(JobState::InProgress, now);
            job.started_ms = Some(now);
            Work {
                object: job.meta.object.clone(),
                operation: job.operation,
                external_id: job.external_id.clone(),
                format: job.meta.format,
                data: job.uploads.first().cloned(),
                aborted: job.aborted.clone(),
            }
        };
        let store = state.store.clone();
        let processed = tokio::task::spawn_blocking(move || work.run(&store, user))
            .await
            .unwrap_or_else(|_| Processed {
                error: Some("InvalidBatch : internal error".into()),
                ..Processed::default()
            });
        tokio::time::sleep(half).await;
        let mut job = lock(&job);
        let now = state.clock.now_ms();
        job.finished_ms = Some(now);
        let failed = processed.error.is_some();
        job.processed = Some(processed);
        if job.meta.state == JobState::InProgress {
            job.meta.set_state(
                if failed {
                    JobState::Failed
                } else {
                    JobState::JobComplete
                },
                now,
            );
        }
    });
}

/// How a CSV column is written to a record.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    /// A field of the object (canonical name).
    Field(String),
    /// `Parent.ExternalField`: the reference field set to the parent found by external id.
    Parent {
        reference: String,
        target: String,
        field: String,
    },
}

/// Resolves a CSV header against the object's describe.
fn columns(schema: &Schema, object: &str, header: &[String]) -> Result<Vec<Column>, String> {
    let not_found = |name: &str| format!("InvalidBatch : Field name not found : {name}");
    let described = schema.object(object).ok_or_else(|| not_found(object))?;
    header
        .iter()
        .map(|name| match name.split_once('.') {
            None => described
                .field(name.trim())
                .map(|f| Column::Field(f.name.clone()))
                .ok_or_else(|| not_found(name)),
            Some((relationship, field)) => {
                let reference = described
                    .relationship(relationship)
                    .ok_or_else(|| not_found(name))?;
                let target = reference
                    .reference_to
                    .first()
                    .ok_or_else(|| not_found(name))?;
                let parent = schema.object(target).ok_or_else(|| not_found(name))?;
                match parent.field(field) {
                    Some(f) if f.external_id || f.id_lookup => Ok(Column::Parent {
                        reference: reference.name.clone(),
                        target: parent.name.clone(),
                        field: f.name.clone(),
                    }),
                    _ => Err(not_found(name)),
                }
            }
        })
        .collect()
}

/// Formats record errors as `sf__Error`: `CODE:message:Field1,Field2 --`.
fn sf_error(errors: &[SfError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{} --",
                e.code.as_str(),
                e.message,
                e.fields.clone().unwrap_or_default().join(",")
            )
        })
        .collect();
    parts.join(" ")
}

/// The processing of one job, off the async runtime.
struct Work {
    object: String,
    operation: Operation,
    external_id: Option<String>,
    format: CsvFormat,
    data: Option<Bytes>,
    aborted: Arc<AtomicBool>,
}

impl Work {
    fn run(self, store: &Store, user: u16) -> Processed {
        let Some(data) = self.data.as_ref() else {
            return Processed {
                error: Some("InvalidBatch : No data was uploaded for this job".into()),
                ..Processed::default()
            };
        };
        let mut reader = self.format.reader(data);
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(str::to_owned).collect(),
            Err(e) => {
                return Processed {
                    error: Some(format!("InvalidBatch : {e}")),
                    ..Processed::default()
                }
            }
        };
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => rows.push(Row {
                    cells: r.iter().map(str::to_owned).collect(),
                    outcome: Outcome::Unprocessed,
                }),
                Err(e) => {
                    return Processed {
                        header,
                        rows: Vec::new(),
                        error: Some(format!("InvalidBatch : {e}")),
                    }
                }
            }
        }
        let resolved = store.with_schema(|schema| columns(schema, &self.object, &header));
        let mut columns = match resolved {
            Ok(columns) => columns,
            Err(error) => {
                return Processed {
                    header,
                    rows,
                    error: Some(error),
                }
            }
        };
        if let Some(key) = &self.external_id {
            if !columns
                .iter()
                .any(|c| matches!(c, Column::Field(f) if f == key))
            {
                let error = format!("InvalidBatch : Field name not found : {key}");
                return Processed {
                    header,
                    rows,
                    error: Some(error),
                };
            }
        }
        columns.truncate(header.len());
        let writer = store.writer().as_user(user);
        for row in &mut rows {
            if self.aborted.load(Ordering::Relaxed) {
                break;
            }
            row.outcome = self.apply(store, &writer, &columns, &row.cells);
        }
        Processed {
            header,
            rows,
            error: None,
        }
    }

    /// Writes one row.
    fn apply(
        &self,
        store: &Store,
        writer: &crate::store::Writer<'_>,
        columns: &[Column],
        cells: &[String],
    ) -> Outcome {
        let mut body = Map::new();
        let mut id = String::new();
        for (column, cell) in columns.iter().zip(cells) {
            let value = match cell.as_str() {
                "" => continue,
                "#N/A" => Value::Null,
                text => Value::String(text.to_owned()),
            };
            match column {
                Column::Field(name) if name == "Id" && self.operation != Operation::Insert => {
                    id = cell.clone();
                }
                Column::Field(name) => {
                    body.insert(name.clone(), value);
                }
                Column::Parent {
                    reference,
                    target,
                    field,
                } => {
                    let parent = match value {
                        Value::Null => Value::Null,
                        _ => match store.find_by_external_id(target, field, cell).as_deref() {
                            Ok([one]) => Value::String(one.to_string()),
                            Ok([]) => {
                                let error = format!(
                                    "INVALID_FIELD:Foreign key external ID: {cell} not found for field {field} in entity {target}: --"
                                );
                                return Outcome::Failed { id, error };
                            }
                            Ok(_) => {
                                let error = format!(
                                    "DUPLICATE_EXTERNAL_ID:Foreign key external ID: {cell} matches several {target} records for field {field}: --"
                                );
                                return Outcome::Failed { id, error };
                            }
                            Err(e) => {
                                return Outcome::Failed {
                                    id,
                                    error: sf_error(std::slice::from_ref(e)),
                                }
                            }
                        },
                    };
                    body.insert(reference.clone(), parent);
                }
            }
        }
        let missing_id =
            |call: &str| format!("MISSING_ARGUMENT:Id not specified in an {call} call:Id --");
        let object = self.object.as_str();
        let result = match self.operation {
            Operation::Insert => writer
                .insert(object, &body)
                .map(|new| (new.to_string(), true)),
            Operation::Update if id.is_empty() => {
                return Outcome::Failed {
                    id,
                    error: missing_id("update"),
                }
            }
            Operation::Update => writer
                .update(object, &id, &body)
                .map(|done| (done.to_string(), false)),
            Operation::Delete | Operation::HardDelete if id.is_empty() => {
                return Outcome::Failed {
                    id,
                    error: missing_id("delete"),
                }
            }
            Operation::Delete | Operation::HardDelete => writer
                .delete(object, &id)
                .map(|done| (done.to_string(), false)),
            Operation::Upsert => {
                let key = self.external_id.clone().unwrap_or_default();
                match body.remove(&key) {
                    Some(Value::String(value)) => writer
                        .upsert(object, &key, &value, &body)
                        .map(|u| (u.id.to_string(), u.created)),
                    _ => {
                        let error = format!("MISSING_ARGUMENT:{key} not specified:{key} --");
                        return Outcome::Failed { id, error };
                    }
                }
            }
        };
        match result {
            Ok((id, created)) => Outcome::Success { id, created },
            Err(errors) => Outcome::Failed {
                id,
                error: sf_error(&errors),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_errors_read_as_salesforce_writes_them() {
        let missing = SfError::on_fields(
            crate::sferror::ErrorCode::RequiredFieldMissing,
            "Required fields are missing: [LastName]",
            vec!["LastName".into()],
        );
        assert_eq!(
            sf_error(&[missing]),
            "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"
        );
    }

    #[test]
    fn result_files_echo_the_uploaded_cells() {
        let processed = Processed {
            header: vec!["LastName".into()],
            rows: vec![
                Row {
                    cells: vec!["A".into()],
                    outcome: Outcome::Success {
                        id: "003A".into(),
                        created: true,
                    },
                },
                Row {
                    cells: vec!["".into()],
                    outcome: Outcome::Failed {
                        id: String::new(),
                        error: "E:m: --".into(),
                    },
                },
                Row {
                    cells: vec!["C".into()],
                    outcome: Outcome::Unprocessed,
                },
            ],
            error: None,
        };
        let format = CsvFormat {
            delimiter: ("COMMA", b','),
            line_ending: ("LF", b"\n"),
        };
        let text = |kind| {
            String::from_utf8(result_csv(&processed, kind, format).expect("writes")).expect("utf-8")
        };
        assert_eq!(
            text(ResultKind::Successful),
            "\"sf__Id\",\"sf__Created\",\"LastName\"\n\"003A\",\"true\",\"A\"\n"
        );
        assert_eq!(
            text(ResultKind::Failed),
            "\"sf__Id\",\"sf__Error\",\"LastName\"\n\"\",\"E:m: --\",\"\"\n"
        );
        assert_eq!(text(ResultKind::Unprocessed), "\"LastName\"\n\"C\"\n");
    }
}
