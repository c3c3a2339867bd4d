//! Checks the spec against the model and resolves it into a [`Plan`].
//!
//! Every problem is collected (not just the first), each with the span of the
//! spec value it concerns, what is wrong and how to fix it.

use std::ops::Range;

use toml::Spanned;

use super::error::SpecError;
use super::plan::{
    Access, Conv, CustomPlan, Direct, FieldPlan, Mapping, Plan, ResourcePlan, Target, Timeline,
};
use super::spec::{Entry, ResourceSpec, Spec};
use super::suggest::{backticked, did_you_mean};
use crate::model::{Field, FieldType, Model, Object};
use crate::types::Scalar;
use sfgen_runtime::unified::catalog::{
    Create, Kind, Resource, UnifiedField, ADDRESS_PARTS, EMAIL_TYPES, PHONE_TYPES, RESOURCES,
};

/// The spec's transforms.
const TRANSFORMS: &[&str] = &["date-datetime", "cents"];

/// The spec's access values and what they allow.
const ACCESS: &[(&str, Access)] = &[
    ("read", Access::READ),
    (
        "read-create",
        Access {
            read: true,
            create: true,
            update: false,
        },
    ),
    (
        "read-update",
        Access {
            read: true,
            create: false,
            update: true,
        },
    ),
    (
        "read-write",
        Access {
            read: true,
            create: true,
            update: true,
        },
    ),
];

/// Which resources to map: the objects the schemas describe (the model may
/// hold only some of them) and, when set, the only resources wanted.
#[derive(Debug, Default)]
pub struct Scope<'a> {
    /// Every object of the schemas, generated or not. A resource whose object
    /// is described but not generated is left out; one whose object is not
    /// described at all is a mistake in the spec. Empty: the model's objects.
    pub described: Vec<&'a str>,
    /// Only these resources (catalogue keys); all when `None`.
    pub only: Option<&'a [String]>,
}

/// Checks `spec` against `model`; the plan, or every problem found.
pub fn validate<'m>(
    spec: &Spec,
    model: &'m Model,
    scope: &Scope<'_>,
) -> Result<Plan<'m>, Vec<SpecError>> {
    let mut errors = Vec::new();
    if *spec.version.get_ref() != 1 {
        errors.push(SpecError::new(
            spec.version.span(),
            format!("unknown spec version {}", spec.version.get_ref()),
            "write `version = 1`",
        ));
    }
    let mut resources = Vec::new();
    let mut left_out = Vec::new();
    if let Some(only) = scope.only {
        for key in only {
            if !RESOURCES.iter().any(|def| def.key == key) {
                errors.push(SpecError::new(
                    0..0,
                    format!(
                        "`{key}` is not a unified resource{}",
                        did_you_mean(key, RESOURCES.iter().map(|d| d.key))
                    ),
                    format!(
                        "use some of {}",
                        backticked(RESOURCES.iter().map(|d| d.key))
                    ),
                ));
            }
        }
    }
    let generated = |name: &str| model.objects.iter().any(|o| o.api_name == name);
    for def in RESOURCES {
        if scope
            .only
            .is_some_and(|only| !only.iter().any(|k| k == def.key))
        {
            continue;
        }
        let section = spec.resource(def.key);
        if let Some(section) = section {
            let object = section.get_ref().object.get_ref();
            if !generated(object) {
                // Not generated: left out when the schemas describe it (a subset
                // was asked for) or when it is the default object the schemas
                // simply do not have; a custom object name that nothing
                // describes is more likely a typo, reported below.
                let why = if scope.described.contains(&object.as_str()) {
                    Some("is not generated")
                } else if object == def.default_object {
                    Some("is not in the schemas")
                } else {
                    None
                };
                if let Some(why) = why {
                    left_out.push(format!(
                        "unified resource `{}` left out: its object `{object}` {why}",
                        def.key
                    ));
                    continue;
                }
            }
            let needs: Vec<&str> = section
                .get_ref()
                .fields
                .values()
                .filter_map(|e| e.get_ref().target.as_ref())
                .map(|t| t.get_ref().as_str())
                .filter(|t| !generated(t) && scope.described.contains(t))
                .collect();
            if let Some(missing) = needs.first() {
                left_out.push(format!(
                    "unified resource `{}` left out: it points at `{missing}`, which is not generated",
                    def.key
                ));
                continue;
            }
        }
        match section {
            Some(section) => {
                let mut cx = Cx { def, model, errors: Vec::new() };
                if let Some(plan) = cx.resource(section) {
                    resources.push(plan);
                }
                errors.append(&mut cx.errors);
            }
            None if scope.only.is_some() => errors.push(SpecError::new(
                0..0,
                format!("`{}` is asked for, but the spec has no `[{}]` section", def.key, def.key),
                format!(
                    "add `[{}]` with `object = \"{}\"` and a `[{}.fields]` table (copy it from the default `schemas/unified.toml`)",
                    def.key, def.default_object, def.key
                ),
            )),
            None => left_out.push(format!(
                "unified resource `{}` left out: the spec has no `[{}]` section",
                def.key, def.key
            )),
        }
    }
    if errors.is_empty() {
        Ok(Plan {
            resources,
            left_out,
        })
    } else {
        errors.sort_by_key(|e| e.span.start);
        Err(errors)
    }
}

