//! Moving many records in few calls: sObject Collections, Composite and Bulk API 2.0.
//!
//! Salesforce counts API calls per org per day (15,000 for a Developer Edition
//! org), so a call per record is how integrations run out. This module writes
//! and reads records in the fewest calls Salesforce allows:
//!
//! - [sObject Collections](collections): [`Client::create_many`],
//!   [`Client::update_many`], [`Client::upsert_many`], [`Client::delete_many`]
//!   (200 records per call, `allOrNone` as an option, `UNABLE_TO_LOCK_ROW`
//!   records retried) and [`Client::get_many`] (2,000 ids per call);
//! - [Composite](composite): up to 25 dependent subrequests in one call,
//!   built over the generated types with references between them
//!   (an account and its contacts in one round trip);
//! - [Bulk API 2.0](bulk): ingest jobs for very large writes
//!   ([`Client::bulk_insert`], …) and query jobs streamed page by page
//!   ([`Client::bulk_query`], [`Client::bulk_query_records`]);
//! - one entry point that picks Collections or Bulk by size
//!   ([`Client::create_all`], …, see [`WriteOptions`]).
//!
//! Every write reports one result per input record, in input order
//! ([`WriteReport`]); nothing is dropped silently. Long operations report
//! progress (records done / total) through a [`Progress`] hook.
//!
//! [`Client::create_many`]: crate::Client::create_many
//! [`Client::update_many`]: crate::Client::update_many
//! [`Client::upsert_many`]: crate::Client::upsert_many
//! [`Client::delete_many`]: crate::Client::delete_many
//! [`Client::get_many`]: crate::Client::get_many
//! [`Client::bulk_insert`]: crate::Client::bulk_insert
//! [`Client::bulk_query`]: crate::Client::bulk_query
//! [`Client::bulk_query_records`]: crate::Client::bulk_query_records
//! [`Client::create_all`]: crate::Client::create_all

pub mod bulk;
mod chunk;
pub mod collections;
pub mod composite;
mod exact_json;
mod outcome;
mod progress;
mod retrieve;
mod volume;

pub use collections::CollectionOptions;
pub use composite::{Composite, CompositeResponse, Ref, Reference, SubResponse, Target};
pub use outcome::{JobSummary, RecordFailure, RecordResult, WritePath, WriteReport, Written};
pub use progress::Progress;
pub use volume::{PathChoice, WriteOptions, DEFAULT_BULK_THRESHOLD};
