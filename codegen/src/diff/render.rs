//! The diff report as text for people and as JSON for tools.

use serde::Serialize;

use super::{Change, ChangeKind, DiffReport, Severity};

/// What each kind of change is called in the text report.
fn label(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::ObjectAdded => "object added",
        ChangeKind::ObjectRemoved => "object removed",
        ChangeKind::FieldAdded => "field added",
        ChangeKind::FieldRemoved => "field removed",
        ChangeKind::TypeChanged => "type",
        ChangeKind::RequiredChanged => "required on create",
        ChangeKind::NillableChanged => "nillable",
        ChangeKind::CreateableChanged => "createable",
        ChangeKind::UpdateableChanged => "updateable",
        ChangeKind::PicklistValueAdded => "picklist value added",
        ChangeKind::PicklistValueRemoved => "picklist value removed",
        ChangeKind::PicklistRestrictedChanged => "restricted picklist",
        ChangeKind::ReferenceTargetsChanged => "reference targets",
        ChangeKind::LengthChanged => "length",
        ChangeKind::PrecisionChanged => "precision",
        ChangeKind::ScaleChanged => "scale",
        ChangeKind::DigitsChanged => "digits",
    }
}

/// One change as a line: `Rating: picklist value added: Warm`.
fn headline(change: &Change) -> String {
    let subject = change
        .field
        .as_deref()
        .map(|f| format!("{f}: "))
        .unwrap_or_default();
    let what = label(change.change);
    match (&change.before, &change.after) {
        (Some(before), Some(after)) => format!("{subject}{what}: {before} -> {after}"),
        (None, Some(value)) | (Some(value), None) => format!("{subject}{what}: {value}"),
        (None, None) => format!("{subject}{what}"),
    }
}

/// The report for people: changes grouped by object, each with its severity and
/// what it means, then a summary line.
pub fn render_text(report: &DiffReport) -> String {
    if report.changes.is_empty() {
        return "no changes\n".to_owned();
    }
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for change in &report.changes {
        if current != Some(change.object.as_str()) {
            out.push_str(&change.object);
            out.push('\n');
            current = Some(&change.object);
        }
        out.push_str(&format!(
            "  {:<8}  {}\n",
            change.severity.as_str(),
            headline(change)
        ));
        out.push_str(&format!("            {}\n", change.message));
    }
    let (breaking, additive) = (
        report.count(Severity::Breaking),
        report.count(Severity::Additive),
    );
    out.push_str(&format!(
        "{} change{}: {breaking} breaking, {additive} additive\n",
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" }
    ));
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonReport<'a> {
    breaking: usize,
    additive: usize,
    exit_code: u8,
    changes: &'a [Change],
}

/// The report as pretty JSON with a trailing newline:
/// `{"breaking", "additive", "exitCode", "changes": [{"object", "field", "change", "severity", "before", "after", "message"}]}`.
pub fn render_json(report: &DiffReport) -> String {
    let json = JsonReport {
        breaking: report.count(Severity::Breaking),
        additive: report.count(Severity::Additive),
        exit_code: report.exit_code(),
        changes: &report.changes,
    };
    // Plain structs of strings and numbers always serialize.
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
    text.push('\n');
    text
}
