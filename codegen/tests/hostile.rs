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