/// The spec's name for an access.
fn access_name(access: Access) -> &'static str {
    match access.name() {
        "read-only" => "read",
        other => other,
    }
}

/// Where the text of a spec value is: its own span, or the whole entry's for the
/// `"Field"` shorthand (whose inner span is empty).
fn span_in(inner: &Spanned<String>, entry: Range<usize>) -> Range<usize> {
    if inner.span().is_empty() {
        entry
    } else {
        inner.span()
    }
}

/// A field's describe type and Rust type, for messages.
fn sf_type(field: &Field) -> String {
    format!("`{}`", field.describe_type)
}

/// What fits a unified kind, for fixes.
fn fits(kind: Kind) -> &'static str {
    match kind {
        Kind::Id => "an `id` or `reference` field",
        Kind::Text => "a text field (`string`, `textarea`, `email`, `phone`, `url`, `combobox`) or a `picklist`",
        Kind::Bool => "a `boolean` field",
        Kind::Int => "an `int`, `long` or whole-number `double` field",
        Kind::Decimal => "a `currency` field, or a whole-number field of cents with `transform = \"cents\"`",
        Kind::Float => "a `double`, `percent`, `int` or `currency` field",
        Kind::Date => "a `date` field, or a `datetime` field with `transform = \"date-datetime\"`",
        Kind::DateTime => "a `datetime` field, or a `date` field with `transform = \"date-datetime\"`",
        Kind::Enum(_) => "a `picklist` field with a `values` table",
        Kind::Address => "five text fields: `{ address = { street = …, city = …, state = …, postalCode = …, country = … } }`",
        Kind::Emails | Kind::Phones => "text fields, one per type: `{ list = [{ field = …, type = … }] }`",
        Kind::StageStatus => "two boolean fields: `{ flags = { closed = …, won = … } }`",
        Kind::IdList => "nothing in a standard org: write `{ unmapped = \"why\" }`",
    }
}

/// How a unified kind converts to a Salesforce type, given the transform.
fn conversion(kind: Kind, ty: &FieldType, transform: Option<&str>) -> Option<Conv> {
    use Scalar as S;
    let conv = match (kind, ty, transform) {
        (Kind::Text, FieldType::Scalar(S::String), None) => Conv::Same,
        (Kind::Text, FieldType::Picklist(_), None) => Conv::Picklist,
        (Kind::Id, FieldType::OwnId | FieldType::Id(_) | FieldType::RecordId { .. }, None) => {
            Conv::Id
        }
        (Kind::Bool, FieldType::Scalar(S::Bool), None) => Conv::Same,
        (Kind::Int, FieldType::Scalar(S::I64 | S::WholeNumber), None) => Conv::Same,
        (Kind::Int, FieldType::Scalar(S::I32), None) => Conv::I32,
        (Kind::Decimal, FieldType::Scalar(S::Decimal), None) => Conv::Same,
        (Kind::Decimal, FieldType::Scalar(S::I64 | S::WholeNumber), Some("cents")) => {
            Conv::CentsI64
        }
        (Kind::Decimal, FieldType::Scalar(S::I32), Some("cents")) => Conv::CentsI32,
        (Kind::Float, FieldType::Scalar(S::F64), None) => Conv::Same,
        (Kind::Float, FieldType::Scalar(S::I64 | S::WholeNumber), None) => Conv::FloatWhole,
        (Kind::Float, FieldType::Scalar(S::I32), None) => Conv::FloatI32,
        (Kind::Float, FieldType::Scalar(S::Decimal), None) => Conv::FloatDecimal,
        (Kind::Date, FieldType::Scalar(S::Date), None) => Conv::Same,
        (Kind::Date, FieldType::Scalar(S::DateTime), Some("date-datetime")) => {
            Conv::DateFromDateTime
        }
        (Kind::DateTime, FieldType::Scalar(S::DateTime), None) => Conv::DateTime,
        (Kind::DateTime, FieldType::Scalar(S::Date), Some("date-datetime")) => {
            Conv::DateTimeFromDate
        }
        (Kind::Enum(def), FieldType::Picklist(_), None) => Conv::Enum(def),
        _ => return None,
    };
    Some(conv)
}

/// What a transform does, for messages.
fn transform_use(transform: &str) -> &'static str {
    match transform {
        "cents" => "`cents` maps a unified decimal amount to a whole-number Salesforce field holding cents",
        _ => "`date-datetime` maps a unified date-time to a Salesforce `date` (midnight UTC) or a unified date to a Salesforce `datetime` (its UTC date)",
    }
}

/// Two mappings that write one Salesforce field.
struct Clash {
    /// The Salesforce field.
    field: String,
    /// The first unified name that writes it.
    first: String,
    /// The second.
    second: String,
    /// Where the second is in the spec.
    span: Range<usize>,
    /// `create`, `update` or both.
    operations: Vec<&'static str>,
}

/// Checks one resource.
struct Cx<'m> {
    def: &'static Resource,
    model: &'m Model,
    errors: Vec<SpecError>,
}

/// A resolved field mapping and where the spec wrote it.
struct Resolved<'m> {
    plan: FieldPlan<'m>,
    span: Range<usize>,
}

