//! The included bindings behave as the committed crate's do.

use example_build_script::salesforce::{self, Account, ContactRequired, NewContact};
use sfgen_runtime::{CreateRecord, SObject};

#[test]
fn a_create_form_carries_its_required_fields() {
    let contact = NewContact::new(ContactRequired {
        last_name: "Lovelace".into(),
    })
    .with_first_name("Ada");
    let json = serde_json::to_value(&contact).expect("serializes");
    assert_eq!(json["LastName"], "Lovelace");
    assert_eq!(json["FirstName"], "Ada");
    assert_eq!(<NewContact as CreateRecord>::Object::API_NAME, "Contact");
}

#[test]
fn references_point_into_the_including_module() {
    // `crate::account::Account` in the generated code, rebased onto `crate::salesforce`.
    let account: sfgen_runtime::Id<salesforce::Account> =
        "001000000000001AAA".parse().expect("an Account id");
    let contact = NewContact::new(ContactRequired {
        last_name: "Hopper".into(),
    })
    .with_account_id(account);
    let json = serde_json::to_value(&contact).expect("serializes");
    assert_eq!(json["AccountId"], "001000000000001AAA");
    assert_eq!(Account::API_NAME, "Account");
}
