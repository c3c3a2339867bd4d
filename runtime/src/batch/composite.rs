//! Composite: up to 25 dependent subrequests in one call, built over the
//! generated types, with references between them.
//!
//! ```no_run
//! # use sfgen_runtime::{Client, CreateRecord, SObject, Result};
//! # use sfgen_runtime::batch::Composite;
//! # async fn example<A: CreateRecord, C: CreateRecord>(client: &Client, account: A, contacts: Vec<C>) -> Result<()> {
//! let mut request = Composite::new().all_or_none(true);
//! let new_account = request.create(&account)?;
//! for contact in &contacts {
//!     // `AccountId` of each contact is the id the first subrequest creates.
//!     request.create_linked(contact, &[("AccountId", new_account.id())])?;
//! }
//! let response = client.composite(&request).await?;
//! let account_id = response.id(&new_account)?;
//! # let _ = account_id; Ok(()) }
//! ```

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use super::exact_json::{self, Json};
use crate::client::api_name;
use crate::error::{decode_json, Error, Result};
use crate::soql::Soql;
use crate::{Client, CreateRecord, Id, Request, SObject, UpdateRecord};

/// Subrequests per Composite request.
pub const MAX_SUBREQUESTS: usize = 25;

/// Query (and sObject Collections) subrequests per Composite request.
pub const MAX_QUERY_SUBREQUESTS: usize = 5;

/// A value that Salesforce replaces with an earlier subrequest's result,
/// `@{reference.field}`: use it as a field value or in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference(String);

impl Reference {
    /// The reference as sent, e.g. `@{r1.id}`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// A subrequest of a [`Composite`] request that concerns a `T` record: refer to
/// its result in later subrequests ([`Ref::id`]) and read it from the
/// [`CompositeResponse`].
#[derive(Debug)]
pub struct Ref<T> {
    name: String,
    object: PhantomData<fn() -> T>,
}

impl<T> Clone for Ref<T> {
    fn clone(&self) -> Self {
        Ref {
            name: self.name.clone(),
            object: PhantomData,
        }
    }
}

impl<T> Ref<T> {
    /// The subrequest's `referenceId`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The id the subrequest created or upserted: `@{name.id}`.
    pub fn id(&self) -> Reference {
        self.field("id")
    }

