//! Reading many records by id: sObject Collections retrieve, 2,000 ids per call.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::client::api_name;
use crate::error::{Error, Result};
use crate::{Client, Id, RecordId, Request, SObject};

/// Ids per sObject Collections retrieve request.
pub(crate) const MAX_IDS: usize = 2_000;

impl Client {
    /// Reads records by id, selecting the generated field list
    /// ([`SObject::FIELDS`]), 2,000 ids per call (`POST
    /// composite/sobjects/<Object>`). `result[i]` is the record of `ids[i]`, or
    /// `None` when Salesforce has no such record (deleted or never existed).
    pub async fn get_many<T: SObject>(&self, ids: &[Id<T>]) -> Result<Vec<Option<T>>> {
        let ids: Vec<&str> = ids.iter().map(Id::as_str).collect();
        self.retrieve(T::API_NAME, &ids, T::FIELDS)
            .await
            .map_err(|e| e.drift_for(T::API_NAME))
    }

    /// Reads records of any object by id as JSON, with `fields`; `None` for ids
    /// without a record.
    pub async fn get_many_values(
        &self,
        object: &str,
        ids: &[RecordId],
        fields: &[&str],
    ) -> Result<Vec<Option<Value>>> {
        let ids: Vec<&str> = ids.iter().map(RecordId::as_str).collect();
        self.retrieve(api_name(object)?, &ids, fields).await
    }

    async fn retrieve<T: DeserializeOwned>(
        &self,
        object: &str,
        ids: &[&str],
        fields: &[&str],
    ) -> Result<Vec<Option<T>>> {
        if fields.is_empty() {
            return Err(Error::Config(
                "sObject Collections retrieve needs at least one field".into(),
            ));
        }
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(MAX_IDS) {
            // A read: safe to send again after a transient failure.
            let request = Request::post(format!("composite/sobjects/{object}"))
                .json(&json!({ "ids": chunk, "fields": fields }))?
                .idempotent(true);
            let records: Vec<Option<T>> = self.send(request).await?.json()?;
            if records.len() != chunk.len() {
                return Err(Error::Decode {
                    path: String::new(),
                    message: format!("{} records for {} ids", records.len(), chunk.len()),
                    excerpt: None,
                });
            }
            out.extend(records);
        }
        Ok(out)
    }
}
