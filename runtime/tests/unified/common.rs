//! Helpers: a fake org, a unified client on it, ids and dates.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::{Map, Value};
use sfgen_fake_org::{FakeOrg, RunningOrg};
use sfgen_generated::unified::Salesforce;
use sfgen_runtime::unified::Crm;
use sfgen_runtime::{Client, Credentials, Limits, Url};

/// A fake org serving the committed describes (API versions up to the client's default).
pub async fn org() -> RunningOrg {
    FakeOrg::builder()
        .api_versions((20..=66).map(|v| format!("{v}.0")))
        .start()
        .await
        .expect("the fake org starts")
}

/// A client on the org's access token.
pub async fn client(org: &RunningOrg) -> Client {
    let url = Url::parse(org.instance_url()).expect("the fake org hands out valid URLs");
    Client::builder()
        .limits(Limits::unlimited())
        .connect(Credentials::access_token(url, org.access_token()))
        .await
        .expect("connects with an access token")
}

/// The unified API on a client.
pub fn crm(client: &Client) -> Crm<Salesforce> {
    client.crm::<Salesforce>()
}

/// A date.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A date-time in UTC, to the second.
pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("a valid date-time")
}

/// A JSON object from pairs.
pub fn body(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// The SOQL texts the org received, in order.
pub fn queries(org: &RunningOrg) -> Vec<String> {
    org.request_log()
        .into_iter()
        .filter(|r| r.path.ends_with("/query"))
        .filter_map(|r| r.query)
        .filter_map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "q")
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

/// The Salesforce record as stored, every field (`GET /sobjects/<X>/<id>`).
pub async fn raw(client: &Client, object: &str, id: &str) -> serde_json::Value {
    let id = sfgen_runtime::RecordId::parse(id).expect("a valid id");
    client
        .get_value(object, id, None)
        .await
        .expect("the record reads")
}
