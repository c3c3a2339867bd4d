//! Every error class, with Salesforce's codes and message shapes.

use super::{accounts, error};
use crate::soql::{
    INVALID_FIELD, INVALID_QUERY_FILTER_OPERATOR, INVALID_TYPE, MALFORMED_QUERY,
    NUMBER_OUTSIDE_VALID_RANGE,
};

fn assert_error(soql: &str, code: &str, message_end: &str) {
    let e = error(&accounts(), soql);
    assert_eq!(e.error_code, code, "{soql}: {}", e.message);
    assert!(e.message.ends_with(message_end), "{soql}: {}", e.message);
}

#[test]
fn unknown_object_is_invalid_type_with_position() {
    let e = error(&accounts(), "SELECT Id FROM Foo");
    assert_eq!(e.error_code, INVALID_TYPE);
    assert_eq!(
        e.message,
        "\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
    );
}

#[test]
fn unknown_field_is_invalid_field_in_every_clause() {
    let message = "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
    for soql in [
        "SELECT Foo FROM Account",
        "SELECT Id FROM Account WHERE Foo = 1",
        "SELECT Id FROM Account ORDER BY Foo",
        "SELECT Id FROM Account WHERE Name IN ('a') AND Foo LIKE 'x'",
        "SELECT COUNT() FROM Account WHERE Foo = null",
    ] {
        assert_error(soql, INVALID_FIELD, message);
    }
    let e = error(&accounts(), "SELECT Id, Foo FROM Account");
    assert!(
        e.message.contains("ERROR at Row:1:Column:12\n"),
        "{}",
        e.message
    );
}

