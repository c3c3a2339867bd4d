//! Reading: describe JSON and the schemas manifest into serde types. Nothing else.

mod describe;
mod describe_type;
mod manifest;
mod names;

use std::path::{Path, PathBuf};

pub use describe::{
    ChildRelationship, Describe, FieldDescribe, PicklistEntry, RawChildRelationship, RawDescribe,
    RawField,
};
pub use describe_type::DescribeType;
pub use manifest::{check_entry, Manifest, ManifestEntry, MANIFEST_FILE};
pub use names::{api_name_problem, is_api_name, manifest_file_problem, shown, MAX_API_NAME};

use crate::Error;

/// The API version assumed when the schemas have no manifest.
pub const DEFAULT_API_VERSION: &str = "59.0";

/// Every describe in a schemas directory, sorted by object API name.
#[derive(Debug, Clone)]
pub struct Schemas {
    /// The API version the snapshot was taken with.
    pub api_version: String,
    /// One entry per object.
    pub objects: Vec<SchemaFile>,
    /// The unified mapping spec (`unified.toml`), when the directory has one.
    pub unified_spec: Option<SpecFile>,
}

/// A text file read with the snapshot, and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFile {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// One object's describe and where it came from.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// The describe file.
    pub path: PathBuf,
    /// The describe file's name, as generated docs cite it.
    pub file_name: String,
    /// The API version of this describe, when the manifest gives one.
    pub api_version: Option<String>,
    /// `recording`, `hand-written`, … as the manifest says.
    pub origin: Option<String>,
    /// The describe.
    pub describe: Describe,
}

/// Reads a schemas directory: the files its `manifest.json` lists, or, without
/// a manifest, every `*.json` in it (the object name then comes from each
/// describe's `name`, never from the file name).
pub fn read_schemas(dir: &Path) -> Result<Schemas, Error> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let (api_version, mut objects) = if manifest_path.is_file() {
        let manifest = Manifest::read(&manifest_path)?;
        let mut objects = Vec::with_capacity(manifest.objects.len());
        for (entry, item) in &manifest.objects {
            let path = dir.join(&item.file);
            let describe = read_describe(&path)?;
            if &describe.name != entry {
                return Err(Error::NameMismatch {
                    entry: entry.clone(),
                    path,
                    found: describe.name,
                });
            }
            objects.push(SchemaFile {
                file_name: item.file.clone(),
                path,
                api_version: item.api_version.clone(),
                origin: item.origin.clone(),
                describe,
            });
        }
        let version = manifest
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        (version, objects)
    } else {
        let mut objects = Vec::new();
        for path in json_files(dir)? {
            let describe = read_describe(&path)?;
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            objects.push(SchemaFile {
                path,
                file_name,
                api_version: None,
                origin: None,
                describe,
            });
        }
        (DEFAULT_API_VERSION.to_owned(), objects)
    };
    if objects.is_empty() {
        return Err(Error::NoDescribes {
            path: dir.to_owned(),
        });
    }
    objects.sort_by(|a, b| {
        a.describe
            .name
            .cmp(&b.describe.name)
            .then_with(|| a.path.cmp(&b.path))
    });
    if let Some(pair) = objects
        .windows(2)
        .find(|w| w[0].describe.name == w[1].describe.name)
    {
        return Err(Error::DuplicateObject {
            object: pair[0].describe.name.clone(),
            first: pair[0].path.clone(),
            second: pair[1].path.clone(),
        });
    }
    case_collision(&objects)?;
    let spec_path = dir.join(crate::unified::SPEC_FILE);
    let unified_spec = if spec_path.is_file() {
        let text = std::fs::read_to_string(&spec_path).map_err(Error::io("read", &spec_path))?;
        Some(SpecFile {
            path: spec_path,
            text,
        })
    } else {
        None
    };
    Ok(Schemas {
        api_version,
        objects,
        unified_spec,
    })
}

/// Objects whose names differ only in case are one object to Salesforce.
fn case_collision(objects: &[SchemaFile]) -> Result<(), Error> {
    let mut seen: std::collections::HashMap<String, &SchemaFile> =
        std::collections::HashMap::with_capacity(objects.len());
    for o in objects {
        if let Some(first) = seen.insert(o.describe.name.to_ascii_lowercase(), o) {
            return Err(Error::CaseCollision {
                first: first.describe.name.clone(),
                first_path: first.path.clone(),
                second: o.describe.name.clone(),
                second_path: o.path.clone(),
            });
        }
    }
    Ok(())
}

/// The `*.json` files of a directory, sorted.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(Error::io("list", dir))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(Error::io("list", dir))?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads and validates one describe file.
pub fn read_describe(path: &Path) -> Result<Describe, Error> {
    let bytes = std::fs::read(path).map_err(Error::io("read", path))?;
    parse_describe(path, &bytes)
}

/// Parses and validates describe JSON; `path` names it in errors.
pub fn parse_describe(path: &Path, bytes: &[u8]) -> Result<Describe, Error> {
    let raw: RawDescribe = parse_json(path, bytes)?;
    validate(path, raw)
}

