//! sObject Collections: `/composite/sobjects` create, update, upsert, delete, retrieve.
//!
//! Results come back in input order. Per-record errors use `statusCode`
//! (`{"statusCode", "message", "fields"}`); with `allOrNone` one failure rolls
//! every record back and the others report `ALL_OR_NONE_OPERATION_ROLLED_BACK`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use super::body;
use super::sobjects::writer;
use crate::auth::{ApiVersion, Caller};
use crate::ids::SfId;
use crate::sferror::{ApiError, ErrorCode, SfError};
use crate::state::AppState;
use crate::store::{Journal, Writer};

/// Records per create/update/upsert/delete request.
const MAX_RECORDS: usize = 200;
/// Ids per retrieve request.
const MAX_RETRIEVE: usize = 2000;

fn too_many() -> ApiError {
    ApiError::one(SfError::new(
        ErrorCode::ExceededIdLimit,
        "Number of records exceeds the limit",
    ))
}

/// One record's outcome.
enum Outcome {
    /// `new`: this call created the record (a rollback then leaves no id to report).
    Ok {
        id: SfId,
        created: Option<bool>,
        new: bool,
    },
    Failed {
        id: Option<String>,
        errors: Vec<SfError>,
    },
}

impl Outcome {
    fn failed(&self) -> bool {
        matches!(self, Outcome::Failed { .. })
    }

    fn to_json(&self) -> Value {
        let mut out = Map::new();
        match self {
            Outcome::Ok { id, created, .. } => {
                out.insert("id".into(), json!(id.as_str()));
                out.insert("success".into(), json!(true));
                out.insert("errors".into(), json!([]));
                if let Some(created) = created {
                    out.insert("created".into(), json!(created));
                }
            }
            Outcome::Failed { id, errors } => {
                if let Some(id) = id {
                    out.insert("id".into(), json!(id));
                }
                out.insert("success".into(), json!(false));
                out.insert(
                    "errors".into(),
                    Value::Array(errors.iter().map(SfError::to_record_json).collect()),
                );
            }
        }
        Value::Object(out)
    }
}

/// `{allOrNone, records}` of a request body.
struct Batch {
    all_or_none: bool,
    records: Vec<Map<String, Value>>,
}

