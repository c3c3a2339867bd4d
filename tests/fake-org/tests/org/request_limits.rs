//! Salesforce's size rules: the 16,384-byte URI and head limits, the 200-row
//! pages of queries selecting long text, and the life of query cursors.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use sfgen_fake_org::{FakeOrg, QueryCursorLimits, RunningOrg};

use super::common::{api, client, create, send, start, start_with};

fn soql_of_length(length: usize) -> String {
    let head = "SELECT Id FROM Account WHERE Name = '";
    let pad = length.saturating_sub(head.len() + 1);
    format!("{head}{}'", "x".repeat(pad))
}

/// Status, `Content-Type`, `Connection` and text body of a response.
async fn raw(request: reqwest::RequestBuilder) -> (u16, String, String, String) {
    let response = request.send().await.expect("the request is answered");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, connection) = (header("content-type"), header("connection"));
    let limit_info = response.headers().contains_key("sforce-limit-info");
    assert!(
        !limit_info,
        "the front end's page carries no Sforce-Limit-Info"
    );
    let status = response.status().as_u16();
    let body = response.text().await.expect("a text body");
    (status, content_type, connection, body)
}

/// The page Salesforce's front end (Jetty) answers an over-long request
/// with, as clients report it (simple-salesforce #271, jsforce #1134,
/// forcedotcom/cli #63): HTML, not a REST error list.
const URI_TOO_LONG_PAGE: &str = "<h1>Bad Message 414</h1><pre>reason: URI Too Long</pre>";
const HEADERS_TOO_LARGE_PAGE: &str =
    "<h1>Bad Message 431</h1><pre>reason: Request Header Fields Too Large</pre>";

#[tokio::test]
async fn a_uri_over_16384_bytes_is_414() {
    let org = start().await;
    let base = format!("/services/data/v{}/query?q=", org.api_version());
    // Just under the limit: served (the filter matches nothing).
    let fits = soql_of_length(16_384 - base.len() - 1_000);
    let (status, body) = send(api(&org, Method::GET, &format!("/query?q={fits}"))).await;
    assert_eq!(status, 200, "{body}");
    let before = org.api_usage().0;
    let long = soql_of_length(16_400);
    let (status, content_type, connection, body) =
        raw(api(&org, Method::GET, &format!("/query?q={long}"))).await;
    assert_eq!(status, 414, "{body}");
    assert_eq!(body, URI_TOO_LONG_PAGE);
    assert_eq!(content_type, "text/html;charset=iso-8859-1");
    assert_eq!(connection, "close");
    assert_eq!(org.api_usage().0, before, "not counted as an API call");
    assert_eq!(org.request_log().last().map(|r| r.status), Some(414));
}

#[tokio::test]
async fn uri_and_headers_over_16384_bytes_are_431() {
    let org = start().await;
    // One large header.
    let (status, content_type, _, body) =
        raw(api(&org, Method::GET, "/limits").header("X-Padding", "p".repeat(16_400))).await;
    assert_eq!(status, 431, "{body}");
    assert_eq!(body, HEADERS_TOO_LARGE_PAGE);
    assert_eq!(content_type, "text/html;charset=iso-8859-1");
    // Many small ones (more than hyper's default of 100 headers).
    let mut request = api(&org, Method::GET, "/limits");
    for i in 0..200 {
        request = request.header(format!("x-pad-{i}"), "q".repeat(90));
    }
    let (status, _, _, body) = raw(request).await;
    assert_eq!(status, 431, "{body}");
    assert_eq!(body, HEADERS_TOO_LARGE_PAGE);
    // A long URI plus headers that fit alone, together over the limit.
    let soql = soql_of_length(12_000);
    let (status, _, _, body) =
        raw(api(&org, Method::GET, &format!("/query?q={soql}"))
            .header("X-Padding", "p".repeat(5_000)))
        .await;
    assert_eq!(status, 431, "{body}");
    assert_eq!(body, HEADERS_TOO_LARGE_PAGE);
    // Under the limit: served.
    let (status, _) =
        send(api(&org, Method::GET, "/limits").header("X-Padding", "p".repeat(15_000))).await;
    assert_eq!(status, 200);
}

fn long_text(name: &str) -> Value {
    json!({"name": name, "label": name, "type": "textarea", "length": 32768, "nillable": true,
        "createable": true, "updateable": true, "defaultedOnCreate": false,
        "extraTypeInfo": "plaintextarea"})
}

