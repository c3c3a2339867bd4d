// An object with no required field: `new()` and `Default` both work.
use sfgen_generated::NewTask;

fn main() {
    let task = NewTask::new().with_subject("Call back");
    assert_eq!(serde_json::to_string(&task).expect("serializes"), r#"{"Subject":"Call back"}"#);
    let empty = NewTask::default();
    assert_eq!(serde_json::to_string(&empty).expect("serializes"), "{}");
}
