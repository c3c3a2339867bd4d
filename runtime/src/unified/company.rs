//! Company: an organization (Salesforce's Account).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::common::{is_empty, Address, Custom};
use crate::Field;

/// A company as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    /// The provider's id.
    pub id: String,
    /// Company name.
    pub name: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Main phone number.
    pub phone: Option<String>,
    /// Number of employees.
    pub employees: Option<i64>,
    /// Annual revenue, exact.
    #[serde(default, with = "crate::number::exact")]
    pub annual_revenue: Option<Decimal>,
    /// Postal (billing) address.
    pub address: Option<Address>,
    /// The user who owns the company.
    pub owner_id: Option<String>,
    /// Free-text description.
    pub description: Option<String>,
    /// When the company was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the company was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

/// A company to create. `name` is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCompany {
    /// Company name (required).
    pub name: String,
    /// Industry.
    #[serde(default)]
    pub industry: Option<String>,
    /// Web site.
    #[serde(default)]
    pub website: Option<String>,
    /// Main phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Number of employees.
    #[serde(default)]
    pub employees: Option<i64>,
    /// Annual revenue.
    #[serde(default, with = "crate::number::exact")]
    pub annual_revenue: Option<Decimal>,
    /// Postal (billing) address.
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

impl NewCompany {
    /// A company with only its required field set.
    pub fn new(name: impl Into<String>) -> Self {
        NewCompany {
            name: name.into(),
            industry: None,
            website: None,
            phone: None,
            employees: None,
            annual_revenue: None,
            address: None,
            owner_id: None,
            description: None,
            custom: Custom::new(),
        }
    }
}

/// Changes to a company: unset fields are left alone, null ones cleared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyUpdate {
    /// Company name.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub name: Field<String>,
    /// Industry.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub industry: Field<String>,
    /// Web site.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub website: Field<String>,
    /// Main phone number.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub phone: Field<String>,
    /// Number of employees.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub employees: Field<i64>,
    /// Annual revenue.
    #[serde(
        default,
        skip_serializing_if = "Field::is_unset",
        with = "crate::number::exact"
    )]
    pub annual_revenue: Field<Decimal>,
    /// Postal (billing) address: a value replaces every part.
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
