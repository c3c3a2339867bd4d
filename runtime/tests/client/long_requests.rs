//! Requests over Salesforce's 16,384-byte URI-and-headers limit: a long `GET`
//! goes through a Composite subrequest (the org never sees a 414), any other
//! method fails before anything is sent.

use futures::TryStreamExt;
use serde_json::{json, Value};
use sfgen_runtime::{Error, Method, Request};

use crate::common::{org, token_client};

/// Fields of a synthetic wide object: 800 of them, about 20 bytes of name each.
fn wide_fields() -> Vec<String> {
    (0..800)
        .map(|i| format!("Wide_Field_Number_{i:04}__c"))
        .collect()
}

async fn wide_org() -> sfgen_fake_org::RunningOrg {
    let org = org().await;
    for name in wide_fields() {
        org.add_field(
            "Account",
            json!({"name": name, "label": name, "type": "string", "length": 40,
                "nillable": true, "createable": true, "updateable": true,
                "defaultedOnCreate": false}),
        )
        .expect("adds a field");
    }
    org
}

#[tokio::test]
async fn a_query_over_the_uri_limit_runs_through_composite() {
    let org = wide_org().await;
    let client = token_client(&org).await;
    let fields = wide_fields();
    let mut record = json!({"Name": "Wide"});
    record["Wide_Field_Number_0799__c"] = json!("last");
    let id = client
        .create_value("Account", &record)
        .await
        .expect("creates");
    let soql = format!("SELECT Id, {} FROM Account", fields.join(", "));
    assert!(soql.len() > 16_384, "the query alone passes the limit");

    let rows: Vec<Value> = client
        .query::<Value>(soql.as_str())
        .try_collect()
        .await
        .expect("a long query runs");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["Id"], json!(id.as_str()));
    assert_eq!(rows[0]["Wide_Field_Number_0799__c"], json!("last"));
    assert_eq!(rows[0]["Wide_Field_Number_0000__c"], Value::Null);

    let names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let read = client
        .get_value("Account", id, Some(&names))
        .await
        .expect("a long retrieve runs");
    assert_eq!(read["Wide_Field_Number_0799__c"], json!("last"));

    let log = org.request_log();
    assert!(
        log.iter().all(|r| r.status != 414 && r.status != 431),
        "nothing reached the org over the limit: {:?}",
        log.iter()
            .map(|r| (&r.method, &r.path, r.status))
            .collect::<Vec<_>>()
    );
    let composite = log
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/composite"))
        .count();
    assert_eq!(
        composite, 2,
        "the query and the retrieve went as subrequests"
    );
}

#[tokio::test]
async fn a_long_query_error_keeps_salesforce_s_answer() {
    let org = wide_org().await;
    let client = token_client(&org).await;
    let soql = format!(
        "SELECT Id, {}, No_Such__c FROM Account",
        wide_fields().join(", ")
    );
    let err = client
        .query::<Value>(soql.as_str())
        .try_collect::<Vec<_>>()
        .await
        .expect_err("the org refuses an unknown field");
    assert!(
        matches!(&err, Error::Api { status: 400, .. }),
        "the subresponse's status and error come back: {err:?}"
    );
    assert!(err.to_string().contains("No_Such__c"), "{err}");
}

#[tokio::test]
async fn a_request_over_the_uri_limit_that_cannot_be_wrapped_is_not_sent() {
    let org = org().await;
    let client = token_client(&org).await;
    let before = org.request_log().len();
    let path = format!("sobjects/Account/{}", "a".repeat(17_000));
    let err = client
        .send(Request::new(Method::DELETE, path))
        .await
        .expect_err("too long to send");
    match &err {
        Error::RequestTooLarge {
            method,
            bytes,
            limit,
            ..
        } => {
            assert_eq!(method, "DELETE");
            assert!(*bytes > 17_000, "{bytes}");
            assert_eq!(*limit, 16_384);
        }
        other => panic!("expected RequestTooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains("16384-byte limit"), "{err}");
    assert_eq!(org.request_log().len(), before, "nothing was sent");
}
