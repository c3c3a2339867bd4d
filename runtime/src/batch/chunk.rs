//! Splitting records into sObject Collections requests.

use std::ops::Range;

/// Records per sObject Collections write request.
pub(crate) const MAX_RECORDS: usize = 200;

/// Runs of consecutive records of one object ("chunks" in Salesforce's terms)
/// per sObject Collections create request.
pub(crate) const MAX_OBJECT_RUNS: usize = 10;

/// Splits records, given by their object names in input order, into request
/// ranges of at most `max_records` records and at most [`MAX_OBJECT_RUNS`] runs
/// of one object each.
pub(crate) fn plan<S: AsRef<str>>(objects: &[S], max_records: usize) -> Vec<Range<usize>> {
    let max_records = max_records.clamp(1, MAX_RECORDS);
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut runs = 0;
    for (i, object) in objects.iter().enumerate() {
        let new_run = i == start || objects[i - 1].as_ref() != object.as_ref();
        let full = i - start == max_records || (new_run && runs == MAX_OBJECT_RUNS);
        if full {
            ranges.push(start..i);
            start = i;
            runs = 0;
        }
        if i == start || new_run {
            runs += 1;
        }
    }
    if start < objects.len() {
        ranges.push(start..objects.len());
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_object_splits_by_200() {
        let objects = vec!["Account"; 450];
        assert_eq!(plan(&objects, MAX_RECORDS), [0..200, 200..400, 400..450]);
        assert!(plan::<&str>(&[], MAX_RECORDS).is_empty());
        assert_eq!(plan(&objects[..3], 2), [0..2, 2..3]);
    }

    #[test]
    fn alternating_objects_split_at_ten_runs() {
        let objects: Vec<&str> = (0..25)
            .map(|i| if i % 2 == 0 { "Account" } else { "Contact" })
            .collect();
        assert_eq!(plan(&objects, MAX_RECORDS), [0..10, 10..20, 20..25]);
        let grouped: Vec<&str> = (0..30)
            .map(|i| if i < 15 { "Account" } else { "Contact" })
            .collect();
        assert_eq!(plan(&grouped, MAX_RECORDS), vec![0..30]);
    }
}
