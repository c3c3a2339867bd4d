//! The low-level request and response that every call goes through.

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{decode_json, Error, Result};
use crate::limits::InFlight;

/// Characters percent-encoded in one path segment (a record id, an external id value).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'|')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// A path from segments, each percent-encoded, e.g. `sobjects/Account/Ext__c/a%2Fb`.
pub(crate) fn path(segments: &[&str]) -> String {
    segments
        .iter()
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// Serialized JSON (`Content-Type: application/json`).
    Json(Bytes),
    /// Any other content (CSV for Bulk API 2.0, say).
    Raw {
        /// The `Content-Type`.
        content_type: HeaderValue,
        /// The bytes.
        bytes: Bytes,
    },
}

/// One REST call, sent with [`Client::send`](crate::Client::send).
///
/// This is the documented low-level path that higher layers (composite, bulk,
/// the unified CRM layer) build on: it carries the access token, honours the
/// client-side limits, renews the session once on 401, records
/// `Sforce-Limit-Info`, and retries transient failures when the request is
/// marked idempotent.
///
/// The path is relative to `/services/data/vXX.X/` (`"sobjects/Account"`,
/// `"jobs/ingest"`), or absolute on the instance when it starts with
/// `/services/` (a `nextRecordsUrl`, `/services/apexrest/...`).
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Body>,
    pub(crate) idempotent: bool,
}

impl Request {
    /// A request; `GET`, `HEAD`, `PUT` and `DELETE` are idempotent, `POST` and
    /// `PATCH` are not unless [`Request::idempotent`] says so.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            idempotent,
        }
    }

    /// A `GET`.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A `POST`.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A `PATCH`.
    pub fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::PATCH, path)
    }

    /// A `PUT`.
    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    /// A `DELETE`.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Adds a query parameter (encoded when sent).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sets a header. `Authorization` is set by the client and cannot be overridden.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        if name != reqwest::header::AUTHORIZATION {
            self.headers.insert(name, value);
        }
        self
    }

    /// A JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Encode(e.to_string()))?;
        self.body = Some(Body::Json(Bytes::from(bytes)));
        Ok(self)
    }

    /// A body of another content type.
    pub fn body(mut self, content_type: HeaderValue, bytes: impl Into<Bytes>) -> Self {
        self.body = Some(Body::Raw {
            content_type,
            bytes: bytes.into(),
        });
        self
    }

    /// Whether the request may be sent again after a transient failure: true for
    /// reads, deletes, `PATCH` by id and upserts by external id; never for creates.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the request is retried on transient failures.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The path on the instance, `/services/...`.
    pub(crate) fn full_path(&self, api_version: &str) -> String {
        if self.path.starts_with("/services/") {
            self.path.clone()
        } else {
            format!(
                "/services/data/v{api_version}/{}",
                self.path.trim_start_matches('/')
            )
        }
    }
}

/// A response with a success status (2xx, or 304 Not Modified).
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Response {
    /// A response from its parts: for code that takes a [`Response`] (a test
    /// double, a recorded reply), decoded by [`Response::json`] exactly as
    /// [`Client::send`](crate::Client::send)'s are.
    pub fn new(status: u16, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        Response {
            status,
            headers,
            body: body.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body, owned.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The body decoded from JSON; a failure names the JSON path and shows an excerpt.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode_json(&self.body)
    }
}

/// A success response whose body is read a chunk at a time (from
/// `Client::send_streamed`); it keeps its in-flight slot until dropped.
pub(crate) struct StreamedResponse {
    status: u16,
    headers: HeaderMap,
    body: Chunks,
    _in_flight: Option<InFlight>,
}

/// Where the chunks come from.
enum Chunks {
    /// Still on the wire.
    Wire(reqwest::Response),
    /// Already read, handed out in order.
    Read(std::collections::VecDeque<Bytes>),
}

impl std::fmt::Debug for StreamedResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamedResponse")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl StreamedResponse {
    pub(crate) fn new(
        status: u16,
        headers: HeaderMap,
        response: reqwest::Response,
        in_flight: InFlight,
    ) -> Self {
        StreamedResponse {
            status,
            headers,
            body: Chunks::Wire(response),
            _in_flight: Some(in_flight),
        }
    }

    /// A response already read, served as one chunk.
    pub(crate) fn from_whole(response: Response) -> Self {
        StreamedResponse {
            status: response.status,
            headers: response.headers,
            body: Chunks::Read([response.body].into()),
            _in_flight: None,
        }
    }

    /// A 200 response with these headers whose body arrives in these chunks.
    #[cfg(test)]
    pub(crate) fn from_chunks(headers: HeaderMap, chunks: Vec<Bytes>) -> Self {
        StreamedResponse {
            status: 200,
            headers,
            body: Chunks::Read(chunks.into()),
            _in_flight: None,
        }
    }

    /// The response headers.
    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The next chunk of the body, `None` at its end. A connection failure
    /// midway is [`Error::Transport`] (not retried: rows may have been read).
    pub(crate) async fn chunk(&mut self) -> Result<Option<Bytes>> {
        match &mut self.body {
            Chunks::Wire(response) => response.chunk().await.map_err(|source| Error::Transport {
                attempts: 1,
                source,
            }),
            Chunks::Read(chunks) => Ok(chunks.pop_front()),
        }
    }

    /// The whole body read into a [`Response`].
    pub(crate) async fn into_response(mut self) -> Result<Response> {
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status: self.status,
            headers: std::mem::take(&mut self.headers),
            body: Bytes::from(body),
        })
    }
}

/// Checks that `name` can only be an API name (object or field), so it cannot
/// change a request path.
pub(crate) fn api_name(name: &str) -> crate::Result<&str> {
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if valid {
        Ok(name)
    } else {
        Err(crate::Error::Config(format!(
            "`{name}` is not a Salesforce API name (letters, digits and underscores)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_under_the_api_version_or_stay_absolute() {
        assert_eq!(
            Request::get("sobjects/Account").full_path("66.0"),
            "/services/data/v66.0/sobjects/Account"
        );
        assert_eq!(
            Request::get("/query/01gD-200").full_path("66.0"),
            "/services/data/v66.0/query/01gD-200"
        );
        assert_eq!(
            Request::get("/services/data/v66.0/query/01gD-200").full_path("66.0"),
            "/services/data/v66.0/query/01gD-200"
        );
    }

    #[test]
    fn segments_are_encoded_so_values_cannot_change_the_path() {
        assert_eq!(
            path(&["sobjects", "Account", "Ext__c", "a/b?c#d e"]),
            "sobjects/Account/Ext__c/a%2Fb%3Fc%23d%20e"
        );
        assert_eq!(
            path(&["sobjects", "Account", "..%2F"]),
            "sobjects/Account/..%252F"
        );
    }

    #[test]
    fn idempotency_follows_the_method_unless_set() {
        assert!(Request::get("x").is_idempotent());
        assert!(Request::delete("x").is_idempotent());
        assert!(!Request::post("x").is_idempotent());
        assert!(!Request::patch("x").is_idempotent());
        assert!(Request::patch("x").idempotent(true).is_idempotent());
        let r = Request::get("x").header(
            reqwest::header::AUTHORIZATION,
            HeaderValue::from_static("Bearer forged"),
        );
        assert!(r.headers.get(reqwest::header::AUTHORIZATION).is_none());
    }
}