/// Deserializes JSON, naming the file and the JSON path of any problem.
///
/// Tracking the path costs as much as parsing, so a document is parsed plainly
/// first and again with `serde_path_to_error` only when that fails.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> Result<T, Error> {
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| malformed(path, &e))?;
    de.end().map_err(|e| Error::Malformed {
        path: path.to_owned(),
        at: ".".into(),
        reason: e.to_string(),
    })?;
    Ok(value)
}

fn malformed(path: &Path, e: &serde_path_to_error::Error<serde_json::Error>) -> Error {
    Error::Malformed {
        path: path.to_owned(),
        at: e.path().to_string(),
        reason: e.inner().to_string(),
    }
}

/// Checks that every field carries the keys generation depends on.
pub fn validate(path: &Path, raw: RawDescribe) -> Result<Describe, Error> {
    check_names(path, &raw)?;
    let mut fields = Vec::with_capacity(raw.fields.len());
    for field in raw.fields {
        let missing = |key: &'static str| Error::MissingKey {
            path: path.to_owned(),
            field: field.name.clone(),
            key,
        };
        let createable = field.createable.ok_or_else(|| missing("createable"))?;
        let nillable = field.nillable.ok_or_else(|| missing("nillable"))?;
        let defaulted_on_create = field
            .defaulted_on_create
            .ok_or_else(|| missing("defaultedOnCreate"))?;
        let updateable = field.updateable.ok_or_else(|| missing("updateable"))?;
        fields.push(FieldDescribe {
            raw: field,
            nillable,
            createable,
            updateable,
            defaulted_on_create,
        });
    }
    // Hidden relationships and those SOQL cannot traverse (no name) are left
    // out, as are names that are not API names: a subquery could not spell them.
    let children = raw
        .child_relationships
        .into_iter()
        .filter(|c| !c.deprecated_and_hidden)
        .filter_map(|c| {
            let name = c.relationship_name.filter(|n| is_api_name(n))?;
            Some(ChildRelationship {
                name,
                child_object: c.child_object,
                field: c.field,
            })
        })
        .collect();
    Ok(Describe {
        children,
        name: raw.name,
        label: raw.label,
        key_prefix: raw.key_prefix,
        custom: raw.custom,
        createable: raw.createable,
        updateable: raw.updateable,
        fields,
    })
}

