//! One object's records: fixed-size row headers plus one arena of encoded rows.
//!
//! Row `n` of a table is the record whose id is `SfId::mint(prefix, n)`. Updates
//! append the new encoding to the arena and repoint the header, so an undo only
//! has to restore the old header. Rows are never removed: deleted ones keep their
//! values (for `queryAll`) and rolled-back inserts become void.

use std::collections::HashMap;

use super::cell::{self, Cell, CellRef};
use crate::ids::SfId;

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    /// A record.
    Live,
    /// A deleted record (in the recycle bin).
    Deleted,
    /// An insert that was rolled back: the id never existed.
    Void,
}

/// A stored record's header: its id, where its values are, and its system fields.
///
/// This is the record type the SOQL engine's [`crate::soql::DataSource`] sees.
#[derive(Debug, Clone, Copy)]
pub struct RowMeta {
    /// The record id.
    pub id: SfId,
    start: usize,
    len: u32,
    /// `CreatedDate`, ms since the epoch.
    pub created_ms: i64,
    /// `LastModifiedDate` and `SystemModstamp`, ms since the epoch.
    pub modified_ms: i64,
    /// Index of the user who created it.
    pub created_by: u16,
    /// Index of the user who last changed it.
    pub modified_by: u16,
    /// Live, deleted or void.
    pub state: RowState,
}

/// An index from an external-id field's values to rows.
#[derive(Debug, Default)]
pub struct ExtIndex {
    case_sensitive: bool,
    map: HashMap<Box<str>, Vec<u32>>,
}

impl ExtIndex {
    fn key(&self, value: &str) -> Box<str> {
        if self.case_sensitive {
            value.into()
        } else {
            value.to_lowercase().into()
        }
    }

    /// Rows whose value is `value`.
    pub fn rows(&self, value: &str) -> &[u32] {
        self.map.get(&self.key(value)).map_or(&[], Vec::as_slice)
    }

    fn add(&mut self, value: &str, row: u32) {
        let key = self.key(value);
        self.map.entry(key).or_default().push(row);
    }

    fn remove(&mut self, value: &str, row: u32) {
        let key = self.key(value);
        if let Some(rows) = self.map.get_mut(&key) {
            rows.retain(|r| *r != row);
            if rows.is_empty() {
                self.map.remove(&key);
            }
        }
    }
}

/// One object's records.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<RowMeta>,
    data: Vec<u8>,
    garbage: usize,
    ext: HashMap<u16, ExtIndex>,
    /// The last auto-number handed out.
    pub auto_number: u64,
}

/// Arena garbage (bytes of superseded rows) above which the table compacts.
const COMPACT_ABOVE: usize = 64 << 20;

impl Table {
    /// A row header.
    pub fn meta(&self, row: u32) -> Option<&RowMeta> {
        self.rows.get(row as usize)
    }

    /// A row's encoded values.
    pub fn values(&self, row: u32) -> &[u8] {
        self.rows.get(row as usize).map_or(&[], |m| self.bytes(m))
    }

    fn bytes(&self, meta: &RowMeta) -> &[u8] {
        self.data
            .get(meta.start..meta.start + meta.len as usize)
            .unwrap_or(&[])
    }

    /// All row headers, in row order.
    pub fn rows(&self) -> &[RowMeta] {
        &self.rows
    }

    /// A header's encoded values.
    pub fn values_of(&self, meta: &RowMeta) -> &[u8] {
        self.bytes(meta)
    }

    fn append(&mut self, encoded: &[u8]) -> (usize, u32) {
        let start = self.data.len();
        self.data.extend_from_slice(encoded);
        (start, encoded.len() as u32)
    }

    /// The index the next row will get.
    pub fn next_row(&self) -> u32 {
        self.rows.len() as u32
    }

    /// Adds a row with id `id` (minted for [`Table::next_row`]); returns its index.
    pub fn push(&mut self, id: SfId, encoded: &[u8], now_ms: i64, user: u16) -> u32 {
        let (start, len) = self.append(encoded);
        let row = self.rows.len() as u32;
        self.rows.push(RowMeta {
            id,
            start,
            len,
            created_ms: now_ms,
            modified_ms: now_ms,
            created_by: user,
            modified_by: user,
            state: RowState::Live,
        });
        self.index_row(row, true);
        row
    }

