//! The mapping spec (`schemas/unified.toml`) against the committed describes:
//! the default spec is valid, and each broken spec fails with a message naming
//! the line, the problem and the fix (snapshotted).

use std::path::{Path, PathBuf};

use sfgen::model::Model;
use sfgen::unified::{render_source, Scope, UnifiedError};

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn model() -> Model {
    let schemas = sfgen::read::read_schemas(&schemas_dir()).expect("the committed schemas read");
    sfgen::model::build(&schemas)
}

fn default_spec() -> String {
    std::fs::read_to_string(schemas_dir().join("unified.toml"))
        .expect("schemas/unified.toml exists")
}

/// The default spec with the first `from` after the header comment replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    let spec = default_spec();
    let body = spec
        .find("\nversion = 1\n")
        .expect("the spec starts with a comment, then the version");
    let (header, rest) = spec.split_at(body);
    assert!(rest.contains(from), "the default spec contains {from:?}");
    format!("{header}{}", rest.replacen(from, to, 1))
}

/// The error report for a spec that must fail.
fn report(spec: &str) -> String {
    match render_source(spec, &model(), &Scope::default()) {
        Ok(_) => panic!("the spec was accepted"),
        Err(problems) => UnifiedError::Invalid {
            path: "schemas/unified.toml".into(),
            problems,
        }
        .to_string(),
    }
}

#[test]
fn the_default_spec_fits_the_committed_describes() {
    let (tokens, left_out) = render_source(&default_spec(), &model(), &Scope::default())
        .expect("the default spec is valid");
    assert!(!tokens.is_empty());
    assert!(left_out.is_empty(), "{left_out:?}");
    assert_eq!(
        default_spec(),
        sfgen::unified::DEFAULT_SPEC,
        "`sfgen init` writes the same default spec as the workspace's schemas/unified.toml"
    );
}

#[test]
fn unknown_object() {
    insta::assert_snapshot!(report(&edited(
        r#"object = "Opportunity""#,
        r#"object = "Oportunity""#
    )));
}

#[test]
fn writable_resource_on_an_object_that_cannot_be_created() {
    insta::assert_snapshot!(report(&edited(
        r#"object = "Opportunity""#,
        r#"object = "OpportunityStage""#
    )));
}

#[test]
fn unknown_field() {
    insta::assert_snapshot!(report(&edited(
        r#"amount = "Amount""#,
        r#"amount = "Amount_USD__c""#
    )));
}

#[test]
fn misspelled_field() {
    insta::assert_snapshot!(report(&edited(
        r#"amount = "Amount""#,
        r#"amount = "Ammount""#
    )));
}

#[test]
fn incompatible_type() {
    insta::assert_snapshot!(report(&edited(
        r#"amount = "Amount""#,
        r#"amount = "Name""#
    )));
}

#[test]
fn write_to_a_field_that_is_neither_createable_nor_updateable() {
    insta::assert_snapshot!(report(&edited(
        r#"companyId = "AccountId""#,
        r#"companyId = "MasterRecordId""#
    )));
}

#[test]
fn write_to_a_field_that_is_not_updateable() {
    let deal =
        "companyId = \"AccountId\"\nownerId = \"OwnerId\"\ndescription = \"Description\"\nsource";
    let broken = deal.replacen("AccountId", "ContactId", 1);
    insta::assert_snapshot!(report(&edited(deal, &broken)));
}

#[test]
fn narrowing_the_access_fixes_a_write_to_a_non_updateable_field() {
    let deal =
        "companyId = \"AccountId\"\nownerId = \"OwnerId\"\ndescription = \"Description\"\nsource";
    let fixed = deal.replacen(
        r#""AccountId""#,
        r#"{ field = "ContactId", access = "read-create" }"#,
        1,
    );
    render_source(&edited(deal, &fixed), &model(), &Scope::default())
        .expect("a create-only mapping to a createable field is valid");
}

#[test]
fn required_salesforce_field_that_nothing_fills() {
    insta::assert_snapshot!(report(&edited(
        r#"stage = "StageName""#,
        r#"stage = "NextStep""#
    )));
}

