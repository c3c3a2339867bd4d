//! The live side of `sfgen diff`: the snapshot's objects as the org describes
//! them now, fetched into a temporary copy of the snapshot (so unchanged
//! describes come back as 304 and cost nothing).

use std::path::Path;

use crate::connect::Connection;
use crate::fetch::progress::Progress;
use crate::fetch::{self, FetchError, FetchOptions, FetchReport};
use crate::manifest_write::WriteError;

/// A temporary snapshot of the live org, deleted on drop.
#[derive(Debug)]
pub struct LiveSnapshot {
    /// The directory holding it.
    pub dir: tempfile::TempDir,
    /// What the fetch did (objects the org no longer has are in `removed`).
    pub report: FetchReport,
}

/// Copies `snapshot` to a temporary directory and fetches its objects into it.
pub async fn fetch_live(
    snapshot: &Path,
    connection: &Connection,
    progress: &dyn Progress,
) -> Result<LiveSnapshot, FetchError> {
    let io = |action, path: &Path| {
        let path = path.to_owned();
        move |source| {
            WriteError::Io(crate::error::IoError {
                action,
                path,
                source,
            })
        }
    };
    let dir = tempfile::Builder::new()
        .prefix("sfgen-diff-")
        .tempdir()
        .map_err(io("create", Path::new("a temporary directory")))?;
    for entry in std::fs::read_dir(snapshot).map_err(io("list", snapshot))? {
        let path = entry.map_err(io("list", snapshot))?.path();
        if path.is_file() {
            if let Some(name) = path.file_name() {
                std::fs::copy(&path, dir.path().join(name)).map_err(io("copy", &path))?;
            }
        }
    }
    let options = FetchOptions {
        prune_missing: true,
        ..FetchOptions::new(dir.path())
    };
    let report = fetch::fetch(connection, &options, progress).await?;
    Ok(LiveSnapshot { dir, report })
}
