//! Integration tests of the fake org, each against a server started in-process
//! (or, in `binary`, the built `sfgen-fake-org` executable).

mod binary;
mod client_url_forms;
mod collections;
mod common;
mod composite;
mod crud;
mod describes;
mod faults;
mod limits;
mod oauth;
mod query;
mod record_count;
mod recorded_shapes;
mod request_limits;
mod store;
mod subqueries;
mod validation;
