//! [`EncryptedFileTokenStore`]: tokens in one file, each entry sealed with AES-256-GCM.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::{Deserialize, Serialize};
use url::Url;

use super::{StoredToken, TokenStore};
use crate::connections::ConnectionId;
use crate::error::{Error, Result};

/// The format tag written at the top of the file.
const FORMAT: &str = "sfgen-token-store/1";

/// A 256-bit key for [`EncryptedFileTokenStore`].
pub struct TokenKey(SecretBox<[u8; 32]>);

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKey([REDACTED])")
    }
}

impl TokenKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        TokenKey(SecretBox::new(Box::new(bytes)))
    }

    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(bytes.as_mut());
        Self::from_bytes(*bytes)
    }

    /// The key as base64, to put in an environment variable or a key file.
    pub fn to_base64(&self) -> SecretString {
        SecretString::from(BASE64.encode(self.0.expose_secret()))
    }

    /// The key in environment variable `var`: 32 bytes as base64 or hex.
    pub fn from_env(var: &str) -> Result<Self> {
        let value = Zeroizing::new(std::env::var(var).map_err(|_| {
            Error::TokenStore(format!(
                "the token store key variable {var} is not set: set it to 32 random bytes in base64 \
                 (e.g. `openssl rand -base64 32`)"
            ))
        })?);
        Self::parse_text(&value).ok_or_else(|| {
            Error::TokenStore(format!("{var} does not hold 32 bytes in base64 or hex"))
        })
    }

    /// The key in a file: 32 raw bytes, or 32 bytes as base64 or hex text.
    pub fn from_file(path: &Path) -> Result<Self> {
        let content = Zeroizing::new(std::fs::read(path).map_err(|e| {
            Error::TokenStore(format!(
                "cannot read the token store key file {}: {e}",
                path.display()
            ))
        })?);
        if let Ok(raw) = <[u8; 32]>::try_from(content.as_slice()) {
            return Ok(Self::from_bytes(raw));
        }
        std::str::from_utf8(&content)
            .ok()
            .and_then(Self::parse_text)
            .ok_or_else(|| {
                Error::TokenStore(format!(
                    "the token store key file {} holds neither 32 raw bytes nor 32 bytes in base64 or hex",
                    path.display()
                ))
            })
    }

    /// A key from text: 32 bytes as base64 or hex (what [`TokenKey::to_base64`] gives).
    pub fn parse(text: &str) -> Result<Self> {
        Self::parse_text(text).ok_or_else(|| {
            Error::TokenStore("a token store key is 32 bytes in base64 or hex".into())
        })
    }

    fn parse_text(text: &str) -> Option<Self> {
        let text = text.trim();
        // 64 hex digits are also valid base64 (of 48 bytes): try hex first.
        [hex_decode(text), BASE64.decode(text).ok()]
            .into_iter()
            .flatten()
            .map(Zeroizing::new)
            .find_map(|bytes| <[u8; 32]>::try_from(bytes.as_slice()).ok())
            .map(Self::from_bytes)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(self.0.expose_secret()))
    }
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A [`TokenStore`] in one file, each connection's entry encrypted on its own.
///
/// - AES-256-GCM with a fresh random 96-bit nonce for every write, the connection
///   id as associated data (an entry cannot be moved to another id);
/// - the key from an environment variable or a key file ([`TokenKey`]);
/// - the file is written to a temporary file with mode 0600 beside it, synced, and
///   renamed over the old one, so a crash leaves either the old or the new file;
/// - writes in one process are serialized; several processes sharing one file
///   should each use their own file.
pub struct EncryptedFileTokenStore {
    path: PathBuf,
    cipher: Aes256Gcm,
    write_lock: Arc<tokio::sync::Mutex<()>>,
}

impl fmt::Debug for EncryptedFileTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptedFileTokenStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize, Default)]
struct File {
    format: String,
    entries: BTreeMap<String, Sealed>,
}

#[derive(Serialize, Deserialize, Clone)]
struct Sealed {
    nonce: String,
    ciphertext: String,
}

/// The plaintext of one entry.
#[derive(Serialize, Deserialize)]
struct Plain {
    access_token: Option<String>,
    refresh_token: Option<String>,
    instance_url: String,
    issued_at: DateTime<Utc>,
    identity_url: Option<String>,
}

