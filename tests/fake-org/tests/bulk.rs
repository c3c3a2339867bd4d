//! Bulk API 2.0 in the fake org: ingest jobs (create, upload, close, abort,
//! results) and query jobs (result pages with `Sforce-Locator`).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Map, Value};
use sfgen_fake_org::{FakeOrg, FakeOrgBuilder, RunningOrg};

async fn start_with(builder: FakeOrgBuilder) -> RunningOrg {
    builder
        .bulk_processing_delay(Duration::from_millis(20))
        .start()
        .await
        .expect("the fake org starts")
}

async fn start() -> RunningOrg {
    start_with(FakeOrg::builder()).await
}

fn api(org: &RunningOrg, method: Method, path: &str) -> RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("{}{path}", org.data_url()))
        .bearer_auth(org.access_token())
}

async fn json_of(request: RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON")
    };
    (status, body)
}

async fn text_of(request: RequestBuilder) -> (u16, reqwest::header::HeaderMap, String) {
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("a body"))
}

/// Creates an ingest job and returns its id.
async fn create_job(org: &RunningOrg, body: Value) -> String {
    let (status, job) = json_of(api(org, Method::POST, "/jobs/ingest").json(&body)).await;
    assert_eq!(status, 200, "{job}");
    assert_eq!(job["state"], "Open");
    job["id"].as_str().expect("an id").to_owned()
}

async fn upload(org: &RunningOrg, job: &str, csv: &str) -> u16 {
    let request = api(org, Method::PUT, &format!("/jobs/ingest/{job}/batches"))
        .header("Content-Type", "text/csv")
        .body(csv.to_owned());
    request.send().await.expect("answered").status().as_u16()
}

async fn set_state(org: &RunningOrg, kind: &str, job: &str, state: &str) -> (u16, Value) {
    json_of(
        api(org, Method::PATCH, &format!("/jobs/{kind}/{job}")).json(&json!({ "state": state })),
    )
    .await
}

/// Polls a job until its state is final (bounded, so a broken org fails the test).
async fn wait(org: &RunningOrg, kind: &str, job: &str) -> Value {
    for _ in 0..1_000 {
        let (status, info) = json_of(api(org, Method::GET, &format!("/jobs/{kind}/{job}"))).await;
        assert_eq!(status, 200, "{info}");
        if matches!(
            info["state"].as_str(),
            Some("JobComplete" | "Failed" | "Aborted")
        ) {
            return info;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("job {job} never reached a final state");
}

/// A result file, parsed: header and rows.
async fn results(org: &RunningOrg, job: &str, resource: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let (status, _, text) = text_of(api(
        org,
        Method::GET,
        &format!("/jobs/ingest/{job}/{resource}/"),
    ))
    .await;
    assert_eq!(status, 200, "{text}");
    parse_csv(&text)
}

fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn recording(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/salesforce-recordings/responses/restforce")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("a JSON recording")
}

fn record(fields: &[(&str, &str)]) -> Map<String, Value> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), json!(v)))
        .collect()
}

#[tokio::test]
async fn an_insert_job_reports_successes_and_failures_row_by_row() {
    let org = start().await;
    let job = create_job(
        &org,
        json!({"object": "Contact", "operation": "insert", "lineEnding": "LF"}),
    )
    .await;
    let csv = "LastName,FirstName,Email\nLovelace,Ada,ada@example.com\n,Nameless,#N/A\n\"Hopper, G.\",Grace,\n";
    assert_eq!(upload(&org, &job, csv).await, 201);
    let (status, closed) = set_state(&org, "ingest", &job, "UploadComplete").await;
    assert_eq!(
        (status, closed["state"].as_str()),
        (200, Some("UploadComplete")),
        "{closed}"
    );

    let info = wait(&org, "ingest", &job).await;
    assert_eq!(info["state"], "JobComplete");
    assert_eq!(info["numberRecordsProcessed"], 3);
    assert_eq!(info["numberRecordsFailed"], 1);
    assert_eq!(info["jobType"], "V2Ingest");

    let (header, rows) = results(&org, &job, "successfulResults").await;
    assert_eq!(
        header,
        ["sf__Id", "sf__Created", "LastName", "FirstName", "Email"]
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][2..], ["Hopper, G.", "Grace", ""]);
    assert_eq!(rows[0][1], "true");
    let stored = org
        .store()
        .get("Contact", &rows[0][0], None)
        .expect("the record exists");
    assert_eq!(stored.fields["LastName"], "Lovelace");

    let (header, rows) = results(&org, &job, "failedResults").await;
    assert_eq!(header[..2], ["sf__Id", "sf__Error"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "");
    assert!(
        rows[0][1].starts_with(
            "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"
        ),
        "{}",
        rows[0][1]
    );
    assert_eq!(rows[0][2..], ["", "Nameless", "#N/A"]);

    let (_, rows) = results(&org, &job, "unprocessedrecords").await;
    assert!(rows.is_empty());
    assert_eq!(org.store().count("Contact"), 2);
}

