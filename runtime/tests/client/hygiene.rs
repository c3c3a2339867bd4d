//! No token, secret or authorization header in Debug, Display or tracing output.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use futures::TryStreamExt;
use sfgen_fake_org::FakeOrg;
use sfgen_runtime::secrecy::ExposeSecret;
use sfgen_runtime::{
    ConnectionId, Credentials, EncryptedFileTokenStore, JwtBearer, MemoryTokenStore, OAuthApp,
    Request, TokenKey, WebServerFlow,
};

use crate::common::{app, builder, login, org_with, url, NewAcct};

/// Everything every test in this binary logs, from the moment this test starts.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture() -> Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            // Global, with the `log` bridge, so reqwest's and hyper's records are seen too.
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .try_init()
                .expect("no other subscriber in this test binary");
            captured
        })
        .clone()
}

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(
            secret.len() >= 8,
            "a secret too short to search for: {secret:?}"
        );
        assert!(
            !text.contains(secret.as_str()),
            "{what} shows a secret ({}…)",
            &secret[..4]
        );
    }
}

const TEST_KEY: &[u8] = include_bytes!("../fixtures/jwt-test-key.pem");
const TEST_CERT: &str = include_str!("../fixtures/jwt-test-cert.pem");

#[tokio::test]
async fn no_secret_in_any_formatted_output_or_log() {
    let captured = capture();
    let org = org_with(
        FakeOrg::builder()
            .rotate_refresh_tokens(true)
            .jwt_certificate(TEST_CERT),
    )
    .await;
    let mut secrets = vec![
        org.access_token().to_owned(),
        org.refresh_token().to_owned(),
        org.client_secret().to_owned(),
    ];
    let mut shown = Vec::<(String, String)>::new();

    // A connection that logs in, works, renews (rotating) and fails in a few ways.
    let store = Arc::new(MemoryTokenStore::new());
    let credentials = Credentials::refresh_token(app(&org), login(&org), org.refresh_token());
    shown.push((
        "Credentials::RefreshToken".into(),
        format!("{credentials:?}"),
    ));
    let client = builder()
        .connection_id(ConnectionId::new("hygiene"))
        .token_store(Arc::clone(&store))
        .connect(credentials)
        .await
        .expect("connects");
    let first = client.stored_token();
    secrets.extend(
        first
            .access_token
            .iter()
            .chain(&first.refresh_token)
            .map(|t| t.expose_secret().to_owned()),
    );
    let id = client
        .create(&NewAcct {
            name: "Hygiene".into(),
            industry: None,
        })
        .await
        .expect("creates");
    org.expire_all_sessions();
    let record: crate::common::Acct = client.get(id).await.expect("renews");
    shown.push(("record".into(), format!("{record:?}")));
    let renewed = client.stored_token();
    secrets.extend(
        renewed
            .access_token
            .iter()
            .chain(&renewed.refresh_token)
            .map(|t| t.expose_secret().to_owned()),
    );
    let _: Vec<serde_json::Value> = client
        .query("SELECT Id FROM Account")
        .try_collect()
        .await
        .expect("queries");
    shown.push(("Client".into(), format!("{client:?}")));
    shown.push(("StoredToken".into(), format!("{renewed:?} {first:?}")));
    shown.push(("MemoryTokenStore".into(), format!("{store:?}")));
    let response = client.send(Request::get("limits")).await.expect("limits");
    shown.push(("Response".into(), format!("{response:?}")));
    shown.push((
        "Request".into(),
        format!(
            "{:?}",
            Request::get("sobjects").json(&serde_json::json!({"a": 1}))
        ),
    ));

    // Errors from the token endpoint and the API.
    let stale = Credentials::refresh_token(app(&org), login(&org), org.refresh_token());
    let err = builder().connect(stale).await.expect_err("rotated out");
    shown.push(("invalid_grant".into(), format!("{err} {err:?}")));
    let wrong = OAuthApp::new(org.client_id()).with_secret("wrong-secret-value-123");
    secrets.push("wrong-secret-value-123".into());
    let err = builder()
        .connect(Credentials::refresh_token(
            wrong.clone(),
            login(&org),
            renewed_refresh(&renewed),
        ))
        .await
        .expect_err("wrong secret");
    shown.push(("invalid_client".into(), format!("{err} {err:?} {wrong:?}")));
    let err = client
        .get_value("Account", id.untyped(), Some(&["Nope__c"]))
        .await
        .expect_err("bad field");
    shown.push(("api error".into(), format!("{err} {err:?}")));

    // The web server flow: state, PKCE verifier, code and tokens.
    let flow_app = app(&org).with_redirect_uri(url("http://localhost/callback"));
    let flow = WebServerFlow::new(flow_app, login(&org)).expect("a flow");
    let authorization = flow.authorize();
    secrets.push(authorization.pending.state().expose_secret().to_owned());
    secrets.push(
        authorization
            .pending
            .pkce_verifier()
            .expose_secret()
            .to_owned(),
    );
    shown.push((
        "Authorization".into(),
        format!("{:?} {:?}", authorization.pending, flow),
    ));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http");
    let location = http
        .get(authorization.url.clone())
        .send()
        .await
        .expect("authorize")
        .headers()["location"]
        .to_str()
        .expect("a location")
        .to_owned();
    let callback = sfgen_runtime::Callback::from_url(&url(&location));
    let code = url(&location)
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("a code");
    secrets.push(code);
    shown.push(("Callback".into(), format!("{callback:?}")));
    let tokens = flow
        .finish(&authorization.pending, &callback)
        .await
        .expect("exchanges");
    secrets.push(tokens.access_token.expose_secret().to_owned());
    secrets.extend(
        tokens
            .refresh_token
            .iter()
            .map(|t| t.expose_secret().to_owned()),
    );
    shown.push(("TokenSet".into(), format!("{tokens:?}")));
    let web = builder()
        .connect(flow.credentials(tokens.clone()))
        .await
        .expect("connects");
    shown.push((
        "Credentials::Tokens".into(),
        format!("{:?}", flow.credentials(tokens)),
    ));
    shown.push(("web client".into(), format!("{web:?}")));

    // JWT bearer and client credentials.
    let jwt =
        JwtBearer::new(org.client_id(), org.username(), login(&org), TEST_KEY).expect("a key");
    shown.push(("JwtBearer".into(), format!("{jwt:?}")));
    let jwt_client = builder()
        .connect(Credentials::JwtBearer(jwt))
        .await
        .expect("connects");
    let cc = Credentials::client_credentials(app(&org), login(&org));
    shown.push(("Credentials::ClientCredentials".into(), format!("{cc:?}")));
    let cc_client = builder().connect(cc).await.expect("connects");
    for c in [&jwt_client, &cc_client] {
        let t = c.stored_token();
        secrets.extend(t.access_token.iter().map(|a| a.expose_secret().to_owned()));
        shown.push(("client".into(), format!("{c:?}")));
    }
    let access = Credentials::access_token(url(org.instance_url()), org.access_token());
    shown.push(("Credentials::AccessToken".into(), format!("{access:?}")));

    // The encrypted store and its key.
    let dir = tempfile::tempdir().expect("temp dir");
    let key = TokenKey::generate();
    secrets.push(key.to_base64().expose_secret().to_owned());
    shown.push(("TokenKey".into(), format!("{key:?}")));
    let file_store = EncryptedFileTokenStore::new(dir.path().join("t.json"), key);
    shown.push(("EncryptedFileTokenStore".into(), format!("{file_store:?}")));

    for (what, text) in &shown {
        assert_clean(what, text, &secrets);
    }
    let log = String::from_utf8_lossy(&captured.0.lock().expect("not poisoned")).into_owned();
    assert!(
        log.contains("session renewed"),
        "the capture works (it saw the renewal)"
    );
    assert_clean("the tracing output", &log, &secrets);
    // Header values are the tokens checked above; header names are checked here.
    for line in log.lines() {
        let lower = line.to_ascii_lowercase();
        let header = lower.contains("authorization:") || lower.contains("\"authorization\"");
        assert!(!header, "an Authorization header was logged: {line}");
    }
}

fn renewed_refresh(token: &sfgen_runtime::StoredToken) -> String {
    token
        .refresh_token
        .as_ref()
        .map(|t| t.expose_secret().to_owned())
        .unwrap_or_default()
}
