//! Shared by the volume tests: a fake org, a client for it, and shorthands for
//! the generated Contact and Account forms.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use sfgen_fake_org::{FakeOrg, FakeOrgBuilder, RunningOrg};
use sfgen_generated::{Account, Contact};
use sfgen_generated::{AccountRequired, ContactRequired, NewAccount, NewContact};
use sfgen_runtime::batch::bulk::{BulkOptions, BulkQueryOptions, PollPolicy};
use sfgen_runtime::batch::Progress;
use sfgen_runtime::chrono::NaiveDate;
use sfgen_runtime::{Client, Credentials, Id, Limits, RetryPolicy, SObject, Url};

/// A fake org serving API versions up to the client's default (66.0), with a
/// short Bulk processing delay.
pub async fn org() -> RunningOrg {
    org_with(FakeOrg::builder()).await
}

/// A fake org from a configured builder.
pub async fn org_with(builder: FakeOrgBuilder) -> RunningOrg {
    builder
        .api_versions((20..=66).map(|v| format!("{v}.0")))
        .bulk_processing_delay(Duration::from_millis(20))
        .start()
        .await
        .expect("the fake org starts")
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

/// Polls Bulk jobs every few milliseconds.
pub fn fast_poll() -> PollPolicy {
    PollPolicy {
        initial: Duration::from_millis(10),
        factor: 2.0,
        max: Duration::from_millis(50),
        timeout: Duration::from_secs(60),
    }
}

pub fn bulk_options() -> BulkOptions {
    BulkOptions::default().poll(fast_poll())
}

pub fn query_options() -> BulkQueryOptions {
    BulkQueryOptions::default().poll(fast_poll())
}

/// A client on the org's access token, without client-side rate limits.
pub async fn client(org: &RunningOrg) -> Client {
    let url = Url::parse(org.instance_url()).expect("a URL");
    Client::builder()
        .limits(Limits::unlimited())
        .retry(fast_retry())
        .connect(Credentials::access_token(url, org.access_token()))
        .await
        .expect("connects")
}

/// Every `(done, total)` a progress hook received.
pub type Reports = Arc<Mutex<Vec<(u64, u64)>>>;

/// A progress hook that records every report.
pub fn recorder() -> (Arc<dyn Progress>, Reports) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let hook: Arc<dyn Progress> = Arc::new(move |done: u64, total: u64| {
        sink.lock().expect("not poisoned").push((done, total));
    });
    (hook, seen)
}

/// A Contact create form with its last name.
pub fn new_contact(last_name: impl Into<String>) -> NewContact {
    NewContact::new(ContactRequired {
        last_name: last_name.into(),
    })
}

/// A Contact as read back in these tests: a few fields of the generated
/// `Contact`. The generated type itself cannot be read from the fake org yet:
/// the org leaves the compound `Name` of a Contact null, which Salesforce never
/// does (`Name` is not nillable).
#[derive(Debug, Deserialize)]
pub struct ContactView {
    #[serde(rename = "Id")]
    pub id: Id<ContactView>,
    #[serde(rename = "LastName")]
    pub last_name: String,
    #[serde(rename = "FirstName")]
    pub first_name: Option<String>,
    #[serde(rename = "Email")]
    pub email: Option<String>,
    #[serde(rename = "Title")]
    pub title: Option<String>,
    #[serde(rename = "Birthdate")]
    pub birthdate: Option<NaiveDate>,
    #[serde(rename = "AccountId")]
    pub account_id: Option<Id<Account>>,
}

impl SObject for ContactView {
    const API_NAME: &'static str = "Contact";
    const KEY_PREFIX: Option<&'static str> = Some("003");
    const FIELDS: &'static [&'static str] = &[
        "Id",
        "LastName",
        "FirstName",
        "Email",
        "Title",
        "Birthdate",
        "AccountId",
    ];
}

/// Contact ids as ids of the read-back view.
pub fn views(ids: &[Id<Contact>]) -> Vec<Id<ContactView>> {
    ids.iter()
        .map(|id| id.untyped().typed().expect("a Contact id"))
        .collect()
}

/// An Account create form with its name.
pub fn new_account(name: impl Into<String>) -> NewAccount {
    NewAccount::new(AccountRequired { name: name.into() })
}

/// `n` accounts loaded straight into the store (no HTTP), named `<prefix> <i>`,
/// every other one with a billing city, each with its number as employees and revenue.
pub fn seed_companies(org: &RunningOrg, prefix: &str, n: usize) {
    let records = (0..n).map(|i| {
        let mut body = serde_json::Map::new();
        body.insert("Name".into(), format!("{prefix} {i:07}").into());
        body.insert("NumberOfEmployees".into(), (i as u64).into());
        body.insert("AnnualRevenue".into(), (i as u64 * 1_000).into());
        if i % 2 == 0 {
            body.insert("BillingCity".into(), "Paris".into());
        }
        body
    });
    assert_eq!(org.store().bulk_load("Account", records).expect("loads"), n);
}
