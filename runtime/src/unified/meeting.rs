//! Meeting: a calendar event (Salesforce's Event).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{is_empty, Custom};
use crate::Field;

/// A meeting as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    /// The provider's id.
    pub id: String,
    /// Subject line.
    pub subject: Option<String>,
    /// Start time.
    pub start: Option<DateTime<Utc>>,
    /// End time.
    pub end: Option<DateTime<Utc>>,
    /// Whether the meeting lasts all day.
    pub is_all_day: Option<bool>,
    /// Where it takes place.
    pub location: Option<String>,
    /// Free-text description.
    pub description: Option<String>,
    /// The user who owns the meeting.
    pub owner_id: Option<String>,
    /// The contact it is with.
    pub contact_id: Option<String>,
    /// The lead it is with.
    pub lead_id: Option<String>,
    /// The company it concerns.
    pub company_id: Option<String>,
    /// The deal it concerns.
    pub deal_id: Option<String>,
    /// Every invited person (contacts, leads, users).
    #[serde(default)]
    pub attendee_ids: Vec<String>,
    /// When the meeting was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the meeting was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

/// A meeting to create. `subject`, `start` and `end` are required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewMeeting {
    /// Subject line (required).
    pub subject: String,
    /// Start time (required).
    pub start: DateTime<Utc>,
    /// End time (required).
    pub end: DateTime<Utc>,
    /// Whether the meeting lasts all day.
    #[serde(default)]
    pub is_all_day: Option<bool>,
    /// Where it takes place.
    #[serde(default)]
    pub location: Option<String>,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// The owning user; the provider picks one when unset.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// The contact it is with (at most one of `contact_id` and `lead_id`).
    #[serde(default)]
    pub contact_id: Option<String>,
    /// The lead it is with.
    #[serde(default)]
    pub lead_id: Option<String>,
    /// The company it concerns (at most one of `company_id` and `deal_id`).
    #[serde(default)]
    pub company_id: Option<String>,
    /// The deal it concerns.
    #[serde(default)]
    pub deal_id: Option<String>,
    /// Every invited person.
    #[serde(default)]
    pub attendee_ids: Vec<String>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

impl NewMeeting {
    /// A meeting with only its required fields set.
    pub fn new(subject: impl Into<String>, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        NewMeeting {
            subject: subject.into(),
            start,
            end,
            is_all_day: None,
            location: None,
            description: None,
            owner_id: None,
            contact_id: None,
            lead_id: None,
            company_id: None,
            deal_id: None,
            attendee_ids: Vec::new(),
            custom: Custom::new(),
        }
    }
}

/// Changes to a meeting: unset fields are left alone, null ones cleared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingUpdate {
    /// Subject line.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub subject: Field<String>,
    /// Start time.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub start: Field<DateTime<Utc>>,
    /// End time.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub end: Field<DateTime<Utc>>,
    /// Whether the meeting lasts all day.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub is_all_day: Field<bool>,
    /// Where it takes place.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub location: Field<String>,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub description: Field<String>,
    /// The owning user.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub owner_id: Field<String>,
    /// The contact it is with.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub contact_id: Field<String>,
    /// The lead it is with.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub lead_id: Field<String>,
    /// The company it concerns.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub company_id: Field<String>,
    /// The deal it concerns.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub deal_id: Field<String>,
    /// Every invited person: a value replaces them all.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub attendee_ids: Field<Vec<String>>,
    /// Org-specific fields mapped under `custom`; a `null` value clears the field.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}