    /// Any value of the subrequest's response body, by path: `@{name.path}`
    /// (e.g. `records[0].Id` for a query).
    pub fn field(&self, path: &str) -> Reference {
        Reference(format!("@{{{}.{path}}}", self.name))
    }
}

/// The record a subrequest acts on: an id, or the record an earlier subrequest
/// created.
#[derive(Debug, Clone)]
pub enum Target<T> {
    /// A known record.
    Id(Id<T>),
    /// The record created (or upserted) by an earlier subrequest.
    Ref(Ref<T>),
}

impl<T> From<Id<T>> for Target<T> {
    fn from(id: Id<T>) -> Self {
        Target::Id(id)
    }
}

impl<T> From<&Ref<T>> for Target<T> {
    fn from(r: &Ref<T>) -> Self {
        Target::Ref(r.clone())
    }
}

impl<T> Target<T> {
    fn segment(&self) -> String {
        match self {
            Target::Id(id) => id.as_str().to_owned(),
            Target::Ref(r) => r.id().0,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Subrequest {
    method: &'static str,
    /// Relative to `/services/data/vXX.X/` until sent.
    url: String,
    reference_id: String,
    /// A [`Json`] tree rather than a `Value`: exact decimals keep their text.
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Json>,
}

/// A Composite request body.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CompositeBody {
    all_or_none: bool,
    collate_subrequests: bool,
    composite_request: Vec<Subrequest>,
}

/// A Composite request under construction: up to 25 subrequests, run in order,
/// each able to use the results of the ones before it.
#[derive(Debug, Clone, Default)]
pub struct Composite {
    all_or_none: bool,
    collate: bool,
    subrequests: Vec<Subrequest>,
    queries: usize,
}

impl Composite {
    /// An empty request.
    pub fn new() -> Self {
        Self::default()
    }

    /// `allOrNone`: when a subrequest fails, roll back every one (default `false`:
    /// the ones before it stay, the ones that depend on it fail).
    pub fn all_or_none(mut self, all_or_none: bool) -> Self {
        self.all_or_none = all_or_none;
        self
    }

    /// `collateSubrequests`: let Salesforce group consecutive independent
    /// subrequests (faster, same results).
    pub fn collate_subrequests(mut self, collate: bool) -> Self {
        self.collate = collate;
        self
    }

    /// How many subrequests the request holds.
    pub fn len(&self) -> usize {
        self.subrequests.len()
    }

    /// Whether the request holds no subrequest.
    pub fn is_empty(&self) -> bool {
        self.subrequests.is_empty()
    }

    /// Creates a record from its generated create form.
    pub fn create<N: CreateRecord>(&mut self, record: &N) -> Result<Ref<N::Object>> {
        self.create_linked(record, &[])
    }

    /// Creates a record whose fields `links` (field API name, reference) take
    /// values from earlier subrequests, e.g. `("AccountId", account.id())`.
    pub fn create_linked<N: CreateRecord>(
        &mut self,
        record: &N,
        links: &[(&str, Reference)],
    ) -> Result<Ref<N::Object>> {
        let object = <N::Object as SObject>::API_NAME;
        let body = linked_body(record, links)?;
        self.push("POST", format!("sobjects/{object}"), Some(body), false)
    }

    /// Applies a generated update form to a record.
    pub fn update<U: UpdateRecord>(
        &mut self,
        target: impl Into<Target<U::Object>>,
        changes: &U,
    ) -> Result<Ref<U::Object>> {
        self.update_linked(target, changes, &[])
    }

    /// [`Composite::update`] with fields taken from earlier subrequests.
    pub fn update_linked<U: UpdateRecord>(
        &mut self,
        target: impl Into<Target<U::Object>>,
        changes: &U,
        links: &[(&str, Reference)],
    ) -> Result<Ref<U::Object>> {
        let object = <U::Object as SObject>::API_NAME;
        let body = linked_body(changes, links)?;
        self.push(
            "PATCH",
            format!("sobjects/{object}/{}", target.into().segment()),
            Some(body),
            false,
        )
    }

    /// Creates or updates the record whose external-id field `field` is `value`.
    pub fn upsert<N: CreateRecord>(
        &mut self,
        field: &str,
        value: &str,
        record: &N,
    ) -> Result<Ref<N::Object>> {
        let object = <N::Object as SObject>::API_NAME;
        let value: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let body = linked_body(record, &[])?;
        self.push(
            "PATCH",
            format!("sobjects/{object}/{}/{value}", api_name(field)?),
            Some(body),
            false,
        )
    }

    /// Deletes a record.
    pub fn delete<T: SObject>(&mut self, target: impl Into<Target<T>>) -> Result<Ref<T>> {
        self.push(
            "DELETE",
            format!("sobjects/{}/{}", T::API_NAME, target.into().segment()),
            None,
            false,
        )
    }

    /// Reads a record with the generated field list; decode it with
    /// [`CompositeResponse::record`].
    pub fn get<T: SObject>(&mut self, target: impl Into<Target<T>>) -> Result<Ref<T>> {
        let url = format!(
            "sobjects/{}/{}?fields={}",
            T::API_NAME,
            target.into().segment(),
            T::FIELDS.join(",")
        );
        self.push("GET", url, None, false)
    }

    /// Runs a query (one page); decode it with [`CompositeResponse::records`].
    /// At most 5 queries per request. References may appear in the query text.
    pub fn query<T>(&mut self, soql: impl Into<Soql>) -> Result<Ref<T>> {
        let soql = soql.into();
        self.push(
            "GET",
            format!("query?q={}", encode_keeping_references(soql.as_str())),
            None,
            true,
        )
    }

    fn push<T>(
        &mut self,
        method: &'static str,
        url: String,
        body: Option<Json>,
        query: bool,
    ) -> Result<Ref<T>> {
        if self.subrequests.len() >= MAX_SUBREQUESTS {
            return Err(Error::Config(format!(
                "a Composite request holds at most {MAX_SUBREQUESTS} subrequests; send this one in another request"
            )));
        }
        if query && self.queries >= MAX_QUERY_SUBREQUESTS {
            return Err(Error::Config(format!(
                "a Composite request holds at most {MAX_QUERY_SUBREQUESTS} queries"
            )));
        }
        self.queries += usize::from(query);
        let name = format!("r{}", self.subrequests.len() + 1);
        self.subrequests.push(Subrequest {
            method,
            url,
            reference_id: name.clone(),
            body,
        });
        Ok(Ref {
            name,
            object: PhantomData,
        })
    }

    fn to_body(&self, api_version: &str) -> CompositeBody {
        let subrequests: Vec<Subrequest> = self
            .subrequests
            .iter()
            .map(|s| Subrequest {
                url: format!("/services/data/v{api_version}/{}", s.url),
                ..s.clone()
            })
            .collect();
        CompositeBody {
            all_or_none: self.all_or_none,
            collate_subrequests: self.collate,
            composite_request: subrequests,
        }
    }
}

/// URL-encodes `text` for a query string, leaving `@{reference.path}` tokens as
/// they are: Salesforce replaces them in the URL before decoding it.
fn encode_keeping_references(text: &str) -> String {
    let encode =
        |part: &str| url::form_urlencoded::byte_serialize(part.as_bytes()).collect::<String>();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("@{") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&encode(&rest[..start]));
        out.push_str(&rest[start..start + len + 1]);
        rest = &rest[start + len + 1..];
    }
    out.push_str(&encode(rest));
    out
}

/// A record body with some fields replaced by references. Numbers keep the
/// text the record wrote (exact decimals).
fn linked_body<R: Serialize + ?Sized>(record: &R, links: &[(&str, Reference)]) -> Result<Json> {
    let mut body = exact_json::object_of(record).map_err(|e| Error::Encode(e.to_string()))?;
    for (field, reference) in links {
        exact_json::insert(
            &mut body,
            api_name(field)?,
            Json::String(reference.0.clone()),
        );
    }
    Ok(Json::Object(body))
}

/// One subrequest's result.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubResponse {
    /// The subrequest's `referenceId`.
    pub reference_id: String,
    /// Its HTTP status.
    pub http_status_code: u16,
    /// Its response body (`null` for `204 No Content`).
    #[serde(default)]
    pub body: Value,
    /// Its response headers.
    #[serde(default)]
    pub http_headers: Map<String, Value>,
}

