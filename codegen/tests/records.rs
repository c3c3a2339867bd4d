//! Recorded Salesforce responses (`../shared/salesforce-recordings/responses/`)
//! decoded into the committed generated types: record GETs decode; query pages
//! that selected fewer fields than the generated record reads fail with an
//! error naming the record, the field and the reason.

mod common;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use sfgen_generated::account::AccountType;
use sfgen_generated::event::{EventWhatTarget, EventWhoTarget};
use sfgen_generated::{Account, Case, Contact, ContactUpdate, Event, User};
use sfgen_runtime::{Field, RecordId, SObject};

/// A query result page (`GET /query?q=…`).
#[derive(Debug, Deserialize)]
struct QueryPage<T> {
    #[serde(rename = "totalSize")]
    total_size: u64,
    done: bool,
    #[serde(rename = "nextRecordsUrl", default)]
    next_records_url: Option<String>,
    records: Vec<T>,
}

/// Decodes a recorded response, or says where and why it does not decode.
fn decode<T: DeserializeOwned>(response: &str) -> Result<T, String> {
    let path = common::recordings().join("responses").join(response);
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()));
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| format!("{}: {}", e.path(), e.inner()))
}

/// The error of a response that must not decode, without its line and column.
fn decode_error<T: DeserializeOwned + std::fmt::Debug>(response: &str) -> String {
    let err = decode::<T>(response).expect_err("must not decode");
    match err.rfind(" at line ") {
        Some(i) => err[..i].to_owned(),
        None => err,
    }
}

