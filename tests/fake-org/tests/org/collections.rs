//! sObject Collections.

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{api, codes, create, keys, recording, send, start};

fn rolled_back_error() -> Value {
    json!({"statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK", "message": "Record rolled back because not all records were valid and the request was using AllOrNone header", "fields": []})
}

#[tokio::test]
async fn create_returns_results_in_order() {
    let org = start().await;
    let body = json!({"allOrNone": false, "records": [
        {"attributes": {"type": "Account"}, "Name": "One"},
        {"attributes": {"type": "Contact"}, "FirstName": "No last name"},
        {"attributes": {"type": "Contact"}, "LastName": "Doe"},
    ]});
    let (status, results) = send(api(&org, Method::POST, "/composite/sobjects").json(&body)).await;
    assert_eq!(status, 200);
    let recorded = recording("responses/cumulusci/composite_sobjects_insert_response.json");
    assert_eq!(keys(&results[0]), keys(&recorded[0]));
    assert_eq!(results[0]["success"], true);
    assert!(results[0]["id"].as_str().expect("id").starts_with("001"));
    assert_eq!(
        results[1],
        json!({"success": false, "errors": [{"statusCode": "REQUIRED_FIELD_MISSING", "message": "Required fields are missing: [LastName]", "fields": ["LastName"]}]})
    );
    assert!(results[2]["id"].as_str().expect("id").starts_with("003"));
    assert_eq!(org.store().count("Account"), 1);
    assert_eq!(org.store().count("Contact"), 1);
}

#[tokio::test]
async fn all_or_none_rolls_everything_back() {
    let org = start().await;
    let body = json!({"allOrNone": true, "records": [
        {"attributes": {"type": "Account"}, "Name": "One"},
        {"attributes": {"type": "Account"}, "Foo": "bar"},
    ]});
    let (status, results) = send(api(&org, Method::POST, "/composite/sobjects").json(&body)).await;
    assert_eq!(status, 200);
    assert_eq!(
        results[0],
        json!({"success": false, "errors": [rolled_back_error()]})
    );
    assert_eq!(results[1]["errors"][0]["statusCode"], "INVALID_FIELD");
    assert_eq!(org.store().count("Account"), 0);
}

#[tokio::test]
async fn more_than_200_records_is_exceeded_id_limit() {
    let org = start().await;
    let records: Vec<Value> = (0..201)
        .map(|i| json!({"attributes": {"type": "Account"}, "Name": format!("A{i}")}))
        .collect();
    let (status, body) =
        send(api(&org, Method::POST, "/composite/sobjects").json(&json!({"records": records})))
            .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["EXCEEDED_ID_LIMIT"]);
    assert_eq!(
        keys(&body[0]),
        keys(
            &recording("responses/restforce-issues/restforce_issue_726_EXCEEDED_ID_LIMIT.json")[0]
        )
    );
    assert_eq!(org.store().count("Account"), 0);
}

#[tokio::test]
async fn update_upsert_delete_and_retrieve() {
    let org = start().await;
    let a = create(&org, "Account", json!({"Name": "A"})).await;
    let b = create(&org, "Account", json!({"Name": "B"})).await;
    let body = json!({"records": [
        {"attributes": {"type": "Account"}, "Id": a, "Phone": "1"},
        {"attributes": {"type": "Account"}, "Id": b, "Name": null},
    ]});
    let (status, results) = send(api(&org, Method::PATCH, "/composite/sobjects").json(&body)).await;
    assert_eq!(status, 200);
    assert_eq!(results[0], json!({"id": a, "success": true, "errors": []}));
    assert_eq!(results[1]["id"], b);
    assert_eq!(
        results[1]["errors"][0]["statusCode"],
        "REQUIRED_FIELD_MISSING"
    );

    org.add_field("Account", json!({"name": "Ext__c", "label": "Ext", "type": "string", "length": 20, "nillable": true,
        "createable": true, "updateable": true, "defaultedOnCreate": false, "externalId": true, "idLookup": true}))
        .expect("field added");
    send(
        api(&org, Method::PATCH, &format!("/sobjects/Account/{a}")).json(&json!({"Ext__c": "X1"})),
    )
    .await;
    let body = json!({"allOrNone": false, "records": [
        {"attributes": {"type": "Account"}, "Ext__c": "X1", "Name": "A2"},
        {"attributes": {"type": "Account"}, "Ext__c": "X2", "Name": "New"},
    ]});
    let (status, results) =
        send(api(&org, Method::PATCH, "/composite/sobjects/Account/Ext__c").json(&body)).await;
    assert_eq!(status, 200, "{results}");
    let recorded = recording("responses/cumulusci/composite_sobjects_upsert_response.json");
    assert_eq!(keys(&results[0]), keys(&recorded[0]));
    assert_eq!(
        (results[0]["id"].clone(), results[0]["created"].clone()),
        (json!(a), json!(false))
    );
    assert_eq!(results[1]["created"], true);
    let new_id = results[1]["id"].as_str().expect("id").to_owned();

    let body = json!({"ids": [a, new_id, "001Fk000000001bIAA"], "fields": ["Name", "Ext__c"]});
    let (status, records) =
        send(api(&org, Method::POST, "/composite/sobjects/Account").json(&body)).await;
    assert_eq!(status, 200);
    assert_eq!(records[0]["Name"], "A2");
    assert_eq!(records[1]["Ext__c"], "X2");
    assert_eq!(records[1]["attributes"]["type"], "Account");
    assert_eq!(records[2], Value::Null);

    let (status, results) = send(api(&org, Method::DELETE, "/composite/sobjects").query(&[
        ("ids", format!("{a},{b},nope")),
        ("allOrNone", "false".into()),
    ]))
    .await;
    assert_eq!(status, 200);
    let recorded =
        recording("responses/restforce/sobject__composite_sobjects_destroy_success_response.json");
    assert_eq!(keys(&results[0]), keys(&recorded[0]));
    assert_eq!(results[0]["success"], true);
    assert_eq!(results[2]["errors"][0]["statusCode"], "MALFORMED_ID");
    assert_eq!(org.store().count("Account"), 1);
    let (status, body) = send(api(&org, Method::DELETE, "/composite/sobjects")).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        recording(
            "responses/restforce/sobject__composite_sobjects_destroy_bad_request_response.json"
        )
    );
}

