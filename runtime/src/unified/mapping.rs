//! What a generated mapper promises: how one unified resource reads from and
//! writes to one Salesforce object.
//!
//! `sfgen generate` emits one implementation per resource of the mapping spec
//! (`schemas/unified.toml`) into the generated crate, together with a type
//! implementing [`Mappings`] and one `Maps<Resource>` trait per mapped resource. The unified operations are
//! generic over these traits, so this crate never names a generated type.

use serde::de::DeserializeOwned;

use super::error::MappingError;
use super::{
    Company, CompanyUpdate, Contact, ContactUpdate, Deal, DealUpdate, Lead, LeadUpdate, Meeting,
    MeetingUpdate, NewCompany, NewContact, NewDeal, NewLead, NewMeeting, NewNote, NewTask, Note,
    NoteUpdate, Owner, PipelineStage, Task, TaskUpdate,
};
use crate::{CreateRecord, RecordId, UpdateRecord};

/// How a unified resource reads from a Salesforce object.
pub trait ReadMapping: Send + Sync + 'static {
    /// The unified resource's name, e.g. `Contact`.
    const RESOURCE: &'static str;
    /// The Salesforce object's API name, e.g. `Contact` or `Opportunity`.
    const OBJECT: &'static str;
    /// The three-character id prefix of the object's records, when known.
    const KEY_PREFIX: Option<&'static str>;
    /// The fields a query selects: exactly the mapped ones, `Id` first.
    const FIELDS: &'static [&'static str];
    /// A queried record: the mapped fields only.
    type Row: DeserializeOwned + Send + 'static;
    /// The unified read form, converted from a row.
    type Read: From<Self::Row> + Send + 'static;

    /// The unified form of a queried record: `Read::from(row)` unless a mapper
    /// says otherwise.
    fn read(row: Self::Row) -> Self::Read {
        Self::Read::from(row)
    }

    /// A queried record's id.
    fn row_id(row: &Self::Row) -> RecordId;

    /// `SELECT <FIELDS> FROM <OBJECT>`.
    fn select() -> String {
        crate::soql::Select::object(Self::OBJECT)
            .fields(Self::FIELDS)
            .to_string()
    }
}

/// How a unified resource writes to a Salesforce object.
pub trait WriteMapping: ReadMapping {
    /// The unified create form.
    type Create: Send + 'static;
    /// The unified update form.
    type Update: Send + 'static;
    /// The generated Salesforce create form, converted from the unified one.
    type NewRecord: CreateRecord + TryFrom<Self::Create, Error = MappingError>;
    /// The generated Salesforce update form, of the same object, converted
    /// from the unified one.
    type RecordUpdate: UpdateRecord<Object = <Self::NewRecord as CreateRecord>::Object>
        + TryFrom<Self::Update, Error = MappingError>;

    /// The Salesforce record to create, or what stops it: `NewRecord::try_from(form)`.
    fn create(form: Self::Create) -> Result<Self::NewRecord, MappingError> {
        Self::NewRecord::try_from(form)
    }
    /// The Salesforce changes to send, or what stops them: `RecordUpdate::try_from(form)`.
    fn update(form: Self::Update) -> Result<Self::RecordUpdate, MappingError> {
        Self::RecordUpdate::try_from(form)
    }
}

/// A resource that appears in activity timelines.
pub trait TimelineMapping: ReadMapping {
    /// The Salesforce field timelines order by (newest first).
    const DATE_FIELD: &'static str;
    /// The Salesforce fields that point at the records a timeline is about.
    const RELATED_FIELDS: &'static [&'static str];
}

/// The generated mappers, as one type the unified operations are generic over.
///
/// The generated crate implements it on a unit struct (`Salesforce`), plus one
/// `Maps<Resource>` trait per resource it maps: a crate generated for a subset
/// of the objects maps only the resources whose objects it has, and using
/// another resource (`crm.meetings()` without Event) is a compile error. The
/// associated types pin each mapper to the unified forms it reads and writes,
/// and make Pipeline and Owner read-only by giving them no [`WriteMapping`].
pub trait Mappings: Send + Sync + 'static {}

/// Mappings that cover Contacts.
pub trait MapsContact: Mappings {
    /// Contact.
    type Contact: WriteMapping<Read = Contact, Create = NewContact, Update = ContactUpdate>;
}

/// Mappings that cover Leads.
pub trait MapsLead: Mappings {
    /// Lead.
    type Lead: WriteMapping<Read = Lead, Create = NewLead, Update = LeadUpdate>;
}

/// Mappings that cover Deals.
pub trait MapsDeal: Mappings {
    /// Deal.
    type Deal: WriteMapping<Read = Deal, Create = NewDeal, Update = DealUpdate>;
}

/// Mappings that cover Meetings.
pub trait MapsMeeting: Mappings {
    /// Meeting.
    type Meeting: WriteMapping<Read = Meeting, Create = NewMeeting, Update = MeetingUpdate>
        + TimelineMapping;
}

/// Mappings that cover Companies.
pub trait MapsCompany: Mappings {
    /// Company.
    type Company: WriteMapping<Read = Company, Create = NewCompany, Update = CompanyUpdate>;
}

/// Mappings that cover Notes.
pub trait MapsNote: Mappings {
    /// Note.
    type Note: WriteMapping<Read = Note, Create = NewNote, Update = NoteUpdate>;
}

/// Mappings that cover Tasks.
pub trait MapsTask: Mappings {
    /// Task.
    type Task: WriteMapping<Read = Task, Create = NewTask, Update = TaskUpdate> + TimelineMapping;
}

/// Mappings that cover pipeline stages.
pub trait MapsPipeline: Mappings {
    /// Pipeline stages (read-only).
    type Pipeline: ReadMapping<Read = PipelineStage>;
}

/// Mappings that cover Owners.
pub trait MapsOwner: Mappings {
    /// Owner (read-only).
    type Owner: ReadMapping<Read = Owner>;
}