fn parse_batch(bytes: &[u8]) -> Result<Batch, ApiError> {
    let value = body::parse(bytes)?;
    let all_or_none = value
        .get("allOrNone")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let records = value
        .get("records")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ApiError::one(SfError::new(
                ErrorCode::JsonParserError,
                "Cannot deserialize instance of records: records are required",
            ))
        })?;
    if records.len() > MAX_RECORDS {
        return Err(too_many());
    }
    /// The records' own JSON text, for the text of their numbers.
    #[derive(serde::Deserialize)]
    struct RawBatch<'a> {
        #[serde(borrow, default)]
        records: Vec<&'a serde_json::value::RawValue>,
    }
    let text = String::from_utf8_lossy(bytes);
    let raw = serde_json::from_str::<RawBatch<'_>>(&text)
        .map(|b| b.records)
        .unwrap_or_default();
    let records = records
        .iter()
        .enumerate()
        .map(|(i, r)| match r {
            Value::Object(map) => {
                let mut map = map.clone();
                if let Some(raw) = raw.get(i) {
                    body::keep_number_text(&mut map, raw.get());
                }
                Ok(map)
            }
            _ => Err(ApiError::one(SfError::new(
                ErrorCode::JsonParserError,
                "Cannot deserialize instance of SObject from a value that is not an object",
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Batch {
        all_or_none,
        records,
    })
}

/// `attributes.type` of a record, which must name an object of the org.
fn record_type(state: &AppState, record: &Map<String, Value>) -> Result<String, SfError> {
    let given = record
        .get("attributes")
        .and_then(|a| a.get("type"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            SfError::on_fields(
                ErrorCode::InvalidType,
                "sObject type is required: set attributes.type",
                Vec::new(),
            )
        })?;
    state
        .store
        .with_schema(|s| s.object(given).map(|o| o.name.clone()))
        .ok_or_else(|| {
            SfError::on_fields(
                ErrorCode::InvalidType,
                format!("sObject type '{given}' is not supported."),
                Vec::new(),
            )
        })
}

/// Runs `each` for every record with a fresh journal; with `allOrNone` and a
/// failure, rolls back and marks the successes rolled back. A journal of an
/// enclosing composite request absorbs this one's writes when they stay.
fn run_batch<T>(
    state: &AppState,
    caller: Caller,
    outer: Option<Extension<Journal>>,
    all_or_none: bool,
    items: &[T],
    each: impl Fn(&Writer<'_>, &T) -> Outcome,
) -> Vec<Value> {
    let journal = state.store.journal();
    let writer = writer(state, caller, None).with_journal(journal.clone());
    let mut outcomes: Vec<Outcome> = items.iter().map(|item| each(&writer, item)).collect();
    if all_or_none && outcomes.iter().any(Outcome::failed) {
        state.store.rollback(&journal);
        for outcome in &mut outcomes {
            if let Outcome::Ok { id, new, .. } = outcome {
                let keep_id = !*new;
                let rolled_back = SfError::on_fields(
                    ErrorCode::AllOrNoneOperationRolledBack,
                    "Record rolled back because not all records were valid and the request was using AllOrNone header",
                    Vec::new(),
                );
                *outcome = Outcome::Failed {
                    id: keep_id.then(|| id.to_string()),
                    errors: vec![rolled_back],
                };
            }
        }
    } else if let Some(Extension(outer)) = outer {
        outer.absorb(&journal);
    }
    outcomes.iter().map(Outcome::to_json).collect()
}

/// `POST /composite/sobjects`: create up to 200 records.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let batch = parse_batch(&bytes)?;
    let results = run_batch(
        &state,
        caller,
        journal,
        batch.all_or_none,
        &batch.records,
        |w, record| {
            let result = record_type(&state, record)
                .map_err(|e| vec![e])
                .and_then(|object| {
                    if record.keys().any(|k| k.eq_ignore_ascii_case("Id")) {
                        return Err(vec![SfError::on_fields(
                            ErrorCode::InvalidFieldForInsertUpdate,
                            "cannot specify Id in an insert call",
                            vec!["Id".into()],
                        )]);
                    }
                    w.insert(&object, record)
                });
            match result {
                Ok(id) => Outcome::Ok {
                    id,
                    created: None,
                    new: true,
                },
                Err(errors) => Outcome::Failed { id: None, errors },
            }
        },
    );
    Ok(Json(Value::Array(results)))
}

fn record_id(record: &Map<String, Value>) -> Option<String> {
    record
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Id"))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_owned)
}

/// `PATCH /composite/sobjects`: update up to 200 records (each with `Id`).
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let batch = parse_batch(&bytes)?;
    let results = run_batch(
        &state,
        caller,
        journal,
        batch.all_or_none,
        &batch.records,
        |w, record| {
            let id = record_id(record);
            let result = match (&id, record_type(&state, record)) {
                (None, _) => Err(vec![SfError::on_fields(
                    ErrorCode::MissingArgument,
                    "Id not specified in an update call",
                    Vec::new(),
                )]),
                (_, Err(e)) => Err(vec![e]),
                (Some(id), Ok(object)) => w.update(&object, id, record),
            };
            match result {
                Ok(id) => Outcome::Ok {
                    id,
                    created: None,
                    new: false,
                },
                Err(errors) => Outcome::Failed { id, errors },
            }
        },
    );
    Ok(Json(Value::Array(results)))
}

/// `PATCH /composite/sobjects/<X>/<ExternalIdField>`: upsert up to 200 records.
pub async fn upsert(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    Path((_, object, field)): Path<(String, String, String)>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let batch = parse_batch(&bytes)?;
    let known = state
        .store
        .with_schema(|s| s.object(&object).map(|o| o.field(&field).is_some()));
    match known {
        None => return Err(ApiError::one(SfError::not_found())),
        Some(false) => {
            return Err(ApiError::one(SfError::new(
                ErrorCode::NotFound,
                format!("Provided external ID field does not exist or is not accessible: {field}"),
            )))
        }
        Some(true) => {}
    }
    let results = run_batch(
        &state,
        caller,
        journal,
        batch.all_or_none,
        &batch.records,
        |w, record| {
            let value = record
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&field))
                .and_then(|(_, v)| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                });
            let result = match value {
                None => Err(vec![SfError::on_fields(
                    ErrorCode::MissingArgument,
                    format!("{field} not specified"),
                    Vec::new(),
                )]),
                Some(value) => w.upsert(&object, &field, &value, record),
            };
            match result {
                Ok(done) => Outcome::Ok {
                    id: done.id,
                    created: Some(done.created),
                    new: done.created,
                },
                Err(errors) => Outcome::Failed { id: None, errors },
            }
        },
    );
    Ok(Json(Value::Array(results)))
}

