//! SOQL: the subset real clients send, parsed and evaluated against the fake org's records.
