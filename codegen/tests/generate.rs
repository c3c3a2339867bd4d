//! `generate`, `check` and `render` on the edge-case fixture and the committed
//! snapshot: snapshots of the emitted code, stable output, `--check`, and the
//! README's tables kept equal to the code.

use std::path::{Path, PathBuf};
use std::process::Command;

use sfgen::naming::{self, Case, Namespace};
use sfgen::{Error, Options};

/// The edge-case fixture: objects `Option`, `Result`, `Name` and `Fields__c`,
/// in a plain directory (no manifest) whose file names are not object names.
const EDGE_CASES: &str = "tests/fixtures/edge-cases";

fn edge_case_options(out: &Path) -> Options {
    Options {
        schemas: PathBuf::from(EDGE_CASES),
        out: out.to_owned(),
        runtime: Some(sfgen::RuntimeDependency::Path("../runtime".to_owned())),
        ..Options::default()
    }
}

#[test]
fn emitted_code_snapshots() {
    let rendered = sfgen::render(&edge_case_options(Path::new("unused"))).expect("renders");
    let paths: Vec<&str> = rendered.files.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            ".sfgen-files",
            "Cargo.toml",
            "src/fields_2.rs",
            "src/lib.rs",
            "src/name.rs",
            "src/option.rs",
            "src/result.rs"
        ]
    );
    for (path, text) in &rendered.files {
        insta::assert_snapshot!(
            format!("edge_cases__{}", path.replace(['/', '.'], "_")),
            text
        );
    }
    let warnings: Vec<String> = rendered.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["`tests/fixtures/edge-cases/option-object.json`: Option.Shape__c: unknown describe type `polygon`, \
          generated as serde_json::Value"]
    );
}

#[test]
fn two_renders_are_byte_identical() {
    let options = edge_case_options(Path::new("unused"));
    let first = sfgen::render(&options).expect("renders");
    let second = sfgen::render(&options).expect("renders");
    assert_eq!(first.files, second.files);
    let committed = Options {
        out: PathBuf::from("../generated"),
        ..Options::default()
    };
    let committed = Options {
        schemas: PathBuf::from("../schemas"),
        ..committed
    };
    assert_eq!(
        sfgen::render(&committed).expect("renders").files,
        sfgen::render(&committed).expect("renders").files
    );
}

