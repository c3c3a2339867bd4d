//! WHERE: operators, logic, literals and escapes.

use serde_json::json;

use super::{accounts, column, run, try_run, TestOrg};
use crate::soql::Matched;

fn names(org: &TestOrg, soql: &str) -> Vec<String> {
    column(org, soql, "Name")
}

fn all(where_clause: &str) -> Vec<String> {
    names(
        &accounts(),
        &format!("SELECT Name FROM Account WHERE {where_clause}"),
    )
}

#[test]
fn no_where_returns_every_record_in_storage_order() {
    assert_eq!(
        names(&accounts(), "SELECT Id FROM Account"),
        vec![
            "Acme",
            "bravo",
            "Charlie's",
            "Delta 50% off",
            "Echo_1",
            "Back\\slash \"quoted\"\nline"
        ]
    );
}

#[test]
fn string_equality_is_case_insensitive() {
    assert_eq!(all("Name = 'ACME'"), vec!["Acme"]);
    assert_eq!(all("Industry = 'TECH'"), vec!["Acme", "Delta 50% off"]);
    assert_eq!(all("name = 'acme'"), vec!["Acme"]);
}

#[test]
fn not_equal_includes_nulls() {
    assert_eq!(
        all("Industry != 'Tech'"),
        vec![
            "bravo",
            "Charlie's",
            "Echo_1",
            "Back\\slash \"quoted\"\nline"
        ]
    );
    assert_eq!(
        all("Industry <> 'Retail' AND Industry != 'Tech'"),
        vec!["Charlie's", "Echo_1"]
    );
}

#[test]
fn numeric_comparisons() {
    assert_eq!(all("AnnualRevenue = 1000.5"), vec!["Acme", "Delta 50% off"]);
    assert_eq!(all("AnnualRevenue > 50"), vec!["Acme", "Delta 50% off"]);
    assert_eq!(
        all("AnnualRevenue >= 50"),
        vec!["Acme", "bravo", "Delta 50% off"]
    );
    assert_eq!(all("AnnualRevenue < 0"), vec!["Echo_1"]);
    assert_eq!(
        all("AnnualRevenue <= 0"),
        vec!["Echo_1", "Back\\slash \"quoted\"\nline"]
    );
    assert_eq!(
        all("AnnualRevenue > -3.5 AND AnnualRevenue < -2"),
        vec!["Echo_1"]
    );
    assert_eq!(all("NumberOfEmployees = 200"), vec!["bravo"]);
}

#[test]
fn string_ordering_is_case_insensitive() {
    assert_eq!(all("Name < 'b'"), vec!["Acme"]);
    assert_eq!(
        all("Name < 'bb'"),
        vec!["Acme", "Back\\slash \"quoted\"\nline"]
    );
    assert_eq!(all("Name >= 'D'"), vec!["Delta 50% off", "Echo_1"]);
}

#[test]
fn null_comparisons() {
    assert_eq!(all("Industry = null"), vec!["Charlie's"]);
    assert_eq!(all("AnnualRevenue = NULL"), vec!["Charlie's"]);
    assert_eq!(all("LastActivityDate = null"), vec!["Delta 50% off"]);
    assert_eq!(all("CreatedDate != null").len(), 5);
    assert_eq!(all("NumberOfEmployees = null"), vec!["Echo_1"]);
    // A null never satisfies an ordering comparison.
    assert!(!all("AnnualRevenue < 100000").contains(&"Charlie's".to_owned()));
}

#[test]
fn boolean_null_means_false() {
    assert_eq!(all("IsActive__c = true"), vec!["Acme", "Delta 50% off"]);
    let falses = vec![
        "bravo",
        "Charlie's",
        "Echo_1",
        "Back\\slash \"quoted\"\nline",
    ];
    assert_eq!(all("IsActive__c = false"), falses);
    assert_eq!(all("IsActive__c = null"), falses);
    assert_eq!(all("IsActive__c != null"), vec!["Acme", "Delta 50% off"]);
    assert_eq!(all("IsActive__c = TRUE"), vec!["Acme", "Delta 50% off"]);
}

