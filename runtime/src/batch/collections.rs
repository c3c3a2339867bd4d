//! sObject Collections writes: 200 records per call, per-record results in input
//! order, `allOrNone`, and bounded retries of records that met a locked row.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use futures::{stream, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::chunk::{self, MAX_RECORDS};
use super::exact_json::{self, Json, Object};
use super::outcome::{RecordFailure, RecordResult, WritePath, WriteReport, Written};
use super::progress::{HookDebug, Progress, Tracker};
use crate::client::api_name;
use crate::error::{ApiErrorDetail, Error, ErrorCode, Result};
use crate::{
    Client, CreateRecord, Id, Limits, RecordId, Request, RetryPolicy, SObject, UpdateRecord,
};

/// How sObject Collections writes are sent.
#[derive(Clone)]
pub struct CollectionOptions {
    /// `allOrNone`: when one record of a request fails, Salesforce rolls back the
    /// whole request (its other records fail with
    /// `ALL_OR_NONE_OPERATION_ROLLED_BACK`). It applies per request of up to 200
    /// records, not across requests. Default `false`.
    pub all_or_none: bool,
    /// How records that failed with `UNABLE_TO_LOCK_ROW` are sent again: attempts
    /// in all and the waits between them. Only those records are resent (with
    /// `allOrNone`, the whole request, since nothing of it was saved); records
    /// that succeeded are never sent twice.
    pub lock_retry: RetryPolicy,
    /// Records per request, at most 200 (the default).
    pub chunk_size: usize,
    /// Requests in flight at once. `None` (the default): as many as the
    /// client's in-flight cap allows ([`Limits::max_in_flight`](crate::Limits::max_in_flight),
    /// 25 by default; 25 when the client has no cap). Each request is one API
    /// call either way; more at once finish sooner, and records that meet a
    /// row lock held by a parallel request (`UNABLE_TO_LOCK_ROW`) are resent
    /// under [`lock_retry`](Self::lock_retry). `Some(1)` sends one at a time.
    pub concurrency: Option<usize>,
    /// Receives records done / total after each request.
    pub progress: Option<Arc<dyn Progress>>,
}

impl Default for CollectionOptions {
    fn default() -> Self {
        CollectionOptions {
            all_or_none: false,
            lock_retry: RetryPolicy::default(),
            chunk_size: MAX_RECORDS,
            concurrency: None,
            progress: None,
        }
    }
}

impl fmt::Debug for CollectionOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CollectionOptions")
            .field("all_or_none", &self.all_or_none)
            .field("lock_retry", &self.lock_retry)
            .field("chunk_size", &self.chunk_size)
            .field("concurrency", &self.concurrency)
            .field("progress", &HookDebug(&self.progress))
            .finish()
    }
}

impl CollectionOptions {
    /// With `allOrNone` set.
    pub fn all_or_none(mut self, all_or_none: bool) -> Self {
        self.all_or_none = all_or_none;
        self
    }

    /// With a progress hook.
    pub fn progress(mut self, hook: Arc<dyn Progress>) -> Self {
        self.progress = Some(hook);
        self
    }
}

/// The write a batch performs.
#[derive(Debug, Clone, Copy)]
enum Operation<'a> {
    Create,
    Update,
    Upsert { object: &'a str, field: &'a str },
    Delete,
}

/// One input record: its object and its body (for a delete, its id as a string).
#[derive(Debug)]
struct Item {
    object: String,
    body: Json,
}

/// A Collections write body. The records are [`Json`] trees, not
/// `serde_json::Value`s, so their numbers (exact decimals) keep their text.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WriteBody<'a> {
    all_or_none: bool,
    records: Vec<&'a Json>,
}

