//! How to build a fake org: [`FakeOrgBuilder`].

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::server::{self, RunningOrg};
use crate::Error;

/// The schemas directory of this workspace (`schemas/` at the repository root).
pub const DEFAULT_SCHEMAS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas");

/// The first and last API versions the org serves by default (`20.0` … `66.0`, the
/// version `sfgen-runtime` asks for by default).
pub const DEFAULT_API_VERSIONS: (u32, u32) = (20, 66);

/// Everything configurable about an org; see the builder methods for meanings.
#[derive(Clone)]
pub(crate) struct Settings {
    pub schemas_dir: Option<PathBuf>,
    pub describes: Vec<Value>,
    pub api_versions: Vec<String>,
    pub daily_api_limit: u64,
    pub session_idle: Duration,
    pub rotate_refresh_tokens: bool,
    pub jwt_certificate: Option<String>,
    pub client_id: String,
    pub client_secret: String,
    pub callback_urls: Vec<String>,
    pub require_secret_for_web_server_flow: bool,
    pub username: String,
    pub integration_username: String,
    pub password: String,
    pub default_batch_size: usize,
    pub subquery_batch_size: usize,
    pub log_capacity: usize,
    pub tls: bool,
    pub port: u16,
    pub scope: String,
    pub bulk_processing_delay: Duration,
    pub query_cursors: QueryCursorLimits,
}

/// How long query cursors (`nextRecordsUrl` locators) live and how many a user
/// holds; past either, the locator answers `400 INVALID_QUERY_LOCATOR`.
///
/// Salesforce documented [`QueryCursorLimits::LEGACY`] (the org's default) for
/// years: a locator expires after 15 minutes of inactivity and a user holds at
/// most 10 open cursors, the oldest released when an 11th opens. Its current
/// limits page says these were lifted with API 56.0, for every API version:
/// cursors now last 2 days and their number is unlimited
/// ([`QueryCursorLimits::CURRENT`]). A client that pages correctly under the
/// legacy limits works under both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryCursorLimits {
    /// How long a cursor stays open without a page being read from it.
    pub idle: Option<Duration>,
    /// How long a cursor stays open after its query ran, however often it is read.
    pub lifetime: Option<Duration>,
    /// Open cursors per user; opening one more releases the user's oldest.
    pub per_user: Option<usize>,
}

impl QueryCursorLimits {
    /// 15 minutes idle, 10 cursors per user (the org's default).
    pub const LEGACY: QueryCursorLimits = QueryCursorLimits {
        idle: Some(Duration::from_secs(15 * 60)),
        lifetime: None,
        per_user: Some(10),
    };

    /// 2 days from the query, no limit on the number of cursors.
    pub const CURRENT: QueryCursorLimits = QueryCursorLimits {
        idle: None,
        lifetime: Some(Duration::from_secs(2 * 24 * 60 * 60)),
        per_user: None,
    };
}

impl Default for QueryCursorLimits {
    fn default() -> QueryCursorLimits {
        QueryCursorLimits::LEGACY
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets (client secret, password) stay out of Debug output.
        f.debug_struct("Settings")
            .field("schemas_dir", &self.schemas_dir)
            .field("describes", &self.describes.len())
            .field("api_versions", &self.api_versions)
            .field("daily_api_limit", &self.daily_api_limit)
            .field("session_idle", &self.session_idle)
            .field("rotate_refresh_tokens", &self.rotate_refresh_tokens)
            .field("jwt_certificate", &self.jwt_certificate.is_some())
            .field("client_id", &self.client_id)
            .field("callback_urls", &self.callback_urls)
            .field("username", &self.username)
            .field("integration_username", &self.integration_username)
            .field("default_batch_size", &self.default_batch_size)
            .field("subquery_batch_size", &self.subquery_batch_size)
            .field("tls", &self.tls)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Default for Settings {
    fn default() -> Settings {
        let (first, last) = DEFAULT_API_VERSIONS;
        Settings {
            schemas_dir: None,
            describes: Vec::new(),
            api_versions: (first..=last).map(|v| format!("{v}.0")).collect(),
            daily_api_limit: 15_000,
            session_idle: Duration::from_secs(2 * 60 * 60),
            rotate_refresh_tokens: false,
            jwt_certificate: None,
            client_id: "3MVG9FakeOrgConsumerKey.sfgen".into(),
            client_secret: "FAKEORGCONSUMERSECRET0123456789".into(),
            callback_urls: vec![
                "http://localhost:1717/OauthRedirect".into(),
                "http://localhost/callback".into(),
            ],
            require_secret_for_web_server_flow: true,
            username: "admin@fake-org.example".into(),
            integration_username: "integration@fake-org.example".into(),
            password: "fake-org-password".into(),
            default_batch_size: 2000,
            subquery_batch_size: 200,
            log_capacity: 100_000,
            tls: false,
            port: 0,
            scope: "api refresh_token".into(),
            bulk_processing_delay: Duration::from_millis(100),
            query_cursors: QueryCursorLimits::default(),
        }
    }
}

/// Entry point: `FakeOrg::builder()`.
#[derive(Debug, Clone, Copy)]
pub struct FakeOrg;

impl FakeOrg {
    /// A builder with the defaults: the workspace's `schemas/`, API versions
    /// 20.0–66.0, 15,000 daily API requests, 2-hour session idle timeout, no
    /// refresh-token rotation, no JWT certificate, 2,000-record query pages,
    /// plain HTTP on an ephemeral port of 127.0.0.1.
    pub fn builder() -> FakeOrgBuilder {
        FakeOrgBuilder {
            settings: Settings::default(),
        }
    }
}

/// Configures and starts a fake org.
#[derive(Debug, Clone)]
pub struct FakeOrgBuilder {
    settings: Settings,
}

impl FakeOrgBuilder {
    /// Reads describes from `dir` (a `manifest.json` plus `<Object>.json`, or just
    /// describe files). Without this and without [`FakeOrgBuilder::describe`], the
    /// workspace's `schemas/` is used.
    pub fn schemas_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.settings.schemas_dir = Some(dir.into());
        self
    }

    /// Adds one describe (a `GET /sobjects/<X>/describe` body). Combined with
    /// [`FakeOrgBuilder::schemas_dir`] it replaces that directory's describe of the
    /// same object; alone it means the org has only the describes given this way.
    pub fn describe(mut self, describe: Value) -> Self {
        self.settings.describes.push(describe);
        self
    }

    /// The API versions served, e.g. `["58.0", "59.0"]`; others get 404.
    pub fn api_versions<I, S>(mut self, versions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.api_versions = versions.into_iter().map(Into::into).collect();
        self
    }

    /// The daily API request allocation (`DailyApiRequests.Max`, the `M` of
    /// `Sforce-Limit-Info: api-usage=N/M`).
    pub fn daily_api_limit(mut self, max: u64) -> Self {
        self.settings.daily_api_limit = max;
        self
    }

    /// How long a session may stay unused before it expires.
    pub fn session_idle_timeout(mut self, idle: Duration) -> Self {
        self.settings.session_idle = idle;
        self
    }

    /// Whether each refresh issues a new refresh token and invalidates the old one.
    pub fn rotate_refresh_tokens(mut self, rotate: bool) -> Self {
        self.settings.rotate_refresh_tokens = rotate;
        self
    }

    /// The connected app's certificate for the JWT bearer flow: a PEM X.509
    /// certificate or PEM RSA public key. Assertions must be signed (RS256) by the
    /// matching private key, with `iss` = the client id.
    pub fn jwt_certificate(mut self, pem: impl Into<String>) -> Self {
        self.settings.jwt_certificate = Some(pem.into());
        self
    }

    /// The connected app's consumer key and secret.
    pub fn client(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.settings.client_id = client_id.into();
        self.settings.client_secret = client_secret.into();
        self
    }

    /// Adds a callback URL the authorize endpoint accepts as `redirect_uri`
    /// (exact match). Defaults: `http://localhost:1717/OauthRedirect`, `http://localhost/callback`.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.settings.callback_urls.push(url.into());
        self
    }

