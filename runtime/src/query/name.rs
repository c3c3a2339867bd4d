//! Salesforce's `Name` entity: what a polymorphic relationship (`What`, `Who`,
//! `Owner` on objects whose owner can be a user or a queue) reaches without
//! `TYPEOF`. Its fields are the same whatever the record points at: `Name`,
//! `Type` (the object's API name), and a user's `Email`, `FirstName`, ….
//!
//! Generated code gives every polymorphic reference a
//! [`Parent<O, Name>`](super::Parent) in `<object>::parents`; a projection of
//! `Name` reads it:
//!
//! ```ignore
//! use sfgen_runtime::query::name::{self, Name};
//!
//! sfgen_runtime::projection! {
//!     pub struct Related from Name {
//!         pub kind: String = name::TYPE,
//!         pub name: Option<String> = name::NAME,
//!     }
//! }
//! sfgen_runtime::projection! {
//!     pub struct Todo from Task {
//!         pub subject: Option<String> = task::columns::SUBJECT,
//!         pub what: Option<Related> = task::parents::WHAT,
//!     }
//! }
//! ```

use super::{Column, Nillable, NotNull};
use crate::RecordId;

/// The `Name` entity behind a polymorphic relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name;

/// `Id`: the record's id (its key prefix tells the object).
pub const ID: Column<Name, RecordId, NotNull> = Column::new("Id");
/// `Name`: the record's name.
pub const NAME: Column<Name, String, Nillable> = Column::new("Name");
/// `Type`: the API name of the record's object (`Account`, `User`, `Group`).
pub const TYPE: Column<Name, String, NotNull> = Column::new("Type");
/// `Alias`: a user's alias.
pub const ALIAS: Column<Name, String, Nillable> = Column::new("Alias");
/// `CommunityNickname`: a user's nickname.
pub const COMMUNITY_NICKNAME: Column<Name, String, Nillable> = Column::new("CommunityNickname");
/// `Email`: a user's or contact's email.
pub const EMAIL: Column<Name, String, Nillable> = Column::new("Email");
/// `FirstName`: a person's first name.
pub const FIRST_NAME: Column<Name, String, Nillable> = Column::new("FirstName");
/// `IsActive`: whether a user is active.
pub const IS_ACTIVE: Column<Name, bool, Nillable> = Column::new("IsActive");
/// `LastName`: a person's last name.
pub const LAST_NAME: Column<Name, String, Nillable> = Column::new("LastName");
/// `Phone`: a person's phone.
pub const PHONE: Column<Name, String, Nillable> = Column::new("Phone");
/// `Title`: a person's title.
pub const TITLE: Column<Name, String, Nillable> = Column::new("Title");
/// `Username`: a user's username.
pub const USERNAME: Column<Name, String, Nillable> = Column::new("Username");