impl SubResponse {
    /// Whether the subrequest succeeded (2xx).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.http_status_code)
    }

    /// `Ok` for a success, else the subrequest's error (with `allOrNone`, the
    /// subrequests that did not fail themselves report `PROCESSING_HALTED`).
    pub fn check(&self) -> Result<&Self> {
        if self.is_success() {
            Ok(self)
        } else {
            let bytes = serde_json::to_vec(&self.body).unwrap_or_default();
            Err(Error::from_body(self.http_status_code, &bytes))
        }
    }

    fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        let bytes = serde_json::to_vec(&self.body).map_err(|e| Error::Encode(e.to_string()))?;
        decode_json(&bytes)
    }
}

/// The results of a [`Composite`] request, one per subrequest, in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompositeResponse {
    composite_response: Vec<SubResponse>,
}

#[derive(Deserialize)]
struct CreatedId {
    id: String,
}

#[derive(Deserialize)]
struct QueryBody<T> {
    records: Vec<T>,
}

impl CompositeResponse {
    /// Every subrequest's result, in order.
    pub fn results(&self) -> &[SubResponse] {
        &self.composite_response
    }

    /// Whether every subrequest succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.composite_response.iter().all(SubResponse::is_success)
    }

    /// The result of the subrequest `r`.
    pub fn result<T>(&self, r: &Ref<T>) -> Result<&SubResponse> {
        self.composite_response
            .iter()
            .find(|s| s.reference_id == r.name)
            .ok_or_else(|| Error::Decode {
                path: "compositeResponse".into(),
                message: format!("no result for subrequest `{}`", r.name),
                excerpt: None,
            })
    }

    /// The id a create or upsert subrequest returned.
    pub fn id<T: SObject>(&self, r: &Ref<T>) -> Result<Id<T>> {
        let created: CreatedId = self.result(r)?.check()?.decode()?;
        Ok(Id::parse(&created.id)?)
    }

    /// The record a [`Composite::get`] subrequest read.
    pub fn record<T: SObject>(&self, r: &Ref<T>) -> Result<T> {
        self.result(r)?.check()?.decode()
    }

    /// The records a [`Composite::query`] subrequest returned (its first page).
    pub fn records<T: DeserializeOwned>(&self, r: &Ref<T>) -> Result<Vec<T>> {
        let page: QueryBody<T> = self.result(r)?.check()?.decode()?;
        Ok(page.records)
    }
}

