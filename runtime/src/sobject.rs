//! The contract between generated objects and the runtime.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A Salesforce object whose bindings were generated from its describe.
///
/// The implementing type is the record *as read*: it deserializes from a record
/// returned by `GET /sobjects/<X>/<id>` or by a SOQL query that selected
/// [`SObject::FIELDS`].
pub trait SObject: DeserializeOwned + Send + 'static {
    /// The object's API name, e.g. `"Contact"` or `"Invoice__c"`.
    const API_NAME: &'static str;
    /// The three-character id prefix of this object's records (`"003"` for
    /// Contact), when the describe gives one.
    const KEY_PREFIX: Option<&'static str>;
    /// The API names of every field the generated record reads, in the order a
    /// SOQL `SELECT` lists them.
    const FIELDS: &'static [&'static str];
    /// The command that regenerates the bindings this type belongs to, as the
    /// generated crate records it (`sfgen generate --project sfgen.toml`, …);
    /// the schema-drift error names it.
    const REGENERATE: &'static str = "sfgen fetch && sfgen generate";

    /// `SELECT <FIELDS> FROM <API_NAME>`, the query that reads every generated field.
    fn soql_select() -> String {
        crate::soql::Select::object(Self::API_NAME)
            .fields(Self::FIELDS)
            .to_string()
    }
}

/// The create form of an object (`New<Object>`), serialized as a `POST` body.
pub trait CreateRecord: Serialize + Send + Sync {
    /// The object a created record becomes.
    type Object: SObject;
}

/// The update form of an object (`<Object>Update`), serialized as a `PATCH` body.
pub trait UpdateRecord: Serialize + Send + Sync {
    /// The object the update applies to.
    type Object: SObject;
}