#[test]
fn unified_field_left_out() {
    insta::assert_snapshot!(report(&edited("probability = \"Probability\"\n", "")));
}

#[test]
fn unknown_unified_field() {
    insta::assert_snapshot!(report(&edited(
        r#"amount = "Amount""#,
        "amount = \"Amount\"\namont = \"Amount\""
    )));
}

#[test]
fn a_missing_section_leaves_its_resource_out_with_a_note() {
    let spec = default_spec();
    let start = spec
        .find("# Read-only.\n[owner]")
        .expect("the owner section");
    let (tokens, left_out) = render_source(&spec[..start], &model(), &Scope::default())
        .expect("a spec without a section is valid");
    assert_eq!(
        left_out,
        ["unified resource `owner` left out: the spec has no `[owner]` section"]
    );
    let text = tokens.to_string();
    assert!(!text.contains("MapsOwner"), "no Owner mapper is emitted");
    assert!(text.contains("MapsContact"));
}

#[test]
fn a_section_asked_for_by_name_must_exist() {
    let spec = default_spec();
    let start = spec
        .find("# Read-only.\n[owner]")
        .expect("the owner section");
    let only = ["owner".to_owned()];
    let scope = Scope {
        only: Some(&only),
        ..Scope::default()
    };
    let problems = render_source(&spec[..start], &model(), &scope).expect_err("owner is asked for");
    let text = UnifiedError::Invalid {
        path: "schemas/unified.toml".into(),
        problems,
    }
    .to_string();
    insta::assert_snapshot!(text);
}

#[test]
fn objects_outside_the_generated_subset_leave_their_resources_out() {
    let mut schemas =
        sfgen::read::read_schemas(&schemas_dir()).expect("the committed schemas read");
    let described: Vec<String> = schemas
        .objects
        .iter()
        .map(|o| o.describe.name.clone())
        .collect();
    let keep = ["Account", "Contact", "Lead", "Opportunity"];
    schemas
        .objects
        .retain(|o| keep.contains(&o.describe.name.as_str()));
    let model = sfgen::model::build(&schemas);
    let scope = Scope {
        described: described.iter().map(String::as_str).collect(),
        only: None,
    };
    let (tokens, left_out) =
        render_source(&default_spec(), &model, &scope).expect("a subset is valid");
    insta::assert_snapshot!(left_out.join("\n"));
    let text = tokens.to_string();
    for kept in ["MapsContact", "MapsLead", "MapsDeal", "MapsCompany"] {
        assert!(text.contains(kept), "{kept} is mapped");
    }
    for gone in ["MapsMeeting", "MapsTask", "MapsNote"] {
        assert!(!text.contains(gone), "{gone} is left out");
    }
}

#[test]
fn an_unknown_resource_asked_for_is_refused() {
    let only = ["contacts".to_owned()];
    let scope = Scope {
        only: Some(&only),
        ..Scope::default()
    };
    let problems = render_source(&default_spec(), &model(), &scope).expect_err("unknown");
    let text = UnifiedError::Invalid {
        path: "schemas/unified.toml".into(),
        problems,
    }
    .to_string();
    assert!(text.contains("did you mean `contact`?"), "{text}");
}

#[test]
fn unknown_section() {
    insta::assert_snapshot!(report(&edited("[owner]\n", "[owners]\n")));
}

#[test]
fn unknown_access() {
    insta::assert_snapshot!(report(&edited(
        r#"closeDate = "CloseDate""#,
        r#"closeDate = { field = "CloseDate", access = "write" }"#
    )));
}

#[test]
fn required_unified_field_mapped_read_only() {
    insta::assert_snapshot!(report(&edited(
        r#"closeDate = "CloseDate""#,
        r#"closeDate = { field = "CloseDate", access = "read" }"#
    )));
}

#[test]
fn unknown_transform() {
    insta::assert_snapshot!(report(&edited(
        r#"transform = "date-datetime""#,
        r#"transform = "date-time""#
    )));
}

#[test]
fn missing_transform() {
    insta::assert_snapshot!(report(&edited(
        r#"dueDate = { field = "ActivityDate", transform = "date-datetime" }"#,
        r#"dueDate = "ActivityDate""#
    )));
}

