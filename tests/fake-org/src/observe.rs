//! The request log and counters tests and benchmarks read to count API calls.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::pattern::RoutePattern;

/// One request the org answered (or dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// Position in arrival order, from 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Path, without the query string, in the org's canonical form (no trailing
    /// slash, canonical object names: `/sobjects/contact/` is logged as
    /// `/sobjects/Contact`).
    pub path: String,
    /// Query string, if any.
    pub query: Option<String>,
    /// The route that served it, e.g. `GET /services/data/{version}/sobjects/{object}/{id}`
    /// (`GET <path>` when no route matched).
    pub route: String,
    /// HTTP status sent (0 when the connection was dropped).
    pub status: u16,
    /// The injected fault, if any (`latency`, `server_unavailable`, …).
    pub fault: Option<String>,
    /// When it arrived (the org's clock).
    pub at: DateTime<Utc>,
}

/// Counts since the org started (never trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Requests of every kind.
    pub requests: u64,
    /// Requests that passed the session check of a data route (counted against the allocation).
    pub api_calls: u64,
    /// Requests per route (see [`LoggedRequest::route`]).
    pub per_route: BTreeMap<String, u64>,
    /// Successful `refresh_token` grants.
    pub token_refreshes: u64,
    /// Successful token requests per `grant_type`.
    pub grants: BTreeMap<String, u64>,
    /// Injected faults per kind.
    pub faults: BTreeMap<String, u64>,
}

#[derive(Debug, Default)]
struct Inner {
    log: VecDeque<LoggedRequest>,
    counters: Counters,
    next_seq: u64,
}

/// Collects the log and counters.
#[derive(Debug)]
pub struct Observer {
    inner: Mutex<Inner>,
    capacity: usize,
}

impl Observer {
    /// An observer keeping at most `capacity` log entries.
    pub fn new(capacity: usize) -> Observer {
        Observer {
            inner: Mutex::new(Inner::default()),
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records an answered request.
    pub fn record(&self, mut entry: LoggedRequest) {
        let mut inner = self.lock();
        inner.next_seq += 1;
        entry.seq = inner.next_seq;
        inner.counters.requests += 1;
        *inner
            .counters
            .per_route
            .entry(entry.route.clone())
            .or_default() += 1;
        if let Some(fault) = &entry.fault {
            *inner.counters.faults.entry(fault.clone()).or_default() += 1;
        }
        if self.capacity > 0 {
            if inner.log.len() == self.capacity {
                inner.log.pop_front();
            }
            inner.log.push_back(entry);
        }
    }

    /// Counts a request against the allocation.
    pub fn count_api_call(&self) {
        self.lock().counters.api_calls += 1;
    }

    /// Counts a refresh.
    pub fn count_refresh(&self) {
        self.lock().counters.token_refreshes += 1;
    }

    /// Counts a successful grant.
    pub fn count_grant(&self, grant_type: &str) {
        *self
            .lock()
            .counters
            .grants
            .entry(grant_type.to_owned())
            .or_default() += 1;
    }

    /// The log, oldest first.
    pub fn log(&self) -> Vec<LoggedRequest> {
        self.lock().log.iter().cloned().collect()
    }

    /// The counters.
    pub fn counters(&self) -> Counters {
        self.lock().counters.clone()
    }

    /// Logged requests matching `pattern` (see [`RoutePattern`]).
    pub fn count_matching(&self, pattern: &RoutePattern) -> usize {
        self.lock()
            .log
            .iter()
            .filter(|e| pattern.matches(&e.method, &e.path))
            .count()
    }

    /// Empties the log and resets the counters.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.log.clear();
        inner.counters = Counters::default();
    }
}
