//! Runtime figures, printed (not a timed test):
//!
//! 1. typed decode throughput of a 2,000-record Account page into the generated
//!    `Account`, against `serde_json::Value` (goal: ratio >= 1.0) and
//!    `serde::de::IgnoredAny` (the parser alone);
//! 2. HTTP calls to query 100,000 records, against ceil(100,000 / 2,000) (goal 1.00);
//! 3. peak memory (VmHWM) of a process streaming 1,000,000 records from the fake
//!    org, against one streaming 10,000 (goal: ratio <= 1.2). Each stream runs in
//!    a child process (this binary with `--stream-child`), so the fake org's own
//!    memory, in this process, does not count.
//!
//! `cargo bench -p sfgen-runtime --bench runtime`; `SFGEN_BENCH_RECORDS=200000`
//! streams fewer records for a quick run.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::TryStreamExt;
use serde::de::IgnoredAny;
use serde_json::{json, Map, Value};
use sfgen_fake_org::{FakeOrg, RunningOrg};
use sfgen_generated::Account;
use sfgen_runtime::{Client, Credentials, Limits, QueryOptions, QueryPage, Request, SObject, Url};

const PAGE: usize = 2_000;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--stream-child") {
        return stream_child(args.get(at + 1..).unwrap_or_default());
    }
    let records: usize = match std::env::var("SFGEN_BENCH_RECORDS") {
        Ok(n) => n.parse().context("SFGEN_BENCH_RECORDS is a number")?,
        Err(_) => 1_000_000,
    };
    tokio::runtime::Runtime::new()?.block_on(run(records))
}

