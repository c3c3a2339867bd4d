//! Exact decimals over HTTP: `currency(18, 2)` and `currency(16, 2)` values at
//! their bounds go to the fake org and come back digit for digit, through the
//! REST CRUD, query, Collections, Composite and Bulk paths. Every value here has
//! more significant digits than an `f64` holds (`9999999999999999.99` as an
//! `f64` is `1e16`), so a path that goes through a double fails these tests.

use std::time::Duration;

use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use sfgen_fake_org::{FakeOrg, RunningOrg};
use sfgen_runtime::batch::bulk::{BulkOptions, BulkQueryOptions, PollPolicy};
use sfgen_runtime::batch::composite::Composite;
use sfgen_runtime::rust_decimal::Decimal;
use sfgen_runtime::soql::Soql;
use sfgen_runtime::{Client, CreateRecord, Field, Id, SObject, UpdateRecord};

use crate::common::{api_versions, token_client};

/// The bounds of `currency(18, 2)` (`Amount`) and the smallest step.
const AMOUNTS: [&str; 3] = ["9999999999999999.99", "-9999999999999999.99", "0.01"];
/// The bounds of `currency(16, 2)` (`Mid__c`).
const MIDS: [&str; 3] = ["99999999999999.99", "-99999999999999.99", "0.01"];

/// An Opportunity read with its two currency fields, as generated code will
/// write it once the generator emits `with = "...::number::exact"`.
#[derive(Debug, Deserialize)]
struct Opp {
    #[serde(rename = "Id")]
    id: Id<Opp>,
    #[serde(rename = "Amount", default, with = "::sfgen_runtime::number::exact")]
    amount: Option<Decimal>,
    #[serde(rename = "Mid__c", default, with = "::sfgen_runtime::number::exact")]
    mid: Option<Decimal>,
}

impl SObject for Opp {
    const API_NAME: &'static str = "Opportunity";
    const KEY_PREFIX: Option<&'static str> = Some("006");
    const FIELDS: &'static [&'static str] = &["Id", "Amount", "Mid__c"];
}

#[derive(Debug, Serialize)]
struct NewOpp {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "StageName")]
    stage: &'static str,
    #[serde(rename = "CloseDate")]
    close: &'static str,
    #[serde(
        rename = "Amount",
        skip_serializing_if = "Option::is_none",
        with = "::sfgen_runtime::number::exact"
    )]
    amount: Option<Decimal>,
    #[serde(
        rename = "Mid__c",
        skip_serializing_if = "Option::is_none",
        with = "::sfgen_runtime::number::exact"
    )]
    mid: Option<Decimal>,
}

impl CreateRecord for NewOpp {
    type Object = Opp;
}

#[derive(Debug, Default, Serialize)]
struct OppUpdate {
    #[serde(
        rename = "Amount",
        skip_serializing_if = "Field::is_unset",
        with = "::sfgen_runtime::number::exact"
    )]
    amount: Field<Decimal>,
    #[serde(
        rename = "Mid__c",
        skip_serializing_if = "Field::is_unset",
        with = "::sfgen_runtime::number::exact"
    )]
    mid: Field<Decimal>,
}

impl UpdateRecord for OppUpdate {
    type Object = Opp;
}

