//! Single-record create, read, update, delete and upsert.

use reqwest::Method;
use serde_json::{json, Value};
use sfgen_runtime::RecordId;

use crate::common::{api, codes, create, keys, recording, send, start};

#[tokio::test]
async fn create_returns_a_valid_id_with_the_recorded_shape() {
    let org = start().await;
    let (status, body) =
        send(api(&org, Method::POST, "/sobjects/Account").json(&json!({"Name": "Acme"}))).await;
    assert_eq!(status, 201);
    assert_eq!(
        keys(&body),
        keys(&recording(
            "responses/cumulusci/sobject_create_response.json"
        ))
    );
    assert_eq!(body["success"], true);
    assert_eq!(body["errors"], json!([]));
    let id = body["id"].as_str().expect("id");
    let parsed = RecordId::parse(id).expect("a checksum-valid id");
    assert_eq!(parsed.as_str(), id);
    assert_eq!(parsed.key_prefix(), "001");
    let second = create(&org, "Account", json!({"Name": "Other"})).await;
    assert_ne!(second, id);
    RecordId::parse(&second).expect("valid");
}

#[tokio::test]
async fn get_returns_every_field_with_system_fields_set() {
    let org = start().await;
    let id = create(
        &org,
        "Account",
        json!({"Name": "Acme", "BillingCity": "Paris", "NumberOfEmployees": 12}),
    )
    .await;
    let (status, record) = send(api(&org, Method::GET, &format!("/sobjects/Account/{id}"))).await;
    assert_eq!(status, 200);
    assert_eq!(record["attributes"]["type"], "Account");
    assert_eq!(
        record["attributes"]["url"],
        format!(
            "/services/data/v{}/sobjects/Account/{id}",
            org.api_version()
        )
    );
    assert_eq!(record["Id"], id);
    assert_eq!(record["Name"], "Acme");
    assert_eq!(record["NumberOfEmployees"], 12);
    assert_eq!(record["IsDeleted"], false);
    assert_eq!(record["OwnerId"], org.user_id());
    assert_eq!(record["CreatedById"], org.user_id());
    assert_eq!(record["LastModifiedById"], org.user_id());
    assert_eq!(record["Phone"], Value::Null);
    let created = record["CreatedDate"].as_str().expect("CreatedDate");
    assert_eq!(created.len(), "2011-07-07T00:37:00.000+0000".len());
    assert!(created.ends_with("+0000"));
    assert_eq!(record["SystemModstamp"], record["LastModifiedDate"]);
    assert_eq!(record["BillingAddress"]["city"], "Paris");
    let recorded = recording("responses/netcoreforce/account.json");
    assert_eq!(
        keys(&record["BillingAddress"]),
        keys(&recorded["BillingAddress"])
    );
    // Every describe field is present, in describe order.
    let (_, describe) = send(api(&org, Method::GET, "/sobjects/Account/describe")).await;
    let names: Vec<&str> = describe["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    let got: Vec<&str> = record
        .as_object()
        .expect("object")
        .keys()
        .skip(1)
        .map(String::as_str)
        .collect();
    assert_eq!(got, names);
}

#[tokio::test]
async fn get_with_fields_returns_only_those() {
    let org = start().await;
    let id = create(
        &org,
        "Contact",
        json!({"LastName": "Doe", "FirstName": "Jane"}),
    )
    .await;
    let (status, record) = send(api(
        &org,
        Method::GET,
        &format!("/sobjects/Contact/{id}?fields=LastName,FirstName"),
    ))
    .await;
    assert_eq!(status, 200);
    let expected: std::collections::BTreeSet<String> = ["attributes", "LastName", "FirstName"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(keys(&record), expected);
    let (status, body) = send(api(
        &org,
        Method::GET,
        &format!("/sobjects/Contact/{id}?fields=Nope"),
    ))
    .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["INVALID_FIELD"]);
}

#[tokio::test]
async fn update_then_delete_then_get_is_entity_is_deleted() {
    let org = start().await;
    let id = create(&org, "Account", json!({"Name": "Before"})).await;
    let path = format!("/sobjects/Account/{id}");
    let (status, body) =
        send(api(&org, Method::PATCH, &path).json(&json!({"Name": "After", "Phone": "555"}))).await;
    assert_eq!((status, body), (204, Value::Null));
    let (_, record) = send(api(&org, Method::GET, &path)).await;
    assert_eq!(record["Name"], "After");
    assert_eq!(record["Phone"], "555");
    let (status, _) = send(api(&org, Method::PATCH, &path).json(&json!({"Phone": null}))).await;
    assert_eq!(status, 204);
    let (_, record) = send(api(&org, Method::GET, &path)).await;
    assert_eq!(record["Phone"], Value::Null);

    let (status, _) = send(api(&org, Method::DELETE, &path)).await;
    assert_eq!(status, 204);
    let (status, body) = send(api(&org, Method::GET, &path)).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        recording("responses/restforce-db/error_404_ENTITY_IS_DELETED.json")
    );
    let (status, body) = send(api(&org, Method::DELETE, &path)).await;
    assert_eq!(status, 404);
    assert_eq!(codes(&body), ["ENTITY_IS_DELETED"]);
}

