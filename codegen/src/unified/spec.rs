//! Reading the mapping spec (`schemas/unified.toml`) into serde types that keep
//! the position of every value, so that errors can name the spec's line.
//!
//! Only the shape is checked here (unknown keys, wrong TOML types); what the
//! values mean is checked against the model by [`validate`](super::validate).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::error::SpecError;

/// The whole spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The spec format's version; only `1` exists.
    pub version: Spanned<i64>,
    /// Contact.
    pub contact: Option<Spanned<ResourceSpec>>,
    /// Lead.
    pub lead: Option<Spanned<ResourceSpec>>,
    /// Deal.
    pub deal: Option<Spanned<ResourceSpec>>,
    /// Meeting.
    pub meeting: Option<Spanned<ResourceSpec>>,
    /// Company.
    pub company: Option<Spanned<ResourceSpec>>,
    /// Note.
    pub note: Option<Spanned<ResourceSpec>>,
    /// Task.
    pub task: Option<Spanned<ResourceSpec>>,
    /// Pipeline stages.
    pub pipeline: Option<Spanned<ResourceSpec>>,
    /// Owner.
    pub owner: Option<Spanned<ResourceSpec>>,
}

impl Spec {
    /// The section of a resource, by its catalogue key.
    pub fn resource(&self, key: &str) -> Option<&Spanned<ResourceSpec>> {
        match key {
            "contact" => self.contact.as_ref(),
            "lead" => self.lead.as_ref(),
            "deal" => self.deal.as_ref(),
            "meeting" => self.meeting.as_ref(),
            "company" => self.company.as_ref(),
            "note" => self.note.as_ref(),
            "task" => self.task.as_ref(),
            "pipeline" => self.pipeline.as_ref(),
            "owner" => self.owner.as_ref(),
            _ => None,
        }
    }
}

/// One `[resource]` section.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceSpec {
    /// The Salesforce object's API name.
    pub object: Spanned<String>,
    /// Unified field → mapping.
    #[serde(default)]
    pub fields: BTreeMap<Spanned<String>, Spanned<Entry>>,
    /// `custom` key → mapping.
    #[serde(default)]
    pub custom: BTreeMap<Spanned<String>, Spanned<Entry>>,
}

/// One mapping: `"ApiName"` or a table of options.
#[derive(Debug, Default)]
pub struct Entry {
    /// The Salesforce field of a plain mapping; `"X"` is `{ field = "X" }`.
    pub field: Option<Spanned<String>>,
    /// `read`, `read-create`, `read-update` or `read-write`.
    pub access: Option<Spanned<String>>,
    /// `date-datetime` or `cents`.
    pub transform: Option<Spanned<String>>,
    /// For a polymorphic reference: the only object whose ids this field holds.
    pub target: Option<Spanned<String>>,
    /// Picklist value translation: Salesforce value → unified value.
    pub values: Option<Spanned<BTreeMap<Spanned<String>, Spanned<String>>>>,
    /// Text fields joined into one (read-only).
    pub join: Option<Spanned<Vec<Spanned<String>>>>,
    /// What goes between joined parts (default: one space).
    pub separator: Option<Spanned<String>>,
    /// Address part → Salesforce field.
    pub address: Option<Spanned<BTreeMap<Spanned<String>, Spanned<String>>>>,
    /// E-mail or phone slots: one Salesforce field per type.
    pub list: Option<Spanned<Vec<Spanned<Slot>>>>,
    /// A stage status from two boolean fields.
    pub flags: Option<Spanned<Flags>>,
    /// Why the field has no Salesforce counterpart.
    pub unmapped: Option<Spanned<String>>,
}

/// The table form of an entry.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryTable {
    field: Option<Spanned<String>>,
    access: Option<Spanned<String>>,
    transform: Option<Spanned<String>>,
    target: Option<Spanned<String>>,
    values: Option<Spanned<BTreeMap<Spanned<String>, Spanned<String>>>>,
    join: Option<Spanned<Vec<Spanned<String>>>>,
    separator: Option<Spanned<String>>,
    address: Option<Spanned<BTreeMap<Spanned<String>, Spanned<String>>>>,
    list: Option<Spanned<Vec<Spanned<Slot>>>>,
    flags: Option<Spanned<Flags>>,
    unmapped: Option<Spanned<String>>,
}

