//! `sfgen diff` between snapshots: every kind of change, its severity, the
//! text and JSON reports, and the exit status CI gates on.

pub mod support;

use serde_json::{json, Value};
use sfgen::diff::{compare, render_json, render_text, ChangeKind, DiffReport, Severity};
use sfgen::read::read_schemas;
use support::{copy_snapshot, edit, field_mut, picklist_value, sfgen, snapshot_dir, text_field};

fn diff_after(change: impl FnOnce(&std::path::Path)) -> DiffReport {
    let new = copy_snapshot();
    change(new.path());
    let old = read_schemas(&snapshot_dir()).expect("the snapshot reads");
    let new = read_schemas(new.path()).expect("the edited copy reads");
    compare(&old, &new)
}

/// The one change of a report, as (object, field, kind, severity).
fn only(report: &DiffReport) -> (&str, Option<&str>, ChangeKind, Severity) {
    assert_eq!(report.changes.len(), 1, "{}", render_text(report));
    let c = &report.changes[0];
    (c.object.as_str(), c.field.as_deref(), c.change, c.severity)
}

#[test]
fn the_same_snapshot_has_no_changes() {
    let report = diff_after(|_| {});
    assert!(report.changes.is_empty());
    assert_eq!(report.exit_code(), 0);
    assert_eq!(render_text(&report), "no changes\n");
}

#[test]
fn a_new_required_field_is_breaking_and_a_new_optional_one_additive() {
    let report = diff_after(|dir| {
        edit(dir, "Contact", |d| {
            d["fields"]
                .as_array_mut()
                .expect("fields")
                .push(text_field("Badge__c", true))
        })
    });
    assert_eq!(
        only(&report),
        (
            "Contact",
            Some("Badge__c"),
            ChangeKind::FieldAdded,
            Severity::Breaking
        )
    );
    assert_eq!(report.exit_code(), 2);
    assert!(report.changes[0].message.contains("REQUIRED_FIELD_MISSING"));

    let report = diff_after(|dir| {
        edit(dir, "Contact", |d| {
            d["fields"]
                .as_array_mut()
                .expect("fields")
                .push(text_field("Nick__c", false))
        })
    });
    assert_eq!(
        only(&report),
        (
            "Contact",
            Some("Nick__c"),
            ChangeKind::FieldAdded,
            Severity::Additive
        )
    );
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn picklist_values_added_are_additive_and_removed_breaking() {
    let report = diff_after(|dir| {
        edit(dir, "Account", |d| {
            field_mut(d, "Industry")["picklistValues"]
                .as_array_mut()
                .expect("values")
                .push(picklist_value("Space"))
        })
    });
    assert_eq!(
        only(&report),
        (
            "Account",
            Some("Industry"),
            ChangeKind::PicklistValueAdded,
            Severity::Additive
        )
    );
    assert_eq!(report.changes[0].after.as_deref(), Some("Space"));

    let report = diff_after(|dir| {
        edit(dir, "Account", |d| {
            field_mut(d, "Industry")["picklistValues"]
                .as_array_mut()
                .expect("values")
                .retain(|v| v["value"] != "Banking")
        })
    });
    assert_eq!(
        only(&report),
        (
            "Account",
            Some("Industry"),
            ChangeKind::PicklistValueRemoved,
            Severity::Breaking
        )
    );
    assert_eq!(report.changes[0].before.as_deref(), Some("Banking"));
}

#[test]
fn each_field_property_change_has_its_severity() {
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, &str, Edit, ChangeKind, Severity)> = vec![
        (
            "Lead",
            "Fax",
            |d| {
                d["fields"]
                    .as_array_mut()
                    .expect("f")
                    .retain(|f| f["name"] != "Fax")
            },
            ChangeKind::FieldRemoved,
            Severity::Breaking,
        ),
        (
            "Account",
            "Name",
            |d| field_mut(d, "Name")["length"] = json!(80),
            ChangeKind::LengthChanged,
            Severity::Breaking,
        ),
        (
            "Account",
            "Name",
            |d| field_mut(d, "Name")["length"] = json!(300),
            ChangeKind::LengthChanged,
            Severity::Additive,
        ),
        (
            "Contact",
            "Email",
            |d| field_mut(d, "Email")["updateable"] = json!(false),
            ChangeKind::UpdateableChanged,
            Severity::Breaking,
        ),
        (
            "Contact",
            "Email",
            |d| field_mut(d, "Email")["type"] = json!("string"),
            ChangeKind::TypeChanged,
            Severity::Additive,
        ),
        (
            "Opportunity",
            "Amount",
            |d| field_mut(d, "Amount")["type"] = json!("double"),
            ChangeKind::TypeChanged,
            Severity::Breaking,
        ),
        (
            "Opportunity",
            "Amount",
            |d| field_mut(d, "Amount")["precision"] = json!(10),
            ChangeKind::PrecisionChanged,
            Severity::Breaking,
        ),
        (
            "Opportunity",
            "Amount",
            |d| field_mut(d, "Amount")["scale"] = json!(3),
            ChangeKind::ScaleChanged,
            Severity::Additive,
        ),
        (
            "Account",
            "Industry",
            |d| field_mut(d, "Industry")["restrictedPicklist"] = json!(true),
            ChangeKind::PicklistRestrictedChanged,
            Severity::Breaking,
        ),
        (
            "Case",
            "ParentId",
            |d| field_mut(d, "ParentId")["referenceTo"] = json!(["Case", "Account"]),
            ChangeKind::ReferenceTargetsChanged,
            Severity::Breaking,
        ),
        (
            "Case",
            "OwnerId",
            |d| field_mut(d, "OwnerId")["referenceTo"] = json!(["Group", "User", "Queue"]),
            ChangeKind::ReferenceTargetsChanged,
            Severity::Additive,
        ),
        (
            "Account",
            "Site",
            |d| field_mut(d, "Site")["createable"] = json!(false),
            ChangeKind::CreateableChanged,
            Severity::Breaking,
        ),
    ];
    for (object, field, change, kind, severity) in cases {
        let report = diff_after(|dir| edit(dir, object, change));
        assert_eq!(
            only(&report),
            (object, Some(field), kind, severity),
            "{object}.{field} {kind:?}"
        );
    }
}

