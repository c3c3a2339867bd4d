//! Bulk API 2.0 query jobs, streamed page by page into typed records.

use std::fmt;
use std::io::Cursor;
use std::sync::Arc;

use bytes::Bytes;
use futures::{stream, Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::json;

use super::results::csv_error;
use super::row_de::Shape;
use super::select::{bulk_fields, compounds, Compound};
use super::{job_path, JobInfo, JobKind, PollPolicy};
use crate::batch::progress::{HookDebug, Progress, Tracker};
use crate::error::{Error, Result};
use crate::soql::{Condition, Select, Soql};
use crate::{Client, Request, SObject};

/// Records per result page (`maxRecords`) unless told otherwise. Memory holds
/// one page; each page is one API call (200 calls per 1,000,000 rows).
pub const DEFAULT_PAGE_RECORDS: u64 = 5_000;

/// The header naming the next page; `null` after the last one.
const LOCATOR: &str = "sforce-locator";

/// How a Bulk query runs.
#[derive(Clone)]
pub struct BulkQueryOptions {
    /// Records per result page (`maxRecords`, default [`DEFAULT_PAGE_RECORDS`]).
    /// Bigger pages take fewer calls and more memory.
    pub page_records: u64,
    /// Include deleted and archived records (`queryAll`).
    pub include_deleted: bool,
    /// How the job is polled until its results are ready.
    pub poll: PollPolicy,
    /// Receives records read / total after each page.
    pub progress: Option<Arc<dyn Progress>>,
}

impl Default for BulkQueryOptions {
    fn default() -> Self {
        BulkQueryOptions {
            page_records: DEFAULT_PAGE_RECORDS,
            include_deleted: false,
            poll: PollPolicy::default(),
            progress: None,
        }
    }
}

impl fmt::Debug for BulkQueryOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkQueryOptions")
            .field("page_records", &self.page_records)
            .field("include_deleted", &self.include_deleted)
            .field("poll", &self.poll)
            .field("progress", &HookDebug(&self.progress))
            .finish()
    }
}

impl BulkQueryOptions {
    /// With `maxRecords` per page.
    pub fn page_records(mut self, records: u64) -> Self {
        self.page_records = records;
        self
    }

    /// With a polling policy.
    pub fn poll(mut self, poll: PollPolicy) -> Self {
        self.poll = poll;
        self
    }

    /// With a progress hook.
    pub fn progress(mut self, hook: Arc<dyn Progress>) -> Self {
        self.progress = Some(hook);
        self
    }
}

/// One page of results, read one row at a time.
struct Page {
    reader: csv::Reader<Cursor<Bytes>>,
    shape: Shape,
    record: csv::StringRecord,
    rows: u64,
}

impl Page {
    fn new(body: Bytes, compounds: &[Compound]) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(Cursor::new(body));
        let shape = Shape::new(reader.headers().map_err(csv_error)?, compounds);
        Ok(Page {
            reader,
            shape,
            record: csv::StringRecord::new(),
            rows: 0,
        })
    }

    /// The next row as `T`, or `None` at the end of the page.
    fn next<T: DeserializeOwned>(&mut self) -> Result<Option<T>> {
        if !self
            .reader
            .read_record(&mut self.record)
            .map_err(csv_error)?
        {
            return Ok(None);
        }
        self.rows += 1;
        if let Ok(record) = T::deserialize(self.shape.row(&self.record)) {
            return Ok(Some(record));
        }
        // Decode again, tracking the path, only to say where it failed.
        let failed = serde_path_to_error::deserialize::<_, T>(self.shape.row(&self.record)).err();
        Err(Error::Decode {
            path: failed
                .as_ref()
                .map(|e| e.path().to_string())
                .unwrap_or_default(),
            message: format!(
                "Bulk query row {}: {}",
                self.rows,
                failed.map_or_else(|| "does not decode".to_owned(), |e| e.inner().to_string())
            ),
            excerpt: None,
        })
    }
}

/// Where a query stream is.
enum Stage {
    Start,
    Reading {
        job: String,
        page: Box<Page>,
        next: Option<String>,
    },
}

/// What a query stream needs between polls.
struct Query {
    client: Client,
    soql: Soql,
    /// The object whose generated field list the query selects: `INVALID_FIELD`
    /// then means schema drift.
    drift: Option<&'static str>,
    compounds: Vec<Compound>,
    options: BulkQueryOptions,
    tracker: Tracker,
}

