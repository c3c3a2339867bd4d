//! sObject Collections: per-record results in input order, allOrNone,
//! UNABLE_TO_LOCK_ROW retries, get_many, and the size-picking entry point.

use serde_json::json;
use sfgen_fake_org::Fault;
use sfgen_generated::{Contact, ContactUpdate, NewAccount, NewContact};
use sfgen_runtime::batch::{CollectionOptions, PathChoice, RecordFailure, WriteOptions, WritePath};
use sfgen_runtime::{ErrorCode, Field, Id};

use crate::common::{bulk_options, client, new_account, new_contact, org, recorder, views};

/// Every seventh record has a last name longer than the field's 80 characters.
fn people(n: usize) -> Vec<NewContact> {
    (0..n)
        .map(|i| {
            if i % 7 == 3 {
                new_contact("x".repeat(81))
            } else {
                new_contact(format!("Person {i}"))
            }
        })
        .collect()
}

#[tokio::test]
async fn mixed_results_line_up_with_their_inputs() {
    let org = org().await;
    let client = client(&org).await;
    let (hook, seen) = recorder();
    let options = CollectionOptions::default().progress(hook);
    let report = client
        .create_many_with(&people(450), &options)
        .await
        .expect("sent");

    assert_eq!(report.path, WritePath::Collections);
    assert_eq!(report.results.len(), 450);
    assert_eq!(
        org.calls("POST */composite/sobjects"),
        3,
        "⌈450 / 200⌉ requests"
    );
    for (i, result) in report.results.iter().enumerate() {
        match result {
            Ok(written) => {
                assert!(i % 7 != 3, "record {i} should have failed");
                assert!(written.created);
                let stored = org
                    .store()
                    .get("Contact", written.id.as_str(), None)
                    .expect("stored");
                assert_eq!(
                    stored.fields["LastName"],
                    format!("Person {i}"),
                    "record {i} got another record's id"
                );
            }
            Err(RecordFailure::Rejected(errors)) => {
                assert_eq!(i % 7, 3, "record {i} should have been written");
                assert_eq!(errors[0].code, ErrorCode::StringTooLong);
                assert_eq!(errors[0].fields, ["LastName"]);
            }
            Err(other) => panic!("record {i}: {other}"),
        }
    }
    let failed: Vec<usize> = report.failures().map(|(i, _)| i).collect();
    assert_eq!(failed, (0..450).filter(|i| i % 7 == 3).collect::<Vec<_>>());
    assert_eq!(org.store().count("Contact"), report.written());
    // Requests run concurrently and finish in any order: progress only grows.
    let seen = seen.lock().expect("not poisoned").clone();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "{seen:?}");
    assert_eq!(seen.last(), Some(&(450, 450)));
}

#[tokio::test]
async fn all_or_none_rolls_back_the_whole_request() {
    let org = org().await;
    let client = client(&org).await;
    let options = CollectionOptions::default().all_or_none(true);
    let report = client
        .create_many_with(&people(5), &options)
        .await
        .expect("sent");
    assert_eq!(report.written(), 0);
    assert_eq!(org.store().count("Contact"), 0);
    let codes: Vec<String> = report
        .failures()
        .map(|(_, f)| f.errors()[0].code.to_string())
        .collect();
    assert_eq!(
        codes,
        [
            "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            "STRING_TOO_LONG",
            "ALL_OR_NONE_OPERATION_ROLLED_BACK"
        ]
    );
    let fine: Vec<NewContact> = (0..3).map(|i| new_contact(format!("Fine {i}"))).collect();
    assert!(client
        .create_many_with(&fine, &options)
        .await
        .expect("sent")
        .all_written());
    assert_eq!(org.store().count("Contact"), 3);
}

#[tokio::test]
async fn locked_requests_are_resent_without_resending_saved_records() {
    let org = org().await;
    let client = client(&org).await;
    let records: Vec<NewContact> = (0..450)
        .map(|i| new_contact(format!("Locked {i}")))
        .collect();
    let first = client.create_many(&records[..200]).await.expect("sent");
    assert!(first.all_written());
    // The next request meets a locked row once: nothing of it was saved, so it is sent again.
    org.fault(
        "POST */composite/sobjects",
        Fault::unable_to_lock_row().times(1),
    );
    let report = client.create_many(&records[200..]).await.expect("sent");
    assert!(report.all_written(), "{:?}", report.failures().next());
    assert_eq!(
        org.calls("POST */composite/sobjects"),
        1 + 3,
        "one request resent"
    );
    assert_eq!(org.store().count("Contact"), 450, "no record saved twice");
}

