//! The REST API routes and how they are assembled.

pub(crate) mod body;
pub(crate) mod collections;
pub(crate) mod composite;
pub(crate) mod meta;
pub(crate) mod query;
pub(crate) mod sobjects;

use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::auth::{self, data_guard, version_guard};
use crate::middleware::observe;
use crate::sferror::{ApiError, SfError};
use crate::state::AppState;

/// The prefix of every data route.
pub(crate) const DATA: &str = "/services/data/{version}";

fn data(path: &str) -> String {
    format!("{DATA}{path}")
}

/// Every route under `/services/data/vXX.X`, in the canonical form
/// [`crate::edge`] rewrites requests to (no trailing slash, canonical object
/// names), without guards: the org wraps them
/// in [`data_guard`], composite subrequests in [`version_guard`] only.
///
/// Handlers read the caller from `Extension<Caller>`, the version from
/// `Extension<ApiVersion>` and, inside a composite request with `allOrNone`,
/// the journal from `Option<Extension<Journal>>`.
pub(crate) fn data_routes() -> Router<AppState> {
    Router::new()
        .route(DATA, get(meta::resources))
        .route(&data("/limits"), get(meta::limits))
        .route(&data("/limits/recordCount"), get(meta::record_count))
        .route(&data("/sobjects"), get(meta::global_describe))
        .route(
            &data("/sobjects/{object}"),
            get(meta::basic_info).post(sobjects::create),
        )
        .route(&data("/sobjects/{object}/describe"), get(meta::describe))
        .route(
            &data("/sobjects/{object}/{id}"),
            get(sobjects::retrieve)
                .post(sobjects::create_through_id)
                .patch(sobjects::update)
                .delete(sobjects::delete),
        )
        .route(
            &data("/sobjects/{object}/{field}/{value}"),
            get(sobjects::retrieve_by_external_id)
                .patch(sobjects::upsert)
                .delete(sobjects::delete_by_external_id),
        )
        .route(&data("/query"), get(query::query))
        .route(&data("/queryAll"), get(query::query_all))
        .route(&data("/query/{locator}"), get(query::next_page))
        .route(&data("/queryAll/{locator}"), get(query::next_page))
        .route(&data("/composite"), post(composite::composite))
        .route(&data("/composite/batch"), post(composite::batch))
        .route(
            &data("/composite/sobjects"),
            post(collections::create)
                .patch(collections::update)
                .delete(collections::delete),
        )
        .route(
            &data("/composite/sobjects/{object}"),
            post(collections::retrieve).get(collections::retrieve_get),
        )
        .route(
            &data("/composite/sobjects/{object}/{field}"),
            axum::routing::patch(collections::upsert),
        )
        // Bulk API 2.0 (`/jobs/ingest`, `/jobs/query`, in `src/bulk/`): its paths
        // start with `DATA`, so it gets the session check, the API-usage count and
        // the request log like every data route, and reaches the records through
        // `State<AppState>` → `state.store`.
        .merge(crate::bulk::routes())
}

/// `404 NOT_FOUND` for any path the org does not serve.
async fn not_found() -> Response {
    ApiError::one(SfError::not_found()).into_response()
}

/// The whole application: versions list, data routes (guarded), OAuth, fallback,
/// all under the request log, fault injection and `Sforce-Limit-Info`.
pub(crate) fn router(state: AppState) -> Router {
    let guarded =
        data_routes().route_layer(middleware::from_fn_with_state(state.clone(), data_guard));
    Router::new()
        .route("/services/data", get(meta::versions))
        .merge(guarded)
        .merge(auth::routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// The data routes as composite subrequests see them (version check only).
pub(crate) fn subrequest_router(state: AppState) -> Router {
    data_routes()
        .route_layer(middleware::from_fn_with_state(state.clone(), version_guard))
        .fallback(not_found)
        .with_state(state)
}
