//! The runtime that `sfgen`-generated Salesforce bindings call.
//!
//! This crate holds the small contract generated code is written against:
//!
//! - [`SObject`], [`CreateRecord`] and [`UpdateRecord`]: what a generated object,
//!   its create form and its update form promise (API name, key prefix, field list);
//! - [`Id`] and [`RecordId`]: 15/18-character record ids, checksum-validated, typed by
//!   the object they point at, and untyped for polymorphic references;
//! - [`Field`]: the tri-state (unset / null / value) used by update forms;
//! - [`SfDateTime`] and [`SfTime`]: Salesforce's wire formats for date-times and times;
//! - [`Address`] and [`Location`]: compound, read-only field values;
//! - [`Picklist`] and [`MultiPicklist`]: picklist values that survive values the
//!   bindings do not know;
//! - [`number`]: whole numbers that Salesforce writes as JSON doubles, and
//!   [`number::exact`], decimals read and written as their exact text;
//! - [`soql`]: a SOQL builder over the generated field constants, with escaping.
//!
//! Generated crates that need only the contract can depend on this crate with
//! `default-features = false`, which leaves out every HTTP dependency.
#![cfg_attr(
    feature = "client",
    doc = r#"
With the `client` feature (on by default) it is also the async client:

- [`Client`]: one connection (instance URL, API version, credentials), cheap to
  clone, many per process; [`Connections`] keys them by a [`ConnectionId`];
- [`Credentials`]: access token, Salesforce CLI, web server flow
  ([`WebServerFlow`], PKCE), refresh token, JWT bearer, client credentials;
- typed CRUD over the contract (`create`, `get`, `update`, `delete`, `upsert`)
  and untyped variants over `serde_json::Value`;
- streaming queries ([`Client::query`]) that follow `nextRecordsUrl`;
- [`TokenStore`] with [`EncryptedFileTokenStore`] and [`MemoryTokenStore`];
- client-side [`Limits`], a [`RetryPolicy`], [`Timeouts`], and one [`Error`] type;
- [`Client::send`] with [`Request`]: the low-level path (auth, limits, retries)
  that higher layers such as composite, bulk and the unified CRM API build on.
"#
)]
#![cfg_attr(
    not(feature = "client"),
    doc = r#"
With the `client` feature (on by default) it is also the async client
(`Client`, `Credentials`, typed CRUD, streaming queries, token stores, limits,
retries and the low-level `Client::send`); these docs were built without it.

"#
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod compound;
mod contract;
mod datetime;
mod field;
pub mod form;
mod id;
pub mod number;
pub mod picklist;
pub mod query;
pub mod record;
mod sobject;
pub mod soql;

#[cfg(feature = "client")]
mod auth;
#[cfg(feature = "client")]
pub mod batch;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod connections;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
mod limits;
#[cfg(feature = "client")]
mod retry;
#[cfg(feature = "client")]
mod token_store;
#[cfg(feature = "client")]
mod transport;
#[cfg(feature = "unified")]
pub mod unified;

