//! How a connection logs in: login hosts, connected apps, credentials and tokens.
//!
//! Every way Salesforce offers to obtain a session is a [`Credentials`] variant:
//!
//! | way | variant | renewed on 401 by |
//! |---|---|---|
//! | access token + instance URL (or `SF_ACCESS_TOKEN` / `SF_INSTANCE_URL`) | [`Credentials::AccessToken`] | nothing: a 401 is an error |
//! | Salesforce CLI (`sf org display --json --target-org <alias>`) | [`Credentials::SfCli`] | running the CLI again |
//! | OAuth web server flow ([`WebServerFlow`], PKCE S256) | [`Credentials::Tokens`] | the refresh token |
//! | refresh token | [`Credentials::RefreshToken`] | the refresh token |
//! | JWT bearer (RS256) | [`Credentials::JwtBearer`] | a new assertion |
//! | client credentials (My Domain) | [`Credentials::ClientCredentials`] | a new grant |

mod cli;
mod grant;
mod jwt;
mod session;
mod web_flow;

use std::fmt;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use url::Url;

use crate::error::{Error, Result};

pub use cli::SfCli;
pub use jwt::JwtBearer;
pub(crate) use session::{Session, SessionConfig};
pub use web_flow::{Authorization, Callback, PendingAuthorization, WebServerFlow};

/// Where users log in: production, a sandbox, or the org's My Domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginHost {
    /// `https://login.salesforce.com`.
    Production,
    /// `https://test.salesforce.com`.
    Sandbox,
    /// The org's My Domain login URL (`https://acme.my.salesforce.com`), required for
    /// the client credentials flow; any other login URL (a local fake org) too.
    MyDomain(Url),
}

impl LoginHost {
    /// `production` / `login`, `sandbox` / `test`, or a URL (My Domain).
    pub fn parse(value: &str) -> Result<Self> {
        match value.trim() {
            "production" | "login" => Ok(LoginHost::Production),
            "sandbox" | "test" => Ok(LoginHost::Sandbox),
            url => Url::parse(url).map(LoginHost::MyDomain).map_err(|e| {
                Error::Config(format!(
                    "login host `{url}` is neither production, sandbox nor a URL: {e}"
                ))
            }),
        }
    }

    /// The login host's base URL.
    pub fn url(&self) -> Url {
        match self {
            LoginHost::Production => static_url("https://login.salesforce.com"),
            LoginHost::Sandbox => static_url("https://test.salesforce.com"),
            LoginHost::MyDomain(url) => url.clone(),
        }
    }

    /// The origin (`https://host[:port]`), used as a JWT's audience.
    pub fn origin(&self) -> String {
        self.url().origin().ascii_serialization()
    }

    /// An OAuth endpoint under the login host, e.g. `services/oauth2/token`.
    pub(crate) fn endpoint(&self, path: &str) -> Url {
        join(&self.url(), path)
    }
}

/// A URL spelled out in this file.
fn static_url(url: &'static str) -> Url {
    Url::parse(url).expect("the production and sandbox login URLs are valid URLs")
}

/// `base` joined with an absolute path, keeping `base`'s own path prefix if any.
pub(crate) fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}/{}", path.trim_start_matches('/')));
    url.set_query(None);
    url
}

/// Asks the token endpoint whether the session's refresh token is active; `None`
/// when the session has no refresh token or the app no Consumer Secret.
pub(crate) async fn introspect_refresh_token(session: &Session) -> Option<Result<bool>> {
    let (app, login, refresh_token) = session.refresh_credentials()?;
    app.client_secret.as_ref()?;
    Some(
        grant::introspect(
            session.token_http(),
            &app,
            &login,
            &refresh_token,
            "refresh_token",
        )
        .await,
    )
}

