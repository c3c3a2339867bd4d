//! Figure 6: peak memory of a client streaming many rows against few, REST
//! query and Bulk query. Each client is a child process (this binary's hidden
//! `__stream` command) so that only its memory counts; the org stays here.

use std::process::Command;

use anyhow::{bail, Context};

use super::{Org, Sizes};
use crate::children::StreamReport;
use crate::report::{mib, ratio, seconds, Line, Verdict};

/// Streams the small and the large row counts through each path and compares peaks.
pub async fn memory(org: &mut Org, sizes: &Sizes) -> anyhow::Result<Vec<Line>> {
    org.ensure_accounts(sizes.stream_large)?;
    let mut lines = Vec::new();
    for (path, bulk) in [("REST query", false), ("Bulk query", true)] {
        let small = stream(org, bulk, sizes.stream_small)?;
        let large = stream(org, bulk, sizes.stream_large)?;
        let r = large.vm_hwm_kb as f64 / small.vm_hwm_kb as f64;
        lines.push(Line::goal(
            6,
            format!(
                "peak memory streaming {} / {} rows, {path}",
                sizes.stream_large, sizes.stream_small
            ),
            ratio(r),
            "<= 1.2",
            Verdict::measure(r <= 1.2),
        ));
        lines.push(Line::info(
            6,
            "peaks (VmHWM of the client process)",
            format!(
                "{} rows {} in {} ({:.0} rows/s); {} rows {} in {}",
                large.records,
                mib(large.vm_hwm_kb),
                seconds(large.seconds),
                large.records as f64 / large.seconds,
                small.records,
                mib(small.vm_hwm_kb),
                seconds(small.seconds)
            ),
        ));
    }
    Ok(lines)
}

/// Runs one streaming child and checks it read every row.
fn stream(org: &Org, bulk: bool, rows: usize) -> anyhow::Result<StreamReport> {
    let exe = std::env::current_exe().context("this binary's path")?;
    let mut command = Command::new(exe);
    command.args(["__stream", "--rows", &rows.to_string()]);
    if bulk {
        command.arg("--bulk");
    }
    // A fresh session: figure 4 may have expired the others.
    let output = command
        .env("SF_INSTANCE_URL", org.org.instance_url())
        .env("SF_ACCESS_TOKEN", org.org.issue_access_token())
        .output()
        .context("running the streaming child")?;
    if !output.status.success() {
        bail!(
            "the streaming child failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report: StreamReport =
        serde_json::from_slice(&output.stdout).context("the streaming child's report")?;
    if report.records != rows as u64 {
        bail!("the child streamed {} rows, not {rows}", report.records);
    }
    Ok(report)
}
