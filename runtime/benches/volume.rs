//! Volume figures, printed (not a timed test):
//!
//! 1. HTTP calls to insert 10,000 Contacts through sObject Collections, against
//!    ceil(10,000 / 200) = 50;
//! 2. HTTP calls to insert the same 10,000 through Bulk API 2.0, itemised: job
//!    create, uploads, close, polls, result fetches;
//! 3. wall time and peak memory (VmHWM) of a Bulk query of 1,000,000 Accounts
//!    into the generated `Account`, against one of 10,000 (goal: memory ratio
//!    <= 1.2). Each query runs in a child process (this binary with
//!    `--query-child`), so the fake org's own memory, in this process, does not count.
//!
//! Every count comes from the fake org's request log. The org runs with its
//! default Bulk processing delay (100 ms) and the client with default options.
//!
//! `cargo bench -p sfgen-runtime --bench volume`. Knobs: `SFGEN_BENCH_RECORDS=200000`
//! queries fewer rows for a quick run; `SFGEN_BENCH_PAGE=10000` changes the
//! query page size (`maxRecords`); `SFGEN_BENCH_TRACE=1` prints each child's
//! RSS after every page.

use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};
use futures::TryStreamExt;
use serde_json::{json, Map, Value};
use sfgen_fake_org::{FakeOrg, RunningOrg};
use sfgen_generated::{Account, ContactRequired, NewContact};
use sfgen_runtime::batch::bulk::{
    bulk_fields, BulkOptions, BulkQueryOptions, JobKind, DEFAULT_PAGE_RECORDS,
};
use sfgen_runtime::soql::{Condition, Like};
use sfgen_runtime::{Client, Credentials, Limits, Request, Url};

/// Records inserted by each write path.
const INSERTS: usize = 10_000;
/// Rows of the small Bulk query.
const SMALL: usize = 10_000;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--query-child") {
        return query_child(args.get(at + 1..).unwrap_or_default());
    }
    let large: usize = match std::env::var("SFGEN_BENCH_RECORDS") {
        Ok(n) => n.parse().context("SFGEN_BENCH_RECORDS is a number")?,
        Err(_) => 1_000_000,
    };
    tokio::runtime::Runtime::new()?.block_on(run(large))
}

async fn connect(instance_url: &str, token: &str) -> anyhow::Result<Client> {
    let url = Url::parse(instance_url)?;
    Ok(Client::builder()
        .limits(Limits::unlimited())
        .connect(Credentials::access_token(url, token))
        .await?)
}

fn contacts(tag: &str) -> Vec<NewContact> {
    (0..INSERTS)
        .map(|i| {
            NewContact::new(ContactRequired {
                last_name: format!("{tag} {i:05}"),
            })
            .with_first_name("Bench")
            .with_email(format!("{tag}.{i}@example.com"))
            .with_title("Engineer")
        })
        .collect()
}

