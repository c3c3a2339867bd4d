//! SOQL: a query text type and a builder over the generated field constants whose
//! literals are escaped per Salesforce's rules.
//!
//! ```
//! # use sfgen_runtime::soql::{Condition, Like, Order, Select};
//! # use sfgen_runtime::SObject;
//! # #[derive(serde::Deserialize)] struct Account;
//! # impl SObject for Account {
//! #     const API_NAME: &'static str = "Account";
//! #     const KEY_PREFIX: Option<&'static str> = Some("001");
//! #     const FIELDS: &'static [&'static str] = &["Id", "Name", "Industry"];
//! # }
//! let soql = Select::from::<Account>()
//!     .filter(Condition::like("Name", Like::starts_with("O'Brien 100%")))
//!     .filter(Condition::is_in("Industry", ["Energy", "Media"]))
//!     .order_by("Name", Order::Asc)
//!     .limit(50)
//!     .build();
//! assert_eq!(
//!     soql.as_str(),
//!     r"SELECT Id, Name, Industry FROM Account WHERE (Name LIKE 'O\'Brien 100\%%' AND Industry IN ('Energy', 'Media')) ORDER BY Name ASC LIMIT 50"
//! );
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;

use crate::query::{ChildPaging, IntoHaving, Projection};
use crate::{Id, Picklist, RecordId, SObject, SfDateTime};

/// A SOQL query.
///
/// Queries built with [`Select::from`] remember the object whose generated
/// field list they select, so that an `INVALID_FIELD` answer can be reported as
/// schema drift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soql {
    text: String,
    generated_for: Option<&'static str>,
    generated: Option<Generated>,
}

/// What a query built from generated bindings selects from them: an
/// `INVALID_FIELD` on one of these fields is schema drift; on any other field
/// (a hand-written condition) it is the caller's mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Generated {
    /// The generated fields the query selects.
    pub(crate) fields: Vec<String>,
    /// The command that regenerates the bindings ([`SObject::REGENERATE`]).
    pub(crate) regenerate: &'static str,
}

impl Soql {
    /// A query from its text.
    pub fn new(text: impl Into<String>) -> Self {
        Soql {
            text: text.into(),
            generated_for: None,
            generated: None,
        }
    }

    /// The query text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The object whose generated field list the query selects, if built from one.
    pub fn generated_for(&self) -> Option<&'static str> {
        self.generated_for
    }

    /// The generated fields it selects and how to regenerate them, if built from them.
    #[cfg(feature = "client")]
    pub(crate) fn generated(&self) -> Option<&Generated> {
        self.generated.as_ref()
    }
}

impl fmt::Display for Soql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<String> for Soql {
    fn from(text: String) -> Self {
        Soql::new(text)
    }
}

impl From<&str> for Soql {
    fn from(text: &str) -> Self {
        Soql::new(text)
    }
}

impl<O, R> From<&Select<O, R>> for Soql {
    fn from(select: &Select<O, R>) -> Self {
        select.build()
    }
}

impl<O, R> From<Select<O, R>> for Soql {
    fn from(select: Select<O, R>) -> Self {
        select.build()
    }
}

/// Escapes text for the inside of a SOQL string literal: backslash first, then
/// `'`, `"`, newline, carriage return, tab, backspace and form feed.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// Like [`escape`], and also `%` and `_`, for text that must match literally
/// inside a `LIKE` pattern.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '%' => out.push_str("\\%"),
            '_' => out.push_str("\\_"),
            c => push_escaped(&mut out, c),
        }
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\'' => out.push_str("\\'"),
        '"' => out.push_str("\\\""),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        c => out.push(c),
    }
}

/// A SOQL literal, rendered and escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal(String);

impl Literal {
    /// The rendered literal, taken out (the typed builder's way in).
    pub(crate) fn into_text(self) -> String {
        self.0
    }

    /// A quoted, escaped string.
    pub fn string(text: &str) -> Self {
        Literal(format!("'{}'", escape(text)))
    }