#[tokio::test]
async fn lock_retries_are_bounded_and_the_rest_is_reported_not_dropped() {
    let org = org().await;
    let client = client(&org).await;
    org.fault("POST */composite/sobjects", Fault::unable_to_lock_row());
    let records: Vec<NewContact> = (0..300).map(|i| new_contact(format!("P{i}"))).collect();
    // One request at a time, so that the request after the failed one is
    // known not to have started: it is reported as not sent.
    let one_at_a_time = CollectionOptions {
        concurrency: Some(1),
        ..CollectionOptions::default()
    };
    let report = client
        .create_many_with(&records, &one_at_a_time)
        .await
        .expect("sent");
    assert_eq!(report.results.len(), 300);
    assert_eq!(
        org.calls("POST */composite/sobjects"),
        4,
        "the default lock retry makes 4 attempts, then stops"
    );
    for (i, result) in report.results.iter().enumerate() {
        match result {
            Err(RecordFailure::Request(e)) if i < 200 => {
                assert_eq!(e.api_code(), Some(&ErrorCode::UnableToLockRow))
            }
            Err(RecordFailure::NotSent) if i >= 200 => {}
            other => panic!("record {i}: {other:?}"),
        }
    }
    assert_eq!(
        report.request_error().and_then(|e| e.api_code()),
        Some(&ErrorCode::UnableToLockRow)
    );
}

#[tokio::test]
async fn records_locked_one_by_one_are_resent_alone_and_a_lasting_lock_is_reported() {
    let org = org().await;
    let client = client(&org).await;
    let records: Vec<NewContact> = (0..450).map(|i| new_contact(format!("Row {i}"))).collect();
    let created = client.create_many(&records).await.expect("sent");
    let ids: Vec<Id<Contact>> = created
        .results
        .iter()
        .map(|r| r.as_ref().expect("created").id)
        .collect();
    let lock = |i: usize, refusals: u32| {
        let id = sfgen_fake_org::SfId::parse(ids[i].as_str()).expect("an org id");
        org.store().lock_record(id, refusals);
    };
    // Two records are held for one write each, one for longer than the retries last.
    lock(5, 1);
    lock(250, 1);
    lock(300, 10);
    let updates: Vec<(Id<Contact>, ContactUpdate)> = ids
        .iter()
        .map(|id| {
            let update = ContactUpdate {
                title: Field::Value("Updated".into()),
                ..ContactUpdate::default()
            };
            (*id, update)
        })
        .collect();
    let report = client.update_many(&updates).await.expect("sent");

    assert_eq!(report.results.len(), 450);
    for (i, result) in report.results.iter().enumerate() {
        match result {
            Err(RecordFailure::Rejected(errors)) if i == 300 => {
                assert_eq!(errors[0].code, ErrorCode::UnableToLockRow)
            }
            Ok(written) if i != 300 => assert_eq!(written.id, ids[i]),
            other => panic!("record {i}: {other:?}"),
        }
    }
    // 3 requests of up to 200, then each request's locked records alone: [5]
    // from the first; [250, 300], then [300] twice from the second (4 attempts
    // in all by default).
    assert_eq!(org.calls("PATCH */composite/sobjects"), 3 + 1 + 3);
    let title = |i: usize| {
        org.store()
            .get("Contact", ids[i].as_str(), None)
            .ok()
            .and_then(|r| r.fields.get("Title").cloned())
    };
    assert_eq!(title(5), Some(json!("Updated")));
    assert_eq!(title(250), Some(json!("Updated")));
    assert_eq!(title(300), Some(serde_json::Value::Null));
    assert_eq!(title(449), Some(json!("Updated")));
}

