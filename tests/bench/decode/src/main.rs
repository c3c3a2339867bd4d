//! `sfgen-bench-decode <page.json> [rounds]`: decodes a query page of Accounts
//! and prints one JSON line of [`sfgen_bench_decode::DecodeFigures`].
//!
//! `sfgen-bench` builds and runs it as a child process so that the figure is
//! taken without the fake org's `serde_json` features.

use anyhow::Context;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .context("usage: sfgen-bench-decode <page.json> [rounds]")?;
    let rounds = match args.next() {
        Some(n) => n
            .parse()
            .with_context(|| format!("rounds `{n}` is not a number"))?,
        None => 30,
    };
    let body = std::fs::read(&path).with_context(|| format!("reading {path}"))?;
    let figures =
        sfgen_bench_decode::measure(&body, rounds).with_context(|| format!("decoding {path}"))?;
    println!(
        "{}",
        serde_json::to_string(&figures).context("encoding the figures")?
    );
    Ok(())
}
