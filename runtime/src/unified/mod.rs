//! The unified CRM model: provider-neutral resources and the contract of the
//! mappers `sfgen generate` emits between them and Salesforce objects.
//!
//! | Resource | Salesforce object | Forms |
//! |---|---|---|
//! | [`Contact`] | Contact | read, [`NewContact`], [`ContactUpdate`] |
//! | [`Lead`] | Lead | read, [`NewLead`], [`LeadUpdate`] |
//! | [`Deal`] | Opportunity | read, [`NewDeal`], [`DealUpdate`] |
//! | [`Meeting`] | Event | read, [`NewMeeting`], [`MeetingUpdate`] |
//! | [`Company`] | Account | read, [`NewCompany`], [`CompanyUpdate`] |
//! | [`Note`] | Note (classic) | read, [`NewNote`], [`NoteUpdate`] |
//! | [`Task`] | Task | read, [`NewTask`], [`TaskUpdate`] |
//! | [`Activity`] | Task + Event | read only |
//! | [`Pipeline`] | OpportunityStage | read only |
//! | [`Owner`] | User | read only |
//!
//! Types serialize with camelCase keys. Create forms hold what every CRM needs as
//! plain (non-`Option`) fields, so leaving one out does not compile; update forms
//! use [`Field`](crate::Field) so unset, cleared and set values stay apart. The
//! Salesforce side of each mapping is configured in `schemas/unified.toml` and
//! checked against the describes when the mappers are generated.

mod activity;
pub mod catalog;
mod common;
mod company;
mod contact;
pub mod convert;
mod deal;
mod error;
mod lead;
mod mapping;
mod meeting;
mod note;
mod open_enum;
#[cfg(feature = "client")]
mod ops;
mod owner;
mod pipeline;
mod task;

pub use activity::Activity;
pub use common::{Address, Custom, Email, EmailType, Page, Phone, PhoneType};
pub use company::{Company, CompanyUpdate, NewCompany};
pub use contact::{Contact, ContactUpdate, NewContact};
pub use deal::{Deal, DealUpdate, NewDeal};
pub use error::MappingError;
pub use lead::{Lead, LeadUpdate, NewLead};
pub use mapping::{
    Mappings, MapsCompany, MapsContact, MapsDeal, MapsLead, MapsMeeting, MapsNote, MapsOwner,
    MapsPipeline, MapsTask, ReadMapping, TimelineMapping, WriteMapping,
};
pub use meeting::{Meeting, MeetingUpdate, NewMeeting};
pub use note::{NewNote, Note, NoteUpdate};
pub use owner::Owner;
pub use pipeline::{Pipeline, PipelineStage, StageStatus};
pub use task::{NewTask, Task, TaskPriority, TaskStatus, TaskUpdate};

#[cfg(feature = "client")]
pub use ops::{
    merge_newest_first, Activities, Crm, CrmError, ListOptions, Pipelines, ReadOnly, Records,
    MAX_PAGE_SIZE, PIPELINE_ID,
};