/// The HTTP client for token endpoints: rustls, timeouts, and no redirects (a token
/// request must never be replayed to another host).
pub(crate) fn token_http_client(timeouts: &crate::client::Timeouts) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("sfgen-runtime/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// OAuth scopes; the default is `api refresh_token`.
///
/// Salesforce knows `api`, `refresh_token` (= `offline_access`), `full`, `id`,
/// `profile`, `email`, `address`, `phone`, `openid`, `web`, `chatter_api` and others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes(Vec<String>);

impl Default for Scopes {
    fn default() -> Self {
        Scopes::parse("api refresh_token")
    }
}

impl Scopes {
    /// Scopes from a space-separated list.
    pub fn parse(scopes: &str) -> Self {
        Scopes(scopes.split_whitespace().map(str::to_owned).collect())
    }

    /// The scopes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

/// A connected app: its Consumer Key (client id), Consumer Secret (client secret)
/// and callback URL (redirect URI).
#[derive(Clone)]
pub struct OAuthApp {
    /// The Consumer Key (client id).
    pub client_id: String,
    /// The Consumer Secret (client secret); PKCE-only apps have none.
    pub client_secret: Option<SecretString>,
    /// The callback URL registered on the connected app, for the web server flow.
    pub redirect_uri: Option<Url>,
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[REDACTED]"),
            )
            .field("redirect_uri", &self.redirect_uri.as_ref().map(Url::as_str))
            .finish()
    }
}

impl OAuthApp {
    /// A connected app by its Consumer Key (client id).
    pub fn new(consumer_key: impl Into<String>) -> Self {
        OAuthApp {
            client_id: consumer_key.into(),
            client_secret: None,
            redirect_uri: None,
        }
    }

    /// With its Consumer Secret (client secret).
    pub fn with_secret(mut self, consumer_secret: impl Into<String>) -> Self {
        self.client_secret = Some(SecretString::from(consumer_secret.into()));
        self
    }

    /// With its callback URL.
    pub fn with_redirect_uri(mut self, redirect_uri: Url) -> Self {
        self.redirect_uri = Some(redirect_uri);
        self
    }

    /// From `SALESFORCE_CLIENT_ID` (required), `SALESFORCE_CLIENT_SECRET` and
    /// `SALESFORCE_REDIRECT_URI` (optional).
    pub fn from_env() -> Result<Self> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`OAuthApp::from_env`], reading variables through `var`.
    pub fn from_env_with(var: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let client_id = var("SALESFORCE_CLIENT_ID").filter(|v| !v.is_empty()).ok_or_else(|| {
            Error::Config("SALESFORCE_CLIENT_ID is not set: set it to the connected app's Consumer Key (client id)".into())
        })?;
        let mut app = OAuthApp::new(client_id);
        app.client_secret = var("SALESFORCE_CLIENT_SECRET")
            .filter(|v| !v.is_empty())
            .map(SecretString::from);
        if let Some(uri) = var("SALESFORCE_REDIRECT_URI").filter(|v| !v.is_empty()) {
            let url = Url::parse(&uri).map_err(|e| {
                Error::Config(format!("SALESFORCE_REDIRECT_URI `{uri}` is not a URL: {e}"))
            })?;
            app.redirect_uri = Some(url);
        }
        Ok(app)
    }
}

/// What a token endpoint handed out: Salesforce's token responses have no
/// `expires_in`, so `issued_at` is kept and a 401 tells when the session ended.
#[derive(Debug, Clone)]
pub struct TokenSet {
    /// The access token (session id).
    pub access_token: SecretString,
    /// The refresh token, for grants that issue one.
    pub refresh_token: Option<SecretString>,
    /// The org's instance URL, where API calls go.
    pub instance_url: Url,
    /// When Salesforce issued the token (`issued_at`), or when it was received.
    pub issued_at: DateTime<Utc>,
    /// The identity URL (`id`), `https://login…/id/<org id>/<user id>`.
    pub identity_url: Option<String>,
    /// The granted scopes.
    pub scope: Option<String>,
}

/// How a connection obtains and renews its session.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// A session id and the instance it belongs to; cannot be renewed.
    AccessToken {
        /// The org's instance URL.
        instance_url: Url,
        /// The access token (session id).
        access_token: SecretString,
    },
    /// An org the Salesforce CLI is logged in to.
    SfCli(SfCli),
    /// A refresh token: the connection logs in with it and renews with it.
    RefreshToken {
        /// The connected app that issued the token.
        app: OAuthApp,
        /// Where to refresh.
        login: LoginHost,
        /// The refresh token.
        refresh_token: SecretString,
    },
    /// Tokens already obtained (a web server flow callback, a token store); renewed
    /// with the refresh token when there is one.
    Tokens {
        /// The connected app that issued the tokens.
        app: OAuthApp,
        /// Where to refresh.
        login: LoginHost,
        /// The tokens.
        tokens: TokenSet,
    },
    /// The OAuth 2.0 JWT bearer flow (server to server, a certificate on the app).
    JwtBearer(JwtBearer),
    /// The OAuth 2.0 client credentials flow, against the org's My Domain.
    ClientCredentials {
        /// The connected app, with its Consumer Secret (client secret).
        app: OAuthApp,
        /// The org's My Domain URL.
        my_domain: LoginHost,
    },
}

