//! Figure 4: token refreshes when concurrent calls meet an expired session.

use anyhow::Context;
use futures::TryStreamExt;
use serde_json::Value;
use sfgen_runtime::Limits;

use super::org::refresh_client;
use super::{Org, Sizes};
use crate::report::{Line, Verdict};

/// Expires every session, then makes `concurrent` calls at once on one client
/// (no in-flight cap, so all of them meet the expired session) and counts the
/// refresh grants the org served.
pub async fn refresh(org: &mut Org, sizes: &Sizes) -> anyhow::Result<Vec<Line>> {
    let client = refresh_client(&org.org, Limits::default()).await?;
    let soql = "SELECT Id FROM Account LIMIT 1";
    client
        .query::<Value>(soql)
        .try_collect::<Vec<_>>()
        .await
        .context("a first call on a live session")?;
    org.org.expire_all_sessions();
    org.org.reset_counters();
    let calls = (0..sizes.concurrent).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.query::<Value>(soql).try_collect::<Vec<_>>().await })
    });
    for call in futures::future::join_all(calls).await {
        call.context("a call's task")?
            .context("a call after the session expired")?;
    }
    let refreshes = org.org.counters().token_refreshes;
    let unauthorized = org
        .org
        .request_log()
        .iter()
        .filter(|r| r.status == 401)
        .count();
    Ok(vec![
        Line::goal(
            4,
            format!(
                "token refreshes when {} concurrent calls meet an expired session",
                sizes.concurrent
            ),
            refreshes.to_string(),
            "= 1",
            Verdict::count(refreshes == 1),
        ),
        Line::info(
            4,
            "calls answered 401 before the refresh",
            unauthorized.to_string(),
        ),
    ])
}
