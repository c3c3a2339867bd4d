//! Builds output rows as Salesforce shapes them: `attributes {type, url}`,
//! then the selected fields in `SELECT` order with their canonical names, and
//! parent relationships as nested objects (each with its own `attributes`),
//! or `null` when the parent is absent.

use serde_json::{Map, Value as Json};

use super::ast::Query;
use super::bind::{Binder, Hop, Leaf, Path};
use super::error::SoqlError;
use super::DataSource;

/// One output column: a field, or a parent relationship with its own columns.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// The `SELECT` list of a query, resolved once against an org, that turns
/// matched records into output rows. Build it once per page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    object: String,
    columns: Vec<Column>,
}

impl Projection {
    /// Resolves the `SELECT` list of `query` against `source`. Fails as
    /// [`super::execute`] would for an unknown object or field.
    pub fn new<S: DataSource>(query: &Query, source: &S) -> Result<Self, SoqlError> {
        let binder = Binder::new(query, source)?;
        let mut columns = Vec::new();
        if let super::ast::Select::Fields(fields) = &query.select {
            for field in fields {
                insert(&mut columns, binder.path(field)?);
            }
        }
        Ok(Self {
            object: binder.object,
            columns,
        })
    }

    /// A projection with no columns: rows carry only `attributes`, with the
    /// object as the query spells it.
    pub(crate) fn attributes_only(query: &Query) -> Self {
        Self {
            object: query.object().to_owned(),
            columns: Vec::new(),
        }
    }

    /// The output row for `record` (a record of the queried object); `api_version`
    /// (e.g. `"59.0"`) goes into `attributes.url`.
    pub fn row<S: DataSource>(&self, source: &S, record: &S::Record, api_version: &str) -> Json {
        object_row(source, &self.object, record, &self.columns, api_version)
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
    pub fn write_rows<'r, S, I>(&self, source: &S, records: I, api_version: &str, out: &mut Vec<u8>)
    where
        S: DataSource,
        S::Record: 'r,
        I: IntoIterator<Item = &'r S::Record>,
    {
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
                Column::Field(leaf) => Writing::Value(key(leaf.key()), column),
                Column::Parent { name, .. } => Writing::Value(key(name), column),
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
                            write_json(out, &self.value_of(source, record, column, api_version));
                        }
                    }
                    Writing::Value(key, column) => {
                        out.extend_from_slice(key);
                        write_json(out, &self.value_of(source, record, column, api_version));
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
        source: &S,
        record: &S::Record,
        column: &Column,
        api_version: &str,
    ) -> Json {
        match object_row(
            source,
            &self.object,
            record,
            std::slice::from_ref(column),
            api_version,
        ) {
            Json::Object(mut row) => row.remove(column_key(column)).unwrap_or(Json::Null),
            _ => Json::Null,
        }
    }
}

/// The key of a column in a row.
fn column_key(column: &Column) -> &str {
    match column {
        Column::Field(leaf) => leaf.key(),
        Column::Parent { name, .. } => name,
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
    source: &S,
    object: &str,
    record: &S::Record,
    columns: &[Column],
    api_version: &str,
) -> Json {
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
        match column {
            Column::Field(leaf) => {
                let value = match leaf {
                    Leaf::Field(name) => source.value(record, name).cloned(),
                    Leaf::NameField(name) => source
                        .field(object, name)
                        .and_then(|meta| source.value(record, &meta.name).cloned()),
                    Leaf::TypeName => Some(Json::String(object.to_owned())),
                };
                row.insert(leaf.key().to_owned(), value.unwrap_or(Json::Null));
            }
            Column::Parent {
                name,
                foreign_key,
                columns,
            } => {
                let parent = source
                    .value(record, foreign_key)
                    .and_then(Json::as_str)
                    .and_then(|id| source.by_id(id));
                let value = parent.map_or(Json::Null, |(parent_object, parent)| {
                    object_row(source, parent_object, parent, columns, api_version)
                });
                row.insert(name.clone(), value);
            }
        }
    }
    Json::Object(row)
}
