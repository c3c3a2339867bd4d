//! Figure 10: what a 5-field projection saves over every generated field, on
//! the path users take with the default client settings.
//!
//! - `query::<Contact>(Select::from::<Contact>())` (every generated field)
//!   against `query::<ContactRow>(Select::from::<Contact>().project::<ContactRow>())`
//!   (a [`projection!`](sfgen_runtime::projection!) of 5 columns), over the
//!   same Contacts;
//! - bytes: the response bodies of `/query` and its pages, counted by a TCP
//!   proxy in front of the org ([`CountingProxy`]), one run of each through it;
//! - wall time: best of 3 runs of each, interleaved, straight to the org;
//! - decode: one recorded page of each shape decoded as the client decodes it
//!   ([`Response::json`] into a [`QueryPage`]), best of `decode_rounds`, in
//!   this process (typed decode builds no `serde_json::Map`, so the fake
//!   org's `preserve_order` feature does not change it).

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::TryStreamExt;
use serde::de::DeserializeOwned;
use sfgen_generated::contact::columns;
use sfgen_generated::Contact;
use sfgen_runtime::query::Projection;
use sfgen_runtime::soql::Select;
use sfgen_runtime::{Client, Credentials, Id, Limits, QueryPage, Request, Response, SObject};

use super::wire::CountingProxy;
use super::{Org, Sizes};
use crate::report::{ratio, Line, Verdict};

/// Best of this many streams of each shape, interleaved so a busy machine slows both alike.
const ROUNDS: usize = 3;

sfgen_runtime::projection! {
    /// The 5 fields a mailing job reads of a Contact.
    #[derive(Debug, Clone)]
    pub struct ContactRow from Contact {
        pub id: Id<Contact> = columns::ID,
        pub first_name: Option<String> = columns::FIRST_NAME,
        pub last_name: String = columns::LAST_NAME,
        pub email: Option<String> = columns::EMAIL,
        pub mailing_city: Option<String> = columns::MAILING_CITY,
    }
}

