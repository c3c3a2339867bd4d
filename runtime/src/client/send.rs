//! The one path every call takes: limits, token, renewal on 401, retries, usage figures.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use secrecy::ExposeSecret;
use tracing::Instrument;

use super::long_get;
use super::request::{Body, Request, Response, StreamedResponse};
use super::Client;
use crate::auth::join;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{ApiUsage, Budget, InFlight};
use crate::retry::{is_concurrency_limit, is_transient_error, is_transient_status};
use crate::transport::{read_capped, TooLarge};

/// The header Salesforce reports the org's API usage in.
const LIMIT_INFO: &str = "sforce-limit-info";

/// How a success response's body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// Whole, inside the attempt (a failure while reading is retried).
    Whole,
    /// Handed over unread, to be consumed chunk by chunk.
    Streamed,
}

/// A success response, its body read or not.
enum Received {
    Whole(Response),
    Streamed(StreamedResponse),
}

/// What to do after a failed attempt.
enum Next {
    /// Renew the session, then send again.
    Renew(Error),
    /// Wait, then send again (if the request is idempotent and the budget allows).
    Retry {
        error: Error,
        after: Option<Duration>,
    },
    /// Give up with this error.
    Fail(Error),
}

impl Client {
    /// Sends a request through the connection's full path and returns a success
    /// response (2xx or 304), or the error Salesforce answered with.
    ///
    /// - waits for a free in-flight slot and for the rate limits;
    /// - sends the access token (a sensitive header, never logged);
    /// - on 401, renews the session once (a single renewal for all concurrent
    ///   callers) and sends again; a second 401 is [`Error::Session`];
    /// - on 403 `REQUEST_LIMIT_EXCEEDED` for the daily total, stops with
    ///   [`Error::RateLimited`] (no retry, no renewal); other 403s are errors, never
    ///   a reason to renew;
    /// - retries 5xx, 503 `SERVER_UNAVAILABLE`, `UNABLE_TO_LOCK_ROW`, concurrency
    ///   limits and connection failures with exponential backoff and jitter, within
    ///   the [`RetryPolicy`](crate::RetryPolicy) — only when the request is
    ///   idempotent;
    /// - records `Sforce-Limit-Info` from every response ([`Client::api_usage`]).
    pub async fn send(&self, request: Request) -> Result<Response> {
        match self.send_reading(request, Read::Whole).await? {
            Received::Whole(response) => Ok(response),
            // Not produced for `Read::Whole`; read it rather than fail.
            Received::Streamed(streamed) => streamed.into_response().await,
        }
    }

    /// Like [`Client::send`], but a success response's body is left unread, to
    /// be consumed a chunk at a time (Bulk query result pages), so memory holds
    /// a chunk rather than the page. Error responses are read and classified
    /// as in `send`; a failure while streaming the body is not retried.
    pub(crate) async fn send_streamed(&self, request: Request) -> Result<StreamedResponse> {
        match self.send_reading(request, Read::Streamed).await? {
            Received::Streamed(streamed) => Ok(streamed),
            Received::Whole(response) => Ok(StreamedResponse::from_whole(response)),
        }
    }