#[tokio::test]
async fn delete_all_or_none_keeps_records() {
    let org = start().await;
    let a = create(&org, "Account", json!({"Name": "A"})).await;
    let (_, results) = send(api(&org, Method::DELETE, "/composite/sobjects").query(&[
        ("ids", format!("{a},001Fk000000001bIAA")),
        ("allOrNone", "true".into()),
    ]))
    .await;
    assert_eq!(
        results[0],
        json!({"id": a, "success": false, "errors": [rolled_back_error()]})
    );
    assert_eq!(org.store().count("Account"), 1);
}

#[tokio::test]
async fn unknown_type_is_invalid_type() {
    let org = start().await;
    let body = json!({"records": [{"attributes": {"type": "Nope__c"}, "Name": "x"}, {"Name": "no attributes"}]});
    let (_, results) = send(api(&org, Method::POST, "/composite/sobjects").json(&body)).await;
    assert_eq!(results[0]["errors"][0]["statusCode"], "INVALID_TYPE");
    assert_eq!(
        results[0]["errors"][0]["message"],
        "sObject type 'Nope__c' is not supported."
    );
    assert_eq!(results[1]["errors"][0]["statusCode"], "INVALID_TYPE");
}

#[tokio::test]
async fn a_locked_record_refuses_writes_per_record_until_released() {
    let org = start().await;
    let account = create(&org, "Account", json!({"Name": "Parent"})).await;
    let other = create(&org, "Account", json!({"Name": "Other"})).await;
    let id = fake_org_id(&account);
    org.store().lock_record(id, 2);
    let lock_error = json!([{
        "statusCode": "UNABLE_TO_LOCK_ROW",
        "message": format!("unable to obtain exclusive access to this record or 1 records: {account}"),
        "fields": []
    }]);

    // A child's insert locks its parent; the other records go through.
    let body = json!({"allOrNone": false, "records": [
        {"attributes": {"type": "Contact"}, "LastName": "Child", "AccountId": account},
        {"attributes": {"type": "Account"}, "Id": other, "Name": "Renamed"},
    ]});
    let (status, results) = send(
        api(&org, Method::PATCH, "/composite/sobjects").json(&json!({
            "allOrNone": false,
            "records": [{"attributes": {"type": "Account"}, "Id": account, "Name": "Renamed"}]
        })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(results[0]["errors"], lock_error);
    let (_, results) = send(api(&org, Method::POST, "/composite/sobjects").json(&json!({
        "allOrNone": false, "records": [body["records"][0].clone()]
    })))
    .await;
    assert_eq!(results[0]["errors"], lock_error);
    let (_, results) = send(
        api(&org, Method::PATCH, "/composite/sobjects").json(&json!({
            "allOrNone": false, "records": [body["records"][1].clone()]
        })),
    )
    .await;
    assert_eq!(results[0]["success"], true, "{results}");

    // Two refusals spent: the third write goes through.
    let (_, results) = send(api(&org, Method::POST, "/composite/sobjects").json(&json!({
        "allOrNone": false, "records": [body["records"][0].clone()]
    })))
    .await;
    assert_eq!(results[0]["success"], true, "{results}");
    assert_eq!(org.store().count("Contact"), 1);

    // A single-record call answers 400 with the same error.
    org.store().lock_record(id, 1);
    let (status, error) = send(api(
        &org,
        Method::DELETE,
        &format!("/sobjects/Account/{account}"),
    ))
    .await;
    assert_eq!(status, 400);
    assert_eq!(error[0]["errorCode"], "UNABLE_TO_LOCK_ROW");
    org.store().lock_record(id, 5);
    org.store().lock_record(id, 0);
    let (status, _) = send(api(
        &org,
        Method::DELETE,
        &format!("/sobjects/Account/{account}"),
    ))
    .await;
    assert_eq!(status, 204);
}

fn fake_org_id(id: &str) -> sfgen_fake_org::SfId {
    sfgen_fake_org::SfId::parse(id).expect("an id the org minted")
}