#[test]
fn the_committed_crate_is_what_the_schemas_generate() {
    let options = sfgen::project::load(Path::new("../sfgen.toml"))
        .expect("the workspace's project file")
        .options()
        .expect("valid");
    let report = sfgen::check(&options).expect("checks");
    assert!(
        report.is_clean(),
        "run `cargo run -p sfgen -- generate`: {:?}",
        report.diff
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn references_outside_the_set_fall_back_to_untyped_ids() {
    let rendered = sfgen::render(&edge_case_options(Path::new("unused"))).expect("renders");
    let option = &rendered.files["src/option.rs"];
    // `Account` is not in the fixture.
    assert!(option.contains("pub account_id: ::std::option::Option<::sfgen_runtime::RecordId>,"));
    assert!(option.contains("pub result: ::sfgen_runtime::Id<crate::result::Result>,"));

    let only_option = Options {
        objects: Some(vec!["Option".to_owned()]),
        ..edge_case_options(Path::new("unused"))
    };
    let rendered = sfgen::render(&only_option).expect("renders");
    assert_eq!(rendered.objects, 1);
    assert!(rendered.files["src/option.rs"].contains("pub result: ::sfgen_runtime::RecordId,"));
    assert!(!rendered.files.contains_key("src/result.rs"));

    let unknown = Options {
        objects: Some(vec!["Opton".to_owned()]),
        ..edge_case_options(Path::new("unused"))
    };
    match sfgen::render(&unknown) {
        Err(Error::UnknownObject {
            object,
            hint,
            available,
        }) => {
            assert_eq!(
                (object.as_str(), hint.as_str(), available.as_str()),
                (
                    "Opton",
                    "did you mean `Option`?",
                    "Fields__c, Name, Option, Result"
                )
            );
        }
        other => panic!("expected an unknown object, got {other:?}"),
    }
}

#[test]
fn generate_writes_only_changed_files_and_removes_stale_ones() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let options = edge_case_options(dir.path());
    let first = sfgen::generate(&options).expect("generates");
    assert_eq!(first.written.written.len(), 7);
    let second = sfgen::generate(&options).expect("generates");
    assert!(second.written.written.is_empty() && second.written.removed.is_empty());
    assert_eq!(second.written.unchanged, 7);

    // The user's own files in the crate are never touched.
    std::fs::write(dir.path().join("src/helpers.rs"), "// mine\n").expect("writes");
    std::fs::write(dir.path().join("src/notes.txt"), "not ours\n").expect("writes");
    let fewer = Options {
        objects: Some(vec![
            "option".to_owned(),
            "Result".to_owned(),
            "Fields__c".to_owned(),
        ]),
        ..options
    };
    let third = sfgen::generate(&fewer).expect("generates");
    assert_eq!(third.written.removed, ["src/name.rs"]);
    for mine in ["src/helpers.rs", "src/notes.txt"] {
        assert!(dir.path().join(mine).exists(), "{mine} is the user's");
    }
}

#[test]
fn check_lists_changed_missing_and_stale_files_and_the_fix() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let options = edge_case_options(dir.path());
    sfgen::generate(&options).expect("generates");
    assert!(sfgen::check(&options).expect("checks").is_clean());

    std::fs::write(dir.path().join("src/option.rs"), "// edited by hand\n").expect("writes");
    std::fs::remove_file(dir.path().join("src/name.rs")).expect("removes");
    // A module an earlier run wrote (so it is in the owned list) and this one does not.
    std::fs::write(dir.path().join("src/old_object.rs"), "// stale\n").expect("writes");
    let list = dir.path().join(".sfgen-files");
    let mut owned = std::fs::read_to_string(&list).expect("the owned list");
    owned.push_str("src/old_object.rs\n");
    std::fs::write(&list, owned).expect("writes");
    let report = sfgen::check(&options).expect("checks");
    assert_eq!(report.diff.changed, [".sfgen-files", "src/option.rs"]);
    assert_eq!(report.diff.missing, ["src/name.rs"]);
    assert_eq!(report.diff.stale, ["src/old_object.rs"]);
    let fix = format!(
        "sfgen generate --schemas {EDGE_CASES} --out {} --runtime-path ../runtime",
        dir.path().display()
    );
    assert_eq!(report.fix_command, fix);

    let output = Command::new(env!("CARGO_BIN_EXE_sfgen"))
        .args([
            "generate",
            "--check",
            "--schemas",
            EDGE_CASES,
            "--runtime-path",
            "../runtime",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .expect("runs sfgen");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let out = dir.path().display();
    for line in [
        format!("  differs: {out}/.sfgen-files"),
        format!("  differs: {out}/src/option.rs"),
        format!("  missing: {out}/src/name.rs"),
        format!("  stale: {out}/src/old_object.rs"),
        format!("fix it with: {fix}"),
    ] {
        assert!(stderr.lines().any(|l| l == line), "`{line}` in:\n{stderr}");
    }

    sfgen::generate(&options).expect("generates");
    let output = Command::new(env!("CARGO_BIN_EXE_sfgen"))
        .args([
            "generate",
            "--check",
            "--schemas",
            EDGE_CASES,
            "--runtime-path",
            "../runtime",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .expect("runs sfgen");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()))
}

/// The rows of the README table that follows `heading`.
fn readme_table(readme: &str, heading: &str) -> Vec<Vec<String>> {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README has `{heading}`"));
    readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect()
}

/// `` `a`, `b` `` → `["a", "b"]`.
fn code_list(cell: &str) -> Vec<String> {
    cell.split(", ")
        .map(|c| c.trim().trim_matches('`').to_owned())
        .collect()
}

#[test]
fn readme_type_table_is_the_code_table() {
    assert!(
        readme().contains(&sfgen::types::markdown_table()),
        "README's type table:\n{}",
        sfgen::types::markdown_table()
    );
}

#[test]
fn readme_naming_table_matches_the_naming_functions() {
    let rows = readme_table(&readme(), "## Names");
    assert!(rows.len() >= 10, "the naming table has its rows");
    for row in rows {
        let (kind, from, to) = (&row[0], code_list(&row[1]), code_list(&row[2]));
        let mut snake = Namespace::with_reserved(Case::Snake, naming::RESERVED_MODULES);
        let mut camel = Namespace::new(Case::Camel);
        let mut variants = Namespace::with_reserved(Case::Camel, naming::RESERVED_VARIANTS);
        let got: Vec<String> = from
            .iter()
            .map(|name| match kind.as_str() {
                "object" => camel.claim(naming::camel(name), name).ident.code,
                "module" | "field" => snake.claim(naming::snake(name), name).ident.code,
                "picklist value" => variants.claim(naming::variant(name), name).ident.code,
                other => panic!("unknown kind `{other}` in the README's naming table"),
            })
            .collect();
        assert_eq!(got, to, "README row {row:?}");
    }
}

#[test]
fn readme_lists_every_keyword() {
    let readme = readme();
    let line = readme
        .lines()
        .find(|l| l.starts_with("Rust keywords:"))
        .expect("README lists the keywords");
    let listed: Vec<&str> = line
        .trim_start_matches("Rust keywords:")
        .trim_end_matches('.')
        .split(", ")
        .map(|k| k.trim().trim_matches('`'))
        .collect();
    assert_eq!(listed, naming::KEYWORDS);
}
