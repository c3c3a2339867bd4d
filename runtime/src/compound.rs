//! Compound field values: read-only groupings of component fields.

use serde::{Deserialize, Serialize};

/// An address compound field (`BillingAddress`, `MailingAddress`, …).
///
/// Read-only: write the component fields (`BillingStreet`, `BillingCity`, …) instead.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub state_code: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub country_code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub geocode_accuracy: Option<String>,
}

/// A geolocation compound field.
///
/// Read-only: write the component `__Latitude__s` / `__Longitude__s` fields instead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_recorded_address() {
        let json = r#"{"city":"San Francisco","country":"United States","geocodeAccuracy":null,
            "latitude":null,"longitude":null,"postalCode":"94105","state":"California",
            "street":"415 Mission Street"}"#;
        let a: Address = serde_json::from_str(json).expect("decodes");
        assert_eq!(a.city.as_deref(), Some("San Francisco"));
        assert_eq!(a.state_code, None);
    }
}
