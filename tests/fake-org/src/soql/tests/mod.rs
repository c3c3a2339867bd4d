//! Engine tests against a small in-memory org.

mod aggregates;
mod errors;
mod filter;
mod order;
mod proptests;
mod relationships;
mod scale;
mod semijoin;
mod subqueries;
mod type_of;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{json, Map, Value as Json};

use super::{
    execute_on, parse, ChildRelationshipMeta, DataSource, FieldMeta, Matched, Projection,
    RelationshipMeta, SoqlError,
};

/// A field of the test describes: name, type, and `referenceTo` + relationship name for lookups.
struct TestField {
    name: &'static str,
    field_type: &'static str,
    reference: Option<(&'static str, &'static [&'static str])>,
}

const fn f(name: &'static str, field_type: &'static str) -> TestField {
    TestField {
        name,
        field_type,
        reference: None,
    }
}

const fn lookup(
    name: &'static str,
    relationship: &'static str,
    targets: &'static [&'static str],
) -> TestField {
    TestField {
        name,
        field_type: "reference",
        reference: Some((relationship, targets)),
    }
}

/// (object, key prefix, fields)
const DESCRIBES: &[(&str, &str, &[TestField])] = &[
    (
        "Account",
        "001",
        &[
            f("Id", "id"),
            f("Name", "string"),
            f("Industry", "picklist"),
            f("AnnualRevenue", "currency"),
            f("NumberOfEmployees", "int"),
            f("IsActive__c", "boolean"),
            f("CreatedDate", "datetime"),
            f("LastActivityDate", "date"),
            f("Description", "textarea"),
            f("BillingAddress", "address"),
            f("Tags__c", "multipicklist"),
            f("OpensAt__c", "time"),
            f("SystemModstamp", "datetime"),
            lookup("OwnerId", "Owner", &["User"]),
            lookup("ParentId", "Parent", &["Account"]),
        ],
    ),
    (
        "Contact",
        "003",
        &[
            f("Id", "id"),
            f("Name", "string"),
            f("FirstName", "string"),
            f("LastName", "string"),
            f("Email", "email"),
            f("Birthdate", "date"),
            f("SystemModstamp", "datetime"),
            lookup("AccountId", "Account", &["Account"]),
            lookup("OwnerId", "Owner", &["User"]),
            lookup("ReportsToId", "ReportsTo", &["Contact"]),
        ],
    ),
    (
        "User",
        "005",
        &[
            f("Id", "id"),
            f("Name", "string"),
            f("Email", "email"),
            f("Username", "string"),
            f("IsActive", "boolean"),
            lookup("ManagerId", "Manager", &["User"]),
        ],
    ),
    (
        "Group",
        "00G",
        &[f("Id", "id"), f("Name", "string"), f("Email", "email")],
    ),
    (
        "Lead",
        "00Q",
        &[f("Id", "id"), f("Name", "string"), f("Email", "email")],
    ),
    (
        "Task",
        "00T",
        &[
            f("Id", "id"),
            f("Subject", "string"),
            f("ActivityDate", "date"),
            lookup("WhoId", "Who", &["Contact", "Lead"]),
            lookup("WhatId", "What", &["Account", "Case"]),
            lookup("OwnerId", "Owner", &["Group", "User"]),
        ],
    ),
    (
        "Case",
        "500",
        &[
            f("Id", "id"),
            f("CaseNumber", "string"),
            f("SystemModstamp", "datetime"),
            lookup("AccountId", "Account", &["Account"]),
            lookup("ContactId", "Contact", &["Contact"]),
            lookup("OwnerId", "Owner", &["Group", "User"]),
        ],
    ),
];

/// Child relationships: (parent, relationshipName, child object, field).
const CHILDREN: &[(&str, &str, &str, &str)] = &[
    ("Account", "Contacts", "Contact", "AccountId"),
    ("Account", "Cases", "Case", "AccountId"),
    ("Account", "ChildAccounts", "Account", "ParentId"),
    ("Account", "Tasks", "Task", "WhatId"),
    ("Contact", "Cases", "Case", "ContactId"),
    ("Contact", "Tasks", "Task", "WhoId"),
];

/// A stored record.
#[derive(Debug, PartialEq)]
pub struct Record {
    id: String,
    object: &'static str,
    fields: Map<String, Json>,
    deleted: bool,
}

/// An in-memory org over [`DESCRIBES`].
#[derive(Default)]
pub struct TestOrg {
    records: Vec<Record>,
    by_id: HashMap<String, usize>,
}

fn describe(object: &str) -> Option<&'static (&'static str, &'static str, &'static [TestField])> {
    DESCRIBES
        .iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case(object))
}

