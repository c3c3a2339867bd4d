//! The fake org's SOQL engine: the subset of SOQL clients really send, with
//! Salesforce's semantics and error bodies. Anything outside the subset fails
//! with `MALFORMED_QUERY` saying so, never with a wrong answer.
//!
//! # API
//!
//! ```text
//! parse(soql) -> Result<Query, SoqlError>                  syntax only, no org needed
//! execute(&query, &source, include_deleted)               resolve names, filter, sort,
//!     -> Result<Matched<'_, Record>, SoqlError>              OFFSET/LIMIT (or count)
//! execute_on(&query, &source, include_deleted, today)     same, TODAY etc. anchored on `today`
//! Projection::new(&query, &source) -> Result<Projection, SoqlError>   once per page
//! projection.row(&source, record, "59.0") -> serde_json::Value        one output row
//! projection.write_rows(&source, records, "59.0", &mut bytes)         a JSON array of rows
//! project(&query, &source, record, "59.0") -> serde_json::Value       both in one call
//! projection.row_paged(&source, record, "59.0", &pages)    child lists paged by a ChildPages
//! aggregate(&query, &source, include_deleted)              GROUP BY / aggregate queries
//!     -> Result<Vec<serde_json::Value>, SoqlError>           their AggregateResult rows
//! quote("Bob's") == r"'Bob\'s'"                            a Rust string as a SOQL literal
//! ```
//!
//! The org plugs in through [`DataSource`] (describes and records). A
//! `/query` handler does: `parse`, then `execute` (an `Err` becomes HTTP 400
//! with body `[{"message": e.message, "errorCode": e.error_code}]`), then
//! for [`Matched::Count`] `{"totalSize": n, "done": true, "records": []}`,
//! and for [`Matched::Records`] pages of rows built by [`Projection::row`].
//! Rows keep `SELECT` order because this crate enables serde_json's
//! `preserve_order`.
//!
//! # The subset
//!
//! - `SELECT` fields, parent paths up to 5 levels (`Account.Owner.Email`), or
//!   `COUNT()` alone; `FROM` one object, with an optional alias.
//! - Child subqueries `(SELECT ... FROM Contacts [WHERE] [ORDER BY] [LIMIT])`
//!   through the describe's child relationships ([`DataSource::child_relationship`]),
//!   one level deep, no OFFSET or aggregates inside.
//! - `TYPEOF rel WHEN Type THEN fields ... [ELSE fields] END` on polymorphic
//!   relationships (`ELSE` takes `Name`-entity fields).
//! - Aggregates `COUNT(f) COUNT_DISTINCT(f) SUM AVG MIN MAX` with aliases
//!   (`expr0`, `expr1`, ... otherwise), `GROUP BY` fields (no ROLLUP / CUBE or
//!   date functions), `HAVING` on aggregates and grouped fields, `ORDER BY`
//!   aggregates: see [`aggregate`].
//! - Semi-joins and anti-joins `Id [NOT] IN (SELECT AccountId FROM Contact ...)`
//!   on id and reference fields (not under `OR`, not nested, no `ORDER BY` /
//!   `LIMIT` inside).
//! - `WHERE` with `= != <> < <= > >= LIKE IN NOT IN`, `AND`/`OR`/`NOT` and
//!   parentheses. As in Salesforce, mixing `AND` and `OR` needs parentheses,
//!   and `NOT` only starts a (parenthesized) condition: `a AND NOT b` is
//!   `unexpected token: NOT`, write `a AND (NOT b)`.
//! - Literals: strings with Salesforce's escapes (`\n \r \t \b \f \" \' \\ \uXXXX`,
//!   and `\% \_` in `LIKE` only), numbers, `true`/`false`, `null`, dates
//!   `2024-01-31`, dateTimes `2024-01-31T10:00:00Z` / `+01:00` / `.000+0000`,
//!   and `YESTERDAY TODAY TOMORROW LAST_N_DAYS:n NEXT_N_DAYS:n N_DAYS_AGO:n
//!   LAST_90_DAYS NEXT_90_DAYS LAST_MONTH THIS_MONTH NEXT_MONTH LAST_YEAR
//!   THIS_YEAR NEXT_YEAR`, in UTC (the fake org's user time zone).
//! - `ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...` (nulls first by default
//!   for `ASC`, last for `DESC`), `LIMIT n`, `OFFSET n` (n ≤ 2000).
//!
//! # Semantics
//!
//! - Keywords, object, field and relationship names are case-insensitive;
//!   output keys use the describe's canonical names.
//! - Comparisons follow the field's describe type: strings and picklists
//!   case-insensitively by upper case (`=`, ordering and `LIKE`), ids by their
//!   case-sensitive first 15 characters (a 15- or 18-character literal matches),
//!   numbers numerically, dates and dateTimes as instants, booleans with null
//!   meaning false. A value of the wrong type for its field is an error
//!   (`value of filter criterion for field 'X' must be of type date and should
//!   not be enclosed in quotes`), as is `LIKE` on a non-string field.
//! - Null is a value: `= null` matches nulls, `!= 'x'` and `NOT IN (...)`
//!   match nulls too, `<`/`>` never match them. A missing parent makes every
//!   field behind it null.
//! - Polymorphic relationships (`What`, `Who`, `Owner` when it targets
//!   several objects) reach the fields of Salesforce's `Name` entity
//!   (`Id Name Type Alias CommunityNickname Email FirstName IsActive LastName
//!   Phone Title Username`), read from the record actually referenced (null
//!   when that object lacks the field); output rows carry its real type.
//! - Without `ORDER BY`, rows come in the order [`DataSource::records`] yields
//!   them; ties in `ORDER BY` keep that order too.