#[tokio::test]
async fn job_bodies_have_the_recorded_keys() {
    let org = start().await;
    let (status, created) = json_of(
        api(&org, Method::POST, "/jobs/ingest")
            .json(&json!({"object": "Account", "operation": "insert"})),
    )
    .await;
    assert_eq!(status, 200);
    let recorded = recording("bulk__create_job_success_response.json");
    assert_eq!(keys(&created), keys(&recorded));
    let id = created["id"].as_str().expect("an id");
    assert!(id.starts_with("750") && id.len() == 18, "{id}");
    assert!(created["contentUrl"]
        .as_str()
        .expect("a URL")
        .ends_with(&format!("/jobs/ingest/{id}/batches")));
    let (_, closed) = set_state(&org, "ingest", id, "UploadComplete").await;
    assert!(keys(&recording("bulk__close_job_success_response.json")).is_subset(&keys(&closed)));
}

#[tokio::test]
async fn updates_clear_fields_with_na_and_leave_empty_cells_alone() {
    let org = start().await;
    let id = org
        .store()
        .insert(
            "Contact",
            &record(&[("LastName", "Curie"), ("Title", "Dr"), ("Phone", "123")]),
        )
        .expect("inserted")
        .to_string();
    let job = create_job(&org, json!({"object": "Contact", "operation": "update"})).await;
    assert_eq!(
        upload(&org, &job, &format!("Id,Title,Phone\n{id},#N/A,\n")).await,
        201
    );
    set_state(&org, "ingest", &job, "UploadComplete").await;
    let info = wait(&org, "ingest", &job).await;
    assert_eq!(
        (
            info["numberRecordsProcessed"].as_u64(),
            info["numberRecordsFailed"].as_u64()
        ),
        (Some(1), Some(0))
    );
    let stored = org
        .store()
        .get("Contact", &id, None)
        .expect("exists")
        .fields;
    assert_eq!(stored["Title"], Value::Null);
    assert_eq!(stored["Phone"], "123");
    let (_, rows) = results(&org, &job, "successfulResults").await;
    assert_eq!(rows[0][..2], [id.as_str(), "false"]);
}

#[tokio::test]
async fn upserts_create_then_update_by_external_id() {
    let org = start().await;
    for (round, created) in [(1, "true"), (2, "false")] {
        let job = create_job(
            &org,
            json!({"object": "Contact", "operation": "upsert", "externalIdFieldName": "Email"}),
        )
        .await;
        let csv = format!("Email,LastName\nmarie@example.com,Round{round}\n");
        assert_eq!(upload(&org, &job, &csv).await, 201);
        set_state(&org, "ingest", &job, "UploadComplete").await;
        wait(&org, "ingest", &job).await;
        let (_, rows) = results(&org, &job, "successfulResults").await;
        assert_eq!(rows[0][1], created, "round {round}");
    }
    assert_eq!(org.store().count("Contact"), 1);
    let (status, body) = json_of(
        api(&org, Method::POST, "/jobs/ingest")
            .json(&json!({"object": "Contact", "operation": "upsert"})),
    )
    .await;
    assert_eq!(
        (status, body[0]["errorCode"].as_str()),
        (400, Some("INVALIDJOB")),
        "{body}"
    );
}

#[tokio::test]
async fn an_unknown_column_fails_the_job_and_leaves_rows_unprocessed() {
    let org = start().await;
    let job = create_job(&org, json!({"object": "Account", "operation": "insert"})).await;
    assert_eq!(upload(&org, &job, "Name,Nope__c\nA,1\nB,2\n").await, 201);
    set_state(&org, "ingest", &job, "UploadComplete").await;
    let info = wait(&org, "ingest", &job).await;
    assert_eq!(info["state"], "Failed");
    assert_eq!(
        info["errorMessage"],
        "InvalidBatch : Field name not found : Nope__c"
    );
    let (header, rows) = results(&org, &job, "unprocessedrecords").await;
    assert_eq!(header, ["Name", "Nope__c"]);
    assert_eq!(rows, [["A", "1"], ["B", "2"]]);
    assert_eq!(org.store().count("Account"), 0);
}

