//! Lead: a prospect not yet qualified into a contact, company and deal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{is_empty, Address, Custom, Email, Phone};
use crate::Field;

/// A lead as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lead {
    /// The provider's id.
    pub id: String,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// The lead's company name.
    pub company: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// E-mail addresses.
    #[serde(default)]
    pub emails: Vec<Email>,
    /// Phone numbers.
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// Qualification status, as the provider names it.
    pub status: Option<String>,
    /// Where the lead came from.
    pub source: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Postal address.
    pub address: Option<Address>,
    /// The user who owns the lead.
    pub owner_id: Option<String>,
    /// Free-text description.
    pub description: Option<String>,
    /// Whether the lead was converted.
    pub is_converted: Option<bool>,
    /// The contact the lead was converted into.
    pub converted_contact_id: Option<String>,
    /// The company the lead was converted into.
    pub converted_company_id: Option<String>,
    /// The deal the lead was converted into.
    pub converted_deal_id: Option<String>,
    /// When the lead was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the lead was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

/// A lead to create. `last_name` and `company` are required: Salesforce needs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewLead {
    /// Family name (required).
    pub last_name: String,
    /// The lead's company name (required).
    pub company: String,
    /// Given name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
    /// E-mail addresses.
    #[serde(default)]
    pub emails: Vec<Email>,
    /// Phone numbers.
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// Qualification status; the provider's default when unset.
    #[serde(default)]
    pub status: Option<String>,
    /// Where the lead came from.
    #[serde(default)]
    pub source: Option<String>,
    /// Industry.
    #[serde(default)]
    pub industry: Option<String>,
    /// Web site.
    #[serde(default)]
    pub website: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<Address>,
    /// The owning user; the provider picks one when unset.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

impl NewLead {
    /// A lead with only its required fields set.
    pub fn new(last_name: impl Into<String>, company: impl Into<String>) -> Self {
        NewLead {
            last_name: last_name.into(),
            company: company.into(),
            first_name: None,
            title: None,
            emails: Vec::new(),
            phones: Vec::new(),
            status: None,
            source: None,
            industry: None,
            website: None,
            address: None,
            owner_id: None,
            description: None,
            custom: Custom::new(),
        }
    }
}

/// Changes to a lead: unset fields are left alone, null ones cleared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadUpdate {
    /// Given name.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub first_name: Field<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub last_name: Field<String>,
    /// The lead's company name.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub company: Field<String>,
    /// Job title.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub title: Field<String>,
    /// E-mail addresses: a value replaces them all.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub emails: Field<Vec<Email>>,
    /// Phone numbers: a value replaces them all.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub phones: Field<Vec<Phone>>,
    /// Qualification status.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub status: Field<String>,
    /// Where the lead came from.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub source: Field<String>,
    /// Industry.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub industry: Field<String>,
    /// Web site.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub website: Field<String>,
    /// Postal address: a value replaces every part.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub address: Field<Address>,
    /// The owning user.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub owner_id: Field<String>,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub description: Field<String>,
    /// Org-specific fields mapped under `custom`; a `null` value clears the field.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}
