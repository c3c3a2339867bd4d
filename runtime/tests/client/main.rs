//! The client against the fake org: every connection way, sessions, CRUD,
//! queries, limits and retries, token stores, and secret hygiene.
//!
//! One test binary (modules below) so that the shared helpers compile once.

mod common;

mod connect;
mod crud;
mod decimals;
mod generated;
mod hygiene;
mod limits;
mod long_requests;
mod query;
mod session;
mod store;
mod transport;
