//! Bulk API 2.0 query jobs, streamed page by page into typed records.

use std::fmt;
use std::sync::Arc;

use bytes::{Buf, Bytes};
use futures::{stream, Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::json;

use super::row_de::Shape;
use super::select::{bulk_fields, compounds, Compound};
use super::{job_path, JobInfo, JobKind, PollPolicy};
use crate::batch::progress::{HookDebug, Progress, Tracker};
use crate::client::StreamedResponse;
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

/// One page of results, parsed as its body arrives: memory holds a network
/// chunk and one row, not the page.
struct Page {
    body: StreamedResponse,
    /// What is left of the current chunk.
    chunk: Bytes,
    /// The body has ended (the parser is then fed empty input, its end-of-file signal).
    ended: bool,
    parser: csv_core::Reader,
    /// The current row's cell bytes and where each cell ends.
    cells: Vec<u8>,
    ends: Vec<usize>,
    record: csv::StringRecord,
    /// From the header row, read before the first record.
    shape: Shape,
    rows: u64,
}

impl Page {
    async fn new(body: StreamedResponse, compounds: &[Compound]) -> Result<Self> {
        let mut page = Page {
            body,
            chunk: Bytes::new(),
            ended: false,
            parser: csv_core::Reader::new(),
            cells: vec![0; 4096],
            ends: vec![0; 64],
            record: csv::StringRecord::new(),
            shape: Shape::new(&csv::StringRecord::new(), compounds),
            rows: 0,
        };
        page.skip_byte_order_mark().await?;
        if page.read_record().await? {
            page.shape = Shape::new(&page.record, compounds);
        }
        Ok(page)
    }

    /// Drops a UTF-8 byte order mark before the header row, gathering the
    /// body's first bytes so that one split across chunks is still seen.
    async fn skip_byte_order_mark(&mut self) -> Result<()> {
        let mut head = Bytes::new();
        while head.len() < BOM.len() {
            match self.body.chunk().await? {
                // Usually the first chunk holds it all: no copy then.
                Some(chunk) if head.is_empty() => head = chunk,
                Some(chunk) => head = [head.as_ref(), chunk.as_ref()].concat().into(),
                None => {
                    self.ended = true;
                    break;
                }
            }
        }
        self.chunk = match head.strip_prefix(BOM) {
            Some(_) => head.slice(BOM.len()..),
            None => head,
        };
        Ok(())
    }

    /// Reads the next CSV record into `self.record`; `false` at the end of the body.
    async fn read_record(&mut self) -> Result<bool> {
        let (mut cells_len, mut ends_len) = (0, 0);
        loop {
            if self.chunk.is_empty() && !self.ended {
                match self.body.chunk().await? {
                    Some(chunk) => self.chunk = chunk,
                    None => self.ended = true,
                }
                continue;
            }
            let (result, read, written, ended) = self.parser.read_record(
                &self.chunk,
                &mut self.cells[cells_len..],
                &mut self.ends[ends_len..],
            );
            self.chunk.advance(read);
            cells_len += written;
            ends_len += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let len = self.cells.len() * 2;
                    self.cells.resize(len, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len() * 2;
                    self.ends.resize(len, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    return self.fill_record(cells_len, ends_len).map(|()| true)
                }
                csv_core::ReadRecordResult::End => return Ok(false),
            }
        }
    }

    /// Copies the parsed cells into `self.record`, checking they are UTF-8.
    fn fill_record(&mut self, cells_len: usize, ends_len: usize) -> Result<()> {
        self.record.clear();
        let mut start = 0;
        for &end in &self.ends[..ends_len.min(self.ends.len())] {
            let bytes = self.cells[..cells_len].get(start..end).unwrap_or_default();
            let cell = std::str::from_utf8(bytes).map_err(|e| Error::Decode {
                path: String::new(),
                message: format!(
                    "Bulk query row {}: a cell is not UTF-8 ({e})",
                    self.rows + 1
                ),
                excerpt: None,
            })?;
            self.record.push_field(cell);
            start = end;
        }
        Ok(())
    }

    /// The next row as `T`, or `None` at the end of the page.
    async fn next<T: DeserializeOwned>(&mut self) -> Result<Option<T>> {
        if !self.read_record().await? {
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

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

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
        let response = self.client.send_streamed(request).await?;
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
        Ok((Page::new(response, &self.compounds).await?, next))
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
            if let Some(record) = page.next().await? {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use reqwest::header::HeaderMap;

    use super::*;

    /// Quotes, doubled quotes, commas and line breaks inside cells, an empty
    /// cell, CRLF and LF line ends, no line end after the last row.
    const CSV: &str = "\u{feff}\"Id\",\"Name\",\"Description\"\n\
        \"001A\",\"Acme, Inc.\",\"said \"\"hi\"\"\nthen left\"\r\n\
        \"001B\",\"\",\"\u{e9}t\u{e9}\"\n\
        \"001C\",\"Zed\",\"last\"";

    fn expected() -> Vec<BTreeMap<String, String>> {
        let mut reader = csv::Reader::from_reader(CSV.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader.headers().expect("headers").clone();
        reader
            .records()
            .map(|r| {
                let r = r.expect("a record");
                headers
                    .iter()
                    .zip(r.iter())
                    .map(|(h, c)| (h.to_owned(), c.to_owned()))
                    .collect()
            })
            .collect()
    }

    async fn read(chunks: Vec<Bytes>) -> Result<Vec<BTreeMap<String, String>>> {
        let body = StreamedResponse::from_chunks(HeaderMap::new(), chunks);
        let mut page = Page::new(body, &[]).await?;
        let mut rows = Vec::new();
        while let Some(row) = page.next::<BTreeMap<String, String>>().await? {
            rows.push(row);
        }
        Ok(rows)
    }

    #[tokio::test]
    async fn rows_are_the_same_wherever_the_chunks_split() {
        let bytes = Bytes::from_static(CSV.as_bytes());
        let want = expected();
        assert_eq!(want.len(), 3);
        assert_eq!(want[0]["Description"], "said \"hi\"\nthen left");
        for at in 0..=bytes.len() {
            let chunks = vec![bytes.slice(..at), bytes.slice(at..)];
            assert_eq!(read(chunks).await.expect("decodes"), want, "split at {at}");
        }
        let one_byte_each = (0..bytes.len()).map(|i| bytes.slice(i..i + 1)).collect();
        assert_eq!(read(one_byte_each).await.expect("decodes"), want);
    }

    #[tokio::test]
    async fn wide_rows_and_long_cells_grow_the_buffers() {
        let columns: Vec<String> = (0..300).map(|i| format!("F{i}")).collect();
        let long = "x".repeat(50_000);
        let row: Vec<&str> = (0..300)
            .map(|i| if i == 7 { long.as_str() } else { "v" })
            .collect();
        let text = format!("{}\n{}\n", columns.join(","), row.join(","));
        let rows = read(vec![Bytes::from(text)]).await.expect("decodes");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].len(), 300);
        assert_eq!(rows[0]["F7"].len(), 50_000);
        assert_eq!(rows[0]["F299"], "v");
    }

    #[tokio::test]
    async fn an_empty_body_has_no_rows_and_bad_utf8_names_the_row() {
        assert!(read(Vec::new()).await.expect("decodes").is_empty());
        assert!(read(vec![Bytes::from_static(b"Id,Name\n")])
            .await
            .expect("decodes")
            .is_empty());
        let bad = Bytes::from_static(b"Id,Name\n001A,ok\n001B,\xff\n");
        let err = read(vec![bad]).await.expect_err("not UTF-8");
        assert!(err.to_string().contains("row 2"), "{err}");
    }
}
