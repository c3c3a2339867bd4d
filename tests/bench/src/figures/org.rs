//! The fake org most figures run against, its Accounts, Contacts and clients.

use anyhow::Context;
use serde_json::{json, Map, Value};
use sfgen_fake_org::{FakeOrg, RunningOrg};
use sfgen_runtime::{Client, Credentials, Limits, LoginHost, OAuthApp, Url};

/// API versions the org serves: the fake org's defaults and the runtime's (66.0).
const VERSIONS: std::ops::RangeInclusive<u32> = 20..=66;

/// The org's daily allocation: well above what one run spends (about 1,500 calls).
const DAILY_API_LIMIT: u64 = 1_000_000;

/// A running fake org with Accounts (and Contacts) loaded and a client connected.
pub struct Org {
    /// The org (in this process).
    pub org: RunningOrg,
    /// A client that logs in with the refresh token (so it survives expired sessions).
    pub client: Client,
    /// Accounts loaded so far: record `i` has `NumberOfEmployees = i`.
    loaded: usize,
    /// Contacts loaded so far (figure 10).
    contacts: usize,
}

impl Org {
    /// Starts an org on the workspace's `schemas/` and connects a client.
    pub async fn start() -> anyhow::Result<Org> {
        let versions: Vec<String> = VERSIONS.map(|v| format!("{v}.0")).collect();
        let org = FakeOrg::builder()
            .api_versions(versions)
            .daily_api_limit(DAILY_API_LIMIT)
            .start()
            .await
            .context("starting the fake org")?;
        // The limits users get: a benchmark times the path users take.
        let client = refresh_client(&org, Limits::default()).await?;
        Ok(Org {
            org,
            client,
            loaded: 0,
            contacts: 0,
        })
    }

    /// Loads Accounts until there are `n` of ours (straight into the store, no HTTP).
    pub fn ensure_accounts(&mut self, n: usize) -> anyhow::Result<()> {
        if n > self.loaded {
            self.org
                .store()
                .bulk_load("Account", (self.loaded..n).map(account))
                .map_err(|e| anyhow::anyhow!("loading Accounts into the fake org: {e:?}"))?;
            self.loaded = n;
        }
        Ok(())
    }

    /// Loads Contacts until there are `n` of ours (straight into the store, no HTTP).
    pub fn ensure_contacts(&mut self, n: usize) -> anyhow::Result<()> {
        if n > self.contacts {
            self.org
                .store()
                .bulk_load("Contact", (self.contacts..n).map(contact))
                .map_err(|e| anyhow::anyhow!("loading Contacts into the fake org: {e:?}"))?;
            self.contacts = n;
        }
        Ok(())
    }

    /// Stops the org.
    pub async fn shutdown(self) {
        self.org.shutdown().await;
    }
}

/// A client that logs in (and renews) with the org's refresh token.
pub async fn refresh_client(org: &RunningOrg, limits: Limits) -> anyhow::Result<Client> {
    let app = OAuthApp::new(org.client_id()).with_secret(org.client_secret());
    let login = LoginHost::MyDomain(Url::parse(org.login_url()).context("the org's login URL")?);
    Client::builder()
        .limits(limits)
        .connect(Credentials::refresh_token(app, login, org.refresh_token()))
        .await
        .context("connecting to the fake org with its refresh token")
}

/// The `i`-th benchmark Account: a dozen fields set, as a real record has.
fn account(i: usize) -> Map<String, Value> {
    const INDUSTRIES: [&str; 4] = ["Energy", "Media", "Banking", "Retail"];
    let record = json!({
        "Name": format!("Account {i:07}"),
        "AccountNumber": format!("AN-{i:07}"),
        "Industry": INDUSTRIES[i % INDUSTRIES.len()],
        "Type": "Customer - Direct",
        "BillingStreet": format!("{} Market Street", i % 977),
        "BillingCity": "San Francisco",
        "BillingState": "CA",
        "BillingPostalCode": "94105",
        "BillingCountry": "USA",
        "Phone": format!("+1 415 555 {:04}", i % 10_000),
        "Website": format!("https://example.com/{i}"),
        "AnnualRevenue": (i % 1_000) * 10_000,
        "NumberOfEmployees": i,
        "Description": "A customer account loaded for the benchmark.",
    });
    match record {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The `i`-th benchmark Contact: about fifteen fields set, as a real record has.
fn contact(i: usize) -> Map<String, Value> {
    const SALUTATIONS: [&str; 4] = ["Mr.", "Ms.", "Mrs.", "Dr."];
    const LEAD_SOURCES: [&str; 3] = ["Web", "Phone Inquiry", "Partner Referral"];
    const DEPARTMENTS: [&str; 4] = ["Finance", "Operations", "Sales", "Engineering"];
    let record = json!({
        "Salutation": SALUTATIONS[i % SALUTATIONS.len()],
        "FirstName": format!("First{i:07}"),
        "LastName": format!("Contact {i:07}"),
        "Title": "Director of Operations",
        "Department": DEPARTMENTS[i % DEPARTMENTS.len()],
        "Email": format!("contact{i}@example.com"),
        "Phone": format!("+1 415 555 {:04}", i % 10_000),
        "MobilePhone": format!("+1 650 555 {:04}", (i * 7) % 10_000),
        "MailingStreet": format!("{} Mission Street", i % 991),
        "MailingCity": "San Francisco",
        "MailingState": "CA",
        "MailingPostalCode": "94105",
        "MailingCountry": "USA",
        "LeadSource": LEAD_SOURCES[i % LEAD_SOURCES.len()],
        "Birthdate": format!("19{:02}-{:02}-{:02}", 50 + i % 50, 1 + i % 12, 1 + i % 28),
        "Description": "A contact loaded for the benchmark.",
    });
    match record {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
