//! Synthetic orgs: many describes built from the field shapes of real ones.
//!
//! Real orgs hold 500 to 3,000 objects, most of them small and a few with
//! hundreds of fields. The recordings hold about twenty real describes; a
//! synthetic org reuses their fields (types, lengths, picklists, nillable,
//! createable, defaults, help texts) verbatim, so the generator meets real
//! shapes, and spreads them over as many objects as asked with real-org sizes
//! ([`sizes`]: median 12 fields, a tail to 800).
//!
//! - Object names come from a real global describe when one is given (787 real
//!   names in the recordings), then `Synthetic0001__c`, …; key prefixes are
//!   `a00`, `a01`, … (unique, as custom objects' are).
//! - Every object has an `Id`; its other fields are drawn from the pool. A name
//!   already taken in the object (case-insensitively) becomes `<Name><n>__c`.
//! - References are re-pointed at objects of the synthetic org (as many targets
//!   as the real field had, so polymorphic ones stay polymorphic).
//! - Compound fields (`address`, `location`) are left out, and components lose
//!   their `compoundFieldName`, since their compound is not there.
//!
//! The same pool, names and seed give the same describes, byte for byte.

mod rng;
pub mod sizes;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

pub use rng::Rng;

/// Field types a synthetic object never draws: compounds need their components.
const SKIPPED_TYPES: &[&str] = &["id", "address", "location"];

/// The seed the benchmark builds its synthetic orgs with, so runs compare.
pub const DEFAULT_SEED: u64 = 0x5f6e_2024;

/// The API version written into describes' URLs.
const API_VERSION: &str = "59.0";

/// Why a pool or an org could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// A file or directory could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// Where.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A file is not the JSON expected.
    #[error("{path} is not a describe: {reason}")]
    Json {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// No field to build objects from.
    #[error("no usable field in the describes given (need at least one `Id` field and one other)")]
    EmptyPool,
}

/// The fields synthetic objects are built from.
#[derive(Debug, Clone)]
pub struct FieldPool {
    id: Value,
    fields: Vec<Value>,
}

impl FieldPool {
    /// The fields of every describe in `describes` (each a `GET …/describe` body).
    pub fn from_describes(describes: &[Value]) -> Result<FieldPool, SynthError> {
        let mut id = None;
        let mut fields = Vec::new();
        for field in describes
            .iter()
            .filter_map(|d| d.get("fields")?.as_array())
            .flatten()
        {
            let ty = field
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let hidden = field
                .get("deprecatedAndHidden")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if field.get("name").and_then(Value::as_str).is_none() || hidden {
                continue;
            }
            if ty == "id" {
                id.get_or_insert_with(|| field.clone());
            } else if !SKIPPED_TYPES.contains(&ty) {
                let mut field = field.clone();
                if let Some(map) = field.as_object_mut() {
                    map.insert("compoundFieldName".to_owned(), Value::Null);
                }
                fields.push(field);
            }
        }
        match id {
            Some(id) if !fields.is_empty() => Ok(FieldPool { id, fields }),
            _ => Err(SynthError::EmptyPool),
        }
    }

    /// The fields of every `*.json` describe in `dir` (e.g. the recordings'
    /// `describe/full/`), read in file-name order.
    pub fn from_dir(dir: &Path) -> Result<FieldPool, SynthError> {
        let describes = json_files(dir)?
            .iter()
            .map(|p| read_json(p))
            .collect::<Result<Vec<_>, _>>()?;
        FieldPool::from_describes(&describes)
    }