    /// `null`.
    pub fn null() -> Self {
        Literal("null".into())
    }

    /// A picklist value (its API value, quoted).
    pub fn picklist<P: Picklist>(value: &P) -> Self {
        Literal::string(value.as_str())
    }

    /// A date literal such as `TODAY` or `LAST_N_DAYS:30`; `None` unless it is
    /// only capital letters, digits, `_` and `:`.
    pub fn date_literal(name: &str) -> Option<Self> {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b':');
        valid.then(|| Literal(name.to_owned()))
    }

    /// The rendered literal.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Literal {
    fn from(text: &str) -> Self {
        Literal::string(text)
    }
}

impl From<String> for Literal {
    fn from(text: String) -> Self {
        Literal::string(&text)
    }
}

impl From<&String> for Literal {
    fn from(text: &String) -> Self {
        Literal::string(text)
    }
}

impl From<bool> for Literal {
    fn from(value: bool) -> Self {
        Literal(value.to_string())
    }
}

macro_rules! integer_literals {
    ($($t:ty),*) => {$(
        impl From<$t> for Literal {
            fn from(value: $t) -> Self {
                Literal(value.to_string())
            }
        }
    )*};
}
integer_literals!(i8, i16, i32, i64, u8, u16, u32, u64);

impl From<f64> for Literal {
    /// A finite number as Rust writes it (no exponent); `null` for NaN and
    /// infinities, which no Salesforce field holds.
    fn from(value: f64) -> Self {
        if value.is_finite() {
            Literal(value.to_string())
        } else {
            Literal::null()
        }
    }
}

impl From<Decimal> for Literal {
    fn from(value: Decimal) -> Self {
        Literal(value.normalize().to_string())
    }
}

impl From<NaiveDate> for Literal {
    fn from(value: NaiveDate) -> Self {
        Literal(value.format("%Y-%m-%d").to_string())
    }
}

