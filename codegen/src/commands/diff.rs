//! `sfgen diff`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use sfgen::connect::ConnectArgs;
use sfgen::diff::DiffReport;

const EXAMPLES: &str = "\
Examples:
  sfgen diff --target-org my-org              the snapshot in schemas/ against the live org
  sfgen diff --against ../other/schemas       against another snapshot
  sfgen diff --target-org my-org --json       for tools
  sfgen diff --target-org my-org || [ $? -eq 1 ]   CI: fail only on breaking changes

The live org is described at the snapshot's API version unless --api-version says otherwise;
describes that did not change since the snapshot come back 304 Not Modified.
Exit status: 0 nothing changed, 1 additive changes only, 2 breaking changes,
3 the comparison could not be made.";

/// Exit status when the comparison could not be made.
const CANNOT_COMPARE: u8 = 3;

/// What changed between the snapshot and another snapshot or the live org,
/// each change breaking or additive.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct DiffArgs {
    /// The snapshot (the old side).
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// Another snapshot directory to compare with (the new side); without it, the live org.
    #[arg(long, value_name = "DIR")]
    against: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    connect: ConnectArgs,
}

/// Runs `sfgen diff`; errors exit with 3, so they cannot pass for 0, 1 or 2.
pub fn run(args: DiffArgs) -> anyhow::Result<ExitCode> {
    match compare(args) {
        Ok(code) => Ok(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            Ok(ExitCode::from(CANNOT_COMPARE))
        }
    }
}

fn compare(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let old = sfgen::read::read_schemas(&args.schemas)
        .with_context(|| format!("reading the snapshot `{}`", args.schemas.display()))?;
    let report = match &args.against {
        Some(_) if args.connect.is_given() => {
            anyhow::bail!("--against compares two snapshots; connection options are for comparing with the live org: give one or the other")
        }
        Some(dir) => {
            let new = sfgen::read::read_schemas(dir)
                .with_context(|| format!("reading `{}`", dir.display()))?;
            sfgen::diff::compare(&old, &new)
        }
        None => live(&args, &old)?,
    };
    print(&report, args.json);
    Ok(ExitCode::from(report.exit_code()))
}

fn live(args: &DiffArgs, old: &sfgen::read::Schemas) -> anyhow::Result<DiffReport> {
    let home = super::home()?;
    let mut connect = args.connect.clone();
    let has_manifest = args.schemas.join(sfgen::read::MANIFEST_FILE).is_file();
    if connect.api_version.is_none() && has_manifest {
        // The same API version as the snapshot, so that only the org's changes show.
        connect.api_version = Some(old.api_version.clone());
    }
    super::runtime()?.block_on(async {
        let connection = sfgen::connect::connect(&connect, &home).await?;
        let progress = sfgen::fetch::progress::auto();
        let live = sfgen::diff::live::fetch_live(&args.schemas, &connection, progress.as_ref())
            .await
            .context("fetching the snapshot's objects from the org")?;
        if !live.report.failed.is_empty() {
            let failed: Vec<String> = live
                .report
                .failed
                .iter()
                .map(|f| format!("{}: {}", f.object, f.reason))
                .collect();
            anyhow::bail!(
                "cannot compare: some describes could not be fetched:\n  {}",
                failed.join("\n  ")
            );
        }
        let new = if live.report.removed.len() == old.objects.len() {
            // The org has none of the snapshot's objects any more.
            sfgen::read::Schemas {
                api_version: old.api_version.clone(),
                objects: Vec::new(),
                unified_spec: None,
            }
        } else {
            sfgen::read::read_schemas(live.dir.path()).context("reading the org's describes")?
        };
        Ok(sfgen::diff::compare(old, &new))
    })
}

fn print(report: &DiffReport, json: bool) {
    if json {
        print!("{}", sfgen::diff::render_json(report));
    } else {
        print!("{}", sfgen::diff::render_text(report));
    }
}
