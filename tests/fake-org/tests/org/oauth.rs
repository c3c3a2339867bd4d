//! OAuth flows at the org's login URL.

use std::collections::HashMap;
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};
use sfgen_fake_org::{FakeOrg, RunningOrg};
use sha2::{Digest, Sha256};

use crate::common::{
    api, client, fixture, keys, recording, send, start, start_with, status_and_json,
};

const CALLBACK: &str = "http://localhost/callback";

async fn token(org: &RunningOrg, form: &[(&str, &str)]) -> (u16, Value) {
    let url = format!("{}/services/oauth2/token", org.login_url());
    status_and_json(
        client()
            .post(url)
            .form(form)
            .send()
            .await
            .expect("answered"),
    )
    .await
}

/// Runs the authorize step; returns the redirect's query parameters.
async fn authorize(org: &RunningOrg, extra: &[(&str, &str)]) -> (u16, HashMap<String, String>) {
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", org.client_id()),
        ("redirect_uri", CALLBACK),
        ("state", "xyz"),
    ];
    params.extend_from_slice(extra);
    let url = format!("{}/services/oauth2/authorize", org.login_url());
    let response = client()
        .get(url)
        .query(&params)
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    let query = url::Url::parse(&location)
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default();
    (status, query)
}

fn pkce() -> (String, String) {
    let verifier = "a-verifier-of-at-least-43-characters-0123456789abcdef".to_owned();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn check_token_response(org: &RunningOrg, body: &Value, with_refresh: bool) {
    let recorded =
        recording("responses/restforce-db/oauth2_token_password_grant_response_REDACTED.json");
    assert!(
        keys(&recorded).is_subset(&keys(body)),
        "{:?} ⊄ {:?}",
        keys(&recorded),
        keys(body)
    );
    assert!(body.get("expires_in").is_none());
    assert_eq!(body.get("refresh_token").is_some(), with_refresh, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["instance_url"], org.instance_url());
    let id = body["id"].as_str().expect("id");
    assert!(
        id.starts_with(&format!("{}/id/{}/", org.login_url(), org.org_id())),
        "{id}"
    );
    let issued_at = body["issued_at"].as_str().expect("issued_at as a string");
    assert!(issued_at.parse::<i64>().is_ok());
    let mut mac = Hmac::<Sha256>::new_from_slice(org.client_secret().as_bytes()).expect("hmac");
    mac.update(format!("{id}{issued_at}").as_bytes());
    assert_eq!(
        body["signature"],
        STANDARD.encode(mac.finalize().into_bytes())
    );
    assert!(body["scope"].is_string());
}

async fn works(org: &RunningOrg, access_token: &str) -> bool {
    let url = format!("{}/limits", org.data_url());
    client()
        .get(url)
        .bearer_auth(access_token)
        .send()
        .await
        .expect("answered")
        .status()
        == 200
}

#[tokio::test]
async fn web_server_flow_with_pkce() {
    let org = start().await;
    let (verifier, challenge) = pkce();
    let (status, query) = authorize(
        &org,
        &[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("scope", "api refresh_token"),
        ],
    )
    .await;
    assert_eq!(status, 302);
    assert_eq!(query["state"], "xyz");
    let code = query["code"].clone();

    let (status, body) = token(
        &org,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", org.client_id()),
            ("client_secret", org.client_secret()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", "wrong-verifier"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "invalid code verifier"})
    );

    // The code was used up by the failed attempt; get a new one.
    let (_, query) = authorize(
        &org,
        &[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let code = query["code"].clone();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("client_id", org.client_id()),
        ("client_secret", org.client_secret()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", verifier.as_str()),
    ];
    let (status, body) = token(&org, &form).await;
    assert_eq!(status, 200, "{body}");
    check_token_response(&org, &body, true);
    assert!(works(&org, body["access_token"].as_str().expect("token")).await);

    // Codes are single-use.
    let (status, body) = token(&org, &form).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(org.counters().grants.get("authorization_code"), Some(&1));
}

#[tokio::test]
async fn authorize_checks_client_and_redirect_uri() {
    let org = start().await;
    let url = format!("{}/services/oauth2/authorize", org.login_url());
    let (status, body) = status_and_json(
        client()
            .get(&url)
            .query(&[
                ("response_type", "code"),
                ("client_id", "nope"),
                ("redirect_uri", CALLBACK),
            ])
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error": "invalid_client_id", "error_description": "client identifier invalid"})
    );
    assert_eq!(
        keys(&body),
        keys(&recording("responses/restforce/auth_error_response.json"))
    );
    let (status, body) = status_and_json(
        client()
            .get(&url)
            .query(&[
                ("response_type", "code"),
                ("client_id", org.client_id()),
                ("redirect_uri", "http://evil.example/cb"),
            ])
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "redirect_uri_mismatch");
}

#[tokio::test]
async fn token_endpoint_errors() {
    let org = start().await;
    let (status, body) = token(
        &org,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", org.refresh_token()),
            ("client_id", org.client_id()),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"error": "invalid_client", "error_description": "invalid client credentials"})
    );
    let (status, body) = token(&org, &[("grant_type", "magic")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unsupported_grant_type");
    let (status, body) = token(
        &org,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "nope"),
            ("client_id", org.client_id()),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        recording("responses/restforce/refresh_error_response.json")
    );
    let (status, body) = token(
        &org,
        &[
            ("grant_type", "password"),
            ("username", org.username()),
            ("password", "wrong"),
            ("client_id", org.client_id()),
            ("client_secret", org.client_secret()),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "authentication failure"})
    );
}

#[tokio::test]
async fn refresh_without_rotation_keeps_the_refresh_token() {
    let org = start().await;
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", org.refresh_token()),
        ("client_id", org.client_id()),
        ("client_secret", org.client_secret()),
    ];
    let (status, body) = token(&org, &form).await;
    assert_eq!(status, 200, "{body}");
    check_token_response(&org, &body, false);
    let recorded = recording("responses/restforce/refresh_success_response.json");
    assert!(keys(&recorded).is_subset(&keys(&body)));
    let (status, _) = token(&org, &form).await;
    assert_eq!(status, 200);
    assert_eq!(org.counters().token_refreshes, 2);
}

#[tokio::test]
async fn rotating_refresh_tokens_invalidate_the_old_one() {
    let org = start_with(FakeOrg::builder().rotate_refresh_tokens(true)).await;
    let old = org.refresh_token().to_owned();
    let (status, body) = token(
        &org,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &old),
            ("client_id", org.client_id()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    check_token_response(&org, &body, true);
    let new = body["refresh_token"].as_str().expect("rotated").to_owned();
    assert_ne!(new, old);
    let (status, body) = token(
        &org,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &old),
            ("client_id", org.client_id()),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "expired access/refresh token"})
    );
    let (status, _) = token(
        &org,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &new),
            ("client_id", org.client_id()),
        ],
    )
    .await;
    assert_eq!(status, 200);
}

