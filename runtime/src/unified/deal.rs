//! Deal: a sales opportunity moving through a pipeline.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::common::{is_empty, Custom};
use crate::Field;

/// A deal as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deal {
    /// The provider's id.
    pub id: String,
    /// Deal name.
    pub name: Option<String>,
    /// Expected amount, exact.
    #[serde(default, with = "crate::number::exact")]
    pub amount: Option<Decimal>,
    /// ISO 4217 code of `amount`; `None` when the provider does not say.
    pub currency: Option<String>,
    /// Pipeline stage (a [`PipelineStage::value`](super::PipelineStage::value)).
    pub stage: Option<String>,
    /// Expected close date.
    pub close_date: Option<NaiveDate>,
    /// Probability of winning, in percent.
    pub probability: Option<f64>,
    /// The customer company.
    pub company_id: Option<String>,
    /// The user who owns the deal.
    pub owner_id: Option<String>,
    /// Free-text description.
    pub description: Option<String>,
    /// Where the deal came from.
    pub source: Option<String>,
    /// Whether the deal is closed (won or lost).
    pub is_closed: Option<bool>,
    /// Whether the deal was won.
    pub is_won: Option<bool>,
    /// When the deal was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the deal was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

/// A deal to create. `name`, `stage` and `close_date` are required: Salesforce needs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewDeal {
    /// Deal name (required).
    pub name: String,
    /// Pipeline stage (required).
    pub stage: String,
    /// Expected close date (required).
    pub close_date: NaiveDate,
    /// Expected amount.
    #[serde(default, with = "crate::number::exact")]
    pub amount: Option<Decimal>,
    /// ISO 4217 code of `amount`.
    #[serde(default)]
    pub currency: Option<String>,
    /// Probability of winning, in percent; the stage's default when unset.
    #[serde(default)]
    pub probability: Option<f64>,
    /// The customer company.
    #[serde(default)]
    pub company_id: Option<String>,
    /// The owning user; the provider picks one when unset.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the deal came from.
    #[serde(default)]
    pub source: Option<String>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

impl NewDeal {
    /// A deal with only its required fields set.
    pub fn new(name: impl Into<String>, stage: impl Into<String>, close_date: NaiveDate) -> Self {
        NewDeal {
            name: name.into(),
            stage: stage.into(),
            close_date,
            amount: None,
            currency: None,
            probability: None,
            company_id: None,
            owner_id: None,
            description: None,
            source: None,
            custom: Custom::new(),
        }
    }
}

/// Changes to a deal: unset fields are left alone, null ones cleared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DealUpdate {
    /// Deal name.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub name: Field<String>,
    /// Pipeline stage.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub stage: Field<String>,
    /// Expected close date.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub close_date: Field<NaiveDate>,
    /// Expected amount.
    #[serde(
        default,
        skip_serializing_if = "Field::is_unset",
        with = "crate::number::exact"
    )]
    pub amount: Field<Decimal>,
    /// ISO 4217 code of `amount`.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub currency: Field<String>,
    /// Probability of winning, in percent.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub probability: Field<f64>,
    /// The customer company.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub company_id: Field<String>,
    /// The owning user.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub owner_id: Field<String>,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub description: Field<String>,
    /// Where the deal came from.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub source: Field<String>,
    /// Org-specific fields mapped under `custom`; a `null` value clears the field.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}
