//! Listing, reading and writing one resource's records.

use std::marker::PhantomData;

use futures::{Stream, StreamExt, TryStreamExt};

use super::error::CrmError;
use crate::soql::Soql;
use crate::unified::{Page, ReadMapping, WriteMapping};
use crate::{Client, CreateRecord, Id, IdError, QueryOptions, RecordId};

/// The most records one `list` page holds.
pub const MAX_PAGE_SIZE: u32 = 2000;

/// Which page `list` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOptions {
    /// Records per page, 1 to [`MAX_PAGE_SIZE`] (default 100).
    pub page_size: u32,
    /// The `next_cursor` of the previous page; `None` for the first page.
    pub cursor: Option<String>,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions {
            page_size: 100,
            cursor: None,
        }
    }
}

impl ListOptions {
    /// The page after the one `cursor` ended.
    pub fn after(cursor: impl Into<String>) -> Self {
        ListOptions {
            cursor: Some(cursor.into()),
            ..ListOptions::default()
        }
    }

    /// With another page size.
    pub fn page_size(mut self, records: u32) -> Self {
        self.page_size = records;
        self
    }
}

/// Parses an id of the resource's object (by key prefix, when the object has one).
fn parse_id<R: ReadMapping>(id: &str) -> Result<RecordId, CrmError> {
    let invalid = |source| CrmError::InvalidId {
        resource: R::RESOURCE,
        id: id.to_owned(),
        source,
    };
    let parsed = RecordId::parse(id).map_err(invalid)?;
    match R::KEY_PREFIX {
        Some(expected) if parsed.key_prefix() != expected => Err(invalid(IdError::KeyPrefix {
            id: parsed.as_str().to_owned(),
            object: R::OBJECT,
            expected,
            found: parsed.key_prefix().to_owned(),
        })),
        _ => Ok(parsed),
    }
}

/// A page of records ordered by id, after `cursor` (keyset paging: stable while
/// records are added, and never expires).
async fn list<R: ReadMapping>(
    client: &Client,
    options: ListOptions,
) -> Result<Page<R::Read>, CrmError> {
    if options.page_size == 0 || options.page_size > MAX_PAGE_SIZE {
        return Err(CrmError::PageSize {
            requested: options.page_size,
            max: MAX_PAGE_SIZE,
        });
    }
    let after = match &options.cursor {
        Some(cursor) => {
            let id = RecordId::parse(cursor).map_err(|_| CrmError::InvalidCursor {
                resource: R::RESOURCE,
                cursor: cursor.clone(),
            })?;
            format!(" WHERE Id > '{id}'")
        }
        None => String::new(),
    };
    // One record more than the page tells whether another page follows.
    let soql = format!(
        "{}{after} ORDER BY Id ASC LIMIT {}",
        R::select(),
        options.page_size + 1
    );
    let mut rows: Vec<(String, R::Read)> = client
        .query_with::<R::Row>(Soql::new(soql), QueryOptions::default())
        .map_ok(|row| (row_id::<R>(&row), R::read(row)))
        .try_collect()
        .await?;
    let more = rows.len() > options.page_size as usize;
    rows.truncate(options.page_size as usize);
    let next_cursor = if more {
        rows.last().map(|(id, _)| id.clone())
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(|(_, read)| read).collect(),
        next_cursor,
    })
}

/// A row's id, as the cursor of the page it ends.
fn row_id<R: ReadMapping>(row: &R::Row) -> String {
    R::row_id(row).to_string()
}

/// Every record, one query page at a time.
fn stream<R: ReadMapping>(
    client: &Client,
) -> impl Stream<Item = Result<R::Read, CrmError>> + Send + 'static {
    let soql = format!("{} ORDER BY Id ASC", R::select());
    client
        .query::<R::Row>(Soql::new(soql))
        .map(|row| row.map(R::read).map_err(CrmError::from))
}

/// One record by id, selecting exactly the mapped fields.
async fn get<R: ReadMapping>(client: &Client, id: &str) -> Result<R::Read, CrmError> {
    let id = parse_id::<R>(id)?;
    let value = client.get_value(R::OBJECT, id, Some(R::FIELDS)).await?;
    let row: R::Row = serde_json::from_value(value).map_err(|e| CrmError::Decode {
        resource: R::RESOURCE,
        message: e.to_string(),
    })?;
    Ok(R::read(row))
}

/// A read-only resource: list, stream and get. It has no write methods, so a
/// write does not compile.
pub struct ReadOnly<R> {
    client: Client,
    mapper: PhantomData<fn() -> R>,
}

impl<R> std::fmt::Debug for ReadOnly<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadOnly")
            .field("client", &self.client)
            .finish()
    }
}

impl<R: ReadMapping> ReadOnly<R> {
    pub(super) fn new(client: Client) -> Self {
        ReadOnly {
            client,
            mapper: PhantomData,
        }
    }

    /// One page of records, by id.
    pub async fn list(&self, options: ListOptions) -> Result<Page<R::Read>, CrmError> {
        list::<R>(&self.client, options).await
    }

    /// Every record, by id, fetched a query page at a time.
    pub fn stream(&self) -> impl Stream<Item = Result<R::Read, CrmError>> + Send + 'static {
        stream::<R>(&self.client)
    }

    /// One record.
    pub async fn get(&self, id: &str) -> Result<R::Read, CrmError> {
        get::<R>(&self.client, id).await
    }
}

