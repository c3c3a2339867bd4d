//! Every way to connect, end to end, and the OAuth errors each can meet.

use std::path::Path;

use futures::TryStreamExt;
use sfgen_fake_org::FakeOrg;
use sfgen_runtime::{
    Callback, Client, ConnectionId, Connections, Credentials, Error, Health, JwtBearer, LoginHost,
    OAuthApp, OAuthErrorCode, SfCli, WebServerFlow,
};

use crate::common::{
    app, builder, login, org, org_with, refresh_client, token_client, url, Acct, NewAcct,
};

/// Proves a client works: a create, a read and a query.
async fn works(client: &Client) {
    let id = client
        .create(&NewAcct {
            name: "Connection check".into(),
            industry: None,
        })
        .await
        .expect("creates");
    let read: Acct = client.get(id).await.expect("reads");
    assert_eq!(read.name, "Connection check");
    let names: Vec<serde_json::Value> = client
        .query("SELECT Name FROM Account WHERE Name = 'Connection check'")
        .try_collect()
        .await
        .expect("queries");
    assert!(!names.is_empty());
}

#[tokio::test]
async fn access_token_and_instance_url() {
    let org = org().await;
    let client = token_client(&org).await;
    assert_eq!(client.api_version(), "66.0");
    works(&client).await;
}

#[tokio::test]
async fn access_token_from_the_environment() {
    let org = org().await;
    // Only this test reads or writes these two variables.
    std::env::set_var("SF_ACCESS_TOKEN", org.access_token());
    std::env::set_var("SF_INSTANCE_URL", org.instance_url());
    let credentials = Credentials::from_env().expect("both variables are set");
    std::env::remove_var("SF_ACCESS_TOKEN");
    std::env::remove_var("SF_INSTANCE_URL");
    let client = builder().connect(credentials).await.expect("connects");
    works(&client).await;
    assert!(
        Credentials::from_env().is_err(),
        "unset variables are reported"
    );
}