impl From<DateTime<Utc>> for Literal {
    fn from(value: DateTime<Utc>) -> Self {
        Literal(value.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
}

impl From<SfDateTime> for Literal {
    fn from(value: SfDateTime) -> Self {
        value.0.into()
    }
}

impl From<RecordId> for Literal {
    fn from(id: RecordId) -> Self {
        Literal::string(id.as_str())
    }
}

impl<T> From<Id<T>> for Literal {
    fn from(id: Id<T>) -> Self {
        Literal::string(id.as_str())
    }
}

impl<T: Into<Literal>> From<Option<T>> for Literal {
    fn from(value: Option<T>) -> Self {
        value.map_or_else(Literal::null, Into::into)
    }
}

/// A `LIKE` pattern: literal text escaped (`%` and `_` included) around the
/// wildcards the constructor adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Like(String);

impl Like {
    /// The rendered pattern literal.
    pub(crate) fn text(&self) -> &str {
        &self.0
    }

    /// Values containing `text`.
    pub fn contains(text: &str) -> Self {
        Like(format!("'%{}%'", escape_like(text)))
    }

    /// Values starting with `text`.
    pub fn starts_with(text: &str) -> Self {
        Like(format!("'{}%'", escape_like(text)))
    }

    /// Values ending with `text`.
    pub fn ends_with(text: &str) -> Self {
        Like(format!("'%{}'", escape_like(text)))
    }

    /// Values equal to `text` (case-insensitively, as `LIKE` compares).
    pub fn exactly(text: &str) -> Self {
        Like(format!("'{}'", escape_like(text)))
    }

    /// A pattern whose `%` and `_` are wildcards; quotes and backslashes are still escaped.
    pub fn pattern(pattern: &str) -> Self {
        Like(format!("'{}'", escape(pattern)))
    }
}

/// A `WHERE` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition(String);

impl Condition {
    /// A condition from rendered text (the typed builder's way in).
    pub(crate) fn rendered(text: String) -> Self {
        Condition(text)
    }

    fn compare(field: &'static str, op: &str, value: impl Into<Literal>) -> Self {
        Condition(format!("{field} {op} {}", value.into().0))
    }

    /// `field = value`.
    pub fn eq(field: &'static str, value: impl Into<Literal>) -> Self {
        Self::compare(field, "=", value)
    }

    /// `field != value`.
    pub fn ne(field: &'static str, value: impl Into<Literal>) -> Self {
        Self::compare(field, "!=", value)
    }

    /// `field < value`.
    pub fn lt(field: &'static str, value: impl Into<Literal>) -> Self {
        Self::compare(field, "<", value)
    }

    /// `field <= value`.
    pub fn le(field: &'static str, value: impl Into<Literal>) -> Self {
        Self::compare(field, "<=", value)
    }

    /// `field > value`.
    pub fn gt(field: &'static str, value: impl Into<Literal>) -> Self {
        Self::compare(field, ">", value)
    }

    /// `field >= value`.
    pub fn ge(field: &'static str, value: impl Into<Literal>) -> Self {
        Self::compare(field, ">=", value)
    }

    /// `field = null`.
    pub fn is_null(field: &'static str) -> Self {
        Self::compare(field, "=", Literal::null())
    }

    /// `field != null`.
    pub fn is_not_null(field: &'static str) -> Self {
        Self::compare(field, "!=", Literal::null())
    }

    /// `field LIKE pattern`.
    pub fn like(field: &'static str, pattern: Like) -> Self {
        Condition(format!("{field} LIKE {}", pattern.0))
    }

    fn list<L: Into<Literal>>(
        field: &'static str,
        op: &str,
        values: impl IntoIterator<Item = L>,
    ) -> Self {
        let values: Vec<String> = values.into_iter().map(|v| v.into().0).collect();
        Condition(format!("{field} {op} ({})", values.join(", ")))
    }

    /// `field IN (values)`.
    pub fn is_in<L: Into<Literal>>(
        field: &'static str,
        values: impl IntoIterator<Item = L>,
    ) -> Self {
        Self::list(field, "IN", values)
    }

    /// `field NOT IN (values)`.
    pub fn not_in<L: Into<Literal>>(
        field: &'static str,
        values: impl IntoIterator<Item = L>,
    ) -> Self {
        Self::list(field, "NOT IN", values)
    }

    /// `(self AND other)`.
    pub fn and(self, other: Condition) -> Self {
        Condition(format!("({} AND {})", self.0, other.0))
    }

    /// `(self OR other)`.
    pub fn or(self, other: Condition) -> Self {
        Condition(format!("({} OR {})", self.0, other.0))
    }

    /// `(NOT self)`.
    pub fn negate(self) -> Self {
        Condition(format!("(NOT {})", self.0))
    }

    /// The rendered condition.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `ASC`.
    Asc,
    /// `DESC`.
    Desc,
}

/// A `SELECT`: over an object's generated fields ([`Select::from`]), a
/// projection of them ([`Select::project`]), or, untyped, over field names
/// (`Select::object`, [`Select::fields`]).
///
/// `O` is the object selected from and `R` the row the query decodes into;
/// `Client::query` takes only a `Select` whose row is
/// the type asked for, so `query::<Contact>(Select::from::<Account>())` does
/// not compile. An untyped `Select` ([`Untyped`]) decodes into whatever the
/// caller asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Select<O = Untyped, R = O> {
    object: &'static str,
    fields: Vec<Cow<'static, str>>,
    generated_for: Option<&'static str>,
    regenerate: &'static str,
    filter: Option<Condition>,
    group: Vec<Cow<'static, str>>,
    having: Option<Condition>,
    order: Vec<(Cow<'static, str>, Order)>,
    limit: Option<u64>,
    offset: Option<u64>,
    children: Option<ChildPaging<R>>,
    rows: PhantomData<fn() -> (O, R)>,
}

/// The object and row of a [`Select`] built from names, not from generated types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Untyped;

/// What `Client::query` and its variants accept for
/// rows of type `R`: query text (untyped, any `R`), an untyped [`Select`], or a
/// typed `Select` whose row is `R`.
pub trait IntoQuery<R> {
    /// The query.
    fn into_soql(self) -> Soql;
    /// How a row hands out its child lists, for a projection with child
    /// relationships whose further pages the client fetches.
    fn child_paging(&self) -> Option<ChildPaging<R>> {
        None
    }
}

impl<R> IntoQuery<R> for Soql {
    fn into_soql(self) -> Soql {
        self
    }
}

impl<R> IntoQuery<R> for &str {
    fn into_soql(self) -> Soql {
        Soql::new(self)
    }
}

impl<R> IntoQuery<R> for String {
    fn into_soql(self) -> Soql {
        Soql::new(self)
    }
}

impl<R> IntoQuery<R> for Select {
    fn into_soql(self) -> Soql {
        self.build()
    }
}

impl<R> IntoQuery<R> for &Select {
    fn into_soql(self) -> Soql {
        self.build()
    }
}

impl<O: SObject, R> IntoQuery<R> for Select<O, R> {
    fn into_soql(self) -> Soql {
        self.build()
    }

    fn child_paging(&self) -> Option<ChildPaging<R>> {
        self.children
    }
}

impl<O: SObject, R> IntoQuery<R> for &Select<O, R> {
    fn into_soql(self) -> Soql {
        self.build()
    }

    fn child_paging(&self) -> Option<ChildPaging<R>> {
        self.children
    }
}

/// A condition a `Select<O, _>` accepts: a typed [`Filter<O>`](crate::query::Filter)
/// on `O`'s columns, or an untyped [`Condition`] (any object).
pub trait IntoCondition<O> {
    /// The rendered condition.
    fn into_condition(self) -> Condition;
}

impl<O> IntoCondition<O> for Condition {
    fn into_condition(self) -> Condition {
        self
    }
}

/// A sort key a `Select<O, _>` accepts: a typed column of `O`, or an untyped
/// field name (any object).
pub trait IntoSortKey<O> {
    /// The field path to sort by.
    fn sort_key(self) -> Cow<'static, str>;
}

impl<O> IntoSortKey<O> for &'static str {
    fn sort_key(self) -> Cow<'static, str> {
        Cow::Borrowed(self)
    }
}

