//! The async Salesforce client: one [`Client`] per connection.

mod crud;
mod health;
mod long_get;
mod query;
mod request;
mod send;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use crate::auth::{token_http_client, Credentials, Session, SessionConfig};
use crate::connections::ConnectionId;
use crate::error::{Error, Result};
use crate::limits::{ApiUsage, Limiter, Limits};
use crate::retry::RetryPolicy;
use crate::token_store::{StoredToken, TokenStore};

pub use crud::Upserted;
pub use health::Health;
pub use query::{QueryOptions, QueryPage};
pub(crate) use request::{api_name, StreamedResponse};
pub use request::{Body, Request, Response};

/// The REST API version a client uses unless told otherwise.
pub const DEFAULT_API_VERSION: &str = "66.0";

/// Connect and request timeouts, on by default (a peer without them can hang for hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Time to establish a connection (default 10 s).
    pub connect: Duration,
    /// Time for a whole request, body included (default 120 s, Salesforce's own
    /// limit for a synchronous query).
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(120),
        }
    }
}

/// A connection to one org as one user, cheap to clone (an `Arc` inside).
///
/// Every call goes through one path ([`Client::send`]): client-side limits, the
/// access token, a single renewal on 401, retries of idempotent requests, and
/// the `Sforce-Limit-Info` figures ([`Client::api_usage`]).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    id: Option<ConnectionId>,
    api_version: String,
    http: reqwest::Client,
    session: Session,
    limiter: Limiter,
    limits: Limits,
    retry: RetryPolicy,
    usage: Mutex<Option<ApiUsage>>,
    max_body_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.inner.id)
            .field("instance_url", &self.inner.session.instance_url().as_str())
            .field("api_version", &self.inner.api_version)
            .field("session", &self.inner.session)
            .field("limits", &self.inner.limits)
            .field("retry", &self.inner.retry)
            .field("api_usage", &self.api_usage())
            .finish()
    }
}

/// Settings for a [`Client`]; finish with [`ClientBuilder::connect`].
#[derive(Default)]
pub struct ClientBuilder {
    api_version: Option<String>,
    id: Option<ConnectionId>,
    store: Option<Arc<dyn crate::token_store::DynTokenStore>>,
    limits: Option<Limits>,
    retry: Option<RetryPolicy>,
    timeouts: Option<Timeouts>,
    session_lifetime: Option<Duration>,
    http: Option<reqwest::Client>,
    max_body_bytes: Option<usize>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_version", &self.api_version)
            .field("id", &self.id)
            .field("token_store", &self.store.is_some())
            .field("limits", &self.limits)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("session_lifetime", &self.session_lifetime)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The REST API version, `"66.0"` or `"v66.0"` (default [`DEFAULT_API_VERSION`],
    /// or the version the Salesforce CLI reports for a CLI connection).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into().trim_start_matches('v').to_owned());
        self
    }

    /// The connection's id: its key in the token store and in [`crate::Connections`].
    pub fn connection_id(mut self, id: ConnectionId) -> Self {
        self.id = Some(id);
        self
    }

    /// Saves tokens to `store` under the connection id when connecting and on
    /// every renewal (a rotated refresh token before the new session is used).
    pub fn token_store<S: TokenStore>(mut self, store: Arc<S>) -> Self {
        self.store = Some(store);
        self
    }

    /// Client-side limits (default: 25/s, 100/min, 10 in flight).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// How idempotent requests are retried.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Connect and request timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Renews the session proactively once it is this old (the org's session
    /// timeout), instead of waiting for a 401.
    pub fn session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = Some(lifetime);
        self
    }

    /// The largest JSON response body the client reads into memory (default
    /// [`DEFAULT_MAX_BODY_BYTES`](crate::DEFAULT_MAX_BODY_BYTES), 64 MiB); a larger
    /// one is [`Error::BodyTooLarge`] and is not read past the cap. Describes,
    /// query pages, record and error bodies are capped; Bulk API results are
    /// streamed and are not.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = Some(bytes);
        self
    }

    /// Sends API calls through this HTTP client (its own timeouts then apply).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Logs in with `credentials` and returns the connected client.
    pub async fn connect(self, credentials: Credentials) -> Result<Client> {
        if self.store.is_some() && self.id.is_none() {
            return Err(Error::Config(
                "a token store needs a connection id (ClientBuilder::connection_id)".into(),
            ));
        }
        let timeouts = self.timeouts.unwrap_or_default();
        let http = match self.http {
            Some(http) => http,
            None => api_http_client(&timeouts)?,
        };
        let config = SessionConfig {
            id: self.id.clone(),
            store: self.store,
            lifetime: self.session_lifetime,
        };
        let (session, cli_version) =
            Session::start(credentials, token_http_client(&timeouts)?, config).await?;
        let api_version = self
            .api_version
            .or(cli_version)
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        let limits = self.limits.unwrap_or_default();
        let client = Client {
            inner: Arc::new(Inner {
                id: self.id,
                api_version,
                http,
                session,
                limiter: Limiter::new(limits),
                limits,
                retry: self.retry.unwrap_or_default(),
                usage: Mutex::new(None),
                max_body_bytes: self
                    .max_body_bytes
                    .unwrap_or(crate::transport::DEFAULT_MAX_BODY_BYTES),
            }),
        };
        tracing::debug!(client = ?client, "connected");
        Ok(client)
    }
}

/// The HTTP client for API calls: rustls, timeouts, no redirects.
fn api_http_client(timeouts: &Timeouts) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("sfgen-runtime/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

impl Client {
    /// Settings for a new connection.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Connects with default settings.
    pub async fn connect(credentials: Credentials) -> Result<Client> {
        Self::builder().connect(credentials).await
    }

    /// The connection's id, if it was given one.
    pub fn connection_id(&self) -> Option<&ConnectionId> {
        self.inner.id.as_ref()
    }

    /// The org's instance URL (it can change when the session is renewed).
    pub fn instance_url(&self) -> Url {
        self.inner.session.instance_url()
    }

    /// The client-side limits this client runs under.
    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// The REST API version, e.g. `"66.0"`.
    pub fn api_version(&self) -> &str {
        &self.inner.api_version
    }

    /// The latest `Sforce-Limit-Info: api-usage=N/M` figures, from the most recent response.
    pub fn api_usage(&self) -> Option<ApiUsage> {
        *self
            .inner
            .usage
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many times this connection's session was renewed.
    pub fn session_renewals(&self) -> u64 {
        self.inner.session.renewals()
    }

    /// When the current session was issued (`issued_at`).
    pub fn session_issued_at(&self) -> DateTime<Utc> {
        self.inner.session.issued_at()
    }

    /// Renews the session now (e.g. after the user changed their password).
    pub async fn renew_session(&self) -> Result<()> {
        let seen = self.inner.session.snapshot().generation;
        self.inner.session.renew(seen).await
    }

    /// The current tokens, for a service that persists them itself.
    pub fn stored_token(&self) -> StoredToken {
        self.inner.session.stored_token()
    }

    fn record_usage(&self, usage: ApiUsage) {
        *self
            .inner
            .usage
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(usage);
    }
}
