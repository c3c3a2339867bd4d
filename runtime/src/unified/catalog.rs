//! The unified model as data: every resource of this module, its fields,
//! their kinds and which forms hold them, and the conversion helpers generated
//! mappers call.
//!
//! `sfgen generate` reads this catalogue (it depends on the runtime's contract)
//! to check `unified.toml` and emit mappers, so a unified field is added in one
//! place: its type here beside the struct. A test serializes every resource's
//! forms and compares their keys with the catalogue, so the two cannot drift.

/// What a unified field holds; decides which Salesforce fields and transforms fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An id, as a string (`String`).
    Id,
    /// Text (`String`).
    Text,
    /// `bool`.
    Bool,
    /// A whole number (`i64`).
    Int,
    /// An exact decimal (`rust_decimal::Decimal`).
    Decimal,
    /// A floating-point number (`f64`).
    Float,
    /// A date (`chrono::NaiveDate`).
    Date,
    /// A date-time in UTC (`chrono::DateTime<Utc>`).
    DateTime,
    /// A unified enum with an `Other(String)` fallback.
    Enum(&'static EnumDef),
    /// `unified::Address`.
    Address,
    /// `Vec<unified::Email>`.
    Emails,
    /// `Vec<unified::Phone>`.
    Phones,
    /// `unified::StageStatus` (open, won, lost).
    StageStatus,
    /// `Vec<String>` of ids.
    IdList,
}

impl Kind {
    /// How the kind is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Id => "an id",
            Kind::Text => "text",
            Kind::Bool => "a boolean",
            Kind::Int => "a whole number",
            Kind::Decimal => "an exact decimal",
            Kind::Float => "a floating-point number",
            Kind::Date => "a date",
            Kind::DateTime => "a date-time",
            Kind::Enum(_) => "an enum",
            Kind::Address => "an address",
            Kind::Emails => "a list of e-mail addresses",
            Kind::Phones => "a list of phone numbers",
            Kind::StageStatus => "a stage status (open, won, lost)",
            Kind::IdList => "a list of ids",
        }
    }
}

/// A unified enum: its Rust name and its variants.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumDef {
    /// The type in `sfgen_runtime::unified`, e.g. `TaskStatus`.
    pub rust: &'static str,
    /// `(value as spelled in JSON, variant)`.
    pub variants: &'static [(&'static str, &'static str)],
}

impl EnumDef {
    /// The variant for a JSON value.
    pub fn variant(&self, value: &str) -> Option<&'static str> {
        self.variants
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, variant)| *variant)
    }

    /// The JSON values, for messages.
    pub fn values(&self) -> Vec<&'static str> {
        self.variants.iter().map(|(v, _)| *v).collect()
    }
}

/// `unified::TaskStatus`.
pub const TASK_STATUS: EnumDef = EnumDef {
    rust: "TaskStatus",
    variants: &[
        ("notStarted", "NotStarted"),
        ("inProgress", "InProgress"),
        ("completed", "Completed"),
        ("waiting", "Waiting"),
        ("deferred", "Deferred"),
    ],
};

/// `unified::TaskPriority`.
pub const TASK_PRIORITY: EnumDef = EnumDef {
    rust: "TaskPriority",
    variants: &[("high", "High"), ("normal", "Normal"), ("low", "Low")],
};

/// `unified::EmailType`, the slot types of an e-mail list.
pub const EMAIL_TYPES: &[(&str, &str)] = &[
    ("work", "Work"),
    ("personal", "Personal"),
    ("other", "Other"),
];

/// `unified::PhoneType`, the slot types of a phone list.
pub const PHONE_TYPES: &[(&str, &str)] = &[
    ("work", "Work"),
    ("mobile", "Mobile"),
    ("home", "Home"),
    ("fax", "Fax"),
    ("other", "Other"),
];

/// The parts of `unified::Address`: `(spec key, Rust field)`, in the order the
/// runtime's address helpers take them.
pub const ADDRESS_PARTS: [(&str, &str); 5] = [
    ("street", "street"),
    ("city", "city"),
    ("state", "state"),
    ("postalCode", "postal_code"),
    ("country", "country"),
];

