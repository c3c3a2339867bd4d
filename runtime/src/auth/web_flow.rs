//! The OAuth 2.0 web server flow with PKCE (S256) and a `state` checked in constant time.

use std::fmt;

use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, ClientId, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use url::Url;

use super::{grant, Credentials, LoginHost, OAuthApp, Scopes, TokenSet};
use crate::error::{Error, Result};
use crate::transport::require_https;

/// The authorization endpoint, relative to the login host.
const AUTHORIZE_PATH: &str = "services/oauth2/authorize";

/// The web server flow for one connected app and login host.
///
/// 1. [`WebServerFlow::authorize`] gives the URL to send the user to, and a
///    [`PendingAuthorization`] (state + PKCE verifier) to keep in the user's
///    session until the callback;
/// 2. on the callback, [`Callback::from_url`] reads `code` and `state`, and
///    [`WebServerFlow::finish`] checks the state and exchanges the code;
/// 3. [`WebServerFlow::credentials`] turns the tokens into [`Credentials`].
#[derive(Debug, Clone)]
pub struct WebServerFlow {
    app: OAuthApp,
    redirect_uri: Url,
    login: LoginHost,
    scopes: Scopes,
    prompt: Option<String>,
    http: reqwest::Client,
}

/// Where to send the user, and what to keep until the callback.
#[derive(Debug)]
pub struct Authorization {
    /// The authorization URL (with `state`, `code_challenge`, `code_challenge_method=S256`).
    pub url: Url,
    /// The secrets the callback is checked and exchanged with.
    pub pending: PendingAuthorization,
}

/// The random `state` and the PKCE code verifier of one authorization.
#[derive(Clone)]
pub struct PendingAuthorization {
    state: SecretString,
    verifier: SecretString,
}

impl fmt::Debug for PendingAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PendingAuthorization([REDACTED])")
    }
}

impl PendingAuthorization {
    /// Rebuilds a pending authorization kept in a user's session.
    pub fn from_parts(state: SecretString, pkce_verifier: SecretString) -> Self {
        PendingAuthorization {
            state,
            verifier: pkce_verifier,
        }
    }

    /// The `state` sent in the authorization URL.
    pub fn state(&self) -> &SecretString {
        &self.state
    }

    /// The PKCE code verifier.
    pub fn pkce_verifier(&self) -> &SecretString {
        &self.verifier
    }
}

/// The query of the redirect to the callback URL.
#[derive(Clone, Default)]
pub struct Callback {
    code: Option<SecretString>,
    state: Option<SecretString>,
    error: Option<String>,
    error_description: Option<String>,
}

impl fmt::Debug for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callback")
            .field("code", &self.code.as_ref().map(|_| "[REDACTED]"))
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .finish()
    }
}

impl Callback {
    /// Reads `code`, `state`, `error` and `error_description` from a query string.
    pub fn from_query(query: &str) -> Self {
        let mut callback = Callback::default();
        for (key, value) in url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            match &*key {
                "code" => callback.code = Some(SecretString::from(value.into_owned())),
                "state" => callback.state = Some(SecretString::from(value.into_owned())),
                "error" => callback.error = Some(value.into_owned()),
                "error_description" => callback.error_description = Some(value.into_owned()),
                _ => {}
            }
        }
        callback
    }

    /// Reads the callback from the full URL the browser was redirected to.
    pub fn from_url(url: &Url) -> Self {
        Self::from_query(url.query().unwrap_or_default())
    }
}

impl WebServerFlow {
    /// The flow for `app`, which must have a redirect URI (its callback URL).
    pub fn new(app: OAuthApp, login: LoginHost) -> Result<Self> {
        let redirect_uri = app.redirect_uri.clone().ok_or_else(|| {
            Error::Config(
                "the web server flow needs the connected app's callback URL (redirect URI): set \
                 SALESFORCE_REDIRECT_URI or OAuthApp::with_redirect_uri"
                    .into(),
            )
        })?;
        // The browser carries the authorization code to the callback URL, and the
        // token request carries it with the PKCE verifier to the login host.
        require_https(&redirect_uri, "callback URL (redirect URI)")?;
        require_https(&login.url(), "login URL")?;
        Ok(WebServerFlow {
            app,
            redirect_uri,
            login,
            scopes: Scopes::default(),
            prompt: None,
            http: super::token_http_client(&crate::client::Timeouts::default())?,
        })
    }

    /// Requests these scopes (default `api refresh_token`).
    pub fn scopes(mut self, scopes: Scopes) -> Self {
        self.scopes = scopes;
        self
    }

