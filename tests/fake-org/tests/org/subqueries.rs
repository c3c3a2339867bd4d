//! Child subqueries, TYPEOF and aggregates over HTTP: a child list longer
//! than the nested batch is followed to its end through `nextRecordsUrl`.

use reqwest::Method;
use serde_json::{json, Map, Value};
use sfgen_fake_org::{FakeOrg, RunningOrg};

use crate::common::{api, client, codes, create, send, start, start_with};

async fn query(org: &RunningOrg, soql: &str) -> (u16, Value) {
    send(api(org, Method::GET, "/query").query(&[("q", soql)])).await
}

async fn follow(org: &RunningOrg, next: &str) -> (u16, Value) {
    send(
        client()
            .get(format!("{}{next}", org.instance_url()))
            .bearer_auth(org.access_token()),
    )
    .await
}

fn contacts(account: &str, n: usize) -> impl Iterator<Item = Map<String, Value>> + '_ {
    (0..n).map(move |i| {
        let mut m = Map::new();
        m.insert("LastName".into(), json!(format!("Contact {i:04}")));
        m.insert("AccountId".into(), json!(account));
        m
    })
}

fn last_names(page: &Value) -> Vec<String> {
    page["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["LastName"].as_str().expect("a LastName").to_owned())
        .collect()
}

#[tokio::test]
async fn a_long_child_list_is_followed_to_completion() {
    let org = start().await;
    let acme = create(&org, "Account", json!({"Name": "Acme"})).await;
    let bare = create(&org, "Account", json!({"Name": "Bare"})).await;
    org.store()
        .bulk_load("Contact", contacts(&acme, 450))
        .expect("loaded");
    let (status, page) = query(
        &org,
        "SELECT Id, Name, (SELECT Id, LastName FROM Contacts ORDER BY LastName DESC) FROM Account ORDER BY Name",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["totalSize"], 2);
    assert_eq!(page["done"], true);
    assert_eq!(page["records"][0]["Id"], acme.as_str());
    assert_eq!(page["records"][1]["Id"], bare.as_str());
    assert_eq!(page["records"][1]["Contacts"], Value::Null);
    let nested = &page["records"][0]["Contacts"];
    assert_eq!(nested["totalSize"], 450);
    assert_eq!(nested["done"], false);
    let version = org.api_version();
    let mut next = nested["nextRecordsUrl"]
        .as_str()
        .expect("nextRecordsUrl")
        .to_owned();
    assert!(
        next.starts_with(&format!("/services/data/v{version}/query/01g")) && next.ends_with("-200"),
        "{next}"
    );
    let first = &nested["records"][0];
    assert_eq!(first["attributes"]["type"], "Contact");
    assert_eq!(
        first["attributes"]["url"],
        format!(
            "/services/data/v{version}/sobjects/Contact/{}",
            first["Id"].as_str().expect("an Id")
        )
    );
    let mut names = last_names(nested);
    assert_eq!(names.len(), 200);
    let mut pages = 1;
    loop {
        let (status, more) = follow(&org, &next).await;
        assert_eq!(status, 200, "{more}");
        assert_eq!(more["totalSize"], 450);
        assert_eq!(more["records"][0]["attributes"]["type"], "Contact");
        names.extend(last_names(&more));
        pages += 1;
        if more["done"] == true {
            assert!(more.get("nextRecordsUrl").is_none(), "{more}");
            break;
        }
        next = more["nextRecordsUrl"]
            .as_str()
            .expect("nextRecordsUrl")
            .to_owned();
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..450).rev().map(|i| format!("Contact {i:04}")).collect();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn the_nested_batch_size_is_configurable() {
    let org = start_with(FakeOrg::builder().subquery_batch_size(3)).await;
    let acme = create(&org, "Account", json!({"Name": "Acme"})).await;
    org.store()
        .bulk_load("Contact", contacts(&acme, 7))
        .expect("loaded");
    let (_, page) = query(
        &org,
        "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account",
    )
    .await;
    let nested = &page["records"][0]["Contacts"];
    assert_eq!(
        last_names(nested),
        ["Contact 0000", "Contact 0001", "Contact 0002"]
    );
    let next = nested["nextRecordsUrl"].as_str().expect("nextRecordsUrl");
    assert!(next.ends_with("-3"), "{next}");
    let (_, second) = follow(&org, next).await;
    assert_eq!(
        last_names(&second),
        ["Contact 0003", "Contact 0004", "Contact 0005"]
    );
    let next = second["nextRecordsUrl"].as_str().expect("nextRecordsUrl");
    assert!(next.ends_with("-6"), "{next}");
    let (_, third) = follow(&org, next).await;
    assert_eq!(last_names(&third), ["Contact 0006"]);
    assert_eq!(third["done"], true);
}

#[tokio::test]
async fn aggregates_typeof_and_semi_joins_over_http() {
    let org = start().await;
    let acme = create(
        &org,
        "Account",
        json!({"Name": "Acme", "Industry": "Energy"}),
    )
    .await;
    create(
        &org,
        "Account",
        json!({"Name": "Bare", "Industry": "Energy"}),
    )
    .await;
    org.store()
        .bulk_load("Contact", contacts(&acme, 3))
        .expect("loaded");
    let (status, page) = query(
        &org,
        "SELECT Industry, COUNT(Id) n FROM Account GROUP BY Industry",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page,
        json!({"totalSize": 1, "done": true, "records": [
            {"attributes": {"type": "AggregateResult"}, "Industry": "Energy", "n": 2}
        ]})
    );
    let (_, page) = query(
        &org,
        "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)",
    )
    .await;
    assert_eq!(page["totalSize"], 1);
    assert_eq!(page["records"][0]["Name"], "Acme");
    let contact = page_first_id(&org, "SELECT Id FROM Contact LIMIT 1").await;
    create(
        &org,
        "Task",
        json!({"Subject": "Call", "WhatId": acme, "WhoId": contact}),
    )
    .await;
    let (status, page) = query(
        &org,
        "SELECT Subject, TYPEOF What WHEN Account THEN Name, Industry ELSE Name END FROM Task",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let what = &page["records"][0]["What"];
    assert_eq!(what["attributes"]["type"], "Account");
    assert_eq!(what["Name"], "Acme");
    assert_eq!(what["Industry"], "Energy");
    let (status, body) = query(&org, "SELECT Name, COUNT(Id) FROM Account").await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["MALFORMED_QUERY"]);
    assert!(
        body[0]["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("Field must be grouped or aggregated: Name")),
        "{body}"
    );
}

async fn page_first_id(org: &RunningOrg, soql: &str) -> String {
    let (_, page) = query(org, soql).await;
    page["records"][0]["Id"].as_str().expect("an Id").to_owned()
}
