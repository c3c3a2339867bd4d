//! Builds output rows as Salesforce shapes them: `attributes {type, url}`,
//! then the selected fields in `SELECT` order with their canonical names,
//! parent relationships (and `TYPEOF`) as nested objects (each with its own
//! `attributes`), or `null` when the parent is absent, and child subqueries
//! as nested query results (see [`super::subquery`]).

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use super::ast::{Query, SelectItem};
use super::bind::{Binder, Hop, Leaf, Path};
use super::error::{SoqlError, MALFORMED_QUERY};
use super::eval::id15;
use super::polymorphic;
use super::subquery::{self, AllChildren, ChildIndex, ChildPages, ChildPlan};
use super::{semijoin, DataSource};

/// One output column: a field, a parent relationship with its own columns, a
/// `TYPEOF`, or a child subquery.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    /// A field, by canonical name.
    Field(Leaf),
    /// A parent relationship.
    Parent {
        /// The relationship's canonical name, the key in the row.
        name: String,
        /// The foreign key holding the parent's id.
        foreign_key: String,
        /// The parent's columns, in `SELECT` order.
        columns: Vec<Column>,
    },
    /// `TYPEOF`: a polymorphic parent whose columns depend on its type.
    TypeOf {
        /// The relationship's canonical name, the key in the row.
        name: String,
        /// The foreign key holding the parent's id.
        foreign_key: String,
        /// The columns for each `WHEN` type.
        whens: Vec<(String, Vec<Column>)>,
        /// The `ELSE` columns.
        otherwise: Vec<Column>,
    },
    /// A child subquery.
    Children {
        /// Which child index of a row context serves it.
        slot: usize,
        /// The resolved subquery.
        child: Box<ChildPlan>,
        /// The children's columns.
        columns: Vec<Column>,
    },
}

/// The `SELECT` list of a query, resolved once against an org, that turns
/// matched records into output rows. Build it once per page.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    object: String,
    columns: Vec<Column>,
    /// How many child subqueries the columns hold.
    slots: usize,
}

impl Projection {
    /// Resolves the `SELECT` list of `query` against `source`. Fails as
    /// [`super::execute`] would for an unknown object or field. Relative date
    /// literals in subqueries use today's UTC date.
    pub fn new<S: DataSource>(query: &Query, source: &S) -> Result<Self, SoqlError> {
        Self::new_on(query, source, chrono::Utc::now().date_naive())
    }

    /// [`Projection::new`] with relative date literals anchored on `today`.
    pub fn new_on<S: DataSource>(
        query: &Query,
        source: &S,
        today: NaiveDate,
    ) -> Result<Self, SoqlError> {
        if query.is_aggregate() {
            return Err(SoqlError::new(
                MALFORMED_QUERY,
                "An aggregate query returns AggregateResult rows, not records",
            ));
        }
        let binder = Binder::new(query, source)?;
        let mut slots = 0;
        let columns = columns_of(&binder, &query.select.items(), today, &mut slots)?;
        Ok(Self {
            object: binder.object,
            columns,
            slots,
        })
    }

    /// A projection with no columns: rows carry only `attributes`, with the
    /// object as the query spells it.
    pub(crate) fn attributes_only(query: &Query) -> Self {
        Self {
            object: query.object().to_owned(),
            columns: Vec::new(),
            slots: 0,
        }
    }

    /// The output row for `record` (a record of the queried object); `api_version`
    /// (e.g. `"59.0"`) goes into `attributes.url`. Child lists come in full.
    pub fn row<S: DataSource>(&self, source: &S, record: &S::Record, api_version: &str) -> Json {
        self.row_paged(source, record, api_version, &AllChildren)
    }

    /// [`Projection::row`] with child lists paged by `pages`.
    pub fn row_paged<S: DataSource>(
        &self,
        source: &S,
        record: &S::Record,
        api_version: &str,
        pages: &dyn ChildPages,
    ) -> Json {
        let mut ctx = Ctx::new(source, pages, api_version, self.slots);
        object_row(&mut ctx, &self.object, record, &self.columns)
    }
}

