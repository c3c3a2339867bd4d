//! Values several unified resources share: addresses, e-mail addresses, phone
//! numbers, pages of results and the `custom` map.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Extra fields an org maps under `custom` in its mapping spec, keyed by the
/// unified name the spec gives them.
pub type Custom = BTreeMap<String, serde_json::Value>;

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Street, possibly several lines joined with `\n`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, province or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Postal or ZIP code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Address {
    /// Whether no part of the address is set.
    pub fn is_empty(&self) -> bool {
        self.street.is_none()
            && self.city.is_none()
            && self.state.is_none()
            && self.postal_code.is_none()
            && self.country.is_none()
    }
}

/// What an e-mail address is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EmailType {
    /// Work address.
    Work,
    /// Personal address.
    Personal,
    /// Any other address.
    Other,
}

/// An e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    /// The address.
    pub address: String,
    /// What it is for; an address without a type goes to the first free slot
    /// when written.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EmailType>,
}

impl Email {
    /// An address of a given type.
    pub fn new(address: impl Into<String>, kind: EmailType) -> Self {
        Email {
            address: address.into(),
            kind: Some(kind),
        }
    }
}

/// What a phone number is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PhoneType {
    /// Work (main) number.
    Work,
    /// Mobile number.
    Mobile,
    /// Home number.
    Home,
    /// Fax number.
    Fax,
    /// Any other number.
    Other,
}

/// A phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    /// The number, as entered.
    pub number: String,
    /// What it is for; a number without a type goes to the first free slot
    /// when written.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<PhoneType>,
}

impl Phone {
    /// A number of a given type.
    pub fn new(number: impl Into<String>, kind: PhoneType) -> Self {
        Phone {
            number: number.into(),
            kind: Some(kind),
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The records of this page.
    pub items: Vec<T>,
    /// Pass this to the next `list` call to get the next page; `None` on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Serde helper: whether a `custom` map is empty (then it is not serialized).
pub(crate) fn is_empty(custom: &Custom) -> bool {
    custom.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_and_phone_types_are_camel_case_on_the_wire() {
        let json =
            serde_json::to_string(&Phone::new("+1 555", PhoneType::Mobile)).expect("serializes");
        assert_eq!(json, r#"{"number":"+1 555","type":"mobile"}"#);
        let email: Email =
            serde_json::from_str(r#"{"address":"a@b.c"}"#).expect("type is optional");
        assert_eq!(email.kind, None);
        let err = serde_json::from_str::<Email>(r#"{"address":"a@b.c","type":"pager"}"#);
        assert!(err.is_err(), "unknown e-mail types are rejected");
    }

    #[test]
    fn address_skips_missing_parts() {
        let a = Address {
            city: Some("Paris".into()),
            postal_code: Some("75001".into()),
            ..Address::default()
        };
        let json = serde_json::to_string(&a).expect("serializes");
        assert_eq!(json, r#"{"city":"Paris","postalCode":"75001"}"#);
        assert!(!a.is_empty());
        assert!(Address::default().is_empty());
    }
}
