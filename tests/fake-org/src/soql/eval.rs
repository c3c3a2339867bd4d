//! Reads a resolved path's value from a record (following parent
//! relationships) and evaluates conditions and sort order on it. Filtering
//! allocates nothing per record (case folding works on iterators, with an
//! ASCII fast path) except describe lookups behind polymorphic relationships;
//! sort keys hold an upper-case copy of text values.

use std::cmp::Ordering;

use serde_json::Value as Json;

use super::ast::Nulls;
use super::bind::{Kind, Leaf, Operand, Path, Pred, SortKey, Test};
use super::lexer::CmpOp;
use super::literal::{epoch_days, like_matches, parse_date, parse_datetime_value};
use super::DataSource;

/// A value read from a record before it is typed.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// Null, absent, or a missing parent.
    Null,
    /// A JSON value of the record.
    Json(&'a Json),
    /// The object name of a polymorphic parent (`What.Type`).
    Type(&'a str),
}

/// Follows `path` from `record`.
pub fn cell<'a, S: DataSource>(source: &'a S, record: &'a S::Record, path: &Path) -> Cell<'a> {
    let mut record = record;
    let mut object: Option<&'a str> = None;
    for hop in &path.hops {
        let Some(id) = source
            .value(record, &hop.foreign_key)
            .and_then(Json::as_str)
        else {
            return Cell::Null;
        };
        let Some((parent_object, parent)) = source.by_id(id) else {
            return Cell::Null;
        };
        record = parent;
        object = Some(parent_object);
    }
    let value = match &path.leaf {
        Leaf::Field(name) => source.value(record, name),
        Leaf::NameField(name) => object
            .and_then(|o| source.field(o, name))
            .and_then(|meta| source.value(record, &meta.name)),
        Leaf::TypeName => return object.map_or(Cell::Null, Cell::Type),
    };
    match value {
        None | Some(Json::Null) => Cell::Null,
        Some(v) => Cell::Json(v),
    }
}

/// A value typed by its field's kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// Null (a boolean's null is `Bool(false)` instead, as in Salesforce).
    Null,
    /// A string, compared case-insensitively.
    Text(&'a str),
    /// An id, compared by its first 15 characters.
    Id(&'a str),
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A date (days since the epoch) or dateTime (UTC ms since the epoch).
    Point(i64),
}

/// Types a cell by `kind`; a value of the wrong JSON type counts as null.
pub fn scalar(cell: Cell<'_>, kind: Kind) -> Scalar<'_> {
    let json = match cell {
        Cell::Type(object) => return Scalar::Text(object),
        Cell::Null => None,
        Cell::Json(json) => Some(json),
    };
    match (kind, json) {
        (Kind::Bool, None) => Scalar::Bool(false),
        (Kind::Bool, Some(Json::Bool(b))) => Scalar::Bool(*b),
        (Kind::Text | Kind::Time, Some(Json::String(s))) => Scalar::Text(s),
        (Kind::Id, Some(Json::String(s))) => Scalar::Id(s),
        (Kind::Number, Some(Json::Number(n))) => n.as_f64().map_or(Scalar::Null, Scalar::Number),
        (Kind::Number, Some(Json::String(s))) => s.parse().map_or(Scalar::Null, Scalar::Number),
        (Kind::Date, Some(Json::String(s))) => {
            parse_date(s).map_or(Scalar::Null, |d| Scalar::Point(epoch_days(d)))
        }
        (Kind::DateTime, Some(Json::String(s))) => {
            parse_datetime_value(s).map_or(Scalar::Null, Scalar::Point)
        }
        _ => Scalar::Null,
    }
}

/// The first 15 characters of an id (the case-sensitive form).
pub fn id15(id: &str) -> &str {
    id.get(..15).unwrap_or(id)
}

/// Compares `a` with `b_upper` (already upper case) by upper case, as Salesforce does.
fn cmp_upper(a: &str, b_upper: &str) -> Ordering {
    if a.is_ascii() && b_upper.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_uppercase())
            .cmp(b_upper.bytes())
    } else {
        a.chars().flat_map(char::to_uppercase).cmp(b_upper.chars())
    }
}

/// `s` in upper case, the form strings compare in.
pub fn upper(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_uppercase()
    } else {
        s.to_uppercase()
    }
}

