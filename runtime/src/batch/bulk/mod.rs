//! Bulk API 2.0: ingest jobs for very large writes, query jobs for very large reads.
//!
//! Salesforce runs a Bulk job asynchronously: the client creates it, uploads CSV
//! (ingest) or gives a query, then polls the job until it reaches a final state
//! and fetches the results. Every one of those steps is an API call; a job
//! moves up to 100 MB of CSV in about five calls, however many records that is.
//!
//! - Ingest: [`Client::bulk_insert`](crate::Client::bulk_insert),
//!   [`bulk_update`](crate::Client::bulk_update),
//!   [`bulk_upsert`](crate::Client::bulk_upsert),
//!   [`bulk_delete`](crate::Client::bulk_delete),
//!   [`bulk_hard_delete`](crate::Client::bulk_hard_delete). Records are
//!   serialized with serde and written as CSV (see [`csv_out`] for the cell
//!   rules), in uploads of at most [`MAX_UPLOAD_BYTES`]; Salesforce accepts one
//!   upload per job, so each upload is its own job. Results come back one per
//!   input record, in input order.
//! - Query: [`Client::bulk_query`](crate::Client::bulk_query) and
//!   [`Client::bulk_query_records`](crate::Client::bulk_query_records) stream
//!   typed records page by page (`maxRecords` per page, following
//!   `Sforce-Locator`), holding one page at a time.

pub mod csv_out;
mod ingest;
mod query;
mod results;
mod row_de;
mod select;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::progress::{HookDebug, Progress};
use crate::error::{Error, Result};
use crate::{Client, Request};

pub use query::{BulkQueryOptions, DEFAULT_PAGE_RECORDS};
pub use select::bulk_fields;

/// The largest upload (CSV bytes) sent to one ingest job: 100 MB, which
/// Salesforce's base64 encoding grows to under its 150 MB limit.
pub const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;

/// How a job is polled until it reaches a final state: waits grow from
/// `initial` by `factor` up to `max`; polling stops after `timeout`. The
/// default starts fast (a small job is often done within a second: 200 ms,
/// 300 ms, 450 ms, …) and backs off to one poll every 10 s for long jobs, so a
/// one-hour job costs about 370 polls of the org's daily API calls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollPolicy {
    /// The first wait.
    pub initial: Duration,
    /// Each wait is the previous one times this.
    pub factor: f64,
    /// The longest wait.
    pub max: Duration,
    /// Give up waiting (the job itself goes on) after this long.
    pub timeout: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            initial: Duration::from_millis(200),
            factor: 1.5,
            max: Duration::from_secs(10),
            timeout: Duration::from_secs(60 * 60),
        }
    }
}

impl PollPolicy {
    /// The wait after `waits` earlier waits.
    fn wait(&self, waits: u32) -> Duration {
        let grown = self.initial.as_secs_f64() * self.factor.max(1.0).powi(waits.min(64) as i32);
        Duration::from_secs_f64(grown.min(self.max.as_secs_f64()))
    }
}

/// How Bulk API 2.0 ingest jobs are run.
#[derive(Clone)]
pub struct BulkOptions {
    /// The largest CSV upload per job (default and maximum [`MAX_UPLOAD_BYTES`]).
    pub max_upload_bytes: usize,
    /// How jobs are polled.
    pub poll: PollPolicy,
    /// Receives records processed / total as jobs progress.
    pub progress: Option<Arc<dyn Progress>>,
}

impl Default for BulkOptions {
    fn default() -> Self {
        BulkOptions {
            max_upload_bytes: MAX_UPLOAD_BYTES,
            poll: PollPolicy::default(),
            progress: None,
        }
    }
}

impl fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkOptions")
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("poll", &self.poll)
            .field("progress", &HookDebug(&self.progress))
            .finish()
    }
}

impl BulkOptions {
    /// With a progress hook.
    pub fn progress(mut self, hook: Arc<dyn Progress>) -> Self {
        self.progress = Some(hook);
        self
    }