impl<'m> Cx<'m> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, fix: impl Into<String>) {
        self.errors.push(SpecError::new(span, message, fix));
    }

    fn object(&self) -> &'static str {
        self.def.name
    }

    fn resource(&mut self, section: &Spanned<ResourceSpec>) -> Option<ResourcePlan<'m>> {
        let spec = section.get_ref();
        let object_name = spec.object.get_ref();
        let Some(object) = self
            .model
            .objects
            .iter()
            .find(|o| &o.api_name == object_name)
        else {
            let hint = did_you_mean(
                object_name,
                self.model.objects.iter().map(|o| o.api_name.as_str()),
            );
            self.error(
                spec.object.span(),
                format!("`[{}]` maps to `{object_name}`, which is not an object of the schemas{hint}", self.def.key),
                format!(
                    "name an object the schemas describe, or add `{object_name}`'s describe to the schemas directory (and to `--objects` if you use it)"
                ),
            );
            return None;
        };
        if self.def.write.is_some() {
            let refused: Vec<&str> = [
                (object.create.is_none(), "createable"),
                (object.update.is_none(), "updateable"),
            ]
            .into_iter()
            .filter_map(|(missing, flag)| missing.then_some(flag))
            .collect();
            if !refused.is_empty() {
                self.error(
                    spec.object.span(),
                    format!(
                        "`[{}]` maps to `{object_name}`, whose describe says it is not {}, but {} can be created and updated",
                        self.def.key,
                        refused.join(" or "),
                        self.object()
                    ),
                    format!("map `[{}]` to an object that can be created and updated", self.def.key),
                );
                return None;
            }
        }
        let before = self.errors.len();
        for key in spec.fields.keys() {
            if self.def.field(key.get_ref()).is_none() {
                let hint = did_you_mean(key.get_ref(), self.def.fields.iter().map(|f| f.name));
                let names: Vec<&str> = self.def.fields.iter().map(|f| f.name).collect();
                self.error(
                    key.span(),
                    format!(
                        "{} has no unified field `{}`{hint}",
                        self.object(),
                        key.get_ref()
                    ),
                    format!(
                        "use one of {}, or put an org-specific field under `[{}.custom]`",
                        names.join(", "),
                        self.def.key
                    ),
                );
            }
        }
        let mut resolved = Vec::new();
        for f in self.def.fields {
            match spec.fields.iter().find(|(k, _)| k.get_ref() == f.name) {
                Some((_, entry)) => {
                    if let Some(plan) = self.field(object, f, entry) {
                        resolved.push(Resolved { plan, span: entry.span() });
                    }
                }
                None => self.error(
                    section.span(),
                    format!("unified field `{}.{}` is not mapped", self.object(), f.name),
                    format!(
                        "map it (`{} = \"SalesforceField\"`) or say why it cannot be: `{} = {{ unmapped = \"why\" }}`",
                        f.name, f.name
                    ),
                ),
            }
        }
        let mut custom = Vec::new();
        for (key, entry) in &spec.custom {
            if let Some(plan) = self.custom(object, key, entry) {
                custom.push((plan, entry.span()));
            }
        }
        if self.errors.len() > before {
            return None;
        }
        self.check_writers(object, &resolved, &custom);
        self.check_required(object, section.span(), &resolved, &custom);
        let timeline = self.timeline(section.span(), &resolved);
        if self.errors.len() > before {
            return None;
        }
        Some(ResourcePlan {
            def: self.def,
            object,
            fields: resolved.into_iter().map(|r| r.plan).collect(),
            custom: custom.into_iter().map(|(c, _)| c).collect(),
            timeline,
        })
    }

    /// The model field named by the spec, or an error with a suggestion.
    fn sf_field(
        &mut self,
        object: &'m Object,
        name: &Spanned<String>,
        span: Range<usize>,
        what: &str,
    ) -> Option<&'m Field> {
        let api = name.get_ref();
        if let Some(f) = object.fields.iter().find(|f| &f.api_name == api) {
            return Some(f);
        }
        let hint = did_you_mean(api, object.fields.iter().map(|f| f.api_name.as_str()));
        self.error(
            span,
            format!(
                "`{}` has no field `{api}` (mapped by `{what}`){hint}",
                object.api_name
            ),
            format!(
                "map a field `{}` has, or add `{api}` to the org and fetch the describe again",
                object.api_name
            ),
        );
        None
    }

    /// The access a mapping asks for, narrowed to the forms the unified field is in.
    fn access(&mut self, forms: Access, spec: Option<&Spanned<String>>) -> Option<Access> {
        let asked = match spec {
            None => Access {
                read: true,
                create: true,
                update: true,
            },
            Some(s) => match ACCESS.iter().find(|(name, _)| *name == s.get_ref()) {
                Some((_, a)) => *a,
                None => {
                    let names: Vec<&str> = ACCESS.iter().map(|(n, _)| *n).collect();
                    self.error(
                        s.span(),
                        format!(
                            "unknown access `{}`{}",
                            s.get_ref(),
                            did_you_mean(s.get_ref(), names.iter().copied())
                        ),
                        format!("use one of {}", backticked(names.iter().copied())),
                    );
                    return None;
                }
            },
        };
        Some(Access {
            read: true,
            create: forms.create && asked.create,
            update: forms.update && asked.update,
        })
    }

    /// Errors when a mapping writes a field Salesforce does not let it write.
    fn check_capability(
        &mut self,
        label: &str,
        access: Access,
        fields: &[&'m Field],
        span: Range<usize>,
    ) {
        let create_ok = fields.iter().all(|f| f.in_create);
        let update_ok = fields.iter().all(|f| f.in_update);
        let narrowed = Access {
            read: true,
            create: access.create && create_ok,
            update: access.update && update_ok,
        };
        for (op, asked, ok, adjective, article) in [
            ("create", access.create, create_ok, "createable", "a"),
            ("update", access.update, update_ok, "updateable", "an"),
        ] {
            if asked && !ok {
                let bad: Vec<String> = fields
                    .iter()
                    .filter(|f| {
                        if op == "create" {
                            !f.in_create
                        } else {
                            !f.in_update
                        }
                    })
                    .map(|f| format!("`{}`", f.api_name))
                    .collect();
                self.error(
                    span.clone(),
                    format!("`{label}` is written on {op}, but {} {} not {adjective}", bad.join(", "), if bad.len() == 1 { "is" } else { "are" }),
                    format!(
                        "map {article} {adjective} field, or add `access = \"{}\"` so that the mapping is not used on {op} (setting it there is then refused)",
                        access_name(narrowed)
                    ),
                );
            }
        }
    }

    fn field(
        &mut self,
        object: &'m Object,
        f: &'static UnifiedField,
        entry: &Spanned<Entry>,
    ) -> Option<FieldPlan<'m>> {
        let e = entry.get_ref();
        let at = entry.span();
        let label = format!("{}.{}", self.object(), f.name);
        let shapes = [
            ("field", e.field.is_some()),
            ("join", e.join.is_some()),
            ("address", e.address.is_some()),
            ("list", e.list.is_some()),
            ("flags", e.flags.is_some()),
            ("unmapped", e.unmapped.is_some()),
        ];
        let present: Vec<&str> = shapes.iter().filter(|(_, p)| *p).map(|(n, _)| *n).collect();
        let [shape] = present.as_slice() else {
            let found = if present.is_empty() {
                "none".to_owned()
            } else {
                present.join(" and ")
            };
            self.error(
                at,
                format!("the mapping of `{label}` needs exactly one of `field`, `join`, `address`, `list`, `flags`, `unmapped` (it has {found})"),
                format!("write e.g. `{} = \"SalesforceField\"`", f.name),
            );
            return None;
        };
        let allowed: &[&str] = match *shape {
            "field" => &["access", "transform", "target", "values"],
            "join" => &["access", "separator"],
            "address" | "list" => &["access"],
            _ => &[],
        };
        let options = [
            ("access", e.access.as_ref().map(|s| s.span())),
            ("transform", e.transform.as_ref().map(|s| s.span())),
            ("target", e.target.as_ref().map(|s| s.span())),
            ("values", e.values.as_ref().map(|s| s.span())),
            ("separator", e.separator.as_ref().map(|s| s.span())),
        ];
        let mut ok = true;
        for (option, span) in options {
            if let Some(span) = span {
                if !allowed.contains(&option) {
                    self.error(
                        span,
                        format!("`{option}` does not apply to a `{shape}` mapping (`{label}`)"),
                        format!("remove `{option}`"),
                    );
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let forms = Access {
            read: true,
            create: f.create != Create::No,
            update: f.update,
        };
        let access = self.access(forms, e.access.as_ref())?;
        let mapping = match *shape {
            "field" => Mapping::Direct(self.direct(object, f, e, at.clone(), access, &label)?),
            "join" => self.join(object, f, e, at.clone(), access, &label)?,
            "address" => self.address(object, f, e, access, &label)?,
            "list" => self.list(object, f, e, access, &label)?,
            "flags" => self.flags(object, f, e, &label)?,
            _ => self.unmapped(f, e, at.clone(), &label)?,
        };
        let access = if matches!(mapping, Mapping::Unmapped { .. }) {
            Access {
                read: false,
                create: false,
                update: false,
            }
        } else {
            access
        };
        if f.create == Create::Required
            && !access.create
            && !matches!(mapping, Mapping::Unmapped { .. })
        {
            self.error(
                at.clone(),
                format!("`{label}` is required by the unified create form, so its mapping must be written on create"),
                "map it to a createable field and allow create (`access = \"read-write\"` or no `access`)",
            );
            return None;
        }
        if f.is_key() && !matches!(&mapping, Mapping::Direct(d) if d.field.ty == FieldType::OwnId) {
            self.error(
                at,
                format!("`{label}` must map to the object's own `Id`"),
                "write `id = \"Id\"`",
            );
            return None;
        }
        Some(FieldPlan {
            def: f,
            access,
            mapping,
        })
    }

    fn direct(
        &mut self,
        object: &'m Object,
        f: &'static UnifiedField,
        e: &Entry,
        at: Range<usize>,
        access: Access,
        label: &str,
    ) -> Option<Direct<'m>> {
        let name = e.field.as_ref()?;
        let name_span = span_in(name, at.clone());
        if matches!(
            f.kind,
            Kind::Address | Kind::Emails | Kind::Phones | Kind::StageStatus | Kind::IdList
        ) {
            self.error(
                name_span,
                format!(
                    "`{label}` is {}, which one field cannot hold",
                    f.kind.describe()
                ),
                format!("map it to {}", fits(f.kind)),
            );
            return None;
        }
        let field = self.sf_field(object, name, name_span.clone(), label)?;
        let transform = match &e.transform {
            None => None,
            Some(t) if TRANSFORMS.contains(&t.get_ref().as_str()) => Some(t),
            Some(t) => {
                self.error(
                    t.span(),
                    format!(
                        "unknown transform `{}`{}",
                        t.get_ref(),
                        did_you_mean(t.get_ref(), TRANSFORMS.iter().copied())
                    ),
                    format!("use one of {}", backticked(TRANSFORMS.iter().copied())),
                );
                return None;
            }
        };
        let Some(conv) = conversion(f.kind, &field.ty, transform.map(|t| t.get_ref().as_str()))
        else {
            match transform {
                Some(t) if conversion(f.kind, &field.ty, None).is_some() => self.error(
                    t.span(),
                    format!(
                        "`{label}` needs no transform to map `{}.{}`",
                        object.api_name, field.api_name
                    ),
                    format!("remove `transform = \"{}\"`", t.get_ref()),
                ),
                Some(t) => self.error(
                    t.span(),
                    format!(
                        "`transform = \"{}\"` cannot map `{label}` ({}) to `{}.{}` ({})",
                        t.get_ref(),
                        f.kind.describe(),
                        object.api_name,
                        field.api_name,
                        sf_type(field)
                    ),
                    format!(
                        "{}; `{label}` fits {}",
                        transform_use(t.get_ref()),
                        fits(f.kind)
                    ),
                ),
                None => self.error(
                    name_span,
                    format!(
                        "incompatible types: `{label}` is {}, but `{}.{}` is {}",
                        f.kind.describe(),
                        object.api_name,
                        field.api_name,
                        sf_type(field)
                    ),
                    format!("map `{label}` to {}", fits(f.kind)),
                ),
            }
            return None;
        };
        let target = match &e.target {
            None => None,
            Some(t) => Some(self.target(object, field, t, label)?),
        };
        let values = self.values(object, field, conv, e, at, label)?;
        self.check_capability(label, access, &[field], name_span);
        Some(Direct {
            field,
            conv,
            target,
            values,
        })
    }

    fn target(
        &mut self,
        object: &'m Object,
        field: &'m Field,
        t: &Spanned<String>,
        label: &str,
    ) -> Option<Target> {
        let FieldType::RecordId { targets, .. } = &field.ty else {
            self.error(
                t.span(),
                format!(
                    "`target` narrows polymorphic references, but `{}.{}` is not one",
                    object.api_name, field.api_name
                ),
                "remove `target`",
            );
            return None;
        };
        let name = t.get_ref();
        if !targets.contains(name) {
            self.error(
                t.span(),
                format!(
                    "`{}.{}` cannot point at `{name}` (mapped by `{label}`){}",
                    object.api_name,
                    field.api_name,
                    did_you_mean(name, targets.iter().map(String::as_str))
                ),
                format!("use one of {}", targets.join(", ")),
            );
            return None;
        }
        match self
            .model
            .objects
            .iter()
            .find(|o| &o.api_name == name)
            .and_then(|o| o.key_prefix.clone())
        {
            Some(key_prefix) => Some(Target {
                object: name.clone(),
                key_prefix,
            }),
            None => {
                self.error(
                    t.span(),
                    format!("`{name}` has no describe with a key prefix in the schemas, so its ids cannot be told apart (mapped by `{label}`)"),
                    format!("add `{name}`'s describe to the schemas directory"),
                );
                None
            }
        }
    }

    fn values(
        &mut self,
        object: &'m Object,
        field: &'m Field,
        conv: Conv,
        e: &Entry,
        at: Range<usize>,
        label: &str,
    ) -> Option<Vec<(String, String)>> {
        let picklist = match (&field.ty, conv) {
            (FieldType::Picklist(i), Conv::Picklist | Conv::Enum(_)) => &object.picklists[*i],
            _ => {
                if let Some(v) = &e.values {
                    self.error(
                        v.span(),
                        format!(
                            "`values` translates picklist values, but `{}.{}` is not a picklist",
                            object.api_name, field.api_name
                        ),
                        "remove `values`",
                    );
                    return None;
                }
                return Some(Vec::new());
            }
        };
        let Some(table) = &e.values else {
            if let Conv::Enum(def) = conv {
                self.error(
                    at,
                    format!("`{label}` is an enum, so its mapping needs a `values` table"),
                    format!(
                        "add `values = {{ \"Salesforce value\" = \"unified value\", … }}` (unified values: {})",
                        def.values().join(", ")
                    ),
                );
                return None;
            }
            return Some(Vec::new());
        };
        let known: Vec<&str> = picklist.variants.iter().map(|v| v.value.as_str()).collect();
        let mut pairs: Vec<(&Spanned<String>, &Spanned<String>)> = table.get_ref().iter().collect();
        pairs.sort_by_key(|(k, _)| k.span().start);
        let mut out = Vec::new();
        let mut ok = true;
        for (sf, unified) in pairs {
            if !known.contains(&sf.get_ref().as_str()) {
                self.error(
                    sf.span(),
                    format!(
                        "`{}.{}` has no picklist value `{}`{}",
                        object.api_name,
                        field.api_name,
                        sf.get_ref(),
                        did_you_mean(sf.get_ref(), known.iter().copied())
                    ),
                    format!(
                        "translate one of {}",
                        known
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                ok = false;
            }
            if let Conv::Enum(def) = conv {
                if def.variant(unified.get_ref()).is_none() {
                    self.error(
                        unified.span(),
                        format!(
                            "`{}` is not a value of unified `{}`{}",
                            unified.get_ref(),
                            def.rust,
                            did_you_mean(unified.get_ref(), def.values())
                        ),
                        format!("use one of {}", def.values().join(", ")),
                    );
                    ok = false;
                }
            }
            out.push((sf.get_ref().clone(), unified.get_ref().clone()));
        }
        ok.then_some(out)
    }

    fn join(
        &mut self,
        object: &'m Object,
        f: &'static UnifiedField,
        e: &Entry,
        at: Range<usize>,
        access: Access,
        label: &str,
    ) -> Option<Mapping<'m>> {
        let parts_spec = e.join.as_ref()?;
        if f.kind != Kind::Text {
            self.error(
                at,
                format!("`join` makes text, but `{label}` is {}", f.kind.describe()),
                format!("map `{label}` to {}", fits(f.kind)),
            );
            return None;
        }
        if access.create || access.update {
            self.error(
                at,
                format!("`{label}` is written, but a `join` can only be read"),
                "add `access = \"read\"` (writing the field is then refused), or map one field",
            );
            return None;
        }
        if parts_spec.get_ref().len() < 2 {
            self.error(
                parts_spec.span(),
                format!("`join` of `{label}` needs at least two fields"),
                "list the fields to join, or map one field",
            );
            return None;
        }
        let mut parts = Vec::new();
        for p in parts_spec.get_ref() {
            let field = self.sf_field(object, p, p.span(), label)?;
            if field.ty != FieldType::Scalar(Scalar::String) {
                self.error(
                    p.span(),
                    format!(
                        "`join` parts must be text, but `{}.{}` is {}",
                        object.api_name,
                        field.api_name,
                        sf_type(field)
                    ),
                    "join text fields only",
                );
                return None;
            }
            parts.push(field);
        }
        let separator = e
            .separator
            .as_ref()
            .map_or_else(|| " ".to_owned(), |s| s.get_ref().clone());
        Some(Mapping::Join { parts, separator })
    }

    fn text_field(
        &mut self,
        object: &'m Object,
        name: &Spanned<String>,
        label: &str,
    ) -> Option<&'m Field> {
        let field = self.sf_field(object, name, name.span(), label)?;
        if field.ty == FieldType::Scalar(Scalar::String) {
            Some(field)
        } else {
            self.error(
                name.span(),
                format!(
                    "`{label}` needs text fields, but `{}.{}` is {}",
                    object.api_name,
                    field.api_name,
                    sf_type(field)
                ),
                "map a text field",
            );
            None
        }
    }

    fn address(
        &mut self,
        object: &'m Object,
        f: &'static UnifiedField,
        e: &Entry,
        access: Access,
        label: &str,
    ) -> Option<Mapping<'m>> {
        let table = e.address.as_ref()?;
        if f.kind != Kind::Address {
            self.error(
                table.span(),
                format!("`{label}` is {}, not an address", f.kind.describe()),
                format!("map `{label}` to {}", fits(f.kind)),
            );
            return None;
        }
        let keys: Vec<&str> = ADDRESS_PARTS.iter().map(|(k, _)| *k).collect();
        let mut ok = true;
        for key in table.get_ref().keys() {
            if !keys.contains(&key.get_ref().as_str()) {
                self.error(
                    key.span(),
                    format!(
                        "an address has no part `{}`{}",
                        key.get_ref(),
                        did_you_mean(key.get_ref(), keys.iter().copied())
                    ),
                    format!("use the parts {}", keys.join(", ")),
                );
                ok = false;
            }
        }
        let mut parts = Vec::new();
        for key in &keys {
            match table.get_ref().iter().find(|(k, _)| k.get_ref() == key) {
                Some((_, name)) => match self.text_field(object, name, &format!("{label}.{key}")) {
                    Some(field) => parts.push(field),
                    None => ok = false,
                },
                None => {
                    self.error(
                        table.span(),
                        format!("the address of `{label}` has no `{key}`"),
                        format!("add `{key} = \"SalesforceField\"`"),
                    );
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let parts: [&'m Field; 5] = parts.try_into().ok()?;
        self.check_capability(label, access, &parts, table.span());
        Some(Mapping::Address { parts })
    }

    fn list(
        &mut self,
        object: &'m Object,
        f: &'static UnifiedField,
        e: &Entry,
        access: Access,
        label: &str,
    ) -> Option<Mapping<'m>> {
        let slots_spec = e.list.as_ref()?;
        let types = match f.kind {
            Kind::Emails => EMAIL_TYPES,
            Kind::Phones => PHONE_TYPES,
            other => {
                self.error(
                    slots_spec.span(),
                    format!("`{label}` is {}, not a list", other.describe()),
                    format!("map `{label}` to {}", fits(other)),
                );
                return None;
            }
        };
        if slots_spec.get_ref().is_empty() {
            self.error(slots_spec.span(), format!("the list of `{label}` is empty"), "add `{ field = \"SalesforceField\", type = \"work\" }`, or write `{ unmapped = \"why\" }`");
            return None;
        }
        let mut slots: Vec<(&'m Field, &'static str)> = Vec::new();
        let mut ok = true;
        for slot in slots_spec.get_ref() {
            let slot = slot.get_ref();
            let Some(field) = self.text_field(object, &slot.field, label) else {
                ok = false;
                continue;
            };
            if slots.iter().any(|(f, _)| f.api_name == field.api_name) {
                self.error(
                    slot.field.span(),
                    format!("`{}` is listed twice in `{label}`", field.api_name),
                    "list each field once",
                );
                ok = false;
                continue;
            }
            match types.iter().find(|(v, _)| v == slot.kind.get_ref()) {
                Some((_, variant)) => slots.push((field, variant)),
                None => {
                    let names: Vec<&str> = types.iter().map(|(v, _)| *v).collect();
                    self.error(
                        slot.kind.span(),
                        format!(
                            "`{}` is not a type of `{label}`{}",
                            slot.kind.get_ref(),
                            did_you_mean(slot.kind.get_ref(), names.iter().copied())
                        ),
                        format!("use one of {}", names.join(", ")),
                    );
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let fields: Vec<&'m Field> = slots.iter().map(|(f, _)| *f).collect();
        self.check_capability(label, access, &fields, slots_spec.span());
        Some(Mapping::List { slots })
    }

    fn flags(
        &mut self,
        object: &'m Object,
        f: &'static UnifiedField,
        e: &Entry,
        label: &str,
    ) -> Option<Mapping<'m>> {
        let flags = e.flags.as_ref()?;
        if f.kind != Kind::StageStatus {
            self.error(
                flags.span(),
                format!(
                    "`flags` make a stage status, but `{label}` is {}",
                    f.kind.describe()
                ),
                format!("map `{label}` to {}", fits(f.kind)),
            );
            return None;
        }
        let mut pick = |name: &Spanned<String>| -> Option<&'m Field> {
            let field = self.sf_field(object, name, name.span(), label)?;
            if field.ty == FieldType::Scalar(Scalar::Bool) {
                Some(field)
            } else {
                self.error(
                    name.span(),
                    format!(
                        "`flags` need boolean fields, but `{}.{}` is {}",
                        object.api_name,
                        field.api_name,
                        sf_type(field)
                    ),
                    "map a boolean field",
                );
                None
            }
        };
        let closed = pick(&flags.get_ref().closed);
        let won = pick(&flags.get_ref().won);
        Some(Mapping::Flags {
            closed: closed?,
            won: won?,
        })
    }

    fn unmapped(
        &mut self,
        f: &'static UnifiedField,
        e: &Entry,
        at: Range<usize>,
        label: &str,
    ) -> Option<Mapping<'m>> {
        let reason = e.unmapped.as_ref()?;
        if f.create == Create::Required || f.is_key() {
            self.error(
                at,
                format!("`{label}` cannot be unmapped: the unified model always has it"),
                "map it to a Salesforce field",
            );
            return None;
        }
        if reason.get_ref().trim().is_empty() {
            self.error(
                reason.span(),
                format!("the reason `{label}` is unmapped is empty"),
                "say why it has no Salesforce counterpart",
            );
            return None;
        }
        Some(Mapping::Unmapped {
            reason: reason.get_ref().clone(),
        })
    }

    fn custom(
        &mut self,
        object: &'m Object,
        key: &Spanned<String>,
        entry: &Spanned<Entry>,
    ) -> Option<CustomPlan<'m>> {
        let e = entry.get_ref();
        let label = format!("{}.custom.{}", self.object(), key.get_ref());
        let extra = e.transform.is_some()
            || e.target.is_some()
            || e.values.is_some()
            || e.join.is_some()
            || e.separator.is_some()
            || e.address.is_some()
            || e.list.is_some()
            || e.flags.is_some()
            || e.unmapped.is_some();
        let Some(name) = e.field.as_ref().filter(|_| !extra) else {
            self.error(
                entry.span(),
                format!("`{label}` must map one field, with at most an `access`"),
                format!("write `{} = \"Field__c\"` or `{} = {{ field = \"Field__c\", access = \"read\" }}`", key.get_ref(), key.get_ref()),
            );
            return None;
        };
        if key.get_ref().trim().is_empty() {
            self.error(
                key.span(),
                "a `custom` key is empty",
                "name the key the value gets in `custom`",
            );
            return None;
        }
        let span = span_in(name, entry.span());
        let field = self.sf_field(object, name, span.clone(), &label)?;
        let writable = self.def.is_writable();
        let forms = Access {
            read: true,
            create: writable,
            update: writable,
        };
        let access = self.access(forms, e.access.as_ref())?;
        self.check_capability(&label, access, &[field], span);
        Some(CustomPlan {
            key: key.get_ref().clone(),
            field,
            access,
        })
    }

    /// Errors when two mappings write one field in the same operation, unless
    /// they are references narrowed to different targets.
    fn check_writers(
        &mut self,
        object: &'m Object,
        resolved: &[Resolved<'m>],
        custom: &[(CustomPlan<'m>, Range<usize>)],
    ) {
        // (field, first writer, second writer, where) -> the operations they clash in.
        let mut clashes: Vec<Clash> = Vec::new();
        for (op, is) in [
            ("create", (|a: Access| a.create) as fn(Access) -> bool),
            ("update", |a: Access| a.update),
        ] {
            let mut writers: Vec<(&str, String, bool, Range<usize>)> = Vec::new();
            for r in resolved.iter().filter(|r| is(r.plan.access)) {
                let targeted = matches!(&r.plan.mapping, Mapping::Direct(d) if d.target.is_some());
                for field in r.plan.mapping.fields() {
                    writers.push((
                        field.api_name.as_str(),
                        r.plan.def.name.to_owned(),
                        targeted,
                        r.span.clone(),
                    ));
                }
            }
            for (c, span) in custom.iter().filter(|(c, _)| is(c.access)) {
                writers.push((
                    c.field.api_name.as_str(),
                    format!("custom.{}", c.key),
                    false,
                    span.clone(),
                ));
            }
            for (i, (api, name, targeted, span)) in writers.iter().enumerate() {
                let Some((_, first, first_targeted, _)) =
                    writers[..i].iter().find(|(a, ..)| a == api)
                else {
                    continue;
                };
                if *targeted && *first_targeted {
                    continue;
                }
                match clashes
                    .iter_mut()
                    .find(|c| c.field == *api && c.first == *first && c.second == *name)
                {
                    Some(clash) => clash.operations.push(op),
                    None => clashes.push(Clash {
                        field: (*api).to_owned(),
                        first: first.clone(),
                        second: name.clone(),
                        span: span.clone(),
                        operations: vec![op],
                    }),
                }
            }
        }
        for c in clashes {
            self.error(
                c.span,
                format!(
                    "`{}.{}` is written on {} by both `{}` and `{}`",
                    object.api_name,
                    c.field,
                    c.operations.join(" and "),
                    c.first,
                    c.second
                ),
                "narrow all but one with `access = \"read\"`, or, for a polymorphic reference, give each a different `target`",
            );
        }
    }

    /// Errors when Salesforce requires a field on create that no create mapping fills.
    fn check_required(
        &mut self,
        object: &'m Object,
        at: Range<usize>,
        resolved: &[Resolved<'m>],
        custom: &[(CustomPlan<'m>, Range<usize>)],
    ) {
        if !self.def.is_writable() {
            return;
        }
        for required in object.required_fields() {
            let mut plain = false;
            let mut inside = None;
            for r in resolved.iter().filter(|r| r.plan.access.create) {
                match &r.plan.mapping {
                    Mapping::Direct(d) if d.field.api_name == required.api_name => plain = true,
                    m if m.fields().iter().any(|f| f.api_name == required.api_name) => {
                        inside = Some(r.plan.def.name)
                    }
                    _ => {}
                }
            }
            plain |= custom
                .iter()
                .any(|(c, _)| c.access.create && c.field.api_name == required.api_name);
            if plain {
                continue;
            }
            let creates: Vec<&str> = self
                .def
                .fields
                .iter()
                .filter(|f| f.create != Create::No)
                .map(|f| f.name)
                .collect();
            match inside {
                Some(name) => self.error(
                    at.clone(),
                    format!(
                        "`{}.{}` is required on create, but only `{name}` fills it, as part of a list or address that may be empty",
                        object.api_name, required.api_name
                    ),
                    format!("map one of {}'s create fields to it directly, or add a `[{}.custom]` entry for it", self.def.name, self.def.key),
                ),
                None => self.error(
                    at.clone(),
                    format!(
                        "`{}.{}` is required on create (createable, not nillable, no default), but no create field of {} maps to it",
                        object.api_name, required.api_name, self.def.name
                    ),
                    format!(
                        "map one of {}'s create fields ({}) to `{}`, or add `[{}.custom]` `<key> = \"{}\"`",
                        self.def.name,
                        creates.join(", "),
                        required.api_name,
                        self.def.key,
                        required.api_name
                    ),
                ),
            }
        }
    }

    fn timeline(&mut self, at: Range<usize>, resolved: &[Resolved<'m>]) -> Option<Timeline<'m>> {
        let date_name = self.def.timeline_date?;
        let direct = |name: &str| {
            resolved
                .iter()
                .find(|r| r.plan.def.name == name && r.plan.access.read)
                .and_then(|r| match &r.plan.mapping {
                    Mapping::Direct(d) => Some(d.field),
                    _ => None,
                })
        };
        let Some(date) = direct(date_name) else {
            self.error(
                at,
                format!(
                    "activity timelines order {} by `{date_name}`, which must map to one field",
                    self.def.name
                ),
                format!("map `{date_name}` with `field`"),
            );
            return None;
        };
        let mut related: Vec<&'m Field> = Vec::new();
        for f in self.def.fields.iter().filter(|f| f.related) {
            if let Some(field) = direct(f.name) {
                if !related.iter().any(|r| r.api_name == field.api_name) {
                    related.push(field);
                }
            }
        }
        Some(Timeline { date, related })
    }
}
