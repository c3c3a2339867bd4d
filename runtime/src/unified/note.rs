//! Note: free text attached to a contact, company or deal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{is_empty, Custom};
use crate::Field;

/// A note as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// The provider's id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Body text.
    pub body: Option<String>,
    /// The contact it is attached to.
    pub contact_id: Option<String>,
    /// The company it is attached to.
    pub company_id: Option<String>,
    /// The deal it is attached to.
    pub deal_id: Option<String>,
    /// The user who owns the note.
    pub owner_id: Option<String>,
    /// When the note was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the note was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

/// A note to create. `title` is required, and Salesforce also needs exactly one
/// parent: `contact_id`, `company_id` or `deal_id` (checked when the note is
/// converted, with an error naming what is missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewNote {
    /// Title (required).
    pub title: String,
    /// Body text.
    #[serde(default)]
    pub body: Option<String>,
    /// The contact to attach it to.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// The company to attach it to.
    #[serde(default)]
    pub company_id: Option<String>,
    /// The deal to attach it to.
    #[serde(default)]
    pub deal_id: Option<String>,
    /// The owning user; the provider picks one when unset.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

impl NewNote {
    /// A note with a title and no parent yet.
    pub fn new(title: impl Into<String>) -> Self {
        NewNote {
            title: title.into(),
            body: None,
            contact_id: None,
            company_id: None,
            deal_id: None,
            owner_id: None,
            custom: Custom::new(),
        }
    }
}

/// Changes to a note: unset fields are left alone, null ones cleared. A note
/// cannot move to another parent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteUpdate {
    /// Title.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub title: Field<String>,
    /// Body text.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub body: Field<String>,
    /// The owning user.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub owner_id: Field<String>,
    /// Org-specific fields mapped under `custom`; a `null` value clears the field.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}