/// The columns of a `SELECT` list; `slots` counts child subqueries.
fn columns_of<S: DataSource>(
    binder: &Binder<'_, S>,
    items: &[SelectItem],
    today: NaiveDate,
    slots: &mut usize,
) -> Result<Vec<Column>, SoqlError> {
    let mut columns = Vec::new();
    for item in items {
        match item {
            SelectItem::Field { path, .. } => insert(&mut columns, binder.path(path)?),
            SelectItem::TypeOf(type_of) => {
                let bound = polymorphic::bind(binder, type_of)?;
                let tree = |paths: Vec<Path>| {
                    let mut columns = Vec::new();
                    for path in paths {
                        insert(&mut columns, path);
                    }
                    columns
                };
                columns.push(Column::TypeOf {
                    name: bound.name,
                    foreign_key: bound.foreign_key,
                    whens: bound
                        .whens
                        .into_iter()
                        .map(|(object, paths)| (object, tree(paths)))
                        .collect(),
                    otherwise: tree(bound.otherwise),
                });
            }
            SelectItem::Subquery(query) => {
                let mut child = subquery::bind(binder, query, today)?;
                if let Some(filter) = child.plan.filter.as_mut() {
                    semijoin::resolve(filter, binder.source, false);
                }
                let on_child = Binder::on(query, binder.source, child.plan.object.clone());
                let child_columns = columns_of(&on_child, &query.select.items(), today, slots)?;
                let slot = *slots;
                *slots += 1;
                columns.push(Column::Children {
                    slot,
                    child: Box::new(child),
                    columns: child_columns,
                });
            }
            SelectItem::Aggregate { call, .. } => {
                return Err(binder.error(
                    MALFORMED_QUERY,
                    call.pos,
                    "aggregate functions are not allowed here",
                ));
            }
        }
    }
    Ok(columns)
}

/// What building rows needs besides the columns: the source, the child
/// pager, and each child subquery's index of children by parent, built on
/// first use.
struct Ctx<'a, 'p, S: DataSource> {
    source: &'a S,
    pages: &'p dyn ChildPages,
    api_version: &'p str,
    indexes: Vec<Option<ChildIndex<'a, S::Record>>>,
}

impl<'a, 'p, S: DataSource> Ctx<'a, 'p, S> {
    fn new(source: &'a S, pages: &'p dyn ChildPages, api_version: &'p str, slots: usize) -> Self {
        Self {
            source,
            pages,
            api_version,
            indexes: (0..slots).map(|_| None).collect(),
        }
    }

    /// The children of `parent_id` that a subquery's index holds (unfiltered).
    fn candidates(
        &mut self,
        slot: usize,
        child: &ChildPlan,
        parent_id: &str,
    ) -> Vec<&'a S::Record> {
        let source = self.source;
        match self.indexes.get_mut(slot) {
            Some(entry) => entry
                .get_or_insert_with(|| subquery::index(source, child))
                .get(id15(parent_id))
                .cloned()
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }
}

