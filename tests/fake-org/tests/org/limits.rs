//! `Sforce-Limit-Info`, the daily allocation, and session expiry.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use sfgen_fake_org::FakeOrg;

use crate::common::{api, client, recording, send, start, start_with};

fn limit_info(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("sforce-limit-info")
        .expect("Sforce-Limit-Info")
        .to_str()
        .expect("ascii")
        .to_owned()
}

#[tokio::test]
async fn every_response_carries_the_api_usage() {
    let org = start_with(FakeOrg::builder().daily_api_limit(1000)).await;
    let first = api(&org, Method::GET, "/limits")
        .send()
        .await
        .expect("answered");
    assert_eq!(limit_info(&first), "api-usage=1/1000");
    let second = api(&org, Method::GET, "/sobjects")
        .send()
        .await
        .expect("answered");
    assert_eq!(limit_info(&second), "api-usage=2/1000");
    let versions = client()
        .get(format!("{}/services/data", org.instance_url()))
        .send()
        .await
        .expect("answered");
    assert_eq!(limit_info(&versions), "api-usage=2/1000");
    let unauthenticated = client()
        .get(format!("{}/limits", org.data_url()))
        .send()
        .await
        .expect("answered");
    assert_eq!(unauthenticated.status(), 401);
    assert_eq!(limit_info(&unauthenticated), "api-usage=2/1000");
    assert_eq!(org.api_usage(), (2, 1000));
    assert_eq!(org.counters().api_calls, 2);
}

#[tokio::test]
async fn a_spent_allocation_is_request_limit_exceeded() {
    let org = start_with(FakeOrg::builder().daily_api_limit(3)).await;
    for _ in 0..3 {
        assert_eq!(send(api(&org, Method::GET, "/limits")).await.0, 200);
    }
    let (status, body) = send(api(&org, Method::GET, "/limits")).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!([{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}])
    );
    org.set_api_limit(10);
    assert_eq!(send(api(&org, Method::GET, "/limits")).await.0, 200);
    org.set_api_usage(10);
    assert_eq!(send(api(&org, Method::GET, "/limits")).await.0, 403);
}

#[tokio::test]
async fn idle_sessions_expire() {
    let org = start_with(FakeOrg::builder().session_idle_timeout(Duration::from_secs(60))).await;
    assert_eq!(send(api(&org, Method::GET, "/limits")).await.0, 200);
    org.advance_clock(Duration::from_secs(50));
    // Use resets the idle timer.
    assert_eq!(send(api(&org, Method::GET, "/limits")).await.0, 200);
    org.advance_clock(Duration::from_secs(50));
    assert_eq!(send(api(&org, Method::GET, "/limits")).await.0, 200);
    org.advance_clock(Duration::from_secs(61));
    let response = api(&org, Method::GET, "/limits")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 401);
    assert_eq!(
        response
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().ok()),
        Some(Some("Token"))
    );
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(
        body,
        recording("responses/restforce/expired_session_response.json")
    );
}

#[tokio::test]
async fn expire_all_sessions_and_unknown_tokens() {
    let org = start().await;
    org.expire_all_sessions();
    let (status, body) = send(api(&org, Method::GET, "/sobjects")).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
    );
    let fresh = org.issue_access_token();
    let response = client()
        .get(format!("{}/sobjects", org.data_url()))
        .header("Authorization", format!("OAuth {fresh}"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    let response = client()
        .get(format!("{}/sobjects", org.data_url()))
        .bearer_auth("00Dnope!nope")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 401);
}
