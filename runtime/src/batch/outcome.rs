//! What a batch write reports: one result per input record, in input order.

use std::fmt;
use std::sync::Arc;

use crate::error::{ApiErrorDetail, Error};

/// A record that was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written<I> {
    /// The record's id.
    pub id: I,
    /// Whether the write created the record (always for an insert, never for an
    /// update or delete, either for an upsert).
    pub created: bool,
}

/// Why a record was not written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RecordFailure {
    /// Salesforce rejected the record with these errors (validation, a missing
    /// required field, a lock that stayed held after the retries, …).
    Rejected(Vec<ApiErrorDetail>),
    /// The request that carried the record failed as a whole (a transport error,
    /// the daily API limit, …). For a create after a transport error, whether
    /// Salesforce saved the record is unknown: check before sending it again.
    Request(Arc<Error>),
    /// Never sent: an earlier request failed as a whole, and the run stopped
    /// there rather than spend calls that would fail the same way.
    NotSent,
    /// Bulk API 2.0: the job ended (failed or aborted) before processing the record.
    Unprocessed {
        /// The ingest job.
        job_id: String,
    },
    /// Bulk API 2.0: the job did not reach a final state within the polling
    /// timeout. It may still finish; look it up by id.
    Unfinished {
        /// The ingest job.
        job_id: String,
    },
    /// Bulk API 2.0: the job finished but none of its result files names the record.
    Missing {
        /// The ingest job.
        job_id: String,
    },
}

impl RecordFailure {
    /// The Salesforce errors, for [`RecordFailure::Rejected`].
    pub fn errors(&self) -> &[ApiErrorDetail] {
        match self {
            RecordFailure::Rejected(errors) => errors,
            _ => &[],
        }
    }
}

impl fmt::Display for RecordFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordFailure::Rejected(errors) => {
                let parts: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.code, e.message))
                    .collect();
                write!(f, "rejected: {}", parts.join("; "))
            }
            RecordFailure::Request(error) => write!(f, "the request failed: {error}"),
            RecordFailure::NotSent => f.write_str("not sent: an earlier request failed"),
            RecordFailure::Unprocessed { job_id } => {
                write!(f, "not processed by Bulk job {job_id}")
            }
            RecordFailure::Unfinished { job_id } => {
                write!(f, "Bulk job {job_id} did not finish in time")
            }
            RecordFailure::Missing { job_id } => {
                write!(f, "in no result file of Bulk job {job_id}")
            }
        }
    }
}

/// The outcome of one input record.
pub type RecordResult<I> = Result<Written<I>, RecordFailure>;

/// Which path a write took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WritePath {
    /// sObject Collections (200 records per call).
    Collections,
    /// Bulk API 2.0 ingest jobs.
    Bulk,
}

/// A Bulk API 2.0 ingest job as it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSummary {
    /// The job id.
    pub id: String,
    /// Its last known state (`JobComplete`, `Failed`, `Aborted`, …).
    pub state: String,
    /// Salesforce's message for a failed job.
    pub error_message: Option<String>,
    /// Records the job processed (successes and failures).
    pub processed: u64,
    /// Records that failed.
    pub failed: u64,
}

/// One result per input record, in input order.
#[derive(Debug, Clone)]
pub struct WriteReport<I> {
    /// `results[i]` is the outcome of the `i`-th input record.
    pub results: Vec<RecordResult<I>>,
    /// The path the write took.
    pub path: WritePath,
    /// For Bulk API 2.0, the ingest jobs, in the order they were created.
    pub jobs: Vec<JobSummary>,
}

impl<I> WriteReport<I> {
    pub(crate) fn new(results: Vec<RecordResult<I>>, path: WritePath) -> Self {
        WriteReport {
            results,
            path,
            jobs: Vec::new(),
        }
    }

    /// Whether every record was written.
    pub fn all_written(&self) -> bool {
        self.results.iter().all(Result::is_ok)
    }

    /// How many records were written.
    pub fn written(&self) -> usize {
        self.results.iter().filter(|r| r.is_ok()).count()
    }

    /// The failed records: their input position and why.
    pub fn failures(&self) -> impl Iterator<Item = (usize, &RecordFailure)> {
        self.results
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().err().map(|e| (i, e)))
    }

    /// The id of each input record, `None` where it failed.
    pub fn ids(&self) -> Vec<Option<&I>> {
        self.results
            .iter()
            .map(|r| r.as_ref().ok().map(|w| &w.id))
            .collect()
    }

    /// The first request-level error, if a request failed as a whole.
    pub fn request_error(&self) -> Option<&Error> {
        self.results.iter().find_map(|r| match r {
            Err(RecordFailure::Request(e)) => Some(e.as_ref()),
            _ => None,
        })
    }

    /// The same report with each id converted (e.g. untyped to typed ids); a
    /// conversion error fails that record.
    pub(crate) fn try_map_ids<J>(self, f: impl Fn(I) -> Result<J, Error>) -> WriteReport<J> {
        let results = self
            .results
            .into_iter()
            .map(|r| {
                r.and_then(|w| match f(w.id) {
                    Ok(id) => Ok(Written {
                        id,
                        created: w.created,
                    }),
                    Err(e) => Err(RecordFailure::Request(Arc::new(e))),
                })
            })
            .collect();
        WriteReport {
            results,
            path: self.path,
            jobs: self.jobs,
        }
    }
}
