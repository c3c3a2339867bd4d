//! The whole chain as a user runs it, in a fresh repository outside this
//! workspace: `sfgen init` → `sfgen fetch` from the fake org → `sfgen generate`
//! → `cargo build` of the bindings and a service using them → the service does
//! CRUD and a unified read against the fake org → `generate --check` is clean
//! → a generate into the service's own crate is refused.

pub mod support;

use std::path::{Path, PathBuf};

use sfgen_fake_org::FakeOrg;
use support::{args, json_stdout, path_arg, token_args};

/// The service built against the generated bindings, as a user writes it:
/// create with the required-fields constructor, typed get and query, update
/// with a null, the unified API over the subset, return a record as JSON, delete.
const MAIN_RS: &str = r#"
use futures::TryStreamExt;
use acme_salesforce::{account, contact, Account, AccountRequired, Contact, ContactRequired, ContactUpdate, NewAccount, NewContact};
use acme_salesforce::unified::Salesforce;
use sfgen_runtime::chrono::NaiveDate;
use sfgen_runtime::soql::{Condition, Select};
use sfgen_runtime::{Client, Credentials, Field};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let version = std::env::var("SF_API_VERSION")?;
    let client = Client::builder().api_version(version).connect(Credentials::from_env()?).await?;
    let new = NewAccount::new(AccountRequired { name: "Analytical Engines".into() })
        .with_phone("+44 20 7946 0000")
        .with_number_of_employees(12);
    let account_id = client.create(&new).await?;
    println!("created {account_id}");
    let got: Account = client.get(account_id.clone()).await?;
    println!("get {} {}", got.name, got.number_of_employees.unwrap_or_default());
    let select = Select::from::<Account>().filter(Condition::eq(account::fields::NAME, "Analytical Engines"));
    let found: Vec<Account> = client.query::<Account>(select).try_collect().await?;
    println!("query {} {}", found.len(), found.first().map(|c| c.id.to_string()).unwrap_or_default());
    // Records are Clone + PartialEq + Serialize: a service can cache, compare and return them.
    assert!(found.first() == Some(&got.clone()));
    let json = serde_json::to_value(&got)?;
    println!("json {}", json["Name"]);

    let contact = NewContact::new(ContactRequired { last_name: "Lovelace".into() })
        .with_account_id(account_id.clone())
        .with_phone("+44 20 7946 0001")
        .with_birthdate(NaiveDate::from_ymd_opt(1815, 12, 10).ok_or("date")?);
    let contact_id = client.create(&contact).await?;
    let clear_phone = ContactUpdate { phone: Field::Null, ..ContactUpdate::default() };
    client.update(contact_id.clone(), &clear_phone).await?;
    let read: Contact = client.get(contact_id.clone()).await?;
    println!("phone {:?} birthdate {:?}", read.phone, read.birthdate);
    let _ = contact::fields::LAST_NAME;

    let crm = client.crm::<Salesforce>();
    let unified = crm.contacts().get(contact_id.to_string().as_str()).await?;
    println!("unified {}", unified.last_name.unwrap_or_default());

    client.delete(contact_id).await?;
    client.delete(account_id).await?;
    println!("deleted");
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
async fn a_new_repository_inits_fetches_generates_and_runs_a_service() {
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let home = tempfile::tempdir().expect("temp");
    // The user's repository, outside this workspace.
    let repo = tempfile::tempdir().expect("temp");
    let repo = repo.path();
    let runtime = workspace().join("runtime");
    let in_repo = |args: Vec<String>| {
        let home = home.path().to_owned();
        let repo = repo.to_owned();
        async move { run_sfgen_in(args, &home, &repo).await }
    };

    // init: the project file, with a subset of the objects in any case
    let mut init = args(&[
        "init",
        "--out",
        "salesforce",
        "--crate-name",
        "acme-salesforce",
        "--objects",
        "account,Contact,LEAD,Opportunity",
        "--runtime-path",
    ]);
    init.push(path_arg(&runtime));
    let out = in_repo(init).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let project = std::fs::read_to_string(repo.join("sfgen.toml")).expect("sfgen.toml");
    assert!(
        project.contains("crate-name = \"acme-salesforce\""),
        "{project}"
    );
    assert!(
        repo.join("schemas/unified.toml").is_file(),
        "the default spec"
    );

    // fetch: reads the project's schemas dir and objects
    let mut fetch = args(&["fetch", "--json"]);
    fetch.extend(token_args(&org));
    let report = json_stdout(&in_repo(fetch).await, 0);
    assert_eq!(
        report["written"].as_array().map(Vec::len),
        Some(4),
        "{report}"
    );

    // generate: no flags, the project file says it all
    let out = in_repo(args(&["generate"])).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "note: unified resource `meeting` left out: its object `Event` is not in the schemas"
        ),
        "{stderr}"
    );
    let lib = std::fs::read_to_string(repo.join("salesforce/src/lib.rs")).expect("lib.rs");
    assert!(lib.starts_with("// @generated"), "{lib}");
    assert!(lib.contains("pub mod unified;"));

    // a service that uses the bindings, pinned to the workspace's dependency versions
    let app = repo.join("service");
    std::fs::create_dir_all(app.join("src")).expect("creates");
    let cargo_toml = format!(
        "[package]\nname = \"acme-service\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nacme-salesforce = {{ path = \"../salesforce\" }}\nsfgen-runtime = {{ path = {runtime:?} }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\nfutures = \"0.3\"\nserde_json = \"1\"\n\n[workspace]\n",
        runtime = runtime.to_string_lossy()
    );
    std::fs::write(app.join("Cargo.toml"), cargo_toml).expect("writes");
    std::fs::write(app.join("src/main.rs"), MAIN_RS).expect("writes");
    std::fs::copy(workspace().join("Cargo.lock"), app.join("Cargo.lock"))
        .expect("copies the lock file");

    let manifest = app.join("Cargo.toml");
    let built = tokio::task::spawn_blocking(move || cargo_build(&manifest))
        .await
        .expect("the build task ends");
    assert!(
        built.status.success(),
        "cargo build failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let binary = e2e_target_dir().join("debug").join("acme-service");
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
    assert_eq!(lines[3], "json \"Analytical Engines\"");
    assert_eq!(lines[4], "phone None birthdate Some(1815-12-10)");
    assert_eq!(lines[5], "unified Lovelace");
    assert_eq!(lines[6], "deleted");
    assert_eq!(org.calls("POST */sobjects/Account"), 1);

    // check: clean, and the fix it would print is the project's
    let out = in_repo(args(&["generate", "--check"])).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(repo.join("salesforce/src/lead.rs"), "// edited\n").expect("writes");
    let out = in_repo(args(&["generate", "--check"])).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("fix it with: sfgen generate --project sfgen.toml"),
        "{stderr}"
    );

    // a generate into the service (a crate sfgen did not write) is refused, every file intact
    let main_before = std::fs::read(app.join("src/main.rs")).expect("main.rs");
    let toml_before = std::fs::read(app.join("Cargo.toml")).expect("Cargo.toml");
    let out = in_repo(args(&["generate", "--out", "service"])).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        std::fs::read(app.join("src/main.rs")).expect("main.rs"),
        main_before
    );
    assert_eq!(
        std::fs::read(app.join("Cargo.toml")).expect("Cargo.toml"),
        toml_before
    );
    org.shutdown().await;
}

/// Runs the `sfgen` binary in `dir` (the user's repository).
async fn run_sfgen_in(args: Vec<String>, home: &Path, dir: &Path) -> std::process::Output {
    let (home, dir) = (home.to_owned(), dir.to_owned());
    tokio::task::spawn_blocking(move || {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sfgen"));
        cmd.args(&args).current_dir(&dir).env("SFGEN_HOME", &home);
        for var in [
            "SF_TARGET_ORG",
            "SF_INSTANCE_URL",
            "SF_ACCESS_TOKEN",
            "SFGEN_TOKEN_KEY",
        ] {
            cmd.env_remove(var);
        }
        cmd.output().expect("sfgen runs")
    })
    .await
    .expect("the sfgen task ends")
}
