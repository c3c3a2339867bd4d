//! `/composite` (up to 25 subrequests, `@{ref.field}` references, `allOrNone`)
//! and `/composite/batch` (up to 25 independent subrequests).
//!
//! Subrequests run through the same data routes as top-level requests (with the
//! caller's identity, without a second session check or API-usage count).

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Method, Request};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};
use tower::ServiceExt;

use super::{body, subrequest_router};
use crate::auth::{ApiVersion, Caller};
use crate::sferror::{ApiError, ErrorCode, SfError};
use crate::state::{AppState, OrgState};
use crate::store::Journal;

/// Subrequests per composite or batch request.
const MAX_SUBREQUESTS: usize = 25;

fn too_many() -> ApiError {
    ApiError::one(SfError::new(
        ErrorCode::LimitExceeded,
        format!("Exceeded max limit of subrequests allowed: {MAX_SUBREQUESTS}"),
    ))
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError::one(SfError::new(ErrorCode::JsonParserError, message))
}

/// A subrequest's answer.
struct Answer {
    status: u16,
    headers: Map<String, Value>,
    body: Value,
}

impl Answer {
    fn error(status: u16, code: ErrorCode, message: &str) -> Answer {
        Answer {
            status,
            headers: Map::new(),
            body: json!([SfError::new(code, message).to_json()]),
        }
    }
}

/// A subrequest URL in the canonical form top-level requests are rewritten to
/// (trailing slashes dropped, object names canonical).
fn canonical_url(state: &OrgState, url: &str) -> String {
    match url.parse::<axum::http::Uri>() {
        Ok(uri) => crate::edge::canonical_uri(state, &uri)
            .map_or_else(|| url.to_owned(), |u| u.to_string()),
        Err(_) => url.to_owned(),
    }
}

/// Runs one subrequest through the data routes (`router`: [`subrequest_router`]).
async fn dispatch(
    router: &axum::Router,
    caller: Caller,
    journal: Option<&Journal>,
    method: &str,
    url: &str,
    body: Option<&str>,
    headers: &Map<String, Value>,
) -> Answer {
    let Ok(method) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) else {
        return Answer::error(
            400,
            ErrorCode::MethodNotAllowed,
            "HTTP method not supported",
        );
    };
    let path = match url.find("/services/data/") {
        Some(i) => url[i..].to_owned(),
        None => format!("/services/data/{}", url.trim_start_matches('/')),
    };
    let payload = body.unwrap_or_default().to_owned();
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        if let (Ok(n), Some(Ok(v))) = (
            HeaderName::from_bytes(name.as_bytes()),
            value.as_str().map(HeaderValue::from_str),
        ) {
            builder = builder.header(n, v);
        }
    }
    let Ok(mut request) = builder.body(Body::from(payload)) else {
        return Answer::error(
            400,
            ErrorCode::NotFound,
            "The requested resource does not exist",
        );
    };
    request.extensions_mut().insert(caller);
    if let Some(journal) = journal {
        request.extensions_mut().insert(journal.clone());
    }
    let Ok(response) = router.clone().oneshot(request).await;
    let status = response.status().as_u16();
    let mut answer_headers = Map::new();
    if let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    {
        answer_headers.insert("Location".into(), json!(location));
    }
    // Conditional-request headers travel back as Salesforce's subresponses carry them.
    for (name, key) in [
        (header::LAST_MODIFIED, "Last-Modified"),
        (header::ETAG, "ETag"),
    ] {
        if let Some(value) = response.headers().get(name).and_then(|v| v.to_str().ok()) {
            answer_headers.insert(key.into(), json!(value));
        }
    }
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    };
    Answer {
        status,
        headers: answer_headers,
        body,
    }
}

/// Follows `field`, `field[0]`, `a.b[1].c` into a JSON value.
fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut current = value;
    for segment in path.split('.') {
        let (name, indexes) = segment
            .split_once('[')
            .map_or((segment, ""), |(n, rest)| (n, rest));
        if !name.is_empty() {
            current = current.get(name)?;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let n: usize = index.trim_end_matches(']').parse().ok()?;
            current = current.get(n)?;
        }
    }
    Some(current)
}

/// Replaces every `@{ref.path}` in `text` (escaping for JSON when `in_json`).
fn resolve(text: &str, results: &HashMap<String, Value>, in_json: bool) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("@{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let reference = &after[..end];
        let (id, path) = reference.split_once('.').unwrap_or((reference, ""));
        let value = results.get(id).and_then(|body| {
            if path.is_empty() {
                Some(body)
            } else {
                lookup(body, path)
            }
        });
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return Err(format!(
                "Invalid reference specified. No value for {reference} found in {id}. Provided referenceId ('{id}') must be the referenceId of a previous successful subrequest."
            ));
        };
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if in_json {
            let quoted = Value::String(text).to_string();
            out.push_str(&quoted[1..quoted.len() - 1]);
        } else {
            out.push_str(&text);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

struct Subrequest {
    method: String,
    url: String,
    reference_id: String,
    /// The body's JSON text as the request wrote it (a `Value` would round
    /// exact decimals such as `9999999999999999.99`).
    body: Option<String>,
    headers: Map<String, Value>,
}

/// The JSON text of each subrequest's `body_key`, read from the request bytes.
fn raw_bodies(bytes: &[u8], list_key: &str, body_key: &str) -> Vec<Option<String>> {
    type Raw<'a> = HashMap<String, &'a serde_json::value::RawValue>;
    let text = String::from_utf8_lossy(bytes);
    let Ok(top) = serde_json::from_str::<Raw<'_>>(&text) else {
        return Vec::new();
    };
    let Some(list) = top.get(list_key) else {
        return Vec::new();
    };
    let Ok(items) = serde_json::from_str::<Vec<Raw<'_>>>(list.get()) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            item.get(body_key)
                .map(|b| b.get())
                .filter(|b| *b != "null")
                .map(str::to_owned)
        })
        .collect()
}

