//! One million records: results checked, timings printed (not asserted).
//! Run with `cargo test -p sfgen-fake-org --release soql::tests::scale -- --ignored --nocapture`.

use std::time::Instant;

use serde_json::Value as Json;

use crate::soql::{
    execute_on, parse, DataSource, FieldMeta, Matched, Projection, RelationshipMeta,
};

const RECORDS: usize = 1_000_000;

struct Row {
    id: String,
    name: Json,
    revenue: Json,
    created: Json,
}

/// A compact one-object org, so a million records fit in little memory.
struct Big {
    rows: Vec<Row>,
}

impl Big {
    fn new(n: usize) -> Self {
        let rows = (0..n)
            .map(|i| Row {
                id: format!("001{i:012}AAA"),
                name: Json::String(format!("Account {:07}", (i * 7919) % n)),
                revenue: if i % 10 == 0 {
                    Json::Null
                } else {
                    Json::from((i % 1000) as f64)
                },
                created: Json::String(format!("2024-01-{:02}T10:00:00.000+0000", 1 + i % 28)),
            })
            .collect();
        Self { rows }
    }
}

impl DataSource for Big {
    type Record = Row;

    fn object_name(&self, object: &str) -> Option<&str> {
        object.eq_ignore_ascii_case("Account").then_some("Account")
    }

    fn field(&self, _object: &str, field: &str) -> Option<FieldMeta> {
        let (name, field_type) = [
            ("Id", "id"),
            ("Name", "string"),
            ("AnnualRevenue", "currency"),
            ("CreatedDate", "datetime"),
        ]
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(field))?;
        Some(FieldMeta {
            name: name.to_owned(),
            field_type: field_type.to_owned(),
        })
    }

    fn relationship(&self, _object: &str, _name: &str) -> Option<RelationshipMeta> {
        None
    }

    fn records<'a>(
        &'a self,
        _object: &str,
        _include_deleted: bool,
    ) -> Box<dyn Iterator<Item = &'a Row> + 'a> {
        Box::new(self.rows.iter())
    }

    fn value<'a>(&'a self, record: &'a Row, field: &str) -> Option<&'a Json> {
        let value = match field {
            "Name" => &record.name,
            "AnnualRevenue" => &record.revenue,
            "CreatedDate" => &record.created,
            _ => return None,
        };
        (!value.is_null()).then_some(value)
    }

    fn by_id<'a>(&'a self, _id: &str) -> Option<(&'a str, &'a Row)> {
        None
    }

    fn id<'a>(&'a self, record: &'a Row) -> &'a str {
        &record.id
    }
}

fn timed<'a>(org: &'a Big, soql: &str) -> Matched<'a, Row> {
    let today = chrono::NaiveDate::from_ymd_opt(2024, 3, 15).expect("valid date");
    let query = parse(soql).expect("parses");
    let start = Instant::now();
    let matched = execute_on(&query, org, false, today).expect("runs");
    println!("{:>8.1} ms  {soql}", start.elapsed().as_secs_f64() * 1000.0);
    matched
}

#[test]
#[ignore = "a million records: run explicitly, in release mode, to measure"]
fn one_million_records() {
    let org = Big::new(RECORDS);
    let Matched::Count(n) = timed(
        &org,
        "SELECT COUNT() FROM Account WHERE AnnualRevenue > 500",
    ) else {
        panic!("count expected")
    };
    // i % 1000 in 501..=999, never for i % 10 == 0 (null): 499 values, 49 of them multiples of 10.
    assert_eq!(n, RECORDS / 1000 * (499 - 49));

    let Matched::Records(rows) = timed(
        &org,
        "SELECT Id, Name FROM Account ORDER BY Name LIMIT 2000",
    ) else {
        panic!("records expected")
    };
    assert_eq!(rows.len(), 2000);
    assert_eq!(rows[0].name, "Account 0000000");
    assert_eq!(rows[1999].name, "Account 0001999");

    let Matched::Records(rows) = timed(
        &org,
        "SELECT Id FROM Account WHERE Name LIKE '%99%' AND CreatedDate < 2024-01-15T00:00:00Z ORDER BY AnnualRevenue DESC NULLS LAST, Name",
    ) else {
        panic!("records expected")
    };
    assert!(!rows.is_empty());

    let Matched::Records(rows) = timed(&org, "SELECT Id, Name FROM Account") else {
        panic!("records expected")
    };
    assert_eq!(rows.len(), RECORDS);
    let query = parse("SELECT Id, Name, AnnualRevenue FROM Account").expect("parses");
    let start = Instant::now();
    let projection = Projection::new(&query, &org).expect("binds");
    let page: Vec<Json> = rows[..2000]
        .iter()
        .map(|r| projection.row(&org, *r, "59.0"))
        .collect();
    println!(
        "{:>8.1} ms  projecting one page of 2,000 rows",
        start.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(page.len(), 2000);
}
