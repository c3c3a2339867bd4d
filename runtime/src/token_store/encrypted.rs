//! [`EncryptedFileTokenStore`]: tokens in one file, each entry sealed with AES-256-GCM.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
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
    ///
    /// On Unix the file is refused when its group or others have any access to it
    /// (mode `0644`, `0640`, …): the error names the path and the mode, and says to
    /// run `chmod 600` on it.
    pub fn from_file(path: &Path) -> Result<Self> {
        let cannot_read = |e: std::io::Error| {
            Error::TokenStore(format!(
                "cannot read the token store key file {}: {e}",
                path.display()
            ))
        };
        let mut file = std::fs::File::open(path).map_err(cannot_read)?;
        check_private(&file, path, "token store key file")?;
        let mut content = Zeroizing::new(Vec::new());
        file.read_to_end(&mut content).map_err(cannot_read)?;
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
/// - the key from the caller ([`TokenKey`]; see [where the key lives](#where-the-key-lives));
/// - on Unix the file is refused when group or others have any access to it
///   (`chmod 600` fixes it), and it is always written with mode 0600;
/// - the file is written to a temporary file beside it, synced, and renamed over
///   the old one, so a crash leaves either the old or the new file;
/// - [`EncryptedFileTokenStore::rotate_key`] re-encrypts every entry with a new key
///   in one such write;
/// - reads and writes in one process are serialized; several processes sharing one
///   file should each use their own file.
///
/// # Where the key lives
///
/// The store never keeps its key beside the file: the caller hands it a [`TokenKey`]
/// from one of these, best first:
///
/// - an OS keychain (macOS Keychain, Windows Credential Manager, a Secret Service
///   such as GNOME Keyring or KWallet), holding [`TokenKey::to_base64`] text: read
///   it with the keychain crate of your choice and [`TokenKey::parse`] it (the
///   `sfgen` CLI does this with the `keyring` crate);
/// - an environment variable from a secrets manager, CI secret or the like:
///   [`TokenKey::from_env`];
/// - a key file readable by its owner only: [`TokenKey::from_file`], which on Unix
///   refuses a file whose group or others have any access (`chmod 600` it). Keep
///   it out of the directory of the token file, and out of backups of it.
///
/// [`TokenKey::generate`] makes a new key.
///
/// # Rotating the key
///
/// 1. make a new key with [`TokenKey::generate`] and keep the old one;
/// 2. [`EncryptedFileTokenStore::rotate_key`] re-encrypts every entry with it in
///    one atomic replace of the file (if any entry does not open, nothing changes);
/// 3. store the new key where the old one was, then drop the old one.
///
/// A crash between 2 and 3 leaves a file that only the new key opens, so write the
/// new key somewhere durable (a pending slot) before step 2;
/// [`EncryptedFileTokenStore::key_opens`] tells which of two keys opens a file.
pub struct EncryptedFileTokenStore {
    path: PathBuf,
    /// The current key's cipher. Every read and write of the file holds this lock,
    /// so [`EncryptedFileTokenStore::rotate_key`] cannot interleave with them.
    cipher: Arc<tokio::sync::Mutex<Aes256Gcm>>,
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
            cipher: Arc::new(tokio::sync::Mutex::new(key.cipher())),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Re-encrypts every entry with `new_key`, and from then on seals and opens
    /// entries with it. Returns how many entries were re-encrypted.
    ///
    /// Every entry is first opened with the current key; if one does not open,
    /// nothing is changed. The new file is written in one atomic replace
    /// (temporary file, sync, rename), so a failure or a crash leaves either every
    /// entry under the old key or every entry under the new one, never a mix.
    /// Saves and loads of this store wait for the rotation to finish.
    ///
    /// Store `new_key` where the old key was (keychain, environment, key file)
    /// so that the next process uses it; keep the old key until this returns,
    /// as it is the only one that opens the file if the rotation fails.
    pub async fn rotate_key(&self, new_key: &TokenKey) -> Result<usize> {
        let mut cipher = self.cipher.lock().await;
        let old = cipher.clone();
        let new = new_key.cipher();
        let path = self.path.clone();
        let count = blocking(move || {
            let Some(mut file) = read_file(&path)? else {
                return Ok(0);
            };
            let mut entries = BTreeMap::new();
            for (id, sealed) in &file.entries {
                let token = open(&old, &path, id, sealed).map_err(|_| {
                    Error::TokenStore(format!(
                        "cannot rotate the key of {}: the entry for `{id}` does not open with \
                         the current key (nothing was changed)",
                        path.display()
                    ))
                })?;
                entries.insert(id.clone(), seal(&new, id, &token)?);
            }
            let count = entries.len();
            file.format = FORMAT.to_owned();
            file.entries = entries;
            write_file(&path, &file)?;
            Ok(count)
        })
        .await?;
        *cipher = new_key.cipher();
        Ok(count)
    }

    /// Whether `key` opens every entry of the token store file at `path`. A
    /// missing file, or one without entries, opens with any key.
    ///
    /// This blocks on reading the file. It fails when the file cannot be read,
    /// is not a token store file, or has a mode that lets group or others in.
    pub fn key_opens(path: &Path, key: &TokenKey) -> Result<bool> {
        let Some(file) = read_file(path)? else {
            return Ok(true);
        };
        let cipher = key.cipher();
        Ok(file
            .entries
            .iter()
            .all(|(id, sealed)| open(&cipher, path, id, sealed).is_ok()))
    }
}

fn seal(cipher: &Aes256Gcm, id: &str, token: &StoredToken) -> Result<Sealed> {
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
    let ciphertext = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: &json,
                aad: id.as_bytes(),
            },
        )
        .map_err(|_| Error::TokenStore("cannot encrypt a token".into()))?;
    Ok(Sealed {
        nonce: BASE64.encode(nonce),
        ciphertext: BASE64.encode(ciphertext),
    })
}

