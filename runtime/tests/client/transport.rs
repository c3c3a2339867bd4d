//! What the client refuses on the wire: credentials over plain HTTP to a host
//! that is not loopback (in every way to connect), and bodies over the cap.

use std::time::Duration;

use sfgen_runtime::{
    Credentials, Error, JwtBearer, LoginHost, OAuthApp, Request, SfCli, TokenSet, Url,
    WebServerFlow,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::common::{builder, org, token_client, url};
use crate::connect::{cli_output, fake_sf};

const TEST_KEY: &[u8] = include_bytes!("../fixtures/jwt-test-key.pem");
const REMOTE_HTTP: &str = "http://crm.example.com";

fn remote_login() -> LoginHost {
    LoginHost::MyDomain(url("http://login.example.com"))
}

fn app() -> OAuthApp {
    OAuthApp::new("3MVG9-key").with_secret("s3cr3t-value")
}

fn assert_insecure(err: Error, url_shown: &str) {
    let text = err.to_string();
    assert!(
        matches!(err, Error::InsecureUrl(_)),
        "not InsecureUrl: {err:?}"
    );
    assert!(text.contains(url_shown), "{text}");
    assert!(!text.contains("s3cr3t-value"), "{text}");
}

/// Every way to connect, pointed at plain http on a remote host, is refused
/// before anything is sent (nothing listens on these hosts: a send would be a
/// DNS or connect error, not `InsecureUrl`).
#[tokio::test]
async fn every_way_to_connect_refuses_plain_http_to_a_remote_host() {
    let tokens = TokenSet {
        access_token: "00D!access".to_owned().into(),
        refresh_token: Some("refresh".to_owned().into()),
        instance_url: url(REMOTE_HTTP),
        issued_at: chrono::Utc::now(),
        identity_url: None,
        scope: None,
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let sf = fake_sf(dir.path());
    cli_output(dir.path(), REMOTE_HTTP, "00D!cli-token");
    let jwt = JwtBearer::new("3MVG9-key", "user@example.com", remote_login(), TEST_KEY)
        .expect("a PEM key");
    let ways = [
        (
            "access token",
            Credentials::access_token(url(REMOTE_HTTP), "00D!token"),
            REMOTE_HTTP,
        ),
        (
            "tokens",
            Credentials::Tokens {
                app: app(),
                login: LoginHost::Production,
                tokens,
            },
            REMOTE_HTTP,
        ),
        (
            "refresh token",
            Credentials::refresh_token(app(), remote_login(), "refresh"),
            "http://login.example.com/services/oauth2/token",
        ),
        (
            "JWT bearer",
            Credentials::JwtBearer(jwt),
            "http://login.example.com/services/oauth2/token",
        ),
        (
            "client credentials",
            Credentials::client_credentials(app(), remote_login()),
            "http://login.example.com/services/oauth2/token",
        ),
        (
            "Salesforce CLI",
            Credentials::SfCli(SfCli::new("fake").program(&sf)),
            REMOTE_HTTP,
        ),
    ];
    for (way, credentials, shown) in ways {
        let err = builder()
            .connect(credentials)
            .await
            .expect_err(&format!("{way} over plain http was accepted"));
        assert_insecure(err, shown);
    }

    let with_callback = |callback: &str| app().with_redirect_uri(url(callback));
    let err = WebServerFlow::new(with_callback("http://localhost:1717/cb"), remote_login())
        .expect_err("a plain-http login host");
    assert_insecure(err, "http://login.example.com/");
    let err = WebServerFlow::new(
        with_callback("http://app.example.com/cb"),
        LoginHost::Production,
    )
    .expect_err("a plain-http remote callback");
    assert_insecure(err, "http://app.example.com/cb");
    WebServerFlow::new(
        with_callback("http://localhost:1717/cb"),
        LoginHost::Sandbox,
    )
    .expect("https login host, loopback callback");
}

/// A loopback server that answers every connection with `response`, once read.
async fn serve(response: Vec<u8>) -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(&response).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    url(&format!("http://{addr}"))
}

fn http_200(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A token endpoint on loopback that names a plain-http remote instance: the
/// session is refused, for a first login and for the refresh flow alike.
#[tokio::test]
async fn a_token_response_naming_a_plain_http_instance_is_refused() {
    let token = serde_json::json!({
        "access_token": "00D!access",
        "instance_url": "http://evil.example.com",
        "id": "https://login.salesforce.com/id/00D/005",
        "token_type": "Bearer",
        "issued_at": "1700000000000",
        "signature": "x"
    });
    let login = LoginHost::MyDomain(serve(http_200(&token.to_string())).await);
    let err = builder()
        .connect(Credentials::refresh_token(app(), login.clone(), "refresh"))
        .await
        .expect_err("a plain-http instance_url");
    assert_insecure(err, "http://evil.example.com/");
    let err = builder()
        .connect(Credentials::client_credentials(app(), login))
        .await
        .expect_err("a plain-http instance_url");
    assert_insecure(err, "http://evil.example.com/");
}

/// A token endpoint that answers with megabytes is cut off at the token cap.
#[tokio::test]
async fn an_oversized_token_response_is_refused() {
    let padding = "x".repeat(2 * 1024 * 1024);
    let body = format!(
        r#"{{"access_token":"a","instance_url":"https://x.example","token_type":"Bearer","pad":"{padding}"}}"#
    );
    let login = LoginHost::MyDomain(serve(http_200(&body)).await);
    for credentials in [
        Credentials::refresh_token(app(), login.clone(), "refresh"),
        Credentials::JwtBearer(
            JwtBearer::new("3MVG9-key", "user@example.com", login.clone(), TEST_KEY)
                .expect("a PEM key"),
        ),
    ] {
        let err = builder()
            .connect(credentials)
            .await
            .expect_err("over the cap");
        assert!(
            matches!(err, Error::BodyTooLarge { limit, .. } if limit == 1024 * 1024),
            "{err:?}"
        );
    }
}

/// Query pages, describes and error bodies over `max_body_bytes` are refused
/// with the request named; under it they are read.
#[tokio::test]
async fn bodies_over_the_cap_are_refused_with_the_request_named() {
    let org = org().await;
    let small = builder()
        .max_body_bytes(512)
        .connect(Credentials::access_token(
            url(org.instance_url()),
            org.access_token(),
        ))
        .await
        .expect("connects");
    let err = small
        .send(Request::get("sobjects/Account/describe"))
        .await
        .expect_err("a describe is over 512 bytes");
    let text = err.to_string();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 512, .. }),
        "{err:?}"
    );
    assert!(
        text.contains("GET") && text.contains("sobjects/Account/describe"),
        "{text}"
    );
    assert!(text.contains("max_body_bytes"), "{text}");
    token_client(&org)
        .await
        .send(Request::get("sobjects/Account/describe"))
        .await
        .expect("the default cap reads a describe");
}

/// A server that streams without `Content-Length`, forever: the read stops at
/// the cap.
#[tokio::test]
async fn an_endless_body_stops_at_the_cap() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
                while socket.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    let client = builder()
        .max_body_bytes(4 * 1024 * 1024)
        .connect(Credentials::access_token(
            url(&format!("http://{addr}")),
            "00D!token",
        ))
        .await
        .expect("an access token connects without a request");
    let err = tokio::time::timeout(
        Duration::from_secs(60),
        client.send(Request::get("sobjects/Account/describe")),
    )
    .await
    .expect("the read stops")
    .expect_err("endless");
    assert!(
        matches!(err, Error::BodyTooLarge { limit, .. } if limit == 4 * 1024 * 1024),
        "{err:?}"
    );
}