impl EncryptedFileTokenStore {
    /// A store in `path` (created on the first save), sealed with `key`.
    pub fn new(path: impl Into<PathBuf>, key: TokenKey) -> Self {
        EncryptedFileTokenStore {
            path: path.into(),
            cipher: key.cipher(),
            write_lock: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn seal(&self, id: &ConnectionId, token: &StoredToken) -> Result<Sealed> {
        let plain = Plain {
            access_token: token
                .access_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned()),
            refresh_token: token
                .refresh_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned()),
            instance_url: token.instance_url.to_string(),
            issued_at: token.issued_at,
            identity_url: token.identity_url.clone(),
        };
        let json = Zeroizing::new(
            serde_json::to_vec(&plain)
                .map_err(|e| Error::TokenStore(format!("cannot encode a token: {e}")))?,
        );
        drop(Zeroizing::new(plain.access_token));
        drop(Zeroizing::new(plain.refresh_token));
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: &json,
                    aad: id.as_str().as_bytes(),
                },
            )
            .map_err(|_| Error::TokenStore("cannot encrypt a token".into()))?;
        Ok(Sealed {
            nonce: BASE64.encode(nonce),
            ciphertext: BASE64.encode(ciphertext),
        })
    }

    fn open(&self, id: &ConnectionId, sealed: &Sealed) -> Result<StoredToken> {
        let corrupt = || {
            Error::TokenStore(format!(
                "cannot decrypt the entry for `{id}` in {}: wrong key, or the file was altered",
                self.path.display()
            ))
        };
        let nonce = BASE64.decode(&sealed.nonce).map_err(|_| corrupt())?;
        if nonce.len() != 12 {
            return Err(corrupt());
        }
        let ciphertext = BASE64.decode(&sealed.ciphertext).map_err(|_| corrupt())?;
        let json = Zeroizing::new(
            self.cipher
                .decrypt(
                    Nonce::from_slice(&nonce),
                    Payload {
                        msg: &ciphertext,
                        aad: id.as_str().as_bytes(),
                    },
                )
                .map_err(|_| corrupt())?,
        );
        let plain: Plain = serde_json::from_slice(&json).map_err(|_| corrupt())?;
        Ok(StoredToken {
            access_token: plain.access_token.map(SecretString::from),
            refresh_token: plain.refresh_token.map(SecretString::from),
            instance_url: Url::parse(&plain.instance_url).map_err(|_| corrupt())?,
            issued_at: plain.issued_at,
            identity_url: plain.identity_url,
        })
    }

    /// Applies `change` to the file's entries under the write lock, then replaces the file.
    async fn update(
        &self,
        change: impl FnOnce(&mut BTreeMap<String, Sealed>) + Send + 'static,
    ) -> Result<()> {
        let _guard = self.write_lock.lock().await;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let mut file = read_file(&path)?.unwrap_or_default();
            file.format = FORMAT.to_owned();
            change(&mut file.entries);
            write_file(&path, &file)
        })
        .await
        .map_err(|e| Error::TokenStore(format!("the token store task failed: {e}")))?
    }
}

impl TokenStore for EncryptedFileTokenStore {
    async fn load(&self, id: &ConnectionId) -> Result<Option<StoredToken>> {
        let path = self.path.clone();
        let file = tokio::task::spawn_blocking(move || read_file(&path))
            .await
            .map_err(|e| Error::TokenStore(format!("the token store task failed: {e}")))??;
        match file.and_then(|f| f.entries.get(id.as_str()).cloned()) {
            Some(sealed) => self.open(id, &sealed).map(Some),
            None => Ok(None),
        }
    }

    async fn save(&self, id: &ConnectionId, token: &StoredToken) -> Result<()> {
        let sealed = self.seal(id, token)?;
        let key = id.as_str().to_owned();
        self.update(move |entries| {
            entries.insert(key, sealed);
        })
        .await
    }

    async fn remove(&self, id: &ConnectionId) -> Result<()> {
        let key = id.as_str().to_owned();
        self.update(move |entries| {
            entries.remove(&key);
        })
        .await
    }
}

fn read_file(path: &Path) -> Result<Option<File>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::TokenStore(format!(
                "cannot read {}: {e}",
                path.display()
            )))
        }
    };
    let file: File = serde_json::from_slice(&bytes).map_err(|e| {
        Error::TokenStore(format!("{} is not a token store file: {e}", path.display()))
    })?;
    if file.format != FORMAT {
        return Err(Error::TokenStore(format!(
            "{} has format `{}`, expected `{FORMAT}`",
            path.display(),
            file.format
        )));
    }
    Ok(Some(file))
}

