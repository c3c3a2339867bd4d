//! `sfgen fetch`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use sfgen::connect::ConnectArgs;
use sfgen::fetch::{FetchOptions, FetchReport, DEFAULT_CONCURRENCY};

const EXAMPLES: &str = "\
Examples:
  sfgen fetch --target-org my-org                          refresh the objects already in schemas/
  sfgen fetch --target-org my-org --objects Account,Contact,'*__c'
  sfgen fetch --target-org my-org --all --custom-only      every custom object
  SF_INSTANCE_URL=https://acme.my.salesforce.com SF_ACCESS_TOKEN=00D... sfgen fetch
  sfgen fetch --target-org my-org && sfgen generate        then regenerate the bindings

Unchanged describes are asked for with If-Modified-Since and their files kept.
Exit status: 0 when every object was fetched, 1 when one failed (the others are kept).";

/// Fetch describes from an org into the schemas directory.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct FetchArgs {
    /// Objects: API names and globs, comma-separated (quote globs: '*__c'). Default: the
    /// snapshot's objects, or the standard CRM objects for a new snapshot.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    objects: Option<Vec<String>>,
    /// Every object the org can describe.
    #[arg(long, conflicts_with = "objects")]
    all: bool,
    /// Only custom objects (alone: every custom object).
    #[arg(long)]
    custom_only: bool,
    /// Directory to write the describes and manifest.json into [default: the project's, else schemas].
    #[arg(long)]
    schemas: Option<PathBuf>,
    /// The project file (default: sfgen.toml in the current directory, when there is one):
    /// its schemas, objects and api-version are the defaults here.
    #[arg(long, value_name = "FILE")]
    project: Option<PathBuf>,
    /// Composite requests (of up to 25 describes) in flight.
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY as u16, value_parser = clap::value_parser!(u16).range(1..=10))]
    concurrency: u16,
    /// Fetch every describe in full (no If-Modified-Since).
    #[arg(long)]
    force: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    connect: ConnectArgs,
}

/// Runs `sfgen fetch`.
pub fn run(mut args: FetchArgs) -> anyhow::Result<ExitCode> {
    let home = super::home()?;
    let project = sfgen::project::discover(args.project.as_deref())?;
    let from_project = project.as_ref().map(|p| (p, &p.project));
    let schemas = match (&args.schemas, from_project) {
        (Some(dir), _) => dir.clone(),
        (None, Some((p, settings))) => settings
            .schemas
            .as_ref()
            .map_or_else(|| PathBuf::from("schemas"), |s| p.resolve(s)),
        (None, None) => PathBuf::from("schemas"),
    };
    let objects = args.objects.clone().or_else(|| {
        from_project
            .filter(|_| !args.all)
            .and_then(|(_, settings)| settings.objects.clone())
    });
    if args.connect.api_version.is_none() {
        args.connect.api_version = from_project.and_then(|(_, s)| s.api_version.clone());
    }
    let options = FetchOptions {
        schemas: schemas.clone(),
        objects,
        all: args.all,
        custom_only: args.custom_only,
        concurrency: usize::from(args.concurrency),
        force: args.force,
        prune_missing: false,
    };
    let report = super::runtime()?.block_on(async {
        let connection = sfgen::connect::connect(&args.connect, &home).await?;
        let progress = sfgen::fetch::progress::auto();
        let report = sfgen::fetch::fetch(&connection, &options, progress.as_ref())
            .await
            .with_context(|| format!("fetching into `{}`", options.schemas.display()))?;
        anyhow::Ok((report, connection.client.instance_url().to_string()))
    })?;
    let (report, instance) = report;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, &instance, &schemas);
    }
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_report(report: &FetchReport, instance: &str, schemas: &std::path::Path) {
    for glob in &report.unmatched {
        eprintln!("warning: `{glob}` matches no object of the org");
    }
    if !report.skipped.is_empty() {
        eprintln!(
            "skipped (not describable, or not custom): {}",
            report.skipped.join(", ")
        );
    }
    println!(
        "fetched {} describes from {instance} (API v{}) into `{}` in {} round trips: {} written, {} unchanged, {} failed{}",
        report.selected,
        report.api_version,
        schemas.display(),
        report.requests,
        report.written.len(),
        report.unchanged.len(),
        report.failed.len(),
        if report.manifest_written { "; manifest.json updated" } else { "" }
    );
    if !report.failed.is_empty() {
        eprintln!("failed:");
        for f in &report.failed {
            eprintln!("  {}: {}", f.object, f.reason);
        }
    }
}