/// `{"id", "success", "errors", "created"}` per record.
#[derive(Debug, Deserialize)]
struct SaveResult {
    id: Option<String>,
    success: bool,
    #[serde(default)]
    errors: Vec<RecordError>,
    #[serde(default)]
    created: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct RecordError {
    #[serde(rename = "statusCode", alias = "errorCode")]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    fields: Option<Vec<String>>,
}

impl From<RecordError> for ApiErrorDetail {
    fn from(e: RecordError) -> Self {
        ApiErrorDetail {
            code: ErrorCode::parse(&e.code),
            message: e.message,
            fields: e.fields.unwrap_or_default(),
        }
    }
}

/// The code of the records Salesforce rolled back under `allOrNone`.
const ROLLED_BACK: &str = "ALL_OR_NONE_OPERATION_ROLLED_BACK";

fn is_lock(errors: &[ApiErrorDetail]) -> bool {
    !errors.is_empty() && errors.iter().all(|e| e.code == ErrorCode::UnableToLockRow)
}

fn is_rolled_back(errors: &[ApiErrorDetail]) -> bool {
    errors
        .iter()
        .all(|e| e.code.as_str() == ROLLED_BACK || e.code.as_str() == "PROCESSING_HALTED")
}

/// What to do with the records of one response.
#[derive(Debug, PartialEq, Eq)]
struct Sorted {
    /// Positions (in the request) whose outcome is final.
    settled: Vec<usize>,
    /// Positions to send again.
    retry: Vec<usize>,
}

/// Which records of a response to send again: without `allOrNone`, the ones that
/// failed only because a row was locked; with it, all of them when every failure
/// is a lock or a roll-back caused by one (nothing was saved), else none.
fn sort_outcomes(
    errors: &[Option<Vec<ApiErrorDetail>>],
    all_or_none: bool,
    may_retry: bool,
) -> Sorted {
    let positions = 0..errors.len();
    if !may_retry {
        return Sorted {
            settled: positions.collect(),
            retry: Vec::new(),
        };
    }
    if all_or_none {
        let failures: Vec<&Vec<ApiErrorDetail>> = errors.iter().flatten().collect();
        let any_lock = failures.iter().any(|e| is_lock(e));
        let retryable = any_lock
            && failures.len() == errors.len()
            && failures.iter().all(|e| is_lock(e) || is_rolled_back(e));
        return if retryable {
            Sorted {
                settled: Vec::new(),
                retry: positions.collect(),
            }
        } else {
            Sorted {
                settled: positions.collect(),
                retry: Vec::new(),
            }
        };
    }
    let (retry, settled) = positions.partition(|&i| errors[i].as_deref().is_some_and(is_lock));
    Sorted { settled, retry }
}

impl Client {
    /// Creates records through sObject Collections, 200 per call, with default
    /// [`CollectionOptions`]. One result per record, in input order.
    pub async fn create_many<N: CreateRecord>(
        &self,
        records: &[N],
    ) -> Result<WriteReport<Id<N::Object>>> {
        self.create_many_with(records, &CollectionOptions::default())
            .await
    }

    /// [`Client::create_many`] with options.
    pub async fn create_many_with<N: CreateRecord>(
        &self,
        records: &[N],
        options: &CollectionOptions,
    ) -> Result<WriteReport<Id<N::Object>>> {
        let object = <N::Object as SObject>::API_NAME;
        let items = records
            .iter()
            .map(|r| item(object, r, None))
            .collect::<Result<Vec<_>>>()?;
        Ok(self
            .run_collections(Operation::Create, items, options)
            .await
            .try_map_ids(|id| Ok(id.typed()?)))
    }

    /// Creates records of several objects from JSON, `(object, body)` each, in
    /// requests of at most 200 records and at most 10 runs of one object.
    pub async fn create_many_values(
        &self,
        records: &[(&str, Value)],
        options: &CollectionOptions,
    ) -> Result<WriteReport<RecordId>> {
        let items = records
            .iter()
            .map(|(o, body)| item(api_name(o)?, body, None))
            .collect::<Result<Vec<_>>>()?;
        Ok(self
            .run_collections(Operation::Create, items, options)
            .await)
    }

    /// Updates records through sObject Collections, 200 per call: `(id, changes)`
    /// pairs. Default [`CollectionOptions`].
    pub async fn update_many<U: UpdateRecord>(
        &self,
        updates: &[(Id<U::Object>, U)],
    ) -> Result<WriteReport<Id<U::Object>>> {
        self.update_many_with(updates, &CollectionOptions::default())
            .await
    }

