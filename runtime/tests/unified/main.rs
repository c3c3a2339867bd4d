//! The unified CRM API against the fake org, over the committed generated mappers
//! (`sfgen_generated::unified::Salesforce`): for every resource, a unified create
//! gives a Salesforce record with the right fields and a unified read gives back
//! the same values; updates keep unset, null and values apart; listing pages with
//! a cursor and selects exactly the mapped fields; activities merge by date.
//!
//! One test binary (modules below) so that the shared helpers compile once.

mod common;

mod activity;
mod read_only;
mod records;
mod resources;
