//! Activity: tasks and meetings in one timeline. Read-only.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Meeting, Task};

/// A task or a meeting, as one entry of a record's activity timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Activity {
    /// A task; dated by its due date.
    Task(Task),
    /// A meeting; dated by its start.
    Meeting(Meeting),
}

impl Activity {
    /// The provider's id of the task or meeting.
    pub fn id(&self) -> &str {
        match self {
            Activity::Task(t) => &t.id,
            Activity::Meeting(m) => &m.id,
        }
    }

    /// The date the timeline orders by: a task's due date, a meeting's start.
    pub fn date(&self) -> Option<DateTime<Utc>> {
        match self {
            Activity::Task(t) => t.due_date,
            Activity::Meeting(m) => m.start,
        }
    }

    /// Subject line.
    pub fn subject(&self) -> Option<&str> {
        match self {
            Activity::Task(t) => t.subject.as_deref(),
            Activity::Meeting(m) => m.subject.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unified::Custom;

    fn task(id: &str) -> Task {
        Task {
            id: id.into(),
            subject: Some("Call".into()),
            status: None,
            priority: None,
            due_date: None,
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
        }
    }

    #[test]
    fn activities_are_tagged_by_type() {
        let a = Activity::Task(task("00T000000000001"));
        let json = serde_json::to_value(&a).expect("serializes");
        assert_eq!(json["type"], "task");
        assert_eq!(json["subject"], "Call");
        let back: Activity = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, a);
        assert_eq!(back.id(), "00T000000000001");
        assert_eq!(back.subject(), Some("Call"));
        assert_eq!(back.date(), None);
    }
}
