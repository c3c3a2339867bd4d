//! SOQL queries as streams of records that follow `nextRecordsUrl` until `done`.

use futures::{stream, Stream, StreamExt, TryStreamExt};
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

use super::request::{Request, Response};
use super::Client;
use crate::error::{Error, Result};
use crate::query::ChildPages;
use crate::soql::{Generated, IntoQuery, Select, Soql};

/// The header that sets a query's page size.
const QUERY_OPTIONS: HeaderName = HeaderName::from_static("sforce-query-options");

/// How a query is run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryOptions {
    /// Records per page (`Sforce-Query-Options: batchSize=N`; Salesforce accepts
    /// 200 to 2,000 and defaults to 2,000; it may return fewer).
    pub batch_size: Option<u32>,
    /// Include deleted and archived records (`queryAll`).
    pub include_deleted: bool,
}

impl QueryOptions {
    /// With a page size.
    pub fn batch_size(mut self, records: u32) -> Self {
        self.batch_size = Some(records);
        self
    }

    /// Including deleted and archived records.
    pub fn include_deleted(mut self) -> Self {
        self.include_deleted = true;
        self
    }
}

/// One page of a query result.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryPage<T> {
    /// How many records the whole query matches.
    pub total_size: u64,
    /// Whether this is the last page.
    pub done: bool,
    /// The next page, when not `done`.
    #[serde(default)]
    pub next_records_url: Option<String>,
    /// This page's records.
    pub records: Vec<T>,
}

impl<T> QueryPage<T> {
    /// The request for the next page, or `None` after the last one. A page that is
    /// not `done` but names no next page is an error, never a silent end.
    fn next_request(&self, options: QueryOptions) -> Result<Option<Request>> {
        if self.done {
            return Ok(None);
        }
        match self.next_records_url.as_deref() {
            Some(url) if url.starts_with("/services/") => {
                Ok(Some(with_options(Request::get(url), options)))
            }
            Some(url) => Err(Error::Decode {
                path: "nextRecordsUrl".into(),
                message: format!("`{url}` is not a path under /services/"),
                excerpt: None,
            }),
            None => Err(Error::Decode {
                path: "nextRecordsUrl".into(),
                message: "the page is not the last (`done` is false) but names no next page".into(),
                excerpt: None,
            }),
        }
    }
}

/// Where a query's page stream stands.
enum Ahead {
    /// The first page is still to be asked for.
    Request(Box<Request>),
    /// The next page is on its way.
    Fetching(Prefetch),
    /// The last page was returned.
    Done,
}

/// The request for the next page, running while this one is decoded and
/// read; cancelled when dropped (the caller stopped reading).
struct Prefetch(tokio::task::JoinHandle<Result<Response>>);

impl Prefetch {
    async fn response(mut self) -> Result<Response> {
        match (&mut self.0).await {
            Ok(page) => page,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(Error::Config(format!(
                "the next query page was not fetched: {e}"
            ))),
        }
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn with_options(request: Request, options: QueryOptions) -> Request {
    match options
        .batch_size
        .and_then(|n| HeaderValue::from_str(&format!("batchSize={n}")).ok())
    {
        Some(value) => request.header(QUERY_OPTIONS, value),
        None => request,
    }
}

impl Client {
    /// Every record a query returns, as a stream that fetches one page at a time
    /// (memory stays at about one page, whatever the total).
    pub fn query<T>(
        &self,
        soql: impl IntoQuery<T>,
    ) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.query_with(soql, QueryOptions::default())
    }

    /// Like [`Client::query`], including deleted and archived records (`queryAll`).
    pub fn query_all<T>(
        &self,
        soql: impl IntoQuery<T>,
    ) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.query_with(soql, QueryOptions::default().include_deleted())
    }

