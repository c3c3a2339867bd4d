//! Where `sfgen login` keeps connections: the sfgen home directory.
//!
//! | file | holds |
//! |---|---|
//! | `tokens.json` | the runtime's [`EncryptedFileTokenStore`]: per alias the access and refresh tokens, instance URL and identity URL (org id and user id), AES-256-GCM; and the connected app's Consumer Secret, when one was given, under `<alias>#consumer-secret` |
//! | `token.key` | the store's key (32 random bytes, mode 0600), made on the first login, unless `SFGEN_TOKEN_KEY` holds the key |
//! | `orgs.json` | per alias what is not secret: instance and login URLs, Consumer Key, org id, user id, username |
//!
//! The directory is `SFGEN_HOME`, or `~/.sfgen`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sfgen_runtime::secrecy::{ExposeSecret, SecretString};
use sfgen_runtime::{
    ConnectionId, EncryptedFileTokenStore, StoredToken, TokenKey, TokenStore, Url,
};

/// The environment variable naming the sfgen home directory.
pub const HOME_VAR: &str = "SFGEN_HOME";
/// The environment variable that can hold the token store key (base64 or hex).
pub const KEY_VAR: &str = "SFGEN_TOKEN_KEY";

/// What can go wrong with the saved connections.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Neither `SFGEN_HOME` nor `HOME` is set.
    #[error("cannot tell where to keep logins: set SFGEN_HOME (or HOME)")]
    NoHome,
    /// A file could not be read or written.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// `orgs.json` is not what sfgen writes.
    #[error("`{}` is malformed: {reason}; fix or delete it and log in again", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
    /// The runtime's token store failed.
    #[error(transparent)]
    Tokens(Box<sfgen_runtime::Error>),
}

impl From<sfgen_runtime::Error> for StoreError {
    fn from(error: sfgen_runtime::Error) -> Self {
        StoreError::Tokens(Box::new(error))
    }
}

/// One saved connection's public details (`orgs.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgEntry {
    /// The org's instance URL.
    pub instance_url: String,
    /// Where the user logged in (production, sandbox or My Domain URL).
    pub login_url: String,
    /// The connected app's Consumer Key (client id).
    pub client_id: String,
    /// Whether the app's Consumer Secret is in the encrypted store.
    #[serde(default)]
    pub has_client_secret: bool,
    /// The org id (`00D…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The user id (`005…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// The sfgen home directory and what is kept in it.
#[derive(Debug, Clone)]
pub struct Home {
    dir: PathBuf,
}

impl Home {
    /// `SFGEN_HOME`, or `~/.sfgen`.
    pub fn from_env() -> Result<Home, StoreError> {
        Self::from_env_with(|name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
    }

    /// Like [`Home::from_env`], reading variables through `var`.
    pub fn from_env_with(var: impl Fn(&str) -> Option<PathBuf>) -> Result<Home, StoreError> {
        if let Some(dir) = var(HOME_VAR) {
            return Ok(Home { dir });
        }
        let home = var("HOME")
            .or_else(|| var("USERPROFILE"))
            .ok_or(StoreError::NoHome)?;
        Ok(Home {
            dir: home.join(".sfgen"),
        })
    }

    /// A home at `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Home {
        Home { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn orgs_path(&self) -> PathBuf {
        self.dir.join("orgs.json")
    }

    fn key_path(&self) -> PathBuf {
        self.dir.join("token.key")
    }

    /// The encrypted token store. With `create_key`, a missing key file is
    /// created (32 random bytes, mode 0600).
    pub fn token_store(
        &self,
        create_key: bool,
    ) -> Result<Arc<EncryptedFileTokenStore>, StoreError> {
        let key = if std::env::var_os(KEY_VAR).is_some_and(|v| !v.is_empty()) {
            TokenKey::from_env(KEY_VAR)?
        } else {
            let path = self.key_path();
            if create_key && !path.exists() {
                self.create_dir()?;
                let text = TokenKey::generate().to_base64();
                write_private(
                    &path,
                    format!("{}\n", text.expose_secret()).as_bytes(),
                    true,
                )?;
            }
            TokenKey::from_file(&path)?
        };
        Ok(Arc::new(EncryptedFileTokenStore::new(
            self.dir.join("tokens.json"),
            key,
        )))
    }

    fn create_dir(&self) -> Result<(), StoreError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| StoreError::Io {
            action: "create",
            path: self.dir.clone(),
            source,
        })
    }

