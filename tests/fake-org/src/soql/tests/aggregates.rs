//! Aggregate queries: functions, aliases and `exprN` names, GROUP BY,
//! HAVING, ORDER BY / LIMIT on groups, and Salesforce's errors.

use serde_json::{json, Value as Json};

use super::{accounts, aggregate_rows, error, parse, today, try_aggregate, TestOrg};
use crate::soql::{execute_on, EXCEEDED_ID_LIMIT, INVALID_FIELD, MALFORMED_QUERY};

/// Rows as JSON text, so key order counts.
fn text(rows: &[Json]) -> Vec<String> {
    rows.iter()
        .map(|r| serde_json::to_string(r).expect("serializable"))
        .collect()
}

fn agg(fields: Json) -> Json {
    let mut row = json!({"attributes": {"type": "AggregateResult"}});
    if let (Some(row), Json::Object(fields)) = (row.as_object_mut(), fields) {
        row.extend(fields);
    }
    row
}

#[test]
fn count_of_a_field_matches_the_recorded_shape() {
    // responses/cumulusci/query_aggregate_count.json: one row, `expr0`, no url.
    let rows = aggregate_rows(&accounts(), "SELECT COUNT(Id) FROM Account");
    assert_eq!(text(&rows), text(&[agg(json!({"expr0": 6}))]));
}

#[test]
fn without_group_by_there_is_one_row_even_when_nothing_matches() {
    let rows = aggregate_rows(
        &accounts(),
        "SELECT COUNT(Id), SUM(AnnualRevenue), MAX(Name) FROM Account WHERE Name = 'nobody'",
    );
    assert_eq!(
        text(&rows),
        text(&[agg(json!({"expr0": 0, "expr1": null, "expr2": null}))])
    );
}

#[test]
fn aliases_and_expr_names_count_only_unaliased_aggregates() {
    let rows = aggregate_rows(
        &accounts(),
        "SELECT Industry, COUNT(Id) cnt, SUM(AnnualRevenue), MAX(NumberOfEmployees) FROM Account GROUP BY Industry ORDER BY Industry NULLS LAST",
    );
    let expected = [
        agg(json!({"Industry": "Energy", "cnt": 1, "expr0": -3.0, "expr1": null})),
        agg(json!({"Industry": "Retail", "cnt": 2, "expr0": 50.0, "expr1": 200})),
        // "Tech" and "tech" are one group, named by the first seen.
        agg(json!({"Industry": "Tech", "cnt": 2, "expr0": 2001.0, "expr1": 10})),
        agg(json!({"Industry": null, "cnt": 1, "expr0": null, "expr1": 5})),
    ];
    assert_eq!(text(&rows), text(&expected));
}

#[test]
fn count_skips_nulls_and_count_distinct_counts_values() {
    let rows = aggregate_rows(
        &accounts(),
        "SELECT COUNT(Industry), COUNT_DISTINCT(Industry), COUNT_DISTINCT(AnnualRevenue) FROM Account",
    );
    assert_eq!(
        text(&rows),
        text(&[agg(json!({"expr0": 5, "expr1": 3, "expr2": 4}))])
    );
}

#[test]
fn avg_min_and_max_by_the_field_type() {
    let rows = aggregate_rows(
        &accounts(),
        "SELECT AVG(NumberOfEmployees) avgEmp, MIN(Name), MAX(LastActivityDate), MIN(CreatedDate), MAX(AnnualRevenue) FROM Account",
    );
    let expected = agg(json!({
        "avgEmp": 45.0,
        "expr0": "Acme",
        "expr1": "2024-04-01",
        "expr2": "2023-12-31T23:00:00.000+0000",
        "expr3": 1000.5
    }));
    assert_eq!(text(&rows), text(&[expected]));
}

