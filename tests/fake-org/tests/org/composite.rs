//! `/composite` and `/composite/batch`.

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{api, codes, keys, recording, send, start};

#[tokio::test]
async fn references_chain_subrequests() {
    let org = start().await;
    let v = org.api_version().to_owned();
    let body = json!({"allOrNone": false, "compositeRequest": [
        {"method": "POST", "url": format!("/services/data/v{v}/sobjects/Account"), "referenceId": "NewAccount", "body": {"Name": "Parent"}},
        {"method": "POST", "url": format!("/services/data/v{v}/sobjects/Contact"), "referenceId": "NewContact", "body": {"LastName": "Doe", "AccountId": "@{NewAccount.id}"}},
        {"method": "GET", "url": format!("/services/data/v{v}/sobjects/Contact/@{{NewContact.id}}?fields=AccountId"), "referenceId": "ReadBack"},
        {"method": "GET", "url": format!("/services/data/v{v}/query?q=SELECT+Id+FROM+Account"), "referenceId": "Q"},
    ]});
    let (status, response) = send(api(&org, Method::POST, "/composite").json(&body)).await;
    assert_eq!(status, 200, "{response}");
    let items = response["compositeResponse"]
        .as_array()
        .expect("compositeResponse");
    let recorded = recording("responses/cumulusci/composite_queries_response.json");
    assert_eq!(keys(&response), keys(&recorded));
    assert_eq!(keys(&items[0]), keys(&recorded["compositeResponse"][0]));
    assert_eq!(items[0]["httpStatusCode"], 201);
    assert_eq!(items[0]["referenceId"], "NewAccount");
    let account = items[0]["body"]["id"].as_str().expect("id");
    assert!(items[0]["httpHeaders"]["Location"]
        .as_str()
        .expect("Location")
        .ends_with(account));
    assert_eq!(items[2]["body"]["AccountId"], account);
    assert_eq!(items[3]["body"]["totalSize"], 1);
    // One API call for the whole composite request.
    assert_eq!(org.api_usage().0, 1);
}

#[tokio::test]
async fn all_or_none_rolls_back_and_halts() {
    let org = start().await;
    let v = org.api_version().to_owned();
    let body = json!({"allOrNone": true, "compositeRequest": [
        {"method": "POST", "url": format!("/services/data/v{v}/sobjects/Account"), "referenceId": "A", "body": {"Name": "Kept?"}},
        {"method": "POST", "url": format!("/services/data/v{v}/sobjects/Contact"), "referenceId": "B", "body": {"FirstName": "No last name"}},
        {"method": "POST", "url": format!("/services/data/v{v}/sobjects/Account"), "referenceId": "C", "body": {"Name": "Never"}},
    ]});
    let (_, response) = send(api(&org, Method::POST, "/composite").json(&body)).await;
    let items = response["compositeResponse"].as_array().expect("items");
    assert_eq!(items[1]["httpStatusCode"], 400);
    assert_eq!(codes(&items[1]["body"]), ["REQUIRED_FIELD_MISSING"]);
    for i in [0, 2] {
        assert_eq!(items[i]["httpStatusCode"], 400);
        assert_eq!(codes(&items[i]["body"]), ["PROCESSING_HALTED"]);
    }
    assert_eq!(org.store().count("Account"), 0);
}

#[tokio::test]
async fn references_to_failed_subrequests_are_halted() {
    let org = start().await;
    let v = org.api_version().to_owned();
    let body = json!({"compositeRequest": [
        {"method": "GET", "url": format!("/services/data/v{v}/sobjects/Nope/x"), "referenceId": "Bad"},
        {"method": "GET", "url": format!("/services/data/v{v}/sobjects/Account/@{{Bad.id}}"), "referenceId": "Dependent"},
    ]});
    let (_, response) = send(api(&org, Method::POST, "/composite").json(&body)).await;
    let items = response["compositeResponse"].as_array().expect("items");
    assert_eq!(items[0]["httpStatusCode"], 404);
    assert_eq!(
        items[0]["body"],
        recording("responses/cumulusci/composite_error_NOT_FOUND.json")["compositeResponse"][0]
            ["body"]
    );
    assert_eq!(codes(&items[1]["body"]), ["PROCESSING_HALTED"]);
}

#[tokio::test]
async fn more_than_25_subrequests_are_refused() {
    let org = start().await;
    let v = org.api_version().to_owned();
    let subrequests: Vec<Value> = (0..26).map(|i| json!({"method": "GET", "url": format!("/services/data/v{v}/limits"), "referenceId": format!("r{i}")})).collect();
    let (status, body) =
        send(api(&org, Method::POST, "/composite").json(&json!({"compositeRequest": subrequests})))
            .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["LIMIT_EXCEEDED"]);
    let batch: Vec<Value> = (0..26)
        .map(|_| json!({"method": "GET", "url": format!("v{v}/limits")}))
        .collect();
    let (status, _) =
        send(api(&org, Method::POST, "/composite/batch").json(&json!({"batchRequests": batch})))
            .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn batch_runs_independent_subrequests() {
    let org = start().await;
    let v = org.api_version().to_owned();
    let body = json!({"haltOnError": false, "batchRequests": [
        {"method": "POST", "url": format!("v{v}/sobjects/Account"), "richInput": {"Name": "Batch"}},
        {"method": "GET", "url": format!("v{v}/sobjects/Account/001Fk000000001bIAA")},
        {"method": "GET", "url": format!("v{v}/query?q=SELECT+Name+FROM+Account")},
    ]});
    let (status, response) = send(api(&org, Method::POST, "/composite/batch").json(&body)).await;
    assert_eq!(status, 200);
    assert_eq!(response["hasErrors"], true);
    let results = response["results"].as_array().expect("results");
    assert_eq!(results[0]["statusCode"], 201);
    assert_eq!(results[1]["statusCode"], 404);
    assert_eq!(results[2]["result"]["records"][0]["Name"], "Batch");

    let body = json!({"haltOnError": true, "batchRequests": [
        {"method": "GET", "url": format!("v{v}/sobjects/Account/001Fk000000001bIAA")},
        {"method": "GET", "url": format!("v{v}/limits")},
    ]});
    let (_, response) = send(api(&org, Method::POST, "/composite/batch").json(&body)).await;
    assert_eq!(response["results"][1]["statusCode"], 412);
    assert_eq!(
        codes(&response["results"][1]["result"]),
        ["BATCH_PROCESSING_HALTED"]
    );
}
