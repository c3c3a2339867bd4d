//! Versions, resources, describes and limits.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::auth::{ApiVersion, Caller};
use crate::schema::ObjectSchema;
use crate::sferror::{ApiError, SfError};
use crate::state::AppState;

/// The release name of an API version: v20.0 was Winter '11, three a year since.
fn release_label(version: &str) -> String {
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return format!("Version {version}");
    }
    let n = major - 20;
    let season = ["Winter", "Spring", "Summer"][(n % 3) as usize];
    format!("{season} '{:02}", 11 + n / 3)
}

/// `GET /services/data`: the versions the org serves.
pub async fn versions(State(state): State<AppState>) -> Json<Value> {
    let list: Vec<Value> = state
        .settings
        .api_versions
        .iter()
        .map(|v| json!({ "label": release_label(v), "url": format!("/services/data/v{v}"), "version": v }))
        .collect();
    Json(Value::Array(list))
}

/// `GET /services/data/vXX.X/`: the resource directory.
pub async fn resources(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Extension(caller): Extension<Caller>,
) -> Json<Value> {
    let base = format!("/services/data/v{version}");
    let mut out = Map::new();
    for name in [
        "tooling",
        "metadata",
        "eclair",
        "folders",
        "prechatForms",
        "contact-tracing",
        "jsonxform",
        "tableau",
        "chatter",
        "payments",
        "tabs",
        "appMenu",
        "quickActions",
        "queryAll",
        "commerce",
        "wave",
        "iot",
        "analytics",
        "search",
        "smartdatadiscovery",
        "identity",
        "composite",
        "parameterizedSearch",
        "fingerprint",
        "theme",
        "nouns",
        "domino",
        "event",
        "serviceTemplates",
        "recent",
        "connect",
        "licensing",
        "limits",
        "process",
        "dedupe",
        "async-queries",
        "query",
        "jobs",
        "match",
        "emailConnect",
        "compactLayouts",
        "knowledgeManagement",
        "sobjects",
        "actions",
        "support",
    ] {
        let url = if name == "identity" {
            state.identity.id_url(caller.user)
        } else {
            format!("{base}/{name}")
        };
        out.insert(name.into(), Value::String(url));
    }
    Json(Value::Object(out))
}

/// Daily and hourly limits of a Developer Edition org, as `/limits` lists them.
const LIMITS: [(&str, u64); 29] = [
    ("ConcurrentAsyncGetReportInstances", 200),
    ("ConcurrentSyncReportRuns", 20),
    ("DailyAsyncApexExecutions", 250_000),
    ("DailyBulkApiBatches", 15_000),
    ("DailyBulkV2QueryFileStorageMB", 976_562),
    ("DailyBulkV2QueryJobs", 10_000),
    ("DailyDurableGenericStreamingApiEvents", 10_000),
    ("DailyDurableStreamingApiEvents", 10_000),
    ("DailyGenericStreamingApiEvents", 10_000),
    ("DailyStandardVolumePlatformEvents", 10_000),
    ("DailyStreamingApiEvents", 10_000),
    ("DailyWorkflowEmails", 390),
    ("DataStorageMB", 5),
    ("DurableStreamingApiConcurrentClients", 20),
    ("FileStorageMB", 20),
    ("HourlyAsyncReportRuns", 1200),
    ("HourlyDashboardRefreshes", 200),
    ("HourlyDashboardResults", 5000),
    ("HourlyDashboardStatuses", 999_999_999),
    ("HourlyLongTermIdMapping", 100_000),
    ("HourlyODataCallout", 10_000),
    ("HourlyPublishedPlatformEvents", 50_000),
    ("HourlyPublishedStandardVolumePlatformEvents", 1000),
    ("HourlyShortTermIdMapping", 100_000),
    ("HourlySyncReportRuns", 500),
    ("HourlyTimeBasedWorkflow", 50),
    ("MassEmail", 10),
    ("MonthlyPlatformEventsUsageEntitlement", 300_000),
    ("SingleEmail", 15),
];

/// `GET /limits`: `DailyApiRequests` reflects the org's allocation and usage.
pub async fn limits(State(state): State<AppState>) -> Json<Value> {
    let (used, max) = state.usage.get();
    let mut out = Map::new();
    for (name, limit) in LIMITS {
        out.insert(name.into(), json!({ "Max": limit, "Remaining": limit }));
        if name == "ConcurrentSyncReportRuns" {
            out.insert(
                "DailyApiRequests".into(),
                json!({ "Max": max, "Remaining": max.saturating_sub(used) }),
            );
        }
    }
    Json(Value::Object(out))
}

