//! Where `sfgen login` keeps connections: the sfgen home directory, and the
//! token store key kept apart from it.
//!
//! | file | holds |
//! |---|---|
//! | `tokens.json` | the runtime's [`EncryptedFileTokenStore`]: per alias the access and refresh tokens, instance URL and identity URL (org id and user id), AES-256-GCM; and the connected app's Consumer Secret, when one was given, under `<alias>#consumer-secret`. Mode 0600, written atomically; refused when group or others can access it |
//! | `orgs.json` | per alias what is not secret: instance and login URLs, Consumer Key, org id, user id, username |
//! | `token.key` | the store's key, only when neither the environment nor an OS keychain holds it (see below) |
//!
//! The directory is `SFGEN_HOME`, or `~/.sfgen` (created with mode 0700).
//!
//! # Where the key lives
//!
//! The key (32 random bytes) is looked for in this order:
//!
//! 1. `SFGEN_TOKEN_KEY`, when set (base64 or hex): an explicit key for this
//!    process, for CI and secrets managers; sfgen never writes it anywhere.
//! 2. The OS keychain ([`OsKeychain`]: macOS Keychain, Windows Credential
//!    Manager, or a Secret Service such as GNOME Keyring or KWallet on Linux and
//!    the BSDs), service `sfgen`, account `token-key:<home directory>`. This is
//!    where the first `sfgen login` puts a new key when a keychain answers, and
//!    where a `token.key` left by an older sfgen is moved on the next login.
//!    `SFGEN_KEYCHAIN=off` skips it.
//! 3. `token.key` in the home directory, mode 0600, when no keychain is
//!    available (a headless machine, a container, `SFGEN_KEYCHAIN=off`). On Unix a
//!    key file that group or others can access is refused: `chmod 600` it, then
//!    rotate the key if someone else may have read it.
//!
//! A new key is never made while `tokens.json` holds entries that no key found
//! opens: sfgen stops and says where it looked, rather than make the old entries
//! unreadable.
//!
//! # Rotating the key
//!
//! `sfgen login --rotate-key` ([`Home::rotate_key`]) re-encrypts every entry of
//! `tokens.json` with a new key and stores the new key where the old one was:
//!
//! 1. every entry is opened with the current key (if one does not open, nothing
//!    changes);
//! 2. the new key is staged beside the old one (keychain account
//!    `token-key-pending:<home directory>`, or `token.key.pending`, mode 0600);
//! 3. `tokens.json` is replaced in one atomic write with every entry sealed with
//!    the new key;
//! 4. the staged key replaces the old one.
//!
//! A crash or failure at any step leaves either the old key and file or the new
//! ones: when a staged key is found, the next sfgen command keeps whichever key
//! opens `tokens.json` and finishes or undoes the rotation.
//!
//! With `SFGEN_TOKEN_KEY`, sfgen cannot store the key itself: put the new key in
//! `SFGEN_NEW_TOKEN_KEY` (`openssl rand -base64 32`), run `sfgen login
//! --rotate-key`, then move the new key into `SFGEN_TOKEN_KEY`. The file is
//! replaced atomically, so either key opens it whatever happens.
//!
//! Keys, tokens and secrets never appear in `Debug` output, errors or logs.

use std::collections::BTreeMap;
use std::fmt;
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
/// The environment variable holding the new key when `SFGEN_TOKEN_KEY` is rotated.
pub const NEW_KEY_VAR: &str = "SFGEN_NEW_TOKEN_KEY";
/// The environment variable that turns the OS keychain off when set to `off`
/// (or `0`, `false`, `no`): the key then lives in `token.key`.
pub const KEYCHAIN_VAR: &str = "SFGEN_KEYCHAIN";
/// The keychain service name under which sfgen keeps its keys.
pub const KEYCHAIN_SERVICE: &str = "sfgen";

/// What can go wrong with the saved connections.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Neither `SFGEN_HOME` nor `HOME` is set.
    #[error("cannot tell where to keep logins: set SFGEN_HOME (or HOME)")]
    NoHome,
    /// A file or directory could not be read or written.
    #[error(transparent)]
    Io(#[from] crate::error::IoError),
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
    /// An environment variable does not hold a key.
    #[error("{var} does not hold a token store key: 32 bytes in base64 or hex (e.g. `openssl rand -base64 32`)")]
    KeyVar {
        /// The variable.
        var: &'static str,
    },
    /// The OS keychain answered, but with an error.
    #[error("the {backend} failed: {reason}; unlock it, or set {KEYCHAIN_VAR}=off to keep the key in a file")]
    Keychain {
        /// Which keychain.
        backend: String,
        /// What it said.
        reason: String,
    },
    /// No key was found, or none may be made.
    #[error("no token store key found for `{}` ({looked}): {hint}", tokens.display())]
    NoKey {
        /// The token file.
        tokens: PathBuf,
        /// Where sfgen looked.
        looked: String,
        /// What to do.
        hint: &'static str,
    },
    /// The key is in `SFGEN_TOKEN_KEY` and `SFGEN_NEW_TOKEN_KEY` is not usable.
    #[error("the token store key is in {KEY_VAR}, which sfgen cannot change: {reason}")]
    RotateEnvKey {
        /// What is missing.
        reason: &'static str,
    },
    /// The entries are under the new key, but the key could not be moved in place.
    #[error("the entries were re-encrypted, but the new key could not replace the old one in {source_name}: {reason}; it is kept in {pending}, and the next sfgen command finishes the move")]
    RotationUnfinished {
        /// Where the key lives.
        source_name: String,
        /// Where the new key waits.
        pending: String,
        /// Why.
        reason: String,
    },
}

