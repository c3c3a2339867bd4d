//! Starting the org and [`RunningOrg`], the handle tests hold.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde::Serialize;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::api::{self, query::Cursors};
use crate::auth::{JwtVerifier, Sessions};
use crate::clock::Clock;
use crate::config::{Settings, DEFAULT_SCHEMAS_DIR};
use crate::faults::{Fault, FaultId, Faults};
use crate::ids::SfId;
use crate::middleware::ConnKill;
use crate::observe::{Counters, LoggedRequest, Observer};
use crate::pattern::RoutePattern;
use crate::schema::{self, Schema};
use crate::state::{ApiUsage, AppState, Identity, OrgState, OrgUser};
use crate::store::{Store, UserSeed};
use crate::{edge, tls, Error};

/// What a client needs to connect: the JSON line the binary prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectionInfo {
    /// Base URL of the REST API (`http://127.0.0.1:<port>`).
    pub instance_url: String,
    /// Base URL of the OAuth endpoints (the same server).
    pub login_url: String,
    /// A live access token of the default user.
    pub access_token: String,
    /// A refresh token of the default user.
    pub refresh_token: String,
    /// The connected app's consumer key.
    pub client_id: String,
    /// The connected app's consumer secret.
    pub client_secret: String,
    /// The default user's username.
    pub username: String,
    /// With `--tls`: the PEM of the CA that signed the server certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_cert_pem: Option<String>,
}

/// A running org. Dropping it (or [`RunningOrg::shutdown`]) stops the server.
pub struct RunningOrg {
    state: AppState,
    info: ConnectionInfo,
    shutdown: Option<watch::Sender<bool>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for RunningOrg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningOrg")
            .field("instance_url", &self.info.instance_url)
            .finish_non_exhaustive()
    }
}

fn load_schema(settings: &Settings, clock: &Clock) -> Result<Schema, Error> {
    let mut describes = match (&settings.schemas_dir, settings.describes.is_empty()) {
        (Some(dir), _) => schema::load_dir(dir)?,
        (None, true) => schema::load_dir(Path::new(DEFAULT_SCHEMAS_DIR))?,
        (None, false) => Vec::new(),
    };
    for describe in &settings.describes {
        let name = describe
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        describes.retain(|(_, d)| {
            !d.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        });
        describes.push((format!("describe of {name}"), describe.clone()));
    }
    Schema::from_describes(describes, clock.now())
}

fn users(settings: &Settings) -> Vec<OrgUser> {
    [
        (&settings.username, "Admin"),
        (&settings.integration_username, "Integration"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (username, first))| OrgUser {
        id: SfId::mint(*b"005", i as u64),
        username: username.clone(),
        first_name: first.to_owned(),
        last_name: "User".to_owned(),
        email: if username.contains('@') {
            username.clone()
        } else {
            format!("{username}@fake-org.example")
        },
    })
    .collect()
}