#[test]
fn having_filters_groups_on_aggregates_and_grouped_fields() {
    let org = accounts();
    let industries = |soql: &str| -> Vec<Json> {
        aggregate_rows(&org, soql)
            .into_iter()
            .map(|r| r["Industry"].clone())
            .collect()
    };
    assert_eq!(
        industries("SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING COUNT(Id) > 1 ORDER BY Industry"),
        vec![json!("Retail"), json!("Tech")]
    );
    assert_eq!(
        industries("SELECT Industry FROM Account GROUP BY Industry HAVING (SUM(AnnualRevenue) < 100 AND Industry != 'Energy') ORDER BY Industry"),
        vec![json!("Retail")]
    );
    assert_eq!(
        industries("SELECT Industry FROM Account GROUP BY Industry HAVING Industry IN ('tech', 'energy') ORDER BY Industry DESC"),
        vec![json!("Tech"), json!("Energy")]
    );
    assert_eq!(
        industries("SELECT Industry FROM Account GROUP BY Industry HAVING COUNT() = 1 AND Industry LIKE 'E%'"),
        vec![json!("Energy")]
    );
}

#[test]
fn order_by_an_aggregate_and_limit_and_offset_apply_to_groups() {
    let rows = aggregate_rows(
        &accounts(),
        "SELECT Industry, SUM(AnnualRevenue) total FROM Account GROUP BY Industry ORDER BY SUM(AnnualRevenue) DESC NULLS LAST LIMIT 2",
    );
    assert_eq!(
        text(&rows),
        text(&[
            agg(json!({"Industry": "Tech", "total": 2001.0})),
            agg(json!({"Industry": "Retail", "total": 50.0})),
        ])
    );
    let rows = aggregate_rows(
        &accounts(),
        "SELECT Industry FROM Account GROUP BY Industry ORDER BY COUNT(Id) DESC, Industry LIMIT 1 OFFSET 1",
    );
    assert_eq!(rows[0]["Industry"], "Tech");
}

#[test]
fn group_by_several_fields_and_parent_paths() {
    let org = accounts();
    let rows = aggregate_rows(
        &org,
        "SELECT Industry, IsActive__c, COUNT(Id) FROM Account WHERE Industry != null GROUP BY Industry, IsActive__c ORDER BY Industry, IsActive__c",
    );
    assert_eq!(
        text(&rows),
        text(&[
            agg(json!({"Industry": "Energy", "IsActive__c": false, "expr0": 1})),
            agg(json!({"Industry": "Retail", "IsActive__c": false, "expr0": 2})),
            agg(json!({"Industry": "Tech", "IsActive__c": true, "expr0": 2})),
        ])
    );
    // A grouped path is keyed by its field name; an alias renames it.
    let rows = aggregate_rows(
        &org,
        "SELECT Owner.Name, COUNT(Id) n FROM Account GROUP BY Owner.Name ORDER BY Owner.Name NULLS FIRST",
    );
    assert_eq!(
        text(&rows),
        text(&[
            agg(json!({"Name": null, "n": 5})),
            agg(json!({"Name": "Olive Owner", "n": 1})),
        ])
    );
    let rows = aggregate_rows(
        &org,
        "SELECT Industry ind, COUNT(Id) c FROM Account WHERE Industry = 'Energy' GROUP BY Industry",
    );
    assert_eq!(text(&rows), text(&[agg(json!({"ind": "Energy", "c": 1}))]));
}

#[test]
fn group_by_without_aggregates_lists_distinct_values() {
    let rows = aggregate_rows(
        &accounts(),
        "SELECT Industry FROM Account WHERE Industry != null GROUP BY Industry",
    );
    let industries: Vec<&Json> = rows.iter().map(|r| &r["Industry"]).collect();
    assert_eq!(industries, vec!["Tech", "Retail", "Energy"]);
}

