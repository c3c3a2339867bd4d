//! Resolves a parsed query against an org's describes: canonical object,
//! field and relationship names, each field's comparison kind, and literals
//! typed for the field they are compared with. Every `INVALID_FIELD`,
//! `INVALID_TYPE` and type-mismatch error is found here, before any record
//! is read.

use chrono::NaiveDate;

use super::ast::{
    Cond, FieldPath, Ident, LikeOperand, Literal, LiteralAt, Nulls, Query, SelectItem,
};
use super::error::{
    SoqlError, INVALID_FIELD, INVALID_QUERY_FILTER_OPERATOR, INVALID_TYPE, MALFORMED_QUERY,
};
use super::lexer::CmpOp;
use super::literal::{epoch_days, LikeTok, DAY_MS};
use super::DataSource;

/// Salesforce allows at most five parent relationships in one path.
const MAX_PARENT_LEVELS: usize = 5;

/// How values of a field compare, from its describe type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Strings and picklists: case-insensitive.
    Text,
    /// `id` and `reference`: by the case-sensitive 15-character id.
    Id,
    /// `boolean`: null counts as false.
    Bool,
    /// `int`, `double`, `currency`, `percent`, `long`.
    Number,
    /// `date`, as days since the epoch.
    Date,
    /// `datetime`, as UTC milliseconds since the epoch.
    DateTime,
    /// `time`: sortable as text, not filterable in this subset.
    Time,
    /// `multipicklist`: only `INCLUDES` / `EXCLUDES` filter it, outside this subset.
    MultiPicklist,
    /// Compound, binary and other types SOQL can neither filter nor sort.
    Opaque,
}

impl Kind {
    /// The kind of a describe `type`.
    pub fn of(field_type: &str) -> Kind {
        match field_type.to_ascii_lowercase().as_str() {
            "string" | "picklist" | "textarea" | "email" | "phone" | "url" | "combobox"
            | "encryptedstring" => Kind::Text,
            "id" | "reference" => Kind::Id,
            "boolean" => Kind::Bool,
            "int" | "double" | "currency" | "percent" | "long" => Kind::Number,
            "date" => Kind::Date,
            "datetime" => Kind::DateTime,
            "time" => Kind::Time,
            "multipicklist" => Kind::MultiPicklist,
            _ => Kind::Opaque,
        }
    }

    /// The type name Salesforce's filter messages use.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Text | Kind::Time => "string",
            Kind::Id => "id",
            Kind::Bool => "boolean",
            Kind::Number => "double",
            Kind::Date => "date",
            Kind::DateTime => "dateTime",
            Kind::MultiPicklist => "multipicklist",
            Kind::Opaque => "anyType",
        }
    }
}

/// Fields of Salesforce's `Name` entity that a polymorphic relationship
/// (`Owner`, `What`, `Who`) reaches without `TYPEOF`, with their kinds. `Type`
/// is the referenced record's object name.
pub const NAME_ENTITY_FIELDS: &[(&str, Kind)] = &[
    ("Id", Kind::Id),
    ("Name", Kind::Text),
    ("Type", Kind::Text),
    ("Alias", Kind::Text),
    ("CommunityNickname", Kind::Text),
    ("Email", Kind::Text),
    ("FirstName", Kind::Text),
    ("IsActive", Kind::Bool),
    ("LastName", Kind::Text),
    ("Phone", Kind::Text),
    ("Title", Kind::Text),
    ("Username", Kind::Text),
];

/// One parent relationship step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The relationship's canonical name (`Account`), the key in output rows.
    pub name: String,
    /// The foreign-key field holding the parent's id (`AccountId`).
    pub foreign_key: String,
    /// Whether the relationship can point at more than one object.
    pub polymorphic: bool,
}

/// The field at the end of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leaf {
    /// A field of a known object, by canonical name.
    Field(String),
    /// A `Name`-entity field behind a polymorphic relationship; resolved on
    /// the object the record actually references.
    NameField(&'static str),
    /// `Type` behind a polymorphic relationship: the referenced object's name.
    TypeName,
}

impl Leaf {
    /// The canonical name, the key in output rows.
    pub fn key(&self) -> &str {
        match self {
            Leaf::Field(name) => name,
            Leaf::NameField(name) => name,
            Leaf::TypeName => "Type",
        }
    }
}

/// A resolved field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// Parent relationships, outermost first.
    pub hops: Vec<Hop>,
    /// The field.
    pub leaf: Leaf,
    /// How its values compare.
    pub kind: Kind,
}

