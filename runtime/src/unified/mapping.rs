//! What a generated mapper promises: how one unified resource reads from and
//! writes to one Salesforce object.
//!
//! `sfgen generate` emits one implementation per resource of the mapping spec
//! (`schemas/unified.toml`) into the generated crate, together with a type
//! implementing [`Mappings`] that names them all. The unified operations are
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
    /// The unified read form.
    type Read: Send + 'static;

    /// The unified form of a queried record.
    fn read(row: Self::Row) -> Self::Read;

    /// A queried record's id.
    fn row_id(row: &Self::Row) -> RecordId;

    /// `SELECT <FIELDS> FROM <OBJECT>`.
    fn select() -> String {
        format!("SELECT {} FROM {}", Self::FIELDS.join(", "), Self::OBJECT)
    }
}

/// How a unified resource writes to a Salesforce object.
pub trait WriteMapping: ReadMapping {
    /// The unified create form.
    type Create: Send + 'static;
    /// The unified update form.
    type Update: Send + 'static;
    /// The generated Salesforce create form.
    type NewRecord: CreateRecord;
    /// The generated Salesforce update form, of the same object.
    type RecordUpdate: UpdateRecord<Object = <Self::NewRecord as CreateRecord>::Object>;

    /// The Salesforce record to create, or what stops it.
    fn create(form: Self::Create) -> Result<Self::NewRecord, MappingError>;
    /// The Salesforce changes to send, or what stops them.
    fn update(form: Self::Update) -> Result<Self::RecordUpdate, MappingError>;
}

/// A resource that appears in activity timelines.
pub trait TimelineMapping: ReadMapping {
    /// The Salesforce field timelines order by (newest first).
    const DATE_FIELD: &'static str;
    /// The Salesforce fields that point at the records a timeline is about.
    const RELATED_FIELDS: &'static [&'static str];
}

/// Every resource's mapper, as one type the unified operations are generic over.
///
/// The generated crate implements it on a unit struct; the associated types pin
/// each mapper to the unified forms it reads and writes, and make Pipeline and
/// Owner read-only by giving them no [`WriteMapping`].
pub trait Mappings: Send + Sync + 'static {
    /// Contact.
    type Contact: WriteMapping<Read = Contact, Create = NewContact, Update = ContactUpdate>;
    /// Lead.
    type Lead: WriteMapping<Read = Lead, Create = NewLead, Update = LeadUpdate>;
    /// Deal.
    type Deal: WriteMapping<Read = Deal, Create = NewDeal, Update = DealUpdate>;
    /// Meeting.
    type Meeting: WriteMapping<Read = Meeting, Create = NewMeeting, Update = MeetingUpdate>
        + TimelineMapping;
    /// Company.
    type Company: WriteMapping<Read = Company, Create = NewCompany, Update = CompanyUpdate>;
    /// Note.
    type Note: WriteMapping<Read = Note, Create = NewNote, Update = NoteUpdate>;
    /// Task.
    type Task: WriteMapping<Read = Task, Create = NewTask, Update = TaskUpdate> + TimelineMapping;
    /// Pipeline stages (read-only).
    type Pipeline: ReadMapping<Read = PipelineStage>;
    /// Owner (read-only).
    type Owner: ReadMapping<Read = Owner>;
}
