//! Runs a resolved plan over an object's records: one filtering pass, then a
//! sort of the matches on keys computed once per record, then `OFFSET` /
//! `LIMIT`. Without `ORDER BY` the pass stops as soon as `OFFSET + LIMIT`
//! records matched; with `ORDER BY` and a `LIMIT`, only the first
//! `OFFSET + LIMIT` matches are fully sorted. Ties keep storage order.

use std::cmp::Ordering;

use super::bind::Plan;
use super::eval::{cell, cmp_key, matches, scalar, Key};
use super::{DataSource, Matched};

/// Runs `plan` over `source`.
pub fn run<'a, S: DataSource>(
    plan: &Plan,
    source: &'a S,
    include_deleted: bool,
) -> Matched<'a, S::Record> {
    run_over(plan, source, source.records(&plan.object, include_deleted))
}

/// Runs `plan` over some records of its object (a parent's children, say).
pub fn run_over<'a, S: DataSource>(
    plan: &Plan,
    source: &'a S,
    records: impl Iterator<Item = &'a S::Record>,
) -> Matched<'a, S::Record> {
    let hits = records.filter(|r| plan.filter.as_ref().is_none_or(|f| matches(source, *r, f)));
    let limit = plan.limit.unwrap_or(usize::MAX);
    if plan.count {
        return Matched::Count(hits.take(limit).count());
    }
    if plan.order.is_empty() {
        return Matched::Records(hits.skip(plan.offset).take(limit).collect());
    }
    let hits: Vec<&'a S::Record> = hits.collect();
    let width = plan.order.len();
    let keys: Vec<Key<'a>> = hits
        .iter()
        .flat_map(|r| {
            plan.order
                .iter()
                .map(|k| Key::of(scalar(cell(source, *r, &k.path), k.path.kind)))
        })
        .collect();
    // The index breaks ties, so the order is total and unstable sorts are stable.
    let compare = |&a: &usize, &b: &usize| -> Ordering {
        let (ka, kb) = (
            &keys[a * width..(a + 1) * width],
            &keys[b * width..(b + 1) * width],
        );
        plan.order
            .iter()
            .zip(ka.iter().zip(kb))
            .map(|(key, (x, y))| cmp_key(key, x, y))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.cmp(&b))
    };
    let mut index: Vec<usize> = (0..hits.len()).collect();
    let wanted = plan.offset.saturating_add(limit);
    if wanted < index.len() {
        index.select_nth_unstable_by(wanted, compare);
        index.truncate(wanted);
    }
    index.sort_unstable_by(compare);
    Matched::Records(
        index
            .into_iter()
            .skip(plan.offset)
            .take(limit)
            .map(|i| hits[i])
            .collect(),
    )
}