mod aggregate;
mod ast;
mod bind;
mod error;
mod eval;
mod exec;
mod lexer;
mod literal;
mod parser;
mod polymorphic;
mod project;
mod semijoin;
mod subquery;

#[cfg(test)]
mod tests;

pub use aggregate::MAX_AGGREGATE_ROWS;
pub use ast::{
    AggregateCall, AggregateFn, Cond, FieldPath, Ident, LikeOperand, Literal, LiteralAt, Nulls,
    OrderKey, Query, Select, SelectItem, TypeOf,
};
pub use error::{
    SoqlError, EXCEEDED_ID_LIMIT, INVALID_FIELD, INVALID_QUERY_FILTER_OPERATOR, INVALID_TYPE,
    MALFORMED_QUERY, NUMBER_OUTSIDE_VALID_RANGE,
};
pub use lexer::CmpOp;
pub use literal::{quote, quote_like, DateKeyword, LikeTok};
pub use parser::{parse, MAX_OFFSET};
pub use project::Projection;
pub use subquery::{AllChildren, ChildPages, ChildRelationshipMeta};

/// What the engine needs from an org: its describes and its records.
pub trait DataSource {
    /// A stored record.
    type Record;

    /// The canonical API name of an object (case-insensitive lookup); `None` if unknown.
    fn object_name(&self, object: &str) -> Option<&str>;

    /// A field of `object` (canonical name) by name, case-insensitively: its
    /// canonical API name and describe `type` (`string`, `date`, `datetime`,
    /// `int`, `double`, `currency`, `percent`, `boolean`, `id`, `reference`,
    /// `picklist`, ...).
    fn field(&self, object: &str, field: &str) -> Option<FieldMeta>;

    /// The parent relationship of `object` (canonical name) whose
    /// `relationshipName` is `relationship_name`, case-insensitively.
    fn relationship(&self, object: &str, relationship_name: &str) -> Option<RelationshipMeta>;

    /// The child relationship of `object` (canonical name) whose
    /// `relationshipName` is `relationship_name`, case-insensitively (the
    /// describe's `childRelationships`), for subqueries. `None` (the default)
    /// when unknown.
    fn child_relationship(
        &self,
        object: &str,
        relationship_name: &str,
    ) -> Option<ChildRelationshipMeta> {
        let _ = (object, relationship_name);
        None
    }

    /// Every record of `object` (canonical name), in a stable order; deleted
    /// ones too when `include_deleted` (for `/queryAll`).
    fn records<'a>(
        &'a self,
        object: &str,
        include_deleted: bool,
    ) -> Box<dyn Iterator<Item = &'a Self::Record> + 'a>;

    /// A field value of a record by canonical API name; `None` when null or absent.
    fn value<'a>(&'a self, record: &'a Self::Record, field: &str) -> Option<&'a serde_json::Value>;

    /// A record by id (15 or 18 characters), with its object's canonical name.
    fn by_id<'a>(&'a self, id: &str) -> Option<(&'a str, &'a Self::Record)>;

    /// A record's 18-character id.
    fn id<'a>(&'a self, record: &'a Self::Record) -> &'a str;

    /// A handle for a field of `object` (canonical names) that
    /// [`DataSource::write_slot`] can write without looking the name up again.
    /// `None` (the default) makes [`Projection::write_rows`] go through
    /// [`DataSource::value`].
    fn slot(&self, object: &str, field: &str) -> Option<usize> {
        let _ = (object, field);
        None
    }

    /// Appends the JSON of the field `slot` (from [`DataSource::slot`]) of
    /// `record`, exactly as `serde_json` would write the value
    /// [`DataSource::value`] gives (`null` when absent); `false` when this
    /// source cannot, and the caller falls back to [`DataSource::value`].
    fn write_slot(&self, record: &Self::Record, slot: usize, out: &mut Vec<u8>) -> bool {
        let _ = (record, slot, out);
        false
    }
}

