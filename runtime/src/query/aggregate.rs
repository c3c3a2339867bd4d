//! Aggregates in projections: `COUNT(field)`, `COUNT_DISTINCT`, `SUM`, `AVG`,
//! `MIN`, `MAX` over a typed column, each under an alias, into a typed row.
//!
//! An aggregate query returns `AggregateResult` rows: the grouped columns
//! under their field names and every aggregate under its alias. A projection
//! reads both, so its row type is checked like any other:
//!
//! ```ignore
//! use acme_salesforce::{opportunity::columns, Opportunity, picklists::OpportunityStage};
//! use rust_decimal::Decimal;
//! use sfgen_runtime::soql::{Order, Select};
//!
//! sfgen_runtime::projection! {
//!     pub struct ByStage from Opportunity {
//!         pub stage: OpportunityStage = columns::STAGE_NAME,
//!         pub deals: i64 = columns::ID.count("deals"),
//!         pub total: Option<Decimal> = columns::AMOUNT.sum("total"),
//!     }
//! }
//!
//! let select = Select::from::<Opportunity>()
//!     .group_by(columns::STAGE_NAME)
//!     .having(columns::AMOUNT.sum("total").gt(Decimal::new(1_000_000, 0)))
//!     .order_by(columns::AMOUNT.sum("total"), Order::Desc)
//!     .project::<ByStage>();
//! ```
//!
//! `COUNT`/`COUNT_DISTINCT` are whole numbers; `SUM`, `MIN`, `MAX` have the
//! column's type and `AVG` a number (a decimal for a decimal column), each an
//! `Option` because a group whose values are all null has none. `SUM` and
//! `AVG` exist only on numeric columns. `SELECT COUNT()` (a bare record
//! count) is `Client::count`.

use std::fmt;
use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::de;

use super::{Column, Decode, Filter, Marker, Nillable, NotNull, Nullability, Plain, SoqlValue};
use super::{Exact, ProjectField, Whole};
use crate::soql::{Condition, IntoSortKey};

/// An aggregate function of SOQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Function {
    Count,
    CountDistinct,
    Sum,
    Avg,
    Min,
    Max,
}

impl Function {
    fn as_str(self) -> &'static str {
        match self {
            Function::Count => "COUNT",
            Function::CountDistinct => "COUNT_DISTINCT",
            Function::Sum => "SUM",
            Function::Avg => "AVG",
            Function::Min => "MIN",
            Function::Max => "MAX",
        }
    }
}

/// An aggregate over a column of object `O`, read as `V` (nullability `K`,
/// decoder `D`), under an alias. Made by the column's [`Column::count`],
/// [`Column::sum`], … methods.
pub struct Aggregate<O, V, K = Nillable, D = Plain> {
    function: Function,
    field: &'static str,
    alias: &'static str,
    marker: Marker<O, V, K, D>,
}

impl<O, V, K, D> Aggregate<O, V, K, D> {
    const fn new(function: Function, field: &'static str, alias: &'static str) -> Self {
        Aggregate {
            function,
            field,
            alias,
            marker: PhantomData,
        }
    }

    /// The expression, without its alias: `SUM(Amount)`.
    pub fn expression(&self) -> String {
        format!("{}({})", self.function.as_str(), self.field)
    }

    /// The alias: the key of its value in a row.
    pub const fn alias(&self) -> &'static str {
        self.alias
    }

    fn compare(&self, op: &str, value: impl SoqlValue<V>) -> Having<O> {
        Having::new(format!(
            "{} {op} {}",
            self.expression(),
            value.literal().into_text()
        ))
    }

    /// `HAVING aggregate = value`.
    pub fn eq(&self, value: impl SoqlValue<V>) -> Having<O> {
        self.compare("=", value)
    }

    /// `HAVING aggregate != value`.
    pub fn ne(&self, value: impl SoqlValue<V>) -> Having<O> {
        self.compare("!=", value)
    }

    /// `HAVING aggregate < value`.
    pub fn lt(&self, value: impl SoqlValue<V>) -> Having<O> {
        self.compare("<", value)
    }

    /// `HAVING aggregate <= value`.
    pub fn le(&self, value: impl SoqlValue<V>) -> Having<O> {
        self.compare("<=", value)
    }

    /// `HAVING aggregate > value`.
    pub fn gt(&self, value: impl SoqlValue<V>) -> Having<O> {
        self.compare(">", value)
    }

    /// `HAVING aggregate >= value`.
    pub fn ge(&self, value: impl SoqlValue<V>) -> Having<O> {
        self.compare(">=", value)
    }
}

impl<O, V, K, D> Clone for Aggregate<O, V, K, D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O, V, K, D> Copy for Aggregate<O, V, K, D> {}

impl<O, V, K, D> fmt::Debug for Aggregate<O, V, K, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Aggregate({} {})", self.expression(), self.alias)
    }
}

impl<O, V, K, D> IntoSortKey<O> for Aggregate<O, V, K, D> {
    fn sort_key(self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Owned(self.expression())
    }
}

impl<O, V, K: Nullability, D: Decode<V, K>> ProjectField<O, K::Read<V>> for Aggregate<O, V, K, D> {
    fn select(&self) -> Vec<String> {
        vec![format!("{} {}", self.expression(), self.alias)]
    }

    fn key(&self) -> &'static str {
        self.alias
    }

    fn decode<'de, De: de::Deserializer<'de>>(
        &self,
        deserializer: De,
    ) -> Result<K::Read<V>, De::Error> {
        D::decode(deserializer)
    }
}