/// Builds the state, binds, and starts serving.
pub(crate) async fn start(settings: Settings) -> Result<RunningOrg, Error> {
    let clock = Clock::default();
    let schema = load_schema(&settings, &clock)?;
    let jwt = settings
        .jwt_certificate
        .as_deref()
        .map(JwtVerifier::from_pem)
        .transpose()?;
    let addr = format!("127.0.0.1:{}", settings.port);
    let listener = TcpListener::bind(&addr)
        .await
        .map_err(|source| Error::Bind {
            addr: addr.clone(),
            source,
        })?;
    let port = listener
        .local_addr()
        .map_err(|source| Error::Bind { addr, source })?
        .port();
    let tls = if settings.tls {
        Some(tls::self_signed()?)
    } else {
        None
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let base_url = format!("{scheme}://127.0.0.1:{port}");
    let org_users = users(&settings);
    let seeds: Vec<UserSeed> = org_users
        .iter()
        .map(|u| UserSeed {
            username: u.username.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email: u.email.clone(),
        })
        .collect();
    let org_id = SfId::mint(*b"00D", 0);
    let sessions = Sessions::new(
        &org_id.as_str()[..15],
        settings.session_idle,
        settings.rotate_refresh_tokens,
    );
    let now = clock.now_ms();
    let refresh_token = sessions.issue_refresh(0, &settings.client_id, &settings.scope, now);
    let access_token = sessions.issue_access(
        0,
        &settings.client_id,
        &settings.scope,
        Some(&refresh_token),
        now,
    );
    let info = ConnectionInfo {
        instance_url: base_url.clone(),
        login_url: base_url.clone(),
        access_token,
        refresh_token,
        client_id: settings.client_id.clone(),
        client_secret: settings.client_secret.clone(),
        username: settings.username.clone(),
        ca_cert_pem: tls.as_ref().map(|t| t.ca_cert_pem.clone()),
    };
    let state: AppState = Arc::new(OrgState {
        identity: Identity {
            instance_url: base_url.clone(),
            login_url: base_url,
            org_id,
            users: org_users,
        },
        store: Store::new(schema, clock.clone(), &seeds),
        clock,
        sessions,
        usage: ApiUsage::new(settings.daily_api_limit),
        faults: Faults::default(),
        observer: Observer::new(settings.log_capacity),
        cursors: Cursors::default(),
        jwt,
        settings,
    });
    let router = api::router(state.clone());
    let (shutdown, watcher) = watch::channel(false);
    let task = tokio::spawn(serve(
        listener,
        router,
        state.clone(),
        tls.map(|t| t.acceptor),
        watcher,
    ));
    Ok(RunningOrg {
        state,
        info,
        shutdown: Some(shutdown),
        task: Some(task),
    })
}

/// Accepts connections until shut down.
async fn serve(
    listener: TcpListener,
    router: Router,
    state: AppState,
    tls: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.changed() => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors or similar: back off briefly.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let router = router.clone();
        let state = state.clone();
        let tls = tls.clone();
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        serve_connection(stream, router, state, shutdown).await;
                    }
                }
                None => serve_connection(stream, router, state, shutdown).await,
            }
        });
    }
}

/// Headers hyper parses per HTTP/1 request: well above what fits in
/// Salesforce's 16 KiB head limit, so an oversized head gets the org's `431`
/// body rather than hyper's empty one.
const MAX_HEADERS: usize = 2048;

/// Serves one connection until it ends, the org stops, or a fault drops it.
/// Each request first goes through [`edge::prepare`] (size limits, canonical URL).
async fn serve_connection<IO>(
    io: IO,
    router: Router,
    state: AppState,
    mut shutdown: watch::Receiver<bool>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let handle = ConnKill(kill.clone());
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut request = request.map(axum::body::Body::new);
        request.extensions_mut().insert(handle.clone());
        let rejected = edge::prepare(&state, &mut request);
        let router = router.clone();
        async move {
            match rejected {
                Some(response) => Ok(response),
                None => router.oneshot(request).await,
            }
        }
    });
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder.http1().max_headers(MAX_HEADERS);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::select! {
        _ = connection => {}
        _ = kill.notified() => {}
        _ = shutdown.changed() => {}
    }
}

impl RunningOrg {
    /// The connection details (what the binary prints).
    pub fn connection_info(&self) -> &ConnectionInfo {
        &self.info
    }

    /// Base URL of the REST API, e.g. `http://127.0.0.1:41234`.
    pub fn instance_url(&self) -> &str {
        &self.info.instance_url
    }

    /// Base URL of the OAuth endpoints (the same server).
    pub fn login_url(&self) -> &str {
        &self.info.login_url
    }

    /// A live access token of the default user.
    pub fn access_token(&self) -> &str {
        &self.info.access_token
    }

    /// A refresh token of the default user.
    pub fn refresh_token(&self) -> &str {
        &self.info.refresh_token
    }

    /// The connected app's consumer key.
    pub fn client_id(&self) -> &str {
        &self.info.client_id
    }

    /// The connected app's consumer secret.
    pub fn client_secret(&self) -> &str {
        &self.info.client_secret
    }

