//! `sfgen generate`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use sfgen::project::Loaded;
use sfgen::{Options, RuntimeDependency, UnifiedSelection};

const EXAMPLES: &str = "\
Examples:
  sfgen generate                         as sfgen.toml says (or schemas/ into generated/)
  sfgen generate --check                 exit 1 when the crate is not what the schemas give
  sfgen generate --objects account,'*__c' --out bindings --crate-name acme-salesforce

sfgen writes only into an empty directory or a crate it generated (it keeps the list of
its files in `.sfgen-files`), replaces and removes only those files, and writes every
changed file or none.";

/// Generate the bindings crate (Cargo.toml and src/) from describe files.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct GenerateArgs {
    /// The project file (default: sfgen.toml in the current directory, when there is one).
    #[arg(long, value_name = "FILE")]
    project: Option<PathBuf>,
    /// Directory of describe JSON files, with or without a manifest.json [default: schemas].
    #[arg(long)]
    schemas: Option<PathBuf>,
    /// Directory of the generated crate [default: generated].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Only these objects: API names and globs, comma-separated, any case.
    #[arg(long, value_delimiter = ',')]
    objects: Option<Vec<String>>,
    /// Path of a local sfgen-runtime checkout, relative to --out (as Cargo reads it).
    /// Default: the project's [runtime], else ../runtime when OUT/../runtime is
    /// sfgen-runtime, else the registry version.
    #[arg(long)]
    runtime_path: Option<String>,
    /// Package name of the generated crate [default: sfgen-generated].
    #[arg(long)]
    crate_name: Option<String>,
    /// Leave out the unified CRM mappers.
    #[arg(long)]
    no_unified: bool,
    /// Write into a directory sfgen did not generate (it still removes nothing it did not write).
    #[arg(long)]
    force: bool,
    /// Write nothing; exit with an error listing the files that differ from what the schemas produce.
    #[arg(long)]
    check: bool,
}

impl GenerateArgs {
    /// The library's options: flags over the project file over the defaults.
    fn options(&self, project: Option<&Loaded>) -> anyhow::Result<Options> {
        let mut options = match project {
            Some(p) => p.options()?,
            None => Options::default(),
        };
        if let Some(schemas) = &self.schemas {
            options.schemas = schemas.clone();
        }
        if let Some(out) = &self.out {
            options.out = out.clone();
            // A path runtime from the project was made relative to the project's `out`.
            if let Some(p) = project {
                options.runtime = p.runtime_dependency(out)?;
            }
        }
        if let Some(objects) = &self.objects {
            options.objects = Some(objects.clone());
        }
        if let Some(path) = &self.runtime_path {
            options.runtime = Some(RuntimeDependency::Path(path.clone()));
        }
        if let Some(name) = &self.crate_name {
            options.crate_name = name.clone();
        }
        if self.no_unified {
            options.unified = UnifiedSelection::Off;
        }
        let flags_differ = self.schemas.is_some()
            || self.out.is_some()
            || self.objects.is_some()
            || self.runtime_path.is_some()
            || self.crate_name.is_some()
            || self.no_unified;
        if flags_differ {
            // The project file alone no longer reproduces the crate: name every flag.
            options.project = None;
        }
        options.force = self.force;
        Ok(options)
    }
}

/// Runs `sfgen generate`.
pub fn run(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let project = sfgen::project::discover(args.project.as_deref())?;
    let options = args.options(project.as_ref())?;
    if args.check {
        return check(&options);
    }
    let report = sfgen::generate(&options).with_context(|| {
        format!(
            "generating `{}` from `{}`",
            options.out.display(),
            options.schemas.display()
        )
    })?;
    print_notes(&report.warnings, &report.notes);
    let w = &report.written;
    println!(
        "generated {} objects into `{}`: {} files written, {} unchanged, {} stale removed",
        report.objects,
        options.out.display(),
        w.written.len(),
        w.unchanged,
        w.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn check(options: &Options) -> anyhow::Result<ExitCode> {
    let report = sfgen::check(options).with_context(|| {
        format!(
            "checking `{}` against `{}`",
            options.out.display(),
            options.schemas.display()
        )
    })?;
    print_notes(&report.warnings, &report.notes);
    if report.is_clean() {
        println!(
            "`{}` is up to date with `{}`",
            options.out.display(),
            options.schemas.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "`{}` is not what `{}` generates:",
        options.out.display(),
        options.schemas.display()
    );
    let d = &report.diff;
    for (what, files) in [
        ("differs", &d.changed),
        ("missing", &d.missing),
        ("stale", &d.stale),
    ] {
        for file in files {
            eprintln!("  {what}: {}", options.out.join(file).display());
        }
    }
    eprintln!("fix it with: {}", report.fix_command);
    Ok(ExitCode::FAILURE)
}

fn print_notes(warnings: &[sfgen::Warning], notes: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
    for note in notes {
        eprintln!("note: {note}");
    }
}
