//! Bulk API 2.0 ingest jobs: CSV uploads of at most 100 MB, one job per upload,
//! polled to a final state, then results mapped back to the input records.

use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::HeaderValue;
use serde::Serialize;
use serde_json::{json, Value};

use super::csv_out::Columns;
use super::results::{self, row_key, RowIndex};
use super::{job_path, BulkOptions, JobInfo, JobKind};
use crate::batch::exact_json::{self, Json, Object};
use crate::batch::outcome::{
    JobSummary, RecordFailure, RecordResult, WritePath, WriteReport, Written,
};
use crate::batch::progress::Tracker;
use crate::client::api_name;
use crate::error::{ApiErrorDetail, Error, ErrorCode, Result};
use crate::{Client, CreateRecord, Id, RecordId, Request, SObject, UpdateRecord};

/// An ingest operation, as Bulk API 2.0 names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Insert,
    Update,
    Upsert,
    Delete,
    HardDelete,
}

impl Operation {
    fn wire(self) -> &'static str {
        match self {
            Operation::Insert => "insert",
            Operation::Update => "update",
            Operation::Upsert => "upsert",
            Operation::Delete => "delete",
            Operation::HardDelete => "hardDelete",
        }
    }
}

/// What every job of one ingest run does.
#[derive(Debug, Clone, Copy)]
struct Spec<'a> {
    object: &'a str,
    operation: Operation,
    external_id: Option<&'a str>,
}

/// One upload being assembled: CSV bytes and the input rows they hold.
#[derive(Debug)]
struct Upload {
    csv: Vec<u8>,
    rows: Vec<usize>,
    index: RowIndex,
}

impl Upload {
    fn new(header: &[u8]) -> Self {
        Upload {
            csv: header.to_vec(),
            rows: Vec::new(),
            index: RowIndex::default(),
        }
    }
}

/// A job that accepted its upload.
#[derive(Debug)]
struct OpenJob {
    id: String,
    rows: Vec<usize>,
    index: RowIndex,
}

/// The state of one ingest run.
#[derive(Debug)]
struct Run {
    results: Vec<Option<RecordResult<RecordId>>>,
    jobs: Vec<OpenJob>,
    failed: Option<Arc<Error>>,
}

impl Run {
    fn settle(&mut self, input: usize, result: RecordResult<RecordId>) {
        if let Some(slot) = self.results.get_mut(input) {
            *slot = Some(result);
        }
    }
}

/// Writes one CSV record (LF-terminated) and returns its bytes.
fn csv_line<S: AsRef<[u8]>>(cells: &[S]) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer
        .write_record(cells)
        .map_err(|e| Error::Encode(format!("CSV: {e}")))?;
    writer
        .into_inner()
        .map_err(|e| Error::Encode(format!("CSV: {e}")))
}

/// A record's JSON object, with `extra` fields added. Numbers keep the text
/// the record wrote (exact decimals), see [`exact_json`].
fn body<R: Serialize + ?Sized>(record: &R, extra: &[(&str, &str)]) -> Result<Object> {
    let mut map = exact_json::object_of(record).map_err(|e| Error::Encode(e.to_string()))?;
    for (k, v) in extra {
        exact_json::insert(&mut map, k, Json::String((*v).to_owned()));
    }
    Ok(map)
}

fn typed<T: SObject>(report: WriteReport<RecordId>) -> WriteReport<Id<T>> {
    report.try_map_ids(|id| Ok(id.typed()?))
}

impl Client {
    /// Inserts records with Bulk API 2.0. One result per record, in input order.
    pub async fn bulk_insert<N: CreateRecord>(
        &self,
        records: &[N],
        options: &BulkOptions,
    ) -> Result<WriteReport<Id<N::Object>>> {
        let spec = Spec {
            object: <N::Object as SObject>::API_NAME,
            operation: Operation::Insert,
            external_id: None,
        };
        Ok(typed(
            self.ingest(
                spec,
                records.len(),
                |i| body(&records[i], &[]),
                &[],
                options,
            )
            .await?,
        ))
    }