/// A literal typed for the field it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// `null`.
    Null,
    /// A string, in upper case (comparisons are by upper case).
    Text(String),
    /// The first 15 characters of an id.
    Id(String),
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A date (days since the epoch) or dateTime (UTC ms since the epoch).
    Point(i64),
    /// A relative date literal: a half-open range `[start, end)` in the unit of `Point`.
    Range(i64, i64),
}

/// A test on one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `field op value`.
    Cmp(CmpOp, Operand),
    /// `field [NOT] IN (...)`.
    In {
        /// `NOT IN`.
        negated: bool,
        /// The values.
        operands: Vec<Operand>,
    },
    /// `field LIKE 'pattern'`.
    Like(Vec<LikeTok>),
    /// `field [NOT] IN (SELECT ...)` once the subquery ran: the first 15
    /// characters of the ids it selected.
    InIds {
        /// `NOT IN`.
        negated: bool,
        /// The ids.
        ids: std::collections::HashSet<String>,
    },
}

/// A resolved `WHERE` condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Pred {
    /// All hold.
    And(Vec<Pred>),
    /// One holds.
    Or(Vec<Pred>),
    /// Does not hold.
    Not(Box<Pred>),
    /// A test on a field.
    Test(Path, Test),
    /// A semi-join or anti-join before its subquery ran (see
    /// [`super::semijoin::resolve`], which turns it into [`Test::InIds`]).
    SemiJoin {
        /// The outer field.
        path: Path,
        /// `NOT IN`.
        negated: bool,
        /// The subquery's plan.
        inner: Box<Plan>,
    },
}

/// A resolved `ORDER BY` key.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    /// The field.
    pub path: Path,
    /// `DESC`.
    pub descending: bool,
    /// Where nulls go.
    pub nulls: Nulls,
}

/// A query resolved against an org, ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The canonical object name.
    pub object: String,
    /// `SELECT COUNT()`.
    pub count: bool,
    /// The selected fields, in query order.
    pub select: Vec<Path>,
    /// The `WHERE` condition.
    pub filter: Option<Pred>,
    /// The `ORDER BY` keys.
    pub order: Vec<SortKey>,
    /// `LIMIT`.
    pub limit: Option<usize>,
    /// `OFFSET`.
    pub offset: usize,
}

/// Resolves `query` against `source`; `today` anchors relative date literals.
/// Aggregate queries have no record plan ([`super::aggregate_on`] runs them).
pub fn plan<S: DataSource>(query: &Query, source: &S, today: NaiveDate) -> Result<Plan, SoqlError> {
    if query.is_aggregate() {
        return Err(SoqlError::new(
            MALFORMED_QUERY,
            "An aggregate query returns AggregateResult rows, not records",
        ));
    }
    Binder::new(query, source)?.plan(today)
}

/// Where a condition holds a semi-join or anti-join, if it does.
fn semi_join_pos(cond: &Cond) -> Option<usize> {
    match cond {
        Cond::InQuery { path, .. } => Some(path.pos()),
        Cond::And(conds) | Cond::Or(conds) => conds.iter().find_map(semi_join_pos),
        Cond::Not(inner) => semi_join_pos(inner),
        _ => None,
    }
}

/// A resolved path by canonical names, dot-separated (`Account.Name`).
pub fn canonical(path: &Path) -> String {
    let mut names: Vec<&str> = path.hops.iter().map(|h| h.name.as_str()).collect();
    names.push(path.leaf.key());
    names.join(".")
}

fn saturate(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Resolves names of one query against one org.
pub struct Binder<'s, S> {
    /// The query (or subquery) being resolved.
    pub query: &'s Query,
    /// The org.
    pub source: &'s S,
    /// The canonical name of the queried object.
    pub object: String,
}

impl<'s, S: DataSource> Binder<'s, S> {
    /// Resolves the `FROM` object.
    pub fn new(query: &'s Query, source: &'s S) -> Result<Self, SoqlError> {
        let object = source
            .object_name(&query.from.text)
            .ok_or_else(|| {
                SoqlError::at(
                    INVALID_TYPE,
                    &query.text,
                    query.from.pos,
                    &format!(
                        "sObject type '{}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
                        query.from.text
                    ),
                )
            })?
            .to_owned();
        Ok(Self {
            query,
            source,
            object,
        })
    }