/// Checks every name of a describe that sfgen turns into a path, a Rust name
/// or SOQL: the object's, its fields' (each once, ignoring case), the objects
/// references point at and the relationship names.
fn check_names(path: &Path, raw: &RawDescribe) -> Result<(), Error> {
    let check = |at: String, name: &str| match api_name_problem(name) {
        None => Ok(()),
        Some(problem) => Err(Error::InvalidName {
            path: path.to_owned(),
            at,
            name: name.to_owned(),
            problem,
        }),
    };
    check("the object name".to_owned(), &raw.name)?;
    let object = &raw.name;
    let mut seen: std::collections::HashMap<String, &str> =
        std::collections::HashMap::with_capacity(raw.fields.len());
    for field in &raw.fields {
        check(format!("object `{object}`: the field name"), &field.name)?;
        if let Some(first) = seen.insert(field.name.to_ascii_lowercase(), &field.name) {
            return Err(Error::DuplicateField {
                path: path.to_owned(),
                object: object.clone(),
                first: first.to_owned(),
                second: field.name.clone(),
            });
        }
        let name = &field.name;
        for target in &field.reference_to {
            check(
                format!("object `{object}`, field `{name}`: the `referenceTo` entry"),
                target,
            )?;
        }
        if let Some(relationship) = field.relationship_name.as_deref().filter(|r| !r.is_empty()) {
            check(
                format!("object `{object}`, field `{name}`: the `relationshipName`"),
                relationship,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(extra: &str) -> String {
        format!(r#"{{"name":"X","fields":[{{"name":"F","type":"string"{extra}}}]}}"#)
    }

    #[test]
    fn missing_required_keys_are_named_in_order() {
        let all =
            r#","createable":true,"nillable":true,"defaultedOnCreate":false,"updateable":true"#;
        assert!(parse_describe(Path::new("x.json"), field(all).as_bytes()).is_ok());
        let cases = [
            (
                r#","nillable":true,"defaultedOnCreate":false,"updateable":true"#,
                "createable",
            ),
            (
                r#","createable":true,"defaultedOnCreate":false,"updateable":true"#,
                "nillable",
            ),
            (
                r#","createable":true,"nillable":true,"updateable":true"#,
                "defaultedOnCreate",
            ),
            (
                r#","createable":true,"nillable":true,"defaultedOnCreate":false"#,
                "updateable",
            ),
        ];
        for (keys, missing) in cases {
            match parse_describe(Path::new("x.json"), field(keys).as_bytes()) {
                Err(Error::MissingKey { field, key, .. }) => {
                    assert_eq!((field.as_str(), key), ("F", missing));
                }
                other => panic!("expected a missing `{missing}`, got {other:?}"),
            }
        }
    }

    fn with_fields(object: &str, names: &[&str]) -> String {
        let fields: Vec<String> = names
            .iter()
            .map(|n| {
                format!(
                    r#"{{"name":{},"type":"string","createable":true,"nillable":true,"defaultedOnCreate":false,"updateable":true}}"#,
                    serde_json::Value::from(*n)
                )
            })
            .collect();
        format!(
            r#"{{"name":{},"fields":[{}]}}"#,
            serde_json::Value::from(object),
            fields.join(",")
        )
    }

    #[test]
    fn names_that_are_not_api_names_are_refused_naming_object_and_field() {
        let cases = [
            (
                with_fields("Widget__c", &["Bad Name__c"]),
                "`x.json`: object `Widget__c`: the field name \"Bad Name__c\" is not a Salesforce \
                 API name: it holds a space; API names hold only ASCII letters, digits and `_`",
            ),
            (
                with_fields("Widget__c", &["A\0B"]),
                "`x.json`: object `Widget__c`: the field name \"A\\0B\" is not a Salesforce API \
                 name: it holds a NUL character; API names hold only ASCII letters, digits and `_`",
            ),
            (
                with_fields("Widget__c", &["X*/Y"]),
                "`x.json`: object `Widget__c`: the field name \"X*/Y\" is not a Salesforce API \
                 name: it holds `*`; API names hold only ASCII letters, digits and `_`",
            ),
            (
                with_fields("Widget__c", &["Q\"uote"]),
                "`x.json`: object `Widget__c`: the field name \"Q\\\"uote\" is not a Salesforce \
                 API name: it holds a quote (\"); API names hold only ASCII letters, digits and `_`",
            ),
            (
                with_fields("../Widget", &["Id"]),
                "`x.json`: the object name \"../Widget\" is not a Salesforce API name: it holds \
                 `.`; API names hold only ASCII letters, digits and `_`",
            ),
        ];
        for (json, message) in cases {
            let err = parse_describe(Path::new("x.json"), json.as_bytes()).expect_err(message);
            assert_eq!(err.to_string(), message);
        }
        let reference = r#"{"name":"W","fields":[{"name":"A","type":"reference","createable":true,
            "nillable":true,"defaultedOnCreate":false,"updateable":true,"referenceTo":["Acc'ount"]}]}"#;
        let err = parse_describe(Path::new("x.json"), reference.as_bytes()).expect_err("refused");
        assert!(
            err.to_string().starts_with(
                "`x.json`: object `W`, field `A`: the `referenceTo` entry \"Acc'ount\""
            ),
            "{err}"
        );
        assert!(parse_describe(
            Path::new("x.json"),
            with_fields("123__c", &["1x__c"]).as_bytes()
        )
        .is_ok());
    }

    #[test]
    fn fields_named_twice_or_differing_only_in_case_are_refused() {
        let twice = with_fields("Widget__c", &["Id", "Size__c", "Size__c"]);
        let err = parse_describe(Path::new("x.json"), twice.as_bytes()).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "`x.json`: object `Widget__c` has the field `Size__c` twice, and Salesforce API names \
             are case-insensitive: they are one field, which sfgen will not generate twice (remove \
             one from the describe)"
        );
        let case = with_fields("Widget__c", &["Size__c", "size__C"]);
        let err = parse_describe(Path::new("x.json"), case.as_bytes()).expect_err("refused");
        assert!(
            err.to_string().contains(
                "has the fields `Size__c` and `size__C`, whose names differ only in case"
            ),
            "{err}"
        );
    }

    #[test]
    fn objects_differing_only_in_case_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["Widget__c", "widget__c"] {
            std::fs::write(
                dir.path().join(format!("{name}-file.json")),
                with_fields(name, &["Id"]),
            )
            .expect("writes");
        }
        let err = read_schemas(dir.path()).expect_err("refused");
        let text = err.to_string();
        assert!(
            text.starts_with("objects `Widget__c` (in `")
                && text.contains("and `widget__c` (in `")
                && text.contains("differ only in case"),
            "{text}"
        );
    }

    #[test]
    fn malformed_json_names_the_path() {
        let json = field(r#","createable":"yes""#);
        let err = parse_describe(Path::new("x.json"), json.as_bytes())
            .expect_err("a string is not a bool");
        assert_eq!(
            err.to_string(),
            "`x.json` is malformed at `fields[0].createable`: invalid type: string \"yes\", expected a boolean at line 1 column 68"
        );
    }

    #[test]
    fn nulls_and_missing_optional_keys_default() {
        let json = r#"{"name":"X","label":null,"fields":[{"name":"F","type":"picklist","createable":true,
            "nillable":false,"defaultedOnCreate":false,"updateable":true,"length":null,"referenceTo":null,
            "picklistValues":[{"value":"A","active":null}],"someFutureKey":{"x":1}}]}"#;
        let d = parse_describe(Path::new("x.json"), json.as_bytes()).expect("valid");
        assert_eq!(d.label, "");
        assert_eq!(d.fields[0].raw.length, 0);
        assert!(d.fields[0].raw.picklist_values[0].active);
        assert!(d.fields[0].raw.reference_to.is_empty());
    }
}
