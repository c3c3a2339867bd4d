//! `TYPEOF` on polymorphic relationships: the fields of the `WHEN` matching
//! the referenced record's type, the `ELSE` fields otherwise, `null` without
//! a reference.

use serde_json::{json, Value as Json};

use super::{error, rows, TestOrg};
use crate::soql::{INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY};

struct Org {
    org: TestOrg,
    olive: String,
    account: String,
    case: String,
    contact: String,
    lead: String,
    tasks: [String; 3],
}

fn org() -> Org {
    let mut org = TestOrg::default();
    let olive = org.insert("User", json!({"Name": "Olive Owner"}));
    let account = org.insert("Account", json!({"Name": "Acme", "OwnerId": olive}));
    let case = org.insert("Case", json!({"CaseNumber": "00001000"}));
    let contact = org.insert("Contact", json!({"Name": "Ann Able", "LastName": "Able"}));
    let lead = org.insert(
        "Lead",
        json!({"Name": "Lee Lead", "Email": "lee@example.com"}),
    );
    let tasks = [
        org.insert(
            "Task",
            json!({"Subject": "A call", "WhatId": account, "WhoId": contact}),
        ),
        org.insert(
            "Task",
            json!({"Subject": "B email", "WhatId": case, "WhoId": lead}),
        ),
        org.insert("Task", json!({"Subject": "C think"})),
    ];
    Org {
        org,
        olive,
        account,
        case,
        contact,
        lead,
        tasks,
    }
}

fn attributes(object: &str, id: &str) -> Json {
    json!({"type": object, "url": format!("/services/data/v59.0/sobjects/{object}/{id}")})
}

fn text(rows: &[Json]) -> Vec<String> {
    rows.iter()
        .map(|r| serde_json::to_string(r).expect("serializable"))
        .collect()
}

#[test]
fn when_fields_follow_the_referenced_type() {
    let o = org();
    let actual = rows(
        &o.org,
        "SELECT Subject, TYPEOF What WHEN Account THEN Name, Owner.Name WHEN Case THEN CaseNumber END, Id FROM Task ORDER BY Subject",
    );
    let expected = [
        json!({
            "attributes": attributes("Task", &o.tasks[0]),
            "Subject": "A call",
            "What": {
                "attributes": attributes("Account", &o.account),
                "Name": "Acme",
                "Owner": {"attributes": attributes("User", &o.olive), "Name": "Olive Owner"}
            },
            "Id": o.tasks[0]
        }),
        json!({
            "attributes": attributes("Task", &o.tasks[1]),
            "Subject": "B email",
            "What": {"attributes": attributes("Case", &o.case), "CaseNumber": "00001000"},
            "Id": o.tasks[1]
        }),
        json!({
            "attributes": attributes("Task", &o.tasks[2]),
            "Subject": "C think",
            "What": null,
            "Id": o.tasks[2]
        }),
    ];
    assert_eq!(text(&actual), text(&expected));
}

#[test]
fn else_reads_name_fields_of_any_other_type_and_no_else_gives_attributes_only() {
    let o = org();
    let actual = rows(
        &o.org,
        "select typeof WHO when lead then Email else Name, Type end from Task order by Subject",
    );
    assert_eq!(
        text(&[actual[0]["Who"].clone(), actual[1]["Who"].clone()]),
        text(&[
            json!({"attributes": attributes("Contact", &o.contact), "Name": "Ann Able", "Type": "Contact"}),
            json!({"attributes": attributes("Lead", &o.lead), "Email": "lee@example.com"}),
        ])
    );
    let actual = rows(
        &o.org,
        "SELECT TYPEOF What WHEN Case THEN CaseNumber END FROM Task ORDER BY Subject",
    );
    assert_eq!(
        text(&[actual[0]["What"].clone()]),
        text(&[json!({"attributes": attributes("Account", &o.account)})])
    );
}

#[test]
fn typeof_errors() {
    let o = org();
    let cases = [
        (
            "SELECT TYPEOF Account WHEN Account THEN Name END FROM Contact",
            MALFORMED_QUERY,
            "TYPEOF can only be used on a polymorphic relationship; 'Account' is not one",
        ),
        (
            "SELECT TYPEOF What WHEN User THEN Name END FROM Task",
            MALFORMED_QUERY,
            "'User' is not a type the polymorphic relationship 'What' references",
        ),
        (
            "SELECT TYPEOF What WHEN Bogus THEN Name END FROM Task",
            INVALID_TYPE,
            "sObject type 'Bogus' is not supported.",
        ),
        (
            "SELECT TYPEOF What WHEN Case THEN Bogus END FROM Task",
            INVALID_FIELD,
            "No such column 'Bogus' on entity 'Case'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
        (
            "SELECT TYPEOF What WHEN Case THEN CaseNumber ELSE CaseNumber END FROM Task",
            INVALID_FIELD,
            "No such column 'CaseNumber' on entity 'Name'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
        (
            "SELECT TYPEOF Whatever WHEN Case THEN CaseNumber END FROM Task",
            INVALID_FIELD,
            "Didn't understand relationship 'Whatever' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
        (
            "SELECT What.Name, TYPEOF What WHEN Case THEN CaseNumber END FROM Task",
            INVALID_FIELD,
            "duplicate field selected: What.Name",
        ),
        (
            "SELECT TYPEOF What WHEN Case THEN CaseNumber FROM Task",
            MALFORMED_QUERY,
            "unexpected token: FROM",
        ),
        (
            "SELECT TYPEOF What ELSE Name END FROM Task",
            MALFORMED_QUERY,
            "unexpected token: ELSE",
        ),
    ];
    for (soql, code, end) in cases {
        let e = error(&o.org, soql);
        assert_eq!(e.error_code, code, "{soql}: {}", e.message);
        assert!(e.message.ends_with(end), "{soql}: {}", e.message);
    }
}
