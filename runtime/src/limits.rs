//! API usage figures and client-side limits: a request rate and a cap on requests in flight.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

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
/// The defaults follow the limits Salesforce itself enforces, not a fixed
/// request rate:
///
/// - **no per-second or per-minute cap**: Salesforce counts API calls per org
///   per rolling 24 hours, not per minute, so a fixed rate only makes writes
///   slower (`Limits::fixed_rate_gateway` keeps one as an opt-in);
/// - **at most 25 requests in flight** ([`Limits::DEFAULT_MAX_IN_FLIGHT`]): an
///   org allows 25 concurrent long-running calls across all its integrations;
/// - **pacing by the daily allocation**, read from the `Sforce-Limit-Info:
///   api-usage=N/M` header of every response: past
///   [`slow_down_at_percent`](Limits::slow_down_at_percent) (default 80%) of
///   the allocation each request waits a little longer (up to 1 s each at the
///   stop share), and past [`stop_at_percent`](Limits::stop_at_percent)
///   (default 90%) requests stop with [`Error::ApiBudgetSpent`](crate::Error::ApiBudgetSpent),
///   leaving the rest of the day's calls to the org's other integrations.
///
/// Concurrency errors (`REQUEST_LIMIT_EXCEEDED` for concurrent requests,
/// `UNABLE_TO_LOCK_ROW`, 503) are retried with backoff by the
/// [`RetryPolicy`](crate::RetryPolicy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most requests started per second (`None`, the default: no per-second limit).
    pub per_second: Option<NonZeroU32>,
    /// Most requests started per minute (`None`, the default: no per-minute limit).
    pub per_minute: Option<NonZeroU32>,
    /// Most requests in flight at once (`None`: no cap; default 25).
    pub max_in_flight: Option<usize>,
    /// Share of the org's daily API allocation (percent) past which each request
    /// is delayed, more the closer usage is to the stop share (`None`: never; default 80).
    pub slow_down_at_percent: Option<u8>,
    /// Share of the org's daily API allocation (percent) past which requests
    /// are refused with [`Error::ApiBudgetSpent`](crate::Error::ApiBudgetSpent)
    /// before they are sent (`None`: never; default 90).
    pub stop_at_percent: Option<u8>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_second: None,
            per_minute: None,
            max_in_flight: Some(Self::DEFAULT_MAX_IN_FLIGHT),
            slow_down_at_percent: Some(80),
            stop_at_percent: Some(90),
        }
    }
}

impl Limits {
    /// The default cap on requests in flight: Salesforce's org-wide limit on
    /// concurrent long-running requests.
    pub const DEFAULT_MAX_IN_FLIGHT: usize = 25;

    /// No client-side limits at all (for tests, benchmarks, and callers that pace
    /// themselves): no rate, no in-flight cap, no daily-allocation pacing.
    pub fn unlimited() -> Self {
        Limits {
            per_second: None,
            per_minute: None,
            max_in_flight: None,
            slow_down_at_percent: None,
            stop_at_percent: None,
        }
    }

    /// The fixed rates a unified CRM gateway documents for Salesforce (25
    /// requests per second, 100 per minute, 10 in flight), on top of the
    /// default daily-allocation pacing: for a service that sits behind such a
    /// gateway, or shares an org with integrations that expect it.
    pub fn fixed_rate_gateway() -> Self {
        Limits {
            per_second: NonZeroU32::new(25),
            per_minute: NonZeroU32::new(100),
            max_in_flight: Some(10),
            ..Limits::default()
        }
    }

    /// These limits without the request-rate limits, keeping the rest.
    pub fn without_rate_limit(self) -> Self {
        Limits {
            per_second: None,
            per_minute: None,
            ..self
        }
    }

    /// What the daily allocation says about the next request, given the last
    /// usage seen.
    pub(crate) fn budget(&self, usage: Option<ApiUsage>) -> Budget {
        let Some(usage) = usage.filter(|u| u.max > 0) else {
            return Budget::Go;
        };
        // In parts per million of the allocation, to pace smoothly between the shares.
        const WHOLE: u128 = 1_000_000;
        let used = u128::from(usage.used) * WHOLE / u128::from(usage.max);
        let share = |percent: u8| u128::from(percent) * (WHOLE / 100);
        let stop = self.stop_at_percent.map(share);
        if let Some(percent) = self.stop_at_percent.filter(|p| used >= share(*p)) {
            return Budget::Stop {
                usage,
                share_percent: percent,
            };
        }
        let Some(slow) = self.slow_down_at_percent.map(share) else {
            return Budget::Go;
        };
        if used < slow {
            return Budget::Go;
        }
        let end = stop.unwrap_or(WHOLE).max(slow + 1);
        let millis = ((used - slow) * 1000 / (end - slow)).min(1000) as u64;
        Budget::Wait(Duration::from_millis(millis))
    }
}

/// What the daily allocation allows for the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Budget {
    /// Send it now.
    Go,
    /// Send it after this pause.
    Wait(Duration),
    /// Do not send it: usage is past the stop share.
    Stop {
        /// The usage last seen.
        usage: ApiUsage,
        /// The share it passed.
        share_percent: u8,
    },
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
                defaults.per_second,
                defaults.per_minute,
                defaults.max_in_flight
            ),
            (None, None, Some(25)),
            "no fixed rate by default; Salesforce's 25 concurrent requests"
        );
        let gateway = Limits::fixed_rate_gateway();
        assert_eq!(
            (
                gateway.per_second.map(NonZeroU32::get),
                gateway.per_minute.map(NonZeroU32::get),
                gateway.max_in_flight
            ),
            (Some(25), Some(100), Some(10))
        );
    }

    #[test]
    fn the_daily_allocation_paces_then_stops() {
        let limits = Limits::default();
        let at = |used| limits.budget(Some(ApiUsage { used, max: 15_000 }));
        assert_eq!(limits.budget(None), Budget::Go, "no figures yet");
        assert_eq!(at(0), Budget::Go);
        assert_eq!(at(11_999), Budget::Go, "under 80%");
        assert_eq!(at(12_000), Budget::Wait(Duration::ZERO), "at 80%");
        assert_eq!(
            at(12_750),
            Budget::Wait(Duration::from_millis(500)),
            "85%: half way"
        );
        assert_eq!(at(13_499), Budget::Wait(Duration::from_millis(999)));
        assert_eq!(
            at(13_500),
            Budget::Stop {
                usage: ApiUsage {
                    used: 13_500,
                    max: 15_000
                },
                share_percent: 90
            },
            "90%: stop"
        );
        assert!(
            matches!(at(20_000), Budget::Stop { .. }),
            "over the allocation"
        );
        assert_eq!(
            Limits::unlimited().budget(Some(ApiUsage {
                used: 15_000,
                max: 15_000
            })),
            Budget::Go
        );
        let zero = ApiUsage { used: 5, max: 0 };
        assert_eq!(
            limits.budget(Some(zero)),
            Budget::Go,
            "a nonsense header is ignored"
        );
        let no_stop = Limits {
            stop_at_percent: None,
            ..limits
        };
        assert_eq!(
            no_stop.budget(Some(ApiUsage {
                used: 15_000,
                max: 15_000
            })),
            Budget::Wait(Duration::from_millis(1000)),
            "without a stop share, pacing tops out at 1 s"
        );
    }
}
