//! `#[sfgen_runtime::record]` on records as a project may declare them: with
//! or without `Serialize`, with fields decoded by `with` and
//! `deserialize_with` functions, and named like the prelude's types.

use sfgen_runtime::rust_decimal::Decimal;

/// Without `Serialize`: the `serde` attributes are read, then removed.
#[sfgen_runtime::record]
#[derive(Debug, Clone, PartialEq)]
pub struct Invoice {
    #[serde(rename = "Id")]
    pub id: String,
    #[serde(rename = "Total__c", with = "sfgen_runtime::number::exact")]
    pub total: Decimal,
    #[serde(rename = "Discount__c", default, with = "sfgen_runtime::number::exact")]
    pub discount: Option<Decimal>,
    #[serde(rename = "Lines__c", deserialize_with = "sfgen_runtime::number::whole")]
    pub lines: i64,
    #[serde(
        rename = "Pages__c",
        default,
        deserialize_with = "sfgen_runtime::number::whole_option"
    )]
    pub pages: Option<i64>,
    #[serde(rename = "Note__c")]
    pub note: Option<String>,
}

mod prelude_names {
    use sfgen_runtime::rust_decimal::Decimal;

    /// A record named like a prelude type, with `Serialize`.
    #[sfgen_runtime::record]
    #[derive(Debug, PartialEq, serde::Serialize)]
    pub struct Option {
        #[serde(rename = "Name")]
        pub name: String,
        #[serde(rename = "Amount", default, with = "sfgen_runtime::number::exact")]
        pub amount: core::option::Option<Decimal>,
    }
}

const ID: &str = "a0B000000000001AAA";

#[test]
fn decodes_through_each_fields_function() {
    let json = format!(
        r#"{{"attributes":{{"type":"Invoice__c"}},"Id":"{ID}","Total__c":1234567890123456.78,
            "Discount__c":null,"Lines__c":3.0,"Pages__c":12.0,"Note__c":"n","Extra__c":1}}"#
    );
    let invoice: Invoice = serde_json::from_str(&json).expect("decodes");
    assert_eq!(invoice.id, ID);
    assert_eq!(invoice.total.to_string(), "1234567890123456.78");
    assert_eq!(invoice.discount, None);
    assert_eq!((invoice.lines, invoice.pages), (3, Some(12)));
    assert_eq!(invoice.note.as_deref(), Some("n"));
}

#[test]
fn missing_keys_default_or_fail_as_serde_derive_has_it() {
    // `default` and plain `Option` fields may be absent.
    let json = format!(r#"{{"Id":"{ID}","Total__c":1,"Lines__c":1}}"#);
    let invoice: Invoice = serde_json::from_str(&json).expect("decodes");
    assert_eq!(
        (invoice.discount, invoice.pages, invoice.note),
        (None, None, None)
    );
    // A field without a default may not.
    let json = format!(r#"{{"Id":"{ID}","Lines__c":1}}"#);
    let err = serde_json::from_str::<Invoice>(&json).expect_err("Total__c is required");
    assert!(
        err.to_string().starts_with("missing field `Total__c`"),
        "{err}"
    );
}

#[test]
fn a_field_function_error_is_reported_at_its_key() {
    let json = format!(r#"{{"Id":"{ID}","Total__c":1,"Lines__c":1.5}}"#);
    let de = &mut serde_json::Deserializer::from_str(&json);
    let err = serde_path_to_error::deserialize::<_, Invoice>(de).expect_err("1.5 is not whole");
    assert_eq!(err.path().to_string(), "Lines__c");
}

#[test]
fn a_record_named_option_round_trips() {
    let read: prelude_names::Option =
        serde_json::from_str(r#"{"Name":"x","Amount":0.10}"#).expect("decodes");
    assert_eq!(read.amount.map(|a| a.to_string()).as_deref(), Some("0.10"));
    assert_eq!(
        serde_json::to_string(&read).expect("encodes"),
        r#"{"Name":"x","Amount":0.10}"#
    );
}
