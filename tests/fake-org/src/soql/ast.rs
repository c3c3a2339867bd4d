//! The parsed query, before names are resolved against an org's describes.
//! Names keep the spelling of the query and their byte offset, for errors.

use super::lexer::CmpOp;
use super::literal::{DateKeyword, LikeTok};

/// A name as written in the query, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The name as written.
    pub text: String,
    /// Byte offset in the query.
    pub pos: usize,
}

/// A field, possibly through parent relationships: `Name`, `Account.Owner.Email`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// The dot-separated segments; all but the last are relationship names
    /// (or the queried object's name or alias).
    pub segments: Vec<Ident>,
}

impl FieldPath {
    /// Byte offset of the path in the query.
    pub fn pos(&self) -> usize {
        self.segments.first().map_or(0, |s| s.pos)
    }

    /// The path as written, segments joined by dots.
    pub fn written(&self) -> String {
        let names: Vec<&str> = self.segments.iter().map(|s| s.text.as_str()).collect();
        names.join(".")
    }
}

/// What the query selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Select {
    /// `SELECT COUNT()`.
    Count,
    /// A list of plain fields, in query order.
    Fields(Vec<FieldPath>),
    /// A list with something besides plain fields: child subqueries,
    /// `TYPEOF`, aggregate functions or aliases.
    Items(Vec<SelectItem>),
}

impl Select {
    /// The plain fields of the list (no subqueries, `TYPEOF` or aggregates).
    pub fn field_paths(&self) -> Vec<&FieldPath> {
        match self {
            Select::Count => Vec::new(),
            Select::Fields(fields) => fields.iter().collect(),
            Select::Items(items) => items
                .iter()
                .filter_map(|item| match item {
                    SelectItem::Field { path, .. } => Some(path),
                    _ => None,
                })
                .collect(),
        }
    }

    /// The list as items (a [`Select::Fields`] list as unaliased fields).
    pub fn items(&self) -> Vec<SelectItem> {
        match self {
            Select::Count => Vec::new(),
            Select::Fields(fields) => fields
                .iter()
                .map(|path| SelectItem::Field {
                    path: path.clone(),
                    alias: None,
                })
                .collect(),
            Select::Items(items) => items.clone(),
        }
    }
}

/// One element of a `SELECT` list.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectItem {
    /// A field, with an alias in aggregate queries (`Industry ind`).
    Field {
        /// The field.
        path: FieldPath,
        /// Its alias.
        alias: Option<Ident>,
    },
    /// An aggregate function call (`SUM(Amount) total`).
    Aggregate {
        /// The call.
        call: AggregateCall,
        /// Its alias; unaliased aggregates are `expr0`, `expr1`, ...
        alias: Option<Ident>,
    },
    /// A parent-to-child subquery: `(SELECT Id FROM Contacts)`; its `from`
    /// is the child relationship name.
    Subquery(Box<Query>),
    /// `TYPEOF What WHEN Account THEN Name ... ELSE Name END`.
    TypeOf(TypeOf),
}

/// An aggregate function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateFn {
    /// `COUNT(field)` (or `COUNT()` in `HAVING`).
    Count,
    /// `COUNT_DISTINCT(field)`.
    CountDistinct,
    /// `SUM(field)`.
    Sum,
    /// `AVG(field)`.
    Avg,
    /// `MIN(field)`.
    Min,
    /// `MAX(field)`.
    Max,
}

impl AggregateFn {
    /// The function for a name as written, case-insensitively.
    pub fn from_name(name: &str) -> Option<AggregateFn> {
        Some(match name.to_ascii_uppercase().as_str() {
            "COUNT" => AggregateFn::Count,
            "COUNT_DISTINCT" => AggregateFn::CountDistinct,
            "SUM" => AggregateFn::Sum,
            "AVG" => AggregateFn::Avg,
            "MIN" => AggregateFn::Min,
            "MAX" => AggregateFn::Max,
            _ => return None,
        })
    }

    /// The name Salesforce's messages use (`SUM`).
    pub fn name(self) -> &'static str {
        match self {
            AggregateFn::Count => "COUNT",
            AggregateFn::CountDistinct => "COUNT_DISTINCT",
            AggregateFn::Sum => "SUM",
            AggregateFn::Avg => "AVG",
            AggregateFn::Min => "MIN",
            AggregateFn::Max => "MAX",
        }
    }
}

/// An aggregate function applied to a field: `MAX(CreatedDate)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateCall {
    /// The function.
    pub function: AggregateFn,
    /// The field; `None` only for `COUNT()`.
    pub arg: Option<FieldPath>,
    /// Byte offset of the function name in the query.
    pub pos: usize,
}

