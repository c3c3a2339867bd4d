//! Versions, resources, describes and limits.

use reqwest::header::{IF_MODIFIED_SINCE, LAST_MODIFIED};
use reqwest::Method;
use serde_json::json;
use sfgen_fake_org::FakeOrg;

use crate::common::{api, client, codes, keys, recording, recordings_dir, send, start, start_with};

#[tokio::test]
async fn versions_list_has_the_recorded_shape_and_needs_no_token() {
    let org = start().await;
    let url = format!("{}/services/data", org.instance_url());
    let (status, body) =
        crate::common::status_and_json(client().get(url).send().await.expect("answered")).await;
    assert_eq!(status, 200);
    let recorded = recording("responses/netcoreforce/versions.json");
    let list = body.as_array().expect("a list");
    assert_eq!(keys(&list[0]), keys(&recorded[0]));
    let v57 = list
        .iter()
        .find(|v| v["version"] == "57.0")
        .expect("57.0 is served");
    assert_eq!(v57, &recorded[26]);
}

#[tokio::test]
async fn resources_list_the_data_endpoints() {
    let org = start().await;
    let (status, body) = send(api(&org, Method::GET, "/")).await;
    assert_eq!(status, 200);
    let version = org.api_version();
    assert_eq!(
        body["sobjects"],
        format!("/services/data/v{version}/sobjects")
    );
    assert_eq!(body["query"], format!("/services/data/v{version}/query"));
    let recorded = recording("responses/camel-quarkus/services_data_v56_resources.json");
    assert!(
        keys(&recorded).is_subset(&keys(&body)),
        "{:?} ⊄ {:?}",
        keys(&recorded),
        keys(&body)
    );
}

#[tokio::test]
async fn unknown_api_version_is_not_found() {
    let org = start().await;
    let url = format!("{}/services/data/v99.0/sobjects", org.instance_url());
    let (status, body) = send(client().get(url).bearer_auth(org.access_token())).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!([{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}])
    );
}

#[tokio::test]
async fn global_describe_has_the_recorded_shape() {
    let org = start().await;
    let (status, body) = send(api(&org, Method::GET, "/sobjects")).await;
    assert_eq!(status, 200);
    let recorded = recording("global/amaxa-5-sobjects.json");
    assert_eq!(keys(&body), keys(&recorded));
    let account = body["sobjects"]
        .as_array()
        .expect("sobjects")
        .iter()
        .find(|o| o["name"] == "Account")
        .expect("Account");
    let recorded_account = &recorded["sobjects"][0];
    assert!(
        keys(recorded_account).is_subset(&keys(account)),
        "{:?}",
        keys(account)
    );
    assert_eq!(account["keyPrefix"], "001");
    let describe_url = format!(
        "/services/data/v{}/sobjects/Account/describe",
        org.api_version()
    );
    assert_eq!(account["urls"]["describe"], describe_url);
}

#[tokio::test]
async fn describe_supports_last_modified_and_if_modified_since() {
    let org = start().await;
    let response = api(&org, Method::GET, "/sobjects/Account/describe")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    let last_modified = response
        .headers()
        .get(LAST_MODIFIED)
        .expect("Last-Modified")
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["name"], "Account");
    assert!(body["fields"].as_array().expect("fields").len() > 40);

    let unchanged = api(&org, Method::GET, "/sobjects/Account/describe")
        .header(IF_MODIFIED_SINCE, &last_modified)
        .send()
        .await
        .expect("answered");
    assert_eq!(unchanged.status(), 304);

    org.advance_clock(std::time::Duration::from_secs(5));
    org.add_field(
        "Account",
        json!({"name": "Tier__c", "label": "Tier", "type": "string", "length": 20, "nillable": true,
               "createable": true, "updateable": true, "defaultedOnCreate": false, "custom": true}),
    )
    .expect("field added");
    let changed = api(&org, Method::GET, "/sobjects/Account/describe")
        .header(IF_MODIFIED_SINCE, &last_modified)
        .send()
        .await
        .expect("answered");
    assert_eq!(changed.status(), 200);
    let new_last_modified = changed
        .headers()
        .get(LAST_MODIFIED)
        .expect("Last-Modified")
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_ne!(new_last_modified, last_modified);
    let body: serde_json::Value = changed.json().await.expect("json");
    assert!(body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .any(|f| f["name"] == "Tier__c"));

    // The new field is usable at once.
    let id = crate::common::create(
        &org,
        "Account",
        json!({"Name": "Tiered", "Tier__c": "Gold"}),
    )
    .await;
    let (_, record) = send(api(
        &org,
        Method::GET,
        &format!("/sobjects/Account/{id}?fields=Tier__c"),
    ))
    .await;
    assert_eq!(record["Tier__c"], "Gold");
}

#[tokio::test]
async fn unknown_object_is_not_found() {
    let org = start().await;
    let (status, body) = send(api(&org, Method::GET, "/sobjects/Nope__c/describe")).await;
    assert_eq!(status, 404);
    assert_eq!(codes(&body), ["NOT_FOUND"]);
}

#[tokio::test]
async fn limits_have_the_recorded_shape_and_count_requests() {
    let org = start_with(FakeOrg::builder().daily_api_limit(500)).await;
    let (status, body) = send(api(&org, Method::GET, "/limits")).await;
    assert_eq!(status, 200);
    let recorded = recording("responses/camel-quarkus/limits_v56.json");
    assert_eq!(keys(&body), keys(&recorded));
    assert_eq!(
        keys(&body["DailyApiRequests"]),
        keys(&recorded["DailyApiRequests"])
    );
    assert_eq!(
        body["DailyApiRequests"],
        json!({"Max": 500, "Remaining": 499})
    );
}

#[tokio::test]
async fn a_directory_without_manifest_takes_names_from_the_describes() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let full = recordings_dir().join("describe/full");
    for (file, copy) in [
        ("Account.amaxa-v44.0.json", "a.json"),
        ("Contact.amaxa-v44.0.json", "b.json"),
    ] {
        std::fs::copy(full.join(file), dir.path().join(copy)).expect("copied");
    }
    let org = start_with(FakeOrg::builder().schemas_dir(dir.path())).await;
    let (_, body) = send(api(&org, Method::GET, "/sobjects")).await;
    let names: Vec<&str> = body["sobjects"]
        .as_array()
        .expect("sobjects")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(names, ["Account", "Contact"]);
}

#[tokio::test]
async fn two_describes_of_one_object_are_rejected() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let full = recordings_dir().join("describe/full");
    for file in ["Account.amaxa-v44.0.json", "Account.elasticio-v46.0.json"] {
        std::fs::copy(full.join(file), dir.path().join(file)).expect("copied");
    }
    let err = FakeOrg::builder()
        .schemas_dir(dir.path())
        .start()
        .await
        .expect_err("duplicate Account");
    assert!(
        err.to_string()
            .contains("object Account is described twice"),
        "{err}"
    );
}

#[tokio::test]
async fn basic_information_of_an_object() {
    let org = start().await;
    let (status, body) = send(api(&org, Method::GET, "/sobjects/Contact")).await;
    assert_eq!(status, 200);
    assert_eq!(body["objectDescribe"]["name"], "Contact");
    assert_eq!(body["recentItems"], json!([]));
}
