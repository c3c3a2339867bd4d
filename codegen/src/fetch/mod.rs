//! `sfgen fetch`: describes from a live org into a schemas directory.
//!
//! 1. the global describe (`GET /sobjects`), one round trip;
//! 2. selection by names, globs, `--all`, `--custom-only` ([`select`]);
//! 3. the describes in Composite requests of up to 25 subrequests, a bounded
//!    number in flight, through the runtime's client (its rate limits, retries
//!    and session renewal) ([`composite`]); a describe the snapshot already
//!    holds, fetched by the same user of the same org with the same API
//!    version, is asked for with `If-Modified-Since` and kept on 304;
//! 4. one pretty-printed file per object (sorted keys, trailing newline),
//!    written only when its bytes change, and the manifest updated
//!    ([`crate::manifest_write`]);
//! 5. a failure on one object is collected in the report; the others are kept.

pub mod composite;
pub mod progress;
pub mod select;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use futures::StreamExt;
use serde::Serialize;
use sfgen_runtime::Request;

use crate::connect::Connection;
use crate::manifest_write::{self, FetchedEntry, FetchedFrom, ManifestDoc, WriteError};
use composite::{Outcome, Wanted, MAX_SUBREQUESTS};
use progress::{Progress, Tally};
use select::{GlobalDescribe, Selection, Which, DEFAULT_OBJECTS};

/// The default number of Composite requests in flight.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// What to fetch and where to.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The schemas directory (created if missing).
    pub schemas: PathBuf,
    /// Names and globs; `None` with `all` false means the snapshot's objects, or
    /// [`DEFAULT_OBJECTS`] when it has no manifest (all custom objects with `custom_only`).
    pub objects: Option<Vec<String>>,
    /// Every describable object.
    pub all: bool,
    /// Only custom objects.
    pub custom_only: bool,
    /// Composite requests in flight (at least 1).
    pub concurrency: usize,
    /// Fetch every describe in full, without `If-Modified-Since`.
    pub force: bool,
    /// Remove from the snapshot the selected objects the org no longer has,
    /// instead of reporting them as failures.
    pub prune_missing: bool,
}

impl FetchOptions {
    /// Options for `dir` with the defaults.
    pub fn new(schemas: impl Into<PathBuf>) -> Self {
        FetchOptions {
            schemas: schemas.into(),
            objects: None,
            all: false,
            custom_only: false,
            concurrency: DEFAULT_CONCURRENCY,
            force: false,
            prune_missing: false,
        }
    }
}

/// An object that could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The object's API name.
    pub object: String,
    /// Why.
    pub reason: String,
}

/// What a fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchReport {
    /// The API version used.
    pub api_version: String,
    /// Objects selected.
    pub selected: usize,
    /// Objects whose file was written (new or changed).
    pub written: Vec<String>,
    /// Objects whose file was kept (304, or the same bytes).
    pub unchanged: Vec<String>,
    /// How many of `unchanged` the org answered 304 Not Modified (`If-Modified-Since`).
    pub not_modified: usize,
    /// Objects that could not be fetched.
    pub failed: Vec<Failure>,
    /// Objects the org no longer has, removed from the snapshot (`prune_missing`).
    pub removed: Vec<String>,
    /// Objects left out: not describable, or not custom with `--custom-only`.
    pub skipped: Vec<String>,
    /// Globs that matched nothing.
    pub unmatched: Vec<String>,
    /// HTTP round trips: the global describe plus the Composite requests.
    pub requests: usize,
    /// Whether `manifest.json` was written.
    pub manifest_written: bool,
}

