//! Bulk queries over a generated field list: compound fields left out, their
//! component fields read instead.
//!
//! Bulk API rejects compound address and geolocation fields ("Selecting compound
//! data not supported in Bulk Query"). A compound field is recognised in
//! [`SObject::FIELDS`] by its components, which the list also holds:
//!
//! | compound | components |
//! |---|---|
//! | `<P>Address` (`BillingAddress`, Lead's `Address`) | `<P>Street`, `<P>City`, `<P>State`, `<P>StateCode`, `<P>PostalCode`, `<P>Country`, `<P>CountryCode`, `<P>Latitude`, `<P>Longitude`, `<P>GeocodeAccuracy` |
//! | `<P>__c` (custom geolocation) | `<P>__Latitude__s`, `<P>__Longitude__s` |
//! | `<P>Location` (standard geolocation) | `<P>Latitude`, `<P>Longitude` |
//!
//! When records are decoded, each compound value is rebuilt from its
//! components, so a generated record's `BillingAddress` is filled in as a REST
//! query would fill it.

use crate::SObject;

/// Address components: the key in the compound value, and the field-name suffix.
const ADDRESS_PARTS: &[(&str, &str)] = &[
    ("street", "Street"),
    ("city", "City"),
    ("state", "State"),
    ("stateCode", "StateCode"),
    ("postalCode", "PostalCode"),
    ("country", "Country"),
    ("countryCode", "CountryCode"),
    ("latitude", "Latitude"),
    ("longitude", "Longitude"),
    ("geocodeAccuracy", "GeocodeAccuracy"),
];

/// Components that only an address has (latitude and longitude also belong to
/// geolocations).
const ADDRESS_ONLY: &[&str] = &["Street", "City", "State", "PostalCode", "Country"];

/// A compound field and its components: `(key in the compound value, field)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Compound {
    pub(crate) name: &'static str,
    pub(crate) parts: Vec<(&'static str, String)>,
}

/// Recognises a compound field by the components present in `fields`.
fn compound(field: &'static str, fields: &[&str]) -> Option<Compound> {
    let has = |name: &str| fields.contains(&name);
    let present = |prefix: &str, parts: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        parts
            .iter()
            .map(|(key, suffix)| (*key, format!("{prefix}{suffix}")))
            .filter(|(_, name)| has(name))
            .collect()
    };
    if let Some(prefix) = field.strip_suffix("Address") {
        if ADDRESS_ONLY.iter().any(|s| has(&format!("{prefix}{s}"))) {
            return Some(Compound {
                name: field,
                parts: present(prefix, ADDRESS_PARTS),
            });
        }
    }
    let geo = [
        ("latitude", "__Latitude__s"),
        ("longitude", "__Longitude__s"),
    ];
    if let Some(base) = field.strip_suffix("__c") {
        let parts = present(base, &geo);
        if !parts.is_empty() {
            return Some(Compound { name: field, parts });
        }
    }
    if let Some(prefix) = field.strip_suffix("Location") {
        let parts = present(
            prefix,
            &[("latitude", "Latitude"), ("longitude", "Longitude")],
        );
        if parts.len() == 2 {
            return Some(Compound { name: field, parts });
        }
    }
    None
}

/// The compound fields of a field list.
pub(crate) fn compounds(fields: &'static [&'static str]) -> Vec<Compound> {
    fields.iter().filter_map(|f| compound(f, fields)).collect()
}

/// `T`'s generated field list without its compound fields: what a Bulk query
/// of `T` selects.
pub fn bulk_fields<T: SObject>() -> Vec<&'static str> {
    let skip: Vec<&str> = compounds(T::FIELDS).iter().map(|c| c.name).collect();
    T::FIELDS
        .iter()
        .copied()
        .filter(|f| !skip.contains(f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[&str] = &[
        "Id",
        "BillingStreet",
        "BillingCity",
        "BillingLatitude",
        "BillingAddress",
        "EmailAddress",
        "Site__Latitude__s",
        "Site__Longitude__s",
        "Site__c",
        "Other__c",
        "LastKnownLatitude",
        "LastKnownLongitude",
        "LastKnownLocation",
        "Street",
        "Address",
    ];

    #[test]
    fn compound_fields_are_found_by_their_components() {
        let found: Vec<&str> = compounds(FIELDS).iter().map(|c| c.name).collect();
        assert_eq!(
            found,
            ["BillingAddress", "Site__c", "LastKnownLocation", "Address"]
        );
        let billing = &compounds(FIELDS)[0];
        assert_eq!(
            billing.parts,
            [
                ("street", "BillingStreet".to_owned()),
                ("city", "BillingCity".to_owned()),
                ("latitude", "BillingLatitude".to_owned())
            ]
        );
    }
}
