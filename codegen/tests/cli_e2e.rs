//! The whole chain against the fake org: `sfgen fetch` → `sfgen generate` →
//! `cargo build` of the generated crate and a small program using it → the
//! program creates an Account and reads it back by `get` and by a query.

pub mod support;

use std::path::{Path, PathBuf};

use sfgen_fake_org::FakeOrg;
use support::{args, json_stdout, path_arg, run_sfgen, token_args};

/// The program built against the generated bindings.
const MAIN_RS: &str = r#"
use futures::TryStreamExt;
use sfgen_e2e_bindings::{account, Account, AccountRequired, NewAccount};
use sfgen_runtime::soql::{Condition, Select};
use sfgen_runtime::{Client, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let version = std::env::var("SF_API_VERSION")?;
    let client = Client::builder().api_version(version).connect(Credentials::from_env()?).await?;
    let new = NewAccount::new(AccountRequired { name: "Analytical Engines".into() })
        .with_phone("+44 20 7946 0000")
        .with_number_of_employees(12);
    let id = client.create(&new).await?;
    println!("created {id}");
    let got: Account = client.get(id.clone()).await?;
    println!("get {} {}", got.name, got.number_of_employees.unwrap_or_default());
    let select = Select::from::<Account>().filter(Condition::eq(account::fields::NAME, "Analytical Engines"));
    let found: Vec<Account> = client.query::<Account>(select).try_collect().await?;
    println!("query {} {}", found.len(), found.first().map(|c| c.id.to_string()).unwrap_or_default());
    Ok(())
}
"#;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace exists")
}

/// The target directory every test that builds a crate of its own shares
/// (`recordings`, `unified_override`, this one), with the same flags, so the
/// runtime and its dependencies are built once (not `cargo test`'s own
/// target dir: it holds that dir's lock).
fn e2e_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("nested-builds")
}

fn cargo_build(manifest: &Path) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    std::process::Command::new(cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", e2e_target_dir())
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_generate_build_then_create_and_query_a_record() {
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let home = tempfile::tempdir().expect("temp");
    let work = tempfile::tempdir().expect("temp");
    let (schemas, generated, app) = (
        work.path().join("schemas"),
        work.path().join("gen"),
        work.path().join("app"),
    );

    // fetch
    let mut fetch = args(&["fetch", "--json", "--schemas"]);
    fetch.push(path_arg(&schemas));
    fetch.extend(token_args(&org));
    let report = json_stdout(&run_sfgen(fetch, home.path()).await, 0);
    assert_eq!(report["written"].as_array().map(Vec::len), Some(12));

    // generate
    let runtime = workspace().join("runtime");
    let mut generate = args(&[
        "generate",
        "--crate-name",
        "sfgen-e2e-bindings",
        "--schemas",
    ]);
    generate.extend([
        path_arg(&schemas),
        "--out".into(),
        path_arg(&generated),
        "--runtime-path".into(),
        path_arg(&runtime),
    ]);
    let out = run_sfgen(generate, home.path()).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // a program that uses the bindings, pinned to the workspace's dependency versions
    std::fs::create_dir_all(app.join("src")).expect("creates");
    let cargo_toml = format!(
        "[package]\nname = \"sfgen-e2e-app\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nsfgen-e2e-bindings = {{ path = \"../gen\" }}\nsfgen-runtime = {{ path = {runtime:?} }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\nfutures = \"0.3\"\n\n[workspace]\n",
        runtime = runtime.to_string_lossy()
    );
    std::fs::write(app.join("Cargo.toml"), cargo_toml).expect("writes");
    std::fs::write(app.join("src/main.rs"), MAIN_RS).expect("writes");
    std::fs::copy(workspace().join("Cargo.lock"), app.join("Cargo.lock"))
        .expect("copies the lock file");

    // cargo build
    let manifest = app.join("Cargo.toml");
    let built = tokio::task::spawn_blocking(move || cargo_build(&manifest))
        .await
        .expect("the build task ends");
    assert!(
        built.status.success(),
        "cargo build failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );

    // create and query
    let binary = e2e_target_dir().join("debug").join("sfgen-e2e-app");
    let (instance, token, version) = (
        org.instance_url().to_owned(),
        org.access_token().to_owned(),
        org.api_version().to_owned(),
    );
    let ran = tokio::task::spawn_blocking(move || {
        std::process::Command::new(binary)
            .env("SF_INSTANCE_URL", instance)
            .env("SF_ACCESS_TOKEN", token)
            .env("SF_API_VERSION", version)
            .output()
            .expect("the program runs")
    })
    .await
    .expect("the run task ends");
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    let id = lines[0].strip_prefix("created ").expect("a created line");
    assert!(
        id.starts_with("001") && id.len() == 18,
        "an Account id: {id}"
    );
    assert_eq!(lines[1], "get Analytical Engines 12");
    assert_eq!(lines[2], format!("query 1 {id}"));
    assert_eq!(org.calls("POST */sobjects/Account"), 1);
    org.shutdown().await;
}
