//! Describes in batches: one Composite request (`POST /composite`) of up to 25
//! `GET /sobjects/<X>/describe` subrequests, each with its own
//! `If-Modified-Since` when the snapshot's copy can be reused.

use serde::Deserialize;
use serde_json::{json, Value};
use sfgen_runtime::{Client, Request};

/// Salesforce's limit on subrequests in one Composite request.
pub const MAX_SUBREQUESTS: usize = 25;

/// One describe to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// The object's API name.
    pub object: String,
    /// The `Last-Modified` of the snapshot's copy, when it can be reused.
    pub if_modified_since: Option<String>,
}

/// What came back for one object.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A describe.
    Fetched {
        /// The describe body.
        body: Value,
        /// The `Last-Modified` the org sent with it.
        last_modified: Option<String>,
    },
    /// 304: the snapshot's copy is current.
    NotModified,
    /// The subrequest, or the whole request, failed.
    Failed(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompositeResponse {
    composite_response: Vec<SubResponse>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubResponse {
    #[serde(default)]
    body: Value,
    #[serde(default)]
    http_headers: serde_json::Map<String, Value>,
    http_status_code: u16,
    reference_id: String,
}

/// The reference id of the `index`-th subrequest (alphanumeric, as Composite requires).
fn reference_id(index: usize) -> String {
    format!("d{index}")
}

/// The Composite request body for `batch`.
pub fn request_body(api_version: &str, batch: &[Wanted]) -> Value {
    let subrequests: Vec<Value> = batch
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut sub = json!({
                "method": "GET",
                "url": format!("/services/data/v{api_version}/sobjects/{}/describe", w.object),
                "referenceId": reference_id(i),
            });
            if let Some(since) = &w.if_modified_since {
                sub["httpHeaders"] = json!({ "If-Modified-Since": since });
            }
            sub
        })
        .collect();
    json!({ "allOrNone": false, "compositeRequest": subrequests })
}

/// Fetches one batch (at most [`MAX_SUBREQUESTS`]) in one round trip. Never
/// fails as a whole: a failed request fails each of its objects.
pub async fn describe_batch(
    client: &Client,
    api_version: &str,
    batch: &[Wanted],
) -> Vec<(String, Outcome)> {
    let fail_all = |reason: String| {
        batch
            .iter()
            .map(|w| (w.object.clone(), Outcome::Failed(reason.clone())))
            .collect()
    };
    let request = match Request::post(format!("/services/data/v{api_version}/composite"))
        .json(&request_body(api_version, batch))
    {
        // Every subrequest is a GET, so the batch is safe to send again.
        Ok(request) => request.idempotent(true),
        Err(e) => return fail_all(e.to_string()),
    };
    let response: CompositeResponse = match client.send(request).await.and_then(|r| r.json()) {
        Ok(response) => response,
        Err(e) => return fail_all(format!("the Composite request failed: {e}")),
    };
    let mut subs: Vec<Option<SubResponse>> =
        response.composite_response.into_iter().map(Some).collect();
    batch
        .iter()
        .enumerate()
        .map(|(i, wanted)| {
            let id = reference_id(i);
            let sub = subs
                .iter_mut()
                .find(|s| s.as_ref().is_some_and(|s| s.reference_id == id))
                .and_then(Option::take);
            let outcome = match sub {
                None => Outcome::Failed(format!("the Composite response has no result for `{id}`")),
                Some(sub) => outcome(sub),
            };
            (wanted.object.clone(), outcome)
        })
        .collect()
}

fn outcome(sub: SubResponse) -> Outcome {
    match sub.http_status_code {
        200 => {
            let last_modified = sub
                .http_headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("last-modified"))
                .and_then(|(_, v)| v.as_str())
                .map(str::to_owned);
            Outcome::Fetched {
                body: sub.body,
                last_modified,
            }
        }
        304 => Outcome::NotModified,
        status => {
            let body = serde_json::to_vec(&sub.body).unwrap_or_default();
            Outcome::Failed(sfgen_runtime::Error::from_response_body(status, &body).to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_has_one_get_per_object_and_conditional_headers() {
        let batch = [
            Wanted {
                object: "Account".into(),
                if_modified_since: None,
            },
            Wanted {
                object: "Contact".into(),
                if_modified_since: Some("Mon, 01 Jan 2024 00:00:00 GMT".into()),
            },
        ];
        let body = request_body("62.0", &batch);
        assert_eq!(body["allOrNone"], false);
        let subs = body["compositeRequest"].as_array().expect("array");
        assert_eq!(
            subs[0]["url"],
            "/services/data/v62.0/sobjects/Account/describe"
        );
        assert_eq!(subs[0]["method"], "GET");
        assert!(subs[0].get("httpHeaders").is_none());
        assert_eq!(subs[1]["referenceId"], "d1");
        assert_eq!(
            subs[1]["httpHeaders"]["If-Modified-Since"],
            "Mon, 01 Jan 2024 00:00:00 GMT"
        );
    }

    #[test]
    fn subresponses_become_outcomes() {
        let sub = |json: Value| outcome(serde_json::from_value(json).expect("a subresponse"));
        let ok = sub(
            json!({"body": {"name": "A"}, "httpHeaders": {"Last-Modified": "x"}, "httpStatusCode": 200, "referenceId": "d0"}),
        );
        assert!(matches!(ok, Outcome::Fetched { last_modified: Some(ref l), .. } if l == "x"));
        let same = sub(
            json!({"body": null, "httpHeaders": {}, "httpStatusCode": 304, "referenceId": "d0"}),
        );
        assert!(matches!(same, Outcome::NotModified));
        let gone = sub(
            json!({"body": [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}],
            "httpHeaders": {}, "httpStatusCode": 404, "referenceId": "d0"}),
        );
        match gone {
            Outcome::Failed(reason) => assert!(reason.contains("NOT_FOUND"), "{reason}"),
            other => panic!("expected a failure, got {other:?}"),
        }
    }
}
