//! The org's records, in memory, validated against the describes.
//!
//! [`Store`] is independent of HTTP: the REST handlers, the SOQL engine (through
//! [`StoreSource`]) and Bulk API 2.0 all go through it. Every write is checked
//! against the object's describe and fails with the list of Salesforce errors a
//! real org would send (`REQUIRED_FIELD_MISSING`, `STRING_TOO_LONG`, …).
//!
//! Writes made through a [`Writer`] with a [`Journal`] can be undone together
//! with [`Store::rollback`] (composite `allOrNone`).
//!
//! Records are stored compactly (see `cell` and `table`): a 56-byte header
//! per record (id, timestamps, users, state, where its values are) plus its
//! non-null values in one byte arena per object (about 240 bytes per Account
//! with 11 fields set). Ids encode
//! their row, so finding a record by id needs no index.

mod cell;
mod decimal;
mod render;
mod source;
mod table;
mod validate;
mod write;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::{Map, Value};

pub use render::Record;
pub use source::StoreSource;
pub use table::RowMeta;
pub use validate::parse_datetime;
pub(crate) use validate::NUMBER_TEXT_KEY;

use crate::clock::Clock;
use crate::ids::SfId;
use crate::schema::{FieldMeta, FieldType, ObjectSchema, Schema};
use crate::sferror::{ErrorCode, SfError};
use crate::Error;
use cell::Cell;
use table::{RowState, Table};
use validate::Mode;

/// The result of an upsert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upserted {
    /// The record created or updated.
    pub id: SfId,
    /// Whether it was created.
    pub created: bool,
}

/// A user of the org, as the store knows it (for `CreatedById`, `OwnerId`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSeed {
    /// `Username`.
    pub username: String,
    /// `FirstName`.
    pub first_name: String,
    /// `LastName`.
    pub last_name: String,
    /// `Email`.
    pub email: String,
}

/// A failure of [`Store::bulk_load`]: which record (0-based) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record {index} was rejected: {}", errors.iter().map(|e| format!("{}: {}", e.code.as_str(), e.message)).collect::<Vec<_>>().join("; "))]
pub struct LoadError {
    /// Position of the rejected record in the input.
    pub index: usize,
    /// Why it was rejected.
    pub errors: Vec<SfError>,
}

/// Everything behind the store's lock.
#[derive(Debug)]
pub struct StoreInner {
    pub(crate) schema: Schema,
    tables: Vec<Table>,
    users: Vec<SfId>,
}

impl StoreInner {
    /// The table and row of an id this org minted.
    fn locate(&self, id: SfId) -> Option<(usize, u32)> {
        let table = self.schema.index_of_prefix(id.key_prefix())?;
        let row = u32::try_from(id.row()?).ok()?;
        let meta = self.tables.get(table)?.meta(row)?;
        (meta.id == id).then_some((table, row))
    }

