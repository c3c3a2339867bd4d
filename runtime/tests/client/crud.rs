//! Record operations, typed over the contract and untyped over JSON.

use serde::Deserialize;
use serde_json::json;
use sfgen_runtime::soql::Select;
use sfgen_runtime::{Error, ErrorCode, Field, Id, RecordId, SObject, REGENERATE_COMMAND};

use crate::common::{org, token_client, Acct, AcctUpdate, NewAcct};

#[tokio::test]
async fn typed_create_get_update_delete() {
    let org = org().await;
    let client = token_client(&org).await;
    let id: Id<Acct> = client
        .create(&NewAcct {
            name: "Typed".into(),
            industry: Some("Energy".into()),
        })
        .await
        .expect("creates");
    assert_eq!(id.key_prefix(), "001");
    let read = client.get(id).await.expect("reads");
    assert_eq!(
        (read.id, read.name.as_str(), read.industry.as_deref()),
        (id, "Typed", Some("Energy"))
    );
    let fields = org
        .request_log()
        .last()
        .and_then(|r| r.query.clone())
        .unwrap_or_default();
    assert_eq!(
        fields, "fields=Id%2CName%2CIndustry",
        "get selects exactly the generated field list"
    );

    let changes = AcctUpdate {
        name: Field::Value("Renamed".into()),
        industry: Field::Null,
    };
    client.update(id, &changes).await.expect("updates");
    let read = client.get(id).await.expect("reads");
    assert_eq!(
        (read.name.as_str(), read.industry),
        ("Renamed", None),
        "null cleared the industry"
    );
    client
        .update(id, &AcctUpdate::default())
        .await
        .expect("an empty update changes nothing");
    assert_eq!(client.get(id).await.expect("reads").name, "Renamed");

    client.delete(id).await.expect("deletes");
    let gone = client.get(id).await.expect_err("deleted");
    assert!(
        matches!(
            gone.api_code(),
            Some(ErrorCode::EntityIsDeleted | ErrorCode::NotFound)
        ),
        "{gone}"
    );
}

#[tokio::test]
async fn untyped_create_get_update_delete() {
    let org = org().await;
    let client = token_client(&org).await;
    let id = client
        .create_value(
            "Contact",
            &json!({"FirstName": "Ada", "LastName": "Lovelace"}),
        )
        .await
        .expect("creates");
    assert_eq!(id.key_prefix(), "003");
    let read = client
        .get_value("Contact", id, Some(&["FirstName", "LastName"]))
        .await
        .expect("reads");
    assert_eq!(read["LastName"], "Lovelace");
    client
        .update_value("Contact", id, &json!({"FirstName": null}))
        .await
        .expect("updates");
    let read = client
        .get_value("Contact", id, None)
        .await
        .expect("reads every field");
    assert_eq!(read["FirstName"], serde_json::Value::Null);
    client.delete_value("Contact", id).await.expect("deletes");
    assert!(client.get_value("Contact", id, None).await.is_err());

    let bad = client
        .create_value("Contact/../Account", &json!({}))
        .await
        .expect_err("not an API name");
    assert!(matches!(bad, Error::Config(_)), "{bad}");
}