fn account(i: usize) -> Map<String, Value> {
    let industry = ["Energy", "Media", "Banking", "Retail"][i % 4];
    let record = json!({
        "Name": format!("Account {i:07}"),
        "Industry": industry,
        "BillingStreet": format!("{} Market Street", i % 977),
        "BillingCity": "San Francisco",
        "BillingState": "CA",
        "BillingPostalCode": "94105",
        "BillingCountry": "USA",
        "Phone": format!("+1 415 555 {:04}", i % 10_000),
        "Website": format!("https://example.com/{i}"),
        "AnnualRevenue": (i % 1_000) * 10_000,
        "NumberOfEmployees": i % 5_000,
        "Description": "A customer account created for the runtime benchmark.",
    });
    match record {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn load(org: &RunningOrg, from: usize, to: usize) -> anyhow::Result<()> {
    org.store()
        .bulk_load("Account", (from..to).map(account))
        .map_err(|e| anyhow::anyhow!("loading accounts: {e:?}"))?;
    Ok(())
}

async fn run(records: usize) -> anyhow::Result<()> {
    let versions: Vec<String> = (20..=66).map(|v| format!("{v}.0")).collect();
    let org = FakeOrg::builder().api_versions(versions).start().await?;
    let client = Client::builder()
        .limits(Limits::unlimited())
        .connect(Credentials::access_token(
            Url::parse(org.instance_url())?,
            org.access_token(),
        ))
        .await?;

    load(&org, 0, 100_000)?;
    decode_throughput(&client).await?;
    calls_per_100k(&org, &client).await?;

    load(&org, 100_000, records.max(100_000))?;
    peak_memory(&org, records)?;
    Ok(())
}

/// Times `decode` over `body` `rounds` times; the best round.
fn best_of(
    rounds: usize,
    body: &[u8],
    decode: impl Fn(&[u8]) -> anyhow::Result<usize>,
) -> anyhow::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..rounds {
        let started = Instant::now();
        let n = decode(body)?;
        best = best.min(started.elapsed());
        if n != PAGE {
            bail!("decoded {n} records, expected {PAGE}");
        }
    }
    Ok(best)
}

async fn decode_throughput(client: &Client) -> anyhow::Result<()> {
    let soql = format!("{} LIMIT {PAGE}", Account::soql_select());
    let response = client.send(Request::get("query").query("q", soql)).await?;
    let body = response.body().clone();
    let mb = body.len() as f64 / 1e6;
    let rounds = 30;
    let typed = best_of(rounds, &body, |b| {
        Ok(serde_json::from_slice::<QueryPage<Account>>(b)?
            .records
            .len())
    })?;
    let value = best_of(rounds, &body, |b| {
        Ok(serde_json::from_slice::<QueryPage<Value>>(b)?.records.len())
    })?;
    let ignored = best_of(rounds, &body, |b| {
        Ok(serde_json::from_slice::<QueryPage<IgnoredAny>>(b)?
            .records
            .len())
    })?;
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!(
        "decode of one {PAGE}-record Account page ({mb:.2} MB, {} fields), best of {rounds}:",
        Account::FIELDS.len()
    );
    println!(
        "  generated Account   {:>8.2} ms  {:>7.1} MB/s",
        typed.as_secs_f64() * 1e3,
        rate(typed)
    );
    println!(
        "  serde_json::Value   {:>8.2} ms  {:>7.1} MB/s",
        value.as_secs_f64() * 1e3,
        rate(value)
    );
    println!(
        "  IgnoredAny          {:>8.2} ms  {:>7.1} MB/s",
        ignored.as_secs_f64() * 1e3,
        rate(ignored)
    );
    println!(
        "  ratio typed/Value throughput = {:.2} (goal >= 1.0); typed/IgnoredAny = {:.2}",
        value.as_secs_f64() / typed.as_secs_f64(),
        ignored.as_secs_f64() / typed.as_secs_f64()
    );
    Ok(())
}

async fn calls_per_100k(org: &RunningOrg, client: &Client) -> anyhow::Result<()> {
    org.reset_counters();
    let count = client
        .query_with::<Account>(
            format!("{} LIMIT 100000", Account::soql_select()),
            QueryOptions::default().batch_size(PAGE as u32),
        )
        .try_fold(0usize, |n, _| async move { Ok(n + 1) })
        .await?;
    let calls = org.calls("GET */query*");
    let expected = 100_000usize.div_ceil(PAGE);
    println!("HTTP calls to query {count} records: {calls}; ceil(100000/{PAGE}) = {expected}; ratio {:.2} (goal 1.00)", calls as f64 / expected as f64);
    Ok(())
}

/// Runs `--stream-child` for `limit` records and returns (records, VmHWM in kB, seconds).
fn child(org: &RunningOrg, limit: usize) -> anyhow::Result<(u64, u64, f64)> {
    let exe = std::env::current_exe()?;
    let output = Command::new(exe)
        .args([
            "--stream-child",
            org.instance_url(),
            org.access_token(),
            &limit.to_string(),
        ])
        .output()
        .context("running the streaming child")?;
    if !output.status.success() {
        bail!(
            "the streaming child failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report: Value = serde_json::from_slice(&output.stdout).context("the child's report")?;
    let field = |k: &str| {
        report[k]
            .as_f64()
            .with_context(|| format!("`{k}` in the child's report"))
    };
    Ok((
        field("records")? as u64,
        field("vm_hwm_kb")? as u64,
        field("seconds")?,
    ))
}

fn peak_memory(org: &RunningOrg, records: usize) -> anyhow::Result<()> {
    let small = child(org, 10_000)?;
    let large = child(org, records)?;
    println!("peak memory (VmHWM) of a process streaming generated Accounts, {PAGE}-record pages:");
    for (n, kb, secs) in [small, large] {
        println!(
            "  {n:>9} records: {:>7.1} MB peak, {:.1} s, {:.0} records/s",
            kb as f64 / 1024.0,
            secs,
            n as f64 / secs
        );
    }
    println!(
        "  ratio {records} / 10000 = {:.3} (goal <= 1.2)",
        large.1 as f64 / small.1 as f64
    );
    Ok(())
}

/// The child: streams `limit` Accounts and prints `{"records", "vm_hwm_kb", "seconds"}`.
fn stream_child(args: &[String]) -> anyhow::Result<()> {
    let [instance_url, token, limit] = args else {
        bail!("--stream-child <instance_url> <token> <limit>")
    };
    let limit: usize = limit.parse()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (records, seconds) = runtime.block_on(async {
        let client = Client::builder()
            .limits(Limits::unlimited())
            .connect(Credentials::access_token(
                Url::parse(instance_url)?,
                token.as_str(),
            ))
            .await?;
        let started = Instant::now();
        let soql = format!("{} LIMIT {limit}", Account::soql_select());
        let records = client
            .query_with::<Account>(soql, QueryOptions::default().batch_size(PAGE as u32))
            .try_fold(0u64, |n, account| async move {
                std::hint::black_box(&account);
                Ok(n + 1)
            })
            .await?;
        anyhow::Ok((records, started.elapsed().as_secs_f64()))
    })?;
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .context("VmHWM in /proc/self/status")?;
    println!(
        "{}",
        json!({"records": records, "vm_hwm_kb": hwm, "seconds": seconds})
    );
    Ok(())
}
