//! The URL forms real Salesforce clients send, replayed as raw HTTP requests.
//!
//! Each row is one request a client library makes, shaped as its source builds it:
//! - simple-salesforce (`api.py`): `base_url = .../services/data/vNN.N/`, so
//!   `describe` is `sobjects`, `limits` is `limits/`, `query` is `query/` or
//!   `queryAll/` with `params={'q': ...}` (requests encodes spaces as `+`),
//!   `query_more` is `query/<locator>` or the `nextRecordsUrl`; an `SFType` has
//!   `base_url = .../sobjects/<Name>/`, so `create` POSTs to `sobjects/Contact/`,
//!   `metadata` GETs it, `describe` is `sobjects/Contact/describe`, and `get`,
//!   `update`, `delete`, `upsert`, `get_by_custom_id` join a record id or
//!   `<Field>/<value>` onto it. Object names are what the user typed
//!   (`sf.contact` → `sobjects/contact/`).
//! - jsforce (and the Salesforce CLI, which sends REST calls through jsforce's
//!   `Connection`): `/sobjects/<type>`, `/sobjects/<type>/<id>`,
//!   `/sobjects/<type>/describe`, `/sobjects/<type>/<extIdField>/<value>`,
//!   `/query?q=` with `encodeURIComponent` (`%20`), `nextRecordsUrl` as given,
//!   `/composite/sobjects`, `/limits`, and `/services/data` for the versions.
//! - restforce (`api_path`): `/services/data/vNN.N/<path>` without a trailing
//!   slash; Faraday encodes query parameters with `+` for spaces.
//! - Bulk API 2.0 clients (simple-salesforce `bulk2.py`, jsforce) add a
//!   trailing slash to job URLs (`jobs/ingest/`, `jobs/query/<id>/results/`).

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
    let deleted = create(&org, "Contact", json!({"LastName": "Gone"})).await;
    let updated = create(&org, "Contact", json!({"LastName": "Changed"})).await;
    for i in 0..3 {
        create(&org, "Account", json!({"Name": format!("Paged {i}")})).await;
    }
    let v = org.api_version().to_owned();
    let contact = json!({"LastName": "Smith"});
    use Method as M;
    let forms = vec![
        // simple-salesforce
        form("simple-salesforce", M::GET, "/services/data/", 200),
        form("simple-salesforce", M::GET, "/sobjects", 200),
        form("simple-salesforce", M::GET, "/limits/", 200),
        with_body(
            form("simple-salesforce", M::POST, "/sobjects/Contact/", 201),
            contact.clone(),
        ),
        with_body(
            form("simple-salesforce", M::POST, "/sobjects/contact/", 201),
            contact.clone(),
        ),
        form("simple-salesforce", M::GET, "/sobjects/Contact/", 200),
        form(
            "simple-salesforce",
            M::GET,
            "/sobjects/Contact/describe",
            200,
        ),
        form(
            "simple-salesforce",
            M::GET,
            "/sobjects/Contact/describe/",
            200,
        ),
        form(
            "simple-salesforce",
            M::GET,
            format!("/sobjects/Contact/{id}"),
            200,
        ),
        form(
            "simple-salesforce",
            M::GET,
            format!("/sobjects/Contact/{id}/"),
            200,
        ),
        form(
            "simple-salesforce",
            M::GET,
            "/sobjects/Contact/Ext__c/E-1",
            200,
        ),
        form(
            "simple-salesforce",
            M::GET,
            "/sobjects/Contact/Ext__c/E-1/",
            200,
        ),
        with_body(
            form(
                "simple-salesforce",
                M::PATCH,
                format!("/sobjects/Contact/{updated}"),
                204,
            ),
            json!({"LastName": "Jones"}),
        ),
        with_body(
            form(
                "simple-salesforce",
                M::PATCH,
                "/sobjects/Contact/Ext__c/E-2",
                201,
            ),
            contact.clone(),
        ),
        form(
            "simple-salesforce",
            M::DELETE,
            format!("/sobjects/Contact/{deleted}"),
            204,
        ),
        form(
            "simple-salesforce",
            M::GET,
            "/query/?q=SELECT+Id%2C+LastName+FROM+Contact",
            200,
        ),
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
        // jsforce and the Salesforce CLI
        form("jsforce", M::GET, "/services/data", 200),
        form("jsforce", M::GET, "", 200),
        form("jsforce", M::GET, "/", 200),
        form("jsforce", M::GET, "/sobjects/Contact/describe", 200),
        with_body(
            form("jsforce", M::POST, "/sobjects/Contact", 201),
            contact.clone(),
        ),
        form("jsforce", M::GET, format!("/sobjects/Contact/{id}"), 200),
        form(
            "jsforce",
            M::GET,
            "/query?q=SELECT%20Id%2C%20Name%20FROM%20Account",
            200,
        ),
        form(
            "jsforce",
            M::GET,
            "/queryAll?q=SELECT%20Id%20FROM%20Account",
            200,
        ),
        with_body(
            form("jsforce", M::POST, "/composite/sobjects", 200),
            json!({"allOrNone": false, "records": [{"attributes": {"type": "Contact"}, "LastName": "C"}]}),
        ),
        with_body(
            form("jsforce", M::POST, "/composite/sobjects/", 200),
            json!({"allOrNone": false, "records": [{"attributes": {"type": "Contact"}, "LastName": "D"}]}),
        ),
        form("jsforce", M::GET, "/limits", 200),
        with_body(
            form("sf-cli", M::POST, "/composite/", 200),
            json!({"compositeRequest": [{"method": "GET", "url": format!("/services/data/v{v}/sobjects/contact/{id}/"), "referenceId": "c"}]}),
        ),
        // restforce
        form("restforce", M::GET, "/sobjects", 200),
        form("restforce", M::GET, "/sobjects/Contact/describe", 200),
        form("restforce", M::GET, "/query?q=SELECT+Id+FROM+Contact", 200),
        form("restforce", M::GET, "/limits", 200),
        form("restforce", M::GET, "/sobjects/Nope__c/describe/", 404),
        // Bulk API 2.0
        form("simple-salesforce bulk2", M::GET, "/jobs/ingest/", 200),
        form("simple-salesforce bulk2", M::GET, "/jobs/query/", 200),
        with_body(
            form("simple-salesforce bulk2", M::POST, "/jobs/query/", 200),
            json!({"operation": "query", "query": "SELECT Id FROM Account"}),
        ),
        with_body(
            form("simple-salesforce bulk2", M::POST, "/jobs/ingest/", 200),
            json!({"operation": "insert", "object": "Account", "contentType": "CSV", "lineEnding": "LF"}),
        ),
    ];
    let mut failures = Vec::new();
    for f in &forms {
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
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn lower_case_object_names_answer_with_canonical_names() {
    let org = start().await;
    let (status, created) =
        send(api(&org, Method::POST, "/sobjects/contact/").json(&json!({"LastName": "Lower"})))
            .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("an id");
    let (_, record) = send(api(&org, Method::GET, &format!("/sobjects/CONTACT/{id}/"))).await;
    assert_eq!(record["attributes"]["type"], "Contact");
    let url = record["attributes"]["url"].as_str().expect("a url");
    assert!(url.ends_with(&format!("/sobjects/Contact/{id}")), "{url}");
    let (_, page) = send(api(&org, Method::GET, "/query/?q=SELECT+Id+FROM+contact")).await;
    assert_eq!(
        page["records"][0]["attributes"]["type"], "Contact",
        "{page}"
    );
    let (_, describe) = send(api(&org, Method::GET, "/sobjects/contact/describe/")).await;
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

#[tokio::test]
async fn query_more_with_trailing_slash_and_plus_encoded_queries_page_through() {
    let org =
        super::common::start_with(sfgen_fake_org::FakeOrg::builder().default_batch_size(2)).await;
    for i in 0..5 {
        create(&org, "Account", json!({"Name": format!("P{i}")})).await;
    }
    let (status, mut page) = send(api(&org, Method::GET, "/query/?q=SELECT+Id+FROM+Account")).await;
    assert_eq!(status, 200, "{page}");
    let mut seen = page["records"].as_array().map_or(0, Vec::len);
    while let Some(next) = page["nextRecordsUrl"].as_str().map(str::to_owned) {
        // simple-salesforce's `query_more(<locator>)` form, with a trailing slash.
        let locator = next.rsplit('/').next().unwrap_or_default().to_owned();
        let (status, body) = send(api(&org, Method::GET, &format!("/query/{locator}/"))).await;
        assert_eq!(status, 200, "{body}");
        seen += body["records"].as_array().map_or(0, Vec::len);
        page = body;
    }
    assert_eq!(seen, 5);
}
