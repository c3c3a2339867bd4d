//! Every recorded Salesforce response decodes, or fails with a clear error.
//!
//! The recordings live in `../shared/salesforce-recordings/responses/` (see its
//! SOURCES.md). Each file is classified by its shape and read by the decoder the
//! runtime uses for that shape.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sfgen_runtime::{parse_error_body, Error, ErrorCode, QueryPage};

fn recordings() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/salesforce-recordings/responses")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the recordings directory is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// What a recording is, by its shape.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    ErrorBody,
    OAuthError,
    QueryPage,
    SaveResults,
    MultipleChoices,
    Composite,
    Token,
    Other,
}

fn shape(value: &Value) -> Shape {
    let first = match value {
        Value::Array(items) => items.first(),
        _ => Some(value),
    };
    match (value, first) {
        (Value::Array(_), Some(Value::String(_))) => Shape::MultipleChoices,
        (_, Some(item)) if item.get("errorCode").is_some() => Shape::ErrorBody,
        (_, Some(item)) if item.get("success").is_some() && item.get("errors").is_some() => {
            Shape::SaveResults
        }
        (Value::Object(o), _) if o.contains_key("error") => Shape::OAuthError,
        (Value::Object(o), _)
            if o.contains_key("totalSize")
                && o.contains_key("done")
                && o.contains_key("records") =>
        {
            Shape::QueryPage
        }
        (Value::Object(o), _) if o.contains_key("compositeResponse") => Shape::Composite,
        (Value::Object(o), _) if o.contains_key("access_token") => Shape::Token,
        _ => Shape::Other,
    }
}

fn check_error_body(name: &str, status: u16, body: &[u8]) {
    let details = parse_error_body(body);
    assert!(
        !details.is_empty(),
        "{name}: no error found in an error body"
    );
    for d in &details {
        assert!(
            !d.code.as_str().is_empty() && !d.message.is_empty(),
            "{name}: {d:?}"
        );
    }
    let error = Error::from_response_body(status, body);
    let text = error.to_string();
    assert!(
        text.contains(details[0].code.as_str()),
        "{name}: `{text}` does not name the code"
    );
}

#[test]
fn every_recorded_response_decodes_or_fails_clearly() {
    let mut paths = Vec::new();
    files(&recordings(), &mut paths);
    paths.sort();
    assert!(
        paths.len() >= 60,
        "expected the shared recordings, found {} files",
        paths.len()
    );
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for path in &paths {
        let name = path
            .strip_prefix(recordings())
            .unwrap_or(path)
            .display()
            .to_string();
        let bytes = std::fs::read(path).expect("a readable recording");
        let value: Value =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        let kind = shape(&value);
        *seen.entry(format!("{kind:?}")).or_default() += 1;
        match kind {
            Shape::ErrorBody => check_error_body(&name, 400, &bytes),
            Shape::OAuthError => {
                let details = parse_error_body(&bytes);
                assert!(!details.is_empty(), "{name}");
            }
            Shape::QueryPage => {
                let page: QueryPage<Value> =
                    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
                if !page.done {
                    let next = page.next_records_url.as_deref().unwrap_or_default();
                    assert!(
                        next.starts_with("/services/"),
                        "{name}: a page that is not done must name the next"
                    );
                }
            }
            Shape::SaveResults => {
                let results = match &value {
                    Value::Array(items) => items.clone(),
                    other => vec![other.clone()],
                };
                let failed = results
                    .iter()
                    .filter(|r| r["success"] == Value::Bool(false))
                    .count();
                assert_eq!(parse_error_body(&bytes).is_empty(), failed == 0, "{name}");
            }
            Shape::MultipleChoices => {
                let details = parse_error_body(&bytes);
                assert_eq!(
                    details.first().map(|d| &d.code),
                    Some(&ErrorCode::MultipleChoices),
                    "{name}"
                );
            }
            Shape::Composite => {
                for sub in value["compositeResponse"]
                    .as_array()
                    .expect("a list of sub-responses")
                {
                    let status = sub["httpStatusCode"].as_u64().expect("a status") as u16;
                    if status >= 400 {
                        let body = serde_json::to_vec(&sub["body"]).expect("re-encodes");
                        check_error_body(&name, status, &body);
                    }
                }
            }
            // Token responses are decoded by the OAuth code's own unit tests.
            Shape::Token | Shape::Other => {}
        }
    }
    for kind in [
        "ErrorBody",
        "OAuthError",
        "QueryPage",
        "SaveResults",
        "MultipleChoices",
        "Composite",
    ] {
        assert!(
            seen.contains_key(kind),
            "no recording of shape {kind}: {seen:?}"
        );
    }
}

#[test]
fn recorded_error_bodies_map_to_the_documented_codes() {
    let cases = [
        (
            "restforce/expired_session_response.json",
            ErrorCode::InvalidSessionId,
        ),
        (
            "restforce-db/error_404_ENTITY_IS_DELETED.json",
            ErrorCode::EntityIsDeleted,
        ),
        (
            "restforce-issues/restforce_issue_726_EXCEEDED_ID_LIMIT.json",
            ErrorCode::ExceededIdLimit,
        ),
        (
            "restforce-issues/restforce_issue_821_UNKNOWN_EXCEPTION.json",
            ErrorCode::UnknownException,
        ),
        (
            "snowfakery/query_error_400_bad_query_v50.json",
            ErrorCode::InvalidType,
        ),
        (
            "restforce/sobject__write_error_response.json",
            ErrorCode::InvalidField,
        ),
        (
            "restforce/sobject__composite_sobjects_destroy_bad_request_response.json",
            ErrorCode::RequiredFieldMissing,
        ),
        (
            "restforce/sobject__composite_sobjects_create_error_response.json",
            ErrorCode::InvalidField,
        ),
    ];
    for (file, code) in cases {
        let body = std::fs::read(recordings().join(file)).expect("the recording exists");
        let error = Error::from_response_body(400, &body);
        assert_eq!(error.api_code(), Some(&code), "{file}: {error}");
    }
}
