//! The hidden commands the benchmark runs as child processes, so that a
//! process's peak memory (`VmHWM`) is the measured work's alone.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use sfgen_bench::machine::{cpu_seconds, peak_rss_kb};
use sfgen_bench::synth::{self, FieldPool, SyntheticOrg};
use sfgen_generated::Account;
use sfgen_runtime::batch::bulk::BulkQueryOptions;
use sfgen_runtime::soql::Condition;
use sfgen_runtime::{Client, Credentials, Limits, SObject};

/// Commands besides the benchmark: the children it runs, and `synth`.
#[derive(Debug, Subcommand)]
pub enum Child {
    /// Writes a synthetic org (`<Object>.json` describes built from the
    /// recordings' fields, real-org sizes) to a directory, e.g. to try
    /// `sfgen generate --schemas DIR` at scale.
    Synth {
        /// How many objects.
        #[arg(long, default_value_t = 1000)]
        objects: usize,
        /// The directory to write.
        #[arg(long)]
        out: PathBuf,
        /// The seed (the same seed gives the same describes).
        #[arg(long, default_value_t = synth::DEFAULT_SEED)]
        seed: u64,
        /// The recorded Salesforce responses the fields come from.
        #[arg(long, default_value = sfgen_bench::RECORDINGS_DIR)]
        recordings: PathBuf,
    },
    /// Streams the Accounts with `NumberOfEmployees < rows` from the org in
    /// `SF_INSTANCE_URL` (`SF_ACCESS_TOKEN`) and prints a [`StreamReport`].
    #[command(name = "__stream", hide = true)]
    Stream {
        /// How many rows.
        #[arg(long)]
        rows: u64,
        /// Through a Bulk API 2.0 query job instead of the REST query.
        #[arg(long)]
        bulk: bool,
    },
    /// Runs `sfgen generate` and prints a [`CodegenReport`].
    #[command(name = "__codegen", hide = true)]
    Codegen {
        /// The schemas directory.
        #[arg(long)]
        schemas: PathBuf,
        /// The output crate directory.
        #[arg(long)]
        out: PathBuf,
        /// The `sfgen-runtime` path written into the crate.
        #[arg(long)]
        runtime_path: String,
    },
}

/// What a streaming child read, its peak memory and time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StreamReport {
    /// Rows read.
    pub records: u64,
    /// Peak resident memory in kB.
    pub vm_hwm_kb: u64,
    /// Time from the first request to the last row.
    pub seconds: f64,
}

/// What a codegen child generated, its peak memory and time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodegenReport {
    /// Objects generated.
    pub objects: usize,
    /// Files written.
    pub files: usize,
    /// Lines of Rust written.
    pub lines: usize,
    /// Peak resident memory in kB.
    pub vm_hwm_kb: u64,
    /// Wall time of `sfgen::generate`.
    pub seconds: f64,
    /// CPU time of `sfgen::generate` (all threads).
    pub cpu_seconds: f64,
    /// Wall time of each stage, timed again after the run: read, model, emit.
    pub stages: [f64; 3],
}

/// Runs a child's work and prints its report as one JSON line.
pub fn run(child: Child) -> anyhow::Result<()> {
    let line = match child {
        Child::Synth {
            objects,
            out,
            seed,
            recordings,
        } => synthesize(objects, &out, seed, &recordings)?,
        Child::Stream { rows, bulk } => serde_json::to_string(&stream(rows, bulk)?)?,
        Child::Codegen {
            schemas,
            out,
            runtime_path,
        } => serde_json::to_string(&codegen(schemas, out, runtime_path)?)?,
    };
    println!("{line}");
    Ok(())
}

fn synthesize(objects: usize, out: &Path, seed: u64, recordings: &Path) -> anyhow::Result<String> {
    let pool = FieldPool::from_dir(&recordings.join("describe/full"))?;
    let real = synth::global_names(&recordings.join(sfgen_bench::GLOBAL_DESCRIBE))?;
    let org = SyntheticOrg::build(&pool, &synth::object_names(&real, objects), seed);
    org.write_dir(out)?;
    let mut counts = org.field_counts();
    counts.sort_unstable();
    Ok(format!(
        "wrote {objects} describes to {} ({} fields; median {}, largest {})",
        out.display(),
        counts.iter().sum::<usize>(),
        counts.get(counts.len() / 2).copied().unwrap_or(0),
        counts.last().copied().unwrap_or(0)
    ))
}

fn stream(rows: u64, bulk: bool) -> anyhow::Result<StreamReport> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (records, seconds) = runtime.block_on(async {
        let credentials = Credentials::from_env().context("SF_INSTANCE_URL and SF_ACCESS_TOKEN")?;
        let client = Client::builder()
            .limits(Limits::default())
            .connect(credentials)
            .await?;
        let started = Instant::now();
        let count = |n: u64, account: Account| async move {
            std::hint::black_box(&account);
            Ok(n + 1)
        };
        let records = if bulk {
            let filter = Condition::lt("NumberOfEmployees", rows);
            client
                .bulk_query_records::<Account>(Some(filter), &BulkQueryOptions::default())
                .try_fold(0, count)
                .await?
        } else {
            let soql = format!(
                "{} WHERE NumberOfEmployees < {rows}",
                Account::soql_select()
            );
            client.query::<Account>(soql).try_fold(0, count).await?
        };
        anyhow::Ok((records, started.elapsed().as_secs_f64()))
    })?;
    let vm_hwm_kb = peak_rss_kb().context("VmHWM in /proc/self/status")?;
    Ok(StreamReport {
        records,
        vm_hwm_kb,
        seconds,
    })
}

fn codegen(schemas: PathBuf, out: PathBuf, runtime_path: String) -> anyhow::Result<CodegenReport> {
    let options = sfgen::Options {
        schemas,
        out: out.clone(),
        objects: None,
        runtime: Some(sfgen::RuntimeDependency::Path(runtime_path)),
        crate_name: "sfgen-synthetic".to_owned(),
        ..sfgen::Options::default()
    };
    let cpu_before = cpu_seconds().unwrap_or(0.0);
    let started = Instant::now();
    let report = sfgen::generate(&options).context("sfgen generate")?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = cpu_seconds().unwrap_or(0.0) - cpu_before;
    let vm_hwm_kb = peak_rss_kb().context("VmHWM in /proc/self/status")?;
    let (files, lines) = count_rust(&out.join("src"))?;
    let stages = stages(&options)?;
    Ok(CodegenReport {
        objects: report.objects,
        files,
        lines,
        vm_hwm_kb,
        seconds,
        cpu_seconds,
        stages,
    })
}

/// Times the generator's stages one by one (the profile of a run).
fn stages(options: &sfgen::Options) -> anyhow::Result<[f64; 3]> {
    let started = Instant::now();
    let schemas = sfgen::read::read_schemas(&options.schemas)?;
    let read = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let model = sfgen::model::build(&schemas);
    let model_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let spec = sfgen::emit::CrateSpec {
        name: &options.crate_name,
        runtime: options.runtime_dependency(),
        derives: options.derives,
        unified: false,
        regenerate: options.regenerate_hint(),
    };
    let files = sfgen::emit::emit(&model, &spec)?;
    let emit = started.elapsed().as_secs_f64();
    std::hint::black_box(files);
    Ok([read, model_secs, emit])
}

/// `.rs` files and their lines under `dir`.
pub fn count_rust(dir: &std::path::Path) -> anyhow::Result<(usize, usize)> {
    let mut files = 0;
    let mut lines = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            files += 1;
            lines += std::fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok((files, lines))
}
