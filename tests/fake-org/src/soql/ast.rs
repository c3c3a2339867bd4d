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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Select {
    /// `SELECT COUNT()`.
    Count,
    /// A list of fields, in query order.
    Fields(Vec<FieldPath>),
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
    /// The field.
    pub path: FieldPath,
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
}