fn open(cipher: &Aes256Gcm, path: &Path, id: &str, sealed: &Sealed) -> Result<StoredToken> {
    let corrupt = || {
        Error::TokenStore(format!(
            "cannot decrypt the entry for `{id}` in {}: wrong key, or the file was altered",
            path.display()
        ))
    };
    let nonce = BASE64.decode(&sealed.nonce).map_err(|_| corrupt())?;
    if nonce.len() != 12 {
        return Err(corrupt());
    }
    let ciphertext = BASE64.decode(&sealed.ciphertext).map_err(|_| corrupt())?;
    let json = Zeroizing::new(
        cipher
            .decrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: id.as_bytes(),
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

/// Runs file work off the async runtime.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::TokenStore(format!("the token store task failed: {e}")))?
}

impl EncryptedFileTokenStore {
    /// Applies `change` to the file's entries under the lock, then replaces the file.
    async fn update(
        &self,
        change: impl FnOnce(&Aes256Gcm, &mut BTreeMap<String, Sealed>) -> Result<()> + Send + 'static,
    ) -> Result<()> {
        let cipher = self.cipher.lock().await;
        let current = cipher.clone();
        let path = self.path.clone();
        blocking(move || {
            let mut file = read_file(&path)?.unwrap_or_default();
            file.format = FORMAT.to_owned();
            change(&current, &mut file.entries)?;
            write_file(&path, &file)
        })
        .await
    }
}

impl TokenStore for EncryptedFileTokenStore {
    async fn load(&self, id: &ConnectionId) -> Result<Option<StoredToken>> {
        let cipher = self.cipher.lock().await;
        let path = self.path.clone();
        let file = blocking(move || read_file(&path)).await?;
        match file.and_then(|f| f.entries.get(id.as_str()).cloned()) {
            Some(sealed) => open(&cipher, &self.path, id.as_str(), &sealed).map(Some),
            None => Ok(None),
        }
    }

    async fn save(&self, id: &ConnectionId, token: &StoredToken) -> Result<()> {
        let key = id.as_str().to_owned();
        let token = token.clone();
        self.update(move |cipher, entries| {
            let sealed = seal(cipher, &key, &token)?;
            entries.insert(key, sealed);
            Ok(())
        })
        .await
    }

    async fn remove(&self, id: &ConnectionId) -> Result<()> {
        let key = id.as_str().to_owned();
        self.update(move |_, entries| {
            entries.remove(&key);
            Ok(())
        })
        .await
    }
}

/// Refuses `file` (at `path`) when its group or others have any access to it (Unix).
fn check_private(file: &std::fs::File, path: &Path, what: &str) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|e| Error::TokenStore(format!("cannot inspect {}: {e}", path.display())))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(Error::TokenStore(format!(
                "the {what} {path} has mode {mode:04o}, so group or others can access it: \
                 run `chmod 600 {path}` (and rotate the key if someone else may have read it)",
                path = path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = (file, path, what);
    Ok(())
}

fn read_file(path: &Path) -> Result<Option<File>> {
    let cannot_read =
        |e: std::io::Error| Error::TokenStore(format!("cannot read {}: {e}", path.display()));
    let mut handle = match std::fs::File::open(path) {
        Ok(handle) => handle,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot_read(e)),
    };
    check_private(&handle, path, "token store file")?;
    let mut bytes = Vec::new();
    handle.read_to_end(&mut bytes).map_err(cannot_read)?;
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

/// Writes `file` to a 0600 temporary file beside `path`, syncs it, renames it over
/// `path`, and syncs the directory.
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
    } else {
        // Best effort: makes the rename durable where directories can be synced.
        #[cfg(unix)]
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
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

    /// Writes `bytes` to `path` with `mode` (the mode only on Unix).
    fn write_with_mode(path: &Path, bytes: &[u8], mode: u32) {
        std::fs::write(path, bytes).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        #[cfg(not(unix))]
        let _ = mode;
    }

    #[test]
    fn keys_are_read_from_base64_hex_or_raw_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let raw = dir.path().join("raw.key");
        write_with_mode(&raw, &[7u8; 32], 0o600);
        assert!(TokenKey::from_file(&raw).is_ok());
        let hex = dir.path().join("hex.key");
        write_with_mode(&hex, ("07".repeat(32) + "\n").as_bytes(), 0o600);
        assert!(TokenKey::from_file(&hex).is_ok());
        let short = dir.path().join("short.key");
        write_with_mode(&short, b"abc", 0o600);
        assert!(TokenKey::from_file(&short).is_err());
        assert_eq!(
            format!("{:?}", TokenKey::generate()),
            "TokenKey([REDACTED])"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_access_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("token.key");
        let text = TokenKey::generate().to_base64();
        for mode in [0o644, 0o640, 0o604, 0o660, 0o602] {
            write_with_mode(&path, text.expose_secret().as_bytes(), mode);
            let err = TokenKey::from_file(&path).expect_err("refused");
            let message = err.to_string();
            assert!(
                message.contains(&path.display().to_string())
                    && message.contains(&format!("{mode:04o}"))
                    && message.contains("chmod 600"),
                "{message}"
            );
            assert!(
                !message.contains(text.expose_secret()),
                "the key is not in the error"
            );
        }
        for mode in [0o600, 0o400] {
            write_with_mode(&path, text.expose_secret().as_bytes(), mode);
            assert!(TokenKey::from_file(&path).is_ok(), "mode {mode:o}");
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_token_file_others_can_read_is_refused_and_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tokens.json");
        let store = EncryptedFileTokenStore::new(&path, TokenKey::generate());
        let alice = ConnectionId::new("alice");
        store.save(&alice, &token("r")).await.expect("saves");
        assert!(store.load(&alice).await.expect("loads").is_some());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let before = std::fs::read(&path).expect("read");
        let err = store.load(&alice).await.expect_err("refused");
        assert!(
            err.to_string().contains("0644") && err.to_string().contains("chmod 600"),
            "{err}"
        );
        store
            .save(&ConnectionId::new("bob"), &token("b"))
            .await
            .expect_err("a save is refused too");
        assert!(EncryptedFileTokenStore::key_opens(&path, &TokenKey::generate()).is_err());
        assert_eq!(std::fs::read(&path).expect("read"), before, "unchanged");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert!(store.load(&alice).await.expect("loads").is_some());
    }

    fn refresh_of(token: &StoredToken) -> String {
        token
            .refresh_token
            .as_ref()
            .map(|t| t.expose_secret().to_owned())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn rotation_re_encrypts_every_entry_with_the_new_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tokens.json");
        let old_key = TokenKey::generate();
        let old_text = old_key.to_base64();
        let store = EncryptedFileTokenStore::new(&path, old_key);
        let ids: Vec<ConnectionId> = ["alice", "bob", "acme#consumer-secret"]
            .into_iter()
            .map(ConnectionId::new)
            .collect();
        for id in &ids {
            store
                .save(id, &token(&format!("refresh-{id}")))
                .await
                .expect("saves");
        }
        let before: File =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("file");

        let new_key = TokenKey::generate();
        let new_text = new_key.to_base64();
        assert_eq!(store.rotate_key(&new_key).await.expect("rotates"), 3);

        let after: File =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("file");
        assert_eq!(
            after.entries.keys().collect::<Vec<_>>(),
            before.entries.keys().collect::<Vec<_>>(),
            "every entry is still there"
        );
        for (id, sealed) in &after.entries {
            assert_ne!(
                sealed.ciphertext, before.entries[id].ciphertext,
                "{id} re-sealed"
            );
        }
        let old = || TokenKey::parse(old_text.expose_secret()).expect("key");
        let new = || TokenKey::parse(new_text.expose_secret()).expect("key");
        assert!(!EncryptedFileTokenStore::key_opens(&path, &old()).expect("reads"));
        assert!(EncryptedFileTokenStore::key_opens(&path, &new()).expect("reads"));
        let with_old = EncryptedFileTokenStore::new(&path, old());
        let with_new = EncryptedFileTokenStore::new(&path, new());
        for id in &ids {
            let err = with_old
                .load(id)
                .await
                .expect_err("the old key no longer opens");
            assert!(err.to_string().contains("wrong key"), "{err}");
            let loaded = with_new.load(id).await.expect("loads").expect("present");
            assert_eq!(refresh_of(&loaded), format!("refresh-{id}"));
        }
        // The rotated store goes on with the new key.
        let carol = ConnectionId::new("carol");
        store
            .save(&carol, &token("refresh-carol"))
            .await
            .expect("saves");
        let loaded = with_new
            .load(&carol)
            .await
            .expect("loads")
            .expect("present");
        assert_eq!(refresh_of(&loaded), "refresh-carol");
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("dir").count(),
            1,
            "no temporary file"
        );
    }

    #[tokio::test]
    async fn a_rotation_that_cannot_open_an_entry_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tokens.json");
        let key = TokenKey::generate();
        let key_text = key.to_base64();
        let store = EncryptedFileTokenStore::new(&path, key);
        store
            .save(&ConnectionId::new("alice"), &token("a"))
            .await
            .expect("saves");
        // An entry sealed with another key.
        EncryptedFileTokenStore::new(&path, TokenKey::generate())
            .save(&ConnectionId::new("stranger"), &token("s"))
            .await
            .expect("saves");
        let before = std::fs::read(&path).expect("read");
        let err = store
            .rotate_key(&TokenKey::generate())
            .await
            .expect_err("refused");
        assert!(
            err.to_string().contains("`stranger`")
                && err.to_string().contains("nothing was changed"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&path).expect("read"),
            before,
            "the file is unchanged"
        );
        let same = EncryptedFileTokenStore::new(
            &path,
            TokenKey::parse(key_text.expose_secret()).expect("key"),
        );
        assert!(same
            .load(&ConnectionId::new("alice"))
            .await
            .expect("loads")
            .is_some());
        assert!(
            store
                .load(&ConnectionId::new("alice"))
                .await
                .expect("loads")
                .is_some(),
            "the store keeps its key"
        );
    }

    #[tokio::test]
    async fn rotating_a_missing_file_only_changes_the_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tokens.json");
        let store = EncryptedFileTokenStore::new(&path, TokenKey::generate());
        let new_key = TokenKey::generate();
        let new_text = new_key.to_base64();
        assert_eq!(store.rotate_key(&new_key).await.expect("rotates"), 0);
        assert!(!path.exists());
        store
            .save(&ConnectionId::new("a"), &token("a"))
            .await
            .expect("saves");
        let new = TokenKey::parse(new_text.expose_secret()).expect("key");
        assert!(EncryptedFileTokenStore::key_opens(&path, &new).expect("reads"));
    }
}
