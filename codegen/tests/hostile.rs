//! Hostile but possible input: an org that lists traversal names, manifests
//! that point outside the schemas directory, describes with duplicate or
//! case-colliding names, huge help text, and names Rust or Cargo cannot take.

pub mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use support::{args, path_arg, run_sfgen};

/// Every file under `dir`, relative to it.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("lists") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.insert(path.strip_prefix(dir).expect("inside").to_owned());
            }
        }
    }
    out
}

/// A minimal describe of `name` with only `Id`.
fn describe(name: &str) -> Value {
    json!({
        "name": name, "label": "Evil", "custom": true, "keyPrefix": "a01",
        "fields": [{
            "name": "Id", "type": "id", "label": "Id", "createable": false, "nillable": false,
            "defaultedOnCreate": true, "updateable": false
        }]
    })
}

/// The object name in `/services/data/vXX/sobjects/<name>/describe`.
fn described(url: &str) -> String {
    let rest = url.split_once("/sobjects/").map_or("", |(_, r)| r);
    rest.strip_suffix("/describe").unwrap_or(rest).to_owned()
}

/// A hostile org on 127.0.0.1: its global describe lists traversal names
/// beside one good object, and its Composite answers describe whatever was
/// asked for under that name.
async fn hostile_org() -> String {
    let app = Router::new()
        .route(
            "/services/data",
            get(|| async { Json(json!([{"version": "59.0"}])) }),
        )
        .route(
            "/services/oauth2/userinfo",
            get(|| async { Json(json!({})) }),
        )
        .route(
            "/services/data/v59.0/sobjects",
            get(|| async {
                Json(json!({"sobjects": [
                    {"name": "../../escaped", "custom": true},
                    {"name": "/tmp/sfgen-hostile-absolute", "custom": true},
                    {"name": "sub/../../escaped2", "custom": true},
                    {"name": "Good__c", "custom": true},
                ]}))
            }),
        )
        .route(
            "/services/data/v59.0/composite",
            post(|Json(body): Json<Value>| async move {
                let subs = body["compositeRequest"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let answers: Vec<Value> = subs
                    .iter()
                    .map(|s| {
                        let name = described(s["url"].as_str().unwrap_or_default());
                        json!({
                            "body": describe(&name), "httpHeaders": {}, "httpStatusCode": 200,
                            "referenceId": s["referenceId"]
                        })
                    })
                    .collect();
                Json(json!({ "compositeResponse": answers }))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn connection(instance: &str) -> Vec<String> {
    args(&[
        "--instance-url",
        instance,
        "--access-token",
        "00Dxx!hostile",
        "--api-version",
        "59.0",
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_from_an_org_with_traversal_names_writes_nothing_outside_the_schemas() {
    let instance = hostile_org().await;
    let home = tempfile::tempdir().expect("temp");
    let root = tempfile::tempdir().expect("temp");
    let schemas = root.path().join("a/b/schemas");
    std::fs::create_dir_all(&schemas).expect("creates");
    let mut cmd = args(&["fetch", "--all", "--schemas"]);
    cmd.push(path_arg(&schemas));
    cmd.extend(connection(&instance));
    let out = run_sfgen(cmd, home.path()).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for name in [
        "../../escaped",
        "/tmp/sfgen-hostile-absolute",
        "sub/../../escaped2",
    ] {
        assert!(
            stderr.contains(&format!(
                "the org lists the object \"{name}\", which is not a Salesforce API name"
            )),
            "{name}: {stderr}"
        );
    }
    let files: Vec<String> = tree(root.path())
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files,
        ["a/b/schemas/Good__c.json", "a/b/schemas/manifest.json"],
        "only the good object and the manifest, inside the schemas"
    );
    assert!(!Path::new("/tmp/sfgen-hostile-absolute.json").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manifest_pointing_outside_the_schemas_is_refused_by_fetch_and_generate() {
    let instance = hostile_org().await;
    let home = tempfile::tempdir().expect("temp");
    let root = tempfile::tempdir().expect("temp");
    let schemas = root.path().join("schemas");
    std::fs::create_dir_all(&schemas).expect("creates");
    let manifest = json!({"apiVersion": "59.0", "objects": {
        "Good__c": {"file": "../outside.json", "origin": "org"}
    }});
    std::fs::write(schemas.join("manifest.json"), manifest.to_string()).expect("writes");
    std::fs::write(
        root.path().join("outside.json"),
        describe("Good__c").to_string(),
    )
    .expect("writes");
    let before = tree(root.path());

    let mut cmd = args(&["fetch", "--objects", "Good__c", "--schemas"]);
    cmd.push(path_arg(&schemas));
    cmd.extend(connection(&instance));
    let out = run_sfgen(cmd, home.path()).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "the file of object \"Good__c\" is \"../outside.json\", which is not a path inside \
             the schemas directory"
        ),
        "{stderr}"
    );
    assert_eq!(tree(root.path()), before, "nothing written");

    let err = sfgen::render(&sfgen::Options {
        schemas: schemas.clone(),
        ..sfgen::Options::default()
    })
    .expect_err("generate refuses it");
    assert!(matches!(err, sfgen::Error::OutsideSchemas { .. }), "{err}");
}

/// An object with an `Id` and `fields`, and a key prefix.
fn object(name: &str, prefix: &str, fields: Vec<Value>) -> Value {
    let mut d = describe(name);
    d["keyPrefix"] = json!(prefix);
    d["label"] = json!(format!("{name} */ label"));
    if let Some(list) = d["fields"].as_array_mut() {
        list.extend(fields);
    }
    d
}

/// A required text field.
fn required(name: &str) -> Value {
    support::text_field(name, true)
}

/// A picklist field with `values`.
fn picklist(name: &str, values: &[&str]) -> Value {
    let mut f = support::text_field(name, false);
    f["type"] = json!("picklist");
    f["picklistValues"] = values.iter().map(|v| support::picklist_value(v)).collect();
    f
}

/// A reference field to `targets`.
fn reference(name: &str, relationship: &str, targets: &[&str]) -> Value {
    let mut f = support::text_field(name, false);
    f["type"] = json!("reference");
    f["referenceTo"] = json!(targets);
    f["relationshipName"] = json!(relationship);
    f
}

fn write_describes(dir: &Path, describes: &[Value]) {
    for d in describes {
        let name = d["name"].as_str().expect("a name");
        std::fs::write(dir.join(format!("{name}.json")), d.to_string()).expect("writes");
    }
}

fn options(schemas: &Path, out: &Path) -> sfgen::Options {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../runtime")
        .canonicalize()
        .expect("the runtime crate");
    sfgen::Options {
        schemas: schemas.to_owned(),
        out: out.to_owned(),
        runtime: Some(sfgen::RuntimeDependency::Path(
            runtime.to_string_lossy().into_owned(),
        )),
        crate_name: "hostile-bindings".to_owned(),
        ..sfgen::Options::default()
    }
}

/// Names Rust or Cargo give a meaning to (`lib`, `main`, `core`, `std`,
/// `serde`, `unified`, a primitive, a keyword), names with leading digits,
/// and a 12 MB help text full of newlines and `*/`: the crate is small and
/// compiles with warnings denied.
#[test]
fn reserved_and_odd_names_and_huge_help_text_compile_warning_free() {
    let dir = tempfile::tempdir().expect("temp");
    let schemas = dir.path().join("schemas");
    std::fs::create_dir_all(&schemas).expect("creates");
    let mut help = support::text_field("Help__c", false);
    help["inlineHelpText"] = json!("*/ /* evil\n\n- item */\n".repeat(12 * 1024 * 1024 / 24));
    help["label"] = json!("x */".repeat(100_000));
    let mut describes = vec![object(
        "123__c",
        "a00",
        vec![
            required("123__c"),
            required("_1_2__c"),
            support::text_field("With__c", false),
            help,
            picklist("1Type__c", &["1 - High", "*/", "Other", "a\"b"]),
            reference("Core__c", "Core__r", &["Core__c"]),
            reference("Who__c", "Who__r", &["Lib__c", "Main__c", "123__c"]),
        ],
    )];
    let reserved = [
        "Lib__c",
        "Main__c",
        "Core__c",
        "Std__c",
        "Serde__c",
        "Unified__c",
        "Str__c",
        "Fields__c",
        "Columns__c",
        "Type__c",
        "Self__c",
        "Sfgen_Runtime__c",
    ];
    for (i, name) in reserved.iter().enumerate() {
        describes.push(object(
            name,
            &format!("b{i:02}"),
            vec![required("Lib__c"), picklist("Main__c", &["Core", "Std"])],
        ));
    }
    write_describes(&schemas, &describes);
    let out = dir.path().join("hostile-bindings");
    let report = sfgen::generate(&options(&schemas, &out)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.objects, reserved.len() + 1);

    let files = tree(&out);
    for expected in [
        "src/lib_2.rs",
        "src/main_2.rs",
        "src/core_2.rs",
        "src/std_2.rs",
        "src/serde_2.rs",
        "src/unified_2.rs",
        "src/n_123.rs",
        "src/type.rs",
    ] {
        assert!(files.contains(Path::new(expected)), "{expected}: {files:?}");
    }
    assert!(!files.contains(Path::new("src/main.rs")));
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("pub mod lib_2;"), "{lib}");
    let module = std::fs::read_to_string(out.join("src/n_123.rs")).expect("the module");
    assert!(
        module.len() < 200_000,
        "a 12 MB help text gives a small file: {} bytes",
        module.len()
    );
    assert!(module.contains("cut by sfgen"), "the cut is noted");
    let core = std::fs::read_to_string(out.join("src/core_2.rs")).expect("the module");
    assert!(
        core.contains("Named `core_2` because `core` is taken by the `core` crate."),
        "{core}"
    );
    support::clippy_denying_warnings(dir.path(), &["hostile-bindings"]);
}