    /// Every saved connection's public details, by alias.
    pub fn orgs(&self) -> Result<BTreeMap<String, OrgEntry>, StoreError> {
        let path = self.orgs_path();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(source) => {
                return Err(StoreError::Io {
                    action: "read",
                    path,
                    source,
                })
            }
        };
        serde_json::from_slice(&bytes).map_err(|e| StoreError::Malformed {
            path,
            reason: e.to_string(),
        })
    }

    /// One saved connection's public details.
    pub fn org(&self, alias: &str) -> Result<Option<OrgEntry>, StoreError> {
        Ok(self.orgs()?.remove(alias))
    }

    /// Saves a connection: its tokens (already in the store, saved by the
    /// client), the Consumer Secret if any, and its public details.
    pub async fn save_org(
        &self,
        alias: &str,
        entry: &OrgEntry,
        client_secret: Option<&SecretString>,
    ) -> Result<(), StoreError> {
        self.create_dir()?;
        if let Some(secret) = client_secret {
            let store = self.token_store(true)?;
            let login_url = Url::parse(&entry.login_url).map_err(|e| StoreError::Malformed {
                path: self.orgs_path(),
                reason: e.to_string(),
            })?;
            store
                .save(&secret_id(alias), &secret_entry(secret, login_url))
                .await?;
        }
        let mut orgs = self.orgs()?;
        orgs.insert(
            alias.to_owned(),
            OrgEntry {
                has_client_secret: client_secret.is_some(),
                ..entry.clone()
            },
        );
        let mut text = serde_json::to_string_pretty(&orgs).map_err(|e| StoreError::Malformed {
            path: self.orgs_path(),
            reason: e.to_string(),
        })?;
        text.push('\n');
        write_private(&self.orgs_path(), text.as_bytes(), false)
    }

    /// The saved Consumer Secret of an alias's connected app.
    pub async fn client_secret(&self, alias: &str) -> Result<Option<SecretString>, StoreError> {
        let store = self.token_store(false)?;
        Ok(store
            .load(&secret_id(alias))
            .await?
            .and_then(|t| t.refresh_token))
    }
}

/// The store entry that holds an alias's Consumer Secret.
fn secret_id(alias: &str) -> ConnectionId {
    ConnectionId::new(format!("{alias}#consumer-secret"))
}

/// The token store seals entries of one shape; the secret rides in its refresh
/// token slot, beside the login URL it belongs to.
fn secret_entry(secret: &SecretString, login_url: Url) -> StoredToken {
    StoredToken {
        access_token: None,
        refresh_token: Some(secret.clone()),
        instance_url: login_url,
        issued_at: chrono::Utc::now(),
        identity_url: None,
    }
}

/// Writes a file through a temporary file and a rename; `private` makes it mode 0600.
fn write_private(path: &Path, bytes: &[u8], private: bool) -> Result<(), StoreError> {
    let io = |action, source| StoreError::Io {
        action,
        path: path.to_owned(),
        source,
    };
    let temp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(&temp).map_err(|e| io("create", e))?;
    file.write_all(bytes).map_err(|e| io("write", e))?;
    file.sync_all().map_err(|e| io("sync", e))?;
    std::fs::rename(&temp, path).map_err(|e| io("replace", e))
}

/// The org id and user id in an identity URL (`https://login…/id/<org id>/<user id>`).
pub fn ids_from_identity_url(url: &str) -> Option<(String, String)> {
    let mut parts = url.trim_end_matches('/').rsplit('/');
    let user = parts.next()?;
    let org = parts.next()?;
    (parts.next() == Some("id")).then(|| (org.to_owned(), user.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_urls_give_org_and_user() {
        assert_eq!(
            ids_from_identity_url(
                "https://login.salesforce.com/id/00Dxx0000001gPL/005xx000001Sv6e"
            ),
            Some(("00Dxx0000001gPL".into(), "005xx000001Sv6e".into()))
        );
        assert_eq!(ids_from_identity_url("https://example.com/other/a/b"), None);
    }

    #[test]
    fn home_comes_from_sfgen_home_then_home() {
        let home = Home::from_env_with(|v| (v == HOME_VAR).then(|| PathBuf::from("/tmp/sfgen-x")))
            .expect("set");
        assert_eq!(home.dir(), Path::new("/tmp/sfgen-x"));
        let home =
            Home::from_env_with(|v| (v == "HOME").then(|| PathBuf::from("/home/u"))).expect("set");
        assert_eq!(home.dir(), Path::new("/home/u/.sfgen"));
        assert!(matches!(
            Home::from_env_with(|_| None),
            Err(StoreError::NoHome)
        ));
    }
}
