//! A connection's session: the current access token and instance URL, renewed at
//! most once per expiry however many calls notice it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::{grant, Credentials, JwtBearer, LoginHost, OAuthApp, SfCli, TokenSet};
use crate::connections::ConnectionId;
use crate::error::{Error, Result};
use crate::token_store::{DynTokenStore, StoredToken};
use crate::transport::require_https;

/// Settings of a session that are not credentials.
#[derive(Clone, Default)]
pub(crate) struct SessionConfig {
    /// The connection's id, the key in the token store.
    pub(crate) id: Option<ConnectionId>,
    /// Where renewed (and rotated) tokens are saved.
    pub(crate) store: Option<Arc<dyn DynTokenStore>>,
    /// Renew proactively once a session is this old.
    pub(crate) lifetime: Option<Duration>,
}

/// How a session is renewed.
#[derive(Debug)]
enum Renewal {
    Impossible,
    Cli(SfCli),
    RefreshToken { app: OAuthApp, login: LoginHost },
    Jwt(JwtBearer),
    ClientCredentials { app: OAuthApp, my_domain: LoginHost },
}

struct State {
    access_token: SecretString,
    refresh_token: Option<SecretString>,
    instance_url: Url,
    issued_at: DateTime<Utc>,
    identity_url: Option<String>,
    /// When the session was obtained, on this machine's monotonic clock.
    obtained: Instant,
    generation: u64,
}

/// The access token and instance URL a request is sent with.
pub(crate) struct Snapshot {
    pub(crate) access_token: SecretString,
    pub(crate) instance_url: Url,
    /// Which session this is; passed back to [`Session::renew`].
    pub(crate) generation: u64,
}

