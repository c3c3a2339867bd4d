//! Typed queries: SOQL that rustc checks against the generated bindings.
//!
//! Every generated object has a `columns` module beside `fields`: one
//! [`Column`] per field, which carries the object it belongs to, the Rust type
//! of its value and whether it can be null. Conditions and sort keys built
//! from columns are checked by rustc:
//!
//! - a condition takes a value of the column's type (a `NaiveDate` or a
//!   [`DateLiteral`] for a date, the generated enum for a picklist, an
//!   `Id<Target>` for a reference, text for a string);
//! - `LIKE` exists only on text columns, `IS NULL` only on nillable ones;
//! - a [`Filter<O>`] goes only into a `Select` from `O`.
//!
//! A service selects exactly the fields it reads with [`projection!`](crate::projection!): a
//! struct of its own whose field types rustc checks against the columns, and
//! [`Select::project`](crate::soql::Select::project) selects only those fields.
//!
//! ```ignore
//! use acme_salesforce::{contact::columns, Contact};
//! use sfgen_runtime::query::DateLiteral;
//! use sfgen_runtime::soql::{Order, Select};
//!
//! sfgen_runtime::projection! {
//!     /// What the mailing job reads of a contact.
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Recipient from Contact {
//!         pub id: sfgen_runtime::Id<Contact> = columns::ID,
//!         pub last_name: String = columns::LAST_NAME,
//!         pub email: Option<String> = columns::EMAIL,
//!     }
//! }
//!
//! let select = Select::from::<Contact>()
//!     .filter(columns::BIRTHDATE.ge(DateLiteral::LastNDays(30)))
//!     .filter(columns::EMAIL.is_not_null())
//!     .order_by(columns::LAST_NAME, Order::Asc)
//!     .limit(100)
//!     .project::<Recipient>();
//! let recipients = client.query::<Recipient>(select); // a stream of Recipient
//! ```
//!
//! The untyped builder ([`Condition`] over `&'static str` field names) stays
//! for what the bindings do not know; it is checked by the org, not by rustc.

mod aggregate;
mod children;
pub mod name;
mod relationship;

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::de::{self, DeserializeOwned};
use serde::Deserialize;

use crate::soql::{Condition, IntoCondition, IntoGroupKey, IntoSortKey, Like, Literal};
use crate::{Id, MultiPicklist, Picklist, RecordId, SfDateTime};

pub use aggregate::{Aggregate, Having, IntoHaving, Numeric};
pub use children::{ChildPageError, ChildPages, ChildPaging, ChildRows, Children};
pub use relationship::{FieldSeed, Parent, ProjectField};

/// Marks a column whose value is never null: the record holds a `V`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotNull;

/// Marks a column whose value can be null: the record holds an `Option<V>`;
/// only these columns have [`Column::is_null`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nillable;

/// Whether a column can be null, and so what a record holds for it.
pub trait Nullability: sealed::Sealed {
    /// The value as a record holds it: `V` or `Option<V>`.
    type Read<V>;
}

impl Nullability for NotNull {
    type Read<V> = V;
}

impl Nullability for Nillable {
    type Read<V> = Option<V>;
}

/// Decodes a column's JSON value like the record's field does.
pub trait Decode<V, K: Nullability>: sealed::Sealed {
    /// Reads the value.
    fn decode<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<K::Read<V>, D::Error>;
}

/// Decodes with the value type's own `Deserialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plain;

/// Decodes a whole number that Salesforce writes as a JSON double
/// ([`number::whole`](crate::number::whole)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whole;

/// Decodes a decimal from its exact JSON text, never through `f64`
/// ([`number::exact`](crate::number::exact)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exact;

impl Decode<rust_decimal::Decimal, NotNull> for Exact {
    fn decode<'de, D: de::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<rust_decimal::Decimal, D::Error> {
        crate::number::exact::deserialize(deserializer)
    }
}

impl Decode<rust_decimal::Decimal, Nillable> for Exact {
    fn decode<'de, D: de::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<rust_decimal::Decimal>, D::Error> {
        crate::number::exact::deserialize(deserializer)
    }
}

impl<V, K: Nullability> Decode<V, K> for Plain
where
    K::Read<V>: DeserializeOwned,
{
    fn decode<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<K::Read<V>, D::Error> {
        <K::Read<V>>::deserialize(deserializer)
    }
}

impl Decode<i64, NotNull> for Whole {
    fn decode<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        crate::number::whole(deserializer)
    }
}

impl Decode<i64, Nillable> for Whole {
    fn decode<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        crate::number::whole_option(deserializer)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::NotNull {}
    impl Sealed for super::Nillable {}
    impl Sealed for super::Plain {}
    impl Sealed for super::Whole {}
    impl Sealed for super::Exact {}
}

