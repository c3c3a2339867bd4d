//! Picking objects by `--objects` / the project's `objects`: API names and
//! globs, matched ignoring case as Salesforce does, with "did you mean" for a
//! name that matches nothing.

use std::collections::BTreeSet;

use glob::{MatchOptions, Pattern};

use crate::Error;

const CASE_INSENSITIVE: MatchOptions = MatchOptions {
    case_sensitive: false,
    require_literal_separator: false,
    require_literal_leading_dot: false,
};

/// Whether a selector is a glob (`*`, `?` or `[`) rather than a name.
fn is_glob(selector: &str) -> bool {
    selector.contains(['*', '?', '['])
}

/// The names of `known` that `wanted` selects, in `known`'s spelling. A name
/// that matches no object is an error naming the closest one; a glob that
/// matches nothing is an error too, since generating fewer objects than asked
/// silently would hide the mistake.
pub fn pick<'a>(known: &[&'a str], wanted: &[String]) -> Result<BTreeSet<&'a str>, Error> {
    let mut picked = BTreeSet::new();
    for selector in wanted {
        let selector = selector.trim();
        if is_glob(selector) {
            let pattern = Pattern::new(selector).map_err(|e| Error::UnknownObject {
                object: selector.to_owned(),
                hint: format!("it is not a valid glob: {}", e.msg),
                available: known.join(", "),
            })?;
            let matched: Vec<&str> = known
                .iter()
                .copied()
                .filter(|name| pattern.matches_with(name, CASE_INSENSITIVE))
                .collect();
            picked.extend(&matched);
            if matched.is_empty() {
                return Err(Error::UnknownObject {
                    object: selector.to_owned(),
                    hint: "the glob matches no object".to_owned(),
                    available: known.join(", "),
                });
            }
        } else {
            match known
                .iter()
                .find(|name| name.eq_ignore_ascii_case(selector))
            {
                Some(name) => {
                    picked.insert(*name);
                }
                None => {
                    let hint = match crate::unified::closest(selector, known.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "no object has that name".to_owned(),
                    };
                    return Err(Error::UnknownObject {
                        object: selector.to_owned(),
                        hint,
                        available: known.join(", "),
                    });
                }
            }
        }
    }
    Ok(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["Account", "Contact", "Invoice__c", "Widget__c"];

    #[test]
    fn names_match_ignoring_case_and_keep_the_schema_spelling() {
        let picked = pick(KNOWN, &["contact".into(), "ACCOUNT".into()]).expect("known");
        assert_eq!(
            picked.into_iter().collect::<Vec<_>>(),
            ["Account", "Contact"]
        );
    }

    #[test]
    fn globs_match_ignoring_case() {
        let picked = pick(KNOWN, &["*__C".into()]).expect("matches");
        assert_eq!(
            picked.into_iter().collect::<Vec<_>>(),
            ["Invoice__c", "Widget__c"]
        );
    }

    #[test]
    fn a_misspelled_name_suggests_the_one_meant() {
        let err = pick(KNOWN, &["Contcat".into()]).expect_err("unknown");
        let text = err.to_string();
        assert!(text.contains("did you mean `Contact`?"), "{text}");
        let err = pick(KNOWN, &["Zzzzzzzz".into()]).expect_err("unknown");
        assert!(!err.to_string().contains("did you mean"), "{err}");
    }

    #[test]
    fn a_glob_that_matches_nothing_is_an_error() {
        let err = pick(KNOWN, &["Foo*".into()]).expect_err("matches nothing");
        assert!(err.to_string().contains("matches no object"), "{err}");
    }
}