impl<O, V, K, D> Column<O, V, K, D> {
    /// `COUNT(field) alias`: how many records of the group have a value.
    pub const fn count(self, alias: &'static str) -> Aggregate<O, i64, NotNull, Whole> {
        Aggregate::new(Function::Count, self.name(), alias)
    }

    /// `COUNT_DISTINCT(field) alias`: how many distinct values the group has.
    pub const fn count_distinct(self, alias: &'static str) -> Aggregate<O, i64, NotNull, Whole> {
        Aggregate::new(Function::CountDistinct, self.name(), alias)
    }

    /// `MIN(field) alias`, of the column's type.
    pub const fn min(self, alias: &'static str) -> Aggregate<O, V, Nillable, D> {
        Aggregate::new(Function::Min, self.name(), alias)
    }

    /// `MAX(field) alias`, of the column's type.
    pub const fn max(self, alias: &'static str) -> Aggregate<O, V, Nillable, D> {
        Aggregate::new(Function::Max, self.name(), alias)
    }
}

impl<O, V, K, D> Column<O, V, K, D> {
    /// `SUM(field) alias`, of the column's type (exact for a decimal).
    pub const fn sum(self, alias: &'static str) -> Aggregate<O, V, Nillable, D>
    where
        V: Numeric,
    {
        Aggregate::new(Function::Sum, self.name(), alias)
    }

    /// `AVG(field) alias`: a number (a decimal for a decimal column).
    pub const fn avg(self, alias: &'static str) -> Aggregate<O, V::Mean, Nillable, V::MeanDecode>
    where
        V: Numeric,
    {
        Aggregate::new(Function::Avg, self.name(), alias)
    }
}

/// The value type of a column that `SUM` and `AVG` take.
#[diagnostic::on_unimplemented(
    message = "`SUM` and `AVG` take a numeric column, and `{Self}` is not a number",
    label = "not a numeric column",
    note = "numeric columns hold `i64`, `f64` or `Decimal`; `COUNT`, `MIN` and `MAX` take any column"
)]
pub trait Numeric: sealed::Sealed {
    /// What `AVG` of it is.
    type Mean;
    /// How that mean decodes.
    type MeanDecode;
}

impl Numeric for i64 {
    type Mean = f64;
    type MeanDecode = Plain;
}

impl Numeric for f64 {
    type Mean = f64;
    type MeanDecode = Plain;
}

impl Numeric for Decimal {
    type Mean = Decimal;
    type MeanDecode = Exact;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for i64 {}
    impl Sealed for f64 {}
    impl Sealed for rust_decimal::Decimal {}
}

/// A `HAVING` condition on object `O`'s aggregates; goes into a `Select`
/// from `O` ([`Select::having`](crate::soql::Select::having)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Having<O> {
    condition: Condition,
    object: PhantomData<fn() -> O>,
}

impl<O> Having<O> {
    fn new(text: String) -> Self {
        Having {
            condition: Condition::rendered(text),
            object: PhantomData,
        }
    }

    /// `(self AND other)`.
    pub fn and(self, other: Having<O>) -> Self {
        Having {
            condition: self.condition.and(other.condition),
            object: PhantomData,
        }
    }

    /// `(self OR other)`.
    pub fn or(self, other: Having<O>) -> Self {
        Having {
            condition: self.condition.or(other.condition),
            object: PhantomData,
        }
    }

    /// The rendered condition.
    pub fn as_str(&self) -> &str {
        self.condition.as_str()
    }
}

impl<O> From<Filter<O>> for Having<O> {
    /// A condition on grouped columns (`HAVING Industry != null`).
    fn from(filter: Filter<O>) -> Self {
        Having {
            condition: crate::soql::IntoCondition::<O>::into_condition(filter),
            object: PhantomData,
        }
    }
}

/// A condition a `Select<O, _>`'s `HAVING` accepts: a typed [`Having<O>`],
/// or an untyped [`Condition`] (any object).
pub trait IntoHaving<O> {
    /// The rendered condition.
    fn into_having(self) -> Condition;
}

impl<O> IntoHaving<O> for Having<O> {
    fn into_having(self) -> Condition {
        self.condition
    }
}

impl<O> IntoHaving<O> for Condition {
    fn into_having(self) -> Condition {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Deal;

    const AMOUNT: Column<Deal, Decimal, Nillable, Exact> = Column::new("Amount");
    const STAGE: Column<Deal, String> = Column::new("StageName");
    const EMPLOYEES: Column<Deal, i64, Nillable, Whole> = Column::new("Employees__c");

    #[test]
    fn aggregates_render_with_their_alias() {
        assert_eq!(
            ProjectField::<Deal, Option<Decimal>>::select(&AMOUNT.sum("total")),
            ["SUM(Amount) total"]
        );
        assert_eq!(
            ProjectField::<Deal, i64>::select(&STAGE.count_distinct("stages")),
            ["COUNT_DISTINCT(StageName) stages"]
        );
        assert_eq!(
            ProjectField::<Deal, Option<f64>>::key(&EMPLOYEES.avg("size")),
            "size"
        );
        assert_eq!(
            AMOUNT
                .max("top")
                .gt(Decimal::new(5, 0))
                .or(STAGE.count("n").le(3i64))
                .as_str(),
            "(MAX(Amount) > 5 OR COUNT(StageName) <= 3)"
        );
        assert_eq!(AMOUNT.sum("total").sort_key(), "SUM(Amount)");
    }
}
