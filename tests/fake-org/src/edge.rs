//! What Salesforce's front door does before a request reaches a resource: the
//! size limits on the URI and headers, and the URL forms it accepts.
//!
//! Every request (top-level, and composite subrequests)
//! is rewritten to the one form the router knows, so no route is declared twice:
//!
//! - trailing and repeated slashes are dropped (`/sobjects/Contact/` is
//!   `/sobjects/Contact`, `/services/data/` is `/services/data`);
//! - the object name of `/sobjects/<X>...` and `/composite/sobjects/<X>...` is
//!   replaced by its canonical API name (`contact` → `Contact`), so handlers,
//!   fault patterns and the request log see one spelling and responses use the
//!   describe's name;
//! - the query string is left as sent: `+` and `%20` both decode to a space.
//!
//! Fault patterns and the request log see the rewritten path.
//!
//! Size limits, as Salesforce documents them ("the maximum combined length of
//! the URI and headers is 16,384 bytes"): a URI over 16,384 bytes is
//! `414 URI Too Long`; a URI and headers together over 16,384 bytes are
//! `431 Request Header Fields Too Large`. Salesforce documents no body for
//! either; what clients report seeing is the front end's (Jetty's) own error
//! page, not a REST error list: `<h1>Bad Message 414</h1><pre>reason: URI Too
//! Long</pre>` (simple-salesforce issue #271, jsforce issue #1134,
//! sfpowerscripts issue #860) and `<h1>Bad Message 431</h1><pre>reason: Request
//! Header Fields Too Large</pre>` (forcedotcom/cli issue #63,
//! SFDX-Data-Move-Utility issue #649). Jetty's `ErrorHandler.badMessageError`
//! sends that body as `text/html;charset=iso-8859-1` and closes the
//! connection, so the org does the same, with no `Sforce-Limit-Info` (the
//! request never reached the API, and is not counted).

use std::borrow::Cow;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::observe::LoggedRequest;
use crate::state::OrgState;

/// Salesforce's limit on the URI, and on the URI and headers together, in bytes.
pub const MAX_REQUEST_HEAD_BYTES: usize = 16_384;

/// The bytes a header block takes on the wire: `name: value\r\n` per header.
fn header_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.as_bytes().len() + 4)
        .sum()
}

/// The length of the request target (`/path?query`).
fn target_len(uri: &Uri) -> usize {
    uri.path_and_query().map_or(0, |p| p.as_str().len())
}

fn too_large(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Bad Message");
    let body = format!(
        "<h1>Bad Message {}</h1><pre>reason: {reason}</pre>",
        status.as_u16()
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html;charset=iso-8859-1"),
            (header::CONNECTION, "close"),
        ],
        body,
    )
        .into_response()
}

/// The `414` or `431` a request's head earns, if any.
fn size_error(request: &Request<Body>) -> Option<Response> {
    let uri = target_len(request.uri());
    if uri > MAX_REQUEST_HEAD_BYTES {
        return Some(too_large(StatusCode::URI_TOO_LONG));
    }
    let head = uri + header_bytes(request.headers());
    (head > MAX_REQUEST_HEAD_BYTES).then(|| too_large(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE))
}

/// `path` in the router's form: no empty segments (trailing or repeated
/// slashes), object names canonical (`lookup` maps a name to its API name).
pub(crate) fn canonical_path<'p>(
    path: &'p str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Cow<'p, str> {
    let mut segments: Vec<Cow<'p, str>> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(Cow::Borrowed)
        .collect();
    let object_at = match segments.as_slice() {
        [s, d, v, rest @ ..] if s == "services" && d == "data" && v.starts_with('v') => {
            match rest {
                [first, _, ..] if first == "sobjects" => Some(4),
                [first, second, _, ..] if first == "composite" && second == "sobjects" => Some(5),
                _ => None,
            }
        }
        _ => None,
    };
    let mut renamed = false;
    if let Some(i) = object_at {
        if let Some(canonical) = segments.get(i).and_then(|name| lookup(name)) {
            if segments[i] != canonical.as_str() {
                segments[i] = Cow::Owned(canonical);
                renamed = true;
            }
        }
    }
    let rebuilt_len: usize = segments.iter().map(|s| s.len() + 1).sum();
    if !renamed && rebuilt_len == path.len() {
        return Cow::Borrowed(path);
    }
    if segments.is_empty() {
        return Cow::Borrowed("/");
    }
    let mut out = String::with_capacity(rebuilt_len);
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    Cow::Owned(out)
}