/// Writes a fake `sf` that records its arguments and prints `output.json`.
pub fn fake_sf(dir: &Path) -> std::path::PathBuf {
    let script = dir.join("sf");
    let body = format!(
        "#!/bin/sh\nprintf '%s ' \"$@\" > '{args}'\ncat '{out}'\n[ -f '{fail}' ] && exit 1\nexit 0\n",
        args = dir.join("args").display(),
        out = dir.join("output.json").display(),
        fail = dir.join("fail").display(),
    );
    std::fs::write(&script, body).expect("writes the script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    script
}

pub fn cli_output(dir: &Path, instance_url: &str, token: &str) {
    let json = serde_json::json!({
        "status": 0,
        "result": {
            "id": "00D000000000001AAA",
            "apiVersion": "66.0",
            "accessToken": token,
            "instanceUrl": instance_url,
            "username": "admin@fake-org.example",
            "connectedStatus": "Connected",
            "alias": "fake"
        },
        "warnings": []
    });
    std::fs::write(dir.join("output.json"), json.to_string()).expect("writes the output");
}

#[tokio::test]
async fn salesforce_cli_session_and_renewal() {
    let org = org().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let sf = fake_sf(dir.path());
    cli_output(dir.path(), org.instance_url(), org.access_token());
    let client = builder()
        .connect(Credentials::SfCli(SfCli::new("fake").program(&sf)))
        .await
        .expect("connects through the CLI");
    let args = std::fs::read_to_string(dir.path().join("args")).expect("the CLI ran");
    assert_eq!(args.trim(), "org display --json --target-org fake");
    assert_eq!(
        client.api_version(),
        "66.0",
        "the CLI's API version is used"
    );
    works(&client).await;

    // The session expires; the CLI (which refreshes on its own) has a new one.
    org.expire_all_sessions();
    cli_output(dir.path(), org.instance_url(), &org.issue_access_token());
    works(&client).await;
    assert_eq!(client.session_renewals(), 1);

    // The CLI reports an error: it is passed on with what to do.
    let error = serde_json::json!({"status": 1, "name": "NoAuthInfoFoundError", "message": "No authorization information found for nope."});
    std::fs::write(dir.path().join("output.json"), error.to_string()).expect("writes");
    std::fs::write(dir.path().join("fail"), "").expect("writes");
    let err = builder()
        .connect(Credentials::SfCli(SfCli::new("nope").program(&sf)))
        .await
        .expect_err("no such org");
    let text = err.to_string();
    assert!(
        matches!(err, Error::Cli(_)) && text.contains("sf org login web --alias nope"),
        "{text}"
    );
    let missing = builder()
        .connect(Credentials::SfCli(
            SfCli::new("x").program(dir.path().join("no-such-program")),
        ))
        .await
        .expect_err("no CLI");
    assert!(
        missing.to_string().contains("install the Salesforce CLI"),
        "{missing}"
    );
}

/// Follows the authorization URL like a browser whose user approves: the fake
/// org redirects straight to the callback.
async fn approve(authorize_url: &sfgen_runtime::Url) -> Callback {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let response = http
        .get(authorize_url.clone())
        .send()
        .await
        .expect("the authorize endpoint answers");
    assert_eq!(
        response.status(),
        302,
        "the authorize endpoint redirects to the callback"
    );
    let location = response.headers()["location"]
        .to_str()
        .expect("a location")
        .to_owned();
    Callback::from_url(&url(&location))
}

#[tokio::test]
async fn web_server_flow_with_pkce() {
    let org = org().await;
    let app = app(&org).with_redirect_uri(url("http://localhost/callback"));
    let flow = WebServerFlow::new(app, login(&org)).expect("has a callback URL");
    let authorization = flow.authorize();
    let callback = approve(&authorization.url).await;
    let tokens = flow
        .finish(&authorization.pending, &callback)
        .await
        .expect("the code is exchanged");
    assert!(
        tokens.refresh_token.is_some(),
        "the default scopes include refresh_token"
    );
    let client = builder()
        .connect(flow.credentials(tokens))
        .await
        .expect("connects");
    works(&client).await;
    assert_eq!(org.counters().grants.get("authorization_code"), Some(&1));

    // The connection renews with the refresh token the flow obtained.
    org.expire_all_sessions();
    works(&client).await;
    assert_eq!(org.counters().token_refreshes, 1);

    // A code is exchanged once: replaying the callback is refused.
    let replay = flow
        .finish(&authorization.pending, &callback)
        .await
        .expect_err("a used code");
    assert_eq!(replay.oauth_code(), Some(&OAuthErrorCode::InvalidGrant));

    // Exchanging with another callback URL than the one authorized is refused,
    // with the fix in the message.
    let other = app_with_redirect(&org, "http://localhost:1717/OauthRedirect");
    let other_flow = WebServerFlow::new(other, login(&org)).expect("has a callback URL");
    let authorization = flow.authorize();
    let callback = approve(&authorization.url).await;
    let err = other_flow
        .finish(&authorization.pending, &callback)
        .await
        .expect_err("another redirect URI");
    assert_eq!(err.oauth_code(), Some(&OAuthErrorCode::RedirectUriMismatch));
    assert!(err.to_string().contains("exact callback URL"), "{err}");
}

fn app_with_redirect(org: &sfgen_fake_org::RunningOrg, redirect: &str) -> OAuthApp {
    app(org).with_redirect_uri(url(redirect))
}

#[tokio::test]
async fn refresh_token() {
    let org = org().await;
    let client = refresh_client(&org).await;
    assert_eq!(
        org.counters().token_refreshes,
        1,
        "connecting refreshes once"
    );
    works(&client).await;
}

const TEST_KEY: &[u8] = include_bytes!("../fixtures/jwt-test-key.pem");
const TEST_CERT: &str = include_str!("../fixtures/jwt-test-cert.pem");

#[tokio::test]
async fn jwt_bearer() {
    let org = org_with(FakeOrg::builder().jwt_certificate(TEST_CERT)).await;
    let jwt =
        JwtBearer::new(org.client_id(), org.username(), login(&org), TEST_KEY).expect("a PEM key");
    let client = builder()
        .connect(Credentials::JwtBearer(jwt))
        .await
        .expect("the assertion is accepted");
    works(&client).await;
    org.expire_all_sessions();
    works(&client).await;
    let grants = org.counters().grants;
    assert_eq!(
        grants.get("urn:ietf:params:oauth:grant-type:jwt-bearer"),
        Some(&2),
        "{grants:?}"
    );

    let stranger = JwtBearer::new(org.client_id(), "nobody@example.com", login(&org), TEST_KEY)
        .expect("a PEM key");
    let err = builder()
        .connect(Credentials::JwtBearer(stranger))
        .await
        .expect_err("unknown user");
    assert_eq!(err.oauth_code(), Some(&OAuthErrorCode::InvalidGrant));
    assert!(JwtBearer::new("key", "user", login(&org), b"not a key").is_err());
}

#[tokio::test]
async fn client_credentials() {
    let org = org().await;
    let client = builder()
        .connect(Credentials::client_credentials(app(&org), login(&org)))
        .await
        .expect("the client credentials flow works");
    works(&client).await;
    assert_eq!(org.counters().grants.get("client_credentials"), Some(&1));

    // Production and sandbox hosts are refused before any request.
    let err = builder()
        .connect(Credentials::client_credentials(
            app(&org),
            LoginHost::Production,
        ))
        .await
        .expect_err("not a My Domain");
    assert!(err.to_string().contains("My Domain"), "{err}");
    let no_secret = builder()
        .connect(Credentials::client_credentials(
            OAuthApp::new(org.client_id()),
            login(&org),
        ))
        .await
        .expect_err("no secret");
    assert!(
        no_secret
            .to_string()
            .contains("Consumer Secret (client secret)"),
        "{no_secret}"
    );
}

#[tokio::test]
async fn oauth_errors_say_what_to_do() {
    let org = org().await;
    let wrong_key = OAuthApp::new("3MVG9-not-this-app").with_secret(org.client_secret());
    let err = builder()
        .connect(Credentials::refresh_token(
            wrong_key,
            login(&org),
            org.refresh_token(),
        ))
        .await
        .expect_err("unknown consumer key");
    assert_eq!(err.oauth_code(), Some(&OAuthErrorCode::InvalidClientId));
    assert!(
        err.to_string().contains("Consumer Key (client id)"),
        "{err}"
    );

    let wrong_secret = OAuthApp::new(org.client_id()).with_secret("not-the-secret");
    let err = builder()
        .connect(Credentials::refresh_token(
            wrong_secret,
            login(&org),
            org.refresh_token(),
        ))
        .await
        .expect_err("wrong secret");
    assert_eq!(err.oauth_code(), Some(&OAuthErrorCode::InvalidClient));
    assert!(
        err.to_string().contains("Consumer Secret (client secret)"),
        "{err}"
    );

    let err = builder()
        .connect(Credentials::refresh_token(
            app(&org),
            login(&org),
            "5Aep-not-a-refresh-token",
        ))
        .await
        .expect_err("unknown refresh token");
    assert_eq!(err.oauth_code(), Some(&OAuthErrorCode::InvalidGrant));
    for needle in ["expired", "revoked", "rotated", "IP"] {
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }
}

async fn revoke(org: &sfgen_fake_org::RunningOrg, token: &str) {
    let response = reqwest::Client::new()
        .post(format!("{}/services/oauth2/revoke", org.login_url()))
        .form(&[("token", token)])
        .send()
        .await
        .expect("the revoke endpoint answers");
    assert!(response.status().is_success(), "revoked");
}

#[tokio::test]
async fn health_check_tells_revoked_from_unreachable() {
    let org = org().await;
    let client = refresh_client(&org).await;
    assert!(client.health_check().await.is_healthy());

    // A stale session is renewed along the way.
    org.expire_all_sessions();
    assert!(client.health_check().await.is_healthy());

    // A revoked refresh token is reported as such (by introspection).
    revoke(&org, org.refresh_token()).await;
    let health = client.health_check().await;
    assert!(matches!(health, Health::Revoked(_)), "{health:?}");

    // Without a Consumer Secret there is no introspection: the renewal's
    // invalid_grant tells the same.
    let org = crate::common::org().await;
    let public = OAuthApp::new(org.client_id());
    let client = builder()
        .connect(Credentials::refresh_token(
            public,
            login(&org),
            org.refresh_token(),
        ))
        .await
        .expect("a public client refreshes");
    revoke(&org, org.refresh_token()).await;
    org.expire_all_sessions();
    match client.health_check().await {
        Health::Revoked(err) => assert_eq!(
            err.oauth_code(),
            Some(&OAuthErrorCode::InvalidGrant),
            "{err}"
        ),
        other => panic!("expected a revoked refresh token, got {other:?}"),
    }

    // An org that is gone is unreachable, not revoked.
    let org = crate::common::org().await;
    let client = token_client(&org).await;
    org.shutdown().await;
    let health = client.health_check().await;
    assert!(
        matches!(health, Health::Unreachable(Error::Transport { .. })),
        "{health:?}"
    );
}

#[tokio::test]
async fn user_and_org_level_connections_side_by_side() {
    let org = org().await;
    let connections = Connections::new();
    let integration = builder()
        .connection_id(ConnectionId::org("acme"))
        .connect(Credentials::client_credentials(app(&org), login(&org)))
        .await
        .expect("org-level connection");
    connections.insert(ConnectionId::org("acme"), integration);
    let alice = refresh_client(&org).await;
    connections.insert(ConnectionId::user("acme", "alice"), alice);

    assert_eq!(
        connections.ids(),
        [
            ConnectionId::org("acme"),
            ConnectionId::user("acme", "alice")
        ]
    );
    let for_alice = connections
        .for_user("acme", "alice")
        .expect("alice's own connection");
    let for_bob = connections
        .for_user("acme", "bob")
        .expect("the org-level connection");
    assert!(for_bob.connection_id() == Some(&ConnectionId::org("acme")));
    works(&for_alice).await;
    works(&for_bob).await;
    assert!(connections.for_user("other", "alice").is_none());

    let again = connections
        .get_or_connect(&ConnectionId::org("acme"), async {
            Err(Error::Config("must not connect again".into()))
        })
        .await
        .expect("the existing connection");
    assert_eq!(again.connection_id(), Some(&ConnectionId::org("acme")));
}
