//! Figure 3: round trips for `sfgen fetch` of many describes, through sfgen's
//! own fetch code (the library call `sfgen fetch` makes) against a fake org
//! serving a synthetic org.

use std::path::Path;

use anyhow::{bail, Context};
use sfgen::connect::{Connection, Identity};
use sfgen::fetch::{
    composite::MAX_SUBREQUESTS, fetch as fetch_describes, progress::Silent, FetchOptions,
};
use sfgen_fake_org::FakeOrg;
use sfgen_runtime::{Client, Credentials, Limits, Url};

use super::{fresh_dir, Sizes};
use crate::report::{Line, Verdict};

/// The API version fetched with (one the fake org serves).
const API_VERSION: &str = "64.0";

/// Fetches every object of the synthetic org in `schemas` into a fresh directory.
pub async fn fetch(
    schemas: &Path,
    objects: &[String],
    work: &Path,
    sizes: &Sizes,
) -> anyhow::Result<Vec<Line>> {
    let org = FakeOrg::builder()
        .schemas_dir(schemas)
        .start()
        .await
        .context("starting a fake org on the synthetic org")?;
    let client = Client::builder()
        .limits(Limits::default())
        .api_version(API_VERSION)
        .connect(Credentials::access_token(
            Url::parse(org.instance_url())?,
            org.access_token(),
        ))
        .await?;
    let connection = Connection {
        client,
        api_version: API_VERSION.to_owned(),
        identity: Identity::default(),
    };
    let out = work.join(format!("fetched-{}", objects.len()));
    fresh_dir(&out)?;
    let mut options = FetchOptions::new(&out);
    options.objects = Some(objects.to_vec());

    org.reset_counters();
    let report = fetch_describes(&connection, &options, &Silent)
        .await
        .context("sfgen fetch")?;
    let counters = org.counters();
    org.shutdown().await;
    if report.written.len() != sizes.describes || !report.failed.is_empty() {
        bail!(
            "fetched {} of {} describes; failed: {:?}",
            report.written.len(),
            sizes.describes,
            report.failed
        );
    }
    let composite: u64 = counters
        .per_route
        .iter()
        .filter(|(route, _)| route.contains("/composite"))
        .map(|(_, n)| n)
        .sum();
    let floor = sizes.describes.div_ceil(MAX_SUBREQUESTS);
    Ok(vec![
        Line::goal(
            3,
            format!(
                "round trips to fetch {} describes (Composite requests)",
                sizes.describes
            ),
            composite.to_string(),
            format!("<= {floor}"),
            Verdict::count(composite as usize <= floor),
        ),
        Line::info(
            3,
            "all HTTP calls",
            format!(
                "{} (the global describe + {composite} Composite; sfgen's own count: {})",
                counters.requests, report.requests
            ),
        ),
    ])
}
