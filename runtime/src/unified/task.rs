//! Task: a to-do item, usually about a contact, lead, company or deal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{is_empty, Custom};
use super::open_enum::open_enum;
use crate::Field;

open_enum! {
    /// Where a task stands.
    pub enum TaskStatus {
        /// Not started.
        NotStarted = "notStarted",
        /// Being worked on.
        InProgress = "inProgress",
        /// Done.
        Completed = "completed",
        /// Waiting on someone else.
        Waiting = "waiting",
        /// Put off.
        Deferred = "deferred",
    }
}

open_enum! {
    /// How urgent a task is.
    pub enum TaskPriority {
        /// High priority.
        High = "high",
        /// Normal priority.
        Normal = "normal",
        /// Low priority.
        Low = "low",
    }
}

/// A task as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// The provider's id.
    pub id: String,
    /// Subject line.
    pub subject: Option<String>,
    /// Where the task stands.
    pub status: Option<TaskStatus>,
    /// How urgent it is.
    pub priority: Option<TaskPriority>,
    /// When it is due.
    pub due_date: Option<DateTime<Utc>>,
    /// Free-text description.
    pub description: Option<String>,
    /// The user who owns the task.
    pub owner_id: Option<String>,
    /// The contact it is about.
    pub contact_id: Option<String>,
    /// The lead it is about.
    pub lead_id: Option<String>,
    /// The company it is about.
    pub company_id: Option<String>,
    /// The deal it is about.
    pub deal_id: Option<String>,
    /// Whether the task is closed.
    pub is_closed: Option<bool>,
    /// When the task was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the task was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

/// A task to create. `subject` is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTask {
    /// Subject line (required).
    pub subject: String,
    /// Where the task stands; the provider's default when unset.
    #[serde(default)]
    pub status: Option<TaskStatus>,
    /// How urgent it is; the provider's default when unset.
    #[serde(default)]
    pub priority: Option<TaskPriority>,
    /// When it is due.
    #[serde(default)]
    pub due_date: Option<DateTime<Utc>>,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// The owning user; the provider picks one when unset.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// The contact it is about (at most one of `contact_id` and `lead_id`).
    #[serde(default)]
    pub contact_id: Option<String>,
    /// The lead it is about.
    #[serde(default)]
    pub lead_id: Option<String>,
    /// The company it is about (at most one of `company_id` and `deal_id`).
    #[serde(default)]
    pub company_id: Option<String>,
    /// The deal it is about.
    #[serde(default)]
    pub deal_id: Option<String>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

impl NewTask {
    /// A task with only its required field set.
    pub fn new(subject: impl Into<String>) -> Self {
        NewTask {
            subject: subject.into(),
            status: None,
            priority: None,
            due_date: None,
            description: None,
            owner_id: None,
            contact_id: None,
            lead_id: None,
            company_id: None,
            deal_id: None,
            custom: Custom::new(),
        }
    }
}

/// Changes to a task: unset fields are left alone, null ones cleared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskUpdate {
    /// Subject line.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub subject: Field<String>,
    /// Where the task stands.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub status: Field<TaskStatus>,
    /// How urgent it is.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub priority: Field<TaskPriority>,
    /// When it is due.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub due_date: Field<DateTime<Utc>>,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub description: Field<String>,
    /// The owning user.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub owner_id: Field<String>,
    /// The contact it is about.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub contact_id: Field<String>,
    /// The lead it is about.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub lead_id: Field<String>,
    /// The company it is about.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub company_id: Field<String>,
    /// The deal it is about.
    #[serde(default, skip_serializing_if = "Field::is_unset")]
    pub deal_id: Field<String>,
    /// Org-specific fields mapped under `custom`; a `null` value clears the field.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enums_keep_unknown_values() {
        assert_eq!(TaskStatus::from_value("inProgress"), TaskStatus::InProgress);
        assert_eq!(
            TaskStatus::from_value("Blocked"),
            TaskStatus::Other("Blocked".into())
        );
        let json =
            serde_json::to_string(&[TaskStatus::Waiting, TaskStatus::Other("Blocked".into())])
                .expect("serializes");
        assert_eq!(json, r#"["waiting","Blocked"]"#);
        let back: Vec<TaskPriority> =
            serde_json::from_str(r#"["high","urgent"]"#).expect("deserializes");
        assert_eq!(
            back,
            [TaskPriority::High, TaskPriority::Other("urgent".into())]
        );
        assert_eq!(TaskPriority::VALUES, ["high", "normal", "low"]);
    }

    #[test]
    fn new_task_requires_only_a_subject_in_json() {
        let t: NewTask = serde_json::from_str(r#"{"subject":"Call back","priority":"high"}"#)
            .expect("deserializes");
        assert_eq!(t.priority, Some(TaskPriority::High));
        let err = serde_json::from_str::<NewTask>(r#"{"priority":"high"}"#)
            .expect_err("subject is required");
        assert!(err.to_string().contains("missing field `subject`"), "{err}");
    }

    #[test]
    fn update_keeps_unset_null_and_value_apart() {
        let u: TaskUpdate =
            serde_json::from_str(r#"{"subject":"x","dueDate":null}"#).expect("deserializes");
        assert_eq!(u.subject, Field::Value("x".into()));
        assert_eq!(u.due_date, Field::Null);
        assert!(u.status.is_unset());
        assert_eq!(
            serde_json::to_string(&u).expect("serializes"),
            r#"{"subject":"x","dueDate":null}"#
        );
    }
}