/// A conversion helper in [`convert`](super::convert) that generated mappers
/// call. The generator names helpers through this enum, never by a string it
/// writes itself; a test references every function, so renaming one without
/// its row here fails to compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Helper {
    /// `convert::date_to_datetime`.
    DateToDatetime,
    /// `convert::datetime_to_date`.
    DatetimeToDate,
    /// `convert::cents_to_decimal`.
    CentsToDecimal,
    /// `convert::decimal_to_cents`.
    DecimalToCents,
    /// `convert::f64_to_cents`.
    F64ToCents,
    /// `convert::cents_to_f64`.
    CentsToF64,
    /// `convert::narrow`.
    Narrow,
    /// `convert::join`.
    Join,
    /// `convert::address`.
    Address,
    /// `convert::read_emails`.
    ReadEmails,
    /// `convert::read_phones`.
    ReadPhones,
    /// `convert::write_emails`.
    WriteEmails,
    /// `convert::write_phones`.
    WritePhones,
    /// `convert::update_slots`.
    UpdateSlots,
    /// `convert::update_address`.
    UpdateAddress,
    /// `convert::split_address`.
    SplitAddress,
    /// `convert::parse_id`.
    ParseId,
    /// `convert::parse_record_id`.
    ParseRecordId,
    /// `convert::parse_id_with_prefix`.
    ParseIdWithPrefix,
    /// `convert::id_with_prefix`.
    IdWithPrefix,
    /// `convert::at_most_one`.
    AtMostOne,
    /// `convert::not_null`.
    NotNull,
    /// `convert::try_map`.
    TryMap,
    /// `convert::to_json`.
    ToJson,
    /// `convert::from_json`.
    FromJson,
    /// `convert::from_json_update`.
    FromJsonUpdate,
    /// `convert::check_custom_keys`.
    CheckCustomKeys,
    /// `convert::unmapped`.
    Unmapped,
    /// `convert::not_writable`.
    NotWritable,
    /// `convert::whole_to_f64`.
    WholeToF64,
    /// `convert::f64_to_whole`.
    F64ToWhole,
    /// `convert::decimal_to_f64`.
    DecimalToF64,
    /// `convert::f64_to_decimal`.
    F64ToDecimal,
    /// `convert::stage_status`.
    StageStatus,
}

/// Every helper and its function's name.
const HELPERS: &[(Helper, &str)] = &[
    (Helper::DateToDatetime, "date_to_datetime"),
    (Helper::DatetimeToDate, "datetime_to_date"),
    (Helper::CentsToDecimal, "cents_to_decimal"),
    (Helper::DecimalToCents, "decimal_to_cents"),
    (Helper::F64ToCents, "f64_to_cents"),
    (Helper::CentsToF64, "cents_to_f64"),
    (Helper::Narrow, "narrow"),
    (Helper::Join, "join"),
    (Helper::Address, "address"),
    (Helper::ReadEmails, "read_emails"),
    (Helper::ReadPhones, "read_phones"),
    (Helper::WriteEmails, "write_emails"),
    (Helper::WritePhones, "write_phones"),
    (Helper::UpdateSlots, "update_slots"),
    (Helper::UpdateAddress, "update_address"),
    (Helper::SplitAddress, "split_address"),
    (Helper::ParseId, "parse_id"),
    (Helper::ParseRecordId, "parse_record_id"),
    (Helper::ParseIdWithPrefix, "parse_id_with_prefix"),
    (Helper::IdWithPrefix, "id_with_prefix"),
    (Helper::AtMostOne, "at_most_one"),
    (Helper::NotNull, "not_null"),
    (Helper::TryMap, "try_map"),
    (Helper::ToJson, "to_json"),
    (Helper::FromJson, "from_json"),
    (Helper::FromJsonUpdate, "from_json_update"),
    (Helper::CheckCustomKeys, "check_custom_keys"),
    (Helper::Unmapped, "unmapped"),
    (Helper::NotWritable, "not_writable"),
    (Helper::WholeToF64, "whole_to_f64"),
    (Helper::F64ToWhole, "f64_to_whole"),
    (Helper::DecimalToF64, "decimal_to_f64"),
    (Helper::F64ToDecimal, "f64_to_decimal"),
    (Helper::StageStatus, "stage_status"),
];

impl Helper {
    /// The function's name in [`convert`](super::convert).
    pub fn name(self) -> &'static str {
        HELPERS
            .iter()
            .find(|(h, _)| *h == self)
            .map_or("", |(_, name)| name)
    }
}

