//! A local Salesforce-compatible org for tests, demos and users' own tests.

pub mod soql;