    /// [`Client::update_many`] with options.
    pub async fn update_many_with<U: UpdateRecord>(
        &self,
        updates: &[(Id<U::Object>, U)],
        options: &CollectionOptions,
    ) -> Result<WriteReport<Id<U::Object>>> {
        let object = <U::Object as SObject>::API_NAME;
        let items = updates
            .iter()
            .map(|(id, u)| item(object, u, Some(id.as_str())))
            .collect::<Result<Vec<_>>>()?;
        Ok(self
            .run_collections(Operation::Update, items, options)
            .await
            .try_map_ids(|id| Ok(id.typed()?)))
    }

    /// Creates or updates records by the external-id field `field`, 200 per call.
    /// Each record must carry its value of `field`. Default [`CollectionOptions`].
    pub async fn upsert_many<N: CreateRecord>(
        &self,
        field: &str,
        records: &[N],
    ) -> Result<WriteReport<Id<N::Object>>> {
        self.upsert_many_with(field, records, &CollectionOptions::default())
            .await
    }

    /// [`Client::upsert_many`] with options.
    pub async fn upsert_many_with<N: CreateRecord>(
        &self,
        field: &str,
        records: &[N],
        options: &CollectionOptions,
    ) -> Result<WriteReport<Id<N::Object>>> {
        let object = <N::Object as SObject>::API_NAME;
        let field = api_name(field)?;
        let items = records
            .iter()
            .map(|r| item(object, r, None))
            .collect::<Result<Vec<_>>>()?;
        let report = self
            .run_collections(Operation::Upsert { object, field }, items, options)
            .await;
        Ok(report.try_map_ids(|id| Ok(id.typed()?)))
    }

    /// Deletes records through sObject Collections, 200 per call. Default
    /// [`CollectionOptions`].
    pub async fn delete_many<T: SObject>(&self, ids: &[Id<T>]) -> Result<WriteReport<Id<T>>> {
        self.delete_many_with(ids, &CollectionOptions::default())
            .await
    }

    /// [`Client::delete_many`] with options.
    pub async fn delete_many_with<T: SObject>(
        &self,
        ids: &[Id<T>],
        options: &CollectionOptions,
    ) -> Result<WriteReport<Id<T>>> {
        let items = ids.iter().map(|id| Item {
            object: T::API_NAME.to_owned(),
            body: Json::String(id.as_str().to_owned()),
        });
        let report = self
            .run_collections(Operation::Delete, items.collect(), options)
            .await;
        Ok(report.try_map_ids(|id| Ok(id.typed()?)))
    }

    /// Requests in flight at once for `options`: its own figure, else the
    /// client's in-flight cap.
    fn collection_concurrency(&self, options: &CollectionOptions) -> usize {
        options
            .concurrency
            .or(self.limits().max_in_flight)
            .unwrap_or(Limits::DEFAULT_MAX_IN_FLIGHT)
            .max(1)
    }

    /// Sends `items` in planned chunks and gathers one result per item.
    async fn run_collections(
        &self,
        op: Operation<'_>,
        items: Vec<Item>,
        options: &CollectionOptions,
    ) -> WriteReport<RecordId> {
        let objects: Vec<&str> = items.iter().map(|i| i.object.as_str()).collect();
        let ranges = chunk::plan(&objects, options.chunk_size);
        let tracker = Tracker::new(options.progress.clone(), items.len() as u64);
        let stop = AtomicBool::new(false);
        let items = &items;
        let outcomes: Vec<Vec<(usize, RecordResult<RecordId>)>> = stream::iter(ranges)
            .map(|range| {
                let (tracker, stop) = (&tracker, &stop);
                async move {
                    let len = range.len() as u64;
                    let out = if stop.load(Ordering::Relaxed) {
                        range.map(|i| (i, Err(RecordFailure::NotSent))).collect()
                    } else {
                        self.run_chunk(op, items, range.collect(), options, stop)
                            .await
                    };
                    tracker.advance(len);
                    out
                }
            })
            .buffered(self.collection_concurrency(options))
            .collect()
            .await;
        let mut results: Vec<Option<RecordResult<RecordId>>> =
            (0..items.len()).map(|_| None).collect();
        for (i, result) in outcomes.into_iter().flatten() {
            results[i] = Some(result);
        }
        let results = results
            .into_iter()
            .map(|r| r.unwrap_or(Err(RecordFailure::NotSent)))
            .collect();
        WriteReport::new(results, WritePath::Collections)
    }

