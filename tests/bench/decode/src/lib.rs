//! Figure 5 of `sfgen-bench`: how fast a query page decodes into the generated
//! `Account`, against `serde_json::Value` and `serde::de::IgnoredAny` (the JSON
//! parser alone, the floor no decoder can beat), on the path users take: the
//! runtime's [`Response::json`] into a [`QueryPage`], as `Client::query` does.
//!
//! This crate does not depend on the fake org, whose `serde_json` has the
//! `preserve_order` feature: built on its own (`cargo build -p
//! sfgen-bench-decode`), its `Value` maps are the `BTreeMap`s a user's program
//! gets by default. [`preserve_order_active`] tells which build is running.

use std::time::{Duration, Instant};

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sfgen_generated::Account;
use sfgen_runtime::header::HeaderMap;
use sfgen_runtime::{QueryPage, Response};

/// What [`measure`] found: the best time of each decoder over the rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecodeFigures {
    /// Size of the page in bytes.
    pub bytes: usize,
    /// Records in the page.
    pub records: usize,
    /// Rounds run (each decoder once per round, interleaved).
    pub rounds: usize,
    /// Best time to decode the page into the generated `Account`, in seconds.
    pub typed_secs: f64,
    /// Best time to decode it into `serde_json::Value`.
    pub value_secs: f64,
    /// Best time to parse it into `IgnoredAny`.
    pub ignored_secs: f64,
    /// Whether `serde_json`'s `preserve_order` feature was on in this build.
    pub preserve_order: bool,
}

impl DecodeFigures {
    /// Typed throughput over `Value` throughput (goal >= 1.0).
    pub fn typed_vs_value(&self) -> f64 {
        self.value_secs / self.typed_secs
    }

    /// Typed throughput over the parse floor (at most about 1.0).
    pub fn typed_vs_ignored(&self) -> f64 {
        self.ignored_secs / self.typed_secs
    }

    /// Megabytes per second for a time.
    pub fn mb_per_sec(&self, secs: f64) -> f64 {
        self.bytes as f64 / 1e6 / secs
    }
}

/// Whether this build's `serde_json` keeps object keys in insertion order
/// (the `preserve_order` feature, turned on by any crate in the build).
pub fn preserve_order_active() -> bool {
    let mut map = serde_json::Map::new();
    map.insert("b".to_owned(), Value::Null);
    map.insert("a".to_owned(), Value::Null);
    map.keys().next().is_some_and(|k| k == "b")
}

/// Decodes `body` as the client decodes a query page, and returns the record
/// count and the time taken.
fn timed<T: DeserializeOwned>(body: &Response) -> Result<(usize, Duration), sfgen_runtime::Error> {
    let started = Instant::now();
    let page: QueryPage<T> = body.json()?;
    let elapsed = started.elapsed();
    let count = page.records.len();
    drop(std::hint::black_box(page));
    Ok((count, elapsed))
}

/// Decodes one query page `rounds` times with each decoder, interleaved so a
/// busy machine slows them alike, and keeps each decoder's best time.
pub fn measure(body: &[u8], rounds: usize) -> Result<DecodeFigures, sfgen_runtime::Error> {
    let rounds = rounds.max(1);
    let bytes = body.len();
    let body = Response::new(200, HeaderMap::new(), body.to_vec());
    let mut best = [Duration::MAX; 3];
    let mut records = 0;
    for _ in 0..rounds {
        let runs = [
            timed::<Account>(&body)?,
            timed::<Value>(&body)?,
            timed::<IgnoredAny>(&body)?,
        ];
        for (slot, (count, elapsed)) in best.iter_mut().zip(runs) {
            *slot = (*slot).min(elapsed);
            records = count;
        }
    }
    Ok(DecodeFigures {
        bytes,
        records,
        rounds,
        typed_secs: best[0].as_secs_f64(),
        value_secs: best[1].as_secs_f64(),
        ignored_secs: best[2].as_secs_f64(),
        preserve_order: preserve_order_active(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_records_of_a_page() {
        let body = br#"{"totalSize":2,"done":true,"records":[{"a":1},{"b":[true,null]}]}"#;
        let body = Response::new(200, HeaderMap::new(), body.to_vec());
        let page: QueryPage<Value> = body.json().expect("a page");
        assert_eq!(page.records.len(), 2);
        let (count, _) = timed::<IgnoredAny>(&body).expect("parses");
        assert_eq!(count, 2);
    }

    #[test]
    fn a_page_that_does_not_decode_is_an_error() {
        assert!(
            measure(br#"{"totalSize":1,"done":true,"records": [{"Id": 5}]}"#, 1).is_err(),
            "not an Account: a number id, no Name"
        );
    }
}
