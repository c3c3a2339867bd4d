//! Parent-to-child subqueries: nested query results per parent row, `null`
//! without children, WHERE / ORDER BY / LIMIT on the children, nested paging
//! through [`ChildPages`], and the errors Salesforce gives.

use std::cell::RefCell;

use serde_json::{json, Value as Json};

use super::{error, rows, today, TestOrg};
use crate::soql::{
    parse, ChildPages, Projection, Query, INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY,
};

struct Org {
    org: TestOrg,
    acme: String,
    bare: String,
    other: String,
    /// Acme's contacts Zed, Amy, Bob (storage order), then Other's Cy.
    contacts: [String; 4],
}

fn org() -> Org {
    let mut org = TestOrg::default();
    let acme = org.insert("Account", json!({"Name": "Acme"}));
    let bare = org.insert("Account", json!({"Name": "Bare"}));
    let other = org.insert("Account", json!({"Name": "Other"}));
    let contacts = [
        org.insert("Contact", json!({"LastName": "Zed", "AccountId": acme})),
        org.insert("Contact", json!({"LastName": "Amy", "AccountId": acme})),
        org.insert("Contact", json!({"LastName": "Bob", "AccountId": acme})),
        org.insert("Contact", json!({"LastName": "Cy", "AccountId": other})),
    ];
    org.insert("Contact", json!({"LastName": "Orphan"}));
    org.insert("Case", json!({"CaseNumber": "0001", "AccountId": other}));
    Org {
        org,
        acme,
        bare,
        other,
        contacts,
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

/// The `LastName`s of a nested result's records.
fn last_names(nested: &Json) -> Vec<&str> {
    nested["records"]
        .as_array()
        .map(|records| {
            records
                .iter()
                .map(|r| r["LastName"].as_str().unwrap_or("?"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn children_nest_as_query_results_and_no_children_is_null() {
    let o = org();
    let actual = rows(
        &o.org,
        "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account",
    );
    let c = &o.contacts;
    let expected = [
        json!({
            "attributes": attributes("Account", &o.acme),
            "Name": "Acme",
            "Contacts": {
                "totalSize": 3,
                "done": true,
                "records": [
                    {"attributes": attributes("Contact", &c[1]), "LastName": "Amy"},
                    {"attributes": attributes("Contact", &c[2]), "LastName": "Bob"},
                    {"attributes": attributes("Contact", &c[0]), "LastName": "Zed"},
                ]
            }
        }),
        json!({"attributes": attributes("Account", &o.bare), "Name": "Bare", "Contacts": null}),
        json!({
            "attributes": attributes("Account", &o.other),
            "Name": "Other",
            "Contacts": {
                "totalSize": 1,
                "done": true,
                "records": [{"attributes": attributes("Contact", &c[3]), "LastName": "Cy"}]
            }
        }),
    ];
    assert_eq!(text(&actual), text(&expected));
}

#[test]
fn subquery_sits_where_it_is_selected_and_keeps_canonical_names() {
    let o = org();
    let actual = rows(
        &o.org,
        "select (select lastname, account.name from CONTACTS where lastname = 'cy'), name from account where name = 'Other'",
    );
    let expected = [json!({
        "attributes": attributes("Account", &o.other),
        "Contacts": {
            "totalSize": 1,
            "done": true,
            "records": [{
                "attributes": attributes("Contact", &o.contacts[3]),
                "LastName": "Cy",
                "Account": {"attributes": attributes("Account", &o.other), "Name": "Other"}
            }]
        },
        "Name": "Other"
    })];
    assert_eq!(text(&actual), text(&expected));
}

#[test]
fn where_order_by_and_limit_apply_per_parent() {
    let o = org();
    let actual = rows(
        &o.org,
        "SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != 'Zed' ORDER BY LastName DESC LIMIT 1) FROM Account ORDER BY Name",
    );
    assert_eq!(last_names(&actual[0]["Contacts"]), vec!["Bob"]);
    assert_eq!(actual[0]["Contacts"]["totalSize"], 1);
    assert_eq!(actual[1]["Contacts"], Json::Null);
    assert_eq!(last_names(&actual[2]["Contacts"]), vec!["Cy"]);
    // Children filtered away entirely are null too.
    let actual = rows(
        &o.org,
        "SELECT Name, (SELECT Id FROM Contacts WHERE LastName = 'nobody') FROM Account",
    );
    assert!(actual.iter().all(|r| r["Contacts"].is_null()), "{actual:?}");
}

#[test]
fn several_subqueries_and_storage_order_without_order_by() {
    let o = org();
    let actual = rows(
        &o.org,
        "SELECT Name, (SELECT LastName FROM Contacts), (SELECT CaseNumber FROM Cases) FROM Account WHERE Name IN ('Acme', 'Other')",
    );
    assert_eq!(
        last_names(&actual[0]["Contacts"]),
        vec!["Zed", "Amy", "Bob"]
    );
    assert_eq!(actual[0]["Cases"], Json::Null);
    assert_eq!(actual[1]["Cases"]["records"][0]["CaseNumber"], "0001");
    assert_eq!(actual[1]["Cases"]["totalSize"], 1);
}

#[test]
fn a_subquery_on_the_same_object_follows_its_relationship() {
    let mut o = org();
    let child = o
        .org
        .insert("Account", json!({"Name": "Acme Child", "ParentId": o.acme}));
    let actual = rows(
        &o.org,
        "SELECT Name, (SELECT Name FROM ChildAccounts) FROM Account WHERE Name = 'Acme'",
    );
    assert_eq!(
        actual[0]["ChildAccounts"]["records"][0]["attributes"],
        attributes("Account", &child)
    );
    assert_eq!(
        actual[0]["ChildAccounts"]["records"][0]["Name"],
        "Acme Child"
    );
}

#[test]
fn write_rows_writes_what_row_builds() {
    let o = org();
    let soql = "SELECT Id, Name, (SELECT LastName, Account.Name FROM Contacts ORDER BY LastName) FROM Account";
    let query = parse(soql).expect("parses");
    let projection = Projection::new_on(&query, &o.org, today()).expect("resolves");
    let records: Vec<&super::Record> = o
        .org
        .records
        .iter()
        .filter(|r| r.object == "Account")
        .collect();
    let mut out = Vec::new();
    projection.write_rows(&o.org, records.iter().copied(), "59.0", &mut out);
    let built: Vec<Json> = records
        .iter()
        .map(|r| projection.row(&o.org, r, "59.0"))
        .collect();
    assert_eq!(
        String::from_utf8(out).expect("utf-8"),
        serde_json::to_string(&built).expect("serializable")
    );
}

/// A pager that pages after `size` children and records what it was asked to keep.
struct TestPages {
    size: usize,
    answer: bool,
    opened: RefCell<Vec<(String, Vec<String>, usize)>>,
}

impl ChildPages for TestPages {
    fn page_size(&self) -> Option<usize> {
        Some(self.size)
    }

    fn open(&self, query: &Query, ids: Vec<String>, shown: usize) -> Option<String> {
        let mut opened = self.opened.borrow_mut();
        opened.push((query.object().to_owned(), ids, shown));
        self.answer.then(|| {
            format!(
                "/services/data/v59.0/query/01gCURSOR{}-{shown}",
                opened.len()
            )
        })
    }
}

#[test]
fn long_child_lists_show_a_page_and_a_next_records_url() {
    let o = org();
    let query = parse(
        "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name",
    )
    .expect("parses");
    let projection = Projection::new_on(&query, &o.org, today()).expect("resolves");
    let pages = TestPages {
        size: 2,
        answer: true,
        opened: RefCell::new(Vec::new()),
    };
    let acme = o
        .org
        .records
        .iter()
        .find(|r| r.id == o.acme)
        .expect("stored");
    let row = projection.row_paged(&o.org, acme, "59.0", &pages);
    let nested = &row["Contacts"];
    assert_eq!(
        serde_json::to_string(nested).expect("serializable"),
        serde_json::to_string(&json!({
            "totalSize": 3,
            "done": false,
            "nextRecordsUrl": "/services/data/v59.0/query/01gCURSOR1-2",
            "records": [
                {"attributes": attributes("Contact", &o.contacts[1]), "LastName": "Amy"},
                {"attributes": attributes("Contact", &o.contacts[2]), "LastName": "Bob"},
            ]
        }))
        .expect("serializable")
    );
    let opened = pages.opened.borrow();
    assert_eq!(opened.len(), 1);
    let (object, ids, shown) = &opened[0];
    assert_eq!(object, "Contact");
    assert_eq!(
        ids,
        &vec![
            o.contacts[1].clone(),
            o.contacts[2].clone(),
            o.contacts[0].clone()
        ]
    );
    assert_eq!(*shown, 2);
}

#[test]
fn lists_within_a_page_open_no_cursor_and_a_declining_pager_shows_all() {
    let o = org();
    let query = parse("SELECT Name, (SELECT LastName FROM Contacts) FROM Account").expect("parses");
    let projection = Projection::new_on(&query, &o.org, today()).expect("resolves");
    let within = TestPages {
        size: 3,
        answer: true,
        opened: RefCell::new(Vec::new()),
    };
    let declining = TestPages {
        size: 1,
        answer: false,
        opened: RefCell::new(Vec::new()),
    };
    let acme = o
        .org
        .records
        .iter()
        .find(|r| r.id == o.acme)
        .expect("stored");
    let row = projection.row_paged(&o.org, acme, "59.0", &within);
    assert_eq!(row["Contacts"]["done"], true);
    assert!(within.opened.borrow().is_empty());
    let row = projection.row_paged(&o.org, acme, "59.0", &declining);
    assert_eq!(row["Contacts"]["done"], true);
    assert_eq!(last_names(&row["Contacts"]).len(), 3);
    assert_eq!(declining.opened.borrow().len(), 1);
}

#[test]
fn subquery_errors_are_salesforce_errors() {
    let o = org();
    let cases = [
        (
            "SELECT Id, (SELECT Id FROM Contactz) FROM Account",
            INVALID_TYPE,
            "Didn't understand relationship 'Contactz' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
        (
            "SELECT Id, (SELECT Bogus FROM Contacts) FROM Account",
            INVALID_FIELD,
            "No such column 'Bogus' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
        (
            "SELECT Id, (SELECT Id FROM Contacts WHERE Bogus = 1) FROM Account",
            INVALID_FIELD,
            "No such column 'Bogus' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
        (
            "SELECT Id, (SELECT Id FROM Contacts), (SELECT Id FROM contacts) FROM Account",
            INVALID_FIELD,
            "duplicate field selected: contacts",
        ),
        (
            "SELECT Id, (SELECT COUNT() FROM Contacts) FROM Account",
            MALFORMED_QUERY,
            "an aggregate function in a subquery is outside the SOQL subset this fake org supports",
        ),
        (
            "SELECT Id, (SELECT Id FROM Contacts LIMIT 1 OFFSET 1) FROM Account",
            MALFORMED_QUERY,
            "OFFSET in a subquery is outside the SOQL subset this fake org supports",
        ),
        (
            "SELECT Id, (SELECT Id FROM Contacts) FROM Contact",
            INVALID_TYPE,
            "Didn't understand relationship 'Contacts' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
        (
            "SELECT Id, (SELECT Id FROM Contacts FROM Account",
            MALFORMED_QUERY,
            "unexpected token: FROM",
        ),
    ];
    for (soql, code, end) in cases {
        let e = error(&o.org, soql);
        assert_eq!(e.error_code, code, "{soql}: {}", e.message);
        assert!(e.message.ends_with(end), "{soql}: {}", e.message);
    }
}
