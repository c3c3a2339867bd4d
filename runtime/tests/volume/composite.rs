//! Composite: dependent writes in one round trip, and the 25-subrequest limit.

use serde_json::{json, Value};
use sfgen_runtime::batch::composite::MAX_SUBREQUESTS;
use sfgen_runtime::batch::Composite;
use sfgen_runtime::{Error, Request};

use sfgen_generated::Account;
use sfgen_runtime::SObject;

use crate::common::{client, new_account, new_contact, org, ContactView};

#[tokio::test]
async fn an_account_and_its_contacts_in_one_round_trip() {
    let org = org().await;
    let client = client(&org).await;
    let mut request = Composite::new().all_or_none(true);
    let account = request.create(&new_account("Acme")).expect("fits");
    let contacts: Vec<_> = (0..3)
        .map(|i| {
            request
                .create_linked(
                    &new_contact(format!("Contact {i}")),
                    &[("AccountId", account.id())],
                )
                .expect("fits")
        })
        .collect();
    let soql = format!(
        "SELECT {} FROM Contact WHERE AccountId = '{}' ORDER BY LastName",
        ContactView::FIELDS.join(", "),
        account.id().as_str()
    );
    let read_back = request.query::<ContactView>(soql).expect("fits");
    let read_account = request.get::<Account>(&account).expect("fits");

    let response = client.composite(&request).await.expect("sent");
    assert_eq!(org.calls("POST */composite"), 1);
    assert!(response.all_succeeded(), "{:#?}", response.results());
    let account_id = response.id(&account).expect("created");
    for contact in &contacts {
        let id = response.id(contact).expect("created");
        let stored = org
            .store()
            .get("Contact", id.as_str(), None)
            .expect("stored");
        assert_eq!(stored.fields["AccountId"], account_id.as_str());
    }
    let people = response.records(&read_back).expect("read");
    let names: Vec<&str> = people.iter().map(|p| p.last_name.as_str()).collect();
    assert_eq!(names, ["Contact 0", "Contact 1", "Contact 2"]);
    assert!(people.iter().all(|p| p.account_id == Some(account_id)));
    assert_eq!(response.record(&read_account).expect("read").name, "Acme");
}

#[tokio::test]
async fn all_or_none_rolls_back_every_subrequest() {
    let org = org().await;
    let client = client(&org).await;
    let mut request = Composite::new().all_or_none(true);
    let account = request.create(&new_account("Rolled back")).expect("fits");
    let contact = request
        .create_linked(&new_contact("x".repeat(81)), &[("AccountId", account.id())])
        .expect("fits");
    let response = client.composite(&request).await.expect("sent");
    assert!(!response.all_succeeded());
    assert!(matches!(response.id(&contact), Err(Error::Api { .. })));
    assert!(
        response.id(&account).is_err(),
        "the account was rolled back"
    );
    assert_eq!(org.store().count("Account"), 0);
}

#[tokio::test]
async fn twenty_five_subrequests_fit_and_a_twenty_sixth_does_not() {
    let org = org().await;
    let client = client(&org).await;
    let mut request = Composite::new();
    let refs: Vec<_> = (0..MAX_SUBREQUESTS)
        .map(|i| {
            request
                .create(&new_contact(format!("Sub {i}")))
                .expect("fits")
        })
        .collect();
    let refused = request.create(&new_contact("one too many"));
    assert!(matches!(refused, Err(Error::Config(_))), "{refused:?}");
    let response = client.composite(&request).await.expect("sent");
    assert_eq!(org.calls("POST */composite"), 1);
    assert!(refs.iter().all(|r| response.id(r).is_ok()));
    assert_eq!(org.store().count("Contact"), 25);

    // The org enforces the limit too, with Salesforce's error.
    let subrequests: Vec<Value> = (0..26)
        .map(|i| {
            json!({"method": "POST", "url": "/services/data/v66.0/sobjects/Contact", "referenceId": format!("r{i}"), "body": {"LastName": "x"}})
        })
        .collect();
    let raw = Request::post("composite")
        .json(&json!({"compositeRequest": subrequests}))
        .expect("encodes");
    match client.send(raw).await {
        Err(Error::Api {
            status: 400, code, ..
        }) => assert_eq!(code.as_str(), "LIMIT_EXCEEDED"),
        other => panic!("expected LIMIT_EXCEEDED, got {other:?}"),
    }
    assert_eq!(org.store().count("Contact"), 25);
}