/// What a column's type parameters stand for, held without owning any of them.
type Marker<O, V, K, D> = PhantomData<fn() -> (O, V, K, D)>;

/// One field of object `O`, with value type `V`, nullability `K` and decoder
/// `D`. Generated as `<object>::columns::<FIELD>`.
pub struct Column<O, V, K = NotNull, D = Plain> {
    name: &'static str,
    marker: Marker<O, V, K, D>,
}

impl<O, V, K, D> Column<O, V, K, D> {
    /// The column with this API name. Generated code calls it; a hand-made
    /// column is only as right as the name and types given.
    pub const fn new(name: &'static str) -> Self {
        Column {
            name,
            marker: PhantomData,
        }
    }

    /// The field's API name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<O, V, K, D> Clone for Column<O, V, K, D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O, V, K, D> Copy for Column<O, V, K, D> {}

impl<O, V, K, D> fmt::Debug for Column<O, V, K, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Column").field(&self.name).finish()
    }
}

impl<O, V, K, D> IntoSortKey<O> for Column<O, V, K, D> {
    fn sort_key(self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(self.name)
    }
}

impl<O, V, K, D> IntoGroupKey<O> for Column<O, V, K, D> {
    fn group_key(self) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(self.name)
    }
}

/// A value that a condition on a column of type `V` accepts, rendered as a
/// SOQL literal.
pub trait SoqlValue<V> {
    /// The escaped literal.
    fn literal(self) -> Literal;
}

macro_rules! same_type_values {
    ($($t:ty),* $(,)?) => {$(
        impl SoqlValue<$t> for $t {
            fn literal(self) -> Literal {
                Literal::from(self)
            }
        }
    )*};
}

same_type_values!(String, bool, i32, i64, f64, Decimal, NaiveDate, SfDateTime, RecordId);

impl SoqlValue<String> for &str {
    fn literal(self) -> Literal {
        Literal::string(self)
    }
}

impl SoqlValue<String> for &String {
    fn literal(self) -> Literal {
        Literal::string(self)
    }
}

impl SoqlValue<SfDateTime> for DateTime<Utc> {
    fn literal(self) -> Literal {
        Literal::from(self)
    }
}

impl<T> SoqlValue<Id<T>> for Id<T> {
    fn literal(self) -> Literal {
        Literal::from(self)
    }
}

impl<T> SoqlValue<Id<T>> for &Id<T> {
    fn literal(self) -> Literal {
        Literal::string(self.as_str())
    }
}

impl<T> SoqlValue<RecordId> for Id<T> {
    fn literal(self) -> Literal {
        Literal::string(self.as_str())
    }
}

impl<P: Picklist> SoqlValue<P> for P {
    fn literal(self) -> Literal {
        Literal::picklist(&self)
    }
}

impl SoqlValue<NaiveDate> for DateLiteral {
    fn literal(self) -> Literal {
        self.render()
    }
}

impl SoqlValue<SfDateTime> for DateLiteral {
    fn literal(self) -> Literal {
        self.render()
    }
}

/// Salesforce's relative date literals, for date and date-time columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateLiteral {
    /// `YESTERDAY`.
    Yesterday,
    /// `TODAY`.
    Today,
    /// `TOMORROW`.
    Tomorrow,
    /// `LAST_WEEK`.
    LastWeek,
    /// `THIS_WEEK`.
    ThisWeek,
    /// `NEXT_WEEK`.
    NextWeek,
    /// `LAST_MONTH`.
    LastMonth,
    /// `THIS_MONTH`.
    ThisMonth,
    /// `NEXT_MONTH`.
    NextMonth,
    /// `LAST_90_DAYS`.
    Last90Days,
    /// `NEXT_90_DAYS`.
    Next90Days,
    /// `THIS_QUARTER`.
    ThisQuarter,
    /// `LAST_YEAR`.
    LastYear,
    /// `THIS_YEAR`.
    ThisYear,
    /// `NEXT_YEAR`.
    NextYear,
    /// `LAST_N_DAYS:n`.
    LastNDays(u32),
    /// `NEXT_N_DAYS:n`.
    NextNDays(u32),
    /// `LAST_N_MONTHS:n`.
    LastNMonths(u32),
    /// `NEXT_N_MONTHS:n`.
    NextNMonths(u32),
    /// `LAST_N_YEARS:n`.
    LastNYears(u32),
    /// `NEXT_N_YEARS:n`.
    NextNYears(u32),
}