async fn first_page_size(org: &RunningOrg, soql: &str, batch: Option<&str>) -> usize {
    let mut request = api(org, Method::GET, "/query").query(&[("q", soql)]);
    if let Some(batch) = batch {
        request = request.header("Sforce-Query-Options", batch);
    }
    let (status, body) = send(request).await;
    assert_eq!(status, 200, "{body}");
    body["records"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn two_long_text_fields_cap_pages_at_200_rows() {
    let org = start().await;
    org.add_field("Account", long_text("Notes__c"))
        .expect("a field");
    org.add_field("Contact", long_text("Bio__c"))
        .expect("a field");
    let records = (0..450).map(|i| {
        json!({"Name": format!("L{i}"), "Description": "d", "Notes__c": "n"})
            .as_object()
            .cloned()
            .unwrap_or_default()
    });
    org.store().bulk_load("Account", records).expect("loaded");
    // One long text field: Salesforce's usual 2,000.
    assert_eq!(
        first_page_size(&org, "SELECT Id, Description FROM Account", None).await,
        450
    );
    // Two: 200, whatever the batch size asked.
    assert_eq!(
        first_page_size(&org, "SELECT Id, Description, Notes__c FROM Account", None).await,
        200
    );
    assert_eq!(
        first_page_size(
            &org,
            "SELECT Id, Description, notes__c FROM Account a",
            Some("batchSize=1000")
        )
        .await,
        200
    );
    assert_eq!(
        first_page_size(
            &org,
            "SELECT a.Description, a.Notes__c FROM Account a",
            None
        )
        .await,
        200
    );
    // Short text areas (BillingStreet, 255) are not long text.
    assert_eq!(
        first_page_size(
            &org,
            "SELECT Id, BillingStreet, ShippingStreet, Description FROM Account",
            None
        )
        .await,
        450
    );
    // Later pages keep the cap.
    let (_, page) = send(
        api(&org, Method::GET, "/query")
            .query(&[("q", "SELECT Id, Description, Notes__c FROM Account")]),
    )
    .await;
    let next = page["nextRecordsUrl"]
        .as_str()
        .expect("more pages")
        .to_owned();
    let (_, page2) = send(
        client()
            .get(format!("{}{next}", org.instance_url()))
            .bearer_auth(org.access_token()),
    )
    .await;
    assert_eq!(page2["records"].as_array().map_or(0, Vec::len), 200);
    assert!(
        page2["nextRecordsUrl"]
            .as_str()
            .is_some_and(|n| n.ends_with("-400")),
        "{page2}"
    );
}

/// Runs `SELECT Id FROM Account` (5 records, pages of 2); its `nextRecordsUrl`.
async fn open_cursor(org: &RunningOrg) -> String {
    let (status, page) =
        send(api(org, Method::GET, "/query").query(&[("q", "SELECT Id FROM Account")])).await;
    assert_eq!(status, 200, "{page}");
    page["nextRecordsUrl"]
        .as_str()
        .expect("a cursor")
        .to_owned()
}

async fn read(org: &RunningOrg, next: &str) -> (u16, Value) {
    send(
        client()
            .get(format!("{}{next}", org.instance_url()))
            .bearer_auth(org.access_token()),
    )
    .await
}

async fn paged_org(limits: Option<QueryCursorLimits>) -> RunningOrg {
    // Sessions outlive the clock moves below.
    let mut builder = FakeOrg::builder()
        .default_batch_size(2)
        .session_idle_timeout(Duration::from_secs(30 * 24 * 60 * 60));
    if let Some(limits) = limits {
        builder = builder.query_cursor_limits(limits);
    }
    let org = start_with(builder).await;
    for i in 0..5 {
        create(&org, "Account", json!({"Name": format!("C{i}")})).await;
    }
    org
}

fn assert_invalid_locator(status: u16, body: &Value) {
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        &json!([{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}])
    );
}

#[tokio::test]
async fn a_cursor_expires_after_15_minutes_without_a_read() {
    let org = paged_org(None).await;
    let next = open_cursor(&org).await;
    // Each read restarts the 15 minutes.
    org.advance_clock(Duration::from_secs(14 * 60));
    let (status, page2) = read(&org, &next).await;
    assert_eq!(status, 200, "{page2}");
    let next3 = page2["nextRecordsUrl"].as_str().expect("page 3").to_owned();
    org.advance_clock(Duration::from_secs(14 * 60));
    let (status, _) = read(&org, &next3).await;
    assert_eq!(status, 200);
    org.advance_clock(Duration::from_secs(15 * 60 + 1));
    let (status, body) = read(&org, &next3).await;
    assert_invalid_locator(status, &body);
    assert_eq!(org.open_query_cursors(), 0);
}

#[tokio::test]
async fn an_eleventh_cursor_releases_the_users_oldest() {
    let org = paged_org(None).await;
    let mut cursors = Vec::new();
    for _ in 0..11 {
        cursors.push(open_cursor(&org).await);
    }
    assert_eq!(org.open_query_cursors(), 10);
    let (status, body) = read(&org, &cursors[0]).await;
    assert_invalid_locator(status, &body);
    for next in &cursors[1..] {
        let (status, body) = read(&org, next).await;
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test]
async fn current_limits_keep_cursors_for_two_days_without_a_count_limit() {
    let org = paged_org(Some(QueryCursorLimits::CURRENT)).await;
    let mut cursors = Vec::new();
    for _ in 0..12 {
        cursors.push(open_cursor(&org).await);
    }
    org.advance_clock(Duration::from_secs(24 * 60 * 60));
    let (status, body) = read(&org, &cursors[0]).await;
    assert_eq!(status, 200, "{body}");
    org.advance_clock(Duration::from_secs(24 * 60 * 60 + 1));
    let (status, body) = read(&org, &cursors[1]).await;
    assert_invalid_locator(status, &body);
}

#[tokio::test]
async fn unknown_and_malformed_locators_are_invalid() {
    let org = paged_org(None).await;
    let v = org.api_version().to_owned();
    for next in [
        format!("/services/data/v{v}/query/01gXXXXXXXXXXXXXXX-2"),
        format!("/services/data/v{v}/query/nonsense"),
        format!("/services/data/v{v}/query/01g000000000001AAA-x"),
    ] {
        let (status, body) = read(&org, &next).await;
        assert_invalid_locator(status, &body);
    }
}