    /// Updates records with Bulk API 2.0: `(id, changes)` pairs. Fields a form
    /// leaves unset are sent as empty cells (unchanged); `Field::Null` as `#N/A`.
    pub async fn bulk_update<U: UpdateRecord>(
        &self,
        updates: &[(Id<U::Object>, U)],
        options: &BulkOptions,
    ) -> Result<WriteReport<Id<U::Object>>> {
        let spec = Spec {
            object: <U::Object as SObject>::API_NAME,
            operation: Operation::Update,
            external_id: None,
        };
        let row = |i: usize| body(&updates[i].1, &[("Id", updates[i].0.as_str())]);
        Ok(typed(
            self.ingest(spec, updates.len(), row, &["Id"], options)
                .await?,
        ))
    }

    /// Creates or updates records with Bulk API 2.0 by the external-id field
    /// `field`, which every record must carry.
    pub async fn bulk_upsert<N: CreateRecord>(
        &self,
        field: &str,
        records: &[N],
        options: &BulkOptions,
    ) -> Result<WriteReport<Id<N::Object>>> {
        let field = api_name(field)?;
        let spec = Spec {
            object: <N::Object as SObject>::API_NAME,
            operation: Operation::Upsert,
            external_id: Some(field),
        };
        Ok(typed(
            self.ingest(
                spec,
                records.len(),
                |i| body(&records[i], &[]),
                &[field],
                options,
            )
            .await?,
        ))
    }

    /// Deletes records with Bulk API 2.0 (to the recycle bin).
    pub async fn bulk_delete<T: SObject>(
        &self,
        ids: &[Id<T>],
        options: &BulkOptions,
    ) -> Result<WriteReport<Id<T>>> {
        self.bulk_remove(ids, Operation::Delete, options).await
    }

    /// Deletes records with Bulk API 2.0 for good, bypassing the recycle bin
    /// (needs the "Bulk API Hard Delete" permission).
    pub async fn bulk_hard_delete<T: SObject>(
        &self,
        ids: &[Id<T>],
        options: &BulkOptions,
    ) -> Result<WriteReport<Id<T>>> {
        self.bulk_remove(ids, Operation::HardDelete, options).await
    }

    async fn bulk_remove<T: SObject>(
        &self,
        ids: &[Id<T>],
        operation: Operation,
        options: &BulkOptions,
    ) -> Result<WriteReport<Id<T>>> {
        let spec = Spec {
            object: T::API_NAME,
            operation,
            external_id: None,
        };
        let row = |i: usize| {
            Ok(vec![(
                "Id".to_owned(),
                Json::String(ids[i].as_str().to_owned()),
            )])
        };
        Ok(typed(
            self.ingest(spec, ids.len(), row, &["Id"], options).await?,
        ))
    }

    /// Runs the jobs of one ingest: columns, uploads (one job each), polls, results.
    async fn ingest(
        &self,
        spec: Spec<'_>,
        len: usize,
        row: impl Fn(usize) -> Result<Object>,
        first_columns: &[&str],
        options: &BulkOptions,
    ) -> Result<WriteReport<RecordId>> {
        let mut columns = Columns::starting_with(first_columns);
        for i in 0..len {
            columns.learn(&row(i)?);
        }
        let header = csv_line(columns.names())?;
        let max = options.max_upload_bytes.clamp(1, super::MAX_UPLOAD_BYTES);
        let tracker = Tracker::new(options.progress.clone(), len as u64);
        let mut run = Run {
            results: (0..len).map(|_| None).collect(),
            jobs: Vec::new(),
            failed: None,
        };
        let mut upload = Upload::new(&header);
        for i in 0..len {
            let cells = columns.cells(&row(i)?).map_err(|c| {
                Error::Encode(format!(
                    "record {i} changed between serializations (column `{c}`)"
                ))
            })?;
            let line = csv_line(&cells)?;
            if header.len() + line.len() > max {
                run.settle(i, Err(too_large(line.len(), max)));
                tracker.advance(1);
                continue;
            }
            if upload.csv.len() + line.len() > max {
                let full = std::mem::replace(&mut upload, Upload::new(&header));
                self.submit(spec, full, &mut run).await;
            }
            upload.csv.extend_from_slice(&line);
            upload.rows.push(i);
            upload.index.insert(row_key(&cells), i);
        }
        if !upload.rows.is_empty() {
            self.submit(spec, upload, &mut run).await;
        }
        let mut summaries = Vec::with_capacity(run.jobs.len());
        let mut done_before = tracker_done(&run);
        for job in std::mem::take(&mut run.jobs) {
            let rows = job.rows.len() as u64;
            let base = done_before;
            let polled = self
                .poll_job(JobKind::Ingest, &job.id, options.poll, |info| {
                    tracker.raise_to(base + info.number_records_processed)
                })
                .await;
            let summary = self.collect(job, polled, &columns, &mut run).await;
            summaries.extend(summary);
            done_before += rows;
            tracker.raise_to(done_before);
        }
        let results = run
            .results
            .into_iter()
            .map(|r| r.unwrap_or(Err(RecordFailure::NotSent)))
            .collect();
        let mut report = WriteReport::new(results, WritePath::Bulk);
        report.jobs = summaries;
        Ok(report)
    }

