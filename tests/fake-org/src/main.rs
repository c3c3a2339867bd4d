//! `sfgen-fake-org`: serves a local Salesforce-compatible org until killed.
//!
//! Prints one JSON line once listening: `{"instance_url", "login_url",
//! "access_token", "refresh_token", "client_id", "client_secret", "username"}`
//! (plus `"ca_cert_pem"` with `--tls`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use sfgen_fake_org::FakeOrg;

/// A local Salesforce-compatible org for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "sfgen-fake-org", version)]
struct Args {
    /// Port to listen on (127.0.0.1); 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Directory of describes (`manifest.json` + `<Object>.json`, or describe files only).
    #[arg(long)]
    schemas: Option<PathBuf>,
    /// Serve HTTPS with a certificate made at start (its CA is printed as `ca_cert_pem`).
    #[arg(long)]
    tls: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut builder = FakeOrg::builder().port(args.port).tls(args.tls);
    if let Some(dir) = &args.schemas {
        builder = builder.schemas_dir(dir);
    }
    let org = builder.start().await.context("starting the fake org")?;
    let line =
        serde_json::to_string(org.connection_info()).context("encoding the connection info")?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").context("writing the connection info")?;
    stdout.flush().context("flushing stdout")?;
    drop(stdout);
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    org.shutdown().await;
    Ok(())
}
