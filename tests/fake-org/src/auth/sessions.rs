//! Access tokens, refresh tokens and authorization codes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use rand::distributions::Alphanumeric;
use rand::Rng;

/// The authenticated caller of a data route: which user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    /// The user index (0: default user, 1: integration user).
    pub user: u16,
}

/// A live access token.
#[derive(Debug, Clone)]
pub struct Session {
    /// The user it acts as.
    pub user: u16,
    /// The connected app it was issued to.
    pub client_id: String,
    /// Its scope.
    pub scope: String,
    /// When it was issued (ms since the epoch).
    pub issued_ms: i64,
    /// When it was last used (ms since the epoch).
    pub last_used_ms: i64,
    /// The refresh token it came from, if any (revoking that revokes this).
    pub refresh_token: Option<String>,
}

/// A live refresh token.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The user it acts as.
    pub user: u16,
    /// The connected app it was issued to.
    pub client_id: String,
    /// Its scope.
    pub scope: String,
    /// When it was issued (ms since the epoch).
    pub issued_ms: i64,
}

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone)]
pub struct AuthCode {
    /// The connected app that asked for it.
    pub client_id: String,
    /// The `redirect_uri` of the authorize request (the token request must repeat it).
    pub redirect_uri: String,
    /// The PKCE S256 `code_challenge`, if one was sent.
    pub code_challenge: Option<String>,
    /// The scope asked for.
    pub scope: String,
    /// The user who approved.
    pub user: u16,
    /// When it was issued (ms since the epoch).
    pub issued_ms: i64,
}

/// How long an authorization code stays valid (Salesforce: 15 minutes).
const CODE_LIFETIME_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, Default)]
struct Tokens {
    access: HashMap<String, Session>,
    refresh: HashMap<String, Grant>,
    codes: HashMap<String, AuthCode>,
}

/// Why an access token is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// Unknown or revoked.
    Unknown,
    /// Unused for longer than the idle timeout.
    Expired,
}

/// All tokens of the org.
#[derive(Debug)]
pub struct Sessions {
    tokens: Mutex<Tokens>,
    idle_ms: i64,
    rotate: bool,
    org_id: String,
}

fn random(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

impl Sessions {
    /// Token bookkeeping for an org whose 15-character id is `org_id15`.
    pub fn new(org_id15: &str, idle: Duration, rotate: bool) -> Sessions {
        Sessions {
            tokens: Mutex::new(Tokens::default()),
            idle_ms: i64::try_from(idle.as_millis()).unwrap_or(i64::MAX),
            rotate,
            org_id: org_id15.to_owned(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tokens> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Issues an access token (`<org id>!<random>`, as Salesforce's look).
    pub fn issue_access(
        &self,
        user: u16,
        client_id: &str,
        scope: &str,
        refresh_token: Option<&str>,
        now_ms: i64,
    ) -> String {
        let token = format!("{}!AQ{}", self.org_id, random(94));
        self.lock().access.insert(
            token.clone(),
            Session {
                user,
                client_id: client_id.to_owned(),
                scope: scope.to_owned(),
                issued_ms: now_ms,
                last_used_ms: now_ms,
                refresh_token: refresh_token.map(str::to_owned),
            },
        );
        token
    }

    /// Issues a refresh token.
    pub fn issue_refresh(&self, user: u16, client_id: &str, scope: &str, now_ms: i64) -> String {
        let token = format!("5Aep861{}", random(80));
        self.lock().refresh.insert(
            token.clone(),
            Grant {
                user,
                client_id: client_id.to_owned(),
                scope: scope.to_owned(),
                issued_ms: now_ms,
            },
        );
        token
    }

    /// Accepts an access token and marks it used, or says why not (an expired
    /// token is forgotten).
    pub fn check(&self, token: &str, now_ms: i64) -> Result<Caller, Rejected> {
        let mut tokens = self.lock();
        let Some(session) = tokens.access.get_mut(token) else {
            return Err(Rejected::Unknown);
        };
        if now_ms - session.last_used_ms > self.idle_ms {
            tokens.access.remove(token);
            return Err(Rejected::Expired);
        }
        session.last_used_ms = now_ms;
        Ok(Caller { user: session.user })
    }

    /// A live access token's session, without marking it used.
    pub fn peek(&self, token: &str, now_ms: i64) -> Option<Session> {
        let tokens = self.lock();
        let session = tokens.access.get(token)?;
        (now_ms - session.last_used_ms <= self.idle_ms).then(|| session.clone())
    }

    /// A live refresh token's grant.
    pub fn grant(&self, refresh_token: &str) -> Option<Grant> {
        self.lock().refresh.get(refresh_token).cloned()
    }

    /// Exchanges a refresh token: the grant and, when rotating, the new refresh
    /// token (the old one is then invalid).
    pub fn use_refresh(&self, refresh_token: &str, now_ms: i64) -> Option<(Grant, Option<String>)> {
        let grant = self.grant(refresh_token)?;
        if !self.rotate {
            return Some((grant, None));
        }
        self.lock().refresh.remove(refresh_token);
        let new = self.issue_refresh(grant.user, &grant.client_id, &grant.scope, now_ms);
        Some((grant, Some(new)))
    }

    /// Stores an authorization code.
    pub fn issue_code(&self, code: AuthCode) -> String {
        let value = format!("aPrx{}", random(60));
        self.lock().codes.insert(value.clone(), code);
        value
    }

    /// Takes an authorization code (single use); `None` if unknown, used or expired.
    pub fn take_code(&self, code: &str, now_ms: i64) -> Option<AuthCode> {
        let code = self.lock().codes.remove(code)?;
        (now_ms - code.issued_ms <= CODE_LIFETIME_MS).then_some(code)
    }

    /// Revokes an access token, or a refresh token and every access token issued
    /// from it. Returns whether the token was known.
    pub fn revoke(&self, token: &str) -> bool {
        let mut tokens = self.lock();
        if tokens.access.remove(token).is_some() {
            return true;
        }
        if tokens.refresh.remove(token).is_some() {
            tokens
                .access
                .retain(|_, s| s.refresh_token.as_deref() != Some(token));
            return true;
        }
        false
    }

    /// Forgets every access token (refresh tokens stay valid).
    pub fn expire_all(&self) {
        self.lock().access.clear();
    }

    /// The idle timeout in ms.
    pub fn idle_ms(&self) -> i64 {
        self.idle_ms
    }
}
