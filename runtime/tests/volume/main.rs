//! Moving many records in few calls, against the fake org: sObject Collections,
//! Composite, Bulk API 2.0 ingest and query jobs, and the size-picking entry point.
//!
//! One test binary (modules below) so that the shared helpers compile once.

mod common;

mod bulk_ingest;
mod bulk_query;
mod collections;
mod composite;