    /// With a polling policy.
    pub fn poll(mut self, poll: PollPolicy) -> Self {
        self.poll = poll;
        self
    }
}

/// A job's state, as `GET /jobs/ingest/<id>` or `/jobs/query/<id>` reports it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobInfo {
    /// The job id (`750…`).
    pub id: String,
    /// `Open`, `UploadComplete`, `InProgress`, `JobComplete`, `Failed` or `Aborted`.
    pub state: String,
    /// The object.
    #[serde(default)]
    pub object: Option<String>,
    /// The operation (`insert`, `query`, …).
    #[serde(default)]
    pub operation: Option<String>,
    /// Records processed so far (successes and failures).
    #[serde(default)]
    pub number_records_processed: u64,
    /// Records that failed so far (ingest jobs).
    #[serde(default)]
    pub number_records_failed: u64,
    /// Why a job failed.
    #[serde(default)]
    pub error_message: Option<String>,
}

impl JobInfo {
    /// Whether the state is final: `JobComplete`, `Failed` or `Aborted`.
    pub fn is_final(&self) -> bool {
        matches!(self.state.as_str(), "JobComplete" | "Failed" | "Aborted")
    }
}

/// Which kind of Bulk API 2.0 job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// An ingest job (`jobs/ingest`).
    Ingest,
    /// A query job (`jobs/query`).
    Query,
}

impl JobKind {
    fn segment(self) -> &'static str {
        match self {
            JobKind::Ingest => "ingest",
            JobKind::Query => "query",
        }
    }
}

/// The path of a job (or one of its resources), checking that the id Salesforce
/// gave cannot change the path.
pub(crate) fn job_path(kind: JobKind, id: &str, resource: &str) -> Result<String> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::Decode {
            path: "id".into(),
            message: format!("`{id}` is not a job id"),
            excerpt: None,
        });
    }
    let base = format!("jobs/{}/{id}", kind.segment());
    Ok(if resource.is_empty() {
        base
    } else {
        format!("{base}/{resource}")
    })
}

impl Client {
    /// A Bulk API 2.0 job's current state.
    pub async fn bulk_job(&self, kind: JobKind, id: &str) -> Result<JobInfo> {
        self.send(Request::get(job_path(kind, id, "")?))
            .await?
            .json()
    }

    /// Polls a job until it reaches a final state, calling `seen` with each
    /// state read. `None` when `policy.timeout` passed first.
    pub(crate) async fn poll_job(
        &self,
        kind: JobKind,
        id: &str,
        policy: PollPolicy,
        mut seen: impl FnMut(&JobInfo),
    ) -> Result<Option<JobInfo>> {
        let started = Instant::now();
        let mut waits = 0;
        loop {
            let info: JobInfo = self
                .send(Request::get(job_path(kind, id, "")?))
                .await?
                .json()?;
            seen(&info);
            if info.is_final() {
                return Ok(Some(info));
            }
            let wait = policy.wait(waits);
            if started.elapsed() + wait > policy.timeout {
                return Ok(None);
            }
            tokio::time::sleep(wait).await;
            waits += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_waits_grow_and_stay_bounded() {
        let p = PollPolicy {
            initial: Duration::from_millis(100),
            factor: 2.0,
            max: Duration::from_secs(1),
            ..PollPolicy::default()
        };
        assert_eq!(p.wait(0), Duration::from_millis(100));
        assert_eq!(p.wait(2), Duration::from_millis(400));
        assert_eq!(p.wait(30), Duration::from_secs(1));
    }

    #[test]
    fn job_ids_cannot_change_the_path() {
        assert_eq!(
            job_path(JobKind::Ingest, "750R0000000001", "batches").expect("an id"),
            "jobs/ingest/750R0000000001/batches"
        );
        assert!(job_path(JobKind::Query, "../x", "").is_err());
    }
}