impl From<sfgen_runtime::Error> for StoreError {
    fn from(error: sfgen_runtime::Error) -> Self {
        StoreError::Tokens(Box::new(error))
    }
}

/// Why a keychain could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// There is no keychain to talk to (no Secret Service on the session bus, no
    /// session bus, …): sfgen falls back to a key file.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The keychain is there but refused or failed the request.
    #[error("{0}")]
    Failed(String),
}

/// A keychain that keeps secrets by account name under sfgen's service: the
/// OS keychain ([`OsKeychain`]), or a stand-in in tests.
pub trait KeyBackend: Send + Sync {
    /// The keychain's name for messages ("macOS Keychain").
    fn name(&self) -> String;
    /// The secret of `account`, `None` when there is none.
    fn get(&self, account: &str) -> Result<Option<SecretString>, KeychainError>;
    /// Sets the secret of `account`, replacing any.
    fn set(&self, account: &str, secret: &SecretString) -> Result<(), KeychainError>;
    /// Deletes the secret of `account` (a no-op when there is none).
    fn delete(&self, account: &str) -> Result<(), KeychainError>;
}

/// The OS keychain through the `keyring` crate: macOS Keychain, Windows
/// Credential Manager, or the Secret Service (over D-Bus) on Linux and the BSDs.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeychain;

impl OsKeychain {
    fn entry(account: &str) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(KEYCHAIN_SERVICE, account).map_err(keychain_error)
    }
}

/// Maps a `keyring` error without its payload (a `BadEncoding` holds the secret's bytes).
fn keychain_error(error: keyring::Error) -> KeychainError {
    match error {
        keyring::Error::NoStorageAccess(e) | keyring::Error::PlatformFailure(e) => {
            KeychainError::Unavailable(e.to_string())
        }
        keyring::Error::BadEncoding(_) => {
            KeychainError::Failed("the stored key is not UTF-8 text".into())
        }
        keyring::Error::Ambiguous(items) => {
            KeychainError::Failed(format!("{} entries match the key's account", items.len()))
        }
        keyring::Error::NoEntry => KeychainError::Failed("no entry".into()),
        other => KeychainError::Failed(other.to_string()),
    }
}

impl KeyBackend for OsKeychain {
    fn name(&self) -> String {
        if cfg!(target_os = "macos") {
            "macOS Keychain".into()
        } else if cfg!(windows) {
            "Windows Credential Manager".into()
        } else {
            "Secret Service keyring".into()
        }
    }

    fn get(&self, account: &str) -> Result<Option<SecretString>, KeychainError> {
        match Self::entry(account)?.get_password() {
            Ok(text) => Ok(Some(SecretString::from(text))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, account: &str, secret: &SecretString) -> Result<(), KeychainError> {
        Self::entry(account)?
            .set_password(secret.expose_secret())
            .map_err(keychain_error)
    }

    fn delete(&self, account: &str) -> Result<(), KeychainError> {
        match Self::entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// Where the token store key is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `SFGEN_TOKEN_KEY`.
    Env,
    /// An OS keychain.
    Keychain {
        /// Which keychain.
        backend: String,
        /// The account under service `sfgen`.
        account: String,
    },
    /// A key file.
    File(PathBuf),
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::Env => write!(f, "the environment variable {KEY_VAR}"),
            KeySource::Keychain { backend, account } => write!(
                f,
                "the {backend} (service `{KEYCHAIN_SERVICE}`, account `{account}`)"
            ),
            KeySource::File(path) => write!(f, "the key file `{}`", path.display()),
        }
    }
}

/// What [`Home::rotate_key`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    /// How many entries were re-encrypted.
    pub entries: usize,
    /// Where the new key is.
    pub source: KeySource,
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

/// Reads an environment variable (injectable for tests).
type EnvReader = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The sfgen home directory and what is kept in it, with where its key lives.
#[derive(Clone)]
pub struct Home {
    dir: PathBuf,
    keychain: Option<Arc<dyn KeyBackend>>,
    env: EnvReader,
}

impl fmt::Debug for Home {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Home")
            .field("dir", &self.dir)
            .field("keychain", &self.keychain.as_ref().map(|k| k.name()))
            .finish_non_exhaustive()
    }
}

fn process_env() -> EnvReader {
    Arc::new(|name| std::env::var(name).ok())
}

/// The key or the reason a keychain could not be used.
enum Looked {
    Found(TokenKey, KeySource),
    /// The keychain works and holds no key: a new key goes there.
    KeychainEmpty(Arc<dyn KeyBackend>, String),
    /// Nothing found; why the keychain was skipped, if it was.
    Nothing(Option<String>),
}