pub use compound::{Address, Location};
pub use contract::CONTRACT_VERSION;
pub use datetime::{SfDateTime, SfTime};
pub use field::Field;
pub use id::{Id, IdError, RecordId};
pub use picklist::{MultiPicklist, Picklist};
/// Completes a generated create form: a struct whose optional fields are
/// `Option<T>`.
///
/// ```ignore
/// #[sfgen_runtime::create_form]
/// #[derive(Debug)]
/// pub struct NewContact {
///     #[serde(rename = "LastName")]
///     last_name: String,
///     /// `Email` (see [`email`](Contact#structfield.email)).
///     #[serde(rename = "Email")]
///     email: Option<String>,
/// }
/// ```
///
/// The form implements `Serialize` as its body ([`form`]): each field under
/// its `#[serde(rename)]` key, written with its `with` or `serialize_with`
/// function if it has one, and each `Option` field left out while it is
/// `None`. Do not derive `Serialize` too: the `#[serde]` attributes are read
/// and removed by this attribute. Each `Option` field also gets a setter
/// `with_<field>(value: impl Into<T>)`, documented "Sets" followed by the
/// field's own docs.
pub use sfgen_runtime_macros::create_form;
/// Declares a generated picklist enum from its variants and API values.
///
/// ```ignore
/// #[sfgen_runtime::picklist]
/// pub enum OpportunityType {
///     NewCustomer = "New Customer",
///     /// `Existing Customer - Upgrade` (label “Upgrade”)
///     ExistingCustomerUpgrade = "Existing Customer - Upgrade",
/// }
/// ```
///
/// Each discriminant is the value's API string (the attribute removes it).
/// The enum gains an `Unlisted(UnlistedValue)` variant for values the
/// describe did not list (only `from_api` and deserialization build it, never
/// for a listed value), `#[derive(Debug, Clone)]` and `#[non_exhaustive]`,
/// `as_str` and `from_api`, and the impls of [`Picklist`], `Display`,
/// infallible `FromStr`, `Serialize`/`Deserialize` as the API value, and
/// `PartialEq`/`Eq`/`Hash` by API value. A variant without docs is documented
/// by its value. Generated code uses it; so may hand-written picklists.
pub use sfgen_runtime_macros::picklist;
/// Implements `Deserialize` for a generated record through the runtime's one
/// record visitor ([`record::deserialize`](mod@record)).
///
/// ```ignore
/// #[sfgen_runtime::record]
/// #[derive(Debug, Clone, PartialEq, serde::Serialize)]
/// pub struct Contact {
///     #[serde(rename = "Id")]
///     pub id: Id<Contact>,
///     #[serde(rename = "Email")]
///     pub email: Option<String>,
/// }
/// ```
///
/// It writes the record's [`record::DecodeRecord`] table: the keys (each
/// field's `rename`), a draft of one `Option` per field, which field each key
/// fills (through the field's `with` or `deserialize_with` function, if it
/// has one), and the record from the draft (a missing `Option` or
/// `#[serde(default)]` field is its default). Decoding behaves as
/// `#[derive(Deserialize)]` would. The `serde` attributes belong to the
/// `Serialize` derive, so place `record` before the `derive`.
pub use sfgen_runtime_macros::record;
/// Completes a generated update form: a [`Field<T>`](Field) field is left out
/// of the serialized body while it is [`Field::Unset`], an `Option<T>` field
/// while it is `None`. It implements `Serialize` as [`create_form`] does (do
/// not derive it too).
pub use sfgen_runtime_macros::update_form;
pub use sobject::{CreateRecord, SObject, UpdateRecord};

#[cfg(feature = "client")]
pub use auth::{
    Authorization, Callback, Credentials, JwtBearer, LoginHost, OAuthApp, PendingAuthorization,
    Scopes, SfCli, TokenSet, WebServerFlow,
};
#[cfg(feature = "client")]
pub use client::{
    Body, Client, ClientBuilder, Health, QueryOptions, QueryPage, Request, Response, Timeouts,
    Upserted, DEFAULT_API_VERSION,
};
#[cfg(feature = "client")]
pub use connections::{ConnectionId, Connections};
#[cfg(feature = "client")]
pub use error::{
    parse_error_body, ApiErrorDetail, Error, ErrorCode, OAuthErrorCode, Result, REGENERATE_COMMAND,
};
#[cfg(feature = "client")]
pub use limits::{ApiUsage, Limits};
#[cfg(feature = "client")]
pub use retry::RetryPolicy;
#[cfg(feature = "client")]
pub use token_store::{
    EncryptedFileTokenStore, MemoryTokenStore, StoredToken, TokenKey, TokenStore,
};
#[cfg(feature = "client")]
pub use transport::{is_loopback, require_https, InsecureUrl, DEFAULT_MAX_BODY_BYTES};
#[cfg(feature = "client")]
pub use {reqwest::header, reqwest::Method, secrecy, url::Url};

/// The `chrono` crate (0.4) that generated records use for dates and times
/// (`chrono::NaiveDate`, inside [`SfDateTime`] and [`SfTime`]). Use it through
/// this path, or depend on `chrono = "0.4"`: Cargo unifies the two.
pub use chrono;

/// The `rust_decimal` crate (1.x) that generated records use for currency and
/// decimal fields (`rust_decimal::Decimal`). Use it through this path, or depend
/// on `rust_decimal = "1"`: Cargo unifies the two.
pub use rust_decimal;

/// The `serde_json` crate (1.x): generated records hold fields of types sfgen
/// does not know as `serde_json::Value`.
pub use serde_json;

/// Re-exports that generated code names by path, so a generated crate needs no
/// direct dependency on them. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;

    /// A map key as the [`projection!`](crate::projection!) decoder reads it:
    /// borrowed from the input where it can be.
    #[derive(Debug)]
    pub struct Key<'de>(std::borrow::Cow<'de, str>);

    impl Key<'_> {
        /// The key.
        pub fn as_str(&self) -> &str {
            &self.0
        }
    }

    impl<'de> serde::Deserialize<'de> for Key<'de> {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a field name")
                }
                fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Borrowed(v)))
                }
                fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
                }
                fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Owned(v)))
                }
            }
            deserializer.deserialize_str(Visitor)
        }
    }
}
