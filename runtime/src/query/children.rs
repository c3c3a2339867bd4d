//! Child relationships in projections: a row reads the records that point at
//! it (`Account` → its `Contacts`) through a subquery,
//! `(SELECT Id, LastName FROM Contacts)`, into a [`ChildRows`] of a projection
//! of the child object.
//!
//! Salesforce returns a subquery's rows nested in the parent's row as a page of
//! their own (`{"totalSize", "done", "records", "nextRecordsUrl"}`, or `null`
//! when there are none), and stops after a page (200 rows by default): the
//! rest is behind the nested `nextRecordsUrl`. `Client::query` follows it
//! before it yields the row, so a child list comes back whole.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned};
use serde::Deserialize;

use super::{ProjectField, Projection};

/// The child relationship of object `O` whose records are `C`s
/// (`Account.Contacts`). Generated code gives each one a constant in
/// `<object>::children`.
pub struct Children<O, C> {
    name: &'static str,
    marker: PhantomData<fn() -> (O, C)>,
}

impl<O, C> Children<O, C> {
    /// The relationship with this name (`Contacts`, `Invoices__r`). Generated
    /// code calls it.
    pub const fn new(name: &'static str) -> Self {
        Children {
            name,
            marker: PhantomData,
        }
    }

    /// The relationship name, as a subquery's `FROM` and the row spell it.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<O, C> Clone for Children<O, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O, C> Copy for Children<O, C> {}

impl<O, C> fmt::Debug for Children<O, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Children({})", self.name)
    }
}

/// The child records of one row, as a projection `R` of the child object.
///
/// Read through [`Deref`](std::ops::Deref) as a slice, or take the rows with
/// [`ChildRows::into_vec`]. A row that `Client::query` yields holds every
/// child; [`ChildRows::is_complete`] is false only for a row decoded by hand
/// from one page whose children went on to another.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRows<R> {
    rows: Vec<R>,
    total_size: u64,
    next_records_url: Option<String>,
}

impl<R> Default for ChildRows<R> {
    fn default() -> Self {
        ChildRows {
            rows: Vec::new(),
            total_size: 0,
            next_records_url: None,
        }
    }
}

impl<R> ChildRows<R> {
    /// How many children Salesforce counted for this row.
    pub fn total_size(&self) -> u64 {
        self.total_size
    }

    /// Whether every child is here (no further page to fetch).
    pub fn is_complete(&self) -> bool {
        self.next_records_url.is_none()
    }

    /// The rows.
    pub fn into_vec(self) -> Vec<R> {
        self.rows
    }
}

impl<R> std::ops::Deref for ChildRows<R> {
    type Target = [R];

    fn deref(&self) -> &[R] {
        &self.rows
    }
}

impl<R> IntoIterator for ChildRows<R> {
    type Item = R;
    type IntoIter = std::vec::IntoIter<R>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

impl<'a, R> IntoIterator for &'a ChildRows<R> {
    type Item = &'a R;
    type IntoIter = std::slice::Iter<'a, R>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

/// A page of child rows as Salesforce nests it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page<R> {
    #[serde(default)]
    total_size: u64,
    #[serde(default = "yes")]
    done: bool,
    #[serde(default)]
    next_records_url: Option<String>,
    records: Vec<R>,
}

fn yes() -> bool {
    true
}

impl<R> Page<R> {
    /// The next page, when Salesforce says there is one.
    fn next(&mut self) -> Result<Option<String>, String> {
        match (self.done, self.next_records_url.take()) {
            (true, _) => Ok(None),
            (false, Some(url)) => Ok(Some(url)),
            (false, None) => {
                Err("a child page is not the last (`done` is false) but names no next page".into())
            }
        }
    }
}

impl<'de, R: Deserialize<'de>> Deserialize<'de> for ChildRows<R> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Option::<Page<R>>::deserialize(deserializer)? {
            None => Ok(ChildRows::default()),
            Some(mut page) => Ok(ChildRows {
                next_records_url: page.next().map_err(de::Error::custom)?,
                total_size: page.total_size,
                rows: page.records,
            }),
        }
    }
}

/// A list of child rows that may have more pages to fetch: what
/// `Client::query` completes before it yields a row.
pub trait ChildPages: Send {
    /// The path of the next page (`/services/data/v66.0/query/01g…-200`), if
    /// any.
    fn next_records_url(&self) -> Option<&str>;
    /// Appends the rows of the next page (a query page's JSON body).
    fn append_page(&mut self, body: &[u8]) -> Result<(), ChildPageError>;
}

/// A child page that did not decode: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ChildPageError {
    /// What was wrong.
    pub message: String,
}

impl<R: DeserializeOwned + Send> ChildPages for ChildRows<R> {
    fn next_records_url(&self) -> Option<&str> {
        self.next_records_url.as_deref()
    }

    fn append_page(&mut self, body: &[u8]) -> Result<(), ChildPageError> {
        let error = |message: String| ChildPageError { message };
        let mut page: Page<R> = serde_json::from_slice(body).map_err(|e| error(e.to_string()))?;
        self.next_records_url = page.next().map_err(error)?;
        self.rows.append(&mut page.records);
        Ok(())
    }
}

impl<O, C, R: Projection<Object = C> + Send> ProjectField<O, ChildRows<R>> for Children<O, C> {
    fn select(&self) -> Vec<String> {
        vec![format!(
            "(SELECT {} FROM {})",
            R::fields().join(", "),
            self.name
        )]
    }

    fn key(&self) -> &'static str {
        self.name
    }

    fn decode<'de, D: de::Deserializer<'de>>(
        &self,
        deserializer: D,
    ) -> Result<ChildRows<R>, D::Error> {
        ChildRows::deserialize(deserializer)
    }

    fn child_lists<'v>(
        &self,
        value: &'v mut ChildRows<R>,
        lists: &mut Vec<&'v mut dyn ChildPages>,
    ) {
        lists.push(value);
    }
}

/// How a query's rows hand out their child lists; `Select::project` keeps it
/// for `Client::query`.
pub struct ChildPaging<R>(pub(crate) for<'a> fn(&'a mut R) -> Vec<&'a mut dyn ChildPages>);

impl<R> ChildPaging<R> {
    /// The child lists of `row` that have more pages.
    pub fn pending<'a>(&self, row: &'a mut R) -> Vec<&'a mut dyn ChildPages> {
        let mut lists = (self.0)(row);
        lists.retain(|list| list.next_records_url().is_some());
        lists
    }
}

impl<R> Clone for ChildPaging<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for ChildPaging<R> {}

impl<R> fmt::Debug for ChildPaging<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChildPaging")
    }
}

/// Two `Select`s that differ only in this are the same query.
impl<R> PartialEq for ChildPaging<R> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<R> Eq for ChildPaging<R> {}
