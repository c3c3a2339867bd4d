//! Activities: a record's tasks and meetings in one stream, newest first.

use futures::TryStreamExt;
use sfgen_runtime::unified::{Activity, NewContact, NewMeeting, NewTask};

use crate::common::{at, client, crm, org, queries};

#[tokio::test]
async fn tasks_and_meetings_of_a_record_merge_newest_first() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    let ada = crm
        .contacts()
        .create(NewContact::new("Lovelace"))
        .await
        .expect("a contact");
    let other = crm
        .contacts()
        .create(NewContact::new("Other"))
        .await
        .expect("a contact");

    let task = |subject: &str, day: u32, who: &str| {
        let mut t = NewTask::new(subject);
        t.due_date = Some(at(2026, 4, day, 0, 0));
        t.contact_id = Some(who.to_owned());
        t
    };
    let meeting = |subject: &str, day: u32, who: &str| {
        let mut m = NewMeeting::new(subject, at(2026, 4, day, 15, 0), at(2026, 4, day, 16, 0));
        m.contact_id = Some(who.to_owned());
        m
    };
    crm.tasks()
        .create(task("t-3", 3, &ada))
        .await
        .expect("a task");
    crm.tasks()
        .create(task("t-9", 9, &ada))
        .await
        .expect("a task");
    let mut undated = NewTask::new("t-none");
    undated.contact_id = Some(ada.clone());
    crm.tasks().create(undated).await.expect("a task");
    crm.meetings()
        .create(meeting("m-5", 5, &ada))
        .await
        .expect("a meeting");
    crm.meetings()
        .create(meeting("m-9", 9, &ada))
        .await
        .expect("a meeting");
    crm.tasks()
        .create(task("elsewhere", 7, &other))
        .await
        .expect("another contact's task");

    let timeline: Vec<Activity> = crm
        .activities()
        .for_record(&ada)
        .expect("a valid id")
        .try_collect()
        .await
        .expect("the timeline");
    let subjects: Vec<&str> = timeline.iter().filter_map(Activity::subject).collect();
    // The meeting on the 9th starts at 15:00, after the task due that day (00:00).
    assert_eq!(subjects, ["m-9", "t-9", "m-5", "t-3", "t-none"]);
    assert!(
        matches!(timeline[0], Activity::Meeting(_)) && matches!(timeline[1], Activity::Task(_))
    );

    let sent = queries(&org);
    assert!(
        sent.iter()
            .any(|q| q.contains("FROM Task WHERE WhoId = ") && q.contains(" OR WhatId = ")),
        "{sent:?}"
    );
    assert!(
        sent.iter().any(|q| q.contains("FROM Event WHERE WhoId = ")
            && q.contains("ORDER BY StartDateTime DESC")),
        "{sent:?}"
    );

    let all: Vec<Activity> = crm
        .activities()
        .all()
        .try_collect()
        .await
        .expect("every activity");
    assert_eq!(all.len(), 6);
    assert!(crm.activities().for_record("nope").is_err());
}