    /// Sends one chunk, then resends its locked records within the retry budget.
    async fn run_chunk(
        &self,
        op: Operation<'_>,
        items: &[Item],
        mut pending: Vec<usize>,
        options: &CollectionOptions,
        stop: &AtomicBool,
    ) -> Vec<(usize, RecordResult<RecordId>)> {
        let policy = options.lock_retry;
        let started = Instant::now();
        let mut out = Vec::with_capacity(pending.len());
        let mut attempt = 1u32;
        while !pending.is_empty() {
            let delay = policy.delay(attempt).min(policy.max_delay);
            let may_retry =
                attempt < policy.max_attempts && started.elapsed() + delay <= policy.max_elapsed;
            let batch: Vec<&Item> = pending.iter().map(|&i| &items[i]).collect();
            let (retry, settled) = match self.send_chunk(op, &batch, options.all_or_none).await {
                Err(e) if may_retry && e.api_code() == Some(&ErrorCode::UnableToLockRow) => {
                    (pending.clone(), Vec::new())
                }
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    let e = Arc::new(e);
                    let failed = pending
                        .iter()
                        .map(|&i| (i, Err(RecordFailure::Request(e.clone()))));
                    out.extend(failed);
                    return out;
                }
                Ok(results) => {
                    let errors: Vec<Option<Vec<ApiErrorDetail>>> =
                        results.iter().map(|r| r.as_ref().err().cloned()).collect();
                    let sorted = sort_outcomes(&errors, options.all_or_none, may_retry);
                    let mut results: Vec<Option<Result<Written<RecordId>, Vec<ApiErrorDetail>>>> =
                        results.into_iter().map(Some).collect();
                    let settled: Vec<(usize, RecordResult<RecordId>)> = sorted
                        .settled
                        .iter()
                        .filter_map(|&p| {
                            Some((
                                pending[p],
                                results[p].take()?.map_err(RecordFailure::Rejected),
                            ))
                        })
                        .collect();
                    (sorted.retry.iter().map(|&p| pending[p]).collect(), settled)
                }
            };
            out.extend(settled);
            pending = retry;
            if !pending.is_empty() {
                tracing::warn!(
                    records = pending.len(),
                    attempt,
                    "UNABLE_TO_LOCK_ROW: sending the locked records again"
                );
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
        }
        out
    }