    /// Opens a job for one upload (create, upload, close); on failure marks its
    /// rows and stops the run.
    async fn submit(&self, spec: Spec<'_>, upload: Upload, run: &mut Run) {
        if run.failed.is_some() {
            for i in upload.rows {
                run.settle(i, Err(RecordFailure::NotSent));
            }
            return;
        }
        match self.open_job(spec, upload.csv).await {
            Ok(id) => run.jobs.push(OpenJob {
                id,
                rows: upload.rows,
                index: upload.index,
            }),
            Err(e) => {
                let e = Arc::new(e);
                for i in upload.rows {
                    run.settle(i, Err(RecordFailure::Request(e.clone())));
                }
                run.failed = Some(e);
            }
        }
    }

    /// Creates a job, uploads its CSV and closes it; returns its id.
    async fn open_job(&self, spec: Spec<'_>, csv: Vec<u8>) -> Result<String> {
        let mut create = json!({
            "object": spec.object,
            "operation": spec.operation.wire(),
            "contentType": "CSV",
            "lineEnding": "LF",
            "columnDelimiter": "COMMA",
        });
        if let Some(field) = spec.external_id {
            create["externalIdFieldName"] = Value::String(field.to_owned());
        }
        let job: JobInfo = self
            .send(Request::post("jobs/ingest").json(&create)?)
            .await?
            .json()?;
        let upload = Request::put(job_path(JobKind::Ingest, &job.id, "batches")?)
            .body(HeaderValue::from_static("text/csv"), Bytes::from(csv))
            // A second upload to the same job would make Salesforce refuse to close it.
            .idempotent(false);
        let close = Request::patch(job_path(JobKind::Ingest, &job.id, "")?)
            .json(&json!({"state": "UploadComplete"}))?
            .idempotent(true);
        let sent = match self.send(upload).await {
            Ok(_) => self.send(close).await,
            Err(e) => Err(e),
        };
        if let Err(e) = sent {
            self.abort_job(&job.id).await;
            return Err(e);
        }
        Ok(job.id)
    }

    /// Best effort: aborts a job that could not be completed.
    async fn abort_job(&self, id: &str) {
        let abort = job_path(JobKind::Ingest, id, "")
            .and_then(|p| Request::patch(p).json(&json!({"state": "Aborted"})));
        if let Ok(request) = abort {
            if let Err(e) = self.send(request.idempotent(true)).await {
                tracing::warn!(job = id, error = %e, "could not abort the Bulk job");
            }
        }
    }

