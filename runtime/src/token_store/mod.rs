//! Where connections keep their tokens between runs: the [`TokenStore`] trait, an
//! in-memory store and an encrypted file store.
//!
//! The encrypted file store ([`EncryptedFileTokenStore`]) seals each entry with a
//! [`TokenKey`] that lives apart from the file: in an OS keychain, an environment
//! variable, or a key file that only its owner can read (a key or token file that
//! group or others can access is refused on Unix). Its docs say where to keep the
//! key and how to rotate it ([`EncryptedFileTokenStore::rotate_key`] re-encrypts
//! every entry atomically). Keys and tokens are redacted in every `Debug` output
//! and never appear in errors.

mod encrypted;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use secrecy::SecretString;
use url::Url;

use crate::auth::{Credentials, LoginHost, OAuthApp, TokenSet};
use crate::connections::ConnectionId;
use crate::error::Result;

pub use encrypted::{EncryptedFileTokenStore, TokenKey};

/// The tokens of one connection, as a [`TokenStore`] keeps them.
#[derive(Clone)]
pub struct StoredToken {
    /// The latest access token.
    pub access_token: Option<SecretString>,
    /// The latest refresh token (after rotation, the new one).
    pub refresh_token: Option<SecretString>,
    /// The org's instance URL.
    pub instance_url: Url,
    /// When the access token was issued.
    pub issued_at: DateTime<Utc>,
    /// The identity URL.
    pub identity_url: Option<String>,
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "[REDACTED]"),
            )
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[REDACTED]"),
            )
            .field("instance_url", &self.instance_url.as_str())
            .field("issued_at", &self.issued_at)
            .field("identity_url", &self.identity_url)
            .finish()
    }
}

impl StoredToken {
    /// What a store keeps of a token response.
    pub fn from_tokens(tokens: &TokenSet) -> Self {
        StoredToken {
            access_token: Some(tokens.access_token.clone()),
            refresh_token: tokens.refresh_token.clone(),
            instance_url: tokens.instance_url.clone(),
            issued_at: tokens.issued_at,
            identity_url: tokens.identity_url.clone(),
        }
    }

    /// Credentials to reconnect with these tokens: the stored access token is used
    /// until it expires, then the refresh token renews it.
    ///
    /// Returns `None` when nothing usable is stored (no refresh token and no
    /// access token).
    pub fn into_credentials(self, app: OAuthApp, login: LoginHost) -> Option<Credentials> {
        match (self.access_token, self.refresh_token) {
            (Some(access_token), refresh_token) => Some(Credentials::Tokens {
                app,
                login,
                tokens: TokenSet {
                    access_token,
                    refresh_token,
                    instance_url: self.instance_url,
                    issued_at: self.issued_at,
                    identity_url: self.identity_url,
                    scope: None,
                },
            }),
            (None, Some(refresh_token)) => Some(Credentials::RefreshToken {
                app,
                login,
                refresh_token,
            }),
            (None, None) => None,
        }
    }
}

/// Keeps connections' tokens, one entry per [`ConnectionId`].
///
/// A connection with a store saves its tokens when it connects and every time
/// its session is renewed; a rotated refresh token is saved *before* the new
/// access token is used, so a crash cannot lose the only valid refresh token.
/// Implement it over a database or a secrets manager with `async fn`s:
///
/// ```
/// # use sfgen_runtime::{ConnectionId, StoredToken, TokenStore, Result};
/// struct Vault;
/// impl TokenStore for Vault {
///     async fn load(&self, id: &ConnectionId) -> Result<Option<StoredToken>> { Ok(None) }
///     async fn save(&self, id: &ConnectionId, token: &StoredToken) -> Result<()> { Ok(()) }
///     async fn remove(&self, id: &ConnectionId) -> Result<()> { Ok(()) }
/// }
/// ```
pub trait TokenStore: Send + Sync + 'static {
    /// The entry for `id`, if any.
    fn load(&self, id: &ConnectionId) -> impl Future<Output = Result<Option<StoredToken>>> + Send;
    /// Replaces the entry for `id`.
    fn save(
        &self,
        id: &ConnectionId,
        token: &StoredToken,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Removes the entry for `id` (a no-op when there is none).
    fn remove(&self, id: &ConnectionId) -> impl Future<Output = Result<()>> + Send;
}

/// [`TokenStore`] with boxed futures, so that a connection can hold any store.
pub(crate) trait DynTokenStore: Send + Sync {
    fn save_dyn<'a>(
        &'a self,
        id: &'a ConnectionId,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<()>>;
}

impl<T: TokenStore> DynTokenStore for T {
    fn save_dyn<'a>(
        &'a self,
        id: &'a ConnectionId,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.save(id, token))
    }
}

/// A [`TokenStore`] in memory, for tests and short-lived processes.
#[derive(Default)]
pub struct MemoryTokenStore {
    entries: Mutex<HashMap<ConnectionId, StoredToken>>,
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.entries.lock().map(|e| e.len()).unwrap_or_default();
        f.debug_struct("MemoryTokenStore")
            .field("entries", &count)
            .finish()
    }
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<ConnectionId, StoredToken>> {
        // Entries are replaced whole, so a poisoned map is still consistent.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl TokenStore for MemoryTokenStore {
    async fn load(&self, id: &ConnectionId) -> Result<Option<StoredToken>> {
        Ok(self.entries().get(id).cloned())
    }

    async fn save(&self, id: &ConnectionId, token: &StoredToken) -> Result<()> {
        self.entries().insert(id.clone(), token.clone());
        Ok(())
    }

    async fn remove(&self, id: &ConnectionId) -> Result<()> {
        self.entries().remove(id);
        Ok(())
    }
}
