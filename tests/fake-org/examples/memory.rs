//! Memory of a fake org holding 1,000,000 Accounts with 11 fields each.
//!
//! `cargo run --release -p sfgen-fake-org --example memory` prints the resident
//! set size before and after loading, the store's own byte count, and the time
//! and memory of one filtered query over all records and of paging through them.

use std::time::Instant;

use anyhow::Context;
use serde_json::{json, Map, Value};
use sfgen_fake_org::FakeOrg;

const RECORDS: usize = 1_000_000;

/// Resident set size in MiB (Linux `/proc/self/status`), 0 elsewhere.
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn account(i: usize) -> Map<String, Value> {
    let industries = ["Retail", "Banking", "Energy", "Media", "Technology"];
    let value = json!({
        "Name": format!("Account {i:07}"),
        "AccountNumber": format!("AN-{i:07}"),
        "Phone": format!("+1 555 {:07}", i % 10_000_000),
        "Industry": industries[i % industries.len()],
        "Type": "Customer - Direct",
        "Website": format!("https://example{}.com", i % 1000),
        "BillingCity": "Paris",
        "BillingState": "IDF",
        "BillingCountry": "France",
        "NumberOfEmployees": i % 5000,
        "AnnualRevenue": (i % 1000) as f64 * 1000.5,
    });
    value.as_object().cloned().unwrap_or_default()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let org = FakeOrg::builder()
        .start()
        .await
        .context("starting the org")?;
    let before = rss_mib();
    let started = Instant::now();
    let loaded = org
        .store()
        .bulk_load("Account", (0..RECORDS).map(account))
        .context("loading")?;
    let load_time = started.elapsed();
    let after = rss_mib();
    println!("loaded {loaded} Accounts (11 fields each) in {load_time:.2?}");
    println!(
        "RSS before load: {before:.1} MiB, after: {after:.1} MiB, growth: {:.1} MiB",
        after - before
    );
    println!(
        "store heap (row headers + value arenas): {:.1} MiB = {:.0} bytes/record",
        org.store().heap_bytes() as f64 / 1_048_576.0,
        org.store().heap_bytes() as f64 / loaded as f64
    );

    let client = reqwest::Client::new();
    let query = |soql: &str| {
        client
            .get(format!("{}/query", org.data_url()))
            .query(&[("q", soql)])
            .bearer_auth(org.access_token())
            .send()
    };
    let started = Instant::now();
    let page: Value = query("SELECT Id, Name FROM Account WHERE Industry = 'Energy' AND NumberOfEmployees < 10 ORDER BY Name DESC LIMIT 5")
        .await?
        .json()
        .await?;
    println!(
        "filtered+sorted query over {RECORDS}: totalSize {} in {:.2?}, RSS now {:.1} MiB",
        page["totalSize"],
        started.elapsed(),
        rss_mib()
    );

    let started = Instant::now();
    let mut page: Value = query("SELECT Id, Name, Industry FROM Account")
        .await?
        .json()
        .await?;
    let mut pages = 1;
    let mut peak = rss_mib();
    while let Some(next) = page["nextRecordsUrl"].as_str().map(str::to_owned) {
        page = client
            .get(format!("{}{next}", org.instance_url()))
            .bearer_auth(org.access_token())
            .send()
            .await?
            .json()
            .await?;
        pages += 1;
        peak = peak.max(rss_mib());
    }
    println!(
        "paged through all {} records in {pages} pages in {:.2?}, peak RSS {peak:.1} MiB",
        page["totalSize"],
        started.elapsed()
    );
    org.shutdown().await;
    Ok(())
}
