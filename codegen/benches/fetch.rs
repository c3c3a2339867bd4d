//! Fetch throughput against the fake org: round trips and wall time for 100
//! and 1,000 objects (describes synthesized from the snapshot's), a full fetch
//! and an `If-Modified-Since` re-fetch. Run with `cargo bench -p sfgen --bench fetch`.

#[path = "../tests/support/mod.rs"]
pub mod support;

use std::time::Instant;

use sfgen::connect::{connect_way, Connection, Way};
use sfgen::fetch::progress::{Lines, Progress, Silent};
use sfgen::fetch::{fetch, FetchOptions};
use sfgen::login::store::Home;
use sfgen_fake_org::FakeOrg;
use sfgen_runtime::secrecy::SecretString;
use sfgen_runtime::Url;

async fn run(count: usize, progress: &dyn Progress) {
    let describes = tempfile::tempdir().expect("temp");
    let bytes = support::synthesize(describes.path(), count);
    let org = FakeOrg::builder()
        .schemas_dir(describes.path())
        .daily_api_limit(1_000_000)
        .start()
        .await
        .expect("starts");
    let home = tempfile::tempdir().expect("temp");
    let way = Way::AccessToken {
        instance_url: Url::parse(org.instance_url()).expect("URL"),
        access_token: SecretString::from(org.access_token().to_owned()),
    };
    let connection: Connection = connect_way(way, None, &Home::at(home.path()))
        .await
        .expect("connects");
    let schemas = tempfile::tempdir().expect("temp");
    let options = FetchOptions {
        objects: Some(vec!["Synth*__c".into()]),
        ..FetchOptions::new(schemas.path())
    };
    for pass in ["full", "If-Modified-Since"] {
        org.reset_counters();
        let started = Instant::now();
        let report = fetch(&connection, &options, progress)
            .await
            .expect("fetches");
        let elapsed = started.elapsed();
        println!(
            "{count:>5} objects ({:.1} MB of describes), {pass:<17}: {:>7.2?}  round trips {} (composite {}, global describe {}), \
             written {}, 304 {}, failed {}",
            bytes as f64 / 1e6,
            elapsed,
            org.counters().requests,
            org.calls("POST */composite"),
            org.calls("GET */sobjects"),
            report.written.len(),
            report.not_modified,
            report.failed.len(),
        );
    }
    org.shutdown().await;
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        println!("progress output when stderr is not a terminal (100 objects):");
        run(100, &Lines).await;
        run(1000, &Silent).await;
    });
}
