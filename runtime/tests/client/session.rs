//! Sessions: renewal on 401, single-flight, rotation, instance URL changes,
//! proactive renewal, and what is never renewed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use sfgen_fake_org::{FakeOrg, RunningOrg};
use sfgen_runtime::secrecy::{ExposeSecret, SecretString};
use sfgen_runtime::{
    ConnectionId, Credentials, Error, Limits, OAuthErrorCode, SfCli, StoredToken, TokenSet,
    TokenStore,
};

use crate::common::{
    app, builder, login, org, org_with, refresh_client, token_client, url, Acct, NewAcct,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_on_an_expired_session_refresh_once() {
    let org = org().await;
    let client = refresh_client(&org).await;
    let id = client
        .create(&NewAcct {
            name: "Concurrent".into(),
            industry: None,
        })
        .await
        .expect("creates");
    let before = org.counters().token_refreshes;
    org.expire_all_sessions();

    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get::<Acct>(id).await })
    });
    for call in futures::future::join_all(calls).await {
        let record = call
            .expect("the task ran")
            .expect("every call succeeds after the renewal");
        assert_eq!(record.name, "Concurrent");
    }
    assert_eq!(
        org.counters().token_refreshes - before,
        1,
        "exactly one refresh for 50 failing calls"
    );
    assert_eq!(client.session_renewals(), 1);
    let unauthorized = org.request_log().iter().filter(|r| r.status == 401).count();
    assert!(
        (1..=50).contains(&unauthorized),
        "{unauthorized} calls saw the expired session"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_within_the_in_flight_cap() {
    let org = org().await;
    let client = builder()
        .limits(
            Limits {
                max_in_flight: Some(10),
                ..Limits::default()
            }
            .without_rate_limit(),
        )
        .connect(Credentials::refresh_token(
            app(&org),
            login(&org),
            org.refresh_token(),
        ))
        .await
        .expect("connects");
    let id = client
        .create(&NewAcct {
            name: "Capped".into(),
            industry: None,
        })
        .await
        .expect("creates");
    org.expire_all_sessions();
    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get::<Acct>(id).await })
    });
    for call in futures::future::join_all(calls).await {
        call.expect("the task ran").expect("succeeds");
    }
    assert_eq!(client.session_renewals(), 1);
}

/// A token store that records, for each save, the refresh token and how many
/// requests the org had logged at that moment.
struct RecordingStore {
    org: Arc<RunningOrg>,
    saves: Mutex<Vec<(String, usize)>>,
}

impl TokenStore for RecordingStore {
    async fn load(&self, _id: &ConnectionId) -> sfgen_runtime::Result<Option<StoredToken>> {
        Ok(None)
    }

    async fn save(&self, _id: &ConnectionId, token: &StoredToken) -> sfgen_runtime::Result<()> {
        let refresh = token
            .refresh_token
            .as_ref()
            .map(|t| t.expose_secret().to_owned())
            .unwrap_or_default();
        let logged = self.org.request_log().len();
        self.saves
            .lock()
            .expect("not poisoned")
            .push((refresh, logged));
        Ok(())
    }

