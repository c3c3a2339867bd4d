//! Queries: every row, one page at a time, and the builder's escaping end to end.

use std::collections::HashSet;

use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use sfgen_runtime::soql::{Condition, Like, Order, Select};
use sfgen_runtime::QueryOptions;

use crate::common::{org, seed_accounts, token_client, Acct, NewAcct};

#[tokio::test]
async fn ten_thousand_rows_in_200_row_pages_all_arrive() {
    let org = org().await;
    seed_accounts(&org, "Row", 10_000);
    let client = token_client(&org).await;
    org.reset_counters();

    let options = QueryOptions::default().batch_size(200);
    let pages: Vec<_> = client
        .query_pages::<Acct>("SELECT Id, Name, Industry FROM Account", options)
        .try_collect()
        .await
        .expect("every page arrives");
    assert_eq!(pages.len(), 50);
    assert!(pages
        .iter()
        .all(|p| p.records.len() == 200 && p.total_size == 10_000));
    assert_eq!(org.calls("GET */query*"), 50, "one call per page");

    let ids: HashSet<_> = client
        .query_with::<Acct>("SELECT Id, Name, Industry FROM Account", options)
        .map_ok(|a| a.id)
        .try_collect()
        .await
        .expect("every record arrives");
    assert_eq!(ids.len(), 10_000, "no record lost or repeated");
}

#[tokio::test]
async fn pages_are_fetched_only_as_the_stream_is_read() {
    let org = org().await;
    seed_accounts(&org, "Lazy", 1_000);
    let client = token_client(&org).await;
    org.reset_counters();
    let mut stream = std::pin::pin!(client.query_with::<Acct>(
        "SELECT Id, Name, Industry FROM Account",
        QueryOptions::default().batch_size(200)
    ));
    assert_eq!(
        org.calls("GET */query*"),
        0,
        "nothing is sent before the stream is polled"
    );
    stream.next().await.expect("a record").expect("decodes");
    assert_eq!(org.calls("GET */query*"), 1, "one page at a time");
    for _ in 0..200 {
        stream.next().await.expect("a record").expect("decodes");
    }
    assert_eq!(org.calls("GET */query*"), 2);
}

#[tokio::test]
async fn cursor_paging_and_query_all() {
    let org = org().await;
    seed_accounts(&org, "Cursor", 450);
    let client = token_client(&org).await;
    let options = QueryOptions::default().batch_size(200);
    let first = client
        .query_page::<Value>("SELECT Id FROM Account", options)
        .await
        .expect("first page");
    assert!(!first.done && first.records.len() == 200);
    let next_url = first.next_records_url.clone().expect("a next page");
    let second = client
        .query_next_page::<Value>(&next_url, options)
        .await
        .expect("second page");
    assert_eq!(second.records.len(), 200);

    let id = client
        .create(&NewAcct {
            name: "Deleted one".into(),
            industry: None,
        })
        .await
        .expect("creates");
    client.delete(id).await.expect("deletes");
    let soql = "SELECT Id FROM Account WHERE Name = 'Deleted one'";
    let live: Vec<Value> = client.query(soql).try_collect().await.expect("queries");
    let all: Vec<Value> = client
        .query_all(soql)
        .try_collect()
        .await
        .expect("queries all");
    assert!(live.is_empty(), "a deleted record is not queried");
    assert_eq!(all.len(), 1, "queryAll includes deleted records");
}

#[tokio::test]
async fn escaped_literals_match_exactly_what_was_stored() {
    let org = org().await;
    let client = token_client(&org).await;
    let tricky = [
        r"O'Brien \ Sons",
        "Quote \" and 'single'",
        "50% off_sale",
        "500 offXsale",
        "Line\nbreak\tand tab",
        r"ends with backslash \",
        "' OR Name != '",
    ];
    for name in tricky {
        client
            .create(&NewAcct {
                name: name.into(),
                industry: None,
            })
            .await
            .expect("creates");
    }
    for name in tricky {
        let found: Vec<Acct> = client
            .query(Select::from::<Acct>().filter(Condition::eq("Name", name)))
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("{name:?}: {e}"));
        assert_eq!(found.len(), 1, "{name:?}");
        assert_eq!(found[0].name, name);
    }
    let like: Vec<Acct> = client
        .query(
            Select::from::<Acct>()
                .filter(Condition::like("Name", Like::contains("50% off_")))
                .order_by("Name", Order::Asc),
        )
        .try_collect()
        .await
        .expect("queries");
    let names: Vec<_> = like.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        ["50% off_sale"],
        "% and _ in the text match only themselves"
    );
    let listed: Vec<Acct> = client
        .query(
            Select::from::<Acct>()
                .filter(Condition::is_in("Name", tricky))
                .limit(3),
        )
        .try_collect()
        .await
        .expect("queries");
    assert_eq!(listed.len(), 3);
}