/// One slot of an e-mail or phone list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    /// The Salesforce field.
    pub field: Spanned<String>,
    /// The unified type the slot holds (`work`, `mobile`, …).
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
}

/// The two boolean fields a stage status is told from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flags {
    /// True when the stage closes a deal.
    pub closed: Spanned<String>,
    /// True when the stage wins a deal.
    pub won: Spanned<String>,
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = Entry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Salesforce field name or a table such as `{ field = \"Name\" }`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Entry, E> {
                // The span is the entry's own; `validate` takes it from the outer `Spanned`.
                Ok(Entry {
                    field: Some(Spanned::new(0..0, v.to_owned())),
                    ..Entry::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Entry, A::Error> {
                let t = EntryTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Entry {
                    field: t.field,
                    access: t.access,
                    transform: t.transform,
                    target: t.target,
                    values: t.values,
                    join: t.join,
                    separator: t.separator,
                    address: t.address,
                    list: t.list,
                    flags: t.flags,
                    unmapped: t.unmapped,
                })
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

/// Parses the spec's text; a TOML or shape error becomes one [`SpecError`].
pub fn parse(source: &str) -> Result<Spec, SpecError> {
    toml::from_str(source).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        SpecError::new(
            span,
            e.message().to_owned(),
            "write the spec as the comment at the top of `schemas/unified.toml` describes",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_entry_form() {
        let spec = parse(
            r#"
version = 1
[task]
object = "Task"
[task.fields]
id = "Id"
status = { field = "Status", values = { "Not Started" = "notStarted" } }
dueDate = { field = "ActivityDate", transform = "date-datetime", access = "read" }
contactId = { field = "WhoId", target = "Contact" }
[task.custom]
region = "Region__c"
[owner]
object = "User"
[owner.fields]
name = { join = ["FirstName", "LastName"], separator = " " }
emails = { list = [{ field = "Email", type = "work" }] }
address = { address = { street = "Street", postalCode = "PostalCode" } }
status = { flags = { closed = "IsClosed", won = "IsWon" } }
attendeeIds = { unmapped = "no EventRelation" }
"#,
        )
        .expect("a valid spec");
        assert_eq!(*spec.version.get_ref(), 1);
        let task = spec.resource("task").expect("task section").get_ref();
        assert_eq!(task.object.get_ref(), "Task");
        let id = task
            .fields
            .iter()
            .find(|(k, _)| k.get_ref() == "id")
            .expect("id")
            .1
            .get_ref();
        assert!(
            id.field.as_ref().is_some_and(|f| f.span().is_empty()),
            "the shorthand has no span of its own"
        );
        assert_eq!(id.field.as_ref().map(|f| f.get_ref().as_str()), Some("Id"));
        assert_eq!(task.custom.len(), 1);
        let owner = spec.resource("owner").expect("owner section").get_ref();
        assert_eq!(owner.fields.len(), 5);
        assert!(spec.resource("lead").is_none());
    }

    #[test]
    fn shape_errors_carry_their_position() {
        let source = "version = 1\n[contact]\nobject = \"Contact\"\n[contact.fields]\nx = { feld = \"A\" }\n";
        let err = parse(source).expect_err("unknown key");
        assert_eq!(err.line_col(source), (5, 7));
        assert!(
            err.message.contains("unknown field `feld`"),
            "{}",
            err.message
        );
        let err =
            parse("version = 1\n[contcat]\nobject = \"Contact\"\n").expect_err("unknown resource");
        assert!(
            err.message.contains("unknown field `contcat`"),
            "{}",
            err.message
        );
        let err = parse("version = 1\n[lead]\nobject = \"Lead\"\nfields = { name = 3 }\n")
            .expect_err("a number");
        assert!(
            err.message.contains("a Salesforce field name or a table"),
            "{}",
            err.message
        );
    }
}