impl Home {
    /// `SFGEN_HOME`, or `~/.sfgen`, with the OS keychain unless `SFGEN_KEYCHAIN=off`.
    pub fn from_env() -> Result<Home, StoreError> {
        Self::from_env_with(|name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
    }

    /// Like [`Home::from_env`], reading `SFGEN_HOME`, `HOME`, `USERPROFILE` and
    /// `SFGEN_KEYCHAIN` through `var` (the key variables are read from the process).
    pub fn from_env_with(var: impl Fn(&str) -> Option<PathBuf>) -> Result<Home, StoreError> {
        let keychain_off = var(KEYCHAIN_VAR).is_some_and(|v| {
            matches!(
                v.to_string_lossy().to_ascii_lowercase().as_str(),
                "off" | "0" | "false" | "no"
            )
        });
        let dir = match var(HOME_VAR) {
            Some(dir) => dir,
            None => var("HOME")
                .or_else(|| var("USERPROFILE"))
                .ok_or(StoreError::NoHome)?
                .join(".sfgen"),
        };
        let keychain: Option<Arc<dyn KeyBackend>> = if keychain_off {
            None
        } else {
            Some(Arc::new(OsKeychain))
        };
        Ok(Home {
            dir,
            keychain,
            env: process_env(),
        })
    }

    /// A home at `dir`, without a keychain: the key comes from `SFGEN_TOKEN_KEY`
    /// or `token.key` ([`Home::with_keychain`] adds one).
    pub fn at(dir: impl Into<PathBuf>) -> Home {
        Home {
            dir: dir.into(),
            keychain: None,
            env: process_env(),
        }
    }

    /// This home with `keychain` as the OS keychain (`None`: none).
    pub fn with_keychain(mut self, keychain: Option<Arc<dyn KeyBackend>>) -> Home {
        self.keychain = keychain;
        self
    }

    /// This home reading `SFGEN_TOKEN_KEY` and `SFGEN_NEW_TOKEN_KEY` through `var`
    /// instead of the process environment.
    pub fn with_key_env(
        mut self,
        var: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Home {
        self.env = Arc::new(var);
        self
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn orgs_path(&self) -> PathBuf {
        self.dir.join("orgs.json")
    }

    fn tokens_path(&self) -> PathBuf {
        self.dir.join("tokens.json")
    }

    fn key_path(&self) -> PathBuf {
        self.dir.join("token.key")
    }

    fn pending_key_path(&self) -> PathBuf {
        self.dir.join("token.key.pending")
    }

    /// The keychain account of this home's key (`pending`: of a key being rotated in).
    fn account(&self, pending: bool) -> String {
        let dir = std::path::absolute(&self.dir).unwrap_or_else(|_| self.dir.clone());
        let kind = if pending {
            "token-key-pending"
        } else {
            "token-key"
        };
        format!("{kind}:{}", dir.display())
    }

    fn env_key(&self, var: &'static str) -> Result<Option<TokenKey>, StoreError> {
        match (self.env)(var).filter(|v| !v.trim().is_empty()) {
            Some(text) => {
                let text = SecretString::from(text);
                TokenKey::parse(text.expose_secret())
                    .map(Some)
                    .map_err(|_| StoreError::KeyVar { var })
            }
            None => Ok(None),
        }
    }

    /// Where the key lives now, when a key exists.
    pub fn key_source(&self) -> Result<Option<KeySource>, StoreError> {
        Ok(match self.look(false)? {
            Looked::Found(_, source) => Some(source),
            _ => None,
        })
    }

    /// Finds the key: `SFGEN_TOKEN_KEY`, then the keychain, then `token.key`.
    /// With `migrate`, a key file is moved into a working keychain.
    fn look(&self, migrate: bool) -> Result<Looked, StoreError> {
        if let Some(key) = self.env_key(KEY_VAR)? {
            return Ok(Looked::Found(key, KeySource::Env));
        }
        let mut keychain_skipped = None;
        let mut empty_keychain = None;
        if let Some(keychain) = &self.keychain {
            match self.keychain_key(keychain.as_ref()) {
                Ok(Some(key)) => {
                    return Ok(Looked::Found(
                        key,
                        KeySource::Keychain {
                            backend: keychain.name(),
                            account: self.account(false),
                        },
                    ))
                }
                Ok(None) => empty_keychain = Some(Arc::clone(keychain)),
                Err(KeychainError::Unavailable(reason)) => {
                    keychain_skipped =
                        Some(format!("the {} is unavailable ({reason})", keychain.name()))
                }
                Err(KeychainError::Failed(reason)) => {
                    return Err(StoreError::Keychain {
                        backend: keychain.name(),
                        reason,
                    })
                }
            }
        }
        let path = self.key_path();
        self.finish_file_rotation(&path)?;
        if path.exists() {
            let key = TokenKey::from_file(&path)?;
            if let (true, Some(keychain)) = (migrate, &empty_keychain) {
                if let Some(source) = self.move_into_keychain(keychain.as_ref(), &key, &path) {
                    return Ok(Looked::Found(key, source));
                }
            }
            return Ok(Looked::Found(key, KeySource::File(path)));
        }
        Ok(match empty_keychain {
            Some(keychain) => {
                let account = self.account(false);
                Looked::KeychainEmpty(keychain, account)
            }
            None => Looked::Nothing(keychain_skipped),
        })
    }

    /// The key in the keychain, finishing or undoing an interrupted rotation.
    fn keychain_key(&self, keychain: &dyn KeyBackend) -> Result<Option<TokenKey>, KeychainError> {
        let (account, pending_account) = (self.account(false), self.account(true));
        let parse = |text: SecretString| {
            TokenKey::parse(text.expose_secret()).map_err(|_| {
                KeychainError::Failed(format!(
                    "the entry `{account}` does not hold a token store key"
                ))
            })
        };
        let main = keychain.get(&account)?.map(parse).transpose()?;
        let Some(pending_text) = keychain.get(&pending_account)? else {
            return Ok(main);
        };
        let pending = TokenKey::parse(pending_text.expose_secret()).ok();
        let tokens = self.tokens_path();
        let opens =
            |key: &TokenKey| EncryptedFileTokenStore::key_opens(&tokens, key).unwrap_or(false);
        if main.as_ref().is_some_and(opens) {
            // The rotation never reached the file: drop the staged key.
            keychain.delete(&pending_account)?;
            return Ok(main);
        }
        match pending {
            Some(key) if opens(&key) => {
                keychain.set(&account, &pending_text)?;
                keychain.delete(&pending_account)?;
                Ok(Some(key))
            }
            _ => Ok(main),
        }
    }

    /// Finishes or undoes an interrupted rotation of the key file at `path`.
    fn finish_file_rotation(&self, path: &Path) -> Result<(), StoreError> {
        let pending = self.pending_key_path();
        if !pending.exists() {
            return Ok(());
        }
        let tokens = self.tokens_path();
        let opens = |key: &Path| {
            TokenKey::from_file(key)
                .ok()
                .is_some_and(|k| EncryptedFileTokenStore::key_opens(&tokens, &k).unwrap_or(false))
        };
        let io = |action, source| {
            StoreError::Io(crate::error::IoError {
                action,
                path: pending.clone(),
                source,
            })
        };
        if path.exists() && opens(path) {
            std::fs::remove_file(&pending).map_err(|e| io("remove", e))?;
        } else if opens(&pending) {
            std::fs::rename(&pending, path).map_err(|e| io("rename", e))?;
            sync_dir(&self.dir);
        }
        Ok(())
    }

    /// Moves the key file's key into `keychain`; `None` (keeping the file) when
    /// the keychain does not take it or read it back.
    fn move_into_keychain(
        &self,
        keychain: &dyn KeyBackend,
        key: &TokenKey,
        path: &Path,
    ) -> Option<KeySource> {
        let account = self.account(false);
        let text = key.to_base64();
        keychain.set(&account, &text).ok()?;
        let back = keychain.get(&account).ok()??;
        if back.expose_secret() != text.expose_secret() {
            let _ = keychain.delete(&account);
            return None;
        }
        // The key is in the keychain, which is looked at first: a file left
        // behind (removal failed) holds the same key.
        let _ = std::fs::remove_file(path);
        Some(KeySource::Keychain {
            backend: keychain.name(),
            account,
        })
    }

    /// Finds the key; with `create`, makes one where it belongs when there is none.
    fn key(&self, create: bool) -> Result<(TokenKey, KeySource), StoreError> {
        let skipped = match self.look(create)? {
            Looked::Found(key, source) => return Ok((key, source)),
            Looked::KeychainEmpty(keychain, account) if create => {
                self.refuse_new_key_over_entries(None)?;
                let key = TokenKey::generate();
                match keychain.set(&account, &key.to_base64()) {
                    Ok(()) => {
                        return Ok((
                            key,
                            KeySource::Keychain {
                                backend: keychain.name(),
                                account,
                            },
                        ))
                    }
                    Err(KeychainError::Unavailable(reason)) => {
                        Some(format!("the {} is unavailable ({reason})", keychain.name()))
                    }
                    Err(KeychainError::Failed(reason)) => {
                        return Err(StoreError::Keychain {
                            backend: keychain.name(),
                            reason,
                        })
                    }
                }
            }
            Looked::KeychainEmpty(keychain, account) => {
                Some(format!("the {} holds no `{account}`", keychain.name()))
            }
            Looked::Nothing(skipped) => skipped,
        };
        let path = self.key_path();
        if !create {
            let tokens = self.tokens_path();
            return Err(StoreError::NoKey {
                hint: if tokens.exists() {
                    "restore the key, or delete the file and log in again"
                } else {
                    "nothing is saved yet: log in with `sfgen login` first"
                },
                looked: self.looked(skipped.as_deref()),
                tokens,
            });
        }
        self.refuse_new_key_over_entries(skipped.as_deref())?;
        self.create_dir()?;
        let key = TokenKey::generate();
        write_private(
            &path,
            format!("{}\n", key.to_base64().expose_secret()).as_bytes(),
            true,
        )?;
        Ok((key, KeySource::File(path)))
    }

    fn looked(&self, keychain: Option<&str>) -> String {
        let mut looked = format!("{KEY_VAR} is not set");
        if let Some(keychain) = keychain {
            looked.push_str(", ");
            looked.push_str(keychain);
        } else if self.keychain.is_none() {
            looked.push_str(", no keychain is used");
        }
        looked.push_str(&format!(", `{}` does not exist", self.key_path().display()));
        looked
    }

    /// A new key would make the entries of an existing `tokens.json` unreadable.
    fn refuse_new_key_over_entries(&self, keychain: Option<&str>) -> Result<(), StoreError> {
        let tokens = self.tokens_path();
        // Only an empty or missing file opens with a fresh random key.
        if EncryptedFileTokenStore::key_opens(&tokens, &TokenKey::generate())? {
            return Ok(());
        }
        Err(StoreError::NoKey {
            looked: self.looked(keychain),
            hint: "its entries were sealed with a key sfgen cannot find, and a new key would \
                   make them unreadable: restore the key, or delete the file and log in again",
            tokens,
        })
    }

    /// The encrypted token store, with its key from `SFGEN_TOKEN_KEY`, the OS
    /// keychain or `token.key`. With `create_key`, a missing key is made: in the
    /// keychain when one answers, else in `token.key` (mode 0600); and a key
    /// file is moved into a keychain that answers.
    pub fn token_store(
        &self,
        create_key: bool,
    ) -> Result<Arc<EncryptedFileTokenStore>, StoreError> {
        let (key, _) = self.key(create_key)?;
        Ok(Arc::new(EncryptedFileTokenStore::new(
            self.tokens_path(),
            key,
        )))
    }

    /// Re-encrypts every entry of `tokens.json` with a new key and stores the new
    /// key where the old one was (see [the module docs](self#rotating-the-key)).
    pub async fn rotate_key(&self) -> Result<Rotated, StoreError> {
        let (old, source) = self.key(false)?;
        let store = EncryptedFileTokenStore::new(self.tokens_path(), old);
        match &source {
            KeySource::Env => {
                let new = self.env_key(NEW_KEY_VAR)?.ok_or(StoreError::RotateEnvKey {
                    reason: "put a new key in SFGEN_NEW_TOKEN_KEY (`openssl rand -base64 32`), \
                             run again, then move it into SFGEN_TOKEN_KEY",
                })?;
                let old_text = self.env_key(KEY_VAR)?.map(|k| k.to_base64());
                if old_text.is_some_and(|o| o.expose_secret() == new.to_base64().expose_secret()) {
                    return Err(StoreError::RotateEnvKey {
                        reason: "SFGEN_NEW_TOKEN_KEY holds the same key; put a new one in it",
                    });
                }
                let entries = store.rotate_key(&new).await?;
                Ok(Rotated { entries, source })
            }
            KeySource::Keychain { backend, account } => {
                let keychain = self.keychain.as_ref().ok_or_else(|| StoreError::Keychain {
                    backend: backend.clone(),
                    reason: "it is no longer configured".into(),
                })?;
                let keychain_failed = |e: KeychainError| StoreError::Keychain {
                    backend: backend.clone(),
                    reason: e.to_string(),
                };
                let pending = self.account(true);
                let new = TokenKey::generate();
                let text = new.to_base64();
                keychain.set(&pending, &text).map_err(keychain_failed)?;
                let entries = match store.rotate_key(&new).await {
                    Ok(entries) => entries,
                    Err(e) => {
                        let _ = keychain.delete(&pending);
                        return Err(e.into());
                    }
                };
                keychain
                    .set(account, &text)
                    .and_then(|()| keychain.delete(&pending))
                    .map_err(|e| StoreError::RotationUnfinished {
                        source_name: source.to_string(),
                        pending: format!("the keychain account `{pending}`"),
                        reason: e.to_string(),
                    })?;
                Ok(Rotated { entries, source })
            }
            KeySource::File(path) => {
                let pending = self.pending_key_path();
                let new = TokenKey::generate();
                write_private(
                    &pending,
                    format!("{}\n", new.to_base64().expose_secret()).as_bytes(),
                    true,
                )?;
                let entries = match store.rotate_key(&new).await {
                    Ok(entries) => entries,
                    Err(e) => {
                        let _ = std::fs::remove_file(&pending);
                        return Err(e.into());
                    }
                };
                std::fs::rename(&pending, path).map_err(|e| StoreError::RotationUnfinished {
                    source_name: source.to_string(),
                    pending: format!("`{}`", pending.display()),
                    reason: e.to_string(),
                })?;
                sync_dir(&self.dir);
                Ok(Rotated { entries, source })
            }
        }
    }

    fn create_dir(&self) -> Result<(), StoreError> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&self.dir).map_err(|source| {
            StoreError::Io(crate::error::IoError {
                action: "create",
                path: self.dir.clone(),
                source,
            })
        })
    }

    /// Every saved connection's public details, by alias.
    pub fn orgs(&self) -> Result<BTreeMap<String, OrgEntry>, StoreError> {
        let path = self.orgs_path();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(source) => {
                return Err(StoreError::Io(crate::error::IoError {
                    action: "read",
                    path,
                    source,
                }))
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
    let io = |action, source| {
        StoreError::Io(crate::error::IoError {
            action,
            path: path.to_owned(),
            source,
        })
    };
    let temp = path.with_extension(format!("tmp{}", std::process::id()));
    // A stale temporary file could have another mode: start from a new one.
    let _ = std::fs::remove_file(&temp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
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
    if let Err(e) = std::fs::rename(&temp, path) {
        let _ = std::fs::remove_file(&temp);
        return Err(io("replace", e));
    }
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// Best effort: makes a rename in `dir` durable where directories can be synced.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    #[cfg(not(unix))]
    let _ = dir;
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

    /// A keychain in memory: `Available`, `Unavailable`, or failing its writes.
    #[derive(Default)]
    struct FakeKeychain {
        entries: std::sync::Mutex<BTreeMap<String, String>>,
        unavailable: bool,
        refuse_writes: std::sync::atomic::AtomicBool,
        /// Fails setting the main (not pending) account.
        refuse_main: std::sync::atomic::AtomicBool,
        writes: std::sync::atomic::AtomicUsize,
    }

    impl FakeKeychain {
        fn unavailable() -> Arc<Self> {
            Arc::new(FakeKeychain {
                unavailable: true,
                ..Default::default()
            })
        }

        fn get_text(&self, prefix: &str) -> Option<String> {
            let entries = self.entries.lock().expect("lock");
            entries
                .iter()
                .find(|(account, _)| account.starts_with(prefix))
                .map(|(_, text)| text.clone())
        }

        fn key(&self) -> Option<TokenKey> {
            self.get_text("token-key:")
                .map(|t| TokenKey::parse(&t).expect("a key"))
        }

        fn accounts(&self) -> Vec<String> {
            self.entries.lock().expect("lock").keys().cloned().collect()
        }

        fn check(&self) -> Result<(), KeychainError> {
            if self.unavailable {
                return Err(KeychainError::Unavailable("no session bus".into()));
            }
            Ok(())
        }
    }

    impl KeyBackend for FakeKeychain {
        fn name(&self) -> String {
            "test keychain".into()
        }

        fn get(&self, account: &str) -> Result<Option<SecretString>, KeychainError> {
            self.check()?;
            let entries = self.entries.lock().expect("lock");
            Ok(entries.get(account).cloned().map(SecretString::from))
        }

        fn set(&self, account: &str, secret: &SecretString) -> Result<(), KeychainError> {
            use std::sync::atomic::Ordering;
            self.check()?;
            if self.refuse_writes.load(Ordering::SeqCst)
                || (self.refuse_main.load(Ordering::SeqCst) && account.starts_with("token-key:"))
            {
                return Err(KeychainError::Failed("the user denied access".into()));
            }
            self.writes.fetch_add(1, Ordering::SeqCst);
            self.entries
                .lock()
                .expect("lock")
                .insert(account.to_owned(), secret.expose_secret().to_owned());
            Ok(())
        }

        fn delete(&self, account: &str) -> Result<(), KeychainError> {
            self.check()?;
            self.entries.lock().expect("lock").remove(account);
            Ok(())
        }
    }

    fn home_with(dir: &Path, keychain: Option<Arc<FakeKeychain>>) -> Home {
        Home::at(dir)
            .with_keychain(keychain.map(|k| k as Arc<dyn KeyBackend>))
            .with_key_env(|_| None)
    }

    fn token(refresh: &str) -> StoredToken {
        StoredToken {
            access_token: None,
            refresh_token: Some(SecretString::from(refresh.to_owned())),
            instance_url: Url::parse("https://acme.my.salesforce.com").expect("url"),
            issued_at: chrono::Utc::now(),
            identity_url: None,
        }
    }

    const IDS: [&str; 3] = ["alice", "bob", "acme#consumer-secret"];

    async fn save_entries(home: &Home) {
        let store = home.token_store(true).expect("a store");
        for id in IDS {
            store
                .save(&ConnectionId::new(id), &token(&format!("refresh-{id}")))
                .await
                .expect("saves");
        }
    }

    /// Every entry is there and opens with `key`.
    async fn assert_entries_open_with(home: &Home, key: TokenKey) {
        let store = EncryptedFileTokenStore::new(home.tokens_path(), key);
        for id in IDS {
            let loaded = store
                .load(&ConnectionId::new(id))
                .await
                .expect("opens")
                .expect("present");
            assert_eq!(
                loaded.refresh_token.map(|t| t.expose_secret().to_owned()),
                Some(format!("refresh-{id}"))
            );
        }
    }

    fn file_key(path: &Path) -> TokenKey {
        TokenKey::from_file(path).expect("a key file")
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    }

    #[tokio::test]
    async fn a_new_key_goes_into_a_keychain_that_answers() {
        let dir = tempfile::tempdir().expect("temp");
        let keychain = Arc::new(FakeKeychain::default());
        let home = home_with(dir.path(), Some(Arc::clone(&keychain)));
        save_entries(&home).await;
        assert!(!home.key_path().exists(), "no key file beside tokens.json");
        assert_eq!(
            keychain.accounts(),
            vec![home.account(false)],
            "one key, under this home's account"
        );
        assert!(home
            .account(false)
            .ends_with(&dir.path().display().to_string()));
        // Another process finds it there.
        let again = home_with(dir.path(), Some(Arc::clone(&keychain)));
        assert!(matches!(
            again.key_source().expect("looks"),
            Some(KeySource::Keychain { .. })
        ));
        let store = again.token_store(false).expect("a store");
        assert!(store
            .load(&ConnectionId::new("alice"))
            .await
            .expect("opens")
            .is_some());
        assert_entries_open_with(&home, keychain.key().expect("a key")).await;
    }

    #[tokio::test]
    async fn without_a_keychain_the_key_falls_back_to_a_private_file() {
        let dir = tempfile::tempdir().expect("temp");
        let home_dir = dir.path().join("home");
        let keychain = FakeKeychain::unavailable();
        let home = home_with(&home_dir, Some(Arc::clone(&keychain)));
        let err = home.token_store(false).expect_err("nothing yet");
        let message = err.to_string();
        assert!(
            message.contains("test keychain is unavailable (no session bus)")
                && message.contains("log in with `sfgen login` first"),
            "{message}"
        );
        save_entries(&home).await;
        assert!(home.key_path().exists());
        #[cfg(unix)]
        {
            assert_eq!(mode(&home.key_path()), 0o600);
            assert_eq!(mode(&home.tokens_path()), 0o600);
            assert_eq!(mode(&home_dir), 0o700);
        }
        assert!(matches!(
            home.key_source().expect("looks"),
            Some(KeySource::File(_))
        ));
        assert_entries_open_with(&home, file_key(&home.key_path())).await;
        // No keychain configured at all behaves the same.
        let plain = home_with(&home_dir, None);
        assert!(plain
            .token_store(false)
            .expect("a store")
            .load(&ConnectionId::new("bob"))
            .await
            .expect("opens")
            .is_some());
    }

    #[tokio::test]
    async fn the_environment_key_comes_first_and_is_never_stored() {
        let dir = tempfile::tempdir().expect("temp");
        let keychain = Arc::new(FakeKeychain::default());
        let key = TokenKey::generate().to_base64();
        let text = key.expose_secret().to_owned();
        let home = home_with(dir.path(), Some(Arc::clone(&keychain)))
            .with_key_env(move |var| (var == KEY_VAR).then(|| text.clone()));
        save_entries(&home).await;
        assert!(
            keychain.accounts().is_empty(),
            "the keychain is not written"
        );
        assert!(!home.key_path().exists(), "no key file is written");
        assert_eq!(home.key_source().expect("looks"), Some(KeySource::Env));
        assert_entries_open_with(&home, TokenKey::parse(key.expose_secret()).expect("key")).await;
        let bad = home_with(dir.path(), None).with_key_env(|_| Some("not a key".into()));
        let err = bad.token_store(false).expect_err("refused");
        assert!(err.to_string().contains(KEY_VAR), "{err}");
        assert!(!format!("{bad:?}").contains("not a key"));
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_key_or_token_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp");
        let home = home_with(dir.path(), None);
        save_entries(&home).await;
        let key_path = home.key_path();
        std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let message = home.token_store(false).expect_err("refused").to_string();
        assert!(
            message.contains(&key_path.display().to_string())
                && message.contains("0644")
                && message.contains("chmod 600"),
            "{message}"
        );
        // Refused for a login too: no new key replaces it.
        assert!(home.token_store(true).is_err());
        std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let store = home.token_store(false).expect("accepted at 0600");
        let tokens = home.tokens_path();
        std::fs::set_permissions(&tokens, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let message = store
            .load(&ConnectionId::new("alice"))
            .await
            .expect_err("refused")
            .to_string();
        assert!(
            message.contains(&tokens.display().to_string())
                && message.contains("0644")
                && message.contains("chmod 600"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn a_key_file_moves_into_a_keychain_on_login() {
        let dir = tempfile::tempdir().expect("temp");
        save_entries(&home_with(dir.path(), None)).await;
        let old = file_key(&dir.path().join("token.key"));
        let keychain = Arc::new(FakeKeychain::default());
        let home = home_with(dir.path(), Some(Arc::clone(&keychain)));
        // Reading does not move it.
        home.token_store(false).expect("a store");
        assert!(home.key_path().exists());
        home.token_store(true).expect("a store");
        assert!(!home.key_path().exists(), "the key file is gone");
        assert_eq!(
            keychain.key().expect("moved").to_base64().expose_secret(),
            old.to_base64().expose_secret()
        );
        assert_entries_open_with(&home, keychain.key().expect("a key")).await;
    }

    #[tokio::test]
    async fn a_keychain_that_refuses_is_an_error_not_a_fallback() {
        let dir = tempfile::tempdir().expect("temp");
        let keychain = Arc::new(FakeKeychain::default());
        keychain
            .refuse_writes
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let home = home_with(dir.path(), Some(Arc::clone(&keychain)));
        let message = home.token_store(true).expect_err("refused").to_string();
        assert!(
            message.contains("the user denied access") && message.contains(KEYCHAIN_VAR),
            "{message}"
        );
        assert!(!home.key_path().exists());
    }

    #[tokio::test]
    async fn no_new_key_is_made_over_entries_it_could_not_open() {
        let dir = tempfile::tempdir().expect("temp");
        let keychain = Arc::new(FakeKeychain::default());
        let home = home_with(dir.path(), Some(Arc::clone(&keychain)));
        save_entries(&home).await;
        let before = std::fs::read(home.tokens_path()).expect("read");
        // The keychain lost the key (another machine, a reset keychain).
        keychain.entries.lock().expect("lock").clear();
        let writes = keychain.writes.load(std::sync::atomic::Ordering::SeqCst);
        let message = home.token_store(true).expect_err("refused").to_string();
        assert!(
            message.contains("a new key would make them unreadable"),
            "{message}"
        );
        // Nor when the keychain is unavailable and the file fallback would be used.
        let unavailable = home_with(dir.path(), Some(FakeKeychain::unavailable()));
        assert!(unavailable.token_store(true).is_err());
        assert_eq!(
            keychain.writes.load(std::sync::atomic::Ordering::SeqCst),
            writes
        );
        assert!(!home.key_path().exists());
        assert_eq!(std::fs::read(home.tokens_path()).expect("read"), before);
    }

    #[tokio::test]
    async fn rotation_in_the_keychain_re_encrypts_every_entry() {
        let dir = tempfile::tempdir().expect("temp");
        let keychain = Arc::new(FakeKeychain::default());
        let home = home_with(dir.path(), Some(Arc::clone(&keychain)));
        save_entries(&home).await;
        let old = keychain.key().expect("a key");
        let rotated = home.rotate_key().await.expect("rotates");
        assert_eq!(rotated.entries, 3);
        assert!(matches!(rotated.source, KeySource::Keychain { .. }));
        assert_eq!(
            keychain.accounts(),
            vec![home.account(false)],
            "no pending key left"
        );
        let new = keychain.key().expect("a key");
        assert_ne!(
            new.to_base64().expose_secret(),
            old.to_base64().expose_secret()
        );
        assert!(!EncryptedFileTokenStore::key_opens(&home.tokens_path(), &old).expect("reads"));
        assert_entries_open_with(&home, new).await;
    }

    #[tokio::test]
    async fn rotation_of_a_key_file_re_encrypts_every_entry() {
        let dir = tempfile::tempdir().expect("temp");
        let home = home_with(dir.path(), None);
        save_entries(&home).await;
        let old = file_key(&home.key_path());
        let rotated = home.rotate_key().await.expect("rotates");
        assert_eq!(
            rotated,
            Rotated {
                entries: 3,
                source: KeySource::File(home.key_path())
            }
        );
        assert!(!home.pending_key_path().exists());
        #[cfg(unix)]
        assert_eq!(mode(&home.key_path()), 0o600);
        assert!(!EncryptedFileTokenStore::key_opens(&home.tokens_path(), &old).expect("reads"));
        assert_entries_open_with(&home, file_key(&home.key_path())).await;
    }

    #[tokio::test]
    async fn rotation_of_an_environment_key_takes_the_new_key_from_the_environment() {
        let dir = tempfile::tempdir().expect("temp");
        let (old, new) = (
            TokenKey::generate().to_base64(),
            TokenKey::generate().to_base64(),
        );
        let (old_text, new_text) = (
            old.expose_secret().to_owned(),
            new.expose_secret().to_owned(),
        );
        let only_old = old_text.clone();
        let home = home_with(dir.path(), None)
            .with_key_env(move |var| (var == KEY_VAR).then(|| only_old.clone()));
        save_entries(&home).await;
        let message = home.rotate_key().await.expect_err("no new key").to_string();
        assert!(message.contains(NEW_KEY_VAR), "{message}");
        let both = home.clone().with_key_env(move |var| match var {
            KEY_VAR => Some(old_text.clone()),
            NEW_KEY_VAR => Some(new_text.clone()),
            _ => None,
        });
        assert_eq!(both.rotate_key().await.expect("rotates").entries, 3);
        let old = TokenKey::parse(old.expose_secret()).expect("key");
        assert!(!EncryptedFileTokenStore::key_opens(&home.tokens_path(), &old).expect("reads"));
        assert_entries_open_with(&home, TokenKey::parse(new.expose_secret()).expect("key")).await;
    }

    #[tokio::test]
    async fn a_rotation_cut_short_is_finished_by_the_next_command() {
        use std::sync::atomic::Ordering;
        let dir = tempfile::tempdir().expect("temp");
        let keychain = Arc::new(FakeKeychain::default());
        let home = home_with(dir.path(), Some(Arc::clone(&keychain)));
        save_entries(&home).await;
        keychain.refuse_main.store(true, Ordering::SeqCst);
        let message = home.rotate_key().await.expect_err("cut short").to_string();
        assert!(message.contains("token-key-pending:"), "{message}");
        keychain.refuse_main.store(false, Ordering::SeqCst);
        // The next command finds the staged key that opens the file and moves it in place.
        let store = home.token_store(false).expect("a store");
        assert!(store
            .load(&ConnectionId::new("alice"))
            .await
            .expect("opens")
            .is_some());
        assert_eq!(keychain.accounts(), vec![home.account(false)]);
        assert_entries_open_with(&home, keychain.key().expect("a key")).await;

        // A staged key that never reached the file is dropped.
        let pending = home.account(true);
        keychain
            .set(&pending, &TokenKey::generate().to_base64())
            .expect("stages");
        home.token_store(false).expect("a store");
        assert_eq!(keychain.accounts(), vec![home.account(false)]);

        // The same with key files.
        let files = tempfile::tempdir().expect("temp");
        let home = home_with(files.path(), None);
        save_entries(&home).await;
        let old_key = std::fs::read(home.key_path()).expect("read");
        home.rotate_key().await.expect("rotates");
        // As if the final rename had not happened: the old key is back, the new one staged.
        std::fs::rename(home.key_path(), home.pending_key_path()).expect("rename");
        write_private(&home.key_path(), &old_key, true).expect("writes");
        assert_entries_open_with(&home, {
            home.token_store(false).expect("recovers");
            file_key(&home.key_path())
        })
        .await;
        assert!(!home.pending_key_path().exists());
        write_private(
            &home.pending_key_path(),
            format!("{}\n", TokenKey::generate().to_base64().expose_secret()).as_bytes(),
            true,
        )
        .expect("writes");
        let kept = std::fs::read(home.key_path()).expect("read");
        home.token_store(false).expect("a store");
        assert!(
            !home.pending_key_path().exists(),
            "a stale staged key is dropped"
        );
        assert_eq!(std::fs::read(home.key_path()).expect("read"), kept);
    }

    #[tokio::test]
    async fn a_rotation_that_fails_leaves_the_old_key_and_entries() {
        let dir = tempfile::tempdir().expect("temp");
        let keychain = Arc::new(FakeKeychain::default());
        let home = home_with(dir.path(), Some(Arc::clone(&keychain)));
        save_entries(&home).await;
        // An entry the current key does not open.
        EncryptedFileTokenStore::new(home.tokens_path(), TokenKey::generate())
            .save(&ConnectionId::new("stranger"), &token("s"))
            .await
            .expect("saves");
        let before = std::fs::read(home.tokens_path()).expect("read");
        let old = keychain.get_text("token-key:").expect("a key");
        home.rotate_key().await.expect_err("refused");
        assert_eq!(std::fs::read(home.tokens_path()).expect("read"), before);
        assert_eq!(keychain.get_text("token-key:"), Some(old));
        assert_eq!(
            keychain.accounts(),
            vec![home.account(false)],
            "the staged key is dropped"
        );
        assert_entries_open_with(&home, keychain.key().expect("a key")).await;
    }

    #[test]
    fn where_the_key_lives_is_said_without_the_key() {
        let home = home_with(Path::new("/tmp/h"), Some(Arc::new(FakeKeychain::default())));
        let shown = format!("{home:?}");
        assert!(
            shown.contains("test keychain") && shown.contains("/tmp/h"),
            "{shown}"
        );
        assert_eq!(
            KeySource::Keychain {
                backend: "macOS Keychain".into(),
                account: "token-key:/h".into()
            }
            .to_string(),
            "the macOS Keychain (service `sfgen`, account `token-key:/h`)"
        );
        assert_eq!(
            keychain_error(keyring::Error::BadEncoding(b"secret-bytes".to_vec())).to_string(),
            "the stored key is not UTF-8 text"
        );
    }

    #[test]
    fn the_keychain_can_be_turned_off() {
        let var = |off: &'static str| {
            move |name: &str| match name {
                HOME_VAR => Some(PathBuf::from("/tmp/h")),
                KEYCHAIN_VAR => Some(PathBuf::from(off)),
                _ => None,
            }
        };
        assert!(Home::from_env_with(var("off"))
            .expect("home")
            .keychain
            .is_none());
        assert!(Home::from_env_with(var("0"))
            .expect("home")
            .keychain
            .is_none());
        assert!(Home::from_env_with(var("on"))
            .expect("home")
            .keychain
            .is_some());
    }
}