/// `GET /limits/recordCount?sObjects=A,B`: the live (not deleted) records of
/// each listed object, as `{"sObjects": [{"count": N, "name": "A"}, ...]}`.
///
/// Names are matched case-insensitively and answered with the object's API
/// name; a name the org does not know is left out, as Salesforce documents.
/// Without a list (no `sObjects`, or the Salesforce CLI's bare `?sObjects`), every
/// object that has records, in schema order.
pub async fn record_count(State(state): State<AppState>, RawQuery(query): RawQuery) -> Json<Value> {
    let listed: Vec<String> = query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .filter(|(key, _)| key == "sObjects")
                .flat_map(|(_, value)| {
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|name| !name.is_empty())
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<String> = state.store.with_schema(|schema| {
        if listed.is_empty() {
            return schema.objects().iter().map(|o| o.name.clone()).collect();
        }
        let mut names: Vec<String> = Vec::new();
        for name in &listed {
            if let Some(object) = schema.object(name) {
                if !names.contains(&object.name) {
                    names.push(object.name.clone());
                }
            }
        }
        names
    });
    let every = listed.is_empty();
    let counts: Vec<Value> = names
        .into_iter()
        .map(|name| (state.store.count(&name), name))
        .filter(|(count, _)| !every || *count > 0)
        .map(|(count, name)| json!({ "count": count, "name": name }))
        .collect();
    Json(json!({ "sObjects": counts }))
}

/// Replaces the version of every `/services/data/vNN.N` in `text` with `version`.
pub fn rewrite_versions(text: &str, version: &str) -> String {
    const MARK: &str = "/services/data/v";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(MARK) {
        out.push_str(&rest[..i + MARK.len()]);
        rest = &rest[i + MARK.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .unwrap_or(rest.len());
        out.push_str(version);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The keys of a global-describe entry, in Salesforce's order.
const GLOBAL_KEYS: [&str; 29] = [
    "activateable",
    "associateEntityType",
    "associateParentEntity",
    "createable",
    "custom",
    "customSetting",
    "deepCloneable",
    "deletable",
    "deprecatedAndHidden",
    "feedEnabled",
    "hasSubtypes",
    "isInterface",
    "isSubtype",
    "keyPrefix",
    "label",
    "labelPlural",
    "layoutable",
    "mergeable",
    "mruEnabled",
    "name",
    "queryable",
    "replicateable",
    "retrieveable",
    "searchable",
    "triggerable",
    "undeletable",
    "updateable",
    "urls",
    "sobjectDescribeOption",
];

fn global_entry(object: &ObjectSchema, version: &str) -> Value {
    let mut out = Map::new();
    for key in GLOBAL_KEYS {
        if let Some(value) = object.describe.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    let text = Value::Object(out).to_string();
    serde_json::from_str(&rewrite_versions(&text, version)).unwrap_or(Value::Null)
}

/// `GET /sobjects`: the global describe.
pub async fn global_describe(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
) -> Json<Value> {
    let sobjects: Vec<Value> = state.store.with_schema(|s| {
        s.objects()
            .iter()
            .map(|o| global_entry(o, &version))
            .collect()
    });
    Json(json!({ "encoding": "UTF-8", "maxBatchSize": 200, "sobjects": sobjects }))
}

/// `GET /sobjects/<X>`: basic information (the global entry and recent items).
pub async fn basic_info(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Path((_, object)): Path<(String, String)>,
) -> Response {
    let entry = state
        .store
        .with_schema(|s| s.object(&object).map(|o| global_entry(o, &version)));
    match entry {
        Some(entry) => Json(json!({ "objectDescribe": entry, "recentItems": [] })).into_response(),
        None => ApiError::one(SfError::not_found()).into_response(),
    }
}

fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// `GET /sobjects/<X>/describe`, with `Last-Modified` and `If-Modified-Since` → 304.
pub async fn describe(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Path((_, object)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some((describe, modified)) = state.store.with_schema(|s| {
        s.object(&object)
            .map(|o| (o.describe.clone(), o.last_modified))
    }) else {
        return ApiError::one(SfError::not_found()).into_response();
    };
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok());
    let last_modified = HeaderValue::from_str(&http_date(modified)).ok();
    if since.is_some_and(|s| modified.timestamp() <= s.timestamp()) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        if let Some(v) = last_modified {
            response.headers_mut().insert(header::LAST_MODIFIED, v);
        }
        return response;
    }
    let body = rewrite_versions(&describe.to_string(), &version);
    let mut response = (
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body,
    )
        .into_response();
    if let Some(v) = last_modified {
        response.headers_mut().insert(header::LAST_MODIFIED, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_labels_follow_salesforce() {
        assert_eq!(release_label("20.0"), "Winter '11");
        assert_eq!(release_label("31.0"), "Summer '14");
        assert_eq!(release_label("57.0"), "Spring '23");
    }

    #[test]
    fn versions_in_urls_are_rewritten() {
        let text = r#"{"a":"/services/data/v44.0/sobjects/Account","b":"/services/data/vxx.0/x"}"#;
        assert_eq!(
            rewrite_versions(text, "59.0"),
            r#"{"a":"/services/data/v59.0/sobjects/Account","b":"/services/data/v59.0/x"}"#
        );
    }
}
