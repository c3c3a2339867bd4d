//! Aggregate queries: `COUNT(field)`, `COUNT_DISTINCT(field)`, `SUM`, `AVG`,
//! `MIN`, `MAX`, `GROUP BY` one or more fields, `HAVING`, and `ORDER BY`,
//! `LIMIT` and `OFFSET` on the groups. Rows are `{"attributes": {"type":
//! "AggregateResult"}, ...}`: grouped fields under their field name (the last
//! segment of a path), aggregates under their alias or `expr0`, `expr1`, ...
//! in the order of the unaliased aggregates.
//!
//! Salesforce's rules: a selected field that is not aggregated must be
//! grouped (`Field must be grouped or aggregated: Name`), `SUM` and `AVG`
//! take numbers only, booleans take no aggregate, and without `GROUP BY` an
//! aggregate query has exactly one row, even when nothing matched. Text groups
//! compare case-insensitively (the first value seen names the group); groups
//! come in the order their first record is stored, unless `ORDER BY` says
//! otherwise.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use super::ast::{AggregateCall, AggregateFn, Cond, FieldPath, LikeOperand, Query, SelectItem};
use super::bind::{canonical, Binder, Kind, Leaf, Path, Pred, SortKey, Test};
use super::error::{SoqlError, EXCEEDED_ID_LIMIT, INVALID_FIELD, MALFORMED_QUERY};
use super::eval::{
    cell, cmp_key, cmp_values, holds_for, id15, matches, scalar, upper, Cell, Key, Scalar,
};
use super::{semijoin, DataSource};

/// The most rows an aggregate query returns: it has no query locator.
pub const MAX_AGGREGATE_ROWS: usize = 2000;

/// Where an output value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The `i`-th `GROUP BY` field.
    Group(usize),
    /// The `i`-th aggregate.
    Agg(usize),
}

/// One aggregate to compute per group.
#[derive(Debug, Clone, PartialEq)]
struct Agg {
    function: AggregateFn,
    /// The field; `None` for `COUNT()` (rows).
    path: Option<Path>,
}

impl Agg {
    /// The kind of the aggregate's value.
    fn kind(&self) -> Kind {
        match (self.function, &self.path) {
            (AggregateFn::Min | AggregateFn::Max, Some(path)) => path.kind,
            _ => Kind::Number,
        }
    }
}

/// A resolved `HAVING` condition.
#[derive(Debug, Clone, PartialEq)]
enum Having {
    And(Vec<Having>),
    Or(Vec<Having>),
    Not(Box<Having>),
    Test(Source, Kind, Test),
}

/// An aggregate query resolved against an org.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregatePlan {
    object: String,
    filter: Option<Pred>,
    groups: Vec<Path>,
    aggs: Vec<Agg>,
    columns: Vec<(String, Source)>,
    having: Option<Having>,
    order: Vec<(Source, SortKey)>,
    limit: Option<usize>,
    offset: usize,
}

/// A path standing for an aggregate, for typing operands and sorting.
fn pseudo_path(name: &str, kind: Kind) -> Path {
    Path {
        hops: Vec::new(),
        leaf: Leaf::Field(name.to_owned()),
        kind,
    }
}

struct Planner<'b, 's, S> {
    binder: &'b Binder<'s, S>,
    groups: Vec<Path>,
    aggs: Vec<Agg>,
    today: NaiveDate,
}

impl<S: DataSource> Planner<'_, '_, S> {
    fn query(&self) -> &Query {
        self.binder.query
    }

    /// The aggregate of a call, added if new.
    fn agg(&mut self, call: &AggregateCall) -> Result<usize, SoqlError> {
        let path = match &call.arg {
            Some(arg) => {
                let path = self.binder.path(arg)?;
                let numeric = path.kind == Kind::Number;
                let comparable = matches!(
                    path.kind,
                    Kind::Text | Kind::Id | Kind::Number | Kind::Date | Kind::DateTime
                );
                let supported = match call.function {
                    AggregateFn::Sum | AggregateFn::Avg => numeric,
                    _ => comparable,
                };
                if !supported {
                    return Err(self.binder.error(
                        INVALID_FIELD,
                        arg.pos(),
                        &format!(
                            "field {} does not support aggregate operator {}",
                            path.leaf.key(),
                            call.function.name()
                        ),
                    ));
                }
                Some(path)
            }
            None => None,
        };
        let agg = Agg {
            function: call.function,
            path,
        };
        if let Some(i) = self.aggs.iter().position(|a| *a == agg) {
            return Ok(i);
        }
        self.aggs.push(agg);
        Ok(self.aggs.len() - 1)
    }

