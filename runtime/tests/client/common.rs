//! Helpers shared by the client tests: a fake org, credentials for it, and a
//! small hand-written object that implements the generated-code contract.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sfgen_fake_org::{FakeOrg, FakeOrgBuilder, RunningOrg};
use sfgen_runtime::{
    Client, ClientBuilder, CreateRecord, Credentials, Field, Id, Limits, LoginHost, OAuthApp,
    RetryPolicy, SObject, UpdateRecord, Url,
};

/// API versions the test orgs serve: up to the client's default, 66.0.
pub fn api_versions() -> Vec<String> {
    (20..=66).map(|v| format!("{v}.0")).collect()
}

/// A fake org with the default settings (and API versions up to 66.0).
pub async fn org() -> RunningOrg {
    org_with(FakeOrg::builder()).await
}

/// A fake org from a configured builder.
pub async fn org_with(builder: FakeOrgBuilder) -> RunningOrg {
    builder
        .api_versions(api_versions())
        .start()
        .await
        .expect("the fake org starts")
}

/// A URL the fake org handed out.
pub fn url(text: &str) -> Url {
    Url::parse(text).expect("the fake org hands out valid URLs")
}

/// Short waits, so retry tests run fast (the bounds are what is tested).
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(40),
        max_elapsed: Duration::from_secs(30),
    }
}

/// A builder without client-side rate limits and with fast retries.
pub fn builder() -> ClientBuilder {
    Client::builder()
        .limits(Limits::unlimited())
        .retry(fast_retry())
}

/// The org's connected app (Consumer Key and Secret).
pub fn app(org: &RunningOrg) -> OAuthApp {
    OAuthApp::new(org.client_id()).with_secret(org.client_secret())
}

/// The org's login URL as a My Domain login host.
pub fn login(org: &RunningOrg) -> LoginHost {
    LoginHost::MyDomain(url(org.login_url()))
}

/// A client on the org's access token (cannot renew).
pub async fn token_client(org: &RunningOrg) -> Client {
    builder()
        .connect(Credentials::access_token(
            url(org.instance_url()),
            org.access_token(),
        ))
        .await
        .expect("connects with an access token")
}

/// A client that logs in with the org's refresh token (and renews with it).
pub async fn refresh_client(org: &RunningOrg) -> Client {
    builder()
        .connect(Credentials::refresh_token(
            app(org),
            login(org),
            org.refresh_token(),
        ))
        .await
        .expect("connects with a refresh token")
}

/// A hand-written Account with three fields, as generated code would write it.
#[derive(Debug, Deserialize)]
pub struct Acct {
    #[serde(rename = "Id")]
    pub id: Id<Acct>,
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Industry")]
    pub industry: Option<String>,
}

impl SObject for Acct {
    const API_NAME: &'static str = "Account";
    const KEY_PREFIX: Option<&'static str> = Some("001");
    const FIELDS: &'static [&'static str] = &["Id", "Name", "Industry"];
}

/// Its create form.
#[derive(Debug, Serialize)]
pub struct NewAcct {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Industry", skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
}

impl CreateRecord for NewAcct {
    type Object = Acct;
}

/// Its update form.
#[derive(Debug, Default, Serialize)]
pub struct AcctUpdate {
    #[serde(rename = "Name", skip_serializing_if = "Field::is_unset")]
    pub name: Field<String>,
    #[serde(rename = "Industry", skip_serializing_if = "Field::is_unset")]
    pub industry: Field<String>,
}

impl UpdateRecord for AcctUpdate {
    type Object = Acct;
}

/// Creates `n` accounts directly in the org's store (no HTTP), named `<prefix> <i>`.
pub fn seed_accounts(org: &RunningOrg, prefix: &str, n: usize) {
    let records = (0..n).map(|i| {
        let mut body = serde_json::Map::new();
        body.insert("Name".into(), format!("{prefix} {i:07}").into());
        body
    });
    let loaded = org
        .store()
        .bulk_load("Account", records)
        .expect("the accounts load");
    assert_eq!(loaded, n);
}