/// A connection's session.
pub(crate) struct Session {
    state: RwLock<State>,
    /// Held while renewing, so that one renewal serves every waiting call.
    gate: tokio::sync::Mutex<()>,
    renewal: Renewal,
    login: Option<LoginHost>,
    app: Option<OAuthApp>,
    http: reqwest::Client,
    config: SessionConfig,
    renewals: AtomicU64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (instance_url, generation) = match self.state.read() {
            Ok(s) => (s.instance_url.to_string(), s.generation),
            Err(_) => (String::from("<poisoned>"), 0),
        };
        f.debug_struct("Session")
            .field("instance_url", &instance_url)
            .field("generation", &generation)
            .field("renewal", &self.renewal)
            .field("id", &self.config.id)
            .field("token_store", &self.config.store.is_some())
            .field("lifetime", &self.config.lifetime)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Logs in with `credentials`. Returns the session and, for the Salesforce CLI,
    /// the API version the CLI reports.
    pub(crate) async fn start(
        credentials: Credentials,
        http: reqwest::Client,
        config: SessionConfig,
    ) -> Result<(Session, Option<String>)> {
        let mut cli_version = None;
        let (tokens, renewal) = match credentials {
            Credentials::AccessToken {
                instance_url,
                access_token,
            } => (tokens_from(access_token, instance_url), Renewal::Impossible),
            Credentials::SfCli(cli) => {
                let session = cli.display().await?;
                cli_version = session.api_version;
                (
                    tokens_from(session.access_token, session.instance_url),
                    Renewal::Cli(cli),
                )
            }
            Credentials::RefreshToken {
                app,
                login,
                refresh_token,
            } => {
                let mut tokens = grant::refresh(&http, &app, &login, &refresh_token).await?;
                tokens.refresh_token.get_or_insert(refresh_token);
                (tokens, Renewal::RefreshToken { app, login })
            }
            Credentials::Tokens { app, login, tokens } => {
                let renewal = if tokens.refresh_token.is_some() {
                    Renewal::RefreshToken { app, login }
                } else {
                    Renewal::Impossible
                };
                (tokens, renewal)
            }
            Credentials::JwtBearer(jwt) => {
                let tokens = grant::jwt_bearer(&http, jwt.login(), &jwt.assertion()?).await?;
                (tokens, Renewal::Jwt(jwt))
            }
            Credentials::ClientCredentials { app, my_domain } => {
                let tokens = grant::client_credentials(&http, &app, &my_domain).await?;
                (tokens, Renewal::ClientCredentials { app, my_domain })
            }
        };
        // Every way ends in an instance URL that each API call carries the access
        // token to; the grants check theirs already, the others are checked here.
        require_https(&tokens.instance_url, "instance URL")?;
        let (login, app) = match &renewal {
            Renewal::RefreshToken { app, login } => (Some(login.clone()), Some(app.clone())),
            Renewal::ClientCredentials { app, my_domain } => {
                (Some(my_domain.clone()), Some(app.clone()))
            }
            Renewal::Jwt(jwt) => (Some(jwt.login().clone()), None),
            Renewal::Impossible | Renewal::Cli(_) => (None, None),
        };
        let age = Utc::now()
            .signed_duration_since(tokens.issued_at)
            .to_std()
            .unwrap_or_default();
        let obtained = Instant::now().checked_sub(age).unwrap_or_else(Instant::now);
        let session = Session {
            state: RwLock::new(State {
                obtained,
                access_token: tokens.access_token,
                refresh_token: tokens.refresh_token,
                instance_url: tokens.instance_url,
                issued_at: tokens.issued_at,
                identity_url: tokens.identity_url,
                generation: 0,
            }),
            gate: tokio::sync::Mutex::new(()),
            renewal,
            login,
            app,
            http,
            config,
            renewals: AtomicU64::new(0),
        };
        session.save().await?;
        Ok((session, cli_version))
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        // A panic while holding the lock cannot leave `State` half-written (every
        // write replaces whole fields), so a poisoned lock is still usable.
        self.state
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current access token and instance URL.
    pub(crate) fn snapshot(&self) -> Snapshot {
        let s = self.read();
        Snapshot {
            access_token: s.access_token.clone(),
            instance_url: s.instance_url.clone(),
            generation: s.generation,
        }
    }

    /// The current instance URL.
    pub(crate) fn instance_url(&self) -> Url {
        self.read().instance_url.clone()
    }

    /// When the current session was issued.
    pub(crate) fn issued_at(&self) -> DateTime<Utc> {
        self.read().issued_at
    }

    /// Whether the session can be renewed at all.
    pub(crate) fn can_renew(&self) -> bool {
        !matches!(self.renewal, Renewal::Impossible)
    }

    /// Whether the configured session lifetime has passed (proactive renewal).
    pub(crate) fn is_due(&self) -> bool {
        let Some(lifetime) = self.config.lifetime else {
            return false;
        };
        self.can_renew() && self.read().obtained.elapsed() >= lifetime
    }

    /// How many times the session was renewed.
    pub(crate) fn renewals(&self) -> u64 {
        self.renewals.load(Ordering::Relaxed)
    }

    /// The token, login host and app, for the health check.
    pub(crate) fn refresh_credentials(&self) -> Option<(OAuthApp, LoginHost, SecretString)> {
        let refresh = self.read().refresh_token.clone()?;
        Some((self.app.clone()?, self.login.clone()?, refresh))
    }

    /// The HTTP client for token endpoints.
    pub(crate) fn token_http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Renews the session that `seen` identifies.
    ///
    /// Concurrent callers queue on one gate: the first renews, the others find a
    /// newer generation when they get the gate and return at once, so a burst of
    /// 401s costs exactly one token request. A rotated refresh token is saved to
    /// the token store before the new session is published to callers.
    pub(crate) async fn renew(&self, seen: u64) -> Result<()> {
        let _gate = self.gate.lock().await;
        if self.read().generation != seen {
            return Ok(());
        }
        let current_refresh = self.read().refresh_token.clone();
        let mut tokens = match &self.renewal {
            Renewal::Impossible => {
                return Err(Error::Session {
                    refreshed: false,
                    message: "Session expired or invalid".into(),
                })
            }
            Renewal::Cli(cli) => {
                let session = cli.display().await?;
                tokens_from(session.access_token, session.instance_url)
            }
            Renewal::RefreshToken { app, login } => {
                let refresh = current_refresh.clone().ok_or_else(|| {
                    Error::Config("the session has no refresh token to renew with".into())
                })?;
                grant::refresh(&self.http, app, login, &refresh).await?
            }
            Renewal::Jwt(jwt) => {
                grant::jwt_bearer(&self.http, jwt.login(), &jwt.assertion()?).await?
            }
            Renewal::ClientCredentials { app, my_domain } => {
                grant::client_credentials(&self.http, app, my_domain).await?
            }
        };
        require_https(&tokens.instance_url, "instance URL")?;
        let rotated = match (&tokens.refresh_token, &current_refresh) {
            (Some(new), Some(old)) => new.expose_secret() != old.expose_secret(),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if tokens.refresh_token.is_none() {
            tokens.refresh_token = current_refresh;
        }
        let saved = self.save_tokens(&tokens).await;
        let instance_changed = {
            let mut state = self
                .state
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let changed = state.instance_url != tokens.instance_url;
            *state = State {
                access_token: tokens.access_token,
                refresh_token: tokens.refresh_token,
                instance_url: tokens.instance_url,
                issued_at: tokens.issued_at,
                identity_url: tokens.identity_url.or(state.identity_url.take()),
                obtained: Instant::now(),
                generation: state.generation + 1,
            };
            changed
        };
        self.renewals.fetch_add(1, Ordering::Relaxed);
        tracing::info!(connection = ?self.config.id, rotated, instance_changed, "session renewed");
        saved
    }

    /// Saves the current tokens to the token store, if there is one.
    async fn save(&self) -> Result<()> {
        let stored = self.stored_token();
        self.save_stored(&stored).await
    }

    async fn save_tokens(&self, tokens: &TokenSet) -> Result<()> {
        self.save_stored(&StoredToken::from_tokens(tokens)).await
    }

    async fn save_stored(&self, stored: &StoredToken) -> Result<()> {
        match (&self.config.store, &self.config.id) {
            (Some(store), Some(id)) => store.save_dyn(id, stored).await,
            _ => Ok(()),
        }
    }

    /// The current tokens, as a token store keeps them.
    pub(crate) fn stored_token(&self) -> StoredToken {
        let s = self.read();
        StoredToken {
            access_token: Some(s.access_token.clone()),
            refresh_token: s.refresh_token.clone(),
            instance_url: s.instance_url.clone(),
            issued_at: s.issued_at,
            identity_url: s.identity_url.clone(),
        }
    }
}

fn tokens_from(access_token: SecretString, instance_url: Url) -> TokenSet {
    TokenSet {
        access_token,
        refresh_token: None,
        instance_url,
        issued_at: Utc::now(),
        identity_url: None,
        scope: None,
    }
}