#[test]
fn and_or_not_and_parentheses() {
    assert_eq!(
        all("Industry = 'Tech' AND NumberOfEmployees = 10"),
        vec!["Acme", "Delta 50% off"]
    );
    assert_eq!(
        all("Name = 'Acme' OR Name = 'bravo' OR Name = 'nobody'"),
        vec!["Acme", "bravo"]
    );
    assert_eq!(
        all("(Industry = 'Tech' AND AnnualRevenue > 1000) OR Name = 'bravo'"),
        vec!["Acme", "bravo", "Delta 50% off"]
    );
    assert_eq!(
        all("Industry = 'Tech' AND (AnnualRevenue > 1000 OR Name = 'bravo')"),
        vec!["Acme", "Delta 50% off"]
    );
    assert_eq!(
        all("NOT Industry = 'Tech'"),
        vec![
            "bravo",
            "Charlie's",
            "Echo_1",
            "Back\\slash \"quoted\"\nline"
        ]
    );
    assert_eq!(
        all("NOT (Industry = 'Tech' OR Industry = 'Retail' OR Industry = null)"),
        vec!["Echo_1"]
    );
    assert_eq!(
        all("NumberOfEmployees = 10 AND (NOT Name LIKE 'A%')"),
        vec!["Delta 50% off"]
    );
    assert_eq!(all("((Name = 'Acme'))"), vec!["Acme"]);
}

#[test]
fn like_with_wildcards_and_escapes() {
    assert_eq!(all("Name LIKE 'a%'"), vec!["Acme"]);
    assert_eq!(all("Name LIKE '%O'"), vec!["bravo"]);
    assert_eq!(all("Name LIKE '%50\\%%'"), vec!["Delta 50% off"]);
    assert_eq!(all("Name LIKE '%5_\\% off'"), vec!["Delta 50% off"]);
    assert_eq!(all("Name LIKE 'echo\\_1'"), vec!["Echo_1"]);
    assert_eq!(all("Name LIKE 'echo\\_'"), Vec::<String>::new());
    assert_eq!(all("Name LIKE '_cme'"), vec!["Acme"]);
    assert_eq!(all("Name LIKE '%'").len(), 6);
    assert_eq!(all("Industry LIKE '%'").len(), 5, "null never matches LIKE");
}

#[test]
fn escaped_quote_and_backslash_literals() {
    assert_eq!(all("Name = 'Charlie\\'s'"), vec!["Charlie's"]);
    assert_eq!(
        all("Name = 'back\\\\slash \\\"quoted\\\"\\nline'"),
        vec!["Back\\slash \"quoted\"\nline"]
    );
    assert_eq!(
        all("Name LIKE '%\\\\%'"),
        vec!["Back\\slash \"quoted\"\nline"]
    );
    assert_eq!(
        all(&format!(
            "Name = {}",
            crate::soql::quote("Back\\slash \"quoted\"\nline")
        )),
        vec!["Back\\slash \"quoted\"\nline"]
    );
}

#[test]
fn in_and_not_in() {
    assert_eq!(
        all("Industry IN ('tech', 'Energy')"),
        vec!["Acme", "Delta 50% off", "Echo_1"]
    );
    assert_eq!(
        all("Industry NOT IN ('Tech', 'Energy')"),
        vec!["bravo", "Charlie's", "Back\\slash \"quoted\"\nline"]
    );
    assert_eq!(
        all("Industry NOT IN ('Tech', 'Energy', null)"),
        vec!["bravo", "Back\\slash \"quoted\"\nline"]
    );
    assert_eq!(all("Industry IN (null)"), vec!["Charlie's"]);
    assert_eq!(
        all("NumberOfEmployees IN (5, 200)"),
        vec!["bravo", "Charlie's"]
    );
    assert_eq!(
        all("LastActivityDate IN (2024-03-15, 2024-03-16)"),
        vec!["Acme", "Echo_1"]
    );
}

#[test]
fn date_literals() {
    assert_eq!(all("LastActivityDate = 2024-03-15"), vec!["Acme"]);
    assert_eq!(all("LastActivityDate < 2024-03-01"), vec!["Charlie's"]);
    assert_eq!(
        all("LastActivityDate >= 2024-03-15"),
        vec!["Acme", "Echo_1", "Back\\slash \"quoted\"\nline"]
    );
}

