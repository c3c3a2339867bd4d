//! Which objects to fetch: the org's global describe filtered by names and
//! globs (case-insensitively, as Salesforce treats API names), `--all` and
//! `--custom-only`, leaving out what cannot be described.

use std::collections::{BTreeMap, BTreeSet};

use glob::{MatchOptions, Pattern};
use serde::Deserialize;

/// The objects sfgen fetches when neither `--objects` nor `--all` is given and
/// the schemas directory has no manifest yet: the standard CRM objects.
pub const DEFAULT_OBJECTS: &[&str] = &[
    "Account",
    "Campaign",
    "Case",
    "Contact",
    "Event",
    "Lead",
    "Note",
    "Opportunity",
    "OpportunityContactRole",
    "OpportunityStage",
    "Task",
    "User",
];

/// `GET /sobjects`: the org's objects.
#[derive(Debug, Clone, Deserialize)]
pub struct GlobalDescribe {
    /// One entry per object.
    pub sobjects: Vec<GlobalEntry>,
}

/// One object of the global describe (only what selection uses).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalEntry {
    /// The API name.
    pub name: String,
    /// Whether it is a custom object.
    #[serde(default)]
    pub custom: bool,
    /// Deprecated and hidden objects cannot be described.
    #[serde(default)]
    pub deprecated_and_hidden: bool,
    /// The object's resource URLs; an object without a `describe` URL cannot be described.
    #[serde(default)]
    pub urls: Option<BTreeMap<String, String>>,
}

impl GlobalEntry {
    /// Whether `/sobjects/<name>/describe` can be fetched.
    pub fn describable(&self) -> bool {
        !self.deprecated_and_hidden
            && self
                .urls
                .as_ref()
                .is_none_or(|u| u.contains_key("describe"))
    }
}

/// One `--objects` item: an API name or a glob (`*__c`, `Opportunity*`).
#[derive(Debug, Clone)]
pub enum Selector {
    /// An API name.
    Name(String),
    /// A glob over API names.
    Glob(Pattern),
}

/// Parses `--objects` items; anything with `*`, `?` or `[` is a glob.
pub fn parse_selectors(items: &[String]) -> Result<Vec<Selector>, glob::PatternError> {
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.contains(['*', '?', '[']) {
                Pattern::new(s).map(Selector::Glob)
            } else {
                Ok(Selector::Name(s.to_owned()))
            }
        })
        .collect()
}

/// What to select.
#[derive(Debug, Clone)]
pub enum Which {
    /// These names and globs.
    Some(Vec<Selector>),
    /// Every describable object.
    All,
}

/// The outcome of a selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The objects to fetch, by their org spelling, sorted.
    pub objects: Vec<String>,
    /// Names asked for that cannot be fetched, with the reason.
    pub missing: Vec<(String, String)>,
    /// Objects a glob or `--all` matched that cannot be described, or that
    /// `--custom-only` left out.
    pub skipped: Vec<String>,
    /// Globs that matched nothing.
    pub unmatched: Vec<String>,
}

const CASE_INSENSITIVE: MatchOptions = MatchOptions {
    case_sensitive: false,
    require_literal_separator: false,
    require_literal_leading_dot: false,
};

/// Selects objects of the global describe.
pub fn select(org: &[GlobalEntry], which: &Which, custom_only: bool) -> Selection {
    let by_name: BTreeMap<String, &GlobalEntry> = org
        .iter()
        .map(|e| (e.name.to_ascii_lowercase(), e))
        .collect();
    let mut picked: BTreeSet<&str> = BTreeSet::new();
    let mut skipped: BTreeSet<&str> = BTreeSet::new();
    let mut out = Selection::default();
    let wanted = |e: &GlobalEntry| e.describable() && (!custom_only || e.custom);
    match which {
        Which::All => {
            for entry in org {
                if wanted(entry) {
                    picked.insert(entry.name.as_str());
                } else {
                    skipped.insert(entry.name.as_str());
                }
            }
        }
        Which::Some(selectors) => {
            for selector in selectors {
                match selector {
                    Selector::Name(name) => match by_name.get(&name.to_ascii_lowercase()) {
                        None => out.missing.push((
                            name.clone(),
                            "not in the org's global describe (misspelled, or not visible to this user)".to_owned(),
                        )),
                        Some(entry) if !entry.describable() => {
                            out.missing.push((entry.name.clone(), "the org says it cannot be described".to_owned()))
                        }
                        Some(entry) if wanted(entry) => {
                            picked.insert(entry.name.as_str());
                        }
                        Some(entry) => {
                            skipped.insert(entry.name.as_str());
                        }
                    },
                    Selector::Glob(pattern) => {
                        let mut matched = false;
                        for entry in org.iter().filter(|e| pattern.matches_with(&e.name, CASE_INSENSITIVE)) {
                            matched = true;
                            if wanted(entry) {
                                picked.insert(entry.name.as_str());
                            } else {
                                skipped.insert(entry.name.as_str());
                            }
                        }
                        if !matched {
                            out.unmatched.push(pattern.as_str().to_owned());
                        }
                    }
                }
            }
        }
    }
    skipped.retain(|name| !picked.contains(name));
    out.objects = picked.into_iter().map(str::to_owned).collect();
    out.skipped = skipped.into_iter().map(str::to_owned).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, custom: bool, describable: bool) -> GlobalEntry {
        GlobalEntry {
            name: name.into(),
            custom,
            deprecated_and_hidden: !describable,
            urls: None,
        }
    }

    fn org() -> Vec<GlobalEntry> {
        vec![
            entry("Account", false, true),
            entry("Contact", false, true),
            entry("Invoice__c", true, true),
            entry("Old__c", true, false),
            entry("Opportunity", false, true),
            entry("OpportunityStage", false, true),
        ]
    }

    fn names(items: &[&str]) -> Which {
        Which::Some(
            parse_selectors(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .expect("valid"),
        )
    }

    #[test]
    fn names_and_globs_select_case_insensitively() {
        let s = select(
            &org(),
            &names(&["account", "Opportunity*", "*__c", "Nope", "Zz*"]),
            false,
        );
        assert_eq!(
            s.objects,
            ["Account", "Invoice__c", "Opportunity", "OpportunityStage"]
        );
        assert_eq!(s.skipped, ["Old__c"]);
        assert_eq!(s.missing.len(), 1);
        assert_eq!(s.missing[0].0, "Nope");
        assert_eq!(s.unmatched, ["Zz*"]);
    }

    #[test]
    fn all_and_custom_only() {
        let s = select(&org(), &Which::All, true);
        assert_eq!(s.objects, ["Invoice__c"]);
        assert!(
            s.skipped.contains(&"Old__c".to_owned()) && s.skipped.contains(&"Account".to_owned())
        );
        let s = select(&org(), &Which::All, false);
        assert_eq!(s.objects.len(), 5);
    }

    #[test]
    fn a_named_object_that_cannot_be_described_is_reported() {
        let s = select(&org(), &names(&["Old__c"]), false);
        assert!(s.objects.is_empty());
        assert_eq!(
            s.missing,
            [(
                "Old__c".to_owned(),
                "the org says it cannot be described".to_owned()
            )]
        );
    }

    #[test]
    fn urls_without_describe_are_not_describable() {
        let mut e = entry("X", false, true);
        e.urls = Some(BTreeMap::from([("sobject".to_owned(), "/x".to_owned())]));
        assert!(!e.describable());
        e.urls = Some(BTreeMap::from([(
            "describe".to_owned(),
            "/x/describe".to_owned(),
        )]));
        assert!(e.describable());
    }
}
