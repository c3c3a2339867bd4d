//! Why a unified form cannot become a Salesforce record.

use crate::IdError;

/// Why converting a unified create or update form to a Salesforce record failed.
///
/// Generated mappers return it; every variant names the unified field (as it is
/// spelled in JSON) so the message can be shown to whoever sent the form.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MappingError {
    /// Salesforce requires fields that the form leaves empty.
    #[error("{resource}: Salesforce requires {}, which the form leaves empty", .fields.join(", "))]
    Missing {
        /// The unified resource, e.g. `Note`.
        resource: &'static str,
        /// Every missing unified field, e.g. `title` or `one of contactId, companyId, dealId`.
        fields: Vec<String>,
    },
    /// An id is not a Salesforce id of the expected object.
    #[error("`{field}` is not a valid id: {source}")]
    InvalidId {
        /// The unified field.
        field: &'static str,
        /// Why the id was rejected.
        source: IdError,
    },
    /// The field has no Salesforce counterpart in this org's mapping.
    #[error("`{field}` cannot be saved to Salesforce: {reason}")]
    Unmapped {
        /// The unified field.
        field: &'static str,
        /// Why the mapping spec leaves it unmapped.
        reason: &'static str,
    },
    /// The field is mapped for reading only, or not for this operation.
    #[error("`{field}` cannot be {operation} in Salesforce: its mapping is {access}")]
    NotWritable {
        /// The unified field.
        field: &'static str,
        /// `created` or `updated`.
        operation: &'static str,
        /// The mapping's access, e.g. `read-only`.
        access: &'static str,
    },
    /// An update clears a field Salesforce cannot leave empty.
    #[error("`{field}` cannot be cleared: Salesforce's `{sf_field}` is not nillable")]
    NotNullable {
        /// The unified field.
        field: &'static str,
        /// The Salesforce field.
        sf_field: &'static str,
    },
    /// An enum value has no Salesforce picklist value in the mapping's table.
    #[error("`{field}` value `{value}` has no Salesforce value in the mapping (mapped values: {})", .known.join(", "))]
    UnmappedValue {
        /// The unified field.
        field: &'static str,
        /// The unified value.
        value: String,
        /// The unified values the table maps.
        known: &'static [&'static str],
    },
    /// Several unified fields were set that all write one Salesforce field.
    #[error("only one of {} can be set: they all map to Salesforce's `{sf_field}`", .fields.join(", "))]
    Conflict {
        /// The unified fields that were set.
        fields: Vec<&'static str>,
        /// The Salesforce field they share.
        sf_field: &'static str,
    },
    /// A list holds an item no Salesforce field is left for.
    #[error("`{field}`: no Salesforce field is left for `{item}` (the mapping has room for: {})", .slots.join(", "))]
    NoRoom {
        /// The unified list field.
        field: &'static str,
        /// The item that did not fit.
        item: String,
        /// The types the mapping has a field for, in order.
        slots: Vec<String>,
    },
    /// A number does not fit the Salesforce field.
    #[error("`{field}` value {value} does not fit Salesforce's field")]
    OutOfRange {
        /// The unified field.
        field: &'static str,
        /// The value.
        value: String,
    },
    /// The `custom` map has a key the mapping spec does not define.
    #[error("`custom.{key}` is not a custom field of this mapping (known: {})", .known.join(", "))]
    UnknownCustom {
        /// The key.
        key: String,
        /// The keys the spec defines for this resource and operation.
        known: &'static [&'static str],
    },
    /// A `custom` value has the wrong JSON shape for its Salesforce field.
    #[error("`custom.{key}` is not a valid value for Salesforce's `{sf_field}`: {reason}")]
    CustomValue {
        /// The key.
        key: String,
        /// The Salesforce field.
        sf_field: &'static str,
        /// What decoding reported.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_texts() {
        let cases = [
            (
                MappingError::Missing {
                    resource: "Note",
                    fields: vec!["title".into(), "one of contactId, companyId, dealId".into()],
                },
                "Note: Salesforce requires title, one of contactId, companyId, dealId, which the form leaves empty",
            ),
            (
                MappingError::InvalidId {
                    field: "companyId",
                    source: IdError::Length { id: "x".into(), len: 1 },
                },
                "`companyId` is not a valid id: a Salesforce id has 15 or 18 characters, `x` has 1",
            ),
            (
                MappingError::Unmapped { field: "currency", reason: "multi-currency is off" },
                "`currency` cannot be saved to Salesforce: multi-currency is off",
            ),
            (
                MappingError::NotWritable { field: "contactId", operation: "updated", access: "create-only" },
                "`contactId` cannot be updated in Salesforce: its mapping is create-only",
            ),
            (
                MappingError::NotNullable { field: "lastName", sf_field: "LastName" },
                "`lastName` cannot be cleared: Salesforce's `LastName` is not nillable",
            ),
            (
                MappingError::UnmappedValue { field: "status", value: "blocked".into(), known: &["open", "done"] },
                "`status` value `blocked` has no Salesforce value in the mapping (mapped values: open, done)",
            ),
            (
                MappingError::Conflict { fields: vec!["contactId", "leadId"], sf_field: "WhoId" },
                "only one of contactId, leadId can be set: they all map to Salesforce's `WhoId`",
            ),
            (
                MappingError::NoRoom { field: "phones", item: "home".into(), slots: vec!["work".into(), "mobile".into()] },
                "`phones`: no Salesforce field is left for `home` (the mapping has room for: work, mobile)",
            ),
            (
                MappingError::OutOfRange { field: "employees", value: "99999999999".into() },
                "`employees` value 99999999999 does not fit Salesforce's field",
            ),
            (
                MappingError::UnknownCustom { key: "regon".into(), known: &["region"] },
                "`custom.regon` is not a custom field of this mapping (known: region)",
            ),
            (
                MappingError::CustomValue { key: "region".into(), sf_field: "Region__c", reason: "expected a string".into() },
                "`custom.region` is not a valid value for Salesforce's `Region__c`: expected a string",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }
}