    /// Adds `prompt` (e.g. `login consent`) to the authorization URL.
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.prompt = Some(prompt.into());
        self
    }

    /// Sends token requests through this HTTP client (it must not follow redirects).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// A fresh authorization: a random `state` and a PKCE S256 challenge.
    pub fn authorize(&self) -> Authorization {
        let client = BasicClient::new(ClientId::new(self.app.client_id.clone()))
            .set_auth_uri(AuthUrl::from_url(self.login.endpoint(AUTHORIZE_PATH)))
            .set_redirect_uri(RedirectUrl::from_url(self.redirect_uri.clone()));
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(self.scopes.iter().map(|s| Scope::new(s.to_owned())))
            .set_pkce_challenge(challenge);
        if let Some(prompt) = &self.prompt {
            request = request.add_extra_param("prompt", prompt.clone());
        }
        let (url, state) = request.url();
        Authorization {
            url,
            pending: PendingAuthorization {
                state: SecretString::from(state.secret().to_owned()),
                verifier: SecretString::from(verifier.secret().to_owned()),
            },
        }
    }

    /// Checks the callback's `state` against the pending one (in constant time),
    /// then exchanges the code with the PKCE verifier.
    pub async fn finish(
        &self,
        pending: &PendingAuthorization,
        callback: &Callback,
    ) -> Result<TokenSet> {
        if let Some(error) = &callback.error {
            return Err(Error::oauth(error, callback.error_description.as_deref()));
        }
        let returned = callback
            .state
            .as_ref()
            .map(|s| s.expose_secret().as_bytes())
            .unwrap_or_default();
        let expected = pending.state.expose_secret().as_bytes();
        if !bool::from(expected.ct_eq(returned)) {
            return Err(Error::Config(
                "the callback's `state` does not match the authorization's: the callback was not \
                 started by this authorization (possible CSRF), so its code is not exchanged"
                    .into(),
            ));
        }
        let code = callback
            .code
            .as_ref()
            .ok_or_else(|| Error::Config("the callback has no authorization `code`".into()))?;
        grant::exchange_code(
            &self.http,
            &self.app,
            &self.login,
            code.expose_secret(),
            &pending.verifier,
        )
        .await
    }

    /// Credentials for a connection from the tokens [`WebServerFlow::finish`] returned.
    pub fn credentials(&self, tokens: TokenSet) -> Credentials {
        Credentials::Tokens {
            app: self.app.clone(),
            login: self.login.clone(),
            tokens,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow() -> WebServerFlow {
        let app = OAuthApp::new("key")
            .with_redirect_uri(Url::parse("http://localhost:8080/cb").expect("url"));
        WebServerFlow::new(app, LoginHost::Sandbox).expect("has a redirect URI")
    }

    #[test]
    fn the_authorization_url_carries_pkce_and_state() {
        let auth = flow().authorize();
        let query: std::collections::HashMap<_, _> = auth.url.query_pairs().into_owned().collect();
        assert_eq!(
            auth.url.as_str().split('?').next(),
            Some("https://test.salesforce.com/services/oauth2/authorize")
        );
        assert_eq!(query.get("response_type").map(String::as_str), Some("code"));
        assert_eq!(query.get("client_id").map(String::as_str), Some("key"));
        assert_eq!(
            query.get("code_challenge_method").map(String::as_str),
            Some("S256")
        );
        assert_eq!(
            query.get("scope").map(String::as_str),
            Some("api refresh_token")
        );
        assert_eq!(
            query.get("state").map(String::as_str),
            Some(auth.pending.state().expose_secret())
        );
        assert!(query.get("code_challenge").is_some_and(|c| c.len() >= 43));
        let other = flow().authorize();
        assert_ne!(
            other.pending.state().expose_secret(),
            auth.pending.state().expose_secret()
        );
    }

    #[tokio::test]
    async fn a_callback_with_another_state_is_refused_before_any_exchange() {
        let f = flow();
        let auth = f.authorize();
        let forged = Callback::from_query("code=abc&state=forged");
        let err = f
            .finish(&auth.pending, &forged)
            .await
            .expect_err("state mismatch");
        assert!(err.to_string().contains("does not match"), "{err}");
        let missing = Callback::from_query("code=abc");
        assert!(f.finish(&auth.pending, &missing).await.is_err());
        let denied = Callback::from_query(
            "error=access_denied&error_description=end-user+denied+authorization",
        );
        let err = f.finish(&auth.pending, &denied).await.expect_err("denied");
        assert_eq!(err.oauth_code().map(|c| c.as_str()), Some("access_denied"));
    }
}