    /// Reads a finished job's results into the run; returns its summary.
    async fn collect(
        &self,
        mut job: OpenJob,
        polled: Result<Option<JobInfo>>,
        columns: &Columns,
        run: &mut Run,
    ) -> Option<JobSummary> {
        let info = match polled {
            Ok(Some(info)) => info,
            Ok(None) => {
                for &i in &job.rows {
                    run.settle(
                        i,
                        Err(RecordFailure::Unfinished {
                            job_id: job.id.clone(),
                        }),
                    );
                }
                return None;
            }
            Err(e) => {
                let e = Arc::new(e);
                for &i in &job.rows {
                    run.settle(i, Err(RecordFailure::Request(e.clone())));
                }
                return None;
            }
        };
        let summary = JobSummary {
            id: info.id.clone(),
            state: info.state.clone(),
            error_message: info.error_message.clone(),
            processed: info.number_records_processed,
            failed: info.number_records_failed,
        };
        if let Err(e) = self.read_results(&mut job, &info, columns, run).await {
            let e = Arc::new(e);
            for i in std::mem::take(&mut job.index).remaining() {
                run.settle(i, Err(RecordFailure::Request(e.clone())));
            }
        }
        let complete = info.state == "JobComplete";
        for i in job.index.remaining() {
            let job_id = job.id.clone();
            run.settle(
                i,
                Err(if complete {
                    RecordFailure::Missing { job_id }
                } else {
                    RecordFailure::Unprocessed { job_id }
                }),
            );
        }
        Some(summary)
    }

    /// Fetches the result files a job's counts call for and settles their rows.
    async fn read_results(
        &self,
        job: &mut OpenJob,
        info: &JobInfo,
        columns: &Columns,
        run: &mut Run,
    ) -> Result<()> {
        let succeeded = info
            .number_records_processed
            .saturating_sub(info.number_records_failed);
        if succeeded > 0 {
            for row in self.result_file(job, "successfulResults/", columns).await? {
                let Some(input) = row.input else { continue };
                let outcome = match row.sf_id.as_deref().map(RecordId::parse) {
                    Some(Ok(id)) => Ok(Written {
                        id,
                        created: row.created.unwrap_or(false),
                    }),
                    Some(Err(e)) => Err(RecordFailure::Request(Arc::new(e.into()))),
                    None => Err(RecordFailure::Missing {
                        job_id: job.id.clone(),
                    }),
                };
                run.settle(input, outcome);
            }
        }
        if info.number_records_failed > 0 {
            for row in self.result_file(job, "failedResults/", columns).await? {
                let Some(input) = row.input else { continue };
                let error = results::parse_error(row.error.as_deref().unwrap_or_default());
                run.settle(input, Err(RecordFailure::Rejected(vec![error])));
            }
        }
        if job.index.len() > 0 && info.state != "JobComplete" {
            for row in self
                .result_file(job, "unprocessedrecords/", columns)
                .await?
            {
                let Some(input) = row.input else { continue };
                run.settle(
                    input,
                    Err(RecordFailure::Unprocessed {
                        job_id: job.id.clone(),
                    }),
                );
            }
        }
        Ok(())
    }

    async fn result_file(
        &self,
        job: &mut OpenJob,
        resource: &str,
        columns: &Columns,
    ) -> Result<Vec<results::ResultRow>> {
        let response = self
            .send(Request::get(job_path(JobKind::Ingest, &job.id, resource)?))
            .await?;
        let rows = results::read(response.body(), columns, &mut job.index)?;
        let unmatched = rows.iter().filter(|r| r.input.is_none()).count();
        if unmatched > 0 {
            tracing::warn!(job = %job.id, resource, unmatched, "Bulk result rows that match no uploaded row");
        }
        Ok(rows)
    }
}

/// Records already settled before any job finished (too large, not sent).
fn tracker_done(run: &Run) -> u64 {
    run.results.iter().filter(|r| r.is_some()).count() as u64
}

fn too_large(bytes: usize, max: usize) -> RecordFailure {
    RecordFailure::Rejected(vec![ApiErrorDetail {
        code: ErrorCode::Other("RECORD_TOO_LARGE".into()),
        message: format!(
            "the record's CSV row is {bytes} bytes, more than the {max}-byte upload limit"
        ),
        fields: Vec::new(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_quote_only_what_needs_it() {
        assert_eq!(
            csv_line(&["a", "b,c", "d\"e", ""]).expect("encodes"),
            b"a,\"b,c\",\"d\"\"e\",\n"
        );
        assert_eq!(Operation::HardDelete.wire(), "hardDelete");
    }
}
