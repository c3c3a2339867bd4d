//! The generator against real describes recorded from Salesforce orgs
//! (`../shared/salesforce-recordings/describe/`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use sfgen::read::{SchemaFile, Schemas};
use sfgen::{model, read, Error, Options};

/// This package's directory.
fn package_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `*.json` files of a directory, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list `{}`: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// The model of one describe file on its own.
fn model_of(path: &Path) -> model::Object {
    let describe = read::read_describe(path).unwrap_or_else(|e| panic!("{e}"));
    let schemas = Schemas {
        api_version: read::DEFAULT_API_VERSION.to_owned(),
        objects: vec![SchemaFile {
            path: path.to_owned(),
            file_name: "x.json".to_owned(),
            api_version: None,
            origin: None,
            describe,
        }],
        unified_spec: None,
    };
    model::build(&schemas).objects.remove(0)
}

#[test]
fn required_on_create_is_pinned_on_every_full_recording() {
    let expected: &[(&str, &[&str])] = &[
        ("Account.amaxa-v44.0.json", &["Name"]),
        ("Account.cumulusci-v48.0.json", &["Name"]),
        // The NPSP org with Person Accounts: Name is defaulted (from the person's name).
        ("Account.cumulusci-v59.0-npsp-personaccounts.json", &[]),
        ("Account.elasticio-v46.0.json", &["Name"]),
        ("Attachment.amaxa-v44.0.json", &["Body", "Name", "ParentId"]),
        ("Case.cumulusci-v48.0.json", &[]),
        ("Case.elasticio-v25.0.json", &[]),
        ("Contact.amaxa-v44.0.json", &["LastName"]),
        ("Contact.cumulusci-vxx.0.json", &["LastName"]),
        ("Contact.elasticio-v25.0.json", &["LastName"]),
        ("Contact.restforce-db.json", &["LastName"]),
        (
            "CustomObjectDetail__c.restforce-db.json",
            &["CustomObject__c"],
        ),
        ("CustomObject__c.restforce-db.json", &[]),
        ("Custom__c.cumulusci.json", &[]),
        ("Document.elasticio-v46.0.json", &["FolderId", "Name"]),
        ("Event.cumulusci-vxx.0.json", &[]),
        ("Lead.cumulusci-v59.0.json", &["Company", "LastName"]),
        (
            "Opportunity.amaxa-v44.0.json",
            &["CloseDate", "Name", "StageName"],
        ),
        (
            "Opportunity.cumulusci-v48.0.json",
            &["CloseDate", "Name", "StageName"],
        ),
        (
            "Opportunity.cumulusci-vxx.0.json",
            &["CloseDate", "Name", "StageName"],
        ),
        (
            "OpportunityContactRole.cumulusci-v48.0.json",
            &["ContactId", "OpportunityId"],
        ),
        ("Task.amaxa-v44.0.json", &[]),
    ];
    let full = common::recordings().join("describe/full");
    let files: Vec<String> = json_files(&full)
        .iter()
        .map(|p| {
            p.file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let pinned: Vec<&str> = expected.iter().map(|(f, _)| *f).collect();
    assert_eq!(files, pinned, "every recording is pinned");
    for (file, required) in expected {
        let object = model_of(&full.join(file));
        let found: Vec<&str> = object
            .required_fields()
            .map(|f| f.api_name.as_str())
            .collect();
        assert_eq!(&found, required, "{file}");
        assert_eq!(
            object.required.is_some(),
            !required.is_empty(),
            "{file}: a Required struct iff something is required"
        );
    }
}

#[test]
fn trimmed_describes_are_rejected_naming_file_field_and_key() {
    let trimmed = common::recordings().join("describe/trimmed");
    let files = json_files(&trimmed);
    assert!(!files.is_empty());
    for path in files {
        match read::read_describe(&path) {
            Err(Error::MissingKey {
                path: p,
                field,
                key,
            }) => {
                assert_eq!(p, path);
                // Trimmed fields keep `nillable` but lose the create/update keys.
                assert_eq!(
                    (field.as_str(), key),
                    ("Id", "createable"),
                    "{}",
                    path.display()
                );
            }
            other => panic!("{}: expected a missing key, got {other:?}", path.display()),
        }
    }
    let task = trimmed.join("Task.vscode-soqlmetadata.json");
    let err = read::read_describe(&task).expect_err("trimmed");
    assert_eq!(
        err.to_string(),
        format!(
            "`{}`: field `Id` has no `createable` key; sfgen needs it to decide required-ness and will not \
             guess (is this a trimmed describe? fetch the full `/sobjects/<Object>/describe` response)",
            task.display()
        )
    );
}

#[test]
fn older_api_versions_read_with_defaults() {
    // v25 describes lack keys newer ones carry (compoundFieldName, …).
    let full = common::recordings().join("describe/full");
    for file in ["Contact.elasticio-v25.0.json", "Case.elasticio-v25.0.json"] {
        let describe = read::read_describe(&full.join(file)).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            describe
                .fields
                .iter()
                .all(|f| f.raw.compound_field_name.is_none()),
            "{file}"
        );
    }
}

/// Splits the recordings into sets with each object at most once, so each set
/// is one crate.
fn sets_of_distinct_objects(files: &[PathBuf]) -> Vec<Vec<PathBuf>> {
    let mut sets: Vec<(BTreeSet<String>, Vec<PathBuf>)> = Vec::new();
    for path in files {
        let name = read::read_describe(path)
            .unwrap_or_else(|e| panic!("{e}"))
            .name;
        match sets.iter_mut().find(|(names, _)| !names.contains(&name)) {
            Some((names, set)) => {
                names.insert(name);
                set.push(path.clone());
            }
            None => sets.push((BTreeSet::from([name]), vec![path.clone()])),
        }
    }
    sets.into_iter().map(|(_, set)| set).collect()
}

fn fresh_dir(path: &Path) -> PathBuf {
    if path.exists() {
        std::fs::remove_dir_all(path)
            .unwrap_or_else(|e| panic!("cannot remove `{}`: {e}", path.display()));
    }
    std::fs::create_dir_all(path)
        .unwrap_or_else(|e| panic!("cannot create `{}`: {e}", path.display()));
    path.to_owned()
}

/// Every full recording, plus the edge-case fixture, generates code that
/// compiles with warnings denied. Recordings of one object from several orgs go
/// to separate crates of one scratch workspace, built with one `cargo build`.
#[test]
fn every_full_recording_generates_a_crate_that_compiles_with_warnings_denied() {
    let files = json_files(&common::recordings().join("describe/full"));
    let scratch = fresh_dir(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("recordings-workspace"));
    let runtime = package_dir()
        .join("..")
        .join("runtime")
        .canonicalize()
        .expect("the runtime crate");
    let mut members = Vec::new();
    let mut generate = |name: String, schemas: PathBuf| {
        let options = Options {
            schemas,
            out: scratch.join(&name),
            runtime: Some(sfgen::RuntimeDependency::Path(
                runtime.to_string_lossy().into_owned(),
            )),
            crate_name: name.clone(),
            ..Options::default()
        };
        let report = sfgen::generate(&options).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(report.objects > 0);
        members.push(name);
    };
    for (i, set) in sets_of_distinct_objects(&files).iter().enumerate() {
        let schemas = fresh_dir(&scratch.join(format!("schemas-{i}")));
        for path in set {
            std::fs::copy(path, schemas.join(path.file_name().expect("a file name")))
                .expect("copies a describe");
        }
        generate(format!("recordings-{i}"), schemas);
    }
    generate(
        "edge-cases".to_owned(),
        package_dir().join("tests/fixtures/edge-cases"),
    );

    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        list.join(", ")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).expect("writes the workspace manifest");
    // The repository's lock file pins the same dependency versions the runtime is tested with.
    std::fs::copy(
        package_dir().join("..").join("Cargo.lock"),
        scratch.join("Cargo.lock"),
    )
    .expect("copies Cargo.lock");

    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("nested-builds");
    let output = Command::new(env!("CARGO"))
        .args(["build", "--workspace", "--quiet", "--target-dir"])
        .arg(&target)
        .current_dir(&scratch)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("runs cargo");
    assert!(
        output.status.success(),
        "generated crates in `{}` do not compile:\n{}",
        scratch.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