impl TestOrg {
    /// Stores a record and returns its 18-character id.
    pub fn insert(&mut self, object: &str, fields: Json) -> String {
        self.insert_with(object, fields, false)
    }

    /// Stores a deleted record (seen by `queryAll` only).
    pub fn insert_deleted(&mut self, object: &str, fields: Json) -> String {
        self.insert_with(object, fields, true)
    }

    fn insert_with(&mut self, object: &str, fields: Json, deleted: bool) -> String {
        let (name, prefix, _) = describe(object).expect("test object is described");
        let id = format!("{prefix}X{:011}AAA", self.records.len() + 1);
        let Json::Object(mut fields) = fields else {
            panic!("records are JSON objects")
        };
        fields.insert("Id".to_owned(), Json::String(id.clone()));
        self.by_id.insert(id[..15].to_owned(), self.records.len());
        self.records.push(Record {
            id: id.clone(),
            object: name,
            fields,
            deleted,
        });
        id
    }
}

impl DataSource for TestOrg {
    type Record = Record;

    fn object_name(&self, object: &str) -> Option<&str> {
        describe(object).map(|(name, _, _)| *name)
    }

    fn field(&self, object: &str, field: &str) -> Option<FieldMeta> {
        let (_, _, fields) = describe(object)?;
        fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(field))
            .map(|f| FieldMeta {
                name: f.name.to_owned(),
                field_type: f.field_type.to_owned(),
            })
    }

    fn relationship(&self, object: &str, relationship_name: &str) -> Option<RelationshipMeta> {
        let (_, _, fields) = describe(object)?;
        fields.iter().find_map(|f| match f.reference {
            Some((name, targets)) if name.eq_ignore_ascii_case(relationship_name) => {
                Some(RelationshipMeta {
                    name: name.to_owned(),
                    foreign_key: f.name.to_owned(),
                    targets: targets.iter().map(|t| (*t).to_owned()).collect(),
                })
            }
            _ => None,
        })
    }

    fn child_relationship(
        &self,
        object: &str,
        relationship_name: &str,
    ) -> Option<ChildRelationshipMeta> {
        CHILDREN
            .iter()
            .find(|(parent, name, _, _)| {
                *parent == object && name.eq_ignore_ascii_case(relationship_name)
            })
            .map(|(_, name, child, field)| ChildRelationshipMeta {
                name: (*name).to_owned(),
                child_object: (*child).to_owned(),
                field: (*field).to_owned(),
            })
    }

    fn records<'a>(
        &'a self,
        object: &str,
        include_deleted: bool,
    ) -> Box<dyn Iterator<Item = &'a Record> + 'a> {
        let object = object.to_owned();
        Box::new(
            self.records
                .iter()
                .filter(move |r| r.object == object && (include_deleted || !r.deleted)),
        )
    }

    fn value<'a>(&'a self, record: &'a Record, field: &str) -> Option<&'a Json> {
        record.fields.get(field).filter(|v| !v.is_null())
    }

    fn by_id<'a>(&'a self, id: &str) -> Option<(&'a str, &'a Record)> {
        let record = &self.records[*self.by_id.get(id.get(..15)?)?];
        Some((record.object, record))
    }

    fn id<'a>(&'a self, record: &'a Record) -> &'a str {
        &record.id
    }
}

/// The date the tests treat as today.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 15).expect("valid date")
}

/// Runs a query; panics with the error if it fails.
pub fn run<'a>(org: &'a TestOrg, soql: &str) -> Matched<'a, Record> {
    try_run(org, soql, false).unwrap_or_else(|e| panic!("{soql} failed: {e}"))
}

/// Parses and runs a query.
pub fn try_run<'a>(
    org: &'a TestOrg,
    soql: &str,
    include_deleted: bool,
) -> Result<Matched<'a, Record>, SoqlError> {
    execute_on(&parse(soql)?, org, include_deleted, today())
}