/// A top-level column as [`Projection::write_rows`] writes it.
enum Writing<'p> {
    /// A field the source writes itself: `"Key":`, the source's slot, and the
    /// column to fall back on.
    Slot(Vec<u8>, usize, &'p Column),
    /// Anything else, written from its `serde_json` value.
    Value(Vec<u8>, &'p Column),
}

impl Projection {
    /// Appends the rows of `records` as a JSON array (`[row,row,...]`), the
    /// bytes `serde_json` writes for the [`Projection::row`]s, without building
    /// them: fields go straight from the source ([`DataSource::write_slot`]).
    /// Child lists come in full.
    pub fn write_rows<'r, S, I>(&self, source: &S, records: I, api_version: &str, out: &mut Vec<u8>)
    where
        S: DataSource,
        S::Record: 'r,
        I: IntoIterator<Item = &'r S::Record>,
    {
        self.write_rows_paged(source, records, api_version, &AllChildren, out);
    }

    /// [`Projection::write_rows`] with child lists paged by `pages`.
    pub fn write_rows_paged<'r, S, I>(
        &self,
        source: &S,
        records: I,
        api_version: &str,
        pages: &dyn ChildPages,
        out: &mut Vec<u8>,
    ) where
        S: DataSource,
        S::Record: 'r,
        I: IntoIterator<Item = &'r S::Record>,
    {
        let mut ctx = Ctx::new(source, pages, api_version, self.slots);
        let quoted = |text: &str| serde_json::to_vec(text).unwrap_or_else(|_| b"\"\"".to_vec());
        let key = |name: &str| {
            let mut key = quoted(name);
            key.push(b':');
            key
        };
        let columns: Vec<Writing<'_>> = self
            .columns
            .iter()
            .map(|column| match column {
                Column::Field(Leaf::Field(name)) => match source.slot(&self.object, name) {
                    Some(slot) => Writing::Slot(key(name), slot, column),
                    None => Writing::Value(key(name), column),
                },
                other => Writing::Value(key(column_key(other)), column),
            })
            .collect();
        let object = quoted(&self.object);
        let url = quoted(&format!(
            "/services/data/v{api_version}/sobjects/{}/",
            self.object
        ));
        // `{"attributes":{"type":"X","url":"/services/data/vN/sobjects/X/` then the id.
        let mut head = b"{\"attributes\":{\"type\":".to_vec();
        head.extend_from_slice(&object);
        head.extend_from_slice(b",\"url\":");
        head.extend_from_slice(&url[..url.len() - 1]);
        out.push(b'[');
        for (i, record) in records.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&head);
            let id = source.id(record);
            if id.bytes().all(|b| b.is_ascii_alphanumeric()) {
                out.extend_from_slice(id.as_bytes());
                out.extend_from_slice(b"\"}");
            } else {
                out.extend_from_slice(&quoted(id)[1..]);
                out.push(b'}');
            }
            for column in &columns {
                out.push(b',');
                match column {
                    Writing::Slot(key, slot, column) => {
                        out.extend_from_slice(key);
                        if !source.write_slot(record, *slot, out) {
                            write_json(out, &self.value_of(&mut ctx, record, column));
                        }
                    }
                    Writing::Value(key, column) => {
                        out.extend_from_slice(key);
                        write_json(out, &self.value_of(&mut ctx, record, column));
                    }
                }
            }
            out.push(b'}');
        }
        out.push(b']');
    }

    /// The value of one top-level column of a row.
    fn value_of<S: DataSource>(
        &self,
        ctx: &mut Ctx<'_, '_, S>,
        record: &S::Record,
        column: &Column,
    ) -> Json {
        match object_row(ctx, &self.object, record, std::slice::from_ref(column)) {
            Json::Object(mut row) => row.remove(column_key(column)).unwrap_or(Json::Null),
            _ => Json::Null,
        }
    }
}

/// The key of a column in a row.
fn column_key(column: &Column) -> &str {
    match column {
        Column::Field(leaf) => leaf.key(),
        Column::Parent { name, .. } | Column::TypeOf { name, .. } => name,
        Column::Children { child, .. } => &child.name,
    }
}

fn write_json(out: &mut Vec<u8>, value: &Json) {
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.extend_from_slice(b"null");
    }
}

/// Adds a path to the column tree, merging it into an existing parent column
/// with the same relationship.
fn insert(columns: &mut Vec<Column>, path: Path) {
    let Path { hops, leaf, .. } = path;
    insert_at(columns, &hops, leaf);
}

