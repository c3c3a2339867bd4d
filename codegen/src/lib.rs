//! sfgen: typed Rust bindings from Salesforce describes.