    /// How many fields the pool holds (besides `Id`).
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the pool has no field besides `Id` (never, once built).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// `count` object names: the real names first (sorted, deduplicated), then
/// `Synthetic0001__c`, `Synthetic0002__c`, ….
pub fn object_names(real: &[String], count: usize) -> Vec<String> {
    let mut names: Vec<String> = real.to_vec();
    names.sort();
    names.dedup();
    names.truncate(count);
    let taken: HashSet<String> = names.iter().cloned().collect();
    let mut n = 0;
    while names.len() < count {
        n += 1;
        let name = format!("Synthetic{n:04}__c");
        if !taken.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The object names of a global describe body (`GET /sobjects`).
pub fn global_names(path: &Path) -> Result<Vec<String>, SynthError> {
    let global = read_json(path)?;
    let objects = global
        .get("sobjects")
        .and_then(Value::as_array)
        .ok_or_else(|| SynthError::Json {
            path: path.to_owned(),
            reason: "no `sobjects` array".into(),
        })?;
    Ok(objects
        .iter()
        .filter_map(|o| o.get("name")?.as_str().map(str::to_owned))
        .collect())
}

/// A synthetic org: one describe per object, sorted by name.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticOrg {
    /// The describes, as `GET /sobjects/<X>/describe` returns them.
    pub describes: Vec<Value>,
}

impl SyntheticOrg {
    /// Builds one describe per name from `pool`, sizes from [`sizes::field_counts`]
    /// in an order shuffled by `seed`.
    pub fn build(pool: &FieldPool, names: &[String], seed: u64) -> SyntheticOrg {
        let mut rng = Rng::new(seed);
        let mut counts = sizes::field_counts(names.len());
        rng.shuffle(&mut counts);
        let describes = names
            .iter()
            .zip(counts)
            .enumerate()
            .map(|(i, (name, count))| object(pool, names, i, name, count, &mut rng))
            .collect();
        SyntheticOrg { describes }
    }

    /// The objects' API names, in order.
    pub fn names(&self) -> Vec<String> {
        self.describes
            .iter()
            .filter_map(|d| d.get("name")?.as_str().map(str::to_owned))
            .collect()
    }

    /// Each object's field count, in order.
    pub fn field_counts(&self) -> Vec<usize> {
        self.describes
            .iter()
            .map(|d| {
                d.get("fields")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            })
            .collect()
    }

    /// Writes `<Name>.json` per object (pretty-printed, trailing newline) into
    /// `dir`, a plain describe directory both sfgen and the fake org read.
    pub fn write_dir(&self, dir: &Path) -> Result<(), SynthError> {
        std::fs::create_dir_all(dir).map_err(|source| SynthError::Io {
            action: "creating",
            path: dir.to_owned(),
            source,
        })?;
        for describe in &self.describes {
            let name = describe
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("unnamed");
            let path = dir.join(format!("{name}.json"));
            let mut text =
                serde_json::to_string_pretty(describe).map_err(|e| SynthError::Json {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
            text.push('\n');
            std::fs::write(&path, text).map_err(|source| SynthError::Io {
                action: "writing",
                path,
                source,
            })?;
        }
        Ok(())
    }
}

/// The key prefix of the `i`-th object: `a00`, `a01`, … `azz`, `b00`, ….
pub fn key_prefix(i: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let first = b'a' + ((i / (36 * 36)) % 26) as u8;
    let bytes = [first, DIGITS[(i / 36) % 36], DIGITS[i % 36]];
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A relationship name for a reference field: `AccountId` → `Account`,
/// `Owner__c` → `Owner__r`, anything else gets `Ref`.
fn relationship_name(field: &str) -> String {
    if let Some(stem) = field.strip_suffix("__c") {
        format!("{stem}__r")
    } else if let Some(stem) = field.strip_suffix("Id").filter(|s| !s.is_empty()) {
        stem.to_owned()
    } else {
        format!("{field}Ref")
    }
}

/// A name not yet in `taken` (lowercased): `name`, else `<stem><n>__c`.
fn unique_name(name: &str, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.to_ascii_lowercase()) {
        return name.to_owned();
    }
    let stem = name.strip_suffix("__c").unwrap_or(name);
    let mut n = 2;
    loop {
        let candidate = format!("{stem}{n}__c");
        if taken.insert(candidate.to_ascii_lowercase()) {
            return candidate;
        }
        n += 1;
    }
}

/// One field drawn from the pool, renamed if needed, references re-pointed.
fn field(pool: &FieldPool, names: &[String], taken: &mut HashSet<String>, rng: &mut Rng) -> Value {
    let mut field = pool.fields[rng.below(pool.fields.len())].clone();
    let Some(map) = field.as_object_mut() else {
        return field;
    };
    let original = map
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("Field")
        .to_owned();
    let name = unique_name(&original, taken);
    if name != original {
        map.insert("custom".to_owned(), Value::Bool(true));
    }
    if map.get("type").and_then(Value::as_str) == Some("reference") {
        let targets = map
            .get("referenceTo")
            .and_then(Value::as_array)
            .map_or(1, Vec::len)
            .max(1);
        let mut picked: Vec<String> = (0..targets)
            .map(|_| names[rng.below(names.len())].clone())
            .collect();
        picked.sort();
        picked.dedup();
        map.insert("referenceTo".to_owned(), json!(picked));
        map.insert(
            "relationshipName".to_owned(),
            Value::String(relationship_name(&name)),
        );
    }
    map.insert("name".to_owned(), Value::String(name));
    field
}

/// The label of an API name: `Synthetic0001__c` → `Synthetic0001`.
fn label(name: &str) -> String {
    name.strip_suffix("__c").unwrap_or(name).replace('_', " ")
}

/// The describe of the `index`-th object.
fn object(
    pool: &FieldPool,
    names: &[String],
    index: usize,
    name: &str,
    count: usize,
    rng: &mut Rng,
) -> Value {
    let mut taken = HashSet::from(["id".to_owned()]);
    let mut fields = Vec::with_capacity(count);
    fields.push(pool.id.clone());
    while fields.len() < count {
        fields.push(field(pool, names, &mut taken, rng));
    }
    let base = format!("/services/data/v{API_VERSION}/sobjects/{name}");
    let mut describe = Map::new();
    let flags = [
        "createable",
        "deletable",
        "layoutable",
        "queryable",
        "retrieveable",
        "searchable",
        "triggerable",
        "undeletable",
        "updateable",
    ];
    for flag in flags {
        describe.insert(flag.to_owned(), Value::Bool(true));
    }
    describe.insert("childRelationships".to_owned(), json!([]));
    describe.insert("custom".to_owned(), Value::Bool(name.ends_with("__c")));
    describe.insert("customSetting".to_owned(), Value::Bool(false));
    describe.insert("fields".to_owned(), Value::Array(fields));
    describe.insert("keyPrefix".to_owned(), Value::String(key_prefix(index)));
    describe.insert("label".to_owned(), Value::String(label(name)));
    describe.insert(
        "labelPlural".to_owned(),
        Value::String(format!("{}s", label(name))),
    );
    describe.insert("name".to_owned(), Value::String(name.to_owned()));
    describe.insert("recordTypeInfos".to_owned(), json!([]));
    describe.insert(
        "urls".to_owned(),
        json!({
            "describe": format!("{base}/describe"),
            "rowTemplate": format!("{base}/{{ID}}"),
            "sobject": base,
        }),
    );
    Value::Object(describe)
}

fn read_json(path: &Path) -> Result<Value, SynthError> {
    let text = std::fs::read_to_string(path).map_err(|source| SynthError::Io {
        action: "reading",
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| SynthError::Json {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>, SynthError> {
    let entries = std::fs::read_dir(dir).map_err(|source| SynthError::Io {
        action: "listing",
        path: dir.to_owned(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| SynthError::Io {
                action: "listing",
                path: dir.to_owned(),
                source,
            })?
            .path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests;