fn insert_at(columns: &mut Vec<Column>, hops: &[Hop], leaf: Leaf) {
    let Some((hop, rest)) = hops.split_first() else {
        columns.push(Column::Field(leaf));
        return;
    };
    let existing = columns.iter_mut().find_map(|c| match c {
        Column::Parent { name, columns, .. } if *name == hop.name => Some(columns),
        _ => None,
    });
    match existing {
        Some(children) => insert_at(children, rest, leaf),
        None => {
            let mut children = Vec::new();
            insert_at(&mut children, rest, leaf);
            columns.push(Column::Parent {
                name: hop.name.clone(),
                foreign_key: hop.foreign_key.clone(),
                columns: children,
            });
        }
    }
}

fn object_row<S: DataSource>(
    ctx: &mut Ctx<'_, '_, S>,
    object: &str,
    record: &S::Record,
    columns: &[Column],
) -> Json {
    let source = ctx.source;
    let api_version = ctx.api_version;
    let id = source.id(record);
    let mut row = Map::with_capacity(columns.len() + 1);
    let mut attributes = Map::with_capacity(2);
    attributes.insert("type".to_owned(), Json::String(object.to_owned()));
    attributes.insert(
        "url".to_owned(),
        Json::String(format!(
            "/services/data/v{api_version}/sobjects/{object}/{id}"
        )),
    );
    row.insert("attributes".to_owned(), Json::Object(attributes));
    for column in columns {
        let value = match column {
            Column::Field(leaf) => {
                let value = match leaf {
                    Leaf::Field(name) => source.value(record, name).cloned(),
                    Leaf::NameField(name) => source
                        .field(object, name)
                        .and_then(|meta| source.value(record, &meta.name).cloned()),
                    Leaf::TypeName => Some(Json::String(object.to_owned())),
                };
                value.unwrap_or(Json::Null)
            }
            Column::Parent {
                foreign_key,
                columns,
                ..
            } => match parent_of(source, record, foreign_key) {
                Some((parent_object, parent)) => object_row(ctx, parent_object, parent, columns),
                None => Json::Null,
            },
            Column::TypeOf {
                foreign_key,
                whens,
                otherwise,
                ..
            } => match parent_of(source, record, foreign_key) {
                Some((parent_object, parent)) => {
                    let columns = whens
                        .iter()
                        .find(|(when, _)| when == parent_object)
                        .map_or(otherwise, |(_, columns)| columns);
                    object_row(ctx, parent_object, parent, columns)
                }
                None => Json::Null,
            },
            Column::Children {
                slot,
                child,
                columns,
            } => children_value(ctx, *slot, child, columns, id),
        };
        row.insert(column_key(column).to_owned(), value);
    }
    Json::Object(row)
}

/// The record a foreign key of `record` points at, with its object's name.
fn parent_of<'a, S: DataSource>(
    source: &'a S,
    record: &'a S::Record,
    foreign_key: &str,
) -> Option<(&'a str, &'a S::Record)> {
    source
        .value(record, foreign_key)
        .and_then(Json::as_str)
        .and_then(|id| source.by_id(id))
}

/// A parent's child list as a nested query result, or null without children.
fn children_value<S: DataSource>(
    ctx: &mut Ctx<'_, '_, S>,
    slot: usize,
    child: &ChildPlan,
    columns: &[Column],
    parent_id: &str,
) -> Json {
    let source = ctx.source;
    let candidates = ctx.candidates(slot, child, parent_id);
    let list = subquery::children(source, child, candidates);
    if list.is_empty() {
        return Json::Null;
    }
    let total = list.len();
    let mut shown = total;
    let mut next = None;
    if let Some(page) = ctx.pages.page_size().filter(|page| total > *page) {
        let ids = list.iter().map(|r| source.id(r).to_owned()).collect();
        if let Some(url) = ctx.pages.open(&child.standalone, ids, page) {
            shown = page;
            next = Some(url);
        }
    }
    let records = list[..shown]
        .iter()
        .map(|r| object_row(ctx, &child.plan.object, r, columns))
        .collect();
    subquery::nested(total, next, records)
}