/// The error a query fails with (parse or execute); panics if it succeeds.
pub fn error(org: &TestOrg, soql: &str) -> SoqlError {
    match try_run(org, soql, false) {
        Ok(matched) => panic!("{soql} must fail, matched {}", count(&matched)),
        Err(e) => e,
    }
}

fn count(matched: &Matched<'_, Record>) -> usize {
    match matched {
        Matched::Count(n) => *n,
        Matched::Records(r) => r.len(),
    }
}

/// The values of `field` of the matched records, in order (null as "null").
pub fn column(org: &TestOrg, soql: &str, field: &str) -> Vec<String> {
    match run(org, soql) {
        Matched::Records(records) => records
            .iter()
            .map(|r| match r.fields.get(field) {
                Some(Json::String(s)) => s.clone(),
                Some(Json::Null) | None => "null".to_owned(),
                Some(other) => other.to_string(),
            })
            .collect(),
        Matched::Count(n) => panic!("{soql}: records expected, got count {n}"),
    }
}

/// The output rows of a query.
pub fn rows(org: &TestOrg, soql: &str) -> Vec<Json> {
    let query = parse(soql).unwrap_or_else(|e| panic!("{soql} must parse: {e}"));
    let projection =
        Projection::new_on(&query, org, today()).unwrap_or_else(|e| panic!("{soql}: {e}"));
    match execute_on(&query, org, false, today()).unwrap_or_else(|e| panic!("{soql}: {e}")) {
        Matched::Records(records) => records
            .into_iter()
            .map(|r| projection.row(org, r, "59.0"))
            .collect(),
        Matched::Count(n) => panic!("{soql}: records expected, got count {n}"),
    }
}

/// The `AggregateResult` rows of an aggregate query.
pub fn aggregate_rows(org: &TestOrg, soql: &str) -> Vec<Json> {
    try_aggregate(org, soql).unwrap_or_else(|e| panic!("{soql} failed: {e}"))
}

/// Parses and runs an aggregate query.
pub fn try_aggregate(org: &TestOrg, soql: &str) -> Result<Vec<Json>, SoqlError> {
    super::aggregate_on(&parse(soql)?, org, false, today())
}

/// Accounts named A..F with varied fields, and their owners.
pub fn accounts() -> TestOrg {
    let mut org = TestOrg::default();
    let owner = org.insert(
        "User",
        json!({"Name": "Olive Owner", "Email": "olive@example.com", "IsActive": true}),
    );
    let rows = [
        json!({"Name": "Acme", "Industry": "Tech", "AnnualRevenue": 1000.5, "NumberOfEmployees": 10, "IsActive__c": true,
               "CreatedDate": "2024-03-15T09:00:00.000+0000", "LastActivityDate": "2024-03-15", "OwnerId": owner}),
        json!({"Name": "bravo", "Industry": "Retail", "AnnualRevenue": 50, "NumberOfEmployees": 200, "IsActive__c": false,
               "CreatedDate": "2024-03-14T23:59:59.000+0000", "LastActivityDate": "2024-03-10"}),
        json!({"Name": "Charlie's", "Industry": null, "AnnualRevenue": null, "NumberOfEmployees": 5,
               "CreatedDate": "2024-02-01T00:00:00.000+0000", "LastActivityDate": "2024-02-29"}),
        json!({"Name": "Delta 50% off", "Industry": "tech", "AnnualRevenue": 1000.5, "NumberOfEmployees": 10, "IsActive__c": true,
               "CreatedDate": "2023-12-31T23:00:00.000+0000", "LastActivityDate": null}),
        json!({"Name": "Echo_1", "Industry": "Energy", "AnnualRevenue": -3, "NumberOfEmployees": null,
               "CreatedDate": "2024-03-16T00:00:00.000+0000", "LastActivityDate": "2024-03-16"}),
        json!({"Name": "Back\\slash \"quoted\"\nline", "Industry": "Retail", "AnnualRevenue": 0, "NumberOfEmployees": 0,
               "CreatedDate": null, "LastActivityDate": "2024-04-01"}),
    ];
    for row in rows {
        org.insert("Account", row);
    }
    org
}
