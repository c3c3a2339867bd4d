//! `sfgen login`: the OAuth 2.0 web server flow with PKCE, through a loopback
//! callback listener, saving the connection under an alias.
//!
//! 1. bind the callback URL's loopback port (`listener`), so the redirect
//!    cannot arrive before anyone listens;
//! 2. print the authorization URL (and open a browser when one is available);
//! 3. on the callback, check `state` and exchange the code with the PKCE
//!    verifier (the runtime's [`WebServerFlow`]);
//! 4. ask who logged in, save the tokens in the encrypted token store and the
//!    public details in `orgs.json` ([`store`]);
//! 5. tell the browser the outcome.

mod listener;
pub mod store;

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use sfgen_runtime::secrecy::SecretString;
use sfgen_runtime::{
    Client, ConnectionId, LoginHost, OAuthApp, Scopes, StoredToken, TokenStore, Url, WebServerFlow,
};

use listener::Listener;
pub use listener::Outcome;
use store::{Home, OrgEntry, StoreError};

/// The callback URL of the Salesforce CLI's connected app, and sfgen's default.
pub const DEFAULT_CALLBACK_URL: &str = "http://localhost:1717/OauthRedirect";

/// The Salesforce CLI's public connected app (PKCE, no secret), sfgen's default
/// Consumer Key; it accepts [`DEFAULT_CALLBACK_URL`].
pub const DEFAULT_CLIENT_ID: &str = "PlatformCLI";

/// What can go wrong logging in.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// The callback URL cannot be served here.
    #[error("the callback URL `{url}` cannot be served by sfgen: {reason}")]
    CallbackUrl {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The callback port is taken.
    #[error(
        "cannot listen on {addr} for the OAuth callback: {source}. Another program (another login, \
         `sf org login web`?) may hold the port: stop it, or pass --callback-url with a free port that \
         is registered as a callback URL on the connected app"
    )]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Nobody completed the login in time.
    #[error("no callback arrived within {seconds} s: open the printed URL in a browser and log in (or raise --timeout)")]
    Timeout {
        /// The timeout.
        seconds: u64,
    },
    /// The listener stopped before a callback arrived.
    #[error("the callback listener stopped before the login finished")]
    ListenerStopped,
    /// The flow failed (refused authorization, state mismatch, code exchange).
    #[error("the login failed: {0}")]
    Flow(Box<sfgen_runtime::Error>),
    /// The connection could not be saved.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The authorization URL could not be printed.
    #[error("cannot print the authorization URL: {0}")]
    Print(std::io::Error),
}

impl From<sfgen_runtime::Error> for LoginError {
    fn from(error: sfgen_runtime::Error) -> Self {
        LoginError::Flow(Box::new(error))
    }
}

/// How to log in.
#[derive(Debug, Clone)]
pub struct LoginOptions {
    /// Production, sandbox or My Domain.
    pub login: LoginHost,
    /// The connected app's Consumer Key.
    pub client_id: String,
    /// The connected app's Consumer Secret, if it has one.
    pub client_secret: Option<SecretString>,
    /// The callback URL, exactly as registered on the connected app.
    pub callback_url: Url,
    /// The alias to save the connection under (default: the username).
    pub alias: Option<String>,
    /// OAuth scopes.
    pub scopes: Scopes,
    /// Whether to try opening a browser.
    pub open_browser: bool,
    /// How long to wait for the callback.
    pub timeout: Duration,
}

/// A saved login.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    /// The alias it is saved under.
    pub alias: String,
    /// Its public details.
    pub entry: OrgEntry,
}

/// Runs the web server flow and saves the connection in `home`. The
/// authorization URL is written to `out` (one line starting with `http`).
pub async fn login(
    options: LoginOptions,
    home: &Home,
    out: &mut dyn Write,
) -> Result<LoggedIn, LoginError> {
    let mut app =
        OAuthApp::new(options.client_id.clone()).with_redirect_uri(options.callback_url.clone());
    app.client_secret = options.client_secret.clone();
    let flow = WebServerFlow::new(app, options.login.clone())?.scopes(options.scopes.clone());
    let mut listener = Listener::bind(&options.callback_url).await?;
    let authorization = flow.authorize();
    let url = authorization.url.to_string();
    writeln!(
        out,
        "Log in to Salesforce in a browser at this URL (sfgen waits on {}):",
        options.callback_url
    )
    .and_then(|()| writeln!(out, "{url}"))
    .and_then(|()| out.flush())
    .map_err(LoginError::Print)?;
    if options.open_browser {
        open_browser(&url);
    }
    let received = listener.next(options.timeout).await?;
    let result = finish(
        &flow,
        &authorization.pending,
        &received.callback,
        &options,
        home,
    )
    .await;
    let outcome = match &result {
        Ok(done) => Outcome::Success(format!(
            "sfgen is logged in as {} and saved the connection as `{}`.",
            done.entry.username.as_deref().unwrap_or("the user"),
            done.alias
        )),
        Err(e) => Outcome::Failure(e.to_string()),
    };
    received.reply(outcome);
    listener.close().await;
    result
}

async fn finish(
    flow: &WebServerFlow,
    pending: &sfgen_runtime::PendingAuthorization,
    callback: &sfgen_runtime::Callback,
    options: &LoginOptions,
    home: &Home,
) -> Result<LoggedIn, LoginError> {
    let tokens = flow.finish(pending, callback).await?;
    let client = Client::connect(flow.credentials(tokens.clone())).await?;
    let identity = crate::connect::identity(&client).await;
    let alias = options
        .alias
        .clone()
        .or_else(|| identity.username.clone())
        .or_else(|| identity.user_id.clone())
        .unwrap_or_else(|| "default".to_owned());
    let entry = OrgEntry {
        instance_url: tokens.instance_url.to_string(),
        login_url: options.login.url().to_string(),
        client_id: options.client_id.clone(),
        has_client_secret: options.client_secret.is_some(),
        org_id: identity.org_id,
        user_id: identity.user_id,
        username: identity.username,
    };
    let store = home.token_store(true)?;
    store
        .save(
            &ConnectionId::new(alias.clone()),
            &StoredToken::from_tokens(&tokens),
        )
        .await
        .map_err(StoreError::from)?;
    home.save_org(&alias, &entry, options.client_secret.as_ref())
        .await?;
    Ok(LoggedIn { alias, entry })
}

/// Opens `url` with `open` (macOS) or `xdg-open` when one is on `PATH`; a
/// missing or failing opener is not an error (the URL is printed).
fn open_browser(url: &str) {
    let Some(path) = std::env::var_os("PATH") else {
        return;
    };
    let opener = ["open", "xdg-open"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file());
    if let Some(opener) = opener {
        let _ = std::process::Command::new(opener)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
}
