//! `sfgen init`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use sfgen::project::{Project, RecordsChoice, RuntimeSource, UnifiedChoice, FILE_NAME};

const EXAMPLES: &str = "\
Examples:
  sfgen init --out salesforce --crate-name acme-salesforce --objects Account,Contact,'*__c'
  sfgen init --runtime-git https://github.com/acme/sfgen --runtime-tag v0.1.0
  sfgen init --runtime-path ../sfgen/runtime --no-unified

Then: `sfgen login`, `sfgen fetch`, `sfgen generate` (each reads sfgen.toml).";

/// Write sfgen.toml, the project file every command reads.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct InitArgs {
    /// Where to write the project file.
    #[arg(long, default_value = FILE_NAME)]
    project: PathBuf,
    /// The schemas directory, relative to the project file.
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// The generated crate's directory, relative to the project file.
    #[arg(long, default_value = "salesforce")]
    out: PathBuf,
    /// The generated package's name.
    #[arg(long, default_value = "salesforce")]
    crate_name: String,
    /// Objects to fetch and generate: API names and globs, comma-separated.
    #[arg(long, value_delimiter = ',')]
    objects: Option<Vec<String>>,
    /// The API version `sfgen fetch` asks for.
    #[arg(long)]
    api_version: Option<String>,
    /// The bindings reach sfgen-runtime through this path (relative to the project file).
    #[arg(long, conflicts_with_all = ["runtime_git", "runtime_version"])]
    runtime_path: Option<String>,
    /// ... or this git repository.
    #[arg(long, conflicts_with = "runtime_version")]
    runtime_git: Option<String>,
    /// The tag of --runtime-git.
    #[arg(long, requires = "runtime_git", conflicts_with = "runtime_rev")]
    runtime_tag: Option<String>,
    /// The commit of --runtime-git.
    #[arg(long, requires = "runtime_git")]
    runtime_rev: Option<String>,
    /// ... or this registry version [default: the version of this sfgen].
    #[arg(long)]
    runtime_version: Option<String>,
    /// Leave out the unified CRM mappers.
    #[arg(long)]
    no_unified: bool,
}

/// Runs `sfgen init`.
pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let runtime = RuntimeSource {
        version: match (&args.runtime_path, &args.runtime_git, &args.runtime_version) {
            (None, None, None) => Some(sfgen::RUNTIME_VERSION.to_owned()),
            _ => args.runtime_version.clone(),
        },
        path: args.runtime_path.clone(),
        git: args.runtime_git.clone(),
        tag: args.runtime_tag.clone(),
        rev: args.runtime_rev.clone(),
        branch: None,
    };
    let project = Project {
        schemas: Some(args.schemas.clone()),
        out: Some(args.out.clone()),
        crate_name: Some(args.crate_name.clone()),
        objects: args.objects.clone(),
        api_version: args.api_version.clone(),
        runtime: Some(runtime),
        unified: Some(UnifiedChoice {
            enabled: Some(!args.no_unified),
            resources: None,
        }),
        records: Some(RecordsChoice {
            derives: Some(vec![
                "Clone".to_owned(),
                "PartialEq".to_owned(),
                "Serialize".to_owned(),
            ]),
        }),
    };
    let loaded = sfgen::project::Loaded {
        path: args.project.clone(),
        project: project.clone(),
    };
    // Refuse a file that `generate` would refuse later.
    loaded.runtime_dependency(&loaded.resolve(&args.out))?;
    project.write_new(&args.project)?;
    println!("wrote `{}`", args.project.display());
    if !args.no_unified {
        let spec = loaded
            .resolve(&args.schemas)
            .join(sfgen::unified::SPEC_FILE);
        if sfgen::unified::write_default_spec(&spec)? {
            println!(
                "wrote `{}`, the default unified CRM mapping (edit it to use your fields)",
                spec.display()
            );
        }
    }
    println!("next: sfgen login, sfgen fetch, sfgen generate");
    Ok(ExitCode::SUCCESS)
}
