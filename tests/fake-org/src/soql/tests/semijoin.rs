//! Semi-joins (`Id IN (SELECT ...)`) and anti-joins (`NOT IN (SELECT ...)`).

use serde_json::json;

use super::{column, error, TestOrg};
use crate::soql::MALFORMED_QUERY;

fn org() -> TestOrg {
    let mut org = TestOrg::default();
    let a1 = org.insert("Account", json!({"Name": "A1"}));
    let a2 = org.insert("Account", json!({"Name": "A2"}));
    org.insert("Account", json!({"Name": "A3"}));
    let smith = org.insert("Contact", json!({"LastName": "Smith", "AccountId": a1}));
    org.insert("Contact", json!({"LastName": "Jones", "AccountId": a2}));
    org.insert("Contact", json!({"LastName": "Loner", "AccountId": null}));
    // A 15-character reference still joins.
    org.insert(
        "Case",
        json!({"CaseNumber": "0001", "ContactId": &smith[..15]}),
    );
    org
}

#[test]
fn semi_join_keeps_records_whose_id_the_subquery_selects() {
    let org = org();
    assert_eq!(
        column(
            &org,
            "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact) ORDER BY Name",
            "Name"
        ),
        vec!["A1", "A2"]
    );
    assert_eq!(
        column(
            &org,
            "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'smith')",
            "Name"
        ),
        vec!["A1"]
    );
    assert_eq!(
        column(
            &org,
            "SELECT LastName FROM Contact WHERE Id IN (SELECT ContactId FROM Case)",
            "LastName"
        ),
        vec!["Smith"]
    );
}

#[test]
fn anti_join_keeps_the_rest_nulls_included() {
    let org = org();
    assert_eq!(
        column(
            &org,
            "SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)",
            "Name"
        ),
        vec!["A3"]
    );
    assert_eq!(
        column(
            &org,
            "SELECT LastName FROM Contact WHERE AccountId NOT IN (SELECT Id FROM Account WHERE Name = 'A1') ORDER BY LastName",
            "LastName"
        ),
        vec!["Jones", "Loner"]
    );
}

#[test]
fn joins_on_reference_fields_combine_with_other_conditions() {
    let org = org();
    assert_eq!(
        column(
            &org,
            "SELECT LastName FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Name != 'A3') AND LastName != 'Smith'",
            "LastName"
        ),
        vec!["Jones"]
    );
    assert_eq!(
        column(
            &org,
            "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact) AND Id NOT IN (SELECT AccountId FROM Contact WHERE LastName = 'Jones')",
            "Name"
        ),
        vec!["A1"]
    );
}

#[test]
fn semi_join_errors() {
    let org = org();
    let cases = [
        (
            "SELECT Id FROM Account WHERE Name = 'A1' OR Id IN (SELECT AccountId FROM Contact)",
            "Semi join sub-selects are not allowed with the 'OR' operator",
        ),
        (
            "SELECT Id FROM Account WHERE Name IN (SELECT LastName FROM Contact)",
            "Semi join sub-selects are only supported on Id or reference fields: Name",
        ),
        (
            "SELECT Id FROM Account WHERE Id IN (SELECT AccountId, Id FROM Contact)",
            "A semi join sub-select must select exactly one Id or reference field",
        ),
        (
            "SELECT Id FROM Account WHERE Id IN (SELECT LastName FROM Contact)",
            "A semi join sub-select must select an Id or reference field, not LastName",
        ),
        (
            "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact ORDER BY LastName)",
            "ORDER BY in a semi-join subquery is outside the SOQL subset this fake org supports",
        ),
        (
            "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Id IN (SELECT ContactId FROM Case))",
            "a semi-join inside a semi-join subquery is outside the SOQL subset this fake org supports",
        ),
    ];
    for (soql, end) in cases {
        let e = error(&org, soql);
        assert_eq!(e.error_code, MALFORMED_QUERY, "{soql}: {}", e.message);
        assert!(e.message.ends_with(end), "{soql}: {}", e.message);
    }
    let e = error(
        &org,
        "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contactz)",
    );
    assert_eq!(e.error_code, crate::soql::INVALID_TYPE, "{}", e.message);
}
