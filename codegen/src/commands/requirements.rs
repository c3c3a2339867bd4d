//! `sfgen requirements`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

const EXAMPLES: &str = "\
Examples:
  sfgen requirements                         every object in schemas/
  sfgen requirements --objects Contact,Lead  only these
  sfgen requirements --json | jq '.[] | select(.required != [])'";

/// What a create of each object needs, from the snapshot: required fields,
/// restricted picklists and reference targets.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct RequirementsArgs {
    /// Directory of describe JSON files, with or without a manifest.json.
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// Only these objects (comma-separated API names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    objects: Option<Vec<String>>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `sfgen requirements`.
pub fn run(args: RequirementsArgs) -> anyhow::Result<ExitCode> {
    let schemas = sfgen::read::read_schemas(&args.schemas)
        .with_context(|| format!("reading the snapshot `{}`", args.schemas.display()))?;
    let reqs = sfgen::requirements::requirements(&schemas, args.objects.as_deref())?;
    if args.json {
        print!("{}", sfgen::requirements::render_json(&reqs));
    } else {
        print!("{}", sfgen::requirements::render_text(&reqs));
    }
    Ok(ExitCode::SUCCESS)
}