fn account(prefix: &str, i: usize) -> Map<String, Value> {
    let industry = ["Energy", "Media", "Banking", "Retail"][i % 4];
    let record = json!({
        "Name": format!("{prefix} {i:07}"),
        "Industry": industry,
        "BillingStreet": format!("{} Market Street", i % 977),
        "BillingCity": "San Francisco",
        "BillingState": "CA",
        "BillingPostalCode": "94105",
        "BillingCountry": "USA",
        "Phone": format!("+1 415 555 {:04}", i % 10_000),
        "AnnualRevenue": (i % 1_000) * 10_000,
        "NumberOfEmployees": i % 5_000,
    });
    match record {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

async fn run(large: usize) -> anyhow::Result<()> {
    let org = FakeOrg::builder()
        .api_versions((20..=66).map(|v| format!("{v}.0")))
        .request_log_capacity(1_000_000)
        .start()
        .await?;
    let client = connect(org.instance_url(), org.access_token()).await?;
    println!("volume bench (fake org in process, release build)");

    collections_inserts(&org, &client).await?;
    bulk_inserts(&org, &client).await?;

    let page = page_records()?;
    println!("\n3. Bulk query into the generated Account ({page} rows per page), peak memory of a child process");
    let started = Instant::now();
    let small = (0..SMALL).map(|i| account("Small", i));
    org.store()
        .bulk_load("Account", small)
        .context("seeding the small set")?;
    let rest = (0..large.saturating_sub(SMALL)).map(|i| account("Large", i));
    org.store()
        .bulk_load("Account", rest)
        .context("seeding the large set")?;
    println!(
        "   seeded {large} accounts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let small = child(&org, "Small", SMALL)?;
    let large = child(&org, "", large)?;
    for (label, run) in [("small", &small), ("large", &large)] {
        println!(
            "   {label}: {} rows, {} pages, {:.2} s wall, peak RSS {:.1} MiB (start {:.1} MiB)",
            run.rows,
            run.pages,
            run.wall_ms / 1000.0,
            run.peak_kb / 1024.0,
            run.start_kb / 1024.0
        );
    }
    println!(
        "   peak memory ratio large / small: {:.3} (goal <= 1.2)",
        large.peak_kb / small.peak_kb
    );
    let (pages, secs) = fetch_only(&client, large.rows, page).await?;
    println!(
        "   the same {} rows fetched as raw CSV pages, not decoded: {pages} pages in {secs:.2} s \
         (the fake org's job and page rendering; the rest of the wall time is the client's)",
        large.rows
    );
    org.shutdown().await;
    Ok(())
}

async fn collections_inserts(org: &RunningOrg, client: &Client) -> anyhow::Result<()> {
    org.reset_counters();
    let started = Instant::now();
    let report = client.create_many(&contacts("Collections")).await?;
    let wall = started.elapsed();
    if !report.all_written() {
        bail!("{} of {INSERTS} records failed", INSERTS - report.written());
    }
    let calls = org.calls("POST */composite/sobjects");
    println!("\n1. insert {INSERTS} Contacts through sObject Collections");
    println!(
        "   HTTP calls: {calls} (goal ceil({INSERTS} / 200) = {}), all API calls: {}",
        INSERTS.div_ceil(200),
        org.counters().api_calls
    );
    println!("   wall time: {:.2} s", wall.as_secs_f64());
    Ok(())
}

async fn bulk_inserts(org: &RunningOrg, client: &Client) -> anyhow::Result<()> {
    org.reset_counters();
    let started = Instant::now();
    let report = client
        .bulk_insert(&contacts("Bulk"), &BulkOptions::default())
        .await?;
    let wall = started.elapsed();
    if !report.all_written() {
        bail!("{} of {INSERTS} records failed", INSERTS - report.written());
    }
    let create = org.calls("POST */jobs/ingest");
    let uploads = org.calls("PUT */jobs/ingest/*/batches");
    let close = org.calls("PATCH */jobs/ingest/*");
    let results = ["successfulResults", "failedResults", "unprocessedrecords"]
        .map(|r| org.calls(format!("GET */jobs/ingest/*/{r}/").as_str()));
    let polls = org.calls("GET */jobs/ingest/*") - results.iter().sum::<usize>();
    let total = org.counters().api_calls;
    println!(
        "\n2. insert {INSERTS} Contacts through Bulk API 2.0 ({} job(s))",
        report.jobs.len()
    );
    println!(
        "   HTTP calls: {total} = job create {create} + uploads {uploads} + close {close} + polls {polls} + results {} \
         (successful {}, failed {}, unprocessed {})",
        results.iter().sum::<usize>(),
        results[0],
        results[1],
        results[2]
    );
    println!("   wall time: {:.2} s", wall.as_secs_f64());
    Ok(())
}

/// Runs the large query again with raw requests and times fetching its pages
/// without decoding them: how much of the wall time is the org's.
async fn fetch_only(client: &Client, rows: u64, page: u64) -> anyhow::Result<(u64, f64)> {
    let started = Instant::now();
    let soql = format!(
        "SELECT {} FROM Account",
        bulk_fields::<Account>().join(", ")
    );
    let create = Request::post("jobs/query").json(&json!({"operation": "query", "query": soql}))?;
    let job: Value = client.send(create).await?.json()?;
    let id = job["id"].as_str().context("a job id")?.to_owned();
    while client.bulk_job(JobKind::Query, &id).await?.state != "JobComplete" {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (mut pages, mut locator, mut seen) = (0u64, None::<String>, 0u64);
    loop {
        let mut request =
            Request::get(format!("jobs/query/{id}/results")).query("maxRecords", page.to_string());
        if let Some(l) = &locator {
            request = request.query("locator", l.as_str());
        }
        let response = client.send(request).await?;
        pages += 1;
        seen += response.body().iter().filter(|b| **b == b'\n').count() as u64 - 1;
        match response
            .headers()
            .get("sforce-locator")
            .and_then(|v| v.to_str().ok())
        {
            Some("null") | None => break,
            Some(next) => locator = Some(next.to_owned()),
        }
    }
    if seen != rows {
        bail!("fetched {seen} rows, expected {rows}");
    }
    Ok((pages, started.elapsed().as_secs_f64()))
}

/// What a query child reports.
#[derive(Debug, serde::Deserialize)]
struct ChildRun {
    rows: u64,
    pages: u64,
    wall_ms: f64,
    start_kb: f64,
    peak_kb: f64,
}

/// Runs a Bulk query of Accounts named `<prefix>…` in a child process.
fn child(org: &RunningOrg, prefix: &str, expected: usize) -> anyhow::Result<ChildRun> {
    let before = org.calls("GET */jobs/query/*/results");
    let output = Command::new(std::env::current_exe()?)
        .args([
            "--query-child",
            org.instance_url(),
            org.access_token(),
            prefix,
        ])
        .output()
        .context("running the query child")?;
    if !output.status.success() {
        bail!(
            "the query child failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    if std::env::var("SFGEN_BENCH_TRACE").is_ok() {
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
    }
    let mut run: ChildRun = serde_json::from_slice(&output.stdout).context("the child's report")?;
    run.pages = (org.calls("GET */jobs/query/*/results") - before) as u64;
    if run.rows != expected as u64 {
        bail!("the query returned {} rows, expected {expected}", run.rows);
    }
    Ok(run)
}

/// The child: streams the query, then prints rows, wall time and VmHWM as JSON.
fn query_child(args: &[String]) -> anyhow::Result<()> {
    let [url, token, prefix] = args else {
        bail!("usage: --query-child <instance_url> <access_token> <name prefix>")
    };
    let start_kb = vm_kb("VmHWM")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (rows, wall_ms) = runtime.block_on(async {
        let client = connect(url, token).await?;
        let started = Instant::now();
        let filter =
            (!prefix.is_empty()).then(|| Condition::like("Name", Like::starts_with(prefix)));
        let trace = std::env::var("SFGEN_BENCH_TRACE").is_ok();
        let hook = move |done: u64, total: u64| {
            if trace {
                let rss = vm_kb("VmRSS").unwrap_or_default();
                let hwm = vm_kb("VmHWM").unwrap_or_default();
                eprintln!("{done}/{total} rss {rss} hwm {hwm}");
            }
        };
        let options = BulkQueryOptions::default()
            .progress(std::sync::Arc::new(hook))
            .page_records(page_records()?);
        let records = client.bulk_query_records::<Account>(filter, &options);
        let rows = records
            .try_fold(0u64, |n, account| async move {
                Ok(n + u64::from(!account.name.is_empty()))
            })
            .await?;
        anyhow::Ok((rows, started.elapsed().as_secs_f64() * 1000.0))
    })?;
    let report = json!({"rows": rows, "pages": 0, "wall_ms": wall_ms, "start_kb": start_kb, "peak_kb": vm_kb("VmHWM")?});
    println!("{report}");
    Ok(())
}

/// Rows per query page: `SFGEN_BENCH_PAGE`, else the client's default.
fn page_records() -> anyhow::Result<u64> {
    match std::env::var("SFGEN_BENCH_PAGE") {
        Ok(page) => page.parse().context("SFGEN_BENCH_PAGE is a number"),
        Err(_) => Ok(DEFAULT_PAGE_RECORDS),
    }
}

/// A `/proc/self/status` figure in KiB (Linux).
fn vm_kb(key: &str) -> anyhow::Result<f64> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with(key))
        .with_context(|| format!("no {key} in /proc/self/status"))?;
    let kb = line
        .split_whitespace()
        .nth(1)
        .with_context(|| format!("no value in `{line}`"))?;
    Ok(kb.parse()?)
}