fn d(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

fn new_opp(name: &str, amount: &str, mid: &str) -> NewOpp {
    NewOpp {
        name: name.to_owned(),
        stage: "Prospecting",
        close: "2030-01-31",
        amount: Some(d(amount)),
        mid: Some(d(mid)),
    }
}

/// `(Amount, Mid__c)` as text.
fn texts(opp: &Opp) -> (String, String) {
    let text = |v: Option<Decimal>| v.map_or_else(|| "null".to_owned(), |d| d.to_string());
    (text(opp.amount), text(opp.mid))
}

/// The workspace's describes, with a `currency(16, 2)` field `Mid__c` on Opportunity.
async fn org() -> RunningOrg {
    let schemas = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas");
    let text = std::fs::read_to_string(format!("{schemas}/Opportunity.json"))
        .expect("the Opportunity describe");
    let mut describe: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let fields = describe["fields"].as_array_mut().expect("fields");
    let mut mid = fields
        .iter()
        .find(|f| f["name"] == "Amount")
        .cloned()
        .expect("Amount");
    mid["name"] = "Mid__c".into();
    mid["label"] = "Mid".into();
    mid["custom"] = true.into();
    mid["precision"] = 16.into();
    mid["scale"] = 2.into();
    fields.push(mid);
    FakeOrg::builder()
        .schemas_dir(schemas)
        .describe(describe)
        .api_versions(api_versions())
        .start()
        .await
        .expect("the fake org starts")
}

#[tokio::test]
async fn bounds_round_trip_through_create_get_update_and_query() {
    let org = org().await;
    let client = token_client(&org).await;
    let mut ids = Vec::new();
    for (i, (amount, mid)) in AMOUNTS.iter().zip(MIDS).enumerate() {
        let id = client
            .create(&new_opp(&format!("Bound {i}"), amount, mid))
            .await
            .expect("creates");
        let read = client.get(id).await.expect("reads");
        assert_eq!(texts(&read), (amount.to_string(), mid.to_string()));
        ids.push(id);
    }

    // Update: swap the signs, then clear one field and keep the other.
    let first = ids[0];
    client
        .update(
            first,
            &OppUpdate {
                amount: Field::Value(d(AMOUNTS[1])),
                mid: Field::Value(d(MIDS[1])),
            },
        )
        .await
        .expect("updates");
    let read = client.get(first).await.expect("reads");
    assert_eq!(texts(&read), (AMOUNTS[1].to_owned(), MIDS[1].to_owned()));
    client
        .update(
            first,
            &OppUpdate {
                amount: Field::Null,
                ..OppUpdate::default()
            },
        )
        .await
        .expect("updates");
    let read = client.get(first).await.expect("reads");
    assert_eq!(texts(&read), ("null".to_owned(), MIDS[1].to_owned()));

    // Query pages, and SOQL comparisons on the stored decimals.
    let rows: Vec<Opp> = client
        .query::<Opp>(Soql::new(
            "SELECT Id, Amount, Mid__c FROM Opportunity WHERE Mid__c < 0 ORDER BY Name",
        ))
        .try_collect()
        .await
        .expect("queries");
    let found: Vec<(String, String)> = rows.iter().map(texts).collect();
    assert_eq!(
        found,
        [
            ("null".to_owned(), MIDS[1].to_owned()),
            (AMOUNTS[1].to_owned(), MIDS[1].to_owned())
        ]
    );
    assert_eq!(rows[1].id, ids[1]);
    let small: Vec<Opp> = client
        .query::<Opp>(Soql::new(
            "SELECT Id, Amount, Mid__c FROM Opportunity WHERE Amount = 0.01",
        ))
        .try_collect()
        .await
        .expect("queries");
    assert_eq!(small.iter().map(|o| o.id).collect::<Vec<_>>(), [ids[2]]);
}

#[tokio::test]
async fn too_many_digits_are_number_outside_valid_range() {
    let org = org().await;
    let client = token_client(&org).await;
    for (amount, mid) in [
        ("10000000000000000", "0"),   // 17 whole digits in currency(18, 2)
        ("0", "100000000000000"),     // 15 whole digits in currency(16, 2)
        ("0", "-100000000000000.00"), // the same, negative
    ] {
        let err = client
            .create(&new_opp("Too big", amount, mid))
            .await
            .expect_err("out of range");
        assert_eq!(
            err.api_code().map(|c| c.as_str()),
            Some("NUMBER_OUTSIDE_VALID_RANGE"),
            "{amount} / {mid}: {err}"
        );
    }
    // More fraction digits than the scale are stored as given: Salesforce
    // rounds to the scale only in its UI, not through the API (knowledge
    // article 000385689), so nothing rounds up past the precision either.
    let id = client
        .create(&new_opp("Unrounded", "0.005", "99999999999999.995"))
        .await
        .expect("creates");
    let read = client.get(id).await.expect("reads");
    assert_eq!(
        texts(&read),
        ("0.005".to_owned(), "99999999999999.995".to_owned())
    );
}

#[tokio::test]
async fn collections_and_composite_keep_every_digit() {
    let org = org().await;
    let client = token_client(&org).await;
    let records: Vec<NewOpp> = AMOUNTS
        .iter()
        .zip(MIDS)
        .enumerate()
        .map(|(i, (amount, mid))| new_opp(&format!("Many {i}"), amount, mid))
        .collect();
    let report = client.create_many(&records).await.expect("sent");
    assert!(report.all_written(), "{report:?}");
    let ids: Vec<Id<Opp>> = report.ids().into_iter().flatten().copied().collect();
    let read = client.get_many(&ids).await.expect("reads");
    let found: Vec<(String, String)> = read.iter().flatten().map(texts).collect();
    let expected: Vec<(String, String)> = AMOUNTS
        .iter()
        .zip(MIDS)
        .map(|(a, m)| (a.to_string(), m.to_string()))
        .collect();
    assert_eq!(found, expected);

    let mut request = Composite::new();
    let created = request
        .create(&new_opp("Composite", AMOUNTS[1], MIDS[0]))
        .expect("fits");
    let response = client.composite(&request).await.expect("sent");
    let id: Id<Opp> = response.id(&created).expect("created");
    let read = client.get(id).await.expect("reads");
    assert_eq!(texts(&read), (AMOUNTS[1].to_owned(), MIDS[0].to_owned()));
}

#[tokio::test]
async fn bulk_ingest_and_query_keep_every_digit() {
    let org = org().await;
    let client: Client = token_client(&org).await;
    let poll = PollPolicy {
        initial: Duration::from_millis(10),
        factor: 2.0,
        max: Duration::from_millis(50),
        timeout: Duration::from_secs(60),
    };
    let records: Vec<NewOpp> = AMOUNTS
        .iter()
        .zip(MIDS)
        .enumerate()
        .map(|(i, (amount, mid))| new_opp(&format!("Bulk {i}"), amount, mid))
        .collect();
    let report = client
        .bulk_insert(&records, &BulkOptions::default().poll(poll))
        .await
        .expect("sent");
    assert!(report.all_written(), "{report:?}");
    let ids: Vec<Id<Opp>> = report.ids().into_iter().flatten().copied().collect();
    for (id, (amount, mid)) in ids.iter().zip(AMOUNTS.iter().zip(MIDS)) {
        let read = client.get(*id).await.expect("reads");
        assert_eq!(texts(&read), (amount.to_string(), mid.to_string()));
    }

    let mut rows: Vec<Opp> = client
        .bulk_query_records::<Opp>(None, &BulkQueryOptions::default().poll(poll))
        .try_collect()
        .await
        .expect("queries");
    rows.sort_by_key(|o| ids.iter().position(|id| *id == o.id));
    let found: Vec<(String, String)> = rows.iter().map(texts).collect();
    let expected: Vec<(String, String)> = AMOUNTS
        .iter()
        .zip(MIDS)
        .map(|(a, m)| (a.to_string(), m.to_string()))
        .collect();
    assert_eq!(found, expected);
}

/// `currency(18, 0)` (`Account.AnnualRevenue`): an 18-digit whole amount, one
/// more digit than an `f64` keeps, through the generated bindings.
#[tokio::test]
async fn a_whole_currency_at_its_bound_round_trips_through_generated_bindings() {
    use sfgen_generated::{Account, AccountRequired, NewAccount};
    let org = crate::common::org().await;
    let client = token_client(&org).await;
    let bound: Decimal = "999999999999999999".parse().expect("a decimal");
    let id = client
        .create(
            &NewAccount::new(AccountRequired {
                name: "Bound".into(),
            })
            .with_annual_revenue(bound),
        )
        .await
        .expect("creates");
    let read: Account = client.get(id).await.expect("reads");
    assert_eq!(read.annual_revenue, Some(bound));
    let rows: Vec<Account> = client
        .query::<Account>(sfgen_runtime::soql::Select::from::<Account>())
        .try_collect()
        .await
        .expect("queries");
    // Salesforce writes currency with a fraction digit (`…999.0`): the same value.
    assert_eq!(rows[0].annual_revenue, Some(bound));
}
