//! The SOQL engine's view of the store.
//!
//! The engine reads values as `&serde_json::Value`, while the store keeps rows
//! encoded; a [`StoreSource`] decodes each value the engine asks for once, keeps
//! it in an arena for the life of the source, and serves repeats (sorting asks
//! for the same value many times) from a cache.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;
use typed_arena::Arena;

use super::cell::{self, CellRef};
use super::table::{RowMeta, RowState};
use super::StoreInner;
use super::{render, write};
use crate::ids::SfId;
use crate::schema::FieldType;
use crate::soql::{self, DataSource, RelationshipMeta};

static TRUE: Value = Value::Bool(true);
static FALSE: Value = Value::Bool(false);

/// A read-only snapshot of the store for [`crate::soql`], made by
/// [`super::Store::with_source`].
pub struct StoreSource<'a> {
    inner: &'a StoreInner,
    arena: &'a Arena<Value>,
    cache: RefCell<HashMap<(usize, usize), &'a Value>>,
    /// The stored values of the record [`DataSource::write_slot`] wrote last,
    /// decoded once per record.
    row: RefCell<DecodedRow<'a>>,
}

/// One record's stored values by field index.
#[derive(Default)]
struct DecodedRow<'a> {
    /// The record (its address) the cells belong to.
    record: usize,
    cells: Vec<Option<CellRef<'a>>>,
    set: Vec<usize>,
}

impl<'a> DecodedRow<'a> {
    fn load(&mut self, record: usize, values: &'a [u8], fields: usize) {
        if self.record == record && record != 0 {
            return;
        }
        for i in self.set.drain(..) {
            if let Some(cell) = self.cells.get_mut(i) {
                *cell = None;
            }
        }
        if self.cells.len() < fields {
            self.cells.resize(fields, None);
        }
        for (field, value) in cell::entries(values) {
            let i = usize::from(field);
            if let Some(slot) = self.cells.get_mut(i) {
                *slot = Some(value);
                self.set.push(i);
            }
        }
        self.record = record;
    }
}

impl std::fmt::Debug for StoreSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreSource")
            .field("cached_values", &self.cache.borrow().len())
            .finish()
    }
}

impl<'a> StoreSource<'a> {
    pub(super) fn new(inner: &'a StoreInner, arena: &'a Arena<Value>) -> StoreSource<'a> {
        StoreSource {
            inner,
            arena,
            cache: RefCell::new(HashMap::new()),
            row: RefCell::new(DecodedRow::default()),
        }
    }

    /// The org's describes.
    pub fn schema(&self) -> &'a crate::schema::Schema {
        &self.inner.schema
    }

    /// The table (object index) a record belongs to.
    fn table_of(&self, record: &RowMeta) -> Option<usize> {
        self.inner.schema.index_of_prefix(record.id.key_prefix())
    }

    fn compute(&self, table: usize, field: usize, record: &RowMeta) -> Value {
        let Some(object) = self.inner.schema.get(table) else {
            return Value::Null;
        };
        let values = self
            .inner
            .tables
            .get(table)
            .map_or(&[][..], |t| t.values_of(record));
        render::field_value(object, field, record, values, &self.inner.users)
    }
}

impl StoreSource<'_> {
    /// The JSON text of `record`'s exact decimal `field` (`9999999999999999.99`),
    /// which [`DataSource::value`] holds as the nearest `f64`; `None` for other
    /// fields and for nulls.
    pub fn exact_number(&self, record: &RowMeta, field: &str) -> Option<String> {
        let table = self.table_of(record)?;
        let index = self.inner.schema.get(table)?.field_index(field)?;
        let values = self.inner.tables.get(table)?.values_of(record);
        cell::lookup(values, u16::try_from(index).ok()?)?.exact_json()
    }
}

impl<'a> DataSource for StoreSource<'a> {
    type Record = RowMeta;

    fn object_name(&self, object: &str) -> Option<&str> {
        self.inner.schema.object(object).map(|o| o.name.as_str())
    }

    fn field(&self, object: &str, field: &str) -> Option<soql::FieldMeta> {
        let meta = self.inner.schema.object(object)?.field(field)?;
        Some(soql::FieldMeta {
            name: meta.name.clone(),
            field_type: meta.type_name.clone(),
        })
    }

    fn relationship(&self, object: &str, relationship_name: &str) -> Option<RelationshipMeta> {
        let meta = self
            .inner
            .schema
            .object(object)?
            .relationship(relationship_name)?;
        Some(RelationshipMeta {
            name: meta.relationship_name.clone().unwrap_or_default(),
            foreign_key: meta.name.clone(),
            targets: meta.reference_to.clone(),
        })
    }

    fn records<'s>(
        &'s self,
        object: &str,
        include_deleted: bool,
    ) -> Box<dyn Iterator<Item = &'s RowMeta> + 's> {
        let Some(table) = self
            .inner
            .schema
            .index_of(object)
            .and_then(|i| self.inner.tables.get(i))
        else {
            return Box::new(std::iter::empty());
        };
        Box::new(table.rows().iter().filter(move |m| match m.state {
            RowState::Live => true,
            RowState::Deleted => include_deleted,
            RowState::Void => false,
        }))
    }

    fn value<'s>(&'s self, record: &'s RowMeta, field: &str) -> Option<&'s Value> {
        let table = self.table_of(record)?;
        let index = self.inner.schema.get(table)?.field_index(field)?;
        let key = (record as *const RowMeta as usize, index);
        if let Some(v) = self.cache.borrow().get(&key) {
            return Some(*v);
        }
        let value: &'a Value = match self.compute(table, index, record) {
            Value::Null => return None,
            Value::Bool(true) => &TRUE,
            Value::Bool(false) => &FALSE,
            other => self.arena.alloc(other),
        };
        self.cache.borrow_mut().insert(key, value);
        Some(value)
    }

    fn by_id<'s>(&'s self, id: &str) -> Option<(&'s str, &'s RowMeta)> {
        let id = SfId::parse(id)?;
        let (table, row) = self.inner.locate(id)?;
        let meta = self.inner.tables.get(table)?.meta(row)?;
        if meta.state == RowState::Void {
            return None;
        }
        Some((self.inner.schema.get(table)?.name.as_str(), meta))
    }

    fn id<'s>(&'s self, record: &'s RowMeta) -> &'s str {
        record.id.as_str()
    }

    fn slot(&self, object: &str, field: &str) -> Option<usize> {
        self.inner.schema.object(object)?.field_index(field)
    }

    fn write_slot(&self, record: &RowMeta, slot: usize, out: &mut Vec<u8>) -> bool {
        let inner: &'a StoreInner = self.inner;
        let Some(table) = self.table_of(record) else {
            return false;
        };
        let (Some(object), Some(rows)) = (inner.schema.get(table), inner.tables.get(table)) else {
            return false;
        };
        let Some(field) = object.fields.get(slot) else {
            return false;
        };
        if let Some(system) = field.system {
            write::system(out, system, record, &inner.users);
            return true;
        }
        if field.field_type == FieldType::Compound && !field.parts.is_empty() {
            return false;
        }
        let mut row = self.row.borrow_mut();
        row.load(
            record as *const RowMeta as usize,
            rows.values_of(record),
            object.fields.len(),
        );
        match (row.cells.get(slot).copied().flatten(), &field.field_type) {
            (Some(value), _) => write::cell(out, value),
            (None, FieldType::Boolean) => out.extend_from_slice(b"false"),
            (None, _) => out.extend_from_slice(b"null"),
        }
        true
    }
}