pub async fn projection(org: &mut Org, sizes: &Sizes) -> anyhow::Result<Vec<Line>> {
    let n = sizes.projection_rows;
    org.ensure_contacts(n)?;
    let full = || Select::from::<Contact>();
    let projected = || Select::from::<Contact>().project::<ContactRow>();
    let projected_fields = ContactRow::fields().len();

    // Bytes: one stream of each through the counting proxy.
    let proxy = CountingProxy::start(org.org.instance_url(), "/query").await?;
    let counted = Client::builder()
        .limits(Limits::default())
        .connect(Credentials::access_token(
            proxy.url().clone(),
            org.org.issue_access_token(),
        ))
        .await
        .context("connecting to the fake org through the counting proxy")?;
    proxy.take();
    stream(&counted, full(), n, "query::<Contact>").await?;
    let full_bytes = proxy.take();
    stream(&counted, projected(), n, "query::<ContactRow>").await?;
    let projected_bytes = proxy.take();
    proxy.shutdown();

    // Wall time: the org's own client (refresh token, default limits), no proxy.
    let (mut full_best, mut projected_best) = (Duration::MAX, Duration::MAX);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        stream(&org.client, full(), n, "query::<Contact>").await?;
        full_best = full_best.min(started.elapsed());
        let started = Instant::now();
        stream(&org.client, projected(), n, "query::<ContactRow>").await?;
        projected_best = projected_best.min(started.elapsed());
    }

    // Decode: one full page of each shape, decoded in this process.
    let page_rows = sizes.page.min(n);
    let full_page = first_page(org, full().limit(page_rows as u64).to_string()).await?;
    let projected_page = first_page(org, projected().limit(page_rows as u64).to_string()).await?;
    let rounds = sizes.decode_rounds.max(1);
    let (mut full_decode, mut projected_decode) = (Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        full_decode = full_decode.min(decode::<Contact>(&full_page, page_rows)?);
        projected_decode = projected_decode.min(decode::<ContactRow>(&projected_page, page_rows)?);
    }

    let bytes_ratio = projected_bytes.body_bytes as f64 / full_bytes.body_bytes as f64;
    let time_ratio = projected_best.as_secs_f64() / full_best.as_secs_f64();
    let decode_ratio = projected_decode.as_secs_f64() / full_decode.as_secs_f64();
    let shapes = format!(
        "{projected_fields}-field projection / all {} fields",
        Contact::FIELDS.len()
    );
    Ok(vec![
        Line::goal(
            10,
            format!("/query response bytes, {n} Contacts, {shapes}"),
            ratio(bytes_ratio),
            "none",
            Verdict::Info,
        ),
        Line::info(
            10,
            "bytes of response bodies (with heads and framing)",
            format!(
                "all fields {} ({}) in {} responses, projection {} ({}) in {} responses",
                bytes(full_bytes.body_bytes),
                bytes(full_bytes.wire_bytes),
                full_bytes.responses,
                bytes(projected_bytes.body_bytes),
                bytes(projected_bytes.wire_bytes),
                projected_bytes.responses
            ),
        ),
        Line::goal(
            10,
            format!("wall time to stream {n} Contacts, {shapes}"),
            ratio(time_ratio),
            "none",
            Verdict::Info,
        ),
        Line::info(
            10,
            format!("stream, best of {ROUNDS}"),
            format!(
                "all fields {:.3} s ({:.0} records/s), projection {:.3} s ({:.0} records/s)",
                full_best.as_secs_f64(),
                n as f64 / full_best.as_secs_f64(),
                projected_best.as_secs_f64(),
                n as f64 / projected_best.as_secs_f64()
            ),
        ),
        Line::goal(
            10,
            format!("decode of a {page_rows}-row page, {shapes}"),
            ratio(decode_ratio),
            "none",
            Verdict::Info,
        ),
        Line::info(
            10,
            format!("decode, best of {rounds}"),
            format!(
                "all fields {:.2} ms ({} page), projection {:.2} ms ({} page); decode is {:.0}% and {:.0}% of the stream's time",
                full_decode.as_secs_f64() * 1e3,
                bytes(full_page.body().len() as u64),
                projected_decode.as_secs_f64() * 1e3,
                bytes(projected_page.body().len() as u64),
                share(full_decode, page_rows, full_best, n),
                share(projected_decode, page_rows, projected_best, n)
            ),
        ),
    ])
}

/// Streams every row of `select` and checks that there are `n`.
async fn stream<R>(
    client: &Client,
    select: Select<Contact, R>,
    n: usize,
    what: &str,
) -> anyhow::Result<()>
where
    R: DeserializeOwned + Send + 'static,
{
    let rows = client
        .query::<R>(select)
        .try_fold(0usize, |rows, _| async move { Ok(rows + 1) })
        .await
        .with_context(|| what.to_owned())?;
    if rows != n {
        bail!("{what} returned {rows} rows, not {n}");
    }
    Ok(())
}

/// The first page of `soql`, as the org sends it.
async fn first_page(org: &Org, soql: String) -> anyhow::Result<Response> {
    org.client
        .send(Request::get("query").query("q", soql))
        .await
        .context("fetching a page")
}

/// Decodes `page` as the client decodes a query page; returns the time taken.
fn decode<T: DeserializeOwned>(page: &Response, rows: usize) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let decoded: QueryPage<T> = page.json()?;
    let elapsed = started.elapsed();
    if decoded.records.len() != rows {
        bail!(
            "the page decoded to {} rows, not {rows}",
            decoded.records.len()
        );
    }
    drop(std::hint::black_box(decoded));
    Ok(elapsed)
}

/// Decode's share of a stream, in percent: the page's decode time scaled to
/// the stream's rows, over the stream's time.
fn share(page: Duration, page_rows: usize, stream: Duration, rows: usize) -> f64 {
    page.as_secs_f64() * rows as f64 / page_rows as f64 / stream.as_secs_f64() * 100.0
}

/// Bytes as MB (10^6), with the exact count.
fn bytes(n: u64) -> String {
    format!("{:.2} MB = {n} B", n as f64 / 1e6)
}