    /// The state of a record this org holds (`None` for ids it never minted).
    pub(crate) fn row_state(&self, id: SfId) -> Option<RowState> {
        let (table, row) = self.locate(id)?;
        self.tables[table].meta(row).map(|m| m.state)
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The ids of the org's users, by user index.
    pub fn users(&self) -> &[SfId] {
        &self.users
    }

    fn object(&self, name: &str) -> Result<(usize, &ObjectSchema), SfError> {
        let index = self.schema.index_of(name).ok_or_else(SfError::not_found)?;
        let object = self.schema.get(index).ok_or_else(SfError::not_found)?;
        Ok((index, object))
    }

    /// Finds the record `id` of object `object` for reading or writing.
    fn resolve(&self, object: usize, id: &str, allow_deleted: bool) -> Result<u32, SfError> {
        let schema = self.schema.get(object).ok_or_else(SfError::not_found)?;
        let label = schema
            .field("Id")
            .map_or_else(|| format!("{} ID", schema.name), |f| f.label.clone());
        let malformed = || {
            SfError::on_fields(
                ErrorCode::MalformedId,
                format!("{label}: id value of incorrect type: {id}"),
                vec!["Id".into()],
            )
        };
        let parsed = SfId::parse(id).ok_or_else(malformed)?;
        if schema.key_prefix.is_some_and(|p| p != parsed.key_prefix()) {
            return Err(malformed());
        }
        let (table, row) = self.locate(parsed).ok_or_else(SfError::not_found)?;
        if table != object {
            return Err(malformed());
        }
        match self.tables[table].meta(row).map(|m| m.state) {
            Some(RowState::Live) => Ok(row),
            Some(RowState::Deleted) if allow_deleted => Ok(row),
            Some(RowState::Deleted) => Err(SfError::entity_is_deleted()),
            _ => Err(SfError::not_found()),
        }
    }

    fn render(&self, object: usize, row: u32, only: Option<&[usize]>) -> Option<Record> {
        let schema = self.schema.get(object)?;
        let table = self.tables.get(object)?;
        let meta = table.meta(row)?;
        Some(render::render(
            schema,
            meta,
            table.values(row),
            &self.users,
            only,
        ))
    }

    fn field_indexes(&self, object: usize, fields: &[String]) -> Result<Vec<usize>, SfError> {
        let schema = self.schema.get(object).ok_or_else(SfError::not_found)?;
        fields
            .iter()
            .map(|name| {
                schema.field_index(name.trim()).ok_or_else(|| {
                    SfError::new(
                        ErrorCode::InvalidField,
                        format!(
                            "No such column '{}' on entity '{}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                            name.trim(),
                            schema.name
                        ),
                    )
                })
            })
            .collect()
    }

    /// Live rows of `object` whose external-id `field` equals `value`.
    fn find_external(&mut self, object: usize, field: usize, value: &str) -> Vec<u32> {
        let case_sensitive = self
            .schema
            .get(object)
            .and_then(|o| o.fields.get(field))
            .is_some_and(|f| f.case_sensitive);
        let Ok(field) = u16::try_from(field) else {
            return Vec::new();
        };
        match self.tables.get_mut(object) {
            Some(table) => table.ext_index(field, case_sensitive).rows(value).to_vec(),
            None => Vec::new(),
        }
    }
}

#[derive(Debug)]
enum Undo {
    Inserted {
        table: usize,
        row: u32,
    },
    Changed {
        table: usize,
        row: u32,
        meta: RowMeta,
    },
}

#[derive(Debug)]
struct JournalInner {
    entries: Mutex<Vec<Undo>>,
    open: Arc<AtomicUsize>,
}

impl Drop for JournalInner {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A record of writes that [`Store::rollback`] can undo, newest first.
///
/// Cheap to clone: clones share the same entries.
#[derive(Debug, Clone)]
pub struct Journal {
    inner: Arc<JournalInner>,
}

impl Journal {
    fn push(&self, undo: Undo) {
        self.inner
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(undo);
    }