#[test]
fn aggregate_errors_are_salesforce_errors() {
    let org = accounts();
    let cases = [
        (
            "SELECT Name, COUNT(Id) FROM Account GROUP BY Industry",
            MALFORMED_QUERY,
            "Field must be grouped or aggregated: Name",
        ),
        (
            "SELECT Name, COUNT(Id) FROM Account",
            MALFORMED_QUERY,
            "ERROR at Row:1:Column:8\nField must be grouped or aggregated: Name",
        ),
        (
            "SELECT SUM(Name) FROM Account",
            INVALID_FIELD,
            "field Name does not support aggregate operator SUM",
        ),
        (
            "SELECT AVG(CreatedDate) FROM Account",
            INVALID_FIELD,
            "field CreatedDate does not support aggregate operator AVG",
        ),
        (
            "SELECT MAX(IsActive__c) FROM Account",
            INVALID_FIELD,
            "field IsActive__c does not support aggregate operator MAX",
        ),
        (
            "SELECT Industry FROM Account GROUP BY Industry ORDER BY Name",
            MALFORMED_QUERY,
            "Ordered field must be grouped or aggregated: Name",
        ),
        (
            "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING Name = 'x'",
            MALFORMED_QUERY,
            "Field must be grouped or aggregated: Name",
        ),
        (
            "SELECT COUNT(Id) FROM Account HAVING COUNT(Id) > 1",
            MALFORMED_QUERY,
            "HAVING can only be used with GROUP BY",
        ),
        (
            "SELECT Industry, COUNT(Id) Industry FROM Account GROUP BY Industry",
            MALFORMED_QUERY,
            "duplicate alias: Industry",
        ),
        (
            "SELECT CreatedDate FROM Account GROUP BY CreatedDate",
            INVALID_FIELD,
            "field 'CreatedDate' can not be grouped in a query call",
        ),
        (
            "SELECT COUNT(Bogus) FROM Account",
            INVALID_FIELD,
            "No such column 'Bogus' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
        (
            "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING COUNT(Id) > 'x'",
            INVALID_FIELD,
            "value of filter criterion for field 'COUNT' must be of type double and should not be enclosed in quotes",
        ),
        (
            "SELECT COUNT(Id), (SELECT Id FROM Contacts) FROM Account",
            MALFORMED_QUERY,
            "a subquery in an aggregate query is outside the SOQL subset this fake org supports",
        ),
        (
            "SELECT SUM(AnnualRevenue FROM Account",
            MALFORMED_QUERY,
            "unexpected token: FROM",
        ),
    ];
    for (soql, code, end) in cases {
        let e = match try_aggregate(&org, soql) {
            Ok(rows) => panic!("{soql} must fail, got {rows:?}"),
            Err(e) => e,
        };
        assert_eq!(e.error_code, code, "{soql}: {}", e.message);
        assert!(e.message.ends_with(end), "{soql}: {}", e.message);
    }
}

#[test]
fn aliases_belong_to_aggregate_queries_only() {
    let e = error(&accounts(), "SELECT Name n FROM Account");
    assert_eq!(e.error_code, MALFORMED_QUERY);
    assert!(
        e.message
            .ends_with("Only aggregate expressions use field aliasing"),
        "{}",
        e.message
    );
}

#[test]
fn execute_refuses_aggregate_queries() {
    let org = accounts();
    let query = parse("SELECT Industry FROM Account GROUP BY Industry").expect("parses");
    let e = execute_on(&query, &org, false, today()).expect_err("not a record query");
    assert_eq!(e.error_code, MALFORMED_QUERY);
}

#[test]
fn more_groups_than_one_batch_is_exceeded_id_limit() {
    let mut org = TestOrg::default();
    for i in 0..2001 {
        org.insert("Account", json!({"Name": format!("A{i}")}));
    }
    let e = try_aggregate(&org, "SELECT Name FROM Account GROUP BY Name").expect_err("too many");
    assert_eq!(e.error_code, EXCEEDED_ID_LIMIT);
    let rows = aggregate_rows(&org, "SELECT Name FROM Account GROUP BY Name LIMIT 2000");
    assert_eq!(rows.len(), 2000);
}
