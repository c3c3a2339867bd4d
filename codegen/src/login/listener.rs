//! The loopback listener that receives the OAuth redirect on the callback URL.
//!
//! It serves one path (the callback URL's), hands the first callback to the
//! login, and answers the browser with the login's outcome once it is known.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Html;
use sfgen_runtime::{Callback, Url};
use tokio::sync::{mpsc, oneshot};

use super::LoginError;

/// How long the browser's request waits for the login's outcome.
const OUTCOME_WAIT: Duration = Duration::from_secs(120);

/// What the browser is told.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Logged in; the text says as whom.
    Success(String),
    /// The login failed; the text says why.
    Failure(String),
}

/// A received callback and the way to answer the browser that brought it.
#[derive(Debug)]
pub struct Received {
    /// The callback's `code`, `state` or `error`.
    pub callback: Callback,
    reply: oneshot::Sender<Outcome>,
}

impl Received {
    /// Answers the browser.
    pub fn reply(self, outcome: Outcome) {
        // The browser may have gone away; the terminal reports the outcome anyway.
        let _ = self.reply.send(outcome);
    }
}

/// A listener bound to the callback URL's loopback address and port.
#[derive(Debug)]
pub struct Listener {
    received: mpsc::Receiver<Received>,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct Route {
    path: String,
    sender: mpsc::Sender<Received>,
}

/// The loopback address a callback URL names.
fn loopback_addr(callback: &Url) -> Result<SocketAddr, LoginError> {
    let bad = |reason: &str| LoginError::CallbackUrl {
        url: callback.to_string(),
        reason: reason.to_owned(),
    };
    if callback.scheme() != "http" {
        return Err(bad("it must be http:// on this machine (the listener serves plain HTTP on a loopback address)"));
    }
    let ip = match callback.host_str() {
        Some("localhost") | Some("127.0.0.1") => IpAddr::V4(Ipv4Addr::LOCALHOST),
        Some("[::1]") => IpAddr::V6(Ipv6Addr::LOCALHOST),
        _ => return Err(bad("its host must be localhost, 127.0.0.1 or [::1]")),
    };
    let port = callback
        .port_or_known_default()
        .ok_or_else(|| bad("it has no port"))?;
    Ok(SocketAddr::new(ip, port))
}

impl Listener {
    /// Binds the callback URL's address and starts serving its path.
    pub async fn bind(callback: &Url) -> Result<Listener, LoginError> {
        let addr = loopback_addr(callback)?;
        let tcp = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| LoginError::Bind { addr, source })?;
        let (sender, received) = mpsc::channel(1);
        let route = Route {
            path: callback.path().to_owned(),
            sender,
        };
        let app = axum::Router::new().fallback(handle).with_state(route);
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(tcp, app).with_graceful_shutdown(async {
                let _ = stop.await;
            });
            if let Err(e) = serve.await {
                eprintln!("warning: the callback listener stopped: {e}");
            }
        });
        Ok(Listener {
            received,
            shutdown: Some(shutdown),
            task,
        })
    }

    /// Waits for the first callback on the path, at most `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Result<Received, LoginError> {
        match tokio::time::timeout(timeout, self.received.recv()).await {
            Ok(Some(received)) => Ok(received),
            Ok(None) => Err(LoginError::ListenerStopped),
            Err(_) => Err(LoginError::Timeout {
                seconds: timeout.as_secs(),
            }),
        }
    }

    /// Stops serving once the browser has its answer.
    pub async fn close(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        // Graceful shutdown waits for open connections; a browser may hold one open.
        if tokio::time::timeout(Duration::from_secs(2), &mut self.task)
            .await
            .is_err()
        {
            self.task.abort();
        }
    }
}

async fn handle(State(route): State<Route>, uri: Uri) -> (StatusCode, Html<String>) {
    if uri.path() != route.path {
        return (
            StatusCode::NOT_FOUND,
            page(
                "Not found",
                "This is sfgen's login callback; nothing else is served here.",
            ),
        );
    }
    let callback = Callback::from_query(uri.query().unwrap_or_default());
    let (reply, outcome) = oneshot::channel();
    if route.sender.try_send(Received { callback, reply }).is_err() {
        return (
            StatusCode::GONE,
            page(
                "Already handled",
                "This login is already complete; you can close this window.",
            ),
        );
    }
    match tokio::time::timeout(OUTCOME_WAIT, outcome).await {
        Ok(Ok(Outcome::Success(text))) => (StatusCode::OK, page("Logged in", &text)),
        Ok(Ok(Outcome::Failure(text))) => (StatusCode::BAD_REQUEST, page("Login failed", &text)),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            page("Login failed", "sfgen stopped before finishing the login."),
        ),
    }
}

fn page(title: &str, text: &str) -> Html<String> {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>sfgen: {0}</title></head>\
         <body><h1>{0}</h1><p>{1}</p><p>You can close this window and return to the terminal.</p></body></html>",
        escape(title),
        escape(text)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_callbacks_are_served() {
        let ok = |u: &str| loopback_addr(&Url::parse(u).expect("url"));
        assert_eq!(
            ok("http://localhost:1717/OauthRedirect")
                .expect("ok")
                .port(),
            1717
        );
        assert!(ok("http://[::1]:8080/cb").expect("ok").is_ipv6());
        assert!(ok("https://localhost:1717/OauthRedirect").is_err());
        assert!(ok("http://example.com:1717/OauthRedirect").is_err());
    }
}