/// `uri` rewritten as [`canonical_path`] says, keeping its query string; `None`
/// when it is already canonical.
pub(crate) fn canonical_uri(state: &OrgState, uri: &Uri) -> Option<Uri> {
    let lookup = |name: &str| {
        state
            .store
            .with_schema(|s| s.object(name).map(|o| o.name.clone()))
    };
    let path = canonical_path(uri.path(), lookup);
    let Cow::Owned(path) = path else {
        return None;
    };
    let target = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path,
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = target.parse().ok();
    Uri::from_parts(parts).ok()
}

/// Checks a request's size and rewrites its URI to the canonical form; the
/// response to send instead when it is too large (logged like any answer).
pub(crate) fn prepare(state: &OrgState, request: &mut Request<Body>) -> Option<Response> {
    if let Some(response) = size_error(request) {
        let method = request.method().to_string();
        let path = request.uri().path();
        // A URI this long is cut in the log, as a front end's access log would.
        let path: String = path.chars().take(256).collect();
        state.observer.record(LoggedRequest {
            seq: 0,
            route: format!("{method} {path}"),
            method,
            path,
            query: None,
            status: response.status().as_u16(),
            fault: None,
            at: state.clock.now(),
        });
        return Some(response);
    }
    if let Some(uri) = canonical_uri(state, request.uri()) {
        *request.uri_mut() = uri;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Option<String> {
        ["Contact", "Account", "My_Object__c"]
            .into_iter()
            .find(|n| n.eq_ignore_ascii_case(name))
            .map(str::to_owned)
    }

    #[test]
    fn paths_lose_trailing_and_repeated_slashes() {
        for (sent, canonical) in [
            ("/services/data/", "/services/data"),
            ("/services/data/v66.0/", "/services/data/v66.0"),
            (
                "/services/data/v66.0/sobjects/Contact/",
                "/services/data/v66.0/sobjects/Contact",
            ),
            ("/services/data/v66.0//query/", "/services/data/v66.0/query"),
            ("/", "/"),
            ("//", "/"),
        ] {
            assert_eq!(canonical_path(sent, lookup), canonical, "{sent}");
        }
    }

    #[test]
    fn object_names_become_canonical() {
        for (sent, canonical) in [
            (
                "/services/data/v66.0/sobjects/contact/",
                "/services/data/v66.0/sobjects/Contact",
            ),
            (
                "/services/data/v66.0/sobjects/ACCOUNT/describe",
                "/services/data/v66.0/sobjects/Account/describe",
            ),
            (
                "/services/data/v66.0/composite/sobjects/my_object__C/Ext__c",
                "/services/data/v66.0/composite/sobjects/My_Object__c/Ext__c",
            ),
            // Unknown objects stay as sent (the route answers NOT_FOUND).
            (
                "/services/data/v66.0/sobjects/Nope",
                "/services/data/v66.0/sobjects/Nope",
            ),
            // Only the object segment is touched.
            (
                "/services/data/v66.0/sobjects/Contact/contact",
                "/services/data/v66.0/sobjects/Contact/contact",
            ),
        ] {
            assert_eq!(canonical_path(sent, lookup), canonical, "{sent}");
        }
        assert!(matches!(
            canonical_path("/services/data/v66.0/sobjects/Contact", lookup),
            Cow::Borrowed(_)
        ));
    }
}
