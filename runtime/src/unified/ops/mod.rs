//! The unified operations: `client.crm::<M>().contacts().list(..)` and likewise for
//! every resource, over the generated mappers `M` (see [`Mappings`]).
//!
//! - Read-write resources ([`Records`]): `list` (cursor pages), `stream`, `get`,
//!   `create`, `update`, `delete`.
//! - Read-only resources ([`ReadOnly`], [`Pipelines`]): reads only; a write does not
//!   compile because the type has no such method.
//! - [`Activities`]: tasks and meetings about one record, merged newest first.
//!
//! Queries select exactly the mapped fields ([`ReadMapping::FIELDS`]).

mod activity;
mod crm;
mod error;
mod pipeline;
mod records;

pub use activity::{merge_newest_first, Activities};
pub use crm::Crm;
pub use error::CrmError;
pub use pipeline::{Pipelines, PIPELINE_ID};
pub use records::{ListOptions, ReadOnly, Records, MAX_PAGE_SIZE};

#[cfg(doc)]
use super::{Mappings, ReadMapping};