/// A `GROUP BY` key a `Select<O, _>` accepts: a typed column of `O`, or an
/// untyped field path (any object).
pub trait IntoGroupKey<O> {
    /// The field path to group by.
    fn group_key(self) -> Cow<'static, str>;
}

impl<O> IntoGroupKey<O> for &'static str {
    fn group_key(self) -> Cow<'static, str> {
        Cow::Borrowed(self)
    }
}

impl<T: SObject> Select<T, T> {
    /// Selects exactly the fields of the projection `P` (see
    /// [`projection!`](crate::projection!)), decoded as `P`.
    pub fn project<P: Projection<Object = T>>(self) -> Select<T, P> {
        Select {
            object: self.object,
            fields: P::fields().into_iter().map(Cow::Owned).collect(),
            generated_for: self.generated_for,
            regenerate: self.regenerate,
            filter: self.filter,
            group: self.group,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            children: Some(ChildPaging(P::child_lists)),
            rows: PhantomData,
        }
    }
}

impl Select {
    /// Every generated field of `T` ([`SObject::FIELDS`]) from `T`, decoded as `T`.
    pub fn from<T: SObject>() -> Select<T, T> {
        Select {
            object: T::API_NAME,
            fields: T::FIELDS.iter().map(|f| Cow::Borrowed(*f)).collect(),
            generated_for: Some(T::API_NAME),
            regenerate: T::REGENERATE,
            filter: None,
            group: Vec::new(),
            having: None,
            order: Vec::new(),
            limit: None,
            offset: None,
            children: None,
            rows: PhantomData,
        }
    }

