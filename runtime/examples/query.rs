//! Streams the records of a SOQL query as JSON lines.
//!
//! ```text
//! # against the fake org:
//! cargo run -p sfgen-fake-org &            # prints {"instance_url": ..., "access_token": ...}
//! export SF_INSTANCE_URL=... SF_ACCESS_TOKEN=...
//! cargo run -p sfgen-runtime --example query -- "SELECT Id, Name FROM Account LIMIT 5"
//! ```
//!
//! Reads `SF_ACCESS_TOKEN` and `SF_INSTANCE_URL`, or uses the Salesforce CLI when
//! `SF_TARGET_ORG` names an org alias. `SF_API_VERSION` overrides the API version.

use anyhow::Context;
use futures::TryStreamExt;
use sfgen_runtime::{Client, Credentials, SfCli};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let soql = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "SELECT Id, Name FROM Account LIMIT 10".to_owned());
    let credentials = match std::env::var("SF_TARGET_ORG") {
        Ok(alias) => Credentials::SfCli(SfCli::new(alias)),
        Err(_) => Credentials::from_env()
            .context("set SF_ACCESS_TOKEN and SF_INSTANCE_URL, or SF_TARGET_ORG")?,
    };
    let mut builder = Client::builder();
    if let Ok(version) = std::env::var("SF_API_VERSION") {
        builder = builder.api_version(version);
    }
    let client = builder.connect(credentials).await.context("connecting")?;
    let mut records = std::pin::pin!(client.query::<serde_json::Value>(soql.as_str()));
    let mut count = 0u64;
    while let Some(record) = records.try_next().await.context("querying")? {
        println!("{record}");
        count += 1;
    }
    let usage = client
        .api_usage()
        .map(|u| u.to_string())
        .unwrap_or_else(|| "unknown".into());
    eprintln!("{count} record(s); API usage {usage}");
    Ok(())
}
