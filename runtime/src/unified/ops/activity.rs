//! Activities: tasks and meetings about a record, in one stream, newest first.

use std::marker::PhantomData;

use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt};

use super::error::CrmError;
use crate::soql::Soql;
use crate::unified::{Activity, Meeting, Task, TimelineMapping};
use crate::{Client, RecordId};

/// Activities (read-only): the task mapper `T` and the meeting mapper `E` merged.
pub struct Activities<T, E> {
    client: Client,
    mappers: PhantomData<fn() -> (T, E)>,
}

impl<T, E> std::fmt::Debug for Activities<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Activities")
            .field("client", &self.client)
            .finish()
    }
}

type Items = BoxStream<'static, Result<Activity, CrmError>>;

impl<T, E> Activities<T, E>
where
    T: TimelineMapping<Read = Task>,
    E: TimelineMapping<Read = Meeting>,
{
    pub(super) fn new(client: Client) -> Self {
        Activities {
            client,
            mappers: PhantomData,
        }
    }

    /// The tasks and meetings about one record (a contact, lead, company or deal:
    /// whatever the related fields, `WhoId` and `WhatId` by default, point at),
    /// newest first; undated ones last.
    pub fn for_record(
        &self,
        related_id: &str,
    ) -> Result<impl Stream<Item = Result<Activity, CrmError>> + Send + 'static, CrmError> {
        let id = RecordId::parse(related_id).map_err(|source| CrmError::InvalidId {
            resource: "Activity",
            id: related_id.to_owned(),
            source,
        })?;
        Ok(merge_newest_first(
            self.source::<T>(Some(id), Activity::Task),
            self.source::<E>(Some(id), Activity::Meeting),
        ))
    }

    /// Every task and meeting, newest first; undated ones last.
    pub fn all(&self) -> impl Stream<Item = Result<Activity, CrmError>> + Send + 'static {
        merge_newest_first(
            self.source::<T>(None, Activity::Task),
            self.source::<E>(None, Activity::Meeting),
        )
    }

    /// One side's records, ordered newest first by its date field.
    fn source<R: TimelineMapping>(
        &self,
        related: Option<RecordId>,
        wrap: fn(R::Read) -> Activity,
    ) -> Items {
        let filter = match related {
            None => String::new(),
            Some(_) if R::RELATED_FIELDS.is_empty() => return stream::empty().boxed(),
            Some(id) => {
                let tests: Vec<String> = R::RELATED_FIELDS
                    .iter()
                    .map(|f| format!("{f} = '{id}'"))
                    .collect();
                format!(" WHERE {}", tests.join(" OR "))
            }
        };
        let soql = format!(
            "{}{filter} ORDER BY {} DESC NULLS LAST, Id DESC",
            R::select(),
            R::DATE_FIELD
        );
        self.client
            .query::<R::Row>(Soql::new(soql))
            .map(move |row| row.map(|r| wrap(R::read(r))).map_err(CrmError::from))
            .boxed()
    }
}

/// Whether `a` comes before `b` newest first (undated last; ties keep `a` first).
fn comes_first(a: &Activity, b: &Activity) -> bool {
    match (a.date(), b.date()) {
        (Some(x), Some(y)) => x >= y,
        (Some(_), None) | (None, None) => true,
        (None, Some(_)) => false,
    }
}

/// One side of a merge: the next item, pulled ahead.
struct Side {
    items: Items,
    head: Option<Activity>,
    done: bool,
}

impl Side {
    /// Pulls the next item when none is waiting; an error is handed back at once
    /// and ends this side.
    async fn fill(&mut self) -> Option<CrmError> {
        if self.head.is_some() || self.done {
            return None;
        }
        match self.items.next().await {
            Some(Ok(item)) => {
                self.head = Some(item);
                None
            }
            Some(Err(e)) => {
                self.done = true;
                Some(e)
            }
            None => {
                self.done = true;
                None
            }
        }
    }
}