/// Whether the create form holds a field, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// Not in the create form.
    No,
    /// An `Option` (or an empty list) the caller may leave out.
    Optional,
    /// A plain value: leaving it out does not compile.
    Required,
}

/// One field of a unified resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnifiedField {
    /// The name in JSON and in the spec, e.g. `firstName`.
    pub name: &'static str,
    /// The Rust field, e.g. `first_name`.
    pub rust: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether and how the create form holds it (every field is in the read form).
    pub create: Create,
    /// Whether the update form holds it.
    pub update: bool,
    /// Whether it points at a record an activity timeline can be about.
    pub related: bool,
}

impl UnifiedField {
    /// The record's own id: the read form's only non-`Option` field.
    pub fn is_key(&self) -> bool {
        self.name == "id"
    }
}

/// Read-only: the read form only.
const fn ro(name: &'static str, rust: &'static str, kind: Kind) -> UnifiedField {
    UnifiedField {
        name,
        rust,
        kind,
        create: Create::No,
        update: false,
        related: false,
    }
}

/// Read, create (optional) and update.
const fn rw(name: &'static str, rust: &'static str, kind: Kind) -> UnifiedField {
    UnifiedField {
        name,
        rust,
        kind,
        create: Create::Optional,
        update: true,
        related: false,
    }
}

/// Read, create (required) and update.
const fn req(name: &'static str, rust: &'static str, kind: Kind) -> UnifiedField {
    UnifiedField {
        name,
        rust,
        kind,
        create: Create::Required,
        update: true,
        related: false,
    }
}

/// Read and create (optional), not update.
const fn rc(name: &'static str, rust: &'static str, kind: Kind) -> UnifiedField {
    UnifiedField {
        name,
        rust,
        kind,
        create: Create::Optional,
        update: false,
        related: false,
    }
}

/// Marks a field as pointing at a timeline's record.
const fn related(f: UnifiedField) -> UnifiedField {
    UnifiedField { related: true, ..f }
}

const ID: UnifiedField = ro("id", "id", Kind::Id);
const CREATED_AT: UnifiedField = ro("createdAt", "created_at", Kind::DateTime);
const UPDATED_AT: UnifiedField = ro("updatedAt", "updated_at", Kind::DateTime);
const OWNER_ID: UnifiedField = rw("ownerId", "owner_id", Kind::Id);
const DESCRIPTION: UnifiedField = rw("description", "description", Kind::Text);

/// One unified resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    /// The spec's table name, e.g. `contact`; also the generated module's name.
    pub key: &'static str,
    /// The resource's name in messages and the generated mapper, e.g. `Contact`.
    pub name: &'static str,
    /// The Salesforce object of the default mapping.
    pub default_object: &'static str,
    /// The read form in `sfgen_runtime::unified`.
    pub read: &'static str,
    /// The create and update forms, unless the resource is read-only.
    pub write: Option<(&'static str, &'static str)>,
    /// For resources in activity timelines: the unified field timelines order by.
    pub timeline_date: Option<&'static str>,
    /// The `Mappings` associated type the mapper fills, e.g. `Contact`.
    pub slot: &'static str,
    /// The fields, in the read form's order (`custom` excluded).
    pub fields: &'static [UnifiedField],
}

impl Resource {
    /// The field with this JSON name.
    pub fn field(&self, name: &str) -> Option<&'static UnifiedField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Whether the resource has create and update forms.
    pub fn is_writable(&self) -> bool {
        self.write.is_some()
    }
}