/// Orders a non-null scalar against a non-null, non-range operand; `None` if they do not compare.
fn order(scalar: Scalar<'_>, operand: &Operand) -> Option<Ordering> {
    match (scalar, operand) {
        (Scalar::Text(a), Operand::Text(b)) => Some(cmp_upper(a, b)),
        (Scalar::Id(a), Operand::Id(b)) => Some(id15(a).cmp(b.as_str())),
        (Scalar::Bool(a), Operand::Bool(b)) => Some(a.cmp(b)),
        (Scalar::Number(a), Operand::Number(b)) => a.partial_cmp(b),
        (Scalar::Point(a), Operand::Point(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn holds(op: CmpOp, ordering: Ordering) -> bool {
    match op {
        CmpOp::Eq => ordering == Ordering::Equal,
        CmpOp::Ne => ordering != Ordering::Equal,
        CmpOp::Lt => ordering == Ordering::Less,
        CmpOp::Le => ordering != Ordering::Greater,
        CmpOp::Gt => ordering == Ordering::Greater,
        CmpOp::Ge => ordering != Ordering::Less,
    }
}

/// `scalar op operand`. Null compares equal only to null; `!=` a value holds
/// for null (SOQL treats null as a value here, unlike SQL).
fn compare(scalar: Scalar<'_>, op: CmpOp, operand: &Operand) -> bool {
    let is_null = scalar == Scalar::Null;
    match operand {
        Operand::Null => match op {
            CmpOp::Eq => is_null,
            CmpOp::Ne => !is_null,
            _ => false,
        },
        Operand::Range(start, end) => match scalar {
            Scalar::Point(v) => match op {
                CmpOp::Eq => (*start..*end).contains(&v),
                CmpOp::Ne => !(*start..*end).contains(&v),
                CmpOp::Lt => v < *start,
                CmpOp::Le => v < *end,
                CmpOp::Gt => v >= *end,
                CmpOp::Ge => v >= *start,
            },
            _ => op == CmpOp::Ne,
        },
        _ if is_null => op == CmpOp::Ne,
        _ => order(scalar, operand).is_some_and(|o| holds(op, o)),
    }
}

/// Whether `record` satisfies `pred`.
pub fn matches<S: DataSource>(source: &S, record: &S::Record, pred: &Pred) -> bool {
    match pred {
        Pred::And(preds) => preds.iter().all(|p| matches(source, record, p)),
        Pred::Or(preds) => preds.iter().any(|p| matches(source, record, p)),
        Pred::Not(inner) => !matches(source, record, inner),
        Pred::Test(path, test) => holds_for(scalar(cell(source, record, path), path.kind), test),
        // Resolved before any record is read; an unresolved one matches nothing.
        Pred::SemiJoin { .. } => false,
    }
}

/// Whether a typed value passes `test`.
pub fn holds_for(value: Scalar<'_>, test: &Test) -> bool {
    match test {
        Test::Cmp(op, operand) => compare(value, *op, operand),
        Test::In { negated, operands } => {
            let found = operands.iter().any(|o| compare(value, CmpOp::Eq, o));
            found != *negated
        }
        Test::Like(pattern) => match value {
            Scalar::Text(s) => like_matches(pattern, s),
            _ => false,
        },
        Test::InIds { negated, ids } => {
            let found = match value {
                Scalar::Id(id) => ids.contains(id15(id)),
                _ => false,
            };
            found != *negated
        }
    }
}

/// A record's value of one `ORDER BY` key, precomputed once per record.
#[derive(Debug, Clone, PartialEq)]
pub enum Key<'a> {
    /// Null.
    Null,
    /// A string in upper case: byte order is then Salesforce's order.
    Text(String),
    /// Any other non-null value.
    Other(Scalar<'a>),
}

impl<'a> Key<'a> {
    /// The sort key of a typed value.
    pub fn of(scalar: Scalar<'a>) -> Self {
        match scalar {
            Scalar::Null => Key::Null,
            Scalar::Text(s) => Key::Text(upper(s)),
            other => Key::Other(other),
        }
    }
}

/// Orders two non-null keys of one kind.
pub fn cmp_values(a: &Key<'_>, b: &Key<'_>) -> Ordering {
    match (a, b) {
        (Key::Text(a), Key::Text(b)) => a.cmp(b),
        (Key::Other(Scalar::Id(a)), Key::Other(Scalar::Id(b))) => id15(a).cmp(id15(b)),
        (Key::Other(Scalar::Bool(a)), Key::Other(Scalar::Bool(b))) => a.cmp(b),
        (Key::Other(Scalar::Number(a)), Key::Other(Scalar::Number(b))) => a.total_cmp(b),
        (Key::Other(Scalar::Point(a)), Key::Other(Scalar::Point(b))) => a.cmp(b),
        _ => Ordering::Equal,
    }
}

/// Orders two records' values of one `ORDER BY` key.
pub fn cmp_key(key: &SortKey, a: &Key<'_>, b: &Key<'_>) -> Ordering {
    let nulls_first = key.nulls == Nulls::First;
    match (*a == Key::Null, *b == Key::Null) {
        (true, true) => Ordering::Equal,
        (true, false) if nulls_first => Ordering::Less,
        (true, false) => Ordering::Greater,
        (false, true) if nulls_first => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) if key.descending => cmp_values(b, a),
        (false, false) => cmp_values(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_semantics() {
        let text = Operand::Text("A".to_owned());
        assert!(compare(Scalar::Null, CmpOp::Ne, &text));
        assert!(!compare(Scalar::Null, CmpOp::Eq, &text));
        assert!(!compare(Scalar::Null, CmpOp::Lt, &text));
        assert!(compare(Scalar::Null, CmpOp::Eq, &Operand::Null));
        assert!(!compare(Scalar::Text("a"), CmpOp::Eq, &Operand::Null));
        assert!(compare(Scalar::Text("a"), CmpOp::Ne, &Operand::Null));
    }

    #[test]
    fn strings_compare_by_upper_case() {
        let op = Operand::Text("ABC".to_owned());
        assert!(compare(Scalar::Text("abc"), CmpOp::Eq, &op));
        assert!(compare(Scalar::Text("abd"), CmpOp::Gt, &op));
        // '_' sorts after letters by upper case (0x5F > 'B'), before them by lower case.
        assert_eq!(upper("a_").cmp(&upper("ab")), Ordering::Greater);
        assert_eq!(cmp_upper("é_", "ÉB"), Ordering::Greater);
        assert_eq!(upper("straße"), "STRASSE");
    }

    #[test]
    fn ranges() {
        let range = Operand::Range(10, 20);
        assert!(compare(Scalar::Point(10), CmpOp::Eq, &range));
        assert!(!compare(Scalar::Point(20), CmpOp::Eq, &range));
        assert!(compare(Scalar::Point(9), CmpOp::Lt, &range));
        assert!(compare(Scalar::Point(19), CmpOp::Le, &range));
        assert!(!compare(Scalar::Point(20), CmpOp::Le, &range));
        assert!(compare(Scalar::Point(20), CmpOp::Gt, &range));
        assert!(!compare(Scalar::Point(19), CmpOp::Gt, &range));
        assert!(compare(Scalar::Point(10), CmpOp::Ge, &range));
        assert!(compare(Scalar::Null, CmpOp::Ne, &range));
        assert!(!compare(Scalar::Null, CmpOp::Eq, &range));
    }

    #[test]
    fn ids_compare_by_first_15_characters() {
        let op = Operand::Id("001000000000001".to_owned());
        assert!(compare(Scalar::Id("001000000000001AAA"), CmpOp::Eq, &op));
        assert!(compare(Scalar::Id("001000000000001"), CmpOp::Eq, &op));
        // Ids are case-sensitive: 'A' and 'a' are different records.
        let lower = Operand::Id("00100000000000a".to_owned());
        assert!(compare(Scalar::Id("00100000000000A"), CmpOp::Ne, &lower));
    }

    #[test]
    fn sort_key_null_placement_is_independent_of_direction() {
        let key = |descending, nulls| SortKey {
            path: Path {
                hops: Vec::new(),
                leaf: Leaf::Field("X".to_owned()),
                kind: Kind::Number,
            },
            descending,
            nulls,
        };
        let one = Key::of(Scalar::Number(1.0));
        let two = Key::of(Scalar::Number(2.0));
        let null = Key::of(Scalar::Null);
        let cmp =
            |descending, nulls, a: &Key<'_>, b: &Key<'_>| cmp_key(&key(descending, nulls), a, b);
        assert_eq!(cmp(false, Nulls::First, &null, &one), Ordering::Less);
        assert_eq!(cmp(true, Nulls::First, &null, &one), Ordering::Less);
        assert_eq!(cmp(true, Nulls::Last, &null, &one), Ordering::Greater);
        assert_eq!(cmp(false, Nulls::Last, &one, &null), Ordering::Less);
        assert_eq!(cmp(true, Nulls::Last, &one, &two), Ordering::Greater);
        assert_eq!(cmp(false, Nulls::Last, &one, &two), Ordering::Less);
        assert_eq!(cmp(false, Nulls::Last, &null, &null), Ordering::Equal);
    }
}
