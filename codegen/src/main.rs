//! `sfgen`: the command line. Parses arguments, calls the library, adds
//! context to errors. One variant of [`Command`] and one function per subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};

mod commands;

/// Typed Rust bindings for a Salesforce org, generated from its describe metadata.
#[derive(Debug, Parser)]
#[command(name = "sfgen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the bindings crate (Cargo.toml and src/) from describe files.
    Generate(GenerateArgs),
    /// Log in to an org (OAuth web server flow with PKCE) and save the connection.
    Login(commands::login::LoginArgs),
    /// Fetch describes from an org into the schemas directory.
    Fetch(commands::fetch::FetchArgs),
    /// Compare the snapshot with another snapshot or the live org (exit 0 / 1 additive / 2 breaking).
    Diff(commands::diff::DiffArgs),
    /// What a create of each object needs: required fields, restricted picklists, references.
    Requirements(commands::requirements::RequirementsArgs),
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// Directory of describe JSON files, with or without a manifest.json.
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// Directory of the generated crate.
    #[arg(long, default_value = "generated")]
    out: PathBuf,
    /// Only these objects (comma-separated API names).
    #[arg(long, value_delimiter = ',')]
    objects: Option<Vec<String>>,
    /// Path of a local sfgen-runtime checkout, relative to --out (as Cargo reads it).
    /// Default: ../runtime when OUT/../runtime is sfgen-runtime, else the registry version.
    #[arg(long)]
    runtime_path: Option<String>,
    /// Package name of the generated crate.
    #[arg(long, default_value = "sfgen-generated")]
    crate_name: String,
    /// Write nothing; exit with an error listing the files that differ from what the schemas produce.
    #[arg(long)]
    check: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate(args),
        Command::Login(args) => commands::login::run(args),
        Command::Fetch(args) => commands::fetch::run(args),
        Command::Diff(args) => commands::diff::run(args),
        Command::Requirements(args) => commands::requirements::run(args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::FAILURE
    })
}

fn generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let options = sfgen::Options {
        schemas: args.schemas,
        out: args.out,
        objects: args.objects,
        runtime_path: args.runtime_path,
        crate_name: args.crate_name,
    };
    if args.check {
        let report = sfgen::check(&options).with_context(|| {
            format!(
                "checking `{}` against `{}`",
                options.out.display(),
                options.schemas.display()
            )
        })?;
        print_warnings(&report.warnings);
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
        eprintln!(
            "  (in the sfgen workspace: cargo run -p sfgen -- {})",
            report.fix_command.trim_start_matches("sfgen ")
        );
        return Ok(ExitCode::FAILURE);
    }
    let report = sfgen::generate(&options).with_context(|| {
        format!(
            "generating `{}` from `{}`",
            options.out.display(),
            options.schemas.display()
        )
    })?;
    print_warnings(&report.warnings);
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

fn print_warnings(warnings: &[sfgen::Warning]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}