    async fn remove(&self, _id: &ConnectionId) -> sfgen_runtime::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_rotated_refresh_token_is_stored_before_the_new_session_is_used() {
    let org = Arc::new(org_with(FakeOrg::builder().rotate_refresh_tokens(true)).await);
    let store = Arc::new(RecordingStore {
        org: Arc::clone(&org),
        saves: Mutex::new(Vec::new()),
    });
    let client = builder()
        .connection_id(ConnectionId::user("acme", "alice"))
        .token_store(Arc::clone(&store))
        .connect(Credentials::refresh_token(
            app(&org),
            login(&org),
            org.refresh_token(),
        ))
        .await
        .expect("connects (rotating the refresh token once)");
    let id = client
        .create(&NewAcct {
            name: "Rotation".into(),
            industry: None,
        })
        .await
        .expect("creates");

    org.expire_all_sessions();
    let record = client.get(id).await.expect("renews, stores, retries");
    assert_eq!(record.name, "Rotation");

    let saves = store.saves.lock().expect("not poisoned").clone();
    assert_eq!(saves.len(), 2, "saved on connect and on the renewal");
    let (first, _) = &saves[0];
    let (rotated, logged_at_save) = &saves[1];
    assert_ne!(
        first,
        org.refresh_token(),
        "connecting rotated the original token"
    );
    assert_ne!(rotated, first, "the renewal rotated it again");

    // At the moment of the save the org had seen the 401 and the token request,
    // and nothing after: the retried call came after the save.
    let log = org.request_log();
    let (before, after) = log.split_at(*logged_at_save);
    assert_eq!(
        before.last().map(|r| (r.method.as_str(), r.status)),
        Some(("POST", 200)),
        "{before:?}"
    );
    assert!(before.iter().rev().nth(1).is_some_and(|r| r.status == 401));
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!((after[0].method.as_str(), after[0].status), ("GET", 200));

    // The stored token is the live one; the one it replaced is dead.
    let stale = builder()
        .connect(Credentials::refresh_token(
            app(&org),
            login(&org),
            first.as_str(),
        ))
        .await
        .expect_err("a rotated-out refresh token");
    assert_eq!(stale.oauth_code(), Some(&OAuthErrorCode::InvalidGrant));
    builder()
        .connect(Credentials::refresh_token(
            app(&org),
            login(&org),
            rotated.as_str(),
        ))
        .await
        .expect("the stored refresh token works");
}

#[tokio::test]
async fn a_new_instance_url_from_a_renewal_is_applied() {
    let org = org().await;
    let elsewhere = crate::common::org().await;
    // A stored session that points at an instance the org has moved away from.
    let tokens = TokenSet {
        access_token: SecretString::from("00D!stale-session"),
        refresh_token: Some(SecretString::from(org.refresh_token().to_owned())),
        instance_url: url(elsewhere.instance_url()),
        issued_at: Utc::now(),
        identity_url: None,
        scope: None,
    };
    let client = builder()
        .connect(Credentials::Tokens {
            app: app(&org),
            login: login(&org),
            tokens,
        })
        .await
        .expect("connects without a request");
    assert_eq!(client.instance_url(), url(elsewhere.instance_url()));
    let id = client
        .create(&NewAcct {
            name: "Moved".into(),
            industry: None,
        })
        .await;
    // A create is not retried blindly, but a 401 means it never ran: it is sent again once.
    let id = id.expect("renewed, then created on the new instance");
    assert_eq!(client.instance_url(), url(org.instance_url()));
    assert_eq!(client.get(id).await.expect("reads").name, "Moved");
}

#[tokio::test]
async fn proactive_renewal_after_the_configured_lifetime() {
    let org = org().await;
    let client = builder()
        .session_lifetime(Duration::ZERO)
        .connect(Credentials::refresh_token(
            app(&org),
            login(&org),
            org.refresh_token(),
        ))
        .await
        .expect("connects");
    for _ in 0..3 {
        client
            .create(&NewAcct {
                name: "Proactive".into(),
                industry: None,
            })
            .await
            .expect("creates");
    }
    assert_eq!(
        client.session_renewals(),
        3,
        "a session older than its lifetime is renewed before use"
    );
    assert!(
        org.request_log().iter().all(|r| r.status != 401),
        "no call waited for a 401"
    );
}

#[tokio::test]
async fn an_access_token_alone_cannot_be_renewed() {
    let org = org().await;
    let client = token_client(&org).await;
    org.expire_all_sessions();
    let err = client
        .create(&NewAcct {
            name: "x".into(),
            industry: None,
        })
        .await
        .expect_err("expired");
    assert!(
        matches!(
            err,
            Error::Session {
                refreshed: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("cannot refresh"), "{err}");
}

#[tokio::test]
async fn a_401_right_after_a_renewal_is_reported_as_such() {
    let org = org().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("sf");
    let output = serde_json::json!({"status": 0, "result": {"accessToken": "00D!never-valid", "instanceUrl": org.instance_url()}});
    std::fs::write(&script, format!("#!/bin/sh\necho '{output}'\n")).expect("writes");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let client = builder()
        .connect(Credentials::SfCli(SfCli::new("broken").program(&script)))
        .await
        .expect("connects");
    let err = client
        .get::<Acct>(sfgen_runtime::Id::parse("001000000000001AAA").expect("an id"))
        .await;
    let err = err.expect_err("the renewed session is refused too");
    assert!(
        matches!(
            err,
            Error::Session {
                refreshed: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("right after refreshing"), "{err}");
    assert_eq!(
        org.request_log().iter().filter(|r| r.status == 401).count(),
        2,
        "one retry after one renewal"
    );
}

#[tokio::test]
async fn a_403_never_renews_the_session() {
    let org = org().await;
    let client = refresh_client(&org).await;
    let refreshes = org.counters().token_refreshes;
    org.set_api_usage(org.api_usage().1);
    let err = client
        .create(&NewAcct {
            name: "x".into(),
            industry: None,
        })
        .await
        .expect_err("allocation spent");
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(org.counters().token_refreshes, refreshes);
    assert_eq!(client.session_renewals(), 0);
}