    /// A binder for `query` on `object` (a canonical name), whatever its
    /// `FROM` says: a child subquery names its relationship there.
    pub fn on(query: &'s Query, source: &'s S, object: String) -> Self {
        Self {
            query,
            source,
            object,
        }
    }

    /// The record plan of the query.
    pub fn plan(&self, today: NaiveDate) -> Result<Plan, SoqlError> {
        let select = self.select(today)?;
        let filter = self
            .query
            .filter
            .as_ref()
            .map(|cond| self.predicate(cond, today))
            .transpose()?;
        let order = self
            .query
            .order
            .iter()
            .map(|key| {
                if key.function.is_some() {
                    return Err(self.error(
                        MALFORMED_QUERY,
                        key.path.pos(),
                        "Aggregate functions in ORDER BY need GROUP BY or an aggregated SELECT list",
                    ));
                }
                let path = self.path(&key.path)?;
                self.check_sortable(&key.path, &path)?;
                Ok(SortKey {
                    path,
                    descending: key.descending,
                    nulls: key.nulls,
                })
            })
            .collect::<Result<Vec<_>, SoqlError>>()?;
        Ok(Plan {
            object: self.object.clone(),
            count: self.query.is_count(),
            select,
            filter,
            order,
            limit: self.query.limit.map(saturate),
            offset: self.query.offset.map_or(0, saturate),
        })
    }

    /// An error at byte offset `pos` of the query.
    pub fn error(&self, code: &'static str, pos: usize, detail: &str) -> SoqlError {
        SoqlError::at(code, &self.query.text, pos, detail)
    }

    pub fn no_such_column(&self, field: &Ident, entity: &str) -> SoqlError {
        self.error(
            INVALID_FIELD,
            field.pos,
            &format!(
                "No such column '{}' on entity '{entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                field.text
            ),
        )
    }

    pub fn no_such_relationship(&self, segment: &Ident) -> SoqlError {
        self.error(
            INVALID_FIELD,
            segment.pos,
            &format!(
                "Didn't understand relationship '{}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
                segment.text
            ),
        )
    }

    /// The selected fields, checking subqueries and `TYPEOF` too; a column
    /// selected twice is an error, as in Salesforce.
    fn select(&self, today: NaiveDate) -> Result<Vec<Path>, SoqlError> {
        let items = self.query.select.items();
        let mut seen: Vec<String> = Vec::with_capacity(items.len());
        let mut paths = Vec::with_capacity(items.len());
        let mut parents: Vec<(String, usize, String)> = Vec::new();
        let mut type_ofs: Vec<String> = Vec::new();
        let mut see = |key: String, pos: usize, written: &str| {
            let key = key.to_ascii_lowercase();
            if seen.contains(&key) {
                return Err(self.error(
                    INVALID_FIELD,
                    pos,
                    &format!("duplicate field selected: {written}"),
                ));
            }
            seen.push(key);
            Ok(())
        };
        for item in &items {
            match item {
                SelectItem::Field { path, alias } => {
                    if let Some(alias) = alias {
                        return Err(self.error(
                            MALFORMED_QUERY,
                            alias.pos,
                            "Only aggregate expressions use field aliasing",
                        ));
                    }
                    let resolved = self.path(path)?;
                    if let Some(hop) = resolved.hops.first() {
                        // A parent path and a TYPEOF of one relationship would share its key.
                        parents.push((hop.name.to_ascii_lowercase(), path.pos(), path.written()));
                    }
                    see(canonical(&resolved), path.pos(), &path.written())?;
                    paths.push(resolved);
                }
                SelectItem::Subquery(query) => {
                    let child = super::subquery::bind(self, query, today)?;
                    see(child.name.clone(), query.from.pos, &query.from.text)?;
                }
                SelectItem::TypeOf(type_of) => {
                    let bound = super::polymorphic::bind(self, type_of)?;
                    let at = &type_of.relationship;
                    see(bound.name.clone(), at.pos, &at.text)?;
                    type_ofs.push(bound.name.to_ascii_lowercase());
                }
                SelectItem::Aggregate { call, .. } => {
                    return Err(self.error(
                        MALFORMED_QUERY,
                        call.pos,
                        "aggregate functions are not allowed here",
                    ));
                }
            }
        }
        if let Some((_, pos, written)) = parents.iter().find(|(name, ..)| type_ofs.contains(name)) {
            return Err(self.error(
                INVALID_FIELD,
                *pos,
                &format!("duplicate field selected: {written}"),
            ));
        }
        Ok(paths)
    }