/// Writes `file` to a 0600 temporary file beside `path`, syncs it, and renames it over `path`.
fn write_file(path: &Path, file: &File) -> Result<()> {
    let fail = |what: &str, e: std::io::Error| {
        Error::TokenStore(format!("cannot {what} {}: {e}", path.display()))
    };
    let bytes = serde_json::to_vec_pretty(file)
        .map_err(|e| Error::TokenStore(format!("cannot encode the file: {e}")))?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{:016x}.tmp", rand::random::<u64>()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut out = options
            .open(&temp)
            .map_err(|e| fail("create a temporary file for", e))?;
        out.write_all(&bytes).map_err(|e| fail("write", e))?;
        out.sync_all().map_err(|e| fail("sync", e))?;
        std::fs::rename(&temp, path).map_err(|e| fail("replace", e))
    })();
    if result.is_err() {
        // Best effort: the temporary file holds only ciphertext.
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(refresh: &str) -> StoredToken {
        StoredToken {
            access_token: Some(SecretString::from("00D!access-secret")),
            refresh_token: Some(SecretString::from(refresh.to_owned())),
            instance_url: Url::parse("https://acme.my.salesforce.com").expect("url"),
            issued_at: Utc::now(),
            identity_url: None,
        }
    }

    #[tokio::test]
    async fn entries_round_trip_encrypted_with_fresh_nonces() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tokens.json");
        let key = TokenKey::generate();
        let key_text = key.to_base64();
        let store = EncryptedFileTokenStore::new(&path, key);
        let alice = ConnectionId::user("acme", "alice");
        let org = ConnectionId::org("acme");
        store
            .save(&alice, &token("refresh-alice-1"))
            .await
            .expect("saves");
        let first = std::fs::read_to_string(&path).expect("written");
        store
            .save(&alice, &token("refresh-alice-1"))
            .await
            .expect("saves again");
        store
            .save(&org, &token("refresh-org"))
            .await
            .expect("saves");
        let second = std::fs::read_to_string(&path).expect("written");
        let nonce = |text: &str| {
            let f: File = serde_json::from_str(text).expect("file");
            f.entries[alice.as_str()].nonce.clone()
        };
        assert_ne!(
            nonce(&first),
            nonce(&second),
            "each write uses a fresh nonce"
        );
        for secret in ["refresh-alice-1", "refresh-org", "access-secret"] {
            assert!(!second.contains(secret), "{secret} is stored in clear");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o600);
        }
        let reopened = EncryptedFileTokenStore::new(
            &path,
            TokenKey::parse_text(key_text.expose_secret()).expect("key"),
        );
        let loaded = reopened
            .load(&alice)
            .await
            .expect("loads")
            .expect("present");
        assert_eq!(
            loaded
                .refresh_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned())
                .as_deref(),
            Some("refresh-alice-1")
        );
        assert!(reopened
            .load(&ConnectionId::new("nobody"))
            .await
            .expect("loads")
            .is_none());
        reopened.remove(&alice).await.expect("removes");
        assert!(reopened.load(&alice).await.expect("loads").is_none());
        assert!(reopened.load(&org).await.expect("loads").is_some());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[tokio::test]
    async fn a_wrong_key_or_a_moved_entry_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tokens.json");
        let store = EncryptedFileTokenStore::new(&path, TokenKey::generate());
        let alice = ConnectionId::new("alice");
        store.save(&alice, &token("r")).await.expect("saves");
        let wrong = EncryptedFileTokenStore::new(&path, TokenKey::generate());
        let err = wrong.load(&alice).await.expect_err("wrong key");
        assert!(err.to_string().contains("wrong key"), "{err}");
        // Moving alice's sealed entry under bob's id fails: the id is authenticated.
        let mut file: File =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("file");
        let sealed = file.entries["alice"].clone();
        file.entries.insert("bob".into(), sealed);
        std::fs::write(&path, serde_json::to_vec(&file).expect("json")).expect("write");
        assert!(store.load(&ConnectionId::new("bob")).await.is_err());
    }

    #[test]
    fn keys_are_read_from_base64_hex_or_raw_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let raw = dir.path().join("raw.key");
        std::fs::write(&raw, [7u8; 32]).expect("write");
        assert!(TokenKey::from_file(&raw).is_ok());
        let hex = dir.path().join("hex.key");
        std::fs::write(&hex, "07".repeat(32) + "\n").expect("write");
        assert!(TokenKey::from_file(&hex).is_ok());
        let short = dir.path().join("short.key");
        std::fs::write(&short, "abc").expect("write");
        assert!(TokenKey::from_file(&short).is_err());
        assert_eq!(
            format!("{:?}", TokenKey::generate()),
            "TokenKey([REDACTED])"
        );
    }
}
