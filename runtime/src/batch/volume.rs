//! One entry point per write that picks sObject Collections or Bulk API 2.0 by size.

use std::sync::Arc;

use super::bulk::BulkOptions;
use super::collections::CollectionOptions;
use super::outcome::{WritePath, WriteReport};
use super::progress::Progress;
use crate::error::{Error, Result};
use crate::{Client, CreateRecord, Id, SObject, UpdateRecord};

/// Records above which [`PathChoice::Auto`] uses Bulk API 2.0.
///
/// Below it, Collections take ⌈n / 200⌉ calls and answer at once; above it, a
/// Bulk job takes about five calls (create, upload, close, polls, results) per
/// 100 MB but runs asynchronously on Salesforce's side.
pub const DEFAULT_BULK_THRESHOLD: usize = 2_000;

/// How a write picks its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathChoice {
    /// Collections up to [`WriteOptions::bulk_threshold`] records, Bulk above
    /// (Collections whatever the size when `allOrNone` is asked, which Bulk lacks).
    #[default]
    Auto,
    /// Always sObject Collections.
    Collections,
    /// Always Bulk API 2.0.
    Bulk,
}

/// Options of [`Client::create_all`] and the other size-picking writes.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// Which path to take.
    pub path: PathChoice,
    /// The most records [`PathChoice::Auto`] sends through Collections
    /// (default [`DEFAULT_BULK_THRESHOLD`]).
    pub bulk_threshold: usize,
    /// Settings of the Collections path.
    pub collections: CollectionOptions,
    /// Settings of the Bulk path.
    pub bulk: BulkOptions,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            path: PathChoice::Auto,
            bulk_threshold: DEFAULT_BULK_THRESHOLD,
            collections: CollectionOptions::default(),
            bulk: BulkOptions::default(),
        }
    }
}

impl WriteOptions {
    /// With a path choice.
    pub fn path(mut self, path: PathChoice) -> Self {
        self.path = path;
        self
    }

    /// With a threshold for [`PathChoice::Auto`].
    pub fn bulk_threshold(mut self, records: usize) -> Self {
        self.bulk_threshold = records;
        self
    }

    /// With a progress hook, whichever path is taken.
    pub fn progress(mut self, hook: Arc<dyn Progress>) -> Self {
        self.collections.progress = Some(hook.clone());
        self.bulk.progress = Some(hook);
        self
    }

    /// The path for `records` records.
    pub fn choose(&self, records: usize) -> Result<WritePath> {
        let all_or_none = self.collections.all_or_none;
        match self.path {
            PathChoice::Collections => Ok(WritePath::Collections),
            PathChoice::Bulk if all_or_none => Err(Error::Config(
                "Bulk API 2.0 has no allOrNone: use the Collections path for all-or-nothing writes"
                    .into(),
            )),
            PathChoice::Bulk => Ok(WritePath::Bulk),
            PathChoice::Auto if all_or_none || records <= self.bulk_threshold => {
                Ok(WritePath::Collections)
            }
            PathChoice::Auto => Ok(WritePath::Bulk),
        }
    }
}

impl Client {
    /// Creates records through Collections or Bulk API 2.0, by size (see
    /// [`WriteOptions`]). One result per record, in input order.
    pub async fn create_all<N: CreateRecord>(
        &self,
        records: &[N],
        options: &WriteOptions,
    ) -> Result<WriteReport<Id<N::Object>>> {
        match options.choose(records.len())? {
            WritePath::Collections => self.create_many_with(records, &options.collections).await,
            WritePath::Bulk => self.bulk_insert(records, &options.bulk).await,
        }
    }

    /// Updates records through Collections or Bulk API 2.0, by size.
    pub async fn update_all<U: UpdateRecord>(
        &self,
        updates: &[(Id<U::Object>, U)],
        options: &WriteOptions,
    ) -> Result<WriteReport<Id<U::Object>>> {
        match options.choose(updates.len())? {
            WritePath::Collections => self.update_many_with(updates, &options.collections).await,
            WritePath::Bulk => self.bulk_update(updates, &options.bulk).await,
        }
    }

    /// Upserts records by an external-id field through Collections or Bulk API 2.0, by size.
    pub async fn upsert_all<N: CreateRecord>(
        &self,
        field: &str,
        records: &[N],
        options: &WriteOptions,
    ) -> Result<WriteReport<Id<N::Object>>> {
        match options.choose(records.len())? {
            WritePath::Collections => {
                self.upsert_many_with(field, records, &options.collections)
                    .await
            }
            WritePath::Bulk => self.bulk_upsert(field, records, &options.bulk).await,
        }
    }

    /// Deletes records through Collections or Bulk API 2.0, by size.
    pub async fn delete_all<T: SObject>(
        &self,
        ids: &[Id<T>],
        options: &WriteOptions,
    ) -> Result<WriteReport<Id<T>>> {
        match options.choose(ids.len())? {
            WritePath::Collections => self.delete_many_with(ids, &options.collections).await,
            WritePath::Bulk => self.bulk_delete(ids, &options.bulk).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_picks_the_path_unless_overridden() {
        let auto = WriteOptions::default();
        assert_eq!(auto.choose(2_000).expect("valid"), WritePath::Collections);
        assert_eq!(auto.choose(2_001).expect("valid"), WritePath::Bulk);
        assert_eq!(
            auto.clone().bulk_threshold(10).choose(11).expect("valid"),
            WritePath::Bulk
        );
        assert_eq!(
            auto.clone()
                .path(PathChoice::Collections)
                .choose(1_000_000)
                .expect("valid"),
            WritePath::Collections
        );
        assert_eq!(
            auto.clone()
                .path(PathChoice::Bulk)
                .choose(1)
                .expect("valid"),
            WritePath::Bulk
        );
        let mut all_or_none = auto;
        all_or_none.collections.all_or_none = true;
        assert_eq!(
            all_or_none.choose(1_000_000).expect("valid"),
            WritePath::Collections
        );
        assert!(all_or_none.path(PathChoice::Bulk).choose(1).is_err());
    }
}
