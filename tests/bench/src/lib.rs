//! `sfgen-bench`: the figures users choose an SDK on, from one run against the
//! fake org (`cargo run --release -p sfgen-bench`; see the binary's `--help`).
//!
//! The library holds what the binary and its tests share:
//! - [`synth`]: synthetic orgs of any size built from real describes' fields;
//! - [`machine`]: the machine a run happened on and the peak memory of a process.

pub mod machine;
pub mod synth;

/// The workspace root (this package is `tests/bench/`).
pub const WORKSPACE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The recorded Salesforce responses, in `shared/` beside the repository.
pub const RECORDINGS_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/salesforce-recordings"
);

/// The largest real global describe in the recordings (787 object names).
pub const GLOBAL_DESCRIBE: &str = "global/cumulusci-787-sobjects.json";
