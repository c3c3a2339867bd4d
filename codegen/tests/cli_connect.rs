//! The connection options every command shares, each way against the fake org:
//! environment variables, the Salesforce CLI (a stand-in `sf` on `PATH`), and
//! the JWT bearer flow.

pub mod support;

use std::path::Path;

use sfgen_fake_org::FakeOrg;
use support::{json_stdout, sfgen};

/// The runtime's test key, whose certificate the fake org is given.
const JWT_KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../runtime/tests/fixtures/jwt-test-key.pem"
);
const JWT_CERT: &str = include_str!("../../runtime/tests/fixtures/jwt-test-cert.pem");

/// `sfgen fetch --json --objects Account` with `extra` arguments and `env`.
async fn fetch(
    schemas: &Path,
    extra: Vec<String>,
    env: Vec<(&'static str, String)>,
) -> std::process::Output {
    let (schemas, home) = (schemas.to_owned(), tempfile::tempdir().expect("temp"));
    tokio::task::spawn_blocking(move || {
        let mut cmd = sfgen();
        cmd.args([
            "fetch",
            "--json",
            "--objects",
            "Account",
            "--force",
            "--schemas",
        ])
        .arg(&schemas)
        .args(extra);
        cmd.env("SFGEN_HOME", home.path());
        for var in [
            "SF_TARGET_ORG",
            "SF_INSTANCE_URL",
            "SF_ACCESS_TOKEN",
            "SFGEN_TOKEN_KEY",
        ] {
            cmd.env_remove(var);
        }
        cmd.envs(env);
        cmd.output().expect("sfgen runs")
    })
    .await
    .expect("the task ends")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn environment_variables_connect() {
    let org = FakeOrg::builder().start().await.expect("starts");
    let schemas = tempfile::tempdir().expect("temp");
    let env = vec![
        ("SF_INSTANCE_URL", org.instance_url().to_owned()),
        ("SF_ACCESS_TOKEN", org.access_token().to_owned()),
    ];
    let report = json_stdout(&fetch(schemas.path(), Vec::new(), env).await, 0);
    assert_eq!(report["written"], serde_json::json!(["Account"]));
    org.shutdown().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alias_sfgen_does_not_know_goes_to_the_salesforce_cli() {
    use std::os::unix::fs::PermissionsExt;
    let org = FakeOrg::builder().start().await.expect("starts");
    let bin = tempfile::tempdir().expect("temp");
    let sf = bin.path().join("sf");
    let answer = serde_json::json!({"status": 0, "result": {
        "accessToken": org.access_token(), "instanceUrl": org.instance_url(),
        "apiVersion": "62.0", "username": org.username()}});
    std::fs::write(
        &sf,
        format!("#!/bin/sh\n[ \"$5\" = dev-hub ] || exit 1\ncat <<'JSON'\n{answer}\nJSON\n"),
    )
    .expect("writes");
    std::fs::set_permissions(&sf, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let schemas = tempfile::tempdir().expect("temp");
    let out = fetch(
        schemas.path(),
        vec!["--target-org".into(), "dev-hub".into()],
        vec![("PATH", path)],
    )
    .await;
    let report = json_stdout(&out, 0);
    assert_eq!(report["written"], serde_json::json!(["Account"]));
    assert_eq!(
        report["apiVersion"],
        org.api_version(),
        "the org's newest version unless --api-version says"
    );
    org.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jwt_bearer_flow_connects() {
    let org = FakeOrg::builder()
        .jwt_certificate(JWT_CERT)
        .start()
        .await
        .expect("starts");
    let schemas = tempfile::tempdir().expect("temp");
    let extra: Vec<String> = [
        "--jwt-key-file",
        JWT_KEY,
        "--username",
        org.username(),
        "--client-id",
        org.client_id(),
        "--login-url",
        org.login_url(),
        "--api-version",
        "60.0",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let report = json_stdout(&fetch(schemas.path(), extra, Vec::new()).await, 0);
    assert_eq!(report["written"], serde_json::json!(["Account"]));
    assert_eq!(report["apiVersion"], "60.0");
    assert_eq!(
        org.counters()
            .grants
            .get("urn:ietf:params:oauth:grant-type:jwt-bearer"),
        Some(&1)
    );
    org.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_ways_at_once_are_refused() {
    let schemas = tempfile::tempdir().expect("temp");
    let extra = [
        "--target-org",
        "x",
        "--instance-url",
        "https://a.example",
        "--access-token",
        "t",
    ];
    let out = fetch(
        schemas.path(),
        extra.iter().map(|s| (*s).to_owned()).collect(),
        Vec::new(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--access-token and --target-org are two ways to connect: give one"),
        "{stderr}"
    );
}
