//! `cargo run --release -p sfgen-bench [-- --only decode,codegen] [--quick]`
//!
//! Prints sfgen's figures, one line each with its goal, from one run against
//! in-process fake orgs (clients that are measured for memory run in child
//! processes, so the org's memory does not count):
//!
//! 1. HTTP calls to query 100,000 rows / ceil(100,000 / 2,000) (goal 1.00);
//! 2. HTTP calls to insert 10,000 records through Collections / 50 (goal 1.00),
//!    and through Bulk API 2.0, itemised;
//! 3. round trips to fetch 100 describes (goal <= 4 Composite requests);
//! 4. token refreshes when 50 concurrent calls meet an expired session (goal 1);
//! 5. typed decode of a 2,000-row Account page against `serde_json::Value`
//!    (goal >= 1.0) and `IgnoredAny`;
//! 6. peak memory streaming 1,000,000 rows / 10,000 rows, REST and Bulk (goal <= 1.2);
//! 7. codegen wall time and peak memory for a synthetic 1,000-object org (goal < 5 s);
//! 8. clean debug build time of the default generated crate (goal < 30 s) and
//!    of a 200-object one (goal < 3 min);
//! 9. client overhead with the defaults users get: `query::<Account>` records/s
//!    over the plain-GET floor (goal >= 0.9) and a 30,000-record Collections
//!    insert with `Limits::default()` over `Limits::unlimited()` (goal <= 1.1);
//! 10. a 5-field `projection!` against every generated field, for 100,000
//!     Contacts with the default client: `/query` response bytes (counted by a
//!     TCP proxy in front of the org), wall time to stream all rows and decode
//!     time of one 2,000-row page, each as projection / all fields (no goal).
//!
//! Exits 1 when a count goal (1–4) is missed, 2 when a figure could not be
//! taken; ratios and times are printed, not asserted.
//!
//! `sfgen-bench synth --objects 3000 --out DIR` writes a synthetic org (the
//! describes figures 3, 7 and 8 use) for trying `sfgen generate` at scale.

mod children;
mod figures;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use sfgen_bench::machine::Machine;

use crate::figures::{Bench, Sizes};
use crate::report::Verdict;

/// The benchmark command: sfgen's figures from one run against the fake org.
#[derive(Debug, Parser)]
#[command(
    name = "sfgen-bench",
    version,
    after_help = "Example: cargo run --release -p sfgen-bench -- --only query,insert --quick"
)]
struct Args {
    /// Take only these figures (comma-separated).
    #[arg(long, value_delimiter = ',')]
    only: Option<Vec<Figure>>,
    /// Smaller sizes for a fast run: 200,000 streamed rows instead of 1,000,000,
    /// a 250-object synthetic org instead of 1,000, a 50-object crate instead of 200,
    /// 5,000 projected Contacts instead of 100,000.
    #[arg(long)]
    quick: bool,
    /// Where synthetic orgs, generated crates and their build are kept
    /// (default: `$CARGO_TARGET_DIR/sfgen-bench`, else `target/sfgen-bench`).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// The recorded Salesforce responses synthetic orgs are built from.
    #[arg(long, default_value = sfgen_bench::RECORDINGS_DIR)]
    recordings: PathBuf,
    #[command(subcommand)]
    child: Option<children::Child>,
}

/// The figures, by the name `--only` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Figure {
    /// 1: HTTP calls per queried rows.
    Query,
    /// 2: HTTP calls per inserted records (Collections, Bulk).
    Insert,
    /// 3: round trips per fetched describes.
    Fetch,
    /// 4: token refreshes on an expired session.
    Refresh,
    /// 5: typed decode throughput.
    Decode,
    /// 6: peak memory while streaming.
    Memory,
    /// 7: codegen time and memory for a large org.
    Codegen,
    /// 8: clean build times of generated crates.
    Build,
    /// 9: client overhead over the wire, with default limits.
    Overhead,
    /// 10: a 5-field projection against every field: bytes, stream and decode time.
    Projection,
}

impl Figure {
    const ALL: [Figure; 10] = [
        Figure::Query,
        Figure::Insert,
        Figure::Fetch,
        Figure::Refresh,
        Figure::Decode,
        Figure::Memory,
        Figure::Codegen,
        Figure::Build,
        Figure::Overhead,
        Figure::Projection,
    ];

    /// The figure's number in the issue.
    pub fn number(self) -> u8 {
        match self {
            Figure::Query => 1,
            Figure::Insert => 2,
            Figure::Fetch => 3,
            Figure::Refresh => 4,
            Figure::Decode => 5,
            Figure::Memory => 6,
            Figure::Codegen => 7,
            Figure::Build => 8,
            Figure::Overhead => 9,
            Figure::Projection => 10,
        }
    }
}

fn default_work_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("sfgen-bench"),
        None => PathBuf::from(sfgen_bench::WORKSPACE_DIR)
            .join("target")
            .join("sfgen-bench"),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(child) = args.child {
        return match children::run(child) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("sfgen-bench child: {e:#}");
                ExitCode::from(2)
            }
        };
    }
    let figures: Vec<Figure> = match &args.only {
        Some(only) => Figure::ALL
            .into_iter()
            .filter(|f| only.contains(f))
            .collect(),
        None => Figure::ALL.to_vec(),
    };
    let sizes = if args.quick {
        Sizes::quick()
    } else {
        Sizes::full()
    };
    let work = args.work_dir.unwrap_or_else(default_work_dir);
    println!("sfgen-bench on {}", Machine::current());
    println!("sizes: {sizes}; work dir {}", work.display());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("sfgen-bench: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let mut bench = Bench::new(sizes, work, args.recordings);
    let mut missed = Vec::new();
    let mut failed = Vec::new();
    for figure in figures {
        match runtime.block_on(bench.run(figure)) {
            Ok(lines) => {
                for line in &lines {
                    if line.verdict == Verdict::Missed {
                        missed.push(line.figure);
                    }
                }
            }
            Err(e) => {
                println!(
                    "[{}] {figure:?}: could not be taken: {e:#}",
                    figure.number()
                );
                failed.push(figure.number());
            }
        }
    }
    runtime.block_on(bench.shutdown());
    missed.dedup();
    if !failed.is_empty() {
        println!("figures that could not be taken: {failed:?}");
        return ExitCode::from(2);
    }
    if !missed.is_empty() {
        println!("count goals missed in figures {missed:?}");
        return ExitCode::from(1);
    }
    println!("every count goal (figures 1-4) met; ratios and times are printed, not asserted");
    ExitCode::SUCCESS
}
