//! API usage figures and client-side limits: a request rate and a cap on requests in flight.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The org's daily API usage, from the `Sforce-Limit-Info: api-usage=N/M` header
/// Salesforce sends on every REST response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApiUsage {
    /// Requests counted in the rolling 24-hour window.
    pub used: u64,
    /// The org's allocation for that window.
    pub max: u64,
}

impl ApiUsage {
    /// Reads the `api-usage=N/M` item of a `Sforce-Limit-Info` value, which may list
    /// other items too (`api-usage=25/15000, per-app-api-usage=17/250(appName=x)`).
    pub fn from_header(value: &str) -> Option<Self> {
        value.split(',').find_map(|item| {
            let (used, max) = item.trim().strip_prefix("api-usage=")?.split_once('/')?;
            Some(ApiUsage {
                used: used.trim().parse().ok()?,
                max: max.trim().parse().ok()?,
            })
        })
    }

    /// Requests left in the window.
    pub fn remaining(&self) -> u64 {
        self.max.saturating_sub(self.used)
    }
}

impl fmt::Display for ApiUsage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.used, self.max)
    }
}

/// Client-side limits for one connection.
///
/// The defaults, 25 requests per second and 100 per minute, are the limits unified
/// CRM APIs document for Salesforce; at most 10 requests are in flight at once
/// because an org allows only 25 long-running calls in total, shared by every
/// integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most requests started per second (`None`: no per-second limit).
    pub per_second: Option<NonZeroU32>,
    /// Most requests started per minute (`None`: no per-minute limit).
    pub per_minute: Option<NonZeroU32>,
    /// Most requests in flight at once (`None`: no cap).
    pub max_in_flight: Option<usize>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_second: NonZeroU32::new(25),
            per_minute: NonZeroU32::new(100),
            max_in_flight: Some(10),
        }
    }
}

impl Limits {
    /// No client-side limits at all (for tests, benchmarks, and callers that pace
    /// themselves).
    pub fn unlimited() -> Self {
        Limits {
            per_second: None,
            per_minute: None,
            max_in_flight: None,
        }
    }

    /// These limits without the request-rate limits, keeping the in-flight cap.
    pub fn without_rate_limit(self) -> Self {
        Limits {
            per_second: None,
            per_minute: None,
            ..self
        }
    }
}

/// Enforces [`Limits`] for one connection.
pub(crate) struct Limiter {
    per_second: Option<DefaultDirectRateLimiter>,
    per_minute: Option<DefaultDirectRateLimiter>,
    in_flight: Option<Arc<Semaphore>>,
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter")
            .field("per_second", &self.per_second.is_some())
            .field("per_minute", &self.per_minute.is_some())
            .field(
                "in_flight_available",
                &self.in_flight.as_ref().map(|s| s.available_permits()),
            )
            .finish()
    }
}

/// Held while a request is in flight.
#[derive(Debug)]
pub(crate) struct InFlight {
    _permit: Option<OwnedSemaphorePermit>,
}

impl Limiter {
    pub(crate) fn new(limits: Limits) -> Self {
        Limiter {
            per_second: limits
                .per_second
                .map(|n| RateLimiter::direct(Quota::per_second(n))),
            per_minute: limits
                .per_minute
                .map(|n| RateLimiter::direct(Quota::per_minute(n))),
            in_flight: limits
                .max_in_flight
                .map(|n| Arc::new(Semaphore::new(n.max(1)))),
        }
    }

    /// Waits for a free in-flight slot, then for the rate limits to allow one more request.
    pub(crate) async fn acquire(&self) -> InFlight {
        let permit = match &self.in_flight {
            // The semaphore is never closed, so acquiring only fails if it were.
            Some(sem) => Arc::clone(sem).acquire_owned().await.ok(),
            None => None,
        };
        if let Some(l) = &self.per_second {
            l.until_ready().await;
        }
        if let Some(l) = &self.per_minute {
            l.until_ready().await;
        }
        InFlight { _permit: permit }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_api_usage_from_the_header() {
        assert_eq!(
            ApiUsage::from_header("api-usage=18/15000"),
            Some(ApiUsage {
                used: 18,
                max: 15000
            })
        );
        assert_eq!(
            ApiUsage::from_header(
                "api-usage=25/5000, per-app-api-usage=17/250(appName=sample-app)"
            ),
            Some(ApiUsage {
                used: 25,
                max: 5000
            })
        );
        assert_eq!(
            ApiUsage::from_header("per-app-api-usage=17/250(appName=a), api-usage=1/2"),
            Some(ApiUsage { used: 1, max: 2 })
        );
        for bad in [
            "",
            "api-usage=",
            "api-usage=5",
            "api-usage=a/b",
            "usage=1/2",
        ] {
            assert_eq!(ApiUsage::from_header(bad), None, "{bad}");
        }
        let u = ApiUsage {
            used: 14_990,
            max: 15_000,
        };
        assert_eq!(u.remaining(), 10);
        assert_eq!(u.to_string(), "14990/15000");
    }

    #[tokio::test]
    async fn the_in_flight_cap_holds() {
        use futures::FutureExt;
        let limiter = Limiter::new(Limits {
            max_in_flight: Some(2),
            ..Limits::unlimited()
        });
        let a = limiter.acquire().await;
        let _b = limiter.acquire().await;
        assert!(
            limiter.acquire().now_or_never().is_none(),
            "a third request waits while two are in flight"
        );
        drop(a);
        assert!(
            limiter.acquire().now_or_never().is_some(),
            "a slot frees when a request ends"
        );
    }

    #[tokio::test]
    async fn the_rate_limit_holds_back_the_request_over_quota() {
        use futures::FutureExt;
        // Two a minute: the third request in a row must wait ~30 s for a new cell.
        let limiter = Limiter::new(Limits {
            per_minute: NonZeroU32::new(2),
            ..Limits::unlimited()
        });
        assert!(limiter.acquire().now_or_never().is_some());
        assert!(limiter.acquire().now_or_never().is_some());
        assert!(
            limiter.acquire().now_or_never().is_none(),
            "the third request waits"
        );
        let defaults = Limits::default();
        assert_eq!(
            (
                defaults.per_second.map(NonZeroU32::get),
                defaults.per_minute.map(NonZeroU32::get),
                defaults.max_in_flight
            ),
            (Some(25), Some(100), Some(10))
        );
    }
}
