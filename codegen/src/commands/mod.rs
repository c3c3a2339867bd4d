//! The subcommands: `init`, `generate`, `login`, `fetch`, `diff`, `requirements`. Each module holds its clap arguments (with examples
//! in `after_help`) and a `run` that calls the library and prints.

pub mod diff;
pub mod fetch;
pub mod generate;
pub mod init;
pub mod login;
pub mod requirements;

use anyhow::Context as _;

/// A Tokio runtime for one command.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// The sfgen home (saved logins), for commands that connect.
fn home() -> anyhow::Result<sfgen::login::store::Home> {
    Ok(sfgen::login::store::Home::from_env()?)
}
