//! The outermost layer: fault injection, `Sforce-Limit-Info`, the request log.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use tokio::sync::Notify;

use crate::faults::FaultKind;
use crate::ids::SfId;
use crate::observe::LoggedRequest;
use crate::state::AppState;

/// Closes the connection a request came on (set per connection by the server).
#[derive(Debug, Clone)]
pub(crate) struct ConnKill(pub Arc<Notify>);

/// The record id a path names, for the `UNABLE_TO_LOCK_ROW` message.
fn id_in_path(path: &str) -> String {
    path.rsplit('/')
        .find_map(SfId::parse)
        .map_or_else(|| SfId::mint(*b"001", 0).to_string(), |id| id.to_string())
}

fn fault_response(kind: &FaultKind, path: &str) -> Response {
    match kind {
        FaultKind::ServerUnavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!([{ "message": "Server temporarily unavailable.", "errorCode": "SERVER_UNAVAILABLE" }])),
        )
            .into_response(),
        _ => {
            let message = format!(
                "unable to obtain exclusive access to this record or 1 records: {}",
                id_in_path(path)
            );
            (
                StatusCode::BAD_REQUEST,
                Json(json!([{ "message": message, "errorCode": "UNABLE_TO_LOCK_ROW", "fields": [] }])),
            )
                .into_response()
        }
    }
}

/// Sends the first half of the body with the full `Content-Length`, then fails
/// the stream so the server closes the connection.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(bytes.len().max(1)),
    );
    let head = futures::stream::iter([Ok::<Bytes, std::io::Error>(half)]);
    let cut = futures::stream::once(async {
        // Let the server flush the head and the first half before the connection closes.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "body truncated by fault injection",
        ))
    });
    Response::from_parts(
        parts,
        Body::from_stream(futures::StreamExt::chain(head, cut)),
    )
}

/// Applies faults, adds `Sforce-Limit-Info: api-usage=N/M` and logs the request.
pub(crate) async fn observe(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(path.as_str(), MatchedPath::as_str);
    let route = format!("{method} {route}");
    let at = state.clock.now();
    let decision = state.faults.decide(&method, &path);
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    let mut fault = (!decision.delay.is_zero()).then(|| "latency".to_owned());
    let kill = request.extensions().get::<ConnKill>().cloned();
    let log = |status: u16, fault: Option<String>| {
        state.observer.record(LoggedRequest {
            seq: 0,
            method: method.clone(),
            path: path.clone(),
            query: query.clone(),
            route: route.clone(),
            status,
            fault,
            at,
        });
    };
    let mut response = match decision.fault {
        None | Some(FaultKind::Latency(_)) => next.run(request).await,
        Some(kind) => {
            fault = Some(kind.name().to_owned());
            match kind {
                FaultKind::DropConnection => {
                    if let Some(ConnKill(notify)) = kill {
                        log(0, fault.clone());
                        notify.notify_one();
                        // The server drops this connection, and this future with it.
                        std::future::pending::<()>().await;
                    }
                    truncate(StatusCode::OK.into_response()).await
                }
                FaultKind::TruncateBody => truncate(next.run(request).await).await,
                other => fault_response(&other, &path),
            }
        }
    };
    let (used, max) = state.usage.get();
    if let Ok(value) = HeaderValue::from_str(&format!("api-usage={used}/{max}")) {
        response.headers_mut().insert("sforce-limit-info", value);
    }
    log(response.status().as_u16(), fault);
    response
}
