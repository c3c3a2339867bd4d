//! Errors of starting and configuring the org (HTTP-level errors are [`crate::SfError`]).

use std::path::PathBuf;

/// Why the org could not be built, started or changed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file of the schemas directory could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A describe (or the manifest) is not what the org needs.
    #[error("invalid describe {origin}: {reason}")]
    Describe {
        /// File name or object name the describe came from.
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// Two describes name the same object.
    #[error("object {name} is described twice: in {first} and in {second}")]
    DuplicateObject {
        /// The object's API name.
        name: String,
        /// Where it was found first.
        first: String,
        /// Where it was found again.
        second: String,
    },
    /// The schemas directory holds no describe.
    #[error("no describe found in {0}")]
    NoDescribes(PathBuf),
    /// An operation named an object the org does not have.
    #[error("the org has no object {0}")]
    UnknownObject(String),
    /// The JWT certificate or public key is not a usable RSA key.
    #[error("invalid JWT certificate: {0}")]
    JwtKey(String),
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The self-signed TLS certificate could not be made or used.
    #[error("TLS setup failed: {0}")]
    Tls(String),
}