/// `DELETE /composite/sobjects?ids=...&allOrNone=`: delete up to 200 records.
pub async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    journal: Option<Extension<Journal>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let ids: Vec<String> = params
        .get("ids")
        .map(|s| {
            s.split(',')
                .map(|i| i.trim().to_owned())
                .filter(|i| !i.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(ApiError::one(SfError::new(
            ErrorCode::RequiredFieldMissing,
            "At least 1 Id is required.",
        )));
    }
    if ids.len() > MAX_RECORDS {
        return Err(too_many());
    }
    let all_or_none = params
        .get("allOrNone")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let results = run_batch(&state, caller, journal, all_or_none, &ids, |w, id| {
        let result = match (SfId::parse(id), state.store.object_of(id)) {
            (None, _) => Err(vec![SfError::on_fields(
                ErrorCode::MalformedId,
                format!("malformed id {id}"),
                Vec::new(),
            )]),
            (Some(_), None) => Err(vec![SfError::on_fields(
                ErrorCode::InvalidCrossReferenceKey,
                "invalid cross reference id",
                Vec::new(),
            )]),
            (Some(_), Some(object)) => w.delete(&object, id),
        };
        match result {
            Ok(id) => Outcome::Ok {
                id,
                created: None,
                new: false,
            },
            Err(errors) => Outcome::Failed {
                id: Some(id.clone()),
                errors,
            },
        }
    });
    Ok(Json(Value::Array(results)))
}

fn retrieve_records(
    state: &AppState,
    object: &str,
    ids: &[String],
    fields: &[String],
    version: &str,
) -> Result<Response, ApiError> {
    if ids.len() > MAX_RETRIEVE {
        return Err(too_many());
    }
    if fields.is_empty() {
        return Err(ApiError::one(SfError::new(
            ErrorCode::RequiredFieldMissing,
            "At least 1 field is required.",
        )));
    }
    if state.store.with_schema(|s| s.object(object).is_none()) {
        return Err(ApiError::one(SfError::not_found()));
    }
    // Written as text so that exact decimals keep their digits.
    let mut out = String::from("[");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match state.store.get(object, id, Some(fields)) {
            Ok(record) => out.push_str(&record.to_json_text(version)),
            Err(errors) if errors.iter().any(|e| e.code == ErrorCode::InvalidField) => {
                return Err(ApiError::from_errors(errors))
            }
            Err(_) => out.push_str("null"),
        }
    }
    out.push(']');
    Ok(super::sobjects::json_text(out))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `POST /composite/sobjects/<X>` `{"ids": [...], "fields": [...]}`: up to 2,000
/// records, `null` for ids that match nothing.
pub async fn retrieve(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Path((_, object)): Path<(String, String)>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let value = body::parse(&bytes)?;
    let ids = strings(value.get("ids"));
    let fields = strings(value.get("fields"));
    retrieve_records(&state, &object, &ids, &fields, &version)
}

/// `GET /composite/sobjects/<X>?ids=...&fields=...`.
pub async fn retrieve_get(
    State(state): State<AppState>,
    Extension(ApiVersion(version)): Extension<ApiVersion>,
    Path((_, object)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let split = |k: &str| -> Vec<String> {
        params
            .get(k)
            .map(|s| {
                s.split(',')
                    .map(|i| i.trim().to_owned())
                    .filter(|i| !i.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    retrieve_records(&state, &object, &split("ids"), &split("fields"), &version)
}
