//! How fast the fake org serves a large query: 100,000 Accounts, all 65 fields
//! of the workspace's Account describe, paged 2,000 rows at a time over loopback.
//!
//! `cargo run --release -p sfgen-fake-org --example query_pages` prints the time
//! of the first page (which runs the query), of the 49 later pages (served from
//! the cursor), the bytes sent, and the time of four clients paging the same
//! query at once (reads share the store). Bodies are read as bytes, not decoded.

use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{json, Map, Value};
use sfgen_fake_org::{FakeOrg, RunningOrg};

const RECORDS: usize = 100_000;

/// A benchmark Account: the fields a real one has set.
fn account(i: usize) -> Map<String, Value> {
    const INDUSTRIES: [&str; 4] = ["Energy", "Media", "Banking", "Retail"];
    let record = json!({
        "Name": format!("Account {i:07}"),
        "AccountNumber": format!("AN-{i:07}"),
        "Industry": INDUSTRIES[i % INDUSTRIES.len()],
        "Type": "Customer - Direct",
        "BillingStreet": format!("{} Market Street", i % 977),
        "BillingCity": "San Francisco",
        "BillingState": "CA",
        "BillingPostalCode": "94105",
        "BillingCountry": "USA",
        "Phone": format!("+1 415 555 {:04}", i % 10_000),
        "Website": format!("https://example.com/{i}"),
        "AnnualRevenue": (i % 1_000) * 10_000,
        "NumberOfEmployees": i,
        "Description": "A customer account loaded for the benchmark.",
    });
    record.as_object().cloned().unwrap_or_default()
}

/// Every field of the org's Account describe.
fn all_fields(org: &RunningOrg) -> String {
    org.store().with_schema(|s| {
        s.object("Account")
            .map(|o| {
                o.fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    })
}

/// Pages through `soql`; returns (rows, bytes, first page time, total time).
async fn page_through(
    client: &reqwest::Client,
    org: &RunningOrg,
    soql: &str,
) -> anyhow::Result<(u64, u64, Duration, Duration)> {
    let started = Instant::now();
    let mut url = format!("{}/query", org.data_url());
    let mut query = Some(soql.to_owned());
    let (mut rows, mut bytes) = (0u64, 0u64);
    let mut first = None;
    loop {
        let mut request = client.get(&url).bearer_auth(org.access_token());
        if let Some(q) = query.take() {
            request = request.query(&[("q", q)]);
        }
        let body = request.send().await?.error_for_status()?.bytes().await?;
        bytes += body.len() as u64;
        first.get_or_insert_with(|| started.elapsed());
        // Find the next URL without decoding the page: it sits before `records`.
        let head = &body[..body.len().min(512)];
        let head = String::from_utf8_lossy(head);
        rows += 2000;
        match head
            .split_once("\"nextRecordsUrl\":\"")
            .and_then(|(_, rest)| rest.split_once('"'))
        {
            Some((next, _)) => url = format!("{}{next}", org.instance_url()),
            None => break,
        }
    }
    Ok((
        rows.min(RECORDS as u64),
        bytes,
        first.unwrap_or_default(),
        started.elapsed(),
    ))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let org = FakeOrg::builder()
        .start()
        .await
        .context("starting the org")?;
    let started = Instant::now();
    org.store()
        .bulk_load("Account", (0..RECORDS).map(account))
        .context("loading")?;
    println!("loaded {RECORDS} Accounts in {:.2?}", started.elapsed());
    let fields = all_fields(&org);
    let soql = format!("SELECT {fields} FROM Account");
    println!("{} fields selected", fields.split(", ").count());
    let client = reqwest::Client::new();

    // Warm up (connection, allocator).
    page_through(&client, &org, &soql).await?;
    let (rows, bytes, first, total) = page_through(&client, &org, &soql).await?;
    println!(
        "one client: {rows} rows, {:.1} MB in {total:.2?} (first page {first:.2?}, later pages {:.2?} each)",
        bytes as f64 / 1e6,
        (total - first) / 49
    );

    let started = Instant::now();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let (client, org, soql) = (client.clone(), &org, soql.clone());
            async move { page_through(&client, org, &soql).await }
        })
        .collect();
    for result in futures::future::join_all(runs).await {
        result?;
    }
    println!(
        "four clients at once: 4 x {RECORDS} rows in {:.2?}",
        started.elapsed()
    );
    org.shutdown().await;
    Ok(())
}
