//! A local Salesforce-compatible org for tests, demos and users' own tests.
//!
//! Start one in-process and talk to it over HTTP like to a real org:
//!
//! ```no_run
//! # async fn demo() -> Result<(), sfgen_fake_org::Error> {
//! let org = sfgen_fake_org::FakeOrg::builder().start().await?;
//! let url = format!("{}/sobjects/Account", org.data_url());
//! // POST `{"Name": "Acme"}` to `url` with `Authorization: Bearer <org.access_token()>`.
//! # let _ = url;
//! org.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! What it serves (shapes follow recorded Salesforce responses):
//! - `GET /services/data`, `/services/data/vXX.X/`, `/sobjects`, `/sobjects/<X>/describe`
//!   (`Last-Modified`, `If-Modified-Since` → 304), `/limits`;
//! - OAuth at the same address: `/services/oauth2/authorize` (PKCE S256),
//!   `/services/oauth2/token` (`authorization_code`, `refresh_token`, JWT bearer,
//!   `client_credentials`, `password`), `/revoke`, `/userinfo`, `/introspect`, `/id/...`;
//! - records: `/sobjects/<X>[/<id>]`, upsert by external id, validation from the
//!   describe with Salesforce's error bodies;
//! - `/query`, `/queryAll` and their pages ([`soql`] is the engine);
//! - sObject Collections, `/composite` and `/composite/batch`.
//!
//! Every response carries `Sforce-Limit-Info`; sessions expire when idle; faults
//! can be injected per route ([`Fault`]); the request log and [`Counters`] count calls.
//!
//! Modules: [`config`] (builder), [`server`] ([`RunningOrg`]), [`store`] (records,
//! independent of HTTP), [`schema`] (describes), [`soql`], [`faults`], [`observe`].

mod api;
mod auth;
mod bulk;
pub mod clock;
pub mod config;
pub mod edge;
mod error;
pub mod faults;
pub mod ids;
mod middleware;
pub mod observe;
pub mod pattern;
pub mod schema;
pub mod server;
pub mod sferror;
pub mod soql;
pub mod state;
pub mod store;
mod tls;

pub use config::{FakeOrg, FakeOrgBuilder, QueryCursorLimits, DEFAULT_SCHEMAS_DIR};
pub use error::Error;
pub use faults::{Fault, FaultId, FaultKind, Schedule};
pub use ids::SfId;
pub use observe::{Counters, LoggedRequest};
pub use pattern::RoutePattern;
pub use server::{ConnectionInfo, RunningOrg};
pub use sferror::{ApiError, ErrorCode, SfError};
pub use state::AppState;
pub use store::{Journal, LoadError, Record, Store, Upserted, Writer};