#[tokio::test]
async fn unknown_and_malformed_ids() {
    let org = start().await;
    let id = create(&org, "Account", json!({"Name": "Acme"})).await;
    let contact = create(&org, "Contact", json!({"LastName": "Doe"})).await;
    // A well-formed Account id the org never minted.
    let unknown = sfgen_fake_org::SfId::mint(*b"001", 999).to_string();
    let (status, body) = send(api(
        &org,
        Method::GET,
        &format!("/sobjects/Account/{unknown}"),
    ))
    .await;
    assert_eq!(status, 404);
    assert_eq!(codes(&body), ["NOT_FOUND"]);
    // A Contact id on the Account route.
    let (status, body) = send(
        api(&org, Method::PATCH, &format!("/sobjects/Account/{contact}"))
            .json(&json!({"Name": "x"})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(codes(&body), ["MALFORMED_ID"]);
    assert_eq!(
        body[0]["message"],
        format!("Account ID: id value of incorrect type: {contact}")
    );
    // A bad checksum.
    let bad = format!("{}AAA", &id[..15]);
    let (status, body) = send(api(
        &org,
        Method::DELETE,
        &format!("/sobjects/Account/{bad}"),
    ))
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(codes(&body), ["MALFORMED_ID"]);
    // 15-character ids are accepted.
    let (status, record) = send(api(
        &org,
        Method::GET,
        &format!("/sobjects/Account/{}", &id[..15]),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(record["Id"], id);
    // Unknown object.
    let (status, body) = send(api(&org, Method::POST, "/sobjects/Nope").json(&json!({}))).await;
    assert_eq!(status, 404);
    assert_eq!(codes(&body), ["NOT_FOUND"]);
}

fn external_id_field() -> Value {
    json!({"name": "Ext__c", "label": "External", "type": "string", "length": 40, "nillable": true,
           "createable": true, "updateable": true, "defaultedOnCreate": false, "externalId": true,
           "idLookup": true, "unique": true, "custom": true})
}

#[tokio::test]
async fn upsert_creates_then_updates() {
    let org = start().await;
    org.add_field("Account", external_id_field())
        .expect("field added");
    let path = "/sobjects/Account/Ext__c/A-1";
    let (status, body) = send(api(&org, Method::PATCH, path).json(&json!({"Name": "First"}))).await;
    assert_eq!(status, 201, "{body}");
    let recorded = recording("responses/restforce-db/upsert_by_externalId_201_created.json");
    assert!(keys(&recorded).is_subset(&keys(&body)));
    assert_eq!(body["created"], true);
    let id = body["id"].as_str().expect("id").to_owned();

    let (status, body) =
        send(api(&org, Method::PATCH, path).json(&json!({"Name": "Second"}))).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"id": id, "success": true, "errors": [], "created": false})
    );
    let (_, record) = send(api(&org, Method::GET, path)).await;
    assert_eq!(record["Name"], "Second");
    assert_eq!(record["Ext__c"], "A-1");

    // Before API 46.0 an update answers 204 and a create has no `created`.
    let old = format!(
        "{}/services/data/v45.0/sobjects/Account/Ext__c/A-1",
        org.instance_url()
    );
    let (status, _) = send(
        crate::common::client()
            .patch(&old)
            .bearer_auth(org.access_token())
            .json(&json!({"Name": "Third"})),
    )
    .await;
    assert_eq!(status, 204);

    // Not an external id field.
    let (status, body) =
        send(api(&org, Method::PATCH, "/sobjects/Account/Phone/1").json(&json!({"Name": "x"})))
            .await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!([{"message": "Provided external ID field does not exist or is not accessible: Phone", "errorCode": "NOT_FOUND"}])
    );
    assert_eq!(
        keys(&body[0]),
        keys(&recording("responses/restforce/sobject__upsert_error_response.json")[0])
    );

    // Delete by external id.
    let (status, _) = send(api(&org, Method::DELETE, path)).await;
    assert_eq!(status, 204);
    let (status, _) = send(api(&org, Method::GET, path)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn defaults_from_the_describe_are_applied() {
    let org = start().await;
    // Lead.Status is a defaulted picklist in the recorded describe.
    let (_, describe) = send(api(&org, Method::GET, "/sobjects/Lead/describe")).await;
    let status_field = describe["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["name"] == "Status")
        .expect("Status");
    let default = status_field["picklistValues"]
        .as_array()
        .expect("values")
        .iter()
        .find(|v| v["defaultValue"] == true)
        .expect("a default");
    let id = create(&org, "Lead", json!({"LastName": "Doe", "Company": "Acme"})).await;
    let (_, record) = send(api(&org, Method::GET, &format!("/sobjects/Lead/{id}"))).await;
    assert_eq!(record["Status"], default["value"]);
}
