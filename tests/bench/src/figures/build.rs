//! Figure 8: clean debug build time of the default generated crate and of a
//! large one (a subset of the synthetic org, as `sfgen generate --objects`
//! makes it), dependencies prebuilt so that only the generated crate is timed.
//!
//! Both crates are generated into `<work>/build-ws/` (their own workspace, with
//! this workspace's `Cargo.lock`) and built with `--target-dir
//! <work>/build-target`. The runtime and its dependencies are built first
//! (`cargo build -p sfgen-runtime`); then for each crate `cargo clean -p <crate>`
//! and a timed `cargo build -p <crate> --timings`. Printed: the wall time of that
//! build, and the crate's own compile time from Cargo's timing data.
//!
//! The timed crate is built with Cargo's stock dev profile (full debug info,
//! incremental), as in a user's service, not with this repository's
//! `.cargo/config.toml`, which trims debug info for its tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};
use sfgen_bench::synth::SyntheticOrg;

use super::Sizes;
use crate::children::count_rust;
use crate::report::{seconds, Line, Verdict};

/// One generated crate to build.
struct Crate {
    /// Directory under the build workspace.
    dir: &'static str,
    /// Package name.
    name: String,
    /// What it is, for the printed line.
    what: String,
    /// The goal in seconds.
    goal: f64,
}

/// Generates both crates, prebuilds their dependencies, then times each crate's clean build.
pub fn build(
    synthetic: &Path,
    org: &SyntheticOrg,
    sizes: &Sizes,
    work: &Path,
) -> anyhow::Result<Vec<Line>> {
    let workspace = PathBuf::from(sfgen_bench::WORKSPACE_DIR)
        .canonicalize()
        .context("the workspace root")?;
    let ws = work.join("build-ws");
    let target = work.join("build-target");
    std::fs::create_dir_all(&ws)?;
    std::fs::write(
        ws.join("Cargo.toml"),
        "# Written by sfgen-bench: generated crates whose clean build it times.\n[workspace]\nresolver = \"2\"\nmembers = [\"default\", \"synthetic\"]\n",
    )?;
    std::fs::copy(workspace.join("Cargo.lock"), ws.join("Cargo.lock"))
        .context("copying Cargo.lock")?;
    let runtime = workspace.join("runtime").display().to_string();

    let default = sfgen::generate(&sfgen::Options {
        schemas: workspace.join("schemas"),
        out: ws.join("default"),
        objects: None,
        runtime: Some(sfgen::RuntimeDependency::Path(runtime.clone())),
        crate_name: "sfgen-generated".to_owned(),
        ..sfgen::Options::default()
    })
    .context("generating the default crate")?;
    let names = org.names();
    let step = (names.len() / sizes.build_objects.max(1)).max(1);
    let subset: Vec<String> = names
        .iter()
        .step_by(step)
        .take(sizes.build_objects)
        .cloned()
        .collect();
    let subset_fields: usize = org
        .field_counts()
        .iter()
        .step_by(step)
        .take(sizes.build_objects)
        .sum();
    let large = sfgen::generate(&sfgen::Options {
        schemas: synthetic.to_owned(),
        out: ws.join("synthetic"),
        objects: Some(subset),
        runtime: Some(sfgen::RuntimeDependency::Path(runtime)),
        crate_name: format!("sfgen-synthetic-{}", sizes.build_objects),
        ..sfgen::Options::default()
    })
    .context("generating the large crate with --objects")?;

    let started = Instant::now();
    cargo(&ws, &target, &["build", "-p", "sfgen-runtime"])?;
    let prebuild = started.elapsed().as_secs_f64();
    let mut lines = vec![Line::info(
        8,
        "dependencies prebuilt (cargo build -p sfgen-runtime, debug)",
        seconds(prebuild),
    )];

    let (_, default_lines) = count_rust(&ws.join("default/src"))?;
    let (_, large_lines) = count_rust(&ws.join("synthetic/src"))?;
    let crates = [
        Crate {
            dir: "default",
            name: "sfgen-generated".to_owned(),
            what: format!(
                "default generated crate ({} objects, {default_lines} lines)",
                default.objects
            ),
            goal: 30.0,
        },
        Crate {
            dir: "synthetic",
            name: format!("sfgen-synthetic-{}", sizes.build_objects),
            what: format!(
                "{}-object generated crate ({subset_fields} fields, {large_lines} lines)",
                large.objects
            ),
            goal: 180.0,
        },
    ];
    for krate in &crates {
        cargo(&ws, &target, &["clean", "-p", &krate.name])?;
        let started = Instant::now();
        cargo(&ws, &target, &["build", "-p", &krate.name, "--timings"])?;
        let wall = started.elapsed().as_secs_f64();
        let rustc = unit_seconds(&target.join("cargo-timings/cargo-timing.html"), &krate.name);
        lines.push(Line::goal(
            8,
            format!("clean debug build, {}", krate.what),
            seconds(wall),
            format!("< {} s", krate.goal),
            Verdict::measure(wall < krate.goal),
        ));
        let rustc = rustc.map_or_else(|e| format!("unknown ({e:#})"), seconds);
        lines.push(Line::info(
            8,
            format!("{} compile time from cargo --timings", krate.dir),
            rustc,
        ));
        // The next run cleans it anyway; its artifacts and incremental cache are hundreds of MB.
        cargo(&ws, &target, &["clean", "-p", &krate.name])?;
    }
    Ok(lines)
}

/// Runs cargo on the build workspace, failing with its last lines of output.
fn cargo(ws: &Path, target: &Path, args: &[&str]) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(ws.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target)
        .env("CARGO_PROFILE_DEV_DEBUG", "true")
        .env_remove("CARGO_INCREMENTAL")
        .output()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
        bail!(
            "cargo {} failed:\n{}",
            args.join(" "),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    Ok(())
}

/// The compile time of package `name`'s units in a `cargo --timings` report.
fn unit_seconds(report: &Path, name: &str) -> anyhow::Result<f64> {
    let html =
        std::fs::read_to_string(report).with_context(|| format!("reading {}", report.display()))?;
    unit_seconds_in(&html, name)
}

fn unit_seconds_in(html: &str, name: &str) -> anyhow::Result<f64> {
    const START: &str = "const UNIT_DATA = ";
    let from = html
        .find(START)
        .context("no UNIT_DATA in the timing report")?
        + START.len();
    let to = html[from..].find("];").context("UNIT_DATA does not end")? + from + 1;
    let units: Vec<serde_json::Value> =
        serde_json::from_str(&html[from..to]).context("UNIT_DATA is not JSON")?;
    let durations: Vec<f64> = units
        .iter()
        .filter(|u| u["name"] == name)
        .filter_map(|u| u["duration"].as_f64())
        .collect();
    if durations.is_empty() {
        bail!("no unit named {name} in the timing report");
    }
    Ok(durations.iter().sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_units_duration_from_cargo_timings() {
        let html = r#"<script>
const UNIT_DATA = [
  {"i": 0, "name": "serde", "duration": 3.5},
  {"i": 1, "name": "sfgen-generated", "target": " lib", "duration": 12.25}
];
const CONCURRENCY_DATA = [];
</script>"#;
        assert_eq!(
            unit_seconds_in(html, "sfgen-generated").expect("found"),
            12.25
        );
        assert!(unit_seconds_in(html, "other").is_err());
        assert!(unit_seconds_in("<html></html>", "serde").is_err());
    }
}
