//! Retries: which failures are worth repeating, and how long to wait between attempts.

use std::time::Duration;

use rand::Rng;

use crate::error::ErrorCode;

/// How a connection retries requests that are safe to repeat.
///
/// Only idempotent requests are retried (`GET`, `DELETE`, `PATCH` by id, upsert
/// by external id); a create is never repeated, since Salesforce may have
/// committed it before the failure. Retries stop at `max_attempts` attempts in
/// all, or when the next wait would end after `max_elapsed` from the first attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (1 = never retry).
    pub max_attempts: u32,
    /// The wait before the first retry; each later wait doubles, with jitter.
    pub base_delay: Duration,
    /// The longest single wait.
    pub max_delay: Duration,
    /// No retry starts later than this after the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (1 for the first retry): exponential,
    /// capped at `max_delay`, with "equal jitter" (half fixed, half random) so that
    /// clients that failed together do not retry together.
    pub fn delay(&self, retry: u32) -> Duration {
        let exp = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let ceiling = self.base_delay.saturating_mul(exp).min(self.max_delay);
        let half = ceiling / 2;
        let jitter_nanos =
            rand::thread_rng().gen_range(0..=half.as_nanos().min(u128::from(u64::MAX)) as u64);
        half + Duration::from_nanos(jitter_nanos)
    }
}

/// Whether an HTTP status is a transient server-side failure.
pub(crate) fn is_transient_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// Whether a Salesforce error is transient: a lock held by another transaction, a
/// temporarily unavailable server, or a concurrency limit (as opposed to the daily
/// allocation, which only time frees).
pub(crate) fn is_transient_error(code: &ErrorCode, message: &str) -> bool {
    match code {
        ErrorCode::UnableToLockRow | ErrorCode::ServerUnavailable => true,
        ErrorCode::RequestLimitExceeded => is_concurrency_limit(message),
        _ => false,
    }
}

/// Whether a `REQUEST_LIMIT_EXCEEDED` message is about concurrent requests
/// (`ConcurrentPerOrgLongTxn Limit exceeded`) rather than the daily total
/// (`TotalRequests Limit exceeded`).
pub(crate) fn is_concurrency_limit(message: &str) -> bool {
    message.contains("Concurrent")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_bounded() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let d1 = p.delay(1);
            assert!(
                d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100),
                "{d1:?}"
            );
            let d3 = p.delay(3);
            assert!(
                d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400),
                "{d3:?}"
            );
            let d40 = p.delay(40);
            assert!(
                d40 >= Duration::from_millis(500) && d40 <= Duration::from_millis(1000),
                "{d40:?}"
            );
        }
    }

    #[test]
    fn transient_failures_are_told_from_final_ones() {
        assert!(is_transient_status(503));
        assert!(!is_transient_status(400));
        assert!(is_transient_error(
            &ErrorCode::UnableToLockRow,
            "unable to obtain exclusive access"
        ));
        assert!(is_transient_error(
            &ErrorCode::RequestLimitExceeded,
            "ConcurrentPerOrgLongTxn Limit exceeded."
        ));
        assert!(!is_transient_error(
            &ErrorCode::RequestLimitExceeded,
            "TotalRequests Limit exceeded."
        ));
        assert!(!is_transient_error(&ErrorCode::RequiredFieldMissing, ""));
    }
}