#[test]
fn becoming_required_reports_required_and_nillable() {
    let report = diff_after(|dir| {
        edit(dir, "Contact", |d| {
            field_mut(d, "Title")["nillable"] = json!(false)
        })
    });
    let kinds: Vec<(ChangeKind, Severity)> = report
        .changes
        .iter()
        .map(|c| (c.change, c.severity))
        .collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::RequiredChanged, Severity::Breaking),
            (ChangeKind::NillableChanged, Severity::Breaking)
        ]
    );
}

#[test]
fn an_object_that_can_no_longer_be_created_is_breaking_and_one_now_updateable_additive() {
    let report = diff_after(|dir| edit(dir, "Campaign", |d| d["createable"] = json!(false)));
    assert_eq!(
        only(&report),
        (
            "Campaign",
            None,
            ChangeKind::CreateableChanged,
            Severity::Breaking
        )
    );
    assert!(report.changes[0].message.contains("no create form"));
    let report = diff_after(|dir| edit(dir, "OpportunityStage", |d| d["updateable"] = json!(true)));
    assert_eq!(
        only(&report),
        (
            "OpportunityStage",
            None,
            ChangeKind::UpdateableChanged,
            Severity::Additive
        )
    );
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn objects_added_and_removed() {
    let old = read_schemas(&snapshot_dir()).expect("reads");
    let mut fewer = old.clone();
    fewer.objects.retain(|o| o.describe.name != "Note");
    let removed = compare(&old, &fewer);
    assert_eq!(
        only(&removed),
        ("Note", None, ChangeKind::ObjectRemoved, Severity::Breaking)
    );
    let added = compare(&fewer, &old);
    assert_eq!(
        only(&added),
        ("Note", None, ChangeKind::ObjectAdded, Severity::Additive)
    );
}

#[test]
fn reports_render_as_text_and_json() {
    let report = diff_after(|dir| {
        edit(dir, "Contact", |d| {
            d["fields"]
                .as_array_mut()
                .expect("fields")
                .push(text_field("Badge__c", true))
        });
        edit(dir, "Account", |d| {
            field_mut(d, "Industry")["picklistValues"]
                .as_array_mut()
                .expect("values")
                .push(picklist_value("Space"))
        });
    });
    let text = render_text(&report);
    assert!(
        text.starts_with("Account\n  additive  Industry: picklist value added: Space\n"),
        "{text}"
    );
    assert!(
        text.contains("Contact\n  breaking  Badge__c: field added: string(80)\n"),
        "{text}"
    );
    assert!(
        text.ends_with("2 changes: 1 breaking, 1 additive\n"),
        "{text}"
    );
    let json: Value = serde_json::from_str(&render_json(&report)).expect("JSON");
    assert_eq!(json["exitCode"], 2);
    assert_eq!(json["breaking"], 1);
    assert_eq!(json["changes"][0]["change"], "picklistValueAdded");
    assert_eq!(json["changes"][0]["severity"], "additive");
    assert_eq!(json["changes"][1]["field"], "Badge__c");
}

#[test]
fn the_binary_exits_0_1_2_and_3() {
    let run = |against: &std::path::Path, json: bool| {
        let mut cmd = sfgen();
        cmd.arg("diff")
            .arg("--schemas")
            .arg(snapshot_dir())
            .arg("--against")
            .arg(against);
        if json {
            cmd.arg("--json");
        }
        cmd.output().expect("sfgen runs")
    };
    let same = copy_snapshot();
    assert_eq!(run(same.path(), false).status.code(), Some(0));
    edit(same.path(), "Account", |d| {
        field_mut(d, "Industry")["picklistValues"]
            .as_array_mut()
            .expect("values")
            .push(picklist_value("Space"))
    });
    let out = run(same.path(), true);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["additive"], 1);
    edit(same.path(), "Lead", |d| {
        d["fields"]
            .as_array_mut()
            .expect("f")
            .retain(|f| f["name"] != "Fax")
    });
    assert_eq!(run(same.path(), false).status.code(), Some(2));
    let missing = run(&same.path().join("nowhere"), false);
    assert_eq!(
        missing.status.code(),
        Some(3),
        "an error must not read as a diff result"
    );
}
