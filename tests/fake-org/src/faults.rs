//! Fault injection for reliability tests.
//!
//! A [`Fault`] is a kind (latency, `503 SERVER_UNAVAILABLE`, `UNABLE_TO_LOCK_ROW`,
//! a dropped connection, a truncated body) and a schedule (every matching request,
//! the next N, or a seeded share). Register it for a [`crate::RoutePattern`] with
//! [`crate::RunningOrg::fault`].

use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::pattern::RoutePattern;

/// What a fault does to a request.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// Waits this long, then serves the request normally.
    Latency(Duration),
    /// `503` with `[{"message": ..., "errorCode": "SERVER_UNAVAILABLE"}]`.
    ServerUnavailable,
    /// `400` with `[{"message": "unable to obtain exclusive access to this record or 1 records: <id>",
    /// "errorCode": "UNABLE_TO_LOCK_ROW", "fields": []}]`.
    UnableToLockRow,
    /// Closes the connection without answering.
    DropConnection,
    /// Serves the request, but sends only the first half of the body (with the
    /// full `Content-Length`), then closes the connection.
    TruncateBody,
}

impl FaultKind {
    /// A short name, used in the request log and counters.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Latency(_) => "latency",
            FaultKind::ServerUnavailable => "server_unavailable",
            FaultKind::UnableToLockRow => "unable_to_lock_row",
            FaultKind::DropConnection => "drop_connection",
            FaultKind::TruncateBody => "truncate_body",
        }
    }
}

/// Which matching requests a fault hits.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// Every one.
    Always,
    /// The next `n`, then the fault is removed.
    Next(u32),
    /// A share (0.0–1.0) chosen by a random generator seeded with `seed`, so a
    /// run with the same requests in the same order hits the same ones.
    Share {
        /// Probability of hitting a request.
        share: f64,
        /// Seed of the generator.
        seed: u64,
    },
}

/// A fault to inject: a kind and a schedule (by default [`Schedule::Always`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// What it does.
    pub kind: FaultKind,
    /// When it does it.
    pub schedule: Schedule,
}

impl Fault {
    fn of(kind: FaultKind) -> Fault {
        Fault {
            kind,
            schedule: Schedule::Always,
        }
    }

    /// Delays matching requests.
    pub fn latency(delay: Duration) -> Fault {
        Fault::of(FaultKind::Latency(delay))
    }

    /// Answers `503 SERVER_UNAVAILABLE`.
    pub fn server_unavailable() -> Fault {
        Fault::of(FaultKind::ServerUnavailable)
    }

    /// Answers `400 UNABLE_TO_LOCK_ROW`.
    pub fn unable_to_lock_row() -> Fault {
        Fault::of(FaultKind::UnableToLockRow)
    }

    /// Closes the connection without a response.
    pub fn drop_connection() -> Fault {
        Fault::of(FaultKind::DropConnection)
    }

    /// Sends half the body, then closes the connection.
    pub fn truncate_body() -> Fault {
        Fault::of(FaultKind::TruncateBody)
    }

    /// Hits only the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Fault {
        self.schedule = Schedule::Next(n);
        self
    }

    /// Hits a seeded share (0.0–1.0) of matching requests.
    pub fn share(mut self, share: f64, seed: u64) -> Fault {
        self.schedule = Schedule::Share {
            share: share.clamp(0.0, 1.0),
            seed,
        };
        self
    }
}

/// A handle to remove a registered fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FaultId(u64);

#[derive(Debug)]
struct Active {
    id: FaultId,
    pattern: RoutePattern,
    kind: FaultKind,
    remaining: Option<u32>,
    share: Option<(f64, StdRng)>,
}

impl Active {
    fn fires(&mut self) -> bool {
        if let Some((share, rng)) = &mut self.share {
            return rng.gen::<f64>() < *share;
        }
        match &mut self.remaining {
            Some(0) => false,
            Some(n) => {
                *n -= 1;
                true
            }
            None => true,
        }
    }
}

/// What to do to one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    /// Total delay before serving.
    pub delay: Duration,
    /// The non-latency fault to apply, if any.
    pub fault: Option<FaultKind>,
}

/// The registered faults.
#[derive(Debug, Default)]
pub struct Faults {
    active: Mutex<(u64, Vec<Active>)>,
}

impl Faults {
    /// Registers a fault.
    pub fn add(&self, pattern: RoutePattern, fault: Fault) -> FaultId {
        let mut active = self.active.lock().unwrap_or_else(|e| e.into_inner());
        active.0 += 1;
        let id = FaultId(active.0);
        let (remaining, share) = match fault.schedule {
            Schedule::Always => (None, None),
            Schedule::Next(n) => (Some(n), None),
            Schedule::Share { share, seed } => (None, Some((share, StdRng::seed_from_u64(seed)))),
        };
        active.1.push(Active {
            id,
            pattern,
            kind: fault.kind,
            remaining,
            share,
        });
        id
    }

    /// Removes one fault.
    pub fn remove(&self, id: FaultId) {
        self.active
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .retain(|a| a.id != id);
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.active
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .clear();
    }

    /// Decides what happens to a request: the delays of all firing latency
    /// faults add up; the first firing other fault applies.
    pub fn decide(&self, method: &str, path: &str) -> Decision {
        let mut active = self.active.lock().unwrap_or_else(|e| e.into_inner());
        let mut decision = Decision::default();
        for fault in active.1.iter_mut() {
            if !fault.pattern.matches(method, path) {
                continue;
            }
            let is_latency = matches!(fault.kind, FaultKind::Latency(_));
            if !is_latency && decision.fault.is_some() {
                continue;
            }
            if !fault.fires() {
                continue;
            }
            match &fault.kind {
                FaultKind::Latency(d) => decision.delay += *d,
                other => decision.fault = Some(other.clone()),
            }
        }
        active.1.retain(|a| a.remaining != Some(0));
        decision
    }
}