    fn take(&self) -> Vec<Undo> {
        std::mem::take(&mut *self.inner.entries.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Moves `other`'s entries to the end of this journal (a nested transaction
    /// that succeeded joins the enclosing one).
    pub fn absorb(&self, other: &Journal) {
        let entries = other.take();
        self.inner
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(entries);
    }
}

/// The org's record store. Cheap to clone: clones share the same records.
#[derive(Debug, Clone)]
pub struct Store {
    inner: Arc<RwLock<StoreInner>>,
    clock: Clock,
    open_journals: Arc<AtomicUsize>,
    /// Records another transaction holds: id → writes still refused.
    locks: Arc<Mutex<HashMap<SfId, u32>>>,
}

/// Records per write-lock hold in [`Store::bulk_load`].
const LOAD_CHUNK: usize = 10_000;

impl Store {
    /// A store for `schema` with `users` (user index = position); when the schema
    /// has a `User` object the users are stored as `User` records too.
    pub fn new(schema: Schema, clock: Clock, users: &[UserSeed]) -> Store {
        let tables = schema.objects().iter().map(|_| Table::default()).collect();
        let user_ids = (0..users.len())
            .map(|i| SfId::mint(*b"005", i as u64))
            .collect();
        let store = Store {
            inner: Arc::new(RwLock::new(StoreInner {
                schema,
                tables,
                users: user_ids,
            })),
            clock,
            open_journals: Arc::new(AtomicUsize::new(0)),
            locks: Arc::default(),
        };
        store.seed_users(users);
        store
    }

    fn seed_users(&self, users: &[UserSeed]) {
        let now = self.clock.now_ms();
        let mut inner = self.write();
        let Some(object) = inner.schema.index_of("User") else {
            return;
        };
        let Some(schema) = inner.schema.get(object).cloned() else {
            return;
        };
        if schema.key_prefix != Some(*b"005") {
            return;
        }
        for (i, user) in users.iter().enumerate() {
            let given = [
                ("Username", user.username.as_str()),
                ("FirstName", &user.first_name),
                ("LastName", &user.last_name),
                ("Email", &user.email),
                ("Alias", &user.last_name.chars().take(8).collect::<String>()),
                ("IsActive", "true"),
                ("TimeZoneSidKey", "GMT"),
                ("LocaleSidKey", "en_US"),
                ("EmailEncodingKey", "UTF-8"),
                ("LanguageLocaleKey", "en_US"),
                ("Name", &format!("{} {}", user.first_name, user.last_name)),
            ];
            let changes: Vec<(u16, Option<Cell>)> = given
                .iter()
                .filter_map(|(name, value)| {
                    let index = schema.field_index(name)?;
                    let cell = validate::convert(
                        &inner,
                        &schema.fields[index],
                        &Value::String((*value).into()),
                    )
                    .ok()?;
                    Some((u16::try_from(index).ok()?, Some(cell)))
                })
                .collect();
            let mut sorted = changes;
            // Every user has a profile; the org's one profile ("System Administrator").
            if let Some(index) = schema
                .field_index("ProfileId")
                .and_then(|i| u16::try_from(i).ok())
            {
                sorted.push((index, Some(Cell::Id(SfId::mint(*b"00e", 1)))));
            }
            fill_derived(&schema, &mut sorted);
            sorted.sort_by_key(|(f, _)| *f);
            let encoded = cell::apply(&[], &sorted);
            let table = &mut inner.tables[object];
            let id = SfId::mint(*b"005", u64::from(table.next_row()));
            table.push(id, &encoded, now, u16::try_from(i).unwrap_or(0));
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, StoreInner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, StoreInner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Holds record `id` as another transaction would: the next `refusals`
    /// writes that touch it fail with `UNABLE_TO_LOCK_ROW` (`"unable to obtain
    /// exclusive access to this record or 1 records: <id>"`), per record in
    /// sObject Collections and as a `400` on single-record calls. A write
    /// touches it when it updates, upserts or deletes it, or when its body
    /// references it (a child's insert locks its parent, as in Salesforce).
    /// `refusals = 0` releases it.
    pub fn lock_record(&self, id: SfId, refusals: u32) {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        if refusals == 0 {
            locks.remove(&id);
        } else {
            locks.insert(id, refusals);
        }
    }

    /// Spends one refusal of a lock held on any of `ids`; the error if one is held.
    fn take_lock<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Result<(), Vec<SfError>> {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        if locks.is_empty() {
            return Ok(());
        }
        for id in ids.into_iter().filter_map(SfId::parse) {
            let Some(left) = locks.get_mut(&id) else {
                continue;
            };
            *left = left.saturating_sub(1);
            if *left == 0 {
                locks.remove(&id);
            }
            return Err(vec![SfError::on_fields(
                ErrorCode::UnableToLockRow,
                format!("unable to obtain exclusive access to this record or 1 records: {id}"),
                Vec::new(),
            )]);
        }
        Ok(())
    }

    /// A writer acting as the org's default user (user index 0), without a journal.
    pub fn writer(&self) -> Writer<'_> {
        Writer {
            store: self,
            user: 0,
            journal: None,
        }
    }

    /// A new, empty journal for [`Writer::with_journal`].
    pub fn journal(&self) -> Journal {
        self.open_journals.fetch_add(1, Ordering::Relaxed);
        Journal {
            inner: Arc::new(JournalInner {
                entries: Mutex::new(Vec::new()),
                open: self.open_journals.clone(),
            }),
        }
    }

    /// Undoes every write recorded in `journal`, newest first, and empties it.
    /// Rolled-back inserts leave ids that never existed (`NOT_FOUND`).
    pub fn rollback(&self, journal: &Journal) {
        let entries = journal.take();
        let mut inner = self.write();
        for undo in entries.into_iter().rev() {
            match undo {
                Undo::Inserted { table, row } => {
                    if let Some(t) = inner.tables.get_mut(table) {
                        if let Some(mut meta) = t.meta(row).copied() {
                            meta.state = RowState::Void;
                            t.restore(row, meta);
                        }
                    }
                }
                Undo::Changed { table, row, meta } => {
                    if let Some(t) = inner.tables.get_mut(table) {
                        t.restore(row, meta);
                    }
                }
            }
        }
    }

    /// Creates a record as the default user. See [`Writer::insert`].
    pub fn insert(&self, object: &str, body: &Map<String, Value>) -> Result<SfId, Vec<SfError>> {
        self.writer().insert(object, body)
    }

    /// Updates a record as the default user. See [`Writer::update`].
    pub fn update(
        &self,
        object: &str,
        id: &str,
        body: &Map<String, Value>,
    ) -> Result<SfId, Vec<SfError>> {
        self.writer().update(object, id, body)
    }

    /// Deletes a record as the default user. See [`Writer::delete`].
    pub fn delete(&self, object: &str, id: &str) -> Result<SfId, Vec<SfError>> {
        self.writer().delete(object, id)
    }

    /// Upserts a record as the default user. See [`Writer::upsert`].
    pub fn upsert(
        &self,
        object: &str,
        field: &str,
        value: &str,
        body: &Map<String, Value>,
    ) -> Result<Upserted, Vec<SfError>> {
        self.writer().upsert(object, field, value, body)
    }

    /// A record with all its fields (or only `fields`), as `GET /sobjects/<X>/<id>` returns it.
    /// Deleted records fail with `ENTITY_IS_DELETED`, unknown ones with `NOT_FOUND`,
    /// ids of another object or malformed ones with `MALFORMED_ID`.
    pub fn get(
        &self,
        object: &str,
        id: &str,
        fields: Option<&[String]>,
    ) -> Result<Record, Vec<SfError>> {
        let inner = self.read();
        let (index, _) = inner.object(object).map_err(|e| vec![e])?;
        let row = inner.resolve(index, id, false).map_err(|e| vec![e])?;
        let only = fields
            .map(|f| inner.field_indexes(index, f))
            .transpose()
            .map_err(|e| vec![e])?;
        inner
            .render(index, row, only.as_deref())
            .ok_or_else(|| vec![SfError::not_found()])
    }

    /// The live records of `object` whose external-id (or `idLookup`) `field` is `value`.
    pub fn find_by_external_id(
        &self,
        object: &str,
        field: &str,
        value: &str,
    ) -> Result<Vec<SfId>, SfError> {
        let mut inner = self.write();
        let (index, schema) = inner.object(object)?;
        let field_index = external_field(schema, field)?;
        let rows = inner.find_external(index, field_index, value);
        Ok(rows
            .into_iter()
            .filter_map(|r| inner.tables[index].meta(r).map(|m| m.id))
            .collect())
    }

    /// The API name of the object an id belongs to, if the org holds that record
    /// (deleted ones included).
    pub fn object_of(&self, id: &str) -> Option<String> {
        let inner = self.read();
        let (table, row) = inner.locate(SfId::parse(id)?)?;
        let meta = inner.tables.get(table)?.meta(row)?;
        if meta.state == RowState::Void {
            return None;
        }
        inner.schema.get(table).map(|o| o.name.clone())
    }

    /// The number of live records of `object` (0 for unknown objects).
    pub fn count(&self, object: &str) -> usize {
        let inner = self.read();
        inner
            .schema
            .index_of(object)
            .and_then(|i| inner.tables.get(i))
            .map_or(0, |t| {
                t.rows()
                    .iter()
                    .filter(|m| m.state == RowState::Live)
                    .count()
            })
    }

    /// Bytes the store holds for records (row headers and value arenas), for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.read().tables.iter().map(Table::heap_bytes).sum()
    }

    /// Loads many records fast: each is validated like a create and stored as the
    /// default user; the write lock is released every 10,000 records. Stops at the
    /// first invalid record (those before it stay). Returns how many were stored.
    pub fn bulk_load<I>(&self, object: &str, records: I) -> Result<usize, LoadError>
    where
        I: IntoIterator<Item = Map<String, Value>>,
    {
        let mut records = records.into_iter().peekable();
        let mut count = 0usize;
        while records.peek().is_some() {
            let mut inner = self.write();
            let now = self.clock.now_ms();
            for body in records.by_ref().take(LOAD_CHUNK) {
                insert_locked(&mut inner, object, &body, now, 0, None).map_err(|errors| {
                    LoadError {
                        index: count,
                        errors,
                    }
                })?;
                count += 1;
            }
        }
        Ok(count)
    }

    /// Runs `f` over a consistent view of the schema.
    pub fn with_schema<R>(&self, f: impl FnOnce(&Schema) -> R) -> R {
        f(&self.read().schema)
    }

    /// Runs `f` with a [`StoreSource`] (the SOQL engine's view of the records)
    /// over a consistent snapshot. Values the engine reads are cached for the
    /// duration of `f`.
    pub fn with_source<R>(&self, f: impl FnOnce(&StoreSource<'_>) -> R) -> R {
        let inner = self.read();
        let arena = typed_arena::Arena::new();
        let source = StoreSource::new(&inner, &arena);
        f(&source)
    }

    /// Appends a field (a describe field entry) to an object's describe and
    /// bumps its `Last-Modified`. Existing records read the new field as null.
    pub fn add_field(&self, object: &str, field: Value) -> Result<(), Error> {
        let now = self.clock.now();
        self.write()
            .schema
            .add_field(object, field, now)
            .map(|_| ())
    }

    /// Replaces an object's describe (or adds a new object) and bumps its
    /// `Last-Modified`. Values of fields the new describe still has are kept
    /// (matched by name); values of removed fields are dropped.
    pub fn replace_describe(&self, describe: Value) -> Result<(), Error> {
        let now = self.clock.now();
        let mut inner = self.write();
        let name = describe
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let object = ObjectSchema::from_describe(describe, &name, now)?;
        let mapping: Option<Vec<Option<u16>>> = inner.schema.object(&object.name).map(|old| {
            old.fields
                .iter()
                .map(|f| {
                    object
                        .field_index(&f.name)
                        .and_then(|i| u16::try_from(i).ok())
                })
                .collect()
        });
        let index = inner.schema.put(object);
        if inner.tables.len() <= index {
            inner.tables.resize_with(index + 1, Table::default);
        }
        if let Some(mapping) = mapping {
            inner.tables[index].remap(|f| mapping.get(usize::from(f)).copied().flatten());
        }
        Ok(())
    }

    fn maybe_compact(&self, inner: &mut StoreInner, table: usize) {
        if self.open_journals.load(Ordering::Relaxed) == 0 {
            if let Some(t) = inner.tables.get_mut(table) {
                t.compact_if_needed();
            }
        }
    }
}

/// The index of a field usable as an upsert key.
fn external_field(object: &ObjectSchema, field: &str) -> Result<usize, SfError> {
    let not_found = || {
        SfError::new(
            ErrorCode::NotFound,
            format!("Provided external ID field does not exist or is not accessible: {field}"),
        )
    };
    let index = object.field_index(field).ok_or_else(not_found)?;
    let meta = &object.fields[index];
    if meta.external_id || meta.id_lookup {
        Ok(index)
    } else {
        Err(not_found())
    }
}

/// Values Salesforce fills in on create when the body has none.
fn defaults(
    inner: &StoreInner,
    object: &ObjectSchema,
    changes: &mut Vec<(u16, Option<Cell>)>,
    table: usize,
    user: u16,
) {
    let auto_number = inner.tables.get(table).map_or(0, |t| t.auto_number);
    for (i, field) in object.fields.iter().enumerate() {
        let Ok(index) = u16::try_from(i) else {
            continue;
        };
        if field.system.is_some() || changes.iter().any(|(f, _)| *f == index) {
            continue;
        }
        let cell = if field.auto_number {
            Some(Cell::Text(format!("{:08}", auto_number + 1)))
        } else if field.name == "OwnerId" && field.field_type == FieldType::Reference {
            inner.users.get(usize::from(user)).map(|u| Cell::Id(*u))
        } else if field.defaulted_on_create {
            match &field.default_value {
                None | Some(Value::Bool(false)) | Some(Value::Null) => None,
                Some(v) => validate::convert(inner, field, v).ok(),
            }
        } else {
            None
        };
        if let Some(cell) = cell {
            changes.push((index, Some(cell)));
        }
    }
    fill_derived(object, changes);
}

/// Adds [`derived_value`]s for the fields a new record has no value for.
fn fill_derived(object: &ObjectSchema, changes: &mut Vec<(u16, Option<Cell>)>) {
    let derived: Vec<(u16, Option<Cell>)> = object
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, field)| {
            let index = u16::try_from(i).ok()?;
            if changes.iter().any(|(f, _)| *f == index) {
                return None;
            }
            derived_value(object, field, changes).map(|cell| (index, Some(cell)))
        })
        .collect();
    changes.extend(derived);
}

/// A value a real org always has for a field that cannot be null although
/// nothing set it: the full name Salesforce composes from its parts, a name
/// derived from the record for other text, and the zero of roll-ups, counters
/// and checkboxes. Without it a record read back would hold a `null` that no
/// real org returns for the field.
fn derived_value(
    object: &ObjectSchema,
    field: &FieldMeta,
    changes: &[(u16, Option<Cell>)],
) -> Option<Cell> {
    if field.nillable || field.system.is_some() || field.auto_number {
        return None;
    }
    let text_of = |name: &str| {
        let index = u16::try_from(object.field_index(name)?).ok()?;
        changes.iter().find_map(|(f, cell)| match cell {
            Some(Cell::Text(text)) if *f == index => Some(text.clone()),
            _ => None,
        })
    };
    match field.field_type {
        FieldType::Text if field.name == "Name" => {
            let parts: Vec<String> = ["FirstName", "LastName"]
                .iter()
                .filter_map(|part| text_of(part))
                .collect();
            (!parts.is_empty()).then(|| Cell::Text(parts.join(" ")))
        }
        FieldType::Text | FieldType::Email => ["Username", "LastName", "Name"]
            .iter()
            .find_map(|source| text_of(source))
            .map(|text| match usize::try_from(field.length) {
                Ok(max) if max > 0 => Cell::Text(text.chars().take(max).collect()),
                _ => Cell::Text(text),
            }),
        FieldType::Picklist => field.picklist_values.first().cloned().map(Cell::Text),
        FieldType::Boolean => Some(Cell::Bool(false)),
        FieldType::Integer => Some(Cell::Int(0)),
        FieldType::Number if validate::is_decimal(field) => Some(Cell::Decimal("0".into())),
        FieldType::Number => Some(Cell::Float(0.0)),
        _ => None,
    }
}

fn unsupported(object: &ObjectSchema, operation: &str) -> Vec<SfError> {
    vec![SfError::new(
        ErrorCode::InvalidType,
        format!("entity type {} does not support {operation}", object.name),
    )]
}

/// Validates and stores a new record under an already-held write lock.
fn insert_locked(
    inner: &mut StoreInner,
    object: &str,
    body: &Map<String, Value>,
    now: i64,
    user: u16,
    journal: Option<&Journal>,
) -> Result<SfId, Vec<SfError>> {
    let (index, schema) = inner.object(object).map_err(|e| vec![e])?;
    let Some(prefix) = schema.key_prefix.filter(|_| schema.createable) else {
        return Err(unsupported(schema, "insert"));
    };
    let mut changes = validate::validate(inner, schema, body, Mode::Create)?;
    defaults(inner, schema, &mut changes, index, user);
    changes.sort_by_key(|(f, _)| *f);
    let uses_auto_number = schema.fields.iter().any(|f| f.auto_number);
    let encoded = cell::apply(&[], &changes);
    let table = &mut inner.tables[index];
    if uses_auto_number {
        table.auto_number += 1;
    }
    let id = SfId::mint(prefix, u64::from(table.next_row()));
    let row = table.push(id, &encoded, now, user);
    if let Some(journal) = journal {
        journal.push(Undo::Inserted { table: index, row });
    }
    Ok(id)
}

/// The string values of a write body: the ids it references, among others.
fn referenced(body: &Map<String, Value>) -> impl Iterator<Item = &str> {
    body.values().filter_map(Value::as_str)
}

/// Writes as one user, optionally recording undo entries in a journal.
#[derive(Debug, Clone)]
pub struct Writer<'s> {
    store: &'s Store,
    user: u16,
    journal: Option<Journal>,
}

impl<'s> Writer<'s> {
    /// Acts as the user with index `user` (0: the default user, 1: the integration user).
    pub fn as_user(mut self, user: u16) -> Writer<'s> {
        self.user = user;
        self
    }

