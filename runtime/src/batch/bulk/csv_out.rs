//! Records as Bulk API 2.0 CSV: serialize with serde to JSON, then flatten to
//! columns and cells.
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
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

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
    pub(crate) fn learn(&mut self, record: &Map<String, Value>) {
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
    pub(crate) fn cells(&self, record: &Map<String, Value>) -> Result<Vec<String>, String> {
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
fn flatten(record: &Map<String, Value>, prefix: &str, f: &mut dyn FnMut(&str, &Value)) {
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
            Value::Object(nested) => flatten(nested, &name, f),
            leaf => f(&name, leaf),
        }
    }
}

/// One value as a CSV cell.
pub(crate) fn cell(value: &Value) -> String {
    match value {
        Value::Null => NULL_CELL.to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => plain_number(&n.to_string()),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        Value::Object(_) => value.to_string(),
    }
}

/// A JSON number's text without an exponent, which Bulk API 2.0 does not read.
fn plain_number(text: &str) -> String {
    if !text.contains(['e', 'E']) {
        return text.to_owned();
    }
    match Decimal::from_scientific(text).or_else(|_| Decimal::from_str(text)) {
        Ok(d) => d.normalize().to_string(),
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn values_become_bulk_cells() {
        assert_eq!(cell(&Value::Null), "#N/A");
        assert_eq!(cell(&json!(true)), "true");
        assert_eq!(cell(&json!(12.5)), "12.5");
        assert_eq!(cell(&json!(1.0e21)), "1000000000000000000000");
        assert_eq!(cell(&json!(-2.5e-3)), "-0.0025");
        assert_eq!(cell(&json!("2024-01-31")), "2024-01-31");
        assert_eq!(cell(&json!(["Red", "Blue"])), "Red;Blue");
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
