//! Helpers shared by the integration tests.

use std::collections::BTreeSet;
use std::path::PathBuf;

use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::Value;
use sfgen_fake_org::{FakeOrg, FakeOrgBuilder, RunningOrg};

/// `shared/salesforce-recordings`, beside the repository clone.
pub fn recordings_dir() -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/salesforce-recordings");
    assert!(
        dir.is_dir(),
        "the recorded Salesforce responses are missing: expected {} (shared/ must sit beside the repository clone)",
        dir.display()
    );
    dir
}

/// A recorded response, parsed.
pub fn recording(relative: &str) -> Value {
    let path = recordings_dir().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The keys of a JSON object.
pub fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// A test fixture file's text.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The org with the workspace's default schemas.
pub async fn start() -> RunningOrg {
    start_with(FakeOrg::builder()).await
}

/// An org from a builder.
pub async fn start_with(builder: FakeOrgBuilder) -> RunningOrg {
    builder.start().await.expect("the fake org starts")
}

/// A client that does not follow redirects.
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client")
}

/// A request to `<data_url><path>` with the org's access token.
pub fn api(org: &RunningOrg, method: Method, path: &str) -> RequestBuilder {
    client()
        .request(method, format!("{}{path}", org.data_url()))
        .bearer_auth(org.access_token())
}

/// Sends and returns status and JSON body (null when empty).
pub async fn send(request: RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("the request is answered");
    status_and_json(response).await
}

/// Status and JSON body (null when empty) of a response.
pub async fn status_and_json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a complete body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("a JSON body")
    };
    (status, body)
}

/// Creates a record and returns its id.
pub async fn create(org: &RunningOrg, object: &str, body: Value) -> String {
    let (status, created) =
        send(api(org, Method::POST, &format!("/sobjects/{object}")).json(&body)).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().expect("an id").to_owned()
}

/// The error codes of an error body.
pub fn codes(body: &Value) -> Vec<String> {
    body.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["errorCode"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
