//! Semi-joins and anti-joins: `WHERE Id IN (SELECT AccountId FROM Contact
//! WHERE ...)` and `NOT IN (SELECT ...)`. The outer field is an id or
//! reference field; the subquery selects one id or reference field of any
//! object, and runs once, before the outer query reads a record, into a set
//! of ids the outer field is tested against (by their first 15 characters).

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::Value as Json;

use super::ast::{Cond, FieldPath, Query, Select};
use super::bind::{Binder, Kind, Pred, Test};
use super::error::{SoqlError, MALFORMED_QUERY};
use super::eval::{cell, id15, Cell};
use super::{exec, DataSource, Matched};

/// Resolves `path [NOT] IN (query)` into a [`Pred::SemiJoin`].
pub fn bind<S: DataSource>(
    outer: &Binder<'_, S>,
    path: &FieldPath,
    negated: bool,
    query: &Query,
    today: NaiveDate,
) -> Result<Pred, SoqlError> {
    let resolved = outer.path(path)?;
    if resolved.kind != Kind::Id {
        return Err(outer.error(
            MALFORMED_QUERY,
            path.pos(),
            &format!(
                "Semi join sub-selects are only supported on Id or reference fields: {}",
                path.written()
            ),
        ));
    }
    let unsupported = |pos: usize, feature: &str| SoqlError::unsupported(&query.text, pos, feature);
    let Select::Fields(fields) = &query.select else {
        return Err(outer.error(
            MALFORMED_QUERY,
            query.from.pos,
            "A semi join sub-select must select exactly one Id or reference field",
        ));
    };
    let [field] = fields.as_slice() else {
        return Err(outer.error(
            MALFORMED_QUERY,
            fields.get(1).map_or(query.from.pos, FieldPath::pos),
            "A semi join sub-select must select exactly one Id or reference field",
        ));
    };
    if let Some(key) = query.order.first() {
        return Err(unsupported(
            key.path.pos(),
            "ORDER BY in a semi-join subquery",
        ));
    }
    if query.limit.is_some() || query.offset.is_some() {
        return Err(unsupported(
            query.from.pos,
            "LIMIT or OFFSET in a semi-join subquery",
        ));
    }
    if let Some(pos) = query.filter.as_ref().and_then(nested_pos) {
        return Err(unsupported(pos, "a semi-join inside a semi-join subquery"));
    }
    let inner = Binder::new(query, outer.source)?;
    let plan = inner.plan(today)?;
    let selects_id = plan.select.first().is_some_and(|p| p.kind == Kind::Id);
    if !selects_id {
        return Err(outer.error(
            MALFORMED_QUERY,
            field.pos(),
            &format!(
                "A semi join sub-select must select an Id or reference field, not {}",
                field.written()
            ),
        ));
    }
    Ok(Pred::SemiJoin {
        path: resolved,
        negated,
        inner: Box::new(plan),
    })
}

/// Where a condition holds a semi-join, if it does.
fn nested_pos(cond: &Cond) -> Option<usize> {
    match cond {
        Cond::InQuery { path, .. } => Some(path.pos()),
        Cond::And(conds) | Cond::Or(conds) => conds.iter().find_map(nested_pos),
        Cond::Not(inner) => nested_pos(inner),
        _ => None,
    }
}

/// Runs every semi-join subquery of `pred` and turns it into a test on the
/// ids it selected.
pub fn resolve<S: DataSource>(pred: &mut Pred, source: &S, include_deleted: bool) {
    match pred {
        Pred::And(preds) | Pred::Or(preds) => {
            for p in preds {
                resolve(p, source, include_deleted);
            }
        }
        Pred::Not(inner) => resolve(inner, source, include_deleted),
        Pred::Test(..) => {}
        Pred::SemiJoin {
            path,
            negated,
            inner,
        } => {
            let mut ids = HashSet::new();
            if let (Some(field), Matched::Records(records)) = (
                inner.select.first(),
                exec::run(inner, source, include_deleted),
            ) {
                for record in records {
                    if let Cell::Json(Json::String(id)) = cell(source, record, field) {
                        ids.insert(id15(id).to_owned());
                    }
                }
            }
            *pred = Pred::Test(
                path.clone(),
                Test::InIds {
                    negated: *negated,
                    ids,
                },
            );
        }
    }
}