impl Credentials {
    /// An access token for an instance.
    pub fn access_token(instance_url: Url, access_token: impl Into<String>) -> Self {
        Credentials::AccessToken {
            instance_url,
            access_token: SecretString::from(access_token.into()),
        }
    }

    /// From `SF_ACCESS_TOKEN` and `SF_INSTANCE_URL`.
    pub fn from_env() -> Result<Self> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`Credentials::from_env`], reading variables through `var`.
    pub fn from_env_with(var: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let token = var("SF_ACCESS_TOKEN")
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Error::Config("SF_ACCESS_TOKEN is not set".into()))?;
        let instance = var("SF_INSTANCE_URL")
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Error::Config("SF_INSTANCE_URL is not set".into()))?;
        let instance_url = Url::parse(&instance).map_err(|e| {
            Error::Config(format!("SF_INSTANCE_URL `{instance}` is not a URL: {e}"))
        })?;
        Ok(Credentials::AccessToken {
            instance_url,
            access_token: SecretString::from(token),
        })
    }

    /// A refresh token issued by `app`.
    pub fn refresh_token(
        app: OAuthApp,
        login: LoginHost,
        refresh_token: impl Into<String>,
    ) -> Self {
        Credentials::RefreshToken {
            app,
            login,
            refresh_token: SecretString::from(refresh_token.into()),
        }
    }

    /// The client credentials flow against a My Domain.
    pub fn client_credentials(app: OAuthApp, my_domain: LoginHost) -> Self {
        Credentials::ClientCredentials { app, my_domain }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_hosts_parse_and_give_endpoints() {
        assert_eq!(
            LoginHost::parse("production").expect("known"),
            LoginHost::Production
        );
        assert_eq!(LoginHost::parse("test").expect("known"), LoginHost::Sandbox);
        let my = LoginHost::parse("https://acme.my.salesforce.com").expect("a URL");
        assert_eq!(my.origin(), "https://acme.my.salesforce.com");
        assert_eq!(
            LoginHost::Sandbox
                .endpoint("/services/oauth2/token")
                .as_str(),
            "https://test.salesforce.com/services/oauth2/token"
        );
        assert!(LoginHost::parse("not a url").is_err());
    }

    #[test]
    fn env_settings_are_read_and_secrets_not_shown() {
        let vars = |name: &str| match name {
            "SALESFORCE_CLIENT_ID" => Some("3MVG9-key".to_owned()),
            "SALESFORCE_CLIENT_SECRET" => Some("s3cr3t-value".to_owned()),
            "SALESFORCE_REDIRECT_URI" => Some("http://localhost:8080/callback".to_owned()),
            "SF_ACCESS_TOKEN" => Some("00D!token-value".to_owned()),
            "SF_INSTANCE_URL" => Some("https://acme.my.salesforce.com".to_owned()),
            _ => None,
        };
        let app = OAuthApp::from_env_with(vars).expect("all set");
        assert_eq!(app.client_id, "3MVG9-key");
        let creds = Credentials::from_env_with(vars).expect("all set");
        let shown = format!("{app:?} {creds:?}");
        assert!(
            !shown.contains("s3cr3t-value") && !shown.contains("token-value"),
            "{shown}"
        );
        let missing = OAuthApp::from_env_with(|_| None).expect_err("no client id");
        assert!(
            missing.to_string().contains("Consumer Key (client id)"),
            "{missing}"
        );
    }

    #[test]
    fn scopes_default_to_api_and_refresh_token() {
        assert_eq!(Scopes::default().to_string(), "api refresh_token");
        assert_eq!(
            Scopes::parse(" api  id openid ").iter().collect::<Vec<_>>(),
            ["api", "id", "openid"]
        );
    }
}