#[tokio::test]
async fn update_upsert_delete_and_get_many() {
    let org = org().await;
    let client = client(&org).await;
    let people: Vec<NewContact> = (0..3)
        .map(|i| new_contact(format!("Upserted {i}")).with_email(format!("p{i}@example.com")))
        .collect();
    let created = client.upsert_many("Email", &people).await.expect("sent");
    assert!(created
        .results
        .iter()
        .all(|r| r.as_ref().is_ok_and(|w| w.created)));
    let again = client.upsert_many("Email", &people).await.expect("sent");
    assert!(again
        .results
        .iter()
        .all(|r| r.as_ref().is_ok_and(|w| !w.created)));
    let ids: Vec<Id<Contact>> = created
        .results
        .iter()
        .map(|r| r.as_ref().expect("written").id)
        .collect();
    assert_eq!(again.ids(), ids.iter().map(Some).collect::<Vec<_>>());

    let updates: Vec<(Id<Contact>, ContactUpdate)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                *id,
                ContactUpdate {
                    title: Field::Value(format!("T{i}")),
                    email: Field::Null,
                    ..ContactUpdate::default()
                },
            )
        })
        .collect();
    assert!(client
        .update_many(&updates)
        .await
        .expect("sent")
        .all_written());
    let read = client.get_many(&views(&ids)).await.expect("read");
    let titles: Vec<Option<String>> = read
        .iter()
        .map(|p| p.as_ref().and_then(|p| p.title.clone()))
        .collect();
    assert_eq!(
        titles,
        [Some("T0".into()), Some("T1".into()), Some("T2".into())]
    );
    assert!(read
        .iter()
        .all(|p| p.as_ref().is_some_and(|p| p.email.is_none())));

    assert!(client
        .delete_many(&ids[..2])
        .await
        .expect("sent")
        .all_written());
    let read = client.get_many(&views(&ids)).await.expect("read");
    assert_eq!(
        read.iter().map(Option::is_some).collect::<Vec<_>>(),
        [false, false, true]
    );
    let again = client.delete_many(&ids[..1]).await.expect("sent");
    assert_eq!(
        again
            .failures()
            .next()
            .map(|(_, f)| f.errors()[0].code.clone()),
        Some(ErrorCode::EntityIsDeleted)
    );
}

#[tokio::test]
async fn get_many_reads_2000_ids_per_call_in_input_order() {
    let org = org().await;
    let client = client(&org).await;
    let records: Vec<NewContact> = (0..2_300)
        .map(|i| new_contact(format!("Read {i}")))
        .collect();
    let mut ids: Vec<Id<Contact>> = client
        .create_many(&records)
        .await
        .expect("sent")
        .results
        .into_iter()
        .map(|r| r.expect("written").id)
        .collect();
    ids.reverse();
    org.reset_counters();
    let read = client.get_many(&views(&ids)).await.expect("read");
    assert_eq!(org.calls("POST */composite/sobjects/Contact"), 2);
    let names: Vec<String> = read
        .into_iter()
        .map(|p| p.expect("exists").last_name)
        .collect();
    let expected: Vec<String> = (0..2_300).rev().map(|i| format!("Read {i}")).collect();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn mixed_objects_split_at_ten_runs_per_request() {
    let org = org().await;
    let client = client(&org).await;
    let records: Vec<(&str, serde_json::Value)> = (0..25)
        .map(|i| {
            if i % 2 == 0 {
                ("Account", json!({"Name": format!("A{i}")}))
            } else {
                ("Contact", json!({"LastName": format!("C{i}")}))
            }
        })
        .collect();
    let report = client
        .create_many_values(&records, &CollectionOptions::default())
        .await
        .expect("sent");
    assert!(report.all_written());
    assert_eq!(org.calls("POST */composite/sobjects"), 3);
    for (i, written) in report.results.iter().enumerate() {
        let prefix = if i % 2 == 0 { "001" } else { "003" };
        assert_eq!(written.as_ref().expect("written").id.key_prefix(), prefix);
    }
}

#[tokio::test]
async fn the_entry_point_picks_collections_or_bulk_by_size() {
    let org = org().await;
    let client = client(&org).await;
    let small: Vec<NewAccount> = (0..10).map(|i| new_account(format!("S{i}"))).collect();
    let options = WriteOptions {
        bulk: bulk_options(),
        ..WriteOptions::default()
    }
    .bulk_threshold(5);
    let report = client.create_all(&small, &options).await.expect("sent");
    assert_eq!(report.path, WritePath::Bulk);
    assert!(report.all_written());
    assert_eq!(org.calls("POST */jobs/ingest"), 1);
    let report = client
        .create_all(&small[..5], &options)
        .await
        .expect("sent");
    assert_eq!(report.path, WritePath::Collections);
    let forced = client
        .create_all(&small, &options.clone().path(PathChoice::Collections))
        .await
        .expect("sent");
    assert_eq!(forced.path, WritePath::Collections);
    assert_eq!(org.calls("POST */composite/sobjects"), 2);
    assert_eq!(org.store().count("Account"), 25);
}
