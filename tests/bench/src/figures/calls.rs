//! Figures 1 and 2: HTTP calls to query and to insert many records.

use std::collections::BTreeMap;

use anyhow::{bail, Context};
use futures::TryStreamExt;
use sfgen_generated::{Account, AccountRequired, NewAccount};
use sfgen_runtime::batch::bulk::BulkOptions;
use sfgen_runtime::SObject;

use super::{Org, Sizes};
use crate::report::{ratio, Line, Verdict};

/// Figure 1: every HTTP call the org answered while `query` streamed the rows,
/// against the fewest pages Salesforce can send them in.
pub async fn query(org: &mut Org, sizes: &Sizes) -> anyhow::Result<Vec<Line>> {
    org.ensure_accounts(sizes.query_rows)?;
    org.org.reset_counters();
    let soql = format!("{} LIMIT {}", Account::soql_select(), sizes.query_rows);
    let rows = org
        .client
        .query::<Account>(soql)
        .try_fold(0usize, |n, _| async move { Ok(n + 1) })
        .await?;
    if rows != sizes.query_rows {
        bail!("the query returned {rows} rows, not {}", sizes.query_rows);
    }
    let calls = org.org.counters().requests;
    let floor = sizes.query_rows.div_ceil(sizes.page);
    let r = calls as f64 / floor as f64;
    Ok(vec![Line::goal(
        1,
        format!(
            "HTTP calls to query {rows} rows / ceil({rows}/{}) = {calls}/{floor}",
            sizes.page
        ),
        ratio(r),
        "1.00",
        Verdict::count(calls as usize == floor),
    )])
}

/// Figure 2: HTTP calls to insert records through sObject Collections (against
/// ceil(n / 200)) and through a Bulk API 2.0 job (itemised by route).
pub async fn insert(org: &mut Org, sizes: &Sizes) -> anyhow::Result<Vec<Line>> {
    let records: Vec<NewAccount> = (0..sizes.insert)
        .map(|i| {
            NewAccount::new(AccountRequired {
                name: format!("Inserted {i:05}"),
            })
        })
        .collect();
    let floor = sizes.insert.div_ceil(200);

    org.org.reset_counters();
    let report = org
        .client
        .create_many(&records)
        .await
        .context("inserting through Collections")?;
    if report.written() != sizes.insert {
        bail!(
            "Collections wrote {} of {} records",
            report.written(),
            sizes.insert
        );
    }
    let calls = org.org.counters().requests;
    let mut lines = vec![Line::goal(
        2,
        format!(
            "HTTP calls to insert {} records via Collections / {floor} = {calls}/{floor}",
            sizes.insert
        ),
        ratio(calls as f64 / floor as f64),
        "1.00",
        Verdict::count(calls as usize == floor),
    )];

    org.org.reset_counters();
    let report = org
        .client
        .bulk_insert(&records, &BulkOptions::default())
        .await
        .context("inserting through Bulk API 2.0")?;
    if report.written() != sizes.insert {
        bail!(
            "the Bulk job wrote {} of {} records",
            report.written(),
            sizes.insert
        );
    }
    let counters = org.org.counters();
    let steps = itemise(&counters.per_route);
    lines.push(Line::goal(
        2,
        format!(
            "HTTP calls to insert {} records via Bulk API 2.0",
            sizes.insert
        ),
        counters.requests.to_string(),
        "itemised",
        Verdict::Info,
    ));
    lines.push(Line::info(2, "Bulk calls by step", steps));
    Ok(lines)
}

/// The Bulk ingest steps, by route: (method, how the route's path ends, step).
const STEPS: &[(&str, &str, &str)] = &[
    ("POST", "/jobs/ingest", "create job"),
    ("PUT", "/batches", "upload CSV"),
    ("PATCH", "/jobs/ingest/{job}", "close job"),
    ("GET", "/jobs/ingest/{job}", "poll"),
    ("GET", "/successfulResults", "successful results"),
    ("GET", "/failedResults", "failed results"),
    ("GET", "/unprocessedrecords", "unprocessed records"),
];

/// `create job 1, upload CSV 1, …` from the org's per-route counters.
fn itemise(per_route: &BTreeMap<String, u64>) -> String {
    let mut parts = Vec::new();
    for (route, count) in per_route {
        let (method, path) = route.split_once(' ').unwrap_or(("", route.as_str()));
        let path = path.trim_end_matches('/');
        let step = STEPS
            .iter()
            .find(|(m, end, _)| *m == method && path.ends_with(end))
            .map_or_else(|| route.clone(), |(_, _, step)| (*step).to_owned());
        parts.push((step, *count));
    }
    parts.sort_by_key(|(step, _)| {
        STEPS
            .iter()
            .position(|(_, _, s)| s == step)
            .unwrap_or(STEPS.len())
    });
    parts
        .iter()
        .map(|(step, n)| format!("{step} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn itemises_bulk_routes_in_job_order() {
        let routes: BTreeMap<String, u64> = [
            ("GET /services/data/{version}/jobs/ingest/{job}", 2),
            (
                "GET /services/data/{version}/jobs/ingest/{job}/successfulResults/",
                1,
            ),
            ("PATCH /services/data/{version}/jobs/ingest/{job}", 1),
            ("POST /services/data/{version}/jobs/ingest", 1),
            ("PUT /services/data/{version}/jobs/ingest/{job}/batches", 1),
            ("POST /services/oauth2/token", 1),
        ]
        .into_iter()
        .map(|(r, n)| (r.to_owned(), n))
        .collect();
        assert_eq!(
            itemise(&routes),
            "create job 1, upload CSV 1, close job 1, poll 2, successful results 1, POST /services/oauth2/token 1"
        );
    }
}