/// Every unified resource with a mapping, in the order the spec and the
/// generated code list them. (Activity is not here: it merges Task and Meeting.)
pub const RESOURCES: &[Resource] = &[
    Resource {
        key: "contact",
        name: "Contact",
        default_object: "Contact",
        read: "Contact",
        write: Some(("NewContact", "ContactUpdate")),
        timeline_date: None,
        slot: "Contact",
        fields: &[
            ID,
            rw("firstName", "first_name", Kind::Text),
            req("lastName", "last_name", Kind::Text),
            rw("emails", "emails", Kind::Emails),
            rw("phones", "phones", Kind::Phones),
            rw("title", "title", Kind::Text),
            rw("department", "department", Kind::Text),
            rw("companyId", "company_id", Kind::Id),
            OWNER_ID,
            rw("address", "address", Kind::Address),
            DESCRIPTION,
            rw("birthday", "birthday", Kind::Date),
            CREATED_AT,
            UPDATED_AT,
        ],
    },
    Resource {
        key: "lead",
        name: "Lead",
        default_object: "Lead",
        read: "Lead",
        write: Some(("NewLead", "LeadUpdate")),
        timeline_date: None,
        slot: "Lead",
        fields: &[
            ID,
            rw("firstName", "first_name", Kind::Text),
            req("lastName", "last_name", Kind::Text),
            req("company", "company", Kind::Text),
            rw("title", "title", Kind::Text),
            rw("emails", "emails", Kind::Emails),
            rw("phones", "phones", Kind::Phones),
            rw("status", "status", Kind::Text),
            rw("source", "source", Kind::Text),
            rw("industry", "industry", Kind::Text),
            rw("website", "website", Kind::Text),
            rw("address", "address", Kind::Address),
            OWNER_ID,
            DESCRIPTION,
            ro("isConverted", "is_converted", Kind::Bool),
            ro("convertedContactId", "converted_contact_id", Kind::Id),
            ro("convertedCompanyId", "converted_company_id", Kind::Id),
            ro("convertedDealId", "converted_deal_id", Kind::Id),
            CREATED_AT,
            UPDATED_AT,
        ],
    },
    Resource {
        key: "deal",
        name: "Deal",
        default_object: "Opportunity",
        read: "Deal",
        write: Some(("NewDeal", "DealUpdate")),
        timeline_date: None,
        slot: "Deal",
        fields: &[
            ID,
            req("name", "name", Kind::Text),
            rw("amount", "amount", Kind::Decimal),
            rw("currency", "currency", Kind::Text),
            req("stage", "stage", Kind::Text),
            req("closeDate", "close_date", Kind::Date),
            rw("probability", "probability", Kind::Float),
            rw("companyId", "company_id", Kind::Id),
            OWNER_ID,
            DESCRIPTION,
            rw("source", "source", Kind::Text),
            ro("isClosed", "is_closed", Kind::Bool),
            ro("isWon", "is_won", Kind::Bool),
            CREATED_AT,
            UPDATED_AT,
        ],
    },
    Resource {
        key: "meeting",
        name: "Meeting",
        default_object: "Event",
        read: "Meeting",
        write: Some(("NewMeeting", "MeetingUpdate")),
        timeline_date: Some("start"),
        slot: "Meeting",
        fields: &[
            ID,
            req("subject", "subject", Kind::Text),
            req("start", "start", Kind::DateTime),
            req("end", "end", Kind::DateTime),
            rw("isAllDay", "is_all_day", Kind::Bool),
            rw("location", "location", Kind::Text),
            DESCRIPTION,
            OWNER_ID,
            related(rw("contactId", "contact_id", Kind::Id)),
            related(rw("leadId", "lead_id", Kind::Id)),
            related(rw("companyId", "company_id", Kind::Id)),
            related(rw("dealId", "deal_id", Kind::Id)),
            rw("attendeeIds", "attendee_ids", Kind::IdList),
            CREATED_AT,
            UPDATED_AT,
        ],
    },
    Resource {
        key: "company",
        name: "Company",
        default_object: "Account",
        read: "Company",
        write: Some(("NewCompany", "CompanyUpdate")),
        timeline_date: None,
        slot: "Company",
        fields: &[
            ID,
            req("name", "name", Kind::Text),
            rw("industry", "industry", Kind::Text),
            rw("website", "website", Kind::Text),
            rw("phone", "phone", Kind::Text),
            rw("employees", "employees", Kind::Int),
            rw("annualRevenue", "annual_revenue", Kind::Decimal),
            rw("address", "address", Kind::Address),
            OWNER_ID,
            DESCRIPTION,
            CREATED_AT,
            UPDATED_AT,
        ],
    },
    Resource {
        key: "note",
        name: "Note",
        default_object: "Note",
        read: "Note",
        write: Some(("NewNote", "NoteUpdate")),
        timeline_date: None,
        slot: "Note",
        fields: &[
            ID,
            req("title", "title", Kind::Text),
            rw("body", "body", Kind::Text),
            rc("contactId", "contact_id", Kind::Id),
            rc("companyId", "company_id", Kind::Id),
            rc("dealId", "deal_id", Kind::Id),
            OWNER_ID,
            CREATED_AT,
            UPDATED_AT,
        ],
    },
    Resource {
        key: "task",
        name: "Task",
        default_object: "Task",
        read: "Task",
        write: Some(("NewTask", "TaskUpdate")),
        timeline_date: Some("dueDate"),
        slot: "Task",
        fields: &[
            ID,
            req("subject", "subject", Kind::Text),
            rw("status", "status", Kind::Enum(&TASK_STATUS)),
            rw("priority", "priority", Kind::Enum(&TASK_PRIORITY)),
            rw("dueDate", "due_date", Kind::DateTime),
            DESCRIPTION,
            OWNER_ID,
            related(rw("contactId", "contact_id", Kind::Id)),
            related(rw("leadId", "lead_id", Kind::Id)),
            related(rw("companyId", "company_id", Kind::Id)),
            related(rw("dealId", "deal_id", Kind::Id)),
            ro("isClosed", "is_closed", Kind::Bool),
            CREATED_AT,
            UPDATED_AT,
        ],
    },
    Resource {
        key: "pipeline",
        name: "Pipeline",
        default_object: "OpportunityStage",
        read: "PipelineStage",
        write: None,
        timeline_date: None,
        slot: "Pipeline",
        fields: &[
            ID,
            ro("label", "label", Kind::Text),
            ro("value", "value", Kind::Text),
            ro("order", "order", Kind::Int),
            ro("probability", "probability", Kind::Float),
            ro("status", "status", Kind::StageStatus),
            ro("isActive", "is_active", Kind::Bool),
        ],
    },
    Resource {
        key: "owner",
        name: "Owner",
        default_object: "User",
        read: "Owner",
        write: None,
        timeline_date: None,
        slot: "Owner",
        fields: &[
            ID,
            ro("name", "name", Kind::Text),
            ro("firstName", "first_name", Kind::Text),
            ro("lastName", "last_name", Kind::Text),
            ro("email", "email", Kind::Text),
            ro("isActive", "is_active", Kind::Bool),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_starts_with_its_read_only_id() {
        for r in RESOURCES {
            assert_eq!(r.fields.first(), Some(&ID), "{}", r.key);
            assert_eq!(
                r.fields.iter().filter(|f| f.is_key()).count(),
                1,
                "{}",
                r.key
            );
        }
    }

    #[test]
    fn names_are_unique_and_read_only_resources_have_no_write_fields() {
        for r in RESOURCES {
            let mut names: Vec<&str> = r.fields.iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), r.fields.len(), "{}", r.key);
            if !r.is_writable() {
                assert!(
                    r.fields.iter().all(|f| f.create == Create::No && !f.update),
                    "{}",
                    r.key
                );
            }
            if let Some(date) = r.timeline_date {
                assert!(r.field(date).is_some(), "{}", r.key);
            }
        }
        let keys: Vec<&str> = RESOURCES.iter().map(|r| r.key).collect();
        assert_eq!(
            keys,
            [
                "contact", "lead", "deal", "meeting", "company", "note", "task", "pipeline",
                "owner"
            ]
        );
    }

    use crate::unified as u;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use serde_json::{json, Map, Value};

    /// A JSON value of the kind: a sample for required fields, else empty.
    fn sample(kind: Kind, required: bool) -> Value {
        match (kind, required) {
            (Kind::Emails | Kind::Phones | Kind::IdList, _) => json!([]),
            (Kind::Text | Kind::Id, true) => json!("x"),
            (Kind::Date, true) => json!("2026-01-01"),
            (Kind::DateTime, true) => json!("2026-01-01T00:00:00Z"),
            _ => Value::Null,
        }
    }

    /// The keys `T` serializes after decoding `object`.
    fn round_trip<T: Serialize + DeserializeOwned>(object: Map<String, Value>) -> Vec<String> {
        let value: T = serde_json::from_value(Value::Object(object)).expect("decodes");
        let Value::Object(back) = serde_json::to_value(value).expect("encodes") else {
            panic!("not an object")
        };
        let mut keys: Vec<String> = back.keys().cloned().collect();
        keys.sort();
        keys
    }

    fn sorted(names: impl Iterator<Item = &'static str>) -> Vec<String> {
        let mut v: Vec<String> = names.map(str::to_owned).collect();
        v.sort();
        v
    }

    /// Checks one resource's three forms against the runtime's types.
    fn check<R, C, U>(r: &Resource)
    where
        R: Serialize + DeserializeOwned,
        C: Serialize + DeserializeOwned,
        U: Serialize + DeserializeOwned,
    {
        let read: Map<String, Value> = r
            .fields
            .iter()
            .map(|f| {
                (
                    f.name.to_owned(),
                    if f.is_key() {
                        json!("x")
                    } else {
                        sample(f.kind, false)
                    },
                )
            })
            .collect();
        assert_eq!(
            round_trip::<R>(read),
            sorted(r.fields.iter().map(|f| f.name)),
            "{} read form",
            r.name
        );
        if !r.is_writable() {
            return;
        }
        let creates: Vec<&UnifiedField> =
            r.fields.iter().filter(|f| f.create != Create::No).collect();
        let create: Map<String, Value> = creates
            .iter()
            .map(|f| {
                (
                    f.name.to_owned(),
                    sample(f.kind, f.create == Create::Required),
                )
            })
            .collect();
        // Optional fields left `null` serialize as `null`, so every create field comes back.
        assert_eq!(
            round_trip::<C>(create.clone()),
            sorted(creates.iter().map(|f| f.name)),
            "{} create form",
            r.name
        );
        for required in creates.iter().filter(|f| f.create == Create::Required) {
            let mut without = create.clone();
            without.remove(required.name);
            let err = serde_json::from_value::<C>(Value::Object(without)).err();
            assert!(
                err.is_some(),
                "{} create form without `{}` must not decode",
                r.name,
                required.name
            );
        }
        let update: Map<String, Value> = r
            .fields
            .iter()
            .filter(|f| f.update)
            .map(|f| (f.name.to_owned(), Value::Null))
            .collect();
        assert_eq!(
            round_trip::<U>(update),
            sorted(r.fields.iter().filter(|f| f.update).map(|f| f.name)),
            "{} update form",
            r.name
        );
    }

    #[test]
    fn the_catalogue_matches_the_runtime_types() {
        for r in RESOURCES {
            match r.key {
                "contact" => check::<u::Contact, u::NewContact, u::ContactUpdate>(r),
                "lead" => check::<u::Lead, u::NewLead, u::LeadUpdate>(r),
                "deal" => check::<u::Deal, u::NewDeal, u::DealUpdate>(r),
                "meeting" => check::<u::Meeting, u::NewMeeting, u::MeetingUpdate>(r),
                "company" => check::<u::Company, u::NewCompany, u::CompanyUpdate>(r),
                "note" => check::<u::Note, u::NewNote, u::NoteUpdate>(r),
                "task" => check::<u::Task, u::NewTask, u::TaskUpdate>(r),
                "pipeline" => check::<u::PipelineStage, (), ()>(r),
                "owner" => check::<u::Owner, (), ()>(r),
                other => panic!("no runtime type for `{other}`"),
            }
        }
        assert_eq!(
            sorted(TASK_STATUS.values().into_iter()),
            sorted(u::TaskStatus::VALUES.iter().copied())
        );
        assert_eq!(
            sorted(TASK_PRIORITY.values().into_iter()),
            sorted(u::TaskPriority::VALUES.iter().copied())
        );
        for (value, _) in EMAIL_TYPES {
            serde_json::from_value::<u::EmailType>(json!(value)).expect("an e-mail type");
        }
        for (value, _) in PHONE_TYPES {
            serde_json::from_value::<u::PhoneType>(json!(value)).expect("a phone type");
        }
    }

    #[test]
    fn every_helper_names_a_function_of_convert() {
        let source = include_str!("convert.rs");
        for (helper, name) in HELPERS {
            assert_eq!(helper.name(), *name);
            assert!(
                source.contains(&format!("pub fn {name}("))
                    || source.contains(&format!("pub fn {name}<")),
                "convert::{name} ({helper:?}) is not a public function"
            );
        }
    }

    #[test]
    fn enum_lookups() {
        assert_eq!(TASK_STATUS.variant("inProgress"), Some("InProgress"));
        assert_eq!(TASK_STATUS.variant("InProgress"), None);
        assert_eq!(TASK_PRIORITY.values(), ["high", "normal", "low"]);
    }
}