impl DateLiteral {
    fn render(self) -> Literal {
        let text = match self {
            DateLiteral::Yesterday => "YESTERDAY".to_owned(),
            DateLiteral::Today => "TODAY".to_owned(),
            DateLiteral::Tomorrow => "TOMORROW".to_owned(),
            DateLiteral::LastWeek => "LAST_WEEK".to_owned(),
            DateLiteral::ThisWeek => "THIS_WEEK".to_owned(),
            DateLiteral::NextWeek => "NEXT_WEEK".to_owned(),
            DateLiteral::LastMonth => "LAST_MONTH".to_owned(),
            DateLiteral::ThisMonth => "THIS_MONTH".to_owned(),
            DateLiteral::NextMonth => "NEXT_MONTH".to_owned(),
            DateLiteral::Last90Days => "LAST_90_DAYS".to_owned(),
            DateLiteral::Next90Days => "NEXT_90_DAYS".to_owned(),
            DateLiteral::ThisQuarter => "THIS_QUARTER".to_owned(),
            DateLiteral::LastYear => "LAST_YEAR".to_owned(),
            DateLiteral::ThisYear => "THIS_YEAR".to_owned(),
            DateLiteral::NextYear => "NEXT_YEAR".to_owned(),
            DateLiteral::LastNDays(n) => format!("LAST_N_DAYS:{n}"),
            DateLiteral::NextNDays(n) => format!("NEXT_N_DAYS:{n}"),
            DateLiteral::LastNMonths(n) => format!("LAST_N_MONTHS:{n}"),
            DateLiteral::NextNMonths(n) => format!("NEXT_N_MONTHS:{n}"),
            DateLiteral::LastNYears(n) => format!("LAST_N_YEARS:{n}"),
            DateLiteral::NextNYears(n) => format!("NEXT_N_YEARS:{n}"),
        };
        Literal::date_literal(&text).unwrap_or_else(Literal::null)
    }
}

/// A condition on object `O`'s columns; goes into a `Select` from `O`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter<O> {
    condition: Condition,
    object: PhantomData<fn() -> O>,
}

impl<O> Filter<O> {
    fn new(text: String) -> Self {
        Filter {
            condition: Condition::rendered(text),
            object: PhantomData,
        }
    }

    /// `(self AND other)`.
    pub fn and(self, other: Filter<O>) -> Self {
        Filter {
            condition: self.condition.and(other.condition),
            object: PhantomData,
        }
    }

    /// `(self OR other)`.
    pub fn or(self, other: Filter<O>) -> Self {
        Filter {
            condition: self.condition.or(other.condition),
            object: PhantomData,
        }
    }

    /// `(NOT self)`.
    pub fn negate(self) -> Self {
        Filter {
            condition: self.condition.negate(),
            object: PhantomData,
        }
    }

    /// The rendered condition.
    pub fn as_str(&self) -> &str {
        self.condition.as_str()
    }
}

impl<O> IntoCondition<O> for Filter<O> {
    fn into_condition(self) -> Condition {
        self.condition
    }
}

impl<O, V, K, D> Column<O, V, K, D> {
    fn compare(self, op: &str, value: impl SoqlValue<V>) -> Filter<O> {
        Filter::new(format!(
            "{} {op} {}",
            self.name,
            value.literal().into_text()
        ))
    }

    fn list<L: SoqlValue<V>>(self, op: &str, values: impl IntoIterator<Item = L>) -> Filter<O> {
        let values: Vec<String> = values
            .into_iter()
            .map(|v| v.literal().into_text())
            .collect();
        Filter::new(format!("{} {op} ({})", self.name, values.join(", ")))
    }

    /// `field = value`.
    pub fn eq(self, value: impl SoqlValue<V>) -> Filter<O> {
        self.compare("=", value)
    }

    /// `field != value`.
    pub fn ne(self, value: impl SoqlValue<V>) -> Filter<O> {
        self.compare("!=", value)
    }

    /// `field < value`.
    pub fn lt(self, value: impl SoqlValue<V>) -> Filter<O> {
        self.compare("<", value)
    }

    /// `field <= value`.
    pub fn le(self, value: impl SoqlValue<V>) -> Filter<O> {
        self.compare("<=", value)
    }

    /// `field > value`.
    pub fn gt(self, value: impl SoqlValue<V>) -> Filter<O> {
        self.compare(">", value)
    }

    /// `field >= value`.
    pub fn ge(self, value: impl SoqlValue<V>) -> Filter<O> {
        self.compare(">=", value)
    }

    /// `field IN (values)`.
    pub fn is_in<L: SoqlValue<V>>(self, values: impl IntoIterator<Item = L>) -> Filter<O> {
        self.list("IN", values)
    }

    /// `field NOT IN (values)`.
    pub fn not_in<L: SoqlValue<V>>(self, values: impl IntoIterator<Item = L>) -> Filter<O> {
        self.list("NOT IN", values)
    }
}

impl<O, V, D> Column<O, V, Nillable, D> {
    /// `field = null`: only on nillable columns.
    pub fn is_null(self) -> Filter<O> {
        Filter::new(format!("{} = null", self.name))
    }

    /// `field != null`: only on nillable columns.
    pub fn is_not_null(self) -> Filter<O> {
        Filter::new(format!("{} != null", self.name))
    }
}