    /// Selects from an object by API name; add fields with [`Select::fields`].
    pub fn object(object: &'static str) -> Self {
        Select {
            object,
            fields: Vec::new(),
            generated_for: None,
            regenerate: "",
            filter: None,
            group: Vec::new(),
            having: None,
            order: Vec::new(),
            limit: None,
            offset: None,
            children: None,
            rows: PhantomData,
        }
    }

    /// Selects exactly these fields.
    pub fn fields(mut self, fields: &[&'static str]) -> Self {
        self.fields = fields.iter().map(|f| Cow::Borrowed(*f)).collect();
        self
    }
}

impl<O, R> Select<O, R> {
    /// Adds a condition; several are joined with `AND`.
    pub fn filter(mut self, condition: impl IntoCondition<O>) -> Self {
        let condition = condition.into_condition();
        self.filter = Some(match self.filter.take() {
            Some(existing) => existing.and(condition),
            None => condition,
        });
        self
    }

    /// Adds a `GROUP BY` key. The rows of a grouped query are its groups:
    /// project them with the grouped columns and aggregates
    /// ([`Column::count`](crate::query::Column::count), `sum`, …).
    pub fn group_by(mut self, field: impl IntoGroupKey<O>) -> Self {
        self.group.push(field.group_key());
        self
    }

    /// Adds a `HAVING` condition on the groups; several are joined with `AND`.
    pub fn having(mut self, condition: impl IntoHaving<O>) -> Self {
        let condition = condition.into_having();
        self.having = Some(match self.having.take() {
            Some(existing) => existing.and(condition),
            None => condition,
        });
        self
    }

    /// `SELECT COUNT() FROM … WHERE …` (with this `LIMIT`): the query
    /// `Client::count` sends.
    pub fn count(&self) -> Soql {
        let mut text = format!("SELECT COUNT() FROM {}", self.object);
        if let Some(filter) = &self.filter {
            text.push_str(&format!(" WHERE {}", filter.0));
        }
        if let Some(n) = self.limit {
            text.push_str(&format!(" LIMIT {n}"));
        }
        Soql {
            text,
            generated_for: self.generated_for,
            generated: None,
        }
    }

    /// Adds a sort key.
    pub fn order_by(mut self, field: impl IntoSortKey<O>, order: Order) -> Self {
        self.order.push((field.sort_key(), order));
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: u64) -> Self {
        self.offset = Some(n);
        self
    }

    /// The query.
    pub fn build(&self) -> Soql {
        Soql {
            text: self.to_string(),
            generated_for: self.generated_for,
            generated: self.generated_for.map(|_| Generated {
                fields: self.fields.iter().map(|f| f.to_string()).collect(),
                regenerate: self.regenerate,
            }),
        }
    }
}

impl<O, R> fmt::Display for Select<O, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields = if self.fields.is_empty() {
            "Id".to_owned()
        } else {
            self.fields.join(", ")
        };
        write!(f, "SELECT {fields} FROM {}", self.object)?;
        if let Some(filter) = &self.filter {
            write!(f, " WHERE {}", filter.0)?;
        }
        if !self.group.is_empty() {
            write!(f, " GROUP BY {}", self.group.join(", "))?;
        }
        if let Some(having) = &self.having {
            write!(f, " HAVING {}", having.0)?;
        }
        if !self.order.is_empty() {
            let keys: Vec<String> = self
                .order
                .iter()
                .map(|(field, order)| {
                    format!(
                        "{field} {}",
                        if *order == Order::Asc { "ASC" } else { "DESC" }
                    )
                })
                .collect();
            write!(f, " ORDER BY {}", keys.join(", "))?;
        }
        if let Some(n) = self.limit {
            write!(f, " LIMIT {n}")?;
        }
        if let Some(n) = self.offset {
            write!(f, " OFFSET {n}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads a SOQL string literal the way Salesforce's lexer does: from the
    /// opening quote to the first unescaped quote. Returns the decoded text, how
    /// many bytes the literal took, and whether an unescaped `%` or `_` appeared.
    fn lex(input: &str) -> Option<(String, usize, bool)> {
        let mut chars = input.char_indices();
        if chars.next()?.1 != '\'' {
            return None;
        }
        let mut text = String::new();
        let mut wildcard = false;
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => return Some((text, i + 1, wildcard)),
                '\\' => {
                    let (_, e) = chars.next()?;
                    text.push(match e {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        '\\' | '\'' | '"' | '%' | '_' => e,
                        _ => return None,
                    });
                }
                '%' | '_' => {
                    wildcard = true;
                    text.push(c);
                }
                c => text.push(c),
            }
        }
        None
    }