    /// Resolves a field path: `Name`, `Account.Owner.Email`, `a.Name` (alias),
    /// `Contact.Name` (the queried object's own name as a prefix).
    pub fn path(&self, path: &FieldPath) -> Result<Path, SoqlError> {
        let mut segments = path.segments.as_slice();
        if let [first, rest @ ..] = segments {
            let is_alias = self
                .query
                .alias
                .as_ref()
                .is_some_and(|a| a.text.eq_ignore_ascii_case(&first.text));
            let is_self = first.text.eq_ignore_ascii_case(&self.object)
                && self
                    .source
                    .relationship(&self.object, &first.text)
                    .is_none();
            if !rest.is_empty() && (is_alias || is_self) {
                segments = rest;
            }
        }
        let Some((leaf, relationships)) = segments.split_last() else {
            return Err(self.error(MALFORMED_QUERY, path.pos(), "empty field path"));
        };
        if relationships.len() > MAX_PARENT_LEVELS {
            return Err(self.error(
                MALFORMED_QUERY,
                relationships[MAX_PARENT_LEVELS].pos,
                "A field path can traverse at most 5 parent relationships",
            ));
        }
        let mut object = self.object.clone();
        let mut hops = Vec::with_capacity(relationships.len());
        for segment in relationships {
            if hops.last().is_some_and(|h: &Hop| h.polymorphic) {
                // The Name entity behind a polymorphic relationship has no
                // relationships this subset follows.
                return Err(self.no_such_relationship(segment));
            }
            let meta = self
                .source
                .relationship(&object, &segment.text)
                .ok_or_else(|| self.no_such_relationship(segment))?;
            let polymorphic = meta.targets.len() != 1;
            if let [target] = meta.targets.as_slice() {
                object = target.clone();
            }
            hops.push(Hop {
                name: meta.name,
                foreign_key: meta.foreign_key,
                polymorphic,
            });
        }
        if hops.last().is_some_and(|h| h.polymorphic) {
            let (name, kind) = NAME_ENTITY_FIELDS
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(&leaf.text))
                .ok_or_else(|| self.no_such_column(leaf, "Name"))?;
            let leaf = if *name == "Type" {
                Leaf::TypeName
            } else {
                Leaf::NameField(name)
            };
            return Ok(Path {
                hops,
                leaf,
                kind: *kind,
            });
        }
        let meta = self
            .source
            .field(&object, &leaf.text)
            .ok_or_else(|| self.no_such_column(leaf, &object))?;
        Ok(Path {
            hops,
            kind: Kind::of(&meta.field_type),
            leaf: Leaf::Field(meta.name),
        })
    }

    pub fn check_sortable(&self, written: &FieldPath, path: &Path) -> Result<(), SoqlError> {
        match path.kind {
            Kind::MultiPicklist | Kind::Opaque => Err(self.error(
                INVALID_FIELD,
                written.pos(),
                &format!(
                    "field '{}' can not be sorted in a query call",
                    path.leaf.key()
                ),
            )),
            _ => Ok(()),
        }
    }

    pub fn check_filterable(&self, written: &FieldPath, path: &Path) -> Result<(), SoqlError> {
        match path.kind {
            Kind::Opaque => Err(self.error(
                INVALID_FIELD,
                written.pos(),
                &format!(
                    "field '{}' can not be filtered in query call",
                    path.leaf.key()
                ),
            )),
            Kind::MultiPicklist => Err(SoqlError::unsupported(
                &self.query.text,
                written.pos(),
                "filtering a multi-select picklist",
            )),
            Kind::Time => Err(SoqlError::unsupported(
                &self.query.text,
                written.pos(),
                "filtering a time field",
            )),
            _ => Ok(()),
        }
    }

    /// Resolves a `WHERE` condition.
    pub fn predicate(&self, cond: &Cond, today: NaiveDate) -> Result<Pred, SoqlError> {
        let all = |conds: &[Cond]| {
            conds
                .iter()
                .map(|c| self.predicate(c, today))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(match cond {
            Cond::And(conds) => Pred::And(all(conds)?),
            Cond::Or(conds) => {
                if let Some(pos) = conds.iter().find_map(semi_join_pos) {
                    return Err(self.error(
                        MALFORMED_QUERY,
                        pos,
                        "Semi join sub-selects are not allowed with the 'OR' operator",
                    ));
                }
                Pred::Or(all(conds)?)
            }
            Cond::InQuery {
                path,
                negated,
                query,
            } => super::semijoin::bind(self, path, *negated, query, today)?,
            Cond::Aggregate { call, .. } => {
                return Err(SoqlError::unsupported(
                    &self.query.text,
                    call.pos,
                    &format!("the function {}() in WHERE", call.function.name()),
                ));
            }
            Cond::Not(inner) => Pred::Not(Box::new(self.predicate(inner, today)?)),
            Cond::Compare { path, op, value } => {
                let resolved = self.path(path)?;
                self.check_filterable(path, &resolved)?;
                let operand = self.operand(&resolved, value, today)?;
                let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
                if ordering && resolved.kind == Kind::Bool {
                    return Err(self.error(
                        INVALID_QUERY_FILTER_OPERATOR,
                        path.pos(),
                        "invalid operator on boolean field",
                    ));
                }
                if ordering && operand == Operand::Null {
                    return Err(SoqlError::unsupported(
                        &self.query.text,
                        value.pos,
                        "comparing null with <, <=, > or >=",
                    ));
                }
                Pred::Test(resolved, Test::Cmp(*op, operand))
            }
            Cond::In {
                path,
                negated,
                values,
            } => {
                let resolved = self.path(path)?;
                self.check_filterable(path, &resolved)?;
                let operands = values
                    .iter()
                    .map(|v| self.operand(&resolved, v, today))
                    .collect::<Result<Vec<_>, _>>()?;
                Pred::Test(
                    resolved,
                    Test::In {
                        negated: *negated,
                        operands,
                    },
                )
            }
            Cond::Like { path, pattern } => {
                let resolved = self.path(path)?;
                self.check_filterable(path, &resolved)?;
                if resolved.kind != Kind::Text {
                    return Err(self.error(
                        INVALID_QUERY_FILTER_OPERATOR,
                        path.pos(),
                        &format!("invalid operator on {} field", resolved.kind.word()),
                    ));
                }
                match pattern {
                    LikeOperand::Pattern(tokens) => {
                        Pred::Test(resolved, Test::Like(tokens.clone()))
                    }
                    LikeOperand::Other(value) => {
                        return Err(self.type_mismatch(&resolved, value));
                    }
                }
            }
        })
    }

    fn type_mismatch(&self, path: &Path, value: &LiteralAt) -> SoqlError {
        let quoting = if matches!(path.kind, Kind::Text | Kind::Id) {
            "should be enclosed in quotes"
        } else {
            "should not be enclosed in quotes"
        };
        self.error(
            INVALID_FIELD,
            value.pos,
            &format!(
                "value of filter criterion for field '{}' must be of type {} and {quoting}",
                path.leaf.key(),
                path.kind.word()
            ),
        )
    }

    /// Types `value` for comparison with the field at `path`.
    pub fn operand(
        &self,
        path: &Path,
        value: &LiteralAt,
        today: NaiveDate,
    ) -> Result<Operand, SoqlError> {
        let mismatch = || self.type_mismatch(path, value);
        Ok(match (&value.literal, path.kind) {
            (Literal::Null, Kind::Bool) => Operand::Bool(false),
            (Literal::Null, _) => Operand::Null,
            (Literal::Str(s), Kind::Text) => Operand::Text(s.to_uppercase()),
            (Literal::Str(s), Kind::Id) => {
                let valid = (s.len() == 15 || s.len() == 18)
                    && s.bytes().all(|b| b.is_ascii_alphanumeric());
                if !valid {
                    return Err(self.error(
                        INVALID_QUERY_FILTER_OPERATOR,
                        value.pos,
                        &format!("invalid ID field: {s}"),
                    ));
                }
                Operand::Id(s[..15].to_owned())
            }
            (Literal::Bool(b), Kind::Bool) => Operand::Bool(*b),
            (Literal::Number(n), Kind::Number) => Operand::Number(*n),
            (Literal::Date(d), Kind::Date) => Operand::Point(epoch_days(*d)),
            (Literal::DateTime(ms), Kind::DateTime) => Operand::Point(*ms),
            (Literal::DateKeyword(kw), Kind::Date | Kind::DateTime) => {
                let (start, end) = kw.range(today).ok_or_else(|| {
                    self.error(MALFORMED_QUERY, value.pos, "date literal out of range")
                })?;
                let (start, end) = (epoch_days(start), epoch_days(end));
                if path.kind == Kind::Date {
                    Operand::Range(start, end)
                } else {
                    Operand::Range(start * DAY_MS, end * DAY_MS)
                }
            }
            _ => return Err(mismatch()),
        })
    }
}