#[tokio::test]
async fn required_field_missing_from_untyped_json_is_a_clear_error() {
    let org = org().await;
    let client = token_client(&org).await;
    let err = client
        .create_value("Opportunity", &json!({"Name": "Big deal"}))
        .await
        .expect_err("StageName and CloseDate are required");
    match &err {
        Error::Api {
            status,
            code,
            fields,
            ..
        } => {
            assert_eq!(*status, 400);
            assert_eq!(*code, ErrorCode::RequiredFieldMissing);
            let mut fields = fields.clone();
            fields.sort();
            assert_eq!(fields, ["CloseDate", "StageName"]);
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.starts_with("Salesforce answered HTTP 400 REQUIRED_FIELD_MISSING"),
        "{text}"
    );
    assert!(
        text.contains("StageName") && text.contains("CloseDate"),
        "{text}"
    );
    assert_eq!(
        org.calls("POST */sobjects/Opportunity"),
        1,
        "a failed create is not retried"
    );
}

fn external_id_field() -> serde_json::Value {
    json!({
        "name": "Ext_Id__c", "label": "External Id", "type": "string", "length": 80,
        "nillable": true, "createable": true, "updateable": true, "defaultedOnCreate": false,
        "externalId": true, "idLookup": true, "unique": true, "custom": true
    })
}

#[tokio::test]
async fn upsert_by_external_id() {
    let org = org().await;
    org.add_field("Account", external_id_field())
        .expect("adds the field");
    let client = token_client(&org).await;
    let created = client
        .upsert(
            "Ext_Id__c",
            "ACME/1 ?#",
            &NewAcct {
                name: "Upserted".into(),
                industry: None,
            },
        )
        .await
        .expect("creates");
    assert!(created.created);
    let updated = client
        .upsert(
            "Ext_Id__c",
            "ACME/1 ?#",
            &NewAcct {
                name: "Upserted again".into(),
                industry: None,
            },
        )
        .await
        .expect("updates");
    assert!(!updated.created);
    assert_eq!(
        updated.id, created.id,
        "the value with / ? # and a space addressed one record"
    );
    assert_eq!(
        client.get(created.id).await.expect("reads").name,
        "Upserted again"
    );

    let untyped = client
        .upsert_value(
            "Account",
            "Ext_Id__c",
            "ACME-2",
            &json!({"Name": "Untyped upsert"}),
        )
        .await
        .expect("creates");
    assert!(untyped.created && untyped.id.key_prefix() == "001");
    assert!(client
        .upsert_value("Account", "Ext_Id__c", "..", &json!({}))
        .await
        .is_err());
    let bad_field = client
        .upsert_value("Account", "No_Such__c", "1", &json!({"Name": "x"}))
        .await
        .expect_err("not an external id field");
    assert!(bad_field.api_code().is_some(), "{bad_field}");
}

/// A generated type from an older schema: the org no longer has `Legacy__c`.
#[derive(Debug, Deserialize)]
struct DriftedAccount {
    #[serde(rename = "Id")]
    _id: RecordId,
}

impl SObject for DriftedAccount {
    const API_NAME: &'static str = "Account";
    const KEY_PREFIX: Option<&'static str> = Some("001");
    const FIELDS: &'static [&'static str] = &["Id", "Name", "Legacy__c"];
}

#[tokio::test]
async fn an_unknown_generated_field_means_the_schema_drifted() {
    let org = org().await;
    let client = token_client(&org).await;
    let id = client
        .create(&NewAcct {
            name: "Drift".into(),
            industry: None,
        })
        .await
        .expect("creates");
    let drifted: Id<DriftedAccount> = id.untyped().typed().expect("an account id");
    let err = client.get(drifted).await.expect_err("Legacy__c is gone");
    let text = err.to_string();
    assert!(matches!(err, Error::SchemaDrift { .. }), "{err:?}");
    assert!(
        text.contains("Legacy__c") && text.contains(REGENERATE_COMMAND),
        "{text}"
    );

    use futures::TryStreamExt;
    let err = client
        .query::<DriftedAccount>(Select::from::<DriftedAccount>())
        .try_collect::<Vec<_>>()
        .await
        .expect_err("the query selects Legacy__c");
    assert!(matches!(err, Error::SchemaDrift { .. }), "{err:?}");

    // A hand-written query with an unknown field is the caller's mistake, not drift.
    let err = client
        .query::<serde_json::Value>("SELECT Legacy__c FROM Account")
        .try_collect::<Vec<_>>()
        .await
        .expect_err("unknown field");
    assert_eq!(err.api_code(), Some(&ErrorCode::InvalidField), "{err}");
}