    /// Like [`Client::query`], with options (page size, deleted records).
    pub fn query_with<T>(
        &self,
        soql: impl IntoQuery<T>,
        options: QueryOptions,
    ) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.query_pages(soql, options)
            .map_ok(|page| stream::iter(page.records.into_iter().map(Ok)))
            .try_flatten()
    }

    /// The pages of a query. As soon as a page's bytes have arrived, the next
    /// page is asked for, and this one is decoded while the org prepares the
    /// next (one page ahead, no more: memory stays at about two pages, whatever
    /// the total); dropping the stream cancels that request.
    pub fn query_pages<T>(
        &self,
        soql: impl IntoQuery<T>,
        options: QueryOptions,
    ) -> impl Stream<Item = Result<QueryPage<T>>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        let paging = soql.child_paging();
        let soql = soql.into_soql();
        let client = self.clone();
        let first = first_request(&soql, options);
        let drift = std::sync::Arc::new(soql.generated_for().zip(soql.generated().cloned()));
        stream::try_unfold(Ahead::Request(Box::new(first)), move |state| {
            let client = client.clone();
            let drift = drift.clone();
            async move {
                let response = match state {
                    Ahead::Done => return Ok(None),
                    Ahead::Request(request) => {
                        client.fetch_page(*request, (*drift).as_ref()).await?
                    }
                    Ahead::Fetching(prefetch) => prefetch.response().await?,
                };
                // Only `done` and `nextRecordsUrl` (the records are skipped), so
                // the next request is on its way before this page is decoded.
                let cursor: QueryPage<IgnoredAny> = response.json()?;
                let state = match cursor.next_request(options)? {
                    Some(request) => Ahead::Fetching(Prefetch(tokio::spawn({
                        let client = client.clone();
                        async move { client.fetch_page(request, (*drift).as_ref()).await }
                    }))),
                    None => Ahead::Done,
                };
                let mut page: QueryPage<T> = response.json()?;
                if let Some(paging) = paging {
                    for row in &mut page.records {
                        client
                            .complete_children(paging.pending(row), options)
                            .await?;
                    }
                }
                Ok(Some((page, state)))
            }
        })
        .boxed()
    }

    /// The first page of a query, for callers that page with a cursor themselves
    /// (pass its `next_records_url` to [`Client::query_next_page`]).
    pub async fn query_page<T: DeserializeOwned>(
        &self,
        soql: impl IntoQuery<T>,
        options: QueryOptions,
    ) -> Result<QueryPage<T>> {
        let soql = soql.into_soql();
        let drift = soql.generated_for().zip(soql.generated().cloned());
        self.fetch_page(first_request(&soql, options), drift.as_ref())
            .await?
            .json()
    }

    /// How many records `select` matches: `SELECT COUNT() FROM … WHERE …`
    /// ([`Select::count`]), answered by the page's `totalSize` without rows.
    pub async fn count<O, R>(&self, select: &Select<O, R>) -> Result<u64> {
        let page: QueryPage<IgnoredAny> = self
            .fetch_page(
                first_request(&select.count(), QueryOptions::default()),
                None,
            )
            .await?
            .json()?;
        Ok(page.total_size)
    }

    /// The page at a `nextRecordsUrl`.
    pub async fn query_next_page<T: DeserializeOwned>(
        &self,
        next_records_url: &str,
        options: QueryOptions,
    ) -> Result<QueryPage<T>> {
        let cursor = QueryPage::<T> {
            total_size: 0,
            done: false,
            next_records_url: Some(next_records_url.to_owned()),
            records: Vec::new(),
        };
        match cursor.next_request(options)? {
            Some(request) => self.fetch_page(request, None).await?.json(),
            None => Err(Error::Config("no next page".into())),
        }
    }

    /// Fetches the further pages of a row's child lists (Salesforce nests a
    /// subquery's first page in the row and stops after 200 children by
    /// default), so the row comes back whole.
    async fn complete_children(
        &self,
        lists: Vec<&mut dyn ChildPages>,
        options: QueryOptions,
    ) -> Result<()> {
        for list in lists {
            while let Some(url) = list.next_records_url().map(str::to_owned) {
                let cursor = QueryPage::<IgnoredAny> {
                    total_size: 0,
                    done: false,
                    next_records_url: Some(url.clone()),
                    records: Vec::new(),
                };
                let Some(request) = cursor.next_request(options)? else {
                    break;
                };
                let response = self.send(request).await?;
                list.append_page(response.body())
                    .map_err(|e| Error::Decode {
                        path: "records".into(),
                        message: format!("a child page from `{url}`: {}", e.message),
                        excerpt: None,
                    })?;
            }
        }
        Ok(())
    }

    /// A query page's response, its bytes read but not decoded.
    async fn fetch_page(
        &self,
        request: Request,
        drift: Option<&(&'static str, Generated)>,
    ) -> Result<Response> {
        self.send(request).await.map_err(|e| match drift {
            Some((object, generated)) => {
                e.drift_in(object, Some(&generated.fields), generated.regenerate)
            }
            None => e,
        })
    }
}

fn first_request(soql: &Soql, options: QueryOptions) -> Request {
    let resource = if options.include_deleted {
        "queryAll"
    } else {
        "query"
    };
    with_options(Request::get(resource).query("q", soql.as_str()), options)
}
