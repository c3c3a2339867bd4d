//! Bulk API 2.0 ingest: CSV from the typed records, failed rows reported back
//! at their input positions, split uploads, updates that clear fields, deletes.

use sfgen_runtime::batch::bulk::BulkOptions;
use sfgen_runtime::batch::{RecordFailure, WritePath};
use sfgen_runtime::chrono::NaiveDate;
use sfgen_runtime::{ErrorCode, Field, Id};

use sfgen_generated::{Contact, ContactUpdate, NewContact};

use crate::common::{bulk_options, client, new_contact, org, recorder, views, ContactView};

/// Every fifth record has a last name longer than 80 characters.
fn people(n: usize) -> Vec<NewContact> {
    (0..n)
        .map(|i| {
            let contact = new_contact(if i % 5 == 4 {
                "y".repeat(81)
            } else {
                format!("Bulk {i}")
            });
            let contact = match NaiveDate::from_ymd_opt(1990, 1, 1 + (i % 28) as u32) {
                Some(date) => contact.with_birthdate(date),
                None => contact,
            };
            if i % 3 == 0 {
                contact.with_first_name(format!("First, \"{i}\""))
            } else {
                contact
            }
        })
        .collect()
}

#[tokio::test]
async fn failed_rows_come_back_at_their_input_positions() {
    let org = org().await;
    let client = client(&org).await;
    let (hook, seen) = recorder();
    let report = client
        .bulk_insert(&people(1_000), &bulk_options().progress(hook))
        .await
        .expect("sent");

    assert_eq!(report.path, WritePath::Bulk);
    assert_eq!(report.results.len(), 1_000);
    assert_eq!(report.jobs.len(), 1);
    assert_eq!(
        (
            report.jobs[0].state.as_str(),
            report.jobs[0].processed,
            report.jobs[0].failed
        ),
        ("JobComplete", 1_000, 200)
    );
    for (i, result) in report.results.iter().enumerate() {
        match result {
            Ok(written) => {
                assert_ne!(i % 5, 4, "record {i} should have failed");
                assert!(written.created);
                let stored = org
                    .store()
                    .get("Contact", written.id.as_str(), None)
                    .expect("stored")
                    .fields;
                assert_eq!(
                    stored["LastName"],
                    format!("Bulk {i}"),
                    "record {i} got another row's id"
                );
                let first = if i % 3 == 0 {
                    serde_json::json!(format!("First, \"{i}\""))
                } else {
                    serde_json::Value::Null
                };
                assert_eq!(stored["FirstName"], first);
                assert_eq!(stored["Birthdate"], format!("1990-01-{:02}", 1 + i % 28));
            }
            Err(RecordFailure::Rejected(errors)) => {
                assert_eq!(i % 5, 4, "record {i} should have been written");
                assert_eq!(errors[0].code, ErrorCode::StringTooLong);
                assert_eq!(errors[0].fields, ["LastName"]);
            }
            Err(other) => panic!("record {i}: {other}"),
        }
    }
    assert_eq!(org.store().count("Contact"), 800);
    let ids: Vec<Id<Contact>> = report
        .results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|w| w.id))
        .collect();
    let read = client.get_many(&views(&ids[..3])).await.expect("read");
    let read: Vec<(Id<ContactView>, Option<String>, Option<NaiveDate>)> = read
        .into_iter()
        .map(|p| p.expect("exists"))
        .map(|p| (p.id, p.first_name, p.birthdate))
        .collect();
    let expected = views(&ids[..2]);
    assert_eq!(
        read[0],
        (
            expected[0],
            Some("First, \"0\"".to_owned()),
            NaiveDate::from_ymd_opt(1990, 1, 1)
        )
    );
    assert_eq!(
        read[1],
        (expected[1], None, NaiveDate::from_ymd_opt(1990, 1, 2))
    );
    // Itemised calls: one job, one upload, one close, polls, two result files.
    assert_eq!(org.calls("POST */jobs/ingest"), 1);
    assert_eq!(org.calls("PUT */jobs/ingest/*/batches"), 1);
    assert_eq!(org.calls("PATCH */jobs/ingest/*"), 1);
    assert!(
        org.calls("GET */jobs/ingest/*") >= 3,
        "at least one poll and two result files"
    );
    assert_eq!(org.calls("GET */jobs/ingest/*/successfulResults"), 1);
    assert_eq!(org.calls("GET */jobs/ingest/*/failedResults"), 1);
    assert_eq!(org.calls("GET */jobs/ingest/*/unprocessedrecords"), 0);
    let seen = seen.lock().expect("not poisoned");
    assert_eq!(seen.last(), Some(&(1_000, 1_000)));
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress never goes back: {seen:?}"
    );
}

