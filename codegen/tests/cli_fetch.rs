//! `sfgen fetch` and `sfgen diff` against the fake org: the default objects,
//! a re-fetch that rewrites nothing, 100 objects in 4 Composite round trips,
//! a failure that loses nothing else, and a diff after the org's schema changes.

pub mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::Value;
use sfgen_fake_org::FakeOrg;
use support::{
    args, json_stdout, path_arg, picklist_value, run_sfgen, synthesize, text_field, token_args,
};

/// The bytes and modification time of every file in `dir`.
fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    std::fs::read_dir(dir)
        .expect("lists")
        .map(|e| {
            let path = e.expect("entry").path();
            let modified = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .expect("mtime");
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, (std::fs::read(&path).expect("reads"), modified))
        })
        .collect()
}

async fn fetch(
    org: &sfgen_fake_org::RunningOrg,
    schemas: &Path,
    home: &Path,
    extra: &[&str],
) -> std::process::Output {
    let mut a = args(&["fetch", "--json", "--schemas"]);
    a.push(path_arg(schemas));
    a.extend(args(extra));
    a.extend(token_args(org));
    run_sfgen(a, home).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_objects_then_a_refetch_that_rewrites_nothing() {
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let home = tempfile::tempdir().expect("temp");
    let schemas = tempfile::tempdir().expect("temp");

    let report = json_stdout(&fetch(&org, schemas.path(), home.path(), &[]).await, 0);
    let written: Vec<&str> = report["written"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        written,
        sfgen::fetch::select::DEFAULT_OBJECTS,
        "every default object is written"
    );
    assert_eq!(
        report["requests"], 2,
        "one global describe and one Composite request of 12 describes"
    );
    assert_eq!(org.calls("POST */composite"), 1);
    assert_eq!(
        org.calls("GET */sobjects/*/describe"),
        0,
        "describes travel inside the Composite request"
    );

    let manifest: Value = serde_json::from_slice(
        &std::fs::read(schemas.path().join("manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    assert_eq!(manifest["orgId"], org.org_id().as_str());
    assert_eq!(manifest["fetchedBy"], org.username());
    assert_eq!(manifest["apiVersion"], org.api_version());
    let contact = &manifest["objects"]["Contact"];
    let bytes = std::fs::read(schemas.path().join("Contact.json")).expect("Contact.json");
    assert_eq!(contact["sha256"], sfgen::manifest_write::sha256_hex(&bytes));
    assert!(contact["lastModified"].is_string());
    assert!(bytes.ends_with(b"}\n"));
    let schemas_read =
        sfgen::read::read_schemas(schemas.path()).expect("the codegen reader accepts the snapshot");
    assert_eq!(schemas_read.objects.len(), 12);

    let before = files(schemas.path());
    org.reset_counters();
    let report = json_stdout(&fetch(&org, schemas.path(), home.path(), &[]).await, 0);
    assert_eq!(report["written"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        report["notModified"], 12,
        "every describe came back 304 to If-Modified-Since"
    );
    assert_eq!(report["manifestWritten"], false);
    assert_eq!(
        files(schemas.path()),
        before,
        "no file was rewritten (same bytes, same mtimes)"
    );
    assert_eq!(org.calls("POST */composite"), 1);
    assert_eq!(org.calls("GET */sobjects"), 1);

    let report = json_stdout(
        &fetch(&org, schemas.path(), home.path(), &["--force"]).await,
        0,
    );
    assert_eq!(report["notModified"], 0, "--force fetches in full");
    assert_eq!(
        files(schemas.path()),
        before,
        "identical describes are not rewritten"
    );
    org.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_objects_take_four_composite_round_trips() {
    let describes = tempfile::tempdir().expect("temp");
    synthesize(describes.path(), 100);
    let org = FakeOrg::builder()
        .schemas_dir(describes.path())
        .start()
        .await
        .expect("starts");
    let home = tempfile::tempdir().expect("temp");
    let schemas = tempfile::tempdir().expect("temp");

    let report = json_stdout(
        &fetch(
            &org,
            schemas.path(),
            home.path(),
            &["--objects", "synth*__c"],
        )
        .await,
        0,
    );
    assert_eq!(report["written"].as_array().map(Vec::len), Some(100));
    assert_eq!(
        org.calls("POST */composite"),
        4,
        "⌈100 / 25⌉ Composite requests"
    );
    assert_eq!(org.calls("GET */sobjects"), 1);
    assert_eq!(report["requests"], 5);
    assert_eq!(
        sfgen::read::read_schemas(schemas.path())
            .expect("reads")
            .objects
            .len(),
        100
    );
    org.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_failure_is_reported_and_loses_nothing_else() {
    let org = FakeOrg::builder().start().await.expect("starts");
    let home = tempfile::tempdir().expect("temp");
    let schemas = tempfile::tempdir().expect("temp");
    let out = fetch(
        &org,
        schemas.path(),
        home.path(),
        &["--objects", "Account,Nope__c,Contact"],
    )
    .await;
    let report = json_stdout(&out, 1);
    assert_eq!(report["written"], serde_json::json!(["Account", "Contact"]));
    assert_eq!(report["failed"][0]["object"], "Nope__c");
    assert!(
        schemas.path().join("Account.json").is_file()
            && schemas.path().join("manifest.json").is_file()
    );
    org.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_against_the_org_after_its_schema_changes() {
    let org = FakeOrg::builder().start().await.expect("starts");
    let home = tempfile::tempdir().expect("temp");
    let schemas = tempfile::tempdir().expect("temp");
    json_stdout(&fetch(&org, schemas.path(), home.path(), &[]).await, 0);
    let diff = || async {
        let mut a = args(&["diff", "--json", "--schemas"]);
        a.push(path_arg(schemas.path()));
        a.extend(token_args(&org));
        run_sfgen(a, home.path()).await
    };
    let unchanged = json_stdout(&diff().await, 0);
    assert_eq!(unchanged["changes"], serde_json::json!([]));

    // Changes land in a later second than the snapshot's Last-Modified.
    org.advance_clock(Duration::from_secs(2));
    let mut account: Value =
        serde_json::from_slice(&std::fs::read(schemas.path().join("Account.json")).expect("reads"))
            .expect("JSON");
    support::field_mut(&mut account, "Industry")["picklistValues"]
        .as_array_mut()
        .expect("values")
        .push(picklist_value("Space"));
    org.replace_describe(account)
        .expect("the org takes the new describe");
    let additive = json_stdout(&diff().await, 1);
    assert_eq!(additive["changes"][0]["change"], "picklistValueAdded");
    assert_eq!(additive["changes"][0]["after"], "Space");

    org.add_field("Contact", text_field("Badge__c", true))
        .expect("the org takes the field");
    let breaking = json_stdout(&diff().await, 2);
    let contact = breaking["changes"]
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["object"] == "Contact")
        .expect("a change");
    assert_eq!(contact["change"], "fieldAdded");
    assert_eq!(contact["field"], "Badge__c");
    assert_eq!(contact["severity"], "breaking");

    let text = {
        let mut a = args(&["diff", "--schemas"]);
        a.push(path_arg(schemas.path()));
        a.extend(token_args(&org));
        run_sfgen(a, home.path()).await
    };
    assert_eq!(text.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("Contact\n  breaking  Badge__c: field added: string(80)"),
        "{stdout}"
    );
    org.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_connection_names_the_three_ways() {
    let home = tempfile::tempdir().expect("temp");
    let schemas = tempfile::tempdir().expect("temp");
    let mut a = args(&["fetch", "--schemas"]);
    a.push(path_arg(schemas.path()));
    let out = run_sfgen(a, home.path()).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "no org connected",
        "sfgen login",
        "--access-token",
        "--jwt-key-file",
    ] {
        assert!(stderr.contains(needle), "{needle} missing from {stderr}");
    }
}

/// `--instance-url http://…` to a remote host would send the access token in
/// cleartext, and `--login-url http://…` the code, PKCE verifier and client
/// secret: both are refused before any request, naming the URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_a_remote_host_is_refused() {
    let home = tempfile::tempdir().expect("temp");
    let schemas = tempfile::tempdir().expect("temp");
    let schemas_arg = path_arg(schemas.path());
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec![
                "fetch",
                "--instance-url",
                "http://crm.example.com",
                "--access-token",
                "00D!secret-token",
            ],
            "http://crm.example.com/",
        ),
        (
            vec![
                "diff",
                "--instance-url",
                "http://10.1.2.3:8080",
                "--access-token",
                "00D!secret-token",
            ],
            "http://10.1.2.3:8080/",
        ),
        (
            vec![
                "fetch",
                "--login-url",
                "http://login.example.com",
                "--client-id",
                "key",
                "--jwt-key-file",
                "/nonexistent/key.pem",
                "--username",
                "u@example.com",
            ],
            "http://login.example.com/",
        ),
        (
            vec![
                "login",
                "--login-url",
                "http://login.example.com",
                "--client-id",
                "key",
                "--client-secret",
                "s3cr3t-value",
                "--no-browser",
            ],
            "http://login.example.com/",
        ),
    ];
    for (argv, shown) in cases {
        let mut a = args(&argv);
        match argv[0] {
            "fetch" => {
                a.extend(args(&["--schemas"]));
                a.push(schemas_arg.clone());
            }
            // `diff` reads the snapshot first: the workspace's own.
            "diff" => a.extend(args(&[
                "--schemas",
                concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas"),
            ])),
            _ => {}
        }
        let out = run_sfgen(a, home.path()).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        // `diff` keeps 1 for "differs" and exits 3 on errors.
        let error_code = if argv[0] == "diff" { 3 } else { 1 };
        assert_eq!(out.status.code(), Some(error_code), "{argv:?}: {stderr}");
        assert!(
            stderr.contains(&format!("`{shown}` is not https")),
            "{argv:?}: {stderr}"
        );
        assert!(stderr.contains("cleartext"), "{stderr}");
        assert!(
            !stderr.contains("secret-token") && !stderr.contains("s3cr3t"),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read_dir(schemas.path()).expect("lists").count(),
        0,
        "nothing written"
    );
}