/// A read-write resource.
pub struct Records<W> {
    client: Client,
    mapper: PhantomData<fn() -> W>,
}

impl<W> std::fmt::Debug for Records<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("client", &self.client)
            .finish()
    }
}

/// The Salesforce object a write mapping writes.
type Object<W> = <<W as WriteMapping>::NewRecord as CreateRecord>::Object;

impl<W: WriteMapping> Records<W> {
    pub(super) fn new(client: Client) -> Self {
        Records {
            client,
            mapper: PhantomData,
        }
    }

    /// One page of records, by id.
    pub async fn list(&self, options: ListOptions) -> Result<Page<W::Read>, CrmError> {
        list::<W>(&self.client, options).await
    }

    /// Every record, by id, fetched a query page at a time.
    pub fn stream(&self) -> impl Stream<Item = Result<W::Read, CrmError>> + Send + 'static {
        stream::<W>(&self.client)
    }

    /// One record.
    pub async fn get(&self, id: &str) -> Result<W::Read, CrmError> {
        get::<W>(&self.client, id).await
    }

    /// Creates a record; returns its id. Nothing is sent when the form cannot be
    /// mapped (the error lists what is missing or wrong).
    pub async fn create(&self, form: W::Create) -> Result<String, CrmError> {
        let record = W::create(form)?;
        let id = self.client.create(&record).await?;
        Ok(id.to_string())
    }

    /// Applies an update: unset fields are left alone, null ones cleared.
    pub async fn update(&self, id: &str, form: W::Update) -> Result<(), CrmError> {
        let id = self.typed_id(id)?;
        let changes = W::update(form)?;
        self.client.update(id, &changes).await?;
        Ok(())
    }

    /// Deletes a record.
    pub async fn delete(&self, id: &str) -> Result<(), CrmError> {
        let id = self.typed_id(id)?;
        self.client.delete(id).await?;
        Ok(())
    }

    fn typed_id(&self, id: &str) -> Result<Id<Object<W>>, CrmError> {
        let parsed = parse_id::<W>(id)?;
        parsed
            .typed::<Object<W>>()
            .map_err(|source| CrmError::InvalidId {
                resource: W::RESOURCE,
                id: id.to_owned(),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SObject;

    #[test]
    fn list_options() {
        assert_eq!(
            ListOptions::default(),
            ListOptions {
                page_size: 100,
                cursor: None
            }
        );
        let next = ListOptions::after("003000000000001AAA").page_size(5);
        assert_eq!(next.cursor.as_deref(), Some("003000000000001AAA"));
        assert_eq!(next.page_size, 5);
        assert_eq!(<Object<NoWrite> as SObject>::API_NAME, "X");
    }

    // A minimal write mapping, to pin the `Object` alias and `parse_id`.
    #[derive(Debug, serde::Deserialize)]
    struct XRecord;
    impl SObject for XRecord {
        const API_NAME: &'static str = "X";
        const KEY_PREFIX: Option<&'static str> = Some("a00");
        const FIELDS: &'static [&'static str] = &["Id"];
    }
    #[derive(serde::Serialize)]
    struct NewX;
    impl CreateRecord for NewX {
        type Object = XRecord;
    }
    #[derive(serde::Serialize)]
    struct XUpdate;
    impl crate::UpdateRecord for XUpdate {
        type Object = XRecord;
    }
    #[derive(serde::Deserialize)]
    struct XRow {
        #[serde(rename = "Id")]
        id: RecordId,
    }
    struct ThingRead;
    impl From<XRow> for ThingRead {
        fn from(_: XRow) -> Self {
            Self
        }
    }
    impl TryFrom<()> for NewX {
        type Error = crate::unified::MappingError;
        fn try_from((): ()) -> Result<Self, Self::Error> {
            Ok(NewX)
        }
    }
    impl TryFrom<()> for XUpdate {
        type Error = crate::unified::MappingError;
        fn try_from((): ()) -> Result<Self, Self::Error> {
            Ok(XUpdate)
        }
    }
    struct NoWrite;
    impl ReadMapping for NoWrite {
        const RESOURCE: &'static str = "Thing";
        const OBJECT: &'static str = "X";
        const KEY_PREFIX: Option<&'static str> = Some("a00");
        const FIELDS: &'static [&'static str] = &["Id"];
        type Row = XRow;
        type Read = ThingRead;
        fn row_id(row: &XRow) -> RecordId {
            row.id
        }
    }
    impl WriteMapping for NoWrite {
        type Create = ();
        type Update = ();
        type NewRecord = NewX;
        type RecordUpdate = XUpdate;
    }

    #[test]
    fn ids_are_checked_against_the_key_prefix() {
        assert!(parse_id::<NoWrite>("a00000000000001AAA").is_ok());
        let err = parse_id::<NoWrite>("003000000000001AAA").expect_err("another object's id");
        assert_eq!(
            err.to_string(),
            "`003000000000001AAA` is not a Thing id: `003000000000001AAA` is not a X id: its key prefix is `003`, a X id starts with `a00`"
        );
        assert!(matches!(
            parse_id::<NoWrite>("nope"),
            Err(CrmError::InvalidId {
                resource: "Thing",
                ..
            })
        ));
    }
}
