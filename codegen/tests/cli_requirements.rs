//! `sfgen requirements` on the committed snapshot.

pub mod support;

use serde_json::Value;
use sfgen::read::read_schemas;
use sfgen::requirements::{render_text, requirements, ObjectRequirements};
use support::{sfgen, snapshot_dir};

fn of(object: &str) -> ObjectRequirements {
    let schemas = read_schemas(&snapshot_dir()).expect("the snapshot reads");
    let mut reqs = requirements(&schemas, Some(&[object.to_owned()])).expect("known object");
    assert_eq!(reqs.len(), 1);
    reqs.remove(0)
}

fn required(object: &str) -> Vec<String> {
    of(object).required.into_iter().map(|f| f.field).collect()
}

#[test]
fn required_fields_match_the_model() {
    assert_eq!(required("Contact"), ["LastName"]);
    assert_eq!(required("Lead"), ["Company", "LastName"]);
    assert_eq!(required("Opportunity"), ["CloseDate", "Name", "StageName"]);
    assert_eq!(required("Account"), ["Name"]);
    assert_eq!(
        required("OpportunityContactRole"),
        ["ContactId", "OpportunityId"]
    );
    assert!(required("Task").is_empty() && required("Case").is_empty());
}

#[test]
fn restricted_picklists_and_reference_targets_are_listed() {
    let contact = of("Contact");
    assert_eq!(contact.create_type.as_deref(), Some("NewContact"));
    assert!(contact.createable);
    let stage = of("OpportunityStage");
    assert!(!stage.createable && stage.create_type.is_none() && stage.required.is_empty());
    assert!(render_text(&[stage]).starts_with(
        "OpportunityStage: cannot be created (the describe says it is not createable)\n"
    ));
    assert_eq!(contact.required_type.as_deref(), Some("ContactRequired"));
    assert_eq!(contact.required[0].rust_name, "last_name");
    let clean = contact
        .restricted_picklists
        .iter()
        .find(|p| p.field == "CleanStatus")
        .expect("restricted");
    assert!(clean.values.contains(&"Matched".to_owned()));
    let account = contact
        .references
        .iter()
        .find(|r| r.field == "AccountId")
        .expect("a reference");
    assert_eq!(account.targets, ["Account"]);
    assert!(!account.required);
    let ocr = of("OpportunityContactRole");
    let opp = ocr
        .references
        .iter()
        .find(|r| r.field == "OpportunityId")
        .expect("a reference");
    assert!(opp.required);
    assert!(render_text(&[ocr]).contains("OpportunityId (required) -> Opportunity"));
}

#[test]
fn unknown_objects_are_named_and_json_is_printed() {
    let schemas = read_schemas(&snapshot_dir()).expect("reads");
    let err = requirements(&schemas, Some(&["Acount".to_owned()])).expect_err("unknown");
    assert!(err.to_string().contains("`Acount`"), "{err}");
    let out = sfgen()
        .args(["requirements", "--objects", "Lead", "--json", "--schemas"])
        .arg(snapshot_dir())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json[0]["object"], "Lead");
    assert_eq!(json[0]["required"][0]["field"], "Company");
    assert_eq!(json[0]["required"][0]["type"], "string(255)");
}