impl Query {
    /// Creates the job and waits for its results; returns its id.
    async fn run_job(&self) -> Result<String> {
        let operation = if self.options.include_deleted {
            "queryAll"
        } else {
            "query"
        };
        let create = Request::post("jobs/query").json(&json!({
            "operation": operation,
            "query": self.soql.as_str(),
            "contentType": "CSV",
            "columnDelimiter": "COMMA",
            "lineEnding": "LF",
        }))?;
        let sent = self.client.send(create).await;
        let job: JobInfo = match self.drift {
            Some(object) => sent.map_err(|e| e.drift_for(object))?,
            None => sent?,
        }
        .json()?;
        let polled = self
            .client
            .poll_job(JobKind::Query, &job.id, self.options.poll, |_| {})
            .await?;
        match polled {
            Some(info) if info.state == "JobComplete" => {
                self.tracker.set_total(info.number_records_processed);
                Ok(job.id)
            }
            Some(info) => Err(Error::BulkJob {
                id: job.id,
                state: info.state,
                message: info
                    .error_message
                    .unwrap_or_else(|| "the job did not complete".into()),
            }),
            None => Err(Error::BulkJob {
                id: job.id,
                state: "InProgress".into(),
                message: format!(
                    "not finished after {:?}; the job goes on",
                    self.options.poll.timeout
                ),
            }),
        }
    }

    /// Fetches a page of results (the first when `locator` is `None`).
    async fn page(&self, job: &str, locator: Option<&str>) -> Result<(Page, Option<String>)> {
        let mut request = Request::get(job_path(JobKind::Query, job, "results")?)
            .query("maxRecords", self.options.page_records.max(1).to_string());
        if let Some(locator) = locator {
            request = request.query("locator", locator);
        }
        let response = self.client.send(request).await?;
        let next = match response
            .headers()
            .get(LOCATOR)
            .and_then(|v| v.to_str().ok())
        {
            Some("null") | Some("") => None,
            Some(locator) => Some(locator.to_owned()),
            None => {
                return Err(Error::Decode {
                    path: "Sforce-Locator".into(),
                    message: "a Bulk query result page without a Sforce-Locator header".into(),
                    excerpt: None,
                })
            }
        };
        Ok((Page::new(response.into_body(), &self.compounds)?, next))
    }

    /// The next record, moving through pages as needed.
    async fn step<T: DeserializeOwned>(&self, stage: Stage) -> Result<Option<(T, Stage)>> {
        let (job, mut page, mut next) = match stage {
            Stage::Start => {
                let job = self.run_job().await?;
                let (page, next) = self.page(&job, None).await?;
                (job, Box::new(page), next)
            }
            Stage::Reading { job, page, next } => (job, page, next),
        };
        loop {
            if let Some(record) = page.next()? {
                return Ok(Some((record, Stage::Reading { job, page, next })));
            }
            self.tracker.advance(page.rows);
            let Some(locator) = next.take() else {
                return Ok(None);
            };
            // Free this page before the next one arrives: one page in memory at a time.
            drop(page);
            let (fresh, following) = self.page(&job, Some(&locator)).await?;
            page = Box::new(fresh);
            next = following;
        }
    }
}

impl Client {
    /// Runs a SOQL query as a Bulk API 2.0 query job and streams its records,
    /// holding one result page (`maxRecords` rows) at a time. `T` is any
    /// `Deserialize` type; CSV cells are read as its fields ask (see the module
    /// docs). Bulk queries cannot select compound fields: use
    /// [`Client::bulk_query_records`] for generated types.
    pub fn bulk_query<T>(
        &self,
        soql: impl Into<Soql>,
        options: &BulkQueryOptions,
    ) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        let soql = soql.into();
        let drift = soql.generated_for();
        self.bulk_stream(soql, drift, Vec::new(), options)
    }

    /// Streams every `T` record (optionally filtered) through a Bulk query of the
    /// generated field list, with compound fields left out of the query and
    /// rebuilt from their components ([`bulk_fields`]).
    pub fn bulk_query_records<T: SObject>(
        &self,
        filter: Option<Condition>,
        options: &BulkQueryOptions,
    ) -> impl Stream<Item = Result<T>> + Send + 'static {
        let mut select = Select::object(T::API_NAME).fields(&bulk_fields::<T>());
        if let Some(filter) = filter {
            select = select.filter(filter);
        }
        let soql = Soql::new(select.to_string());
        self.bulk_stream(soql, Some(T::API_NAME), compounds(T::FIELDS), options)
    }

    fn bulk_stream<T>(
        &self,
        soql: Soql,
        drift: Option<&'static str>,
        compounds: Vec<Compound>,
        options: &BulkQueryOptions,
    ) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        let query = Arc::new(Query {
            client: self.clone(),
            soql,
            drift,
            compounds,
            tracker: Tracker::new(options.progress.clone(), 0),
            options: options.clone(),
        });
        stream::try_unfold(Stage::Start, move |stage| {
            let query = query.clone();
            async move { query.step(stage).await }
        })
        .boxed()
    }
}
