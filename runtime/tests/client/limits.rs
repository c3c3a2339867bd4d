//! The daily allocation, usage figures, retries within their bound, and timeouts.

use std::time::Duration;

use sfgen_fake_org::Fault;
use sfgen_runtime::{
    ApiUsage, Client, Credentials, Error, ErrorCode, Limits, RetryPolicy, Timeouts,
};

use crate::common::{
    builder, fast_retry, org, refresh_client, token_client, url, Acct, AcctUpdate, NewAcct,
};

#[tokio::test]
async fn every_response_updates_the_usage_figures() {
    let org = org().await;
    let client = token_client(&org).await;
    assert_eq!(client.api_usage(), None);
    client
        .create(&NewAcct {
            name: "Usage".into(),
            industry: None,
        })
        .await
        .expect("creates");
    let (used, max) = org.api_usage();
    assert_eq!(client.api_usage(), Some(ApiUsage { used, max }));
}

#[tokio::test]
async fn a_spent_daily_allocation_stops_without_retrying() {
    let org = org().await;
    let client = refresh_client(&org).await;
    let id = client
        .create(&NewAcct {
            name: "Limit".into(),
            industry: None,
        })
        .await
        .expect("creates");
    let (_, max) = org.api_usage();
    org.set_api_usage(max);
    org.reset_counters();

    let err = client.get(id).await.expect_err("the allocation is spent");
    match &err {
        Error::RateLimited { usage, message } => {
            assert_eq!(
                *usage,
                Some(ApiUsage { used: max, max }),
                "the error carries the usage"
            );
            assert!(message.contains("TotalRequests"), "{message}");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(
        err.to_string().contains(&format!("api-usage {max}/{max}")),
        "{err}"
    );
    assert_eq!(
        org.counters().requests,
        1,
        "an idempotent GET is not retried either"
    );
    assert_eq!(
        org.counters().token_refreshes,
        0,
        "and the session is not renewed"
    );
}

/// With the default limits, a client stops at 90% of the org's daily
/// allocation, before sending, with the figures; the org's last 10% stays for
/// its other integrations.
#[tokio::test]
async fn the_default_limits_stop_at_ninety_percent_of_the_daily_allocation() {
    let org = org().await;
    let client = Client::builder()
        .connect(Credentials::access_token(
            url(org.instance_url()),
            org.access_token(),
        ))
        .await
        .expect("connects with the default limits");
    assert_eq!(client.limits(), Limits::default());
    let (_, max) = org.api_usage();
    let stop = max * 9 / 10;
    // The next call is counted and reported as `stop - 1 + 1`.
    org.set_api_usage(stop - 2);
    let id = client
        .create(&NewAcct {
            name: "Budget".into(),
            industry: None,
        })
        .await
        .expect("under 90%: sent");
    assert_eq!(
        client.api_usage(),
        Some(ApiUsage {
            used: stop - 1,
            max
        })
    );
    client.get(id).await.expect("still under 90%: sent");
    assert_eq!(client.api_usage(), Some(ApiUsage { used: stop, max }));
    org.reset_counters();
    let err = client.get(id).await.expect_err("at 90%: refused");
    match &err {
        Error::ApiBudgetSpent {
            usage,
            share_percent,
        } => {
            assert_eq!(*usage, ApiUsage { used: stop, max });
            assert_eq!(*share_percent, 90);
        }
        other => panic!("expected ApiBudgetSpent, got {other:?}"),
    }
    assert!(err.to_string().contains(&format!("{stop}/{max}")), "{err}");
    assert_eq!(org.counters().requests, 0, "nothing was sent");
}

#[tokio::test]
async fn injected_503s_recover_within_the_retry_bound() {
    let org = org().await;
    let client = token_client(&org).await;
    let id = client
        .create(&NewAcct {
            name: "Flaky".into(),
            industry: None,
        })
        .await
        .expect("creates");
    org.reset_counters();
    org.fault(
        "GET */sobjects/Account/*",
        Fault::server_unavailable().times(3),
    );
    let read = client.get(id).await.expect("the fourth attempt succeeds");
    assert_eq!(read.name, "Flaky");
    assert_eq!(
        org.calls("GET */sobjects/Account/*"),
        4,
        "three 503s, then success"
    );

    org.fault("GET */sobjects/Account/*", Fault::server_unavailable());
    let err = client.get(id).await.expect_err("503 every time");
    assert_eq!(err.api_code(), Some(&ErrorCode::ServerUnavailable), "{err}");
    assert_eq!(
        org.calls("GET */sobjects/Account/*"),
        4 + fast_retry().max_attempts as usize,
        "gives up after max_attempts"
    );
}

#[tokio::test]
async fn dropped_connections_and_truncated_bodies_recover() {
    let org = org().await;
    let client = token_client(&org).await;
    let id = client
        .create(&NewAcct {
            name: "Dropped".into(),
            industry: None,
        })
        .await
        .expect("creates");
    org.reset_counters();
    org.fault(
        "GET */sobjects/Account/*",
        Fault::drop_connection().times(2),
    );
    assert_eq!(client.get(id).await.expect("recovers").name, "Dropped");
    assert_eq!(org.calls("GET */sobjects/Account/*"), 3);

    org.reset_counters();
    org.fault("GET */sobjects/Account/*", Fault::truncate_body().times(1));
    assert_eq!(client.get(id).await.expect("recovers").name, "Dropped");
    assert_eq!(org.calls("GET */sobjects/Account/*"), 2);

    org.reset_counters();
    org.fault(
        "PATCH */sobjects/Account/*",
        Fault::unable_to_lock_row().times(2),
    );
    let rename = AcctUpdate {
        name: sfgen_runtime::Field::Value("Unlocked".into()),
        ..AcctUpdate::default()
    };
    client
        .update(id, &rename)
        .await
        .expect("an update by id is retried");
    assert_eq!(org.calls("PATCH */sobjects/Account/*"), 3);
}

#[tokio::test]
async fn a_create_is_never_repeated_blindly() {
    let org = org().await;
    let client = token_client(&org).await;
    org.fault(
        "POST */sobjects/Account",
        Fault::server_unavailable().times(1),
    );
    let err = client
        .create(&NewAcct {
            name: "Once".into(),
            industry: None,
        })
        .await
        .expect_err("503");
    assert_eq!(err.api_code(), Some(&ErrorCode::ServerUnavailable));
    assert_eq!(org.calls("POST */sobjects/Account"), 1);

    org.fault("POST */sobjects/Account", Fault::drop_connection().times(1));
    let err = client
        .create(&NewAcct {
            name: "Once".into(),
            industry: None,
        })
        .await
        .expect_err("dropped");
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(
        org.calls("POST */sobjects/Account"),
        2,
        "one more call, not retried"
    );
}

#[tokio::test]
async fn requests_time_out() {
    let org = org().await;
    let client = builder()
        .retry(RetryPolicy::none())
        .timeouts(Timeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_millis(200),
        })
        .connect(Credentials::access_token(
            url(org.instance_url()),
            org.access_token(),
        ))
        .await
        .expect("connects");
    let id = client
        .create(&NewAcct {
            name: "Slow".into(),
            industry: None,
        })
        .await
        .expect("creates");
    org.fault(
        "GET */sobjects/Account/*",
        Fault::latency(Duration::from_secs(5)),
    );
    let err = client.get::<Acct>(id).await.expect_err("times out");
    match err {
        Error::Transport { source, .. } => assert!(source.is_timeout(), "{source}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}