impl<O, K, D> Column<O, String, K, D> {
    /// `field LIKE pattern`: only on text columns.
    pub fn like(self, pattern: Like) -> Filter<O> {
        Filter::new(format!("{} LIKE {}", self.name, pattern.text()))
    }
}

impl<O, P: Picklist, K, D> Column<O, MultiPicklist<P>, K, D> {
    /// `field INCLUDES ('a;b', 'c')`: records whose selection holds all of
    /// one of the groups.
    pub fn includes<G: IntoIterator<Item = P>>(
        self,
        groups: impl IntoIterator<Item = G>,
    ) -> Filter<O> {
        self.set_test("INCLUDES", groups)
    }

    /// `field EXCLUDES ('a;b', 'c')`.
    pub fn excludes<G: IntoIterator<Item = P>>(
        self,
        groups: impl IntoIterator<Item = G>,
    ) -> Filter<O> {
        self.set_test("EXCLUDES", groups)
    }

    fn set_test<G: IntoIterator<Item = P>>(
        self,
        op: &str,
        groups: impl IntoIterator<Item = G>,
    ) -> Filter<O> {
        let groups: Vec<String> = groups
            .into_iter()
            .map(|g| {
                let values: Vec<String> = g.into_iter().map(|p| p.as_str().to_owned()).collect();
                Literal::string(&values.join(";")).into_text()
            })
            .collect();
        Filter::new(format!("{} {op} ({})", self.name, groups.join(", ")))
    }
}

/// A row type that selects some of an object's fields: made by [`projection!`](crate::projection!).
pub trait Projection: DeserializeOwned {
    /// The object the fields belong to (a generated record, or
    /// [`name::Name`] behind a polymorphic relationship).
    type Object;
    /// The field paths the row reads, in order.
    fn fields() -> Vec<String>;
    /// The row's child lists ([`ChildRows`]), for `Client::query` to fetch
    /// their further pages.
    fn child_lists(&mut self) -> Vec<&mut dyn ChildPages> {
        Vec::new()
    }
}

/// Declares a projection: a struct of the fields a service reads from one
/// object, each tied to its generated column. rustc checks that every column
/// is the object's and that every field's type is the column's (with `Option`
/// exactly when the column is nillable); the struct decodes from a query that
/// selects those fields ([`Select::project`](crate::soql::Select::project)).
///
/// ```ignore
/// sfgen_runtime::projection! {
///     /// A contact as the mailing job reads it.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Recipient from Contact {
///         pub last_name: String = contact::columns::LAST_NAME,
///         pub email: Option<String> = contact::columns::EMAIL,
///     }
/// }
/// ```
#[macro_export]
macro_rules! projection {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident from $object:ty {
            $( $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty = $column:expr ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$fmeta])* $fvis $field: $ty, )+
        }

        impl $crate::query::Projection for $name {
            type Object = $object;

            fn fields() -> ::std::vec::Vec<::std::string::String> {
                let mut fields = ::std::vec::Vec::new();
                $(
                    fields.extend($crate::query::ProjectField::<$object, $ty>::select(&$column));
                )+
                fields
            }

            fn child_lists(&mut self) -> ::std::vec::Vec<&mut dyn $crate::query::ChildPages> {
                let mut lists = ::std::vec::Vec::new();
                $(
                    $crate::query::ProjectField::<$object, $ty>::child_lists(
                        &$column,
                        &mut self.$field,
                        &mut lists,
                    );
                )+
                lists
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                struct Visitor;
                impl<'de> $crate::__private::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("a ", ::core::stringify!($name), " row"))
                    }

                    fn visit_map<A>(self, mut map: A) -> ::core::result::Result<$name, A::Error>
                    where
                        A: $crate::__private::serde::de::MapAccess<'de>,
                    {
                        $( let mut $field: ::core::option::Option<$ty> = ::core::option::Option::None; )+
                        while let ::core::option::Option::Some(key) =
                            map.next_key::<$crate::__private::Key<'de>>()?
                        {
                            let key = key.as_str();
                            $(
                                if key == $crate::query::ProjectField::<$object, $ty>::key(&$column) {
                                    $field = ::core::option::Option::Some(map.next_value_seed(
                                        $crate::query::FieldSeed::<_, $object, $ty>::new(&$column),
                                    )?);
                                    continue;
                                }
                            )+
                            map.next_value::<$crate::__private::serde::de::IgnoredAny>()?;
                        }
                        ::core::result::Result::Ok($name {
                            $(
                                $field: $field.ok_or_else(|| {
                                    <A::Error as $crate::__private::serde::de::Error>::missing_field(
                                    $crate::query::ProjectField::<$object, $ty>::key(&$column),
                                )
                                })?,
                            )+
                        })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    };
}