#[tokio::test]
async fn one_upload_per_job_and_only_csv_within_the_size_limit() {
    let org = start().await;
    let job = create_job(&org, json!({"object": "Account", "operation": "insert"})).await;
    assert_eq!(upload(&org, &job, "Name\nA\n").await, 201);
    assert_eq!(upload(&org, &job, "Name\nB\n").await, 201);
    let (status, body) = set_state(&org, "ingest", &job, "UploadComplete").await;
    assert_eq!(
        (status, body[0]["errorCode"].as_str()),
        (400, Some("INVALIDJOB"))
    );
    assert!(body[0]["message"]
        .as_str()
        .expect("a message")
        .contains("only do 'PUT' once"));

    let job = create_job(&org, json!({"object": "Account", "operation": "insert"})).await;
    let json_upload =
        api(&org, Method::PUT, &format!("/jobs/ingest/{job}/batches")).json(&json!({"Name": "A"}));
    assert_eq!(
        json_upload
            .send()
            .await
            .expect("answered")
            .status()
            .as_u16(),
        400
    );
    let mut too_big = b"Name\n".to_vec();
    too_big.resize(100 * 1024 * 1024 + 1, b'a');
    let request = api(&org, Method::PUT, &format!("/jobs/ingest/{job}/batches"))
        .header("Content-Type", "text/csv")
        .body(too_big);
    assert_eq!(
        request.send().await.expect("answered").status().as_u16(),
        413
    );
}

#[tokio::test]
async fn jobs_wait_to_be_polled_and_can_be_aborted() {
    // A long processing delay: the job stays in UploadComplete while the test looks at it.
    let org = FakeOrg::builder()
        .bulk_processing_delay(Duration::from_secs(600))
        .start()
        .await
        .expect("starts");
    let job = create_job(&org, json!({"object": "Account", "operation": "insert"})).await;
    assert_eq!(upload(&org, &job, "Name\nA\nB\n").await, 201);
    set_state(&org, "ingest", &job, "UploadComplete").await;
    let (_, info) = json_of(api(&org, Method::GET, &format!("/jobs/ingest/{job}"))).await;
    assert_eq!(info["state"], "UploadComplete");
    let (status, body) = json_of(api(
        &org,
        Method::GET,
        &format!("/jobs/ingest/{job}/successfulResults/"),
    ))
    .await;
    assert_eq!(
        (status, body[0]["errorCode"].as_str()),
        (400, Some("INVALIDJOBSTATE"))
    );
    let (status, aborted) = set_state(&org, "ingest", &job, "Aborted").await;
    assert_eq!((status, aborted["state"].as_str()), (200, Some("Aborted")));
    let (_, rows) = results(&org, &job, "unprocessedrecords").await;
    assert_eq!(rows, [["A"], ["B"]]);
    let (status, _) = set_state(&org, "ingest", &job, "UploadComplete").await;
    assert_eq!(status, 400);
    assert_eq!(org.store().count("Account"), 0);
    let (status, _) = json_of(api(&org, Method::GET, "/jobs/ingest/750000000000000AAA")).await;
    assert_eq!(status, 404);
}

/// Creates a query job, waits for it, and returns its id.
async fn query_job(org: &RunningOrg, soql: &str) -> String {
    let (status, job) = json_of(
        api(org, Method::POST, "/jobs/query").json(&json!({"operation": "query", "query": soql})),
    )
    .await;
    assert_eq!(status, 200, "{job}");
    let id = job["id"].as_str().expect("an id").to_owned();
    let info = wait(org, "query", &id).await;
    assert_eq!(info["state"], "JobComplete", "{info}");
    id
}

