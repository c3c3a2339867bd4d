//! Helpers shared by the `cli_*` tests: temporary copies of the committed
//! snapshot, describe edits, and fields to add.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The workspace's committed snapshot.
pub fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// A temporary copy of the committed snapshot.
pub fn copy_snapshot() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for entry in std::fs::read_dir(snapshot_dir()).expect("schemas/ lists") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("a name")))
                .expect("copies");
        }
    }
    dir
}

/// Reads `<dir>/<object>.json`, applies `change`, writes it back.
pub fn edit(dir: &Path, object: &str, change: impl FnOnce(&mut Value)) {
    let path = dir.join(format!("{object}.json"));
    let mut describe: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("describe reads")).expect("JSON");
    change(&mut describe);
    std::fs::write(
        &path,
        serde_json::to_vec_pretty(&describe).expect("serializes"),
    )
    .expect("writes");
}

/// The field called `name` of a describe.
pub fn field_mut<'a>(describe: &'a mut Value, name: &str) -> &'a mut Value {
    describe["fields"]
        .as_array_mut()
        .expect("fields")
        .iter_mut()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

/// A custom text field; `required` makes it createable, not nillable, not defaulted.
pub fn text_field(name: &str, required: bool) -> Value {
    let mut field: Value = serde_json::from_str(
        r#"{
        "aggregatable": true, "autoNumber": false, "byteLength": 240, "calculated": false,
        "calculatedFormula": null, "cascadeDelete": false, "caseSensitive": false, "compoundFieldName": null,
        "controllerName": null, "createable": true, "custom": true, "defaultValue": null,
        "defaultValueFormula": null, "defaultedOnCreate": false, "dependentPicklist": false,
        "deprecatedAndHidden": false, "digits": 0, "displayLocationInDecimal": false, "encrypted": false,
        "externalId": false, "extraTypeInfo": null, "filterable": true, "filteredLookupInfo": null,
        "groupable": true, "highScaleNumber": false, "htmlFormatted": false, "idLookup": false,
        "inlineHelpText": null, "label": "", "length": 80, "mask": null,
        "maskType": null, "name": "", "nameField": false, "namePointing": false, "nillable": true,
        "permissionable": true, "picklistValues": [], "polymorphicForeignKey": false, "precision": 0,
        "queryByDistance": false, "referenceTargetField": null, "referenceTo": [], "relationshipName": null,
        "relationshipOrder": null, "restrictedDelete": false, "restrictedPicklist": false, "scale": 0,
        "searchPrefilterable": false, "soapType": "xsd:string", "sortable": true, "type": "string",
        "unique": false, "updateable": true, "writeRequiresMasterRead": false
        }"#,
    )
    .expect("a field template");
    field["name"] = json!(name);
    field["label"] = json!(name.trim_end_matches("__c"));
    field["nillable"] = json!(!required);
    field["permissionable"] = json!(!required);
    field
}

/// A picklist entry.
pub fn picklist_value(value: &str) -> Value {
    json!({"active": true, "defaultValue": false, "label": value, "validFor": null, "value": value})
}

/// The `sfgen` binary under test.
pub fn sfgen() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_sfgen"))
}

/// Runs `sfgen` with `args` off the async runtime, with a private sfgen home
/// and none of the caller's Salesforce environment variables.
pub async fn run_sfgen(args: Vec<String>, home: &Path) -> std::process::Output {
    let home = home.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut cmd = sfgen();
        cmd.args(&args).env("SFGEN_HOME", &home);
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
    .expect("the sfgen task finishes")
}

/// `--instance-url … --access-token …` for a fake org.
pub fn token_args(org: &sfgen_fake_org::RunningOrg) -> Vec<String> {
    vec![
        "--instance-url".into(),
        org.instance_url().to_owned(),
        "--access-token".into(),
        org.access_token().to_owned(),
    ]
}

/// Arguments from string slices.
pub fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A path as an argument.
pub fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Writes `count` custom objects into `dir`, each a copy of one of the
/// snapshot's describes in turn (Account, Campaign, …) under the name
/// `Synth0000__c`, `Synth0001__c`, … with its own key prefix (`x00`, `x01`, …
/// in base 36). Returns the total bytes written.
pub fn synthesize(dir: &Path, count: usize) -> usize {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    assert!(
        count <= 36 * 36,
        "two base-36 digits name at most 1,296 objects"
    );
    let mut templates: Vec<Value> = std::fs::read_dir(snapshot_dir())
        .expect("schemas/ lists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("manifest.json"))
        .map(|p| serde_json::from_slice(&std::fs::read(&p).expect("reads")).expect("JSON"))
        .collect();
    templates.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let mut bytes = 0;
    for i in 0..count {
        let mut describe = templates[i % templates.len()].clone();
        let name = format!("Synth{i:04}__c");
        let prefix = format!("x{}{}", DIGITS[i / 36] as char, DIGITS[i % 36] as char);
        describe["name"] = json!(name);
        describe["label"] = json!(format!("Synth {i}"));
        describe["custom"] = json!(true);
        describe["keyPrefix"] = json!(prefix);
        let text = serde_json::to_vec(&describe).expect("serializes");
        bytes += text.len();
        std::fs::write(dir.join(format!("{name}.json")), text).expect("writes");
    }
    bytes
}

/// The parsed stdout of a `--json` run, after checking its exit status.
pub fn json_stdout(out: &std::process::Output, code: i32) -> Value {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Checks the crates `members` of the scratch workspace `workspace` with
/// `cargo clippy -D warnings`: rustc's and clippy's lints, denied in the
/// generated crates only (the runtime has its own lint run).
pub fn clippy_denying_warnings(workspace: &Path, members: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = {members:?}\n"),
    )
    .expect("writes the workspace manifest");
    // The repository's lock file pins the versions the runtime is tested with.
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).expect("copies the lock");
    let output = std::process::Command::new(env!("CARGO"))
        .args(["clippy", "--workspace", "--quiet", "--target-dir"])
        .arg(Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-clippy"))
        .args(["--", "-D", "warnings"])
        .current_dir(workspace)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("runs cargo");
    assert!(
        output.status.success(),
        "the generated crates in `{}` do not pass clippy:\n{}",
        workspace.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