    /// The `GROUP BY` index of a field, or Salesforce's error `message: Field`.
    fn grouped(&self, field: &FieldPath, message: &str) -> Result<(usize, Path), SoqlError> {
        let path = self.binder.path(field)?;
        let key = canonical(&path);
        self.groups
            .iter()
            .position(|g| canonical(g).eq_ignore_ascii_case(&key))
            .map(|i| (i, path))
            .ok_or_else(|| {
                self.binder.error(
                    MALFORMED_QUERY,
                    field.pos(),
                    &format!("{message}: {}", field.written()),
                )
            })
    }

    fn having(&mut self, cond: &Cond) -> Result<Having, SoqlError> {
        const UNGROUPED: &str = "Field must be grouped or aggregated";
        let mut all = |conds: &[Cond]| {
            conds
                .iter()
                .map(|c| self.having(c))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(match cond {
            Cond::And(conds) => Having::And(all(conds)?),
            Cond::Or(conds) => Having::Or(all(conds)?),
            Cond::Not(inner) => Having::Not(Box::new(self.having(inner)?)),
            Cond::Aggregate { call, op, value } => {
                let i = self.agg(call)?;
                let kind = self.aggs[i].kind();
                let operand = self.binder.operand(
                    &pseudo_path(call.function.name(), kind),
                    value,
                    self.today,
                )?;
                Having::Test(Source::Agg(i), kind, Test::Cmp(*op, operand))
            }
            Cond::Compare { path, op, value } => {
                let (i, resolved) = self.grouped(path, UNGROUPED)?;
                let operand = self.binder.operand(&resolved, value, self.today)?;
                Having::Test(Source::Group(i), resolved.kind, Test::Cmp(*op, operand))
            }
            Cond::In {
                path,
                negated,
                values,
            } => {
                let (i, resolved) = self.grouped(path, UNGROUPED)?;
                let operands = values
                    .iter()
                    .map(|v| self.binder.operand(&resolved, v, self.today))
                    .collect::<Result<Vec<_>, _>>()?;
                let test = Test::In {
                    negated: *negated,
                    operands,
                };
                Having::Test(Source::Group(i), resolved.kind, test)
            }
            Cond::Like { path, pattern } => {
                let (i, resolved) = self.grouped(path, UNGROUPED)?;
                match (pattern, resolved.kind) {
                    (LikeOperand::Pattern(tokens), Kind::Text) => {
                        Having::Test(Source::Group(i), Kind::Text, Test::Like(tokens.clone()))
                    }
                    _ => {
                        return Err(SoqlError::unsupported(
                            &self.query().text,
                            path.pos(),
                            "this LIKE in HAVING",
                        ))
                    }
                }
            }
            Cond::InQuery { path, .. } => {
                return Err(SoqlError::unsupported(
                    &self.query().text,
                    path.pos(),
                    "a semi-join in HAVING",
                ))
            }
        })
    }
}

/// Resolves an aggregate query.
pub fn plan<S: DataSource>(
    query: &Query,
    source: &S,
    today: NaiveDate,
) -> Result<AggregatePlan, SoqlError> {
    let binder = Binder::new(query, source)?;
    let filter = query
        .filter
        .as_ref()
        .map(|c| binder.predicate(c, today))
        .transpose()?;
    let mut planner = Planner {
        binder: &binder,
        groups: Vec::with_capacity(query.group_by.len()),
        aggs: Vec::new(),
        today,
    };
    for field in &query.group_by {
        let path = binder.path(field)?;
        if matches!(
            path.kind,
            Kind::Opaque | Kind::MultiPicklist | Kind::Time | Kind::DateTime
        ) {
            return Err(binder.error(
                INVALID_FIELD,
                field.pos(),
                &format!(
                    "field '{}' can not be grouped in a query call",
                    path.leaf.key()
                ),
            ));
        }
        planner.groups.push(path);
    }
    let mut columns: Vec<(String, Source)> = Vec::new();
    let mut unnamed = 0;
    for item in query.select.items() {
        let (key, source, pos) = match &item {
            SelectItem::Field { path, alias } => {
                let (i, resolved) = planner.grouped(path, "Field must be grouped or aggregated")?;
                let key = alias
                    .as_ref()
                    .map_or_else(|| resolved.leaf.key().to_owned(), |a| a.text.clone());
                (key, Source::Group(i), path.pos())
            }
            SelectItem::Aggregate { call, alias } => {
                let i = planner.agg(call)?;
                let key = match alias {
                    Some(alias) => alias.text.clone(),
                    None => {
                        unnamed += 1;
                        format!("expr{}", unnamed - 1)
                    }
                };
                (key, Source::Agg(i), call.pos)
            }
            SelectItem::Subquery(sub) => {
                return Err(SoqlError::unsupported(
                    &query.text,
                    sub.from.pos,
                    "a subquery in an aggregate query",
                ))
            }
            SelectItem::TypeOf(type_of) => {
                return Err(SoqlError::unsupported(
                    &query.text,
                    type_of.relationship.pos,
                    "TYPEOF in an aggregate query",
                ))
            }
        };
        if columns.iter().any(|(k, _)| k.eq_ignore_ascii_case(&key)) {
            return Err(binder.error(MALFORMED_QUERY, pos, &format!("duplicate alias: {key}")));
        }
        columns.push((key, source));
    }
    let having = query
        .having
        .as_ref()
        .map(|c| planner.having(c))
        .transpose()?;
    let mut order = Vec::with_capacity(query.order.len());
    for key in &query.order {
        let (source, path) = match key.function {
            Some(function) => {
                let call = AggregateCall {
                    function,
                    arg: Some(key.path.clone()),
                    pos: key.path.pos(),
                };
                let i = planner.agg(&call)?;
                let kind = planner.aggs[i].kind();
                (Source::Agg(i), pseudo_path(function.name(), kind))
            }
            None => {
                let (i, path) =
                    planner.grouped(&key.path, "Ordered field must be grouped or aggregated")?;
                (Source::Group(i), path)
            }
        };
        let sort = SortKey {
            path,
            descending: key.descending,
            nulls: key.nulls,
        };
        order.push((source, sort));
    }
    let saturate = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    Ok(AggregatePlan {
        object: binder.object.clone(),
        filter,
        groups: planner.groups,
        aggs: planner.aggs,
        columns,
        having,
        order,
        limit: query.limit.map(saturate),
        offset: query.offset.map_or(0, saturate),
    })
}

/// A running aggregate.
enum Acc<'a> {
    Count(u64),
    Distinct(HashSet<String>),
    Sum(Option<f64>),
    Avg(f64, u64),
    Extreme(Option<(Key<'a>, Json)>),
}

impl<'a> Acc<'a> {
    fn new(function: AggregateFn) -> Self {
        match function {
            AggregateFn::Count => Acc::Count(0),
            AggregateFn::CountDistinct => Acc::Distinct(HashSet::new()),
            AggregateFn::Sum => Acc::Sum(None),
            AggregateFn::Avg => Acc::Avg(0.0, 0),
            AggregateFn::Min | AggregateFn::Max => Acc::Extreme(None),
        }
    }

    /// Adds one record's value (`None` for `COUNT()`, which counts rows).
    fn add(&mut self, function: AggregateFn, value: Option<(Cell<'a>, Kind)>) {
        let Some((cell, kind)) = value else {
            if let Acc::Count(n) = self {
                *n += 1;
            }
            return;
        };
        let typed = scalar(cell, kind);
        if typed == Scalar::Null {
            return;
        }
        match self {
            Acc::Count(n) => *n += 1,
            Acc::Distinct(seen) => {
                seen.insert(token(typed));
            }
            Acc::Sum(sum) => {
                if let Scalar::Number(x) = typed {
                    *sum = Some(sum.unwrap_or(0.0) + x);
                }
            }
            Acc::Avg(sum, n) => {
                if let Scalar::Number(x) = typed {
                    *sum += x;
                    *n += 1;
                }
            }
            Acc::Extreme(best) => {
                let key = Key::of(typed);
                let better = best.as_ref().is_none_or(|(current, _)| {
                    let ordering = cmp_values(&key, current);
                    if function == AggregateFn::Min {
                        ordering.is_lt()
                    } else {
                        ordering.is_gt()
                    }
                });
                if better {
                    *best = Some((key, json_of(cell)));
                }
            }
        }
    }

    fn value(self) -> Json {
        match self {
            Acc::Count(n) => Json::from(n),
            Acc::Distinct(seen) => Json::from(seen.len()),
            Acc::Sum(sum) => sum.map_or(Json::Null, Json::from),
            Acc::Avg(_, 0) => Json::Null,
            Acc::Avg(sum, n) => Json::from(sum / n as f64),
            Acc::Extreme(best) => best.map_or(Json::Null, |(_, json)| json),
        }
    }
}

/// A cell as output JSON.
fn json_of(cell: Cell<'_>) -> Json {
    match cell {
        Cell::Null => Json::Null,
        Cell::Json(json) => json.clone(),
        Cell::Type(object) => Json::String(object.to_owned()),
    }
}

/// A value's identity for grouping and `COUNT_DISTINCT`: text by upper
/// case, ids by their first 15 characters.
fn token(value: Scalar<'_>) -> String {
    match value {
        Scalar::Null => "n".to_owned(),
        Scalar::Text(s) => format!("t{}", upper(s)),
        Scalar::Id(s) => format!("i{}", id15(s)),
        Scalar::Bool(b) => format!("b{b}"),
        Scalar::Number(n) => format!("d{n}"),
        Scalar::Point(p) => format!("p{p}"),
    }
}

/// One group while records are read.
struct Group<'a> {
    keys: Vec<Cell<'a>>,
    accs: Vec<Acc<'a>>,
}

/// One finished group: its `GROUP BY` values and aggregate values.
struct Done {
    groups: Vec<Json>,
    aggs: Vec<Json>,
}

impl Done {
    fn get(&self, source: Source) -> &Json {
        let value = match source {
            Source::Group(i) => self.groups.get(i),
            Source::Agg(i) => self.aggs.get(i),
        };
        value.unwrap_or(&Json::Null)
    }
}

fn having_holds(having: &Having, row: &Done) -> bool {
    match having {
        Having::And(all) => all.iter().all(|h| having_holds(h, row)),
        Having::Or(any) => any.iter().any(|h| having_holds(h, row)),
        Having::Not(inner) => !having_holds(inner, row),
        Having::Test(source, kind, test) => {
            holds_for(scalar(cell_of(row.get(*source)), *kind), test)
        }
    }
}

fn cell_of(json: &Json) -> Cell<'_> {
    match json {
        Json::Null => Cell::Null,
        other => Cell::Json(other),
    }
}

/// Runs an aggregate plan: its `AggregateResult` rows.
pub fn run<S: DataSource>(
    plan: &AggregatePlan,
    source: &S,
    include_deleted: bool,
) -> Result<Vec<Json>, SoqlError> {
    let mut filter = plan.filter.clone();
    if let Some(filter) = filter.as_mut() {
        semijoin::resolve(filter, source, include_deleted);
    }
    let new_group = |keys| Group {
        keys,
        accs: plan.aggs.iter().map(|a| Acc::new(a.function)).collect(),
    };
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut by_token: HashMap<String, usize> = HashMap::new();
    if plan.groups.is_empty() {
        groups.push(new_group(Vec::new()));
    }
    for record in source.records(&plan.object, include_deleted) {
        if !filter.as_ref().is_none_or(|f| matches(source, record, f)) {
            continue;
        }
        let index = if plan.groups.is_empty() {
            0
        } else {
            let keys: Vec<Cell<'_>> = plan
                .groups
                .iter()
                .map(|p| cell(source, record, p))
                .collect();
            let id: Vec<String> = keys
                .iter()
                .zip(&plan.groups)
                .map(|(c, p)| token(scalar(*c, p.kind)))
                .collect();
            let id = id.join("\u{1}");
            match by_token.get(&id) {
                Some(i) => *i,
                None => {
                    groups.push(new_group(keys));
                    by_token.insert(id, groups.len() - 1);
                    groups.len() - 1
                }
            }
        };
        let Some(group) = groups.get_mut(index) else {
            continue;
        };
        for (acc, agg) in group.accs.iter_mut().zip(&plan.aggs) {
            let value = agg.path.as_ref().map(|p| (cell(source, record, p), p.kind));
            acc.add(agg.function, value);
        }
    }
    let mut done: Vec<Done> = groups
        .into_iter()
        .map(|g| Done {
            groups: g
                .keys
                .into_iter()
                .zip(&plan.groups)
                .map(|(cell, path)| match (cell, path.kind) {
                    // A boolean's null is false, in groups as everywhere.
                    (Cell::Null, Kind::Bool) => Json::Bool(false),
                    (cell, _) => json_of(cell),
                })
                .collect(),
            aggs: g.accs.into_iter().map(Acc::value).collect(),
        })
        .filter(|row| plan.having.as_ref().is_none_or(|h| having_holds(h, row)))
        .collect();
    if !plan.order.is_empty() {
        done.sort_by(|a, b| {
            plan.order
                .iter()
                .map(|(source, key)| {
                    let kind = key.path.kind;
                    let ka = Key::of(scalar(cell_of(a.get(*source)), kind));
                    let kb = Key::of(scalar(cell_of(b.get(*source)), kind));
                    cmp_key(key, &ka, &kb)
                })
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    let limit = plan.limit.unwrap_or(usize::MAX);
    let rows: Vec<Json> = done
        .into_iter()
        .skip(plan.offset)
        .take(limit)
        .map(|row| {
            let mut out = Map::with_capacity(plan.columns.len() + 1);
            let mut attributes = Map::with_capacity(1);
            attributes.insert(
                "type".to_owned(),
                Json::String("AggregateResult".to_owned()),
            );
            out.insert("attributes".to_owned(), Json::Object(attributes));
            for (key, source) in &plan.columns {
                out.insert(key.clone(), row.get(*source).clone());
            }
            Json::Object(out)
        })
        .collect();
    if rows.len() > MAX_AGGREGATE_ROWS {
        return Err(SoqlError::new(
            EXCEEDED_ID_LIMIT,
            "Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch",
        ));
    }
    Ok(rows)
}
