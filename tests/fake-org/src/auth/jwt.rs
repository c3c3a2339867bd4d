//! The JWT bearer flow's assertion check: RS256 against the connected app's certificate.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use x509_cert::der::DecodePem;
use x509_cert::Certificate;

use super::oauth_error::OAuthError;
use crate::Error;

/// Audiences Salesforce accepts besides the org's own login URL.
const AUDIENCES: [&str; 2] = [
    "https://login.salesforce.com",
    "https://test.salesforce.com",
];

/// The connected app's public key.
#[derive(Clone)]
pub struct JwtVerifier {
    key: DecodingKey,
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtVerifier")
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
struct Claims {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Audience>,
    exp: Option<i64>,
}

/// What a valid assertion asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    /// `sub`: the username.
    pub username: String,
}

impl JwtVerifier {
    /// Reads a PEM certificate (`BEGIN CERTIFICATE`) or RSA public key.
    pub fn from_pem(pem: &str) -> Result<JwtVerifier, Error> {
        let key = if pem.contains("BEGIN CERTIFICATE") {
            let cert = Certificate::from_pem(pem.trim().as_bytes())
                .map_err(|e| Error::JwtKey(format!("not a PEM certificate: {e}")))?;
            let spki = cert.tbs_certificate.subject_public_key_info;
            let der = spki.subject_public_key.raw_bytes();
            DecodingKey::from_rsa_der(der)
        } else {
            DecodingKey::from_rsa_pem(pem.as_bytes())
                .map_err(|e| Error::JwtKey(format!("not a PEM RSA public key: {e}")))?
        };
        Ok(JwtVerifier { key })
    }

    /// Checks an assertion: RS256 signature, `iss` = `client_id`, `aud` one of
    /// Salesforce's login URLs or `login_url`, `exp` after `now_s`. Returns its
    /// `sub`; the caller checks that user exists.
    pub fn verify(
        &self,
        assertion: &str,
        client_id: &str,
        login_url: &str,
        now_s: i64,
    ) -> Result<Assertion, OAuthError> {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Claims>(assertion, &self.key, &validation)
            .map_err(|_| OAuthError::invalid_grant("invalid assertion"))?
            .claims;
        if claims.iss.as_deref() != Some(client_id) {
            return Err(OAuthError::invalid_client_id());
        }
        let login = login_url.trim_end_matches('/');
        let audience_ok = |a: &str| {
            let a = a.trim_end_matches('/');
            AUDIENCES.contains(&a) || a == login
        };
        let aud_ok = match &claims.aud {
            Some(Audience::One(a)) => audience_ok(a),
            Some(Audience::Many(all)) => all.iter().any(|a| audience_ok(a)),
            None => false,
        };
        if !aud_ok {
            return Err(OAuthError::invalid_grant("audience is invalid"));
        }
        match claims.exp {
            Some(exp) if exp > now_s => {}
            _ => return Err(OAuthError::invalid_grant("expired authorization code")),
        }
        let username = claims
            .sub
            .ok_or_else(|| OAuthError::invalid_grant("invalid assertion"))?;
        Ok(Assertion { username })
    }
}