#[test]
fn unknown_field_behind_a_relationship_names_the_parent_entity() {
    assert_error(
        "SELECT Owner.Foo FROM Account",
        INVALID_FIELD,
        "No such column 'Foo' on entity 'User'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
}

#[test]
fn unknown_relationship_is_invalid_field() {
    let message = "Didn't understand relationship 'Boss' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";
    assert_error("SELECT Boss.Name FROM Account", INVALID_FIELD, message);
    assert_error(
        "SELECT Owner.Boss.Name FROM Account",
        INVALID_FIELD,
        message,
    );
    // A lookup field's name is not its relationship's name.
    assert_error(
        "SELECT OwnerId.Name FROM Account",
        INVALID_FIELD,
        "Didn't understand relationship 'OwnerId' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
    );
}

#[test]
fn polymorphic_relationships_reach_only_name_fields() {
    assert_error(
        "SELECT What.Industry FROM Task",
        INVALID_FIELD,
        "No such column 'Industry' on entity 'Name'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    assert_error(
        "SELECT What.Owner.Name FROM Task",
        INVALID_FIELD,
        "Didn't understand relationship 'Owner' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
    );
}

#[test]
fn paths_deeper_than_five_parents_are_malformed() {
    let five = "SELECT Owner.Manager.Manager.Manager.Manager.Name FROM Account";
    assert!(super::try_run(&accounts(), five, false).is_ok());
    assert_error(
        "SELECT Owner.Manager.Manager.Manager.Manager.Manager.Name FROM Account",
        MALFORMED_QUERY,
        "A field path can traverse at most 5 parent relationships",
    );
}

#[test]
fn duplicate_field_is_invalid_field() {
    assert_error(
        "SELECT Id, Name, name FROM Account",
        INVALID_FIELD,
        "duplicate field selected: name",
    );
    assert_error(
        "SELECT Owner.Name, owner.NAME FROM Account",
        INVALID_FIELD,
        "duplicate field selected: owner.NAME",
    );
}

#[test]
fn quoted_date_is_invalid_field() {
    assert_error(
        "SELECT Id FROM Account WHERE LastActivityDate = '2024-03-15'",
        INVALID_FIELD,
        "value of filter criterion for field 'LastActivityDate' must be of type date and should not be enclosed in quotes",
    );
    assert_error(
        "SELECT Id FROM Account WHERE CreatedDate > '2024-03-15T00:00:00Z'",
        INVALID_FIELD,
        "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
    );
}

#[test]
fn date_and_datetime_literals_do_not_mix() {
    assert_error(
        "SELECT Id FROM Account WHERE LastActivityDate > 2024-03-15T00:00:00Z",
        INVALID_FIELD,
        "value of filter criterion for field 'LastActivityDate' must be of type date and should not be enclosed in quotes",
    );
    assert_error(
        "SELECT Id FROM Account WHERE CreatedDate > 2024-03-15",
        INVALID_FIELD,
        "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
    );
}

#[test]
fn other_type_mismatches() {
    let cases = [
        (
            "AnnualRevenue = '5'",
            "'AnnualRevenue' must be of type double and should not be enclosed in quotes",
        ),
        (
            "IsActive__c = 'true'",
            "'IsActive__c' must be of type boolean and should not be enclosed in quotes",
        ),
        (
            "Name = 5",
            "'Name' must be of type string and should be enclosed in quotes",
        ),
        (
            "Name = true",
            "'Name' must be of type string and should be enclosed in quotes",
        ),
        (
            "Name IN ('a', 5)",
            "'Name' must be of type string and should be enclosed in quotes",
        ),
        (
            "Name LIKE 5",
            "'Name' must be of type string and should be enclosed in quotes",
        ),
        (
            "NumberOfEmployees = TODAY",
            "'NumberOfEmployees' must be of type double and should not be enclosed in quotes",
        ),
        (
            "OwnerId = 5",
            "'OwnerId' must be of type id and should be enclosed in quotes",
        ),
    ];
    for (filter, message) in cases {
        assert_error(
            &format!("SELECT Id FROM Account WHERE {filter}"),
            INVALID_FIELD,
            message,
        );
    }
}

#[test]
fn operators_a_type_does_not_take() {
    assert_error(
        "SELECT Id FROM Account WHERE AnnualRevenue LIKE '5%'",
        INVALID_QUERY_FILTER_OPERATOR,
        "invalid operator on double field",
    );
    assert_error(
        "SELECT Id FROM Account WHERE IsActive__c > false",
        INVALID_QUERY_FILTER_OPERATOR,
        "invalid operator on boolean field",
    );
    assert_error(
        "SELECT Id FROM Account WHERE Id = 'not-an-id'",
        INVALID_QUERY_FILTER_OPERATOR,
        "invalid ID field: not-an-id",
    );
}

#[test]
fn fields_that_cannot_be_filtered_or_sorted() {
    assert_error(
        "SELECT Id FROM Account WHERE BillingAddress = null",
        INVALID_FIELD,
        "field 'BillingAddress' can not be filtered in query call",
    );
    assert_error(
        "SELECT Id FROM Account ORDER BY BillingAddress",
        INVALID_FIELD,
        "field 'BillingAddress' can not be sorted in a query call",
    );
    assert_error(
        "SELECT Id FROM Account ORDER BY Tags__c",
        INVALID_FIELD,
        "field 'Tags__c' can not be sorted in a query call",
    );
    for soql in [
        "SELECT Id FROM Account WHERE Tags__c = 'a'",
        "SELECT Id FROM Account WHERE OpensAt__c = null",
        "SELECT Id FROM Account WHERE AnnualRevenue > null",
    ] {
        let e = error(&accounts(), soql);
        assert_eq!(e.error_code, MALFORMED_QUERY, "{soql}");
        assert!(
            e.message.contains("outside the SOQL subset"),
            "{soql}: {}",
            e.message
        );
    }
    // Selecting them is fine.
    assert!(super::try_run(
        &accounts(),
        "SELECT BillingAddress, Tags__c, OpensAt__c FROM Account",
        false
    )
    .is_ok());
}

#[test]
fn syntax_errors_are_malformed_query() {
    assert_error(
        "SELEC Id FROM Account",
        MALFORMED_QUERY,
        "unexpected token: SELEC",
    );
    assert_error(
        "SELECT Id FROM Account WHERE Name = 'x' AND",
        MALFORMED_QUERY,
        "unexpected token: <EOF>",
    );
    assert_error(
        "SELECT Id FROM Account WHERE Name 'x'",
        MALFORMED_QUERY,
        "unexpected token: 'x'",
    );
}

#[test]
fn mixing_and_or_without_parentheses_is_malformed() {
    assert_error(
        "SELECT Id FROM Account WHERE Name = 'a' AND Industry = 'b' OR Industry = 'c'",
        MALFORMED_QUERY,
        "unexpected token: OR",
    );
}

#[test]
fn unsupported_features_are_malformed_and_say_so() {
    assert_error(
        "SELECT Id, (SELECT Id, (SELECT Id FROM Cases) FROM Contacts) FROM Account",
        MALFORMED_QUERY,
        "a subquery inside a subquery is outside the SOQL subset this fake org supports",
    );
    assert_error(
        "SELECT Industry, COUNT(Id) FROM Account GROUP BY CUBE(Industry)",
        MALFORMED_QUERY,
        "GROUP BY ROLLUP / CUBE is outside the SOQL subset this fake org supports",
    );
}

#[test]
fn offset_above_2000() {
    let e = error(
        &accounts(),
        "SELECT Id FROM Account ORDER BY Name LIMIT 10 OFFSET 2001",
    );
    assert_eq!(e.error_code, NUMBER_OUTSIDE_VALID_RANGE);
    assert_eq!(e.message, "Maximum SOQL offset allowed is 2000");
}
