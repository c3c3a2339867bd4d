//! The URL forms real Salesforce clients send, replayed as raw HTTP requests.
//!
//! Every row is one request a client library makes, shaped as its source builds
//! it; the comment above it names the file and line read (versions: the
//! simple-salesforce 1.12.10 wheel, the jsforce 3.10.26, `@salesforce/core`
//! 9.4.0, `@salesforce/plugin-data` 5.1.19 and `@salesforce/plugin-limits` 4.0.6
//! npm packages, and restforce's `main` on GitHub, read by method as its lines
//! were not numbered). What the clients do, in short:
//! - simple-salesforce: `base_url = .../services/data/vNN.N/` (`api.py:262`), so
//!   its own resources keep a trailing slash (`limits/`, `query/?q=`), and an
//!   `SFType`'s `base_url` is `.../sobjects/<Name>/` (`api.py:954`): `create`
//!   and `metadata` use it as is, every other call `urljoin`s onto it without a
//!   trailing slash. Query parameters go through `requests` (`+` for spaces,
//!   `%2C` for commas); `query_more` is `query/<locator>` (no slash) or the
//!   `nextRecordsUrl` on the instance. Object names are as typed (`sf.contact`).
//!   Bulk 2.0 (`bulk2.py:403`): `jobs/ingest`, `jobs/query`, `.../<id>`,
//!   `.../<id>/batches`, `.../<id>/results?maxRecords=N`, no trailing slashes.
//! - jsforce (and the Salesforce CLI, whose REST calls go through it):
//!   `[base, 'sobjects', type, id].join('/')`, `/query?q=` with
//!   `encodeURIComponent` (`%20`), more pages as `/query/<locator>`, no trailing
//!   slashes anywhere.
//! - restforce (`api_path`): `/services/data/vNN.N/<path>`, no trailing slash
//!   except `api_get` with no path (`user_info`), which is `.../vNN.N/`; Faraday
//!   encodes parameters with `+` and `%2C` and sorts them by name.

use reqwest::Method;
use serde_json::{json, Value};

use super::common::{api, client, create, send, start};

/// One client request: who sends it, method, path and query after
/// `/services/data/vNN.N` (or absolute when it starts with `/services`), body,
/// and the status Salesforce answers.
struct Form {
    client: &'static str,
    method: Method,
    target: String,
    body: Option<Value>,
    status: u16,
}

fn form(client: &'static str, method: Method, target: impl Into<String>, status: u16) -> Form {
    Form {
        client,
        method,
        target: target.into(),
        body: None,
        status,
    }
}

fn with_body(mut form: Form, body: Value) -> Form {
    form.body = Some(body);
    form
}

/// Sends every form and lists the ones answered with another status.
async fn replay(org: &sfgen_fake_org::RunningOrg, forms: &[Form]) -> Vec<String> {
    let mut failures = Vec::new();
    for f in forms {
        let url = if f.target.starts_with("/services") {
            format!("{}{}", org.instance_url(), f.target)
        } else {
            format!("{}{}", org.data_url(), f.target)
        };
        let mut request = client()
            .request(f.method.clone(), &url)
            .bearer_auth(org.access_token());
        if let Some(body) = &f.body {
            request = request.json(body);
        }
        let (status, body) = send(request).await;
        if status != f.status {
            failures.push(format!(
                "{} {} {}: {status} {body}",
                f.client, f.method, f.target
            ));
        }
    }
    failures
}

