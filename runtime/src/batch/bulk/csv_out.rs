//! Records as Bulk API 2.0 CSV: serialize with serde to JSON, then flatten to
//! columns and cells. Numbers are the text the record wrote (read into a
//! `Json` tree, not a `serde_json::Value` of `f64`s), so an exact decimal
//! such as `9999999999999999.99` reaches its cell unchanged.
//!
//! | JSON | CSV cell |
//! |---|---|
//! | key absent | empty: the field is not set (left unchanged by an update) |
//! | `null` | `#N/A`: the field is cleared |
//! | `true` / `false` | `true` / `false` |
//! | number | its digits, never an exponent (`1.0E21` becomes `1000000000000000000000`) |
//! | string (text, ids, dates `2024-01-31`, date-times, picklists, multipicklists `a;b`) | as is |
//! | array | elements joined with `;` (multipicklist values) |
//! | object `{"Account": {"Ext__c": "x"}}` | column `Account.Ext__c` (a parent by external id) |

use std::collections::HashMap;

use crate::batch::exact_json::{Json, Object};

/// The cell Bulk API 2.0 reads as null.
pub(crate) const NULL_CELL: &str = "#N/A";

/// Column names in first-seen order.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Columns {
    /// Columns that start with `first` (e.g. `Id` for an update), in that order.
    pub(crate) fn starting_with(first: &[&str]) -> Self {
        let mut columns = Columns::default();
        for name in first {
            columns.add(name);
        }
        columns
    }

    fn add(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), self.names.len() - 1);
        self.names.len() - 1
    }

    /// Adds the columns a record uses.
    pub(crate) fn learn(&mut self, record: &Object) {
        flatten(record, "", &mut |name, _| {
            self.add(name);
        });
    }

    /// The column names.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// A record's cells, one per column (empty where the record has no value).
    /// Columns the record has but that were never learned are reported by name.
    pub(crate) fn cells(&self, record: &Object) -> Result<Vec<String>, String> {
        let mut cells = vec![String::new(); self.names.len()];
        let mut unknown = None;
        flatten(record, "", &mut |name, value| match self.index.get(name) {
            Some(&i) => cells[i] = cell(value),
            None => unknown = Some(name.to_owned()),
        });
        match unknown {
            Some(name) => Err(name),
            None => Ok(cells),
        }
    }
}

/// Calls `f` with each leaf of a record: its dotted column name and value.
fn flatten(record: &Object, prefix: &str, f: &mut dyn FnMut(&str, &Json)) {
    for (key, value) in record {
        if key == "attributes" {
            continue;
        }
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Json::Object(nested) => flatten(nested, &name, f),
            leaf => f(&name, leaf),
        }
    }
}

/// One value as a CSV cell.
pub(crate) fn cell(value: &Json) -> String {
    match value {
        Json::Null => NULL_CELL.to_owned(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => plain_number(n.get()),
        Json::String(s) => s.clone(),
        Json::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        Json::Object(_) => serde_json::to_string(value).unwrap_or_default(),
    }
}

/// A JSON number's text without an exponent, which Bulk API 2.0 does not read.
/// Plain text is kept as it is (digit for digit); an exponent form is expanded
/// exactly (`Decimal` arithmetic, no `f64`), or kept if it does not fit.
fn plain_number(text: &str) -> String {
    if !text.contains(['e', 'E']) {
        return text.to_owned();
    }
    match crate::number::exact::parse(text) {
        Ok(d) => d.normalize().to_string(),
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde_json::{json, Value};

    use super::*;
    use crate::batch::exact_json::object_of;

    fn map(v: Value) -> Object {
        object_of(&v).unwrap_or_default()
    }

    /// A value as the tree a record's JSON is read into.
    fn tree(text: &str) -> Json {
        serde_json::from_str(text).expect("JSON")
    }

    #[test]
    fn numbers_keep_their_digits() {
        assert_eq!(cell(&tree("9999999999999999.99")), "9999999999999999.99");
        assert_eq!(cell(&tree("-9999999999999999.99")), "-9999999999999999.99");
        assert_eq!(cell(&tree("99999999999999.99")), "99999999999999.99");
        assert_eq!(cell(&tree("0.01")), "0.01");
        assert_eq!(
            cell(&tree("12345678901234567890.12345678")),
            "12345678901234567890.12345678"
        );
        assert_eq!(cell(&tree("9.99999999999999999E15")), "9999999999999999.99");
        // Beyond a Decimal: kept as written rather than rounded.
        assert_eq!(cell(&tree("1E40")), "1E40");

        #[derive(serde::Serialize)]
        struct Opp {
            #[serde(rename = "Amount", with = "crate::number::exact")]
            amount: Decimal,
            #[serde(rename = "Account")]
            account: Parent,
        }
        #[derive(serde::Serialize)]
        struct Parent {
            #[serde(rename = "Budget__c", with = "crate::number::exact")]
            budget: Option<Decimal>,
        }
        let record = object_of(&Opp {
            amount: Decimal::from_str("-9999999999999999.99").expect("decimal"),
            account: Parent {
                budget: Some(Decimal::from_str("0.01").expect("decimal")),
            },
        })
        .expect("an object");
        let mut columns = Columns::default();
        columns.learn(&record);
        assert_eq!(columns.names(), ["Amount", "Account.Budget__c"]);
        assert_eq!(
            columns.cells(&record).expect("known columns"),
            ["-9999999999999999.99", "0.01"]
        );
    }

    #[test]
    fn values_become_bulk_cells() {
        assert_eq!(cell(&Json::Null), "#N/A");
        assert_eq!(cell(&tree("true")), "true");
        assert_eq!(cell(&tree("12.5")), "12.5");
        assert_eq!(cell(&tree("1.0e21")), "1000000000000000000000");
        assert_eq!(cell(&tree("1.0E21")), "1000000000000000000000");
        assert_eq!(cell(&tree("-2.5e-3")), "-0.0025");
        assert_eq!(cell(&tree(r#""2024-01-31""#)), "2024-01-31");
        assert_eq!(cell(&tree(r#"["Red", "Blue"]"#)), "Red;Blue");
    }

    #[test]
    fn columns_are_the_union_in_first_seen_order_and_nested_objects_are_dotted() {
        let mut columns = Columns::starting_with(&["Id"]);
        let a = map(json!({"Name": "a", "attributes": {"type": "Account"}}));
        let b = map(json!({"Phone": null, "Name": "b", "Parent": {"Ext__c": "p1"}}));
        columns.learn(&a);
        columns.learn(&b);
        assert_eq!(columns.names(), ["Id", "Name", "Phone", "Parent.Ext__c"]);
        assert_eq!(columns.cells(&a).expect("known columns"), ["", "a", "", ""]);
        assert_eq!(
            columns.cells(&b).expect("known columns"),
            ["", "b", "#N/A", "p1"]
        );
        assert_eq!(
            columns.cells(&map(json!({"Other": 1}))),
            Err("Other".to_owned())
        );
    }
}