fn parse_subrequests(
    list: &[Value],
    raw: &[Option<String>],
    url_key: &str,
    body_key: &str,
) -> Result<Vec<Subrequest>, ApiError> {
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_owned);
            Ok(Subrequest {
                method: text("method")
                    .ok_or_else(|| bad_request(format!("subrequest {i}: method is required")))?,
                url: text(url_key)
                    .ok_or_else(|| bad_request(format!("subrequest {i}: {url_key} is required")))?,
                reference_id: text("referenceId").unwrap_or_default(),
                body: match raw.get(i) {
                    Some(text) => text.clone(),
                    None => item
                        .get(body_key)
                        .filter(|b| !b.is_null())
                        .map(Value::to_string),
                },
                headers: item
                    .get("httpHeaders")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default(),
            })
        })
        .collect()
}

fn halted() -> Value {
    json!([SfError::new(
        ErrorCode::ProcessingHalted,
        "The transaction was rolled back since another operation in the same transaction failed."
    )
    .to_json()])
}

/// `POST /composite`: `{"allOrNone", "compositeRequest": [{method, url, referenceId, body}]}`
/// → `{"compositeResponse": [{body, httpHeaders, httpStatusCode, referenceId}]}`.
pub async fn composite(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(ApiVersion(_)): Extension<ApiVersion>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request = body::parse(&bytes)?;
    let all_or_none = request
        .get("allOrNone")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let list = request
        .get("compositeRequest")
        .and_then(Value::as_array)
        .ok_or_else(|| bad_request("compositeRequest is required"))?;
    if list.len() > MAX_SUBREQUESTS {
        return Err(too_many());
    }
    let raw = raw_bodies(&bytes, "compositeRequest", "body");
    let subrequests = parse_subrequests(list, &raw, "url", "body")?;
    let router = subrequest_router(state.clone());
    let journal = state.store.journal();
    let mut results: HashMap<String, Value> = HashMap::new();
    let mut answers: Vec<(String, Answer)> = Vec::with_capacity(subrequests.len());
    let mut failed = false;
    for sub in &subrequests {
        if failed && all_or_none {
            answers.push((
                sub.reference_id.clone(),
                Answer {
                    status: 400,
                    headers: Map::new(),
                    body: halted(),
                },
            ));
            continue;
        }
        let url = resolve(&sub.url, &results, false);
        let body = sub.body.as_ref().map(|b| resolve(b, &results, true));
        let answer = match (url, body.transpose()) {
            (Ok(url), Ok(body)) => {
                let body =
                    body.filter(|b| serde_json::from_str::<serde::de::IgnoredAny>(b).is_ok());
                dispatch(
                    &router,
                    caller,
                    Some(&journal),
                    &sub.method,
                    &canonical_url(&state, &url),
                    body.as_deref(),
                    &sub.headers,
                )
                .await
            }
            (Err(message), _) | (_, Err(message)) => {
                Answer::error(400, ErrorCode::ProcessingHalted, &message)
            }
        };
        if answer.status >= 400 {
            failed = true;
        } else {
            results.insert(sub.reference_id.clone(), answer.body.clone());
        }
        answers.push((sub.reference_id.clone(), answer));
    }
    if failed && all_or_none {
        state.store.rollback(&journal);
        for (_, answer) in answers.iter_mut().filter(|(_, a)| a.status < 400) {
            *answer = Answer {
                status: 400,
                headers: Map::new(),
                body: halted(),
            };
        }
    }
    let composite_response: Vec<Value> = answers
        .into_iter()
        .map(|(reference_id, a)| {
            json!({
                "body": a.body,
                "httpHeaders": a.headers,
                "httpStatusCode": a.status,
                "referenceId": reference_id,
            })
        })
        .collect();
    Ok(Json(json!({ "compositeResponse": composite_response })))
}

/// `POST /composite/batch`: `{"haltOnError", "batchRequests": [{method, url, richInput}]}`
/// → `{"hasErrors", "results": [{statusCode, result}]}`.
pub async fn batch(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request = body::parse(&bytes)?;
    let halt_on_error = request
        .get("haltOnError")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let list = request
        .get("batchRequests")
        .and_then(Value::as_array)
        .ok_or_else(|| bad_request("batchRequests is required"))?;
    if list.len() > MAX_SUBREQUESTS {
        return Err(too_many());
    }
    let raw = raw_bodies(&bytes, "batchRequests", "richInput");
    let subrequests = parse_subrequests(list, &raw, "url", "richInput")?;
    let router = subrequest_router(state.clone());
    let mut has_errors = false;
    let mut out = Vec::with_capacity(subrequests.len());
    for sub in &subrequests {
        if has_errors && halt_on_error {
            let halted = SfError::new(
                ErrorCode::BatchProcessingHalted,
                "Batch processing halted per request",
            );
            out.push(json!({ "statusCode": 412, "result": [halted.to_json()] }));
            continue;
        }
        let answer = dispatch(
            &router,
            caller,
            None,
            &sub.method,
            &canonical_url(&state, &sub.url),
            sub.body.as_deref(),
            &sub.headers,
        )
        .await;
        has_errors |= answer.status >= 400;
        out.push(json!({ "statusCode": answer.status, "result": answer.body }));
    }
    Ok(Json(json!({ "hasErrors": has_errors, "results": out })))
}