    async fn send_reading(&self, request: Request, read: Read) -> Result<Received> {
        let started = Instant::now();
        let policy = self.inner.retry;
        let mut sends = 0u32;
        let mut retries = 0u32;
        let mut renewed = false;
        loop {
            let session = &self.inner.session;
            if session.is_due() {
                session.renew(session.snapshot().generation).await?;
            }
            let generation = session.snapshot().generation;
            sends += 1;
            let next = match self.attempt(&request, sends, read).await {
                Ok(response) => return Ok(response),
                Err(next) => next,
            };
            match next {
                Next::Renew(error) => {
                    if renewed || !session.can_renew() {
                        return Err(match error {
                            Error::Api { message, .. } => Error::Session {
                                refreshed: renewed,
                                message,
                            },
                            other => other,
                        });
                    }
                    renewed = true;
                    tracing::debug!(method = %request.method, path = %request.path, "401: renewing the session");
                    session.renew(generation).await?;
                }
                Next::Retry { error, after } => {
                    let delay = after
                        .unwrap_or_else(|| policy.delay(retries + 1))
                        .min(policy.max_delay);
                    let in_budget = retries + 1 < policy.max_attempts
                        && started.elapsed() + delay <= policy.max_elapsed;
                    if !request.idempotent || !in_budget {
                        return Err(error);
                    }
                    retries += 1;
                    tracing::warn!(
                        method = %request.method,
                        path = %request.path,
                        retry = retries,
                        delay_ms = delay.as_millis() as u64,
                        error = %error,
                        "transient failure, retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
                Next::Fail(error) => return Err(error),
            }
        }
    }

    /// One attempt: build, send, read the body (unless streamed), classify.
    async fn attempt(&self, request: &Request, sends: u32, read: Read) -> Result<Received, Next> {
        let snapshot = self.inner.session.snapshot();
        let url = join(
            &snapshot.instance_url,
            &request.full_path(&self.inner.api_version),
        );
        let mut bearer =
            HeaderValue::from_str(&format!("Bearer {}", snapshot.access_token.expose_secret()))
                .map_err(|_| {
                    Next::Fail(Error::Config(
                        "the access token is not a valid header value".into(),
                    ))
                })?;
        bearer.set_sensitive(true);
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .headers(request.headers.clone())
            .header(AUTHORIZATION, bearer.clone())
            .header(ACCEPT, "application/json");
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        builder = match &request.body {
            Some(Body::Json(bytes)) => builder
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Some(Body::Raw {
                content_type,
                bytes,
            }) => builder
                .header(CONTENT_TYPE, content_type)
                .body(bytes.clone()),
            None => builder,
        };
        let transport = |source| Next::Retry {
            error: Error::Transport {
                attempts: sends,
                source,
            },
            after: None,
        };
        let http_request = builder.build().map_err(|source| {
            Next::Fail(Error::Transport {
                attempts: sends,
                source,
            })
        })?;
        let size = long_get::uri_and_headers(&http_request);
        let (http_request, read, via_composite) = if !long_get::is_too_long(size) {
            (http_request, read, false)
        } else if request.method == reqwest::Method::GET && request.body.is_none() {
            let composite = join(
                &snapshot.instance_url,
                &format!("/services/data/v{}/composite", self.inner.api_version),
            );
            let wrapped = self
                .inner
                .http
                .post(composite)
                .header(AUTHORIZATION, bearer)
                .header(ACCEPT, "application/json")
                .header(CONTENT_TYPE, "application/json")
                .body(long_get::composite_body(&http_request, &request.headers))
                .build()
                .map_err(|source| {
                    Next::Fail(Error::Transport {
                        attempts: sends,
                        source,
                    })
                })?;
            tracing::debug!(bytes = size, "long GET sent as a Composite subrequest");
            (wrapped, Read::Whole, true)
        } else {
            return Err(Next::Fail(Error::RequestTooLarge {
                method: request.method.to_string(),
                path: request.path.clone(),
                bytes: size,
                limit: long_get::MAX_URI_AND_HEADERS,
            }));
        };

        let span =
            tracing::debug_span!("salesforce", method = %request.method, path = %request.path);
        let (status, headers, body) = async {
            match self.inner.limits.budget(self.api_usage()) {
                Budget::Go => {}
                Budget::Wait(pause) => tokio::time::sleep(pause).await,
                Budget::Stop {
                    usage,
                    share_percent,
                } => {
                    return Err(Next::Fail(Error::ApiBudgetSpent {
                        usage,
                        share_percent,
                    }))
                }
            }
            let in_flight = self.inner.limiter.acquire().await;
            let response = self
                .inner
                .http
                .execute(http_request)
                .await
                .map_err(transport)?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            if let Some(usage) = headers
                .get(LIMIT_INFO)
                .and_then(|v| v.to_str().ok())
                .and_then(ApiUsage::from_header)
            {
                self.record_usage(usage);
            }
            let success = status < 300 || status == 304;
            if success && read == Read::Streamed {
                tracing::debug!(status, "response, body streamed");
                return Ok((status, headers, ReadBody::Unread(response, in_flight)));
            }
            let body = match read_capped(response, self.inner.max_body_bytes).await {
                Ok(body) => body,
                Err(TooLarge::Transport(source)) => return Err(transport(source)),
                Err(TooLarge::Over { limit }) => {
                    return Err(Next::Fail(Error::BodyTooLarge {
                        method: request.method.to_string(),
                        path: request.path.clone(),
                        limit,
                    }))
                }
            };
            tracing::debug!(status, bytes = body.len(), "response");
            Ok((status, headers, ReadBody::Whole(body)))
        }
        .instrument(span)
        .await?;
        let body = match body {
            ReadBody::Unread(response, in_flight) => {
                return Ok(Received::Streamed(StreamedResponse::new(
                    status, headers, response, in_flight,
                )))
            }
            ReadBody::Whole(body) => body,
        };
        let (status, body) = if via_composite && status < 300 {
            long_get::unwrap_subresponse(&body).map_err(Next::Fail)?
        } else {
            (status, body)
        };
        if status < 300 || status == 304 {
            return Ok(Received::Whole(Response {
                status,
                headers,
                body,
            }));
        }
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Err(self.classify(status, Error::from_body(status, &body), retry_after))
    }

    fn classify(&self, status: u16, error: Error, retry_after: Option<Duration>) -> Next {
        let (code, message) = match &error {
            Error::Api { code, message, .. } => (code.clone(), message.clone()),
            _ => return Next::Fail(error),
        };
        match (status, &code) {
            (401, _) => Next::Renew(error),
            (403, ErrorCode::RequestLimitExceeded) if !is_concurrency_limit(&message) => {
                Next::Fail(Error::RateLimited {
                    usage: self.api_usage(),
                    message,
                })
            }
            _ if is_transient_status(status) || is_transient_error(&code, &message) => {
                Next::Retry {
                    error,
                    after: retry_after,
                }
            }
            _ => Next::Fail(error),
        }
    }
}

/// A body as an attempt leaves it: read, or still on the wire with the
/// in-flight slot it holds until it has been read.
enum ReadBody {
    Whole(bytes::Bytes),
    Unread(reqwest::Response, InFlight),
}
