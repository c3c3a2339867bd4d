//! Parent-to-child subqueries: `SELECT Name, (SELECT LastName FROM Contacts
//! WHERE ... ORDER BY ... LIMIT n) FROM Account`. The subquery's `FROM` is a
//! child relationship of the describe (`childRelationships`); each parent row
//! carries its children as Salesforce's nested query result
//! `{"totalSize", "done", "nextRecordsUrl"?, "records"}`, or `null` when it
//! has none. A list longer than [`ChildPages::page_size`] shows its first
//! page, `done: false`, and a `nextRecordsUrl` from [`ChildPages::open`].

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use super::ast::{Ident, Query};
use super::bind::{Binder, Plan};
use super::error::{SoqlError, INVALID_TYPE};
use super::eval::id15;
use super::{exec, DataSource, Matched};

/// A child relationship as the parent's describe has it (`childRelationships`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRelationshipMeta {
    /// The canonical `relationshipName` (`Contacts`): the key in output rows.
    pub name: String,
    /// The child object's canonical name (`childSObject`: `Contact`).
    pub child_object: String,
    /// The child's field holding the parent's id (`field`: `AccountId`).
    pub field: String,
}

/// Where child lists longer than one nested page continue. The HTTP layer
/// implements it with a query cursor, so the `nextRecordsUrl` it returns
/// serves the rest of the list page by page.
pub trait ChildPages {
    /// Child rows per parent in the nested result; `None` shows every child.
    fn page_size(&self) -> Option<usize>;

    /// Keeps a child list whose first `shown` rows are in the nested result:
    /// `ids` is the whole list, in order, and `query` selects the subquery's
    /// columns from the child object. Returns the `nextRecordsUrl` of the
    /// rest; `None` shows every child instead.
    fn open(&self, query: &Query, ids: Vec<String>, shown: usize) -> Option<String>;
}

/// No nested paging: every child list in full, `done: true`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AllChildren;

impl ChildPages for AllChildren {
    fn page_size(&self) -> Option<usize> {
        None
    }

    fn open(&self, _query: &Query, _ids: Vec<String>, _shown: usize) -> Option<String> {
        None
    }
}

/// A resolved child subquery.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildPlan {
    /// The relationship's canonical name, the key in output rows.
    pub name: String,
    /// The child's field holding the parent's id.
    pub foreign_key: String,
    /// Filter, order and limit of the children, on the child object.
    pub plan: Plan,
    /// The subquery as a query of its own on the child object (no filter,
    /// order or limit): what a cursor over the children projects.
    pub standalone: Query,
}

/// Resolves a subquery of the query `parent` resolves.
pub fn bind<S: DataSource>(
    parent: &Binder<'_, S>,
    query: &Query,
    today: NaiveDate,
) -> Result<ChildPlan, SoqlError> {
    let meta = parent
        .source
        .child_relationship(&parent.object, &query.from.text)
        .ok_or_else(|| {
            parent.error(
                INVALID_TYPE,
                query.from.pos,
                &format!(
                    "Didn't understand relationship '{}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
                    query.from.text
                ),
            )
        })?;
    let unsupported = |feature: &str| SoqlError::unsupported(&query.text, query.from.pos, feature);
    if query.is_count() || query.is_aggregate() {
        return Err(unsupported("an aggregate function in a subquery"));
    }
    if query.offset.is_some() {
        return Err(unsupported("OFFSET in a subquery"));
    }
    let binder = Binder::on(query, parent.source, meta.child_object.clone());
    let plan = binder.plan(today)?;
    let standalone = Query {
        text: query.text.clone(),
        select: query.select.clone(),
        from: Ident {
            text: meta.child_object,
            pos: query.from.pos,
        },
        alias: query.alias.clone(),
        filter: None,
        group_by: Vec::new(),
        having: None,
        order: Vec::new(),
        limit: None,
        offset: None,
    };
    Ok(ChildPlan {
        name: meta.name,
        foreign_key: meta.field,
        plan,
        standalone,
    })
}

/// The children of every parent, by the parent id's first 15 characters,
/// in storage order.
pub type ChildIndex<'a, R> = HashMap<String, Vec<&'a R>>;

/// Indexes the records of `child`'s object by the parent they point at.
pub fn index<'a, S: DataSource>(source: &'a S, child: &ChildPlan) -> ChildIndex<'a, S::Record> {
    let mut index: ChildIndex<'a, S::Record> = HashMap::new();
    for record in source.records(&child.plan.object, false) {
        if let Some(Json::String(parent)) = source.value(record, &child.foreign_key) {
            index
                .entry(id15(parent).to_owned())
                .or_default()
                .push(record);
        }
    }
    index
}

/// The matching children among `candidates`, filtered, ordered and limited.
pub fn children<'a, S: DataSource>(
    source: &'a S,
    child: &ChildPlan,
    candidates: Vec<&'a S::Record>,
) -> Vec<&'a S::Record> {
    match exec::run_over(&child.plan, source, candidates.into_iter()) {
        Matched::Records(records) => records,
        Matched::Count(_) => Vec::new(),
    }
}

/// A nested query result: `totalSize`, `done`, `nextRecordsUrl` when not
/// done, then `records`.
pub fn nested(total: usize, next: Option<String>, records: Vec<Json>) -> Json {
    let mut out = Map::with_capacity(4);
    out.insert("totalSize".to_owned(), Json::from(total));
    out.insert("done".to_owned(), Json::Bool(next.is_none()));
    if let Some(next) = next {
        out.insert("nextRecordsUrl".to_owned(), Json::String(next));
    }
    out.insert("records".to_owned(), Json::Array(records));
    Json::Object(out)
}
