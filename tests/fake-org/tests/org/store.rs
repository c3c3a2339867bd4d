//! The record store, without HTTP.

use serde_json::{json, Map, Value};
use sfgen_fake_org::{ErrorCode, SfId};

use crate::common::start;

fn map(value: Value) -> Map<String, Value> {
    value.as_object().expect("an object").clone()
}

#[tokio::test]
async fn insert_get_update_delete() {
    let org = start().await;
    let store = org.store();
    let id = store
        .insert("Account", &map(json!({"Name": "Acme"})))
        .expect("inserted");
    assert_eq!(id.key_prefix(), *b"001");
    let record = store.get("Account", id.as_str(), None).expect("found");
    assert_eq!(record.fields["Name"], "Acme");
    store
        .update("Account", id.as_str(), &map(json!({"Phone": "1"})))
        .expect("updated");
    let only = vec!["Phone".to_owned()];
    assert_eq!(
        store
            .get("Account", id.as_str(), Some(&only))
            .expect("found")
            .fields["Phone"],
        "1"
    );
    store.delete("Account", id.as_str()).expect("deleted");
    let errors = store
        .get("Account", id.as_str(), None)
        .expect_err("deleted");
    assert_eq!(errors[0].code, ErrorCode::EntityIsDeleted);
    let errors = store
        .insert("Account", &map(json!({})))
        .expect_err("Name is required");
    assert_eq!(errors[0].code, ErrorCode::RequiredFieldMissing);
}

#[tokio::test]
async fn journals_roll_back_inserts_updates_and_deletes() {
    let org = start().await;
    let store = org.store();
    let kept = store
        .insert("Account", &map(json!({"Name": "Kept"})))
        .expect("inserted");
    let journal = store.journal();
    let writer = store.writer().with_journal(journal.clone());
    let new = writer
        .insert("Account", &map(json!({"Name": "New"})))
        .expect("inserted");
    writer
        .update("Account", kept.as_str(), &map(json!({"Name": "Changed"})))
        .expect("updated");
    writer.delete("Account", kept.as_str()).expect("deleted");
    store.rollback(&journal);
    assert_eq!(
        store
            .get("Account", kept.as_str(), None)
            .expect("restored")
            .fields["Name"],
        "Kept"
    );
    let errors = store
        .get("Account", new.as_str(), None)
        .expect_err("rolled back");
    assert_eq!(errors[0].code, ErrorCode::NotFound);
    assert_eq!(store.count("Account"), 1);
    assert_eq!(store.object_of(new.as_str()), None);
}

#[tokio::test]
async fn bulk_load_reports_the_first_bad_record() {
    let org = start().await;
    let good = (0..1000).map(|i| map(json!({"Name": format!("A{i}")})));
    assert_eq!(
        org.store().bulk_load("Account", good).expect("loaded"),
        1000
    );
    let mixed = vec![map(json!({"Name": "ok"})), map(json!({"Nope": 1}))];
    let err = org
        .store()
        .bulk_load("Account", mixed)
        .expect_err("bad record");
    assert_eq!(err.index, 1);
    assert_eq!(err.errors[0].code, ErrorCode::InvalidField);
    assert_eq!(org.store().count("Account"), 1001);
}

#[tokio::test]
async fn replace_describe_keeps_values_of_remaining_fields() {
    let org = start().await;
    let store = org.store();
    let id = store
        .insert(
            "Account",
            &map(json!({"Name": "Acme", "Phone": "1", "Fax": "2"})),
        )
        .expect("inserted");
    let mut describe =
        store.with_schema(|s| (*s.object("Account").expect("Account").describe).clone());
    let fields = describe["fields"].as_array_mut().expect("fields");
    fields.retain(|f| f["name"] != "Phone");
    fields.reverse();
    store.replace_describe(describe).expect("replaced");
    let record = store.get("Account", id.as_str(), None).expect("found");
    assert_eq!(record.fields["Fax"], "2");
    assert_eq!(record.fields["Name"], "Acme");
    assert!(!record.fields.contains_key("Phone"));
}

#[test]
fn minted_ids_are_valid_for_the_runtime() {
    for row in [0, 1, 61, 62, 3843, 1_000_000] {
        let id = SfId::mint(*b"003", row);
        let parsed = sfgen_runtime::RecordId::parse(id.as_str()).expect("checksum-valid");
        assert_eq!(parsed.as_str(), id.as_str());
    }
}
