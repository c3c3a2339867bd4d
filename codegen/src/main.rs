//! `sfgen`: the command line. Parses arguments, calls the library, adds
//! context to errors. One variant of [`Command`] and one function per subcommand.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Write sfgen.toml, the project file every command reads.
    Init(commands::init::InitArgs),
    /// Generate the bindings crate (Cargo.toml and src/) from describe files.
    Generate(commands::generate::GenerateArgs),
    /// Log in to an org (OAuth web server flow with PKCE) and save the connection.
    Login(commands::login::LoginArgs),
    /// Fetch describes from an org into the schemas directory.
    Fetch(commands::fetch::FetchArgs),
    /// Compare the snapshot with another snapshot or the live org (exit 0 / 1 additive / 2 breaking).
    Diff(commands::diff::DiffArgs),
    /// What a create of each object needs: required fields, restricted picklists, references.
    Requirements(commands::requirements::RequirementsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init(args) => commands::init::run(args),
        Command::Generate(args) => commands::generate::run(args),
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
