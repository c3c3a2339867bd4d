//! Figure 5: typed decode throughput, in a child process that does not link
//! the fake org (whose `serde_json` has `preserve_order`, which Cargo's feature
//! unification would turn on in this binary).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use sfgen_bench_decode::DecodeFigures;
use sfgen_generated::Account;
use sfgen_runtime::{Request, SObject};

use super::{Org, Sizes};
use crate::report::{ratio, Line, Verdict};

/// Fetches one page of Accounts from the org, then decodes it in
/// `sfgen-bench-decode` (built on its own, release) and, for comparison, here.
pub async fn decode(org: &mut Org, sizes: &Sizes, work: &Path) -> anyhow::Result<Vec<Line>> {
    org.ensure_accounts(sizes.decode_rows)?;
    let soql = format!("{} LIMIT {}", Account::soql_select(), sizes.decode_rows);
    let response = org
        .client
        .send(Request::get("query").query("q", soql))
        .await
        .context("fetching the page")?;
    let body = response.body().clone();
    std::fs::create_dir_all(work)?;
    let page = work.join(format!("account-page-{}.json", sizes.decode_rows));
    std::fs::write(&page, &body).with_context(|| format!("writing {}", page.display()))?;

    let mut lines = Vec::new();
    let (figures, how) = match child(&page, sizes.decode_rounds) {
        Ok(figures) => (
            figures,
            "a separate release process (sfgen-bench-decode) that does not link the fake org",
        ),
        Err(e) => {
            lines.push(Line::info(
                5,
                "the decode child could not run, measured in this process instead",
                format!("{e:#}"),
            ));
            (
                sfgen_bench_decode::measure(&body, sizes.decode_rounds)?,
                "this process",
            )
        }
    };
    if figures.records != sizes.decode_rows {
        bail!(
            "the page decoded to {} records, not {}",
            figures.records,
            sizes.decode_rows
        );
    }
    let vs_value = figures.typed_vs_value();
    lines.push(Line::goal(
        5,
        format!(
            "typed decode of a {}-row Account page, throughput / serde_json::Value",
            figures.records
        ),
        ratio(vs_value),
        ">= 1.0",
        Verdict::measure(vs_value >= 1.0),
    ));
    lines.push(Line::goal(
        5,
        "typed decode throughput / IgnoredAny (the parse floor)",
        ratio(figures.typed_vs_ignored()),
        "<= 1 (floor)",
        Verdict::Info,
    ));
    lines.push(Line::info(5, "details", details(&figures, how)));
    let here = sfgen_bench_decode::measure(&body, sizes.decode_rounds)?;
    lines.push(Line::info(
        5,
        "for comparison, in this process",
        format!(
            "typed/Value {}, typed/IgnoredAny {} (serde_json preserve_order {}{})",
            ratio(here.typed_vs_value()),
            ratio(here.typed_vs_ignored()),
            on_off(here.preserve_order),
            if cfg!(debug_assertions) {
                ", debug build"
            } else {
                ""
            }
        ),
    ));
    Ok(lines)
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

fn details(f: &DecodeFigures, how: &str) -> String {
    let ms = |s: f64| s * 1e3;
    format!(
        "{:.2} MB page, best of {}: typed {:.2} ms ({:.0} MB/s), Value {:.2} ms ({:.0} MB/s), IgnoredAny {:.2} ms ({:.0} MB/s); measured in {how}, serde_json preserve_order {}",
        f.bytes as f64 / 1e6,
        f.rounds,
        ms(f.typed_secs),
        f.mb_per_sec(f.typed_secs),
        ms(f.value_secs),
        f.mb_per_sec(f.value_secs),
        ms(f.ignored_secs),
        f.mb_per_sec(f.ignored_secs),
        on_off(f.preserve_order)
    )
}

/// Builds `sfgen-bench-decode` in release (alone, so without the fake org's
/// features) and runs it on `page`.
fn child(page: &Path, rounds: usize) -> anyhow::Result<DecodeFigures> {
    let exe = build_decode_child()?;
    let output = Command::new(&exe)
        .arg(page)
        .arg(rounds.to_string())
        .output()
        .with_context(|| format!("running {}", exe.display()))?;
    if !output.status.success() {
        bail!(
            "{} failed: {}",
            exe.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    serde_json::from_slice(&output.stdout).context("reading the decode child's figures")
}

/// The path of the built `sfgen-bench-decode` binary.
fn build_decode_child() -> anyhow::Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(sfgen_bench::WORKSPACE_DIR).join("Cargo.toml");
    let output = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "sfgen-bench-decode",
            "--message-format",
            "json",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .context("running cargo to build sfgen-bench-decode")?;
    if !output.status.success() {
        bail!(
            "cargo build -p sfgen-bench-decode failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| {
            m["reason"] == "compiler-artifact" && m["target"]["name"] == "sfgen-bench-decode"
        })
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .context("cargo named no sfgen-bench-decode executable")
}
