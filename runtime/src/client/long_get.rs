//! Requests over Salesforce's URI-and-headers limit.
//!
//! Salesforce refuses a request whose URI and headers together pass 16,384
//! bytes (414 URI Too Long, 431 Request Header Fields Too Large). A `GET` that
//! long — a query or a retrieve naming several hundred fields — is sent instead
//! as the one subrequest of a Composite request, whose URL travels in the body,
//! and its subresponse is unwrapped into an ordinary response. Other methods
//! fail before sending with [`Error::RequestTooLarge`].

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::{decode_json, Error};

/// Salesforce's limit on the request line's URI plus all headers, in bytes.
pub const MAX_URI_AND_HEADERS: usize = 16_384;

/// Headers the HTTP client adds after this count is taken (`host`,
/// `user-agent`, `accept-encoding`, `content-length`), with room to spare.
const ADDED_HEADERS_ALLOWANCE: usize = 256;

/// The bytes a request's URI and headers take on the wire, as Salesforce counts
/// them (the request line's target, every `name: value`), plus an allowance for
/// the headers the HTTP client adds.
pub(crate) fn uri_and_headers(request: &reqwest::Request) -> usize {
    let url = request.url();
    let target = url.path().len() + url.query().map_or(0, |q| q.len() + 1);
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + 2 + value.len() + 2)
        .sum();
    target + headers + ADDED_HEADERS_ALLOWANCE
}

/// Whether a request of this size must not be sent as it is.
pub(crate) fn is_too_long(bytes: usize) -> bool {
    bytes > MAX_URI_AND_HEADERS
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CompositeRequest<'a> {
    all_or_none: bool,
    composite_request: [Subrequest<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Subrequest<'a> {
    method: &'static str,
    url: String,
    reference_id: &'static str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    http_headers: BTreeMap<&'a str, &'a str>,
}

/// The Composite body that carries `request` (a `GET`) as its one subrequest:
/// its path and query, and the headers it carries beyond the client's own
/// (`Sforce-Query-Options` and the like).
pub(crate) fn composite_body(request: &reqwest::Request, own_headers: &HeaderMap) -> Vec<u8> {
    let url = request.url();
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let http_headers: BTreeMap<&str, &str> = own_headers
        .iter()
        .filter(|(name, _)| *name != CONTENT_TYPE)
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    let body = CompositeRequest {
        all_or_none: false,
        composite_request: [Subrequest {
            method: "GET",
            url: target,
            reference_id: "long_get",
            http_headers,
        }],
    };
    // A struct of strings always serializes.
    serde_json::to_vec(&body).unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompositeResponse {
    composite_response: Vec<Subresponse>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subresponse {
    body: Option<Box<RawValue>>,
    http_status_code: u16,
}

/// The status and body of the one subresponse in a Composite response, as if
/// the `GET` had been sent on its own; the body's bytes are the subresponse's
/// exactly (numbers keep every digit).
pub(crate) fn unwrap_subresponse(body: &[u8]) -> Result<(u16, bytes::Bytes), Error> {
    let decoded: CompositeResponse = decode_json(body)?;
    let Some(sub) = decoded.composite_response.into_iter().next() else {
        return Err(Error::Decode {
            path: "compositeResponse".into(),
            message: "no subresponse for the long GET".into(),
            excerpt: None,
        });
    };
    let bytes = sub
        .body
        .map(|raw| bytes::Bytes::from(raw.get().to_owned()))
        .unwrap_or_default();
    Ok((sub.http_status_code, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subresponse_body_comes_back_byte_for_byte() {
        let body = br#"{"compositeResponse":[{"body":{"totalSize":1,"done":true,"records":[{"Amount":9999999999999999.99}]},"httpHeaders":{},"httpStatusCode":200,"referenceId":"long_get"}]}"#;
        let (status, inner) = unwrap_subresponse(body).expect("unwraps");
        assert_eq!(status, 200);
        assert_eq!(
            &inner[..],
            br#"{"totalSize":1,"done":true,"records":[{"Amount":9999999999999999.99}]}"#
        );
    }

    #[test]
    fn an_empty_composite_response_is_an_error() {
        let err = unwrap_subresponse(br#"{"compositeResponse":[]}"#).expect_err("fails");
        assert!(err.to_string().contains("no subresponse"), "{err}");
    }
}