/// Merges two streams that are each newest first into one newest-first stream,
/// pulling one item ahead on each side. `a` wins ties.
pub fn merge_newest_first<A, B>(
    a: A,
    b: B,
) -> impl Stream<Item = Result<Activity, CrmError>> + Send + 'static
where
    A: Stream<Item = Result<Activity, CrmError>> + Send + 'static,
    B: Stream<Item = Result<Activity, CrmError>> + Send + 'static,
{
    let sides = (
        Side {
            items: a.boxed(),
            head: None,
            done: false,
        },
        Side {
            items: b.boxed(),
            head: None,
            done: false,
        },
    );
    stream::unfold(sides, |(mut a, mut b)| async move {
        if let Some(e) = a.fill().await {
            return Some((Err(e), (a, b)));
        }
        if let Some(e) = b.fill().await {
            return Some((Err(e), (a, b)));
        }
        let take_a = match (&a.head, &b.head) {
            (Some(x), Some(y)) => comes_first(x, y),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        let item = if take_a { a.head.take() } else { b.head.take() };
        item.map(|item| (Ok(item), (a, b)))
    })
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};
    use futures::executor::block_on;

    use super::*;
    use crate::unified::{Custom, MappingError};

    fn at(day: u32) -> Option<DateTime<Utc>> {
        Utc.with_ymd_and_hms(2026, 1, day, 9, 0, 0).single()
    }

    fn task(id: &str, due: Option<DateTime<Utc>>) -> Activity {
        Activity::Task(Task {
            id: id.into(),
            subject: None,
            status: None,
            priority: None,
            due_date: due,
            description: None,
            owner_id: None,
            contact_id: None,
            lead_id: None,
            company_id: None,
            deal_id: None,
            is_closed: None,
            created_at: None,
            updated_at: None,
            custom: Custom::new(),
        })
    }

    fn meeting(id: &str, start: Option<DateTime<Utc>>) -> Activity {
        Activity::Meeting(Meeting {
            id: id.into(),
            subject: None,
            start,
            end: None,
            is_all_day: None,
            location: None,
            description: None,
            owner_id: None,
            contact_id: None,
            lead_id: None,
            company_id: None,
            deal_id: None,
            attendee_ids: Vec::new(),
            created_at: None,
            updated_at: None,
            custom: Custom::new(),
        })
    }

    fn ids(items: Vec<Result<Activity, CrmError>>) -> Vec<String> {
        items
            .into_iter()
            .map(|r| r.map_or_else(|e| format!("error: {e}"), |a| a.id().to_owned()))
            .collect()
    }

    #[test]
    fn merges_newest_first_with_undated_last() {
        let tasks = stream::iter(vec![
            Ok(task("t5", at(5))),
            Ok(task("t2", at(2))),
            Ok(task("t-", None)),
        ]);
        let meetings = stream::iter(vec![
            Ok(meeting("m7", at(7))),
            Ok(meeting("m5", at(5))),
            Ok(meeting("m1", at(1))),
            Ok(meeting("m-", None)),
        ]);
        let merged = block_on(merge_newest_first(tasks, meetings).collect::<Vec<_>>());
        assert_eq!(ids(merged), ["m7", "t5", "m5", "t2", "m1", "t-", "m-"]);
    }

    #[test]
    fn one_empty_side() {
        let merged = block_on(
            merge_newest_first(
                stream::empty(),
                stream::iter(vec![Ok(meeting("m1", at(1)))]),
            )
            .collect::<Vec<_>>(),
        );
        assert_eq!(ids(merged), ["m1"]);
    }

    #[test]
    fn an_error_is_passed_on_and_ends_its_side_only() {
        let failing = stream::iter(vec![
            Ok(task("t9", at(9))),
            Err(CrmError::Mapping(MappingError::Unmapped {
                field: "x",
                reason: "test",
            })),
            Ok(task("t8", at(8))),
        ]);
        let meetings = stream::iter(vec![Ok(meeting("m3", at(3)))]);
        let merged = block_on(merge_newest_first(failing, meetings).collect::<Vec<_>>());
        assert_eq!(
            ids(merged),
            ["t9", "error: `x` cannot be saved to Salesforce: test", "m3"]
        );
    }
}