/// A field as the describe has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMeta {
    /// The canonical API name (`AccountId`).
    pub name: String,
    /// The describe `type` (`reference`).
    pub field_type: String,
}

/// A parent relationship as the describe has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipMeta {
    /// The canonical `relationshipName` (`Account`): the key of the nested
    /// object in output rows.
    pub name: String,
    /// The foreign-key field's canonical API name (`AccountId`).
    pub foreign_key: String,
    /// The field's `referenceTo` objects; more than one makes it polymorphic.
    pub targets: Vec<String>,
}

/// What a query matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched<'a, R> {
    /// `SELECT COUNT()`: the number of matches (at most `LIMIT`).
    Count(usize),
    /// The matched records, ordered, after `OFFSET` and `LIMIT`.
    Records(Vec<&'a R>),
}

/// Runs a parsed query against `source`: resolves names (unknown object →
/// `INVALID_TYPE`, unknown field or relationship → `INVALID_FIELD`), then
/// filters in one pass, sorts the matches and applies `OFFSET` / `LIMIT`.
/// Relative date literals use today's UTC date.
pub fn execute<'a, S: DataSource>(
    query: &Query,
    source: &'a S,
    include_deleted: bool,
) -> Result<Matched<'a, S::Record>, SoqlError> {
    execute_on(
        query,
        source,
        include_deleted,
        chrono::Utc::now().date_naive(),
    )
}

/// [`execute`] with relative date literals (`TODAY`, ...) anchored on `today`.
pub fn execute_on<'a, S: DataSource>(
    query: &Query,
    source: &'a S,
    include_deleted: bool,
    today: chrono::NaiveDate,
) -> Result<Matched<'a, S::Record>, SoqlError> {
    let mut plan = bind::plan(query, source, today)?;
    if let Some(filter) = plan.filter.as_mut() {
        semijoin::resolve(filter, source, include_deleted);
    }
    Ok(exec::run(&plan, source, include_deleted))
}

/// Runs an aggregate query ([`Query::is_aggregate`]): its `AggregateResult`
/// rows, `{"attributes": {"type": "AggregateResult"}, ...}`, after `HAVING`,
/// `ORDER BY`, `OFFSET` and `LIMIT`. More than [`MAX_AGGREGATE_ROWS`] rows is
/// `EXCEEDED_ID_LIMIT` (aggregate results have no query locator). Relative
/// date literals use today's UTC date.
pub fn aggregate<S: DataSource>(
    query: &Query,
    source: &S,
    include_deleted: bool,
) -> Result<Vec<serde_json::Value>, SoqlError> {
    aggregate_on(
        query,
        source,
        include_deleted,
        chrono::Utc::now().date_naive(),
    )
}

/// [`aggregate`] with relative date literals anchored on `today`.
pub fn aggregate_on<S: DataSource>(
    query: &Query,
    source: &S,
    include_deleted: bool,
    today: chrono::NaiveDate,
) -> Result<Vec<serde_json::Value>, SoqlError> {
    let plan = aggregate::plan(query, source, today)?;
    aggregate::run(&plan, source, include_deleted)
}

/// The output row for one matched record: `attributes {type, url}` with
/// `url` = `/services/data/v{api_version}/sobjects/{Object}/{Id}`, then the
/// selected fields in `SELECT` order, parents nested (null when absent).
/// Meant for records [`execute`] returned for this query and source; if the
/// query does not resolve against `source`, the row has only `attributes`.
/// To build many rows, make one [`Projection`] and call [`Projection::row`].
pub fn project<S: DataSource>(
    query: &Query,
    source: &S,
    record: &S::Record,
    api_version: &str,
) -> serde_json::Value {
    match Projection::new(query, source) {
        Ok(projection) => projection.row(source, record, api_version),
        Err(_) => Projection::attributes_only(query).row(source, record, api_version),
    }
}
