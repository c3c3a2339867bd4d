//! Owner: a user who can own records. Read-only.

use serde::{Deserialize, Serialize};

use super::common::{is_empty, Custom};

/// A user who can own records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    /// The provider's user id.
    pub id: String,
    /// Full name.
    pub name: Option<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Whether the user can log in.
    pub is_active: Option<bool>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}
