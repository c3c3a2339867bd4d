//! The service's own tests, against the fake org as a dev-dependency: what a
//! user's CI runs without a real org.

use sfgen_fake_org::FakeOrg;
use sfgen_runtime::{Client, Credentials, Url};

async fn connect(org: &sfgen_fake_org::RunningOrg) -> Client {
    let url = Url::parse(org.instance_url()).expect("the fake org's URL parses");
    Client::connect(Credentials::access_token(url, org.access_token()))
        .await
        .expect("connects to the fake org")
}

#[tokio::test]
async fn crud_clears_the_phone_and_serializes_api_names() {
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let client = connect(&org).await;
    let json = example_service::crud(&client).await.expect("crud");
    assert_eq!(json["LastName"], "Lovelace");
    assert_eq!(json["FirstName"], "Ada");
    assert!(json[example_service::CLEARED_FIELD].is_null(), "{json}");
    assert_eq!(json["Birthdate"], "1815-12-10");
    org.shutdown().await;
}

#[tokio::test]
async fn a_typed_query_finds_what_was_created() {
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let client = connect(&org).await;
    assert!(example_service::accounts_named(&client, "Babbage & Co")
        .await
        .expect("query")
        .is_empty());
    let created = client
        .create(&example_salesforce::NewAccount::new(
            example_salesforce::AccountRequired {
                name: "Babbage & Co".into(),
            },
        ))
        .await
        .expect("create");
    let found = example_service::accounts_named(&client, "Babbage & Co")
        .await
        .expect("query");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, created);
    org.shutdown().await;
}

#[tokio::test]
async fn bulk_and_unified_see_the_same_contacts() {
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let client = connect(&org).await;
    let ids = example_service::bulk_create_contacts(&client, 25)
        .await
        .expect("bulk insert");
    assert_eq!(ids.len(), 25);
    let mut names = example_service::unified_contact_names(&client)
        .await
        .expect("unified list");
    names.sort();
    assert_eq!(names.len(), 25);
    assert_eq!(names[0], "Bulk 0");
    org.shutdown().await;
}
