//! The figures and what they share: sizes, the fake org, synthetic orgs.

mod build;
mod calls;
mod codegen;
mod decode;
mod fetch;
mod memory;
mod org;
mod overhead;
mod projection;
mod refresh;
mod wire;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sfgen_bench::synth::{self, FieldPool, SyntheticOrg};

use crate::report::Line;
use crate::Figure;

pub use org::Org;

/// How big each figure's work is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Rows queried (figure 1).
    pub query_rows: usize,
    /// Salesforce's query page size, the divisor of figure 1.
    pub page: usize,
    /// Records inserted (figure 2).
    pub insert: usize,
    /// Records inserted with default and with unlimited limits (figure 9).
    pub insert_overhead: usize,
    /// Describes fetched (figure 3).
    pub describes: usize,
    /// Concurrent calls on an expired session (figure 4).
    pub concurrent: usize,
    /// Rows of the decoded page (figure 5).
    pub decode_rows: usize,
    /// Decode rounds (figure 5).
    pub decode_rounds: usize,
    /// Rows of the small and the large stream (figure 6).
    pub stream_small: usize,
    /// See `stream_small`.
    pub stream_large: usize,
    /// Objects of the synthetic org generated (figure 7).
    pub codegen_objects: usize,
    /// Objects of the large generated crate built (figure 8).
    pub build_objects: usize,
    /// Contacts streamed with every field and with a projection (figure 10).
    pub projection_rows: usize,
}

impl Sizes {
    /// The sizes of the issue.
    pub fn full() -> Sizes {
        Sizes {
            query_rows: 100_000,
            page: 2_000,
            insert: 10_000,
            insert_overhead: 30_000,
            describes: 100,
            concurrent: 50,
            decode_rows: 2_000,
            decode_rounds: 30,
            stream_small: 10_000,
            stream_large: 1_000_000,
            codegen_objects: 1_000,
            build_objects: 200,
            projection_rows: 100_000,
        }
    }

    /// Smaller sizes for figures 6–8 and 10; the counts (1–4) keep theirs.
    pub fn quick() -> Sizes {
        Sizes {
            stream_large: 200_000,
            codegen_objects: 250,
            build_objects: 50,
            projection_rows: 5_000,
            ..Sizes::full()
        }
    }
}

impl fmt::Display for Sizes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "query {} rows, insert {} (and {} for figure 9), fetch {} describes, {} concurrent calls, decode {} rows, stream {} vs {} rows, codegen {} objects, build {} objects, project {} rows",
            self.query_rows,
            self.insert,
            self.insert_overhead,
            self.describes,
            self.concurrent,
            self.decode_rows,
            self.stream_large,
            self.stream_small,
            self.codegen_objects,
            self.build_objects,
            self.projection_rows
        )
    }
}

/// One run's state: the sizes, the fake org once started, synthetic orgs once written.
pub struct Bench {
    sizes: Sizes,
    work: PathBuf,
    recordings: PathBuf,
    org: Option<Org>,
    pool: Option<FieldPool>,
    synthetic: HashMap<usize, (PathBuf, SyntheticOrg)>,
}

impl Bench {
    /// A run with these sizes, keeping files under `work`.
    pub fn new(sizes: Sizes, work: PathBuf, recordings: PathBuf) -> Bench {
        Bench {
            sizes,
            work,
            recordings,
            org: None,
            pool: None,
            synthetic: HashMap::new(),
        }
    }

    /// Takes one figure and prints its lines.
    pub async fn run(&mut self, figure: Figure) -> anyhow::Result<Vec<Line>> {
        let sizes = self.sizes;
        let lines = match figure {
            Figure::Query => calls::query(self.org().await?, &sizes).await?,
            Figure::Insert => calls::insert(self.org().await?, &sizes).await?,
            Figure::Fetch => {
                let (dir, org) = self.synthetic(sizes.describes)?;
                fetch::fetch(&dir, &org.names(), &self.work, &sizes).await?
            }
            Figure::Refresh => refresh::refresh(self.org().await?, &sizes).await?,
            Figure::Decode => {
                let work = self.work.clone();
                decode::decode(self.org().await?, &sizes, &work).await?
            }
            Figure::Memory => memory::memory(self.org().await?, &sizes).await?,
            Figure::Codegen => {
                let small = self.synthetic(sizes.codegen_objects / 2)?;
                let large = self.synthetic(sizes.codegen_objects)?;
                codegen::codegen(&small, &large, &self.work)?
            }
            Figure::Overhead => overhead::overhead(self.org().await?, &sizes).await?,
            Figure::Build => {
                let (dir, org) = self.synthetic(sizes.codegen_objects)?;
                build::build(&dir, &org, &sizes, &self.work)?
            }
            Figure::Projection => projection::projection(self.org().await?, &sizes).await?,
        };
        for line in &lines {
            println!("{line}");
        }
        Ok(lines)
    }

    /// Stops the fake org.
    pub async fn shutdown(&mut self) {
        if let Some(org) = self.org.take() {
            org.shutdown().await;
        }
    }

    async fn org(&mut self) -> anyhow::Result<&mut Org> {
        if self.org.is_none() {
            self.org = Some(Org::start().await?);
        }
        self.org.as_mut().context("the fake org")
    }

    /// The synthetic org of `objects` objects, written to `<work>/synthetic-<objects>/`.
    fn synthetic(&mut self, objects: usize) -> anyhow::Result<(PathBuf, SyntheticOrg)> {
        if let Some((dir, org)) = self.synthetic.get(&objects) {
            return Ok((dir.clone(), org.clone()));
        }
        if self.pool.is_none() {
            let full = self.recordings.join("describe/full");
            self.pool = Some(FieldPool::from_dir(&full).with_context(|| {
                format!(
                    "reading the recordings' describes in {} (pass --recordings)",
                    full.display()
                )
            })?);
        }
        let pool = self.pool.as_ref().context("the field pool")?;
        let real = synth::global_names(&self.recordings.join(sfgen_bench::GLOBAL_DESCRIBE))?;
        let org = SyntheticOrg::build(
            pool,
            &synth::object_names(&real, objects),
            synth::DEFAULT_SEED,
        );
        let dir = self.work.join(format!("synthetic-{objects}"));
        fresh_dir(&dir)?;
        org.write_dir(&dir)?;
        self.synthetic.insert(objects, (dir.clone(), org.clone()));
        Ok((dir, org))
    }
}

/// Empties (or creates) `dir`.
pub fn fresh_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}