impl Client {
    /// Sends a Composite request: one API call for all its subrequests.
    pub async fn composite(&self, request: &Composite) -> Result<CompositeResponse> {
        if request.is_empty() {
            return Err(Error::Config(
                "a Composite request needs at least one subrequest".into(),
            ));
        }
        let reads_only = request.subrequests.iter().all(|s| s.method == "GET");
        let http = Request::post("composite")
            .json(&request.to_body(self.api_version()))?
            .idempotent(reads_only);
        self.send(http).await?.json()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Thing;

    impl SObject for Thing {
        const API_NAME: &'static str = "Thing__c";
        const KEY_PREFIX: Option<&'static str> = Some("a00");
        const FIELDS: &'static [&'static str] = &["Id", "Name"];
    }

    #[derive(Serialize)]
    struct NewThing {
        #[serde(rename = "Name")]
        name: &'static str,
        #[serde(rename = "Parent__c", skip_serializing_if = "Option::is_none")]
        parent: Option<String>,
    }

    impl CreateRecord for NewThing {
        type Object = Thing;
    }

    #[test]
    fn references_link_subrequests() {
        let mut request = Composite::new().all_or_none(true);
        let parent = request
            .create(&NewThing {
                name: "p",
                parent: None,
            })
            .expect("fits");
        let child = request
            .create_linked(
                &NewThing {
                    name: "c",
                    parent: None,
                },
                &[("Parent__c", parent.id())],
            )
            .expect("fits");
        request.get::<Thing>(&child).expect("fits");
        let body = serde_json::to_value(request.to_body("66.0")).expect("a JSON body");
        assert_eq!(body["allOrNone"], true);
        let subs = body["compositeRequest"].as_array().expect("an array");
        assert_eq!(subs[0]["url"], "/services/data/v66.0/sobjects/Thing__c");
        assert_eq!(
            subs[1]["body"],
            json!({"Name": "c", "Parent__c": "@{r1.id}"})
        );
        assert_eq!(
            subs[2]["url"],
            "/services/data/v66.0/sobjects/Thing__c/@{r2.id}?fields=Id,Name"
        );
        assert_eq!(subs[2]["method"], "GET");
        assert!(subs[2].get("body").is_none());
    }

    #[test]
    fn queries_keep_their_references_unencoded() {
        assert_eq!(
            encode_keeping_references(
                "SELECT Id FROM Contact WHERE AccountId = '@{r1.id}' AND Name != 'a&b'"
            ),
            "SELECT+Id+FROM+Contact+WHERE+AccountId+%3D+%27@{r1.id}%27+AND+Name+%21%3D+%27a%26b%27"
        );
        assert_eq!(
            encode_keeping_references("x @{unclosed"),
            "x+%40%7Bunclosed"
        );
    }

    #[test]
    fn the_26th_subrequest_and_the_6th_query_are_refused() {
        let mut request = Composite::new();
        for _ in 0..MAX_SUBREQUESTS {
            request
                .create(&NewThing {
                    name: "x",
                    parent: None,
                })
                .expect("fits");
        }
        assert!(request
            .create(&NewThing {
                name: "x",
                parent: None
            })
            .is_err());
        assert_eq!(request.len(), MAX_SUBREQUESTS);
        let mut queries = Composite::new();
        for _ in 0..MAX_QUERY_SUBREQUESTS {
            queries
                .query::<Value>("SELECT Id FROM Account")
                .expect("fits");
        }
        assert!(queries.query::<Value>("SELECT Id FROM Account").is_err());
    }
}