#[tokio::test]
async fn uploads_over_the_limit_are_split_into_jobs() {
    let org = org().await;
    let client = client(&org).await;
    let options = BulkOptions {
        max_upload_bytes: 4_096,
        ..bulk_options()
    };
    let records = people(500);
    let report = client.bulk_insert(&records, &options).await.expect("sent");
    assert!(report.jobs.len() > 1, "{} jobs", report.jobs.len());
    assert_eq!(org.calls("PUT */jobs/ingest/*/batches"), report.jobs.len());
    assert_eq!(report.written(), 400);
    let expected: Vec<bool> = (0..500).map(|i| i % 5 != 4).collect();
    assert_eq!(
        report.results.iter().map(Result::is_ok).collect::<Vec<_>>(),
        expected
    );
}

#[tokio::test]
async fn updates_clear_fields_and_deletes_remove_records() {
    let org = org().await;
    let client = client(&org).await;
    let created = client
        .create_many(
            &(0..5)
                .map(|i| {
                    new_contact(format!("U{i}"))
                        .with_title("Old")
                        .with_email(format!("e{i}@example.com"))
                })
                .collect::<Vec<_>>(),
        )
        .await
        .expect("sent");
    let ids: Vec<Id<Contact>> = created
        .results
        .into_iter()
        .map(|r| r.expect("written").id)
        .collect();
    let updates: Vec<(Id<Contact>, ContactUpdate)> = ids
        .iter()
        .map(|id| {
            (
                *id,
                ContactUpdate {
                    title: Field::Null,
                    email: Field::Unset,
                    ..ContactUpdate::default()
                },
            )
        })
        .collect();
    let report = client
        .bulk_update(&updates, &bulk_options())
        .await
        .expect("sent");
    assert!(report.all_written(), "{:?}", report.failures().next());
    let read = client.get_many(&views(&ids)).await.expect("read");
    assert!(read.iter().all(|p| p
        .as_ref()
        .is_some_and(|p| p.title.is_none() && p.email.is_some())));

    let report = client
        .bulk_delete(&ids[..3], &bulk_options())
        .await
        .expect("sent");
    assert!(report.all_written());
    assert_eq!(report.ids(), ids[..3].iter().map(Some).collect::<Vec<_>>());
    assert_eq!(org.store().count("Contact"), 2);
    let again = client
        .bulk_delete(&ids[..1], &bulk_options())
        .await
        .expect("sent");
    assert!(
        matches!(&again.results[0], Err(RecordFailure::Rejected(e)) if e[0].code == ErrorCode::EntityIsDeleted)
    );
}

#[tokio::test]
async fn upserts_report_created_and_updated() {
    let org = org().await;
    let client = client(&org).await;
    let records: Vec<NewContact> = (0..4)
        .map(|i| new_contact(format!("V{i}")).with_email(format!("u{i}@example.com")))
        .collect();
    let first = client
        .bulk_upsert("Email", &records[..2], &bulk_options())
        .await
        .expect("sent");
    assert!(first
        .results
        .iter()
        .all(|r| r.as_ref().is_ok_and(|w| w.created)));
    let second = client
        .bulk_upsert("Email", &records, &bulk_options())
        .await
        .expect("sent");
    let created: Vec<bool> = second
        .results
        .iter()
        .map(|r| r.as_ref().expect("written").created)
        .collect();
    assert_eq!(created, [false, false, true, true]);
    assert_eq!(org.store().count("Contact"), 4);
}
