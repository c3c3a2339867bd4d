//! Fault injection.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use sfgen_fake_org::Fault;

use crate::common::{api, create, send, start};

#[tokio::test]
async fn next_n_server_unavailable_then_normal() {
    let org = start().await;
    org.fault("GET */limits", Fault::server_unavailable().times(2));
    for _ in 0..2 {
        let (status, body) = send(api(&org, Method::GET, "/limits")).await;
        assert_eq!(status, 503);
        assert_eq!(body[0]["errorCode"], "SERVER_UNAVAILABLE");
    }
    assert_eq!(send(api(&org, Method::GET, "/limits")).await.0, 200);
    // Other routes were never affected.
    assert_eq!(send(api(&org, Method::GET, "/sobjects")).await.0, 200);
    assert_eq!(org.counters().faults.get("server_unavailable"), Some(&2));
    let log = org.request_log();
    assert_eq!(log[0].fault.as_deref(), Some("server_unavailable"));
    assert_eq!(log[0].status, 503);
    assert_eq!(log[2].fault, None);
}

#[tokio::test]
async fn unable_to_lock_row_names_the_record() {
    let org = start().await;
    let id = create(&org, "Account", json!({"Name": "Locked"})).await;
    org.fault(
        "PATCH */sobjects/Account/*",
        Fault::unable_to_lock_row().times(1),
    );
    let path = format!("/sobjects/Account/{id}");
    let (status, body) = send(api(&org, Method::PATCH, &path).json(&json!({"Name": "x"}))).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!([{"message": format!("unable to obtain exclusive access to this record or 1 records: {id}"), "errorCode": "UNABLE_TO_LOCK_ROW", "fields": []}])
    );
    assert_eq!(
        send(api(&org, Method::PATCH, &path).json(&json!({"Name": "x"})))
            .await
            .0,
        204
    );
}

#[tokio::test]
async fn dropped_connections_and_truncated_bodies_fail_the_client() {
    let org = start().await;
    let drop = org.fault("GET */sobjects", Fault::drop_connection().times(1));
    let err = api(&org, Method::GET, "/sobjects")
        .send()
        .await
        .expect_err("the connection is dropped");
    assert!(
        err.is_request() || err.is_connect() || err.to_string().contains("connection"),
        "{err:?}"
    );
    org.remove_fault(drop);
    assert_eq!(org.request_log()[0].status, 0);

    org.fault("GET */sobjects", Fault::truncate_body().times(1));
    let response = api(&org, Method::GET, "/sobjects")
        .send()
        .await
        .expect("headers arrive");
    assert_eq!(response.status(), 200);
    let declared = response.content_length().expect("Content-Length");
    assert!(declared > 100);
    assert!(response.bytes().await.is_err(), "the body is cut short");
    // Afterwards all is normal again.
    assert_eq!(send(api(&org, Method::GET, "/sobjects")).await.0, 200);
}

#[tokio::test]
async fn a_seeded_share_is_deterministic() {
    async fn pattern() -> Vec<u16> {
        let org = start().await;
        org.fault("*/limits", Fault::server_unavailable().share(0.5, 42));
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(send(api(&org, Method::GET, "/limits")).await.0);
        }
        statuses
    }
    let first = pattern().await;
    assert_eq!(first, pattern().await);
    let failed = first.iter().filter(|s| **s == 503).count();
    assert!((8..=32).contains(&failed), "{failed} of 40 failed");
}

#[tokio::test]
async fn latency_is_logged_and_the_request_served() {
    let org = start().await;
    org.fault(
        "GET */limits",
        Fault::latency(Duration::from_millis(20)).times(1),
    );
    assert_eq!(send(api(&org, Method::GET, "/limits")).await.0, 200);
    assert_eq!(org.request_log()[0].fault.as_deref(), Some("latency"));
    org.clear_faults();
    assert_eq!(send(api(&org, Method::GET, "/limits")).await.0, 200);
    assert_eq!(org.request_log()[1].fault, None);
    assert_eq!(org.calls("GET */limits"), 2);
    assert_eq!(
        org.counters()
            .per_route
            .get("GET /services/data/{version}/limits"),
        Some(&2)
    );
}