    /// Records every write in `journal`, for [`Store::rollback`].
    pub fn with_journal(mut self, journal: Journal) -> Writer<'s> {
        self.journal = Some(journal);
        self
    }

    /// Creates a record from a REST body (`attributes` ignored). System fields,
    /// `OwnerId`, auto-numbers and describe defaults are filled in.
    pub fn insert(&self, object: &str, body: &Map<String, Value>) -> Result<SfId, Vec<SfError>> {
        self.store.take_lock(referenced(body))?;
        let now = self.store.clock.now_ms();
        let mut inner = self.store.write();
        insert_locked(
            &mut inner,
            object,
            body,
            now,
            self.user,
            self.journal.as_ref(),
        )
    }

    /// Updates the fields a REST body names; `Id` in the body is ignored.
    pub fn update(
        &self,
        object: &str,
        id: &str,
        body: &Map<String, Value>,
    ) -> Result<SfId, Vec<SfError>> {
        self.store
            .take_lock(std::iter::once(id).chain(referenced(body)))?;
        let now = self.store.clock.now_ms();
        let mut inner = self.store.write();
        let (index, schema) = inner.object(object).map_err(|e| vec![e])?;
        if !schema.updateable {
            return Err(unsupported(schema, "update"));
        }
        let row = inner.resolve(index, id, false).map_err(|e| vec![e])?;
        let mut changes = validate::validate(&inner, schema, body, Mode::Update)?;
        changes.sort_by_key(|(f, _)| *f);
        self.rewrite(&mut inner, index, row, &changes, now)
    }