    /// One sObject Collections request; per-record outcomes in request order.
    async fn send_chunk(
        &self,
        op: Operation<'_>,
        batch: &[&Item],
        all_or_none: bool,
    ) -> Result<Vec<Result<Written<RecordId>, Vec<ApiErrorDetail>>>> {
        let body = WriteBody {
            all_or_none,
            records: batch.iter().map(|i| &i.body).collect(),
        };
        let request = match op {
            Operation::Create => Request::post("composite/sobjects").json(&body)?,
            Operation::Update => Request::patch("composite/sobjects")
                .json(&body)?
                .idempotent(true),
            Operation::Upsert { object, field } => {
                Request::patch(format!("composite/sobjects/{object}/{field}"))
                    .json(&body)?
                    .idempotent(true)
            }
            Operation::Delete => {
                let ids: Vec<&str> = batch
                    .iter()
                    .filter_map(|i| match &i.body {
                        Json::String(id) => Some(id.as_str()),
                        _ => None,
                    })
                    .collect();
                Request::delete("composite/sobjects")
                    .query("ids", ids.join(","))
                    .query("allOrNone", all_or_none.to_string())
            }
        };
        let response = self.send(request).await?;
        let results: Vec<SaveResult> = response.json()?;
        if results.len() != batch.len() {
            return Err(Error::Decode {
                path: String::new(),
                message: format!("{} results for {} records", results.len(), batch.len()),
                excerpt: None,
            });
        }
        let created_by_default = matches!(op, Operation::Create);
        results
            .into_iter()
            .map(|r| match (r.success, r.id) {
                (true, Some(id)) => Ok(Ok(Written {
                    id: RecordId::parse(&id)?,
                    created: r.created.unwrap_or(created_by_default),
                })),
                (true, None) => Err(Error::Decode {
                    path: "id".into(),
                    message: "a record succeeded without an id".into(),
                    excerpt: None,
                }),
                (false, _) => Ok(Err(r
                    .errors
                    .into_iter()
                    .map(ApiErrorDetail::from)
                    .collect())),
            })
            .collect()
    }
}

/// A record body for sObject Collections: its JSON with `attributes.type`, and
/// `id` for an update. Numbers keep the text the record wrote.
fn item<R: serde::Serialize + ?Sized>(object: &str, record: &R, id: Option<&str>) -> Result<Item> {
    let mut body = exact_json::object_of(record)
        .map_err(|e| Error::Encode(format!("a {object} record: {e}")))?;
    exact_json::remove(&mut body, "attributes");
    let mut with_attributes: Object = Vec::with_capacity(body.len() + 2);
    with_attributes.push((
        "attributes".into(),
        Json::Object(vec![("type".into(), Json::String(object.to_owned()))]),
    ));
    if let Some(id) = id {
        exact_json::remove(&mut body, "id");
        with_attributes.push(("id".into(), Json::String(id.to_owned())));
    }
    with_attributes.extend(body);
    Ok(Item {
        object: object.to_owned(),
        body: Json::Object(with_attributes),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn err(code: &str) -> Option<Vec<ApiErrorDetail>> {
        Some(vec![ApiErrorDetail {
            code: ErrorCode::parse(code),
            message: String::new(),
            fields: Vec::new(),
        }])
    }

    #[test]
    fn only_locked_records_are_resent() {
        let errors = [
            None,
            err("UNABLE_TO_LOCK_ROW"),
            err("REQUIRED_FIELD_MISSING"),
            err("UNABLE_TO_LOCK_ROW"),
        ];
        assert_eq!(
            sort_outcomes(&errors, false, true),
            Sorted {
                settled: vec![0, 2],
                retry: vec![1, 3]
            }
        );
        assert_eq!(
            sort_outcomes(&errors, false, false),
            Sorted {
                settled: vec![0, 1, 2, 3],
                retry: vec![]
            }
        );
    }

    #[test]
    fn all_or_none_resends_the_request_only_when_a_lock_rolled_it_back() {
        let locked = [
            err(ROLLED_BACK),
            err("UNABLE_TO_LOCK_ROW"),
            err(ROLLED_BACK),
        ];
        assert_eq!(
            sort_outcomes(&locked, true, true),
            Sorted {
                settled: vec![],
                retry: vec![0, 1, 2]
            }
        );
        let invalid = [
            err(ROLLED_BACK),
            err("UNABLE_TO_LOCK_ROW"),
            err("STRING_TOO_LONG"),
        ];
        assert_eq!(
            sort_outcomes(&invalid, true, true),
            Sorted {
                settled: vec![0, 1, 2],
                retry: vec![]
            }
        );
        let fine = [None, None];
        assert_eq!(
            sort_outcomes(&fine, true, true),
            Sorted {
                settled: vec![0, 1],
                retry: vec![]
            }
        );
    }

    #[test]
    fn bodies_carry_attributes_and_id() {
        let body = item(
            "Account",
            &json!({"Name": "Acme", "attributes": {"type": "X"}}),
            Some("001000000000001AAA"),
        )
        .expect("an object");
        assert_eq!(
            serde_json::to_string(&body.body).expect("writes"),
            r#"{"attributes":{"type":"Account"},"id":"001000000000001AAA","Name":"Acme"}"#
        );
        assert!(item("Account", &json!([1]), None).is_err());
    }

    #[test]
    fn bodies_keep_exact_decimals() {
        #[derive(serde::Serialize)]
        struct Opp {
            #[serde(rename = "Amount", with = "crate::number::exact")]
            amount: rust_decimal::Decimal,
        }
        let amount = "9999999999999999.99".parse().expect("decimal");
        let body = item("Opportunity", &Opp { amount }, None).expect("an object");
        let chunk = [&body];
        let json = serde_json::to_string(&WriteBody {
            all_or_none: true,
            records: chunk.iter().map(|i| &i.body).collect(),
        })
        .expect("writes");
        assert_eq!(
            json,
            r#"{"allOrNone":true,"records":[{"attributes":{"type":"Opportunity"},"Amount":9999999999999999.99}]}"#
        );
    }
}