    /// Whether the web-server flow's token request must carry the client secret
    /// (default true, as for new connected apps); when false, PKCE alone suffices.
    pub fn require_secret_for_web_server_flow(mut self, required: bool) -> Self {
        self.settings.require_secret_for_web_server_flow = required;
        self
    }

    /// The default user's username (tokens handed back by [`RunningOrg`] are theirs).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.settings.username = username.into();
        self
    }

    /// The user the client-credentials flow issues tokens for.
    pub fn integration_username(mut self, username: impl Into<String>) -> Self {
        self.settings.integration_username = username.into();
        self
    }

    /// The password both users accept in the username-password flow.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.settings.password = password.into();
        self
    }

    /// The query page size when a request has no `Sforce-Query-Options: batchSize`
    /// (Salesforce's is 2,000). Any value from 1 up is accepted here, so tests can
    /// page small result sets; the header is still clamped to 200–2,000.
    pub fn default_batch_size(mut self, size: usize) -> Self {
        self.settings.default_batch_size = size.max(1);
        self
    }

    /// How many child rows a parent row carries in a subquery's nested result
    /// (Salesforce's first nested batch is 200) before it says `done: false`
    /// with a `nextRecordsUrl` for the rest; later pages of that URL are this
    /// size too (or the request's `batchSize`). Any value from 1 up.
    pub fn subquery_batch_size(mut self, size: usize) -> Self {
        self.settings.subquery_batch_size = size.max(1);
        self
    }

    /// How long query cursors live and how many a user holds (default
    /// [`QueryCursorLimits::LEGACY`]: 15 minutes idle, 10 per user).
    pub fn query_cursor_limits(mut self, limits: QueryCursorLimits) -> Self {
        self.settings.query_cursors = limits;
        self
    }

    /// How many requests the request log keeps (oldest dropped first; counters
    /// are never dropped).
    pub fn request_log_capacity(mut self, capacity: usize) -> Self {
        self.settings.log_capacity = capacity;
        self
    }

    /// Serves HTTPS with a self-signed certificate made at start
    /// ([`RunningOrg::ca_cert_pem`] returns it for clients to trust).
    pub fn tls(mut self, tls: bool) -> Self {
        self.settings.tls = tls;
        self
    }

    /// The port to listen on (0, the default: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.settings.port = port;
        self
    }

    /// The scope token responses report (default `api refresh_token`).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.settings.scope = scope.into();
        self
    }

    /// How long a Bulk API 2.0 job takes once closed (default 100 ms): half in
    /// `UploadComplete`, half in `InProgress`, so clients must poll.
    pub fn bulk_processing_delay(mut self, delay: Duration) -> Self {
        self.settings.bulk_processing_delay = delay;
        self
    }

    /// Loads the describes, binds 127.0.0.1 and starts serving.
    pub async fn start(self) -> Result<RunningOrg, Error> {
        server::start(self.settings).await
    }
}