    fn rewrite(
        &self,
        inner: &mut StoreInner,
        table: usize,
        row: u32,
        changes: &[(u16, Option<Cell>)],
        now: i64,
    ) -> Result<SfId, Vec<SfError>> {
        let t = &mut inner.tables[table];
        let encoded = cell::apply(t.values(row), changes);
        let old = t
            .rewrite(row, &encoded, now, self.user)
            .ok_or_else(|| vec![SfError::not_found()])?;
        if let Some(journal) = &self.journal {
            journal.push(Undo::Changed {
                table,
                row,
                meta: old,
            });
        }
        let id = old.id;
        self.store.maybe_compact(inner, table);
        Ok(id)
    }

    /// Deletes a record (it stays visible to `queryAll` with `IsDeleted = true`).
    pub fn delete(&self, object: &str, id: &str) -> Result<SfId, Vec<SfError>> {
        self.store.take_lock([id])?;
        let now = self.store.clock.now_ms();
        let mut inner = self.store.write();
        let (index, schema) = inner.object(object).map_err(|e| vec![e])?;
        if !schema.deletable {
            return Err(unsupported(schema, "delete"));
        }
        let row = inner.resolve(index, id, false).map_err(|e| vec![e])?;
        let old = inner.tables[index]
            .set_state(row, RowState::Deleted, now, self.user)
            .ok_or_else(|| vec![SfError::not_found()])?;
        if let Some(journal) = &self.journal {
            journal.push(Undo::Changed {
                table: index,
                row,
                meta: old,
            });
        }
        Ok(old.id)
    }

