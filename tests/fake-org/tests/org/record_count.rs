//! `GET /limits/recordCount`: the records of each object, as Salesforce's
//! Record Count resource lists them (`{"sObjects": [{"count", "name"}]}`).

use reqwest::Method;
use serde_json::{json, Value};

use super::common::{api, create, send, start};

fn counts(body: &Value) -> Vec<(String, u64)> {
    body["sObjects"]
        .as_array()
        .expect("an sObjects list")
        .iter()
        .map(|o| {
            (
                o["name"].as_str().expect("a name").to_owned(),
                o["count"].as_u64().expect("a count"),
            )
        })
        .collect()
}

#[tokio::test]
async fn record_counts_count_live_records_of_the_listed_objects() {
    let org = start().await;
    for i in 0..3 {
        create(&org, "Account", json!({"Name": format!("A{i}")})).await;
    }
    let mut contacts = Vec::new();
    for i in 0..2 {
        contacts.push(create(&org, "Contact", json!({"LastName": format!("C{i}")})).await);
    }
    // A deleted record is not counted.
    let (status, _) = send(api(
        &org,
        Method::DELETE,
        &format!("/sobjects/Contact/{}", contacts[0]),
    ))
    .await;
    assert_eq!(status, 204);

    let (status, body) = send(api(
        &org,
        Method::GET,
        "/limits/recordCount?sObjects=Account,Contact",
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"sObjects": [{"count": 3, "name": "Account"}, {"count": 1, "name": "Contact"}]})
    );
    // Names as typed come back canonical; unknown names are left out; an
    // encoded comma separates too; a known object without records counts 0.
    let (status, body) = send(api(
        &org,
        Method::GET,
        "/limits/recordCount?sObjects=contact%2CNope__c,Opportunity",
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        counts(&body),
        [("Contact".to_owned(), 1), ("Opportunity".to_owned(), 0)]
    );
}

#[tokio::test]
async fn record_counts_without_a_list_cover_every_object_with_records() {
    let org = start().await;
    create(&org, "Account", json!({"Name": "Only"})).await;
    create(&org, "Account", json!({"Name": "Two"})).await;
    create(&org, "Contact", json!({"LastName": "One"})).await;
    // No parameter, and the Salesforce CLI's bare `?sObjects`
    // (plugin-limits record-counts.js:41-42).
    for target in ["/limits/recordCount", "/limits/recordCount?sObjects"] {
        let (status, body) = send(api(&org, Method::GET, target)).await;
        assert_eq!(status, 200, "{target}: {body}");
        let mut seen = counts(&body);
        seen.sort();
        // The org's seeded users are records too.
        let (_, users) = send(api(&org, Method::GET, "/query?q=SELECT+Id+FROM+User")).await;
        let users = users["totalSize"].as_u64().expect("a user count");
        assert_eq!(users, 2);
        assert_eq!(
            seen,
            [
                ("Account".to_owned(), 2),
                ("Contact".to_owned(), 1),
                ("User".to_owned(), users)
            ],
            "{target}: {body}"
        );
    }
    // The resource is a data route: the session is checked.
    let (status, _) =
        send(super::common::client().get(format!("{}/limits/recordCount", org.data_url()))).await;
    assert_eq!(status, 401);
}
