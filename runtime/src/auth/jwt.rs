//! The OAuth 2.0 JWT bearer flow: an RS256 assertion signed with the private key
//! whose certificate is uploaded to the connected app.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::SecretString;
use serde::Serialize;

use super::LoginHost;
use crate::error::{Error, Result};

/// Settings for the JWT bearer flow.
///
/// The assertion carries `iss` = the Consumer Key (client id), `sub` = the
/// username, `aud` = the login host's origin, and an `exp` a few minutes ahead
/// (Salesforce accepts at most three).
#[derive(Clone)]
pub struct JwtBearer {
    consumer_key: String,
    username: String,
    login: LoginHost,
    key: EncodingKey,
    lifetime: Duration,
}

impl fmt::Debug for JwtBearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtBearer")
            .field("consumer_key", &self.consumer_key)
            .field("username", &self.username)
            .field("login", &self.login)
            .field("key", &"[REDACTED]")
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: i64,
}

impl JwtBearer {
    /// The default assertion lifetime.
    pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(180);

    /// JWT bearer settings from a PEM-encoded RSA private key (PKCS#1 or PKCS#8).
    pub fn new(
        consumer_key: impl Into<String>,
        username: impl Into<String>,
        login: LoginHost,
        private_key_pem: &[u8],
    ) -> Result<Self> {
        let key = EncodingKey::from_rsa_pem(private_key_pem).map_err(|e| {
            Error::Config(format!(
                "the JWT signing key is not a PEM RSA private key: {e}"
            ))
        })?;
        Ok(JwtBearer {
            consumer_key: consumer_key.into(),
            username: username.into(),
            login,
            key,
            lifetime: Self::DEFAULT_LIFETIME,
        })
    }

    /// Like [`JwtBearer::new`], reading the key from a file.
    pub fn from_key_file(
        consumer_key: impl Into<String>,
        username: impl Into<String>,
        login: LoginHost,
        private_key_path: &Path,
    ) -> Result<Self> {
        let pem = std::fs::read(private_key_path).map_err(|e| {
            Error::Config(format!(
                "cannot read the JWT signing key {}: {e}",
                private_key_path.display()
            ))
        })?;
        Self::new(consumer_key, username, login, &pem)
    }

    /// With another assertion lifetime (`exp` - now).
    pub fn with_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// The login host the assertion is sent to (and its audience).
    pub fn login(&self) -> &LoginHost {
        &self.login
    }

    /// The username the assertion asks a session for.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// A freshly signed assertion.
    pub(crate) fn assertion(&self) -> Result<SecretString> {
        let lifetime = i64::try_from(self.lifetime.as_secs()).unwrap_or(i64::MAX);
        let aud = self.login.origin();
        let claims = Claims {
            iss: &self.consumer_key,
            sub: &self.username,
            aud: &aud,
            exp: Utc::now().timestamp().saturating_add(lifetime),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key)
            .map(SecretString::from)
            .map_err(|e| Error::Config(format!("cannot sign the JWT bearer assertion: {e}")))
    }
}
