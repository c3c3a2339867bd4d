//! Figure 7: `sfgen generate` on a synthetic 1,000-object org: wall time, peak
//! memory, and how time grows from half the objects (linear work doubles,
//! quadratic work quadruples). Each run is a child process (`__codegen`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use sfgen_bench::synth::SyntheticOrg;

use super::fresh_dir;
use crate::children::CodegenReport;
use crate::report::{mib, ratio, seconds, Line, Verdict};

/// The goal for the large org, in seconds.
const GOAL_SECS: f64 = 5.0;

/// Generates the half-size and the full-size synthetic orgs and compares them.
pub fn codegen(
    small: &(PathBuf, SyntheticOrg),
    large: &(PathBuf, SyntheticOrg),
    work: &Path,
) -> anyhow::Result<Vec<Line>> {
    let fields = |org: &SyntheticOrg| org.field_counts().iter().sum::<usize>();
    let small_report = generate(&small.0, &work.join("codegen-small"))?;
    let large_report = generate(&large.0, &work.join("codegen-large"))?;
    let (small_fields, large_fields) = (fields(&small.1), fields(&large.1));
    let per_field = |r: &CodegenReport, f: usize| r.seconds / f as f64;
    let growth = per_field(&large_report, large_fields) / per_field(&small_report, small_fields);
    Ok(vec![
        Line::goal(
            7,
            format!("codegen wall time, synthetic {}-object org ({large_fields} fields)", large_report.objects),
            seconds(large_report.seconds),
            format!("< {GOAL_SECS} s"),
            Verdict::measure(large_report.seconds < GOAL_SECS),
        ),
        Line::goal(
            7,
            format!("codegen peak memory, {} objects (VmHWM)", large_report.objects),
            mib(large_report.vm_hwm_kb),
            "printed",
            Verdict::Info,
        ),
        Line::info(
            7,
            "output and profile",
            format!(
                "{} files, {} lines of Rust; CPU time {} (all threads); stages: read {}, model {}, emit {}, the rest writing files",
                large_report.files,
                large_report.lines,
                seconds(large_report.cpu_seconds),
                seconds(large_report.stages[0]),
                seconds(large_report.stages[1]),
                seconds(large_report.stages[2])
            ),
        ),
        Line::info(
            7,
            "scaling",
            format!(
                "{} objects ({small_fields} fields) in {}; time per field grows {}x from {} to {} objects (linear work: 1.0; work quadratic in the org's size: ~{:.1})",
                small_report.objects,
                seconds(small_report.seconds),
                ratio(growth),
                small_report.objects,
                large_report.objects,
                large_report.objects as f64 / small_report.objects as f64
            ),
        ),
    ])
}

/// Runs `sfgen generate` in a child process into a fresh `out`.
fn generate(schemas: &Path, out: &Path) -> anyhow::Result<CodegenReport> {
    fresh_dir(out)?;
    let runtime = Path::new(sfgen_bench::WORKSPACE_DIR).join("runtime");
    let exe = std::env::current_exe().context("this binary's path")?;
    let output = Command::new(exe)
        .arg("__codegen")
        .arg("--schemas")
        .arg(schemas)
        .arg("--out")
        .arg(out)
        .arg("--runtime-path")
        .arg(runtime.canonicalize().unwrap_or(runtime))
        .output()
        .context("running the codegen child")?;
    if !output.status.success() {
        bail!(
            "sfgen generate on {} failed: {}",
            schemas.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    serde_json::from_slice(&output.stdout).context("the codegen child's report")
}
