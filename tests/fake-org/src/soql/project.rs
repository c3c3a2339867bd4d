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