    /// Creates or updates the record whose external-id `field` is `value`.
    /// Fails with `NOT_FOUND` when `field` is not an external id, and with
    /// `DUPLICATE_EXTERNAL_ID` when several records match.
    pub fn upsert(
        &self,
        object: &str,
        field: &str,
        value: &str,
        body: &Map<String, Value>,
    ) -> Result<Upserted, Vec<SfError>> {
        self.store
            .take_lock(std::iter::once(value).chain(referenced(body)))?;
        let now = self.store.clock.now_ms();
        let mut inner = self.store.write();
        let (index, schema) = inner.object(object).map_err(|e| vec![e])?;
        let field_index = external_field(schema, field).map_err(|e| vec![e])?;
        let field_name = schema.fields[field_index].name.clone();
        if field_name == "Id" {
            let row = inner.resolve(index, value, false).map_err(|e| vec![e])?;
            let schema = &inner.schema.objects()[index];
            let mut changes = validate::validate(&inner, schema, body, Mode::Update)?;
            changes.sort_by_key(|(f, _)| *f);
            let id = self.rewrite(&mut inner, index, row, &changes, now)?;
            return Ok(Upserted { id, created: false });
        }
        let rows = inner.find_external(index, field_index, value);
        match rows.as_slice() {
            [] => {
                let mut body = body.clone();
                body.retain(|k, _| !k.eq_ignore_ascii_case(&field_name));
                body.insert(field_name, Value::String(value.to_owned()));
                let id = insert_locked(
                    &mut inner,
                    object,
                    &body,
                    now,
                    self.user,
                    self.journal.as_ref(),
                )?;
                Ok(Upserted { id, created: true })
            }
            [row] => {
                let schema = &inner.schema.objects()[index];
                let mut body = body.clone();
                body.retain(|k, _| !k.eq_ignore_ascii_case(&field_name));
                let mut changes = validate::validate(&inner, schema, &body, Mode::Update)?;
                changes.sort_by_key(|(f, _)| *f);
                let id = self.rewrite(&mut inner, index, *row, &changes, now)?;
                Ok(Upserted { id, created: false })
            }
            many => {
                let ids: Vec<String> = many
                    .iter()
                    .filter_map(|r| inner.tables[index].meta(*r).map(|m| m.id.to_string()))
                    .collect();
                Err(vec![SfError::on_fields(
                    ErrorCode::DuplicateExternalId,
                    format!(
                        "{field_name}: more than one record found for external id field: [{}]",
                        ids.join(", ")
                    ),
                    Vec::new(),
                )])
            }
        }
    }
}