/// `TYPEOF rel WHEN Type THEN fields ... [ELSE fields] END`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeOf {
    /// The polymorphic relationship (`What`).
    pub relationship: Ident,
    /// Each `WHEN Type THEN fields`, in query order.
    pub whens: Vec<(Ident, Vec<FieldPath>)>,
    /// The `ELSE` fields (empty without `ELSE`).
    pub otherwise: Vec<FieldPath>,
}

/// A literal value in a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A quoted string, escapes decoded.
    Str(String),
    /// A number, as written.
    Number(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `YYYY-MM-DD`.
    Date(chrono::NaiveDate),
    /// A dateTime literal, as UTC milliseconds since the epoch.
    DateTime(i64),
    /// A relative date literal (`TODAY`, `LAST_N_DAYS:30`, ...).
    DateKeyword(DateKeyword),
}

/// A literal and where it stands in the query.
#[derive(Debug, Clone, PartialEq)]
pub struct LiteralAt {
    /// The literal.
    pub literal: Literal,
    /// Byte offset in the query.
    pub pos: usize,
}

/// The right side of `LIKE`.
#[derive(Debug, Clone, PartialEq)]
pub enum LikeOperand {
    /// A quoted pattern.
    Pattern(Vec<LikeTok>),
    /// Anything else: rejected once the field's type is known.
    Other(LiteralAt),
}

/// A `WHERE` condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// `a AND b AND ...`
    And(Vec<Cond>),
    /// `a OR b OR ...`
    Or(Vec<Cond>),
    /// `NOT a`
    Not(Box<Cond>),
    /// `field op value`
    Compare {
        /// The field.
        path: FieldPath,
        /// The operator.
        op: CmpOp,
        /// The value.
        value: LiteralAt,
    },
    /// `field LIKE 'pattern'`
    Like {
        /// The field.
        path: FieldPath,
        /// The pattern.
        pattern: LikeOperand,
    },
    /// `field [NOT] IN (SELECT f FROM Object ...)`: a semi-join or anti-join.
    InQuery {
        /// The field.
        path: FieldPath,
        /// `NOT IN` (an anti-join).
        negated: bool,
        /// The subquery.
        query: Box<Query>,
    },
    /// `AGG(field) op value`, in `HAVING` only.
    Aggregate {
        /// The aggregate.
        call: AggregateCall,
        /// The operator.
        op: CmpOp,
        /// The value.
        value: LiteralAt,
    },
    /// `field [NOT] IN (v1, v2, ...)`
    In {
        /// The field.
        path: FieldPath,
        /// `NOT IN`.
        negated: bool,
        /// The values.
        values: Vec<LiteralAt>,
    },
}

/// Where nulls sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// Before every value.
    First,
    /// After every value.
    Last,
}

/// One `ORDER BY` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderKey {
    /// The field (the argument, when `function` is set).
    pub path: FieldPath,
    /// An aggregate function applied to the field (aggregate queries only).
    pub function: Option<AggregateFn>,
    /// `DESC`.
    pub descending: bool,
    /// Where nulls go: as written, else first for `ASC` and last for `DESC`.
    pub nulls: Nulls,
}

/// A parsed SOQL query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The query text, for error positions found after parsing.
    pub text: String,
    /// The `SELECT` list.
    pub select: Select,
    /// The `FROM` object, as written.
    pub from: Ident,
    /// The object's alias (`FROM Account a`), if any.
    pub alias: Option<Ident>,
    /// The `WHERE` condition.
    pub filter: Option<Cond>,
    /// The `GROUP BY` fields.
    pub group_by: Vec<FieldPath>,
    /// The `HAVING` condition.
    pub having: Option<Cond>,
    /// The `ORDER BY` keys.
    pub order: Vec<OrderKey>,
    /// `LIMIT`.
    pub limit: Option<u64>,
    /// `OFFSET` (at most 2,000).
    pub offset: Option<u64>,
}

impl Query {
    /// The `FROM` object as written in the query (case as the client wrote it;
    /// [`super::DataSource::object_name`] gives the canonical name).
    pub fn object(&self) -> &str {
        &self.from.text
    }

    /// Whether this is `SELECT COUNT() ...`.
    pub fn is_count(&self) -> bool {
        self.select == Select::Count
    }

    /// Whether this is an aggregate query (aggregate functions or `GROUP BY`):
    /// its rows are `AggregateResult`s, run by [`super::aggregate_on`].
    pub fn is_aggregate(&self) -> bool {
        let aggregates = match &self.select {
            Select::Items(items) => items
                .iter()
                .any(|i| matches!(i, SelectItem::Aggregate { .. })),
            _ => false,
        };
        aggregates || !self.group_by.is_empty()
    }
}
