//! `/query`, `/queryAll` and paging.

use reqwest::Method;
use serde_json::{json, Map, Value};
use sfgen_fake_org::{FakeOrg, RunningOrg};

use crate::common::{api, client, codes, create, keys, recording, send, start, start_with};

fn accounts(n: usize) -> impl Iterator<Item = Map<String, Value>> {
    (0..n).map(|i| {
        let mut m = Map::new();
        m.insert("Name".into(), json!(format!("Account {i:05}")));
        m.insert("NumberOfEmployees".into(), json!(i));
        m
    })
}

async fn query(org: &RunningOrg, soql: &str) -> (u16, Value) {
    send(api(org, Method::GET, "/query").query(&[("q", soql)])).await
}

#[tokio::test]
async fn pages_follow_salesforce() {
    let org = start().await;
    org.store()
        .bulk_load("Account", accounts(450))
        .expect("loaded");
    let first = api(&org, Method::GET, "/query")
        .query(&[("q", "SELECT Id, Name FROM Account ORDER BY Name")])
        .header("Sforce-Query-Options", "batchSize=200")
        .send()
        .await
        .expect("answered");
    let (status, page1) = crate::common::status_and_json(first).await;
    assert_eq!(status, 200);
    assert_eq!(
        keys(&page1),
        keys(&recording(
            "responses/restforce/sobject__query_paginated_first_page_response.json"
        ))
    );
    assert_eq!(page1["totalSize"], 450);
    assert_eq!(page1["done"], false);
    assert_eq!(page1["records"].as_array().expect("records").len(), 200);
    assert_eq!(page1["records"][0]["Name"], "Account 00000");
    assert_eq!(
        keys(&page1["records"][0]["attributes"]),
        keys(&json!({"type": 1, "url": 1}))
    );
    let next = page1["nextRecordsUrl"]
        .as_str()
        .expect("nextRecordsUrl")
        .to_owned();
    let prefix = format!("/services/data/v{}/query/01g", org.api_version());
    assert!(
        next.starts_with(&prefix) && next.ends_with("-200"),
        "{next}"
    );

    let (_, page2) = send(
        client()
            .get(format!("{}{next}", org.instance_url()))
            .bearer_auth(org.access_token()),
    )
    .await;
    assert_eq!(page2["records"].as_array().expect("records").len(), 200);
    assert_eq!(page2["records"][0]["Name"], "Account 00200");
    let next = page2["nextRecordsUrl"]
        .as_str()
        .expect("nextRecordsUrl")
        .to_owned();
    assert!(next.ends_with("-400"));
    let (_, page3) = send(
        client()
            .get(format!("{}{next}", org.instance_url()))
            .bearer_auth(org.access_token()),
    )
    .await;
    assert_eq!(
        keys(&page3),
        keys(&recording(
            "responses/restforce/sobject__query_paginated_last_page_response.json"
        ))
    );
    assert_eq!(page3["done"], true);
    assert_eq!(page3["records"].as_array().expect("records").len(), 50);
    assert_eq!(page3["records"][49]["Name"], "Account 00449");
    assert_eq!(org.calls("GET */query*"), 3);
}

#[tokio::test]
async fn default_page_size_and_batch_size_clamping() {
    let org = start().await;
    org.store()
        .bulk_load("Account", accounts(2100))
        .expect("loaded");
    let (_, page) = query(&org, "SELECT Id FROM Account").await;
    assert_eq!(page["records"].as_array().expect("records").len(), 2000);
    let small = api(&org, Method::GET, "/query")
        .query(&[("q", "SELECT Id FROM Account")])
        .header("Sforce-Query-Options", "batchSize=10");
    let (_, page) = send(small).await;
    assert_eq!(page["records"].as_array().expect("records").len(), 200);
    assert!(page["nextRecordsUrl"]
        .as_str()
        .expect("next")
        .ends_with("-200"));

    let org = start_with(FakeOrg::builder().default_batch_size(3)).await;
    org.store()
        .bulk_load("Account", accounts(5))
        .expect("loaded");
    let (_, page) = query(&org, "SELECT Id FROM Account").await;
    assert_eq!(page["records"].as_array().expect("records").len(), 3);
}

#[tokio::test]
async fn rows_have_the_recorded_shape() {
    let org = start().await;
    let account = create(&org, "Account", json!({"Name": "Parent"})).await;
    create(
        &org,
        "Contact",
        json!({"LastName": "Doe", "AccountId": account}),
    )
    .await;
    let (status, page) = query(&org, "SELECT Id, Name, AccountNumber, Phone FROM Account").await;
    assert_eq!(status, 200);
    let recorded = recording("responses/cumulusci/query_account_many_fields.json");
    assert_eq!(keys(&page), keys(&recorded));
    assert_eq!(
        keys(&page["records"][0]["attributes"]),
        keys(&recorded["records"][0]["attributes"])
    );
    assert_eq!(page["records"][0]["Phone"], Value::Null);
    let (_, page) = query(
        &org,
        "SELECT LastName, Account.Name FROM Contact WHERE Account.Name = 'Parent'",
    )
    .await;
    assert_eq!(page["totalSize"], 1);
    assert_eq!(page["records"][0]["Account"]["Name"], "Parent");
    assert_eq!(
        page["records"][0]["Account"]["attributes"]["type"],
        "Account"
    );
}

#[tokio::test]
async fn count_query_all_and_errors() {
    let org = start().await;
    let id = create(&org, "Account", json!({"Name": "Gone"})).await;
    create(&org, "Account", json!({"Name": "Kept"})).await;
    send(api(
        &org,
        Method::DELETE,
        &format!("/sobjects/Account/{id}"),
    ))
    .await;
    let (_, page) = query(&org, "SELECT COUNT() FROM Account").await;
    assert_eq!(page, json!({"totalSize": 1, "done": true, "records": []}));
    assert_eq!(
        keys(&page),
        keys(&recording(
            "responses/snowfakery/query_count_response_v50.json"
        ))
    );
    let (_, page) = send(
        api(&org, Method::GET, "/queryAll")
            .query(&[("q", "SELECT Name, IsDeleted FROM Account ORDER BY Name")]),
    )
    .await;
    assert_eq!(page["totalSize"], 2);
    assert_eq!(page["records"][0]["IsDeleted"], true);
    let (status, body) = query(&org, "SELECT Id FROM Nope").await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["INVALID_TYPE"]);
    assert_eq!(
        keys(&body[0]),
        keys(&recording("responses/snowfakery/query_error_400_bad_query_v50.json")[0])
    );
    let (status, body) = query(&org, "SELECT Id FROM Account GROUP BY Name").await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["MALFORMED_QUERY"]);
    let (status, body) = send(api(&org, Method::GET, "/query/01gNOPE-2000")).await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["INVALID_QUERY_LOCATOR"]);
}
