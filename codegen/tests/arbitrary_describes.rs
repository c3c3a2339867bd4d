//! Property tests: describes with arbitrary names, labels, help text, types and
//! picklist values go through `sfgen::render` without a panic, and either give
//! a crate whose every file is valid Rust (the same bytes twice) or a clear
//! error. A fixed sample of them is compiled with clippy `-D warnings`.

pub mod support;

use std::path::Path;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Value};

/// Field types: every kind sfgen maps, and one it does not know.
const TYPES: &[&str] = &[
    "string",
    "textarea",
    "email",
    "phone",
    "url",
    "picklist",
    "multipicklist",
    "combobox",
    "reference",
    "boolean",
    "int",
    "double",
    "currency",
    "percent",
    "date",
    "datetime",
    "time",
    "base64",
    "address",
    "location",
    "encryptedstring",
    "anyType",
    "hologram",
];

/// An API name as Salesforce would give one, or (rarely) any text at all.
fn api_name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[A-Za-z][A-Za-z0-9]{0,12}(_[A-Za-z0-9]{1,6})?(__c)?",
        1 => "[0-9][A-Za-z0-9_]{0,8}__c",
        1 => ".{0,12}",
    ]
}

/// Text for labels, help text and picklist values: anything, with the
/// characters that break comments and strings made likely.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => ".{0,40}",
        1 => "(\\*/|/\\*|\"|\\\\|\n|\r|#|`|\u{0}|\u{202e}|é|\u{1F600}| ){0,12}",
    ]
}

fn field() -> impl Strategy<Value = Value> {
    (
        api_name(),
        text(),
        proptest::option::of(text()),
        proptest::sample::select(TYPES),
        proptest::collection::vec(text(), 0..6),
        any::<(bool, bool, bool)>(),
    )
        .prop_map(
            |(name, label, help, kind, values, (nillable, createable, defaulted))| {
                let mut f = support::text_field(&name, false);
                f["label"] = json!(label);
                f["inlineHelpText"] = json!(help);
                f["type"] = json!(kind);
                f["nillable"] = json!(nillable);
                f["createable"] = json!(createable);
                f["defaultedOnCreate"] = json!(defaulted);
                if kind.contains("picklist") || kind == "combobox" {
                    f["picklistValues"] =
                        values.iter().map(|v| support::picklist_value(v)).collect();
                }
                if kind == "reference" {
                    f["referenceTo"] = json!(values.first().map_or("User", String::as_str));
                    f["referenceTo"] = json!([f["referenceTo"].clone()]);
                    f["relationshipName"] = json!(format!("{name}_r"));
                }
                if kind == "currency" || kind == "double" || kind == "percent" {
                    f["precision"] = json!(18);
                    f["scale"] = json!(2);
                }
                f
            },
        )
}

/// An object describe with an `Id` and up to eight arbitrary fields.
fn describe() -> impl Strategy<Value = Value> {
    (api_name(), text(), proptest::collection::vec(field(), 0..8)).prop_map(
        |(name, label, fields)| {
            let mut all = vec![json!({
                "name": "Id", "type": "id", "label": "Record ID", "createable": false,
                "nillable": false, "defaultedOnCreate": true, "updateable": false
            })];
            all.extend(fields);
            json!({
                "name": name, "label": label, "custom": true, "keyPrefix": "a0X",
                "createable": true, "updateable": true, "queryable": true, "fields": all
            })
        },
    )
}

/// Writes `describes` as a schemas directory and returns the render options.
fn options(dir: &Path, describes: &[Value], crate_name: &str) -> sfgen::Options {
    let schemas = dir.join("schemas");
    std::fs::create_dir_all(&schemas).expect("creates the schemas dir");
    for (i, d) in describes.iter().enumerate() {
        // File names are the test's own: the describe's name is what is tested.
        std::fs::write(schemas.join(format!("object{i}.json")), d.to_string())
            .expect("writes a describe");
    }
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../runtime")
        .canonicalize()
        .expect("the runtime crate");
    sfgen::Options {
        schemas,
        out: dir.join(crate_name),
        runtime: Some(sfgen::RuntimeDependency::Path(
            runtime.to_string_lossy().into_owned(),
        )),
        crate_name: crate_name.to_owned(),
        ..sfgen::Options::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_describes_render_valid_rust_or_a_clear_error(
        describes in proptest::collection::vec(describe(), 1..4)
    ) {
        let dir = tempfile::tempdir().expect("temp");
        let options = options(dir.path(), &describes, "arbitrary-bindings");
        match sfgen::render(&options) {
            Ok(rendered) => {
                for (path, text) in &rendered.files {
                    if path.ends_with(".rs") {
                        if let Err(e) = syn::parse_file(text) {
                            panic!("{path} is not valid Rust ({e}):\n{text}");
                        }
                    }
                }
                let again = sfgen::render(&options).expect("renders again");
                prop_assert_eq!(&rendered.files, &again.files, "two renders differ");
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(!text.trim().is_empty(), "an empty error");
            }
        }
    }
}

/// A fixed sample of arbitrary describes (deterministic seed) that render: the
/// crate passes `cargo clippy -D warnings`.
#[test]
fn a_sample_of_arbitrary_describes_compiles_warning_free() {
    let mut runner = TestRunner::deterministic();
    let strategy = describe();
    let mut sample = Vec::new();
    let mut names = std::collections::HashSet::new();
    while sample.len() < 6 {
        let d = strategy
            .new_tree(&mut runner)
            .expect("a describe")
            .current();
        let name = d["name"].as_str().unwrap_or_default().to_ascii_lowercase();
        // One describe per try: keep those that render alone, so that one bad
        // name does not refuse the whole sample.
        let probe = tempfile::tempdir().expect("temp");
        let renders =
            sfgen::render(&options(probe.path(), std::slice::from_ref(&d), "probe")).is_ok();
        if renders && names.insert(name) {
            sample.push(d);
        }
    }
    let dir = tempfile::tempdir().expect("temp");
    let options = options(dir.path(), &sample, "sampled-bindings");
    let report = sfgen::generate(&options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.objects, sample.len());
    support::clippy_denying_warnings(dir.path(), &["sampled-bindings"]);
}
