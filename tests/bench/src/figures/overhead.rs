//! Figure 9: what the client costs over the wire, with the defaults users get.
//!
//! - `query::<Account>` end to end (HTTP, decode into the generated type,
//!   pages streamed) against the floor: the same pages fetched with plain
//!   `GET`s (reqwest, no decode) from the same org. Goal: records/s at least
//!   0.9 of the floor's.
//! - Collections inserts of 30,000 records with `Limits::default()` against
//!   `Limits::unlimited()`. Goal: the default takes at most 1.1 times as long.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::TryStreamExt;
use sfgen_generated::{Account, AccountRequired, NewAccount};
use sfgen_runtime::{Limits, SObject};

use super::org::refresh_client;
use super::{Org, Sizes};
use crate::report::{ratio, Line, Verdict};

/// Best of this many runs of each side, interleaved so a busy machine slows both alike.
const ROUNDS: usize = 3;

pub async fn overhead(org: &mut Org, sizes: &Sizes) -> anyhow::Result<Vec<Line>> {
    let mut lines = query_vs_floor(org, sizes).await?;
    lines.extend(insert_default_vs_unlimited(org, sizes).await?);
    Ok(lines)
}

async fn query_vs_floor(org: &mut Org, sizes: &Sizes) -> anyhow::Result<Vec<Line>> {
    org.ensure_accounts(sizes.query_rows)?;
    let soql = format!("{} LIMIT {}", Account::soql_select(), sizes.query_rows);
    let http = reqwest::Client::new();
    let (mut client_best, mut floor_best) = (Duration::MAX, Duration::MAX);
    let mut bytes = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let rows = org
            .client
            .query::<Account>(soql.as_str())
            .try_fold(0usize, |n, _| async move { Ok(n + 1) })
            .await
            .context("query::<Account>")?;
        client_best = client_best.min(started.elapsed());
        if rows != sizes.query_rows {
            bail!("the query returned {rows} rows, not {}", sizes.query_rows);
        }
        let started = Instant::now();
        bytes = plain_gets(org, &http, &soql).await?;
        floor_best = floor_best.min(started.elapsed());
    }
    let rows = sizes.query_rows as f64;
    let client_rate = rows / client_best.as_secs_f64();
    let floor_rate = rows / floor_best.as_secs_f64();
    let r = client_rate / floor_rate;
    Ok(vec![
        Line::goal(
            9,
            format!(
                "query::<Account> {} rows x {} fields, records/s / plain-GET floor",
                sizes.query_rows,
                Account::FIELDS.len()
            ),
            ratio(r),
            ">= 0.90",
            Verdict::measure(r >= 0.9),
        ),
        Line::info(
            9,
            "query, best of 3",
            format!(
                "client {:.2} s ({:.0} records/s), floor {:.2} s ({:.0} records/s, {:.1} MB of pages)",
                client_best.as_secs_f64(),
                client_rate,
                floor_best.as_secs_f64(),
                floor_rate,
                bytes as f64 / 1e6
            ),
        ),
    ])
}

/// The query's pages with plain `GET`s and no decode beyond finding
/// `nextRecordsUrl`; returns the bytes received.
async fn plain_gets(org: &Org, http: &reqwest::Client, soql: &str) -> anyhow::Result<usize> {
    let instance = org.client.instance_url();
    let bearer = format!("Bearer {}", org.org.access_token());
    let version = org.client.api_version().trim_start_matches('v').to_owned();
    let mut url = instance
        .join(&format!("services/data/v{version}/query"))
        .context("the query URL")?;
    url.query_pairs_mut().append_pair("q", soql);
    let mut total = 0;
    loop {
        let body = http
            .get(url.clone())
            .header("Authorization", &bearer)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        total += body.len();
        let Some(next) = next_records_url(&body) else {
            return Ok(total);
        };
        url = instance.join(&next).context("nextRecordsUrl")?;
    }
}

/// `nextRecordsUrl` from a page's tail (the fake org, like Salesforce, writes
/// it after the records), found without parsing the page.
fn next_records_url(body: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"\"nextRecordsUrl\":\"";
    let at = body.windows(KEY.len()).rposition(|w| w == KEY)? + KEY.len();
    let end = body[at..].iter().position(|b| *b == b'"')?;
    Some(String::from_utf8_lossy(&body[at..at + end]).into_owned())
}

async fn insert_default_vs_unlimited(org: &mut Org, sizes: &Sizes) -> anyhow::Result<Vec<Line>> {
    let n = sizes.insert_overhead;
    let records: Vec<NewAccount> = (0..n)
        .map(|i| {
            NewAccount::new(AccountRequired {
                name: format!("Overhead {i:05}"),
            })
        })
        .collect();
    let default = refresh_client(&org.org, Limits::default()).await?;
    let unlimited = refresh_client(&org.org, Limits::unlimited()).await?;
    let (mut default_best, mut unlimited_best) = (Duration::MAX, Duration::MAX);
    for _ in 0..ROUNDS {
        for (client, best) in [
            (&default, &mut default_best),
            (&unlimited, &mut unlimited_best),
        ] {
            let started = Instant::now();
            let report = client
                .create_many(&records)
                .await
                .context("inserting through Collections")?;
            *best = (*best).min(started.elapsed());
            if report.written() != n {
                bail!("Collections wrote {} of {n} records", report.written());
            }
        }
    }
    let r = default_best.as_secs_f64() / unlimited_best.as_secs_f64();
    Ok(vec![
        Line::goal(
            9,
            format!("Collections insert of {n} records, Limits::default() time / unlimited"),
            ratio(r),
            "<= 1.10",
            Verdict::measure(r <= 1.1),
        ),
        Line::info(
            9,
            "insert, best of 3",
            format!(
                "default {:.2} s ({:.0} records/s), unlimited {:.2} s",
                default_best.as_secs_f64(),
                n as f64 / default_best.as_secs_f64(),
                unlimited_best.as_secs_f64()
            ),
        ),
    ])
}
