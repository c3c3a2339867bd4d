//! Contact: a person at a company.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::common::{is_empty, Address, Custom, Email, Phone};
use crate::Field;

/// A contact as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// The provider's id.
    pub id: String,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail addresses.
    #[serde(default)]
    pub emails: Vec<Email>,
    /// Phone numbers.
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// Job title.
    pub title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// The company the contact works for.
    pub company_id: Option<String>,
    /// The user who owns the contact.
    pub owner_id: Option<String>,
    /// Postal address.
    pub address: Option<Address>,
    /// Free-text description.
    pub description: Option<String>,
    /// Date of birth.
    pub birthday: Option<NaiveDate>,
    /// When the contact was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the contact was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

/// A contact to create. `last_name` is required: Salesforce needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewContact {
    /// Family name (required).
    pub last_name: String,
    /// Given name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// E-mail addresses.
    #[serde(default)]
    pub emails: Vec<Email>,
    /// Phone numbers.
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
    /// Department.
    #[serde(default)]
    pub department: Option<String>,
    /// The company the contact works for.
    #[serde(default)]
    pub company_id: Option<String>,
    /// The owning user; the provider picks one when unset.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<Address>,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// Date of birth.
    #[serde(default)]
    pub birthday: Option<NaiveDate>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

impl NewContact {
    /// A contact with only its required field set.
    pub fn new(last_name: impl Into<String>) -> Self {
        NewContact {
            last_name: last_name.into(),
            first_name: None,
            emails: Vec::new(),
            phones: Vec::new(),
            title: None,
            department: None,
            company_id: None,
            owner_id: None,
            address: None,
            description: None,
            birthday: None,
            custom: Custom::new(),
        }
    }
}

/// Changes to a contact: unset fields are left alone, null ones cleared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactUpdate {
    /// Given name.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub first_name: Field<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub last_name: Field<String>,
    /// E-mail addresses: a value replaces them all.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub emails: Field<Vec<Email>>,
    /// Phone numbers: a value replaces them all.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub phones: Field<Vec<Phone>>,
    /// Job title.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub title: Field<String>,
    /// Department.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub department: Field<String>,
    /// The company the contact works for.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub company_id: Field<String>,
    /// The owning user.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub owner_id: Field<String>,
    /// Postal address: a value replaces every part.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub address: Field<Address>,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub description: Field<String>,
    /// Date of birth.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub birthday: Field<NaiveDate>,
    /// Org-specific fields mapped under `custom`; a `null` value clears the field.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}