    /// The default user's username.
    pub fn username(&self) -> &str {
        &self.info.username
    }

    /// The integration user's username (client-credentials flow).
    pub fn integration_username(&self) -> &str {
        &self.state.settings.integration_username
    }

    /// The password of the username-password flow.
    pub fn password(&self) -> &str {
        &self.state.settings.password
    }

    /// The org id (18 characters).
    pub fn org_id(&self) -> String {
        self.state.identity.org_id.to_string()
    }

    /// The default user's id (18 characters).
    pub fn user_id(&self) -> String {
        self.state
            .identity
            .users
            .first()
            .map(|u| u.id.to_string())
            .unwrap_or_default()
    }

    /// The newest API version served, e.g. `"66.0"`.
    pub fn api_version(&self) -> &str {
        self.state.latest_version()
    }

    /// `<instance_url>/services/data/v<newest version>`.
    pub fn data_url(&self) -> String {
        format!(
            "{}/services/data/v{}",
            self.info.instance_url,
            self.api_version()
        )
    }

    /// With TLS: the PEM of the CA clients must trust.
    pub fn ca_cert_pem(&self) -> Option<&str> {
        self.info.ca_cert_pem.as_deref()
    }

    /// The record store (insert, get, bulk load, schema changes; no HTTP).
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// Injects `fault` into requests matching `pattern` (see [`RoutePattern`]).
    pub fn fault(&self, pattern: impl Into<RoutePattern>, fault: Fault) -> FaultId {
        self.state.faults.add(pattern.into(), fault)
    }

    /// Removes one fault.
    pub fn remove_fault(&self, id: FaultId) {
        self.state.faults.remove(id);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// The request log, oldest first.
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        self.state.observer.log()
    }

    /// Counters since start (or the last [`RunningOrg::reset_counters`]).
    pub fn counters(&self) -> Counters {
        self.state.observer.counters()
    }

    /// How many logged requests match `pattern`, e.g. `org.calls("GET */query*")`.
    pub fn calls(&self, pattern: impl Into<RoutePattern>) -> usize {
        self.state.observer.count_matching(&pattern.into())
    }

    /// Empties the request log and resets the counters.
    pub fn reset_counters(&self) {
        self.state.observer.clear();
    }

    /// `(used, max)` of the daily API allocation.
    pub fn api_usage(&self) -> (u64, u64) {
        self.state.usage.get()
    }

    /// Sets how much of the daily allocation is spent.
    pub fn set_api_usage(&self, used: u64) {
        self.state.usage.set_used(used);
    }

    /// Sets the daily allocation.
    pub fn set_api_limit(&self, max: u64) {
        self.state.usage.set_max(max);
    }

    /// Expires every access token now (refresh tokens stay valid).
    pub fn expire_all_sessions(&self) {
        self.state.sessions.expire_all();
    }

    /// Moves the org's clock forward (session idle timeouts, JWT `exp`,
    /// authorization-code lifetime and record timestamps follow it).
    pub fn advance_clock(&self, by: Duration) {
        self.state.clock.advance(by);
    }

    /// Issues a new access token for the default user (no refresh token).
    pub fn issue_access_token(&self) -> String {
        let s = &self.state.settings;
        self.state
            .sessions
            .issue_access(0, &s.client_id, &s.scope, None, self.state.clock.now_ms())
    }

    /// Adds a field (a describe field entry) to an object; its describe's
    /// `Last-Modified` moves to now.
    pub fn add_field(&self, object: &str, field: Value) -> Result<(), Error> {
        self.state.store.add_field(object, field)
    }

    /// Replaces (or adds) an object's describe; its `Last-Modified` moves to now.
    pub fn replace_describe(&self, describe: Value) -> Result<(), Error> {
        self.state.store.replace_describe(describe)
    }

    /// Open query cursors (for tests of cursor bookkeeping).
    pub fn open_query_cursors(&self) -> usize {
        self.state.cursors.open_count()
    }

    /// Stops the server and waits for its accept loop to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningOrg {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
    }
}
