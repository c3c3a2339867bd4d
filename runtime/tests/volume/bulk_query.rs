//! Bulk API 2.0 query jobs: typed records over several result pages, compound
//! fields rebuilt from their components, and Salesforce's refusals.

use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde_json::Value;
use sfgen_runtime::batch::bulk::{bulk_fields, BulkQueryOptions};
use sfgen_runtime::soql::{Condition, Like};
use sfgen_runtime::{Error, SObject};

use sfgen_generated::Account;
use sfgen_runtime::rust_decimal::Decimal;

use crate::common::{
    client, new_account, new_contact, org, query_options, recorder, seed_companies,
};

#[tokio::test]
async fn typed_records_stream_over_several_pages() {
    let org = org().await;
    let client = client(&org).await;
    seed_companies(&org, "Paged", 25_000);
    seed_companies(&org, "Other", 10);
    let (hook, seen) = recorder();
    let options = query_options().page_records(10_000).progress(hook);
    let filter = Condition::like("Name", Like::starts_with("Paged"));
    let companies: Vec<Account> = client
        .bulk_query_records::<Account>(Some(filter), &options)
        .try_collect()
        .await
        .expect("every page decodes");

    assert_eq!(companies.len(), 25_000);
    assert_eq!(
        org.calls("GET */jobs/query/*/results"),
        3,
        "⌈25,000 / 10,000⌉ pages"
    );
    assert_eq!(org.calls("POST */jobs/query"), 1);
    let mut names: Vec<&str> = companies.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 25_000);
    for company in &companies {
        let i: i64 = company.name["Paged ".len()..].parse().expect("a number");
        assert_eq!(company.number_of_employees.map(i64::from), Some(i));
        assert_eq!(company.annual_revenue, Some(Decimal::from(i * 1_000)));
        assert_eq!(company.id.key_prefix(), "001");
        assert_eq!(company.billing_street, None);
        assert!(
            company.created_date.to_string().starts_with("20"),
            "{}",
            company.created_date
        );
        assert!(!company.is_deleted);
        let city = company
            .billing_address
            .as_ref()
            .and_then(|a| a.city.as_deref());
        assert_eq!(city, (i % 2 == 0).then_some("Paris"), "{}", company.name);
        assert_eq!(company.billing_city.as_deref(), city);
    }
    assert_eq!(
        *seen.lock().expect("not poisoned"),
        [
            (0, 25_000),
            (10_000, 25_000),
            (20_000, 25_000),
            (25_000, 25_000)
        ]
    );
}

#[tokio::test]
async fn compound_fields_stay_out_of_bulk_queries() {
    assert!(Account::FIELDS.contains(&"BillingAddress"));
    assert!(!bulk_fields::<Account>().contains(&"BillingAddress"));
    assert!(bulk_fields::<Account>().contains(&"BillingCity"));
    assert!(!bulk_fields::<Account>().contains(&"ShippingAddress"));

    let org = org().await;
    let client = client(&org).await;
    let mut rows =
        client.bulk_query::<Value>("SELECT Id, BillingAddress FROM Account", &query_options());
    match rows.next().await {
        Some(Err(Error::Api {
            status: 400,
            code,
            message,
            ..
        })) => {
            assert_eq!(code.as_str(), "FUNCTIONALITY_NOT_ENABLED");
            assert_eq!(
                message,
                "Selecting compound data not supported in Bulk Query"
            );
        }
        other => panic!("expected Salesforce's refusal, got {other:?}"),
    }
    assert!(
        rows.next().await.is_none(),
        "the stream ends after its error"
    );
}

#[derive(Debug, Deserialize, PartialEq)]
struct ContactRow {
    #[serde(rename = "LastName")]
    last_name: String,
    #[serde(rename = "Account")]
    account: Option<AccountName>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct AccountName {
    #[serde(rename = "Name")]
    name: String,
}

#[tokio::test]
async fn any_deserialize_type_reads_parents_and_deleted_rows() {
    let org = org().await;
    let client = client(&org).await;
    let created = client
        .composite(&{
            let mut request = sfgen_runtime::batch::Composite::new();
            let account = request.create(&new_account("Parent")).expect("fits");
            request
                .create_linked(&new_contact("Child"), &[("AccountId", account.id())])
                .expect("fits");
            request.create(&new_contact("Orphan")).expect("fits");
            request
        })
        .await
        .expect("sent");
    assert!(created.all_succeeded());
    let soql = "SELECT LastName, Account.Name FROM Contact ORDER BY LastName";
    let rows: Vec<ContactRow> = client
        .bulk_query(soql, &query_options())
        .try_collect()
        .await
        .expect("decodes");
    assert_eq!(
        rows,
        [
            ContactRow {
                last_name: "Child".into(),
                account: Some(AccountName {
                    name: "Parent".into()
                })
            },
            ContactRow {
                last_name: "Orphan".into(),
                account: None
            },
        ]
    );

    let orphan = created.results()[2].body["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    org.store().delete("Contact", &orphan).expect("deleted");
    let live: Vec<Value> = client
        .bulk_query("SELECT Id FROM Contact", &query_options())
        .try_collect()
        .await
        .expect("decodes");
    let all: Vec<Value> = client
        .bulk_query(
            "SELECT Id, IsDeleted FROM Contact",
            &BulkQueryOptions {
                include_deleted: true,
                ..query_options()
            },
        )
        .try_collect()
        .await
        .expect("decodes");
    assert_eq!((live.len(), all.len()), (1, 2));
    assert!(all
        .iter()
        .any(|r| r["Id"] == orphan.as_str() && r["IsDeleted"] == true));
}
