//! Where the shared recordings are, for the tests that read them.

use std::path::{Path, PathBuf};

/// `../shared/salesforce-recordings`, beside the repository (as CI clones it).
pub fn recordings() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/salesforce-recordings");
    assert!(
        dir.join("describe/full").is_dir(),
        "the shared Salesforce recordings are missing: expected them at `{}` \
         (clone the `shared/` folder beside this repository)",
        dir.display()
    );
    dir
}