#[tokio::test]
async fn every_client_url_form_is_served() {
    let org = start().await;
    org.add_field(
        "Contact",
        json!({"name": "Ext__c", "label": "Ext", "type": "string", "length": 20, "nillable": true,
            "createable": true, "updateable": true, "defaultedOnCreate": false,
            "externalId": true, "idLookup": true}),
    )
    .expect("an external id field");
    let id = create(
        &org,
        "Contact",
        json!({"LastName": "Forms", "Ext__c": "E-1"}),
    )
    .await;
    let mut doomed = Vec::new();
    for name in ["Gone", "Gone 2", "Gone 3", "Gone 4", "Gone 5", "Gone 6"] {
        doomed.push(create(&org, "Contact", json!({"LastName": name})).await);
    }
    let updated = create(&org, "Contact", json!({"LastName": "Changed"})).await;
    for i in 0..3 {
        create(&org, "Account", json!({"Name": format!("Paged {i}")})).await;
    }
    let v = org.api_version().to_owned();
    let contact = json!({"LastName": "Smith"});
    let records = |name: &str| json!({"allOrNone": false, "records": [{"attributes": {"type": "Contact"}, "LastName": name}]});
    use Method as M;
    let forms = vec![
        // --- simple-salesforce 1.12.10 (simple_salesforce/api.py) ---
        // api.py:317 `describe`: base_url + "sobjects"
        form("simple-salesforce", M::GET, "/sobjects", 200),
        // api.py:538 `limits`: base_url + 'limits/'
        form("simple-salesforce", M::GET, "/limits/", 200),
        // api.py:1079-1081 `SFType.create`: POST base_url (`sobjects/Contact/`)
        with_body(
            form("simple-salesforce", M::POST, "/sobjects/Contact/", 201),
            contact.clone(),
        ),
        // api.py:377 `__getattr__`: the object name as typed (`sf.contact`)
        with_body(
            form("simple-salesforce", M::POST, "/sobjects/contact/", 201),
            contact.clone(),
        ),
        // api.py:973-974 `SFType.metadata`: GET base_url
        form("simple-salesforce", M::GET, "/sobjects/Contact/", 200),
        // api.py:987-990 `SFType.describe`: urljoin(base_url, 'describe')
        form(
            "simple-salesforce",
            M::GET,
            "/sobjects/Contact/describe",
            200,
        ),
        // api.py:1031-1033 `SFType.get`: urljoin(base_url, record_id)
        form(
            "simple-salesforce",
            M::GET,
            format!("/sobjects/Contact/{id}"),
            200,
        ),
        // api.py:1056-1057 `get_by_custom_id`: `<field>/<quote_plus(value)>`
        form(
            "simple-salesforce",
            M::GET,
            "/sobjects/Contact/Ext__c/E-1",
            200,
        ),
        // api.py:1140-1142 `SFType.update`: PATCH urljoin(base_url, record_id)
        with_body(
            form(
                "simple-salesforce",
                M::PATCH,
                format!("/sobjects/Contact/{updated}"),
                204,
            ),
            json!({"LastName": "Jones"}),
        ),
        // api.py:1108-1110 `SFType.upsert`: PATCH urljoin(base_url, "Ext__c/E-2")
        with_body(
            form(
                "simple-salesforce",
                M::PATCH,
                "/sobjects/Contact/Ext__c/E-2",
                201,
            ),
            contact.clone(),
        ),
        // api.py:1169-1171 `SFType.delete`: DELETE urljoin(base_url, record_id)
        form(
            "simple-salesforce",
            M::DELETE,
            format!("/sobjects/Contact/{}", doomed[0]),
            204,
        ),
        // api.py:563-571 `query`: base_url + 'query/', params={'q': ...}
        form(
            "simple-salesforce",
            M::GET,
            "/query/?q=SELECT+Id%2C+LastName+FROM+Contact",
            200,
        ),
        // api.py:563 `query(include_deleted=True)`: 'queryAll/'
        form(
            "simple-salesforce",
            M::GET,
            "/queryAll/?q=SELECT+Id+FROM+Contact",
            200,
        ),
        form(
            "simple-salesforce",
            M::GET,
            "/query/?q=SELECT+Id+FROM+contact+WHERE+LastName+%3D+%27Forms%27",
            200,
        ),
        // --- jsforce 3.10.26 (src/connection.ts, src/query.ts) ---
        // connection.ts:1549 `identity`: GET _baseUrl() (the resource list)
        form("jsforce", M::GET, "", 200),
        // connection.ts:1526 `describeGlobal`: `${_baseUrl()}/sobjects`
        form("jsforce", M::GET, "/sobjects", 200),
        // connection.ts:1517 `describe`: [base, 'sobjects', type, 'describe']
        form("jsforce", M::GET, "/sobjects/Contact/describe", 200),
        // connection.ts:1000 `_createSingle`: [base, 'sobjects', type]
        with_body(
            form("jsforce", M::POST, "/sobjects/Contact", 201),
            contact.clone(),
        ),
        // connection.ts:902 `_retrieveSingle`: [base, 'sobjects', type, id]
        form("jsforce", M::GET, format!("/sobjects/Contact/{id}"), 200),
        // connection.ts:903-905: `?fields=${fields.join(',')}` (commas as is)
        form(
            "jsforce",
            M::GET,
            format!("/sobjects/Contact/{id}?fields=Id,LastName"),
            200,
        ),
        // connection.ts:936 `_retrieveMany`: POST [base, 'composite', 'sobjects', type]
        with_body(
            form("jsforce", M::POST, "/composite/sobjects/Contact", 200),
            json!({"ids": [id], "fields": ["Id", "LastName"]}),
        ),
        // connection.ts:1165 `_updateSingle`: PATCH [base, 'sobjects', type, id]
        with_body(
            form(
                "jsforce",
                M::PATCH,
                format!("/sobjects/Contact/{updated}"),
                204,
            ),
            json!({"LastName": "Again"}),
        ),
        // connection.ts:1367 `_upsertParallel`: PATCH [base, 'sobjects', type, extIdField, extId]
        with_body(
            form("jsforce", M::PATCH, "/sobjects/Contact/Ext__c/E-1", 200),
            json!({"LastName": "Upserted"}),
        ),
        // connection.ts:1439 `_destroySingle`: DELETE [base, 'sobjects', type, id]
        form(
            "jsforce",
            M::DELETE,
            format!("/sobjects/Contact/{}", doomed[1]),
            204,
        ),
        // query.ts:657-664 `_execute`: base + '/query?q=' + encodeURIComponent(soql)
        form(
            "jsforce",
            M::GET,
            "/query?q=SELECT%20Id%2C%20Name%20FROM%20Account",
            200,
        ),
        // query.ts:661 `scanAll`: '/queryAll?q='
        form(
            "jsforce",
            M::GET,
            "/queryAll?q=SELECT%20Id%20FROM%20Account",
            200,
        ),
        // connection.ts:1090 `_createMany`: POST [base, 'composite', 'sobjects']
        with_body(
            form("jsforce", M::POST, "/composite/sobjects", 200),
            records("C"),
        ),
        // connection.ts:1235 `_updateMany`: PATCH [base, 'composite', 'sobjects']
        with_body(
            form("jsforce", M::PATCH, "/composite/sobjects", 200),
            json!({"allOrNone": false, "records": [
                {"id": updated, "attributes": {"type": "Contact"}, "LastName": "Many"}]}),
        ),
        // connection.ts:1337 `_upsertMany`: PATCH [base, 'composite', 'sobjects', type, extIdField]
        with_body(
            form(
                "jsforce",
                M::PATCH,
                "/composite/sobjects/Contact/Ext__c",
                200,
            ),
            json!({"allOrNone": false, "records": [
                {"attributes": {"type": "Contact"}, "Ext__c": "E-3", "LastName": "U"}]}),
        ),
        // connection.ts:1492-1495 `_destroyMany`: 'composite/sobjects?ids=' + ids.join(',')
        form(
            "jsforce",
            M::DELETE,
            format!("/composite/sobjects?ids={},{}", doomed[2], doomed[3]),
            200,
        ),
        form(
            "jsforce",
            M::DELETE,
            format!("/composite/sobjects?ids={}&allOrNone=true", doomed[4]),
            200,
        ),
        // connection.ts:1653 `limits`: [base, 'limits']
        form("jsforce", M::GET, "/limits", 200),
        // --- Salesforce CLI ---
        // @salesforce/core lib/org/connection.js:195 `retrieveMaxApiVersion`:
        // `${instanceUrl}/services/data`
        form("sf-cli", M::GET, "/services/data", 200),
        // @salesforce/plugin-limits lib/commands/org/list/limits.js:35: '/limits'
        form("sf-cli", M::GET, "/limits", 200),
        // plugin-limits lib/commands/org/list/sobject/record-counts.js:41-42:
        // `/limits/recordCount?sObjects${sobjectsQuery}`, bare without --sobject
        form("sf-cli", M::GET, "/limits/recordCount?sObjects", 200),
        form(
            "sf-cli",
            M::GET,
            "/limits/recordCount?sObjects=Account,Contact",
            200,
        ),
        // --- restforce (lib/restforce/concerns/*.rb; `api_path` in api.rb) ---
        // verbs.rb `define_api_verb` + api.rb `user_info`: api_get with no path
        // is api_path(nil) = `/services/data/vNN.N/`
        form("restforce", M::GET, "/", 200),
        // api.rb `describe`: api_get('sobjects'), api_get("sobjects/#{sobject}/describe")
        form("restforce", M::GET, "/sobjects", 200),
        form("restforce", M::GET, "/sobjects/Contact/describe", 200),
        form("restforce", M::GET, "/sobjects/Nope__c/describe", 404),
        // api.rb `query`/`query_all`: api_get 'query', q: soql (Faraday: `+`, `%2C`)
        form(
            "restforce",
            M::GET,
            "/query?q=SELECT+Id%2C+LastName+FROM+Contact",
            200,
        ),
        form(
            "restforce",
            M::GET,
            "/queryAll?q=SELECT+Id+FROM+Contact",
            200,
        ),
        // api.rb `limits`: api_get("limits")
        form("restforce", M::GET, "/limits", 200),
        // api.rb `create!`: api_post("sobjects/#{sobject}")
        with_body(
            form("restforce", M::POST, "/sobjects/Contact", 201),
            contact.clone(),
        ),
        // api.rb `upsert!` with field `Id` and no Id in the attributes:
        // api_post "sobjects/#{sobject}/Id" (Salesforce creates, API 37.0+)
        with_body(
            form("restforce", M::POST, "/sobjects/Contact/Id", 201),
            json!({"LastName": "Upserted"}),
        ),
        // Any other field without a value is not a resource that takes POST.
        with_body(
            form("restforce", M::POST, "/sobjects/Contact/Ext__c", 405),
            json!({"LastName": "Nope"}),
        ),
        // api.rb `find`: "sobjects/#{sobject}/#{url_encode(id)}", and with a field
        form("restforce", M::GET, format!("/sobjects/Contact/{id}"), 200),
        form("restforce", M::GET, "/sobjects/Contact/Ext__c/E-1", 200),
        // api.rb `select`: "#{path}?fields=#{select.join(',')}"
        form(
            "restforce",
            M::GET,
            format!("/sobjects/Contact/{id}?fields=Id,LastName"),
            200,
        ),
        // api.rb `update!`: api_patch "sobjects/#{sobject}/#{CGI.escape(id)}"
        with_body(
            form(
                "restforce",
                M::PATCH,
                format!("/sobjects/Contact/{updated}"),
                204,
            ),
            json!({"LastName": "Ruby"}),
        ),
        // api.rb `upsert!`: api_patch "sobjects/#{sobject}/#{field}/#{url_encode(external_id)}"
        with_body(
            form("restforce", M::PATCH, "/sobjects/Contact/Ext__c/E-4", 201),
            contact.clone(),
        ),
        // api.rb `destroy!`: api_delete "sobjects/#{sobject}/#{url_encode(id)}"
        form(
            "restforce",
            M::DELETE,
            format!("/sobjects/Contact/{}", doomed[5]),
            204,
        ),
        // sobject_collection_api.rb `collection_get`: api_get("composite/sobjects/#{name}",
        // ids:, fields:) — Faraday sorts the parameters and encodes the commas
        form(
            "restforce",
            M::GET,
            format!("/composite/sobjects/Contact?fields=Id%2CLastName&ids={id}%2C{updated}"),
            200,
        ),
        // sobject_collection_api.rb `collection_create`/`collection_update`/`collection_upsert`
        with_body(
            form("restforce", M::POST, "/composite/sobjects", 200),
            records("R"),
        ),
        with_body(
            form(
                "restforce",
                M::PATCH,
                "/composite/sobjects/Contact/Ext__c",
                200,
            ),
            json!({"allOrNone": false, "records": [
                {"attributes": {"type": "Contact"}, "Ext__c": "E-5", "LastName": "R"}]}),
        ),
        // composite_api.rb `composite`: api_post('composite'), subrequest urls
        // from `composite_api_path`: "/services/data/v#{api_version}/sobjects/#{path}"
        with_body(
            form("restforce", M::POST, "/composite", 200),
            json!({"allOrNone": false, "collateSubrequests": false, "compositeRequest": [
                {"method": "PATCH", "url": format!("/services/data/v{v}/sobjects/Contact/{updated}"),
                    "body": {"LastName": "Composite"}, "referenceId": "u"}]}),
        ),
    ];
    let failures = replay(&org, &forms).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The writes landed where the forms said.
    let (_, record) = send(api(
        &org,
        Method::GET,
        &format!("/sobjects/Contact/{updated}"),
    ))
    .await;
    assert_eq!(record["LastName"], "Composite", "{record}");
    for gone in &doomed {
        let (status, _) = send(api(&org, Method::GET, &format!("/sobjects/Contact/{gone}"))).await;
        assert_eq!(status, 404, "{gone} was deleted");
    }
}

