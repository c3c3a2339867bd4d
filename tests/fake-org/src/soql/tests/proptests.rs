//! Property tests: Salesforce's escaping round-trips, and the parser never panics.

use proptest::prelude::*;

use crate::soql::literal::{decode_like, like_matches};
use crate::soql::{parse, quote, quote_like, Cond, Literal};

/// Strings rich in the characters escaping must handle.
fn tricky_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(vec!['\'', '"', '\\', '\n', '\r', '\t', '\u{8}', '\u{c}', '%', '_', 'a', 'Z', ' ']),
            1 => any::<char>(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn quoted_string_parses_back_to_itself(s in tricky_string()) {
        let soql = format!("SELECT Id FROM Account WHERE Name = {}", quote(&s));
        let query = parse(&soql).map_err(|e| TestCaseError::fail(e.to_string()))?;
        match query.filter {
            Some(Cond::Compare { value, .. }) => prop_assert_eq!(value.literal, Literal::Str(s)),
            other => prop_assert!(false, "unexpected filter {:?}", other),
        }
    }

    #[test]
    fn quoted_like_pattern_matches_exactly_itself(s in tricky_string()) {
        let quoted = quote_like(&s);
        let pattern = decode_like(&quoted[1..quoted.len() - 1])
            .map_err(TestCaseError::fail)?;
        prop_assert!(like_matches(&pattern, &s));
        let longer = format!("{s}x");
        prop_assert!(!like_matches(&pattern, &longer));
    }

    #[test]
    fn parser_never_panics(s in "\\PC{0,80}") {
        let _ = parse(&s);
        let _ = parse(&format!("SELECT Id FROM Account WHERE {s}"));
    }
}