    proptest! {
        #[test]
        fn no_string_literal_ends_early(text in any::<String>()) {
            let literal = Literal::string(&text);
            let (decoded, used, _) = lex(literal.as_str()).expect("a complete literal");
            prop_assert_eq!(used, literal.as_str().len(), "the literal ended before its closing quote");
            prop_assert_eq!(decoded, text);
        }

        #[test]
        fn like_text_matches_literally(text in any::<String>()) {
            for pattern in [Like::exactly(&text), Like::contains(&text)] {
                let (decoded, used, wildcard) = lex(&pattern.0).expect("a complete pattern");
                prop_assert_eq!(used, pattern.0.len());
                if pattern == Like::exactly(&text) {
                    prop_assert!(!wildcard, "an unescaped wildcard came from the text");
                    prop_assert_eq!(decoded, text.clone());
                }
            }
        }

        #[test]
        fn quote_heavy_text_cannot_escape(text in "[\\\\'\"%_\n\r\t\u{8}\u{c}a ]{0,40}") {
            let literal = Literal::string(&text);
            let (decoded, used, _) = lex(literal.as_str()).expect("a complete literal");
            prop_assert_eq!(used, literal.as_str().len());
            prop_assert_eq!(decoded, text);
        }
    }

    #[test]
    fn escapes_each_special_character() {
        assert_eq!(escape(r"a\b'c"), r"a\\b\'c");
        assert_eq!(escape("\"\n\r\t\u{8}\u{c}"), r#"\"\n\r\t\b\f"#);
        assert_eq!(escape_like("50%_off\\"), r"50\%\_off\\");
        assert_eq!(Literal::string(r"\'; DELETE").as_str(), r"'\\\'; DELETE'");
    }

    #[test]
    fn literals_render_per_type() {
        assert_eq!(Literal::from(42i64).as_str(), "42");
        assert_eq!(Literal::from(true).as_str(), "true");
        assert_eq!(Literal::from(None::<i32>).as_str(), "null");
        assert_eq!(Literal::from(Decimal::new(12_500, 2)).as_str(), "125");
        let date = NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date");
        assert_eq!(Literal::from(date).as_str(), "2024-02-29");
        let at = date.and_hms_opt(13, 5, 0).expect("a time").and_utc();
        assert_eq!(Literal::from(at).as_str(), "2024-02-29T13:05:00Z");
        assert!(Literal::date_literal("LAST_N_DAYS:30").is_some());
        assert!(Literal::date_literal("TODAY OR Id != null").is_none());
    }

    #[test]
    fn conditions_compose_with_parentheses() {
        let c = Condition::eq("Name", "A")
            .or(Condition::is_null("Phone"))
            .and(Condition::not_in("Type", ["x", "y"]).negate());
        assert_eq!(
            c.as_str(),
            "((Name = 'A' OR Phone = null) AND (NOT Type NOT IN ('x', 'y')))"
        );
        let q = Select::object("Contact")
            .fields(&["Id", "LastName"])
            .offset(10)
            .build();
        assert_eq!(q.as_str(), "SELECT Id, LastName FROM Contact OFFSET 10");
        assert_eq!(q.generated_for(), None);
    }
}