#[tokio::test]
async fn restforce_composite_delete_with_sorted_encoded_ids_deletes_them() {
    let org = start().await;
    let a = create(&org, "Account", json!({"Name": "A"})).await;
    let b = create(&org, "Account", json!({"Name": "B"})).await;
    // sobject_collection_api.rb `collection_delete`: api_delete("composite/sobjects",
    // ids: ids.join(','), allOrNone:) — Faraday sorts the keys and encodes `,`.
    let (status, body) = send(api(
        &org,
        Method::DELETE,
        &format!("/composite/sobjects?allOrNone=false&ids={a}%2C{b}"),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let results = body.as_array().expect("one result per id");
    assert_eq!(results.len(), 2, "{body}");
    assert_eq!(results[0]["id"], a.as_str());
    assert_eq!(results[1]["id"], b.as_str());
    assert!(results.iter().all(|r| r["success"] == true), "{body}");
}

#[tokio::test]
async fn lower_case_object_names_answer_with_canonical_names() {
    let org = start().await;
    // simple-salesforce api.py:377: `sf.contact` keeps the name as typed.
    let (status, created) =
        send(api(&org, Method::POST, "/sobjects/contact/").json(&json!({"LastName": "Lower"})))
            .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("an id");
    let (_, record) = send(api(&org, Method::GET, &format!("/sobjects/CONTACT/{id}"))).await;
    assert_eq!(record["attributes"]["type"], "Contact");
    let url = record["attributes"]["url"].as_str().expect("a url");
    assert!(url.ends_with(&format!("/sobjects/Contact/{id}")), "{url}");
    let (_, page) = send(api(&org, Method::GET, "/query/?q=SELECT+Id+FROM+contact")).await;
    assert_eq!(
        page["records"][0]["attributes"]["type"], "Contact",
        "{page}"
    );
    let (_, describe) = send(api(&org, Method::GET, "/sobjects/contact/describe")).await;
    assert_eq!(describe["name"], "Contact");
    // The log and fault patterns see the canonical path.
    assert_eq!(
        org.calls(
            format!(
                "POST /services/data/v{}/sobjects/Contact",
                org.api_version()
            )
            .as_str()
        ),
        1
    );
}

/// Follows a query's pages with `next(locator, nextRecordsUrl)` building each
/// URL as a client does, and returns how many records it saw.
async fn page_through(
    org: &sfgen_fake_org::RunningOrg,
    first: &str,
    next: impl Fn(&str, &str) -> String,
) -> usize {
    let (status, mut page) = send(api(org, Method::GET, first)).await;
    assert_eq!(status, 200, "{page}");
    let mut seen = page["records"].as_array().map_or(0, Vec::len);
    while let Some(url) = page["nextRecordsUrl"].as_str().map(str::to_owned) {
        let locator = url.rsplit('/').next().unwrap_or_default().to_owned();
        let target = next(&locator, &url);
        let full = if target.starts_with("/services") {
            format!("{}{target}", org.instance_url())
        } else {
            format!("{}{target}", org.data_url())
        };
        let (status, body) = send(client().get(&full).bearer_auth(org.access_token())).await;
        assert_eq!(status, 200, "{target}: {body}");
        seen += body["records"].as_array().map_or(0, Vec::len);
        page = body;
    }
    seen
}

#[tokio::test]
async fn every_client_query_more_form_pages_through() {
    let org =
        super::common::start_with(sfgen_fake_org::FakeOrg::builder().default_batch_size(2)).await;
    for i in 0..5 {
        create(&org, "Account", json!({"Name": format!("P{i}")})).await;
    }
    // simple-salesforce api.py:603-604 `query_more(<locator>)`: base_url + 'query/' + locator.
    let seen = page_through(&org, "/query/?q=SELECT+Id+FROM+Account", |locator, _| {
        format!("/query/{locator}")
    })
    .await;
    assert_eq!(seen, 5);
    // api.py:603 `query_more(<locator>, include_deleted=True)`: 'queryAll/' + locator.
    let seen = page_through(&org, "/queryAll/?q=SELECT+Id+FROM+Account", |locator, _| {
        format!("/queryAll/{locator}")
    })
    .await;
    assert_eq!(seen, 5);
    // api.py:601 `query_more(url, identifier_is_url=True)` (what `query_all_iter`
    // does), restforce collection.rb `next_page` (`@client.get(nextRecordsUrl)`):
    // the nextRecordsUrl on the instance.
    let seen = page_through(&org, "/query?q=SELECT+Id+FROM+Account", |_, url| {
        url.to_owned()
    })
    .await;
    assert_eq!(seen, 5);
    // jsforce query.ts:597-600 `locatorToUrl`: base + '/query/' + locator, for
    // `scanAll` queries too.
    let seen = page_through(
        &org,
        "/queryAll?q=SELECT%20Id%20FROM%20Account",
        |locator, _| format!("/query/{locator}"),
    )
    .await;
    assert_eq!(seen, 5);
}

/// Polls a Bulk 2.0 job until it is `JobComplete`.
async fn wait_for(org: &sfgen_fake_org::RunningOrg, path: &str) {
    for _ in 0..100 {
        let (status, info) = send(api(org, Method::GET, path)).await;
        assert_eq!(status, 200, "{info}");
        if info["state"] == "JobComplete" {
            return;
        }
        assert_ne!(info["state"], "Failed", "{info}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{path} did not complete");
}

async fn text(request: reqwest::RequestBuilder) -> (u16, String) {
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test]
async fn bulk_2_job_url_forms_are_served() {
    let org = start().await;
    // Ingest: simple-salesforce bulk2.py:413-415,447 `create_job` POSTs
    // bulk2_url + "ingest" (bulk2_url = `.../jobs/`, api.py:267); jsforce
    // api/bulk2.ts:1018 basePath `/services/data/vNN.N/jobs/ingest`.
    let (status, job) = send(api(&org, Method::POST, "/jobs/ingest").json(&json!({
        "operation": "insert", "object": "Account", "contentType": "CSV", "lineEnding": "LF"})))
    .await;
    assert_eq!(status, 200, "{job}");
    let job = job["id"].as_str().expect("a job id").to_owned();
    // bulk2.py:731-735 `upload_job_data`: `.../ingest/<id>/batches`; bulk2.ts:1070.
    let (status, body) = text(
        api(&org, Method::PUT, &format!("/jobs/ingest/{job}/batches"))
            .header("Content-Type", "text/csv")
            .body("Name\nBulk One\nBulk Two\n"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    // bulk2.py:559-567 `_set_job_state`: PATCH `.../ingest/<id>`; bulk2.ts:716.
    let (status, body) = send(
        api(&org, Method::PATCH, &format!("/jobs/ingest/{job}"))
            .json(&json!({"state": "UploadComplete"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // bulk2.py:582-587 `get_job`: GET `.../ingest/<id>`.
    wait_for(&org, &format!("/jobs/ingest/{job}")).await;
    // bulk2.py:100-101,759-762 `get_ingest_results`: `.../<id>/successfulResults`,
    // `failedResults`; bulk2.ts:879,925 the same; bulk2.ts:980 `unprocessedrecords`.
    for (resource, rows) in [
        ("successfulResults", 2),
        ("failedResults", 0),
        ("unprocessedrecords", 0),
    ] {
        let (status, csv) = text(api(
            &org,
            Method::GET,
            &format!("/jobs/ingest/{job}/{resource}"),
        ))
        .await;
        assert_eq!(status, 200, "{resource}: {csv}");
        assert_eq!(csv.lines().count(), 1 + rows, "{resource}: {csv}");
    }
    // Query: bulk2.py:413 `.../jobs/query`; bulk2.ts:580 basePath `.../jobs/query`.
    let (status, query) = send(api(&org, Method::POST, "/jobs/query").json(&json!({
        "operation": "query", "query": "SELECT Name FROM Account ORDER BY Name"})))
    .await;
    assert_eq!(status, 200, "{query}");
    let query = query["id"].as_str().expect("a job id").to_owned();
    // bulk2.ts:441,525 `.../jobs/query/<id>`.
    wait_for(&org, &format!("/jobs/query/{query}")).await;
    // bulk2.py:664-672 `get_query_results`: `.../query/<id>/results?maxRecords=N`.
    let (status, csv) = text(api(
        &org,
        Method::GET,
        &format!("/jobs/query/{query}/results?maxRecords=1"),
    ))
    .await;
    assert_eq!(status, 200, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert_eq!(lines[1].trim_matches('"'), "Bulk One", "{csv}");
    // bulk2.ts:546-554 `result()`: `.../<id>/results`, then `?locator=<Sforce-Locator>`.
    let (status, csv) = text(api(
        &org,
        Method::GET,
        &format!("/jobs/query/{query}/results"),
    ))
    .await;
    assert_eq!(status, 200, "{csv}");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    // Listing jobs: GET `.../jobs/ingest` and `.../jobs/query`.
    for path in ["/jobs/ingest", "/jobs/query"] {
        let (status, list) = send(api(&org, Method::GET, path)).await;
        assert_eq!(status, 200, "{path}: {list}");
        assert_eq!(list["records"].as_array().map(Vec::len), Some(1), "{list}");
    }
    // bulk2.py:541-546 `delete_job`: DELETE `.../ingest/<id>`.
    let (status, body) = text(api(&org, Method::DELETE, &format!("/jobs/ingest/{job}"))).await;
    assert_eq!(status, 204, "{body}");
}