#[test]
fn an_account_record_decodes() {
    let account: Account = decode("netcoreforce/account.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(account.id.as_str(), "001i000002C8QTIAA3");
    assert_eq!(account.name, "Acme Corporation");
    assert_eq!(account.r#type, Some(AccountType::CustomerDirect));
    assert_eq!(
        account.r#type.as_ref().map(AccountType::as_str),
        Some("Customer - Direct")
    );
    let billing = account.billing_address.expect("a billing address");
    assert_eq!(
        (billing.city.as_deref(), billing.postal_code.as_deref()),
        (Some("New York"), Some("10001"))
    );
    assert!(!account.is_deleted);
    assert_eq!(account.owner_id.key_prefix(), "005");
}

#[test]
fn a_contact_record_decodes() {
    let contact: Contact = decode("netcoreforce/contact.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(contact.last_name, "Smith");
    assert_eq!(contact.first_name.as_deref(), Some("John"));
    assert_eq!(
        contact.account_id.map(|id| id.to_string()).as_deref(),
        Some("001i000002C8QTIAA3")
    );
    assert_eq!(
        contact.mailing_address.and_then(|a| a.street).as_deref(),
        Some("123 Main St.")
    );
    assert_eq!(
        contact.created_date.to_string(),
        "2017-04-25T16:21:44.000+0000"
    );
}

#[test]
fn a_user_record_decodes() {
    let user: User = decode("netcoreforce/user.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(user.username, "johndoetest999@example.com");
    assert_eq!(user.id.key_prefix(), "005");
    assert!(user.is_active);
}

#[test]
fn an_empty_query_page_decodes_into_any_object() {
    let page: QueryPage<Account> =
        decode("restforce/sobject__query_empty_response.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (page.total_size, page.done, page.records.len()),
        (0, true, 0)
    );
    assert!(page.next_records_url.is_none());
}

#[test]
fn query_pages_that_selected_fewer_fields_name_the_missing_one() {
    // These queries selected a few fields; the generated records read every
    // field of `SObject::FIELDS`, so decoding stops at the first required
    // (non-nillable) field the page lacks.
    assert_eq!(
        decode_error::<QueryPage<Account>>("cumulusci/query_account_many_fields.json"),
        "records[0]: missing field `CreatedById`"
    );
    assert_eq!(
        decode_error::<QueryPage<Contact>>(
            "cumulusci/query_contact_with_Opportunities_subquery.json"
        ),
        "records[0]: missing field `Id`"
    );
    assert_eq!(
        decode_error::<QueryPage<Event>>("cumulusci/query_event_TYPEOF_polymorphic_v62.json"),
        "records[0]: missing field `CreatedById`"
    );
    assert_eq!(
        decode_error::<QueryPage<Case>>("netcoreforce/query_case_result.json"),
        "records[0]: missing field `CreatedById`"
    );
    assert_eq!(
        decode_error::<QueryPage<User>>("snowfakery/query_User_records.json"),
        "records[0]: missing field `Alias`"
    );
    assert!(Account::FIELDS.contains(&"CreatedById"));
}

#[test]
fn scrubbed_ids_are_rejected_naming_the_field_and_the_checksum() {
    for batch in 1..=4 {
        let page = format!("netcoreforce/querybatch__batch-{batch}.json");
        assert_eq!(
            decode_error::<QueryPage<Contact>>(&page),
            "records[0].Id: `003XXXXXXXXXXXXXXX` is not a valid 18-character id: its checksum should be `Y55`",
            "{page}"
        );
    }
}

#[test]
fn polymorphic_references_tell_their_target_by_key_prefix() {
    // Ids from the recorded polymorphic (`TYPEOF`) Event query.
    let who: RecordId = "0039H00000Bc8vtQAB".parse().expect("a valid id");
    assert!(
        matches!(EventWhoTarget::from_id(who), EventWhoTarget::Contact(id) if id.as_str() == "0039H00000Bc8vtQAB")
    );
    let what: RecordId = "0019H00000H25ppQAB".parse().expect("a valid id");
    assert!(matches!(
        EventWhatTarget::from_id(what),
        EventWhatTarget::Account(_)
    ));
    // A user is neither a contact nor a lead.
    let user: RecordId = "005i0000000nZmoAAE".parse().expect("a valid id");
    assert_eq!(EventWhoTarget::from_id(user), EventWhoTarget::Other(user));
}

#[test]
fn update_forms_send_only_what_is_set_and_null_clears() {
    let update = ContactUpdate {
        first_name: Field::Value("Jane".to_owned()),
        title: Field::Null,
        ..ContactUpdate::default()
    };
    let body = serde_json::to_string(&update).expect("serializes");
    assert_eq!(body, r#"{"FirstName":"Jane","Title":null}"#);
    assert_eq!(
        serde_json::to_string(&ContactUpdate::default()).expect("serializes"),
        "{}"
    );
}

/// Picklist values are values: the org's `Other` is the variant `Other`,
/// equality and hashing follow the API value, and only `from_api` builds the
/// `Unlisted` fallback, for values the enum does not list.
#[test]
fn picklist_equality_follows_the_wire() {
    use sfgen_generated::lead::LeadLeadSource;
    use std::collections::HashSet;

    assert_eq!(LeadLeadSource::from_api("Other"), LeadLeadSource::Other);
    assert_eq!(LeadLeadSource::Other.as_str(), "Other");
    assert_eq!(LeadLeadSource::from_api("Web"), LeadLeadSource::Web);
    let unknown: LeadLeadSource = serde_json::from_str("\"Podcast\"").expect("decodes");
    match &unknown {
        LeadLeadSource::Unlisted(value) => assert_eq!(value.as_str(), "Podcast"),
        other => panic!("expected Unlisted, got {other:?}"),
    }
    assert_eq!(unknown, LeadLeadSource::from_api("Podcast"));
    assert_ne!(unknown, LeadLeadSource::Web);
    let set: HashSet<LeadLeadSource> = [
        LeadLeadSource::from_api("Podcast"),
        unknown.clone(),
        LeadLeadSource::Web,
    ]
    .into_iter()
    .collect();
    assert_eq!(set.len(), 2, "equal values hash alike");
    assert_eq!(
        serde_json::to_string(&unknown).expect("encodes"),
        "\"Podcast\""
    );
}