    /// Replaces a row's values; returns the old header (for undo).
    pub fn rewrite(&mut self, row: u32, encoded: &[u8], now_ms: i64, user: u16) -> Option<RowMeta> {
        let old = *self.rows.get(row as usize)?;
        self.index_row(row, false);
        let (start, len) = self.append(encoded);
        self.garbage += old.len as usize;
        if let Some(meta) = self.rows.get_mut(row as usize) {
            meta.start = start;
            meta.len = len;
            meta.modified_ms = now_ms;
            meta.modified_by = user;
        }
        self.index_row(row, true);
        Some(old)
    }

    /// Changes a row's state; returns the old header (for undo).
    pub fn set_state(
        &mut self,
        row: u32,
        state: RowState,
        now_ms: i64,
        user: u16,
    ) -> Option<RowMeta> {
        let old = *self.rows.get(row as usize)?;
        self.index_row(row, false);
        if let Some(meta) = self.rows.get_mut(row as usize) {
            meta.state = state;
            meta.modified_ms = now_ms;
            meta.modified_by = user;
        }
        self.index_row(row, true);
        Some(old)
    }

    /// Puts a saved header back (undo).
    pub fn restore(&mut self, row: u32, meta: RowMeta) {
        self.index_row(row, false);
        if let Some(slot) = self.rows.get_mut(row as usize) {
            *slot = meta;
        }
        self.index_row(row, true);
    }

    /// Adds (or removes) a live row's values to the external-id indexes.
    fn index_row(&mut self, row: u32, add: bool) {
        let Some(meta) = self.rows.get(row as usize).copied() else {
            return;
        };
        if self.ext.is_empty() || meta.state != RowState::Live {
            return;
        }
        let start = meta.start;
        let end = start + meta.len as usize;
        let Some(bytes) = self.data.get(start..end) else {
            return;
        };
        for (field, index) in &mut self.ext {
            if let Some(key) = cell::lookup(bytes, *field).and_then(CellRef::as_key) {
                if add {
                    index.add(&key, row);
                } else {
                    index.remove(&key, row);
                }
            }
        }
    }

    /// The external-id index of `field`, built on first use.
    pub fn ext_index(&mut self, field: u16, case_sensitive: bool) -> &ExtIndex {
        if !self.ext.contains_key(&field) {
            let mut index = ExtIndex {
                case_sensitive,
                map: HashMap::new(),
            };
            for (row, meta) in self.rows.iter().enumerate() {
                if meta.state != RowState::Live {
                    continue;
                }
                let bytes = self
                    .data
                    .get(meta.start..meta.start + meta.len as usize)
                    .unwrap_or(&[]);
                if let Some(key) = cell::lookup(bytes, field).and_then(CellRef::as_key) {
                    index.add(&key, row as u32);
                }
            }
            self.ext.insert(field, index);
        }
        &self.ext[&field]
    }

    /// Re-encodes every row through `map` (used when a describe is replaced).
    pub fn remap(&mut self, map: impl Fn(u16) -> Option<u16>) {
        let mut data = Vec::with_capacity(self.data.len() - self.garbage);
        for i in 0..self.rows.len() {
            let meta = self.rows[i];
            let bytes = self
                .data
                .get(meta.start..meta.start + meta.len as usize)
                .unwrap_or(&[]);
            let mut cells: Vec<(u16, Cell)> = cell::entries(bytes)
                .filter_map(|(f, c)| map(f).map(|f| (f, c.to_owned_cell())))
                .collect();
            cells.sort_by_key(|(f, _)| *f);
            let start = data.len();
            for (f, c) in &cells {
                cell::encode(&mut data, *f, c.as_ref());
            }
            self.rows[i].start = start;
            self.rows[i].len = (data.len() - start) as u32;
        }
        self.data = data;
        self.garbage = 0;
        self.ext.clear();
    }

    /// Rewrites the arena without superseded rows, if enough of it is garbage.
    /// Callers must hold no saved headers (no open journal).
    pub fn compact_if_needed(&mut self) {
        if self.garbage < COMPACT_ABOVE || self.garbage < self.data.len() / 2 {
            return;
        }
        let mut data = Vec::with_capacity(self.data.len() - self.garbage);
        for meta in &mut self.rows {
            let start = data.len();
            data.extend_from_slice(
                self.data
                    .get(meta.start..meta.start + meta.len as usize)
                    .unwrap_or(&[]),
            );
            meta.start = start;
        }
        self.data = data;
        self.garbage = 0;
    }

    /// Bytes held by the table (headers plus arena), for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<RowMeta>() + self.data.capacity()
    }
}
