//! Record operations: typed over the generated contract, and untyped over JSON.

use serde::Deserialize;
use serde_json::Value;

use super::request::{api_name, path, Request};
use super::Client;
use crate::error::{Error, ErrorCode, Result};
use crate::{CreateRecord, Id, RecordId, SObject, UpdateRecord};

/// The result of an upsert by external id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upserted<I> {
    /// The record's id.
    pub id: I,
    /// Whether the upsert created the record (`false`: it updated one).
    pub created: bool,
}

/// `{"id", "success", "errors", "created"}`, what create and upsert return.
#[derive(Deserialize)]
struct SaveResult {
    id: Option<String>,
    #[serde(default = "yes")]
    success: bool,
    #[serde(default)]
    created: Option<bool>,
}

fn yes() -> bool {
    true
}

/// Checks an external id value: `.` and `..` would be taken as path navigation.
fn external_id_value(value: &str) -> Result<&str> {
    match value {
        "" | "." | ".." => Err(Error::Config(format!(
            "`{value}` cannot be used as an external id value in a URL"
        ))),
        v => Ok(v),
    }
}

impl Client {
    /// Creates a record from its generated create form (`New<Object>`) and returns
    /// its typed id. A create is never retried.
    pub async fn create<N: CreateRecord>(&self, record: &N) -> Result<Id<N::Object>> {
        let object = <N::Object as SObject>::API_NAME;
        let id = self
            .create_raw(
                object,
                Request::post(path(&["sobjects", object])).json(record)?,
            )
            .await;
        Ok(id.map_err(|e| e.drift_for(object))?.typed()?)
    }

    /// Reads a record, selecting exactly the generated field list
    /// ([`SObject::FIELDS`]). `INVALID_FIELD` here means the org's schema has drifted
    /// ([`Error::SchemaDrift`]).
    pub async fn get<T: SObject>(&self, id: Id<T>) -> Result<T> {
        let request = Request::get(path(&["sobjects", T::API_NAME, id.as_str()]))
            .query("fields", T::FIELDS.join(","));
        self.send(request)
            .await
            .map_err(|e| e.drift_in(T::API_NAME, None, T::REGENERATE))?
            .json()
    }

    /// Applies a generated update form (`<Object>Update`) to a record.
    /// A `PATCH` by id is idempotent and may be retried.
    pub async fn update<U: UpdateRecord>(&self, id: Id<U::Object>, changes: &U) -> Result<()> {
        let object = <U::Object as SObject>::API_NAME;
        let request = Request::patch(path(&["sobjects", object, id.as_str()]))
            .json(changes)?
            .idempotent(true);
        self.send(request).await.map_err(|e| e.drift_for(object))?;
        Ok(())
    }

    /// Deletes a record.
    pub async fn delete<T: SObject>(&self, id: Id<T>) -> Result<()> {
        self.send(Request::delete(path(&[
            "sobjects",
            T::API_NAME,
            id.as_str(),
        ])))
        .await?;
        Ok(())
    }

    /// Creates or updates the record whose external-id field `field` holds
    /// `value`. The body must not contain `field` itself. Idempotent, so retried.
    /// Several matching records are an [`Error::Api`] with
    /// [`ErrorCode::MultipleChoices`].
    pub async fn upsert<N: CreateRecord>(
        &self,
        field: &str,
        value: &str,
        record: &N,
    ) -> Result<Upserted<Id<N::Object>>> {
        let object = <N::Object as SObject>::API_NAME;
        let request = Request::patch(path(&[
            "sobjects",
            object,
            api_name(field)?,
            external_id_value(value)?,
        ]))
        .json(record)?
        .idempotent(true);
        let upserted = self
            .upsert_raw(request)
            .await
            .map_err(|e| e.drift_for(object))?;
        Ok(Upserted {
            id: upserted.id.typed()?,
            created: upserted.created,
        })
    }

    /// Creates a record of any object from JSON; returns its id.
    pub async fn create_value(&self, object: &str, record: &Value) -> Result<RecordId> {
        let object = api_name(object)?;
        self.create_raw(
            object,
            Request::post(path(&["sobjects", object])).json(record)?,
        )
        .await
    }

    /// Reads a record of any object as JSON, with `fields` or else every field.
    pub async fn get_value(
        &self,
        object: &str,
        id: RecordId,
        fields: Option<&[&str]>,
    ) -> Result<Value> {
        let mut request = Request::get(path(&["sobjects", api_name(object)?, id.as_str()]));
        if let Some(fields) = fields {
            request = request.query("fields", fields.join(","));
        }
        self.send(request).await?.json()
    }

    /// Updates a record of any object from JSON (only the keys present change;
    /// `null` clears a field).
    pub async fn update_value(&self, object: &str, id: RecordId, changes: &Value) -> Result<()> {
        let request = Request::patch(path(&["sobjects", api_name(object)?, id.as_str()]))
            .json(changes)?
            .idempotent(true);
        self.send(request).await?;
        Ok(())
    }

    /// Deletes a record of any object.
    pub async fn delete_value(&self, object: &str, id: RecordId) -> Result<()> {
        self.send(Request::delete(path(&[
            "sobjects",
            api_name(object)?,
            id.as_str(),
        ])))
        .await?;
        Ok(())
    }

    /// Upserts a record of any object from JSON by an external-id field.
    pub async fn upsert_value(
        &self,
        object: &str,
        field: &str,
        value: &str,
        record: &Value,
    ) -> Result<Upserted<RecordId>> {
        let request = Request::patch(path(&[
            "sobjects",
            api_name(object)?,
            api_name(field)?,
            external_id_value(value)?,
        ]))
        .json(record)?
        .idempotent(true);
        self.upsert_raw(request).await
    }

    async fn create_raw(&self, object: &str, request: Request) -> Result<RecordId> {
        let response = self.send(request).await?;
        let result: SaveResult = response.json()?;
        if !result.success {
            return Err(Error::from_body(response.status(), response.body()));
        }
        let id = result.id.ok_or_else(|| Error::Decode {
            path: "id".into(),
            message: format!("the {object} create succeeded without returning an id"),
            excerpt: None,
        })?;
        Ok(RecordId::parse(&id)?)
    }

    async fn upsert_raw(&self, request: Request) -> Result<Upserted<RecordId>> {
        let response = self.send(request).await?;
        if response.body().is_empty() {
            return Err(Error::Api {
                status: response.status(),
                code: ErrorCode::Other("EMPTY_UPSERT_RESPONSE".into()),
                message: "the upsert returned no body, so the record id is unknown; API versions before 46.0 \
                          answer an update this way: use a newer API version"
                    .into(),
                fields: Vec::new(),
                more: Vec::new(),
            });
        }
        let result: SaveResult = response.json()?;
        if !result.success {
            return Err(Error::from_body(response.status(), response.body()));
        }
        let id = result.id.ok_or_else(|| Error::Decode {
            path: "id".into(),
            message: "the upsert succeeded without returning an id".into(),
            excerpt: None,
        })?;
        Ok(Upserted {
            id: RecordId::parse(&id)?,
            created: result.created.unwrap_or(response.status() == 201),
        })
    }
}