/// What stops a fetch as a whole.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// An `--objects` glob is invalid.
    #[error("`--objects` has an invalid glob: {0}")]
    Glob(#[from] glob::PatternError),
    /// The global describe failed.
    #[error("cannot list the org's objects (GET /sobjects): {0}")]
    GlobalDescribe(Box<sfgen_runtime::Error>),
    /// The snapshot could not be read or written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// One selected object and how to fetch it.
struct Planned {
    object: String,
    file: String,
    if_modified_since: Option<String>,
}

/// Fetches describes from the connected org into `options.schemas`.
pub async fn fetch(
    connection: &Connection,
    options: &FetchOptions,
    progress: &dyn Progress,
) -> Result<FetchReport, FetchError> {
    let dir = &options.schemas;
    std::fs::create_dir_all(dir).map_err(|source| {
        WriteError::Io(crate::error::IoError {
            action: "create",
            path: dir.clone(),
            source,
        })
    })?;
    let mut manifest = ManifestDoc::load(dir)?;
    let version = connection.api_version.as_str();
    let mut report = FetchReport {
        api_version: version.to_owned(),
        ..FetchReport::default()
    };

    let global: GlobalDescribe = connection
        .client
        .send(Request::get(format!("/services/data/v{version}/sobjects")))
        .await
        .and_then(|r| r.json())
        .map_err(|e| FetchError::GlobalDescribe(Box::new(e)))?;
    report.requests += 1;
    let selection = select::select(
        &global.sobjects,
        &which(options, manifest.as_ref())?,
        options.custom_only,
    );
    let Selection {
        objects,
        missing,
        skipped,
        unmatched,
    } = selection;
    report.selected = objects.len();
    // Names reach the terminal: control characters in them are escaped.
    report.skipped = skipped
        .into_iter()
        .map(|n| n.escape_debug().to_string())
        .collect();
    report.unmatched = unmatched;
    // A name becomes a file name: one that is not an API name (`../x`,
    // `/abs/x`) is refused before anything is asked for or written.
    let (objects, refused): (Vec<String>, Vec<String>) = objects
        .into_iter()
        .partition(|o| crate::read::is_api_name(o));
    for name in refused {
        let problem = crate::read::api_name_problem(&name).unwrap_or_default();
        report.failed.push(Failure {
            object: name.escape_debug().to_string(),
            reason: format!(
                "the org lists the object {}, which is not a Salesforce API name: it {problem}; \
                 sfgen neither fetches it nor writes a file for it",
                crate::read::shown(&name)
            ),
        });
    }

    let plans: Vec<Planned> = objects
        .into_iter()
        .map(|object| plan(object, dir, manifest.as_ref(), connection, options))
        .collect();
    let batches: Vec<Vec<Wanted>> = plans
        .chunks(MAX_SUBREQUESTS)
        .map(|chunk| {
            chunk
                .iter()
                .map(|p| Wanted {
                    object: p.object.clone(),
                    if_modified_since: p.if_modified_since.clone(),
                })
                .collect()
        })
        .collect();
    progress.start(plans.len(), batches.len());
    report.requests += batches.len();

    let client = &connection.client;
    let mut results = futures::stream::iter(batches.iter())
        .map(|batch| composite::describe_batch(client, version, batch))
        .buffer_unordered(options.concurrency.max(1));
    let mut tally = Tally {
        total: plans.len(),
        ..Tally::default()
    };
    let by_name: HashMap<&str, &Planned> = plans.iter().map(|p| (p.object.as_str(), p)).collect();
    let mut fetched: Vec<(String, FetchedEntry)> = Vec::new();
    while let Some(outcomes) = results.next().await {
        for (object, outcome) in outcomes {
            // Answers only come for the objects asked for; anything else is ignored.
            let Some(&planned) = by_name.get(object.as_str()) else {
                continue;
            };
            match keep(planned, outcome, dir, connection) {
                Ok(Kept::Written(entry)) => {
                    report.written.push(object.clone());
                    fetched.push((object, entry));
                    tally.written += 1;
                }
                Ok(Kept::Same(entry)) => {
                    report.unchanged.push(object.clone());
                    match entry {
                        Some(entry) => fetched.push((object, entry)),
                        None => report.not_modified += 1,
                    }
                    tally.unchanged += 1;
                }
                Err(reason) => {
                    report.failed.push(Failure { object, reason });
                    tally.failed += 1;
                }
            }
            tally.done += 1;
        }
        progress.update(&tally);
    }
    drop(results);
    progress.finish(&tally);

    let doc = manifest.get_or_insert_with(ManifestDoc::default);
    for (object, reason) in missing {
        let in_snapshot = doc.object_names().contains(&object);
        if options.prune_missing && in_snapshot {
            if let Some(file) = doc.object_key(&object, "file").map(str::to_owned) {
                remove_file(&dir.join(file))?;
            }
            doc.remove(&object);
            report.removed.push(object);
        } else {
            report.failed.push(Failure { object, reason });
        }
    }
    for (object, entry) in &fetched {
        doc.set_fetched(object, entry);
    }
    if !fetched.is_empty() || !report.unchanged.is_empty() || !report.removed.is_empty() {
        doc.set_fetched_from(&FetchedFrom {
            api_version: version.to_owned(),
            instance_url: connection.client.instance_url().to_string(),
            org_id: connection.identity.org_id.clone(),
            username: connection.identity.username.clone(),
            user_id: connection.identity.user_id.clone(),
        });
        report.manifest_written = doc.write(dir)?;
    }
    for list in [
        &mut report.written,
        &mut report.unchanged,
        &mut report.removed,
    ] {
        list.sort();
    }
    report.failed.sort_by(|a, b| a.object.cmp(&b.object));
    Ok(report)
}

/// What to select: `--all`, the given names, the snapshot's objects, or the defaults.
fn which(options: &FetchOptions, manifest: Option<&ManifestDoc>) -> Result<Which, FetchError> {
    if options.all {
        return Ok(Which::All);
    }
    if let Some(items) = &options.objects {
        return Ok(Which::Some(select::parse_selectors(items)?));
    }
    if options.custom_only {
        return Ok(Which::All);
    }
    let names: Vec<String> = match manifest
        .map(ManifestDoc::object_names)
        .filter(|n| !n.is_empty())
    {
        Some(names) => names,
        None => DEFAULT_OBJECTS.iter().map(|s| (*s).to_owned()).collect(),
    };
    Ok(Which::Some(
        names.into_iter().map(select::Selector::Name).collect(),
    ))
}

/// The file for an object and whether its copy in the snapshot can be reused:
/// same org, same user, same API version, and the file's bytes unchanged since
/// they were fetched.
fn plan(
    object: String,
    dir: &Path,
    manifest: Option<&ManifestDoc>,
    connection: &Connection,
    options: &FetchOptions,
) -> Planned {
    let file = manifest
        .and_then(|m| m.object_key(&object, "file"))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{object}.json"));
    let if_modified_since = manifest.filter(|_| !options.force).and_then(|m| {
        let identity = &connection.identity;
        let same_source = m.key("orgId") == identity.org_id.as_deref()
            && m.key("fetchedBy") == identity.username.as_deref()
            && m.object_key(&object, "apiVersion") == Some(connection.api_version.as_str())
            && m.object_key(&object, "origin") == Some("org");
        let since = m.object_key(&object, "lastModified")?;
        let sha = m.object_key(&object, "sha256")?;
        let bytes = std::fs::read(dir.join(&file)).ok()?;
        (same_source && manifest_write::sha256_hex(&bytes) == sha).then(|| since.to_owned())
    });
    Planned {
        object,
        file,
        if_modified_since,
    }
}

/// What happened to an object's file.
enum Kept {
    /// Written (new or changed bytes).
    Written(FetchedEntry),
    /// Left alone: the same bytes (with a fresh entry), or a 304 (entry unchanged).
    Same(Option<FetchedEntry>),
}

/// Validates and writes a fetched describe, or keeps the file on 304.
fn keep(
    planned: &Planned,
    outcome: Outcome,
    dir: &Path,
    connection: &Connection,
) -> Result<Kept, String> {
    let path = dir.join(&planned.file);
    match outcome {
        Outcome::Failed(reason) => Err(reason),
        Outcome::NotModified if path.is_file() => Ok(Kept::Same(None)),
        Outcome::NotModified => Err(format!(
            "the org answered 304 Not Modified but `{}` is gone",
            path.display()
        )),
        Outcome::Fetched {
            body,
            last_modified,
        } => {
            let text = manifest_write::pretty(body);
            let describe =
                crate::read::parse_describe(&path, text.as_bytes()).map_err(|e| e.to_string())?;
            if describe.name != planned.object {
                return Err(format!(
                    "asked for `{}`, the org described `{}`",
                    planned.object, describe.name
                ));
            }
            let version = &connection.api_version;
            let entry = FetchedEntry {
                file: planned.file.clone(),
                api_version: version.clone(),
                source: format!(
                    "{}services/data/v{version}/sobjects/{}/describe",
                    connection.client.instance_url(),
                    planned.object
                ),
                sha256: manifest_write::sha256_hex(text.as_bytes()),
                last_modified,
            };
            match manifest_write::write_if_changed(&path, text.as_bytes()) {
                Ok(true) => Ok(Kept::Written(entry)),
                Ok(false) => Ok(Kept::Same(Some(entry))),
                Err(e) => Err(e.to_string()),
            }
        }
    }
}

fn remove_file(path: &Path) -> Result<(), WriteError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(WriteError::Io(crate::error::IoError {
            action: "remove",
            path: path.to_owned(),
            source,
        })),
    }
}
