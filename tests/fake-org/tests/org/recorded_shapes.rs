//! Every route that has a recorded Salesforce response, compared key by key
//! with it: the same keys (nulls included), the same kinds of values, numbers
//! recorded as floats (`50000.0`) sent as floats, date-times in Salesforce's
//! `2024-01-02T03:04:05.000+0000` form.

use reqwest::Method;
use serde_json::{json, Value};

use super::common::{api, client, create, recording, send, start};

/// Salesforce's date-time format.
fn is_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 28
        && text.ends_with("+0000")
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'+',
            _ => c.is_ascii_digit(),
        })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(s) if is_datetime(s) => "datetime",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Differences of `ours` from `recorded`, by JSON path: missing keys, and
/// values of another kind where both have one; `skip` names keys the fake
/// org's describes do not have.
fn diff(
    recorded: &Value,
    ours: &Value,
    path: &str,
    skip: &dyn Fn(&str) -> bool,
    out: &mut Vec<String>,
) {
    match (recorded, ours) {
        // A value one org had and the other not is data, not shape.
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(r), Value::Object(o)) => {
            for (key, value) in r {
                match o.get(key) {
                    Some(mine) => diff(value, mine, &format!("{path}.{key}"), skip, out),
                    None if skip(key) => {}
                    None => out.push(format!("{path}.{key}: missing")),
                }
            }
        }
        (Value::Array(r), Value::Array(o)) => {
            if let (Some(r), Some(o)) = (r.first(), o.first()) {
                diff(r, o, &format!("{path}[0]"), skip, out);
            }
        }
        (r, o) if kind(r) != kind(o) && !(kind(r) == "integer" && kind(o) == "float") => {
            out.push(format!(
                "{path}: recorded {} ({r}), fake org sends {} ({o})",
                kind(r),
                kind(o)
            ));
        }
        _ => {}
    }
}

/// A route with a recording: how to call it, and which recording it answers like.
struct Case {
    route: &'static str,
    recording: &'static str,
    /// Keys of the recording the fake org has no field for.
    skip: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        route: "GET /services/data",
        recording: "responses/netcoreforce/versions.json",
        skip: &[],
    },
    Case {
        route: "GET /services/data/vXX.X",
        recording: "responses/camel-quarkus/services_data_v56_resources.json",
        skip: &[],
    },
    Case {
        route: "GET /limits",
        recording: "responses/camel-quarkus/limits_v56.json",
        skip: &[],
    },
    Case {
        route: "POST /sobjects/Account",
        recording: "responses/cumulusci/sobject_create_response.json",
        skip: &[],
    },
    Case {
        route: "GET /sobjects/Account/{id}",
        recording: "responses/netcoreforce/account.json",
        skip: &[],
    },
    Case {
        route: "GET /query",
        recording: "responses/cumulusci/query_account_many_fields.json",
        skip: &["RecordTypeId"],
    },
    Case {
        route: "POST /composite/sobjects",
        recording: "responses/cumulusci/composite_sobjects_insert_response.json",
        skip: &[],
    },
    Case {
        route: "GET /sobjects/Account/{deleted id}",
        recording: "responses/restforce-db/error_404_ENTITY_IS_DELETED.json",
        skip: &[],
    },
];

#[tokio::test]
async fn every_recorded_route_answers_in_the_recorded_shape() {
    let org = start().await;
    let account = json!({
        "Name": "Acme Corporation", "Type": "Customer - Direct", "BillingStreet": "123 Main St.",
        "BillingCity": "New York", "BillingState": "NY", "BillingPostalCode": "10001",
        "BillingCountry": "US", "AnnualRevenue": 50000, "NumberOfEmployees": 12
    });
    let id = create(&org, "Account", account.clone()).await;
    let gone = create(&org, "Account", json!({"Name": "Gone"})).await;
    let (status, _) = send(api(
        &org,
        Method::DELETE,
        &format!("/sobjects/Account/{gone}"),
    ))
    .await;
    assert_eq!(status, 204);
    let mut failures = Vec::new();
    for case in CASES {
        let recorded = recording(case.recording);
        let ours = match case.route {
            "GET /services/data" => {
                send(client().get(format!("{}/services/data", org.instance_url())))
                    .await
                    .1
            }
            "GET /services/data/vXX.X" => send(api(&org, Method::GET, "")).await.1,
            "GET /limits" => send(api(&org, Method::GET, "/limits")).await.1,
            "POST /sobjects/Account" => {
                send(api(&org, Method::POST, "/sobjects/Account").json(&account))
                    .await
                    .1
            }
            "GET /sobjects/Account/{id}" => {
                send(api(&org, Method::GET, &format!("/sobjects/Account/{id}")))
                    .await
                    .1
            }
            "GET /query" => {
                let fields: Vec<&str> = recorded["records"][0]
                    .as_object()
                    .map(|r| {
                        r.keys()
                            .filter(|k| *k != "attributes")
                            .map(String::as_str)
                            .collect()
                    })
                    .unwrap_or_default();
                // Fields the recorded org had and the workspace's describe lacks.
                let fields: Vec<&str> = org.store().with_schema(|s| {
                    fields
                        .into_iter()
                        .filter(|f| s.object("Account").is_some_and(|o| o.field(f).is_some()))
                        .collect()
                });
                let soql = format!("SELECT {} FROM Account", fields.join(", "));
                send(api(&org, Method::GET, "/query").query(&[("q", soql)]))
                    .await
                    .1
            }
            "POST /composite/sobjects" => {
                let records = json!({"allOrNone": false, "records": [
                    {"attributes": {"type": "Account"}, "Name": "A"},
                    {"attributes": {"type": "Account"}, "Name": "B"}]});
                send(api(&org, Method::POST, "/composite/sobjects").json(&records))
                    .await
                    .1
            }
            "GET /sobjects/Account/{deleted id}" => {
                send(api(&org, Method::GET, &format!("/sobjects/Account/{gone}")))
                    .await
                    .1
            }
            other => panic!("no request for {other}"),
        };
        let skip = |key: &str| case.skip.contains(&key);
        let mut found = Vec::new();
        diff(&recorded, &ours, "", &skip, &mut found);
        failures.extend(
            found
                .into_iter()
                .map(|d| format!("{} ({}): {d}", case.route, case.recording)),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn numbers_and_datetimes_are_written_as_salesforce_writes_them() {
    let org = start().await;
    let id = create(
        &org,
        "Account",
        json!({"Name": "N", "AnnualRevenue": 50000, "NumberOfEmployees": 12}),
    )
    .await;
    let soql =
        "SELECT Id, AnnualRevenue, NumberOfEmployees, CreatedDate, LastModifiedDate FROM Account";
    for url in [
        format!("{}/sobjects/Account/{id}", org.data_url()),
        format!("{}/query?q={}", org.data_url(), soql.replace(' ', "+")),
    ] {
        let text = client()
            .get(&url)
            .bearer_auth(org.access_token())
            .send()
            .await
            .expect("answered")
            .text()
            .await
            .expect("a body");
        assert!(text.contains("\"AnnualRevenue\":50000.0"), "{url}: {text}");
        assert!(text.contains("\"NumberOfEmployees\":12,"), "{url}: {text}");
        let body: Value = serde_json::from_str(&text).expect("JSON");
        let row = if body["records"].is_array() {
            &body["records"][0]
        } else {
            &body
        };
        for field in ["CreatedDate", "LastModifiedDate"] {
            assert!(
                row[field].as_str().is_some_and(is_datetime),
                "{field}: {row}"
            );
        }
    }
}