fn assertion(org: &RunningOrg, claims: Value) -> String {
    let key =
        EncodingKey::from_rsa_pem(fixture("jwt_private_key.pem").as_bytes()).expect("test key");
    let mut full = json!({"iss": org.client_id(), "sub": org.username(), "aud": "https://login.salesforce.com", "exp": chrono::Utc::now().timestamp() + 180});
    for (k, v) in claims.as_object().expect("claims") {
        full[k] = v.clone();
    }
    encode(&Header::new(Algorithm::RS256), &full, &key).expect("signed")
}

async fn jwt(org: &RunningOrg, assertion: &str) -> (u16, Value) {
    token(
        org,
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion),
        ],
    )
    .await
}

#[tokio::test]
async fn jwt_bearer_with_a_certificate() {
    let org = start_with(FakeOrg::builder().jwt_certificate(fixture("jwt_cert.pem"))).await;
    let (status, body) = jwt(&org, &assertion(&org, json!({}))).await;
    assert_eq!(status, 200, "{body}");
    check_token_response(&org, &body, false);
    assert!(works(&org, body["access_token"].as_str().expect("token")).await);
    let own_aud = assertion(&org, json!({"aud": org.login_url()}));
    assert_eq!(jwt(&org, &own_aud).await.0, 200);
    let cases = [
        (
            json!({"aud": "https://example.com"}),
            json!({"error": "invalid_grant", "error_description": "audience is invalid"}),
        ),
        (
            json!({"exp": chrono::Utc::now().timestamp() - 10}),
            json!({"error": "invalid_grant", "error_description": "expired authorization code"}),
        ),
        (
            json!({"iss": "someone-else"}),
            json!({"error": "invalid_client_id", "error_description": "client identifier invalid"}),
        ),
        (
            json!({"sub": "stranger@example.com"}),
            json!({"error": "invalid_grant", "error_description": "user hasn't approved this consumer"}),
        ),
    ];
    for (claims, expected) in cases {
        let (status, body) = jwt(&org, &assertion(&org, claims.clone())).await;
        assert_eq!((status, &body), (400, &expected), "{claims}");
    }
    let (status, body) = jwt(&org, "not.a.jwt").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn jwt_bearer_with_a_public_key_and_the_org_clock() {
    let org = start_with(FakeOrg::builder().jwt_certificate(fixture("jwt_public_key.pem"))).await;
    let signed = assertion(&org, json!({"aud": "https://test.salesforce.com"}));
    assert_eq!(jwt(&org, &signed).await.0, 200);
    org.advance_clock(Duration::from_secs(600));
    let (status, body) = jwt(&org, &signed).await;
    assert_eq!(status, 400);
    assert_eq!(body["error_description"], "expired authorization code");
}

#[tokio::test]
async fn client_credentials_issue_for_the_integration_user() {
    let org = start().await;
    let (status, body) = token(
        &org,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", org.client_id()),
            ("client_secret", org.client_secret()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    check_token_response(&org, &body, false);
    let access = body["access_token"].as_str().expect("token");
    let url = format!("{}/services/oauth2/userinfo", org.login_url());
    let (_, info) = status_and_json(
        client()
            .get(url)
            .bearer_auth(access)
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(info["preferred_username"], org.integration_username());
    let basic = client()
        .post(format!("{}/services/oauth2/token", org.login_url()))
        .basic_auth(org.client_id(), Some("wrong"))
        .form(&[("grant_type", "client_credentials")]);
    assert_eq!(send(basic).await.0, 401);
}

#[tokio::test]
async fn revoke_userinfo_and_introspect() {
    let org = start().await;
    let login = org.login_url().to_owned();
    let (status, info) = status_and_json(
        client()
            .get(format!("{login}/services/oauth2/userinfo"))
            .bearer_auth(org.access_token())
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(info["preferred_username"], org.username());
    assert_eq!(info["user_id"], org.user_id());
    assert_eq!(info["organization_id"], org.org_id());

    let introspect = |token: String| {
        client()
            .post(format!("{login}/services/oauth2/introspect"))
            .form(&[
                ("token", token.as_str()),
                ("client_id", org.client_id()),
                ("client_secret", org.client_secret()),
            ])
            .send()
    };
    let (_, body) = status_and_json(
        introspect(org.access_token().to_owned())
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(body["active"], true);
    assert_eq!(body["token_type"], "access_token");
    assert_eq!(body["username"], org.username());
    let (_, body) = status_and_json(
        introspect(org.refresh_token().to_owned())
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(
        (body["active"].clone(), body["token_type"].clone()),
        (json!(true), json!("refresh_token"))
    );

    // Revoking the refresh token revokes the access token issued from it.
    let (status, _) = send(
        client()
            .post(format!("{login}/services/oauth2/revoke"))
            .form(&[("token", org.refresh_token())]),
    )
    .await;
    assert_eq!(status, 200);
    assert!(!works(&org, org.access_token()).await);
    let (_, body) = status_and_json(
        introspect(org.access_token().to_owned())
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(body, json!({"active": false}));
    let (status, _) = send(api(&org, Method::GET, "/limits")).await;
    assert_eq!(status, 401);
    let (status, _) = send(
        client()
            .post(format!("{login}/services/oauth2/revoke"))
            .form(&[("token", "unknown")]),
    )
    .await;
    assert_eq!(status, 400);
    let response = client()
        .get(format!("{login}/services/oauth2/userinfo"))
        .bearer_auth("bad")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn password_flow_and_identity_url() {
    let org = start().await;
    let (status, body) = token(
        &org,
        &[
            ("grant_type", "password"),
            ("username", org.username()),
            ("password", org.password()),
            ("client_id", org.client_id()),
            ("client_secret", org.client_secret()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    check_token_response(&org, &body, false);
    let id_url = body["id"].as_str().expect("id").to_owned();
    let access = body["access_token"].as_str().expect("token");
    let (status, identity) = status_and_json(
        client()
            .get(&id_url)
            .bearer_auth(access)
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(identity["username"], org.username());
    assert_eq!(identity["id"], id_url);
}