#[test]
fn datetime_literals_in_every_form() {
    assert_eq!(all("CreatedDate = 2024-03-15T09:00:00Z"), vec!["Acme"]);
    assert_eq!(all("CreatedDate = 2024-03-15T10:00:00+01:00"), vec!["Acme"]);
    assert_eq!(all("CreatedDate = 2024-03-15T04:00:00-05:00"), vec!["Acme"]);
    assert_eq!(
        all("CreatedDate = 2024-03-15T09:00:00.000+0000"),
        vec!["Acme"]
    );
    assert_eq!(
        all("CreatedDate < 2024-01-01T00:00:00Z"),
        vec!["Delta 50% off"]
    );
    assert_eq!(
        all("CreatedDate > 2024-03-15T00:00:00Z"),
        vec!["Acme", "Echo_1"]
    );
}

#[test]
fn relative_date_literals_on_dates() {
    // today() is 2024-03-15.
    assert_eq!(all("LastActivityDate = TODAY"), vec!["Acme"]);
    assert_eq!(all("LastActivityDate = TOMORROW"), vec!["Echo_1"]);
    assert_eq!(all("LastActivityDate = YESTERDAY"), Vec::<String>::new());
    assert_eq!(
        all("LastActivityDate > TODAY"),
        vec!["Echo_1", "Back\\slash \"quoted\"\nline"]
    );
    assert_eq!(all("LastActivityDate < TODAY"), vec!["bravo", "Charlie's"]);
    assert_eq!(
        all("LastActivityDate = LAST_N_DAYS:5"),
        vec!["Acme", "bravo"]
    );
    assert_eq!(all("LastActivityDate = NEXT_N_DAYS:1"), vec!["Echo_1"]);
    assert_eq!(
        all("LastActivityDate = THIS_MONTH"),
        vec!["Acme", "bravo", "Echo_1"]
    );
    assert_eq!(all("LastActivityDate = LAST_MONTH"), vec!["Charlie's"]);
    assert_eq!(
        all("LastActivityDate = NEXT_MONTH"),
        vec!["Back\\slash \"quoted\"\nline"]
    );
    assert_eq!(all("LastActivityDate = N_DAYS_AGO:5"), vec!["bravo"]);
}

#[test]
fn relative_date_literals_on_datetimes() {
    assert_eq!(all("CreatedDate = TODAY"), vec!["Acme"]);
    assert_eq!(all("CreatedDate = YESTERDAY"), vec!["bravo"]);
    assert_eq!(all("CreatedDate >= TOMORROW"), vec!["Echo_1"]);
    assert_eq!(all("CreatedDate = LAST_N_DAYS:1"), vec!["Acme", "bravo"]);
    assert_eq!(all("CreatedDate = LAST_YEAR"), vec!["Delta 50% off"]);
    assert_eq!(
        all("CreatedDate <= YESTERDAY"),
        vec!["bravo", "Charlie's", "Delta 50% off"]
    );
}

#[test]
fn ids_match_by_15_or_18_characters() {
    let mut org = TestOrg::default();
    let a = org.insert("Account", json!({"Name": "A"}));
    org.insert("Account", json!({"Name": "B"}));
    let by18 = names(&org, &format!("SELECT Name FROM Account WHERE Id = '{a}'"));
    let by15 = names(
        &org,
        &format!("SELECT Name FROM Account WHERE Id = '{}'", &a[..15]),
    );
    assert_eq!(by18, vec!["A"]);
    assert_eq!(by15, vec!["A"]);
    let other = names(&org, &format!("SELECT Name FROM Account WHERE Id != '{a}'"));
    assert_eq!(other, vec!["B"]);
    let lower = a[..15].to_lowercase();
    assert_eq!(
        names(
            &org,
            &format!("SELECT Name FROM Account WHERE Id IN ('{lower}')")
        ),
        Vec::<String>::new(),
        "ids are case-sensitive"
    );
}

#[test]
fn query_all_sees_deleted_records() {
    let mut org = TestOrg::default();
    org.insert("Account", json!({"Name": "live"}));
    org.insert_deleted("Account", json!({"Name": "gone"}));
    let live = try_run(&org, "SELECT COUNT() FROM Account", false).expect("runs");
    let everything = try_run(&org, "SELECT COUNT() FROM Account", true).expect("runs");
    assert_eq!(live, Matched::Count(1));
    assert_eq!(everything, Matched::Count(2));
    assert!(matches!(run(&org, "SELECT Id FROM Account"), Matched::Records(r) if r.len() == 1));
}
