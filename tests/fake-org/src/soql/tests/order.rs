//! ORDER BY, LIMIT, OFFSET and COUNT().

use super::{accounts, column, run};
use crate::soql::Matched;

const BACK: &str = "Back\\slash \"quoted\"\nline";

fn names(soql: &str) -> Vec<String> {
    column(&accounts(), soql, "Name")
}

#[test]
fn strings_sort_case_insensitively() {
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY Name"),
        vec![
            "Acme",
            BACK,
            "bravo",
            "Charlie's",
            "Delta 50% off",
            "Echo_1"
        ]
    );
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY Name DESC"),
        vec![
            "Echo_1",
            "Delta 50% off",
            "Charlie's",
            "bravo",
            BACK,
            "Acme"
        ]
    );
}

#[test]
fn nulls_first_for_asc_and_last_for_desc_by_default() {
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY AnnualRevenue"),
        vec![
            "Charlie's",
            "Echo_1",
            BACK,
            "bravo",
            "Acme",
            "Delta 50% off"
        ]
    );
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY AnnualRevenue ASC"),
        vec![
            "Charlie's",
            "Echo_1",
            BACK,
            "bravo",
            "Acme",
            "Delta 50% off"
        ]
    );
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY AnnualRevenue DESC"),
        vec![
            "Acme",
            "Delta 50% off",
            "bravo",
            BACK,
            "Echo_1",
            "Charlie's"
        ]
    );
}

#[test]
fn explicit_null_placement() {
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY AnnualRevenue ASC NULLS LAST"),
        vec![
            "Echo_1",
            BACK,
            "bravo",
            "Acme",
            "Delta 50% off",
            "Charlie's"
        ]
    );
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY AnnualRevenue DESC NULLS FIRST"),
        vec![
            "Charlie's",
            "Acme",
            "Delta 50% off",
            "bravo",
            BACK,
            "Echo_1"
        ]
    );
}

#[test]
fn multiple_keys() {
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY Industry, Name DESC"),
        vec![
            "Charlie's",
            "Echo_1",
            "bravo",
            BACK,
            "Delta 50% off",
            "Acme"
        ]
    );
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY IsActive__c DESC, Name"),
        vec![
            "Acme",
            "Delta 50% off",
            BACK,
            "bravo",
            "Charlie's",
            "Echo_1"
        ]
    );
}

#[test]
fn dates_and_datetimes_sort_chronologically() {
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY CreatedDate"),
        vec![
            BACK,
            "Delta 50% off",
            "Charlie's",
            "bravo",
            "Acme",
            "Echo_1"
        ]
    );
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY LastActivityDate DESC"),
        vec![
            BACK,
            "Echo_1",
            "Acme",
            "bravo",
            "Charlie's",
            "Delta 50% off"
        ]
    );
}

#[test]
fn limit_and_offset() {
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY Name LIMIT 2"),
        vec!["Acme", BACK]
    );
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY Name OFFSET 2"),
        vec!["bravo", "Charlie's", "Delta 50% off", "Echo_1"]
    );
    assert_eq!(
        names("SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1"),
        vec![BACK, "bravo"]
    );
    assert_eq!(
        names("SELECT Name FROM Account LIMIT 2 OFFSET 1"),
        vec!["bravo", "Charlie's"]
    );
    assert!(names("SELECT Name FROM Account OFFSET 10").is_empty());
    assert!(names("SELECT Name FROM Account LIMIT 0").is_empty());
    assert_eq!(
        names("SELECT Name FROM Account WHERE Industry = 'tech' LIMIT 1"),
        vec!["Acme"]
    );
}

#[test]
fn count() {
    let org = accounts();
    assert_eq!(run(&org, "SELECT COUNT() FROM Account"), Matched::Count(6));
    assert_eq!(
        run(&org, "select count() from account where Industry = 'Tech'"),
        Matched::Count(2)
    );
    assert_eq!(
        run(&org, "SELECT COUNT() FROM Account LIMIT 3"),
        Matched::Count(3)
    );
    assert_eq!(
        run(&org, "SELECT COUNT() FROM Account WHERE Name = 'nobody'"),
        Matched::Count(0)
    );
    assert_eq!(run(&org, "SELECT COUNT() FROM Contact"), Matched::Count(0));
}