#[tokio::test]
async fn query_results_come_in_pages_until_the_locator_is_null() {
    let org = start().await;
    let accounts =
        (0..2_500).map(|i| record(&[("Name", &format!("Account {i:04}")), ("Phone", "555")]));
    org.store().bulk_load("Account", accounts).expect("loaded");
    let job = query_job(&org, "SELECT Id, Name, Owner.Username, Phone FROM Account WHERE Name LIKE 'Account%' ORDER BY Name").await;
    let (_, info) = json_of(api(&org, Method::GET, &format!("/jobs/query/{job}"))).await;
    assert_eq!(info["numberRecordsProcessed"], 2_500);

    let mut locator: Option<String> = None;
    let mut names = Vec::new();
    let mut pages = 0;
    loop {
        let mut path = format!("/jobs/query/{job}/results?maxRecords=1000");
        if let Some(l) = &locator {
            path.push_str(&format!("&locator={l}"));
        }
        let (status, headers, text) = text_of(api(&org, Method::GET, &path)).await;
        assert_eq!(status, 200, "{text}");
        pages += 1;
        let (header, rows) = parse_csv(&text);
        assert_eq!(header, ["Id", "Name", "Owner.Username", "Phone"]);
        let count: usize = headers["sforce-numberofrecords"]
            .to_str()
            .expect("text")
            .parse()
            .expect("a number");
        assert_eq!(count, rows.len());
        assert!(rows.iter().all(|r| r[2] == org.username() && r[3] == "555"));
        names.extend(rows.into_iter().map(|r| r[1].clone()));
        match headers["sforce-locator"].to_str().expect("text") {
            "null" => break,
            next => locator = Some(next.to_owned()),
        }
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..2_500).map(|i| format!("Account {i:04}")).collect();
    assert_eq!(names, expected);
    assert!(org.calls("GET */jobs/query/*/results") >= 3);
}

#[tokio::test]
async fn bulk_queries_refuse_compound_fields_counts_and_unknown_fields() {
    let org = start().await;
    for (soql, code) in [
        (
            "SELECT Id, BillingAddress FROM Account",
            "FUNCTIONALITY_NOT_ENABLED",
        ),
        (
            "SELECT Account.ShippingAddress FROM Contact",
            "FUNCTIONALITY_NOT_ENABLED",
        ),
        ("SELECT COUNT() FROM Account", "INVALIDJOB"),
        ("SELECT Id FROM Account OFFSET 5", "INVALIDJOB"),
        ("SELECT Nope__c FROM Account", "INVALID_FIELD"),
    ] {
        let request = api(&org, Method::POST, "/jobs/query")
            .json(&json!({"operation": "query", "query": soql}));
        let (status, body) = json_of(request).await;
        assert_eq!(
            (status, body[0]["errorCode"].as_str()),
            (400, Some(code)),
            "{soql}: {body}"
        );
    }
    let (_, body) = json_of(
        api(&org, Method::POST, "/jobs/query")
            .json(&json!({"operation": "query", "query": "SELECT BillingAddress FROM Account"})),
    )
    .await;
    assert_eq!(
        body[0]["message"],
        "Selecting compound data not supported in Bulk Query"
    );
    // The components are fine.
    let job = query_job(&org, "SELECT Id, BillingStreet, BillingCity FROM Account").await;
    let (status, headers, text) = text_of(api(
        &org,
        Method::GET,
        &format!("/jobs/query/{job}/results"),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(headers["sforce-locator"], "null");
    assert_eq!(text.trim(), "\"Id\",\"BillingStreet\",\"BillingCity\"");
}

#[tokio::test]
async fn query_all_includes_deleted_rows_and_bulk_calls_are_counted() {
    let org = start().await;
    let id = org
        .store()
        .insert("Account", &record(&[("Name", "Gone")]))
        .expect("inserted")
        .to_string();
    org.store().delete("Account", &id).expect("deleted");
    org.reset_counters();
    let request = api(&org, Method::POST, "/jobs/query")
        .json(&json!({"operation": "queryAll", "query": "SELECT Id, IsDeleted FROM Account"}));
    let (_, job) = json_of(request).await;
    let job = job["id"].as_str().expect("an id").to_owned();
    wait(&org, "query", &job).await;
    let (_, _, text) = text_of(api(
        &org,
        Method::GET,
        &format!("/jobs/query/{job}/results"),
    ))
    .await;
    let (_, rows) = parse_csv(&text);
    assert_eq!(rows, [[id.as_str(), "true"]]);
    let counters = org.counters();
    assert!(
        counters.per_route.keys().any(|r| r.contains("/jobs/query")),
        "{:?}",
        counters.per_route
    );
    assert!(counters.api_calls >= 3);
}
