//! Validation against the describe, with Salesforce's error bodies.

use reqwest::Method;
use serde_json::{json, Value};

use sfgen_fake_org::RunningOrg;

use crate::common::{api, codes, create, keys, recording, send, start};

async fn create_error(org: &RunningOrg, body: Value, object: &str) -> (u16, Value) {
    send(api(org, Method::POST, &format!("/sobjects/{object}")).json(&body)).await
}

#[tokio::test]
async fn required_fields_are_named() {
    let org = start().await;
    let (status, body) = create_error(&org, json!({"FirstName": "Jane"}), "Contact").await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!([{"message": "Required fields are missing: [LastName]", "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["LastName"]}])
    );
    let (_, body) = create_error(&org, json!({}), "Opportunity").await;
    assert_eq!(body[0]["fields"], json!(["Name", "StageName", "CloseDate"]));
    assert_eq!(
        body[0]["message"],
        "Required fields are missing: [Name, StageName, CloseDate]"
    );
}

#[tokio::test]
async fn clearing_a_required_field_on_update_is_refused() {
    let org = start().await;
    let id = create(&org, "Contact", json!({"LastName": "Doe"})).await;
    let (status, body) = send(
        api(&org, Method::PATCH, &format!("/sobjects/Contact/{id}"))
            .json(&json!({"LastName": null})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["REQUIRED_FIELD_MISSING"]);
}

#[tokio::test]
async fn unknown_field_is_invalid_field() {
    let org = start().await;
    let (status, body) = create_error(&org, json!({"Name": "Acme", "Foo": 1}), "Account").await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!([{"message": "No such column 'Foo' on sobject of type Account", "errorCode": "INVALID_FIELD"}])
    );
    assert_eq!(
        keys(&body[0]),
        keys(&recording("responses/restforce/sobject__write_error_response.json")[0])
    );
}

#[tokio::test]
async fn read_only_fields_are_refused() {
    let org = start().await;
    let (status, body) = create_error(
        &org,
        json!({"Name": "Acme", "CreatedDate": "2020-01-01T00:00:00Z", "IsDeleted": true}),
        "Account",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["INVALID_FIELD_FOR_INSERT_UPDATE"]);
    assert_eq!(
        body[0]["message"],
        "Unable to create/update fields: CreatedDate, IsDeleted. Please check the security settings of this field and verify that it is read/write for your profile or permission set."
    );
    assert_eq!(body[0]["fields"], json!(["CreatedDate", "IsDeleted"]));
}

#[tokio::test]
async fn too_long_text_is_refused_with_its_length() {
    let org = start().await;
    let name = "x".repeat(256);
    let (status, body) = create_error(&org, json!({"Name": name}), "Account").await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["STRING_TOO_LONG"]);
    assert_eq!(
        body[0]["message"],
        format!("Account Name: data value too large: {name} (max length=255)")
    );
    assert_eq!(body[0]["fields"], json!(["Name"]));
}

#[tokio::test]
async fn restricted_picklists_refuse_unknown_values() {
    let org = start().await;
    let (status, body) = create_error(
        &org,
        json!({"LastName": "Doe", "CleanStatus": "Shiny"}),
        "Contact",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"]);
    assert_eq!(
        body[0]["message"],
        "Clean Status: bad value for restricted picklist field: Shiny"
    );
    create(
        &org,
        "Contact",
        json!({"LastName": "Doe", "CleanStatus": "Matched"}),
    )
    .await;
}

#[tokio::test]
async fn references_must_be_ids_of_their_targets() {
    let org = start().await;
    let contact = create(&org, "Contact", json!({"LastName": "Doe"})).await;
    let (status, body) = send(
        api(&org, Method::POST, "/sobjects/Contact")
            .json(&json!({"LastName": "X", "AccountId": "nope"})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["MALFORMED_ID"]);
    assert_eq!(
        body[0]["message"],
        "Account ID: id value of incorrect type: nope"
    );
    assert_eq!(body[0]["fields"], json!(["AccountId"]));
    let (status, body) = send(
        api(&org, Method::POST, "/sobjects/Contact")
            .json(&json!({"LastName": "X", "AccountId": contact})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["MALFORMED_ID"]);
    let account = create(&org, "Account", json!({"Name": "Acme"})).await;
    create(
        &org,
        "Contact",
        json!({"LastName": "X", "AccountId": account}),
    )
    .await;
}

#[tokio::test]
async fn malformed_json_is_a_parser_error() {
    let org = start().await;
    let (status, body) = send(
        api(&org, Method::POST, "/sobjects/Account")
            .header("content-type", "application/json")
            .body("{x"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["JSON_PARSER_ERROR"]);
    assert_eq!(
        body[0]["message"],
        "Unexpected character ('x' (code 120)): expected a valid value (number, String, array, object, 'true', 'false' or 'null') at [line:1, column:2]"
    );
}

#[tokio::test]
async fn values_of_the_wrong_type_are_parser_errors() {
    let org = start().await;
    for (field, value, message) in [
        ("NumberOfEmployees", json!("many"), "Cannot deserialize instance of int from VALUE_STRING value many or request may be missing a required field"),
        ("AnnualRevenue", json!(true), "Cannot deserialize instance of currency from VALUE_TRUE value true or request may be missing a required field"),
        ("Industry", json!(["Retail"]), "Cannot deserialize instance of picklist from START_ARRAY value"),
    ] {
        let (status, body) = create_error(&org, json!({"Name": "Acme", field: value}), "Account").await;
        assert_eq!(status, 400, "{field}");
        assert_eq!(body, json!([{"message": message, "errorCode": "JSON_PARSER_ERROR"}]), "{field}");
    }
}

#[tokio::test]
async fn numbers_out_of_range_and_bad_emails_are_refused() {
    let org = start().await;
    let (_, body) = create_error(
        &org,
        json!({"Name": "Acme", "NumberOfEmployees": 1e12}),
        "Account",
    )
    .await;
    assert_eq!(codes(&body), ["NUMBER_OUTSIDE_VALID_RANGE"]);
    let (_, body) = create_error(
        &org,
        json!({"LastName": "Doe", "Email": "not-an-email"}),
        "Contact",
    )
    .await;
    assert_eq!(codes(&body), ["INVALID_EMAIL_ADDRESS"]);
    assert_eq!(
        body[0]["message"],
        "Email: invalid email address: not-an-email"
    );
}

#[tokio::test]
async fn lenient_coercions_match_salesforce() {
    let org = start().await;
    let id = create(
        &org,
        "Account",
        json!({"Name": 42, "NumberOfEmployees": "7", "AnnualRevenue": "1.5"}),
    )
    .await;
    let (_, record) = send(api(&org, Method::GET, &format!("/sobjects/Account/{id}"))).await;
    assert_eq!(record["Name"], "42");
    assert_eq!(record["NumberOfEmployees"], 7);
    assert_eq!(record["AnnualRevenue"], 1.5);
}