#[test]
fn transform_that_does_not_fit() {
    insta::assert_snapshot!(report(&edited(
        r#"dueDate = { field = "ActivityDate", transform = "date-datetime" }"#,
        r#"dueDate = { field = "ActivityDate", transform = "cents" }"#
    )));
}

#[test]
fn picklist_translation_with_unknown_values() {
    insta::assert_snapshot!(report(&edited(
        r#""Not Started" = "notStarted""#,
        r#""Not Startd" = "notStarted", "Blocked" = "todo""#
    )));
}

#[test]
fn enum_without_a_translation_table() {
    let task_status = default_spec()
        .lines()
        .find(|l| l.starts_with("status = { field = \"Status\""))
        .expect("the task status mapping")
        .to_owned();
    insta::assert_snapshot!(report(&edited(&task_status, r#"status = "Status""#)));
}

#[test]
fn target_that_the_reference_cannot_point_at() {
    insta::assert_snapshot!(report(&edited(
        r#"contactId = { field = "WhoId", target = "Contact" }"#,
        r#"contactId = { field = "WhoId", target = "Acount" }"#
    )));
}

#[test]
fn target_on_a_plain_reference() {
    insta::assert_snapshot!(report(&edited(
        r#"companyId = "AccountId""#,
        r#"companyId = { field = "AccountId", target = "Account" }"#
    )));
}

#[test]
fn join_on_a_written_field() {
    insta::assert_snapshot!(report(&edited(
        "title = \"Title\"\nemails",
        "title = { join = [\"FirstName\", \"LastName\"] }\nemails"
    )));
}

#[test]
fn address_with_a_misspelled_part() {
    insta::assert_snapshot!(report(&edited(
        r#"postalCode = "MailingPostalCode", country = "MailingCountry""#,
        r#"postcode = "MailingPostalCode""#
    )));
}

#[test]
fn list_slot_with_an_unknown_type() {
    insta::assert_snapshot!(report(&edited(
        r#"{ field = "MobilePhone", type = "mobile" }"#,
        r#"{ field = "MobilePhone", type = "cell" }"#
    )));
}

#[test]
fn custom_entries_that_do_not_fit() {
    insta::assert_snapshot!(report(&edited(
        r#"assistantName = "AssistantName""#,
        "assistantName = { field = \"AssistantName\", transform = \"cents\" }\nregion = \"Region__c\"\nname = \"Name\""
    )));
}

#[test]
fn two_fields_write_one_salesforce_field() {
    insta::assert_snapshot!(report(&edited(
        r#"department = "Department""#,
        r#"department = "Title""#
    )));
}

#[test]
fn polymorphic_writers_need_targets() {
    insta::assert_snapshot!(report(&edited(
        r#"leadId = { field = "WhoId", target = "Lead" }"#,
        r#"leadId = "WhoId""#
    )));
}

#[test]
fn a_required_unified_field_cannot_be_unmapped() {
    insta::assert_snapshot!(report(&edited(
        r#"name = "Name""#,
        r#"name = { unmapped = "no name" }"#
    )));
}

#[test]
fn toml_syntax_error() {
    insta::assert_snapshot!(report(&edited(
        r#"object = "Contact""#,
        r#"object = "Contact"#
    )));
}

#[test]
fn unknown_version() {
    insta::assert_snapshot!(report(&edited("\nversion = 1", "\nversion = 2")));
}

#[test]
fn spec_file_errors_name_the_file() {
    // The spec is read with the describes (the read stage); one that is not
    // text fails there, naming the file.
    let dir = tempfile::tempdir().expect("temp dir");
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    std::fs::copy(
        schemas.join("Account.json"),
        dir.path().join("Account.json"),
    )
    .expect("copies a describe");
    let spec = dir.path().join("unified.toml");
    std::fs::write(&spec, [0xff, 0xfe, 0x00]).expect("writes");
    let err = sfgen::read::read_schemas(dir.path()).expect_err("not UTF-8");
    assert_eq!(err.to_string(), format!("cannot read `{}`", spec.display()));
    assert!(
        std::error::Error::source(&err).is_some(),
        "the OS error is the source"
    );
}
